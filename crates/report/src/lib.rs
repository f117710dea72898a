//! Renders oncomark results: SVG figures, journal-style numbers and a
//! self-contained HTML report.
//!
//! This crate draws and formats; it computes no statistic. Every number it
//! prints comes from its input: Kaplan-Meier fits and Cox terms from
//! `oncomark-survival`, P values and summaries computed by the caller.
//!
//! - [`format`](mod@format): P values (`<0.001`, `0.0034`), hazard ratios with
//!   confidence limits (`0.71 (0.55–0.91)`), fixed decimals.
//! - [`svg`]: a small deterministic SVG writer; [`scale`]: nice ticks;
//!   [`style`]: sizes and the Okabe-Ito palette.
//! - Figures: [`km`] (Kaplan-Meier with numbers at risk), [`forest`]
//!   (hazard ratios on a log axis), [`waterfall`] (best change in tumour
//!   size by RECIST category), [`bars`] (mean ± error with replicate
//!   points), [`dose`] (dose-response curves on a log-dose axis with a
//!   dose-0 slot), [`isobologram`] (normalised Chou-Talalay isobologram),
//!   [`faci`] (combination index against fraction affected), [`heatmap`]
//!   (synergy scores over a dose matrix), [`volcano`] (marker screens).
//! - [`study`]: the report of a study run (`index.html` and figure files)
//!   from `oncomark-study`'s results.
//! - [`html`]: one self-contained HTML page (inline CSS and SVG, no
//!   script, no external request).
//! - `png` (cargo feature `png`, off by default): rasterise a figure with
//!   `resvg`.
//!
//! ```
//! use oncomark_report::format::{format_p, format_ratio_ci};
//! assert_eq!(format_p(0.00342728), "0.0034");
//! assert_eq!(format_ratio_ci(Some(0.7073), Some(0.5479), Some(0.9131)), "0.71 (0.55–0.91)");
//! ```

mod axis;
pub mod bars;
pub mod dose;
mod error;
pub mod faci;
pub mod forest;
pub mod format;
pub mod heatmap;
pub mod html;
pub mod isobologram;
pub mod km;
mod labels;
mod marks;
#[cfg(feature = "png")]
pub mod png;
pub mod scale;
pub mod study;
pub mod style;
pub mod svg;
pub mod volcano;
pub mod waterfall;

pub use error::ReportError;
pub use style::Style;
pub use svg::Svg;
