//! A table read from a file: named columns of cells, each missing, a
//! number or text, with the raw text kept as written.

use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::cell::{classify, Class};
use crate::error::DataError;
use crate::suggest;

/// The file types [`Table::read`] accepts, for messages.
#[cfg(not(feature = "parquet"))]
pub(crate) const SUPPORTED: &str =
    ".csv, .tsv or .txt (delimited text), .xlsx, .xlsm, .xls or .ods (workbooks)";
#[cfg(feature = "parquet")]
pub(crate) const SUPPORTED: &str =
    ".csv, .tsv or .txt (delimited text), .xlsx, .xlsm, .xls or .ods (workbooks), .parquet";

/// A hint for an extension this build does not read.
pub(crate) fn format_hint(extension: &str) -> &'static str {
    if cfg!(not(feature = "parquet")) && matches!(extension, "parquet" | "pq") {
        " (this build reads Parquet only when compiled with the `parquet` feature of oncomark-data)"
    } else {
        ""
    }
}

/// How to read a file. `Default` sniffs the delimiter, reads `.` as the
/// decimal mark and takes the first worksheet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Field delimiter for text files; `None` sniffs it from the first
    /// lines (comma, semicolon, tab or pipe, whichever gives the same field
    /// count on every line).
    pub delimiter: Option<u8>,
    /// Read `3,5` as 3.5 (European exports; the delimiter is then usually
    /// `;`). Values with `.` alone still parse as usual; values holding both
    /// marks (`1.234,5`) are not numbers.
    pub decimal_comma: bool,
    /// Worksheet of a workbook, by name; `None` takes the first.
    pub sheet: Option<String>,
}

/// Where a table came from, for reports: enough to tell whether a rerun
/// read the same bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The path as given (or the name given to [`Table::from_csv_str`]).
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Data rows read (the header is not counted).
    pub rows: usize,
    /// Columns read.
    pub columns: usize,
    /// The worksheet read, for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// Whether a column holds numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ColumnKind {
    /// Every non-missing cell parses as a number (`NaN` and `inf` count as
    /// numbers here, and are rejected where a value is used).
    Numeric,
    /// At least one non-missing cell is not a number.
    Text,
}

/// One column: its name, and per data row a class, a value and the raw
/// text (trimmed, as written in the file).
///
/// Storage is columnar and allocation-free per cell: values in one
/// `Vec<f64>`, texts in one `String` with end offsets.
#[derive(Clone, Debug)]
pub struct Column {
    /// The header name (trimmed).
    pub name: String,
    kind: ColumnKind,
    class: Vec<Class>,
    values: Vec<f64>,
    text: String,
    ends: Vec<usize>,
    n_missing: usize,
}

impl Column {
    /// [`ColumnKind::Numeric`] when every non-missing cell is a number.
    pub fn kind(&self) -> ColumnKind {
        self.kind
    }

    /// Number of cells (the table's data rows).
    pub fn len(&self) -> usize {
        self.class.len()
    }

    /// `true` when the table has no data rows.
    pub fn is_empty(&self) -> bool {
        self.class.is_empty()
    }

    /// Number of missing cells (empty, `NA`, `N/A`, `.`).
    pub fn n_missing(&self) -> usize {
        self.n_missing
    }

    /// `true` when the cell of 0-based data row `row` is missing.
    ///
    /// # Panics
    /// If `row >= self.len()`.
    pub fn is_missing(&self, row: usize) -> bool {
        self.class[row] == Class::Missing
    }

    /// The cell as a number: `None` when missing or not a number. Non-finite
    /// cells (`NaN`, `inf`) come back as such.
    ///
    /// # Panics
    /// If `row >= self.len()`.
    pub fn number(&self, row: usize) -> Option<f64> {
        match self.class[row] {
            Class::Number | Class::NonFinite => Some(self.values[row]),
            Class::Missing | Class::Text => None,
        }
    }

