//! Chou-Talalay median-effect analysis: combination index (CI), dose
//! reduction index (DRI), the Fa-CI table and normalised isobolograms.
//!
//! # Median-effect equation
//!
//! `fa / fu = (D / Dm)^m` with `fu = 1 - fa` (Chou and Talalay, Adv Enzyme
//! Regul 22:27-55, 1984). Taking logs, `ln(fa/fu) = m ln D - m ln Dm`: a
//! least-squares line of `y = ln(fa/fu)` on `x = ln D` gives the slope `m`,
//! `Dm = exp(-intercept / m)` and the linear correlation coefficient `r`
//! (the median-effect plot of CompuSyn). Points with `fa` outside (0, 1)
//! have no logit and are excluded and reported. Replicates at one dose are
//! averaged before the fit.
//!
//! # Combination index
//!
//! The dose of drug i alone giving effect `fa` is
//! `Dx_i = Dm_i (fa / (1 - fa))^(1/m_i)`. For a combination `(d1, d2)` with
//! effect `fa`, `CI = d1/Dx_1 + d2/Dx_2` for mutually exclusive drugs and
//! `CI + d1 d2 / (Dx_1 Dx_2)` for mutually non-exclusive drugs;
//! `DRI_i = Dx_i / d_i` (Chou, Pharmacol Rev 58:621-681, 2006, Eqs. 17-20).
//! CI < 1 is synergism, = 1 additivity, > 1 antagonism.
//!
//! * At observed points (any ratio), `fa` is the observed effect of the
//!   combination and `(d1, d2)` its doses.
//! * For a constant-ratio mixture `d1 : d2 = P : Q`, the mixture's own
//!   median-effect line (on the total dose) gives the total dose
//!   `D = Dm_mix (fa/fu)^(1/m_mix)` at each chosen `fa`, split as
//!   `d1 = D P/(P+Q)`, `d2 = D Q/(P+Q)` (the Fa-CI table at fa = 0.5, 0.75,
//!   0.9, 0.95, Chou 2006 Table 6).
//! * Normalised isobologram coordinates are `(d1/Dx_1, d2/Dx_2)`: points
//!   below the line joining (1, 0) and (0, 1) are synergistic.
//!
//! # Bootstrap
//!
//! With replicate observations at a dose combination, percentile intervals
//! for every CI come from resampling the replicates with replacement within
//! each dose combination (a stratified bootstrap), refitting everything on
//! the resampled means. The generator is seeded, so the intervals are
//! reproducible.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{check_conf_level, check_finite, AssayError, Result};
use crate::rng::SplitMix64;

/// One observation: the two doses (0 for a drug absent) and the effect.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DoseEffect {
    /// Dose of drug a.
    pub dose_a: f64,
    /// Dose of drug b.
    pub dose_b: f64,
    /// Effect on the scale given to the analysis.
    pub effect: f64,
}

/// Scale of the effect column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EffectScale {
    /// Fraction affected in [0, 1].
    #[default]
    Fa,
    /// Viability in % of untreated control: `fa = 1 - v / 100`.
    Viability,
    /// Inhibition in %: `fa = i / 100`.
    Inhibition,
}

impl EffectScale {
    /// Convert a value on this scale to the fraction affected.
    pub fn to_fa(self, v: f64) -> f64 {
        match self {
            EffectScale::Fa => v,
            EffectScale::Viability => 1.0 - v / 100.0,
            EffectScale::Inhibition => v / 100.0,
        }
    }
}

/// A point left out of a median-effect fit or of the CI table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcludedPoint {
    /// Dose of drug a.
    pub dose_a: f64,
    /// Dose of drug b.
    pub dose_b: f64,
    /// Mean fraction affected.
    pub fa: f64,
    /// Why it was left out.
    pub reason: String,
}

/// A fitted median-effect line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedianEffect {
    /// Slope (shape: 1 hyperbolic, > 1 sigmoidal, < 1 flat sigmoidal).
    pub m: f64,
    /// Median-effect dose (potency, the dose giving fa = 0.5).
    pub dm: f64,
    /// Linear correlation coefficient of the median-effect plot.
    pub r: f64,
    /// Dose levels used.
    pub n: usize,
}

