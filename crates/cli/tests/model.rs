//! Model building through `oncomark cox`: stepwise selection, cox.zph,
//! univariate screens, interaction and Firth, against the contract's R
//! values (R 4.2.2, survival 3.5-3; docs/cli-contract.md and issue 4).

use std::process::Command;

use oncomark_testkit::{assert_close, fixture, tol};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_oncomark"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run oncomark");
    assert!(
        out.status.success(),
        "oncomark {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn lung() -> String {
    fixture("r-survival/lung.csv").to_str().unwrap().to_string()
}

fn gbsg2() -> String {
    fixture("r-survival/gbsg2.csv")
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn stepwise_on_lung_enters_ph_ecog_first_with_rs_score_test() {
    // Entry score tests at step 1 (R: coxph(..., init = 0, iter.max = 0)):
    // age 4.235748, sex 10.00704, ph.ecog 17.88864; ph.ecog enters, P 2.342e-05.
    let d = lung();
    let v = json(&[
        "cox",
        "--data",
        &d,
        "--time",
        "time",
        "--event",
        "dead",
        "--covariates",
        "age,sex,ph.ecog",
        "--select",
        "stepwise",
    ]);
    let sel = &v["selection"];
    assert_eq!(sel["method"], "stepwise");
    let s1 = &sel["steps"][0];
    assert_eq!(s1["action"], "enter");
    assert_eq!(s1["term"], "ph.ecog");
    assert_eq!(s1["test"], "score");
    assert_close(
        "step 1 score",
        f(&s1["statistic"]),
        17.88864,
        tol::printed_digits(7),
    );
    assert_close("step 1 p", f(&s1["p"]), 2.342e-05, tol::printed_digits(4));
    let round1 = sel["rounds"][0]["tests"].as_array().unwrap();
    let find = |name: &str| {
        round1
            .iter()
            .find(|t| t["term"] == name)
            .map(|t| f(&t["statistic"]))
            .unwrap()
    };
    assert_close("age entry", find("age"), 4.235748, tol::printed_digits(7));
    assert_close("sex entry", find("sex"), 10.00704, tol::printed_digits(7));
    // the final model is reported as terms
    assert!(v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["term"] == "ph.ecog"));
}

#[test]
fn zph_on_lung_matches_cox_zph() {
    // R cox.zph(coxph(Surv(time, dead) ~ age + sex + ph.ecog)), transform km:
    // 0.188, 2.305, 2.054, global 4.464 (P 0.2156).
    let d = lung();
    let v = json(&[
        "cox",
        "--data",
        &d,
        "--time",
        "time",
        "--event",
        "dead",
        "--covariates",
        "age,sex,ph.ecog",
        "--zph",
    ]);
    let z = &v["zph"];
    assert_eq!(z["transform"], "km");
    for (k, want) in [0.188, 2.305, 2.054].iter().enumerate() {
        assert_close(
            "zph term",
            f(&z["terms"][k]["chisq"]),
            *want,
            tol::printed_digits(3),
        );
    }
    assert_close(
        "zph global",
        f(&z["global"]["chisq"]),
        4.464,
        tol::printed_digits(4),
    );
    assert_close(
        "zph global p",
        f(&z["global"]["p"]),
        0.2156,
        tol::printed_digits(4),
    );
}

#[test]
fn interaction_horth_by_er_matches_r() {
    // GBSG2, ~ horTh * ERpos (ERpos = estrec >= 10), Efron: interaction
    // coef -0.2011128 (SE 0.2654280), LR 0.568030 (P 0.451043); HR of
    // horTh within ER+ exp(b1 + b3) = 0.676084.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("r-survival/gbsg2.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            out.push_str(&format!("{line},ERpos\n"));
        } else {
            let estrec: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
            out.push_str(&format!(
                "{line},{}\n",
                if estrec >= 10.0 { "pos" } else { "neg" }
            ));
        }
    }
    let p = dir.path().join("g.csv");
    std::fs::write(&p, out).unwrap();
    let v = json(&[
        "cox",
        "--data",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "cens",
        "--interaction",
        "horTh:ERpos",
    ]);
    let i = &v["interaction"];
    assert_close(
        "interaction coef",
        f(&i["interaction_terms"][0]["coef"]),
        -0.2011128,
        tol::printed_digits(7),
    );
    assert_close(
        "interaction se",
        f(&i["interaction_terms"][0]["se"]),
        0.2654280,
        tol::printed_digits(7),
    );
    assert_close(
        "LR",
        f(&i["interaction_lr"]["statistic"]),
        0.568030,
        tol::printed_digits(6),
    );
    assert_close(
        "LR p",
        f(&i["interaction_lr"]["p"]),
        0.451043,
        tol::printed_digits(6),
    );
    let pos = i["within"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["level"] == "pos")
        .unwrap();
    assert_close("HR in ER+", f(&pos["hr"]), 0.676084, tol::printed_digits(6));
}

