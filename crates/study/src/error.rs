//! The error type shared by every rule of the crate.

use chrono::NaiveDate;
use thiserror::Error;

use crate::endpoints::DateProblem;

/// Everything that can be wrong with the input of a study rule.
///
/// Variants carry the offending values (patient, date, lesion, reader);
/// messages say what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum StudyError {
    // ----- IHC -----
    /// The score bins are not increasing or do not cover 0-100 %.
    #[error("bad IHC score bins {upper:?}: {reason}; give the inclusive upper percent of each score, increasing, the last one 100 (the paper's bins are [0, 10, 40, 100])")]
    BadBins {
        /// The upper bounds given.
        upper: Vec<f64>,
        /// What is wrong with them.
        reason: &'static str,
    },
    /// The positivity cutoff names a score the bins do not have.
    #[error("positive_from = {positive_from} is not a score of these bins (scores 1..={max}); positivity needs at least one negative and one positive score")]
    BadPositiveFrom {
        /// The first positive score given.
        positive_from: u8,
        /// The largest score of the bins.
        max: u8,
    },
    /// No reader names were given.
    #[error("no IHC readers were named; give one name per read column")]
    NoReaders,
    /// A case has a different number of reads than there are readers.
    #[error("IHC case '{case}' has {got} reads but {expected} readers were named; give one read (or a missing value) per reader")]
    ReadCount {
        /// Case id.
        case: String,
        /// Reads given.
        got: usize,
        /// Readers named.
        expected: usize,
    },
    /// A percentage of stained cells is outside 0-100 or not finite.
    #[error("IHC case '{case}', {what}: {value} % is not a percentage of tumour cells; it must be a number from 0 to 100")]
    PercentOutOfRange {
        /// Case id.
        case: String,
        /// The column: a reader name, `consensus` or `adjudicated`.
        what: String,
        /// The offending value.
        value: f64,
    },
    /// A score is larger than the largest score of the bins.
    #[error("IHC case '{case}', {what}: score {value} does not exist; scores run from 0 to {max}")]
    ScoreOutOfRange {
        /// Case id.
        case: String,
        /// The column: `consensus` or `adjudicated`.
        what: String,
        /// The offending score.
        value: u8,
        /// The largest score.
        max: u8,
    },
    /// The consensus rule was chosen but a case has no consensus value.
    #[error("IHC case '{case}' has no consensus value, but the combined score was asked to come from the consensus column; fill it in or combine by averaging")]
    MissingConsensus {
        /// Case id.
        case: String,
    },
    /// An id appears twice in a table that needs one row per id.
    #[error("{table}: '{id}' appears more than once; give one row per {unit}")]
    DuplicateId {
        /// The table.
        table: &'static str,
        /// The repeated id.
        id: String,
        /// What one row stands for (`case`, `patient`).
        unit: &'static str,
    },
    /// Percentages of weak, moderate and strong cells are invalid.
    #[error("H-score: weak {weak} %, moderate {moderate} %, strong {strong} %: {reason}")]
    BadHScore {
        /// Percent of weakly stained cells.
        weak: f64,
        /// Percent of moderately stained cells.
        moderate: f64,
        /// Percent of strongly stained cells.
        strong: f64,
        /// What is wrong.
        reason: &'static str,
    },
    /// Allred proportion and intensity are inconsistent or out of range.
    #[error("Allred: {percent} % positive with intensity {intensity}: {reason}")]
    BadAllred {
        /// Percent of positive cells.
        percent: f64,
        /// Intensity score (0-3).
        intensity: u8,
        /// What is wrong.
        reason: &'static str,
    },

    // ----- response -----
    /// A diameter is negative or not finite.
    #[error("patient '{patient}', {date}, lesion '{lesion}': {what} = {value} mm; diameters must be finite and >= 0 (0 = disappeared, empty = not measured)")]
    BadMeasurement {
        /// Patient id.
        patient: String,
        /// Assessment date.
        date: NaiveDate,
        /// Lesion id.
        lesion: String,
        /// The column (`longest_diameter`, `perpendicular_diameter`, `short_axis`).
        what: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A measurement is dated before the patient's baseline.
    #[error("patient '{patient}', lesion '{lesion}': measured on {date}, before the baseline of {baseline}; fix the date or the baseline date")]
    BeforeBaseline {
        /// Patient id.
        patient: String,
        /// Measurement date.
        date: NaiveDate,
        /// Lesion id.
        lesion: String,
        /// The patient's baseline date.
        baseline: NaiveDate,
    },
    /// A follow-up measurement of a lesion that was not recorded at baseline
    /// and is not flagged as new.
    #[error("patient '{patient}', {date}, lesion '{lesion}': not recorded at baseline ({baseline}) and not flagged as a new lesion; add its baseline measurement or set new_lesion")]
    LesionNotAtBaseline {
        /// Patient id.
        patient: String,
        /// Follow-up date.
        date: NaiveDate,
        /// Lesion id.
        lesion: String,
        /// The patient's baseline date.
        baseline: NaiveDate,
    },
    /// A baseline target lesion lacks a value the criteria need.
    #[error("patient '{patient}', baseline {date}, target lesion '{lesion}': {what} is missing or 0, but {criteria} needs it > 0 at baseline")]
    MissingBaselineValue {
        /// Patient id.
        patient: String,
        /// Baseline date.
        date: NaiveDate,
        /// Lesion id.
        lesion: String,
        /// The missing column.
        what: &'static str,
        /// The criteria that need it.
        criteria: &'static str,
    },
    /// A patient has no target lesion at baseline.
    #[error("patient '{patient}': no target lesion at baseline ({date}); response by measurement needs at least one target lesion (or give recorded responses)")]
    NoBaselineTargets {
        /// Patient id.
        patient: String,
        /// Baseline date.
        date: NaiveDate,
    },
    /// The same lesion is measured twice on one date.
    #[error("patient '{patient}', {date}, lesion '{lesion}': measured more than once on this date; keep one row")]
    DuplicateMeasurement {
        /// Patient id.
        patient: String,
        /// Date.
        date: NaiveDate,
        /// Lesion id.
        lesion: String,
    },
    /// A lesion is target at baseline and non-target later (or the reverse),
    /// or its lymph-node flag changes.
    #[error("patient '{patient}', {date}, lesion '{lesion}': its {what} flag differs from baseline; a lesion keeps its baseline classification")]
    LesionFlagChanged {
        /// Patient id.
        patient: String,
        /// Date.
        date: NaiveDate,
        /// Lesion id.
        lesion: String,
        /// `target` or `lymph_node`.
        what: &'static str,
    },
    /// A lesion flagged as new on the baseline date.
    #[error("patient '{patient}', lesion '{lesion}' is flagged as new on the baseline date {date}; new lesions can only appear after baseline")]
    NewLesionAtBaseline {
        /// Patient id.
        patient: String,
        /// Baseline date.
        date: NaiveDate,
        /// Lesion id.
        lesion: String,
    },
    /// A recorded response that is not CR, PR, SD, PD or NE.
    #[error("patient '{patient}'{}: recorded response '{value}' is not one of CR, PR, SD, PD, NE (case-insensitive; the long forms such as 'partial response' are accepted too)", date.map(|d| format!(", {d}")).unwrap_or_default())]
    BadResponseValue {
        /// Patient id.
        patient: String,
        /// Assessment date, when the value is per time point.
        date: Option<NaiveDate>,
        /// The offending value.
        value: String,
    },
    /// Two recorded responses for one patient on one date.
    #[error("patient '{patient}': two recorded responses on {date}; keep one per assessment")]
    DuplicateAssessment {
        /// Patient id.
        patient: String,
        /// Date.
        date: NaiveDate,
    },
    /// A patient with recorded responses has no treatment start date.
    #[error("patient '{patient}': recorded responses need the treatment start date (for the stable-disease duration), but none was given")]
    MissingStartDate {
        /// Patient id.
        patient: String,
    },
    /// A recorded assessment is dated before the treatment start.
    #[error("patient '{patient}': response assessed on {date}, before the treatment start {start}; fix either date")]
    AssessmentBeforeStart {
        /// Patient id.
        patient: String,
        /// Assessment date.
        date: NaiveDate,
        /// Treatment start.
        start: NaiveDate,
    },
    /// An option is out of its range.
    #[error("option {what} = {value}: {reason}")]
    BadOption {
        /// Option name.
        what: &'static str,
        /// The offending value.
        value: f64,
        /// What the range is.
        reason: &'static str,
    },

    // ----- endpoints -----
    /// A patient's dates are missing or contradictory (with
    /// `OnProblem::Error`).
    #[error("patient '{patient}': {}; fix the dates or derive endpoints with on_problem = exclude to list such patients as exclusions", problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    BadDates {
        /// Patient id.
        patient: String,
        /// Everything wrong with the patient's dates.
        problems: Vec<DateProblem>,
    },

    // ----- simulation -----
    /// The calibration of a simulation model failed.
    #[error("cannot calibrate the simulation model: {what} ({reason})")]
    Calibration {
        /// The quantity being calibrated.
        what: &'static str,
        /// Why it failed.
        reason: String,
    },
}

/// Result alias of the crate.
pub type Result<T, E = StudyError> = std::result::Result<T, E>;
