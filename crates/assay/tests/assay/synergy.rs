//! Chou-Talalay and response-surface synergy.

use oncomark_assay::synergy::*;
use oncomark_testkit::{assert_close, json_fixture, tol};

/// Chou, Motzer, Tong and Bosl (JNCI 86:1517, 1994): paclitaxel (a) and
/// cisplatin (b) alone and at the constant ratio 0.001 : 0.1.
fn chou_1994() -> Vec<DoseEffect> {
    let mut obs = Vec::new();
    for (d, f) in [
        (0.002, 0.429),
        (0.004, 0.708),
        (0.005, 0.761),
        (0.01, 0.882),
        (0.02, 0.932),
    ] {
        obs.push(DoseEffect {
            dose_a: d,
            dose_b: 0.0,
            effect: f,
        });
    }
    for (d, f) in [
        (0.05, 0.055),
        (0.1, 0.233),
        (0.2, 0.301),
        (0.5, 0.559),
        (1.0, 0.821),
        (2.0, 0.953),
    ] {
        obs.push(DoseEffect {
            dose_a: 0.0,
            dose_b: d,
            effect: f,
        });
    }
    for (k, f) in [(1.0, 0.45), (2.0, 0.701), (5.0, 0.910), (10.0, 0.968)] {
        obs.push(DoseEffect {
            dose_a: 0.001 * k,
            dose_b: 0.1 * k,
            effect: f,
        });
    }
    obs
}

#[test]
fn chou_1994_median_effect_fits() {
    // Values quoted in the assay issue; recomputed by
    // tests/fixtures/assay/chou_talalay_reference.py (numpy 2.4.6).
    let res = chou_talalay(&chou_1994(), &ChouTalalayOptions::default()).unwrap();
    let d = tol::printed_digits(10);
    assert_close("paclitaxel m", res.drugs[0].m, 1.247829351, d);
    assert_close("paclitaxel Dm", res.drugs[0].dm, 0.002167772116, d);
    assert_close(
        "paclitaxel r",
        res.drugs[0].r,
        0.99013456,
        tol::printed_digits(8),
    );
    assert_close("cisplatin m", res.drugs[1].m, 1.459899574, d);
    assert_close("cisplatin Dm", res.drugs[1].dm, 0.3201556695, d);
    let mix = res.mixture.as_ref().unwrap();
    assert_eq!(mix.chosen, "only ratio");
    assert_close("mixture ratio", mix.ratio, 0.01, tol::EXACT);
    assert_close("mixture m", mix.m, 1.571596641, d);
    assert_close("mixture Dm", mix.dm, 0.1158611604, d);
    assert_close("mixture r", mix.r, 0.99995165, tol::printed_digits(8));
    assert!(res.excluded.is_empty());
}

#[test]
fn chou_1994_fa_ci_table() {
    // Issue 8 reference: mutually exclusive CI at fa 0.5/0.75/0.9/0.95;
    // cli-contract.md fa = 0.5 row.
    let res = chou_talalay(&chou_1994(), &ChouTalalayOptions::default()).unwrap();
    let want = [0.887486, 0.781047, 0.690139, 0.635908];
    for (row, w) in res.fa_ci.iter().zip(want) {
        assert_close(
            &format!("CI at fa {}", row.fa),
            row.ci,
            w,
            tol::printed_digits(6),
        );
    }
    let r = &res.fa_ci[0];
    assert_close(
        "ci_nonexclusive",
        r.ci_nonexclusive,
        1.077095,
        tol::printed_digits(7),
    );
    assert_close("dri_a", r.dri_a, 1.889719, tol::printed_digits(7));
    assert_close("dri_b", r.dri_b, 2.790903, tol::printed_digits(7));
    assert_eq!(r.grade, "slight synergism");
    assert_eq!(res.fa_ci[3].grade, "synergism");
}

#[test]
fn chou_1994_ci_at_observed_point() {
    // cli-contract.md example point (dose_a 0.001, dose_b 0.1, fa 0.45)
    let res = chou_talalay(&chou_1994(), &ChouTalalayOptions::default()).unwrap();
    let p = &res.points[0];
    assert_close("dose_a", p.dose_a, 0.001, tol::EXACT);
    assert_close("ci", p.ci, 0.9001586, tol::printed_digits(7));
    assert_close("dri_a", p.dri_a, 1.845747, tol::printed_digits(7));
    assert_close("dri_b", p.dri_b, 2.790392, tol::printed_digits(7));
    // normalised isobologram coordinates add up to the CI
    assert_close("iso sum", p.iso_a + p.iso_b, p.ci, tol::EXACT);
    assert_close("iso_a", p.iso_a, 1.0 / p.dri_a, tol::EXACT);
}

