//! Events, sample size and power for a hazard ratio (Schoenfeld) and for a
//! treatment-by-marker interaction (Peterson & George).
//!
//! # Formulas
//!
//! Two groups with allocation fraction `p` (share of subjects in the
//! first), hazard ratio `HR`, two-sided level `alpha` and power `1 - beta`,
//! `z_q` the standard normal quantile (Schoenfeld 1983):
//!
//! ```text
//! events d = (z_{1-alpha/2} + z_{1-beta})^2 / (p (1 - p) (log HR)^2)
//! power    = Phi(sqrt(d p (1 - p)) |log HR| - z_{1-alpha/2})
//! subjects N = d / P(event)
//! ```
//!
//! (the power ignores the opposite tail, `Phi(-sqrt(d p (1-p)) |log HR| - z)`,
//! below `alpha / 2`, so that the two formulas invert each other exactly).
//!
//! Interaction of two independent binary factors (treatment with share
//! `p1`, marker-positive share `p2`): the log ratio of hazard ratios has
//! variance about `1 / (d p1 (1 - p1) p2 (1 - p2))` (Peterson & George
//! 1993, for a 2 x 2 factorial design), so
//!
//! ```text
//! events d = (z_{1-alpha/2} + z_{1-beta})^2 / (p1 (1-p1) p2 (1-p2) (log HR_int)^2)
//! power    = Phi(sqrt(d p1 (1-p1) p2 (1-p2)) |log HR_int| - z_{1-alpha/2})
//! ```
//!
//! With `p1 = p2 = 1/2` an interaction needs 4 times the events of a main
//! effect of the same size.
//!
//! References: Schoenfeld (1983) Biometrika 70:315; Collett (2015)
//! *Modelling Survival Data in Medical Research*, 3rd ed., §10.2; Peterson
//! & George (1993) Control Clin Trials 14:511; Simon (2008) J Clin Oncol
//! 26:1169 (predictive-marker trial designs).

use crate::SurvivalError;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// Standard normal quantile (NaN if statrs ever refused N(0, 1)).
fn qnorm(q: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.inverse_cdf(q))
}

/// Standard normal distribution function.
fn pnorm(x: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.cdf(x))
}

fn check_hr(what: &'static str, hr: f64) -> Result<f64, SurvivalError> {
    if !(hr.is_finite() && hr > 0.0) || hr == 1.0 {
        return Err(SurvivalError::BadOption {
            what,
            value: hr,
            reason: "the hazard ratio must be positive, finite and not 1, e.g. 0.7",
        });
    }
    Ok(hr.ln().abs())
}

fn check_fraction(what: &'static str, v: f64, reason: &'static str) -> Result<(), SurvivalError> {
    if v > 0.0 && v < 1.0 {
        Ok(())
    } else {
        Err(SurvivalError::BadOption {
            what,
            value: v,
            reason,
        })
    }
}

fn check_alpha(alpha: f64) -> Result<f64, SurvivalError> {
    check_fraction(
        "alpha",
        alpha,
        "the two-sided significance level must be in (0, 1), e.g. 0.05",
    )?;
    Ok(qnorm(1.0 - alpha / 2.0))
}

fn z_sum(alpha: f64, power: f64) -> Result<f64, SurvivalError> {
    let za = check_alpha(alpha)?;
    check_fraction("power", power, "power must be in (0, 1), e.g. 0.8")?;
    let s = za + qnorm(power);
    if s <= 0.0 {
        return Err(SurvivalError::BadOption {
            what: "power",
            value: power,
            reason: "the power must exceed alpha / 2 for the formula to apply",
        });
    }
    Ok(s)
}

fn check_events(d: f64) -> Result<(), SurvivalError> {
    if d.is_finite() && d > 0.0 {
        Ok(())
    } else {
        Err(SurvivalError::BadOption {
            what: "events",
            value: d,
            reason: "the number of events must be positive",
        })
    }
}

const ALLOC: &str =
    "the allocation fraction (share in the first group) must be in (0, 1), e.g. 0.5";

/// Events needed to detect a hazard ratio `hr` with a two-sided test at
/// `alpha` with power `power`, a fraction `allocation` of the subjects in
/// the first group (Schoenfeld 1983; see the [module docs](self)). Not
/// rounded.
///
/// # Errors
/// [`SurvivalError::BadOption`] for a hazard ratio that is not positive
/// and finite or equals 1, or `allocation`, `alpha`, `power` outside
/// (0, 1).
///
/// # Example
/// ```
/// use oncomark_survival::power::schoenfeld_events;
/// // HR 0.75, 1:1, alpha 0.05, power 0.8: the classic 380 events
/// let d = schoenfeld_events(0.75, 0.5, 0.05, 0.8)?;
/// assert!((d - 379.3).abs() < 0.1);
/// assert_eq!(d.ceil(), 380.0);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn schoenfeld_events(
    hr: f64,
    allocation: f64,
    alpha: f64,
    power: f64,
) -> Result<f64, SurvivalError> {
    let lhr = check_hr("hr", hr)?;
    check_fraction("allocation", allocation, ALLOC)?;
    let s = z_sum(alpha, power)?;
    Ok(s * s / (allocation * (1.0 - allocation) * lhr * lhr))
}

/// Power of the two-sided test at `alpha` of a hazard ratio `hr` after
/// `events` events (Schoenfeld 1983; see the [module docs](self)).
///
/// # Errors
/// As [`schoenfeld_events`], and for `events` not positive.
///
/// # Example
/// ```
/// use oncomark_survival::power::{schoenfeld_events, schoenfeld_power};
/// let d = schoenfeld_events(0.7, 0.5, 0.05, 0.9)?;
/// assert!((schoenfeld_power(0.7, 0.5, 0.05, d)? - 0.9).abs() < 1e-9);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn schoenfeld_power(
    hr: f64,
    allocation: f64,
    alpha: f64,
    events: f64,
) -> Result<f64, SurvivalError> {
    let lhr = check_hr("hr", hr)?;
    check_fraction("allocation", allocation, ALLOC)?;
    let za = check_alpha(alpha)?;
    check_events(events)?;
    Ok(pnorm(
        (events * allocation * (1.0 - allocation)).sqrt() * lhr - za,
    ))
}

