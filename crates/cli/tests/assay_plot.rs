//! `oncomark assay ... --plot`: the figures parse, hold no NaN or infinity,
//! and draw the verb's own numbers at the right places. Positions are read
//! back through the axes (tick labels and their pixel positions), so a
//! test checks the figure, not the renderer's internals.
//!
//! Data: the example files of examples/assay/ (simulated), drc's
//! `ryegrass` (R drc 3.0-1), Chou, Motzer, Tong and Bosl (JNCI 86:1517,
//! 1994) and CFAssay's example survival curves
//! (tests/fixtures/assay/cfassay_expl1_cellsurvcurves.csv). The figures of
//! docs/figures/assay-*.svg are checked to be current
//! (`ONCOMARK_BLESS=1 cargo test -p oncomark-cli --test assay_plot`
//! rewrites them).

use std::path::{Path, PathBuf};
use std::process::Command;

use oncomark_report::format::p_label;
use oncomark_testkit::{assert_close, fixture, tol};
use roxmltree::{Document, Node};
use serde_json::Value;

mod common;

/// Font size of every figure (oncomark-report's default style): the
/// baseline of a y tick label lies 0.35 em below its tick.
const FONT: f64 = 14.0;

/// A position read back through an axis: the two ticks that define the
/// axis and the mark itself are each printed to 0.01 px.
const AXIS_PX: f64 = 3.0 * tol::SVG_PX;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn oncomark(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_oncomark"))
        .args(args)
        .output()
        .expect("run oncomark");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run with `--format json`; it must succeed.
fn run_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let r = oncomark(&all);
    assert_eq!(r.code, 0, "oncomark {args:?} failed: {}", r.stderr);
    serde_json::from_str(&r.stdout).expect("valid JSON")
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/assay")
        .join(name)
        .to_str()
        .expect("path")
        .to_string()
}

fn plates() -> String {
    (1..=3)
        .map(|k| example(&format!("xtt_exp{k}.csv")))
        .collect::<Vec<_>>()
        .join(",")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("path")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// drc's `ryegrass` data (R package drc 3.0-1).
fn ryegrass_csv() -> String {
    let mut s = String::from("conc,rootl\n");
    for (c, r) in common::lab::ryegrass() {
        s.push_str(&format!("{c},{r}\n"));
    }
    s
}

/// The CFAssay example survival data with the flags naming its columns.
fn cfassay_args(data: &Path) -> Vec<String> {
    [
        "assay",
        "clonogenic",
        "--data",
        s(data),
        "--experiment",
        "Exp",
        "--cell-line",
        "cline",
        "--dose",
        "dose",
        "--cells-plated",
        "ncells",
        "--colonies",
        "ncolonies",
        "--lq",
        "ml",
    ]
    .map(String::from)
    .to_vec()
}

// ---- reading figures ---------------------------------------------------

/// Reads a written SVG: it parses, holds no NaN or infinity, and every
/// coordinate is a finite number.
fn read_svg(path: &Path) -> String {
    let svg = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the figure {} was not written: {e}", path.display()));
    assert!(svg.starts_with("<svg"), "not an SVG: {}", path.display());
    for bad in ["NaN", "inf\"", "\"inf", "Infinity"] {
        assert!(!svg.contains(bad), "{} contains {bad:?}", path.display());
    }
    let doc = Document::parse(&svg).expect("well-formed SVG");
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in [
            "x", "y", "x1", "y1", "x2", "y2", "width", "height", "cx", "cy", "r",
        ] {
            if let Some(v) = n.attribute(a) {
                let x: f64 = v.parse().expect("numeric attribute");
                assert!(x.is_finite());
            }
        }
        if let Some(d) = n.attribute("d") {
            for t in d.split(' ') {
                let t = t.trim_start_matches(['M', 'L', 'H', 'V', 'Z']);
                if !t.is_empty() {
                    let x: f64 = t.parse().expect("numeric path coordinate");
                    assert!(x.is_finite());
                }
            }
        }
    }
    svg
}

fn attr(n: Node, a: &str) -> f64 {
    n.attribute(a)
        .unwrap_or_else(|| panic!("<{}> has no {a}", n.tag_name().name()))
        .parse()
        .expect("number")
}

/// The groups `<g class="class">`, in document order.
fn groups<'a, 'i>(doc: &'a Document<'i>, class: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some(class))
        .collect()
}

/// The texts directly or deeply inside `n`.
fn texts(n: Node) -> Vec<String> {
    n.descendants()
        .filter(|c| c.has_tag_name("text"))
        .map(|c| {
            c.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect::<String>()
        })
        .collect()
}

/// A number as the figures print it (minus sign U+2212).
fn parse_label(t: &str) -> Option<f64> {
    t.replace('\u{2212}', "-").parse().ok()
}

/// An axis read from its numeric tick labels: data value <-> px.
struct Axis {
    /// (px, value) of the first and last labelled tick.
    a: (f64, f64),
    b: (f64, f64),
    log: bool,
}

