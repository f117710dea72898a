//! Stepwise / forward / backward selection against SAS-rule selection
//! built from R's own tests.
//!
//! Source: `tests/fixtures/model/selection.json`, made by
//! `tests/fixtures/model/model_reference.R` (R 4.2.2, survival 3.5-3): each
//! entry test is R's global score test of
//! `coxph(y ~ current + term, init = c(beta_current, 0), iter.max = 0)`,
//! each removal test the Wald chi-square of the term in `coxph(y ~ current)`.

mod model_common;

use model_common::{design, num, nums, p_tol, strs, Design};
use oncomark_survival::cox::{CoxData, CoxProblem, Ties};
use oncomark_survival::select::{
    entry_score_tests, select, RoundKind, SelectMethod, SelectOptions, StepAction, StepTest,
    StopReason, Term,
};
use oncomark_survival::SurvivalError;
use oncomark_testkit::{assert_close, json_fixture, tol};
use serde_json::Value;

fn run(d: &Design, r: &Value) -> oncomark_survival::select::Selection {
    let method = match r["method"].as_str().unwrap() {
        "stepwise" => SelectMethod::Stepwise,
        "forward" => SelectMethod::Forward,
        "backward" => SelectMethod::Backward,
        m => panic!("{m}"),
    };
    let opts = SelectOptions {
        method,
        entry: num(&r["entry"]),
        stay: num(&r["stay"]),
        include: strs(&r["include"]),
        ..SelectOptions::default()
    };
    select(&d.data(), &d.terms, &opts).unwrap()
}

fn check_case(name: &str, d: &Design) {
    let all = json_fixture("model/selection.json");
    let r = &all[name];
    let s = run(d, r);
    // every round, every statistic
    let rr = r["rounds"].as_array().unwrap();
    assert_eq!(s.rounds.len(), rr.len(), "{name}: number of rounds");
    for (k, (got, want)) in s.rounds.iter().zip(rr).enumerate() {
        let kind = match want["kind"].as_str().unwrap() {
            "entry" => RoundKind::Entry,
            _ => RoundKind::Removal,
        };
        assert_eq!(got.kind, kind, "{name} round {k}");
        let wt = want["tests"].as_array().unwrap();
        assert_eq!(got.tests.len(), wt.len(), "{name} round {k}");
        for (g, w) in got.tests.iter().zip(wt) {
            let what = format!("{name} round {k} {}", g.term);
            assert_eq!(g.term, w["term"].as_str().unwrap(), "{what}");
            assert_eq!(g.df as f64, num(&w["df"]), "{what} df");
            let stat = num(&w["statistic"]);
            assert_close(&what, g.statistic, stat, tol::COX);
            assert_close(
                &format!("{what} p"),
                g.p,
                num(&w["p"]),
                p_tol(stat, tol::COX),
            );
        }
    }
    // the steps
    let ws = r["steps"].as_array().unwrap();
    assert_eq!(s.steps.len(), ws.len(), "{name}: steps {:?}", s.steps);
    for (g, w) in s.steps.iter().zip(ws) {
        assert_eq!(g.step as f64, num(&w["step"]));
        let (action, test) = match w["action"].as_str().unwrap() {
            "enter" => (StepAction::Enter, StepTest::Score),
            _ => (StepAction::Remove, StepTest::Wald),
        };
        assert_eq!((g.action, g.test), (action, test), "{name} step {}", g.step);
        assert_eq!(g.term, w["term"].as_str().unwrap());
        assert_close(
            "step statistic",
            g.statistic,
            num(&w["statistic"]),
            tol::COX,
        );
    }
    assert_eq!(s.selected, strs(&r["selected"]), "{name}");
    let stop = match r["stop_reason"].as_str().unwrap() {
        "no candidate meets the entry criterion" => StopReason::NoEntry,
        "every term meets the stay criterion" => StopReason::AllStay,
        "all candidate terms are in the model" => StopReason::AllEntered,
        "cycle" => StopReason::Cycle,
        x => panic!("{x}"),
    };
    assert_eq!(s.stop_reason, stop, "{name}");
    // the final model is R's fit of the selected terms
    let m = s.model.as_ref().unwrap();
    assert_close(
        "final loglik",
        m.loglik,
        num(&r["final"]["loglik"]),
        tol::COX,
    );
    for (g, w) in m.coefficients.iter().zip(nums(&r["final"]["coef"])) {
        assert_close("final coef", *g, w, tol::COX);
    }
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn lung_contract_numbers() {
    // docs/cli-contract.md: lung complete cases on age, sex, ph.ecog; the
    // entry score tests at step 1 (R 4.2.2, survival 3.5-3, printed digits)
    let d = design(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "sex", "ph.ecog"],
    );
    let s = select(&d.data(), &d.terms, &SelectOptions::default()).unwrap();
    let t = &s.rounds[0].tests;
    assert_close("age", t[0].statistic, 4.235748, tol::printed_digits(7));
    assert_close("sex", t[1].statistic, 10.00704, tol::printed_digits(7));
    assert_close("ph.ecog", t[2].statistic, 17.88864, tol::printed_digits(7));
    let st = &s.steps[0];
    assert_eq!(
        (st.step, st.action, st.term.as_str()),
        (1, StepAction::Enter, "ph.ecog")
    );
    assert_close("step 1 p", st.p, 2.342e-05, tol::printed_digits(4));
    let j = serde_json::to_value(&s).unwrap();
    assert_eq!(j["method"], "stepwise");
    assert_eq!(j["steps"][0]["action"], "enter");
    assert_eq!(j["steps"][0]["test"], "score");
    assert_eq!(j["steps"][0]["df"], 1);
}

