//! Dose-response figure: observations per dose (each replicate, and
//! optionally the mean ± SD), a fitted curve, and an effective-dose marker
//! (ED50/IC50) on a logarithmic dose axis with a broken-off slot for the
//! untreated control (dose 0).
//!
//! The figure draws numbers it is given and fits nothing: the curve is a
//! list of `(dose, response)` points the caller evaluated (for instance
//! `DoseResponseFit::predict` of `oncomark-assay`, sampled with
//! [`sample_log`]); the ED marker's dose, response and limits come from
//! the fit. Dose 0 has no logarithm, so its observations sit in their own
//! slot left of the log axis, separated by an axis break (`//`), as drc's
//! `plot.drc` does with its `broken = TRUE` axis (Ritz, Baty, Streibig and
//! Gerhard, *Dose-response analysis using R*, PLoS ONE 10:e0146021,
//! 2015). Replicates at one dose are spread sideways in a fixed pattern (no
//! random jitter).

use serde::{Deserialize, Serialize};

use crate::axis::{self, Key};
use crate::error::{finite, ReportError};
use crate::format::{ci_name, format_compact, format_sig};
use crate::km::Placement;
use crate::labels::{BBox, Placer};
use crate::marks::{mark, shape_of};
use crate::scale::{log_ticks, nice_ticks, LinearScale, LogScale};
use crate::style::{group_colour, tint, Style};
use crate::svg::{text_width, Anchor, Canvas, PathData, Stroke, Svg, TextStyle};

/// Mean and spread of the replicates at one dose, as the caller computed
/// them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoseSummary {
    /// The dose (`>= 0`).
    pub dose: f64,
    /// Mean response.
    pub mean: f64,
    /// Error half-width (SD, SE, ...), drawn as `mean ± sd`.
    pub sd: Option<f64>,
}

/// An effective dose to mark on the curve (computed by the caller).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdMarker {
    /// Its name, e.g. `ED50` or `IC50`.
    pub name: String,
    /// The dose (`> 0`).
    pub dose: f64,
    /// The curve's response at that dose (where the marker lines meet).
    pub response: f64,
    /// Lower confidence limit of the dose.
    pub lower: Option<f64>,
    /// Upper confidence limit of the dose.
    pub upper: Option<f64>,
    /// Confidence level of the limits (e.g. 0.95).
    pub conf_level: f64,
}

impl EdMarker {
    /// `ED50 = 3.06 (95% CI 2.67–3.45)`: three significant digits.
    pub fn text(&self) -> String {
        let mut s = format!("{} = {}", self.name, format_sig(self.dose, 3));
        if let (Some(lo), Some(hi)) = (self.lower, self.upper) {
            s.push_str(&format!(
                " ({} {}–{})",
                ci_name(self.conf_level),
                format_sig(lo, 3),
                format_sig(hi, 3)
            ));
        }
        s
    }
}

/// One dose-response series (a cell line, a drug).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DoseSeries {
    /// Name in the legend (empty: no legend entry).
    pub label: String,
    /// Every observation `(dose, response)`, dose `>= 0`.
    pub points: Vec<(f64, f64)>,
    /// Mean ± SD per dose (optional).
    pub summary: Vec<DoseSummary>,
    /// The fitted curve evaluated at doses `> 0`, in any order.
    pub curve: Vec<(f64, f64)>,
    /// Effective dose to mark.
    pub ed: Option<EdMarker>,
}

/// `n >= 2` doses evenly spaced on a log scale from `lo` to `hi`
/// (`0 < lo < hi`) with the curve `f` evaluated at each: the points of a
/// smooth [`DoseSeries::curve`]. Points where `f` is not finite are left
/// out.
///
/// # Example
///
/// ```
/// use oncomark_report::dose::sample_log;
/// let pts = sample_log(0.1, 10.0, 3, |x| 1.0 / (1.0 + x));
/// assert_eq!(pts.len(), 3);
/// assert!((pts[1].0 - 1.0).abs() < 1e-12 && (pts[1].1 - 0.5).abs() < 1e-12);
/// ```
pub fn sample_log(lo: f64, hi: f64, n: usize, f: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return Vec::new();
    }
    let n = n.max(2);
    let (a, b) = (lo.ln(), hi.ln());
    (0..n)
        .map(|i| (a + (b - a) * i as f64 / (n - 1) as f64).exp())
        .map(|x| (x, f(x)))
        .filter(|p| p.1.is_finite())
        .collect()
}

