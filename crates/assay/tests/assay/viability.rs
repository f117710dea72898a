//! Viability in % of control: the XTT hand case, replicate structure,
//! Z' per plate, and errors.

use oncomark_assay::plate::{parse_plate_map, LayoutSpec, Well, WellRole};
use oncomark_assay::viability::*;
use oncomark_assay::AssayError;
use oncomark_testkit::{assert_close, tol};

fn well(plate: &str, exp: &str, line: &str, t: &str, role: WellRole, v: f64) -> Well {
    Well {
        plate: plate.into(),
        well: String::new(),
        experiment: exp.into(),
        cell_line: line.into(),
        treatment: t.into(),
        dose: None,
        role,
        value: Some(v),
    }
}

/// The XTT hand case of the assay issue on one plate.
fn xtt(plate: &str, exp: &str, scale: f64) -> Vec<Well> {
    let mut w = Vec::new();
    for v in [0.112, 0.108, 0.115] {
        w.push(well(plate, exp, "", "blank", WellRole::Blank, v));
    }
    for v in [1.254, 1.301, 1.276] {
        w.push(well(
            plate,
            exp,
            "JIMT-1",
            "untreated",
            WellRole::Control,
            v,
        ));
    }
    for v in [0.802, 0.765, 0.811] {
        w.push(well(
            plate,
            exp,
            "JIMT-1",
            "Tz 10",
            WellRole::Sample,
            v * scale,
        ));
    }
    w
}

fn tz(r: &ViabilityResult) -> f64 {
    r.conditions
        .iter()
        .find(|c| c.condition.treatment == "Tz 10")
        .unwrap()
        .mean
}

#[test]
fn xtt_hand_case_with_and_without_blank() {
    // Issue 8: 62.07257 % (paper's formula, no blank), 58.43822 % (blank
    // subtracted). By hand: 100 * 0.792667 / 1.277 and
    // 100 * (0.792667 - 0.111667) / (1.277 - 0.111667).
    let w = xtt("p1", "e1", 1.0);
    let plain = viability(
        &w,
        &ViabilityOptions {
            blank_subtraction: false,
        },
    )
    .unwrap();
    assert_close("no blank", tz(&plain), 62.07257, tol::printed_digits(7));
    assert!(!plain.blank_subtraction);
    assert_eq!(
        plain.formula,
        "100 * mean(treated) / mean(untreated control)"
    );
    let sub = viability(
        &w,
        &ViabilityOptions {
            blank_subtraction: true,
        },
    )
    .unwrap();
    assert_close("blank", tz(&sub), 58.43822, tol::printed_digits(7));
    assert!(sub.formula.contains("mean(blank)"));
    // the control is exactly 100 in every experiment
    let ctrl = sub
        .conditions
        .iter()
        .find(|c| c.condition.treatment == "untreated")
        .unwrap();
    assert_eq!(ctrl.values, vec![100.0]);
    // the plate's Z' uses the blanks as low signal (no positive control)
    let p = &sub.plates[0];
    assert_eq!(p.z_prime_low, "blank");
    assert_close(
        "Z'",
        p.z_prime.as_ref().unwrap().z_prime,
        0.930420329,
        tol::printed_digits(9),
    );
    assert_eq!((p.n_blank, p.n_control), (3, 3));
}

#[test]
fn experiments_are_the_unit_and_plates_within_one_are_averaged() {
    // e1 on two plates (treated readings x1 and x0.9), e2 on one (x1.1)
    let mut w = xtt("p1", "e1", 1.0);
    w.extend(xtt("p2", "e1", 0.9));
    w.extend(xtt("p3", "e2", 1.1));
    let r = viability(&w, &ViabilityOptions::default()).unwrap();
    assert_eq!(
        r.wells
            .iter()
            .filter(|c| c.condition.treatment == "Tz 10")
            .count(),
        3
    );
    let v = 100.0 * 2.378 / 3.831; // treated sum / control sum
    let s = r
        .conditions
        .iter()
        .find(|c| c.condition.treatment == "Tz 10")
        .unwrap();
    assert_eq!(s.n_experiments, 2);
    assert_eq!(s.experiments, ["e1", "e2"]);
    assert_close(
        "e1 = mean of its plates",
        s.values[0],
        v * 0.95,
        tol::printed_digits(9),
    );
    assert_close("e2", s.values[1], v * 1.1, tol::printed_digits(9));
    assert_close(
        "mean over experiments",
        s.mean,
        v * 1.025,
        tol::printed_digits(9),
    );
    assert_close("sd", s.sd, v * 0.15 / 2f64.sqrt(), tol::printed_digits(9));
    assert_close("sem", s.sem, s.sd / 2f64.sqrt(), tol::EXACT);
}

