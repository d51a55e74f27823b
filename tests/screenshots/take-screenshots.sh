#!/bin/bash
# take-screenshots.sh: builds tests/screenshots/take-screenshots.c against a Meson build
# of Strata (its static libraries, no Meson change) and runs it under Xvfb, writing the
# window screenshots of data/screenshots/ (see data/screenshots/README.md).
#
#   tests/screenshots/take-screenshots.sh [BUILD_DIR [OUTPUT_DIR [SHOT...]]]
#
# BUILD_DIR defaults to build (the Makefile's) and must have been compiled (meson compile
# -C BUILD_DIR); OUTPUT_DIR defaults to data/screenshots; SHOT... to every screenshot
# (names in take-screenshots.c). SHOT_WIDTH and SHOT_HEIGHT (default 1280 × 800;
# mrd-by-site is 200 pixels taller) set the window size. SHOT_LOCALE (default C.UTF-8)
# is the locale, e.g. SHOT_LOCALE=de_DE.UTF-8 with the shot "main" for main-de.png: the
# window in German, from the build's catalogues. Needs xvfb-run (package xvfb);
# pngquant, when installed, compresses the PNGs.
set -eu

SOURCE_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=$(cd "${1:-$SOURCE_DIR/build}" && pwd)
OUTPUT_DIR=${2:-$SOURCE_DIR/data/screenshots}
if [ $# -gt 2 ]; then shift 2; else set --; fi
mkdir -p "$OUTPUT_DIR"
OUTPUT_DIR=$(cd "$OUTPUT_DIR" && pwd)

for lib in gui render core export; do
  [ -f "$BUILD_DIR/src/$lib/libstrata-$lib.a" ] || {
    echo "$BUILD_DIR/src/$lib/libstrata-$lib.a is missing: meson compile -C $BUILD_DIR first" >&2
    exit 1
  }
done

EXE="$BUILD_DIR/take-screenshots"
# The same flags as tests/test-window (tests/meson.build): the GTK 4.8 / libadwaita 1.2
# API pin, the generated headers of the build tree, tests/ for the helpers the GUI tests
# share (gui-test-util.h), then the static libraries of Strata and the shared libraries
# they use.
# shellcheck disable=SC2046
cc -std=gnu11 -O2 -g -Wall -Wno-unused-parameter \
  -DGDK_VERSION_MIN_REQUIRED=GDK_VERSION_4_8 -DGDK_VERSION_MAX_ALLOWED=GDK_VERSION_4_8 \
  -DADW_VERSION_MIN_REQUIRED=ADW_VERSION_1_2 -DADW_VERSION_MAX_ALLOWED=ADW_VERSION_1_2 \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 \
  -I"$BUILD_DIR" -I"$SOURCE_DIR" \
  -I"$BUILD_DIR/src/gui" -I"$SOURCE_DIR/src/gui" \
  -I"$BUILD_DIR/src/render" -I"$SOURCE_DIR/src/render" \
  -I"$BUILD_DIR/src/core" -I"$SOURCE_DIR/src/core" \
  -I"$BUILD_DIR/src/export" -I"$SOURCE_DIR/src/export" \
  -I"$SOURCE_DIR/tests" \
  $(pkg-config --cflags gtk4 libadwaita-1 json-glib-1.0 gsl) \
  -o "$EXE" "$SOURCE_DIR/tests/screenshots/take-screenshots.c" \
  -Wl,--start-group \
  "$BUILD_DIR/src/gui/libstrata-gui.a" "$BUILD_DIR/src/render/libstrata-render.a" \
  "$BUILD_DIR/src/core/libstrata-core.a" "$BUILD_DIR/src/export/libstrata-export.a" \
  -Wl,--end-group \
  $(pkg-config --libs gtk4 libadwaita-1 json-glib-1.0 gsl libarchive libxml-2.0 \
                      pangocairo libpng libtiff-4 zlib) \
  -lxlsxwriter -lreadstat -lm

# Software rendering (as the window test), settings in memory, the schema of the build
# tree, the demo cohort of the source tree, no accessibility bus, a home of its own.
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
touch "$HOME_DIR/stamp"
env GSK_RENDERER=cairo GTK_A11Y=none ADW_DISABLE_PORTAL=1 \
  GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/src/gui" \
  STRATA_DEMO_COHORT="$SOURCE_DIR/data/demo-cohort.csv" STRATA_SOURCE_DIR="$SOURCE_DIR" \
  XDG_DATA_HOME="$HOME_DIR/data" XDG_CONFIG_HOME="$HOME_DIR/config" XDG_CACHE_HOME="$HOME_DIR/cache" \
  LC_ALL="${SHOT_LOCALE:-C.UTF-8}" STRATA_LOCALEDIR="$BUILD_DIR/po/locale" \
  xvfb-run -a -s "-screen 0 1400x1100x24" "$EXE" "$OUTPUT_DIR" "$@"

# Lossy palette compression of the screenshots just written, when pngquant is there.
if command -v pngquant >/dev/null; then
  for name in os-by-site mrd-by-site emd-by-burden cns-by-burden import-assistant \
              import-assistant-report dark high-contrast large-text patients main main-de main-fr main-es main-it; do
    png="$OUTPUT_DIR/$name.png"
    if [ "$png" -nt "$HOME_DIR/stamp" ]; then
      pngquant --force --skip-if-larger --strip --quality=80-98 --ext .png -- "$png" || true
    fi
  done
fi