#[test]
fn univariate_rows_match_single_fits_and_count_per_factor_missing() {
    // lung: ph.ecog has 1 missing value, wt.loss 14 (R's na.omit per model).
    let d = lung();
    let v = json(&[
        "cox",
        "--data",
        &d,
        "--time",
        "time",
        "--event",
        "dead",
        "--covariates",
        "age,ph.ecog,wt.loss",
        "--univariate",
    ]);
    let rows = v["univariate"].as_array().unwrap();
    let n = |t: &str| {
        rows.iter().find(|r| r["term"] == t).unwrap()["n"]
            .as_u64()
            .unwrap()
    };
    assert_eq!((n("age"), n("ph.ecog"), n("wt.loss")), (228, 227, 214));
    // the age row equals a one-covariate fit
    let one = json(&[
        "cox",
        "--data",
        &d,
        "--time",
        "time",
        "--event",
        "dead",
        "--covariates",
        "age",
    ]);
    let age = rows.iter().find(|r| r["term"] == "age").unwrap();
    assert_close(
        "age hr",
        f(&age["hr"]),
        f(&one["terms"][0]["hr"]),
        tol::EXACT,
    );
    assert_close(
        "age p",
        f(&age["p_wald"]),
        f(&one["terms"][0]["p"]),
        tol::EXACT,
    );
}

#[test]
fn univariate_categorical_factor_gets_a_multi_df_test() {
    let d = gbsg2();
    let v = json(&[
        "cox",
        "--data",
        &d,
        "--time",
        "time",
        "--event",
        "cens",
        "--covariates",
        "tgrade",
        "--univariate",
    ]);
    let rows = v["univariate"].as_array().unwrap();
    let factor = rows.iter().find(|r| r["term"] == "tgrade").unwrap();
    assert_eq!(factor["df"], 2);
    assert!(factor["hr"].is_null() && f(&factor["p_lr"]) < 1e-4);
    assert!(rows.iter().any(|r| r["term"] == "tgrade=III"));
}

#[test]
fn firth_always_reports_profile_limits() {
    let d = gbsg2();
    let v = json(&[
        "cox",
        "--data",
        &d,
        "--time",
        "time",
        "--event",
        "cens",
        "--covariates",
        "horTh,pnodes",
        "--firth",
        "always",
    ]);
    assert_eq!(v["method"], "firth");
    assert_eq!(v["firth"]["ci"], "profile");
    let t = &v["terms"][0];
    assert!(f(&t["hr_lower"]) < f(&t["hr"]) && f(&t["hr"]) < f(&t["hr_upper"]));
}

#[test]
fn bad_selection_levels_are_usage_errors() {
    let d = gbsg2();
    let out = Command::new(env!("CARGO_BIN_EXE_oncomark"))
        .args([
            "cox",
            "--data",
            &d,
            "--time",
            "time",
            "--event",
            "cens",
            "--covariates",
            "age",
            "--select",
            "forward",
            "--entry",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--entry"));
}

#[test]
fn power_verb_gives_schoenfelds_events_and_patients() {
    // Closed form: HR 0.75, 1:1, alpha 0.05, power 0.8 -> 379.35 events
    // (the classic 380); with event probability 0.6 -> 634 patients.
    let v = json(&[
        "power",
        "--hr",
        "0.75",
        "--power",
        "0.8",
        "--event-prob",
        "0.6",
    ]);
    assert_eq!(v["events_needed"], 380);
    assert_eq!(v["sample_size"]["n_total"], 634);
    // Interaction HR 0.5 with 1:1 treatment and marker: 4 x the main-effect
    // events of HR 0.5 (65.35) = 261.4 -> 262.
    let i = json(&["power", "--interaction-hr", "0.5", "--power", "0.8"]);
    assert_eq!(i["events_needed"], 262);
    // Power inverts the events formula.
    let p = json(&["power", "--hr", "0.75", "--events", "379.35211"]);
    assert_close("power", f(&p["power"]), 0.8, 1e-6);
}
