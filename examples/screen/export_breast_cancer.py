"""Export scikit-survival's breast cancer cohort (GEO GSE7390, Desmedt et al.
2007) as the two tables of `oncomark screen`: clinical.csv and markers.csv.

Run once, from this folder, with scikit-survival installed:

    python3 export_breast_cancer.py .

Output (written next to this script unless a folder is given):

* clinical.csv: id, time (days to distant metastasis or last follow-up),
  event (1 = distant metastasis), age, size (tumour size, cm), grade, er.
  The source's grade level "unkown" (sic) is written as NA.
* markers.csv: id and the 76 Affymetrix probe sets (log2 expression, as in
  the source), one row per patient, in the same order as clinical.csv.

Patient ids P001..P198 follow the row order of the source ARFF file (which
carries no GEO sample ids). Numbers are written with Python's shortest
round-trip repr (whole numbers without ".0"), so they read back to the
same doubles.
"""

import csv
import sys
from pathlib import Path

import sksurv
from sksurv.datasets import load_breast_cancer


def main(out: Path) -> None:
    x, y = load_breast_cancer()
    n = len(y)
    ids = [f"P{i + 1:03d}" for i in range(n)]
    genes = [c for c in x.columns if c.startswith("X")]
    assert len(genes) == 76 and n == 198, (len(genes), n)

    def fmt(v: float) -> str:
        v = float(v)
        return str(int(v)) if v.is_integer() else repr(v)

    with open(out / "clinical.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "time", "event", "age", "size", "grade", "er"])
        for i in range(n):
            grade = str(x["grade"].iloc[i])
            w.writerow(
                [
                    ids[i],
                    fmt(y["t.tdm"][i]),
                    int(bool(y["e.tdm"][i])),
                    fmt(x["age"].iloc[i]),
                    fmt(x["size"].iloc[i]),
                    "NA" if grade == "unkown" else grade,
                    str(x["er"].iloc[i]),
                ]
            )
    with open(out / "markers.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id"] + genes)
        for i in range(n):
            w.writerow([ids[i]] + [fmt(x[g].iloc[i]) for g in genes])
    print(f"scikit-survival {sksurv.__version__}: {n} patients, {len(genes)} genes, "
          f"{int(y['e.tdm'].sum())} events")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
