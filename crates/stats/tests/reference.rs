//! Every function of oncomark-stats against the reference fixtures:
//!
//! - `tests/fixtures/stats/stats_reference.json`: R 4.2.2 (stats) and
//!   psych 2.2.9, made by `make_reference.R` (seed 20240501);
//! - `tests/fixtures/stats/python_reference.json`: Python 3.11.7,
//!   statsmodels 0.15.0, made by `make_python_reference.py`.
//!
//! Plus the fixed test vectors of the issue (paper Table 2, GBSG2, the CLI
//! contract), each citing its source.

// reference values are pasted as R prints them (17 significant digits)
#![allow(clippy::excessive_precision)]

use oncomark_stats::*;
use oncomark_testkit::{assert_close, json_fixture, tol};
use serde_json::Value;

/// A number, or one of the strings "Inf", "-Inf", "NaN" the R script
/// writes for non-finite values.
fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().expect("f64"),
        Value::String(s) => match s.as_str() {
            "Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            "NaN" => f64::NAN,
            other => panic!("unexpected string {other}"),
        },
        other => panic!("not a number: {other}"),
    }
}

/// A vector; the R writer prints vectors of length 1 as scalars.
fn vecf(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a.iter().map(num).collect(),
        other => vec![num(other)],
    }
}

fn table(v: &Value) -> ContingencyTable {
    let rows = v
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| vecf(r).into_iter().map(|x| x as u64).collect())
        .collect();
    ContingencyTable::new(rows).expect("valid table")
}

fn alternative(v: &Value) -> Alternative {
    match v.as_str().expect("alternative") {
        "two.sided" => Alternative::TwoSided,
        "less" => Alternative::Less,
        "greater" => Alternative::Greater,
        other => panic!("alternative {other}"),
    }
}

/// Compare allowing equal infinities.
#[track_caller]
fn close_or_inf(what: &str, got: f64, want: f64, rel: f64) {
    if want.is_infinite() || want == 0.0 {
        assert_eq!(got, want, "{what}");
    } else {
        assert_close(what, got, want, rel);
    }
}

fn r_ref() -> Value {
    json_fixture("stats/stats_reference.json")
}

fn py_ref() -> Value {
    json_fixture("stats/python_reference.json")
}

// ------------------------------------------------------------ fixed vectors

#[test]
fn paper_table_2_response() {
    // Paper Table 2 (Cancer Res 2009): response 4 of 23 (b1 3+) vs 25 of 55.
    // Issue 3 / CLI contract, R 4.2.2 fisher.test and chisq.test:
    // Fisher P 0.0223, OR 0.2568 (0.0562-0.9140); X² 5.4685 (P 0.0194);
    // Yates 4.3330 (P 0.0374).
    let t = ContingencyTable::two_by_two([[4, 19], [25, 30]]).unwrap();
    let f = fisher_exact(&t, &FisherOptions::default()).unwrap();
    let d4 = tol::printed_digits(3);
    assert_close("P", f.p, 0.0223, d4);
    assert_close("OR", f.odds_ratio.unwrap(), 0.2568, tol::printed_digits(4));
    assert_close("lower", f.lower.unwrap(), 0.0562, d4);
    assert_close("upper", f.upper.unwrap(), 0.9140, tol::printed_digits(4));
    let c = chi_square(&t, false).unwrap();
    assert_close("X2", c.statistic, 5.4685, tol::printed_digits(5));
    assert_close("X2 P", c.p, 0.0194, d4);
    let y = chi_square(&t, true).unwrap();
    assert_close("Yates", y.statistic, 4.3330, tol::printed_digits(5));
    assert_close("Yates P", y.p, 0.0374, d4);
    // full precision: R 4.2.2 (stats_reference.json, first cases)
    assert_close("P full", f.p, 0.022299747284632673, tol::FISHER_P);
    assert_close("X2 full", c.statistic, 5.468480972871634, tol::STATS);
}

#[test]
fn paper_table_2_progression() {
    // Progression under 6 months: 15 of 23 vs 19 of 55. Issue 3:
    // Fisher 0.0231, chi-square P 0.0127 (R 4.2.2).
    let t = ContingencyTable::two_by_two([[15, 8], [19, 36]]).unwrap();
    let f = fisher_exact(&t, &FisherOptions::default()).unwrap();
    assert_close("Fisher P", f.p, 0.0231, tol::printed_digits(3));
    let c = chi_square(&t, false).unwrap();
    assert_close("X2 P", c.p, 0.0127, tol::printed_digits(3));
}

