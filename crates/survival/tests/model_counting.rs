//! Counting-process `(start, stop]` input against R.
//!
//! Source: `tests/fixtures/model/counting.json` with `heart.csv` and
//! `lung_split.csv`, made by `tests/fixtures/model/model_reference.R`
//! (R 4.2.2, survival 3.5-3): `coxph(Surv(start, stop, event) ~ age + year
//! + surgery + transplant, heart)` (Stanford heart transplant data, the
//! transplant a time-varying covariate) with Efron and Breslow ties; lung
//! complete cases split at 180 and 365 days by `survSplit`, with and
//! without a time-varying term `age_late = age * (period = 3)`.

mod model_common;

use model_common::{num, nums};
use oncomark_survival::cox::{fit, CoxData, CoxFit, CoxOptions, CoxProblem, Ties};
use oncomark_survival::select::{select, SelectOptions, Term};
use oncomark_survival::SurvivalError;
use oncomark_testkit::{assert_close, fixture_column, json_fixture, read_fixture_csv, tol};
use serde_json::Value;

fn counting(csv: &str, start: &str, stop: &str, event: &str, covs: &[&str]) -> CoxData {
    let (h, rows) = read_fixture_csv(csv);
    let col = |n: &str| -> Vec<f64> {
        fixture_column(&h, &rows, n)
            .into_iter()
            .map(|v| v.unwrap())
            .collect()
    };
    let ev: Vec<bool> = col(event).iter().map(|&v| v != 0.0).collect();
    let cols: Vec<Vec<f64>> = covs.iter().map(|c| col(c)).collect();
    CoxData::new(&col(stop), &ev, &cols, covs)
        .unwrap()
        .with_entry(&col(start))
        .unwrap()
}

fn check(f: &CoxFit, w: &Value, what: &str) {
    assert_eq!(f.n as f64, num(&w["n"]), "{what} n");
    assert_eq!(f.events as f64, num(&w["events"]), "{what} events");
    let ll = nums(&w["loglik"]);
    assert_close(&format!("{what} loglik0"), f.loglik_null, ll[0], tol::COX);
    assert_close(&format!("{what} loglik"), f.loglik, ll[1], tol::COX);
    for (k, (g, want)) in f.coefficients.iter().zip(nums(&w["coef"])).enumerate() {
        assert_close(&format!("{what} coef {k}"), *g, want, tol::COX);
    }
    for (k, want) in nums(&w["se"]).iter().enumerate() {
        assert_close(
            &format!("{what} se {k}"),
            f.terms[k].se.unwrap(),
            *want,
            tol::COX,
        );
    }
    assert_close(
        &format!("{what} score"),
        f.tests.score.statistic,
        num(&w["score"]),
        tol::COX,
    );
    assert_close(
        &format!("{what} wald"),
        f.tests.wald.statistic,
        num(&w["wald"]),
        tol::COX,
    );
    assert_eq!(f.iterations as f64, num(&w["iter"]), "{what} iterations");
    // concordance: R counts rows at risk at each event time
    let cc = nums(&w["concordance_counts"]);
    let c = &f.concordance_counts;
    let got = [c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy];
    assert_eq!(got.to_vec(), cc, "{what} concordance counts");
    assert_close(
        &format!("{what} concordance"),
        f.concordance.unwrap(),
        num(&w["concordance"]),
        tol::EXACT,
    );
}

const HEART: [&str; 4] = ["age", "year", "surgery", "transplant"];

#[test]
fn heart_transplant_matches_r() {
    let all = json_fixture("model/counting.json");
    let d = counting("model/heart.csv", "start", "stop", "event", &HEART);
    for (key, ties) in [
        ("heart_efron", Ties::Efron),
        ("heart_breslow", Ties::Breslow),
    ] {
        let f = fit(
            &d,
            &CoxOptions {
                ties,
                ..CoxOptions::default()
            },
        )
        .unwrap();
        check(&f, &all[key], key);
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    }
}

#[test]
fn lung_split_with_time_varying_term_matches_r() {
    let all = json_fixture("model/counting.json");
    let d = counting(
        "model/lung_split.csv",
        "tstart",
        "time",
        "dead",
        &["age", "sex", "ph.ecog", "age_late"],
    );
    check(
        &fit(&d, &CoxOptions::default()).unwrap(),
        &all["lung_split"],
        "lung_split",
    );
}

#[test]
fn splitting_without_time_varying_terms_changes_nothing() {
    let all = json_fixture("model/counting.json");
    let d = counting(
        "model/lung_split.csv",
        "tstart",
        "time",
        "dead",
        &["age", "sex", "ph.ecog"],
    );
    let f = fit(&d, &CoxOptions::default()).unwrap();
    check(&f, &all["lung_split_plain"], "lung_split_plain");
    // the unsplit fit (R: identical up to rounding)
    let u = &all["lung_unsplit"];
    for (g, want) in f.coefficients.iter().zip(nums(&u["coef"])) {
        assert_close("unsplit coef", *g, want, tol::COX);
    }
    assert_close("unsplit loglik", f.loglik, nums(&u["loglik"])[1], tol::COX);
    assert_eq!(
        nums(&u["concordance_counts"]),
        nums(&all["lung_split_plain"]["concordance_counts"])
    );
}

