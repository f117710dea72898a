//! Label placement shared by the scatter-type figures (crate-private).
//!
//! A greedy placer in the spirit of Imhof's cartographic rules (E. Imhof,
//! *Positioning names on maps*, The American Cartographer 2:128-144,
//! 1975): each label, in order of importance, takes the first free spot
//! among fixed candidates around its point (right, left, above-right,
//! above-left, above, below, below-right, below-left), then the same
//! directions further out with a leader line; a label with no free spot is
//! left out and reported, never drawn over another label or a point. A
//! label right next to its point must be nearer to it than to any other
//! point (so it cannot seem to name a neighbour).
//! Deterministic: the same input always gives the same layout.

use crate::svg::{text_width, Anchor};

/// An axis-aligned box in px, `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BBox {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl BBox {
    /// The box of a square of half-side `r` around `(x, y)`.
    pub fn around(x: f64, y: f64, r: f64) -> Self {
        Self {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    /// Whether the two boxes overlap (touching edges do not).
    pub fn overlaps(&self, o: &BBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether `self` lies inside `o`.
    pub fn inside(&self, o: &BBox) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }

    /// Whether the segment from `a` to `b` crosses the box (sampled).
    pub fn hit_by_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let n = 24;
        (0..=n).any(|i| {
            let t = i as f64 / n as f64;
            let x = a.0 + (b.0 - a.0) * t;
            let y = a.1 + (b.1 - a.1) * t;
            x > self.x0 && x < self.x1 && y > self.y0 && y < self.y1
        })
    }
}

/// Where a label went.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    /// Text x (meaning depends on `anchor`).
    pub x: f64,
    /// Text baseline.
    pub y: f64,
    /// Text anchor.
    pub anchor: Anchor,
    /// Leader line from near the point to near the text, when the label
    /// sits away from its point.
    pub leader: Option<((f64, f64), (f64, f64))>,
}

/// The greedy placer: boxes already taken and the area labels must stay
/// in.
#[derive(Debug, Clone)]
pub(crate) struct Placer {
    taken: Vec<BBox>,
    points: Vec<(f64, f64)>,
    bounds: BBox,
    font: f64,
}

impl Placer {
    /// A placer for text of `font` px inside `bounds`.
    pub fn new(bounds: BBox, font: f64) -> Self {
        Self {
            taken: Vec::new(),
            points: Vec::new(),
            bounds,
            font,
        }
    }

    /// Marks a labelled-or-not point of half-size `r` as taken and
    /// remembers its centre: a label next to its own point must be nearer
    /// to it than to any other point.
    pub fn block_point(&mut self, x: f64, y: f64, r: f64) {
        self.taken.push(BBox::around(x, y, r));
        self.points.push((x, y));
    }

    /// Whether a label box near `(x, y)` is closer to another point than
    /// to `(x, y)` (it would seem to name that point).
    fn ambiguous(&self, b: &BBox, x: f64, y: f64) -> bool {
        let dist = |px: f64, py: f64| {
            let dx = (b.x0 - px).max(px - b.x1).max(0.0);
            let dy = (b.y0 - py).max(py - b.y1).max(0.0);
            (dx * dx + dy * dy).sqrt()
        };
        let own = dist(x, y);
        self.points
            .iter()
            .filter(|p| (p.0 - x).abs() > 1e-9 || (p.1 - y).abs() > 1e-9)
            .any(|p| dist(p.0, p.1) < own + 0.25 * self.font)
    }

    /// Marks a box as taken (a point, a legend, a line's label).
    pub fn block(&mut self, b: BBox) {
        self.taken.push(b);
    }

    /// Whether `b` is inside the bounds and overlaps nothing taken.
    pub fn is_free(&self, b: &BBox) -> bool {
        b.inside(&self.bounds) && !self.taken.iter().any(|t| t.overlaps(b))
    }

    /// The box of `text` set at `(x, y)` (baseline) with `anchor`, with a
    /// small margin.
    pub fn text_box(&self, text: &str, x: f64, y: f64, anchor: Anchor) -> BBox {
        let f = self.font;
        let w = text_width(text, f);
        let x0 = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        let m = 0.12 * f;
        BBox {
            x0: x0 - m,
            y0: y - 0.78 * f - m,
            x1: x0 + w + m,
            y1: y + 0.22 * f + m,
        }
    }

