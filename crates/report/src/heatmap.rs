//! Synergy heat map: a score for every dose pair of a combination matrix
//! (Bliss, HSA, Loewe, ZIP), coloured on a diverging scale with a colour
//! bar, the value printed in each cell.
//!
//! Drug A's doses run up the rows (lowest at the bottom), drug B's along
//! the columns, as SynergyFinder shows them (Ianevski et al.,
//! Bioinformatics 33:2413-2415, 2017). The palette is ColorBrewer's RdBu
//! (C. A. Brewer, colorbrewer2.org; Harrower & Brewer, *ColorBrewer.org:
//! an online tool for selecting colour schemes for maps*, The Cartographic
//! Journal 40:27-37, 2003), a diverging scheme marked safe for colour-blind
//! readers: red for positive scores (synergy), blue for negative
//! (antagonism), near-white for 0. The scale is symmetric about 0, so equal
//! colours mean equal magnitudes. Each value is printed in black or white,
//! whichever contrasts more with its cell. A missing score is a grey cell.
//!
//! The scores are inputs: this module computes no reference model.

use serde::{Deserialize, Serialize};

use crate::axis;
use crate::error::{finite, ReportError};
use crate::format::{format_compact, format_fixed};
use crate::scale::nice_ticks;
use crate::style::{Style, GREY};
use crate::svg::{text_width, Anchor, Canvas, Stroke, Svg, TextStyle};

/// ColorBrewer RdBu, 11 classes, from the negative end (blue) to the
/// positive end (red).
const RDBU: [(u8, u8, u8); 11] = [
    (0x05, 0x30, 0x61),
    (0x21, 0x66, 0xac),
    (0x43, 0x93, 0xc3),
    (0x92, 0xc5, 0xde),
    (0xd1, 0xe5, 0xf0),
    (0xf7, 0xf7, 0xf7),
    (0xfd, 0xdb, 0xc7),
    (0xf4, 0xa5, 0x82),
    (0xd6, 0x60, 0x4d),
    (0xb2, 0x18, 0x2b),
    (0x67, 0x00, 0x1f),
];

/// Fill of missing cells.
const MISSING: &str = "#D9D9D9";

fn rgb_at(t: f64) -> (f64, f64, f64) {
    let t = if t.is_finite() {
        t.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let pos = (t + 1.0) / 2.0 * (RDBU.len() - 1) as f64;
    let i = (pos.floor() as usize).min(RDBU.len() - 2);
    let w = pos - i as f64;
    let (a, b) = (RDBU[i], RDBU[i + 1]);
    let mix = |x: u8, y: u8| f64::from(x) + (f64::from(y) - f64::from(x)) * w;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The colour of `t` in `[-1, 1]` (clamped; non-finite is 0) on the
/// diverging RdBu scale: `-1` dark blue, `0` near-white, `1` dark red,
/// interpolated linearly in sRGB between ColorBrewer's 11 classes.
///
/// # Example
///
/// ```
/// use oncomark_report::heatmap::diverging_colour;
/// assert_eq!(diverging_colour(0.0), "#f7f7f7");
/// assert_eq!(diverging_colour(1.0), "#67001f");
/// assert_eq!(diverging_colour(-2.0), "#053061");
/// ```
pub fn diverging_colour(t: f64) -> String {
    let (r, g, b) = rgb_at(t);
    format!(
        "#{:02x}{:02x}{:02x}",
        r.round() as u8,
        g.round() as u8,
        b.round() as u8
    )
}

/// Relative luminance (WCAG 2.x) of an sRGB colour given as 0-255 values.
fn luminance(r: f64, g: f64, b: f64) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// Black or white, whichever has the higher WCAG contrast on the colour of
/// `t` (see [`diverging_colour`]).
pub fn text_colour_on(t: f64) -> &'static str {
    let (r, g, b) = rgb_at(t);
    let l = luminance(r, g, b);
    // contrast with black (l + 0.05) / 0.05 against white 1.05 / (l + 0.05)
    if (l + 0.05) * (l + 0.05) >= 0.05 * 1.05 {
        "#000000"
    } else {
        "#ffffff"
    }
}

/// Scores over a dose matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynergyMatrix {
    /// Doses of drug A, one per row, ascending (drawn bottom to top).
    pub dose_a: Vec<f64>,
    /// Doses of drug B, one per column, ascending (drawn left to right).
    pub dose_b: Vec<f64>,
    /// `values[i][j]`: the score at `(dose_a[i], dose_b[j])`; `None` when
    /// not scored.
    pub values: Vec<Vec<Option<f64>>>,
}

