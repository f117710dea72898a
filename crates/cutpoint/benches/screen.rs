//! Timing of the cutpoint kernels (a plain binary: `harness = false`).
//!
//!     cargo bench -p oncomark-cutpoint --bench screen
//!     cargo bench -p oncomark-cutpoint --bench screen -- quick        (no n = 10^4; 2 000 markers)
//!     cargo bench -p oncomark-cutpoint --bench screen -- screen-only  (only the screen)
//!
//! Synthetic data, fixed seeds: exponential survival whose hazard rises
//! with the first marker, uniform censoring, normal markers.

use std::time::Instant;

use oncomark_cutpoint::screen::{screen, MarkerSource, ScreenOptions};
use oncomark_cutpoint::{maxstat, MaxstatOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box-Muller
    let u1: f64 = rng.gen::<f64>().max(1e-300);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn survival(n: usize, seed: u64) -> (Vec<f64>, Vec<bool>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
    let mut time = Vec::with_capacity(n);
    let mut event = Vec::with_capacity(n);
    for &xi in &x {
        let t = -rng.gen::<f64>().max(1e-300).ln() / (0.1 * (0.3 * xi).exp());
        let c = rng.gen::<f64>() * 20.0;
        time.push((t.min(c) * 30.0).round() + 1.0);
        event.push(t <= c);
    }
    (time, event, x)
}

/// Markers generated on demand from (seed, marker index): one column alive
/// per thread, as a file-backed provider would be.
struct Synthetic {
    n: usize,
    p: usize,
}

impl MarkerSource for Synthetic {
    fn n_markers(&self) -> usize {
        self.p
    }
    fn name(&self, j: usize) -> String {
        format!("g{j:05}")
    }
    fn fill(&self, j: usize, out: &mut [f64]) {
        let mut rng = ChaCha8Rng::seed_from_u64(1000 + j as u64);
        for o in out.iter_mut().take(self.n) {
            *o = normal(&mut rng);
        }
    }
}

fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let v = f();
    println!("{label:<58} {:>10.3} ms", t.elapsed().as_secs_f64() * 1e3);
    v
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let screen_only = std::env::args().any(|a| a == "screen-only");
    println!("threads: {} (rayon)\n", rayon::current_num_threads());
    let ns: &[usize] = if screen_only {
        &[]
    } else if quick {
        &[100, 1000]
    } else {
        &[100, 1000, 10_000]
    };
    let opts = MaxstatOptions::default();
    for &n in ns {
        let (t, e, x) = survival(n, 7);
        let m = time(&format!("maxstat search + Lau94, n = {n}"), || {
            let m = maxstat(&t, &e, &x, &opts).expect("search");
            let _ = m.p_lau94();
            m
        });
        println!(
            "    statistic {:.4}, {} splits, Lau94 P {:.3e}",
            m.statistic,
            m.splits.len(),
            m.p_lau94()
        );
        let p = time(&format!("permutation P, B = 10^4, n = {n}"), || {
            m.p_permutation(10_000, 1).expect("permutation")
        });
        println!("    P = {:.4e} ({} exceedances)", p.p, p.exceed);
        if n >= 1000 {
            let g = time(&format!("exact-Gauss P, n = {n}"), || m.p_exact_gauss());
            println!("    P = {g:.6e} (Lau94 {:.6e})", m.p_lau94());
        }
    }
    if !screen_only && !quick {
        // a null marker at n = 10^4: exact-Gauss against permutation
        let (t, e, _) = survival(10_000, 10);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let x: Vec<f64> = (0..10_000).map(|_| normal(&mut rng)).collect();
        let m = maxstat(&t, &e, &x, &opts).expect("search");
        let g = time("exact-Gauss P, n = 10^4, null marker", || m.p_exact_gauss());
        let p = time("permutation P, B = 10^4, n = 10^4, null marker", || {
            m.p_permutation(10_000, 3).expect("permutation")
        });
        println!(
            "    statistic {:.4}: exact-Gauss {g:.5}, permutation {:.5} ± {:.5}, Lau94 {:.5}",
            m.statistic,
            p.p,
            p.mc_se,
            m.p_lau94()
        );
    }
    if !screen_only {
        let (t, e, x) = survival(300, 8);
        let m = maxstat(&t, &e, &x, &opts).expect("search");
        let hl = time("Hothorn-Lausen (R HL) P, n = 300", || m.p_hl());
        match hl {
            Ok(h) => println!(
                "    P = {:.6e} (exact-Gauss {:.6e})",
                h.p,
                m.p_exact_gauss()
            ),
            Err(e) => println!("    {e}"),
        }
    }
    {
        let p = if quick { 2000 } else { 20_000 };
        let (t, e, _) = survival(1000, 9);
        let src = Synthetic { n: 1000, p };
        time(
            &format!("  (generating the {p} synthetic columns alone)"),
            || {
                use rayon::prelude::*;
                (0..p)
                    .into_par_iter()
                    .map_init(
                        || vec![0.0; 1000],
                        |buf, j| {
                            src.fill(j, buf);
                            buf[0]
                        },
                    )
                    .sum::<f64>()
            },
        );
        let r = time(
            &format!("screen 1000 patients x {p} markers (Cox, quartiles, best cut, Lau94, BH)"),
            || screen(&t, &e, &src, &ScreenOptions::default(), None).expect("screen"),
        );
        let sig = r
            .rows
            .iter()
            .filter(|row| row.best_q.is_some_and(|q| q < 0.05))
            .count();
        println!(
            "    {} rows, {} with best-cut q < 0.05 (all markers are null)",
            r.rows.len(),
            sig
        );
    }
}
