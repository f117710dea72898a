//! R `maxstat`'s `pmethod = "HL"` (Hothorn & Lausen 2003): exact
//! permutation distributions of each split statistic on integer scores,
//! combined by an improved Bonferroni step.
//!
//! # Method
//! 1. The real scores are mapped to integers as R does: midranks are
//!    doubled; other real scores become `round((a − min a) · n / max(a − min a))`
//!    (so the largest is `n`); integer scores are kept. The statistic and
//!    cutpoint are recomputed on these integer scores (R reports those).
//! 2. For every needed low-group size `m`, the exact permutation
//!    distribution of the low-group sum `S_m` (the sum of a random m-subset
//!    of the scores) is computed by the shift algorithm of Streitberg &
//!    Röhmel (1986), here in probability scale,
//!    `f_i(m, s) = ((i − m)/i) f_{i−1}(m, s) + (m/i) f_{i−1}(m − 1, s − a_i)`,
//!    streaming over the patients, with `f(m, s) = f(n − m, T − s)` so that
//!    only `m ≤ n/2` is stored. R counts subsets with `choose`-sized
//!    integers scaled by `gamma(n + 1)`, which overflows above n = 170 (R
//!    then returns NaN); probabilities do not.
//! 3. With `A_m = {|Z_m| > b}`, `P ≈ Σ_m P(A_m) − Σ_m P(S_{m−1} = s : s ∈
//!    A_{m−1} and every next step stays in A_m)`, the second sum counting
//!    paths already beyond `b` at `m − 1` that cannot come back at `m`
//!    (checked with the largest score below the mean and the smallest above
//!    it, exactly as R's `pmaxstat`).
//!
//! # Accuracy
//! The result is not the exact conditional P value: step 3 subtracts only
//! part of each overlap, so it is an upper-bound-type approximation that can
//! be loose. On the first 80 GBSG2 patients (`progrec`) it gives 0.2247
//! where the conditional Monte-Carlo P (R `condMC`, B = 10⁶) is 0.0719 and
//! the exact Gaussian P is 0.0724. It is provided to reproduce R; prefer
//! [`crate::Maxstat::p_exact_gauss`] or [`crate::Maxstat::p_permutation`].
//! Like R, sizes `m` whose predecessor `m − 1` is not a searched split
//! still get the correction, and exceedance is strict (`|Z| > b`).
//!
//! References: Hothorn T, Lausen B (2003) Comput Stat Data Anal
//! 43:121-137; Streitberg B, Röhmel J (1986) Statistical Software
//! Newsletter 12:10-17.

use serde::Serialize;

use crate::maxstat::{first_max, linear_stats, moments};
use crate::CutpointError;

/// Default work budget (inner-loop updates) of the shift algorithm: about
/// two seconds; with R's integer mapping this reaches n ≈ 350.
pub const HL_WORK_BUDGET: f64 = 2.5e9;

/// The Hothorn-Lausen P value and the statistic it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HlResult {
    /// The P value (clamped to `[0, 1]`).
    pub p: f64,
    /// The maximally selected statistic on the integer scores.
    pub statistic: f64,
    /// The cutpoint on the integer scores.
    pub cutpoint: f64,
    /// Largest integer score (the resolution of the mapping).
    pub max_score: u64,
}

/// Maps real scores to integers as R `maxstat` does for `iscores = TRUE`.
pub(crate) fn integer_scores(scores: &[f64]) -> Vec<f64> {
    let frac_sum: f64 = scores.iter().map(|a| a - a.floor()).sum();
    if frac_sum == 0.0 {
        return scores.to_vec();
    }
    if scores.iter().all(|a| {
        let f = a - a.floor();
        f == 0.0 || f == 0.5
    }) {
        return scores.iter().map(|a| 2.0 * a).collect();
    }
    let n = scores.len() as f64;
    let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let shifted: Vec<f64> = scores.iter().map(|a| a - min).collect();
    let max = shifted.iter().copied().fold(0.0, f64::max);
    shifted
        .iter()
        .map(|a| (a * n / max).round_ties_even())
        .collect()
}

