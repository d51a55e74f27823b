#!/usr/bin/env python3
"""Writes a synthetic cohort of N rows for the benchmarks (deterministic, seed 2026).

Usage: make-cohort.py N OUTPUT.csv
Columns as the demo cohort's main ones: patient_id (a number), disease_site,
bm_blasts_pct, os_months (1 decimal), os_status: about 21 bytes a row, so 1e6 rows
make the ~20 MB file of the benchmark targets.
"""
import random
import sys


def main():
    n = int(sys.argv[1])
    rng = random.Random(2026)
    sites = ["BM"] * 8 + ["EMD", "CNS"]
    with open(sys.argv[2], "w", newline="\n") as out:
        out.write("patient_id,disease_site,bm_blasts_pct,os_months,os_status\n")
        for i in range(n):
            site = rng.choice(sites)
            blasts = 0.0 if rng.random() < 0.3 else round(rng.uniform(0.1, 95), 1)
            hazard = 0.02 * (1.6 if site == "CNS" else 1.3 if site == "EMD" else 1.0) * (1.8 if blasts >= 5 else 1.0)
            death = rng.expovariate(hazard)
            follow = rng.uniform(6, 60)
            time = min(death, follow)
            out.write("%d,%s,%.1f,%.1f,%d\n" % (
                i + 1, site, blasts, max(time, 0.1), 1 if death <= follow else 0))


if __name__ == "__main__":
    main()
