//! Fa-CI plot (Chou-Talalay): the combination index against the fraction
//! affected, with the line `CI = 1` of additivity.
//!
//! Below the line is synergism, above it antagonism (Chou, Pharmacol Rev
//! 58:621-681, 2006, Fig. 6; the "Fa-CI plot" of CompuSyn). Each series
//! may hold points (the Fa-CI table, observed combinations) with optional
//! confidence bars (e.g. bootstrap percentile intervals) and a curve (the
//! CI of a constant-ratio mixture over a grid of effect levels). The CI
//! values and their limits are inputs: this module computes none.
//!
//! A CI above the y axis' end (`y_max`) is drawn as an open triangle at
//! the top of the plot and the curve is cut where it leaves the plot, so a
//! few huge values at extreme effect levels do not squash the rest.

use serde::{Deserialize, Serialize};

use crate::axis::{self, Key};
use crate::dose::{corner, legend_place};
use crate::error::{finite, ReportError};
use crate::km::Placement;
use crate::labels::{BBox, Placer};
use crate::marks::{mark, shape_of, Shape};
use crate::scale::{nice_ticks, LinearScale};
use crate::style::{group_colour, Style, GREY};
use crate::svg::{Anchor, Canvas, PathData, Stroke, Svg, TextStyle};

/// A combination index at one effect level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaCiPoint {
    /// Fraction affected, in (0, 1).
    pub fa: f64,
    /// Combination index (`>= 0`).
    pub ci: f64,
    /// Lower confidence limit of the CI.
    pub lower: Option<f64>,
    /// Upper confidence limit of the CI.
    pub upper: Option<f64>,
}

/// Points and/or a curve drawn alike.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaCiSeries {
    /// Name in the legend (empty: no entry).
    pub label: String,
    /// Points (with optional confidence bars).
    pub points: Vec<FaCiPoint>,
    /// Curve `(fa, CI)`, any order.
    pub curve: Vec<(f64, f64)>,
}

/// Options of a Fa-CI plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaCiOptions {
    /// Size and type.
    pub style: Style,
    /// Title over the plot (default none).
    pub title: Option<String>,
    /// x-axis title.
    pub x_label: String,
    /// y-axis title.
    pub y_label: String,
    /// End of the y axis (default: the points and their bars, at least
    /// 1.2; the curve is cut there).
    pub y_max: Option<f64>,
    /// Write "Synergism" and "Antagonism" beside the CI = 1 line (default
    /// true).
    pub region_labels: bool,
    /// Legend position (default: a free corner, else above the plot).
    pub legend: Placement,
}

impl Default for FaCiOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            title: None,
            x_label: "Fraction affected (fa)".to_string(),
            y_label: "Combination index (CI)".to_string(),
            y_max: None,
            region_labels: true,
            legend: Placement::Auto,
        }
    }
}

/// A rendered Fa-CI plot.
#[derive(Debug, Clone, PartialEq)]
pub struct FaCiFigure {
    /// The figure.
    pub svg: Svg,
    /// End of the y axis.
    pub y_max: f64,
    /// Points whose CI lies above `y_max` (drawn as triangles at the top).
    pub clipped: usize,
    /// Where the legend went.
    pub legend_placement: Placement,
}

