//! Closed-form P values for a maximally selected statistic and the Altman
//! correction of a minimum P.
//!
//! All of them return a number in `[0, 1]` computed from normal tail areas
//! (`erfc`), never as `1 - cdf`, so that small P values keep their relative
//! accuracy.

use crate::normal::{dnorm, p_two_sided, qnorm};
use crate::CutpointError;

/// Lausen & Schumacher (1992) approximation (R `maxstat::pLausen92`), from
/// Miller & Siegmund (1982): for a maximally selected standardized
/// statistic `b` over cutpoints with a low-group proportion in
/// `[ε₁, ε₂]`,
///
/// ```text
/// P(M > b) ≈ 4 φ(b)/b + φ(b) (b − 1/b) log( ε₂(1 − ε₁) / ((1 − ε₂) ε₁) ),
/// ```
///
/// set to 1 for `b < 1` and clamped to `[0, 1]` (the formula exceeds 1 just
/// above `b = 1`).
///
/// References: Miller R, Siegmund D (1982) Biometrics 38:1011-1016;
/// Lausen B, Schumacher M (1992) Biometrics 48:73-85.
///
/// # Errors
/// [`CutpointError::BadProportions`] unless `0 < min_prop < max_prop < 1`
/// (the logarithm needs both strictly inside).
///
/// # Example
/// ```
/// // R 4.2.2, maxstat 0.7-25: pLausen92(3, 0.1, 0.9) = 0.0578438845692
/// let p = oncomark_cutpoint::p_lausen92(3.0, 0.1, 0.9)?;
/// assert!((p - 0.0578438845692).abs() < 1e-12);
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn p_lausen92(b: f64, min_prop: f64, max_prop: f64) -> Result<f64, CutpointError> {
    // written so that NaN proportions fail too
    if !(min_prop > 0.0 && min_prop < max_prop && max_prop < 1.0) {
        return Err(CutpointError::BadProportions {
            min_prop,
            max_prop,
            reason: "the Lausen-Schumacher 1992 formula needs 0 < min_prop < max_prop < 1",
        });
    }
    Ok(lausen92_unchecked(b, min_prop, max_prop))
}

pub(crate) fn lausen92_unchecked(b: f64, min_prop: f64, max_prop: f64) -> f64 {
    if b.is_nan() {
        return f64::NAN;
    }
    if b < 1.0 {
        return 1.0;
    }
    let db = dnorm(b);
    let l = ((max_prop * (1.0 - min_prop)) / ((1.0 - max_prop) * min_prop)).ln();
    (4.0 * db / b + db * (b - 1.0 / b) * l).clamp(0.0, 1.0)
}

