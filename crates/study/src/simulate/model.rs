//! Parameters of the generating model, its population quantities (medians,
//! response rates by numerical integration) and their calibration to the
//! design targets.

use chrono::NaiveDate;
use serde::Serialize;
use statrs::function::erf::erfc;

use crate::error::{Result, StudyError};

/// Days in a month (365.25 / 12).
pub const DAYS_PER_MONTH: f64 = 30.4375;
/// Day of the first response assessment after the start (9 weeks).
pub const FIRST_VISIT_DAY: i64 = 63;
/// Days between later assessments (12 weeks).
pub const VISIT_EVERY_DAYS: i64 = 84;
/// Largest shift of an assessment from its scheduled day, days (uniform
/// on `-3..=3`).
pub const VISIT_JITTER_DAYS: i64 = 3;
/// A scheduled assessment falling less than this many days before the
/// progression date is replaced by the progression assessment.
pub const PROGRESSION_WINDOW_DAYS: i64 = 7;

/// Midpoints of the quadratures (checked against 4x as many in the tests).
const QUAD_POINTS: usize = 200;

/// Which cohort a patient belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cohort {
    /// Trastuzumab-based chemotherapy.
    Trastuzumab,
    /// Chemotherapy alone (trastuzumab-naive).
    Chemotherapy,
}

impl Cohort {
    /// Name as written in the tables: `trastuzumab`, `chemotherapy`.
    pub fn name(self) -> &'static str {
        match self {
            Cohort::Trastuzumab => "trastuzumab",
            Cohort::Chemotherapy => "chemotherapy",
        }
    }
}

/// Distribution of the baseline covariates. All are independent of each
/// other and of the marker, except PR given ER.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CovariateModel {
    /// Age: normal mean, years.
    pub age_mean: f64,
    /// Age: normal standard deviation.
    pub age_sd: f64,
    /// Age is clamped to `[age_min, age_max]` and rounded.
    pub age_min: f64,
    /// See `age_min`.
    pub age_max: f64,
    /// Tumour size (cm) is log-normal: mean of `ln(size)`.
    pub size_log_mean: f64,
    /// Standard deviation of `ln(size)`.
    pub size_log_sd: f64,
    /// Probability of positive lymph nodes.
    pub p_node_positive: f64,
    /// Positive nodes given node-positive: `max(1, ceil(nodes_mean * E))`,
    /// `E ~ Exp(1)` (a geometric count).
    pub nodes_mean: f64,
    /// Probability of ER-positive.
    pub p_er: f64,
    /// Probability of PR-positive given ER-positive.
    pub p_pr_given_er: f64,
    /// Probability of PR-positive given ER-negative.
    pub p_pr_given_er_negative: f64,
    /// Probability of lymphovascular invasion.
    pub p_lvi: f64,
    /// Probabilities of the regimens taxane, vinorelbine, other.
    pub regimen: [f64; 3],
}

impl CovariateModel {
    /// Probability that the recorded size (rounded to 0.1 cm) exceeds 2 cm:
    /// `P(size >= 2.05) = 1 - Phi((ln 2.05 - size_log_mean) / size_log_sd)`.
    pub fn p_size_over_2cm(&self) -> f64 {
        let z = (2.05f64.ln() - self.size_log_mean) / self.size_log_sd;
        0.5 * erfc(z / std::f64::consts::SQRT_2)
    }
}

/// Log hazard ratios of the TTP model (the paper's Table 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TtpEffects {
    /// Marker 3+ (vs 0-2+).
    pub marker: f64,
    /// Tumour size > 2 cm.
    pub size_over_2cm: f64,
    /// Node-positive.
    pub node_positive: f64,
    /// ER-positive.
    pub er: f64,
    /// PR-positive.
    pub pr: f64,
    /// LVI-positive.
    pub lvi: f64,
    /// Taxane regimen (vs vinorelbine or other).
    pub taxane: f64,
}

