#!/usr/bin/env python3
"""Writes a synthetic cohort of N rows for the benchmarks (deterministic, seed 2026).

Usage: make-cohort.py N OUTPUT.csv
Columns as the demo cohort's main ones: patient_id, age_years, sex, disease_site,
bm_blasts_pct, os_months (1 decimal), os_status, prior_hsct. About 20 bytes a row.
"""
import random
import sys


def main():
    n = int(sys.argv[1])
    rng = random.Random(2026)
    sites = ["BM"] * 8 + ["EMD", "CNS"]
    with open(sys.argv[2], "w", newline="\n") as out:
        out.write("patient_id,age_years,sex,disease_site,bm_blasts_pct,os_months,os_status,prior_hsct\n")
        for i in range(n):
            site = rng.choice(sites)
            blasts = 0.0 if rng.random() < 0.3 else round(rng.uniform(0.1, 95), 1)
            hazard = 0.02 * (1.6 if site == "CNS" else 1.3 if site == "EMD" else 1.0) * (1.8 if blasts >= 5 else 1.0)
            death = rng.expovariate(hazard)
            follow = rng.uniform(6, 60)
            time = min(death, follow)
            out.write("P%07d,%d,%s,%s,%.1f,%.1f,%d,%s\n" % (
                i, rng.randint(1, 26), rng.choice("FM"), site, blasts,
                max(time, 0.1), 1 if death <= follow else 0, rng.choice(("yes", "no"))))


if __name__ == "__main__":
    main()
