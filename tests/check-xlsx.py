#!/usr/bin/python3
"""check-xlsx.py: reads a Strata workbook back with openpyxl, an independent reader, and
compares it with the JSON report of the same analysis.

Every number on the Summary, Kaplan–Meier and Responses sheets must be the JSON's double
(exactly, or within 1e-15 relative: libxlsxwriter writes 16 significant digits), and no
number on those sheets may go unchecked. Also checked: sheet names, frozen panes, the
number formats of p-values, percentages and curve estimates, the chart, the embedded
figure, the Patients rows (with --table: every line once, inclusion re-derived from the
filters; the included rows are the report's rows_used, and with filters some row is left
out by one, named) and the Methods paragraph.

Usage: check-xlsx.py WORKBOOK JSON [--figure] [--table] [--source=FILE] [--adjust=M]
                     [--version=V] [--extra-report=JSON2 [--extra-title=TITLE]]

With --extra-report, the Responses sheet must also hold the tables of that second
analysis (headed TITLE, or "column: level"), after the first report's, and Methods must
say on which patients it was done. Every sheet's print setup is checked too (A4,
orientation, fitted width, repeated header row, margins, header and footer).
Exit status 0 when everything matches; 1 with a message naming sheet, cell and values
at the first mismatch; 77 when openpyxl is missing (a skipped test)."""

import argparse
import hashlib
import json
import os
import sys

try:
    import openpyxl
    from openpyxl.utils import get_column_letter
except ImportError:
    print("check-xlsx.py: openpyxl is not installed", file=sys.stderr)
    sys.exit(77)

SHEETS = ["Summary", "Kaplan–Meier", "Responses", "Patients", "Methods"]
P_FORMAT = '[<0.001]"<0.001";[>0.999]">0.999";0.000'
PERCENT = "0.0%"
FRACTION = "0.0000"
TOLERANCE = 1e-15
ADJUST_KEYS = {"holm": ("p_holm", "Holm"), "BH": ("p_BH", "Benjamini–Hochberg"),
               "bonferroni": ("p_bonferroni", "Bonferroni")}
KM_STEP_COL = 23      # column W, 1-based
KM_CENSOR_COL = 27    # column AA


class Mismatch(Exception):
    pass


def where(ws, row, col):
    return "%s!%s%d" % (ws.title, get_column_letter(col), row)


class Checker:
    """Compares cells with expected values and remembers which cells it compared."""

    def __init__(self, book):
        self.book = book
        self.checked = set()
        self.exact = 0
        self.close = 0

    def fail(self, ws, row, col, message):
        raise Mismatch("%s: %s" % (where(ws, row, col), message))

    def text(self, ws, row, col, expected):
        value = ws.cell(row=row, column=col).value
        if value != expected:
            self.fail(ws, row, col, "holds %r, expected %r" % (value, expected))

    def number(self, ws, row, col, expected, fmt=None, missing="NA"):
        """EXPECTED: a JSON number, None (NA: the text MISSING) or "Inf"/"-Inf"."""
        cell = ws.cell(row=row, column=col)
        self.checked.add((ws.title, row, col))
        if expected is None or isinstance(expected, str):
            want = missing if expected is None else expected
            if cell.value != want:
                self.fail(ws, row, col, "holds %r, expected the text %r" % (cell.value, want))
            return
        value = cell.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(ws, row, col, "holds %r, expected the number %r" % (value, expected))
        if value == expected:
            self.exact += 1
        elif abs(value - expected) <= TOLERANCE * abs(expected):
            self.close += 1
        else:
            self.fail(ws, row, col, "holds %.17g, expected %.17g" % (value, expected))
        if fmt is not None and cell.number_format != fmt:
            self.fail(ws, row, col, "number format %r, expected %r" % (cell.number_format, fmt))

    def all_numbers_checked(self, ws):
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, (int, float)) and not isinstance(v, bool) and \
                        (ws.title, cell.row, cell.column) not in self.checked:
                    self.fail(ws, cell.row, cell.column, "number %r is not in the report" % v)


def find_row(ws, text, col=1):
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=col).value == text:
            return row
    return None


