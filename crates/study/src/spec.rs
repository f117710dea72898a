//! The study spec: a TOML file that says where a study's tables are, which
//! columns hold what, how the marker is scored and what to analyse.
//!
//! The format is documented with a complete commented example in
//! `examples/study/paper/study.toml` (the seed paper's design) and
//! `examples/study/gbsg2.toml` (a continuous marker with a cutoff, no IHC
//! reads and no lesions), and key by key in `docs/study-spec.md`.
//!
//! # Checking
//!
//! [`check_file`] (or [`check_str`]) turns the text into a [`CheckedSpec`]
//! before any analysis runs, and reports **every** problem at once
//! ([`SpecProblems`]), each with its key path (`marker.bins`,
//! `factors[2].column`, array entries numbered from 1) and, where the
//! TOML parser gives a span, its `line:column`:
//!
//! 1. TOML syntax errors (all that the parser recovers from);
//! 2. unknown keys, with the nearest known key of the same table as a
//!    suggestion, or the table where the key belongs;
//! 3. values of the wrong type or out of their set (`unknown variant`,
//!    missing required keys), one per section;
//! 4. inconsistent or out-of-range settings (bad bins, a cutoff on an IHC
//!    marker, an endpoint without its date column, a landmark <= 0, ...);
//! 5. input files that cannot be read, columns that do not exist (with the
//!    nearest column name), cells that cannot be what the spec says
//!    (text in a numeric column, a date that does not parse, a reference
//!    level that does not occur).
//!
//! Paths in the spec are relative to the folder of the spec file.

pub(crate) mod check;
mod locate;
mod schema;
pub mod templates;

use std::fmt;
use std::path::{Path, PathBuf};

use oncomark_data::Table;
use serde::{Deserialize, Serialize};

use crate::endpoints::{DeathAfterFollowUp, Endpoint, TimeUnit};
use crate::ihc::Combine;
use crate::response::Criteria;

pub use check::{check_file, check_str};

/// The parsed spec (every section; defaults filled in by serde).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Name and description of the study.
    #[serde(default)]
    pub study: StudySection,
    /// The input tables.
    pub data: DataSection,
    /// The marker and its scoring rule.
    pub marker: MarkerSpec,
    /// Time-to-event endpoints.
    pub endpoints: EndpointsSpec,
    /// Tumour response (absent: no response analysis).
    #[serde(default)]
    pub response: Option<ResponseSpec>,
    /// Cohorts (absent: one cohort, `all`).
    #[serde(default)]
    pub cohorts: Option<CohortSpec>,
    /// The treatment whose interaction with the marker is tested.
    #[serde(default)]
    pub treatment: Option<TreatmentSpec>,
    /// Candidate prognostic factors and patient characteristics.
    #[serde(default)]
    pub factors: Vec<FactorSpec>,
    /// Multivariable model selection.
    #[serde(default)]
    pub selection: SelectionSpec,
    /// Which analyses, landmark times and common options.
    #[serde(default)]
    pub plan: PlanSpec,
    /// What the human-readable outputs may show.
    #[serde(default)]
    pub report: ReportSpec,
}

/// `[study]`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StudySection {
    /// Title of the study.
    #[serde(default)]
    pub name: Option<String>,
    /// A sentence or two on what it is.
    #[serde(default)]
    pub description: Option<String>,
}

/// `[data]`: the input tables.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataSection {
    /// One row per patient (required).
    pub patients: PatientTableSpec,
    /// IHC reads (absent: the reader columns are in the patients table).
    #[serde(default)]
    pub ihc: Option<IhcTableSpec>,
    /// Lesion measurements, one row per lesion and assessment.
    #[serde(default)]
    pub lesions: Option<LesionTableSpec>,
}

/// `[data.patients]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PatientTableSpec {
    /// The file, relative to the spec's folder.
    pub file: String,
    /// Column of the patient id (default: none; patients are then
    /// identified by their row number, 1 for the first data row).
    #[serde(default)]
    pub id: Option<String>,
    /// chrono format of the date cells (default `%Y-%m-%d`).
    #[serde(default = "default_date_format")]
    pub date_format: String,
    /// Worksheet of a workbook.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Field delimiter (one character or `tab`).
    #[serde(default)]
    pub delimiter: Option<String>,
    /// Decimal comma.
    #[serde(default)]
    pub decimal_comma: bool,
}

