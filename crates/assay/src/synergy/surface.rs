//! Response-surface reference models of drug combinations as SynergyFinder
//! defines them: Bliss, HSA, Loewe and ZIP.
//!
//! Responses are % inhibition (0 = untreated, 100 = full effect) on a dose
//! matrix with drug a in rows and drug b in columns, both including dose 0
//! (SynergyFinder's `drug.row` and `drug.col`). Replicates are averaged
//! first. For each combination cell the synergy score is
//! `observed - reference` (`fitted - reference` for ZIP); the summary score
//! is the mean over the cells where both doses are positive, as
//! SynergyFinder's summary synergy score. Scores at single-drug cells are 0.
//!
//! * **Bliss** (Bliss 1939): `y_ref = y_a + y_b - y_a y_b / 100`, from the
//!   observed single-drug responses at the matrix edges.
//! * **HSA** (highest single agent, Berenbaum 1989): `y_ref = max(y_a, y_b)`,
//!   observed.
//! * **Loewe** (Loewe 1953): each drug alone is fitted with a four-parameter
//!   log-logistic curve (drc LL.4, [`crate::dose_response`]); `y_ref`
//!   solves `x_a / D_a(y) + x_b / D_b(y) = 1`, with
//!   `D(y) = e ((y - d) / (c - y))^(1/b)` the inverse curve (Eq. 8 of Yadav
//!   et al. 2015). SynergyFinder solves it by Newton's method
//!   (`nleqslv`); here the root is bracketed on the responses both curves
//!   reach and found by bisection (the same root whenever Newton finds
//!   one, as the left side is monotone there). Without a root, `y_ref` is
//!   the larger single-drug curve at the total dose `x_a + x_b`
//!   (SynergyFinder's fallback). `y_ref` is capped at 100.
//! * **ZIP** (zero interaction potency; Yadav, Wennerberg, Aittokallio and
//!   Tang, Comput Struct Biotechnol J 13:504-513, 2015): the reference is
//!   Bliss on the *fitted* single-drug curves,
//!   `y_zip = f_a(x_a) + f_b(x_b) - f_a(x_a) f_b(x_b) / 100`. The observed
//!   surface is smoothed: at each positive dose of drug b, the responses
//!   along drug a are refitted with a log-logistic curve whose bottom is
//!   fixed at `f_b(x_b)` and top at 100 (slope and midpoint free); likewise
//!   along drug b; the two fitted values are averaged (SynergyFinder 1.x
//!   `CalculateZIP`). A line with a single positive dose is not refitted;
//!   a refit that fails keeps the observed values, as SynergyFinder does.
//!   The score is `delta = fitted - y_zip`.
//!
//! Baseline correction (SynergyFinder's `correction = TRUE` of later
//! versions) is not applied.
//!
//! Ianevski, He, Aittokallio and Tang, "SynergyFinder: a web application
//! for analyzing drug combination dose-response matrix data",
//! Bioinformatics 33:2413-2415, 2017.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dose_response::{fit_core, ll_value, CoreFit, LlParameters, LogLogisticModel};
use crate::error::{AssayError, Result};
use crate::synergy::chou_talalay::{DoseEffect, EffectScale};

/// A complete dose matrix of mean % inhibition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoseMatrix {
    /// Doses of drug a (rows), ascending, starting at 0.
    pub dose_a: Vec<f64>,
    /// Doses of drug b (columns), ascending, starting at 0.
    pub dose_b: Vec<f64>,
    /// `response[i][j]`: mean % inhibition at `(dose_a[i], dose_b[j])`.
    pub response: Vec<Vec<f64>>,
}

