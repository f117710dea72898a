//! Immunohistochemistry (IHC) scoring: percent of stained tumour cells ->
//! ordinal score -> marker group, for one or more readers.
//!
//! # The seed paper's rule
//!
//! Whole sections were scored on the percent of invasive tumour cells with
//! complete (circumferential) membrane staining: none = 0, 1-10 % = 1+,
//! 11-40 % = 2+, 41-100 % = 3+; 3+ ("overexpressing") against 0-2+ is the
//! marker group, the cutoff of 40 % positive cells having been chosen on a
//! trial set. Two pathologists read every slide blinded; cases whose reads
//! straddled the 3+ cutoff were reviewed together at a double-headed
//! microscope and all but one resolved; "an average score was used".
//!
//! # What this module does
//!
//! * [`ScoreBins`] turns a percent into a score by inclusive upper bounds
//!   (default `[0, 10, 40, 100]`: 0 % -> 0, (0, 10] -> 1+, (10, 40] -> 2+,
//!   (40, 100] -> 3+). A fractional percent such as an average of 40.5 %
//!   lies above 40 % and scores 3+, as the cutoff "40 % of positive cells"
//!   says.
//! * [`score_cases`] scores every reader, combines the readers
//!   ([`Combine`]), honours an adjudicated reading whenever one is given,
//!   assigns the marker group (`score >= positive_from`, default 3+ vs
//!   0-2+, i.e. a percent above 40), lists the cases whose readers straddle
//!   the positivity cutoff, flags those left without adjudication
//!   (`unresolved`: the combined value is used) and returns the
//!   reader-by-reader table for agreement statistics ([`ReaderTable`]).
//!
//! ## Why the default combination averages percents
//!
//! "An average score was used" admits two readings: average the percents
//! and bin the mean ([`Combine::MeanPercent`], the default), or bin each
//! read and average the scores ([`Combine::MeanScore`]). The default
//! averages percents because (1) the cutoff was chosen on the percent scale
//! (40 % of positive cells), so the group is decided on that scale; (2) the
//! mean of two noisy estimates of the same proportion is a better estimate
//! of it than either; (3) averaging scores gives half-scores (2+ and 3+
//! average 2.5) that need an arbitrary rounding rule to fall into a group.
//! With [`Combine::MeanScore`] the mean score is rounded half up
//! (2.5 -> 3), which is recorded in the result.
//!
//! # Alternative rules
//!
//! * [`h_score`]: `1 * %weak + 2 * %moderate + 3 * %strong`, 0-300
//!   (McCarty et al., "Estrogen receptor analyses. Correlation of
//!   biochemical and immunohistochemical methods using monoclonal
//!   antireceptor antibodies", Arch Pathol Lab Med 1985;109:716-721).
//! * [`allred`]: proportion score 0-5 plus intensity 0-3, total 0 or 2-8
//!   (Allred, Harvey, Berardo and Clark, "Prognostic and predictive factors
//!   in breast cancer by immunohistochemical analysis", Mod Pathol
//!   1998;11:155-168; positivity `total >= 3` from Harvey et al., J Clin
//!   Oncol 1999;17:1474-1481).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::{Result, StudyError};

/// Inclusive upper percent of each IHC score, increasing, covering 0-100.
///
/// Score `s` is given to a percent `p` when `upper[s-1] < p <= upper[s]`
/// (score 0 when `p <= upper[0]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreBins {
    upper: Vec<f64>,
}

impl Default for ScoreBins {
    /// The seed paper's bins: 0 % = 0, 1-10 % = 1+, 11-40 % = 2+,
    /// 41-100 % = 3+.
    fn default() -> Self {
        ScoreBins {
            upper: vec![0.0, 10.0, 40.0, 100.0],
        }
    }
}

