//! Firth's penalised Cox regression (Heinze & Schemper 2001), the remedy
//! for monotone likelihood, and a fit that switches to it when needed.
//!
//! # Method
//!
//! The penalised log partial likelihood is
//!
//! ```text
//! l*(b) = l(b) + 1/2 log |I(b)|
//! ```
//!
//! (Jeffreys' invariant prior; Firth 1993), with `l` Breslow's log partial
//! likelihood and `I = -d2l/db2`. Its score is the modified score
//!
//! ```text
//! U*_t(b) = U_t(b) + 1/2 tr(I(b)⁻¹ dI/db_t),
//! dI/db_t = sum over event times of d_k E_k[(x - xbar)(x - xbar)'(x_t - xbar_t)]
//! ```
//!
//! (`E_k` the risk-score-weighted mean over the risk set, so the
//! derivative is the third central moment). Contracted with `I⁻¹`, the
//! trace needs only the leverages `h_i = x_i' I⁻¹ x_i`:
//! `tr(I⁻¹ dI/db_t) = sum_k d_k (A_t/S0 - B S1_t/S0^2 - 2 (V I⁻¹ xbar)_t)`
//! with `A = sum_R r h x`, `B = sum_R r h`, `S0 = sum_R r`,
//! `S1 = sum_R r x` and `V` the weighted covariance of the risk set:
//! O(n p^2) per evaluation.
//!
//! The estimate maximises `l*` by Newton-Raphson steps `I⁻¹ U*` (as R
//! `coxphf`), the largest component of a step capped at `max_step`, with
//! step-halving while `l*` does not increase. Inference, as `coxphf`:
//! standard errors from `I(b)⁻¹`; confidence limits from the profile
//! penalised likelihood, `{b_j : 2 (l*(b^) - max_{b_-j} l*(b_j, b_-j)) <= chi2_1(level)}`;
//! P values from the penalised likelihood-ratio test of `b_j = 0`,
//! `2 (l*(b^) - max_{b_-j} l*(0, b_-j))` on 1 df (the penalty keeps the
//! full information matrix); the global test `2 (l*(b^) - l*(0))`.
//! Firth's estimate is finite even when the ordinary one is infinite
//! (monotone likelihood: a covariate separates the events from the
//! survivors).
//!
//! Ties are handled by Breslow's method, as in `coxphf`. Columns that are
//! constant or collinear (singular information at 0) are left out and
//! reported as not estimable.
//!
//! References: Firth (1993) Biometrika 80:27; Heinze & Schemper (2001)
//! Biometrics 57:114 ("A solution to the problem of monotone likelihood
//! in Cox regression"); Heinze & Ploner (2002) Comput Methods Programs
//! Biomed 69:217 (the SAS/R implementation, `coxphf`); Venzon & Moolgavkar
//! (1988) Appl Stat 37:87 (profile-likelihood intervals).

use crate::cox::linalg::Ldl;
use crate::cox::{
    fit as cox_fit, ChiSquareTest, CoxData, CoxFit, CoxOptions, CoxProblem, CoxTerm, TermStatus,
    Ties,
};
use crate::select::sub_problem;
use crate::SurvivalError;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Options of [`firth`].
#[derive(Debug, Clone, PartialEq)]
pub struct FirthOptions {
    /// Confidence level of the profile-likelihood limits (default 0.95).
    pub conf_level: f64,
    /// Largest number of Newton-Raphson iterations (default 200; the
    /// steps `I⁻¹ U*` ignore the curvature of the penalty, so convergence
    /// is linear, typically 10-40 iterations).
    pub max_iter: usize,
    /// Convergence: the largest component of the last step, on the scale
    /// of standardised covariates, at most `eps` (default 1e-10).
    pub eps: f64,
    /// Largest component of a step on the standardised scale (default 5).
    pub max_step: f64,
    /// Largest number of step-halvings per iteration (default 25).
    pub max_halving: usize,
    /// Compute the profile-likelihood limits and penalised
    /// likelihood-ratio P values (default true; false gives Wald limits and
    /// P values, much faster on large data).
    pub profile: bool,
    /// Tolerance for singular (constant or collinear) columns, as
    /// [`CoxOptions::toler_chol`].
    pub toler_chol: f64,
}

