//! cox.zph tests and scaled Schoenfeld residuals against R.
//!
//! Source: `tests/fixtures/model/zph.json`, made by
//! `tests/fixtures/model/model_reference.R` (R 4.2.2, survival 3.5-3,
//! `cox.zph(fit, transform = "km" | "rank" | "identity")`, the survival 3.x
//! score test).

mod model_common;

use model_common::{design, num, nums, p_tol, strs, Design};
use oncomark_survival::cox::{CoxData, CoxOptions, CoxProblem, Ties};
use oncomark_survival::select::Term;
use oncomark_survival::zph::{cox_zph, ZphTransform};
use oncomark_survival::SurvivalError;
use oncomark_testkit::{assert_close, json_fixture, read_fixture_csv, tol};
use serde_json::Value;

const TRANSFORMS: [(&str, ZphTransform); 3] = [
    ("km", ZphTransform::Km),
    ("rank", ZphTransform::Rank),
    ("identity", ZphTransform::Identity),
];

fn check(name: &str, data: &CoxData, terms: &[Term], ties: Ties) {
    let all = json_fixture("model/zph.json");
    let r = &all[name];
    let pr = CoxProblem::new(data, ties).unwrap();
    let f = pr
        .fit(&CoxOptions {
            ties,
            ..CoxOptions::default()
        })
        .unwrap();
    for (g, w) in f.coefficients.iter().zip(nums(&r["coef"])) {
        assert_close(&format!("{name} coef"), *g, w, tol::COX);
    }
    for (key, tr) in TRANSFORMS {
        let w = &r[key];
        let z = cox_zph(&pr, &f, Some(terms), tr).unwrap();
        let what = format!("{name} {key}");
        assert_eq!(
            z.terms.iter().map(|t| t.term.clone()).collect::<Vec<_>>(),
            strs(&w["terms"]),
            "{what}"
        );
        for (k, t) in z.terms.iter().enumerate() {
            let c = nums(&w["chisq"])[k];
            assert_close(&format!("{what} {} chisq", t.term), t.chisq, c, tol::COX);
            assert_eq!(t.df as f64, nums(&w["df"])[k]);
            assert_close(
                &format!("{what} {} p", t.term),
                t.p,
                nums(&w["p"])[k],
                p_tol(c, tol::COX),
            );
        }
        let gc = num(&w["global"]["chisq"]);
        assert_close(&format!("{what} global"), z.global.chisq, gc, tol::COX);
        assert_eq!(z.global.df as f64, num(&w["global"]["df"]));
        assert_close(
            &format!("{what} global p"),
            z.global.p,
            num(&w["global"]["p"]),
            p_tol(gc, tol::COX),
        );
        // residuals: times, transformed times, scaled residuals row by row
        let res = &z.residuals;
        let wt = nums(&w["time"]);
        let wx = nums(&w["x"]);
        assert_eq!(res.time.len(), wt.len(), "{what}: one row per event");
        for i in 0..wt.len() {
            assert_eq!(res.time[i], wt[i], "{what} time {i}");
            assert_close(&format!("{what} x {i}"), res.x[i], wx[i], tol::EXACT);
        }
        let wy = w["y"].as_array().unwrap();
        for (i, (row, wrow)) in res.y.iter().zip(wy).enumerate() {
            let wrow = wrow.as_array().unwrap();
            for (k, (g, wv)) in row.iter().zip(wrow).enumerate() {
                match (g, wv.as_f64()) {
                    (Some(g), Some(wv)) => {
                        // residuals near 0 are compared on the scale of
                        // their column
                        let scale = wy
                            .iter()
                            .filter_map(|r| r[k].as_f64())
                            .fold(0.0f64, |m, v| m.max(v.abs()));
                        assert!(
                            (g - wv).abs() <= tol::COX * scale,
                            "{what} y[{i}][{k}]: {g} vs {wv}"
                        );
                    }
                    (None, None) => {}
                    (g, wv) => panic!("{what} y[{i}][{k}]: {g:?} vs {wv:?}"),
                }
            }
        }
    }
}

