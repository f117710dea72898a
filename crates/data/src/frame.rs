//! The variables of one analysis, gathered from a table with incomplete
//! rows dropped, and model matrices with dummy coding.

use std::ops::Range;

use serde::Serialize;

use crate::cell::{parse_number, Class};
use crate::error::DataError;
use crate::table::{ColumnKind, Table};
use crate::{distinct_levels, suggest};

/// Handle to one variable asked of a [`FrameBuilder`]; read it back from
/// the [`Frame`] with the accessor of the same kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VarId(usize);

/// How model terms are coded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coding {
    /// Columns to treat as categorical even though they hold numbers.
    /// Names that are not among the terms of a call are ignored.
    pub categorical: Vec<String>,
    /// `(column, level)`: the reference level of a categorical column
    /// (default: the first level in sorted order). The column must be among
    /// the terms.
    pub reference: Vec<(String, String)>,
}

impl Coding {
    /// This coding with `categorical` and `reference` restricted to the
    /// columns in `cols` (for fitting one term at a time).
    pub fn restricted_to(&self, cols: &[&str]) -> Coding {
        Coding {
            categorical: self
                .categorical
                .iter()
                .filter(|c| cols.contains(&c.as_str()))
                .cloned()
                .collect(),
            reference: self
                .reference
                .iter()
                .filter(|(c, _)| cols.contains(&c.as_str()))
                .cloned()
                .collect(),
        }
    }
}

/// How a model term enters the design.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TermKind {
    /// The column's values, one model column.
    Numeric,
    /// One indicator column per level other than the reference.
    Categorical {
        /// All levels among the rows analysed, in sorted order (the
        /// reference included).
        levels: Vec<String>,
        /// The reference level (no column of its own).
        reference: String,
    },
}

/// One source column of a design and the model columns it became.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Term {
    /// The source column.
    pub name: String,
    /// Its model columns, as a range of indices into [`Design::columns`].
    pub columns: Range<usize>,
    /// Numeric or categorical.
    pub kind: TermKind,
}

/// A model matrix over the rows of a [`Frame`], column-major.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Design {
    /// Model column names: the column name for a numeric term,
    /// `column=level` for an indicator.
    pub names: Vec<String>,
    /// The model columns, each of length [`Frame::n`].
    pub columns: Vec<Vec<f64>>,
    /// The terms, in the order given, with their model columns.
    pub terms: Vec<Term>,
}

/// One term as asked for, checked against the whole column.
#[derive(Clone, Debug)]
struct TermSpec {
    col: usize,
    categorical: bool,
    reference: Option<String>,
}

#[derive(Clone, Debug)]
enum Spec {
    Time(usize),
    Numeric(usize),
    /// Column and the event flag of every row (missing rows: false).
    Event(usize, Vec<bool>),
    Label(usize),
    Terms(Vec<TermSpec>),
}

impl Spec {
    fn columns(&self) -> Vec<usize> {
        match self {
            Spec::Time(c) | Spec::Numeric(c) | Spec::Event(c, _) | Spec::Label(c) => vec![*c],
            Spec::Terms(t) => t.iter().map(|t| t.col).collect(),
        }
    }
}

#[derive(Clone, Debug)]
enum VarData {
    Time(Vec<f64>),
    Numeric(Vec<f64>),
    Event(Vec<bool>),
    Label(Vec<String>),
    Design(Design),
}

impl VarData {
    fn kind(&self) -> &'static str {
        match self {
            VarData::Time(_) => "time",
            VarData::Numeric(_) => "numeric",
            VarData::Event(_) => "event",
            VarData::Label(_) => "label",
            VarData::Design(_) => "terms",
        }
    }
}

