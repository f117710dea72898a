//! Fisher's exact test: 2x2 with the conditional maximum-likelihood odds
//! ratio and its exact interval, and general RxC tables by a network
//! algorithm.
//!
//! Under independence and with both margins fixed, a table has the
//! multiple hypergeometric probability
//!
//! ```text
//! P(X) = prod_i r_i! prod_j c_j! / (N! prod_ij x_ij!)
//! ```
//!
//! and the two-sided P value is the total probability of the tables that
//! are no more probable than the observed one (Fisher 1935; Agresti 2002,
//! *Categorical Data Analysis*, 3.5). As R `fisher.test` (R 4.2.2), "no
//! more probable" allows a relative tolerance: `1e-7` for 2x2 tables and
//! the FEXACT constant `3.45254e-7` on the log scale for larger tables.

mod monte_carlo;
mod network;

pub use monte_carlo::{fisher_monte_carlo, FisherMonteCarlo};

use serde::Serialize;

use crate::common::{brent_root, check_conf_level, Alternative};
use crate::error::{Result, StatsError};
use crate::table::ContingencyTable;

pub use network::DEFAULT_WORK_LIMIT;

/// R's relative tolerance for "as probable as the observed table" in the
/// 2x2 test (`relErr <- 1 + 10^(-7)` in `fisher.test`).
const REL_ERR_2X2: f64 = 1e-7;
/// Largest support of the (1,1) cell of a 2x2 table held in memory.
const MAX_2X2_SUPPORT: u64 = 50_000_000;
/// FEXACT's tolerance on the log probability (Mehta & Patel 1986), used by
/// R for tables other than 2x2.
const LOG_TOL_RXC: f64 = 3.45254e-7;

/// Options of [`fisher_exact`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FisherOptions {
    /// Alternative hypothesis; one-sided alternatives exist only for 2x2
    /// tables (on the odds ratio).
    pub alternative: Alternative,
    /// Confidence level of the odds-ratio interval (2x2 only).
    pub conf_level: f64,
    /// Also compute the mid-P value (see [`FisherTest::mid_p`]).
    pub mid_p: bool,
    /// Solve the odds-ratio equations as R does (`uniroot` with its default
    /// tolerance `eps^0.25` on R's search scale), so that the estimate and
    /// limits reproduce `fisher.test`'s to about 1e-10 (they are only
    /// within about 1e-4 of the true roots). `false` solves the same
    /// equations to about 1e-12 on the log odds-ratio scale.
    pub r_compatible_roots: bool,
    /// Limit on the work of the RxC network algorithm (nodes expanded plus
    /// paths carried), beyond which [`StatsError::FisherTooLarge`] is
    /// returned instead of running for minutes. The default
    /// [`DEFAULT_WORK_LIMIT`] takes about a second in release builds.
    pub work_limit: u64,
}

impl Default for FisherOptions {
    fn default() -> Self {
        Self {
            alternative: Alternative::TwoSided,
            conf_level: 0.95,
            mid_p: false,
            r_compatible_roots: true,
            work_limit: DEFAULT_WORK_LIMIT,
        }
    }
}

/// Result of Fisher's exact test. Field names follow the `fisher` object of
/// `oncomark table` in the CLI contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FisherTest {
    /// The exact P value.
    pub p: f64,
    /// Conditional maximum-likelihood estimate of the odds ratio (2x2 only;
    /// 0 or infinite, serialized as `null`, at the edges of the support).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub odds_ratio: Option<f64>,
    /// Lower limit of the exact (conditional) confidence interval (2x2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lower: Option<f64>,
    /// Upper limit of the exact confidence interval (2x2; may be infinite).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
    /// Confidence level of the interval (2x2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conf_level: Option<f64>,
    /// Mid-P value when asked for: the probability of the strictly more
    /// extreme tables plus half that of the tables as extreme as the
    /// observed one (Lancaster 1961), with "as extreme" meaning equal within
    /// the tolerance of the ordinary P value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mid_p: Option<f64>,
    /// The alternative hypothesis.
    pub alternative: Alternative,
}

