//! Effect sizes of a 2x2 table with Wald (Woolf) intervals on the log
//! scale: the odds ratio and the relative risk.
//!
//! Layout: `[[a, b], [c, d]]` with rows = groups (exposed / marker-positive
//! first) and columns = outcome (event / response first). The odds ratio is
//! `(a d) / (b c)`; the relative risk `(a / (a + b)) / (c / (c + d))`.

use serde::Serialize;

use crate::chisq::two_sided_normal_p;
use crate::common::{check_conf_level, norm_upper_quantile};
use crate::error::{Result, StatsError};

/// When to add 0.5 to every cell (Haldane 1956; Anscombe 1956).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Haldane {
    /// Never: a zero cell gives an odds ratio of 0 or infinity with an
    /// infinite standard error.
    Never,
    /// Only when some cell is zero (the usual practice).
    #[default]
    IfZero,
    /// Always.
    Always,
}

/// An effect size with its Wald confidence interval on the log scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatioEstimate {
    /// The odds ratio or relative risk.
    pub estimate: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
    /// Standard error of the log estimate.
    pub se_log: f64,
    /// Two-sided Wald P value for a ratio of 1 (`z = log(estimate) / se`).
    pub p: f64,
    /// Confidence level.
    pub conf_level: f64,
    /// Whether 0.5 was added to every cell.
    pub haldane: bool,
}

fn cells(t: [[u64; 2]; 2], haldane: Haldane) -> ([f64; 4], bool) {
    let raw = [t[0][0], t[0][1], t[1][0], t[1][1]];
    let add = match haldane {
        Haldane::Never => false,
        Haldane::IfZero => raw.contains(&0),
        Haldane::Always => true,
    };
    let c = if add { 0.5 } else { 0.0 };
    (raw.map(|v| v as f64 + c), add)
}

fn finish(estimate: f64, se_log: f64, conf_level: f64, haldane: bool) -> RatioEstimate {
    let z = norm_upper_quantile((1.0 - conf_level) / 2.0);
    let l = estimate.ln();
    let (lower, upper) = if se_log.is_finite() {
        ((l - z * se_log).exp(), (l + z * se_log).exp())
    } else {
        (0.0, f64::INFINITY)
    };
    let p = if se_log.is_finite() && se_log > 0.0 {
        two_sided_normal_p(l / se_log)
    } else {
        1.0
    };
    RatioEstimate {
        estimate,
        lower,
        upper,
        se_log,
        p,
        conf_level,
        haldane,
    }
}

/// Sample odds ratio `a d / (b c)` with Woolf's interval
/// `exp(log OR ± z sqrt(1/a + 1/b + 1/c + 1/d))` (Woolf 1955; Agresti 2002,
/// *Categorical Data Analysis*, 3.1.1).
///
/// # Errors
/// [`StatsError::InvalidConfLevel`]; [`StatsError::Undefined`] when the
/// odds ratio is 0/0 (a zero in both diagonals without correction).
///
/// # Example
/// ```
/// use oncomark_stats::{odds_ratio, Haldane};
/// let r = odds_ratio([[4, 19], [25, 30]], 0.95, Haldane::IfZero).unwrap();
/// assert!((r.estimate - 4.0 * 30.0 / (19.0 * 25.0)).abs() < 1e-12);
/// let se: f64 = (1.0 / 4.0 + 1.0 / 19.0 + 1.0 / 25.0 + 1.0 / 30.0_f64).sqrt();
/// assert!((r.upper - (r.estimate.ln() + 1.959963984540054 * se).exp()).abs() < 1e-12);
/// ```
pub fn odds_ratio(t: [[u64; 2]; 2], conf_level: f64, haldane: Haldane) -> Result<RatioEstimate> {
    check_conf_level(conf_level)?;
    let ([a, b, c, d], added) = cells(t, haldane);
    let num = a * d;
    let den = b * c;
    if num == 0.0 && den == 0.0 {
        return Err(StatsError::Undefined {
            what: "the odds ratio",
            reason: "a d and b c are both zero; use the Haldane correction",
        });
    }
    let se_log = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
    Ok(finish(num / den, se_log, conf_level, added))
}

