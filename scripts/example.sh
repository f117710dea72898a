#!/usr/bin/env bash
# The README's first command: Kaplan-Meier, log-rank and Cox on the bundled
# GBSG2 cohort (686 women with node-positive breast cancer; TH.data GBSG2).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin oncomark
bin=target/release/oncomark
data=examples/gbsg2.csv
echo "### oncomark km: recurrence-free survival by hormone therapy"
"$bin" km --data "$data" --time time --event cens --group horTh --times 365,730,1825
echo
echo "### oncomark logrank: by tumour grade, with the test for trend"
"$bin" logrank --data "$data" --time time --event cens --group tgrade --trend
echo
echo "### oncomark cox: multivariable model"
"$bin" cox --data "$data" --time time --event cens \
  --covariates horTh,age,menostat,tsize,tgrade,pnodes,progrec,estrec
