//! The error type shared by every assay routine.

use thiserror::Error;

/// Everything that can be wrong with the input of an assay routine, or keep
/// a model from being fitted.
///
/// Parsing errors name the plate (its variable name or its position in the
/// file), the line, and the row or column; analysis errors name the plate,
/// cell line, condition or parameter concerned and say how to fix it.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum AssayError {
    // ---- plate maps and long tables -------------------------------------
    /// The file holds no plate grid at all.
    #[error("plate `{plate}`: no plate grid found; a plate map starts with a header line such as `absorbance,1,2,...,12`")]
    NoPlate {
        /// Plate identifier given by the caller.
        plate: String,
    },
    /// A grid has no variable name in its top-left cell.
    #[error("plate `{plate}` (line {line}): the grid has no variable name in its top-left cell; write the name (e.g. `absorbance`) before `,1,2,...`")]
    NoGridName {
        /// Plate identifier given by the caller (e.g. the file name).
        plate: String,
        /// 1-based line number of the header.
        line: usize,
    },
    /// The header line of a grid does not list the column numbers 1..n.
    #[error("plate `{plate}`, grid `{grid}` (line {line}): header cell {position} is `{got}`, expected `{expected}`; the header lists the variable name then the column numbers 1, 2, ... in order")]
    BadColumnHeader {
        /// Plate identifier given by the caller.
        plate: String,
        /// Variable name of the grid (its top-left cell).
        grid: String,
        /// 1-based line number in the file.
        line: usize,
        /// 1-based position of the offending header cell.
        position: usize,
        /// The text found.
        got: String,
        /// The text expected.
        expected: String,
    },
    /// The number of columns is not that of a standard plate.
    #[error("plate `{plate}`, grid `{grid}` (line {line}): {columns} columns is not a standard plate; use 3 (6-well), 4 (12), 6 (24), 8 (48), 12 (96) or 24 (384) columns")]
    UnsupportedPlate {
        /// Plate identifier given by the caller.
        plate: String,
        /// Variable name of the grid.
        grid: String,
        /// 1-based line number of the header.
        line: usize,
        /// Number of columns found.
        columns: usize,
    },
    /// A row label is not the next letter expected.
    #[error("plate `{plate}`, grid `{grid}` (line {line}): row label `{got}` where row `{expected}` was expected; rows are labelled A, B, C, ... in order without gaps")]
    BadRowLabel {
        /// Plate identifier given by the caller.
        plate: String,
        /// Variable name of the grid.
        grid: String,
        /// 1-based line number.
        line: usize,
        /// The label found.
        got: String,
        /// The label expected.
        expected: String,
    },
    /// A row has more or fewer cells than the header.
    #[error("plate `{plate}`, grid `{grid}` (line {line}): row {row} has {got} cells after the label but the header has {expected} columns; every row needs one cell per column (leave a cell empty for a missing well)")]
    RaggedRow {
        /// Plate identifier given by the caller.
        plate: String,
        /// Variable name of the grid.
        grid: String,
        /// 1-based line number.
        line: usize,
        /// Row letter.
        row: String,
        /// Number of cells found after the label.
        got: usize,
        /// Number of columns in the header.
        expected: usize,
    },
    /// A grid has fewer or more rows than its plate size.
    #[error("plate `{plate}`, grid `{grid}` (line {line}): {got} rows but a {columns}-column plate has {expected} rows (A-{last}); separate grids with one blank line")]
    WrongRowCount {
        /// Plate identifier given by the caller.
        plate: String,
        /// Variable name of the grid.
        grid: String,
        /// 1-based line number where the grid ends.
        line: usize,
        /// Rows found.
        got: usize,
        /// Rows expected.
        expected: usize,
        /// Number of columns of the grid.
        columns: usize,
        /// Last row letter expected.
        last: char,
    },
    /// Two grids in one file have different sizes.
    #[error("plate `{plate}`, grid `{grid}` is {got} wells but the first grid of the file is {expected} wells; all grids of one plate-map file describe the same plate")]
    PlateSizeMismatch {
        /// Plate identifier given by the caller.
        plate: String,
        /// Variable name of the offending grid.
        grid: String,
        /// Its number of wells.
        got: usize,
        /// Number of wells of the first grid.
        expected: usize,
    },
    /// Two grids carry the same variable name.
    #[error("plate `{plate}`: variable `{name}` appears twice; give each grid (or column) a distinct name")]
    DuplicateVariable {
        /// Plate identifier given by the caller.
        plate: String,
        /// The repeated name.
        name: String,
    },
    /// A required variable (grid or column) is missing.
    #[error("no variable `{name}` in the {source_kind}; found: {found}")]
    MissingVariable {
        /// The name looked for.
        name: String,
        /// "plate map" or "long table".
        source_kind: &'static str,
        /// The names that exist, comma separated.
        found: String,
    },
    /// A cell that must hold a number does not.
    #[error("plate `{plate}`, well {well}, variable `{variable}`: `{value}` is not a number")]
    BadNumber {
        /// Plate identifier.
        plate: String,
        /// Well name such as `B07`.
        well: String,
        /// Variable name.
        variable: String,
        /// The text found.
        value: String,
    },
    /// A well name in a long table cannot be read.
    #[error(
        "line {line}: well `{value}` is not a well name such as A1 or B07 on a {wells}-well plate"
    )]
    BadWell {
        /// 1-based line number.
        line: usize,
        /// The text found.
        value: String,
        /// Plate size.
        wells: usize,
    },
    /// A well is listed twice for one plate in a long table.
    #[error(
        "line {line}: plate `{plate}`, well {well} appears twice; list each well once per plate"
    )]
    DuplicateWell {
        /// 1-based line number of the repeat.
        line: usize,
        /// Plate identifier.
        plate: String,
        /// Well name.
        well: String,
    },
    /// A row of a long table has the wrong number of fields.
    #[error("line {line}: {got} fields but the header has {expected}")]
    RaggedTable {
        /// 1-based line number.
        line: usize,
        /// Fields found.
        got: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A well role label is not known.
    #[error("plate `{plate}`, well {well}: role `{value}` is not one of blank, control, positive, sample (or empty)")]
    BadRole {
        /// Plate identifier.
        plate: String,
        /// Well name.
        well: String,
        /// The text found.
        value: String,
    },

    // ---- generic input checks -------------------------------------------
    /// No observations where some are needed.
    #[error("no data: {what} is empty")]
    Empty {
        /// What is empty.
        what: &'static str,
    },
    /// Two parallel inputs have different lengths.
    #[error("length mismatch: `{what}` has {got} values but {expected} were expected; pass one value per observation")]
    LengthMismatch {
        /// Name of the offending input.
        what: &'static str,
        /// Its length.
        got: usize,
        /// Expected length.
        expected: usize,
    },
    /// A value is NaN or infinite.
    #[error("{what}[{index}] = {value} is not finite; remove or impute missing values first")]
    NonFinite {
        /// Name of the input.
        what: &'static str,
        /// Position of the value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A value is outside its admissible range.
    #[error("{what}[{index}] = {value} is invalid: {reason}")]
    BadValue {
        /// Name of the input.
        what: &'static str,
        /// Position of the value.
        index: usize,
        /// The offending value.
        value: f64,
        /// What is required.
        reason: &'static str,
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
    /// The confidence level is not strictly between 0 and 1.
    #[error("confidence level {0} is not in (0, 1); use e.g. 0.95")]
    BadConfLevel(f64),

    // ---- plate analyses -------------------------------------------------
    /// No untreated-control wells for a plate and cell line.
    #[error("plate `{plate}`, cell line `{cell_line}`: no untreated-control wells with a reading; mark them with role `control`")]
    NoControl {
        /// Plate identifier.
        plate: String,
        /// Cell line.
        cell_line: String,
    },
    /// Blank subtraction was asked for but a plate has no blank wells.
    #[error("plate `{plate}`: blank subtraction was requested but the plate has no blank wells with a reading; mark medium-only wells with role `blank` or turn blank subtraction off")]
    NoBlank {
        /// Plate identifier.
        plate: String,
    },
    /// The control signal is not above the blank.
    #[error("plate `{plate}`, cell line `{cell_line}`: control mean {control} is not above the blank {blank}; viability relative to it is undefined")]
    ControlNotAboveBlank {
        /// Plate identifier.
        plate: String,
        /// Cell line.
        cell_line: String,
        /// Mean control reading (after blank subtraction when used).
        control: f64,
        /// Blank level subtracted (0 without blank subtraction).
        blank: f64,
    },
    /// A condition named in a request is not in the data.
    #[error("no condition `{name}` in the data; known conditions: {known}")]
    UnknownCondition {
        /// The name asked for.
        name: String,
        /// The names that exist, comma separated.
        known: String,
    },
    /// A group has too few observations for the computation.
    #[error("{what}: {got} usable observation(s), at least {need} needed")]
    TooFewPoints {
        /// What was being computed.
        what: String,
        /// Observations available.
        got: usize,
        /// Minimum needed.
        need: usize,
    },
    /// A clonogenic control has no colonies, so plating efficiency is zero.
    #[error("experiment `{experiment}`: the untreated control has no colonies, so its plating efficiency is 0 and surviving fractions are undefined")]
    ZeroPlatingEfficiency {
        /// Experiment identifier.
        experiment: String,
    },
    /// A blot has no control lane.
    #[error("blot `{blot}`: no control lane (`{control}`), so fold changes cannot be formed on this blot")]
    NoControlLane {
        /// Blot identifier.
        blot: String,
        /// The control condition label.
        control: String,
    },
    /// A loading-control or control-lane intensity is not positive.
    #[error("blot `{blot}`, lane {lane}: {what} is {value}; ratios need positive intensities")]
    NonPositiveIntensity {
        /// Blot identifier.
        blot: String,
        /// Lane label.
        lane: String,
        /// Which intensity.
        what: &'static str,
        /// The offending value.
        value: f64,
    },

    // ---- model fitting --------------------------------------------------
    /// Doses do not span enough distinct levels to fit the model.
    #[error("{model}: {distinct} distinct dose level(s) (of which {positive} positive); the model needs at least {need} distinct levels with at least 2 positive doses")]
    NoDoseRange {
        /// Model name.
        model: &'static str,
        /// Distinct dose levels.
        distinct: usize,
        /// Distinct positive dose levels.
        positive: usize,
        /// Distinct levels needed.
        need: usize,
    },
    /// All responses are equal.
    #[error("{model}: every response equals {value}; a flat response has no curve to fit")]
    FlatResponse {
        /// Model name.
        model: &'static str,
        /// The common response.
        value: f64,
    },
    /// The fitted curve explains no more than a constant.
    #[error("{model}: no dose effect (F = {f:.4} on {df1} and {df2} df, P = {p:.4} > {alpha}); the data are flat or too noisy for a curve, so no ED/IC value is reported (set no_effect_alpha to None to fit anyway)")]
    NoDoseEffect {
        /// Model name.
        model: &'static str,
        /// F statistic of the curve against a constant.
        f: f64,
        /// Numerator degrees of freedom.
        df1: usize,
        /// Denominator degrees of freedom.
        df2: usize,
        /// Its P value.
        p: f64,
        /// The threshold in force.
        alpha: f64,
    },
    /// The optimiser did not converge.
    #[error("{model}: no convergence after {iterations} iterations (residual sum of squares {rss}); the data may not follow the model")]
    NotConverged {
        /// Model name.
        model: &'static str,
        /// Iterations done.
        iterations: usize,
        /// Last residual sum of squares.
        rss: f64,
    },
    /// The fit converged to a point where the parameters are not determined.
    #[error("{model}: parameters not identifiable at the optimum ({reason}); standard errors and ED values would be meaningless")]
    NotIdentifiable {
        /// Model name.
        model: &'static str,
        /// Why.
        reason: String,
    },
    /// An ED/IC level is outside (0, 100) or outside the fitted range.
    #[error("ED level {level} is not usable: {reason}")]
    BadLevel {
        /// The level asked for.
        level: f64,
        /// Why.
        reason: String,
    },

    // ---- comparisons ----------------------------------------------------
    /// A test from oncomark-stats failed.
    #[error("{comparison}: {message}")]
    Test {
        /// The comparison, e.g. `Tz 10 vs untreated`.
        comparison: String,
        /// The error of the test.
        message: String,
    },
}

/// Result alias used across the crate.
pub type Result<T> = std::result::Result<T, AssayError>;

/// Reject NaN and infinite values.
pub(crate) fn check_finite(what: &'static str, x: &[f64]) -> Result<()> {
    for (index, &value) in x.iter().enumerate() {
        if !value.is_finite() {
            return Err(AssayError::NonFinite { what, index, value });
        }
    }
    Ok(())
}

/// Reject a confidence level outside (0, 1).
pub(crate) fn check_conf_level(level: f64) -> Result<()> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(AssayError::BadConfLevel(level))
    }
}
