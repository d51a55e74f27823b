#!/usr/bin/env bash
# Installs the build into a temporary tree (meson install --destdir) and uses it as a
# user would: the installed strata-report analyses the installed demo cohort, the
# desktop integration files are where GNOME looks for them, and the installed strata
# starts under Xvfb and stays up. TAP output.
# Usage: test-install.sh BUILD_DIR
set -u
build=$1
tmp=$(mktemp -d)
trap 'kill "$app_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
app_pid=""
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; [ -n "${2:-}" ] && sed 's/^/# /' <<< "$2"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

echo "1..11"
if out=$(meson install -C "$build" --no-rebuild --destdir "$tmp" 2>&1); then
  ok "meson install into a temporary tree"
else
  not_ok "meson install into a temporary tree" "$out"
  exit 1
fi
prefix=$(meson introspect "$build" --buildoptions | python3 -c \
  'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
root="$tmp$prefix"
share="$root/share"

check "strata-report installed" '[ -x "$root/bin/strata-report" ]'
check "strata installed" '[ -x "$root/bin/strata" ]'
check "demo cohort installed" '[ -f "$share/strata/demo-cohort.csv" ]'
check "desktop file installed" '[ -f "$share/applications/io.github.stratareview.Strata.desktop" ]'
check "metainfo installed" '[ -f "$share/metainfo/io.github.stratareview.Strata.metainfo.xml" ]'
check "icons installed" '[ -f "$share/icons/hicolor/scalable/apps/io.github.stratareview.Strata.svg" ] && [ -f "$share/icons/hicolor/symbolic/apps/io.github.stratareview.Strata-symbolic.svg" ]'
check "GSettings schema installed" '[ -f "$share/glib-2.0/schemas/io.github.stratareview.Strata.gschema.xml" ]'

# The installed report finds the installed demo cohort (not the source tree's).
report=$(env -u STRATA_DEMO_COHORT "$root/bin/strata-report" --json=- --by=disease_site --landmarks=24 2>&1)
if python3 -c '
import json, sys
d = json.loads(sys.argv[1]); root = sys.argv[2]
assert d["input"]["file"].startswith(root), d["input"]["file"]
assert d["input"]["rows"] == 308
assert round(d["survdiff"]["logrank"]["p"], 3) == 0.032
' "$report" "$root" 2>/dev/null; then
  ok "installed strata-report analyses the installed demo cohort (p = 0.032)"
else
  not_ok "installed strata-report analyses the installed demo cohort" "$report"
fi

# The installed application starts on the demo cohort and stays up.
glib-compile-schemas "$share/glib-2.0/schemas"
if command -v xvfb-run > /dev/null; then
  log="$tmp/strata.log"
  env -u STRATA_DEMO_COHORT GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$share/glib-2.0/schemas" \
    GTK_A11Y=none XDG_DATA_DIRS="$share:/usr/share" LC_ALL=C.UTF-8 \
    xvfb-run -a -s "-screen 0 1280x800x24" "$root/bin/strata" > "$log" 2>&1 &
  app_pid=$!
  sleep 6
  if kill -0 "$app_pid" 2>/dev/null; then
    ok "installed strata starts under Xvfb and stays up"
  else
    not_ok "installed strata starts under Xvfb and stays up" "$(cat "$log")"
  fi
  if grep -qE "CRITICAL|WARNING" "$log"; then
    not_ok "installed strata logs no warnings" "$(cat "$log")"
  else
    ok "installed strata logs no warnings"
  fi
  pkill -P "$app_pid" 2>/dev/null; kill "$app_pid" 2>/dev/null
else
  not_ok "xvfb-run is available (package xvfb)"
  not_ok "installed strata logs no warnings"
fi
exit $fail