impl Default for FirthOptions {
    fn default() -> Self {
        FirthOptions {
            conf_level: 0.95,
            max_iter: 200,
            eps: 1e-10,
            max_step: 5.0,
            max_halving: 25,
            profile: true,
            toler_chol: CoxOptions::default().toler_chol,
        }
    }
}

/// How a [`ModelFit`] was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FitMethod {
    /// Ordinary maximum partial likelihood.
    Cox,
    /// Firth's penalised partial likelihood.
    Firth,
}

/// What a Firth fit adds to the [`CoxFit`] fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirthDetails {
    /// Unpenalised log partial likelihood at the estimate (`loglik` of
    /// the fit is the penalised one).
    pub loglik_unpenalized: f64,
    /// Per term the penalised likelihood-ratio chi-square of `b_j = 0`
    /// (`terms[j].p` is its P value).
    pub lr_statistic: Vec<Option<f64>>,
    /// Per term the Wald P value `2 P(Z > |b / se|)`.
    pub p_wald: Vec<Option<f64>>,
    /// How the limits were computed: `"profile"` or `"wald"`.
    pub ci: &'static str,
}

/// A Cox fit with its method (the JSON of `oncomark cox`, with
/// `"method": "firth"` under `--firth`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelFit {
    /// Estimation method.
    pub method: FitMethod,
    /// The fit. For Firth: `loglik` and `loglik_null` are penalised,
    /// `terms[j].p` is the penalised likelihood-ratio P, `hr_lower` /
    /// `hr_upper` the profile-likelihood limits, `tests.likelihood_ratio`
    /// the penalised global test, `ties` Breslow.
    #[serde(flatten)]
    pub fit: CoxFit,
    /// Firth only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firth: Option<FirthDetails>,
}

// ------------------------------------------------------------ dense algebra

/// Cholesky factor `L` (row-major lower) of an SPD `n x n` matrix; `None`
/// when not positive definite.
fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    Some(l)
}

fn chol_solve(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut y = b.to_vec();
    for i in 0..n {
        for k in 0..i {
            y[i] -= l[i * n + k] * y[k];
        }
        y[i] /= l[i * n + i];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            y[i] -= l[k * n + i] * y[k];
        }
        y[i] /= l[i * n + i];
    }
    y
}

fn chol_inverse(l: &[f64], n: usize) -> Vec<f64> {
    let mut inv = vec![0.0; n * n];
    let mut e = vec![0.0; n];
    for c in 0..n {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[c] = 1.0;
        let x = chol_solve(l, n, &e);
        for r in 0..n {
            inv[r * n + c] = x[r];
        }
    }
    inv
}

// ------------------------------------------------------------ the penalty

/// The penalised likelihood and its modified score at one `beta`
/// (internal scale; `pl` without the scale constant).
#[derive(Debug, Clone)]
struct Pen {
    pl: f64,
    ll: f64,
    ustar: Vec<f64>,
    info: Vec<f64>,
}

/// Penalised log-likelihood, modified score and information (Breslow) at
/// the internal-scale `bs`; `None` when not finite or `I` is not positive
/// definite.
fn penalized(ps: &CoxProblem, bs: &[f64]) -> Option<Pen> {
    let p = ps.p;
    let e = ps.eval_scaled(bs);
    if !(e.loglik.is_finite()
        && e.score.iter().all(|v| v.is_finite())
        && e.information.iter().all(|v| v.is_finite()))
    {
        return None;
    }
    let l = cholesky(&e.information, p)?;
    let logdet: f64 = (0..p).map(|i| 2.0 * l[i * p + i].ln()).sum();
    let inv = chol_inverse(&l, p);
    let corr = penalty_gradient(ps, bs, &inv)?;
    let ustar: Vec<f64> = e
        .score
        .iter()
        .zip(&corr)
        .map(|(u, c)| u + 0.5 * c)
        .collect();
    Some(Pen {
        pl: e.loglik + 0.5 * logdet,
        ll: e.loglik,
        ustar,
        info: e.information,
    })
}

