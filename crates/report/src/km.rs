//! Kaplan-Meier figure: step curves, censoring marks, confidence bands,
//! medians, test annotation, legend and the numbers-at-risk table.
//!
//! The figure draws what a [`KmFit`] holds and computes no estimate: the
//! curve is `S = 1` from time 0 to the first event, then drops at every
//! event time to the `survival` of that step and stays there until the
//! next event (right-continuous steps), ending at the group's last
//! observed time. Censoring marks (`+`) sit on the curve at each time
//! with `n_censor > 0`. Bands are the step function of the pointwise
//! `lower`/`upper` limits of the fit (undefined before the first event
//! under log-log limits, where `S = 1`: drawn as the point `S = 1`; they
//! stop where the limits are undefined because `S = 0`). Median lines are
//! dashed from `S = 0.5` to the fit's `median` and down to the axis.
//!
//! The numbers at risk are [`KmFit::n_at_risk`] at exactly the x-axis tick
//! times (converted back to the fit's time unit), printed centred under
//! each tick, the layout of Pocock, Clayton & Altman (*Survival plots of
//! time-to-event outcomes in clinical trials*, Lancet 2002;359:1686-9).

use serde::{Deserialize, Serialize};

use oncomark_survival::km::KmFit;

use crate::axis::{self, Key};
use crate::error::{finite, ReportError};
use crate::format::{hr_label, p_label};
use crate::scale::{nice_ticks, step_ticks, LinearScale};
use crate::style::{group_colour, Style, GREY};
use crate::svg::{text_width, Anchor, Canvas, PathData, Stroke, Svg, TextStyle};

/// Where a legend or an annotation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    /// The free corner of the plot (the one that covers the fewest curve
    /// points), else above the plot.
    #[default]
    Auto,
    /// Inside the plot, top right.
    TopRight,
    /// Inside the plot, bottom left.
    BottomLeft,
    /// Inside the plot, bottom right.
    BottomRight,
    /// Above the plot, outside it.
    Above,
    /// Not drawn.
    Hidden,
}

/// A hazard ratio to print on the figure (computed by the caller).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HazardRatioText {
    /// The hazard ratio (> 0).
    pub hr: f64,
    /// Its lower confidence limit.
    pub lower: Option<f64>,
    /// Its upper confidence limit.
    pub upper: Option<f64>,
    /// Confidence level of the limits (e.g. 0.95).
    pub conf_level: f64,
    /// What is compared, e.g. `high vs low`.
    pub label: Option<String>,
}

/// Test results printed on the figure, as the caller computed them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KmAnnotation {
    /// Log-rank P value, printed `Log-rank P = 0.0034`.
    pub logrank_p: Option<f64>,
    /// Hazard ratio, printed `HR 0.71 (95% CI 0.55–0.91)`.
    pub hr: Option<HazardRatioText>,
    /// Further lines, printed as given.
    pub lines: Vec<String>,
}

impl KmAnnotation {
    /// The text lines, in order.
    pub fn text_lines(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(p) = self.logrank_p {
            v.push(format!("Log-rank {}", p_label(p)));
        }
        if let Some(h) = &self.hr {
            v.push(hr_label(
                h.hr,
                h.lower,
                h.upper,
                h.conf_level,
                h.label.as_deref(),
            ));
        }
        v.extend(self.lines.iter().cloned());
        v
    }
}

