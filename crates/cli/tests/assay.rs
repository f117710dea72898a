//! `oncomark assay ...` end to end: every subcommand on the example files of
//! examples/assay/ and on published reference data (drc's ryegrass, Chou et
//! al. 1994, CFAssay's example survival curves), with the numbers checked
//! against independent computations whose source is named at each value;
//! bad input (exit status 2), impossible analyses (exit status 1), and no
//! output file left behind on failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use oncomark_testkit::{assert_close, fixture, json_fixture, tol};
use serde_json::Value;

mod common;

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

/// Run and parse the JSON output; the run must succeed.
fn run_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let r = oncomark(&all);
    assert_eq!(r.code, 0, "oncomark {args:?} failed: {}", r.stderr);
    serde_json::from_str(&r.stdout).expect("valid JSON")
}

/// Run with text output; the run must succeed.
fn run_text(args: &[&str]) -> String {
    let r = oncomark(args);
    assert_eq!(r.code, 0, "oncomark {args:?} failed: {}", r.stderr);
    r.stdout
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/assay")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

fn plates() -> String {
    (1..=3)
        .map(|k| example(&format!("xtt_exp{k}.csv")))
        .collect::<Vec<_>>()
        .join(",")
}

/// Write `text` to `name` in a fresh folder; return the folder (kept alive)
/// and the path.
fn data_file(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    (dir, p.to_str().unwrap().to_string())
}

/// Run with `--out` into `dir`; assert the exit status, that stderr holds
/// every needle, and that no output (nor temporary) file was left.
fn fails(dir: &Path, args: &[&str], code: i32, needles: &[&str]) {
    let out = dir.join("result.json");
    let before = std::fs::read_dir(dir).unwrap().count();
    let out_s = out.to_str().unwrap().to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "json", "--out", &out_s]);
    let r = oncomark(&all);
    assert_eq!(r.code, code, "exit status; stderr: {}", r.stderr);
    for n in needles {
        assert!(
            r.stderr.contains(n),
            "stderr should mention {n:?}; got: {}",
            r.stderr
        );
    }
    assert!(r.stdout.is_empty(), "no output on failure: {}", r.stdout);
    assert!(!out.exists(), "no output file may be left behind");
    assert_eq!(
        before,
        std::fs::read_dir(dir).unwrap().count(),
        "no temporary file may be left"
    );
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn find(arr: &Value, pred: impl Fn(&Value) -> bool) -> &Value {
    arr.as_array()
        .unwrap()
        .iter()
        .find(|v| pred(v))
        .expect("element present")
}

// ---- viability ---------------------------------------------------------

fn condition<'a>(v: &'a Value, line: &str, treatment: &str) -> &'a Value {
    find(&v["conditions"], |c| {
        c["cell_line"] == line && c["treatment"] == treatment
    })
}

#[test]
fn viability_of_the_example_plates() {
    let p = plates();
    let v = run_json(&["assay", "viability", "--plates", &p]);
    assert_eq!(v["files"].as_array().unwrap().len(), 3);
    assert_eq!(v["files"][0]["plate"], "xtt_exp1.csv");
    assert_eq!(v["blank_subtraction"], false);
    assert_eq!(v["plates"].as_array().unwrap().len(), 9); // 3 plates x 3 lines
    assert_eq!(v["conditions"].as_array().unwrap().len(), 18);
    assert_eq!(v["control"], "untreated");
    // By hand from xtt_exp1.csv, SKBR3: Tz 10 wells C2-C4 (0.710, 0.752,
    // 0.760) over untreated B2-B4 (1.031, 1.083, 1.022).
    let exp1 = find(&v["experiments"], |e| {
        e["experiment"] == "exp1" && e["cell_line"] == "SKBR3" && e["treatment"] == "Tz 10"
    });
    let want = 100.0 * (0.710 + 0.752 + 0.760) / (1.031 + 1.083 + 1.022);
    assert_close("SKBR3 Tz 10 exp1", f(&exp1["value"]), want, tol::EXACT);
    let c = condition(&v, "JIMT-1", "Tz 10 + AIIB2 10");
    assert_eq!(c["n_experiments"], 3);
    // Python 3.11.7, numpy 2.4.6: the three per-experiment viabilities
    // recomputed from the plate files (mean of each condition's wells over
    // the mean of the untreated wells of its cell line and plate).
    assert_close("mean", f(&c["mean"]), 63.210522365661284, tol::STATS);
    assert_close("sd", f(&c["sd"]), 3.329392066542065, tol::STATS);
    let ctrl = condition(&v, "JIMT-1", "untreated");
    assert_eq!(ctrl["values"], serde_json::json!([100.0, 100.0, 100.0]));
}