#[test]
fn points_with_fa_outside_0_1_are_excluded_and_reported() {
    let mut obs = chou_1994();
    obs.push(DoseEffect {
        dose_a: 0.05,
        dose_b: 0.0,
        effect: 1.0,
    });
    obs.push(DoseEffect {
        dose_a: 0.0,
        dose_b: 0.01,
        effect: 0.0,
    });
    obs.push(DoseEffect {
        dose_a: 0.02,
        dose_b: 2.0,
        effect: 1.0,
    });
    let res = chou_talalay(&obs, &ChouTalalayOptions::default()).unwrap();
    assert_eq!(res.excluded.len(), 3, "{:?}", res.excluded);
    assert!(res
        .excluded
        .iter()
        .all(|e| e.reason.contains("outside (0, 1)")));
    // the fits are those without the extra points
    assert_close("m", res.drugs[0].m, 1.247829351, tol::printed_digits(10));
    assert_close("CI", res.fa_ci[0].ci, 0.887486, tol::printed_digits(6));
}

#[test]
fn scales_convert_to_fa() {
    // viability 55 % is fa 0.45, inhibition 45 % too
    let obs: Vec<DoseEffect> = chou_1994()
        .into_iter()
        .map(|o| DoseEffect {
            effect: 100.0 * (1.0 - o.effect),
            ..o
        })
        .collect();
    let opts = ChouTalalayOptions {
        scale: EffectScale::Viability,
        ..Default::default()
    };
    let res = chou_talalay(&obs, &opts).unwrap();
    assert_close(
        "CI via viability",
        res.points[0].ci,
        0.9001586,
        tol::printed_digits(7),
    );
    assert_eq!(EffectScale::Inhibition.to_fa(45.0), 0.45);
}

#[test]
fn replicates_are_averaged_and_bootstrap_is_seeded() {
    // Each Chou (1994) point observed three times, +-0.02 around the value:
    // the means equal the published effects, so the CIs are unchanged.
    let mut obs = Vec::new();
    for o in chou_1994() {
        for delta in [-0.02, 0.0, 0.02] {
            obs.push(DoseEffect {
                effect: o.effect + delta,
                ..o
            });
        }
    }
    let opts = ChouTalalayOptions {
        bootstrap: Some(BootstrapOptions {
            n_boot: 300,
            seed: 11,
            conf_level: 0.9,
        }),
        ..Default::default()
    };
    let a = chou_talalay(&obs, &opts).unwrap();
    assert_close(
        "CI from means",
        a.fa_ci[0].ci,
        0.887486,
        tol::printed_digits(6),
    );
    assert_eq!(a.points[0].n, 3);
    let (lo, hi) = (a.fa_ci[0].ci_lower.unwrap(), a.fa_ci[0].ci_upper.unwrap());
    assert!(lo < a.fa_ci[0].ci && a.fa_ci[0].ci < hi, "{lo} {hi}");
    for p in &a.points {
        assert!(p.ci_lower.unwrap() <= p.ci_upper.unwrap());
    }
    // same seed, same intervals; another seed, other intervals
    let b = chou_talalay(&obs, &opts).unwrap();
    assert_eq!(a, b);
    let other = ChouTalalayOptions {
        bootstrap: Some(BootstrapOptions {
            seed: 12,
            ..opts.bootstrap.unwrap()
        }),
        ..opts.clone()
    };
    let c = chou_talalay(&obs, &other).unwrap();
    assert_ne!(a.fa_ci[0].ci_lower, c.fa_ci[0].ci_lower);
    assert_eq!(a.bootstrap.as_ref().unwrap().failed, 0);
}

#[test]
fn bootstrap_without_replicates_says_so() {
    let opts = ChouTalalayOptions {
        bootstrap: Some(BootstrapOptions::default()),
        ..Default::default()
    };
    let res = chou_talalay(&chou_1994(), &opts).unwrap();
    assert!(res.bootstrap.is_none());
    assert!(
        res.notes.iter().any(|n| n.contains("need replicates")),
        "{:?}",
        res.notes
    );
}

#[test]
fn non_constant_ratios_give_point_cis_and_the_busiest_ratio_for_the_table() {
    let mut obs = chou_1994();
    // an off-ratio combination (1 : 500): a CI point, not part of the mixture
    obs.push(DoseEffect {
        dose_a: 0.002,
        dose_b: 1.0,
        effect: 0.9,
    });
    let res = chou_talalay(&obs, &ChouTalalayOptions::default()).unwrap();
    assert_eq!(res.points.len(), 5);
    assert_eq!(res.mixture.as_ref().unwrap().chosen, "most points");
    assert_close(
        "table unchanged",
        res.fa_ci[0].ci,
        0.887486,
        tol::printed_digits(6),
    );
    // by hand: CI = 0.002 / Dx_a(0.9) + 1 / Dx_b(0.9)
    let a = MedianEffect {
        m: 1.247829351,
        dm: 0.002167772116,
        r: 1.0,
        n: 5,
    };
    let b = MedianEffect {
        m: 1.459899574,
        dm: 0.3201556695,
        r: 1.0,
        n: 6,
    };
    let want = 0.002 / a.dose_for(0.9) + 1.0 / b.dose_for(0.9);
    let p = res.points.iter().find(|p| p.dose_b == 1.0).unwrap();
    assert_close("off-ratio CI", p.ci, want, tol::printed_digits(9));
    // asking for a ratio that is not there is an error naming it
    let bad = ChouTalalayOptions {
        mixture_ratio: Some(0.5),
        ..Default::default()
    };
    let err = chou_talalay(&obs, &bad).unwrap_err().to_string();
    assert!(
        err.contains("mixture_ratio") && err.contains("0.5"),
        "{err}"
    );
}

