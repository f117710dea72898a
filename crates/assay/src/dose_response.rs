//! Log-logistic dose-response curves (drc's LL.4, LL.3, LL.3u, LL.2) and
//! effective doses (ED/IC values) with delta-method intervals.
//!
//! # Model
//!
//! `f(x) = c + (d - c) / (1 + exp(b (ln x - ln e)))`, with `c` the lower and
//! `d` the upper asymptote, `e` the dose giving a response half way between
//! them (ED50) and `b` the slope (positive for a curve that falls with dose,
//! as drc writes it). At `x = 0` the curve equals `d` when `b > 0` and `c`
//! when `b < 0`. LL.3 fixes `c` (the bottom, usually 0), LL.3u fixes `d`
//! (the top, e.g. 100 for viability in % of control) and LL.2 fixes both
//! (Ritz, Baty, Streibig and Gerhard, "Dose-response analysis using R",
//! PLoS ONE 10:e0146021, 2015; R package drc).
//!
//! # Fit
//!
//! Least squares by Levenberg-Marquardt from several starting values: the
//! self-starter linearisation `ln((d0 - y)/(y - c0)) = b ln x - b ln e`
//! (with `c0`, `d0` just outside the response range), and variations of its
//! slope and midpoint; the best converged fit is kept. The internal
//! parameter is `ln e`, so `e` stays positive. When both asymptotes are
//! free and the fit ends with `c > d`, the equivalent curve with `b -> -b`
//! and `c <-> d` is reported, so `c` is always the lower asymptote (drc's
//! convention).
//!
//! # Standard errors
//!
//! As drc's `vcov` for continuous responses: the inverse of the **full**
//! Hessian `H` of the residual sum of squares at the optimum (not the
//! Gauss-Newton `2 J'J`), `V = 2 s^2 H^-1`, `s^2 = RSS / (n - p)`. `H` is
//! computed analytically, `H = 2 sum_i (J_i J_i' - r_i F_i)` with `F_i` the
//! second derivatives of the curve. (Verified against drc's ryegrass
//! output, whose SEs differ from the `J'J` ones in the third digit.)
//!
//! # Refusing nonsense
//!
//! A fit is refused with an error (never a made-up IC50) when the doses do
//! not span enough levels, the response is flat, the curve explains no
//! more than a constant (F test, `no_effect_alpha`), the optimiser does not
//! converge, or the Hessian is not positive definite at the optimum.
//! An ED value outside the tested dose range is flagged `extrapolated`; an
//! absolute response level the curve never reaches gives no estimate and a
//! note.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, FisherSnedecor, StudentsT};

use crate::error::{check_conf_level, check_finite, AssayError, Result};
use crate::linalg::spd_inverse;
use crate::lm::{levenberg_marquardt, LmOptions, LsqModel};

/// Which asymptotes of the log-logistic curve are fixed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct LogLogisticModel {
    /// Fixed lower asymptote `c`, or `None` to estimate it.
    pub bottom: Option<f64>,
    /// Fixed upper asymptote `d`, or `None` to estimate it.
    pub top: Option<f64>,
}

impl LogLogisticModel {
    /// LL.4: all four parameters estimated.
    pub const fn ll4() -> Self {
        LogLogisticModel {
            bottom: None,
            top: None,
        }
    }
    /// LL.3: lower asymptote fixed (drc's default is 0).
    pub const fn ll3(bottom: f64) -> Self {
        LogLogisticModel {
            bottom: Some(bottom),
            top: None,
        }
    }
    /// LL.3u: upper asymptote fixed (e.g. 100 for % of control).
    pub const fn ll3u(top: f64) -> Self {
        LogLogisticModel {
            bottom: None,
            top: Some(top),
        }
    }
    /// LL.2: both asymptotes fixed (drc's default is 0 and 1).
    pub const fn ll2(bottom: f64, top: f64) -> Self {
        LogLogisticModel {
            bottom: Some(bottom),
            top: Some(top),
        }
    }
    /// drc's name of the model: `LL.4`, `LL.3`, `LL.3u` or `LL.2`.
    pub fn name(&self) -> &'static str {
        match (self.bottom, self.top) {
            (None, None) => "LL.4",
            (Some(_), None) => "LL.3",
            (None, Some(_)) => "LL.3u",
            (Some(_), Some(_)) => "LL.2",
        }
    }
    fn n_free(&self) -> usize {
        2 + usize::from(self.bottom.is_none()) + usize::from(self.top.is_none())
    }
}

