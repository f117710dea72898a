//! Log-rank, G-rho (rho = 1), stratified and trend tests against R.
//!
//! Sources: `tests/fixtures/r-survival/*.json` (R 4.2.2, survival 3.5-3,
//! `survdiff`) and `tests/fixtures/survival-extra/extra.json` (R 4.2.2,
//! survival 3.5-3, `make_extra.R`).

use oncomark_survival::logrank::{logrank, logrank_stratified, Logrank, LogrankOptions};
use oncomark_testkit::{assert_close, fixture_column, json_fixture, read_fixture_csv, tol};
use serde_json::Value;

const DATASETS: [(&str, &str, &str, &str); 4] = [
    ("lung", "time", "dead", "sex"),
    ("veteran", "time", "status", "celltype"),
    ("ovarian", "futime", "fustat", "rx"),
    ("gbsg2", "time", "cens", "horTh"),
];

/// time, event and the named string columns of a fixture; rows with a
/// missing value in any of them are dropped.
fn load(
    file: &str,
    time: &str,
    event: &str,
    cols: &[&str],
) -> (Vec<f64>, Vec<bool>, Vec<Vec<String>>) {
    let (h, rows) = read_fixture_csv(file);
    let t = fixture_column(&h, &rows, time);
    let e = fixture_column(&h, &rows, event);
    let idx: Vec<usize> = cols
        .iter()
        .map(|c| h.iter().position(|x| x == c).expect("column"))
        .collect();
    let (mut tt, mut ee, mut gg) = (Vec::new(), Vec::new(), vec![Vec::new(); cols.len()]);
    for (i, r) in rows.iter().enumerate() {
        if idx.iter().any(|&j| r[j].is_none()) {
            continue;
        }
        tt.push(t[i].unwrap());
        ee.push(e[i].unwrap() == 1.0);
        for (k, &j) in idx.iter().enumerate() {
            gg[k].push(r[j].clone().unwrap());
        }
    }
    (tt, ee, gg)
}

fn load_named(name: &str, cols: &[&str]) -> (Vec<f64>, Vec<bool>, Vec<Vec<String>>) {
    match DATASETS.iter().find(|d| d.0 == name) {
        Some(&(_, time, event, _)) => load(&format!("r-survival/{name}.csv"), time, event, cols),
        None => load("survival-extra/aml.csv", "time", "status", cols),
    }
}

fn default_group(name: &str) -> &'static str {
    DATASETS.iter().find(|d| d.0 == name).map_or("x", |d| d.3)
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

fn nums(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a.iter().map(|x| x.as_f64().unwrap()).collect(),
        _ => vec![v.as_f64().unwrap()],
    }
}

fn strata_codes(values: &[String]) -> Vec<u32> {
    let mut levels = values.to_vec();
    levels.sort();
    levels.dedup();
    codes(values, &levels)
}

/// Compares with an `lr_out` record of make_extra.R (or the same fields).
fn check(what: &str, r: &Logrank, w: &Value) {
    assert_close(
        &format!("{what} chisq"),
        r.statistic,
        w["chisq"].as_f64().unwrap(),
        tol::LOGRANK,
    );
    assert_eq!(r.df as f64, w["df"].as_f64().unwrap(), "{what} df");
    assert_close(
        &format!("{what} p"),
        r.p,
        w["p"].as_f64().unwrap(),
        tol::LOGRANK,
    );
    let (o, e) = (nums(&w["observed"]), nums(&w["expected"]));
    assert_eq!(r.groups.len(), o.len(), "{what} groups");
    for (i, g) in r.groups.iter().enumerate() {
        assert_close(
            &format!("{what} [{}] observed", g.group),
            g.observed,
            o[i],
            tol::LOGRANK,
        );
        assert_close(
            &format!("{what} [{}] expected", g.group),
            g.expected,
            e[i],
            tol::LOGRANK,
        );
    }
    if let Some(n) = w.get("n") {
        let n = nums(n);
        for (g, n) in r.groups.iter().zip(n) {
            assert_eq!(g.n as f64, n, "{what} [{}] n", g.group);
        }
    }
    if let Some(v) = w.get("var") {
        let v: Vec<Vec<f64>> = v.as_array().unwrap().iter().map(nums).collect();
        let scale = v.iter().flatten().fold(0.0f64, |m, x| m.max(x.abs()));
        for (a, row) in v.iter().enumerate() {
            for (b, &x) in row.iter().enumerate() {
                // off-diagonal entries can be small: compare on the matrix's scale
                let got = r.variance[a][b];
                assert!(
                    (got - x).abs() <= tol::LOGRANK * scale,
                    "{what} var[{a}][{b}]: got {got}, want {x}"
                );
            }
        }
    }
}

