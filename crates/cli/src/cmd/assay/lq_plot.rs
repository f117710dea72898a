//! Cell survival curves of `assay clonogenic --lq --plot`: surviving
//! fraction on a logarithmic axis against a linear dose axis, the fitted
//! linear-quadratic curve `S(D) = exp(-(alpha D + beta D^2))`, each
//! experiment's surviving fraction and their mean with its error bar, as
//! CFAssay's `plot.cellsurvLQfit` shows them (Braselmann et al., Radiat
//! Oncol 10:260, 2015).
//!
//! The report crate has no survival-curve builder; this one draws on its
//! SVG canvas with its scales, palette and type sizes. The numbers come
//! from the assay crate: the surviving fractions and their summaries from
//! `surviving_fractions` (each curve's dishes normalised to its own dose-0
//! dishes of the same experiment, CFAssay's `S0`), alpha and beta from
//! `fit_lq`. The curve is evaluated here from those two coefficients.

use oncomark_report::format::{format_compact, format_sig};
use oncomark_report::scale::{nice_ticks, LinearScale, LogScale};
use oncomark_report::style::{group_colour, tint, Style, GREY};
use oncomark_report::svg::{text_width, Anchor, Canvas, PathData, Stroke, Svg, TextStyle};

use super::figures::ErrorArg;
use crate::output::Failure;

/// One survival curve.
pub struct LqSeries {
    /// Cell line (and treatment).
    pub label: String,
    /// Linear coefficient.
    pub alpha: f64,
    /// Quadratic coefficient.
    pub beta: f64,
    /// `(dose, SF)` of each experiment.
    pub points: Vec<(f64, f64)>,
    /// `(dose, mean SF, error half-width)` over experiments.
    pub means: Vec<(f64, f64, Option<f64>)>,
}

/// Options of [`lq_figure`].
pub struct LqFigure {
    /// x-axis title (the dose column).
    pub x_label: String,
    /// What the error bars show.
    pub error: ErrorArg,
    /// The fitting method, for the note (`quasi-Poisson ML`, `least squares`).
    pub method: String,
}

/// A marker of series `i`: circle, square, triangle, diamond, then again.
fn marker(c: &mut Canvas, i: usize, x: f64, y: f64, r: f64, fill: &str, outline: Option<&Stroke>) {
    match i % 4 {
        0 => c.circle(x, y, r, fill, outline),
        1 => {
            let h = r * 0.886;
            c.rect(x - h, y - h, 2.0 * h, 2.0 * h, Some(fill), outline);
        }
        2 => {
            let s = r * 2.694;
            let h = s * 0.866;
            let mut d = PathData::new();
            d.move_to(x, y - h * 2.0 / 3.0)
                .line_to(x + s / 2.0, y + h / 3.0)
                .line_to(x - s / 2.0, y + h / 3.0)
                .close();
            c.shape(&d, fill, outline);
        }
        _ => {
            let h = r * 1.253;
            let mut d = PathData::new();
            d.move_to(x, y - h)
                .line_to(x + h, y)
                .line_to(x, y + h)
                .line_to(x - h, y)
                .close();
            c.shape(&d, fill, outline);
        }
    }
}

/// `S(D)`.
fn lq(s: &LqSeries, d: f64) -> f64 {
    (-(s.alpha * d + s.beta * d * d)).exp()
}