impl Axis {
    fn t(&self, v: f64) -> f64 {
        if self.log {
            v.log10()
        } else {
            v
        }
    }
    /// The pixel of data value `v`.
    fn px(&self, v: f64) -> f64 {
        let (ta, tb) = (self.t(self.a.1), self.t(self.b.1));
        self.a.0 + (self.t(v) - ta) / (tb - ta) * (self.b.0 - self.a.0)
    }
    /// The data value at pixel `p`.
    fn value(&self, p: f64) -> f64 {
        let (ta, tb) = (self.t(self.a.1), self.t(self.b.1));
        let t = ta + (p - self.a.0) / (self.b.0 - self.a.0) * (tb - ta);
        if self.log {
            10f64.powf(t)
        } else {
            t
        }
    }
}

/// The axis of the group `class` (`x-axis` or `y-axis`) from its numeric
/// labels; `positive` keeps only labels > 0 (a dose-0 slot is not on the
/// log axis).
fn axis(doc: &Document, class: &str, log: bool, positive: bool) -> Axis {
    let g = groups(doc, class)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {class}"));
    let mut ticks: Vec<(f64, f64)> = g
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| {
            let v = parse_label(n.text()?)?;
            let p = if class == "x-axis" {
                attr(n, "x")
            } else {
                attr(n, "y") - 0.35 * FONT
            };
            (!positive || v > 0.0).then_some((p, v))
        })
        .collect();
    ticks.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert!(ticks.len() >= 2, "{class}: fewer than 2 labelled ticks");
    Axis {
        a: ticks[0],
        b: *ticks.last().expect("tick"),
        log,
    }
}

/// Centre of a point mark (circle or square).
fn centre(n: Node) -> (f64, f64) {
    match n.tag_name().name() {
        "circle" => (attr(n, "cx"), attr(n, "cy")),
        "rect" => (
            attr(n, "x") + attr(n, "width") / 2.0,
            attr(n, "y") + attr(n, "height") / 2.0,
        ),
        other => panic!("not a point mark: <{other}>"),
    }
}

fn marks<'a, 'i>(g: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    g.descendants()
        .filter(|n| n.has_tag_name("circle") || n.has_tag_name("rect"))
        .collect()
}

fn lines<'a, 'i>(g: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    g.descendants().filter(|n| n.has_tag_name("line")).collect()
}

#[track_caller]
fn assert_px(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= AXIS_PX,
        "{what}: drawn at {got} px, expected {want} px"
    );
}

/// The dashed horizontal reference line of a bar chart: its y in px.
fn reference_line(doc: &Document) -> f64 {
    let l = doc
        .descendants()
        .find(|n| n.has_tag_name("line") && n.attribute("stroke-dasharray").is_some())
        .expect("a dashed reference line");
    assert_eq!(attr(l, "y1"), attr(l, "y2"));
    attr(l, "y1")
}

// ---- bar charts --------------------------------------------------------

/// The bars of a chart: (label, bar top or bottom y, error line, point
/// ys).
struct DrawnBar {
    label: String,
    /// y of the bar's end away from 0.
    end: f64,
    /// (y1, y2) of the vertical error line.
    error: Option<(f64, f64)>,
    points: Vec<f64>,
}

fn bars(doc: &Document, zero_px: f64) -> Vec<DrawnBar> {
    groups(doc, "bar")
        .into_iter()
        .map(|g| {
            let rects: Vec<Node> = g.children().filter(|n| n.has_tag_name("rect")).collect();
            assert_eq!(rects.len(), 1, "one rectangle per bar");
            let (y, h) = (attr(rects[0], "y"), attr(rects[0], "height"));
            let end = if (y - zero_px).abs() < 0.02 { y + h } else { y };
            let error = lines(g)
                .into_iter()
                .find(|l| attr(*l, "x1") == attr(*l, "x2"))
                .map(|l| (attr(l, "y1"), attr(l, "y2")));
            let mut points: Vec<f64> = g
                .children()
                .filter(|n| n.has_tag_name("circle"))
                .map(|n| attr(n, "cy"))
                .collect();
            points.sort_by(f64::total_cmp);
            DrawnBar {
                label: texts(g).join(""),
                end,
                error,
                points,
            }
        })
        .collect()
}

/// Checks every bar against the conditions of the JSON: label, mean,
/// error half-width (`sd` or `sem`) and one point per experiment.
fn check_bars(doc: &Document, conds: &[(String, f64, f64, Vec<f64>)]) {
    let y = axis(doc, "y-axis", false, false);
    let drawn = bars(doc, y.px(0.0));
    assert_eq!(drawn.len(), conds.len(), "one bar per condition");
    for (b, (label, mean, err, values)) in drawn.iter().zip(conds) {
        assert_eq!(&b.label, label);
        assert_px(&format!("{label} mean"), b.end, y.px(*mean));
        let (y1, y2) = b.error.expect("an error bar");
        assert_px(&format!("{label} mean - error"), y1, y.px(mean - err));
        assert_px(&format!("{label} mean + error"), y2, y.px(mean + err));
        assert_eq!(b.points.len(), values.len(), "{label}: one point each");
        let mut want: Vec<f64> = values.iter().map(|v| y.px(*v)).collect();
        want.sort_by(f64::total_cmp);
        for (g, w) in b.points.iter().zip(&want) {
            assert_px(&format!("{label} point"), *g, *w);
        }
    }
}

