//! Kaplan-Meier, medians, `summary(fit, times = )`, reverse-KM follow-up and
//! RMST against R.
//!
//! Sources: `tests/fixtures/r-survival/*.json` (R 4.2.2, survival 3.5-3,
//! `survival_reference.R`) and `tests/fixtures/survival-extra/extra.json`
//! (R 4.2.2, survival 3.5-3, `make_extra.R`).

use oncomark_survival::km::{
    kaplan_meier_groups, median_followup, ConfType, KmFit, KmOptions, KmResult,
};
use oncomark_survival::rmst::{rmst, rmst_difference};
use oncomark_testkit::{assert_close, fixture_column, json_fixture, read_fixture_csv, tol};
use serde_json::Value;

const DATASETS: [(&str, &str, &str, &str); 4] = [
    ("lung", "time", "dead", "sex"),
    ("veteran", "time", "status", "celltype"),
    ("ovarian", "futime", "fustat", "rx"),
    ("gbsg2", "time", "cens", "horTh"),
];

fn conf_type(name: &str) -> ConfType {
    match name {
        "log-log" => ConfType::LogLog,
        "log" => ConfType::Log,
        "plain" => ConfType::Plain,
        other => panic!("unknown conf type {other}"),
    }
}

/// time, event and the group column (as written) of a fixture data set.
fn load(file: &str, time: &str, event: &str, group: &str) -> (Vec<f64>, Vec<bool>, Vec<String>) {
    let (h, rows) = read_fixture_csv(file);
    let t: Vec<f64> = fixture_column(&h, &rows, time)
        .into_iter()
        .map(|x| x.expect("time"))
        .collect();
    let e: Vec<bool> = fixture_column(&h, &rows, event)
        .into_iter()
        .map(|x| x.expect("event") == 1.0)
        .collect();
    let j = h.iter().position(|c| c == group).expect("group column");
    let g: Vec<String> = rows.iter().map(|r| r[j].clone().expect("group")).collect();
    (t, e, g)
}

fn codes(values: &[String], labels: &[String]) -> Vec<u32> {
    values
        .iter()
        .map(|v| labels.iter().position(|l| l == v).expect("label") as u32)
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
        Value::String(s) => vec![s.clone()],
        _ => panic!("not strings: {v}"),
    }
}

/// `v[i]` of a JSON array, or `v` itself for a scalar (jsonlite unboxes
/// vectors of length one).
fn at(v: &Value, i: usize) -> &Value {
    match v {
        Value::Array(a) => &a[i],
        _ => v,
    }
}

#[track_caller]
fn check_opt(what: &str, got: Option<f64>, want: &Value, rel: f64) {
    match (got, want.as_f64()) {
        (Some(g), Some(w)) => assert_close(what, g, w, rel),
        (None, None) => {}
        (g, _) => panic!("{what}: got {g:?}, want {want}"),
    }
}

/// Compares the rows of a fit with R rows (`strata`, `time`, `n_risk`,
/// `n_event`, `surv`, `std_err`, `lower`, `upper`; `n_censor` if present).
fn check_steps(what: &str, fit: &KmFit, want: &[&Value], events_only: bool) {
    let got: Vec<_> = fit
        .steps
        .iter()
        .filter(|s| !events_only || s.n_event > 0)
        .collect();
    assert_eq!(got.len(), want.len(), "{what}: number of rows");
    for (s, w) in got.iter().zip(want) {
        let wt = w["time"].as_f64().unwrap();
        let what = format!("{what} t={wt}");
        assert_close(&format!("{what} time"), s.time, wt, tol::EXACT);
        assert_eq!(
            s.n_risk as f64,
            w["n_risk"].as_f64().unwrap(),
            "{what} n_risk"
        );
        assert_eq!(
            s.n_event as f64,
            w["n_event"].as_f64().unwrap(),
            "{what} n_event"
        );
        if let Some(c) = w.get("n_censor") {
            assert_eq!(s.n_censor as f64, c.as_f64().unwrap(), "{what} n_censor");
        }
        assert_close(
            &format!("{what} surv"),
            s.survival,
            w["surv"].as_f64().unwrap(),
            tol::KM,
        );
        check_opt(
            &format!("{what} std_err"),
            s.std_err,
            &w["std_err"],
            tol::KM,
        );
        check_opt(&format!("{what} lower"), s.lower, &w["lower"], tol::KM);
        check_opt(&format!("{what} upper"), s.upper, &w["upper"], tol::KM);
    }
}

