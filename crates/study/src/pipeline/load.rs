//! From the checked spec's tables to one typed record per patient, with the
//! exclusions of the patient flow.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use oncomark_data::{ColumnKind, Table};

use super::ihc_rules::{self, RuleScored};
use super::PipelineError;
use crate::endpoints::{derive_endpoint, DateProblem, EndpointOptions, OnProblem, PatientDates};
use crate::ihc::{score_cases, IhcCase, IhcOptions, IhcResult, Reading, ScoreBins};
use crate::response::{assess_lesions, LesionMeasurement, Response, ResponseOptions};
use crate::results::ScoringRule;
use crate::results::{EndpointInfo, ExcludedPatient, ExclusionStage, ReasonCount, Unmatched};
use crate::spec::check::{endpoint_names, factor_name, parse_flag};
use crate::spec::{
    CheckedSpec, FactorSpec, FactorType, IhcRule, MarkerKind, MarkerSpec, ReadingScale,
    ResponseSource, Spec,
};

/// A factor's value for one patient.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FVal {
    /// A number.
    Num(f64),
    /// Index of a level.
    Level(usize),
}

/// A factor as analysed.
#[derive(Debug, Clone)]
pub(crate) struct FactorDef {
    pub name: String,
    pub label: String,
    pub column: String,
    /// `None`: numeric.
    pub levels: Option<Vec<String>>,
    /// Index of the reference level.
    pub reference: usize,
    pub models: bool,
    /// Model column names (one per non-reference level, or one numeric).
    pub columns: Vec<String>,
    /// The non-reference level of each model column (categorical).
    pub column_levels: Vec<usize>,
}

impl FactorDef {
    /// The model columns of a value.
    pub fn design(&self, v: &FVal) -> Vec<f64> {
        match v {
            FVal::Num(x) => vec![*x],
            FVal::Level(l) => self
                .column_levels
                .iter()
                .map(|&c| if c == *l { 1.0 } else { 0.0 })
                .collect(),
        }
    }

    /// Label of each model column.
    pub fn column_labels(&self) -> Vec<String> {
        match &self.levels {
            None => vec![self.label.clone()],
            Some(_) if self.columns.len() == 1 && self.columns[0] == self.name => {
                vec![self.label.clone()]
            }
            Some(levels) => self
                .column_levels
                .iter()
                .map(|&l| {
                    format!(
                        "{}: {} vs {}",
                        self.label, levels[l], levels[self.reference]
                    )
                })
                .collect(),
        }
    }
}

/// Marker group and score, and the reason of an exclusion, by case id.
type ScoredMaps<'a> = (HashMap<&'a str, (bool, u8)>, HashMap<&'a str, &'a str>);

/// The IHC cases as scored by the spec's rule.
#[derive(Debug)]
pub(crate) enum IhcScored {
    /// `percent-bins`.
    Bins(IhcResult),
    /// `h-score` or `allred`.
    Rule(RuleScored),
}

/// The marker as analysed.
#[derive(Debug, Clone)]
pub(crate) struct MarkerDef {
    pub name: String,
    pub rule: String,
    /// Negative, positive.
    pub labels: [String; 2],
    /// The IHC rule and cutoff (IHC markers).
    pub scoring: Option<ScoringRule>,
}

/// One analysed patient.
#[derive(Debug, Clone)]
pub(crate) struct Patient {
    pub id: String,
    pub cohort: usize,
    pub treated: Option<bool>,
    pub positive: bool,
    /// IHC or recorded score.
    pub score: Option<u8>,
    /// Per endpoint: time and event.
    pub ends: Vec<Option<(f64, bool)>>,
    /// Best response and best percent change, when assessed.
    pub response: Option<(Response, Option<f64>)>,
    /// Per factor.
    pub factors: Vec<Option<FVal>>,
}

/// Everything loaded.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub patients: Vec<Patient>,
    pub screened: usize,
    pub stages: Vec<ExclusionStage>,
    pub unmatched: Vec<Unmatched>,
    pub adjustments: Vec<ExcludedPatient>,
    pub cohorts: Vec<String>,
    pub endpoints: Vec<EndpointInfo>,
    pub primary: usize,
    pub factors: Vec<FactorDef>,
    pub marker: MarkerDef,
    pub ihc: Option<IhcScored>,
    pub notes: Vec<String>,
}

