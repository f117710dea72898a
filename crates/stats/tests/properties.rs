//! Invariants of the tests, checked on random input with proptest (modest
//! case counts: the suite runs in debug on a shared 2-core machine).

use oncomark_stats::*;
use oncomark_testkit::{assert_close, tol};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        ..ProptestConfig::default()
    }
}

/// Random tables with 2-4 rows and columns and small counts.
fn small_table() -> impl Strategy<Value = Vec<Vec<u64>>> {
    (2usize..=4, 2usize..=4)
        .prop_flat_map(|(r, c)| prop::collection::vec(prop::collection::vec(0u64..6, c), r))
}

fn transpose(t: &[Vec<u64>]) -> Vec<Vec<u64>> {
    (0..t[0].len())
        .map(|j| t.iter().map(|r| r[j]).collect())
        .collect()
}

/// Brute-force Fisher P: enumerate every table with the same margins.
fn brute_force_fisher(t: &[Vec<u64>], log_tol: f64) -> f64 {
    fn ln_fact(n: u64) -> f64 {
        (1..=n).map(|k| (k as f64).ln()).sum()
    }
    let rows: Vec<u64> = t.iter().map(|r| r.iter().sum()).collect();
    let cols: Vec<u64> = (0..t[0].len())
        .map(|j| t.iter().map(|r| r[j]).sum())
        .collect();
    let n: u64 = rows.iter().sum();
    let lnorm = rows.iter().chain(&cols).map(|&v| ln_fact(v)).sum::<f64>() - ln_fact(n);
    let logp = |tab: &[Vec<u64>]| lnorm - tab.iter().flatten().map(|&v| ln_fact(v)).sum::<f64>();
    let obs = logp(t);
    let mut total = 0.0;
    let mut cur: Vec<Vec<u64>> = Vec::new();
    fn rec(
        i: usize,
        rows: &[u64],
        cap: &mut Vec<u64>,
        cur: &mut Vec<Vec<u64>>,
        f: &mut dyn FnMut(&[Vec<u64>]),
    ) {
        if i == rows.len() {
            if cap.iter().all(|&c| c == 0) {
                f(cur);
            }
            return;
        }
        let mut x = vec![0u64; cap.len()];
        fn split(
            j: usize,
            left: u64,
            cap: &mut Vec<u64>,
            x: &mut Vec<u64>,
            i: usize,
            rows: &[u64],
            cur: &mut Vec<Vec<u64>>,
            f: &mut dyn FnMut(&[Vec<u64>]),
        ) {
            if j == cap.len() {
                if left == 0 {
                    for k in 0..cap.len() {
                        cap[k] -= x[k];
                    }
                    cur.push(x.clone());
                    rec(i + 1, rows, cap, cur, f);
                    cur.pop();
                    for k in 0..cap.len() {
                        cap[k] += x[k];
                    }
                }
                return;
            }
            for v in 0..=left.min(cap[j]) {
                x[j] = v;
                split(j + 1, left - v, cap, x, i, rows, cur, f);
            }
            x[j] = 0;
        }
        split(0, rows[i], cap, &mut x, i, rows, cur, f);
    }
    let mut cap = cols.clone();
    rec(0, &rows, &mut cap, &mut cur, &mut |tab| {
        let lp = logp(tab);
        if lp <= obs + log_tol {
            total += lp.exp();
        }
    });
    total
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fisher_rxc_matches_brute_force_and_ignores_orientation(t in small_table()) {
        let table = ContingencyTable::new(t.clone()).unwrap();
        prop_assume!(table.total() > 0);
        let opts = FisherOptions { mid_p: true, ..FisherOptions::default() };
        let r = fisher_exact(&table, &opts).unwrap();
        prop_assert!((0.0..=1.0).contains(&r.p));
        let mid = r.mid_p.unwrap();
        prop_assert!(mid <= r.p + 1e-15 && mid >= 0.5 * r.p - 1e-15);
        // brute force only where enumeration is cheap
        if !table.is_2x2() && table.total() <= 24 {
            let want = brute_force_fisher(&t, 3.45254e-7).min(1.0);
            assert_close("brute force", r.p, want, 1e-9);
            let strict = brute_force_fisher(&t, -3.45254e-7).min(1.0);
            assert_close("mid-P", mid, 0.5 * (want + strict), 1e-9);
        }
        // transposing and reversing rows do not change the P value
        let tt = ContingencyTable::new(transpose(&t)).unwrap();
        assert_close("transpose", fisher_exact(&tt, &opts).unwrap().p, r.p, 1e-9);
        let mut rev = t.clone();
        rev.reverse();
        let rt = ContingencyTable::new(rev).unwrap();
        assert_close("rows reversed", fisher_exact(&rt, &opts).unwrap().p, r.p, 1e-9);
    }

    #[test]
    fn fisher_2x2_interval_contains_estimate_and_flips_with_columns(
        a in 0u64..30, b in 0u64..30, c in 0u64..30, d in 0u64..30
    ) {
        prop_assume!(a + b + c + d > 0);
        let r = fisher_2x2([[a, b], [c, d]], &FisherOptions::default()).unwrap();
        let (or, lo, hi) = (r.odds_ratio.unwrap(), r.lower.unwrap(), r.upper.unwrap());
        prop_assert!(lo <= or && or <= hi, "{lo} {or} {hi}");
        // swapping the columns inverts the odds ratio and keeps P
        let s = fisher_2x2([[b, a], [d, c]], &FisherOptions { r_compatible_roots: false, ..Default::default() }).unwrap();
        let t = fisher_2x2([[a, b], [c, d]], &FisherOptions { r_compatible_roots: false, ..Default::default() }).unwrap();
        assert_close("P", s.p, t.p, 1e-12);
        let (so, to) = (s.odds_ratio.unwrap(), t.odds_ratio.unwrap());
        if so.is_finite() && so > 0.0 {
            assert_close("1/OR", so * to, 1.0, 1e-9);
        }
    }

    #[test]
    fn chi_square_and_g_ignore_orientation(t in small_table()) {
        let table = ContingencyTable::new(t.clone()).unwrap();
        prop_assume!(table.row_totals().iter().all(|&v| v > 0) && table.col_totals().iter().all(|&v| v > 0));
        let tt = ContingencyTable::new(transpose(&t)).unwrap();
        let (a, b) = (chi_square(&table, true).unwrap(), chi_square(&tt, true).unwrap());
        assert_close("X2", a.statistic + 1.0, b.statistic + 1.0, tol::EXACT);
        prop_assert!(a.statistic >= 0.0 && (0.0..=1.0).contains(&a.p));
        let (g1, g2) = (g_test(&table).unwrap(), g_test(&tt).unwrap());
        assert_close("G", g1.statistic + 1.0, g2.statistic + 1.0, tol::EXACT);
    }

    #[test]
    fn t_tests_are_antisymmetric(
        x in prop::collection::vec(-50.0f64..50.0, 2..12),
        y in prop::collection::vec(-50.0f64..50.0, 2..12),
    ) {
        for equal in [true, false] {
            let a = t_test_two_sample(&x, &y, equal, &TTestOptions::default());
            let b = t_test_two_sample(&y, &x, equal, &TTestOptions::default());
            if let (Ok(a), Ok(b)) = (a, b) {
                assert_close("t", a.statistic, -b.statistic, tol::EXACT);
                assert_close("p", a.p, b.p, 1e-12);
                prop_assert!(a.lower <= a.estimate && a.estimate <= a.upper);
            }
        }
    }

    #[test]
    fn rank_sum_is_antisymmetric_and_shift_invariant(
        x in prop::collection::vec(-20i32..20, 1..15),
        y in prop::collection::vec(-20i32..20, 1..15),
        shift in -5i32..5,
    ) {
        let xf: Vec<f64> = x.iter().map(|&v| v as f64 / 4.0).collect();
        let yf: Vec<f64> = y.iter().map(|&v| v as f64 / 4.0).collect();
        let o = RankTestOptions::default();
        let a = wilcoxon_rank_sum(&xf, &yf, &o).unwrap();
        let b = wilcoxon_rank_sum(&yf, &xf, &o).unwrap();
        assert_close("W + W'", a.statistic + b.statistic, (x.len() * y.len()) as f64, tol::EXACT);
        assert_close("p", a.p, b.p, 1e-12);
        prop_assert!((0.0..=1.0).contains(&a.p));
        // shifting both samples changes nothing
        let xs: Vec<f64> = xf.iter().map(|v| v + shift as f64).collect();
        let ys: Vec<f64> = yf.iter().map(|v| v + shift as f64).collect();
        let c = wilcoxon_rank_sum(&xs, &ys, &o).unwrap();
        assert_close("shift", c.p, a.p, 1e-12);
    }

    #[test]
    fn signed_rank_one_sided_p_values_are_complementary(
        x in prop::collection::vec(-100i32..100, 1..20),
    ) {
        // exact, untied: P(V >= v) + P(V <= v - 1) = 1
        let mut xf: Vec<f64> = x.iter().enumerate().map(|(i, &v)| v as f64 + 0.001 * i as f64 + 0.0005).collect();
        xf.dedup();
        let g = RankTestOptions { alternative: Alternative::Greater, ..Default::default() };
        let l = RankTestOptions { alternative: Alternative::Less, ..Default::default() };
        let (pg, pl) = (wilcoxon_signed_rank(&xf, &g).unwrap(), wilcoxon_signed_rank(&xf, &l).unwrap());
        if pg.exact {
            // P(V >= v) + P(V <= v) = 1 + P(V = v) >= 1
            prop_assert!(pg.p + pl.p >= 1.0 - 1e-12);
        }
    }

    #[test]
    fn p_adjust_is_monotone_and_bounded(p in prop::collection::vec(0.0f64..=1.0, 1..30)) {
        for m in [PAdjustMethod::Bonferroni, PAdjustMethod::Holm, PAdjustMethod::Hochberg,
                  PAdjustMethod::BenjaminiHochberg, PAdjustMethod::BenjaminiYekutieli] {
            let a = p_adjust(&p, m).unwrap();
            for i in 0..p.len() {
                prop_assert!(a[i] >= p[i] - 1e-15 && a[i] <= 1.0);
                for j in 0..p.len() {
                    if p[i] < p[j] {
                        prop_assert!(a[i] <= a[j] + 1e-15);
                    }
                }
            }
        }
        // Hochberg <= Holm <= Bonferroni; BH <= BY
        let holm = p_adjust(&p, PAdjustMethod::Holm).unwrap();
        let hoch = p_adjust(&p, PAdjustMethod::Hochberg).unwrap();
        let bonf = p_adjust(&p, PAdjustMethod::Bonferroni).unwrap();
        let bh = p_adjust(&p, PAdjustMethod::BenjaminiHochberg).unwrap();
        let by = p_adjust(&p, PAdjustMethod::BenjaminiYekutieli).unwrap();
        for i in 0..p.len() {
            prop_assert!(hoch[i] <= holm[i] + 1e-15 && holm[i] <= bonf[i] + 1e-15);
            prop_assert!(bh[i] <= by[i] + 1e-15);
        }
    }

    #[test]
    fn kappa_is_symmetric_in_the_raters_and_at_most_one(
        t in (2usize..=5).prop_flat_map(|k| prop::collection::vec(prop::collection::vec(0u64..8, k), k))
    ) {
        let table = ContingencyTable::new(t.clone()).unwrap();
        let tt = ContingencyTable::new(transpose(&t)).unwrap();
        for w in [KappaWeights::None, KappaWeights::Linear, KappaWeights::Quadratic] {
            if let (Ok(a), Ok(b)) = (cohen_kappa(&table, w, 0.95), cohen_kappa(&tt, w, 0.95)) {
                assert_close("kappa", a.kappa + 2.0, b.kappa + 2.0, tol::EXACT);
                assert_close("se", a.se + 1.0, b.se + 1.0, tol::EXACT);
                prop_assert!(a.kappa <= 1.0 + 1e-12);
                prop_assert!(a.lower <= a.kappa && a.kappa <= a.upper);
            }
        }
    }

    #[test]
    fn icc_is_invariant_to_location_and_scale(
        x in prop::collection::vec(prop::collection::vec(0.0f64..10.0, 3), 3..10),
        a in -5.0f64..5.0, b in 0.5f64..3.0,
    ) {
        let y: Vec<Vec<f64>> = x.iter().map(|r| r.iter().map(|v| a + b * v).collect()).collect();
        if let (Ok(p), Ok(q)) = (icc(&x, 0.95), icc(&y, 0.95)) {
            for (e, f) in p.estimates.iter().zip(&q.estimates) {
                assert_close(e.icc_type, e.icc + 2.0, f.icc + 2.0, 1e-9);
            }
        }
    }
}