/// Fisher's exact test of independence in a two-way table, as R
/// `fisher.test` (R 4.2.2).
///
/// For a 2x2 table this is [`fisher_2x2`]. For larger tables the two-sided
/// P value is computed exactly by a network algorithm in the spirit of
/// Mehta & Patel (1983, *JASA* 78:427-434; 1986, *ACM TOMS* 12:154-161):
/// rows are processed one at a time, partial tables that leave the same
/// multiset of remaining column sums share one node, and a node's paths are
/// settled in bulk as soon as bounds on the most and least probable
/// completion show that all or none of them count. Rows or columns that
/// sum to zero are dropped (they do not change the P value); a table left
/// with fewer than two rows or columns has P = 1.
///
/// The work grows quickly with the table (release build,
/// `benches/fisher.rs`): 3x3 tables of 300 observations take about 10 ms,
/// 2x6 of 500 about 1 ms, 4x5 of 100 about 10 ms, 5x5 of 30 about 1 ms, of
/// 45 about 10 ms and of 60 about 50 ms. Beyond
/// [`FisherOptions::work_limit`] (by default about a second of work: 5x5
/// tables from about 75 observations, and so 5x5 tables of a few hundred)
/// the function returns [`StatsError::FisherTooLarge`]. This covers what R's
/// FEXACT does with its default workspace of 200000, which stops 5x5
/// tables from about 50-70 observations with "LDKEY is too small" (and
/// takes minutes for a 5x5 of 150 with a workspace of 2e8).
///
/// # Errors
/// [`StatsError::TableTooSmall`], [`StatsError::EmptyTable`],
/// [`StatsError::InvalidConfLevel`], [`StatsError::WrongShape`] for a
/// one-sided alternative on a table larger than 2x2,
/// [`StatsError::FisherTooLarge`].
///
/// # Example
/// ```
/// use oncomark_stats::{fisher_exact, ContingencyTable, FisherOptions};
/// // R 4.2.2: fisher.test(matrix(c(3, 0, 4, 2, 0, 5), 2))$p.value
/// let t = ContingencyTable::new(vec![vec![3, 4, 0], vec![0, 2, 5]]).unwrap();
/// let r = fisher_exact(&t, &FisherOptions::default()).unwrap();
/// assert!((r.p - 0.01340326).abs() < 1e-8);
/// ```
pub fn fisher_exact(table: &ContingencyTable, opts: &FisherOptions) -> Result<FisherTest> {
    table.require_testable()?;
    check_conf_level(opts.conf_level)?;
    if let Some(t) = table.as_2x2() {
        return fisher_2x2(t, opts);
    }
    if opts.alternative != Alternative::TwoSided {
        return Err(StatsError::WrongShape {
            test: "a one-sided Fisher test",
            expected: "2x2",
            rows: table.n_rows(),
            cols: table.n_cols(),
        });
    }
    let too_large = || StatsError::FisherTooLarge {
        rows: table.n_rows(),
        cols: table.n_cols(),
        n: table.total(),
        limit: opts.work_limit,
    };
    let p = network::p_value(table.counts(), LOG_TOL_RXC, opts.work_limit)
        .ok_or_else(too_large)?
        .clamp(0.0, 1.0);
    let mid_p = if opts.mid_p {
        let strict = network::p_value(table.counts(), -LOG_TOL_RXC, opts.work_limit)
            .ok_or_else(too_large)?;
        Some((0.5 * (p + strict)).clamp(0.0, 1.0))
    } else {
        None
    };
    Ok(FisherTest {
        p,
        odds_ratio: None,
        lower: None,
        upper: None,
        conf_level: None,
        mid_p,
        alternative: Alternative::TwoSided,
    })
}

