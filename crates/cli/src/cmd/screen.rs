//! `oncomark screen`: many markers against one survival outcome, with
//! corrected best-cutpoint P values and false-discovery q values.
//!
//! The clinical table (patient id, time, event) is joined to a marker
//! table by patient id. The marker table is read once and never copied:
//! the screen asks for one marker column at a time ([`MarkerSource`]),
//! and each worker thread fills its own buffer from the table's cells.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use oncomark_cutpoint::screen::{screen, MarkerSource, ScreenOptions, ScreenResult, ScreenRow};
use oncomark_cutpoint::CutpointError;
use oncomark_data::{Column, ColumnKind, FrameBuilder, Table};
use oncomark_report::volcano::{volcano_plot, VolcanoOptions, VolcanoPoint};
use serde::Serialize;

use super::{DataArgs, SurvArgs};
use crate::output::{emit, fixed, num, pval, Failure, Outcome, OutputArgs};
use crate::plot::{PlotArgs, PlotTarget};

/// Shown under `oncomark screen --help`.
pub const EXAMPLE: &str = "\
Per marker: Cox hazard ratio per SD (Wald P); log-rank P and HR at the
median and quartiles; the best cutpoint within --min-prop..--max-prop as a
maximally selected log-rank statistic with its Lau94 P (corrected for the
search: the smallest log-rank P over cutpoints is not a valid P value);
Benjamini-Hochberg q values of the Cox P and of the Lau94 P across markers.
Rows are sorted by best-cutpoint q, then its P. Columns: docs/cli-cutpoint.md.

Examples:
  oncomark screen --clinical examples/screen/clinical.csv --markers examples/screen/markers.csv \\
      --time time --event event --top 10
  oncomark screen --clinical clin.csv --markers expr_long.csv --layout long --id patient \\
      --time os_months --event os_status=DECEASED --format csv --out screen.csv --plot volcano.svg";

/// How the marker table is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// One row per patient: the id column and one column per marker.
    Wide,
    /// One row per measurement: id, marker name and value columns.
    Long,
}

/// Which result the volcano plot shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PlotBy {
    /// Cox hazard ratio per SD against its Wald P, coloured by its q.
    Cox,
    /// Hazard ratio at the best cutpoint against its Lau94 P, coloured by
    /// its q.
    Best,
}

/// Arguments of `oncomark screen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Clinical table: one row per patient with the id, time and event
    /// columns (CSV, TSV or XLSX).
    #[arg(long, value_name = "PATH")]
    clinical: PathBuf,
    /// Marker table (CSV, TSV or XLSX): wide (id + one column per marker)
    /// or long (id, marker, value); see --layout.
    #[arg(long, value_name = "PATH")]
    markers: PathBuf,
    #[command(flatten)]
    surv: SurvArgs,
    /// Patient id column, in both tables. Ids match as written (trimmed).
    #[arg(long, default_value = "id", value_name = "COL")]
    id: String,
    /// Layout of the marker table.
    #[arg(long, value_enum, default_value = "wide")]
    layout: Layout,
    /// Wide layout: columns of the marker table that are not markers
    /// (comma separated), e.g. clinical variables of a combined file. The
    /// id and the --time/--event columns are never screened.
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    exclude: Vec<String>,
    /// Long layout: the column naming the marker.
    #[arg(long, default_value = "marker", value_name = "COL")]
    marker_column: String,
    /// Long layout: the column holding the value.
    #[arg(long, default_value = "value", value_name = "COL")]
    value_column: String,
    /// Smallest proportion of patients in the low group of the best-cutpoint
    /// search.
    #[arg(long, default_value_t = 0.25, value_name = "P")]
    min_prop: f64,
    /// Largest proportion of patients in the low group.
    #[arg(long, default_value_t = 0.75, value_name = "P")]
    max_prop: f64,
    /// False-discovery rate: markers with q <= FDR are counted as
    /// discoveries (and coloured in the plot).
    #[arg(long, default_value_t = 0.05)]
    fdr: f64,
    /// Markers shown in the text table (and labelled in the plot).
    #[arg(long, default_value_t = 20, value_name = "K")]
    top: usize,
    /// Volcano plot (see --plot-by).
    #[command(flatten)]
    plot: PlotArgs,
    /// What the volcano plot shows.
    #[arg(long, value_enum, default_value = "cox")]
    plot_by: PlotBy,
    /// Markers with fewer patients than this (after missing values) get a
    /// row without statistics and a note.
    #[arg(long, default_value_t = 10, value_name = "N")]
    min_patients: usize,
    /// Confidence level of the hazard-ratio intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Field delimiter of both text files (default: sniffed). Use `tab` for
    /// a tab.
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// Decimal mark in numbers: `.` (default) or `,`.
    #[arg(long, value_name = "MARK", default_value = ".")]
    decimal: String,
    #[command(flatten)]
    output: OutputArgs,
}

