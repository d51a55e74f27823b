#!/usr/bin/python3
"""Writes the workbook fixtures of tests/test-formats.c with openpyxl, an independent
writer: aml.csv with a start and an end date and a labelled arm, as CSV and .xlsx, plus
small workbooks for the 1904 date system, a merged header and trailing empty cells.
Run from this folder; the files are committed, so this runs only to remake them."""
import csv
import datetime

import openpyxl
from openpyxl.workbook.properties import CalcProperties  # noqa: F401 (openpyxl present)
from openpyxl.utils.datetime import CALENDAR_MAC_1904

rows = []
with open("../aml.csv", newline="") as f:
    for r in csv.DictReader(f):
        i = int(r["id"])
        start = datetime.date(2023, 12, 1) + datetime.timedelta(days=7 * i)
        end = start + datetime.timedelta(days=int(r["time"]))
        rows.append([i, int(r["time"]), int(r["event"]), r["group"], r["group"], start, end])
header = ["id", "time", "event", "group", "arm", "start", "end"]

with open("aml-dates.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r[:5] + [r[5].isoformat(), r[6].isoformat()])

def workbook(path, epoch=None, merged=False):
    wb = openpyxl.Workbook()
    if epoch is not None:
        wb.epoch = epoch
    empty = wb.active
    empty.title = "Notes"          # an empty first sheet: passed over
    ws = wb.create_sheet("AML")
    if merged:
        # "group" merged over two columns: the second is group_2
        ws.append(["id", "time", "event", "group", None, "start", "end"])
        ws.merge_cells("D1:E1")
    else:
        ws.append(header)
    for r in rows:
        ws.append(r)
        ws.cell(row=ws.max_row, column=6).number_format = "yyyy-mm-dd"
        ws.cell(row=ws.max_row, column=7).number_format = "dd/mm/yyyy"
    # empty trailing rows and columns with formatting only
    ws.cell(row=40, column=12).number_format = "0.00"
    wb.save(path)

workbook("aml.xlsx")
workbook("aml-1904.xlsx", epoch=CALENDAR_MAC_1904)
workbook("aml-merged.xlsx", merged=True)

# title rows above the header (row 4), and a second sheet: --header-row=4
def titled(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cohort"
    ws.append(["AML maintenance trial, weeks to relapse"])
    ws.append(["Exported 2024-03-15 by the study coordinator"])
    ws.append([])
    ws.append(header)
    for r in rows:
        ws.append(r)
        ws.cell(row=ws.max_row, column=6).number_format = "yyyy-mm-dd"
        ws.cell(row=ws.max_row, column=7).number_format = "yyyy-mm-dd"
    codes = wb.create_sheet("Codes")
    codes.append(["event", "meaning"])
    codes.append([1, "relapse"])
    codes.append([0, "censored"])
    wb.save(path)

titled("aml-title.xlsx")
with open("aml-title.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["AML maintenance trial, weeks to relapse"])
    w.writerow(["Exported 2024-03-15 by the study coordinator"])
    w.writerow([])
    w.writerow(header)
    for r in rows:
        w.writerow(r[:5] + [r[5].isoformat(), r[6].isoformat()])

# a zip that is not a workbook
import zipfile  # noqa: E402
with zipfile.ZipFile("not-a-workbook.zip", "w") as z:
    z.writestr("readme.txt", "hello\n")

# aml.ods and aml-title.ods are made from the .xlsx by Gnumeric, a third writer (not run
# from here):
#   ssconvert aml.xlsx aml.ods; ssconvert aml-title.xlsx aml-title.ods