/// Options of a dose-response figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DoseOptions {
    /// Size and type.
    pub style: Style,
    /// Title over the plot (default none).
    pub title: Option<String>,
    /// x-axis title (default `Dose`; say the unit, e.g. `Dose (µM)`).
    pub x_label: String,
    /// y-axis title (default `Response`).
    pub y_label: String,
    /// Label of the dose-0 slot (default `0`; e.g. `Control`).
    pub zero_label: String,
    /// Start the y axis at 0 when no value is negative (default true).
    pub y_from_zero: bool,
    /// Draw every observation (default true).
    pub show_points: bool,
    /// Legend position (default: a free corner of the plot, else above).
    pub legend: Placement,
}

impl Default for DoseOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            title: None,
            x_label: "Dose".to_string(),
            y_label: "Response".to_string(),
            zero_label: "0".to_string(),
            y_from_zero: true,
            show_points: true,
            legend: Placement::Auto,
        }
    }
}

/// A rendered dose-response figure.
#[derive(Debug, Clone, PartialEq)]
pub struct DoseFigure {
    /// The figure.
    pub svg: Svg,
    /// The log axis' domain (doses at its two ends).
    pub x_domain: (f64, f64),
    /// Doses of the labelled log-axis ticks.
    pub x_ticks: Vec<f64>,
    /// Whether a dose-0 slot with an axis break was drawn.
    pub zero_slot: bool,
    /// Where the legend went (`Hidden` when there was nothing to show).
    pub legend_placement: Placement,
}

fn check(series: &[DoseSeries], opts: &DoseOptions) -> Result<(), ReportError> {
    opts.style.validate()?;
    if series.is_empty() {
        return Err(ReportError::Empty {
            figure: "dose-response plot",
            what: "series",
            item: "series",
        });
    }
    let dose_ok = |what: &'static str, ctx: &str, d: f64, zero: bool| {
        finite(what, ctx, d)?;
        if d < 0.0 || (!zero && d == 0.0) {
            return Err(ReportError::OutOfRange {
                what,
                context: ctx.to_string(),
                value: d,
                reason: if zero {
                    "doses are >= 0"
                } else {
                    "curve and ED doses lie on the log axis: they must be > 0"
                },
            });
        }
        Ok(())
    };
    for s in series {
        let ctx = format!("series {:?}", s.label);
        for &(d, y) in &s.points {
            dose_ok("dose", &ctx, d, true)?;
            finite("response", &ctx, y)?;
        }
        for m in &s.summary {
            dose_ok("dose", &ctx, m.dose, true)?;
            finite("mean", &ctx, m.mean)?;
            if let Some(sd) = m.sd {
                finite("sd", &ctx, sd)?;
                if sd < 0.0 {
                    return Err(ReportError::OutOfRange {
                        what: "sd",
                        context: ctx,
                        value: sd,
                        reason: "an error half-width is >= 0",
                    });
                }
            }
        }
        for &(d, y) in &s.curve {
            dose_ok("curve dose", &ctx, d, false)?;
            finite("curve response", &ctx, y)?;
        }
        if let Some(ed) = &s.ed {
            dose_ok("ed dose", &ctx, ed.dose, false)?;
            finite("ed response", &ctx, ed.response)?;
            for (what, v) in [("ed lower", ed.lower), ("ed upper", ed.upper)] {
                if let Some(v) = v {
                    dose_ok(what, &ctx, v, false)?;
                }
            }
            if let (Some(lo), Some(hi)) = (ed.lower, ed.upper) {
                if lo > hi {
                    return Err(ReportError::OutOfRange {
                        what: "ed lower",
                        context: ctx,
                        value: lo,
                        reason: "the lower limit exceeds the upper limit",
                    });
                }
            }
            if !(ed.conf_level > 0.0 && ed.conf_level < 1.0) {
                return Err(ReportError::OutOfRange {
                    what: "conf_level",
                    context: ctx,
                    value: ed.conf_level,
                    reason: "a confidence level lies in (0, 1)",
                });
            }
        }
        if s.points.is_empty() && s.summary.is_empty() && s.curve.is_empty() {
            return Err(ReportError::Empty {
                figure: "dose-response plot",
                what: "points, summary and curve of a series",
                item: "observation or curve point",
            });
        }
    }
    Ok(())
}