fn check_table(what: &str, r: &KmResult, j: &Value, labels: &[String]) {
    assert_eq!(r.groups.len(), labels.len(), "{what}: groups");
    for (i, (fit, label)) in r.groups.iter().zip(labels).enumerate() {
        assert_eq!(&fit.group, label);
        let what = format!("{what} [{label}]");
        assert_eq!(fit.n as f64, at(&j["n"], i).as_f64().unwrap(), "{what} n");
        assert_eq!(
            fit.events as f64,
            at(&j["events"], i).as_f64().unwrap(),
            "{what} events"
        );
        check_opt(
            &format!("{what} median"),
            fit.median,
            at(&j["median"], i),
            tol::EXACT,
        );
        check_opt(
            &format!("{what} median_lower"),
            fit.median_lower,
            at(&j["median_lower"], i),
            tol::EXACT,
        );
        check_opt(
            &format!("{what} median_upper"),
            fit.median_upper,
            at(&j["median_upper"], i),
            tol::EXACT,
        );
    }
}

/// R 4.2.2, survival 3.5-3: survfit by group, conf.type log-log / log /
/// plain; summary(fit, censored = FALSE) rows and summary(fit)$table.
#[test]
fn km_matches_r_on_four_data_sets_all_conf_types() {
    for (name, time, event, group) in DATASETS {
        let (t, e, g) = load(&format!("r-survival/{name}.csv"), time, event, group);
        let j = json_fixture(&format!("r-survival/{name}.json"));
        for ct in ["log-log", "log", "plain"] {
            let jk = &j["km"][ct];
            let labels = strings(&jk["strata"]);
            let opts = KmOptions {
                conf_type: conf_type(ct),
                ..Default::default()
            };
            let r = kaplan_meier_groups(&t, &e, &codes(&g, &labels), &labels, &opts).unwrap();
            let what = format!("{name} {ct}");
            check_table(&what, &r, jk, &labels);
            for fit in &r.groups {
                let rows: Vec<&Value> = jk["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| s["strata"].as_str() == Some(&fit.group))
                    .collect();
                check_steps(&format!("{what} [{}]", fit.group), fit, &rows, true);
            }
        }
    }
}

/// R 4.2.2, survival 3.5-3: every row (summary(fit, censored = TRUE)) and
/// the medians of constructed cases (flat at 0.5, censoring before the
/// first event, aeqSurv ties) and aml; extra.json `curves`.
#[test]
fn km_all_rows_and_medians_of_constructed_cases() {
    let x = json_fixture("survival-extra/extra.json");
    for c in x["curves"].as_array().unwrap() {
        let d = &c["data"];
        let t: Vec<f64> = d["time"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let e: Vec<bool> = d["status"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() == 1.0)
            .collect();
        let g = strings(&d["group"]);
        let mut labels = strings(&c["strata"]);
        if labels == ["all"] {
            labels = vec![g[0].clone()];
        }
        let opts = KmOptions {
            conf_type: conf_type(c["conf_type"].as_str().unwrap()),
            ..Default::default()
        };
        let r = kaplan_meier_groups(&t, &e, &codes(&g, &labels), &labels, &opts).unwrap();
        let what = format!("{} {}", c["name"], c["conf_type"]);
        check_table(&what, &r, c, &labels);
        let single = r.groups.len() == 1;
        for fit in &r.groups {
            let rows: Vec<&Value> = c["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| single || s["strata"].as_str() == Some(&fit.group))
                .collect();
            check_steps(&format!("{what} [{}]", fit.group), fit, &rows, false);
        }
    }
}

/// R 4.2.2, survival 3.5-3: summary(fit, times = , extend = FALSE/TRUE),
/// lung by sex and aml; extra.json `summary_times`.
#[test]
fn at_rows_match_summary_times_including_after_last_observation() {
    let x = json_fixture("survival-extra/extra.json");
    for c in x["summary_times"].as_array().unwrap() {
        let name = c["data"].as_str().unwrap();
        let (t, e, g) = if name == "lung" {
            load("r-survival/lung.csv", "time", "dead", "sex")
        } else {
            load("survival-extra/aml.csv", "time", "status", "x")
        };
        let rows = c["rows"].as_array().unwrap();
        let mut labels: Vec<String> = Vec::new();
        for r in rows {
            let s = r["strata"].as_str().unwrap().to_string();
            if !labels.contains(&s) {
                labels.push(s);
            }
        }
        let times: Vec<f64> = c["times"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let opts = KmOptions {
            conf_type: conf_type(c["conf_type"].as_str().unwrap()),
            times,
            extend: c["extend"].as_bool().unwrap(),
            ..Default::default()
        };
        let r = kaplan_meier_groups(&t, &e, &codes(&g, &labels), &labels, &opts).unwrap();
        for fit in &r.groups {
            let what = format!(
                "{name} {} extend={} [{}]",
                c["conf_type"], c["extend"], fit.group
            );
            let want: Vec<&Value> = rows
                .iter()
                .filter(|w| w["strata"].as_str() == Some(&fit.group))
                .collect();
            assert_eq!(fit.at.len(), want.len(), "{what}: rows");
            for (a, w) in fit.at.iter().zip(want) {
                let what = format!("{what} t={}", a.time);
                assert_close(&what, a.time, w["time"].as_f64().unwrap(), tol::EXACT);
                assert_eq!(
                    a.n_risk as f64,
                    w["n_risk"].as_f64().unwrap(),
                    "{what} n_risk"
                );
                assert_eq!(
                    a.n_event as f64,
                    w["n_event"].as_f64().unwrap(),
                    "{what} n_event"
                );
                assert_eq!(
                    a.n_censor as f64,
                    w["n_censor"].as_f64().unwrap(),
                    "{what} n_censor"
                );
                assert_close(
                    &format!("{what} surv"),
                    a.survival,
                    w["surv"].as_f64().unwrap(),
                    tol::KM,
                );
                check_opt(
                    &format!("{what} std_err"),
                    a.std_err,
                    &w["std_err"],
                    tol::KM,
                );
                check_opt(&format!("{what} lower"), a.lower, &w["lower"], tol::KM);
                check_opt(&format!("{what} upper"), a.upper, &w["upper"], tol::KM);
            }
        }
    }
}

/// R 4.2.2, survival 3.5-3: survfit(Surv(time, 1 - event) ~ 1) medians;
/// extra.json `followup`.
#[test]
fn reverse_km_median_followup_matches_r() {
    let x = json_fixture("survival-extra/extra.json");
    for c in x["followup"].as_array().unwrap() {
        let name = c["data"].as_str().unwrap();
        let &(_, time, event, group) = DATASETS.iter().find(|d| d.0 == name).unwrap();
        let (t, e, _) = load(&format!("r-survival/{name}.csv"), time, event, group);
        let ct = c["conf_type"].as_str().unwrap();
        let f = median_followup(
            &t,
            &e,
            &KmOptions {
                conf_type: conf_type(ct),
                ..Default::default()
            },
        )
        .unwrap();
        let what = format!("{name} {ct} follow-up");
        check_opt(
            &format!("{what} median"),
            f.median,
            &c["median"],
            tol::EXACT,
        );
        check_opt(
            &format!("{what} lower"),
            f.median_lower,
            &c["lower"],
            tol::EXACT,
        );
        check_opt(
            &format!("{what} upper"),
            f.median_upper,
            &c["upper"],
            tol::EXACT,
        );
        assert_eq!(f.censored as f64, c["censored"].as_f64().unwrap());
        assert_eq!(f.n as f64, c["n"].as_f64().unwrap());
    }
}

/// R 4.2.2, survival 3.5-3: summary(survfit, rmean = tau)$table rmean and
/// se(rmean), as print(fit, rmean = tau); the difference of the first two
/// groups computed in R from them; extra.json `rmst`.
#[test]
fn rmst_and_difference_match_r() {
    let x = json_fixture("survival-extra/extra.json");
    for c in x["rmst"].as_array().unwrap() {
        let name = c["data"].as_str().unwrap();
        let (t, e, g) = match DATASETS.iter().find(|d| d.0 == name) {
            Some(&(_, time, event, group)) => {
                load(&format!("r-survival/{name}.csv"), time, event, group)
            }
            None => load("survival-extra/aml.csv", "time", "status", "x"),
        };
        let labels = strings(&c["strata"]);
        let tau = c["tau"].as_f64().unwrap();
        let opts = KmOptions {
            rmst_tau: Some(tau),
            ..Default::default()
        };
        let r = kaplan_meier_groups(&t, &e, &codes(&g, &labels), &labels, &opts).unwrap();
        for (i, fit) in r.groups.iter().enumerate() {
            let what = format!("{name} tau={tau} [{}]", fit.group);
            let m = fit.rmst.as_ref().unwrap();
            assert_close(
                &format!("{what} rmean"),
                m.estimate,
                at(&c["rmean"], i).as_f64().unwrap(),
                tol::KM,
            );
            assert_close(
                &format!("{what} se"),
                m.se,
                at(&c["se"], i).as_f64().unwrap(),
                tol::KM,
            );
            assert_eq!(m, &rmst(fit, tau).unwrap());
        }
        let d = rmst_difference(
            r.groups[0].rmst.as_ref().unwrap(),
            r.groups[1].rmst.as_ref().unwrap(),
            0.95,
        )
        .unwrap();
        let w = &c["diff_first_two"];
        for (what, got) in [
            ("estimate", d.estimate),
            ("se", d.se),
            ("lower", d.lower),
            ("upper", d.upper),
            ("z", d.z),
            ("p", d.p),
        ] {
            assert_close(
                &format!("{name} tau={tau} diff {what}"),
                got,
                w[what].as_f64().unwrap(),
                tol::KM,
            );
        }
    }
}

/// The lead's reference: lung by sex, tau = 365: 241.495 (SE 10.3582) and
/// 297.465 (SE 10.7913), R 4.2.2, survival 3.5-3, print(fit, rmean = 365).
#[test]
fn rmst_lung_printed_values() {
    let (t, e, g) = load("r-survival/lung.csv", "time", "dead", "sex");
    let labels = vec!["1".to_string(), "2".to_string()];
    let opts = KmOptions {
        rmst_tau: Some(365.0),
        ..Default::default()
    };
    let r = kaplan_meier_groups(&t, &e, &codes(&g, &labels), &labels, &opts).unwrap();
    let a = r.groups[0].rmst.as_ref().unwrap();
    let b = r.groups[1].rmst.as_ref().unwrap();
    assert_close("rmst sex 1", a.estimate, 241.495, tol::printed_digits(6));
    assert_close("se sex 1", a.se, 10.3582, tol::printed_digits(6));
    assert_close("rmst sex 2", b.estimate, 297.465, tol::printed_digits(6));
    assert_close("se sex 2", b.se, 10.7913, tol::printed_digits(6));
}

/// The JSON field names are the command-line contract (docs/cli-contract.md).
#[test]
fn km_json_uses_contract_field_names() {
    let (t, e, g) = load("r-survival/lung.csv", "time", "dead", "sex");
    let labels = vec!["1".to_string(), "2".to_string()];
    let opts = KmOptions {
        times: vec![365.0],
        rmst_tau: Some(365.0),
        ..Default::default()
    };
    let r = kaplan_meier_groups(&t, &e, &codes(&g, &labels), &labels, &opts).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["conf_type"], "log-log");
    assert_eq!(v["conf_level"], 0.95);
    let g0 = &v["groups"][0];
    for k in [
        "group",
        "n",
        "events",
        "median",
        "median_lower",
        "median_upper",
        "steps",
        "at",
        "rmst",
    ] {
        assert!(g0.get(k).is_some(), "missing {k}");
    }
    // contract example values (lung sex = 1): median 270 (210, 306)
    assert_eq!(g0["median"], 270.0);
    assert_eq!(g0["median_lower"], 210.0);
    assert_eq!(g0["median_upper"], 306.0);
    let s0 = &g0["steps"][0];
    for k in [
        "time", "n_risk", "n_event", "n_censor", "survival", "std_err", "lower", "upper",
    ] {
        assert!(s0.get(k).is_some(), "missing step field {k}");
    }
    let a0 = &g0["at"][0];
    assert_eq!(a0["n_risk"], 35);
    assert_close(
        "at 365 survival",
        a0["survival"].as_f64().unwrap(),
        0.336088,
        tol::printed_digits(6),
    );
    assert_eq!(g0["rmst"]["tau"], 365.0);
}
