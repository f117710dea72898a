//! Random variates from a ChaCha8 stream, by inversion and Box-Muller, so
//! that a seed gives the same cohort on every platform and with every
//! version of the `rand` distribution code (only the ChaCha8 block function
//! of `rand_chacha` 0.3 is used).

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A ChaCha8 stream with the variates the simulator needs.
#[derive(Debug, Clone)]
pub(crate) struct Stream(ChaCha8Rng);

impl Stream {
    /// Stream number `stream` of generator `seed` (independent streams of
    /// the same key).
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(stream);
        Stream(r)
    }

    /// Uniform on [0, 1) with 53 random bits.
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform on [a, b).
    pub(crate) fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.uniform()
    }

    /// Uniform integer in `lo..=hi` (`lo <= hi`).
    pub(crate) fn int(&mut self, lo: i64, hi: i64) -> i64 {
        let n = (hi - lo + 1) as u64;
        lo + ((u128::from(self.0.next_u64()) * u128::from(n)) >> 64) as i64
    }

    /// `true` with probability `p`.
    pub(crate) fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Standard exponential, `-ln(1 - U)`.
    pub(crate) fn exp1(&mut self) -> f64 {
        -(1.0 - self.uniform()).ln()
    }

    /// Standard normal by Box-Muller (one of the pair).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Index drawn with probabilities proportional to `w`.
    pub(crate) fn categorical(&mut self, w: &[f64]) -> usize {
        let total: f64 = w.iter().sum();
        let mut u = self.uniform() * total;
        for (i, &x) in w.iter().enumerate() {
            if u < x {
                return i;
            }
            u -= x;
        }
        w.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<f64> = (0..5).map(|_| Stream::new(7, 1).uniform()).collect();
        let mut s = Stream::new(7, 1);
        let b: Vec<f64> = (0..5).map(|_| s.uniform()).collect();
        assert!(a.iter().all(|&x| x == a[0])); // fresh stream each time
        assert_eq!(a[0], b[0]);
        assert_ne!(Stream::new(7, 2).uniform(), b[0]);
    }

    #[test]
    fn moments_are_right() {
        // mean and variance of 20 000 draws within 5 standard errors
        let mut s = Stream::new(1, 0);
        let n = 20_000;
        let z: Vec<f64> = (0..n).map(|_| s.normal()).collect();
        let m = z.iter().sum::<f64>() / n as f64;
        let v = z.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
        assert!(m.abs() < 5.0 / (n as f64).sqrt(), "mean {m}");
        assert!((v - 1.0).abs() < 5.0 * (2.0 / n as f64).sqrt(), "var {v}");
        let e: f64 = (0..n).map(|_| s.exp1()).sum::<f64>() / n as f64;
        assert!((e - 1.0).abs() < 5.0 / (n as f64).sqrt(), "exp mean {e}");
        let k: Vec<i64> = (0..n).map(|_| s.int(-3, 3)).collect();
        assert!(k.iter().all(|&x| (-3..=3).contains(&x)));
        assert!(k.contains(&-3) && k.contains(&3));
    }
}
