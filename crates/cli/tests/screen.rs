//! `oncomark screen` end to end on the breast cancer cohort of
//! examples/screen/ (GEO GSE7390, Desmedt et al. 2007, exported from
//! scikit-survival 0.28.0 by examples/screen/export_breast_cancer.py),
//! against tests/fixtures/screen/screen_reference.csv (R 4.2.2, survival
//! 3.5-3, maxstat 0.7-25; made by screen_reference.R next to it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use oncomark_testkit::{assert_close, read_fixture_csv, tol};
use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn oncomark_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oncomark"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run oncomark");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn oncomark(args: &[&str]) -> Run {
    oncomark_env(args, &[])
}

/// A file of examples/screen/.
fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/screen")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// `oncomark screen` of `clinical` and `markers` (time, event, id) with
/// extra arguments; panics unless it succeeds.
fn screen_run(clinical: &str, markers: &str, extra: &[&str], env: &[(&str, &str)]) -> String {
    let mut args = vec![
        "screen",
        "--clinical",
        clinical,
        "--markers",
        markers,
        "--time",
        "time",
        "--event",
        "event",
    ];
    args.extend_from_slice(extra);
    let r = oncomark_env(&args, env);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    r.stdout
}

fn screen_json(clinical: &str, markers: &str, extra: &[&str]) -> Value {
    let mut a = extra.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&screen_run(clinical, markers, &a, &[])).expect("JSON on stdout")
}

/// Parse CSV text (no quoted commas in these files) into a header and rows.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let head = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (head, rows)
}

