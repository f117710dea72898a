//! Endpoint derivation on hand-made dates; every time is counted by hand.

use chrono::NaiveDate;
use oncomark_study::endpoints::{
    date_problems, derive_all, derive_endpoint, DateProblem, DeathAfterFollowUp, EndStatus,
    Endpoint, EndpointOptions, OnProblem, PatientDates, TimeUnit,
};
use oncomark_study::StudyError;
use oncomark_testkit::{assert_close, tol};

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

fn pt(
    id: &str,
    start: Option<NaiveDate>,
    progression: Option<NaiveDate>,
    death: Option<NaiveDate>,
    last: Option<NaiveDate>,
) -> PatientDates {
    PatientDates {
        patient: id.into(),
        start,
        progression,
        death,
        last_follow_up: last,
    }
}

fn days() -> EndpointOptions {
    EndpointOptions {
        unit: TimeUnit::Days,
        ..Default::default()
    }
}

#[test]
fn death_before_progression_is_censored_for_ttp_and_an_event_for_pfs() {
    // start 2000-01-01, death 2000-04-10 (100 days), no progression
    let p = [pt("a", d(2000, 1, 1), None, d(2000, 4, 10), d(2000, 4, 10))];
    let e = derive_all(&p, &days()).unwrap();
    let (ttp, pfs, os) = (&e.ttp.rows[0], &e.pfs.rows[0], &e.os.rows[0]);
    assert_eq!((ttp.event, ttp.status), (false, EndStatus::CensoredAtDeath));
    assert_eq!((pfs.event, pfs.status), (true, EndStatus::Death));
    assert_eq!((os.event, os.status), (true, EndStatus::Death));
    for r in [ttp, pfs, os] {
        assert_close("days", r.time, 100.0, tol::EXACT);
    }
    assert_eq!((e.ttp.n_events, e.pfs.n_events), (0, 1));
}

#[test]
fn a_registry_death_after_the_last_follow_up() {
    // last seen progression-free 2000-02-10 (40 days), death found later
    // 2000-04-10 (100 days): TTP is censored at the last follow-up by
    // default, at death on request; PFS and OS count the death
    let p = [pt("r", d(2000, 1, 1), None, d(2000, 4, 10), d(2000, 2, 10))];
    let e = derive_all(&p, &days()).unwrap();
    assert_eq!(e.ttp.rows[0].status, EndStatus::CensoredAtLastFollowUp);
    assert_close("ttp", e.ttp.rows[0].time, 40.0, tol::EXACT);
    assert_close("pfs", e.pfs.rows[0].time, 100.0, tol::EXACT);
    assert!(e.pfs.rows[0].event && e.os.rows[0].event);
    let at_death = EndpointOptions {
        ttp_death_after_follow_up: DeathAfterFollowUp::CensorAtDeath,
        ..days()
    };
    let t = derive_endpoint(&p, Endpoint::Ttp, &at_death).unwrap();
    assert_eq!(t.rows[0].status, EndStatus::CensoredAtDeath);
    assert_close("ttp at death", t.rows[0].time, 100.0, tol::EXACT);
}

#[test]
fn progression_then_death() {
    // progression 2000-03-01 (60 days), death 2000-12-31 (365 days; 2000 is a leap year)
    let p = [pt(
        "b",
        d(2000, 1, 1),
        d(2000, 3, 1),
        d(2000, 12, 31),
        d(2000, 12, 1),
    )];
    let e = derive_all(&p, &days()).unwrap();
    assert_eq!(e.ttp.rows[0].status, EndStatus::Progression);
    assert_close("ttp", e.ttp.rows[0].time, 60.0, tol::EXACT);
    assert_close("pfs", e.pfs.rows[0].time, 60.0, tol::EXACT);
    assert_close("os", e.os.rows[0].time, 365.0, tol::EXACT);
    // death after the last follow-up: last contact is the death date, said so
    assert_eq!(e.os.adjustments.len(), 1);
    let a = &e.os.adjustments[0];
    assert_eq!(a.last_contact, d(2000, 12, 31).unwrap());
    assert!(
        a.note.contains("precedes the death date 2000-12-31"),
        "{}",
        a.note
    );
    assert!(e.os.excluded.is_empty());
}

#[test]
fn neither_event_is_censored_at_last_follow_up_in_every_unit() {
    // 2000-01-01 to 2001-01-01 = 366 days
    let p = [pt("c", d(2000, 1, 1), None, None, d(2001, 1, 1))];
    for (unit, want) in [
        (TimeUnit::Days, 366.0),
        (TimeUnit::Weeks, 366.0 / 7.0),
        (TimeUnit::Months, 366.0 / 30.4375),
        (TimeUnit::Years, 366.0 / 365.25),
    ] {
        let o = EndpointOptions {
            unit,
            ..Default::default()
        };
        for ep in [Endpoint::Ttp, Endpoint::Pfs, Endpoint::Os] {
            let t = derive_endpoint(&p, ep, &o).unwrap();
            let r = &t.rows[0];
            assert_eq!(
                (r.event, r.status),
                (false, EndStatus::CensoredAtLastContact)
            );
            assert_close(unit.name(), r.time, want, tol::EXACT);
        }
    }
}

