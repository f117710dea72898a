//! The results of a study run: one serialisable value holding every number
//! the report shows, so that rendering never recomputes a statistic.
//!
//! [`StudyResults`] is written as `results.json` (documented field by field
//! in `docs/results-json.md`; [`SCHEMA_VERSION`] changes when a field
//! changes meaning or disappears), its tables as CSV ([`tables`]) and a
//! text summary ([`summary`]).
//!
//! Conventions: groups are listed negative first, then positive (the
//! reference of every hazard and odds ratio is the negative group); times
//! are in the spec's `endpoints.unit`; P values are two-sided; `null` means
//! not computable, with the reason in the entry's `notes`.

mod summary;
mod tables;

use serde::Serialize;

use oncomark_stats::{Icc, Kappa};
use oncomark_survival::cox::CoxTerm;
use oncomark_survival::firth::ModelFit;
use oncomark_survival::interaction::Interaction;
use oncomark_survival::km::{FollowUp, KmFit, KmResult};
use oncomark_survival::landmark::Landmark;
use oncomark_survival::logrank::Logrank;
use oncomark_survival::select::Selection;
use oncomark_survival::univariate::{UnivariateFactor, UnivariateRow};
use oncomark_survival::zph::Zph;

use crate::ihc::{Combine, IhcExclusion};
use crate::response::Response;
use crate::spec::{InputFile, Spec};

pub use summary::summary;
pub use tables::{tables, CsvTable};

/// Version of the results.json layout.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a study run produced.
#[derive(Debug, Clone, Serialize)]
pub struct StudyResults {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Version of oncomark that produced the results.
    pub oncomark_version: String,
    /// Where the results came from.
    pub provenance: Provenance,
    /// Study name and description.
    pub study: StudyInfo,
    /// The spec as parsed, with every default filled in.
    pub spec: Spec,
    /// The settings the analyses used (marker rule, groups, cohorts,
    /// endpoints, unit).
    pub settings: Settings,
    /// Which analyses ran, and which were skipped and why.
    pub analyses: AnalysesRun,
    /// Patient flow.
    pub flow: Option<Flow>,
    /// IHC scores and reader agreement (IHC markers).
    pub ihc: Option<IhcAnalysis>,
    /// Patient characteristics by marker group, one table per cohort.
    pub characteristics: Vec<CharacteristicsTable>,
    /// Response by marker group, one per cohort.
    pub response: Vec<ResponseAnalysis>,
    /// Kaplan-Meier, log-rank, landmarks and follow-up, per cohort and
    /// endpoint.
    pub survival: Vec<SurvivalAnalysis>,
    /// Univariate Cox models, per cohort and endpoint.
    pub univariate: Vec<UnivariateAnalysis>,
    /// Multivariable Cox models, per cohort and endpoint.
    pub multivariable: Vec<MultivariableAnalysis>,
    /// Treatment-by-marker interaction, per endpoint.
    pub interaction: Vec<InteractionAnalysis>,
    /// Study-wide notes (rows of other tables without a patient, ...).
    pub notes: Vec<String>,
}

/// Provenance of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// The spec file as named on the command line.
    pub spec_file: String,
    /// SHA-256 of the spec text.
    pub spec_sha256: String,
    /// The spec text.
    pub spec_text: String,
    /// Every input file with its SHA-256.
    pub inputs: Vec<InputFile>,
    /// The command line.
    pub command_line: Vec<String>,
    /// When the run started, UTC, RFC 3339.
    pub created_utc: String,
}

/// Name and description.
#[derive(Debug, Clone, Serialize)]
pub struct StudyInfo {
    /// Name (default: the spec file's name).
    pub name: String,
    /// Description.
    pub description: Option<String>,
}

/// The marker's rule and groups.
#[derive(Debug, Clone, Serialize)]
pub struct MarkerInfo {
    /// Name (its term in models).
    pub name: String,
    /// `ihc`, `continuous` or `score`.
    pub kind: String,
    /// The rule in words.
    pub rule: String,
    /// Group labels, negative then positive.
    pub groups: Vec<String>,
    /// The IHC scoring rule and its positivity cutoff (`null` for
    /// continuous and score markers).
    pub scoring: Option<ScoringRule>,
}