/// Options of a Kaplan-Meier figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KmPlotOptions {
    /// Size and type.
    pub style: Style,
    /// Title over the plot (journals put it in the caption: default none).
    pub title: Option<String>,
    /// x-axis title (default `Time`).
    pub x_label: String,
    /// y-axis title (default `Survival probability`).
    pub y_label: String,
    /// Label the y axis 0-100 (%) instead of 0-1.
    pub y_percent: bool,
    /// Group names for the legend and the table (default: each fit's
    /// `group`); one per fit when given.
    pub labels: Vec<String>,
    /// Legend title (e.g. the grouping variable).
    pub legend_title: Option<String>,
    /// Add `(n = 440)` to each legend entry.
    pub legend_n: bool,
    /// Fit times are divided by this for display (e.g. 365.25 for days
    /// shown as years, 30.4375 for months); default 1.
    pub time_scale: f64,
    /// End of the time axis in display units (default: the last tick at
    /// or after the largest time).
    pub x_max: Option<f64>,
    /// Tick step in display units (default: a 1-2-5 step giving about 6
    /// ticks; use 12 for months).
    pub x_step: Option<f64>,
    /// Draw pointwise confidence bands.
    pub conf_bands: bool,
    /// Draw `+` at censoring times (default true).
    pub censor_marks: bool,
    /// Draw median lines.
    pub median_lines: bool,
    /// Draw the numbers-at-risk table under the axis (default true).
    pub at_risk_table: bool,
    /// Title of the numbers-at-risk table (default `No. at risk`).
    pub at_risk_title: String,
    /// Test results to print on the plot.
    pub annotation: KmAnnotation,
    /// Legend position (default: automatic).
    pub legend: Placement,
    /// Annotation position (default: automatic).
    pub annotation_placement: Placement,
    /// Dash every group after the first, for greyscale print.
    pub dashed_groups: bool,
}

impl Default for KmPlotOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            title: None,
            x_label: "Time".to_string(),
            y_label: "Survival probability".to_string(),
            y_percent: false,
            labels: Vec::new(),
            legend_title: None,
            legend_n: false,
            time_scale: 1.0,
            x_max: None,
            x_step: None,
            conf_bands: false,
            censor_marks: true,
            median_lines: false,
            at_risk_table: true,
            at_risk_title: "No. at risk".to_string(),
            annotation: KmAnnotation::default(),
            legend: Placement::Auto,
            annotation_placement: Placement::Auto,
            dashed_groups: false,
        }
    }
}

/// One row of the numbers-at-risk table as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AtRiskRow {
    /// Group name as printed.
    pub group: String,
    /// Subjects at risk at each tick.
    pub counts: Vec<u32>,
}

/// A rendered Kaplan-Meier figure and what it printed.
#[derive(Debug, Clone, PartialEq)]
pub struct KmFigure {
    /// The figure.
    pub svg: Svg,
    /// The x-axis ticks in display units (where the at-risk counts are).
    pub ticks: Vec<f64>,
    /// The numbers-at-risk table (empty when not drawn).
    pub at_risk: Vec<AtRiskRow>,
    /// Where the legend went (never `Auto`).
    pub legend_placement: Placement,
    /// Where the annotation went (never `Auto`).
    pub annotation_placement: Placement,
}

/// Dash pattern of group `g` when groups are dashed.
fn dash_of(g: usize, opts: &KmPlotOptions) -> Option<(f64, f64)> {
    let f = opts.style.font_size;
    if !opts.dashed_groups || g == 0 {
        return None;
    }
    let patterns = [(0.6, 0.3), (0.15, 0.25), (0.8, 0.2)];
    let (a, b) = patterns[(g - 1) % patterns.len()];
    Some((a * f, b * f))
}

