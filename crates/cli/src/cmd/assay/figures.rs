//! `--plot` of the assay subcommands: figures of the results, drawn by
//! `oncomark-report` (bar charts, dose-response curves, isobolograms, Fa-CI
//! plots, synergy heat maps) or, for linear-quadratic survival curves, on
//! its SVG canvas ([`super::lq_plot`]).
//!
//! Every number a figure shows comes from the assay crate: condition means,
//! SDs and SEMs ([`ConditionSummary`], [`summarise`]), comparison P values
//! ([`ComparisonSet`]), fitted curves (`DoseResponseFit::predict`), effective
//! doses, combination indices and synergy scores. This module only picks
//! which of them to draw and how to label them.

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use oncomark_assay::compare::{ComparisonRow, ComparisonSet};
use oncomark_assay::dose_response::{DoseResponseFit, EdType};
use oncomark_assay::replicates::{summarise, Condition, ConditionSummary, ExperimentValue};
use oncomark_assay::synergy::{CiPoint, FaCiRow, MixtureFit, SurfaceScores};
use oncomark_report::bars::{bar_chart, BarGroup, BarOptions, Bracket, ErrorKind};
use oncomark_report::dose::{
    dose_response_plot, sample_log, DoseOptions, DoseSeries, DoseSummary, EdMarker,
};
use oncomark_report::faci::{fa_ci_plot, FaCiOptions, FaCiPoint, FaCiSeries};
use oncomark_report::format::format_compact;
use oncomark_report::heatmap::{synergy_heatmap, HeatmapOptions, SynergyMatrix};
use oncomark_report::isobologram::{isobologram, IsoPoint, IsoSeries, IsobologramOptions};
use oncomark_report::style::{group_colour, tint, Style};
use oncomark_report::{ReportError, Svg};

use crate::output::Failure;
use crate::plot::{PlotArgs, PlotTarget};

/// What the error bars of a figure show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ErrorArg {
    /// Standard deviation over the independent experiments.
    #[default]
    Sd,
    /// Standard error of the mean.
    Sem,
}

impl ErrorArg {
    /// The half-width of the error bar of `s`, `None` when it is not
    /// finite (a single experiment).
    pub fn of(self, s: &ConditionSummary) -> Option<f64> {
        let e = match self {
            ErrorArg::Sd => s.sd,
            ErrorArg::Sem => s.sem,
        };
        e.is_finite().then_some(e)
    }

    /// `SD` or `SEM`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorArg::Sd => "SD",
            ErrorArg::Sem => "SEM",
        }
    }

    fn kind(self) -> ErrorKind {
        match self {
            ErrorArg::Sd => ErrorKind::Sd,
            ErrorArg::Sem => ErrorKind::Se,
        }
    }
}

/// `--plot FILE` and `--error sd|sem` of the bar-chart and curve verbs.
#[derive(Clone, Debug, clap::Args)]
pub struct FigureArgs {
    #[command(flatten)]
    pub plot: PlotArgs,
    /// Error bars of the figure (--plot): SD or SEM over the independent
    /// experiments.
    #[arg(long, value_enum, default_value = "sd")]
    pub error: ErrorArg,
}

/// A figure failed to render: an analysis failure (exit status 1) naming
/// the figure.
pub fn draw_failure(what: &str, e: ReportError) -> Failure {
    Failure::analysis(anyhow!(e).context(format!("cannot draw the {what}")))
}

// ---- bar charts --------------------------------------------------------

/// One bar: a condition summarised over experiments.
pub struct BarSpec {
    /// Panel-like group the bar belongs to (cell line, target); bars of a
    /// group are drawn side by side in one colour.
    pub group: String,
    /// Label under the bar (treatment, with the dose when there is one).
    pub label: String,
    /// The condition's label as the comparisons name it, prefixed by the
    /// key prefix of its comparison set.
    pub key: String,
    /// Mean over experiments.
    pub mean: f64,
    /// Error half-width, as `--error` asks.
    pub error: Option<f64>,
    /// One value per experiment.
    pub points: Vec<f64>,
}

