//! Forest plot: hazard (or odds) ratios with confidence intervals on a log
//! axis, with label, count, estimate and P columns.
//!
//! Each row prints its label, optionally `n (events)`, the estimate as
//! `0.69 (0.54–0.89)` and its P value in journal style
//! ([`crate::format`]). The point is a square, its area proportional to
//! the row's `weight` when given (Lewis & Clarke, *Forest plots: trying to
//! see the wood and the trees*, BMJ 2001;322:1479-80). The x axis is
//! logarithmic with a reference line at 1. A limit beyond the axis (or
//! infinite, or 0) is drawn as an arrow at the axis end; a missing
//! estimate (`None` or NaN) prints `NE` and draws nothing, with a footnote.

use serde::{Deserialize, Serialize};

use oncomark_survival::cox::{CoxFit, CoxTerm, TermStatus};

use crate::axis;
use crate::error::ReportError;
use crate::format::{format_p, format_ratio_ci};
use crate::scale::{log_ticks, LogScale};
use crate::style::{Style, GREY};
use crate::svg::{text_width, Anchor, Canvas, PathData, Stroke, Svg, TextStyle};

/// What a row of a forest plot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A ratio with its interval.
    #[default]
    Estimate,
    /// A heading (e.g. a variable whose levels follow), in bold.
    Header,
    /// The reference level of a factor: prints `1 (reference)`.
    Reference,
}

/// One row of a forest plot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ForestRow {
    /// Label in the first column.
    pub label: String,
    /// Kind of row.
    pub kind: RowKind,
    /// Indentation level of the label (0, 1, 2).
    pub indent: u8,
    /// The ratio (`None` or NaN: not estimable).
    pub estimate: Option<f64>,
    /// Lower confidence limit (`None`/NaN: missing; 0: unbounded).
    pub lower: Option<f64>,
    /// Upper confidence limit (`None`/NaN: missing; `inf`: unbounded).
    pub upper: Option<f64>,
    /// P value.
    pub p: Option<f64>,
    /// Subjects.
    pub n: Option<u32>,
    /// Events.
    pub events: Option<u32>,
    /// Weight: the square's area is proportional to it (e.g. events or
    /// inverse variance).
    pub weight: Option<f64>,
}

impl ForestRow {
    /// A ratio row.
    pub fn estimate(label: &str, est: f64, lower: f64, upper: f64, p: Option<f64>) -> Self {
        Self {
            label: label.to_string(),
            estimate: Some(est),
            lower: Some(lower),
            upper: Some(upper),
            p,
            ..Self::default()
        }
    }

    /// A heading row.
    pub fn header(label: &str) -> Self {
        Self {
            label: label.to_string(),
            kind: RowKind::Header,
            ..Self::default()
        }
    }

    /// A reference-level row (`1 (reference)`), indented once.
    pub fn reference(label: &str) -> Self {
        Self {
            label: label.to_string(),
            kind: RowKind::Reference,
            indent: 1,
            ..Self::default()
        }
    }

    /// The row of a Cox term: hazard ratio, limits and Wald P as fitted.
    /// A term whose estimate is infinite or not estimable gets no number
    /// (prints `NE`).
    pub fn from_cox_term(term: &CoxTerm) -> Self {
        let ok = term.status == TermStatus::Estimated;
        Self {
            label: term.term.clone(),
            estimate: term.hr.filter(|_| ok),
            lower: term.hr_lower.filter(|_| ok),
            upper: term.hr_upper.filter(|_| ok),
            p: term.p.filter(|_| ok),
            ..Self::default()
        }
    }

    /// One row per term of a Cox model, in model order.
    pub fn from_cox(fit: &CoxFit) -> Vec<Self> {
        fit.terms.iter().map(Self::from_cox_term).collect()
    }

    fn est(&self) -> Option<f64> {
        self.estimate.filter(|x| !x.is_nan())
    }
}

/// Options of a forest plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForestOptions {
    /// Size and type.
    pub style: Style,
    /// Title over the plot (default none).
    pub title: Option<String>,
    /// x-axis title.
    pub x_label: String,
    /// Heading of the label column.
    pub label_header: String,
    /// Heading of the count column (shown when any row has `n`).
    pub n_header: String,
    /// Heading of the estimate column.
    pub estimate_header: String,
    /// Heading of the P column (shown when any row has `p`).
    pub p_header: String,
    /// Axis limits `(lo, hi)`, `0 < lo < 1 < hi` (default: from the data,
    /// at least 0.5-2 and at most 0.01-100).
    pub x_limits: Option<(f64, f64)>,
    /// Words under the axis, left and right of 1 (e.g. "Favours
    /// treatment", "Favours control").
    pub favours: Option<(String, String)>,
    /// Colour of squares and lines.
    pub colour: String,
}

