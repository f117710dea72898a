//! Cases small enough to check by hand (ties, censoring at an event time,
//! unsorted input, missing markers), the error paths, and invariants.

use oncomark_cutpoint::scores::{gehan_scores, logrank_scores_maxstat, logrank_scores_na};
use oncomark_cutpoint::{
    altman_corrected, cutpoint, maxstat, CutpointError, CutpointOptions, MaxstatOptions, PMethod,
    SortedSurvival, SplitStatistic,
};
use oncomark_testkit::{assert_close, tol};
use proptest::prelude::*;

fn all_splits(statistic: SplitStatistic) -> MaxstatOptions {
    MaxstatOptions {
        statistic,
        min_prop: 0.0,
        max_prop: 1.0,
    }
}

#[test]
fn four_patients_by_hand() {
    // times 1..4, all events: scores a = 1 - H(t) with H = 1/4, 7/12, 13/12, 25/12
    // a = (3/4, 5/12, -1/12, -13/12), sum 0, sum of squares 23/12.
    // V_m = m (4 - m) / 12 * 23/12: T_1 = (3/4) sqrt(48/23), T_2 = 7/sqrt(23),
    // T_3 = (13/12) sqrt(48/23), the maximum, at cutpoint 3.
    let t = [1.0, 2.0, 3.0, 4.0];
    let e = [true; 4];
    let x = [1.0, 2.0, 3.0, 4.0];
    let m = maxstat(&t, &e, &x, &all_splits(SplitStatistic::LogRank)).unwrap();
    let want = [
        0.75 * (48.0f64 / 23.0).sqrt(),
        7.0 / 23.0f64.sqrt(),
        13.0 / 12.0 * (48.0f64 / 23.0).sqrt(),
    ];
    assert_eq!(m.splits.len(), 3);
    for (s, w) in m.splits.iter().zip(want) {
        assert_close("hand statistic", s.statistic, w, tol::EXACT);
    }
    assert_eq!(m.cutpoint, 3.0);
    assert_eq!(m.n_low, 3);
    assert_close("maximum", m.statistic, want[2], tol::EXACT);
}

#[test]
fn scores_with_ties_and_censoring_at_an_event_time() {
    // times 2, 2, 2, 5, 5, 8 with a censoring tied to the deaths at 2 and 5.
    let t = [5.0, 2.0, 8.0, 2.0, 5.0, 2.0]; // unsorted on purpose
    let e = [true, true, true, false, false, true];
    let s = SortedSurvival::new(&t, &e).unwrap();
    // sorted: 2(d) 2(c) 2(d) 5(d) 5(c) 8(d), stable in input order
    assert_eq!(s.sorted_rows(), vec![1, 3, 5, 0, 4, 2]);
    // maxstat ties: the 2 deaths at time 2 each add 1/(6 - 3 + 1) = 1/4;
    // the death at 5 adds 1/(6 - 5 + 1) = 1/2; the death at 8 adds 1/1.
    let a = logrank_scores_maxstat(&s);
    let want = [0.5, -0.5, 0.5, 0.0, -1.0, -1.0];
    for (g, w) in a.iter().zip(want) {
        assert_close("maxstat score", *g, w, tol::EXACT);
    }
    // Nelson-Aalen ties: 2/6, then 1/3, then 1/1
    let u = logrank_scores_na(&s);
    let want = [
        2.0 / 3.0,
        -1.0 / 3.0,
        2.0 / 3.0,
        1.0 / 3.0,
        -2.0 / 3.0,
        -2.0 / 3.0,
    ];
    for (g, w) in u.iter().zip(want) {
        assert_close("NA score", *g, w, tol::EXACT);
    }
    assert!(u.iter().sum::<f64>().abs() < 1e-15);
    // Gehan: a death at 2 precedes the 3 later patients and the censoring at 2
    let g = gehan_scores(&s);
    assert_eq!(g, vec![4.0, -2.0, 4.0, 0.0, -3.0, -3.0]);
}

