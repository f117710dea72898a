//! Landmark survival rates (for example progression-free at 6 months) with
//! confidence limits, and the difference of two groups.
//!
//! # Method
//!
//! The rate at a landmark time `t` is the Kaplan-Meier estimate `S(t)` of
//! each group, with Greenwood's standard error and the pointwise limits of
//! [`crate::km`] (R `summary(survfit(...), times = t)`). The difference of
//! two groups, `S_1(t) - S_2(t)`, has standard error
//! `sqrt(se_1^2 + se_2^2)` (independent groups), a Wald interval
//! `diff ± z se` and the two-sided normal P of `diff / se` (Klein,
//! Logan, Harhoff & Andersen 2007, Stat Med 26:4505, "Analyzing survival
//! curves at a fixed point in time"). A group whose follow-up ends before
//! `t` has no estimate there (the curve is undefined after the last
//! observation).
//!
//! References: Kaplan & Meier (1958) JASA 53:457; Greenwood (1926); Klein
//! et al. (2007) as above.

use crate::km::{kaplan_meier_groups, z_value, ConfType, KmOptions};
use crate::SurvivalError;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// The estimate of one group at the landmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LandmarkRate {
    /// Group label.
    pub group: String,
    /// Landmark time.
    pub time: f64,
    /// `S(t)`; `None` when the group's follow-up ends before `t`.
    pub survival: Option<f64>,
    /// Greenwood standard error of `S(t)`.
    pub std_err: Option<f64>,
    /// Lower pointwise limit.
    pub lower: Option<f64>,
    /// Upper pointwise limit.
    pub upper: Option<f64>,
    /// Subjects still at risk at `t`.
    pub n_risk: u32,
    /// Subjects in the group.
    pub n: u32,
}

/// `S_1(t) - S_2(t)` with its Wald interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LandmarkDifference {
    /// Landmark time.
    pub time: f64,
    /// First group.
    pub group1: String,
    /// Second group.
    pub group2: String,
    /// `S_1(t) - S_2(t)`.
    pub estimate: f64,
    /// `sqrt(se_1^2 + se_2^2)`.
    pub se: f64,
    /// Lower Wald limit.
    pub lower: f64,
    /// Upper Wald limit.
    pub upper: f64,
    /// Confidence level.
    pub conf_level: f64,
    /// Two-sided normal P (`None` when `se = 0`).
    pub p: Option<f64>,
}

/// Landmark rates of every group, and their difference for two groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Landmark {
    /// Landmark time.
    pub time: f64,
    /// Transform of the pointwise limits.
    pub conf_type: ConfType,
    /// Confidence level.
    pub conf_level: f64,
    /// One rate per group, in label order.
    pub rates: Vec<LandmarkRate>,
    /// First minus second group, when there are exactly two groups with an
    /// estimate.
    pub difference: Option<LandmarkDifference>,
    /// Groups without an estimate, and why.
    pub warnings: Vec<String>,
}