#[test]
fn gbsg2_er_by_hormone_therapy() {
    // GBSG2 (TH.data): ER x hormone therapy [[126, 63], [314, 183]]; issue 3
    // (R 4.2.2): Yates X² 0.580420 (P 0.446148), uncorrected 0.724112
    // (P 0.394798), Fisher P 0.423219, conditional OR 1.165346.
    let t = ContingencyTable::two_by_two([[126, 63], [314, 183]]).unwrap();
    let d6 = tol::printed_digits(6);
    let y = chi_square(&t, true).unwrap();
    assert_close("Yates", y.statistic, 0.580420, d6);
    assert_close("Yates P", y.p, 0.446148, d6);
    let c = chi_square(&t, false).unwrap();
    assert_close("X2", c.statistic, 0.724112, d6);
    assert_close("X2 P", c.p, 0.394798, d6);
    let f = fisher_exact(&t, &FisherOptions::default()).unwrap();
    assert_close("Fisher P", f.p, 0.423219, d6);
    assert_close(
        "OR",
        f.odds_ratio.unwrap(),
        1.165346,
        tol::printed_digits(7),
    );
}

#[test]
fn kappa_issue_vectors() {
    // Issue 3 and the CLI contract (statsmodels 0.15 cohens_kappa):
    // [[20,5],[10,15]] -> 0.4; 4x4 IHC -> 0.6428571429 (se 0.108761,
    // 0.429690-0.856024), linear 0.7769516729, quadratic 0.8837209302.
    let k2 = cohen_kappa(
        &ContingencyTable::two_by_two([[20, 5], [10, 15]]).unwrap(),
        KappaWeights::None,
        0.95,
    )
    .unwrap();
    assert_close("2x2", k2.kappa, 0.4, tol::EXACT);
    let ihc = ContingencyTable::new(vec![
        vec![6, 2, 0, 0],
        vec![1, 5, 2, 0],
        vec![0, 1, 6, 1],
        vec![0, 0, 1, 5],
    ])
    .unwrap();
    let u = cohen_kappa(&ihc, KappaWeights::None, 0.95).unwrap();
    assert_close("kappa", u.kappa, 0.6428571429, tol::printed_digits(10));
    assert_close("se", u.se, 0.108761, tol::printed_digits(6));
    assert_close("lower", u.lower, 0.429690, tol::printed_digits(6));
    assert_close("upper", u.upper, 0.856024, tol::printed_digits(6));
    assert_close("agreement", u.observed_agreement, 22.0 / 30.0, tol::EXACT);
    assert_eq!(u.n, 30);
    let l = cohen_kappa(&ihc, KappaWeights::Linear, 0.95).unwrap();
    assert_close("linear", l.kappa, 0.7769516729, tol::printed_digits(10));
    let q = cohen_kappa(&ihc, KappaWeights::Quadratic, 0.95).unwrap();
    assert_close("quadratic", q.kappa, 0.8837209302, tol::printed_digits(10));
}

#[test]
fn icc_shrout_fleiss() {
    // Shrout & Fleiss (1979) Table 2 data; issue 3 values (psych::ICC).
    let x = [
        [9., 2., 5., 8.],
        [6., 1., 3., 2.],
        [8., 4., 6., 8.],
        [7., 1., 2., 6.],
        [10., 5., 6., 9.],
        [6., 2., 4., 7.],
    ];
    let r = icc(&x, 0.95).unwrap();
    let want = [0.165742, 0.289764, 0.714841, 0.442797, 0.620051, 0.909316];
    for (e, w) in r.estimates.iter().zip(want) {
        assert_close(e.icc_type, e.icc, w, tol::printed_digits(6));
    }
}

