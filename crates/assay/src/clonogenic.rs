//! Clonogenic (colony-formation) assays: plating efficiency, surviving
//! fraction, and the linear-quadratic model of CFAssay.
//!
//! # Plating efficiency and surviving fraction
//!
//! Replicate dishes of one condition in one experiment are pooled:
//! `PE = sum(colonies) / sum(cells plated)` over the untreated-control
//! dishes, and `SF = (sum(colonies) / sum(cells plated)) / PE` for a
//! treated condition (Franken, Rodermond, Stap, Haveman and van Bree,
//! "Clonogenic assay of cells in vitro", Nat Protoc 1:2315, 2006; the
//! seed paper's formula). Each experiment then gives one SF per condition,
//! and those are summarised over experiments.
//!
//! # Linear-quadratic model
//!
//! `S(D) = exp(-(alpha D + beta D^2))`, fitted as CFAssay's
//! `cellsurvLQfit` does (Braselmann et al., Radiat Oncol 10:260, 2015):
//!
//! * `method = Ml`: a quasi-Poisson GLM with log link,
//!   `colonies ~ experiment - 1 + D + D^2`, offset `ln(cells)` (R `glm`,
//!   `quasipoisson`); the dispersion is Pearson's `X^2 / (n - p)` and the
//!   standard errors are scaled by it.
//! * `method = Ls`: least squares on `ln(colonies / cells)` with the same
//!   terms (R `lm`).
//! * `pe = Fit` estimates one log plating efficiency per experiment (the
//!   intercepts); `pe = Fix` fixes it at the pooled dose-0 value of each
//!   experiment and fits the dishes with `D > 0` only.
//!
//! CFAssay writes `S = exp(c + alpha D + beta D^2)`, so its alpha and beta
//! are the negatives of the ones reported here.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::error::{AssayError, Result};
use crate::linalg::{ols, spd_inverse};
use crate::replicates::{summarise, Condition, ConditionSummary, ExperimentValue};

/// Colony count of one dish.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColonyCount {
    /// Independent experiment.
    pub experiment: String,
    /// Cell line.
    pub cell_line: String,
    /// Treatment label.
    pub treatment: String,
    /// Dose (needed by the LQ model).
    pub dose: Option<f64>,
    /// Cells plated.
    pub cells_plated: f64,
    /// Colonies counted.
    pub colonies: f64,
}

/// Options of [`surviving_fractions`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClonogenicOptions {
    /// Treatment label of the untreated control (case-insensitive; default
    /// `untreated`).
    pub control_treatment: String,
}

impl Default for ClonogenicOptions {
    fn default() -> Self {
        ClonogenicOptions {
            control_treatment: "untreated".into(),
        }
    }
}

/// Plating efficiency of one experiment and cell line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlatingEfficiency {
    /// Experiment.
    pub experiment: String,
    /// Cell line.
    pub cell_line: String,
    /// Control dishes pooled.
    pub n_dishes: usize,
    /// Colonies in those dishes.
    pub colonies: f64,
    /// Cells plated in those dishes.
    pub cells_plated: f64,
    /// `colonies / cells_plated`.
    pub pe: f64,
}

/// Pooled dishes of one condition in one experiment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PooledCondition {
    /// Experiment.
    pub experiment: String,
    /// The condition.
    #[serde(flatten)]
    pub condition: Condition,
    /// Dishes pooled.
    pub n_dishes: usize,
    /// Colonies in those dishes.
    pub colonies: f64,
    /// Cells plated in those dishes.
    pub cells_plated: f64,
    /// `colonies / cells_plated`.
    pub colony_fraction: f64,
    /// Colony fraction divided by the experiment's control PE.
    pub surviving_fraction: f64,
}

