//! Treatment-by-marker interaction against R.
//!
//! Source: `tests/fixtures/model/interaction.json` and `gbsg2_er.csv`, made
//! by `tests/fixtures/model/model_reference.R` (R 4.2.2, survival 3.5-3):
//! GBSG2, `coxph(Surv(time, cens) ~ hor * er_pos)` with `er_pos = estrec >= 10`,
//! Efron ties; per-level fits `coxph(Surv(time, cens) ~ hor, subset)`.

mod model_common;

use model_common::{num, nums};
use oncomark_survival::cox::{CoxOptions, TermStatus};
use oncomark_survival::interaction::{treatment_interaction, Interaction, InteractionNames};
use oncomark_survival::SurvivalError;
use oncomark_testkit::{assert_close, fixture_column, json_fixture, read_fixture_csv, tol};

fn gbsg() -> Interaction {
    let (h, rows) = read_fixture_csv("model/gbsg2_er.csv");
    let col = |n: &str| {
        fixture_column(&h, &rows, n)
            .into_iter()
            .map(|v| v.unwrap())
            .collect::<Vec<f64>>()
    };
    let time = col("time");
    let event: Vec<bool> = col("cens").iter().map(|&v| v != 0.0).collect();
    let hor: Vec<bool> = col("hor").iter().map(|&v| v != 0.0).collect();
    let er: Vec<u32> = col("er_pos").iter().map(|&v| v as u32).collect();
    let names = InteractionNames {
        treatment: "horTh".into(),
        marker: "ER".into(),
    };
    treatment_interaction(
        &time,
        &event,
        &hor,
        &er,
        &["neg", "pos"],
        &names,
        &CoxOptions::default(),
    )
    .unwrap()
}

#[test]
fn gbsg2_contract_numbers() {
    // ISSUE 4 (R 4.2.2, survival 3.5-3, printed digits): interaction coef
    // -0.2011128, SE 0.2654280, LR 0.568030, P 0.451043; HR of horTh within
    // ER+ exp(b1 + b3) = 0.676084
    let r = gbsg();
    let t = &r.interaction_terms[0];
    assert_eq!(t.term, "horTh:ERpos");
    assert_close("coef", t.coef.unwrap(), -0.2011128, tol::printed_digits(7));
    assert_close("se", t.se.unwrap(), 0.2654280, tol::printed_digits(7));
    assert_close(
        "lr",
        r.interaction_lr.statistic,
        0.568030,
        tol::printed_digits(6),
    );
    assert_close("p", r.interaction_lr.p, 0.451043, tol::printed_digits(6));
    assert_close(
        "hr ER+",
        r.within[1].hr.unwrap(),
        0.676084,
        tol::printed_digits(6),
    );
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["within"][1]["level"], "pos");
    assert!(j.get("model").is_none());
}

#[test]
fn gbsg2_matches_r() {
    let w = json_fixture("model/interaction.json");
    let r = gbsg();
    for (k, (g, want)) in r
        .model
        .coefficients
        .iter()
        .zip(nums(&w["coef"]))
        .enumerate()
    {
        assert_close(&format!("coef {k}"), *g, want, tol::COX);
    }
    for (k, want) in nums(&w["se"]).iter().enumerate() {
        assert_close(
            &format!("se {k}"),
            r.model.terms[k].se.unwrap(),
            *want,
            tol::COX,
        );
    }
    assert_close(
        "loglik int",
        r.model.loglik,
        num(&w["loglik_interaction"]),
        tol::COX,
    );
    assert_close(
        "loglik main",
        r.main_effects.loglik,
        num(&w["loglik_main"]),
        tol::COX,
    );
    assert_close("lr", r.interaction_lr.statistic, num(&w["lr"]), 1e-4);
    assert_close("p lr", r.interaction_lr.p, num(&w["p_lr"]), 1e-4);
    let z = num(&w["wald_z"]);
    assert_close("wald", r.interaction_wald.statistic, z * z, tol::COX);
    assert_close("p wald", r.interaction_wald.p, num(&w["p_wald"]), tol::COX);
    for (l, hw) in w["hr_within"].as_array().unwrap().iter().enumerate() {
        let e = &r.within[l];
        assert_close("within coef", e.coef.unwrap(), num(&hw["coef"]), tol::COX);
        assert_close("within se", e.se.unwrap(), num(&hw["se"]), tol::COX);
        let zq = 1.959963984540054;
        assert_close(
            "within lower",
            e.hr_lower.unwrap(),
            (num(&hw["coef"]) - zq * num(&hw["se"])).exp(),
            tol::COX,
        );
    }
    for (l, pw) in w["per_level"].as_array().unwrap().iter().enumerate() {
        let e = &r.separate[l];
        assert_eq!(e.n as f64, num(&pw["n"]));
        assert_eq!(e.events as f64, num(&pw["events"]));
        assert_close("sep coef", e.coef.unwrap(), num(&pw["coef"]), tol::COX);
        assert_close("sep se", e.se.unwrap(), num(&pw["se"]), tol::COX);
        assert_close("sep p", e.p.unwrap(), num(&pw["p_wald"]), tol::COX);
        assert_close("sep p_lr", e.p_lr.unwrap(), num(&pw["p_lr"]), 1e-4);
    }
    // the within-level counts add up
    assert_eq!(r.within.iter().map(|e| e.n).sum::<usize>(), r.n);
    assert_eq!(r.within.iter().map(|e| e.events).sum::<usize>(), r.events);
}

