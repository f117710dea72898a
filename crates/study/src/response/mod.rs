//! Tumour response from lesion measurements (WHO, RECIST 1.0, RECIST 1.1)
//! or from recorded responses.
//!
//! # Criteria
//!
//! | | WHO | RECIST 1.0 | RECIST 1.1 |
//! |---|---|---|---|
//! | source | Miller, Hoogstraten, Staquet, Winkler, "Reporting results of cancer treatment", Cancer 1981;47:207-214 | Therasse et al., "New guidelines to evaluate the response to treatment in solid tumors", J Natl Cancer Inst 2000;92:205-216 | Eisenhauer et al., "New response evaluation criteria in solid tumours: revised RECIST guideline (version 1.1)", Eur J Cancer 2009;45:228-247 |
//! | tumour burden | sum of products longest x perpendicular diameter of the target lesions | sum of longest diameters (LD) | sum of LD, lymph nodes by their short axis |
//! | CR | all target lesions 0 and all non-target lesions gone | same | non-nodal targets 0, every target and non-target node short axis < 10 mm, non-nodal non-targets gone |
//! | PR | sum <= 50 % of baseline | sum <= 70 % of baseline (>= 30 % decrease) | same as 1.0 |
//! | PD | sum >= 125 % of the nadir, or new lesion | sum >= 120 % of the nadir, or new lesion | as 1.0 and the sum grew by >= 5 mm |
//! | default SD minimum | 28 days | 42 days | 42 days |
//!
//! The nadir is the smallest complete sum recorded so far, baseline
//! included. Miller et al. define WHO progression on single lesions (a 25 %
//! increase of one or more lesions); the sum-of-products rule above is the
//! form in which WHO is usually applied (and compared with RECIST by
//! Therasse et al. 2000); [`ResponseOptions::who_lesion_progression`] adds
//! the single-lesion rule. Comparisons with the thresholds allow a relative
//! rounding error of 1e-9, so a sum exactly on a threshold meets it.
//!
//! # Time points
//!
//! The baseline is the date given for the patient, or the patient's
//! earliest measurement date. At each later date:
//!
//! 1. a new lesion makes the time point PD;
//! 2. if every baseline target lesion is measured, PD by the sum rule;
//!    if some are missing, PD when the measured ones alone meet the PD rule
//!    (the missing ones could only add), otherwise **NE**;
//! 3. CR as in the table; target CR with a non-target lesion still present
//!    (or not assessed) is PR;
//! 4. PR by the sum rule, otherwise SD.
//!
//! Unequivocal progression of non-target lesions is not derived from
//! measurements; record it as a new lesion or use recorded responses.
//!
//! # Best overall response
//!
//! Time points after the first PD are ignored. Without confirmation the best
//! response is CR or PR if any time point is; with confirmation a CR (PR)
//! needs a later time point at least `confirm_min_days` (default 28) after
//! it that is CR (CR or PR); an unconfirmed CR/PR is reported in
//! `unconfirmed_best` and counts as SD when it lies at least the SD
//! minimum from baseline. SD needs a CR/PR/SD time point at least
//! `sd_min_days` from baseline; failing that, PD when a PD time point exists,
//! else NE. Objective response = CR or PR. The best percent change (for
//! waterfall plots) is the smallest change of the complete sum from baseline
//! up to and including the first PD.

mod best;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Result, StudyError};
use best::{best_overall, Point};

/// A response category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Response {
    /// Complete response.
    #[serde(rename = "CR")]
    Cr,
    /// Partial response.
    #[serde(rename = "PR")]
    Pr,
    /// Stable disease.
    #[serde(rename = "SD")]
    Sd,
    /// Progressive disease.
    #[serde(rename = "PD")]
    Pd,
    /// Not evaluable.
    #[serde(rename = "NE")]
    Ne,
}

impl Response {
    /// All categories, best first.
    pub const ALL: [Response; 5] = [
        Response::Cr,
        Response::Pr,
        Response::Sd,
        Response::Pd,
        Response::Ne,
    ];

