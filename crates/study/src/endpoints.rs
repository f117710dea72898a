//! Time-to-event endpoints from dates: time to progression (TTP),
//! progression-free survival (PFS) and overall survival (OS).
//!
//! # Definitions
//!
//! With `start` the treatment start and `last contact` the latest of the
//! last follow-up, progression and death dates:
//!
//! | endpoint | event | event date | censored at |
//! |---|---|---|---|
//! | TTP | progression | progression | death, for a death without progression (see below); else last contact |
//! | PFS | progression or death | the earlier of the two | last contact |
//! | OS  | death | death | last contact |
//!
//! TTP censors deaths without progression (a death is not a progression;
//! the seed paper's primary end point: "time from initiation of
//! trastuzumab until the date of tumor progression"). PFS counts them
//! (Food and Drug Administration, *Clinical Trial Endpoints for the Approval
//! of Cancer Drugs and Biologics*, 2018).
//!
//! Times are `(end date - start) / unit`, with a month of 30.4375 days
//! (365.25 / 12) and a year of 365.25 days ([`TimeUnit`]).
//!
//! # Checks
//!
//! Every patient's dates are checked once, the same way for every endpoint,
//! so that all endpoints analyse the same patients ([`DateProblem`]):
//! missing start; progression, death or last follow-up before the start;
//! progression after death; last follow-up after death; no date after the
//! start at all. With [`OnProblem::Exclude`] (the default) such patients go
//! to the exclusion list with their reasons (for the patient-flow diagram);
//! with [`OnProblem::Error`] the first one stops the derivation.
//!
//! A last follow-up *before* a progression or death date is not an error: a
//! death is often learned from a registry after the last clinic visit. Last
//! contact is then the latest of the dates, and the patient is listed in
//! `adjustments` saying so.
//!
//! A death without progression that comes *after* the last follow-up says
//! nothing about progression between the two dates (the patient was not
//! assessed). By default ([`DeathAfterFollowUp::CensorAtLastFollowUp`]) TTP
//! is then censored at the last follow-up, the last date the patient was
//! known to be progression-free; censoring at the death date instead
//! ([`DeathAfterFollowUp::CensorAtDeath`]) counts unassessed time as
//! progression-free and biases TTP upwards when such gaps are long (a
//! patient lost to follow-up whose death is found in a registry). PFS and
//! OS count the death as an event either way.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Result, StudyError};

/// Unit of the derived times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Days.
    Days,
    /// Weeks of 7 days.
    Weeks,
    /// Months of 30.4375 days (365.25 / 12).
    #[default]
    Months,
    /// Years of 365.25 days.
    Years,
}

impl TimeUnit {
    /// Days in one unit.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
            TimeUnit::Months => 30.4375,
            TimeUnit::Years => 365.25,
        }
    }

    /// Name: `days`, `weeks`, `months`, `years`.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
            TimeUnit::Months => "months",
            TimeUnit::Years => "years",
        }
    }
}

/// A time-to-event endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// Time to progression.
    Ttp,
    /// Progression-free survival.
    Pfs,
    /// Overall survival.
    Os,
}

impl Endpoint {
    /// Name: `ttp`, `pfs`, `os`.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Ttp => "ttp",
            Endpoint::Pfs => "pfs",
            Endpoint::Os => "os",
        }
    }
}

/// What to do with a patient whose dates are missing or contradictory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnProblem {
    /// List the patient in `excluded` with the reasons (default).
    #[default]
    Exclude,
    /// Stop with [`StudyError::BadDates`].
    Error,
}

/// Where TTP is censored for a death without progression recorded after
/// the last follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeathAfterFollowUp {
    /// At the last follow-up, the last date known progression-free (default).
    #[default]
    CensorAtLastFollowUp,
    /// At the death date.
    CensorAtDeath,
}

