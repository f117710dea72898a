//! Bar chart with points: a bar at each condition's mean, an error bar
//! (± SD, SE or a confidence half-width, as the caller computed it) and
//! every biological replicate as a point, the display recommended over
//! bars alone (Weissgerber et al., *Beyond bar and line graphs*, PLoS Biol
//! 2015;13:e1002128). Optional brackets print the P value of a comparison.
//!
//! The means, errors and P values are inputs: this module computes none.
//! Points are spread sideways in a fixed pattern (no random jitter), so
//! the same data always give the same figure.

use serde::{Deserialize, Serialize};

use crate::axis;
use crate::error::{finite, ReportError};
use crate::format::p_label;
use crate::scale::{nice_ticks, LinearScale};
use crate::style::{Style, GREY};
use crate::svg::{text_width, Anchor, Canvas, Stroke, Svg, TextStyle};

/// What the error bar shows (printed in the figure's note).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// Standard deviation.
    #[default]
    Sd,
    /// Standard error of the mean.
    Se,
    /// Half-width of a 95% confidence interval.
    Ci95,
}

impl ErrorKind {
    /// `mean ± SD`, `mean ± SE`, `mean ± 95% CI`.
    pub fn note(self) -> &'static str {
        match self {
            ErrorKind::Sd => "Bars: mean ± SD; points: replicates.",
            ErrorKind::Se => "Bars: mean ± SE; points: replicates.",
            ErrorKind::Ci95 => "Bars: mean with 95% CI; points: replicates.",
        }
    }
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarGroup {
    /// Label under the bar.
    pub label: String,
    /// Height of the bar (the mean).
    pub mean: f64,
    /// Error half-width (`>= 0`), drawn as `mean ± error`.
    pub error: Option<f64>,
    /// The replicate values.
    pub points: Vec<f64>,
}

/// A comparison bracket between bars `left` and `right` (indices).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bracket {
    /// First bar.
    pub left: usize,
    /// Second bar.
    pub right: usize,
    /// P value printed over the bracket.
    pub p: f64,
}

/// Options of a bar chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BarOptions {
    /// Size and type.
    pub style: Style,
    /// Title over the plot (default none).
    pub title: Option<String>,
    /// y-axis title.
    pub y_label: String,
    /// What the error bars show.
    pub error_kind: ErrorKind,
    /// Comparison brackets, drawn bottom-up in this order.
    pub brackets: Vec<Bracket>,
    /// Dashed horizontal reference (e.g. 100% viability of the control).
    pub reference_line: Option<f64>,
    /// Bar fill colours, one per bar (default light grey for all).
    pub colours: Vec<String>,
    /// Print the note saying what bars and points are (default true).
    pub note: bool,
}

impl Default for BarOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            title: None,
            y_label: "Viability (%)".to_string(),
            error_kind: ErrorKind::Sd,
            brackets: Vec::new(),
            reference_line: None,
            colours: Vec::new(),
            note: true,
        }
    }
}

/// Sideways offsets (in units of `spacing`) of `n` points: centred, in
/// input order.
fn offsets(n: usize) -> Vec<f64> {
    (0..n).map(|i| i as f64 - (n as f64 - 1.0) / 2.0).collect()
}

/// Bracket positions `(left, right, y, p)`: each one above the bars it
/// spans (with their points, error bars and the reference line) and above
/// the brackets drawn before it over any of those bars.
fn bracket_layout(
    groups: &[BarGroup],
    opts: &BarOptions,
    sy: &LinearScale,
    f: f64,
) -> Vec<(usize, usize, f64, f64)> {
    let mut floor_px: Vec<f64> = groups
        .iter()
        .map(|g| {
            let t = g
                .points
                .iter()
                .copied()
                .fold(g.mean + g.error.unwrap_or(0.0), f64::max)
                .max(opts.reference_line.unwrap_or(f64::NEG_INFINITY));
            sy.map(t)
        })
        .collect();
    let mut out = Vec::with_capacity(opts.brackets.len());
    for b in &opts.brackets {
        let (a, z) = if b.left <= b.right {
            (b.left, b.right)
        } else {
            (b.right, b.left)
        };
        let span_top = floor_px[a..=z]
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        let y = span_top - 0.8 * f;
        out.push((a, z, y, b.p));
        for v in &mut floor_px[a..=z] {
            *v = y - 1.1 * f;
        }
    }
    out
}

