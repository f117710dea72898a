//! Axes and legends shared by the figures (crate-private helpers).

use crate::marks::{mark, Shape};
use crate::scale::Ticks;
use crate::style::Style;
use crate::svg::{text_width, Anchor, Canvas, Stroke, TextStyle};

/// A tick: its pixel position and its label.
pub(crate) struct PxTick {
    pub px: f64,
    pub label: String,
}

/// Pixel ticks: each tick of `ticks` with its value mapped to pixels by
/// `map`.
pub(crate) fn px_ticks(ticks: &Ticks, map: impl Fn(f64) -> f64) -> Vec<PxTick> {
    ticks
        .values
        .iter()
        .zip(&ticks.labels)
        .map(|(v, l)| PxTick {
            px: map(*v),
            label: l.clone(),
        })
        .collect()
}

/// Pixel ticks from `(value, label)` pairs, values mapped by `map`.
pub(crate) fn px_pairs(pairs: &[(f64, String)], map: impl Fn(f64) -> f64) -> Vec<PxTick> {
    pairs
        .iter()
        .map(|(v, l)| PxTick {
            px: map(*v),
            label: l.clone(),
        })
        .collect()
}

/// Reserves the slot of an optional figure title at `*top`, moving `top`
/// below it; returns the title's baseline (`None` without a title).
pub(crate) fn title_slot(st: &Style, has_title: bool, top: &mut f64) -> Option<f64> {
    has_title.then(|| {
        let y = *top + st.title_size();
        *top += 1.6 * st.title_size();
        y
    })
}

/// Vertical layout of a figure holding one plot over an x axis.
pub(crate) struct Column {
    /// Baseline of the title, if any.
    pub title_y: Option<f64>,
    /// Top of the legend above the plot, if any.
    pub legend_y: Option<f64>,
    /// Top of the plot.
    pub plot_y: f64,
    /// Height of the figure.
    pub height: f64,
}

/// Stacks, from the top: `pad`, the title if any, a legend `legend_h`
/// high if any, room for the upper half of the top tick label, the plot
/// `plot_h` high, the x axis (with its title if `x_title`) and `pad`.
pub(crate) fn column(
    st: &Style,
    pad: f64,
    has_title: bool,
    legend_h: Option<f64>,
    plot_h: f64,
    x_title: bool,
) -> Column {
    let f = st.font_size;
    let mut top = pad;
    let title_y = title_slot(st, has_title, &mut top);
    let legend_y = legend_h.map(|h| {
        let y = top;
        top += h + 0.2 * f;
        y
    });
    top += 0.6 * f;
    let plot_y = top;
    let height = plot_y + plot_h + x_axis_height(st, x_title) + pad;
    Column {
        title_y,
        legend_y,
        plot_y,
        height,
    }
}

/// Draws the figure title, bold and centred on a figure `width` px wide,
/// at the baseline given by [`title_slot`].
pub(crate) fn title(c: &mut Canvas, st: &Style, width: f64, title: Option<&str>, y: Option<f64>) {
    if let (Some(t), Some(y)) = (title, y) {
        c.text(
            width / 2.0,
            y,
            t,
            &TextStyle::new(st.title_size())
                .anchor(Anchor::Middle)
                .bold(),
        );
    }
}

/// Draws a bottom x axis: a baseline at `y` from `x0` to `x1`, ticks
/// pointing down with labels under them, and a title centred under the
/// labels. Returns the y of the bottom of the title (or of the labels).
pub(crate) fn x_axis(
    c: &mut Canvas,
    st: &Style,
    y: f64,
    x0: f64,
    x1: f64,
    ticks: &[PxTick],
    title: Option<&str>,
) -> f64 {
    let f = st.font_size;
    let stroke = Stroke::solid("#000000", st.axis_width());
    c.group_start("x-axis");
    c.line(x0, y, x1, y, &stroke);
    let label_base = y + st.tick_len() + 0.3 * f + 0.75 * f;
    for t in ticks {
        c.line(t.px, y, t.px, y + st.tick_len(), &stroke);
        c.text(
            t.px,
            label_base,
            &t.label,
            &TextStyle::new(f).anchor(Anchor::Middle),
        );
    }
    let mut bottom = label_base + 0.25 * f;
    if let Some(title) = title.filter(|t| !t.is_empty()) {
        let base = bottom + 0.55 * f + 0.75 * f;
        c.text(
            (x0 + x1) / 2.0,
            base,
            title,
            &TextStyle::new(f).anchor(Anchor::Middle),
        );
        bottom = base + 0.25 * f;
    }
    c.group_end();
    bottom
}

/// Height taken below the x axis line by [`x_axis`].
pub(crate) fn x_axis_height(st: &Style, with_title: bool) -> f64 {
    let f = st.font_size;
    let labels = st.tick_len() + 0.3 * f + f;
    if with_title {
        labels + 1.55 * f
    } else {
        labels
    }
}

/// Draws a left y axis at `x` from `y_top` to `y_bottom`: ticks pointing
/// left with right-aligned labels, and a rotated title centred at
/// `title_x`.
pub(crate) fn y_axis(
    c: &mut Canvas,
    st: &Style,
    x: f64,
    y_top: f64,
    y_bottom: f64,
    ticks: &[PxTick],
    title: Option<&str>,
    title_x: f64,
) {
    let f = st.font_size;
    let stroke = Stroke::solid("#000000", st.axis_width());
    c.group_start("y-axis");
    c.line(x, y_top, x, y_bottom, &stroke);
    for t in ticks {
        c.line(x - st.tick_len(), t.px, x, t.px, &stroke);
        c.text(
            x - st.tick_len() - 0.3 * f,
            t.px + 0.35 * f,
            &t.label,
            &TextStyle::new(f).anchor(Anchor::End),
        );
    }
    if let Some(title) = title.filter(|t| !t.is_empty()) {
        c.text(
            title_x,
            (y_top + y_bottom) / 2.0,
            title,
            &TextStyle::new(f).anchor(Anchor::Middle).rotate(-90.0),
        );
    }
    c.group_end();
}

