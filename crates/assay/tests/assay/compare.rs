//! Comparisons on biological replicates against R 4.2.2 `t.test` and
//! `p.adjust` (tests/fixtures/assay/compare_reference.R), and the
//! normalised-control pitfall.

use oncomark_assay::compare::*;
use oncomark_assay::replicates::{Condition, ExperimentValue};
use oncomark_assay::AssayError;
use oncomark_stats::PAdjustMethod;
use oncomark_testkit::{assert_close, tol};

const TZ: [f64; 3] = [62.1, 55.4, 70.3];
const AB: [f64; 3] = [91.0, 84.2, 95.5];
const COMBO: [f64; 3] = [48.3, 52.0, 41.7];

fn cond(t: &str) -> Condition {
    Condition::new("JIMT-1", t, None)
}

fn data() -> Vec<ExperimentValue> {
    let mut v = Vec::new();
    for (k, e) in ["e1", "e2", "e3"].iter().enumerate() {
        for (t, x) in [
            ("untreated", 100.0),
            ("Tz 10", TZ[k]),
            ("AIIB2 10", AB[k]),
            ("Tz 10 + AIIB2 10", COMBO[k]),
        ] {
            v.push(ExperimentValue {
                experiment: e.to_string(),
                condition: cond(t),
                value: x,
            });
        }
    }
    v
}

fn spec(a: &str, b: &str) -> ComparisonSpec {
    ComparisonSpec {
        a: cond(a),
        b: Reference::Condition(cond(b)),
    }
}

