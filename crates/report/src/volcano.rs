//! Volcano plot of a marker screen: each marker's effect (log2 hazard
//! ratio) against the strength of evidence (`-log10 P`), coloured by
//! whether its false-discovery-adjusted `q` (e.g. Benjamini-Hochberg) is
//! below a threshold, with the most significant markers labelled.
//!
//! Significant markers with a positive effect are vermillion, with a
//! negative effect blue (Okabe-Ito); the rest grey. Labels go to the `top_k`
//! markers with the smallest P, in that order, each at the first free spot
//! around its point (see the crate's label placer: never over another
//! label or a point); a label with no free spot is left out and listed in
//! [`VolcanoFigure::unlabelled`]. The effects, P and q values are inputs:
//! the figure only takes `-log10` of P to place the points.

use serde::{Deserialize, Serialize};

use crate::axis::{self, Key};
use crate::dose::{corner, legend_place};
use crate::error::{finite, ReportError};
use crate::format::trim_fixed_dec;
use crate::km::Placement;
use crate::labels::{BBox, Placer};
use crate::marks::{mark, Shape};
use crate::scale::{nice_ticks, LinearScale};
use crate::style::{okabe_ito, Style, GREY};
use crate::svg::{Canvas, Stroke, Svg, TextStyle};

/// Colour of markers that are not significant.
const NS_GREY: &str = "#A6A6A6";

/// One marker of the screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VolcanoPoint {
    /// Marker name (the label).
    pub label: String,
    /// Effect on the x axis, e.g. `log2(HR)`.
    pub effect: f64,
    /// P value in (0, 1].
    pub p: f64,
    /// Adjusted P value (q) in [0, 1]; `None`: not significant.
    pub q: Option<f64>,
}

/// Options of a volcano plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VolcanoOptions {
    /// Size and type.
    pub style: Style,
    /// Title over the plot (default none).
    pub title: Option<String>,
    /// x-axis title.
    pub x_label: String,
    /// y-axis title.
    pub y_label: String,
    /// A marker is significant when `q <` this (default 0.05).
    pub q_threshold: f64,
    /// Name of the ratio in the legend (`HR` gives `HR > 1`, `HR < 1`).
    pub effect_name: String,
    /// How many of the smallest P values get a label (default 10).
    pub top_k: usize,
    /// Dashed vertical lines at `±` this effect (e.g. 1 for a doubling).
    pub effect_lines: Option<f64>,
    /// Dashed horizontal line at this P value (e.g. the largest P with
    /// `q` below the threshold, computed by the caller).
    pub p_line: Option<f64>,
    /// Legend position (default: a free corner, else above).
    pub legend: Placement,
}

impl Default for VolcanoOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            title: None,
            x_label: "log\u{2082} hazard ratio".to_string(),
            y_label: "\u{2212}log\u{2081}\u{2080} P".to_string(),
            q_threshold: 0.05,
            effect_name: "HR".to_string(),
            top_k: 10,
            effect_lines: None,
            p_line: None,
            legend: Placement::Auto,
        }
    }
}

/// A rendered volcano plot.
#[derive(Debug, Clone, PartialEq)]
pub struct VolcanoFigure {
    /// The figure.
    pub svg: Svg,
    /// Markers with `q` below the threshold.
    pub significant: usize,
    /// Labels drawn, in rank order.
    pub labelled: Vec<String>,
    /// Labels of the top `k` left out for want of a free spot.
    pub unlabelled: Vec<String>,
    /// Where the legend went.
    pub legend_placement: Placement,
}

/// Class of a point: 0 not significant, 1 significant up, 2 down.
fn class(p: &VolcanoPoint, t: f64) -> usize {
    match p.q {
        Some(q) if q < t && p.effect > 0.0 => 1,
        Some(q) if q < t && p.effect < 0.0 => 2,
        _ => 0,
    }
}

fn check(points: &[VolcanoPoint], opts: &VolcanoOptions) -> Result<(), ReportError> {
    opts.style.validate()?;
    if points.is_empty() {
        return Err(ReportError::Empty {
            figure: "volcano plot",
            what: "points",
            item: "marker",
        });
    }
    for p in points {
        let ctx = format!("marker {:?}", p.label);
        finite("effect", &ctx, p.effect)?;
        finite("p", &ctx, p.p)?;
        if !(p.p > 0.0 && p.p <= 1.0) {
            return Err(ReportError::OutOfRange {
                what: "p",
                context: ctx,
                value: p.p,
                reason: "a P value in (0, 1] is needed for -log10 P; report an underflowed \
                         P of 0 as the smallest positive value the method guarantees",
            });
        }
        if let Some(q) = p.q {
            finite("q", &ctx, q)?;
            if !(0.0..=1.0).contains(&q) {
                return Err(ReportError::OutOfRange {
                    what: "q",
                    context: ctx,
                    value: q,
                    reason: "an adjusted P value lies in [0, 1]",
                });
            }
        }
    }
    if !(opts.q_threshold > 0.0 && opts.q_threshold < 1.0) {
        return Err(ReportError::BadOption {
            what: "q_threshold",
            value: opts.q_threshold.to_string(),
            reason: "use a threshold in (0, 1), e.g. 0.05",
        });
    }
    if let Some(e) = opts.effect_lines {
        if !(e.is_finite() && e > 0.0) {
            return Err(ReportError::BadOption {
                what: "effect_lines",
                value: e.to_string(),
                reason: "use a positive effect (lines at ± it)",
            });
        }
    }
    if let Some(p) = opts.p_line {
        if !(p > 0.0 && p < 1.0) {
            return Err(ReportError::BadOption {
                what: "p_line",
                value: p.to_string(),
                reason: "use a P value in (0, 1)",
            });
        }
    }
    Ok(())
}