#[test]
fn score_is_the_derivative_of_the_loglik() {
    // central differences of l(b) against U(b) and I(b), Efron and Breslow
    let d = counting("model/heart.csv", "start", "stop", "event", &HEART);
    for ties in [Ties::Efron, Ties::Breslow] {
        let pr = CoxProblem::new(&d, ties).unwrap();
        let b = [0.03, -0.1, -0.6, 0.1];
        let e = pr.eval(&b).unwrap();
        for j in 0..4 {
            let h = 1e-6;
            let (mut bp, mut bm) = (b, b);
            bp[j] += h;
            bm[j] -= h;
            let (ep, em) = (pr.eval(&bp).unwrap(), pr.eval(&bm).unwrap());
            let g = (ep.loglik - em.loglik) / (2.0 * h);
            assert_close(&format!("U_{j}"), e.score[j], g, 1e-6);
            for k in 0..4 {
                let gi = -(ep.score[k] - em.score[k]) / (2.0 * h);
                assert_close(&format!("I_{j}{k}"), e.information[j * 4 + k], gi, 1e-5);
            }
        }
    }
}

#[test]
fn late_entry_by_hand() {
    // rows (start, stop]: a (0, 4] event x=1; b (2, 5] event x=0;
    // c (3, 6] censored x=1; d (0, 1] event x=0.
    // Risk sets: t=1: {a, d}; t=4: {a, b, c}; t=5: {b, c}.
    // l(b) = [0 - log(e^b + 1)] + [b - log(2 e^b + 1)] + [0 - log(1 + e^b)]
    let d = CoxData::new(
        &[4.0, 5.0, 6.0, 1.0],
        &[true, true, false, true],
        &[vec![1.0, 0.0, 1.0, 0.0]],
        &["x"],
    )
    .unwrap()
    .with_entry(&[0.0, 2.0, 3.0, 0.0])
    .unwrap();
    let pr = CoxProblem::new(&d, Ties::Breslow).unwrap();
    for b in [0.0, 0.7, -1.3] {
        let e = pr.eval(&[b]).unwrap();
        let eb: f64 = f64::exp(b);
        let want = -2.0 * (eb + 1.0).ln() + b - (2.0 * eb + 1.0).ln();
        assert_close("loglik", e.loglik, want, tol::EXACT);
        let u = 1.0 - 2.0 * eb / (eb + 1.0) - 2.0 * eb / (2.0 * eb + 1.0);
        assert_close("score", e.score[0], u, tol::EXACT);
    }
    // entry exactly at an event time: not at risk then (start < t)
    let d2 = CoxData::new(&[4.0, 5.0], &[true, true], &[vec![1.0, 0.0]], &["x"])
        .unwrap()
        .with_entry(&[0.0, 4.0])
        .unwrap();
    let e = CoxProblem::new(&d2, Ties::Breslow)
        .unwrap()
        .eval(&[0.3])
        .unwrap();
    // each event alone in its risk set: l = 0 up to rounding
    assert!(e.loglik.abs() < 1e-12 && e.score[0].abs() < 1e-12, "{e:?}");
}

#[test]
fn selection_runs_on_counting_data() {
    let d = counting("model/heart.csv", "start", "stop", "event", &HEART);
    let s = select(&d, &Term::each_column(&d), &SelectOptions::default()).unwrap();
    // the score test at step 1 is the score test of the one-covariate model
    let first = &s.rounds[0].tests;
    for (j, t) in first.iter().enumerate() {
        let one = d.select_columns(&[j]).unwrap();
        let f = fit(&one, &CoxOptions::default()).unwrap();
        assert_close(&t.term, t.statistic, f.tests.score.statistic, 1e-10);
    }
}

#[test]
fn bad_entry_is_an_error() {
    let d = || CoxData::new(&[4.0, 5.0], &[true, true], &[vec![1.0, 0.0]], &["x"]).unwrap();
    assert!(matches!(
        d().with_entry(&[0.0]),
        Err(SurvivalError::LengthMismatch { .. })
    ));
    assert!(matches!(
        d().with_entry(&[0.0, 5.0]),
        Err(SurvivalError::BadOption { what: "start", .. })
    ));
    assert!(matches!(
        d().with_entry(&[f64::NAN, 1.0]),
        Err(SurvivalError::NonFinite { what: "start", .. })
    ));
    let e = d().with_entry(&[0.0, 1.0]).unwrap();
    assert!(matches!(
        CoxProblem::new(&e, Ties::Exact),
        Err(SurvivalError::BadOption { what: "ties", .. })
    ));
}
