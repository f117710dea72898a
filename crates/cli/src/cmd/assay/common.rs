//! Pieces shared by the assay subcommands: exit statuses of assay errors,
//! optional columns, value checks naming the row, the control treatment,
//! the comparison flags, and text tables.

use oncomark_assay::compare::{
    compare, CompareOptions, CompareTest, ComparisonRow, ComparisonSet, ComparisonSpec, Reference,
};
use oncomark_assay::replicates::{Condition, ConditionSummary, ExperimentValue};
use oncomark_assay::AssayError;
use oncomark_data::{Frame, Table};
use oncomark_stats::PAdjustMethod;

use crate::cmd::csv_field;
use crate::output::{pval, Failure};

/// Exit status of an assay error: 2 for what is wrong with the input files
/// or the options (a plate map that cannot be read, a missing grid, a bad
/// number, a bad option), 1 for an analysis that cannot be done on
/// well-formed input (no control wells, a flat curve, too few doses, no
/// convergence).
pub fn assay_failure(e: AssayError) -> Failure {
    use AssayError as E;
    match e {
        E::NoPlate { .. }
        | E::NoGridName { .. }
        | E::BadColumnHeader { .. }
        | E::UnsupportedPlate { .. }
        | E::BadRowLabel { .. }
        | E::RaggedRow { .. }
        | E::WrongRowCount { .. }
        | E::PlateSizeMismatch { .. }
        | E::DuplicateVariable { .. }
        | E::MissingVariable { .. }
        | E::BadNumber { .. }
        | E::BadWell { .. }
        | E::DuplicateWell { .. }
        | E::RaggedTable { .. }
        | E::BadRole { .. }
        | E::LengthMismatch { .. }
        | E::NonFinite { .. }
        | E::BadValue { .. }
        | E::BadOption { .. }
        | E::BadConfLevel(_)
        | E::BadLevel { .. }
        | E::NonPositiveIntensity { .. } => Failure::input(e),
        _ => Failure::analysis(e),
    }
}

/// The column to use for an optional variable: the one named by the flag
/// (which must then exist: the frame builder says so if it does not), or,
/// without the flag, `default` when the table has a column of that name.
pub fn optional_column(table: &Table, flag: &Option<String>, default: &str) -> Option<String> {
    match flag {
        Some(c) => Some(c.clone()),
        None => table.position(default).map(|_| default.to_string()),
    }
}

/// Check every value of a numeric column kept in `frame`; the first that
/// fails `ok` is reported with its file, row, line and column: `need` says
/// what a value must be.
pub fn check_values(
    table: &Table,
    frame: &Frame,
    col: &str,
    values: &[f64],
    ok: impl Fn(f64) -> bool,
    need: &str,
) -> Result<(), Failure> {
    let Some(i) = values.iter().position(|&v| !ok(v)) else {
        return Ok(());
    };
    let row = frame.rows()[i];
    let c = table.position(col).unwrap_or(0);
    let raw = table.columns()[c]
        .text(row)
        .map_or_else(|| values[i].to_string(), str::to_string);
    Err(Failure::input(anyhow::anyhow!(
        "{}, row {} ({}), column \"{col}\": \"{raw}\" is not usable: {need}",
        table.file(),
        row + 1,
        table.place(row, c)
    )))
}

/// The treatment label of the control: the one given with `--control`
/// (matched case-insensitively, returned as written in the data), or the
/// first of `candidates` present in the data. The flag `--control` is named
/// in the errors.
pub fn resolve_control(
    treatments: &[String],
    given: Option<&str>,
    candidates: &[&str],
) -> Result<String, Failure> {
    let mut known: Vec<&str> = Vec::new();
    for t in treatments {
        if !known.contains(&t.as_str()) {
            known.push(t);
        }
    }
    let find = |want: &str| {
        known
            .iter()
            .find(|t| t.eq_ignore_ascii_case(want))
            .map(|t| t.to_string())
    };
    match given {
        Some(g) => find(g).ok_or_else(|| {
            Failure::input(anyhow::anyhow!(
                "--control {g:?}: no such treatment in the data; treatments found: {}",
                known.join(", ")
            ))
        }),
        None => candidates.iter().find_map(|c| find(c)).ok_or_else(|| {
            Failure::input(anyhow::anyhow!(
                "no control treatment found (looked for {}); name it with --control LABEL; treatments found: {}",
                candidates.join(", "),
                known.join(", ")
            ))
        }),
    }
}

/// Which comparisons to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareMode {
    /// Every condition against the control of its own cell line.
    AllVsControl,
    /// Every pair of conditions within each cell line.
    Pairs,
    /// No comparisons.
    None,
}

/// Test of condition against condition.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum TestArg {
    /// Two-sample Student t test (pooled variance), the seed paper's test.
    Student,
    /// Two-sample Welch t test.
    Welch,
    /// Paired t test, experiments matched by their identifier.
    Paired,
}

