#!/usr/bin/env Rscript
# check-demo-cohort.R - development check of the synthetic demo cohort.
#
# Recomputes, with R's survival package, the 19 published figures that
# data/demo-cohort.csv must reproduce (shared/spec/demo-cohort.md) and some integrity
# rules of the file itself. Prints every computed value with PASS/FAIL; exits with
# status 1 if anything fails.
#
# Usage: Rscript tests/check-demo-cohort.R [data/demo-cohort.csv]

suppressPackageStartupMessages(library(survival))

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else "data/demo-cohort.csv"

failures <- 0L
n_checks <- 0L
report <- function(label, shown, expected, ok) {
  n_checks <<- n_checks + 1L
  if (!isTRUE(ok)) failures <<- failures + 1L
  cat(sprintf("%-4s %-52s %-28s published %s\n",
              if (isTRUE(ok)) "PASS" else "FAIL", label, shown, expected))
}
pct <- function(x) sprintf("%.1f", 100 * x)
p3 <- function(x) sprintf("%.3f", x)
check_pct <- function(label, value, published) {
  report(label, sprintf("%s %% (%.6f)", pct(value), 100 * value),
         paste(published, "%"), pct(value) == published)
}
check_p <- function(label, value, published) {
  report(label, sprintf("p = %s (%.6f)", p3(value), value), published, p3(value) == published)
}
check_int <- function(label, value, published) {
  report(label, as.character(value), as.character(published), identical(as.integer(value), as.integer(published)))
}

# ---- read ------------------------------------------------------------------------------
raw <- readBin(path, "raw", file.info(path)$size)
d <- read.csv(path, stringsAsFactors = FALSE, na.strings = character(0),
              colClasses = c(patient_id = "character", sex = "character",
                             disease_site = "character", mrd_day28 = "character",
                             emd_response = "character", prior_hsct = "character"))
cat(sprintf("file: %s (%d rows)\n\n", path, nrow(d)))

km24 <- function(formula, data) {
  s <- summary(survfit(formula, data = data), times = 24, extend = TRUE)
  setNames(s$surv, sub(".*=", "", as.character(s$strata)))
}
logrank_p <- function(formula, data) {
  sd <- survdiff(formula, data = data)
  pchisq(sd$chisq, df = length(sd$n) - 1, lower.tail = FALSE)
}

# ---- the 19 published figures -----------------------------------------------------------
cat("== Published figures ==\n")
# 1-3 cohort sizes
for (s in c("BM", "EMD", "CNS")) {
  check_int(sprintf("cohort size %s", s), sum(d$disease_site == s),
            c(BM = 251, EMD = 21, CNS = 36)[[s]])
}

# 4-7 MRD-negative at day 21-28 among patients with bm_blasts_pct > 0
m <- d[d$bm_blasts_pct > 0, ]
cat(sprintf("     (patients with bm_blasts_pct > 0: %d; with empty mrd_day28: %d)\n",
            nrow(m), sum(m$mrd_day28 == "")))
tab <- table(factor(m$disease_site, levels = c("EMD", "CNS", "BM")),
             factor(m$mrd_day28 == "negative", levels = c(TRUE, FALSE)))
for (s in c("EMD", "CNS", "BM")) {
  neg <- tab[s, "TRUE"]; tot <- sum(tab[s, ])
  rate <- neg / tot
  report(sprintf("MRD-negative %s (bm_blasts_pct > 0)", s),
         sprintf("%d/%d = %s %%", neg, tot, pct(rate)),
         paste(c(EMD = "75.0", CNS = "84.0", BM = "93.4")[[s]], "%"),
         pct(rate) == c(EMD = "75.0", CNS = "84.0", BM = "93.4")[[s]] &&
           all(m$mrd_day28[m$disease_site == s] != ""))
}
check_p("MRD-negative by site, Fisher exact", fisher.test(tab)$p.value, "0.019")

# 8-9 EMD response among evaluable EMD-cohort patients
e <- d[d$disease_site == "EMD" & d$emd_response != "", ]
for (r in c("CR", "PD")) {
  k <- sum(e$emd_response == r)
  report(sprintf("EMD response %s (evaluable n = %d)", r, nrow(e)),
         sprintf("%d/%d = %s %%", k, nrow(e), pct(k / nrow(e))),
         c(CR = "82.4 % (14/17)", PD = "17.6 % (3/17)")[[r]],
         nrow(e) == 17 && pct(k / nrow(e)) == c(CR = "82.4", PD = "17.6")[[r]])
}

# 10-13 24-month OS by disease site, log-rank over the three
os_site <- km24(Surv(os_months, os_status) ~ disease_site, d)
check_pct("24-month OS EMD", os_site[["EMD"]], "66.7")
check_pct("24-month OS CNS", os_site[["CNS"]], "57.0")
check_pct("24-month OS BM", os_site[["BM"]], "71.5")
check_p("OS log-rank over BM/EMD/CNS", logrank_p(Surv(os_months, os_status) ~ disease_site, d), "0.032")

# 14-19 within EMD and within CNS, by marrow burden (>= 5 %)
for (s in c("EMD", "CNS")) {
  sub <- d[d$disease_site == s, ]
  sub$burden <- ifelse(sub$bm_blasts_pct >= 5, "high", "low")
  os_b <- km24(Surv(os_months, os_status) ~ burden, sub)
  pub <- list(EMD = c(low = "100.0", high = "41.7", p = "0.005"),
              CNS = c(low = "92.3", high = "33.3", p = "0.001"))[[s]]
  check_pct(sprintf("24-month OS %s, blasts < 5 %% (n = %d)", s, sum(sub$burden == "low")),
            os_b[["low"]], pub[["low"]])
  check_pct(sprintf("24-month OS %s, blasts >= 5 %% (n = %d)", s, sum(sub$burden == "high")),
            os_b[["high"]], pub[["high"]])
  check_p(sprintf("OS log-rank %s, < 5 %% vs >= 5 %%", s),
          logrank_p(Surv(os_months, os_status) ~ burden, sub), pub[["p"]])
}
n_figures <- n_checks
figure_failures <- failures