/// Plating efficiencies and surviving fractions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClonogenicResult {
    /// Control treatment label.
    pub control_treatment: String,
    /// Per experiment and cell line.
    pub plating_efficiency: Vec<PlatingEfficiency>,
    /// Pooled dishes per experiment and condition.
    pub dishes: Vec<PooledCondition>,
    /// One surviving fraction per experiment and condition.
    pub experiments: Vec<ExperimentValue>,
    /// Summaries over experiments.
    pub conditions: Vec<ConditionSummary>,
    /// Cautions.
    pub notes: Vec<String>,
}

fn check_counts(rows: &[ColonyCount]) -> Result<()> {
    if rows.is_empty() {
        return Err(AssayError::Empty {
            what: "colony counts",
        });
    }
    for (index, r) in rows.iter().enumerate() {
        if !r.cells_plated.is_finite() || r.cells_plated <= 0.0 {
            return Err(AssayError::BadValue {
                what: "cells_plated",
                index,
                value: r.cells_plated,
                reason: "the number of cells plated must be positive",
            });
        }
        if !r.colonies.is_finite() || r.colonies < 0.0 {
            return Err(AssayError::BadValue {
                what: "colonies",
                index,
                value: r.colonies,
                reason: "colony counts must be >= 0",
            });
        }
        if let Some(d) = r.dose {
            if !d.is_finite() || d < 0.0 {
                return Err(AssayError::BadValue {
                    what: "dose",
                    index,
                    value: d,
                    reason: "doses must be finite and >= 0",
                });
            }
        }
    }
    Ok(())
}

/// Plating efficiencies and surviving fractions with replicate dishes
/// pooled. See the [module documentation](self).
///
/// # Errors
///
/// [`AssayError::Empty`], [`AssayError::BadValue`] (cells plated not
/// positive, negative counts), [`AssayError::NoControl`] (an experiment and
/// cell line without control dishes), [`AssayError::ZeroPlatingEfficiency`].
///
/// # Example
///
/// ```
/// use oncomark_assay::clonogenic::{surviving_fractions, ClonogenicOptions, ColonyCount};
/// let dish = |t: &str, cells: f64, col: f64| ColonyCount {
///     experiment: "e1".into(), cell_line: "JIMT-1".into(), treatment: t.into(),
///     dose: None, cells_plated: cells, colonies: col };
/// let rows = [dish("untreated", 500.0, 200.0), dish("untreated", 500.0, 220.0),
///             dish("Tz", 500.0, 105.0), dish("Tz", 500.0, 105.0)];
/// let r = surviving_fractions(&rows, &ClonogenicOptions::default()).unwrap();
/// assert!((r.plating_efficiency[0].pe - 0.42).abs() < 1e-12);
/// assert!((r.experiments[1].value - 0.5).abs() < 1e-12); // (210/1000) / 0.42
/// ```
pub fn surviving_fractions(
    rows: &[ColonyCount],
    opts: &ClonogenicOptions,
) -> Result<ClonogenicResult> {
    check_counts(rows)?;
    let is_control = |r: &ColonyCount| r.treatment.eq_ignore_ascii_case(&opts.control_treatment);
    // pool dishes by experiment and condition, in order of appearance
    let mut pooled: Vec<(String, Condition, usize, f64, f64)> = Vec::new();
    for r in rows {
        let c = Condition::new(&r.cell_line, &r.treatment, r.dose);
        match pooled
            .iter_mut()
            .find(|(e, k, ..)| e == &r.experiment && k.same(&c))
        {
            Some(p) => {
                p.2 += 1;
                p.3 += r.colonies;
                p.4 += r.cells_plated;
            }
            None => pooled.push((r.experiment.clone(), c, 1, r.colonies, r.cells_plated)),
        }
    }
    let mut pes: Vec<PlatingEfficiency> = Vec::new();
    for r in rows.iter().filter(|r| is_control(r)) {
        match pes
            .iter_mut()
            .find(|p| p.experiment == r.experiment && p.cell_line == r.cell_line)
        {
            Some(p) => {
                p.n_dishes += 1;
                p.colonies += r.colonies;
                p.cells_plated += r.cells_plated;
            }
            None => pes.push(PlatingEfficiency {
                experiment: r.experiment.clone(),
                cell_line: r.cell_line.clone(),
                n_dishes: 1,
                colonies: r.colonies,
                cells_plated: r.cells_plated,
                pe: 0.0,
            }),
        }
    }
    for p in &mut pes {
        p.pe = p.colonies / p.cells_plated;
    }
    let mut dishes = Vec::new();
    for (experiment, condition, n, col, cells) in pooled {
        let Some(pe) = pes
            .iter()
            .find(|p| p.experiment == experiment && p.cell_line == condition.cell_line)
        else {
            return Err(AssayError::NoControl {
                plate: format!("experiment {experiment}"),
                cell_line: condition.cell_line.clone(),
            });
        };
        if pe.pe == 0.0 {
            return Err(AssayError::ZeroPlatingEfficiency { experiment });
        }
        let cf = col / cells;
        dishes.push(PooledCondition {
            experiment,
            condition,
            n_dishes: n,
            colonies: col,
            cells_plated: cells,
            colony_fraction: cf,
            surviving_fraction: cf / pe.pe,
        });
    }
    let experiments: Vec<ExperimentValue> = dishes
        .iter()
        .map(|d| ExperimentValue {
            experiment: d.experiment.clone(),
            condition: d.condition.clone(),
            value: d.surviving_fraction,
        })
        .collect();
    let conditions = summarise(&experiments);
    let mut notes = Vec::new();
    if conditions.iter().any(|c| c.n_experiments < 2) {
        notes.push(
            "some conditions come from a single experiment: they have no SD or SEM and cannot be tested"
                .into(),
        );
    }
    Ok(ClonogenicResult {
        control_treatment: opts.control_treatment.clone(),
        plating_efficiency: pes,
        dishes,
        experiments,
        conditions,
        notes,
    })
}

