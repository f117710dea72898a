//! Kaplan-Meier estimates of the survival function, as R `survfit`.
//!
//! # Definitions
//!
//! At the distinct times `t_1 < t_2 < ...` of a group (after R's tie rule,
//! see [`crate::order`]), with `n_j` subjects at risk (time `>= t_j`) and
//! `d_j` events at `t_j`:
//!
//! ```text
//! S(t)        = prod_{t_j <= t} (n_j - d_j) / n_j                      (Kaplan & Meier 1958)
//! se_log(t)^2 = sum_{t_j <= t} d_j / (n_j (n_j - d_j))                 (Greenwood 1926)
//! std_err(t)  = S(t) * se_log(t)                                        (se of S, as summary.survfit)
//! ```
//!
//! Pointwise limits at level `1 - a`, `z = qnorm(1 - a/2)`
//! (R `survival:::survfit_confint`, Kalbfleisch & Prentice 2002, §1.4):
//!
//! ```text
//! plain    S ± z std_err, clipped to [0, 1]
//! log      exp(log S ± z se_log), upper clipped at 1
//! log-log  exp(-exp(log(-log S) ∓ z se_log / log S))   (undefined at S = 1)
//! ```
//!
//! All three are undefined where `S = 0` (the variance is infinite).
//!
//! The median is the first time where `S(t) <= 0.5`; when `S` equals 0.5
//! (within `sqrt(eps)`) on a flat stretch, it is the midpoint of that
//! stretch (from the time S reaches 0.5 to the next time it drops). Its
//! limits apply the same rule to the lower and the upper band
//! (Brookmeyer & Crowley 1982; R `survival:::survmean`, as
//! `print.survfit` and `summary(fit)$table` report them).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::order::{SortedSurv, AEQ_TOLERANCE};
use crate::rmst::{rmst, Rmst};
use crate::SurvivalError;

/// Transform on which pointwise confidence limits are symmetric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfType {
    /// `S ± z se(S)` (R `conf.type = "plain"`).
    Plain,
    /// On `log S` (R's default `conf.type = "log"`).
    Log,
    /// On `log(-log S)` (R `"log-log"`, SAS LIFETEST's default; ours too).
    #[default]
    LogLog,
}

impl ConfType {
    /// The name R and the command line use: `plain`, `log`, `log-log`.
    pub fn name(self) -> &'static str {
        match self {
            ConfType::Plain => "plain",
            ConfType::Log => "log",
            ConfType::LogLog => "log-log",
        }
    }
}

/// Options of a Kaplan-Meier fit.
#[derive(Debug, Clone, PartialEq)]
pub struct KmOptions {
    /// Transform for the pointwise limits (default log-log).
    pub conf_type: ConfType,
    /// Confidence level in (0, 1) (default 0.95).
    pub conf_level: f64,
    /// Times at which to report the estimate (the `at` rows), as R
    /// `summary(fit, times = )`. Must be finite and `>= 0`; reported in
    /// ascending order.
    pub times: Vec<f64>,
    /// Report `times` after a group's last observation too (R's
    /// `extend = TRUE`: the last estimate carried forward, `n_risk = 0`).
    /// By default (as R) such times are left out.
    pub extend: bool,
    /// When set, add the restricted mean survival time up to this time.
    pub rmst_tau: Option<f64>,
}

impl Default for KmOptions {
    fn default() -> Self {
        Self {
            conf_type: ConfType::LogLog,
            conf_level: 0.95,
            times: Vec::new(),
            extend: false,
            rmst_tau: None,
        }
    }
}

impl KmOptions {
    fn validate(&self) -> Result<(), SurvivalError> {
        if !(self.conf_level > 0.0 && self.conf_level < 1.0) {
            return Err(SurvivalError::BadConfLevel(self.conf_level));
        }
        for &t in &self.times {
            if !t.is_finite() || t < 0.0 {
                return Err(SurvivalError::BadOption {
                    what: "times",
                    value: t,
                    reason: "report times must be finite and >= 0",
                });
            }
        }
        if let Some(tau) = self.rmst_tau {
            crate::rmst::check_tau(tau)?;
        }
        Ok(())
    }
}

/// One row of a Kaplan-Meier curve, at a distinct observed time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmStep {
    /// The time (smallest member of a run of tied times).
    pub time: f64,
    /// Subjects at risk: time `>=` this time.
    pub n_risk: u32,
    /// Events at this time.
    pub n_event: u32,
    /// Censorings at this time.
    pub n_censor: u32,
    /// `S(t)` just after this time.
    pub survival: f64,
    /// Greenwood standard error of `S(t)`; `None` where `S = 0`.
    pub std_err: Option<f64>,
    /// Lower pointwise limit; `None` where undefined.
    pub lower: Option<f64>,
    /// Upper pointwise limit; `None` where undefined.
    pub upper: Option<f64>,
}