/// Whether an ED level is a percentage of the curve's range or a response
/// value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EdType {
    /// ED p: the dose giving p % of the full effect, measured from the
    /// response at dose 0 towards the other asymptote (drc
    /// `type = "relative"`, `reference = "control"`).
    #[default]
    Relative,
    /// ED y: the dose at which the curve equals the response value y (drc
    /// `type = "absolute"`), e.g. 50 for "IC50" on viability in % of
    /// control.
    Absolute,
}

/// Options of [`fit_log_logistic`].
#[derive(Debug, Clone, PartialEq)]
pub struct DoseResponseOptions {
    /// Which parameters are fixed (default LL.4).
    pub model: LogLogisticModel,
    /// ED levels to report with the fit (default 50).
    pub ed_levels: Vec<f64>,
    /// Relative or absolute ED levels (default relative).
    pub ed_type: EdType,
    /// Confidence level of the ED intervals (default 0.95).
    pub conf_level: f64,
    /// Refuse the fit when the F test of the curve against a constant has a
    /// P value above this (default `Some(0.05)`); `None` fits anyway.
    pub no_effect_alpha: Option<f64>,
    /// Maximum optimiser iterations per start (default 500).
    pub max_iter: usize,
}

impl Default for DoseResponseOptions {
    fn default() -> Self {
        DoseResponseOptions {
            model: LogLogisticModel::ll4(),
            ed_levels: vec![50.0],
            ed_type: EdType::Relative,
            conf_level: 0.95,
            no_effect_alpha: Some(0.05),
            max_iter: 500,
        }
    }
}

/// The four parameters (fixed ones at their fixed value).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LlParameters {
    /// Slope (positive: response falls with dose).
    pub b: f64,
    /// Lower asymptote.
    pub c: f64,
    /// Upper asymptote.
    pub d: f64,
    /// ED50: dose half way between the asymptotes.
    pub e: f64,
}

/// Standard errors; `None` (JSON `null`) for a fixed parameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LlStdErrors {
    /// SE of `b`.
    pub b: Option<f64>,
    /// SE of `c`.
    pub c: Option<f64>,
    /// SE of `d`.
    pub d: Option<f64>,
    /// SE of `e`.
    pub e: Option<f64>,
}

/// F test of the fitted curve against a constant response (no dose effect).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NoEffectTest {
    /// `((RSS0 - RSS) / df1) / (RSS / df2)`.
    pub f: f64,
    /// Numerator df: free parameters minus 1.
    pub df1: usize,
    /// Residual df of the curve.
    pub df2: usize,
    /// Upper-tail P value.
    pub p: f64,
}

/// One effective dose with its delta-method interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdEstimate {
    /// Level asked for (percent for relative, response for absolute).
    pub level: f64,
    /// `relative` or `absolute`.
    #[serde(rename = "type")]
    pub ed_type: EdType,
    /// The dose, or `None` when the curve never reaches the level.
    pub estimate: Option<f64>,
    /// Delta-method standard error.
    pub se: Option<f64>,
    /// Lower limit `estimate - t se`.
    pub lower: Option<f64>,
    /// Upper limit `estimate + t se`.
    pub upper: Option<f64>,
    /// True when the estimate lies outside the tested positive doses.
    pub extrapolated: bool,
    /// Why there is no estimate, or a caution.
    pub note: Option<String>,
}

/// A fitted log-logistic curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoseResponseFit {
    /// drc's model name.
    pub model: &'static str,
    /// Observations used.
    pub n: usize,
    /// Parameter estimates.
    pub parameters: LlParameters,
    /// Their standard errors (full-Hessian, as drc).
    pub se: LlStdErrors,
    /// Names of the fixed parameters.
    pub fixed: Vec<&'static str>,
    /// `sqrt(RSS / df)`.
    pub residual_se: f64,
    /// Residual degrees of freedom `n - p`.
    pub df: usize,
    /// Residual sum of squares.
    pub rss: f64,
    /// Optimiser iterations of the retained start.
    pub iterations: usize,
    /// Test of the curve against no dose effect.
    pub no_effect: NoEffectTest,
    /// Smallest positive and largest dose.
    pub dose_range: [f64; 2],
    /// Effective doses asked for in the options.
    pub ed: Vec<EdEstimate>,
    /// Covariance matrix of (b, c, d, e), zero rows for fixed parameters.
    #[serde(skip)]
    pub vcov: [[f64; 4]; 4],
}

