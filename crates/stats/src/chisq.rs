//! Large-sample tests for contingency tables: Pearson's chi-square (with
//! Yates' correction for 2x2), the likelihood-ratio G test, the
//! Cochran-Armitage test for trend and McNemar's (Bowker's) test.

use serde::Serialize;

use crate::common::{chisq_sf, norm_sf};
use crate::error::{Result, StatsError};
use crate::table::ContingencyTable;

/// Result of a chi-square-distributed test on a table. Field names follow
/// the `chisq` and `chisq_yates` objects of `oncomark table`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChiSquareTest {
    /// The test statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// Upper-tail P value of the chi-square distribution.
    pub p: f64,
    /// The continuity correction subtracted from each `|O - E|` (0 when
    /// none was applied).
    pub correction: f64,
    /// Expected counts under independence (`r_i c_j / N`).
    pub expected: Vec<Vec<f64>>,
    /// Warnings about the validity of the approximation (as R's
    /// "Chi-squared approximation may be incorrect").
    pub warnings: Vec<String>,
}

fn low_expected_warning(expected: &[Vec<f64>]) -> Vec<String> {
    let cells: Vec<f64> = expected.iter().flatten().copied().collect();
    let low = cells.iter().filter(|&&e| e < 5.0).count();
    if low == 0 {
        return Vec::new();
    }
    let smallest = cells.iter().copied().fold(f64::INFINITY, f64::min);
    vec![format!(
        "chi-squared approximation may be incorrect: {low} of {} expected counts are below 5 (smallest {smallest:.3}); consider Fisher's exact test",
        cells.len()
    )]
}

/// Pearson's chi-square test of independence, as R `chisq.test` (R 4.2.2).
///
/// `X² = sum_ij (|O_ij - E_ij| - c)² / E_ij` with `E_ij = r_i c_j / N` and
/// `(R - 1)(C - 1)` degrees of freedom. With `yates = true` and a 2x2
/// table, `c = min(0.5, min_ij |O_ij - E_ij|)` (Yates 1934, R's form);
/// otherwise (and always for larger tables, as R) `c = 0`. A warning is
/// returned when any expected count is below 5.
///
/// # Errors
/// [`StatsError::TableTooSmall`], [`StatsError::EmptyTable`],
/// [`StatsError::ZeroMargin`] (an empty row or column makes expected counts
/// zero).
///
/// # Example
/// ```
/// use oncomark_stats::{chi_square, ContingencyTable};
/// // Paper Table 2 (R 4.2.2 chisq.test): X² 5.4685 (P 0.0194), Yates 4.3330
/// let t = ContingencyTable::two_by_two([[4, 19], [25, 30]]).unwrap();
/// let r = chi_square(&t, false).unwrap();
/// assert!((r.statistic - 5.4685).abs() < 5e-5 && (r.p - 0.0194).abs() < 5e-5);
/// let y = chi_square(&t, true).unwrap();
/// assert!((y.statistic - 4.3330).abs() < 5e-5 && (y.p - 0.0374).abs() < 5e-5);
/// ```
pub fn chi_square(table: &ContingencyTable, yates: bool) -> Result<ChiSquareTest> {
    table.require_testable()?;
    table.require_positive_margins()?;
    let expected = table.expected();
    let obs = table.counts();
    let correction = if yates && table.is_2x2() {
        let min_dev = obs
            .iter()
            .flatten()
            .zip(expected.iter().flatten())
            .map(|(&o, &e)| (o as f64 - e).abs())
            .fold(f64::INFINITY, f64::min);
        min_dev.min(0.5)
    } else {
        0.0
    };
    let statistic: f64 = obs
        .iter()
        .flatten()
        .zip(expected.iter().flatten())
        .map(|(&o, &e)| {
            let d = (o as f64 - e).abs() - correction;
            d * d / e
        })
        .sum();
    let df = (table.n_rows() - 1) * (table.n_cols() - 1);
    Ok(ChiSquareTest {
        statistic,
        df,
        p: chisq_sf(statistic, df as f64),
        correction,
        warnings: low_expected_warning(&expected),
        expected,
    })
}