#[test]
fn fisher_work_limit_is_a_clear_error() {
    // 5x5 with 289 observations: far beyond what R's FEXACT can do with its
    // default workspace; a small limit stops at once with a clear message.
    let t = ContingencyTable::new(vec![
        vec![50, 5, 1, 0, 0],
        vec![4, 45, 5, 1, 0],
        vec![1, 6, 50, 6, 1],
        vec![0, 1, 5, 48, 5],
        vec![0, 0, 1, 4, 50],
    ])
    .unwrap();
    let opts = FisherOptions {
        work_limit: 100_000,
        ..FisherOptions::default()
    };
    let e = fisher_exact(&t, &opts).unwrap_err();
    assert!(matches!(
        e,
        StatsError::FisherTooLarge {
            rows: 5,
            cols: 5,
            n: 289,
            limit: 100_000
        }
    ));
    let msg = e.to_string();
    assert!(msg.contains("5x5") && msg.contains("chi-square"), "{msg}");
}

#[test]
fn fisher_empty_rows_are_dropped() {
    // an empty row does not change the P value (R 4.2.2: 0.01340326 for
    // the table without it)
    let t = ContingencyTable::new(vec![vec![3, 4, 0], vec![0, 0, 0], vec![0, 2, 5]]).unwrap();
    let r = fisher_exact(&t, &FisherOptions::default()).unwrap();
    assert_close("P", r.p, 0.01340326, tol::printed_digits(7));
    // one non-empty row left: nothing to test, P = 1
    let one = ContingencyTable::new(vec![vec![0, 0, 0], vec![1, 2, 3]]).unwrap();
    assert_eq!(
        fisher_exact(&one, &FisherOptions::default()).unwrap().p,
        1.0
    );
}

#[test]
fn regression_mid_p_of_a_table_with_one_possible_arrangement_is_half() {
    // Found by proptest: with only one non-empty row the observed table is
    // the only one with its margins; P = 1 but mid-P = 0 + 1/2 (the network
    // used to return 1 for the strict tail as well).
    let opts = FisherOptions {
        mid_p: true,
        ..FisherOptions::default()
    };
    let one = ContingencyTable::new(vec![vec![0, 0, 0], vec![1, 2, 3]]).unwrap();
    let r = fisher_exact(&one, &opts).unwrap();
    assert_eq!((r.p, r.mid_p), (1.0, Some(0.5)));
    // the 2x2 path agrees
    let r2 = fisher_2x2([[3, 4], [0, 0]], &opts).unwrap();
    assert_eq!((r2.p, r2.mid_p), (1.0, Some(0.5)));
}
