//! Patient characteristics by marker group and the tests of association
//! shared with the response table.
//!
//! * Categorical variables: Fisher's exact test of the levels-by-groups
//!   table (R `fisher.test`, the RxC network algorithm when the table is
//!   larger than 2x2); when the exact test is beyond its work limit,
//!   Pearson's chi-square (R `chisq.test`, no correction) with a note.
//!   Levels and groups without patients are dropped first.
//! * Continuous variables: the Wilcoxon rank-sum test for two groups (R
//!   `wilcox.test`: exact below 50 per group without ties, else normal
//!   with continuity correction), Kruskal-Wallis for more; summaries are
//!   median (IQR) with R's default quantiles (type 7: `x[h] + (h - floor
//!   h)(x[h+1] - x[h])`, `h = (n - 1) p`, Hyndman & Fan 1996).

use oncomark_stats::{
    chi_square, fisher_2x2, fisher_exact, kruskal_wallis, wilcoxon_rank_sum, ContingencyTable,
    FisherOptions, RankTestOptions, StatsError,
};

use super::load::{FVal, FactorDef, Patient};
use crate::results::{
    Characteristic, CharacteristicsTable, ContinuousSummary, LevelRow, TestResult,
};

/// Quantile of sorted data, R type 7.
pub(crate) fn quantile7(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Median (IQR), range, mean and SD of `x`.
pub(crate) fn summarize(group: &str, x: &[f64]) -> ContinuousSummary {
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    let mean = (n > 0).then(|| s.iter().sum::<f64>() / n as f64);
    let sd = match (mean, n > 1) {
        (Some(m), true) => {
            Some((s.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1) as f64).sqrt())
        }
        _ => None,
    };
    ContinuousSummary {
        group: group.to_string(),
        n,
        median: quantile7(&s, 0.5),
        q1: quantile7(&s, 0.25),
        q3: quantile7(&s, 0.75),
        min: s.first().copied(),
        max: s.last().copied(),
        mean,
        sd,
    }
}