def find_row_from(ws, text, start, col=1):
    for row in range(start, ws.max_row + 1):
        if ws.cell(row=row, column=col).value == text:
            return row
    return None


def expect_print(ws, landscape, title_rows, pages_wide=1, area=None):
    """The print setup every sheet has: A4, the orientation, PAGES_WIDE pages wide and as
    long as it takes, TITLE_ROWS ("$1:$1" or None) repeated, margins, header and footer."""
    setup, problems = ws.page_setup, []
    if setup.orientation != ("landscape" if landscape else "portrait"):
        problems.append("orientation %r" % setup.orientation)
    if str(setup.paperSize) != "9":
        problems.append("paper size %r, not A4 (9)" % setup.paperSize)
    if not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage:
        problems.append("not fitted to pages")
    if int(setup.fitToWidth if setup.fitToWidth is not None else 1) != pages_wide or \
            int(setup.fitToHeight if setup.fitToHeight is not None else 1) != 0:
        problems.append("fitted to %r x %r pages" % (setup.fitToWidth, setup.fitToHeight))
    rows = ws.print_title_rows
    if rows != title_rows and rows != (title_rows or "").replace("$", ""):
        problems.append("title rows %r, expected %r" % (rows, title_rows))
    m = ws.page_margins
    if (m.left, m.right, m.top, m.bottom) != (0.6, 0.6, 0.75, 0.75):
        problems.append("margins %r" % ((m.left, m.right, m.top, m.bottom),))
    head, foot = ws.oddHeader, ws.oddFooter
    if (head.left.text, head.right.text, foot.center.text) != ("&A", "&F", "Page &P of &N"):
        problems.append("header %r / %r, footer %r" % (head.left.text, head.right.text,
                                                        foot.center.text))
    found = ws.print_area
    if isinstance(found, (list, tuple)):
        found = ",".join(found)
    found = (found or "").replace("'%s'!" % ws.title, "")
    if area is not None and found != area:
        problems.append("print area %r, expected %r" % (found, area))
    if problems:
        raise Mismatch("%s: print setup: %s" % (ws.title, "; ".join(problems)))


def expect_freeze(ws, pane):
    if ws.freeze_panes != pane:
        raise Mismatch("%s: frozen panes at %r, expected %r" % (ws.title, ws.freeze_panes, pane))


# ---- Summary ---------------------------------------------------------------------------

def check_facts(c, ws, report, args):
    inp = report["input"]
    facts = {
        "Source file": os.path.basename(inp["file"]),
        "Encoding": inp["encoding"],
        "Time": report["endpoint"]["time"],
        "Event": report["endpoint"]["event"],
        "Event coding": report["endpoint"]["event_rule"],
        "Filters (strata toggles)": "; ".join(report["where"]) or "none (all rows)",
        "Grouping": " × ".join(report["by"]) or "none (all patients in one group)",
        "Reference group": report["reference_level"],
        "Confidence intervals": report["conf_type"],
    }
    if args.source:
        with open(args.source, "rb") as f:
            facts["SHA-256"] = hashlib.sha256(f.read()).hexdigest()
    if args.version:
        facts["Software"] = "Strata " + args.version
    for label, value in facts.items():
        row = find_row(ws, label)
        if row is None:
            raise Mismatch("Summary: no row %r" % label)
        c.text(ws, row, 2, value)
    counts = {"Rows in the file": inp["rows"], "Patients analysed": inp["rows_used"],
              "Rows excluded (see Patients)": len(inp["excluded"])}
    for label, value in counts.items():
        c.number(ws, find_row(ws, label), 2, value)
    c.number(ws, find_row(ws, "Confidence level"), 2, report["conf_level"], PERCENT)
    row = find_row(ws, "Landmark times")
    for i, t in enumerate(report["landmark_times"]):
        c.number(ws, row, 2 + i, t)


def check_group_row(c, ws, row, group, n_landmarks):
    c.text(ws, row, 1, group["label"])
    c.number(ws, row, 2, group["n"])
    c.number(ws, row, 3, group["events"])
    for col, key in ((4, "median"), (5, "median_lower"), (6, "median_upper")):
        c.number(ws, row, col, group[key], "0.0", missing="NR")
    col = 7
    lm = group["landmarks"]
    for i in range(n_landmarks):
        for key in ("surv", "lower", "upper"):
            c.number(ws, row, col, lm[key][i], PERCENT)
            col += 1
    c.number(ws, row, col, group["rmean"], "0.0")
    c.number(ws, row, col + 1, group["rmean_se"], "0.00")
    c.number(ws, row, col + 2, group["rmean_upper_limit"])