/// Kaplan-Meier rates at the landmark time `at` per group (labels
/// `labels`, `group[i]` indexing them), and the difference of the two
/// groups when there are two (see the [module docs](self)). The limits
/// use `opts.conf_type` and `opts.conf_level`; `opts.times` is ignored.
///
/// # Errors
/// [`SurvivalError::BadOption`] for `at` negative or not finite; the
/// errors of [`kaplan_meier_groups`].
///
/// # Example
/// ```
/// use oncomark_survival::km::KmOptions;
/// use oncomark_survival::landmark::landmark_rates;
/// let time = [1.0, 2.0, 3.0, 4.0, 5.0, 1.5, 2.5, 6.0, 7.0, 8.0];
/// let event = [true, true, false, true, true, true, false, false, true, true];
/// let group = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
/// let lm = landmark_rates(&time, &event, &group, &["a", "b"], 3.0, &KmOptions::default())?;
/// // group a: 5 at risk, events at 1 and 2: S(3) = 4/5 * 3/4 = 0.6
/// assert!((lm.rates[0].survival.unwrap() - 0.6).abs() < 1e-12);
/// let d = lm.difference.unwrap(); // S_a - S_b = 0.6 - 0.8
/// assert!((d.estimate + 0.2).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn landmark_rates<S: AsRef<str>>(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    labels: &[S],
    at: f64,
    opts: &KmOptions,
) -> Result<Landmark, SurvivalError> {
    if !(at.is_finite() && at >= 0.0) {
        return Err(SurvivalError::BadOption {
            what: "landmark time",
            value: at,
            reason: "the landmark time must be finite and >= 0",
        });
    }
    let o = KmOptions {
        times: vec![at],
        extend: false,
        rmst_tau: None,
        ..opts.clone()
    };
    let km = kaplan_meier_groups(time, event, group, labels, &o)?;
    let mut warnings = Vec::new();
    let rates: Vec<LandmarkRate> = km
        .groups
        .iter()
        .map(|g| match g.at.first() {
            Some(a) => LandmarkRate {
                group: g.group.clone(),
                time: at,
                survival: Some(a.survival),
                std_err: a.std_err,
                lower: a.lower,
                upper: a.upper,
                n_risk: a.n_risk,
                n: g.n,
            },
            None => {
                warnings.push(format!(
                    "group `{}`: follow-up ends before the landmark time {at}, so S({at}) is not estimable",
                    g.group
                ));
                LandmarkRate {
                    group: g.group.clone(),
                    time: at,
                    survival: None,
                    std_err: None,
                    lower: None,
                    upper: None,
                    n_risk: 0,
                    n: g.n,
                }
            }
        })
        .collect();
    let difference = if rates.len() == 2 {
        landmark_difference(&rates[0], &rates[1], opts.conf_level).ok()
    } else {
        None
    };
    Ok(Landmark {
        time: at,
        conf_type: opts.conf_type,
        conf_level: opts.conf_level,
        rates,
        difference,
        warnings,
    })
}

/// The difference `S_1(t) - S_2(t)` of two landmark rates with its Wald
/// interval and P (see the [module docs](self)).
///
/// # Errors
/// [`SurvivalError::BadConfLevel`] for `conf_level` outside (0, 1);
/// [`SurvivalError::BadOption`] when the rates are at different times or
/// one has no estimate or standard error.
///
/// # Example
/// ```
/// use oncomark_survival::landmark::{landmark_difference, LandmarkRate};
/// let r = |g: &str, s: f64, se: f64| LandmarkRate {
///     group: g.into(), time: 180.0, survival: Some(s), std_err: Some(se),
///     lower: None, upper: None, n_risk: 10, n: 20,
/// };
/// let d = landmark_difference(&r("a", 0.7, 0.03), &r("b", 0.6, 0.04), 0.95)?;
/// assert!((d.se - 0.05).abs() < 1e-12);
/// assert!((d.lower - (0.1 - 1.959963984540054 * 0.05)).abs() < 1e-9);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn landmark_difference(
    a: &LandmarkRate,
    b: &LandmarkRate,
    conf_level: f64,
) -> Result<LandmarkDifference, SurvivalError> {
    if !(conf_level > 0.0 && conf_level < 1.0) {
        return Err(SurvivalError::BadConfLevel(conf_level));
    }
    if a.time != b.time {
        return Err(SurvivalError::BadOption {
            what: "landmark time",
            value: b.time,
            reason: "the two rates are at different landmark times",
        });
    }
    let (Some(s1), Some(e1), Some(s2), Some(e2)) = (a.survival, a.std_err, b.survival, b.std_err)
    else {
        return Err(SurvivalError::BadOption {
            what: "landmark time",
            value: a.time,
            reason: "a group has no estimate or standard error at the landmark",
        });
    };
    let est = s1 - s2;
    let se = (e1 * e1 + e2 * e2).sqrt();
    let z = z_value(conf_level);
    let p = (se > 0.0).then(|| {
        Normal::new(0.0, 1.0)
            .map(|n| (2.0 * n.sf((est / se).abs())).min(1.0))
            .unwrap_or(f64::NAN)
    });
    Ok(LandmarkDifference {
        time: a.time,
        group1: a.group.clone(),
        group2: b.group.clone(),
        estimate: est,
        se,
        lower: est - z * se,
        upper: est + z * se,
        conf_level,
        p,
    })
}