#[test]
fn lung_stepwise_matches_r() {
    let d = design(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "sex", "ph.ecog"],
    );
    check_case("lung3", &d);
}

#[test]
fn lung_forward_and_backward_match_r() {
    let v = ["age", "sex", "ph.ecog", "ph.karno", "wt.loss"];
    let d = design("r-survival/lung.csv", "time", "dead", &v);
    check_case("lung5_forward", &d);
    check_case("lung5_backward", &d);
}

const GBSG: [&str; 8] = [
    "horTh", "age", "menostat", "tsize", "tgrade", "pnodes", "progrec", "estrec",
];

#[test]
fn gbsg2_stepwise_matches_r() {
    let d = design("r-survival/gbsg2.csv", "time", "cens", &GBSG);
    // tgrade (3 levels) is one term of two columns: it enters with df 2
    assert_eq!(d.terms[4].columns.len(), 2);
    check_case("gbsg_stepwise", &d);
}

#[test]
fn gbsg2_term_entered_then_removed_stops_as_sas() {
    // entry 0.5, stay 0.2: menostat enters at P 0.2915, its Wald P is
    // 0.2918 >= 0.2, so it leaves; it would re-enter: the process stops
    let d = design("r-survival/gbsg2.csv", "time", "cens", &GBSG);
    check_case("gbsg_stepwise_loose", &d);
}

#[test]
fn gbsg2_forced_terms_stay() {
    let d = design("r-survival/gbsg2.csv", "time", "cens", &GBSG);
    check_case("gbsg_include", &d);
}

#[test]
fn early_term_removed_after_others_enter() {
    // simulated: x1 ~ x2 + x3 enters first, leaves once x2 and x3 are in
    let d = design(
        "model/sim_stepwise.csv",
        "time",
        "status",
        &["x1", "x2", "x3", "x4", "g"],
    );
    check_case("sim", &d);
}

// ------------------------------------------------------------ hand checks

