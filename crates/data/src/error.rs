//! The one error type of the crate.
//!
//! Every message says where (file, data row and file line or spreadsheet
//! cell, column), what (the offending value, quoted as written) and how to
//! fix it.

use thiserror::Error;

/// Everything that can be wrong with a data file or with the columns an
/// analysis asks for.
///
/// `row` fields are 1-based data rows (the header is not counted); `place`
/// fields say where that row is in the file: `"line 13"` for text files,
/// `"cell Sheet1!C13"` for workbooks.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DataError {
    /// The file could not be read at all (missing, unreadable, a folder).
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file name ends in an extension that is not a table format.
    #[error(
        "{path}: unsupported file type \".{extension}\"; use {}{}",
        crate::table::SUPPORTED,
        crate::table::format_hint(.extension)
    )]
    UnsupportedFormat {
        /// The path as given.
        path: String,
        /// Its extension, without the dot.
        extension: String,
    },
    /// The file has no content (not even a header row).
    #[error("{file}: the file is empty; a header row naming the columns is required")]
    EmptyFile {
        /// The file.
        file: String,
    },
    /// The text is not UTF-8 (often Latin-1, Windows-1252 or UTF-16 from Excel).
    #[error(
        "{file}, line {line}: the text is not UTF-8 (it may be saved as Latin-1, Windows-1252 or \
         UTF-16); re-save the file as UTF-8 (in Excel: Save As \"CSV UTF-8\")"
    )]
    NotUtf8 {
        /// The file.
        file: String,
        /// 1-based line of the first invalid byte's record.
        line: u64,
    },
    /// A header cell is empty while its column holds data.
    #[error("{file}, {place}: a column has data but no name in the header; give every column a name in the first row")]
    EmptyHeader {
        /// The file.
        file: String,
        /// `"line 1, field 3"` or `"cell Sheet1!C1"`.
        place: String,
    },
    /// Two header cells carry the same name.
    #[error(
        "{file}: the header names column \"{name}\" twice (fields {first} and {second}); \
         column names must be unique"
    )]
    DuplicateHeader {
        /// The file.
        file: String,
        /// The repeated name.
        name: String,
        /// 1-based position of its first occurrence.
        first: usize,
        /// 1-based position of its second occurrence.
        second: usize,
    },
    /// A record has a different number of fields than the header.
    #[error(
        "{file}, line {line}: {found} fields, but the header has {expected}; check for a missing \
         or extra {delimiter}, or a {delimiter} inside a value that should be quoted"
    )]
    RaggedRow {
        /// The file.
        file: String,
        /// 1-based line where the record starts.
        line: u64,
        /// Number of header fields.
        expected: usize,
        /// Number of fields on this line.
        found: usize,
        /// The delimiter in words (`comma`, `semicolon`, `tab`, `pipe`, or the character).
        delimiter: String,
    },
    /// The workbook could not be opened or a sheet could not be read.
    #[error("{file}: cannot read the workbook: {message}")]
    Workbook {
        /// The file.
        file: String,
        /// What the spreadsheet reader said.
        message: String,
    },
    /// The requested worksheet does not exist.
    #[error("{file}: no sheet named \"{sheet}\"; sheets: {}", quoted_list(.sheets))]
    NoSuchSheet {
        /// The file.
        file: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets the workbook has.
        sheets: Vec<String>,
    },
    /// The worksheet has no cells.
    #[error("{file}: sheet \"{sheet}\" is empty; a header row naming the columns is required")]
    EmptySheet {
        /// The file.
        file: String,
        /// The sheet.
        sheet: String,
    },
    /// A spreadsheet cell holds an error value such as `#DIV/0!`.
    #[error("{file}: cell {cell} holds the spreadsheet error {value}; fix the formula or clear the cell")]
    CellError {
        /// The file.
        file: String,
        /// The cell, e.g. `Sheet1!C12`.
        cell: String,
        /// The error as Excel shows it, e.g. `#DIV/0!`.
        value: String,
    },
    /// No column has the name asked for.
    #[error(
        "{file}: no column \"{name}\"{} Columns: {}",
        .suggestion.as_ref().map(|s| format!("; did you mean \"{s}\"?")).unwrap_or_else(|| ".".into()),
        short_list(.columns)
    )]
    UnknownColumn {
        /// The file.
        file: String,
        /// The name asked for.
        name: String,
        /// The nearest column name, when one is close.
        suggestion: Option<String>,
        /// All column names.
        columns: Vec<String>,
    },
    /// A cell that must be a number is not one.
    #[error(
        "{file}, row {row} ({place}), column \"{column}\": \"{value}\" is not a number; {expected}"
    )]
    NotNumber {
        /// The file.
        file: String,
        /// 1-based data row.
        row: usize,
        /// Line or cell of that row.
        place: String,
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
        /// What the analysis needs there, e.g. "time must be a non-negative number".
        expected: String,
    },
    /// A cell holds `NaN` or an infinite value (`inf`, `1e999`).
    #[error(
        "{file}, row {row} ({place}), column \"{column}\": \"{value}\" is not a finite number; NaN \
         and infinite values are not accepted: leave the cell empty or write NA where the value \
         is missing"
    )]
    NotFinite {
        /// The file.
        file: String,
        /// 1-based data row.
        row: usize,
        /// Line or cell of that row.
        place: String,
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
    },
    /// A survival time is negative.
    #[error("{file}, row {row} ({place}), column \"{column}\": \"{value}\" is negative; time must be a non-negative number")]
    NegativeTime {
        /// The file.
        file: String,
        /// 1-based data row.
        row: usize,
        /// Line or cell of that row.
        place: String,
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
    },
    /// An event cell is none of 1/0, true/false, yes/no.
    #[error(
        "{file}, row {row} ({place}), column \"{column}\": \"{value}\" is not an event code \
         (1/0, true/false, yes/no); if \"{value}\" marks the event, name it with --event \
         {column}={value} (every other value then counts as censored)"
    )]
    BadEvent {
        /// The file.
        file: String,
        /// 1-based data row.
        row: usize,
        /// Line or cell of that row.
        place: String,
        /// The column.
        column: String,
        /// The cell as written.
        value: String,
    },
    /// The value named as meaning "event" never occurs in the column.
    #[error(
        "{file}: column \"{column}\" never holds \"{value}\", the value named as the event{}; values in the column: {}",
        .suggestion.as_ref().map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default(),
        short_list(.values)
    )]
    EventValueNotFound {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// The value asked for.
        value: String,
        /// A close value, e.g. one differing in case.
        suggestion: Option<String>,
        /// The distinct values the column holds, in sorted order.
        values: Vec<String>,
    },
    /// A reference level is not a level of its column.
    #[error("{file}: column \"{column}\" has no level \"{level}\"; its levels: {}", quoted_list(.levels))]
    UnknownLevel {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// The level asked for.
        level: String,
        /// The levels the column has, in sorted order.
        levels: Vec<String>,
    },
    /// A reference level occurs only in rows dropped for missing values.
    #[error(
        "{file}: the reference level \"{level}\" of column \"{column}\" occurs only in rows \
         dropped for missing values; levels among the rows analysed: {}; choose one of them",
        quoted_list(.levels)
    )]
    LevelDropped {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// The reference level asked for.
        level: String,
        /// The levels left after dropping incomplete rows.
        levels: Vec<String>,
    },
    /// A reference level is given for a column that is not a model term.
    #[error(
        "a reference level is given for column \"{column}\", which is not among the model terms ({}); \
         remove it or add the column to the model",
        quoted_list(.terms)
    )]
    ReferenceNotInTerms {
        /// The column named by the reference.
        column: String,
        /// The term columns.
        terms: Vec<String>,
    },
    /// A reference level is given for a numeric column that enters the model as a number.
    #[error(
        "{file}: a reference level is given for column \"{column}\", which holds numbers and \
         enters the model as a number; list it as categorical to code it by levels"
    )]
    ReferenceOnNumeric {
        /// The file.
        file: String,
        /// The column.
        column: String,
    },
    /// The same column is given twice as a model term.
    #[error("column \"{column}\" is listed twice among the model terms; list each column once")]
    RepeatedTerm {
        /// The column.
        column: String,
    },
    /// The table has a header but no data rows.
    #[error("{file}: the table has a header but no data rows")]
    NoRows {
        /// The file.
        file: String,
    },
    /// Every row has a missing value in some column the analysis uses.
    #[error(
        "{file}: all {n_rows} rows were dropped, each has a missing value in a column this \
         analysis uses (rows missing per column: {}); fill in the values or leave the column out",
        count_list(.missing)
    )]
    AllRowsDropped {
        /// The file.
        file: String,
        /// Data rows in the table.
        n_rows: usize,
        /// For each column used, the number of rows where it is missing
        /// (most missing first; columns without missing values are left out).
        missing: Vec<(String, usize)>,
    },
    /// The Parquet file could not be read (feature `parquet`).
    #[cfg(feature = "parquet")]
    #[error("{file}: cannot read the Parquet file: {message}")]
    Parquet {
        /// The file.
        file: String,
        /// What the Parquet reader said.
        message: String,
    },
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// At most 30 names, then "... (N more)".
fn short_list(items: &[String]) -> String {
    const MAX: usize = 30;
    let mut s = items
        .iter()
        .take(MAX)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > MAX {
        s.push_str(&format!(", ... ({} more)", items.len() - MAX));
    }
    s
}

fn count_list(items: &[(String, usize)]) -> String {
    items
        .iter()
        .map(|(c, n)| format!("\"{c}\": {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
