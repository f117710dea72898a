//! A small SVG writer: the drawing primitives every figure uses.
//!
//! Output is deterministic: coordinates are printed with at most two
//! decimals (a hundredth of a pixel), attributes always in the same order,
//! and a non-finite coordinate is never written (it becomes `0`; the
//! figure builders reject such input before drawing). All text is escaped.
//! The root element carries `width`, `height` and a matching `viewBox`, so
//! a page can scale the figure (`max-width: 100%`) without losing
//! sharpness. No element has an `id`, so several figures can be inlined in
//! one HTML page without clashes.

use std::fmt::Write as _;

use crate::format::fixed;

/// The font stack of every figure: Helvetica where installed, else Arial,
/// else the platform's sans-serif.
pub const FONT_FAMILY: &str = "Helvetica, Arial, sans-serif";

/// A finished SVG figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Svg {
    text: String,
    width: u32,
    height: u32,
}

impl Svg {
    /// The SVG document (UTF-8 text, starting with `<svg`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The SVG document.
    pub fn into_string(self) -> String {
        self.text
    }

    /// Width in CSS pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in CSS pixels.
    pub fn height(&self) -> u32 {
        self.height
    }
}

impl std::fmt::Display for Svg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Escapes `s` for SVG/HTML text and attribute values (`& < > " '`).
///
/// # Example
///
/// ```
/// use oncomark_report::svg::escape;
/// assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 forbids most control characters, even escaped
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate or length: at most 2 decimals, trailing zeros dropped,
/// never `-0`, `NaN` or `inf` (a non-finite value prints as `0`).
///
/// # Example
///
/// ```
/// use oncomark_report::svg::num;
/// assert_eq!(num(12.0), "12");
/// assert_eq!(num(3.14159), "3.14");
/// assert_eq!(num(-0.001), "0");
/// assert_eq!(num(f64::NAN), "0");
/// ```
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    let s = fixed(x, 2);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Advance widths of Helvetica (Adobe core-font metrics, 1/1000 em) for
/// ASCII 32..=126; used to lay out labels, legends and text columns.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
    278, 278, 584, 584, 584, 556, 1015, // :..@
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
    278, 278, 278, 469, 556, 333, // [..`
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
    334, 260, 334, 584, // {..~
];

/// Estimated width in pixels of `s` set in Helvetica at `size` px (Arial
/// has the same widths). Characters outside ASCII count as a digit.
///
/// # Example
///
/// ```
/// use oncomark_report::svg::text_width;
/// assert!((text_width("10", 10.0) - 11.12).abs() < 1e-9);
/// ```
pub fn text_width(s: &str, size: f64) -> f64 {
    let units: u32 = s
        .chars()
        .map(|c| {
            let i = c as u32;
            if (32..=126).contains(&i) {
                u32::from(HELVETICA[(i - 32) as usize])
            } else {
                556
            }
        })
        .sum();
    f64::from(units) / 1000.0 * size
}

/// The content of a `<text>` element: `s` escaped, with each run of
/// Unicode subscript digits (`₀`-`₉`, as in `log₂` or `log₁₀`) set as
/// ASCII digits in a smaller, lowered `<tspan>`. Many fonts (Helvetica's
/// clones among them) lack the subscript code points, and a renderer would
/// then set the whole text in a fallback font; `dy` (not `baseline-shift`)
/// works in every browser and in resvg/librsvg.
fn text_content(s: &str, size: f64) -> String {
    let sub = |c: char| ('\u{2080}'..='\u{2089}').contains(&c);
    if !s.chars().any(sub) {
        return escape(s);
    }
    let shift = 0.25 * size;
    let mut out = String::new();
    let mut normal = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if !sub(c) {
            normal.push(c);
            continue;
        }
        let mut digits = String::new();
        digits.push(char::from(b'0' + (c as u32 - 0x2080) as u8));
        while let Some(&d) = chars.peek() {
            if !sub(d) {
                break;
            }
            digits.push(char::from(b'0' + (d as u32 - 0x2080) as u8));
            chars.next();
        }
        out.push_str(&escape(&normal));
        normal.clear();
        let _ = write!(
            out,
            r#"<tspan dy="{}" font-size="{}">{digits}</tspan>"#,
            num(shift),
            num(size * 0.7)
        );
        // back on the baseline for what follows
        let rest: String = chars.clone().collect();
        if !rest.is_empty() {
            let _ = write!(out, r#"<tspan dy="{}">"#, num(-shift));
            out.push_str(&text_content(&rest, size));
            out.push_str("</tspan>");
            return out;
        }
    }
    out.push_str(&escape(&normal));
    out
}