/// Fisher's exact test for a 2x2 table `[[a, b], [c, d]]`, with the
/// conditional maximum-likelihood odds ratio and its exact confidence
/// interval, as R `fisher.test` (R 4.2.2).
///
/// Given the margins, `a` follows the noncentral hypergeometric
/// distribution `P(a = x) ∝ C(m, x) C(n, k - x) ψ^x` on
/// `max(0, k - n) <= x <= min(k, m)`, where `m = a + c`, `n = b + d`,
/// `k = a + b` and `ψ` is the odds ratio.
///
/// - two-sided P: sum of `P(x; ψ = 1)` over `x` with
///   `P(x) <= P(a) (1 + 1e-7)`; `less`: `P(X <= a)`; `greater`: `P(X >= a)`.
/// - odds ratio: the conditional MLE, solving `E[X; ψ] = a` (0 when `a` is
///   the smallest possible value, infinite when it is the largest).
/// - interval (Cornfield 1956): the upper limit solves `P(X <= a; ψ) =
///   α/2`, the lower `P(X >= a; ψ) = α/2` (`α` instead of `α/2` for one
///   side, the other end being 0 or infinity).
///
/// By default ([`FisherOptions::r_compatible_roots`]) the roots are found
/// as R finds them: Brent's zeroin (R's `uniroot`) with tolerance
/// `eps^0.25` on `ψ ∈ (0, 1)`, or on `1/ψ ∈ (eps, 1)` when the root
/// exceeds 1. This reproduces R's numbers, which can be off the true root
/// by about 1e-4 (the paper's lower limit 0.05616 is 0.05614 exactly).
/// With `r_compatible_roots = false` the roots are solved on the log
/// odds-ratio scale to about 1e-12.
///
/// # Errors
/// [`StatsError::EmptyTable`], [`StatsError::InvalidConfLevel`],
/// [`StatsError::InvalidParameter`] when the counts total more than 2^53,
/// [`StatsError::FisherTooLarge`] when the support of the (1,1) cell
/// exceeds 50 million values.
///
/// # Example
/// ```
/// use oncomark_stats::{fisher_2x2, FisherOptions};
/// // Paper Table 2: response in 4 of 23 (b1 3+) vs 25 of 55 (0-2+).
/// // R 4.2.2 fisher.test: p 0.0223, OR 0.2568 (0.0562, 0.9140)
/// let r = fisher_2x2([[4, 19], [25, 30]], &FisherOptions::default()).unwrap();
/// assert!((r.p - 0.0223).abs() < 5e-5);
/// assert!((r.odds_ratio.unwrap() - 0.2568).abs() < 5e-5);
/// assert!((r.lower.unwrap() - 0.0562).abs() < 5e-5);
/// assert!((r.upper.unwrap() - 0.9140).abs() < 5e-5);
/// ```
pub fn fisher_2x2(t: [[u64; 2]; 2], opts: &FisherOptions) -> Result<FisherTest> {
    check_conf_level(opts.conf_level)?;
    crate::table::check_counts(t.iter().flatten().copied())?;
    let [[a, b], [c, d]] = t;
    if a + b + c + d == 0 {
        return Err(StatsError::EmptyTable);
    }
    // the support of the (1,1) cell is held in memory
    if (a + b).min(a + c) > MAX_2X2_SUPPORT {
        return Err(StatsError::FisherTooLarge {
            rows: 2,
            cols: 2,
            n: a + b + c + d,
            limit: MAX_2X2_SUPPORT,
        });
    }
    let nh = NoncentralHypergeometric::new(a + c, b + d, a + b);
    let x = a;
    let p = match opts.alternative {
        Alternative::Less => nh.lower_tail(x, 0.0),
        Alternative::Greater => nh.upper_tail(x, 0.0),
        Alternative::TwoSided => nh.two_sided(x, (1.0 + REL_ERR_2X2).ln()),
    };
    let mid_p = opts.mid_p.then(|| {
        let half = 0.5 * nh.point(x, 0.0);
        match opts.alternative {
            Alternative::Less => nh.lower_tail(x, 0.0) - half,
            Alternative::Greater => nh.upper_tail(x, 0.0) - half,
            Alternative::TwoSided => {
                let strict = nh.two_sided(x, -(1.0 + REL_ERR_2X2).ln());
                0.5 * (p + strict)
            }
        }
    });
    let alpha = 1.0 - opts.conf_level;
    let r = opts.r_compatible_roots;
    let (lower, upper) = match opts.alternative {
        Alternative::Less => (0.0, nh.ci_upper(x, alpha, r)),
        Alternative::Greater => (nh.ci_lower(x, alpha, r), f64::INFINITY),
        Alternative::TwoSided => (
            nh.ci_lower(x, alpha / 2.0, r),
            nh.ci_upper(x, alpha / 2.0, r),
        ),
    };
    Ok(FisherTest {
        p: p.clamp(0.0, 1.0),
        odds_ratio: Some(nh.mle(x, r)),
        lower: Some(lower),
        upper: Some(upper),
        conf_level: Some(opts.conf_level),
        mid_p: mid_p.map(|v| v.clamp(0.0, 1.0)),
        alternative: opts.alternative,
    })
}

