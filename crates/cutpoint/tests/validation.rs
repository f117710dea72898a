//! Cutpoint validation against R 4.2.2 (maxstat 0.7-25, survival 3.5-3):
//! tests/fixtures/cutpoint/validation.json, GBSG2 `progrec`.

use oncomark_cutpoint::validate::{
    bootstrap, cross_validated_p, train_validate, BootstrapOptions, Folds, Partition,
    ValidationOptions,
};
use oncomark_cutpoint::CutpointError;
use oncomark_testkit::{assert_close, fixture_column, json_fixture, read_fixture_csv, tol};

fn gbsg2() -> (Vec<f64>, Vec<bool>, Vec<f64>) {
    let (h, r) = read_fixture_csv("r-survival/gbsg2.csv");
    let col = |n: &str| -> Vec<f64> {
        fixture_column(&h, &r, n)
            .into_iter()
            .map(|v| v.unwrap())
            .collect()
    };
    let e = col("cens").into_iter().map(|v| v == 1.0).collect();
    (col("time"), e, col("progrec"))
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap()
}

#[test]
fn trial_set_of_the_first_patients_matches_r() {
    // maxstat on rows 1-343, survdiff + coxph of that cut on rows 344-686
    let d = json_fixture("cutpoint/validation.json");
    let w = &d["first_n"];
    let (t, e, x) = gbsg2();
    let r = train_validate(
        &t,
        &e,
        &x,
        &Partition::FirstN(343),
        &ValidationOptions::default(),
    )
    .unwrap();
    assert_eq!(r.training.n, 343);
    assert_eq!(r.training.cutpoint, f(&w["cutpoint"]));
    assert_close(
        "training statistic",
        r.training.statistic,
        f(&w["statistic"]),
        tol::MAXSTAT,
    );
    assert!(
        (r.training.p_lau94 - f(&w["p_lau94_train"])).abs()
            <= tol::R_ONE_MINUS_ABS + tol::MAXSTAT * r.training.p_lau94
    );
    let v = &r.validation;
    assert_eq!(v.n, 343);
    assert_eq!(v.groups[0].n, w["test_n_low"].as_u64().unwrap() as usize);
    assert_eq!(
        v.groups[0].events,
        w["test_events_low"].as_u64().unwrap() as usize
    );
    assert_close(
        "validation chisq",
        v.chisq,
        f(&w["test_chisq"]),
        tol::LOGRANK,
    );
    assert_close("validation P", v.p, f(&w["test_p"]), tol::LOGRANK);
    assert_close(
        "validation HR",
        v.hr.unwrap(),
        f(&w["test_hr"]["hr"]),
        tol::COX,
    );
    assert_close(
        "validation HR lower",
        v.hr_lower.unwrap(),
        f(&w["test_hr"]["lower"]),
        tol::COX,
    );
    assert_close(
        "validation HR upper",
        v.hr_upper.unwrap(),
        f(&w["test_hr"]["upper"]),
        tol::COX,
    );
}

#[test]
fn cross_validated_test_matches_r() {
    // 5 folds given by (row - 1) %% 5, as in cutpoint_reference.R
    let d = json_fixture("cutpoint/validation.json");
    let w = &d["cross_validation"];
    let folds: Vec<usize> = w["folds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let (t, e, x) = gbsg2();
    let cv = cross_validated_p(
        &t,
        &e,
        &x,
        &Folds::Given(folds),
        &ValidationOptions::default(),
    )
    .unwrap();
    assert_eq!(cv.k, 5);
    let cuts: Vec<f64> = w["cuts"].as_array().unwrap().iter().map(f).collect();
    assert_eq!(cv.cutpoints, cuts);
    assert_eq!(cv.test.groups[1].n, w["n_high"].as_u64().unwrap() as usize);
    assert_close("CV chisq", cv.test.chisq, f(&w["chisq"]), tol::LOGRANK);
    assert_close("CV P", cv.test.p, f(&w["p"]), tol::LOGRANK);
    assert_close("CV HR", cv.test.hr.unwrap(), f(&w["hr"]["hr"]), tol::COX);
}

#[test]
fn random_partitions_and_folds_are_seeded() {
    let (t, e, x) = gbsg2();
    let o = ValidationOptions::default();
    let p = Partition::Random {
        training: 0.5,
        seed: 11,
    };
    let a = train_validate(&t, &e, &x, &p, &o).unwrap();
    assert_eq!(a, train_validate(&t, &e, &x, &p, &o).unwrap());
    assert_eq!(a.training.n, 343);
    let f = Folds::Random { k: 10, seed: 3 };
    let a = cross_validated_p(&t, &e, &x, &f, &o).unwrap();
    assert_eq!(a, cross_validated_p(&t, &e, &x, &f, &o).unwrap());
    assert_eq!(a.cutpoints.len(), 10);
}

#[test]
fn bootstrap_is_seeded_and_thread_count_free() {
    let (t, e, x) = gbsg2();
    let o = BootstrapOptions {
        replicates: 120,
        seed: 5,
        ..Default::default()
    };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| bootstrap(&t, &e, &x, &o).unwrap())
    };
    let a = run(1);
    assert_eq!(a, run(2));
    assert_eq!(a.cutpoint, 21.0);
    assert!(a.succeeded >= 110);
    assert!(a.cutpoint_lower <= a.cutpoint_median && a.cutpoint_median <= a.cutpoint_upper);
    assert!(a.hr_lower < a.hr_upper && a.hr_upper < 1.0, "{a:?}");
    // the HR at the optimized cutpoint lies in its bootstrap interval here
    let hr = a.hr.unwrap();
    assert!(a.hr_lower <= hr && hr <= a.hr_upper);
}

#[test]
fn validation_errors() {
    let (t, e, x) = gbsg2();
    let o = ValidationOptions::default();
    assert!(matches!(
        train_validate(&t, &e, &x, &Partition::FirstN(0), &o),
        Err(CutpointError::BadOption {
            what: "first_n",
            ..
        })
    ));
    assert!(matches!(
        train_validate(&t, &e, &x, &Partition::FirstN(3), &o),
        Err(CutpointError::SplitTooSmall {
            part: "training",
            n: 3,
            ..
        })
    ));
    assert!(matches!(
        train_validate(
            &t,
            &e,
            &x,
            &Partition::Random {
                training: 1.5,
                seed: 1
            },
            &o
        ),
        Err(CutpointError::BadOption {
            what: "training",
            ..
        })
    ));
    assert!(matches!(
        cross_validated_p(&t, &e, &x, &Folds::Random { k: 1, seed: 1 }, &o),
        Err(CutpointError::BadOption { what: "k", .. })
    ));
    assert!(matches!(
        bootstrap(
            &t,
            &e,
            &x,
            &BootstrapOptions {
                replicates: 0,
                ..Default::default()
            }
        ),
        Err(CutpointError::BadOption {
            what: "replicates",
            ..
        })
    ));
}