/// Horizontal anchoring of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anchor {
    /// `x` is the left end.
    #[default]
    Start,
    /// `x` is the centre.
    Middle,
    /// `x` is the right end.
    End,
}

/// How a text is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct TextStyle {
    /// Font size in px.
    pub size: f64,
    /// Horizontal anchor.
    pub anchor: Anchor,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Fill colour (`#rrggbb`).
    pub fill: String,
    /// Rotation in degrees about the anchor point (`-90` for a y-axis title).
    pub rotate: f64,
}

impl TextStyle {
    /// Black, regular, start-anchored text of `size` px.
    pub fn new(size: f64) -> Self {
        Self {
            size,
            anchor: Anchor::Start,
            bold: false,
            italic: false,
            fill: "#000000".to_string(),
            rotate: 0.0,
        }
    }

    /// The same style with another anchor.
    pub fn anchor(mut self, anchor: Anchor) -> Self {
        self.anchor = anchor;
        self
    }

    /// The same style in bold.
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    /// The same style in italic.
    pub fn italic(mut self) -> Self {
        self.italic = true;
        self
    }

    /// The same style in another colour.
    pub fn fill(mut self, colour: &str) -> Self {
        self.fill = colour.to_string();
        self
    }

    /// The same style rotated by `degrees`.
    pub fn rotate(mut self, degrees: f64) -> Self {
        self.rotate = degrees;
        self
    }
}

/// How a line or outline is stroked.
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    /// Colour (`#rrggbb`).
    pub colour: String,
    /// Width in px.
    pub width: f64,
    /// Dash pattern in px (`None`: solid).
    pub dash: Option<(f64, f64)>,
}

impl Stroke {
    /// A solid stroke.
    pub fn solid(colour: &str, width: f64) -> Self {
        Self {
            colour: colour.to_string(),
            width,
            dash: None,
        }
    }

    /// A dashed stroke (`on` px drawn, `off` px skipped).
    pub fn dashed(colour: &str, width: f64, on: f64, off: f64) -> Self {
        Self {
            colour: colour.to_string(),
            width,
            dash: Some((on, off)),
        }
    }

    fn attrs(&self) -> String {
        let mut s = format!(
            r#"stroke="{}" stroke-width="{}""#,
            escape(&self.colour),
            num(self.width)
        );
        if let Some((on, off)) = self.dash {
            let _ = write!(s, r#" stroke-dasharray="{} {}""#, num(on), num(off));
        }
        s
    }
}

/// Path data built from absolute commands, coordinates printed with
/// [`num`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathData(String);

impl PathData {
    /// An empty path.
    pub fn new() -> Self {
        Self::default()
    }

    fn cmd(&mut self, c: char, xs: &[f64]) -> &mut Self {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        self.0.push(c);
        for (i, x) in xs.iter().enumerate() {
            if i > 0 {
                self.0.push(' ');
            }
            self.0.push_str(&num(*x));
        }
        self
    }

    /// `M x y`: move to.
    pub fn move_to(&mut self, x: f64, y: f64) -> &mut Self {
        self.cmd('M', &[x, y])
    }

    /// `L x y`: line to.
    pub fn line_to(&mut self, x: f64, y: f64) -> &mut Self {
        self.cmd('L', &[x, y])
    }

    /// `H x`: horizontal line to.
    pub fn h(&mut self, x: f64) -> &mut Self {
        self.cmd('H', &[x])
    }

    /// `V y`: vertical line to.
    pub fn v(&mut self, y: f64) -> &mut Self {
        self.cmd('V', &[y])
    }

    /// `Z`: close the sub-path.
    pub fn close(&mut self) -> &mut Self {
        self.cmd('Z', &[])
    }