#[test]
fn cohort_screen_matches_r_for_every_marker_and_column() {
    let out = screen_run(
        &example("clinical.csv"),
        &example("markers.csv"),
        &["--format", "csv"],
        &[],
    );
    let (head, rows) = parse_csv(&out);
    assert_eq!(rows.len(), 76);
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let ours: HashMap<&str, &Vec<String>> = rows.iter().map(|r| (r[0].as_str(), r)).collect();
    let (rh, rr) = read_fixture_csv("screen/screen_reference.csv");
    assert_eq!(rr.len(), 76);
    // coxph stops at a relative log-likelihood change of 1e-9 (COX);
    // survdiff, quantiles and the maxstat sums are closed forms
    let fields: [(&str, f64); 26] = [
        ("n", tol::EXACT),
        ("events", tol::EXACT),
        ("cox_hr_per_sd", tol::COX),
        ("cox_lower", tol::COX),
        ("cox_upper", tol::COX),
        ("cox_p", tol::COX),
        ("cox_q", tol::COX),
        ("median_cut", tol::EXACT),
        ("median_hr", tol::COX),
        ("median_lower", tol::COX),
        ("median_upper", tol::COX),
        ("median_p", tol::LOGRANK),
        ("q1_cut", tol::EXACT),
        ("q1_hr", tol::COX),
        ("q1_p", tol::LOGRANK),
        ("q3_cut", tol::EXACT),
        ("q3_hr", tol::COX),
        ("q3_p", tol::LOGRANK),
        ("best_cut", tol::EXACT),
        ("best_statistic", tol::MAXSTAT),
        ("best_n_low", tol::EXACT),
        ("best_hr", tol::COX),
        ("best_lower", tol::COX),
        ("best_upper", tol::COX),
        ("best_p_lau94", tol::MAXSTAT),
        ("best_q", tol::MAXSTAT),
    ];
    let mut checked = 0;
    for r in &rr {
        let marker = r[0].as_deref().unwrap();
        let got = ours
            .get(marker)
            .unwrap_or_else(|| panic!("no row {marker}"));
        assert_eq!(got[col("note")], "", "{marker} has a note");
        for (name, tl) in fields {
            let want: f64 = r[rh.iter().position(|h| h == name).unwrap()]
                .as_deref()
                .unwrap()
                .parse()
                .unwrap();
            let have: f64 = got[col(name)].parse().unwrap();
            let what = format!("{marker} {name}");
            if name == "best_p_lau94" && want > 1.0 {
                // R's pLausen94 exceeds 1 for weak markers; ours is clamped
                assert_eq!(have, 1.0, "{what}");
            } else if name == "best_p_lau94" && (have - want).abs() <= tol::R_ONE_MINUS_ABS {
                // R computes 1 - (pnorm(b) - pnorm(-b)): a few 1e-16 absolute
            } else {
                assert_close(&what, have, want, tl);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 76 * 26);
    // sorted by best-cutpoint q, then its P
    let key = |r: &Vec<String>| {
        (
            r[col("best_q")].parse::<f64>().unwrap(),
            r[col("best_p_lau94")].parse::<f64>().unwrap(),
        )
    };
    for w in rows.windows(2) {
        assert!(key(&w[0]) <= key(&w[1]), "{} before {}", w[0][0], w[1][0]);
    }
    // R: the two markers with BH q <= 0.05 on the corrected P
    assert_eq!(rows[0][0], "X202240_at");
    assert_eq!(rows[1][0], "X203306_s_at");
}

#[test]
fn json_reports_the_join_and_the_discoveries() {
    let got = screen_json(&example("clinical.csv"), &example("markers.csv"), &[]);
    let j = &got["join"];
    assert_eq!(j["clinical_rows"], 198);
    assert_eq!(j["matched"], 198);
    assert_eq!(j["clinical_only"], 0);
    assert_eq!(j["markers_only"], 0);
    assert_eq!(got["n_patients"], 198);
    assert_eq!(got["events"], 51);
    assert_eq!(got["n_markers"], 76);
    assert_eq!(got["min_prop"], 0.25);
    assert_eq!(got["max_prop"], 0.75);
    assert_eq!(got["layout"], "wide");
    // R p.adjust(BH): best_q <= 0.05 for 2 markers, cox_q for none
    assert_eq!(got["significant_best"], 2);
    assert_eq!(got["significant_cox"], 0);
    assert!(got["notes"].as_array().unwrap().is_empty());
    assert_eq!(got["rows"].as_array().unwrap().len(), 76);
    assert_eq!(got["rows"][0]["marker"], "X202240_at");
}

#[test]
fn text_shows_the_top_k_and_says_what_the_p_means() {
    let out = screen_run(
        &example("clinical.csv"),
        &example("markers.csv"),
        &["--top", "3"],
        &[],
    );
    assert!(out.contains("Top 3 by best-cutpoint q"), "{out}");
    assert!(out.contains("X202240_at") && out.contains("X208180_s_at"));
    assert!(!out.contains("X204015_s_at"), "only the top 3: {out}");
    assert!(out.contains("not a valid P value"));
    assert!(out.contains("2 markers with best-cutpoint q <= 0.05"));
}

/// A long table (id, marker, value) of examples/screen/markers.csv, rows
/// in a scrambled order, in `dir`.
fn long_markers(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(example("markers.csv")).unwrap();
    let (head, rows) = parse_csv(&text);
    let mut cells: Vec<String> = Vec::new();
    for r in &rows {
        for (j, name) in head.iter().enumerate().skip(1) {
            cells.push(format!("{},{name},{}", r[0], r[j]));
        }
    }
    // a fixed scramble: stride 7919 (prime, coprime with the length)
    let n = cells.len();
    assert_ne!(n % 7919, 0);
    let mut out = String::from("patient,gene,expression\n");
    for k in 0..n {
        out.push_str(&cells[(k * 7919) % n]);
        out.push('\n');
    }
    let p = dir.join("long.csv");
    std::fs::write(&p, out).unwrap();
    p
}

#[test]
fn long_layout_gives_the_same_screen_as_wide() {
    let dir = tempfile::tempdir().unwrap();
    let long = long_markers(dir.path());
    // the clinical id column renamed to match the long table's
    let clin = std::fs::read_to_string(example("clinical.csv"))
        .unwrap()
        .replacen("id,", "patient,", 1);
    let clin_p = dir.path().join("clin.csv");
    std::fs::write(&clin_p, clin).unwrap();
    let wide = screen_run(
        &example("clinical.csv"),
        &example("markers.csv"),
        &["--format", "csv"],
        &[],
    );
    let long_out = screen_run(
        clin_p.to_str().unwrap(),
        long.to_str().unwrap(),
        &[
            "--layout",
            "long",
            "--id",
            "patient",
            "--marker-column",
            "gene",
            "--value-column",
            "expression",
            "--format",
            "csv",
        ],
        &[],
    );
    assert_eq!(wide, long_out);
}

#[test]
fn result_does_not_depend_on_the_thread_count() {
    let run = |threads: &str| {
        screen_run(
            &example("clinical.csv"),
            &example("markers.csv"),
            &["--format", "csv"],
            &[("RAYON_NUM_THREADS", threads)],
        )
    };
    assert_eq!(run("1"), run("2"));
}

/// Writes `text` to `name` in `dir`.
fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn unmatched_patients_are_dropped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let clin = std::fs::read_to_string(example("clinical.csv")).unwrap();
    let mark = std::fs::read_to_string(example("markers.csv")).unwrap();
    // clinical: P001 loses its time, two patients without markers are added;
    // markers: P198 and P197 removed, three unknown patients added
    let mut c: Vec<String> = clin.lines().map(str::to_string).collect();
    c[1] = c[1].replacen(",723,", ",NA,", 1);
    c.push("Q1,100,1,50,2,NA,positive".into());
    c.push("Q2,200,0,50,2,NA,positive".into());
    let mut m: Vec<String> = mark
        .lines()
        .filter(|l| !l.starts_with("P198,") && !l.starts_with("P197,"))
        .map(str::to_string)
        .collect();
    let body = m[1].split_once(',').unwrap().1.to_string();
    for id in ["Z1", "Z2", "Z3"] {
        m.push(format!("{id},{body}"));
    }
    let cp = write(dir.path(), "c.csv", &(c.join("\n") + "\n"));
    let mp = write(dir.path(), "m.csv", &(m.join("\n") + "\n"));
    let got = screen_json(&cp, &mp, &[]);
    let j = &got["join"];
    assert_eq!(j["clinical_rows"], 200);
    assert_eq!(j["clinical_dropped_missing"], 1);
    assert_eq!(j["marker_patients"], 199);
    // P001 (no time), Z1-Z3
    assert_eq!(j["markers_only"], 4);
    // P197, P198, Q1, Q2
    assert_eq!(j["clinical_only"], 4);
    assert_eq!(j["matched"], 195);
    assert_eq!(got["n_patients"], 195);
    let notes = got["notes"].to_string();
    assert!(notes.contains("1 clinical rows dropped"), "{notes}");
    assert!(notes.contains("4 clinical patients have no row"), "{notes}");
    assert!(notes.contains("4 patients of the marker table"), "{notes}");
}

#[test]
fn constant_marker_gets_a_note_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let mark = std::fs::read_to_string(example("markers.csv")).unwrap();
    let m: Vec<String> = mark
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}", if i == 0 { "flat" } else { "3" }))
        .collect();
    let mp = write(dir.path(), "m.csv", &(m.join("\n") + "\n"));
    let got = screen_json(&example("clinical.csv"), &mp, &[]);
    let rows = got["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 77);
    // sorted last, without statistics
    let last = &rows[76];
    assert_eq!(last["marker"], "flat");
    assert!(last["note"].as_str().unwrap().contains("constant"));
    assert!(last["best_q"].is_null());
    // the other markers' q values are those of the 76 (q counts markers with a P)
    assert_eq!(got["significant_best"], 2);
}