def check_groups(c, ws, report):
    row = find_row(ws, "Survival by group") + 1
    times = report["landmark_times"]
    c.text(ws, row, 1, "Group")
    for i, t in enumerate(times):
        c.text(ws, row, 7 + 3 * i, "Survival at %.10g" % t)
    for group in report["groups"]:
        row += 1
        check_group_row(c, ws, row, group, len(times))
    if ws.cell(row=row + 1, column=1).value is not None:
        raise Mismatch("Summary: a row after the last group, at A%d" % (row + 1))


def check_test_row(c, ws, row, name, statistic, df, p):
    c.text(ws, row, 1, name)
    c.number(ws, row, 2, statistic, "0.00")
    c.number(ws, row, 3, df)
    c.number(ws, row, 4, p, P_FORMAT)


def check_tests(c, ws, report):
    row = find_row(ws, "Tests of equality of the curves")
    if report["survdiff"] is None:
        if row is not None:
            raise Mismatch("Summary: tests shown for a single group")
        return
    lr, pp = report["survdiff"]["logrank"], report["survdiff"]["peto_peto"]
    check_test_row(c, ws, row + 2, "Log-rank", lr["chisq"], lr["df"], lr["p"])
    check_test_row(c, ws, row + 3, "Peto–Peto (Harrington–Fleming ρ = 1)", pp["chisq"],
                   pp["df"], pp["p"])
    trend = report["trend"]
    if trend is not None:
        check_test_row(c, ws, row + 4, "Log-rank test for trend (scores 1, 2, … in group order)",
                       trend["chisq"], trend["df"], trend["p"])


def check_pairwise(c, ws, report, adjust):
    row = find_row(ws, "Pairwise log-rank tests")
    if report["pairwise"] is None:
        if row is not None:
            raise Mismatch("Summary: pairwise tests shown for a single group")
        return
    key, name = ADJUST_KEYS[adjust]
    c.text(ws, row + 1, 5, "p, %s-adjusted" % name)
    for i, pair in enumerate(report["pairwise"]["logrank"]["pairs"]):
        r = row + 2 + i
        c.text(ws, r, 1, pair["group1"])
        c.text(ws, r, 2, pair["group2"])
        c.number(ws, r, 3, pair["chisq"], "0.00")
        c.number(ws, r, 4, pair["p"], P_FORMAT)
        c.number(ws, r, 5, pair[key], P_FORMAT)


def check_cox(c, ws, report):
    row = find_row(ws, "Hazard ratios (Cox proportional hazards, Efron ties)")
    if report["coxph"] is None:
        if row is not None:
            raise Mismatch("Summary: hazard ratios without a Cox model")
        return
    fit = report["coxph"]["efron"]
    c.text(ws, row + 2, 1, fit["reference_level"])
    c.text(ws, row + 2, 2, "1 (reference)")
    for i, level in enumerate(fit["levels"]):
        r = row + 3 + i
        c.text(ws, r, 1, level)
        for col, key in ((2, "hr"), (3, "hr_lower"), (4, "hr_upper")):
            c.number(ws, r, col, fit[key][i], "0.00")
        c.number(ws, r, 5, fit["p"][i], P_FORMAT)
    row = find_row(ws, "Model test")
    for i, (name, key) in enumerate((("Likelihood ratio", "lr_test"), ("Wald", "wald_test"),
                                     ("Score (log-rank)", "score_test"))):
        t = fit[key]
        check_test_row(c, ws, row + 1 + i, name, t["statistic"], t["df"], t["p"])


