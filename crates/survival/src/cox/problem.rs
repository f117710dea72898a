//! The Cox partial likelihood, prepared once and evaluated at any `beta`.

use super::concordance::ConcordanceCounts;
use super::data::CoxData;
use super::exact;
use super::Ties;
use crate::order::{f64_key, key_f64, merge_tied_times, sort_keys_with_payload};
use crate::SurvivalError;
use rayon::prelude::*;

/// Limit on the operations per iteration of the exact (discrete) partial
/// likelihood: `sum over strata of n_s * dmax_s * (1 + p + p(p+1)/2)`.
pub const EXACT_WORK_LIMIT: f64 = 1e9;

/// Below this many rows the work is not split across threads.
const PAR_MIN_ROWS: usize = 50_000;

/// One distinct (tie-merged) time within a stratum, in sorted order:
/// positions `start..dead` are censored there, `dead..end` have an event.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group {
    pub(crate) start: u32,
    pub(crate) dead: u32,
    pub(crate) end: u32,
}

/// A stratum: sorted positions `start..end`, groups `g_start..g_end`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stratum {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) g_start: u32,
    pub(crate) g_end: u32,
}

/// The log partial likelihood with its first and second derivatives at one
/// `beta` (on the scale of the covariates as given).
#[derive(Debug, Clone, PartialEq)]
pub struct CoxEval {
    /// Log partial likelihood `l(beta)`.
    pub loglik: f64,
    /// Score vector `U(beta) = dl/dbeta` (length `p`).
    pub score: Vec<f64>,
    /// Information matrix `I(beta) = -d2l/dbeta2`, row-major `p x p`.
    pub information: Vec<f64>,
}

/// Right-censored Cox data prepared once for repeated evaluation of the
/// partial likelihood: sorted by stratum and decreasing time, times tied by
/// R's `aeqSurv` rule merged, covariates centred and scaled and stored
/// row-major in that order, tied-time groups and strata marked.
///
/// # Definition
///
/// With risk score `r_i = exp(x_i'beta)`, risk set `R(t)` = subjects of the
/// stratum with time `>= t`, and `D(t)` the `d` subjects with an event at
/// `t`, the log partial likelihood is a sum over event times of
///
/// * Breslow: `sum_{i in D} x_i'beta - d log sum_{R} r_j`;
/// * Efron: `sum_{i in D} x_i'beta - sum_{k=0}^{d-1} log(sum_R r_j - (k/d) sum_D r_j)`;
/// * exact (discrete): `sum_{i in D} x_i'beta - log sum_{S in R, |S|=d} prod_{j in S} r_j`
///   (all subsets of `d` subjects of the risk set).
///
/// The score and information are its first derivative and negative second
/// derivative. References: Cox (1972) JRSS B 34:187; Breslow (1974)
/// Biometrics 30:89; Efron (1977) JASA 72:557; Kalbfleisch & Prentice
/// (2002) *The Statistical Analysis of Failure Time Data*, 2nd ed., §4.2;
/// Gail, Lubin & Rubinstein (1981) Biometrika 68:703 (the recursion for the
/// exact likelihood); Therneau & Grambsch (2000) *Modeling Survival Data*,
/// ch. 3. Computation follows R survival `coxfit6.c`: one pass from the
/// longest time down, keeping the risk-set sums `sum r`, `sum r x`,
/// `sum r x x'`, so each evaluation costs O(n p^2).
///
/// Covariates are centred at their mean and scaled by the inverse of their
/// mean absolute deviation, except columns whose values all lie in
/// {-1, 0, 1}, which are left alone (R `coxph`'s `nocenter`). This changes
/// neither the likelihood nor the Newton-Raphson path, only rounding, and
/// makes the Cholesky tolerance act as in R.
///
/// # Example
/// ```
/// use oncomark_survival::cox::{CoxData, CoxProblem, Ties};
/// // Therneau's test1: at beta = 0 the Breslow log-likelihood is
/// // -log 6 - 2 log 4 - log 1 = -4.564348191467836 (hand-derived).
/// let d = CoxData::new(
///     &[1.0, 1.0, 6.0, 6.0, 8.0, 9.0],
///     &[true, false, true, true, false, true],
///     &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
///     &["x"],
/// )?;
/// let pr = CoxProblem::new(&d, Ties::Breslow)?;
/// let e = pr.eval(&[0.0])?;
/// assert!((e.loglik + 4.564348191467836).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CoxProblem {
    pub(crate) n: usize,
    pub(crate) p: usize,
    pub(crate) ties: Ties,
    /// Row-major `n x p`, sorted, centred and scaled.
    pub(crate) x: Vec<f64>,
    /// Sorted position -> input row.
    pub(crate) order: Vec<u32>,
    /// Tie-merged time per sorted position (read by the tests and kept
    /// for time-dependent work: cox.zph transforms, residuals).
    #[allow(dead_code)]
    pub(crate) time: Vec<f64>,
    pub(crate) groups: Vec<Group>,
    pub(crate) strata: Vec<Stratum>,
    pub(crate) means: Vec<f64>,
    pub(crate) scale: Vec<f64>,
    /// Sum of the (centred, scaled) covariates over the events.
    pub(crate) xdead: Vec<f64>,
    pub(crate) n_events: usize,
    /// For ties = exact: per group `log C(n_risk, d)` (0 without events).
    pub(crate) log_choose: Vec<f64>,
    /// For ties = exact: per stratum the largest number of tied events.
    pub(crate) max_dead: Vec<u32>,
    /// Covariate names.
    pub(crate) names: Vec<String>,
    /// Columns with a single value.
    pub(crate) constant: Vec<bool>,
    /// `(start, stop]` data: when rows leave the risk set.
    pub(crate) entry: Option<super::counting::EntryPlan>,
}