impl MedianEffect {
    /// Dose giving effect `fa`: `Dm (fa / (1 - fa))^(1/m)`.
    pub fn dose_for(&self, fa: f64) -> f64 {
        self.dm * (fa / (1.0 - fa)).powf(1.0 / self.m)
    }
    /// Effect at dose `d`: `1 / (1 + (Dm / d)^m)`.
    pub fn fa_at(&self, d: f64) -> f64 {
        1.0 / (1.0 + (self.dm / d).powf(self.m))
    }
}

/// Fit the median-effect equation to doses and fractions affected.
///
/// Points with `fa` outside (0, 1) or dose `<= 0` are excluded and listed
/// in the second element of the result. See the [module
/// documentation](self) for the formulas.
///
/// # Errors
///
/// [`AssayError::LengthMismatch`], [`AssayError::NonFinite`],
/// [`AssayError::TooFewPoints`] when fewer than 2 distinct doses remain.
///
/// # Example
///
/// Paclitaxel alone, Chou, Motzer, Tong and Bosl (JNCI 86:1517, 1994):
///
/// ```
/// use oncomark_assay::synergy::median_effect;
/// let d = [0.002, 0.004, 0.005, 0.01, 0.02];
/// let fa = [0.429, 0.708, 0.761, 0.882, 0.932];
/// let (fit, excluded) = median_effect(&d, &fa).unwrap();
/// assert!(excluded.is_empty());
/// assert!((fit.m - 1.247829351).abs() < 1e-8);
/// assert!((fit.dm - 0.002167772116).abs() < 1e-11);
/// ```
pub fn median_effect(dose: &[f64], fa: &[f64]) -> Result<(MedianEffect, Vec<ExcludedPoint>)> {
    if fa.len() != dose.len() {
        return Err(AssayError::LengthMismatch {
            what: "fa",
            got: fa.len(),
            expected: dose.len(),
        });
    }
    check_finite("dose", dose)?;
    check_finite("fa", fa)?;
    let pts: Vec<(f64, f64)> = dose.iter().copied().zip(fa.iter().copied()).collect();
    median_effect_points(&pts, |d| (d, 0.0), "median-effect fit")
}

/// Fit on (dose, fa) pairs; `coords` maps the dose back to (dose_a, dose_b)
/// for the exclusion report.
fn median_effect_points(
    pts: &[(f64, f64)],
    coords: impl Fn(f64) -> (f64, f64),
    what: &str,
) -> Result<(MedianEffect, Vec<ExcludedPoint>)> {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut excluded = Vec::new();
    for &(d, f) in pts {
        let (dose_a, dose_b) = coords(d);
        if !(f > 0.0 && f < 1.0) {
            excluded.push(ExcludedPoint {
                dose_a,
                dose_b,
                fa: f,
                reason: "fa outside (0, 1): log(fa/fu) is undefined".into(),
            });
        } else if d <= 0.0 {
            excluded.push(ExcludedPoint {
                dose_a,
                dose_b,
                fa: f,
                reason: "dose <= 0 has no logarithm".into(),
            });
        } else {
            xs.push(d.ln());
            ys.push((f / (1.0 - f)).ln());
        }
    }
    let mut distinct = xs.clone();
    distinct.sort_by(|a, b| a.total_cmp(b));
    distinct.dedup();
    if distinct.len() < 2 {
        return Err(AssayError::TooFewPoints {
            what: format!("{what} (doses with 0 < fa < 1)"),
            got: distinct.len(),
            need: 2,
        });
    }
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let syy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let m = sxy / sxx;
    let intercept = my - m * mx;
    let dm = (-intercept / m).exp();
    let r = if syy > 0.0 {
        sxy / (sxx * syy).sqrt()
    } else {
        0.0
    };
    Ok((
        MedianEffect {
            m,
            dm,
            r,
            n: xs.len(),
        },
        excluded,
    ))
}

