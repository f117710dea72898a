//! Shared by the integration tests and the `figures` example.

#![allow(dead_code)]

pub mod gbsg2;
pub mod lab;
pub mod svgcheck;

use oncomark_report::bars::{bar_chart, BarGroup, BarOptions, Bracket, ErrorKind};
use oncomark_report::dose::{dose_response_plot, DoseOptions};
use oncomark_report::faci::{fa_ci_plot, FaCiOptions};
use oncomark_report::forest::{forest_plot, ForestOptions, ForestRow};
use oncomark_report::heatmap::{synergy_heatmap, HeatmapOptions};
use oncomark_report::html::{HtmlReport, Section, Table};
use oncomark_report::isobologram::{isobologram, IsobologramOptions};
use oncomark_report::km::{km_plot, HazardRatioText, KmAnnotation, KmPlotOptions};
use oncomark_report::volcano::{volcano_plot, VolcanoOptions};
use oncomark_report::waterfall::{waterfall_plot, Response, WaterfallBar, WaterfallOptions};
use oncomark_report::{Style, Svg};
use oncomark_survival::cox::CoxFit;

/// The GBSG2 Kaplan-Meier options by hormone therapy, in years, with the
/// log-rank P and the Cox hazard ratio fitted by oncomark-survival.
pub fn gbsg2_km_options(d: &gbsg2::Gbsg2) -> KmPlotOptions {
    let lr = d.logrank();
    let cox = d.cox_hormone();
    let t = &cox.terms[0];
    KmPlotOptions {
        x_label: "Time since surgery (years)".into(),
        y_label: "Recurrence-free survival".into(),
        legend_title: Some("Hormone therapy".into()),
        legend_n: true,
        time_scale: 365.25,
        x_step: Some(1.0),
        conf_bands: true,
        median_lines: true,
        annotation: KmAnnotation {
            logrank_p: Some(lr.p),
            hr: Some(HazardRatioText {
                hr: t.hr.expect("hr"),
                lower: t.hr_lower,
                upper: t.hr_upper,
                conf_level: cox.conf_level,
                label: Some("yes vs no".into()),
            }),
            lines: Vec::new(),
        },
        ..KmPlotOptions::default()
    }
}

/// Forest rows of the full GBSG2 Cox model, grouped by variable with
/// reference levels.
pub fn gbsg2_forest_rows(fit: &CoxFit) -> Vec<ForestRow> {
    let term = |name: &str, label: &str, indent: u8| {
        let t = fit.terms.iter().find(|t| t.term == name).expect("term");
        ForestRow {
            label: label.into(),
            indent,
            ..ForestRow::from_cox_term(t)
        }
    };
    vec![
        ForestRow::header("Hormone therapy"),
        ForestRow::reference("No"),
        term("horThyes", "Yes", 1),
        term("age", "Age (per year)", 0),
        ForestRow::header("Menopausal status"),
        ForestRow::reference("Post"),
        term("menostatPre", "Pre", 1),
        term("tsize", "Tumour size (per mm)", 0),
        ForestRow::header("Tumour grade"),
        ForestRow::reference("I"),
        term("tgradeII", "II", 1),
        term("tgradeIII", "III", 1),
        term("pnodes", "Positive nodes (per node)", 0),
        term("progrec", "PgR (per fmol/mg)", 0),
        term("estrec", "ER (per fmol/mg)", 0),
    ]
}

/// The illustrative waterfall cohort (tests/fixtures/report/waterfall.csv).
pub fn waterfall_bars() -> Vec<WaterfallBar> {
    let (header, rows) = oncomark_testkit::read_fixture_csv("report/waterfall.csv");
    assert_eq!(header, ["id", "best_change_pct", "response"]);
    rows.iter()
        .map(|r| WaterfallBar {
            id: r[0].clone().expect("id"),
            change: r[1].as_ref().map(|s| s.parse().expect("number")),
            response: match r[2].as_deref() {
                Some("CR") => Response::CR,
                Some("PR") => Response::PR,
                Some("SD") => Response::SD,
                Some("PD") => Response::PD,
                _ => Response::NE,
            },
        })
        .collect()
}

