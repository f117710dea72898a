//! What one cell is: missing, a number, a non-finite number, or text.

use std::cmp::Ordering;

/// The class of a cell, decided once when the table is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Empty, `NA`, `N/A` or `.`.
    Missing,
    /// A finite number.
    Number,
    /// Parses as a number but is not finite (`NaN`, `inf`, `1e999`).
    NonFinite,
    /// Anything else.
    Text,
}

/// The cells that mean "missing", after trimming. Nothing else is missing:
/// `NaN` in particular is an error when a number is needed.
pub const MISSING_TOKENS: [&str; 4] = ["", "NA", "N/A", "."];

/// `true` for the missing-value tokens of [`MISSING_TOKENS`] (`s` trimmed).
pub(crate) fn is_missing_token(s: &str) -> bool {
    matches!(s, "" | "NA" | "N/A" | ".")
}

/// Classify a trimmed cell and give its value (NaN unless a number).
pub(crate) fn classify(s: &str, decimal_comma: bool) -> (Class, f64) {
    if is_missing_token(s) {
        return (Class::Missing, f64::NAN);
    }
    match parse_number(s, decimal_comma) {
        Some(v) if v.is_finite() => (Class::Number, v),
        Some(v) => (Class::NonFinite, v),
        None => (Class::Text, f64::NAN),
    }
}

/// Parse a trimmed cell as a number: an optional sign, digits with an
/// optional decimal point (a comma when `decimal_comma`), an optional
/// exponent; also `NaN`, `inf` and `infinity` (which callers reject).
/// With `decimal_comma` a value holding both `.` and `,` is not a number
/// (thousands separators are not supported).
pub(crate) fn parse_number(s: &str, decimal_comma: bool) -> Option<f64> {
    let b = s.as_bytes();
    let first = *b.first()?;
    // Cheap rejection of ordinary words before calling the float parser.
    if !(first.is_ascii_digit()
        || matches!(first, b'+' | b'-' | b'.' | b',' | b'i' | b'I' | b'n' | b'N'))
    {
        return None;
    }
    if decimal_comma && b.contains(&b',') {
        if b.contains(&b'.') || b.iter().filter(|&&c| c == b',').count() > 1 {
            return None;
        }
        let mut buf = [0u8; 64];
        if b.len() > buf.len() {
            return s.replace(',', ".").parse().ok();
        }
        for (d, &c) in buf.iter_mut().zip(b) {
            *d = if c == b',' { b'.' } else { c };
        }
        return std::str::from_utf8(&buf[..b.len()]).ok()?.parse().ok();
    }
    s.parse().ok()
}

/// Sort level labels numeric-aware: when every label is a finite number
/// they sort by value (`"2"` before `"10"`, ties by text), otherwise by
/// text (byte order).
///
/// ```
/// let mut v = vec!["10".to_string(), "2".into(), "1.5".into()];
/// oncomark_data::sort_levels(&mut v);
/// assert_eq!(v, ["1.5", "2", "10"]);
/// let mut w = vec!["b".to_string(), "10".into(), "2".into()];
/// oncomark_data::sort_levels(&mut w);
/// assert_eq!(w, ["10", "2", "b"]);
/// ```
pub fn sort_levels(levels: &mut [String]) {
    let numbers: Option<Vec<f64>> = levels
        .iter()
        .map(|l| l.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect();
    match numbers {
        Some(nums) => {
            let mut pairs: Vec<(f64, String)> = nums
                .into_iter()
                .zip(levels.iter_mut().map(std::mem::take))
                .collect();
            pairs.sort_by(|a, b| {
                a.0.partial_cmp(&b.0)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| a.1.cmp(&b.1))
            });
            for (slot, (_, l)) in levels.iter_mut().zip(pairs) {
                *slot = l;
            }
        }
        None => levels.sort(),
    }
}

/// The distinct values of `values`, sorted with [`sort_levels`].
pub fn distinct_levels<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = values.into_iter().collect();
    let mut v: Vec<String> = set.into_iter().map(str::to_string).collect();
    sort_levels(&mut v);
    v
}

/// The candidate closest to `name`, when one is close enough to be a
/// likely typo: an exact match ignoring case, or else the best
/// normalized Damerau-Levenshtein similarity (case-insensitive) of at
/// least 0.5. Ties go to the earlier candidate.
///
/// ```
/// let cols = vec!["time".to_string(), "status".into(), "age".into()];
/// assert_eq!(oncomark_data::suggest("tme", &cols).as_deref(), Some("time"));
/// assert_eq!(oncomark_data::suggest("AGE", &cols).as_deref(), Some("age"));
/// assert_eq!(oncomark_data::suggest("weight", &cols), None);
/// ```
pub fn suggest(name: &str, candidates: &[String]) -> Option<String> {
    let lower = name.to_lowercase();
    if let Some(c) = candidates.iter().find(|c| c.to_lowercase() == lower) {
        return Some(c.clone());
    }
    let mut best: Option<(f64, &String)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase());
        if score >= 0.5 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_written_in_exports() {
        assert_eq!(parse_number("+1.5", false), Some(1.5));
        assert_eq!(parse_number("-2e3", false), Some(-2000.0));
        assert_eq!(parse_number(".5", false), Some(0.5));
        assert_eq!(parse_number("1E-2", false), Some(0.01));
        assert_eq!(parse_number("3,5", false), None);
        assert_eq!(parse_number("3,5", true), Some(3.5));
        assert_eq!(parse_number("-0,25e1", true), Some(-2.5));
        assert_eq!(parse_number("3.5", true), Some(3.5));
        assert_eq!(parse_number("1.234,5", true), None);
        assert_eq!(parse_number("1,2,3", true), None);
        assert_eq!(parse_number("abc", false), None);
        assert_eq!(parse_number("1 000", false), None);
        assert_eq!(parse_number("0x10", false), None);
        assert!(parse_number("NaN", false).is_some_and(f64::is_nan));
        assert_eq!(parse_number("-inf", false), Some(f64::NEG_INFINITY));
        let long = format!("0,{}", "1".repeat(80));
        assert!((parse_number(&long, true).unwrap() - 0.1111111111111111).abs() < 1e-15);
    }

    #[test]
    fn classes() {
        for m in MISSING_TOKENS {
            assert_eq!(classify(m, false).0, Class::Missing);
        }
        assert_eq!(classify("na", false).0, Class::Text);
        assert_eq!(classify("NaN", false).0, Class::NonFinite);
        assert_eq!(classify("1e999", false).0, Class::NonFinite);
        assert_eq!(classify("7", false), (Class::Number, 7.0));
    }

    #[test]
    fn suggestions() {
        let c: Vec<String> = ["ph.ecog", "ph.karno", "wt.loss"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(suggest("ph_ecog", &c).as_deref(), Some("ph.ecog"));
        assert_eq!(suggest("", &c), None);
        assert_eq!(suggest("x", &[]), None);
    }
}