/// `[data.ihc]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IhcTableSpec {
    /// The file (absent: the patients table).
    #[serde(default)]
    pub file: Option<String>,
    /// Column of the patient (case) id (default: the patients' id column).
    #[serde(default)]
    pub id: Option<String>,
    /// Worksheet of a workbook.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Field delimiter.
    #[serde(default)]
    pub delimiter: Option<String>,
    /// Decimal comma.
    #[serde(default)]
    pub decimal_comma: bool,
}

/// `[data.lesions]`: a long table, one row per lesion and assessment date.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LesionTableSpec {
    /// The file.
    pub file: String,
    /// Column of the patient id.
    pub id: String,
    /// Column of the assessment date.
    pub date: String,
    /// Column of the lesion id.
    pub lesion: String,
    /// Column of the longest diameter (mm).
    pub longest_diameter: String,
    /// Column of the perpendicular diameter (mm; WHO needs it).
    #[serde(default)]
    pub perpendicular_diameter: Option<String>,
    /// Column of the lymph-node short axis (mm; RECIST 1.1 uses it).
    #[serde(default)]
    pub short_axis: Option<String>,
    /// Column of the target flag (1/0, true/false, yes/no).
    pub target: String,
    /// Column of the lymph-node flag (default: no lesion is a node).
    #[serde(default)]
    pub lymph_node: Option<String>,
    /// Column of the new-lesion flag (default: none is new).
    #[serde(default)]
    pub new_lesion: Option<String>,
    /// chrono format of the dates (default `%Y-%m-%d`).
    #[serde(default = "default_date_format")]
    pub date_format: String,
    /// Worksheet of a workbook.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Field delimiter.
    #[serde(default)]
    pub delimiter: Option<String>,
    /// Decimal comma.
    #[serde(default)]
    pub decimal_comma: bool,
}

fn default_date_format() -> String {
    "%Y-%m-%d".to_string()
}

/// Kind of marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// Percent of stained cells from one or more readers, binned into
    /// scores ([`crate::ihc`]).
    Ihc,
    /// A continuous value dichotomised at a cutoff.
    Continuous,
    /// A recorded ordinal score, positive from a given score.
    Score,
}

/// How an IHC marker is scored (`[marker] rule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IhcRule {
    /// Each reader's percent of stained cells, binned into 0/1+/2+/3+
    /// ([`crate::ihc::score_cases`]; the default, the seed paper's rule).
    #[default]
    PercentBins,
    /// H-score `1 * %weak + 2 * %moderate + 3 * %strong` (0-300; McCarty
    /// et al. 1985), readers averaged, positive when `H >= cutoff`.
    HScore,
    /// Allred score: proportion 0-5 + intensity 0-3 (total 0 or 2-8;
    /// Allred et al. 1998), positive when `total >= cutoff` (default 3,
    /// Harvey et al. 1999).
    Allred,
}

impl IhcRule {
    /// Name as written in the spec.
    pub fn name(self) -> &'static str {
        match self {
            IhcRule::PercentBins => "percent-bins",
            IhcRule::HScore => "h-score",
            IhcRule::Allred => "allred",
        }
    }
}

/// Whether a reading is a percent or a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingScale {
    /// A score of the bins (0, 1, 2, 3).
    #[default]
    Score,
    /// A percent of stained cells.
    Percent,
}

/// Which side of a continuous marker's cutoff is positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CutoffSide {
    /// `value > cutoff` (default).
    #[default]
    Above,
    /// `value >= cutoff`.
    AtOrAbove,
    /// `value < cutoff`.
    Below,
    /// `value <= cutoff`.
    AtOrBelow,
}

impl CutoffSide {
    /// Whether `value` is positive for `cutoff`.
    pub fn positive(self, value: f64, cutoff: f64) -> bool {
        match self {
            CutoffSide::Above => value > cutoff,
            CutoffSide::AtOrAbove => value >= cutoff,
            CutoffSide::Below => value < cutoff,
            CutoffSide::AtOrBelow => value <= cutoff,
        }
    }