impl DoseMatrix {
    /// Build the matrix from long observations on any effect scale,
    /// averaging replicates and converting to % inhibition.
    ///
    /// # Errors
    ///
    /// [`AssayError::Empty`], [`AssayError::NonFinite`],
    /// [`AssayError::TooFewPoints`] (fewer than 2 doses of a drug, or no 0
    /// dose), [`AssayError::MissingVariable`] naming a missing cell.
    pub fn from_observations(obs: &[DoseEffect], scale: EffectScale) -> Result<DoseMatrix> {
        if obs.is_empty() {
            return Err(AssayError::Empty {
                what: "observations",
            });
        }
        let mut cells: BTreeMap<(u64, u64), (f64, usize)> = BTreeMap::new();
        let mut da = Vec::new();
        let mut db = Vec::new();
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
            let (a, b) = (o.dose_a + 0.0, o.dose_b + 0.0);
            da.push(a);
            db.push(b);
            let e = cells.entry((a.to_bits(), b.to_bits())).or_insert((0.0, 0));
            e.0 += 100.0 * scale.to_fa(o.effect);
            e.1 += 1;
        }
        for v in [&mut da, &mut db] {
            v.sort_by(|x, y| x.total_cmp(y));
            v.dedup();
        }
        for (v, drug) in [(&da, "a"), (&db, "b")] {
            if v.len() < 2 || v[0] != 0.0 {
                return Err(AssayError::TooFewPoints {
                    what: format!(
                        "dose matrix: doses of drug {drug} (a 0 dose and at least 1 positive)"
                    ),
                    got: v.len(),
                    need: 2,
                });
            }
        }
        let mut response = vec![vec![0.0; db.len()]; da.len()];
        for (i, &a) in da.iter().enumerate() {
            for (j, &b) in db.iter().enumerate() {
                let Some(&(s, n)) = cells.get(&(a.to_bits(), b.to_bits())) else {
                    return Err(AssayError::MissingVariable {
                        name: format!("dose_a = {a}, dose_b = {b}"),
                        source_kind: "dose matrix (every dose pair needs a response)",
                        found: format!("{} of {} cells", cells.len(), da.len() * db.len()),
                    });
                };
                response[i][j] = s / n as f64;
            }
        }
        Ok(DoseMatrix {
            dose_a: da,
            dose_b: db,
            response,
        })
    }

    fn rows(&self) -> usize {
        self.dose_a.len()
    }
    fn cols(&self) -> usize {
        self.dose_b.len()
    }
}

/// Score of one cell of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SurfaceCell {
    /// Dose of drug a.
    pub dose_a: f64,
    /// Dose of drug b.
    pub dose_b: f64,
    /// Observed mean % inhibition (fitted surface for ZIP).
    pub observed: f64,
    /// Reference (expected) % inhibition of the model.
    pub reference: f64,
    /// `observed - reference`: positive is synergy.
    pub synergy: f64,
}

/// Scores of one reference model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurfaceScores {
    /// `bliss`, `hsa`, `loewe` or `zip`.
    pub model: &'static str,
    /// Mean synergy over cells with both doses positive.
    pub score: f64,
    /// Every cell, row by row (drug a), combination cells only.
    pub cells: Vec<SurfaceCell>,
    /// Cautions (fallbacks used and the like).
    pub notes: Vec<String>,
}

fn summarise(
    model: &'static str,
    m: &DoseMatrix,
    obs: &[Vec<f64>],
    refm: &[Vec<f64>],
    notes: Vec<String>,
) -> SurfaceScores {
    let mut cells = Vec::new();
    let mut s = 0.0;
    for i in 1..m.rows() {
        for j in 1..m.cols() {
            let syn = obs[i][j] - refm[i][j];
            s += syn;
            cells.push(SurfaceCell {
                dose_a: m.dose_a[i],
                dose_b: m.dose_b[j],
                observed: obs[i][j],
                reference: refm[i][j],
                synergy: syn,
            });
        }
    }
    let score = s / cells.len() as f64;
    SurfaceScores {
        model,
        score,
        cells,
        notes,
    }
}

/// Bliss independence scores (observed single-drug responses).
///
/// # Example
///
/// 30 % and 40 % inhibition alone, 70 % together: reference 58 %, score 12.
///
/// ```
/// use oncomark_assay::synergy::{bliss, DoseMatrix};
/// let m = DoseMatrix { dose_a: vec![0.0, 1.0], dose_b: vec![0.0, 1.0],
///                      response: vec![vec![0.0, 40.0], vec![30.0, 70.0]] };
/// let s = bliss(&m);
/// assert!((s.cells[0].reference - 58.0).abs() < 1e-12);
/// assert!((s.score - 12.0).abs() < 1e-12);
/// ```
pub fn bliss(m: &DoseMatrix) -> SurfaceScores {
    let r = &m.response;
    let refm: Vec<Vec<f64>> = (0..m.rows())
        .map(|i| {
            (0..m.cols())
                .map(|j| r[i][0] + r[0][j] - r[i][0] * r[0][j] / 100.0)
                .collect()
        })
        .collect();
    summarise("bliss", m, r, &refm, Vec::new())
}