#[test]
fn a_drug_without_two_usable_doses_is_an_error() {
    let obs = vec![
        DoseEffect {
            dose_a: 1.0,
            dose_b: 0.0,
            effect: 0.5,
        },
        DoseEffect {
            dose_a: 0.0,
            dose_b: 1.0,
            effect: 0.3,
        },
        DoseEffect {
            dose_a: 0.0,
            dose_b: 2.0,
            effect: 0.6,
        },
    ];
    let err = chou_talalay(&obs, &ChouTalalayOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("drug a alone"), "{err}");
}

fn two_by_two() -> DoseMatrix {
    DoseMatrix {
        dose_a: vec![0.0, 1.0],
        dose_b: vec![0.0, 1.0],
        response: vec![vec![0.0, 40.0], vec![30.0, 70.0]],
    }
}

#[test]
fn bliss_and_hsa_hand_case() {
    // Issue 8: 30 % and 40 % alone, 70 % together -> Bliss reference 58 %,
    // Bliss score 12, HSA score 30.
    let m = two_by_two();
    let b = bliss(&m);
    assert_close("Bliss reference", b.cells[0].reference, 58.0, tol::EXACT);
    assert_close("Bliss score", b.score, 12.0, tol::EXACT);
    assert_close("HSA score", hsa(&m).score, 30.0, tol::EXACT);
}

#[test]
fn dose_matrix_from_long_observations() {
    let obs = vec![
        DoseEffect {
            dose_a: 0.0,
            dose_b: 0.0,
            effect: 100.0,
        },
        DoseEffect {
            dose_a: 1.0,
            dose_b: 0.0,
            effect: 72.0,
        },
        DoseEffect {
            dose_a: 1.0,
            dose_b: 0.0,
            effect: 68.0,
        },
        DoseEffect {
            dose_a: 0.0,
            dose_b: 1.0,
            effect: 60.0,
        },
        DoseEffect {
            dose_a: 1.0,
            dose_b: 1.0,
            effect: 30.0,
        },
    ];
    let m = DoseMatrix::from_observations(&obs, EffectScale::Viability).unwrap();
    assert_eq!(m.response, vec![vec![0.0, 40.0], vec![30.0, 70.0]]);
    let missing = DoseMatrix::from_observations(&obs[..4], EffectScale::Viability)
        .unwrap_err()
        .to_string();
    assert!(missing.contains("dose_a = 1, dose_b = 1"), "{missing}");
}

fn reference_matrix() -> (DoseMatrix, serde_json::Value) {
    let r = json_fixture("assay/synergyfinder_reference.json");
    let v = |k: &str| -> Vec<f64> {
        r[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let response = r["response"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect();
    (
        DoseMatrix {
            dose_a: v("dose_a"),
            dose_b: v("dose_b"),
            response,
        },
        r,
    )
}

fn compare_surface(got: &SurfaceScores, want: &serde_json::Value, rel: f64) {
    assert_close(
        &format!("{} summary score", got.model),
        got.score,
        want["score"].as_f64().unwrap(),
        rel,
    );
    let cells = want["cells"].as_array().unwrap();
    assert_eq!(got.cells.len(), cells.len());
    for (g, w) in got.cells.iter().zip(cells) {
        let what = format!("{} at ({}, {})", got.model, g.dose_a, g.dose_b);
        assert_eq!(g.dose_a, w["dose_a"].as_f64().unwrap());
        assert_eq!(g.dose_b, w["dose_b"].as_f64().unwrap());
        assert_close(
            &format!("{what} reference"),
            g.reference,
            w["reference"].as_f64().unwrap(),
            rel,
        );
        assert_close(
            &format!("{what} observed"),
            g.observed,
            w["observed"].as_f64().unwrap(),
            rel,
        );
    }
}

#[test]
fn surface_models_match_the_synergyfinder_reference() {
    // tests/fixtures/assay/synergyfinder_reference.py (SynergyFinder 1.x
    // definitions re-implemented with scipy 1.17.1)
    let (m, r) = reference_matrix();
    compare_surface(&bliss(&m), &r["bliss"], tol::EXACT);
    compare_surface(&hsa(&m), &r["hsa"], tol::EXACT);
    compare_surface(&loewe(&m).unwrap(), &r["loewe"], tol::CURVE_FIT);
    compare_surface(&zip(&m).unwrap(), &r["zip"], tol::CURVE_FIT);
}

#[test]
fn reference_models_reports_each_model() {
    let (m, _) = reference_matrix();
    let all = reference_models(&m, &SurfaceModel::ALL);
    assert!(all.bliss.is_some() && all.hsa.is_some() && all.loewe.is_some() && all.zip.is_some());
    assert!(all.unavailable.is_empty());
    let json = serde_json::to_value(&all).unwrap();
    assert!(json["zip"]["score"].is_number());
}