/// Fitting method of the LQ model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LqMethod {
    /// Quasi-Poisson maximum likelihood (CFAssay `method = "ml"`).
    #[default]
    Ml,
    /// Least squares on log colony fractions (CFAssay `method = "ls"`).
    Ls,
}

/// Treatment of plating efficiencies in the LQ model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PeMethod {
    /// One fitted intercept per experiment (CFAssay `PEmethod = "fit"`).
    #[default]
    Fit,
    /// Fixed at each experiment's pooled dose-0 PE (`PEmethod = "fix"`).
    Fix,
}

/// One coefficient of the LQ model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LqCoefficient {
    /// `alpha`, `beta`, or `ln_pe[<experiment>]`.
    pub term: String,
    /// Estimate.
    pub estimate: f64,
    /// Standard error.
    pub se: f64,
    /// `estimate / se`.
    pub t: f64,
    /// Two-sided P value on the residual df.
    pub p: f64,
}

/// A fitted linear-quadratic survival curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LqFit {
    /// Fitting method.
    pub method: LqMethod,
    /// Plating-efficiency handling.
    pub pe_method: PeMethod,
    /// Dishes used.
    pub n: usize,
    /// Linear coefficient (per dose unit), `S = exp(-(alpha D + beta D^2))`.
    pub alpha: LqCoefficient,
    /// Quadratic coefficient (per squared dose unit).
    pub beta: LqCoefficient,
    /// Fitted log plating efficiencies (PE fitted) or the fixed ones.
    pub plating_efficiencies: Vec<LqCoefficient>,
    /// Residual degrees of freedom.
    pub df: usize,
    /// Dispersion (ML: Pearson X^2 / df) or residual variance (LS).
    pub dispersion: f64,
    /// Residual deviance (ML) or residual sum of squares (LS).
    pub deviance: f64,
    /// IRLS iterations (ML; 0 for LS).
    pub iterations: usize,
    /// Cautions.
    pub notes: Vec<String>,
}

