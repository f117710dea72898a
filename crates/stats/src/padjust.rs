//! Adjustment of P values for multiple comparisons, as R `p.adjust`.

use serde::Serialize;

use crate::error::{Result, StatsError};

/// A multiplicity adjustment (R `p.adjust` method names in serde).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PAdjustMethod {
    /// Bonferroni: `min(1, n p)`.
    #[serde(rename = "bonferroni")]
    Bonferroni,
    /// Holm (1979) step-down.
    #[serde(rename = "holm")]
    Holm,
    /// Hochberg (1988) step-up.
    #[serde(rename = "hochberg")]
    Hochberg,
    /// Benjamini & Hochberg (1995) false discovery rate.
    #[serde(rename = "BH")]
    BenjaminiHochberg,
    /// Benjamini & Yekutieli (2001) FDR under dependence.
    #[serde(rename = "BY")]
    BenjaminiYekutieli,
}

/// Adjust P values for multiple comparisons, as R `p.adjust` (R 4.2.2).
///
/// With `n` values sorted ascending, `p_(1) <= ... <= p_(n)`:
///
/// - Bonferroni: `min(1, n p_i)`;
/// - Holm: `min(1, max_{j <= i} (n - j + 1) p_(j))`;
/// - Hochberg: `min(1, min_{j >= i} (n - j + 1) p_(j))`;
/// - BH: `min(1, min_{j >= i} n / j p_(j))`;
/// - BY: as BH times `q = sum_{k=1}^n 1/k`.
///
/// Results are returned in the input order. Ties are handled as R (a
/// stable order; tied values get equal adjusted values).
///
/// # Errors
/// [`StatsError::InvalidPValue`] for a value outside `[0, 1]` or NaN.
///
/// # Example
/// ```
/// use oncomark_stats::{p_adjust, PAdjustMethod};
/// // R 4.2.2: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") and "BH"
/// let p = [0.01, 0.04, 0.03, 0.005];
/// let holm = p_adjust(&p, PAdjustMethod::Holm).unwrap();
/// for (a, b) in holm.iter().zip([0.03, 0.06, 0.06, 0.02]) { assert!((a - b).abs() < 1e-15); }
/// let bh = p_adjust(&p, PAdjustMethod::BenjaminiHochberg).unwrap();
/// for (a, b) in bh.iter().zip([0.02, 0.04, 0.04, 0.02]) { assert!((a - b).abs() < 1e-15); }
/// ```
pub fn p_adjust(p: &[f64], method: PAdjustMethod) -> Result<Vec<f64>> {
    if let Some(index) = p.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(StatsError::InvalidPValue {
            index,
            value: p[index],
        });
    }
    let n = p.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let nf = n as f64;
    let mut out = vec![0.0; n];
    // indices in ascending order of p (stable)
    let mut asc: Vec<usize> = (0..n).collect();
    asc.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    // R orders decreasing with order(p, decreasing = TRUE), also stable
    let mut desc: Vec<usize> = (0..n).collect();
    desc.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    match method {
        PAdjustMethod::Bonferroni => {
            for (o, &v) in out.iter_mut().zip(p) {
                *o = (nf * v).min(1.0);
            }
        }
        PAdjustMethod::Holm => {
            let mut run = 0.0f64;
            for (i, &idx) in asc.iter().enumerate() {
                run = run.max((nf - i as f64) * p[idx]);
                out[idx] = run.min(1.0);
            }
        }
        PAdjustMethod::Hochberg
        | PAdjustMethod::BenjaminiHochberg
        | PAdjustMethod::BenjaminiYekutieli => {
            let q: f64 = match method {
                PAdjustMethod::BenjaminiYekutieli => (1..=n).map(|k| 1.0 / k as f64).sum(),
                _ => 1.0,
            };
            let mut run = f64::INFINITY;
            for (pos, &idx) in desc.iter().enumerate() {
                // i = n, n - 1, ..., 1 is the ascending rank of this value
                let i = (n - pos) as f64;
                let factor = match method {
                    PAdjustMethod::Hochberg => nf - i + 1.0,
                    _ => q * nf / i,
                };
                run = run.min(factor * p[idx]);
                out[idx] = run.min(1.0);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjusted_values_are_monotone_in_p_and_not_below_p() {
        let p = [0.2, 0.001, 0.04, 0.04, 0.9, 0.013];
        for m in [
            PAdjustMethod::Bonferroni,
            PAdjustMethod::Holm,
            PAdjustMethod::Hochberg,
            PAdjustMethod::BenjaminiHochberg,
            PAdjustMethod::BenjaminiYekutieli,
        ] {
            let a = p_adjust(&p, m).unwrap();
            for i in 0..p.len() {
                assert!(a[i] >= p[i] && a[i] <= 1.0);
                for j in 0..p.len() {
                    if p[i] <= p[j] {
                        assert!(a[i] <= a[j], "{m:?} not monotone");
                    }
                }
            }
            assert_eq!(a[2], a[3], "{m:?}: ties get equal values");
        }
    }

    #[test]
    fn rejects_bad_values_and_accepts_empty() {
        assert_eq!(
            p_adjust(&[0.1, 1.5], PAdjustMethod::Holm),
            Err(StatsError::InvalidPValue {
                index: 1,
                value: 1.5
            })
        );
        assert!(p_adjust(&[f64::NAN], PAdjustMethod::Holm).is_err());
        assert!(p_adjust(&[], PAdjustMethod::BenjaminiHochberg)
            .unwrap()
            .is_empty());
    }
}