fn check(series: &[FaCiSeries], opts: &FaCiOptions) -> Result<(), ReportError> {
    opts.style.validate()?;
    if series
        .iter()
        .all(|s| s.points.is_empty() && s.curve.is_empty())
    {
        return Err(ReportError::Empty {
            figure: "Fa-CI plot",
            what: "points and curves",
            item: "combination index",
        });
    }
    let fa_ok = |ctx: &str, fa: f64| {
        finite("fa", ctx, fa)?;
        if fa <= 0.0 || fa >= 1.0 {
            return Err(ReportError::OutOfRange {
                what: "fa",
                context: ctx.to_string(),
                value: fa,
                reason: "a fraction affected lies in (0, 1)",
            });
        }
        Ok(())
    };
    let ci_ok = |what: &'static str, ctx: &str, v: f64| {
        finite(what, ctx, v)?;
        if v < 0.0 {
            return Err(ReportError::OutOfRange {
                what,
                context: ctx.to_string(),
                value: v,
                reason: "a combination index is >= 0",
            });
        }
        Ok(())
    };
    for s in series {
        let ctx = format!("series {:?}", s.label);
        for p in &s.points {
            fa_ok(&ctx, p.fa)?;
            ci_ok("ci", &ctx, p.ci)?;
            if let Some(v) = p.lower {
                ci_ok("lower", &ctx, v)?;
            }
            if let Some(v) = p.upper {
                ci_ok("upper", &ctx, v)?;
            }
            if let (Some(lo), Some(hi)) = (p.lower, p.upper) {
                if lo > hi {
                    return Err(ReportError::OutOfRange {
                        what: "lower",
                        context: ctx,
                        value: lo,
                        reason: "the lower limit exceeds the upper limit",
                    });
                }
            }
        }
        for &(fa, ci) in &s.curve {
            fa_ok(&ctx, fa)?;
            ci_ok("curve ci", &ctx, ci)?;
        }
    }
    if let Some(m) = opts.y_max {
        if !(m.is_finite() && m > 1.0) {
            return Err(ReportError::BadOption {
                what: "y_max",
                value: m.to_string(),
                reason: "the y axis must reach past 1 to show the CI = 1 line",
            });
        }
    }
    Ok(())
}

