#!/bin/sh
# test-no-network.sh: Strata's own code never touches the network. Lists the undefined
# symbols of our static libraries and of the objects of our executables (nm) and fails
# if any is a socket, name-resolution or HTTP API. GTK and GLib may use sockets for the
# display (Wayland/X11, D-Bus, portals): their shared libraries are not checked here,
# only what Strata's code itself calls.
#
#   tests/test-no-network.sh BUILD_DIR
#
# TAP output, for meson test (protocol exitcode: 0 = pass).
set -eu

build=${1:?usage: $0 BUILD_DIR}
NM=${NM:-nm}

# Socket, resolver and network-client entry points (libc, GIO, libsoup, curl).
pattern='^(socket|socketpair|connect|bind|listen|accept|accept4|send|sendto|sendmsg|recv|recvfrom|recvmsg|getaddrinfo|getnameinfo|gethostbyname|gethostbyname2|gethostbyaddr|gethostbyname_r|res_query|res_search|inet_pton|inet_ntop|inet_aton|curl_.*|soup_.*|g_socket_.*|g_resolver_.*|g_network_.*|g_tcp_.*|g_inet_.*|g_dbus_connection_new_for_address.*|g_socket_client_.*|g_network_monitor_.*)(@.*)?$'

objects=$(find "$build/src" \( -name 'libstrata-*.a' -o -path '*/strata.p/*.o' \
                             -o -path '*/strata-report.p/*.o' \) -type f | sort)
if [ -z "$objects" ]; then
  echo "Bail out! no Strata libraries or objects under $build/src (build first)"
  exit 1
fi

n=0
status=0
for f in $objects; do
  n=$((n + 1))
  undefined=$($NM -u "$f" 2>/dev/null | wc -l)
  if [ "$undefined" -eq 0 ]; then
    echo "not ok $n - $name: nm lists no undefined symbol (cannot check)"
    status=1
    continue
  fi
  found=$($NM -u "$f" 2>/dev/null | awk '{print $NF}' | grep -E "$pattern" | sort -u | tr '\n' ' ' || true)
  name=${f#"$build"/}
  if [ -n "$found" ]; then
    echo "not ok $n - $name calls network APIs: $found"
    status=1
  else
    echo "ok $n - $name: no socket, resolver or HTTP symbol"
  fi
done
echo "1..$n"
exit $status
