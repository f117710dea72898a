//! Shared small pieces: the alternative hypothesis, input checks, a root
//! finder and accurate distribution tails and quantiles.
//!
//! Tails are always computed directly (`sf` or the regularized incomplete
//! beta function of the upper tail), never as `1 - cdf`, so that small P
//! values keep their relative accuracy. Quantiles start from statrs'
//! inverse and are polished with Newton steps on the tail that is asked for.

use serde::Serialize;
use statrs::distribution::{
    ChiSquared, Continuous, ContinuousCDF, FisherSnedecor, Normal, StudentsT,
};
use statrs::function::beta::beta_reg;

use crate::error::{Result, StatsError};

/// The alternative hypothesis of a test, as R's `alternative` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Alternative {
    /// Two-sided (R `"two.sided"`, the default).
    #[default]
    #[serde(rename = "two.sided")]
    TwoSided,
    /// The true location shift, difference or odds ratio is less than the
    /// null value (R `"less"`).
    #[serde(rename = "less")]
    Less,
    /// ... greater than the null value (R `"greater"`).
    #[serde(rename = "greater")]
    Greater,
}

/// Check a confidence level.
pub(crate) fn check_conf_level(conf_level: f64) -> Result<()> {
    if conf_level.is_finite() && conf_level > 0.0 && conf_level < 1.0 {
        Ok(())
    } else {
        Err(StatsError::InvalidConfLevel(conf_level))
    }
}

/// Check that every value of a sample is finite.
pub(crate) fn check_finite(what: &'static str, x: &[f64]) -> Result<()> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(StatsError::NonFinite {
            what,
            index,
            value: x[index],
        }),
        None => Ok(()),
    }
}

/// `true` for NaN, zero and negative values (a denominator that cannot be
/// used).
pub(crate) fn not_positive(x: f64) -> bool {
    x.is_nan() || x <= 0.0
}

/// Mean and sample variance (denominator n - 1) by the two-pass algorithm.
pub(crate) fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    // second pass: corrected two-pass formula (Chan, Golub & LeVeque 1983)
    let (mut ss, mut comp) = (0.0, 0.0);
    for &v in x {
        let d = v - mean;
        ss += d * d;
        comp += d;
    }
    let var = if x.len() > 1 {
        (ss - comp * comp / n) / (n - 1.0)
    } else {
        f64::NAN
    };
    (mean, var)
}

/// Ranks with ties given their average rank (R `rank(ties.method =
/// "average")`), 1-based, and the sizes of the tie groups (R `table(r)`).
pub(crate) fn average_ranks(x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; n];
    let mut ties = Vec::new();
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && x[order[j]] == x[order[i]] {
            j += 1;
        }
        // positions i..j (0-based) share ranks i+1..=j
        let r = (i + 1 + j) as f64 / 2.0;
        for &o in &order[i..j] {
            ranks[o] = r;
        }
        ties.push(j - i);
        i = j;
    }
    (ranks, ties)
}

