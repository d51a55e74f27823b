#!/bin/sh
# run-fuzz.sh: builds the libFuzzer harnesses of tests/fuzz with clang
# (-fsanitize=fuzzer,address,undefined), linking the core sources directly, and runs
# each for SECONDS, printing its execution count.
#
#   tests/fuzz/run-fuzz.sh BUILD_DIR SECONDS [HARNESS...]
#
# HARNESS: csv (the importer), analysis (import then the default analysis), cli-options
# (the option parsers and the analysis on a fixed cohort), spreadsheet (.xlsx and .ods,
# fuzz-spreadsheet.c), stat-file (SPSS, Stata and SAS files through ReadStat), and
# analysis-file (the .strata analysis file parser); default: all of them, one after the
# other, each for SECONDS. Needs clang and
# libclang-rt-14-dev (Debian 12). A crash, a leak, or an input taking more than 1 s
# stops the run with status 1; the reproducer is left in BUILD_DIR/artifacts/.
# The working corpus grows in BUILD_DIR/corpus-HARNESS (seeded from the test fixtures)
# and is reused by the next run.
#
# FUZZ_RUNS=N stops each harness after N executions instead (SECONDS still caps the
# time). FUZZ_TIMEOUT (default 1) is the per-input limit in seconds; on a loaded machine
# a larger value keeps scheduling stalls from passing for hangs, and the run's slowest
# input (stat::slowest_unit_time_sec) is printed either way.
set -eu

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS [csv|analysis|cli-options|spreadsheet|stat-file|analysis-file...]" >&2
  exit 2
fi
build=$1
seconds=$2
shift 2
harnesses=${*:-csv analysis cli-options spreadsheet stat-file analysis-file}

src=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-clang}
mkdir -p "$build/artifacts"
build=$(cd "$build" && pwd)

# The core's configuration header (the demo cohort's lookup and the translation domain).
cat > "$build/config.h" <<CONFIG
#define GETTEXT_PACKAGE "strata"
#define LOCALEDIR "/nonexistent"
#define PACKAGE_VERSION "fuzz"
#define STRATA_DATADIR "/nonexistent"
#define STRATA_SOURCE_DATADIR "$src/data"
CONFIG

# The core library's dependencies (src/core/meson.build), those installed.
pkgs="glib-2.0 gio-2.0 gsl json-glib-1.0"
for p in libarchive libxml-2.0; do
  if pkg-config --exists "$p"; then pkgs="$pkgs $p"; fi
done
cflags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
        -fno-sanitize-recover=undefined -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74
        -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 -I$build -I$src/src/core -I$src/src/export
        $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs) -lm"
# ReadStat (SPSS/Stata/SAS import) has no .pc file on Debian 12.
if [ -f /usr/include/readstat.h ]; then libs="$libs -lreadstat"; fi

# The core library's sources, compiled once with the sanitizers (not the fuzzer's
# main: -fsanitize=fuzzer-no-link).
objdir="$build/core-obj"
mkdir -p "$objdir"
core_cflags=$(echo "$cflags" | sed 's/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,/')
# The list of core_sources in src/core/meson.build.
sources=$(sed -n "/^core_sources = files(/,/)/s/^ *'\\(.*\\.c\\)',*$/\\1/p" \
              "$src/src/core/meson.build")
