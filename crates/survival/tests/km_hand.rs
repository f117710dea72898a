//! Kaplan-Meier, RMST and follow-up on data small enough to check by hand.
//!
//! The main case is Therneau's `test1` (survival package, tests/book1.R,
//! the row with a missing status dropped): times 9, 1, 1, 6, 6, 8 with
//! status 1, 1, 0, 1, 1, 0 — tied deaths (6), a death and a censoring at the
//! same time (1), a censoring alone (8), unsorted. By hand:
//!
//! ```text
//! t  n  d  c  S                    Greenwood sum
//! 1  6  1  1  5/6                  1/30
//! 6  4  2  0  5/6 * 2/4 = 5/12     1/30 + 2/(4*2) = 17/60
//! 8  2  0  1  5/12
//! 9  1  1  0  0                    (undefined)
//! ```

use oncomark_survival::km::{
    kaplan_meier, kaplan_meier_groups, median_followup, reverse_kaplan_meier, ConfType, KmOptions,
};
use oncomark_survival::rmst::rmst;
use oncomark_survival::SurvivalError;
use oncomark_testkit::{assert_close, tol};

const T: [f64; 6] = [9.0, 1.0, 1.0, 6.0, 6.0, 8.0];
const E: [bool; 6] = [true, true, false, true, true, false];
/// R 4.2.2: qnorm(0.975)
const Z: f64 = 1.959963984540054;

fn opts(ct: ConfType) -> KmOptions {
    KmOptions {
        conf_type: ct,
        ..Default::default()
    }
}

#[test]
fn test1_curve_by_hand() {
    let fit = kaplan_meier(&T, &E, &opts(ConfType::Log)).unwrap();
    assert_eq!((fit.n, fit.events), (6, 4));
    let got: Vec<_> = fit
        .steps
        .iter()
        .map(|s| (s.time, s.n_risk, s.n_event, s.n_censor))
        .collect();
    assert_eq!(
        got,
        vec![
            (1.0, 6, 1, 1),
            (6.0, 4, 2, 0),
            (8.0, 2, 0, 1),
            (9.0, 1, 1, 0)
        ]
    );
    let s = [5.0 / 6.0, 5.0 / 12.0, 5.0 / 12.0, 0.0];
    let v: [f64; 3] = [1.0 / 30.0, 17.0 / 60.0, 17.0 / 60.0];
    for (i, step) in fit.steps.iter().enumerate() {
        assert_close(&format!("S[{i}]"), step.survival, s[i], tol::EXACT);
        if i < 3 {
            let se_log = v[i].sqrt();
            assert_close("std_err", step.std_err.unwrap(), s[i] * se_log, tol::EXACT);
            assert_close(
                "log lower",
                step.lower.unwrap(),
                (s[i].ln() - Z * se_log).exp(),
                tol::EXACT,
            );
            let up = (s[i].ln() + Z * se_log).exp().min(1.0);
            assert_close("log upper", step.upper.unwrap(), up, tol::EXACT);
        } else {
            // S = 0: the variance is infinite, everything undefined (R: NA)
            assert_eq!((step.std_err, step.lower, step.upper), (None, None, None));
        }
    }
    // median: first S <= 0.5 is at 6
    assert_eq!(fit.median, Some(6.0));
}

#[test]
fn test1_log_log_and_plain_limits_by_hand() {
    let ll = kaplan_meier(&T, &E, &opts(ConfType::LogLog)).unwrap();
    let pl = kaplan_meier(&T, &E, &opts(ConfType::Plain)).unwrap();
    let (s, se_log) = (5.0f64 / 12.0, (17.0f64 / 60.0).sqrt());
    let h = Z * se_log / s.ln();
    let st = &ll.steps[1];
    assert_close(
        "loglog lower",
        st.lower.unwrap(),
        (-((-s.ln()).ln() - h).exp()).exp(),
        tol::EXACT,
    );
    assert_close(
        "loglog upper",
        st.upper.unwrap(),
        (-((-s.ln()).ln() + h).exp()).exp(),
        tol::EXACT,
    );
    let st = &pl.steps[1];
    assert_close(
        "plain lower",
        st.lower.unwrap(),
        (s - Z * s * se_log).max(0.0),
        tol::EXACT,
    );
    assert_close(
        "plain upper",
        st.upper.unwrap(),
        (s + Z * s * se_log).min(1.0),
        tol::EXACT,
    );
    // the censoring-only row at 8 repeats the estimate of 6
    assert_eq!(ll.steps[2].lower, ll.steps[1].lower);
    assert_eq!(pl.steps[2].upper, pl.steps[1].upper);
}

