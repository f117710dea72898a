//! `--plot FILE` of the survival verbs: the figure of the result, written
//! atomically as SVG (or PNG in a build with the `png` feature).
//!
//! The figures draw what the verb fitted. What the figure prints beyond the
//! fit is computed here with the survival crate, never by the renderer: the
//! log-rank P of the plotted groups (or the verb's own test), and for two
//! groups the hazard ratio of a univariate Cox model with the group as its
//! only covariate (same ties, confidence level and strata as the verb).

use std::path::PathBuf;

use anyhow::anyhow;
use oncomark_report::forest::{forest_plot, ForestOptions, ForestRow};
use oncomark_report::format::{ci_name, hr_label, p_label};
use oncomark_report::km::{km_plot, HazardRatioText, KmAnnotation, KmPlotOptions, Placement};
use oncomark_report::Svg;
use oncomark_survival::cox::{fit, CoxData, CoxFit, CoxOptions, TermStatus};
use oncomark_survival::km::KmFit;
use oncomark_survival::logrank::{logrank, LogrankOptions};

use crate::output::{write_atomic, Failure};

/// The `--plot` flag, shared by the survival verbs.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct PlotArgs {
    /// Also draw the figure to this file: .svg, or .png in a build with
    /// the `png` feature. Written atomically; nothing is left on error.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

/// The file format of a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlotFormat {
    /// Scalable vector graphics.
    Svg,
    /// PNG at 300 dpi for a 170 mm wide print (feature `png`).
    Png,
}

/// Where the figure goes and in which format: checked before any analysis.
#[derive(Clone, Debug)]
pub struct PlotTarget {
    path: PathBuf,
    format: PlotFormat,
}

impl PlotArgs {
    /// The checked target, or `None` without `--plot`.
    ///
    /// The format comes from the extension (case-insensitive): `.svg`, or
    /// `.png` when this program was built with the `png` feature. Anything
    /// else is bad usage (exit status 2).
    pub fn target(&self) -> Result<Option<PlotTarget>, Failure> {
        let Some(path) = &self.plot else {
            return Ok(None);
        };
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let format = match ext.as_deref() {
            Some("svg") => PlotFormat::Svg,
            Some("png") if cfg!(feature = "png") => PlotFormat::Png,
            Some("png") => {
                return Err(Failure::input(anyhow!(
                    "--plot {}: this oncomark was built without PNG output; write an SVG \
                     instead (--plot figure.svg) or rebuild with the png feature \
                     (cargo install --path crates/cli --features png)",
                    path.display()
                )))
            }
            _ => {
                return Err(Failure::input(anyhow!(
                    "--plot {}: the figure format comes from the file extension; use .svg{}",
                    path.display(),
                    if cfg!(feature = "png") {
                        " or .png"
                    } else {
                        " (or .png in a build with the png feature)"
                    }
                )))
            }
        };
        Ok(Some(PlotTarget {
            path: path.clone(),
            format,
        }))
    }
}

impl PlotTarget {
    /// Writes `svg` in the target's format, atomically (a failure leaves
    /// no file behind).
    pub fn write(&self, svg: &Svg) -> Result<(), Failure> {
        let bytes = match self.format {
            PlotFormat::Svg => svg.as_str().as_bytes().to_vec(),
            PlotFormat::Png => png_bytes(svg)?,
        };
        write_atomic(&self.path, &bytes).map_err(|e| {
            // A failed rename returns an error that owns the temporary file
            // (tempfile's PersistError), and main exits without running
            // destructors: keep the message, drop the error (removing the
            // file) before returning.
            let message = format!("{e:#}");
            drop(e);
            Failure::input(anyhow!(message))
        })
    }
}

#[cfg(feature = "png")]
fn png_bytes(svg: &Svg) -> Result<Vec<u8>, Failure> {
    use oncomark_report::png::{print_scale, svg_to_png};
    let scale = print_scale(f64::from(svg.width()), 170.0, 300.0);
    svg_to_png(svg, scale).map_err(Failure::analysis)
}

#[cfg(not(feature = "png"))]
fn png_bytes(_svg: &Svg) -> Result<Vec<u8>, Failure> {
    // PlotArgs::target refuses .png in this build
    Err(Failure::input(anyhow!(
        "PNG output needs the png feature (cargo install --path crates/cli --features png)"
    )))
}

/// The test whose P value a Kaplan-Meier figure prints.
#[derive(Clone, Debug)]
pub enum KmTest {
    /// Compute the unstratified log-rank test of the plotted groups.
    LogRank,
    /// Print this P value under this name (e.g. a stratified or G-rho test
    /// the verb computed).
    Given {
        /// What the test is, e.g. `Stratified log-rank`.
        name: String,
        /// Its P value.
        p: f64,
    },
}

