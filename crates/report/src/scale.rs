//! Axis scales and tick positions.
//!
//! Linear ticks follow Heckbert's "nice numbers" (P. S. Heckbert, *Nice
//! numbers for graph labels*, Graphics Gems, 1990): the step is 1, 2 or 5
//! times a power of ten, the one nearest to `range / (target - 1)` (we
//! skip Heckbert's rounding of the range itself, which can double the
//! step and leave half the axis empty); tick values are integer multiples of the step, computed as
//! `k * m * 10^e` so that they print exactly (no `0.30000000000000004`).
//! Log ticks (forest plots) use powers of two (0.25, 0.5, 1, 2, 4) while
//! they give at most 7 ticks, else 1-2-5 or powers of ten.

use crate::format::{fixed, format_fixed};

/// Maps a data interval linearly onto a pixel interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearScale {
    /// Data value at the start of the range.
    pub d0: f64,
    /// Data value at the end of the range.
    pub d1: f64,
    /// Pixel at `d0`.
    pub r0: f64,
    /// Pixel at `d1`.
    pub r1: f64,
}

impl LinearScale {
    /// The pixel of data value `v` (a degenerate domain maps to `r0`).
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 {
            return self.r0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }
}

/// Maps a positive data interval onto pixels on a log scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogScale {
    /// Data value (> 0) at the start of the range.
    pub d0: f64,
    /// Data value (> 0) at the end of the range.
    pub d1: f64,
    /// Pixel at `d0`.
    pub r0: f64,
    /// Pixel at `d1`.
    pub r1: f64,
}

impl LogScale {
    /// The pixel of data value `v > 0`.
    pub fn map(&self, v: f64) -> f64 {
        let span = (self.d1 / self.d0).ln();
        if span == 0.0 || v <= 0.0 {
            return self.r0;
        }
        self.r0 + (v / self.d0).ln() / span * (self.r1 - self.r0)
    }
}

/// Ticks of an axis: positions and their labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// Tick values in data units, ascending.
    pub values: Vec<f64>,
    /// Their labels (fixed decimals, minus sign U+2212).
    pub labels: Vec<String>,
}

impl Ticks {
    /// The first tick value (the axis start).
    pub fn first(&self) -> f64 {
        self.values.first().copied().unwrap_or(0.0)
    }

    /// The last tick value (the axis end).
    pub fn last(&self) -> f64 {
        self.values.last().copied().unwrap_or(1.0)
    }
}

/// Heckbert's nice number nearest to `x > 0`: 1, 2, 5 or 10 times a power
/// of ten. Returns `(mantissa, exponent)`.
fn nice(x: f64) -> (f64, i32) {
    let e = x.log10().floor() as i32;
    let f = x / 10f64.powi(e);
    if f < 1.5 {
        (1.0, e)
    } else if f < 3.0 {
        (2.0, e)
    } else if f < 7.0 {
        (5.0, e)
    } else {
        (1.0, e + 1)
    }
}

/// `k * m * 10^e`, computed so that decimal steps print exactly.
fn multiple(k: i64, m: f64, e: i32) -> f64 {
    let km = k as f64 * m;
    if e >= 0 {
        km * 10f64.powi(e)
    } else {
        km / 10f64.powi(-e)
    }
}

/// Decimals needed to print multiples of `m * 10^e` exactly.
fn decimals_for(m: f64, e: i32) -> usize {
    let step = multiple(1, m, e);
    let mut d = 0;
    while d < 10 {
        let x = step * 10f64.powi(d);
        if (x - x.round()).abs() <= 1e-9 * x.abs().max(1.0) {
            break;
        }
        d += 1;
    }
    d as usize
}

/// Nice linear ticks covering `[lo, hi]` (about `target` of them, at least
/// 2): the first tick is `<= lo`, the last `>= hi`.
///
/// # Example
///
/// ```
/// use oncomark_report::scale::nice_ticks;
/// let t = nice_ticks(0.0, 2659.0, 6);
/// assert_eq!(t.values, vec![0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0]);
/// let t = nice_ticks(0.0, 1.0, 6);
/// assert_eq!(t.labels, vec!["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
/// ```
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let (lo, hi) = sanitize(lo, hi);
    let target = target.max(2);
    let (m, e) = nice((hi - lo) / (target - 1) as f64);
    ticks_with_step(lo, hi, m, e)
}

