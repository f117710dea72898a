//! The laboratory and screening figures (dose-response, normalised
//! isobologram, Fa-CI, synergy heat map, volcano) read back from their SVG:
//! structure, positions against the numbers they were given, labels, and
//! the refusal of input that cannot be drawn.
//!
//! A coordinate compared with a mapping recovered from two tick positions
//! carries two roundings to 0.01 px: hence `2.0 * tol::SVG_PX`.

mod common;

use common::lab;
use common::svgcheck::*;
use oncomark_report::dose::{dose_response_plot, DoseOptions, DoseSeries, DoseSummary, EdMarker};
use oncomark_report::faci::{fa_ci_plot, FaCiOptions, FaCiPoint, FaCiSeries};
use oncomark_report::heatmap::{
    diverging_colour, synergy_heatmap, text_colour_on, HeatmapOptions, SynergyMatrix,
};
use oncomark_report::isobologram::{isobologram, IsoPoint, IsoSeries, IsobologramOptions};
use oncomark_report::km::Placement;
use oncomark_report::volcano::{volcano_plot, VolcanoOptions, VolcanoPoint};
use oncomark_report::ReportError;
use oncomark_testkit::{assert_close, json_fixture, tol};

// ---------------------------------------------------------- dose-response

#[test]
fn dose_ryegrass_points_curve_and_ed50_sit_where_the_fit_puts_them() {
    let (series, fit) = lab::ryegrass_series();
    let fig = dose_response_plot(std::slice::from_ref(&series), &common::ryegrass_options())
        .expect("figure");
    let svg = fig.svg.as_str();
    assert_clean(svg);
    assert!(fig.zero_slot);
    let doc = parse(svg);
    // drc's ryegrass: 24 observations, 6 of them at dose 0
    let pts = in_class(&doc, "dose-points", "circle");
    assert_eq!(pts.len(), 24);
    // ED50 as drc 3.0-1 prints it: 3.05795 (2.67053, 3.44538), delta method
    assert!(
        all_text(&doc).contains(&"ED50 = 3.06 (95% CI 2.67–3.45)".to_string()),
        "{:?}",
        all_text(&doc)
    );
    // the axes read back from their ticks
    let xt = x_ticks(&doc, |v| v > 0.0);
    assert_eq!(
        xt.iter().map(|t| t.0).collect::<Vec<_>>(),
        vec![1.0, 2.0, 5.0, 10.0, 20.0]
    );
    let sx = Axis::from_ticks(&xt, true);
    for (v, px) in &xt {
        assert!((sx.px(*v) - px).abs() <= 2.0 * tol::SVG_PX, "tick {v}");
    }
    let sy = Axis::from_ticks(&y_ticks(&doc), false);
    // dose-0 observations left of the axis break, the others at their dose
    let break_x = in_class(&doc, "axis-break", "line")
        .iter()
        .map(|l| attr(l, "x1"))
        .fold(f64::INFINITY, f64::min);
    let (zero, positive): (Vec<_>, Vec<_>) = pts.iter().partition(|c| attr(c, "cx") < break_x);
    assert_eq!(zero.len(), 6);
    let f = 14.0;
    for &(d, y) in series.points.iter().filter(|p| p.0 > 0.0) {
        let hit = positive.iter().any(|c| {
            (attr(c, "cy") - sy.px(y)).abs() <= 2.0 * tol::SVG_PX
                && (attr(c, "cx") - sx.px(d)).abs() <= 0.6 * f + tol::SVG_PX
        });
        assert!(hit, "no marker at dose {d}, response {y}");
    }
    // every vertex of the curve lies on the fitted LL.4 curve
    let path = in_class(&doc, "dose-curve", "path");
    let cmds = path_cmds(path[0].attribute("d").expect("d"));
    assert_eq!(cmds.len(), 120);
    for (_, v) in &cmds {
        let dose = sx.value(v[0]);
        let want = sy.px(fit.predict(dose));
        assert!(
            (v[1] - want).abs() <= tol::SVG_CURVE_PX,
            "curve at dose {dose}: y {} vs {want}",
            v[1]
        );
    }
    // the ED50 lines meet on the curve at the ED50
    let ed = series.ed.as_ref().expect("ed");
    let lines = in_class(&doc, "ed-marker", "line");
    let vertical = &lines[0];
    assert_eq!(attr(vertical, "x1"), attr(vertical, "x2"));
    assert!((attr(vertical, "x1") - sx.px(ed.dose)).abs() <= 2.0 * tol::SVG_PX);
    assert!((attr(vertical, "y2") - sy.px(fit.predict(ed.dose))).abs() <= 2.0 * tol::SVG_PX);
    // and the interval bar spans the delta-method limits
    let bar = &lines[2];
    assert!((attr(bar, "x1") - sx.px(2.67053)).abs() <= 0.01 * sx.px(2.67053).abs());
    assert!((sx.value(attr(bar, "x2")) - 3.44538).abs() < 1e-3);
}