fn run(specs: &[ComparisonSpec], test: CompareTest) -> ComparisonSet {
    compare(
        &data(),
        specs,
        &CompareOptions {
            test,
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn two_sample_tests_match_r() {
    let d = tol::printed_digits(12);
    let r = run(&[spec("Tz 10 + AIIB2 10", "Tz 10")], CompareTest::Student);
    let t = r.rows[0].test.as_ref().unwrap();
    // R: t.test(combo, tz, var.equal = TRUE)
    assert_close("t", t.statistic, -2.9039735941781, d);
    assert_close("p", t.p, 0.0439425786733, d);
    assert_close("lower", t.lower, -29.8628950980582, d);
    assert_close("upper", t.upper, -0.6704382352752, d);
    assert_eq!(
        t.groups[0].group.as_deref(),
        Some("JIMT-1: Tz 10 + AIIB2 10")
    );
    assert!(r.rows[0].warning.is_none());
    let r = run(&[spec("Tz 10 + AIIB2 10", "AIIB2 10")], CompareTest::Welch);
    let t = r.rows[0].test.as_ref().unwrap();
    // R: t.test(combo, ab)
    assert_close(
        "Welch t",
        t.statistic,
        -9.62594495569,
        tol::printed_digits(12),
    );
    assert_close("Welch df", t.df, 3.97045605750, tol::printed_digits(12));
    assert_close("Welch p", t.p, 6.75178256474e-04, tol::printed_digits(12));
}

#[test]
fn paired_test_matches_experiments_by_name() {
    // R: t.test(combo, tz, paired = TRUE); the data are listed in another
    // order to show that pairing goes by experiment, not position
    let mut v = data();
    v.reverse();
    let r = compare(
        &v,
        &[spec("Tz 10 + AIIB2 10", "Tz 10")],
        &CompareOptions {
            test: CompareTest::Paired,
            ..Default::default()
        },
    )
    .unwrap();
    let t = r.rows[0].test.as_ref().unwrap();
    assert_close(
        "paired t",
        t.statistic,
        -2.088039800749,
        tol::printed_digits(12),
    );
    assert_close("paired p", t.p, 0.172032517843, tol::printed_digits(12));
    assert_close(
        "mean difference",
        t.estimate,
        -15.266666666667,
        tol::printed_digits(12),
    );
    // an experiment missing from one condition is left out and reported
    let v: Vec<ExperimentValue> = data()
        .into_iter()
        .filter(|x| !(x.experiment == "e3" && x.condition.treatment == "Tz 10"))
        .chain(std::iter::once(ExperimentValue {
            experiment: "e4".into(),
            condition: cond("Tz 10"),
            value: 60.0,
        }))
        .collect();
    let r = compare(
        &v,
        &[spec("Tz 10 + AIIB2 10", "Tz 10")],
        &CompareOptions {
            test: CompareTest::Paired,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.rows[0].unpaired_experiments, ["e3", "e4"]);
    assert_eq!(r.rows[0].test.as_ref().unwrap().df, 1.0);
}

#[test]
fn zero_variance_pitfall_is_explained() {
    let r = run(&[spec("Tz 10", "untreated")], CompareTest::Student);
    let row = &r.rows[0];
    let t = row.test.as_ref().unwrap();
    // R: t.test(tz, c(100, 100, 100), var.equal = TRUE): df 4, P 0.000969
    assert_close("Student p", t.p, 9.69387042072e-04, tol::printed_digits(12));
    assert_eq!(t.df, 4.0);
    // R: t.test(tz, mu = 100): df 2, P 0.0130
    let one = row.one_sample.as_ref().unwrap();
    assert_close(
        "one-sample p",
        one.p,
        0.0130127991461,
        tol::printed_digits(12),
    );
    assert_close(
        "one-sample lower",
        one.lower,
        44.0619402816892,
        tol::printed_digits(12),
    );
    assert_eq!(one.df, 2.0);
    let w = row.warning.as_deref().unwrap();
    assert_eq!(
        w,
        "`JIMT-1: untreated` is 100 in all 3 experiments (a control every experiment is normalised to has no \
         variance of its own): a two-sample test treats this fixed number as a sample; Student's test then \
         takes all its variability from the other group while counting the constant group's experiments in \
         its degrees of freedom, so its P value is too small. Use the one-sample t test of `JIMT-1: Tz 10` \
         against 100 (given in `one_sample`), or test the unnormalised values paired by experiment"
    );
    // Welch reduces to the one-sample test (R: same t, df 2, P 0.0130)
    let r = run(&[spec("Tz 10", "untreated")], CompareTest::Welch);
    let t = r.rows[0].test.as_ref().unwrap();
    assert_close(
        "Welch = one-sample",
        t.p,
        0.0130127991461,
        tol::printed_digits(12),
    );
    assert!(r.rows[0]
        .warning
        .as_deref()
        .unwrap()
        .contains("reduces to a one-sample test"));
}

#[test]
fn one_sample_against_a_value() {
    let specs = [ComparisonSpec {
        a: cond("Tz 10"),
        b: Reference::Value(100.0),
    }];
    let r = run(&specs, CompareTest::Student);
    let t = r.rows[0].test.as_ref().unwrap();
    assert_close("p", t.p, 0.0130127991461, tol::printed_digits(12));
    assert_eq!(r.rows[0].b, "100");
    assert!(r.rows[0].warning.is_none());
}

#[test]
fn multiplicity_adjustment_matches_p_adjust() {
    let specs = ComparisonSpec::all_against(&data(), "untreated");
    assert_eq!(specs.len(), 3);
    for (method, want) in [
        (
            PAdjustMethod::Holm,
            [0.001938774084145, 0.040998407912478, 0.000188519449845],
        ),
        (
            PAdjustMethod::BenjaminiHochberg,
            [0.001454080563109, 0.040998407912478, 0.000188519449845],
        ),
    ] {
        let r = compare(
            &data(),
            &specs,
            &CompareOptions {
                adjust: Some(method),
                ..Default::default()
            },
        )
        .unwrap();
        for (row, w) in r.rows.iter().zip(want) {
            assert_close(
                &format!("{method:?} {}", row.a),
                row.p_adjusted.unwrap(),
                w,
                tol::printed_digits(12),
            );
        }
    }
}

#[test]
fn problems_are_rows_or_errors() {
    // both groups constant: the test cannot be done, the row says why
    let mut v = data();
    v.iter_mut()
        .filter(|x| x.condition.treatment == "Tz 10")
        .for_each(|x| x.value = 50.0);
    let r = compare(
        &v,
        &[spec("Tz 10", "untreated")],
        &CompareOptions::default(),
    )
    .unwrap();
    assert!(r.rows[0].test.is_none());
    assert!(
        r.rows[0].error.as_deref().unwrap().contains("constant"),
        "{:?}",
        r.rows[0].error
    );
    // an unknown condition is an error naming the known ones
    let e = compare(
        &data(),
        &[spec("Tz 1", "untreated")],
        &CompareOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, AssayError::UnknownCondition { .. }));
    assert!(e.to_string().contains("no condition `JIMT-1: Tz 1` in the data; known conditions: JIMT-1: untreated, JIMT-1: Tz 10"), "{e}");
}
