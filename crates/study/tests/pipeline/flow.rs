//! The patient flow: each excluded patient once, at the first stage that
//! excludes them, with the reason; rows of other tables without a patient;
//! bad data stops the run with an input error.

use super::common::{paper_dir, SEED};

#[test]
fn exclusions_are_counted_by_stage_with_reasons() {
    let (_, dir) = paper_dir(SEED);
    // T003 has no IHC row; T005 progresses before the start; an IHC row
    // belongs to nobody; T007 belongs to a cohort that is not analysed
    dir.edit("ihc.csv", |t| {
        let kept: Vec<&str> = t.lines().filter(|l| !l.starts_with("T003,")).collect();
        format!("{}\nX999,10,12,\n", kept.join("\n"))
    });
    dir.edit("patients.csv", |t| {
        t.lines()
            .map(|l| {
                let mut c: Vec<String> = l.split(',').map(str::to_string).collect();
                if c[0] == "T005" {
                    c[3] = "1990-01-01".into();
                }
                if c[0] == "T007" {
                    c[1] = "other".into();
                }
                c.join(",")
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    let r = dir.run().unwrap();
    let f = r.flow.as_ref().unwrap();
    assert_eq!(f.screened, 108);
    assert_eq!(f.analysed, 105);
    let stage = |s: &str| f.excluded.iter().find(|x| x.stage == s).unwrap();
    assert_eq!(stage("cohort").n, 1);
    assert_eq!(stage("cohort").patients[0].id, "T007");
    assert_eq!(stage("cohort").reasons[0].reason, "another cohort");
    assert_eq!(stage("marker").n, 1);
    assert_eq!(stage("marker").patients[0].id, "T003");
    assert_eq!(
        stage("marker").reasons[0].reason,
        "no IHC reading (not in the IHC table)"
    );
    assert_eq!(stage("dates").n, 1);
    assert_eq!(stage("dates").patients[0].id, "T005");
    assert_eq!(
        stage("dates").reasons[0].reason,
        "progression before the start"
    );
    assert!(stage("dates").patients[0].reason.contains("1990-01-01"));
    assert_eq!(f.unmatched.len(), 1);
    assert_eq!(f.unmatched[0].ids, ["X999"]);
    let tr = &f.cohorts[0];
    assert_eq!(tr.cohort, "trastuzumab");
    assert_eq!(tr.n, 75);
    assert_eq!(tr.groups[0].n + tr.groups[1].n, 75);
    let ttp = &tr.endpoints[0];
    assert_eq!(ttp.events + ttp.censored, 75);
    assert_eq!(ttp.events_by_group.iter().sum::<usize>(), ttp.events);
    // the summary counts reasons without naming patients
    let text = oncomark_study::results::summary(&r);
    assert!(
        text.contains("108 screened, 3 excluded, 105 analysed"),
        "{text}"
    );
    assert!(!text.contains("T005"), "{text}");
}

#[test]
fn show_ids_lets_the_summary_name_patients() {
    let (_, dir) = paper_dir(SEED);
    dir.edit("ihc.csv", |t| {
        t.lines()
            .filter(|l| !l.starts_with("T003,"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    dir.edit("study.toml", |t| {
        t.replace("show_ids = false", "show_ids = true")
    });
    let r = dir.run().unwrap();
    assert!(oncomark_study::results::summary(&r).contains("ids: T003"));
    let tables = oncomark_study::results::tables(&r);
    let w = tables
        .iter()
        .find(|t| t.name == "waterfall_trastuzumab")
        .unwrap();
    assert_eq!(w.header[1], "id");
}

#[test]
fn bad_data_stops_the_run_with_an_input_error() {
    let (_, dir) = paper_dir(SEED);
    // a lesion measured twice on one date
    dir.edit("lesions.csv", |t| {
        let second = t.lines().nth(1).unwrap().to_string();
        format!("{t}{second}\n")
    });
    let e = dir.run().unwrap_err();
    assert!(e.is_input());
    let msg = e.to_string();
    assert!(
        msg.contains("lesions.csv") && msg.contains("T001") && msg.contains("more than once"),
        "{msg}"
    );
}

#[test]
fn a_study_without_patients_is_an_analysis_error() {
    let (_, dir) = paper_dir(SEED);
    dir.edit("ihc.csv", |t| t.lines().next().unwrap().to_string() + "\n");
    let e = dir.run().unwrap_err();
    assert!(!e.is_input());
    assert!(
        e.to_string().contains("all 108 patients were excluded"),
        "{e}"
    );
}
