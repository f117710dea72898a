"""Generate the example assay files of this folder (simulated data shaped
like Figs. 3B, 4B-D of Huang et al., Cancer Res 2009, the seed study:
beta1-integrin and trastuzumab in HER2-positive breast cancer cells).

Every number is simulated from the model below with a fixed seed; none is
data from the paper. Run:  python3 generate_examples.py  (Python 3.11,
numpy). Rerunning rewrites the same files byte for byte.
"""
import os

import numpy as np

rng = np.random.default_rng(20090301)
HERE = os.path.dirname(os.path.abspath(__file__))

CELL_LINES = ["SKBR3", "BT474", "JIMT-1"]
# (label, trastuzumab ug/mL, AIIB2 ug/mL, IgG ug/mL)
CONDITIONS = [
    ("untreated", 0, 0, 0),
    ("IgG 10", 0, 0, 10),
    ("Tz 1", 1, 0, 0),
    ("Tz 10", 10, 0, 0),
    ("AIIB2 10", 0, 10, 0),
    ("Tz 10 + AIIB2 10", 10, 10, 0),
]
# true viability (% of untreated) by cell line and condition: the two
# trastuzumab-sensitive lines respond to Tz, JIMT-1 (beta1-high, resistant)
# responds only to the combination
TRUE_VIABILITY = {
    "SKBR3": [100, 99, 72, 61, 96, 57],
    "BT474": [100, 100, 68, 55, 97, 52],
    "JIMT-1": [100, 98, 96, 91, 88, 63],
}


def fmt(x, digits=3):
    return f"{x:.{digits}f}"


def xtt_plate(exp):
    """One 96-well plate: rows B-C SKBR3, D-E BT474, F-G JIMT-1; columns
    2-10 three wells per condition; column 11 medium-only blanks; the edge
    wells are left empty (filled with PBS against evaporation)."""
    rows, cols = "ABCDEFGH", 12
    grid = {k: [["" for _ in range(cols)] for _ in rows] for k in
            ("absorbance", "treatment", "trastuzumab", "aiib2", "cell_line", "role", "experiment")}
    blank_level = 0.105 + rng.normal(0, 0.004)
    for li, line in enumerate(CELL_LINES):
        # the experiment's cell density differs between lines and days
        control_od = 1.15 + 0.1 * li + rng.normal(0, 0.06)
        # biological (day-to-day) variation of each condition's effect
        day_effect = rng.normal(0, 3.0, len(CONDITIONS))
        for ci, (label, tz, aiib2, igg) in enumerate(CONDITIONS):
            r = 1 + 2 * li + ci // 3
            c0 = 1 + 3 * (ci % 3)
            v = (TRUE_VIABILITY[line][ci] + (day_effect[ci] if ci > 0 else 0)) / 100
            for k in range(3):
                c = c0 + k
                signal = (control_od - blank_level) * v + blank_level
                grid["absorbance"][r][c] = fmt(signal * (1 + rng.normal(0, 0.035)))
                grid["treatment"][r][c] = label
                grid["trastuzumab"][r][c] = str(tz)
                grid["aiib2"][r][c] = str(aiib2)
                grid["cell_line"][r][c] = line
                grid["role"][r][c] = "control" if label == "untreated" else "sample"
                grid["experiment"][r][c] = f"exp{exp}"
        for r in (1 + 2 * li, 2 + 2 * li):
            c = 10
            grid["absorbance"][r][c] = fmt(blank_level + rng.normal(0, 0.005))
            grid["treatment"][r][c] = "medium"
            grid["role"][r][c] = "blank"
            grid["experiment"][r][c] = f"exp{exp}"
    out = []
    for name in ("absorbance", "treatment", "trastuzumab", "aiib2", "cell_line", "role", "experiment"):
        out.append(",".join([name] + [str(i) for i in range(1, cols + 1)]))
        for ri, letter in enumerate(rows):
            out.append(",".join([letter] + grid[name][ri]))
        out.append("")
    return "\n".join(out[:-1]) + "\n"


