#!/usr/bin/env python3
"""gnumeric-print-setup.py: prepares a workbook (converted to Gnumeric's XML by
`ssconvert report.xlsx report.gnumeric`) for rendering each sheet to one PDF page with
`ssconvert --export-type=Gnumeric_pdf:pdf_assistant -S`. Used by render-exports.sh for
the workbook screenshots of data/screenshots/; the workbook itself is not changed.

  gnumeric-print-setup.py IN.gnumeric OUT.gnumeric

Two things, both only for the rendering:

1. Paper: Strata's workbook has no print setup (A4 portrait at 100 %), so Gnumeric cuts
   each sheet into many A4 pages. Each sheet gets a large custom paper at 100 % instead
   (the whole Summary; the first ~60 rows at full width of the long sheets).

2. Row heights of wrapped header cells: Strata writes its header rows with "wrap text"
   and no row height, which Excel and LibreOffice size to the wrapped text when they
   open the file; Gnumeric keeps the default height (one line) and cuts the text. The
   height of such a row is set here to the lines its longest header needs, measured
   with the font (Carlito, metric-compatible with Calibri) through ImageMagick.
"""
import gzip
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = {"gnm": "http://www.gnumeric.org/v10.dtd"}
FONTS = {
    False: "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
    True: "/usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf",
}
# Paper per sheet, width x height in mm (PWG custom size names).
PAPER = {
    "Summary": (600, 800),
    "Kaplan–Meier": (1300, 330),
    "Responses": (600, 300),
    "Patients": (1000, 330),
    "Methods": (300, 200),
}
DEFAULT_PAPER = (1000, 330)
LINE_POINTS = 15.0        # Excel's row height for 11 pt Calibri
CELL_PADDING = 5.0        # points of a column not available to text

_widths = {}


def text_width(text, bold, size):
    """The width of TEXT in points, in Carlito at SIZE points."""
    key = (text, bold, size)
    if key not in _widths:
        out = subprocess.run(
            ["convert", "-density", "72", "-pointsize", str(size), "-font", FONTS[bold],
             "label:" + text.replace("%", "%%"), "-format", "%w", "info:"],
            check=True, capture_output=True, text=True).stdout
        _widths[key] = float(out.strip())
    return _widths[key]


def lines_needed(text, width, bold, size):
    """Greedy word wrap of TEXT in WIDTH points: break at spaces and after dashes."""
    pieces = [p for p in re.split(r"(?<=[ \-–])", text) if p]
    lines, current = 1, ""
    for piece in pieces:
        candidate = current + piece
        if current and text_width(candidate.rstrip(), bold, size) > width:
            lines += 1
            current = piece
        else:
            current = candidate
        # A piece wider than the column is broken inside the word.
        while text_width(current.rstrip(), bold, size) > width and len(current) > 1:
            lines += 1
            current = current[len(current) // 2:]
    return lines


def column_widths(sheet):
    cols = sheet.find("gnm:Cols", NS)
    default = float(cols.get("DefaultSizePts", "48"))
    widths = {}
    for info in cols.findall("gnm:ColInfo", NS):
        first = int(info.get("No"))
        for c in range(first, first + int(info.get("Count", "1"))):
            widths[c] = float(info.get("Unit"))
    return lambda c: widths.get(c, default)


def wrapped_row_heights(sheet):
    """{row: points} for the rows of single-row wrapped style regions whose text wraps."""
    width_of = column_widths(sheet)
    cells = {(int(c.get("Row")), int(c.get("Col"))): c.text or ""
             for c in sheet.iter("{%s}Cell" % NS["gnm"])}
    fixed = {int(r.get("No")) for r in sheet.findall("gnm:Rows/gnm:RowInfo", NS)}
    heights = {}
    for region in sheet.findall("gnm:Styles/gnm:StyleRegion", NS):
        style = region.find("gnm:Style", NS)
        row = int(region.get("startRow"))
        if style.get("WrapText") != "1" or row != int(region.get("endRow")) or row in fixed:
            continue
        font = style.find("gnm:Font", NS)
        bold, size = font.get("Bold") == "1", float(font.get("Unit"))
        for col in range(int(region.get("startCol")), min(int(region.get("endCol")), 200) + 1):
            text = cells.get((row, col))
            if not text:
                continue
            lines = lines_needed(text, width_of(col) - CELL_PADDING, bold, size)
            heights[row] = max(heights.get(row, LINE_POINTS), lines * LINE_POINTS)
    return {r: h for r, h in heights.items() if h > LINE_POINTS}


def main():
    source, target = sys.argv[1], sys.argv[2]
    with gzip.open(source, "rt", encoding="utf-8") as f:
        text = f.read()
    root = ET.fromstring(text)
    sheets = root.findall("gnm:Sheets/gnm:Sheet", NS)

    # Edit the text sheet by sheet (keeps Gnumeric's own XML as it is elsewhere).
    parts = re.split(r"(?=<gnm:Sheet )", text)
    head, chunks = parts[0], parts[1:]
    assert len(chunks) == len(sheets), "one chunk per sheet"
    out = [head]
    for sheet, chunk in zip(sheets, chunks):
        name = sheet.find("gnm:Name", NS).text
        width, height = PAPER.get(name, DEFAULT_PAPER)
        chunk = re.sub(r"<gnm:paper>[^<]*</gnm:paper>",
                       "<gnm:paper>custom_strata_%dx%dmm</gnm:paper>" % (width, height), chunk, 1)
        chunk = re.sub(r'<gnm:Scale [^>]*/>', '<gnm:Scale type="percentage" percentage="100"/>',
                       chunk, 1)
        chunk = chunk.replace("<gnm:orientation>landscape</gnm:orientation>",
                              "<gnm:orientation>portrait</gnm:orientation>", 1)
        chunk = re.sub(r'<gnm:Header [^>]*/>', '<gnm:Header Left="" Middle="" Right=""/>', chunk, 1)
        chunk = re.sub(r'<gnm:Footer [^>]*/>', '<gnm:Footer Left="" Middle="" Right=""/>', chunk, 1)
        heights = wrapped_row_heights(sheet)
        if heights:
            infos = "".join('\n        <gnm:RowInfo No="%d" Unit="%g" HardSize="1"/>' % (r, h)
                            for r, h in sorted(heights.items()))
            # <gnm:Rows .../> or <gnm:Rows ...> ... </gnm:Rows>
            chunk, n = re.subn(r"<gnm:Rows ([^>]*?)/>", r"<gnm:Rows \1>%s\n      </gnm:Rows>" % infos,
                               chunk, 1)
            if n == 0:
                chunk = re.sub(r"(<gnm:Rows [^>]*>)", r"\1" + infos, chunk, 1)
            print("%s: rows %s set to the height of their wrapped headers" %
                  (name, ", ".join("%d (%g pt)" % (r + 1, h) for r, h in sorted(heights.items()))))
        out.append(chunk)
    with gzip.open(target, "wt", encoding="utf-8") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
