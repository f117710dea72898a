//! The oncomark side of docs/comparison: the GBSG2 Kaplan-Meier figure by
//! hormone therapy as the study report draws it (`km_plot`, numbers at risk
//! at yearly ticks, log-rank P and Cox HR, median lines), next to
//! survminer's `ggsurvplot` of the same data.
//!
//! The numbers at risk must be those survminer prints
//! (tests/fixtures/comparison/survminer_risk_table.csv, made by
//! survminer_gbsg2.R there with R 4.2.2 Patched, survival 3.5-3, survminer
//! 0.4.9). The committed docs/comparison/oncomark_km_gbsg2.svg must be what
//! this renders (regenerate with `ONCOMARK_BLESS=1`; the PNG beside it is
//! `rsvg-convert -z 2` of that SVG, see docs/comparison/README.md).

mod common;

use oncomark_report::km::km_plot;
use oncomark_testkit::read_fixture_csv;

fn figure() -> oncomark_report::km::KmFigure {
    let d = common::gbsg2::load();
    let km = d.km();
    let mut opts = common::gbsg2_km_options(&d);
    // as the study report draws its curves: no bands, median lines
    opts.conf_bands = false;
    opts.median_lines = true;
    km_plot(&km.groups, &opts).unwrap()
}

#[test]
fn numbers_at_risk_equal_survminers() {
    let fig = figure();
    let (header, rows) = read_fixture_csv("comparison/survminer_risk_table.csv");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (g, t, n) = (col("group"), col("time_days"), col("n_risk"));
    let mut checked = 0;
    for row in &rows {
        let group = row[g].clone().unwrap();
        let days: f64 = row[t].clone().unwrap().parse().unwrap();
        let n_risk: u32 = row[n].clone().unwrap().parse().unwrap();
        let years = days / 365.25;
        let k = fig
            .ticks
            .iter()
            .position(|&x| (x - years).abs() < 1e-9)
            .unwrap_or_else(|| panic!("no tick at {years} years: {:?}", fig.ticks));
        // our labels are No/Yes, survminer prints the levels no/yes
        let r = fig
            .at_risk
            .iter()
            .find(|r| r.group.eq_ignore_ascii_case(&group))
            .unwrap();
        assert_eq!(r.counts[k], n_risk, "{group} at {years} years");
        checked += 1;
    }
    // both groups at 0, 1, ..., 7 years
    assert_eq!(checked, 16);
}

#[test]
fn the_committed_comparison_figure_is_current() {
    let svg = figure().svg;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/comparison/oncomark_km_gbsg2.svg");
    if std::env::var_os("ONCOMARK_BLESS").is_some() {
        std::fs::write(&path, svg.as_str()).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == svg.as_str(),
        "{} is not what km_plot draws now; rerun with ONCOMARK_BLESS=1 and redo the PNG",
        path.display()
    );
}