impl CoxProblem {
    /// Prepare `data` for the tie method `ties`.
    ///
    /// # Errors
    /// [`SurvivalError::TooLarge`] beyond `u32::MAX` rows;
    /// [`SurvivalError::ExactTiesTooLarge`] when `ties` is
    /// [`Ties::Exact`] and a tie set is too large for the exact recursion
    /// (see [`EXACT_WORK_LIMIT`]).
    pub fn new(data: &CoxData, ties: Ties) -> Result<Self, SurvivalError> {
        let n = data.n();
        let p = data.p();
        crate::order::check_len(n)?;

        // 1. ascending time (stable), then R's aeqSurv merge of near ties
        let keys: Vec<u64> = data.time.iter().map(|&t| f64_key(t)).collect();
        let (keys, mut idx) = par_sort(keys);
        let mut t_asc: Vec<f64> = keys.iter().map(|&k| key_f64(k)).collect();
        drop(keys);
        merge_tied_times(&mut t_asc);

        // 2. group by stratum (stable counting sort keeps time order),
        //    then reverse each stratum to decreasing time.
        let (order, time, bounds) = match &data.strata {
            None => {
                idx.reverse();
                t_asc.reverse();
                (idx, t_asc, vec![0usize, n])
            }
            Some(st) => {
                let mut labels: Vec<u32> = st.clone();
                labels.sort_unstable();
                labels.dedup();
                let dense = |s: u32| labels.binary_search(&s).unwrap_or(0);
                let mut count = vec![0usize; labels.len() + 1];
                for &s in st {
                    count[dense(s) + 1] += 1;
                }
                for k in 1..count.len() {
                    count[k] += count[k - 1];
                }
                let bounds = count.clone();
                let mut order = vec![0u32; n];
                let mut time = vec![0.0; n];
                let mut next = count;
                for (&row, &t) in idx.iter().zip(&t_asc) {
                    let k = dense(st[row as usize]);
                    order[next[k]] = row;
                    time[next[k]] = t;
                    next[k] += 1;
                }
                for w in bounds.windows(2) {
                    order[w[0]..w[1]].reverse();
                    time[w[0]..w[1]].reverse();
                }
                (order, time, bounds)
            }
        };
        let mut order = order;

        // 3. tied-time groups; within a group censored rows come first
        let mut groups = Vec::new();
        let mut strata = Vec::new();
        let mut n_events = 0usize;
        let (mut cens, mut dead): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
        for w in bounds.windows(2) {
            let (s0, s1) = (w[0], w[1]);
            if s0 == s1 {
                continue;
            }
            let g_start = groups.len();
            let mut a = s0;
            while a < s1 {
                let mut b = a + 1;
                while b < s1 && time[b] == time[a] {
                    b += 1;
                }
                // stable partition: censored then events
                let seg = &mut order[a..b];
                let nc = if b - a == 1 {
                    usize::from(!data.event[seg[0] as usize])
                } else {
                    cens.clear();
                    dead.clear();
                    for &r in seg.iter() {
                        if data.event[r as usize] {
                            dead.push(r);
                        } else {
                            cens.push(r);
                        }
                    }
                    seg[..cens.len()].copy_from_slice(&cens);
                    seg[cens.len()..].copy_from_slice(&dead);
                    cens.len()
                };
                n_events += b - a - nc;
                groups.push(Group {
                    start: a as u32,
                    dead: (a + nc) as u32,
                    end: b as u32,
                });
                a = b;
            }
            strata.push(Stratum {
                start: s0 as u32,
                end: s1 as u32,
                g_start: g_start as u32,
                g_end: groups.len() as u32,
            });
        }

        // 4. centre and scale (R coxfit6 with coxph's nocenter = c(-1, 0, 1)).
        //    One pass writes the rows in input order (row-major) and
        //    collects sum, min, max per column; a second finds the mean
        //    absolute deviations; then whole rows are gathered into sorted
        //    order, centred and scaled (one random access per row). Chunk
        //    sums are combined in chunk order: the result does not depend on
        //    the number of threads.
        const ROWS: usize = 1 << 14;
        let cols: Vec<&[f64]> = (0..p).map(|j| data.column(j)).collect();
        let mut xr = vec![0.0; n * p];
        let first: Vec<Vec<(f64, f64, f64, bool)>> = xr
            .par_chunks_mut(ROWS * p)
            .enumerate()
            .map(|(c, chunk)| {
                let r0 = c * ROWS;
                let m = chunk.len() / p;
                (0..p)
                    .map(|j| {
                        let col = &cols[j][r0..r0 + m];
                        let (mut sum, mut lo, mut hi, mut unit) = (0.0, col[0], col[0], true);
                        for (dst, &v) in chunk[j..].iter_mut().step_by(p).zip(col) {
                            *dst = v;
                            sum += v;
                            lo = lo.min(v);
                            hi = hi.max(v);
                            unit &= v == 0.0 || v == 1.0 || v == -1.0;
                        }
                        (sum, lo, hi, unit)
                    })
                    .collect()
            })
            .collect();
        let mut means = vec![0.0; p];
        let mut scale = vec![1.0; p];
        let mut constant = vec![false; p];
        let mut unit = vec![true; p];
        for j in 0..p {
            let (mut sum, mut lo, mut hi) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
            for c in &first {
                sum += c[j].0;
                lo = lo.min(c[j].1);
                hi = hi.max(c[j].2);
                unit[j] &= c[j].3;
            }
            constant[j] = lo == hi;
            if !unit[j] {
                means[j] = sum / n as f64;
            }
        }
        let mad: Vec<Vec<f64>> = (0..n.div_ceil(ROWS))
            .into_par_iter()
            .map(|c| {
                let (r0, r1) = (c * ROWS, ((c + 1) * ROWS).min(n));
                (0..p)
                    .map(|j| {
                        if unit[j] {
                            0.0
                        } else {
                            cols[j][r0..r1].iter().map(|&v| (v - means[j]).abs()).sum()
                        }
                    })
                    .collect()
            })
            .collect();
        for j in (0..p).filter(|&j| !unit[j]) {
            let m: f64 = mad.iter().map(|c| c[j]).sum();
            scale[j] = if m > 0.0 { n as f64 / m } else { 1.0 };
        }
        let mut x = vec![0.0; n * p];
        x.par_chunks_mut(ROWS * p)
            .zip(order.par_chunks(ROWS))
            .for_each(|(chunk, rows)| {
                for (dst, &row) in chunk.chunks_exact_mut(p).zip(rows) {
                    let r = row as usize * p;
                    for j in 0..p {
                        dst[j] = (xr[r + j] - means[j]) * scale[j];
                    }
                }
            });
        drop(xr);
        let mut xdead = vec![0.0; p];
        for g in &groups {
            for pos in g.dead as usize..g.end as usize {
                for j in 0..p {
                    xdead[j] += x[pos * p + j];
                }
            }
        }

        let mut pr = CoxProblem {
            n,
            p,
            ties,
            x,
            order: std::mem::take(&mut order),
            time,
            groups,
            strata,
            means,
            scale,
            xdead,
            n_events,
            log_choose: Vec::new(),
            max_dead: Vec::new(),
            names: data.names.clone(),
            constant,
            entry: None,
        };
        if let Some(start) = &data.entry {
            pr.entry = Some(super::counting::plan(&pr, start)?);
        }
        if ties == Ties::Exact {
            exact::plan(&mut pr)?;
        }
        Ok(pr)
    }