/// Highest-single-agent scores (observed single-drug responses).
///
/// ```
/// use oncomark_assay::synergy::{hsa, DoseMatrix};
/// let m = DoseMatrix { dose_a: vec![0.0, 1.0], dose_b: vec![0.0, 1.0],
///                      response: vec![vec![0.0, 40.0], vec![30.0, 70.0]] };
/// assert!((hsa(&m).score - 30.0).abs() < 1e-12);
/// ```
pub fn hsa(m: &DoseMatrix) -> SurfaceScores {
    let r = &m.response;
    let refm: Vec<Vec<f64>> = (0..m.rows())
        .map(|i| (0..m.cols()).map(|j| r[i][0].max(r[0][j])).collect())
        .collect();
    summarise("hsa", m, r, &refm, Vec::new())
}

/// LL.4 fit of one drug alone (the matrix edge, dose 0 included).
fn single_fit(doses: &[f64], resp: &[f64], drug: &str, model: &str) -> Result<CoreFit> {
    fit_core(doses, resp, LogLogisticModel::ll4(), 500, None).map_err(|e| AssayError::NotIdentifiable {
        model: "LL.4",
        reason: format!("{model} needs a dose-response curve of drug {drug} alone, which could not be fitted: {e}"),
    })
}

/// Dose of a curve giving response `y`, or `None` outside its range.
fn inverse(p: &LlParameters, y: f64) -> Option<f64> {
    let q = (y - p.d) / (p.c - y);
    (q > 0.0).then(|| p.e * q.powf(1.0 / p.b))
}

/// Loewe additivity scores from LL.4 fits of both drugs alone.
///
/// # Errors
///
/// [`AssayError::NotIdentifiable`] when a single-drug curve cannot be
/// fitted (flat or too few doses).
pub fn loewe(m: &DoseMatrix) -> Result<SurfaceScores> {
    let col_a: Vec<f64> = m.response.iter().map(|row| row[0]).collect();
    let fa = single_fit(&m.dose_a, &col_a, "a", "Loewe")?.par;
    let fb = single_fit(&m.dose_b, &m.response[0], "b", "Loewe")?.par;
    let mut refm = m.response.clone();
    let mut fallbacks = 0;
    for i in 1..m.rows() {
        for j in 1..m.cols() {
            let (xa, xb) = (m.dose_a[i], m.dose_b[j]);
            let y = match loewe_root(&fa, &fb, xa, xb) {
                Some(y) => y,
                None => {
                    fallbacks += 1;
                    ll_value(&fa, xa + xb).max(ll_value(&fb, xa + xb))
                }
            };
            refm[i][j] = y.min(100.0);
        }
    }
    let mut notes = Vec::new();
    if fallbacks > 0 {
        notes.push(format!(
            "{fallbacks} cell(s) have no Loewe solution (the dose is beyond what the single-drug curves reach); their reference is the larger single-drug curve at the total dose, as SynergyFinder"
        ));
    }
    Ok(summarise("loewe", m, &m.response, &refm, notes))
}