    /// Places `text` next to the point `(x, y)` drawn with half-size `r`;
    /// on success the label's box is taken and its position returned.
    pub fn place(&mut self, text: &str, x: f64, y: f64, r: f64) -> Option<Placed> {
        let f = self.font;
        // (dx, dy) direction, anchor; baseline offset puts the text's
        // optical centre (0.28 em above the baseline) on the ray
        let dirs: [(f64, f64, Anchor); 8] = [
            (1.0, 0.0, Anchor::Start),
            (-1.0, 0.0, Anchor::End),
            (0.75, -0.75, Anchor::Start),
            (-0.75, -0.75, Anchor::End),
            (0.0, -1.0, Anchor::Middle),
            (0.0, 1.0, Anchor::Middle),
            (0.75, 0.75, Anchor::Start),
            (-0.75, 0.75, Anchor::End),
        ];
        for (ring, dist) in [(0, r + 0.3 * f), (1, r + 1.6 * f), (2, r + 3.0 * f)] {
            for &(dx, dy, anchor) in &dirs {
                let cx = x + dx * dist;
                // vertical: above/below keep the whole text off the point
                let cy = if dy < 0.0 {
                    y + dy * dist - 0.22 * f
                } else if dy > 0.0 {
                    y + dy * dist + 0.78 * f
                } else {
                    y + 0.28 * f
                };
                let b = self.text_box(text, cx, cy, anchor);
                if !self.is_free(&b) {
                    continue;
                }
                // next to the point, a label must not seem to name another
                // (a leader line settles it further out)
                if ring == 0 && self.ambiguous(&b, x, y) {
                    continue;
                }
                let leader = if ring == 0 {
                    None
                } else {
                    // from just outside the point to the nearest box edge
                    let near = (x.clamp(b.x0, b.x1), y.clamp(b.y0, b.y1));
                    let len = ((near.0 - x).powi(2) + (near.1 - y).powi(2)).sqrt();
                    if len <= r + 0.2 * f {
                        None
                    } else {
                        let ux = (near.0 - x) / len;
                        let uy = (near.1 - y) / len;
                        let start = (x + ux * (r + 0.1 * f), y + uy * (r + 0.1 * f));
                        if self.crosses_taken(start, near, x, y, r) {
                            continue;
                        }
                        Some((start, near))
                    }
                };
                self.taken.push(b);
                return Some(Placed {
                    x: cx,
                    y: cy,
                    anchor,
                    leader,
                });
            }
        }
        None
    }

    /// Whether the segment crosses a taken box other than the point's own.
    fn crosses_taken(&self, a: (f64, f64), b: (f64, f64), x: f64, y: f64, r: f64) -> bool {
        let own = BBox::around(x, y, r);
        self.taken
            .iter()
            .filter(|t| !t.inside(&own))
            .any(|t| t.hit_by_segment(a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds() -> BBox {
        BBox {
            x0: 0.0,
            y0: 0.0,
            x1: 400.0,
            y1: 300.0,
        }
    }

    #[test]
    fn first_choice_is_right_of_the_point() {
        let mut p = Placer::new(bounds(), 14.0);
        let got = p.place("m01", 100.0, 100.0, 4.0).expect("placed");
        assert_eq!(got.anchor, Anchor::Start);
        assert!(got.x > 104.0 && got.leader.is_none());
    }

    #[test]
    fn labels_never_overlap_and_crowded_ones_are_dropped() {
        let mut p = Placer::new(bounds(), 14.0);
        let mut boxes = Vec::new();
        // 40 points on top of each other: only a few labels fit around
        let mut placed = 0;
        for i in 0..40 {
            p.block(BBox::around(200.0, 150.0, 4.0));
            if let Some(l) = p.place(&format!("marker {i}"), 200.0, 150.0, 4.0) {
                let b = p.text_box(&format!("marker {i}"), l.x, l.y, l.anchor);
                for o in &boxes {
                    assert!(!b.overlaps(o), "label {i} overlaps an earlier one");
                }
                boxes.push(b);
                placed += 1;
            }
        }
        assert!((3..40).contains(&placed), "{placed}");
    }

    #[test]
    fn labels_stay_inside_the_bounds() {
        let mut p = Placer::new(bounds(), 14.0);
        // a point at the right edge: the label goes left
        let got = p.place("long label", 398.0, 100.0, 3.0).expect("placed");
        assert_eq!(got.anchor, Anchor::End);
    }
}