/// Chou's verbal description of a combination index (Chou 2006, Pharmacol
/// Rev 58:621, Table 2), with its symbol. Ranges are half-open `[lo, hi)`.
///
/// | CI | description | symbol |
/// |---|---|---|
/// | < 0.1 | very strong synergism | +++++ |
/// | 0.1-0.3 | strong synergism | ++++ |
/// | 0.3-0.7 | synergism | +++ |
/// | 0.7-0.85 | moderate synergism | ++ |
/// | 0.85-0.90 | slight synergism | + |
/// | 0.90-1.10 | nearly additive | ± |
/// | 1.10-1.20 | slight antagonism | - |
/// | 1.20-1.45 | moderate antagonism | -- |
/// | 1.45-3.3 | antagonism | --- |
/// | 3.3-10 | strong antagonism | ---- |
/// | > 10 | very strong antagonism | ----- |
///
/// ```
/// use oncomark_assay::synergy::chou_grade;
/// assert_eq!(chou_grade(0.887).0, "slight synergism");
/// assert_eq!(chou_grade(1.0).0, "nearly additive");
/// ```
pub fn chou_grade(ci: f64) -> (&'static str, &'static str) {
    const TABLE: [(f64, &str, &str); 10] = [
        (0.1, "very strong synergism", "+++++"),
        (0.3, "strong synergism", "++++"),
        (0.7, "synergism", "+++"),
        (0.85, "moderate synergism", "++"),
        (0.90, "slight synergism", "+"),
        (1.10, "nearly additive", "±"),
        (1.20, "slight antagonism", "-"),
        (1.45, "moderate antagonism", "--"),
        (3.3, "antagonism", "---"),
        (10.0, "strong antagonism", "----"),
    ];
    if ci.is_nan() {
        return ("undefined", "?");
    }
    for (hi, text, sym) in TABLE {
        if ci < hi {
            return (text, sym);
        }
    }
    ("very strong antagonism", "-----")
}

/// Bootstrap settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapOptions {
    /// Number of resamples (default 1000).
    pub n_boot: usize,
    /// Seed of the generator (default 20090301).
    pub seed: u64,
    /// Level of the percentile intervals (default 0.95).
    pub conf_level: f64,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            n_boot: 1000,
            seed: 20090301,
            conf_level: 0.95,
        }
    }
}

/// Options of [`chou_talalay`].
#[derive(Debug, Clone, PartialEq)]
pub struct ChouTalalayOptions {
    /// Scale of the effect values (default fa).
    pub scale: EffectScale,
    /// Dose ratio `dose_a / dose_b` of the constant-ratio mixture; `None`
    /// picks the only ratio, or the ratio with the most dose levels.
    pub mixture_ratio: Option<f64>,
    /// Effect levels of the Fa-CI table (default 0.5, 0.75, 0.9, 0.95).
    pub fa_levels: Vec<f64>,
    /// Bootstrap intervals for the CI values (default none).
    pub bootstrap: Option<BootstrapOptions>,
}

impl Default for ChouTalalayOptions {
    fn default() -> Self {
        ChouTalalayOptions {
            scale: EffectScale::Fa,
            mixture_ratio: None,
            fa_levels: vec![0.5, 0.75, 0.9, 0.95],
            bootstrap: None,
        }
    }
}

/// Median-effect fit of one drug alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrugFit {
    /// `a` or `b`.
    pub drug: &'static str,
    /// Slope.
    pub m: f64,
    /// Median-effect dose.
    pub dm: f64,
    /// Correlation coefficient.
    pub r: f64,
    /// Dose levels used.
    pub n: usize,
}

/// Median-effect fit of the constant-ratio mixture (on the total dose).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MixtureFit {
    /// `dose_a / dose_b`.
    pub ratio: f64,
    /// Slope.
    pub m: f64,
    /// Median-effect total dose.
    pub dm: f64,
    /// Correlation coefficient.
    pub r: f64,
    /// Dose levels used.
    pub n: usize,
    /// How the ratio was chosen: `given`, `only ratio` or `most points`.
    pub chosen: &'static str,
}

