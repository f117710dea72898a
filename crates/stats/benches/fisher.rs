//! Timing of Fisher's exact test (run with `cargo bench -p oncomark-stats
//! --bench fisher`). A plain binary (`harness = false`): each table is
//! tested a few times and the median wall time printed, with R 4.2.2's P
//! value for comparison (`fisher.test`, workspace = 2e8 where the default
//! 200000 fails).

// reference values are pasted as R prints them (17 significant digits)
#![allow(clippy::excessive_precision)]

use std::time::{Duration, Instant};

use oncomark_stats::{fisher_exact, ContingencyTable, FisherOptions};

fn main() {
    // (name, rows, R's P value or NaN when R cannot do it)
    let cases: Vec<(&str, Vec<Vec<u64>>, f64)> = vec![
        (
            "2x2 GBSG2 n=686",
            vec![vec![126, 63], vec![314, 183]],
            0.42321853621490102,
        ),
        (
            "3x3 n=300",
            vec![vec![40, 28, 33], vec![30, 37, 36], vec![35, 31, 30]],
            0.55987577189226678,
        ),
        (
            "2x6 n=500",
            vec![vec![40, 38, 42, 44, 47, 36], vec![45, 50, 35, 41, 39, 43]],
            0.55744991454153958,
        ),
        (
            "4x5 n=100",
            vec![
                vec![6, 3, 5, 7, 4],
                vec![4, 6, 5, 3, 6],
                vec![5, 4, 6, 5, 4],
                vec![7, 5, 4, 6, 5],
            ],
            0.9777274649049561,
        ),
        (
            "5x5 n=50",
            vec![
                vec![5, 1, 0, 2, 1],
                vec![1, 4, 3, 0, 2],
                vec![0, 2, 6, 1, 0],
                vec![1, 0, 1, 5, 3],
                vec![2, 1, 0, 2, 7],
            ],
            0.0001012768360964968,
        ),
        (
            "5x5 n=76",
            vec![
                vec![8, 2, 1, 2, 1],
                vec![2, 6, 3, 1, 3],
                vec![1, 3, 9, 2, 1],
                vec![1, 1, 2, 8, 4],
                vec![2, 1, 0, 3, 9],
            ],
            1.2650332306830469e-05,
        ),
        (
            "5x5 diagonal n=289",
            vec![
                vec![50, 5, 1, 0, 0],
                vec![4, 45, 5, 1, 0],
                vec![1, 6, 50, 6, 1],
                vec![0, 1, 5, 48, 5],
                vec![0, 0, 1, 4, 50],
            ],
            f64::NAN,
        ),
    ];
    let opts = FisherOptions::default();
    random_tables(&opts);
    for (name, rows, want) in cases {
        let t = ContingencyTable::new(rows).expect("valid table");
        let mut times = Vec::new();
        let mut p = f64::NAN;
        let mut err = None;
        for _ in 0..5 {
            let start = Instant::now();
            match fisher_exact(&t, &opts) {
                Ok(r) => p = r.p,
                Err(e) => err = Some(e.to_string()),
            }
            times.push(start.elapsed());
            if start.elapsed() > Duration::from_secs(2) {
                break;
            }
        }
        times.sort();
        let median = times[times.len() / 2];
        match err {
            None => println!(
                "{name:<22} p = {p:.12e} (R {want:.12e})  median {:>10.3} ms",
                median.as_secs_f64() * 1e3
            ),
            Some(e) => println!(
                "{name:<22} error after {:.3} ms: {e}",
                median.as_secs_f64() * 1e3
            ),
        }
    }
}

/// Random tables with uniform cell probabilities (a fixed linear
/// congruential generator, so runs are comparable): for each shape and
/// total, the median and largest time over 10 tables and how many hit the
/// work limit.
fn random_tables(opts: &FisherOptions) {
    let mut state: u64 = 20240501;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for (r, c, n) in [(3, 3, 300), (4, 4, 60), (5, 5, 30), (5, 5, 45), (5, 5, 60)] {
        let mut times = Vec::new();
        let mut too_large = 0;
        for _ in 0..10 {
            let mut rows = vec![vec![0u64; c]; r];
            for _ in 0..n {
                let k = next() % (r * c);
                rows[k / c][k % c] += 1;
            }
            let t = ContingencyTable::new(rows).expect("valid table");
            let start = Instant::now();
            if fisher_exact(&t, opts).is_err() {
                too_large += 1;
            }
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "random {r}x{c} n={n:<4} (10 tables) median {:>9.3} ms, max {:>9.3} ms, {too_large} over the work limit",
            times[5].as_secs_f64() * 1e3,
            times[9].as_secs_f64() * 1e3
        );
    }
}