    /// Number of subjects.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of covariates.
    pub fn p(&self) -> usize {
        self.p
    }

    /// Number of events.
    pub fn events(&self) -> usize {
        self.n_events
    }

    /// The tie method.
    pub fn ties(&self) -> Ties {
        self.ties
    }

    /// Column means used to centre the linear predictor (0 for columns
    /// whose values all lie in {-1, 0, 1}, as R `coxph`).
    pub fn means(&self) -> &[f64] {
        &self.means
    }

    /// Covariate names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of strata.
    pub fn n_strata(&self) -> usize {
        self.strata.len()
    }

    fn check_beta(&self, beta: &[f64]) -> Result<(), SurvivalError> {
        if beta.len() != self.p {
            return Err(SurvivalError::BadCoefficients {
                reason: format!("{} values for {} covariates", beta.len(), self.p),
            });
        }
        if let Some(b) = beta.iter().find(|b| !b.is_finite()) {
            return Err(SurvivalError::BadCoefficients {
                reason: format!("{b} is not finite"),
            });
        }
        Ok(())
    }

    /// Log partial likelihood, score and information at `beta` (one
    /// coefficient per covariate, on the covariates' own scale).
    ///
    /// # Errors
    /// [`SurvivalError::BadCoefficients`] if `beta` has the wrong length or
    /// a non-finite value.
    ///
    /// # Example
    /// ```
    /// use oncomark_survival::cox::{CoxData, CoxProblem, Ties};
    /// // Therneau's test1, Efron, at beta = 0 (derived by hand):
    /// // l = -log 6 - log 4 - log 3, U = 13/12, I = 83/144
    /// let d = CoxData::new(
    ///     &[1.0, 1.0, 6.0, 6.0, 8.0, 9.0],
    ///     &[true, false, true, true, false, true],
    ///     &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
    ///     &["x"],
    /// )?;
    /// let e = CoxProblem::new(&d, Ties::Efron)?.eval(&[0.0])?;
    /// assert!((e.loglik + 72f64.ln()).abs() < 1e-12);
    /// assert!((e.score[0] - 13.0 / 12.0).abs() < 1e-12);
    /// assert!((e.information[0] - 83.0 / 144.0).abs() < 1e-12);
    /// # Ok::<(), oncomark_survival::SurvivalError>(())
    /// ```
    pub fn eval(&self, beta: &[f64]) -> Result<CoxEval, SurvivalError> {
        self.check_beta(beta)?;
        let bs: Vec<f64> = beta.iter().zip(&self.scale).map(|(b, s)| b / s).collect();
        let mut e = self.eval_scaled(&bs);
        let p = self.p;
        // x~ = (x - m) s, beta = s beta~: U = U~ / s, I = I~ / (s s')
        for j in 0..p {
            e.score[j] /= self.scale[j];
            for k in 0..p {
                e.information[j * p + k] /= self.scale[j] * self.scale[k];
            }
        }
        Ok(e)
    }