#[test]
fn volcano_plot_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("volcano.svg");
    let got = screen_json(
        &example("clinical.csv"),
        &example("markers.csv"),
        &[
            "--plot",
            svg.to_str().unwrap(),
            "--plot-by",
            "best",
            "--top",
            "5",
        ],
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"), "{}", &text[..60.min(text.len())]);
    assert!(text.contains("X202240_at"));
    let plot = &got["plot"];
    assert_eq!(plot["by"], "best");
    assert_eq!(plot["points"], 76);
    assert_eq!(
        plot["labelled"].as_array().unwrap().len() + plot["unlabelled"].as_array().unwrap().len(),
        5
    );
}

#[test]
fn combined_file_screens_its_numeric_columns_with_exclude() {
    // clinical.csv as both tables: time/event are never screened, the text
    // columns must be left out with --exclude
    let c = example("clinical.csv");
    let got = screen_json(&c, &c, &["--exclude", "grade,er"]);
    let names: Vec<&str> = got["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["marker"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["size", "age"]);
    let note = got["notes"][0].as_str().unwrap();
    assert!(note.contains("\"time\", \"event\""), "{note}");
    let dir = tempfile::tempdir().unwrap();
    fails(
        dir.path(),
        &c,
        &c,
        &[],
        2,
        &["\"grade\"", "poorly differentiated", "--exclude"],
    );
    fails(
        dir.path(),
        &c,
        &c,
        &["--exclude", "grdae"],
        2,
        &["did you mean \"grade\""],
    );
}

// --- bad input ---------------------------------------------------------

/// Runs `screen` with `--out` (and maybe `--plot`) into `dir`; asserts the
/// status, the message, and that no file is left behind.
fn fails(dir: &Path, clinical: &str, markers: &str, extra: &[&str], code: i32, needles: &[&str]) {
    let out = dir.join("result.csv");
    let before = std::fs::read_dir(dir).unwrap().count();
    let out_s = out.to_str().unwrap().to_string();
    let mut args = vec![
        "screen",
        "--clinical",
        clinical,
        "--markers",
        markers,
        "--time",
        "time",
        "--event",
        "event",
        "--format",
        "csv",
        "--out",
        &out_s,
    ];
    args.extend_from_slice(extra);
    let r = oncomark(&args);
    assert_eq!(r.code, code, "exit status; stderr: {}", r.stderr);
    for n in needles {
        assert!(
            r.stderr.contains(n),
            "stderr should mention {n:?}; got: {}",
            r.stderr
        );
    }
    assert!(!out.exists(), "no output file may be left behind");
    assert_eq!(
        before,
        std::fs::read_dir(dir).unwrap().count(),
        "no file may be left"
    );
}

const CLIN: &str = "id,time,event\nA,5,1\nB,8,0\nC,3,1\nD,9,1\n";

#[test]
fn duplicate_clinical_id_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(dir.path(), "c.csv", "id,time,event\nA,5,1\nB,8,0\nA,3,1\n");
    let m = write(dir.path(), "m.csv", "id,g1\nA,1\nB,2\n");
    fails(
        dir.path(),
        &c,
        &m,
        &[],
        2,
        &["\"A\" appears twice", "c.csv", "line 2", "line 4"],
    );
}