/// What a Kaplan-Meier figure is drawn from: the verb's fits and the data
/// they were fitted to (for the log-rank P and the Cox hazard ratio).
pub struct KmPlotData<'a> {
    /// One fit per group, in label order.
    pub fits: &'a [KmFit],
    /// Follow-up times.
    pub time: &'a [f64],
    /// Event indicators.
    pub event: &'a [bool],
    /// Group codes (indices into `labels`).
    pub group: &'a [u32],
    /// Group names.
    pub labels: &'a [String],
    /// Strata codes for the Cox model (logrank `--strata`).
    pub strata: Option<&'a [u32]>,
    /// Name of the time column (the x-axis title).
    pub time_label: &'a str,
    /// Name of the group column (the legend title), if any.
    pub group_label: Option<&'a str>,
    /// Confidence level of the hazard ratio.
    pub conf_level: f64,
}

/// Renders the Kaplan-Meier figure: curves with censoring marks, the
/// numbers at risk under the time axis, and with two or more groups the
/// test's P value; with exactly two groups the hazard ratio of the second
/// group against the first from a univariate Cox model (Efron ties).
pub fn km_figure(d: &KmPlotData<'_>, test: KmTest) -> Result<Svg, Failure> {
    let mut annotation = KmAnnotation::default();
    // the test's P value first, then the hazard ratio
    if d.fits.len() >= 2 {
        match test {
            KmTest::LogRank => {
                let lr = logrank(
                    d.time,
                    d.event,
                    d.group,
                    d.labels,
                    &LogrankOptions::default(),
                )
                .map_err(Failure::analysis)?;
                annotation.logrank_p = Some(lr.p);
            }
            KmTest::Given { name, p } if name == "Log-rank" => annotation.logrank_p = Some(p),
            KmTest::Given { name, p } => annotation.lines.push(format!("{name} {}", p_label(p))),
        }
    }
    if d.fits.len() == 2 {
        match two_group_hr(d) {
            Some(h) if annotation.lines.is_empty() => annotation.hr = Some(h),
            Some(h) => annotation.lines.push(hr_label(
                h.hr,
                h.lower,
                h.upper,
                h.conf_level,
                h.label.as_deref(),
            )),
            None => annotation.lines.push(format!(
                "HR ({} vs {}) not estimable",
                d.labels[1], d.labels[0]
            )),
        }
    }
    let single = d.fits.len() == 1;
    let opts = KmPlotOptions {
        x_label: d.time_label.to_string(),
        y_label: "Survival probability".to_string(),
        legend_title: d.group_label.map(str::to_string),
        legend_n: true,
        legend: if single {
            Placement::Hidden
        } else {
            Placement::Auto
        },
        annotation,
        ..KmPlotOptions::default()
    };
    km_plot(d.fits, &opts)
        .map(|f| f.svg)
        .map_err(|e| Failure::analysis(anyhow!(e).context("cannot draw the Kaplan-Meier figure")))
}

/// Hazard ratio of group 1 against group 0 from `coxph(Surv ~ group)`,
/// stratified as the verb was; `None` when it cannot be estimated.
fn two_group_hr(d: &KmPlotData<'_>) -> Option<HazardRatioText> {
    let x: Vec<f64> = d
        .group
        .iter()
        .map(|&g| f64::from(u8::from(g == 1)))
        .collect();
    let name = format!("{} vs {}", d.labels[1], d.labels[0]);
    let mut data = CoxData::new(d.time, d.event, &[x], &[name.as_str()]).ok()?;
    if let Some(s) = d.strata {
        data = data.with_strata(s).ok()?;
    }
    let opts = CoxOptions {
        conf_level: d.conf_level,
        ..CoxOptions::default()
    };
    let f = fit(&data, &opts).ok()?;
    let t = f.terms.first()?;
    if t.status != TermStatus::Estimated {
        return None;
    }
    Some(HazardRatioText {
        hr: t.hr?,
        lower: t.hr_lower,
        upper: t.hr_upper,
        conf_level: f.conf_level,
        label: Some(name),
    })
}

/// Renders the forest plot of a Cox model's terms (hazard ratios with their
/// Wald intervals and P values, as fitted).
pub fn cox_figure(f: &CoxFit) -> Result<Svg, Failure> {
    let rows = ForestRow::from_cox(f);
    let opts = ForestOptions {
        label_header: "Term".to_string(),
        estimate_header: format!("HR ({})", ci_name(f.conf_level)),
        ..ForestOptions::default()
    };
    forest_plot(&rows, &opts)
        .map(|fig| fig.svg)
        .map_err(|e| Failure::analysis(anyhow!(e).context("cannot draw the forest plot")))
}

/// Writes `svg` to `target` when there is one.
pub fn write_if(
    target: Option<&PlotTarget>,
    svg: impl FnOnce() -> Result<Svg, Failure>,
) -> Result<(), Failure> {
    match target {
        Some(t) => t.write(&svg()?),
        None => Ok(()),
    }
}