impl BarSpec {
    /// A bar for `s` in `group`; `prefix` tells apart conditions of
    /// different comparison sets (blot targets).
    pub fn of(s: &ConditionSummary, group: &str, prefix: &str, error: ErrorArg) -> BarSpec {
        BarSpec {
            group: group.to_string(),
            label: Condition::new("", &s.condition.treatment, s.condition.dose).label(),
            key: format!("{prefix}{}", s.condition.label()),
            mean: s.mean,
            error: error.of(s),
            points: s.values.clone(),
        }
    }
}

/// The P value a bracket prints for a comparison row, or `None` when the
/// row gets no bracket:
///
/// - a row that could not be tested gets none;
/// - a row against a control that every experiment is normalised to (the
///   text output's `!`) prints its one-sample test, the valid one; with
///   `--adjust` such a row gets no bracket, since its adjusted P was
///   computed from the invalid two-sample test;
/// - any other row prints its P, adjusted when an adjustment was asked for.
pub fn bracket_p(set: &ComparisonSet, row: &ComparisonRow) -> Option<f64> {
    let p = if row.one_sample.is_some() && row.warning.is_some() {
        if set.adjust.is_some() {
            return None;
        }
        row.one_sample.as_ref()?.p
    } else {
        row.test.as_ref()?;
        match set.adjust {
            Some(_) => row.p_adjusted?,
            None => row.test.as_ref()?.p,
        }
    };
    (0.0..=1.0).contains(&p).then_some(p)
}

/// Options of [`bar_figure`].
pub struct BarFigure<'a> {
    /// y-axis title.
    pub y_label: String,
    /// Dashed line at the control's normalised value.
    pub reference: f64,
    /// What the error bars show.
    pub error: ErrorArg,
    /// Title (e.g. the blot target).
    pub title: Option<String>,
    /// Comparison sets with the prefix of their bars' keys.
    pub comparisons: Vec<(String, &'a ComparisonSet)>,
}

/// Bars in group order (groups in order of first appearance, bars in input
/// order within a group) with a bracket per drawable comparison (see
/// [`bracket_p`]), shortest spans lowest; one light colour per group when
/// there are several, and then the group in each label.
pub fn bar_figure(mut bars: Vec<BarSpec>, fig: &BarFigure<'_>) -> Result<Svg, Failure> {
    let mut groups: Vec<String> = Vec::new();
    for b in &bars {
        if !groups.contains(&b.group) {
            groups.push(b.group.clone());
        }
    }
    let group_index = |g: &str| groups.iter().position(|x| x == g).unwrap_or(0);
    bars.sort_by_key(|b| group_index(&b.group));
    let several = groups.len() > 1;
    let mut brackets: Vec<Bracket> = Vec::new();
    for (prefix, set) in &fig.comparisons {
        for row in &set.rows {
            let find = |label: &str| {
                let key = format!("{prefix}{label}");
                bars.iter().position(|b| b.key == key)
            };
            let (Some(a), Some(b)) = (find(&row.a), find(&row.b)) else {
                continue;
            };
            if let Some(p) = bracket_p(set, row) {
                brackets.push(Bracket {
                    left: a.min(b),
                    right: a.max(b),
                    p,
                });
            }
        }
    }
    brackets.sort_by_key(|b| (b.right - b.left, b.left));
    let colours: Vec<String> = if several {
        bars.iter()
            .map(|b| tint(group_colour(group_index(&b.group)), 0.6))
            .collect()
    } else {
        Vec::new()
    };
    let groups_in: Vec<BarGroup> = bars
        .iter()
        .map(|b| BarGroup {
            label: if several && !b.group.is_empty() {
                format!("{}: {}", b.group, b.label)
            } else {
                b.label.clone()
            },
            mean: b.mean,
            error: b.error,
            points: b.points.clone(),
        })
        .collect();
    let opts = BarOptions {
        style: Style {
            width: (46.0 * bars.len() as f64 + 110.0).clamp(480.0, 1800.0),
            ..Style::default()
        },
        title: fig.title.clone(),
        y_label: fig.y_label.clone(),
        error_kind: fig.error.kind(),
        brackets,
        reference_line: Some(fig.reference),
        colours,
        note: true,
    };
    bar_chart(&groups_in, &opts).map_err(|e| draw_failure("bar chart", e))
}