fn small() -> CoxData {
    // times with a tie and a censoring at an event time, unsorted
    let time = [5.0, 1.0, 3.0, 3.0, 8.0, 2.0, 9.0, 4.0, 6.0, 7.0, 3.0, 10.0];
    let event = [
        true, true, true, false, true, true, false, true, true, false, true, true,
    ];
    let a = vec![1.0, 3.0, 2.0, 0.0, 1.0, 2.5, 0.0, 2.0, 0.5, 1.0, 3.0, 0.0];
    let b = vec![0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
    let c = vec![2.0, 1.0, 0.0, 3.0, 1.0, 0.5, 2.0, 1.0, 0.0, 1.0, 0.0, 2.5];
    CoxData::new(&time, &event, &[a, b, c], &["a", "b", "c"]).unwrap()
}

#[test]
fn score_test_is_the_efficient_score_given_the_model() {
    // U_M = 0 at the estimate of M, so U' I^- U over (M, G) equals
    // U_G^2 / (I_GG - I_GM I_MM^-1 I_MG) (hand algebra, 1 + 1 columns)
    let d = small();
    let sub = d.select_columns(&[0]).unwrap();
    let f = oncomark_survival::cox::fit(&sub, &Default::default()).unwrap();
    let pr = CoxProblem::new(&d, Ties::Efron).unwrap();
    let t = entry_score_tests(&pr, &[0], &f.coefficients, &[Term::new("c", vec![2])]).unwrap();
    let e = pr.eval(&[f.coefficients[0], 0.0, 0.0]).unwrap();
    let i = |j: usize, k: usize| e.information[j * 3 + k];
    let eff = e.score[2] * e.score[2] / (i(2, 2) - i(2, 0) * i(0, 2) / i(0, 0));
    assert!(e.score[0].abs() < 1e-6);
    assert_close("efficient score", t[0].statistic, eff, 1e-6);
    assert_eq!(t[0].df, 1);
}

#[test]
fn forward_never_removes_and_backward_never_enters() {
    let d = small();
    for method in [SelectMethod::Forward, SelectMethod::Backward] {
        let o = SelectOptions {
            method,
            entry: 0.9,
            stay: 0.9,
            ..SelectOptions::default()
        };
        let s = select(&d, &Term::each_column(&d), &o).unwrap();
        let want = if method == SelectMethod::Forward {
            StepAction::Enter
        } else {
            StepAction::Remove
        };
        assert!(s.steps.iter().all(|st| st.action == want), "{:?}", s.steps);
        assert!(s.rounds.iter().all(|r| r.kind
            == if method == SelectMethod::Forward {
                RoundKind::Entry
            } else {
                RoundKind::Removal
            }));
    }
}

#[test]
fn empty_selection_has_no_model() {
    let d = small();
    let o = SelectOptions {
        entry: 1e-12,
        ..SelectOptions::default()
    };
    let s = select(&d, &Term::each_column(&d), &o).unwrap();
    assert!(s.steps.is_empty() && s.selected.is_empty() && s.model.is_none());
    assert_eq!(s.stop_reason, StopReason::NoEntry);
}

#[test]
fn constant_candidate_has_zero_df_and_never_enters() {
    let d0 = small();
    let one = vec![1.0; d0.n()];
    let d = CoxData::new(
        d0.time(),
        d0.event(),
        &[d0.column(0).to_vec(), one],
        &["a", "one"],
    )
    .unwrap();
    let o = SelectOptions {
        entry: 1.0,
        stay: 1.0,
        ..SelectOptions::default()
    };
    let s = select(&d, &Term::each_column(&d), &o).unwrap();
    let t = &s.rounds[0].tests[1];
    assert_eq!((t.df, t.p), (0, 1.0));
    assert!(!s.selected.contains(&"one".to_string()));
}

#[test]
fn bad_options_are_errors() {
    let d = small();
    let terms = Term::each_column(&d);
    let o = SelectOptions {
        include: vec!["nope".into()],
        ..SelectOptions::default()
    };
    match select(&d, &terms, &o) {
        Err(SurvivalError::BadCovariateNames { reason }) => {
            assert!(
                reason.contains("`nope`") && reason.contains("a, b, c"),
                "{reason}"
            )
        }
        r => panic!("{r:?}"),
    }
    let o = SelectOptions {
        entry: 0.0,
        ..SelectOptions::default()
    };
    assert!(matches!(
        select(&d, &terms, &o),
        Err(SurvivalError::BadOption { what: "entry", .. })
    ));
    let overlapping = vec![Term::new("a", vec![0, 1]), Term::new("b", vec![1])];
    assert!(matches!(
        select(&d, &overlapping, &SelectOptions::default()),
        Err(SurvivalError::BadCovariateNames { .. })
    ));
    let pr = CoxProblem::new(&d, Ties::Efron).unwrap();
    assert!(entry_score_tests(&pr, &[0], &[f64::NAN], &terms).is_err());
    assert!(entry_score_tests(&pr, &[7], &[0.0], &terms).is_err());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Entry score tests at the empty model are the ordinary score
        /// tests of the one-covariate models, whatever the order of rows.
        #[test]
        fn entry_tests_equal_single_model_score_tests(
            rows in prop::collection::vec((0u8..10, any::<bool>(), -3.0f64..3.0, 0u8..3), 6..25),
        ) {
            let time: Vec<f64> = rows.iter().map(|r| f64::from(r.0) + 1.0).collect();
            let mut event: Vec<bool> = rows.iter().map(|r| r.1).collect();
            event[0] = true;
            let x: Vec<f64> = rows.iter().map(|r| r.2).collect();
            let g1: Vec<f64> = rows.iter().map(|r| f64::from(u8::from(r.3 == 1))).collect();
            let g2: Vec<f64> = rows.iter().map(|r| f64::from(u8::from(r.3 == 2))).collect();
            let d = CoxData::new(&time, &event, &[x, g1, g2], &["x", "g1", "g2"]).unwrap();
            let terms = vec![Term::new("x", vec![0]), Term::new("g", vec![1, 2])];
            let pr = CoxProblem::new(&d, Ties::Efron).unwrap();
            let t = entry_score_tests(&pr, &[], &[], &terms).unwrap();
            for (k, cols) in [vec![0usize], vec![1, 2]].iter().enumerate() {
                let sub = d.select_columns(cols).unwrap();
                let f = oncomark_survival::cox::fit(&sub, &oncomark_survival::cox::CoxOptions { max_iter: 0, ..Default::default() }).unwrap();
                let s = f.tests.score.statistic;
                prop_assert!((t[k].statistic - s).abs() <= 1e-9 * (1.0 + s), "{} vs {s}", t[k].statistic);
            }
        }
    }
}
