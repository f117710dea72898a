//! Student's, Welch's, paired and one-sample t-tests, as R `t.test`.

use serde::Serialize;

use crate::common::{
    check_conf_level, check_finite, mean_var, p_from_tails, t_cdf, t_sf, t_upper_quantile,
    Alternative,
};
use crate::error::{Result, StatsError};

/// Which t-test was run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TTestKind {
    /// Two samples, pooled variance.
    Student,
    /// Two samples, Welch-Satterthwaite degrees of freedom.
    Welch,
    /// Paired samples (one-sample test of the differences).
    Paired,
    /// One sample against `mu`.
    OneSample,
}

/// Options shared by the t-tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TTestOptions {
    /// Alternative hypothesis.
    pub alternative: Alternative,
    /// Null value of the mean (one sample), of the mean difference (paired)
    /// or of the difference of means (two samples).
    pub mu: f64,
    /// Confidence level of the interval.
    pub conf_level: f64,
}

impl Default for TTestOptions {
    fn default() -> Self {
        Self {
            alternative: Alternative::TwoSided,
            mu: 0.0,
            conf_level: 0.95,
        }
    }
}

/// Summary of one sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    /// Label of the group, when the caller sets one (see
    /// [`TTest::with_group_labels`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Number of observations.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Standard deviation (denominator n - 1; NaN for n = 1).
    pub sd: f64,
}

/// Result of a t-test. Field names follow `oncomark ttest` in the CLI
/// contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TTest {
    /// Which test.
    pub test: TTestKind,
    /// The t statistic.
    pub statistic: f64,
    /// Degrees of freedom (fractional for Welch).
    pub df: f64,
    /// P value for the chosen alternative.
    pub p: f64,
    /// The mean (one sample), mean difference (paired) or difference of
    /// means, first group minus second (two samples).
    pub estimate: f64,
    /// Lower confidence limit (`-inf`, serialized as `null`, for `less`).
    pub lower: f64,
    /// Upper confidence limit (`+inf` for `greater`).
    pub upper: f64,
    /// Standard error of the estimate.
    pub se: f64,
    /// The null value.
    pub mu: f64,
    /// Alternative hypothesis.
    pub alternative: Alternative,
    /// Confidence level.
    pub conf_level: f64,
    /// Summaries of the samples (one for a one-sample test; two otherwise,
    /// in input order).
    pub groups: Vec<GroupSummary>,
}

impl TTest {
    /// Attach labels to the group summaries, in order.
    pub fn with_group_labels<S: Into<String>>(
        mut self,
        labels: impl IntoIterator<Item = S>,
    ) -> Self {
        for (g, l) in self.groups.iter_mut().zip(labels) {
            g.group = Some(l.into());
        }
        self
    }
}

fn summary(x: &[f64]) -> GroupSummary {
    let (mean, var) = mean_var(x);
    GroupSummary {
        group: None,
        n: x.len(),
        mean,
        sd: var.sqrt(),
    }
}

/// Shared ending of every t-test: statistic, P and interval from an
/// estimate, its standard error and df (R's `t.test` construction).
fn finish(
    test: TTestKind,
    estimate: f64,
    se: f64,
    df: f64,
    opts: &TTestOptions,
    groups: Vec<GroupSummary>,
) -> TTest {
    let t = (estimate - opts.mu) / se;
    let p = p_from_tails(opts.alternative, t_cdf(t, df), t_sf(t, df));
    let (lower, upper) = match opts.alternative {
        Alternative::TwoSided => {
            let q = t_upper_quantile((1.0 - opts.conf_level) / 2.0, df);
            (estimate - q * se, estimate + q * se)
        }
        Alternative::Less => (
            f64::NEG_INFINITY,
            estimate + t_upper_quantile(1.0 - opts.conf_level, df) * se,
        ),
        Alternative::Greater => (
            estimate - t_upper_quantile(1.0 - opts.conf_level, df) * se,
            f64::INFINITY,
        ),
    };
    TTest {
        test,
        statistic: t,
        df,
        p,
        estimate,
        lower,
        upper,
        se,
        mu: opts.mu,
        alternative: opts.alternative,
        conf_level: opts.conf_level,
        groups,
    }
}

fn check_sample(what: &'static str, x: &[f64], min: usize) -> Result<()> {
    check_finite(what, x)?;
    if x.len() < min {
        return Err(StatsError::TooFewObservations {
            what,
            n: x.len(),
            min,
        });
    }
    Ok(())
}