fn fisher_result(t: &ContingencyTable, note: Option<String>) -> Result<TestResult, String> {
    match fisher_exact(t, &FisherOptions::default()) {
        Ok(f) => Ok(TestResult {
            test: "fisher_exact".into(),
            statistic: None,
            df: None,
            p: f.p,
            odds_ratio: f.odds_ratio,
            lower: f.lower,
            upper: f.upper,
            note,
        }),
        Err(StatsError::FisherTooLarge { .. }) => {
            let c = chi_square(t, false).map_err(|e| e.to_string())?;
            let mut why = "Fisher's exact test is beyond its work limit for this table; Pearson's chi-square used".to_string();
            if let Some(w) = c.warnings.first() {
                why = format!("{why} ({w})");
            }
            Ok(TestResult {
                test: "chi_square".into(),
                statistic: Some(c.statistic),
                df: Some(c.df),
                p: c.p,
                odds_ratio: None,
                lower: None,
                upper: None,
                note: Some(why),
            })
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Fisher's exact test (or chi-square) of a table given as rows, after
/// dropping empty rows and columns.
pub(crate) fn table_test(counts: &[Vec<u64>]) -> Result<TestResult, String> {
    let cols = counts.first().map_or(0, Vec::len);
    let keep_c: Vec<usize> = (0..cols)
        .filter(|&j| counts.iter().any(|r| r[j] > 0))
        .collect();
    let rows: Vec<Vec<u64>> = counts
        .iter()
        .filter(|r| r.iter().any(|&v| v > 0))
        .map(|r| keep_c.iter().map(|&j| r[j]).collect())
        .collect();
    if rows.len() < 2 || keep_c.len() < 2 {
        return Err(format!(
            "no test: {} level(s) and {} group(s) with patients",
            rows.len(),
            keep_c.len()
        ));
    }
    let t = ContingencyTable::new(rows).map_err(|e| e.to_string())?;
    let mut r = fisher_result(&t, None)?;
    if !t.is_2x2() {
        r.odds_ratio = None;
        r.lower = None;
        r.upper = None;
    }
    Ok(r)
}

/// Fisher's exact test of `[[a, b], [c, d]]` with its odds ratio.
pub(crate) fn two_by_two(t: [[u64; 2]; 2]) -> Result<TestResult, String> {
    let f = fisher_2x2(t, &FisherOptions::default()).map_err(|e| e.to_string())?;
    Ok(TestResult {
        test: "fisher_exact".into(),
        statistic: None,
        df: None,
        p: f.p,
        odds_ratio: f.odds_ratio,
        lower: f.lower,
        upper: f.upper,
        note: None,
    })
}

/// Wilcoxon rank-sum (`groups[1]` vs `groups[0]`) or Kruskal-Wallis.
pub(crate) fn rank_test(groups: &[Vec<f64>]) -> Result<TestResult, String> {
    let used: Vec<&Vec<f64>> = groups.iter().filter(|g| !g.is_empty()).collect();
    if used.len() < 2 {
        return Err(format!("no test: {} group(s) with values", used.len()));
    }
    if used.len() == 2 {
        let w = wilcoxon_rank_sum(used[1], used[0], &RankTestOptions::default())
            .map_err(|e| e.to_string())?;
        Ok(TestResult {
            test: "wilcoxon_rank_sum".into(),
            statistic: Some(w.statistic),
            df: None,
            p: w.p,
            odds_ratio: None,
            lower: None,
            upper: None,
            note: (!w.exact).then(|| "normal approximation with continuity correction".to_string()),
        })
    } else {
        let refs: Vec<&[f64]> = used.iter().map(|g| g.as_slice()).collect();
        let k = kruskal_wallis(&refs).map_err(|e| e.to_string())?;
        Ok(TestResult {
            test: "kruskal_wallis".into(),
            statistic: Some(k.statistic),
            df: Some(k.df),
            p: k.p,
            odds_ratio: None,
            lower: None,
            upper: None,
            note: None,
        })
    }
}

/// Percent `100 a / b`.
pub(crate) fn percent(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| 100.0 * a as f64 / b as f64)
}

/// Characteristics of `patients` (one cohort) by marker group.
pub(crate) fn characteristics(
    cohort: &str,
    groups: &[String; 2],
    patients: &[&Patient],
    factors: &[FactorDef],
) -> CharacteristicsTable {
    let n = [
        patients.iter().filter(|p| !p.positive).count(),
        patients.iter().filter(|p| p.positive).count(),
    ];
    let mut rows = Vec::new();
    for (k, f) in factors.iter().enumerate() {
        let mut missing = vec![0usize; 2];
        for p in patients {
            if p.factors[k].is_none() {
                missing[usize::from(p.positive)] += 1;
            }
        }
        let mut row = Characteristic {
            factor: f.name.clone(),
            label: f.label.clone(),
            column: f.column.clone(),
            kind: String::new(),
            missing,
            levels: Vec::new(),
            summaries: Vec::new(),
            test: None,
            note: None,
        };
        match &f.levels {
            Some(levels) => {
                row.kind = "categorical".into();
                let mut counts = vec![vec![0u64; 2]; levels.len()];
                for p in patients {
                    if let Some(FVal::Level(l)) = p.factors[k] {
                        counts[l][usize::from(p.positive)] += 1;
                    }
                }
                let denom: Vec<u64> = (0..2).map(|g| counts.iter().map(|r| r[g]).sum()).collect();
                row.levels = levels
                    .iter()
                    .zip(&counts)
                    .map(|(l, c)| LevelRow {
                        level: l.clone(),
                        counts: c.clone(),
                        percents: (0..2).map(|g| percent(c[g], denom[g])).collect(),
                        total: c.iter().sum(),
                    })
                    .collect();
                match table_test(&counts) {
                    Ok(mut t) => {
                        // the odds ratio of a characteristic is not reported
                        t.odds_ratio = None;
                        t.lower = None;
                        t.upper = None;
                        row.test = Some(t);
                    }
                    Err(e) => row.note = Some(e),
                }
            }
            None => {
                row.kind = "continuous".into();
                let mut vals = vec![Vec::new(), Vec::new()];
                for p in patients {
                    if let Some(FVal::Num(v)) = p.factors[k] {
                        vals[usize::from(p.positive)].push(v);
                    }
                }
                let all: Vec<f64> = vals.iter().flatten().copied().collect();
                row.summaries = vec![
                    summarize(&groups[0], &vals[0]),
                    summarize(&groups[1], &vals[1]),
                    summarize("all", &all),
                ];
                match rank_test(&vals) {
                    Ok(t) => row.test = Some(t),
                    Err(e) => row.note = Some(e),
                }
            }
        }
        rows.push(row);
    }
    CharacteristicsTable {
        cohort: cohort.to_string(),
        groups: groups.to_vec(),
        n: n.to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oncomark_testkit::{assert_close, tol};

    #[test]
    fn quantiles_follow_r_type_7() {
        // R 4.2.2: quantile(c(1, 2, 4, 7, 11), c(.25, .5, .75)) = 2, 4, 7;
        // quantile(c(1, 2, 4, 7), .25) = 1.75
        let x = [1.0, 2.0, 4.0, 7.0, 11.0];
        assert_eq!(quantile7(&x, 0.25), Some(2.0));
        assert_eq!(quantile7(&x, 0.5), Some(4.0));
        assert_eq!(quantile7(&x, 0.75), Some(7.0));
        assert_close(
            "q1",
            quantile7(&[1.0, 2.0, 4.0, 7.0], 0.25).unwrap(),
            1.75,
            tol::EXACT,
        );
        assert_eq!(quantile7(&[], 0.5), None);
        let s = summarize("g", &[3.0, 1.0, 2.0]);
        assert_eq!((s.median, s.min, s.max), (Some(2.0), Some(1.0), Some(3.0)));
        assert_close("sd", s.sd.unwrap(), 1.0, tol::EXACT);
    }

    #[test]
    fn empty_levels_are_dropped_before_the_test() {
        // the paper's ORR table with an empty extra level
        let t = table_test(&[vec![25, 4], vec![0, 0], vec![30, 19]]).unwrap();
        // R 4.2.2: fisher.test(matrix(c(4, 25, 19, 30), 2))$p.value
        assert_eq!(t.test, "fisher_exact");
        assert_close("P", t.p, 0.0222997472846327, tol::FISHER_P);
        assert!(table_test(&[vec![3, 0], vec![2, 0]]).is_err());
    }

    #[test]
    fn three_groups_use_kruskal_wallis() {
        let t = rank_test(&[vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 6.0]]).unwrap();
        assert_eq!(t.test, "kruskal_wallis");
        assert_close("H", t.statistic.unwrap(), 32.0 / 7.0, tol::EXACT);
        let w = rank_test(&[vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]]).unwrap();
        // R: wilcox.test(c(4,5,6), c(1,2,3)): W = 9, exact P = 0.1
        assert_eq!(w.test, "wilcoxon_rank_sum");
        assert_close("W", w.statistic.unwrap(), 9.0, tol::EXACT);
        assert_close("P", w.p, 0.1, tol::STATS);
    }
}