fn input(context: impl Into<String>, message: impl ToString) -> PipelineError {
    PipelineError::Input {
        context: context.into(),
        message: message.to_string(),
    }
}

fn col<'t>(t: &'t Table, name: &str) -> Result<&'t oncomark_data::Column, PipelineError> {
    t.column(name).map_err(|e| input("reading the tables", e))
}

/// Patient ids: the id column, or row numbers from 1.
fn patient_ids(spec: &Spec, t: &Table) -> Result<Vec<String>, PipelineError> {
    match &spec.data.patients.id {
        None => Ok((1..=t.n_rows()).map(|r| r.to_string()).collect()),
        Some(id) => {
            let c = col(t, id)?;
            let ci = t.position(id).unwrap_or(0);
            (0..c.len())
                .map(|r| {
                    c.text(r).map(str::to_string).ok_or_else(|| {
                        input(
                            format!("{}, {}", t.file(), t.place(r, ci)),
                            format!("the id column `{id}` is empty"),
                        )
                    })
                })
                .collect()
        }
    }
}

fn parse_date(
    t: &Table,
    column: &str,
    row: usize,
    format: &str,
) -> Result<Option<NaiveDate>, PipelineError> {
    let c = col(t, column)?;
    match c.text(row) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, format).map(Some).map_err(|_| {
            let ci = t.position(column).unwrap_or(0);
            input(
                format!("{}, {}, column `{column}`", t.file(), t.place(row, ci)),
                format!("{s:?} is not a date in the format {format:?}"),
            )
        }),
    }
}

/// Short, id-free description of a date problem (for reason counts).
fn date_problem_kind(p: &DateProblem) -> &'static str {
    match p {
        DateProblem::MissingStart => "no start date",
        DateProblem::ProgressionBeforeStart { .. } => "progression before the start",
        DateProblem::DeathBeforeStart { .. } => "death before the start",
        DateProblem::LastFollowUpBeforeStart { .. } => "last follow-up before the start",
        DateProblem::ProgressionAfterDeath { .. } => "progression after death",
        DateProblem::LastFollowUpAfterDeath { .. } => "last follow-up after death",
        DateProblem::NoFollowUp => "no follow-up date",
    }
}

/// The marker's labels and rule in words.
pub(crate) fn marker_def(spec: &Spec) -> MarkerDef {
    let m = &spec.marker;
    let range_label = |from: u8, to: u8| {
        if from == to {
            ScoreBins::label(from)
        } else {
            format!(
                "{}-{}",
                if from == 0 {
                    "0".to_string()
                } else {
                    from.to_string()
                },
                ScoreBins::label(to)
            )
        }
    };
    let mut scoring = None;
    let (neg, pos, rule) = match m.kind {
        MarkerKind::Ihc if m.rule.unwrap_or_default() != IhcRule::PercentBins => {
            let (neg, pos, rule, s) = rule_def(m);
            scoring = Some(s);
            (neg, pos, rule)
        }
        MarkerKind::Ihc => {
            let bins = m
                .bins
                .clone()
                .unwrap_or_else(|| vec![0.0, 10.0, 40.0, 100.0]);
            let max = (bins.len() - 1) as u8;
            let pf = m.positive_from.unwrap_or(3);
            let cut = bins[usize::from(pf) - 1];
            let readers = m.readers.as_ref().map_or(0, Vec::len);
            let combine = match m.combine.unwrap_or_default() {
                crate::ihc::Combine::MeanPercent => "readers' percents averaged, then binned",
                crate::ihc::Combine::MeanScore => "readers' scores averaged, rounded half up",
                crate::ihc::Combine::Consensus => "consensus score",
            };
            scoring = Some(ScoringRule {
                rule: IhcRule::PercentBins.name().into(),
                cutoff: None,
                positive: format!("score >= {} (a percent above {cut} %)", ScoreBins::label(pf)),
                combination: combine.to_string(),
                reference: "percent of stained tumour cells binned into scores (the seed paper: Lesniak et al., Cancer Res 2009;69:8620)".into(),
            });
            (
                range_label(0, pf - 1),
                range_label(pf, max),
                format!(
                    "IHC percent of stained cells from {readers} reader{}, scored by the bins [{}] (inclusive upper percents), {combine}{}; positive = score >= {} (a percent above {cut} %)",
                    if readers == 1 { "" } else { "s" },
                    bins.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", "),
                    if m.adjudicated.is_some() { ", adjudicated readings used where given" } else { "" },
                    ScoreBins::label(pf)
                ),
            )
        }
        MarkerKind::Continuous => {
            let c = m.column.clone().unwrap_or_default();
            let cut = m.cutoff.unwrap_or(f64::NAN);
            let side = m.positive.unwrap_or_default();
            let (sn, sp) = side.signs();
            (
                format!("{c} {sn} {cut}"),
                format!("{c} {sp} {cut}"),
                format!(
                    "continuous `{c}`, positive when {c} {sp} {cut} (cutoff fixed in the spec)"
                ),
            )
        }
        MarkerKind::Score => {
            let max = m.max_score.unwrap_or(3);
            let pf = m.positive_from.unwrap_or(3);
            (
                range_label(0, pf - 1),
                range_label(pf, max),
                format!(
                    "recorded score `{}` (0-{max}), positive = score >= {pf}",
                    m.column.clone().unwrap_or_default()
                ),
            )
        }
    };
    MarkerDef {
        name: m.name.clone(),
        rule,
        scoring,
        labels: [
            m.negative_label.clone().unwrap_or(neg),
            m.positive_label.clone().unwrap_or(pos),
        ],
    }
}