/// Multiplicity adjustment (R `p.adjust` methods).
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum AdjustArg {
    /// No adjustment.
    None,
    /// Holm's step-down.
    Holm,
    /// Hochberg's step-up.
    Hochberg,
    /// Bonferroni.
    Bonferroni,
    /// Benjamini-Hochberg false discovery rate.
    Bh,
    /// Benjamini-Yekutieli false discovery rate.
    By,
}

/// The comparison flags shared by `viability`, `clonogenic` and `blot`.
#[derive(Clone, Debug, clap::Args)]
pub struct CompareArgs {
    /// Which comparisons: every condition against the control of its cell
    /// line, every pair of conditions within a cell line, or none.
    #[arg(long, value_enum, default_value = "all-vs-control")]
    pub compare: CompareMode,
    /// One comparison "A vs B" of two conditions (treatment labels, with the
    /// dose when the layout has one), made within every cell line that has
    /// both. Repeatable; replaces --compare.
    #[arg(long = "pair", value_name = "A vs B", conflicts_with = "compare")]
    pub pairs: Vec<String>,
    /// Test of condition against condition, on one value per experiment.
    #[arg(long, value_enum, default_value = "student")]
    pub test: TestArg,
    /// Multiplicity adjustment over the comparisons.
    #[arg(long, value_enum, default_value = "none")]
    pub adjust: AdjustArg,
    /// Confidence level of the intervals of the differences.
    #[arg(long, default_value_t = 0.95)]
    pub conf_level: f64,
}

/// A condition's name without its cell line: `Tz 10`, or `Tz 10` with a
/// dose (`Tz 10 5` for treatment `Tz 10` at dose 5).
fn short_name(c: &Condition) -> String {
    Condition::new("", &c.treatment, c.dose).label()
}