    /// Linear predictor `x_i'beta - means'beta` for every subject, in input
    /// order (R `coxph`'s `linear.predictors`).
    ///
    /// # Errors
    /// As [`CoxProblem::eval`].
    ///
    /// # Example
    /// ```
    /// use oncomark_survival::cox::{CoxData, CoxProblem, Ties};
    /// let d = CoxData::new(&[2.0, 1.0, 3.0], &[true, true, false], &[vec![1.0, 2.0, 6.0]], &["x"])?;
    /// let lp = CoxProblem::new(&d, Ties::Efron)?.linear_predictor(&[0.5])?;
    /// // centred at the mean 3: 0.5 * (x - 3)
    /// for (g, w) in lp.iter().zip([-1.0, -0.5, 1.5]) {
    ///     assert!((g - w).abs() < 1e-12);
    /// }
    /// # Ok::<(), oncomark_survival::SurvivalError>(())
    /// ```
    pub fn linear_predictor(&self, beta: &[f64]) -> Result<Vec<f64>, SurvivalError> {
        self.check_beta(beta)?;
        let bs: Vec<f64> = beta.iter().zip(&self.scale).map(|(b, s)| b / s).collect();
        let lp = self.eta_sorted(&bs);
        let mut out = vec![0.0; self.n];
        for (pos, &row) in self.order.iter().enumerate() {
            out[row as usize] = lp[pos];
        }
        Ok(out)
    }