/// Linear ticks at multiples of `step > 0` covering `[lo, hi]` (for time
/// axes in months: `step = 12`). Falls back to [`nice_ticks`] when `step`
/// would give more than 50 ticks or is not a positive finite number.
///
/// # Example
///
/// ```
/// use oncomark_report::scale::step_ticks;
/// let t = step_ticks(0.0, 40.0, 12.0);
/// assert_eq!(t.values, vec![0.0, 12.0, 24.0, 36.0, 48.0]);
/// ```
pub fn step_ticks(lo: f64, hi: f64, step: f64) -> Ticks {
    let (lo, hi) = sanitize(lo, hi);
    if !(step.is_finite() && step > 0.0) || (hi - lo) / step > 50.0 {
        return nice_ticks(lo, hi, 6);
    }
    // write the step as m * 10^e with m having at most 3 decimals
    let e = step.log10().floor() as i32;
    let m = ((step / 10f64.powi(e)) * 1000.0).round() / 1000.0;
    ticks_with_step(lo, hi, m, e)
}

fn sanitize(lo: f64, hi: f64) -> (f64, f64) {
    let lo = if lo.is_finite() { lo } else { 0.0 };
    let hi = if hi.is_finite() { hi } else { lo + 1.0 };
    let (lo, hi) = if hi < lo { (hi, lo) } else { (lo, hi) };
    if hi - lo <= f64::EPSILON * lo.abs().max(1.0) {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - if lo == 0.0 { 0.0 } else { pad }, hi + pad)
    } else {
        (lo, hi)
    }
}

fn ticks_with_step(lo: f64, hi: f64, m: f64, e: i32) -> Ticks {
    let step = multiple(1, m, e);
    // a little slack so that 2659.9999999 does not add a tick
    let eps = step * 1e-9;
    let k0 = ((lo + eps) / step).floor() as i64;
    let k1 = ((hi - eps) / step).ceil() as i64;
    let dec = decimals_for(m, e);
    let values: Vec<f64> = (k0..=k1.max(k0 + 1)).map(|k| multiple(k, m, e)).collect();
    let labels = values.iter().map(|&v| format_fixed(v, dec)).collect();
    Ticks { values, labels }
}

