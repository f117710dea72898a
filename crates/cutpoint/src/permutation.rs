//! Conditional Monte-Carlo (permutation) P values, seeded, parallel and
//! deterministic whatever the number of threads.
//!
//! Replicate `r` draws its permutation from its own ChaCha8 stream
//! (`seed`, stream `r`), so its outcome does not depend on which thread
//! runs it or in which order; the count of exceedances is a sum of
//! integers, so the P value is bit-identical across thread counts.

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::maxstat::{CoxScoreKernel, Inner};
use crate::SplitStatistic;

/// A permutation P value with its Monte-Carlo bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PermutationP {
    /// `(1 + exceed) / (1 + replicates)`: never 0, and a valid P value
    /// (Phipson & Smyth 2010, Stat Appl Genet Mol Biol 9:39).
    pub p: f64,
    /// Replicates whose maximal statistic reached the observed one.
    pub exceed: usize,
    /// Number of permutations drawn.
    pub replicates: usize,
    /// The seed of the random streams.
    pub seed: u64,
    /// Monte-Carlo standard error `sqrt(p (1 − p) / replicates)`.
    pub mc_se: f64,
}

/// A random stream that depends only on `(seed, replicate)`.
pub(crate) fn stream(seed: u64, replicate: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(replicate);
    rng
}

/// Relative tolerance under which a permuted maximum counts as reaching
/// the observed one (guards against rounding in the partial sums).
const TIE_REL: f64 = 1e-12;

pub(crate) fn permutation_p(
    inner: &Inner,
    kind: SplitStatistic,
    observed: f64,
    replicates: usize,
    seed: u64,
) -> PermutationP {
    let threshold = observed * (1.0 - TIE_REL);
    let n = inner.scores_marker.len();
    let last = *inner.sizes.last().unwrap_or(&0);
    let exceed: usize = match kind {
        SplitStatistic::CoxScore => {
            let kernel = CoxScoreKernel::new(&inner.surv, &inner.scores_time);
            (0..replicates as u64)
                .into_par_iter()
                .map_init(
                    || inner.pos_by_marker.clone(),
                    |buf, r| {
                        buf.copy_from_slice(&inner.pos_by_marker);
                        let mut rng = stream(seed, r);
                        for j in 0..last.min(n - 1) {
                            let k = rng.gen_range(j..n);
                            buf.swap(j, k);
                        }
                        let st = kernel.stats(buf, &inner.sizes);
                        usize::from(st.iter().any(|&t| t >= threshold))
                    },
                )
                .sum()
        }
        SplitStatistic::LogRank | SplitStatistic::Gehan => (0..replicates as u64)
            .into_par_iter()
            .map_init(
                || inner.scores_marker.clone(),
                |buf, r| {
                    buf.copy_from_slice(&inner.scores_marker);
                    let mut rng = stream(seed, r);
                    let mut acc = 0.0;
                    let mut idx = 0;
                    for j in 0..last {
                        let k = rng.gen_range(j..n);
                        buf.swap(j, k);
                        acc += buf[j];
                        if j + 1 == inner.sizes[idx] {
                            if ((acc - inner.expect[idx]) / inner.sd[idx]).abs() >= threshold {
                                return 1;
                            }
                            idx += 1;
                        }
                    }
                    0
                },
            )
            .sum(),
    };
    let p = (1 + exceed) as f64 / (1 + replicates) as f64;
    PermutationP {
        p,
        exceed,
        replicates,
        seed,
        mc_se: (p * (1.0 - p) / replicates.max(1) as f64).sqrt(),
    }
}
