//! Property tests of the Kaplan-Meier estimator (invariants that hold for
//! any data: style.md habit 7).

use oncomark_survival::km::{kaplan_meier, kaplan_meier_groups, ConfType, KmOptions};
use proptest::prelude::*;

/// Up to 60 subjects with times on a coarse grid (many ties), events and
/// one of three groups.
fn data() -> impl Strategy<Value = Vec<(f64, bool, u32)>> {
    prop::collection::vec((0u32..25, any::<bool>(), 0u32..3), 1..60).prop_map(|v| {
        v.into_iter()
            .map(|(t, e, g)| (t as f64 * 0.5, e, g))
            .collect()
    })
}

fn conf_type() -> impl Strategy<Value = ConfType> {
    prop_oneof![
        Just(ConfType::LogLog),
        Just(ConfType::Log),
        Just(ConfType::Plain)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn survival_is_non_increasing_in_unit_interval_and_inside_its_band(d in data(), ct in conf_type()) {
        let t: Vec<f64> = d.iter().map(|x| x.0).collect();
        let e: Vec<bool> = d.iter().map(|x| x.1).collect();
        let fit = kaplan_meier(&t, &e, &KmOptions { conf_type: ct, ..Default::default() }).unwrap();
        prop_assert_eq!(fit.n as usize, d.len());
        prop_assert_eq!(fit.steps[0].n_risk, fit.n);
        let mut prev = 1.0;
        let mut prev_t = f64::NEG_INFINITY;
        let mut ev = 0;
        let mut out = 0;
        for s in &fit.steps {
            prop_assert!(s.time > prev_t);
            prop_assert!(s.survival <= prev && s.survival >= 0.0);
            prop_assert_eq!(s.n_risk as usize, d.len() - out);
            if let (Some(lo), Some(hi)) = (s.lower, s.upper) {
                prop_assert!(0.0 <= lo && lo <= s.survival + 1e-12 && s.survival <= hi + 1e-12 && hi <= 1.0);
            }
            prev = s.survival;
            prev_t = s.time;
            ev += s.n_event;
            out += (s.n_event + s.n_censor) as usize;
        }
        prop_assert_eq!(ev, fit.events);
        prop_assert_eq!(out, d.len());
        if let Some(m) = fit.median {
            prop_assert!(fit.steps.iter().any(|s| s.survival <= 0.5 + 1e-8 && s.time <= m));
        }
    }

    #[test]
    fn fit_does_not_depend_on_row_order(d in data(), seed in any::<u64>()) {
        let t: Vec<f64> = d.iter().map(|x| x.0).collect();
        let e: Vec<bool> = d.iter().map(|x| x.1).collect();
        let mut idx: Vec<usize> = (0..d.len()).collect();
        // Fisher-Yates with a small LCG
        let mut s = seed | 1;
        for i in (1..idx.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            idx.swap(i, (s >> 33) as usize % (i + 1));
        }
        let tp: Vec<f64> = idx.iter().map(|&i| t[i]).collect();
        let ep: Vec<bool> = idx.iter().map(|&i| e[i]).collect();
        let o = KmOptions { times: vec![0.0, 3.0, 7.25, 20.0], rmst_tau: Some(6.0), ..Default::default() };
        prop_assert_eq!(kaplan_meier(&t, &e, &o).unwrap(), kaplan_meier(&tp, &ep, &o).unwrap());
    }

    #[test]
    fn grouped_fit_equals_fit_of_each_subset(d in data()) {
        let t: Vec<f64> = d.iter().map(|x| x.0).collect();
        let e: Vec<bool> = d.iter().map(|x| x.1).collect();
        let g: Vec<u32> = d.iter().map(|x| x.2).collect();
        let o = KmOptions::default();
        let r = kaplan_meier_groups(&t, &e, &g, &["a", "b", "c"], &o).unwrap();
        for fit in &r.groups {
            let k = ["a", "b", "c"].iter().position(|l| *l == fit.group).unwrap() as u32;
            let ts: Vec<f64> = d.iter().filter(|x| x.2 == k).map(|x| x.0).collect();
            let es: Vec<bool> = d.iter().filter(|x| x.2 == k).map(|x| x.1).collect();
            let mut one = kaplan_meier(&ts, &es, &o).unwrap();
            one.group = fit.group.clone();
            prop_assert_eq!(&one, fit);
        }
    }
}