/// Width taken left of the y axis line by [`y_axis`] with these labels
/// (tick, gap, widest label, gap, rotated title).
pub(crate) fn y_axis_width(st: &Style, labels: &[String], with_title: bool) -> f64 {
    let f = st.font_size;
    let w = labels.iter().map(|l| text_width(l, f)).fold(0.0, f64::max);
    let title = if with_title { 1.5 * f } else { 0.0 };
    st.tick_len() + 0.3 * f + w + 0.4 * f + title
}

/// One entry of a legend.
pub(crate) enum Key {
    /// A line sample (curves).
    Line(String, Option<(f64, f64)>),
    /// A filled square (bars).
    Square(String),
    /// A point marker (colour, shape, open), optionally on a line sample
    /// (dash pattern of the line, `Some(None)` for solid).
    Mark(String, Shape, bool, Option<Option<(f64, f64)>>),
    /// No sample: the text starts where the samples do (notes such as an
    /// ED50 under the keys).
    Text,
}

/// Draws the sample of `key` in the 1.8 em wide slot starting at `x`,
/// centred on `mid`.
fn key_sample(c: &mut Canvas, st: &Style, key: &Key, x: f64, mid: f64) {
    let f = st.font_size;
    let line = |c: &mut Canvas, colour: &str, dash: &Option<(f64, f64)>| {
        let stroke = match dash {
            Some((on, off)) => Stroke::dashed(colour, st.line_width, *on, *off),
            None => Stroke::solid(colour, st.line_width),
        };
        c.line(x, mid, x + 1.8 * f, mid, &stroke);
    };
    match key {
        Key::Line(colour, dash) => line(c, colour, dash),
        Key::Square(colour) => c.rect(x + 0.4 * f, mid - 0.5 * f, f, f, Some(colour), None),
        Key::Text => {}
        Key::Mark(colour, shape, open, with_line) => {
            if let Some(dash) = with_line {
                line(c, colour, dash);
            }
            let fill = if *open { None } else { Some(colour.as_str()) };
            mark(c, *shape, x + 0.9 * f, mid, 0.34 * f, colour, fill, 1.2);
        }
    }
}

/// Size of a vertical legend: (width, height).
pub(crate) fn legend_size(
    st: &Style,
    title: Option<&str>,
    entries: &[(Key, String)],
) -> (f64, f64) {
    let f = st.font_size;
    let key_w = 1.8 * f;
    let mut w = entries
        .iter()
        .map(|(k, l)| match k {
            Key::Text => text_width(l, f),
            _ => key_w + 0.5 * f + text_width(l, f),
        })
        .fold(0.0, f64::max);
    let mut rows = entries.len() as f64;
    if let Some(t) = title {
        w = w.max(text_width(t, f) * 1.05);
        rows += 1.0;
    }
    (w + 0.8 * f, rows * 1.4 * f + 0.5 * f)
}

/// Draws a vertical legend with its top-left corner at `(x, y)` on a
/// white, slightly transparent background.
pub(crate) fn legend(
    c: &mut Canvas,
    st: &Style,
    x: f64,
    y: f64,
    title: Option<&str>,
    entries: &[(Key, String)],
) {
    let f = st.font_size;
    let (w, h) = legend_size(st, title, entries);
    c.group_start("legend");
    c.rect_alpha(x, y, w, h, "#ffffff", 0.85);
    let mut row_y = y + 0.25 * f;
    let x_in = x + 0.4 * f;
    if let Some(t) = title {
        c.text(x_in, row_y + 1.0 * f, t, &TextStyle::new(f).bold());
        row_y += 1.4 * f;
    }
    for (key, label) in entries {
        let mid = row_y + 0.7 * f;
        key_sample(c, st, key, x_in, mid);
        let tx = match key {
            Key::Text => x_in,
            _ => x_in + 2.3 * f,
        };
        c.text(tx, mid + 0.35 * f, label, &TextStyle::new(f));
        row_y += 1.4 * f;
    }
    c.group_end();
}

/// Width of a horizontal legend (one row of entries).
pub(crate) fn legend_row_width(st: &Style, entries: &[(Key, String)]) -> f64 {
    let f = st.font_size;
    entries
        .iter()
        .map(|(_, l)| 1.8 * f + 0.5 * f + text_width(l, f) + 1.2 * f)
        .sum::<f64>()
}

/// Draws a horizontal legend (one row) whose keys start at `x`, text
/// baseline at `y`.
pub(crate) fn legend_row(c: &mut Canvas, st: &Style, x: f64, y: f64, entries: &[(Key, String)]) {
    let f = st.font_size;
    c.group_start("legend");
    let mut cx = x;
    for (key, label) in entries {
        let mid = y - 0.35 * f;
        key_sample(c, st, key, cx, mid);
        c.text(cx + 2.3 * f, y, label, &TextStyle::new(f));
        cx += 1.8 * f + 0.5 * f + text_width(label, f) + 1.2 * f;
    }
    c.group_end();
}