impl Default for ForestOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            title: None,
            x_label: "Hazard ratio (log scale)".to_string(),
            label_header: String::new(),
            n_header: "n (events)".to_string(),
            estimate_header: "HR (95% CI)".to_string(),
            p_header: "P".to_string(),
            x_limits: None,
            favours: None,
            colour: "#000000".to_string(),
        }
    }
}

/// A rendered forest plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestFigure {
    /// The figure.
    pub svg: Svg,
    /// The axis limits used.
    pub x_limits: (f64, f64),
    /// The estimate column as printed, one entry per row (empty for
    /// headers).
    pub estimate_text: Vec<String>,
    /// The P column as printed, one entry per row.
    pub p_text: Vec<String>,
}

fn check(rows: &[ForestRow], opts: &ForestOptions) -> Result<(), ReportError> {
    opts.style.validate()?;
    if rows.is_empty() {
        return Err(ReportError::Empty {
            figure: "forest plot",
            what: "rows",
            item: "row",
        });
    }
    for r in rows {
        for (what, v) in [
            ("estimate", r.estimate),
            ("lower", r.lower),
            ("upper", r.upper),
            ("weight", r.weight),
        ] {
            if let Some(v) = v {
                if v < 0.0 || (what == "weight" && !v.is_finite()) {
                    return Err(ReportError::OutOfRange {
                        what,
                        context: format!("row {:?}", r.label),
                        value: v,
                        reason: "ratios, limits and weights are >= 0 (weights finite)",
                    });
                }
            }
        }
        if let Some(p) = r.p {
            if !(0.0..=1.0).contains(&p) {
                return Err(ReportError::OutOfRange {
                    what: "p",
                    context: format!("row {:?}", r.label),
                    value: p,
                    reason: "a P value lies in [0, 1]",
                });
            }
        }
        if let (Some(lo), Some(hi)) = (r.lower, r.upper) {
            if lo > hi {
                return Err(ReportError::OutOfRange {
                    what: "lower",
                    context: format!("row {:?}", r.label),
                    value: lo,
                    reason: "the lower limit exceeds the upper limit",
                });
            }
        }
    }
    if let Some((lo, hi)) = opts.x_limits {
        if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && lo < 1.0 && hi > 1.0) {
            return Err(ReportError::BadOption {
                what: "x_limits",
                value: format!("({lo}, {hi})"),
                reason: "use finite limits with 0 < lo < 1 < hi",
            });
        }
    }
    Ok(())
}

/// Estimate column text of a row.
fn estimate_text(r: &ForestRow) -> String {
    match r.kind {
        RowKind::Header => String::new(),
        RowKind::Reference => "1 (reference)".to_string(),
        RowKind::Estimate => {
            let clean = |x: Option<f64>| x.filter(|v| !v.is_nan());
            format_ratio_ci(r.est(), clean(r.lower), clean(r.upper))
        }
    }
}