/// Options of [`derive_endpoint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct EndpointOptions {
    /// Time unit (default months).
    pub unit: TimeUnit,
    /// Handling of bad dates (default exclude).
    pub on_problem: OnProblem,
    /// TTP censoring of a death without progression after the last
    /// follow-up (default: at the last follow-up).
    pub ttp_death_after_follow_up: DeathAfterFollowUp,
}

/// One patient's dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientDates {
    /// Patient id.
    pub patient: String,
    /// Treatment start.
    pub start: Option<NaiveDate>,
    /// First progression.
    pub progression: Option<NaiveDate>,
    /// Death.
    pub death: Option<NaiveDate>,
    /// Last follow-up (last known alive or last visit).
    pub last_follow_up: Option<NaiveDate>,
}

/// Something wrong with a patient's dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum DateProblem {
    /// No treatment start date.
    MissingStart,
    /// Progression before the start.
    ProgressionBeforeStart {
        /// Progression date.
        progression: NaiveDate,
        /// Start date.
        start: NaiveDate,
    },
    /// Death before the start.
    DeathBeforeStart {
        /// Death date.
        death: NaiveDate,
        /// Start date.
        start: NaiveDate,
    },
    /// Last follow-up before the start.
    LastFollowUpBeforeStart {
        /// Last follow-up date.
        last_follow_up: NaiveDate,
        /// Start date.
        start: NaiveDate,
    },
    /// Progression recorded after death.
    ProgressionAfterDeath {
        /// Progression date.
        progression: NaiveDate,
        /// Death date.
        death: NaiveDate,
    },
    /// Last follow-up after death.
    LastFollowUpAfterDeath {
        /// Last follow-up date.
        last_follow_up: NaiveDate,
        /// Death date.
        death: NaiveDate,
    },
    /// Neither last follow-up, progression nor death: no follow-up at all.
    NoFollowUp,
}

impl fmt::Display for DateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateProblem::MissingStart => write!(f, "no treatment start date"),
            DateProblem::ProgressionBeforeStart { progression, start } => {
                write!(f, "progression {progression} is before the start {start}")
            }
            DateProblem::DeathBeforeStart { death, start } => {
                write!(f, "death {death} is before the start {start}")
            }
            DateProblem::LastFollowUpBeforeStart {
                last_follow_up,
                start,
            } => write!(
                f,
                "last follow-up {last_follow_up} is before the start {start}"
            ),
            DateProblem::ProgressionAfterDeath { progression, death } => {
                write!(f, "progression {progression} is after death {death}")
            }
            DateProblem::LastFollowUpAfterDeath {
                last_follow_up,
                death,
            } => write!(f, "last follow-up {last_follow_up} is after death {death}"),
            DateProblem::NoFollowUp => {
                write!(f, "no last follow-up, progression or death date")
            }
        }
    }
}

/// How an endpoint row ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndStatus {
    /// Event: progression.
    Progression,
    /// Event: death.
    Death,
    /// Censored at a death without progression (TTP).
    CensoredAtDeath,
    /// Censored at the last follow-up: a death without progression came
    /// after it, progression status unknown in between (TTP).
    CensoredAtLastFollowUp,
    /// Censored at last contact.
    CensoredAtLastContact,
}

/// One patient's endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointRow {
    /// Patient id.
    pub patient: String,
    /// Time from start, in the chosen unit.
    pub time: f64,
    /// Whether the endpoint's event was observed.
    pub event: bool,
    /// Date of the event or censoring.
    pub end_date: NaiveDate,
    /// How the row ends.
    pub status: EndStatus,
}

/// A patient left out, with the reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exclusion {
    /// Patient id.
    pub patient: String,
    /// Everything wrong with the dates.
    pub problems: Vec<DateProblem>,
    /// The problems as one sentence.
    pub reason: String,
}