/// Fit the linear-quadratic model to the dishes of one survival curve
/// (filter the rows to one cell line and treatment series first). See the
/// [module documentation](self).
///
/// # Errors
///
/// [`AssayError::Empty`], [`AssayError::BadValue`] (a missing dose, bad
/// counts, a zero colony count with `Ls`), [`AssayError::TooFewPoints`]
/// (no residual df or fewer than 3 distinct doses),
/// [`AssayError::NoControl`] (`Fix` without dose-0 dishes in an experiment),
/// [`AssayError::NotIdentifiable`], [`AssayError::NotConverged`].
///
/// # Example
///
/// ```
/// use oncomark_assay::clonogenic::{fit_lq, ColonyCount, LqMethod, PeMethod};
/// // exact data from alpha = 0.2, beta = 0.03, PE = 0.5
/// let rows: Vec<ColonyCount> = [0.0, 1.0, 2.0, 4.0, 6.0].iter().map(|&d: &f64| ColonyCount {
///     experiment: "e1".into(), cell_line: "x".into(), treatment: "IR".into(), dose: Some(d),
///     cells_plated: 1e4, colonies: 1e4 * 0.5 * (-(0.2 * d + 0.03 * d * d)).exp() }).collect();
/// let fit = fit_lq(&rows, LqMethod::Ls, PeMethod::Fit).unwrap();
/// assert!((fit.alpha.estimate - 0.2).abs() < 1e-10);
/// assert!((fit.beta.estimate - 0.03).abs() < 1e-10);
/// ```
pub fn fit_lq(rows: &[ColonyCount], method: LqMethod, pe_method: PeMethod) -> Result<LqFit> {
    check_counts(rows)?;
    let mut dose = Vec::with_capacity(rows.len());
    for (index, r) in rows.iter().enumerate() {
        match r.dose {
            Some(d) => dose.push(d),
            None => {
                return Err(AssayError::BadValue {
                    what: "dose",
                    index,
                    value: f64::NAN,
                    reason: "the LQ model needs a dose for every dish",
                })
            }
        }
    }
    let mut exps: Vec<String> = Vec::new();
    for r in rows {
        if !exps.contains(&r.experiment) {
            exps.push(r.experiment.clone());
        }
    }
    let mut notes = Vec::new();
    // rows used, design matrix, offsets
    let (used, ncoef_pe, fixed_pe): (Vec<usize>, usize, Vec<f64>) = match pe_method {
        PeMethod::Fit => ((0..rows.len()).collect(), exps.len(), Vec::new()),
        PeMethod::Fix => {
            let mut pes = Vec::new();
            for e in &exps {
                let (c, n) = rows
                    .iter()
                    .zip(&dose)
                    .filter(|(r, &d)| &r.experiment == e && d == 0.0)
                    .fold((0.0, 0.0), |(c, n), (r, _)| {
                        (c + r.colonies, n + r.cells_plated)
                    });
                if n == 0.0 {
                    return Err(AssayError::NoControl {
                        plate: format!("experiment {e}"),
                        cell_line: rows[0].cell_line.clone(),
                    });
                }
                if c == 0.0 {
                    return Err(AssayError::ZeroPlatingEfficiency {
                        experiment: e.clone(),
                    });
                }
                pes.push(c / n);
            }
            ((0..rows.len()).filter(|&i| dose[i] > 0.0).collect(), 0, pes)
        }
    };
    let p = ncoef_pe + 2;
    let n = used.len();
    let mut distinct: Vec<f64> = used.iter().map(|&i| dose[i]).collect();
    distinct.sort_by(|a, b| a.total_cmp(b));
    distinct.dedup();
    let need_levels = if pe_method == PeMethod::Fit { 3 } else { 2 };
    if distinct.len() < need_levels {
        return Err(AssayError::TooFewPoints {
            what: "LQ fit (distinct doses)".into(),
            got: distinct.len(),
            need: need_levels,
        });
    }
    if n <= p {
        return Err(AssayError::TooFewPoints {
            what: "LQ fit (dishes beyond the number of coefficients)".into(),
            got: n,
            need: p + 1,
        });
    }
    let exp_index = |i: usize| {
        exps.iter()
            .position(|e| e == &rows[i].experiment)
            .unwrap_or(0)
    };
    let mut x = vec![0.0; n * p];
    let mut offset = vec![0.0; n];
    let mut y = vec![0.0; n];
    for (row, &i) in used.iter().enumerate() {
        let k = exp_index(i);
        if pe_method == PeMethod::Fit {
            x[row * p + k] = 1.0;
        }
        x[row * p + ncoef_pe] = dose[i];
        x[row * p + ncoef_pe + 1] = dose[i] * dose[i];
        let log_pe = if pe_method == PeMethod::Fix {
            fixed_pe[k].ln()
        } else {
            0.0
        };
        match method {
            LqMethod::Ml => {
                offset[row] = rows[i].cells_plated.ln() + log_pe;
                y[row] = rows[i].colonies;
            }
            LqMethod::Ls => {
                if rows[i].colonies == 0.0 {
                    return Err(AssayError::BadValue {
                        what: "colonies",
                        index: i,
                        value: 0.0,
                        reason: "least squares on log colony fractions cannot use a zero count; use the ML method",
                    });
                }
                y[row] = (rows[i].colonies / rows[i].cells_plated).ln() - log_pe;
            }
        }
    }
    let df = n - p;
    let (beta, cov, dispersion, deviance, iterations) = match method {
        LqMethod::Ls => {
            let Some((b, xtx_inv)) = ols(&x, n, p, &y) else {
                return Err(AssayError::NotIdentifiable {
                    model: "LQ",
                    reason: "the design (experiments, D, D^2) is rank deficient".into(),
                });
            };
            let rss: f64 = (0..n)
                .map(|i| {
                    let fit: f64 = (0..p).map(|j| x[i * p + j] * b[j]).sum();
                    (y[i] - fit).powi(2)
                })
                .sum();
            let s2 = rss / df as f64;
            let cov: Vec<f64> = xtx_inv.iter().map(|v| v * s2).collect();
            (b, cov, s2, rss, 0)
        }
        LqMethod::Ml => quasi_poisson(&x, n, p, &y, &offset)?,
    };
    let tdist = StudentsT::new(0.0, 1.0, df as f64).ok();
    let coef = |term: String, est: f64, var: f64| {
        let se = var.max(0.0).sqrt();
        let t = est / se;
        let pv = tdist.as_ref().map_or(f64::NAN, |d| 2.0 * d.sf(t.abs()));
        LqCoefficient {
            term,
            estimate: est,
            se,
            t,
            p: pv,
        }
    };
    let alpha = coef(
        "alpha".into(),
        -beta[ncoef_pe],
        cov[ncoef_pe * p + ncoef_pe],
    );
    let beta_c = coef(
        "beta".into(),
        -beta[ncoef_pe + 1],
        cov[(ncoef_pe + 1) * p + ncoef_pe + 1],
    );
    let plating_efficiencies = match pe_method {
        PeMethod::Fit => (0..ncoef_pe)
            .map(|k| coef(format!("ln_pe[{}]", exps[k]), beta[k], cov[k * p + k]))
            .collect(),
        PeMethod::Fix => exps
            .iter()
            .zip(&fixed_pe)
            .map(|(e, pe)| LqCoefficient {
                term: format!("ln_pe[{e}]"),
                estimate: pe.ln(),
                se: 0.0,
                t: f64::NAN,
                p: f64::NAN,
            })
            .collect(),
    };
    if beta_c.estimate < 0.0 {
        notes.push("beta < 0: the survival curve bends upwards; check the high-dose dishes".into());
    }
    if method == LqMethod::Ml && pe_method == PeMethod::Fit && dispersion > 9.0 {
        notes.push(format!(
            "dispersion {dispersion:.2} exceeds 9 (3 Poisson SDs, CFAssay's suggested cut-off with fitted PEs): check for outlying experiments"
        ));
    }
    Ok(LqFit {
        method,
        pe_method,
        n,
        alpha,
        beta: beta_c,
        plating_efficiencies,
        df,
        dispersion,
        deviance,
        iterations,
        notes,
    })
}

