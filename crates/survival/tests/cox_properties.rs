//! Invariants of the Cox partial likelihood on random small data sets with
//! ties, censoring and strata: the score is the gradient of the log partial
//! likelihood, the information is minus the Jacobian of the score (checked
//! by central finite differences), and nothing depends on the row order.

use oncomark_survival::cox::{fit, CoxData, CoxOptions, CoxProblem, Ties};
use proptest::prelude::*;

/// Finite-difference agreement: central differences with step 1e-5 carry
/// a truncation error of about 1e-10 |f'''| and a rounding error of about
/// 1e-16 |f| / 1e-5; 1e-5 relative (absolute near 0) leaves a wide margin.
const FD_TOL: f64 = 1e-5;
const FD_STEP: f64 = 1e-5;
/// Row order changes only the order of floating-point sums.
const ORDER_TOL: f64 = 1e-8;

#[derive(Debug, Clone)]
struct Case {
    time: Vec<f64>,
    event: Vec<bool>,
    cols: Vec<Vec<f64>>,
    strata: Option<Vec<u32>>,
    beta: Vec<f64>,
    ties: Ties,
}

impl Case {
    fn data(&self) -> CoxData {
        let names: Vec<String> = (0..self.cols.len()).map(|j| format!("x{j}")).collect();
        let d = CoxData::new(&self.time, &self.event, &self.cols, &names).unwrap();
        match &self.strata {
            Some(s) => d.with_strata(s).unwrap(),
            None => d,
        }
    }
    fn permuted(&self, keys: &[u32]) -> Case {
        let mut idx: Vec<usize> = (0..self.time.len()).collect();
        idx.sort_by_key(|&i| (keys[i % keys.len()], i));
        Case {
            time: idx.iter().map(|&i| self.time[i]).collect(),
            event: idx.iter().map(|&i| self.event[i]).collect(),
            cols: self
                .cols
                .iter()
                .map(|c| idx.iter().map(|&i| c[i]).collect())
                .collect(),
            strata: self
                .strata
                .as_ref()
                .map(|s| idx.iter().map(|&i| s[i]).collect()),
            beta: self.beta.clone(),
            ties: self.ties,
        }
    }
}

fn case() -> impl Strategy<Value = Case> {
    (4usize..30, 1usize..4, any::<bool>(), 0u8..3).prop_flat_map(|(n, p, strat, t)| {
        let ties = [Ties::Efron, Ties::Breslow, Ties::Exact][t as usize];
        (
            prop::collection::vec(1u8..8, n),
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec(prop::collection::vec(-20i32..20, n), p),
            prop::collection::vec(0u32..2, n),
            prop::collection::vec(-1.0f64..1.0, p),
        )
            .prop_map(move |(t, mut e, x, s, beta)| {
                e[0] = true; // at least one event
                Case {
                    time: t.iter().map(|&v| v as f64).collect(),
                    event: e,
                    cols: x
                        .iter()
                        .map(|c| c.iter().map(|&v| v as f64 / 10.0).collect())
                        .collect(),
                    strata: strat.then_some(s),
                    beta,
                    ties,
                }
            })
    })
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn score_is_gradient_and_information_is_minus_hessian(c in case()) {
        let pr = CoxProblem::new(&c.data(), c.ties).unwrap();
        let p = c.beta.len();
        let e = pr.eval(&c.beta).unwrap();
        for j in 0..p {
            let mut bp = c.beta.clone();
            let mut bm = c.beta.clone();
            bp[j] += FD_STEP;
            bm[j] -= FD_STEP;
            let ep = pr.eval(&bp).unwrap();
            let em = pr.eval(&bm).unwrap();
            let fd = (ep.loglik - em.loglik) / (2.0 * FD_STEP);
            prop_assert!(close(e.score[j], fd, FD_TOL),
                "{:?}: score[{j}] = {} but finite difference {}", c.ties, e.score[j], fd);
            for k in 0..p {
                let fdk = -(ep.score[k] - em.score[k]) / (2.0 * FD_STEP);
                prop_assert!(close(e.information[k * p + j], fdk, FD_TOL),
                    "{:?}: I[{k},{j}] = {} but finite difference {}",
                    c.ties, e.information[k * p + j], fdk);
            }
        }
    }

    #[test]
    fn row_order_does_not_matter(c in case(), keys in prop::collection::vec(any::<u32>(), 1..40)) {
        let c2 = c.permuted(&keys);
        let pr1 = CoxProblem::new(&c.data(), c.ties).unwrap();
        let pr2 = CoxProblem::new(&c2.data(), c.ties).unwrap();
        let e1 = pr1.eval(&c.beta).unwrap();
        let e2 = pr2.eval(&c.beta).unwrap();
        prop_assert!(close(e1.loglik, e2.loglik, ORDER_TOL));
        for (a, b) in e1.score.iter().zip(&e2.score) {
            prop_assert!(close(*a, *b, ORDER_TOL));
        }
        for (a, b) in e1.information.iter().zip(&e2.information) {
            prop_assert!(close(*a, *b, ORDER_TOL));
        }
        prop_assert_eq!(pr1.concordance(&c.beta).unwrap(), pr2.concordance(&c.beta).unwrap());
        let o = CoxOptions { ties: c.ties, ..CoxOptions::default() };
        let f1 = fit(&c.data(), &o).unwrap();
        let f2 = fit(&c2.data(), &o).unwrap();
        prop_assert!(close(f1.loglik_null, f2.loglik_null, ORDER_TOL));
        // a fit on degenerate data (singular or infinite terms) may take a
        // different path when sums are rounded in another order; compare
        // the rest only for clean fits
        if f1.warnings.is_empty() && f2.warnings.is_empty() {
            prop_assert_eq!(f1.concordance_counts, f2.concordance_counts);
            prop_assert!(close(f1.tests.score.statistic, f2.tests.score.statistic, 1e-6));
            prop_assert!(close(f1.loglik, f2.loglik, ORDER_TOL));
            for (a, b) in f1.terms.iter().zip(&f2.terms) {
                prop_assert!(close(a.coef.unwrap(), b.coef.unwrap(), 1e-6),
                    "{:?} vs {:?}", a.coef, b.coef);
            }
        }
    }

    #[test]
    fn breslow_efron_exact_agree_without_ties(
        n in 3usize..25, x in prop::collection::vec(-2.0f64..2.0, 25),
        b in -1.0f64..1.0, cens in prop::collection::vec(any::<bool>(), 25),
    ) {
        // distinct times: the three tie methods are the same likelihood
        // 37 and 101 are coprime: i * 37 mod 101 are distinct for i < 101
        let time: Vec<f64> = (0..n).map(|i| (i * 37 % 101) as f64 + 1.0).collect();
        let mut event: Vec<bool> = cens[..n].to_vec();
        event[0] = true;
        let d = CoxData::new(&time, &event, &[x[..n].to_vec()], &["x"]).unwrap();
        let es: Vec<_> = [Ties::Efron, Ties::Breslow, Ties::Exact]
            .iter()
            .map(|&t| CoxProblem::new(&d, t).unwrap().eval(&[b]).unwrap())
            .collect();
        for e in &es[1..] {
            prop_assert!(close(e.loglik, es[0].loglik, 1e-10));
            prop_assert!(close(e.score[0], es[0].score[0], 1e-10));
            prop_assert!(close(e.information[0], es[0].information[0], 1e-10));
        }
    }
}

