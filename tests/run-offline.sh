#!/bin/sh
# run-offline.sh: runs the whole test suite in a network namespace with no interface
# up (unshare -n; as an ordinary user through a user namespace, unshare -r -n), so any
# attempt to reach the network fails. Skips (status 77) when namespaces are not
# available (e.g. inside some containers).
#
#   tests/run-offline.sh BUILD_DIR [meson test arguments...]
set -eu

build=${1:?usage: $0 BUILD_DIR [meson test arguments...]}
shift

if [ "$(id -u)" = 0 ]; then
  unshare="unshare -n"
else
  unshare="unshare -r -n"
fi
if ! $unshare true 2>/dev/null; then
  echo "run-offline: cannot create a network namespace here (unshare -n); skipped" >&2
  exit 77
fi
# Show what the namespace has: only a loopback interface, down.
$unshare sh -c 'cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " " | tr "\n" " "; echo' |
  sed 's/^/run-offline: interfaces in the namespace: /'
exec $unshare meson test -C "$build" --print-errorlogs "$@"