/// CI and DRI at an observed combination.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CiPoint {
    /// Dose of drug a.
    pub dose_a: f64,
    /// Dose of drug b.
    pub dose_b: f64,
    /// Observed (mean) fraction affected.
    pub fa: f64,
    /// Replicates averaged.
    pub n: usize,
    /// CI, mutually exclusive drugs.
    pub ci: f64,
    /// CI, mutually non-exclusive drugs.
    pub ci_nonexclusive: f64,
    /// `Dx_a / dose_a`.
    pub dri_a: f64,
    /// `Dx_b / dose_b`.
    pub dri_b: f64,
    /// Normalised isobologram coordinate `dose_a / Dx_a`.
    pub iso_a: f64,
    /// Normalised isobologram coordinate `dose_b / Dx_b`.
    pub iso_b: f64,
    /// Chou's description of `ci`.
    pub grade: &'static str,
    /// Chou's symbol of `ci`.
    pub symbol: &'static str,
    /// Bootstrap percentile interval of `ci`.
    pub ci_lower: Option<f64>,
    /// Upper limit of that interval.
    pub ci_upper: Option<f64>,
}

/// One row of the Fa-CI table of the constant-ratio mixture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaCiRow {
    /// Effect level.
    pub fa: f64,
    /// Mixture dose of drug a giving `fa`.
    pub dose_a: f64,
    /// Mixture dose of drug b giving `fa`.
    pub dose_b: f64,
    /// CI, mutually exclusive drugs.
    pub ci: f64,
    /// CI, mutually non-exclusive drugs.
    pub ci_nonexclusive: f64,
    /// `Dx_a / dose_a`.
    pub dri_a: f64,
    /// `Dx_b / dose_b`.
    pub dri_b: f64,
    /// Chou's description of `ci`.
    pub grade: &'static str,
    /// Chou's symbol of `ci`.
    pub symbol: &'static str,
    /// Bootstrap percentile interval of `ci`.
    pub ci_lower: Option<f64>,
    /// Upper limit of that interval.
    pub ci_upper: Option<f64>,
}

/// What the bootstrap did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapSummary {
    /// Resamples asked for.
    pub n_boot: usize,
    /// Resamples whose refit failed (left out of the intervals).
    pub failed: usize,
    /// Seed used.
    pub seed: u64,
    /// Level of the intervals.
    pub conf_level: f64,
}

/// Complete Chou-Talalay analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChouTalalayResult {
    /// Scale of the input effects.
    pub scale: EffectScale,
    /// Fits of drug a and drug b alone.
    pub drugs: Vec<DrugFit>,
    /// Constant-ratio mixture, when one was fitted.
    pub mixture: Option<MixtureFit>,
    /// CI at every observed combination.
    pub points: Vec<CiPoint>,
    /// Fa-CI table of the mixture (empty without a mixture).
    pub fa_ci: Vec<FaCiRow>,
    /// Points left out, with the reason.
    pub excluded: Vec<ExcludedPoint>,
    /// Bootstrap settings and failures, when asked for.
    pub bootstrap: Option<BootstrapSummary>,
    /// Cautions for the reader.
    pub notes: Vec<String>,
}

/// Dose combination key that orders and compares exactly.
type Key = (u64, u64);

fn key(a: f64, b: f64) -> Key {
    // +0.0 for -0.0 so both zeros compare equal
    ((a + 0.0).to_bits(), (b + 0.0).to_bits())
}

/// Replicates grouped by dose combination, in dose order.
struct Groups {
    doses: Vec<(f64, f64)>,
    values: Vec<Vec<f64>>,
}

