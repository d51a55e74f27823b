#!/usr/bin/python3
"""Import time and peak memory of a 1e6-row, 5-column .xlsx (target: at most 3 s and
300 MiB), beside openpyxl's read-only mode on the same file, in one run.

Usage: bench-xlsx.py BUILD_DIR [ROWS]   (BUILD_DIR holds tests/bench/bench-load-file)

The workbook is written once with openpyxl's write-only mode to
/tmp/strata-bench-ROWS.xlsx: a text id (P0000001, unique), a number, a categorical
arm, an integer 0/1 event and a date cell. Peak RSS and the processor time (user +
system, all threads) are measured with /usr/bin/time; the load average is printed
with them, since on a busy machine the wall time says more about the others."""
import datetime
import os
import subprocess
import sys
import time

import openpyxl


def make(path, rows):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("cohort")
    ws.append(["id", "months", "arm", "event", "start"])
    base = datetime.date(2015, 1, 1)
    arms = ["A", "B", "C"]
    for i in range(rows):
        ws.append([f"P{i + 1:07d}", (i * 7919 % 1200) / 10, arms[i % 3], i % 2,
                   base + datetime.timedelta(days=i % 3000)])
    wb.save(path)


def measure(argv):
    """Wall time (s), peak RSS (MiB), the output, and the processor time (s)."""
    t = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-f", "%M %U %S"] + argv, capture_output=True,
                       text=True)
    wall = time.monotonic() - t
    if r.returncode != 0:
        sys.exit(f"{argv[0]} failed: {r.stderr}")
    rss, user, system = r.stderr.strip().splitlines()[-1].split()
    return wall, int(rss) / 1024, r.stdout.strip(), float(user) + float(system)


def main():
    build = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    path = f"/tmp/strata-bench-{rows}.xlsx"
    if not os.path.exists(path):
        t = time.monotonic()
        make(path, rows)
        print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB) in {time.monotonic() - t:.0f} s")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} processors)")
    best = None
    for _ in range(3):
        run = measure([os.path.join(build, "tests", "bench", "bench-load-file"), path])
        best = run if best is None or run[0] < best[0] else best
    print(f"strata  import: {best[0]:.2f} s wall, {best[3]:.2f} s processor, "
          f"peak RSS {best[1]:.0f} MiB  ({best[2]})")
    print(f"target  import: <= 3 s, <= 300 MiB: "
          f"{'met' if best[0] <= 3 and best[1] <= 300 else 'NOT met'}")
    code = ("import openpyxl,sys\n"
            "wb=openpyxl.load_workbook(sys.argv[1],read_only=True)\n"
            "n=sum(1 for _ in wb.active.iter_rows(values_only=True))\n"
            "print(n-1,'rows')\n")
    wall, rss, out, cpu = measure([sys.executable, "-c", code, path])
    print(f"openpyxl read-only: {wall:.2f} s wall, {cpu:.2f} s processor, "
          f"peak RSS {rss:.0f} MiB  ({out})")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