#[test]
fn t_tests_issue_vectors() {
    // Issue 3 / CLI contract (R 4.2.2 t.test): Student t = -3.998626
    // (df 4, P 0.01614854), estimate -20.3 (-34.395302, -6.204698);
    // Welch df 3.349954 (P 0.02277451); group a: mean 62.6, sd 7.462573.
    let (a, b) = ([62.1, 55.4, 70.3], [81.0, 88.2, 79.5]);
    let s = t_test_two_sample(&a, &b, true, &TTestOptions::default()).unwrap();
    assert_close("t", s.statistic, -3.998626, tol::printed_digits(7));
    assert_eq!(s.df, 4.0);
    assert_close("P", s.p, 0.01614854, tol::printed_digits(7));
    assert_close("estimate", s.estimate, -20.3, tol::EXACT);
    assert_close("lower", s.lower, -34.395302, tol::printed_digits(8));
    assert_close("upper", s.upper, -6.204698, tol::printed_digits(7));
    assert_close("sd a", s.groups[0].sd, 7.462573, tol::printed_digits(7));
    let w = t_test_two_sample(&a, &b, false, &TTestOptions::default()).unwrap();
    assert_close("Welch df", w.df, 3.349954, tol::printed_digits(7));
    assert_close("Welch P", w.p, 0.02277451, tol::printed_digits(7));
}

#[test]
fn p_adjust_issue_vectors() {
    // Issue 3 (R 4.2.2 p.adjust of 0.01, 0.04, 0.03, 0.005)
    let p = [0.01, 0.04, 0.03, 0.005];
    let holm = p_adjust(&p, PAdjustMethod::Holm).unwrap();
    let bh = p_adjust(&p, PAdjustMethod::BenjaminiHochberg).unwrap();
    for (g, w) in holm.iter().zip([0.03, 0.06, 0.06, 0.02]) {
        assert_close("holm", *g, w, tol::EXACT);
    }
    for (g, w) in bh.iter().zip([0.02, 0.04, 0.04, 0.02]) {
        assert_close("BH", *g, w, tol::EXACT);
    }
}

#[test]
fn serialized_field_names_follow_the_cli_contract() {
    let t = ContingencyTable::two_by_two([[4, 19], [25, 30]]).unwrap();
    let tests = TableTests::compute(&t, true, true, false).unwrap();
    let v = serde_json::to_value(&tests).unwrap();
    for key in ["p", "odds_ratio", "lower", "upper"] {
        assert!(v["fisher"].get(key).is_some(), "fisher.{key}");
    }
    for key in ["statistic", "df", "p"] {
        assert!(v["chisq"].get(key).is_some(), "chisq.{key}");
        assert!(v["chisq_yates"].get(key).is_some(), "chisq_yates.{key}");
    }
    assert!(v.get("trend").is_none());
    let rxc = ContingencyTable::new(vec![vec![3, 4, 0], vec![0, 2, 5]]).unwrap();
    let f = serde_json::to_value(fisher_exact(&rxc, &FisherOptions::default()).unwrap()).unwrap();
    assert!(f.get("odds_ratio").is_none(), "RxC gives the P value alone");

    let tt = t_test_two_sample(
        &[62.1, 55.4, 70.3],
        &[81.0, 88.2, 79.5],
        true,
        &TTestOptions::default(),
    )
    .unwrap()
    .with_group_labels(["a", "b"]);
    let v = serde_json::to_value(&tt).unwrap();
    for key in [
        "test",
        "statistic",
        "df",
        "p",
        "estimate",
        "lower",
        "upper",
        "groups",
    ] {
        assert!(v.get(key).is_some(), "ttest.{key}");
    }
    assert_eq!(v["test"], "student");
    assert_eq!(v["groups"][0]["group"], "a");
    for key in ["n", "mean", "sd"] {
        assert!(v["groups"][0].get(key).is_some(), "groups.{key}");
    }

    let k = cohen_kappa(
        &ContingencyTable::two_by_two([[20, 5], [10, 15]]).unwrap(),
        KappaWeights::None,
        0.95,
    )
    .unwrap();
    let v = serde_json::to_value(&k).unwrap();
    for key in [
        "n",
        "observed_agreement",
        "kappa",
        "se",
        "lower",
        "upper",
        "weights",
    ] {
        assert!(v.get(key).is_some(), "agreement.{key}");
    }
    assert_eq!(v["weights"], "none");
}

// ------------------------------------------------------------ R fixtures