def check_summary(c, report, args):
    ws = c.book["Summary"]
    expect_freeze(ws, "A2")
    expect_print(ws, True, "$1:$1")
    check_facts(c, ws, report, args)
    check_groups(c, ws, report)
    check_tests(c, ws, report)
    check_pairwise(c, ws, report, args.adjust)
    check_cox(c, ws, report)
    images = len(ws._images)
    if images != (1 if args.figure else 0):
        raise Mismatch("Summary: %d embedded images, expected %d" % (images, int(args.figure)))
    c.all_numbers_checked(ws)


# ---- Kaplan–Meier ----------------------------------------------------------------------

def staircase(km):
    """The chart's points: (0, 1), the corners at each event time, the last time."""
    points, level = [(0, 1)], 1
    for t, d, s in zip(km["time"], km["n_event"], km["surv"]):
        if d > 0:
            points += [(t, level), (t, s)]
            level = s
    if km["time"] and km["n_event"][-1] == 0:
        points.append((km["time"][-1], level))
    return points


def censor_marks(km):
    return [(t, s) for t, c, s in zip(km["time"], km["n_censor"], km["surv"]) if c > 0]


def check_points(c, ws, col, report, points_of):
    """Returns the (first, last) rows of each group's points."""
    row, ranges = 2, []
    for group in report["groups"]:
        first = row
        for t, s in points_of(group["km"]):
            c.text(ws, row, col, group["label"])
            c.number(ws, row, col + 1, t)
            c.number(ws, row, col + 2, s, FRACTION)
            row += 1
        ranges.append((first, row - 1))
    if ws.cell(row=row, column=col).value is not None:
        raise Mismatch("%s: more chart points than expected" % where(ws, row, col))
    return ranges


def check_km_table(c, ws, report):
    keys = ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper")
    row = 2
    for group in report["groups"]:
        km = group["km"]
        for i in range(len(km["time"])):
            c.text(ws, row, 1, group["label"])
            for col, key in enumerate(keys, start=2):
                c.number(ws, row, col, km[key][i], FRACTION if col >= 6 else None)
            row += 1
    if ws.cell(row=row, column=1).value is not None:
        raise Mismatch("Kaplan–Meier: more rows than the report has, at A%d" % row)


def check_km_chart(ws, report, steps, marks):
    if len(ws._charts) != 1:
        raise Mismatch("Kaplan–Meier: %d charts, expected 1" % len(ws._charts))
    chart = ws._charts[0]
    if chart.tagname != "scatterChart":
        raise Mismatch("Kaplan–Meier: a %s, expected a scatter chart" % chart.tagname)
    expected = ["$Y$%d:$Y$%d" % r for r in steps] + \
               ["$AC$%d:$AC$%d" % r for r in marks if r[1] >= r[0]]
    found = [s.yVal.numRef.f.split("!")[-1] for s in chart.series]
    found = [f if ":" in f else "%s:%s" % (f, f) for f in found]   # one-point series
    if found != expected:
        raise Mismatch("Kaplan–Meier chart: series %r, expected %r" % (found, expected))


def check_km(c, report):
    ws = c.book["Kaplan–Meier"]
    expect_freeze(ws, "A2")
    rows = 1 + sum(len(g["km"]["time"]) for g in report["groups"])
    expect_print(ws, True, "$1:$1", area="$A$1:$V$%d" % max(rows, 25))
    c.text(ws, 1, 1, "Group")
    c.text(ws, 1, 2, "Time (%s)" % report["endpoint"]["time"])
    check_km_table(c, ws, report)
    steps = check_points(c, ws, KM_STEP_COL, report, staircase)
    marks = check_points(c, ws, KM_CENSOR_COL, report, censor_marks)
    check_km_chart(ws, report, steps, marks)
    c.all_numbers_checked(ws)


# ---- Responses -------------------------------------------------------------------------

def check_response_rows(c, ws, row, table):
    levels = table["levels"]
    for i, r in enumerate(table["rows"]):
        at = row + i
        c.text(ws, at, 1, r["group"])
        for l, count in enumerate(r["counts"]):
            c.number(ws, at, 2 + l, count)
        col = 2 + len(levels)
        c.number(ws, at, col, r["n"])
        c.number(ws, at, col + 1, r["x"])
        for j, key in enumerate(("p_hat", "cp_lower", "cp_upper", "wilson_lower", "wilson_upper")):
            c.number(ws, at, col + 2 + j, r[key], PERCENT)
    return row + len(table["rows"])