fn group(obs: &[DoseEffect], scale: EffectScale) -> Groups {
    let mut map: BTreeMap<(OrdF, OrdF), Vec<f64>> = BTreeMap::new();
    for o in obs {
        map.entry((OrdF(o.dose_a + 0.0), OrdF(o.dose_b + 0.0)))
            .or_default()
            .push(scale.to_fa(o.effect));
    }
    let mut doses = Vec::new();
    let mut values = Vec::new();
    for ((a, b), v) in map {
        doses.push((a.0, b.0));
        values.push(v);
    }
    Groups { doses, values }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct OrdF(f64);
impl Eq for OrdF {}
impl PartialOrd for OrdF {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for OrdF {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Everything computed from one set of dose-group means.
struct Core {
    a: MedianEffect,
    b: MedianEffect,
    mix: Option<(f64, MedianEffect, &'static str)>,
    points: Vec<CiPoint>,
    fa_ci: Vec<FaCiRow>,
    excluded: Vec<ExcludedPoint>,
    notes: Vec<String>,
}

fn ratio_equal(r1: f64, r2: f64) -> bool {
    (r1 - r2).abs() <= 1e-6 * r1.abs().max(r2.abs())
}

fn ci_pair(a: &MedianEffect, b: &MedianEffect, fa: f64, d1: f64, d2: f64) -> (f64, f64, f64, f64) {
    let dx1 = a.dose_for(fa);
    let dx2 = b.dose_for(fa);
    let ci = d1 / dx1 + d2 / dx2;
    let ci_ne = ci + (d1 * d2) / (dx1 * dx2);
    (ci, ci_ne, dx1, dx2)
}

fn core(
    doses: &[(f64, f64)],
    fa: &[f64],
    counts: &[usize],
    opts: &ChouTalalayOptions,
) -> Result<Core> {
    let mut excluded = Vec::new();
    let mut notes = Vec::new();
    let mut single_a = Vec::new();
    let mut single_b = Vec::new();
    let mut combos = Vec::new();
    for (k, &(da, db)) in doses.iter().enumerate() {
        if da > 0.0 && db == 0.0 {
            single_a.push((da, fa[k]));
        } else if db > 0.0 && da == 0.0 {
            single_b.push((db, fa[k]));
        } else if da > 0.0 && db > 0.0 {
            combos.push(k);
        }
        // (0, 0): the untreated control, fa = 0 by definition; ignored
    }
    let (a, ex) = median_effect_points(&single_a, |d| (d, 0.0), "drug a alone")?;
    excluded.extend(ex);
    let (b, ex) = median_effect_points(&single_b, |d| (0.0, d), "drug b alone")?;
    excluded.extend(ex);
    for (fit, name) in [(&a, "a"), (&b, "b")] {
        if fit.m.is_nan() || fit.m <= 0.0 {
            notes.push(format!(
                "drug {name}: median-effect slope m = {:.4} is not positive (the effect does not rise with dose); CI values are not meaningful",
                fit.m
            ));
        }
    }

    // constant-ratio mixture
    let mut by_ratio: Vec<(f64, Vec<usize>)> = Vec::new();
    for &k in &combos {
        let r = doses[k].0 / doses[k].1;
        match by_ratio.iter_mut().find(|(q, _)| ratio_equal(*q, r)) {
            Some((_, v)) => v.push(k),
            None => by_ratio.push((r, vec![k])),
        }
    }
    let usable = |ks: &Vec<usize>| ks.iter().filter(|&&k| fa[k] > 0.0 && fa[k] < 1.0).count();
    let chosen: Option<(f64, &Vec<usize>, &'static str)> = match opts.mixture_ratio {
        Some(r) => match by_ratio.iter().find(|(q, _)| ratio_equal(*q, r)) {
            Some((q, ks)) => Some((*q, ks, "given")),
            None => {
                return Err(AssayError::BadOption {
                    what: "mixture_ratio",
                    value: r,
                    reason: "no combination has this dose_a / dose_b ratio",
                })
            }
        },
        None => {
            if by_ratio.len() == 1 {
                Some((by_ratio[0].0, &by_ratio[0].1, "only ratio"))
            } else {
                let best = by_ratio
                    .iter()
                    .filter(|(_, ks)| usable(ks) >= 2)
                    .max_by(|x, y| usable(&x.1).cmp(&usable(&y.1)).then(y.0.total_cmp(&x.0)));
                best.map(|(q, ks)| (*q, ks, "most points"))
            }
        }
    };
    let mut mix = None;
    if let Some((ratio, ks, how)) = chosen {
        let pts: Vec<(f64, f64)> = ks
            .iter()
            .map(|&k| (doses[k].0 + doses[k].1, fa[k]))
            .collect();
        let coords = |total: f64| (total * ratio / (1.0 + ratio), total / (1.0 + ratio));
        match median_effect_points(&pts, coords, "constant-ratio mixture") {
            Ok((m, ex)) => {
                excluded.extend(ex);
                if how == "most points" {
                    notes.push(format!(
                        "combinations use {} dose ratios; the Fa-CI table uses the ratio {ratio} (dose_a / dose_b), the one with the most dose levels",
                        by_ratio.len()
                    ));
                }
                mix = Some((ratio, m, how));
            }
            Err(e) => notes.push(format!("no constant-ratio mixture fit: {e}")),
        }
    }

    // CI at observed points
    let mut points = Vec::new();
    for &k in &combos {
        let (d1, d2) = doses[k];
        let f = fa[k];
        if !(f > 0.0 && f < 1.0) {
            // reported once, even when the mixture fit left it out too
            if !excluded
                .iter()
                .any(|e| ratio_equal(e.dose_a, d1) && ratio_equal(e.dose_b, d2))
            {
                excluded.push(ExcludedPoint {
                    dose_a: d1,
                    dose_b: d2,
                    fa: f,
                    reason: "fa outside (0, 1): log(fa/fu) is undefined".into(),
                });
            }
            continue;
        }
        let (ci, ci_ne, dx1, dx2) = ci_pair(&a, &b, f, d1, d2);
        let (grade, symbol) = chou_grade(ci);
        points.push(CiPoint {
            dose_a: d1,
            dose_b: d2,
            fa: f,
            n: counts[k],
            ci,
            ci_nonexclusive: ci_ne,
            dri_a: dx1 / d1,
            dri_b: dx2 / d2,
            iso_a: d1 / dx1,
            iso_b: d2 / dx2,
            grade,
            symbol,
            ci_lower: None,
            ci_upper: None,
        });
    }

    // Fa-CI table
    let mut fa_ci = Vec::new();
    if let Some((ratio, m, _)) = &mix {
        for &level in &opts.fa_levels {
            let total = m.dose_for(level);
            let d1 = total * ratio / (1.0 + ratio);
            let d2 = total / (1.0 + ratio);
            let (ci, ci_ne, dx1, dx2) = ci_pair(&a, &b, level, d1, d2);
            let (grade, symbol) = chou_grade(ci);
            fa_ci.push(FaCiRow {
                fa: level,
                dose_a: d1,
                dose_b: d2,
                ci,
                ci_nonexclusive: ci_ne,
                dri_a: dx1 / d1,
                dri_b: dx2 / d2,
                grade,
                symbol,
                ci_lower: None,
                ci_upper: None,
            });
        }
    }
    Ok(Core {
        a,
        b,
        mix,
        points,
        fa_ci,
        excluded,
        notes,
    })
}

/// Chou-Talalay analysis of single-drug and combination data.
///
/// Observations with `dose_b = 0` fit drug a, with `dose_a = 0` drug b,
/// with both positive the combination; `(0, 0)` rows (untreated controls)
/// are ignored. Replicates at a dose combination are averaged (effects
/// converted to fa first). See the [module documentation](self).
///
/// # Errors
///
/// [`AssayError::Empty`], [`AssayError::NonFinite`], [`AssayError::BadValue`]
/// (negative dose), [`AssayError::TooFewPoints`] (a drug alone with fewer
/// than 2 usable doses), [`AssayError::BadOption`] (a `mixture_ratio` not in
/// the data, a bad fa level or bootstrap setting),
/// [`AssayError::BadConfLevel`].
///
/// # Example
///
/// Chou et al. (JNCI 1994), paclitaxel (a) + cisplatin (b) at 1 : 100:
///
/// ```
/// use oncomark_assay::synergy::{chou_talalay, ChouTalalayOptions, DoseEffect};
/// let mut obs = Vec::new();
/// for (d, f) in [(0.002, 0.429), (0.004, 0.708), (0.005, 0.761), (0.01, 0.882), (0.02, 0.932)] {
///     obs.push(DoseEffect { dose_a: d, dose_b: 0.0, effect: f });
/// }
/// for (d, f) in [(0.05, 0.055), (0.1, 0.233), (0.2, 0.301), (0.5, 0.559), (1.0, 0.821), (2.0, 0.953)] {
///     obs.push(DoseEffect { dose_a: 0.0, dose_b: d, effect: f });
/// }
/// for (t, f) in [(0.101, 0.45), (0.202, 0.701), (0.505, 0.910), (1.01, 0.968)] {
///     obs.push(DoseEffect { dose_a: t / 101.0, dose_b: t * 100.0 / 101.0, effect: f });
/// }
/// let res = chou_talalay(&obs, &ChouTalalayOptions::default()).unwrap();
/// assert!((res.fa_ci[0].ci - 0.887486).abs() < 1e-6);
/// assert!((res.points[0].ci - 0.9001586).abs() < 1e-6);
/// ```
pub fn chou_talalay(obs: &[DoseEffect], opts: &ChouTalalayOptions) -> Result<ChouTalalayResult> {
    if obs.is_empty() {
        return Err(AssayError::Empty {
            what: "observations",
        });
    }
    for (index, o) in obs.iter().enumerate() {
        for (what, v) in [
            ("dose_a", o.dose_a),
            ("dose_b", o.dose_b),
            ("effect", o.effect),
        ] {
            if !v.is_finite() {
                return Err(AssayError::NonFinite {
                    what,
                    index,
                    value: v,
                });
            }
        }
        for (what, v) in [("dose_a", o.dose_a), ("dose_b", o.dose_b)] {
            if v < 0.0 {
                return Err(AssayError::BadValue {
                    what,
                    index,
                    value: v,
                    reason: "doses must be >= 0",
                });
            }
        }
    }
    check_finite("fa_levels", &opts.fa_levels)?;
    for &f in &opts.fa_levels {
        if !(f > 0.0 && f < 1.0) {
            return Err(AssayError::BadOption {
                what: "fa_levels",
                value: f,
                reason: "effect levels of the Fa-CI table must be in (0, 1)",
            });
        }
    }
    if let Some(r) = opts.mixture_ratio {
        if !(r > 0.0 && r.is_finite()) {
            return Err(AssayError::BadOption {
                what: "mixture_ratio",
                value: r,
                reason: "a dose ratio must be positive",
            });
        }
    }
    let groups = group(obs, opts.scale);
    let means: Vec<f64> = groups.values.iter().map(|v| mean(v)).collect();
    let counts: Vec<usize> = groups.values.iter().map(Vec::len).collect();
    let base = core(&groups.doses, &means, &counts, opts)?;
    let Core {
        a,
        b,
        mix,
        mut points,
        mut fa_ci,
        excluded,
        mut notes,
    } = base;

    let mut bootstrap = None;
    if let Some(bo) = opts.bootstrap {
        check_conf_level(bo.conf_level)?;
        if bo.n_boot < 2 {
            return Err(AssayError::BadOption {
                what: "n_boot",
                value: bo.n_boot as f64,
                reason: "use at least a few hundred resamples",
            });
        }
        if counts.iter().all(|&c| c < 2) {
            notes.push(
                "no replicate observations at any dose combination: bootstrap intervals need replicates and were not computed"
                    .into(),
            );
        } else {
            let mut rng = SplitMix64::new(bo.seed);
            let mut point_draws: Vec<Vec<f64>> = vec![Vec::new(); points.len()];
            let mut row_draws: Vec<Vec<f64>> = vec![Vec::new(); fa_ci.len()];
            let mut failed = 0;
            let point_keys: Vec<Key> = points.iter().map(|p| key(p.dose_a, p.dose_b)).collect();
            let boot_opts = ChouTalalayOptions {
                mixture_ratio: mix.as_ref().map(|m| m.0),
                bootstrap: None,
                ..opts.clone()
            };
            let mut fa_b = vec![0.0; means.len()];
            for _ in 0..bo.n_boot {
                for (g, vals) in groups.values.iter().enumerate() {
                    let mut s = 0.0;
                    for _ in 0..vals.len() {
                        s += vals[rng.index(vals.len())];
                    }
                    fa_b[g] = s / vals.len() as f64;
                }
                let Ok(c) = core(&groups.doses, &fa_b, &counts, &boot_opts) else {
                    failed += 1;
                    continue;
                };
                if mix.is_some() && c.mix.is_none() {
                    failed += 1;
                    continue;
                }
                for p in &c.points {
                    if let Some(i) = point_keys
                        .iter()
                        .position(|&k| k == key(p.dose_a, p.dose_b))
                    {
                        point_draws[i].push(p.ci);
                    }
                }
                for (i, r) in c.fa_ci.iter().enumerate() {
                    row_draws[i].push(r.ci);
                }
            }
            let alpha = 1.0 - bo.conf_level;
            for (p, d) in points.iter_mut().zip(point_draws.iter_mut()) {
                if d.len() >= 2 {
                    p.ci_lower = Some(percentile(d, alpha / 2.0));
                    p.ci_upper = Some(percentile(d, 1.0 - alpha / 2.0));
                }
            }
            for (r, d) in fa_ci.iter_mut().zip(row_draws.iter_mut()) {
                if d.len() >= 2 {
                    r.ci_lower = Some(percentile(d, alpha / 2.0));
                    r.ci_upper = Some(percentile(d, 1.0 - alpha / 2.0));
                }
            }
            if failed > 0 {
                notes.push(format!(
                    "{failed} of {} bootstrap resamples could not be refitted and were left out",
                    bo.n_boot
                ));
            }
            bootstrap = Some(BootstrapSummary {
                n_boot: bo.n_boot,
                failed,
                seed: bo.seed,
                conf_level: bo.conf_level,
            });
        }
    }

    let drugs = vec![
        DrugFit {
            drug: "a",
            m: a.m,
            dm: a.dm,
            r: a.r,
            n: a.n,
        },
        DrugFit {
            drug: "b",
            m: b.m,
            dm: b.dm,
            r: b.r,
            n: b.n,
        },
    ];
    let mixture = mix.map(|(ratio, m, chosen)| MixtureFit {
        ratio,
        m: m.m,
        dm: m.dm,
        r: m.r,
        n: m.n,
        chosen,
    });
    Ok(ChouTalalayResult {
        scale: opts.scale,
        drugs,
        mixture,
        points,
        fa_ci,
        excluded,
        bootstrap,
        notes,
    })
}

/// Percentile with linear interpolation between order statistics (R's
/// `quantile(type = 7)`); sorts `v`.
pub(crate) fn percentile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_chou_2006_boundaries() {
        assert_eq!(chou_grade(0.05).1, "+++++");
        assert_eq!(chou_grade(0.1).1, "++++");
        assert_eq!(chou_grade(0.69).1, "+++");
        assert_eq!(chou_grade(0.85).1, "+");
        assert_eq!(chou_grade(1.1).1, "-");
        assert_eq!(chou_grade(3.3).1, "----");
        assert_eq!(chou_grade(10.0).1, "-----");
    }

    #[test]
    fn percentile_is_type_7() {
        let mut v = vec![4.0, 1.0, 3.0, 2.0];
        // R: quantile(1:4, 0.25, type = 7) = 1.75
        assert!((percentile(&mut v, 0.25) - 1.75).abs() < 1e-12);
    }

    #[test]
    fn exact_median_effect_line_is_recovered() {
        // fa generated from m = 2, Dm = 3 exactly
        let me = MedianEffect {
            m: 2.0,
            dm: 3.0,
            r: 1.0,
            n: 0,
        };
        let d = [0.5, 1.0, 2.0, 4.0, 8.0];
        let fa: Vec<f64> = d.iter().map(|&x| me.fa_at(x)).collect();
        let (fit, _) = median_effect(&d, &fa).unwrap();
        assert!((fit.m - 2.0).abs() < 1e-12 && (fit.dm - 3.0).abs() < 1e-12);
        assert!((fit.r - 1.0).abs() < 1e-12);
        assert!((fit.dose_for(fit.fa_at(1.7)) - 1.7).abs() < 1e-12);
    }
}