#[test]
fn dose_means_carry_their_sd_and_decades_label_a_wide_axis() {
    let (series, fit) = lab::viability_series();
    let fig = dose_response_plot(
        std::slice::from_ref(&series),
        &DoseOptions {
            zero_label: "Ctrl".into(),
            ..DoseOptions::default()
        },
    )
    .expect("figure");
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    // 0.01-30 µM: decades
    let xt = x_ticks(&doc, |v| v > 0.0);
    assert_eq!(
        xt.iter().map(|t| t.0).collect::<Vec<_>>(),
        vec![0.01, 0.1, 1.0, 10.0]
    );
    assert!(all_text(&doc).contains(&"Ctrl".to_string()));
    // 9 doses (control and 8), 27 replicates behind them
    let means = in_class(&doc, "dose-means", "circle");
    assert_eq!(means.len(), 9);
    assert_eq!(in_class(&doc, "dose-points", "circle").len(), 27);
    // each mean at its value, its bar from mean - SD to mean + SD
    let sy = Axis::from_ticks(&y_ticks(&doc), false);
    let bars = in_class(&doc, "dose-means", "line");
    assert_eq!(bars.len(), 3 * 9);
    for (k, m) in series.summary.iter().enumerate() {
        assert!((attr(&means[k], "cy") - sy.px(m.mean)).abs() <= 2.0 * tol::SVG_PX);
        let sd = m.sd.expect("sd");
        let (y_lo, y_hi) = (attr(&bars[3 * k], "y1"), attr(&bars[3 * k], "y2"));
        assert!((y_lo - sy.px(m.mean - sd)).abs() <= 2.0 * tol::SVG_PX);
        assert!((y_hi - sy.px(m.mean + sd)).abs() <= 2.0 * tol::SVG_PX);
    }
    // replicates are drawn before the means (underneath)
    let svg = fig.svg.as_str();
    assert!(svg.find("class=\"dose-points\"") < svg.find("class=\"dose-means\""));
    assert!(fit.ed[0].estimate.is_some());
}

#[test]
fn dose_without_a_zero_dose_has_no_axis_break_and_two_series_get_a_legend() {
    let f = |e: f64| move |x: f64| 100.0 / (1.0 + (x / e).powf(1.2));
    let series = |label: &str, e: f64| DoseSeries {
        label: label.into(),
        summary: [0.1, 1.0, 10.0, 100.0]
            .iter()
            .map(|&d| DoseSummary {
                dose: d,
                mean: f(e)(d),
                sd: Some(3.0),
            })
            .collect(),
        curve: oncomark_report::dose::sample_log(0.1, 100.0, 40, f(e)),
        ed: Some(EdMarker {
            name: "IC50".into(),
            dose: e,
            response: 50.0,
            lower: None,
            upper: None,
            conf_level: 0.95,
        }),
        ..DoseSeries::default()
    };
    let fig = dose_response_plot(
        &[series("MCF-7", 2.0), series("BT-474", 8.0)],
        &DoseOptions::default(),
    )
    .expect("figure");
    assert_clean(fig.svg.as_str());
    assert!(!fig.zero_slot);
    let doc = parse(fig.svg.as_str());
    assert_eq!(groups(&doc, "axis-break"), 0);
    let legend = in_class(&doc, "legend", "text");
    let texts: Vec<String> = legend.iter().map(text).collect();
    assert_eq!(
        texts,
        vec![
            "MCF-7",
            "BT-474",
            "MCF-7: IC50 = 2.00",
            "BT-474: IC50 = 8.00"
        ]
    );
    // second series: squares, in the second colour
    let squares = in_class(&doc, "dose-means", "rect");
    assert_eq!(squares.len(), 4);
    assert_eq!(squares[0].attribute("fill"), Some("#D55E00"));
    assert_ne!(fig.legend_placement, Placement::Auto);
}