/// The IHC scoring rule in force, for the methods paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct ScoringRule {
    /// `percent-bins`, `h-score` or `allred`.
    pub rule: String,
    /// The cutoff on the rule's scale (`h-score`: the H-score, `allred`:
    /// the total; positive when the score is >= it); `null` for
    /// `percent-bins`, positive from `positive_from` of the bins.
    pub cutoff: Option<f64>,
    /// Positivity in words (`H-score >= 100`, `Allred total >= 3`,
    /// `score >= 3+ (a percent above 40 %)`).
    pub positive: String,
    /// How the readers were combined, in words.
    pub combination: String,
    /// The rule's reference.
    pub reference: String,
}

/// An endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointInfo {
    /// Short name (`ttp`, `os`, `rfs`).
    pub name: String,
    /// Label.
    pub label: String,
    /// `dates` or `columns`.
    pub source: String,
}

/// The treatment of the interaction analysis.
#[derive(Debug, Clone, Serialize)]
pub struct TreatmentInfo {
    /// Display name.
    pub name: String,
    /// Column.
    pub column: String,
    /// Treated value.
    pub treated: String,
    /// Control value (`null`: every other value).
    pub control: Option<String>,
}

/// Settings in force.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// Unit of every time.
    pub time_unit: String,
    /// Confidence level.
    pub conf_level: f64,
    /// KM limit transform.
    pub conf_type: String,
    /// Cox ties.
    pub ties: String,
    /// Landmark times.
    pub landmarks: Vec<f64>,
    /// The marker.
    pub marker: MarkerInfo,
    /// Cohorts, in order.
    pub cohorts: Vec<String>,
    /// Endpoints, in order.
    pub endpoints: Vec<EndpointInfo>,
    /// The primary endpoint.
    pub primary_endpoint: String,
    /// The treatment, when given.
    pub treatment: Option<TreatmentInfo>,
    /// Whether human-readable outputs may show patient ids.
    pub show_ids: bool,
}

/// An analysis left out.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// Analysis name.
    pub analysis: String,
    /// Why.
    pub reason: String,
}

/// Analyses run and skipped.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysesRun {
    /// Names of the analyses that ran.
    pub run: Vec<String>,
    /// Analyses that were not run, with the reason.
    pub skipped: Vec<Skipped>,
}

// ------------------------------------------------------------------ flow

/// A patient left out, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct ExcludedPatient {
    /// Patient id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// The patients left out at one stage.
#[derive(Debug, Clone, Serialize)]
pub struct ExclusionStage {
    /// `cohort` (no or another cohort), `marker` (no marker value or IHC
    /// reading), `dates` (missing or contradictory dates).
    pub stage: String,
    /// Patients excluded at this stage (each patient once, at the first
    /// stage that excludes them).
    pub n: usize,
    /// Reasons and how many patients each (no ids: safe to show).
    pub reasons: Vec<ReasonCount>,
    /// The patients, with their full reason.
    pub patients: Vec<ExcludedPatient>,
}

/// A reason with its count.
#[derive(Debug, Clone, Serialize)]
pub struct ReasonCount {
    /// The reason, without patient ids.
    pub reason: String,
    /// Patients.
    pub n: usize,
}

/// Patients in one marker group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupCount {
    /// Group label.
    pub group: String,
    /// Patients.
    pub n: usize,
}

/// Patients and events of one endpoint in a cohort.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointFlow {
    /// Endpoint.
    pub endpoint: String,
    /// Patients with a time.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// Censored.
    pub censored: usize,
    /// Analysed patients without a time or event (given endpoints).
    pub missing: usize,
    /// Events by group, negative then positive.
    pub events_by_group: Vec<usize>,
}

/// The analysed patients of one cohort.
#[derive(Debug, Clone, Serialize)]
pub struct CohortFlow {
    /// Cohort.
    pub cohort: String,
    /// Patients analysed.
    pub n: usize,
    /// By marker group.
    pub groups: Vec<GroupCount>,
    /// Per endpoint.
    pub endpoints: Vec<EndpointFlow>,
    /// Patients with a best response (when response is analysed).
    pub response_assessed: Option<usize>,
}

/// Rows of a secondary table whose id matches no patient.
#[derive(Debug, Clone, Serialize)]
pub struct Unmatched {
    /// `ihc` or `lesions`.
    pub table: String,
    /// The ids.
    pub ids: Vec<String>,
}