/// Fit a log-logistic dose-response curve by least squares.
///
/// See the [module documentation](self) for the model, the fit and the
/// standard errors.
///
/// # Errors
///
/// [`AssayError::LengthMismatch`], [`AssayError::NonFinite`],
/// [`AssayError::BadValue`] (negative dose), [`AssayError::NoDoseRange`]
/// (fewer distinct doses than parameters, or fewer than 2 positive),
/// [`AssayError::TooFewPoints`] (no residual df), [`AssayError::FlatResponse`],
/// [`AssayError::NotConverged`], [`AssayError::NotIdentifiable`],
/// [`AssayError::NoDoseEffect`], [`AssayError::BadConfLevel`],
/// [`AssayError::BadLevel`].
///
/// # Example
///
/// drc's `ryegrass` data (R drc 3.0-1, `drm(rootl ~ conc, fct = LL.4())`):
///
/// ```
/// use oncomark_assay::dose_response::{fit_log_logistic, DoseResponseOptions};
/// let conc = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.94, 0.94, 0.94, 1.88, 1.88, 1.88,
///             3.75, 3.75, 3.75, 7.5, 7.5, 7.5, 15.0, 15.0, 15.0, 30.0, 30.0, 30.0];
/// let rootl = [7.58, 8.0, 8.328571429, 7.25, 7.375, 7.9625, 8.355555556,
///              6.914285714, 7.75, 6.871428571, 6.45, 5.922222222, 1.925,
///              2.885714286, 4.233333333, 1.1875, 0.857142857, 1.057142857,
///              0.6875, 0.525, 0.825, 0.25, 0.22, 0.44];
/// let fit = fit_log_logistic(&conc, &rootl, &DoseResponseOptions::default()).unwrap();
/// assert!((fit.parameters.e - 3.05795).abs() < 1e-4);
/// assert!((fit.se.b.unwrap() - 0.46506).abs() < 1e-4);
/// let ed50 = &fit.ed[0];
/// assert!((ed50.lower.unwrap() - 2.67053).abs() < 1e-4);
/// ```
pub fn fit_log_logistic(
    dose: &[f64],
    response: &[f64],
    opts: &DoseResponseOptions,
) -> Result<DoseResponseFit> {
    let model = opts.model;
    let name = model.name();
    if response.len() != dose.len() {
        return Err(AssayError::LengthMismatch {
            what: "response",
            got: response.len(),
            expected: dose.len(),
        });
    }
    if dose.is_empty() {
        return Err(AssayError::Empty { what: "dose" });
    }
    check_finite("dose", dose)?;
    check_finite("response", response)?;
    check_conf_level(opts.conf_level)?;
    for (k, v) in [("bottom", model.bottom), ("top", model.top)] {
        if let Some(v) = v {
            if !v.is_finite() {
                return Err(AssayError::BadOption {
                    what: if k == "bottom" { "bottom" } else { "top" },
                    value: v,
                    reason: "a fixed asymptote must be finite",
                });
            }
        }
    }
    if let (Some(lo), Some(hi)) = (model.bottom, model.top) {
        if lo == hi {
            return Err(AssayError::BadOption {
                what: "top",
                value: hi,
                reason: "fixed top and bottom must differ",
            });
        }
    }
    if let Some(a) = opts.no_effect_alpha {
        if !(a > 0.0 && a < 1.0) {
            return Err(AssayError::BadOption {
                what: "no_effect_alpha",
                value: a,
                reason: "must be in (0, 1), or None",
            });
        }
    }
    for (index, &value) in dose.iter().enumerate() {
        if value < 0.0 {
            return Err(AssayError::BadValue {
                what: "dose",
                index,
                value,
                reason: "doses must be >= 0",
            });
        }
    }
    let p = model.n_free();
    let n = dose.len();
    let core = fit_core(dose, response, model, opts.max_iter, opts.no_effect_alpha)?;
    if n <= p {
        return Err(AssayError::TooFewPoints {
            what: format!("{name} fit (residual degrees of freedom)"),
            got: n,
            need: p + 1,
        });
    }
    let CoreFit {
        par,
        rss,
        iterations,
        min_positive: min_pos,
        max_dose,
    } = core;
    let df = n - p;
    let s2 = rss / df as f64;

    let no_effect = no_effect_test(response, rss, p);
    let df1 = no_effect.df1;

    // covariance from the full Hessian of the RSS
    let free = model.free_mask();
    let idx: Vec<usize> = (0..4).filter(|&k| free[k]).collect();
    let h4 = half_hessian(dose, response, &par);
    let mut h = vec![0.0; p * p];
    for (a, &i) in idx.iter().enumerate() {
        for (b, &j) in idx.iter().enumerate() {
            h[a * p + b] = h4[i][j];
        }
    }
    let Some(hinv) = spd_inverse(&h, p) else {
        return Err(AssayError::NotIdentifiable {
            model: name,
            reason: "the Hessian of the residual sum of squares is not positive definite".into(),
        });
    };
    let mut vcov = [[0.0; 4]; 4];
    for (a, &i) in idx.iter().enumerate() {
        for (b, &j) in idx.iter().enumerate() {
            vcov[i][j] = s2 * hinv[a * p + b];
        }
    }
    let se_of = |k: usize| free[k].then(|| vcov[k][k].sqrt());
    let se = LlStdErrors {
        b: se_of(0),
        c: se_of(1),
        d: se_of(2),
        e: se_of(3),
    };
    if [se.b, se.c, se.d, se.e]
        .iter()
        .flatten()
        .any(|v| !v.is_finite())
    {
        return Err(AssayError::NotIdentifiable {
            model: name,
            reason: "a standard error is not finite".into(),
        });
    }
    if let Some(alpha) = opts.no_effect_alpha {
        if no_effect.p.is_nan() || no_effect.p > alpha {
            return Err(AssayError::NoDoseEffect {
                model: name,
                f: no_effect.f,
                df1,
                df2: df,
                p: no_effect.p,
                alpha,
            });
        }
    }
    let fixed = [("c", model.bottom), ("d", model.top)]
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| *k)
        .collect();
    let mut fit = DoseResponseFit {
        model: name,
        n,
        parameters: par,
        se,
        fixed,
        residual_se: s2.sqrt(),
        df,
        rss,
        iterations,
        no_effect,
        dose_range: [min_pos, max_dose],
        ed: Vec::new(),
        vcov,
    };
    fit.ed = fit.ed(&opts.ed_levels, opts.ed_type, opts.conf_level)?;
    Ok(fit)
}

