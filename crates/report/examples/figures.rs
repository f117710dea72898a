//! Renders the example figures of `docs/figures/` from GBSG2 (TH.data) and
//! the illustrative fixtures of `tests/fixtures/report/`, and an example
//! HTML page holding them.
//!
//! Run: `cargo run -p oncomark-report --example figures`. With the `png`
//! feature and a folder argument (`--features png -- /tmp/png`) it also
//! writes each figure as PNG at 300 dpi for 170 mm there. The test
//! `docs_figures_are_current` fails when the committed files differ from
//! what this renders.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/figures");
    std::fs::create_dir_all(&dir).expect("create docs/figures");
    let figures = common::example_figures();
    for (name, svg) in &figures {
        let path = dir.join(name);
        std::fs::write(&path, svg.as_str()).expect("write figure");
        println!("wrote {}", path.display());
    }
    #[cfg(feature = "png")]
    if let Some(out) = std::env::args().nth(1) {
        let r = oncomark_report::png::PngRenderer::new().expect("fonts");
        for (name, svg) in &figures {
            let scale = oncomark_report::png::print_scale(f64::from(svg.width()), 170.0, 300.0);
            let png = r.render(svg, scale).expect("png");
            let path = std::path::Path::new(&out).join(name.replace(".svg", ".png"));
            std::fs::write(&path, png).expect("write png");
            println!("wrote {}", path.display());
        }
    }
    let page = dir.join("example-report.html");
    std::fs::write(&page, common::example_page(&figures)).expect("write page");
    println!("wrote {}", page.display());
}