    /// The abbreviation: `CR`, `PR`, `SD`, `PD`, `NE`.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Response::Cr => "CR",
            Response::Pr => "PR",
            Response::Sd => "SD",
            Response::Pd => "PD",
            Response::Ne => "NE",
        }
    }

    /// CR or PR.
    pub fn is_objective(self) -> bool {
        matches!(self, Response::Cr | Response::Pr)
    }

    /// Parse a recorded value: the abbreviations (case-insensitive,
    /// surrounding blanks ignored) or the long forms `complete response`,
    /// `partial response`, `stable disease`, `progressive disease`,
    /// `not evaluable`.
    ///
    /// ```
    /// use oncomark_study::response::Response;
    /// assert_eq!(Response::parse(" pr "), Some(Response::Pr));
    /// assert_eq!(Response::parse("Stable disease"), Some(Response::Sd));
    /// assert_eq!(Response::parse("PR?"), None);
    /// ```
    pub fn parse(value: &str) -> Option<Response> {
        let v = value.trim().to_ascii_lowercase();
        let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(match v.as_str() {
            "cr" | "complete response" => Response::Cr,
            "pr" | "partial response" => Response::Pr,
            "sd" | "stable disease" => Response::Sd,
            "pd" | "progressive disease" | "progression" => Response::Pd,
            "ne" | "not evaluable" | "not evaluated" => Response::Ne,
            _ => return None,
        })
    }

    /// [`Response::parse`] with an error naming the patient and date.
    ///
    /// # Errors
    ///
    /// [`StudyError::BadResponseValue`].
    pub fn parse_recorded(patient: &str, date: Option<NaiveDate>, value: &str) -> Result<Response> {
        Response::parse(value).ok_or_else(|| StudyError::BadResponseValue {
            patient: patient.to_string(),
            date,
            value: value.to_string(),
        })
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.abbreviation())
    }
}

/// Response criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Criteria {
    /// WHO (Miller et al. 1981): bidimensional products.
    Who,
    /// RECIST 1.0 (Therasse et al. 2000).
    #[serde(rename = "recist-1.0")]
    Recist10,
    /// RECIST 1.1 (Eisenhauer et al. 2009).
    #[default]
    #[serde(rename = "recist-1.1")]
    Recist11,
}

impl Criteria {
    /// Name as used in specs: `who`, `recist-1.0`, `recist-1.1`.
    pub fn name(self) -> &'static str {
        match self {
            Criteria::Who => "who",
            Criteria::Recist10 => "recist-1.0",
            Criteria::Recist11 => "recist-1.1",
        }
    }

    /// PR when the sum is at most `(1 - pr_decrease) * baseline`.
    pub fn pr_decrease(self) -> f64 {
        match self {
            Criteria::Who => 0.5,
            _ => 0.3,
        }
    }

    /// PD when the sum is at least `(1 + pd_increase) * nadir`.
    pub fn pd_increase(self) -> f64 {
        match self {
            Criteria::Who => 0.25,
            _ => 0.2,
        }
    }

    /// The absolute increase over the nadir PD also needs (mm).
    pub fn pd_min_increase_mm(self) -> f64 {
        match self {
            Criteria::Recist11 => 5.0,
            _ => 0.0,
        }
    }

    /// Default minimum SD duration from baseline, days (WHO: 4 weeks;
    /// RECIST: 6 weeks, the usual protocol choice).
    pub fn default_sd_min_days(self) -> i64 {
        match self {
            Criteria::Who => 28,
            _ => 42,
        }
    }
}

/// One lesion measured at one assessment (one row of a long table).
/// Diameters in mm; `Some(0.0)` = disappeared, `None` = not measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LesionMeasurement {
    /// Patient id.
    pub patient: String,
    /// Assessment date.
    pub date: NaiveDate,
    /// Lesion id, stable across assessments.
    pub lesion: String,
    /// Longest diameter.
    pub longest_diameter: Option<f64>,
    /// Greatest diameter perpendicular to the longest (WHO).
    pub perpendicular_diameter: Option<f64>,
    /// Target (measured) lesion; otherwise non-target.
    pub target: bool,
    /// Lymph node.
    pub lymph_node: bool,
    /// Short axis of a lymph node (RECIST 1.1).
    pub short_axis: Option<f64>,
    /// A new lesion (flag it at every date it is recorded).
    pub new_lesion: bool,
}

