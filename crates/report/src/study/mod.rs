//! The report of a study run: one self-contained `index.html` with the
//! tables, figures, methods, REMARK checklist and provenance of a
//! [`StudyResults`], and every figure as its own SVG (and PNG with the
//! `png` feature) file.
//!
//! Everything shown comes from the results as recorded: this module reads
//! numbers and formats them, it computes no statistic. Each number of a
//! table names its place in `results.json` (`data-src` and `data-fmt`
//! attributes, see [`format_cell`]), so the page can be checked against the
//! results mechanically; the at-risk counts under the Kaplan-Meier curves
//! are those of the recorded fits at the ticks ([`KmFigureInfo`]).
//!
//! The page has no script, loads nothing (a Content-Security-Policy
//! forbids every request) and shows patient identifiers only when the
//! results say the spec asked for them (`settings.show_ids`); otherwise
//! any identifier in a note or warning is replaced by `[id]`.
//!
//! ```no_run
//! # fn get() -> oncomark_study::results::StudyResults { unimplemented!() }
//! use oncomark_report::study::{render, RenderOptions};
//! let results = get(); // from oncomark_study::pipeline::run
//! for file in render(&results, &RenderOptions::default())? {
//!     println!("{} ({} bytes)", file.path, file.bytes.len());
//! }
//! # Ok::<(), oncomark_report::ReportError>(())
//! ```

mod cells;
mod figures;
mod page;
mod tables;
mod text;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use oncomark_study::results::StudyResults;

use crate::error::ReportError;
use crate::svg::escape;
use crate::Style;

pub use cells::{format_cell, Fmt};
pub use figures::KmFigureInfo;
pub use text::{RemarkItem, RemarkStatus};

use page::{Fig, Item, PSection, Page};

/// What to render.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// Size and type of the figures.
    pub style: Style,
    /// Dashed median lines on the Kaplan-Meier figures (default true).
    pub median_lines: bool,
    /// Pointwise confidence bands on the Kaplan-Meier figures (default
    /// false).
    pub conf_bands: bool,
    /// Also write each figure as PNG (needs the `png` cargo feature).
    pub png: bool,
    /// PNG pixels per SVG pixel (default 2).
    pub png_scale: f32,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            style: Style::default(),
            median_lines: true,
            conf_bands: false,
            png: false,
            png_scale: 2.0,
        }
    }
}

/// A file of the report, to be written by the caller under the output
/// folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators (`index.html`,
    /// `figures/km_ttp_trastuzumab.svg`).
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// A figure file of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureFile {
    /// File stem (`km_ttp_trastuzumab`).
    pub name: String,
    /// The figure it belongs to (a figure may have several panels).
    pub figure: String,
    /// Its caption.
    pub caption: String,
    /// The drawing.
    pub svg: crate::Svg,
}

/// The rendered report before it is turned into files.
#[derive(Debug, Clone)]
pub struct StudyReport {
    /// `index.html`.
    pub html: String,
    /// Every SVG panel, in page order.
    pub figures: Vec<FigureFile>,
    /// What each Kaplan-Meier figure printed under its axis.
    pub km: Vec<KmFigureInfo>,
    /// Every warning shown, in page order.
    pub warnings: Vec<String>,
    /// The REMARK checklist as filled.
    pub remark: Vec<RemarkItem>,
}

/// A file-name-safe form of `s` (lower-case letters, digits and `-`).
///
/// # Example
///
/// ```
/// use oncomark_report::study::slug;
/// assert_eq!(slug("Time to progression"), "time-to-progression");
/// assert_eq!(slug("3+"), "3");
/// assert_eq!(slug("***"), "x");
/// ```
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-').to_string();
    if t.is_empty() {
        "x".into()
    } else {
        t
    }
}

