//! Cox proportional-hazards regression, checked against R survival 3.5
//! `coxph`.
//!
//! The model: the hazard of subject `i` in stratum `s` is
//! `h_s(t) exp(x_i'beta)` with an unspecified baseline `h_s` per stratum.
//! `beta` maximises the partial likelihood (Cox 1972), with tied event
//! times handled by Efron's approximation (the default, as in R), Breslow's,
//! or the exact discrete likelihood.
//!
//! Layers, low to high:
//!
//! * [`CoxData`]: the validated input (times, events, covariate columns,
//!   names, optional strata; optional entry times making the rows
//!   counting-process intervals `(start, stop]`, for delayed entry and
//!   time-varying covariates, [`CoxData::with_entry`], Efron or Breslow
//!   ties, R `coxph(Surv(start, stop, event) ~ ...)`).
//! * [`CoxProblem`]: the data prepared once (sorted, tie groups, strata,
//!   centred covariates) with [`CoxProblem::eval`], the log partial
//!   likelihood, score and information at any `beta`. Score tests, Firth's
//!   penalty, model selection and residual diagnostics build on it.
//! * [`fit`] / [`CoxProblem::fit`]: Newton-Raphson with R's step-halving
//!   and convergence rule, giving a [`CoxFit`] with the terms, the
//!   likelihood-ratio, Wald and score tests, Harrell's concordance and
//!   warnings (collinear or constant covariates, infinite coefficients,
//!   non-convergence): never silent, never a panic.
//!
//! References: Cox (1972) JRSS B 34:187; Efron (1977) JASA 72:557;
//! Therneau & Grambsch (2000) *Modeling Survival Data*, Springer, ch. 3;
//! R survival 3.5 (`coxph`, `coxph.fit`, `coxfit6.c`, `coxexact.c`,
//! `cholesky2.c`, `concordancefit`).

mod concordance;
mod counting;
mod data;
mod exact;
// `fit` and `linalg` are crate-visible for the model-building modules
// (selection refits sub-models with the same Newton-Raphson and Cholesky).
pub(crate) mod fit;
pub(crate) mod linalg;
mod problem;

pub use concordance::ConcordanceCounts;
pub use data::CoxData;
pub use problem::{CoxEval, CoxProblem, EXACT_WORK_LIMIT};

use crate::SurvivalError;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// How tied event times enter the partial likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ties {
    /// Efron (1977): the default, as in R `coxph`.
    #[default]
    Efron,
    /// Breslow (1974): every tied event sees the full risk set.
    Breslow,
    /// The exact discrete (conditional logistic) likelihood, R
    /// `ties = "exact"`; costly for large tie sets (see
    /// [`EXACT_WORK_LIMIT`]).
    Exact,
}

/// Options of a Cox fit; the defaults are R `coxph`'s.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxOptions {
    /// Tie method (default Efron).
    pub ties: Ties,
    /// Level of the hazard-ratio confidence intervals (default 0.95).
    pub conf_level: f64,
    /// Largest number of Newton-Raphson iterations (default 20, R
    /// `iter.max`; 0 evaluates at `init` only and reports it as converged).
    pub max_iter: usize,
    /// Convergence: stop when `|1 - l_old / l_new| <= eps` (default 1e-9).
    pub eps: f64,
    /// Cholesky tolerance for singular (collinear) columns, relative to the
    /// largest diagonal of the information (default `f64::EPSILON^0.75`, R
    /// `toler.chol`).
    pub toler_chol: f64,
    /// Infinite-coefficient check: a coefficient whose last Newton step is
    /// larger than `eps` and than `toler_inf * |coef|` at convergence is
    /// reported as possibly infinite (default `None` = `sqrt(eps)`, R
    /// `toler.inf`).
    pub toler_inf: Option<f64>,
    /// Initial coefficients (default all 0). The "null" log-likelihood and
    /// the score test are taken at these values, and the Wald test is of
    /// `beta = init`.
    pub init: Option<Vec<f64>>,
    /// Compute Harrell's concordance (default `true`; an O(n log n) pass
    /// that repeated fits, e.g. model selection, may skip).
    pub concordance: bool,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: Ties::Efron,
            conf_level: 0.95,
            max_iter: 20,
            eps: 1e-9,
            toler_chol: f64::EPSILON.powf(0.75),
            toler_inf: None,
            init: None,
            concordance: true,
        }
    }
}