/// Group labels, rule in words and [`ScoringRule`] of the H-score and
/// Allred rules.
fn rule_def(m: &MarkerSpec) -> (String, String, String, ScoringRule) {
    let rule = m.rule.unwrap_or_default();
    let cut = m
        .cutoff
        .or(ihc_rules::default_cutoff(rule))
        .unwrap_or(f64::NAN);
    let n = match rule {
        IhcRule::HScore => m.weak.as_ref().map_or(0, Vec::len),
        _ => m.readers.as_ref().map_or(0, Vec::len),
    };
    let readers = format!("{n} reader{}", if n == 1 { "" } else { "s" });
    match rule {
        IhcRule::HScore => {
            let combination = "readers' H-scores averaged";
            (
                format!("H-score < {cut}"),
                format!("H-score >= {cut}"),
                format!(
                    "IHC H-score (1 x % weak + 2 x % moderate + 3 x % strong tumour cells, 0-300; McCarty et al. 1985) from {readers}, {combination}; positive = H-score >= {cut}"
                ),
                ScoringRule {
                    rule: rule.name().into(),
                    cutoff: Some(cut),
                    positive: format!("H-score >= {cut}"),
                    combination: combination.into(),
                    reference: "McCarty et al., Arch Pathol Lab Med 1985;109:716-721".into(),
                },
            )
        }
        _ => {
            let combination = "readers' percents of positive cells averaged (proportion score of the mean), intensity the mean of the readers who saw positive cells rounded half up";
            let c = cut as u8;
            let range = |a: u8, b: u8| {
                if a == b {
                    format!("Allred {a}")
                } else {
                    format!("Allred {a}-{b}")
                }
            };
            (
                range(0, c.saturating_sub(1)),
                range(c, 8),
                format!(
                    "IHC Allred score (proportion 0-5 + intensity 0-3, total 0 or 2-8; Allred et al. 1998) from {readers}, {combination}; positive = total >= {c}{}",
                    if m.cutoff.is_none() { " (Harvey et al. 1999)" } else { "" }
                ),
                ScoringRule {
                    rule: rule.name().into(),
                    cutoff: Some(cut),
                    positive: format!("Allred total >= {c}"),
                    combination: combination.into(),
                    reference: "Allred et al., Mod Pathol 1998;11:155-168; cutoff 3: Harvey et al., J Clin Oncol 1999;17:1474-1481".into(),
                },
            )
        }
    }
}

