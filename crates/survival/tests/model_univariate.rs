//! Univariate screening against R.
//!
//! Source: `tests/fixtures/model/univariate.json`, made by
//! `tests/fixtures/model/model_reference.R` (R 4.2.2, survival 3.5-3,
//! `summary(coxph(Surv(time, event) ~ factor))` on the factor's complete
//! cases).

mod model_common;

use model_common::{design, num, nums, p_tol};
use oncomark_survival::cox::{CoxData, CoxOptions, TermStatus};
use oncomark_survival::univariate::{univariate, univariate_rows, FactorData};
use oncomark_testkit::{assert_close, json_fixture, tol};

fn screen(csv: &str, time: &str, event: &str, vars: &[&str], key: &str) {
    let all = json_fixture("model/univariate.json");
    let want = all[key].as_array().unwrap();
    let factors: Vec<FactorData> = vars
        .iter()
        .map(|v| {
            let d = design(csv, time, event, &[v]);
            FactorData {
                name: v.trim_start_matches("factor:").to_string(),
                data: d.data(),
                missing: d.dropped,
            }
        })
        .collect();
    let res = univariate(&factors, &CoxOptions::default()).unwrap();
    for (f, w) in res.iter().zip(want) {
        let what = format!("{key} {}", f.factor);
        assert_eq!(f.n as f64, num(&w["n"]), "{what} n");
        assert_eq!(f.events as f64, num(&w["events"]), "{what} events");
        assert_eq!(f.df as f64, num(&w["df"]), "{what} df");
        let lr = num(&w["lr"]);
        assert_close(
            &format!("{what} lr"),
            f.likelihood_ratio.statistic,
            lr,
            tol::COX,
        );
        assert_close(
            &format!("{what} p_lr"),
            f.likelihood_ratio.p,
            num(&w["p_lr"]),
            p_tol(lr, tol::COX),
        );
        let wald = num(&w["wald"]);
        assert_close(&format!("{what} wald"), f.wald.statistic, wald, tol::COX);
        assert_close(
            &format!("{what} p_wald"),
            f.wald.p,
            num(&w["p_wald"]),
            p_tol(wald, tol::COX),
        );
        let cols = [
            ("coef", nums(&w["coef"])),
            ("se", nums(&w["se"])),
            ("lower", nums(&w["hr_lower"])),
            ("upper", nums(&w["hr_upper"])),
            ("p", nums(&w["p_wald_columns"])),
        ];
        assert_eq!(f.terms.len(), cols[0].1.len(), "{what} columns");
        for (k, t) in f.terms.iter().enumerate() {
            let got = [
                t.coef.unwrap(),
                t.se.unwrap(),
                t.hr_lower.unwrap(),
                t.hr_upper.unwrap(),
                t.p.unwrap(),
            ];
            for ((name, w), g) in cols.iter().zip(got) {
                let z = t.z.unwrap();
                let tl = if *name == "p" {
                    p_tol(z * z, tol::COX)
                } else {
                    tol::COX
                };
                assert_close(&format!("{what} {} {name}", t.term), g, w[k], tl);
            }
        }
    }
}

#[test]
fn lung_screen_matches_r() {
    // wt.loss has 14 missing values, ph.karno 1, ph.ecog 1 (R counts)
    screen(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "sex", "factor:ph.ecog", "ph.karno", "wt.loss"],
        "lung",
    );
}

#[test]
fn gbsg2_screen_matches_r() {
    screen(
        "r-survival/gbsg2.csv",
        "time",
        "cens",
        &["horTh", "menostat", "tgrade", "pnodes"],
        "gbsg",
    );
}

#[test]
fn rows_layout_and_missing_counts() {
    let d = design("r-survival/lung.csv", "time", "dead", &["wt.loss"]);
    assert_eq!(d.dropped, 14); // lung: 14 missing wt.loss (R: sum(is.na(lung$wt.loss)))
    let e = design("r-survival/lung.csv", "time", "dead", &["factor:ph.ecog"]);
    let fs = vec![
        FactorData {
            name: "wt.loss".into(),
            data: d.data(),
            missing: d.dropped,
        },
        FactorData {
            name: "ph.ecog".into(),
            data: e.data(),
            missing: e.dropped,
        },
    ];
    let res = univariate(&fs, &CoxOptions::default()).unwrap();
    assert_eq!(res[0].missing, 14);
    assert_eq!(res[0].n, 228 - 14);
    let rows = univariate_rows(&res);
    // wt.loss; ph.ecog factor row (df 3); ph.ecog1, ph.ecog2, ph.ecog3
    let terms: Vec<&str> = rows.iter().map(|r| r.term.as_str()).collect();
    assert_eq!(
        terms,
        ["wt.loss", "ph.ecog", "ph.ecog1", "ph.ecog2", "ph.ecog3"]
    );
    assert_eq!(rows[1].df, 3);
    assert_eq!(rows[1].p_lr, Some(res[1].likelihood_ratio.p));
    assert_eq!(rows[1].p_wald, Some(res[1].wald.p));
    assert!(rows[2..].iter().all(|r| r.p_lr.is_none() && r.df == 1));
    assert_eq!(rows[0].p_lr, Some(res[0].likelihood_ratio.p));
    let j = serde_json::to_value(&rows).unwrap();
    for key in [
        "term", "n", "events", "hr", "hr_lower", "hr_upper", "p_wald", "p_lr", "df",
    ] {
        assert!(j[0].get(key).is_some(), "{key}");
    }
}

#[test]
fn constant_factor_is_reported_not_fatal() {
    let t = [1.0, 2.0, 3.0, 4.0];
    let e = [true, true, false, true];
    let one = CoxData::new(&t, &e, &[vec![1.0; 4]], &["one"]).unwrap();
    let res = univariate(
        &[FactorData {
            name: "one".into(),
            data: one,
            missing: 0,
        }],
        &CoxOptions::default(),
    )
    .unwrap();
    assert_eq!(res[0].terms[0].status, TermStatus::NotEstimable);
    assert_eq!(res[0].df, 0);
    assert!(!res[0].warnings.is_empty());
    let rows = univariate_rows(&res);
    assert!(rows[0].hr.is_none() && rows[0].p_lr.is_none());
}
