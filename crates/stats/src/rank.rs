//! Rank tests: Wilcoxon rank-sum (Mann-Whitney), Wilcoxon signed-rank and
//! Kruskal-Wallis, as R `wilcox.test` and `kruskal.test`.

use serde::Serialize;

use crate::common::{
    average_ranks, check_finite, chisq_sf, norm_cdf, norm_sf, not_positive, Alternative,
};
use crate::error::{Result, StatsError};

/// Samples below this size (each, or the non-zero differences) get an exact
/// P value when there are no ties, as R (`n < 50`).
pub const EXACT_BELOW: usize = 50;

/// Options of the Wilcoxon tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankTestOptions {
    /// Alternative hypothesis.
    pub alternative: Alternative,
    /// Null location shift (rank sum) or center (signed rank).
    pub mu: f64,
    /// `None`: exact when the samples are small (< [`EXACT_BELOW`]) and
    /// untied, as R's default; `Some(true)`: exact whenever there are no
    /// ties (and no zero differences); `Some(false)`: normal approximation.
    pub exact: Option<bool>,
    /// Continuity correction of the normal approximation (R's default
    /// `correct = TRUE`).
    pub correct: bool,
}

impl Default for RankTestOptions {
    fn default() -> Self {
        Self {
            alternative: Alternative::TwoSided,
            mu: 0.0,
            exact: None,
            correct: true,
        }
    }
}

/// Which Wilcoxon test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WilcoxonKind {
    /// Two-sample rank-sum test (statistic W).
    RankSum,
    /// One-sample or paired signed-rank test (statistic V).
    SignedRank,
}

/// Result of a Wilcoxon test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WilcoxonTest {
    /// Which test.
    pub test: WilcoxonKind,
    /// R's statistic: W = rank sum of `x` minus `n_x (n_x + 1) / 2`
    /// (rank sum), or V = sum of the ranks of the positive differences
    /// (signed rank).
    pub statistic: f64,
    /// P value for the chosen alternative.
    pub p: f64,
    /// Whether the P value is exact (otherwise normal approximation).
    pub exact: bool,
    /// Whether a continuity correction was applied.
    pub corrected: bool,
    /// Alternative hypothesis.
    pub alternative: Alternative,
    /// Null location.
    pub mu: f64,
    /// Sample sizes used (`[n_x, n_y]` or `[n]` after dropping zero
    /// differences).
    pub n: Vec<usize>,
    /// Number of zero differences dropped (signed rank).
    pub zeros_dropped: usize,
    /// Notes, e.g. that ties prevented an exact P value.
    pub warnings: Vec<String>,
}

/// Null distribution of the Mann-Whitney statistic: `p[u]` is the
/// probability that `u` of the (x, y) pairs have `x > y` among `m` x's and
/// `n` y's. Recursion on the largest observation (Mann & Whitney 1947),
/// written with probabilities so that large samples cannot overflow:
/// `p_{m,n}(u) = m/(m+n) p_{m-1,n}(u - n) + n/(m+n) p_{m,n-1}(u)`.
fn rank_sum_distribution(m: usize, n: usize) -> Vec<f64> {
    // rows over j = 0..=n for the current i; i = 0: p_{0,j}(0) = 1
    let mut prev: Vec<Vec<f64>> = (0..=n).map(|_| vec![1.0]).collect();
    for i in 1..=m {
        let mut cur: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
        cur.push(vec![1.0]); // p_{i,0}(0) = 1
        for j in 1..=n {
            let (wi, wj) = (i as f64 / (i + j) as f64, j as f64 / (i + j) as f64);
            let mut v = vec![0.0; i * j + 1];
            for (u, &c) in cur[j - 1].iter().enumerate() {
                v[u] += wj * c;
            }
            for (u, &c) in prev[j].iter().enumerate() {
                v[u + j] += wi * c;
            }
            cur.push(v);
        }
        prev = cur;
    }
    prev.pop().unwrap_or_else(|| vec![1.0])
}

/// Null distribution of the signed-rank statistic: `p[v]` = probability
/// that a random subset of `{1, ..., n}` sums to `v`
/// (`p_n(v) = (p_{n-1}(v) + p_{n-1}(v - n)) / 2`).
fn signed_rank_distribution(n: usize) -> Vec<f64> {
    let max = n * (n + 1) / 2;
    let mut c = vec![0.0; max + 1];
    c[0] = 1.0;
    for k in 1..=n {
        for v in (0..=k * (k + 1) / 2).rev() {
            let add = if v >= k { c[v - k] } else { 0.0 };
            c[v] = 0.5 * (c[v] + add);
        }
    }
    c
}

