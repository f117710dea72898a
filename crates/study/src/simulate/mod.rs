//! A simulated cohort with the design of the seed paper (Cancer Res 2009;
//! beta1-integrin and trastuzumab), as the raw tables a real study has.
//!
//! [`simulate_paper_cohort`]`(seed)` returns 78 trastuzumab-treated and 30
//! chemotherapy-only HER-2-positive metastatic breast cancer patients:
//! a patient table (dates, covariates, regimen, recorded best response), the
//! two pathologists' IHC percents with an adjudication column, the lesion
//! measurements of every assessment, and the latent truth. Every table is
//! a `Vec` of plain rows and has CSV text ([`to_csv`]).
//!
//! # The generating model
//!
//! Times are in months of 30.4375 days and become whole days
//! (`max(1, round(30.4375 t))`) added to the start date. Each patient draws
//! from their own ChaCha8 stream (`rand_chacha` 0.3, key = `seed`, stream =
//! `cohort << 32 | index`), so a patient's data do not depend on the others;
//! uniforms use 53 bits, normals Box-Muller, exponentials inversion.
//!
//! **Start dates** uniform over 1998-01-01..=2002-12-31 (trastuzumab) and
//! 1998-01-01..=1999-12-31 (chemotherapy alone, which predated approval).
//! Data cutoff 2003-04-30, so potential follow-up runs from 4 to 64 months.
//!
//! **Covariates** (independent of each other except PR given ER, and of
//! the marker, as the paper found): age `N(53, 11)` clamped to 26-85 and
//! rounded; tumour size `exp(N(ln 2.5, 0.5))` cm rounded to 0.1 (its effect
//! is on the recorded size > 2 cm, `P(size >= 2.05) = 0.654`); node-positive with
//! `P = 0.6`, then `max(1, ceil(4 E))` positive nodes, `E ~ Exp(1)`; ER+ 0.5;
//! PR+ 0.65 if ER+ and 0.10 if ER-; LVI+ 0.45; regimen taxane / vinorelbine /
//! other 0.55 / 0.35 / 0.10 (chemotherapy cohort 0.4 / 0.3 / 0.3: docetaxel,
//! vinorelbine, capecitabine).
//!
//! **Marker.** The true IHC score is 0 / 1+ / 2+ / 3+ with probabilities
//! 33 / 7 / 15 / 23 out of 78; the true percent is 0, `U(1, 10)`,
//! `U(10, 40)` or `U(40, 100)`. Each of two readers reads
//! `clamp(round(p + sd(p) Z), 0, 100)` with `sd(p) = min(6, 1 + 0.3 p)`
//! (a true 0 is read 0), so cases near 40 % straddle the cutoff. A
//! straddling case (one read <= 40, the other > 40) gets an adjudicated
//! score, the bin of `round(p + 2 Z)`, except one case of the trastuzumab
//! cohort chosen at random (the paper: "for all but one, the discrepancy
//! was resolved"). Outcomes depend on the **true** group (`p > 40`).
//!
//! **Time to progression** (latent): Weibull proportional hazards,
//! `S(t | x) = exp(-(t / lambda)^k exp(eta))` with
//!
//! ```text
//! eta = ln 2.6 [3+] + ln 1.63 [size > 2 cm] + ln 1.48 [node+] + ln 0.79 [ER+]
//!     + ln 0.93 [PR+] + ln 0.7 [LVI+] + ln 0.89 [taxane]
//! ```
//!
//! (the paper's Table 1; "trastuzumab-based chemotherapy" read as taxane vs
//! other), drawn as
//! `lambda (E exp(-eta))^(1/k)`. `k` and `lambda` are calibrated so that the
//! population medians (over the covariate mixture) are 8.2 months (0-2+)
//! and 4.8 months (3+): `k = 1.784`, `lambda = 11.31` months. The chemotherapy cohort
//! has no marker effect, the same `k`, and `lambda` giving a median of 4.6
//! months (chemotherapy alone in Slamon et al., N Engl J Med 2001).
//!
//! **Death.** A death without progression at constant rate 0.004 per month
//! competes with progression (the earlier wins; a tie is a progression).
//! After progression, post-progression survival is Weibull with shape 1.2,
//! log hazard ratios `ln 0.55 [ER+] + ln 0.69 [PR+]` (the paper's OS
//! effects) plus a marker effect; its scale and marker effect are
//! calibrated so that the population median OS is 23 (0-2+) and 13 (3+)
//! months (20.3 in the chemotherapy cohort, Slamon et al. 2001): scale
//! 13.59 months, marker log hazard ratio 0.749 (HR 2.11).
//!
//! **Response and its tie to progression.** Assessments are scheduled at
//! day 63 (9 weeks) and every 84 days (12 weeks) after, each shifted by
//! `U{-3..3}` days. A scheduled assessment is done while the patient is in
//! clinic follow-up, alive, and more than 7 days before the (latent)
//! progression; progression is documented by an assessment on the
//! progression date. With no assessment before progression the best response
//! is PD. Otherwise the patient responds with probability
//! `logistic(a_g + ln(T / 6 months))` (`T` the latent TTP; longer TTP, more
//! responses), a CR with probability 10/37 among responders (the paper's
//! CR 10 % + PR 27 %), else SD. `a_g` is calibrated so that the population
//! objective response rate (over all patients, early progressors and
//! deaths before the first assessment counting as non-responders) is
//! 25/55 (0-2+) and 4/23 (3+) (32 % in the chemotherapy cohort):
//! `a = -0.343` and `-1.287`.
//!
//! The calibrated values are stored in [`PaperModel::default`];
//! [`PaperModel::calibrated`] recomputes them (population medians by
//! bisection over the 64-pattern covariate mixture, OS by a midpoint
//! Stieltjes sum, response rates by the midpoint rule in the TTP quantile),
//! and a test checks that the two agree.
//!
//! **Lesions.** `1 + Binomial(4, 0.35)` target lesions; each is a lymph node
//! with probability 0.25 (short axis `U(15, 30)` mm, longest diameter
//! `U(1.1, 1.6)` times that, perpendicular = short axis), else longest
//! diameter `U(15, 60)` mm and perpendicular `U(0.5, 0.95)` times it; with
//! probability 0.35 one small non-target lesion (`U(5, 9.9)` mm). At each
//! assessment before progression the sum of longest diameters is a
//! fraction `f` of baseline: CR `f = 0` (every lesion 0); PR
//! `f1 = 1 + U(-0.70, -0.40)`; SD `f1 = 1 + U(-0.20, 0.08)`; later
//! assessments `f1 (1 + U(0, 0.06))`. Lesions share `f` with independent
//! `U(0.9, 1.1)` weights rescaled to keep the sum exact; values are rounded
//! to 0.1 mm. At progression either a new lesion appears (always after a
//! CR, else with probability 0.3; targets at `1 + U(0, 0.06)` times the last
//! level) or the sum grows to `nadir (1 + U(0.3, 0.6))`, at least nadir +
//! 6 mm. So under RECIST 1.0 without confirmation the series give exactly
//! the recorded best response and the progression date (tested), with
//! margins of at least 10 percentage points from every threshold. RECIST
//! 1.1 (short axes of nodes, 5 mm rule) and WHO (products) usually but not
//! always agree: lesions carry their own noise (over 20 seeds RECIST 1.1
//! found the same progression date for 2152 of 2160 patients).
//!
//! **Censoring.** Loss to follow-up at constant rate 0.005 per month; clinic
//! follow-up ends at loss, or for patients not lost at the last visit
//! `U{0..30}` days before the cutoff. Progression is observed when it
//! occurs before the end of clinic follow-up. Deaths are observed during
//! clinic follow-up and, for patients not lost, up to the cutoff (registry
//! linkage), so a death may come after the last follow-up (the case the
//! endpoint rules treat specially). Last follow-up is the death date for
//! patients who die in clinic follow-up, else the end of clinic follow-up.
//! Censoring is independent of the latent times (apart from the deaths in
//! the last 30 days before the cutoff), so Kaplan-Meier medians estimate
//! the population medians.
//!
//! **What it gives** (trastuzumab cohort, 200 seeds, by true group 0-2+ /
//! 3+): best response CR 12.6 / 5.3 %, PR 32.9 / 12.6 %, SD 45.7 / 62.4 %,
//! PD 6.9 / 17.8 %, NE 1.9 / 1.9 %; Kaplan-Meier medians of the pooled data
//! TTP 8.25 / 4.80 and OS 22.8 / 12.9 months; 61.5 % died by the last
//! contact.
//!
//! **Known departures from the paper.** A Weibull PH model with the
//! paper's conditional hazard ratio (2.6) and its medians forces
//! `k = 1.78`, so fewer patients progress before the first assessment (PD
//! as best response 7 % / 18 % vs the paper's 15 % / 30 %) while progression
//! within 6 months (33 % / 60 %) is close to the paper's 34 % / 65 %. Fewer
//! patients die (62 % vs 70 %), and the median follow-up (14 months from
//! start to last contact) is shorter than the paper's 28. The five HER-2
//! 2+ non-amplified patients the paper excluded are not simulated.
//!
//! **Reproducibility.** A seed gives the same tables on every run and, up
//! to last-bit differences of the platform's `exp`/`ln`/`powf` (which can
//! flip a rounding to a day or 0.1 mm in rare cases), on every platform.