impl ScoreBins {
    /// Bins from their inclusive upper bounds.
    ///
    /// # Errors
    ///
    /// [`StudyError::BadBins`] when fewer than two bounds are given (a group
    /// needs two scores), more than 255, a bound is not finite, the first
    /// is below 0, they are not strictly increasing, or the last is not 100.
    ///
    /// # Example
    ///
    /// ```
    /// use oncomark_study::ihc::ScoreBins;
    /// // ASCO/CAP-style HER-2 tertiles would be [0, 10, 30, 100]
    /// let bins = ScoreBins::new(vec![0.0, 10.0, 30.0, 100.0])?;
    /// assert_eq!(bins.score(30.5)?, 3);
    /// assert!(ScoreBins::new(vec![0.0, 40.0, 10.0, 100.0]).is_err());
    /// # Ok::<(), oncomark_study::StudyError>(())
    /// ```
    pub fn new(upper: Vec<f64>) -> Result<Self> {
        let bad = |reason| StudyError::BadBins {
            upper: upper.clone(),
            reason,
        };
        if upper.len() < 2 {
            return Err(bad("at least two scores are needed"));
        }
        if upper.len() > usize::from(u8::MAX) {
            return Err(bad("at most 255 scores are supported"));
        }
        if upper.iter().any(|u| !u.is_finite()) {
            return Err(bad("every bound must be a finite number"));
        }
        if upper[0] < 0.0 {
            return Err(bad("the first bound must be >= 0"));
        }
        if upper.windows(2).any(|w| w[1] <= w[0]) {
            return Err(bad("the bounds must be strictly increasing"));
        }
        if upper[upper.len() - 1] != 100.0 {
            return Err(bad(
                "the last bound must be 100 so that every percent has a score",
            ));
        }
        Ok(ScoreBins { upper })
    }

    /// The inclusive upper bounds.
    pub fn upper(&self) -> &[f64] {
        &self.upper
    }

    /// The largest score (3 for the paper's bins).
    pub fn max_score(&self) -> u8 {
        // at most 255 bounds (checked in `new`)
        (self.upper.len() - 1) as u8
    }

    /// Display label of a score: `0`, `1+`, `2+`, ...
    pub fn label(score: u8) -> String {
        if score == 0 {
            "0".to_string()
        } else {
            format!("{score}+")
        }
    }

    /// The score of a percent of stained cells.
    ///
    /// # Errors
    ///
    /// [`StudyError::PercentOutOfRange`] (with an empty case id) when
    /// `percent` is not in 0-100.
    pub fn score(&self, percent: f64) -> Result<u8> {
        self.score_checked(percent, "", "percent")
    }

    fn score_checked(&self, percent: f64, case: &str, what: &str) -> Result<u8> {
        if !(0.0..=100.0).contains(&percent) {
            return Err(StudyError::PercentOutOfRange {
                case: case.to_string(),
                what: what.to_string(),
                value: percent,
            });
        }
        let s = self.upper.partition_point(|&u| u < percent);
        Ok(s.min(self.upper.len() - 1) as u8)
    }
}

/// How the readers' reads are combined into one score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// Average the readers' percents, then bin (the default; see the module
    /// docs for why).
    #[default]
    MeanPercent,
    /// Bin each read, average the scores, round half up (2.5 -> 3).
    MeanScore,
    /// Use the consensus column (required for every case).
    Consensus,
}

/// A reading given as a percent or directly as a score (consensus and
/// adjudication columns may hold either).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// Percent of stained tumour cells, 0-100.
    Percent(f64),
    /// A score of the bins, 0..=max.
    Score(u8),
}

/// One IHC case (one patient's slide) with its reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IhcCase {
    /// Case (patient) id.
    pub id: String,
    /// One percent per reader, in the order of the reader names; `None` =
    /// not read.
    pub reads: Vec<Option<f64>>,
    /// Consensus reading, when the table has one.
    pub consensus: Option<Reading>,
    /// Adjudicated reading (e.g. double-headed microscope review); honoured
    /// whenever given.
    pub adjudicated: Option<Reading>,
}

/// Options of [`score_cases`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IhcOptions {
    /// Score bins (default the paper's).
    pub bins: ScoreBins,
    /// How readers are combined (default mean percent).
    pub combine: Combine,
    /// The first positive score (default 3: 3+ vs 0-2+).
    pub positive_from: u8,
}

impl Default for IhcOptions {
    fn default() -> Self {
        IhcOptions {
            bins: ScoreBins::default(),
            combine: Combine::MeanPercent,
            positive_from: 3,
        }
    }
}

/// Where a case's final score came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreSource {
    /// The readers' reads combined by averaging.
    Average,
    /// The consensus column.
    Consensus,
    /// The adjudicated reading.
    Adjudicated,
}

