//! Point markers of the scatter-type figures (crate-private): shapes that
//! stay distinct in greyscale print, drawn at equal visual area.

use crate::svg::{Canvas, PathData, Stroke};

/// A marker shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
}

/// Shape of series `i`: circle, square, triangle, diamond, then again.
pub(crate) fn shape_of(i: usize) -> Shape {
    [
        Shape::Circle,
        Shape::Square,
        Shape::Triangle,
        Shape::Diamond,
        Shape::TriangleDown,
    ][i % 5]
}

/// Draws a marker of "radius" `r` (a circle of radius `r`; the other
/// shapes have about the same area) at `(x, y)`. `fill = None` draws an
/// open marker outlined in `colour`; otherwise a filled marker with an
/// outline of `outline` (e.g. white, to separate overlapping points).
pub(crate) fn mark(
    c: &mut Canvas,
    shape: Shape,
    x: f64,
    y: f64,
    r: f64,
    colour: &str,
    fill: Option<&str>,
    outline_width: f64,
) {
    let stroke_colour = if fill.is_some() { "#ffffff" } else { colour };
    let stroke = Stroke::solid(stroke_colour, outline_width);
    let paint = fill.unwrap_or("none");
    match shape {
        Shape::Circle => c.circle(x, y, r, paint, Some(&stroke)),
        Shape::Square => {
            let h = r * 0.886; // equal area: (2h)^2 = pi r^2
            c.rect(x - h, y - h, 2.0 * h, 2.0 * h, Some(paint), Some(&stroke));
        }
        Shape::Diamond => {
            let h = r * 1.253;
            let mut d = PathData::new();
            d.move_to(x, y - h)
                .line_to(x + h, y)
                .line_to(x, y + h)
                .line_to(x - h, y)
                .close();
            c.shape(&d, paint, Some(&stroke));
        }
        Shape::Triangle | Shape::TriangleDown => {
            // equilateral, centroid at (x, y), area pi r^2
            let s = r * 2.694;
            let h = s * 0.866;
            let k = if shape == Shape::Triangle { 1.0 } else { -1.0 };
            let mut d = PathData::new();
            d.move_to(x, y - k * h * 2.0 / 3.0)
                .line_to(x + s / 2.0, y + k * h / 3.0)
                .line_to(x - s / 2.0, y + k * h / 3.0)
                .close();
            c.shape(&d, paint, Some(&stroke));
        }
    }
}