fn check(fits: &[KmFit], opts: &KmPlotOptions) -> Result<(), ReportError> {
    opts.style.validate()?;
    if fits.is_empty() {
        return Err(ReportError::Empty {
            figure: "Kaplan-Meier plot",
            what: "fits",
            item: "group",
        });
    }
    if !opts.labels.is_empty() && opts.labels.len() != fits.len() {
        return Err(ReportError::LengthMismatch {
            what: "labels",
            got: opts.labels.len(),
            expected: fits.len(),
            hint: "one label per fit, or none to use the fits' group names",
        });
    }
    let positive = |what: &'static str, v: f64| {
        if v.is_finite() && v > 0.0 {
            Ok(())
        } else {
            Err(ReportError::BadOption {
                what,
                value: v.to_string(),
                reason: "must be a positive finite number",
            })
        }
    };
    positive("time_scale", opts.time_scale)?;
    if let Some(x) = opts.x_max {
        positive("x_max", x)?;
    }
    if let Some(x) = opts.x_step {
        positive("x_step", x)?;
    }
    for fit in fits {
        let ctx = || format!("group {}", fit.group);
        for s in &fit.steps {
            finite("time", &ctx(), s.time)?;
            if s.time < 0.0 {
                return Err(ReportError::OutOfRange {
                    what: "time",
                    context: ctx(),
                    value: s.time,
                    reason: "survival times are >= 0",
                });
            }
            for (what, v) in [
                ("survival", Some(s.survival)),
                ("lower", s.lower),
                ("upper", s.upper),
            ] {
                if let Some(v) = v {
                    finite(what, &ctx(), v)?;
                    if !(0.0..=1.0).contains(&v) {
                        return Err(ReportError::OutOfRange {
                            what,
                            context: ctx(),
                            value: v,
                            reason: "survival probabilities lie in [0, 1]",
                        });
                    }
                }
            }
        }
        if let Some(m) = fit.median {
            finite("median", &ctx(), m)?;
        }
    }
    if let Some(p) = opts.annotation.logrank_p {
        if !(0.0..=1.0).contains(&p) {
            return Err(ReportError::OutOfRange {
                what: "logrank_p",
                context: "annotation".to_string(),
                value: p,
                reason: "a P value lies in [0, 1]",
            });
        }
    }
    if let Some(h) = &opts.annotation.hr {
        if !(h.hr.is_finite() && h.hr > 0.0) {
            return Err(ReportError::OutOfRange {
                what: "hr",
                context: "annotation".to_string(),
                value: h.hr,
                reason: "a hazard ratio is a positive finite number",
            });
        }
        if !(h.conf_level > 0.0 && h.conf_level < 1.0) {
            return Err(ReportError::OutOfRange {
                what: "conf_level",
                context: "annotation".to_string(),
                value: h.conf_level,
                reason: "a confidence level lies in (0, 1)",
            });
        }
    }
    Ok(())
}

/// Geometry of one curve in plot coordinates (origin at the plot's top
/// left, y down).
struct CurveGeom {
    /// Step path.
    path: PathData,
    /// Sample points along the path (for legend placement).
    samples: Vec<(f64, f64)>,
    /// Censoring mark centres.
    censors: Vec<(f64, f64)>,
    /// Band polygons.
    band: PathData,
    /// Median (x px), when inside the axis.
    median_x: Option<f64>,
}