/// Runs the method on scores in marker order with the searched sizes and
/// the sorted marker. Preconditions: the scores are not all equal.
pub(crate) fn p_hl(
    scores_marker: &[f64],
    sizes: &[usize],
    marker_sorted: &[f64],
    budget: f64,
) -> Result<HlResult, CutpointError> {
    let n = scores_marker.len();
    let iscores = integer_scores(scores_marker);
    let (e, sd) = moments(&iscores, sizes)?;
    let stats = linear_stats(&iscores, sizes, &e, &sd);
    let (best, b) = first_max(&stats);
    let cutpoint = marker_sorted[sizes[best] - 1];
    let min = iscores.iter().copied().fold(f64::INFINITY, f64::min);
    let sc: Vec<usize> = iscores.iter().map(|a| (a - min) as usize).collect();
    let total: usize = sc.iter().sum();
    let amax = sc.iter().copied().max().unwrap_or(0);

    // rows needed: each size and its predecessor (for the correction)
    let first = sizes[0];
    let mut needed: Vec<usize> = Vec::with_capacity(2 * sizes.len());
    for &m in sizes {
        needed.push(m);
        if m > first {
            needed.push(m - 1);
        }
    }
    let stored = |m: usize| m.min(n - m);
    let top = needed.iter().map(|&m| stored(m)).max().unwrap_or(0);
    let work: f64 = n as f64 * (0..=top).map(|m| (m * amax + 1) as f64).sum::<f64>();
    if work > budget {
        return Err(CutpointError::TooLargeForExact { n, work, budget });
    }
    let rows = shift_algorithm(&sc, top, amax);
    let dist = |m: usize, s: usize| -> f64 {
        if s > total {
            return 0.0;
        }
        if m <= n - m {
            rows[m].get(s).copied().unwrap_or(0.0)
        } else {
            rows[n - m].get(total - s).copied().unwrap_or(0.0)
        }
    };
    let nf = n as f64;
    let mean = total as f64 / nf;
    let ss: f64 = sc.iter().map(|&a| (a as f64 - mean).powi(2)).sum();
    let z = |m: usize, s: usize| -> f64 {
        let mf = m as f64;
        let v = mf * (nf - mf) / (nf * (nf - 1.0)) * ss;
        ((s as f64 - mf * mean) / v.sqrt()).abs()
    };
    // exceedance is strict and ignores rounding-level ties with b (the
    // observed configuration has |Z| = b exactly and is not counted, as R)
    let bb = b * (1.0 + 1e-10);
    let mut p = 0.0;
    for &m in sizes {
        let mut pm = 0.0;
        for s in 0..=total {
            let f = dist(m, s);
            if f > 0.0 && z(m, s) > bb {
                pm += f;
            }
        }
        if m > first {
            let i = m - 1;
            let ei = i as f64 * mean;
            let mut corr = 0.0;
            for s in 0..=total {
                let f = dist(i, s);
                if f == 0.0 || z(i, s) <= bb {
                    continue;
                }
                let next = if (s as f64) < ei {
                    Some(s + amax)
                } else if (s as f64) > ei {
                    Some(s)
                } else {
                    None
                };
                if let Some(t) = next {
                    if t <= total && dist(m, t) > 0.0 && z(m, t) > bb {
                        corr += f;
                    }
                }
            }
            pm -= corr;
        }
        p += pm;
    }
    Ok(HlResult {
        p: p.clamp(0.0, 1.0),
        statistic: b,
        cutpoint,
        max_score: amax as u64,
    })
}

/// Distributions of the sum of a random m-subset, `m = 0..=top`, as
/// probabilities indexed by the sum. Streitberg-Röhmel shift algorithm in
/// probability scale.
fn shift_algorithm(sc: &[usize], top: usize, amax: usize) -> Vec<Vec<f64>> {
    let mut rows: Vec<Vec<f64>> = (0..=top).map(|m| vec![0.0; m * amax + 1]).collect();
    rows[0][0] = 1.0;
    for (idx, &a) in sc.iter().enumerate() {
        let i = idx + 1;
        let fi = i as f64;
        for m in (1..=top.min(i)).rev() {
            let keep = (i - m) as f64 / fi;
            let take = m as f64 / fi;
            let (lower, upper) = rows.split_at_mut(m);
            let prev = &lower[m - 1];
            let cur = &mut upper[0];
            // sums reachable by m of the first i scores: s <= m * amax
            for s in (0..cur.len()).rev() {
                let from = if s >= a && s - a < prev.len() {
                    prev[s - a]
                } else {
                    0.0
                };
                cur[s] = keep * cur[s] + take * from;
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over all m-subsets of a small score set.
    #[test]
    fn shift_algorithm_matches_enumeration() {
        let sc = [0usize, 3, 1, 4, 1, 5, 2];
        let n = sc.len();
        let rows = shift_algorithm(&sc, n, 5);
        for m in 0..=n {
            let mut counts = vec![0.0; 5 * m + 1];
            let mut total = 0.0;
            for mask in 0u32..(1 << n) {
                if mask.count_ones() as usize != m {
                    continue;
                }
                let s: usize = (0..n).filter(|&k| mask >> k & 1 == 1).map(|k| sc[k]).sum();
                counts[s] += 1.0;
                total += 1.0;
            }
            for (s, c) in counts.iter().enumerate() {
                assert!((rows[m][s] - c / total).abs() < 1e-14, "m = {m}, s = {s}");
            }
        }
    }

    #[test]
    fn integer_mapping_follows_r() {
        // midranks are doubled
        assert_eq!(
            integer_scores(&[1.0, 2.5, 2.5, 4.0]),
            vec![2.0, 5.0, 5.0, 8.0]
        );
        // integers are kept
        assert_eq!(integer_scores(&[3.0, -1.0, 2.0]), vec![3.0, -1.0, 2.0]);
        // real scores: shift to 0 ([1, 0, 1.25, 0.8]), scale so that the
        // largest is n = 4 ([3.2, 0, 4, 2.56]), round
        assert_eq!(
            integer_scores(&[0.3, -0.7, 0.55, 0.1]),
            vec![3.0, 0.0, 4.0, 3.0]
        );
    }
}
