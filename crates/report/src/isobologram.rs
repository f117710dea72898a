//! Normalised isobologram (Chou-Talalay): each combination as the point
//! `(d_a / Dx_a, d_b / Dx_b)`, the doses of the combination divided by the
//! doses of each drug alone that give the same effect `x`.
//!
//! The straight line from `(1, 0)` to `(0, 1)` is additivity: a point on
//! it has combination index `CI = d_a/Dx_a + d_b/Dx_b = 1`, below it
//! (towards the origin) synergism, above it antagonism (Chou, *Theoretical
//! basis, experimental design, and computerized simulation of synergism
//! and antagonism in drug combination studies*, Pharmacol Rev 58:621-681,
//! 2006, Fig. 7; Chou & Talalay, Adv Enzyme Regul 22:27-55, 1984). Both
//! axes share one scale, so the line runs at 45°. Points are labelled
//! (typically with their effect level, `fa 0.50`) where a free spot
//! exists; labels never overlap points or each other.
//!
//! The coordinates are inputs (for instance `1 / DRI` of the Fa-CI table
//! of `oncomark-assay`, or `iso_a`, `iso_b` of an observed point): this
//! module computes no combination index.

use serde::{Deserialize, Serialize};

use crate::axis::{self, Key};
use crate::error::{finite, ReportError};
use crate::labels::{BBox, Placer};
use crate::marks::{mark, shape_of};
use crate::scale::{nice_ticks, LinearScale};
use crate::style::{group_colour, Style, GREY};
use crate::svg::{Anchor, Canvas, Stroke, Svg, TextStyle};

/// One combination on the normalised isobologram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IsoPoint {
    /// `d_a / Dx_a` (`>= 0`).
    pub a: f64,
    /// `d_b / Dx_b` (`>= 0`).
    pub b: f64,
    /// Label next to the point (e.g. `fa 0.50`).
    pub label: Option<String>,
}

/// A set of points drawn alike (a colour and a marker shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IsoSeries {
    /// Name in the legend (empty: no legend entry).
    pub label: String,
    /// Its points.
    pub points: Vec<IsoPoint>,
}

/// Options of a normalised isobologram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IsobologramOptions {
    /// Size and type.
    pub style: Style,
    /// Title over the plot (default none).
    pub title: Option<String>,
    /// x-axis title.
    pub x_label: String,
    /// y-axis title.
    pub y_label: String,
    /// End of both axes (default: 1.2, or more to show every point).
    pub axis_max: Option<f64>,
    /// Write "Synergism" and "Antagonism" on the two sides of the line
    /// (default true).
    pub region_labels: bool,
}

impl Default for IsobologramOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            title: None,
            x_label: "Drug A, normalised dose (d/Dx)".to_string(),
            y_label: "Drug B, normalised dose (d/Dx)".to_string(),
            axis_max: None,
            region_labels: true,
        }
    }
}

/// A rendered isobologram.
#[derive(Debug, Clone, PartialEq)]
pub struct IsobologramFigure {
    /// The figure.
    pub svg: Svg,
    /// End of both axes.
    pub axis_max: f64,
    /// Point labels drawn.
    pub labelled: Vec<String>,
    /// Point labels left out for want of a free spot.
    pub unlabelled: Vec<String>,
}

fn check(series: &[IsoSeries], opts: &IsobologramOptions) -> Result<(), ReportError> {
    opts.style.validate()?;
    if series.iter().all(|s| s.points.is_empty()) {
        return Err(ReportError::Empty {
            figure: "isobologram",
            what: "points",
            item: "combination",
        });
    }
    for s in series {
        let ctx = format!("series {:?}", s.label);
        for p in &s.points {
            for (what, v) in [("a", p.a), ("b", p.b)] {
                finite(what, &ctx, v)?;
                if v < 0.0 {
                    return Err(ReportError::OutOfRange {
                        what,
                        context: ctx,
                        value: v,
                        reason: "normalised doses d/Dx are >= 0",
                    });
                }
            }
        }
    }
    if let Some(m) = opts.axis_max {
        if !(m.is_finite() && m > 1.0) {
            return Err(ReportError::BadOption {
                what: "axis_max",
                value: m.to_string(),
                reason: "the axes must reach past 1 to show the line of additivity",
            });
        }
    }
    Ok(())
}