/// The bracket texts, sorted.
fn bracket_labels(doc: &Document) -> Vec<String> {
    let mut v: Vec<String> = groups(doc, "bracket")
        .into_iter()
        .map(|g| texts(g).join(""))
        .collect();
    v.sort();
    v
}

/// The P a bracket must print for a JSON comparison row (docs/cli-assay.md,
/// "Figures"): a row against a normalised control its one-sample P (none
/// with an adjustment), else its P, adjusted when asked for.
fn expected_bracket(set: &Value, row: &Value) -> Option<String> {
    let pitfall = !row["one_sample"].is_null() && !row["warning"].is_null();
    let adjusted = !set["adjust"].is_null();
    let p = match (pitfall, adjusted) {
        (true, true) => return None,
        (true, false) => f(&row["one_sample"]["p"]),
        (false, _) if row["test"].is_null() => return None,
        (false, true) => f(&row["p_adjusted"]),
        (false, false) => f(&row["test"]["p"]),
    };
    Some(p_label(p))
}

fn expected_brackets(set: &Value) -> Vec<String> {
    let mut v: Vec<String> = set["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| expected_bracket(set, r))
        .collect();
    v.sort();
    v
}

/// (label, mean, error, values) of each condition, labelled as the chart
/// does when there are several cell lines.
fn conditions(v: &Value, error: &str) -> Vec<(String, f64, f64, Vec<f64>)> {
    v["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .map(|c| {
            (
                format!(
                    "{}: {}",
                    c["cell_line"].as_str().expect("line"),
                    c["treatment"].as_str().expect("treatment")
                ),
                f(&c["mean"]),
                f(&c[error]),
                c["values"]
                    .as_array()
                    .expect("values")
                    .iter()
                    .map(f)
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn viability_bars_show_each_experiment_and_the_comparisons() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("viability.svg");
    let p = plates();
    let v = run_json(&[
        "assay",
        "viability",
        "--plates",
        &p,
        "--control",
        "IgG 10",
        "--plot",
        s(&path),
    ]);
    let svg = read_svg(&path);
    let doc = Document::parse(&svg).expect("SVG");
    let conds = conditions(&v, "sd");
    assert_eq!(conds.len(), 18, "3 cell lines x 6 conditions");
    check_bars(&doc, &conds);
    // Python 3.11.7, numpy 2.4.6 (tests/assay.rs): JIMT-1 Tz 10 + AIIB2 10
    // has mean viability 63.2105 %, the bar the figure draws
    let y = axis(&doc, "y-axis", false, false);
    let drawn = bars(&doc, y.px(0.0));
    let jimt = drawn
        .iter()
        .find(|b| b.label == "JIMT-1: Tz 10 + AIIB2 10")
        .expect("bar");
    assert_px("JIMT-1 combination", jimt.end, y.px(63.210522365661284));
    // 5 comparisons per cell line against IgG 10; untreated vs IgG 10 is
    // against the normalised control: its one-sample P is drawn
    assert_eq!(groups(&doc, "bracket").len(), 15);
    assert_eq!(bracket_labels(&doc), expected_brackets(&v["comparisons"]));
    let skbr3 = v["comparisons"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["a"] == "SKBR3: untreated")
        .expect("row");
    assert!(bracket_labels(&doc).contains(&p_label(f(&skbr3["one_sample"]["p"]))));
    assert_px("100 % line", reference_line(&doc), y.px(100.0));
    assert!(svg.contains("Bars: mean ± SD; points: replicates."));
}

#[test]
fn viability_with_sem_and_holm_draws_adjusted_p_and_drops_the_pitfall_rows() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("viability.svg");
    let p = plates();
    let v = run_json(&[
        "assay",
        "viability",
        "--plates",
        &p,
        "--control",
        "IgG 10",
        "--adjust",
        "holm",
        "--error",
        "sem",
        "--plot",
        s(&path),
    ]);
    let svg = read_svg(&path);
    let doc = Document::parse(&svg).expect("SVG");
    check_bars(&doc, &conditions(&v, "sem"));
    // the 3 rows against the normalised untreated control get no bracket
    assert_eq!(groups(&doc, "bracket").len(), 12);
    let want = expected_brackets(&v["comparisons"]);
    assert_eq!(want.len(), 12);
    assert_eq!(bracket_labels(&doc), want);
    assert!(svg.contains("Bars: mean ± SE; points: replicates."));
}

#[test]
fn clonogenic_bars_with_pairs() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("sf.svg");
    let v = run_json(&[
        "assay",
        "clonogenic",
        "--data",
        &example("clonogenic.csv"),
        "--control",
        "IgG",
        "--pair",
        "Tz + AIIB2 vs Tz",
        "--pair",
        "Tz + AIIB2 vs AIIB2",
        "--plot",
        s(&path),
    ]);
    let svg = read_svg(&path);
    let doc = Document::parse(&svg).expect("SVG");
    let conds = conditions(&v, "sd");
    assert_eq!(conds.len(), 12);
    check_bars(&doc, &conds);
    assert_eq!(groups(&doc, "bracket").len(), 6);
    assert_eq!(bracket_labels(&doc), expected_brackets(&v["comparisons"]));
    let y = axis(&doc, "y-axis", false, false);
    assert_px("SF 1 line", reference_line(&doc), y.px(1.0));
}

#[test]
fn clonogenic_default_comparisons_print_the_one_sample_p() {
    // every row is against IgG, 1 in every experiment: the valid P is the
    // one-sample test of the other condition against 1
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("sf.svg");
    let v = run_json(&[
        "assay",
        "clonogenic",
        "--data",
        &example("clonogenic.csv"),
        "--plot",
        s(&path),
    ]);
    let doc_text = read_svg(&path);
    let doc = Document::parse(&doc_text).expect("SVG");
    let rows = v["comparisons"]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 9);
    let mut want: Vec<String> = rows
        .iter()
        .map(|r| p_label(f(&r["one_sample"]["p"])))
        .collect();
    want.sort();
    assert_eq!(bracket_labels(&doc), want);
}

