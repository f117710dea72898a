//! Test helpers shared by the oncomark crates.
//!
//! Every tolerance a test uses is named here, with the reason for its size,
//! so that "how close is close enough" is decided once (as statrs' `prec`).
//! Reference fixtures live in `tests/fixtures/` at the workspace root; each
//! folder there has a README naming the tool and version that made them.

use std::path::PathBuf;

/// Relative tolerances, named by what they guard.
pub mod tol {
    /// Kaplan-Meier estimates, Greenwood errors, confidence limits and
    /// log-rank statistics against R survival 3.5-3 (closed-form sums: only
    /// rounding separates us from R).
    pub const KM: f64 = 1e-7;
    /// Log-rank statistics, observed and expected counts against R.
    pub const LOGRANK: f64 = 1e-7;
    /// Cox coefficients, standard errors, log-likelihoods and tests against
    /// R coxph (both stop Newton-Raphson at a relative change of 1e-9 in the
    /// log-likelihood, so estimates agree to about 1e-6 relative).
    pub const COX: f64 = 1e-5;
    /// Closed forms derived by hand (Therneau's test1 and the like).
    pub const EXACT: f64 = 1e-9;
    /// Nonlinear least-squares fits (log-logistic curves, synergy surfaces
    /// built on them) against scipy `least_squares`/`curve_fit` run to tight
    /// tolerances: both stop at the optimum to about 1e-8 relative, and the
    /// flat directions of a 4-parameter curve can amplify that a little.
    pub const CURVE_FIT: f64 = 1e-6;
    /// Generalised linear models fitted by IRLS (quasi-Poisson LQ survival
    /// curves) and least squares against statsmodels: both iterate to a
    /// deviance change below 1e-13, so coefficients, SEs and dispersions
    /// agree to about 1e-8; 1e-7 leaves room for the weights of the last
    /// iteration.
    pub const GLM: f64 = 1e-7;
    /// Closed-form tests of oncomark-stats (chi-square, trend, McNemar,
    /// t, rank, F, p.adjust, kappa, ICC) against R 4.2.2 / psych /
    /// statsmodels printed to 17 digits: the same formulas, so only rounding
    /// and the incomplete gamma/beta evaluations (about 1e-14) separate us.
    pub const STATS: f64 = 1e-10;
    /// Fisher exact P values against R fisher.test (2x2 sums and FEXACT):
    /// sums of hypergeometric probabilities, about 1e-12 apart.
    pub const FISHER_P: f64 = 1e-10;
    /// Fisher conditional odds ratio and exact limits: roots of monotone
    /// equations, found by the same zeroin steps as R's uniroot (or solved
    /// tightly on both sides); function values differ by about 1e-15, which
    /// the root finder can amplify near flat tails.
    pub const FISHER_ROOT: f64 = 1e-8;
    /// SVG coordinates read back from a figure, in px (absolute, not
    /// relative): oncomark-report prints them to 0.01 px, so a value is
    /// within half of that, plus float slack.
    pub const SVG_PX: f64 = 0.006;
    /// A point of a fitted curve read back from a figure through both
    /// axes, in px: the x coordinate's rounding ([`SVG_PX`]) is amplified
    /// by the curve's slope (below 5 px per px in the figures tested), plus
    /// the y coordinate's own rounding.
    pub const SVG_CURVE_PX: f64 = 0.05;
    /// Maximally selected statistics, Lausen P values and the
    /// Hothorn-Lausen P against R maxstat 0.7-25: the same sums and closed
    /// forms, about 1e-14 apart; 1e-10 leaves room for a long cumulative sum.
    pub const MAXSTAT: f64 = 1e-10;
    /// Absolute error of an R P value computed as `1 - (pnorm(b) -
    /// pnorm(-b))` (maxstat's pLausen94): R loses everything below a few
    /// units of the double epsilon, which we compute as `erfc`.
    pub const R_ONE_MINUS_ABS: f64 = 4.0 * f64::EPSILON;
    /// Monte-Carlo (permutation, mvtnorm quasi-Monte-Carlo) results agree
    /// with their target within this many standard errors (a false alarm
    /// about once in 16 000 comparisons).
    pub const MC_SIGMAS: f64 = 4.0;
    /// Values printed to a fixed number of digits in an issue or a paper;
    /// pass the number of significant digits printed.
    pub const fn printed_digits(d: i32) -> f64 {
        // half a unit in the last printed digit, relative
        0.5 * pow10(-(d - 1))
    }
    const fn pow10(e: i32) -> f64 {
        let mut x = 1.0;
        let mut i = 0;
        if e >= 0 {
            while i < e {
                x *= 10.0;
                i += 1;
            }
        } else {
            while i < -e {
                x /= 10.0;
                i += 1;
            }
        }
        x
    }
}

/// `true` when `a` and `b` agree to relative tolerance `rel` (absolute near
/// zero: the scale is `max(|a|, |b|, 1e-300)` but never below `abs_floor`).
pub fn close(a: f64, b: f64, rel: f64) -> bool {
    if a == b {
        return true;
    }
    if a.is_nan() || b.is_nan() {
        return false;
    }
    let scale = a.abs().max(b.abs()).max(1e-12);
    (a - b).abs() <= rel * scale
}

/// Assert that two numbers agree to a relative tolerance, with a message
/// naming what was compared.
#[track_caller]
pub fn assert_close(what: &str, got: f64, want: f64, rel: f64) {
    assert!(
        close(got, want, rel),
        "{what}: got {got:.12e}, want {want:.12e} (rel diff {:.3e}, tolerance {rel:.1e})",
        (got - want).abs() / want.abs().max(1e-300)
    );
}

/// Path of a file under the workspace's `tests/fixtures/` folder.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

/// Read a JSON fixture.
pub fn json_fixture(rel: &str) -> serde_json::Value {
    let p = fixture(rel);
    let text = std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON in {}: {e}", p.display()))
}

/// A minimal CSV reader for fixtures (header row, comma separated, quoted
/// strings without embedded commas, empty cell = missing). Returns column
/// names and rows of optional strings. The product's own reader lives in
/// `oncomark-data`; statistics crates use this one so that their tests do
/// not depend on it.
pub fn read_fixture_csv(rel: &str) -> (Vec<String>, Vec<Vec<Option<String>>>) {
    let p = fixture(rel);
    let text = std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", p.display()));
    let mut lines = text.lines();
    let unq = |s: &str| s.trim().trim_matches('"').to_string();
    let header: Vec<String> = lines.next().unwrap().split(',').map(unq).collect();
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .map(|c| {
                    let c = unq(c);
                    if c.is_empty() || c == "NA" {
                        None
                    } else {
                        Some(c)
                    }
                })
                .collect()
        })
        .collect();
    (header, rows)
}

/// Numeric column of a fixture CSV (missing as `None`).
pub fn fixture_column(
    header: &[String],
    rows: &[Vec<Option<String>>],
    name: &str,
) -> Vec<Option<f64>> {
    let j = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows.iter()
        .map(|r| r[j].as_ref().map(|s| s.parse::<f64>().expect("numeric")))
        .collect()
}