/// The survival-curve figure. Surviving fractions of 0 (no colony) have
/// no place on the log axis: they are left out and counted in the note.
///
/// # Errors
///
/// An analysis failure when there is no series or a coefficient, dose or
/// surviving fraction is not finite.
pub fn lq_figure(series: &[LqSeries], fig: &LqFigure) -> Result<Svg, Failure> {
    let bad = |what: &str| {
        Failure::analysis(anyhow::anyhow!(
            "cannot draw the survival curves: {what} is not a finite number"
        ))
    };
    if series.is_empty() {
        return Err(Failure::analysis(anyhow::anyhow!(
            "cannot draw the survival curves: no linear-quadratic fit"
        )));
    }
    let mut max_dose: f64 = 0.0;
    let (mut y_min, mut y_max) = (f64::INFINITY, 0.0_f64);
    let mut hidden = 0usize;
    for s in series {
        if !(s.alpha.is_finite() && s.beta.is_finite()) {
            return Err(bad("alpha or beta"));
        }
        for &(d, y) in &s.points {
            if !(d.is_finite() && y.is_finite()) {
                return Err(bad("a surviving fraction"));
            }
            max_dose = max_dose.max(d);
            if y > 0.0 {
                y_min = y_min.min(y);
                y_max = y_max.max(y);
            } else {
                hidden += 1;
            }
        }
        for &(d, m, e) in &s.means {
            if !(d.is_finite() && m.is_finite() && e.is_none_or(f64::is_finite)) {
                return Err(bad("a mean surviving fraction"));
            }
            max_dose = max_dose.max(d);
            if m > 0.0 {
                y_min = y_min.min(m);
                y_max = y_max.max(m + e.unwrap_or(0.0));
                let lo = m - e.unwrap_or(0.0);
                if lo > 0.0 {
                    y_min = y_min.min(lo);
                }
            }
        }
    }
    if max_dose <= 0.0 {
        max_dose = 1.0;
    }
    for s in series {
        y_min = y_min.min(lq(s, max_dose));
    }
    if !(y_min.is_finite() && y_min > 0.0) {
        y_min = 0.1;
    }
    // y: whole decades below, a little headroom above 1
    let y_lo = 10f64.powf((y_min * 0.95).log10().floor()).min(0.1);
    let y_hi = y_max.max(1.0) * 1.25;
    let decades: Vec<f64> = {
        let mut v = Vec::new();
        let mut t = 1.0;
        while t >= y_lo * (1.0 - 1e-9) {
            v.push(t);
            t /= 10.0;
        }
        v.reverse();
        v
    };
    let x_ticks = nice_ticks(0.0, max_dose, 6);

    let st = Style::default();
    let f = st.font_size;
    let pad = 0.4 * f;
    let tick = 0.4 * f;
    let axis = Stroke::solid("#000000", 1.0);
    let y_labels: Vec<String> = decades.iter().map(|&v| format_compact(v, 1)).collect();
    let label_w = y_labels
        .iter()
        .map(|l| text_width(l, f))
        .fold(0.0, f64::max);
    let left = pad + 1.5 * f + 0.4 * f + label_w + 0.3 * f + tick;
    let right = pad + text_width(x_ticks.labels.last().map_or("", |s| s), f) / 2.0 + 0.5 * f;
    let plot_w = st.width - left - right;
    let plot_h = (plot_w * 0.62).clamp(10.0 * f, 28.0 * f);
    let plot_y = pad + 0.6 * f;
    let base = plot_y + plot_h;
    let note_h = 1.6 * f;
    let height = base + tick + 0.3 * f + f + 1.55 * f + note_h + pad;
    // dose 0 a little right of the y axis, so its marks do not sit on it
    let sx = LinearScale {
        d0: x_ticks.first() - 0.025 * (x_ticks.last() - x_ticks.first()),
        d1: x_ticks.last(),
        r0: left,
        r1: left + plot_w,
    };
    let sy = LogScale {
        d0: y_lo,
        d1: y_hi,
        r0: base,
        r1: plot_y,
    };
    let mut c = Canvas::new(st.width, height);

    // axes
    c.group_start("x-axis");
    c.line(left, base, left + plot_w, base, &axis);
    let label_y = base + tick + 0.3 * f + 0.75 * f;
    for (v, l) in x_ticks.values.iter().zip(&x_ticks.labels) {
        let x = sx.map(*v);
        c.line(x, base, x, base + tick, &axis);
        c.text(x, label_y, l, &TextStyle::new(f).anchor(Anchor::Middle));
    }
    c.text(
        left + plot_w / 2.0,
        label_y + 0.25 * f + 1.3 * f,
        &fig.x_label,
        &TextStyle::new(f).anchor(Anchor::Middle),
    );
    c.group_end();
    c.group_start("y-axis");
    c.line(left, plot_y, left, base, &axis);
    for (v, l) in decades.iter().zip(&y_labels) {
        let y = sy.map(*v);
        c.line(left - tick, y, left, y, &axis);
        c.text(
            left - tick - 0.3 * f,
            y + 0.35 * f,
            l,
            &TextStyle::new(f).anchor(Anchor::End),
        );
        for k in 2..=9 {
            let m = v * f64::from(k);
            if m < y_hi {
                let y = sy.map(m);
                c.line(left - 0.55 * tick, y, left, y, &axis);
            }
        }
    }
    c.text(
        pad + 0.75 * f,
        (plot_y + base) / 2.0,
        "Surviving fraction",
        &TextStyle::new(f).anchor(Anchor::Middle).rotate(-90.0),
    );
    c.group_end();

    // curves, cut where they leave the plot
    for (i, s) in series.iter().enumerate() {
        let n = 200;
        let mut d = PathData::new();
        let mut pen = false;
        for k in 0..=n {
            let dose = x_ticks.last() * f64::from(k) / f64::from(n);
            let y = lq(s, dose);
            if y >= y_lo && y <= y_hi {
                if pen {
                    d.line_to(sx.map(dose), sy.map(y));
                } else {
                    d.move_to(sx.map(dose), sy.map(y));
                    pen = true;
                }
            } else {
                pen = false;
            }
        }
        c.group_start("lq-curve");
        c.path(&d, &Stroke::solid(group_colour(i), st.line_width));
        c.group_end();
    }
    // experiments, spread sideways at a dose
    for (i, s) in series.iter().enumerate() {
        let light = tint(group_colour(i), 0.5);
        c.group_start("lq-points");
        let mut doses: Vec<f64> = s.points.iter().map(|p| p.0).collect();
        doses.sort_by(f64::total_cmp);
        doses.dedup();
        for dose in doses {
            let at: Vec<f64> = s
                .points
                .iter()
                .filter(|p| p.0 == dose && p.1 > 0.0)
                .map(|p| p.1)
                .collect();
            let k = at.len();
            let step = if k > 1 {
                (1.2 * f / (k as f64 - 1.0)).min(0.4 * f)
            } else {
                0.0
            };
            for (j, y) in at.iter().enumerate() {
                let o = (j as f64 - (k as f64 - 1.0) / 2.0) * step;
                marker(
                    &mut c,
                    i,
                    sx.map(dose) + o,
                    sy.map(*y),
                    0.24 * f,
                    &light,
                    None,
                );
            }
        }
        c.group_end();
    }
    // means with error bars
    for (i, s) in series.iter().enumerate() {
        let colour = group_colour(i);
        let bar = Stroke::solid(colour, 1.2);
        c.group_start("lq-means");
        for &(dose, m, e) in &s.means {
            if m <= 0.0 {
                continue;
            }
            let x = sx.map(dose);
            if let Some(e) = e.filter(|e| *e > 0.0) {
                let lo = (m - e).max(y_lo);
                let (ya, yb) = (sy.map(lo), sy.map(m + e));
                c.line(x, ya, x, yb, &bar);
                c.line(x - 0.35 * f, yb, x + 0.35 * f, yb, &bar);
                if m - e > y_lo {
                    c.line(x - 0.35 * f, ya, x + 0.35 * f, ya, &bar);
                }
            }
            marker(
                &mut c,
                i,
                x,
                sy.map(m),
                0.38 * f,
                colour,
                Some(&Stroke::solid("#ffffff", 1.0)),
            );
        }
        c.group_end();
    }
    // legend, top right inside the plot (the curves fall away from it)
    let entries: Vec<String> = series
        .iter()
        .map(|s| {
            format!(
                "{}: α = {}, β = {}",
                s.label,
                format_sig(s.alpha, 3),
                format_sig(s.beta, 3)
            )
        })
        .collect();
    let legend_w = entries
        .iter()
        .map(|t| 2.3 * f + text_width(t, f))
        .fold(0.0, f64::max)
        + 0.8 * f;
    let legend_h = entries.len() as f64 * 1.4 * f + 0.5 * f;
    let lx = (left + plot_w - legend_w - 0.5 * f).max(left + 0.5 * f);
    let ly = plot_y + 0.5 * f;
    c.group_start("legend");
    c.rect_alpha(lx, ly, legend_w, legend_h, "#ffffff", 0.85);
    for (i, t) in entries.iter().enumerate() {
        let mid = ly + 0.25 * f + 1.4 * f * i as f64 + 0.7 * f;
        let x0 = lx + 0.4 * f;
        c.line(
            x0,
            mid,
            x0 + 1.8 * f,
            mid,
            &Stroke::solid(group_colour(i), st.line_width),
        );
        marker(
            &mut c,
            i,
            x0 + 0.9 * f,
            mid,
            0.34 * f,
            group_colour(i),
            Some(&Stroke::solid("#ffffff", 1.0)),
        );
        c.text(x0 + 2.3 * f, mid + 0.35 * f, t, &TextStyle::new(f));
    }
    c.group_end();
    let mut note = format!(
        "Large marks: mean ± {}; small: experiments; lines: LQ fit ({}).",
        fig.error.name(),
        fig.method
    );
    if hidden > 0 {
        note.push_str(&format!(" {hidden} SF = 0 not shown."));
    }
    c.text(
        left,
        height - pad - 0.3 * f,
        &note,
        &TextStyle::new(f).fill(GREY),
    );
    Ok(c.finish(Some("Cell survival curves")))
}
