//! Log-rank family on data small enough to check by hand.
//!
//! Therneau's `test1` (survival package, tests/book1.R, the row with a
//! missing status dropped): time 9, 1, 1, 6, 6, 8; status 1, 1, 0, 1, 1, 0;
//! x 0, 1, 1, 1, 0, 0. By hand, for group x = 1:
//!
//! ```text
//! t=1: n=6 (3 in x=1), d=1: E += 3/6,     V += 1*5/(6*5) * 3*(1 - 3/6) = 1/4
//! t=6: n=4 (1 in x=1), d=2: E += 2*1/4,   V += 2*2/(4*3) * 1*(1 - 1/4) = 1/4
//! t=9: n=1 (0 in x=1), d=1: nothing for x=1
//! O = 2, E = 1, V = 1/2: chi^2 = 2
//! ```
//!
//! With rho = 1 the weights are the pooled S(t-) = 1, 5/6, 5/12:
//! O = 1 + 5/6, E = 1/2 + 5/12, V = 1/4 + (5/6)^2/4 = 61/144, chi^2 = 121/61.
//! R 4.2.2, survival 3.5-3 `survdiff` gives 2 and 1.983607 (= 121/61).

use oncomark_survival::logrank::{logrank, logrank_stratified, LogrankOptions};
use oncomark_survival::SurvivalError;
use oncomark_testkit::{assert_close, tol};

const T: [f64; 6] = [9.0, 1.0, 1.0, 6.0, 6.0, 8.0];
const E: [bool; 6] = [true, true, false, true, true, false];
const X: [u32; 6] = [0, 1, 1, 1, 0, 0];
const L: [&str; 2] = ["0", "1"];

#[test]
fn test1_logrank_by_hand() {
    let r = logrank(&T, &E, &X, &L, &LogrankOptions::default()).unwrap();
    assert_close("chisq", r.statistic, 2.0, tol::EXACT);
    assert_eq!(r.df, 1);
    assert_close("O x=1", r.groups[1].observed, 2.0, tol::EXACT);
    assert_close("E x=1", r.groups[1].expected, 1.0, tol::EXACT);
    assert_close("E x=0", r.groups[0].expected, 3.0, tol::EXACT);
    assert_close("V", r.variance[1][1], 0.5, tol::EXACT);
    assert_close("V off", r.variance[0][1], -0.5, tol::EXACT);
    // P(chi^2_1 > 2), R 4.2.2: pchisq(2, 1, lower.tail = FALSE)
    assert_close("p", r.p, 0.157299207050285, tol::LOGRANK);
}

#[test]
fn test1_rho_1_by_hand() {
    let r = logrank(&T, &E, &X, &L, &LogrankOptions { rho: 1.0 }).unwrap();
    assert_close("chisq", r.statistic, 121.0 / 61.0, tol::EXACT);
    assert_close("O", r.groups[1].observed, 11.0 / 6.0, tol::EXACT);
    assert_close("E", r.groups[1].expected, 11.0 / 12.0, tol::EXACT);
    assert_close("V", r.variance[1][1], 61.0 / 144.0, tol::EXACT);
    assert_eq!(r.rho, 1.0);
}

#[test]
fn stratified_sums_the_strata() {
    // two copies of test1 as two strata: O, E, V double, chi^2 doubles
    let t: Vec<f64> = T.iter().chain(T.iter()).map(|&x| x * 1.0).collect();
    let e: Vec<bool> = E.iter().chain(E.iter()).copied().collect();
    let x: Vec<u32> = X.iter().chain(X.iter()).copied().collect();
    let s: Vec<u32> = [5u32; 6].iter().chain([9u32; 6].iter()).copied().collect();
    let r = logrank_stratified(&t, &e, &x, &L, &s, &LogrankOptions::default()).unwrap();
    assert_close("chisq", r.statistic, 4.0, tol::EXACT);
    assert_close("O", r.groups[1].observed, 4.0, tol::EXACT);
    assert_eq!(r.n_strata, 2);
    // pooled, the same 12 rows are one data set with a different answer
    let p = logrank(&t, &e, &x, &L, &LogrankOptions::default()).unwrap();
    assert_eq!(p.n_strata, 1);
    assert!((p.statistic - 4.0).abs() > 1e-3);
}

