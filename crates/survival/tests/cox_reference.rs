//! Cox regression against hand-derived values and R survival 3.5-3.
//!
//! Sources: Therneau's test1 (R survival `tests/book1.R`, closed forms
//! derived below); `tests/fixtures/r-survival/*.json` (R 4.2.2, survival
//! 3.5-3, made by `survival_reference.R`); `tests/fixtures/cox-extra/*.json`
//! (R 4.2.2, survival 3.5-3, made by `cox_extra.R`).

use oncomark_survival::cox::{fit, CoxData, CoxFit, CoxOptions, CoxProblem, TermStatus, Ties};
use oncomark_survival::SurvivalError;
use oncomark_testkit::{assert_close, json_fixture, read_fixture_csv, tol};
use serde_json::Value;

// ---------------------------------------------------------------- helpers

fn opts(ties: Ties) -> CoxOptions {
    CoxOptions {
        ties,
        ..CoxOptions::default()
    }
}

fn f64s(v: &Value) -> Vec<Option<f64>> {
    match v {
        Value::Array(a) => a.iter().map(|x| x.as_f64()).collect(),
        x => vec![x.as_f64()],
    }
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn test1() -> CoxData {
    CoxData::new(
        &[1.0, 1.0, 6.0, 6.0, 8.0, 9.0],
        &[true, false, true, true, false, true],
        &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
        &["x"],
    )
    .unwrap()
}

/// A design built from a fixture CSV: complete cases on time, event and
/// the covariates; string columns become R-style dummies (`colLevel`,
/// levels sorted, the first is the reference).
struct Design {
    time: Vec<f64>,
    event: Vec<bool>,
    cols: Vec<Vec<f64>>,
    names: Vec<String>,
    header: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

fn design(csv: &str, time: &str, event: &str, covs: &[&str]) -> Design {
    let (header, rows) = read_fixture_csv(csv);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let mut used: Vec<usize> = vec![col(time), col(event)];
    used.extend(covs.iter().map(|c| col(c)));
    let rows: Vec<Vec<Option<String>>> = rows
        .into_iter()
        .filter(|r| used.iter().all(|&j| r[j].is_some()))
        .collect();
    let get = |r: &Vec<Option<String>>, j: usize| r[j].clone().unwrap();
    let tj = col(time);
    let ej = col(event);
    let time_v: Vec<f64> = rows.iter().map(|r| get(r, tj).parse().unwrap()).collect();
    let event_v: Vec<bool> = rows
        .iter()
        .map(|r| get(r, ej).parse::<f64>().unwrap() != 0.0)
        .collect();
    let mut cols = Vec::new();
    let mut names = Vec::new();
    for c in covs {
        let j = col(c);
        let vals: Vec<String> = rows.iter().map(|r| get(r, j)).collect();
        if vals.iter().all(|v| v.parse::<f64>().is_ok()) {
            cols.push(vals.iter().map(|v| v.parse().unwrap()).collect());
            names.push(c.to_string());
        } else {
            let mut levels = vals.clone();
            levels.sort();
            levels.dedup();
            for lev in &levels[1..] {
                cols.push(vals.iter().map(|v| (v == lev) as u8 as f64).collect());
                names.push(format!("{c}{lev}"));
            }
        }
    }
    Design {
        time: time_v,
        event: event_v,
        cols,
        names,
        header,
        rows,
    }
}

impl Design {
    fn data(&self) -> CoxData {
        CoxData::new(&self.time, &self.event, &self.cols, &self.names).unwrap()
    }
    fn column(&self, name: &str) -> Vec<f64> {
        let j = self.header.iter().position(|h| h == name).unwrap();
        self.rows
            .iter()
            .map(|r| r[j].as_ref().unwrap().parse().unwrap())
            .collect()
    }
}

fn coefs(f: &CoxFit) -> Vec<Option<f64>> {
    f.terms.iter().map(|t| t.coef).collect()
}

/// Compare a fit with one model of a cox-extra JSON fixture.
fn check_extra(what: &str, f: &CoxFit, r: &Value) {
    let names: Vec<&str> = match &r["terms"] {
        Value::Array(a) => a.iter().map(|v| v.as_str().unwrap()).collect(),
        v => vec![v.as_str().unwrap()],
    };
    let got_names: Vec<&str> = f.terms.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(got_names, names, "{what}: term names");
    let coef = f64s(&r["coef"]);
    let se = f64s(&r["se"]);
    for (j, t) in f.terms.iter().enumerate() {
        match coef[j] {
            None => {
                assert_eq!(t.status, TermStatus::NotEstimable, "{what}: {} NA", t.term);
                assert!(t.coef.is_none() && t.se.is_none());
            }
            Some(c) => {
                assert_close(
                    &format!("{what} coef {}", t.term),
                    t.coef.unwrap(),
                    c,
                    tol::COX,
                );
                assert_close(
                    &format!("{what} se {}", t.term),
                    t.se.unwrap(),
                    se[j].unwrap(),
                    tol::COX,
                );
            }
        }
    }
    let ll = f64s(&r["loglik"]);
    assert_close(
        &format!("{what} loglik0"),
        f.loglik_null,
        ll[0].unwrap(),
        tol::COX,
    );
    assert_close(
        &format!("{what} loglik"),
        f.loglik,
        ll[1].unwrap(),
        tol::COX,
    );
    assert_close(
        &format!("{what} score"),
        f.tests.score.statistic,
        num(&r["score"]),
        tol::COX,
    );
    assert_close(
        &format!("{what} wald"),
        f.tests.wald.statistic,
        num(&r["wald"]),
        tol::COX,
    );
    assert_eq!(f.tests.wald.df as f64, num(&r["df"]), "{what}: df");
    assert_eq!(f.n as f64, num(&r["n"]), "{what}: n");
    assert_eq!(f.events as f64, num(&r["events"]), "{what}: events");
    assert_close(
        &format!("{what} C"),
        f.concordance.unwrap(),
        num(&r["concordance"]),
        tol::EXACT,
    );
    let cc = f64s(&r["concordance_counts"]);
    let c = &f.concordance_counts;
    let got = [c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy];
    for (g, w) in got.iter().zip(&cc) {
        assert_eq!(
            *g,
            w.unwrap(),
            "{what}: concordance counts {got:?} vs {cc:?}"
        );
    }
    let lp = f64s(&r["linear_predictors"]);
    for (g, w) in f.linear_predictor.iter().zip(&lp) {
        let w = w.unwrap();
        assert!(
            (g - w).abs() <= tol::COX * w.abs().max(1.0),
            "{what}: linear predictor {g} vs {w}"
        );
    }
}

// ------------------------------------------------------------ test1 by hand

/// Therneau's test1: Breslow beta solves 1 - 3e/(3e+3) + 1 - 2e/(e+3) = 0,
/// i.e. e^beta = (3 + sqrt(33)) / 2 (R survival tests/book1.R).
#[test]
fn test1_breslow_closed_form() {
    let f = fit(&test1(), &opts(Ties::Breslow)).unwrap();
    let want = ((3.0 + 33f64.sqrt()) / 2.0).ln();
    assert_close("breslow beta", f.terms[0].coef.unwrap(), want, tol::EXACT);
    assert_close(
        "breslow beta (printed)",
        want,
        1.475284915,
        tol::printed_digits(10),
    );
    // loglik at 0 by hand: -log 6 (time 1: 6 at risk) - 2 log 4 (time 6:
    // two events, 4 at risk) - log 1 (time 9)
    let l0 = -(6f64.ln()) - 2.0 * 4f64.ln();
    assert_close("breslow loglik(0)", f.loglik_null, l0, tol::EXACT);
    // score test at 0 by hand: U = (1 - 3/6) + (1 - 2/4) = 1,
    // I = 3/6 (1 - 3/6) + 2 * (1/4)(3/4) = 5/8, so U^2 / I = 8/5
    assert_close(
        "breslow score test",
        f.tests.score.statistic,
        1.6,
        tol::EXACT,
    );
    // loglik at the estimate, closed form: with e = e^beta,
    // 2 beta - log(3e + 3) - 2 log(e + 3)
    let e = want.exp();
    let l1 = 2.0 * want - (3.0 * e + 3.0).ln() - 2.0 * (e + 3.0).ln();
    assert_close("breslow loglik", f.loglik, l1, tol::EXACT);
    assert!(f.converged && f.warnings.is_empty());
}

/// Therneau's test1, Efron: beta = 1.676857486, loglik (-4.276666119,
/// -3.35897484) (R survival tests/book1.R; R 4.2.2 survival 3.5-3 agrees).
#[test]
fn test1_efron() {
    let f = fit(&test1(), &opts(Ties::Efron)).unwrap();
    assert_close(
        "efron beta",
        f.terms[0].coef.unwrap(),
        1.676857486,
        tol::printed_digits(10),
    );
    assert_close(
        "efron loglik0",
        f.loglik_null,
        -4.276666119,
        tol::printed_digits(10),
    );
    assert_close(
        "efron loglik",
        f.loglik,
        -3.35897484,
        tol::printed_digits(9),
    );
    // loglik at 0 by hand: -log 6 - log 4 - log 3 (Efron: the second tied
    // event sees 4 - 1/2 - 1/2 = 3)
    assert_close(
        "efron loglik(0) exact",
        f.loglik_null,
        -(72f64.ln()),
        tol::EXACT,
    );
    // score test at 0 by hand: U = 1/2 + (1 - 1/4 - 1/6) = 13/12,
    // I = 1/4 + 3/16 + 5/36 = 83/144, U^2 / I = 169/83
    assert_close(
        "efron score test",
        f.tests.score.statistic,
        169.0 / 83.0,
        tol::EXACT,
    );
    let r = json_fixture("cox-extra/test1.json");
    check_extra("test1 efron", &f, &r["efron"]);
    assert_eq!(f.iterations as f64, num(&r["efron"]["iter"]));
}

#[test]
fn test1_breslow_against_r() {
    let f = fit(&test1(), &opts(Ties::Breslow)).unwrap();
    let r = json_fixture("cox-extra/test1.json");
    check_extra("test1 breslow", &f, &r["breslow"]);
    assert_eq!(f.iterations as f64, num(&r["breslow"]["iter"]));
}

/// Exact ties on test1: the likelihood (e^b / (3 e^b + 3))^2 rises to 1/9
/// as b -> infinity; R 3.5-3 warns "Loglik converged before variable 1;
/// beta may be infinite" with loglik (-3.583519, -2.197225).
#[test]
fn test1_exact_is_monotone() {
    let f = fit(&test1(), &opts(Ties::Exact)).unwrap();
    let r = &json_fixture("cox-extra/test1.json")["exact"];
    // at 0 by hand: -log 6 - log C(4, 2) = -2 log 6
    assert_close("exact loglik0", f.loglik_null, -2.0 * 6f64.ln(), tol::EXACT);
    assert_close(
        "exact loglik0 (R)",
        f.loglik_null,
        num(&r["loglik"][0]),
        tol::COX,
    );
    // the supremum log(1/9) is approached to within eps
    assert_close("exact loglik", f.loglik, -(9f64.ln()), 1e-8);
    assert_close("exact loglik (R)", f.loglik, num(&r["loglik"][1]), tol::COX);
    // score test at 0 by hand: time 1 gives U = 1 - 3/6, I = 1/4; at time
    // 6 the sum of x over a random pair of {1, 0, 0, 0} is 1 with
    // probability 3/6, so U = 1 - 1/2 and I = 1/4. U^2 / I = 1 / (1/2) = 2
    assert_close(
        "exact score test",
        f.tests.score.statistic,
        num(&r["score"]),
        tol::COX,
    );
    assert_close(
        "exact score test (hand)",
        f.tests.score.statistic,
        2.0,
        tol::EXACT,
    );
    assert_eq!(f.terms[0].status, TermStatus::Infinite);
    assert!(f.terms[0].coef.unwrap() > 10.0);
    assert!(
        f.warnings
            .iter()
            .any(|w| w.contains("Loglik converged before variable `x`")),
        "{:?}",
        f.warnings
    );
}

// ------------------------------------------------------ r-survival fixtures

fn check_r_survival(case: &str, time: &str, event: &str) {
    let r = json_fixture(&format!("r-survival/{case}.json"));
    let covs: Vec<String> = r["covariates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let covs: Vec<&str> = covs.iter().map(|s| s.as_str()).collect();
    let d = design(&format!("r-survival/{case}.csv"), time, event, &covs);
    let data = d.data();
    for (key, ties) in [("efron", Ties::Efron), ("breslow", Ties::Breslow)] {
        let what = format!("{case} {key}");
        let w = &r["cox"][key];
        let f = fit(&data, &opts(ties)).unwrap();
        let names: Vec<&str> = w["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let got: Vec<&str> = f.terms.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(got, names, "{what}: terms");
        assert_eq!(f.n as f64, num(&w["n"]), "{what}: n");
        assert_eq!(f.events as f64, num(&w["events"]), "{what}: events");
        assert!(
            f.converged && f.warnings.is_empty(),
            "{what}: {:?}",
            f.warnings
        );
        for (field, get) in [
            (
                "coef",
                (|t: &oncomark_survival::cox::CoxTerm| t.coef) as fn(&_) -> _,
            ),
            ("se", |t| t.se),
            ("hr_lower", |t| t.hr_lower),
            ("hr_upper", |t| t.hr_upper),
            ("p", |t| t.p),
        ] {
            let want = f64s(&w[field]);
            for (t, wv) in f.terms.iter().zip(&want) {
                assert_close(
                    &format!("{what} {field} {}", t.term),
                    get(t).unwrap(),
                    wv.unwrap(),
                    tol::COX,
                );
            }
        }
        let ll = f64s(&w["loglik"]);
        assert_close(
            &format!("{what} loglik0"),
            f.loglik_null,
            ll[0].unwrap(),
            tol::COX,
        );
        assert_close(
            &format!("{what} loglik"),
            f.loglik,
            ll[1].unwrap(),
            tol::COX,
        );
        for (name, test, rv) in [
            ("lr", &f.tests.likelihood_ratio, &w["lr"]),
            ("score", &f.tests.score, &w["score"]),
            ("wald", &f.tests.wald, &w["wald"]),
        ] {
            let rv = f64s(rv);
            if name == "wald" {
                // summary.coxph rounds the Wald statistic to 2 decimals
                // (its P is from the unrounded value)
                assert!(
                    (test.statistic - rv[0].unwrap()).abs() <= 0.005 + 1e-9,
                    "{what} wald {} vs {}",
                    test.statistic,
                    rv[0].unwrap()
                );
            } else {
                assert_close(
                    &format!("{what} {name}"),
                    test.statistic,
                    rv[0].unwrap(),
                    tol::COX,
                );
            }
            assert_eq!(test.df as f64, rv[1].unwrap(), "{what} {name} df");
            assert_close(
                &format!("{what} {name} p"),
                test.p,
                rv[2].unwrap(),
                tol::COX,
            );
        }
        assert_close(
            &format!("{what} concordance"),
            f.concordance.unwrap(),
            num(&w["concordance"]),
            tol::EXACT,
        );
    }
}

#[test]
fn r_survival_lung() {
    check_r_survival("lung", "time", "dead");
    // iteration counts, R 4.2.2 survival 3.5-3 (cox-extra/iterations.json)
    let it = json_fixture("cox-extra/iterations.json");
    let d = design(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "sex", "ph.ecog", "ph.karno", "wt.loss"],
    );
    for (k, t) in [("efron", Ties::Efron), ("breslow", Ties::Breslow)] {
        let f = fit(&d.data(), &opts(t)).unwrap();
        assert_eq!(
            f.iterations as f64,
            num(&it["lung"][k]),
            "lung {k} iterations"
        );
    }
}

#[test]
fn r_survival_veteran() {
    check_r_survival("veteran", "time", "status");
}

#[test]
fn r_survival_ovarian() {
    check_r_survival("ovarian", "futime", "fustat");
    let it = json_fixture("cox-extra/iterations.json");
    let d = design(
        "r-survival/ovarian.csv",
        "futime",
        "fustat",
        &["age", "resid.ds", "rx", "ecog.ps"],
    );
    for (k, t) in [("efron", Ties::Efron), ("breslow", Ties::Breslow)] {
        let f = fit(&d.data(), &opts(t)).unwrap();
        assert_eq!(
            f.iterations as f64,
            num(&it["ovarian"][k]),
            "ovarian {k} iterations"
        );
    }
}

#[test]
fn r_survival_gbsg2() {
    check_r_survival("gbsg2", "time", "cens");
}

// -------------------------------------------------------- cox-extra fixtures

#[test]
fn exact_ties_veteran_months() {
    let r = json_fixture("cox-extra/veteran_months.json");
    let d = design(
        "cox-extra/veteran_months.csv",
        "month",
        "status",
        &["trt", "karno", "age"],
    );
    for (key, ties) in [
        ("efron", Ties::Efron),
        ("breslow", Ties::Breslow),
        ("exact", Ties::Exact),
    ] {
        let f = fit(&d.data(), &opts(ties)).unwrap();
        check_extra(&format!("veteran months {key}"), &f, &r[key]);
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    }
    // stratified exact model, strata = prior (0 / 10)
    let strata: Vec<u32> = d.column("prior").iter().map(|&v| v as u32).collect();
    let data = d.data().with_strata(&strata).unwrap();
    let f = fit(&data, &opts(Ties::Exact)).unwrap();
    assert_eq!(f.n_strata, 2);
    check_extra("veteran months exact strata", &f, &r["exact_strata"]);
    assert!(
        num(&r["max_tied_deaths"]) >= 10.0,
        "the fixture has large tie sets"
    );
}

#[test]
fn exact_ties_too_large_is_an_error() {
    // 20000 subjects tied at one time with 10000 events: 2e4 * 1e4 * 10
    // operations per iteration, beyond the limit of 1e9
    let n = 20_000;
    let time = vec![1.0; n];
    let event: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
    let x: Vec<f64> = (0..n).map(|i| (i % 7) as f64).collect();
    let x2: Vec<f64> = (0..n).map(|i| (i % 5) as f64).collect();
    let x3: Vec<f64> = (0..n).map(|i| (i % 3) as f64).collect();
    let d = CoxData::new(&time, &event, &[x, x2, x3], &["a", "b", "c"]).unwrap();
    let e = match CoxProblem::new(&d, Ties::Exact) {
        Ok(_) => panic!("a tie set of 10000 events must be refused"),
        Err(e) => e,
    };
    match &e {
        SurvivalError::ExactTiesTooLarge {
            deaths, at_risk, ..
        } => {
            assert_eq!((*deaths, *at_risk), (10_000, 20_000));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("use ties = efron"));
}

#[test]
fn stratified_lung() {
    let r = json_fixture("cox-extra/lung_strata.json");
    let d = design(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "ph.ecog", "sex"],
    );
    let strata: Vec<u32> = d.column("sex").iter().map(|&v| v as u32).collect();
    let d2 = design(
        "r-survival/lung.csv",
        "time",
        "dead",
        &["age", "ph.ecog", "sex"],
    );
    let data = CoxData::new(&d2.time, &d2.event, &d2.cols[..2], &d2.names[..2])
        .unwrap()
        .with_strata(&strata)
        .unwrap();
    for (key, ties) in [("efron", Ties::Efron), ("breslow", Ties::Breslow)] {
        let f = fit(&data, &opts(ties)).unwrap();
        assert_eq!(f.n_strata, 2);
        check_extra(&format!("lung strata {key}"), &f, &r[key]);
        assert_eq!(f.iterations as f64, num(&r[key]["iter"]));
    }
}

#[test]
fn collinear_and_constant_covariates() {
    let r = json_fixture("cox-extra/lung_collinear.json");
    let d = design("r-survival/lung.csv", "time", "dead", &["age", "ph.ecog"]);
    let age = d.cols[0].clone();
    let ecog = d.cols[1].clone();
    let age2: Vec<f64> = age.iter().map(|a| 2.0 * a + 1.0).collect();
    let one = vec![1.0; age.len()];
    let data = CoxData::new(
        &d.time,
        &d.event,
        &[age.clone(), ecog.clone(), age2],
        &["age", "ph.ecog", "age2"],
    )
    .unwrap();
    let f = fit(&data, &CoxOptions::default()).unwrap();
    check_extra("collinear", &f, &r["collinear"]);
    assert_eq!(f.terms[2].status, TermStatus::NotEstimable);
    assert_eq!(f.tests.likelihood_ratio.df, 2);
    assert!(
        f.warnings.iter().any(|w| w.contains("`age2` is collinear")),
        "{:?}",
        f.warnings
    );
    assert_eq!(f.variance[2], vec![0.0; 3]);

    let data = CoxData::new(
        &d.time,
        &d.event,
        &[age, one, ecog],
        &["age", "one", "ph.ecog"],
    )
    .unwrap();
    let f = fit(&data, &CoxOptions::default()).unwrap();
    check_extra("constant", &f, &r["constant"]);
    assert_eq!(f.terms[1].status, TermStatus::NotEstimable);
    assert!(
        f.warnings.iter().any(|w| w.contains("`one` is constant")),
        "{:?}",
        f.warnings
    );
    // JSON: a not-estimable term has nulls, never a number
    let j = serde_json::to_value(&f).unwrap();
    assert!(j["terms"][1]["coef"].is_null() && j["terms"][1]["p"].is_null());
}

#[test]
fn monotone_likelihood_is_flagged() {
    let r = json_fixture("cox-extra/monotone.json");
    let d = design("cox-extra/monotone.csv", "time", "status", &["x", "z"]);
    for (key, ties) in [("efron", Ties::Efron), ("breslow", Ties::Breslow)] {
        let w = &r[key];
        let f = fit(&d.data(), &opts(ties)).unwrap();
        // R 3.5-3: "Loglik converged before variable  1 ; coefficient may be infinite."
        assert!(
            w["warnings"]
                .as_str()
                .unwrap()
                .contains("Loglik converged before variable  1"),
            "fixture"
        );
        assert_eq!(f.terms[0].status, TermStatus::Infinite, "{key}");
        assert_eq!(f.terms[1].status, TermStatus::Estimated, "{key}");
        assert!(
            f.warnings
                .iter()
                .any(|w| w.contains("variable `x`") && w.contains("infinite")),
            "{key}: {:?}",
            f.warnings
        );
        assert_eq!(f.warnings.len(), 1, "{:?}", f.warnings);
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["terms"][0]["status"], "infinite");
        // the log-likelihood converges to its supremum: same value as R
        let ll = f64s(&w["loglik"]);
        assert_close(
            &format!("{key} loglik0"),
            f.loglik_null,
            ll[0].unwrap(),
            tol::COX,
        );
        assert_close(&format!("{key} loglik"), f.loglik, ll[1].unwrap(), tol::COX);
        // the finite coefficient converges as in R; x runs off to a large
        // value (R stops at 22.05 after 19 iterations; we follow the same
        // Newton path)
        assert_close(
            &format!("{key} z"),
            f.terms[1].coef.unwrap(),
            f64s(&w["coef"])[1].unwrap(),
            1e-4,
        );
        assert!(f.terms[0].coef.unwrap() > 15.0);
        assert_eq!(f.iterations as f64, num(&w["iter"]), "{key} iterations");
    }
}

#[test]
fn not_converged_reports_last_good_iteration() {
    let r = &json_fixture("cox-extra/monotone.json")["not_converged"];
    let d = design("r-survival/lung.csv", "time", "dead", &["age", "ph.ecog"]);
    let o = CoxOptions {
        max_iter: 2,
        ..CoxOptions::default()
    };
    let f = fit(&d.data(), &o).unwrap();
    assert!(!f.converged);
    assert_eq!(f.iterations, 2); // R reports iter.max + 1 = 3
    assert!(f.warnings[0].starts_with("Ran out of iterations and did not converge"));
    let want = f64s(&r["coef"]);
    for (g, w) in coefs(&f).iter().zip(&want) {
        assert_close("not converged coef", g.unwrap(), w.unwrap(), tol::COX);
    }
    let ll = f64s(&r["loglik"]);
    assert_close("not converged loglik", f.loglik, ll[1].unwrap(), tol::COX);
    // R's variance here is 1 / diag(I) (its C code inverts an unfactored
    // matrix): check our information diagonal against it
    let pr = CoxProblem::new(&d.data(), Ties::Efron).unwrap();
    let e = pr.eval(&f.coefficients).unwrap();
    let var = &r["var"];
    for j in 0..2 {
        assert_close(
            "1 / I_jj",
            1.0 / e.information[j * 2 + j],
            num(&var[j][j]),
            tol::COX,
        );
    }
}

// ------------------------------------------------------------ small cases

#[test]
fn unsorted_input_and_censoring_at_event_time() {
    // test1 in scrambled order gives the same fit
    let t = [8.0, 1.0, 9.0, 6.0, 1.0, 6.0];
    let e = [false, false, true, true, true, true];
    let x = [0.0, 1.0, 0.0, 0.0, 1.0, 1.0];
    let d = CoxData::new(&t, &e, &[x.to_vec()], &["x"]).unwrap();
    let a = fit(&d, &CoxOptions::default()).unwrap();
    let b = fit(&test1(), &CoxOptions::default()).unwrap();
    assert_close(
        "coef",
        a.terms[0].coef.unwrap(),
        b.terms[0].coef.unwrap(),
        tol::EXACT,
    );
    assert_close("loglik", a.loglik, b.loglik, tol::EXACT);
    assert_eq!(a.concordance_counts, b.concordance_counts);
    // linear predictor follows the input rows
    assert_eq!(a.linear_predictor[1], a.linear_predictor[4]);
    assert_eq!(a.linear_predictor[0], 0.0);
}

#[test]
fn near_tied_times_are_merged_as_r_does() {
    // 6 and 6 + 1e-12 are one time by R's aeqSurv rule
    let t = [1.0, 1.0, 6.0, 6.0 + 1e-12, 8.0, 9.0];
    let d = CoxData::new(
        &t,
        &[true, false, true, true, false, true],
        &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
        &["x"],
    )
    .unwrap();
    let f = fit(&d, &opts(Ties::Breslow)).unwrap();
    let want = ((3.0 + 33f64.sqrt()) / 2.0).ln();
    assert_close("beta", f.terms[0].coef.unwrap(), want, tol::EXACT);
}

#[test]
fn input_errors_are_clear() {
    let e = CoxData::new(&[1.0, 2.0], &[true], &[vec![1.0, 2.0]], &["x"]).unwrap_err();
    assert!(matches!(
        e,
        SurvivalError::LengthMismatch { what: "event", .. }
    ));
    let e = CoxData::new(&[1.0, 2.0], &[true, false], &[vec![1.0]], &["x"]).unwrap_err();
    assert!(e.to_string().contains("covariate `x` has 1 values"));
    let e = CoxData::new(&[1.0, 2.0], &[true, false], &[vec![1.0, f64::NAN]], &["x"]).unwrap_err();
    assert!(e.to_string().contains("covariate `x` row 1"), "{e}");
    let e = CoxData::new(&[1.0, -2.0], &[true, false], &[vec![1.0, 2.0]], &["x"]).unwrap_err();
    assert!(matches!(e, SurvivalError::NegativeTime { index: 1, .. }));
    let e = CoxData::new(&[1.0, 2.0], &[false, false], &[vec![1.0, 2.0]], &["x"]).unwrap_err();
    assert!(matches!(e, SurvivalError::NoEvents));
    let e = CoxData::new(
        &[1.0, 2.0],
        &[true, false],
        &[vec![1.0, 2.0], vec![0.0, 1.0]],
        &["x", "x"],
    )
    .unwrap_err();
    assert!(e.to_string().contains("used twice"));
    let o = CoxOptions {
        conf_level: 1.5,
        ..CoxOptions::default()
    };
    assert!(matches!(
        fit(&test1(), &o),
        Err(SurvivalError::BadConfLevel(_))
    ));
    let o = CoxOptions {
        init: Some(vec![1.0, 2.0]),
        ..CoxOptions::default()
    };
    assert!(matches!(
        fit(&test1(), &o),
        Err(SurvivalError::BadCoefficients { .. })
    ));
}

#[test]
fn json_has_the_contract_fields() {
    let f = fit(&test1(), &CoxOptions::default()).unwrap();
    let j = serde_json::to_value(&f).unwrap();
    for k in [
        "n",
        "events",
        "ties",
        "iterations",
        "converged",
        "loglik_null",
        "loglik",
        "terms",
        "tests",
        "concordance",
        "warnings",
    ] {
        assert!(j.get(k).is_some(), "missing {k}");
    }
    assert_eq!(j["ties"], "efron");
    for k in ["term", "coef", "se", "hr", "hr_lower", "hr_upper", "z", "p"] {
        assert!(j["terms"][0].get(k).is_some(), "missing terms[].{k}");
    }
    for t in ["likelihood_ratio", "wald", "score"] {
        for k in ["statistic", "df", "p"] {
            assert!(j["tests"][t].get(k).is_some(), "missing tests.{t}.{k}");
        }
    }
    assert!(j.get("linear_predictor").is_none());
}

#[test]
fn tiny_p_values_keep_their_digits() {
    // gbsg2 Efron score test: P = 9.83e-22 in R (pchisq upper tail); a
    // 1 - cdf computation would give 0
    let r = json_fixture("r-survival/gbsg2.json");
    let covs = [
        "horTh", "age", "menostat", "tsize", "tgrade", "pnodes", "progrec", "estrec",
    ];
    let d = design("r-survival/gbsg2.csv", "time", "cens", &covs);
    let f = fit(&d.data(), &CoxOptions::default()).unwrap();
    assert!(f.tests.score.p > 0.0 && f.tests.score.p < 1e-20);
    assert_close(
        "score p",
        f.tests.score.p,
        num(&r["cox"]["efron"]["score"][2]),
        tol::COX,
    );
}

#[test]
fn max_iter_zero_evaluates_at_init_and_one_step_warns() {
    // test1, Breslow: at beta = 0, loglik = -log 6 - 2 log 4 and the score
    // test is 8/5 (hand-derived above)
    let o = CoxOptions {
        ties: Ties::Breslow,
        max_iter: 0,
        ..CoxOptions::default()
    };
    let f = fit(&test1(), &o).unwrap();
    assert_eq!(f.iterations, 0);
    assert_eq!(f.terms[0].coef, Some(0.0));
    assert_close(
        "loglik",
        f.loglik,
        -(6f64.ln()) - 2.0 * 4f64.ln(),
        tol::EXACT,
    );
    assert_eq!(f.loglik, f.loglik_null);
    assert_close("score", f.tests.score.statistic, 1.6, tol::EXACT);
    assert!(f.warnings.is_empty());
    // one Newton step cannot meet the convergence rule: reported, not silent
    let o = CoxOptions {
        ties: Ties::Breslow,
        max_iter: 1,
        ..CoxOptions::default()
    };
    let f = fit(&test1(), &o).unwrap();
    assert!(!f.converged && f.warnings[0].starts_with("Ran out of iterations"));
}

#[test]
fn init_values_shift_the_null_and_the_wald_test() {
    let want = ((3.0 + 33f64.sqrt()) / 2.0).ln();
    let o = CoxOptions {
        ties: Ties::Breslow,
        init: Some(vec![want]),
        ..CoxOptions::default()
    };
    let f = fit(&test1(), &o).unwrap();
    assert!(f.converged);
    assert_close("coef", f.terms[0].coef.unwrap(), want, tol::EXACT);
    assert_close(
        "loglik_null = loglik(init)",
        f.loglik_null,
        f.loglik,
        tol::EXACT,
    );
    assert!(f.tests.likelihood_ratio.statistic.abs() < 1e-12);
    assert!(f.tests.wald.statistic < 1e-12 && f.tests.score.statistic < 1e-12);
}

#[test]
fn only_a_constant_covariate() {
    let d = CoxData::new(
        &[1.0, 2.0, 3.0, 4.0],
        &[true, false, true, true],
        &[vec![2.0; 4]],
        &["k"],
    )
    .unwrap();
    let f = fit(&d, &CoxOptions::default()).unwrap();
    assert!(f.converged);
    assert_eq!(f.terms[0].status, TermStatus::NotEstimable);
    assert_eq!(f.tests.likelihood_ratio.df, 0);
    assert_eq!(f.tests.wald.p, 1.0);
    assert_eq!(f.warnings.len(), 1);
    assert!(f.warnings[0].contains("`k` is constant"));
    // loglik at 0 by hand: -log 4 - log 2 - log 1
    assert_close("loglik", f.loglik, -(8f64.ln()), tol::EXACT);
}