#[test]
fn row_order_does_not_matter() {
    let t = [
        5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0, 6.0, 10.0,
    ];
    let e = [
        true, true, true, false, true, true, false, true, true, false, true, false,
    ];
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 3.0, 6.0];
    let perm = [11, 3, 7, 0, 9, 1, 5, 10, 2, 8, 4, 6];
    let tp: Vec<f64> = perm.iter().map(|&i| t[i]).collect();
    let ep: Vec<bool> = perm.iter().map(|&i| e[i]).collect();
    let xp: Vec<f64> = perm.iter().map(|&i| x[i]).collect();
    for st in [
        SplitStatistic::LogRank,
        SplitStatistic::Gehan,
        SplitStatistic::CoxScore,
    ] {
        let o = MaxstatOptions {
            statistic: st,
            ..Default::default()
        };
        let a = maxstat(&t, &e, &x, &o).unwrap();
        let b = maxstat(&tp, &ep, &xp, &o).unwrap();
        assert_close("statistic", a.statistic, b.statistic, tol::EXACT);
        assert_eq!(a.cutpoint, b.cutpoint);
        assert_eq!(a.splits.len(), b.splits.len());
    }
}

#[test]
fn missing_markers_are_dropped_and_counted() {
    let t = [5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0];
    let e = [
        true, true, true, false, true, true, false, true, true, false,
    ];
    let x = [1.0, f64::NAN, 3.0, 4.0, 5.0, f64::NAN, 7.0, 8.0, 9.0, 10.0];
    let keep = [0, 2, 3, 4, 6, 7, 8, 9];
    let a = cutpoint(&t, &e, &x, &CutpointOptions::default()).unwrap();
    let b = cutpoint(
        &keep.map(|i| t[i]),
        &keep.map(|i| e[i]),
        &keep.map(|i| x[i]),
        &CutpointOptions::default(),
    )
    .unwrap();
    assert_eq!(a.n, 8);
    assert_eq!(a.n_missing, 2);
    assert_eq!(b.n_missing, 0);
    assert_eq!(a.statistic, b.statistic);
    assert_eq!(a.cutpoint, b.cutpoint);
    assert_eq!(a.hr, b.hr);
}

#[test]
fn errors_name_the_problem() {
    let t = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let e = [true, false, true, true, false, true];
    let o = MaxstatOptions::default();
    assert!(matches!(
        maxstat(&t, &e, &[2.0; 6], &o),
        Err(CutpointError::ConstantMarker { value, n: 6 }) if value == 2.0
    ));
    assert!(matches!(
        maxstat(&t, &[false; 6], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &o),
        Err(CutpointError::NoEvents { n: 6 })
    ));
    assert!(matches!(
        maxstat(&t, &e, &[1.0, 2.0], &o),
        Err(CutpointError::LengthMismatch {
            what: "marker",
            got: 2,
            expected: 6
        })
    ));
    assert!(matches!(
        maxstat(&t, &e, &[1.0, 2.0, f64::INFINITY, 4.0, 5.0, 6.0], &o),
        Err(CutpointError::NonFinite {
            what: "marker",
            index: 2,
            ..
        })
    ));
    assert!(matches!(
        maxstat(&[1.0, -2.0, 3.0], &[true; 3], &[1.0, 2.0, 3.0], &o),
        Err(CutpointError::NegativeTime { index: 1, .. })
    ));
    let bad = MaxstatOptions {
        min_prop: 0.8,
        max_prop: 0.2,
        ..o
    };
    assert!(matches!(
        maxstat(&t, &e, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &bad),
        Err(CutpointError::BadProportions { .. })
    ));
    // the only split leaves 5 of 6 low, but at most half may be low
    let half = MaxstatOptions { max_prop: 0.5, ..o };
    let err = maxstat(&t, &e, &[0.0, 0.0, 0.0, 0.0, 0.0, 1.0], &half).unwrap_err();
    assert!(matches!(
        err,
        CutpointError::NoSplits {
            lo: 1,
            hi: 3,
            n: 6,
            distinct: 2
        }
    ));
    assert!(err.to_string().contains("widen min_prop/max_prop"));
    // HL needs a linear statistic
    let cs = MaxstatOptions {
        statistic: SplitStatistic::CoxScore,
        ..o
    };
    let m = maxstat(&t, &e, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &cs).unwrap();
    assert!(matches!(
        m.p_hl(),
        Err(CutpointError::MethodNotApplicable { method: "hl", .. })
    ));
    assert!(matches!(
        m.p_permutation(0, 1),
        Err(CutpointError::BadOption {
            what: "replicates",
            ..
        })
    ));
}

#[test]
fn hl_refuses_work_beyond_its_budget() {
    let n = 2000;
    let t: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1009) as f64 + 1.0).collect();
    let e: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
    let x: Vec<f64> = (0..n).map(|i| ((i * 104_729) % 997) as f64).collect();
    let m = maxstat(&t, &e, &x, &MaxstatOptions::default()).unwrap();
    let err = m.p_hl().unwrap_err();
    assert!(matches!(
        err,
        CutpointError::TooLargeForExact { n: 2000, .. }
    ));
    assert!(err.to_string().contains("exact_gauss"));
}

