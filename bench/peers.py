"""lifelines side of bench/peers.sh: time lifelines on the same CSV.

Usage: python3 bench/peers.py data.csv [reps]
"""
import json
import sys
import time

import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import logrank_test


def best(reps, f):
    out = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        out = min(out, time.perf_counter() - t0)
    return out


def main():
    path = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    t0 = time.perf_counter()
    d = pd.read_csv(path)
    read = time.perf_counter() - t0
    a, b = d[d.group == "a"], d[d.group == "b"]

    def km():
        for g in (a, b):
            KaplanMeierFitter().fit(g.time, g.status)

    def lr():
        return logrank_test(a.time, b.time, a.status, b.status)

    cols = ["time", "status", "x1", "x2", "x3", "x4", "x5"]

    def cox():
        return CoxPHFitter().fit(d[cols], "time", "status")

    res = {"tool": "lifelines " + __import__("lifelines").__version__, "n": len(d),
           "read_csv": read, "km": best(reps, km), "logrank": best(reps, lr),
           "cox_efron": best(1, cox), "logrank_chisq": lr().test_statistic}
    print(json.dumps(res))


if __name__ == "__main__":
    main()