/// `tr(I⁻¹ dI/db_t)` for every `t` (see the [module docs](self)); with
/// `(start, stop]` data the rows whose start is at or after an event time
/// leave the sums before it is scored.
fn penalty_gradient(ps: &CoxProblem, bs: &[f64], inv: &[f64]) -> Option<Vec<f64>> {
    let p = ps.p;
    let x = &ps.x;
    let eta = ps.eta_sorted(bs);
    let emax = eta.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let risk: Vec<f64> = eta.iter().map(|&e| (e - emax).exp()).collect();
    // leverages h_i = x_i' I^-1 x_i
    let h: Vec<f64> = x
        .chunks_exact(p)
        .map(|xi| {
            (0..p)
                .map(|j| xi[j] * (0..p).map(|k| inv[j * p + k] * xi[k]).sum::<f64>())
                .sum()
        })
        .collect();
    let mut corr = vec![0.0; p];
    let mut xbar = vec![0.0; p];
    let mut w = vec![0.0; p];
    let mut sm = RiskSums::new(p);
    for s in &ps.strata {
        sm.clear();
        let mut kout = s.start as usize;
        for g in &ps.groups[s.g_start as usize..s.g_end as usize] {
            for i in g.start as usize..g.end as usize {
                sm.update(&x[i * p..(i + 1) * p], risk[i], h[i]);
            }
            let d = (g.end - g.dead) as f64;
            if d == 0.0 {
                continue;
            }
            if let Some(plan) = &ps.entry {
                let t = ps.time[g.start as usize];
                while kout < s.end as usize && plan.time[kout] >= t {
                    let i = plan.pos[kout] as usize;
                    sm.update(&x[i * p..(i + 1) * p], -risk[i], h[i]);
                    kout += 1;
                }
            }
            let s0 = sm.s0;
            if !(s0 > 0.0 && s0.is_finite()) {
                return None;
            }
            for j in 0..p {
                xbar[j] = sm.s1[j] / s0;
            }
            for j in 0..p {
                w[j] = (0..p).map(|k| inv[j * p + k] * xbar[k]).sum();
            }
            for t in 0..p {
                // (V w)_t with V = S2/S0 - xbar xbar'
                let mut vw = 0.0;
                for r in 0..p {
                    let s2tr = if r <= t {
                        sm.s2[t * p + r]
                    } else {
                        sm.s2[r * p + t]
                    };
                    vw += (s2tr / s0 - xbar[t] * xbar[r]) * w[r];
                }
                corr[t] += d * (sm.a[t] / s0 - sm.b * sm.s1[t] / (s0 * s0) - 2.0 * vw);
            }
        }
    }
    corr.iter().all(|v| v.is_finite()).then_some(corr)
}

/// Risk-set sums of the penalty gradient: `S0 = sum r`, `S1 = sum r x`,
/// `S2 = sum r x x'` (lower triangle), `A = sum r h x`, `B = sum r h`.
struct RiskSums {
    s0: f64,
    b: f64,
    s1: Vec<f64>,
    s2: Vec<f64>,
    a: Vec<f64>,
}

impl RiskSums {
    fn new(p: usize) -> Self {
        RiskSums {
            s0: 0.0,
            b: 0.0,
            s1: vec![0.0; p],
            s2: vec![0.0; p * p],
            a: vec![0.0; p],
        }
    }
    fn clear(&mut self) {
        self.s0 = 0.0;
        self.b = 0.0;
        self.s1.iter_mut().for_each(|v| *v = 0.0);
        self.s2.iter_mut().for_each(|v| *v = 0.0);
        self.a.iter_mut().for_each(|v| *v = 0.0);
    }
    /// Add a row with risk score `r` (negative to remove it) and leverage `h`.
    fn update(&mut self, xi: &[f64], r: f64, h: f64) {
        let p = xi.len();
        self.s0 += r;
        self.b += r * h;
        for j in 0..p {
            let rx = r * xi[j];
            self.s1[j] += rx;
            self.a[j] += rx * h;
            for k in 0..=j {
                self.s2[j * p + k] += rx * xi[k];
            }
        }
    }
}

/// A maximum of the penalised likelihood, possibly with one coefficient
/// held fixed.
#[derive(Debug, Clone)]
struct Solution {
    beta: Vec<f64>,
    pen: Pen,
    iterations: usize,
    converged: bool,
}

