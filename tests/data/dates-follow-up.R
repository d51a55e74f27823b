# dates-follow-up.R: R's reading of dates-follow-up.csv, the reference for the time
# derived from a start date, an event date and a last-contact date (test-dates.c).
#   end   = death_date when present (event), else last_contact (censored)
#   time  = as.numeric(end - infusion_date) in days; / 30.4375 in months
# Rows with no start, no end, or an end before the start are left out.
# Run: Rscript tests/data/dates-follow-up.R > tests/data/dates-follow-up.json
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
d <- read.csv("tests/data/dates-follow-up.csv", colClasses = "character", na.strings = "")
start <- as.Date(d$infusion_date)
death <- as.Date(d$death_date)
last <- as.Date(d$last_contact)
end <- ifelse(is.na(death), last, death)
days <- as.numeric(end - as.numeric(start))
event <- as.integer(!is.na(death))
keep <- !is.na(days) & days >= 0
fit_rows <- data.frame(id = d$id[keep], site = d$site[keep], days = days[keep],
                       months = days[keep] / 30.4375, event = event[keep])
# Numbers as %.17g so that they read back as the doubles R computed.
num <- function(x) structure(paste0("[", paste(ifelse(is.na(x), "null", sprintf("%.17g", x)),
                                               collapse = ", "), "]"), class = "json")
km <- function(fit_time, by) {
  fit <- survfit(Surv(fit_time, fit_rows$event) ~ by, conf.type = "log-log")
  s <- summary(fit, censored = TRUE)
  lapply(levels(s$strata), function(level) {
    i <- s$strata == level
    list(label = sub("^by=", "", level), time = num(s$time[i]), n_risk = num(s$n.risk[i]),
         n_event = num(s$n.event[i]), n_censor = num(s$n.censor[i]), surv = num(s$surv[i]),
         std_err = num(s$std.err[i]), lower = num(s$lower[i]), upper = num(s$upper[i]))
  })
}
out <- list(r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
            id = fit_rows$id, days = num(fit_rows$days), months = num(fit_rows$months),
            event = num(fit_rows$event), excluded_ids = d$id[!keep],
            months_by_site = km(fit_rows$months, fit_rows$site),
            days_by_site = km(fit_rows$days, fit_rows$site))
cat(toJSON(out, auto_unbox = TRUE, pretty = TRUE, json_verbatim = TRUE), "\n")
