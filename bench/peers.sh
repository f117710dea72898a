#!/usr/bin/env bash
# Time oncomark against its peers on the same synthetic data, side by side.
#
#   bash bench/peers.sh [N ...]        (default: 100000 1000000)
#
# Generates bench/data/surv_N.csv once per N (exponential times, p = 5
# covariates, ~30% censored, times rounded so that ties occur), then times
# oncomark (in-process, excluding file reading, which is reported apart),
# R survival (coxph and its C core coxph.fit, survfit, survdiff) and
# lifelines, skipping a peer that is not installed. One JSON line per tool
# and N; paste the figures into BENCHMARKS.md with the machine and date.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
mkdir -p bench/data
cargo build --release --quiet -p oncomark-cli --example bench_peers
bin=target/release/examples/bench_peers
echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(uname -m)"
for n in "${sizes[@]}"; do
  f="bench/data/surv_${n}.csv"
  [ -f "$f" ] || "$bin" gen "$n" "$f"
  "$bin" time "$f" 5
  if command -v Rscript >/dev/null && Rscript -e 'library(survival)' >/dev/null 2>&1; then
    Rscript bench/peers.R "$f" 3
  else
    echo "# R survival not installed: skipped"
  fi
  if python3 -c 'import lifelines' >/dev/null 2>&1; then
    if [ "$n" -le 1000000 ]; then python3 bench/peers.py "$f" 3; else echo "# lifelines skipped above 1e6 rows"; fi
  else
    echo "# lifelines not installed: skipped"
  fi
done