mod csv;
mod model;
mod rng;

use chrono::{Days, NaiveDate};
use serde::Serialize;

pub use csv::{to_csv, CsvRow};
pub use model::{
    Cohort, CohortModel, CohortTargets, CovariateModel, PaperModel, PaperTargets, PpsEffects,
    ReaderModel, ResponseModel, TtpEffects, DAYS_PER_MONTH, FIRST_VISIT_DAY,
    PROGRESSION_WINDOW_DAYS, VISIT_EVERY_DAYS, VISIT_JITTER_DAYS,
};

use crate::endpoints::PatientDates;
use crate::error::{Result, StudyError};
use crate::ihc::{IhcCase, Reading, ScoreBins};
use crate::response::{LesionMeasurement, Response};
use rng::Stream;

/// Chemotherapy regimen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Regimen {
    /// Taxane (paclitaxel, docetaxel).
    Taxane,
    /// Vinorelbine.
    Vinorelbine,
    /// Other (e.g. capecitabine).
    Other,
}

impl Regimen {
    /// Name as written in the tables.
    pub fn name(self) -> &'static str {
        match self {
            Regimen::Taxane => "taxane",
            Regimen::Vinorelbine => "vinorelbine",
            Regimen::Other => "other",
        }
    }
}

/// One patient (one row of the patient table).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientRow {
    /// Patient id (`T001`.. trastuzumab, `C001`.. chemotherapy).
    pub patient: String,
    /// Cohort.
    pub cohort: Cohort,
    /// Treatment start.
    pub start_date: NaiveDate,
    /// First documented progression.
    pub progression_date: Option<NaiveDate>,
    /// Death.
    pub death_date: Option<NaiveDate>,
    /// Last follow-up.
    pub last_follow_up: NaiveDate,
    /// Age at start, years.
    pub age: u32,
    /// Primary tumour size, cm.
    pub tumour_size_cm: f64,
    /// Positive lymph nodes.
    pub positive_nodes: u32,
    /// Estrogen-receptor positive.
    pub er_positive: bool,
    /// Progesterone-receptor positive.
    pub pr_positive: bool,
    /// Lymphovascular invasion.
    pub lvi_positive: bool,
    /// Regimen.
    pub regimen: Regimen,
    /// Best response as the investigator recorded it (RECIST 1.0, no
    /// confirmation).
    pub best_response: Response,
}