#[test]
fn three_level_marker_has_two_df() {
    let time: Vec<f64> = (1..=30).map(|v| v as f64).collect();
    let event: Vec<bool> = (0..30).map(|i| i % 4 != 3).collect();
    let trt: Vec<bool> = (0..30).map(|i| (i / 3 + i / 7) % 2 == 0).collect();
    let marker: Vec<u32> = (0..30).map(|i| (i % 3) as u32).collect();
    let r = treatment_interaction(
        &time,
        &event,
        &trt,
        &marker,
        &["a", "b", "c"],
        &InteractionNames::default(),
        &CoxOptions::default(),
    )
    .unwrap();
    assert_eq!(r.interaction_lr.df, 2);
    assert_eq!(r.interaction_wald.df, 2);
    assert_eq!(r.interaction_terms.len(), 2);
    assert_eq!(r.within.len(), 3);
    // level c: exp(b1 + b3_c), variance V11 + V55 + 2 V15
    let m = &r.model;
    let c = m.coefficients[0] + m.coefficients[4];
    let v = m.variance[0][0] + m.variance[4][4] + 2.0 * m.variance[0][4];
    assert_close("within c", r.within[2].coef.unwrap(), c, tol::EXACT);
    assert_close("within c se", r.within[2].se.unwrap(), v.sqrt(), tol::EXACT);
}

#[test]
fn level_with_one_arm_is_reported_not_fatal() {
    // level 1 is all treated: its separate fit is impossible and the
    // interaction column is collinear with the marker dummy
    let time: Vec<f64> = (1..=12).map(|v| v as f64).collect();
    let event = vec![true; 12];
    let trt = [
        true, false, true, false, true, false, true, true, true, true, true, true,
    ];
    let marker = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    let r = treatment_interaction(
        &time,
        &event,
        &trt,
        &marker,
        &["0", "1"],
        &InteractionNames::default(),
        &CoxOptions::default(),
    )
    .unwrap();
    assert_eq!(r.separate[1].status, TermStatus::NotEstimable);
    assert!(r.separate[1].warnings[0].contains("one treatment arm"));
    assert_eq!(r.within[1].status, TermStatus::NotEstimable);
    assert_eq!(r.interaction_lr.df, 0);
    assert!(r.separate[0].hr.is_some());
}

#[test]
fn input_errors() {
    let t = [1.0, 2.0, 3.0];
    let e = [true, true, true];
    let o = CoxOptions::default();
    let nm = InteractionNames::default();
    assert!(matches!(
        treatment_interaction(&t, &e, &[true, false], &[0, 1, 0], &["a", "b"], &nm, &o),
        Err(SurvivalError::LengthMismatch {
            what: "treatment",
            ..
        })
    ));
    assert!(matches!(
        treatment_interaction(
            &t,
            &e,
            &[true, false, true],
            &[0, 0, 0],
            &["a", "b"],
            &nm,
            &o
        ),
        Err(SurvivalError::OneGroup { groups: 1 })
    ));
    assert!(matches!(
        treatment_interaction(
            &t,
            &e,
            &[true, false, true],
            &[0, 2, 0],
            &["a", "b"],
            &nm,
            &o
        ),
        Err(SurvivalError::GroupOutOfRange { value: 2, .. })
    ));
}