/// The estimate at a requested time (R `summary(fit, times = )`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmAt {
    /// The requested time.
    pub time: f64,
    /// `S` at the last curve time `<=` the requested time (1 before the first).
    pub survival: f64,
    /// Standard error of `S` there.
    pub std_err: Option<f64>,
    /// Lower pointwise limit there.
    pub lower: Option<f64>,
    /// Upper pointwise limit there.
    pub upper: Option<f64>,
    /// Subjects with time `>=` the requested time (0 after the last).
    pub n_risk: u32,
    /// Events after the previous requested time, up to this one.
    pub n_event: u32,
    /// Censorings after the previous requested time, up to this one.
    pub n_censor: u32,
}

/// A Kaplan-Meier fit of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmFit {
    /// Group label (`"all"` without groups).
    pub group: String,
    /// Subjects.
    pub n: u32,
    /// Events.
    pub events: u32,
    /// Median survival; `None` when `S` never drops to 0.5.
    pub median: Option<f64>,
    /// Lower limit of the median; `None` when the lower band never reaches 0.5.
    pub median_lower: Option<f64>,
    /// Upper limit of the median; `None` when the upper band never reaches 0.5.
    pub median_upper: Option<f64>,
    /// One row per distinct observed time (event or censoring), ascending.
    pub steps: Vec<KmStep>,
    /// Estimates at the requested times.
    pub at: Vec<KmAt>,
    /// Restricted mean survival time, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst: Option<Rmst>,
}

/// Kaplan-Meier fits of several groups with their settings (the JSON of
/// `oncomark km`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmResult {
    /// Transform of the pointwise limits.
    pub conf_type: ConfType,
    /// Confidence level.
    pub conf_level: f64,
    /// One fit per non-empty group, in label order.
    pub groups: Vec<KmFit>,
}

/// Reverse Kaplan-Meier estimate of median follow-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    /// Median follow-up: median of the KM curve with censoring as the event.
    pub median: Option<f64>,
    /// Its lower confidence limit.
    pub median_lower: Option<f64>,
    /// Its upper confidence limit.
    pub median_upper: Option<f64>,
    /// Subjects still under follow-up (censored).
    pub censored: u32,
    /// Subjects.
    pub n: u32,
}

impl KmFit {
    /// Subjects at risk (time `>= t`) at each of `times`.
    ///
    /// # Example
    ///
    /// ```
    /// use oncomark_survival::km::{kaplan_meier, KmOptions};
    /// let fit = kaplan_meier(&[1.0, 2.0, 2.0, 5.0], &[true, true, false, true], &KmOptions::default())?;
    /// assert_eq!(fit.n_at_risk(&[0.0, 2.0, 3.0, 6.0]), vec![4, 3, 1, 0]);
    /// # Ok::<(), oncomark_survival::SurvivalError>(())
    /// ```
    pub fn n_at_risk(&self, times: &[f64]) -> Vec<u32> {
        times
            .iter()
            .map(|&t| {
                let j = self.steps.partition_point(|s| s.time < t);
                self.steps.get(j).map_or(0, |s| s.n_risk)
            })
            .collect()
    }
}

/// Normal quantile for a two-sided interval at `level`.
pub(crate) fn z_value(level: f64) -> f64 {
    // standard normal: parameters are valid constants
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(1.0 - (1.0 - level) / 2.0),
        Err(_) => f64::NAN,
    }
}

/// Pointwise limits of R's `survfit_confint` from `S` and the standard
/// error of `log S` (Greenwood, `se_log`).
pub(crate) fn conf_limits(s: f64, se_log: f64, z: f64, ct: ConfType) -> (Option<f64>, Option<f64>) {
    if s <= 0.0 || !se_log.is_finite() {
        return (None, None);
    }
    match ct {
        ConfType::Plain => {
            let h = z * se_log * s;
            (Some((s - h).max(0.0)), Some((s + h).min(1.0)))
        }
        ConfType::Log => {
            let h = z * se_log;
            let ls = s.ln();
            (Some((ls - h).exp()), Some((ls + h).exp().min(1.0)))
        }
        ConfType::LogLog => {
            if s >= 1.0 {
                return (None, None);
            }
            let ls = s.ln();
            let h = z * se_log / ls;
            let ll = (-ls).ln();
            (Some((-(ll - h).exp()).exp()), Some((-(ll + h).exp()).exp()))
        }
    }
}