/// Gathers the variables of one analysis. Each call checks every
/// non-missing cell of its column(s) at once, so a bad value is reported
/// even in a row that would be dropped for another missing value;
/// [`FrameBuilder::build`] then keeps the rows complete in all of them.
///
/// ```
/// use oncomark_data::{Coding, FrameBuilder, ReadOptions, Table};
/// let csv = "time,status,arm,age\n5,1,B,60\n8,0,A,\n3,yes,A,71\n9,no,C,55\n";
/// let t = Table::from_csv_str("trial.csv", csv, &ReadOptions::default())?;
/// let mut b = FrameBuilder::new(&t);
/// let time = b.time("time")?;
/// let event = b.event("status", None)?;
/// let x = b.terms(&["arm", "age"], &Coding::default())?;
/// let f = b.build()?;
/// assert_eq!((f.n(), f.dropped_missing()), (3, 1));
/// assert_eq!(f.rows(), [0, 2, 3]);
/// assert_eq!(f.time(time), [5.0, 3.0, 9.0]);
/// assert_eq!(f.event(event), [true, true, false]);
/// let d = f.design(x);
/// assert_eq!(d.names, ["arm=B", "arm=C", "age"]);
/// assert_eq!(d.columns[0], [1.0, 0.0, 0.0]);
/// assert!((d.columns[2][1] - 71.0).abs() < 1e-12);
/// # Ok::<(), oncomark_data::DataError>(())
/// ```
#[derive(Debug)]
pub struct FrameBuilder<'t> {
    table: &'t Table,
    specs: Vec<Spec>,
}

impl<'t> FrameBuilder<'t> {
    /// Start gathering variables from `table`.
    pub fn new(table: &'t Table) -> Self {
        FrameBuilder {
            table,
            specs: Vec::new(),
        }
    }

    fn push(&mut self, spec: Spec) -> VarId {
        self.specs.push(spec);
        VarId(self.specs.len() - 1)
    }

    /// Check a numeric column: every non-missing cell a finite number;
    /// `expected` says what the analysis needs, for the message.
    fn check_numeric(
        &self,
        col: usize,
        expected: &str,
        nonnegative: bool,
    ) -> Result<(), DataError> {
        let t = self.table;
        let c = &t.columns()[col];
        let bad = (0..c.len()).find(|&r| match c.class(r) {
            Class::Missing => false,
            Class::Text | Class::NonFinite => true,
            Class::Number => nonnegative && c.value(r) < 0.0,
        });
        let Some(r) = bad else { return Ok(()) };
        let (file, row, place) = (t.file().to_string(), r + 1, t.place(r, col));
        let (column, value) = (c.name.clone(), c.raw(r).to_string());
        Err(match c.class(r) {
            Class::Text => DataError::NotNumber {
                file,
                row,
                place,
                column,
                value,
                expected: expected.to_string(),
            },
            Class::NonFinite => DataError::NotFinite {
                file,
                row,
                place,
                column,
                value,
            },
            _ => DataError::NegativeTime {
                file,
                row,
                place,
                column,
                value,
            },
        })
    }

    /// A follow-up time: every non-missing cell a finite number >= 0.
    ///
    /// # Errors
    /// [`DataError::UnknownColumn`], [`DataError::NotNumber`],
    /// [`DataError::NotFinite`], [`DataError::NegativeTime`], each naming
    /// the file, the data row and its line (or cell), the column and the
    /// value.
    pub fn time(&mut self, col: &str) -> Result<VarId, DataError> {
        let c = self.table.column_index(col)?;
        self.check_numeric(c, "time must be a non-negative number", true)?;
        Ok(self.push(Spec::Time(c)))
    }

    /// A numeric variable: every non-missing cell a finite number.
    ///
    /// # Errors
    /// [`DataError::UnknownColumn`], [`DataError::NotNumber`],
    /// [`DataError::NotFinite`].
    pub fn numeric(&mut self, col: &str) -> Result<VarId, DataError> {
        let c = self.table.column_index(col)?;
        self.check_numeric(c, &format!("column \"{col}\" must hold numbers"), false)?;
        Ok(self.push(Spec::Numeric(c)))
    }