#[test]
fn test1_rmst_by_hand() {
    // area to 10: 1 + 5 * 5/6 + 2 * 5/12 + 1 * 5/12 + 0 = 77/12
    // var: (65/12)^2 * 1/30 + (5/4)^2 * 1/4 (the last death has n = d: 0)
    // R 4.2.2, survival 3.5-3: print(fit, rmean = 10) gives 6.42 (1.17)
    let fit = kaplan_meier(&T, &E, &KmOptions::default()).unwrap();
    let r = rmst(&fit, 10.0).unwrap();
    assert_close("rmst", r.estimate, 77.0 / 12.0, tol::EXACT);
    let var = (65.0f64 / 12.0).powi(2) / 30.0 + (1.25f64).powi(2) / 4.0;
    assert_close("rmst se", r.se, var.sqrt(), tol::EXACT);
    // tau before the first time: S = 1 throughout
    let r = rmst(&fit, 0.5).unwrap();
    assert_eq!((r.estimate, r.se), (0.5, 0.0));
    assert!(matches!(
        rmst(&fit, f64::NAN),
        Err(SurvivalError::BadTau { .. })
    ));
    assert!(matches!(rmst(&fit, 0.0), Err(SurvivalError::BadTau { .. })));
}

#[test]
fn test1_reverse_km_by_hand() {
    // censoring as the event: at 1 one "event" (the censoring) among 6,
    // the death at 1 stays at risk; at 8 one among 2.
    let fit = reverse_kaplan_meier(&T, &E, &KmOptions::default()).unwrap();
    assert_eq!(fit.events, 2);
    assert_close("S(1)", fit.steps[0].survival, 5.0 / 6.0, tol::EXACT);
    assert_close("S(8)", fit.steps[2].survival, 5.0 / 12.0, tol::EXACT);
    let f = median_followup(&T, &E, &KmOptions::default()).unwrap();
    assert_eq!(f.median, Some(8.0));
    assert_eq!((f.censored, f.n), (2, 6));
}

#[test]
fn unsorted_input_gives_the_same_fit() {
    let a = kaplan_meier(&T, &E, &KmOptions::default()).unwrap();
    let mut idx: Vec<usize> = (0..6).collect();
    idx.reverse();
    idx.swap(0, 3);
    let t: Vec<f64> = idx.iter().map(|&i| T[i]).collect();
    let e: Vec<bool> = idx.iter().map(|&i| E[i]).collect();
    assert_eq!(kaplan_meier(&t, &e, &KmOptions::default()).unwrap(), a);
}

#[test]
fn censoring_only() {
    let fit = kaplan_meier(&[3.0, 1.0, 2.0], &[false; 3], &opts(ConfType::LogLog)).unwrap();
    assert_eq!(fit.events, 0);
    for s in &fit.steps {
        assert_eq!(s.survival, 1.0);
        assert_eq!(s.std_err, Some(0.0));
        // log(-log 1) is undefined: R gives NA
        assert_eq!((s.lower, s.upper), (None, None));
    }
    assert_eq!(
        (fit.median, fit.median_lower, fit.median_upper),
        (None, None, None)
    );
    let fit = kaplan_meier(&[3.0, 1.0, 2.0], &[false; 3], &opts(ConfType::Log)).unwrap();
    assert_eq!(
        (fit.steps[0].lower, fit.steps[0].upper),
        (Some(1.0), Some(1.0))
    );
}

#[test]
fn median_on_a_flat_stretch_at_one_half_is_the_midpoint() {
    // S = 3/4, 1/2, 1/4, 0 at 1, 2, 3, 4: S = 0.5 on [2, 3): median 2.5
    let fit = kaplan_meier(&[4.0, 3.0, 2.0, 1.0], &[true; 4], &KmOptions::default()).unwrap();
    assert_eq!(fit.median, Some(2.5));
    // 10 deaths at 1..10: 0.9 * 8/9 * ... * 5/6 is 0.5 only up to rounding;
    // R's sqrt(eps) tolerance still applies the midpoint rule
    let t: Vec<f64> = (1..=10).map(f64::from).collect();
    let fit = kaplan_meier(&t, &[true; 10], &KmOptions::default()).unwrap();
    assert_eq!(fit.median, Some(5.5));
}

#[test]
fn ties_within_aeq_tolerance_are_one_time() {
    let t = [1.0, 1.0 + 1e-10, 2.0, 2.0 + 1e-6];
    let fit = kaplan_meier(&t, &[true; 4], &KmOptions::default()).unwrap();
    let got: Vec<_> = fit.steps.iter().map(|s| (s.time, s.n_event)).collect();
    // 1e-6 / mean(|y|) = 1e-6 / 1.5 > sqrt(eps): kept apart
    assert_eq!(got, vec![(1.0, 2), (2.0, 1), (2.0 + 1e-6, 1)]);
}