    /// `(negative, positive)` comparison signs: `("<=", ">")`, ...
    pub fn signs(self) -> (&'static str, &'static str) {
        match self {
            CutoffSide::Above => ("<=", ">"),
            CutoffSide::AtOrAbove => ("<", ">="),
            CutoffSide::Below => (">=", "<"),
            CutoffSide::AtOrBelow => (">", "<="),
        }
    }
}

/// `[marker]`. Which keys apply depends on `type`; the check reports keys
/// given for another type.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerSpec {
    /// Name of the marker (also the name of its term in Cox models).
    pub name: String,
    /// `ihc`, `continuous` or `score`.
    #[serde(rename = "type")]
    pub kind: MarkerKind,
    /// IHC: the scoring rule (default `percent-bins`).
    #[serde(default)]
    pub rule: Option<IhcRule>,
    /// IHC, `percent-bins` and `allred`: the reader columns (percents
    /// 0-100: of stained cells, or of positive cells for Allred) of the IHC
    /// table.
    #[serde(default)]
    pub readers: Option<Vec<String>>,
    /// IHC, `h-score`: each reader's column of the percent of weakly
    /// stained cells.
    #[serde(default)]
    pub weak: Option<Vec<String>>,
    /// IHC, `h-score`: each reader's column of the percent of moderately
    /// stained cells.
    #[serde(default)]
    pub moderate: Option<Vec<String>>,
    /// IHC, `h-score`: each reader's column of the percent of strongly
    /// stained cells.
    #[serde(default)]
    pub strong: Option<Vec<String>>,
    /// IHC, `allred`: each reader's column of the intensity score (0-3).
    #[serde(default)]
    pub intensity: Option<Vec<String>>,
    /// IHC: display names of the readers (default: the column names).
    #[serde(default)]
    pub reader_names: Option<Vec<String>>,
    /// IHC: inclusive upper percent of each score (default `[0, 10, 40, 100]`).
    #[serde(default)]
    pub bins: Option<Vec<f64>>,
    /// IHC: how readers are combined (default `mean_percent`).
    #[serde(default)]
    pub combine: Option<Combine>,
    /// IHC and score: the first positive score (default 3).
    #[serde(default)]
    pub positive_from: Option<u8>,
    /// IHC: column of the adjudicated reading (double-headed microscope).
    #[serde(default)]
    pub adjudicated: Option<String>,
    /// IHC: scale of the adjudicated column (default `score`).
    #[serde(default)]
    pub adjudicated_scale: Option<ReadingScale>,
    /// IHC: column of a consensus reading.
    #[serde(default)]
    pub consensus: Option<String>,
    /// IHC: scale of the consensus column (default `score`).
    #[serde(default)]
    pub consensus_scale: Option<ReadingScale>,
    /// Continuous and score: the column of the patients table.
    #[serde(default)]
    pub column: Option<String>,
    /// Continuous: the cutoff; IHC `h-score` (required, 0-300) and
    /// `allred` (default 3): positive when the score is at least this.
    #[serde(default)]
    pub cutoff: Option<f64>,
    /// Continuous: which side of the cutoff is positive (default `above`).
    #[serde(default)]
    pub positive: Option<CutoffSide>,
    /// Score: the largest score (default 3).
    #[serde(default)]
    pub max_score: Option<u8>,
    /// Label of the negative group (default from the rule, e.g. `0-2+`).
    #[serde(default)]
    pub negative_label: Option<String>,
    /// Label of the positive group (default from the rule, e.g. `3+`).
    #[serde(default)]
    pub positive_label: Option<String>,
}

/// `[endpoints]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointsSpec {
    /// Unit of every reported time (default months of 30.4375 days).
    #[serde(default)]
    pub unit: TimeUnit,
    /// The primary endpoint (default the first).
    #[serde(default)]
    pub primary: Option<String>,
    /// Endpoints derived from the dates: any of `ttp`, `pfs`, `os`.
    #[serde(default)]
    pub derive: Vec<Endpoint>,
    /// The date columns (needed by `derive`).
    #[serde(default)]
    pub dates: Option<DatesSpec>,
    /// TTP censoring of a death without progression after the last
    /// follow-up (see [`crate::endpoints`]).
    #[serde(default)]
    pub ttp_death_after_follow_up: DeathAfterFollowUp,
    /// Endpoints given as time and event columns.
    #[serde(default)]
    pub given: Vec<GivenEndpoint>,
}

