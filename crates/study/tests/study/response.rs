//! Response criteria on hand-made lesion tables. Every expected response is
//! derived by hand from the thresholds of WHO (Miller et al. 1981), RECIST 1.0
//! (Therasse et al. 2000) and RECIST 1.1 (Eisenhauer et al. 2009).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use oncomark_study::response::{
    assess_lesions, assess_recorded, Criteria, LesionMeasurement, RecordedResponse, Response,
    ResponseOptions, ResponseResult,
};
use oncomark_study::StudyError;
use oncomark_testkit::{assert_close, tol};
use proptest::prelude::*;

use Response::*;

fn d(day: i64) -> NaiveDate {
    let base = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    if day >= 0 {
        base + Days::new(day as u64)
    } else {
        base - Days::new((-day) as u64)
    }
}

/// A non-nodal target lesion.
fn t(day: i64, id: &str, ld: f64, perp: f64) -> LesionMeasurement {
    LesionMeasurement {
        patient: "p".into(),
        date: d(day),
        lesion: id.into(),
        longest_diameter: Some(ld),
        perpendicular_diameter: Some(perp),
        target: true,
        lymph_node: false,
        short_axis: None,
        new_lesion: false,
    }
}

/// A square target lesion (perpendicular = longest).
fn sq(day: i64, id: &str, ld: f64) -> LesionMeasurement {
    t(day, id, ld, ld)
}

fn node(day: i64, id: &str, ld: f64, short: f64) -> LesionMeasurement {
    LesionMeasurement {
        lymph_node: true,
        short_axis: Some(short),
        perpendicular_diameter: Some(short),
        ..t(day, id, ld, short)
    }
}

fn non_target(day: i64, id: &str, ld: f64) -> LesionMeasurement {
    LesionMeasurement {
        target: false,
        ..sq(day, id, ld)
    }
}

fn new_lesion(day: i64) -> LesionMeasurement {
    LesionMeasurement {
        target: false,
        new_lesion: true,
        ..sq(day, "N1", 12.0)
    }
}

fn run(rows: &[LesionMeasurement], c: Criteria) -> ResponseResult {
    run_opts(
        rows,
        &ResponseOptions {
            criteria: c,
            ..Default::default()
        },
    )
}

fn run_opts(rows: &[LesionMeasurement], o: &ResponseOptions) -> ResponseResult {
    assess_lesions(rows, &BTreeMap::new(), o).unwrap()
}

fn series(r: &ResponseResult) -> Vec<Response> {
    r.patients[0]
        .time_points
        .iter()
        .map(|t| t.response)
        .collect()
}

const ALL: [Criteria; 3] = [Criteria::Who, Criteria::Recist10, Criteria::Recist11];

#[test]
fn pr_under_who_but_sd_under_recist() {
    // 40 x 40 -> 30 x 20: LD -25 % (RECIST: SD, needs -30 %),
    // product 1600 -> 600 = -62.5 % (WHO: PR, needs -50 %)
    let rows = [
        t(0, "L1", 40.0, 40.0),
        t(63, "L1", 30.0, 20.0),
        t(147, "L1", 30.0, 20.0),
    ];
    let who = run(&rows, Criteria::Who);
    assert_eq!(series(&who), vec![Pr, Pr]);
    assert_eq!(who.patients[0].best_response, Pr);
    assert_close(
        "WHO change",
        who.patients[0].best_percent_change.unwrap(),
        -62.5,
        tol::EXACT,
    );
    for c in [Criteria::Recist10, Criteria::Recist11] {
        let r = run(&rows, c);
        assert_eq!(r.patients[0].best_response, Sd, "{c:?}");
        assert_close(
            "LD change",
            r.patients[0].best_percent_change.unwrap(),
            -25.0,
            tol::EXACT,
        );
    }
}

#[test]
fn the_5_mm_rule_separates_recist_1_0_from_1_1() {
    // 20 -> 10 (PR, -50 %) -> 13 mm: +30 % over the nadir of 10 but only
    // +3 mm. RECIST 1.0: PD (>= 20 %). RECIST 1.1: not PD (< 5 mm); 13 <= 14
    // (70 % of 20), so still PR.
    let rows = [sq(0, "L1", 20.0), sq(63, "L1", 10.0), sq(147, "L1", 13.0)];
    let r10 = run(&rows, Criteria::Recist10);
    assert_eq!(series(&r10), vec![Pr, Pd]);
    assert_eq!(r10.patients[0].first_progression, Some(d(147)));
    let r11 = run(&rows, Criteria::Recist11);
    assert_eq!(series(&r11), vec![Pr, Pr]);
    assert_eq!(r11.patients[0].first_progression, None);
    let tp = &r11.patients[0].time_points[1];
    assert_close("nadir", tp.nadir.unwrap(), 10.0, tol::EXACT);
    assert_close(
        "change from nadir",
        tp.change_from_nadir.unwrap(),
        30.0,
        tol::EXACT,
    );
}