/// Log hazard ratios of the post-progression survival model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PpsEffects {
    /// Marker 3+ (calibrated to the OS medians).
    pub marker: f64,
    /// ER-positive.
    pub er: f64,
    /// PR-positive.
    pub pr: f64,
}

/// How the best response depends on the time to progression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseModel {
    /// Logit intercept, marker-negative (0-2+).
    pub intercept_negative: f64,
    /// Logit intercept, marker-positive (3+).
    pub intercept_positive: f64,
    /// Logit slope per unit of `ln(TTP / ref_months)`.
    pub slope: f64,
    /// Reference TTP, months.
    pub ref_months: f64,
    /// Share of complete responses among responders.
    pub cr_share: f64,
}

/// The generating model of one cohort (see the module docs of
/// [`crate::simulate`] for the full statement).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortModel {
    /// The cohort.
    pub cohort: Cohort,
    /// Number of patients.
    pub n: usize,
    /// Prefix of patient ids (`T` gives `T001`, ...).
    pub id_prefix: String,
    /// First possible treatment start.
    pub start_first: NaiveDate,
    /// Last possible treatment start.
    pub start_last: NaiveDate,
    /// Probabilities of the true IHC scores 0, 1+, 2+, 3+.
    pub score_probs: [f64; 4],
    /// Baseline covariates.
    pub covariates: CovariateModel,
    /// Weibull shape of the latent TTP.
    pub ttp_shape: f64,
    /// Weibull scale of the latent TTP at all-zero covariates, months.
    pub ttp_scale: f64,
    /// TTP log hazard ratios.
    pub ttp_effects: TtpEffects,
    /// Hazard of death without progression, per month (constant).
    pub death_rate: f64,
    /// Weibull shape of post-progression survival.
    pub pps_shape: f64,
    /// Weibull scale of post-progression survival at all-zero covariates, months.
    pub pps_scale: f64,
    /// Post-progression log hazard ratios.
    pub pps_effects: PpsEffects,
    /// Hazard of loss to follow-up, per month (constant).
    pub loss_rate: f64,
    /// Best response given TTP.
    pub response: ResponseModel,
    /// Straddling IHC cases left without adjudication (the paper: one).
    pub unresolved_straddles: usize,
}

/// Reading noise of the pathologists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReaderModel {
    /// A read is `round(p + sd(p) Z)` clamped to 0-100 for a true percent
    /// `p > 0`, with `sd(p) = min(sd_max, sd_intercept + sd_slope p)`; a
    /// true 0 is read 0.
    pub sd_intercept: f64,
    /// See `sd_intercept`.
    pub sd_slope: f64,
    /// See `sd_intercept`.
    pub sd_max: f64,
    /// Standard deviation of the joint (double-headed microscope) read of a
    /// straddling case, percentage points.
    pub consensus_sd: f64,
}

/// The whole simulated study: two cohorts, a data cutoff and the readers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaperModel {
    /// The 78 trastuzumab-treated patients.
    pub trastuzumab: CohortModel,
    /// The 30 chemotherapy-only patients.
    pub chemotherapy: CohortModel,
    /// Data cutoff: deaths are known up to it (registry), clinic follow-up
    /// ends 0-30 days before it.
    pub cutoff: NaiveDate,
    /// Reader noise.
    pub readers: ReaderModel,
}

/// Design targets of one cohort, `[marker-negative (0-2+), marker-positive (3+)]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortTargets {
    /// Population median TTP, months.
    pub ttp_median: [f64; 2],
    /// Population median OS, months.
    pub os_median: [f64; 2],
    /// Objective response rate (CR + PR over all patients).
    pub orr: [f64; 2],
}

/// Design targets of the study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaperTargets {
    /// Trastuzumab cohort: the seed paper's Table 2 (TTP 8.2 vs 4.8
    /// months, OS 23 vs 13 months, ORR 25/55 vs 4/23).
    pub trastuzumab: CohortTargets,
    /// Chemotherapy-only cohort, no marker effect: the chemotherapy-alone
    /// arm of Slamon et al., N Engl J Med 2001;344:783-792 (TTP 4.6 months,
    /// OS 20.3 months, ORR 32 %).
    pub chemotherapy: CohortTargets,
}