    /// An event indicator. Without `event_value` a cell must be 1/0,
    /// true/false or yes/no (case-insensitive; `1.0` counts as 1). With
    /// `event_value` the cells equal to it (trimmed; numerically equal when
    /// both are numbers) are events and every other non-missing value is
    /// censored.
    ///
    /// # Errors
    /// [`DataError::UnknownColumn`]; [`DataError::BadEvent`] for a cell
    /// that is no event code (the message suggests `--event COL=VALUE`);
    /// [`DataError::EventValueNotFound`] when `event_value` occurs nowhere
    /// in the column.
    pub fn event(&mut self, col: &str, event_value: Option<&str>) -> Result<VarId, DataError> {
        let t = self.table;
        let ci = t.column_index(col)?;
        let c = &t.columns()[ci];
        let mut flags = vec![false; c.len()];
        match event_value {
            Some(value) => {
                let value = value.trim();
                let as_number = parse_number(value, false).filter(|v| v.is_finite());
                let mut found = false;
                for (row, flag) in flags.iter_mut().enumerate() {
                    let Some(text) = c.text(row) else { continue };
                    let hit = text == value
                        || matches!((as_number, c.class(row)), (Some(v), Class::Number) if c.value(row) == v);
                    *flag = hit;
                    found |= hit;
                }
                if !found {
                    let values = c.levels();
                    return Err(DataError::EventValueNotFound {
                        file: t.file().to_string(),
                        column: col.to_string(),
                        value: value.to_string(),
                        suggestion: suggest(value, &values),
                        values,
                    });
                }
            }
            None => {
                for (row, flag) in flags.iter_mut().enumerate() {
                    let Some(text) = c.text(row) else { continue };
                    let code = match c.class(row) {
                        Class::Number if c.value(row) == 1.0 => Some(true),
                        Class::Number if c.value(row) == 0.0 => Some(false),
                        Class::Text => match text.to_ascii_lowercase().as_str() {
                            "true" | "yes" => Some(true),
                            "false" | "no" => Some(false),
                            _ => None,
                        },
                        _ => None,
                    };
                    match code {
                        Some(b) => *flag = b,
                        None => {
                            return Err(DataError::BadEvent {
                                file: t.file().to_string(),
                                row: row + 1,
                                place: t.place(row, ci),
                                column: col.to_string(),
                                value: text.to_string(),
                            })
                        }
                    }
                }
            }
        }
        Ok(self.push(Spec::Event(ci, flags)))
    }

    /// Group labels: the cells as written in the file, trimmed (`"1"`
    /// stays `"1"`).
    ///
    /// # Errors
    /// [`DataError::UnknownColumn`].
    pub fn label(&mut self, col: &str) -> Result<VarId, DataError> {
        let c = self.table.column_index(col)?;
        Ok(self.push(Spec::Label(c)))
    }

