# The R side of the Cox benchmark: coxph on the same 4 groups (site BM/EMD x burden).
# Prints the median elapsed seconds of 3 coxph() calls (Efron ties, R's default).
# Usage: Rscript survival-cox.R FILE.csv
suppressPackageStartupMessages({ library(data.table); library(survival) })
d <- fread(commandArgs(trailingOnly = TRUE)[1])
d <- d[disease_site %in% c("BM", "EMD")]
d[, group := interaction(disease_site, bm_blasts_pct >= 5)]
times <- replicate(3, system.time(coxph(Surv(os_months, os_status) ~ group, data = d))[["elapsed"]])
cat(median(times), "\n")
