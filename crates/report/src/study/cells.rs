//! Table cells that name their source: every number in a table of the
//! study report is printed from values of `results.json`, and its cell says
//! which ones and how they were printed.
//!
//! In the HTML a numeric cell carries `data-src` (JSON pointers into
//! `results.json`, RFC 6901, separated by spaces) and `data-fmt` (a
//! [`Fmt`] name). Anyone holding `results.json` can re-derive the printed
//! text with [`format_cell`]: `text == format_cell(fmt, values at src)`.
//! The report's tests do exactly that for every cell.

use crate::format::{format_compact, format_p, format_ratio, format_ratio_ci};

/// How the numbers of a cell are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    /// One count: `53`.
    Int,
    /// One P value in journal style ([`format_p`]): `0.0039`, `<0.001`.
    P,
    /// One ratio ([`format_ratio`]): `2.11`.
    Ratio,
    /// Ratio, lower, upper ([`format_ratio_ci`]): `2.11 (1.26–3.54)`.
    RatioCi,
    /// Count and percent: `25 (47%)`.
    NPct,
    /// Patients and events: `78 (73)`.
    NEvents,
    /// Count, denominator and percent: `25/53 (47%)`.
    NOfPct,
    /// One number with this many decimals: `0.86`.
    Fixed(u8),
    /// Estimate, lower, upper with this many decimals: `0.86 (0.78–0.94)`.
    FixedCi(u8),
    /// A median time with its limits (this many decimals); a missing
    /// median or limit prints `NR` (not reached): `8.2 (6.1–10.3)`.
    TimeCi(u8),
    /// A probability and its limits, as percents: `62% (48–73)`.
    ProbCi,
    /// Median (first quartile–third quartile), 3 significant digits:
    /// `54 (46–61)`.
    MedIqr,
    /// Minimum–maximum, 3 significant digits: `28–84`.
    Range,
    /// Mean (SD), 3 significant digits: `54.6 (11.9)`.
    MeanSd,
}

impl Fmt {
    /// The name written in `data-fmt`.
    pub fn name(self) -> String {
        match self {
            Fmt::Int => "int".into(),
            Fmt::P => "p".into(),
            Fmt::Ratio => "ratio".into(),
            Fmt::RatioCi => "ratio_ci".into(),
            Fmt::NPct => "n_pct".into(),
            Fmt::NEvents => "n_events".into(),
            Fmt::NOfPct => "n_of_pct".into(),
            Fmt::Fixed(d) => format!("fix{d}"),
            Fmt::FixedCi(d) => format!("fix{d}_ci"),
            Fmt::TimeCi(d) => format!("time{d}_ci"),
            Fmt::ProbCi => "prob_ci".into(),
            Fmt::MedIqr => "med_iqr".into(),
            Fmt::Range => "range".into(),
            Fmt::MeanSd => "mean_sd".into(),
        }
    }

    /// The format named `name` (the inverse of [`Fmt::name`]).
    ///
    /// # Example
    ///
    /// ```
    /// use oncomark_report::study::Fmt;
    /// assert_eq!(Fmt::parse("fix2_ci"), Some(Fmt::FixedCi(2)));
    /// assert_eq!(Fmt::parse(&Fmt::TimeCi(1).name()), Some(Fmt::TimeCi(1)));
    /// assert_eq!(Fmt::parse("nope"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Fmt> {
        let digits = |s: &str| s.parse::<u8>().ok().filter(|d| *d <= 6);
        Some(match name {
            "int" => Fmt::Int,
            "p" => Fmt::P,
            "ratio" => Fmt::Ratio,
            "ratio_ci" => Fmt::RatioCi,
            "n_pct" => Fmt::NPct,
            "n_events" => Fmt::NEvents,
            "n_of_pct" => Fmt::NOfPct,
            "prob_ci" => Fmt::ProbCi,
            "med_iqr" => Fmt::MedIqr,
            "range" => Fmt::Range,
            "mean_sd" => Fmt::MeanSd,
            _ => {
                if let Some(d) = name.strip_prefix("fix").and_then(|r| r.strip_suffix("_ci")) {
                    Fmt::FixedCi(digits(d)?)
                } else if let Some(d) = name.strip_prefix("fix") {
                    Fmt::Fixed(digits(d)?)
                } else if let Some(d) = name
                    .strip_prefix("time")
                    .and_then(|r| r.strip_suffix("_ci"))
                {
                    Fmt::TimeCi(digits(d)?)
                } else {
                    return None;
                }
            }
        })
    }

    /// How many values the format takes.
    pub fn arity(self) -> usize {
        match self {
            Fmt::Int | Fmt::P | Fmt::Ratio | Fmt::Fixed(_) => 1,
            Fmt::NPct | Fmt::NEvents | Fmt::Range | Fmt::MeanSd => 2,
            Fmt::RatioCi
            | Fmt::NOfPct
            | Fmt::FixedCi(_)
            | Fmt::TimeCi(_)
            | Fmt::ProbCi
            | Fmt::MedIqr => 3,
        }
    }
}