/// Strata are separate risk sets: the stratified log-likelihood, score and
/// information are the sums of those of each stratum alone. Large enough
/// (60 000 rows, 7 strata) that the strata are evaluated in parallel.
#[test]
fn stratified_likelihood_is_the_sum_over_strata() {
    let n = 60_000;
    let mut s = 12345u64;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s >> 33
    };
    let time: Vec<f64> = (0..n).map(|_| (next() % 500) as f64).collect();
    let event: Vec<bool> = (0..n).map(|_| next() % 10 < 7).collect();
    let x1: Vec<f64> = (0..n)
        .map(|_| (next() % 1000) as f64 / 250.0 - 2.0)
        .collect();
    let x2: Vec<f64> = (0..n).map(|_| (next() % 2) as f64).collect();
    let strata: Vec<u32> = (0..n).map(|_| (next() % 7) as u32 * 3).collect();
    let beta = [0.3, -0.5];
    for ties in [Ties::Efron, Ties::Breslow] {
        let d = CoxData::new(&time, &event, &[x1.clone(), x2.clone()], &["x1", "x2"])
            .unwrap()
            .with_strata(&strata)
            .unwrap();
        let all = CoxProblem::new(&d, ties).unwrap().eval(&beta).unwrap();
        let mut sum = (0.0, [0.0; 2], [0.0; 4]);
        for k in 0..7u32 {
            let rows: Vec<usize> = (0..n).filter(|&i| strata[i] == 3 * k).collect();
            let pick = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
            let ev: Vec<bool> = rows.iter().map(|&i| event[i]).collect();
            let dk =
                CoxData::new(&pick(&time), &ev, &[pick(&x1), pick(&x2)], &["x1", "x2"]).unwrap();
            let e = CoxProblem::new(&dk, ties).unwrap().eval(&beta).unwrap();
            sum.0 += e.loglik;
            for j in 0..2 {
                sum.1[j] += e.score[j];
            }
            for j in 0..4 {
                sum.2[j] += e.information[j];
            }
        }
        assert!(close(all.loglik, sum.0, ORDER_TOL), "{ties:?}");
        for j in 0..2 {
            assert!(close(all.score[j], sum.1[j], ORDER_TOL), "{ties:?}");
        }
        for j in 0..4 {
            assert!(close(all.information[j], sum.2[j], ORDER_TOL), "{ties:?}");
        }
    }
}