/// The two pathologists' reads of one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IhcRow {
    /// Patient id.
    pub patient: String,
    /// Reader 1's percent of tumour cells with complete membrane staining.
    pub reader_1_percent: f64,
    /// Reader 2's percent.
    pub reader_2_percent: f64,
    /// Score agreed at the double-headed microscope (straddling cases only).
    pub adjudicated_score: Option<u8>,
}

/// The latent truth behind one patient's rows (for checking analyses).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TruthRow {
    /// Patient id.
    pub patient: String,
    /// Cohort.
    pub cohort: Cohort,
    /// True percent of stained cells.
    pub true_percent: f64,
    /// True score (paper bins).
    pub true_score: u8,
    /// True marker group (3+), which drives the outcomes.
    pub marker_positive: bool,
    /// Latent time to progression, months.
    pub ttp_months: f64,
    /// Whether progression comes before a death without progression.
    pub progresses: bool,
    /// Latent time to death, months.
    pub death_months: f64,
    /// The intended (recorded) best response.
    pub best_response: Response,
}

/// A simulated study: the raw tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulatedStudy {
    /// The seed.
    pub seed: u64,
    /// Patient table, trastuzumab cohort first.
    pub patients: Vec<PatientRow>,
    /// IHC reads, one row per patient.
    pub ihc: Vec<IhcRow>,
    /// Lesion measurements, by patient, date and lesion.
    pub lesions: Vec<LesionMeasurement>,
    /// Latent truth.
    pub truth: Vec<TruthRow>,
}