#[test]
fn positive_controls_are_the_low_signal_of_z_prime() {
    let mut w = xtt("p1", "e1", 1.0);
    for v in [0.20, 0.22, 0.21] {
        w.push(well(
            "p1",
            "e1",
            "JIMT-1",
            "staurosporine",
            WellRole::Positive,
            v,
        ));
    }
    let r = viability(&w, &ViabilityOptions::default()).unwrap();
    assert_eq!(r.plates[0].z_prime_low, "positive");
    assert_close(
        "low mean",
        r.plates[0].z_prime.as_ref().unwrap().mean_low,
        0.21,
        tol::EXACT,
    );
}

#[test]
fn missing_readings_are_listed() {
    let mut w = xtt("p1", "e1", 1.0);
    w[7].value = None;
    w[7].well = "C05".into();
    let r = viability(&w, &ViabilityOptions::default()).unwrap();
    assert_eq!(r.missing.len(), 1);
    assert_eq!(r.missing[0].well, "C05");
    let s = r
        .wells
        .iter()
        .find(|c| c.condition.treatment == "Tz 10")
        .unwrap();
    assert_eq!(s.n_wells, 2);
    assert_close(
        "mean of the two left",
        s.mean_reading,
        (0.802 + 0.811) / 2.0,
        tol::EXACT,
    );
}

#[test]
fn errors_name_plate_and_cell_line() {
    let w: Vec<Well> = xtt("p1", "e1", 1.0)
        .into_iter()
        .filter(|w| w.role != WellRole::Control)
        .collect();
    let e = viability(&w, &ViabilityOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("plate `p1`, cell line `JIMT-1`: no untreated-control wells"),
        "{e}"
    );
    let w: Vec<Well> = xtt("p9", "e1", 1.0)
        .into_iter()
        .filter(|w| w.role != WellRole::Blank)
        .collect();
    let e = viability(
        &w,
        &ViabilityOptions {
            blank_subtraction: true,
        },
    )
    .unwrap_err();
    assert!(matches!(e, AssayError::NoBlank { .. }), "{e}");
    assert!(e.to_string().contains("plate `p9`"));
    let mut w = xtt("p1", "e1", 1.0);
    for x in w.iter_mut().filter(|w| w.role == WellRole::Blank) {
        x.value = Some(2.0);
    }
    let e = viability(
        &w,
        &ViabilityOptions {
            blank_subtraction: true,
        },
    )
    .unwrap_err();
    assert!(matches!(e, AssayError::ControlNotAboveBlank { .. }), "{e}");
    assert!(matches!(
        viability(&[], &ViabilityOptions::default()),
        Err(AssayError::Empty { .. })
    ));
}

#[test]
fn from_a_plate_map_file() {
    // the same hand case laid out on a 12-well plate with a role grid
    let text = "\
absorbance,1,2,3,4
A,0.112,1.254,0.802,
B,0.108,1.301,0.765,
C,0.115,1.276,0.811,

treatment,1,2,3,4
A,medium,none,Tz 10,
B,medium,none,Tz 10,
C,medium,none,Tz 10,

role,1,2,3,4
A,blank,control,sample,
B,blank,control,sample,
C,blank,control,sample,

cell_line,1,2,3,4
A,,JIMT-1,JIMT-1,
B,,JIMT-1,JIMT-1,
C,,JIMT-1,JIMT-1,
";
    let wells = parse_plate_map("xtt_e1.csv", text)
        .unwrap()
        .wells(&LayoutSpec::default())
        .unwrap();
    assert_eq!(wells.len(), 9);
    let r = viability(
        &wells,
        &ViabilityOptions {
            blank_subtraction: true,
        },
    )
    .unwrap();
    assert_close("from file", tz(&r), 58.43822, tol::printed_digits(7));
    assert_eq!(r.experiments[0].experiment, "xtt_e1.csv");
}