/// Ticks of the log dose axis: decades over 2.5 decades or more (with
/// unlabelled minor ticks at 2-9 times each decade), else the 1-2-5
/// multiples inside the axis (minor ticks at the other integers), else
/// [`log_ticks`]; always at least two labelled ticks.
fn dose_ticks(lo: f64, hi: f64) -> (Vec<(f64, String)>, Vec<f64>) {
    let inside = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
    let e0 = lo.log10().floor() as i32;
    let e1 = hi.log10().ceil() as i32;
    let grid = |ks: &[u32]| -> Vec<f64> {
        let mut v = Vec::new();
        for e in e0..=e1 {
            for &k in ks {
                let x = if e >= 0 {
                    f64::from(k) * 10f64.powi(e)
                } else {
                    f64::from(k) / 10f64.powi(-e)
                };
                if inside(x) {
                    v.push(x);
                }
            }
        }
        v
    };
    let label = |v: &[f64]| -> Vec<(f64, String)> {
        v.iter().map(|&x| (x, format_compact(x, 1))).collect()
    };
    if (hi / lo).log10() >= 2.5 {
        let major = grid(&[1]);
        if major.len() >= 2 {
            return (label(&major), grid(&[2, 3, 4, 5, 6, 7, 8, 9]));
        }
    }
    let major = grid(&[1, 2, 5]);
    if (2..=8).contains(&major.len()) {
        return (label(&major), grid(&[3, 4, 6, 7, 8, 9]));
    }
    let t = log_ticks(lo, hi);
    let mut major: Vec<(f64, String)> = t
        .values
        .iter()
        .zip(&t.labels)
        .filter(|(v, _)| inside(**v))
        .map(|(v, l)| (*v, l.clone()))
        .collect();
    if major.len() < 2 {
        major = vec![(lo, format_compact(lo, 2)), (hi, format_compact(hi, 2))];
    }
    (major, Vec::new())
}

/// Sideways offsets (px) of `k` points at one dose.
fn spread(k: usize, f: f64) -> Vec<f64> {
    if k <= 1 {
        return vec![0.0; k];
    }
    let step = (1.2 * f / (k as f64 - 1.0)).min(0.4 * f);
    (0..k)
        .map(|i| (i as f64 - (k as f64 - 1.0) / 2.0) * step)
        .collect()
}

