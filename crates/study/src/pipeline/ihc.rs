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

use oncomark_stats::{cohen_kappa, icc, ContingencyTable, KappaWeights};

use super::load::Patient;
use crate::ihc::{IhcResult, ScoreSource};
use crate::results::{IhcAnalysis, ReaderPair, ScoreCounts};

pub(crate) fn ihc_analysis(
    r: &IhcResult,
    patients: &[Patient],
    cohorts: &[String],
    conf_level: f64,
) -> IhcAnalysis {
    let k = r.labels.len();
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
    let mut score_counts = vec![counts(&|_| true, "all")];
    if cohorts.len() > 1 {
        for (i, c) in cohorts.iter().enumerate() {
            score_counts.push(counts(&|p: &Patient| p.cohort == i, c));
        }
    }

    let mut notes = Vec::new();
    let t = &r.reader_table;
    let mut reader_pairs = Vec::new();
    for a in 0..t.readers.len() {
        for b in a + 1..t.readers.len() {
            let sa: Vec<usize> = t.scores[a].iter().map(|&s| usize::from(s)).collect();
            let sb: Vec<usize> = t.scores[b].iter().map(|&s| usize::from(s)).collect();
            let mut pair = ReaderPair {
                reader_a: t.readers[a].clone(),
                reader_b: t.readers[b].clone(),
                levels: r.labels.clone(),
                counts: vec![vec![0; k]; k],
                n: sa.len(),
                agree: sa.iter().zip(&sb).filter(|(x, y)| x == y).count(),
                kappa: None,
                kappa_linear: None,
                notes: Vec::new(),
            };
            match ContingencyTable::from_codes(&sa, &sb, k, k) {
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
            reader_pairs.push(pair);
        }
    }
    let icc_result = if t.readers.len() < 2 {
        notes.push("one reader: no agreement statistics".to_string());
        None
    } else {
        let rows: Vec<Vec<f64>> = (0..t.cases.len())
            .map(|i| t.percents.iter().map(|p| p[i]).collect())
            .collect();
        match icc(&rows, conf_level) {
            Ok(x) => Some(x),
            Err(e) => {
                notes.push(format!("ICC: {e}"));
                None
            }
        }
    };
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
    }
}