#[test]
fn blot_fold_change_bars_per_target() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("blot.svg");
    let v = run_json(&[
        "assay",
        "blot",
        "--data",
        &example("blot_densitometry.csv"),
        "--control",
        "IgG",
        "--plot",
        s(&path),
    ]);
    let svg = read_svg(&path);
    let doc = Document::parse(&svg).expect("SVG");
    // one cell line, two targets: the target names the group
    let mut conds = Vec::new();
    let mut want_brackets = Vec::new();
    for t in v["targets"].as_array().expect("targets") {
        let name = t["target"].as_str().expect("target");
        for (label, mean, sd, values) in conditions(t, "sd") {
            let treatment = label.split_once(": ").expect("label").1.to_string();
            conds.push((format!("{name}: {treatment}"), mean, sd, values));
        }
        want_brackets.extend(expected_brackets(&t["comparisons"]));
    }
    assert_eq!(conds.len(), 8);
    check_bars(&doc, &conds);
    want_brackets.sort();
    assert_eq!(bracket_labels(&doc), want_brackets);
    let y = axis(&doc, "y-axis", false, false);
    assert_px("fold change 1", reference_line(&doc), y.px(1.0));
    assert!(svg.contains(">Fold change vs IgG</text>"));
}

#[test]
fn blot_log2_bars_of_one_target_with_its_title() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(example("blot_densitometry.csv")).expect("example");
    let akt: String = text
        .lines()
        .filter(|l| !l.contains("pERK"))
        .map(|l| format!("{l}\n"))
        .collect();
    let data = dir.path().join("akt.csv");
    std::fs::write(&data, akt).expect("write");
    let path = dir.path().join("akt.svg");
    let v = run_json(&[
        "assay",
        "blot",
        "--data",
        s(&data),
        "--control",
        "IgG",
        "--log2",
        "--plot",
        s(&path),
    ]);
    let svg = read_svg(&path);
    let doc = Document::parse(&svg).expect("SVG");
    assert!(svg.contains(">pAkt-S473 / total Akt</text>"), "title");
    let t = &v["targets"][0];
    let conds: Vec<(String, f64, f64, Vec<f64>)> = t["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .map(|c| {
            (
                c["treatment"].as_str().expect("treatment").to_string(),
                f(&c["mean_log2"]),
                f(&c["sd_log2"]),
                c["values"]
                    .as_array()
                    .expect("values")
                    .iter()
                    .map(|x| f(x).log2())
                    .collect(),
            )
        })
        .collect();
    check_bars(&doc, &conds);
    let y = axis(&doc, "y-axis", false, false);
    assert_px("log2 fold change 0", reference_line(&doc), y.px(0.0));
    assert_eq!(bracket_labels(&doc), expected_brackets(&t["comparisons"]));
}

// ---- clonogenic survival curves ----------------------------------------