#[test]
fn viability_with_blank_subtraction() {
    let p = plates();
    let v = run_json(&["assay", "viability", "--plates", &p, "--blank-subtraction"]);
    assert_eq!(v["blank_subtraction"], true);
    // By hand: exp1 blanks K2..K7 = column 11, rows B-G.
    let blank = (0.113 + 0.101 + 0.101 + 0.104 + 0.119 + 0.103) / 6.0;
    let treated = (0.710 + 0.752 + 0.760) / 3.0;
    let control = (1.031 + 1.083 + 1.022) / 3.0;
    let exp1 = find(&v["experiments"], |e| {
        e["experiment"] == "exp1" && e["cell_line"] == "SKBR3" && e["treatment"] == "Tz 10"
    });
    let want = 100.0 * (treated - blank) / (control - blank);
    assert_close("blank-subtracted", f(&exp1["value"]), want, tol::EXACT);
    // Python 3.11.7, numpy 2.4.6 (as above, blank subtracted)
    let c = condition(&v, "JIMT-1", "Tz 10 + AIIB2 10");
    assert_close("mean", f(&c["mean"]), 60.16842148656675, tol::STATS);
}

#[test]
fn viability_comparisons_against_scipy() {
    // scipy 1.17.1 on the per-experiment viabilities of JIMT-1 (see
    // viability_of_the_example_plates): ttest_ind, ttest_rel, ttest_1samp.
    let p = plates();
    let v = run_json(&[
        "assay",
        "viability",
        "--plates",
        &p,
        "--pair",
        "Tz 10 + AIIB2 10 vs Tz 10",
        "--pair",
        "Tz 10 vs untreated",
    ]);
    let rows = &v["comparisons"]["rows"];
    assert_eq!(rows.as_array().unwrap().len(), 6); // 2 pairs x 3 cell lines
    let row = find(rows, |r| r["a"] == "JIMT-1: Tz 10 + AIIB2 10");
    assert_eq!(row["b"], "JIMT-1: Tz 10");
    assert_close(
        "student t",
        f(&row["test"]["statistic"]),
        -11.395426659368955,
        tol::STATS,
    );
    assert_close(
        "student P",
        f(&row["test"]["p"]),
        0.00033826358373507227,
        tol::STATS,
    );
    assert!(row["warning"].is_null());
    // the normalised-control pitfall: untreated is 100 in every experiment
    let row = find(rows, |r| {
        r["a"] == "JIMT-1: Tz 10" && r["b"] == "JIMT-1: untreated"
    });
    assert_close(
        "student P against the constant control",
        f(&row["test"]["p"]),
        0.0003127327501759254,
        tol::STATS,
    );
    assert!(row["warning"].as_str().unwrap().contains("no variance"));
    assert_close(
        "one-sample P",
        f(&row["one_sample"]["p"]),
        0.007316177289851361,
        tol::STATS,
    );
    let v = run_json(&[
        "assay",
        "viability",
        "--plates",
        &p,
        "--pair",
        "Tz 10 + AIIB2 10 vs Tz 10",
        "--test",
        "paired",
        "--adjust",
        "holm",
    ]);
    let row = find(&v["comparisons"]["rows"], |r| {
        r["a"] == "JIMT-1: Tz 10 + AIIB2 10"
    });
    assert_eq!(v["comparisons"]["test"], "paired");
    assert_eq!(v["comparisons"]["adjust"], "holm");
    assert_close(
        "paired P",
        f(&row["test"]["p"]),
        0.012972282099889597,
        tol::STATS,
    );
    assert!(f(&row["p_adjusted"]) >= f(&row["test"]["p"]));
}

#[test]
fn viability_text_shows_the_pitfall_prominently() {
    let p = plates();
    let t = run_text(&["assay", "viability", "--plates", &p]);
    assert!(t.contains("Formula: 100 * mean(treated) / mean(untreated control)"));
    assert!(
        t.contains("JIMT-1     Tz 10 + AIIB2 10  3   63.2 ± 3.3"),
        "{t}"
    );
    assert!(t.contains("!! WARNING: 15 comparison(s) marked !"), "{t}");
    assert!(t.contains("P one-sample"));
    assert!(t.contains("JIMT-1: Tz 10 vs untreated"));
    // an isotype control varies: no pitfall for the treated conditions
    let t = run_text(&["assay", "viability", "--plates", &p, "--control", "igg 10"]);
    assert!(t.contains("!! WARNING: 3 comparison(s) marked !"), "{t}");
    assert!(t.contains("JIMT-1: Tz 10 vs IgG 10"));
}

#[test]
fn viability_csv_has_one_row_per_condition() {
    let p = plates();
    let t = run_text(&["assay", "viability", "--plates", &p, "--format", "csv"]);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(
        lines[0],
        "cell_line,treatment,dose,n_experiments,mean,sd,sem"
    );
    assert_eq!(lines.len(), 19);
    assert!(lines[1].starts_with("SKBR3,untreated,,3,100,0,0"));
}