/// Missing value in a table.
pub(crate) const DASH: &str = "—";

fn fixed(x: Option<f64>, d: u8, missing: &str) -> String {
    match x.filter(|v| v.is_finite()) {
        Some(v) => {
            let s = format!("{v:.prec$}", prec = usize::from(d));
            // no "-0.0", minus sign as typeset
            if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
                s[1..].to_string()
            } else if let Some(rest) = s.strip_prefix('-') {
                format!("\u{2212}{rest}")
            } else {
                s
            }
        }
        None => missing.to_string(),
    }
}

fn sig3(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or_else(|| DASH.to_string(), |v| format_compact(v, 3))
}

fn int(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or_else(|| DASH.to_string(), |v| format!("{}", v.round() as i64))
}

fn pct(x: Option<f64>) -> String {
    fixed(x, 0, DASH)
}

/// The text of a cell printed as `fmt` from `values` (missing values as
/// `None`; see [`Fmt`] for each layout). Values beyond the format's
/// [`Fmt::arity`] are ignored; missing ones print as `—` (`NE` for ratios,
/// `NR` for median times).
///
/// # Example
///
/// ```
/// use oncomark_report::study::{format_cell, Fmt};
/// assert_eq!(format_cell(Fmt::NOfPct, &[Some(25.0), Some(53.0), Some(47.169)]), "25/53 (47%)");
/// assert_eq!(format_cell(Fmt::RatioCi, &[Some(2.1096), Some(1.2565), Some(3.5418)]), "2.11 (1.26–3.54)");
/// assert_eq!(format_cell(Fmt::P, &[Some(0.0003)]), "<0.001");
/// assert_eq!(format_cell(Fmt::TimeCi(1), &[Some(8.21), Some(6.1), None]), "8.2 (6.1–NR)");
/// assert_eq!(format_cell(Fmt::ProbCi, &[Some(0.6234), Some(0.48), Some(0.73)]), "62% (48–73)");
/// ```
pub fn format_cell(fmt: Fmt, values: &[Option<f64>]) -> String {
    let v = |i: usize| values.get(i).copied().flatten();
    match fmt {
        Fmt::Int => int(v(0)),
        Fmt::P => v(0).map_or_else(|| DASH.to_string(), format_p),
        Fmt::Ratio => v(0).map_or_else(|| "NE".to_string(), format_ratio),
        Fmt::RatioCi => format_ratio_ci(v(0), v(1), v(2)),
        Fmt::NPct => format!("{} ({}%)", int(v(0)), pct(v(1))),
        Fmt::NEvents => format!("{} ({})", int(v(0)), int(v(1))),
        Fmt::NOfPct => format!("{}/{} ({}%)", int(v(0)), int(v(1)), pct(v(2))),
        Fmt::Fixed(d) => fixed(v(0), d, DASH),
        Fmt::FixedCi(d) => format!(
            "{} ({}–{})",
            fixed(v(0), d, DASH),
            fixed(v(1), d, DASH),
            fixed(v(2), d, DASH)
        ),
        Fmt::TimeCi(d) => format!(
            "{} ({}–{})",
            fixed(v(0), d, "NR"),
            fixed(v(1), d, "NR"),
            fixed(v(2), d, "NR")
        ),
        Fmt::ProbCi if v(0).filter(|x| x.is_finite()).is_none() => DASH.to_string(),
        Fmt::ProbCi => {
            let p = |x: Option<f64>| fixed(x.map(|s| s * 100.0), 0, DASH);
            format!("{}% ({}–{})", p(v(0)), p(v(1)), p(v(2)))
        }
        Fmt::MedIqr => format!("{} ({}–{})", sig3(v(0)), sig3(v(1)), sig3(v(2))),
        Fmt::Range => format!("{}–{}", sig3(v(0)), sig3(v(1))),
        Fmt::MeanSd => format!("{} ({})", sig3(v(0)), sig3(v(1))),
    }
}