    /// Whether nothing was drawn.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The path data text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An SVG document being drawn. Coordinates are in px from the top left.
#[derive(Debug, Clone)]
pub struct Canvas {
    width: f64,
    height: f64,
    body: String,
    depth: usize,
}

impl Canvas {
    /// A blank canvas of `width x height` px (rounded up to whole pixels)
    /// with a white background.
    pub fn new(width: f64, height: f64) -> Self {
        let mut c = Self {
            width: width.max(1.0).ceil(),
            height: height.max(1.0).ceil(),
            body: String::new(),
            depth: 1,
        };
        let (w, h) = (c.width, c.height);
        c.rect(0.0, 0.0, w, h, Some("#ffffff"), None);
        c
    }

    /// Width in px.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Height in px.
    pub fn height(&self) -> f64 {
        self.height
    }

    fn line_start(&mut self) {
        for _ in 0..self.depth {
            self.body.push_str("  ");
        }
    }

    /// Adds `<!-- text -->` (for readers of the SVG source; `--` removed).
    pub fn comment(&mut self, text: &str) {
        self.line_start();
        let t = escape(text).replace("--", "- -");
        let _ = writeln!(self.body, "<!-- {t} -->");
    }

    /// Opens a `<g>` group with a class (for tests and styling) and
    /// optional presentation attributes written verbatim by this crate.
    pub fn group_start(&mut self, class: &str) {
        self.line_start();
        let _ = writeln!(self.body, r#"<g class="{}">"#, escape(class));
        self.depth += 1;
    }

    /// Closes the innermost open group.
    pub fn group_end(&mut self) {
        if self.depth > 1 {
            self.depth -= 1;
            self.line_start();
            self.body.push_str("</g>\n");
        }
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &Stroke) {
        self.line_start();
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {}/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            stroke.attrs()
        );
    }

    /// A rectangle; `fill` and `stroke` optional (`None`: not painted).
    pub fn rect(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Option<&str>,
        stroke: Option<&Stroke>,
    ) {
        self.line_start();
        let _ = write!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}""#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            escape(fill.unwrap_or("none"))
        );
        if let Some(s) = stroke {
            let _ = write!(self.body, " {}", s.attrs());
        }
        self.body.push_str("/>\n");
    }