#[test]
fn lq_survival_curves_follow_the_fit_on_a_log_axis() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("lq.svg");
    let data = fixture("assay/cfassay_expl1_cellsurvcurves.csv");
    let mut args = cfassay_args(&data);
    args.extend(["--plot".to_string(), s(&path).to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let v = run_json(&args);
    let svg = read_svg(&path);
    let doc = Document::parse(&svg).expect("SVG");
    let x = axis(&doc, "x-axis", false, false);
    let y = axis(&doc, "y-axis", true, false);
    assert_eq!(y.b.1, 1.0, "the log axis is labelled up to SF 1");
    let fits = v["lq"].as_array().expect("lq");
    assert_eq!(fits.len(), 2);
    let curves = groups(&doc, "lq-curve");
    let points = groups(&doc, "lq-points");
    let means = groups(&doc, "lq-means");
    assert_eq!((curves.len(), points.len(), means.len()), (2, 2, 2));
    for (k, fit) in fits.iter().enumerate() {
        let line = fit["cell_line"].as_str().expect("line");
        // statsmodels 0.15.0 (tests/fixtures/assay/clonogenic_reference.json
        // via tests/assay.rs): the coefficients the curve is drawn from
        let (alpha, beta) = (f(&fit["alpha"]["estimate"]), f(&fit["beta"]["estimate"]));
        let d = curves[k]
            .descendants()
            .find(|n| n.has_tag_name("path"))
            .and_then(|n| n.attribute("d"))
            .expect("curve path")
            .to_string();
        let nums: Vec<f64> = d
            .split(' ')
            .map(|t| t.trim_start_matches(['M', 'L']))
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().expect("number"))
            .collect();
        assert!(nums.len() >= 100, "a smooth curve");
        for xy in nums.chunks(2) {
            let dose = x.value(xy[0]);
            let sf = (-(alpha * dose + beta * dose * dose)).exp();
            assert!(
                (xy[1] - y.px(sf)).abs() <= tol::SVG_CURVE_PX + AXIS_PX,
                "{line}: curve at dose {dose} drawn at {} px, S(D) = {sf} at {} px",
                xy[1],
                y.px(sf)
            );
        }
        // every experiment at each dose (no treatment column: the dose-0
        // dishes are the control, so these are the JSON's values)
        let mut want: Vec<(f64, f64)> = v["experiments"]
            .as_array()
            .expect("experiments")
            .iter()
            .filter(|e| e["cell_line"] == line)
            .map(|e| (f(&e["dose"]), f(&e["value"])))
            .collect();
        want.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let drawn = marks(points[k]);
        assert_eq!(drawn.len(), want.len(), "{line}: one mark per experiment");
        let mut got: Vec<f64> = drawn.iter().map(|n| centre(*n).1).collect();
        got.sort_by(f64::total_cmp);
        let mut want_px: Vec<f64> = want.iter().map(|p| y.px(p.1)).collect();
        want_px.sort_by(f64::total_cmp);
        for (g, w) in got.iter().zip(&want_px) {
            assert_px(&format!("{line} experiment"), *g, *w);
        }
        // the means over experiments
        let conds: Vec<&Value> = v["conditions"]
            .as_array()
            .expect("conditions")
            .iter()
            .filter(|c| c["cell_line"] == line)
            .collect();
        let drawn = marks(means[k]);
        assert_eq!(drawn.len(), conds.len(), "{line}: one mean per dose");
        for (n, c) in drawn.iter().zip(&conds) {
            let (px, py) = centre(*n);
            assert_px(&format!("{line} mean dose"), px, x.px(f(&c["dose"])));
            assert_px(&format!("{line} mean SF"), py, y.px(f(&c["mean"])));
        }
    }
    assert!(svg.contains("okf6TERT1: α = 0.519, β = 0.0210"), "legend");
}

// ---- dose-response -----------------------------------------------------

#[test]
fn dose_response_marks_the_ed50_at_the_fitted_value() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("ryegrass.csv");
    std::fs::write(&data, ryegrass_csv()).expect("write");
    let path = dir.path().join("rye.svg");
    let v = run_json(&[
        "assay",
        "dose-response",
        "--data",
        s(&data),
        "--dose",
        "conc",
        "--response",
        "rootl",
        "--ed",
        "10,50,90",
        "--plot",
        s(&path),
    ]);
    let svg = read_svg(&path);
    let doc = Document::parse(&svg).expect("SVG");
    let x = axis(&doc, "x-axis", true, true);
    let y = axis(&doc, "y-axis", false, false);
    let fit = &v["fits"][0];
    let ed50 = fit["ed"]
        .as_array()
        .expect("ed")
        .iter()
        .find(|e| e["level"] == 50.0)
        .expect("ED50");
    // R drc 3.0-1: ED(drm(rootl ~ conc, fct = LL.4()), 50, interval =
    // "delta") = 3.05795 (2.67053, 3.44538)
    let d = tol::printed_digits(6);
    assert_close("ED50", f(&ed50["estimate"]), 3.05795, 2.0 * d);
    let marker = groups(&doc, "ed-marker");
    assert_eq!(marker.len(), 1);
    let ls = lines(marker[0]);
    let vertical = ls
        .iter()
        .find(|l| attr(**l, "x1") == attr(**l, "x2") && attr(**l, "y1") != attr(**l, "y2"))
        .expect("the ED line down to the axis");
    assert_px(
        "ED50 dose",
        attr(*vertical, "x1"),
        x.px(f(&ed50["estimate"])),
    );
    // the lines meet on the curve: the fitted response at the ED50, the
    // midpoint of the limits c and d for a relative ED50
    let p = &fit["parameters"];
    let mid = (f(&p["c"]) + f(&p["d"])) / 2.0;
    assert_px("ED50 response", attr(*vertical, "y2"), y.px(mid));
    // the interval bar, horizontal at that response
    let bar = ls
        .iter()
        .find(|l| {
            attr(**l, "y1") == attr(**l, "y2")
                && attr(**l, "stroke-width") > 2.0
                && (attr(**l, "x2") - attr(**l, "x1")).abs() > 5.0
        })
        .expect("the CI bar");
    assert_px("ED50 lower", attr(*bar, "x1"), x.px(f(&ed50["lower"])));
    assert_px("ED50 upper", attr(*bar, "x2"), x.px(f(&ed50["upper"])));
    assert!(
        svg.contains("ED50 = 3.06 (95% CI 2.67–3.45)"),
        "legend text"
    );
    // every observation, and a mean per dose (7 doses with replicates)
    let pts = groups(&doc, "dose-points");
    assert_eq!(marks(pts[0]).len(), 24);
    let means = groups(&doc, "dose-means");
    assert_eq!(marks(means[0]).len(), 7);
    // the curve is the fit: check it at its drawn vertices
    let d_attr = groups(&doc, "dose-curve")[0]
        .descendants()
        .find(|n| n.has_tag_name("path"))
        .and_then(|n| n.attribute("d"))
        .expect("curve")
        .to_string();
    let nums: Vec<f64> = d_attr
        .split(' ')
        .map(|t| t.trim_start_matches(['M', 'L']))
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().expect("number"))
        .collect();
    let (b, c, dd, e) = (f(&p["b"]), f(&p["c"]), f(&p["d"]), f(&p["e"]));
    for xy in nums.chunks(2) {
        let dose = x.value(xy[0]);
        let want = c + (dd - c) / (1.0 + (b * (dose.ln() - e.ln())).exp());
        assert!(
            (xy[1] - y.px(want)).abs() <= tol::SVG_CURVE_PX + AXIS_PX,
            "curve at dose {dose}: {} px, LL.4 gives {} px",
            xy[1],
            y.px(want)
        );
    }
}

