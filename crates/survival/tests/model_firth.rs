//! Firth's penalised Cox regression, monotone likelihood detection and the
//! automatic switch.
//!
//! Source: `tests/fixtures/model/firth.json`, made by
//! `tests/fixtures/model/firth_reference.py` (Python 3.11, firthmodels
//! 0.8.2 `FirthCoxPH`, NumPy backend, converged to ~1e-10; firthmodels
//! implements Heinze & Schemper 2001 with Breslow ties and is validated by
//! its authors against R coxphf). Profile limits: `conf_int(method = "pl")`;
//! P values: `lrt()` (penalised likelihood-ratio tests).

mod model_common;

use model_common::{design, num, nums};
use oncomark_survival::cox::{fit, CoxData, CoxOptions, CoxProblem, TermStatus, Ties};
use oncomark_survival::firth::{firth, fit_auto, FirthOptions, FitMethod};
use oncomark_survival::SurvivalError;
use oncomark_testkit::{assert_close, json_fixture, tol};
use serde_json::Value;

/// Agreement with firthmodels: both solve to ~1e-10 and root-find the
/// profile limits to ~1e-10 (observed agreement better than 1e-9); 1e-8
/// leaves room for the different iteration paths.
const FIRTH: f64 = 1e-8;

fn separated() -> CoxData {
    CoxData::new(
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        &[true, true, true, false, false, false],
        &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
        &["x"],
    )
    .unwrap()
}

fn test1() -> CoxData {
    CoxData::new(
        &[1.0, 1.0, 6.0, 6.0, 8.0, 9.0],
        &[true, false, true, true, false, true],
        &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
        &["x"],
    )
    .unwrap()
}

fn check(name: &str, d: &CoxData) {
    let all = json_fixture("model/firth.json");
    let w: &Value = &all[name];
    let f = firth(d, &FirthOptions::default()).unwrap();
    assert_eq!(f.method, FitMethod::Firth);
    assert!(f.fit.converged, "{name}: {:?}", f.fit.warnings);
    assert!(f.fit.warnings.is_empty(), "{name}: {:?}", f.fit.warnings);
    let m = &f.fit;
    assert_close(
        &format!("{name} loglik"),
        m.loglik,
        num(&w["loglik"]),
        FIRTH,
    );
    assert_close(
        &format!("{name} loglik0"),
        m.loglik_null,
        num(&w["loglik_null"]),
        FIRTH,
    );
    let (coef, se, plr, lo, hi) = (
        nums(&w["coef"]),
        nums(&w["se"]),
        nums(&w["p_lr"]),
        nums(&w["lower"]),
        nums(&w["upper"]),
    );
    for (j, t) in m.terms.iter().enumerate() {
        let what = format!("{name} {}", t.term);
        assert_eq!(t.status, TermStatus::Estimated);
        assert_close(&format!("{what} coef"), t.coef.unwrap(), coef[j], FIRTH);
        assert_close(&format!("{what} se"), t.se.unwrap(), se[j], FIRTH);
        assert_close(&format!("{what} p_lr"), t.p.unwrap(), plr[j], FIRTH);
        assert_close(
            &format!("{what} lower"),
            t.hr_lower.unwrap().ln(),
            lo[j],
            FIRTH,
        );
        assert_close(
            &format!("{what} upper"),
            t.hr_upper.unwrap().ln(),
            hi[j],
            FIRTH,
        );
    }
}

#[test]
fn separated_data_give_finite_estimates() {
    check("separated", &separated());
}

#[test]
fn monotone_with_a_second_covariate() {
    let d = design("cox-extra/monotone.csv", "time", "status", &["x", "z"]);
    check("monotone", &d.data());
}

#[test]
fn tied_times_breslow() {
    check("test1", &test1());
}

#[test]
fn lung_ordinary_data() {
    let d = design(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "sex", "ph.ecog"],
    );
    check("lung", &d.data());
    // without the penalty the reference is the Breslow maximum partial
    // likelihood: our ordinary Breslow fit agrees (checks the reference)
    let w = &json_fixture("model/firth.json")["lung_unpenalised"];
    let f = fit(
        &d.data(),
        &CoxOptions {
            ties: Ties::Breslow,
            ..CoxOptions::default()
        },
    )
    .unwrap();
    assert_close("breslow loglik", f.loglik, num(&w["loglik"]), tol::COX);
    for (g, want) in f.coefficients.iter().zip(nums(&w["coef"])) {
        assert_close("breslow coef", *g, want, tol::COX);
    }
}

