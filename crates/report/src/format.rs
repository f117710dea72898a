//! Numbers as journals print them: P values, ratios with confidence
//! intervals, fixed-decimal numbers.
//!
//! Pure functions of their arguments: the same number always gives the same
//! text, on every platform (Rust's float formatting is exact and does not
//! depend on the locale), which keeps figure snapshots stable.
//!
//! Conventions (as the AMA Manual of Style, 11th ed., §19.5, and the
//! NEJM / Lancet / JCO instructions for authors):
//!
//! - P values get 2 significant digits; below 0.001 they print as `<0.001`
//!   and above 0.99 as `>0.99`. When 2 digits would move a P value across
//!   0.05 or round it onto 0.05 (0.0496 -> 0.050), a third (or fourth)
//!   digit is kept so the printed value never misstates significance.
//! - Ratios (hazard and odds ratios) get 2 decimals (1 from 10, none from
//!   100; 2 significant digits below 0.1), and confidence limits are joined
//!   by an en dash: `0.69 (0.54–0.89)`. A missing limit prints as `NE` (not
//!   estimable), an infinite upper limit as `∞`.
//! - Negative numbers in figures use the minus sign U+2212, not the hyphen.

/// How P values are printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PFormat {
    /// P values below this print as `<threshold` (default 0.001).
    pub threshold: f64,
    /// Significant digits (default 2).
    pub digits: u32,
    /// Print `0.03` (default) rather than `.03` (APA style).
    pub leading_zero: bool,
}

impl Default for PFormat {
    fn default() -> Self {
        Self {
            threshold: 0.001,
            digits: 2,
            leading_zero: true,
        }
    }
}

/// Rounds `x > 0` to `digits` significant digits and prints it with the
/// number of decimals that shows exactly those digits.
fn sig_text(x: f64, digits: u32) -> (f64, String) {
    let digits = digits.clamp(1, 15) as i32;
    let e = x.abs().log10().floor() as i32;
    let dec = (digits - 1 - e).max(0);
    let scale = 10f64.powi(digits - 1 - e);
    let r = (x * scale).round() / scale;
    // rounding may carry into the next power of ten (0.0999 -> 0.10)
    let e2 = r.abs().log10().floor() as i32;
    let dec = if e2 > e {
        (digits - 1 - e2).max(0)
    } else {
        dec
    };
    (r, fixed(r, dec as usize))
}

/// A P value in journal style with the default [`PFormat`]: `<0.001`,
/// `0.0034`, `0.012`, `0.25`, `>0.99`; `NA` when `p` is not in `[0, 1]`.
///
/// # Example
///
/// ```
/// use oncomark_report::format::format_p;
/// assert_eq!(format_p(0.00342728), "0.0034");
/// assert_eq!(format_p(0.0496), "0.0496"); // not "0.050"
/// assert_eq!(format_p(0.0004), "<0.001");
/// assert_eq!(format_p(0.75), "0.75");
/// ```
pub fn format_p(p: f64) -> String {
    format_p_with(p, &PFormat::default())
}

/// A P value printed as `fmt` says (see [`format_p`] and the
/// [module docs](self)).
///
/// # Example
///
/// ```
/// use oncomark_report::format::{format_p_with, PFormat};
/// let apa = PFormat { leading_zero: false, ..PFormat::default() };
/// assert_eq!(format_p_with(0.031, &apa), ".031");
/// let three = PFormat { digits: 3, threshold: 0.0001, ..PFormat::default() };
/// assert_eq!(format_p_with(0.00017, &three), "0.000170");
/// ```
pub fn format_p_with(p: f64, fmt: &PFormat) -> String {
    if !(0.0..=1.0).contains(&p) {
        return "NA".to_string();
    }
    let lead = |s: String| {
        if fmt.leading_zero {
            s
        } else {
            s.replacen("0.", ".", 1)
        }
    };
    if p < fmt.threshold {
        return format!("<{}", lead(trim_fixed(fmt.threshold)));
    }
    let mut digits = fmt.digits.max(1);
    let (mut r, mut s) = sig_text(p, digits);
    // keep digits until the printed value sits on the same side of 0.05 as
    // P and is not 0.05 itself (unless P is exactly 0.05)
    while digits < fmt.digits.max(1) + 2 && p != 0.05 && ((r < 0.05) != (p < 0.05) || r == 0.05) {
        digits += 1;
        (r, s) = sig_text(p, digits);
    }
    if p > 0.99 || r >= 1.0 {
        return format!(">{}", lead("0.99".to_string()));
    }
    lead(s)
}