/// Why a term has or lacks an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermStatus {
    /// An ordinary finite estimate.
    Estimated,
    /// The likelihood kept rising along this coefficient (monotone
    /// likelihood): the reported value is where the iterations stopped and
    /// the true estimate is infinite; its SE, interval and Wald P are
    /// meaningless (use the likelihood-ratio test or Firth's penalty).
    Infinite,
    /// Not estimable: the column is constant or collinear with the others
    /// (R reports NA); all numbers are `null`.
    NotEstimable,
}

/// One coefficient of a Cox model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoxTerm {
    /// Covariate name.
    pub term: String,
    /// Coefficient (log hazard ratio).
    pub coef: Option<f64>,
    /// Its standard error, `sqrt(var_jj)`.
    pub se: Option<f64>,
    /// Hazard ratio `exp(coef)`.
    pub hr: Option<f64>,
    /// Lower confidence limit `exp(coef - z se)`, `z` the normal quantile.
    pub hr_lower: Option<f64>,
    /// Upper confidence limit `exp(coef + z se)`.
    pub hr_upper: Option<f64>,
    /// Wald statistic `coef / se`.
    pub z: Option<f64>,
    /// Two-sided Wald P, `2 P(Z > |z|)`.
    pub p: Option<f64>,
    /// Whether the estimate is usable.
    pub status: TermStatus,
}

/// A chi-square test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChiSquareTest {
    /// The statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// Upper-tail P value (1 when `df = 0`).
    pub p: f64,
}

impl ChiSquareTest {
    /// Build from a statistic and its degrees of freedom; `p` is the upper
    /// tail of the chi-square distribution, computed directly (not as
    /// `1 - cdf`) so that tiny P values keep their digits.
    ///
    /// # Example
    /// ```
    /// use oncomark_survival::cox::ChiSquareTest;
    /// // R: pchisq(120.651479750615, 9, lower.tail = FALSE) = 9.82839983570614e-22
    /// let t = ChiSquareTest::new(120.651479750615, 9);
    /// assert!((t.p / 9.82839983570614e-22 - 1.0).abs() < 1e-9);
    /// ```
    pub fn new(statistic: f64, df: usize) -> Self {
        ChiSquareTest {
            statistic,
            df,
            p: chisq_sf(statistic, df),
        }
    }
}

/// The three global tests of `beta = init` (R `summary.coxph`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CoxTests {
    /// `2 (l(beta^) - l(init))`.
    pub likelihood_ratio: ChiSquareTest,
    /// `(beta^ - init)' V^- (beta^ - init)` over the estimable terms.
    pub wald: ChiSquareTest,
    /// `U(init)' I(init)^- U(init)`.
    pub score: ChiSquareTest,
}

/// A fitted Cox model (the JSON of `oncomark cox`, plus what later
/// analyses need).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoxFit {
    /// Number of subjects.
    pub n: usize,
    /// Number of events.
    pub events: usize,
    /// Tie method.
    pub ties: Ties,
    /// Newton-Raphson iterations done.
    pub iterations: usize,
    /// Whether the convergence rule was met.
    pub converged: bool,
    /// Log partial likelihood at the initial values (`beta = 0` unless
    /// `init` was given).
    pub loglik_null: f64,
    /// Log partial likelihood at the estimate.
    pub loglik: f64,
    /// One entry per covariate, in input order.
    pub terms: Vec<CoxTerm>,
    /// Global tests.
    pub tests: CoxTests,
    /// Harrell's C as R `coxph` reports it (`None` without comparable
    /// pairs, or when not asked for).
    pub concordance: Option<f64>,
    /// Everything the caller must know: collinear or constant covariates,
    /// infinite coefficients, non-convergence.
    pub warnings: Vec<String>,
    /// Confidence level of the intervals.
    pub conf_level: f64,
    /// Number of strata (1 without strata).
    pub n_strata: usize,
    /// Pair counts behind `concordance` (all 0 when not asked for).
    pub concordance_counts: ConcordanceCounts,
    /// Variance matrix of the coefficients (inverse information; zero rows
    /// and columns for terms that are not estimable).
    pub variance: Vec<Vec<f64>>,
    /// Score vector `U(beta^)` at the estimate (near 0 after convergence).
    pub score_vector: Vec<f64>,
    /// Coefficients with 0 for terms that are not estimable (as used in
    /// the linear predictor).
    pub coefficients: Vec<f64>,
    /// Column means used to centre the linear predictor.
    pub means: Vec<f64>,
    /// Linear predictor `x_i'beta - means'beta` per subject, input order
    /// (not serialised).
    #[serde(skip)]
    pub linear_predictor: Vec<f64>,
}

