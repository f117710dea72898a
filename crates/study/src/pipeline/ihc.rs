//! IHC score distribution and reader agreement.
//!
//! Agreement is computed over every scored case with a patient row (the
//! reading process, whatever later excludes the patient); the score
//! distribution over the analysed patients, overall and per cohort.
//! For each pair of readers: the cross-table of their scores, Cohen's
//! kappa unweighted and with linear (Cicchetti-Allison) weights (Cohen
//! 1960, 1968; SEs of Fleiss, Cohen & Everitt 1969) over the cases both
//! read. Over the cases every reader read: the Shrout-Fleiss intraclass
//! correlations of the percents (Shrout & Fleiss 1979, as R `psych::ICC`).
//!
//! The H-score and Allred rules ([`super::ihc_rules`]): ICC of the readers'
//! H-scores, kappa skipped (a continuous 0-300 score); kappas and ICC of the
//! readers' Allred totals (levels 0-8).

use oncomark_stats::{cohen_kappa, icc, ContingencyTable, KappaWeights};

use super::ihc_rules::RuleScored;
use super::load::Patient;
use crate::ihc::{IhcResult, ScoreSource};
use crate::results::{IhcAnalysis, ReaderPair, ScoreCounts, SkippedStatistic};
use crate::spec::IhcRule;

/// Score distribution of the analysed patients: `all`, then per cohort.
fn score_counts(k: usize, patients: &[Patient], cohorts: &[String]) -> Vec<ScoreCounts> {
    let counts = |sel: &dyn Fn(&Patient) -> bool, name: &str| {
        let mut c = vec![0usize; k];
        let mut n = 0;
        for p in patients.iter().filter(|p| sel(p)) {
            if let Some(s) = p.score {
                c[usize::from(s).min(k - 1)] += 1;
                n += 1;
            }
        }
        ScoreCounts {
            cohort: name.to_string(),
            n,
            counts: c,
        }
    };
    let mut out = vec![counts(&|_| true, "all")];
    if cohorts.len() > 1 {
        for (i, c) in cohorts.iter().enumerate() {
            out.push(counts(&|p: &Patient| p.cohort == i, c));
        }
    }
    out
}

/// Every pair of readers: cross-table of their scores (`scores[r][i]`,
/// levels `labels`) and Cohen's kappas.
fn reader_pairs(
    readers: &[String],
    labels: &[String],
    scores: &[Vec<usize>],
    conf_level: f64,
) -> Vec<ReaderPair> {
    let k = labels.len();
    let mut out = Vec::new();
    for a in 0..readers.len() {
        for b in a + 1..readers.len() {
            let (sa, sb) = (&scores[a], &scores[b]);
            let mut pair = ReaderPair {
                reader_a: readers[a].clone(),
                reader_b: readers[b].clone(),
                levels: labels.to_vec(),
                counts: vec![vec![0; k]; k],
                n: sa.len(),
                agree: sa.iter().zip(sb).filter(|(x, y)| x == y).count(),
                kappa: None,
                kappa_linear: None,
                notes: Vec::new(),
            };
            match ContingencyTable::from_codes(sa, sb, k, k) {
                Ok(ct) => {
                    pair.counts = ct.counts().to_vec();
                    match cohen_kappa(&ct, KappaWeights::None, conf_level) {
                        Ok(x) => pair.kappa = Some(x),
                        Err(e) => pair.notes.push(format!("kappa: {e}")),
                    }
                    match cohen_kappa(&ct, KappaWeights::Linear, conf_level) {
                        Ok(x) => pair.kappa_linear = Some(x),
                        Err(e) => pair.notes.push(format!("linear-weighted kappa: {e}")),
                    }
                }
                Err(e) => pair.notes.push(format!("no agreement table: {e}")),
            }
            out.push(pair);
        }
    }
    out
}

/// ICC of `values[r][i]` (reader `r`, case `i`), with a note when it
/// cannot be computed.
fn icc_of(
    values: &[Vec<f64>],
    n_cases: usize,
    conf_level: f64,
    notes: &mut Vec<String>,
) -> Option<oncomark_stats::Icc> {
    if values.len() < 2 {
        notes.push("one reader: no agreement statistics".to_string());
        return None;
    }
    let rows: Vec<Vec<f64>> = (0..n_cases)
        .map(|i| values.iter().map(|p| p[i]).collect())
        .collect();
    match icc(&rows, conf_level) {
        Ok(x) => Some(x),
        Err(e) => {
            notes.push(format!("ICC: {e}"));
            None
        }
    }
}