// ---- dose-response -----------------------------------------------------

/// One group of a dose-response figure: its observations and its fit.
pub struct DoseGroup<'a> {
    /// Name in the legend (empty: no legend).
    pub label: String,
    /// Doses (`>= 0`).
    pub dose: Vec<f64>,
    /// Responses.
    pub response: Vec<f64>,
    /// The fit; `None` draws the observations only.
    pub fit: Option<&'a DoseResponseFit>,
}

/// The effective dose marked on a curve: the relative ED50 when it was
/// asked for, else the first level with an estimate. Its interval is shown
/// when both limits are positive (a delta-method limit can fall below 0).
fn ed_marker(fit: &DoseResponseFit, conf_level: f64) -> Option<EdMarker> {
    let usable = || {
        fit.ed
            .iter()
            .filter(|e| e.estimate.is_some_and(|d| d.is_finite() && d > 0.0))
    };
    let e = usable()
        .find(|e| e.ed_type == EdType::Relative && e.level == 50.0)
        .or_else(|| usable().next())?;
    let dose = e.estimate?;
    let name = match e.ed_type {
        EdType::Relative => format!("ED{}", e.level),
        EdType::Absolute => format!("Dose at y = {}", e.level),
    };
    let (lower, upper) = match (e.lower, e.upper) {
        (Some(l), Some(u)) if l > 0.0 && u >= l && u.is_finite() => (Some(l), Some(u)),
        _ => (None, None),
    };
    Some(EdMarker {
        name,
        dose,
        response: fit.predict(dose),
        lower,
        upper,
        conf_level,
    })
}