/// A response recorded by the investigator at one assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedResponse {
    /// Patient id.
    pub patient: String,
    /// Assessment date.
    pub date: NaiveDate,
    /// The recorded value (`CR`, `pr`, `Stable disease`, ...).
    pub response: String,
}

/// Options of the response rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseOptions {
    /// Criteria (default RECIST 1.1).
    pub criteria: Criteria,
    /// Require confirmation of CR/PR (default false).
    pub confirm: bool,
    /// Smallest gap between a response and its confirmation, days
    /// (default 28).
    pub confirm_min_days: i64,
    /// Minimum SD duration from baseline, days; `None` = the criteria's
    /// default (28 WHO, 42 RECIST).
    pub sd_min_days: Option<i64>,
    /// WHO only: PD also when a single target lesion's product grows by
    /// >= 25 % over its own nadir (Miller et al.'s wording).
    pub who_lesion_progression: bool,
}

impl Default for ResponseOptions {
    fn default() -> Self {
        ResponseOptions {
            criteria: Criteria::Recist11,
            confirm: false,
            confirm_min_days: 28,
            sd_min_days: None,
            who_lesion_progression: false,
        }
    }
}

impl ResponseOptions {
    fn checked(&self) -> Result<(i64, i64)> {
        let sd = self
            .sd_min_days
            .unwrap_or_else(|| self.criteria.default_sd_min_days());
        if sd < 0 {
            return Err(StudyError::BadOption {
                what: "sd_min_days",
                value: sd as f64,
                reason: "the minimum stable-disease duration must be >= 0 days",
            });
        }
        if self.confirm_min_days < 0 {
            return Err(StudyError::BadOption {
                what: "confirm_min_days",
                value: self.confirm_min_days as f64,
                reason: "the confirmation interval must be >= 0 days",
            });
        }
        Ok((sd, self.confirm_min_days))
    }
}

/// The response at one assessment after baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimePoint {
    /// Assessment date.
    pub date: NaiveDate,
    /// Days from baseline (or from treatment start for recorded responses).
    pub day: i64,
    /// Sum over all baseline target lesions; `None` when one is missing
    /// (or for recorded responses).
    pub sum: Option<f64>,
    /// Target lesions not measured at this date.
    pub missing: Vec<String>,
    /// Percent change of `sum` from baseline.
    pub change_from_baseline: Option<f64>,
    /// Smallest complete sum before this date (baseline included).
    pub nadir: Option<f64>,
    /// Percent change of `sum` from `nadir`.
    pub change_from_nadir: Option<f64>,
    /// A new lesion was recorded at this date.
    pub new_lesion: bool,
    /// The time-point response.
    pub response: Response,
}

/// One patient's responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientResponse {
    /// Patient id.
    pub patient: String,
    /// Baseline date (treatment start for recorded responses).
    pub baseline_date: NaiveDate,
    /// Baseline sum of the target lesions.
    pub baseline_sum: Option<f64>,
    /// Target lesions at baseline.
    pub target_lesions: Vec<String>,
    /// Follow-up assessments in date order.
    pub time_points: Vec<TimePoint>,
    /// Best overall response.
    pub best_response: Response,
    /// The best CR/PR seen before progression when it was not confirmed.
    pub unconfirmed_best: Option<Response>,
    /// Best response is CR or PR.
    pub objective_response: bool,
    /// Date of the first PD time point.
    pub first_progression: Option<NaiveDate>,
    /// Smallest percent change of the sum from baseline up to the first PD.
    pub best_percent_change: Option<f64>,
}

/// Responses of all patients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseResult {
    /// Criteria applied (`None` for recorded responses).
    pub criteria: Option<Criteria>,
    /// Whether CR/PR needed confirmation.
    pub confirm: bool,
    /// Confirmation interval, days.
    pub confirm_min_days: i64,
    /// Minimum SD duration, days.
    pub sd_min_days: i64,
    /// One entry per patient, by patient id.
    pub patients: Vec<PatientResponse>,
    /// Patients per best response, in the order CR, PR, SD, PD, NE.
    pub counts: Vec<(Response, usize)>,
    /// Patients with an objective response.
    pub n_objective: usize,
}

