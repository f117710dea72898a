//! One module per verb. Each has `Args` (clap), `EXAMPLE` (shown by
//! `--help`) and `run`.

pub mod agreement;
pub mod assay;
pub mod cox;
pub mod cutpoint;
pub mod demo;
pub mod km;
pub mod logrank;
pub mod power;
pub mod screen;
pub mod simulate;
pub mod study;
pub mod table;
pub mod ttest;

use std::path::PathBuf;

use oncomark_data::{Coding, ReadOptions, Table};

use crate::output::Failure;

/// Where the data come from: `--data` and the reading options.
#[derive(Clone, Debug, clap::Args)]
pub struct DataArgs {
    /// Input table: CSV, TSV, or XLSX (chosen by extension). Empty cells,
    /// `NA`, `N/A` and `.` are missing.
    #[arg(long, value_name = "PATH")]
    pub data: PathBuf,
    /// Worksheet to read from an XLSX file (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Field delimiter for text files (default: sniffed from the first lines).
    /// Use `tab` for a tab.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Decimal mark in numbers: `.` (default) or `,` for European exports.
    #[arg(long, value_name = "MARK", default_value = ".")]
    pub decimal: String,
}

impl DataArgs {
    /// Read the table, with errors as exit status 2.
    pub fn load(&self) -> Result<Table, Failure> {
        let delimiter = match self.delimiter.as_deref() {
            None => None,
            Some("tab") | Some("\\t") | Some("\t") => Some(b'\t'),
            Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            Some(d) => {
                return Err(Failure::input(anyhow::anyhow!(
                "--delimiter {d:?}: give one ASCII character such as ',' ';' '|' or the word tab"
            )))
            }
        };
        let decimal_comma = match self.decimal.as_str() {
            "." => false,
            "," => true,
            other => {
                return Err(Failure::input(anyhow::anyhow!(
                    "--decimal {other:?}: the decimal mark must be '.' or ','"
                )))
            }
        };
        let opts = ReadOptions {
            delimiter,
            decimal_comma,
            sheet: self.sheet.clone(),
        };
        Table::read(&self.data, &opts).map_err(Failure::input)
    }
}

/// `--time` and `--event`, shared by the survival verbs.
#[derive(Clone, Debug, clap::Args)]
pub struct SurvArgs {
    /// Column with the follow-up time (a non-negative number).
    #[arg(long, value_name = "COL")]
    pub time: String,
    /// Column with the event indicator: 1/0, true/false, yes/no; or
    /// `COL=VALUE` to name the value that means "event".
    #[arg(long, value_name = "COL[=VALUE]")]
    pub event: String,
}

impl SurvArgs {
    /// Split `--event COL=VALUE` into the column and the event value.
    pub fn event_spec(&self) -> (&str, Option<&str>) {
        match self.event.split_once('=') {
            Some((c, v)) => (c, Some(v)),
            None => (self.event.as_str(), None),
        }
    }
}

/// How covariates are coded: `--categorical` and `--reference`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct CodingArgs {
    /// Numeric columns to treat as categorical (comma separated).
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub categorical: Vec<String>,
    /// Reference level of a categorical column, `col=level` (repeatable or
    /// comma separated). Default: the first level in sorted order.
    #[arg(long, value_name = "COL=LEVEL", value_delimiter = ',')]
    pub reference: Vec<String>,
}

impl CodingArgs {
    /// The checked coding.
    pub fn coding(&self) -> Result<Coding, Failure> {
        let mut reference = Vec::new();
        for r in &self.reference {
            match r.split_once('=') {
                Some((c, l)) if !c.is_empty() && !l.is_empty() => {
                    reference.push((c.to_string(), l.to_string()))
                }
                _ => {
                    return Err(Failure::input(anyhow::anyhow!(
                        "--reference {r:?}: write it as column=level, e.g. --reference tgrade=I"
                    )))
                }
            }
        }
        Ok(Coding {
            categorical: self.categorical.clone(),
            reference,
        })
    }
}

/// Parse a comma-separated list of numbers (for `--times`).
pub fn parse_numbers(flag: &str, text: &str) -> Result<Vec<f64>, Failure> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    Failure::input(anyhow::anyhow!(
                        "{flag}: {s:?} is not a number; give a comma-separated list such as 6,12,24"
                    ))
                })
        })
        .collect()
}

/// Dense codes for labels, with the levels in sorted order (numeric-aware,
/// as the data crate sorts categorical levels).
pub fn codes(labels: &[String]) -> (Vec<u32>, Vec<String>) {
    let levels = oncomark_data::distinct_levels(labels.iter().map(String::as_str));
    let index: std::collections::HashMap<&str, u32> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u32))
        .collect();
    let code = labels.iter().map(|l| index[l.as_str()]).collect();
    (code, levels)
}

/// Quote a CSV field when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Check `--conf-level`: a level strictly between 0 and 1.
pub fn check_conf_level(level: f64) -> Result<(), Failure> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(Failure::input(anyhow::anyhow!(
            "--conf-level {level}: give a level between 0 and 1, e.g. 0.95"
        )))
    }
}
