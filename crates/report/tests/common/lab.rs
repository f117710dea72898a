//! Inputs of the laboratory and screening figures, fitted by
//! oncomark-assay (a dev-dependency: the renderer computes no statistic):
//!
//! - drc's `ryegrass` data (root length against ferulic acid, mM) and the
//!   simulated viability series of
//!   `tests/fixtures/assay/dose_response_reference.json`, fitted with LL.4;
//! - Chou, Motzer, Tong and Bosl (JNCI 86:1517, 1994): paclitaxel (a) and
//!   cisplatin (b) alone and at 1 : 100, Chou-Talalay CI;
//! - the 5 x 5 dose matrix of `tests/fixtures/assay/synergyfinder_reference.json`,
//!   Bliss scores;
//! - the marker screen of `tests/fixtures/cutpoint/screen_reference.csv`
//!   (R 4.2.2, survival 3.5-3: per-SD Cox HR, Wald P, BH q).

#![allow(dead_code)]

use oncomark_assay::dose_response::{fit_log_logistic, DoseResponseFit, DoseResponseOptions};
use oncomark_assay::synergy::{
    bliss, chou_talalay, BootstrapOptions, ChouTalalayOptions, ChouTalalayResult, DoseEffect,
    DoseMatrix,
};
use oncomark_report::dose::{sample_log, DoseSeries, DoseSummary, EdMarker};
use oncomark_report::faci::{FaCiPoint, FaCiSeries};
use oncomark_report::heatmap::SynergyMatrix;
use oncomark_report::isobologram::{IsoPoint, IsoSeries};
use oncomark_report::volcano::VolcanoPoint;

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

/// `(dose, response)` of a data set of dose_response_reference.json.
pub fn dose_data(name: &str) -> (Vec<f64>, Vec<f64>) {
    let j = oncomark_testkit::json_fixture("assay/dose_response_reference.json");
    (numbers(&j[name]["dose"]), numbers(&j[name]["response"]))
}

/// LL.4 fit of a data set (ED50 with its 95% delta-method interval).
pub fn ll4(dose: &[f64], response: &[f64]) -> DoseResponseFit {
    fit_log_logistic(dose, response, &DoseResponseOptions::default()).expect("LL.4 fit")
}

/// The ED50 marker of a fit.
pub fn ed50(fit: &DoseResponseFit, name: &str) -> EdMarker {
    let ed = &fit.ed[0];
    let dose = ed.estimate.expect("ED50");
    EdMarker {
        name: name.into(),
        dose,
        response: fit.predict(dose),
        lower: ed.lower,
        upper: ed.upper,
        conf_level: 0.95,
    }
}

/// Ryegrass: every observation, the LL.4 curve and its ED50.
pub fn ryegrass_series() -> (DoseSeries, DoseResponseFit) {
    let (dose, y) = dose_data("ryegrass");
    let fit = ll4(&dose, &y);
    let series = DoseSeries {
        label: String::new(),
        points: dose.iter().copied().zip(y.iter().copied()).collect(),
        summary: Vec::new(),
        curve: sample_log(0.7, 40.0, 120, |x| fit.predict(x)),
        ed: Some(ed50(&fit, "ED50")),
    };
    (series, fit)
}

/// Mean and SD (n - 1) of the responses at each dose, in dose order.
pub fn mean_sd(dose: &[f64], y: &[f64]) -> Vec<DoseSummary> {
    let mut doses = dose.to_vec();
    doses.sort_by(f64::total_cmp);
    doses.dedup();
    doses
        .iter()
        .map(|&d| {
            let v: Vec<f64> = dose
                .iter()
                .zip(y)
                .filter(|(x, _)| **x == d)
                .map(|(_, y)| *y)
                .collect();
            let n = v.len() as f64;
            let m = v.iter().sum::<f64>() / n;
            let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            DoseSummary {
                dose: d,
                mean: m,
                sd: Some(sd),
            }
        })
        .collect()
}

/// The simulated viability series: replicates, mean ± SD, LL.4 and IC50.
pub fn viability_series() -> (DoseSeries, DoseResponseFit) {
    let (dose, y) = dose_data("viability");
    let fit = ll4(&dose, &y);
    let series = DoseSeries {
        label: String::new(),
        points: dose.iter().copied().zip(y.iter().copied()).collect(),
        summary: mean_sd(&dose, &y),
        curve: sample_log(0.007, 45.0, 160, |x| fit.predict(x)),
        ed: Some(ed50(&fit, "EC50")),
    };
    (series, fit)
}