/// Dose-response figure: every observation, the mean and error bar per
/// dose (when some dose has replicates; from [`summarise`]), each fitted
/// curve evaluated at 200 log-spaced doses by `DoseResponseFit::predict`,
/// and the ED marker of [`ed_marker`].
pub fn dose_figure(
    groups: &[DoseGroup<'_>],
    x_label: &str,
    y_label: &str,
    conf_level: f64,
    error: ErrorArg,
) -> Result<Svg, Failure> {
    let mut series = Vec::new();
    for g in groups {
        let values: Vec<ExperimentValue> = g
            .dose
            .iter()
            .zip(&g.response)
            .enumerate()
            .map(|(i, (&d, &y))| ExperimentValue {
                experiment: i.to_string(),
                condition: Condition::new("", "", Some(d)),
                value: y,
            })
            .collect();
        let per_dose = summarise(&values);
        let summary: Vec<DoseSummary> = if per_dose.iter().any(|s| s.n_experiments > 1) {
            per_dose
                .iter()
                .map(|s| DoseSummary {
                    dose: s.condition.dose.unwrap_or(0.0),
                    mean: s.mean,
                    sd: error.of(s),
                })
                .collect()
        } else {
            Vec::new()
        };
        let (mut curve, mut ed) = (Vec::new(), None);
        if let Some(fit) = g.fit {
            ed = ed_marker(fit, conf_level);
            let mut lo = fit.dose_range[0];
            let mut hi = fit.dose_range[1];
            if let Some(m) = &ed {
                for v in [Some(m.dose), m.lower, m.upper].into_iter().flatten() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
            curve = sample_log(lo / 1.25, hi * 1.25, 200, |x| fit.predict(x));
        }
        series.push(DoseSeries {
            label: match (g.label.is_empty(), g.fit.is_some()) {
                (true, _) => String::new(),
                (false, true) => g.label.clone(),
                (false, false) => format!("{} (not fitted)", g.label),
            },
            points: g
                .dose
                .iter()
                .copied()
                .zip(g.response.iter().copied())
                .collect(),
            summary,
            curve,
            ed,
        });
    }
    let opts = DoseOptions {
        x_label: x_label.to_string(),
        y_label: y_label.to_string(),
        ..DoseOptions::default()
    };
    dose_response_plot(&series, &opts)
        .map(|f| f.svg)
        .map_err(|e| draw_failure("dose-response figure", e))
}

// ---- synergy -----------------------------------------------------------

/// `fa = 0.50`.
fn fa_label(fa: f64) -> String {
    format!("fa = {fa:.2}")
}

/// Normalised isobologram: the Fa-CI table of the mixture at
/// `(1 / DRI_a, 1 / DRI_b)`, labelled with their fa, and every observed
/// combination at `(iso_a, iso_b)` (`d / Dx` of each drug). `None` when no
/// point has finite coordinates.
pub fn isobologram_figure(
    points: &[CiPoint],
    fa_ci: &[FaCiRow],
    mixture: Option<&MixtureFit>,
    drug_a: &str,
    drug_b: &str,
) -> Result<Option<Svg>, Failure> {
    let ok = |a: f64, b: f64| a.is_finite() && b.is_finite() && a >= 0.0 && b >= 0.0;
    let table: Vec<IsoPoint> = fa_ci
        .iter()
        .map(|r| (1.0 / r.dri_a, 1.0 / r.dri_b, r.fa))
        .filter(|p| ok(p.0, p.1))
        .map(|(a, b, fa)| IsoPoint {
            a,
            b,
            label: Some(fa_label(fa)),
        })
        .collect();
    let observed: Vec<IsoPoint> = points
        .iter()
        .filter(|p| ok(p.iso_a, p.iso_b))
        .map(|p| IsoPoint {
            a: p.iso_a,
            b: p.iso_b,
            label: None,
        })
        .collect();
    if table.is_empty() && observed.is_empty() {
        return Ok(None);
    }
    // the mixture's table last, drawn over the observed combinations
    let mut series = Vec::new();
    if !observed.is_empty() {
        series.push(IsoSeries {
            label: "Observed combinations".to_string(),
            points: observed,
        });
    }
    if !table.is_empty() {
        series.push(IsoSeries {
            label: mixture.map_or("Mixture".to_string(), mixture_label),
            points: table,
        });
    }
    let opts = IsobologramOptions {
        x_label: format!("{drug_a}, normalised dose (d/Dx)"),
        y_label: format!("{drug_b}, normalised dose (d/Dx)"),
        ..IsobologramOptions::default()
    };
    isobologram(&series, &opts)
        .map(|f| Some(f.svg))
        .map_err(|e| draw_failure("isobologram", e))
}

/// `Mixture a:b = 1:100`, from the dose ratio a / b.
fn mixture_label(m: &MixtureFit) -> String {
    let r = m.ratio;
    if r >= 1.0 {
        format!("Mixture a:b = {}:1", format_compact(r, 3))
    } else {
        format!("Mixture a:b = 1:{}", format_compact(1.0 / r, 3))
    }
}

/// Fa-CI plot: the mixture's CI over `curve` (the Fa-CI table at many
/// effect levels), its table levels and every observed combination, with
/// their bootstrap intervals when there are. `None` when nothing is
/// drawable (fa outside (0, 1), CI not finite).
pub fn fa_ci_figure(
    points: &[CiPoint],
    fa_ci: &[FaCiRow],
    mixture: Option<&MixtureFit>,
    curve: &[(f64, f64)],
) -> Result<Option<Svg>, Failure> {
    let ok = |fa: f64, ci: f64| fa > 0.0 && fa < 1.0 && ci.is_finite() && ci >= 0.0;
    let limits = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(l), Some(h)) if l.is_finite() && h.is_finite() && 0.0 <= l && l <= h => {
            (Some(l), Some(h))
        }
        _ => (None, None),
    };
    let table: Vec<FaCiPoint> = fa_ci
        .iter()
        .filter(|r| ok(r.fa, r.ci))
        .map(|r| {
            let (lower, upper) = limits(r.ci_lower, r.ci_upper);
            FaCiPoint {
                fa: r.fa,
                ci: r.ci,
                lower,
                upper,
            }
        })
        .collect();
    let curve: Vec<(f64, f64)> = curve.iter().copied().filter(|p| ok(p.0, p.1)).collect();
    let observed: Vec<FaCiPoint> = points
        .iter()
        .filter(|p| ok(p.fa, p.ci))
        .map(|p| {
            let (lower, upper) = limits(p.ci_lower, p.ci_upper);
            FaCiPoint {
                fa: p.fa,
                ci: p.ci,
                lower,
                upper,
            }
        })
        .collect();
    let mut series = Vec::new();
    if !table.is_empty() || !curve.is_empty() {
        series.push(FaCiSeries {
            label: mixture.map_or("Mixture".to_string(), mixture_label),
            points: table,
            curve,
        });
    }
    if !observed.is_empty() {
        series.push(FaCiSeries {
            label: "Observed combinations".to_string(),
            points: observed,
            curve: Vec::new(),
        });
    }
    if series.is_empty() {
        return Ok(None);
    }
    fa_ci_plot(&series, &FaCiOptions::default())
        .map(|f| Some(f.svg))
        .map_err(|e| draw_failure("Fa-CI plot", e))
}

