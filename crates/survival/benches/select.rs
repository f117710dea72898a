//! Speed of stepwise selection on synthetic data.
//!
//! `cargo bench -p oncomark-survival --bench select [-- N]` (default
//! N = 100_000): 20 candidate factors (14 normal, 4 binary, 2 categorical
//! with 3 levels, i.e. 22 columns), 6 of them with a true effect;
//! exponential event times with hazard exp(x'beta), independent exponential
//! censoring (about 35 % censored), times rounded to 0.01 so that ties
//! occur; a seeded inline PRNG, so every run sees the same data. Prints the
//! time of the whole stepwise selection (SLENTRY = SLSTAY = 0.05, Efron),
//! its steps and the number of partial-likelihood evaluations it implies.

use oncomark_survival::cox::CoxData;
use oncomark_survival::select::{select, SelectOptions, Term};
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

fn simulate(n: usize) -> (CoxData, Vec<Term>) {
    let mut rng = Rng(20241129);
    let mut cols: Vec<Vec<f64>> = (0..22).map(|_| Vec::with_capacity(n)).collect();
    let mut time = Vec::with_capacity(n);
    let mut event = Vec::with_capacity(n);
    let mut x = [0.0; 22];
    for _ in 0..n {
        for v in x.iter_mut().take(14) {
            *v = rng.normal();
        }
        for v in x.iter_mut().skip(14).take(4) {
            *v = f64::from(u8::from(rng.unif() < 0.3));
        }
        for k in 0..2 {
            let u = rng.unif();
            x[18 + 2 * k] = f64::from(u8::from((0.4..0.7).contains(&u)));
            x[19 + 2 * k] = f64::from(u8::from(u >= 0.7));
        }
        // effects: two normals, one binary, one categorical, weak normals
        let eta = 0.3 * x[0] - 0.2 * x[1] + 0.05 * x[2] + 0.4 * x[14] + 0.25 * x[19] - 0.03 * x[3];
        let t = rng.exp() / eta.exp();
        let c = rng.exp() / 0.6;
        time.push((t.min(c) * 100.0).round() / 100.0);
        event.push(t <= c);
        for j in 0..22 {
            cols[j].push(x[j]);
        }
    }
    let mut names: Vec<String> = (0..14).map(|j| format!("z{j}")).collect();
    names.extend((0..4).map(|j| format!("b{j}")));
    for k in 0..2 {
        names.push(format!("g{k}_2"));
        names.push(format!("g{k}_3"));
    }
    let mut terms: Vec<Term> = (0..18)
        .map(|j| Term::new(names[j].clone(), vec![j]))
        .collect();
    terms.push(Term::new("g0", vec![18, 19]));
    terms.push(Term::new("g1", vec![20, 21]));
    let d = CoxData::new(&time, &event, &cols, &names).expect("valid data");
    (d, terms)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let t0 = Instant::now();
    let (d, terms) = simulate(n);
    println!(
        "n = {n}, events = {}, {} factors, {} columns: simulated in {:.2?}",
        d.events(),
        terms.len(),
        d.p(),
        t0.elapsed()
    );
    let t1 = Instant::now();
    let s = select(&d, &terms, &SelectOptions::default()).expect("selection");
    let el = t1.elapsed();
    for st in &s.steps {
        println!(
            "  step {:2} {:6?} {:6} {:5?} chisq {:10.3} df {} p {:.3e}",
            st.step, st.action, st.term, st.test, st.statistic, st.df, st.p
        );
    }
    println!(
        "stepwise selection: {} steps, {} rounds of tests, stop: {:?}; {:.2?}",
        s.steps.len(),
        s.rounds.len(),
        s.stop_reason,
        el
    );
}
