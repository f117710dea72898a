//! Counting-process `(start, stop]` input: delayed entry and time-varying
//! covariates (R `coxph(Surv(start, stop, event) ~ ...)`).
//!
//! A row is at risk at time `t` when `start < t <= stop`; a subject with
//! time-varying covariates is split into rows over which its covariates
//! are constant. The partial likelihood is that of right-censored data
//! with these risk sets (Andersen & Gill 1982, Ann Stat 10:1100; Therneau &
//! Grambsch 2000, *Modeling Survival Data*, §3.7).
//!
//! Evaluation: the rows are visited in decreasing `stop` (as for
//! right-censored data, adding each row's risk-score sums at its `stop`),
//! and a second list in decreasing `start` removes the rows whose `start`
//! is at or after the current time before its events are scored (R
//! survival `agfit4.c` does the same). The sums are reset to exactly 0
//! whenever the risk set empties, which bounds the rounding error of the
//! subtractions. O(n p^2) per evaluation, like right-censored data.

use super::problem::{CoxEval, CoxProblem};
use super::{ConcordanceCounts, Ties};
use crate::SurvivalError;

/// Removal schedule: per stratum, sorted positions in decreasing entry
/// time.
#[derive(Debug, Clone)]
pub(crate) struct EntryPlan {
    /// Sorted positions; stratum `s` occupies the same range
    /// `start..end` as in the problem.
    pub(crate) pos: Vec<u32>,
    /// Entry time of each of those positions.
    pub(crate) time: Vec<f64>,
}

/// Build the removal schedule from the entry times `entry` (input order).
pub(crate) fn plan(pr: &CoxProblem, entry: &[f64]) -> Result<EntryPlan, SurvivalError> {
    if pr.ties == Ties::Exact {
        return Err(SurvivalError::BadOption {
            what: "ties",
            value: f64::NAN,
            reason: "the exact partial likelihood is not available for (start, stop] data; use efron or breslow",
        });
    }
    let mut pos: Vec<u32> = (0..pr.n as u32).collect();
    let ent = |p: u32| entry[pr.order[p as usize] as usize];
    for s in &pr.strata {
        pos[s.start as usize..s.end as usize].sort_by(|&a, &b| ent(b).total_cmp(&ent(a)));
    }
    let time = pos.iter().map(|&p| ent(p)).collect();
    Ok(EntryPlan { pos, time })
}

/// Running risk-set sums.
struct Sums {
    n: usize,
    denom: f64,
    a: Vec<f64>,
    c: Vec<f64>,
}

impl Sums {
    fn new(p: usize) -> Self {
        Sums {
            n: 0,
            denom: 0.0,
            a: vec![0.0; p],
            c: vec![0.0; p * p],
        }
    }
    fn clear(&mut self) {
        self.n = 0;
        self.denom = 0.0;
        self.a.iter_mut().for_each(|v| *v = 0.0);
        self.c.iter_mut().for_each(|v| *v = 0.0);
    }
    fn update(&mut self, xi: &[f64], r: f64, sign: f64) {
        let p = xi.len();
        self.denom += sign * r;
        for j in 0..p {
            let rx = sign * r * xi[j];
            self.a[j] += rx;
            for k in 0..=j {
                self.c[j * p + k] += rx * xi[k];
            }
        }
    }
}

/// Log-likelihood, score and information (full, symmetric) at the
/// internal-scale `bs` for `(start, stop]` data (Breslow or Efron).
pub(crate) fn eval(pr: &CoxProblem, plan: &EntryPlan, bs: &[f64]) -> CoxEval {
    let p = pr.p;
    let x = &pr.x;
    let eta = pr.eta_sorted(bs);
    let risk: Vec<f64> = eta.iter().map(|e| e.exp()).collect();
    let efron = pr.ties == Ties::Efron;
    let mut loglik = 0.0;
    let mut u = vec![0.0; p];
    let mut imat = vec![0.0; p * p];
    let mut rs = Sums::new(p);
    let mut dead = Sums::new(p);
    let mut mean = vec![0.0; p];
    let row = |i: usize| &x[i * p..(i + 1) * p];
    for s in &pr.strata {
        rs.clear();
        let mut k = s.start as usize;
        let kend = s.end as usize;
        for g in &pr.groups[s.g_start as usize..s.g_end as usize] {
            let (g0, gd, g1) = (g.start as usize, g.dead as usize, g.end as usize);
            let t = pr.time[g0];
            for i in g0..gd {
                rs.update(row(i), risk[i], 1.0);
                rs.n += 1;
            }
            let d = g1 - gd;
            if d == 0 {
                continue;
            }
            // leave the risk set: entry at or after t
            while k < kend && plan.time[k] >= t {
                let i = plan.pos[k] as usize;
                rs.update(row(i), risk[i], -1.0);
                rs.n -= 1;
                k += 1;
            }
            if rs.n == 0 {
                rs.clear();
            }
            let df = d as f64;
            dead.clear();
            for i in gd..g1 {
                dead.update(row(i), risk[i], 1.0);
                loglik += eta[i];
                for j in 0..p {
                    u[j] += x[i * p + j];
                }
            }
            if !efron || d == 1 {
                let den = rs.denom + dead.denom;
                loglik -= df * den.ln();
                for j in 0..p {
                    mean[j] = (rs.a[j] + dead.a[j]) / den;
                    u[j] -= df * mean[j];
                }
                for j in 0..p {
                    for l in 0..=j {
                        imat[j * p + l] +=
                            df * ((rs.c[j * p + l] + dead.c[j * p + l]) / den - mean[j] * mean[l]);
                    }
                }
            } else {
                // the kk-th tied event sees the risk set with a fraction
                // f = (kk + 1) / d of the tied events' scores (Efron)
                for kk in 0..d {
                    let f = (kk + 1) as f64 / df;
                    let den = rs.denom + f * dead.denom;
                    loglik -= den.ln();
                    for j in 0..p {
                        mean[j] = (rs.a[j] + f * dead.a[j]) / den;
                        u[j] -= mean[j];
                    }
                    for j in 0..p {
                        for l in 0..=j {
                            imat[j * p + l] +=
                                (rs.c[j * p + l] + f * dead.c[j * p + l]) / den - mean[j] * mean[l];
                        }
                    }
                }
            }
            // the events join the risk set for earlier times
            for i in gd..g1 {
                rs.update(row(i), risk[i], 1.0);
                rs.n += 1;
            }
        }
    }
    for j in 0..p {
        for l in 0..j {
            imat[l * p + j] = imat[j * p + l];
        }
    }
    CoxEval {
        loglik,
        score: u,
        information: imat,
    }
}