/// Lausen, Sauerbrei & Schumacher (1994) improved Bonferroni bound (R
/// `maxstat::pLausen94`) for a statistic maximized over splits with
/// low-group sizes `m_1 < m_2 < … < m_k` out of `n`:
///
/// ```text
/// P(M > b) ≈ 2 Φ(−b) + Σ_{i<k} (1/π) e^{−b²/2} ( t_i − (b²/4 − 1) t_i³ / 6 ),
/// t_i = sqrt( 1 − m_i (n − m_{i+1}) / ((n − m_i) m_{i+1}) ).
/// ```
///
/// Each sum term approximates the probability of exceeding `b` at split
/// `i + 1` but not at split `i` (Worsley 1982). R adds the terms as they
/// are, so the bound exceeds 1 on small samples and turns negative when a
/// large `b` meets widely spaced splits (the cubic correction overwhelms
/// the linear term); here each term is floored at 0 (a probability) and the
/// sum clamped to at most 1. Whenever R's terms are all non-negative and
/// its total is below 1, the two agree.
///
/// `sizes` must be the candidate low-group sizes in increasing order (the
/// splits actually searched, as R passes `m = m`). Use
/// [`p_lausen94_props`] for R's default, every size from `⌊n ε₁⌋` to
/// `⌊n ε₂⌋`.
///
/// Reference: Lausen B, Sauerbrei W, Schumacher M (1994) "Classification
/// and regression trees (CART) used for the exploration of prognostic
/// factors measured on different scales", in Dirschedl & Ostermann (eds),
/// Computational Statistics, 483-496.
///
/// # Errors
/// [`CutpointError::BadOption`] if `sizes` is not strictly increasing
/// inside `1..n`.
///
/// # Example
/// ```
/// // every size from 10 to 90 of n = 100
/// let m: Vec<usize> = (10..=90).collect();
/// let p = oncomark_cutpoint::p_lausen94(3.0, 100, &m)?;
/// // R 4.2.2, maxstat 0.7-25: pLausen94(3, 100, 0.1, 0.9) = 0.0666010275473
/// assert!((p - 0.0666010275473).abs() < 1e-12);
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn p_lausen94(b: f64, n: usize, sizes: &[usize]) -> Result<f64, CutpointError> {
    for (i, &m) in sizes.iter().enumerate() {
        if m == 0 || m >= n || (i > 0 && m <= sizes[i - 1]) {
            return Err(CutpointError::BadOption {
                what: "sizes",
                value: m as f64,
                reason: "split sizes must increase strictly and lie in 1..n",
            });
        }
    }
    Ok(lausen94_unchecked(b, n, sizes))
}

/// [`p_lausen94`] over every low-group size from `⌊n ε₁⌋` to `⌊n ε₂⌋`
/// (R's default `m`; sizes 0 and n are dropped).
///
/// # Errors
/// [`CutpointError::BadProportions`] unless `0 <= min_prop <= max_prop <= 1`.
///
/// # Example
/// ```
/// let p = oncomark_cutpoint::p_lausen94_props(3.0, 100, 0.1, 0.9)?;
/// assert!((p - 0.0666010275473).abs() < 1e-12);
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn p_lausen94_props(
    b: f64,
    n: usize,
    min_prop: f64,
    max_prop: f64,
) -> Result<f64, CutpointError> {
    if !(min_prop >= 0.0 && min_prop <= max_prop && max_prop <= 1.0) {
        return Err(CutpointError::BadProportions {
            min_prop,
            max_prop,
            reason: "need 0 <= min_prop <= max_prop <= 1",
        });
    }
    let lo = ((n as f64 * min_prop).floor() as usize).max(1);
    let hi = ((n as f64 * max_prop).floor() as usize).min(n.saturating_sub(1));
    let m: Vec<usize> = (lo..=hi).collect();
    Ok(lausen94_unchecked(b, n, &m))
}

pub(crate) fn lausen94_unchecked(b: f64, n: usize, sizes: &[usize]) -> f64 {
    if b.is_nan() {
        return f64::NAN;
    }
    let nf = n as f64;
    let e = (-0.5 * b * b).exp() / std::f64::consts::PI;
    let c = (b * b / 4.0 - 1.0) / 6.0;
    let mut d = 0.0;
    if e > 0.0 {
        for w in sizes.windows(2) {
            let (m1, m2) = (w[0] as f64, w[1] as f64);
            let t2 = 1.0 - m1 * (nf - m2) / ((nf - m1) * m2);
            let t = t2.max(0.0).sqrt();
            d += (e * t * (1.0 - c * t2)).max(0.0);
        }
    }
    (p_two_sided(b) + d).clamp(0.0, 1.0)
}