fn counts(patients: &[PatientResponse]) -> (Vec<(Response, usize)>, usize) {
    let c = Response::ALL
        .iter()
        .map(|&r| (r, patients.iter().filter(|p| p.best_response == r).count()))
        .collect();
    (c, patients.iter().filter(|p| p.objective_response).count())
}

/// `a >= b` allowing a relative rounding error of 1e-9.
fn ge(a: f64, b: f64) -> bool {
    a >= b - 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The value of a measurement that enters the sum, per criteria.
fn sum_value(m: &LesionMeasurement, c: Criteria) -> Option<f64> {
    let ld = m.longest_diameter;
    match c {
        Criteria::Who => match ld {
            Some(0.0) => Some(0.0),
            Some(l) => m.perpendicular_diameter.map(|p| l * p),
            None => None,
        },
        Criteria::Recist10 => ld,
        Criteria::Recist11 => {
            if m.lymph_node {
                match (m.short_axis, ld) {
                    (Some(s), _) => Some(s),
                    (None, Some(0.0)) => Some(0.0),
                    _ => None,
                }
            } else {
                ld
            }
        }
    }
}

/// Whether a lesion counts as gone for CR.
fn is_gone(m: &LesionMeasurement, c: Criteria) -> bool {
    match c {
        Criteria::Recist11 if m.lymph_node => match (m.short_axis, m.longest_diameter) {
            (Some(s), _) => s < 10.0,
            (None, Some(l)) => l == 0.0,
            (None, None) => false,
        },
        _ => m.longest_diameter == Some(0.0),
    }
}

fn check_row(m: &LesionMeasurement) -> Result<()> {
    for (what, v) in [
        ("longest_diameter", m.longest_diameter),
        ("perpendicular_diameter", m.perpendicular_diameter),
        ("short_axis", m.short_axis),
    ] {
        if let Some(v) = v {
            if !v.is_finite() || v < 0.0 {
                return Err(StudyError::BadMeasurement {
                    patient: m.patient.clone(),
                    date: m.date,
                    lesion: m.lesion.clone(),
                    what,
                    value: v,
                });
            }
        }
    }
    Ok(())
}

/// Derive time-point and best overall responses from lesion measurements.
///
/// `baseline_dates` maps a patient to the date of the baseline assessment;
/// patients not in it use their earliest measurement date. See the module
/// docs for the rules.
///
/// # Errors
///
/// [`StudyError::BadMeasurement`] (negative or non-finite diameter),
/// [`StudyError::BeforeBaseline`], [`StudyError::LesionNotAtBaseline`],
/// [`StudyError::MissingBaselineValue`] (a baseline target without the value
/// the criteria sum), [`StudyError::NoBaselineTargets`],
/// [`StudyError::DuplicateMeasurement`], [`StudyError::LesionFlagChanged`],
/// [`StudyError::NewLesionAtBaseline`], [`StudyError::BadOption`]. Each
/// names the patient, date and lesion.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use std::collections::BTreeMap;
/// use oncomark_study::response::{assess_lesions, Criteria, LesionMeasurement, Response, ResponseOptions};
/// let row = |date: NaiveDate, ld: f64| LesionMeasurement {
///     patient: "p1".into(), date, lesion: "L1".into(), longest_diameter: Some(ld),
///     perpendicular_diameter: Some(ld), target: true, lymph_node: false,
///     short_axis: None, new_lesion: false,
/// };
/// let d = |m, d| NaiveDate::from_ymd_opt(2000, m, d).unwrap();
/// let rows = vec![row(d(1, 1), 40.0), row(d(3, 4), 27.0), row(d(5, 27), 27.0)];
/// let opts = ResponseOptions { criteria: Criteria::Recist10, ..Default::default() };
/// let r = assess_lesions(&rows, &BTreeMap::new(), &opts)?;
/// // 40 -> 27 mm is a 32.5 % decrease: PR
/// assert_eq!(r.patients[0].best_response, Response::Pr);
/// assert!((r.patients[0].best_percent_change.unwrap() + 32.5).abs() < 1e-9);
/// # Ok::<(), oncomark_study::StudyError>(())
/// ```
pub fn assess_lesions(
    rows: &[LesionMeasurement],
    baseline_dates: &BTreeMap<String, NaiveDate>,
    opts: &ResponseOptions,
) -> Result<ResponseResult> {
    let (sd_min, confirm_min) = opts.checked()?;
    let mut by_patient: BTreeMap<&str, Vec<&LesionMeasurement>> = BTreeMap::new();
    for m in rows {
        check_row(m)?;
        by_patient.entry(m.patient.as_str()).or_default().push(m);
    }
    let mut patients = Vec::with_capacity(by_patient.len());
    for (patient, rows) in by_patient {
        // non-empty by construction
        let earliest = rows.iter().map(|m| m.date).min().unwrap_or_default();
        let baseline = baseline_dates.get(patient).copied().unwrap_or(earliest);
        patients.push(assess_patient(
            patient,
            baseline,
            &rows,
            opts,
            sd_min,
            confirm_min,
        )?);
    }
    let (counts, n_objective) = counts(&patients);
    Ok(ResponseResult {
        criteria: Some(opts.criteria),
        confirm: opts.confirm,
        confirm_min_days: confirm_min,
        sd_min_days: sd_min,
        patients,
        counts,
        n_objective,
    })
}

fn assess_patient(
    patient: &str,
    baseline: NaiveDate,
    rows: &[&LesionMeasurement],
    opts: &ResponseOptions,
    sd_min: i64,
    confirm_min: i64,
) -> Result<PatientResponse> {
    let c = opts.criteria;
    // rows by date, checking order and duplicates
    let mut by_date: BTreeMap<NaiveDate, BTreeMap<&str, &LesionMeasurement>> = BTreeMap::new();
    for m in rows {
        if m.date < baseline {
            return Err(StudyError::BeforeBaseline {
                patient: patient.to_string(),
                date: m.date,
                lesion: m.lesion.clone(),
                baseline,
            });
        }
        if by_date
            .entry(m.date)
            .or_default()
            .insert(m.lesion.as_str(), m)
            .is_some()
        {
            return Err(StudyError::DuplicateMeasurement {
                patient: patient.to_string(),
                date: m.date,
                lesion: m.lesion.clone(),
            });
        }
    }
    let empty = BTreeMap::new();
    let base = by_date.get(&baseline).unwrap_or(&empty);
    if let Some(m) = base.values().find(|m| m.new_lesion) {
        return Err(StudyError::NewLesionAtBaseline {
            patient: patient.to_string(),
            date: baseline,
            lesion: m.lesion.clone(),
        });
    }
    let targets: Vec<&LesionMeasurement> = base.values().filter(|m| m.target).copied().collect();
    let non_targets: Vec<&LesionMeasurement> =
        base.values().filter(|m| !m.target).copied().collect();
    if targets.is_empty() {
        return Err(StudyError::NoBaselineTargets {
            patient: patient.to_string(),
            date: baseline,
        });
    }
    let criteria_name = match c {
        Criteria::Who => "WHO",
        Criteria::Recist10 => "RECIST 1.0",
        Criteria::Recist11 => "RECIST 1.1",
    };
    let mut base_values = Vec::with_capacity(targets.len());
    for m in &targets {
        let missing = |what| StudyError::MissingBaselineValue {
            patient: patient.to_string(),
            date: baseline,
            lesion: m.lesion.clone(),
            what,
            criteria: criteria_name,
        };
        let positive = |v: Option<f64>| v.is_some_and(|v| v > 0.0);
        let node_by_short_axis = c == Criteria::Recist11 && m.lymph_node;
        if !(positive(m.longest_diameter) || node_by_short_axis) {
            return Err(missing("longest_diameter"));
        }
        if c == Criteria::Who && !positive(m.perpendicular_diameter) {
            return Err(missing("perpendicular_diameter"));
        }
        if c == Criteria::Recist11 && m.lymph_node && !positive(m.short_axis) {
            return Err(missing("short_axis"));
        }
        // checked positive just above
        base_values.push(sum_value(m, c).unwrap_or(0.0));
    }
    let baseline_sum: f64 = base_values.iter().sum();
    let target_ids: Vec<String> = targets.iter().map(|m| m.lesion.clone()).collect();
    let baseline_ids: BTreeSet<&str> = base.keys().copied().collect();

    let mut nadir = baseline_sum;
    let mut lesion_nadir: Vec<f64> = base_values.clone();
    let mut points: Vec<Point> = Vec::new();
    let mut time_points = Vec::new();
    for (&date, at) in by_date
        .range(baseline..)
        .skip_while(|(d, _)| **d == baseline)
    {
        let mut new_lesion = false;
        for m in at.values() {
            if m.new_lesion {
                new_lesion = true;
                continue;
            }
            if !baseline_ids.contains(m.lesion.as_str()) {
                return Err(StudyError::LesionNotAtBaseline {
                    patient: patient.to_string(),
                    date,
                    lesion: m.lesion.clone(),
                    baseline,
                });
            }
            let b = base[m.lesion.as_str()];
            for (what, same) in [
                ("target", b.target == m.target),
                ("lymph_node", b.lymph_node == m.lymph_node),
            ] {
                if !same {
                    return Err(StudyError::LesionFlagChanged {
                        patient: patient.to_string(),
                        date,
                        lesion: m.lesion.clone(),
                        what,
                    });
                }
            }
        }
        let values: Vec<Option<f64>> = targets
            .iter()
            .map(|t| at.get(t.lesion.as_str()).and_then(|m| sum_value(m, c)))
            .collect();
        let missing: Vec<String> = targets
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_none())
            .map(|(t, _)| t.lesion.clone())
            .collect();
        let measured: f64 = values.iter().flatten().sum();
        let complete = missing.is_empty();
        let pd_by_sum = measured > nadir
            && ge(measured, nadir * (1.0 + c.pd_increase()))
            && ge(measured - nadir, c.pd_min_increase_mm());
        let pd_by_lesion = c == Criteria::Who
            && opts.who_lesion_progression
            && values
                .iter()
                .zip(&lesion_nadir)
                .any(|(v, &n)| v.is_some_and(|v| v > n && ge(v, n * (1.0 + c.pd_increase()))));
        let response = if new_lesion || pd_by_sum || pd_by_lesion {
            Response::Pd
        } else if !complete {
            Response::Ne
        } else {
            let targets_gone = targets.iter().all(|t| {
                at.get(t.lesion.as_str()).is_some_and(|m| match c {
                    Criteria::Recist11 => is_gone(m, c),
                    _ => m.longest_diameter == Some(0.0),
                })
            });
            let non_targets_gone = non_targets
                .iter()
                .all(|t| at.get(t.lesion.as_str()).is_some_and(|m| is_gone(m, c)));
            if targets_gone && non_targets_gone {
                Response::Cr
            } else if targets_gone || ge(baseline_sum * (1.0 - c.pr_decrease()), measured) {
                Response::Pr
            } else {
                Response::Sd
            }
        };
        let pct = |from: f64| {
            if from > 0.0 {
                Some(100.0 * (measured - from) / from)
            } else {
                None
            }
        };
        time_points.push(TimePoint {
            date,
            day: (date - baseline).num_days(),
            sum: complete.then_some(measured),
            missing,
            change_from_baseline: if complete { pct(baseline_sum) } else { None },
            nadir: Some(nadir),
            change_from_nadir: if complete { pct(nadir) } else { None },
            new_lesion,
            response,
        });
        points.push((date, (date - baseline).num_days(), response));
        if complete {
            nadir = nadir.min(measured);
        }
        for (n, v) in lesion_nadir.iter_mut().zip(&values) {
            if let Some(v) = v {
                *n = n.min(*v);
            }
        }
    }
    let b = best_overall(&points, opts.confirm, confirm_min, sd_min);
    let upto = b.first_progression;
    let best_percent_change = time_points
        .iter()
        .filter(|t| upto.is_none_or(|p| t.date <= p))
        .filter_map(|t| t.change_from_baseline)
        .fold(None, |acc: Option<f64>, x| {
            Some(acc.map_or(x, |a| a.min(x)))
        });
    Ok(PatientResponse {
        patient: patient.to_string(),
        baseline_date: baseline,
        baseline_sum: Some(baseline_sum),
        target_lesions: target_ids,
        time_points,
        objective_response: b.best.is_objective(),
        best_response: b.best,
        unconfirmed_best: b.unconfirmed,
        first_progression: b.first_progression,
        best_percent_change,
    })
}