#[test]
fn dose_rejects_what_cannot_be_drawn() {
    let ok = DoseSeries {
        points: vec![(0.0, 1.0), (1.0, 0.5)],
        ..DoseSeries::default()
    };
    let opts = DoseOptions::default();
    assert!(dose_response_plot(std::slice::from_ref(&ok), &opts).is_ok());
    let bad = |s: DoseSeries| dose_response_plot(&[s], &opts).unwrap_err();
    assert!(matches!(
        bad(DoseSeries {
            points: vec![(-1.0, 1.0)],
            ..ok.clone()
        }),
        ReportError::OutOfRange { what: "dose", .. }
    ));
    assert!(matches!(
        bad(DoseSeries {
            curve: vec![(0.0, 1.0)],
            ..ok.clone()
        }),
        ReportError::OutOfRange {
            what: "curve dose",
            ..
        }
    ));
    assert!(matches!(
        bad(DoseSeries {
            points: vec![(1.0, f64::NAN)],
            ..ok.clone()
        }),
        ReportError::NonFinite {
            what: "response",
            ..
        }
    ));
    assert!(matches!(
        bad(DoseSeries {
            summary: vec![DoseSummary {
                dose: 1.0,
                mean: 1.0,
                sd: Some(-0.1)
            }],
            ..ok.clone()
        }),
        ReportError::OutOfRange { what: "sd", .. }
    ));
    assert!(matches!(
        bad(DoseSeries::default()),
        ReportError::Empty { .. }
    ));
    assert!(matches!(
        dose_response_plot(&[], &opts),
        Err(ReportError::Empty { .. })
    ));
}

// ------------------------------------------------------------ isobologram

#[test]
fn isobologram_chou_1994_points_lie_at_their_normalised_doses() {
    let series = lab::chou_isobologram();
    let res = lab::chou_analysis(vec![0.5, 0.75, 0.9, 0.95]);
    let fig = isobologram(&series, &IsobologramOptions::default()).expect("figure");
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    let sx = Axis::from_ticks(&x_ticks(&doc, |_| true), false);
    let sy = Axis::from_ticks(&y_ticks(&doc), false);
    // both axes share one scale: the line of additivity runs at 45 degrees
    let ppu_x = sx.px(1.0) - sx.px(0.0);
    let ppu_y = sy.px(0.0) - sy.px(1.0);
    assert!(
        (ppu_x - ppu_y).abs() <= 2.0 * tol::SVG_PX,
        "{ppu_x} vs {ppu_y}"
    );
    let line = &in_class(&doc, "additivity", "line")[0];
    assert!((sx.value(attr(line, "x1")) - 1.0).abs() < 1e-4);
    assert!(sy.value(attr(line, "y1")).abs() < 1e-4);
    assert!(sx.value(attr(line, "x2")).abs() < 1e-4);
    assert!((sy.value(attr(line, "y2")) - 1.0).abs() < 1e-4);
    // the four mixture points at (1/DRI_a, 1/DRI_b); their coordinates
    // add up to the CI of the Fa-CI table (0.887486 at fa 0.5, Chou et al.
    // JNCI 1994 via tests/fixtures/assay/chou_talalay_reference.py)
    let pts = in_class(&doc, "iso-points", "circle");
    assert_eq!(pts.len(), 4);
    for (c, row) in pts.iter().zip(&res.fa_ci) {
        assert!((attr(c, "cx") - sx.px(1.0 / row.dri_a)).abs() <= 2.0 * tol::SVG_PX);
        assert!((attr(c, "cy") - sy.px(1.0 / row.dri_b)).abs() <= 2.0 * tol::SVG_PX);
    }
    let a = sx.value(attr(&pts[0], "cx"));
    let b = sy.value(attr(&pts[0], "cy"));
    // read back through 0.01 px: about 3e-5 absolute
    assert_close("a + b at fa 0.5", a + b, 0.887486, tol::printed_digits(4));
    // every label drawn, none over a point or another label
    assert_eq!(
        fig.labelled,
        vec!["fa = 0.50", "fa = 0.75", "fa = 0.90", "fa = 0.95"]
    );
    assert!(fig.unlabelled.is_empty());
    let labels: Vec<_> = in_class(&doc, "point-labels", "text")
        .iter()
        .map(text_box)
        .collect();
    for (i, l) in labels.iter().enumerate() {
        for m in &labels[i + 1..] {
            assert!(!overlap(*l, *m));
        }
        for p in &pts {
            let (x, y, r) = (attr(p, "cx"), attr(p, "cy"), attr(p, "r"));
            assert!(!overlap(*l, (x - r, y - r, x + r, y + r)));
        }
    }
    let words = all_text(&doc);
    assert!(words.contains(&"Synergism".to_string()));
    assert!(words.contains(&"Antagonism".to_string()));
    assert!(words.contains(&"Additivity (CI = 1)".to_string()));
}