    /// Model terms: a numeric column enters as itself; a text column, or
    /// one listed in `coding.categorical`, as indicators `column=level` of
    /// every level but the reference. Levels are the values as written,
    /// among the rows the analysis keeps, sorted numeric-aware (see
    /// [`crate::sort_levels`]); the reference is the first unless
    /// `coding.reference` names one. A categorical column left with one
    /// level gives no model column; callers report constant terms.
    ///
    /// # Errors
    /// [`DataError::UnknownColumn`]; [`DataError::RepeatedTerm`];
    /// [`DataError::NotFinite`] for `NaN`/`inf` in a numeric term;
    /// [`DataError::ReferenceNotInTerms`] when `coding.reference` names a
    /// column not in `cols`; [`DataError::ReferenceOnNumeric`] when it names
    /// a numeric column not listed as categorical;
    /// [`DataError::UnknownLevel`] when the level occurs nowhere in the
    /// column (and [`DataError::LevelDropped`] from
    /// [`FrameBuilder::build`] when it occurs only in dropped rows).
    pub fn terms(&mut self, cols: &[&str], coding: &Coding) -> Result<VarId, DataError> {
        let t = self.table;
        for (column, _) in &coding.reference {
            if !cols.contains(&column.as_str()) {
                return Err(DataError::ReferenceNotInTerms {
                    column: column.clone(),
                    terms: cols.iter().map(|c| c.to_string()).collect(),
                });
            }
        }
        let mut specs: Vec<TermSpec> = Vec::with_capacity(cols.len());
        for (i, &name) in cols.iter().enumerate() {
            let ci = t.column_index(name)?;
            if cols[..i].contains(&name) {
                return Err(DataError::RepeatedTerm {
                    column: name.to_string(),
                });
            }
            let c = &t.columns()[ci];
            let categorical =
                c.kind() == ColumnKind::Text || coding.categorical.iter().any(|n| n == name);
            let reference = coding
                .reference
                .iter()
                .find(|(col, _)| col == name)
                .map(|(_, level)| level.trim().to_string());
            if categorical {
                if let Some(level) = &reference {
                    if !c.texts().flatten().any(|x| x == level) {
                        return Err(DataError::UnknownLevel {
                            file: t.file().to_string(),
                            column: name.to_string(),
                            level: level.clone(),
                            levels: c.levels(),
                        });
                    }
                }
            } else {
                if reference.is_some() {
                    return Err(DataError::ReferenceOnNumeric {
                        file: t.file().to_string(),
                        column: name.to_string(),
                    });
                }
                self.check_numeric(ci, "a numeric term must hold numbers", false)?;
            }
            specs.push(TermSpec {
                col: ci,
                categorical,
                reference,
            });
        }
        Ok(self.push(Spec::Terms(specs)))
    }

    /// Keep the rows complete in every column asked for and gather the
    /// variables over them.
    ///
    /// # Errors
    /// [`DataError::NoRows`] for a table without data rows;
    /// [`DataError::AllRowsDropped`] when no row is complete (with the
    /// missing count of each column); [`DataError::LevelDropped`] when a
    /// reference level occurs only in dropped rows.
    pub fn build(self) -> Result<Frame, DataError> {
        let t = self.table;
        let n_rows = t.n_rows();
        if n_rows == 0 {
            return Err(DataError::NoRows {
                file: t.file().to_string(),
            });
        }
        let mut used: Vec<usize> = Vec::new();
        for s in &self.specs {
            for c in s.columns() {
                if !used.contains(&c) {
                    used.push(c);
                }
            }
        }
        let cols = t.columns();
        let rows: Vec<usize> = (0..n_rows)
            .filter(|&r| used.iter().all(|&c| !cols[c].is_missing(r)))
            .collect();
        let mut missing: Vec<(String, usize)> = used
            .iter()
            .map(|&c| (cols[c].name.clone(), cols[c].n_missing()))
            .filter(|(_, n)| *n > 0)
            .collect();
        missing.sort_by_key(|m| std::cmp::Reverse(m.1));
        if rows.is_empty() {
            return Err(DataError::AllRowsDropped {
                file: t.file().to_string(),
                n_rows,
                missing,
            });
        }
        let mut vars = Vec::with_capacity(self.specs.len());
        for spec in self.specs {
            let data = match spec {
                Spec::Time(c) => VarData::Time(rows.iter().map(|&r| cols[c].value(r)).collect()),
                Spec::Numeric(c) => {
                    VarData::Numeric(rows.iter().map(|&r| cols[c].value(r)).collect())
                }
                Spec::Event(_, flags) => VarData::Event(rows.iter().map(|&r| flags[r]).collect()),
                Spec::Label(c) => {
                    VarData::Label(rows.iter().map(|&r| cols[c].raw(r).to_string()).collect())
                }
                Spec::Terms(terms) => VarData::Design(design(t, &rows, &terms)?),
            };
            vars.push(data);
        }
        Ok(Frame {
            dropped: n_rows - rows.len(),
            rows,
            vars,
            missing,
        })
    }
}