/// Patient flow (for a CONSORT-style diagram).
#[derive(Debug, Clone, Serialize)]
pub struct Flow {
    /// Rows of the patients table.
    pub screened: usize,
    /// Exclusions by stage, in order.
    pub excluded: Vec<ExclusionStage>,
    /// Patients analysed.
    pub analysed: usize,
    /// Per cohort.
    pub cohorts: Vec<CohortFlow>,
    /// Rows of the IHC or lesion table without a patient.
    pub unmatched: Vec<Unmatched>,
    /// Patients whose last contact was moved past the recorded last
    /// follow-up (a death or progression after it), with the note.
    pub date_adjustments: Vec<ExcludedPatient>,
}

// ------------------------------------------------------------------- IHC

/// Score counts of a set of patients.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreCounts {
    /// Cohort, or `all`.
    pub cohort: String,
    /// Patients.
    pub n: usize,
    /// Patients per score (index = score).
    pub counts: Vec<usize>,
}

/// The cross-table of two readers' scores.
#[derive(Debug, Clone, Serialize)]
pub struct ReaderPair {
    /// First reader (rows).
    pub reader_a: String,
    /// Second reader (columns).
    pub reader_b: String,
    /// Score labels of rows and columns.
    pub levels: Vec<String>,
    /// `counts[i][j]`: cases scored `i` by A and `j` by B.
    pub counts: Vec<Vec<u64>>,
    /// Cases read by both.
    pub n: usize,
    /// Cases scored the same.
    pub agree: usize,
    /// Cohen's kappa (unweighted).
    pub kappa: Option<Kappa>,
    /// Linear-weighted kappa.
    pub kappa_linear: Option<Kappa>,
    /// Why a kappa is missing.
    pub notes: Vec<String>,
}

/// IHC scoring and reader agreement.
#[derive(Debug, Clone, Serialize)]
pub struct IhcAnalysis {
    /// Reader names.
    pub readers: Vec<String>,
    /// Score labels, index = score.
    pub labels: Vec<String>,
    /// Inclusive upper percent of each score.
    pub bins: Vec<f64>,
    /// How readers were combined.
    pub combine: Combine,
    /// The first positive score.
    pub positive_from: u8,
    /// Positive means a percent above this.
    pub positive_above_percent: f64,
    /// Scored cases (patients with a reading).
    pub n_cases: usize,
    /// Score distribution of the analysed patients: `all`, then per cohort.
    pub score_counts: Vec<ScoreCounts>,
    /// Case ids whose readers' scores differ.
    pub discordant: Vec<String>,
    /// Case ids whose readers straddle the positivity cutoff.
    pub straddling: Vec<String>,
    /// Straddling cases without adjudication (the average was used).
    pub unresolved: Vec<String>,
    /// Case ids whose final score is the adjudicated reading.
    pub adjudicated: Vec<String>,
    /// `discordant.len()`.
    pub n_discordant: usize,
    /// `straddling.len()`.
    pub n_straddling: usize,
    /// `unresolved.len()`.
    pub n_unresolved: usize,
    /// `adjudicated.len()`.
    pub n_adjudicated: usize,
    /// Cases without any reading.
    pub excluded: Vec<IhcExclusion>,
    /// Every pair of readers: cross-table and kappas.
    pub reader_pairs: Vec<ReaderPair>,
    /// Intraclass correlations of the readers' percents (cases read by
    /// every reader; `null` with one reader).
    pub icc: Option<Icc>,
    /// Why something is missing.
    pub notes: Vec<String>,
    /// The scoring rule: `percent-bins`, `h-score` or `allred`.
    pub rule: Option<String>,
    /// The positivity cutoff of `h-score` (an H-score) and `allred` (a
    /// total): positive when the case's score is >= it; `null` for
    /// `percent-bins`.
    pub cutoff: Option<f64>,
    /// What the intraclass correlations are computed on: `percent`
    /// (percent-bins), `h_score` or `allred_total`.
    pub icc_of: Option<String>,
    /// Agreement statistics that do not apply to the rule, with the reason
    /// (`kappa` for the H-score, a continuous score).
    pub skipped_statistics: Option<Vec<SkippedStatistic>>,
    /// `h-score`: every scored case with its readers' percents and
    /// H-scores.
    pub h_score_cases: Option<Vec<HScoreCase>>,
    /// `allred`: every scored case with its readers' and its combined
    /// Allred components.
    pub allred_cases: Option<Vec<AllredCase>>,
}