fn factor_def(f: &FactorSpec, t: &Table) -> Result<FactorDef, PipelineError> {
    let name = factor_name(f);
    let label = f.label.clone().unwrap_or_else(|| name.clone());
    let c = col(t, &f.column)?;
    let (levels, reference, single) = if let Some(cut) = f.cutoff {
        (Some(vec![format!("<= {cut}"), format!("> {cut}")]), 0, true)
    } else {
        let levels = c.levels();
        let zero_one = c.kind() == ColumnKind::Numeric
            && !levels.is_empty()
            && levels.len() <= 2
            && c.numbers().flatten().all(|v| v == 0.0 || v == 1.0);
        let kind = f.kind.unwrap_or(if c.kind() == ColumnKind::Text {
            FactorType::Categorical
        } else if zero_one {
            FactorType::Binary
        } else {
            FactorType::Numeric
        });
        match kind {
            FactorType::Numeric => (None, 0, true),
            FactorType::Categorical | FactorType::Binary => {
                let reference = match &f.reference {
                    Some(r) => levels.iter().position(|l| l == r).unwrap_or(0),
                    None => 0,
                };
                let single = levels.len() == 2 && zero_one && reference == 0;
                (Some(levels), reference, single)
            }
        }
    };
    let (columns, column_levels) = match &levels {
        None => (vec![name.clone()], vec![]),
        Some(l) if single && l.len() == 2 => (vec![name.clone()], vec![1 - reference]),
        Some(l) => (0..l.len())
            .filter(|&i| i != reference)
            .map(|i| (format!("{name}={}", l[i]), i))
            .unzip(),
    };
    Ok(FactorDef {
        name,
        label,
        column: f.column.clone(),
        levels,
        reference,
        models: f.models,
        columns,
        column_levels,
    })
}

fn factor_value(
    f: &FactorDef,
    spec: &FactorSpec,
    t: &Table,
    row: usize,
) -> Result<Option<FVal>, PipelineError> {
    let c = col(t, &f.column)?;
    Ok(match (&f.levels, spec.cutoff) {
        (_, Some(cut)) => c.number(row).map(|v| FVal::Level(usize::from(v > cut))),
        (None, None) => c.number(row).map(FVal::Num),
        (Some(levels), None) => c
            .text(row)
            .and_then(|s| levels.iter().position(|l| l == s))
            .map(FVal::Level),
    })
}