/// The scores of one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredCase {
    /// Case id.
    pub id: String,
    /// Each reader's percent (`None` = not read).
    pub percents: Vec<Option<f64>>,
    /// Each reader's score.
    pub scores: Vec<Option<u8>>,
    /// Mean of the readers' percents.
    pub mean_percent: Option<f64>,
    /// Mean of the readers' scores.
    pub mean_score: Option<f64>,
    /// The score from the combination rule, before adjudication (the
    /// adjudicated score when the rule gives none, e.g. no read).
    pub combined_score: u8,
    /// The score used for analysis.
    pub score: u8,
    /// Its label (`0`, `1+`, ...).
    pub label: String,
    /// Marker group: `score >= positive_from`.
    pub positive: bool,
    /// Readers' scores fall on both sides of the positivity cutoff.
    pub straddles: bool,
    /// A straddling case without adjudication (or consensus): the averaged
    /// value is used.
    pub unresolved: bool,
    /// Where `score` came from.
    pub source: ScoreSource,
}

/// A case left out of scoring, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IhcExclusion {
    /// Case id.
    pub id: String,
    /// Why it has no score.
    pub reason: String,
}

/// Reader-by-reader scores and percents over the cases every reader read,
/// for kappa and ICC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReaderTable {
    /// Reader names.
    pub readers: Vec<String>,
    /// Ids of the cases read by every reader, in input order.
    pub cases: Vec<String>,
    /// `scores[r][i]`: reader `r`'s score of case `cases[i]`.
    pub scores: Vec<Vec<u8>>,
    /// `percents[r][i]`: reader `r`'s percent of case `cases[i]`.
    pub percents: Vec<Vec<f64>>,
    /// Cases left out because some reader did not read them.
    pub n_incomplete: usize,
}

impl ReaderTable {
    /// The paired scores of readers `a` and `b` (`None` when out of range).
    pub fn score_pair(&self, a: usize, b: usize) -> Option<(&[u8], &[u8])> {
        Some((self.scores.get(a)?, self.scores.get(b)?))
    }

    /// The paired percents of readers `a` and `b`.
    pub fn percent_pair(&self, a: usize, b: usize) -> Option<(&[f64], &[f64])> {
        Some((self.percents.get(a)?, self.percents.get(b)?))
    }
}

/// Scored cases with the summaries a report needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IhcResult {
    /// Reader names.
    pub readers: Vec<String>,
    /// Score labels, index = score.
    pub labels: Vec<String>,
    /// Inclusive upper percent of each score.
    pub bins: Vec<f64>,
    /// The combination rule.
    pub combine: Combine,
    /// The first positive score.
    pub positive_from: u8,
    /// Positive means a percent above this (the upper bound of the last
    /// negative score).
    pub positive_above_percent: f64,
    /// One entry per scored case, in input order.
    pub cases: Vec<ScoredCase>,
    /// Cases per final score (index = score).
    pub score_counts: Vec<usize>,
    /// Marker-positive cases.
    pub n_positive: usize,
    /// Marker-negative cases.
    pub n_negative: usize,
    /// Ids of cases whose readers' scores differ at all.
    pub discordant: Vec<String>,
    /// Ids of cases whose readers straddle the positivity cutoff.
    pub straddling: Vec<String>,
    /// Ids of straddling cases without adjudication (averaged value used).
    pub unresolved: Vec<String>,
    /// `unresolved.len()`.
    pub n_unresolved: usize,
    /// Cases with no reading at all.
    pub excluded: Vec<IhcExclusion>,
    /// Reader-by-reader table for agreement statistics.
    pub reader_table: ReaderTable,
}

fn reading_score(bins: &ScoreBins, r: Reading, case: &str, what: &str) -> Result<u8> {
    match r {
        Reading::Percent(p) => bins.score_checked(p, case, what),
        Reading::Score(s) => {
            if s > bins.max_score() {
                Err(StudyError::ScoreOutOfRange {
                    case: case.to_string(),
                    what: what.to_string(),
                    value: s,
                    max: bins.max_score(),
                })
            } else {
                Ok(s)
            }
        }
    }
}