/// What the ICC of `i` is computed on, in words (`percents`, `H-scores`,
/// `Allred totals`).
fn icc_subject(i: &IhcAnalysis) -> &'static str {
    match i.icc_of.as_deref() {
        Some("h_score") => "H-scores",
        Some("allred_total") => "Allred totals",
        _ => "percents",
    }
}

/// An agreement statistic not computed, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedStatistic {
    /// `kappa`, `kappa_linear`.
    pub statistic: String,
    /// Why.
    pub reason: String,
}

/// One reader's H-score read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HScoreRead {
    /// Percent of weakly stained tumour cells.
    pub weak: f64,
    /// Percent of moderately stained cells.
    pub moderate: f64,
    /// Percent of strongly stained cells.
    pub strong: f64,
    /// `weak + 2 moderate + 3 strong`, 0-300.
    pub h_score: f64,
}

/// A case scored by H-score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HScoreCase {
    /// Case (patient) id.
    pub id: String,
    /// Each reader's read (`null`: not read), in reader order.
    pub readers: Vec<Option<HScoreRead>>,
    /// Mean of the readers' H-scores (= the H-score of the mean percents).
    pub h_score: f64,
    /// `h_score >= cutoff`.
    pub positive: bool,
    /// The readers' H-scores lie on both sides of the cutoff.
    pub straddles: bool,
}

/// One reader's Allred read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllredRead {
    /// Percent of positive tumour cells.
    pub percent: f64,
    /// Proportion score 0-5.
    pub proportion: u8,
    /// Intensity score 0-3.
    pub intensity: u8,
    /// `proportion + intensity`: 0 or 2-8.
    pub total: u8,
}

/// A case scored by Allred.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllredCase {
    /// Case (patient) id.
    pub id: String,
    /// Each reader's read (`null`: not read), in reader order.
    pub readers: Vec<Option<AllredRead>>,
    /// Mean of the readers' percents of positive cells.
    pub mean_percent: f64,
    /// Proportion score of `mean_percent`.
    pub proportion: u8,
    /// Mean intensity of the readers who saw positive cells, rounded half
    /// up (0 when none did).
    pub intensity: u8,
    /// `proportion + intensity`: the case's total (0 or 2-8).
    pub total: u8,
    /// `total >= cutoff`.
    pub positive: bool,
    /// The readers' totals lie on both sides of the cutoff.
    pub straddles: bool,
}

// ------------------------------------------------------- characteristics

/// A test of association, named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    /// `fisher_exact`, `chi_square`, `wilcoxon_rank_sum`, `kruskal_wallis`.
    pub test: String,
    /// The statistic (W, H, X²; `null` for Fisher).
    pub statistic: Option<f64>,
    /// Degrees of freedom (chi-square, Kruskal-Wallis).
    pub df: Option<usize>,
    /// Two-sided P.
    pub p: f64,
    /// Conditional MLE odds ratio (2x2 Fisher), positive vs negative group.
    pub odds_ratio: Option<f64>,
    /// Its exact lower limit.
    pub lower: Option<f64>,
    /// Its exact upper limit.
    pub upper: Option<f64>,
    /// Why this test (e.g. Fisher too large, chi-square used).
    pub note: Option<String>,
}

/// Counts of one level by group.
#[derive(Debug, Clone, Serialize)]
pub struct LevelRow {
    /// Level (or response category).
    pub level: String,
    /// Count per group, negative then positive.
    pub counts: Vec<u64>,
    /// Percent of the group's non-missing patients.
    pub percents: Vec<Option<f64>>,
    /// Count over both groups.
    pub total: u64,
}

/// Summary of a continuous variable in one group.
#[derive(Debug, Clone, Serialize)]
pub struct ContinuousSummary {
    /// Group label (or `all`).
    pub group: String,
    /// Non-missing values.
    pub n: usize,
    /// Median (R quantile type 7).
    pub median: Option<f64>,
    /// First quartile.
    pub q1: Option<f64>,
    /// Third quartile.
    pub q3: Option<f64>,
    /// Minimum.
    pub min: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
    /// Mean.
    pub mean: Option<f64>,
    /// Standard deviation (n - 1).
    pub sd: Option<f64>,
}

