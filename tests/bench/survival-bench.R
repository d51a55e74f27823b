# The R side of the benchmark: the same analysis strata-report runs.
# Usage: Rscript survival-bench.R FILE.csv
suppressPackageStartupMessages({ library(data.table); library(survival) })
f <- commandArgs(trailingOnly = TRUE)[1]
d <- fread(f)
fit <- survfit(Surv(os_months, os_status) ~ disease_site, data = d)
s <- summary(fit, times = c(12, 24, 36), extend = TRUE)
print(fit)
print(s)
print(survdiff(Surv(os_months, os_status) ~ disease_site, data = d))