/// Solve `xa / D_a(y) + xb / D_b(y) = 1` on the responses both curves reach.
fn loewe_root(pa: &LlParameters, pb: &LlParameters, xa: f64, xb: f64) -> Option<f64> {
    let lo = pa.c.min(pa.d).max(pb.c.min(pb.d));
    let hi = pa.c.max(pa.d).min(pb.c.max(pb.d));
    if hi.is_nan() || lo.is_nan() || hi <= lo {
        return None;
    }
    let g = |y: f64| -> Option<f64> { Some(xa / inverse(pa, y)? + xb / inverse(pb, y)? - 1.0) };
    // scan for a sign change, then bisect
    let n = 400;
    let width = hi - lo;
    let at = |k: usize| lo + width * (k as f64 + 0.5) / n as f64;
    let mut prev: Option<(f64, f64)> = None;
    for k in 0..n {
        let y = at(k);
        let Some(v) = g(y) else {
            prev = None;
            continue;
        };
        if !v.is_finite() {
            prev = None;
            continue;
        }
        if v == 0.0 {
            return Some(y);
        }
        if let Some((y0, v0)) = prev {
            if v0.signum() != v.signum() {
                let (mut a, mut b, mut va) = (y0, y, v0);
                for _ in 0..200 {
                    let mid = 0.5 * (a + b);
                    let vm = g(mid)?;
                    if vm == 0.0 || (b - a) <= 1e-14 * mid.abs().max(1.0) {
                        return Some(mid);
                    }
                    if vm.signum() == va.signum() {
                        a = mid;
                        va = vm;
                    } else {
                        b = mid;
                    }
                }
                return Some(0.5 * (a + b));
            }
        }
        prev = Some((y, v));
    }
    None
}

/// ZIP delta scores (Yadav et al. 2015, as SynergyFinder 1.x).
///
/// # Errors
///
/// [`AssayError::NotIdentifiable`] when a single-drug curve cannot be
/// fitted.
pub fn zip(m: &DoseMatrix) -> Result<SurfaceScores> {
    let col_a: Vec<f64> = m.response.iter().map(|row| row[0]).collect();
    let pa = single_fit(&m.dose_a, &col_a, "a", "ZIP")?.par;
    let pb = single_fit(&m.dose_b, &m.response[0], "b", "ZIP")?.par;
    let fit_a: Vec<f64> = m.dose_a.iter().map(|&x| ll_value(&pa, x)).collect();
    let fit_b: Vec<f64> = m.dose_b.iter().map(|&x| ll_value(&pb, x)).collect();
    let (nr, nc) = (m.rows(), m.cols());
    let mut failed = 0;
    // along drug a at each positive dose of drug b
    let mut along_a = vec![vec![0.0; nc]; nr];
    for j in 1..nc {
        let x: Vec<f64> = m.dose_a[1..].to_vec();
        let y: Vec<f64> = (1..nr).map(|i| m.response[i][j]).collect();
        let fitted = refit_line(&x, &y, fit_b[j], &mut failed);
        for i in 1..nr {
            along_a[i][j] = fitted[i - 1];
        }
    }
    let mut along_b = vec![vec![0.0; nc]; nr];
    for i in 1..nr {
        let x: Vec<f64> = m.dose_b[1..].to_vec();
        let y: Vec<f64> = (1..nc).map(|j| m.response[i][j]).collect();
        let fitted = refit_line(&x, &y, fit_a[i], &mut failed);
        along_b[i][1..nc].copy_from_slice(&fitted[..(nc - 1)]);
    }
    let mut obs = m.response.clone();
    let mut refm = m.response.clone();
    for i in 1..nr {
        for j in 1..nc {
            obs[i][j] = (along_a[i][j] + along_b[i][j]) / 2.0;
            refm[i][j] = fit_a[i] + fit_b[j] - fit_a[i] * fit_b[j] / 100.0;
        }
    }
    let mut notes = Vec::new();
    if failed > 0 {
        notes.push(format!(
            "{failed} row/column refit(s) failed; their observed responses were used, as SynergyFinder"
        ));
    }
    Ok(summarise("zip", m, &obs, &refm, notes))
}

/// Refit one line of the matrix with bottom fixed at `bottom` and top at
/// 100; observed values when there is a single dose or the fit fails.
fn refit_line(x: &[f64], y: &[f64], bottom: f64, failed: &mut usize) -> Vec<f64> {
    if x.len() < 2 || bottom >= 100.0 {
        return y.to_vec();
    }
    match fit_core(x, y, LogLogisticModel::ll2(bottom, 100.0), 500, None) {
        Ok(f) => x.iter().map(|&v| ll_value(&f.par, v)).collect(),
        Err(_) => {
            *failed += 1;
            y.to_vec()
        }
    }
}
