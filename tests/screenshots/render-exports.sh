#!/bin/sh
# render-exports.sh: the export renderings of data/screenshots/ (issue 5). It exports,
# with strata-report from the demo cohort by disease site with landmarks 12 and 24, the
# figure as TIFF (single column, 8.0 cm, 600 dpi) and as PDF, and the Excel workbook;
# then renders them to PNG with independent readers: ImageMagick for the TIFF, Poppler's
# pdftoppm for the PDF, Gnumeric's ssconvert (sheet by sheet to PDF) and pdftoppm for
# the workbook. See data/screenshots/README.md.
#
#   tests/screenshots/render-exports.sh [BUILD_DIR [OUTPUT_DIR]]
#
# BUILD_DIR defaults to build (the Makefile's), compiled; OUTPUT_DIR to data/screenshots.
# Needs imagemagick, poppler-utils, gnumeric, python3, fonts-crosextra-carlito (Calibri's
# metrics, so that the sheets are laid out as in Excel) and, optionally, pngquant.
set -eu

SOURCE_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=$(cd "${1:-$SOURCE_DIR/build}" && pwd)
OUTPUT_DIR=${2:-$SOURCE_DIR/data/screenshots}
mkdir -p "$OUTPUT_DIR"
OUTPUT_DIR=$(cd "$OUTPUT_DIR" && pwd)
REPORT="$BUILD_DIR/src/cli/strata-report"
DEMO="$SOURCE_DIR/data/demo-cohort.csv"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export LC_ALL=C.UTF-8

for tool in convert pdftoppm ssconvert python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
case $(fc-match Calibri) in
  *Carlito*) ;;
  *) echo "warning: no Carlito font (fonts-crosextra-carlito): the sheets are laid out in $(fc-match Calibri)" >&2 ;;
esac

# Lossy palette compression for the screenshots when pngquant is there (not the figure).
squeeze() {
  if command -v pngquant >/dev/null; then
    pngquant --force --skip-if-larger --strip --quality=80-98 --output "$1" -- "$1" || true
  fi
}

# ---- the exports --------------------------------------------------------------------------
ANALYSIS="--by=disease_site --landmarks=12,24"
# shellcheck disable=SC2086
"$REPORT" $ANALYSIS --figure="$WORK/km.tiff" "$DEMO" >/dev/null
# shellcheck disable=SC2086
"$REPORT" $ANALYSIS --figure="$WORK/km.pdf" "$DEMO" >/dev/null
# The workbook of the figure's analysis, with both response tables (MRD among every
# patient with an MRD result), and the seed's MRD table (patients with detectable marrow
# disease, --where; the survival part of that workbook is of those patients only).
# shellcheck disable=SC2086
"$REPORT" $ANALYSIS --response=mrd_day28:negative --response=emd_response:CR \
  --xlsx="$WORK/report.xlsx" "$DEMO" >/dev/null
# shellcheck disable=SC2086
"$REPORT" $ANALYSIS --where='bm_blasts_pct>0' --response=mrd_day28:negative \
  --xlsx="$WORK/report-detectable.xlsx" "$DEMO" >/dev/null

# ---- the figure ---------------------------------------------------------------------------
# The TIFF at full resolution (1890 px = 8.0 cm at 600 dpi), lossless, with its 600 dpi.
tiffinfo "$WORK/km.tiff" 2>/dev/null | grep -E 'Image Width|Resolution|Compression' || true
convert "$WORK/km.tiff" -units PixelsPerInch -density 600 \
  -define png:exclude-chunks=date,time "$OUTPUT_DIR/figure-8cm-600dpi.png"
pdfinfo "$WORK/km.pdf" | grep 'Page size' || true
pdftoppm -r 150 -png -singlefile "$WORK/km.pdf" "$OUTPUT_DIR/figure-pdf"
echo "$OUTPUT_DIR/figure-8cm-600dpi.png, $OUTPUT_DIR/figure-pdf.png"

# ---- the workbook -------------------------------------------------------------------------
# render_sheets XLSX PREFIX SHEET=NAME...: each SHEET of XLSX to OUTPUT_DIR/PREFIX-NAME.png,
# as ssconvert prints it (page 1, at 96 dpi, the white margins trimmed).
render_sheets() {
  xlsx=$1 prefix=$2
  shift 2
  dir="$WORK/$prefix"
  mkdir -p "$dir"
  ssconvert "$xlsx" "$dir/book.gnumeric" 2>/dev/null
  python3 "$SOURCE_DIR/tests/screenshots/gnumeric-print-setup.py" "$dir/book.gnumeric" "$dir/print.gnumeric"
  ssconvert --export-type=Gnumeric_pdf:pdf_assistant -S "$dir/print.gnumeric" "$dir/sheet-%s.pdf" 2>/dev/null
  for pair in "$@"; do
    sheet=${pair%%=*} name=${pair#*=}
    pdftoppm -r 96 -png -f 1 -l 1 -singlefile "$dir/sheet-$sheet.pdf" "$dir/page-$name"
    convert "$dir/page-$name.png" -trim +repage -bordercolor white -border 24 \
      -define png:exclude-chunks=date,time "$OUTPUT_DIR/$prefix-$name.png"
    squeeze "$OUTPUT_DIR/$prefix-$name.png"
    echo "$OUTPUT_DIR/$prefix-$name.png"
  done
}

render_sheets "$WORK/report.xlsx" workbook \
  Summary=summary Kaplan–Meier=kaplan-meier Responses=responses Patients=patients Methods=methods
render_sheets "$WORK/report-detectable.xlsx" workbook-detectable Responses=responses
