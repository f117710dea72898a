//! Log-logistic fits: drc's ryegrass output, scipy cross-checks of every
//! variant, and the refusals.

use oncomark_assay::dose_response::*;
use oncomark_assay::AssayError;
use oncomark_testkit::{assert_close, json_fixture, tol};

fn column(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn ryegrass() -> (Vec<f64>, Vec<f64>) {
    let r = json_fixture("assay/dose_response_reference.json");
    (
        column(&r["ryegrass"]["dose"]),
        column(&r["ryegrass"]["response"]),
    )
}

#[test]
fn ryegrass_matches_drc() {
    // R drc 3.0-1: summary(drm(rootl ~ conc, data = ryegrass, fct = LL.4()))
    // and ED(m, c(50, 90), interval = "delta"), as quoted in the assay issue
    // and docs/cli-contract.md.
    let (x, y) = ryegrass();
    let opts = DoseResponseOptions {
        ed_levels: vec![50.0, 90.0],
        ..Default::default()
    };
    let fit = fit_log_logistic(&x, &y, &opts).unwrap();
    let d = tol::printed_digits(6);
    assert_eq!(fit.model, "LL.4");
    assert_eq!((fit.n, fit.df), (24, 20));
    let p = fit.parameters;
    assert_close("b", p.b, 2.98222, d);
    assert_close("c", p.c, 0.48141, tol::printed_digits(5));
    assert_close("d", p.d, 7.79296, d);
    assert_close("e", p.e, 3.05795, d);
    assert_close("se b", fit.se.b.unwrap(), 0.46506, tol::printed_digits(5));
    assert_close("se c", fit.se.c.unwrap(), 0.21219, tol::printed_digits(5));
    assert_close("se d", fit.se.d.unwrap(), 0.18857, tol::printed_digits(5));
    assert_close("se e", fit.se.e.unwrap(), 0.18573, tol::printed_digits(5));
    assert_close(
        "residual se",
        fit.residual_se,
        0.5196256,
        tol::printed_digits(7),
    );
    let ed50 = &fit.ed[0];
    assert_close("ED50", ed50.estimate.unwrap(), 3.05795, d);
    assert_close("ED50 lower", ed50.lower.unwrap(), 2.67053, d);
    assert_close("ED50 upper", ed50.upper.unwrap(), 3.44538, d);
    let ed90 = &fit.ed[1];
    assert_close("ED90", ed90.estimate.unwrap(), 6.38864, d);
    assert_close("ED90 lower", ed90.lower.unwrap(), 4.62580, d);
    assert_close("ED90 upper", ed90.upper.unwrap(), 8.15148, d);
    assert!(!ed90.extrapolated);
    assert!(fit.no_effect.p < 1e-10);
    // contract JSON field names
    let json = serde_json::to_value(&fit).unwrap();
    for key in ["model", "n", "parameters", "se", "residual_se", "df", "ed"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert!(json["ed"][0].get("lower").is_some());
}

#[test]
fn every_variant_matches_scipy() {
    // tests/fixtures/assay/dose_response_reference.py (scipy 1.17.1,
    // full-Hessian SEs and delta-method ED intervals as drc computes them)
    let r = json_fixture("assay/dose_response_reference.json");
    for case in r["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let data = if name.starts_with("ryegrass") {
            &r["ryegrass"]
        } else {
            &r["viability"]
        };
        let x = column(&data["dose"]);
        let mut y = column(&data["response"]);
        if name.starts_with("inhibition") {
            y.iter_mut().for_each(|v| *v = 100.0 - *v);
        }
        let model = LogLogisticModel {
            bottom: case["bottom"].as_f64(),
            top: case["top"].as_f64(),
        };
        let fit = fit_log_logistic(
            &x,
            &y,
            &DoseResponseOptions {
                model,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = &case["parameters"];
        let p = fit.parameters;
        for (k, got) in [("b", p.b), ("c", p.c), ("d", p.d), ("e", p.e)] {
            assert_close(
                &format!("{name} {k}"),
                got,
                want[k].as_f64().unwrap(),
                tol::CURVE_FIT,
            );
        }
        let se = fit.se;
        for (k, got) in [("b", se.b), ("c", se.c), ("d", se.d), ("e", se.e)] {
            match case["se"][k].as_f64() {
                Some(w) => assert_close(&format!("{name} se {k}"), got.unwrap(), w, tol::CURVE_FIT),
                None => assert!(got.is_none(), "{name}: {k} is fixed"),
            }
        }
        assert_close(
            &format!("{name} rse"),
            fit.residual_se,
            case["residual_se"].as_f64().unwrap(),
            tol::CURVE_FIT,
        );
        assert_eq!(fit.df as u64, case["df"].as_u64().unwrap());
        for e in case["ed"].as_array().unwrap() {
            let level = e["level"].as_f64().unwrap();
            let kind = if e["type"] == "relative" {
                EdType::Relative
            } else {
                EdType::Absolute
            };
            let got = &fit.ed(&[level], kind, 0.95).unwrap()[0];
            let what = format!("{name} ED {level} {:?}", kind);
            assert_close(
                &what,
                got.estimate.unwrap(),
                e["estimate"].as_f64().unwrap(),
                tol::CURVE_FIT,
            );
            assert_close(
                &format!("{what} se"),
                got.se.unwrap(),
                e["se"].as_f64().unwrap(),
                1e-5,
            );
            assert_close(
                &format!("{what} lower"),
                got.lower.unwrap(),
                e["lower"].as_f64().unwrap(),
                1e-5,
            );
            assert_close(
                &format!("{what} upper"),
                got.upper.unwrap(),
                e["upper"].as_f64().unwrap(),
                1e-5,
            );
        }
    }
}

#[test]
fn rising_curve_keeps_c_below_d_and_measures_ed_from_control() {
    // 100 - viability: the same curve mirrored; drc reports b < 0, c < d,
    // and ED10 relative is 10 % of the way up from the dose-0 level.
    let r = json_fixture("assay/dose_response_reference.json");
    let x = column(&r["viability"]["dose"]);
    let y: Vec<f64> = column(&r["viability"]["response"])
        .iter()
        .map(|v| 100.0 - v)
        .collect();
    let fit = fit_log_logistic(&x, &y, &DoseResponseOptions::default()).unwrap();
    let p = fit.parameters;
    assert!(p.b < 0.0 && p.c < p.d, "{p:?}");
    let ed = fit.ed(&[10.0], EdType::Relative, 0.95).unwrap();
    let at = fit.predict(ed[0].estimate.unwrap());
    assert_close(
        "10 % of the effect",
        (at - p.c) / (p.d - p.c),
        0.10,
        tol::EXACT,
    );
}

#[test]
fn prediction_at_zero_dose_is_the_control_asymptote() {
    let (x, y) = ryegrass();
    let fit = fit_log_logistic(&x, &y, &DoseResponseOptions::default()).unwrap();
    assert_eq!(fit.predict(0.0), fit.parameters.d);
    assert_close(
        "f(e) is the midpoint",
        fit.predict(fit.parameters.e),
        (fit.parameters.c + fit.parameters.d) / 2.0,
        tol::EXACT,
    );
}

#[test]
fn absolute_level_not_reached_gives_a_note_not_a_number() {
    // the JIMT-1 situation: viability never falls to 50 % when the bottom
    // is near 60 %
    let x = [0.0, 0.0, 0.1, 0.1, 1.0, 1.0, 10.0, 10.0, 100.0, 100.0];
    let y = [100.0, 98.0, 95.0, 97.0, 80.0, 78.0, 64.0, 66.0, 61.0, 60.0];
    let fit = fit_log_logistic(&x, &y, &DoseResponseOptions::default()).unwrap();
    let ed = fit.ed(&[50.0], EdType::Absolute, 0.95).unwrap();
    assert!(ed[0].estimate.is_none());
    assert!(
        ed[0].note.as_deref().unwrap().contains("not reached"),
        "{:?}",
        ed[0].note
    );
    // a relative ED90 beyond the top dose is flagged as an extrapolation
    let ed = fit.ed(&[99.0], EdType::Relative, 0.95).unwrap();
    assert!(ed[0].extrapolated, "{:?}", ed[0]);
}

#[test]
fn unfit_curves_are_errors() {
    let opts = DoseResponseOptions::default();
    // flat
    let x = [0.0, 1.0, 2.0, 4.0, 8.0, 16.0];
    let err = fit_log_logistic(&x, &[5.0; 6], &opts).unwrap_err();
    assert!(matches!(err, AssayError::FlatResponse { .. }), "{err}");
    // pure noise around a constant: no dose effect
    let x = [
        0.0, 0.0, 1.0, 1.0, 3.0, 3.0, 10.0, 10.0, 30.0, 30.0, 100.0, 100.0,
    ];
    let y = [
        99.0, 103.0, 101.0, 97.0, 104.0, 98.0, 100.0, 102.0, 97.0, 103.0, 101.0, 99.0,
    ];
    let err = fit_log_logistic(&x, &y, &opts).unwrap_err();
    assert!(matches!(err, AssayError::NoDoseEffect { .. }), "{err}");
    assert!(err.to_string().contains("no ED/IC value"), "{err}");
    // asked to fit anyway, the optimiser wanders along the flat ridge
    let anyway = DoseResponseOptions {
        no_effect_alpha: None,
        ..Default::default()
    };
    let err = fit_log_logistic(&x, &y, &anyway).unwrap_err();
    assert!(
        matches!(
            err,
            AssayError::NotConverged { .. } | AssayError::NotIdentifiable { .. }
        ),
        "{err}"
    );
    // no dose range: a single positive dose
    let err = fit_log_logistic(
        &[0.0, 0.0, 5.0, 5.0, 5.0],
        &[10.0, 11.0, 3.0, 2.0, 4.0],
        &opts,
    )
    .unwrap_err();
    assert!(
        matches!(err, AssayError::NoDoseRange { positive: 1, .. }),
        "{err}"
    );
    // three doses cannot carry four parameters
    let err = fit_log_logistic(
        &[0.0, 1.0, 10.0, 0.0, 1.0, 10.0],
        &[10.0, 6.0, 1.0, 9.0, 5.0, 2.0],
        &opts,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            AssayError::NoDoseRange {
                distinct: 3,
                need: 4,
                ..
            }
        ),
        "{err}"
    );
    // no residual df
    let err = fit_log_logistic(&[0.0, 1.0, 2.0, 4.0], &[10.0, 8.0, 3.0, 1.0], &opts).unwrap_err();
    assert!(matches!(err, AssayError::TooFewPoints { .. }), "{err}");
    // negative dose, NaN, length mismatch
    assert!(matches!(
        fit_log_logistic(&[-1.0, 1.0], &[1.0, 2.0], &opts).unwrap_err(),
        AssayError::BadValue {
            what: "dose",
            index: 0,
            ..
        }
    ));
    assert!(matches!(
        fit_log_logistic(&[0.0, 1.0], &[1.0, f64::NAN], &opts).unwrap_err(),
        AssayError::NonFinite {
            what: "response",
            index: 1,
            ..
        }
    ));
    assert!(matches!(
        fit_log_logistic(&[0.0, 1.0], &[1.0], &opts).unwrap_err(),
        AssayError::LengthMismatch { .. }
    ));
}

#[test]
fn a_step_function_is_not_identifiable() {
    // all the drop happens between doses 2 and 4: the slope runs to infinity
    let x = [0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 4.0, 4.0, 8.0, 8.0];
    let y = [10.0, 10.2, 10.1, 9.9, 10.0, 10.1, 1.0, 1.1, 0.9, 1.0];
    let err = fit_log_logistic(&x, &y, &DoseResponseOptions::default()).unwrap_err();
    assert!(matches!(err, AssayError::NotIdentifiable { .. }), "{err}");
    assert!(err.to_string().contains("between doses 2 and 4"), "{err}");
}

#[test]
fn bad_ed_levels_and_options() {
    let (x, y) = ryegrass();
    let fit = fit_log_logistic(&x, &y, &DoseResponseOptions::default()).unwrap();
    assert!(matches!(
        fit.ed(&[100.0], EdType::Relative, 0.95),
        Err(AssayError::BadLevel { .. })
    ));
    assert!(matches!(
        fit.ed(&[50.0], EdType::Relative, 1.5),
        Err(AssayError::BadConfLevel(_))
    ));
    let bad = DoseResponseOptions {
        model: LogLogisticModel::ll2(1.0, 1.0),
        ..Default::default()
    };
    assert!(matches!(
        fit_log_logistic(&x, &y, &bad),
        Err(AssayError::BadOption { .. })
    ));
}
