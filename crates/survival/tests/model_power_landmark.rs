//! Sample size / power closed forms, and landmark rates against R.
//!
//! Power: Schoenfeld (1983) Biometrika 70:315 and Peterson & George (1993)
//! Control Clin Trials 14:511, evaluated by hand below (normal quantiles
//! z_0.975 = 1.959963984540054, z_0.8 = 0.8416212335729143, z_0.9 =
//! 1.2815515655446004: R 4.2.2 `qnorm`).
//! Landmark: `tests/fixtures/model/landmark.json`, made by
//! `tests/fixtures/model/model_reference.R` (R 4.2.2, survival 3.5-3,
//! `summary(survfit(Surv(time, dead) ~ sex, lung), times = c(180, 365))`).

mod model_common;

use model_common::num;
use oncomark_survival::km::{ConfType, KmOptions};
use oncomark_survival::landmark::{landmark_difference, landmark_rates};
use oncomark_survival::power::{
    interaction_events, interaction_power, schoenfeld_events, schoenfeld_power,
    schoenfeld_sample_size,
};
use oncomark_survival::SurvivalError;
use oncomark_testkit::{assert_close, fixture_column, json_fixture, read_fixture_csv, tol};
use proptest::prelude::*;

const Z975: f64 = 1.959963984540054;
const Z80: f64 = 0.8416212335729143;
const Z90: f64 = 1.2815515655446004;

#[test]
fn schoenfeld_events_by_hand() {
    // balanced: d = 4 (z_a + z_b)^2 / log(HR)^2
    let want = 4.0 * (Z975 + Z80).powi(2) / 0.75f64.ln().powi(2);
    let d = schoenfeld_events(0.75, 0.5, 0.05, 0.8).unwrap();
    assert_close("HR 0.75", d, want, tol::EXACT);
    assert_close("HR 0.75 printed", d, 379.35, tol::printed_digits(5));
    // HR and 1/HR need the same events
    assert_close(
        "1/HR",
        schoenfeld_events(1.0 / 0.75, 0.5, 0.05, 0.8).unwrap(),
        d,
        tol::EXACT,
    );
    // 2:1 allocation: p (1 - p) = 2/9 instead of 1/4
    let d21 = schoenfeld_events(0.75, 2.0 / 3.0, 0.05, 0.8).unwrap();
    assert_close("2:1", d21 / d, 9.0 / 8.0, tol::EXACT);
    // power 0.9, HR 0.6
    let want = 4.0 * (Z975 + Z90).powi(2) / 0.6f64.ln().powi(2);
    assert_close(
        "HR 0.6",
        schoenfeld_events(0.6, 0.5, 0.05, 0.9).unwrap(),
        want,
        tol::EXACT,
    );
}

#[test]
fn sample_size_rounds_up() {
    let s = schoenfeld_sample_size(0.75, 0.5, 0.05, 0.8, 0.6).unwrap();
    assert_eq!(s.events, 380);
    assert_eq!(s.n_total, 634); // ceil(380 / 0.6) = ceil(633.33)
    assert_eq!((s.n_group1, s.n_group2), (317, 317));
    assert!(s.achieved_power >= 0.8 && s.achieved_power < 0.801);
    let j = serde_json::to_value(&s).unwrap();
    assert_eq!(j["events"], 380);
}

#[test]
fn power_by_hand_and_round_trip() {
    // 200 events, HR 0.7, 1:1: Phi(sqrt(50) |log 0.7| - 1.96)
    let arg = (200.0f64 * 0.25).sqrt() * 0.7f64.ln().abs() - Z975;
    let want = 0.5 * (1.0 + erf(arg / 2f64.sqrt()));
    assert_close(
        "power",
        schoenfeld_power(0.7, 0.5, 0.05, 200.0).unwrap(),
        want,
        1e-7,
    );
    for (hr, a, pw) in [(0.5, 0.5, 0.8), (1.4, 0.3, 0.9), (0.8, 0.6, 0.5)] {
        let d = schoenfeld_events(hr, a, 0.05, pw).unwrap();
        // statrs inverts the normal to about 1e-11
        assert_close(
            "round trip",
            schoenfeld_power(hr, a, 0.05, d).unwrap(),
            pw,
            tol::EXACT,
        );
    }
}

/// erf by its series (adequate for |x| < 3 to 1e-12), to check the normal
/// distribution independently of statrs.
fn erf(x: f64) -> f64 {
    let mut sum = 0.0;
    let mut term = x;
    let mut n = 0.0;
    while term.abs() > 1e-17 {
        sum += term / (2.0 * n + 1.0);
        n += 1.0;
        term *= -x * x / n;
    }
    2.0 / std::f64::consts::PI.sqrt() * sum
}

#[test]
fn interaction_by_hand() {
    // balanced: var = 16 / d, d = 16 (z_a + z_b)^2 / log(HR_int)^2
    let want = 16.0 * (Z975 + Z80).powi(2) / 0.5f64.ln().powi(2);
    let d = interaction_events(0.5, 0.5, 0.5, 0.05, 0.8).unwrap();
    assert_close("interaction", d, want, tol::EXACT);
    assert_eq!(d.ceil(), 262.0);
    // unbalanced marker (30 % positive)
    let v = 0.25 * 0.3 * 0.7;
    let want = (Z975 + Z80).powi(2) / (v * 0.5f64.ln().powi(2));
    assert_close(
        "p2 = 0.3",
        interaction_events(0.5, 0.5, 0.3, 0.05, 0.8).unwrap(),
        want,
        tol::EXACT,
    );
    assert_close(
        "power",
        interaction_power(0.5, 0.5, 0.3, 0.05, want).unwrap(),
        0.8,
        tol::EXACT,
    );
}

