#!/bin/sh
# run-sanitizers.sh: the whole test suite under AddressSanitizer + UndefinedBehavior-
# Sanitizer (leaks reported; tests/lsan.supp lists only the one-time allocations of
# GTK, fontconfig, Pango and GLib's type system), then the concurrent-analysis test
# under ThreadSanitizer.
#
#   tests/run-sanitizers.sh BUILD_DIR_PREFIX
#
# Uses BUILD_DIR_PREFIX-asan and BUILD_DIR_PREFIX-tsan (set up on first use).
set -eu

prefix=${1:?usage: $0 BUILD_DIR_PREFIX}
src=$(cd "$(dirname "$0")/.." && pwd)

asan="$prefix-asan"
[ -f "$asan/build.ninja" ] ||
  meson setup "$asan" "$src" -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug
meson compile -C "$asan"
# Full stacks for every allocation (fast_unwind_on_malloc=0): the frame-pointer unwinder
# stops in libraries built without frame pointers, and a leak report (or suppression)
# then cannot see where the memory came from.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:fast_unwind_on_malloc=0 \
LSAN_OPTIONS=suppressions=$src/tests/lsan.supp:print_suppressions=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  meson test -C "$asan" --print-errorlogs --timeout-multiplier=4

tsan="$prefix-tsan"
[ -f "$tsan/build.ninja" ] ||
  meson setup "$tsan" "$src" -Db_sanitize=thread -Db_lundef=false --buildtype=debug
meson compile -C "$tsan" tests/robustness/test-threads
# GLib's slice allocator recycles memory between threads behind locks TSan cannot
# see (GLib is not instrumented): plain malloc avoids those false reports.
G_SLICE=always-malloc TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  meson test -C "$tsan" --print-errorlogs --timeout-multiplier=8 --no-rebuild test-threads
