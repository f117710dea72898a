# R side of bench/peers.sh: time R survival on the same CSV as oncomark.
# Usage: Rscript bench/peers.R data.csv [reps]
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
reps <- if (length(args) > 1) as.integer(args[2]) else 3
t_read <- system.time(d <- read.csv(args[1]))[["elapsed"]]
best <- function(f) min(replicate(reps, system.time(f())[["elapsed"]]))
S <- Surv(d$time, d$status)
km <- best(function() survfit(S ~ d$group))
lr <- best(function() survdiff(S ~ d$group))
cx <- best(function() coxph(S ~ x1 + x2 + x3 + x4 + x5, data = d))
X <- as.matrix(d[, c("x1", "x2", "x3", "x4", "x5")])
core <- best(function() coxph.fit(X, S, strata = NULL, offset = NULL, init = NULL,
  control = coxph.control(), weights = NULL, method = "efron", rownames = NULL))
f <- coxph(S ~ x1 + x2 + x3 + x4 + x5, data = d)
cat(sprintf('{"tool":"R survival %s","n":%d,"read_csv":%.4f,"km":%.4f,"logrank":%.4f,"cox_efron":%.4f,"cox_efron_core":%.4f,"logrank_chisq":%.6f,"cox_coef1":%.6f,"cox_loglik":%.4f}\n',
  as.character(packageVersion("survival")), nrow(d), t_read, km, lr, cx, core,
  survdiff(S ~ d$group)$chisq, coef(f)[1], f$loglik[2]))