def population(report):
    """Who a response table counts, as the Population row says it."""
    n = report["input"]["rows_used"]
    if not report["where"]:
        return "all patients (%d analysed)" % n
    return "patients with %s (%d analysed)" % (" and ".join(report["where"]), n)


def check_response(c, ws, table, report, title=None, start=1):
    """The block of TABLE (from REPORT) headed TITLE, the first such heading from row START;
    returns its header row."""
    title = title or "%s: %s" % (table["column"], table["success"])
    row = find_row_from(ws, title, start)
    if row is None:
        raise Mismatch("Responses: no table %r from row %d" % (title, start))
    c.text(ws, row + 1, 1, "Population")
    c.text(ws, row + 1, 2, population(report))
    header = row + 2
    for l, level in enumerate(table["levels"]):
        c.text(ws, header, 2 + l, level)
    c.text(ws, header, 4 + len(table["levels"]), "%s (%%)" % table["success"])
    row = check_response_rows(c, ws, header + 1, table) + 2
    c.text(ws, row, 1, "Fisher's exact")
    c.number(ws, row, 4, table["fisher"]["p"], P_FORMAT)
    if table["chisq"] is not None:
        t = table["chisq"]
        check_test_row(c, ws, row + 1, "Pearson's chi-square", t["statistic"], t["df"], t["p"])
    return header


def check_responses(c, report, extra, extra_title):
    """The report's tables, then those of the EXTRA report (or None), in that order."""
    ws = c.book["Responses"]
    headers = [check_response(c, ws, t, report) for t in report["responses"]]
    for t in (extra["responses"] if extra else []):
        start = headers[-1] + 1 if headers else 1
        headers.append(check_response(c, ws, t, extra, extra_title, start))
    if extra and not extra["responses"]:
        raise Mismatch("the second response analysis has no table to check")
    if len(headers) == 1:
        expect_freeze(ws, "A%d" % (headers[0] + 1))
        expect_print(ws, True, "$%d:$%d" % (headers[0], headers[0]))
    elif len(headers) > 1:
        expect_freeze(ws, "B1")
        expect_print(ws, True, None)
    c.all_numbers_checked(ws)


# ---- Patients --------------------------------------------------------------------------

def holds(text, header, cells):
    """Evaluates a --where filter on a row, independently of the C code."""
    for op in (">=", "<=", ">", "<"):
        if op in text:
            column, threshold = text.split(op, 1)
            v = cells[header.index(column.strip())]
            if not isinstance(v, (int, float)):
                return False
            t = float(threshold)
            return {">=": v >= t, "<=": v <= t, ">": v > t, "<": v < t}[op]
    column, values = text.split("=", 1)
    v = cells[header.index(column.strip())]
    return v is not None and str(v) in [s.strip() for s in values.split(",")]


def check_patient_row(ws, row, cells, header, issues, report):
    line, included, column, reason = cells[:4]
    filters = report["where"]
    if line in issues:
        issue = issues.pop(line)
        if (included, column, reason) != ("no", issue["column"], issue["reason"]):
            raise Mismatch("Patients row %d: %r, expected the exclusion %r" % (row, cells[:4], issue))
        return 0
    failed = [f for f in filters if not holds(f, header, cells)]
    if included == "yes" and not failed and reason is None:
        return 1
    if included == "no" and failed and reason == "left out by the filter " + failed[0]:
        return -1
    raise Mismatch("Patients row %d: %r, but the filters %r fail: %r" % (row, cells[:4], filters, failed))


def check_patients_table(ws, report):
    rows = list(ws.iter_rows(min_row=1, values_only=True))
    header = list(rows[0])
    issues = {}
    for issue in report["input"]["excluded"]:
        issues.setdefault(issue["line"], issue)
    used, filtered, last_line = 0, 0, 0
    for i, cells in enumerate(rows[1:], start=2):
        if cells[0] <= last_line:
            raise Mismatch("Patients row %d: line %r after line %r" % (i, cells[0], last_line))
        last_line = cells[0]
        fate = check_patient_row(ws, i, list(cells), header, issues, report)
        used += fate == 1
        filtered += fate == -1
    if report["where"] and not filtered:
        raise Mismatch("Patients: no row is left out by the filters %r" % report["where"])
    if issues:
        raise Mismatch("Patients: excluded lines not listed: %r" % sorted(issues))
    if used != report["input"]["rows_used"] or len(rows) - 1 != report["input"]["rows"]:
        raise Mismatch("Patients: %d rows, %d included; the report has %d rows, %d used" %
                       (len(rows) - 1, used, report["input"]["rows"], report["input"]["rows_used"]))


