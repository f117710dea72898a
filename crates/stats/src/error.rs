//! The error type shared by every routine of the crate.

use thiserror::Error;

/// Everything that can be wrong with the input of a test in this crate.
///
/// Variants carry the offending values; messages say what is wrong and how
/// to fix it.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum StatsError {
    /// A contingency table has fewer than two rows or columns.
    #[error(
        "the table is {rows}x{cols}: a test of association needs at least 2 rows and 2 columns"
    )]
    TableTooSmall {
        /// Number of rows given.
        rows: usize,
        /// Number of columns given.
        cols: usize,
    },
    /// The rows of a contingency table have different lengths.
    #[error("row {row} of the table has {len} cells but row 0 has {expected}; every row needs one count per column")]
    RaggedTable {
        /// Index of the offending row.
        row: usize,
        /// Its length.
        len: usize,
        /// Length of the first row.
        expected: usize,
    },
    /// The table holds no observations at all.
    #[error("the table is empty (all counts are zero)")]
    EmptyTable,
    /// A row or column of the table sums to zero, so expected counts are zero.
    #[error("{margin} {index} of the table sums to zero, so its expected counts are 0 and the statistic is undefined; drop the empty category")]
    ZeroMargin {
        /// `"row"` or `"column"`.
        margin: &'static str,
        /// Index of the empty row or column.
        index: usize,
    },
    /// A test defined only for a given table shape got another.
    #[error("{test} needs a {expected} table, got {rows}x{cols}")]
    WrongShape {
        /// Name of the test.
        test: &'static str,
        /// The shape the test needs, e.g. `"2x2"`, `"square"`, `"2xK or Kx2"`.
        expected: &'static str,
        /// Rows given.
        rows: usize,
        /// Columns given.
        cols: usize,
    },
    /// The exact RxC Fisher test would exceed its work limit.
    #[error("the exact Fisher test of this {rows}x{cols} table with {n} observations is too large (it needs more than {limit} network steps or 4 million stored paths); use the chi-square test, or raise `FisherOptions::work_limit` if you can wait")]
    FisherTooLarge {
        /// Rows of the table.
        rows: usize,
        /// Columns of the table.
        cols: usize,
        /// Total count.
        n: u64,
        /// The work limit that was hit.
        limit: u64,
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
    /// Too few observations for the method.
    #[error("{what} has {n} observation(s); this method needs at least {min}")]
    TooFewObservations {
        /// Name of the offending input.
        what: &'static str,
        /// Number of observations found.
        n: usize,
        /// The minimum needed.
        min: usize,
    },
    /// The data have (essentially) no variation, so the statistic is undefined.
    #[error("{what} is constant (no variation), so the test statistic is undefined")]
    Constant {
        /// What is constant.
        what: &'static str,
    },
    /// Two parallel inputs have different lengths.
    #[error("length mismatch: `{what}` has {got} values but {expected} are needed")]
    LengthMismatch {
        /// Name of the offending input.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The expected length.
        expected: usize,
    },
    /// The confidence level is not strictly between 0 and 1.
    #[error("confidence level {0} is not in (0, 1); use e.g. 0.95")]
    InvalidConfLevel(f64),
    /// A P value is not in [0, 1].
    #[error("p[{index}] = {value} is not a probability in [0, 1]")]
    InvalidPValue {
        /// Position of the value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A count in a trend test exceeds its total.
    #[error("group {index} has {successes} successes out of {total}: successes must be <= total, and total > 0")]
    InvalidProportion {
        /// Position of the group.
        index: usize,
        /// Successes given.
        successes: u64,
        /// Total given.
        total: u64,
    },
    /// A test needs discordant pairs (McNemar) or other off-diagonal data.
    #[error("cells ({i},{j}) and ({j},{i}) are both zero, so McNemar's statistic is undefined for that pair")]
    NoDiscordantPairs {
        /// Row index of the pair.
        i: usize,
        /// Column index of the pair.
        j: usize,
    },
    /// A parameter is outside its allowed range.
    #[error("{what} = {value} is invalid: {reason}")]
    InvalidParameter {
        /// Name of the parameter.
        what: &'static str,
        /// The offending value.
        value: f64,
        /// What is allowed.
        reason: &'static str,
    },
    /// A proportion-based statistic is undefined for this table.
    #[error("{what} is undefined for this table: {reason}")]
    Undefined {
        /// The statistic.
        what: &'static str,
        /// Why.
        reason: &'static str,
    },
}

/// Result alias of the crate.
pub type Result<T> = std::result::Result<T, StatsError>;