#[test]
fn viability_layout_file_gives_the_same_result() {
    // Split each example plate into a readings-only file and one shared
    // layout (the layout grids are the same on the three plates, except
    // `experiment`, which then comes from the plate id).
    let dir = tempfile::tempdir().unwrap();
    let mut readings = Vec::new();
    let mut layout = String::new();
    for k in 1..=3 {
        let text = std::fs::read_to_string(example(&format!("xtt_exp{k}.csv"))).unwrap();
        let blocks: Vec<&str> = text
            .split("\n\n")
            .filter(|b| !b.trim().is_empty())
            .collect();
        let reading = blocks.iter().find(|b| b.starts_with("absorbance")).unwrap();
        let p = dir.path().join(format!("exp{k}.csv"));
        std::fs::write(&p, format!("{reading}\n")).unwrap();
        readings.push(p.to_str().unwrap().to_string());
        if k == 1 {
            let rest: Vec<&str> = blocks
                .iter()
                .filter(|b| !b.starts_with("absorbance") && !b.starts_with("experiment"))
                .copied()
                .collect();
            layout = rest.join("\n\n");
        }
    }
    let lp = dir.path().join("layout.csv");
    std::fs::write(&lp, layout).unwrap();
    let split = run_json(&[
        "assay",
        "viability",
        "--plates",
        &readings.join(","),
        "--layout",
        lp.to_str().unwrap(),
    ]);
    let whole = run_json(&["assay", "viability", "--plates", &plates()]);
    assert_eq!(split["layout"], lp.to_str().unwrap());
    let a = condition(&split, "JIMT-1", "Tz 10 + AIIB2 10");
    let b = condition(&whole, "JIMT-1", "Tz 10 + AIIB2 10");
    assert_close("same mean", f(&a["mean"]), f(&b["mean"]), tol::EXACT);
    assert_eq!(
        a["experiments"],
        serde_json::json!(["exp1.csv", "exp2.csv", "exp3.csv"])
    );
    // a grid in both the plate and the layout is refused
    fails(
        dir.path(),
        &[
            "assay",
            "viability",
            "--plates",
            &example("xtt_exp1.csv"),
            "--layout",
            lp.to_str().unwrap(),
        ],
        2,
        &["treatment", "xtt_exp1.csv", "layout.csv"],
    );
}

#[test]
fn unparsable_plate_names_the_file_and_well() {
    let text = std::fs::read_to_string(example("xtt_exp1.csv")).unwrap();
    let (dir, p) = data_file("bad_exp.csv", &text.replacen("C,,0.710", "C,,0.7x0", 1));
    let both = format!("{},{p}", example("xtt_exp2.csv"));
    fails(
        dir.path(),
        &["assay", "viability", "--plates", &both],
        2,
        &["bad_exp.csv", "C02", "0.7x0", "absorbance"],
    );
}

#[test]
fn ragged_plate_row_names_the_file_line_and_row() {
    let text = std::fs::read_to_string(example("xtt_exp1.csv")).unwrap();
    let (dir, p) = data_file(
        "ragged.csv",
        &text.replacen("D,,1.162,1.270,", "D,,1.162,", 1),
    );
    fails(
        dir.path(),
        &["assay", "viability", "--plates", &p],
        2,
        &["ragged.csv", "line 5", "row D", "11 cells"],
    );
}

#[test]
fn missing_plate_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nope.csv");
    fails(
        dir.path(),
        &["assay", "viability", "--plates", p.to_str().unwrap()],
        2,
        &["nope.csv"],
    );
}

#[test]
fn blank_subtraction_without_blanks_is_an_analysis_failure() {
    let text = "absorbance,1,2,3\nA,1.0,1.1,0.5\nB,0.9,1.2,0.6\n\ntreatment,1,2,3\nA,untreated,untreated,Tz\nB,untreated,untreated,Tz\n";
    let (dir, p) = data_file("noblank.csv", text);
    fails(
        dir.path(),
        &["assay", "viability", "--plates", &p, "--blank-subtraction"],
        1,
        &["noblank.csv", "no blank wells"],
    );
}

#[test]
fn unknown_pair_or_control_lists_the_conditions() {
    let dir = tempfile::tempdir().unwrap();
    let p = example("xtt_exp1.csv");
    fails(
        dir.path(),
        &[
            "assay",
            "viability",
            "--plates",
            &p,
            "--pair",
            "Tz 100 vs Tz 10",
        ],
        2,
        &["Tz 100", "Tz 10 + AIIB2 10"],
    );
    fails(
        dir.path(),
        &[
            "assay",
            "viability",
            "--plates",
            &p,
            "--pair",
            "Tz 10 versus IgG 10",
        ],
        2,
        &["A vs B"],
    );
    fails(
        dir.path(),
        &["assay", "viability", "--plates", &p, "--control", "PBS"],
        2,
        &["--control", "PBS", "IgG 10"],
    );
}

// ---- clonogenic --------------------------------------------------------

