//! Figure size, fonts and the colour-blind-safe palette.

use serde::{Deserialize, Serialize};

/// The Okabe-Ito palette (M. Okabe & K. Ito, *Color Universal Design*,
/// 2002; B. Wong, *Points of view: Color blindness*, Nat Methods 8:441,
/// 2011), distinguishable with every common colour-vision deficiency.
pub mod okabe_ito {
    /// Black.
    pub const BLACK: &str = "#000000";
    /// Orange.
    pub const ORANGE: &str = "#E69F00";
    /// Sky blue.
    pub const SKY_BLUE: &str = "#56B4E9";
    /// Bluish green.
    pub const BLUISH_GREEN: &str = "#009E73";
    /// Yellow (low contrast on white: used last).
    pub const YELLOW: &str = "#F0E442";
    /// Blue.
    pub const BLUE: &str = "#0072B2";
    /// Vermillion.
    pub const VERMILLION: &str = "#D55E00";
    /// Reddish purple.
    pub const REDDISH_PURPLE: &str = "#CC79A7";
}

/// Group colours in the order groups are drawn: blue and vermillion first
/// (they stay apart in greyscale too), yellow last.
pub const GROUP_COLOURS: [&str; 8] = [
    okabe_ito::BLUE,
    okabe_ito::VERMILLION,
    okabe_ito::BLUISH_GREEN,
    okabe_ito::REDDISH_PURPLE,
    okabe_ito::ORANGE,
    okabe_ito::SKY_BLUE,
    okabe_ito::BLACK,
    okabe_ito::YELLOW,
];

/// Colour of group `i` (the palette repeats after 8 groups).
pub fn group_colour(i: usize) -> &'static str {
    GROUP_COLOURS[i % GROUP_COLOURS.len()]
}

/// `colour` (`#rrggbb`) mixed with white: `amount = 0` gives the colour,
/// `1` white. Used for the points behind a mean. Anything that is not
/// `#rrggbb` is returned unchanged.
///
/// # Example
///
/// ```
/// use oncomark_report::style::tint;
/// assert_eq!(tint("#0072B2", 0.5), "#80b9d9");
/// assert_eq!(tint("#000000", 1.0), "#ffffff");
/// ```
pub fn tint(colour: &str, amount: f64) -> String {
    let hex = colour.strip_prefix('#').filter(|h| h.len() == 6);
    let Some(rgb) = hex.and_then(|h| u32::from_str_radix(h, 16).ok()) else {
        return colour.to_string();
    };
    let a = if amount.is_finite() {
        amount.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |shift: u32| {
        let c = f64::from((rgb >> shift) & 0xff);
        (c + (255.0 - c) * a).round() as u8
    };
    format!("#{:02x}{:02x}{:02x}", mix(16), mix(8), mix(0))
}

/// Grey for axes' reference lines and secondary text.
pub const GREY: &str = "#555555";
/// Light grey for "not evaluable" and backgrounds.
pub const LIGHT_GREY: &str = "#BBBBBB";

/// Size and type of a figure.
///
/// All lengths are CSS px of the SVG's `viewBox`; the layout scales with
/// `font_size`. The default (640 px wide, 14 px type) reads well on
/// screen and at a two-column width (170 mm: 14 px prints as 10.5 pt);
/// [`Style::column`] (480 px, 14 px type) keeps type at 7 pt or more when
/// the figure is printed one journal column wide (85 mm).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Style {
    /// Figure width in px.
    pub width: f64,
    /// Base font size in px (tick labels, tables, legends); titles are 15%
    /// larger. At least 11.
    pub font_size: f64,
    /// Stroke width of curves in px.
    pub line_width: f64,
}

impl Default for Style {
    fn default() -> Self {
        Self {
            width: 640.0,
            font_size: 14.0,
            line_width: 2.0,
        }
    }
}

impl Style {
    /// For print at one journal column (85 mm): 480 px wide with 14 px
    /// type, so that type prints at 7 pt.
    pub fn column() -> Self {
        Self {
            width: 480.0,
            font_size: 14.0,
            line_width: 1.75,
        }
    }

    /// Checks the sizes.
    pub(crate) fn validate(&self) -> Result<(), crate::ReportError> {
        let bad =
            |what: &'static str, v: f64, reason: &'static str| crate::ReportError::BadOption {
                what,
                value: v.to_string(),
                reason,
            };
        if !(self.width.is_finite() && (200.0..=4000.0).contains(&self.width)) {
            return Err(bad(
                "style.width",
                self.width,
                "use a width between 200 and 4000 px",
            ));
        }
        if !(self.font_size.is_finite() && (11.0..=48.0).contains(&self.font_size)) {
            return Err(bad(
                "style.font_size",
                self.font_size,
                "use a font size between 11 and 48 px (smaller type is unreadable in print)",
            ));
        }
        if !(self.line_width.is_finite() && self.line_width > 0.0 && self.line_width <= 10.0) {
            return Err(bad(
                "style.line_width",
                self.line_width,
                "use a line width in (0, 10] px",
            ));
        }
        Ok(())
    }

    /// Title size.
    pub(crate) fn title_size(&self) -> f64 {
        self.font_size * 1.15
    }

    /// Stroke width of axes and ticks.
    pub(crate) fn axis_width(&self) -> f64 {
        (self.font_size / 14.0).max(1.0)
    }

    /// Tick length.
    pub(crate) fn tick_len(&self) -> f64 {
        self.font_size * 0.4
    }
}