#[test]
fn duplicate_marker_id_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(dir.path(), "c.csv", CLIN);
    let m = write(dir.path(), "m.csv", "id,g1\nA,1\nB,2\nC,3\nB,4\n");
    fails(
        dir.path(),
        &c,
        &m,
        &[],
        2,
        &["\"B\" appears twice", "m.csv"],
    );
}

#[test]
fn duplicate_long_measurement_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(dir.path(), "c.csv", CLIN);
    let m = write(
        dir.path(),
        "m.csv",
        "id,marker,value\nA,g1,1\nB,g1,2\nC,g2,3\nB,g1,4\n",
    );
    fails(
        dir.path(),
        &c,
        &m,
        &["--layout", "long"],
        2,
        &["\"B\"", "two values of marker \"g1\""],
    );
}

#[test]
fn no_common_id_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(dir.path(), "c.csv", CLIN);
    let m = write(dir.path(), "m.csv", "id,g1\n1,1\n2,2\n");
    fails(
        dir.path(),
        &c,
        &m,
        &[],
        2,
        &["no patient id", "\"A\"", "\"1\""],
    );
}

#[test]
fn text_marker_cell_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(dir.path(), "c.csv", CLIN);
    let m = write(dir.path(), "m.csv", "id,g1,g2\nA,1,2\nB,2,high\nC,3,1\n");
    fails(
        dir.path(),
        &c,
        &m,
        &[],
        2,
        &["\"g2\"", "\"high\"", "line 3"],
    );
}

#[test]
fn missing_id_column_suggests_the_nearest() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(dir.path(), "c.csv", CLIN);
    let m = write(dir.path(), "m.csv", "ID,g1\nA,1\n");
    fails(
        dir.path(),
        &c,
        &m,
        &[],
        2,
        &["no column \"id\"", "did you mean \"ID\""],
    );
}

#[test]
fn bad_plot_extension_and_options_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let c = write(dir.path(), "c.csv", CLIN);
    let m = write(dir.path(), "m.csv", "id,g1\nA,1\nB,2\nC,3\nD,4\n");
    let plot = dir.path().join("v.pdf");
    fails(
        dir.path(),
        &c,
        &m,
        &["--plot", plot.to_str().unwrap()],
        2,
        &["--plot", ".svg"],
    );
    fails(dir.path(), &c, &m, &["--fdr", "1.5"], 2, &["--fdr"]);
    fails(
        dir.path(),
        &c,
        &m,
        &["--min-prop", "0.6", "--max-prop", "0.4"],
        2,
        &["--min-prop"],
    );
}