#[test]
fn isobologram_widens_for_antagonism_and_rejects_bad_input() {
    let s = IsoSeries {
        label: "A + B".into(),
        points: vec![IsoPoint {
            a: 1.4,
            b: 0.9,
            label: None,
        }],
    };
    let fig = isobologram(std::slice::from_ref(&s), &IsobologramOptions::default()).expect("fig");
    assert!(fig.axis_max >= 1.4 * 1.08, "{}", fig.axis_max);
    assert_clean(fig.svg.as_str());
    let neg = IsoSeries {
        points: vec![IsoPoint {
            a: -0.1,
            b: 0.5,
            label: None,
        }],
        ..s.clone()
    };
    assert!(matches!(
        isobologram(&[neg], &IsobologramOptions::default()),
        Err(ReportError::OutOfRange { what: "a", .. })
    ));
    let opts = IsobologramOptions {
        axis_max: Some(0.9),
        ..IsobologramOptions::default()
    };
    assert!(matches!(
        isobologram(&[s], &opts),
        Err(ReportError::BadOption {
            what: "axis_max",
            ..
        })
    ));
}

// ------------------------------------------------------------------ Fa-CI

#[test]
fn faci_chou_1994_points_and_curve_against_the_ci_line() {
    let series = lab::chou_fa_ci();
    let fig = fa_ci_plot(&series, &FaCiOptions::default()).expect("figure");
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    let sx = Axis::from_ticks(&x_ticks(&doc, |_| true), false);
    let sy = Axis::from_ticks(&y_ticks(&doc), false);
    assert_eq!(fig.y_max, 1.2);
    // the CI = 1 line
    let line = &in_class(&doc, "additivity", "line")[0];
    assert!((attr(line, "y1") - sy.px(1.0)).abs() <= 2.0 * tol::SVG_PX);
    // the mixture at fa 0.5, 0.75, 0.9, 0.95 (circles) and the four
    // observed combinations (squares) at their CI
    let groups_pts: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("faci-points"))
        .collect();
    assert_eq!(groups_pts.len(), 2);
    let circles: Vec<_> = groups_pts[0]
        .children()
        .filter(|n| n.is_element())
        .collect();
    assert_eq!(circles.len(), 4);
    for (c, p) in circles.iter().zip(&series[0].points) {
        let (x, y) = marker_centre(c);
        assert!((x - sx.px(p.fa)).abs() <= 2.0 * tol::SVG_PX);
        assert!((y - sy.px(p.ci)).abs() <= 2.0 * tol::SVG_PX);
    }
    // CI at fa 0.5 = 0.887486 (Chou 1994, chou_talalay_reference.py)
    assert_close(
        "CI at fa 0.5",
        sy.value(marker_centre(&circles[0]).1),
        0.887486,
        tol::printed_digits(4),
    );
    let squares = groups_pts[1]
        .children()
        .filter(|n| n.has_tag_name("rect"))
        .count();
    assert_eq!(squares, 4);
    // the mixture curve leaves the plot at low fa: cut at the top
    let d = in_class(&doc, "faci-curve", "path")[0]
        .attribute("d")
        .expect("d")
        .to_string();
    let cmds = path_cmds(&d);
    let top = sy.px(fig.y_max);
    assert!(
        (cmds[0].1[1] - top).abs() <= 2.0 * tol::SVG_PX,
        "{:?}",
        cmds[0]
    );
    for (_, v) in &cmds {
        assert!(v[1] >= top - tol::SVG_PX);
    }
}