#[test]
fn a_node_under_10_mm_is_cr_only_under_recist_1_1() {
    // node LD 24, short axis 16 -> LD 12, short axis 8.
    // RECIST 1.1: short axis < 10 mm is normal -> CR (sum of short axes 16 -> 8).
    // RECIST 1.0: LD 24 -> 12 = -50 %, not gone -> PR.
    // WHO: 24 x 16 = 384 -> 12 x 8 = 96 = -75 % -> PR.
    let rows = [node(0, "N", 24.0, 16.0), node(63, "N", 12.0, 8.0)];
    let r11 = run(&rows, Criteria::Recist11);
    assert_eq!(series(&r11), vec![Cr]);
    assert_close(
        "1.1 sum",
        r11.patients[0].time_points[0].sum.unwrap(),
        8.0,
        tol::EXACT,
    );
    assert_eq!(series(&run(&rows, Criteria::Recist10)), vec![Pr]);
    assert_eq!(series(&run(&rows, Criteria::Who)), vec![Pr]);
}

#[test]
fn a_new_lesion_is_pd_under_every_criteria() {
    // the target halves (PR by size) but a new lesion appears
    let rows = [sq(0, "L1", 40.0), sq(63, "L1", 20.0), new_lesion(63)];
    for c in ALL {
        let r = run(&rows, c);
        let p = &r.patients[0];
        assert_eq!(
            (p.best_response, p.first_progression),
            (Pd, Some(d(63))),
            "{c:?}"
        );
        assert!(p.time_points[0].new_lesion);
    }
    // best change still reports the shrinkage (waterfall), including the PD point
    let r = run(&rows, Criteria::Recist10);
    assert_close(
        "change",
        r.patients[0].best_percent_change.unwrap(),
        -50.0,
        tol::EXACT,
    );
}

#[test]
fn a_missing_target_makes_the_time_point_ne_unless_pd_is_evident() {
    // baseline L1 30 + L2 20 = 50.
    // day 63: only L1 (25): L2 missing -> NE.
    // day 147: L1 61 with L2 "not measured" (None): 61 >= 1.2 x 50 = 60 and
    // +11 mm, so PD whatever L2 is.
    let mut l2_unmeasured = sq(147, "L2", 0.0);
    l2_unmeasured.longest_diameter = None;
    let rows = [
        sq(0, "L1", 30.0),
        sq(0, "L2", 20.0),
        sq(63, "L1", 25.0),
        sq(147, "L1", 61.0),
        l2_unmeasured,
    ];
    for c in [Criteria::Recist10, Criteria::Recist11] {
        let r = run(&rows, c);
        let p = &r.patients[0];
        assert_eq!(series(&r), vec![Ne, Pd], "{c:?}");
        assert_eq!(p.time_points[0].missing, vec!["L2".to_string()]);
        assert_eq!(p.time_points[0].sum, None);
        // NE is not SD, so the best response is PD
        assert_eq!(p.best_response, Pd);
        // no complete sum after baseline: no percent change
        assert_eq!(p.best_percent_change, None);
    }
    // day 63 alone: NE overall
    let r = run(&rows[..3], Criteria::Recist10);
    assert_eq!(r.patients[0].best_response, Ne);
}