fn check_opts(opts: &TTestOptions) -> Result<()> {
    check_conf_level(opts.conf_level)?;
    if !opts.mu.is_finite() {
        return Err(StatsError::InvalidParameter {
            what: "mu",
            value: opts.mu,
            reason: "the null value must be finite",
        });
    }
    Ok(())
}

/// R's "data are essentially constant" check: the standard error is below
/// `10 eps` times the size of the means.
fn check_not_constant(se: f64, scale: f64) -> Result<()> {
    if se.is_nan() || se < 10.0 * f64::EPSILON * scale.abs() || se == 0.0 {
        return Err(StatsError::Constant { what: "the data" });
    }
    Ok(())
}

/// One-sample t-test of `mean(x) = mu`, as R `t.test(x, mu = mu)`
/// (R 4.2.2).
///
/// `t = (x̄ - mu) / (s / sqrt(n))` with `n - 1` df; the interval is
/// `x̄ ± t_{1-α/2, n-1} s / sqrt(n)` (one-sided bounds for one-sided
/// alternatives). Student (1908).
///
/// # Errors
/// [`StatsError::NonFinite`], [`StatsError::TooFewObservations`] (n < 2),
/// [`StatsError::Constant`], [`StatsError::InvalidConfLevel`],
/// [`StatsError::InvalidParameter`] for a non-finite `mu`.
///
/// # Example
/// ```
/// use oncomark_stats::{t_test_one_sample, TTestOptions};
/// let r = t_test_one_sample(&[1.0, 2.0, 3.0], &TTestOptions::default()).unwrap();
/// // mean 2, se 1/sqrt(3): t = 2 sqrt(3)
/// assert!((r.statistic - 2.0 * 3f64.sqrt()).abs() < 1e-12);
/// assert_eq!(r.df, 2.0);
/// ```
pub fn t_test_one_sample(x: &[f64], opts: &TTestOptions) -> Result<TTest> {
    check_opts(opts)?;
    check_sample("x", x, 2)?;
    let g = summary(x);
    let se = g.sd / (x.len() as f64).sqrt();
    check_not_constant(se, g.mean)?;
    let (estimate, df) = (g.mean, x.len() as f64 - 1.0);
    Ok(finish(
        TTestKind::OneSample,
        estimate,
        se,
        df,
        opts,
        vec![g],
    ))
}

/// Paired t-test: the one-sample test of the differences `x_i - y_i`, as R
/// `t.test(x, y, paired = TRUE)`. The estimate is the mean difference.
///
/// # Errors
/// As [`t_test_one_sample`], plus [`StatsError::LengthMismatch`].
///
/// # Example
/// ```
/// use oncomark_stats::{t_test_paired, TTestOptions};
/// let r = t_test_paired(&[5.0, 6.0, 9.0], &[4.0, 4.0, 6.0], &TTestOptions::default()).unwrap();
/// assert!((r.estimate - 2.0).abs() < 1e-12);
/// ```
pub fn t_test_paired(x: &[f64], y: &[f64], opts: &TTestOptions) -> Result<TTest> {
    check_opts(opts)?;
    if x.len() != y.len() {
        return Err(StatsError::LengthMismatch {
            what: "y",
            got: y.len(),
            expected: x.len(),
        });
    }
    check_sample("x", x, 2)?;
    check_sample("y", y, 2)?;
    let d: Vec<f64> = x.iter().zip(y).map(|(a, b)| a - b).collect();
    let dg = summary(&d);
    let se = dg.sd / (d.len() as f64).sqrt();
    check_not_constant(se, dg.mean)?;
    Ok(finish(
        TTestKind::Paired,
        dg.mean,
        se,
        d.len() as f64 - 1.0,
        opts,
        vec![summary(x), summary(y)],
    ))
}