    /// [`Column::number`] for every row.
    pub fn numbers(&self) -> impl Iterator<Item = Option<f64>> + '_ {
        (0..self.len()).map(|r| self.number(r))
    }

    /// The cell as written in the file (trimmed); `None` when missing.
    /// Workbook numbers are written in the shortest form that reads back
    /// to the same value (`1`, not `1.0`).
    ///
    /// # Panics
    /// If `row >= self.len()`.
    pub fn text(&self, row: usize) -> Option<&str> {
        if self.class[row] == Class::Missing {
            None
        } else {
            Some(self.raw(row))
        }
    }

    /// [`Column::text`] for every row.
    pub fn texts(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(|r| self.text(r))
    }

    /// The distinct non-missing texts, numeric-aware sorted (see
    /// [`crate::sort_levels`]).
    pub fn levels(&self) -> Vec<String> {
        crate::distinct_levels(self.texts().flatten())
    }

    /// The raw text, also for missing cells (`""`, `"NA"`, ...).
    pub(crate) fn raw(&self, row: usize) -> &str {
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        &self.text[start..self.ends[row]]
    }

    pub(crate) fn class(&self, row: usize) -> Class {
        self.class[row]
    }

    pub(crate) fn value(&self, row: usize) -> f64 {
        self.values[row]
    }
}

/// Collects one column's cells while a file is read.
pub(crate) struct ColumnBuilder {
    class: Vec<Class>,
    values: Vec<f64>,
    text: String,
    ends: Vec<usize>,
    n_missing: usize,
    has_text: bool,
    decimal_comma: bool,
}

impl ColumnBuilder {
    pub(crate) fn new(decimal_comma: bool, capacity: usize) -> Self {
        ColumnBuilder {
            class: Vec::with_capacity(capacity),
            values: Vec::with_capacity(capacity),
            text: String::with_capacity(capacity * 4),
            ends: Vec::with_capacity(capacity),
            n_missing: 0,
            has_text: false,
            decimal_comma,
        }
    }

    /// A cell given as text (trimmed here).
    pub(crate) fn push_text(&mut self, raw: &str) {
        let s = raw.trim();
        let (class, v) = classify(s, self.decimal_comma);
        self.push(class, v, s);
    }

    /// A cell known to be a number (a workbook's numeric cell).
    pub(crate) fn push_number(&mut self, v: f64) {
        use std::fmt::Write;
        let class = if v.is_finite() {
            Class::Number
        } else {
            Class::NonFinite
        };
        self.class.push(class);
        self.values.push(v);
        let _ = write!(self.text, "{v}");
        self.ends.push(self.text.len());
    }

    /// An empty cell.
    pub(crate) fn push_missing(&mut self) {
        self.push(Class::Missing, f64::NAN, "");
    }

    fn push(&mut self, class: Class, v: f64, s: &str) {
        match class {
            Class::Missing => self.n_missing += 1,
            Class::Text => self.has_text = true,
            Class::Number | Class::NonFinite => {}
        }
        self.class.push(class);
        self.values.push(v);
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    /// `true` when every cell so far is empty text (not even `NA`).
    pub(crate) fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    pub(crate) fn finish(self, name: String) -> Column {
        Column {
            name,
            kind: if self.has_text {
                ColumnKind::Text
            } else {
                ColumnKind::Numeric
            },
            class: self.class,
            values: self.values,
            text: self.text,
            ends: self.ends,
            n_missing: self.n_missing,
        }
    }
}

/// Where each data row is in the source, for messages.
#[derive(Clone, Debug)]
pub(crate) enum Origin {
    /// Delimited text: the 1-based line where each record starts.
    Text { lines: Vec<u64> },
    /// A file of records without lines (Parquet): rows are numbered from 1.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Records,
    /// A worksheet: the 1-based sheet row of each data row, and the 0-based
    /// sheet column of each table column.
    Sheet {
        sheet: String,
        rows: Vec<u32>,
        cols: Vec<u32>,
    },
}

/// A table: named columns of equal length, read from a file.
///
/// ```
/// use oncomark_data::{ColumnKind, ReadOptions, Table};
/// let t = Table::from_csv_str("demo.csv", "time;grp\n3,5;1\n7;2\n", &ReadOptions {
///     decimal_comma: true,
///     ..Default::default()
/// })?;
/// assert_eq!(t.names(), ["time", "grp"]);
/// let time = t.column("time")?;
/// assert_eq!(time.kind(), ColumnKind::Numeric);
/// assert!((time.number(0).unwrap() - 3.5).abs() < 1e-12);
/// assert_eq!(t.column("grp")?.text(1), Some("2"));
/// assert!(t.column("tme").unwrap_err().to_string().contains("did you mean \"time\""));
/// # Ok::<(), oncomark_data::DataError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Table {
    provenance: Provenance,
    names: Vec<String>,
    columns: Vec<Column>,
    n_rows: usize,
    origin: Origin,
}