/// Fisher's noncentral hypergeometric distribution of the (1,1) cell of a
/// 2x2 table given its margins, parameterized by the log odds ratio `θ`.
struct NoncentralHypergeometric {
    lo: u64,
    /// log of the central probabilities up to a constant, for `lo..=hi`
    log_dc: Vec<f64>,
}

impl NoncentralHypergeometric {
    /// `m` = first column total, `n` = second column total, `k` = first row
    /// total.
    fn new(m: u64, n: u64, k: u64) -> Self {
        let lo = k.saturating_sub(n);
        let hi = k.min(m);
        // ratio of successive central probabilities:
        // P(x + 1) / P(x) = (m - x)(k - x) / ((x + 1)(n - k + x + 1))
        let mut log_dc = Vec::with_capacity((hi - lo + 1) as usize);
        let mut l = 0.0;
        log_dc.push(l);
        for x in lo..hi {
            let num = (m - x) as f64 * (k - x) as f64;
            let den = (x + 1) as f64 * (n + x + 1 - k) as f64;
            l += (num / den).ln();
            log_dc.push(l);
        }
        Self { lo, log_dc }
    }

    fn hi(&self) -> u64 {
        self.lo + self.log_dc.len() as u64 - 1
    }

    /// Log weights at log odds ratio `theta` (unnormalized) and their
    /// log-sum.
    fn log_weights(&self, theta: f64) -> (Vec<f64>, f64) {
        let w: Vec<f64> = self
            .log_dc
            .iter()
            .enumerate()
            .map(|(i, &l)| l + theta * (self.lo + i as u64) as f64)
            .collect();
        let lse = log_sum_exp(&w);
        (w, lse)
    }

    /// `P(X = x; θ)`.
    fn point(&self, x: u64, theta: f64) -> f64 {
        let (w, lse) = self.log_weights(theta);
        (w[(x - self.lo) as usize] - lse).exp()
    }

    /// `P(X <= x; θ)`.
    fn lower_tail(&self, x: u64, theta: f64) -> f64 {
        let (w, lse) = self.log_weights(theta);
        let i = (x - self.lo) as usize;
        (log_sum_exp(&w[..=i]) - lse).exp()
    }

    /// `P(X >= x; θ)`.
    fn upper_tail(&self, x: u64, theta: f64) -> f64 {
        let (w, lse) = self.log_weights(theta);
        let i = (x - self.lo) as usize;
        (log_sum_exp(&w[i..]) - lse).exp()
    }

    /// `E[X; θ]`.
    fn mean(&self, theta: f64) -> f64 {
        let (w, lse) = self.log_weights(theta);
        w.iter()
            .enumerate()
            .map(|(i, &l)| (self.lo + i as u64) as f64 * (l - lse).exp())
            .sum()
    }

    /// Two-sided P at `ψ = 1`: total probability of the values no more
    /// probable than `x`, allowing `log_tol` on the log scale.
    fn two_sided(&self, x: u64, log_tol: f64) -> f64 {
        let (w, lse) = self.log_weights(0.0);
        let cut = w[(x - self.lo) as usize] + log_tol;
        let kept: Vec<f64> = w.iter().copied().filter(|&l| l <= cut).collect();
        if kept.is_empty() {
            return 0.0;
        }
        (log_sum_exp(&kept) - lse).exp()
    }

    /// `E[X; ψ]` on R's scale (`mnhyper`): `ψ = 0` and `ψ = inf` are the
    /// ends of the support.
    fn mean_ncp(&self, ncp: f64) -> f64 {
        if ncp == 0.0 {
            return self.lo as f64;
        }
        if ncp == f64::INFINITY {
            return self.hi() as f64;
        }
        self.mean(ncp.ln())
    }

    /// `P(X <= x; ψ)` or `P(X >= x; ψ)` on R's scale (`pnhyper`).
    fn tail_ncp(&self, x: u64, ncp: f64, upper: bool) -> f64 {
        if ncp == 0.0 {
            return f64::from(u8::from(if upper { x <= self.lo } else { x >= self.lo }));
        }
        if ncp == f64::INFINITY {
            return f64::from(u8::from(if upper {
                x <= self.hi()
            } else {
                x >= self.hi()
            }));
        }
        if upper {
            self.upper_tail(x, ncp.ln())
        } else {
            self.lower_tail(x, ncp.ln())
        }
    }

