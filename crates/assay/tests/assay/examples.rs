//! The example files of examples/assay/ go through every analysis (they are
//! simulated by examples/assay/generate_examples.py; these tests check that
//! they parse and that the analyses recover the simulated pattern).

use std::path::PathBuf;

use oncomark_assay::blot::{densitometry, Band, BlotOptions};
use oncomark_assay::clonogenic::{surviving_fractions, ClonogenicOptions, ColonyCount};
use oncomark_assay::plate::{parse_plate_map, LayoutSpec};
use oncomark_assay::synergy::*;
use oncomark_assay::viability::{viability, ViabilityOptions};

fn example(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/assay")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn table(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = example(name);
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn xtt_plates() {
    let mut wells = Vec::new();
    for k in 1..=3 {
        let name = format!("xtt_exp{k}.csv");
        let plate = parse_plate_map(&name, &example(&name)).unwrap();
        assert_eq!(plate.format.wells(), 96);
        wells.extend(plate.wells(&LayoutSpec::default()).unwrap());
    }
    assert_eq!(wells.len(), 3 * 60);
    for blank in [false, true] {
        let r = viability(
            &wells,
            &ViabilityOptions {
                blank_subtraction: blank,
            },
        )
        .unwrap();
        assert_eq!(r.plates.len(), 9); // 3 plates x 3 cell lines
        assert!(r
            .plates
            .iter()
            .all(|p| p.z_prime.as_ref().unwrap().z_prime > 0.5));
        assert_eq!(r.conditions.len(), 18);
        assert!(r.conditions.iter().all(|c| c.n_experiments == 3));
        let mean = |line: &str, t: &str| {
            r.conditions
                .iter()
                .find(|c| c.condition.cell_line == line && c.condition.treatment == t)
                .unwrap()
                .mean
        };
        // Fig. 4D pattern: the combination beats either antibody in JIMT-1
        assert!(mean("JIMT-1", "Tz 10 + AIIB2 10") < mean("JIMT-1", "Tz 10") - 15.0);
        assert!(mean("JIMT-1", "Tz 10 + AIIB2 10") < mean("JIMT-1", "AIIB2 10") - 15.0);
        // trastuzumab works in the sensitive lines
        assert!(mean("SKBR3", "Tz 10") < 75.0 && mean("BT474", "Tz 10") < 75.0);
        assert!(mean("JIMT-1", "Tz 10") > 80.0);
    }
}

#[test]
fn clonogenic_table() {
    let (h, rows) = table("clonogenic.csv");
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let counts: Vec<ColonyCount> = rows
        .iter()
        .map(|r| ColonyCount {
            experiment: r[col("experiment")].clone(),
            cell_line: r[col("cell_line")].clone(),
            treatment: r[col("treatment")].clone(),
            dose: None,
            cells_plated: r[col("cells_plated")].parse().unwrap(),
            colonies: r[col("colonies")].parse().unwrap(),
        })
        .collect();
    let r = surviving_fractions(
        &counts,
        &ClonogenicOptions {
            control_treatment: "IgG".into(),
        },
    )
    .unwrap();
    assert_eq!(r.plating_efficiency.len(), 9);
    let sf = |line: &str, t: &str| {
        r.conditions
            .iter()
            .find(|c| c.condition.cell_line == line && c.condition.treatment == t)
            .unwrap()
            .mean
    };
    assert!(sf("JIMT-1", "Tz + AIIB2") < 0.6 && sf("JIMT-1", "Tz") > 0.7);
}

#[test]
fn blot_table() {
    let (h, rows) = table("blot_densitometry.csv");
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let bands: Vec<Band> = rows
        .iter()
        .filter(|r| r[col("target")] == "pAkt-S473")
        .map(|r| Band {
            blot: r[col("blot")].clone(),
            lane: r[col("lane")].clone(),
            cell_line: r[col("cell_line")].clone(),
            treatment: r[col("treatment")].clone(),
            target: r[col("target_intensity")].parse().unwrap(),
            loading: r[col("loading_intensity")].parse().unwrap(),
        })
        .collect();
    let r = densitometry(
        &bands,
        &BlotOptions {
            control_treatment: "IgG".into(),
        },
    )
    .unwrap();
    assert_eq!(r.blots.len(), 12);
    let combo = r
        .conditions
        .iter()
        .find(|c| c.summary.condition.treatment == "Tz + AIIB2")
        .unwrap();
    assert_eq!(combo.summary.n_experiments, 3);
    assert!(combo.geometric_mean < 0.6, "{}", combo.geometric_mean);
}

#[test]
fn synergy_checkerboard() {
    let (h, rows) = table("synergy_checkerboard.csv");
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let obs: Vec<DoseEffect> = rows
        .iter()
        .map(|r| DoseEffect {
            dose_a: r[col("trastuzumab")].parse().unwrap(),
            dose_b: r[col("aiib2")].parse().unwrap(),
            effect: r[col("viability")].parse().unwrap(),
        })
        .collect();
    let opts = ChouTalalayOptions {
        scale: EffectScale::Viability,
        bootstrap: Some(BootstrapOptions {
            n_boot: 200,
            ..Default::default()
        }),
        ..Default::default()
    };
    let ct = chou_talalay(&obs, &opts).unwrap();
    // the 1:1 diagonal has the most combinations
    let mix = ct.mixture.as_ref().unwrap();
    assert_eq!(mix.ratio, 1.0);
    assert_eq!(ct.points.len(), 12);
    // simulated with a synergy term: CI < 1 at most combinations (the
    // single-drug curves level off below fa = 1, which the median-effect
    // line cannot follow, so the highest trastuzumab dose looks additive
    // or antagonistic: a known limit of Chou-Talalay with partial agonists)
    let synergistic = ct.points.iter().filter(|p| p.ci < 1.0).count();
    assert!(synergistic >= 9, "{:?}", ct.points);
    let p = ct
        .points
        .iter()
        .find(|p| p.dose_a == 10.0 && p.dose_b == 10.0)
        .unwrap();
    assert!(p.ci < 0.7 && p.ci_upper.unwrap() < 1.0, "{p:?}");
    assert!(ct.points.iter().all(|p| p.ci_lower.is_some()));
    let m = DoseMatrix::from_observations(&obs, EffectScale::Viability).unwrap();
    assert_eq!((m.dose_a.len(), m.dose_b.len()), (5, 4));
    let all = reference_models(&m, &SurfaceModel::ALL);
    assert!(all.unavailable.is_empty(), "{:?}", all.unavailable);
    assert!(all.bliss.unwrap().score > 5.0);
    assert!(all.zip.unwrap().score > 0.0);
}