/// `Bliss`, `HSA`, `Loewe`, `ZIP`.
fn model_title(model: &str) -> String {
    match model {
        "hsa" | "zip" => model.to_ascii_uppercase(),
        m => {
            let mut c = m.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        }
    }
}

/// Heat map of one reference model's synergy scores over the combination
/// cells (both doses positive): drug a up the rows, drug b along the
/// columns.
pub fn heatmap_figure(s: &SurfaceScores, drug_a: &str, drug_b: &str) -> Result<Svg, Failure> {
    let mut dose_a: Vec<f64> = s.cells.iter().map(|c| c.dose_a).collect();
    let mut dose_b: Vec<f64> = s.cells.iter().map(|c| c.dose_b).collect();
    for d in [&mut dose_a, &mut dose_b] {
        d.sort_by(f64::total_cmp);
        d.dedup();
    }
    let values = dose_a
        .iter()
        .map(|&a| {
            dose_b
                .iter()
                .map(|&b| {
                    s.cells
                        .iter()
                        .find(|c| c.dose_a == a && c.dose_b == b)
                        .map(|c| c.synergy)
                        .filter(|v| v.is_finite())
                })
                .collect()
        })
        .collect();
    let m = SynergyMatrix {
        dose_a,
        dose_b,
        values,
    };
    let opts = HeatmapOptions {
        x_label: drug_b.to_string(),
        y_label: drug_a.to_string(),
        legend_title: format!("{} score", model_title(s.model)),
        ..HeatmapOptions::default()
    };
    synergy_heatmap(&m, &opts)
        .map(|f| f.svg)
        .map_err(|e| draw_failure(&format!("{} heat map", model_title(s.model)), e))
}

// ---- writing -----------------------------------------------------------

/// `dir/stem_suffix.ext` for `dir/stem.ext`.
pub fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let name = match path.extension() {
        Some(ext) => format!("{stem}_{suffix}.{}", ext.to_string_lossy()),
        None => format!("{stem}_{suffix}"),
    };
    path.with_file_name(name)
}

/// The checked target of `path` (extension rules of `--plot`).
pub fn target_of(path: PathBuf) -> Result<PlotTarget, Failure> {
    let args = PlotArgs { plot: Some(path) };
    args.target()?
        .ok_or_else(|| Failure::input(anyhow!("--plot: no file name")))
}

/// Writes every figure atomically; when one fails, the ones already
/// written are removed, so an error leaves none of them.
pub fn write_all(figures: &[(PathBuf, PlotTarget, Svg)]) -> Result<(), Failure> {
    for (k, (_, target, svg)) in figures.iter().enumerate() {
        if let Err(e) = target.write(svg) {
            for (path, ..) in &figures[..k] {
                let _ = std::fs::remove_file(path);
            }
            return Err(e);
        }
    }
    Ok(())
}