/// Largest `m n min(m, n)` (work and memory of the exact rank-sum
/// distribution) for which an exact P value is computed on request.
const EXACT_RANK_SUM_WORK: usize = 50_000_000;

/// Largest number of non-zero differences for which an exact signed-rank
/// P value is computed on request (work grows as `n³`).
const EXACT_SIGNED_RANK_MAX_N: usize = 1000;

/// `P(S <= q)` and `P(S >= q)` from a distribution on `0, 1, 2, ...`.
fn tails(dist: &[f64], q: f64) -> (f64, f64) {
    let mut lower = 0.0;
    let mut upper = 0.0;
    for (u, &c) in dist.iter().enumerate() {
        let u = u as f64;
        if u <= q.floor() {
            lower += c;
        }
        if u >= q.ceil() {
            upper += c;
        }
    }
    (lower.min(1.0), upper.min(1.0))
}

/// Exact P of a statistic with symmetric distribution `counts` centred at
/// `center`, as R: two-sided doubles the smaller tail starting from the
/// observed side.
fn exact_p(counts: &[f64], stat: f64, center: f64, alt: Alternative) -> f64 {
    let (lower, upper) = tails(counts, stat);
    match alt {
        Alternative::Less => lower,
        Alternative::Greater => upper,
        Alternative::TwoSided => {
            let p = if stat > center { upper } else { lower };
            (2.0 * p).min(1.0)
        }
    }
}

/// Normal approximation with R's continuity correction.
fn normal_p(z_raw: f64, sigma: f64, alt: Alternative, correct: bool) -> f64 {
    let corr = if correct {
        match alt {
            Alternative::TwoSided => 0.5 * z_raw.signum(),
            Alternative::Greater => 0.5,
            Alternative::Less => -0.5,
        }
    } else {
        0.0
    };
    let z = (z_raw - corr) / sigma;
    match alt {
        Alternative::Less => norm_cdf(z),
        Alternative::Greater => norm_sf(z),
        Alternative::TwoSided => (2.0 * norm_cdf(z).min(norm_sf(z))).min(1.0),
    }
}

fn check_mu(mu: f64) -> Result<()> {
    if mu.is_finite() {
        Ok(())
    } else {
        Err(StatsError::InvalidParameter {
            what: "mu",
            value: mu,
            reason: "the null location must be finite",
        })
    }
}

const TIES_NOTE: &str =
    "cannot compute an exact P value with ties; the normal approximation is used";