#[test]
fn unconfirmed_pr() {
    // 40 -> 20 (PR) -> 50 (PD: >= 1.2 x 20): the PR is never confirmed
    let rows = [sq(0, "L1", 40.0), sq(63, "L1", 20.0), sq(147, "L1", 50.0)];
    let confirm = ResponseOptions {
        criteria: Criteria::Recist11,
        confirm: true,
        ..Default::default()
    };
    let p = &run_opts(&rows, &confirm).patients[0];
    // day 63 >= 42 days: counts as SD
    assert_eq!((p.best_response, p.unconfirmed_best), (Sd, Some(Pr)));
    assert!(!p.objective_response);
    let p = &run(&rows, Criteria::Recist11).patients[0];
    assert_eq!((p.best_response, p.unconfirmed_best), (Pr, None));
    assert!(p.objective_response);

    // 40 -> 20 -> 21 (still <= 28, not >= 24): PR confirmed 84 days later
    let rows = [sq(0, "L1", 40.0), sq(63, "L1", 20.0), sq(147, "L1", 21.0)];
    let p = &run_opts(&rows, &confirm).patients[0];
    assert_eq!((p.best_response, p.unconfirmed_best), (Pr, None));
    // CR twice, 84 days apart: confirmed CR
    let rows = [sq(0, "L1", 40.0), sq(63, "L1", 0.0), sq(147, "L1", 0.0)];
    assert_eq!(run_opts(&rows, &confirm).patients[0].best_response, Cr);
    // a confirmation only 14 days later is too early (needs 28)
    let rows = [
        sq(0, "L1", 40.0),
        sq(63, "L1", 20.0),
        sq(77, "L1", 20.0),
        sq(150, "L1", 30.0),
    ];
    let p = &run_opts(&rows, &confirm).patients[0];
    assert_eq!((p.best_response, p.unconfirmed_best), (Sd, Some(Pr)));
}

#[test]
fn stable_disease_needs_its_minimum_duration() {
    // 40 -> 38 at day 30 (SD, but 30 < 42 days) -> 50 at day 60 (PD: >= 48)
    let rows = [sq(0, "L1", 40.0), sq(30, "L1", 38.0), sq(60, "L1", 50.0)];
    assert_eq!(run(&rows, Criteria::Recist10).patients[0].best_response, Pd);
    let o = ResponseOptions {
        criteria: Criteria::Recist10,
        sd_min_days: Some(28),
        ..Default::default()
    };
    assert_eq!(run_opts(&rows, &o).patients[0].best_response, Sd);
    // WHO's default minimum is 4 weeks; products 1600 -> 1444 (SD) -> 2500 (PD)
    let who = run(&rows, Criteria::Who);
    assert_eq!((who.sd_min_days, who.patients[0].best_response), (28, Sd));
}

#[test]
fn cr_needs_the_non_target_lesions_gone() {
    let base = [sq(0, "L1", 20.0), non_target(0, "NT", 8.0)];
    let with = |nt: Option<f64>| {
        let mut rows = base.to_vec();
        rows.push(sq(63, "L1", 0.0));
        if let Some(x) = nt {
            rows.push(non_target(63, "NT", x));
        }
        run(&rows, Criteria::Recist11).patients[0].best_response
    };
    assert_eq!(with(Some(0.0)), Cr);
    assert_eq!(with(Some(8.0)), Pr); // target CR, non-target present
    assert_eq!(with(None), Pr); // non-target not assessed
}

#[test]
fn progression_is_measured_from_the_nadir() {
    // 50 -> 30 (PR, nadir) -> 37: +23.3 % over the nadir (>= 20 %, +7 mm)
    // although still 26 % below baseline
    let rows = [sq(0, "L1", 50.0), sq(63, "L1", 30.0), sq(147, "L1", 37.0)];
    for c in [Criteria::Recist10, Criteria::Recist11] {
        let r = run(&rows, c);
        assert_eq!(series(&r), vec![Pr, Pd], "{c:?}");
        let tp = &r.patients[0].time_points[1];
        assert_close(
            "from nadir",
            tp.change_from_nadir.unwrap(),
            700.0 / 30.0,
            tol::EXACT,
        );
        assert_close(
            "from baseline",
            tp.change_from_baseline.unwrap(),
            -26.0,
            tol::EXACT,
        );
        assert_eq!(r.patients[0].best_response, Pr);
    }
}

#[test]
fn exactly_on_a_threshold_meets_it() {
    // 40 -> 28 is exactly -30 %; 28 -> 33.6 exactly +20 % (and +5.6 mm)
    let rows = [sq(0, "L1", 40.0), sq(63, "L1", 28.0), sq(147, "L1", 33.6)];
    assert_eq!(series(&run(&rows, Criteria::Recist11)), vec![Pr, Pd]);
}