#[test]
fn json_has_method_and_profile_limits() {
    let f = firth(&separated(), &FirthOptions::default()).unwrap();
    let j = serde_json::to_value(&f).unwrap();
    assert_eq!(j["method"], "firth");
    assert_eq!(j["ties"], "breslow");
    assert_eq!(j["firth"]["ci"], "profile");
    assert!(j["terms"][0]["hr_lower"].as_f64().unwrap() > 1.0);
    // the Wald interval would include 1 (SE 1.79): the profile does not
    let se = f.fit.terms[0].se.unwrap();
    assert!(2.565 - 1.96 * se < 0.0);
}

#[test]
fn penalised_score_is_zero_at_the_estimate() {
    // the modified score U* = U + tr(I^-1 dI/db)/2; check by a central
    // difference of l*(b) = l(b) + log|I(b)|/2 computed from CoxProblem::eval
    let d = design(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "sex", "ph.ecog"],
    )
    .data();
    let f = firth(&d, &FirthOptions::default()).unwrap();
    let pr = CoxProblem::new(&d, Ties::Breslow).unwrap();
    let pl = |b: &[f64]| {
        let e = pr.eval(b).unwrap();
        let i = &e.information;
        let det = i[0] * (i[4] * i[8] - i[5] * i[7]) - i[1] * (i[3] * i[8] - i[5] * i[6])
            + i[2] * (i[3] * i[7] - i[4] * i[6]);
        e.loglik + 0.5 * det.ln()
    };
    let b = f.fit.coefficients.clone();
    assert_close("pl", pl(&b), f.fit.loglik, 1e-10);
    for j in 0..3 {
        let h = 1e-5 * (1.0 + b[j].abs());
        let (mut bp, mut bm) = (b.clone(), b.clone());
        bp[j] += h;
        bm[j] -= h;
        let g = (pl(&bp) - pl(&bm)) / (2.0 * h);
        assert!(g.abs() < 1e-5, "d l*/d b_{j} = {g}");
        assert!(f.fit.score_vector[j].abs() < 1e-6);
    }
}

#[test]
fn collinear_column_is_dropped_with_a_warning() {
    let d0 = design("r-survival/lung.csv", "time", "dead", &["age", "sex"]);
    let age2: Vec<f64> = d0.cols[0].iter().map(|a| 2.0 * a).collect();
    let d = CoxData::new(
        &d0.time,
        &d0.event,
        &[d0.cols[0].clone(), d0.cols[1].clone(), age2],
        &["age", "sex", "age2"],
    )
    .unwrap();
    let f = firth(&d, &FirthOptions::default()).unwrap();
    assert_eq!(f.fit.terms[2].status, TermStatus::NotEstimable);
    assert!(f.fit.terms[2].coef.is_none());
    assert!(f.fit.warnings.iter().any(|w| w.contains("`age2`")));
    // the others equal the fit without age2
    let g = firth(&d0.data(), &FirthOptions::default()).unwrap();
    for j in 0..2 {
        assert_close("coef", f.fit.coefficients[j], g.fit.coefficients[j], 1e-9);
    }
}

#[test]
fn constant_only_is_an_error() {
    let d = CoxData::new(
        &[1.0, 2.0, 3.0],
        &[true, true, false],
        &[vec![1.0; 3]],
        &["one"],
    )
    .unwrap();
    assert!(matches!(
        firth(&d, &FirthOptions::default()),
        Err(SurvivalError::BadCovariateNames { .. })
    ));
    let o = FirthOptions {
        conf_level: 1.0,
        ..FirthOptions::default()
    };
    assert!(matches!(
        firth(&separated(), &o),
        Err(SurvivalError::BadConfLevel(_))
    ));
}

