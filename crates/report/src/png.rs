//! PNG output (cargo feature `png`): rasterises a figure with `resvg`, a
//! pure-Rust SVG renderer, using the fonts installed on the system.
//!
//! The figures ask for "Helvetica, Arial, sans-serif". Where neither is
//! installed, the first of Liberation Sans (metric-compatible with Arial),
//! Nimbus Sans (with Helvetica), DejaVu Sans or any other installed family
//! stands in for `sans-serif`. With no font at all the text would silently
//! vanish, so that is an error.
//!
//! The feature is off by default: it adds about 60 crates (resvg, usvg,
//! tiny-skia, fontdb, rustybuzz, ...) and roughly half a minute of CPU to
//! a clean build.

use resvg::tiny_skia;
use resvg::usvg;

use crate::{ReportError, Svg};

/// Families tried, in order, for `sans-serif`.
const FAMILIES: [&str; 5] = [
    "Helvetica",
    "Arial",
    "Liberation Sans",
    "Nimbus Sans",
    "DejaVu Sans",
];

/// A rasteriser holding the system font database (load it once, render
/// many figures).
pub struct PngRenderer {
    options: usvg::Options<'static>,
}

impl std::fmt::Debug for PngRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PngRenderer")
            .field("fonts", &self.options.fontdb.len())
            .finish()
    }
}

/// Scale factor that prints a figure `width_px` wide at `print_mm`
/// millimetres and `dpi` dots per inch (e.g. 85 mm at 300 dpi).
///
/// # Example
///
/// ```
/// use oncomark_report::png::print_scale;
/// // a 480 px figure, one journal column (85 mm) at 300 dpi: 1004 px wide
/// assert!((print_scale(480.0, 85.0, 300.0) * 480.0 - 1003.94).abs() < 0.01);
/// ```
pub fn print_scale(width_px: f64, print_mm: f64, dpi: f64) -> f32 {
    (print_mm / 25.4 * dpi / width_px) as f32
}

impl PngRenderer {
    /// Loads the system fonts.
    ///
    /// # Errors
    ///
    /// [`ReportError::Png`] when no font is installed (install e.g. the
    /// Debian package `fonts-liberation`).
    pub fn new() -> Result<Self, ReportError> {
        let mut options = usvg::Options::default();
        let db = options.fontdb_mut();
        db.load_system_fonts();
        if db.is_empty() {
            return Err(ReportError::Png(
                "no fonts are installed, so the text would be lost; install a sans-serif font \
                 (e.g. the Debian package fonts-liberation)"
                    .into(),
            ));
        }
        let has = |name: &str| {
            db.faces()
                .any(|f| f.families.iter().any(|(n, _)| n == name))
        };
        let family = FAMILIES
            .iter()
            .find(|n| has(n))
            .map(|s| s.to_string())
            .or_else(|| {
                db.faces()
                    .next()
                    .and_then(|f| f.families.first().map(|(n, _)| n.clone()))
            });
        if let Some(family) = family {
            db.set_sans_serif_family(family.clone());
            options.font_family = family;
        }
        Ok(Self { options })
    }

    /// Rasterises `svg` at `scale` device pixels per SVG pixel (2.0 for a
    /// sharp screen image; see [`print_scale`] for print).
    ///
    /// # Errors
    ///
    /// [`ReportError::BadOption`] for a scale that is not in `(0, 20]`;
    /// [`ReportError::Png`] when the SVG cannot be parsed or encoded.
    pub fn render(&self, svg: &Svg, scale: f32) -> Result<Vec<u8>, ReportError> {
        if !(scale.is_finite() && scale > 0.0 && scale <= 20.0) {
            return Err(ReportError::BadOption {
                what: "scale",
                value: scale.to_string(),
                reason: "use a scale in (0, 20]",
            });
        }
        let tree = usvg::Tree::from_str(svg.as_str(), &self.options)
            .map_err(|e| ReportError::Png(e.to_string()))?;
        let size = tree.size();
        let w = (size.width() * scale).ceil() as u32;
        let h = (size.height() * scale).ceil() as u32;
        let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))
            .ok_or_else(|| ReportError::Png(format!("cannot allocate {w}x{h} pixels")))?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| ReportError::Png(e.to_string()))
    }
}

/// Rasterises one figure (loads the fonts each call; use [`PngRenderer`]
/// for many).
///
/// # Errors
///
/// As [`PngRenderer::new`] and [`PngRenderer::render`].
pub fn svg_to_png(svg: &Svg, scale: f32) -> Result<Vec<u8>, ReportError> {
    PngRenderer::new()?.render(svg, scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::{Canvas, TextStyle};

    #[test]
    fn renders_a_png_of_the_right_size_with_text() {
        let mut c = Canvas::new(100.0, 40.0);
        c.text(5.0, 25.0, "Kaplan", &TextStyle::new(14.0));
        let svg = c.finish(None);
        let png = match svg_to_png(&svg, 2.0) {
            Ok(p) => p,
            // a machine without fonts cannot draw text: that is the error
            Err(ReportError::Png(msg)) if msg.contains("no fonts") => return,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, at bytes 16..24
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((w, h), (200, 80));
        // text was drawn: some pixels are dark
        let pix = tiny_skia::Pixmap::decode_png(&png).expect("decode");
        let dark = pix.pixels().iter().filter(|p| p.red() < 100).count();
        assert!(dark > 20, "{dark} dark pixels: no text drawn");
    }

    #[test]
    fn bad_scale_is_refused() {
        let svg = Canvas::new(10.0, 10.0).finish(None);
        if let Ok(r) = PngRenderer::new() {
            assert!(matches!(
                r.render(&svg, 0.0),
                Err(ReportError::BadOption { .. })
            ));
        }
    }
}