/// A Fenwick tree of signed counts over ranks.
struct Fenwick {
    t: Vec<i64>,
}

impl Fenwick {
    fn add(&mut self, i: usize, v: i64) {
        let mut k = i + 1;
        while k < self.t.len() {
            self.t[k] += v;
            k += k & k.wrapping_neg();
        }
    }
    /// Sum of counts at ranks `< i`.
    fn prefix(&self, i: usize) -> i64 {
        let (mut k, mut s) = (i, 0);
        while k > 0 {
            s += self.t[k];
            k &= k - 1;
        }
        s
    }
}

/// Concordance counts of `lp_sorted` for `(start, stop]` data: an event of
/// row `i` at `t` is compared with every row at risk at `t`
/// (`start < t <= stop`) other than the events at `t` (those pairs are
/// tied on time); the rest as for right-censored data (see
/// [`ConcordanceCounts`]). O(n log n) with a Fenwick tree over the ranks of
/// the linear predictor, rows entering at their `stop` and leaving at
/// their `start`.
pub(crate) fn concordance(
    pr: &CoxProblem,
    plan: &EntryPlan,
    lp_sorted: &[f64],
) -> ConcordanceCounts {
    // dense ranks of the linear predictor
    let mut idx: Vec<usize> = (0..pr.n).collect();
    idx.sort_by(|&a, &b| lp_sorted[a].total_cmp(&lp_sorted[b]));
    let mut rank = vec![0usize; pr.n];
    let mut r = 0;
    for w in 0..idx.len() {
        if w > 0 && lp_sorted[idx[w]] != lp_sorted[idx[w - 1]] {
            r += 1;
        }
        rank[idx[w]] = r;
    }
    let nrank = r + 1;
    let (mut conc, mut disc, mut tx, mut ty, mut txy) = (0i64, 0i64, 0i64, 0i64, 0i64);
    for s in &pr.strata {
        let mut tree = Fenwick {
            t: vec![0; nrank + 1],
        };
        let mut at = vec![0i64; nrank];
        let mut total = 0i64;
        let mut k = s.start as usize;
        let kend = s.end as usize;
        for g in &pr.groups[s.g_start as usize..s.g_end as usize] {
            let (g0, gd, g1) = (g.start as usize, g.dead as usize, g.end as usize);
            let t = pr.time[g0];
            for i in g0..gd {
                tree.add(rank[i], 1);
                at[rank[i]] += 1;
                total += 1;
            }
            if g1 == gd {
                continue;
            }
            while k < kend && plan.time[k] >= t {
                let i = plan.pos[k] as usize;
                tree.add(rank[i], -1);
                at[rank[i]] -= 1;
                total -= 1;
                k += 1;
            }
            for i in gd..g1 {
                let less = tree.prefix(rank[i]);
                let eq = at[rank[i]];
                conc += less;
                tx += eq;
                disc += total - less - eq;
            }
            // pairs of events at t: tied on time, and on x when equal
            let mut rk: Vec<usize> = (gd..g1).map(|i| rank[i]).collect();
            rk.sort_unstable();
            let d = rk.len() as i64;
            let mut same = 0i64;
            let mut a = 0;
            while a < rk.len() {
                let b = a + rk[a..].iter().take_while(|&&v| v == rk[a]).count();
                let m = (b - a) as i64;
                same += m * (m - 1) / 2;
                a = b;
            }
            txy += same;
            ty += d * (d - 1) / 2 - same;
            for i in gd..g1 {
                tree.add(rank[i], 1);
                at[rank[i]] += 1;
                total += 1;
            }
        }
    }
    ConcordanceCounts {
        concordant: conc as f64,
        discordant: disc as f64,
        tied_x: tx as f64,
        tied_y: ty as f64,
        tied_xy: txy as f64,
    }
}