/// Score every case, combine readers, assign the marker group and list the
/// straddling and unresolved cases.
///
/// For each case: reader scores `s_r = bins(p_r)`; `mean_percent = mean(p_r)`,
/// `mean_score = mean(s_r)` over the reads present; the combined score is
/// `bins(mean_percent)` ([`Combine::MeanPercent`]),
/// `floor(mean_score + 0.5)` ([`Combine::MeanScore`]) or the consensus
/// ([`Combine::Consensus`]); a case with no read falls back to its
/// consensus. The final score is the adjudicated reading when given, else
/// the combined score. A case *straddles* when two of its reader scores lie
/// on both sides of `positive_from`; it is *unresolved* when it straddles,
/// has no adjudication and its score came from averaging. Cases with no
/// read, consensus or adjudication are excluded with a reason.
///
/// # Errors
///
/// [`StudyError::NoReaders`], [`StudyError::BadPositiveFrom`],
/// [`StudyError::ReadCount`], [`StudyError::DuplicateId`],
/// [`StudyError::PercentOutOfRange`], [`StudyError::ScoreOutOfRange`],
/// [`StudyError::MissingConsensus`].
///
/// # Example
///
/// ```
/// use oncomark_study::ihc::{score_cases, IhcCase, IhcOptions, Reading};
/// let cases = vec![
///     IhcCase { id: "p1".into(), reads: vec![Some(35.0), Some(50.0)], consensus: None, adjudicated: None },
///     IhcCase { id: "p2".into(), reads: vec![Some(30.0), Some(45.0)], consensus: None,
///               adjudicated: Some(Reading::Score(2)) },
///     IhcCase { id: "p3".into(), reads: vec![Some(0.0), Some(5.0)], consensus: None, adjudicated: None },
/// ];
/// let r = score_cases(&["A", "B"], &cases, &IhcOptions::default())?;
/// // p1: mean 42.5 % -> 3+, straddles 40 % and is not adjudicated
/// assert!((r.cases[0].mean_percent.unwrap() - 42.5).abs() < 1e-12);
/// assert_eq!((r.cases[0].score, r.cases[0].unresolved), (3, true));
/// // p2: mean 37.5 % would be 2+; the adjudicated 2+ is used
/// assert_eq!((r.cases[1].score, r.cases[1].unresolved), (2, false));
/// assert_eq!(r.straddling, vec!["p1", "p2"]);
/// assert_eq!(r.n_unresolved, 1);
/// assert_eq!(r.score_counts, vec![0, 1, 1, 1]);
/// # Ok::<(), oncomark_study::StudyError>(())
/// ```
pub fn score_cases<S: AsRef<str>>(
    readers: &[S],
    cases: &[IhcCase],
    opts: &IhcOptions,
) -> Result<IhcResult> {
    if readers.is_empty() {
        return Err(StudyError::NoReaders);
    }
    let bins = &opts.bins;
    let max = bins.max_score();
    if opts.positive_from == 0 || opts.positive_from > max {
        return Err(StudyError::BadPositiveFrom {
            positive_from: opts.positive_from,
            max,
        });
    }
    let readers: Vec<String> = readers.iter().map(|r| r.as_ref().to_string()).collect();
    let n_readers = readers.len();
    let mut seen = BTreeSet::new();
    let mut scored = Vec::with_capacity(cases.len());
    let mut excluded = Vec::new();
    let mut table = ReaderTable {
        readers: readers.clone(),
        cases: Vec::new(),
        scores: vec![Vec::new(); n_readers],
        percents: vec![Vec::new(); n_readers],
        n_incomplete: 0,
    };
    for case in cases {
        let id = case.id.as_str();
        if !seen.insert(id) {
            return Err(StudyError::DuplicateId {
                table: "IHC table",
                id: id.to_string(),
                unit: "case",
            });
        }
        if case.reads.len() != n_readers {
            return Err(StudyError::ReadCount {
                case: id.to_string(),
                got: case.reads.len(),
                expected: n_readers,
            });
        }
        let mut scores = Vec::with_capacity(n_readers);
        for (r, p) in case.reads.iter().enumerate() {
            scores.push(match p {
                Some(p) => Some(bins.score_checked(*p, id, &readers[r])?),
                None => None,
            });
        }
        let consensus = case
            .consensus
            .map(|c| reading_score(bins, c, id, "consensus"))
            .transpose()?;
        let adjudicated = case
            .adjudicated
            .map(|a| reading_score(bins, a, id, "adjudicated"))
            .transpose()?;

        let present: Vec<f64> = case.reads.iter().flatten().copied().collect();
        let present_scores: Vec<u8> = scores.iter().flatten().copied().collect();
        let mean_percent = mean(&present);
        let mean_score = mean(
            &present_scores
                .iter()
                .map(|&s| f64::from(s))
                .collect::<Vec<_>>(),
        );
        if present.len() == n_readers {
            table.cases.push(id.to_string());
            for r in 0..n_readers {
                // all present (checked just above)
                table.scores[r].push(scores[r].unwrap_or(0));
                table.percents[r].push(case.reads[r].unwrap_or(0.0));
            }
        } else {
            table.n_incomplete += 1;
        }

        let averaged = match opts.combine {
            Combine::MeanPercent => match mean_percent {
                Some(m) => Some(bins.score_checked(m, id, "mean percent")?),
                None => None,
            },
            // mean of scores <= max, so the rounded value is a valid score
            Combine::MeanScore => mean_score.map(|m| (m + 0.5).floor() as u8),
            Combine::Consensus => None,
        };
        let (combined, combined_source) = match (opts.combine, averaged, consensus) {
            (Combine::Consensus, _, Some(c)) => (Some(c), ScoreSource::Consensus),
            (Combine::Consensus, _, None) => {
                if adjudicated.is_none() {
                    return Err(StudyError::MissingConsensus {
                        case: id.to_string(),
                    });
                }
                (None, ScoreSource::Consensus)
            }
            (_, Some(a), _) => (Some(a), ScoreSource::Average),
            (_, None, Some(c)) => (Some(c), ScoreSource::Consensus),
            (_, None, None) => (None, ScoreSource::Average),
        };
        let straddles = present_scores.len() >= 2
            && present_scores.iter().any(|&s| s < opts.positive_from)
            && present_scores.iter().any(|&s| s >= opts.positive_from);
        let (score, source) = match (adjudicated, combined) {
            (Some(a), _) => (a, ScoreSource::Adjudicated),
            (None, Some(c)) => (c, combined_source),
            (None, None) => {
                excluded.push(IhcExclusion {
                    id: id.to_string(),
                    reason: "no reader percent, consensus or adjudicated reading".to_string(),
                });
                continue;
            }
        };
        let unresolved = straddles && source == ScoreSource::Average;
        scored.push(ScoredCase {
            id: id.to_string(),
            percents: case.reads.clone(),
            scores,
            mean_percent,
            mean_score,
            combined_score: combined.unwrap_or(score),
            score,
            label: ScoreBins::label(score),
            positive: score >= opts.positive_from,
            straddles,
            unresolved,
            source,
        });
    }

    let mut score_counts = vec![0usize; usize::from(max) + 1];
    for c in &scored {
        score_counts[usize::from(c.score)] += 1;
    }
    let n_positive = scored.iter().filter(|c| c.positive).count();
    let discordant = scored
        .iter()
        .filter(|c| {
            let s: Vec<u8> = c.scores.iter().flatten().copied().collect();
            s.iter().any(|&x| x != s[0])
        })
        .map(|c| c.id.clone())
        .collect();
    let straddling: Vec<String> = scored
        .iter()
        .filter(|c| c.straddles)
        .map(|c| c.id.clone())
        .collect();
    let unresolved: Vec<String> = scored
        .iter()
        .filter(|c| c.unresolved)
        .map(|c| c.id.clone())
        .collect();
    Ok(IhcResult {
        labels: (0..=max).map(ScoreBins::label).collect(),
        bins: bins.upper.clone(),
        combine: opts.combine,
        positive_from: opts.positive_from,
        positive_above_percent: bins.upper[usize::from(opts.positive_from) - 1],
        n_negative: scored.len() - n_positive,
        n_positive,
        score_counts,
        discordant,
        straddling,
        n_unresolved: unresolved.len(),
        unresolved,
        excluded,
        cases: scored,
        readers,
        reader_table: table,
    })
}