#[test]
fn at_rows_follow_summary_times_rules() {
    let o = KmOptions {
        times: vec![10.0, 0.0, 6.0, 7.0, 9.0],
        ..Default::default()
    };
    let fit = kaplan_meier(&T, &E, &o).unwrap();
    // sorted; 10 is after the last time (9) and left out
    let got: Vec<_> = fit
        .at
        .iter()
        .map(|a| (a.time, a.n_risk, a.n_event, a.n_censor))
        .collect();
    assert_eq!(
        got,
        vec![
            (0.0, 6, 0, 0),
            (6.0, 4, 3, 1),
            (7.0, 2, 0, 0),
            (9.0, 1, 1, 1)
        ]
    );
    assert_eq!(fit.at[0].survival, 1.0);
    assert_close("S(7)", fit.at[2].survival, 5.0 / 12.0, tol::EXACT);
    let o = KmOptions {
        times: vec![10.0],
        extend: true,
        ..Default::default()
    };
    let fit = kaplan_meier(&T, &E, &o).unwrap();
    assert_eq!(fit.at.len(), 1);
    assert_eq!(
        (fit.at[0].n_risk, fit.at[0].survival, fit.at[0].std_err),
        (0, 0.0, None)
    );
    assert_eq!(
        fit.n_at_risk(&[0.0, 1.0, 1.5, 6.0, 9.0, 9.5]),
        vec![6, 6, 4, 4, 1, 0]
    );
}

#[test]
fn deaths_at_time_zero() {
    let o = KmOptions {
        times: vec![0.0],
        ..Default::default()
    };
    let fit = kaplan_meier(&[0.0, 0.0, 2.0, 3.0], &[true, false, true, false], &o).unwrap();
    assert_eq!(fit.steps[0].time, 0.0);
    assert_close("S(0)", fit.steps[0].survival, 0.75, tol::EXACT);
    // no extra row is prepended when the curve starts at 0 (R survfit0)
    assert_close("at 0", fit.at[0].survival, 0.75, tol::EXACT);
    assert_eq!(fit.at[0].n_risk, 4);
}

#[test]
fn groups_are_separate_curves_and_empty_groups_are_left_out() {
    let t = [1.0, 2.0, 3.0, 4.0, 5.0];
    let e = [true, true, false, true, true];
    let g = [0, 2, 0, 2, 2];
    let r = kaplan_meier_groups(&t, &e, &g, &["a", "empty", "c"], &KmOptions::default()).unwrap();
    let names: Vec<_> = r.groups.iter().map(|f| f.group.as_str()).collect();
    assert_eq!(names, ["a", "c"]);
    assert_eq!(r.groups[0].steps.len(), 2);
    assert_close(
        "c S(2)",
        r.groups[1].steps[0].survival,
        2.0 / 3.0,
        tol::EXACT,
    );
    assert_eq!(r.groups[1].steps[0].n_risk, 3);
}

#[test]
fn bad_input_is_reported_with_the_offending_value() {
    let d = KmOptions::default();
    let e = kaplan_meier(&[1.0, f64::NAN], &[true, true], &d).unwrap_err();
    assert!(
        matches!(e, SurvivalError::NonFinite { what: "time", index: 1, value } if value.is_nan())
    );
    assert!(e.to_string().contains("time[1] = NaN"), "{e}");
    let e = kaplan_meier(&[1.0, -2.0], &[true, true], &d).unwrap_err();
    assert_eq!(
        e,
        SurvivalError::NegativeTime {
            index: 1,
            value: -2.0
        }
    );
    assert_eq!(
        e.to_string(),
        "time[1] = -2 is negative; survival times must be >= 0"
    );
    let e = kaplan_meier(&[1.0], &[true, true], &d).unwrap_err();
    assert!(matches!(
        e,
        SurvivalError::LengthMismatch {
            what: "event",
            got: 2,
            expected: 1
        }
    ));
    assert_eq!(
        kaplan_meier(&[], &[], &d).unwrap_err(),
        SurvivalError::Empty
    );
    let e = kaplan_meier_groups(&[1.0, 2.0], &[true, true], &[0, 3], &["a", "b"], &d).unwrap_err();
    assert!(matches!(
        e,
        SurvivalError::GroupOutOfRange {
            index: 1,
            value: 3,
            n_groups: 2
        }
    ));
    let o = KmOptions {
        conf_level: 95.0,
        ..Default::default()
    };
    assert_eq!(
        kaplan_meier(&T, &E, &o).unwrap_err(),
        SurvivalError::BadConfLevel(95.0)
    );
    let o = KmOptions {
        times: vec![-1.0],
        ..Default::default()
    };
    assert!(matches!(
        kaplan_meier(&T, &E, &o),
        Err(SurvivalError::BadOption { what: "times", .. })
    ));
}