#[test]
fn fisher_2x2_against_r() {
    let r = r_ref();
    let cases = r["fisher_2x2"].as_array().unwrap();
    assert!(cases.len() >= 60);
    for c in cases {
        let t = table(&c["table"]).as_2x2().unwrap();
        let base = FisherOptions {
            alternative: alternative(&c["alternative"]),
            conf_level: num(&c["conf_level"]),
            ..FisherOptions::default()
        };
        let what = format!("{} {:?} {:?}", c["label"], t, base.alternative);
        let got = fisher_2x2(t, &base).unwrap();
        assert_close(&format!("{what} P"), got.p, num(&c["p"]), tol::FISHER_P);
        // R-compatible roots reproduce fisher.test's printed numbers
        close_or_inf(
            &format!("{what} OR"),
            got.odds_ratio.unwrap(),
            num(&c["estimate"]),
            tol::FISHER_ROOT,
        );
        close_or_inf(
            &format!("{what} lower"),
            got.lower.unwrap(),
            num(&c["lower"]),
            tol::FISHER_ROOT,
        );
        close_or_inf(
            &format!("{what} upper"),
            got.upper.unwrap(),
            num(&c["upper"]),
            tol::FISHER_ROOT,
        );
        // tight roots match the same equations solved tightly in R
        let tight = fisher_2x2(
            t,
            &FisherOptions {
                r_compatible_roots: false,
                ..base
            },
        )
        .unwrap();
        close_or_inf(
            &format!("{what} OR tight"),
            tight.odds_ratio.unwrap(),
            num(&c["estimate_tight"]),
            tol::FISHER_ROOT,
        );
        close_or_inf(
            &format!("{what} lower tight"),
            tight.lower.unwrap(),
            num(&c["lower_tight"]),
            tol::FISHER_ROOT,
        );
        close_or_inf(
            &format!("{what} upper tight"),
            tight.upper.unwrap(),
            num(&c["upper_tight"]),
            tol::FISHER_ROOT,
        );
    }
}

#[test]
fn fisher_rxc_against_r() {
    let r = r_ref();
    let cases = r["fisher_rxc"].as_array().unwrap();
    assert!(cases.len() >= 60);
    for c in cases {
        let t = table(&c["table"]);
        let got = fisher_exact(&t, &FisherOptions::default()).unwrap();
        assert_close(
            &format!("{:?}", t.counts()),
            got.p,
            num(&c["p"]),
            tol::FISHER_P,
        );
    }
}