/// Brent's root finder (Brent 1973, *Algorithms for Minimization without
/// Derivatives*, ch. 4) on `[a, b]` where `f(a)` and `f(b)` have opposite
/// signs (or one is zero). Stops when the bracket is below
/// `2 eps |x| + tol / 2`.
pub(crate) fn brent_root(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64, tol: f64) -> f64 {
    let mut fa = f(a);
    let mut fb = f(b);
    if fa == 0.0 {
        return a;
    }
    if fb == 0.0 {
        return b;
    }
    let mut c = a;
    let mut fc = fa;
    let mut d = b - a;
    let mut e = d;
    for _ in 0..200 {
        if (fb > 0.0) == (fc > 0.0) {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol1 = 2.0 * f64::EPSILON * b.abs() + 0.5 * tol;
        let xm = 0.5 * (c - b);
        if xm.abs() <= tol1 || fb == 0.0 {
            return b;
        }
        if e.abs() >= tol1 && fa.abs() > fb.abs() {
            // inverse quadratic interpolation or secant
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                let qq = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * xm * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            }
            p = p.abs();
            let min1 = 3.0 * xm * q - (tol1 * q).abs();
            let min2 = (e * q).abs();
            if 2.0 * p < min1.min(min2) {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol1 { d } else { tol1.copysign(xm) };
        fb = f(b);
    }
    b
}

/// Polish a quantile `x0` of a continuous distribution so that its upper
/// tail `sf(x)` equals `a`, with Newton steps (`sf' = -pdf`).
fn polish_upper(sf: impl Fn(f64) -> f64, pdf: impl Fn(f64) -> f64, a: f64, x0: f64) -> f64 {
    let mut x = x0;
    for _ in 0..20 {
        let dens = pdf(x);
        if !(dens > 0.0 && dens.is_finite()) {
            break;
        }
        let step = (sf(x) - a) / dens;
        if !step.is_finite() {
            break;
        }
        let next = x + step;
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.abs().max(1e-300) {
            return next;
        }
        x = next;
    }
    x
}

/// Upper tail of the standard normal, `P(Z > z)`.
///
/// Computed as `P(chi2_1 > z^2) / 2` for `z >= 0`: statrs' normal tail goes
/// through its `erfc`, which is accurate to only about 1e-10 relative,
/// while its chi-square tail (the regularized incomplete gamma function)
/// matches R to about 1e-15.
pub(crate) fn norm_sf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    let half = 0.5 * chisq_sf(z * z, 1.0);
    if z >= 0.0 {
        half
    } else {
        1.0 - half
    }
}

/// Lower tail of the standard normal, `P(Z <= z)`.
pub(crate) fn norm_cdf(z: f64) -> f64 {
    norm_sf(-z)
}

/// `z` such that `P(Z > z) = a` (R `qnorm(a, lower.tail = FALSE)`).
pub(crate) fn norm_upper_quantile(a: f64) -> f64 {
    let n = Normal::standard();
    let x0 = -n.inverse_cdf(a);
    polish_upper(norm_sf, |x| n.pdf(x), a, x0)
}

/// Upper tail of Student's t with `df` degrees of freedom, `P(T > t)`.
pub(crate) fn t_sf(t: f64, df: f64) -> f64 {
    student(df).sf(t)
}

/// Lower tail of Student's t, `P(T <= t)`.
pub(crate) fn t_cdf(t: f64, df: f64) -> f64 {
    student(df).cdf(t)
}

/// `t` such that `P(T > t) = a` (R `qt(a, df, lower.tail = FALSE)`).
pub(crate) fn t_upper_quantile(a: f64, df: f64) -> f64 {
    let d = student(df);
    let x0 = d.inverse_cdf(1.0 - a);
    polish_upper(|x| d.sf(x), |x| d.pdf(x), a, x0)
}

fn student(df: f64) -> StudentsT {
    // df > 0 is guaranteed by every caller (n >= 2 or Welch df > 0)
    StudentsT::new(0.0, 1.0, df)
        .unwrap_or_else(|_| StudentsT::new(0.0, 1.0, f64::INFINITY).expect("standard normal limit"))
}

/// Upper tail of the chi-square distribution, `P(X > x)`.
pub(crate) fn chisq_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    match ChiSquared::new(df) {
        Ok(d) => d.sf(x),
        Err(_) => f64::NAN,
    }
}

/// Upper tail of the F distribution, `P(F > f)`, as
/// `I_{d2/(d2 + d1 f)}(d2/2, d1/2)` (no cancellation for large `f`).
pub(crate) fn f_sf(f: f64, d1: f64, d2: f64) -> f64 {
    if f.is_nan() {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    if f.is_infinite() {
        return 0.0;
    }
    beta_reg(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f))
}