# ---- integrity of the file --------------------------------------------------------------
cat("\n== File integrity ==\n")
expected_cols <- c("patient_id", "age_years", "sex", "disease_site", "bm_blasts_pct",
                   "mrd_day28", "emd_response", "os_months", "os_status", "efs_months",
                   "efs_status", "relapse_months", "relapse_status", "prior_hsct")
report("columns and order", paste(ncol(d), "columns"), "spec", identical(names(d), expected_cols))
report("LF line endings, no CR, ends with newline", if (any(raw == as.raw(13))) "CR found" else "LF only",
       "LF", !any(raw == as.raw(13)) && raw[length(raw)] == as.raw(10))
report("no comment lines / quotes", "", "plain CSV", !any(raw == charToRaw("#")) && !any(raw == charToRaw("\"")))
report("patient_id unique DEMO-nnn", sprintf("%d unique", length(unique(d$patient_id))), "308",
       !anyDuplicated(d$patient_id) && all(grepl("^DEMO-[0-9]{3}$", d$patient_id)))
report("age_years in 1..26 (integer)", sprintf("%g..%g", min(d$age_years), max(d$age_years)), "1..26",
       all(d$age_years >= 1 & d$age_years <= 26 & d$age_years == round(d$age_years)))
report("sex F/M", paste(names(table(d$sex)), table(d$sex), sep = "=", collapse = " "), "F, M",
       all(d$sex %in% c("F", "M")))
report("disease_site BM/EMD/CNS", "", "BM, EMD, CNS", all(d$disease_site %in% c("BM", "EMD", "CNS")))
report("bm_blasts_pct in 0..100", sprintf("%g..%g", min(d$bm_blasts_pct), max(d$bm_blasts_pct)), "0..100",
       all(d$bm_blasts_pct >= 0 & d$bm_blasts_pct <= 100))
report("mrd_day28 negative/positive/empty",
       paste(sprintf("'%s'", names(table(d$mrd_day28))), table(d$mrd_day28), sep = "=", collapse = " "), "",
       all(d$mrd_day28 %in% c("negative", "positive", "")))
report("emd_response only in EMD cohort, CR/PR/SD/PD", "", "",
       all(d$emd_response %in% c("CR", "PR", "SD", "PD", "")) &&
         all(d$emd_response[d$disease_site != "EMD"] == ""))
report("times > 0", sprintf("min os %.1f", min(d$os_months)), "> 0",
       all(d$os_months > 0 & d$efs_months > 0 & d$relapse_months > 0))
report("statuses coded", "", "0/1, 0/1, 0/1/2",
       all(d$os_status %in% 0:1 & d$efs_status %in% 0:1 & d$relapse_status %in% 0:2))
report("efs_months <= os_months", "", "",
       all(d$efs_months <= d$os_months))
report("death => EFS event at or before death", "", "",
       all(d$efs_status[d$os_status == 1] == 1))
report("relapse_months <= os_months", "", "", all(d$relapse_months <= d$os_months))
report("relapse_status 2 => died, at the death time", sprintf("%d", sum(d$relapse_status == 2)), "",
       all(d$os_status[d$relapse_status == 2] == 1 &
             d$relapse_months[d$relapse_status == 2] == d$os_months[d$relapse_status == 2]))
report("relapse_status 1 => EFS event at relapse", sprintf("%d", sum(d$relapse_status == 1)), "",
       all(d$efs_status[d$relapse_status == 1] == 1 &
             d$efs_months[d$relapse_status == 1] == d$relapse_months[d$relapse_status == 1]))
report("relapse_status 0 => alive, event-free", sprintf("%d", sum(d$relapse_status == 0)), "",
       all(d$os_status[d$relapse_status == 0] == 0 & d$efs_status[d$relapse_status == 0] == 0))
report("prior_hsct yes/no",
       sprintf("yes %d (%.1f %%)", sum(d$prior_hsct == "yes"), 100 * mean(d$prior_hsct == "yes")), "~40 %",
       all(d$prior_hsct %in% c("yes", "no")))
report("no time exactly at the 24-month landmark", "", "", !any(d$os_months == 24))

# ---- descriptive, for eyeballing ----------------------------------------------------------
cat("\n== Descriptive (not checked) ==\n")
cat(sprintf("deaths %d (%d within 24 months), follow-up of survivors %.1f..%.1f months (median %.1f), censored before 12 months: %d\n",
            sum(d$os_status), sum(d$os_status == 1 & d$os_months <= 24),
            min(d$os_months[d$os_status == 0]), max(d$os_months[d$os_status == 0]),
            median(d$os_months[d$os_status == 0]), sum(d$os_status == 0 & d$os_months < 12)))
cat(sprintf("median age %g; tied os_months values: %d\n", median(d$age_years),
            sum(duplicated(d$os_months))))

cat(sprintf("\n%d/%d published figures pass; %d/%d checks pass in all\n",
            n_figures - figure_failures, n_figures, n_checks - failures, n_checks))
if (failures > 0) quit(status = 1)
