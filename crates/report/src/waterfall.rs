//! Waterfall plot: best percentage change in tumour size per patient,
//! sorted from largest increase to largest decrease, coloured by best
//! overall response, with the RECIST 1.1 thresholds (+20% progression,
//! −30% partial response; Eisenhauer et al., Eur J Cancer 2009;45:228-47)
//! as dashed reference lines.
//!
//! The change and the response category are the caller's (the study
//! crate derives them); this module only sorts and draws.

use serde::{Deserialize, Serialize};

use crate::axis::{self, Key};
use crate::error::{finite, ReportError};
use crate::format::{format_fixed, trim_fixed_dec};
use crate::scale::{nice_ticks, LinearScale};
use crate::style::{okabe_ito, Style, GREY, LIGHT_GREY};
use crate::svg::{text_width, Anchor, Canvas, Stroke, Svg, TextStyle};

/// Best overall response category (RECIST 1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Response {
    /// Complete response.
    CR,
    /// Partial response.
    PR,
    /// Stable disease.
    SD,
    /// Progressive disease.
    PD,
    /// Not evaluable.
    NE,
}

impl Response {
    /// All categories in display order.
    pub const ALL: [Response; 5] = [
        Response::CR,
        Response::PR,
        Response::SD,
        Response::PD,
        Response::NE,
    ];

    /// The abbreviation (`CR`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Response::CR => "CR",
            Response::PR => "PR",
            Response::SD => "SD",
            Response::PD => "PD",
            Response::NE => "NE",
        }
    }

    /// The full name.
    pub fn name(self) -> &'static str {
        match self {
            Response::CR => "Complete response",
            Response::PR => "Partial response",
            Response::SD => "Stable disease",
            Response::PD => "Progressive disease",
            Response::NE => "Not evaluable",
        }
    }

    /// Bar colour (Okabe-Ito: blue, sky blue, orange, vermillion; grey for
    /// not evaluable).
    pub fn colour(self) -> &'static str {
        match self {
            Response::CR => okabe_ito::BLUE,
            Response::PR => okabe_ito::SKY_BLUE,
            Response::SD => okabe_ito::ORANGE,
            Response::PD => okabe_ito::VERMILLION,
            Response::NE => LIGHT_GREY,
        }
    }
}

/// One patient's bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaterfallBar {
    /// Patient identifier.
    pub id: String,
    /// Best change from baseline in percent (`>= -100`); `None` when the
    /// patient has no post-baseline measurement (not drawn, counted in a
    /// footnote).
    pub change: Option<f64>,
    /// Best overall response.
    pub response: Response,
}

/// Options of a waterfall plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WaterfallOptions {
    /// Size and type.
    pub style: Style,
    /// Title over the plot (default none).
    pub title: Option<String>,
    /// y-axis title.
    pub y_label: String,
    /// Dashed reference lines in percent (default RECIST: +20, −30).
    pub reference_lines: Vec<f64>,
    /// Bars above this percentage are cut here and their value printed
    /// over them (default none).
    pub cap: Option<f64>,
    /// Print patient identifiers under the bars.
    pub show_ids: bool,
    /// Legend entries as `PR (n = 5)` (default) or full names.
    pub legend_full_names: bool,
}

impl Default for WaterfallOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            title: None,
            y_label: "Best change from baseline (%)".to_string(),
            reference_lines: vec![20.0, -30.0],
            cap: None,
            show_ids: false,
            legend_full_names: false,
        }
    }
}

/// A rendered waterfall plot.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallFigure {
    /// The figure.
    pub svg: Svg,
    /// Patient identifiers of the bars, left to right.
    pub order: Vec<String>,
    /// Patients without a change (not drawn).
    pub not_shown: Vec<String>,
}

