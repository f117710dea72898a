//! Cohen's kappa and weighted kappa for two raters, with the asymptotic
//! standard errors of Fleiss, Cohen & Everitt (1969) as Python statsmodels
//! `cohens_kappa` (and SAS PROC FREQ) report them.

use serde::Serialize;

use crate::chisq::two_sided_normal_p;
use crate::common::{check_conf_level, norm_upper_quantile, not_positive};
use crate::error::{Result, StatsError};
use crate::table::ContingencyTable;

/// Agreement weights for ordered categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KappaWeights {
    /// Unweighted kappa: only exact agreement counts.
    #[default]
    None,
    /// Linear (Cicchetti-Allison) weights `1 - |i - j| / (k - 1)`.
    Linear,
    /// Quadratic (Fleiss-Cohen) weights `1 - (i - j)² / (k - 1)²`.
    Quadratic,
}

/// Cohen's kappa with its standard error and Wald interval. Field names
/// follow `oncomark agreement` in the CLI contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kappa {
    /// Number of rated subjects.
    pub n: u64,
    /// Proportion of exact agreement (the diagonal), whatever the weights.
    pub observed_agreement: f64,
    /// Proportion of exact agreement expected by chance.
    pub expected_agreement: f64,
    /// Weighted observed agreement `sum w_ij p_ij` (equal to
    /// `observed_agreement` without weights).
    pub weighted_observed: f64,
    /// Weighted chance agreement `sum w_ij p_i. p_.j`.
    pub weighted_expected: f64,
    /// The (weighted) kappa.
    pub kappa: f64,
    /// Asymptotic standard error (Fleiss, Cohen & Everitt 1969), used for
    /// the interval.
    pub se: f64,
    /// Lower Wald limit `kappa - z se`.
    pub lower: f64,
    /// Upper Wald limit `kappa + z se`.
    pub upper: f64,
    /// Standard error under the null hypothesis kappa = 0.
    pub se_null: f64,
    /// `kappa / se_null`.
    pub z: f64,
    /// Two-sided P value of `z`.
    pub p: f64,
    /// Largest kappa attainable with these margins (unweighted form).
    pub kappa_max: f64,
    /// The weights used.
    pub weights: KappaWeights,
    /// Confidence level of the interval.
    pub conf_level: f64,
}