impl Table {
    /// Read a file, choosing the reader by extension: `.csv`, `.tsv`,
    /// `.txt`, `.tab` or no extension (delimited text, delimiter sniffed
    /// unless given), `.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods` (workbooks),
    /// and `.parquet` with the `parquet` feature.
    ///
    /// # Errors
    /// [`DataError::Io`] when the file cannot be read,
    /// [`DataError::UnsupportedFormat`] for other extensions, and the
    /// errors of the text and workbook readers: [`DataError::EmptyFile`],
    /// [`DataError::NotUtf8`], [`DataError::EmptyHeader`],
    /// [`DataError::DuplicateHeader`], [`DataError::RaggedRow`],
    /// [`DataError::Workbook`], [`DataError::NoSuchSheet`],
    /// [`DataError::EmptySheet`], [`DataError::CellError`].
    pub fn read(path: &Path, opts: &ReadOptions) -> Result<Table, DataError> {
        let display = path.display().to_string();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let format = match ext.as_str() {
            "csv" | "tsv" | "txt" | "tab" | "" => Format::Text,
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Format::Workbook,
            #[cfg(feature = "parquet")]
            "parquet" | "pq" => Format::Parquet,
            _ => {
                return Err(DataError::UnsupportedFormat {
                    path: display,
                    extension: ext,
                })
            }
        };
        let bytes = std::fs::read(path).map_err(|source| DataError::Io {
            path: display.clone(),
            source,
        })?;
        let prefer_tab = matches!(ext.as_str(), "tsv" | "tab");
        // Hash on a second core while the first parses (large files only).
        let (parsed, sha256) = std::thread::scope(|s| {
            let hasher = (bytes.len() > 1 << 20).then(|| s.spawn(|| sha256_hex(&bytes)));
            let parsed = match format {
                Format::Text => crate::delimited::read(&display, &bytes, opts, prefer_tab),
                Format::Workbook => crate::workbook::read(&display, &bytes, &ext, opts),
                #[cfg(feature = "parquet")]
                Format::Parquet => crate::parquet::read(&display, path),
            };
            let sha = match hasher {
                Some(h) => h.join().unwrap_or_else(|_| sha256_hex(&bytes)),
                None => sha256_hex(&bytes),
            };
            (parsed, sha)
        });
        Table::assemble(display, sha256, parsed?)
    }

    /// Read delimited text held in memory (tests, standard input). `name`
    /// stands for the file in messages and provenance.
    ///
    /// # Errors
    /// As the text reader of [`Table::read`].
    pub fn from_csv_str(name: &str, text: &str, opts: &ReadOptions) -> Result<Table, DataError> {
        let parsed = crate::delimited::read(name, text.as_bytes(), opts, false)?;
        Table::assemble(name.to_string(), sha256_hex(text.as_bytes()), parsed)
    }

    fn assemble(path: String, sha256: String, parsed: Parsed) -> Result<Table, DataError> {
        let Parsed {
            names,
            columns,
            n_rows,
            origin,
        } = parsed;
        let sheet = match &origin {
            Origin::Sheet { sheet, .. } => Some(sheet.clone()),
            Origin::Text { .. } | Origin::Records => None,
        };
        Ok(Table {
            provenance: Provenance {
                path,
                sha256,
                rows: n_rows,
                columns: names.len(),
                sheet,
            },
            names,
            columns,
            n_rows,
            origin,
        })
    }

