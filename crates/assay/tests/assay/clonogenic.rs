//! Clonogenic survival: pooled plating efficiency and surviving fraction by
//! hand; the LQ model against statsmodels on CFAssay's example data.

use oncomark_assay::clonogenic::*;
use oncomark_assay::AssayError;
use oncomark_testkit::{assert_close, fixture_column, json_fixture, read_fixture_csv, tol};

fn dish(exp: &str, t: &str, cells: f64, col: f64) -> ColonyCount {
    ColonyCount {
        experiment: exp.into(),
        cell_line: "SKBR3".into(),
        treatment: t.into(),
        dose: None,
        cells_plated: cells,
        colonies: col,
    }
}

#[test]
fn dishes_are_pooled_not_averaged() {
    // control: 100/500 and 90/300 -> PE = 190/800 = 0.2375
    // (the mean of the dish ratios would be 0.25)
    // treated: 30/500 and 36/400 -> 66/900; SF = (66/900) / 0.2375
    let rows = [
        dish("e1", "untreated", 500.0, 100.0),
        dish("e1", "Untreated", 300.0, 90.0),
        dish("e1", "Tz", 500.0, 30.0),
        dish("e1", "Tz", 400.0, 36.0),
    ];
    let r = surviving_fractions(&rows, &ClonogenicOptions::default()).unwrap();
    assert_eq!(r.plating_efficiency[0].n_dishes, 2);
    assert_close("PE", r.plating_efficiency[0].pe, 0.2375, tol::EXACT);
    let tz = r
        .conditions
        .iter()
        .find(|c| c.condition.treatment == "Tz")
        .unwrap();
    assert_close("SF", tz.mean, (66.0 / 900.0) / 0.2375, tol::EXACT);
}

#[test]
fn experiments_are_summarised() {
    let mut rows = Vec::new();
    for (e, sf) in [("e1", 0.5), ("e2", 0.6), ("e3", 0.7)] {
        rows.push(dish(e, "untreated", 1000.0, 400.0));
        rows.push(dish(e, "Tz", 1000.0, 400.0 * sf));
    }
    let r = surviving_fractions(&rows, &ClonogenicOptions::default()).unwrap();
    let tz = r
        .conditions
        .iter()
        .find(|c| c.condition.treatment == "Tz")
        .unwrap();
    assert_eq!(tz.n_experiments, 3);
    assert_close("mean SF", tz.mean, 0.6, tol::EXACT);
    assert_close("sd SF", tz.sd, 0.1, tol::EXACT);
    let ctrl = r
        .conditions
        .iter()
        .find(|c| c.condition.treatment == "untreated")
        .unwrap();
    assert_eq!(ctrl.values, vec![1.0, 1.0, 1.0]);
}

#[test]
fn clonogenic_errors() {
    let e = surviving_fractions(
        &[
            dish("e1", "untreated", 100.0, 0.0),
            dish("e1", "Tz", 100.0, 5.0),
        ],
        &ClonogenicOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, AssayError::ZeroPlatingEfficiency { .. }), "{e}");
    let e = surviving_fractions(
        &[dish("e2", "Tz", 100.0, 5.0)],
        &ClonogenicOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("experiment e2"), "{e}");
    let e = surviving_fractions(
        &[dish("e1", "untreated", 0.0, 5.0)],
        &ClonogenicOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            AssayError::BadValue {
                what: "cells_plated",
                ..
            }
        ),
        "{e}"
    );
    let e = fit_lq(
        &[dish("e1", "untreated", 100.0, 5.0)],
        LqMethod::Ml,
        PeMethod::Fit,
    )
    .unwrap_err();
    assert!(e.to_string().contains("needs a dose"), "{e}");
}

fn cfassay_rows(cline: &str) -> Vec<ColonyCount> {
    let (h, rows) = read_fixture_csv("assay/cfassay_expl1_cellsurvcurves.csv");
    let dose = fixture_column(&h, &rows, "dose");
    let cells = fixture_column(&h, &rows, "ncells");
    let col = fixture_column(&h, &rows, "ncolonies");
    (0..rows.len())
        .filter(|&i| rows[i][0].as_deref() == Some(cline))
        .map(|i| ColonyCount {
            experiment: rows[i][1].clone().unwrap(),
            cell_line: cline.into(),
            treatment: "IR".into(),
            dose: dose[i],
            cells_plated: cells[i].unwrap(),
            colonies: col[i].unwrap(),
        })
        .collect()
}

#[test]
fn lq_fits_match_statsmodels_on_cfassay_example_data() {
    // tests/fixtures/assay/clonogenic_reference.py (statsmodels 0.15.0 GLM
    // Poisson with Pearson scale = R quasipoisson; OLS = R lm), the models of
    // CFAssay cellsurvLQfit, on CFAssay's expl1_cellsurvcurves.txt
    let r = json_fixture("assay/clonogenic_reference.json");
    for want in r["fits"].as_array().unwrap() {
        let cline = want["cline"].as_str().unwrap();
        let method = if want["method"] == "ml" {
            LqMethod::Ml
        } else {
            LqMethod::Ls
        };
        let pe = if want["pe_method"] == "fit" {
            PeMethod::Fit
        } else {
            PeMethod::Fix
        };
        let fit = fit_lq(&cfassay_rows(cline), method, pe).unwrap();
        let what = format!("{cline} {method:?} {pe:?}");
        assert_eq!(fit.n as u64, want["n"].as_u64().unwrap(), "{what}");
        assert_eq!(fit.df as u64, want["df"].as_u64().unwrap(), "{what}");
        for (got, w) in [(&fit.alpha, &want["alpha"]), (&fit.beta, &want["beta"])] {
            let t = format!("{what} {}", got.term);
            assert_close(&t, got.estimate, w["estimate"].as_f64().unwrap(), tol::GLM);
            assert_close(
                &format!("{t} se"),
                got.se,
                w["se"].as_f64().unwrap(),
                tol::GLM,
            );
            assert_close(&format!("{t} p"), got.p, w["p"].as_f64().unwrap(), tol::GLM);
        }
        assert_close(
            &format!("{what} dispersion"),
            fit.dispersion,
            want["dispersion"].as_f64().unwrap(),
            tol::GLM,
        );
        assert_close(
            &format!("{what} deviance"),
            fit.deviance,
            want["deviance"].as_f64().unwrap(),
            tol::GLM,
        );
        if pe == PeMethod::Fit {
            for (got, w) in fit
                .plating_efficiencies
                .iter()
                .zip(want["ln_pe"].as_array().unwrap())
            {
                assert_eq!(got.term, w["term"].as_str().unwrap());
                assert_close(
                    &got.term,
                    got.estimate,
                    w["estimate"].as_f64().unwrap(),
                    tol::GLM,
                );
                assert_close(
                    &format!("{} se", got.term),
                    got.se,
                    w["se"].as_f64().unwrap(),
                    tol::GLM,
                );
            }
        }
    }
}

#[test]
fn least_squares_refuses_zero_counts() {
    let mut rows = cfassay_rows("cal33");
    rows[5].colonies = 0.0;
    let e = fit_lq(&rows, LqMethod::Ls, PeMethod::Fit).unwrap_err();
    assert!(e.to_string().contains("use the ML method"), "{e}");
    // ML takes it
    assert!(fit_lq(&rows, LqMethod::Ml, PeMethod::Fit).is_ok());
}
