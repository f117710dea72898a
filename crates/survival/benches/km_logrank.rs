//! Timing of Kaplan-Meier and log-rank at registry scale.
//!
//! `cargo bench -p oncomark-survival --bench km_logrank -- [n] [reps]`
//! (default n = 1_000_000, reps = 5). Synthetic data: exponential times
//! (mean 700 days) rounded to whole days, two groups, 30% censoring, from
//! a seeded xorshift generator. Prints the best of `reps` wall-clock times
//! per step and the peak resident memory.

use std::hint::black_box;
use std::time::Instant;

use oncomark_survival::km::{kaplan_meier_groups, kaplan_meier_sorted, KmOptions};
use oncomark_survival::logrank::{logrank, logrank_sorted, LogrankOptions};
use oncomark_survival::order::{time_order, SortedSurv};

/// xorshift64* (Vigna 2016), enough for synthetic data.
struct Rng(u64);
impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
}

fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut b = f64::INFINITY;
    for _ in 0..reps {
        let t0 = Instant::now();
        black_box(f());
        b = b.min(t0.elapsed().as_secs_f64());
    }
    b
}

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let n: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let reps: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut time = Vec::with_capacity(n);
    let mut event = Vec::with_capacity(n);
    let mut group = Vec::with_capacity(n);
    for _ in 0..n {
        let g = (rng.next_f64() < 0.5) as u32;
        let mean = if g == 0 { 700.0 } else { 900.0 };
        time.push((-rng.next_f64().ln() * mean).round());
        event.push(rng.next_f64() >= 0.3);
        group.push(g);
    }
    let labels = ["control", "treated"];
    let km_opts = KmOptions {
        times: vec![365.0, 730.0],
        ..Default::default()
    };
    let lr_opts = LogrankOptions::default();

    let t_order = best(reps, || time_order(&time));
    let t_km = best(reps, || {
        kaplan_meier_groups(&time, &event, &group, &labels, &km_opts).unwrap()
    });
    let t_lr = best(reps, || {
        logrank(&time, &event, &group, &labels, &lr_opts).unwrap()
    });
    let t_both = best(reps, || {
        let s = SortedSurv::new(&time, &event, &group, 2).unwrap();
        let k = kaplan_meier_sorted(&s, &labels, &km_opts).unwrap();
        let l = logrank_sorted(&s, &labels, &lr_opts).unwrap();
        (k, l)
    });
    let sorted = SortedSurv::new(&time, &event, &group, 2).unwrap();
    let t_new = best(reps, || SortedSurv::new(&time, &event, &group, 2).unwrap());
    let t_km_s = best(reps, || {
        kaplan_meier_sorted(&sorted, &labels, &km_opts).unwrap()
    });
    let t_lr_s = best(reps, || logrank_sorted(&sorted, &labels, &lr_opts).unwrap());
    let km = kaplan_meier_groups(&time, &event, &group, &labels, &km_opts).unwrap();
    let lr = logrank(&time, &event, &group, &labels, &lr_opts).unwrap();
    println!("n = {n}, best of {reps}");
    println!("  time_order (radix sort)            {:8.4} s", t_order);
    println!("  kaplan_meier_groups (2 groups)     {:8.4} s", t_km);
    println!("  logrank (2 groups)                 {:8.4} s", t_lr);
    println!("  SortedSurv + KM + log-rank (shared) {:7.4} s", t_both);
    println!("    of which SortedSurv::new         {:8.4} s", t_new);
    println!("    of which kaplan_meier_sorted     {:8.4} s", t_km_s);
    println!("    of which logrank_sorted          {:8.4} s", t_lr_s);
    println!(
        "  check: {} steps, medians {:?} / {:?}, chi2 {:.2}",
        km.groups.iter().map(|g| g.steps.len()).sum::<usize>(),
        km.groups[0].median,
        km.groups[1].median,
        lr.statistic
    );
    if let Some(m) = peak_rss_mib() {
        println!("  peak resident memory               {m:8.0} MiB");
    }
}