impl DoseResponseFit {
    /// The fitted curve at dose `x` (`x >= 0`).
    pub fn predict(&self, x: f64) -> f64 {
        ll_value(&self.parameters, x)
    }

    /// Effective doses at `levels` with delta-method intervals using the t
    /// quantile on the residual df (drc `ED(..., interval = "delta")`).
    ///
    /// Relative level p: `ED = e (p / (100 - p))^(1/b)`, with `p` replaced
    /// by `100 - p` for a rising curve (`b < 0`) so that the level is always
    /// measured from the response at dose 0. Absolute level y:
    /// `ED = e ((d - y) / (y - c))^(1/b)`, defined for `y` strictly between
    /// the asymptotes. The gradient of `ED` in (b, c, d, e) is analytic.
    ///
    /// # Errors
    ///
    /// [`AssayError::BadLevel`] for a relative level outside (0, 100) or a
    /// non-finite level; [`AssayError::BadConfLevel`].
    ///
    /// # Example
    ///
    /// ```
    /// # use oncomark_assay::dose_response::*;
    /// # let conc = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.94, 0.94, 0.94, 1.88, 1.88, 1.88,
    /// #             3.75, 3.75, 3.75, 7.5, 7.5, 7.5, 15.0, 15.0, 15.0, 30.0, 30.0, 30.0];
    /// # let rootl = [7.58, 8.0, 8.328571429, 7.25, 7.375, 7.9625, 8.355555556,
    /// #              6.914285714, 7.75, 6.871428571, 6.45, 5.922222222, 1.925,
    /// #              2.885714286, 4.233333333, 1.1875, 0.857142857, 1.057142857,
    /// #              0.6875, 0.525, 0.825, 0.25, 0.22, 0.44];
    /// let fit = fit_log_logistic(&conc, &rootl, &DoseResponseOptions::default()).unwrap();
    /// let ed = fit.ed(&[90.0], EdType::Relative, 0.95).unwrap();
    /// // drc 3.0-1: ED90 6.38864 (4.62580, 8.15148)
    /// assert!((ed[0].estimate.unwrap() - 6.38864).abs() < 1e-4);
    /// assert!((ed[0].upper.unwrap() - 8.15148).abs() < 1e-4);
    /// ```
    pub fn ed(&self, levels: &[f64], ed_type: EdType, conf_level: f64) -> Result<Vec<EdEstimate>> {
        check_conf_level(conf_level)?;
        let tq = StudentsT::new(0.0, 1.0, self.df as f64)
            .map(|t| t.inverse_cdf(0.5 + conf_level / 2.0))
            .unwrap_or(f64::NAN);
        let LlParameters { b, c, d, e } = self.parameters;
        let mut out = Vec::with_capacity(levels.len());
        for &level in levels {
            if !level.is_finite() {
                return Err(AssayError::BadLevel {
                    level,
                    reason: "not a finite number".into(),
                });
            }
            let empty = |note: String| EdEstimate {
                level,
                ed_type,
                estimate: None,
                se: None,
                lower: None,
                upper: None,
                extrapolated: false,
                note: Some(note),
            };
            if b == 0.0 {
                out.push(empty("the fitted slope is 0: the curve is flat".into()));
                continue;
            }
            // K and the gradient of ln K in (c, d)
            let (k, dlnk_dc, dlnk_dd) = match ed_type {
                EdType::Relative => {
                    if !(level > 0.0 && level < 100.0) {
                        return Err(AssayError::BadLevel {
                            level,
                            reason:
                                "a relative ED level is a percentage strictly between 0 and 100"
                                    .into(),
                        });
                    }
                    let pl = if b < 0.0 { 100.0 - level } else { level };
                    (pl / (100.0 - pl), 0.0, 0.0)
                }
                EdType::Absolute => {
                    let (lo, hi) = (c.min(d), c.max(d));
                    if !(level > lo && level < hi) {
                        out.push(empty(format!(
                            "response {level} is not reached: the fitted curve lies between {lo:.6} and {hi:.6}"
                        )));
                        continue;
                    }
                    (
                        (d - level) / (level - c),
                        1.0 / (level - c),
                        1.0 / (d - level),
                    )
                }
            };
            let est = e * k.powf(1.0 / b);
            let grad = [
                -est * k.ln() / (b * b),
                est / b * dlnk_dc,
                est / b * dlnk_dd,
                est / e,
            ];
            let mut var = 0.0;
            for i in 0..4 {
                for j in 0..4 {
                    var += grad[i] * self.vcov[i][j] * grad[j];
                }
            }
            let se = var.max(0.0).sqrt();
            let extrapolated = est < self.dose_range[0] || est > self.dose_range[1];
            out.push(EdEstimate {
                level,
                ed_type,
                estimate: Some(est),
                se: Some(se),
                lower: Some(est - tq * se),
                upper: Some(est + tq * se),
                extrapolated,
                note: extrapolated.then(|| {
                    format!(
                        "outside the tested doses {}-{}: an extrapolation",
                        self.dose_range[0], self.dose_range[1]
                    )
                }),
            });
        }
        Ok(out)
    }
}