/// `[endpoints.dates]`: date columns of the patients table.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatesSpec {
    /// Treatment start (time 0).
    pub start: String,
    /// First progression (TTP, PFS).
    #[serde(default)]
    pub progression: Option<String>,
    /// Death (OS, PFS).
    #[serde(default)]
    pub death: Option<String>,
    /// Last follow-up.
    #[serde(default)]
    pub last_follow_up: Option<String>,
}

/// `[[endpoints.given]]`: an endpoint read from a time and an event column.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GivenEndpoint {
    /// Short name (`rfs`).
    pub name: String,
    /// Display label (default the name).
    #[serde(default)]
    pub label: Option<String>,
    /// Column of the time.
    pub time: String,
    /// Column of the event indicator.
    pub event: String,
    /// The value meaning "event" (default: 1/0, true/false, yes/no codes).
    #[serde(default)]
    pub event_value: Option<String>,
    /// Unit of the time column (default: `endpoints.unit`); times are
    /// converted to `endpoints.unit`.
    #[serde(default)]
    pub time_unit: Option<TimeUnit>,
}

/// Where responses come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseSource {
    /// Lesion measurements (`[data.lesions]`), by the criteria.
    Lesions,
    /// A best-response column of the patients table (CR/PR/SD/PD/NE).
    Recorded,
}

/// `[response]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// `lesions` or `recorded`.
    pub source: ResponseSource,
    /// Recorded: the best-response column of the patients table.
    #[serde(default)]
    pub column: Option<String>,
    /// Lesions: `who`, `recist-1.0` or `recist-1.1` (default).
    #[serde(default)]
    pub criteria: Criteria,
    /// Lesions: require confirmation of CR/PR.
    #[serde(default)]
    pub confirm: bool,
    /// Lesions: smallest confirmation interval, days (default 28).
    #[serde(default)]
    pub confirm_min_days: Option<i64>,
    /// Lesions: minimum stable-disease duration, days (default by criteria).
    #[serde(default)]
    pub sd_min_days: Option<i64>,
    /// Lesions, WHO: also the single-lesion progression rule.
    #[serde(default)]
    pub who_lesion_progression: bool,
    /// Time (endpoints' unit) of the "progression before" row (default
    /// the first landmark).
    #[serde(default)]
    pub early_progression: Option<f64>,
    /// Endpoint of that row (default `ttp` when derived, else the primary).
    #[serde(default)]
    pub early_progression_endpoint: Option<String>,
}

/// `[cohorts]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CohortSpec {
    /// Column of the cohort.
    pub column: String,
    /// Cohorts to analyse, in order (default: every value, sorted);
    /// patients of other cohorts are excluded.
    #[serde(default)]
    pub levels: Option<Vec<String>>,
}

/// `[treatment]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentSpec {
    /// Column of the treatment.
    pub column: String,
    /// The value meaning "treated".
    pub treated: String,
    /// The value meaning "control" (default: every other value).
    #[serde(default)]
    pub control: Option<String>,
    /// Display name of the treatment (default the treated value).
    #[serde(default)]
    pub name: Option<String>,
}

/// How a factor enters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorType {
    /// A number, one model column (per unit); summarised by median (IQR).
    Numeric,
    /// Levels, one indicator per non-reference level.
    Categorical,
    /// Two levels coded 0/1 (or given by `cutoff`).
    Binary,
}

/// `[[factors]]`: a candidate prognostic factor (or a characteristic only).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FactorSpec {
    /// Column of the patients table.
    pub column: String,
    /// Term name in models (default the column, or `column>cutoff`).
    #[serde(default)]
    pub name: Option<String>,
    /// Display label (default the name).
    #[serde(default)]
    pub label: Option<String>,
    /// `numeric`, `categorical` or `binary` (default: text columns
    /// categorical, 0/1 columns binary, other numbers numeric).
    #[serde(rename = "type", default)]
    pub kind: Option<FactorType>,
    /// Dichotomise a numeric column: 1 when `value > cutoff`.
    #[serde(default)]
    pub cutoff: Option<f64>,
    /// Reference level of a categorical factor (default the first, sorted).
    #[serde(default)]
    pub reference: Option<String>,
    /// Candidate in the Cox models (default true); `false` = a patient
    /// characteristic only.
    #[serde(default = "yes")]
    pub models: bool,
}