/// Load and type every patient; see the module docs.
pub(crate) fn load(checked: &CheckedSpec) -> Result<Loaded, PipelineError> {
    let spec = &checked.spec;
    let tp = &checked.tables.patients;
    let n = tp.n_rows();
    let ids = patient_ids(spec, tp)?;
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut notes = Vec::new();
    let mut unmatched = Vec::new();

    // ---- cohorts
    let (cohorts, cohort_of): (Vec<String>, Vec<Result<usize, String>>) = match &spec.cohorts {
        None => (vec!["all".to_string()], vec![Ok(0); n]),
        Some(c) => {
            let column = col(tp, &c.column)?;
            let levels = c.levels.clone().unwrap_or_else(|| column.levels());
            let of = (0..n)
                .map(|r| match column.text(r) {
                    None => Err("no cohort value".to_string()),
                    Some(v) => levels
                        .iter()
                        .position(|l| l == v)
                        .ok_or_else(|| format!("cohort {v:?} is not analysed")),
                })
                .collect();
            (levels, of)
        }
    };

    // ---- treatment
    let treated: Vec<Option<bool>> = match &spec.treatment {
        None => vec![None; n],
        Some(t) => {
            let column = col(tp, &t.column)?;
            (0..n)
                .map(|r| {
                    column.text(r).and_then(|v| {
                        if v == t.treated {
                            Some(true)
                        } else {
                            match &t.control {
                                Some(c) if v != c => None,
                                _ => Some(false),
                            }
                        }
                    })
                })
                .collect()
        }
    };

    // ---- marker
    let marker = marker_def(spec);
    let m = &spec.marker;
    let mut ihc_result = None;
    let marker_of: Vec<Result<(bool, Option<u8>), String>> = match m.kind {
        MarkerKind::Ihc => {
            let (t, own) = match &checked.tables.ihc {
                Some(t) => (t, true),
                None => (tp, false),
            };
            let case_ids: Vec<String> = if own {
                let id_col = spec
                    .data
                    .ihc
                    .as_ref()
                    .and_then(|i| i.id.clone())
                    .or_else(|| spec.data.patients.id.clone())
                    .unwrap_or_default();
                let c = col(t, &id_col)?;
                (0..t.n_rows())
                    .map(|r| c.text(r).unwrap_or_default().to_string())
                    .collect()
            } else {
                ids.clone()
            };
            let readers = m.readers.clone().unwrap_or_default();
            let reader_cols = readers
                .iter()
                .map(|r| col(t, r))
                .collect::<Result<Vec<_>, _>>()?;
            let reading = |column: &Option<String>,
                           scale: Option<ReadingScale>,
                           row: usize|
             -> Result<Option<Reading>, PipelineError> {
                let Some(name) = column else { return Ok(None) };
                let c = col(t, name)?;
                Ok(match (c.number(row), scale.unwrap_or_default()) {
                    (None, _) => None,
                    (Some(v), ReadingScale::Percent) => Some(Reading::Percent(v)),
                    (Some(v), ReadingScale::Score) => {
                        if v.fract() != 0.0 || !(0.0..=255.0).contains(&v) {
                            let ci = t.position(name).unwrap_or(0);
                            return Err(input(
                                format!("{}, {}, column `{name}`", t.file(), t.place(row, ci)),
                                format!("{v} is not a score (a whole number such as 0, 1, 2, 3)"),
                            ));
                        }
                        Some(Reading::Score(v as u8))
                    }
                })
            };
            let mut matched = Vec::new();
            let mut extra = Vec::new();
            for (row, cid) in case_ids.iter().enumerate() {
                if index.contains_key(cid.as_str()) {
                    matched.push((row, cid.clone()));
                } else {
                    extra.push(cid.clone());
                }
            }
            if !extra.is_empty() {
                unmatched.push(Unmatched {
                    table: "ihc".into(),
                    ids: extra,
                });
            }
            let rule = m.rule.unwrap_or_default();
            let reader_keys = match rule {
                IhcRule::HScore => m.weak.clone().unwrap_or_default(),
                _ => readers.clone(),
            };
            let names = m.reader_names.clone().unwrap_or(reader_keys);
            let scored_ihc = if rule == IhcRule::PercentBins {
                let mut cases = Vec::with_capacity(matched.len());
                for (row, cid) in &matched {
                    let row = *row;
                    cases.push(IhcCase {
                        id: cid.clone(),
                        reads: reader_cols.iter().map(|c| c.number(row)).collect(),
                        consensus: reading(&m.consensus, m.consensus_scale, row)?,
                        adjudicated: reading(&m.adjudicated, m.adjudicated_scale, row)?,
                    });
                }
                let bins = ScoreBins::new(
                    m.bins
                        .clone()
                        .unwrap_or_else(|| vec![0.0, 10.0, 40.0, 100.0]),
                )
                .map_err(|e| input("marker.bins", e))?;
                let opts = IhcOptions {
                    bins,
                    combine: m.combine.unwrap_or_default(),
                    positive_from: m.positive_from.unwrap_or(3),
                };
                IhcScored::Bins(
                    score_cases(&names, &cases, &opts)
                        .map_err(|e| input(format!("scoring the IHC reads of {}", t.file()), e))?,
                )
            } else {
                IhcScored::Rule(ihc_rules::score(t, m, &matched, &names, &marker.labels)?)
            };
            let (scored, excluded): ScoredMaps<'_> = match &scored_ihc {
                IhcScored::Bins(r) => (
                    r.cases
                        .iter()
                        .map(|c| (c.id.as_str(), (c.positive, c.score)))
                        .collect(),
                    r.excluded
                        .iter()
                        .map(|e| (e.id.as_str(), e.reason.as_str()))
                        .collect(),
                ),
                IhcScored::Rule(r) => (
                    r.scores
                        .iter()
                        .map(|(id, p, s)| (id.as_str(), (*p, *s)))
                        .collect(),
                    r.excluded
                        .iter()
                        .map(|e| (e.id.as_str(), e.reason.as_str()))
                        .collect(),
                ),
            };
            let out = ids
                .iter()
                .map(|id| match scored.get(id.as_str()) {
                    Some(&(p, s)) => Ok((p, Some(s))),
                    None => Err(match excluded.get(id.as_str()) {
                        Some(why) => format!("no IHC score: {why}"),
                        None => "no IHC reading (not in the IHC table)".to_string(),
                    }),
                })
                .collect();
            ihc_result = Some(scored_ihc);
            out
        }
        MarkerKind::Continuous => {
            let name = m.column.clone().unwrap_or_default();
            let c = col(tp, &name)?;
            let cut = m.cutoff.unwrap_or(f64::NAN);
            let side = m.positive.unwrap_or_default();
            (0..n)
                .map(|r| match c.number(r) {
                    Some(v) => Ok((side.positive(v, cut), None)),
                    None => Err(format!("no {} value", m.name)),
                })
                .collect()
        }
        MarkerKind::Score => {
            let name = m.column.clone().unwrap_or_default();
            let c = col(tp, &name)?;
            let pf = m.positive_from.unwrap_or(3);
            let mut out = Vec::with_capacity(n);
            for r in 0..n {
                out.push(match c.number(r) {
                    Some(v) if v.fract() == 0.0 && (0.0..=255.0).contains(&v) => {
                        Ok((v as u8 >= pf, Some(v as u8)))
                    }
                    Some(v) => {
                        let ci = tp.position(&name).unwrap_or(0);
                        return Err(input(
                            format!("{}, {}, column `{name}`", tp.file(), tp.place(r, ci)),
                            format!("{v} is not a score (a whole number)"),
                        ));
                    }
                    None => Err(format!("no {} score", m.name)),
                });
            }
            out
        }
    };

    // ---- endpoints
    let e = &spec.endpoints;
    let names = endpoint_names(spec);
    let mut endpoint_info = Vec::new();
    let mut ends: Vec<Vec<Option<(f64, bool)>>> = vec![Vec::new(); n];
    let mut date_problem: Vec<Option<(String, Vec<&'static str>)>> = vec![None; n];
    let mut adjustments = Vec::new();
    if !e.derive.is_empty() {
        let dates = e.dates.clone().unwrap_or_else(|| crate::spec::DatesSpec {
            start: String::new(),
            progression: None,
            death: None,
            last_follow_up: None,
        });
        let fmt = &spec.data.patients.date_format;
        let get = |c: &Option<String>, r: usize| -> Result<Option<NaiveDate>, PipelineError> {
            match c {
                Some(c) => parse_date(tp, c, r, fmt),
                None => Ok(None),
            }
        };
        let mut pd = Vec::with_capacity(n);
        for r in 0..n {
            pd.push(PatientDates {
                patient: ids[r].clone(),
                start: parse_date(tp, &dates.start, r, fmt)?,
                progression: get(&dates.progression, r)?,
                death: get(&dates.death, r)?,
                last_follow_up: get(&dates.last_follow_up, r)?,
            });
        }
        let opts = EndpointOptions {
            unit: e.unit,
            on_problem: OnProblem::Exclude,
            ttp_death_after_follow_up: e.ttp_death_after_follow_up,
        };
        for (k, ep) in e.derive.iter().enumerate() {
            let table = derive_endpoint(&pd, *ep, &opts)
                .map_err(|err| input("deriving the endpoints from the dates", err))?;
            let times: HashMap<&str, (f64, bool)> = table
                .rows
                .iter()
                .map(|r| (r.patient.as_str(), (r.time, r.event)))
                .collect();
            for (r, id) in ids.iter().enumerate() {
                ends[r].push(times.get(id.as_str()).copied());
            }
            if k == 0 {
                for x in &table.excluded {
                    if let Some(&r) = index.get(x.patient.as_str()) {
                        date_problem[r] = Some((
                            x.reason.clone(),
                            x.problems.iter().map(date_problem_kind).collect(),
                        ));
                    }
                }
                adjustments = table
                    .adjustments
                    .iter()
                    .map(|a| ExcludedPatient {
                        id: a.patient.clone(),
                        reason: a.note.clone(),
                    })
                    .collect();
            }
            endpoint_info.push(EndpointInfo {
                name: ep.name().to_string(),
                label: match ep {
                    crate::endpoints::Endpoint::Ttp => "Time to progression",
                    crate::endpoints::Endpoint::Pfs => "Progression-free survival",
                    crate::endpoints::Endpoint::Os => "Overall survival",
                }
                .to_string(),
                source: "dates".into(),
            });
        }
    }
    for g in &e.given {
        let tc = col(tp, &g.time)?;
        let ec = col(tp, &g.event)?;
        let factor = g.time_unit.unwrap_or(e.unit).days() / e.unit.days();
        for r in 0..n {
            let time = tc.number(r);
            let event = ec.text(r).and_then(|s| match &g.event_value {
                Some(v) => Some(
                    s == v
                        || matches!((s.parse::<f64>(), v.parse::<f64>()), (Ok(a), Ok(b)) if a == b),
                ),
                None => parse_flag(s),
            });
            ends[r].push(match (time, event) {
                (Some(t), Some(ev)) if t.is_finite() && t >= 0.0 => Some((t * factor, ev)),
                _ => None,
            });
        }
        endpoint_info.push(EndpointInfo {
            name: g.name.clone(),
            label: g.label.clone().unwrap_or_else(|| g.name.clone()),
            source: "columns".into(),
        });
    }
    let primary = e
        .primary
        .as_ref()
        .and_then(|p| names.iter().position(|x| x == p))
        .unwrap_or(0);

    // ---- factors
    let factors = spec
        .factors
        .iter()
        .map(|f| factor_def(f, tp))
        .collect::<Result<Vec<_>, _>>()?;

    // ---- stages
    let mut stage_lists: [Vec<(ExcludedPatient, String)>; 3] = Default::default();
    let mut analysed_rows = Vec::new();
    for r in 0..n {
        if let Err(why) = &cohort_of[r] {
            let short = if why.starts_with("no") {
                why.clone()
            } else {
                "another cohort".to_string()
            };
            stage_lists[0].push((
                ExcludedPatient {
                    id: ids[r].clone(),
                    reason: why.clone(),
                },
                short,
            ));
        } else if let Err(why) = &marker_of[r] {
            stage_lists[1].push((
                ExcludedPatient {
                    id: ids[r].clone(),
                    reason: why.clone(),
                },
                why.clone(),
            ));
        } else if let Some((why, kinds)) = &date_problem[r] {
            stage_lists[2].push((
                ExcludedPatient {
                    id: ids[r].clone(),
                    reason: why.clone(),
                },
                kinds.join("; "),
            ));
        } else {
            analysed_rows.push(r);
        }
    }
    let stages = ["cohort", "marker", "dates"]
        .iter()
        .zip(stage_lists)
        .map(|(stage, list)| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for (_, short) in &list {
                *counts.entry(short.clone()).or_default() += 1;
            }
            ExclusionStage {
                stage: stage.to_string(),
                n: list.len(),
                reasons: counts
                    .into_iter()
                    .map(|(reason, n)| ReasonCount { reason, n })
                    .collect(),
                patients: list.into_iter().map(|(p, _)| p).collect(),
            }
        })
        .collect();

    // ---- response
    let analysed_ids: BTreeSet<&str> = analysed_rows.iter().map(|&r| ids[r].as_str()).collect();
    let mut response: HashMap<String, (Response, Option<f64>)> = HashMap::new();
    if let Some(rs) = &spec.response {
        match rs.source {
            ResponseSource::Recorded => {
                let name = rs.column.clone().unwrap_or_default();
                let c = col(tp, &name)?;
                for &r in &analysed_rows {
                    if let Some(v) = c.text(r) {
                        let resp = Response::parse_recorded(&ids[r], None, v)
                            .map_err(|err| input(format!("{}, column `{name}`", tp.file()), err))?;
                        response.insert(ids[r].clone(), (resp, None));
                    }
                }
            }
            ResponseSource::Lesions => {
                if let (Some(t), Some(ls)) = (&checked.tables.lesions, &spec.data.lesions) {
                    let (rows, extra) = lesion_rows(t, ls, &index, &analysed_ids)?;
                    if !extra.is_empty() {
                        unmatched.push(Unmatched {
                            table: "lesions".into(),
                            ids: extra,
                        });
                    }
                    let opts = ResponseOptions {
                        criteria: rs.criteria,
                        confirm: rs.confirm,
                        confirm_min_days: rs.confirm_min_days.unwrap_or(28),
                        sd_min_days: rs.sd_min_days,
                        who_lesion_progression: rs.who_lesion_progression,
                    };
                    let res = assess_lesions(&rows, &BTreeMap::new(), &opts).map_err(|err| {
                        input(format!("assessing response from {}", t.file()), err)
                    })?;
                    for p in res.patients {
                        response
                            .insert(p.patient.clone(), (p.best_response, p.best_percent_change));
                    }
                }
            }
        }
    }

    let mut patients = Vec::with_capacity(analysed_rows.len());
    for &r in &analysed_rows {
        let (positive, score) = marker_of[r].clone().map_err(|e| input("marker", e))?;
        let mut fv = Vec::with_capacity(factors.len());
        for (f, fs) in factors.iter().zip(&spec.factors) {
            fv.push(factor_value(f, fs, tp, r)?);
        }
        patients.push(Patient {
            id: ids[r].clone(),
            cohort: cohort_of[r].clone().unwrap_or(0),
            treated: treated[r],
            positive,
            score,
            ends: ends[r].clone(),
            response: response.get(&ids[r]).cloned(),
            factors: fv,
        });
    }
    if let Some(t) = &spec.treatment {
        let unknown = patients.iter().filter(|p| p.treated.is_none()).count();
        if unknown > 0 {
            notes.push(format!(
                "{unknown} analysed patient(s) have no or another value in `{}` (neither {:?} nor the control) and are left out of the interaction analysis",
                t.column, t.treated
            ));
        }
    }
    Ok(Loaded {
        patients,
        screened: n,
        stages,
        unmatched,
        adjustments,
        cohorts,
        endpoints: endpoint_info,
        primary,
        factors,
        marker,
        ihc: ihc_result,
        notes,
    })
}