/// A patient whose last contact is not the recorded last follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adjustment {
    /// Patient id.
    pub patient: String,
    /// The recorded last follow-up (may be missing).
    pub last_follow_up: Option<NaiveDate>,
    /// The last contact used: the latest of last follow-up, progression and
    /// death.
    pub last_contact: NaiveDate,
    /// What was done.
    pub note: String,
}

/// An endpoint for all patients, with exclusions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointTable {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// The time unit.
    pub unit: TimeUnit,
    /// One row per included patient, in input order.
    pub rows: Vec<EndpointRow>,
    /// Patients left out.
    pub excluded: Vec<Exclusion>,
    /// Patients whose last contact was moved past the recorded follow-up.
    pub adjustments: Vec<Adjustment>,
    /// Events.
    pub n_events: usize,
    /// Censored rows.
    pub n_censored: usize,
}

impl EndpointTable {
    /// Times of the rows.
    pub fn times(&self) -> Vec<f64> {
        self.rows.iter().map(|r| r.time).collect()
    }

    /// Event indicators of the rows.
    pub fn events(&self) -> Vec<bool> {
        self.rows.iter().map(|r| r.event).collect()
    }
}

/// All problems of one patient's dates.
pub fn date_problems(p: &PatientDates) -> Vec<DateProblem> {
    let mut out = Vec::new();
    match p.start {
        None => out.push(DateProblem::MissingStart),
        Some(start) => {
            if let Some(progression) = p.progression.filter(|&d| d < start) {
                out.push(DateProblem::ProgressionBeforeStart { progression, start });
            }
            if let Some(death) = p.death.filter(|&d| d < start) {
                out.push(DateProblem::DeathBeforeStart { death, start });
            }
            if let Some(last_follow_up) = p.last_follow_up.filter(|&d| d < start) {
                out.push(DateProblem::LastFollowUpBeforeStart {
                    last_follow_up,
                    start,
                });
            }
        }
    }
    if let (Some(progression), Some(death)) = (p.progression, p.death) {
        if progression > death {
            out.push(DateProblem::ProgressionAfterDeath { progression, death });
        }
    }
    if let (Some(last_follow_up), Some(death)) = (p.last_follow_up, p.death) {
        if last_follow_up > death {
            out.push(DateProblem::LastFollowUpAfterDeath {
                last_follow_up,
                death,
            });
        }
    }
    if p.last_follow_up.is_none() && p.progression.is_none() && p.death.is_none() {
        out.push(DateProblem::NoFollowUp);
    }
    out
}