#[test]
fn dose_response_groups_and_an_unfitted_group() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut text = String::from("conc,rootl,species\n");
    for l in ryegrass_csv().lines().skip(1) {
        text.push_str(&format!("{l},ryegrass\n"));
        // a flat group: no curve
        let dose = l.split(',').next().expect("dose");
        text.push_str(&format!("{dose},5,flat\n"));
    }
    let data = dir.path().join("two.csv");
    std::fs::write(&data, text).expect("write");
    let path = dir.path().join("two.svg");
    run_json(&[
        "assay",
        "dose-response",
        "--data",
        s(&data),
        "--dose",
        "conc",
        "--response",
        "rootl",
        "--group",
        "species",
        "--plot",
        s(&path),
    ]);
    let svg = read_svg(&path);
    let doc = Document::parse(&svg).expect("SVG");
    assert_eq!(groups(&doc, "dose-curve").len(), 1, "only the fitted group");
    assert_eq!(groups(&doc, "dose-points").len(), 2);
    let legend = texts(groups(&doc, "legend")[0]);
    assert!(
        legend.contains(&"flat (not fitted)".to_string()),
        "{legend:?}"
    );
    assert!(legend.contains(&"ryegrass".to_string()), "{legend:?}");
    assert!(legend
        .iter()
        .any(|t| t.starts_with("ryegrass: ED50 = 3.06")));
}

// ---- synergy -----------------------------------------------------------