/// `P = 0.0034`, `P < 0.001` or `P > 0.99` (see [`format_p`]).
///
/// # Example
///
/// ```
/// use oncomark_report::format::p_label;
/// assert_eq!(p_label(0.00342728), "P = 0.0034");
/// assert_eq!(p_label(1e-6), "P < 0.001");
/// ```
pub fn p_label(p: f64) -> String {
    let s = format_p(p);
    match s.chars().next() {
        Some('<') => format!("P < {}", &s[1..]),
        Some('>') => format!("P > {}", &s[1..]),
        _ => format!("P = {s}"),
    }
}

/// A ratio (hazard, odds) in journal style: 2 decimals below 10, 1 decimal
/// below 100, none above; 2 significant digits below 0.1; `∞` for `+inf`
/// and `NE` (not estimable) for NaN, negative or missing values.
///
/// # Example
///
/// ```
/// use oncomark_report::format::format_ratio;
/// assert_eq!(format_ratio(0.70735), "0.71");
/// assert_eq!(format_ratio(12.345), "12.3");
/// assert_eq!(format_ratio(0.0123), "0.012");
/// assert_eq!(format_ratio(f64::INFINITY), "∞");
/// ```
pub fn format_ratio(x: f64) -> String {
    if x == f64::INFINITY {
        return "∞".to_string();
    }
    if !x.is_finite() || x < 0.0 {
        return "NE".to_string();
    }
    if x == 0.0 {
        return "0.00".to_string();
    }
    if x < 0.1 {
        // 2 significant digits, but never more decimals than 0.0001 shows
        let (r, s) = sig_text(x, 2);
        if r >= 0.1 {
            return fixed(r, 2);
        }
        return s;
    }
    let dec = if x < 9.995 {
        2
    } else if x < 99.95 {
        1
    } else {
        0
    };
    fixed(x, dec)
}

/// `0.69 (0.54–0.89)`: a ratio and its confidence limits (see
/// [`format_ratio`]); `NE` for a missing estimate or limit. When both
/// limits lie in `[0.1, 10)` and would print alike with 2 decimals (a
/// hazard ratio per unit of a wide-ranging covariate), all three numbers
/// get 3 (or 4) decimals: `0.998 (0.997–0.999)`.
///
/// # Example
///
/// ```
/// use oncomark_report::format::format_ratio_ci;
/// assert_eq!(format_ratio_ci(Some(0.7073), Some(0.5479), Some(0.9131)), "0.71 (0.55–0.91)");
/// assert_eq!(format_ratio_ci(Some(2.1), Some(0.9), Some(f64::INFINITY)), "2.10 (0.90–∞)");
/// assert_eq!(format_ratio_ci(None, None, None), "NE");
/// ```
pub fn format_ratio_ci(est: Option<f64>, lower: Option<f64>, upper: Option<f64>) -> String {
    let Some(est) = est.filter(|x| !x.is_nan()) else {
        return "NE".to_string();
    };
    // when the limits would print alike (HR per unit of a wide-ranging
    // covariate: 1.00 (1.00–1.00)), add decimals until they differ
    if let (Some(lo), Some(hi)) = (lower, upper) {
        if lo.is_finite()
            && hi.is_finite()
            && lo < hi
            && (0.1..10.0).contains(&lo)
            && (0.1..10.0).contains(&hi)
        {
            for dec in 2..=4 {
                if fixed(lo, dec) != fixed(hi, dec) || dec == 4 {
                    return format!(
                        "{} ({}–{})",
                        fixed(est, dec),
                        fixed(lo, dec),
                        fixed(hi, dec)
                    );
                }
            }
        }
    }
    let lim = |x: Option<f64>| x.map_or_else(|| "NE".to_string(), format_ratio);
    format!("{} ({}–{})", format_ratio(est), lim(lower), lim(upper))
}