/// `f` such that `P(F > f) = a` (R `qf(a, d1, d2, lower.tail = FALSE)`).
pub(crate) fn f_upper_quantile(a: f64, d1: f64, d2: f64) -> f64 {
    match FisherSnedecor::new(d1, d2) {
        Ok(d) => {
            let x0 = d.inverse_cdf(1.0 - a);
            polish_upper(|x| f_sf(x, d1, d2), |x| d.pdf(x), a, x0)
        }
        Err(_) => f64::NAN,
    }
}

/// Two-sided, lower or upper P value of a statistic whose null distribution
/// is symmetric with the given tails (`lower(s) = P(S <= s)`,
/// `upper(s) = P(S >= s)`), as R's `t.test` and the normal approximations.
pub(crate) fn p_from_tails(alt: Alternative, lower: f64, upper: f64) -> f64 {
    match alt {
        Alternative::Less => lower,
        Alternative::Greater => upper,
        Alternative::TwoSided => (2.0 * lower.min(upper)).min(1.0),
    }
}

// reference values are pasted as R prints them (17 significant digits)
#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, tol};

    #[test]
    fn quantiles_match_r() {
        // R 4.2.2: qt(0.975, 4), qt(0.975, 3.349954), qnorm(0.975),
        // qf(0.975, 5, 15), qt(1e-10, 7, lower.tail = FALSE),
        // printed with options(digits = 17)
        assert_close(
            "qt 4",
            t_upper_quantile(0.025, 4.0),
            2.776445105197793,
            1e-13,
        );
        assert_close(
            "qt 3.35",
            t_upper_quantile(0.025, 3.349954),
            3.0023915246180102,
            1e-13,
        );
        assert_close(
            "qnorm",
            norm_upper_quantile(0.025),
            1.959963984540054,
            1e-14,
        );
        assert_close(
            "qf",
            f_upper_quantile(0.025, 5.0, 15.0),
            3.5764153492790602,
            1e-12,
        );
        assert_close(
            "qt far",
            t_upper_quantile(1e-10, 7.0),
            53.835579484673751,
            1e-11,
        );
        assert_close(
            "pt",
            t_sf(3.998626, 4.0),
            0.01614854 / 2.0,
            tol::printed_digits(7),
        );
    }

    #[test]
    fn tails_match_r() {
        // R 4.2.2, options(digits = 17): pnorm(c(1, 8), lower.tail = FALSE),
        // pnorm(-4), pt(10, 5, lower.tail = FALSE),
        // pchisq(50, 3, lower.tail = FALSE), pf(100, 3, 12, lower.tail = FALSE)
        assert_close("pnorm 1", norm_sf(1.0), 0.15865525393145705, 1e-13);
        assert_close("pnorm 8", norm_sf(8.0), 6.2209605742717849e-16, 1e-13);
        assert_close("pnorm -4", norm_cdf(-4.0), 3.1671241833119924e-05, 1e-13);
        assert_close(
            "pnorm -1 upper",
            norm_sf(-1.0),
            1.0 - 0.15865525393145705,
            1e-15,
        );
        assert_close("pt", t_sf(10.0, 5.0), 8.5473787871481787e-05, 1e-13);
        assert_close("pchisq", chisq_sf(50.0, 3.0), 7.9891792449514704e-11, 1e-13);
        assert_close("pf", f_sf(100.0, 3.0, 12.0), 9.3354362449725168e-09, 1e-13);
    }

    #[test]
    fn average_ranks_ties_unsorted() {
        let (r, ties) = average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(r, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(ties, vec![1, 1, 3]);
    }

    #[test]
    fn brent_finds_cubic_root() {
        let r = brent_root(|x| x * x * x - 2.0, 0.0, 2.0, 1e-14);
        assert_close("cbrt 2", r, 2f64.cbrt(), tol::EXACT);
    }

    #[test]
    fn mean_var_small() {
        let (m, v) = mean_var(&[62.1, 55.4, 70.3]);
        assert_close("mean", m, 62.6, tol::EXACT);
        // sd 7.462573 (cli-contract, R 4.2.2 sd())
        assert_close("sd", v.sqrt(), 7.462573, tol::printed_digits(7));
    }
}
