//! The GBSG2 study (examples/study/gbsg2.toml: progesterone receptor >= 20
//! fmol/l, hormone therapy, recurrence-free survival in months) against R
//! (tests/fixtures/study-gbsg2/reference.json, made by make_reference.R in
//! that folder with R 4.2.2 Patched, survival 3.5-3, jsonlite 1.8.4).

use oncomark_study::pipeline::{run, RunMeta};
use oncomark_study::results::StudyResults;
use oncomark_study::spec::{check_file, check_str, templates};
use oncomark_testkit::{assert_close, json_fixture, tol};
use serde_json::Value;

use super::common::root;

fn results() -> StudyResults {
    let spec = root().join("examples/study/gbsg2.toml");
    let c = check_file(&spec).unwrap_or_else(|e| panic!("{e}"));
    run(&c, &RunMeta::default()).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn the_example_is_the_template() {
    // regenerate with ONCOMARK_BLESS=1 after a change of the template
    let path = root().join("examples/study/gbsg2.toml");
    if std::env::var_os("ONCOMARK_BLESS").is_some() {
        std::fs::write(&path, templates::gbsg2_spec("../gbsg2.csv")).unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, templates::gbsg2_spec("../gbsg2.csv"));
    // and it checks from any folder holding the table
    let base = root().join("examples");
    assert!(check_str(&templates::gbsg2_spec("gbsg2.csv"), "gbsg2.toml", &base).is_ok());
}

#[test]
fn kaplan_meier_log_rank_and_follow_up_match_r() {
    let want = json_fixture("study-gbsg2/reference.json");
    let r = results();
    let sv = &r.survival[0];
    assert_eq!(
        (sv.cohort.as_str(), sv.endpoint.as_str(), sv.n, sv.events),
        ("all", "rfs", 686, 299)
    );
    let km = sv.km.as_ref().unwrap();
    for (k, g) in km.groups.iter().enumerate() {
        let w = &want["km"][k];
        assert_eq!(g.group, w["group"].as_str().unwrap());
        assert_eq!(f64::from(g.n), f(&w["n"]));
        assert_eq!(f64::from(g.events), f(&w["events"]));
        for (what, got, key) in [
            ("median", g.median, "median"),
            ("median lower", g.median_lower, "median_lower"),
            ("median upper", g.median_upper, "median_upper"),
        ] {
            match (got, w[key].as_f64()) {
                (Some(x), Some(y)) => assert_close(what, x, y, tol::KM),
                // R: NA where the band does not cross 0.5
                (x, y) => assert_eq!(x, y, "{what} of {}", g.group),
            }
        }
        assert_eq!(g.at.len(), 3);
        for (i, at) in g.at.iter().enumerate() {
            assert_close("landmark time", at.time, f(&w["at_time"][i]), tol::EXACT);
            assert_close("S(t)", at.survival, f(&w["at_surv"][i]), tol::KM);
            assert_close("lower", at.lower.unwrap(), f(&w["at_lower"][i]), tol::KM);
            assert_close("upper", at.upper.unwrap(), f(&w["at_upper"][i]), tol::KM);
        }
        // the landmark analysis reports the same rates
        for (i, lm) in sv.landmarks.iter().enumerate() {
            assert_close(
                "landmark rate",
                lm.rates[k].survival.unwrap(),
                f(&w["at_surv"][i]),
                tol::KM,
            );
            assert_close(
                "landmark SE",
                lm.rates[k].std_err.unwrap(),
                f(&w["at_std_err"][i]),
                tol::KM,
            );
        }
    }
    let lr = sv.logrank.as_ref().unwrap();
    assert_close(
        "log-rank",
        lr.statistic,
        f(&want["logrank"]["statistic"]),
        tol::LOGRANK,
    );
    assert_close("log-rank P", lr.p, f(&want["logrank"]["p"]), tol::LOGRANK);
    for k in 0..2 {
        assert_close(
            "expected",
            lr.groups[k].expected,
            f(&want["logrank"]["expected"][k]),
            tol::LOGRANK,
        );
    }
    let fu = sv.follow_up.as_ref().unwrap();
    assert_close(
        "follow-up",
        fu.median.unwrap(),
        f(&want["follow_up"]["median"]),
        tol::KM,
    );
    assert_close(
        "follow-up lower",
        fu.median_lower.unwrap(),
        f(&want["follow_up"]["lower"]),
        tol::KM,
    );
    assert_close(
        "follow-up upper",
        fu.median_upper.unwrap(),
        f(&want["follow_up"]["upper"]),
        tol::KM,
    );
}

/// Our model column names for R's.
fn ours(r_term: &str) -> String {
    match r_term {
        "menostatPost" => "menostat=Post".into(),
        "tgradeII" => "tgrade=II".into(),
        "tgradeIII" => "tgrade=III".into(),
        t => t.to_string(),
    }
}

fn check_terms(what: &str, terms: &[oncomark_survival::cox::CoxTerm], w: &Value) {
    let names = w["term"]
        .as_array()
        .map_or_else(|| vec![w["term"].clone()], |a| a.clone());
    assert_eq!(terms.len(), names.len(), "{what}: terms");
    let arr = |k: &str, i: usize| {
        let v = &w[k];
        f(v.as_array().map_or(v, |a| &a[i]))
    };
    for (i, t) in terms.iter().enumerate() {
        assert_eq!(t.term, ours(names[i].as_str().unwrap()), "{what}");
        assert_close(
            &format!("{what} {} coef", t.term),
            t.coef.unwrap(),
            arr("coef", i),
            tol::COX,
        );
        assert_close(
            &format!("{what} {} se", t.term),
            t.se.unwrap(),
            arr("se", i),
            tol::COX,
        );
        assert_close(
            &format!("{what} {} lower", t.term),
            t.hr_lower.unwrap(),
            arr("lower", i),
            tol::COX,
        );
        assert_close(
            &format!("{what} {} p", t.term),
            t.p.unwrap(),
            arr("p", i),
            tol::COX,
        );
    }
}

#[test]
fn univariate_and_multivariable_cox_match_r() {
    let want = json_fixture("study-gbsg2/reference.json");
    let r = results();
    let u = &r.univariate[0];
    let wu = want["univariate"].as_array().unwrap();
    assert_eq!(u.factors.len(), wu.len());
    for (got, w) in u.factors.iter().zip(wu) {
        assert_eq!(got.factor, w["factor"].as_str().unwrap());
        assert_eq!(got.n as f64, f(&w["n"]));
        assert_eq!(got.events as f64, f(&w["events"]));
        check_terms(&format!("univariate {}", got.factor), &got.terms, w);
        assert_close("LR", got.likelihood_ratio.statistic, f(&w["lr"]), tol::COX);
        assert_close("LR P", got.likelihood_ratio.p, f(&w["lr_p"]), tol::COX);
        assert_eq!(got.likelihood_ratio.df as f64, f(&w["lr_df"]));
    }
    // the marker's HR in the survival entry is its univariate HR
    let hr = r.survival[0].hazard_ratio.as_ref().unwrap();
    assert_close("marker coef", hr.coef.unwrap(), f(&wu[0]["coef"]), tol::COX);

    let m = &r.multivariable[0];
    check_terms(
        "full model",
        &m.full_model.as_ref().unwrap().fit.terms,
        &want["full"],
    );
    // SAS-style stepwise: same steps and model as the R implementation
    let sel = m.selection.as_ref().unwrap();
    let ws = &want["selected"];
    let wterms: Vec<&str> = ws["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(sel.selected, wterms);
    let wsteps = ws["steps"].as_array().unwrap();
    assert_eq!(sel.steps.len(), wsteps.len());
    for (s, w) in sel.steps.iter().zip(wsteps) {
        assert_eq!(s.term, w["term"].as_str().unwrap());
        assert_close("step statistic", s.statistic, f(&w["statistic"]), tol::COX);
    }
    check_terms("selected model", &m.model.as_ref().unwrap().fit.terms, ws);
    let z = m.zph.as_ref().unwrap();
    let zc = ws["zph_chisq"].as_array().unwrap();
    // R's table: one row per term, then GLOBAL
    for (i, t) in z.terms.iter().enumerate() {
        assert_close("zph chisq", t.chisq, f(&zc[i]), tol::COX);
    }
    assert_close("zph global", z.global.chisq, f(&zc[zc.len() - 1]), tol::COX);
}

#[test]
fn interaction_matches_r() {
    let want = json_fixture("study-gbsg2/reference.json");
    let w = &want["interaction"];
    let r = results();
    let i = &r.interaction[0];
    assert_eq!((i.n, i.events), (686, 299));
    let res = i.result.as_ref().unwrap();
    assert_close(
        "interaction LR",
        res.interaction_lr.statistic,
        f(&w["lr"]),
        tol::COX,
    );
    assert_close(
        "interaction Wald",
        res.interaction_wald.statistic,
        f(&w["wald"]),
        tol::COX,
    );
    assert_close(
        "interaction coef",
        res.interaction_terms[0].coef.unwrap(),
        f(&w["coef"]),
        tol::COX,
    );
    for k in 0..2 {
        assert_close(
            "within coef",
            res.within[k].coef.unwrap(),
            f(&w["within_coef"][k]),
            tol::COX,
        );
        assert_close(
            "within se",
            res.within[k].se.unwrap(),
            f(&w["within_se"][k]),
            tol::COX,
        );
        let s = &w["separate"][k];
        assert_close(
            "separate coef",
            res.separate[k].coef.unwrap(),
            f(&s["coef"]),
            tol::COX,
        );
        assert_close(
            "separate se",
            res.separate[k].se.unwrap(),
            f(&s["se"]),
            tol::COX,
        );
        assert_close(
            "separate LR P",
            res.separate[k].p_lr.unwrap(),
            f(&s["lr_p"]),
            tol::COX,
        );
        let a = &w["by_arm"][k];
        let arm = &i.marker_by_arm[k];
        assert!(arm.arm.ends_with(a["arm"].as_str().unwrap()), "{}", arm.arm);
        assert_eq!(arm.n as f64, f(&a["n"]));
        assert_close(
            "marker coef in arm",
            arm.hazard_ratio.as_ref().unwrap().coef.unwrap(),
            f(&a["coef"]),
            tol::COX,
        );
        assert_close(
            "log-rank in arm",
            arm.logrank.as_ref().unwrap().statistic,
            f(&a["logrank"]),
            tol::LOGRANK,
        );
    }
}

#[test]
fn characteristics_tests_match_r() {
    let want = json_fixture("study-gbsg2/reference.json");
    let w = &want["characteristics"];
    let r = results();
    let c = &r.characteristics[0];
    assert_eq!(c.n, vec![269, 417]);
    for row in &c.rows {
        let t = row.test.as_ref().unwrap();
        let (test, tolerance) = if row.kind == "continuous" {
            ("wilcoxon_rank_sum", tol::STATS)
        } else {
            ("fisher_exact", tol::FISHER_P)
        };
        assert_eq!(t.test, test, "{}", row.factor);
        // estrec's P is about 5e-47: compared relatively all the same
        assert_close(
            &format!("{} P", row.factor),
            t.p,
            f(&w[&row.factor]),
            tolerance.max(1e-9),
        );
    }
    let age = c.rows.iter().find(|r| r.factor == "age").unwrap();
    assert_eq!(age.summaries[0].median, Some(f(&w["age_median"][0])));
    let tsize = c.rows.iter().find(|r| r.factor == "tsize").unwrap();
    let s = &tsize.summaries[0];
    assert_eq!(
        (s.q1, s.median, s.q3),
        (
            Some(f(&w["tsize_q"][0])),
            Some(f(&w["tsize_q"][1])),
            Some(f(&w["tsize_q"][2]))
        )
    );
}

#[test]
fn gbsg2_has_no_ihc_or_response_and_says_so() {
    let r = results();
    assert!(r.ihc.is_none() && r.response.is_empty());
    let skipped: Vec<&str> = r
        .analyses
        .skipped
        .iter()
        .map(|s| s.analysis.as_str())
        .collect();
    assert_eq!(skipped, ["ihc", "response"]);
    assert_eq!(r.settings.marker.groups, ["PgR < 20", "PgR >= 20"]);
    assert_eq!(r.provenance.inputs[0].rows, 686);
}
