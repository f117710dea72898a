//! The error type shared by every survival routine.

use thiserror::Error;

/// Everything that can be wrong with the input of a survival routine.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SurvivalError {
    /// Two input slices that must be parallel have different lengths.
    #[error("length mismatch: `{what}` has {got} values but {expected} are needed (one per subject, or one per group for labels and scores)")]
    LengthMismatch {
        /// Name of the offending input.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The expected length (that of `time`, or the number of groups).
        expected: usize,
    },
    /// A survival time is negative.
    #[error("time[{index}] = {value} is negative; survival times must be >= 0")]
    NegativeTime {
        /// Position of the value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A value is NaN or infinite.
    #[error("{what}[{index}] = {value} is not finite; remove or impute missing values first")]
    NonFinite {
        /// Name of the offending input.
        what: &'static str,
        /// Position of the value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// No observations at all.
    #[error("no observations: the input is empty")]
    Empty,
    /// A test needs at least one event, but there is none.
    #[error("no events in the data: every subject is censored, so the test is undefined")]
    NoEvents,
    /// A comparison needs at least two groups with data.
    #[error("only {groups} group(s) with data: a comparison needs at least two")]
    OneGroup {
        /// Number of non-empty groups found.
        groups: usize,
    },
    /// A group index is not below the number of groups.
    #[error("group[{index}] = {value} is out of range: there are {n_groups} groups (indices 0..{n_groups})")]
    GroupOutOfRange {
        /// Position of the value.
        index: usize,
        /// The offending group index.
        value: u32,
        /// Number of groups declared.
        n_groups: usize,
    },
    /// The confidence level is not strictly between 0 and 1.
    #[error("confidence level {0} is not in (0, 1); use e.g. 0.95")]
    BadConfLevel(f64),
    /// An option value is invalid.
    #[error("invalid option `{what}` = {value}: {reason}")]
    BadOption {
        /// Name of the option.
        what: &'static str,
        /// The offending value.
        value: f64,
        /// What is required.
        reason: &'static str,
    },
    /// The restriction time of a restricted mean is not usable.
    #[error("tau = {tau} is not usable: {reason}")]
    BadTau {
        /// The offending restriction time.
        tau: f64,
        /// Why it cannot be used.
        reason: &'static str,
    },
    /// More rows (or groups) than the `u32` indices used internally allow.
    #[error("{n} rows or groups is more than the supported maximum of {max}; split the data", max = u32::MAX)]
    TooLarge {
        /// The offending count.
        n: usize,
    },
    /// No group is compared at any event time (fewer than two groups have
    /// subjects at risk when events happen).
    #[error("only {groups} group(s) have subjects at risk at an event time: a log-rank test needs at least two")]
    NoComparison {
        /// Number of groups with a positive expected count.
        groups: usize,
    },
    /// Trend scores were given with the wrong length or are all equal.
    #[error("trend scores: {reason}")]
    BadScores {
        /// What is wrong.
        reason: String,
    },
    /// A Cox covariate column has the wrong length.
    #[error("covariate `{name}` has {got} values but there are {expected} subjects; pass one value per subject")]
    CovariateLength {
        /// Name of the covariate.
        name: String,
        /// Its length.
        got: usize,
        /// The expected length.
        expected: usize,
    },
    /// A Cox covariate value is NaN or infinite.
    #[error("covariate `{name}` row {index} = {value} is not finite; drop rows with missing values first")]
    NonFiniteCovariate {
        /// Name of the covariate.
        name: String,
        /// Row of the value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Cox covariate names do not match the columns.
    #[error("covariate names: {reason}")]
    BadCovariateNames {
        /// What is wrong.
        reason: String,
    },
    /// Initial or evaluation coefficients are unusable.
    #[error("coefficients: {reason}")]
    BadCoefficients {
        /// What is wrong.
        reason: String,
    },
    /// The exact (discrete) partial likelihood would cost too much.
    #[error("ties = exact: a stratum of {at_risk} subjects with up to {deaths} tied events at one time needs about {work:.1e} operations per iteration (limit {limit:.1e}); use ties = efron, which approximates the exact likelihood closely")]
    ExactTiesTooLarge {
        /// Largest number of events tied at one time in the stratum.
        deaths: usize,
        /// Number of subjects in the stratum.
        at_risk: usize,
        /// Estimated operations per iteration.
        work: f64,
        /// The limit.
        limit: f64,
    },
}