/// Maximise `l*` from `init` (internal scale); `fixed = Some(j)` keeps
/// `beta_j` at its initial value. `None` when `l*` is not finite at `init`.
fn maximize(
    ps: &CoxProblem,
    init: Vec<f64>,
    fixed: Option<usize>,
    opts: &FirthOptions,
) -> Option<Solution> {
    let p = ps.p;
    let free: Vec<usize> = (0..p).filter(|&j| Some(j) != fixed).collect();
    let q = free.len();
    let mut beta = init;
    let mut cur = penalized(ps, &beta)?;
    let mut converged = q == 0;
    let mut iterations = 0;
    while !converged && iterations < opts.max_iter {
        iterations += 1;
        let mut ifree = vec![0.0; q * q];
        for (a, &i) in free.iter().enumerate() {
            for (c, &j) in free.iter().enumerate() {
                ifree[a * q + c] = cur.info[i * p + j];
            }
        }
        let ufree: Vec<f64> = free.iter().map(|&j| cur.ustar[j]).collect();
        let Some(l) = cholesky(&ifree, q) else {
            break;
        };
        let mut delta = chol_solve(&l, q, &ufree);
        let mx = delta.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if mx > opts.max_step {
            delta.iter_mut().for_each(|v| *v *= opts.max_step / mx);
        }
        let mut t = 1.0;
        let mut accepted = None;
        for _ in 0..=opts.max_halving {
            let mut nb = beta.clone();
            for (a, &j) in free.iter().enumerate() {
                nb[j] += t * delta[a];
            }
            if let Some(pn) = penalized(ps, &nb) {
                // accept ties within rounding of the current value
                if pn.pl >= cur.pl - 1e-13 * cur.pl.abs().max(1.0) {
                    accepted = Some((nb, pn));
                    break;
                }
            }
            t *= 0.5;
        }
        match accepted {
            Some((nb, pn)) => {
                beta = nb;
                cur = pn;
                if t * mx.min(opts.max_step) <= opts.eps {
                    converged = true;
                }
            }
            None => {
                // no ascent left: at the optimum within rounding?
                converged = mx <= 1e-7;
                break;
            }
        }
    }
    Some(Solution {
        beta,
        pen: cur,
        iterations,
        converged,
    })
}

/// `sqrt(2 (pl_max - max l*(b, .)))` with `beta_j = b`, and the solution.
fn signed_root(
    ps: &CoxProblem,
    j: usize,
    b: f64,
    warm: &[f64],
    pl_max: f64,
    opts: &FirthOptions,
) -> Option<(f64, Solution)> {
    let mut init = warm.to_vec();
    init[j] = b;
    let s = maximize(ps, init, Some(j), opts)?;
    if !s.converged {
        return None;
    }
    Some(((2.0 * (pl_max - s.pen.pl)).max(0.0).sqrt(), s))
}

/// One profile-likelihood limit of `beta_j` (internal scale) on the side
/// `side` (+1 or -1): where the signed root reaches `z`.
fn profile_limit(
    ps: &CoxProblem,
    j: usize,
    sol: &Solution,
    se: f64,
    z: f64,
    side: f64,
    opts: &FirthOptions,
) -> Option<f64> {
    let bhat = sol.beta[j];
    let pl_max = sol.pen.pl;
    // bracket: (lo, r_lo < z), (hi, r_hi >= z)
    let (mut lo, mut r_lo) = (bhat, 0.0);
    let mut warm_lo = sol.beta.clone();
    let mut step = (z * se).max(1e-3);
    let (mut hi, mut r_hi, mut warm_hi);
    let mut tries = 0;
    loop {
        let b = bhat + side * step;
        let (r, s) = signed_root(ps, j, b, &warm_lo, pl_max, opts)?;
        if r >= z {
            (hi, r_hi, warm_hi) = (b, r, s.beta);
            break;
        }
        (lo, r_lo, warm_lo) = (b, r, s.beta);
        step *= 2.0;
        tries += 1;
        if tries > 40 {
            return None;
        }
    }
    // safeguarded secant on r(b) - z (r is close to linear in b)
    for _ in 0..100 {
        let width = (hi - lo).abs();
        if width <= 1e-11 * (1.0 + hi.abs()) {
            break;
        }
        let mut b = lo + (z - r_lo) * (hi - lo) / (r_hi - r_lo);
        let inner = (b - lo) * (b - hi) < 0.0;
        if !inner || !b.is_finite() {
            b = 0.5 * (lo + hi);
        }
        let warm = if (b - lo).abs() < (b - hi).abs() {
            &warm_lo
        } else {
            &warm_hi
        };
        let (r, s) = signed_root(ps, j, b, warm, pl_max, opts)?;
        if (r - z).abs() <= 1e-12 * z {
            return Some(b);
        }
        if r < z {
            (lo, r_lo, warm_lo) = (b, r, s.beta);
        } else {
            (hi, r_hi, warm_hi) = (b, r, s.beta);
        }
    }
    Some(lo + (z - r_lo) * (hi - lo) / (r_hi - r_lo))
}