    /// A rectangle with a fill opacity in `[0, 1]`.
    pub fn rect_alpha(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, opacity: f64) {
        self.line_start();
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" fill-opacity="{}"/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            escape(fill),
            num(opacity.clamp(0.0, 1.0))
        );
    }

    /// A circle.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &str, stroke: Option<&Stroke>) {
        self.line_start();
        let _ = write!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}""#,
            num(cx),
            num(cy),
            num(r.max(0.0)),
            escape(fill)
        );
        if let Some(s) = stroke {
            let _ = write!(self.body, " {}", s.attrs());
        }
        self.body.push_str("/>\n");
    }

    /// A stroked, unfilled path (nothing when `d` is empty).
    pub fn path(&mut self, d: &PathData, stroke: &Stroke) {
        if d.is_empty() {
            return;
        }
        self.line_start();
        let _ = writeln!(
            self.body,
            r#"<path d="{}" fill="none" {} stroke-linejoin="miter" stroke-linecap="butt"/>"#,
            d.as_str(),
            stroke.attrs()
        );
    }

    /// A filled path without outline (nothing when `d` is empty).
    pub fn fill_path(&mut self, d: &PathData, fill: &str, opacity: f64) {
        if d.is_empty() {
            return;
        }
        self.line_start();
        let _ = writeln!(
            self.body,
            r#"<path d="{}" fill="{}" fill-opacity="{}" stroke="none"/>"#,
            d.as_str(),
            escape(fill),
            num(opacity.clamp(0.0, 1.0))
        );
    }

    /// A filled and stroked closed path (e.g. an arrow head).
    pub fn shape(&mut self, d: &PathData, fill: &str, stroke: Option<&Stroke>) {
        if d.is_empty() {
            return;
        }
        self.line_start();
        let _ = write!(
            self.body,
            r#"<path d="{}" fill="{}""#,
            d.as_str(),
            escape(fill)
        );
        if let Some(s) = stroke {
            let _ = write!(self.body, " {}", s.attrs());
        }
        self.body.push_str("/>\n");
    }

    /// A text whose baseline starts (or centres, or ends) at `(x, y)`.
    pub fn text(&mut self, x: f64, y: f64, content: &str, style: &TextStyle) {
        self.line_start();
        let _ = write!(
            self.body,
            r#"<text x="{}" y="{}" font-size="{}""#,
            num(x),
            num(y),
            num(style.size)
        );
        match style.anchor {
            Anchor::Start => {}
            Anchor::Middle => self.body.push_str(r#" text-anchor="middle""#),
            Anchor::End => self.body.push_str(r#" text-anchor="end""#),
        }
        if style.bold {
            self.body.push_str(r#" font-weight="bold""#);
        }
        if style.italic {
            self.body.push_str(r#" font-style="italic""#);
        }
        if style.fill != "#000000" {
            let _ = write!(self.body, r#" fill="{}""#, escape(&style.fill));
        }
        if style.rotate != 0.0 {
            let _ = write!(
                self.body,
                r#" transform="rotate({} {} {})""#,
                num(style.rotate),
                num(x),
                num(y)
            );
        }
        let _ = writeln!(self.body, ">{}</text>", text_content(content, style.size));
    }

    /// Closes open groups and wraps the body in the `<svg>` root.
    pub fn finish(mut self, title: Option<&str>) -> Svg {
        while self.depth > 1 {
            self.group_end();
        }
        let (w, h) = (self.width, self.height);
        let mut text = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"{FONT_FAMILY}\" role=\"img\">\n",
            w = num(w),
            h = num(h)
        );
        if let Some(t) = title {
            let _ = writeln!(text, "  <title>{}</title>", escape(t));
        }
        text.push_str(&self.body);
        text.push_str("</svg>\n");
        Svg {
            text,
            width: w as u32,
            height: h as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_finite() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(1.005), "1"); // binary 1.00499...: rounds down
        assert_eq!(num(-2.5), "-2.5");
        assert_eq!(num(640.0), "640");
        assert_eq!(num(f64::INFINITY), "0");
        assert_eq!(num(f64::NEG_INFINITY), "0");
    }

    #[test]
    fn escape_removes_markup_and_control_characters() {
        assert_eq!(escape("<b>x</b>"), "&lt;b&gt;x&lt;/b&gt;");
        assert_eq!(escape("it's"), "it&#39;s");
        assert_eq!(escape("a\u{7}b"), "a\u{FFFD}b");
        assert_eq!(escape("β1 ≥ 2+"), "β1 ≥ 2+");
    }

    #[test]
    fn subscript_digits_become_lowered_ascii() {
        assert_eq!(text_content("a < b", 10.0), "a &lt; b");
        assert_eq!(
            text_content("log\u{2082} HR", 10.0),
            r#"log<tspan dy="2.5" font-size="7">2</tspan><tspan dy="-2.5"> HR</tspan>"#
        );
        assert_eq!(
            text_content("\u{2212}log\u{2081}\u{2080}", 12.0),
            "\u{2212}log<tspan dy=\"3\" font-size=\"8.4\">10</tspan>"
        );
    }

    #[test]
    fn helvetica_widths() {
        // digits are 556/1000 em, "i" 222, "W" 944 (Adobe Helvetica AFM)
        assert!((text_width("0123456789", 1000.0) - 5560.0).abs() < 1e-9);
        assert!((text_width("iW", 1000.0) - 1166.0).abs() < 1e-9);
        assert!((text_width("", 12.0)).abs() < 1e-12);
    }

    #[test]
    fn canvas_writes_a_well_formed_document() {
        let mut c = Canvas::new(100.0, 50.5);
        c.group_start("g");
        c.line(
            0.0,
            0.0,
            10.0,
            f64::NAN,
            &Stroke::dashed("#000000", 1.0, 4.0, 2.0),
        );
        c.text(5.0, 5.0, "a & b", &TextStyle::new(12.0).rotate(-90.0));
        let svg = c.finish(Some("t <1>"));
        assert_eq!((svg.width(), svg.height()), (100, 51));
        let s = svg.as_str();
        assert!(
            s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"51\"")
        );
        assert!(s.contains("<title>t &lt;1&gt;</title>"));
        assert!(s.contains("y2=\"0\""));
        assert!(s.contains(">a &amp; b</text>"));
        assert!(s.contains("</g>\n</svg>\n"));
        assert!(!s.contains("NaN"));
    }
}