fn chisq_sf(x: f64, df: usize) -> f64 {
    if df == 0 {
        return 1.0;
    }
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    match ChiSquared::new(df as f64) {
        Ok(d) => d.sf(x),
        Err(_) => f64::NAN,
    }
}

fn std_normal() -> Option<Normal> {
    Normal::new(0.0, 1.0).ok()
}

/// Two-sided normal P value `2 P(Z > |z|)`, from the upper tail.
fn normal_two_sided(z: f64) -> f64 {
    match std_normal() {
        Some(n) => (2.0 * n.sf(z.abs())).min(1.0),
        None => f64::NAN,
    }
}

/// Variance ratio (estimate over initial values) beyond which a coefficient
/// that is still moving outward when the iterations run out is taken as
/// diverging: the information along a separating covariate decays like
/// `exp(-|beta| * spread)`, so after R's 20 iterations (the coefficient
/// moves about 1 per iteration) it has fallen far more than this.
pub const DIVERGENCE_VAR_RATIO: f64 = 1e5;

/// Whether a coefficient diverges at a fit that ran out of iterations:
/// it moved away from its initial value (`moved`), the Newton step still
/// to go (`step`) points the same way and is not negligible (`> min_step`,
/// R's `toler.inf` rule), and its variance (internal scale, `var_hat`) is
/// at least [`DIVERGENCE_VAR_RATIO`] times that at the initial values
/// (`var_init`): the likelihood flattens out along it, as a monotone
/// likelihood does (Bryson & Johnson 1981, Biometrika 68:193; Heinze &
/// Schemper 2001, Biometrics 57:114).
fn diverged(moved: f64, step: f64, var_hat: f64, var_init: f64, min_step: f64) -> bool {
    moved != 0.0
        && step.signum() == moved.signum()
        && step.abs() > min_step
        && var_init > 0.0
        && var_hat > DIVERGENCE_VAR_RATIO * var_init
}

fn check_options(opts: &CoxOptions, p: usize) -> Result<(), SurvivalError> {
    if !(opts.conf_level > 0.0 && opts.conf_level < 1.0) {
        return Err(SurvivalError::BadConfLevel(opts.conf_level));
    }
    if !(opts.eps > 0.0 && opts.eps.is_finite()) {
        return Err(SurvivalError::BadOption {
            what: "eps",
            value: opts.eps,
            reason: "the convergence tolerance must be a positive number such as 1e-9",
        });
    }
    if !(opts.toler_chol > 0.0 && opts.toler_chol < 1.0) {
        return Err(SurvivalError::BadOption {
            what: "toler_chol",
            value: opts.toler_chol,
            reason: "the Cholesky tolerance must be in (0, 1), e.g. 1.8e-12",
        });
    }
    if let Some(t) = opts.toler_inf {
        if !(t > 0.0 && t.is_finite()) {
            return Err(SurvivalError::BadOption {
                what: "toler_inf",
                value: t,
                reason: "must be a positive number such as sqrt(eps)",
            });
        }
    }
    if let Some(init) = &opts.init {
        if init.len() != p {
            return Err(SurvivalError::BadCoefficients {
                reason: format!("init has {} values for {p} covariates", init.len()),
            });
        }
        if let Some(b) = init.iter().find(|b| !b.is_finite()) {
            return Err(SurvivalError::BadCoefficients {
                reason: format!("init value {b} is not finite"),
            });
        }
    }
    Ok(())
}

