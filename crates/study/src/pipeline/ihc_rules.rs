//! The IHC rules other than percent bins: H-score and Allred, per reader,
//! readers combined, cases grouped by the rule's cutoff.
//!
//! # H-score (`rule = "h-score"`)
//!
//! Each reader gives the percents of tumour cells stained weakly (`w`),
//! moderately (`m`) and strongly (`s`), each 0-100 with `w + m + s <= 100`;
//! the reader's H-score is `H = w + 2m + 3s` (0-300; McCarty et al., Arch
//! Pathol Lab Med 1985;109:716-721, via [`crate::ihc::h_score`]). The case's
//! H-score is the mean of its readers' H-scores, which, H being linear, is
//! also the H-score of the readers' mean percents. Positive: `H >= cutoff`.
//! Agreement: ICC of the readers' H-scores; kappa does not apply to a
//! continuous 0-300 score and is reported as skipped.
//!
//! # Allred (`rule = "allred"`)
//!
//! Each reader gives the percent of positive tumour cells and the average
//! intensity of the positive cells (0 none, 1 weak, 2 intermediate,
//! 3 strong). The proportion score is 0 (none), 1 (< 1 %), 2 (1-10 %),
//! 3 (11-33 %), 4 (34-66 %), 5 (67-100 %); total = proportion + intensity,
//! 0 or 2-8 (Allred et al., Mod Pathol 1998;11:155-168, via
//! [`crate::ihc::allred`]). Positive: `total >= cutoff`, default 3 (Harvey
//! et al., J Clin Oncol 1999;17:1474-1481).
//!
//! ## Why the readers are combined component by component
//!
//! The case's percent is the mean of the readers' percents and gives the
//! proportion score; its intensity is the mean intensity of the readers who
//! saw positive cells, rounded half up (0 when none did); the total is
//! their sum. Reasons: (1) as for the percent bins, the proportion is
//! measured on the percent scale and the mean of two estimates of one
//! proportion estimates it better than either, the bands then apply to
//! that estimate; (2) intensity is defined over the positive cells only, so
//! a reader who saw none says nothing about it, and leaving such readers
//! out keeps the two components consistent (a positive mean percent always
//! gets an intensity of 1-3); (3) averaging the totals instead produces
//! values that are not Allred totals (0 and 2 average to 1) and half-points
//! that need a rounding rule to fall on either side of the cutoff.
//! Agreement: Cohen's kappa, unweighted and linear-weighted, on the
//! readers' totals (levels 0-8, so the linear weights follow the total's
//! spacing) and the ICC of the totals.

use std::collections::BTreeSet;

use oncomark_data::{Column, Table};

use super::PipelineError;
use crate::ihc::{allred, h_score, IhcExclusion};
use crate::results::{AllredCase, AllredRead, HScoreCase, HScoreRead};
use crate::spec::{IhcRule, MarkerSpec};

/// Cases scored by H-score or Allred.
#[derive(Debug, Clone)]
pub(crate) struct RuleScored {
    pub rule: IhcRule,
    pub cutoff: f64,
    pub readers: Vec<String>,
    /// Labels of the scores in `scores` (index = score): the two groups
    /// for the H-score, the totals 0-8 for Allred.
    pub labels: Vec<String>,
    /// First positive score of `labels`.
    pub positive_from: u8,
    /// Per scored case: id, marker group, score (index of `labels`).
    pub scores: Vec<(String, bool, u8)>,
    pub h_cases: Vec<HScoreCase>,
    pub allred_cases: Vec<AllredCase>,
    pub excluded: Vec<IhcExclusion>,
    /// Cases whose readers' H-scores (totals) differ.
    pub discordant: Vec<String>,
    /// Cases whose readers lie on both sides of the cutoff.
    pub straddling: Vec<String>,
    /// Cases read by every reader.
    pub table_cases: Vec<String>,
    /// `values[r][i]`: reader `r`'s H-score (Allred total) of `table_cases[i]`.
    pub values: Vec<Vec<f64>>,
    /// Cases not read by every reader.
    pub n_incomplete: usize,
}

/// The default cutoff of a rule (`None`: required).
pub(crate) fn default_cutoff(rule: IhcRule) -> Option<f64> {
    match rule {
        IhcRule::Allred => Some(3.0),
        _ => None,
    }
}

fn input(context: String, message: impl ToString) -> PipelineError {
    PipelineError::Input {
        context,
        message: message.to_string(),
    }
}

fn column<'t>(t: &'t Table, name: &str) -> Result<&'t Column, PipelineError> {
    t.column(name)
        .map_err(|e| input("reading the IHC table".into(), e))
}