#[test]
fn chou_1994_isobologram_and_fa_ci_plot_at_the_contracts_ci() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("chou1994.csv");
    std::fs::write(&data, common::lab::chou_1994_csv()).expect("write");
    let prefix = dir.path().join("chou.svg");
    let v = run_json(&[
        "assay",
        "synergy",
        "--data",
        s(&data),
        "--dose-a",
        "paclitaxel",
        "--dose-b",
        "cisplatin",
        "--effect",
        "fa",
        "--plot",
        s(&prefix),
    ]);
    // no checkerboard: no heat map; the prefix itself is not written
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["chou1994.csv", "chou_faci.svg", "chou_isobologram.svg"]
    );

    // docs/cli-contract.md: fa = 0.5, CI 0.887486, DRI a 1.889719, DRI b
    // 2.790903; the observed combination (0.001, 0.1): d/Dx 0.541786 and
    // 0.358373, CI 0.9001586 (numpy 2.4.6,
    // tests/fixtures/assay/chou_talalay_reference.py)
    let svg = read_svg(&dir.path().join("chou_isobologram.svg"));
    let doc = Document::parse(&svg).expect("SVG");
    let x = axis(&doc, "x-axis", false, false);
    let y = axis(&doc, "y-axis", false, false);
    let series = groups(&doc, "iso-points");
    assert_eq!(series.len(), 2, "observed combinations, then the mixture");
    let observed = marks(series[0]);
    let mixture = marks(series[1]);
    assert_eq!((observed.len(), mixture.len()), (4, 4));
    let row = &v["fa_ci"][0];
    assert_eq!(row["fa"], 0.5);
    let (a, b) = (1.0 / f(&row["dri_a"]), 1.0 / f(&row["dri_b"]));
    assert_close("CI = a + b", a + b, 0.887486, tol::printed_digits(6));
    let (px, py) = centre(mixture[0]);
    assert_px("fa 0.5: d/Dx a", px, x.px(a));
    assert_px("fa 0.5: d/Dx b", py, y.px(b));
    // read back through the axes, the point lies on the isobole of the
    // contract's CI (within the rounding of three positions and the
    // contract's printed digits)
    let per_unit = (x.px(1.0) - x.px(0.0)).abs();
    let read = 2.0 * AXIS_PX / per_unit + 0.5e-6;
    let ci = x.value(px) + y.value(py);
    assert!((ci - 0.887486).abs() <= read, "CI read back: {ci}");
    let (ox, oy) = centre(observed[0]);
    let ci = x.value(ox) + y.value(oy);
    assert!(
        (ci - 0.9001586).abs() <= read,
        "observed CI read back: {ci}"
    );
    assert_px("observed d/Dx a", ox, x.px(f(&v["points"][0]["iso_a"])));
    assert_px("observed d/Dx b", oy, y.px(f(&v["points"][0]["iso_b"])));
    let labels = texts(groups(&doc, "point-labels")[0]);
    assert!(labels.contains(&"fa = 0.50".to_string()), "{labels:?}");

    let svg = read_svg(&dir.path().join("chou_faci.svg"));
    let doc = Document::parse(&svg).expect("SVG");
    let x = axis(&doc, "x-axis", false, false);
    let y = axis(&doc, "y-axis", false, false);
    let pts = groups(&doc, "faci-points");
    assert_eq!(pts.len(), 2, "the mixture's table, the observed points");
    let table = marks(pts[0]);
    assert_eq!(table.len(), 4);
    let want = [0.887486, 0.781047, 0.690139, 0.635908];
    let per_unit = (y.px(1.0) - y.px(0.0)).abs();
    let read = AXIS_PX / per_unit + 0.5e-6;
    for ((n, fa), ci) in table.iter().zip([0.5, 0.75, 0.9, 0.95]).zip(want) {
        let (px, py) = centre(*n);
        assert_px("fa", px, x.px(fa));
        let got = y.value(py);
        assert!(
            (got - ci).abs() <= read,
            "fa {fa}: CI read back {got}, want {ci}"
        );
    }
    assert_eq!(marks(pts[1]).len(), 4);
    assert_eq!(
        groups(&doc, "faci-curve").len(),
        1,
        "the mixture's CI curve"
    );
}

#[test]
fn checkerboard_writes_a_heat_map_per_model() {
    let dir = tempfile::tempdir().expect("tmp");
    let prefix = dir.path().join("combo.svg");
    let v = run_json(&[
        "assay",
        "synergy",
        "--data",
        &example("synergy_checkerboard.csv"),
        "--dose-a",
        "trastuzumab",
        "--dose-b",
        "aiib2",
        "--effect",
        "viability",
        "--scale",
        "viability",
        "--plot",
        s(&prefix),
    ]);
    for model in ["bliss", "hsa", "loewe", "zip"] {
        let svg = read_svg(&dir.path().join(format!("combo_heatmap_{model}.svg")));
        let doc = Document::parse(&svg).expect("SVG");
        let cells = &v["reference_models"][model]["cells"];
        // 4 trastuzumab x 3 AIIB2 doses, every value printed to 1 decimal
        let mut got = texts(groups(&doc, "cell-values")[0]);
        let mut want: Vec<String> = cells
            .as_array()
            .expect("cells")
            .iter()
            .map(|c| format!("{:.1}", f(&c["synergy"])).replace('-', "\u{2212}"))
            .collect();
        assert_eq!(want.len(), 12);
        got.sort();
        want.sort();
        assert_eq!(got, want, "{model}");
    }
    let iso = read_svg(&dir.path().join("combo_isobologram.svg"));
    let doc = Document::parse(&iso).expect("SVG");
    let series = groups(&doc, "iso-points");
    assert_eq!(marks(series[0]).len(), 12, "every combination");
    assert_eq!(marks(series[1]).len(), 4, "the Fa-CI table");
    read_svg(&dir.path().join("combo_faci.svg"));
}

// ---- failures ----------------------------------------------------------