/// F test of a curve with `p` free parameters and residual sum of squares
/// `rss` against a constant response.
fn no_effect_test(response: &[f64], rss: f64, p: usize) -> NoEffectTest {
    let n = response.len();
    let df = n - p;
    let df1 = p - 1;
    let mean = response.iter().sum::<f64>() / n as f64;
    let rss0: f64 = response.iter().map(|y| (y - mean).powi(2)).sum();
    if rss <= 0.0 {
        return NoEffectTest {
            f: f64::INFINITY,
            df1,
            df2: df,
            p: 0.0,
        };
    }
    let f = ((rss0 - rss) / df1 as f64) / (rss / df as f64);
    let pv = if f <= 0.0 {
        1.0
    } else {
        FisherSnedecor::new(df1 as f64, df as f64)
            .map(|d| d.sf(f))
            .unwrap_or(f64::NAN)
    };
    NoEffectTest {
        f: f.max(0.0),
        df1,
        df2: df,
        p: pv,
    }
}

/// Result of the optimisation alone (no standard errors).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CoreFit {
    pub par: LlParameters,
    pub rss: f64,
    pub iterations: usize,
    pub min_positive: f64,
    pub max_dose: f64,
}

/// Check the design and fit the curve (inputs already finite, doses >= 0,
/// lengths equal). Allows `n == p` (an interpolating fit), as the synergy
/// reference models need. When the optimiser fails and `no_effect_alpha`
/// is set, a best curve that does not beat a constant is reported as
/// [`AssayError::NoDoseEffect`].
pub(crate) fn fit_core(
    dose: &[f64],
    response: &[f64],
    model: LogLogisticModel,
    max_iter: usize,
    no_effect_alpha: Option<f64>,
) -> Result<CoreFit> {
    let name = model.name();
    let p = model.n_free();
    let mut levels: Vec<f64> = dose.to_vec();
    levels.sort_by(|a, b| a.total_cmp(b));
    levels.dedup();
    let positive = levels.iter().filter(|&&x| x > 0.0).count();
    if levels.len() < p || positive < 2 {
        return Err(AssayError::NoDoseRange {
            model: name,
            distinct: levels.len(),
            positive,
            need: p,
        });
    }
    let (ymin, ymax) = response
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| {
            (a.min(y), b.max(y))
        });
    if ymax - ymin <= 1e-12 * ymax.abs().max(ymin.abs()) {
        return Err(AssayError::FlatResponse {
            model: name,
            value: ymin,
        });
    }
    let prob = LlProblem {
        x: dose,
        y: response,
        model,
    };
    let lm_opts = LmOptions {
        max_iter,
        ..LmOptions::default()
    };
    let mut best: Option<(Vec<f64>, f64, usize)> = None;
    let mut last_failure: Option<(usize, f64, Vec<f64>)> = None;
    for start in start_values(dose, response, model) {
        let theta0 = prob.pack(&start);
        let Some(res) = levenberg_marquardt(&prob, &theta0, lm_opts) else {
            continue;
        };
        if !res.converged {
            // keep the best of the failed starts for the error message
            if last_failure.as_ref().is_none_or(|(_, r, _)| res.rss < *r) {
                last_failure = Some((res.iterations, res.rss, res.par));
            }
            continue;
        }
        if best.as_ref().is_none_or(|b| res.rss < b.1) {
            best = Some((res.par, res.rss, res.iterations));
        }
    }
    let Some((theta, rss, iterations)) = best else {
        let Some((iterations, rss, theta)) = last_failure else {
            return Err(AssayError::NotConverged {
                model: name,
                iterations: 0,
                rss: f64::NAN,
            });
        };
        // Noisy flat data send the optimiser along a ridge; when even the
        // best curve found does not beat a constant, say so.
        if let Some(alpha) = no_effect_alpha {
            if dose.len() > p && rss.is_finite() {
                let test = no_effect_test(response, rss, p);
                if test.p > alpha {
                    return Err(AssayError::NoDoseEffect {
                        model: name,
                        f: test.f,
                        df1: test.df1,
                        df2: test.df2,
                        p: test.p,
                        alpha,
                    });
                }
            }
        }
        let stuck = prob.unpack(&theta);
        if stuck.b.abs() >= 20.0 && stuck.e.is_finite() {
            // the optimiser ran along a ridge towards a step function
            let (below, above) = bracket(dose, stuck.e);
            return Err(AssayError::NotIdentifiable {
                model: name,
                reason: format!(
                    "the response changes all at once between doses {below} and {above}, so the slope runs off to infinity (b = {:.1} and growing); test doses between them",
                    stuck.b
                ),
            });
        }
        return Err(AssayError::NotConverged {
            model: name,
            iterations,
            rss,
        });
    };
    let mut par = prob.unpack(&theta);
    if model.bottom.is_none() && model.top.is_none() && par.c > par.d {
        par = LlParameters {
            b: -par.b,
            c: par.d,
            d: par.c,
            e: par.e,
        };
    }
    Ok(CoreFit {
        par,
        rss,
        iterations,
        min_positive: levels.iter().copied().find(|&x| x > 0.0).unwrap_or(0.0),
        max_dose: *levels.last().unwrap_or(&0.0),
    })
}

