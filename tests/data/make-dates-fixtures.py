#!/usr/bin/python3
"""Writes dates-two-sheets.xlsx with openpyxl (an independent writer): the rows of
dates-follow-up.csv as real date cells on a sheet "Follow-up" whose header is on row 3,
under a title row and a blank row, after a first sheet "Notes" that holds only text.
Run from the repository root: /usr/bin/python3 tests/data/make-dates-fixtures.py"""
import csv
import datetime

import openpyxl

book = openpyxl.Workbook()
notes = book.active
notes.title = "Notes"
notes["A1"] = "Follow-up of the CAR T cohort; the data are on the next sheet."
sheet = book.create_sheet("Follow-up")
sheet["A1"] = "CAR T follow-up, exported for the review"
with open("tests/data/dates-follow-up.csv", newline="") as f:
    rows = list(csv.reader(f))
sheet.append([])
date_columns = {i for i, name in enumerate(rows[0]) if name.endswith("date") or name == "last_contact"}
for r, row in enumerate(rows):
    cells = []
    for i, value in enumerate(row):
        if r == 0 or value == "":
            cells.append(value if value != "" else None)
        elif i in date_columns:
            cells.append(datetime.date.fromisoformat(value))
        else:
            cells.append(int(value) if value.isdigit() else value)
    sheet.append(cells)
for row in sheet.iter_rows(min_row=4):
    for cell in row:
        if isinstance(cell.value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd"
book.properties.creator = "strata tests"
book.properties.created = datetime.datetime(2024, 7, 1)
book.properties.modified = datetime.datetime(2024, 7, 1)
book.save("tests/data/dates-two-sheets.xlsx")
