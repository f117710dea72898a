//! Integration tests of oncomark-report: figure structure read back from
//! the SVG, numbers printed against their sources, the HTML page, and the
//! example figures in docs/figures/.

mod common;

use oncomark_report::bars::{bar_chart, BarGroup, BarOptions, Bracket};
use oncomark_report::forest::{forest_plot, ForestOptions, ForestRow};
use oncomark_report::html::{Block, HtmlReport, Section, Table};
use oncomark_report::km::{km_plot, HazardRatioText, KmAnnotation, KmPlotOptions, Placement};
use oncomark_report::waterfall::{waterfall_plot, Response, WaterfallBar, WaterfallOptions};
use oncomark_report::ReportError;
use oncomark_survival::km::{kaplan_meier_groups, KmFit, KmOptions};
use oncomark_testkit::tol;

// ---------------------------------------------------------------- helpers

/// Parses an SVG, panicking with the parser's message when it is not
/// well-formed XML.
fn parse(svg: &str) -> roxmltree::Document<'_> {
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
/// number, and no NaN/inf text appears anywhere.
fn assert_clean(svg: &str) {
    for bad in ["NaN", "inf\"", "\"inf", "Infinity"] {
        assert!(!svg.contains(bad), "SVG contains {bad:?}");
    }
    let doc = parse(svg);
    for n in doc.descendants().filter(|n| n.is_element()) {
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
fn in_class<'a>(
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

fn attr(n: &roxmltree::Node<'_, '_>, a: &str) -> f64 {
    n.attribute(a).expect(a).parse().expect("number")
}

fn text(n: &roxmltree::Node<'_, '_>) -> String {
    n.text().unwrap_or("").to_string()
}

/// Path commands: (letter, numbers).
fn path_cmds(d: &str) -> Vec<(char, Vec<f64>)> {
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

/// Two groups small enough to follow by hand:
/// A: times 1, 3, 4+, 6 -> S = 3/4 at 1, 1/2 at 3, 0 at 6 (one censored at 4);
/// B: times 2, 2+, 5, 8+, 9 -> S = 4/5 at 2, 4/5 * 2/3 = 8/15 at 5, 0 at 9.
fn hand_fits() -> Vec<KmFit> {
    let time = [1.0, 3.0, 4.0, 6.0, 2.0, 2.0, 5.0, 8.0, 9.0];
    let event = [true, true, false, true, true, false, true, false, true];
    let group = [0, 0, 0, 0, 1, 1, 1, 1, 1];
    kaplan_meier_groups(&time, &event, &group, &["A", "B"], &KmOptions::default())
        .expect("KM")
        .groups
}

/// The at-risk table read back: (label, counts) per group.
fn at_risk_rows(svg: &str, n_ticks: usize) -> Vec<(String, Vec<u32>)> {
    let doc = parse(svg);
    let texts: Vec<String> = in_class(&doc, "at-risk", "text").iter().map(text).collect();
    assert_eq!(texts[0], "No. at risk");
    texts[1..]
        .chunks(n_ticks + 1)
        .map(|c| {
            (
                c[0].clone(),
                c[1..].iter().map(|s| s.parse().expect("count")).collect(),
            )
        })
        .collect()
}

// ---------------------------------------------------------- Kaplan-Meier

#[test]
fn km_hand_example_at_risk_table_prints_n_at_risk() {
    let fits = hand_fits();
    let fig = km_plot(&fits, &KmPlotOptions::default()).expect("figure");
    assert_eq!(fig.ticks, vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    let rows = at_risk_rows(fig.svg.as_str(), fig.ticks.len());
    // by hand: A has 4, 3, 2, 1, 0, 0 with time >= t; B 5, 5, 3, 2, 2, 0
    assert_eq!(rows[0], ("A".to_string(), vec![4, 3, 2, 1, 0, 0]));
    assert_eq!(rows[1], ("B".to_string(), vec![5, 5, 3, 2, 2, 0]));
    for (row, fit) in rows.iter().zip(&fits) {
        assert_eq!(row.1, fit.n_at_risk(&fig.ticks));
    }
    assert_eq!(fig.at_risk[1].counts, vec![5, 5, 3, 2, 2, 0]);
}

#[test]
fn km_counts_sit_under_the_ticks() {
    let fig = km_plot(&hand_fits(), &KmPlotOptions::default()).expect("figure");
    let doc = parse(fig.svg.as_str());
    let tick_x: Vec<f64> = in_class(&doc, "x-axis", "line")
        .iter()
        .skip(1)
        .map(|l| attr(l, "x1"))
        .collect();
    let cells = in_class(&doc, "at-risk", "text");
    // row A: label then one centred count per tick
    let counts = &cells[2..2 + tick_x.len()];
    for (c, x) in counts.iter().zip(&tick_x) {
        assert_eq!(c.attribute("text-anchor"), Some("middle"));
        assert!(
            (attr(c, "x") - x).abs() <= tol::SVG_PX,
            "count at {} vs tick {x}",
            attr(c, "x")
        );
    }
}

#[test]
fn km_curves_are_right_continuous_steps_through_the_fit() {
    let fits = hand_fits();
    let fig = km_plot(&fits, &KmPlotOptions::default()).expect("figure");
    let doc = parse(fig.svg.as_str());
    // pixel <-> data from the axis ticks (first line of a group is the axis)
    let xt: Vec<f64> = in_class(&doc, "x-axis", "line")
        .iter()
        .skip(1)
        .map(|l| attr(l, "x1"))
        .collect();
    let yt: Vec<f64> = in_class(&doc, "y-axis", "line")
        .iter()
        .skip(1)
        .map(|l| attr(l, "y1"))
        .collect();
    // ticks 0, 2, ..., 10 and 0.0, ..., 1.0; a value read back carries the
    // rounding of its own coordinate and of the two end ticks
    let x_of = |px: f64| (px - xt[0]) / (xt[5] - xt[0]) * 10.0;
    let s_of = |py: f64| (py - yt[0]) / (yt[5] - yt[0]);
    let x_tol = 3.0 * tol::SVG_PX / (xt[5] - xt[0]) * 10.0;
    let s_tol = 3.0 * tol::SVG_PX / (yt[0] - yt[5]);
    let curves: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("km-curve"))
        .collect();
    assert_eq!(curves.len(), 2);
    for (g, fit) in curves.iter().zip(&fits) {
        let paths: Vec<_> = g.children().filter(|n| n.has_tag_name("path")).collect();
        let cmds = path_cmds(paths[0].attribute("d").expect("d"));
        // starts at S = 1 at time 0
        assert_eq!(cmds[0].0, 'M');
        assert!(x_of(cmds[0].1[0]).abs() <= x_tol && (s_of(cmds[0].1[1]) - 1.0).abs() <= s_tol);
        // then one H (to the event time) and one V (down to S) per event time
        let events: Vec<_> = fit.steps.iter().filter(|s| s.n_event > 0).collect();
        let hv: Vec<_> = cmds[1..].chunks(2).collect();
        assert_eq!(hv.len(), events.len(), "group {}", fit.group);
        for (pair, s) in hv.iter().zip(&events) {
            assert_eq!((pair[0].0, pair[1].0), ('H', 'V'));
            assert!(
                (x_of(pair[0].1[0]) - s.time).abs() <= x_tol,
                "time {}",
                s.time
            );
            assert!(
                (s_of(pair[1].1[0]) - s.survival).abs() <= s_tol,
                "S {}",
                s.survival
            );
        }
        // censoring marks: one "+" (two sub-paths) per censored time
        let censored = fit.steps.iter().filter(|s| s.n_censor > 0).count();
        let marks = path_cmds(paths[1].attribute("d").expect("d"));
        assert_eq!(marks.iter().filter(|c| c.0 == 'M').count(), 2 * censored);
    }
}

#[test]
fn km_gbsg2_at_risk_matches_r_summary_survfit() {
    // R 4.2.2, survival 3.5-3: summary(survfit(Surv(time, cens) ~ horTh),
    // times = 0:8 * 365.25, extend = TRUE)$n.risk (tests/fixtures/report/gbsg2_at_risk.csv)
    let d = common::gbsg2::load();
    let km = d.km();
    let opts = common::gbsg2_km_options(&d);
    let fig = km_plot(&km.groups, &opts).expect("figure");
    assert_eq!(fig.ticks, (0..=8).map(f64::from).collect::<Vec<_>>());
    let (_, r_rows) = oncomark_testkit::read_fixture_csv("report/gbsg2_at_risk.csv");
    let r_counts = |g: &str| -> Vec<u32> {
        r_rows
            .iter()
            .filter(|r| r[0].as_deref() == Some(g))
            .map(|r| r[2].as_ref().expect("n").parse().expect("count"))
            .collect()
    };
    let rows = at_risk_rows(fig.svg.as_str(), fig.ticks.len());
    assert_eq!(rows[0].0, "No");
    assert_eq!(rows[0].1, r_counts("no"));
    assert_eq!(rows[1].1, r_counts("yes"));
    let days: Vec<f64> = fig.ticks.iter().map(|t| t * 365.25).collect();
    assert_eq!(rows[0].1, km.groups[0].n_at_risk(&days));
    assert_eq!(rows[1].1, km.groups[1].n_at_risk(&days));
    assert_clean(fig.svg.as_str());
}

#[test]
fn km_gbsg2_annotation_prints_logrank_p_and_hr() {
    // R 4.2.2, survival 3.5-3: survdiff P = 0.00342728 (gbsg2.json);
    // coxph(Surv(time, cens) ~ horTh): HR 0.695 (0.544-0.888), printed to 2 decimals
    let d = common::gbsg2::load();
    let fig = km_plot(&d.km().groups, &common::gbsg2_km_options(&d)).expect("figure");
    let doc = parse(fig.svg.as_str());
    let lines: Vec<String> = in_class(&doc, "annotation", "text")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        lines,
        vec![
            "Log-rank P = 0.0034",
            "HR (yes vs no) 0.69 (95% CI 0.54–0.89)"
        ]
    );
    let legend: Vec<String> = in_class(&doc, "legend", "text").iter().map(text).collect();
    assert_eq!(
        legend,
        vec!["Hormone therapy", "No (n = 440)", "Yes (n = 246)"]
    );
    // neither box hides a curve: both went to free corners
    assert_eq!(fig.legend_placement, Placement::TopRight);
    assert_eq!(fig.annotation_placement, Placement::BottomLeft);
}

#[test]
fn km_bands_stop_where_the_limits_are_undefined() {
    // group A drops to S = 0 at t = 6: no limits there, so its band ends at 6
    let fits = hand_fits();
    let opts = KmPlotOptions {
        conf_bands: true,
        median_lines: true,
        ..KmPlotOptions::default()
    };
    let fig = km_plot(&fits, &opts).expect("figure");
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    let xt: Vec<f64> = in_class(&doc, "x-axis", "line")
        .iter()
        .skip(1)
        .map(|l| attr(l, "x1"))
        .collect();
    let bands = in_class(&doc, "ci-bands", "path");
    assert_eq!(bands.len(), 2);
    let max_x = |n: &roxmltree::Node<'_, '_>| {
        path_cmds(n.attribute("d").expect("d"))
            .iter()
            .filter(|c| c.0 == 'H' || c.0 == 'M')
            .map(|c| c.1[0])
            .fold(f64::MIN, f64::max)
    };
    // A: ends at 6 (tick 3); B: ends at 9 (half way between ticks 4 and 5)
    assert!((max_x(&bands[0]) - xt[3]).abs() <= tol::SVG_PX);
    assert!((max_x(&bands[1]) - (xt[4] + xt[5]) / 2.0).abs() <= tol::SVG_PX);
    // median lines: one horizontal at S = 0.5 and one vertical per group.
    // By hand (R's rule): A sits at S = 0.5 from 3 to 6, so its median is
    // the midpoint 4.5; B first drops below 0.5 at 9.
    assert_eq!((fits[0].median, fits[1].median), (Some(4.5), Some(9.0)));
    let med = in_class(&doc, "median-lines", "line");
    assert_eq!(med.len(), 3);
    let x_at = |t: f64| xt[0] + (xt[5] - xt[0]) * t / 10.0;
    assert!((attr(&med[1], "x1") - x_at(4.5)).abs() <= 3.0 * tol::SVG_PX);
    assert!((attr(&med[2], "x1") - x_at(9.0)).abs() <= 3.0 * tol::SVG_PX);
    assert!((attr(&med[0], "x2") - x_at(9.0)).abs() <= 3.0 * tol::SVG_PX);
}

#[test]
fn km_axis_shorter_than_follow_up_cuts_curves_and_bands_at_its_end() {
    // x_max = 5: A (events at 1, 3, 6) and B (2, 5, 9) go on past 5, so
    // both curves and bands run to the axis end and no further
    let opts = KmPlotOptions {
        x_max: Some(5.0),
        conf_bands: true,
        ..KmPlotOptions::default()
    };
    let fits = hand_fits();
    let fig = km_plot(&fits, &opts).expect("figure");
    assert_clean(fig.svg.as_str());
    assert_eq!(fig.ticks, vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    let doc = parse(fig.svg.as_str());
    let x_end = in_class(&doc, "x-axis", "line")[0]
        .attribute("x2")
        .expect("x2")
        .parse::<f64>()
        .expect("x");
    let max_x = |d: &str| {
        path_cmds(d)
            .iter()
            .filter(|c| c.0 == 'H' || c.0 == 'M')
            .map(|c| c.1[0])
            .fold(f64::MIN, f64::max)
    };
    for g in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("km-curve"))
    {
        let curve = g
            .children()
            .find(|n| n.has_tag_name("path"))
            .expect("curve");
        assert!((max_x(curve.attribute("d").expect("d")) - x_end).abs() <= tol::SVG_PX);
    }
    for band in in_class(&doc, "ci-bands", "path") {
        assert!((max_x(band.attribute("d").expect("d")) - x_end).abs() <= tol::SVG_PX);
    }
    // at risk at 0..5 by hand: A 4, 4, 3, 3, 2, 1; B 5, 5, 5, 3, 3, 3
    assert_eq!(fig.at_risk[0].counts, vec![4, 4, 3, 3, 2, 1]);
    assert_eq!(fig.at_risk[1].counts, vec![5, 5, 5, 3, 3, 3]);
}

#[test]
fn km_legend_moves_above_when_every_corner_is_busy() {
    // "high" stays at S = 0.9 from t = 1 to 10 (top right busy); "low"
    // drops to S = 0.1 at t = 0.2 and stays there to 10 (both bottom
    // corners busy)
    let mut time = vec![1.0];
    let mut event = vec![true];
    let mut group = vec![0];
    time.extend([10.0; 9]);
    event.extend([false; 9]);
    group.extend([0; 9]);
    time.extend([0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 10.0]);
    event.extend([true, true, true, true, true, true, true, true, true, false]);
    group.extend([1; 10]);
    let km = kaplan_meier_groups(
        &time,
        &event,
        &group,
        &["high", "low"],
        &KmOptions::default(),
    )
    .expect("KM");
    let opts = KmPlotOptions {
        annotation: KmAnnotation {
            logrank_p: Some(0.2),
            ..KmAnnotation::default()
        },
        ..KmPlotOptions::default()
    };
    let fig = km_plot(&km.groups, &opts).expect("figure");
    assert_eq!(fig.legend_placement, Placement::Above);
    // the one-line annotation still fits under S = 0.1, bottom left
    assert_eq!(fig.annotation_placement, Placement::BottomLeft);
    assert_clean(fig.svg.as_str());
}

#[test]
fn km_rejects_bad_input_with_the_offending_value() {
    let mut fits = hand_fits();
    assert!(matches!(
        km_plot(&[], &KmPlotOptions::default()),
        Err(ReportError::Empty { .. })
    ));
    let opts = KmPlotOptions {
        labels: vec!["only one".into()],
        ..KmPlotOptions::default()
    };
    assert!(matches!(
        km_plot(&fits, &opts),
        Err(ReportError::LengthMismatch {
            got: 1,
            expected: 2,
            ..
        })
    ));
    let opts = KmPlotOptions {
        time_scale: 0.0,
        ..KmPlotOptions::default()
    };
    let e = km_plot(&fits, &opts).unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `time_scale` = 0 is invalid: must be a positive finite number"
    );
    fits[1].steps[0].survival = f64::NAN;
    let e = km_plot(&fits, &KmPlotOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "survival = NaN is not finite (in group B); remove or mark the value as missing"
    );
    let opts = KmPlotOptions {
        annotation: KmAnnotation {
            hr: Some(HazardRatioText {
                hr: -1.0,
                lower: None,
                upper: None,
                conf_level: 0.95,
                label: None,
            }),
            ..KmAnnotation::default()
        },
        ..KmPlotOptions::default()
    };
    assert!(matches!(
        km_plot(&hand_fits(), &opts),
        Err(ReportError::OutOfRange { what: "hr", .. })
    ));
}

#[test]
fn km_snapshot() {
    let opts = KmPlotOptions {
        conf_bands: true,
        median_lines: true,
        x_label: "Months".into(),
        annotation: KmAnnotation {
            logrank_p: Some(0.0496),
            hr: Some(HazardRatioText {
                hr: 0.5,
                lower: Some(0.2),
                upper: Some(1.25),
                conf_level: 0.95,
                label: None,
            }),
            lines: vec!["A <&> B".into()],
        },
        ..KmPlotOptions::default()
    };
    let fig = km_plot(&hand_fits(), &opts).expect("figure");
    assert_clean(fig.svg.as_str());
    insta::assert_snapshot!("km_hand", fig.svg.as_str());
}

// ---------------------------------------------------------------- forest

#[test]
fn forest_gbsg2_prints_the_cox_model_as_r_reports_it() {
    // R 4.2.2, survival 3.5-3, coxph(..., ties = "efron") on GBSG2
    // (tests/fixtures/r-survival/gbsg2.json): exp(coef), lower/upper .95, Wald P
    //   horThyes 0.7073 (0.5492-0.9109) P 0.0073; age 0.9906 (0.9727-1.0088) 0.31
    //   menostatPre 0.7723 (0.5390-1.1065) 0.16; tsize 1.0078 (1.0001-1.0156) 0.048
    //   tgradeII 1.8891 (1.1591-3.0788) 0.011; tgradeIII 2.1807 (1.2885-3.6909) 0.0037
    //   pnodes 1.0500 (1.0348-1.0654) 5.7e-11; progrec 0.99779 (0.99666-0.99891) 1.1e-4
    //   estrec 1.00020 (0.99931-1.00108) 0.66
    let d = common::gbsg2::load();
    let rows = common::gbsg2_forest_rows(&d.cox_full());
    let fig = forest_plot(&rows, &ForestOptions::default()).expect("forest");
    let want = [
        ("", ""),
        ("1 (reference)", ""),
        ("0.71 (0.55–0.91)", "0.0073"),
        ("0.99 (0.97–1.01)", "0.31"),
        ("", ""),
        ("1 (reference)", ""),
        ("0.77 (0.54–1.11)", "0.16"),
        ("1.01 (1.00–1.02)", "0.048"),
        ("", ""),
        ("1 (reference)", ""),
        ("1.89 (1.16–3.08)", "0.011"),
        ("2.18 (1.29–3.69)", "0.0037"),
        ("1.05 (1.03–1.07)", "<0.001"),
        ("0.998 (0.997–0.999)", "<0.001"),
        ("1.000 (0.999–1.001)", "0.66"),
    ];
    for (i, (e, p)) in want.iter().enumerate() {
        assert_eq!(fig.estimate_text[i], *e, "row {i} ({})", rows[i].label);
        assert_eq!(fig.p_text[i], *p, "row {i} ({})", rows[i].label);
    }
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    // one square per estimated row (9 terms), none for headers and references
    let squares = in_class(&doc, "forest-row", "rect");
    assert_eq!(squares.len(), 9);
}

#[test]
fn forest_unbounded_and_missing_limits_become_arrows_and_ne() {
    let rows = vec![
        ForestRow::estimate("wide", 2.0, 0.9, f64::INFINITY, Some(0.06)),
        ForestRow::estimate("huge", 3.0, 0.0, 1e6, None),
        ForestRow {
            label: "aliased".into(),
            estimate: Some(f64::NAN),
            ..ForestRow::default()
        },
        ForestRow {
            label: "half".into(),
            estimate: Some(1.5),
            lower: Some(1.1),
            upper: None,
            ..ForestRow::default()
        },
    ];
    let fig = forest_plot(&rows, &ForestOptions::default()).expect("forest");
    assert_clean(fig.svg.as_str());
    assert_eq!(
        fig.estimate_text,
        vec![
            "2.00 (0.90–∞)",
            "3.00 (0.00–1000000)",
            "NE",
            "1.50 (1.10–NE)"
        ]
    );
    // the axis is capped at 100, and 0 / infinity do not move it
    assert_eq!(fig.x_limits.1, 100.0);
    assert!(fig.x_limits.0 > 0.0 && fig.x_limits.0 <= 0.5);
    let doc = parse(fig.svg.as_str());
    // arrows are closed triangles: one for "wide" (upper), two for "huge"
    let arrows = in_class(&doc, "forest-row", "path");
    assert_eq!(arrows.len(), 3);
    assert!(fig.svg.as_str().contains("NE, not estimable."));
}

#[test]
fn forest_rejects_impossible_rows() {
    let bad = vec![ForestRow::estimate("x", 1.0, 2.0, 0.5, None)];
    assert!(matches!(
        forest_plot(&bad, &ForestOptions::default()),
        Err(ReportError::OutOfRange { what: "lower", .. })
    ));
    let bad = vec![ForestRow::estimate("x", -1.0, 0.5, 2.0, None)];
    assert!(forest_plot(&bad, &ForestOptions::default()).is_err());
    let opts = ForestOptions {
        x_limits: Some((2.0, 4.0)),
        ..ForestOptions::default()
    };
    let ok = vec![ForestRow::estimate("x", 1.0, 0.5, 2.0, Some(1.0))];
    assert!(matches!(
        forest_plot(&ok, &opts),
        Err(ReportError::BadOption { .. })
    ));
}

#[test]
fn forest_snapshot() {
    let rows = vec![
        ForestRow::header("Grade"),
        ForestRow::reference("1"),
        ForestRow {
            indent: 1,
            n: Some(120),
            events: Some(40),
            weight: Some(40.0),
            ..ForestRow::estimate("2", 1.5, 1.1, 2.2, Some(0.012))
        },
        ForestRow {
            indent: 1,
            n: Some(60),
            events: Some(10),
            weight: Some(10.0),
            ..ForestRow::estimate("3 <high>", 0.8, 0.3, 2.1, Some(0.6))
        },
    ];
    let opts = ForestOptions {
        favours: Some(("Lower risk".into(), "Higher risk".into())),
        ..ForestOptions::default()
    };
    let fig = forest_plot(&rows, &opts).expect("forest");
    assert_clean(fig.svg.as_str());
    insta::assert_snapshot!("forest_small", fig.svg.as_str());
}

// ------------------------------------------------------------- waterfall

#[test]
fn waterfall_sorts_descending_and_colours_by_response() {
    let bars = common::waterfall_bars();
    let fig = waterfall_plot(&bars, &WaterfallOptions::default()).expect("waterfall");
    assert_clean(fig.svg.as_str());
    // sorted from the largest increase: P07 +40.7, P12 +25.8, P17 +17.3 ... P04 -100
    assert_eq!(&fig.order[..3], &["P07", "P12", "P17"]);
    assert_eq!(fig.order.last().map(String::as_str), Some("P04"));
    assert_eq!(fig.not_shown, vec!["P06", "P18"]);
    let doc = parse(fig.svg.as_str());
    let rects = in_class(&doc, "bars", "rect");
    assert_eq!(rects.len(), 26);
    let by_id = |id: &str| bars.iter().find(|b| b.id == id).expect("id");
    for (r, id) in rects.iter().zip(&fig.order) {
        assert_eq!(
            r.attribute("fill"),
            Some(by_id(id).response.colour()),
            "{id}"
        );
    }
    // bar heights are monotone: tops rise, then bottoms fall
    let changes: Vec<f64> = fig
        .order
        .iter()
        .map(|id| by_id(id).change.expect("change"))
        .collect();
    assert!(changes.windows(2).all(|w| w[0] >= w[1]));
    // RECIST lines at +20 and -30, labelled
    let refs: Vec<String> = in_class(&doc, "reference-lines", "text")
        .iter()
        .map(text)
        .collect();
    assert_eq!(refs, vec!["+20%", "\u{2212}30%"]);
    assert!(fig
        .svg
        .as_str()
        .contains("2 patients without a post-baseline measurement are not shown."));
}

#[test]
fn waterfall_cap_prints_the_true_value_and_bad_changes_are_refused() {
    let bars = vec![
        WaterfallBar {
            id: "a".into(),
            change: Some(250.0),
            response: Response::PD,
        },
        WaterfallBar {
            id: "b".into(),
            change: Some(-50.0),
            response: Response::PR,
        },
    ];
    let opts = WaterfallOptions {
        cap: Some(100.0),
        reference_lines: vec![20.0, -30.0, 0.0],
        ..WaterfallOptions::default()
    };
    let fig = waterfall_plot(&bars, &opts).expect("waterfall");
    assert_clean(fig.svg.as_str());
    let doc = parse(fig.svg.as_str());
    let labels: Vec<String> = in_class(&doc, "bars", "text").iter().map(text).collect();
    assert_eq!(labels, vec!["250"]);
    let bad = vec![WaterfallBar {
        id: "z".into(),
        change: Some(-120.0),
        response: Response::CR,
    }];
    let e = waterfall_plot(&bad, &WaterfallOptions::default()).unwrap_err();
    assert!(e.to_string().contains("patient z"), "{e}");
}

#[test]
fn waterfall_snapshot() {
    let bars: Vec<WaterfallBar> = [
        (35.0, Response::PD),
        (-10.0, Response::SD),
        (-40.0, Response::PR),
        (-100.0, Response::CR),
    ]
    .iter()
    .enumerate()
    .map(|(i, &(c, r))| WaterfallBar {
        id: format!("S{i}"),
        change: Some(c),
        response: r,
    })
    .collect();
    let fig = waterfall_plot(
        &bars,
        &WaterfallOptions {
            show_ids: true,
            ..WaterfallOptions::default()
        },
    )
    .expect("waterfall");
    assert_clean(fig.svg.as_str());
    insta::assert_snapshot!("waterfall_small", fig.svg.as_str());
}

// ------------------------------------------------------------------ bars

#[test]
fn bars_draw_every_replicate_and_the_callers_p_values() {
    // means, SDs and Welch P from numpy 2.4.6 / scipy 1.17.1
    // (tests/fixtures/report/make_fixtures.py)
    let (groups, brackets) = common::viability();
    let svg = bar_chart(
        &groups,
        &BarOptions {
            brackets,
            ..BarOptions::default()
        },
    )
    .expect("bars");
    assert_clean(svg.as_str());
    let doc = parse(svg.as_str());
    assert_eq!(in_class(&doc, "bar", "circle").len(), 16);
    let p: Vec<String> = in_class(&doc, "bracket", "text").iter().map(text).collect();
    assert_eq!(p, vec!["P = 0.0013", "P < 0.001"]);
    // the bar of "Control" reaches its mean 99.4 on the axis
    let yt: Vec<f64> = in_class(&doc, "y-axis", "line")
        .iter()
        .skip(1)
        .map(|l| attr(l, "y1"))
        .collect();
    let labels: Vec<String> = in_class(&doc, "y-axis", "text").iter().map(text).collect();
    assert_eq!(
        labels,
        vec!["0", "20", "40", "60", "80", "100", "120", "Viability (%)"]
    );
    let bar = &in_class(&doc, "bar", "rect")[0];
    let top_value = (attr(bar, "y") - yt[0]) / (yt[6] - yt[0]) * 120.0;
    assert!(
        (top_value - 99.4).abs() <= 3.0 * tol::SVG_PX / (yt[0] - yt[6]) * 120.0,
        "{top_value}"
    );
}

#[test]
fn bars_reject_bad_input() {
    let g = |e: Option<f64>| BarGroup {
        label: "x".into(),
        mean: 1.0,
        error: e,
        points: vec![1.0],
    };
    assert!(matches!(
        bar_chart(&[g(Some(-1.0))], &BarOptions::default()),
        Err(ReportError::OutOfRange { what: "error", .. })
    ));
    let opts = BarOptions {
        brackets: vec![Bracket {
            left: 0,
            right: 3,
            p: 0.5,
        }],
        ..BarOptions::default()
    };
    assert!(matches!(
        bar_chart(&[g(None)], &opts),
        Err(ReportError::OutOfRange { .. })
    ));
    let nan = BarGroup {
        points: vec![f64::NAN],
        ..g(None)
    };
    assert!(matches!(
        bar_chart(&[nan], &BarOptions::default()),
        Err(ReportError::NonFinite { .. })
    ));
}

#[test]
fn bars_snapshot() {
    let groups = vec![
        BarGroup {
            label: "Ctrl".into(),
            mean: 100.0,
            error: Some(5.0),
            points: vec![95.0, 100.0, 105.0],
        },
        BarGroup {
            label: "Drug".into(),
            mean: 40.0,
            error: Some(10.0),
            points: vec![30.0, 50.0],
        },
    ];
    let opts = BarOptions {
        brackets: vec![Bracket {
            left: 0,
            right: 1,
            p: 0.031,
        }],
        ..BarOptions::default()
    };
    let svg = bar_chart(&groups, &opts).expect("bars");
    assert_clean(svg.as_str());
    insta::assert_snapshot!("bars_small", svg.as_str());
}

// ------------------------------------------------------------------ HTML

#[test]
fn html_page_is_self_contained_and_escapes_everything() {
    let fig = km_plot(&hand_fits(), &KmPlotOptions::default()).expect("figure");
    let evil = "<script>alert('x')</script> & \"quotes\"";
    let mut page = HtmlReport::new(evil);
    page.subtitle = Some(evil.into());
    page.warnings = vec![evil.into()];
    page.sections.push(
        Section::new(evil)
            .paragraph(evil)
            .figure(fig.svg.clone(), evil)
            .table(Table::new(
                evil,
                &["a", evil],
                vec![vec![evil.into(), "1".into()]],
            ))
            .warnings(vec![evil.into()]),
    );
    page.sections
        .push(Section::new("Second").figure(fig.svg, "second figure"));
    page.provenance = vec![(evil.into(), evil.into())];
    let html = page.render().expect("page");
    assert!(!html.contains("<script"), "unescaped script");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;")
    );
    // nothing is fetched: no src, no url(), links only to anchors
    assert!(!html.contains("src="));
    assert!(!html.contains("url("));
    assert!(!html.contains("@import"));
    for (i, _) in html.match_indices("href=\"") {
        assert_eq!(&html[i + 6..i + 7], "#", "external link at {i}");
    }
    // the only "http" is the SVG namespace name, which is never fetched
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    // numbering, contents and sections
    assert!(html.contains("<b>Figure 1.</b>") && html.contains("<b>Figure 2.</b>"));
    assert!(html.contains("<b>Table 1.</b>"));
    assert!(html.contains("<nav>") && html.contains("href=\"#s2-second\""));
    assert!(html.contains("<section id=\"s2-second\">"));
    assert!(html.contains("<h2>Provenance</h2>"));
    assert!(html.starts_with("<!DOCTYPE html>"));
}