#[test]
fn permutation_is_deterministic_across_thread_counts() {
    let n = 150;
    let t: Vec<f64> = (0..n).map(|i| ((i * 37) % 151) as f64 + 1.0).collect();
    let e: Vec<bool> = (0..n).map(|i| i % 4 != 0).collect();
    let x: Vec<f64> = (0..n)
        .map(|i| ((i * 53) % 149) as f64 + 0.01 * t[i])
        .collect();
    for st in [SplitStatistic::LogRank, SplitStatistic::CoxScore] {
        let m = maxstat(
            &t,
            &e,
            &x,
            &MaxstatOptions {
                statistic: st,
                ..Default::default()
            },
        )
        .unwrap();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| m.p_permutation(3000, 99).unwrap())
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(3));
    }
}

#[test]
fn permutation_agrees_with_exact_gauss_within_monte_carlo_error() {
    // a null marker on 400 patients; exact-Gauss is the limit of the
    // conditional distribution, so the two agree within Monte-Carlo error
    // (plus a small CLT error) at B = 10^4.
    let n = 400;
    let t: Vec<f64> = (0..n).map(|i| ((i * 7919) % 401) as f64 + 1.0).collect();
    let e: Vec<bool> = (0..n).map(|i| (i * 31) % 5 != 0).collect();
    let x: Vec<f64> = (0..n).map(|i| ((i * 104_729) % 397) as f64).collect();
    let m = maxstat(&t, &e, &x, &MaxstatOptions::default()).unwrap();
    let perm = m.p_permutation(10_000, 2024).unwrap();
    let gauss = m.p_exact_gauss();
    assert!(
        (perm.p - gauss).abs() <= tol::MC_SIGMAS * perm.mc_se + 0.01 * gauss,
        "permutation {} (se {}) vs exact-Gauss {gauss}",
        perm.p,
        perm.mc_se
    );
    assert!(gauss <= m.p_lau94() * (1.0 + 1e-9));
}

#[test]
fn altman_correction_never_lowers_a_p_value() {
    for p in [1e-8, 1e-4, 0.01, 0.2, 0.7, 1.0] {
        let c = altman_corrected(p, 0.1).unwrap();
        assert!(c >= p && c <= 1.0, "{p} -> {c}");
    }
    assert!(altman_corrected(1.5, 0.1).is_err());
    assert!(altman_corrected(0.01, 0.6).is_err());
}