/// The IHC analysis of the H-score and Allred rules.
pub(crate) fn rule_analysis(
    r: &RuleScored,
    patients: &[Patient],
    cohorts: &[String],
    conf_level: f64,
) -> IhcAnalysis {
    let mut notes = Vec::new();
    let mut skipped = Vec::new();
    let (pairs, icc_of_what) = match r.rule {
        IhcRule::HScore => {
            if r.readers.len() >= 2 {
                for stat in ["kappa", "kappa_linear"] {
                    skipped.push(SkippedStatistic {
                        statistic: stat.into(),
                        reason: "not applicable: the H-score is a continuous 0-300 score; agreement is the ICC of the readers' H-scores".into(),
                    });
                }
            }
            (Vec::new(), "h_score")
        }
        _ => {
            let scores: Vec<Vec<usize>> = r
                .values
                .iter()
                // totals 0-8, whole numbers
                .map(|v| v.iter().map(|&x| x as usize).collect())
                .collect();
            (
                reader_pairs(&r.readers, &r.labels, &scores, conf_level),
                "allred_total",
            )
        }
    };
    let icc_result = icc_of(&r.values, r.table_cases.len(), conf_level, &mut notes);
    if r.n_incomplete > 0 {
        notes.push(format!(
            "{} case(s) not read by every reader are left out of the agreement statistics",
            r.n_incomplete
        ));
    }
    let is_h = r.rule == IhcRule::HScore;
    IhcAnalysis {
        readers: r.readers.clone(),
        labels: r.labels.clone(),
        bins: Vec::new(),
        // the H-score of the mean percents is the mean H-score; Allred
        // averages the percents before banding them
        combine: crate::ihc::Combine::MeanPercent,
        positive_from: r.positive_from,
        positive_above_percent: f64::NAN,
        n_cases: r.scores.len(),
        score_counts: score_counts(r.labels.len(), patients, cohorts),
        n_discordant: r.discordant.len(),
        n_straddling: r.straddling.len(),
        n_unresolved: r.straddling.len(),
        n_adjudicated: 0,
        discordant: r.discordant.clone(),
        straddling: r.straddling.clone(),
        unresolved: r.straddling.clone(),
        adjudicated: Vec::new(),
        excluded: r.excluded.clone(),
        reader_pairs: pairs,
        icc: icc_result,
        notes,
        rule: Some(r.rule.name().into()),
        cutoff: Some(r.cutoff),
        icc_of: Some(icc_of_what.into()),
        skipped_statistics: (!skipped.is_empty()).then_some(skipped),
        h_score_cases: is_h.then(|| r.h_cases.clone()),
        allred_cases: (!is_h).then(|| r.allred_cases.clone()),
    }
}

pub(crate) fn ihc_analysis(
    r: &IhcResult,
    patients: &[Patient],
    cohorts: &[String],
    conf_level: f64,
) -> IhcAnalysis {
    let k = r.labels.len();
    let score_counts = score_counts(k, patients, cohorts);
    let mut notes = Vec::new();
    let t = &r.reader_table;
    let scores: Vec<Vec<usize>> = t
        .scores
        .iter()
        .map(|s| s.iter().map(|&x| usize::from(x)).collect())
        .collect();
    let reader_pairs = reader_pairs(&t.readers, &r.labels, &scores, conf_level);
    let icc_result = icc_of(&t.percents, t.cases.len(), conf_level, &mut notes);
    if t.n_incomplete > 0 {
        notes.push(format!(
            "{} case(s) not read by every reader are left out of the agreement statistics",
            t.n_incomplete
        ));
    }
    let adjudicated: Vec<String> = r
        .cases
        .iter()
        .filter(|c| c.source == ScoreSource::Adjudicated)
        .map(|c| c.id.clone())
        .collect();
    IhcAnalysis {
        readers: r.readers.clone(),
        labels: r.labels.clone(),
        bins: r.bins.clone(),
        combine: r.combine,
        positive_from: r.positive_from,
        positive_above_percent: r.positive_above_percent,
        n_cases: r.cases.len(),
        score_counts,
        n_discordant: r.discordant.len(),
        n_straddling: r.straddling.len(),
        n_unresolved: r.unresolved.len(),
        n_adjudicated: adjudicated.len(),
        discordant: r.discordant.clone(),
        straddling: r.straddling.clone(),
        unresolved: r.unresolved.clone(),
        adjudicated,
        excluded: r.excluded.clone(),
        reader_pairs,
        icc: icc_result,
        notes,
        rule: Some(IhcRule::PercentBins.name().into()),
        cutoff: None,
        icc_of: Some("percent".into()),
        skipped_statistics: None,
        h_score_cases: None,
        allred_cases: None,
    }
}
