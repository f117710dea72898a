//! Densitometry: ratios, fold changes per blot, summaries across blots.

use oncomark_assay::blot::*;
use oncomark_assay::AssayError;
use oncomark_testkit::{assert_close, tol};

fn band(blot: &str, lane: &str, line: &str, t: &str, target: f64, loading: f64) -> Band {
    Band {
        blot: blot.into(),
        lane: lane.into(),
        cell_line: line.into(),
        treatment: t.into(),
        target,
        loading,
    }
}

#[test]
fn fold_changes_per_blot_then_across_blots() {
    // blot 1: two control lanes (ratios 0.5 and 0.7 -> 0.6), Tz 0.3 -> 0.5
    // blot 2: control 0.8, Tz 0.2 -> 0.25
    let bands = [
        band("b1", "1", "JIMT-1", "IgG", 500.0, 1000.0),
        band("b1", "2", "JIMT-1", "IgG", 700.0, 1000.0),
        band("b1", "3", "JIMT-1", "Tz", 600.0, 2000.0),
        band("b2", "1", "JIMT-1", "IgG", 800.0, 1000.0),
        band("b2", "2", "JIMT-1", "Tz", 100.0, 500.0),
    ];
    let r = densitometry(
        &bands,
        &BlotOptions {
            control_treatment: "igg".into(),
        },
    )
    .unwrap();
    assert_close("lane ratio", r.lanes[2].ratio, 0.3, tol::EXACT);
    assert_close("fold b1", r.lanes[2].fold_change, 0.5, tol::EXACT);
    assert_close("fold b2", r.lanes[4].fold_change, 0.25, tol::EXACT);
    // the two control lanes of b1 are averaged to one value (fold 1)
    let ctrl = r
        .conditions
        .iter()
        .find(|c| c.summary.condition.treatment == "IgG")
        .unwrap();
    assert_eq!(ctrl.summary.values, vec![1.0, 1.0]);
    let tz = r
        .conditions
        .iter()
        .find(|c| c.summary.condition.treatment == "Tz")
        .unwrap();
    assert_eq!(tz.summary.n_experiments, 2);
    assert_close("mean fold", tz.summary.mean, 0.375, tol::EXACT);
    assert_close("mean log2", tz.mean_log2, -1.5, tol::EXACT);
    assert_close(
        "geometric mean",
        tz.geometric_mean,
        2f64.powf(-1.5),
        tol::EXACT,
    );
}

#[test]
fn control_is_per_cell_line_on_each_blot() {
    let bands = [
        band("b1", "1", "SKBR3", "control", 100.0, 100.0),
        band("b1", "2", "SKBR3", "Tz", 50.0, 100.0),
        band("b1", "3", "JIMT-1", "control", 400.0, 100.0),
        band("b1", "4", "JIMT-1", "Tz", 400.0, 100.0),
    ];
    let r = densitometry(&bands, &BlotOptions::default()).unwrap();
    assert_close("SKBR3", r.lanes[1].fold_change, 0.5, tol::EXACT);
    assert_close("JIMT-1", r.lanes[3].fold_change, 1.0, tol::EXACT);
}

#[test]
fn blot_errors() {
    let e = densitometry(
        &[band("b7", "1", "SKBR3", "Tz", 1.0, 1.0)],
        &BlotOptions::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("blot `b7 (SKBR3)`: no control lane (`control`)"),
        "{e}"
    );
    let e = densitometry(
        &[band("b1", "4", "", "control", 1.0, 0.0)],
        &BlotOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, AssayError::NonPositiveIntensity { .. }), "{e}");
    assert!(e.to_string().contains("blot `b1`, lane 4"), "{e}");
}