/// R `survmean`'s `minmin`: the first time where `y <= 0.5` (within
/// `sqrt(eps)`), undefined values skipped, with the midpoint rule when `y`
/// sits at 0.5 on a flat stretch.
pub(crate) fn median_crossing(rows: impl IntoIterator<Item = (f64, Option<f64>)>) -> Option<f64> {
    let tol = AEQ_TOLERANCE;
    let mut kept = rows
        .into_iter()
        .filter_map(|(t, v)| v.filter(|&v| v < 0.5 + tol).map(|v| (t, v)));
    let (t0, y0) = kept.next()?;
    if (y0 - 0.5).abs() < tol {
        if let Some((t1, _)) = kept.find(|&(_, v)| v < y0) {
            return Some((t0 + t1) / 2.0);
        }
    }
    Some(t0)
}

/// Counts at one distinct time of one group, before the estimates.
#[derive(Clone, Copy)]
struct Raw {
    time: f64,
    n_risk: u32,
    d: u32,
    c: u32,
}

/// Builds the curve of one group from its raw counts.
fn curve(raw: &[Raw], z: f64, ct: ConfType) -> Vec<KmStep> {
    let mut steps = Vec::with_capacity(raw.len());
    let mut s = 1.0f64;
    let mut var = 0.0f64; // Greenwood sum, variance of log S
    let (mut lo, mut hi) = conf_limits(1.0, 0.0, z, ct);
    let mut se = Some(0.0);
    for r in raw {
        if r.d > 0 {
            let n = r.n_risk as f64;
            let d = r.d as f64;
            s *= (n - d) / n;
            var += if r.n_risk > r.d {
                d / (n * (n - d))
            } else {
                f64::INFINITY
            };
            let se_log = var.sqrt();
            se = if s > 0.0 { Some(se_log * s) } else { None };
            (lo, hi) = conf_limits(s, se_log, z, ct);
        }
        steps.push(KmStep {
            time: r.time,
            n_risk: r.n_risk,
            n_event: r.d,
            n_censor: r.c,
            survival: s,
            std_err: se,
            lower: lo,
            upper: hi,
        });
    }
    steps
}

/// R `summary(fit, times = )` rows of one curve (see [`KmOptions::times`]).
fn at_rows(steps: &[KmStep], n: u32, times: &[f64], extend: bool) -> Vec<KmAt> {
    if times.is_empty() {
        return Vec::new();
    }
    let mut req: Vec<f64> = times.to_vec();
    req.sort_by(f64::total_cmp);
    // R works on survfit0(fit): a row at time 0 with S = 1 is prepended
    // unless the curve already starts at 0.
    let row0 = KmStep {
        time: 0.0,
        n_risk: n,
        n_event: 0,
        n_censor: 0,
        survival: 1.0,
        std_err: Some(0.0),
        lower: Some(1.0),
        upper: Some(1.0),
    };
    let rows: Vec<&KmStep> = if steps.first().is_some_and(|s| s.time == 0.0) {
        steps.iter().collect()
    } else {
        std::iter::once(&row0).chain(steps.iter()).collect()
    };
    let max_time = rows.last().map_or(0.0, |r| r.time);
    let mut out = Vec::with_capacity(req.len());
    let (mut ev_prev, mut ce_prev) = (0u32, 0u32);
    let (mut cum_ev, mut cum_ce, mut used) = (0u32, 0u32, 0usize);
    for &t in &req {
        if !extend && t > max_time {
            continue;
        }
        let i1 = rows.partition_point(|r| r.time <= t); // rows with time <= t
        while used < i1 {
            cum_ev += rows[used].n_event;
            cum_ce += rows[used].n_censor;
            used += 1;
        }
        let i2 = rows.partition_point(|r| r.time < t);
        let row = rows[i1.max(1) - 1];
        out.push(KmAt {
            time: t,
            survival: row.survival,
            std_err: row.std_err,
            lower: row.lower,
            upper: row.upper,
            n_risk: rows.get(i2).map_or(0, |r| r.n_risk),
            n_event: cum_ev - ev_prev,
            n_censor: cum_ce - ce_prev,
        });
        ev_prev = cum_ev;
        ce_prev = cum_ce;
    }
    out
}