    /// Conditional MLE of the odds ratio.
    fn mle(&self, x: u64, r_compatible: bool) -> f64 {
        if x == self.lo {
            return 0.0;
        }
        if x == self.hi() {
            return f64::INFINITY;
        }
        let target = x as f64;
        if !r_compatible {
            return solve_increasing(|t| self.mean(t) - target).exp();
        }
        let mu = self.mean(0.0);
        if mu > target {
            r_uniroot(|t| self.mean_ncp(t) - target, 0.0, 1.0)
        } else if mu < target {
            1.0 / r_uniroot(|t| self.mean_ncp(1.0 / t) - target, f64::EPSILON, 1.0)
        } else {
            1.0
        }
    }

    /// Upper confidence limit: `P(X <= x; ψ) = alpha` (decreasing in ψ).
    fn ci_upper(&self, x: u64, alpha: f64, r_compatible: bool) -> f64 {
        if x == self.hi() {
            return f64::INFINITY;
        }
        if !r_compatible {
            return solve_increasing(|t| alpha - self.lower_tail(x, t)).exp();
        }
        let p = self.lower_tail(x, 0.0);
        if p < alpha {
            r_uniroot(|t| self.tail_ncp(x, t, false) - alpha, 0.0, 1.0)
        } else if p > alpha {
            1.0 / r_uniroot(
                |t| self.tail_ncp(x, 1.0 / t, false) - alpha,
                f64::EPSILON,
                1.0,
            )
        } else {
            1.0
        }
    }

    /// Lower confidence limit: `P(X >= x; ψ) = alpha` (increasing in ψ).
    fn ci_lower(&self, x: u64, alpha: f64, r_compatible: bool) -> f64 {
        if x == self.lo {
            return 0.0;
        }
        if !r_compatible {
            return solve_increasing(|t| self.upper_tail(x, t) - alpha).exp();
        }
        let p = self.upper_tail(x, 0.0);
        if p > alpha {
            r_uniroot(|t| self.tail_ncp(x, t, true) - alpha, 0.0, 1.0)
        } else if p < alpha {
            1.0 / r_uniroot(
                |t| self.tail_ncp(x, 1.0 / t, true) - alpha,
                f64::EPSILON,
                1.0,
            )
        } else {
            1.0
        }
    }
}

/// R's `uniroot(f, c(a, b))` with its defaults (`tol = eps^0.25`,
/// `maxiter = 1000`): Brent's zeroin in the form of Brent (1973, ch. 4) as
/// R runs it, starting with `c = a`. Used to reproduce `fisher.test`'s
/// printed estimate and limits.
fn r_uniroot(f: impl Fn(f64) -> f64, ax: f64, bx: f64) -> f64 {
    let tol = f64::EPSILON.powf(0.25);
    let (mut a, mut b) = (ax, bx);
    let (mut fa, mut fb) = (f(a), f(b));
    if fa == 0.0 {
        return a;
    }
    if fb == 0.0 {
        return b;
    }
    let (mut c, mut fc) = (a, fa);
    for _ in 0..=1000 {
        let prev_step = b - a;
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol_act = 2.0 * f64::EPSILON * b.abs() + tol / 2.0;
        let mut new_step = (c - b) / 2.0;
        if new_step.abs() <= tol_act || fb == 0.0 {
            return b;
        }
        if prev_step.abs() >= tol_act && fa.abs() > fb.abs() {
            let cb = c - b;
            let (mut p, mut q);
            if a == c {
                let t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                let qq = fa / fc;
                let t1 = fb / fc;
                let t2 = fb / fa;
                p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1.0));
                q = (qq - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p < 0.75 * cb * q - (tol_act * q).abs() / 2.0 && p < (prev_step * q / 2.0).abs() {
                new_step = p / q;
            }
        }
        if new_step.abs() < tol_act {
            new_step = if new_step > 0.0 { tol_act } else { -tol_act };
        }
        a = b;
        fa = fb;
        b += new_step;
        fb = f(b);
        if (fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0) {
            c = a;
            fc = fa;
        }
    }
    b
}

