# Writes the SPSS, Stata, SAS and SAS transport fixtures of tests/test-formats.c with R haven,
# an independent writer, from aml-dates.csv (made by make-fixtures.py): arm becomes a
# labelled number (1 = Maintained, 2 = Nonmaintained), start and end dates, and every
# variable a label. Run from this folder: Rscript make-fixtures.R
library(haven)

d <- read.csv("aml-dates.csv", stringsAsFactors = FALSE)
d$start <- as.Date(d$start)
d$end <- as.Date(d$end)
d$arm <- labelled(ifelse(d$arm == "Maintained", 1, 2),
                  c(Maintained = 1, Nonmaintained = 2), label = "Treatment arm")
attr(d$time, "label") <- "Weeks to relapse or censoring"
attr(d$event, "label") <- "Relapse (1) or censored (0)"
attr(d$start, "label") <- "Start of maintenance"

write_sav(d, "aml.sav")
write_sav(d, "aml.zsav", compress = "zsav")
write_dta(d, "aml.dta", version = 15)
# SAS transport files hold no value labels: arm stays 1 and 2 there
write_xpt(d, "aml.xpt", version = 8)
# nor do SAS data sets (write_sas() is deprecated but still writes a file that
# read_sas() and ReadStat read back)
write_sas(d, "aml.sas7bdat")