#[test]
fn progression_after_last_follow_up_moves_last_contact() {
    // OS is censored at the progression date, the latest known contact (91 days)
    let p = [pt("e", d(2000, 1, 1), d(2000, 4, 1), None, d(2000, 2, 1))];
    let os = derive_endpoint(&p, Endpoint::Os, &days()).unwrap();
    assert_close("os", os.rows[0].time, 91.0, tol::EXACT);
    assert!(!os.rows[0].event);
    assert!(os.adjustments[0].note.contains("progression date"));
    // no last follow-up at all, but a death: fine, with a note
    let p = [pt("f", d(2000, 1, 1), None, d(2000, 1, 11), None)];
    let os = derive_endpoint(&p, Endpoint::Os, &days()).unwrap();
    assert_close("os", os.rows[0].time, 10.0, tol::EXACT);
    assert!(os.adjustments[0].note.contains("no last follow-up date"));
}

#[test]
fn bad_dates_become_exclusions_with_reasons() {
    let p = [
        pt("ok", d(2000, 1, 1), None, None, d(2000, 6, 1)),
        pt("nostart", None, None, None, d(2000, 6, 1)),
        pt("early", d(2000, 1, 1), d(1999, 12, 1), None, d(2000, 6, 1)),
        pt("ghost", d(2000, 1, 1), None, d(2000, 3, 1), d(2000, 5, 1)),
        pt("lost", d(2000, 1, 1), None, None, None),
        pt(
            "zombie",
            d(2000, 1, 1),
            d(2000, 4, 1),
            d(2000, 3, 1),
            d(2000, 3, 1),
        ),
    ];
    let t = derive_endpoint(&p, Endpoint::Ttp, &EndpointOptions::default()).unwrap();
    assert_eq!(t.rows.len(), 1);
    let reasons: Vec<(&str, &str)> = t
        .excluded
        .iter()
        .map(|x| (x.patient.as_str(), x.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("nostart", "no treatment start date"),
            (
                "early",
                "progression 1999-12-01 is before the start 2000-01-01"
            ),
            (
                "ghost",
                "last follow-up 2000-05-01 is after death 2000-03-01"
            ),
            ("lost", "no last follow-up, progression or death date"),
            ("zombie", "progression 2000-04-01 is after death 2000-03-01"),
        ]
    );
    // the same patients are excluded from every endpoint
    let e = derive_all(&p, &EndpointOptions::default()).unwrap();
    assert_eq!(e.os.excluded, e.ttp.excluded);
    assert_eq!(e.pfs.excluded, e.ttp.excluded);

    // on_problem = error stops at the first, naming the patient and problem
    let strict = EndpointOptions {
        on_problem: OnProblem::Error,
        ..Default::default()
    };
    let err = derive_endpoint(&p, Endpoint::Os, &strict).unwrap_err();
    assert_eq!(
        err,
        StudyError::BadDates {
            patient: "nostart".into(),
            problems: vec![DateProblem::MissingStart]
        }
    );
    assert!(err
        .to_string()
        .starts_with("patient 'nostart': no treatment start date;"));
}

#[test]
fn all_problems_of_a_patient_are_listed() {
    let p = pt(
        "x",
        d(2000, 6, 1),
        d(2000, 1, 1),
        d(2000, 2, 1),
        d(2000, 3, 1),
    );
    let probs = date_problems(&p);
    assert_eq!(probs.len(), 4, "{probs:?}");
    assert!(matches!(
        probs[0],
        DateProblem::ProgressionBeforeStart { .. }
    ));
    assert!(matches!(probs[1], DateProblem::DeathBeforeStart { .. }));
    assert!(matches!(
        probs[2],
        DateProblem::LastFollowUpBeforeStart { .. }
    ));
    assert!(matches!(
        probs[3],
        DateProblem::LastFollowUpAfterDeath { .. }
    ));
}

#[test]
fn an_event_on_the_start_date_has_time_zero() {
    let p = [pt("z", d(2000, 1, 1), d(2000, 1, 1), None, d(2000, 2, 1))];
    let t = derive_endpoint(&p, Endpoint::Ttp, &days()).unwrap();
    assert_eq!((t.rows[0].time, t.rows[0].event), (0.0, true));
}

#[test]
fn duplicate_patients_are_an_error() {
    let p = [
        pt("a", d(2000, 1, 1), None, None, d(2000, 2, 1)),
        pt("a", d(2000, 1, 1), None, None, d(2000, 2, 1)),
    ];
    assert!(matches!(
        derive_endpoint(&p, Endpoint::Os, &EndpointOptions::default()),
        Err(StudyError::DuplicateId { .. })
    ));
}