/// The illustrative viability experiment and its Welch tests
/// (tests/fixtures/report/viability*.csv).
pub fn viability() -> (Vec<BarGroup>, Vec<Bracket>) {
    let (_, rows) = oncomark_testkit::read_fixture_csv("report/viability.csv");
    let num = |s: &Option<String>| -> f64 { s.as_ref().expect("value").parse().expect("number") };
    let groups: Vec<BarGroup> = rows
        .iter()
        .map(|r| BarGroup {
            label: r[0].clone().expect("condition"),
            points: r[1..5].iter().map(num).collect(),
            mean: num(&r[5]),
            error: Some(num(&r[6])),
        })
        .collect();
    let (_, tests) = oncomark_testkit::read_fixture_csv("report/viability_tests.csv");
    let index = |s: &Option<String>| {
        groups
            .iter()
            .position(|g| Some(&g.label) == s.as_ref())
            .expect("condition")
    };
    let brackets = tests
        .iter()
        .map(|t| Bracket {
            left: index(&t[0]),
            right: index(&t[1]),
            p: num(&t[2]),
        })
        .collect();
    (groups, brackets)
}

/// Every example figure with its file name under docs/figures/.
pub fn example_figures() -> Vec<(&'static str, Svg)> {
    let d = gbsg2::load();
    let km = d.km();
    let opts = gbsg2_km_options(&d);
    let km_fig = km_plot(&km.groups, &opts).expect("KM figure");
    let column = KmPlotOptions {
        style: Style::column(),
        conf_bands: false,
        median_lines: false,
        legend_n: false,
        ..opts
    };
    let km_col = km_plot(&km.groups, &column).expect("KM figure, column width");
    let full = d.cox_full();
    let forest = forest_plot(
        &gbsg2_forest_rows(&full),
        &ForestOptions {
            label_header: "Variable".into(),
            ..ForestOptions::default()
        },
    )
    .expect("forest plot");
    let wf = waterfall_plot(&waterfall_bars(), &WaterfallOptions::default()).expect("waterfall");
    let (groups, brackets) = viability();
    let bars = bar_chart(
        &groups,
        &BarOptions {
            brackets,
            reference_line: Some(100.0),
            error_kind: ErrorKind::Sd,
            ..BarOptions::default()
        },
    )
    .expect("bar chart");
    let mut all = vec![
        ("km-gbsg2-hormone.svg", km_fig.svg),
        ("km-gbsg2-hormone-column.svg", km_col.svg),
        ("forest-gbsg2-cox.svg", forest.svg),
        ("waterfall-illustrative.svg", wf.svg),
        ("bars-viability-illustrative.svg", bars),
    ];
    all.extend(lab_figures());
    all
}

/// Options of the ryegrass dose-response figure.
pub fn ryegrass_options() -> DoseOptions {
    DoseOptions {
        x_label: "Ferulic acid (mM)".into(),
        y_label: "Root length (cm)".into(),
        ..DoseOptions::default()
    }
}

/// The laboratory and screening figures (inputs from [`lab`]).
pub fn lab_figures() -> Vec<(&'static str, Svg)> {
    let (rye, _) = lab::ryegrass_series();
    let dose_rye = dose_response_plot(&[rye], &ryegrass_options()).expect("dose-response");
    let (via, _) = lab::viability_series();
    let dose_via = dose_response_plot(
        &[via],
        &DoseOptions {
            x_label: "Drug concentration (µM)".into(),
            y_label: "Viability (% of control)".into(),
            zero_label: "Ctrl".into(),
            ..DoseOptions::default()
        },
    )
    .expect("dose-response, viability");
    let iso = isobologram(
        &lab::chou_isobologram(),
        &IsobologramOptions {
            x_label: "Paclitaxel, normalised dose (d/Dx)".into(),
            y_label: "Cisplatin, normalised dose (d/Dx)".into(),
            ..IsobologramOptions::default()
        },
    )
    .expect("isobologram");
    let faci = fa_ci_plot(&lab::chou_fa_ci(), &FaCiOptions::default()).expect("Fa-CI plot");
    let faci_boot = fa_ci_plot(&lab::chou_fa_ci_bootstrap(), &FaCiOptions::default())
        .expect("Fa-CI, bootstrap");
    let (bliss, _) = lab::bliss_matrix();
    let heat = synergy_heatmap(
        &bliss,
        &HeatmapOptions {
            x_label: "Drug B (µM)".into(),
            y_label: "Drug A (µM)".into(),
            legend_title: "Bliss score".into(),
            ..HeatmapOptions::default()
        },
    )
    .expect("heat map");
    let volcano = volcano_plot(
        &lab::screen_points(),
        &VolcanoOptions {
            x_label: "log\u{2082} hazard ratio per SD".into(),
            ..VolcanoOptions::default()
        },
    )
    .expect("volcano plot");
    vec![
        ("dose-ryegrass.svg", dose_rye.svg),
        ("dose-viability-illustrative.svg", dose_via.svg),
        ("isobologram-chou1994.svg", iso.svg),
        ("faci-chou1994.svg", faci.svg),
        ("faci-bootstrap-illustrative.svg", faci_boot.svg),
        ("heatmap-bliss-reference.svg", heat.svg),
        ("volcano-screen.svg", volcano.svg),
    ]
}