/// `HR 0.69 (95% CI 0.54–0.89)`: a hazard ratio sentence for a figure
/// annotation; `label` goes after "HR" (e.g. `yes vs no`).
///
/// # Example
///
/// ```
/// use oncomark_report::format::hr_label;
/// assert_eq!(
///     hr_label(0.7073, Some(0.5479), Some(0.9131), 0.95, None),
///     "HR 0.71 (95% CI 0.55–0.91)"
/// );
/// assert_eq!(
///     hr_label(0.7073, Some(0.5479), Some(0.9131), 0.9, Some("yes vs no")),
///     "HR (yes vs no) 0.71 (90% CI 0.55–0.91)"
/// );
/// ```
pub fn hr_label(
    hr: f64,
    lower: Option<f64>,
    upper: Option<f64>,
    conf_level: f64,
    label: Option<&str>,
) -> String {
    let lim = |x: Option<f64>| x.map_or_else(|| "NE".to_string(), format_ratio);
    let head = match label {
        Some(l) if !l.is_empty() => format!("HR ({l})"),
        _ => "HR".to_string(),
    };
    format!(
        "{head} {} ({} {}–{})",
        format_ratio(hr),
        ci_name(conf_level),
        lim(lower),
        lim(upper)
    )
}

/// `95% CI` for `conf_level = 0.95` (up to one decimal: `97.5% CI`).
///
/// # Example
///
/// ```
/// use oncomark_report::format::ci_name;
/// assert_eq!(ci_name(0.95), "95% CI");
/// assert_eq!(ci_name(0.975), "97.5% CI");
/// ```
pub fn ci_name(conf_level: f64) -> String {
    format!("{}% CI", trim_fixed_dec(conf_level * 100.0, 1))
}

/// `x` with exactly `decimals` decimals, `-0` printed as `0` and the minus
/// sign as U+2212 (for figures and typeset tables).
///
/// # Example
///
/// ```
/// use oncomark_report::format::format_fixed;
/// assert_eq!(format_fixed(-30.0, 0), "\u{2212}30");
/// assert_eq!(format_fixed(-0.001, 2), "0.00");
/// ```
pub fn format_fixed(x: f64, decimals: usize) -> String {
    let s = fixed(x, decimals);
    match s.strip_prefix('-') {
        Some(rest) => format!("\u{2212}{rest}"),
        None => s,
    }
}