/// Renders a bar chart with points.
///
/// # Errors
///
/// [`ReportError::Empty`] without groups; [`ReportError::NonFinite`] for a
/// non-finite mean, error or point; [`ReportError::OutOfRange`] for a
/// negative error, a P value outside `[0, 1]` or a bracket index past the
/// last bar; [`ReportError::LengthMismatch`] when `colours` is given but
/// not one per bar.
///
/// # Example
///
/// ```
/// use oncomark_report::bars::{bar_chart, BarGroup, BarOptions, Bracket};
/// let groups = vec![
///     BarGroup { label: "Control".into(), mean: 100.0, error: Some(4.0), points: vec![96.0, 100.0, 104.0] },
///     BarGroup { label: "Trastuzumab".into(), mean: 62.0, error: Some(5.0), points: vec![57.0, 62.0, 67.0] },
/// ];
/// let opts = BarOptions { brackets: vec![Bracket { left: 0, right: 1, p: 0.0029 }], ..BarOptions::default() };
/// let svg = bar_chart(&groups, &opts)?;
/// assert!(svg.as_str().contains("P = 0.0029"));
/// # Ok::<(), oncomark_report::ReportError>(())
/// ```
pub fn bar_chart(groups: &[BarGroup], opts: &BarOptions) -> Result<Svg, ReportError> {
    let st = &opts.style;
    st.validate()?;
    if groups.is_empty() {
        return Err(ReportError::Empty {
            figure: "bar chart",
            what: "groups",
            item: "condition",
        });
    }
    for g in groups {
        let ctx = format!("bar {:?}", g.label);
        finite("mean", &ctx, g.mean)?;
        if let Some(e) = g.error {
            finite("error", &ctx, e)?;
            if e < 0.0 {
                return Err(ReportError::OutOfRange {
                    what: "error",
                    context: ctx,
                    value: e,
                    reason: "an error bar half-width is >= 0",
                });
            }
        }
        for &p in &g.points {
            finite("point", &ctx, p)?;
        }
    }
    for b in &opts.brackets {
        for idx in [b.left, b.right] {
            if idx >= groups.len() {
                return Err(ReportError::OutOfRange {
                    what: "bracket index",
                    context: format!("bracket {}-{}", b.left, b.right),
                    value: idx as f64,
                    reason: "bracket ends must be indices of bars (0-based)",
                });
            }
        }
        if !(0.0..=1.0).contains(&b.p) {
            return Err(ReportError::OutOfRange {
                what: "p",
                context: format!("bracket {}-{}", b.left, b.right),
                value: b.p,
                reason: "a P value lies in [0, 1]",
            });
        }
    }
    if !opts.colours.is_empty() && opts.colours.len() != groups.len() {
        return Err(ReportError::LengthMismatch {
            what: "colours",
            got: opts.colours.len(),
            expected: groups.len(),
            hint: "one colour per bar, or none",
        });
    }
    if let Some(r) = opts.reference_line {
        finite("reference_line", "options", r)?;
    }
    let f = st.font_size;
    let pad = 0.4 * f;

    // y domain from everything drawn
    let tops = groups.iter().map(|g| {
        let mut t = g.mean + g.error.unwrap_or(0.0);
        for &p in &g.points {
            t = t.max(p);
        }
        t
    });
    let bottoms = groups.iter().map(|g| {
        let mut b = (g.mean - g.error.unwrap_or(0.0)).min(0.0);
        for &p in &g.points {
            b = b.min(p);
        }
        b
    });
    let data_hi = tops.fold(opts.reference_line.unwrap_or(0.0), f64::max);
    let data_lo = bottoms.fold(opts.reference_line.unwrap_or(0.0).min(0.0), f64::min);
    let ticks = nice_ticks(data_lo, data_hi.max(data_lo + 1e-9), 6);

    // layout
    let left = pad + axis::y_axis_width(st, &ticks.labels, !opts.y_label.is_empty());
    let right = pad + 0.5 * f;
    let plot_w = (st.width - left - right).max(0.3 * st.width);
    let width = left + plot_w + right;
    let n = groups.len();
    let slot = plot_w / n as f64;
    let label_w = groups
        .iter()
        .map(|g| text_width(&g.label, f))
        .fold(0.0, f64::max);
    let rotate = label_w > slot * 0.95;
    let labels_h = if rotate { label_w * 0.72 + f } else { 1.6 * f };
    let plot_h = (plot_w * 0.6).clamp(10.0 * f, 28.0 * f);
    let mut top = pad;
    let title_y = axis::title_slot(st, opts.title.is_some(), &mut top);
    // brackets may rise above the plot: find how far with the plot at y = 0
    let probe = LinearScale {
        d0: ticks.first(),
        d1: ticks.last(),
        r0: plot_h,
        r1: 0.0,
    };
    let rise = bracket_layout(groups, opts, &probe, f)
        .iter()
        .map(|b| -(b.2 - 1.3 * f))
        .fold(0.0, f64::max);
    top += 0.6 * f + rise;
    let plot_y = top;
    let note_h = if opts.note { 1.5 * f } else { 0.0 };
    let height = plot_y + plot_h + st.tick_len() + labels_h + note_h + pad;
    let sy = LinearScale {
        d0: ticks.first(),
        d1: ticks.last(),
        r0: plot_y + plot_h,
        r1: plot_y,
    };
    let bar_w = slot * 0.6;
    let centre = |i: usize| left + slot * (i as f64 + 0.5);

    let mut c = Canvas::new(width, height);
    axis::title(&mut c, st, width, opts.title.as_deref(), title_y);
    let px_ticks = axis::px_ticks(&ticks, |v| sy.map(v));
    axis::y_axis(
        &mut c,
        st,
        left,
        plot_y,
        plot_y + plot_h,
        &px_ticks,
        Some(&opts.y_label),
        pad + 0.75 * f,
    );
    let y0 = sy.map(0.0_f64.clamp(ticks.first(), ticks.last()));
    let black = Stroke::solid("#000000", st.axis_width());
    for (i, g) in groups.iter().enumerate() {
        c.group_start("bar");
        let x = centre(i);
        let ym = sy.map(g.mean);
        let (y, h) = if ym < y0 {
            (ym, y0 - ym)
        } else {
            (y0, ym - y0)
        };
        let fill = opts.colours.get(i).map_or("#D9D9D9", |s| s.as_str());
        c.rect(x - bar_w / 2.0, y, bar_w, h, Some(fill), Some(&black));
        if let Some(e) = g.error {
            let (yl, yu) = (sy.map(g.mean - e), sy.map(g.mean + e));
            let cap = bar_w * 0.2;
            c.line(x, yl, x, yu, &black);
            c.line(x - cap, yu, x + cap, yu, &black);
            c.line(x - cap, yl, x + cap, yl, &black);
        }
        let k = g.points.len();
        let spacing = if k > 1 {
            (bar_w * 0.7 / (k as f64 - 1.0)).min(0.9 * f)
        } else {
            0.0
        };
        for (p, o) in g.points.iter().zip(offsets(k)) {
            c.circle(
                x + o * spacing,
                sy.map(*p),
                0.28 * f,
                "#000000",
                Some(&Stroke::solid("#ffffff", 0.8)),
            );
        }
        // label
        if rotate {
            c.text(
                x + 0.35 * f,
                plot_y + plot_h + st.tick_len() + 0.5 * f,
                &g.label,
                &TextStyle::new(f).anchor(Anchor::End).rotate(-45.0),
            );
        } else {
            c.text(
                x,
                plot_y + plot_h + st.tick_len() + 0.3 * f + 0.75 * f,
                &g.label,
                &TextStyle::new(f).anchor(Anchor::Middle),
            );
        }
        c.group_end();
    }
    c.line(left, y0, left + plot_w, y0, &black);
    if let Some(r) = opts.reference_line {
        let y = sy.map(r);
        c.line(
            left,
            y,
            left + plot_w,
            y,
            &Stroke::dashed(GREY, 1.0, 4.0, 3.0),
        );
    }
    for (a, z, y, p) in bracket_layout(groups, opts, &sy, f) {
        let (xa, xz) = (centre(a), centre(z));
        c.group_start("bracket");
        let s = Stroke::solid("#000000", 1.0);
        c.line(xa, y + 0.4 * f, xa, y, &s);
        c.line(xa, y, xz, y, &s);
        c.line(xz, y, xz, y + 0.4 * f, &s);
        c.text(
            (xa + xz) / 2.0,
            y - 0.3 * f,
            &p_label(p),
            &TextStyle::new(f).anchor(Anchor::Middle),
        );
        c.group_end();
    }
    if opts.note {
        c.text(
            left,
            height - pad - 0.3 * f,
            opts.error_kind.note(),
            &TextStyle::new(f).fill(GREY),
        );
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Bar chart".to_string());
    Ok(c.finish(Some(&title)))
}