/// The likelihood-ratio (G) test of independence.
///
/// `G = 2 sum_ij O_ij ln(O_ij / E_ij)` (empty cells contribute 0) with
/// `(R - 1)(C - 1)` degrees of freedom (Agresti 2002, *Categorical Data
/// Analysis*, 3.2.1; Wilks 1938). A warning is returned when any expected
/// count is below 5.
///
/// # Errors
/// As [`chi_square`].
///
/// # Example
/// ```
/// use oncomark_stats::{g_test, ContingencyTable};
/// let t = ContingencyTable::two_by_two([[10, 0], [0, 10]]).unwrap();
/// // G = 2 * 20 * ln 2
/// assert!((g_test(&t).unwrap().statistic - 40.0 * 2f64.ln()).abs() < 1e-12);
/// ```
pub fn g_test(table: &ContingencyTable) -> Result<ChiSquareTest> {
    table.require_testable()?;
    table.require_positive_margins()?;
    let expected = table.expected();
    let statistic = 2.0
        * table
            .counts()
            .iter()
            .flatten()
            .zip(expected.iter().flatten())
            .filter(|(&o, _)| o > 0)
            .map(|(&o, &e)| o as f64 * (o as f64 / e).ln())
            .sum::<f64>();
    // rounding can make a perfect fit slightly negative
    let statistic = statistic.max(0.0);
    let df = (table.n_rows() - 1) * (table.n_cols() - 1);
    Ok(ChiSquareTest {
        statistic,
        df,
        p: chisq_sf(statistic, df as f64),
        correction: 0.0,
        warnings: low_expected_warning(&expected),
        expected,
    })
}

/// Result of the Cochran-Armitage test for trend in proportions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendTest {
    /// The chi-square statistic (1 df), as R `prop.trend.test`.
    pub statistic: f64,
    /// Degrees of freedom (always 1).
    pub df: usize,
    /// Two-sided P value (upper tail of chi-square with 1 df).
    pub p: f64,
    /// Signed statistic `z = sign(slope) sqrt(statistic)`: positive when
    /// the proportion increases with the score.
    pub z: f64,
    /// The scores used.
    pub scores: Vec<f64>,
}

/// Cochran-Armitage test for a linear trend in proportions across ordered
/// groups, as R `prop.trend.test(x, n, score)` (R 4.2.2).
///
/// With `p_i = x_i / n_i`, `p = sum x / sum n` and `s̄ = sum n_i s_i / N`,
///
/// ```text
/// X² = [sum_i x_i (s_i - s̄)]² / (p (1 - p) sum_i n_i (s_i - s̄)²)
/// ```
///
/// the regression sum of squares of the weighted regression of `p_i` on
/// `s_i` with weights `n_i / (p (1 - p))` (Cochran 1954; Armitage 1955).
/// Scores default to `1, 2, ..., k` (`scores = None`).
///
/// # Errors
/// [`StatsError::LengthMismatch`] when the slices differ in length,
/// [`StatsError::TooFewObservations`] for fewer than 2 groups,
/// [`StatsError::InvalidProportion`] when `x_i > n_i` or `n_i = 0`,
/// [`StatsError::NonFinite`] for a non-finite score,
/// [`StatsError::Undefined`] when all or no subjects respond, or when the
/// scores do not vary.
///
/// # Example
/// ```
/// use oncomark_stats::trend_test;
/// // R 4.2.2: prop.trend.test(c(15, 10, 5), c(20, 20, 20)): X² 10, P 0.001565402
/// let r = trend_test(&[15, 10, 5], &[20, 20, 20], None).unwrap();
/// assert!((r.statistic - 10.0).abs() < 1e-10);
/// assert!((r.p - 0.001565402).abs() < 1e-9);
/// assert!(r.z < 0.0);
/// ```
pub fn trend_test(successes: &[u64], totals: &[u64], scores: Option<&[f64]>) -> Result<TrendTest> {
    let k = successes.len();
    if totals.len() != k {
        return Err(StatsError::LengthMismatch {
            what: "totals",
            got: totals.len(),
            expected: k,
        });
    }
    if k < 2 {
        return Err(StatsError::TooFewObservations {
            what: "groups",
            n: k,
            min: 2,
        });
    }
    for (i, (&x, &n)) in successes.iter().zip(totals).enumerate() {
        if x > n || n == 0 {
            return Err(StatsError::InvalidProportion {
                index: i,
                successes: x,
                total: n,
            });
        }
    }
    let scores: Vec<f64> = match scores {
        Some(s) => {
            if s.len() != k {
                return Err(StatsError::LengthMismatch {
                    what: "scores",
                    got: s.len(),
                    expected: k,
                });
            }
            crate::common::check_finite("scores", s)?;
            s.to_vec()
        }
        None => (1..=k).map(|i| i as f64).collect(),
    };
    let n_tot: f64 = totals.iter().map(|&n| n as f64).sum();
    let x_tot: f64 = successes.iter().map(|&x| x as f64).sum();
    let p = x_tot / n_tot;
    if p <= 0.0 || p >= 1.0 {
        return Err(StatsError::Undefined {
            what: "the trend test",
            reason: "all or none of the subjects respond",
        });
    }
    let s_bar: f64 = totals
        .iter()
        .zip(&scores)
        .map(|(&n, &s)| n as f64 * s)
        .sum::<f64>()
        / n_tot;
    let num: f64 = successes
        .iter()
        .zip(&scores)
        .map(|(&x, &s)| x as f64 * (s - s_bar))
        .sum();
    let ss: f64 = totals
        .iter()
        .zip(&scores)
        .map(|(&n, &s)| n as f64 * (s - s_bar) * (s - s_bar))
        .sum();
    if ss <= 0.0 {
        return Err(StatsError::Undefined {
            what: "the trend test",
            reason: "the scores of the groups do not vary",
        });
    }
    let statistic = num * num / (p * (1.0 - p) * ss);
    let z = num.signum() * statistic.sqrt();
    Ok(TrendTest {
        statistic,
        df: 1,
        // two-sided normal tail = chi-square(1) upper tail
        p: chisq_sf(statistic, 1.0),
        z,
        scores,
    })
}

