//! Intraclass correlation coefficients of Shrout & Fleiss (1979), as R
//! `psych::ICC` (with `lmer = FALSE`).

use serde::Serialize;

use crate::common::{check_conf_level, f_sf, f_upper_quantile, not_positive};
use crate::error::{Result, StatsError};

/// One of the six Shrout-Fleiss coefficients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IccEstimate {
    /// `"ICC1"`, `"ICC2"`, `"ICC3"` (single rater) or `"ICC1k"`, `"ICC2k"`,
    /// `"ICC3k"` (mean of the k raters), as psych names them.
    #[serde(rename = "type")]
    pub icc_type: &'static str,
    /// The coefficient.
    pub icc: f64,
    /// F statistic for ICC = 0.
    pub f: f64,
    /// Numerator degrees of freedom.
    pub df1: f64,
    /// Denominator degrees of freedom.
    pub df2: f64,
    /// Upper-tail P value of the F test.
    pub p: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

/// The six intraclass correlations with the two-way ANOVA they come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Icc {
    /// Number of subjects (targets), `n`.
    pub n_subjects: usize,
    /// Number of raters (judges), `k`.
    pub n_raters: usize,
    /// Between-subjects mean square (MSB, psych; BMS in Shrout & Fleiss).
    pub ms_subjects: f64,
    /// Between-raters mean square (MSJ; JMS).
    pub ms_raters: f64,
    /// Residual mean square (MSE; EMS).
    pub ms_error: f64,
    /// Within-subjects mean square (MSW; WMS) of the one-way model.
    pub ms_within: f64,
    /// ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k in this order.
    pub estimates: Vec<IccEstimate>,
    /// Confidence level of the intervals.
    pub conf_level: f64,
}