/// The tested doses just below and above `x`.
fn bracket(dose: &[f64], x: f64) -> (f64, f64) {
    let below = dose.iter().copied().filter(|&d| d <= x).fold(0.0, f64::max);
    let above = dose
        .iter()
        .copied()
        .filter(|&d| d > x)
        .fold(f64::INFINITY, f64::min);
    (below, above)
}

/// The curve value, exact at dose 0.
pub(crate) fn ll_value(par: &LlParameters, x: f64) -> f64 {
    let LlParameters { b, c, d, e } = *par;
    if x <= 0.0 {
        return if b > 0.0 {
            d
        } else if b < 0.0 {
            c
        } else {
            (c + d) / 2.0
        };
    }
    c + (d - c) * logistic_g(b * (x.ln() - e.ln()))
}

/// `1 / (1 + exp(t))` without overflow.
fn logistic_g(t: f64) -> f64 {
    if t > 0.0 {
        let u = (-t).exp();
        u / (1.0 + u)
    } else {
        1.0 / (1.0 + t.exp())
    }
}

impl LogLogisticModel {
    fn free_mask(&self) -> [bool; 4] {
        [true, self.bottom.is_none(), self.top.is_none(), true]
    }
}

/// Least-squares problem in the free parameters, `ln e` in place of `e`.
struct LlProblem<'a> {
    x: &'a [f64],
    y: &'a [f64],
    model: LogLogisticModel,
}