/// An example page holding the example figures.
pub fn example_page(figures: &[(&'static str, Svg)]) -> String {
    let get = |name: &str| {
        figures
            .iter()
            .find(|f| f.0 == name)
            .expect("figure")
            .1
            .clone()
    };
    let mut page = HtmlReport::new("oncomark report: example page");
    page.subtitle =
        Some("GBSG2 (TH.data) and illustrative data; rendered by oncomark-report".into());
    page.warnings = vec![
        "The waterfall, viability and bootstrap Fa-CI data are illustrative, not study data."
            .into(),
    ];
    page.sections.push(
        Section::new("Recurrence-free survival")
            .paragraph("Kaplan-Meier estimates by hormone therapy with 95% log-log pointwise confidence bands.")
            .figure(get("km-gbsg2-hormone.svg"), "Recurrence-free survival by hormone therapy (GBSG2, n = 686). Crosses mark censored observations; dashed lines the medians.")
            .table(Table::new(
                "Patients by hormone therapy",
                &["Hormone therapy", "Patients", "Events"],
                vec![
                    vec!["No".into(), "440".into(), "205".into()],
                    vec!["Yes".into(), "246".into(), "94".into()],
                ],
            )),
    );
    page.sections
        .push(Section::new("Multivariable Cox model").figure(
            get("forest-gbsg2-cox.svg"),
            "Hazard ratios of the full Cox model (Efron ties) with 95% Wald confidence intervals.",
        ));
    page.sections.push(
        Section::new("Response and laboratory data")
            .figure(
                get("waterfall-illustrative.svg"),
                "Best change from baseline in target lesions (illustrative).",
            )
            .figure(
                get("bars-viability-illustrative.svg"),
                "Viability relative to untreated control (illustrative); Welch t-tests.",
            ),
    );
    page.sections.push(
        Section::new("Dose-response and drug combinations")
            .figure(
                get("dose-ryegrass.svg"),
                "Root length of ryegrass against ferulic acid (drc ryegrass data) with the LL.4 fit and its ED50 (95% delta-method CI).",
            )
            .figure(
                get("dose-viability-illustrative.svg"),
                "Viability (mean ± SD of triplicates, replicates behind) with the LL.4 fit and EC50 (illustrative data).",
            )
            .figure(
                get("isobologram-chou1994.svg"),
                "Normalised isobologram of paclitaxel + cisplatin at 1 : 100 (Chou et al., JNCI 1994): points below the line are synergistic.",
            )
            .figure(
                get("faci-chou1994.svg"),
                "Combination index against fraction affected for the same combination.",
            )
            .figure(
                get("faci-bootstrap-illustrative.svg"),
                "Combination index with 95% bootstrap intervals (illustrative triplicates around the published effects).",
            )
            .figure(
                get("heatmap-bliss-reference.svg"),
                "Bliss synergy scores over the dose matrix of the SynergyFinder reference case.",
            ),
    );
    page.sections.push(Section::new("Marker screen").figure(
        get("volcano-screen.svg"),
        "Per-SD Cox hazard ratios of 50 candidate markers (R survival 3.5-3); coloured where the Benjamini-Hochberg q < 0.05.",
    ));
    page.provenance = vec![
        (
            "gbsg2.csv".into(),
            "tests/fixtures/r-survival/gbsg2.csv".into(),
        ),
        (
            "dose-response".into(),
            "tests/fixtures/assay/dose_response_reference.json".into(),
        ),
        (
            "Bliss matrix".into(),
            "tests/fixtures/assay/synergyfinder_reference.json".into(),
        ),
        (
            "marker screen".into(),
            "tests/fixtures/cutpoint/screen_reference.csv".into(),
        ),
        ("renderer".into(), "oncomark-report".into()),
    ];
    page.render().expect("page")
}
