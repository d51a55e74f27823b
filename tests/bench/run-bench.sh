#!/usr/bin/env bash
# Times strata-report against R (data.table::fread + survival) on the same files, in
# one run, and prints the ratios and both peak memories. Then runs the in-process
# benchmarks (toggle path, import speed).
# Usage: tests/bench/run-bench.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
report="$build/src/cli/strata-report"
work=${BENCH_DIR:-/tmp/strata-bench}
mkdir -p "$work"

need=""
for p in r-base-core r-cran-survival r-cran-data.table time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $need
fi

# peak RSS (KiB) and elapsed seconds of a command, best of 3 runs by time
measure() {
  local best_t="" best_m=""
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" > /dev/null
    read -r t m < "$work/time.txt"
    if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
  done
  echo "$best_t $best_m"
}

printf '%-8s %10s %10s %8s %12s %12s %8s\n' rows strata_s R_s speedup strata_MiB R_MiB mem_ratio
for n in 10000 100000 1000000; do
  csv="$work/cohort-$n.csv"
  [ -f "$csv" ] || python3 "$here/make-cohort.py" "$n" "$csv"
  read -r st sm < <(measure "$report" --time=os_months --event=os_status --by=disease_site --landmarks=12,24,36 "$csv")
  read -r rt rm < <(measure Rscript "$here/survival-bench.R" "$csv")
  awk -v n="$n" -v st="$st" -v rt="$rt" -v sm="$sm" -v rm="$rm" 'BEGIN {
    st = (st < 0.005 ? 0.005 : st);
    printf "%-8d %10.3f %10.3f %7.1fx %12.1f %12.1f %7.2f\n", n, st, rt, rt / st, sm / 1024, rm / 1024, sm / rm }'
done
echo "(elapsed seconds best of 3; /usr/bin/time's resolution is 10 ms)"

echo
"$build/tests/bench/bench-toggle" "$work/cohort-1000000.csv"

echo
csv="$work/cohort-1000000.csv"
read -r whole efron < <("$build/tests/bench/bench-cox" "$csv")
r_cox=$(Rscript "$here/survival-cox.R" "$csv")
awk -v w="$whole" -v e="$efron" -v r="$r_cox" 'BEGIN {
  printf "Cox model, 1e6 rows, 4 groups: R coxph %.3f s; Strata whole analysis %.1f ms (%.0fx), Efron fit alone %.2f ms (%.0fx)\n",
         r, w, r * 1000 / w, e, r * 1000 / e }'

"$build/tests/bench/bench-cuminc" 100000