/// Run the comparisons asked for on one value per experiment and
/// condition. `control` is the control treatment for `all-vs-control`.
/// `None` when no comparison is asked for.
pub fn run_comparisons(
    values: &[ExperimentValue],
    control: &str,
    args: &CompareArgs,
) -> Result<Option<ComparisonSet>, Failure> {
    let mut conds: Vec<Condition> = Vec::new();
    for v in values {
        if !conds.iter().any(|c| c.same(&v.condition)) {
            conds.push(v.condition.clone());
        }
    }
    let mut lines: Vec<&str> = Vec::new();
    for c in &conds {
        if !lines.contains(&c.cell_line.as_str()) {
            lines.push(&c.cell_line);
        }
    }
    let specs: Vec<ComparisonSpec> = if !args.pairs.is_empty() {
        let mut specs = Vec::new();
        for p in &args.pairs {
            let Some((a, b)) = p.split_once(" vs ") else {
                return Err(Failure::input(anyhow::anyhow!(
                    "--pair {p:?}: write it as \"A vs B\" with the two treatment labels, e.g. --pair \"Tz 10 + AIIB2 10 vs Tz 10\""
                )));
            };
            let (a, b) = (a.trim(), b.trim());
            let mut found = false;
            for line in &lines {
                let pick = |name: &str| {
                    conds
                        .iter()
                        .find(|c| c.cell_line == *line && short_name(c).eq_ignore_ascii_case(name))
                };
                if let (Some(ca), Some(cb)) = (pick(a), pick(b)) {
                    specs.push(ComparisonSpec {
                        a: ca.clone(),
                        b: Reference::Condition(cb.clone()),
                    });
                    found = true;
                }
            }
            if !found {
                let mut names: Vec<String> = Vec::new();
                for c in &conds {
                    let n = short_name(c);
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
                return Err(Failure::input(anyhow::anyhow!(
                    "--pair {p:?}: no cell line has both {a:?} and {b:?}; conditions found: {}",
                    names.join(", ")
                )));
            }
        }
        specs
    } else {
        match args.compare {
            CompareMode::None => return Ok(None),
            CompareMode::AllVsControl => ComparisonSpec::all_against(values, control),
            CompareMode::Pairs => {
                let mut specs = Vec::new();
                for line in &lines {
                    let of: Vec<&Condition> =
                        conds.iter().filter(|c| c.cell_line == *line).collect();
                    for j in 0..of.len() {
                        for i in 0..j {
                            specs.push(ComparisonSpec {
                                a: of[j].clone(),
                                b: Reference::Condition(of[i].clone()),
                            });
                        }
                    }
                }
                specs
            }
        }
    };
    let opts = CompareOptions {
        test: match args.test {
            TestArg::Student => CompareTest::Student,
            TestArg::Welch => CompareTest::Welch,
            TestArg::Paired => CompareTest::Paired,
        },
        adjust: match args.adjust {
            AdjustArg::None => None,
            AdjustArg::Holm => Some(PAdjustMethod::Holm),
            AdjustArg::Hochberg => Some(PAdjustMethod::Hochberg),
            AdjustArg::Bonferroni => Some(PAdjustMethod::Bonferroni),
            AdjustArg::Bh => Some(PAdjustMethod::BenjaminiHochberg),
            AdjustArg::By => Some(PAdjustMethod::BenjaminiYekutieli),
        },
        conf_level: args.conf_level,
    };
    compare(values, &specs, &opts)
        .map(Some)
        .map_err(assay_failure)
}

/// A number with `d` decimals, `NA` for NaN or infinity.
pub fn fx(v: f64, d: usize) -> String {
    if v.is_finite() {
        format!("{v:.d$}")
    } else {
        "NA".into()
    }
}

/// A number for CSV: as Rust prints it, empty for NaN or infinity.
pub fn cv(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// An optional number for CSV.
pub fn cvo(v: Option<f64>) -> String {
    v.map_or(String::new(), cv)
}

/// A plain text table, indented by two spaces; `right[k]` right-aligns
/// column `k`.
pub fn render_table(headers: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let n = headers.len();
    let mut width: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (k, cell) in r.iter().enumerate().take(n) {
            width[k] = width[k].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::from(" ");
        for (k, cell) in cells.iter().enumerate() {
            let pad = width[k].saturating_sub(cell.chars().count());
            s.push(' ');
            if right.get(k).copied().unwrap_or(false) {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&" ".repeat(pad));
            }
            if k + 1 < cells.len() {
                s.push(' ');
            }
        }
        format!("{}\n", s.trim_end())
    };
    let mut out = line(headers.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// The per-condition summaries as a table: cell line, treatment (and dose),
/// number of experiments, mean ± SD, SEM and the per-experiment values.
pub fn conditions_text(conds: &[ConditionSummary], decimals: usize) -> String {
    let has_line = conds.iter().any(|c| !c.condition.cell_line.is_empty());
    let has_dose = conds.iter().any(|c| c.condition.dose.is_some());
    let mut headers = Vec::new();
    let mut right = Vec::new();
    if has_line {
        headers.push("cell line");
        right.push(false);
    }
    headers.push("treatment");
    right.push(false);
    if has_dose {
        headers.push("dose");
        right.push(true);
    }
    headers.extend(["n", "mean ± SD", "SEM", "per experiment"]);
    right.extend([true, true, true, false]);
    let rows: Vec<Vec<String>> = conds
        .iter()
        .map(|c| {
            let mut r = Vec::new();
            if has_line {
                r.push(c.condition.cell_line.clone());
            }
            r.push(c.condition.treatment.clone());
            if has_dose {
                r.push(c.condition.dose.map_or(String::new(), |d| format!("{d}")));
            }
            r.push(c.n_experiments.to_string());
            r.push(if c.sd.is_finite() {
                format!("{} ± {}", fx(c.mean, decimals), fx(c.sd, decimals))
            } else {
                fx(c.mean, decimals)
            });
            r.push(fx(c.sem, decimals));
            r.push(
                c.values
                    .iter()
                    .map(|v| fx(*v, decimals))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            r
        })
        .collect();
    render_table(&headers, &right, &rows)
}

fn test_name(t: CompareTest) -> &'static str {
    match t {
        CompareTest::Student => "Student t test",
        CompareTest::Welch => "Welch t test",
        CompareTest::Paired => "paired t test (experiments matched)",
    }
}

fn adjust_name(a: Option<PAdjustMethod>) -> &'static str {
    match a {
        None => "not adjusted",
        Some(PAdjustMethod::Holm) => "Holm-adjusted",
        Some(PAdjustMethod::Hochberg) => "Hochberg-adjusted",
        Some(PAdjustMethod::Bonferroni) => "Bonferroni-adjusted",
        Some(PAdjustMethod::BenjaminiHochberg) => "Benjamini-Hochberg FDR-adjusted",
        Some(PAdjustMethod::BenjaminiYekutieli) => "Benjamini-Yekutieli FDR-adjusted",
    }
}

/// `JIMT-1: Tz vs IgG` for two conditions of one cell line, else both
/// labels in full.
fn pair_label(r: &ComparisonRow) -> String {
    if let (Some((la, ta)), Some((lb, tb))) = (r.a.split_once(": "), r.b.split_once(": ")) {
        if la == lb {
            return format!("{la}: {ta} vs {tb}");
        }
    }
    format!("{} vs {}", r.a, r.b)
}

fn is_pitfall(r: &ComparisonRow) -> bool {
    r.one_sample.is_some() && r.warning.is_some()
}

/// The comparisons as a table, followed by their warnings, printed so that
/// they cannot be missed. `what` names the values ("viability (%)").
pub fn comparisons_text(set: &ComparisonSet, what: &str, decimals: usize) -> String {
    let mut s = format!(
        "Comparisons of {what}: {} on one value per experiment, {:.0}% CI of the difference, P {}\n",
        test_name(set.test),
        set.conf_level * 100.0,
        adjust_name(set.adjust)
    );
    if set.rows.is_empty() {
        s.push_str(
            "  (no comparison could be formed: no condition shares a cell line with the control)\n",
        );
        return s;
    }
    let any_pitfall = set.rows.iter().any(is_pitfall);
    let mut headers = vec!["comparison", "difference", "CI", "P"];
    let mut right = vec![false, true, true, true];
    if set.adjust.is_some() {
        headers.push("P adj");
        right.push(true);
    }
    if any_pitfall {
        headers.push("P one-sample");
        right.push(true);
    }
    headers.push("");
    right.push(false);
    let mut notes: Vec<String> = Vec::new();
    let rows: Vec<Vec<String>> = set
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![pair_label(r)];
            match &r.test {
                Some(t) => {
                    let diff = t.estimate - if t.groups.len() == 1 { t.mu } else { 0.0 };
                    let shift = diff - t.estimate;
                    row.push(fx(diff, decimals));
                    row.push(format!(
                        "{} to {}",
                        fx(t.lower + shift, decimals),
                        fx(t.upper + shift, decimals)
                    ));
                    row.push(pval(t.p));
                }
                None => row.extend(["not tested".to_string(), String::new(), String::new()]),
            }
            if set.adjust.is_some() {
                row.push(r.p_adjusted.map_or(String::new(), pval));
            }
            if any_pitfall {
                row.push(r.one_sample.as_ref().map_or(String::new(), |t| pval(t.p)));
            }
            let mut flag = String::new();
            if is_pitfall(r) {
                flag.push('!');
            } else if let Some(w) = &r.warning {
                notes.push(format!("{}: {w}", pair_label(r)));
                flag.push_str(&format!("[{}]", notes.len()));
            }
            if let Some(e) = &r.error {
                notes.push(format!("{}: not tested: {e}", pair_label(r)));
                flag.push_str(&format!("[{}]", notes.len()));
            }
            if !r.unpaired_experiments.is_empty() {
                notes.push(format!(
                    "{}: experiments without a partner left out of the paired test: {}",
                    pair_label(r),
                    r.unpaired_experiments.join(", ")
                ));
                flag.push_str(&format!("[{}]", notes.len()));
            }
            row.push(flag);
            row
        })
        .collect();
    s.push_str(&render_table(&headers, &right, &rows));
    let pitfalls: Vec<&ComparisonRow> = set.rows.iter().filter(|r| is_pitfall(r)).collect();
    if let Some(first) = pitfalls.first() {
        s.push_str(&format!(
            "\n!! WARNING: {} comparison(s) marked ! are against a control that every experiment is normalised to.\n!! {}: {}.\n",
            pitfalls.len(),
            pair_label(first),
            first.warning.as_deref().unwrap_or_default()
        ));
        if pitfalls.len() > 1 {
            s.push_str(&format!(
                "!! The same holds for: {}.\n",
                pitfalls[1..]
                    .iter()
                    .map(|r| pair_label(r))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        s.push_str("!! The column \"P one-sample\" gives the one-sample t test of the other condition against the control's constant value (not adjusted for multiplicity).\n");
    }
    if !notes.is_empty() {
        s.push('\n');
        for (k, n) in notes.iter().enumerate() {
            s.push_str(&format!("!! [{}] {n}\n", k + 1));
        }
    }
    s
}

/// The per-condition summaries as CSV, one row per condition; `extra`
/// adds leading columns (name, value) to every row.
pub fn conditions_csv(conds: &[ConditionSummary], extra: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (k, _) in extra {
        s.push_str(k);
        s.push(',');
    }
    s.push_str("cell_line,treatment,dose,n_experiments,mean,sd,sem\n");
    s.push_str(&conditions_csv_rows(conds, extra));
    s
}

/// The rows of [`conditions_csv`] without the header.
pub fn conditions_csv_rows(conds: &[ConditionSummary], extra: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for c in conds {
        for (_, v) in extra {
            s.push_str(&csv_field(v));
            s.push(',');
        }
        s.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            csv_field(&c.condition.cell_line),
            csv_field(&c.condition.treatment),
            cvo(c.condition.dose),
            c.n_experiments,
            cv(c.mean),
            cv(c.sd),
            cv(c.sem)
        ));
    }
    s
}

/// Notes of an analysis, printed prominently.
pub fn notes_text(notes: &[String]) -> String {
    let mut s = String::new();
    for n in notes {
        s.push_str(&format!("!! {n}\n"));
    }
    s
}
