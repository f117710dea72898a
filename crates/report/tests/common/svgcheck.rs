//! Reading figures back: well-formedness, finite numbers, elements by
//! group class, and pixel <-> data mappings recovered from axis ticks.

#![allow(dead_code)]

/// Parses an SVG, panicking with the parser's message when it is not
/// well-formed XML.
pub fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("SVG is not well-formed XML: {e}"))
}

const NUMERIC_ATTRS: [&str; 14] = [
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "width",
    "height",
    "cx",
    "cy",
    "r",
    "font-size",
    "stroke-width",
    "fill-opacity",
];

/// Every numeric attribute and every path coordinate parses as a finite
/// number, no NaN/inf text appears anywhere, and no element has an `id`.
pub fn assert_clean(svg: &str) {
    for bad in ["NaN", "inf\"", "\"inf", "Infinity"] {
        assert!(!svg.contains(bad), "SVG contains {bad:?}");
    }
    let doc = parse(svg);
    for n in doc.descendants().filter(|n| n.is_element()) {
        assert!(n.attribute("id").is_none(), "an element has an id");
        for a in NUMERIC_ATTRS {
            if let Some(v) = n.attribute(a) {
                let x: f64 = v
                    .parse()
                    .unwrap_or_else(|_| panic!("{a}={v:?} is not a number"));
                assert!(x.is_finite(), "{a}={v}");
            }
        }
        if let Some(d) = n.attribute("d") {
            for tok in d.split(' ') {
                let num = tok.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                if !num.is_empty() {
                    let x: f64 = num.parse().unwrap_or_else(|_| panic!("path token {tok:?}"));
                    assert!(x.is_finite());
                }
            }
        }
    }
}

/// Elements of `tag` inside groups of class `class`, in document order.
pub fn in_class<'a>(
    doc: &'a roxmltree::Document<'a>,
    class: &str,
    tag: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .flat_map(|g| {
            g.descendants()
                .filter(|n| n.has_tag_name(tag))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Number of groups of class `class`.
pub fn groups(doc: &roxmltree::Document<'_>, class: &str) -> usize {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .count()
}

/// A numeric attribute.
pub fn attr(n: &roxmltree::Node<'_, '_>, a: &str) -> f64 {
    n.attribute(a).expect(a).parse().expect("number")
}

/// The text of a node.
pub fn text(n: &roxmltree::Node<'_, '_>) -> String {
    n.text().unwrap_or("").to_string()
}

/// Every text of the document.
pub fn all_text(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| text(&n))
        .collect()
}

/// A number printed by the renderer (minus sign U+2212 allowed).
pub fn number(s: &str) -> Option<f64> {
    s.replace('\u{2212}', "-").parse().ok()
}

/// Path commands: (letter, numbers).
pub fn path_cmds(d: &str) -> Vec<(char, Vec<f64>)> {
    let mut out: Vec<(char, Vec<f64>)> = Vec::new();
    for tok in d.split(' ') {
        let c = tok.chars().next().expect("token");
        if c.is_ascii_alphabetic() {
            out.push((c, Vec::new()));
            if tok.len() > 1 {
                out.last_mut()
                    .expect("cmd")
                    .1
                    .push(tok[1..].parse().expect("number"));
            }
        } else {
            out.last_mut()
                .expect("cmd")
                .1
                .push(tok.parse().expect("number"));
        }
    }
    out
}

/// A mapping data -> px recovered from two ticks, linear or on a log scale.
#[derive(Debug, Clone, Copy)]
pub struct Axis {
    v0: f64,
    p0: f64,
    v1: f64,
    p1: f64,
    log: bool,
}

impl Axis {
    /// From the first and last of `(value, px)` ticks.
    pub fn from_ticks(ticks: &[(f64, f64)], log: bool) -> Self {
        let a = ticks.first().expect("ticks");
        let b = ticks.last().expect("ticks");
        Self {
            v0: a.0,
            p0: a.1,
            v1: b.0,
            p1: b.1,
            log,
        }
    }

    fn t(&self, v: f64) -> f64 {
        if self.log {
            (v / self.v0).ln() / (self.v1 / self.v0).ln()
        } else {
            (v - self.v0) / (self.v1 - self.v0)
        }
    }

    /// The px of data value `v`.
    pub fn px(&self, v: f64) -> f64 {
        self.p0 + self.t(v) * (self.p1 - self.p0)
    }

    /// The data value at px `p`.
    pub fn value(&self, p: f64) -> f64 {
        let t = (p - self.p0) / (self.p1 - self.p0);
        if self.log {
            self.v0 * (self.v1 / self.v0).powf(t)
        } else {
            self.v0 + t * (self.v1 - self.v0)
        }
    }
}

/// `(value, x)` of the numeric tick labels of the `x-axis` group (labels
/// centred on their tick) that satisfy `keep`.
pub fn x_ticks(doc: &roxmltree::Document<'_>, keep: impl Fn(f64) -> bool) -> Vec<(f64, f64)> {
    in_class(doc, "x-axis", "text")
        .iter()
        .filter(|t| t.attribute("text-anchor") == Some("middle"))
        .filter_map(|t| number(&text(t)).map(|v| (v, attr(t, "x"))))
        .filter(|(v, _)| keep(*v))
        .collect()
}

/// `(value, y)` of the y-axis ticks: each tick line paired with its label.
pub fn y_ticks(doc: &roxmltree::Document<'_>) -> Vec<(f64, f64)> {
    let lines = in_class(doc, "y-axis", "line");
    let labels: Vec<f64> = in_class(doc, "y-axis", "text")
        .iter()
        .filter_map(|t| number(&text(t)))
        .collect();
    lines
        .iter()
        .skip(1)
        .zip(labels)
        .map(|(l, v)| (v, attr(l, "y1")))
        .collect()
}

/// Bounding box (x0, y0, x1, y1) of a text element, from the crate's own
/// Helvetica metrics (baseline `y`; ascent 0.72 em, descent 0.21 em).
pub fn text_box(n: &roxmltree::Node<'_, '_>) -> (f64, f64, f64, f64) {
    let size = attr(n, "font-size");
    let w = oncomark_report::svg::text_width(&text(n), size);
    let x = attr(n, "x");
    let y = attr(n, "y");
    let x0 = match n.attribute("text-anchor") {
        Some("middle") => x - w / 2.0,
        Some("end") => x - w,
        _ => x,
    };
    (x0, y - 0.72 * size, x0 + w, y + 0.21 * size)
}

/// Whether two boxes overlap.
pub fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The centre of a point marker: a circle, a rect (square) or a closed
/// path (triangle, diamond: the mean of its vertices... for a triangle the
/// centroid).
pub fn marker_centre(n: &roxmltree::Node<'_, '_>) -> (f64, f64) {
    match n.tag_name().name() {
        "circle" => (attr(n, "cx"), attr(n, "cy")),
        "rect" => (
            attr(n, "x") + attr(n, "width") / 2.0,
            attr(n, "y") + attr(n, "height") / 2.0,
        ),
        _ => {
            let cmds = path_cmds(n.attribute("d").expect("d"));
            let pts: Vec<(f64, f64)> = cmds
                .iter()
                .filter(|c| c.0 == 'M' || c.0 == 'L')
                .map(|c| (c.1[0], c.1[1]))
                .collect();
            let k = pts.len() as f64;
            (
                pts.iter().map(|p| p.0).sum::<f64>() / k,
                pts.iter().map(|p| p.1).sum::<f64>() / k,
            )
        }
    }
}