/// Two-sample t-test of `mean(x) - mean(y) = mu`, as R `t.test(x, y,
/// var.equal = equal_var)` (R 4.2.2).
///
/// - Student (`equal_var = true`): pooled variance
///   `s² = ((n_x - 1) s_x² + (n_y - 1) s_y²) / (n_x + n_y - 2)`,
///   `se = s sqrt(1/n_x + 1/n_y)`, `n_x + n_y - 2` df.
/// - Welch: `se² = s_x²/n_x + s_y²/n_y`, df by Welch-Satterthwaite
///   `se⁴ / ((s_x²/n_x)²/(n_x - 1) + (s_y²/n_y)²/(n_y - 1))` (Welch 1947).
///
/// The estimate is `x̄ - ȳ`.
///
/// # Errors
/// [`StatsError::NonFinite`], [`StatsError::TooFewObservations`] (Welch:
/// each sample needs 2; Student: 1 each and 3 in all),
/// [`StatsError::Constant`], [`StatsError::InvalidConfLevel`].
///
/// # Example
/// ```
/// use oncomark_stats::{t_test_two_sample, TTestOptions};
/// // CLI contract / R 4.2.2: t = -3.998626, df 4, P 0.01614854;
/// // Welch df 3.349954, P 0.02277451
/// let (a, b) = ([62.1, 55.4, 70.3], [81.0, 88.2, 79.5]);
/// let s = t_test_two_sample(&a, &b, true, &TTestOptions::default()).unwrap();
/// assert!((s.statistic + 3.998626).abs() < 5e-7 && (s.p - 0.01614854).abs() < 5e-9);
/// let w = t_test_two_sample(&a, &b, false, &TTestOptions::default()).unwrap();
/// assert!((w.df - 3.349954).abs() < 5e-7 && (w.p - 0.02277451).abs() < 5e-9);
/// ```
pub fn t_test_two_sample(
    x: &[f64],
    y: &[f64],
    equal_var: bool,
    opts: &TTestOptions,
) -> Result<TTest> {
    check_opts(opts)?;
    let min = if equal_var { 1 } else { 2 };
    check_sample("x", x, min)?;
    check_sample("y", y, min)?;
    let (gx, gy) = (summary(x), summary(y));
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let (vx, vy) = (gx.sd * gx.sd, gy.sd * gy.sd);
    let (se, df, kind) = if equal_var {
        if x.len() + y.len() < 3 {
            return Err(StatsError::TooFewObservations {
                what: "x and y together",
                n: x.len() + y.len(),
                min: 3,
            });
        }
        let df = nx + ny - 2.0;
        let mut v = 0.0;
        if nx > 1.0 {
            v += (nx - 1.0) * vx;
        }
        if ny > 1.0 {
            v += (ny - 1.0) * vy;
        }
        v /= df;
        ((v * (1.0 / nx + 1.0 / ny)).sqrt(), df, TTestKind::Student)
    } else {
        let (ax, ay) = (vx / nx, vy / ny);
        let se2 = ax + ay;
        let df = se2 * se2 / (ax * ax / (nx - 1.0) + ay * ay / (ny - 1.0));
        (se2.sqrt(), df, TTestKind::Welch)
    };
    check_not_constant(se, gx.mean.abs().max(gy.mean.abs()))?;
    Ok(finish(kind, gx.mean - gy.mean, se, df, opts, vec![gx, gy]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, tol};

    #[test]
    fn constant_data_is_an_error() {
        assert_eq!(
            t_test_one_sample(&[2.0, 2.0, 2.0], &TTestOptions::default()),
            Err(StatsError::Constant { what: "the data" })
        );
        assert!(matches!(
            t_test_two_sample(&[1.0], &[2.0, 3.0], false, &TTestOptions::default()),
            Err(StatsError::TooFewObservations { .. })
        ));
        assert!(matches!(
            t_test_one_sample(&[1.0, f64::NAN], &TTestOptions::default()),
            Err(StatsError::NonFinite { index: 1, .. })
        ));
    }

    #[test]
    fn student_allows_a_singleton_group() {
        // R: t.test(5, c(1, 2, 3), var.equal = TRUE): pooled var = 1 (from y)
        let r =
            t_test_two_sample(&[5.0], &[1.0, 2.0, 3.0], true, &TTestOptions::default()).unwrap();
        assert_close(
            "t",
            r.statistic,
            3.0 / (1.0f64 + 1.0 / 3.0).sqrt(),
            tol::EXACT,
        );
        assert_eq!(r.df, 2.0);
    }

    #[test]
    fn paired_equals_one_sample_of_differences_and_labels_attach() {
        let (x, y) = ([3.1, 4.7, 5.2, 6.9], [2.0, 4.1, 5.5, 5.0]);
        let d: Vec<f64> = x.iter().zip(&y).map(|(a, b)| a - b).collect();
        let o = TTestOptions {
            mu: 0.3,
            alternative: Alternative::Greater,
            conf_level: 0.9,
        };
        let p = t_test_paired(&x, &y, &o).unwrap();
        let s = t_test_one_sample(&d, &o).unwrap();
        assert_close("t", p.statistic, s.statistic, tol::EXACT);
        assert_close("p", p.p, s.p, tol::EXACT);
        assert_eq!(p.upper, f64::INFINITY);
        let labelled = p.with_group_labels(["a", "b"]);
        assert_eq!(labelled.groups[1].group.as_deref(), Some("b"));
    }
}