    /// Harrell's concordance of the linear predictor `x'beta` (definition
    /// in [`ConcordanceCounts`]: R survival 3.5 `concordancefit` with
    /// `reverse = TRUE`, as `coxph` reports it), within strata.
    ///
    /// # Errors
    /// As [`CoxProblem::eval`].
    ///
    /// # Example
    /// ```
    /// use oncomark_survival::cox::{CoxData, CoxProblem, Ties};
    /// // Therneau's test1: 5 concordant pairs, 4 tied on x, none
    /// // discordant (R 3.5-3 coxph: C = 7/9)
    /// let d = CoxData::new(
    ///     &[1.0, 1.0, 6.0, 6.0, 8.0, 9.0],
    ///     &[true, false, true, true, false, true],
    ///     &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
    ///     &["x"],
    /// )?;
    /// let c = CoxProblem::new(&d, Ties::Efron)?.concordance(&[1.0])?;
    /// assert_eq!((c.concordant, c.discordant, c.tied_x), (5.0, 0.0, 4.0));
    /// assert!((c.concordance().unwrap() - 7.0 / 9.0).abs() < 1e-15);
    /// # Ok::<(), oncomark_survival::SurvivalError>(())
    /// ```
    pub fn concordance(&self, beta: &[f64]) -> Result<ConcordanceCounts, SurvivalError> {
        self.check_beta(beta)?;
        let bs: Vec<f64> = beta.iter().zip(&self.scale).map(|(b, s)| b / s).collect();
        Ok(super::concordance::counts(self, &self.eta_sorted(&bs)))
    }

    /// `x~_i' beta~` in sorted order (internal scale).
    pub(crate) fn eta_sorted(&self, bs: &[f64]) -> Vec<f64> {
        let p = self.p;
        let mut eta = vec![0.0; self.n];
        const ROWS: usize = 1 << 14;
        eta.par_chunks_mut(ROWS)
            .zip(self.x.par_chunks(ROWS * p))
            .for_each(|(e, x)| {
                for (ei, xi) in e.iter_mut().zip(x.chunks_exact(p)) {
                    *ei = xi.iter().zip(bs).map(|(a, b)| a * b).sum();
                }
            });
        eta
    }

    /// Evaluation on the internal (centred, scaled) parametrisation.
    pub(crate) fn eval_scaled(&self, bs: &[f64]) -> CoxEval {
        if let Some(plan) = &self.entry {
            return super::counting::eval(self, plan, bs);
        }
        let mut e = match self.ties {
            Ties::Exact => exact::eval(self, bs),
            Ties::Breslow | Ties::Efron => match self.p {
                1 => self.eval_be::<1>(bs),
                2 => self.eval_be::<2>(bs),
                3 => self.eval_be::<3>(bs),
                4 => self.eval_be::<4>(bs),
                5 => self.eval_be::<5>(bs),
                6 => self.eval_be::<6>(bs),
                7 => self.eval_be::<7>(bs),
                8 => self.eval_be::<8>(bs),
                _ => self.eval_be::<0>(bs),
            },
        };
        let p = self.p;
        // the kernels fill the lower triangle
        for j in 0..p {
            for k in 0..j {
                e.information[k * p + j] = e.information[j * p + k];
            }
        }
        e
    }