/// Renders a volcano plot.
///
/// # Errors
///
/// [`ReportError::Empty`] without points; [`ReportError::NonFinite`] for a
/// non-finite effect, P or q; [`ReportError::OutOfRange`] for a P outside
/// (0, 1] or a q outside [0, 1]; [`ReportError::BadOption`] for a bad
/// threshold, line or style.
///
/// # Example
///
/// ```
/// use oncomark_report::volcano::{volcano_plot, VolcanoOptions, VolcanoPoint};
/// let pts = vec![
///     VolcanoPoint { label: "m01".into(), effect: 0.72, p: 1.9e-9, q: Some(9.4e-8) },
///     VolcanoPoint { label: "m02".into(), effect: -0.57, p: 1.3e-6, q: Some(3.3e-5) },
///     VolcanoPoint { label: "m04".into(), effect: 0.03, p: 0.82, q: Some(0.89) },
/// ];
/// let fig = volcano_plot(&pts, &VolcanoOptions { top_k: 2, ..VolcanoOptions::default() })?;
/// assert_eq!(fig.significant, 2);
/// assert_eq!(fig.labelled, vec!["m01", "m02"]);
/// # Ok::<(), oncomark_report::ReportError>(())
/// ```
pub fn volcano_plot(
    points: &[VolcanoPoint],
    opts: &VolcanoOptions,
) -> Result<VolcanoFigure, ReportError> {
    check(points, opts)?;
    let st = &opts.style;
    let f = st.font_size;
    let pad = 0.4 * f;
    let t = opts.q_threshold;
    let nlp = |p: f64| -p.log10() + 0.0;

    // domains
    let e_max = points
        .iter()
        .map(|p| p.effect.abs())
        .chain(opts.effect_lines)
        .fold(0.0, f64::max)
        .max(1e-3);
    let x_ticks = nice_ticks(-e_max * 1.05, e_max * 1.05, 7);
    let y_top = points
        .iter()
        .map(|p| nlp(p.p))
        .chain(opts.p_line.map(nlp))
        .fold(0.0, f64::max)
        .max(1.0);
    let y_ticks = nice_ticks(0.0, y_top * 1.04, 6);

    // legend
    let counts = [0, 1, 2].map(|k| points.iter().filter(|p| class(p, t) == k).count());
    let ts = trim_fixed_dec(t, 4);
    let name = &opts.effect_name;
    let mut entries: Vec<(Key, String)> = Vec::new();
    let colours = [NS_GREY, okabe_ito::VERMILLION, okabe_ito::BLUE];
    for (k, text) in [
        (1, format!("q < {ts}, {name} > 1 ({})", counts[1])),
        (2, format!("q < {ts}, {name} < 1 ({})", counts[2])),
        (0, format!("q \u{2265} {ts} ({})", counts[0])),
    ] {
        if counts[k] > 0 {
            entries.push((
                Key::Mark(colours[k].to_string(), Shape::Circle, false, None),
                text,
            ));
        }
    }

    // layout
    let left = pad + axis::y_axis_width(st, &y_ticks.labels, !opts.y_label.is_empty());
    let right = pad
        + x_ticks
            .labels
            .last()
            .map_or(0.0, |l| crate::svg::text_width(l, f) / 2.0)
            .max(0.6 * f);
    let plot_w = (st.width - left - right).max(0.3 * st.width);
    let width = left + plot_w + right;
    let plot_h = (plot_w * 0.7).clamp(10.0 * f, 30.0 * f);
    let r = 0.3 * f;
    let (lw, lh) = axis::legend_size(st, None, &entries);
    let margin = 0.5 * f;
    let scales = |plot_y: f64| {
        (
            LinearScale {
                d0: x_ticks.first(),
                d1: x_ticks.last(),
                r0: left,
                r1: left + plot_w,
            },
            LinearScale {
                d0: y_ticks.first(),
                d1: y_ticks.last(),
                r0: plot_y + plot_h,
                r1: plot_y,
            },
        )
    };
    let point_boxes = |sx: &LinearScale, sy: &LinearScale| -> Vec<BBox> {
        points
            .iter()
            .map(|p| BBox::around(sx.map(p.effect), sy.map(nlp(p.p)), r + 0.1 * f))
            .collect()
    };
    let legend_place = legend_place(
        opts.legend,
        !entries.is_empty(),
        (lw, lh),
        (left, plot_w, plot_h),
        margin,
        f,
        [
            Placement::TopRight,
            Placement::BottomLeft,
            Placement::BottomRight,
        ],
        || {
            let (sx, sy) = scales(0.0);
            point_boxes(&sx, &sy)
        },
    );
    let axis::Column {
        title_y,
        legend_y: legend_above,
        plot_y,
        height,
    } = axis::column(
        st,
        pad,
        opts.title.is_some(),
        (legend_place == Placement::Above).then_some(lh),
        plot_h,
        !opts.x_label.is_empty(),
    );
    let (sx, sy) = scales(plot_y);

    let mut c = Canvas::new(width, height);
    axis::title(&mut c, st, width, opts.title.as_deref(), title_y);
    axis::x_axis(
        &mut c,
        st,
        plot_y + plot_h,
        left,
        left + plot_w,
        &axis::px_ticks(&x_ticks, |v| sx.map(v)),
        Some(&opts.x_label),
    );
    axis::y_axis(
        &mut c,
        st,
        left,
        plot_y,
        plot_y + plot_h,
        &axis::px_ticks(&y_ticks, |v| sy.map(v)),
        Some(&opts.y_label),
        pad + 0.75 * f,
    );
    // reference lines
    c.group_start("reference-lines");
    let x0 = sx.map(0.0);
    c.line(x0, plot_y, x0, plot_y + plot_h, &Stroke::solid(GREY, 1.0));
    let dash = Stroke::dashed(GREY, 1.0, 4.0, 3.0);
    if let Some(e) = opts.effect_lines {
        for x in [sx.map(-e), sx.map(e)] {
            c.line(x, plot_y, x, plot_y + plot_h, &dash);
        }
    }
    if let Some(p) = opts.p_line {
        let y = sy.map(nlp(p));
        c.line(left, y, left + plot_w, y, &dash);
    }
    c.group_end();
    // points: grey first, significant on top
    for k in [0, 1, 2] {
        let colour = colours[k];
        c.group_start(match k {
            0 => "points-ns",
            1 => "points-up",
            _ => "points-down",
        });
        for p in points.iter().filter(|p| class(p, t) == k) {
            mark(
                &mut c,
                Shape::Circle,
                sx.map(p.effect),
                sy.map(nlp(p.p)),
                r,
                colour,
                Some(colour),
                0.7,
            );
        }
        c.group_end();
    }
    // labels
    let mut placer = Placer::new(
        BBox {
            x0: left,
            y0: plot_y,
            x1: left + plot_w,
            y1: plot_y + plot_h,
        },
        f,
    );
    for p in points {
        placer.block_point(sx.map(p.effect), sy.map(nlp(p.p)), r + 0.1 * f);
    }
    let legend_box = match legend_place {
        Placement::Hidden | Placement::Auto | Placement::Above => None,
        p => Some(corner(p, lw, lh, left, plot_y, plot_w, plot_h, margin)),
    };
    if let Some(b) = legend_box {
        placer.block(b);
    }
    let mut order: Vec<&VolcanoPoint> = points.iter().collect();
    order.sort_by(|a, b| a.p.total_cmp(&b.p).then_with(|| a.label.cmp(&b.label)));
    let mut labelled = Vec::new();
    let mut unlabelled = Vec::new();
    c.group_start("point-labels");
    for p in order.into_iter().take(opts.top_k) {
        let (x, y) = (sx.map(p.effect), sy.map(nlp(p.p)));
        match placer.place(&p.label, x, y, r + 0.1 * f) {
            Some(pl) => {
                if let Some((a, b)) = pl.leader {
                    c.line(a.0, a.1, b.0, b.1, &Stroke::solid(GREY, 0.8));
                }
                c.text(pl.x, pl.y, &p.label, &TextStyle::new(f).anchor(pl.anchor));
                labelled.push(p.label.clone());
            }
            None => unlabelled.push(p.label.clone()),
        }
    }
    c.group_end();
    match (legend_place, legend_box, legend_above) {
        (Placement::Above, _, Some(y)) => axis::legend(&mut c, st, left, y, None, &entries),
        (_, Some(b), _) => axis::legend(&mut c, st, b.x0, b.y0, None, &entries),
        _ => {}
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Volcano plot".to_string());
    Ok(VolcanoFigure {
        svg: c.finish(Some(&title)),
        significant: counts[1] + counts[2],
        labelled,
        unlabelled,
        legend_placement: legend_place,
    })
}
