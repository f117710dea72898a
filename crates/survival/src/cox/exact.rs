//! The exact (discrete, conditional logistic) partial likelihood for tied
//! event times: R `coxph(ties = "exact")`.
//!
//! At an event time with `d` tied events and `m` subjects at risk the
//! likelihood term is `exp(sum_D x'beta) / e_d(r_1, ..., r_m)`, where
//! `e_d` is the elementary symmetric polynomial of degree `d` of the risk
//! scores `r_j = exp(x_j'beta)`: the sum over all `C(m, d)` subsets of size
//! `d` of the product of their scores. Gail, Lubin & Rubinstein (1981,
//! Biometrika 68:703) compute it with the recursion
//! `e_k(m) = e_k(m - 1) + r_m e_{k-1}(m - 1)`, and its derivatives with the
//! same recursion differentiated; R survival's `coxexact.c` does the same
//! with memoised recursion.
//!
//! Here the subjects of a stratum are visited in decreasing time, so the
//! risk set at every time is a prefix, and one running column
//! `k = 0..dmax` is updated per subject (O(dmax) memory, O(n dmax p^2)
//! work per evaluation). To keep the numbers in range the recursion runs on
//! the elementary symmetric *means* `E_k(m) = e_k(m) / C(m, k)`,
//!
//! ```text
//! E_k(m) = ((m - k) / m) E_k(m - 1) + (k / m) r_m E_{k-1}(m - 1),
//! ```
//!
//! a convex combination, with scores divided by the largest score met so
//! far in the stratum (`E_k` is rescaled by `f^k` when that maximum grows);
//! `log C(m, d)` and the scale are added back in the log-likelihood.

use super::problem::{CoxEval, CoxProblem, EXACT_WORK_LIMIT};
use crate::SurvivalError;

/// Fill the exact-method tables of `pr` and check the work limit.
pub(crate) fn plan(pr: &mut CoxProblem) -> Result<(), SurvivalError> {
    let p = pr.p as f64;
    let per = 1.0 + p + p * (p + 1.0) / 2.0;
    let mut log_choose = vec![0.0; pr.groups.len()];
    let mut max_dead = Vec::with_capacity(pr.strata.len());
    let mut work = 0.0;
    let mut worst = (0usize, 0usize, 0.0f64);
    for s in &pr.strata {
        let mut dmax = 0usize;
        for gi in s.g_start as usize..s.g_end as usize {
            let g = pr.groups[gi];
            let d = (g.end - g.dead) as usize;
            let m = (g.end - s.start) as usize;
            dmax = dmax.max(d);
            // log C(m, d) = sum_{i<d} log((m - i) / (d - i))
            let mut lc = 0.0;
            for i in 0..d {
                lc += ((m - i) as f64 / (d - i) as f64).ln();
            }
            log_choose[gi] = lc;
        }
        let ns = (s.end - s.start) as usize;
        let w = ns as f64 * dmax as f64 * per;
        if w > worst.2 {
            worst = (dmax, ns, w);
        }
        work += w;
        max_dead.push(dmax as u32);
    }
    if work > EXACT_WORK_LIMIT {
        return Err(SurvivalError::ExactTiesTooLarge {
            deaths: worst.0,
            at_risk: worst.1,
            work,
            limit: EXACT_WORK_LIMIT,
        });
    }
    pr.log_choose = log_choose;
    pr.max_dead = max_dead;
    Ok(())
}

/// Exact-method log-likelihood, score and information (lower triangle) at
/// the internal-scale `bs`.
pub(crate) fn eval(pr: &CoxProblem, bs: &[f64]) -> CoxEval {
    let p = pr.p;
    let x = &pr.x;
    let eta = pr.eta_sorted(bs);
    let mut loglik = 0.0;
    let mut u = vec![0.0; p];
    let mut imat = vec![0.0; p * p];
    let mut mean = vec![0.0; p];
    for (si, s) in pr.strata.iter().enumerate() {
        let kmax = pr.max_dead[si] as usize;
        if kmax == 0 {
            continue;
        }
        // scores are divided by exp(emax), the largest score seen so far
        // in the stratum; when it grows, E_k is rescaled by f^k
        let mut emax = eta[s.start as usize];
        // e0[k], e1[k * p + j], e2[k * p * p + j * p + l] (l <= j)
        let mut e0 = vec![0.0; kmax + 1];
        let mut e1 = vec![0.0; (kmax + 1) * p];
        let mut e2 = vec![0.0; (kmax + 1) * p * p];
        e0[0] = 1.0;
        let mut m = 0usize;
        for gi in s.g_start as usize..s.g_end as usize {
            let g = pr.groups[gi];
            for pos in g.start as usize..g.end as usize {
                m += 1;
                if eta[pos] > emax {
                    let f = (emax - eta[pos]).exp();
                    let mut fk = 1.0;
                    for k in 1..=kmax.min(m) {
                        fk *= f;
                        e0[k] *= fk;
                        e1[k * p..(k + 1) * p].iter_mut().for_each(|v| *v *= fk);
                        e2[k * p * p..(k + 1) * p * p]
                            .iter_mut()
                            .for_each(|v| *v *= fk);
                    }
                    emax = eta[pos];
                }
                let r = (eta[pos] - emax).exp();
                let xi = &x[pos * p..pos * p + p];
                let mf = m as f64;
                for k in (1..=kmax.min(m)).rev() {
                    let w1 = (m - k) as f64 / mf;
                    let w2 = k as f64 / mf * r;
                    let (lo, hi) = e2.split_at_mut(k * p * p);
                    let prev2 = &lo[(k - 1) * p * p..];
                    let cur2 = &mut hi[..p * p];
                    let prev1 = &e1[(k - 1) * p..k * p];
                    let prev0 = e0[k - 1];
                    for j in 0..p {
                        for l in 0..=j {
                            cur2[j * p + l] = w1 * cur2[j * p + l]
                                + w2 * (xi[j] * xi[l] * prev0
                                    + xi[j] * prev1[l]
                                    + xi[l] * prev1[j]
                                    + prev2[j * p + l]);
                        }
                    }
                    let (lo1, hi1) = e1.split_at_mut(k * p);
                    let prev1 = &lo1[(k - 1) * p..];
                    let cur1 = &mut hi1[..p];
                    for j in 0..p {
                        cur1[j] = w1 * cur1[j] + w2 * (xi[j] * prev0 + prev1[j]);
                    }
                    e0[k] = w1 * e0[k] + w2 * prev0;
                }
            }
            let d = (g.end - g.dead) as usize;
            if d == 0 {
                continue;
            }
            let d0 = e0[d];
            loglik -= pr.log_choose[gi] + d0.ln() + d as f64 * emax;
            for j in 0..p {
                mean[j] = e1[d * p + j] / d0;
                u[j] -= mean[j];
            }
            for j in 0..p {
                for l in 0..=j {
                    imat[j * p + l] += e2[d * p * p + j * p + l] / d0 - mean[j] * mean[l];
                }
            }
        }
    }
    for j in 0..p {
        loglik += bs[j] * pr.xdead[j];
        u[j] += pr.xdead[j];
    }
    CoxEval {
        loglik,
        score: u,
        information: imat,
    }
}