type LesionRows = (Vec<LesionMeasurement>, Vec<String>);

fn lesion_rows(
    t: &Table,
    ls: &crate::spec::LesionTableSpec,
    patients: &HashMap<&str, usize>,
    analysed: &BTreeSet<&str>,
) -> Result<LesionRows, PipelineError> {
    let idc = col(t, &ls.id)?;
    let lc = col(t, &ls.lesion)?;
    let ldc = col(t, &ls.longest_diameter)?;
    let opt = |c: &Option<String>| -> Result<Option<&oncomark_data::Column>, PipelineError> {
        c.as_ref().map(|c| col(t, c)).transpose()
    };
    let pc = opt(&ls.perpendicular_diameter)?;
    let sc = opt(&ls.short_axis)?;
    let tc = col(t, &ls.target)?;
    let nc = opt(&ls.lymph_node)?;
    let newc = opt(&ls.new_lesion)?;
    let flag =
        |c: &oncomark_data::Column, name: &str, r: usize, default: Option<bool>| match c.text(r) {
            Some(s) => parse_flag(s).ok_or_else(|| {
                input(
                    format!(
                        "{}, {}, column `{name}`",
                        t.file(),
                        t.place(r, t.position(name).unwrap_or(0))
                    ),
                    format!("{s:?} is not a flag; use 1/0, true/false or yes/no"),
                )
            }),
            None => default.ok_or_else(|| {
                input(
                    format!(
                        "{}, {}, column `{name}`",
                        t.file(),
                        t.place(r, t.position(name).unwrap_or(0))
                    ),
                    "the flag is missing",
                )
            }),
        };
    let mut rows = Vec::new();
    let mut extra = BTreeSet::new();
    for r in 0..t.n_rows() {
        let Some(id) = idc.text(r) else {
            return Err(input(
                format!(
                    "{}, {}",
                    t.file(),
                    t.place(r, t.position(&ls.id).unwrap_or(0))
                ),
                format!("the id column `{}` is empty", ls.id),
            ));
        };
        if !patients.contains_key(id) {
            extra.insert(id.to_string());
            continue;
        }
        if !analysed.contains(id) {
            continue;
        }
        let Some(date) = parse_date(t, &ls.date, r, &ls.date_format)? else {
            return Err(input(
                format!(
                    "{}, {}",
                    t.file(),
                    t.place(r, t.position(&ls.date).unwrap_or(0))
                ),
                format!("the date column `{}` is empty", ls.date),
            ));
        };
        let lesion = lc.text(r).unwrap_or_default().to_string();
        rows.push(LesionMeasurement {
            patient: id.to_string(),
            date,
            lesion,
            longest_diameter: ldc.number(r),
            perpendicular_diameter: pc.and_then(|c| c.number(r)),
            target: flag(tc, &ls.target, r, None)?,
            lymph_node: match (nc, &ls.lymph_node) {
                (Some(c), Some(name)) => flag(c, name, r, Some(false))?,
                _ => false,
            },
            short_axis: sc.and_then(|c| c.number(r)),
            new_lesion: match (newc, &ls.new_lesion) {
                (Some(c), Some(name)) => flag(c, name, r, Some(false))?,
                _ => false,
            },
        });
    }
    Ok((rows, extra.into_iter().collect()))
}