/// Cohen's kappa (Cohen 1960) or weighted kappa (Cohen 1968) of a square
/// agreement table: rows are rater A's categories, columns rater B's, in
/// the same (ordered) sequence.
///
/// With cell proportions `p_ij`, margins `p_i.`, `p_.j` and agreement
/// weights `w_ij` (identity without weights),
/// `p_o = sum w_ij p_ij`, `p_e = sum w_ij p_i. p_.j` and
/// `kappa = (p_o - p_e) / (1 - p_e)`. With `w̄_i. = sum_j p_.j w_ij` and
/// `w̄_.j = sum_i p_i. w_ij`, the large-sample variances are
///
/// ```text
/// var   = [sum p_ij (w_ij - (w̄_i. + w̄_.j)(1 - kappa))² - (kappa - p_e (1 - kappa))²] / (n (1 - p_e)²)
/// var_0 = [sum p_i. p_.j (w_ij - (w̄_i. + w̄_.j))² - p_e²] / (n (1 - p_e)²)
/// ```
///
/// (Fleiss, Cohen & Everitt 1969; Fleiss, Levin & Paik 2003, 18.1),
/// which reduce to the unweighted formulas with identity weights. The
/// interval is `kappa ± z_{1-α/2} sqrt(var)`.
///
/// # Errors
/// [`StatsError::WrongShape`] unless the table is square and at least 2x2,
/// [`StatsError::EmptyTable`], [`StatsError::InvalidConfLevel`],
/// [`StatsError::Undefined`] when chance agreement is 1 (both raters use a
/// single category).
///
/// # Example
/// ```
/// use oncomark_stats::{cohen_kappa, ContingencyTable, KappaWeights};
/// let t = ContingencyTable::two_by_two([[20, 5], [10, 15]]).unwrap();
/// let k = cohen_kappa(&t, KappaWeights::None, 0.95).unwrap();
/// assert!((k.kappa - 0.4).abs() < 1e-12);
/// ```
pub fn cohen_kappa(
    table: &ContingencyTable,
    weights: KappaWeights,
    conf_level: f64,
) -> Result<Kappa> {
    let k = table.n_rows();
    if k != table.n_cols() || k < 2 {
        return Err(StatsError::WrongShape {
            test: "Cohen's kappa",
            expected: "square (k x k, k >= 2)",
            rows: k,
            cols: table.n_cols(),
        });
    }
    check_conf_level(conf_level)?;
    let n = table.total();
    if n == 0 {
        return Err(StatsError::EmptyTable);
    }
    let nf = n as f64;
    let p: Vec<Vec<f64>> = table
        .counts()
        .iter()
        .map(|r| r.iter().map(|&v| v as f64 / nf).collect())
        .collect();
    let pr: Vec<f64> = table.row_totals().iter().map(|&v| v as f64 / nf).collect();
    let pc: Vec<f64> = table.col_totals().iter().map(|&v| v as f64 / nf).collect();
    let km1 = (k - 1) as f64;
    let w = |i: usize, j: usize| -> f64 {
        let d = (i as f64 - j as f64).abs();
        match weights {
            KappaWeights::None => {
                if i == j {
                    1.0
                } else {
                    0.0
                }
            }
            KappaWeights::Linear => 1.0 - d / km1,
            KappaWeights::Quadratic => 1.0 - d * d / (km1 * km1),
        }
    };
    let observed_agreement: f64 = (0..k).map(|i| p[i][i]).sum();
    let expected_agreement: f64 = (0..k).map(|i| pr[i] * pc[i]).sum();
    let mut po = 0.0;
    let mut pe = 0.0;
    for i in 0..k {
        for j in 0..k {
            po += w(i, j) * p[i][j];
            pe += w(i, j) * pr[i] * pc[j];
        }
    }
    if not_positive(1.0 - pe) {
        return Err(StatsError::Undefined {
            what: "kappa",
            reason: "chance agreement is 1 (each rater used a single category)",
        });
    }
    let kappa = (po - pe) / (1.0 - pe);
    // weighted row and column means of the weights
    let w_row: Vec<f64> = (0..k)
        .map(|i| (0..k).map(|j| pc[j] * w(i, j)).sum())
        .collect();
    let w_col: Vec<f64> = (0..k)
        .map(|j| (0..k).map(|i| pr[i] * w(i, j)).sum())
        .collect();
    let mut term = 0.0;
    let mut term0 = 0.0;
    for i in 0..k {
        for j in 0..k {
            let a = w(i, j) - (w_row[i] + w_col[j]) * (1.0 - kappa);
            term += p[i][j] * a * a;
            let b = w(i, j) - (w_row[i] + w_col[j]);
            term0 += pr[i] * pc[j] * b * b;
        }
    }
    let fac = 1.0 / (nf * (1.0 - pe) * (1.0 - pe));
    let c = kappa - pe * (1.0 - kappa);
    let var = ((term - c * c) * fac).max(0.0);
    let var0 = ((term0 - pe * pe) * fac).max(0.0);
    let se = var.sqrt();
    let se_null = var0.sqrt();
    let z_crit = norm_upper_quantile((1.0 - conf_level) / 2.0);
    let z = kappa / se_null;
    let kappa_max = ((0..k).map(|i| pr[i].min(pc[i])).sum::<f64>() - expected_agreement)
        / (1.0 - expected_agreement);
    Ok(Kappa {
        n,
        observed_agreement,
        expected_agreement,
        weighted_observed: po,
        weighted_expected: pe,
        kappa,
        se,
        lower: kappa - z_crit * se,
        upper: kappa + z_crit * se,
        se_null,
        z,
        p: if se_null > 0.0 {
            two_sided_normal_p(z)
        } else {
            f64::NAN
        },
        kappa_max,
        weights,
        conf_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, tol};

    #[test]
    fn perfect_and_chance_agreement() {
        let perfect = ContingencyTable::two_by_two([[7, 0], [0, 3]]).unwrap();
        let k = cohen_kappa(&perfect, KappaWeights::None, 0.95).unwrap();
        assert_close("perfect", k.kappa, 1.0, tol::EXACT);
        assert_close("se", k.se + 1.0, 1.0, tol::EXACT);
        // independence: p_ij = p_i p_j -> kappa 0
        let chance = ContingencyTable::two_by_two([[4, 6], [6, 9]]).unwrap();
        let c = cohen_kappa(&chance, KappaWeights::Linear, 0.95).unwrap();
        assert_close("chance", c.kappa + 1.0, 1.0, tol::EXACT);
    }

    #[test]
    fn weights_coincide_for_two_categories() {
        let t = ContingencyTable::two_by_two([[20, 5], [10, 15]]).unwrap();
        let a = cohen_kappa(&t, KappaWeights::None, 0.95).unwrap();
        let b = cohen_kappa(&t, KappaWeights::Quadratic, 0.95).unwrap();
        assert_close("kappa", a.kappa, b.kappa, tol::EXACT);
        assert_close("se", a.se, b.se, tol::EXACT);
        assert_close("se0", a.se_null, b.se_null, tol::EXACT);
    }

    #[test]
    fn transposing_raters_keeps_kappa() {
        let t = ContingencyTable::new(vec![vec![6, 2, 0], vec![1, 5, 2], vec![3, 1, 6]]).unwrap();
        for w in [
            KappaWeights::None,
            KappaWeights::Linear,
            KappaWeights::Quadratic,
        ] {
            let a = cohen_kappa(&t, w, 0.95).unwrap();
            let b = cohen_kappa(&t.transpose(), w, 0.95).unwrap();
            assert_close("kappa", a.kappa, b.kappa, tol::EXACT);
            assert_close("se", a.se, b.se, tol::EXACT);
        }
    }

    #[test]
    fn errors() {
        let r = ContingencyTable::new(vec![vec![1, 2, 3], vec![4, 5, 6]]).unwrap();
        assert!(matches!(
            cohen_kappa(&r, KappaWeights::None, 0.95),
            Err(StatsError::WrongShape { .. })
        ));
        let one = ContingencyTable::two_by_two([[5, 0], [0, 0]]).unwrap();
        assert!(matches!(
            cohen_kappa(&one, KappaWeights::None, 0.95),
            Err(StatsError::Undefined { .. })
        ));
    }
}