fn mean(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        None
    } else {
        Some(x.iter().sum::<f64>() / x.len() as f64)
    }
}

/// H-score: `1 * weak + 2 * moderate + 3 * strong`, where each argument is
/// the percent of tumour cells stained at that intensity; 0-300.
///
/// Reference: McCarty et al., Arch Pathol Lab Med 1985;109:716-721.
///
/// # Errors
///
/// [`StudyError::BadHScore`] when a percent is not in 0-100 or the three
/// sum to more than 100 (beyond a rounding allowance of 1e-9).
///
/// # Example
///
/// ```
/// use oncomark_study::ihc::h_score;
/// let h = h_score(20.0, 30.0, 10.0)?; // 20 + 60 + 30
/// assert!((h - 110.0).abs() < 1e-12);
/// # Ok::<(), oncomark_study::StudyError>(())
/// ```
pub fn h_score(weak: f64, moderate: f64, strong: f64) -> Result<f64> {
    let bad = |reason| StudyError::BadHScore {
        weak,
        moderate,
        strong,
        reason,
    };
    if [weak, moderate, strong]
        .iter()
        .any(|p| !(0.0..=100.0).contains(p))
    {
        return Err(bad("each percent must be a number from 0 to 100"));
    }
    if weak + moderate + strong > 100.0 + 1e-9 {
        return Err(bad(
            "the three percents add up to more than 100 % of tumour cells",
        ));
    }
    Ok(weak + 2.0 * moderate + 3.0 * strong)
}