/// Best overall response from responses recorded at each assessment.
///
/// `start_dates` maps every patient to the treatment start, the origin of
/// the SD duration. The rule is that of [`assess_lesions`] on the recorded
/// time-point responses (confirmation and SD minimum as in `opts`;
/// `opts.criteria` only chooses the default SD minimum).
///
/// # Errors
///
/// [`StudyError::BadResponseValue`] (value not CR/PR/SD/PD/NE),
/// [`StudyError::MissingStartDate`], [`StudyError::AssessmentBeforeStart`],
/// [`StudyError::DuplicateAssessment`], [`StudyError::BadOption`].
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use std::collections::BTreeMap;
/// use oncomark_study::response::{assess_recorded, RecordedResponse, Response, ResponseOptions};
/// let d = |m, d| NaiveDate::from_ymd_opt(2001, m, d).unwrap();
/// let rows = vec![
///     RecordedResponse { patient: "p1".into(), date: d(3, 5), response: "pr".into() },
///     RecordedResponse { patient: "p1".into(), date: d(5, 28), response: "PD".into() },
/// ];
/// let starts = BTreeMap::from([("p1".to_string(), d(1, 1))]);
/// let opts = ResponseOptions { confirm: true, ..Default::default() };
/// let r = assess_recorded(&rows, &starts, &opts)?;
/// // the PR was not confirmed; 63 days >= 42, so it counts as SD
/// assert_eq!(r.patients[0].best_response, Response::Sd);
/// assert_eq!(r.patients[0].unconfirmed_best, Some(Response::Pr));
/// # Ok::<(), oncomark_study::StudyError>(())
/// ```
pub fn assess_recorded(
    rows: &[RecordedResponse],
    start_dates: &BTreeMap<String, NaiveDate>,
    opts: &ResponseOptions,
) -> Result<ResponseResult> {
    let (sd_min, confirm_min) = opts.checked()?;
    let mut by_patient: BTreeMap<&str, BTreeMap<NaiveDate, Response>> = BTreeMap::new();
    for r in rows {
        let resp = Response::parse_recorded(&r.patient, Some(r.date), &r.response)?;
        if by_patient
            .entry(r.patient.as_str())
            .or_default()
            .insert(r.date, resp)
            .is_some()
        {
            return Err(StudyError::DuplicateAssessment {
                patient: r.patient.clone(),
                date: r.date,
            });
        }
    }
    let mut patients = Vec::with_capacity(by_patient.len());
    for (patient, series) in by_patient {
        let start = *start_dates
            .get(patient)
            .ok_or_else(|| StudyError::MissingStartDate {
                patient: patient.to_string(),
            })?;
        let mut points = Vec::with_capacity(series.len());
        let mut time_points = Vec::with_capacity(series.len());
        for (&date, &response) in &series {
            if date < start {
                return Err(StudyError::AssessmentBeforeStart {
                    patient: patient.to_string(),
                    date,
                    start,
                });
            }
            let day = (date - start).num_days();
            points.push((date, day, response));
            time_points.push(TimePoint {
                date,
                day,
                sum: None,
                missing: Vec::new(),
                change_from_baseline: None,
                nadir: None,
                change_from_nadir: None,
                new_lesion: false,
                response,
            });
        }
        let b = best_overall(&points, opts.confirm, confirm_min, sd_min);
        patients.push(PatientResponse {
            patient: patient.to_string(),
            baseline_date: start,
            baseline_sum: None,
            target_lesions: Vec::new(),
            time_points,
            objective_response: b.best.is_objective(),
            best_response: b.best,
            unconfirmed_best: b.unconfirmed,
            first_progression: b.first_progression,
            best_percent_change: None,
        });
    }
    let (counts, n_objective) = counts(&patients);
    Ok(ResponseResult {
        criteria: None,
        confirm: opts.confirm,
        confirm_min_days: confirm_min,
        sd_min_days: sd_min,
        patients,
        counts,
        n_objective,
    })
}