/// The trend test on a table: rows are the ordered groups when the table
/// has 2 columns (column 0 counts the responders); columns are the groups
/// when it has 2 rows and more than 2 columns (row 0 counts responders).
///
/// # Errors
/// [`StatsError::WrongShape`] unless the table is 2xK or Kx2; otherwise as
/// [`trend_test`].
///
/// ```
/// use oncomark_stats::{trend_test_table, ContingencyTable};
/// let t = ContingencyTable::new(vec![vec![15, 5], vec![10, 10], vec![5, 15]]).unwrap();
/// assert!((trend_test_table(&t, None).unwrap().statistic - 10.0).abs() < 1e-10);
/// ```
pub fn trend_test_table(table: &ContingencyTable, scores: Option<&[f64]>) -> Result<TrendTest> {
    let t = if table.n_cols() == 2 {
        table.clone()
    } else if table.n_rows() == 2 {
        table.transpose()
    } else {
        return Err(StatsError::WrongShape {
            test: "the trend test",
            expected: "Kx2 or 2xK",
            rows: table.n_rows(),
            cols: table.n_cols(),
        });
    };
    let x: Vec<u64> = t.counts().iter().map(|r| r[0]).collect();
    trend_test(&x, t.row_totals(), scores)
}

/// Result of McNemar's test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McNemarTest {
    /// The chi-square statistic.
    pub statistic: f64,
    /// Degrees of freedom, `k (k - 1) / 2`.
    pub df: usize,
    /// Upper-tail chi-square P value.
    pub p: f64,
    /// Whether the continuity correction was applied.
    pub corrected: bool,
}

/// McNemar's test of symmetry for a square table of paired categories (for
/// k > 2 Bowker's test), as R `mcnemar.test` (R 4.2.2).
///
/// `X² = sum_{i<j} (|n_ij - n_ji| - c)² / (n_ij + n_ji)` with
/// `k (k - 1) / 2` degrees of freedom (McNemar 1947; Bowker 1948), where
/// `c = 1` for a 2x2 table with `correct = true` and at least one
/// discordant cell, else 0.
///
/// # Errors
/// [`StatsError::WrongShape`] unless the table is square and at least 2x2,
/// [`StatsError::NoDiscordantPairs`] when `n_ij + n_ji = 0` for a pair
/// (R gives NaN).
///
/// # Example
/// ```
/// use oncomark_stats::{mcnemar, ContingencyTable};
/// // R 4.2.2: mcnemar.test(matrix(c(10, 5, 15, 20), 2)): X² 4.05, P 0.04417134
/// let t = ContingencyTable::two_by_two([[10, 15], [5, 20]]).unwrap();
/// let r = mcnemar(&t, true).unwrap();
/// assert!((r.statistic - 4.05).abs() < 1e-12);
/// assert!((r.p - 0.04417134).abs() < 1e-8);
/// ```
pub fn mcnemar(table: &ContingencyTable, correct: bool) -> Result<McNemarTest> {
    let k = table.n_rows();
    if k != table.n_cols() || k < 2 {
        return Err(StatsError::WrongShape {
            test: "McNemar's test",
            expected: "square (k x k, k >= 2)",
            rows: k,
            cols: table.n_cols(),
        });
    }
    let n = table.counts();
    let corrected = correct && k == 2 && n[0][1] != n[1][0];
    let c = if corrected { 1.0 } else { 0.0 };
    let mut statistic = 0.0;
    for i in 0..k {
        for j in i + 1..k {
            let s = n[i][j] + n[j][i];
            if s == 0 {
                return Err(StatsError::NoDiscordantPairs { i, j });
            }
            let d = (n[i][j] as f64 - n[j][i] as f64).abs() - c;
            statistic += d * d / s as f64;
        }
    }
    let df = k * (k - 1) / 2;
    Ok(McNemarTest {
        statistic,
        df,
        p: chisq_sf(statistic, df as f64),
        corrected,
    })
}

