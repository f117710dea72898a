//! `oncomark study check|run`, `simulate` and `demo` end to end: exit
//! statuses, every spec problem at once, atomic output folders (nothing
//! left on any error, existing results kept), and the committed examples.

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

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A folder with the simulated paper cohort in `sim/`.
fn simulated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = oncomark(&[
        "simulate",
        "--design",
        "paper",
        "--seed",
        "2009",
        "--out",
        s(&dir.path().join("sim")),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

#[test]
fn simulate_check_and_run_write_results_and_tables() {
    let dir = simulated();
    let sim = dir.path().join("sim");
    assert_eq!(
        names(&sim),
        ["ihc.csv", "lesions.csv", "patients.csv", "study.toml"]
    );
    let r = oncomark(&["study", "check", s(&sim.join("study.toml"))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("the spec is valid"), "{}", r.stdout);
    let out = dir.path().join("res");
    let r = oncomark(&["study", "run", s(&sim.join("study.toml")), "--out", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Patient flow: 108 screened"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!("Wrote {}", out.display())),
        "{}",
        r.stdout
    );
    assert_eq!(
        names(&out),
        ["figures", "index.html", "results.json", "tables"]
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["provenance"]["command_line"][1], "study");
    assert_eq!(json["provenance"]["inputs"].as_array().unwrap().len(), 3);
    assert!(json["provenance"]["created_utc"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    let tables = names(&out.join("tables"));
    for t in [
        "flow.csv",
        "characteristics_trastuzumab.csv",
        "response_trastuzumab.csv",
        "survival.csv",
        "univariate_trastuzumab_ttp.csv",
        "interaction_ttp.csv",
        "ihc_agreement.csv",
    ] {
        assert!(
            tables.contains(&t.to_string()),
            "{t} missing from {tables:?}"
        );
    }
    // no temporary folder left next to the results
    assert_eq!(names(dir.path()), ["res", "sim"]);
    // the inputs are not modified
    let r2 = oncomark(&[
        "simulate",
        "--seed",
        "2009",
        "--out",
        s(&dir.path().join("again")),
    ]);
    assert_eq!(r2.code, 0);
    for f in ["patients.csv", "ihc.csv", "lesions.csv", "study.toml"] {
        assert_eq!(
            std::fs::read(sim.join(f)).unwrap(),
            std::fs::read(dir.path().join("again").join(f)).unwrap()
        );
    }
}

#[test]
fn an_existing_output_folder_is_kept_unless_forced() {
    let dir = simulated();
    let spec = dir.path().join("sim/study.toml");
    let out = dir.path().join("res");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let r = oncomark(&["study", "run", s(&spec), "--out", s(&out)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("already exists") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(names(&out), ["keep.txt"]);
    let r = oncomark(&["study", "run", s(&spec), "--out", s(&out), "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        names(&out),
        ["figures", "index.html", "results.json", "tables"]
    );
    assert_eq!(names(dir.path()), ["res", "sim"]);
}

const PATIENTS: &str = "id,time,dead,marker\n1,5,1,10\n2,8,0,30\n3,2,1,50\n";

/// Run `study run` on `spec` in a folder with `p.csv`; expect exit 2, every
/// needle in stderr, and no output (nor temporary) folder.
fn bad_spec(spec: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.csv"), PATIENTS).unwrap();
    std::fs::write(dir.path().join("study.toml"), spec).unwrap();
    let out = dir.path().join("res");
    for args in [
        vec!["study", "check", s(&dir.path().join("study.toml"))],
        vec![
            "study",
            "run",
            s(&dir.path().join("study.toml")),
            "--out",
            s(&out),
        ],
    ] {
        let r = oncomark(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        for n in needles {
            assert!(
                r.stderr.contains(n),
                "{args:?}: stderr should mention {n:?}; got:\n{}",
                r.stderr
            );
        }
    }
    assert_eq!(
        names(dir.path()),
        ["p.csv", "study.toml"],
        "nothing may be written"
    );
}

const GOOD: &str = "[data.patients]\nfile = \"p.csv\"\nid = \"id\"\n\n[marker]\nname = \"m\"\ntype = \"continuous\"\ncolumn = \"marker\"\ncutoff = 20\n\n[endpoints]\n[[endpoints.given]]\nname = \"os\"\ntime = \"time\"\nevent = \"dead\"\n";

#[test]
fn a_good_small_spec_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.csv"), PATIENTS).unwrap();
    std::fs::write(dir.path().join("study.toml"), GOOD).unwrap();
    let r = oncomark(&[
        "study",
        "run",
        s(&dir.path().join("study.toml")),
        "--out",
        s(&dir.path().join("res")),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn unknown_key() {
    bad_spec(
        &GOOD.replace("cutoff = 20", "cutoff = 20\ncutof = 3"),
        &["study.toml:10:1: marker.cutof: unknown key `cutof` in [marker]; did you mean `cutoff`?"],
    );
}

#[test]
fn missing_file() {
    bad_spec(
        &GOOD.replace("p.csv", "patients.csv"),
        &[
            "study.toml:2:8: data.patients.file: cannot read",
            "patients.csv",
            "relative to its folder",
        ],
    );
}

#[test]
fn missing_column() {
    bad_spec(
        &GOOD.replace("column = \"marker\"", "column = \"markr\""),
        &[
            "study.toml:8:10: marker.column: column `markr` is not in",
            "did you mean `marker`?",
        ],
    );
}

#[test]
fn bad_bins() {
    let spec = GOOD.replace(
        "type = \"continuous\"\ncolumn = \"marker\"\ncutoff = 20",
        "type = \"ihc\"\nreaders = [\"marker\"]\nbins = [0, 40, 10, 100]",
    );
    bad_spec(
        &spec,
        &[
            "study.toml:9:8: marker.bins: bad IHC score bins",
            "strictly increasing",
        ],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    // an unknown key, a missing file, bad bins and a missing column
    let spec = GOOD
        .replace("file = \"p.csv\"", "file = \"p.csv\"\nidd = \"x\"")
        .replace(
            "type = \"continuous\"\ncolumn = \"marker\"\ncutoff = 20",
            "type = \"ihc\"\nreaders = [\"r1\"]\nbins = [0, 40, 10, 100]",
        )
        .replace("[marker]", "[data.ihc]\nfile = \"ihc.csv\"\n\n[marker]")
        .replace("time = \"time\"", "time = \"tme\"");
    bad_spec(
        &spec,
        &[
            "4 problems in the study spec",
            "study.toml:3:1: data.patients.idd: unknown key `idd` in [data.patients]; did you mean `id`?",
            "study.toml:7:8: data.ihc.file: cannot read",
            "study.toml:13:8: marker.bins: bad IHC score bins",
            "study.toml:18:8: endpoints.given[1].time: column `tme` is not in",
        ],
    );
}

#[test]
fn bad_data_leaves_no_output() {
    let dir = simulated();
    let sim = dir.path().join("sim");
    // a lesion measured twice on one date: found while running
    let t = std::fs::read_to_string(sim.join("lesions.csv")).unwrap();
    let second = t.lines().nth(1).unwrap().to_string();
    std::fs::write(sim.join("lesions.csv"), format!("{t}{second}\n")).unwrap();
    let out = dir.path().join("res");
    let r = oncomark(&["study", "run", s(&sim.join("study.toml")), "--out", s(&out)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("more than once"), "{}", r.stderr);
    assert_eq!(names(dir.path()), ["sim"]);
}

#[test]
fn no_analysable_patient_is_exit_1() {
    let dir = simulated();
    let sim = dir.path().join("sim");
    std::fs::write(
        sim.join("ihc.csv"),
        "patient_id,reader_1_percent,reader_2_percent,adjudicated_score\n",
    )
    .unwrap();
    let r = oncomark(&[
        "study",
        "run",
        s(&sim.join("study.toml")),
        "--out",
        s(&dir.path().join("res")),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("no patient can be analysed"),
        "{}",
        r.stderr
    );
    assert_eq!(names(dir.path()), ["sim"]);
}

#[test]
fn output_parent_must_exist() {
    let dir = simulated();
    let out = dir.path().join("no/such/folder");
    let r = oncomark(&[
        "study",
        "run",
        s(&dir.path().join("sim/study.toml")),
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
    assert_eq!(names(dir.path()), ["sim"]);
}

#[test]
fn simulate_writes_the_committed_example() {
    // examples/study/paper is `oncomark simulate --seed 2009` (and the
    // tables equal tests/fixtures/study/sim2009)
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sim");
    let r = oncomark(&["simulate", "--seed", "2009", "--out", s(&out), "--truth"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        names(&out),
        [
            "ihc.csv",
            "lesions.csv",
            "patients.csv",
            "study.toml",
            "truth.csv"
        ]
    );
    let ex = root().join("examples/study/paper");
    for f in ["patients.csv", "ihc.csv", "lesions.csv", "study.toml"] {
        assert_eq!(
            std::fs::read_to_string(out.join(f)).unwrap(),
            std::fs::read_to_string(ex.join(f)).unwrap(),
            "{f} differs from examples/study/paper (rerun `oncomark simulate --seed 2009 --out examples/study/paper --force`)"
        );
    }
    let r = oncomark(&[
        "study",
        "check",
        s(&root().join("examples/study/gbsg2.toml")),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn demo_runs_both_studies() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let r = oncomark(&["demo", "--out", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains(&format!("Demo written to {}", out.display())),
        "{}",
        r.stdout
    );
    assert_eq!(names(&out), ["gbsg2", "paper"]);
    for study in ["paper", "gbsg2"] {
        let d = out.join(study);
        assert_eq!(
            names(&d),
            ["figures", "index.html", "input", "results.json", "tables"]
        );
        // the report is self-contained and its figures are written beside it
        let html = std::fs::read_to_string(d.join("index.html")).unwrap();
        // no external request: the only URLs are the SVG namespace
        let without_ns = html.replace("http://www.w3.org/2000/svg", "");
        assert!(
            html.contains("<svg")
                && !without_ns.contains("http://")
                && !without_ns.contains("https://")
        );
        assert!(names(&d.join("figures"))
            .iter()
            .any(|f| f.starts_with("km_") && f.ends_with(".svg")));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("results.json")).unwrap())
                .unwrap();
        assert_eq!(json["schema_version"], 1);
        assert!(!json["survival"].as_array().unwrap().is_empty());
        assert!(names(&d.join("tables")).contains(&"survival.csv".to_string()));
        // the inputs are there to rerun the study
        let rerun = oncomark(&["study", "check", s(&d.join("input/study.toml"))]);
        assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    }
    assert_eq!(names(&out.join("gbsg2/input")), ["gbsg2.csv", "study.toml"]);
    // a second demo into the same folder needs --force
    let r = oncomark(&["demo", "--out", s(&out)]);
    assert_eq!(r.code, 2);
    assert_eq!(names(dir.path()), ["demo"]);
}