/// One variable of the characteristics table.
#[derive(Debug, Clone, Serialize)]
pub struct Characteristic {
    /// Factor (term) name.
    pub factor: String,
    /// Label.
    pub label: String,
    /// Column of the patients table.
    pub column: String,
    /// `categorical` or `continuous`.
    pub kind: String,
    /// Missing values per group.
    pub missing: Vec<usize>,
    /// Categorical: one row per level.
    pub levels: Vec<LevelRow>,
    /// Continuous: per group, then `all`.
    pub summaries: Vec<ContinuousSummary>,
    /// The test of association with the marker group.
    pub test: Option<TestResult>,
    /// Why there is no test.
    pub note: Option<String>,
}

/// Characteristics of one cohort by marker group (Table-1 style).
#[derive(Debug, Clone, Serialize)]
pub struct CharacteristicsTable {
    /// Cohort.
    pub cohort: String,
    /// Group labels.
    pub groups: Vec<String>,
    /// Patients per group.
    pub n: Vec<usize>,
    /// One entry per factor.
    pub rows: Vec<Characteristic>,
}

// -------------------------------------------------------------- response

/// A row of the response table (the seed paper's Table 2).
#[derive(Debug, Clone, Serialize)]
pub struct ResponseRow {
    /// `objective_response`, `cr`, `pr`, `sd`, `pd`, `ne`,
    /// `early_progression`, `no_progression`.
    pub row: String,
    /// Label.
    pub label: String,
    /// Patients with the outcome, per group.
    pub counts: Vec<u64>,
    /// Denominators, per group.
    pub denominators: Vec<u64>,
    /// Percents.
    pub percents: Vec<Option<f64>>,
    /// Fisher's exact test of the 2x2 table (positive vs negative group,
    /// outcome yes vs no).
    pub test: Option<TestResult>,
}

/// One patient's bar of the waterfall plot.
#[derive(Debug, Clone, Serialize)]
pub struct WaterfallEntry {
    /// Patient id.
    pub id: String,
    /// Marker group.
    pub group: String,
    /// Best overall response.
    pub best_response: Response,
    /// Best percent change of the target sum (`null`: no measurement, or
    /// recorded responses).
    pub best_percent_change: Option<f64>,
}

/// Response by marker group in one cohort.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseAnalysis {
    /// Cohort.
    pub cohort: String,
    /// `lesions` or `recorded`.
    pub source: String,
    /// Criteria (lesions).
    pub criteria: Option<String>,
    /// Confirmation required.
    pub confirm: bool,
    /// Group labels.
    pub groups: Vec<String>,
    /// Patients per group.
    pub n: Vec<usize>,
    /// Patients with a best response, per group.
    pub assessed: Vec<usize>,
    /// Best response counts by group (percent of assessed).
    pub best_response: Vec<LevelRow>,
    /// Fisher's exact test (or chi-square) of group by best response.
    pub overall_test: Option<TestResult>,
    /// The Table-2 rows.
    pub rows: Vec<ResponseRow>,
    /// Per-patient best response and best change, sorted by change
    /// (largest increase first, as plotted).
    pub waterfall: Vec<WaterfallEntry>,
    /// Notes.
    pub notes: Vec<String>,
}

// -------------------------------------------------------------- survival

/// Kaplan-Meier and log-rank by marker group for one cohort and endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct SurvivalAnalysis {
    /// Cohort.
    pub cohort: String,
    /// Endpoint.
    pub endpoint: String,
    /// Endpoint label.
    pub label: String,
    /// Time unit.
    pub unit: String,
    /// Patients.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// Group labels.
    pub groups: Vec<String>,
    /// Kaplan-Meier curves by group (full steps; `at` = the landmarks).
    pub km: Option<KmResult>,
    /// The cohort's curve, all groups together.
    pub overall: Option<KmFit>,
    /// Log-rank test of the groups.
    pub logrank: Option<Logrank>,
    /// Univariate Cox hazard ratio, positive vs negative.
    pub hazard_ratio: Option<CoxTerm>,
    /// `cox`, or `firth` when the ordinary estimate is infinite (a group
    /// without events): Firth's penalised likelihood with profile limits.
    pub hazard_ratio_method: Option<String>,
    /// Landmark rates and their difference (negative minus positive).
    pub landmarks: Vec<Landmark>,
    /// Median follow-up by reverse Kaplan-Meier.
    pub follow_up: Option<FollowUp>,
    /// Notes.
    pub notes: Vec<String>,
}

