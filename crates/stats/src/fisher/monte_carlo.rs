//! Monte Carlo P value of Fisher's exact test, for tables too large for the
//! exact network algorithm (R `fisher.test(simulate.p.value = TRUE)`).

use serde::Serialize;

use crate::error::{Result, StatsError};
use crate::table::ContingencyTable;

/// Result of [`fisher_monte_carlo`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FisherMonteCarlo {
    /// Estimated P value `(1 + #{as or less probable}) / (B + 1)`.
    pub p: f64,
    /// Monte Carlo standard error of `p`, `sqrt(p (1 - p) / B)`.
    pub se: f64,
    /// Number of simulated tables `B`.
    pub replicates: u64,
    /// Seed of the generator (the same seed gives the same P value).
    pub seed: u64,
}

/// splitmix64: small, fast, seedable; statistically adequate for shuffling.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform integer in `0..n` (Lemire's multiply-shift, rejection-free
    /// bias below 2^-32 for the table sizes used here).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 32).wrapping_mul(n as u64) >> 32) as usize
    }
}

/// `sum_ij log(x_ij!)` of a table given as flat counts.
fn log_fact_sum(cells: &[u32], lf: &[f64]) -> f64 {
    cells.iter().map(|&c| lf[c as usize]).sum()
}

/// Monte Carlo P value of Fisher's exact test of independence.
///
/// Tables with the observed margins are drawn from their null
/// (multiple hypergeometric) distribution by shuffling the column labels of
/// the `N` subjects and dealing them to the rows, which gives every
/// arrangement its exact conditional probability. A simulated table counts
/// when its probability is at most the observed table's, i.e. when
/// `sum log x_ij!` is at least the observed value (with R's relative
/// tolerance `64 eps`). The estimate is `(1 + count) / (B + 1)`, which is
/// never 0 (Davison & Hinkley 1997, ch. 4; R `fisher.test` with
/// `simulate.p.value = TRUE`, which draws tables by Patefield's algorithm
/// instead: the distribution is the same, the random streams differ).
///
/// # Errors
/// [`StatsError::TableTooSmall`], [`StatsError::EmptyTable`], and
/// [`StatsError::InvalidParameter`] for `replicates = 0`.
///
/// # Example
/// ```
/// use oncomark_stats::{fisher_exact, fisher_monte_carlo, ContingencyTable, FisherOptions};
/// let t = ContingencyTable::new(vec![vec![3, 4, 0], vec![0, 2, 5]]).unwrap();
/// let exact = fisher_exact(&t, &FisherOptions::default()).unwrap().p; // 0.01340326
/// let mc = fisher_monte_carlo(&t, 20_000, 1).unwrap();
/// assert!((mc.p - exact).abs() < 4.0 * mc.se + 1e-4);
/// ```
pub fn fisher_monte_carlo(
    table: &ContingencyTable,
    replicates: u64,
    seed: u64,
) -> Result<FisherMonteCarlo> {
    table.require_testable()?;
    if replicates == 0 {
        return Err(StatsError::InvalidParameter {
            what: "replicates",
            value: 0.0,
            reason: "give at least 1 simulated table (e.g. 100000)",
        });
    }
    let counts = table.counts();
    let rows = table.row_totals();
    let cols = table.col_totals();
    let n = table.total() as usize;
    let mut lf = vec![0.0f64; n + 1];
    for k in 1..=n {
        lf[k] = lf[k - 1] + (k as f64).ln();
    }
    let nc = cols.len();
    let observed: Vec<u32> = counts.iter().flatten().map(|&c| c as u32).collect();
    let stat_obs = log_fact_sum(&observed, &lf);
    // R: counts tables with -sum lfact <= STATISTIC / (1 + 64 eps); in our
    // sign convention, sum lfact >= observed * (1 - 64 eps) for a positive
    // observed sum.
    let threshold = stat_obs - 64.0 * f64::EPSILON * stat_obs.abs();
    let mut labels: Vec<u32> = Vec::with_capacity(n);
    for (j, &c) in cols.iter().enumerate() {
        labels.extend(std::iter::repeat_n(j as u32, c as usize));
    }
    let mut rng = SplitMix(seed ^ 0x6F6E_636F_6D61_726B);
    let mut cells = vec![0u32; rows.len() * nc];
    let mut hits: u64 = 0;
    for _ in 0..replicates {
        // Fisher-Yates shuffle, then deal in row order.
        for i in (1..n).rev() {
            let k = rng.below(i + 1);
            labels.swap(i, k);
        }
        cells.iter_mut().for_each(|c| *c = 0);
        let mut pos = 0usize;
        for (i, &r) in rows.iter().enumerate() {
            for &l in &labels[pos..pos + r as usize] {
                cells[i * nc + l as usize] += 1;
            }
            pos += r as usize;
        }
        if log_fact_sum(&cells, &lf) >= threshold {
            hits += 1;
        }
    }
    let p = (1.0 + hits as f64) / (replicates as f64 + 1.0);
    Ok(FisherMonteCarlo {
        p,
        se: (p * (1.0 - p) / replicates as f64).sqrt(),
        replicates,
        seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fisher_exact, FisherOptions};

    #[test]
    fn agrees_with_the_exact_p_within_monte_carlo_error() {
        // Exact P values from fisher_exact (itself checked against R 4.2.2).
        for counts in [
            vec![vec![3, 4, 0], vec![0, 2, 5]],
            vec![vec![4, 19], vec![25, 30]],
            vec![vec![2, 3, 4], vec![5, 1, 2], vec![3, 3, 6]],
        ] {
            let t = ContingencyTable::new(counts).unwrap();
            let exact = fisher_exact(&t, &FisherOptions::default()).unwrap().p;
            let mc = fisher_monte_carlo(&t, 40_000, 7).unwrap();
            assert!(
                (mc.p - exact).abs() < 4.0 * mc.se + 1.0 / 40_000.0,
                "mc {} vs exact {exact}",
                mc.p
            );
        }
    }

    #[test]
    fn same_seed_same_p_and_zero_replicates_is_an_error() {
        let t = ContingencyTable::new(vec![vec![5, 1, 2], vec![1, 6, 2]]).unwrap();
        let a = fisher_monte_carlo(&t, 2_000, 3).unwrap();
        let b = fisher_monte_carlo(&t, 2_000, 3).unwrap();
        assert_eq!(a, b);
        assert!(fisher_monte_carlo(&t, 0, 3).is_err());
    }
}