/// Options of a synergy heat map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeatmapOptions {
    /// Size and type.
    pub style: Style,
    /// Title over the plot (default none).
    pub title: Option<String>,
    /// x-axis title (drug B; say the unit).
    pub x_label: String,
    /// y-axis title (drug A; say the unit).
    pub y_label: String,
    /// Title over the colour bar (e.g. `Bliss score`).
    pub legend_title: String,
    /// Scores at `±limit` get the darkest colours (default: the largest
    /// absolute score, rounded up to a tick).
    pub limit: Option<f64>,
    /// Decimals of the printed values (default 1).
    pub decimals: usize,
    /// Print the values in the cells (default true).
    pub show_values: bool,
}

impl Default for HeatmapOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            title: None,
            x_label: "Drug B dose".to_string(),
            y_label: "Drug A dose".to_string(),
            legend_title: "Synergy score".to_string(),
            limit: None,
            decimals: 1,
            show_values: true,
        }
    }
}

/// A rendered heat map.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapFigure {
    /// The figure.
    pub svg: Svg,
    /// The colour scale runs from `-limit` to `limit`.
    pub limit: f64,
    /// The text printed in each cell, `[row][column]` as in the input
    /// (empty for missing cells or when values are hidden).
    pub cell_text: Vec<Vec<String>>,
}

fn check(m: &SynergyMatrix, opts: &HeatmapOptions) -> Result<(), ReportError> {
    opts.style.validate()?;
    if m.dose_a.is_empty() || m.dose_b.is_empty() {
        return Err(ReportError::Empty {
            figure: "synergy heat map",
            what: "doses",
            item: "dose of each drug",
        });
    }
    if m.values.len() != m.dose_a.len() {
        return Err(ReportError::LengthMismatch {
            what: "values",
            got: m.values.len(),
            expected: m.dose_a.len(),
            hint: "one row of values per dose of drug A",
        });
    }
    for row in &m.values {
        if row.len() != m.dose_b.len() {
            return Err(ReportError::LengthMismatch {
                what: "values row",
                got: row.len(),
                expected: m.dose_b.len(),
                hint: "one value per dose of drug B",
            });
        }
    }
    for (i, d) in m.dose_a.iter().enumerate() {
        finite("dose_a", &format!("row {i}"), *d)?;
    }
    for (j, d) in m.dose_b.iter().enumerate() {
        finite("dose_b", &format!("column {j}"), *d)?;
    }
    for (i, row) in m.values.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            if let Some(v) = v {
                finite("value", &format!("row {i}, column {j}"), *v)?;
            }
        }
    }
    if m.values.iter().flatten().all(|v| v.is_none()) {
        return Err(ReportError::Empty {
            figure: "synergy heat map",
            what: "values",
            item: "score",
        });
    }
    if let Some(l) = opts.limit {
        if !(l.is_finite() && l > 0.0) {
            return Err(ReportError::BadOption {
                what: "limit",
                value: l.to_string(),
                reason: "the colour limit is a positive finite number",
            });
        }
    }
    if opts.decimals > 6 {
        return Err(ReportError::BadOption {
            what: "decimals",
            value: opts.decimals.to_string(),
            reason: "use 0 to 6 decimals",
        });
    }
    Ok(())
}