/// Wilcoxon rank-sum (Mann-Whitney) test of a location shift `mu` between
/// `x` and `y`, as R `wilcox.test(x, y, mu = mu)` (R 4.2.2).
///
/// The samples are ranked together (`x - mu` and `y`; ties get average
/// ranks) and `W = R_x - n_x (n_x + 1) / 2`, where `R_x` is the rank sum of
/// `x`. Without ties and with both samples below [`EXACT_BELOW`] (R's
/// default) the P value is exact, from the Mann-Whitney counting
/// recursion; otherwise `z = (W - n_x n_y / 2 - c) / σ` with
/// `σ² = n_x n_y / 12 [(N + 1) - sum (t³ - t) / (N (N - 1))]` over tie
/// groups of size `t`, and continuity correction `c = ±0.5` towards the
/// alternative (Wilcoxon 1945; Mann & Whitney 1947; Hollander & Wolfe
/// 1999, 4.1).
///
/// # Errors
/// [`StatsError::NonFinite`], [`StatsError::TooFewObservations`] (each
/// sample needs 1), [`StatsError::InvalidParameter`] for a non-finite `mu`.
///
/// # Example
/// ```
/// use oncomark_stats::{wilcoxon_rank_sum, RankTestOptions};
/// // every x below every y: W = 0, exact two-sided P = 2 / C(7, 3) (R 4.2.2)
/// let r = wilcoxon_rank_sum(&[1.1, 2.2, 3.3], &[4.4, 5.5, 6.6, 7.7], &RankTestOptions::default()).unwrap();
/// assert_eq!(r.statistic, 0.0);
/// assert!((r.p - 2.0 / 35.0).abs() < 1e-15);
/// ```
pub fn wilcoxon_rank_sum(x: &[f64], y: &[f64], opts: &RankTestOptions) -> Result<WilcoxonTest> {
    check_finite("x", x)?;
    check_finite("y", y)?;
    check_mu(opts.mu)?;
    for (what, s) in [("x", x), ("y", y)] {
        if s.is_empty() {
            return Err(StatsError::TooFewObservations { what, n: 0, min: 1 });
        }
    }
    let (nx, ny) = (x.len(), y.len());
    let all: Vec<f64> = x
        .iter()
        .map(|v| v - opts.mu)
        .chain(y.iter().copied())
        .collect();
    let (ranks, ties) = average_ranks(&all);
    let w = ranks[..nx].iter().sum::<f64>() - (nx * (nx + 1)) as f64 / 2.0;
    let has_ties = ties.iter().any(|&t| t > 1);
    let mut want_exact = opts.exact.unwrap_or(nx < EXACT_BELOW && ny < EXACT_BELOW);
    let mut warnings = Vec::new();
    if want_exact && nx.saturating_mul(ny).saturating_mul(nx.min(ny)) > EXACT_RANK_SUM_WORK {
        want_exact = false;
        warnings.push(
            "the samples are too large for the exact distribution; the normal approximation is used"
                .to_string(),
        );
    }
    if want_exact && has_ties {
        warnings.push(TIES_NOTE.to_string());
    }
    let exact = want_exact && !has_ties;
    let (p, corrected) = if exact {
        let counts = rank_sum_distribution(nx, ny);
        (
            exact_p(&counts, w, (nx * ny) as f64 / 2.0, opts.alternative),
            false,
        )
    } else {
        let (fx, fy) = (nx as f64, ny as f64);
        let n = fx + fy;
        let tie_sum: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
        let sigma = (fx * fy / 12.0 * ((n + 1.0) - tie_sum / (n * (n - 1.0)))).sqrt();
        if not_positive(sigma) {
            return Err(StatsError::Constant {
                what: "the pooled sample",
            });
        }
        (
            normal_p(w - fx * fy / 2.0, sigma, opts.alternative, opts.correct),
            opts.correct,
        )
    };
    Ok(WilcoxonTest {
        test: WilcoxonKind::RankSum,
        statistic: w,
        p,
        exact,
        corrected,
        alternative: opts.alternative,
        mu: opts.mu,
        n: vec![nx, ny],
        zeros_dropped: 0,
        warnings,
    })
}

/// Wilcoxon signed-rank test of symmetry about `mu`, as R
/// `wilcox.test(x, mu = mu)` (R 4.2.2).
///
/// Zero differences `x - mu` are dropped; the absolute differences are
/// ranked (average ranks for ties) and `V` is the rank sum of the positive
/// ones. Without ties or zeros and with fewer than [`EXACT_BELOW`]
/// differences the P value is exact (subset-sum counts); otherwise
/// `z = (V - n (n + 1) / 4 - c) / σ`, `σ² = n (n + 1)(2n + 1) / 24 -
/// sum (t³ - t) / 48`, with the continuity correction of R (Wilcoxon 1945;
/// Hollander & Wolfe 1999, 3.1).
///
/// # Errors
/// [`StatsError::NonFinite`], [`StatsError::TooFewObservations`] when no
/// non-zero difference remains, [`StatsError::InvalidParameter`] for a
/// non-finite `mu`.
///
/// # Example
/// ```
/// use oncomark_stats::{wilcoxon_signed_rank, RankTestOptions, Alternative};
/// // R 4.2.2: wilcox.test(c(1.5, 2.25, -0.5, 3.75, 4.1), alternative = "greater")
/// // V = 14, exact P = 2/32
/// let o = RankTestOptions { alternative: Alternative::Greater, ..Default::default() };
/// let r = wilcoxon_signed_rank(&[1.5, 2.25, -0.5, 3.75, 4.1], &o).unwrap();
/// assert_eq!(r.statistic, 14.0);
/// assert!((r.p - 0.0625).abs() < 1e-15);
/// ```
pub fn wilcoxon_signed_rank(x: &[f64], opts: &RankTestOptions) -> Result<WilcoxonTest> {
    check_finite("x", x)?;
    check_mu(opts.mu)?;
    let d: Vec<f64> = x.iter().map(|v| v - opts.mu).collect();
    let nonzero: Vec<f64> = d.iter().copied().filter(|&v| v != 0.0).collect();
    let zeros = d.len() - nonzero.len();
    let n = nonzero.len();
    if n == 0 {
        return Err(StatsError::TooFewObservations {
            what: "non-zero differences",
            n: 0,
            min: 1,
        });
    }
    let abs: Vec<f64> = nonzero.iter().map(|v| v.abs()).collect();
    let (ranks, ties) = average_ranks(&abs);
    let v: f64 = ranks
        .iter()
        .zip(&nonzero)
        .filter(|(_, &d)| d > 0.0)
        .map(|(r, _)| r)
        .sum();
    let has_ties = ties.iter().any(|&t| t > 1);
    let mut want_exact = opts.exact.unwrap_or(n < EXACT_BELOW);
    let mut warnings = Vec::new();
    if want_exact && n > EXACT_SIGNED_RANK_MAX_N {
        want_exact = false;
        warnings.push(
            "the sample is too large for the exact distribution; the normal approximation is used"
                .to_string(),
        );
    }
    if want_exact && has_ties {
        warnings.push(TIES_NOTE.to_string());
    }
    if want_exact && zeros > 0 {
        warnings.push(
            "cannot compute an exact P value with zero differences; the normal approximation is used"
                .to_string(),
        );
    }
    let exact = want_exact && !has_ties && zeros == 0;
    let fnn = n as f64;
    let (p, corrected) = if exact {
        let counts = signed_rank_distribution(n);
        (
            exact_p(&counts, v, fnn * (fnn + 1.0) / 4.0, opts.alternative),
            false,
        )
    } else {
        let tie_sum: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
        let sigma = (fnn * (fnn + 1.0) * (2.0 * fnn + 1.0) / 24.0 - tie_sum / 48.0).sqrt();
        (
            normal_p(
                v - fnn * (fnn + 1.0) / 4.0,
                sigma,
                opts.alternative,
                opts.correct,
            ),
            opts.correct,
        )
    };
    Ok(WilcoxonTest {
        test: WilcoxonKind::SignedRank,
        statistic: v,
        p,
        exact,
        corrected,
        alternative: opts.alternative,
        mu: opts.mu,
        n: vec![n],
        zeros_dropped: zeros,
        warnings,
    })
}