/// How the two tables were joined.
#[derive(Debug, Serialize)]
struct JoinSummary {
    /// Data rows of the clinical table.
    clinical_rows: usize,
    /// Clinical rows dropped for a missing id, time or event.
    clinical_dropped_missing: usize,
    /// Patients in the marker table (distinct ids).
    marker_patients: usize,
    /// Marker-table rows dropped for a missing id (or, long layout, a
    /// missing marker name).
    marker_rows_dropped: usize,
    /// Patients in both: the patients analysed.
    matched: usize,
    /// Clinical patients (with time and event) without markers: dropped.
    clinical_only: usize,
    /// Marker-table patients not among the clinical patients analysed:
    /// dropped.
    markers_only: usize,
}

/// Where the volcano plot went and what it shows.
#[derive(Debug, Serialize)]
struct PlotSummary {
    path: String,
    by: &'static str,
    points: usize,
    labelled: Vec<String>,
    unlabelled: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ScreenOutput {
    clinical: String,
    markers: String,
    layout: &'static str,
    join: JoinSummary,
    fdr: f64,
    /// Markers with best-cutpoint q <= fdr.
    significant_best: usize,
    /// Markers with Cox q <= fdr.
    significant_cox: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    plot: Option<PlotSummary>,
    notes: Vec<String>,
    #[serde(flatten)]
    result: ScreenResult,
}

/// Markers of a wide table: column `cols[j]`, read at the marker-table row
/// of each analysed patient.
struct WideSource<'t> {
    table: &'t Table,
    cols: Vec<usize>,
    rows: Vec<usize>,
}

impl MarkerSource for WideSource<'_> {
    fn n_markers(&self) -> usize {
        self.cols.len()
    }
    fn name(&self, j: usize) -> String {
        self.table.names()[self.cols[j]].clone()
    }
    fn fill(&self, j: usize, out: &mut [f64]) {
        let c = &self.table.columns()[self.cols[j]];
        for (o, &r) in out.iter_mut().zip(&self.rows) {
            *o = c.number(r).unwrap_or(f64::NAN);
        }
    }
    fn validate(&self, n_patients: usize) -> Result<(), CutpointError> {
        if self.rows.len() != n_patients {
            return Err(CutpointError::LengthMismatch {
                what: "marker rows",
                got: self.rows.len(),
                expected: n_patients,
            });
        }
        Ok(())
    }
}

/// Markers of a long table: for marker `j`, the (patient, row) pairs.
struct LongSource<'t> {
    values: &'t Column,
    names: Vec<String>,
    entries: Vec<Vec<(u32, u32)>>,
}

impl MarkerSource for LongSource<'_> {
    fn n_markers(&self) -> usize {
        self.names.len()
    }
    fn name(&self, j: usize) -> String {
        self.names[j].clone()
    }
    fn fill(&self, j: usize, out: &mut [f64]) {
        out.fill(f64::NAN);
        for &(p, r) in &self.entries[j] {
            if let Some(o) = out.get_mut(p as usize) {
                *o = self.values.number(r as usize).unwrap_or(f64::NAN);
            }
        }
    }
}

fn read(path: &std::path::Path, args: &Args) -> Result<Table, Failure> {
    DataArgs {
        data: path.to_path_buf(),
        sheet: None,
        delimiter: args.delimiter.clone(),
        decimal: args.decimal.clone(),
    }
    .load()
}

/// `{file}, row R (line L)` for messages.
fn at(table: &Table, row: usize, col: usize) -> String {
    format!("row {} ({})", row + 1, table.place(row, col))
}

