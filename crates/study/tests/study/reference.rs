//! The seed-2009 simulated tables (committed under
//! `tests/fixtures/study/sim2009/`) against an independent derivation in R
//! (`tests/fixtures/study/make_reference.R`, R 4.2.2 Patched, survival
//! 3.5-3, jsonlite 1.8.4): marker group, TTP and OS per patient, Kaplan-Meier
//! medians and the univariate Cox hazard ratio of the marker for TTP.
//!
//! The tables are a regression pin of the simulator too: the test fails if
//! `simulate_paper_cohort(2009)` changes. After an intended change of the
//! model, regenerate with `ONCOMARK_BLESS=1 cargo test -p oncomark-study
//! --test study reference`, then rerun `Rscript make_reference.R` in the
//! fixture folder.

use std::collections::HashMap;

use oncomark_study::endpoints::{derive_all, EndpointOptions};
use oncomark_study::ihc::{score_cases, IhcOptions};
use oncomark_study::simulate::{simulate_paper_cohort, Cohort};
use oncomark_survival::cox::{fit, CoxData, CoxOptions};
use oncomark_survival::km::{kaplan_meier, KmOptions};
use oncomark_testkit::{assert_close, fixture, json_fixture, tol};

const SEED: u64 = 2009;

#[test]
fn fixture_tables_are_the_seed_2009_simulation() {
    let s = simulate_paper_cohort(SEED);
    let tables = [
        ("patients.csv", s.patients_csv()),
        ("ihc.csv", s.ihc_csv()),
        ("lesions.csv", s.lesions_csv()),
        ("truth.csv", s.truth_csv()),
    ];
    let dir = fixture("study/sim2009");
    if std::env::var_os("ONCOMARK_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &tables {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    for (name, text) in &tables {
        let path = dir.join(name);
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let (got_lines, want_lines): (Vec<&str>, Vec<&str>) =
            (text.lines().collect(), want.lines().collect());
        assert_eq!(got_lines.len(), want_lines.len(), "{name}: line count");
        for (i, (g, w)) in got_lines.iter().zip(&want_lines).enumerate() {
            // cells equal as text, or as numbers to 1e-12 (truth.csv prints
            // latent times in full; libm may differ in the last bit across
            // platforms)
            let same = g == w
                || g.split(',').zip(w.split(',')).all(|(a, b)| {
                    a == b
                        || matches!((a.parse::<f64>(), b.parse::<f64>()),
                            (Ok(x), Ok(y)) if oncomark_testkit::close(x, y, 1e-12))
                });
            assert!(
                same,
                "{name} line {}: got '{g}', want '{w}'; simulate_paper_cohort({SEED}) changed (if on purpose, bless it: see the module docs)",
                i + 1
            );
        }
    }
}

#[test]
fn endpoints_and_groups_agree_with_r() {
    let r = json_fixture("study/reference.json");
    let s = simulate_paper_cohort(SEED);
    let ihc = score_cases(
        &["reader_1", "reader_2"],
        &s.ihc_cases(),
        &IhcOptions::default(),
    )
    .unwrap();
    let ends = derive_all(&s.patient_dates(), &EndpointOptions::default()).unwrap();
    assert!(ends.ttp.excluded.is_empty());

    let rp = &r["patients"];
    let ids: Vec<&str> = rp["patient_id"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), s.patients.len());
    let col = |name: &str| -> Vec<f64> {
        rp[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let (ttp_t, ttp_e, os_t, os_e, pos) = (
        col("ttp_time"),
        col("ttp_event"),
        col("os_time"),
        col("os_event"),
        col("positive"),
    );
    for i in 0..ids.len() {
        assert_eq!(ids[i], s.patients[i].patient);
        assert_eq!(ihc.cases[i].positive, pos[i] == 1.0, "{}", ids[i]);
        assert_close(
            &format!("TTP {}", ids[i]),
            ends.ttp.rows[i].time,
            ttp_t[i],
            tol::EXACT,
        );
        assert_eq!(
            ends.ttp.rows[i].event,
            ttp_e[i] == 1.0,
            "TTP event {}",
            ids[i]
        );
        assert_close(
            &format!("OS {}", ids[i]),
            ends.os.rows[i].time,
            os_t[i],
            tol::EXACT,
        );
        assert_eq!(ends.os.rows[i].event, os_e[i] == 1.0, "OS event {}", ids[i]);
    }

    // Kaplan-Meier medians and the Cox HR of the marker, trastuzumab cohort
    let trast: Vec<usize> = (0..ids.len())
        .filter(|&i| s.patients[i].cohort == Cohort::Trastuzumab)
        .collect();
    let groups: HashMap<&str, usize> = [("negative", 0), ("positive", 1)].into();
    for (endpoint, table) in [("ttp", &ends.ttp), ("os", &ends.os)] {
        for (label, g) in &groups {
            let idx: Vec<usize> = trast
                .iter()
                .copied()
                .filter(|&i| usize::from(ihc.cases[i].positive) == *g)
                .collect();
            let t: Vec<f64> = idx.iter().map(|&i| table.rows[i].time).collect();
            let e: Vec<bool> = idx.iter().map(|&i| table.rows[i].event).collect();
            let km = kaplan_meier(&t, &e, &KmOptions::default()).unwrap();
            let want = r["km"][endpoint][label]["median"].as_f64().unwrap();
            assert_close(
                &format!("{endpoint} median {label}"),
                km.median.unwrap(),
                want,
                tol::KM,
            );
            assert_eq!(
                km.events as u64,
                r["km"][endpoint][label]["events"].as_u64().unwrap()
            );
        }
    }
    let t: Vec<f64> = trast.iter().map(|&i| ends.ttp.rows[i].time).collect();
    let e: Vec<bool> = trast.iter().map(|&i| ends.ttp.rows[i].event).collect();
    let x = vec![trast
        .iter()
        .map(|&i| f64::from(u8::from(ihc.cases[i].positive)))
        .collect::<Vec<f64>>()];
    let cox = fit(
        &CoxData::new(&t, &e, &x, &["marker"]).unwrap(),
        &CoxOptions::default(),
    )
    .unwrap();
    assert_close(
        "Cox HR",
        cox.terms[0].hr.unwrap(),
        r["cox_ttp_marker"]["hr"].as_f64().unwrap(),
        tol::COX,
    );
}