    /// Breslow / Efron kernel (R `coxfit6_iter`). `P` is `p` when known at
    /// compile time (so the inner loops unroll), 0 otherwise.
    fn eval_be<const P: usize>(&self, bs: &[f64]) -> CoxEval {
        let p = if P > 0 { P } else { self.p };
        let ns = self.strata.len();
        let mut e = if ns > 1 && self.n >= PAR_MIN_ROWS {
            // strata are independent: chunks of strata in parallel; the
            // partial sums are added in stratum order, so the result does
            // not depend on the scheduling
            let chunk = ns.div_ceil(4 * rayon::current_num_threads()).max(1);
            let parts: Vec<CoxEval> = self
                .strata
                .par_chunks(chunk)
                .map(|ss| self.be_strata::<P>(bs, ss))
                .collect();
            let mut it = parts.into_iter();
            let mut acc = it.next().unwrap_or_else(|| self.be_strata::<P>(bs, &[]));
            for q in it {
                acc.loglik += q.loglik;
                for (a, b) in acc.score.iter_mut().zip(&q.score) {
                    *a += b;
                }
                for (a, b) in acc.information.iter_mut().zip(&q.information) {
                    *a += b;
                }
            }
            acc
        } else {
            self.be_strata::<P>(bs, &self.strata)
        };
        for j in 0..p {
            e.loglik += bs[j] * self.xdead[j];
            e.score[j] += self.xdead[j];
        }
        e
    }

    /// The risk-set sums of [`CoxProblem::eval_be`] over some strata
    /// (without the constant event terms).
    fn be_strata<const P: usize>(&self, bs: &[f64], strata: &[Stratum]) -> CoxEval {
        let p = if P > 0 { P } else { self.p };
        let efron = self.ties == Ties::Efron;
        let x = &self.x;
        let mut loglik = 0.0;
        let mut u = vec![0.0; p];
        let mut imat = vec![0.0; p * p];
        let mut a = vec![0.0; p];
        let mut c = vec![0.0; p * p];
        let mut a2 = vec![0.0; p];
        let mut c2 = vec![0.0; p * p];
        let mut mean = vec![0.0; p];
        let beta = &bs[..p];

        #[inline(always)]
        fn add_row(
            p: usize,
            xi: &[f64],
            beta: &[f64],
            denom: &mut f64,
            a: &mut [f64],
            c: &mut [f64],
        ) {
            let mut eta = 0.0;
            for j in 0..p {
                eta += xi[j] * beta[j];
            }
            let r = eta.exp();
            *denom += r;
            for j in 0..p {
                let rx = r * xi[j];
                a[j] += rx;
                let cj = &mut c[j * p..j * p + j + 1];
                for k in 0..=j {
                    cj[k] += rx * xi[k];
                }
            }
        }

        for s in strata {
            let mut denom = 0.0;
            a.iter_mut().for_each(|v| *v = 0.0);
            c.iter_mut().for_each(|v| *v = 0.0);
            for g in &self.groups[s.g_start as usize..s.g_end as usize] {
                let (g0, gd, g1) = (g.start as usize, g.dead as usize, g.end as usize);
                for xi in x[g0 * p..gd * p].chunks_exact(p) {
                    add_row(p, xi, beta, &mut denom, &mut a, &mut c);
                }
                let d = g1 - gd;
                if d == 0 {
                    continue;
                }
                if !efron || d == 1 {
                    for xi in x[gd * p..g1 * p].chunks_exact(p) {
                        add_row(p, xi, beta, &mut denom, &mut a, &mut c);
                    }
                    let df = d as f64;
                    loglik -= df * denom.ln();
                    for j in 0..p {
                        mean[j] = a[j] / denom;
                        u[j] -= df * mean[j];
                    }
                    for j in 0..p {
                        for k in 0..=j {
                            imat[j * p + k] += df * (c[j * p + k] / denom - mean[j] * mean[k]);
                        }
                    }
                } else {
                    let mut denom2 = 0.0;
                    a2.iter_mut().for_each(|v| *v = 0.0);
                    c2.iter_mut().for_each(|v| *v = 0.0);
                    for xi in x[gd * p..g1 * p].chunks_exact(p) {
                        add_row(p, xi, beta, &mut denom2, &mut a2, &mut c2);
                    }
                    // Efron: the k-th of the d tied events (k = 0..d-1)
                    // sees denom + f_k denom2, f_k = (k + 1) / d (R adds
                    // 1/d of the events at each step). With w_k = 1 / that
                    // denominator, its mean is (a + f_k a2) w_k and its
                    // second moment (c + f_k c2) w_k, so the d terms sum to
                    //   u -= a S1 + a2 Sf1,
                    //   I += c S1 + c2 Sf1
                    //        - (a a' S2 + (a a2' + a2 a') Sf2 + a2 a2' Sff2),
                    // S1 = sum w, Sf1 = sum f w, S2 = sum w^2,
                    // Sf2 = sum f w^2, Sff2 = sum f^2 w^2: O(d + p^2).
                    // The d logarithms are taken of running products (one
                    // log per batch; a product is logged before it can
                    // leave [1e-100, 1e100], and extreme factors alone).
                    let df = d as f64;
                    let (mut s1, mut sf1, mut s2, mut sf2, mut sff2) = (0.0, 0.0, 0.0, 0.0, 0.0);
                    let mut prod = 1.0;
                    for kk in 0..d {
                        let f = (kk + 1) as f64 / df;
                        let dk = denom + f * denom2;
                        let w = 1.0 / dk;
                        if (1e-100..=1e100).contains(&dk) {
                            prod *= dk;
                            if !(1e-100..=1e100).contains(&prod) {
                                loglik -= prod.ln();
                                prod = 1.0;
                            }
                        } else {
                            loglik -= dk.ln();
                        }
                        let w2 = w * w;
                        s1 += w;
                        sf1 += f * w;
                        s2 += w2;
                        sf2 += f * w2;
                        sff2 += f * f * w2;
                    }
                    loglik -= prod.ln();
                    for j in 0..p {
                        u[j] -= a[j] * s1 + a2[j] * sf1;
                    }
                    for j in 0..p {
                        for k in 0..=j {
                            imat[j * p + k] += c[j * p + k] * s1 + c2[j * p + k] * sf1
                                - (a[j] * a[k] * s2
                                    + (a[j] * a2[k] + a2[j] * a[k]) * sf2
                                    + a2[j] * a2[k] * sff2);
                        }
                    }
                    denom += denom2;
                    for j in 0..p {
                        a[j] += a2[j];
                        for k in 0..=j {
                            c[j * p + k] += c2[j * p + k];
                        }
                    }
                }
            }
        }
        CoxEval {
            loglik,
            score: u,
            information: imat,
        }
    }
}

