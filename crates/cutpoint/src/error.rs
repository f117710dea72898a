//! The one error type of this crate.

use thiserror::Error;

/// Everything that can be wrong with the input of a cutpoint routine.
///
/// Messages say what is wrong and how to fix it; variants carry the
/// offending values.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum CutpointError {
    /// Two input slices that must be parallel have different lengths.
    #[error("length mismatch: `{what}` has {got} values but `time` has {expected}; pass one value per patient")]
    LengthMismatch {
        /// Name of the offending input.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The expected length (that of `time`).
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
    /// A value is NaN or infinite where a finite number is required.
    #[error("{what}[{index}] = {value} is not finite; remove the row or impute the value first")]
    NonFinite {
        /// Name of the offending input.
        what: &'static str,
        /// Position of the value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Too few patients with a usable marker value.
    #[error("only {n} patient(s) with a non-missing marker value; a cutpoint search needs at least {min}")]
    TooFew {
        /// Patients available.
        n: usize,
        /// Patients required.
        min: usize,
    },
    /// No events among the patients analysed.
    #[error("no events among the {n} patients analysed: every patient is censored, so no survival statistic is defined")]
    NoEvents {
        /// Patients analysed.
        n: usize,
    },
    /// The marker takes a single value, so there is nothing to split.
    #[error("the marker takes the single value {value} in all {n} patients: there is no cutpoint to search")]
    ConstantMarker {
        /// The only value.
        value: f64,
        /// Patients analysed.
        n: usize,
    },
    /// The proportions bounding the candidate splits are unusable.
    #[error("min_prop = {min_prop} and max_prop = {max_prop} are not usable: {reason}")]
    BadProportions {
        /// Smallest proportion of patients in the low group.
        min_prop: f64,
        /// Largest proportion of patients in the low group.
        max_prop: f64,
        /// What is required.
        reason: &'static str,
    },
    /// No distinct marker value falls between the proportions.
    #[error("no candidate split has between {lo} and {hi} of the {n} patients in the low group (the marker has {distinct} distinct values); widen min_prop/max_prop")]
    NoSplits {
        /// Fewest patients allowed in the low group.
        lo: usize,
        /// Most patients allowed in the low group.
        hi: usize,
        /// Patients analysed.
        n: usize,
        /// Distinct marker values.
        distinct: usize,
    },
    /// The scores have no variance (all equal), so no standardized statistic exists.
    #[error("all {n} survival scores are equal: the standardized statistic is undefined")]
    ZeroVariance {
        /// Patients analysed.
        n: usize,
    },
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
    /// The P-value method does not apply to this statistic.
    #[error("P-value method `{method}` does not apply to the `{statistic}` statistic: {reason}")]
    MethodNotApplicable {
        /// The method asked for.
        method: &'static str,
        /// The statistic.
        statistic: &'static str,
        /// Why, and what to use instead.
        reason: &'static str,
    },
    /// The exact computation would need more work than its budget allows.
    #[error("the Hothorn-Lausen computation for n = {n} needs about {work:.1e} operations (budget {budget:.1e}); use the `exact_gauss` or `permutation` method for samples this large")]
    TooLargeForExact {
        /// Patients analysed.
        n: usize,
        /// Estimated work.
        work: f64,
        /// Allowed work.
        budget: f64,
    },
    /// A validation split leaves a part too small to use.
    #[error("the {part} set has {n} patients ({events} events); each part needs at least {min} patients and one event")]
    SplitTooSmall {
        /// Which part: "training" or "validation".
        part: &'static str,
        /// Patients in it.
        n: usize,
        /// Events in it.
        events: usize,
        /// Patients required.
        min: usize,
    },
    /// A group defined by the cutpoint is empty.
    #[error("the cutpoint {cutpoint} leaves the {group} group empty; choose a cutpoint inside the marker's range")]
    EmptyGroup {
        /// The cutpoint.
        cutpoint: f64,
        /// "low" or "high".
        group: &'static str,
    },
}
