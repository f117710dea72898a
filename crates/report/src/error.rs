//! The error type of every renderer in this crate.

use thiserror::Error;

/// Everything that can be wrong with the input of a figure or a page.
///
/// Renderers check their input before drawing anything, so that no `NaN`
/// or infinite coordinate ever reaches an SVG file.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A figure was given nothing to draw.
    #[error("nothing to draw in the {figure}: {what} is empty; pass at least one {item}")]
    Empty {
        /// The figure (e.g. "Kaplan-Meier plot").
        figure: &'static str,
        /// The empty input (e.g. "fits").
        what: &'static str,
        /// What one element of it is (e.g. "group").
        item: &'static str,
    },
    /// A number that must be finite is NaN or infinite.
    #[error("{what} = {value} is not finite (in {context}); remove or mark the value as missing")]
    NonFinite {
        /// Name of the offending field.
        what: &'static str,
        /// Where it was found (group, row or bar label).
        context: String,
        /// The offending value.
        value: f64,
    },
    /// A value lies outside the range its field allows.
    #[error("{what} = {value} is out of range (in {context}): {reason}")]
    OutOfRange {
        /// Name of the offending field.
        what: &'static str,
        /// Where it was found (group, row or bar label).
        context: String,
        /// The offending value.
        value: f64,
        /// The allowed range, in words.
        reason: &'static str,
    },
    /// An option has a value the renderer cannot use.
    #[error("option `{what}` = {value} is invalid: {reason}")]
    BadOption {
        /// The option's name.
        what: &'static str,
        /// The offending value, as text.
        value: String,
        /// What is allowed.
        reason: &'static str,
    },
    /// Two inputs that must be parallel have different lengths.
    #[error("length mismatch: `{what}` has {got} entries but {expected} are needed ({hint})")]
    LengthMismatch {
        /// Name of the offending input.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The expected length.
        expected: usize,
        /// What the entries should correspond to.
        hint: &'static str,
    },
    /// Rasterising an SVG to PNG failed (feature `png`).
    #[error("cannot rasterise the figure to PNG: {0}")]
    Png(String),
}

/// Checks that `value` is finite.
pub(crate) fn finite(what: &'static str, context: &str, value: f64) -> Result<f64, ReportError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(ReportError::NonFinite {
            what,
            context: context.to_string(),
            value,
        })
    }
}