/// Paired Wilcoxon signed-rank test: the signed-rank test of `x_i - y_i`,
/// as R `wilcox.test(x, y, paired = TRUE)`.
///
/// # Errors
/// [`StatsError::LengthMismatch`], and as [`wilcoxon_signed_rank`].
///
/// ```
/// use oncomark_stats::{wilcoxon_signed_rank_paired, RankTestOptions};
/// let r = wilcoxon_signed_rank_paired(&[5.0, 7.0, 9.5], &[4.0, 4.5, 6.0], &Default::default()).unwrap();
/// assert_eq!(r.statistic, 6.0);
/// ```
pub fn wilcoxon_signed_rank_paired(
    x: &[f64],
    y: &[f64],
    opts: &RankTestOptions,
) -> Result<WilcoxonTest> {
    if x.len() != y.len() {
        return Err(StatsError::LengthMismatch {
            what: "y",
            got: y.len(),
            expected: x.len(),
        });
    }
    check_finite("x", x)?;
    check_finite("y", y)?;
    let d: Vec<f64> = x.iter().zip(y).map(|(a, b)| a - b).collect();
    wilcoxon_signed_rank(&d, opts)
}

/// Result of the Kruskal-Wallis test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KruskalWallis {
    /// The tie-corrected H statistic.
    pub statistic: f64,
    /// Degrees of freedom (groups - 1).
    pub df: usize,
    /// Upper-tail chi-square P value.
    pub p: f64,
}