#[test]
fn html_rejects_ragged_tables() {
    let mut page = HtmlReport::new("t");
    page.sections.push(Section {
        title: "s".into(),
        blocks: vec![Block::Table(Table::new(
            "c",
            &["a", "b"],
            vec![vec!["1".into()]],
        ))],
    });
    let e = page.render().unwrap_err();
    assert_eq!(
        e.to_string(),
        "length mismatch: `table row` has 1 entries but 2 are needed (one cell per column heading)"
    );
}

// ------------------------------------------------------ example figures

#[test]
fn docs_figures_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/figures");
    let figures = common::example_figures();
    for (name, svg) in &figures {
        assert_clean(svg.as_str());
        let path = dir.join(name);
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == svg.as_str(),
            "{} is out of date: run `cargo run -p oncomark-report --example figures`",
            path.display()
        );
    }
    let page = std::fs::read_to_string(dir.join("example-report.html")).unwrap_or_default();
    assert!(
        page == common::example_page(&figures),
        "docs/figures/example-report.html is out of date: run `cargo run -p oncomark-report --example figures`"
    );
}

// ------------------------------------------------------------ properties

mod properties {
    use super::*;
    use oncomark_report::format::format_p;
    use oncomark_report::scale::nice_ticks;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Any small data set gives a clean figure whose at-risk table is
        /// the fit's own n_at_risk at the ticks.
        #[test]
        fn km_figure_is_clean_and_counts_match(
            data in prop::collection::vec((0u32..30, any::<bool>(), 0u32..3), 1..40),
            bands in any::<bool>(),
            scale in prop::sample::select(vec![1.0, 7.0, 30.4375]),
        ) {
            let time: Vec<f64> = data.iter().map(|d| f64::from(d.0)).collect();
            let event: Vec<bool> = data.iter().map(|d| d.1).collect();
            let group: Vec<u32> = data.iter().map(|d| d.2).collect();
            let km = kaplan_meier_groups(&time, &event, &group, &["a", "b", "c"], &KmOptions::default()).expect("KM");
            let opts = KmPlotOptions { conf_bands: bands, median_lines: true, time_scale: scale, ..KmPlotOptions::default() };
            let fig = km_plot(&km.groups, &opts).expect("figure");
            assert_clean(fig.svg.as_str());
            let rows = at_risk_rows(fig.svg.as_str(), fig.ticks.len());
            let t: Vec<f64> = fig.ticks.iter().map(|x| x * scale).collect();
            for (row, fit) in rows.iter().zip(&km.groups) {
                prop_assert_eq!(&row.1, &fit.n_at_risk(&t));
            }
        }

        /// A printed P value reads back within its rounding and on the
        /// same side of 0.05.
        #[test]
        fn printed_p_keeps_its_side_of_005(p in 0.001f64..0.99) {
            let s = format_p(p);
            let back: f64 = s.parse().expect("plain number in this range");
            prop_assert!((back - p).abs() <= 0.05 * p + 1e-12, "{} -> {}", p, s);
            prop_assert_eq!(back < 0.05, p < 0.05, "{} -> {}", p, s);
        }

        /// Ticks cover the range with a bounded count.
        #[test]
        fn ticks_cover(lo in -1e4f64..1e4, span in 1e-3f64..1e5) {
            let t = nice_ticks(lo, lo + span, 6);
            prop_assert!(t.first() <= lo && t.last() >= lo + span);
            prop_assert!(t.values.len() >= 2 && t.values.len() <= 12, "{:?}", t.values);
        }
    }
}