#[test]
fn wald_option_skips_the_profile() {
    let o = FirthOptions {
        profile: false,
        ..FirthOptions::default()
    };
    let f = firth(&test1(), &o).unwrap();
    let t = &f.fit.terms[0];
    let (b, se) = (t.coef.unwrap(), t.se.unwrap());
    assert_close(
        "wald lower",
        t.hr_lower.unwrap(),
        (b - 1.959963984540054 * se).exp(),
        1e-9,
    );
    assert_eq!(f.firth.as_ref().unwrap().ci, "wald");
}

// ------------------------------------------------- monotone likelihood

#[test]
fn separating_covariate_is_flagged_infinite() {
    // R 4.2.2, survival 3.5-3: coxph runs out of iterations (coef 21.94,
    // var 6.1e8) and flags nothing; we flag the term and recommend Firth
    let f = fit(&separated(), &CoxOptions::default()).unwrap();
    assert!(!f.converged);
    assert_eq!(f.terms[0].status, TermStatus::Infinite);
    assert!(
        f.warnings
            .iter()
            .any(|w| w.contains("`x` diverges") && w.contains("Firth")),
        "{:?}",
        f.warnings
    );
    let j = serde_json::to_value(&f).unwrap();
    assert_eq!(j["terms"][0]["status"], "infinite");
}

#[test]
fn ordinary_slow_fit_is_not_flagged() {
    // stopped after 2 iterations on ordinary data: not converged, but the
    // variance has not exploded, so nothing is called infinite
    let d = design("r-survival/lung.csv", "time", "dead", &["age", "ph.ecog"]);
    let o = CoxOptions {
        max_iter: 2,
        ..CoxOptions::default()
    };
    let f = fit(&d.data(), &o).unwrap();
    assert!(!f.converged);
    assert!(f.terms.iter().all(|t| t.status == TermStatus::Estimated));
}

#[test]
fn fit_auto_switches_only_when_needed() {
    let f = fit_auto(
        &separated(),
        &CoxOptions::default(),
        &FirthOptions::default(),
    )
    .unwrap();
    assert_eq!(f.method, FitMethod::Firth);
    assert!(f.fit.warnings[0].starts_with("monotone likelihood"));
    assert!(f.fit.terms[0].coef.unwrap() < 3.0);
    let d = design("r-survival/lung.csv", "time", "dead", &["age", "sex"]);
    let g = fit_auto(&d.data(), &CoxOptions::default(), &FirthOptions::default()).unwrap();
    assert_eq!(g.method, FitMethod::Cox);
    let j = serde_json::to_value(&g).unwrap();
    assert_eq!(j["method"], "cox");
    assert!(j.get("firth").is_none());
    // the monotone fixture (R flags it at convergence) switches too
    let m = design("cox-extra/monotone.csv", "time", "status", &["x", "z"]);
    let h = fit_auto(&m.data(), &CoxOptions::default(), &FirthOptions::default()).unwrap();
    assert_eq!(h.method, FitMethod::Firth);
}

#[test]
fn counting_process_split_gives_the_unsplit_fit() {
    // lung split at 180 and 365 days (survSplit, R 4.2.2): without
    // time-varying terms the Firth fit is that of the unsplit data
    // (firthmodels reference "lung")
    let (h, rows) = oncomark_testkit::read_fixture_csv("model/lung_split.csv");
    let col = |n: &str| -> Vec<f64> {
        oncomark_testkit::fixture_column(&h, &rows, n)
            .into_iter()
            .map(|v| v.unwrap())
            .collect()
    };
    let ev: Vec<bool> = col("dead").iter().map(|&v| v != 0.0).collect();
    let names = ["age", "sex", "ph.ecog"];
    let cols: Vec<Vec<f64>> = names.iter().map(|c| col(c)).collect();
    let d = CoxData::new(&col("time"), &ev, &cols, &names)
        .unwrap()
        .with_entry(&col("tstart"))
        .unwrap();
    let f = firth(&d, &FirthOptions::default()).unwrap();
    let w = &json_fixture("model/firth.json")["lung"];
    assert_close("split loglik", f.fit.loglik, num(&w["loglik"]), FIRTH);
    for (j, t) in f.fit.terms.iter().enumerate() {
        assert_close("split coef", t.coef.unwrap(), nums(&w["coef"])[j], FIRTH);
        assert_close(
            "split upper",
            t.hr_upper.unwrap().ln(),
            nums(&w["upper"])[j],
            FIRTH,
        );
    }
}