/// Stable ascending sort of `keys`, returning the sorted keys and the
/// original positions: the radix sort of [`crate::order`] on each half in
/// parallel, then a stable merge.
fn par_sort(mut keys: Vec<u64>) -> (Vec<u64>, Vec<u32>) {
    let n = keys.len();
    let mut idx: Vec<u32> = (0..n as u32).collect();
    if n < 1 << 17 {
        sort_keys_with_payload(&mut keys, &mut idx);
        return (keys, idx);
    }
    let mid = n / 2;
    let mut k2 = keys.split_off(mid);
    let mut i2 = idx.split_off(mid);
    let (mut k1, mut i1) = (keys, idx);
    rayon::join(
        || sort_keys_with_payload(&mut k1, &mut i1),
        || sort_keys_with_payload(&mut k2, &mut i2),
    );
    let mut ko = Vec::with_capacity(n);
    let mut io = Vec::with_capacity(n);
    let (mut a, mut b) = (0, 0);
    while a < k1.len() && b < k2.len() {
        // ties take the left half first: stable
        if k2[b] < k1[a] {
            ko.push(k2[b]);
            io.push(i2[b]);
            b += 1;
        } else {
            ko.push(k1[a]);
            io.push(i1[a]);
            a += 1;
        }
    }
    ko.extend_from_slice(&k1[a..]);
    io.extend_from_slice(&i1[a..]);
    ko.extend_from_slice(&k2[b..]);
    io.extend_from_slice(&i2[b..]);
    (ko, io)
}