/// Two-sided normal P value of a signed statistic (used by the effect-size
/// helpers).
pub(crate) fn two_sided_normal_p(z: f64) -> f64 {
    (2.0 * norm_sf(z.abs())).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, tol};

    #[test]
    fn hand_computed_chi_square() {
        // [[10, 0], [0, 10]]: E = 5 everywhere, X² = 4 * 25 / 5 = 20;
        // Yates: c = 0.5, X² = 4 * 4.5² / 5 = 16.2
        let t = ContingencyTable::two_by_two([[10, 0], [0, 10]]).unwrap();
        assert_close(
            "x2",
            chi_square(&t, false).unwrap().statistic,
            20.0,
            tol::EXACT,
        );
        let y = chi_square(&t, true).unwrap();
        assert_close("yates", y.statistic, 16.2, tol::EXACT);
        assert_eq!(y.correction, 0.5);
        // independence: X² = 0 and the Yates correction is capped at |O - E| = 0
        let ind = ContingencyTable::two_by_two([[2, 4], [3, 6]]).unwrap();
        let r = chi_square(&ind, true).unwrap();
        assert_eq!(r.correction, 0.0);
        assert_close("ind", r.statistic + 1.0, 1.0, tol::EXACT);
        assert_close("p", r.p, 1.0, tol::EXACT);
    }

    #[test]
    fn warns_on_small_expected_and_rejects_empty_margin() {
        let t = ContingencyTable::two_by_two([[1, 2], [3, 4]]).unwrap();
        let r = chi_square(&t, false).unwrap();
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].contains("4 of 4 expected counts are below 5"));
        let z = ContingencyTable::new(vec![vec![1, 0, 2], vec![3, 0, 4]]).unwrap();
        assert_eq!(
            chi_square(&z, false),
            Err(StatsError::ZeroMargin {
                margin: "column",
                index: 1
            })
        );
    }

    #[test]
    fn yates_ignored_beyond_2x2() {
        let t = ContingencyTable::new(vec![vec![5, 9, 4], vec![7, 3, 8]]).unwrap();
        assert_eq!(
            chi_square(&t, true).unwrap(),
            chi_square(&t, false).unwrap()
        );
    }

    #[test]
    fn trend_is_invariant_to_linear_score_change_and_flips_sign() {
        let (x, n) = ([3u64, 6, 9, 14], [20u64, 21, 19, 22]);
        let a = trend_test(&x, &n, None).unwrap();
        let b = trend_test(&x, &n, Some(&[10.0, 20.0, 30.0, 40.0])).unwrap();
        assert_close("affine", a.statistic, b.statistic, tol::EXACT);
        let c = trend_test(&x, &n, Some(&[4.0, 3.0, 2.0, 1.0])).unwrap();
        assert_close("reversed", c.z, -a.z, tol::EXACT);
        assert!(matches!(
            trend_test(&[0, 0], &[5, 5], None),
            Err(StatsError::Undefined { .. })
        ));
        assert!(matches!(
            trend_test(&[6, 0], &[5, 5], None),
            Err(StatsError::InvalidProportion { index: 0, .. })
        ));
    }

    #[test]
    fn mcnemar_hand_computed_and_errors() {
        // b = 15, c = 5: uncorrected (10)² / 20 = 5
        let t = ContingencyTable::two_by_two([[10, 15], [5, 20]]).unwrap();
        assert_close(
            "uncorrected",
            mcnemar(&t, false).unwrap().statistic,
            5.0,
            tol::EXACT,
        );
        let z = ContingencyTable::two_by_two([[10, 0], [0, 20]]).unwrap();
        assert_eq!(
            mcnemar(&z, true),
            Err(StatsError::NoDiscordantPairs { i: 0, j: 1 })
        );
        let r = ContingencyTable::new(vec![vec![1, 2, 3], vec![4, 5, 6]]).unwrap();
        assert!(matches!(
            mcnemar(&r, true),
            Err(StatsError::WrongShape { .. })
        ));
    }
}