def clonogenic():
    """Colony-formation assay as Fig. 4C: three lines, IgG control, AIIB2,
    Tz, Tz + AIIB2 (10 ug/mL each), 12-14 days, triplicate dishes, three
    experiments. Colonies are Poisson around plated x PE x SF."""
    true_sf = {
        "SKBR3-EV": {"IgG": 1.0, "AIIB2": 0.93, "Tz": 0.48, "Tz + AIIB2": 0.45},
        "SKBR3-b1C1": {"IgG": 1.0, "AIIB2": 0.90, "Tz": 0.82, "Tz + AIIB2": 0.46},
        "JIMT-1": {"IgG": 1.0, "AIIB2": 0.78, "Tz": 0.86, "Tz + AIIB2": 0.41},
    }
    pe = {"SKBR3-EV": 0.42, "SKBR3-b1C1": 0.38, "JIMT-1": 0.55}
    lines = ["cell_line,experiment,treatment,dish,cells_plated,colonies"]
    for line, sfs in true_sf.items():
        for exp in (1, 2, 3):
            pe_day = pe[line] * np.exp(rng.normal(0, 0.12))
            for t, sf in sfs.items():
                sf_day = sf * np.exp(rng.normal(0, 0.08)) if t != "IgG" else 1.0
                for dish in (1, 2, 3):
                    plated = 500
                    lam = plated * pe_day * sf_day
                    lines.append(f"{line},exp{exp},{t},{dish},{plated},{rng.poisson(lam)}")
    return "\n".join(lines) + "\n"


def blot():
    """Immunoblot densitometry as Fig. 4B: JIMT-1 treated 24 h with IgG,
    AIIB2, Tz or Tz + AIIB2 (10 ug/mL); pAkt-S473 / total Akt and
    pERK1/2 / total ERK1/2; three blots from independent experiments.
    Intensities are integrated band volumes (arbitrary units)."""
    fold = {
        "pAkt-S473": {"IgG": 1.0, "AIIB2": 0.92, "Tz": 0.88, "Tz + AIIB2": 0.38},
        "pERK1/2": {"IgG": 1.0, "AIIB2": 0.85, "Tz": 0.95, "Tz + AIIB2": 0.45},
    }
    loading = {"pAkt-S473": "total Akt", "pERK1/2": "total ERK1/2"}
    lines = ["blot,lane,cell_line,treatment,target,target_intensity,loading_control,loading_intensity"]
    for b in (1, 2, 3):
        for target, fc in fold.items():
            base = 14000 * np.exp(rng.normal(0, 0.25))
            for lane, (t, f) in enumerate(fc.items(), start=1):
                load = 21000 * np.exp(rng.normal(0, 0.10))
                tgt = base * f * np.exp(rng.normal(0, 0.12)) * load / 21000
                lines.append(f"blot{b},{lane},JIMT-1,{t},{target},{tgt:.0f},{loading[target]},{load:.0f}")
    return "\n".join(lines) + "\n"


def checkerboard():
    """XTT checkerboard of trastuzumab x AIIB2 in JIMT-1 (72 h), viability in
    % of untreated, mean of triplicate wells, three experiments, as behind
    Supplementary Fig. S3 (Chou-Talalay isobologram). The diagonal is a
    constant 1:1 ratio. Surface: Bliss independence of two Hill curves plus
    a synergy term."""
    tz_doses = [0, 0.1, 1, 10, 100]
    ab_doses = [0, 0.1, 1, 10]

    def hill(d, emax, ec50, h):
        return 0 if d == 0 else emax * d ** h / (d ** h + ec50 ** h)
    lines = ["experiment,cell_line,trastuzumab,aiib2,viability"]
    for exp in (1, 2, 3):
        shift = rng.normal(0, 2.0)
        for tz in tz_doses:
            for ab in ab_doses:
                fa1 = hill(tz, 0.45, 3.0, 0.9)
                fa2 = hill(ab, 0.50, 2.0, 1.0)
                fa = fa1 + fa2 - fa1 * fa2
                fa += 0.9 * np.sqrt(fa1 * fa2) * (1 - fa)
                v = 100 * (1 - fa)
                if tz or ab:
                    v += shift + rng.normal(0, 2.5)
                lines.append(f"exp{exp},JIMT-1,{tz},{ab},{v:.1f}")
    return "\n".join(lines) + "\n"


def main():
    for exp in (1, 2, 3):
        with open(os.path.join(HERE, f"xtt_exp{exp}.csv"), "w") as f:
            f.write(xtt_plate(exp))
    with open(os.path.join(HERE, "clonogenic.csv"), "w") as f:
        f.write(clonogenic())
    with open(os.path.join(HERE, "blot_densitometry.csv"), "w") as f:
        f.write(blot())
    with open(os.path.join(HERE, "synergy_checkerboard.csv"), "w") as f:
        f.write(checkerboard())


if __name__ == "__main__":
    main()