def check_patients(c, report, with_table):
    ws = c.book["Patients"]
    expect_freeze(ws, "A2")
    # one page wide while it prints at half size or more (143 characters per page)
    extra_columns = ws.max_column - 4 if with_table else 0
    pages = max(1, -(-(78 + 13 * extra_columns) // 286))
    expect_print(ws, True, "$1:$1", pages_wide=pages)
    for col, name in enumerate(("Line", "Included", "Column at fault", "Reason"), start=1):
        c.text(ws, 1, col, name)
    if with_table:
        check_patients_table(ws, report)
        return
    for i, issue in enumerate(report["input"]["excluded"], start=2):
        for col, value in enumerate((issue["line"], "no", issue["column"], issue["reason"]), 1):
            c.text(ws, i, col, value)


# ---- Methods ---------------------------------------------------------------------------

def check_methods(c, report, args, extra):
    ws = c.book["Methods"]
    expect_freeze(ws, "A2")
    expect_print(ws, False, None)
    text = ws["A3"].value or ""
    scale = {"log-log": "on the log-log scale", "log": "on the log scale",
             "plain": "without transformation"}[report["conf_type"]]
    wanted = ["Kaplan–Meier method", "Greenwood", scale, "R survival 3.5.3"]
    if args.version:
        wanted.append("Strata %s," % args.version)
    if report["survdiff"] is not None:
        wanted.append("log-rank test")
    if report["coxph"] is not None:
        wanted.append("Efron's method for ties")
    responses = report["responses"] or (extra is not None and extra["responses"])
    if responses:
        wanted.append("Clopper–Pearson")
    if responses and len(report["groups"]) > 1:
        wanted.append("Fisher's exact test")
    if extra is not None:
        added = [f for f in extra["where"] if f not in report["where"]]
        tables = " and ".join("%s = %s" % (t["column"], t["success"]) for t in extra["responses"])
        name = "“%s”" % args.extra_title if args.extra_title else "Response"
        wanted.append("%s (%s) was analysed separately in the %d patients%s, with the same "
                      "methods." % (name, tables, extra["input"]["rows_used"],
                                    " with " + " and ".join(added) if added else ""))
    for phrase in wanted:
        if phrase not in text:
            raise Mismatch("Methods!A3 does not say %r: %r" % (phrase, text))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workbook")
    parser.add_argument("report")
    parser.add_argument("--figure", action="store_true")
    parser.add_argument("--table", action="store_true")
    parser.add_argument("--source")
    parser.add_argument("--adjust", default="holm", choices=sorted(ADJUST_KEYS))
    parser.add_argument("--version")
    parser.add_argument("--extra-report", help="the JSON of a second response analysis")
    parser.add_argument("--extra-title", help="the heading of its tables")
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as f:
        report = json.load(f)
    extra = None
    if args.extra_report:
        with open(args.extra_report, encoding="utf-8") as f:
            extra = json.load(f)
    book = openpyxl.load_workbook(args.workbook)
    c = Checker(book)
    try:
        if book.sheetnames != SHEETS:
            raise Mismatch("sheets %r, expected %r" % (book.sheetnames, SHEETS))
        check_summary(c, report, args)
        check_km(c, report)
        check_responses(c, report, extra, args.extra_title)
        check_patients(c, report, args.table)
        check_methods(c, report, args, extra)
    except Mismatch as e:
        print("check-xlsx.py: %s: %s" % (args.workbook, e), file=sys.stderr)
        return 1
    print("check-xlsx.py: %s: %d numbers match the report (%d exactly, %d within %g)" %
          (os.path.basename(args.workbook), c.exact + c.close, c.exact, c.close, TOLERANCE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
