//! `oncomark cutpoint` end to end, against R 4.2.2 maxstat 0.7-25 and
//! survival 3.5-3 on TH.data GBSG2 (tests/fixtures/r-survival/gbsg2.csv;
//! reference values in tests/fixtures/cutpoint/maxstat.json and
//! validation.json, made by tests/fixtures/cutpoint/cutpoint_reference.R).

use std::path::{Path, PathBuf};
use std::process::Command;

use oncomark_testkit::{assert_close, fixture, json_fixture, tol};
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

fn gbsg2() -> String {
    fixture("r-survival/gbsg2.csv")
        .to_str()
        .unwrap()
        .to_string()
}

/// `oncomark cutpoint` on `data` (time, cens) with `marker` and extra
/// arguments, as JSON; panics unless it succeeds.
fn cut_json(data: &str, marker: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "cutpoint", "--data", data, "--time", "time", "--event", "cens", "--marker", marker,
        "--format", "json",
    ];
    args.extend_from_slice(extra);
    let r = oncomark(&args);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    serde_json::from_str(&r.stdout).expect("JSON on stdout")
}

fn f(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {v}"))
}

/// A Lau94 P against R's `pLausen94`, which computes `1 - (pnorm(b) -
/// pnorm(-b))` and so carries an absolute error of a few 1e-16 (we use
/// `erfc`): relative `tol::MAXSTAT` or absolute `tol::R_ONE_MINUS_ABS`.
fn assert_lau94(what: &str, got: f64, want: f64) {
    if (got - want).abs() > tol::R_ONE_MINUS_ABS {
        assert_close(what, got, want, tol::MAXSTAT);
    }
}

/// The R case of maxstat.json named `name`.
fn case(name: &str) -> Value {
    let d = json_fixture("cutpoint/maxstat.json");
    d["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no case {name}"))
        .clone()
}