/// Fit a Cox model to `data`.
///
/// Prepares a [`CoxProblem`] (sorting once) and calls
/// [`CoxProblem::fit`]; see there for the method and the errors.
///
/// # Example
/// ```
/// use oncomark_survival::cox::{fit, CoxData, CoxOptions};
/// // Therneau's test1 (survival/tests/book1.R): Efron estimate 1.676857486
/// let d = CoxData::new(
///     &[1.0, 1.0, 6.0, 6.0, 8.0, 9.0],
///     &[true, false, true, true, false, true],
///     &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
///     &["x"],
/// )?;
/// let f = fit(&d, &CoxOptions::default())?;
/// assert!((f.terms[0].coef.unwrap() - 1.676857486).abs() < 1e-8);
/// assert!(f.converged && f.warnings.is_empty());
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn fit(data: &CoxData, opts: &CoxOptions) -> Result<CoxFit, SurvivalError> {
    check_options(opts, data.p())?;
    let pr = CoxProblem::new(data, opts.ties)?;
    pr.fit(opts)
}

impl CoxProblem {
    /// Fit the model by Newton-Raphson (R `coxph`). `opts.ties` is ignored:
    /// the problem's own tie method is used.
    ///
    /// Method (R survival 3.5 `coxfit6`): start at `init` (0), step
    /// `beta += I^- U` with the generalised inverse of the information
    /// (R `cholesky2` rule: a pivot below `toler_chol` times the largest
    /// diagonal marks a singular, i.e. constant or collinear, column, which
    /// keeps its initial value and is reported `NotEstimable` with a
    /// warning); a step that lowers the log-likelihood is pulled back
    /// toward the last good point; stop when `|1 - l_old / l_new| <= eps`.
    /// Then `var = I^-` at the estimate; Wald intervals
    /// `exp(beta +- z_{(1+level)/2} se)`; the likelihood-ratio, Wald and
    /// score tests of `beta = init` with `df` = number of estimable terms.
    /// A coefficient whose last Newton step is still large at convergence
    /// (`|U'V|_j > eps` and `> toler_inf |beta_j|`) is flagged
    /// `Infinite` with R's warning "Loglik converged before variable ...;
    /// coefficient may be infinite". Running out of iterations gives the
    /// last improving point, `converged = false` and a warning; a
    /// coefficient that is then still moving outward while its variance has
    /// grown [`DIVERGENCE_VAR_RATIO`]-fold is flagged `Infinite` too, with a
    /// warning recommending Firth's penalty (R flags nothing in that case).
    ///
    /// Differences from R, deliberate: R silences the "X matrix deemed to
    /// be singular" warning, we warn; after running out of iterations R's
    /// variance is only `1 / diag(I)` (its C code inverts an unfactored
    /// matrix), ours is the full inverse; R reports `iter.max + 1`
    /// iterations then, we report `max_iter`; the exact method uses the same
    /// step-halving as Efron/Breslow.
    ///
    /// # Errors
    /// [`SurvivalError::BadConfLevel`], [`SurvivalError::BadOption`],
    /// [`SurvivalError::BadCoefficients`] (bad `init`, or `init` making
    /// `exp(x'beta)` overflow).
    ///
    /// # Example
    /// ```
    /// use oncomark_survival::cox::{CoxData, CoxOptions, CoxProblem, Ties};
    /// // Therneau's test1, Breslow: e^beta = (3 + sqrt 33) / 2 exactly;
    /// // the score test at 0 is 8/5 (both derived by hand)
    /// let d = CoxData::new(
    ///     &[1.0, 1.0, 6.0, 6.0, 8.0, 9.0],
    ///     &[true, false, true, true, false, true],
    ///     &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
    ///     &["x"],
    /// )?;
    /// let f = CoxProblem::new(&d, Ties::Breslow)?.fit(&CoxOptions::default())?;
    /// let want = ((3.0 + 33f64.sqrt()) / 2.0).ln();
    /// assert!((f.terms[0].coef.unwrap() - want).abs() < 1e-9);
    /// assert!((f.tests.score.statistic - 1.6).abs() < 1e-12);
    /// # Ok::<(), oncomark_survival::SurvivalError>(())
    /// ```
    pub fn fit(&self, opts: &CoxOptions) -> Result<CoxFit, SurvivalError> {
        check_options(opts, self.p)?;
        let p = self.p;
        let scale = &self.scale;
        let init_orig: Vec<f64> = opts.init.clone().unwrap_or_else(|| vec![0.0; p]);
        let init: Vec<f64> = init_orig.iter().zip(scale).map(|(b, s)| b / s).collect();
        let nr = fit::newton(self, init, opts).ok_or_else(|| SurvivalError::BadCoefficients {
            reason: "the initial values make exp(x'beta) overflow; start from 0".into(),
        })?;

        // back to the covariates' own scale
        let beta: Vec<f64> = nr.beta.iter().zip(scale).map(|(b, s)| b * s).collect();
        let u: Vec<f64> = nr
            .eval
            .score
            .iter()
            .zip(scale)
            .map(|(v, s)| v / s)
            .collect();
        let vs = nr.chol.inverse();
        let mut var = vec![0.0; p * p];
        for j in 0..p {
            for k in 0..p {
                var[j * p + k] = vs[j * p + k] * scale[j] * scale[k];
            }
        }
        let singular: Vec<bool> = if opts.max_iter > 0 {
            nr.chol.singular().to_vec()
        } else {
            vec![false; p]
        };

        let lp_sorted = self.eta_sorted(&nr.beta);
        let mut warnings = Vec::new();
        let mut infinite = vec![false; p];
        let toler_inf = opts.toler_inf.unwrap_or(opts.eps.sqrt());
        // Newton step still to go at the estimate: |U' V|
        let infs: Vec<f64> = (0..p)
            .map(|k| (0..p).map(|j| u[j] * var[j * p + k]).sum::<f64>().abs())
            .collect();
        if opts.max_iter > 0 {
            if !nr.converged {
                warnings.push(format!(
                    "Ran out of iterations and did not converge (max_iter = {}): the estimates are those of the last iteration that improved the log-likelihood; raise max_iter or check the covariates",
                    opts.max_iter
                ));
                let lpmax = lp_sorted.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                if lpmax > 500.0 || infs.iter().any(|v| !v.is_finite()) {
                    warnings.push("one or more coefficients may be infinite".into());
                }
                // Divergence (monotone likelihood) that R leaves unflagged
                // when it runs out of iterations: see `diverged`.
                let init_s: Vec<f64> = init_orig.iter().zip(scale).map(|(b, s)| b / s).collect();
                let v0 =
                    linalg::Ldl::new(&self.eval_scaled(&init_s).information, p, opts.toler_chol)
                        .inverse();
                let steps: Vec<f64> = (0..p)
                    .map(|k| (0..p).map(|j| u[j] * var[j * p + k]).sum::<f64>())
                    .collect();
                for j in 0..p {
                    infinite[j] = !singular[j]
                        && diverged(
                            beta[j] - init_orig[j],
                            steps[j],
                            vs[j * p + j],
                            v0[j * p + j],
                            toler_inf * beta[j].abs(),
                        );
                }
                for j in (0..p).filter(|&j| infinite[j]) {
                    warnings.push(format!(
                        "coefficient of `{}` diverges: after {} iterations it is {:.4} and still growing while its variance has grown {:.1e}-fold (monotone likelihood: the covariate separates events from survivors). The true estimate is infinite; its SE, interval and Wald P are not usable: use the likelihood-ratio test or Firth's penalised fit",
                        self.names[j],
                        opts.max_iter,
                        beta[j],
                        vs[j * p + j] / v0[j * p + j]
                    ));
                }
            } else if opts.max_iter > 1 {
                // as R: no verdict on a fit forced to a single step
                for j in 0..p {
                    infinite[j] = !singular[j]
                        && (!u[j].is_finite()
                            || (infs[j] > opts.eps && infs[j] > toler_inf * beta[j].abs()));
                }
                for j in (0..p).filter(|&j| infinite[j]) {
                    warnings.push(format!(
                        "Loglik converged before variable `{}`; coefficient may be infinite (monotone likelihood: the covariate separates events from survivors). Its estimate {:.4}, SE and Wald P are not usable; use the likelihood-ratio test or Firth's penalised fit",
                        self.names[j], beta[j]
                    ));
                }
            }
        }
        for j in (0..p).filter(|&j| singular[j]) {
            if self.constant[j] {
                warnings.push(format!(
                    "covariate `{}` is constant, so its coefficient cannot be estimated (NA); drop it",
                    self.names[j]
                ));
            } else {
                warnings.push(format!(
                    "covariate `{}` is collinear with the other covariates (the information matrix is singular), so its coefficient is NA; drop it or one of the columns it duplicates",
                    self.names[j]
                ));
            }
        }

        // terms
        let zq = std_normal()
            .map(|n| n.inverse_cdf(1.0 - (1.0 - opts.conf_level) / 2.0))
            .unwrap_or(f64::NAN);
        let terms: Vec<CoxTerm> = (0..p)
            .map(|j| {
                if singular[j] {
                    return CoxTerm {
                        term: self.names[j].clone(),
                        coef: None,
                        se: None,
                        hr: None,
                        hr_lower: None,
                        hr_upper: None,
                        z: None,
                        p: None,
                        status: TermStatus::NotEstimable,
                    };
                }
                let b = beta[j];
                let se = var[j * p + j].sqrt();
                let z = b / se;
                CoxTerm {
                    term: self.names[j].clone(),
                    coef: Some(b),
                    se: Some(se),
                    hr: Some(b.exp()),
                    hr_lower: Some((b - zq * se).exp()),
                    hr_upper: Some((b + zq * se).exp()),
                    z: Some(z),
                    p: Some(normal_two_sided(z)),
                    status: if infinite[j] {
                        TermStatus::Infinite
                    } else {
                        TermStatus::Estimated
                    },
                }
            })
            .collect();

        // global tests
        let df = singular.iter().filter(|&&s| !s).count();
        let keep: Vec<usize> = (0..p).filter(|&j| !singular[j]).collect();
        let q = keep.len();
        let mut vsub = vec![0.0; q * q];
        let mut dsub = vec![0.0; q];
        for (a, &j) in keep.iter().enumerate() {
            dsub[a] = beta[j] - init_orig[j];
            for (b, &k) in keep.iter().enumerate() {
                vsub[a * q + b] = var[j * p + k];
            }
        }
        let wald = if q > 0 {
            linalg::Ldl::new(&vsub, q, opts.toler_chol).quad_form(&dsub)
        } else {
            0.0
        };
        let tests = CoxTests {
            likelihood_ratio: ChiSquareTest::new(2.0 * (nr.eval.loglik - nr.loglik_init), df),
            wald: ChiSquareTest::new(wald, df),
            score: ChiSquareTest::new(nr.score_test, df),
        };

        // the concordance and the linear predictor in input order, side by side
        let (counts, lp) = rayon::join(
            || {
                if opts.concordance {
                    concordance::counts(self, &lp_sorted)
                } else {
                    ConcordanceCounts::default()
                }
            },
            || {
                let mut lp = vec![0.0; self.n];
                for (pos, &row) in self.order.iter().enumerate() {
                    lp[row as usize] = lp_sorted[pos];
                }
                lp
            },
        );
        Ok(CoxFit {
            n: self.n,
            events: self.n_events,
            ties: self.ties,
            iterations: nr.iterations,
            converged: nr.converged,
            loglik_null: nr.loglik_init,
            loglik: nr.eval.loglik,
            terms,
            tests,
            concordance: counts.concordance(),
            warnings,
            conf_level: opts.conf_level,
            n_strata: self.strata.len(),
            concordance_counts: counts,
            variance: var.chunks_exact(p).map(|r| r.to_vec()).collect(),
            score_vector: u,
            coefficients: beta,
            means: self.means.clone(),
            linear_predictor: lp,
        })
    }
}
