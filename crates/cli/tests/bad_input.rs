//! Bad input, one test each: exit status 2 (bad input) or 1 (an analysis
//! impossible on valid input), a message naming the place, and no output
//! file left behind.

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Write `text` to a file in a fresh folder; return the folder (kept alive)
/// and the path.
fn data_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

/// Run a verb with `--out` into the data folder; assert the exit status,
/// that stderr contains every `needles`, and that no output (nor temporary
/// file) was left.
fn fails(dir: &Path, args: &[&str], code: i32, needles: &[&str]) {
    let out = dir.join("result.json");
    let before: Vec<_> = std::fs::read_dir(dir).unwrap().collect();
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
    let after: Vec<_> = std::fs::read_dir(dir).unwrap().collect();
    assert_eq!(before.len(), after.len(), "no temporary file may be left");
}

const GOOD: &str = "time,status,x,grp\n5,1,1,a\n8,0,2,b\n3,1,3,a\n9,1,4,b\n12,0,5,a\n";

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nope.csv");
    fails(
        dir.path(),
        &[
            "km",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
        ],
        2,
        &["nope.csv"],
    );
}

#[test]
fn unknown_column_suggests_the_nearest() {
    let (dir, p) = data_file("d.csv", GOOD);
    fails(
        dir.path(),
        &[
            "km",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "tme",
            "--event",
            "status",
        ],
        2,
        &["tme", "time"],
    );
}

#[test]
fn non_numeric_time_names_row_and_value() {
    let (dir, p) = data_file("d.csv", "time,status\n5,1\nabc,0\n3,1\n");
    fails(
        dir.path(),
        &[
            "km",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
        ],
        2,
        &["abc", "time", "d.csv"],
    );
}

#[test]
fn negative_time() {
    let (dir, p) = data_file("d.csv", "time,status\n5,1\n-2,0\n3,1\n");
    fails(
        dir.path(),
        &[
            "km",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
        ],
        2,
        &["-2", "time"],
    );
}

#[test]
fn bad_event_value_suggests_event_equals() {
    let (dir, p) = data_file("d.csv", "time,status\n5,1\n2,2\n3,1\n");
    fails(
        dir.path(),
        &[
            "km",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
        ],
        2,
        &["status", "2", "--event"],
    );
}

#[test]
fn event_equals_value_is_accepted() {
    let (_dir, p) = data_file("d.csv", "time,status\n5,2\n2,1\n3,2\n");
    let r = oncomark(&[
        "km",
        "--data",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "status=2",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["groups"][0]["events"], 2);
}

#[test]
fn no_events_in_cox_is_an_analysis_failure() {
    let (dir, p) = data_file("d.csv", "time,status,x\n5,0,1\n2,0,2\n3,0,3\n");
    fails(
        dir.path(),
        &[
            "cox",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
            "--covariates",
            "x",
        ],
        1,
        &["no events"],
    );
}

#[test]
fn all_rows_dropped_as_missing() {
    let (dir, p) = data_file("d.csv", "time,status,x\n5,1,NA\n2,0,\n3,1,.\n");
    fails(
        dir.path(),
        &[
            "cox",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
            "--covariates",
            "x",
        ],
        2,
        &["x"],
    );
}

#[test]
fn nan_and_inf_are_errors_naming_the_cell() {
    for bad in ["NaN", "inf", "-Inf"] {
        let (dir, p) = data_file(
            "d.csv",
            &format!("time,status,x\n5,1,1\n2,0,{bad}\n3,1,2\n"),
        );
        fails(
            dir.path(),
            &[
                "cox",
                "--data",
                p.to_str().unwrap(),
                "--time",
                "time",
                "--event",
                "status",
                "--covariates",
                "x",
            ],
            2,
            &["x", bad],
        );
    }
}

#[test]
fn empty_file() {
    let (dir, p) = data_file("d.csv", "");
    fails(
        dir.path(),
        &[
            "km",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
        ],
        2,
        &["d.csv"],
    );
}

#[test]
fn ragged_rows_name_the_line() {
    let (dir, p) = data_file("d.csv", "time,status,x\n5,1,1\n2,0\n3,1,2\n");
    fails(
        dir.path(),
        &[
            "km",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
        ],
        2,
        &["line 3"],
    );
}

#[test]
fn logrank_with_one_group_is_an_analysis_failure() {
    let (dir, p) = data_file("d.csv", "time,status,g\n5,1,a\n2,0,a\n3,1,a\n");
    fails(
        dir.path(),
        &[
            "logrank",
            "--data",
            p.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
            "--group",
            "g",
        ],
        1,
        &["one group"],
    );
}

#[test]
fn constant_covariate_is_reported_as_a_warning() {
    let (_dir, p) = data_file(
        "d.csv",
        "time,status,x,c\n5,1,1,7\n8,0,2,7\n3,1,3,7\n9,1,4,7\n12,0,5,7\n4,1,2,7\n",
    );
    let r = oncomark(&[
        "cox",
        "--data",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "x,c",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let w = v["warnings"].as_array().unwrap();
    assert!(
        w.iter().any(|m| m.as_str().unwrap().contains('c')),
        "a warning must name the constant covariate: {w:?}"
    );
    assert!(v["terms"][1]["coef"].is_null());
}

#[test]
fn separating_covariate_is_reported_as_infinite() {
    // Every event has x = 1, every censoring x = 0, and the events come
    // first: the likelihood rises without bound in beta (monotone). R 4.2.2
    // coxph runs out of iterations at beta = 21.94 and says only that.
    let (_dir, p) = data_file(
        "d.csv",
        "time,status,x\n1,1,1\n2,1,1\n3,1,1\n4,0,0\n5,0,0\n6,0,0\n",
    );
    let base = [
        "cox",
        "--data",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "x",
        "--format",
        "json",
    ];
    let mut never = base.to_vec();
    never.extend(["--firth", "never"]);
    let r = oncomark(&never);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["terms"][0]["status"], "infinite", "{}", r.stdout);
    assert!(!v["warnings"].as_array().unwrap().is_empty());
    // By default the fit is redone with Firth's penalty, and says so.
    let r = oncomark(&base);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["method"], "firth");
    assert_eq!(v["terms"][0]["status"], "estimated");
    assert!(v["terms"][0]["coef"].as_f64().unwrap().is_finite());
    assert!(v["warnings"][0]
        .as_str()
        .unwrap()
        .contains("monotone likelihood"));
}

#[test]
fn bad_flag_values_are_usage_errors() {
    let (dir, p) = data_file("d.csv", GOOD);
    let d = p.to_str().unwrap();
    fails(
        dir.path(),
        &[
            "km", "--data", d, "--time", "time", "--event", "status", "--times", "6,x",
        ],
        2,
        &["--times"],
    );
    fails(
        dir.path(),
        &[
            "km",
            "--data",
            d,
            "--time",
            "time",
            "--event",
            "status",
            "--conf-level",
            "95",
        ],
        2,
        &["--conf-level"],
    );
    fails(
        dir.path(),
        &[
            "cox",
            "--data",
            d,
            "--time",
            "time",
            "--event",
            "status",
            "--covariates",
            "grp",
            "--reference",
            "grp",
        ],
        2,
        &["--reference"],
    );
}

#[test]
fn the_input_file_is_never_modified() {
    let (_dir, p) = data_file("d.csv", GOOD);
    let before = std::fs::read(&p).unwrap();
    let r = oncomark(&[
        "cox",
        "--data",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "x,grp",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&p).unwrap(), before);
}