fn curve_geom(
    fit: &KmFit,
    opts: &KmPlotOptions,
    sx: &LinearScale,
    sy: &LinearScale,
    x_end: f64,
) -> CurveGeom {
    let ts = opts.time_scale;
    let disp = |t: f64| t / ts;
    let steps: Vec<_> = fit.steps.iter().filter(|s| disp(s.time) <= x_end).collect();
    // the curve
    let mut path = PathData::new();
    let mut samples = Vec::new();
    let push_h = |samples: &mut Vec<(f64, f64)>, x0: f64, x1: f64, y: f64| {
        let n = ((x1 - x0) / 2.0).ceil().max(1.0) as usize;
        for i in 0..=n {
            samples.push((x0 + (x1 - x0) * i as f64 / n as f64, y));
        }
    };
    let (mut x, mut y) = (sx.map(0.0), sy.map(1.0));
    path.move_to(x, y);
    for s in &steps {
        if s.n_event > 0 {
            let nx = sx.map(disp(s.time));
            let ny = sy.map(s.survival);
            path.h(nx).v(ny);
            push_h(&mut samples, x, nx, y);
            let n = ((ny - y).abs() / 2.0).ceil().max(1.0) as usize;
            for i in 0..=n {
                samples.push((nx, y + (ny - y) * i as f64 / n as f64));
            }
            (x, y) = (nx, ny);
        }
    }
    // the curve goes on past the axis end when the fit has later times
    let truncated = fit.steps.last().is_some_and(|s| disp(s.time) > x_end);
    let end = if truncated {
        Some(x_end)
    } else {
        steps.last().map(|s| disp(s.time))
    };
    if let Some(end) = end {
        let nx = sx.map(end);
        if nx > x {
            path.h(nx);
            push_h(&mut samples, x, nx, y);
        }
    }
    // censoring marks
    let censors: Vec<(f64, f64)> = if opts.censor_marks {
        steps
            .iter()
            .filter(|s| s.n_censor > 0)
            .map(|s| (sx.map(disp(s.time)), sy.map(s.survival)))
            .collect()
    } else {
        Vec::new()
    };
    // confidence band: intervals [a, b) with limits (lo, hi)
    let mut band = PathData::new();
    if opts.conf_bands {
        let mut segments: Vec<Vec<(f64, f64, f64, f64)>> = vec![Vec::new()];
        let mut prev_t = 0.0;
        let mut prev = Some((1.0, 1.0));
        for s in &steps {
            let t = disp(s.time);
            if let Some((lo, hi)) = prev {
                if t > prev_t {
                    segments
                        .last_mut()
                        .expect("non-empty")
                        .push((prev_t, t, lo, hi));
                }
            }
            prev = match (s.lower, s.upper) {
                (Some(lo), Some(hi)) => Some((lo, hi)),
                _ if s.survival >= 1.0 => Some((1.0, 1.0)),
                _ => None,
            };
            if prev.is_none() && !segments.last().expect("non-empty").is_empty() {
                segments.push(Vec::new());
            }
            prev_t = t;
        }
        if let (true, Some((lo, hi))) = (truncated, prev) {
            if x_end > prev_t {
                segments
                    .last_mut()
                    .expect("non-empty")
                    .push((prev_t, x_end, lo, hi));
            }
        }
        for seg in segments.iter().filter(|s| !s.is_empty()) {
            // merge runs with equal limits
            let mut merged: Vec<(f64, f64, f64, f64)> = Vec::new();
            for &iv in seg {
                match merged.last_mut() {
                    Some(m) if m.2 == iv.2 && m.3 == iv.3 && m.1 == iv.0 => m.1 = iv.1,
                    _ => merged.push(iv),
                }
            }
            // sample the band's area, so that no legend covers it
            for iv in &merged {
                let (x0, x1) = (sx.map(iv.0), sx.map(iv.1));
                let (y0, y1) = (sy.map(iv.3), sy.map(iv.2));
                let nx = ((x1 - x0) / 6.0).ceil().max(1.0) as usize;
                let ny = ((y1 - y0) / 6.0).ceil().max(1.0) as usize;
                for i in 0..=nx {
                    for j in 0..=ny {
                        samples.push((
                            x0 + (x1 - x0) * i as f64 / nx as f64,
                            y0 + (y1 - y0) * j as f64 / ny as f64,
                        ));
                    }
                }
            }
            let n = merged.len();
            band.move_to(sx.map(merged[0].0), sy.map(merged[0].3))
                .h(sx.map(merged[0].1));
            for iv in &merged[1..] {
                band.v(sy.map(iv.3)).h(sx.map(iv.1));
            }
            band.v(sy.map(merged[n - 1].2));
            for i in (0..n).rev() {
                band.h(sx.map(merged[i].0));
                if i > 0 {
                    band.v(sy.map(merged[i - 1].2));
                }
            }
            band.close();
        }
    }
    let median_x = fit
        .median
        .map(disp)
        .filter(|&m| m <= x_end)
        .map(|m| sx.map(m));
    CurveGeom {
        path,
        samples,
        censors,
        band,
        median_x,
    }
}

