//! The oncomark side of `bench/peers.sh`.
//!
//! `bench_peers gen N PATH`: write the synthetic benchmark data set (CSV:
//! time, status, group, x1..x5) that every peer reads. Exponential event
//! times with hazard exp(x'beta), exponential censoring (about 30%
//! censored), times rounded to 0.1 so that ties occur, seeded splitmix64
//! generator: the same N gives the same file on every machine.
//!
//! `bench_peers time PATH [REPS]`: read PATH with oncomark-data (timed),
//! then time in-process, best of REPS (default 5): Kaplan-Meier by group,
//! log-rank by group, Cox Efron on x1..x5. Prints one JSON line.

// The data crate's error carries file, row, column and value for the user;
// its size does not matter in a benchmark driver.
#![allow(clippy::result_large_err)]

use std::io::Write;
use std::time::Instant;

use oncomark_data::{FrameBuilder, ReadOptions, Table};
use oncomark_survival::cox::{fit, CoxData, CoxOptions};
use oncomark_survival::km::{kaplan_meier_groups, KmOptions};
use oncomark_survival::logrank::{logrank, LogrankOptions};

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

fn generate(n: usize, path: &str) -> std::io::Result<()> {
    let mut rng = Rng(20261129);
    let beta = [0.5, -0.3, 0.2, 0.8, -0.1];
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "time,status,group,x1,x2,x3,x4,x5")?;
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
        let time = ((t.min(c)) * 10.0).round() / 10.0;
        writeln!(
            w,
            "{},{},{},{:.4},{:.4},{:.4},{},{:.4}",
            time,
            (t <= c) as u8,
            if x[3] == 1.0 { "b" } else { "a" },
            x[0],
            x[1],
            x[2],
            x[3],
            x[4]
        )?;
    }
    w.flush()
}

fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..reps {
        let t0 = Instant::now();
        let r = f();
        best = best.min(t0.elapsed().as_secs_f64());
        last = Some(r);
    }
    (best, last.expect("reps >= 1"))
}

fn time_all(path: &str, reps: usize) -> Result<(), Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let table = Table::read(path.as_ref(), &ReadOptions::default())?;
    let read = t0.elapsed().as_secs_f64();
    let mut fb = FrameBuilder::new(&table);
    let t = fb.time("time")?;
    let e = fb.event("status", None)?;
    let g = fb.label("group")?;
    let xs = ["x1", "x2", "x3", "x4", "x5"]
        .iter()
        .map(|c| fb.numeric(c))
        .collect::<Result<Vec<_>, _>>()?;
    let frame = fb.build()?;
    let time = frame.time(t);
    let event = frame.event(e);
    let group: Vec<u32> = frame.label(g).iter().map(|l| (l == "b") as u32).collect();
    let labels = ["a", "b"];
    let cols: Vec<Vec<f64>> = xs.iter().map(|&v| frame.numeric(v).to_vec()).collect();
    let (km, r) = best(reps, || {
        kaplan_meier_groups(time, event, &group, &labels, &KmOptions::default())
    });
    r?;
    let (lr, r) = best(reps, || {
        logrank(time, event, &group, &labels, &LogrankOptions::default())
    });
    let chisq = r?.statistic;
    let (cox, r) = best(reps, || {
        CoxData::new(time, event, &cols, &["x1", "x2", "x3", "x4", "x5"])
            .and_then(|d| fit(&d, &CoxOptions::default()))
    });
    let f = r?;
    println!(
        "{{\"tool\":\"oncomark\",\"n\":{},\"read_csv\":{read:.4},\"km\":{km:.4},\"logrank\":{lr:.4},\"cox_efron\":{cox:.4},\"logrank_chisq\":{chisq:.6},\"cox_coef1\":{:.6},\"cox_loglik\":{:.4}}}",
        frame.n(),
        f.terms[0].coef.unwrap_or(f64::NAN),
        f.loglik
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") if args.len() == 3 => Ok(generate(args[1].parse()?, &args[2])?),
        Some("time") if args.len() >= 2 => {
            let reps = args.get(2).map_or(Ok(5), |s| s.parse())?;
            time_all(&args[1], reps)
        }
        _ => {
            eprintln!("usage: bench_peers gen N PATH | bench_peers time PATH [REPS]");
            std::process::exit(2)
        }
    }
}