/// Every patient or case identifier the results hold.
fn known_ids(r: &StudyResults) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    if let Some(f) = &r.flow {
        for s in &f.excluded {
            ids.extend(s.patients.iter().map(|p| p.id.clone()));
        }
        for u in &f.unmatched {
            ids.extend(u.ids.iter().cloned());
        }
        ids.extend(f.date_adjustments.iter().map(|p| p.id.clone()));
    }
    if let Some(i) = &r.ihc {
        for l in [&i.discordant, &i.straddling, &i.unresolved, &i.adjudicated] {
            ids.extend(l.iter().cloned());
        }
        ids.extend(i.excluded.iter().map(|e| e.id.clone()));
        ids.extend(i.h_score_cases.iter().flatten().map(|c| c.id.clone()));
        ids.extend(i.allred_cases.iter().flatten().map(|c| c.id.clone()));
    }
    for ra in &r.response {
        ids.extend(ra.waterfall.iter().map(|w| w.id.clone()));
    }
    ids
}

/// Replaces identifiers in free text (notes, warnings) unless the results
/// allow showing them. Purely numeric identifiers (row numbers) are left:
/// they cannot be told from other numbers and identify no one.
struct Redactor {
    ids: Vec<String>,
}

impl Redactor {
    fn new(r: &StudyResults) -> Self {
        let ids = if r.settings.show_ids {
            Vec::new()
        } else {
            let mut v: Vec<String> = known_ids(r)
                .into_iter()
                .filter(|id| !id.is_empty() && !id.chars().all(|c| c.is_ascii_digit()))
                .collect();
            // longest first, so that T0131 goes before T013
            v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            v
        };
        Redactor { ids }
    }

    fn clean(&self, s: &str) -> String {
        let mut out = s.to_string();
        for id in &self.ids {
            if !out.contains(id.as_str()) {
                continue;
            }
            let mut res = String::with_capacity(out.len());
            let mut rest = out.as_str();
            while let Some(i) = rest.find(id.as_str()) {
                let before = rest[..i].chars().next_back();
                let after = rest[i + id.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                res.push_str(&rest[..i]);
                if word(before) || word(after) {
                    res.push_str(id);
                } else {
                    res.push_str("[id]");
                }
                rest = &rest[i + id.len()..];
            }
            res.push_str(rest);
            out = res;
        }
        out
    }

    fn all(&self, v: &[String]) -> Vec<String> {
        v.iter().map(|s| self.clean(s)).collect()
    }
}

fn endpoint_label(r: &StudyResults, e: &str) -> String {
    r.settings
        .endpoints
        .iter()
        .find(|x| x.name == e)
        .map_or_else(|| e.to_string(), |x| x.label.clone())
}

fn title_of(r: &StudyResults, cohort: &str, endpoint: &str) -> String {
    let l = endpoint_label(r, endpoint);
    if r.settings.cohorts.len() > 1 {
        format!("{l}, {cohort} cohort")
    } else {
        l
    }
}

fn term_labels(labels: &[oncomark_study::results::TermLabel]) -> impl Fn(&str) -> String + '_ {
    move |t: &str| {
        labels
            .iter()
            .find(|l| l.term == t)
            .map_or_else(|| t.to_string(), |l| l.label.clone())
    }
}

/// Renders the report as files: `index.html` and `figures/NAME.svg` (and
/// `figures/NAME.png` when `opts.png`).
///
/// # Errors
///
/// [`ReportError::BadOption`] for `png` without the `png` feature or a bad
/// style; the figure errors ([`ReportError::NonFinite`],
/// [`ReportError::OutOfRange`]) when the results hold a number no figure
/// can draw; [`ReportError::Png`] when rasterising fails.
pub fn render(
    results: &StudyResults,
    opts: &RenderOptions,
) -> Result<Vec<OutputFile>, ReportError> {
    let rep = render_report(results, opts)?;
    let mut files = vec![OutputFile {
        path: "index.html".into(),
        bytes: rep.html.into_bytes(),
    }];
    for f in &rep.figures {
        files.push(OutputFile {
            path: format!("figures/{}.svg", f.name),
            bytes: f.svg.as_str().as_bytes().to_vec(),
        });
    }
    if opts.png {
        files.extend(png_files(&rep.figures, opts.png_scale)?);
    }
    Ok(files)
}

#[cfg(feature = "png")]
fn png_files(figs: &[FigureFile], scale: f32) -> Result<Vec<OutputFile>, ReportError> {
    let r = crate::png::PngRenderer::new()?;
    figs.iter()
        .map(|f| {
            Ok(OutputFile {
                path: format!("figures/{}.png", f.name),
                bytes: r.render(&f.svg, scale)?,
            })
        })
        .collect()
}