/// R 4.2.2, survival 3.5-3: survdiff(Surv ~ group) on lung, veteran,
/// ovarian, gbsg2 (r-survival/*.json `logrank`).
#[test]
fn logrank_matches_survdiff_on_four_data_sets() {
    for (name, time, event, group) in DATASETS {
        let j = json_fixture(&format!("r-survival/{name}.json"));
        let labels = {
            let l = &j["km"]["log-log"]["strata"];
            strings(l)
        };
        let (t, e, g) = load(&format!("r-survival/{name}.csv"), time, event, &[group]);
        let r = logrank(
            &t,
            &e,
            &codes(&g[0], &labels),
            &labels,
            &LogrankOptions::default(),
        )
        .unwrap();
        check(name, &r, &j["logrank"]);
        assert_eq!(r.rho, 0.0);
    }
    // contract example: lung by sex 10.3267, p 0.00131
    let (t, e, g) = load("r-survival/lung.csv", "time", "dead", &["sex"]);
    let labels = vec!["1".to_string(), "2".to_string()];
    let r = logrank(
        &t,
        &e,
        &codes(&g[0], &labels),
        &labels,
        &LogrankOptions::default(),
    )
    .unwrap();
    assert_close(
        "lung chisq printed",
        r.statistic,
        10.3267,
        tol::printed_digits(6),
    );
    assert_close(
        "lung expected printed",
        r.groups[0].expected,
        91.58,
        tol::printed_digits(4),
    );
}

/// R 4.2.2, survival 3.5-3: survdiff(..., rho = 1); extra.json `logrank_rho1`.
#[test]
fn peto_peto_rho_1_matches_survdiff() {
    let x = json_fixture("survival-extra/extra.json");
    for (name, w) in x["logrank_rho1"].as_object().unwrap() {
        let labels = strings(&w["groups"]);
        let (t, e, g) = load_named(name, &[default_group(name)]);
        let r = logrank(
            &t,
            &e,
            &codes(&g[0], &labels),
            &labels,
            &LogrankOptions { rho: 1.0 },
        )
        .unwrap();
        check(&format!("{name} rho=1"), &r, w);
    }
}

/// R 4.2.2, survival 3.5-3: survdiff(Surv ~ group + strata(s), rho = 0/1);
/// extra.json `logrank_strat`.
#[test]
fn stratified_logrank_matches_survdiff() {
    let x = json_fixture("survival-extra/extra.json");
    for c in x["logrank_strat"].as_array().unwrap() {
        let name = c["data"].as_str().unwrap();
        let (group, strata) = (c["group"].as_str().unwrap(), c["strata"].as_str().unwrap());
        let w = &c["result"];
        let labels = strings(&w["groups"]);
        let (t, e, cols) = load_named(name, &[group, strata]);
        let rho = c["rho"].as_f64().unwrap();
        let r = logrank_stratified(
            &t,
            &e,
            &codes(&cols[0], &labels),
            &labels,
            &strata_codes(&cols[1]),
            &LogrankOptions { rho },
        )
        .unwrap();
        check(&format!("{name} {group} strata({strata}) rho={rho}"), &r, w);
    }
}