impl LlProblem<'_> {
    fn pack(&self, p: &LlParameters) -> Vec<f64> {
        let mut t = vec![p.b];
        if self.model.bottom.is_none() {
            t.push(p.c);
        }
        if self.model.top.is_none() {
            t.push(p.d);
        }
        t.push(p.e.ln());
        t
    }
    fn unpack(&self, t: &[f64]) -> LlParameters {
        let mut k = 1;
        let c = self.model.bottom.unwrap_or_else(|| {
            k += 1;
            t[k - 1]
        });
        let d = self.model.top.unwrap_or_else(|| {
            k += 1;
            t[k - 1]
        });
        LlParameters {
            b: t[0],
            c,
            d,
            e: t[k].exp(),
        }
    }
}

impl LsqModel for LlProblem<'_> {
    fn n(&self) -> usize {
        self.x.len()
    }
    fn p(&self) -> usize {
        self.model.n_free()
    }
    fn eval(&self, t: &[f64], resid: &mut [f64], jac: Option<&mut [f64]>) -> bool {
        if t.iter().any(|v| !v.is_finite()) || t[t.len() - 1].abs() > 700.0 {
            return false;
        }
        let par = self.unpack(t);
        let LlParameters { b, c, d, e } = par;
        let p = self.p();
        let free = self.model.free_mask();
        let mut jac = jac;
        for i in 0..self.x.len() {
            let x = self.x[i];
            // derivatives in (b, c, d, ln e)
            let (f, df) = if x <= 0.0 {
                let f = ll_value(&par, x);
                let (dc, dd) = if b > 0.0 {
                    (0.0, 1.0)
                } else if b < 0.0 {
                    (1.0, 0.0)
                } else {
                    (0.5, 0.5)
                };
                (f, [0.0, dc, dd, 0.0])
            } else {
                let l = x.ln() - e.ln();
                let g = logistic_g(b * l);
                let q = g * (1.0 - g);
                let f = c + (d - c) * g;
                (f, [-(d - c) * q * l, 1.0 - g, g, (d - c) * q * b])
            };
            if !f.is_finite() {
                return false;
            }
            resid[i] = self.y[i] - f;
            if let Some(j) = jac.as_deref_mut() {
                let mut col = 0;
                for k in 0..4 {
                    if free[k] {
                        j[i * p + col] = df[k];
                        col += 1;
                    }
                }
            }
        }
        true
    }
}

/// Half the Hessian of the RSS in (b, c, d, e):
/// `sum_i (J_i J_i' - r_i F_i)`, with `F_i` the second derivatives of the
/// curve at `x_i`.
fn half_hessian(x: &[f64], y: &[f64], par: &LlParameters) -> [[f64; 4]; 4] {
    let LlParameters { b, c, d, e } = *par;
    let mut h = [[0.0; 4]; 4];
    for (&xi, &yi) in x.iter().zip(y) {
        let f = ll_value(par, xi);
        let r = yi - f;
        let (grad, sec): ([f64; 4], [[f64; 4]; 4]) = if xi <= 0.0 {
            let (dc, dd) = if b > 0.0 {
                (0.0, 1.0)
            } else if b < 0.0 {
                (1.0, 0.0)
            } else {
                (0.5, 0.5)
            };
            ([0.0, dc, dd, 0.0], [[0.0; 4]; 4])
        } else {
            let l = xi.ln() - e.ln();
            let g = logistic_g(b * l);
            let q = g * (1.0 - g);
            // f as a function of t = b (ln x - ln e)
            let ft = -(d - c) * q;
            let ftt = (d - c) * (1.0 - 2.0 * g) * q;
            let (tb, te) = (l, -b / e);
            let (tbe, tee) = (-1.0 / e, b / (e * e));
            let fb = ft * tb;
            let fe = ft * te;
            let fbb = ftt * tb * tb;
            let fbe = ftt * tb * te + ft * tbe;
            let fee = ftt * te * te + ft * tee;
            // mixed with the asymptotes: d/dc and d/dd of f_t are q and -q
            let fcb = q * tb;
            let fdb = -q * tb;
            let fce = q * te;
            let fde = -q * te;
            (
                [fb, 1.0 - g, g, fe],
                [
                    [fbb, fcb, fdb, fbe],
                    [fcb, 0.0, 0.0, fce],
                    [fdb, 0.0, 0.0, fde],
                    [fbe, fce, fde, fee],
                ],
            )
        };
        for i in 0..4 {
            for j in 0..4 {
                h[i][j] += grad[i] * grad[j] - r * sec[i][j];
            }
        }
    }
    h
}