/// A sample-size plan for a hazard ratio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleSize {
    /// Target hazard ratio.
    pub hr: f64,
    /// Share of subjects in the first group.
    pub allocation: f64,
    /// Two-sided significance level.
    pub alpha: f64,
    /// Target power.
    pub power: f64,
    /// Events from the formula, not rounded.
    pub events_exact: f64,
    /// Events needed (rounded up).
    pub events: u64,
    /// Probability that a subject has an event during the study.
    pub event_probability: f64,
    /// Subjects needed, `ceil(events / event_probability)`.
    pub n_total: u64,
    /// Subjects in the first group, `round(n_total * allocation)`.
    pub n_group1: u64,
    /// Subjects in the second group.
    pub n_group2: u64,
    /// Power actually reached with `events` (rounded-up) events.
    pub achieved_power: f64,
}

/// Events and subjects needed for a hazard ratio: [`schoenfeld_events`]
/// rounded up, divided by the probability of an event and rounded up.
///
/// # Errors
/// As [`schoenfeld_events`], and for `event_probability` outside (0, 1].
///
/// # Example
/// ```
/// use oncomark_survival::power::schoenfeld_sample_size;
/// let s = schoenfeld_sample_size(0.75, 0.5, 0.05, 0.8, 0.6)?;
/// assert_eq!((s.events, s.n_total), (380, 634)); // 380 / 0.6 = 633.3
/// assert_eq!(s.n_group1 + s.n_group2, 634);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn schoenfeld_sample_size(
    hr: f64,
    allocation: f64,
    alpha: f64,
    power: f64,
    event_probability: f64,
) -> Result<SampleSize, SurvivalError> {
    let d = schoenfeld_events(hr, allocation, alpha, power)?;
    if !(event_probability > 0.0 && event_probability <= 1.0) {
        return Err(SurvivalError::BadOption {
            what: "event_probability",
            value: event_probability,
            reason: "the probability of an event must be in (0, 1], e.g. 0.6",
        });
    }
    // guard the rounding against values a hair above an integer
    let events = (d - 1e-9).ceil().max(1.0) as u64;
    let n_total = (events as f64 / event_probability - 1e-9).ceil() as u64;
    let n_group1 = (n_total as f64 * allocation).round() as u64;
    Ok(SampleSize {
        hr,
        allocation,
        alpha,
        power,
        events_exact: d,
        events,
        event_probability,
        n_total,
        n_group1,
        n_group2: n_total - n_group1,
        achieved_power: schoenfeld_power(hr, allocation, alpha, events as f64)?,
    })
}

/// Events needed to detect an interaction (ratio of hazard ratios)
/// `hr_interaction` between two independent binary factors with shares
/// `p_treatment` and `p_marker`, two-sided level `alpha`, power `power`
/// (Peterson & George 1993; see the [module docs](self)). Not rounded.
///
/// # Errors
/// As [`schoenfeld_events`] (`p_treatment`, `p_marker` in (0, 1)).
///
/// # Example
/// ```
/// use oncomark_survival::power::{interaction_events, schoenfeld_events};
/// // balanced factors: 4 times the events of a main effect of the same size
/// let di = interaction_events(0.6, 0.5, 0.5, 0.05, 0.8)?;
/// let dm = schoenfeld_events(0.6, 0.5, 0.05, 0.8)?;
/// assert!((di / dm - 4.0).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn interaction_events(
    hr_interaction: f64,
    p_treatment: f64,
    p_marker: f64,
    alpha: f64,
    power: f64,
) -> Result<f64, SurvivalError> {
    let l = check_hr("hr_interaction", hr_interaction)?;
    check_fraction(
        "p_treatment",
        p_treatment,
        "the treated share must be in (0, 1)",
    )?;
    check_fraction(
        "p_marker",
        p_marker,
        "the marker-positive share must be in (0, 1)",
    )?;
    let s = z_sum(alpha, power)?;
    let v = p_treatment * (1.0 - p_treatment) * p_marker * (1.0 - p_marker);
    Ok(s * s / (v * l * l))
}

/// Power of the two-sided test at `alpha` of an interaction
/// `hr_interaction` after `events` events (see [`interaction_events`]).
///
/// # Errors
/// As [`interaction_events`], and for `events` not positive.
///
/// # Example
/// ```
/// use oncomark_survival::power::interaction_power;
/// // 262 events, balanced, ratio of HRs 0.5: about 80 %
/// let pw = interaction_power(0.5, 0.5, 0.5, 0.05, 262.0)?;
/// assert!((pw - 0.8).abs() < 0.002);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn interaction_power(
    hr_interaction: f64,
    p_treatment: f64,
    p_marker: f64,
    alpha: f64,
    events: f64,
) -> Result<f64, SurvivalError> {
    let l = check_hr("hr_interaction", hr_interaction)?;
    check_fraction(
        "p_treatment",
        p_treatment,
        "the treated share must be in (0, 1)",
    )?;
    check_fraction(
        "p_marker",
        p_marker,
        "the marker-positive share must be in (0, 1)",
    )?;
    let za = check_alpha(alpha)?;
    check_events(events)?;
    let v = p_treatment * (1.0 - p_treatment) * p_marker * (1.0 - p_marker);
    Ok(pnorm((events * v).sqrt() * l - za))
}