/// Quasi-Poisson GLM with log link by iteratively reweighted least squares
/// (McCullagh and Nelder 1989, section 2.5), started like R's `poisson()`
/// family (`mu = y + 0.1`). Returns coefficients, their covariance scaled
/// by the Pearson dispersion, the dispersion, the deviance and iterations.
#[allow(clippy::type_complexity)]
fn quasi_poisson(
    x: &[f64],
    n: usize,
    p: usize,
    y: &[f64],
    offset: &[f64],
) -> Result<(Vec<f64>, Vec<f64>, f64, f64, usize)> {
    let deviance = |mu: &[f64]| -> f64 {
        2.0 * (0..n)
            .map(|i| {
                let t = if y[i] > 0.0 {
                    y[i] * (y[i] / mu[i]).ln()
                } else {
                    0.0
                };
                t - (y[i] - mu[i])
            })
            .sum::<f64>()
    };
    let mut mu: Vec<f64> = y.iter().map(|v| v + 0.1).collect();
    let mut eta: Vec<f64> = mu.iter().map(|m| m.ln()).collect();
    let mut dev = deviance(&mu);
    let mut beta = vec![0.0; p];
    let mut xtwx_inv = vec![0.0; p * p];
    let max_iter = 100;
    for it in 1..=max_iter {
        // working response and weights
        let mut xtwx = vec![0.0; p * p];
        let mut xtwz = vec![0.0; p];
        for i in 0..n {
            let w = mu[i];
            let z = eta[i] - offset[i] + (y[i] - mu[i]) / mu[i];
            let row = &x[i * p..(i + 1) * p];
            for a in 0..p {
                xtwz[a] += row[a] * w * z;
                for b in 0..p {
                    xtwx[a * p + b] += row[a] * w * row[b];
                }
            }
        }
        let Some(inv) = spd_inverse(&xtwx, p) else {
            return Err(AssayError::NotIdentifiable {
                model: "LQ",
                reason: "the weighted design (experiments, D, D^2) is rank deficient".into(),
            });
        };
        beta = (0..p)
            .map(|a| (0..p).map(|b| inv[a * p + b] * xtwz[b]).sum())
            .collect();
        xtwx_inv = inv;
        for i in 0..n {
            eta[i] = offset[i] + (0..p).map(|j| x[i * p + j] * beta[j]).sum::<f64>();
            mu[i] = eta[i].exp();
        }
        let new_dev = deviance(&mu);
        if !new_dev.is_finite() {
            return Err(AssayError::NotConverged {
                model: "LQ",
                iterations: it,
                rss: new_dev,
            });
        }
        // R glm.control: |dev - devold| / (|dev| + 0.1) < epsilon (1e-8);
        // tightened here so that estimates agree to many digits
        if (new_dev - dev).abs() / (new_dev.abs() + 0.1) < 1e-13 {
            dev = new_dev;
            let df = (n - p) as f64;
            let pearson: f64 = (0..n).map(|i| (y[i] - mu[i]).powi(2) / mu[i]).sum();
            let phi = pearson / df;
            // recompute the information at the final mu
            let mut xtwx = vec![0.0; p * p];
            for i in 0..n {
                let row = &x[i * p..(i + 1) * p];
                for a in 0..p {
                    for b in 0..p {
                        xtwx[a * p + b] += row[a] * mu[i] * row[b];
                    }
                }
            }
            if let Some(inv) = spd_inverse(&xtwx, p) {
                xtwx_inv = inv;
            }
            let cov = xtwx_inv.iter().map(|v| v * phi).collect();
            return Ok((beta, cov, phi, dev, it));
        }
        dev = new_dev;
    }
    Err(AssayError::NotConverged {
        model: "LQ",
        iterations: max_iter,
        rss: dev,
    })
}