/// A term's display label.
#[derive(Debug, Clone, Serialize)]
pub struct TermLabel {
    /// Model column name.
    pub term: String,
    /// Factor it belongs to.
    pub factor: String,
    /// Label for tables.
    pub label: String,
}

/// Univariate Cox models of every candidate.
#[derive(Debug, Clone, Serialize)]
pub struct UnivariateAnalysis {
    /// Cohort.
    pub cohort: String,
    /// Endpoint.
    pub endpoint: String,
    /// One model per factor, the marker first.
    pub factors: Vec<UnivariateFactor>,
    /// The table rows.
    pub rows: Vec<UnivariateRow>,
    /// Labels of the model columns.
    pub labels: Vec<TermLabel>,
    /// Factors whose ordinary estimate is infinite (monotone likelihood),
    /// refitted by Firth's penalised likelihood.
    pub firth: Vec<FirthRefit>,
    /// Factors that could not be fitted, and why.
    pub notes: Vec<String>,
}

/// A univariate model refitted by Firth's method.
#[derive(Debug, Clone, Serialize)]
pub struct FirthRefit {
    /// Factor.
    pub factor: String,
    /// The penalised fit (`method` = `firth`).
    pub model: ModelFit,
}

/// A candidate left out by univariate screening.
#[derive(Debug, Clone, Serialize)]
pub struct ScreenedOut {
    /// Factor.
    pub factor: String,
    /// Its univariate likelihood-ratio P.
    pub p: Option<f64>,
}

/// Multivariable Cox models.
#[derive(Debug, Clone, Serialize)]
pub struct MultivariableAnalysis {
    /// Cohort.
    pub cohort: String,
    /// Endpoint.
    pub endpoint: String,
    /// Selection method.
    pub method: String,
    /// `all` or `univariate`.
    pub candidates_rule: String,
    /// Candidates entering selection.
    pub candidates: Vec<String>,
    /// Candidates screened out.
    pub screened_out: Vec<ScreenedOut>,
    /// Patients complete on every candidate.
    pub n: usize,
    /// Events among them.
    pub events: usize,
    /// Patients dropped for a missing candidate.
    pub dropped_missing: usize,
    /// The selection steps and tests.
    pub selection: Option<Selection>,
    /// The selected model (`method` = `cox`, or `firth` when an ordinary
    /// estimate is infinite).
    pub model: Option<ModelFit>,
    /// Proportional-hazards test of the selected model.
    pub zph: Option<Zph>,
    /// The model with every candidate.
    pub full_model: Option<ModelFit>,
    /// Proportional-hazards test of the full model.
    pub full_zph: Option<Zph>,
    /// Labels of the model columns.
    pub labels: Vec<TermLabel>,
    /// Notes.
    pub notes: Vec<String>,
}

/// The marker's hazard ratio within one treatment arm.
#[derive(Debug, Clone, Serialize)]
pub struct ArmEffect {
    /// Arm (the treated or control value).
    pub arm: String,
    /// Patients.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// Marker HR (positive vs negative) within the arm.
    pub hazard_ratio: Option<CoxTerm>,
    /// Log-rank test of the marker within the arm.
    pub logrank: Option<Logrank>,
    /// Why an estimate is missing.
    pub notes: Vec<String>,
}

/// Treatment-by-marker interaction for one endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct InteractionAnalysis {
    /// Endpoint.
    pub endpoint: String,
    /// Treatment name.
    pub treatment: String,
    /// Treated value.
    pub treated: String,
    /// Control label.
    pub control: String,
    /// Patients with a known arm and a time.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// The interaction model, and the treatment HR within each marker
    /// group (from the model and from separate fits).
    pub result: Option<Interaction>,
    /// The marker HR within each arm (prognostic in each arm?).
    pub marker_by_arm: Vec<ArmEffect>,
    /// Notes.
    pub notes: Vec<String>,
}

// ------------------------------------------------------------------- time

/// The current time, UTC, as RFC 3339 with seconds (`2024-05-01T12:00:00Z`).
pub fn utc_now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(now.as_secs()).unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}