fn check_options(opts: &FirthOptions) -> Result<(), SurvivalError> {
    if !(opts.conf_level > 0.0 && opts.conf_level < 1.0) {
        return Err(SurvivalError::BadConfLevel(opts.conf_level));
    }
    for (what, v, reason) in [
        (
            "eps",
            opts.eps,
            "the convergence tolerance must be a positive number such as 1e-10",
        ),
        (
            "max_step",
            opts.max_step,
            "the largest step must be positive, e.g. 5",
        ),
    ] {
        if !(v > 0.0 && v.is_finite()) {
            return Err(SurvivalError::BadOption {
                what,
                value: v,
                reason,
            });
        }
    }
    if !(opts.toler_chol > 0.0 && opts.toler_chol < 1.0) {
        return Err(SurvivalError::BadOption {
            what: "toler_chol",
            value: opts.toler_chol,
            reason: "the Cholesky tolerance must be in (0, 1), e.g. 1.8e-12",
        });
    }
    Ok(())
}

fn normal_two_sided(z: f64) -> f64 {
    statrs::distribution::Normal::new(0.0, 1.0)
        .map(|n| (2.0 * n.sf(z.abs())).min(1.0))
        .unwrap_or(f64::NAN)
}

/// Fit Cox's model by Firth's penalised partial likelihood (see the
/// [module docs](self) for the method, inference and references).
///
/// # Errors
/// [`SurvivalError::BadConfLevel`] / [`SurvivalError::BadOption`] for bad
/// options; [`SurvivalError::BadCovariateNames`] when no column is
/// estimable (all constant); [`SurvivalError::BadCoefficients`] when the
/// penalised likelihood cannot be evaluated at 0; the errors of
/// [`CoxProblem::new`]. Non-convergence and limits that cannot be found
/// are reported in `warnings`, never as a panic or a silent number.
///
/// # Example
/// ```
/// use oncomark_survival::cox::{CoxData, TermStatus};
/// use oncomark_survival::firth::{firth, FirthOptions};
/// // every event has x = 1, every censoring x = 0: the ordinary estimate
/// // is infinite, Firth's is finite (firthmodels 0.8.2: 2.565240809)
/// let d = CoxData::new(
///     &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
///     &[true, true, true, false, false, false],
///     &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
///     &["x"],
/// )?;
/// let f = firth(&d, &FirthOptions::default())?;
/// let t = &f.fit.terms[0];
/// assert!((t.coef.unwrap() - 2.565240809).abs() < 1e-7);
/// assert_eq!(t.status, TermStatus::Estimated);
/// assert!(t.hr_lower.unwrap() > 1.0); // profile limits exclude HR = 1
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn firth(data: &CoxData, opts: &FirthOptions) -> Result<ModelFit, SurvivalError> {
    check_options(opts)?;
    let pr = CoxProblem::new(data, Ties::Breslow)?;
    let p = pr.p;
    // constant or collinear columns (R cholesky2 rule at 0)
    let e0 = pr.eval_scaled(&vec![0.0; p]);
    let singular = Ldl::new(&e0.information, p, opts.toler_chol)
        .singular()
        .to_vec();
    let keep: Vec<usize> = (0..p).filter(|&j| !singular[j]).collect();
    if keep.is_empty() {
        return Err(SurvivalError::BadCovariateNames {
            reason: "no covariate can be estimated: every column is constant".into(),
        });
    }
    let q = keep.len();
    let ps = sub_problem(&pr, &keep);
    let scale = &ps.scale;
    let log_scale: f64 = scale.iter().map(|s| s.ln()).sum();
    let no_start = || SurvivalError::BadCoefficients {
        reason: "the penalised likelihood is not finite at beta = 0".into(),
    };
    let pen0 = penalized(&ps, &vec![0.0; q]).ok_or_else(no_start)?;
    let sol = maximize(&ps, vec![0.0; q], None, opts).ok_or_else(no_start)?;
    let mut warnings = Vec::new();
    if !sol.converged {
        warnings.push(format!(
            "Firth's fit did not converge in {} iterations; the estimates are those of the last iteration",
            opts.max_iter
        ));
    }
    for j in (0..p).filter(|&j| singular[j]) {
        warnings.push(format!(
            "covariate `{}` is constant or collinear with the others, so its coefficient cannot be estimated (NA); drop it",
            pr.names[j]
        ));
    }

    // the fit at the estimate: variance, concordance, linear predictor
    let beta: Vec<f64> = sol.beta.iter().zip(scale).map(|(b, s)| b * s).collect();
    let base = ps.fit(&CoxOptions {
        ties: Ties::Breslow,
        conf_level: opts.conf_level,
        max_iter: 0,
        toler_chol: opts.toler_chol,
        init: Some(beta.clone()),
        ..CoxOptions::default()
    })?;
    let inv = chol_inverse(&cholesky(&sol.pen.info, q).ok_or_else(no_start)?, q);
    let chi = ChiSquared::new(1.0).map_err(|_| SurvivalError::BadConfLevel(opts.conf_level))?;
    let zq = chi.inverse_cdf(opts.conf_level).sqrt();
    let mut lr_stat = vec![None; q];
    let mut lr_p = vec![None; q];
    let mut limits = vec![(None, None); q];
    for j in 0..q {
        let se_s = inv[j * q + j].sqrt();
        if !opts.profile {
            let b = sol.beta[j];
            limits[j] = (Some(b - zq * se_s), Some(b + zq * se_s));
            continue;
        }
        // penalised likelihood-ratio test of beta_j = 0
        let mut warm = sol.beta.clone();
        for k in 0..q {
            // start from the conditional mean given beta_j = 0
            warm[k] -= sol.beta[j] * inv[k * q + j] / inv[j * q + j];
        }
        match signed_root(&ps, j, 0.0, &warm, sol.pen.pl, opts) {
            Some((r, _)) => {
                lr_stat[j] = Some(r * r);
                lr_p[j] = Some(ChiSquareTest::new(r * r, 1).p);
            }
            None => warnings.push(format!(
                "the penalised likelihood-ratio test of `{}` did not converge; its P value is missing",
                ps.names[j]
            )),
        }
        let lo = profile_limit(&ps, j, &sol, se_s, zq, -1.0, opts);
        let hi = profile_limit(&ps, j, &sol, se_s, zq, 1.0, opts);
        if lo.is_none() || hi.is_none() {
            warnings.push(format!(
                "a profile-likelihood limit of `{}` could not be found; it is missing",
                ps.names[j]
            ));
        }
        limits[j] = (lo, hi);
    }

    // assemble, on the covariates' own scale, over all p columns
    let mut terms = Vec::with_capacity(p);
    let mut variance = vec![vec![0.0; p]; p];
    let mut coefficients = vec![0.0; p];
    let mut score_vector = vec![0.0; p];
    let mut lr_all = vec![None; p];
    let mut pw_all = vec![None; p];
    for j in 0..p {
        let Some(a) = keep.iter().position(|&k| k == j) else {
            terms.push(CoxTerm {
                term: pr.names[j].clone(),
                coef: None,
                se: None,
                hr: None,
                hr_lower: None,
                hr_upper: None,
                z: None,
                p: None,
                status: TermStatus::NotEstimable,
            });
            continue;
        };
        let s = scale[a];
        let b = beta[a];
        let se = inv[a * q + a].sqrt() * s;
        coefficients[j] = b;
        score_vector[j] = sol.pen.ustar[a] / s;
        for (c, &k) in keep.iter().enumerate() {
            variance[j][k] = inv[a * q + c] * s * scale[c];
        }
        let z = b / se;
        lr_all[j] = lr_stat[a];
        pw_all[j] = Some(normal_two_sided(z));
        terms.push(CoxTerm {
            term: pr.names[j].clone(),
            coef: Some(b),
            se: Some(se),
            hr: Some(b.exp()),
            hr_lower: limits[a].0.map(|v| (v * s).exp()),
            hr_upper: limits[a].1.map(|v| (v * s).exp()),
            z: Some(z),
            p: if opts.profile { lr_p[a] } else { pw_all[j] },
            status: TermStatus::Estimated,
        });
    }
    // global tests: penalised LR, Wald at the estimate, score at 0
    let wald = {
        let l = cholesky(&inv, q).map(|l| chol_solve(&l, q, &sol.beta));
        l.map_or(f64::NAN, |x| {
            x.iter().zip(&sol.beta).map(|(u, v)| u * v).sum()
        })
    };
    let score0 = {
        let e = ps.eval_scaled(&vec![0.0; q]);
        Ldl::new(&e.information, q, opts.toler_chol).quad_form(&e.score)
    };
    let mut fit = base;
    fit.iterations = sol.iterations;
    fit.converged = sol.converged;
    fit.loglik_null = pen0.pl - log_scale;
    fit.loglik = sol.pen.pl - log_scale;
    fit.terms = terms;
    fit.tests.likelihood_ratio = ChiSquareTest::new((2.0 * (sol.pen.pl - pen0.pl)).max(0.0), q);
    fit.tests.wald = ChiSquareTest::new(wald, q);
    fit.tests.score = ChiSquareTest::new(score0, q);
    fit.warnings = warnings;
    fit.variance = variance;
    fit.score_vector = score_vector;
    fit.coefficients = coefficients;
    fit.means = pr.means.clone();
    Ok(ModelFit {
        method: FitMethod::Firth,
        fit,
        firth: Some(FirthDetails {
            loglik_unpenalized: sol.pen.ll,
            lr_statistic: lr_all,
            p_wald: pw_all,
            ci: if opts.profile { "profile" } else { "wald" },
        }),
    })
}