fn design(t: &Table, rows: &[usize], specs: &[TermSpec]) -> Result<Design, DataError> {
    let mut d = Design {
        names: Vec::new(),
        columns: Vec::new(),
        terms: Vec::new(),
    };
    for spec in specs {
        let c = &t.columns()[spec.col];
        let start = d.columns.len();
        let kind = if spec.categorical {
            let levels = distinct_levels(rows.iter().map(|&r| c.raw(r)));
            let reference = match &spec.reference {
                Some(level) => {
                    if !levels.contains(level) {
                        return Err(DataError::LevelDropped {
                            file: t.file().to_string(),
                            column: c.name.clone(),
                            level: level.clone(),
                            levels,
                        });
                    }
                    level.clone()
                }
                // `rows` is not empty, so there is a first level.
                None => levels.first().cloned().unwrap_or_default(),
            };
            for level in levels.iter().filter(|l| **l != reference) {
                d.names.push(format!("{}={level}", c.name));
                d.columns.push(
                    rows.iter()
                        .map(|&r| if c.raw(r) == level { 1.0 } else { 0.0 })
                        .collect(),
                );
            }
            TermKind::Categorical { levels, reference }
        } else {
            d.names.push(c.name.clone());
            d.columns.push(rows.iter().map(|&r| c.value(r)).collect());
            TermKind::Numeric
        };
        d.terms.push(Term {
            name: c.name.clone(),
            columns: start..d.columns.len(),
            kind,
        });
    }
    Ok(d)
}

/// The variables of one analysis over its complete rows.
#[derive(Clone, Debug)]
pub struct Frame {
    rows: Vec<usize>,
    dropped: usize,
    vars: Vec<VarData>,
    missing: Vec<(String, usize)>,
}

impl Frame {
    /// Rows kept.
    pub fn n(&self) -> usize {
        self.rows.len()
    }

    /// Rows dropped for a missing value in a column the analysis uses.
    pub fn dropped_missing(&self) -> usize {
        self.dropped
    }

    /// For each column used that has missing cells, how many (most first).
    /// A row missing in two columns counts in both.
    pub fn missing_by_column(&self) -> &[(String, usize)] {
        &self.missing
    }

    /// The 0-based data rows kept, ascending.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    fn var(&self, v: VarId, want: &str) -> &VarData {
        let data = &self.vars[v.0];
        if data.kind() != want {
            panic!(
                "VarId {} is a {} variable, not a {want} variable",
                v.0,
                data.kind()
            );
        }
        data
    }

    /// A time variable.
    ///
    /// # Panics
    /// If `v` was not made by [`FrameBuilder::time`] of this frame's builder.
    pub fn time(&self, v: VarId) -> &[f64] {
        match self.var(v, "time") {
            VarData::Time(x) => x,
            _ => unreachable!(),
        }
    }

    /// A numeric variable.
    ///
    /// # Panics
    /// If `v` was not made by [`FrameBuilder::numeric`].
    pub fn numeric(&self, v: VarId) -> &[f64] {
        match self.var(v, "numeric") {
            VarData::Numeric(x) => x,
            _ => unreachable!(),
        }
    }

    /// An event indicator (`true` = event).
    ///
    /// # Panics
    /// If `v` was not made by [`FrameBuilder::event`].
    pub fn event(&self, v: VarId) -> &[bool] {
        match self.var(v, "event") {
            VarData::Event(x) => x,
            _ => unreachable!(),
        }
    }

    /// Labels as written.
    ///
    /// # Panics
    /// If `v` was not made by [`FrameBuilder::label`].
    pub fn label(&self, v: VarId) -> &[String] {
        match self.var(v, "label") {
            VarData::Label(x) => x,
            _ => unreachable!(),
        }
    }

    /// The distinct labels of a label variable, numeric-aware sorted.
    ///
    /// # Panics
    /// If `v` was not made by [`FrameBuilder::label`].
    pub fn levels(&self, v: VarId) -> Vec<String> {
        distinct_levels(self.label(v).iter().map(String::as_str))
    }

    /// A model matrix.
    ///
    /// # Panics
    /// If `v` was not made by [`FrameBuilder::terms`].
    pub fn design(&self, v: VarId) -> &Design {
        match self.var(v, "terms") {
            VarData::Design(x) => x,
            _ => unreachable!(),
        }
    }
}
