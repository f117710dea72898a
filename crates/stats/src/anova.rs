//! One-way analysis of means, as R `oneway.test`.

use serde::Serialize;

use crate::common::{check_finite, f_sf, mean_var, not_positive};
use crate::error::{Result, StatsError};

/// Result of a one-way analysis of means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OneWayAnova {
    /// `"equal_var"` (classical F test) or `"welch"`.
    pub method: &'static str,
    /// The F statistic.
    pub statistic: f64,
    /// Numerator degrees of freedom (groups - 1).
    pub df_num: f64,
    /// Denominator degrees of freedom (`N - k`, or Welch's fractional df).
    pub df_den: f64,
    /// Upper-tail P value of the F distribution.
    pub p: f64,
}

/// One-way analysis of means of `k >= 2` groups, as R
/// `oneway.test(y ~ g, var.equal = equal_var)` (R 4.2.2).
///
/// - `equal_var = true`: `F = [sum n_g (ȳ_g - ȳ)² / (k - 1)] /
///   [sum_g sum_i (y_gi - ȳ_g)² / (N - k)]` on `(k - 1, N - k)` df (Fisher's
///   ANOVA).
/// - `equal_var = false`: Welch (1951) with weights `w_g = n_g / s_g²`,
///   `m = sum w_g ȳ_g / sum w_g`, `λ = sum (1 - w_g / sum w)² / (n_g - 1) /
///   (k² - 1)`, `F = sum w_g (ȳ_g - m)² / ((k - 1)(1 + 2 (k - 2) λ))` on
///   `(k - 1, 1 / (3 λ))` df.
///
/// Empty groups are ignored.
///
/// # Errors
/// [`StatsError::NonFinite`]; [`StatsError::TooFewObservations`] for fewer
/// than 2 groups with data, for `N <= k` (equal variances) or a group of
/// fewer than 2 (Welch); [`StatsError::Constant`] when the within-group
/// variation is zero.
///
/// # Example
/// ```
/// use oncomark_stats::one_way_anova;
/// // groups {1,2,3} and {4,5,6}: SSB = 13.5 (1 df), SSW = 4 (4 df), F = 13.5
/// let r = one_way_anova(&[&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]], true).unwrap();
/// assert!((r.statistic - 13.5).abs() < 1e-12);
/// assert_eq!((r.df_num, r.df_den), (1.0, 4.0));
/// ```
pub fn one_way_anova(groups: &[&[f64]], equal_var: bool) -> Result<OneWayAnova> {
    for g in groups {
        check_finite("group values", g)?;
    }
    let used: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    let k = used.len();
    if k < 2 {
        return Err(StatsError::TooFewObservations {
            what: "groups with data",
            n: k,
            min: 2,
        });
    }
    let stats: Vec<(f64, f64, f64)> = used
        .iter()
        .map(|g| {
            let (m, v) = mean_var(g);
            (g.len() as f64, m, v)
        })
        .collect();
    let kf = k as f64;
    if equal_var {
        let n: f64 = stats.iter().map(|s| s.0).sum();
        if n <= kf {
            return Err(StatsError::TooFewObservations {
                what: "observations (more than the number of groups)",
                n: n as usize,
                min: k + 1,
            });
        }
        let grand = stats.iter().map(|s| s.0 * s.1).sum::<f64>() / n;
        let ssb: f64 = stats.iter().map(|s| s.0 * (s.1 - grand).powi(2)).sum();
        let ssw: f64 = stats
            .iter()
            .map(|s| if s.0 > 1.0 { (s.0 - 1.0) * s.2 } else { 0.0 })
            .sum();
        if not_positive(ssw) {
            return Err(StatsError::Constant {
                what: "every group",
            });
        }
        let (d1, d2) = (kf - 1.0, n - kf);
        let f = (ssb / d1) / (ssw / d2);
        Ok(OneWayAnova {
            method: "equal_var",
            statistic: f,
            df_num: d1,
            df_den: d2,
            p: f_sf(f, d1, d2),
        })
    } else {
        if let Some(s) = stats.iter().find(|s| s.0 < 2.0) {
            return Err(StatsError::TooFewObservations {
                what: "observations in a group (Welch)",
                n: s.0 as usize,
                min: 2,
            });
        }
        if stats.iter().any(|s| not_positive(s.2)) {
            return Err(StatsError::Constant {
                what: "a group (Welch's test needs within-group variation)",
            });
        }
        let w: Vec<f64> = stats.iter().map(|s| s.0 / s.2).collect();
        let sw: f64 = w.iter().sum();
        let m = w.iter().zip(&stats).map(|(w, s)| w * s.1).sum::<f64>() / sw;
        let lambda = w
            .iter()
            .zip(&stats)
            .map(|(w, s)| (1.0 - w / sw).powi(2) / (s.0 - 1.0))
            .sum::<f64>()
            / (kf * kf - 1.0);
        let f = w
            .iter()
            .zip(&stats)
            .map(|(w, s)| w * (s.1 - m).powi(2))
            .sum::<f64>()
            / ((kf - 1.0) * (1.0 + 2.0 * (kf - 2.0) * lambda));
        let (d1, d2) = (kf - 1.0, 1.0 / (3.0 * lambda));
        Ok(OneWayAnova {
            method: "welch",
            statistic: f,
            df_num: d1,
            df_den: d2,
            p: f_sf(f, d1, d2),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ttest::{t_test_two_sample, TTestOptions};
    use oncomark_testkit::{assert_close, tol};

    #[test]
    fn two_groups_match_the_t_tests() {
        // F = t² for two groups: Student with equal variances, Welch without
        let (x, y) = ([3.1, 4.7, 5.2, 6.9, 2.2], [2.0, 4.1, 5.5]);
        let a = one_way_anova(&[&x, &y], true).unwrap();
        let t = t_test_two_sample(&x, &y, true, &TTestOptions::default()).unwrap();
        assert_close(
            "F = t^2",
            a.statistic,
            t.statistic * t.statistic,
            tol::EXACT,
        );
        assert_close("p", a.p, t.p, 1e-12);
        let w = one_way_anova(&[&x, &y], false).unwrap();
        let tw = t_test_two_sample(&x, &y, false, &TTestOptions::default()).unwrap();
        assert_close(
            "Welch F",
            w.statistic,
            tw.statistic * tw.statistic,
            tol::EXACT,
        );
        assert_close("Welch df", w.df_den, tw.df, tol::EXACT);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            one_way_anova(&[&[1.0, 2.0]], true),
            Err(StatsError::TooFewObservations { .. })
        ));
        assert!(matches!(
            one_way_anova(&[&[1.0, 1.0], &[2.0, 2.0]], true),
            Err(StatsError::Constant { .. })
        ));
        assert!(matches!(
            one_way_anova(&[&[1.0, 2.0], &[2.0]], false),
            Err(StatsError::TooFewObservations { .. })
        ));
    }
}