#[test]
fn who_single_lesion_progression_is_optional() {
    // L1 20x20 = 400, L2 40x40 = 1600; day 63: L1 23x23 = 529 (+32 %),
    // sum 2129 = +6.45 %: SD by the sum, PD by Miller's single-lesion wording
    let rows = [
        sq(0, "L1", 20.0),
        sq(0, "L2", 40.0),
        sq(63, "L1", 23.0),
        sq(63, "L2", 40.0),
    ];
    assert_eq!(series(&run(&rows, Criteria::Who)), vec![Sd]);
    let o = ResponseOptions {
        criteria: Criteria::Who,
        who_lesion_progression: true,
        ..Default::default()
    };
    assert_eq!(series(&run_opts(&rows, &o)), vec![Pd]);
}

#[test]
fn row_order_does_not_matter() {
    let mut rows = vec![
        sq(0, "L1", 30.0),
        sq(0, "L2", 20.0),
        sq(63, "L1", 20.0),
        sq(63, "L2", 10.0),
        sq(147, "L1", 25.0),
        sq(147, "L2", 15.0),
    ];
    let a = run(&rows, Criteria::Recist11);
    rows.reverse();
    assert_eq!(a, run(&rows, Criteria::Recist11));
}

#[test]
fn several_patients_and_counts() {
    let mut rows = vec![sq(0, "L1", 40.0), sq(63, "L1", 20.0)];
    let mut q: Vec<LesionMeasurement> = [sq(0, "L1", 40.0), sq(63, "L1", 50.0)]
        .into_iter()
        .map(|mut m| {
            m.patient = "q".into();
            m
        })
        .collect();
    rows.append(&mut q);
    let r = run(&rows, Criteria::Recist11);
    let ids: Vec<&str> = r.patients.iter().map(|p| p.patient.as_str()).collect();
    assert_eq!(ids, vec!["p", "q"]);
    assert_eq!(r.counts, vec![(Cr, 0), (Pr, 1), (Sd, 0), (Pd, 1), (Ne, 0)]);
    assert_eq!(r.n_objective, 1);
}

#[test]
fn bad_tables_name_patient_date_and_lesion() {
    let o = ResponseOptions::default();
    let none = BTreeMap::new();

    let rows = [sq(0, "L1", 30.0), sq(63, "L1", 30.0), sq(63, "L2", 10.0)];
    let e = assess_lesions(&rows, &none, &o).unwrap_err();
    assert_eq!(
        e,
        StudyError::LesionNotAtBaseline {
            patient: "p".into(),
            date: d(63),
            lesion: "L2".into(),
            baseline: d(0)
        }
    );
    assert!(
        e.to_string().contains("'p', 2000-03-04, lesion 'L2'"),
        "{e}"
    );

    let rows = [sq(-5, "L1", 30.0), sq(0, "L1", 30.0), sq(63, "L1", 30.0)];
    let baseline = BTreeMap::from([("p".to_string(), d(0))]);
    let e = assess_lesions(&rows, &baseline, &o).unwrap_err();
    assert!(
        matches!(e, StudyError::BeforeBaseline { ref lesion, date, .. } if lesion == "L1" && date == d(-5))
    );
    assert!(e.to_string().contains("1999-12-27"), "{e}");

    let rows = [sq(0, "L1", 30.0), sq(63, "L1", -3.0)];
    let e = assess_lesions(&rows, &none, &o).unwrap_err();
    assert_eq!(
        e,
        StudyError::BadMeasurement {
            patient: "p".into(),
            date: d(63),
            lesion: "L1".into(),
            what: "longest_diameter",
            value: -3.0
        }
    );

    let rows = [sq(0, "L1", 30.0), sq(0, "L1", 31.0)];
    assert!(matches!(
        assess_lesions(&rows, &none, &o),
        Err(StudyError::DuplicateMeasurement { .. })
    ));
    let rows = [non_target(0, "NT", 8.0), non_target(63, "NT", 8.0)];
    assert!(matches!(
        assess_lesions(&rows, &none, &o),
        Err(StudyError::NoBaselineTargets { .. })
    ));
    let mut no_perp = sq(0, "L1", 30.0);
    no_perp.perpendicular_diameter = None;
    let who = ResponseOptions {
        criteria: Criteria::Who,
        ..Default::default()
    };
    let e = assess_lesions(&[no_perp.clone()], &none, &who).unwrap_err();
    assert!(matches!(
        e,
        StudyError::MissingBaselineValue {
            what: "perpendicular_diameter",
            ..
        }
    ));
    // RECIST does not need it
    assert!(assess_lesions(&[no_perp], &none, &o).is_ok());
    let rows = [sq(0, "L1", 30.0), non_target(63, "L1", 30.0)];
    assert!(matches!(
        assess_lesions(&rows, &none, &o),
        Err(StudyError::LesionFlagChanged { what: "target", .. })
    ));
    let rows = [sq(0, "L1", 30.0), new_lesion(0)];
    assert!(matches!(
        assess_lesions(&rows, &none, &o),
        Err(StudyError::NewLesionAtBaseline { .. })
    ));
    let bad = ResponseOptions {
        sd_min_days: Some(-1),
        ..Default::default()
    };
    assert!(matches!(
        assess_lesions(&[], &none, &bad),
        Err(StudyError::BadOption {
            what: "sd_min_days",
            ..
        })
    ));
}