/// Starting values: the self-starter linearisation and variations of it.
fn start_values(x: &[f64], y: &[f64], model: LogLogisticModel) -> Vec<LlParameters> {
    let (ymin, ymax) = y
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let range = ymax - ymin;
    let c0 = model.bottom.unwrap_or(ymin - 0.05 * range);
    let d0 = model.top.unwrap_or(ymax + 0.05 * range);
    let (lo, hi) = (c0.min(d0), c0.max(d0));
    let span = hi - lo;
    // linearise on positive doses
    let mut lx = Vec::new();
    let mut lz = Vec::new();
    for (&xi, &yi) in x.iter().zip(y) {
        if xi > 0.0 {
            let yc = yi.clamp(lo + 1e-3 * span, hi - 1e-3 * span);
            lx.push(xi.ln());
            lz.push(((d0 - yc) / (yc - c0)).ln());
        }
    }
    let positive: Vec<f64> = x.iter().copied().filter(|&v| v > 0.0).collect();
    let log_mid = {
        let (a, b) = positive
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v.ln()), b.max(v.ln()))
            });
        (a + b) / 2.0
    };
    // direction: correlation of response with log dose (0 counted lowest)
    let dir = {
        let m = lx.len() as f64;
        let mx = lx.iter().sum::<f64>() / m;
        let mz = lz.iter().sum::<f64>() / m;
        let sxz: f64 = lx.iter().zip(&lz).map(|(a, b)| (a - mx) * (b - mz)).sum();
        let sxx: f64 = lx.iter().map(|a| (a - mx).powi(2)).sum();
        if sxx > 0.0 {
            let slope = sxz / sxx;
            let icept = mz - slope * mx;
            (slope, icept)
        } else {
            (f64::NAN, f64::NAN)
        }
    };
    let mut starts = Vec::new();
    let (slope, icept) = dir;
    let sign = if slope.is_finite() && slope < 0.0 {
        -1.0
    } else {
        1.0
    };
    if slope.is_finite() && slope.abs() > 1e-3 {
        let loge = (-icept / slope).clamp(log_mid - 10.0, log_mid + 10.0);
        starts.push((slope, loge));
        starts.push((slope * 2.0, loge));
        starts.push((slope * 0.5, loge));
    }
    // the dose whose mean response is nearest the midpoint
    let mid_y = (c0 + d0) / 2.0;
    let mut near = log_mid;
    let mut best = f64::INFINITY;
    for (&xi, &yi) in x.iter().zip(y) {
        if xi > 0.0 && (yi - mid_y).abs() < best {
            best = (yi - mid_y).abs();
            near = xi.ln();
        }
    }
    for &bb in &[1.0, 3.0] {
        starts.push((sign * bb, near));
        starts.push((sign * bb, log_mid));
    }
    starts
        .into_iter()
        .map(|(b, loge)| LlParameters {
            b,
            c: c0,
            d: d0,
            e: loge.exp(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_half_hessian_matches_finite_differences_of_the_rss() {
        let x = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];
        let y = [10.0, 9.7, 8.1, 6.0, 3.5, 2.2, 1.9];
        let par = LlParameters {
            b: 1.7,
            c: 1.5,
            d: 10.2,
            e: 2.3,
        };
        let rss = |p: [f64; 4]| -> f64 {
            let q = LlParameters {
                b: p[0],
                c: p[1],
                d: p[2],
                e: p[3],
            };
            x.iter()
                .zip(&y)
                .map(|(&xi, &yi)| (yi - ll_value(&q, xi)).powi(2))
                .sum()
        };
        let h = half_hessian(&x, &y, &par);
        let p0 = [par.b, par.c, par.d, par.e];
        let step = 1e-4;
        for i in 0..4 {
            for j in 0..4 {
                let mut pp = p0;
                let mut pm = p0;
                let mut mp = p0;
                let mut mm = p0;
                pp[i] += step;
                pp[j] += step;
                pm[i] += step;
                pm[j] -= step;
                mp[i] -= step;
                mp[j] += step;
                mm[i] -= step;
                mm[j] -= step;
                let fd = (rss(pp) - rss(pm) - rss(mp) + rss(mm)) / (4.0 * step * step) / 2.0;
                assert!(
                    (fd - h[i][j]).abs() <= 1e-5 * (1.0 + fd.abs()),
                    "H[{i}][{j}] analytic {} vs numeric {fd}",
                    h[i][j]
                );
            }
        }
    }
}