/// The id of every row (`None` when missing), failing on a duplicate.
fn ids<'t>(table: &'t Table, id: &str) -> Result<Vec<Option<&'t str>>, Failure> {
    let c = table.column(id).map_err(Failure::input)?;
    let ci = table.position(id).unwrap_or(0);
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(c.len());
    let mut out = Vec::with_capacity(c.len());
    for r in 0..c.len() {
        let v = c.text(r);
        if let Some(v) = v {
            if let Some(first) = seen.insert(v, r) {
                return Err(Failure::input(anyhow::anyhow!(
                    "{}: patient id \"{v}\" appears twice in column \"{id}\" ({} and {}); each \
                     patient must have one row, so remove or merge the duplicate",
                    table.file(),
                    at(table, first, ci),
                    at(table, r, ci)
                )));
            }
        }
        out.push(v);
    }
    Ok(out)
}

/// Every marker column must hold numbers: the first offending cell, if any.
/// `hint` ends the message (how to leave a column out).
fn check_numeric(table: &Table, col: usize, hint: &str) -> Result<(), Failure> {
    let c = &table.columns()[col];
    let bad =
        (0..c.len()).find(|&r| !c.is_missing(r) && c.number(r).is_none_or(|v| !v.is_finite()));
    if let Some(r) = bad {
        let value = c.text(r).unwrap_or("");
        let why = if c.kind() == ColumnKind::Text && c.number(r).is_none() {
            "is not a number"
        } else {
            "is not a finite number (leave the cell empty or write NA for a missing value)"
        };
        return Err(Failure::input(anyhow::anyhow!(
            "{}, {}, column \"{}\": \"{value}\" {why}; every marker column must hold \
             numbers{hint}",
            table.file(),
            at(table, r, col),
            c.name
        )));
    }
    Ok(())
}

/// How the marker table matches the analysed clinical patients.
struct Matched<'t> {
    source: Box<dyn MarkerSource + 't>,
    /// Per clinical patient (frame order): has markers.
    present: Vec<bool>,
    marker_patients: usize,
    marker_rows_dropped: usize,
    markers_only: usize,
}

/// Wide layout: one row per patient; every column but the id, the
/// clinical time and event columns and `--exclude` is a marker.
fn wide<'t>(
    markers: &'t Table,
    args: &Args,
    patient_of: &HashMap<&str, usize>,
    n_clinical: usize,
    notes: &mut Vec<String>,
) -> Result<Matched<'t>, Failure> {
    let id = args.id.as_str();
    let mids = ids(markers, id)?;
    for name in &args.exclude {
        markers.column(name).map_err(Failure::input)?;
    }
    let (ecol, _) = args.surv.event_spec();
    let clinical_cols = [args.surv.time.as_str(), ecol];
    let mut skipped = Vec::new();
    let cols: Vec<usize> = (0..markers.names().len())
        .filter(|&c| {
            let name = markers.names()[c].as_str();
            if name == id || args.exclude.iter().any(|x| x == name) {
                return false;
            }
            if clinical_cols.contains(&name) {
                skipped.push(format!("\"{name}\""));
                return false;
            }
            true
        })
        .collect();
    if !skipped.is_empty() {
        notes.push(format!(
            "column(s) {} of the marker table are the clinical time/event columns and are not \
             screened",
            skipped.join(", ")
        ));
    }
    if cols.is_empty() {
        return Err(Failure::input(anyhow::anyhow!(
            "{}: the marker table has no column besides the id column \"{id}\"; a wide table \
             has one column per marker (or use --layout long)",
            markers.file()
        )));
    }
    for &c in &cols {
        check_numeric(
            markers,
            c,
            &format!(
                " (if \"{}\" is not a marker, leave it out with --exclude)",
                markers.names()[c]
            ),
        )?;
    }
    let mut row_of: Vec<Option<usize>> = vec![None; n_clinical];
    let (mut present_ids, mut only) = (0, 0);
    for (r, pid) in mids.iter().enumerate() {
        let Some(pid) = pid else { continue };
        present_ids += 1;
        match patient_of.get(pid) {
            Some(&p) => row_of[p] = Some(r),
            None => only += 1,
        }
    }
    Ok(Matched {
        present: row_of.iter().map(Option::is_some).collect(),
        source: Box::new(WideSource {
            table: markers,
            cols,
            rows: row_of.into_iter().flatten().collect(),
        }),
        marker_patients: present_ids,
        marker_rows_dropped: mids.len() - present_ids,
        markers_only: only,
    })
}