impl Default for PaperTargets {
    fn default() -> Self {
        PaperTargets {
            trastuzumab: CohortTargets {
                ttp_median: [8.2, 4.8],
                os_median: [23.0, 13.0],
                orr: [25.0 / 55.0, 4.0 / 23.0],
            },
            chemotherapy: CohortTargets {
                ttp_median: [4.6, 4.6],
                os_median: [20.3, 20.3],
                orr: [0.32, 0.32],
            },
        }
    }
}

/// One covariate pattern of the mixture: weight, TTP linear predictor
/// without the marker, PPS linear predictor without the marker.
#[derive(Debug, Clone, Copy)]
struct Pattern {
    w: f64,
    eta: f64,
    eta2: f64,
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Root of an increasing or decreasing `f` in `[lo, hi]` by bisection.
fn solve(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64, what: &'static str) -> Result<f64> {
    let (flo, fhi) = (f(lo), f(hi));
    if !(flo.is_finite() && fhi.is_finite()) || flo.signum() == fhi.signum() {
        return Err(StudyError::Calibration {
            what,
            reason: format!(
                "no root in [{lo}, {hi}] (f = {flo:.4e}, {fhi:.4e}); the targets are out of the model's reach"
            ),
        });
    }
    let up = flo < 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if (hi - lo) <= 1e-11 * mid.abs().max(1.0) {
            break;
        }
        if (f(mid) < 0.0) == up {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(0.5 * (lo + hi))
}

/// Median of a decreasing survival function.
fn median_of(s: impl Fn(f64) -> f64) -> f64 {
    let mut hi = 1.0;
    while s(hi) > 0.5 && hi < 1e6 {
        hi *= 2.0;
    }
    solve(|t| s(t) - 0.5, 0.0, hi, "median").unwrap_or(f64::NAN)
}

impl CohortModel {
    fn patterns(&self) -> Vec<Pattern> {
        let c = &self.covariates;
        let e = &self.ttp_effects;
        let p_size = c.p_size_over_2cm();
        let p_tax = c.regimen[0] / c.regimen.iter().sum::<f64>();
        let mut out = Vec::with_capacity(64);
        let b = |p: f64, x: bool| if x { p } else { 1.0 - p };
        for bits in 0u32..64 {
            let x = |i: u32| bits & (1 << i) != 0;
            let (size, node, er, pr, lvi, tax) = (x(0), x(1), x(2), x(3), x(4), x(5));
            let p_pr = if er {
                c.p_pr_given_er
            } else {
                c.p_pr_given_er_negative
            };
            let w = b(p_size, size)
                * b(c.p_node_positive, node)
                * b(c.p_er, er)
                * b(p_pr, pr)
                * b(c.p_lvi, lvi)
                * b(p_tax, tax);
            let f = |on: bool, beta: f64| if on { beta } else { 0.0 };
            out.push(Pattern {
                w,
                eta: f(size, e.size_over_2cm)
                    + f(node, e.node_positive)
                    + f(er, e.er)
                    + f(pr, e.pr)
                    + f(lvi, e.lvi)
                    + f(tax, e.taxane),
                eta2: f(er, self.pps_effects.er) + f(pr, self.pps_effects.pr),
            });
        }
        out
    }

    fn marker_eta(&self, positive: bool) -> (f64, f64) {
        if positive {
            (self.ttp_effects.marker, self.pps_effects.marker)
        } else {
            (0.0, 0.0)
        }
    }

    /// Population survival of the latent TTP at `t` months in a marker
    /// group: `sum_x w(x) exp(-(t / scale)^shape exp(eta(x)))` over the 64
    /// covariate patterns.
    pub fn ttp_survival(&self, t: f64, positive: bool) -> f64 {
        let (m, _) = self.marker_eta(positive);
        ttp_surv(&self.patterns(), t, self.ttp_shape, self.ttp_scale, m)
    }

    /// Population median of the latent TTP in a marker group, months (what
    /// the Kaplan-Meier median of TTP estimates).
    pub fn ttp_median(&self, positive: bool) -> f64 {
        let (m, _) = self.marker_eta(positive);
        let p = self.patterns();
        median_of(|t| ttp_surv(&p, t, self.ttp_shape, self.ttp_scale, m))
    }

    /// Population overall survival at `t` months in a marker group:
    /// `sum_x w(x) [exp(-mu t) S_p(t|x) + int_0^t exp(-mu s) S_pps(t - s|x) dF_p(s|x)]`
    /// (death without progression at rate `mu`, or progression followed by
    /// post-progression survival), by a midpoint Stieltjes sum over a
    /// uniform grid of `s`.
    pub fn os_survival(&self, t: f64, positive: bool) -> f64 {
        let (m, m2) = self.marker_eta(positive);
        os_surv(self, &self.patterns(), t, m, m2, self.pps_scale)
    }

    /// Population median overall survival in a marker group, months.
    pub fn os_median(&self, positive: bool) -> f64 {
        let (m, m2) = self.marker_eta(positive);
        let p = self.patterns();
        median_of(|t| os_surv(self, &p, t, m, m2, self.pps_scale))
    }

    /// Population objective response rate in a marker group:
    /// `exp(-(mu + loss) t1) sum_x w(x) int_{T > t1} logistic(a + b ln(T / ref)) dF_p(T|x)`,
    /// `t1` = 70 days (first assessment plus the progression window): the
    /// patients progressing before the first assessment, and those dying or
    /// lost before it, never respond.
    pub fn objective_response_rate(&self, positive: bool) -> f64 {
        let a = if positive {
            self.response.intercept_positive
        } else {
            self.response.intercept_negative
        };
        orr(self, &self.patterns(), positive, a)
    }

    /// Solve the TTP shape and scale, the PPS scale and marker effect and
    /// the response intercepts so that the population medians and rates hit
    /// `t` (see the module docs of [`crate::simulate`]). When the two TTP
    /// medians are equal the shape is kept and only the scale is solved;
    /// likewise the PPS marker effect when the OS medians are equal.
    ///
    /// # Errors
    ///
    /// [`StudyError::Calibration`] when a target cannot be reached (e.g.
    /// different TTP medians with no TTP marker effect).
    pub fn calibrate(&mut self, t: &CohortTargets) -> Result<()> {
        let p = self.patterns();
        let m = self.ttp_effects.marker;
        let unit_median = |k: f64, eta_m: f64| median_of(|s| ttp_surv(&p, s, k, 1.0, eta_m));
        if t.ttp_median[0] != t.ttp_median[1] {
            if m == 0.0 {
                return Err(StudyError::Calibration {
                    what: "TTP shape",
                    reason: "the TTP medians differ but the marker has no TTP effect".into(),
                });
            }
            let ratio = t.ttp_median[1] / t.ttp_median[0];
            self.ttp_shape = solve(
                |k| unit_median(k, m) / unit_median(k, 0.0) - ratio,
                0.2,
                20.0,
                "TTP shape",
            )?;
        }
        self.ttp_scale = t.ttp_median[0] / unit_median(self.ttp_shape, 0.0);

        let os_med = |scale: f64, m2: f64, pos: bool| {
            let mm = if pos { m } else { 0.0 };
            median_of(|s| os_surv(self, &p, s, mm, if pos { m2 } else { 0.0 }, scale))
        };
        let pps_scale = solve(
            |sc| os_med(sc, 0.0, false) - t.os_median[0],
            0.01,
            1000.0,
            "post-progression scale",
        )?;
        let pps_marker = if t.os_median[0] != t.os_median[1] {
            solve(
                |g| os_med(pps_scale, g, true) - t.os_median[1],
                -5.0,
                5.0,
                "post-progression marker effect",
            )?
        } else {
            self.pps_effects.marker
        };
        self.pps_scale = pps_scale;
        self.pps_effects.marker = pps_marker;

        let a_neg = solve(
            |a| orr(self, &p, false, a) - t.orr[0],
            -30.0,
            30.0,
            "response intercept (marker-negative)",
        )?;
        let a_pos = solve(
            |a| orr(self, &p, true, a) - t.orr[1],
            -30.0,
            30.0,
            "response intercept (marker-positive)",
        )?;
        self.response.intercept_negative = a_neg;
        self.response.intercept_positive = a_pos;
        Ok(())
    }
}

fn ttp_surv(p: &[Pattern], t: f64, k: f64, scale: f64, eta_m: f64) -> f64 {
    let h = (t / scale).powf(k);
    p.iter()
        .map(|x| x.w * (-h * (x.eta + eta_m).exp()).exp())
        .sum()
}

/// `s(u)`: the TTP quantile at `u` for linear predictor `eta`.
fn ttp_quantile(u: f64, k: f64, scale: f64, eta: f64) -> f64 {
    scale * (-(1.0 - u).ln() * (-eta).exp()).powf(1.0 / k)
}

fn os_surv(c: &CohortModel, p: &[Pattern], t: f64, eta_m: f64, eta2_m: f64, pps_scale: f64) -> f64 {
    os_surv_n(c, p, t, eta_m, eta2_m, pps_scale, QUAD_POINTS)
}

fn os_surv_n(
    c: &CohortModel,
    p: &[Pattern],
    t: f64,
    eta_m: f64,
    eta2_m: f64,
    pps_scale: f64,
    n: usize,
) -> f64 {
    let (k, sc, mu) = (c.ttp_shape, c.ttp_scale, c.death_rate);
    let k2 = c.pps_shape;
    p.iter()
        .map(|x| {
            let eta = x.eta + eta_m;
            let ee = eta.exp();
            let sp = (-(t / sc).powf(k) * ee).exp();
            let e2 = (x.eta2 + eta2_m).exp();
            // Stieltjes midpoint sum on a uniform grid of s: the weights are
            // the exact increments of F_p, the integrand is smooth in s
            let h = t / n as f64;
            let mut s_prev = 1.0;
            let mut integral = 0.0;
            for i in 0..n {
                let s_next = (-(((i + 1) as f64 * h) / sc).powf(k) * ee).exp();
                let s = (i as f64 + 0.5) * h;
                integral += (s_prev - s_next)
                    * (-mu * s).exp()
                    * (-((t - s) / pps_scale).powf(k2) * e2).exp();
                s_prev = s_next;
            }
            x.w * ((-mu * t).exp() * sp + integral)
        })
        .sum()
}

fn orr(c: &CohortModel, p: &[Pattern], positive: bool, a: f64) -> f64 {
    orr_n(c, p, positive, a, 4 * QUAD_POINTS)
}

fn orr_n(c: &CohortModel, p: &[Pattern], positive: bool, a: f64, n: usize) -> f64 {
    let (k, sc) = (c.ttp_shape, c.ttp_scale);
    let eta_m = if positive { c.ttp_effects.marker } else { 0.0 };
    let t1 = (FIRST_VISIT_DAY + PROGRESSION_WINDOW_DAYS) as f64 / DAYS_PER_MONTH;
    let r = &c.response;
    let total: f64 = p
        .iter()
        .map(|x| {
            let eta = x.eta + eta_m;
            let u1 = 1.0 - (-(t1 / sc).powf(k) * eta.exp()).exp();
            let h = (1.0 - u1) / n as f64;
            x.w * (0..n)
                .map(|i| {
                    let s = ttp_quantile(u1 + (i as f64 + 0.5) * h, k, sc, eta);
                    logistic(a + r.slope * (s / r.ref_months).ln())
                })
                .sum::<f64>()
                * h
        })
        .sum();
    (-(c.death_rate + c.loss_rate) * t1).exp() * total
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    // constant, valid dates
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl PaperModel {
    /// The model before calibration: every fixed part (covariates, Table 1
    /// effects, rates, reader noise) with the calibrated parameters at
    /// starting values.
    pub fn uncalibrated() -> PaperModel {
        let covariates = CovariateModel {
            age_mean: 53.0,
            age_sd: 11.0,
            age_min: 26.0,
            age_max: 85.0,
            size_log_mean: 2.5f64.ln(),
            size_log_sd: 0.5,
            p_node_positive: 0.6,
            nodes_mean: 4.0,
            p_er: 0.5,
            p_pr_given_er: 0.65,
            p_pr_given_er_negative: 0.1,
            p_lvi: 0.45,
            regimen: [0.55, 0.35, 0.10],
        };
        let ttp_effects = TtpEffects {
            marker: 2.6f64.ln(),
            size_over_2cm: 1.63f64.ln(),
            node_positive: 1.48f64.ln(),
            er: 0.79f64.ln(),
            pr: 0.93f64.ln(),
            lvi: 0.7f64.ln(),
            taxane: 0.89f64.ln(),
        };
        let response = ResponseModel {
            intercept_negative: 0.0,
            intercept_positive: 0.0,
            slope: 1.0,
            ref_months: 6.0,
            cr_share: 10.0 / 37.0,
        };
        let trastuzumab = CohortModel {
            cohort: Cohort::Trastuzumab,
            n: 78,
            id_prefix: "T".into(),
            start_first: date(1998, 1, 1),
            start_last: date(2002, 12, 31),
            score_probs: [33.0 / 78.0, 7.0 / 78.0, 15.0 / 78.0, 23.0 / 78.0],
            covariates: covariates.clone(),
            ttp_shape: 1.5,
            ttp_scale: 10.0,
            ttp_effects: ttp_effects.clone(),
            death_rate: 0.004,
            pps_shape: 1.2,
            pps_scale: 12.0,
            pps_effects: PpsEffects {
                marker: 0.0,
                er: 0.55f64.ln(),
                pr: 0.69f64.ln(),
            },
            loss_rate: 0.005,
            response: response.clone(),
            unresolved_straddles: 1,
        };
        let chemotherapy = CohortModel {
            cohort: Cohort::Chemotherapy,
            n: 30,
            id_prefix: "C".into(),
            start_first: date(1998, 1, 1),
            start_last: date(1999, 12, 31),
            covariates: CovariateModel {
                regimen: [0.4, 0.3, 0.3],
                ..covariates
            },
            ttp_effects: TtpEffects {
                marker: 0.0,
                ..ttp_effects
            },
            unresolved_straddles: 0,
            ..trastuzumab.clone()
        };
        PaperModel {
            trastuzumab,
            chemotherapy,
            cutoff: date(2003, 4, 30),
            readers: ReaderModel {
                sd_intercept: 1.0,
                sd_slope: 0.3,
                sd_max: 6.0,
                consensus_sd: 2.0,
            },
        }
    }

    /// [`PaperModel::uncalibrated`] calibrated to `targets`: the trastuzumab
    /// cohort first; the chemotherapy cohort then shares its TTP shape
    /// (its two medians are equal, so the shape is not identified there).
    /// Takes a few seconds; [`PaperModel::default`] holds the result for
    /// the paper's targets.
    ///
    /// # Errors
    ///
    /// [`StudyError::Calibration`].
    pub fn calibrated(targets: &PaperTargets) -> Result<PaperModel> {
        let mut m = PaperModel::uncalibrated();
        m.trastuzumab.calibrate(&targets.trastuzumab)?;
        m.chemotherapy.ttp_shape = m.trastuzumab.ttp_shape;
        m.chemotherapy.calibrate(&targets.chemotherapy)?;
        Ok(m)
    }
}

impl Default for PaperModel {
    /// [`PaperModel::calibrated`] to [`PaperTargets::default`], stored (the
    /// test `default_model_is_the_calibrated_one` recomputes it).
    fn default() -> Self {
        let mut m = PaperModel::uncalibrated();
        let t = &mut m.trastuzumab;
        t.ttp_shape = CALIBRATED[0];
        t.ttp_scale = CALIBRATED[1];
        t.pps_scale = CALIBRATED[2];
        t.pps_effects.marker = CALIBRATED[3];
        t.response.intercept_negative = CALIBRATED[4];
        t.response.intercept_positive = CALIBRATED[5];
        let c = &mut m.chemotherapy;
        c.ttp_shape = CALIBRATED[0];
        c.ttp_scale = CALIBRATED[6];
        c.pps_scale = CALIBRATED[7];
        c.response.intercept_negative = CALIBRATED[8];
        c.response.intercept_positive = CALIBRATED[8];
        m
    }
}

/// Calibrated values: trastuzumab TTP shape, TTP scale, PPS scale, PPS
/// marker log HR, response intercepts (negative, positive); chemotherapy
/// TTP scale, PPS scale, response intercept.
const CALIBRATED: [f64; 9] = [
    1.7842743349438484,
    11.308763401096215,
    13.58822159429294,
    0.748537384483825,
    -0.34287724568798694,
    -1.2866019207933732,
    6.406393209479635,
    14.850415002679217,
    -0.3169136390999938,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadratures_are_converged() {
        // 4x the points moves the OS median by < 1e-3 months and the ORR by < 1e-5
        let m = PaperModel::default();
        for c in [&m.trastuzumab, &m.chemotherapy] {
            let p = c.patterns();
            for pos in [false, true] {
                let (e, e2) = c.marker_eta(pos);
                let med = |n| median_of(|t| os_surv_n(c, &p, t, e, e2, c.pps_scale, n));
                let d = (med(QUAD_POINTS) - med(4 * QUAD_POINTS)).abs();
                assert!(d < 1e-3, "OS median moved by {d}");
                let a = if pos {
                    c.response.intercept_positive
                } else {
                    c.response.intercept_negative
                };
                let d = (orr_n(c, &p, pos, a, 4 * QUAD_POINTS)
                    - orr_n(c, &p, pos, a, 16 * QUAD_POINTS))
                .abs();
                assert!(d < 1e-5, "ORR moved by {d}");
            }
        }
    }

    #[test]
    fn pattern_weights_sum_to_one() {
        let m = PaperModel::default();
        let w: f64 = m.trastuzumab.patterns().iter().map(|p| p.w).sum();
        assert!((w - 1.0).abs() < 1e-12);
    }

    #[test]
    fn ttp_survival_is_the_weibull_mixture() {
        // one pattern by hand: all covariates off has weight
        // (1-ps)(1-0.6)(1-0.5)(1-0.1)(1-0.45)(1-0.55/1.0)
        let mut c = PaperModel::default().trastuzumab;
        c.ttp_effects = TtpEffects {
            marker: 0.0,
            size_over_2cm: 0.0,
            node_positive: 0.0,
            er: 0.0,
            pr: 0.0,
            lvi: 0.0,
            taxane: 0.0,
        };
        // without effects the mixture is one Weibull: S(t) = exp(-(t/scale)^k)
        let t = 5.0;
        let want = (-(t / c.ttp_scale).powf(c.ttp_shape)).exp();
        assert!((c.ttp_survival(t, true) - want).abs() < 1e-12);
        let med = c.ttp_scale * 2f64.ln().powf(1.0 / c.ttp_shape);
        assert!((c.ttp_median(false) - med).abs() < 1e-8);
    }

    #[test]
    #[ignore = "prints the calibrated constants"]
    fn print_calibration() {
        let m = PaperModel::calibrated(&PaperTargets::default()).unwrap();
        let t = &m.trastuzumab;
        let c = &m.chemotherapy;
        println!(
            "[{:?}, {:?}, {:?}, {:?}, {:?}, {:?}, {:?}, {:?}, {:?}]",
            t.ttp_shape,
            t.ttp_scale,
            t.pps_scale,
            t.pps_effects.marker,
            t.response.intercept_negative,
            t.response.intercept_positive,
            c.ttp_scale,
            c.pps_scale,
            c.response.intercept_negative
        );
    }
}
