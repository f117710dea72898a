//! Property tests of the log-rank family (invariants that hold for any
//! data: style.md habit 7).

use oncomark_survival::logrank::{logrank, logrank_stratified, LogrankOptions};
use oncomark_testkit::{close, tol};
use proptest::prelude::*;

/// Up to 60 subjects: time on a coarse grid (ties), event, group of 3, stratum of 2.
fn data() -> impl Strategy<Value = Vec<(f64, bool, u32, u32)>> {
    prop::collection::vec((0u32..20, any::<bool>(), 0u32..3, 0u32..2), 2..60).prop_map(|v| {
        v.into_iter()
            .map(|(t, e, g, s)| (t as f64, e, g, s))
            .collect()
    })
}

fn rho() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(1.0), Just(0.5)]
}

fn cols(d: &[(f64, bool, u32, u32)]) -> (Vec<f64>, Vec<bool>, Vec<u32>, Vec<u32>) {
    (
        d.iter().map(|x| x.0).collect(),
        d.iter().map(|x| x.1).collect(),
        d.iter().map(|x| x.2).collect(),
        d.iter().map(|x| x.3).collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn statistic_is_invariant_to_relabelling_groups(d in data(), rho in rho(), perm in 0usize..6) {
        let (t, e, g, _) = cols(&d);
        let perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        let p = perms[perm];
        let labels = ["a", "b", "c"];
        let relabelled: Vec<&str> = (0..3).map(|k| labels[p[k]]).collect();
        // group k of the first call is called labels[k]; in the second the
        // same subjects carry code p^-1 so that their label is unchanged
        let inv: Vec<u32> = (0..3).map(|k| p.iter().position(|&x| x == k).unwrap() as u32).collect();
        let g2: Vec<u32> = g.iter().map(|&k| inv[k as usize]).collect();
        let opts = LogrankOptions { rho };
        match (logrank(&t, &e, &g, &labels, &opts), logrank(&t, &e, &g2, &relabelled, &opts)) {
            (Ok(a), Ok(b)) => {
                prop_assert!(close(a.statistic, b.statistic, 1e-9), "{} vs {}", a.statistic, b.statistic);
                prop_assert_eq!(a.df, b.df);
                for ga in &a.groups {
                    let gb = b.groups.iter().find(|x| x.group == ga.group).unwrap();
                    prop_assert_eq!(ga.n, gb.n);
                    prop_assert!(close(ga.observed, gb.observed, tol::EXACT));
                    prop_assert!(close(ga.expected, gb.expected, tol::EXACT));
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "one failed: {:?} / {:?}", a, b),
        }
    }

    #[test]
    fn statistic_is_invariant_to_row_order(d in data(), rho in rho(), seed in any::<u64>()) {
        let (t, e, g, s) = cols(&d);
        let mut idx: Vec<usize> = (0..d.len()).collect();
        let mut x = seed | 1;
        for i in (1..idx.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            idx.swap(i, (x >> 33) as usize % (i + 1));
        }
        let pick = |v: &Vec<u32>| idx.iter().map(|&i| v[i]).collect::<Vec<u32>>();
        let tp: Vec<f64> = idx.iter().map(|&i| t[i]).collect();
        let ep: Vec<bool> = idx.iter().map(|&i| e[i]).collect();
        let labels = ["a", "b", "c"];
        let opts = LogrankOptions { rho };
        let a = logrank_stratified(&t, &e, &g, &labels, &s, &opts);
        let b = logrank_stratified(&tp, &ep, &pick(&g), &labels, &pick(&s), &opts);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert!(close(a.statistic, b.statistic, 1e-9));
                prop_assert_eq!(a.groups.len(), b.groups.len());
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "one failed: {:?} / {:?}", a, b),
        }
    }

    #[test]
    fn observed_equals_expected_in_total_and_variance_rows_sum_to_zero(d in data(), rho in rho()) {
        let (t, e, g, s) = cols(&d);
        if let Ok(r) = logrank_stratified(&t, &e, &g, &["a", "b", "c"], &s, &LogrankOptions { rho }) {
            let o: f64 = r.groups.iter().map(|x| x.observed).sum();
            let ex: f64 = r.groups.iter().map(|x| x.expected).sum();
            prop_assert!((o - ex).abs() <= 1e-9 * o.max(1.0));
            for row in &r.variance {
                let sum: f64 = row.iter().sum();
                let scale: f64 = row.iter().map(|x| x.abs()).sum();
                prop_assert!(sum.abs() <= 1e-12 * scale.max(1.0));
            }
            prop_assert!(r.statistic >= -1e-12);
            prop_assert!((0.0..=1.0).contains(&r.p));
        }
    }

    #[test]
    fn one_stratum_equals_unstratified(d in data(), rho in rho()) {
        let (t, e, g, _) = cols(&d);
        let one = vec![4u32; t.len()];
        let labels = ["a", "b", "c"];
        let opts = LogrankOptions { rho };
        match (logrank(&t, &e, &g, &labels, &opts), logrank_stratified(&t, &e, &g, &labels, &one, &opts)) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.statistic, b.statistic);
                prop_assert_eq!(a.groups, b.groups);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "one failed: {:?} / {:?}", a, b),
        }
    }
}