/// `x` rounded to `digits` significant digits (1 to 15), trailing zeros
/// kept, minus sign U+2212: `3.06`, `0.500`, `1200`; `0` for zero and
/// `NA` when `x` is not finite. For estimates such as an ED50.
///
/// # Example
///
/// ```
/// use oncomark_report::format::format_sig;
/// assert_eq!(format_sig(3.057955, 3), "3.06");
/// assert_eq!(format_sig(0.5, 3), "0.500");
/// assert_eq!(format_sig(-0.0999, 2), "\u{2212}0.10");
/// assert_eq!(format_sig(1234.5, 2), "1200");
/// ```
pub fn format_sig(x: f64, digits: u32) -> String {
    if !x.is_finite() {
        return "NA".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let (r, s) = sig_text(x, digits);
    // above the digits shown, sig_text prints the rounded integer
    let s = if s.contains('.') { s } else { fixed(r, 0) };
    match s.strip_prefix('-') {
        Some(rest) => format!("\u{2212}{rest}"),
        None => s,
    }
}

/// Like [`format_sig`] with trailing zeros (and a trailing point)
/// removed: the shortest text for an axis or dose label (`0.94`, `30`,
/// `0.001`).
///
/// # Example
///
/// ```
/// use oncomark_report::format::format_compact;
/// assert_eq!(format_compact(0.5, 3), "0.5");
/// assert_eq!(format_compact(30.0, 3), "30");
/// assert_eq!(format_compact(1.875, 3), "1.88");
/// ```
pub fn format_compact(x: f64, digits: u32) -> String {
    let s = format_sig(x, digits);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `x` with `decimals` decimals, ASCII hyphen for negatives, no `-0`.
pub(crate) fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// `x` with up to `decimals` decimals, trailing zeros removed.
pub(crate) fn trim_fixed_dec(x: f64, decimals: usize) -> String {
    let s = fixed(x, decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Shortest fixed text of a threshold such as 0.001 (up to 10 decimals).
fn trim_fixed(x: f64) -> String {
    trim_fixed_dec(x, 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_in_journal_style() {
        // each pair: P value, what the AMA / NEJM rules print
        let cases = [
            (0.0, "<0.001"),
            (0.000_999_9, "<0.001"),
            (0.001, "0.0010"),
            (0.001_23, "0.0012"),
            (0.008_9, "0.0089"),
            (0.009_96, "0.010"), // carry into the next decade
            (0.012_34, "0.012"),
            (0.049_6, "0.0496"), // 2 digits would print 0.050
            (0.049_96, "0.04996"),
            (0.050_4, "0.0504"),
            (0.05, "0.050"),
            (0.051, "0.051"),
            (0.099_9, "0.10"),
            (0.75, "0.75"),
            (0.984, "0.98"),
            (0.99, "0.99"),
            (0.990_1, ">0.99"),
            (1.0, ">0.99"),
        ];
        for (p, want) in cases {
            assert_eq!(format_p(p), want, "format_p({p})");
        }
    }

    #[test]
    fn invalid_p_values_print_na() {
        for p in [f64::NAN, -0.1, 1.5, f64::INFINITY] {
            assert_eq!(format_p(p), "NA");
        }
    }

    #[test]
    fn p_labels() {
        assert_eq!(p_label(0.75), "P = 0.75");
        assert_eq!(p_label(0.0001), "P < 0.001");
        assert_eq!(p_label(0.999), "P > 0.99");
        let apa = PFormat {
            leading_zero: false,
            ..PFormat::default()
        };
        assert_eq!(format_p_with(0.0001, &apa), "<.001");
        assert_eq!(format_p_with(0.9999, &apa), ">.99");
    }

    #[test]
    fn ratios() {
        let cases = [
            (0.0, "0.00"),
            (0.001_234, "0.0012"),
            (0.099_96, "0.10"),
            (0.1, "0.10"),
            (0.694, "0.69"),
            (0.695_1, "0.70"),
            (9.994, "9.99"),
            (9.996, "10.0"),
            (99.94, "99.9"),
            (99.96, "100"),
            (1234.4, "1234"),
            (f64::INFINITY, "∞"),
            (f64::NAN, "NE"),
            (-1.0, "NE"),
        ];
        for (x, want) in cases {
            assert_eq!(format_ratio(x), want, "format_ratio({x})");
        }
    }

    #[test]
    fn ratio_with_limits() {
        assert_eq!(
            format_ratio_ci(Some(1.5), None, Some(3.0)),
            "1.50 (NE–3.00)"
        );
        assert_eq!(format_ratio_ci(Some(f64::NAN), Some(1.0), Some(2.0)), "NE");
        // limits that print alike get more decimals
        assert_eq!(
            format_ratio_ci(Some(0.997_8), Some(0.996_6), Some(0.999_0)),
            "0.998 (0.997–0.999)"
        );
        assert_eq!(
            format_ratio_ci(Some(1.000_2), Some(0.999_91), Some(1.000_49)),
            "1.0002 (0.9999–1.0005)"
        );
        // a degenerate interval stays at 2 decimals
        assert_eq!(
            format_ratio_ci(Some(1.0), Some(1.0), Some(1.0)),
            "1.00 (1.00–1.00)"
        );
    }

    #[test]
    fn fixed_never_prints_negative_zero() {
        assert_eq!(fixed(-0.0, 1), "0.0");
        assert_eq!(fixed(-0.0004, 3), "0.000");
        assert_eq!(fixed(-0.0005001, 3), "-0.001");
        assert_eq!(format_fixed(-1.25, 1), "\u{2212}1.2");
        assert_eq!(trim_fixed_dec(2.50, 2), "2.5");
        assert_eq!(trim_fixed_dec(100.0, 2), "100");
    }
}