/// Intraclass correlations of `n` subjects each rated by the same `k`
/// raters (`ratings[i][j]` = subject `i`, rater `j`; no missing values), as
/// R `psych::ICC(x, lmer = FALSE)` (psych 2.2.9).
///
/// From the two-way ANOVA mean squares MSB (subjects, `n - 1` df), MSJ
/// (raters, `k - 1` df), MSE (residual, `(n - 1)(k - 1)` df) and the
/// one-way MSW = (SSJ + SSE) / (n (k - 1)) (Shrout & Fleiss 1979, Table 1):
///
/// ```text
/// ICC1  = (MSB - MSW) / (MSB + (k - 1) MSW)         ICC1k = (MSB - MSW) / MSB
/// ICC2  = (MSB - MSE) / (MSB + (k - 1) MSE + k (MSJ - MSE) / n)
/// ICC2k = (MSB - MSE) / (MSB + (MSJ - MSE) / n)
/// ICC3  = (MSB - MSE) / (MSB + (k - 1) MSE)         ICC3k = (MSB - MSE) / MSB
/// ```
///
/// F tests: MSB/MSW on `(n - 1, n (k - 1))` df for ICC1(k), MSB/MSE on
/// `(n - 1, (n - 1)(k - 1))` for the others. Intervals: the exact F-based
/// limits of Shrout & Fleiss for ICC1 and ICC3 (and their k versions) and
/// the Satterthwaite approximation for ICC2 (McGraw & Wong 1996), as psych
/// computes them.
///
/// # Errors
/// [`StatsError::TooFewObservations`] for fewer than 2 subjects or raters,
/// [`StatsError::LengthMismatch`] for rows of unequal length,
/// [`StatsError::NonFinite`], [`StatsError::InvalidConfLevel`],
/// [`StatsError::Constant`] when the residual and within mean squares are 0.
///
/// # Example
/// ```
/// use oncomark_stats::icc;
/// // Shrout & Fleiss (1979) Table 2: 6 targets, 4 judges
/// let x = [[9., 2., 5., 8.], [6., 1., 3., 2.], [8., 4., 6., 8.],
///          [7., 1., 2., 6.], [10., 5., 6., 9.], [6., 2., 4., 7.]];
/// let r = icc(&x, 0.95).unwrap();
/// let want = [0.165742, 0.289764, 0.714841, 0.442797, 0.620051, 0.909316];
/// for (e, w) in r.estimates.iter().zip(want) { assert!((e.icc - w).abs() < 5e-7); }
/// ```
pub fn icc<R: AsRef<[f64]>>(ratings: &[R], conf_level: f64) -> Result<Icc> {
    check_conf_level(conf_level)?;
    let n = ratings.len();
    if n < 2 {
        return Err(StatsError::TooFewObservations {
            what: "subjects",
            n,
            min: 2,
        });
    }
    let k = ratings[0].as_ref().len();
    if k < 2 {
        return Err(StatsError::TooFewObservations {
            what: "raters",
            n: k,
            min: 2,
        });
    }
    for (i, r) in ratings.iter().enumerate() {
        let r = r.as_ref();
        if r.len() != k {
            return Err(StatsError::LengthMismatch {
                what: "a subject's ratings",
                got: r.len(),
                expected: k,
            });
        }
        if let Some(j) = r.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NonFinite {
                what: "ratings (row-major)",
                index: i * k + j,
                value: r[j],
            });
        }
    }
    let (nf, kf) = (n as f64, k as f64);
    let grand: f64 = ratings.iter().flat_map(|r| r.as_ref().iter()).sum::<f64>() / (nf * kf);
    let row_means: Vec<f64> = ratings
        .iter()
        .map(|r| r.as_ref().iter().sum::<f64>() / kf)
        .collect();
    let col_means: Vec<f64> = (0..k)
        .map(|j| ratings.iter().map(|r| r.as_ref()[j]).sum::<f64>() / nf)
        .collect();
    let ssb: f64 = kf * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ssj: f64 = nf * col_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let mut sse = 0.0;
    for (i, r) in ratings.iter().enumerate() {
        for (j, &v) in r.as_ref().iter().enumerate() {
            let e = v - row_means[i] - col_means[j] + grand;
            sse += e * e;
        }
    }
    let (dfb, dfj, dfe) = (nf - 1.0, kf - 1.0, (nf - 1.0) * (kf - 1.0));
    let msb = ssb / dfb;
    let msj = ssj / dfj;
    let mse = sse / dfe;
    let msw = (ssj + sse) / (dfj + dfe);
    if not_positive(mse) || not_positive(msw) {
        return Err(StatsError::Constant {
            what: "the ratings within subjects (no residual variation)",
        });
    }
    let icc1 = (msb - msw) / (msb + (kf - 1.0) * msw);
    let icc2 = (msb - mse) / (msb + (kf - 1.0) * mse + kf * (msj - mse) / nf);
    let icc3 = (msb - mse) / (msb + (kf - 1.0) * mse);
    let icc1k = (msb - msw) / msb;
    let icc2k = (msb - mse) / (msb + (msj - mse) / nf);
    let icc3k = (msb - mse) / msb;

    let alpha = 1.0 - conf_level;
    let f11 = msb / msw;
    let (df11n, df11d) = (nf - 1.0, nf * (kf - 1.0));
    let p11 = f_sf(f11, df11n, df11d);
    let f21 = msb / mse;
    let (df21n, df21d) = (nf - 1.0, (nf - 1.0) * (kf - 1.0));
    let p21 = f_sf(f21, df21n, df21d);

    // ICC1 and ICC3: exact F limits
    let f1l = f11 / f_upper_quantile(alpha / 2.0, df11n, df11d);
    let f1u = f11 * f_upper_quantile(alpha / 2.0, df11d, df11n);
    let f3l = f21 / f_upper_quantile(alpha / 2.0, df21n, df21d);
    let f3u = f21 * f_upper_quantile(alpha / 2.0, df21d, df21n);
    // ICC2: Satterthwaite df for the denominator
    let fj = msj / mse;
    let a = kf * icc2 * fj + nf * (1.0 + (kf - 1.0) * icc2) - kf * icc2;
    let vn = (kf - 1.0) * (nf - 1.0) * a * a;
    let b = nf * (1.0 + (kf - 1.0) * icc2) - kf * icc2;
    let vd = (nf - 1.0) * kf * kf * icc2 * icc2 * fj * fj + b * b;
    let v = vn / vd;
    let f2u = f_upper_quantile(alpha / 2.0, nf - 1.0, v);
    let f2l = f_upper_quantile(alpha / 2.0, v, nf - 1.0);
    let denom2 = kf * msj + (kf * nf - kf - nf) * mse;
    let l2 = nf * (msb - f2u * mse) / (f2u * denom2 + nf * msb);
    let u2 = nf * (f2l * msb - mse) / (denom2 + nf * f2l * msb);

    let est = |icc_type, icc, f, df1, df2, p, lower, upper| IccEstimate {
        icc_type,
        icc,
        f,
        df1,
        df2,
        p,
        lower,
        upper,
    };
    let estimates = vec![
        est(
            "ICC1",
            icc1,
            f11,
            df11n,
            df11d,
            p11,
            (f1l - 1.0) / (f1l + kf - 1.0),
            (f1u - 1.0) / (f1u + kf - 1.0),
        ),
        est("ICC2", icc2, f21, df21n, df21d, p21, l2, u2),
        est(
            "ICC3",
            icc3,
            f21,
            df21n,
            df21d,
            p21,
            (f3l - 1.0) / (f3l + kf - 1.0),
            (f3u - 1.0) / (f3u + kf - 1.0),
        ),
        est(
            "ICC1k",
            icc1k,
            f11,
            df11n,
            df11d,
            p11,
            1.0 - 1.0 / f1l,
            1.0 - 1.0 / f1u,
        ),
        est(
            "ICC2k",
            icc2k,
            f21,
            df21n,
            df21d,
            p21,
            l2 * kf / (1.0 + l2 * (kf - 1.0)),
            u2 * kf / (1.0 + u2 * (kf - 1.0)),
        ),
        est(
            "ICC3k",
            icc3k,
            f21,
            df21n,
            df21d,
            p21,
            1.0 - 1.0 / f3l,
            1.0 - 1.0 / f3u,
        ),
    ];
    Ok(Icc {
        n_subjects: n,
        n_raters: k,
        ms_subjects: msb,
        ms_raters: msj,
        ms_error: mse,
        ms_within: msw,
        estimates,
        conf_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, tol};

    #[test]
    fn closed_forms_on_a_small_design() {
        // 3 subjects x 2 raters; rater 2 = rater 1 + 1 (a pure rater
        // effect): MSE = 0 is rejected. Add noise to get MSE > 0.
        let x = [[1.0, 2.0], [2.0, 3.5], [4.0, 5.0]];
        let r = icc(&x, 0.95).unwrap();
        // hand: grand 2.916667; row means 1.5, 2.75, 4.5; col means 2.333, 3.5
        // SSB = 2 * (1.4167² + 0.1667² + 1.5833²) = 9.08333, MSB = 4.541667
        // SSJ = 3 * 2 * 0.58333² = 2.041667; SSE = 0.083333 (2 df)
        assert_close("MSB", r.ms_subjects, 4.541666666666667, tol::EXACT);
        assert_close("MSJ", r.ms_raters, 2.0416666666666665, tol::EXACT);
        assert_close("MSE", r.ms_error, 0.08333333333333333 / 2.0, tol::EXACT);
        let icc3 = (r.ms_subjects - r.ms_error) / (r.ms_subjects + r.ms_error);
        assert_close("ICC3", r.estimates[2].icc, icc3, tol::EXACT);
        // ICC3k is the Spearman-Brown step-up of ICC3
        let sb = 2.0 * icc3 / (1.0 + icc3);
        assert_close("ICC3k", r.estimates[5].icc, sb, tol::EXACT);
        assert!(icc(&[[1.0, 2.0], [2.0, 3.0]], 0.95).is_err());
    }

    #[test]
    fn input_errors() {
        assert!(matches!(
            icc(&[[1.0, 2.0]], 0.95),
            Err(StatsError::TooFewObservations { .. })
        ));
        let ragged: Vec<Vec<f64>> = vec![vec![1.0, 2.0], vec![3.0]];
        assert!(matches!(
            icc(&ragged, 0.95),
            Err(StatsError::LengthMismatch { .. })
        ));
    }
}