#[test]
fn a_bad_figure_name_is_refused_before_any_analysis() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("figure.pdf");
    let r = oncomark(&[
        "assay",
        "clonogenic",
        "--data",
        &example("clonogenic.csv"),
        "--plot",
        s(&bad),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("use .svg"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let bad = dir.path().join("combo.jpeg");
    let r = oncomark(&[
        "assay",
        "synergy",
        "--data",
        &example("synergy_checkerboard.csv"),
        "--dose-a",
        "trastuzumab",
        "--dose-b",
        "aiib2",
        "--effect",
        "viability",
        "--scale",
        "viability",
        "--plot",
        s(&bad),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    if !cfg!(feature = "png") {
        let png = dir.path().join("viability.png");
        let p = plates();
        let r = oncomark(&["assay", "viability", "--plates", &p, "--plot", s(&png)]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("without PNG output"), "{}", r.stderr);
    }
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[test]
fn synergy_figures_failing_midway_leave_none_behind() {
    // regression guard: the isobologram is written first; the Fa-CI file
    // cannot replace a folder of its name, so the run fails, and the
    // isobologram written before must be removed again
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("chou1994.csv");
    std::fs::write(&data, common::lab::chou_1994_csv()).expect("write");
    std::fs::create_dir(dir.path().join("chou_faci.svg")).expect("mkdir");
    let prefix = dir.path().join("chou.svg");
    let r = oncomark(&[
        "assay",
        "synergy",
        "--data",
        s(&data),
        "--dose-a",
        "paclitaxel",
        "--dose-b",
        "cisplatin",
        "--effect",
        "fa",
        "--plot",
        s(&prefix),
    ]);
    assert_ne!(r.code, 0);
    assert!(r.stdout.is_empty(), "no result printed on failure");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["chou1994.csv", "chou_faci.svg"],
        "nothing else left"
    );
}

#[test]
fn a_figure_that_cannot_be_written_leaves_no_result() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("missing-folder").join("v.svg");
    let out = dir.path().join("result.json");
    let p = plates();
    let r = oncomark(&[
        "assay",
        "viability",
        "--plates",
        &p,
        "--plot",
        s(&path),
        "--format",
        "json",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!out.exists(), "the figure is written before the result");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

// ---- the figures of docs/figures ----------------------------------------

/// Renders the documentation figures into `dir`: (file names written,
/// arguments). The data files the figures need are written there too.
fn docs_figures(dir: &Path) -> Vec<(Vec<&'static str>, Vec<String>)> {
    let rye = dir.join("ryegrass.csv");
    std::fs::write(&rye, ryegrass_csv()).expect("write");
    let chou = dir.join("chou1994.csv");
    std::fs::write(&chou, common::lab::chou_1994_csv()).expect("write");
    let out = |name: &str| dir.join(name).to_str().expect("path").to_string();
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let p = plates();
    let mut lq = cfassay_args(&fixture("assay/cfassay_expl1_cellsurvcurves.csv"));
    lq.extend(["--plot".into(), out("assay-clonogenic-lq.svg")]);
    vec![
        (
            vec!["assay-viability.svg"],
            owned(&[
                "assay",
                "viability",
                "--plates",
                &p,
                "--control",
                "IgG 10",
                "--plot",
                &out("assay-viability.svg"),
            ]),
        ),
        (
            vec!["assay-clonogenic.svg"],
            owned(&[
                "assay",
                "clonogenic",
                "--data",
                &example("clonogenic.csv"),
                "--control",
                "IgG",
                "--pair",
                "Tz + AIIB2 vs Tz",
                "--pair",
                "Tz + AIIB2 vs AIIB2",
                "--plot",
                &out("assay-clonogenic.svg"),
            ]),
        ),
        (vec!["assay-clonogenic-lq.svg"], lq),
        (
            vec!["assay-blot.svg"],
            owned(&[
                "assay",
                "blot",
                "--data",
                &example("blot_densitometry.csv"),
                "--control",
                "IgG",
                "--plot",
                &out("assay-blot.svg"),
            ]),
        ),
        (
            vec!["assay-dose-response.svg"],
            owned(&[
                "assay",
                "dose-response",
                "--data",
                s(&rye),
                "--dose",
                "conc",
                "--response",
                "rootl",
                "--plot",
                &out("assay-dose-response.svg"),
            ]),
        ),
        (
            vec![
                "assay-synergy_isobologram.svg",
                "assay-synergy_faci.svg",
                "assay-synergy_heatmap_bliss.svg",
            ],
            owned(&[
                "assay",
                "synergy",
                "--data",
                &example("synergy_checkerboard.csv"),
                "--dose-a",
                "trastuzumab",
                "--dose-b",
                "aiib2",
                "--effect",
                "viability",
                "--scale",
                "viability",
                "--method",
                "chou-talalay,bliss",
                "--bootstrap",
                "1000",
                "--plot",
                &out("assay-synergy.svg"),
            ]),
        ),
        (
            vec!["assay-chou1994_isobologram.svg", "assay-chou1994_faci.svg"],
            owned(&[
                "assay",
                "synergy",
                "--data",
                s(&chou),
                "--dose-a",
                "paclitaxel",
                "--dose-b",
                "cisplatin",
                "--effect",
                "fa",
                "--method",
                "chou-talalay",
                "--plot",
                &out("assay-chou1994.svg"),
            ]),
        ),
    ]
}

#[test]
fn docs_figures_are_current() {
    let dir = tempfile::tempdir().expect("tmp");
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/figures");
    let bless = std::env::var_os("ONCOMARK_BLESS").is_some();
    for (names, args) in docs_figures(dir.path()) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = oncomark(&args);
        assert_eq!(r.code, 0, "oncomark {args:?}: {}", r.stderr);
        for name in names {
            let svg = read_svg(&dir.path().join(name));
            let target = docs.join(name);
            if bless {
                std::fs::write(&target, &svg).expect("write docs figure");
                continue;
            }
            let on_disk = std::fs::read_to_string(&target).unwrap_or_default();
            assert!(
                on_disk == svg,
                "{} is out of date: run `ONCOMARK_BLESS=1 cargo test -p oncomark-cli --test assay_plot docs_figures`",
                target.display()
            );
        }
    }
}