/// A table cell: text, and for numbers their sources and format.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Cell {
    /// The text as printed.
    pub text: String,
    /// JSON pointers of the printed values (empty for text).
    pub src: Vec<String>,
    /// Their format (`None` for text).
    pub fmt: Option<Fmt>,
    /// Columns spanned (0 or 1: one).
    pub colspan: u32,
    /// Rows spanned (0 or 1: one; heading cells).
    pub rowspan: u32,
    /// Text printed before the number (e.g. `n = `), outside its source.
    pub prefix: String,
    /// Extra CSS class.
    pub class: &'static str,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Self {
        Cell {
            text: s.into(),
            ..Cell::default()
        }
    }

    /// An empty cell.
    pub fn empty() -> Self {
        Cell::default()
    }

    /// A numeric cell: `values` are (pointer, value) pairs in the order
    /// `fmt` takes them.
    pub fn num(fmt: Fmt, values: Vec<(String, Option<f64>)>) -> Self {
        let vals: Vec<Option<f64>> = values.iter().map(|v| v.1).collect();
        Cell {
            text: format_cell(fmt, &vals),
            src: values.into_iter().map(|v| v.0).collect(),
            fmt: Some(fmt),
            ..Cell::default()
        }
    }

    /// One value.
    pub fn one(fmt: Fmt, ptr: String, value: Option<f64>) -> Self {
        Cell::num(fmt, vec![(ptr, value)])
    }

    /// Spans `n` columns.
    pub fn span(mut self, n: u32) -> Self {
        self.colspan = n;
        self
    }

    /// Spans `n` heading rows.
    pub fn rows(mut self, n: u32) -> Self {
        self.rowspan = n;
        self
    }

    /// With text before the number.
    pub fn prefix(mut self, p: &str) -> Self {
        self.prefix = p.to_string();
        self
    }

    /// With a CSS class.
    pub fn class(mut self, class: &'static str) -> Self {
        self.class = class;
        self
    }
}

/// `Some(x as f64)` for counts.
pub(crate) fn cnt<T: Into<f64>>(x: T) -> Option<f64> {
    Some(x.into())
}

/// `usize` count as a value.
pub(crate) fn ucnt(x: usize) -> Option<f64> {
    Some(x as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_round_trips_its_name() {
        for f in [
            Fmt::Int,
            Fmt::P,
            Fmt::Ratio,
            Fmt::RatioCi,
            Fmt::NPct,
            Fmt::NEvents,
            Fmt::NOfPct,
            Fmt::Fixed(0),
            Fmt::Fixed(3),
            Fmt::FixedCi(2),
            Fmt::TimeCi(1),
            Fmt::ProbCi,
            Fmt::MedIqr,
            Fmt::Range,
            Fmt::MeanSd,
        ] {
            assert_eq!(Fmt::parse(&f.name()), Some(f), "{}", f.name());
        }
    }

    #[test]
    fn missing_values_print_as_dash_ne_or_nr() {
        assert_eq!(format_cell(Fmt::Int, &[None]), "—");
        assert_eq!(format_cell(Fmt::RatioCi, &[None, None, None]), "NE");
        assert_eq!(
            format_cell(Fmt::TimeCi(1), &[None, Some(14.03), None]),
            "NR (14.0–NR)"
        );
        assert_eq!(format_cell(Fmt::Fixed(2), &[Some(f64::NAN)]), "—");
        assert_eq!(format_cell(Fmt::Fixed(1), &[Some(-0.04)]), "0.0");
        assert_eq!(format_cell(Fmt::Fixed(1), &[Some(-2.5)]), "\u{2212}2.5");
        assert_eq!(
            format_cell(Fmt::MedIqr, &[Some(54.0), Some(46.0), Some(61.0)]),
            "54 (46–61)"
        );
        assert_eq!(
            format_cell(Fmt::MeanSd, &[Some(54.6037), Some(11.855)]),
            "54.6 (11.9)"
        );
    }
}
