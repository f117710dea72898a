//! The verbs end to end against R: the same numbers the survival crate is
//! tested on, but through file reading, complete-case dropping, dummy coding
//! and JSON, so the wiring is checked too.
//! Source: tests/fixtures/r-survival (R 4.2.2, survival 3.5-3).

use std::process::Command;

use oncomark_testkit::{assert_close, fixture, json_fixture, tol};
use serde_json::Value;

fn run_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_oncomark"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run oncomark");
    assert!(
        out.status.success(),
        "oncomark {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn cases() -> Vec<Value> {
    ["lung", "veteran", "ovarian", "gbsg2"]
        .iter()
        .map(|c| json_fixture(&format!("r-survival/{c}.json")))
        .collect()
}

#[test]
fn cox_efron_and_breslow_match_r_through_the_cli() {
    for r in cases() {
        let name = r["dataset"].as_str().unwrap();
        let data = fixture(&format!("r-survival/{name}.csv"));
        let covs: Vec<&str> = r["covariates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let covs = covs.join(",");
        for ties in ["efron", "breslow"] {
            let got = run_json(&[
                "cox",
                "--data",
                data.to_str().unwrap(),
                "--time",
                r["time"].as_str().unwrap(),
                "--event",
                r["event"].as_str().unwrap(),
                "--covariates",
                &covs,
                "--ties",
                ties,
            ]);
            let want = &r["cox"][ties];
            assert_eq!(got["n"], want["n"], "{name} {ties} n");
            assert_eq!(got["events"], want["events"], "{name} {ties} events");
            let terms = got["terms"].as_array().unwrap();
            for (k, rname) in want["terms"].as_array().unwrap().iter().enumerate() {
                // R names dummies `tgradeII`; we name them `tgrade=II`.
                let t = &terms[k];
                assert_eq!(
                    t["term"].as_str().unwrap().replace('=', ""),
                    rname.as_str().unwrap(),
                    "{name} term order"
                );
                let what = format!("{name} {ties} {rname}");
                assert_close(
                    &format!("{what} coef"),
                    f(&t["coef"]),
                    f(&want["coef"][k]),
                    tol::COX,
                );
                assert_close(
                    &format!("{what} se"),
                    f(&t["se"]),
                    f(&want["se"][k]),
                    tol::COX,
                );
                assert_close(&format!("{what} p"), f(&t["p"]), f(&want["p"][k]), tol::COX);
            }
            assert_close(
                &format!("{name} loglik"),
                f(&got["loglik"]),
                f(&want["loglik"][1]),
                tol::COX,
            );
            assert_close(
                &format!("{name} LR"),
                f(&got["tests"]["likelihood_ratio"]["statistic"]),
                f(&want["lr"][0]),
                tol::COX,
            );
            assert_close(
                &format!("{name} concordance"),
                f(&got["concordance"]),
                f(&want["concordance"]),
                tol::COX,
            );
        }
    }
}

#[test]
fn km_medians_and_logrank_match_r_through_the_cli() {
    for r in cases() {
        let name = r["dataset"].as_str().unwrap();
        let data = fixture(&format!("r-survival/{name}.csv"));
        let base = [
            "--data",
            data.to_str().unwrap(),
            "--time",
            r["time"].as_str().unwrap(),
            "--event",
            r["event"].as_str().unwrap(),
            "--group",
            r["group"].as_str().unwrap(),
        ];
        for ct in ["log-log", "log", "plain"] {
            let mut a = vec!["km"];
            a.extend(base);
            a.extend(["--conf-type", ct]);
            let got = run_json(&a);
            let want = &r["km"][ct];
            let groups = got["groups"].as_array().unwrap();
            for (k, s) in want["strata"].as_array().unwrap().iter().enumerate() {
                let g = groups
                    .iter()
                    .find(|g| g["group"] == *s)
                    .unwrap_or_else(|| panic!("{name}: no group {s}"));
                assert_eq!(g["n"], want["n"][k]);
                for key in ["median", "median_lower", "median_upper"] {
                    if want[key][k].is_null() {
                        assert!(g[key].is_null(), "{name} {ct} {s} {key}");
                    } else {
                        assert_close(
                            &format!("{name} {ct} {s} {key}"),
                            f(&g[key]),
                            f(&want[key][k]),
                            tol::KM,
                        );
                    }
                }
            }
        }
        let mut a = vec!["logrank"];
        a.extend(base);
        let got = run_json(&a);
        assert_close(
            &format!("{name} log-rank"),
            f(&got["statistic"]),
            f(&r["logrank"]["chisq"]),
            tol::LOGRANK,
        );
    }
}