/// Renders a forest plot of `rows`, top to bottom.
///
/// # Errors
///
/// [`ReportError::Empty`] without rows; [`ReportError::OutOfRange`] for a
/// negative ratio, limit or weight, a lower limit above the upper one or
/// a P value outside `[0, 1]`; [`ReportError::BadOption`] for bad
/// `x_limits` or style.
///
/// # Example
///
/// ```
/// use oncomark_report::forest::{forest_plot, ForestOptions, ForestRow};
/// let rows = vec![
///     ForestRow::header("Tumour grade"),
///     ForestRow::reference("I"),
///     ForestRow { indent: 1, ..ForestRow::estimate("II", 1.89, 1.13, 3.16, Some(0.015)) },
///     ForestRow::estimate("Nodes (per node)", 1.05, 1.03, 1.07, Some(1e-6)),
/// ];
/// let fig = forest_plot(&rows, &ForestOptions::default())?;
/// assert_eq!(fig.estimate_text[2], "1.89 (1.13–3.16)");
/// assert_eq!(fig.p_text[3], "<0.001");
/// # Ok::<(), oncomark_report::ReportError>(())
/// ```
pub fn forest_plot(rows: &[ForestRow], opts: &ForestOptions) -> Result<ForestFigure, ReportError> {
    check(rows, opts)?;
    let st = &opts.style;
    let f = st.font_size;
    let pad = 0.4 * f;
    let gap = 1.0 * f;

    // domain
    let (lo, hi) = match opts.x_limits {
        Some(l) => l,
        None => {
            let vals = rows
                .iter()
                .flat_map(|r| [r.est(), r.lower, r.upper])
                .flatten()
                .filter(|v| v.is_finite() && *v > 0.0);
            let (mut lo, mut hi) = (0.5f64, 2.0f64);
            for v in vals {
                lo = lo.min(v / 1.1);
                hi = hi.max(v * 1.1);
            }
            (lo.max(0.01), hi.min(100.0))
        }
    };
    let ticks = log_ticks(lo, hi);

    // texts
    let est_text: Vec<String> = rows.iter().map(estimate_text).collect();
    let p_text: Vec<String> = rows
        .iter()
        .map(|r| match (r.kind, r.p) {
            (RowKind::Estimate, Some(p)) => format_p(p),
            _ => String::new(),
        })
        .collect();
    let n_text: Vec<String> = rows
        .iter()
        .map(|r| match (r.n, r.events) {
            (Some(n), Some(e)) => format!("{n} ({e})"),
            (Some(n), None) => n.to_string(),
            (None, Some(e)) => format!("– ({e})"),
            (None, None) => String::new(),
        })
        .collect();
    let show_n = n_text.iter().any(|t| !t.is_empty());
    let show_p = p_text.iter().any(|t| !t.is_empty());
    let any_ne = est_text.iter().any(|t| t.contains("NE"));

    // column widths
    let indent_w = 1.2 * f;
    let label_w = rows
        .iter()
        .map(|r| {
            let w = text_width(&r.label, f) * if r.kind == RowKind::Header { 1.08 } else { 1.0 };
            f64::from(r.indent) * indent_w + w
        })
        .fold(text_width(&opts.label_header, f) * 1.08, f64::max);
    let col_w = |texts: &[String], header: &str| {
        texts
            .iter()
            .map(|t| text_width(t, f))
            .fold(text_width(header, f) * 1.08, f64::max)
    };
    let n_w = if show_n {
        col_w(&n_text, &opts.n_header)
    } else {
        0.0
    };
    let est_w = col_w(&est_text, &opts.estimate_header);
    let p_w = if show_p {
        col_w(&p_text, &opts.p_header)
    } else {
        0.0
    };
    let fixed_w = pad
        + label_w
        + gap
        + if show_n { n_w + gap } else { 0.0 }
        + gap
        + est_w
        + if show_p { gap + p_w } else { 0.0 }
        + pad;
    let plot_w = (st.width - fixed_w).max(0.3 * st.width).max(8.0 * f);
    let width = fixed_w + plot_w;
    let x_label = pad;
    let x_n_right = pad + label_w + gap + n_w;
    let plot_x = if show_n {
        x_n_right + gap
    } else {
        pad + label_w + gap
    };
    let x_est = plot_x + plot_w + gap;
    let x_p_right = x_est + est_w + gap + p_w;

    // rows
    let row_h = 1.55 * f;
    let mut top = pad;
    let title_y = axis::title_slot(st, opts.title.is_some(), &mut top);
    let header_base = top + f;
    let rows_top = top + row_h + 0.2 * f;
    let plot_bottom = rows_top + row_h * rows.len() as f64 + 0.3 * f;
    let axis_h = axis::x_axis_height(st, !opts.x_label.is_empty());
    let favours_h = if opts.favours.is_some() { 1.4 * f } else { 0.0 };
    let note_h = if any_ne { 1.4 * f } else { 0.0 };
    let height = plot_bottom + axis_h + favours_h + note_h + pad;

    let sx = LogScale {
        d0: lo,
        d1: hi,
        r0: plot_x,
        r1: plot_x + plot_w,
    };
    let mut c = Canvas::new(width, height);
    axis::title(&mut c, st, width, opts.title.as_deref(), title_y);
    // zebra stripes
    c.group_start("stripes");
    for i in (0..rows.len()).step_by(2) {
        c.rect(
            0.0,
            rows_top + row_h * i as f64,
            width,
            row_h,
            Some("#F2F2F2"),
            None,
        );
    }
    c.group_end();
    // headers
    c.group_start("column-headers");
    let bold = TextStyle::new(f).bold();
    c.text(x_label, header_base, &opts.label_header, &bold);
    if show_n {
        c.text(
            x_n_right,
            header_base,
            &opts.n_header,
            &bold.clone().anchor(Anchor::End),
        );
    }
    c.text(x_est, header_base, &opts.estimate_header, &bold);
    if show_p {
        c.text(
            x_p_right,
            header_base,
            &opts.p_header,
            &bold.clone().anchor(Anchor::End),
        );
    }
    c.line(
        0.0,
        rows_top - 0.1 * f,
        width,
        rows_top - 0.1 * f,
        &Stroke::solid("#000000", st.axis_width()),
    );
    c.group_end();
    // reference line
    c.line(
        sx.map(1.0),
        rows_top,
        sx.map(1.0),
        plot_bottom,
        &Stroke::solid(GREY, 1.0),
    );
    // rows
    let wmax = rows.iter().filter_map(|r| r.weight).fold(0.0, f64::max);
    let line = Stroke::solid(&opts.colour, (st.line_width * 0.75).max(1.0));
    let (x_min, x_max) = (plot_x, plot_x + plot_w);
    for (i, r) in rows.iter().enumerate() {
        let mid = rows_top + row_h * (i as f64 + 0.5);
        let base = mid + 0.35 * f;
        c.group_start("forest-row");
        let label_style = if r.kind == RowKind::Header {
            bold.clone()
        } else {
            TextStyle::new(f)
        };
        c.text(
            x_label + f64::from(r.indent) * indent_w,
            base,
            &r.label,
            &label_style,
        );
        if show_n && !n_text[i].is_empty() {
            c.text(
                x_n_right,
                base,
                &n_text[i],
                &TextStyle::new(f).anchor(Anchor::End),
            );
        }
        if !est_text[i].is_empty() {
            c.text(x_est, base, &est_text[i], &TextStyle::new(f));
        }
        if show_p && !p_text[i].is_empty() {
            c.text(
                x_p_right,
                base,
                &p_text[i],
                &TextStyle::new(f).anchor(Anchor::End),
            );
        }
        if r.kind == RowKind::Estimate {
            if let Some(est) = r.est() {
                // the interval, clipped to the axis with arrows
                let map = |v: f64| -> (f64, bool) {
                    if v <= lo {
                        (x_min, true)
                    } else if v >= hi {
                        (x_max, true)
                    } else {
                        (sx.map(v), false)
                    }
                };
                let lower = r.lower.filter(|v| !v.is_nan());
                let upper = r.upper.filter(|v| !v.is_nan());
                let (xe, est_out) = map(est);
                let (xl, arrow_l) = lower.map_or((xe, false), map);
                let (xu, arrow_u) = upper.map_or((xe, false), map);
                let ah = 0.35 * f;
                if xu > xl {
                    let l0 = if arrow_l { xl + ah } else { xl };
                    let u0 = if arrow_u { xu - ah } else { xu };
                    c.line(l0, mid, u0.max(l0), mid, &line);
                }
                for (x, out, dir) in [(xl, arrow_l, -1.0), (xu, arrow_u, 1.0)] {
                    if out {
                        let mut d = PathData::new();
                        d.move_to(x, mid)
                            .line_to(x - dir * ah * 1.4, mid - ah * 0.8)
                            .line_to(x - dir * ah * 1.4, mid + ah * 0.8)
                            .close();
                        c.shape(&d, &opts.colour, None);
                    }
                }
                if !est_out {
                    let side = match r.weight {
                        Some(w) if wmax > 0.0 => 0.35 * f + 0.65 * f * (w / wmax).sqrt(),
                        _ => 0.65 * f,
                    };
                    c.rect(
                        xe - side / 2.0,
                        mid - side / 2.0,
                        side,
                        side,
                        Some(&opts.colour),
                        None,
                    );
                }
            }
        }
        c.group_end();
    }
    // axis
    let px_ticks = axis::px_ticks(&ticks, |v| sx.map(v));
    let bottom = axis::x_axis(
        &mut c,
        st,
        plot_bottom,
        x_min,
        x_max,
        &px_ticks,
        Some(&opts.x_label),
    );
    let mut y = bottom;
    if let Some((left, right)) = &opts.favours {
        y += 1.2 * f;
        let x1 = sx.map(1.0);
        let small = TextStyle::new(f).italic();
        c.text(x1 - 0.5 * f, y, left, &small.clone().anchor(Anchor::End));
        c.text(x1 + 0.5 * f, y, right, &small);
    }
    if any_ne {
        y += 1.3 * f;
        c.text(
            x_label,
            y,
            "NE, not estimable.",
            &TextStyle::new(f).fill(GREY),
        );
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Forest plot".to_string());
    Ok(ForestFigure {
        svg: c.finish(Some(&title)),
        x_limits: (lo, hi),
        estimate_text: est_text,
        p_text,
    })
}