/// Number of sample points inside a box (expanded by `pad`).
fn covered(points: &[(f64, f64)], b: (f64, f64, f64, f64), pad: f64) -> usize {
    let (x, y, w, h) = b;
    points
        .iter()
        .filter(|&&(px, py)| {
            px >= x - pad && px <= x + w + pad && py >= y - pad && py <= y + h + pad
        })
        .count()
}

/// Top-left corner of a `w x h` box in a corner of the plot.
fn corner_box(p: Placement, w: f64, h: f64, pw: f64, ph: f64, m: f64) -> (f64, f64, f64, f64) {
    match p {
        Placement::BottomLeft => (m, ph - h - m, w, h),
        Placement::BottomRight => (pw - w - m, ph - h - m, w, h),
        _ => (pw - w - m, m, w, h),
    }
}

/// Chooses a corner among `candidates` (in order of preference) that
/// covers no point, else `Above`.
fn place(
    want: Placement,
    candidates: &[Placement],
    points: &[(f64, f64)],
    size: (f64, f64),
    plot: (f64, f64),
    m: f64,
    taken: Option<(f64, f64, f64, f64)>,
) -> Placement {
    if want != Placement::Auto {
        return want;
    }
    for &c in candidates {
        let b = corner_box(c, size.0, size.1, plot.0, plot.1, m);
        if b.0 < 0.0 || b.1 < 0.0 {
            continue;
        }
        let overlaps_taken = taken.is_some_and(|t| {
            b.0 < t.0 + t.2 + m && t.0 < b.0 + b.2 + m && b.1 < t.1 + t.3 + m && t.1 < b.1 + b.3 + m
        });
        if !overlaps_taken && covered(points, b, m * 0.5) == 0 {
            return c;
        }
    }
    Placement::Above
}