/// Score the cases `(row, id)` of table `t` by `m.rule` (h-score or
/// allred); `groups` are the marker's group labels (negative, positive).
pub(crate) fn score(
    t: &Table,
    m: &MarkerSpec,
    cases: &[(usize, String)],
    names: &[String],
    groups: &[String; 2],
) -> Result<RuleScored, PipelineError> {
    let rule = m.rule.unwrap_or_default();
    let cutoff = m.cutoff.or(default_cutoff(rule)).unwrap_or(f64::NAN);
    let cols: Vec<Vec<String>> = match rule {
        IhcRule::HScore => {
            let (w, md, s) = (
                m.weak.clone().unwrap_or_default(),
                m.moderate.clone().unwrap_or_default(),
                m.strong.clone().unwrap_or_default(),
            );
            (0..w.len())
                .map(|i| vec![w[i].clone(), md[i].clone(), s[i].clone()])
                .collect()
        }
        _ => {
            let (p, x) = (
                m.readers.clone().unwrap_or_default(),
                m.intensity.clone().unwrap_or_default(),
            );
            (0..p.len())
                .map(|i| vec![p[i].clone(), x[i].clone()])
                .collect()
        }
    };
    let n_readers = cols.len();
    let data: Vec<Vec<&Column>> = cols
        .iter()
        .map(|c| c.iter().map(|c| column(t, c)).collect())
        .collect::<Result<_, _>>()?;
    let place = |row: usize, r: usize, id: &str| {
        let ci = t.position(&cols[r][0]).unwrap_or(0);
        format!(
            "{}, {}, case {id:?}, reader {:?}",
            t.file(),
            t.place(row, ci),
            names.get(r).map_or("", String::as_str)
        )
    };

    let mut out = RuleScored {
        rule,
        cutoff,
        readers: names.to_vec(),
        labels: match rule {
            IhcRule::HScore => groups.to_vec(),
            _ => (0..=8).map(|s: u8| s.to_string()).collect(),
        },
        positive_from: match rule {
            IhcRule::HScore => 1,
            // a whole number 1-8 (checked)
            _ => cutoff as u8,
        },
        scores: Vec::new(),
        h_cases: Vec::new(),
        allred_cases: Vec::new(),
        excluded: Vec::new(),
        discordant: Vec::new(),
        straddling: Vec::new(),
        table_cases: Vec::new(),
        values: vec![Vec::new(); n_readers],
        n_incomplete: 0,
    };
    let mut seen = BTreeSet::new();
    for (row, id) in cases {
        let (row, id) = (*row, id.as_str());
        if !seen.insert(id) {
            return Err(input(
                format!("{}, {}", t.file(), t.place(row, 0)),
                format!(
                    "case {id:?} appears more than once in the IHC table; give one row per case"
                ),
            ));
        }
        // each reader's value (H-score or total), None = not read
        let mut values: Vec<Option<f64>> = Vec::with_capacity(n_readers);
        let case_positive;
        let case_score;
        match rule {
            IhcRule::HScore => {
                let mut reads = Vec::with_capacity(n_readers);
                for (r, cs) in data.iter().enumerate() {
                    let v: Vec<Option<f64>> = cs.iter().map(|c| c.number(row)).collect();
                    let read = match (v[0], v[1], v[2]) {
                        (None, None, None) => None,
                        (Some(w), Some(md), Some(s)) => {
                            let h = h_score(w, md, s).map_err(|e| {
                                input(
                                    place(row, r, id),
                                    format!(
                                        "columns `{}`, `{}`, `{}`: {e}",
                                        cols[r][0], cols[r][1], cols[r][2]
                                    ),
                                )
                            })?;
                            Some(HScoreRead {
                                weak: w,
                                moderate: md,
                                strong: s,
                                h_score: h,
                            })
                        }
                        _ => {
                            return Err(input(
                                place(row, r, id),
                                format!(
                                    "columns `{}`, `{}`, `{}`: give all three percents (0 where no cell stains at that intensity) or leave all three empty",
                                    cols[r][0], cols[r][1], cols[r][2]
                                ),
                            ))
                        }
                    };
                    values.push(read.as_ref().map(|x| x.h_score));
                    reads.push(read);
                }
                let present: Vec<f64> = values.iter().flatten().copied().collect();
                if present.is_empty() {
                    out.excluded.push(IhcExclusion {
                        id: id.to_string(),
                        reason: "no reader's H-score".into(),
                    });
                    continue;
                }
                let h = present.iter().sum::<f64>() / present.len() as f64;
                case_positive = h >= cutoff;
                case_score = u8::from(case_positive);
                out.h_cases.push(HScoreCase {
                    id: id.to_string(),
                    readers: reads,
                    h_score: h,
                    positive: case_positive,
                    straddles: straddles(&present, cutoff),
                });
            }
            _ => {
                let mut reads = Vec::with_capacity(n_readers);
                for (r, cs) in data.iter().enumerate() {
                    let (pc, xc) = (cs[0], cs[1]);
                    let (pname, xname) = (&cols[r][0], &cols[r][1]);
                    let intensity = match xc.number(row) {
                        None => None,
                        Some(x) if x.fract() == 0.0 && (0.0..=3.0).contains(&x) => Some(x as u8),
                        Some(x) => {
                            return Err(input(
                                place(row, r, id),
                                format!("column `{xname}`: {x} is not an Allred intensity score; use a whole number 0 (none), 1 (weak), 2 (intermediate) or 3 (strong)"),
                            ))
                        }
                    };
                    let read = match (pc.number(row), intensity) {
                        (None, None) => None,
                        (Some(p), Some(x)) => Some((p, x)),
                        // no positive cell: the intensity may be left empty
                        (Some(p), None) if p == 0.0 => Some((p, 0)),
                        (Some(p), None) => {
                            return Err(input(
                                place(row, r, id),
                                format!("{p} % positive in `{pname}` but no intensity in `{xname}`: give the intensity of the positive cells (1-3)"),
                            ))
                        }
                        (None, Some(x)) => {
                            return Err(input(
                                place(row, r, id),
                                format!("intensity {x} in `{xname}` but no percent in `{pname}`: give both or neither"),
                            ))
                        }
                    };
                    let read = match read {
                        None => None,
                        Some((p, x)) => {
                            let a = allred(p, x).map_err(|e| {
                                input(place(row, r, id), format!("`{pname}` and `{xname}`: {e}"))
                            })?;
                            Some(AllredRead {
                                percent: p,
                                proportion: a.proportion,
                                intensity: a.intensity,
                                total: a.total,
                            })
                        }
                    };
                    values.push(read.as_ref().map(|a| f64::from(a.total)));
                    reads.push(read);
                }
                let present: Vec<&AllredRead> = reads.iter().flatten().collect();
                if present.is_empty() {
                    out.excluded.push(IhcExclusion {
                        id: id.to_string(),
                        reason: "no reader's Allred score".into(),
                    });
                    continue;
                }
                let mean_percent =
                    present.iter().map(|a| a.percent).sum::<f64>() / present.len() as f64;
                let stained: Vec<f64> = present
                    .iter()
                    .filter(|a| a.percent > 0.0)
                    .map(|a| f64::from(a.intensity))
                    .collect();
                let intensity = if stained.is_empty() {
                    0
                } else {
                    // mean of 1-3, rounded half up: 1-3
                    (stained.iter().sum::<f64>() / stained.len() as f64 + 0.5).floor() as u8
                };
                // consistent by construction: mean_percent > 0 iff a reader
                // saw positive cells iff intensity >= 1
                let a = allred(mean_percent, intensity)
                    .map_err(|e| input(format!("{}, case {id:?}", t.file()), e))?;
                case_positive = f64::from(a.total) >= cutoff;
                case_score = a.total;
                let totals: Vec<f64> = present.iter().map(|a| f64::from(a.total)).collect();
                out.allred_cases.push(AllredCase {
                    id: id.to_string(),
                    readers: reads,
                    mean_percent,
                    proportion: a.proportion,
                    intensity: a.intensity,
                    total: a.total,
                    positive: case_positive,
                    straddles: straddles(&totals, cutoff),
                });
            }
        }
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        if present.iter().any(|&v| v != present[0]) {
            out.discordant.push(id.to_string());
        }
        if straddles(&present, cutoff) {
            out.straddling.push(id.to_string());
        }
        if present.len() == n_readers {
            out.table_cases.push(id.to_string());
            for (r, v) in values.iter().enumerate() {
                out.values[r].push(v.unwrap_or(f64::NAN));
            }
        } else {
            out.n_incomplete += 1;
        }
        out.scores.push((id.to_string(), case_positive, case_score));
    }
    Ok(out)
}

/// Two or more reads on both sides of `cutoff` (positive = `>= cutoff`).
fn straddles(values: &[f64], cutoff: f64) -> bool {
    values.len() >= 2 && values.iter().any(|&v| v < cutoff) && values.iter().any(|&v| v >= cutoff)
}