#[cfg(not(feature = "png"))]
fn png_files(_: &[FigureFile], _: f32) -> Result<Vec<OutputFile>, ReportError> {
    Err(ReportError::BadOption {
        what: "png",
        value: "true".into(),
        reason: "PNG output needs oncomark built with the `png` feature; the SVG figures are \
                 written either way",
    })
}

/// Renders the report (see [`render`]) and returns the page, the figures
/// and what they printed.
///
/// # Errors
///
/// As [`render`], except the PNG errors.
pub fn render_report(r: &StudyResults, opts: &RenderOptions) -> Result<StudyReport, ReportError> {
    opts.style.validate()?;
    if opts.png && !(opts.png_scale.is_finite() && opts.png_scale > 0.0 && opts.png_scale <= 20.0) {
        return Err(ReportError::BadOption {
            what: "png_scale",
            value: opts.png_scale.to_string(),
            reason: "use a scale in (0, 20]",
        });
    }
    let red = Redactor::new(r);
    let mut page = Page {
        title: r.study.name.clone(),
        ..Page::default()
    };
    if let Some(d) = &r.study.description {
        page.subtitle.push(d.clone());
    }
    page.subtitle.push(format!(
        "oncomark {} · run started {} · results schema {}",
        r.oncomark_version, r.provenance.created_utc, r.schema_version
    ));
    let mut km_info = Vec::new();
    let mut all_warnings: Vec<String> = Vec::new();

    // ---------------------------------------------------------- summary
    let mut sec = PSection::new("summary", "Summary");
    for s in text::summary(r) {
        sec.items.push(Item::Raw(format!(
            "<p class=\"summary\">{}</p>\n",
            escape(&s)
        )));
    }
    let skipped: Vec<String> = r
        .analyses
        .skipped
        .iter()
        .map(|s| format!("{} was not run: {}", s.analysis, s.reason))
        .collect();
    sec.notes(red.all(&skipped));
    sec.notes(red.all(&r.notes));
    page.sections.push(sec);

    // ------------------------------------------------------------- flow
    if let Some(flow) = &r.flow {
        let mut sec = PSection::new("flow", "Patient flow");
        sec.figure(figures::flow_figure(r, flow, opts)?);
        sec.table(tables::flow_table(flow));
        sec.table(tables::events_table(r, flow));
        let mut notes = Vec::new();
        if !flow.date_adjustments.is_empty() {
            notes.push(format!(
                "{} patient(s) had a death or progression recorded after their last follow-up \
                 date: their last contact was taken as that later date.",
                flow.date_adjustments.len()
            ));
        }
        for u in &flow.unmatched {
            notes.push(format!(
                "{} row(s) of the {} table match no patient and were ignored.",
                u.ids.len(),
                u.table
            ));
        }
        if r.settings.show_ids {
            for s in &flow.excluded {
                for p in &s.patients {
                    notes.push(format!("Excluded ({}): {}: {}", s.stage, p.id, p.reason));
                }
            }
        }
        sec.notes(red.all(&notes));
        page.sections.push(sec);
    }

    // -------------------------------------------------- characteristics
    if !r.characteristics.is_empty() {
        let mut sec = PSection::new("characteristics", "Patient characteristics");
        for (k, t) in r.characteristics.iter().enumerate() {
            sec.table(tables::characteristics_table(r, k, t));
            let notes: Vec<String> = t
                .rows
                .iter()
                .filter_map(|x| x.note.as_ref().map(|n| format!("{}: {n}", x.label)))
                .collect();
            sec.notes(red.all(&notes));
        }
        page.sections.push(sec);
    }

    // -------------------------------------------------------------- IHC
    if let Some(ihc) = &r.ihc {
        let mut sec = PSection::new("ihc", "IHC scoring and reader agreement");
        sec.para(format!("Scoring rule: {}.", r.settings.marker.rule));
        sec.table(tables::ihc_scores_table(ihc));
        sec.table(tables::ihc_agreement_table(ihc, r.settings.conf_level));
        let mut w = Vec::new();
        if ihc.n_unresolved > 0 {
            let ids = if r.settings.show_ids {
                format!(" ({})", ihc.unresolved.join(", "))
            } else {
                String::new()
            };
            w.push(format!(
                "{} case(s){ids} whose readers fall on both sides of the positivity cutoff \
                 were not adjudicated: the combined value decided the group. Review them at a \
                 double-headed microscope, or report them as unresolved.",
                ihc.n_unresolved
            ));
        }
        for p in &ihc.reader_pairs {
            w.extend(p.notes.iter().cloned());
        }
        let w = red.all(&w);
        all_warnings.extend(w.iter().cloned());
        sec.warnings(w);
        if let Some(t) = tables::icc_table(ihc) {
            sec.table(t);
        }
        for t in tables::reader_tables(ihc) {
            sec.table(t);
        }
        let mut notes: Vec<String> = ihc.notes.clone();
        for s in ihc.skipped_statistics.iter().flatten() {
            notes.push(format!("{} not computed: {}", s.statistic, s.reason));
        }
        if !ihc.excluded.is_empty() {
            notes.push(format!("{} case(s) had no reading.", ihc.excluded.len()));
        }
        sec.notes(red.all(&notes));
        page.sections.push(sec);
    }

    // --------------------------------------------------------- response
    if !r.response.is_empty() {
        let mut sec = PSection::new("response", "Response by marker group");
        for (k, ra) in r.response.iter().enumerate() {
            sec.table(tables::response_table(r, k, ra));
            if let Some(f) = figures::waterfall(r, ra, opts)? {
                sec.figure(f);
            }
            sec.notes(red.all(&ra.notes));
        }
        page.sections.push(sec);
    }

    // --------------------------------------------------------- survival
    if !r.survival.is_empty() {
        let mut sec = PSection::new("survival", "Survival by marker group");
        for ep in &r.settings.endpoints {
            if let Some(t) = tables::survival_table(r, &ep.name) {
                sec.sub(ep.label.clone());
                sec.table(t);
            }
            for sv in r.survival.iter().filter(|s| s.endpoint == ep.name) {
                if let Some((fig, info)) = figures::km_figure(r, sv, opts)? {
                    sec.figure(fig);
                    km_info.push(info);
                }
                let mut w = Vec::new();
                let title = title_of(r, &sv.cohort, &sv.endpoint);
                if let Some(l) = &sv.logrank {
                    for g in &l.groups {
                        if g.expected < 5.0 {
                            w.push(format!(
                                "{title}: only {:.1} events expected in group {} under the null \
                                 hypothesis; the chi-square approximation of the log-rank test \
                                 may be poor.",
                                g.expected, g.group
                            ));
                        }
                    }
                }
                if let Some(t) = &sv.hazard_ratio {
                    if t.status != oncomark_survival::cox::TermStatus::Estimated {
                        w.push(format!(
                            "{title}: the Cox hazard ratio is not estimable by ordinary maximum \
                             likelihood ({:?}).",
                            t.status
                        ));
                    }
                }
                for lm in &sv.landmarks {
                    w.extend(lm.warnings.iter().map(|x| format!("{title}: {x}")));
                }
                let w = red.all(&w);
                all_warnings.extend(w.iter().cloned());
                sec.warnings(w);
                if let Some(f) = figures::landmark_figure(r, sv, opts)? {
                    sec.figure(f);
                }
                let mut notes = sv.notes.clone();
                if sv.hazard_ratio_method.as_deref() == Some("firth") {
                    notes.push(format!(
                        "{title}: a group has no event, so the hazard ratio is Firth's penalised \
                         estimate with profile-likelihood limits."
                    ));
                }
                sec.notes(red.all(&notes));
            }
        }
        page.sections.push(sec);
    }

    // -------------------------------------------------------------- Cox
    if !r.univariate.is_empty() || !r.multivariable.is_empty() {
        let mut sec = PSection::new("cox", "Cox models");
        for (ui, u) in r.univariate.iter().enumerate() {
            let title = title_of(r, &u.cohort, &u.endpoint);
            sec.sub(title.clone());
            let mv = r
                .multivariable
                .iter()
                .enumerate()
                .find(|(_, m)| m.cohort == u.cohort && m.endpoint == u.endpoint);
            sec.table(tables::cox_table(
                r,
                ui,
                u,
                mv,
                &endpoint_label(r, &u.endpoint),
            ));
            let mut w = Vec::new();
            for f in &u.factors {
                if !f.converged {
                    w.push(format!(
                        "{title}: the univariate model of {} did not converge.",
                        f.factor
                    ));
                }
                w.extend(
                    f.warnings
                        .iter()
                        .map(|x| format!("{title}, {}: {x}", f.factor)),
                );
            }
            if let Some((_, m)) = mv {
                for (name, model) in [
                    ("selected model", &m.model),
                    ("model of every candidate", &m.full_model),
                ] {
                    if let Some(model) = model {
                        if !model.fit.converged {
                            w.push(format!("{title}: the {name} did not converge."));
                        }
                        w.extend(
                            model
                                .fit
                                .warnings
                                .iter()
                                .map(|x| format!("{title}, {name}: {x}")),
                        );
                    }
                }
                if let Some(s) = &m.selection {
                    w.extend(
                        s.warnings
                            .iter()
                            .map(|x| format!("{title}, selection: {x}")),
                    );
                }
            }
            let w = red.all(&w);
            all_warnings.extend(w.iter().cloned());
            sec.warnings(w);
            let mut notes = u.notes.clone();
            for f in &u.firth {
                notes.push(format!(
                    "{title}: the ordinary estimate of {} is infinite (monotone likelihood); \
                     the row marked (Firth) is Firth's penalised estimate.",
                    f.factor
                ));
            }
            if let Some((_, m)) = mv {
                notes.extend(m.notes.iter().cloned());
            }
            sec.notes(red.all(&notes));
            if let Some(f) =
                figures::forest_univariate(r, u, &endpoint_label(r, &u.endpoint), opts)?
            {
                sec.figure(f);
            }
            if let Some((mi, m)) = mv {
                if let Some(f) =
                    figures::forest_multivariable(r, m, &endpoint_label(r, &m.endpoint), opts)?
                {
                    sec.figure(f);
                }
                let lab = term_labels(&m.labels);
                let lab_u = term_labels(&u.labels);
                let both = |t: &str| {
                    let a = lab(t);
                    if a == t {
                        lab_u(t)
                    } else {
                        a
                    }
                };
                if let Some(t) = tables::selection_table(mi, m, &both, &title) {
                    sec.table(t);
                }
                if let Some((t, w)) = tables::zph_table(mi, m, &both, &title) {
                    sec.table(t);
                    let w = red.all(&w);
                    all_warnings.extend(w.iter().cloned());
                    sec.warnings(w);
                }
            }
        }
        // multivariable analyses without a univariate entry
        for (mi, m) in r.multivariable.iter().enumerate() {
            if r.univariate
                .iter()
                .any(|u| u.cohort == m.cohort && u.endpoint == m.endpoint)
            {
                continue;
            }
            let title = title_of(r, &m.cohort, &m.endpoint);
            sec.sub(title.clone());
            if let Some(f) =
                figures::forest_multivariable(r, m, &endpoint_label(r, &m.endpoint), opts)?
            {
                sec.figure(f);
            }
            let lab = term_labels(&m.labels);
            if let Some((t, w)) = tables::zph_table(mi, m, &lab, &title) {
                sec.table(t);
                let w = red.all(&w);
                all_warnings.extend(w.iter().cloned());
                sec.warnings(w);
            }
        }
        page.sections.push(sec);
    }

    // ------------------------------------------------------ interaction
    if !r.interaction.is_empty() {
        let mut sec = PSection::new("interaction", "Treatment-by-marker interaction");
        for (k, ia) in r.interaction.iter().enumerate() {
            let label = endpoint_label(r, &ia.endpoint);
            sec.sub(label.clone());
            sec.table(tables::interaction_table(r, k, ia, &label));
            let mut w = Vec::new();
            if let Some(res) = &ia.result {
                w.extend(res.warnings.iter().map(|x| format!("{label}: {x}")));
                for s in res.within.iter().chain(&res.separate) {
                    w.extend(
                        s.warnings
                            .iter()
                            .map(|x| format!("{label}, {}: {x}", s.level)),
                    );
                }
            }
            let w = red.all(&w);
            all_warnings.extend(w.iter().cloned());
            sec.warnings(w);
            let mut notes = ia.notes.clone();
            for a in &ia.marker_by_arm {
                notes.extend(a.notes.iter().map(|x| format!("{}: {x}", a.arm)));
            }
            sec.notes(red.all(&notes));
            if let Some(f) = figures::forest_interaction(r, ia, &label, opts)? {
                sec.figure(f);
            }
        }
        page.sections.push(sec);
    }

    // ---------------------------------------------------------- methods
    let mut sec = PSection::new("methods", "Methods (as run)");
    for p in text::methods(r) {
        sec.para(p);
    }
    page.sections.push(sec);

    // ----------------------------------------------------------- REMARK
    let remark = text::remark(r);
    let mut sec = PSection::new("remark", "REMARK checklist");
    sec.para(
        "The REMARK reporting recommendations for tumour-marker prognostic studies (McShane et \
         al., J Natl Cancer Inst 2005;97:1180-4), filled from what this run recorded. Items \
         marked partly or not reported need text from the authors.",
    );
    sec.items.push(Item::Raw(remark_html(&remark)));
    page.sections.push(sec);

    // ------------------------------------------------------- provenance
    page.sections.push(provenance(r));

    // top-of-page count of warnings
    if !all_warnings.is_empty() {
        let n = all_warnings.len();
        page.sections[0].items.insert(
            0,
            Item::Raw(format!(
                "<div class=\"warnings\" role=\"note\"><b>{n} warning{} in this report</b>, each \
                 shown next to the result it concerns.</div>\n",
                if n == 1 { "" } else { "s" }
            )),
        );
    }

    // collect the figure files in page order
    let mut figs = Vec::new();
    for s in &page.sections {
        for it in &s.items {
            if let Item::Figure(Fig {
                name,
                caption,
                panels,
            }) = it
            {
                for (stem, svg) in panels {
                    figs.push(FigureFile {
                        name: stem.clone(),
                        figure: name.clone(),
                        caption: caption.clone(),
                        svg: svg.clone(),
                    });
                }
            }
        }
    }
    Ok(StudyReport {
        html: page.render(),
        figures: figs,
        km: km_info,
        warnings: all_warnings,
        remark,
    })
}