/// The header and the first `rows` data rows of GBSG2, with an extra
/// column computed from the 1-based row number, in a fresh folder.
fn gbsg2_subset(
    rows: usize,
    extra: Option<(&str, &dyn Fn(usize) -> String)>,
) -> (tempfile::TempDir, PathBuf) {
    let text = std::fs::read_to_string(gbsg2()).unwrap();
    let mut lines = text.lines();
    let mut out = String::from(lines.next().unwrap());
    if let Some((name, _)) = extra {
        out.push_str(&format!(",{name}"));
    }
    out.push('\n');
    for (i, l) in lines.take(rows).enumerate() {
        out.push_str(l);
        if let Some((_, g)) = extra {
            out.push_str(&format!(",{}", g(i + 1)));
        }
        out.push('\n');
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gbsg2_subset.csv");
    std::fs::write(&p, out).unwrap();
    (dir, p)
}

/// Compares a cutpoint result with an R case of maxstat.json.
fn check_case(got: &Value, c: &Value) {
    let name = c["name"].as_str().unwrap();
    assert_eq!(got["marker"], c["marker"]);
    assert_eq!(got["n"], c["n"], "{name}: n");
    assert_eq!(got["events"], c["events"], "{name}: events");
    assert_close(
        &format!("{name}: statistic"),
        f(&got["statistic"]),
        f(&c["statistic"]),
        tol::MAXSTAT,
    );
    assert_eq!(f(&got["cutpoint"]), f(&c["cutpoint"]), "{name}: cutpoint");
    assert_lau94(
        &format!("{name}: Lau94"),
        f(&got["p_values"]["lau94"]),
        f(&c["p_lau94"]),
    );
    assert_eq!(
        got["n_splits"].as_u64().unwrap() as usize,
        c["cuts"].as_array().unwrap().len()
    );
    let g = &got["groups"];
    assert_eq!(g[0]["group"], "low");
    assert_eq!(g[0]["n"], c["n_low"], "{name}: low n");
    assert_eq!(g[0]["events"], c["events_low"], "{name}: low events");
    assert_eq!(
        g[1]["n"].as_u64().unwrap() + g[0]["n"].as_u64().unwrap(),
        c["n"].as_u64().unwrap()
    );
    // R coxph(Surv ~ x > cutpoint), Efron ties
    for (ours, theirs) in [("hr", "hr"), ("hr_lower", "lower"), ("hr_upper", "upper")] {
        assert_close(
            &format!("{name}: {ours}"),
            f(&got[ours]),
            f(&c["hr"][theirs]),
            tol::COX,
        );
    }
}

#[test]
fn gbsg2_progrec_matches_r_maxstat() {
    // R maxstat 0.7-25: statistic 6.7716609597, cutpoint 21, Lau94 8.290044462e-10
    let got = cut_json(&gbsg2(), "progrec", &["--p-method", "lau94,lau92"]);
    let c = case("gbsg2_progrec");
    check_case(&got, &c);
    assert_close(
        "printed statistic",
        f(&got["statistic"]),
        6.7716609597,
        tol::printed_digits(11),
    );
    assert_lau94(
        "printed Lau94",
        f(&got["p_values"]["lau94"]),
        8.290044462e-10,
    );
    assert_close(
        "Lau92",
        f(&got["p_values"]["lau92"]),
        f(&c["p_lau92"]),
        tol::MAXSTAT,
    );
    assert_eq!(got["dropped_missing"], 0);
    assert_eq!(got["statistic_kind"], "logrank");
    // the raw minimum P is never part of the result
    let keys: Vec<&String> = got["p_values"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["lau92", "lau94"]);
    assert!(!got.to_string().contains("raw"));
}

#[test]
fn gbsg2_estrec_matches_r_maxstat() {
    // R maxstat 0.7-25: statistic 4.8689077708, cutpoint 8, Lau94 5.555047631e-5
    let got = cut_json(&gbsg2(), "estrec", &[]);
    check_case(&got, &case("gbsg2_estrec"));
    assert_close(
        "printed statistic",
        f(&got["statistic"]),
        4.8689077708,
        tol::printed_digits(11),
    );
    assert_close(
        "printed Lau94",
        f(&got["p_values"]["lau94"]),
        5.555047631e-5,
        tol::printed_digits(10),
    );
    // the default is Lau94 alone
    assert_eq!(got["p_values"].as_object().unwrap().len(), 1);
}

#[test]
fn profile_matches_r_statistic_at_every_split() {
    let got = cut_json(&gbsg2(), "progrec", &["--profile"]);
    let c = case("gbsg2_progrec");
    let prof = got["profile"].as_array().unwrap();
    let (cuts, stats, sizes) = (
        c["cuts"].as_array().unwrap(),
        c["stats"].as_array().unwrap(),
        c["sizes"].as_array().unwrap(),
    );
    assert_eq!(prof.len(), cuts.len());
    for (k, sp) in prof.iter().enumerate() {
        assert_eq!(f(&sp["cut"]), f(&cuts[k]), "cut {k}");
        assert_eq!(sp["n_low"], sizes[k], "size {k}");
        assert_close(
            &format!("statistic at split {k}"),
            f(&sp["statistic"]),
            f(&stats[k]),
            tol::MAXSTAT,
        );
    }
    // --format csv with --profile is that profile
    let r = oncomark(&[
        "cutpoint",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--marker",
        "progrec",
        "--profile",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "cut,n_low,statistic");
    assert_eq!(lines.len(), cuts.len() + 1);
}

#[test]
fn first_80_rows_every_p_method_matches_r() {
    // gbsg2 rows 1-80, progrec: R Lau92 0.122847479685518, Lau94
    // 0.116614574351787, HL 0.224708185783705 (statistic on integer scores
    // 2.69189758661313, cutpoint 19), mvtnorm over the splits at the
    // statistic 0.0723729630400752 ± 1.331e-4, condMC (B = 1e6) 0.071898.
    let (_dir, p) = gbsg2_subset(80, None);
    let got = cut_json(
        p.to_str().unwrap(),
        "progrec",
        &[
            "--p-method",
            "all",
            "--permutations",
            "20000",
            "--seed",
            "3",
        ],
    );
    let c = case("gbsg2_rows1_80_progrec");
    check_case(&got, &c);
    let pv = &got["p_values"];
    assert_close("Lau92", f(&pv["lau92"]), f(&c["p_lau92"]), tol::MAXSTAT);
    assert_close("HL", f(&pv["hl"]), f(&c["hl"]["p"]), tol::MAXSTAT);
    assert_close(
        "HL statistic",
        f(&got["hl"]["statistic"]),
        f(&c["hl"]["statistic"]),
        tol::MAXSTAT,
    );
    assert_eq!(f(&got["hl"]["cutpoint"]), f(&c["hl"]["cutpoint"]));
    let eg = c["exact_gauss"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| (f(&e["b"]) - f(&c["statistic"])).abs() < 1e-12)
        .expect("mvtnorm at the observed statistic");
    let exact = f(&pv["exact_gauss"]);
    assert!(
        (exact - f(&eg["p"])).abs() <= tol::MC_SIGMAS * f(&eg["error"]),
        "exact {exact} vs mvtnorm {} ± {}",
        eg["p"],
        eg["error"]
    );
    let perm = f(&pv["permutation"]);
    let want = f(&c["cond_mc"]["p"]);
    let se = (want * (1.0 - want) / 20000.0).sqrt();
    assert!(
        (perm - want).abs() <= tol::MC_SIGMAS * se,
        "permutation {perm} vs R condMC {want} ± {se}"
    );
    assert_eq!(got["permutation"]["replicates"], 20000);
    assert_eq!(got["permutation"]["seed"], 3);
    // Altman's correction equals Lau92 for this standardized statistic
    assert_close("Altman", f(&pv["altman"]), f(&c["p_lau92"]), tol::MAXSTAT);
    assert!(
        got["notes"].as_array().unwrap().is_empty(),
        "{}",
        got["notes"]
    );
}

#[test]
fn all_methods_on_gbsg2_skip_hl_with_a_note() {
    let got = cut_json(
        &gbsg2(),
        "progrec",
        &["--p-method", "all", "--permutations", "200"],
    );
    let pv = got["p_values"].as_object().unwrap();
    assert!(!pv.contains_key("hl"));
    for m in ["lau92", "lau94", "exact_gauss", "permutation", "altman"] {
        assert!(pv.contains_key(m), "{m} missing: {pv:?}");
    }
    let notes = got["notes"].to_string();
    assert!(notes.contains("hl P skipped"), "{notes}");
    // the exact Gaussian-limit P is below the conservative Lau94 bound
    assert!(f(&got["p_values"]["exact_gauss"]) <= f(&got["p_values"]["lau94"]));
}

#[test]
fn permutation_p_is_deterministic_by_seed_and_thread_count() {
    let (_dir, p) = gbsg2_subset(80, None);
    let run = |seed: &str, threads: &str| {
        let r = oncomark_env(
            &[
                "cutpoint",
                "--data",
                p.to_str().unwrap(),
                "--time",
                "time",
                "--event",
                "cens",
                "--marker",
                "progrec",
                "--p-method",
                "permutation",
                "--permutations",
                "3000",
                "--seed",
                seed,
                "--format",
                "json",
            ],
            &[("RAYON_NUM_THREADS", threads)],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str::<Value>(&r.stdout).unwrap()["permutation"].clone()
    };
    let a = run("11", "1");
    assert_eq!(a, run("11", "2"), "thread count changed the result");
    assert_eq!(a, run("11", "1"), "same seed, different result");
    let b = run("12", "2");
    assert_eq!(b["seed"], 12);
    assert_ne!(a["exceed"], b["exceed"], "a new seed should give new draws");
    // --permutations alone asks for the permutation P
    let got = cut_json(p.to_str().unwrap(), "progrec", &["--permutations", "99"]);
    assert_eq!(got["permutation"]["replicates"], 99);
    assert!(got["p_values"]["lau94"].is_number());
}

/// R validation.json, first_n: cutpoint on rows 1-343, tested on 344-686.
fn check_first_n(v: &Value) {
    let r = json_fixture("cutpoint/validation.json");
    let w = &r["first_n"];
    let tr = &v["training"];
    assert_eq!(tr["n"], w["n_train"]);
    assert_eq!(f(&tr["cutpoint"]), f(&w["cutpoint"]));
    assert_close(
        "training statistic",
        f(&tr["statistic"]),
        f(&w["statistic"]),
        tol::MAXSTAT,
    );
    assert_lau94("training Lau94", f(&tr["p_lau94"]), f(&w["p_lau94_train"]));
    let va = &v["validation"];
    assert_eq!(va["n"], w["test_n"]);
    assert_eq!(va["groups"][0]["n"], w["test_n_low"]);
    assert_eq!(va["groups"][0]["events"], w["test_events_low"]);
    assert_close(
        "survdiff chisq",
        f(&va["chisq"]),
        f(&w["test_chisq"]),
        tol::LOGRANK,
    );
    assert_close("survdiff P", f(&va["p"]), f(&w["test_p"]), tol::LOGRANK);
    for (ours, theirs) in [("hr", "hr"), ("hr_lower", "lower"), ("hr_upper", "upper")] {
        assert_close(ours, f(&va[ours]), f(&w["test_hr"][theirs]), tol::COX);
    }
}

#[test]
fn validate_first_n_matches_r() {
    let got = cut_json(&gbsg2(), "progrec", &["--validate", "first-n=343"]);
    let v = &got["validation"];
    assert_eq!(v["mode"], "first_n");
    assert_eq!(v["first_n"], 343);
    check_first_n(v);
}

#[test]
fn validate_by_column_equals_first_n() {
    let label = |i: usize| if i <= 343 { "train" } else { "validation" }.to_string();
    let (_dir, p) = gbsg2_subset(686, Some(("set", &label)));
    let got = cut_json(
        p.to_str().unwrap(),
        "progrec",
        &["--validate", "column=set"],
    );
    assert_eq!(got["validation"]["mode"], "column");
    assert_eq!(got["validation"]["column"], "set");
    check_first_n(&got["validation"]);
    // naming the training value
    let got = cut_json(
        p.to_str().unwrap(),
        "progrec",
        &["--validate", "column=set=train"],
    );
    check_first_n(&got["validation"]);
    // an unknown code is bad input naming the value and the fix
    let other = |i: usize| if i <= 343 { "A" } else { "B" }.to_string();
    let (_d2, p2) = gbsg2_subset(686, Some(("set", &other)));
    let r = oncomark(&[
        "cutpoint",
        "--data",
        p2.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "cens",
        "--marker",
        "progrec",
        "--validate",
        "column=set",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("column=set=VALUE") && r.stderr.contains("\"A\""),
        "{}",
        r.stderr
    );
}

#[test]
fn validate_random_is_seeded() {
    let a = cut_json(
        &gbsg2(),
        "progrec",
        &["--validate", "random=0.5", "--seed", "5"],
    );
    let b = cut_json(
        &gbsg2(),
        "progrec",
        &["--validate", "random=0.5", "--seed", "5"],
    );
    assert_eq!(a["validation"], b["validation"]);
    let v = &a["validation"];
    assert_eq!(v["mode"], "random");
    assert_eq!(v["seed"], 5);
    assert_eq!(v["training"]["n"], 343);
    assert_eq!(v["validation"]["n"], 343);
    let c = cut_json(
        &gbsg2(),
        "progrec",
        &["--validate", "random=0.5", "--seed", "6"],
    );
    assert_ne!(a["validation"], c["validation"]);
}

#[test]
fn cross_validation_with_given_folds_matches_r() {
    // R validation.json: folds (row - 1) %% 5, Faraggi & Simon (1996)
    let r = json_fixture("cutpoint/validation.json");
    let w = &r["cross_validation"];
    let fold = |i: usize| ((i - 1) % 5).to_string();
    let (_dir, p) = gbsg2_subset(686, Some(("fold", &fold)));
    let got = cut_json(p.to_str().unwrap(), "progrec", &["--folds", "fold"]);
    let cv = &got["cross_validation"];
    assert_eq!(cv["folds"], "column");
    assert_eq!(cv["k"], 5);
    let cuts: Vec<f64> = cv["cutpoints"].as_array().unwrap().iter().map(f).collect();
    let want: Vec<f64> = w["cuts"].as_array().unwrap().iter().map(f).collect();
    assert_eq!(cuts, want);
    let t = &cv["test"];
    assert_eq!(t["groups"][1]["n"], w["n_high"]);
    assert_close("CV chisq", f(&t["chisq"]), f(&w["chisq"]), tol::LOGRANK);
    assert_close("CV P", f(&t["p"]), f(&w["p"]), tol::LOGRANK);
    for (ours, theirs) in [("hr", "hr"), ("hr_lower", "lower"), ("hr_upper", "upper")] {
        assert_close(ours, f(&t[ours]), f(&w["hr"][theirs]), tol::COX);
    }
}

#[test]
fn random_cross_validation_and_bootstrap_are_seeded() {
    let args = ["--cv", "5", "--bootstrap", "40", "--seed", "9"];
    let a = cut_json(&gbsg2(), "progrec", &args);
    let b = cut_json(&gbsg2(), "progrec", &args);
    assert_eq!(a["cross_validation"], b["cross_validation"]);
    assert_eq!(a["bootstrap"], b["bootstrap"]);
    assert_eq!(a["cross_validation"]["folds"], "random");
    assert_eq!(
        a["cross_validation"]["cutpoints"].as_array().unwrap().len(),
        5
    );
    let bs = &a["bootstrap"];
    assert_eq!(bs["replicates"], 40);
    assert!(f(&bs["cutpoint_lower"]) <= f(&bs["cutpoint_median"]));
    assert!(f(&bs["cutpoint_median"]) <= f(&bs["cutpoint_upper"]));
    assert_eq!(f(&bs["cutpoint"]), 21.0);
}

#[test]
fn missing_marker_values_are_dropped_and_counted() {
    // blank progrec in rows 1-5: those patients leave the analysis
    let text = std::fs::read_to_string(gbsg2()).unwrap();
    let mut out = String::new();
    for (i, l) in text.lines().enumerate() {
        if (1..=5).contains(&i) {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells[8] = "NA";
            out.push_str(&cells.join(","));
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("g.csv");
    std::fs::write(&p, out).unwrap();
    let got = cut_json(p.to_str().unwrap(), "progrec", &[]);
    assert_eq!(got["n"], 681);
    assert_eq!(got["n_missing"], 5);
    assert_eq!(got["dropped_missing"], 5);
}

#[test]
fn text_says_the_minimum_p_is_not_a_p_value() {
    let r = oncomark(&[
        "cutpoint",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--marker",
        "progrec",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "NOT a valid P value",
        "Lau94",
        "8.29e-10",
        "cutpoint   21",
        "HR high vs low 0.4478",
    ] {
        assert!(
            r.stdout.contains(needle),
            "text lacks {needle:?}:\n{}",
            r.stdout
        );
    }
    let help = oncomark(&["cutpoint", "--help"]);
    assert_eq!(help.code, 0);
    for needle in [
        "NOT a valid P value",
        "Altman",
        "exactGauss",
        "lau94",
        "permutation",
    ] {
        assert!(help.stdout.contains(needle), "--help lacks {needle:?}");
    }
}

#[test]
fn csv_is_one_summary_row() {
    let r = oncomark(&[
        "cutpoint",
        "--data",
        &gbsg2(),
        "--time",
        "time",
        "--event",
        "cens",
        "--marker",
        "estrec",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    let head: Vec<&str> = lines[0].split(',').collect();
    let row: Vec<&str> = lines[1].split(',').collect();
    let at = |name: &str| row[head.iter().position(|h| *h == name).unwrap()];
    assert_eq!(at("marker"), "estrec");
    assert_eq!(at("cutpoint"), "8");
    assert_close(
        "csv Lau94",
        at("p_lau94").parse().unwrap(),
        5.555047631e-5,
        tol::printed_digits(10),
    );
    assert_eq!(at("p_hl"), "");
}

// --- bad input ---------------------------------------------------------

/// Runs with `--out` into `dir`; asserts the status, the message, and that
/// no output (nor temporary) file is left.
fn fails(dir: &Path, args: &[&str], code: i32, needles: &[&str]) -> String {
    let out = dir.join("result.json");
    let before = std::fs::read_dir(dir).unwrap().count();
    let mut all: Vec<&str> = args.to_vec();
    let out_s = out.to_str().unwrap().to_string();
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
    assert!(!out.exists(), "no output file may be left behind");
    assert_eq!(
        before,
        std::fs::read_dir(dir).unwrap().count(),
        "no temporary file"
    );
    r.stderr
}

fn small(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.csv");
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

fn cut_args<'a>(p: &'a str, marker: &'a str) -> Vec<&'a str> {
    vec![
        "cutpoint", "--data", p, "--time", "time", "--event", "status", "--marker", marker,
    ]
}

const TWELVE: &str = "time,status,x,flat,empty,word\n\
5,1,1,2,,a\n8,1,2,2,,b\n3,1,3,2,,c\n12,0,4,2,,d\n2,1,5,2,,e\n9,1,6,2,,f\n\
15,0,7,2,,g\n4,1,8,2,,h\n11,1,9,2,,i\n7,0,10,2,,j\n6,1,3.5,2,,k\n10,0,6.5,2,,l\n";

#[test]
fn unknown_marker_column_suggests_the_nearest() {
    let (dir, p) = small(TWELVE);
    fails(
        dir.path(),
        &cut_args(p.to_str().unwrap(), "flt"),
        2,
        &["no column \"flt\"", "did you mean \"flat\""],
    );
}

#[test]
fn all_missing_marker_is_an_analysis_failure() {
    let (dir, p) = small(TWELVE);
    fails(
        dir.path(),
        &cut_args(p.to_str().unwrap(), "empty"),
        1,
        &["\"empty\"", "no value"],
    );
}

#[test]
fn constant_marker_is_an_analysis_failure() {
    let (dir, p) = small(TWELVE);
    fails(
        dir.path(),
        &cut_args(p.to_str().unwrap(), "flat"),
        1,
        &["\"flat\"", "single value 2", "no cutpoint"],
    );
}

#[test]
fn text_marker_is_bad_input() {
    let (dir, p) = small(TWELVE);
    fails(
        dir.path(),
        &cut_args(p.to_str().unwrap(), "word"),
        2,
        &["\"a\"", "word"],
    );
}

#[test]
fn bad_options_are_usage_errors() {
    let (dir, p) = small(TWELVE);
    let p = p.to_str().unwrap();
    let with = |extra: &[&'static str]| {
        let mut a = cut_args(p, "x");
        a.extend_from_slice(extra);
        a
    };
    fails(
        dir.path(),
        &with(&["--validate", "half"]),
        2,
        &["first-n=N"],
    );
    fails(
        dir.path(),
        &with(&["--validate", "random=1.5"]),
        2,
        &["strictly between 0 and 1"],
    );
    fails(
        dir.path(),
        &with(&["--validate", "first-n=12"]),
        2,
        &["first 1 to 11"],
    );
    fails(
        dir.path(),
        &with(&["--min-prop", "0.8", "--max-prop", "0.2"]),
        2,
        &["--min-prop"],
    );
    fails(
        dir.path(),
        &with(&[
            "--p-method",
            "altman",
            "--min-prop",
            "0.2",
            "--max-prop",
            "0.9",
        ]),
        2,
        &["symmetric"],
    );
    fails(
        dir.path(),
        &with(&["--p-method", "hl", "--statistic", "cox-score"]),
        2,
        &["linear rank statistic"],
    );
    fails(
        dir.path(),
        &with(&["--permutations", "0"]),
        2,
        &["at least one"],
    );
    fails(dir.path(), &with(&["--cv", "1"]), 2, &["at least 2 folds"]);
}

#[test]
fn explicit_hl_beyond_its_budget_fails_with_the_alternatives() {
    let dir = tempfile::tempdir().unwrap();
    fails(
        dir.path(),
        &[
            "cutpoint",
            "--data",
            &gbsg2(),
            "--time",
            "time",
            "--event",
            "cens",
            "--marker",
            "progrec",
            "--p-method",
            "hl",
        ],
        1,
        &["Hothorn-Lausen", "n = 686", "exact or permutation"],
    );
}

#[test]
fn validation_part_without_events_is_an_analysis_failure() {
    // the last 4 rows have no event: the validation set has none
    let (dir, p) = small(
        "time,status,x\n5,1,1\n8,1,2\n3,1,3\n12,0,4\n2,1,5\n9,1,6\n15,0,7\n4,1,8\n11,0,9\n7,0,10\n6,0,3.5\n10,0,6.5\n",
    );
    let mut a = cut_args(p.to_str().unwrap(), "x");
    a.extend(["--validate", "first-n=8"]);
    fails(dir.path(), &a, 1, &["validation set", "one event"]);
}

#[test]
fn plot_draws_low_and_high_groups_with_the_corrected_p() {
    // GBSG2 progrec: cutpoint 21 (281 low), Lau94 P 8.29e-10 (R maxstat
    // 0.7-25); the figure must show the corrected P, never a raw minimum P.
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("cut.svg");
    let data = oncomark_testkit::fixture("r-survival/gbsg2.csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_oncomark"))
        .args([
            "cutpoint",
            "--data",
            data.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "cens",
        ])
        .args(["--marker", "progrec", "--plot", svg.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("Lau94-corrected P"), "corrected P named");
    assert!(
        text.contains("progrec &lt;= 21 (n = 281)") || text.contains("progrec <= 21 (n = 281)")
    );
    assert!(!text.contains("NaN"));
}