fn rec(patient: &str, day: i64, v: &str) -> RecordedResponse {
    RecordedResponse {
        patient: patient.into(),
        date: d(day),
        response: v.into(),
    }
}

#[test]
fn recorded_responses() {
    let starts = BTreeMap::from([("a".to_string(), d(0)), ("b".to_string(), d(0))]);
    let rows = [
        rec("a", 63, "pr"),
        rec("a", 147, " Partial response "),
        rec("b", 63, "sd"),
        rec("b", 150, "PD"),
    ];
    let o = ResponseOptions {
        confirm: true,
        ..Default::default()
    };
    let r = assess_recorded(&rows, &starts, &o).unwrap();
    assert_eq!(r.patients[0].best_response, Pr);
    let b = &r.patients[1];
    assert_eq!((b.best_response, b.first_progression), (Sd, Some(d(150))));
    assert_eq!(r.criteria, None);

    let e = assess_recorded(&[rec("a", 63, "PR?")], &starts, &o).unwrap_err();
    assert!(
        e.to_string()
            .contains("patient 'a', 2000-03-04: recorded response 'PR?'"),
        "{e}"
    );
    let e = assess_recorded(&[rec("z", 63, "PR")], &starts, &o).unwrap_err();
    assert_eq!(
        e,
        StudyError::MissingStartDate {
            patient: "z".into()
        }
    );
    let e = assess_recorded(&[rec("a", -1, "SD")], &starts, &o).unwrap_err();
    assert!(matches!(e, StudyError::AssessmentBeforeStart { .. }));
    let e = assess_recorded(&[rec("a", 63, "SD"), rec("a", 63, "PD")], &starts, &o).unwrap_err();
    assert!(matches!(e, StudyError::DuplicateAssessment { .. }));
    assert_eq!(
        Response::parse_recorded("a", None, "x").unwrap_err().to_string(),
        "patient 'a': recorded response 'x' is not one of CR, PR, SD, PD, NE (case-insensitive; the long forms such as 'partial response' are accepted too)"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// WHO and RECIST 1.0 thresholds are relative: scaling every diameter
    /// by the same factor leaves every time-point response unchanged.
    #[test]
    fn relative_criteria_are_scale_free(
        base in prop::collection::vec(10.0f64..60.0, 1..4),
        factors in prop::collection::vec(prop::collection::vec(0.0f64..2.0, 3), 3),
        scale in 0.3f64..3.0,
    ) {
        let mut rows = Vec::new();
        for (i, &b) in base.iter().enumerate() {
            let id = format!("L{i}");
            rows.push(sq(0, &id, b));
            for (j, f) in factors.iter().enumerate() {
                rows.push(sq(63 * (j as i64 + 1), &id, b * f[i % 3]));
            }
        }
        let scaled: Vec<LesionMeasurement> = rows
            .iter()
            .map(|m| LesionMeasurement {
                longest_diameter: m.longest_diameter.map(|x| x * scale),
                perpendicular_diameter: m.perpendicular_diameter.map(|x| x * scale),
                ..m.clone()
            })
            .collect();
        for c in [Criteria::Who, Criteria::Recist10] {
            let a = run(&rows, c);
            let b = run(&scaled, c);
            prop_assert_eq!(series(&a), series(&b));
            prop_assert_eq!(a.patients[0].best_response, b.patients[0].best_response);
        }
    }
}

#[test]
fn names_as_specs_and_json_write_them() {
    for c in ALL {
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, format!("\"{}\"", c.name()));
        assert_eq!(serde_json::from_str::<Criteria>(&json).unwrap(), c);
    }
    assert_eq!(serde_json::to_string(&Pr).unwrap(), "\"PR\"");
}