/// Renders a waterfall plot.
///
/// # Errors
///
/// [`ReportError::Empty`] without bars; [`ReportError::NonFinite`] or
/// [`ReportError::OutOfRange`] for a change that is not finite or below
/// −100%; [`ReportError::BadOption`] for a non-finite reference line or
/// cap, or a bad style.
///
/// # Example
///
/// ```
/// use oncomark_report::waterfall::{waterfall_plot, Response, WaterfallBar, WaterfallOptions};
/// let bars = vec![
///     WaterfallBar { id: "P1".into(), change: Some(-45.0), response: Response::PR },
///     WaterfallBar { id: "P2".into(), change: Some(30.0), response: Response::PD },
///     WaterfallBar { id: "P3".into(), change: None, response: Response::NE },
/// ];
/// let fig = waterfall_plot(&bars, &WaterfallOptions::default())?;
/// assert_eq!(fig.order, vec!["P2", "P1"]);
/// assert_eq!(fig.not_shown, vec!["P3"]);
/// # Ok::<(), oncomark_report::ReportError>(())
/// ```
pub fn waterfall_plot(
    bars: &[WaterfallBar],
    opts: &WaterfallOptions,
) -> Result<WaterfallFigure, ReportError> {
    let st = &opts.style;
    st.validate()?;
    if bars.is_empty() {
        return Err(ReportError::Empty {
            figure: "waterfall plot",
            what: "bars",
            item: "patient",
        });
    }
    for b in bars {
        if let Some(v) = b.change {
            finite("change", &format!("patient {}", b.id), v)?;
            if v < -100.0 {
                return Err(ReportError::OutOfRange {
                    what: "change",
                    context: format!("patient {}", b.id),
                    value: v,
                    reason: "a tumour cannot shrink by more than 100%",
                });
            }
        }
    }
    for &r in opts.reference_lines.iter().chain(opts.cap.iter()) {
        if !r.is_finite() {
            return Err(ReportError::BadOption {
                what: "reference_lines / cap",
                value: r.to_string(),
                reason: "use finite percentages",
            });
        }
    }
    if let Some(cap) = opts.cap {
        if cap <= 0.0 {
            return Err(ReportError::BadOption {
                what: "cap",
                value: cap.to_string(),
                reason: "the cap must be a positive percentage",
            });
        }
    }
    let f = st.font_size;
    let pad = 0.4 * f;

    // order: largest increase first; ties keep input order
    let mut shown: Vec<(&WaterfallBar, f64)> = bars
        .iter()
        .filter_map(|b| b.change.map(|c| (b, c)))
        .collect();
    shown.sort_by(|a, b| b.1.total_cmp(&a.1));
    let not_shown: Vec<String> = bars
        .iter()
        .filter(|b| b.change.is_none())
        .map(|b| b.id.clone())
        .collect();

    // y domain
    let data_hi = shown.iter().map(|s| s.1).fold(0.0, f64::max);
    let ref_hi = opts.reference_lines.iter().copied().fold(0.0, f64::max);
    let mut hi = data_hi.max(ref_hi).max(10.0);
    if let Some(cap) = opts.cap {
        hi = hi.min(cap);
    }
    let ref_lo = opts.reference_lines.iter().copied().fold(-100.0, f64::min);
    let ticks = nice_ticks(ref_lo, hi, 8);

    // legend
    let present: Vec<Response> = Response::ALL
        .iter()
        .copied()
        .filter(|r| bars.iter().any(|b| b.response == *r && b.change.is_some()))
        .collect();
    let entries: Vec<(Key, String)> = present
        .iter()
        .map(|r| {
            let n = shown.iter().filter(|s| s.0.response == *r).count();
            let l = if opts.legend_full_names {
                format!("{} (n = {n})", r.name())
            } else {
                format!("{} (n = {n})", r.code())
            };
            (Key::Square(r.colour().to_string()), l)
        })
        .collect();

    // layout
    let y_labels: Vec<String> = ticks.labels.clone();
    let left = pad + axis::y_axis_width(st, &y_labels, !opts.y_label.is_empty());
    let ref_label = |v: f64| {
        let s = trim_fixed_dec(v.abs(), 1);
        if v > 0.0 {
            format!("+{s}%")
        } else if v < 0.0 {
            format!("\u{2212}{s}%")
        } else {
            "0%".to_string()
        }
    };
    let ref_w = opts
        .reference_lines
        .iter()
        .map(|&v| text_width(&ref_label(v), f))
        .fold(0.0, f64::max);
    let right = pad + ref_w + 0.4 * f;
    let plot_w = (st.width - left - right).max(0.3 * st.width);
    let width = left + plot_w + right;
    let plot_h = (plot_w * 0.55).clamp(10.0 * f, 30.0 * f);
    let mut top = pad;
    let title_y = axis::title_slot(st, opts.title.is_some(), &mut top);
    // the legend, in as many rows as it needs
    let mut legend_rows: Vec<Vec<(Key, String)>> = vec![Vec::new()];
    for e in entries {
        let row = legend_rows.last_mut().expect("non-empty");
        let mut trial_w = axis::legend_row_width(st, row);
        trial_w += axis::legend_row_width(st, std::slice::from_ref(&e));
        if !row.is_empty() && trial_w > width - left {
            legend_rows.push(vec![e]);
        } else {
            row.push(e);
        }
    }
    let legend_y = top + f;
    top += 1.5 * f * legend_rows.len() as f64 + 0.1 * f;
    let cap_text_h = if opts.cap.is_some() && data_hi > hi {
        1.2 * f
    } else {
        0.0
    };
    top += 0.6 * f + cap_text_h;
    let plot_y = top;
    let id_w = if opts.show_ids {
        shown
            .iter()
            .map(|s| text_width(&s.0.id, f * 0.85))
            .fold(0.0, f64::max)
            + 0.6 * f
    } else {
        0.0
    };
    let note_h = if not_shown.is_empty() { 0.0 } else { 1.5 * f };
    let height = plot_y + plot_h + id_w + 0.6 * f + note_h + pad;

    let sy = LinearScale {
        d0: ticks.first(),
        d1: ticks.last(),
        r0: plot_y + plot_h,
        r1: plot_y,
    };
    let n = shown.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = slot * if slot > 6.0 { 0.8 } else { 0.9 };
    let mut c = Canvas::new(width, height);
    axis::title(&mut c, st, width, opts.title.as_deref(), title_y);
    for (k, row) in legend_rows.iter().enumerate() {
        axis::legend_row(&mut c, st, left, legend_y + 1.5 * f * k as f64, row);
    }
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
    // bars
    c.group_start("bars");
    let y0 = sy.map(0.0);
    let mut order = Vec::with_capacity(shown.len());
    for (i, (b, v)) in shown.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let shown_v = opts.cap.map_or(*v, |cap| v.min(cap));
        let yv = sy.map(shown_v);
        let (y, h) = if yv < y0 {
            (yv, y0 - yv)
        } else {
            (y0, yv - y0)
        };
        c.rect(x, y, bar_w, h.max(1.0), Some(b.response.colour()), None);
        if shown_v < *v {
            c.text(
                x + bar_w / 2.0,
                y - 0.3 * f,
                &format_fixed(*v, 0),
                &TextStyle::new((f * 0.85).max(11.0)).anchor(Anchor::Middle),
            );
        }
        if opts.show_ids {
            let ty = plot_y + plot_h + 0.5 * f;
            c.text(
                x + bar_w / 2.0 + 0.3 * f,
                ty,
                &b.id,
                &TextStyle::new((f * 0.85).max(11.0))
                    .anchor(Anchor::End)
                    .rotate(-90.0),
            );
        }
        order.push(b.id.clone());
    }
    c.group_end();
    // zero line and reference lines
    c.line(
        left,
        y0,
        left + plot_w,
        y0,
        &Stroke::solid("#000000", st.axis_width()),
    );
    c.group_start("reference-lines");
    for &r in &opts.reference_lines {
        if r < ticks.first() || r > ticks.last() {
            continue;
        }
        let y = sy.map(r);
        c.line(
            left,
            y,
            left + plot_w,
            y,
            &Stroke::dashed(GREY, 1.2, 5.0, 3.0),
        );
        c.text(
            left + plot_w + 0.3 * f,
            y + 0.35 * f,
            &ref_label(r),
            &TextStyle::new(f).fill(GREY),
        );
    }
    c.group_end();
    if !not_shown.is_empty() {
        let k = not_shown.len();
        let text = if k == 1 {
            "1 patient without a post-baseline measurement is not shown.".to_string()
        } else {
            format!("{k} patients without a post-baseline measurement are not shown.")
        };
        c.text(
            left,
            height - pad - 0.3 * f,
            &text,
            &TextStyle::new(f).fill(GREY),
        );
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Waterfall plot".to_string());
    Ok(WaterfallFigure {
        svg: c.finish(Some(&title)),
        order,
        not_shown,
    })
}