/// An Allred score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Allred {
    /// Proportion score 0-5.
    pub proportion: u8,
    /// Intensity score 0-3 (none, weak, intermediate, strong).
    pub intensity: u8,
    /// `proportion + intensity`: 0 or 2-8.
    pub total: u8,
    /// `total >= 3` (Harvey et al. 1999).
    pub positive: bool,
}

/// Allred score from the percent of positive cells and the average
/// intensity of the positive cells (0-3).
///
/// Proportion score (Allred et al., Mod Pathol 1998;11:155-168): 0 = none,
/// 1 = < 1 %, 2 = 1-10 %, 3 = 11-33 %, 4 = 34-66 %, 5 = 67-100 %; the upper
/// bounds are inclusive and a fractional percent between two bands goes to
/// the higher one (10.5 % -> 3). Total = proportion + intensity (0 or 2-8);
/// positive when the total is at least 3 (Harvey et al., J Clin Oncol
/// 1999;17:1474-1481).
///
/// # Errors
///
/// [`StudyError::BadAllred`] when the percent is not in 0-100, the
/// intensity exceeds 3, positive cells are given intensity 0, or an
/// intensity is given with no positive cells.
///
/// # Example
///
/// ```
/// use oncomark_study::ihc::allred;
/// let a = allred(25.0, 2)?;
/// assert_eq!((a.proportion, a.total, a.positive), (3, 5, true));
/// assert_eq!(allred(0.0, 0)?.total, 0);
/// # Ok::<(), oncomark_study::StudyError>(())
/// ```
pub fn allred(percent_positive: f64, intensity: u8) -> Result<Allred> {
    let bad = |reason| StudyError::BadAllred {
        percent: percent_positive,
        intensity,
        reason,
    };
    if !(0.0..=100.0).contains(&percent_positive) {
        return Err(bad("the percent of positive cells must be from 0 to 100"));
    }
    if intensity > 3 {
        return Err(bad("the intensity score runs from 0 (none) to 3 (strong)"));
    }
    let p = percent_positive;
    let proportion = if p == 0.0 {
        0
    } else if p < 1.0 {
        1
    } else if p <= 10.0 {
        2
    } else if p <= 33.0 {
        3
    } else if p <= 66.0 {
        4
    } else {
        5
    };
    if proportion == 0 && intensity > 0 {
        return Err(bad(
            "an intensity is given but no cell is positive; use intensity 0",
        ));
    }
    if proportion > 0 && intensity == 0 {
        return Err(bad(
            "positive cells need an intensity of 1-3 (weak, intermediate, strong)",
        ));
    }
    let total = proportion + intensity;
    Ok(Allred {
        proportion,
        intensity,
        total,
        positive: total >= 3,
    })
}