/// Long layout: id, marker and value columns, one row per measurement.
fn long<'t>(
    markers: &'t Table,
    args: &Args,
    patient_of: &HashMap<&str, usize>,
    n_clinical: usize,
) -> Result<Matched<'t>, Failure> {
    let id_c = markers.column(&args.id).map_err(Failure::input)?;
    let name_c = markers
        .column(&args.marker_column)
        .map_err(Failure::input)?;
    let value_c = markers.column(&args.value_column).map_err(Failure::input)?;
    let id_i = markers.position(&args.id).unwrap_or(0);
    let value_i = markers.position(&args.value_column).unwrap_or(0);
    check_numeric(markers, value_i, "")?;
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    // (clinical patient, row) per marker
    let mut entries: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut present = vec![false; n_clinical];
    let mut marker_ids: HashMap<&str, bool> = HashMap::new();
    let mut dropped = 0;
    for r in 0..markers.n_rows() {
        let (Some(pid), Some(name)) = (id_c.text(r), name_c.text(r)) else {
            dropped += 1;
            continue;
        };
        let p = patient_of.get(pid).copied();
        marker_ids.insert(pid, p.is_some());
        let j = *index.entry(name).or_insert_with(|| {
            names.push(name.to_string());
            entries.push(Vec::new());
            names.len() - 1
        });
        if let Some(p) = p {
            present[p] = true;
            entries[j].push((p as u32, r as u32));
        }
    }
    if names.is_empty() {
        return Err(Failure::input(anyhow::anyhow!(
            "{}: no row has both an id (column \"{}\") and a marker name (column \"{}\")",
            markers.file(),
            args.id,
            args.marker_column
        )));
    }
    // one value per patient and marker
    for (j, e) in entries.iter_mut().enumerate() {
        e.sort_unstable();
        if let Some(w) = e.windows(2).find(|w| w[0].0 == w[1].0) {
            let (r1, r2) = (w[0].1 as usize, w[1].1 as usize);
            return Err(Failure::input(anyhow::anyhow!(
                "{}: patient id \"{}\" has two values of marker \"{}\" ({} and {}); give one \
                 value per patient and marker",
                markers.file(),
                id_c.text(r1).unwrap_or(""),
                names[j],
                at(markers, r1, id_i),
                at(markers, r2, id_i)
            )));
        }
    }
    // clinical patient index -> analysed index
    let mut k = 0u32;
    let remap: Vec<u32> = present
        .iter()
        .map(|&h| {
            let v = k;
            k += u32::from(h);
            v
        })
        .collect();
    for e in &mut entries {
        for x in e.iter_mut() {
            x.0 = remap[x.0 as usize];
        }
    }
    Ok(Matched {
        source: Box::new(LongSource {
            values: value_c,
            names,
            entries,
        }),
        present,
        marker_patients: marker_ids.len(),
        marker_rows_dropped: dropped,
        markers_only: marker_ids.values().filter(|&&m| !m).count(),
    })
}

fn check_options(args: &Args) -> Result<(), Failure> {
    let p = |v: f64| (0.0..=1.0).contains(&v);
    if !(p(args.min_prop) && p(args.max_prop) && args.min_prop < args.max_prop) {
        return Err(Failure::input(anyhow::anyhow!(
            "--min-prop {} --max-prop {}: give proportions with 0 <= min < max <= 1 (the \
             quartile range is 0.25 and 0.75)",
            args.min_prop,
            args.max_prop
        )));
    }
    if !(args.fdr > 0.0 && args.fdr < 1.0) {
        return Err(Failure::input(anyhow::anyhow!(
            "--fdr {}: give a false-discovery rate between 0 and 1, e.g. 0.05 or 0.1",
            args.fdr
        )));
    }
    super::check_conf_level(args.conf_level)?;
    Ok(())
}

/// A few ids of a list, for messages.
fn sample_ids<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<String> = ids.take(3).map(|s| format!("\"{s}\"")).collect();
    v.join(", ")
}