fn yes() -> bool {
    true
}

/// Selection method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectionMethod {
    /// SAS PHREG stepwise (default).
    #[default]
    Stepwise,
    /// Forward entry only.
    Forward,
    /// Backward elimination from the full model.
    Backward,
    /// No selection: the full model only.
    None,
}

/// Which candidates enter the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Candidates {
    /// The marker and every factor with `models = true` (default).
    #[default]
    All,
    /// Those whose univariate likelihood-ratio P is below `screen_p` (the
    /// seed paper: "factors found to be significant by univariate analysis
    /// were then entered in a stepwise multivariate analysis").
    Univariate,
}

/// `[selection]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionSpec {
    /// Method (default stepwise).
    #[serde(default)]
    pub method: SelectionMethod,
    /// Entry level, SAS SLENTRY (default 0.05).
    #[serde(default = "p05")]
    pub entry: f64,
    /// Stay level, SAS SLSTAY (default 0.05).
    #[serde(default = "p05")]
    pub stay: f64,
    /// Terms forced into every model (factor names, or the marker's name).
    #[serde(default)]
    pub include: Vec<String>,
    /// Candidates (default all).
    #[serde(default)]
    pub candidates: Candidates,
    /// Univariate screening level (default 0.05).
    #[serde(default = "p05")]
    pub screen_p: f64,
}

fn p05() -> f64 {
    0.05
}

impl Default for SelectionSpec {
    fn default() -> Self {
        SelectionSpec {
            method: SelectionMethod::Stepwise,
            entry: 0.05,
            stay: 0.05,
            include: Vec::new(),
            candidates: Candidates::All,
            screen_p: 0.05,
        }
    }
}

/// An analysis of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Analysis {
    /// Patient flow: screened, excluded and why, analysed, events.
    Flow,
    /// Patient characteristics by marker group (Table-1 style).
    Characteristics,
    /// IHC score distribution and reader agreement.
    Ihc,
    /// Response by marker group (the seed paper's Table 2), waterfall data.
    Response,
    /// Kaplan-Meier, log-rank, landmarks, follow-up.
    Survival,
    /// Univariate Cox for every candidate.
    Univariate,
    /// Selected and full multivariable Cox, PH check.
    Multivariable,
    /// Treatment-by-marker interaction across cohorts.
    Interaction,
}

impl Analysis {
    /// Every analysis, in run order.
    pub const ALL: [Analysis; 8] = [
        Analysis::Flow,
        Analysis::Characteristics,
        Analysis::Ihc,
        Analysis::Response,
        Analysis::Survival,
        Analysis::Univariate,
        Analysis::Multivariable,
        Analysis::Interaction,
    ];

    /// Name as written in the spec.
    pub fn name(self) -> &'static str {
        match self {
            Analysis::Flow => "flow",
            Analysis::Characteristics => "characteristics",
            Analysis::Ihc => "ihc",
            Analysis::Response => "response",
            Analysis::Survival => "survival",
            Analysis::Univariate => "univariate",
            Analysis::Multivariable => "multivariable",
            Analysis::Interaction => "interaction",
        }
    }
}

/// Tie handling of the Cox fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TiesSpec {
    /// Efron (default, as R).
    #[default]
    Efron,
    /// Breslow (as SAS PHREG's default).
    Breslow,
    /// Exact discrete likelihood.
    Exact,
}

/// Transform of the pointwise Kaplan-Meier limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfTypeSpec {
    /// log(-log S), as SAS LIFETEST (default).
    #[default]
    LogLog,
    /// log S, as R survfit's default.
    Log,
    /// S ± z se.
    Plain,
}

/// Transform of time in the proportional-hazards test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ZphTransformSpec {
    /// 1 - KM (R's default).
    #[default]
    Km,
    /// Rank of the time.
    Rank,
    /// The time.
    Identity,
    /// log time.
    Log,
}