#[test]
fn power_errors() {
    for r in [
        schoenfeld_events(1.0, 0.5, 0.05, 0.8),
        schoenfeld_events(-0.5, 0.5, 0.05, 0.8),
        schoenfeld_events(f64::NAN, 0.5, 0.05, 0.8),
        schoenfeld_events(0.7, 0.0, 0.05, 0.8),
        schoenfeld_events(0.7, 0.5, 1.0, 0.8),
        schoenfeld_events(0.7, 0.5, 0.05, 1.0),
        schoenfeld_events(0.7, 0.5, 0.05, 0.01),
        schoenfeld_power(0.7, 0.5, 0.05, 0.0),
        interaction_events(0.7, 0.5, 1.2, 0.05, 0.8),
    ] {
        assert!(matches!(r, Err(SurvivalError::BadOption { .. })), "{r:?}");
    }
    assert!(schoenfeld_sample_size(0.7, 0.5, 0.05, 0.8, 0.0).is_err());
    let msg = schoenfeld_events(1.0, 0.5, 0.05, 0.8)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("not 1"), "{msg}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn more_events_more_power(hr in 0.2f64..0.95, a in 0.1f64..0.9, d in 10.0f64..1000.0) {
        let p1 = schoenfeld_power(hr, a, 0.05, d).unwrap();
        let p2 = schoenfeld_power(hr, a, 0.05, d * 1.5).unwrap();
        prop_assert!(p2 > p1 || p1 > 1.0 - 1e-12);
        // a larger effect needs fewer events
        let e1 = schoenfeld_events(hr, a, 0.05, 0.8).unwrap();
        let e2 = schoenfeld_events(hr * 0.9, a, 0.05, 0.8).unwrap();
        prop_assert!(e2 < e1);
    }
}

// ------------------------------------------------------------ landmark

fn lung_sex() -> (Vec<f64>, Vec<bool>, Vec<u32>) {
    let (h, rows) = read_fixture_csv("r-survival/lung.csv");
    let time: Vec<f64> = fixture_column(&h, &rows, "time")
        .into_iter()
        .map(Option::unwrap)
        .collect();
    let event = fixture_column(&h, &rows, "dead")
        .into_iter()
        .map(|v| v.unwrap() != 0.0)
        .collect();
    let sex = fixture_column(&h, &rows, "sex")
        .into_iter()
        .map(|v| v.unwrap() as u32 - 1)
        .collect();
    (time, event, sex)
}

#[test]
fn lung_landmarks_match_r() {
    let r = json_fixture("model/landmark.json");
    let (t, e, g) = lung_sex();
    for (key, ct) in [("log", ConfType::Log), ("loglog", ConfType::LogLog)] {
        let o = KmOptions {
            conf_type: ct,
            ..KmOptions::default()
        };
        for (k, at) in [180.0, 365.0].iter().enumerate() {
            let lm = landmark_rates(&t, &e, &g, &["1", "2"], *at, &o).unwrap();
            for row in r[key]["rows"].as_array().unwrap() {
                if num(&row["time"]) != *at {
                    continue;
                }
                let gi = num(&row["group"]) as usize - 1;
                let got = &lm.rates[gi];
                let what = format!("{key} t={at} group {gi}");
                assert_close(&what, got.survival.unwrap(), num(&row["surv"]), tol::KM);
                assert_close(&what, got.std_err.unwrap(), num(&row["se"]), tol::KM);
                assert_close(&what, got.lower.unwrap(), num(&row["lower"]), tol::KM);
                assert_close(&what, got.upper.unwrap(), num(&row["upper"]), tol::KM);
                assert_eq!(got.n_risk as f64, num(&row["n_risk"]));
            }
            let w = &r[key]["differences"][k];
            let d = lm.difference.as_ref().unwrap();
            assert_close("diff", d.estimate, num(&w["estimate"]), tol::KM);
            assert_close("diff se", d.se, num(&w["se"]), tol::KM);
            assert_close("diff lower", d.lower, num(&w["lower"]), tol::KM);
            assert_close("diff upper", d.upper, num(&w["upper"]), tol::KM);
            assert_close("diff p", d.p.unwrap(), num(&w["p"]), 1e-6);
        }
    }
}

#[test]
fn landmark_after_follow_up_is_not_estimable() {
    let t = [1.0, 2.0, 3.0, 1.0, 5.0, 9.0];
    let e = [true, false, true, true, true, false];
    let g = [0, 0, 0, 1, 1, 1];
    let lm = landmark_rates(&t, &e, &g, &["a", "b"], 6.0, &KmOptions::default()).unwrap();
    assert!(lm.rates[0].survival.is_none());
    assert!(lm.warnings[0].contains("group `a`"));
    assert!(lm.difference.is_none());
    // group b: S(6) = 2/3 * 1/2 (events at 1 and 5)
    assert_close("b", lm.rates[1].survival.unwrap(), 1.0 / 3.0, tol::EXACT);
    // before any event: S = 1, se 0; the difference has no P
    let lm = landmark_rates(&t, &e, &g, &["a", "b"], 0.5, &KmOptions::default()).unwrap();
    let d = lm.difference.unwrap();
    assert_eq!((d.estimate, d.se, d.p), (0.0, 0.0, None));
    assert!(landmark_rates(&t, &e, &g, &["a", "b"], -1.0, &KmOptions::default()).is_err());
    assert!(landmark_difference(&lm.rates[0], &lm.rates[1], 1.5).is_err());
}