#[test]
fn lung_contract_numbers() {
    // docs/cli-contract.md, R cox.zph printed digits: chisq 0.188, 2.305,
    // 2.054, global 4.464, P 0.2156 (transform km)
    let d = design(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "sex", "ph.ecog"],
    );
    let pr = CoxProblem::new(&d.data(), Ties::Efron).unwrap();
    let f = pr.fit(&CoxOptions::default()).unwrap();
    let z = cox_zph(&pr, &f, None, ZphTransform::Km).unwrap();
    for (t, w) in z.terms.iter().zip([0.188, 2.305, 2.054]) {
        assert_close(&t.term, t.chisq, w, tol::printed_digits(3));
    }
    assert_close("global", z.global.chisq, 4.464, tol::printed_digits(4));
    assert_close("global p", z.global.p, 0.2156, tol::printed_digits(4));
    let j = serde_json::to_value(&z).unwrap();
    assert_eq!(j["transform"], "km");
    assert_eq!(j["terms"][0]["term"], "age");
    assert_eq!(j["global"]["df"], 3);
    assert!(j.get("residuals").is_none());
}

#[test]
fn lung_matches_r_all_transforms() {
    let d = design(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "sex", "ph.ecog"],
    );
    check("lung", &d.data(), &d.terms, Ties::Efron);
    check("lung_breslow", &d.data(), &d.terms, Ties::Breslow);
}

#[test]
fn gbsg2_with_a_three_level_term_matches_r() {
    let d = design(
        "r-survival/gbsg2.csv",
        "time",
        "cens",
        &["horTh", "age", "tsize", "tgrade", "pnodes", "progrec"],
    );
    check("gbsg", &d.data(), &d.terms, Ties::Efron);
}

#[test]
fn gbsg2_stratified_matches_r() {
    let d: Design = design(
        "r-survival/gbsg2.csv",
        "time",
        "cens",
        &["horTh", "age", "pnodes"],
    );
    let (h, rows) = read_fixture_csv("r-survival/gbsg2.csv");
    let j = h.iter().position(|c| c == "menostat").unwrap();
    let strata: Vec<u32> = rows
        .iter()
        .map(|r| u32::from(r[j].as_deref() == Some("Pre")))
        .collect();
    let data = d.data().with_strata(&strata).unwrap();
    check("gbsg_strata", &data, &d.terms, Ties::Efron);
}

// ------------------------------------------------------------ hand checks

#[test]
fn one_binary_covariate_identity_by_hand() {
    // Breslow, times 1..4 all events, x = (1, 0, 1, 0), at b = 0 with the
    // identity transform: g = t - mean(t) = (-1.5, -0.5, 0.5, 1.5);
    // xbar at t = 1..4: 2/4, 1/3, 1/2, 0; Schoenfeld residuals
    // r = (1/2, -1/3, 1/2, 0); U2 = sum g r = -0.75 + 1/6 + 0.25 = -1/3.
    // Variances v = xbar (1 - xbar) = (1/4, 2/9, 1/4, 0):
    // I11 = 13/18, I12 = sum g v = -3/8 - 1/9 + 1/8 = -13/36,
    // I22 = sum g^2 v = 9/16 + 1/18 + 1/16 = 49/72.
    // chisq = U2^2 / (I22 - I12^2 / I11) = (1/9) / (49/72 - 13/72) = 2/9.
    let d = CoxData::new(
        &[1.0, 2.0, 3.0, 4.0],
        &[true; 4],
        &[vec![1.0, 0.0, 1.0, 0.0]],
        &["x"],
    )
    .unwrap();
    let pr = CoxProblem::new(&d, Ties::Breslow).unwrap();
    let f = pr
        .fit(&CoxOptions {
            max_iter: 0,
            ..CoxOptions::default()
        })
        .unwrap();
    let z = cox_zph(&pr, &f, None, ZphTransform::Identity).unwrap();
    assert_close("chisq", z.terms[0].chisq, 2.0 / 9.0, tol::EXACT);
    // scaled residual: r / (I11 / 4) + 0; last event has r = 0
    let s = 4.0 / (13.0 / 18.0);
    for (g, r) in z.residuals.y.iter().zip([0.5, -1.0 / 3.0, 0.5, 0.0]) {
        assert_close("scaled", g[0].unwrap(), r * s, tol::EXACT);
    }
    assert_eq!(z.residuals.x, vec![1.0, 2.0, 3.0, 4.0]);
}