#[test]
fn cutpoint_result_serializes_with_contract_field_names() {
    let t = [
        5.0, 8.0, 3.0, 12.0, 2.0, 9.0, 15.0, 4.0, 11.0, 7.0, 6.0, 10.0,
    ];
    let e = [
        true, true, true, false, true, true, false, true, true, false, true, false,
    ];
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 3.5, 6.5];
    let o = CutpointOptions {
        p_methods: vec![PMethod::Lau94],
        ..Default::default()
    };
    let r = cutpoint(&t, &e, &x, &o).unwrap().with_marker("m");
    let v = serde_json::to_value(&r).unwrap();
    for key in [
        "marker",
        "n",
        "cutpoint",
        "statistic",
        "p_values",
        "groups",
        "hr",
        "hr_lower",
        "hr_upper",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert!(v["p_values"].get("lau94").is_some());
    assert!(v["p_values"].get("lau92").is_none());
    assert_eq!(v["groups"][0]["group"], "low");
    assert_eq!(v["groups"][1]["group"], "high");
    assert!(v.get("profile").is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The search depends on the marker only through its order.
    #[test]
    fn monotone_transforms_do_not_change_the_search(
        data in prop::collection::vec((1u32..60, any::<bool>(), 0u32..25), 12..60)
    ) {
        let t: Vec<f64> = data.iter().map(|d| d.0 as f64).collect();
        let mut e: Vec<bool> = data.iter().map(|d| d.1).collect();
        e[0] = true;
        let x: Vec<f64> = data.iter().map(|d| d.2 as f64).collect();
        let y: Vec<f64> = x.iter().map(|v| (0.3 * v).exp() + 2.0).collect();
        let a = maxstat(&t, &e, &x, &MaxstatOptions::default());
        let b = maxstat(&t, &e, &y, &MaxstatOptions::default());
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert!((a.statistic - b.statistic).abs() <= 1e-12 * a.statistic.max(1.0));
                prop_assert_eq!(a.n_low, b.n_low);
                prop_assert_eq!(((0.3 * a.cutpoint).exp() + 2.0).to_bits(), b.cutpoint.to_bits());
            }
            (Err(a), Err(b)) => prop_assert_eq!(std::mem::discriminant(&a), std::mem::discriminant(&b)),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.is_ok(), b.is_ok()),
        }
    }

    /// Searching all splits, relabelling low and high (x -> -x) leaves
    /// every maximal statistic unchanged.
    #[test]
    fn relabelling_groups_leaves_the_maximum(
        data in prop::collection::vec((1u32..40, any::<bool>(), 0u32..15), 8..50)
    ) {
        let t: Vec<f64> = data.iter().map(|d| d.0 as f64).collect();
        let mut e: Vec<bool> = data.iter().map(|d| d.1).collect();
        e[0] = true;
        let x: Vec<f64> = data.iter().map(|d| d.2 as f64).collect();
        let neg: Vec<f64> = x.iter().map(|v| -v).collect();
        for st in [SplitStatistic::LogRank, SplitStatistic::Gehan, SplitStatistic::CoxScore] {
            let (Ok(a), Ok(b)) = (maxstat(&t, &e, &x, &all_splits(st)), maxstat(&t, &e, &neg, &all_splits(st))) else {
                continue;
            };
            prop_assert!((a.statistic - b.statistic).abs() <= 1e-9 * a.statistic.max(1.0), "{:?}", st);
            prop_assert_eq!(a.splits.len(), b.splits.len());
        }
    }

    /// Every P value is a probability, and none is below the P value of the
    /// best split taken alone.
    #[test]
    fn p_values_are_probabilities(
        data in prop::collection::vec((1u32..80, any::<bool>(), 0u32..40), 15..80)
    ) {
        let t: Vec<f64> = data.iter().map(|d| d.0 as f64).collect();
        let mut e: Vec<bool> = data.iter().map(|d| d.1).collect();
        e[0] = true;
        let x: Vec<f64> = data.iter().map(|d| d.2 as f64).collect();
        if let Ok(m) = maxstat(&t, &e, &x, &MaxstatOptions::default()) {
            let raw = m.p_min_raw();
            for p in [m.p_lau92().unwrap(), m.p_lau94(), m.p_exact_gauss()] {
                prop_assert!((0.0..=1.0).contains(&p));
                prop_assert!(p >= raw * (1.0 - 1e-9), "{} < {}", p, raw);
            }
            let hl = m.p_hl().unwrap();
            prop_assert!((0.0..=1.0).contains(&hl.p));
            let perm = m.p_permutation(200, 5).unwrap();
            prop_assert!(perm.p > 0.0 && perm.p <= 1.0);
        }
    }
}

/// The reason the crate never reports the raw minimum P (lib.rs): on null
/// data the best cutpoint's uncorrected P falls below 0.05 in about 40% of
/// data sets (Altman et al. 1994; R maxstat simulation in the crate docs:
/// 39.5%), while the corrected P keeps its level.
#[test]
fn raw_minimum_p_inflates_the_type_one_error_and_corrections_do_not() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1994);
    let sets = 400;
    let (mut raw, mut lau94, mut gauss) = (0, 0, 0);
    for _ in 0..sets {
        let n = 100;
        let t: Vec<f64> = (0..n).map(|_| -rng.gen::<f64>().max(1e-300).ln()).collect();
        let e: Vec<bool> = (0..n).map(|_| rng.gen::<f64>() < 0.8).collect();
        let x: Vec<f64> = (0..n).map(|_| rng.gen::<f64>()).collect();
        let m = maxstat(&t, &e, &x, &MaxstatOptions::default()).unwrap();
        raw += usize::from(m.p_min_raw() < 0.05);
        lau94 += usize::from(m.p_lau94() < 0.05);
        gauss += usize::from(m.p_exact_gauss() < 0.05);
    }
    let rate = |k: usize| k as f64 / sets as f64;
    // binomial standard errors at 400 sets: 0.024 around 0.4, 0.011 around 0.05
    assert!(
        (0.3..=0.5).contains(&rate(raw)),
        "raw minimum P: {}",
        rate(raw)
    );
    assert!(
        rate(lau94) <= 0.05 + tol::MC_SIGMAS * 0.011,
        "Lau94: {}",
        rate(lau94)
    );
    assert!(
        rate(gauss) <= 0.05 + tol::MC_SIGMAS * 0.011,
        "exact-Gauss: {}",
        rate(gauss)
    );
}