#[test]
fn three_groups_and_trend_by_hand() {
    // one death per group, no ties, no censoring: times 1 (a), 2 (b), 3 (c)
    // t=1: n=3 (1,1,1) d=1: E = 1/3 each, V_gg += 1*2/(3*2) * (1 - 1/3) = 2/9, V_gh -= 1/9
    // t=2: n=2 (0,1,1) d=1: E_b, E_c += 1/2, V_bb = V_cc += 1/4, V_bc -= 1/4
    // t=3: n=1: E_c += 1, no variance
    let r = logrank(
        &[3.0, 1.0, 2.0],
        &[true; 3],
        &[2, 0, 1],
        &["a", "b", "c"],
        &LogrankOptions::default(),
    )
    .unwrap();
    let e: Vec<f64> = r.groups.iter().map(|g| g.expected).collect();
    assert_close("E a", e[0], 1.0 / 3.0, tol::EXACT);
    assert_close("E b", e[1], 1.0 / 3.0 + 0.5, tol::EXACT);
    assert_close("E c", e[2], 1.0 / 3.0 + 0.5 + 1.0, tol::EXACT);
    let v = [
        [2.0 / 9.0, -1.0 / 9.0, -1.0 / 9.0],
        [-1.0 / 9.0, 2.0 / 9.0 + 0.25, -1.0 / 9.0 - 0.25],
        [-1.0 / 9.0, -1.0 / 9.0 - 0.25, 2.0 / 9.0 + 0.25],
    ];
    for a in 0..3 {
        for b in 0..3 {
            assert!((r.variance[a][b] - v[a][b]).abs() < 1e-15, "V[{a}][{b}]");
        }
    }
    assert_eq!(r.df, 2);
    // chi^2 from groups b, c: u = (1 - 5/6, 1 - 11/6), V_bc block
    let u = [1.0 - 5.0 / 6.0, 1.0 - 11.0 / 6.0];
    let (p, q, s) = (v[1][1], v[1][2], v[2][2]);
    let det = p * s - q * q;
    let chi = (s * u[0] * u[0] - 2.0 * q * u[0] * u[1] + p * u[1] * u[1]) / det;
    assert_close("chisq", r.statistic, chi, tol::EXACT);
    // trend, scores 1, 2, 3: w'(O-E) = 1*(2/3) + 2*(1/6) + 3*(-5/6)
    let num = 2.0 / 3.0 + 2.0 / 6.0 - 15.0 / 6.0;
    let w = [1.0, 2.0, 3.0];
    let den: f64 = (0..3)
        .flat_map(|a| (0..3).map(move |b| (a, b)))
        .map(|(a, b)| w[a] * v[a][b] * w[b])
        .sum();
    let tr = r.trend(None).unwrap();
    assert_close("trend", tr.statistic, num * num / den, tol::EXACT);
    assert_close("trend z", tr.z, num / den.sqrt(), tol::EXACT);
    // trend is invariant to shifting and scaling the scores
    let tr2 = r.trend(Some(&[10.0, 12.0, 14.0])).unwrap();
    assert_close("shifted", tr2.statistic, tr.statistic, tol::EXACT);
    assert!(matches!(
        r.trend(Some(&[1.0, 1.0, 1.0])),
        Err(SurvivalError::BadScores { .. })
    ));
    assert!(matches!(
        r.trend(Some(&[1.0, 2.0])),
        Err(SurvivalError::LengthMismatch { what: "scores", .. })
    ));
}

#[test]
fn unsorted_input_and_tied_times_across_groups() {
    let a = logrank(&T, &E, &X, &L, &LogrankOptions::default()).unwrap();
    let idx = [3, 0, 5, 1, 4, 2];
    let t: Vec<f64> = idx.iter().map(|&i| T[i]).collect();
    let e: Vec<bool> = idx.iter().map(|&i| E[i]).collect();
    let x: Vec<u32> = idx.iter().map(|&i| X[i]).collect();
    let b = logrank(&t, &e, &x, &L, &LogrankOptions::default()).unwrap();
    assert_close("chisq", b.statistic, a.statistic, tol::EXACT);
    assert_eq!(a.groups, b.groups);
}

#[test]
fn errors_name_the_problem() {
    let d = LogrankOptions::default();
    assert_eq!(
        logrank(&[1.0, 2.0], &[false, false], &[0, 1], &L, &d).unwrap_err(),
        SurvivalError::NoEvents
    );
    assert_eq!(
        logrank(&[1.0, 2.0], &[true, true], &[1, 1], &L, &d).unwrap_err(),
        SurvivalError::OneGroup { groups: 1 }
    );
    // group "0" is censored before the only event: E = 0, nothing to compare
    let e = logrank(&[0.5, 2.0, 3.0], &[false, true, false], &[0, 1, 1], &L, &d).unwrap_err();
    assert_eq!(e, SurvivalError::NoComparison { groups: 1 });
    assert!(e.to_string().contains("at least two"), "{e}");
    assert!(matches!(
        logrank(&T, &E, &X, &L, &LogrankOptions { rho: f64::INFINITY }),
        Err(SurvivalError::BadOption { what: "rho", .. })
    ));
    assert!(matches!(
        logrank_stratified(&T, &E, &X, &L, &[0; 5], &d),
        Err(SurvivalError::LengthMismatch {
            what: "strata",
            got: 5,
            expected: 6
        })
    ));
    assert!(matches!(
        logrank(&T, &E, &X, &["only"], &d),
        Err(SurvivalError::GroupOutOfRange {
            value: 1,
            n_groups: 1,
            ..
        })
    ));
}