#[test]
fn clonogenic_example_table() {
    let v = run_json(&[
        "assay",
        "clonogenic",
        "--data",
        &example("clonogenic.csv"),
        "--control",
        "igg",
        "--pair",
        "Tz + AIIB2 vs Tz",
    ]);
    assert_eq!(v["n"], 108);
    assert_eq!(v["control_treatment"], "IgG");
    assert_eq!(v["plating_efficiency"].as_array().unwrap().len(), 9);
    // By hand from clonogenic.csv: SKBR3-EV exp1 IgG dishes 201 + 205 + 191
    // of 3 x 500 cells; Tz dishes 102 + 110 + 107.
    let pe = find(&v["plating_efficiency"], |p| {
        p["experiment"] == "exp1" && p["cell_line"] == "SKBR3-EV"
    });
    assert_close("PE", f(&pe["pe"]), 597.0 / 1500.0, tol::EXACT);
    let sf = find(&v["experiments"], |e| {
        e["experiment"] == "exp1" && e["cell_line"] == "SKBR3-EV" && e["treatment"] == "Tz"
    });
    assert_close("SF", f(&sf["value"]), 319.0 / 597.0, tol::EXACT);
    let rows = v["comparisons"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(v.get("lq").is_none());
    let t = run_text(&["assay", "clonogenic", "--data", &example("clonogenic.csv")]);
    assert!(t.contains("control treatment `IgG`"), "{t}");
    assert!(t.contains("Surviving fraction, mean ± SD over experiments"));
    assert!(t.contains("!! WARNING"));
}

#[test]
fn clonogenic_lq_fits_match_statsmodels() {
    // tests/fixtures/assay/clonogenic_reference.json: CFAssay's cellsurvLQfit
    // model by statsmodels 0.15.0 (quasi-Poisson GLM and OLS).
    let reference = json_fixture("assay/clonogenic_reference.json");
    let data = fixture("assay/cfassay_expl1_cellsurvcurves.csv");
    for (method, pe) in [("ml", "fit"), ("ls", "fit"), ("ml", "fix")] {
        let v = run_json(&[
            "assay",
            "clonogenic",
            "--data",
            data.to_str().unwrap(),
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
            method,
            "--pe",
            pe,
            "--compare",
            "none",
        ]);
        assert!(v["comparisons"].is_null());
        for want in reference["fits"].as_array().unwrap() {
            if want["method"] != method || want["pe_method"] != pe {
                continue;
            }
            let got = find(&v["lq"], |e| e["cell_line"] == want["cline"]);
            let what = format!("{} {method}/{pe}", want["cline"]);
            assert_eq!(got["n"], want["n"], "{what}");
            assert_eq!(got["df"], want["df"], "{what}");
            for k in ["alpha", "beta"] {
                for q in ["estimate", "se", "p"] {
                    assert_close(
                        &format!("{what} {k} {q}"),
                        f(&got[k][q]),
                        f(&want[k][q]),
                        tol::GLM,
                    );
                }
            }
            assert_close(
                &format!("{what} dispersion"),
                f(&got["dispersion"]),
                f(&want["dispersion"]),
                tol::GLM,
            );
        }
    }
}

#[test]
fn clonogenic_bad_input() {
    let (dir, p) = data_file(
        "dishes.csv",
        "experiment,treatment,cells_plated,colonies\ne1,untreated,500,200\ne1,Tz,0,100\n",
    );
    fails(
        dir.path(),
        &["assay", "clonogenic", "--data", &p],
        2,
        &["dishes.csv", "row 2", "line 3", "cells_plated", "positive"],
    );
    fails(
        dir.path(),
        &["assay", "clonogenic", "--data", &p, "--colonies", "colonys"],
        2,
        &["colonys", "colonies"],
    );
    fails(
        dir.path(),
        &["assay", "clonogenic", "--data", &p, "--lq", "ml"],
        2,
        &["--lq", "--dose"],
    );
    let (dir, p) = data_file(
        "zero.csv",
        "experiment,treatment,cells_plated,colonies\ne1,untreated,500,0\ne1,Tz,500,10\n",
    );
    fails(
        dir.path(),
        &["assay", "clonogenic", "--data", &p],
        1,
        &["plating efficiency is 0"],
    );
}

// ---- blot --------------------------------------------------------------

#[test]
fn blot_example_table() {
    let v = run_json(&["assay", "blot", "--data", &example("blot_densitometry.csv")]);
    assert_eq!(v["n"], 24);
    let targets = v["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    let akt = find(&v["targets"], |t| t["target"] == "pAkt-S473");
    assert_eq!(akt["loading_control"], "total Akt");
    assert_eq!(akt["control_treatment"], "IgG");
    // By hand from blot_densitometry.csv, blot1: pAkt/total Akt of the
    // Tz + AIIB2 lane (7482 / 19851) over the IgG lane (17091 / 18572).
    let fc = find(&akt["blots"], |b| {
        b["experiment"] == "blot1" && b["treatment"] == "Tz + AIIB2"
    });
    let want = (7482.0 / 19851.0) / (17091.0 / 18572.0);
    assert_close("fold change", f(&fc["value"]), want, tol::EXACT);
    let combo = find(&akt["conditions"], |c| c["treatment"] == "Tz + AIIB2");
    assert_eq!(combo["n_experiments"], 3);
    // log2 comparisons: the estimate is a difference of mean log2 fold changes
    let v = run_json(&[
        "assay",
        "blot",
        "--data",
        &example("blot_densitometry.csv"),
        "--log2",
        "--pair",
        "Tz + AIIB2 vs Tz",
    ]);
    let akt = find(&v["targets"], |t| t["target"] == "pAkt-S473");
    let row = &akt["comparisons"]["rows"][0];
    let m = |t: &str| f(&find(&akt["conditions"], |c| c["treatment"] == t)["mean_log2"]);
    assert_close(
        "log2 difference",
        f(&row["test"]["estimate"]),
        m("Tz + AIIB2") - m("Tz"),
        tol::EXACT,
    );
    let t = run_text(&["assay", "blot", "--data", &example("blot_densitometry.csv")]);
    assert!(
        t.contains("pERK1/2 / total ERK1/2: fold change over `IgG`, 3 blot(s)"),
        "{t}"
    );
    let c = run_text(&[
        "assay",
        "blot",
        "--data",
        &example("blot_densitometry.csv"),
        "--format",
        "csv",
    ]);
    assert_eq!(c.lines().count(), 9);
}

#[test]
fn blot_bad_input() {
    let (dir, p) = data_file(
        "bands.csv",
        "blot,lane,treatment,target_intensity,loading_intensity\nb1,1,control,100,200\nb1,2,Tz,50,0\n",
    );
    fails(
        dir.path(),
        &["assay", "blot", "--data", &p],
        2,
        &["bands.csv", "row 2", "loading_intensity", "positive"],
    );
    let (dir, p) = data_file(
        "nocontrol.csv",
        "blot,lane,treatment,target_intensity,loading_intensity\nb1,1,control,100,200\nb2,2,Tz,50,100\n",
    );
    fails(
        dir.path(),
        &["assay", "blot", "--data", &p],
        1,
        &["b2", "no control lane"],
    );
}

// ---- dose-response -----------------------------------------------------

/// drc's `ryegrass` data (R package drc 3.0-1), with a species column.
fn ryegrass_csv(extra_group: Option<&str>) -> String {
    let data = common::lab::ryegrass();
    let mut s = String::from("conc,rootl,species\n");
    for (c, r) in &data {
        s.push_str(&format!("{c},{r},ryegrass\n"));
    }
    if let Some(g) = extra_group {
        // a group with the same response everywhere: no curve
        for (c, _) in &data {
            s.push_str(&format!("{c},5,{g}\n"));
        }
    }
    s
}

#[test]
fn ryegrass_matches_drc() {
    let (_dir, p) = data_file("ryegrass.csv", &ryegrass_csv(None));
    let v = run_json(&[
        "assay",
        "dose-response",
        "--data",
        &p,
        "--dose",
        "conc",
        "--response",
        "rootl",
        "--ed",
        "10,50,90",
    ]);
    let fits = v["fits"].as_array().unwrap();
    assert_eq!(fits.len(), 1);
    let fit = &fits[0];
    assert_eq!(fit["group"], "all");
    assert_eq!(fit["model"], "LL.4");
    assert_eq!(fit["n"], 24);
    assert_eq!(fit["df"], 20);
    // R drc 3.0-1: summary(drm(rootl ~ conc, data = ryegrass, fct = LL.4()))
    // and ED(m, c(10, 50, 90), interval = "delta"), printed to 5 decimals.
    let d = |x: f64| tol::printed_digits(if x.abs() >= 1.0 { 6 } else { 5 });
    for (k, est, se) in [
        ("b", 2.98222, 0.46506),
        ("c", 0.48141, 0.21219),
        ("d", 7.79296, 0.18857),
        ("e", 3.05795, 0.18573),
    ] {
        // the last printed digit of drc is rounded or truncated: half a unit
        // plus one more
        assert_close(k, f(&fit["parameters"][k]), est, 2.0 * d(est));
        assert_close(&format!("se {k}"), f(&fit["se"][k]), se, 2.0 * d(se));
    }
    assert_close(
        "residual SE",
        f(&fit["residual_se"]),
        0.5196256,
        tol::printed_digits(7),
    );
    let ed50 = find(&fit["ed"], |e| e["level"] == 50.0);
    assert_close("ED50", f(&ed50["estimate"]), 3.05795, 2.0 * d(3.05795));
    assert_close("ED50 lower", f(&ed50["lower"]), 2.67053, 2.0 * d(2.67053));
    assert_close("ED50 upper", f(&ed50["upper"]), 3.44538, 2.0 * d(3.44538));
    let ed90 = find(&fit["ed"], |e| e["level"] == 90.0);
    assert_close("ED90", f(&ed90["estimate"]), 6.38864, 2.0 * d(6.38864));
    assert_close("ED90 lower", f(&ed90["lower"]), 4.62580, 2.0 * d(4.62580));
    assert_close("ED90 upper", f(&ed90["upper"]), 8.15148, 2.0 * d(8.15148));
    // ED10 against tests/fixtures/assay/dose_response_reference.json (scipy
    // 1.17.1, same model and delta method)
    let reference = json_fixture("assay/dose_response_reference.json");
    let want = &reference["cases"][0]["ed"][0];
    assert_eq!(want["level"], 10);
    let ed10 = find(&fit["ed"], |e| e["level"] == 10.0);
    for q in ["estimate", "se", "lower", "upper"] {
        assert_close(
            &format!("ED10 {q}"),
            f(&ed10[q]),
            f(&want[q]),
            tol::CURVE_FIT,
        );
    }
}

#[test]
fn dose_response_text_and_csv() {
    let (_dir, p) = data_file("ryegrass.csv", &ryegrass_csv(None));
    let args = [
        "assay",
        "dose-response",
        "--data",
        &p,
        "--dose",
        "conc",
        "--response",
        "rootl",
    ];
    let t = run_text(&args);
    assert!(t.contains("LL.4: f(x) = c + (d - c) / (1 + exp(b (ln x - ln e)))"));
    assert!(t.contains("e (ED50)"), "{t}");
    assert!(t.contains("ED50             3.05796"), "{t}");
    assert!(t.contains("2.67053 - 3.44538"), "{t}");
    let mut a = args.to_vec();
    a.extend(["--format", "csv"]);
    let c = run_text(&a);
    let lines: Vec<&str> = c.lines().collect();
    assert_eq!(
        lines[0],
        "group,model,n,b,b_se,c,c_se,d,d_se,e,e_se,residual_se,df,ed50,ed50_lower,ed50_upper,error"
    );
    assert!(lines[1].starts_with("all,LL.4,24,2.98222"));
    assert_eq!(lines[1].split(',').count(), 17);
}

#[test]
fn a_group_that_cannot_be_fitted_is_reported_in_its_entry() {
    let (_dir, p) = data_file("two.csv", &ryegrass_csv(Some("flat")));
    let v = run_json(&[
        "assay",
        "dose-response",
        "--data",
        &p,
        "--dose",
        "conc",
        "--response",
        "rootl",
        "--group",
        "species",
    ]);
    let fits = v["fits"].as_array().unwrap();
    assert_eq!(fits.len(), 2);
    let flat = find(&v["fits"], |e| e["group"] == "flat");
    assert!(flat["error"].as_str().unwrap().contains("flat"), "{flat}");
    assert!(flat.get("parameters").is_none());
    assert_eq!(flat["n"], 24);
    let rye = find(&v["fits"], |e| e["group"] == "ryegrass");
    assert!(rye.get("error").is_none());
    assert_close("e", f(&rye["parameters"]["e"]), 3.05795, 1e-5);
    let t = run_text(&[
        "assay",
        "dose-response",
        "--data",
        &p,
        "--dose",
        "conc",
        "--response",
        "rootl",
        "--group",
        "species",
    ]);
    assert!(t.contains("!! Group flat: NOT FITTED"), "{t}");
    // every group unfittable: exit 1 naming each group
    let two_flat: String = ryegrass_csv(Some("flat"))
        .replace(",ryegrass\n", ",flat2\n")
        .lines()
        .map(|l| {
            if l.ends_with("flat2") {
                let mut c: Vec<&str> = l.split(',').collect();
                c[1] = "4";
                format!("{}\n", c.join(","))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let (dir, p) = data_file("two_flat.csv", &two_flat);
    fails(
        dir.path(),
        &[
            "assay",
            "dose-response",
            "--data",
            &p,
            "--dose",
            "conc",
            "--response",
            "rootl",
            "--group",
            "species",
        ],
        1,
        &["group flat:", "group flat2:", "flat response"],
    );
}

#[test]
fn flat_curve_is_an_analysis_failure() {
    let flat: String = ryegrass_csv(Some("flat"))
        .lines()
        .filter(|l| !l.ends_with("ryegrass"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (dir, p) = data_file("flat.csv", &flat);
    fails(
        dir.path(),
        &[
            "assay",
            "dose-response",
            "--data",
            &p,
            "--dose",
            "conc",
            "--response",
            "rootl",
        ],
        1,
        &["no dose-response curve could be fitted", "flat response"],
    );
}

#[test]
fn noisy_flat_data_are_refused_unless_forced() {
    // Simulated: 5 + N(0, 1) at every dose (Python random, seed 3).
    let text = "dose,resp\n0,5.095\n0,6.250\n0,4.069\n1,5.992\n1,4.741\n1,4.738\n2,6.900\n2,5.158\n2,4.957\n4,5.729\n4,6.127\n4,4.969\n8,5.588\n8,4.026\n8,4.633\n16,4.562\n16,3.668\n16,3.491\n";
    let (dir, p) = data_file("noisy.csv", text);
    fails(
        dir.path(),
        &[
            "assay",
            "dose-response",
            "--data",
            &p,
            "--dose",
            "dose",
            "--response",
            "resp",
        ],
        1,
        &["no dose effect", "P = 0.0724", "--force"],
    );
}

#[test]
fn fixed_top_gives_ll3u_as_scipy() {
    // tests/fixtures/assay/dose_response_reference.json, case "viability
    // LL.3u top 100" (scipy 1.17.1)
    let reference = json_fixture("assay/dose_response_reference.json");
    let dose = reference["viability"]["dose"].as_array().unwrap();
    let resp = reference["viability"]["response"].as_array().unwrap();
    let mut text = String::from("conc,viability\n");
    for (d, r) in dose.iter().zip(resp) {
        text.push_str(&format!("{},{}\n", f(d), f(r)));
    }
    let (_dir, p) = data_file("viability.csv", &text);
    let want = find(&reference["cases"], |c| {
        c["name"] == "viability LL.3u top 100"
    });
    let v = run_json(&[
        "assay",
        "dose-response",
        "--data",
        &p,
        "--dose",
        "conc",
        "--response",
        "viability",
        "--fixed-top",
        "100",
        "--ed",
        "50",
        "--ed-type",
        "absolute",
    ]);
    assert_eq!(v["model"], "LL.3u");
    let fit = &v["fits"][0];
    assert_eq!(fit["fixed"], serde_json::json!(["d"]));
    assert!(fit["se"]["d"].is_null());
    for k in ["b", "c", "e"] {
        assert_close(
            k,
            f(&fit["parameters"][k]),
            f(&want["parameters"][k]),
            tol::CURVE_FIT,
        );
        assert_close(
            &format!("se {k}"),
            f(&fit["se"][k]),
            f(&want["se"][k]),
            tol::CURVE_FIT,
        );
    }
    let ed = &fit["ed"][0];
    let wed = find(&want["ed"], |e| e["type"] == "absolute");
    assert_eq!(ed["type"], "absolute");
    assert_close(
        "IC50",
        f(&ed["estimate"]),
        f(&wed["estimate"]),
        tol::CURVE_FIT,
    );
}

#[test]
fn dose_response_bad_input() {
    let (dir, p) = data_file("ryegrass.csv", &ryegrass_csv(None));
    let base = [
        "assay",
        "dose-response",
        "--data",
        &p,
        "--dose",
        "conc",
        "--response",
    ];
    let with = |extra: &[&'static str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        a
    };
    fails(
        dir.path(),
        &with(&["rootlength"]),
        2,
        &["rootlength", "rootl"],
    );
    fails(
        dir.path(),
        &with(&["rootl", "--model", "ll4", "--fixed-top", "8"]),
        2,
        &["--model ll4", "--fixed-top"],
    );
    fails(
        dir.path(),
        &with(&["rootl", "--model", "ll2"]),
        2,
        &["--fixed-top"],
    );
    fails(
        dir.path(),
        &with(&["rootl", "--ed", "150"]),
        2,
        &["150", "between 0 and 100"],
    );
    fails(
        dir.path(),
        &with(&["species"]),
        2,
        &["species", "not a number"],
    );
    let (dir, p) = data_file("neg.csv", "conc,rootl\n0,7\n-1,6\n2,3\n4,1\n");
    fails(
        dir.path(),
        &[
            "assay",
            "dose-response",
            "--data",
            &p,
            "--dose",
            "conc",
            "--response",
            "rootl",
        ],
        2,
        &["neg.csv", "row 2", "conc", "-1", ">= 0"],
    );
}

// ---- synergy -----------------------------------------------------------

#[test]
fn chou_1994_through_the_cli() {
    let (_dir, p) = data_file("chou1994.csv", &common::lab::chou_1994_csv());
    let v = run_json(&[
        "assay",
        "synergy",
        "--data",
        &p,
        "--dose-a",
        "paclitaxel",
        "--dose-b",
        "cisplatin",
        "--effect",
        "fa",
        "--method",
        "chou-talalay",
    ]);
    // The values of docs/cli-contract.md and the assay issue, recomputed by
    // tests/fixtures/assay/chou_talalay_reference.py (numpy 2.4.6).
    let d10 = tol::printed_digits(10);
    assert_eq!(v["scale"], "fa");
    assert_eq!(v["drugs"][0]["drug"], "a");
    assert_close("paclitaxel m", f(&v["drugs"][0]["m"]), 1.247829351, d10);
    assert_close(
        "paclitaxel Dm",
        f(&v["drugs"][0]["dm"]),
        0.002167772116,
        d10,
    );
    assert_close(
        "paclitaxel r",
        f(&v["drugs"][0]["r"]),
        0.99013456,
        tol::printed_digits(8),
    );
    assert_close("cisplatin m", f(&v["drugs"][1]["m"]), 1.459899574, d10);
    assert_close("cisplatin Dm", f(&v["drugs"][1]["dm"]), 0.3201556695, d10);
    assert_close("mixture ratio", f(&v["mixture"]["ratio"]), 0.01, 1e-9);
    assert_close("mixture m", f(&v["mixture"]["m"]), 1.571596641, d10);
    assert_close("mixture Dm", f(&v["mixture"]["dm"]), 0.1158611604, d10);
    let want = [0.887486, 0.781047, 0.690139, 0.635908];
    for (row, w) in v["fa_ci"].as_array().unwrap().iter().zip(want) {
        assert_close("Fa-CI", f(&row["ci"]), w, tol::printed_digits(6));
    }
    assert_eq!(v["fa_ci"][0]["grade"], "slight synergism");
    let p0 = &v["points"][0];
    assert_close("CI", f(&p0["ci"]), 0.9001586, tol::printed_digits(7));
    assert_close("DRI a", f(&p0["dri_a"]), 1.845747, tol::printed_digits(7));
    assert_close("DRI b", f(&p0["dri_b"]), 2.790392, tol::printed_digits(7));
    assert!(v.get("reference_models").is_none());
    assert_eq!(v["unavailable"], serde_json::json!([]));
    assert_eq!(v["methods"], serde_json::json!(["chou-talalay"]));
}

#[test]
fn synergy_all_on_a_chou_design_lists_the_unavailable_models() {
    let (dir, p) = data_file("chou1994.csv", &common::lab::chou_1994_csv());
    let args = [
        "assay",
        "synergy",
        "--data",
        &p,
        "--dose-a",
        "paclitaxel",
        "--dose-b",
        "cisplatin",
        "--effect",
        "fa",
    ];
    let v = run_json(&args);
    let un = v["unavailable"].as_array().unwrap();
    assert_eq!(un.len(), 4);
    assert!(un[0]["message"]
        .as_str()
        .unwrap()
        .contains("full checkerboard"));
    assert!(v["fa_ci"].is_array());
    let t = run_text(&args);
    assert!(t.contains("slight synergism (+)"), "{t}");
    assert!(t.contains("!! bliss, hsa, loewe, zip not computed"), "{t}");
    // only a model that cannot be computed: exit 1
    let mut only: Vec<&str> = args.to_vec();
    only.extend(["--method", "bliss"]);
    fails(dir.path(), &only, 1, &["bliss", "full checkerboard"]);
}

#[test]
fn checkerboard_example_with_bootstrap_and_bliss_by_hand() {
    let data = example("synergy_checkerboard.csv");
    let v = run_json(&[
        "assay",
        "synergy",
        "--data",
        &data,
        "--dose-a",
        "trastuzumab",
        "--dose-b",
        "aiib2",
        "--effect",
        "viability",
        "--scale",
        "viability",
        "--bootstrap",
        "200",
    ]);
    assert_eq!(v["scale"], "viability");
    assert_eq!(v["n"], 60);
    assert_eq!(f(&v["mixture"]["ratio"]), 1.0);
    assert_eq!(v["points"].as_array().unwrap().len(), 12);
    assert_eq!(v["bootstrap"]["n_boot"], 200);
    assert!(v["points"][0]["ci_lower"].is_number());
    assert_eq!(v["unavailable"], serde_json::json!([]));
    // Bliss by hand from the file: mean inhibition (100 - viability) per
    // dose pair over the three experiments; reference ya + yb - ya yb / 100
    // from the single-drug cells; score = mean over the 12 combinations.
    let text = std::fs::read_to_string(&data).unwrap();
    let mut cells: std::collections::BTreeMap<(String, String), Vec<f64>> = Default::default();
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        cells
            .entry((c[2].to_string(), c[3].to_string()))
            .or_default()
            .push(100.0 - c[4].parse::<f64>().unwrap());
    }
    let y = |a: &str, b: &str| {
        let v = &cells[&(a.to_string(), b.to_string())];
        v.iter().sum::<f64>() / v.len() as f64
    };
    let mut score = 0.0;
    for a in ["0.1", "1", "10", "100"] {
        for b in ["0.1", "1", "10"] {
            let (ya, yb) = (y(a, "0"), y("0", b));
            score += y(a, b) - (ya + yb - ya * yb / 100.0);
        }
    }
    score /= 12.0;
    let bliss = &v["reference_models"]["bliss"];
    assert_close("Bliss score", f(&bliss["score"]), score, tol::EXACT);
    assert_eq!(bliss["cells"].as_array().unwrap().len(), 12);
    for m in ["hsa", "loewe", "zip"] {
        assert!(v["reference_models"][m]["score"].is_number(), "{m}");
    }
    let c = run_text(&[
        "assay",
        "synergy",
        "--data",
        &data,
        "--dose-a",
        "trastuzumab",
        "--dose-b",
        "aiib2",
        "--effect",
        "viability",
        "--scale",
        "viability",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = c.lines().collect();
    assert_eq!(
        lines[0],
        "dose_a,dose_b,fa,n,ci,ci_lower,ci_upper,ci_nonexclusive,dri_a,dri_b,grade,bliss,hsa,loewe,zip"
    );
    assert_eq!(lines.len(), 13);
    assert!(lines[1].starts_with("0.1,0.1,"));
    assert_eq!(lines[1].split(',').count(), 15);
}

#[test]
fn synergy_bad_input() {
    let (dir, p) = data_file("neg.csv", "a,b,fa\n0.1,0,0.2\n0.2,0,0.4\n0,-1,0.3\n");
    fails(
        dir.path(),
        &[
            "assay", "synergy", "--data", &p, "--dose-a", "a", "--dose-b", "b", "--effect", "fa",
        ],
        2,
        &["neg.csv", "row 3", "\"b\"", ">= 0"],
    );
    fails(
        dir.path(),
        &[
            "assay", "synergy", "--data", &p, "--dose-a", "a", "--dose-b", "b", "--effect", "eff",
        ],
        2,
        &["eff", "fa"],
    );
}

// ---- help --------------------------------------------------------------

#[test]
fn help_shows_the_subcommands_and_examples() {
    let t = run_text(&["assay", "--help"]);
    for sub in [
        "viability",
        "clonogenic",
        "blot",
        "dose-response",
        "synergy",
    ] {
        assert!(t.contains(sub), "{sub} in {t}");
    }
    let t = run_text(&["assay", "viability", "--help"]);
    assert!(t.contains("oncomark assay viability --plates xtt_exp1.csv,xtt_exp2.csv,xtt_exp3.csv"));
    assert!(t.contains("--blank-subtraction"));
    let t = run_text(&["assay", "dose-response", "--help"]);
    assert!(t.contains("--fixed-top"));
}