    /// The file, its hash and its size.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// The file as named in messages.
    pub fn file(&self) -> &str {
        &self.provenance.path
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Column names, in file order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// All columns, in file order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Position of the column named `name`, if any.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The column named `name` (exact match).
    ///
    /// # Errors
    /// [`DataError::UnknownColumn`], with the nearest name (see
    /// [`crate::suggest`]) and the list of columns.
    pub fn column(&self, name: &str) -> Result<&Column, DataError> {
        self.column_index(name).map(|i| &self.columns[i])
    }

    pub(crate) fn column_index(&self, name: &str) -> Result<usize, DataError> {
        self.position(name).ok_or_else(|| DataError::UnknownColumn {
            file: self.file().to_string(),
            name: name.to_string(),
            suggestion: suggest(name, &self.names),
            columns: self.names.clone(),
        })
    }

    /// Where 0-based data row `row` of column `col` is: `"line 13"` or
    /// `"cell Sheet1!C13"`.
    ///
    /// # Panics
    /// If `row >= self.n_rows()` or `col >= self.names().len()`.
    pub fn place(&self, row: usize, col: usize) -> String {
        match &self.origin {
            Origin::Text { lines } => format!("line {}", lines[row]),
            Origin::Records => format!("record {}", row + 1),
            Origin::Sheet { sheet, rows, cols } => {
                format!("cell {}", cell_name(sheet, rows[row], cols[col]))
            }
        }
    }
}

enum Format {
    Text,
    Workbook,
    #[cfg(feature = "parquet")]
    Parquet,
}

/// What a reader hands back.
pub(crate) struct Parsed {
    pub(crate) names: Vec<String>,
    pub(crate) columns: Vec<Column>,
    pub(crate) n_rows: usize,
    pub(crate) origin: Origin,
}

/// SHA-256 of `bytes` as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `Sheet1!C13` from a 1-based row and a 0-based column.
pub(crate) fn cell_name(sheet: &str, row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    letters.reverse();
    let letters = String::from_utf8(letters).unwrap_or_default();
    let needs_quotes = !sheet.chars().all(|ch| ch.is_alphanumeric() || ch == '_');
    if needs_quotes {
        format!("'{sheet}'!{letters}{row}")
    } else {
        format!("{sheet}!{letters}{row}")
    }
}

/// Column names, columns, and the header position each came from.
pub(crate) type Finished = (Vec<String>, Vec<Column>, Vec<usize>);

/// Header checks shared by the readers: names are trimmed; a duplicate is
/// an error; an empty name is allowed only for a column with no data at
/// all (such columns, e.g. from a trailing delimiter, are dropped).
/// `place(i)` says where header field `i` is.
pub(crate) fn finish_columns(
    file: &str,
    header: Vec<String>,
    builders: Vec<ColumnBuilder>,
    place: impl Fn(usize) -> String,
) -> Result<Finished, DataError> {
    let mut names = Vec::new();
    let mut columns = Vec::new();
    let mut kept = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for (i, (name, b)) in header.into_iter().zip(builders).enumerate() {
        if name.is_empty() {
            if b.is_blank() {
                continue;
            }
            return Err(DataError::EmptyHeader {
                file: file.to_string(),
                place: place(i),
            });
        }
        if let Some(&first) = seen.get(&name) {
            return Err(DataError::DuplicateHeader {
                file: file.to_string(),
                name,
                first: first + 1,
                second: i + 1,
            });
        }
        seen.insert(name.clone(), i);
        names.push(name.clone());
        columns.push(b.finish(name));
        kept.push(i);
    }
    Ok((names, columns, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name("Sheet1", 12, 2), "Sheet1!C12");
        assert_eq!(cell_name("Sheet1", 1, 25), "Sheet1!Z1");
        assert_eq!(cell_name("Sheet1", 1, 26), "Sheet1!AA1");
        assert_eq!(cell_name("Sheet1", 1, 701), "Sheet1!ZZ1");
        assert_eq!(cell_name("Sheet1", 1, 702), "Sheet1!AAA1");
        assert_eq!(cell_name("my data", 3, 0), "'my data'!A3");
    }

    #[test]
    fn sha256_of_abc() {
        // FIPS 180-2, Appendix B.1: SHA-256("abc").
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