/// Ticks for a log axis covering `[lo, hi]` (`0 < lo < hi`): powers of two
/// when that gives at most 7 ticks, else 1-2-5 steps, else powers of ten.
/// The returned ticks lie inside `[lo, hi]`; the caller widens the domain
/// first if it wants ticks at the ends.
///
/// # Example
///
/// ```
/// use oncomark_report::scale::log_ticks;
/// let t = log_ticks(0.3, 5.0);
/// assert_eq!(t.labels, vec!["0.5", "1", "2", "4"]);
/// let t = log_ticks(0.01, 50.0);
/// assert_eq!(t.labels, vec!["0.01", "0.1", "1", "10"]);
/// ```
pub fn log_ticks(lo: f64, hi: f64) -> Ticks {
    let (lo, hi) = if lo > 0.0 && hi > lo && hi.is_finite() {
        (lo, hi)
    } else {
        (0.5, 2.0)
    };
    let inside = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
    let e_lo = lo.log10().floor() as i32 - 1;
    let e_hi = hi.log10().ceil() as i32 + 1;
    // powers of two
    let p_lo = lo.log2().floor() as i32;
    let p_hi = hi.log2().ceil() as i32;
    let pow2: Vec<f64> = (p_lo..=p_hi)
        .map(|p| 2f64.powi(p))
        .filter(|&v| inside(v))
        .collect();
    let decades = |ms: &[f64]| -> Vec<(f64, i32)> {
        let mut v = Vec::new();
        for e in e_lo..=e_hi {
            for &m in ms {
                if inside(multiple(1, m, e)) {
                    v.push((m, e));
                }
            }
        }
        v
    };
    let label_pow2 = |v: f64| {
        // 0.125 needs 3 decimals, 0.25 two, 4 none
        let mut d = 0;
        while d < 10 && (v * 10f64.powi(d)).fract() != 0.0 {
            d += 1;
        }
        fixed(v, d as usize)
    };
    if pow2.len() >= 2 && pow2.len() <= 7 {
        return Ticks {
            labels: pow2.iter().map(|&v| label_pow2(v)).collect(),
            values: pow2,
        };
    }
    let mut chosen = decades(&[1.0, 2.0, 5.0]);
    if chosen.len() > 7 {
        chosen = decades(&[1.0]);
    }
    if chosen.len() > 7 {
        let stride = chosen.len().div_ceil(7);
        // keep 1 (e = 0) on the grid when it is there
        let one = chosen
            .iter()
            .position(|&(m, e)| m == 1.0 && e == 0)
            .unwrap_or(0);
        chosen = chosen
            .into_iter()
            .enumerate()
            .filter(|(i, _)| (*i as i64 - one as i64).rem_euclid(stride as i64) == 0)
            .map(|(_, x)| x)
            .collect();
    }
    Ticks {
        values: chosen.iter().map(|&(m, e)| multiple(1, m, e)).collect(),
        labels: chosen
            .iter()
            .map(|&(m, e)| fixed(multiple(1, m, e), (-e).max(0) as usize))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_exact_multiples() {
        let t = nice_ticks(0.0, 0.7, 8);
        assert_eq!(
            t.labels,
            vec!["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"]
        );
        assert_eq!(t.values[3], 0.3); // not 0.30000000000000004
        let t = nice_ticks(-100.0, 63.0, 6);
        assert_eq!(t.first(), -100.0);
        assert!(t.last() >= 63.0);
        assert_eq!(t.labels[0], "\u{2212}100");
    }

    #[test]
    fn ticks_cover_the_range() {
        for &(lo, hi) in &[
            (0.0, 1.0),
            (0.0, 7.3),
            (0.0, 2659.0),
            (3.0, 3.0),
            (0.0, 1e-3),
            (-5.0, 0.0),
        ] {
            let t = nice_ticks(lo, hi, 6);
            assert!(
                t.first() <= lo && t.last() >= hi,
                "{lo}..{hi}: {:?}",
                t.values
            );
            assert!(
                t.values.len() >= 2 && t.values.len() <= 12,
                "{:?}",
                t.values
            );
            assert_eq!(t.values.len(), t.labels.len());
        }
    }

    #[test]
    fn step_ticks_for_months() {
        let t = step_ticks(0.0, 87.4, 12.0);
        assert_eq!(
            t.labels,
            vec!["0", "12", "24", "36", "48", "60", "72", "84", "96"]
        );
        let t = step_ticks(0.0, 3.0, 0.5);
        assert_eq!(
            t.labels,
            vec!["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"]
        );
        // a silly step falls back to nice ticks
        assert_eq!(step_ticks(0.0, 1000.0, 1.0).values.len(), 6);
    }

    #[test]
    fn log_ticks_choose_a_readable_grid() {
        assert_eq!(log_ticks(0.5, 2.0).labels, vec!["0.5", "1", "2"]);
        assert_eq!(
            log_ticks(0.1, 10.0).labels,
            vec!["0.125", "0.25", "0.5", "1", "2", "4", "8"]
        );
        // 1-2-5 would give 9 ticks: powers of ten
        assert_eq!(log_ticks(0.05, 20.0).labels, vec!["0.1", "1", "10"]);
        assert_eq!(log_ticks(0.3, 3.0).labels, vec!["0.5", "1", "2"]);
    }

    #[test]
    fn scales_map_ends() {
        let s = LinearScale {
            d0: 0.0,
            d1: 10.0,
            r0: 50.0,
            r1: 150.0,
        };
        assert_eq!(s.map(5.0), 100.0);
        let l = LogScale {
            d0: 0.25,
            d1: 4.0,
            r0: 0.0,
            r1: 100.0,
        };
        assert!((l.map(1.0) - 50.0).abs() < 1e-12);
    }
}
