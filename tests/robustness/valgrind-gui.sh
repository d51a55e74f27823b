#!/bin/sh
# valgrind-gui.sh: the GUI smoke run (valgrind-gui-smoke: demo cohort, a stratum toggled
# off and on, window closed) under valgrind memcheck. Fails when the run fails, or when
# a definite leak or an invalid access (read, write, free, uninitialised value, bad
# syscall argument) has a frame of Strata's own code in its stack: a strata_ function
# or a strata-*.c file. Errors wholly inside GLib, GTK, fontconfig, pango, cairo, Mesa
# or X are listed in the log but are not Strata's to fix; the usual ones are
# suppressed (GLib's and GTK's own suppression files where installed, and gtk.supp
# beside this script, which names third-party libraries only).
#
#   tests/robustness/valgrind-gui.sh SMOKE_PROGRAM [LOG_FILE]
#
# Runs under xvfb-run when there is no $DISPLAY. Environment as the GUI tests (the
# caller sets GSETTINGS_SCHEMA_DIR), plus G_SLICE=always-malloc and G_DEBUG=gc-friendly
# so that GLib's allocators hide nothing from memcheck.
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 SMOKE_PROGRAM [LOG_FILE]" >&2
  exit 2
fi
smoke=$1
here=$(cd "$(dirname "$0")" && pwd)
log=${2:-${TMPDIR:-/tmp}/valgrind-gui.$$.log}

if ! command -v valgrind > /dev/null; then
  echo "valgrind-gui: valgrind is not installed (Debian package valgrind)" >&2
  exit 1
fi

set -- --suppressions="$here/gtk.supp"
for f in /usr/share/glib-2.0/valgrind/glib.supp /usr/share/gtk-4.0/valgrind/gtk.supp; do
  if [ -f "$f" ]; then set -- "$@" --suppressions="$f"; fi
done

export G_SLICE=always-malloc G_DEBUG=gc-friendly GTK_A11Y=none GSK_RENDERER=cairo
export GSETTINGS_BACKEND=memory ADW_DISABLE_PORTAL=1 LC_ALL=C.UTF-8 NO_AT_BRIDGE=1

if [ -z "${DISPLAY:-}" ]; then
  set -- xvfb-run -a -s "-screen 0 1280x800x24" valgrind "$@"
else
  set -- valgrind "$@"
fi

status=0
"$@" --tool=memcheck --leak-check=full --show-leak-kinds=definite \
     --errors-for-leak-kinds=definite --num-callers=50 --log-file="$log" \
     "$smoke" || status=$?

# One error per block of "==PID== " lines between empty ones; flag those naming Strata.
/usr/bin/python3 - "$log" <<'PY' || status=1
import re, sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
lines = [re.sub(r"^==\d+== ?", "", l) for l in text.splitlines()]
blocks, block = [], []
for line in lines:
    if line.strip() == "":
        if block:
            blocks.append(block)
        block = []
    else:
        block.append(line)
if block:
    blocks.append(block)

kinds = re.compile(r"definitely lost in loss record|^Invalid (read|write|free)|"
                   r"^Conditional jump|^Use of uninitialised|^Syscall param|"
                   r"^Mismatched free|^Source and destination overlap")
ours = re.compile(r"\bstrata_\w+|\(strata-[\w-]+\.c:\d+\)|/src/(core|gui|render|export|cli)/")
flagged = third_party = 0
for b in blocks:
    if not kinds.search(b[0]):
        continue
    if any(ours.search(l) for l in b[1:]):
        flagged += 1
        print("valgrind-gui: in Strata's code:\n  " + "\n  ".join(b))
    else:
        third_party += 1
summary = [l for l in lines if "definitely lost:" in l or "ERROR SUMMARY" in l]
print("valgrind-gui: " + "; ".join(s.strip() for s in summary))
print(f"valgrind-gui: {flagged} error(s) with a Strata frame, {third_party} only in "
      f"other libraries (log: {sys.argv[1]})")
sys.exit(1 if flagged else 0)
PY
if [ "$status" -ne 0 ]; then
  echo "valgrind-gui: FAILED (status $status); log: $log" >&2
fi
exit "$status"