rm -f "$objdir"/*.list
for s in $sources; do
  c="$src/src/core/$s"
  o="$objdir/$(basename "$c" .c).o"
  echo "$o" >> "$objdir/objects.list"
  if [ ! -f "$o" ] || [ "$c" -nt "$o" ]; then
    # shellcheck disable=SC2086
    $CC $core_cflags -c "$c" -o "$o"
  fi
done

# The .strata parser is built into the export library (it writes through
# src/export/strata-atomic-file.c): those two files, for fuzz-analysis-file only.
for c in "$src/src/core/strata-analysis-file.c" "$src/src/export/strata-atomic-file.c"; do
  o="$objdir/extra-$(basename "$c" .c).o"
  if [ ! -f "$o" ] || [ "$c" -nt "$o" ]; then
    # shellcheck disable=SC2086
    $CC $core_cflags -c "$c" -o "$o"
  fi
done

status=0
for name in $harnesses; do
  exe="$build/fuzz-$name"
  extra=""
  case $name in
    analysis) source="$src/tests/fuzz/fuzz-csv.c -DFUZZ_ANALYSIS" ;;
    analysis-file)
      source="$src/tests/fuzz/fuzz-analysis-file.c"
      extra="$objdir/extra-strata-analysis-file.o $objdir/extra-strata-atomic-file.o" ;;
    *) source="$src/tests/fuzz/fuzz-$name.c" ;;
  esac
  if [ ! -f "$src/tests/fuzz/fuzz-$name.c" ] && [ "$name" != analysis ]; then
    echo "fuzz-$name: no harness tests/fuzz/fuzz-$name.c" >&2
    status=1
    continue
  fi
  # shellcheck disable=SC2086
  $CC $cflags $source $(cat "$objdir/objects.list") $extra $libs -o "$exe"

  corpus="$build/corpus-$name"
  mkdir -p "$corpus"
  case $name in
    csv|analysis)
      find "$src/tests/malformed" "$src/tests/data" "$src/tests/hostile" \
           -type f \( -name '*.csv' -o -name '*.tsv' -o -name '*.txt' \) -size -64k \
           -exec cp -n {} "$corpus/" \; 2>/dev/null || true
      dict="-dict=$src/tests/fuzz/csv.dict"
      max_len=8192 ;;
    spreadsheet)
      find "$src/tests" -type f \( -name '*.xlsx' -o -name '*.ods' \) -size -256k \
           -exec cp -n {} "$corpus/" \; 2>/dev/null || true
      dict=""
      max_len=65536 ;;
    stat-file)
      find "$src/tests" -type f \( -name '*.sav' -o -name '*.zsav' -o -name '*.dta' \
           -o -name '*.xpt' -o -name '*.sas7bdat' \) -size -256k \
           -exec cp -n {} "$corpus/" \; 2>/dev/null || true
      # A SAS7BDAT seed where R's haven is installed (the fixtures have none).
      for f in /usr/lib/R/site-library/haven/examples/iris.*; do
        if [ -f "$f" ]; then cp -n "$f" "$corpus/"; fi
      done
      dict=""
      max_len=262144 ;;
    analysis-file)
      find "$src/tests" -type f -name '*.strata' -exec cp -n {} "$corpus/" \; 2>/dev/null || true
      dict=""
      max_len=16384 ;;
    *)
      cp -n "$src/tests/fuzz/corpus-$name"/* "$corpus/" 2>/dev/null || true
      dict=""
      max_len=1024 ;;
  esac

  log="$build/fuzz-$name.log"
  echo "fuzz-$name: running for $seconds s${FUZZ_RUNS:+ or $FUZZ_RUNS executions} (log: $log)"
  # -timeout: an input taking longer is a hang; leaks are reported (ASan). The allocator
  # keeps freed memory instead of returning it to the kernel: its madvise calls can
  # stall for seconds on a loaded machine, inside whatever input is running.
  # shellcheck disable=SC2086
  if ! (cd "$build/artifacts" && \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:allocator_release_to_os_interval_ms=-1 \
        "$exe" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-1}" -rss_limit_mb=2048 \
               ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} \
               -max_len=$max_len -print_final_stats=1 $dict \
               -artifact_prefix="$build/artifacts/$name-" "$corpus" > "$log" 2>&1); then
    echo "fuzz-$name: FAILED, see $log and $build/artifacts/" >&2
    tail -n 40 "$log" >&2
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  slowest=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log" | tail -n 1)
  elapsed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  echo "fuzz-$name: ${execs:-?} executions in ${elapsed:-$seconds} s, slowest input ${slowest:-?} s, corpus $(ls "$corpus" | wc -l) inputs"
done
exit $status