impl CsvRow for PatientRow {
    fn header() -> &'static [&'static str] {
        &[
            "patient_id",
            "cohort",
            "start_date",
            "progression_date",
            "death_date",
            "last_follow_up",
            "age",
            "tumour_size_cm",
            "positive_nodes",
            "er_positive",
            "pr_positive",
            "lvi_positive",
            "regimen",
            "best_response",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.patient.clone(),
            self.cohort.name().into(),
            self.start_date.to_string(),
            csv::opt_date(self.progression_date),
            csv::opt_date(self.death_date),
            self.last_follow_up.to_string(),
            self.age.to_string(),
            self.tumour_size_cm.to_string(),
            self.positive_nodes.to_string(),
            csv::flag(self.er_positive),
            csv::flag(self.pr_positive),
            csv::flag(self.lvi_positive),
            self.regimen.name().into(),
            self.best_response.to_string(),
        ]
    }
}

impl CsvRow for IhcRow {
    fn header() -> &'static [&'static str] {
        &[
            "patient_id",
            "reader_1_percent",
            "reader_2_percent",
            "adjudicated_score",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.patient.clone(),
            self.reader_1_percent.to_string(),
            self.reader_2_percent.to_string(),
            self.adjudicated_score
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ]
    }
}

impl CsvRow for LesionMeasurement {
    fn header() -> &'static [&'static str] {
        &[
            "patient_id",
            "date",
            "lesion_id",
            "longest_diameter_mm",
            "perpendicular_diameter_mm",
            "target",
            "lymph_node",
            "short_axis_mm",
            "new_lesion",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.patient.clone(),
            self.date.to_string(),
            self.lesion.clone(),
            csv::opt_num(self.longest_diameter),
            csv::opt_num(self.perpendicular_diameter),
            csv::flag(self.target),
            csv::flag(self.lymph_node),
            csv::opt_num(self.short_axis),
            csv::flag(self.new_lesion),
        ]
    }
}

impl CsvRow for TruthRow {
    fn header() -> &'static [&'static str] {
        &[
            "patient_id",
            "cohort",
            "true_percent",
            "true_score",
            "marker_positive",
            "ttp_months",
            "progresses",
            "death_months",
            "best_response",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.patient.clone(),
            self.cohort.name().into(),
            self.true_percent.to_string(),
            self.true_score.to_string(),
            csv::flag(self.marker_positive),
            self.ttp_months.to_string(),
            csv::flag(self.progresses),
            self.death_months.to_string(),
            self.best_response.to_string(),
        ]
    }
}

impl SimulatedStudy {
    /// The patient table as CSV.
    pub fn patients_csv(&self) -> String {
        to_csv(&self.patients)
    }

    /// The IHC table as CSV.
    pub fn ihc_csv(&self) -> String {
        to_csv(&self.ihc)
    }

    /// The lesion table as CSV.
    pub fn lesions_csv(&self) -> String {
        to_csv(&self.lesions)
    }

    /// The latent truth as CSV.
    pub fn truth_csv(&self) -> String {
        to_csv(&self.truth)
    }

    /// The dates of every patient, for [`crate::endpoints`].
    pub fn patient_dates(&self) -> Vec<PatientDates> {
        self.patients
            .iter()
            .map(|p| PatientDates {
                patient: p.patient.clone(),
                start: Some(p.start_date),
                progression: p.progression_date,
                death: p.death_date,
                last_follow_up: Some(p.last_follow_up),
            })
            .collect()
    }

    /// The IHC reads as cases for [`crate::ihc::score_cases`] (readers
    /// `reader_1`, `reader_2`; the adjudicated score as a reading).
    pub fn ihc_cases(&self) -> Vec<IhcCase> {
        self.ihc
            .iter()
            .map(|r| IhcCase {
                id: r.patient.clone(),
                reads: vec![Some(r.reader_1_percent), Some(r.reader_2_percent)],
                consensus: None,
                adjudicated: r.adjudicated_score.map(Reading::Score),
            })
            .collect()
    }
}