/// R 4.2.2, survival 3.5-3: trend statistic (w'(O-E))^2 / (w'Vw) from
/// survdiff's components; extra.json `trend`.
#[test]
fn trend_test_matches_survdiff_components() {
    let x = json_fixture("survival-extra/extra.json");
    for c in x["trend"].as_array().unwrap() {
        let name = c["data"].as_str().unwrap();
        let group = c["group"].as_str().unwrap();
        let w = &c["result"];
        let labels = strings(&w["groups"]);
        let rho = c["rho"].as_f64().unwrap();
        let opts = LogrankOptions { rho };
        let r = match c["strata"].as_str() {
            Some(s) => {
                let (t, e, cols) = load_named(name, &[group, s]);
                logrank_stratified(
                    &t,
                    &e,
                    &codes(&cols[0], &labels),
                    &labels,
                    &strata_codes(&cols[1]),
                    &opts,
                )
            }
            None => {
                // lung's trend is on ph.ecog with its missing row dropped
                let (t, e, cols) = load_named(name, &[group]);
                logrank(&t, &e, &codes(&cols[0], &labels), &labels, &opts)
            }
        }
        .unwrap();
        let what = format!("{name} {group} strata={} rho={rho}", c["strata"]);
        check(&what, &r, w);
        let scores = nums(&c["scores"]);
        let tr = r.trend(Some(&scores)).unwrap();
        let wt = &w["trend"];
        assert_close(
            &format!("{what} trend"),
            tr.statistic,
            wt["statistic"].as_f64().unwrap(),
            tol::LOGRANK,
        );
        assert_close(
            &format!("{what} trend z"),
            tr.z,
            wt["z"].as_f64().unwrap(),
            tol::LOGRANK,
        );
        assert_close(
            &format!("{what} trend p"),
            tr.p,
            wt["p"].as_f64().unwrap(),
            tol::LOGRANK,
        );
        if scores.iter().enumerate().all(|(i, &s)| s == (i + 1) as f64) {
            assert_eq!(
                r.trend(None).unwrap(),
                tr,
                "{what}: default scores are 1..k"
            );
        }
    }
}

/// R 4.2.2, survival 3.5-3: survdiff on the two-group constructed cases of
/// extra.json `curves` (including times merged by aeqSurv).
#[test]
fn logrank_on_constructed_cases_including_aeq_ties() {
    let x = json_fixture("survival-extra/extra.json");
    let mut seen = 0;
    for c in x["curves"].as_array().unwrap() {
        let Some(w) = c.get("logrank") else { continue };
        if c["conf_type"] != "log-log" {
            continue;
        }
        let d = &c["data"];
        let t = nums(&d["time"]);
        let e: Vec<bool> = nums(&d["status"]).iter().map(|&s| s == 1.0).collect();
        let g = strings(&d["group"]);
        let labels = strings(&w["groups"]);
        let r = logrank(
            &t,
            &e,
            &codes(&g, &labels),
            &labels,
            &LogrankOptions::default(),
        )
        .unwrap();
        check(c["name"].as_str().unwrap(), &r, w);
        seen += 1;
    }
    assert!(seen >= 3, "expected the two-group cases, saw {seen}");
}

/// The JSON field names are the command-line contract (docs/cli-contract.md).
#[test]
fn logrank_json_uses_contract_field_names() {
    let (t, e, g) = load("r-survival/lung.csv", "time", "dead", &["sex"]);
    let labels = vec!["1".to_string(), "2".to_string()];
    let r = logrank(
        &t,
        &e,
        &codes(&g[0], &labels),
        &labels,
        &LogrankOptions::default(),
    )
    .unwrap();
    let v = serde_json::to_value(&r).unwrap();
    for k in ["statistic", "df", "p", "rho", "groups"] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    for k in ["group", "n", "observed", "expected"] {
        assert!(v["groups"][0].get(k).is_some(), "missing group field {k}");
    }
    assert_eq!(v["groups"][0]["n"], 138);
    assert_eq!(v["groups"][0]["observed"], 112.0);
}