#[test]
fn faci_bootstrap_bars_and_values_beyond_the_axis() {
    let series = lab::chou_fa_ci_bootstrap();
    let fig = fa_ci_plot(&series, &FaCiOptions::default()).expect("figure");
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    let sy = Axis::from_ticks(&y_ticks(&doc), false);
    // every point has a bar and two caps
    let lines = in_class(&doc, "faci-points", "line");
    assert_eq!(lines.len(), 3 * 8);
    for (k, p) in series.iter().flat_map(|s| &s.points).enumerate() {
        let bar = &lines[3 * k];
        assert!((attr(bar, "y1") - sy.px(p.lower.expect("lower"))).abs() <= 2.0 * tol::SVG_PX);
        assert!((attr(bar, "y2") - sy.px(p.upper.expect("upper"))).abs() <= 2.0 * tol::SVG_PX);
    }
    // a CI of 2.5 over an axis ending at 1.5: an open triangle at the top
    let s = FaCiSeries {
        label: String::new(),
        points: vec![
            FaCiPoint {
                fa: 0.2,
                ci: 2.5,
                lower: Some(1.2),
                upper: Some(3.0),
            },
            FaCiPoint {
                fa: 0.6,
                ci: 0.8,
                lower: None,
                upper: None,
            },
        ],
        curve: vec![],
    };
    let fig = fa_ci_plot(
        &[s],
        &FaCiOptions {
            y_max: Some(1.5),
            ..FaCiOptions::default()
        },
    )
    .expect("figure");
    assert_eq!(fig.clipped, 1);
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    let tri = in_class(&doc, "faci-points", "path");
    assert_eq!(tri.len(), 1);
    assert_eq!(tri[0].attribute("fill"), Some("none"));
}

#[test]
fn faci_rejects_impossible_values() {
    let p = |fa: f64, ci: f64| FaCiSeries {
        label: String::new(),
        points: vec![FaCiPoint {
            fa,
            ci,
            lower: None,
            upper: None,
        }],
        curve: vec![],
    };
    let opts = FaCiOptions::default();
    assert!(matches!(
        fa_ci_plot(&[p(1.0, 0.5)], &opts),
        Err(ReportError::OutOfRange { what: "fa", .. })
    ));
    assert!(matches!(
        fa_ci_plot(&[p(0.5, -0.5)], &opts),
        Err(ReportError::OutOfRange { what: "ci", .. })
    ));
    assert!(matches!(
        fa_ci_plot(&[p(0.5, f64::INFINITY)], &opts),
        Err(ReportError::NonFinite { what: "ci", .. })
    ));
    let mut swapped = p(0.5, 0.8);
    swapped.points[0].lower = Some(0.9);
    swapped.points[0].upper = Some(0.7);
    assert!(matches!(
        fa_ci_plot(&[swapped], &opts),
        Err(ReportError::OutOfRange { what: "lower", .. })
    ));
    assert!(matches!(
        fa_ci_plot(&[FaCiSeries::default()], &opts),
        Err(ReportError::Empty { .. })
    ));
}

// -------------------------------------------------------------- heat map