/// Renders a synergy heat map.
///
/// # Errors
///
/// [`ReportError::Empty`] without doses or without any score;
/// [`ReportError::LengthMismatch`] when `values` is not one row per dose of
/// A and one value per dose of B; [`ReportError::NonFinite`] for a
/// non-finite dose or score; [`ReportError::BadOption`] for a bad `limit`,
/// `decimals` or style.
///
/// # Example
///
/// ```
/// use oncomark_report::heatmap::{synergy_heatmap, HeatmapOptions, SynergyMatrix};
/// let m = SynergyMatrix {
///     dose_a: vec![0.1, 1.0],
///     dose_b: vec![1.0, 10.0],
///     values: vec![vec![Some(3.27), Some(-2.5)], vec![Some(12.0), None]],
/// };
/// let fig = synergy_heatmap(&m, &HeatmapOptions::default())?;
/// assert_eq!(fig.cell_text[0], vec!["3.3", "\u{2212}2.5"]);
/// // the largest |score|, 12, rounded up to a tick of the colour bar
/// assert_eq!(fig.limit, 15.0);
/// # Ok::<(), oncomark_report::ReportError>(())
/// ```
pub fn synergy_heatmap(
    m: &SynergyMatrix,
    opts: &HeatmapOptions,
) -> Result<HeatmapFigure, ReportError> {
    check(m, opts)?;
    let st = &opts.style;
    let f = st.font_size;
    let pad = 0.4 * f;
    let (nr, nc) = (m.dose_a.len(), m.dose_b.len());

    // colour scale
    let max_abs = m
        .values
        .iter()
        .flatten()
        .flatten()
        .fold(0.0, |a: f64, v| a.max(v.abs()));
    let limit = match opts.limit {
        Some(l) => l,
        None if max_abs > 0.0 => nice_ticks(0.0, max_abs, 5).last(),
        None => 1.0,
    };
    let legend_ticks = nice_ticks(-limit, limit, 7);
    let legend_pairs: Vec<(f64, String)> = legend_ticks
        .values
        .iter()
        .zip(&legend_ticks.labels)
        .filter(|(v, _)| v.abs() <= limit * (1.0 + 1e-9))
        .map(|(v, l)| (*v, l.clone()))
        .collect();

    // texts
    let cell_text: Vec<Vec<String>> = m
        .values
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| match v {
                    Some(v) if opts.show_values => format_fixed(*v, opts.decimals),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    let a_labels: Vec<String> = m.dose_a.iter().map(|d| format_compact(*d, 3)).collect();
    let b_labels: Vec<String> = m.dose_b.iter().map(|d| format_compact(*d, 3)).collect();

    // horizontal layout: y title, row labels, grid, colour bar, its labels
    let a_label_w = a_labels
        .iter()
        .map(|l| text_width(l, f))
        .fold(0.0, f64::max);
    let y_title_w = if opts.y_label.is_empty() {
        0.0
    } else {
        1.5 * f
    };
    let left = pad + y_title_w + a_label_w + 0.5 * f;
    let bar_w = 1.1 * f;
    let tick_w = legend_pairs
        .iter()
        .map(|t| text_width(&t.1, f))
        .fold(0.0, f64::max);
    let words_w = text_width("antagonism", f * 0.9);
    let legend_w = (bar_w + 0.4 * f + tick_w)
        .max(text_width(&opts.legend_title, f))
        .max(words_w);
    let legend_gap = 1.5 * f;
    let avail = st.width - left - legend_gap - legend_w - pad - 0.4 * f;
    let widest_b = b_labels
        .iter()
        .map(|l| text_width(l, f))
        .fold(0.0, f64::max);
    let cell = (avail / nc as f64)
        .min(5.0 * f)
        .max(1.8 * f)
        .max(widest_b + 0.4 * f);
    let grid_w = cell * nc as f64;
    let grid_h = cell * nr as f64;
    let right = pad + 0.4 * f;
    let width = left + grid_w + legend_gap + legend_w + right;

    // value type size: as large as the base size, shrunk to fit the cells
    let widest_value = cell_text
        .iter()
        .flatten()
        .map(|t| text_width(t, 1.0))
        .fold(0.0, f64::max);
    let value_size = if widest_value > 0.0 {
        f.min(cell * 0.86 / widest_value)
    } else {
        f
    };
    let show_values = opts.show_values && value_size >= 9.0;

    // vertical layout
    let mut top = pad;
    let title_y = axis::title_slot(st, opts.title.is_some(), &mut top);
    // the colour bar's title and the word "synergy" above it
    let legend_head = 2.9 * f;
    let grid_y = top + legend_head;
    let x_labels_h = st.tick_len() + 0.3 * f + f;
    let x_title_h = if opts.x_label.is_empty() {
        0.0
    } else {
        1.55 * f
    };
    let any_missing = m.values.iter().flatten().any(|v| v.is_none());
    let note_h = if any_missing { 1.5 * f } else { 0.0 };
    let bar_h = grid_h.max(8.0 * f);
    let legend_bottom = grid_y + bar_h + 1.8 * f;
    let height = (grid_y + grid_h + x_labels_h + x_title_h + note_h + pad).max(legend_bottom + pad);

    let mut c = Canvas::new(width, height);
    axis::title(&mut c, st, width, opts.title.as_deref(), title_y);
    // cells: row i from the bottom
    let cell_x = |j: usize| left + cell * j as f64;
    let cell_y = |i: usize| grid_y + grid_h - cell * (i as f64 + 1.0);
    let white = Stroke::solid("#ffffff", 1.5);
    c.group_start("cells");
    for (i, row) in m.values.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let fill = match v {
                Some(v) => diverging_colour(v / limit),
                None => MISSING.to_string(),
            };
            c.rect(cell_x(j), cell_y(i), cell, cell, Some(&fill), Some(&white));
        }
    }
    c.group_end();
    if show_values {
        c.group_start("cell-values");
        for (i, row) in m.values.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if let Some(v) = v {
                    c.text(
                        cell_x(j) + cell / 2.0,
                        cell_y(i) + cell / 2.0 + 0.35 * value_size,
                        &cell_text[i][j],
                        &TextStyle::new(value_size)
                            .anchor(Anchor::Middle)
                            .fill(text_colour_on(v / limit)),
                    );
                }
            }
        }
        c.group_end();
    }
    // dose labels and axis titles
    let black = Stroke::solid("#000000", st.axis_width());
    c.group_start("x-axis");
    let base = grid_y + grid_h;
    for (j, l) in b_labels.iter().enumerate() {
        let x = cell_x(j) + cell / 2.0;
        c.line(x, base, x, base + st.tick_len(), &black);
        c.text(
            x,
            base + st.tick_len() + 0.3 * f + 0.75 * f,
            l,
            &TextStyle::new(f).anchor(Anchor::Middle),
        );
    }
    if !opts.x_label.is_empty() {
        c.text(
            left + grid_w / 2.0,
            base + x_labels_h + 0.55 * f + 0.75 * f,
            &opts.x_label,
            &TextStyle::new(f).anchor(Anchor::Middle),
        );
    }
    c.group_end();
    c.group_start("y-axis");
    for (i, l) in a_labels.iter().enumerate() {
        let y = cell_y(i) + cell / 2.0;
        c.line(left - st.tick_len(), y, left, y, &black);
        c.text(
            left - st.tick_len() - 0.3 * f,
            y + 0.35 * f,
            l,
            &TextStyle::new(f).anchor(Anchor::End),
        );
    }
    if !opts.y_label.is_empty() {
        c.text(
            pad + 0.75 * f,
            grid_y + grid_h / 2.0,
            &opts.y_label,
            &TextStyle::new(f).anchor(Anchor::Middle).rotate(-90.0),
        );
    }
    c.group_end();
    // colour bar: slices from +limit (top) to -limit (bottom)
    let lx = left + grid_w + legend_gap;
    let bar_y = grid_y;
    c.group_start("colour-bar");
    c.text(lx, bar_y - 2.05 * f, &opts.legend_title, &TextStyle::new(f));
    let word = TextStyle::new(f * 0.9).italic().fill(GREY);
    c.text(lx, bar_y - 0.85 * f, "synergy", &word);
    let slices = 128;
    let h = bar_h / slices as f64;
    for k in 0..slices {
        let t = 1.0 - (k as f64 + 0.5) / slices as f64 * 2.0;
        let y = bar_y + h * k as f64;
        // a hair of overlap hides seams between slices
        let overlap = if k + 1 < slices { 0.4 } else { 0.0 };
        c.rect(lx, y, bar_w, h + overlap, Some(&diverging_colour(t)), None);
    }
    c.rect(
        lx,
        bar_y,
        bar_w,
        bar_h,
        None,
        Some(&Stroke::solid("#000000", 0.8)),
    );
    for (v, l) in &legend_pairs {
        let y = bar_y + bar_h * (1.0 - (v + limit) / (2.0 * limit));
        c.line(
            lx + bar_w,
            y,
            lx + bar_w + 0.3 * f,
            y,
            &Stroke::solid("#000000", 0.8),
        );
        c.text(lx + bar_w + 0.4 * f, y + 0.35 * f, l, &TextStyle::new(f));
    }
    c.text(lx, bar_y + bar_h + 1.55 * f, "antagonism", &word);
    c.group_end();
    if any_missing {
        c.text(
            left,
            height - pad - 0.3 * f,
            "Grey: not scored.",
            &TextStyle::new(f).fill(GREY),
        );
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Synergy heat map".to_string());
    Ok(HeatmapFigure {
        svg: c.finish(Some(&title)),
        limit,
        cell_text,
    })
}