/// Derive one endpoint for every patient.
///
/// See the module docs for the definitions and checks.
///
/// # Errors
///
/// [`StudyError::DuplicateId`] when a patient appears twice;
/// [`StudyError::BadDates`] for the first patient with a [`DateProblem`]
/// when `opts.on_problem` is [`OnProblem::Error`].
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use oncomark_study::endpoints::{derive_endpoint, Endpoint, EndpointOptions, PatientDates};
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
/// let p = vec![PatientDates {
///     patient: "p1".into(), start: d(2000, 1, 1), progression: None,
///     death: d(2000, 7, 1), last_follow_up: d(2000, 5, 1),
/// }];
/// let o = EndpointOptions::default(); // months
/// let ttp = derive_endpoint(&p, Endpoint::Ttp, &o)?;
/// let pfs = derive_endpoint(&p, Endpoint::Pfs, &o)?;
/// // death without progression: censored for TTP, an event for PFS, at 182 days
/// assert!(!ttp.rows[0].event && pfs.rows[0].event);
/// assert!((pfs.rows[0].time - 182.0 / 30.4375).abs() < 1e-12);
/// assert_eq!(ttp.adjustments.len(), 1); // last contact moved to the death date
/// # Ok::<(), oncomark_study::StudyError>(())
/// ```
pub fn derive_endpoint(
    patients: &[PatientDates],
    endpoint: Endpoint,
    opts: &EndpointOptions,
) -> Result<EndpointTable> {
    let mut seen = BTreeSet::new();
    let mut rows = Vec::with_capacity(patients.len());
    let mut excluded = Vec::new();
    let mut adjustments = Vec::new();
    for p in patients {
        if !seen.insert(p.patient.as_str()) {
            return Err(StudyError::DuplicateId {
                table: "patient table",
                id: p.patient.clone(),
                unit: "patient",
            });
        }
        let problems = date_problems(p);
        let start = match (problems.is_empty(), p.start) {
            (true, Some(s)) => s,
            _ => {
                if opts.on_problem == OnProblem::Error {
                    return Err(StudyError::BadDates {
                        patient: p.patient.clone(),
                        problems,
                    });
                }
                let reason = problems
                    .iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
                excluded.push(Exclusion {
                    patient: p.patient.clone(),
                    problems,
                    reason,
                });
                continue;
            }
        };
        // at least one of the three exists (no NoFollowUp problem)
        let last_contact = [p.last_follow_up, p.progression, p.death]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(start);
        if p.last_follow_up != Some(last_contact) {
            let note = match p.last_follow_up {
                Some(l) => format!(
                    "last follow-up {l} precedes the {} date {last_contact}; last contact taken as {last_contact}",
                    if p.death == Some(last_contact) { "death" } else { "progression" }
                ),
                None => format!(
                    "no last follow-up date; last contact taken as the latest event date {last_contact}"
                ),
            };
            adjustments.push(Adjustment {
                patient: p.patient.clone(),
                last_follow_up: p.last_follow_up,
                last_contact,
                note,
            });
        }
        let (end, status) = match endpoint {
            Endpoint::Ttp => match (p.progression, p.death) {
                (Some(d), _) => (d, EndStatus::Progression),
                (None, Some(d)) => match (p.last_follow_up, opts.ttp_death_after_follow_up) {
                    (Some(l), DeathAfterFollowUp::CensorAtLastFollowUp) if l < d => {
                        (l, EndStatus::CensoredAtLastFollowUp)
                    }
                    _ => (d, EndStatus::CensoredAtDeath),
                },
                (None, None) => (last_contact, EndStatus::CensoredAtLastContact),
            },
            Endpoint::Pfs => match (p.progression, p.death) {
                // progression <= death (checked)
                (Some(d), _) => (d, EndStatus::Progression),
                (None, Some(d)) => (d, EndStatus::Death),
                (None, None) => (last_contact, EndStatus::CensoredAtLastContact),
            },
            Endpoint::Os => match p.death {
                Some(d) => (d, EndStatus::Death),
                None => (last_contact, EndStatus::CensoredAtLastContact),
            },
        };
        rows.push(EndpointRow {
            patient: p.patient.clone(),
            time: (end - start).num_days() as f64 / opts.unit.days(),
            event: matches!(status, EndStatus::Progression | EndStatus::Death),
            end_date: end,
            status,
        });
    }
    let n_events = rows.iter().filter(|r| r.event).count();
    Ok(EndpointTable {
        endpoint,
        unit: opts.unit,
        n_censored: rows.len() - n_events,
        n_events,
        rows,
        excluded,
        adjustments,
    })
}

/// TTP, PFS and OS of the same patients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Endpoints {
    /// Time to progression.
    pub ttp: EndpointTable,
    /// Progression-free survival.
    pub pfs: EndpointTable,
    /// Overall survival.
    pub os: EndpointTable,
}

/// [`derive_endpoint`] for TTP, PFS and OS.
///
/// # Errors
///
/// As [`derive_endpoint`].
pub fn derive_all(patients: &[PatientDates], opts: &EndpointOptions) -> Result<Endpoints> {
    Ok(Endpoints {
        ttp: derive_endpoint(patients, Endpoint::Ttp, opts)?,
        pfs: derive_endpoint(patients, Endpoint::Pfs, opts)?,
        os: derive_endpoint(patients, Endpoint::Os, opts)?,
    })
}