/// Assembles the fit of one group from its raw counts.
fn fit_group(
    label: String,
    raw: &[Raw],
    n: u32,
    events: u32,
    z: f64,
    opts: &KmOptions,
) -> Result<KmFit, SurvivalError> {
    let steps = curve(raw, z, opts.conf_type);
    let median = median_crossing(steps.iter().map(|s| (s.time, Some(s.survival))));
    let median_lower = median_crossing(steps.iter().map(|s| (s.time, s.lower)));
    let median_upper = median_crossing(steps.iter().map(|s| (s.time, s.upper)));
    let at = at_rows(&steps, n, &opts.times, opts.extend);
    let mut fit = KmFit {
        group: label,
        n,
        events,
        median,
        median_lower,
        median_upper,
        steps,
        at,
        rmst: None,
    };
    if let Some(tau) = opts.rmst_tau {
        fit.rmst = Some(rmst(&fit, tau)?);
    }
    Ok(fit)
}

/// Kaplan-Meier fits per group from data sorted once ([`SortedSurv`]).
///
/// `labels[g]` names group `g`; groups without subjects are left out (as
/// R's `survfit` does for unused factor levels).
///
/// # Errors
///
/// [`SurvivalError::LengthMismatch`] when `labels` does not have one label
/// per group; [`SurvivalError::BadConfLevel`], [`SurvivalError::BadOption`]
/// and [`SurvivalError::BadTau`] for bad options.
///
/// # Example
///
/// ```
/// use oncomark_survival::km::{kaplan_meier_sorted, KmOptions};
/// use oncomark_survival::order::SortedSurv;
/// let s = SortedSurv::new(&[1.0, 2.0, 3.0, 4.0], &[true; 4], &[0, 1, 0, 1], 2)?;
/// let r = kaplan_meier_sorted(&s, &["a", "b"], &KmOptions::default())?;
/// assert!((r.groups[1].steps[0].survival - 0.5).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn kaplan_meier_sorted<S: AsRef<str>>(
    sorted: &SortedSurv,
    labels: &[S],
    opts: &KmOptions,
) -> Result<KmResult, SurvivalError> {
    opts.validate()?;
    let k = sorted.n_groups;
    if labels.len() != k {
        return Err(SurvivalError::LengthMismatch {
            what: "labels",
            got: labels.len(),
            expected: k,
        });
    }
    let n_g = &sorted.n_per_group;
    let ev_g = &sorted.events_per_group;
    let mut raw: Vec<Vec<Raw>> = vec![Vec::new(); k];
    let mut seen = vec![0u32; k];
    for (&t, &c) in sorted.time.iter().zip(&sorted.code) {
        let g = (c >> 1) as usize;
        let rg = &mut raw[g];
        match rg.last_mut() {
            Some(r) if r.time == t => {
                r.d += c & 1;
                r.c += 1 - (c & 1);
            }
            _ => rg.push(Raw {
                time: t,
                n_risk: n_g[g] - seen[g],
                d: c & 1,
                c: 1 - (c & 1),
            }),
        }
        seen[g] += 1;
    }
    let z = z_value(opts.conf_level);
    let mut groups = Vec::new();
    for g in 0..k {
        if n_g[g] == 0 {
            continue;
        }
        groups.push(fit_group(
            labels[g].as_ref().to_string(),
            &raw[g],
            n_g[g],
            ev_g[g],
            z,
            opts,
        )?);
    }
    Ok(KmResult {
        conf_type: opts.conf_type,
        conf_level: opts.conf_level,
        groups,
    })
}

/// Kaplan-Meier fits per group: `group[i] < labels.len()` is the group of
/// subject `i`, `time[i] >= 0` its time and `event[i]` whether it ended in
/// the event (`false`: censored).
///
/// Formulas and R's rules: see the [module docs](self). Cost: one radix
/// sort and linear passes (O(n)).
///
/// # Errors
///
/// [`SurvivalError::Empty`], [`SurvivalError::LengthMismatch`],
/// [`SurvivalError::NonFinite`], [`SurvivalError::NegativeTime`],
/// [`SurvivalError::GroupOutOfRange`], and the option errors of
/// [`kaplan_meier_sorted`].
///
/// # Example
///
/// ```
/// use oncomark_survival::km::{kaplan_meier_groups, KmOptions};
/// let time = [6.0, 6.0, 6.0, 7.0, 10.0, 13.0, 16.0, 22.0, 23.0];
/// let event = [true, true, true, true, false, true, true, true, true];
/// let group = [0, 0, 0, 0, 0, 1, 1, 1, 1];
/// let r = kaplan_meier_groups(&time, &event, &group, &["a", "b"], &KmOptions::default())?;
/// // group a: 5 at risk at time 6, 3 deaths
/// assert!((r.groups[0].steps[0].survival - 0.4).abs() < 1e-12);
/// assert_eq!(r.groups[1].median, Some(19.0)); // S = 0.5 from 16 to 22: midpoint
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn kaplan_meier_groups<S: AsRef<str>>(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    labels: &[S],
    opts: &KmOptions,
) -> Result<KmResult, SurvivalError> {
    opts.validate()?;
    let sorted = SortedSurv::new(time, event, group, labels.len())?;
    kaplan_meier_sorted(&sorted, labels, opts)
}