/// Renders a normalised isobologram.
///
/// # Errors
///
/// [`ReportError::Empty`] without points; [`ReportError::NonFinite`] and
/// [`ReportError::OutOfRange`] for a coordinate that is not a finite
/// number `>= 0`; [`ReportError::BadOption`] for `axis_max <= 1` or a bad
/// style.
///
/// # Example
///
/// ```
/// use oncomark_report::isobologram::{isobologram, IsobologramOptions, IsoPoint, IsoSeries};
/// // fa = 0.5: d_a/Dx_a = 0.30, d_b/Dx_b = 0.45 (CI = 0.75, synergism)
/// let s = IsoSeries { label: String::new(), points: vec![
///     IsoPoint { a: 0.30, b: 0.45, label: Some("fa 0.50".into()) },
/// ] };
/// let fig = isobologram(&[s], &IsobologramOptions::default())?;
/// assert_eq!(fig.labelled, vec!["fa 0.50"]);
/// # Ok::<(), oncomark_report::ReportError>(())
/// ```
pub fn isobologram(
    series: &[IsoSeries],
    opts: &IsobologramOptions,
) -> Result<IsobologramFigure, ReportError> {
    check(series, opts)?;
    let st = &opts.style;
    let f = st.font_size;
    let pad = 0.4 * f;

    let data_max = series
        .iter()
        .flat_map(|s| s.points.iter().flat_map(|p| [p.a, p.b]))
        .fold(0.0, f64::max);
    let want = opts.axis_max.unwrap_or((data_max * 1.08).max(1.2));
    let ticks = nice_ticks(0.0, want, 6);
    let axis_max = if opts.axis_max.is_some() {
        want
    } else {
        ticks.last()
    };
    let tick_pairs: Vec<(f64, String)> = ticks
        .values
        .iter()
        .zip(&ticks.labels)
        .filter(|(v, _)| **v <= axis_max * (1.0 + 1e-12))
        .map(|(v, l)| (*v, l.clone()))
        .collect();
    let labels: Vec<String> = tick_pairs.iter().map(|t| t.1.clone()).collect();

    // legend entries
    let labelled_series = series.iter().any(|s| !s.label.is_empty());
    let mut entries: Vec<(Key, String)> = Vec::new();
    if labelled_series {
        for (i, s) in series.iter().enumerate() {
            if !s.label.is_empty() {
                entries.push((
                    Key::Mark(group_colour(i).to_string(), shape_of(i), false, None),
                    s.label.clone(),
                ));
            }
        }
    }
    entries.push((
        Key::Line(GREY.to_string(), None),
        "Additivity (CI = 1)".into(),
    ));

    // layout: a square plot
    let left = pad + axis::y_axis_width(st, &labels, !opts.y_label.is_empty());
    let right = pad + crate::svg::text_width(labels.last().map_or("", |s| s), f) / 2.0;
    let side = (st.width - left - right).max(0.3 * st.width);
    let width = left + side + right;
    let axis::Column {
        title_y,
        plot_y,
        height,
        ..
    } = axis::column(
        st,
        pad,
        opts.title.is_some(),
        None,
        side,
        !opts.x_label.is_empty(),
    );
    let sx = LinearScale {
        d0: 0.0,
        d1: axis_max,
        r0: left,
        r1: left + side,
    };
    let sy = LinearScale {
        d0: 0.0,
        d1: axis_max,
        r0: plot_y + side,
        r1: plot_y,
    };

    let mut c = Canvas::new(width, height);
    axis::title(&mut c, st, width, opts.title.as_deref(), title_y);
    axis::x_axis(
        &mut c,
        st,
        plot_y + side,
        left,
        left + side,
        &axis::px_pairs(&tick_pairs, |v| sx.map(v)),
        Some(&opts.x_label),
    );
    axis::y_axis(
        &mut c,
        st,
        left,
        plot_y,
        plot_y + side,
        &axis::px_pairs(&tick_pairs, |v| sy.map(v)),
        Some(&opts.y_label),
        pad + 0.75 * f,
    );
    // the line of additivity
    let (x1, y1, x2, y2) = (sx.map(1.0), sy.map(0.0), sx.map(0.0), sy.map(1.0));
    c.group_start("additivity");
    c.line(x1, y1, x2, y2, &Stroke::solid(GREY, 1.5));
    c.group_end();

    // placement: points, the line, then the legend, region words, labels
    let bounds = BBox {
        x0: left,
        y0: plot_y,
        x1: left + side,
        y1: plot_y + side,
    };
    let mut placer = Placer::new(bounds, f);
    let r = 0.36 * f;
    for s in series {
        for p in &s.points {
            placer.block_point(sx.map(p.a), sy.map(p.b), r);
        }
    }
    let n = 40;
    for k in 0..=n {
        let t = k as f64 / n as f64;
        placer.block(BBox::around(
            x1 + (x2 - x1) * t,
            y1 + (y2 - y1) * t,
            0.15 * f,
        ));
    }
    let (lw, lh) = axis::legend_size(st, None, &entries);
    let m = 0.5 * f;
    let legend_box = BBox {
        x0: left + side - lw - m,
        y0: plot_y + m,
        x1: left + side - m,
        y1: plot_y + m + lh,
    };
    let legend_at = if placer.is_free(&legend_box) {
        legend_box
    } else {
        // the top-left corner is above the line only for small boxes; try
        // it, else put the legend at the top right anyway, over nothing
        // but empty antagonism space or points (rare)
        let tl = BBox {
            x0: left + m,
            y0: plot_y + m,
            x1: left + m + lw,
            y1: plot_y + m + lh,
        };
        if placer.is_free(&tl) {
            tl
        } else {
            legend_box
        }
    };
    placer.block(legend_at);
    // region words: synergism near the origin, antagonism beyond the line
    let mut regions = Vec::new();
    if opts.region_labels {
        let word = TextStyle::new(f).italic().fill(GREY);
        let syn = [(0.06, 0.06), (0.1, 0.2), (0.2, 0.1), (0.3, 0.05)];
        for (a, b) in syn {
            let (x, y) = (sx.map(a), sy.map(b));
            let bx = placer.text_box("Synergism", x, y, Anchor::Start);
            if placer.is_free(&bx) {
                placer.block(bx);
                regions.push((x, y, "Synergism", word.clone()));
                break;
            }
        }
        let ant = [(0.75, 0.75), (0.9, 0.55), (0.55, 0.9), (1.0, 0.8)];
        for (a, b) in ant {
            let (x, y) = (sx.map(a), sy.map(b));
            let bx = placer.text_box("Antagonism", x, y, Anchor::Start);
            if placer.is_free(&bx) {
                placer.block(bx);
                regions.push((x, y, "Antagonism", word.clone()));
                break;
            }
        }
    }
    c.group_start("regions");
    for (x, y, t, s) in &regions {
        c.text(*x, *y, t, s);
    }
    c.group_end();
    // points, then their labels
    for (i, s) in series.iter().enumerate() {
        c.group_start("iso-points");
        for p in &s.points {
            mark(
                &mut c,
                shape_of(i),
                sx.map(p.a),
                sy.map(p.b),
                r,
                group_colour(i),
                Some(group_colour(i)),
                1.0,
            );
        }
        c.group_end();
    }
    let mut labelled = Vec::new();
    let mut unlabelled = Vec::new();
    c.group_start("point-labels");
    for s in series {
        for p in &s.points {
            let Some(text) = &p.label else { continue };
            match placer.place(text, sx.map(p.a), sy.map(p.b), r) {
                Some(pl) => {
                    if let Some((a, b)) = pl.leader {
                        c.line(a.0, a.1, b.0, b.1, &Stroke::solid(GREY, 0.8));
                    }
                    c.text(pl.x, pl.y, text, &TextStyle::new(f).anchor(pl.anchor));
                    labelled.push(text.clone());
                }
                None => unlabelled.push(text.clone()),
            }
        }
    }
    c.group_end();
    axis::legend(&mut c, st, legend_at.x0, legend_at.y0, None, &entries);
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Normalised isobologram".to_string());
    Ok(IsobologramFigure {
        svg: c.finish(Some(&title)),
        axis_max,
        labelled,
        unlabelled,
    })
}