#[test]
fn errors() {
    let d = CoxData::new(
        &[0.0, 2.0, 3.0, 4.0],
        &[true; 4],
        &[vec![1.0, 0.0, 1.0, 0.0]],
        &["x"],
    )
    .unwrap();
    let pr = CoxProblem::new(&d, Ties::Efron).unwrap();
    let f = pr.fit(&CoxOptions::default()).unwrap();
    assert!(matches!(
        cox_zph(&pr, &f, None, ZphTransform::Log),
        Err(SurvivalError::BadOption {
            what: "transform",
            ..
        })
    ));
    let mut g = f.clone();
    g.coefficients.push(0.0);
    assert!(matches!(
        cox_zph(&pr, &g, None, ZphTransform::Km),
        Err(SurvivalError::BadCoefficients { .. })
    ));
    let bad = [Term::new("x", vec![3])];
    assert!(cox_zph(&pr, &f, Some(&bad), ZphTransform::Km).is_err());
    let _ = Value::Null;
}

#[test]
fn heart_counting_process_matches_r() {
    // (start, stop] data: R's zph2 (risk sets start < t <= stop, the km
    // transform from the Kaplan-Meier curve with delayed entry)
    let (h, rows) = read_fixture_csv("model/heart.csv");
    let col = |n: &str| -> Vec<f64> {
        oncomark_testkit::fixture_column(&h, &rows, n)
            .into_iter()
            .map(|v| v.unwrap())
            .collect()
    };
    let ev: Vec<bool> = col("event").iter().map(|&v| v != 0.0).collect();
    let names = ["age", "year", "surgery", "transplant"];
    let cols: Vec<Vec<f64>> = names.iter().map(|c| col(c)).collect();
    let d = CoxData::new(&col("stop"), &ev, &cols, &names)
        .unwrap()
        .with_entry(&col("start"))
        .unwrap();
    let terms: Vec<Term> = (0..4).map(|j| Term::new(names[j], vec![j])).collect();
    check("heart", &d, &terms, Ties::Efron);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn data(rows: &[(u8, bool, f64, bool)], a: f64, b: f64) -> CoxData {
        let time: Vec<f64> = rows.iter().map(|r| f64::from(r.0) + 1.0).collect();
        let mut event: Vec<bool> = rows.iter().map(|r| r.1).collect();
        event[0] = true;
        event[1] = true;
        let x: Vec<f64> = rows.iter().map(|r| a * r.2 + b).collect();
        let z: Vec<f64> = rows.iter().map(|r| f64::from(u8::from(r.3))).collect();
        CoxData::new(&time, &event, &[x, z], &["x", "z"]).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// The zph tests do not depend on the units or origin of a
        /// covariate (the score test is invariant under x -> a x + b).
        #[test]
        fn zph_is_invariant_to_covariate_units(
            rows in prop::collection::vec((0u8..12, any::<bool>(), -2.0f64..2.0, any::<bool>()), 8..30),
            a in 0.1f64..50.0,
            b in -100.0f64..100.0,
        ) {
            let d1 = data(&rows, 1.0, 0.0);
            let d2 = data(&rows, a, b);
            for tr in [ZphTransform::Km, ZphTransform::Rank, ZphTransform::Identity] {
                let z = |d: &CoxData| {
                    let pr = CoxProblem::new(d, Ties::Efron).unwrap();
                    let f = pr.fit(&CoxOptions::default()).unwrap();
                    (f.converged && f.warnings.is_empty())
                        .then(|| cox_zph(&pr, &f, None, tr).unwrap())
                };
                if let (Some(z1), Some(z2)) = (z(&d1), z(&d2)) {
                    let g = z1.global.chisq;
                    prop_assert!((g - z2.global.chisq).abs() <= 1e-6 * (1.0 + g), "{g} vs {}", z2.global.chisq);
                    prop_assert!(g >= 0.0);
                }
            }
        }
    }
}