/// Kaplan-Meier fit of one sample (group label `"all"`).
///
/// # Errors
///
/// As [`kaplan_meier_groups`].
///
/// # Example
///
/// ```
/// use oncomark_survival::km::{kaplan_meier, ConfType, KmOptions};
/// // Therneau's validation data (survival vignette "validate"), times 1, 1, 2, 2, 3, 4
/// let fit = kaplan_meier(
///     &[1.0, 1.0, 2.0, 2.0, 3.0, 4.0],
///     &[true, false, true, true, false, true],
///     &KmOptions { conf_type: ConfType::Log, ..Default::default() },
/// )?;
/// // S(1) = 5/6, S(2) = 5/6 * 2/4
/// assert!((fit.steps[1].survival - 5.0 / 12.0).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn kaplan_meier(
    time: &[f64],
    event: &[bool],
    opts: &KmOptions,
) -> Result<KmFit, SurvivalError> {
    let group = vec![0u32; time.len()];
    let mut r = kaplan_meier_groups(time, event, &group, &["all"], opts)?;
    r.groups.pop().ok_or(SurvivalError::Empty)
}

/// Reverse Kaplan-Meier curve: the Kaplan-Meier estimate with censoring as
/// the event and events as censorings (Schemper & Smith 1996, "A note on
/// quantifying follow-up in studies of failure time", Control Clin Trials
/// 17:343-346). As R `survfit(Surv(time, 1 - status) ~ 1)`.
///
/// # Errors
///
/// As [`kaplan_meier`].
///
/// # Example
///
/// ```
/// use oncomark_survival::km::{reverse_kaplan_meier, KmOptions};
/// let fit = reverse_kaplan_meier(&[1.0, 2.0, 3.0], &[true, false, false], &KmOptions::default())?;
/// assert_eq!(fit.events, 2); // two censorings
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn reverse_kaplan_meier(
    time: &[f64],
    event: &[bool],
    opts: &KmOptions,
) -> Result<KmFit, SurvivalError> {
    let flipped: Vec<bool> = event.iter().map(|&e| !e).collect();
    kaplan_meier(time, &flipped, opts)
}

/// Median follow-up by the reverse Kaplan-Meier method, with the limits of
/// the median as in [`kaplan_meier`] (conf type and level from `opts`).
///
/// # Errors
///
/// As [`kaplan_meier`].
///
/// # Example
///
/// ```
/// use oncomark_survival::km::{median_followup, KmOptions};
/// let f = median_followup(&[1.0, 2.0, 3.0, 4.0], &[true, false, false, false], &KmOptions::default())?;
/// assert_eq!(f.median, Some(3.0)); // reverse S: 1, 2/3, 1/3, 0 at 1, 2, 3, 4
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn median_followup(
    time: &[f64],
    event: &[bool],
    opts: &KmOptions,
) -> Result<FollowUp, SurvivalError> {
    let o = KmOptions {
        times: Vec::new(),
        rmst_tau: None,
        ..opts.clone()
    };
    let fit = reverse_kaplan_meier(time, event, &o)?;
    Ok(FollowUp {
        median: fit.median,
        median_lower: fit.median_lower,
        median_upper: fit.median_upper,
        censored: fit.events,
        n: fit.n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_midpoint_rule() {
        let t = [1.0, 2.0, 3.0, 4.0];
        let median_crossing = |t: &[f64], y: &[Option<f64>]| {
            median_crossing(t.iter().copied().zip(y.iter().copied()))
        };
        // flat at 0.5 from 2 (a censoring at 3) until the drop at 4
        let y = [Some(0.75), Some(0.5), Some(0.5), Some(0.25)];
        assert_eq!(median_crossing(&t, &y), Some(3.0));
        let y = [Some(0.75), Some(0.5), Some(0.5), Some(0.5)];
        assert_eq!(median_crossing(&t, &y), Some(2.0));
        let y = [Some(0.75), None, Some(0.4), Some(0.3)];
        assert_eq!(median_crossing(&t, &y), Some(3.0));
        let y = [Some(0.75), Some(0.6), None, None];
        assert_eq!(median_crossing(&t, &y), None);
    }

    #[test]
    fn z_matches_r_qnorm() {
        // R 4.2.2: qnorm(0.975) = 1.959963984540054
        assert!((z_value(0.95) - 1.959963984540054).abs() < 1e-12);
    }
}
