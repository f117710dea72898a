//! Invariants checked on random inputs (modest case counts: the suite runs
//! in debug on 2 cores).

use oncomark_assay::dose_response::{fit_log_logistic, DoseResponseOptions};
use oncomark_assay::plate::{parse_plate_map, Well, WellRole};
use oncomark_assay::synergy::*;
use oncomark_assay::viability::{viability, ViabilityOptions};
use oncomark_testkit::close;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// A grid written in plater format reads back cell for cell.
    #[test]
    fn plate_map_round_trip(cells in proptest::collection::vec(proptest::option::of(0u32..100_000), 96)) {
        let mut text = String::from("absorbance,1,2,3,4,5,6,7,8,9,10,11,12\n");
        for r in 0..8 {
            text.push((b'A' + r as u8) as char);
            for c in 0..12 {
                text.push(',');
                if let Some(v) = cells[r * 12 + c] {
                    text.push_str(&v.to_string());
                }
            }
            text.push('\n');
        }
        let p = parse_plate_map("p", &text).unwrap();
        let got = p.variable("absorbance").unwrap();
        for (g, w) in got.iter().zip(&cells) {
            prop_assert_eq!(g.clone(), w.map(|v| v.to_string()));
        }
    }

    /// Bliss and HSA do not depend on which drug is called a.
    #[test]
    fn surface_scores_are_symmetric(r in proptest::collection::vec(0.0f64..100.0, 9)) {
        let mut resp = vec![r[0..3].to_vec(), r[3..6].to_vec(), r[6..9].to_vec()];
        resp[0][0] = 0.0;
        let m = DoseMatrix { dose_a: vec![0.0, 1.0, 2.0], dose_b: vec![0.0, 3.0, 4.0], response: resp.clone() };
        let t: Vec<Vec<f64>> = (0..3).map(|j| (0..3).map(|i| resp[i][j]).collect()).collect();
        let mt = DoseMatrix { dose_a: m.dose_b.clone(), dose_b: m.dose_a.clone(), response: t };
        prop_assert!(close(bliss(&m).score, bliss(&mt).score, 1e-12));
        prop_assert!(close(hsa(&m).score, hsa(&mt).score, 1e-12));
    }

    /// Rescaling the dose unit of a drug leaves every CI unchanged.
    #[test]
    fn ci_is_unit_free(k in 1e-3f64..1e3) {
        let mut obs = Vec::new();
        for (d, f) in [(0.002, 0.429), (0.004, 0.708), (0.005, 0.761), (0.01, 0.882), (0.02, 0.932)] {
            obs.push(DoseEffect { dose_a: d, dose_b: 0.0, effect: f });
        }
        for (d, f) in [(0.05, 0.055), (0.1, 0.233), (0.2, 0.301), (0.5, 0.559), (1.0, 0.821), (2.0, 0.953)] {
            obs.push(DoseEffect { dose_a: 0.0, dose_b: d, effect: f });
        }
        for (s, f) in [(1.0, 0.45), (2.0, 0.701), (5.0, 0.910), (10.0, 0.968)] {
            obs.push(DoseEffect { dose_a: 0.001 * s, dose_b: 0.1 * s, effect: f });
        }
        let base = chou_talalay(&obs, &ChouTalalayOptions::default()).unwrap();
        let scaled: Vec<DoseEffect> = obs.iter().map(|o| DoseEffect { dose_a: o.dose_a * k, ..*o }).collect();
        let res = chou_talalay(&scaled, &ChouTalalayOptions::default()).unwrap();
        for (a, b) in base.fa_ci.iter().zip(&res.fa_ci) {
            prop_assert!(close(a.ci, b.ci, 1e-9), "{} vs {}", a.ci, b.ci);
        }
        for (a, b) in base.points.iter().zip(&res.points) {
            prop_assert!(close(a.ci, b.ci, 1e-9));
        }
    }

    /// Viability is unit-free: multiplying every reading of a plate by k
    /// changes nothing; with blank subtraction, adding a constant changes
    /// nothing either.
    #[test]
    fn viability_is_scale_and_offset_free(k in 0.1f64..10.0, shift in -0.05f64..0.5,
                                          t in proptest::collection::vec(0.2f64..1.2, 3)) {
        let make = |f: &dyn Fn(f64) -> f64| -> Vec<Well> {
            let mut w = Vec::new();
            let mut push = |role, tr: &str, v: f64| w.push(Well {
                plate: "p".into(), well: String::new(), experiment: "e".into(), cell_line: "x".into(),
                treatment: tr.into(), dose: None, role, value: Some(f(v)) });
            for v in [0.10, 0.11, 0.12] { push(WellRole::Blank, "blank", v) }
            for v in [1.30, 1.25, 1.35] { push(WellRole::Control, "untreated", v) }
            for &v in &t { push(WellRole::Sample, "Tz", v) }
            w
        };
        let tz = |w: &[Well], blank: bool| {
            viability(w, &ViabilityOptions { blank_subtraction: blank }).unwrap()
                .conditions.iter().find(|c| c.condition.treatment == "Tz").unwrap().mean
        };
        let base = make(&|v| v);
        prop_assert!(close(tz(&base, false), tz(&make(&|v| v * k), false), 1e-12));
        prop_assert!(close(tz(&base, true), tz(&make(&|v| v + shift), true), 1e-9));
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// Scaling the response scales the asymptotes and leaves slope and ED50
    /// alone.
    #[test]
    fn log_logistic_fit_is_equivariant(k in 0.01f64..100.0) {
        let x = [0.0, 0.0, 0.3, 0.3, 1.0, 1.0, 3.0, 3.0, 10.0, 10.0, 30.0, 30.0];
        let y = [100.0, 97.0, 95.0, 91.0, 80.0, 76.0, 52.0, 57.0, 31.0, 36.0, 22.0, 25.0];
        let base = fit_log_logistic(&x, &y, &DoseResponseOptions::default()).unwrap();
        let ys: Vec<f64> = y.iter().map(|v| v * k).collect();
        let fit = fit_log_logistic(&x, &ys, &DoseResponseOptions::default()).unwrap();
        prop_assert!(close(fit.parameters.b, base.parameters.b, 1e-6));
        prop_assert!(close(fit.parameters.e, base.parameters.e, 1e-6));
        prop_assert!(close(fit.parameters.d, k * base.parameters.d, 1e-6));
        prop_assert!(close(fit.se.e.unwrap(), base.se.e.unwrap(), 1e-5));
    }
}