#[test]
fn chi_square_and_g_against_r() {
    let r = r_ref();
    for c in r["chisq"].as_array().unwrap() {
        let t = table(&c["table"]);
        let yates = c["correct"].as_bool().unwrap();
        let got = chi_square(&t, yates).unwrap();
        let what = format!("{:?} yates={yates}", t.counts());
        assert_close(&what, got.statistic, num(&c["statistic"]), tol::STATS);
        assert_close(&what, got.p, num(&c["p"]), tol::STATS);
        assert_eq!(got.df as f64, num(&c["df"]));
        let e: Vec<f64> = c["expected"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(vecf)
            .collect();
        for (g, w) in got.expected.iter().flatten().zip(e) {
            assert_close("expected", *g, w, tol::STATS);
        }
        let any_low = got.expected.iter().flatten().any(|&v| v < 5.0);
        assert_eq!(
            !got.warnings.is_empty(),
            any_low,
            "warning iff an expected count < 5"
        );
        let g = g_test(&t).unwrap();
        assert_close("G", g.statistic, num(&c["g"]), tol::STATS);
    }
}

#[test]
fn trend_against_r() {
    let r = r_ref();
    for c in r["trend"].as_array().unwrap() {
        let x: Vec<u64> = vecf(&c["x"]).into_iter().map(|v| v as u64).collect();
        let n: Vec<u64> = vecf(&c["n"]).into_iter().map(|v| v as u64).collect();
        let score = vecf(&c["score"]);
        let got = if c["default_score"].as_bool().unwrap() {
            trend_test(&x, &n, None).unwrap()
        } else {
            trend_test(&x, &n, Some(&score)).unwrap()
        };
        assert_close("trend", got.statistic, num(&c["statistic"]), tol::STATS);
        assert_close("trend P", got.p, num(&c["p"]), tol::STATS);
    }
}

#[test]
fn mcnemar_against_r() {
    let r = r_ref();
    for c in r["mcnemar"].as_array().unwrap() {
        let t = table(&c["table"]);
        let got = mcnemar(&t, c["correct"].as_bool().unwrap()).unwrap();
        assert_close("McNemar", got.statistic, num(&c["statistic"]), tol::STATS);
        assert_close("McNemar P", got.p, num(&c["p"]), tol::STATS);
        assert_eq!(got.df as f64, num(&c["df"]));
    }
}

#[test]
fn t_tests_against_r() {
    let r = r_ref();
    for c in r["ttest"].as_array().unwrap() {
        let x = vecf(&c["x"]);
        let opts = TTestOptions {
            alternative: alternative(&c["alternative"]),
            mu: num(&c["mu"]),
            conf_level: num(&c["conf_level"]),
        };
        let kind = c["kind"].as_str().unwrap();
        let got = match kind {
            "one_sample" => t_test_one_sample(&x, &opts),
            "student" => t_test_two_sample(&x, &vecf(&c["y"]), true, &opts),
            "welch" => t_test_two_sample(&x, &vecf(&c["y"]), false, &opts),
            "paired" => t_test_paired(&x, &vecf(&c["y"]), &opts),
            other => panic!("{other}"),
        }
        .unwrap();
        let what = format!("{kind} {:?}", opts.alternative);
        assert_close(&what, got.statistic, num(&c["statistic"]), tol::STATS);
        assert_close(&what, got.df, num(&c["df"]), tol::STATS);
        assert_close(&what, got.p, num(&c["p"]), tol::STATS);
        assert_close(&what, got.estimate, num(&c["estimate"]), tol::STATS);
        assert_close(&what, got.se, num(&c["stderr"]), tol::STATS);
        close_or_inf(&what, got.lower, num(&c["lower"]), tol::STATS);
        close_or_inf(&what, got.upper, num(&c["upper"]), tol::STATS);
    }
}

#[test]
fn wilcoxon_against_r() {
    let r = r_ref();
    let mut exact_cases = 0;
    let mut approx_cases = 0;
    for c in r["wilcox"].as_array().unwrap() {
        let x = vecf(&c["x"]);
        let opts = RankTestOptions {
            alternative: alternative(&c["alternative"]),
            mu: num(&c["mu"]),
            exact: c["exact"].as_bool(),
            correct: c["correct"].as_bool().unwrap(),
        };
        let paired = c["paired"].as_bool().unwrap();
        let got = match (&c["y"], paired) {
            (Value::Null, _) => wilcoxon_signed_rank(&x, &opts),
            (y, true) => wilcoxon_signed_rank_paired(&x, &vecf(y), &opts),
            (y, false) => wilcoxon_rank_sum(&x, &vecf(y), &opts),
        }
        .unwrap();
        let method = c["method"].as_str().unwrap();
        assert_eq!(got.exact, method.contains("exact"), "{method}");
        if got.exact {
            exact_cases += 1;
        } else {
            approx_cases += 1;
        }
        assert_close(method, got.statistic, num(&c["statistic"]), tol::STATS);
        assert_close(method, got.p, num(&c["p"]), tol::STATS);
    }
    assert!(
        exact_cases >= 10 && approx_cases >= 10,
        "{exact_cases} exact, {approx_cases} approximate"
    );
}

#[test]
fn kruskal_and_oneway_against_r() {
    let r = r_ref();
    for c in r["kruskal"].as_array().unwrap() {
        let groups: Vec<Vec<f64>> = c["groups"].as_array().unwrap().iter().map(vecf).collect();
        let refs: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
        let got = kruskal_wallis(&refs).unwrap();
        assert_close("H", got.statistic, num(&c["statistic"]), tol::STATS);
        assert_close("H P", got.p, num(&c["p"]), tol::STATS);
        assert_eq!(got.df as f64, num(&c["df"]));
    }
    for c in r["oneway"].as_array().unwrap() {
        let groups: Vec<Vec<f64>> = c["groups"].as_array().unwrap().iter().map(vecf).collect();
        let refs: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
        let result = one_way_anova(&refs, c["var_equal"].as_bool().unwrap());
        if num(&c["statistic"]).is_nan() {
            // R returns NaN when Welch's weights are infinite (a group
            // without variation); we say so
            assert!(
                matches!(result, Err(StatsError::Constant { .. })),
                "{result:?}"
            );
            continue;
        }
        let got = result.unwrap();
        assert_close("F", got.statistic, num(&c["statistic"]), tol::STATS);
        assert_close("df2", got.df_den, num(&c["df_den"]), tol::STATS);
        assert_close("F P", got.p, num(&c["p"]), tol::STATS);
        assert_eq!(got.df_num, num(&c["df_num"]));
    }
}

#[test]
fn p_adjust_against_r() {
    let r = r_ref();
    for c in r["p_adjust"].as_array().unwrap() {
        let p = vecf(&c["p"]);
        for (key, m) in [
            ("bonferroni", PAdjustMethod::Bonferroni),
            ("holm", PAdjustMethod::Holm),
            ("hochberg", PAdjustMethod::Hochberg),
            ("BH", PAdjustMethod::BenjaminiHochberg),
            ("BY", PAdjustMethod::BenjaminiYekutieli),
        ] {
            let got = p_adjust(&p, m).unwrap();
            for (g, w) in got.iter().zip(vecf(&c[key])) {
                assert_close(key, *g, w, tol::STATS);
            }
        }
    }
}

#[test]
fn icc_against_psych() {
    let r = r_ref();
    for c in r["icc"].as_array().unwrap() {
        let x: Vec<Vec<f64>> = c["ratings"].as_array().unwrap().iter().map(vecf).collect();
        let got = icc(&x, 0.95).unwrap();
        let names: Vec<&str> = c["type"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for (i, e) in got.estimates.iter().enumerate() {
            assert_eq!(e.icc_type, names[i]);
            let what = format!("{} {}", c["label"], e.icc_type);
            assert_close(&what, e.icc, vecf(&c["icc"])[i], tol::STATS);
            assert_close(&what, e.f, vecf(&c["f"])[i], tol::STATS);
            assert_close(&what, e.df1, vecf(&c["df1"])[i], tol::STATS);
            assert_close(&what, e.df2, vecf(&c["df2"])[i], tol::STATS);
            assert_close(&what, e.p, vecf(&c["p"])[i], tol::STATS);
            assert_close(&what, e.lower, vecf(&c["lower"])[i], tol::STATS);
            assert_close(&what, e.upper, vecf(&c["upper"])[i], tol::STATS);
        }
    }
}

// ------------------------------------------------------------ statsmodels fixtures

#[test]
fn kappa_against_statsmodels() {
    let r = py_ref();
    for c in r["kappa"].as_array().unwrap() {
        let t = table(&c["table"]);
        let w = match c["weights"].as_str().unwrap() {
            "none" => KappaWeights::None,
            "linear" => KappaWeights::Linear,
            "quadratic" => KappaWeights::Quadratic,
            other => panic!("{other}"),
        };
        let got = cohen_kappa(&t, w, 0.95).unwrap();
        let what = format!("{:?} {w:?}", t.counts());
        assert_close(&what, got.kappa, num(&c["kappa"]), tol::STATS);
        assert_close(&what, got.se, num(&c["se"]), tol::STATS);
        assert_close(&what, got.lower, num(&c["lower"]), tol::STATS);
        assert_close(&what, got.upper, num(&c["upper"]), tol::STATS);
        assert_close(&what, got.se_null, num(&c["se_null"]), tol::STATS);
        assert_close(&what, got.z, num(&c["z"]), tol::STATS);
        assert_close(&what, got.p, num(&c["p"]), tol::STATS);
    }
}

#[test]
fn odds_ratio_and_relative_risk_against_statsmodels() {
    let r = py_ref();
    for c in r["ratio"].as_array().unwrap() {
        let t = table(&c["table"]).as_2x2().unwrap();
        let conf = num(&c["conf_level"]);
        let or = odds_ratio(t, conf, Haldane::IfZero).unwrap();
        let what = format!("{t:?} {conf}");
        assert_close(&what, or.estimate, num(&c["odds_ratio"]), tol::STATS);
        assert_close(&what, or.lower, num(&c["or_lower"]), tol::STATS);
        assert_close(&what, or.upper, num(&c["or_upper"]), tol::STATS);
        assert_close(&what, or.se_log, num(&c["or_se_log"]), tol::STATS);
        assert_close(&what, or.p, num(&c["or_p"]), tol::STATS);
        let rr = relative_risk(t, conf, Haldane::IfZero).unwrap();
        assert_close(&what, rr.estimate, num(&c["relative_risk"]), tol::STATS);
        assert_close(&what, rr.lower, num(&c["rr_lower"]), tol::STATS);
        assert_close(&what, rr.upper, num(&c["rr_upper"]), tol::STATS);
        assert_close(&what, rr.se_log, num(&c["rr_se_log"]), tol::STATS);
        assert_close(&what, rr.p, num(&c["rr_p"]), tol::STATS);
    }
}