/// Simulate the seed paper's study with [`PaperModel::default`].
///
/// Deterministic for a seed; another seed gives another cohort of the same
/// design. See the module docs for the model.
///
/// # Example
///
/// ```
/// use oncomark_study::simulate::simulate_paper_cohort;
/// let s = simulate_paper_cohort(2009);
/// assert_eq!(s.patients.len(), 108);
/// assert_eq!(s, simulate_paper_cohort(2009));
/// assert_ne!(s.patients, simulate_paper_cohort(2010).patients);
/// ```
pub fn simulate_paper_cohort(seed: u64) -> SimulatedStudy {
    run(&PaperModel::default(), seed)
}

/// Simulate with a given model (e.g. other targets from
/// [`PaperModel::calibrated`], or another size).
///
/// # Errors
///
/// [`StudyError::BadOption`] when a probability is outside 0-1, a shape,
/// scale or standard deviation is not positive, a rate is negative, a
/// cohort has more than 999 patients, or the start dates are not ordered
/// before the cutoff.
pub fn simulate(model: &PaperModel, seed: u64) -> Result<SimulatedStudy> {
    validate(model)?;
    Ok(run(model, seed))
}

fn validate(model: &PaperModel) -> Result<()> {
    let bad = |what, value: f64, reason| {
        Err(StudyError::BadOption {
            what,
            value,
            reason,
        })
    };
    for c in [&model.trastuzumab, &model.chemotherapy] {
        let v = &c.covariates;
        let probs = [
            ("p_node_positive", v.p_node_positive),
            ("p_er", v.p_er),
            ("p_pr_given_er", v.p_pr_given_er),
            ("p_pr_given_er_negative", v.p_pr_given_er_negative),
            ("p_lvi", v.p_lvi),
            ("cr_share", c.response.cr_share),
        ];
        for (what, p) in probs {
            if !(0.0..=1.0).contains(&p) {
                return bad(what, p, "a probability must be in [0, 1]");
            }
        }
        for (what, w) in [
            ("score_probs", &c.score_probs[..]),
            ("regimen", &v.regimen[..]),
        ] {
            if w.iter().any(|x| !(x.is_finite() && *x >= 0.0)) || w.iter().sum::<f64>() <= 0.0 {
                return bad(
                    what,
                    w.iter().sum(),
                    "weights must be >= 0 with a positive sum",
                );
            }
        }
        let positive = [
            ("ttp_shape", c.ttp_shape),
            ("ttp_scale", c.ttp_scale),
            ("pps_shape", c.pps_shape),
            ("pps_scale", c.pps_scale),
            ("size_log_sd", v.size_log_sd),
            ("age_sd", v.age_sd),
            ("nodes_mean", v.nodes_mean),
            ("ref_months", c.response.ref_months),
        ];
        for (what, x) in positive {
            if !(x.is_finite() && x > 0.0) {
                return bad(what, x, "must be a finite number > 0");
            }
        }
        for (what, x) in [("death_rate", c.death_rate), ("loss_rate", c.loss_rate)] {
            if !(x.is_finite() && x >= 0.0) {
                return bad(what, x, "a rate must be finite and >= 0");
            }
        }
        if c.n > 999 {
            return bad(
                "n",
                c.n as f64,
                "at most 999 patients per cohort (ids have 3 digits)",
            );
        }
        if !(c.start_first <= c.start_last && c.start_last < model.cutoff) {
            return bad(
                "start_last",
                (c.start_last - c.start_first).num_days() as f64,
                "start dates must satisfy start_first <= start_last < cutoff",
            );
        }
    }
    let r = &model.readers;
    for (what, x) in [
        ("sd_intercept", r.sd_intercept),
        ("sd_slope", r.sd_slope),
        ("sd_max", r.sd_max),
        ("consensus_sd", r.consensus_sd),
    ] {
        if !(x.is_finite() && x >= 0.0) {
            return bad(what, x, "must be finite and >= 0");
        }
    }
    Ok(())
}