/// Relative risk `(a / (a + b)) / (c / (c + d))` with the Katz log interval
/// `exp(log RR ± z sqrt(1/a - 1/(a + b) + 1/c - 1/(c + d)))` (Katz et al.
/// 1978; Agresti 2002, 3.1.4).
///
/// # Errors
/// [`StatsError::InvalidConfLevel`]; [`StatsError::Undefined`] when a row
/// is empty or both groups have no events (without correction).
///
/// # Example
/// ```
/// use oncomark_stats::{relative_risk, Haldane};
/// let r = relative_risk([[15, 8], [19, 36]], 0.95, Haldane::IfZero).unwrap();
/// assert!((r.estimate - (15.0 / 23.0) / (19.0 / 55.0)).abs() < 1e-12);
/// assert!(r.lower < r.estimate && r.estimate < r.upper);
/// ```
pub fn relative_risk(t: [[u64; 2]; 2], conf_level: f64, haldane: Haldane) -> Result<RatioEstimate> {
    check_conf_level(conf_level)?;
    let ([a, b, c, d], added) = cells(t, haldane);
    if a + b == 0.0 || c + d == 0.0 {
        return Err(StatsError::Undefined {
            what: "the relative risk",
            reason: "a group (row) has no subjects",
        });
    }
    if a == 0.0 && c == 0.0 {
        return Err(StatsError::Undefined {
            what: "the relative risk",
            reason: "neither group has an event; use the Haldane correction",
        });
    }
    let rr = (a / (a + b)) / (c / (c + d));
    let se_log = (1.0 / a - 1.0 / (a + b) + 1.0 / c - 1.0 / (c + d)).sqrt();
    Ok(finish(rr, se_log, conf_level, added))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, tol};

    #[test]
    fn haldane_applies_only_when_asked() {
        let t = [[5, 0], [2, 7]];
        let never = odds_ratio(t, 0.95, Haldane::Never).unwrap();
        assert_eq!(never.estimate, f64::INFINITY);
        assert_eq!((never.lower, never.upper), (0.0, f64::INFINITY));
        assert!(!never.haldane);
        let fixed = odds_ratio(t, 0.95, Haldane::IfZero).unwrap();
        assert!(fixed.haldane);
        assert_close(
            "haldane",
            fixed.estimate,
            5.5 * 7.5 / (0.5 * 2.5),
            tol::EXACT,
        );
        let no_zero = odds_ratio([[5, 1], [2, 7]], 0.95, Haldane::IfZero).unwrap();
        assert!(!no_zero.haldane);
        assert!(matches!(
            odds_ratio([[0, 3], [0, 4]], 0.95, Haldane::Never),
            Err(StatsError::Undefined { .. })
        ));
    }

    #[test]
    fn swapping_rows_inverts() {
        let a = odds_ratio([[12, 5], [7, 9]], 0.9, Haldane::Never).unwrap();
        let b = odds_ratio([[7, 9], [12, 5]], 0.9, Haldane::Never).unwrap();
        assert_close("or", a.estimate * b.estimate, 1.0, tol::EXACT);
        assert_close("ci", a.lower * b.upper, 1.0, tol::EXACT);
        assert_close("p", a.p, b.p, tol::EXACT);
        let r1 = relative_risk([[12, 5], [7, 9]], 0.9, Haldane::Never).unwrap();
        let r2 = relative_risk([[7, 9], [12, 5]], 0.9, Haldane::Never).unwrap();
        assert_close("rr", r1.estimate * r2.estimate, 1.0, tol::EXACT);
        assert_close("rr se", r1.se_log, r2.se_log, tol::EXACT);
    }
}
