//! CSV text of the simulated tables (writing files is the caller's job).

use chrono::NaiveDate;

/// A row that can be written as one CSV record.
pub trait CsvRow {
    /// Column names.
    fn header() -> &'static [&'static str];
    /// Cells in column order (missing = empty).
    fn cells(&self) -> Vec<String>;
}

/// RFC 4180 quoting: a cell holding a comma, quote or line break is quoted
/// with inner quotes doubled.
fn escape(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// CSV text with a header line, `\n` line ends.
///
/// ```
/// use oncomark_study::simulate::{simulate_paper_cohort, to_csv};
/// let s = simulate_paper_cohort(1);
/// let text = to_csv(&s.ihc);
/// assert!(text.starts_with("patient_id,reader_1_percent,reader_2_percent,adjudicated_score\n"));
/// assert_eq!(text.lines().count(), 1 + s.ihc.len());
/// ```
pub fn to_csv<R: CsvRow>(rows: &[R]) -> String {
    let mut out = R::header().join(",");
    out.push('\n');
    for r in rows {
        let cells: Vec<String> = r.cells().iter().map(|c| escape(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

pub(crate) fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub(crate) fn opt_num(x: Option<f64>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

pub(crate) fn flag(b: bool) -> String {
    if b { "1" } else { "0" }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(escape("a,b"), "\"a,b\"");
        assert_eq!(escape("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape("plain"), "plain");
    }
}