/// Kruskal-Wallis rank-sum test, as R `kruskal.test` (R 4.2.2).
///
/// With average ranks over the pooled sample of size `N` and rank sums
/// `R_g` of the `k` groups of sizes `n_g`,
/// `H = [12 / (N (N + 1)) sum R_g² / n_g - 3 (N + 1)] / [1 - sum (t³ - t) /
/// (N³ - N)]` on `k - 1` df (Kruskal & Wallis 1952). Empty groups are
/// ignored.
///
/// # Errors
/// [`StatsError::NonFinite`], [`StatsError::TooFewObservations`] when fewer
/// than 2 groups have data, [`StatsError::Constant`] when all values are
/// equal.
///
/// # Example
/// ```
/// use oncomark_stats::kruskal_wallis;
/// // perfectly separated groups of 2: ranks {1,2}, {3,4}, {5,6};
/// // H = 12/42 (9/2 + 49/2 + 121/2) - 21 = 32/7
/// let r = kruskal_wallis(&[&[1.0, 2.0], &[3.0, 4.0], &[5.0, 6.0]]).unwrap();
/// assert!((r.statistic - 32.0 / 7.0).abs() < 1e-12);
/// assert_eq!(r.df, 2);
/// ```
pub fn kruskal_wallis(groups: &[&[f64]]) -> Result<KruskalWallis> {
    for g in groups {
        check_finite("group values", g)?;
    }
    let used: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    if used.len() < 2 {
        return Err(StatsError::TooFewObservations {
            what: "groups with data",
            n: used.len(),
            min: 2,
        });
    }
    let all: Vec<f64> = used.iter().flat_map(|g| g.iter().copied()).collect();
    let n = all.len() as f64;
    let (ranks, ties) = average_ranks(&all);
    let mut start = 0;
    let mut ss = 0.0;
    for g in &used {
        let r: f64 = ranks[start..start + g.len()].iter().sum();
        ss += r * r / g.len() as f64;
        start += g.len();
    }
    let tie_sum: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let denom = 1.0 - tie_sum / (n * n * n - n);
    if not_positive(denom) {
        return Err(StatsError::Constant {
            what: "the pooled sample",
        });
    }
    let h = (12.0 * ss / (n * (n + 1.0)) - 3.0 * (n + 1.0)) / denom;
    let df = used.len() - 1;
    Ok(KruskalWallis {
        statistic: h,
        df,
        p: chisq_sf(h, df as f64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, tol};

    #[test]
    fn exact_distributions_by_hand() {
        // m = 3, n = 4: 35 arrangements; u = 0 and u = 1 occur once each,
        // u = 2 twice ({x3 > y1} ... counted by the recursion), symmetric
        let c = rank_sum_distribution(3, 4);
        assert_eq!(c.len(), 13);
        assert_close("total", c.iter().sum::<f64>(), 1.0, tol::EXACT);
        assert_close("u=0", c[0] * 35.0, 1.0, tol::EXACT);
        assert_close("u=2", c[2] * 35.0, 2.0, tol::EXACT);
        for u in 0..c.len() {
            assert_close("symmetry", c[u], c[c.len() - 1 - u], tol::EXACT);
        }
        // m = 1: uniform on 0..=n
        for v in rank_sum_distribution(1, 3) {
            assert_close("uniform", v, 0.25, tol::EXACT);
        }
        // subsets of {1,2,3,4} with sum 5: {1,4}, {2,3}
        let s = signed_rank_distribution(4);
        assert_close("total", s.iter().sum::<f64>(), 1.0, tol::EXACT);
        assert_close("v=5", s[5] * 16.0, 2.0, tol::EXACT);
    }

    #[test]
    fn ties_force_normal_approximation_with_a_note() {
        let r = wilcoxon_rank_sum(
            &[1.0, 2.0, 2.0],
            &[2.0, 3.0, 4.0],
            &RankTestOptions::default(),
        )
        .unwrap();
        assert!(!r.exact);
        assert_eq!(r.warnings.len(), 1);
        // W: pooled ranks 1, 3, 3 | 3, 5, 6 -> R_x = 7, W = 7 - 6 = 1
        assert_close("W", r.statistic, 1.0, tol::EXACT);
    }

    #[test]
    fn signed_rank_drops_zeros() {
        let r = wilcoxon_signed_rank(
            &[1.0, 2.0, 0.0, 0.0, -3.0, 4.0, 5.0],
            &RankTestOptions::default(),
        )
        .unwrap();
        assert_eq!(r.zeros_dropped, 2);
        assert_eq!(r.n, vec![5]);
        assert!(!r.exact);
        // ranks of |d|: 1, 2, 3, 4, 5; positive: 1 + 2 + 4 + 5 = 12
        assert_eq!(r.statistic, 12.0);
        assert!(matches!(
            wilcoxon_signed_rank(&[0.0, 0.0], &RankTestOptions::default()),
            Err(StatsError::TooFewObservations { .. })
        ));
    }

    #[test]
    fn kruskal_of_two_groups_matches_rank_sum_z() {
        // Without ties, H equals the squared uncorrected rank-sum z.
        let (x, y) = ([1.3, 2.9, 4.4, 0.2], [3.1, 5.6, 6.0, 2.2, 7.7]);
        let h = kruskal_wallis(&[&x, &y]).unwrap().statistic;
        let w = wilcoxon_rank_sum(&x, &y, &Default::default())
            .unwrap()
            .statistic;
        let (m, n) = (4.0, 5.0);
        let z = (w - m * n / 2.0) / (m * n * (m + n + 1.0) / 12.0f64).sqrt();
        assert_close("H = z^2", h, z * z, tol::EXACT);
        assert!(matches!(
            kruskal_wallis(&[&[1.0, 1.0], &[1.0]]),
            Err(StatsError::Constant { .. })
        ));
    }
}