/// Fit Cox's model, and refit by Firth's penalised likelihood when a
/// coefficient is infinite (monotone likelihood; see
/// [`crate::cox::TermStatus::Infinite`]), with a warning saying so.
///
/// The ordinary fit uses `cox`; the Firth fit `firth_opts` (Breslow ties,
/// as R `coxphf`).
///
/// # Errors
/// The errors of [`crate::cox::fit`] and of [`firth`].
///
/// # Example
/// ```
/// use oncomark_survival::cox::{CoxData, CoxOptions};
/// use oncomark_survival::firth::{fit_auto, FirthOptions, FitMethod};
/// let d = CoxData::new(
///     &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
///     &[true, true, true, false, false, false],
///     &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
///     &["x"],
/// )?;
/// let f = fit_auto(&d, &CoxOptions::default(), &FirthOptions::default())?;
/// assert_eq!(f.method, FitMethod::Firth);
/// assert!(f.fit.warnings[0].contains("Firth"));
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn fit_auto(
    data: &CoxData,
    cox: &CoxOptions,
    firth_opts: &FirthOptions,
) -> Result<ModelFit, SurvivalError> {
    let f = cox_fit(data, cox)?;
    let infinite: Vec<&str> = f
        .terms
        .iter()
        .filter(|t| t.status == TermStatus::Infinite)
        .map(|t| t.term.as_str())
        .collect();
    if infinite.is_empty() {
        return Ok(ModelFit {
            method: FitMethod::Cox,
            fit: f,
            firth: None,
        });
    }
    let mut m = firth(data, firth_opts)?;
    m.fit.warnings.insert(
        0,
        format!(
            "monotone likelihood: the ordinary estimate of {} is infinite, so the model was refitted by Firth's penalised partial likelihood (Heinze & Schemper 2001; Breslow ties; profile-likelihood limits)",
            infinite
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    Ok(m)
}