/// Renders a Kaplan-Meier figure of `fits` (one curve per fit, in order).
///
/// # Errors
///
/// [`ReportError::Empty`] without fits; [`ReportError::LengthMismatch`]
/// when `labels` is given but not one per fit; [`ReportError::NonFinite`]
/// and [`ReportError::OutOfRange`] for a time, probability, P value or
/// hazard ratio that cannot be drawn; [`ReportError::BadOption`] for a
/// bad style, `time_scale`, `x_max` or `x_step`.
///
/// # Example
///
/// ```
/// use oncomark_survival::km::{kaplan_meier_groups, KmOptions};
/// use oncomark_report::km::{km_plot, KmPlotOptions};
/// let time = [1.0, 3.0, 4.0, 6.0, 2.0, 5.0, 8.0, 9.0];
/// let event = [true, true, false, true, true, false, true, false];
/// let group = [0, 0, 0, 0, 1, 1, 1, 1];
/// let km = kaplan_meier_groups(&time, &event, &group, &["A", "B"], &KmOptions::default())?;
/// let fig = km_plot(&km.groups, &KmPlotOptions::default())?;
/// // at-risk counts are the fit's own, at the tick times
/// assert_eq!(fig.at_risk[0].counts, km.groups[0].n_at_risk(&fig.ticks));
/// assert!(fig.svg.as_str().contains("No. at risk"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn km_plot(fits: &[KmFit], opts: &KmPlotOptions) -> Result<KmFigure, ReportError> {
    check(fits, opts)?;
    let st = &opts.style;
    let f = st.font_size;
    let ts = opts.time_scale;
    let labels: Vec<String> = if opts.labels.is_empty() {
        fits.iter().map(|g| g.group.clone()).collect()
    } else {
        opts.labels.clone()
    };
    let legend_labels: Vec<String> = labels
        .iter()
        .zip(fits)
        .map(|(l, g)| {
            if opts.legend_n {
                format!("{l} (n = {})", g.n)
            } else {
                l.clone()
            }
        })
        .collect();

    // time axis (display units)
    let t_max = fits
        .iter()
        .filter_map(|g| g.steps.last())
        .map(|s| s.time / ts)
        .fold(0.0, f64::max);
    let hi = opts.x_max.unwrap_or(t_max).max(f64::MIN_POSITIVE);
    let ticks = match opts.x_step {
        Some(step) => step_ticks(0.0, hi, step),
        None => nice_ticks(0.0, hi, 6),
    };
    let x_end = opts.x_max.unwrap_or(ticks.last());
    let tick_pairs: Vec<(f64, String)> = ticks
        .values
        .iter()
        .zip(&ticks.labels)
        .filter(|(v, _)| **v <= x_end * (1.0 + 1e-12))
        .map(|(v, l)| (*v, l.clone()))
        .collect();
    let tick_values: Vec<f64> = tick_pairs.iter().map(|t| t.0).collect();

    // numbers at risk, at exactly the tick times in the fit's unit
    let at_risk: Vec<AtRiskRow> = if opts.at_risk_table {
        let fit_times: Vec<f64> = tick_values.iter().map(|&t| t * ts).collect();
        fits.iter()
            .zip(&labels)
            .map(|(g, l)| AtRiskRow {
                group: l.clone(),
                counts: g.n_at_risk(&fit_times),
            })
            .collect()
    } else {
        Vec::new()
    };

    // y axis labels
    let y_ticks: Vec<(f64, String)> = (0..=5)
        .map(|k| {
            let v = k as f64 / 5.0;
            let l = if opts.y_percent {
                format!("{}", k * 20)
            } else {
                format!("{:.1}", v)
            };
            (v, l)
        })
        .collect();
    let y_tick_labels: Vec<String> = y_ticks.iter().map(|t| t.1.clone()).collect();

    // horizontal layout
    let pad = 0.4 * f;
    let y_axis_w = axis::y_axis_width(st, &y_tick_labels, !opts.y_label.is_empty());
    let first_count_half = at_risk
        .iter()
        .filter_map(|r| r.counts.first())
        .map(|c| text_width(&c.to_string(), f) / 2.0)
        .fold(0.0, f64::max);
    let risk_label_w = at_risk
        .iter()
        .map(|r| text_width(&r.group, f))
        .fold(0.0, f64::max);
    let left = pad
        + y_axis_w.max(if at_risk.is_empty() {
            0.0
        } else {
            risk_label_w + 0.8 * f + first_count_half
        });
    let last_label_half = tick_pairs
        .last()
        .map(|t| text_width(&t.1, f) / 2.0)
        .unwrap_or(0.0);
    let last_count_half = at_risk
        .iter()
        .filter_map(|r| r.counts.last())
        .map(|c| text_width(&c.to_string(), f) / 2.0)
        .fold(0.0, f64::max);
    let right = pad + last_label_half.max(last_count_half).max(0.6 * f);
    let plot_w = (st.width - left - right).max(0.3 * st.width);
    let width = left + plot_w + right;
    let plot_h = (plot_w * 0.62).clamp(10.0 * f, 30.0 * f);

    let sx = LinearScale {
        d0: 0.0,
        d1: x_end,
        r0: 0.0,
        r1: plot_w,
    };
    let sy = LinearScale {
        d0: 0.0,
        d1: 1.0,
        r0: plot_h,
        r1: 0.0,
    };
    let geoms: Vec<CurveGeom> = fits
        .iter()
        .map(|g| curve_geom(g, opts, &sx, &sy, x_end))
        .collect();

    // legend and annotation placement (plot coordinates)
    let entries: Vec<(Key, String)> = legend_labels
        .iter()
        .enumerate()
        .map(|(g, l)| {
            (
                Key::Line(group_colour(g).to_string(), dash_of(g, opts)),
                l.clone(),
            )
        })
        .collect();
    let mut points: Vec<(f64, f64)> = Vec::new();
    for g in &geoms {
        points.extend(&g.samples);
        points.extend(&g.censors);
    }
    let margin = 0.5 * f;
    let legend_size = axis::legend_size(st, opts.legend_title.as_deref(), &entries);
    let corners = [
        Placement::TopRight,
        Placement::BottomLeft,
        Placement::BottomRight,
    ];
    let legend_place = place(
        opts.legend,
        &corners,
        &points,
        legend_size,
        (plot_w, plot_h),
        margin,
        None,
    );
    let legend_box = match legend_place {
        Placement::TopRight | Placement::BottomLeft | Placement::BottomRight => Some(corner_box(
            legend_place,
            legend_size.0,
            legend_size.1,
            plot_w,
            plot_h,
            margin,
        )),
        _ => None,
    };
    let ann_lines = opts.annotation.text_lines();
    let ann_size = (
        ann_lines
            .iter()
            .map(|l| text_width(l, f))
            .fold(0.0, f64::max)
            + 0.6 * f,
        ann_lines.len() as f64 * 1.35 * f + 0.4 * f,
    );
    let ann_place = if ann_lines.is_empty() {
        Placement::Hidden
    } else {
        let order = [
            Placement::BottomLeft,
            Placement::BottomRight,
            Placement::TopRight,
        ];
        place(
            opts.annotation_placement,
            &order,
            &points,
            ann_size,
            (plot_w, plot_h),
            margin,
            legend_box,
        )
    };

    // vertical layout
    let mut top = pad;
    let title_y = axis::title_slot(st, opts.title.is_some(), &mut top);
    let legend_above_y = (legend_place == Placement::Above).then(|| {
        let y = top + f;
        top += 1.5 * f;
        y
    });
    let ann_above_y = (ann_place == Placement::Above).then(|| {
        let y = top + f;
        top += ann_lines.len() as f64 * 1.35 * f + 0.2 * f;
        y
    });
    top += 0.6 * f; // room for the "1.0" label's upper half
    let plot_x = left;
    let plot_y = top;
    let axis_bottom_h = axis::x_axis_height(st, !opts.x_label.is_empty());
    let mut height = plot_y + plot_h + axis_bottom_h;
    let row_h = 1.45 * f;
    let table_top = height + 0.9 * f;
    if !at_risk.is_empty() {
        height = table_top + row_h * (at_risk.len() as f64 + 1.0);
    }
    height += pad;

    // drawing, in absolute coordinates
    let sx = LinearScale {
        r0: plot_x,
        r1: plot_x + plot_w,
        ..sx
    };
    let sy = LinearScale {
        r0: plot_y + plot_h,
        r1: plot_y,
        ..sy
    };
    let geoms: Vec<CurveGeom> = fits
        .iter()
        .map(|g| curve_geom(g, opts, &sx, &sy, x_end))
        .collect();
    let mut c = Canvas::new(width, height);
    let px = |x: f64| plot_x + x;
    let py = |y: f64| plot_y + y;
    axis::title(&mut c, st, width, opts.title.as_deref(), title_y);
    // bands under everything
    if opts.conf_bands {
        c.group_start("ci-bands");
        for (g, geom) in geoms.iter().enumerate() {
            c.fill_path(&geom.band, group_colour(g), 0.18);
        }
        c.group_end();
    }
    // axes
    let x_ticks = axis::px_pairs(&tick_pairs, |v| sx.map(v));
    let y_px_ticks = axis::px_pairs(&y_ticks, |v| sy.map(v));
    axis::x_axis(
        &mut c,
        st,
        py(plot_h),
        px(0.0),
        px(plot_w),
        &x_ticks,
        Some(&opts.x_label),
    );
    axis::y_axis(
        &mut c,
        st,
        px(0.0),
        py(0.0),
        py(plot_h),
        &y_px_ticks,
        Some(&opts.y_label),
        pad + 0.75 * f,
    );
    // medians
    if opts.median_lines {
        let xs: Vec<(usize, f64)> = geoms
            .iter()
            .enumerate()
            .filter_map(|(g, m)| m.median_x.map(|x| (g, x)))
            .collect();
        if let Some(max_x) = xs.iter().map(|m| m.1).reduce(f64::max) {
            c.group_start("median-lines");
            let y_half = sy.map(0.5);
            c.line(
                px(0.0),
                y_half,
                max_x,
                y_half,
                &Stroke::dashed(GREY, 1.0, 4.0, 3.0),
            );
            for (g, x) in xs {
                c.line(
                    x,
                    y_half,
                    x,
                    py(plot_h),
                    &Stroke::dashed(group_colour(g), 1.0, 4.0, 3.0),
                );
            }
            c.group_end();
        }
    }
    // curves and censoring marks
    let half = 0.3 * f;
    for (g, geom) in geoms.iter().enumerate() {
        c.group_start("km-curve");
        let colour = group_colour(g);
        let stroke = match dash_of(g, opts) {
            Some((on, off)) => Stroke::dashed(colour, st.line_width, on, off),
            None => Stroke::solid(colour, st.line_width),
        };
        c.path(&geom.path, &stroke);
        if !geom.censors.is_empty() {
            let mut m = PathData::new();
            for &(x, y) in &geom.censors {
                m.move_to(x - half, y)
                    .h(x + half)
                    .move_to(x, y - half)
                    .v(y + half);
            }
            c.path(&m, &Stroke::solid(colour, (st.line_width * 0.6).max(1.0)));
        }
        c.group_end();
    }
    // legend
    match legend_place {
        Placement::Above => {
            let mut x = px(0.0);
            if let Some(t) = &opts.legend_title {
                c.text(
                    x,
                    legend_above_y.unwrap_or(0.0),
                    &format!("{t}:"),
                    &TextStyle::new(f).bold(),
                );
                x += text_width(&format!("{t}:"), f) + 0.8 * f;
            }
            axis::legend_row(&mut c, st, x, legend_above_y.unwrap_or(0.0), &entries);
        }
        Placement::Hidden | Placement::Auto => {}
        _ => {
            if let Some(b) = legend_box {
                axis::legend(
                    &mut c,
                    st,
                    px(b.0),
                    py(b.1),
                    opts.legend_title.as_deref(),
                    &entries,
                );
            }
        }
    }
    // annotation
    if !ann_lines.is_empty() {
        c.group_start("annotation");
        match ann_place {
            Placement::Above => {
                let mut y = ann_above_y.unwrap_or(0.0);
                for l in &ann_lines {
                    c.text(px(0.0), y, l, &TextStyle::new(f));
                    y += 1.35 * f;
                }
            }
            Placement::Hidden | Placement::Auto => {}
            p => {
                let b = corner_box(p, ann_size.0, ann_size.1, plot_w, plot_h, margin);
                let mut y = py(b.1) + 0.2 * f + f;
                for l in &ann_lines {
                    c.text(px(b.0) + 0.3 * f, y, l, &TextStyle::new(f));
                    y += 1.35 * f;
                }
            }
        }
        c.group_end();
    }
    // numbers at risk
    if !at_risk.is_empty() {
        c.group_start("at-risk");
        c.text(
            pad,
            table_top + f,
            &opts.at_risk_title,
            &TextStyle::new(f).bold(),
        );
        for (g, row) in at_risk.iter().enumerate() {
            let base = table_top + row_h * (g as f64 + 1.0) + f;
            c.text(
                pad,
                base,
                &row.group,
                &TextStyle::new(f).fill(group_colour(g)).bold(),
            );
            for (t, n) in x_ticks.iter().zip(&row.counts) {
                c.text(
                    t.px,
                    base,
                    &n.to_string(),
                    &TextStyle::new(f).anchor(Anchor::Middle),
                );
            }
        }
        c.group_end();
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Kaplan-Meier plot".to_string());
    Ok(KmFigure {
        svg: c.finish(Some(&title)),
        ticks: tick_values,
        at_risk,
        legend_placement: legend_place,
        annotation_placement: ann_place,
    })
}