/// Chou et al. (JNCI 1994): paclitaxel (a) and cisplatin (b) alone and at
/// the constant ratio 0.001 : 0.1 (as in oncomark-assay's tests).
pub fn chou_1994() -> Vec<DoseEffect> {
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

/// The Chou-Talalay analysis of [`chou_1994`] at `fa_levels`.
pub fn chou_analysis(fa_levels: Vec<f64>) -> ChouTalalayResult {
    chou_talalay(
        &chou_1994(),
        &ChouTalalayOptions {
            fa_levels,
            ..ChouTalalayOptions::default()
        },
    )
    .expect("Chou-Talalay")
}

/// Normalised isobologram of Chou 1994: the mixture at fa = 0.5, 0.75,
/// 0.9, 0.95, at `d/Dx = 1/DRI` of each drug.
pub fn chou_isobologram() -> Vec<IsoSeries> {
    let res = chou_analysis(vec![0.5, 0.75, 0.9, 0.95]);
    vec![IsoSeries {
        label: String::new(),
        points: res
            .fa_ci
            .iter()
            .map(|r| IsoPoint {
                a: 1.0 / r.dri_a,
                b: 1.0 / r.dri_b,
                label: Some(format!("fa = {:.2}", r.fa)),
            })
            .collect(),
    }]
}

/// Fa-CI plot of Chou 1994: the mixture's CI over fa = 0.05, ..., 0.97
/// (curve), the table levels (points) and the observed combinations.
pub fn chou_fa_ci() -> Vec<FaCiSeries> {
    let curve_levels: Vec<f64> = (5..=97).map(|k| k as f64 / 100.0).collect();
    let curve = chou_analysis(curve_levels);
    let res = chou_analysis(vec![0.5, 0.75, 0.9, 0.95]);
    vec![
        FaCiSeries {
            label: "Mixture (median-effect)".into(),
            points: res
                .fa_ci
                .iter()
                .map(|r| FaCiPoint {
                    fa: r.fa,
                    ci: r.ci,
                    lower: r.ci_lower,
                    upper: r.ci_upper,
                })
                .collect(),
            curve: curve.fa_ci.iter().map(|r| (r.fa, r.ci)).collect(),
        },
        FaCiSeries {
            label: "Observed combinations".into(),
            points: res
                .points
                .iter()
                .map(|p| FaCiPoint {
                    fa: p.fa,
                    ci: p.ci,
                    lower: p.ci_lower,
                    upper: p.ci_upper,
                })
                .collect(),
            curve: Vec::new(),
        },
    ]
}

/// **Illustrative**: each Chou (1994) observation as three replicates at
/// -0.02, 0, +0.02 around the published effect (the means are the
/// published values, as in oncomark-assay's bootstrap test), analysed with
/// 1000 stratified bootstrap resamples (seed 20090301): the mixture's CI at
/// fa = 0.5, 0.75, 0.9, 0.95 and at the observed combinations, with 95%
/// percentile intervals.
pub fn chou_fa_ci_bootstrap() -> Vec<FaCiSeries> {
    let mut obs = Vec::new();
    for o in chou_1994() {
        for delta in [-0.02, 0.0, 0.02] {
            obs.push(DoseEffect {
                effect: o.effect + delta,
                ..o
            });
        }
    }
    let res = chou_talalay(
        &obs,
        &ChouTalalayOptions {
            bootstrap: Some(BootstrapOptions::default()),
            ..ChouTalalayOptions::default()
        },
    )
    .expect("Chou-Talalay with bootstrap");
    vec![
        FaCiSeries {
            label: "Mixture at fixed fa".into(),
            points: res
                .fa_ci
                .iter()
                .map(|r| FaCiPoint {
                    fa: r.fa,
                    ci: r.ci,
                    lower: r.ci_lower,
                    upper: r.ci_upper,
                })
                .collect(),
            curve: Vec::new(),
        },
        FaCiSeries {
            label: "Observed combinations".into(),
            points: res
                .points
                .iter()
                .map(|p| FaCiPoint {
                    fa: p.fa,
                    ci: p.ci,
                    lower: p.ci_lower,
                    upper: p.ci_upper,
                })
                .collect(),
            curve: Vec::new(),
        },
    ]
}

/// The SynergyFinder reference dose matrix (% inhibition).
pub fn synergy_matrix_data() -> DoseMatrix {
    let j = oncomark_testkit::json_fixture("assay/synergyfinder_reference.json");
    DoseMatrix {
        dose_a: numbers(&j["dose_a"]),
        dose_b: numbers(&j["dose_b"]),
        response: j["response"]
            .as_array()
            .expect("rows")
            .iter()
            .map(numbers)
            .collect(),
    }
}

/// Bliss synergy scores of the reference matrix, combination cells only
/// (both doses positive).
pub fn bliss_matrix() -> (SynergyMatrix, f64) {
    let m = synergy_matrix_data();
    let s = bliss(&m);
    let da: Vec<f64> = m.dose_a[1..].to_vec();
    let db: Vec<f64> = m.dose_b[1..].to_vec();
    let values = da
        .iter()
        .map(|&a| {
            db.iter()
                .map(|&b| {
                    s.cells
                        .iter()
                        .find(|c| c.dose_a == a && c.dose_b == b)
                        .map(|c| c.synergy)
                })
                .collect()
        })
        .collect();
    (
        SynergyMatrix {
            dose_a: da,
            dose_b: db,
            values,
        },
        s.score,
    )
}

/// The 50 markers of the screen: log2 of the per-SD hazard ratio, Wald P
/// and BH q, as R computed them.
pub fn screen_points() -> Vec<VolcanoPoint> {
    let (header, rows) = oncomark_testkit::read_fixture_csv("cutpoint/screen_reference.csv");
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let (m, hr, p, q) = (
        col("marker"),
        col("cox_hr_per_sd"),
        col("cox_p"),
        col("cox_q"),
    );
    let num = |s: &Option<String>| -> f64 { s.as_ref().expect("value").parse().expect("number") };
    rows.iter()
        .map(|r| VolcanoPoint {
            label: r[m].clone().expect("marker"),
            effect: num(&r[hr]).log2(),
            p: num(&r[p]),
            q: Some(num(&r[q])),
        })
        .collect()
}