/// Renders a dose-response figure of `series` (drawn in order, colours and
/// marker shapes by position).
///
/// # Errors
///
/// [`ReportError::Empty`] without series or for a series with nothing to
/// draw; [`ReportError::NonFinite`] for a non-finite dose, response, mean,
/// SD or ED value; [`ReportError::OutOfRange`] for a negative dose, a
/// curve or ED dose `<= 0`, a negative SD, ED limits in the wrong order or
/// a confidence level outside (0, 1); [`ReportError::BadOption`] for a bad
/// style.
///
/// # Example
///
/// ```
/// use oncomark_report::dose::{dose_response_plot, sample_log, DoseOptions, DoseSeries, EdMarker};
/// // a curve the caller fitted: 100 / (1 + (x / 2)^1.5)
/// let f = |x: f64| 100.0 / (1.0 + (x / 2.0).powf(1.5));
/// let series = DoseSeries {
///     points: vec![(0.0, 101.0), (0.0, 99.0), (0.5, 93.0), (2.0, 52.0), (8.0, 12.0)],
///     curve: sample_log(0.4, 10.0, 60, f),
///     ed: Some(EdMarker { name: "IC50".into(), dose: 2.0, response: 50.0,
///                         lower: Some(1.6), upper: Some(2.5), conf_level: 0.95 }),
///     ..DoseSeries::default()
/// };
/// let fig = dose_response_plot(&[series], &DoseOptions::default())?;
/// assert!(fig.zero_slot);
/// assert!(fig.svg.as_str().contains("IC50 = 2.00 (95% CI 1.60–2.50)"));
/// # Ok::<(), oncomark_report::ReportError>(())
/// ```
pub fn dose_response_plot(
    series: &[DoseSeries],
    opts: &DoseOptions,
) -> Result<DoseFigure, ReportError> {
    check(series, opts)?;
    let st = &opts.style;
    let f = st.font_size;
    let pad = 0.4 * f;

    // x domain over every positive dose drawn
    let mut pos: Vec<f64> = Vec::new();
    let mut has_zero = false;
    for s in series {
        let obs = s
            .points
            .iter()
            .map(|p| p.0)
            .chain(s.summary.iter().map(|m| m.dose));
        for d in obs {
            if d == 0.0 {
                has_zero = true;
            } else {
                pos.push(d);
            }
        }
        pos.extend(s.curve.iter().map(|p| p.0));
        if let Some(ed) = &s.ed {
            pos.push(ed.dose);
            pos.extend(ed.lower);
            pos.extend(ed.upper);
        }
    }
    let (lo, hi) = if pos.is_empty() {
        (0.1, 10.0)
    } else {
        let lo = pos.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = pos.iter().copied().fold(0.0, f64::max);
        if hi / lo < 1.0001 {
            (lo / 2.0, lo * 2.0)
        } else {
            let r = (hi / lo).powf(0.04);
            (lo / r, hi * r)
        }
    };
    let (major, minor) = dose_ticks(lo, hi);

    // y domain over every value drawn
    let mut ys: Vec<f64> = Vec::new();
    for s in series {
        if opts.show_points {
            ys.extend(s.points.iter().map(|p| p.1));
        }
        for m in &s.summary {
            let e = m.sd.unwrap_or(0.0);
            ys.push(m.mean - e);
            ys.push(m.mean + e);
        }
        ys.extend(s.curve.iter().map(|p| p.1));
        if let Some(ed) = &s.ed {
            ys.push(ed.response);
        }
    }
    let mut y_lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let y_hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !y_lo.is_finite() {
        y_lo = 0.0;
    }
    if opts.y_from_zero && y_lo >= 0.0 {
        y_lo = 0.0;
    }
    let y_hi = if y_hi.is_finite() { y_hi } else { y_lo + 1.0 };
    let y_ticks = nice_ticks(y_lo, y_hi, 6);

    // legend entries: a key per labelled series, then the ED texts
    let labelled = series.iter().any(|s| !s.label.is_empty());
    let mut entries: Vec<(Key, String)> = Vec::new();
    for (i, s) in series.iter().enumerate() {
        if labelled {
            let line = if s.curve.is_empty() { None } else { Some(None) };
            entries.push((
                Key::Mark(group_colour(i).to_string(), shape_of(i), false, line),
                s.label.clone(),
            ));
        }
    }
    for s in series {
        if let Some(ed) = &s.ed {
            let t = if series.len() > 1 && !s.label.is_empty() {
                format!("{}: {}", s.label, ed.text())
            } else {
                ed.text()
            };
            entries.push((Key::Text, t));
        }
    }

    // horizontal layout
    let y_axis_w = axis::y_axis_width(st, &y_ticks.labels, !opts.y_label.is_empty());
    let left = pad + y_axis_w;
    let last_half = major
        .last()
        .map(|t| text_width(&t.1, f) / 2.0)
        .unwrap_or(0.0);
    let right = pad + last_half.max(0.6 * f);
    let plot_w = (st.width - left - right).max(0.3 * st.width);
    let width = left + plot_w + right;
    let plot_h = (plot_w * 0.62).clamp(10.0 * f, 28.0 * f);
    let zero_w = if has_zero {
        (0.07 * plot_w)
            .max(2.4 * f)
            .max(text_width(&opts.zero_label, f) + 0.6 * f)
    } else {
        0.0
    };
    let gap = if has_zero { 1.4 * f } else { 0.0 };
    let log_x0 = left + zero_w + gap;

    // legend placement needs the plot geometry: compute it at plot y = 0
    let geometry = |plot_y: f64| {
        let sx = LogScale {
            d0: lo,
            d1: hi,
            r0: log_x0,
            r1: left + plot_w,
        };
        let sy = LinearScale {
            d0: y_ticks.first(),
            d1: y_ticks.last(),
            r0: plot_y + plot_h,
            r1: plot_y,
        };
        (sx, sy)
    };
    let zero_x = left + zero_w / 2.0;
    let point_r = 0.3 * f;
    let mean_r = 0.38 * f;
    // every drawn mark and curve sample, for legend placement
    let samples = |sx: &LogScale, sy: &LinearScale| -> Vec<BBox> {
        let xmap = |d: f64| if d == 0.0 { zero_x } else { sx.map(d) };
        let mut b = Vec::new();
        for s in series {
            if opts.show_points {
                for &(d, y) in &s.points {
                    b.push(BBox::around(xmap(d), sy.map(y), point_r + 0.5 * f));
                }
            }
            for m in &s.summary {
                let e = m.sd.unwrap_or(0.0);
                let (x, y0, y1) = (xmap(m.dose), sy.map(m.mean + e), sy.map(m.mean - e));
                b.push(BBox {
                    x0: x - mean_r,
                    y0,
                    x1: x + mean_r,
                    y1,
                });
            }
            let mut curve = s.curve.clone();
            curve.sort_by(|a, b| a.0.total_cmp(&b.0));
            for w in curve.windows(2) {
                let (x0, y0) = (sx.map(w[0].0), sy.map(w[0].1));
                let (x1, y1) = (sx.map(w[1].0), sy.map(w[1].1));
                let n = ((x1 - x0).abs().max((y1 - y0).abs()) / 3.0).ceil().max(1.0) as usize;
                for k in 0..=n {
                    let t = k as f64 / n as f64;
                    b.push(BBox::around(
                        x0 + (x1 - x0) * t,
                        y0 + (y1 - y0) * t,
                        0.3 * f,
                    ));
                }
            }
            if let Some(ed) = &s.ed {
                let x = sx.map(ed.dose);
                b.push(BBox {
                    x0: x - 1.0,
                    y0: sy.map(ed.response),
                    x1: x + 1.0,
                    y1: sy.map(y_ticks.first()),
                });
                b.push(BBox {
                    x0: left,
                    y0: sy.map(ed.response) - 1.0,
                    x1: x,
                    y1: sy.map(ed.response) + 1.0,
                });
            }
        }
        b
    };
    let (legend_w, legend_h) = axis::legend_size(st, None, &entries);
    let margin = 0.5 * f;
    let legend_place = legend_place(
        opts.legend,
        !entries.is_empty(),
        (legend_w, legend_h),
        (left, plot_w, plot_h),
        margin,
        f,
        [
            Placement::TopRight,
            Placement::BottomLeft,
            Placement::BottomRight,
        ],
        || {
            let (sx, sy) = geometry(0.0);
            samples(&sx, &sy)
        },
    );

    // vertical layout
    let axis::Column {
        title_y,
        legend_y: legend_above_y,
        plot_y,
        height,
    } = axis::column(
        st,
        pad,
        opts.title.is_some(),
        (legend_place == Placement::Above).then_some(legend_h),
        plot_h,
        !opts.x_label.is_empty(),
    );
    let (sx, sy) = geometry(plot_y);
    let xmap = |d: f64| if d == 0.0 { zero_x } else { sx.map(d) };
    let y_base = plot_y + plot_h;

    let mut c = Canvas::new(width, height);
    axis::title(&mut c, st, width, opts.title.as_deref(), title_y);
    // y axis
    let y_px = axis::px_ticks(&y_ticks, |v| sy.map(v));
    axis::y_axis(
        &mut c,
        st,
        left,
        plot_y,
        y_base,
        &y_px,
        Some(&opts.y_label),
        pad + 0.75 * f,
    );
    // x axis: the dose-0 slot, the break, the log axis
    let black = Stroke::solid("#000000", st.axis_width());
    c.group_start("x-axis");
    c.line(log_x0, y_base, left + plot_w, y_base, &black);
    let label_base = y_base + st.tick_len() + 0.3 * f + 0.75 * f;
    let label = TextStyle::new(f).anchor(Anchor::Middle);
    for (v, l) in &major {
        let x = sx.map(*v);
        c.line(x, y_base, x, y_base + st.tick_len(), &black);
        c.text(x, label_base, l, &label);
    }
    for v in &minor {
        let x = sx.map(*v);
        c.line(x, y_base, x, y_base + st.tick_len() * 0.55, &black);
    }
    if has_zero {
        c.line(left, y_base, left + zero_w, y_base, &black);
        c.line(zero_x, y_base, zero_x, y_base + st.tick_len(), &black);
        c.text(zero_x, label_base, &opts.zero_label, &label);
        c.group_start("axis-break");
        for x in [left + zero_w, log_x0] {
            c.line(
                x - 0.22 * f,
                y_base + 0.4 * f,
                x + 0.22 * f,
                y_base - 0.4 * f,
                &black,
            );
        }
        c.group_end();
    }
    if !opts.x_label.is_empty() {
        c.text(
            left + plot_w / 2.0,
            label_base + 0.25 * f + 1.3 * f,
            &opts.x_label,
            &label,
        );
    }
    c.group_end();

    // ED marker lines, under the data
    for (i, s) in series.iter().enumerate() {
        if let Some(ed) = &s.ed {
            let colour = group_colour(i);
            let (x, y) = (sx.map(ed.dose), sy.map(ed.response));
            c.group_start("ed-marker");
            let dash = Stroke::dashed(colour, 1.2, 4.0, 3.0);
            c.line(x, y_base, x, y, &dash);
            c.line(left, y, x, y, &dash);
            if let (Some(lo_d), Some(hi_d)) = (ed.lower, ed.upper) {
                let (xl, xu) = (sx.map(lo_d), sx.map(hi_d));
                let w = Stroke::solid(colour, st.line_width * 1.25);
                c.line(xl, y, xu, y, &w);
                for xe in [xl, xu] {
                    c.line(xe, y - 0.35 * f, xe, y + 0.35 * f, &w);
                }
            }
            c.group_end();
        }
    }
    // curves
    for (i, s) in series.iter().enumerate() {
        if s.curve.is_empty() {
            continue;
        }
        let mut pts = s.curve.clone();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut d = PathData::new();
        for (k, &(x, y)) in pts.iter().enumerate() {
            let (px, py) = (sx.map(x), sy.map(y).clamp(plot_y, y_base));
            if k == 0 {
                d.move_to(px, py);
            } else {
                d.line_to(px, py);
            }
        }
        c.group_start("dose-curve");
        c.path(&d, &Stroke::solid(group_colour(i), st.line_width));
        c.group_end();
    }
    // observations, then means and error bars over them
    if opts.show_points {
        for (i, s) in series.iter().enumerate() {
            if s.points.is_empty() {
                continue;
            }
            let colour = group_colour(i);
            let light = tint(colour, 0.55);
            c.group_start("dose-points");
            // replicates at one dose spread sideways, in input order
            let mut doses: Vec<f64> = s.points.iter().map(|p| p.0).collect();
            doses.sort_by(f64::total_cmp);
            doses.dedup();
            for d in doses {
                let at: Vec<f64> = s.points.iter().filter(|p| p.0 == d).map(|p| p.1).collect();
                for (y, o) in at.iter().zip(spread(at.len(), f)) {
                    if s.summary.is_empty() {
                        mark(
                            &mut c,
                            shape_of(i),
                            xmap(d) + o,
                            sy.map(*y),
                            point_r,
                            colour,
                            None,
                            1.2,
                        );
                    } else {
                        // behind the mean: small, in a light tint
                        mark(
                            &mut c,
                            shape_of(i),
                            xmap(d) + o,
                            sy.map(*y),
                            0.24 * f,
                            &light,
                            Some(&light),
                            0.0,
                        );
                    }
                }
            }
            c.group_end();
        }
    }
    // error bars and means
    for (i, s) in series.iter().enumerate() {
        if s.summary.is_empty() {
            continue;
        }
        let colour = group_colour(i);
        c.group_start("dose-means");
        let bar = Stroke::solid(colour, (st.line_width * 0.6).max(1.0));
        for m in &s.summary {
            let x = xmap(m.dose);
            if let Some(e) = m.sd.filter(|e| *e > 0.0) {
                let (ya, yb) = (sy.map(m.mean - e), sy.map(m.mean + e));
                c.line(x, ya, x, yb, &bar);
                for ye in [ya, yb] {
                    c.line(x - 0.35 * f, ye, x + 0.35 * f, ye, &bar);
                }
            }
            mark(
                &mut c,
                shape_of(i),
                x,
                sy.map(m.mean),
                mean_r,
                colour,
                Some(colour),
                1.0,
            );
        }
        c.group_end();
    }
    // legend
    match legend_place {
        Placement::Above => {
            axis::legend(
                &mut c,
                st,
                left,
                legend_above_y.unwrap_or(pad),
                None,
                &entries,
            );
        }
        Placement::Hidden | Placement::Auto => {}
        p => {
            let b = corner(p, legend_w, legend_h, left, plot_y, plot_w, plot_h, margin);
            axis::legend(&mut c, st, b.x0, b.y0, None, &entries);
        }
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Dose-response plot".to_string());
    Ok(DoseFigure {
        svg: c.finish(Some(&title)),
        x_domain: (lo, hi),
        x_ticks: major.iter().map(|t| t.0).collect(),
        zero_slot: has_zero,
        legend_placement: legend_place,
    })
}

/// Where a `size` legend goes: hidden without entries, at `want` unless
/// that is `Auto`, else in the first of `corners` of the plot (`left`,
/// `plot_w` wide, `plot_h` high, top at y = 0) whose box, `margin` in from
/// the edges, meets none of the boxes from `blockers` (drawn with the plot
/// at y = 0), else above the plot.
pub(crate) fn legend_place(
    want: Placement,
    has_entries: bool,
    size: (f64, f64),
    (left, plot_w, plot_h): (f64, f64, f64),
    margin: f64,
    font: f64,
    corners: [Placement; 3],
    blockers: impl FnOnce() -> Vec<BBox>,
) -> Placement {
    if !has_entries {
        return Placement::Hidden;
    }
    if want != Placement::Auto {
        return want;
    }
    let mut placer = Placer::new(
        BBox {
            x0: left,
            y0: 0.0,
            x1: left + plot_w,
            y1: plot_h,
        },
        font,
    );
    for b in blockers() {
        placer.block(b);
    }
    corners
        .into_iter()
        .find(|&p| {
            let b = corner(p, size.0, size.1, left, 0.0, plot_w, plot_h, margin);
            placer.is_free(&b)
        })
        .unwrap_or(Placement::Above)
}

/// The box of a `w x h` legend in a corner of the plot at
/// `(x0, y0, pw, ph)`.
pub(crate) fn corner(
    p: Placement,
    w: f64,
    h: f64,
    x0: f64,
    y0: f64,
    pw: f64,
    ph: f64,
    m: f64,
) -> BBox {
    let (x, y) = match p {
        Placement::BottomLeft => (x0 + m, y0 + ph - h - m),
        Placement::BottomRight => (x0 + pw - w - m, y0 + ph - h - m),
        _ => (x0 + pw - w - m, y0 + m),
    };
    BBox {
        x0: x,
        y0: y,
        x1: x + w,
        y1: y + h,
    }
}
