//! Speed of the Cox fit on synthetic data.
//!
//! `cargo bench -p oncomark-survival --bench cox [-- N]` (default
//! N = 1_000_000): p = 5 covariates (normal, uniform, binary), exponential
//! event times with hazard exp(x'beta), independent exponential censoring
//! (about 30% censored), times rounded to 0.01 so that ties occur; seeded
//! inline PRNG, so every run sees the same data. Prints the time of each
//! stage and of whole fits, Efron and Breslow (best of 3 runs each).
//! `RAYON_NUM_THREADS=1` shows the single-threaded figures.

use oncomark_survival::cox::{fit, CoxData, CoxOptions, CoxProblem, Ties};
use std::time::Instant;

/// splitmix64: a small, good-enough seeded generator.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform on (0, 1).
    fn unif(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn exp(&mut self) -> f64 {
        -self.unif().ln()
    }
    fn normal(&mut self) -> f64 {
        (-2.0 * self.unif().ln()).sqrt() * (std::f64::consts::TAU * self.unif()).cos()
    }
}

fn simulate(n: usize) -> CoxData {
    let mut rng = Rng(20240607);
    let beta = [0.5, -0.3, 0.2, 0.8, -0.1];
    let mut cols: Vec<Vec<f64>> = (0..5).map(|_| Vec::with_capacity(n)).collect();
    let mut time = Vec::with_capacity(n);
    let mut event = Vec::with_capacity(n);
    for _ in 0..n {
        let x = [
            rng.normal(),
            rng.normal(),
            rng.unif() * 4.0 - 2.0,
            (rng.unif() < 0.4) as u8 as f64,
            rng.normal() * 2.0 + 1.0,
        ];
        let eta: f64 = x.iter().zip(&beta).map(|(a, b)| a * b).sum();
        let t = rng.exp() / eta.exp();
        let c = rng.exp() / 0.45;
        time.push(((t.min(c)) * 100.0).round() / 100.0);
        event.push(t <= c);
        for j in 0..5 {
            cols[j].push(x[j]);
        }
    }
    CoxData::new(&time, &event, &cols, &["a", "b", "c", "d", "e"]).expect("valid data")
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let t0 = Instant::now();
    let data = simulate(n);
    let cens = data.event().iter().filter(|&&e| !e).count() as f64 / n as f64;
    println!(
        "cox bench: n = {n}, p = 5, censored {:.1}%, simulated in {:.3} s",
        100.0 * cens,
        t0.elapsed().as_secs_f64()
    );
    let opts = CoxOptions::default();
    for ties in [Ties::Efron, Ties::Breslow] {
        let o = CoxOptions {
            ties,
            ..opts.clone()
        };
        // best of 3 for each stage
        let mut best = [f64::INFINITY; 6];
        let mut iters = 0;
        let mut cstat = f64::NAN;
        for _ in 0..3 {
            let t = Instant::now();
            let pr = CoxProblem::new(&data, ties).expect("prepare");
            let t_prep = t.elapsed().as_secs_f64();
            let b = vec![0.0; 5];
            let t = Instant::now();
            std::hint::black_box(pr.eval(&b).expect("eval"));
            let t_eval = t.elapsed().as_secs_f64();
            let t = Instant::now();
            std::hint::black_box(pr.concordance(&[0.5, -0.3, 0.2, 0.8, -0.1]).expect("C"));
            let t_conc = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let f = pr.fit(&o).expect("fit");
            let t_nr = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let f2 = fit(&data, &o).expect("fit");
            let t_all = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let no_c = CoxOptions {
                concordance: false,
                ..o.clone()
            };
            std::hint::black_box(fit(&data, &no_c).expect("fit"));
            let t_noc = t.elapsed().as_secs_f64();
            iters = f.iterations;
            cstat = f2.concordance.unwrap_or(f64::NAN);
            for (b, v) in best
                .iter_mut()
                .zip([t_all, t_prep, t_eval, t_conc, t_nr, t_noc])
            {
                *b = b.min(v);
            }
        }
        println!(
            "{ties:?}: fit {:.3} s in all ({:.3} s without the concordance) = prepare {:.3} s + fit of the prepared problem {:.3} s ({iters} iterations, one evaluation {:.4} s, concordance {:.4} s); C = {cstat:.4}",
            best[0], best[5], best[1], best[4], best[2], best[3]
        );
    }
}