/// `[plan]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    /// Analyses to run (default all that the data allow).
    #[serde(default)]
    pub analyses: Option<Vec<Analysis>>,
    /// Landmark times in the endpoints' unit (default `[6, 12]`).
    #[serde(default = "default_landmarks")]
    pub landmarks: Vec<f64>,
    /// Confidence level (default 0.95).
    #[serde(default = "default_conf")]
    pub conf_level: f64,
    /// Cox ties (default efron).
    #[serde(default)]
    pub ties: TiesSpec,
    /// KM limits (default log-log).
    #[serde(default)]
    pub conf_type: ConfTypeSpec,
    /// Time transform of the PH test (default km).
    #[serde(default)]
    pub zph_transform: ZphTransformSpec,
}

fn default_landmarks() -> Vec<f64> {
    vec![6.0, 12.0]
}

fn default_conf() -> f64 {
    0.95
}

impl Default for PlanSpec {
    fn default() -> Self {
        PlanSpec {
            analyses: None,
            landmarks: default_landmarks(),
            conf_level: 0.95,
            ties: TiesSpec::Efron,
            conf_type: ConfTypeSpec::LogLog,
            zph_transform: ZphTransformSpec::Km,
        }
    }
}

/// `[report]`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSpec {
    /// Show patient ids in human-readable outputs (text summary, CSV
    /// tables); default false: ids appear only in results.json.
    #[serde(default)]
    pub show_ids: bool,
}

/// One problem of a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Key path (`marker.bins`, `factors[2].column`; array entries from 1),
    /// empty for a syntax error.
    pub key: String,
    /// 1-based line in the spec, when known.
    pub line: Option<usize>,
    /// 1-based column (characters), when known.
    pub column: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every problem found in a spec, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecProblems {
    /// The spec file as named.
    pub file: String,
    /// The problems.
    pub problems: Vec<Problem>,
}

impl fmt::Display for SpecProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "{}: {n} problem{} in the study spec",
            self.file,
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  {}", self.file)?;
            if let (Some(l), Some(c)) = (p.line, p.column) {
                write!(f, ":{l}:{c}")?;
            }
            if p.key.is_empty() {
                write!(f, ": {}", p.message)?;
            } else {
                write!(f, ": {}: {}", p.key, p.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for SpecProblems {}

/// The tables a spec names, read once.
#[derive(Debug, Clone)]
pub struct Tables {
    /// The patients table.
    pub patients: Table,
    /// The IHC table, when it is a file of its own.
    pub ihc: Option<Table>,
    /// The lesion table.
    pub lesions: Option<Table>,
}

/// One input file with its role, for provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputFile {
    /// `patients`, `ihc` or `lesions`.
    pub role: String,
    /// The path as written in the spec.
    pub path: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Data rows.
    pub rows: usize,
    /// Columns.
    pub columns: usize,
}

/// A spec that passed every check, with its tables loaded: the only input
/// the pipeline accepts ("only checked specs can run").
#[derive(Debug, Clone)]
pub struct CheckedSpec {
    /// The parsed spec.
    pub spec: Spec,
    /// Its text, as read.
    pub text: String,
    /// The spec file as named.
    pub file: String,
    /// The folder relative paths are resolved against.
    pub base: PathBuf,
    /// The loaded tables.
    pub tables: Tables,
}

impl CheckedSpec {
    /// The input files with their hashes, in role order.
    pub fn inputs(&self) -> Vec<InputFile> {
        let d = &self.spec.data;
        let mut v = vec![input("patients", &d.patients.file, &self.tables.patients)];
        if let (Some(t), Some(s)) = (&self.tables.ihc, &d.ihc) {
            v.push(input("ihc", s.file.as_deref().unwrap_or_default(), t));
        }
        if let (Some(t), Some(s)) = (&self.tables.lesions, &d.lesions) {
            v.push(input("lesions", &s.file, t));
        }
        v
    }

    /// Resolve a path of the spec against its folder.
    pub fn resolve(&self, path: &str) -> PathBuf {
        resolve(&self.base, path)
    }
}

fn input(role: &str, path: &str, t: &Table) -> InputFile {
    let p = t.provenance();
    InputFile {
        role: role.to_string(),
        path: path.to_string(),
        sha256: p.sha256.clone(),
        rows: p.rows,
        columns: p.columns,
    }
}

pub(crate) fn resolve(base: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}