/// Whole days from months, at least `min`, capped at 10^6.
fn to_days(months: f64, min: i64) -> i64 {
    let d = (months * DAYS_PER_MONTH).round();
    if d.is_nan() {
        min
    } else {
        (d.min(1e6) as i64).max(min)
    }
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    // n is in 0..=1e6 + a few thousand: always representable
    d.checked_add_days(Days::new(n.max(0) as u64))
        .unwrap_or(NaiveDate::MAX)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

struct Lesion {
    id: String,
    node: bool,
    ld: f64,
    perp: f64,
    short: Option<f64>,
}

/// What one patient contributes.
struct Generated {
    patient: PatientRow,
    reads: [f64; 2],
    consensus_score: u8,
    lesions: Vec<LesionMeasurement>,
    truth: TruthRow,
}

fn run(model: &PaperModel, seed: u64) -> SimulatedStudy {
    let mut out = SimulatedStudy {
        seed,
        patients: Vec::new(),
        ihc: Vec::new(),
        lesions: Vec::new(),
        truth: Vec::new(),
    };
    let bins = ScoreBins::default();
    for (k, cm) in [&model.trastuzumab, &model.chemotherapy]
        .into_iter()
        .enumerate()
    {
        let gen: Vec<Generated> = (0..cm.n)
            .map(|i| patient(model, cm, seed, ((k as u64) << 32) | i as u64, i))
            .collect();
        let score = |p: f64| bins.score(p).unwrap_or(0);
        let straddlers: Vec<usize> = gen
            .iter()
            .enumerate()
            .filter(|(_, g)| (score(g.reads[0]) >= 3) != (score(g.reads[1]) >= 3))
            .map(|(i, _)| i)
            .collect();
        // the cohort's own stream picks the unresolved cases
        let mut r = Stream::new(seed, ((k as u64) << 32) | 0xFFFF_FFFF);
        let mut pool = straddlers.clone();
        let mut unresolved = Vec::new();
        for _ in 0..cm.unresolved_straddles.min(pool.len()) {
            let j = r.int(0, pool.len() as i64 - 1) as usize;
            unresolved.push(pool.swap_remove(j));
        }
        for (i, g) in gen.into_iter().enumerate() {
            let adjudicated =
                (straddlers.contains(&i) && !unresolved.contains(&i)).then_some(g.consensus_score);
            out.ihc.push(IhcRow {
                patient: g.patient.patient.clone(),
                reader_1_percent: g.reads[0],
                reader_2_percent: g.reads[1],
                adjudicated_score: adjudicated,
            });
            out.patients.push(g.patient);
            out.lesions.extend(g.lesions);
            out.truth.push(g.truth);
        }
    }
    out
}

fn patient(
    model: &PaperModel,
    cm: &CohortModel,
    seed: u64,
    stream: u64,
    index: usize,
) -> Generated {
    let mut r = Stream::new(seed, stream);
    let id = format!("{}{:03}", cm.id_prefix, index + 1);
    let bins = ScoreBins::default();

    // start date
    let span = (cm.start_last - cm.start_first).num_days();
    let start = add_days(cm.start_first, r.int(0, span));

    // covariates
    let v = &cm.covariates;
    let age = (v.age_mean + v.age_sd * r.normal())
        .clamp(v.age_min, v.age_max)
        .round() as u32;
    let size = round1((v.size_log_mean + v.size_log_sd * r.normal()).exp()).max(0.1);
    let node_positive = r.bernoulli(v.p_node_positive);
    let e = r.exp1();
    let positive_nodes = if node_positive {
        ((v.nodes_mean * e).ceil() as u32).max(1)
    } else {
        0
    };
    let er = r.bernoulli(v.p_er);
    let pr = r.bernoulli(if er {
        v.p_pr_given_er
    } else {
        v.p_pr_given_er_negative
    });
    let lvi = r.bernoulli(v.p_lvi);
    let regimen = match r.categorical(&v.regimen) {
        0 => Regimen::Taxane,
        1 => Regimen::Vinorelbine,
        _ => Regimen::Other,
    };

    // marker
    let true_score = r.categorical(&cm.score_probs);
    let p = match true_score {
        0 => 0.0,
        1 => r.range(1.0, 10.0),
        2 => r.range(10.0, 40.0),
        _ => r.range(40.0, 100.0),
    };
    let rm = &model.readers;
    let mut read = |sd: f64| {
        let z = r.normal();
        if p == 0.0 {
            0.0
        } else {
            (p + sd * z).round().clamp(0.0, 100.0)
        }
    };
    let sd = rm.sd_max.min(rm.sd_intercept + rm.sd_slope * p);
    let reads = [read(sd), read(sd)];
    let consensus_score = bins.score(read(rm.consensus_sd)).unwrap_or(0);
    let marker_positive = p > 40.0;
    let true_score = bins.score(p).unwrap_or(0);

    // latent times, months
    let te = &cm.ttp_effects;
    let on = |b: bool, beta: f64| if b { beta } else { 0.0 };
    let eta = on(marker_positive, te.marker)
        + on(size > 2.0, te.size_over_2cm)
        + on(node_positive, te.node_positive)
        + on(er, te.er)
        + on(pr, te.pr)
        + on(lvi, te.lvi)
        + on(regimen == Regimen::Taxane, te.taxane);
    let pe = &cm.pps_effects;
    let eta2 = on(marker_positive, pe.marker) + on(er, pe.er) + on(pr, pe.pr);
    let t_p = cm.ttp_scale * (r.exp1() * (-eta).exp()).powf(1.0 / cm.ttp_shape);
    let e_d = r.exp1();
    let t_d0 = if cm.death_rate > 0.0 {
        e_d / cm.death_rate
    } else {
        f64::INFINITY
    };
    let pps = cm.pps_scale * (r.exp1() * (-eta2).exp()).powf(1.0 / cm.pps_shape);
    let e_l = r.exp1();
    let t_loss = if cm.loss_rate > 0.0 {
        e_l / cm.loss_rate
    } else {
        f64::INFINITY
    };
    let lag = r.int(0, 30);

    // response draws (made for every patient, used when assessed)
    let a = if marker_positive {
        cm.response.intercept_positive
    } else {
        cm.response.intercept_negative
    };
    let responder = r.uniform()
        < 1.0 / (1.0 + (-(a + cm.response.slope * (t_p / cm.response.ref_months).ln())).exp());
    let complete = r.uniform() < cm.response.cr_share;
    let f1 = if responder {
        if complete {
            0.0
        } else {
            1.0 + r.range(-0.70, -0.40)
        }
    } else {
        1.0 + r.range(-0.20, 0.08)
    };

    // days
    let tp_day = to_days(t_p, 1);
    let d0_day = to_days(t_d0, 1);
    let progresses = d0_day >= tp_day;
    let death_day = if progresses {
        tp_day + to_days(pps, 0)
    } else {
        d0_day
    };
    let admin = (model.cutoff - start).num_days();
    let loss_day = to_days(t_loss, 1);
    let lost = loss_day < admin - lag;
    let clinic_end = if lost { loss_day } else { admin - lag };
    // deaths are ascertained up to the cutoff for patients still followed
    let death_observed = death_day <= clinic_end || (!lost && death_day <= admin);
    let progression_observed = progresses && tp_day <= clinic_end;
    let last_fu = if death_observed && death_day <= clinic_end {
        death_day
    } else {
        clinic_end.min(death_day)
    };

    // assessments before progression
    let mut visits = Vec::new();
    for j in 0.. {
        let day =
            FIRST_VISIT_DAY + j * VISIT_EVERY_DAYS + r.int(-VISIT_JITTER_DAYS, VISIT_JITTER_DAYS);
        if day > clinic_end
            || day >= death_day
            || (progresses && day >= tp_day - PROGRESSION_WINDOW_DAYS)
        {
            break;
        }
        visits.push(day);
    }
    let best = if visits.is_empty() {
        if progression_observed {
            Response::Pd
        } else {
            Response::Ne
        }
    } else if responder && complete {
        Response::Cr
    } else if responder {
        Response::Pr
    } else {
        Response::Sd
    };

    // lesions
    let n_targets = 1 + (0..4).filter(|_| r.bernoulli(0.35)).count();
    let mut targets = Vec::with_capacity(n_targets);
    for i in 0..n_targets {
        let id = format!("L{}", i + 1);
        if r.bernoulli(0.25) {
            let short = round1(r.range(15.0, 30.0));
            let ld = round1(short * r.range(1.1, 1.6));
            targets.push(Lesion {
                id,
                node: true,
                ld,
                perp: short,
                short: Some(short),
            });
        } else {
            let ld = round1(r.range(15.0, 60.0));
            let perp = round1(ld * r.range(0.5, 0.95));
            targets.push(Lesion {
                id,
                node: false,
                ld,
                perp,
                short: None,
            });
        }
    }
    let non_target = r.bernoulli(0.35).then(|| {
        let ld = round1(r.range(5.0, 9.9));
        let perp = round1(ld * r.range(0.6, 1.0));
        Lesion {
            id: "NT1".into(),
            node: false,
            ld,
            perp,
            short: None,
        }
    });
    let base_sum: f64 = targets.iter().map(|l| l.ld).sum();
    let mut rows = Vec::new();
    let row = |date: NaiveDate, l: &Lesion, s: f64, target: bool| LesionMeasurement {
        patient: id.clone(),
        date,
        lesion: l.id.clone(),
        longest_diameter: Some(round1(l.ld * s)),
        perpendicular_diameter: Some(round1(l.perp * s)),
        target,
        lymph_node: l.node,
        short_axis: l.short.map(|x| round1(x * s)),
        new_lesion: false,
    };
    // one assessment at sum fraction f: returns the recorded sum
    let assess = |r: &mut Stream, rows: &mut Vec<LesionMeasurement>, day: i64, f: f64| {
        let date = add_days(start, day);
        let w: Vec<f64> = targets.iter().map(|_| r.range(0.9, 1.1)).collect();
        let weighted: f64 = targets.iter().zip(&w).map(|(l, w)| l.ld * w).sum();
        let k = f * base_sum / weighted;
        let mut sum = 0.0;
        for (l, w) in targets.iter().zip(&w) {
            let m = row(date, l, w * k, true);
            sum += m.longest_diameter.unwrap_or(0.0);
            rows.push(m);
        }
        if let Some(nt) = &non_target {
            let s = if day == 0 {
                1.0
            } else if best == Response::Cr {
                0.0
            } else {
                r.range(0.9, 1.1)
            };
            rows.push(row(date, nt, s, false));
        }
        sum
    };
    // baseline: exact values
    let mut nadir = base_sum;
    {
        let date = start;
        for l in &targets {
            rows.push(row(date, l, 1.0, true));
        }
        if let Some(nt) = &non_target {
            rows.push(row(date, nt, 1.0, false));
        }
    }
    let mut last_f = 1.0;
    for (j, &day) in visits.iter().enumerate() {
        let f = if j == 0 {
            f1
        } else {
            f1 * (1.0 + r.range(0.0, 0.06))
        };
        let s = assess(&mut r, &mut rows, day, f);
        nadir = nadir.min(s);
        last_f = f;
    }
    if progression_observed {
        let new_lesion = best == Response::Cr || r.bernoulli(0.3);
        let f = if new_lesion {
            last_f * (1.0 + r.range(0.0, 0.06))
        } else {
            let grown = (nadir * (1.0 + r.range(0.3, 0.6))).max(nadir + 6.0);
            grown / base_sum
        };
        assess(&mut r, &mut rows, tp_day, f);
        if new_lesion {
            let ld = round1(r.range(10.0, 30.0));
            let perp = round1(ld * r.range(0.5, 1.0));
            rows.push(LesionMeasurement {
                patient: id.clone(),
                date: add_days(start, tp_day),
                lesion: "N1".into(),
                longest_diameter: Some(ld),
                perpendicular_diameter: Some(perp),
                target: false,
                lymph_node: false,
                short_axis: None,
                new_lesion: true,
            });
        }
    }

    let patient = PatientRow {
        patient: id.clone(),
        cohort: cm.cohort,
        start_date: start,
        progression_date: progression_observed.then(|| add_days(start, tp_day)),
        death_date: death_observed.then(|| add_days(start, death_day)),
        last_follow_up: add_days(start, last_fu),
        age,
        tumour_size_cm: size,
        positive_nodes,
        er_positive: er,
        pr_positive: pr,
        lvi_positive: lvi,
        regimen,
        best_response: best,
    };
    Generated {
        truth: TruthRow {
            patient: id,
            cohort: cm.cohort,
            true_percent: p,
            true_score,
            marker_positive,
            ttp_months: t_p,
            progresses,
            death_months: death_day as f64 / DAYS_PER_MONTH,
            best_response: best,
        },
        patient,
        reads,
        consensus_score,
        lesions: rows,
    }
}