/// Run the verb.
pub fn run(args: Args) -> Outcome {
    check_options(&args)?;
    let target = args.plot.target()?;
    let clinical = read(&args.clinical, &args)?;
    let markers = read(&args.markers, &args)?;

    // clinical: id, time, event; a duplicate id is an error
    let clinical_ids = ids(&clinical, &args.id)?;
    let mut fb = FrameBuilder::new(&clinical);
    let (ecol, evalue) = args.surv.event_spec();
    let t = fb.time(&args.surv.time).map_err(Failure::input)?;
    let e = fb.event(ecol, evalue).map_err(Failure::input)?;
    fb.label(&args.id).map_err(Failure::input)?;
    let frame = fb.build().map_err(Failure::input)?;
    let mut notes = Vec::new();
    if frame.dropped_missing() > 0 {
        notes.push(format!(
            "{} clinical rows dropped for a missing id, time or event",
            frame.dropped_missing()
        ));
    }
    let patient_of: HashMap<&str, usize> = frame
        .rows()
        .iter()
        .enumerate()
        .filter_map(|(i, &r)| clinical_ids[r].map(|id| (id, i)))
        .collect();

    let m = match args.layout {
        Layout::Wide => wide(&markers, &args, &patient_of, frame.n(), &mut notes)?,
        Layout::Long => long(&markers, &args, &patient_of, frame.n())?,
    };
    let analysed: Vec<usize> = (0..frame.n()).filter(|&p| m.present[p]).collect();
    if analysed.is_empty() {
        let mids = ids(&markers, &args.id)?;
        return Err(Failure::input(anyhow::anyhow!(
            "no patient id of {} (column \"{}\", e.g. {}) occurs in {} (e.g. {}); ids are \
             matched as written, so check the id column and its spelling (\"7\" and \"007\" \
             differ)",
            clinical.file(),
            args.id,
            sample_ids(frame.rows().iter().filter_map(|&r| clinical_ids[r])),
            markers.file(),
            sample_ids(mids.iter().flatten().copied())
        )));
    }
    let join = JoinSummary {
        clinical_rows: clinical.n_rows(),
        clinical_dropped_missing: frame.dropped_missing(),
        marker_patients: m.marker_patients,
        marker_rows_dropped: m.marker_rows_dropped,
        matched: analysed.len(),
        clinical_only: frame.n() - analysed.len(),
        markers_only: m.markers_only,
    };
    if join.clinical_only > 0 {
        notes.push(format!(
            "{} clinical patients have no row in the marker table and are dropped",
            join.clinical_only
        ));
    }
    if join.markers_only > 0 {
        notes.push(format!(
            "{} patients of the marker table are not among the clinical patients analysed and \
             are dropped",
            join.markers_only
        ));
    }
    if join.marker_rows_dropped > 0 {
        notes.push(format!(
            "{} marker-table rows without an id{} are dropped",
            join.marker_rows_dropped,
            if args.layout == Layout::Long {
                " or marker name"
            } else {
                ""
            }
        ));
    }
    let time: Vec<f64> = analysed.iter().map(|&p| frame.time(t)[p]).collect();
    let event: Vec<bool> = analysed.iter().map(|&p| frame.event(e)[p]).collect();

    let opts = ScreenOptions {
        min_prop: args.min_prop,
        max_prop: args.max_prop,
        conf_level: args.conf_level,
        min_patients: args.min_patients,
    };
    let n_markers = m.source.n_markers();
    let bar = (std::io::stderr().is_terminal() && n_markers > 1).then(|| {
        let pb = indicatif::ProgressBar::new(n_markers as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "screening {bar:40} {pos}/{len} markers [{elapsed_precise}, eta {eta}]",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb
    });
    let tick = |_: usize| {
        if let Some(pb) = &bar {
            pb.inc(1);
        }
    };
    let progress: Option<&(dyn Fn(usize) + Sync)> = bar.as_ref().map(|_| &tick as _);
    let result = screen(&time, &event, m.source.as_ref(), &opts, progress);
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let mut result = result.map_err(|e| Failure::analysis(anyhow::anyhow!("screen: {e}")))?;
    sort_rows(&mut result.rows);
    let without = result.rows.iter().filter(|r| r.note.is_some()).count();
    if without > 0 {
        notes.push(format!(
            "{without} markers have a note (constant, too few values, or a statistic that \
             could not be computed); see their `note`"
        ));
    }
    let significant_best = result
        .rows
        .iter()
        .filter(|r| r.best_q.is_some_and(|q| q <= args.fdr))
        .count();
    let significant_cox = result
        .rows
        .iter()
        .filter(|r| r.cox_q.is_some_and(|q| q <= args.fdr))
        .count();
    let mut out = ScreenOutput {
        clinical: clinical.file().to_string(),
        markers: markers.file().to_string(),
        layout: match args.layout {
            Layout::Wide => "wide",
            Layout::Long => "long",
        },
        join,
        fdr: args.fdr,
        significant_best,
        significant_cox,
        plot: None,
        notes,
        result,
    };
    if let Some(target) = &target {
        out.plot = Some(plot(&out, target, &args)?);
    }
    emit(
        &args.output,
        &out,
        || text(&out, args.top),
        Some(&|| csv(&out.result.rows)),
    )
}

/// Best-cutpoint q, then its P, then the Cox P; markers without them last;
/// ties keep the marker table's order.
fn sort_rows(rows: &mut [ScreenRow]) {
    let key = |v: Option<f64>| v.unwrap_or(f64::INFINITY);
    rows.sort_by(|a, b| {
        key(a.best_q)
            .total_cmp(&key(b.best_q))
            .then(key(a.best_p_lau94).total_cmp(&key(b.best_p_lau94)))
            .then(key(a.cox_p).total_cmp(&key(b.cox_p)))
    });
}

/// Render and write the volcano plot.
fn plot(o: &ScreenOutput, target: &PlotTarget, args: &Args) -> Result<PlotSummary, Failure> {
    let rows = &o.result.rows;
    let pick = |r: &ScreenRow| match args.plot_by {
        PlotBy::Cox => (r.cox_hr_per_sd, r.cox_p, r.cox_q),
        PlotBy::Best => (r.best_hr, r.best_p_lau94, r.best_q),
    };
    let points: Vec<VolcanoPoint> = rows
        .iter()
        .filter_map(|r| {
            let (hr, p, q) = pick(r);
            let (hr, p) = (hr?, p?);
            (hr > 0.0 && hr.is_finite() && p.is_finite()).then(|| VolcanoPoint {
                label: r.marker.clone(),
                effect: hr.log2(),
                // a P that underflowed to 0 is drawn at the smallest double
                p: p.clamp(f64::MIN_POSITIVE, 1.0),
                q: q.map(|q| q.clamp(0.0, 1.0)),
            })
        })
        .collect();
    if points.is_empty() {
        return Err(Failure::analysis(anyhow::anyhow!(
            "--plot: no marker has a hazard ratio and a P value to plot"
        )));
    }
    // the largest P still discovered at the FDR, as a guide line
    let p_line = points
        .iter()
        .filter(|p| p.q.is_some_and(|q| q <= args.fdr))
        .map(|p| p.p)
        .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
    let (x_label, y_label) = match args.plot_by {
        PlotBy::Cox => (
            "log\u{2082} hazard ratio per SD (Cox)",
            "\u{2212}log\u{2081}\u{2080} P (Cox Wald)",
        ),
        PlotBy::Best => (
            "log\u{2082} hazard ratio at the best cutpoint (high vs low)",
            "\u{2212}log\u{2081}\u{2080} P (Lau94, corrected for the search)",
        ),
    };
    let opts = VolcanoOptions {
        title: Some(format!(
            "{} markers, {} patients, {} events",
            o.result.n_markers, o.result.n_patients, o.result.events
        )),
        x_label: x_label.to_string(),
        y_label: y_label.to_string(),
        // discoveries are q <= fdr; the figure colours q < threshold
        q_threshold: next_up(args.fdr).min(1.0 - f64::EPSILON),
        top_k: args.top,
        p_line,
        ..VolcanoOptions::default()
    };
    let fig = volcano_plot(&points, &opts)
        .map_err(|e| Failure::analysis(anyhow::anyhow!("--plot: {e}")))?;
    target.write(&fig.svg)?;
    Ok(PlotSummary {
        path: args
            .plot
            .plot
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        by: match args.plot_by {
            PlotBy::Cox => "cox",
            PlotBy::Best => "best",
        },
        points: points.len(),
        labelled: fig.labelled,
        unlabelled: fig.unlabelled,
    })
}

/// The next double above a positive `x`.
fn next_up(x: f64) -> f64 {
    f64::from_bits(x.to_bits() + 1)
}

fn text(o: &ScreenOutput, top: usize) -> String {
    let r = &o.result;
    let j = &o.join;
    let mut s = format!(
        "Survival screen: {} markers, {} patients, {} events\n",
        r.n_markers, r.n_patients, r.events
    );
    s.push_str(&format!(
        "clinical {} ({} rows), markers {} ({} layout, {} patients); {} patients in both\n",
        o.clinical, j.clinical_rows, o.markers, o.layout, j.marker_patients, j.matched
    ));
    s.push_str(&format!(
        "Best cutpoint: maximally selected log-rank statistic with {}% to {}% of patients in\n\
         the low group; its P (Lau94) is corrected for the search (the smallest log-rank P\n\
         over cutpoints is not a valid P value). q: Benjamini-Hochberg across {} markers.\n",
        num(Some(r.min_prop * 100.0), 4),
        num(Some(r.max_prop * 100.0), 4),
        r.n_markers
    ));
    s.push_str(&format!(
        "{} markers with best-cutpoint q <= {}; {} with Cox q <= {}.\n\n",
        o.significant_best,
        num(Some(o.fdr), 4),
        o.significant_cox,
        num(Some(o.fdr), 4)
    ));
    let k = top.min(r.rows.len());
    let width = r.rows[..k]
        .iter()
        .map(|row| row.marker.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    s.push_str(&format!("Top {k} by best-cutpoint q:\n"));
    s.push_str(&format!(
        "{:<width$} {:>4} {:>6} {:>20} {:>9} {:>9} {:>10} {:>20} {:>9} {:>9}\n",
        "marker",
        "n",
        "events",
        "HR per SD (95% CI)",
        "Cox P",
        "Cox q",
        "best cut",
        "HR high/low (95% CI)",
        "Lau94 P",
        "q"
    ));
    let ci = |h: Option<f64>, l: Option<f64>, u: Option<f64>| {
        format!("{} ({}-{})", fixed(h, 2), fixed(l, 2), fixed(u, 2))
    };
    let p = |v: Option<f64>| v.map_or("NA".to_string(), pval);
    for row in &r.rows[..k] {
        s.push_str(&format!(
            "{:<width$} {:>4} {:>6} {:>20} {:>9} {:>9} {:>10} {:>20} {:>9} {:>9}\n",
            row.marker,
            row.n,
            row.events,
            ci(row.cox_hr_per_sd, row.cox_lower, row.cox_upper),
            p(row.cox_p),
            p(row.cox_q),
            num(row.best_cut, 5),
            ci(row.best_hr, row.best_lower, row.best_upper),
            p(row.best_p_lau94),
            p(row.best_q),
        ));
    }
    s.push_str(
        "\nThe HR at the best cutpoint is biased away from 1 by the search; the HR per SD is not.\n",
    );
    if let Some(pl) = &o.plot {
        s.push_str(&format!(
            "Volcano plot ({}) written to {}\n",
            pl.by, pl.path
        ));
    }
    for n in &o.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s
}

fn csv(rows: &[ScreenRow]) -> String {
    let f = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v}"));
    let u = |x: Option<usize>| x.map_or(String::new(), |v| v.to_string());
    let mut s = String::from(
        "marker,n,events,cox_hr_per_sd,cox_lower,cox_upper,cox_p,cox_q,median_cut,median_hr,\
         median_lower,median_upper,median_p,q1_cut,q1_hr,q1_p,q3_cut,q3_hr,q3_p,best_cut,\
         best_statistic,best_n_low,best_hr,best_lower,best_upper,best_p_lau94,best_q,note\n",
    );
    for r in rows {
        let cells = [
            super::csv_field(&r.marker),
            r.n.to_string(),
            r.events.to_string(),
            f(r.cox_hr_per_sd),
            f(r.cox_lower),
            f(r.cox_upper),
            f(r.cox_p),
            f(r.cox_q),
            f(r.median_cut),
            f(r.median_hr),
            f(r.median_lower),
            f(r.median_upper),
            f(r.median_p),
            f(r.q1_cut),
            f(r.q1_hr),
            f(r.q1_p),
            f(r.q3_cut),
            f(r.q3_hr),
            f(r.q3_p),
            f(r.best_cut),
            f(r.best_statistic),
            u(r.best_n_low),
            f(r.best_hr),
            f(r.best_lower),
            f(r.best_upper),
            f(r.best_p_lau94),
            f(r.best_q),
            r.note.as_deref().map(super::csv_field).unwrap_or_default(),
        ];
        s.push_str(&cells.join(","));
        s.push('\n');
    }
    s
}