#[test]
fn heatmap_prints_the_bliss_scores_of_the_reference_matrix() {
    let (m, _) = lab::bliss_matrix();
    let fig = synergy_heatmap(&m, &HeatmapOptions::default()).expect("figure");
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    // scores of tests/fixtures/assay/synergyfinder_reference.json (Python
    // 3.11.7 / numpy 2.4.6 re-implementation of SynergyFinder 1.x Bliss)
    let reference = json_fixture("assay/synergyfinder_reference.json");
    let cells = reference["bliss"]["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 16);
    for c in cells {
        let (a, b) = (c["dose_a"].as_f64().unwrap(), c["dose_b"].as_f64().unwrap());
        let want = c["synergy"].as_f64().unwrap();
        let i = m.dose_a.iter().position(|&d| d == a).expect("row");
        let j = m.dose_b.iter().position(|&d| d == b).expect("column");
        let printed = number(&fig.cell_text[i][j]).expect("number");
        // printed to 1 decimal: within half a unit of the last digit
        assert!(
            (printed - want).abs() <= 0.05 + 1e-9,
            "{a} x {b}: {printed}"
        );
    }
    assert_eq!(fig.limit, 15.0);
    // 16 cells, drug A rising upwards, coloured by value / limit
    let rects = in_class(&doc, "cells", "rect");
    assert_eq!(rects.len(), 16);
    let texts = in_class(&doc, "cell-values", "text");
    assert_eq!(texts.len(), 16);
    // input order: row 0 (lowest dose of A) first, drawn lowest
    assert!(attr(&rects[0], "y") > attr(&rects[12], "y"));
    for (k, r) in rects.iter().enumerate() {
        let v = m.values[k / 4][k % 4].expect("value");
        assert_eq!(
            r.attribute("fill"),
            Some(diverging_colour(v / 15.0).as_str())
        );
        assert_eq!(text(&texts[k]), fig.cell_text[k / 4][k % 4]);
        let fill = texts[k].attribute("fill").unwrap_or("#000000");
        assert_eq!(fill, text_colour_on(v / 15.0));
    }
    // the largest score (14.7 of 15) is printed in white, a small one in black
    assert_eq!(text_colour_on(14.689 / 15.0), "#ffffff");
    assert_eq!(text_colour_on(2.0 / 15.0), "#000000");
    // the colour bar: 128 slices and an outline, ticks -15 ... 15
    assert_eq!(in_class(&doc, "colour-bar", "rect").len(), 129);
    let bar_text: Vec<String> = in_class(&doc, "colour-bar", "text")
        .iter()
        .map(text)
        .collect();
    for t in [
        "\u{2212}15",
        "0",
        "15",
        "synergy",
        "antagonism",
        "Synergy score",
    ] {
        assert!(bar_text.contains(&t.to_string()), "{t}: {bar_text:?}");
    }
}

#[test]
fn heatmap_missing_cells_are_grey_and_ragged_input_is_refused() {
    let m = SynergyMatrix {
        dose_a: vec![0.0, 1.0],
        dose_b: vec![0.0, 10.0],
        values: vec![vec![None, Some(-4.0)], vec![Some(2.0), Some(9.5)]],
    };
    let fig = synergy_heatmap(&m, &HeatmapOptions::default()).expect("figure");
    assert_clean(fig.svg.as_str());
    assert_eq!(fig.cell_text[0][0], "");
    assert_eq!(fig.cell_text[0][1], "\u{2212}4.0");
    let doc = parse(fig.svg.as_str());
    assert_eq!(
        in_class(&doc, "cells", "rect")[0].attribute("fill"),
        Some("#D9D9D9")
    );
    assert!(all_text(&doc).contains(&"Grey: not scored.".to_string()));
    let ragged = SynergyMatrix {
        values: vec![vec![Some(1.0)], vec![Some(2.0), Some(3.0)]],
        ..m.clone()
    };
    let e = synergy_heatmap(&ragged, &HeatmapOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "length mismatch: `values row` has 1 entries but 2 are needed (one value per dose of drug B)"
    );
    let nan = SynergyMatrix {
        values: vec![vec![Some(f64::NAN), None], vec![None, None]],
        ..m
    };
    assert!(matches!(
        synergy_heatmap(&nan, &HeatmapOptions::default()),
        Err(ReportError::NonFinite { what: "value", .. })
    ));
}

// --------------------------------------------------------------- volcano

#[test]
fn volcano_screen_colours_by_q_and_labels_the_top_markers_apart() {
    let points = lab::screen_points();
    assert_eq!(points.len(), 50);
    let fig = volcano_plot(&points, &VolcanoOptions::default()).expect("figure");
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    // R 4.2.2 (tests/fixtures/cutpoint/screen_reference.csv): BH q < 0.05
    // for m01, m03, m41 (HR > 1) and m02 (HR < 1)
    assert_eq!(fig.significant, 4);
    assert_eq!(in_class(&doc, "points-up", "circle").len(), 3);
    assert_eq!(in_class(&doc, "points-down", "circle").len(), 1);
    assert_eq!(in_class(&doc, "points-ns", "circle").len(), 46);
    // m01 at log2(1.6455) and -log10(1.8778e-9)
    let sx = Axis::from_ticks(&x_ticks(&doc, |_| true), false);
    let sy = Axis::from_ticks(&y_ticks(&doc), false);
    let m01 = &in_class(&doc, "points-up", "circle")
        .into_iter()
        .max_by(|a, b| attr(b, "cy").total_cmp(&attr(a, "cy")))
        .expect("m01");
    assert!((attr(m01, "cx") - sx.px(1.64547401066793f64.log2())).abs() <= 2.0 * tol::SVG_PX);
    assert!(
        (attr(m01, "cy") - sy.px(-(1.87781542995022e-9f64).log10())).abs() <= 2.0 * tol::SVG_PX
    );
    // the ten smallest P values, in order, labelled or reported
    let mut order = points.clone();
    order.sort_by(|a, b| a.p.total_cmp(&b.p));
    let top: Vec<String> = order.iter().take(10).map(|p| p.label.clone()).collect();
    let mut got = fig.labelled.clone();
    got.extend(fig.unlabelled.clone());
    got.sort();
    let mut want = top.clone();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(fig.labelled[..4], top[..4]);
    assert_label_layout(&doc);
}

/// Labels lie inside the plot and overlap neither each other nor any point.
fn assert_label_layout(doc: &roxmltree::Document<'_>) {
    let labels: Vec<_> = in_class(doc, "point-labels", "text")
        .iter()
        .map(text_box)
        .collect();
    let xs: Vec<f64> = in_class(doc, "x-axis", "line")
        .iter()
        .map(|l| attr(l, "x1"))
        .collect();
    let axis_y = attr(&in_class(doc, "x-axis", "line")[0], "y1");
    let (left, right) = (xs[0], attr(&in_class(doc, "x-axis", "line")[0], "x2"));
    let points: Vec<(f64, f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .filter(|n| {
            n.ancestors().any(|a| {
                a.attribute("class")
                    .is_some_and(|c| c.starts_with("points-"))
            })
        })
        .map(|n| (attr(&n, "cx"), attr(&n, "cy"), attr(&n, "r")))
        .collect();
    for (i, l) in labels.iter().enumerate() {
        assert!(
            l.0 >= left - 1.0 && l.2 <= right + 1.0 && l.3 <= axis_y + 1.0,
            "{l:?}"
        );
        for m in &labels[i + 1..] {
            assert!(!overlap(*l, *m), "labels overlap: {l:?} {m:?}");
        }
        for &(x, y, r) in &points {
            assert!(
                !overlap(*l, (x - r, y - r, x + r, y + r)),
                "label over a point"
            );
        }
    }
}

#[test]
fn volcano_rejects_p_of_zero_and_q_above_one() {
    let p = |p: f64, q: Option<f64>| VolcanoPoint {
        label: "m".into(),
        effect: 0.5,
        p,
        q,
    };
    let opts = VolcanoOptions::default();
    let e = volcano_plot(&[p(0.0, None)], &opts).unwrap_err();
    assert!(e.to_string().contains("-log10 P"), "{e}");
    assert!(matches!(
        volcano_plot(&[p(0.01, Some(1.5))], &opts),
        Err(ReportError::OutOfRange { what: "q", .. })
    ));
    assert!(matches!(
        volcano_plot(&[], &opts),
        Err(ReportError::Empty { .. })
    ));
    let bad = VolcanoOptions {
        q_threshold: 0.0,
        ..VolcanoOptions::default()
    };
    assert!(matches!(
        volcano_plot(&[p(0.01, None)], &bad),
        Err(ReportError::BadOption { .. })
    ));
}

// ------------------------------------------------------------- snapshots

#[test]
fn lab_figure_error_messages() {
    let msgs = [
        dose_response_plot(
            &[DoseSeries {
                curve: vec![(0.0, 1.0)],
                ..DoseSeries::default()
            }],
            &DoseOptions::default(),
        )
        .unwrap_err()
        .to_string(),
        isobologram(&[], &IsobologramOptions::default())
            .unwrap_err()
            .to_string(),
        fa_ci_plot(
            &[FaCiSeries {
                curve: vec![(1.2, 0.5)],
                ..FaCiSeries::default()
            }],
            &FaCiOptions::default(),
        )
        .unwrap_err()
        .to_string(),
        synergy_heatmap(
            &SynergyMatrix {
                dose_a: vec![1.0],
                dose_b: vec![1.0],
                values: vec![vec![Some(1.0)]],
            },
            &HeatmapOptions {
                limit: Some(-1.0),
                ..HeatmapOptions::default()
            },
        )
        .unwrap_err()
        .to_string(),
        volcano_plot(
            &[VolcanoPoint {
                label: "m07".into(),
                effect: 0.1,
                p: 0.0,
                q: None,
            }],
            &VolcanoOptions::default(),
        )
        .unwrap_err()
        .to_string(),
    ];
    insta::assert_snapshot!("lab_errors", msgs.join("\n"));
}

#[test]
fn lab_figure_snapshots() {
    let dose = dose_response_plot(
        &[DoseSeries {
            points: vec![(0.0, 100.0), (1.0, 80.0), (10.0, 20.0)],
            curve: vec![(0.5, 95.0), (1.0, 80.0), (3.0, 50.0), (10.0, 20.0)],
            ed: Some(EdMarker {
                name: "IC50".into(),
                dose: 3.0,
                response: 50.0,
                lower: Some(2.0),
                upper: Some(4.5),
                conf_level: 0.95,
            }),
            ..DoseSeries::default()
        }],
        &DoseOptions {
            style: oncomark_report::Style::column(),
            ..DoseOptions::default()
        },
    )
    .expect("dose");
    insta::assert_snapshot!("dose_small", dose.svg.as_str());
    let heat = synergy_heatmap(
        &SynergyMatrix {
            dose_a: vec![0.5, 1.0],
            dose_b: vec![2.0, 4.0, 8.0],
            values: vec![
                vec![Some(-6.25), Some(0.0), Some(3.5)],
                vec![Some(1.25), None, Some(12.0)],
            ],
        },
        &HeatmapOptions::default(),
    )
    .expect("heat map");
    insta::assert_snapshot!("heatmap_small", heat.svg.as_str());
}

// ------------------------------------------------------------ properties

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Any screen gives a clean volcano whose labels overlap nothing.
        #[test]
        fn volcano_labels_never_overlap(
            pts in prop::collection::vec((-2.0f64..2.0, 1e-12f64..1.0, 0.0f64..1.0), 1..60),
            top_k in 0usize..15,
        ) {
            let points: Vec<VolcanoPoint> = pts
                .iter()
                .enumerate()
                .map(|(i, &(e, p, q))| VolcanoPoint { label: format!("g{i}"), effect: e, p, q: Some(q) })
                .collect();
            let fig = volcano_plot(&points, &VolcanoOptions { top_k, ..VolcanoOptions::default() })
                .expect("figure");
            assert_clean(fig.svg.as_str());
            prop_assert_eq!(fig.labelled.len() + fig.unlabelled.len(), top_k.min(points.len()));
            let doc = parse(fig.svg.as_str());
            assert_label_layout(&doc);
        }

        /// Any isobologram is clean and its labels overlap neither each
        /// other nor a point.
        #[test]
        fn isobologram_labels_never_overlap(
            pts in prop::collection::vec((0.0f64..2.0, 0.0f64..2.0), 1..12),
        ) {
            let s = IsoSeries {
                label: String::new(),
                points: pts
                    .iter()
                    .enumerate()
                    .map(|(i, &(a, b))| IsoPoint { a, b, label: Some(format!("fa 0.{i}")) })
                    .collect(),
            };
            let fig = isobologram(&[s], &IsobologramOptions::default()).expect("figure");
            assert_clean(fig.svg.as_str());
            prop_assert_eq!(fig.labelled.len() + fig.unlabelled.len(), pts.len());
            let doc = parse(fig.svg.as_str());
            let labels: Vec<_> = in_class(&doc, "point-labels", "text").iter().map(text_box).collect();
            let marks: Vec<_> = in_class(&doc, "iso-points", "circle")
                .iter()
                .map(|p| (attr(p, "cx"), attr(p, "cy"), attr(p, "r")))
                .collect();
            for (i, l) in labels.iter().enumerate() {
                for m in &labels[i + 1..] {
                    prop_assert!(!overlap(*l, *m));
                }
                for &(x, y, r) in &marks {
                    prop_assert!(!overlap(*l, (x - r, y - r, x + r, y + r)));
                }
            }
        }

        /// Any score matrix gives a clean heat map with one cell per dose
        /// pair.
        #[test]
        fn heatmap_is_clean(
            rows in 1usize..7,
            cols in 1usize..9,
            vals in prop::collection::vec(prop::option::of(-80.0f64..80.0), 63),
        ) {
            let values: Vec<Vec<Option<f64>>> = (0..rows)
                .map(|i| (0..cols).map(|j| vals[i * 9 + j]).collect())
                .collect();
            let m = SynergyMatrix {
                dose_a: (0..rows).map(|i| i as f64).collect(),
                dose_b: (0..cols).map(|j| 2f64.powi(j as i32)).collect(),
                values,
            };
            match synergy_heatmap(&m, &HeatmapOptions::default()) {
                Ok(fig) => {
                    assert_clean(fig.svg.as_str());
                    let doc = parse(fig.svg.as_str());
                    prop_assert_eq!(in_class(&doc, "cells", "rect").len(), rows * cols);
                }
                Err(ReportError::Empty { .. }) => {
                    prop_assert!(m.values.iter().flatten().all(|v| v.is_none()));
                }
                Err(e) => panic!("{e}"),
            }
        }

        /// Any dose-response input gives a clean figure with every
        /// observation drawn.
        #[test]
        fn dose_figure_is_clean(
            obs in prop::collection::vec((prop::sample::select(vec![0.0, 0.01, 0.1, 1.0, 10.0, 1000.0]), -50.0f64..150.0), 1..30),
        ) {
            let s = DoseSeries { points: obs.clone(), ..DoseSeries::default() };
            let fig = dose_response_plot(&[s], &DoseOptions::default()).expect("figure");
            assert_clean(fig.svg.as_str());
            let doc = parse(fig.svg.as_str());
            prop_assert_eq!(in_class(&doc, "dose-points", "circle").len(), obs.len());
        }
    }
}
