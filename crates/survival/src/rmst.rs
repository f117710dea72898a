//! Restricted mean survival time (RMST), as R `print(survfit, rmean = tau)`.
//!
//! # Definition
//!
//! For a Kaplan-Meier curve `S` and a restriction time `tau`,
//!
//! ```text
//! RMST(tau)     = ∫_0^tau S(t) dt
//! Var RMST(tau) = sum_{t_j <= tau} A_j^2 d_j / (n_j (n_j - d_j)),   A_j = ∫_{t_j}^tau S(t) dt
//! ```
//!
//! with terms where `n_j = d_j` set to 0 (R `survival:::survmean`; Klein &
//! Moeschberger 2003, §4.5). When `tau` lies beyond the last time of a
//! curve, `S` is carried forward at its last value, as R does. A `tau`
//! before the first time gives `tau` with standard error 0 (`S = 1` there;
//! R's `summary.survfit` stops with an error instead).
//!
//! The difference of two groups, `RMST_1 - RMST_2`, has standard error
//! `sqrt(se_1^2 + se_2^2)` (independent samples), a Wald interval and a
//! two-sided normal P (Royston & Parmar 2013, BMC Med Res Methodol 13:152).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::km::{z_value, KmFit};
use crate::SurvivalError;

/// Restricted mean survival time of one curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rmst {
    /// Restriction time.
    pub tau: f64,
    /// `∫_0^tau S(t) dt`.
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
}

/// Difference of restricted means of two groups (first minus second).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RmstDiff {
    /// Restriction time.
    pub tau: f64,
    /// `RMST_1 - RMST_2`.
    pub estimate: f64,
    /// `sqrt(se_1^2 + se_2^2)`.
    pub se: f64,
    /// Lower Wald limit.
    pub lower: f64,
    /// Upper Wald limit.
    pub upper: f64,
    /// Confidence level of the limits.
    pub conf_level: f64,
    /// `estimate / se`.
    pub z: f64,
    /// Two-sided normal P value.
    pub p: f64,
}

pub(crate) fn check_tau(tau: f64) -> Result<(), SurvivalError> {
    if !tau.is_finite() || tau <= 0.0 {
        return Err(SurvivalError::BadTau {
            tau,
            reason: "the restriction time must be finite and > 0",
        });
    }
    Ok(())
}

/// Restricted mean survival time up to `tau` of a Kaplan-Meier fit, with
/// its standard error (formulas in the [module docs](self)).
///
/// # Errors
///
/// [`SurvivalError::BadTau`] when `tau` is not finite and positive.
///
/// # Example
///
/// ```
/// use oncomark_survival::km::{kaplan_meier, KmOptions};
/// use oncomark_survival::rmst::rmst;
/// // S = 1 on [0, 2), 1/2 on [2, 4), 0 after: area to 3 is 2 + 0.5
/// let fit = kaplan_meier(&[2.0, 4.0], &[true, true], &KmOptions::default())?;
/// let r = rmst(&fit, 3.0)?;
/// assert!((r.estimate - 2.5).abs() < 1e-12);
/// // A at t = 2 is 0.5, d/(n(n-d)) = 1/2: var = 0.125
/// assert!((r.se - 0.125f64.sqrt()).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn rmst(fit: &KmFit, tau: f64) -> Result<Rmst, SurvivalError> {
    check_tau(tau)?;
    let keep = fit.steps.partition_point(|s| s.time <= tau);
    let steps = &fit.steps[..keep];
    // rectangles: [0, t_1) at 1, [t_j, t_{j+1}) at S(t_j), [t_last, tau) at S(t_last)
    let mut rect = Vec::with_capacity(keep + 1);
    let mut prev_t = 0.0;
    let mut prev_s = 1.0;
    for s in steps {
        rect.push((s.time - prev_t) * prev_s);
        prev_t = s.time;
        prev_s = s.survival;
    }
    rect.push((tau - prev_t) * prev_s);
    let estimate: f64 = rect.iter().sum();
    // A_j = sum of rectangles after step j, accumulated from the right
    let mut var = 0.0;
    let mut tail = 0.0;
    for (j, s) in steps.iter().enumerate().rev() {
        tail += rect[j + 1];
        if s.n_event > 0 && s.n_risk > s.n_event {
            let n = s.n_risk as f64;
            let d = s.n_event as f64;
            var += tail * tail * d / (n * (n - d));
        }
    }
    Ok(Rmst {
        tau,
        estimate,
        se: var.sqrt(),
    })
}

/// Difference of two restricted means (first minus second) with a Wald
/// interval at `conf_level` and a two-sided P (see the [module docs](self)).
///
/// # Errors
///
/// [`SurvivalError::BadTau`] when the two were computed at different `tau`;
/// [`SurvivalError::BadConfLevel`] when `conf_level` is not in (0, 1).
///
/// # Example
///
/// ```
/// use oncomark_survival::rmst::{rmst_difference, Rmst};
/// // lung, sex 1 vs 2, tau = 365 (R 4.2.2, survival 3.5-3, print(survfit, rmean = 365))
/// let a = Rmst { tau: 365.0, estimate: 241.495, se: 10.3582 };
/// let b = Rmst { tau: 365.0, estimate: 297.465, se: 10.7913 };
/// let d = rmst_difference(&a, &b, 0.95)?;
/// assert!((d.estimate + 55.97).abs() < 1e-9);
/// assert!((d.se - (10.3582f64.powi(2) + 10.7913f64.powi(2)).sqrt()).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn rmst_difference(a: &Rmst, b: &Rmst, conf_level: f64) -> Result<RmstDiff, SurvivalError> {
    if a.tau != b.tau {
        return Err(SurvivalError::BadTau {
            tau: b.tau,
            reason: "both restricted means must use the same tau",
        });
    }
    if !(conf_level > 0.0 && conf_level < 1.0) {
        return Err(SurvivalError::BadConfLevel(conf_level));
    }
    let estimate = a.estimate - b.estimate;
    let se = a.se.hypot(b.se);
    let zq = z_value(conf_level);
    let z = estimate / se;
    let p = match Normal::new(0.0, 1.0) {
        Ok(nd) => 2.0 * nd.sf(z.abs()),
        Err(_) => f64::NAN,
    };
    Ok(RmstDiff {
        tau: a.tau,
        estimate,
        se,
        lower: estimate - zq * se,
        upper: estimate + zq * se,
        conf_level,
        z,
        p,
    })
}