/// Root of an increasing function of the log odds ratio: bracket from 0
/// outwards, then Brent.
fn solve_increasing(f: impl Fn(f64) -> f64) -> f64 {
    let f0 = f(0.0);
    if f0 == 0.0 {
        return 0.0;
    }
    // the root is on the side where f changes sign
    let dir = if f0 > 0.0 { -1.0 } else { 1.0 };
    let mut near = 0.0;
    let mut step = 1.0;
    let mut far = dir * step;
    while (f(far) > 0.0) == (f0 > 0.0) {
        near = far;
        step *= 2.0;
        far = dir * step;
        if step > 1e4 {
            // the probabilities saturate far before this: the root is at
            // the numerical edge of the parameter space
            return far;
        }
    }
    brent_root(&f, near.min(far), near.max(far), 1e-13)
}

/// `log(sum(exp(v)))` without overflow or needless underflow.
pub(crate) fn log_sum_exp(v: &[f64]) -> f64 {
    let m = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + v.iter().map(|&l| (l - m).exp()).sum::<f64>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, tol};

    fn opts(alternative: Alternative) -> FisherOptions {
        FisherOptions {
            alternative,
            ..FisherOptions::default()
        }
    }

    #[test]
    fn hand_computed_2x2() {
        // [[3, 0], [0, 3]]: margins 3/3/3/3, support 0..3 with central
        // probabilities 1, 9, 9, 1 over 20. Observed x = 3 is least probable:
        // two-sided P = 2/20, greater = 1/20, less = 1.
        let t = [[3, 0], [0, 3]];
        let r = fisher_2x2(t, &opts(Alternative::TwoSided)).unwrap();
        assert_close("two-sided", r.p, 0.1, tol::EXACT);
        assert_eq!(r.odds_ratio, Some(f64::INFINITY));
        assert_eq!(r.upper, Some(f64::INFINITY));
        let g = fisher_2x2(t, &opts(Alternative::Greater)).unwrap();
        assert_close("greater", g.p, 0.05, tol::EXACT);
        let l = fisher_2x2(t, &opts(Alternative::Less)).unwrap();
        assert_close("less", l.p, 1.0, tol::EXACT);
    }

    #[test]
    fn mid_p_hand_computed() {
        // [[2, 1], [1, 2]]: support 0..3, probabilities 1, 9, 9, 1 (/20);
        // x = 2 is as probable as x = 1, so P = 1 and mid-P = 2/20 + 18/40.
        let r = fisher_2x2(
            [[2, 1], [1, 2]],
            &FisherOptions {
                mid_p: true,
                ..FisherOptions::default()
            },
        )
        .unwrap();
        assert_close("p", r.p, 1.0, tol::EXACT);
        assert_close("mid-p", r.mid_p.unwrap(), 0.1 + 0.45, tol::EXACT);
        // one-sided greater: P(X >= 2) = 10/20, mid-P = 1/20 + 9/40
        let g = fisher_2x2(
            [[2, 1], [1, 2]],
            &FisherOptions {
                mid_p: true,
                alternative: Alternative::Greater,
                ..FisherOptions::default()
            },
        )
        .unwrap();
        assert_close("greater", g.p, 0.5, tol::EXACT);
        assert_close("greater mid", g.mid_p.unwrap(), 0.05 + 0.225, tol::EXACT);
    }

    #[test]
    fn mle_is_one_for_balanced_table() {
        let r = fisher_2x2([[5, 5], [5, 5]], &FisherOptions::default()).unwrap();
        assert_close("or", r.odds_ratio.unwrap(), 1.0, 1e-10);
        // symmetric interval on the log scale
        let (lo, hi) = (r.lower.unwrap(), r.upper.unwrap());
        assert_close("symmetry", lo * hi, 1.0, 1e-10);
    }

    #[test]
    fn zero_row_gives_p_one() {
        // R 4.2.2 fisher.test(matrix(c(3, 0, 4, 0), 2)): p 1, OR 0, CI 0-Inf
        let r = fisher_2x2([[3, 4], [0, 0]], &FisherOptions::default()).unwrap();
        assert_eq!(r.p, 1.0);
        assert_eq!(r.odds_ratio, Some(0.0));
        assert_eq!((r.lower, r.upper), (Some(0.0), Some(f64::INFINITY)));
    }

    #[test]
    fn one_sided_rxc_is_rejected() {
        let t = ContingencyTable::new(vec![vec![1, 2, 3], vec![3, 2, 1]]).unwrap();
        assert!(matches!(
            fisher_exact(&t, &opts(Alternative::Less)),
            Err(StatsError::WrongShape { .. })
        ));
    }
}