/// Renders a Fa-CI plot.
///
/// # Errors
///
/// [`ReportError::Empty`] without points or curves;
/// [`ReportError::NonFinite`] and [`ReportError::OutOfRange`] for an `fa`
/// outside (0, 1), a negative or non-finite CI or limit, or limits in the
/// wrong order; [`ReportError::BadOption`] for `y_max <= 1` or a bad
/// style.
///
/// # Example
///
/// ```
/// use oncomark_report::faci::{fa_ci_plot, FaCiOptions, FaCiPoint, FaCiSeries};
/// let s = FaCiSeries {
///     label: "Mixture".into(),
///     points: vec![
///         FaCiPoint { fa: 0.5, ci: 0.89, lower: Some(0.7), upper: Some(1.1) },
///         FaCiPoint { fa: 0.9, ci: 0.52, lower: None, upper: None },
///     ],
///     curve: vec![],
/// };
/// let fig = fa_ci_plot(&[s], &FaCiOptions::default())?;
/// assert_eq!(fig.clipped, 0);
/// assert!(fig.svg.as_str().contains("Synergism"));
/// # Ok::<(), oncomark_report::ReportError>(())
/// ```
pub fn fa_ci_plot(series: &[FaCiSeries], opts: &FaCiOptions) -> Result<FaCiFigure, ReportError> {
    check(series, opts)?;
    let st = &opts.style;
    let f = st.font_size;
    let pad = 0.4 * f;

    // y axis end
    let point_max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.upper.unwrap_or(p.ci).max(p.ci)))
        .fold(0.0, f64::max);
    let curve_max = series
        .iter()
        .flat_map(|s| s.curve.iter().map(|c| c.1))
        .fold(0.0, f64::max);
    let data_max = if series.iter().any(|s| !s.points.is_empty()) {
        point_max
    } else {
        curve_max
    };
    let want = opts.y_max.unwrap_or((data_max * 1.05).max(1.2));
    let y_ticks = nice_ticks(0.0, want, 6);
    let y_max = if opts.y_max.is_some() {
        want
    } else {
        y_ticks.last()
    };
    let y_pairs: Vec<(f64, String)> = y_ticks
        .values
        .iter()
        .zip(&y_ticks.labels)
        .filter(|(v, _)| **v <= y_max * (1.0 + 1e-12))
        .map(|(v, l)| (*v, l.clone()))
        .collect();
    let y_labels: Vec<String> = y_pairs.iter().map(|t| t.1.clone()).collect();
    let x_ticks = nice_ticks(0.0, 1.0, 6);

    // legend entries
    let mut entries: Vec<(Key, String)> = Vec::new();
    for (i, s) in series.iter().enumerate() {
        if s.label.is_empty() {
            continue;
        }
        let key = if s.points.is_empty() {
            Key::Line(group_colour(i).to_string(), None)
        } else {
            Key::Mark(
                group_colour(i).to_string(),
                shape_of(i),
                false,
                (!s.curve.is_empty()).then_some(None),
            )
        };
        entries.push((key, s.label.clone()));
    }

    // layout
    let left = pad + axis::y_axis_width(st, &y_labels, !opts.y_label.is_empty());
    let right = pad + 0.9 * f;
    let plot_w = (st.width - left - right).max(0.3 * st.width);
    let width = left + plot_w + right;
    let plot_h = (plot_w * 0.62).clamp(10.0 * f, 28.0 * f);
    let (lw, lh) = axis::legend_size(st, None, &entries);
    let margin = 0.5 * f;
    let point_r = 0.36 * f;

    // everything drawn inside the plot, at plot_y = 0, to place the legend
    let scales = |plot_y: f64| {
        (
            LinearScale {
                d0: 0.0,
                d1: 1.0,
                r0: left,
                r1: left + plot_w,
            },
            LinearScale {
                d0: 0.0,
                d1: y_max,
                r0: plot_y + plot_h,
                r1: plot_y,
            },
        )
    };
    let blockers = |sx: &LinearScale, sy: &LinearScale| -> Vec<BBox> {
        let mut b = Vec::new();
        let top = sy.map(y_max);
        for s in series {
            for p in &s.points {
                let x = sx.map(p.fa);
                let y = sy.map(p.ci.min(y_max));
                b.push(BBox::around(x, y, point_r + 0.15 * f));
                if let (Some(lo), Some(hi)) = (p.lower, p.upper) {
                    b.push(BBox {
                        x0: x - 0.4 * f,
                        y0: sy.map(hi.min(y_max)).max(top),
                        x1: x + 0.4 * f,
                        y1: sy.map(lo.min(y_max)),
                    });
                }
            }
            for (x, y) in curve_px(&s.curve, sx, sy, y_max).into_iter().flatten() {
                b.push(BBox::around(x, y, 0.3 * f));
            }
        }
        // the CI = 1 line
        let y1 = sy.map(1.0);
        b.push(BBox {
            x0: sx.map(0.0),
            y0: y1 - 1.0,
            x1: sx.map(1.0),
            y1: y1 + 1.0,
        });
        b
    };
    let legend_place = legend_place(
        opts.legend,
        !entries.is_empty(),
        (lw, lh),
        (left, plot_w, plot_h),
        margin,
        f,
        // low CI at low fa is rare: the bottom left is usually empty
        [
            Placement::BottomLeft,
            Placement::TopRight,
            Placement::BottomRight,
        ],
        || {
            let (sx, sy) = scales(0.0);
            blockers(&sx, &sy)
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
    let xt = axis::px_ticks(&x_ticks, |v| sx.map(v));
    let yt = axis::px_pairs(&y_pairs, |v| sy.map(v));
    axis::x_axis(
        &mut c,
        st,
        plot_y + plot_h,
        left,
        left + plot_w,
        &xt,
        Some(&opts.x_label),
    );
    axis::y_axis(
        &mut c,
        st,
        left,
        plot_y,
        plot_y + plot_h,
        &yt,
        Some(&opts.y_label),
        pad + 0.75 * f,
    );
    // CI = 1
    let y1 = sy.map(1.0);
    c.group_start("additivity");
    c.line(
        left,
        y1,
        left + plot_w,
        y1,
        &Stroke::dashed(GREY, 1.5, 6.0, 4.0),
    );
    c.group_end();

    // placement of the region words: avoid everything drawn
    let mut placer = Placer::new(
        BBox {
            x0: left,
            y0: plot_y,
            x1: left + plot_w,
            y1: plot_y + plot_h,
        },
        f,
    );
    for b in blockers(&sx, &sy) {
        placer.block(b);
    }
    let legend_box = match legend_place {
        Placement::Hidden | Placement::Auto | Placement::Above => None,
        p => Some(corner(p, lw, lh, left, plot_y, plot_w, plot_h, margin)),
    };
    if let Some(b) = legend_box {
        placer.block(b);
    }
    if opts.region_labels {
        let word = TextStyle::new(f).italic().fill(GREY);
        c.group_start("regions");
        for (text, above) in [("Antagonism", true), ("Synergism", false)] {
            // at the right end first, then along the line to the left
            for k in 0..8 {
                let x = left + plot_w - 0.4 * f - k as f64 * plot_w / 8.0;
                let y = if above { y1 - 0.5 * f } else { y1 + 1.3 * f };
                let b = placer.text_box(text, x, y, Anchor::End);
                if placer.is_free(&b) {
                    placer.block(b);
                    c.text(x, y, text, &word.clone().anchor(Anchor::End));
                    break;
                }
            }
        }
        c.group_end();
    }
    // curves
    for (i, s) in series.iter().enumerate() {
        let pieces = curve_px(&s.curve, &sx, &sy, y_max);
        if pieces.is_empty() {
            continue;
        }
        let mut d = PathData::new();
        for piece in pieces {
            for (k, (x, y)) in piece.into_iter().enumerate() {
                if k == 0 {
                    d.move_to(x, y);
                } else {
                    d.line_to(x, y);
                }
            }
        }
        c.group_start("faci-curve");
        c.path(&d, &Stroke::solid(group_colour(i), st.line_width));
        c.group_end();
    }
    // points with their bars
    let mut clipped = 0;
    let top_y = sy.map(y_max);
    for (i, s) in series.iter().enumerate() {
        if s.points.is_empty() {
            continue;
        }
        let colour = group_colour(i);
        c.group_start("faci-points");
        let bar = Stroke::solid(colour, (st.line_width * 0.6).max(1.0));
        for p in &s.points {
            let x = sx.map(p.fa);
            if let (Some(lo), Some(hi)) = (p.lower, p.upper) {
                let (ya, yb) = (sy.map(lo.min(y_max)), sy.map(hi.min(y_max)));
                c.line(x, ya, x, yb, &bar);
                if lo <= y_max {
                    c.line(x - 0.3 * f, ya, x + 0.3 * f, ya, &bar);
                }
                if hi <= y_max {
                    c.line(x - 0.3 * f, yb, x + 0.3 * f, yb, &bar);
                }
            }
            if p.ci > y_max {
                clipped += 1;
                mark(
                    &mut c,
                    Shape::Triangle,
                    x,
                    top_y + point_r,
                    point_r,
                    colour,
                    None,
                    1.4,
                );
            } else {
                mark(
                    &mut c,
                    shape_of(i),
                    x,
                    sy.map(p.ci),
                    point_r,
                    colour,
                    Some(colour),
                    1.0,
                );
            }
        }
        c.group_end();
    }
    match (legend_place, legend_box, legend_above) {
        (Placement::Above, _, Some(y)) => axis::legend(&mut c, st, left, y, None, &entries),
        (_, Some(b), _) => axis::legend(&mut c, st, b.x0, b.y0, None, &entries),
        _ => {}
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Fa-CI plot".to_string());
    Ok(FaCiFigure {
        svg: c.finish(Some(&title)),
        y_max,
        clipped,
        legend_placement: legend_place,
    })
}

/// The curve in px, sorted by fa and cut into pieces where it leaves the
/// plot through the top (the crossing points are interpolated).
fn curve_px(
    curve: &[(f64, f64)],
    sx: &LinearScale,
    sy: &LinearScale,
    y_max: f64,
) -> Vec<Vec<(f64, f64)>> {
    let mut pts = curve.to_vec();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    for (k, &(fa, ci)) in pts.iter().enumerate() {
        let inside = ci <= y_max;
        if k > 0 {
            let (pf, pc) = pts[k - 1];
            let prev_inside = pc <= y_max;
            if inside != prev_inside && ci != pc {
                let t = (y_max - pc) / (ci - pc);
                let cross = (sx.map(pf + (fa - pf) * t), sy.map(y_max));
                cur.push(cross);
                if !inside {
                    pieces.push(std::mem::take(&mut cur));
                }
            }
        }
        if inside {
            cur.push((sx.map(fa), sy.map(ci)));
        }
    }
    if !cur.is_empty() {
        pieces.push(cur);
    }
    pieces.retain(|p| p.len() >= 2);
    pieces
}