fn remark_html(items: &[RemarkItem]) -> String {
    let mut out = String::from(
        "<div class=\"tablewrap\"><table data-table=\"remark\" class=\"remark\">\n<thead><tr>\
         <th class=\"l\">Item</th><th class=\"l\">Recommendation</th><th class=\"l\">This \
         report</th><th class=\"l\">Details</th></tr></thead>\n<tbody>\n",
    );
    for it in items {
        let place = match it.anchor {
            Some(a) => format!(" <a href=\"#{a}\">(see)</a>"),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"txt\">{}</td><td class=\"txt\"><span \
             class=\"status {}\">{}</span></td><td class=\"txt\">{}{place}</td></tr>",
            it.number,
            escape(it.item),
            it.status.class(),
            it.status.word(),
            escape(&it.detail)
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

fn provenance(r: &StudyResults) -> PSection {
    let p = &r.provenance;
    let mut sec = PSection::new("provenance", "Provenance");
    let mut rows: Vec<(String, String)> = vec![
        ("oncomark version".into(), r.oncomark_version.clone()),
        ("results schema".into(), r.schema_version.to_string()),
        ("run started (UTC)".into(), p.created_utc.clone()),
        ("command line".into(), p.command_line.join(" ")),
        ("spec file".into(), p.spec_file.clone()),
        ("spec SHA-256".into(), p.spec_sha256.clone()),
    ];
    for f in &p.inputs {
        rows.push((
            format!("input ({})", f.role),
            format!(
                "{} · {} rows × {} columns · SHA-256 {}",
                f.path, f.rows, f.columns, f.sha256
            ),
        ));
    }
    let mut html = String::from(
        "<div class=\"tablewrap\"><table class=\"prov\" data-table=\"provenance\">\n<tbody>\n",
    );
    for (k, v) in rows {
        let _ = writeln!(
            html,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(&k),
            escape(&v)
        );
    }
    html.push_str("</tbody>\n</table></div>\n");
    sec.items.push(Item::Raw(html));
    sec.items.push(Item::Details(
        "The study specification as run".into(),
        p.spec_text.clone(),
    ));
    sec
}