/// Altman et al. (1994) correction of a minimum P value for a search over
/// cutpoints with low-group proportions in `[ε, 1 − ε]`:
///
/// ```text
/// P_cor = φ(z) (z − 1/z) log((1 − ε)²/ε²) + 4 φ(z)/z,   z = Φ⁻¹(1 − P_min/2).
/// ```
///
/// (This is [`p_lausen92`] at `b = z` with symmetric proportions.) For
/// `ε = 10%` Altman et al. give the approximation
/// `P_cor ≈ −1.63 P (1 + 2.35 ln P)` and for `ε = 5%`
/// `P_cor ≈ −3.13 P (1 + 1.65 ln P)`, both valid for `0.0001 < P < 0.1`;
/// see [`altman_corrected_approx`].
///
/// The result is clamped to `[P_min, 1]`: a correction for searching can
/// only raise a P value (the formula dips below `P_min` when `P_min` is
/// close to 1, where `z < 1`).
///
/// Reference: Altman DG, Lausen B, Sauerbrei W, Schumacher M (1994)
/// "Dangers of using 'optimal' cutpoints in the evaluation of prognostic
/// factors", J Natl Cancer Inst 86:829-835.
///
/// # Errors
/// [`CutpointError::BadOption`] unless `0 <= p_min <= 1` and `0 < ε < 0.5`.
///
/// # Example
/// ```
/// use oncomark_cutpoint::{altman_corrected, altman_corrected_approx};
/// let exact = altman_corrected(0.01, 0.1)?;
/// let approx = altman_corrected_approx(0.01, 0.1)?;
/// // the published 10% approximation is within a few percent
/// assert!((exact - approx).abs() / exact < 0.05);
/// assert!(exact > 0.01);
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn altman_corrected(p_min: f64, eps: f64) -> Result<f64, CutpointError> {
    check_altman(p_min, eps)?;
    if p_min == 0.0 {
        return Ok(0.0);
    }
    let z = qnorm_upper_half(p_min);
    Ok(lausen92_unchecked(z, eps, 1.0 - eps).clamp(p_min, 1.0))
}

/// The published one-line approximations of [`altman_corrected`]:
/// `−1.63 P (1 + 2.35 ln P)` for `ε = 0.10` and `−3.13 P (1 + 1.65 ln P)`
/// for `ε = 0.05` (Altman et al. 1994, J Natl Cancer Inst 86:829-835),
/// clamped to `[P, 1]`.
///
/// # Errors
/// [`CutpointError::BadOption`] unless `ε` is 0.05 or 0.10 and
/// `0 <= p_min <= 1`.
///
/// # Example
/// ```
/// let p = oncomark_cutpoint::altman_corrected_approx(0.001, 0.1)?;
/// // -1.63 * 0.001 * (1 + 2.35 * ln 0.001)
/// assert!((p - 0.0248301566).abs() < 1e-9);
/// # Ok::<(), oncomark_cutpoint::CutpointError>(())
/// ```
pub fn altman_corrected_approx(p_min: f64, eps: f64) -> Result<f64, CutpointError> {
    check_altman(p_min, eps)?;
    let (a, c) = if (eps - 0.10).abs() < 1e-12 {
        (1.63, 2.35)
    } else if (eps - 0.05).abs() < 1e-12 {
        (3.13, 1.65)
    } else {
        return Err(CutpointError::BadOption {
            what: "eps",
            value: eps,
            reason:
                "the published approximations exist for 0.05 and 0.10 only; use altman_corrected",
        });
    };
    if p_min == 0.0 {
        return Ok(0.0);
    }
    Ok((-a * p_min * (1.0 + c * p_min.ln())).clamp(p_min, 1.0))
}

fn check_altman(p_min: f64, eps: f64) -> Result<(), CutpointError> {
    if !(0.0..=1.0).contains(&p_min) {
        return Err(CutpointError::BadOption {
            what: "p_min",
            value: p_min,
            reason: "a P value lies in [0, 1]",
        });
    }
    if !(eps > 0.0 && eps < 0.5) {
        return Err(CutpointError::BadOption {
            what: "eps",
            value: eps,
            reason: "the searched proportions are [eps, 1 - eps] with 0 < eps < 0.5",
        });
    }
    Ok(())
}

/// `z` with `P(|Z| > z) = p`, accurate for tiny `p`.
pub(crate) fn qnorm_upper_half(p: f64) -> f64 {
    -qnorm(p / 2.0)
}
