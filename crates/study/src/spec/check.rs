//! Checking a spec: syntax, keys, types, settings, files, columns and
//! cells, every problem at once (see the [module docs](super)).

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use oncomark_data::{ColumnKind, FrameBuilder, ReadOptions, Table};
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::locate::{key_span, line_col, path_of, span_of};
use super::schema::strip_unknown;
use super::{resolve, Analysis, CheckedSpec, Problem, ResponseSource, Spec, SpecProblems, Tables};
use crate::endpoints::Endpoint;
use crate::ihc::{Combine, ScoreBins};
use crate::response::Response;
use crate::spec::{FactorType, IhcRule, MarkerKind, MarkerSpec};

struct Ctx<'a, 'i> {
    text: &'a str,
    root: &'a DeTable<'i>,
    problems: Vec<Problem>,
}

impl Ctx<'_, '_> {
    fn push(&mut self, key: &str, span: Option<Range<usize>>, message: String) {
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = line_col(self.text, s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        self.problems.push(Problem {
            key: key.to_string(),
            line,
            column,
            message,
        });
    }

    /// A problem with the value at `key`.
    fn at(&mut self, key: &str, message: impl Into<String>) {
        let span = span_of(self.root, key);
        self.push(key, span, message.into());
    }

    /// A problem with the key itself (a key that should not be there).
    fn at_key(&mut self, key: &str, message: impl Into<String>) {
        let span = key_span(self.root, key);
        self.push(key, span, message.into());
    }

    fn has(&self, key: &str) -> bool {
        let (parent, last) = match key.rsplit_once('.') {
            Some((p, l)) => (Some(p), l),
            None => (None, key),
        };
        let table = match parent {
            None => Some(self.root),
            Some(p) => match span_of(self.root, p) {
                Some(_) => find_table(self.root, p),
                None => None,
            },
        };
        table.is_some_and(|t| t.get(last).is_some())
    }
}

fn find_table<'a, 'i>(root: &'a DeTable<'i>, path: &str) -> Option<&'a DeTable<'i>> {
    let mut t = root;
    for part in path.split('.') {
        match t.get(part).map(|v| v.get_ref()) {
            Some(DeValue::Table(inner)) => t = inner,
            _ => return None,
        }
    }
    Some(t)
}

/// Read and check the spec file at `path`; see the [module docs](super).
///
/// # Errors
/// [`SpecProblems`] with every problem found (an unreadable spec file is
/// one problem).
pub fn check_file(path: &Path) -> Result<CheckedSpec, SpecProblems> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| SpecProblems {
        file: file.clone(),
        problems: vec![Problem {
            key: String::new(),
            line: None,
            column: None,
            message: format!("cannot read the spec file: {e}"),
        }],
    })?;
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    check_str(&text, &file, &base)
}

/// Check spec `text` (named `file` in messages) whose relative paths are
/// resolved against `base`.
///
/// # Errors
/// [`SpecProblems`] with every problem found.
///
/// # Example
/// ```
/// use oncomark_study::spec::check_str;
/// let text = "[marker]\nname = \"m\"\ntype = \"ihc\"\nbins = [0, 40, 10, 100]\nreaders = [\"r1\"]\ncutof = 3\n";
/// let err = check_str(text, "study.toml", std::path::Path::new(".")).unwrap_err();
/// let msg = err.to_string();
/// assert!(msg.contains("study.toml:6:1: marker.cutof: unknown key `cutof` in [marker]; did you mean `cutoff`?"));
/// assert!(msg.contains("marker.bins"));
/// assert!(msg.contains("missing [data]"));
/// ```
pub fn check_str(text: &str, file: &str, base: &Path) -> Result<CheckedSpec, SpecProblems> {
    let (mut root, errors) = DeTable::parse_recoverable(text);
    let fail = |problems: Vec<Problem>| SpecProblems {
        file: file.to_string(),
        problems,
    };
    if !errors.is_empty() {
        let mut ctx = Ctx {
            text,
            root: root.get_ref(),
            problems: Vec::new(),
        };
        for e in errors {
            ctx.push(
                "",
                e.span(),
                format!("TOML syntax: {}", e.message().trim_end()),
            );
        }
        return Err(fail(ctx.problems));
    }
    let unknown = strip_unknown(root.get_mut());
    let mut ctx = Ctx {
        text,
        root: root.get_ref(),
        problems: Vec::new(),
    };
    for u in unknown {
        ctx.push(&u.path, Some(u.span), u.message);
    }
    let (spec, marker) = sections(&mut ctx);
    let mut tables = None;
    match (&spec, &marker) {
        (Some(spec), _) => {
            settings(spec, &mut ctx);
            tables = inputs(spec, base, &mut ctx);
        }
        // a spec missing a required table: still check the marker's rule
        (None, Some(m)) => marker_settings(m, &mut ctx),
        (None, None) => {}
    }
    let mut problems = ctx.problems;
    problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
    match (spec, tables) {
        (Some(spec), Some(tables)) if problems.is_empty() => Ok(CheckedSpec {
            spec,
            text: text.to_string(),
            file: file.to_string(),
            base: base.to_path_buf(),
            tables,
        }),
        _ => Err(fail(problems)),
    }
}

// ---------------------------------------------------------------- types

fn section<T: DeserializeOwned>(ctx: &mut Ctx<'_, '_>, key: &str) -> Result<Option<T>, ()> {
    let Some(v) = ctx.root.get(key) else {
        return Ok(None);
    };
    let value: Spanned<DeValue<'_>> = v.clone();
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(t) => Ok(Some(t)),
        Err(e) => {
            let span = e.span().unwrap_or_else(|| v.span());
            let mut path = path_of(v, key, &span);
            let mut message = e.message().trim_end().to_string();
            if let Some(field) = between(&message, "missing field `", "`") {
                path = format!("{path}.{field}");
                message = format!("missing key `{field}`, which is required here");
            } else if let Some(bad) = between(&message, "unknown variant `", "`") {
                let allowed: Vec<String> = message
                    .split("expected ")
                    .nth(1)
                    .unwrap_or_default()
                    .split('`')
                    .enumerate()
                    .filter(|(i, _)| i % 2 == 1)
                    .map(|(_, s)| s.to_string())
                    .collect();
                if let Some(s) = oncomark_data::suggest(&bad, &allowed) {
                    message = format!("{message}; did you mean `{s}`?");
                }
            }
            ctx.push(&path, Some(span), message);
            Err(())
        }
    }
}

fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let a = s.find(start)? + start.len();
    let b = s[a..].find(end)? + a;
    Some(s[a..b].to_string())
}

fn sections(ctx: &mut Ctx<'_, '_>) -> (Option<Spec>, Option<MarkerSpec>) {
    let study = section(ctx, "study");
    let data = section(ctx, "data");
    let marker = section(ctx, "marker");
    let endpoints = section(ctx, "endpoints");
    let response = section(ctx, "response");
    let cohorts = section(ctx, "cohorts");
    let treatment = section(ctx, "treatment");
    let factors = section(ctx, "factors");
    let selection = section(ctx, "selection");
    let plan = section(ctx, "plan");
    let report = section(ctx, "report");
    for (key, what) in [
        (
            "data",
            "[data.patients] naming the patients table and its id column",
        ),
        ("marker", "[marker] with its name and type"),
        ("endpoints", "[endpoints] with at least one endpoint"),
    ] {
        if ctx.root.get(key).is_none() {
            ctx.push(
                key,
                None,
                format!("missing [{key}] table: the spec needs {what}"),
            );
        }
    }
    let marker: Option<MarkerSpec> = marker.ok().flatten();
    let spec = (|| {
        Some(Spec {
            study: study.ok()?.unwrap_or_default(),
            data: data.ok()??,
            marker: marker.clone()?,
            endpoints: endpoints.ok()??,
            response: response.ok()?,
            cohorts: cohorts.ok()?,
            treatment: treatment.ok()?,
            factors: factors.ok()?.unwrap_or_default(),
            selection: selection.ok()?.unwrap_or_default(),
            plan: plan.ok()?.unwrap_or_default(),
            report: report.ok()?.unwrap_or_default(),
        })
    })();
    (spec, marker)
}

// ------------------------------------------------------------- settings

/// The names of the endpoints a spec defines, in order.
pub(crate) fn endpoint_names(spec: &Spec) -> Vec<String> {
    let e = &spec.endpoints;
    e.derive
        .iter()
        .map(|d| d.name().to_string())
        .chain(e.given.iter().map(|g| g.name.clone()))
        .collect()
}

/// The term name of factor `f`.
pub(crate) fn factor_name(f: &super::FactorSpec) -> String {
    match (&f.name, f.cutoff) {
        (Some(n), _) => n.clone(),
        (None, Some(c)) => format!("{}>{}", f.column, c),
        (None, None) => f.column.clone(),
    }
}

fn prob(x: f64) -> bool {
    x > 0.0 && x <= 1.0
}

fn settings(spec: &Spec, ctx: &mut Ctx<'_, '_>) {
    marker_settings(&spec.marker, ctx);
    let d = &spec.data;
    for (key, delim) in [
        ("data.patients.delimiter", &d.patients.delimiter),
        (
            "data.ihc.delimiter",
            &d.ihc.as_ref().and_then(|i| i.delimiter.clone()),
        ),
        (
            "data.lesions.delimiter",
            &d.lesions.as_ref().and_then(|l| l.delimiter.clone()),
        ),
    ] {
        if let Some(s) = delim {
            if parse_delimiter(s).is_none() {
                ctx.at(
                    key,
                    format!("delimiter {s:?}: give one ASCII character such as \",\" \";\" \"|\" or the word \"tab\""),
                );
            }
        }
    }
    if d.ihc.is_some() && spec.marker.kind != MarkerKind::Ihc {
        ctx.at_key(
            "data.ihc",
            "[data.ihc] is only read for an IHC marker (marker.type = \"ihc\"); remove it or change the marker type",
        );
    }

    // endpoints
    let e = &spec.endpoints;
    let names = endpoint_names(spec);
    if names.is_empty() {
        ctx.at_key(
            "endpoints",
            "no endpoint: list endpoints to derive from dates (derive = [\"ttp\", \"os\"] with [endpoints.dates]) or give time and event columns ([[endpoints.given]])",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, n) in names.iter().enumerate() {
        if !seen.insert(n.clone()) {
            let key = if i < e.derive.len() {
                "endpoints.derive".to_string()
            } else {
                format!("endpoints.given[{}].name", i - e.derive.len() + 1)
            };
            ctx.at(&key, format!("endpoint `{n}` is defined twice"));
        }
    }
    for (i, g) in e.given.iter().enumerate() {
        let ok = !g.name.is_empty()
            && g.name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !ok {
            ctx.at(
                &format!("endpoints.given[{}].name", i + 1),
                format!(
                    "endpoint name {:?}: use letters, digits, `_` or `-` (it names output files)",
                    g.name
                ),
            );
        }
    }
    if !e.derive.is_empty() {
        match &e.dates {
            None => ctx.at_key(
                "endpoints.derive",
                "deriving endpoints needs [endpoints.dates] with the start, progression, death and last_follow_up columns",
            ),
            Some(dates) => {
                let needs = |ep: Endpoint| match ep {
                    Endpoint::Ttp => vec!["progression"],
                    Endpoint::Pfs => vec!["progression", "death"],
                    Endpoint::Os => vec!["death"],
                };
                let mut missing = BTreeSet::new();
                for ep in &e.derive {
                    for n in needs(*ep) {
                        let have = match n {
                            "progression" => dates.progression.is_some(),
                            _ => dates.death.is_some(),
                        };
                        if !have {
                            missing.insert((n, ep.name()));
                        }
                    }
                }
                for (col, ep) in missing {
                    ctx.at_key(
                        "endpoints.dates",
                        format!("endpoint `{ep}` needs the {col} date column: add `{col} = \"COLUMN\"` to [endpoints.dates]"),
                    );
                }
                if dates.last_follow_up.is_none() {
                    ctx.at_key(
                        "endpoints.dates",
                        "[endpoints.dates] needs last_follow_up (the date patients without an event are censored at)",
                    );
                }
            }
        }
    } else if e.dates.is_some() {
        ctx.at_key(
            "endpoints.dates",
            "[endpoints.dates] is given but no endpoint is derived from it: add derive = [\"ttp\", \"os\"] (any of ttp, pfs, os)",
        );
    }
    if let Some(p) = &e.primary {
        if !names.contains(p) {
            ctx.at(
                "endpoints.primary",
                format!(
                    "primary endpoint `{p}` is not defined; the endpoints are: {}",
                    names.join(", ")
                ),
            );
        }
    }

    // response
    if let Some(r) = &spec.response {
        match r.source {
            ResponseSource::Lesions => {
                if d.lesions.is_none() {
                    ctx.at(
                        "response.source",
                        "response from lesions needs the lesion table: add [data.lesions]",
                    );
                }
                if r.column.is_some() {
                    ctx.at_key(
                        "response.column",
                        "response.column is only used with source = \"recorded\"",
                    );
                }
            }
            ResponseSource::Recorded => {
                if r.column.is_none() {
                    ctx.at(
                        "response.source",
                        "recorded responses need the best-response column: add column = \"COLUMN\" to [response]",
                    );
                }
                for k in [
                    "criteria",
                    "confirm",
                    "confirm_min_days",
                    "sd_min_days",
                    "who_lesion_progression",
                ] {
                    if ctx.has(&format!("response.{k}")) {
                        ctx.at_key(
                            &format!("response.{k}"),
                            format!("response.{k} applies to lesion measurements only (source = \"lesions\"); recorded responses are taken as written"),
                        );
                    }
                }
            }
        }
        for (k, v) in [
            ("response.confirm_min_days", r.confirm_min_days),
            ("response.sd_min_days", r.sd_min_days),
        ] {
            if v.is_some_and(|v| v < 0) {
                ctx.at(k, "must be a number of days >= 0");
            }
        }
        if let Some(t) = r.early_progression {
            if !(t.is_finite() && t > 0.0) {
                ctx.at(
                    "response.early_progression",
                    "must be a time > 0 in the endpoints' unit",
                );
            }
        }
        if let Some(ep) = &r.early_progression_endpoint {
            if !names.contains(ep) {
                ctx.at(
                    "response.early_progression_endpoint",
                    format!(
                        "endpoint `{ep}` is not defined; the endpoints are: {}",
                        names.join(", ")
                    ),
                );
            }
        }
    }
    if d.lesions.is_some()
        && !spec
            .response
            .as_ref()
            .is_some_and(|r| r.source == ResponseSource::Lesions)
    {
        ctx.at_key(
            "data.lesions",
            "[data.lesions] is given but no response is derived from it: add [response] with source = \"lesions\"",
        );
    }

    // cohorts and treatment
    if let Some(c) = &spec.cohorts {
        if let Some(levels) = &c.levels {
            if levels.is_empty() {
                ctx.at("cohorts.levels", "list at least one cohort");
            }
            let set: BTreeSet<&String> = levels.iter().collect();
            if set.len() != levels.len() {
                ctx.at("cohorts.levels", "a cohort is listed twice");
            }
        }
    }
    if let Some(t) = &spec.treatment {
        if t.control.as_ref() == Some(&t.treated) {
            ctx.at(
                "treatment.control",
                "the control value equals the treated value",
            );
        }
    }

    // factors
    let mut fnames = BTreeSet::new();
    for (i, f) in spec.factors.iter().enumerate() {
        let key = |k: &str| format!("factors[{}].{k}", i + 1);
        let name = factor_name(f);
        if !fnames.insert(name.clone()) {
            ctx.at(
                &key("column"),
                format!("factor `{name}` is listed twice; give one of them another name"),
            );
        }
        if name == spec.marker.name {
            ctx.at(
                &key("column"),
                format!("factor `{name}` has the marker's name; name it otherwise"),
            );
        }
        if let Some(c) = f.cutoff {
            if !c.is_finite() {
                ctx.at(&key("cutoff"), "the cutoff must be a finite number");
            }
            if f.kind == Some(FactorType::Categorical) {
                ctx.at_key(
                    &key("cutoff"),
                    "a cutoff dichotomises a numeric column; remove it or set type = \"numeric\"",
                );
            }
        }
        if f.reference.is_some() && (f.cutoff.is_some() || f.kind == Some(FactorType::Numeric)) {
            ctx.at_key(
                &key("reference"),
                "a reference level applies to a categorical factor only",
            );
        }
    }

    // selection
    let s = &spec.selection;
    for (k, v) in [
        ("selection.entry", s.entry),
        ("selection.stay", s.stay),
        ("selection.screen_p", s.screen_p),
    ] {
        if !prob(v) {
            ctx.at(
                k,
                format!("{v} is not a significance level in (0, 1], e.g. 0.05"),
            );
        }
    }
    let model_names: Vec<String> = std::iter::once(spec.marker.name.clone())
        .chain(spec.factors.iter().filter(|f| f.models).map(factor_name))
        .collect();
    for (i, inc) in s.include.iter().enumerate() {
        if !model_names.contains(inc) {
            let hint = oncomark_data::suggest(inc, &model_names)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            ctx.at(
                &format!("selection.include[{}]", i + 1),
                format!(
                    "`{inc}` is not a model term; {hint}the terms are: {}",
                    model_names.join(", ")
                ),
            );
        }
    }

    // plan
    let p = &spec.plan;
    if let Some(a) = &p.analyses {
        if a.is_empty() {
            ctx.at(
                "plan.analyses",
                "list at least one analysis (or remove the key to run all)",
            );
        }
        let set: BTreeSet<&Analysis> = a.iter().collect();
        if set.len() != a.len() {
            ctx.at("plan.analyses", "an analysis is listed twice");
        }
        for an in a {
            let why = match an {
                Analysis::Ihc if spec.marker.kind != MarkerKind::Ihc => {
                    Some("the IHC analysis needs an IHC marker (marker.type = \"ihc\")")
                }
                Analysis::Response if spec.response.is_none() => {
                    Some("the response analysis needs a [response] table")
                }
                Analysis::Interaction if spec.treatment.is_none() => {
                    Some("the interaction analysis needs a [treatment] table")
                }
                _ => None,
            };
            if let Some(w) = why {
                ctx.at("plan.analyses", format!("`{}`: {w}", an.name()));
            }
        }
    }
    for (i, &t) in p.landmarks.iter().enumerate() {
        if !(t.is_finite() && t > 0.0) {
            ctx.at(
                &format!("plan.landmarks[{}]", i + 1),
                format!("landmark {t}: a landmark is a time > 0 in the endpoints' unit"),
            );
        }
    }
    if !(p.conf_level > 0.0 && p.conf_level < 1.0) {
        ctx.at(
            "plan.conf_level",
            format!(
                "{} is not a confidence level in (0, 1), e.g. 0.95",
                p.conf_level
            ),
        );
    }
}

fn marker_settings(m: &MarkerSpec, ctx: &mut Ctx<'_, '_>) {
    if m.name.trim().is_empty() {
        ctx.at("marker.name", "give the marker a name");
    }
    let only = |k: &str| -> Option<&'static str> {
        match k {
            "rule" | "readers" | "reader_names" | "bins" | "combine" | "adjudicated"
            | "adjudicated_scale" | "consensus" | "consensus_scale" | "weak" | "moderate"
            | "strong" | "intensity" => Some("ihc"),
            "positive" => Some("continuous"),
            "max_score" => Some("score"),
            _ => None,
        }
    };
    let kind = match m.kind {
        MarkerKind::Ihc => "ihc",
        MarkerKind::Continuous => "continuous",
        MarkerKind::Score => "score",
    };
    for k in [
        "rule",
        "readers",
        "reader_names",
        "bins",
        "combine",
        "adjudicated",
        "adjudicated_scale",
        "consensus",
        "consensus_scale",
        "weak",
        "moderate",
        "strong",
        "intensity",
        "positive",
        "max_score",
    ] {
        let key = format!("marker.{k}");
        if ctx.has(&key) && only(k) != Some(kind) {
            ctx.at_key(
                &key,
                format!(
                    "marker.{k} applies to type = \"{}\" only; this marker is type = \"{kind}\"",
                    only(k).unwrap_or_default()
                ),
            );
        }
    }
    if ctx.has("marker.cutoff") && m.kind == MarkerKind::Score {
        ctx.at_key(
            "marker.cutoff",
            "marker.cutoff applies to type = \"continuous\" and to the IHC rules \"h-score\" and \"allred\"; a score marker is positive from positive_from",
        );
    }
    let has_column = m.column.is_some();
    if ctx.has("marker.positive_from") && m.kind == MarkerKind::Continuous {
        ctx.at_key(
            "marker.positive_from",
            "marker.positive_from applies to IHC and score markers; a continuous marker is positive by cutoff and positive",
        );
    }
    match m.kind {
        MarkerKind::Ihc => {
            if has_column {
                ctx.at_key(
                    "marker.column",
                    "an IHC marker reads its percents from marker.readers; marker.column is for continuous and score markers",
                );
            }
            match m.rule.unwrap_or_default() {
                IhcRule::PercentBins => percent_bins_settings(m, ctx),
                rule => ihc_rule_settings(m, rule, ctx),
            }
        }
        MarkerKind::Continuous => {
            if !has_column {
                ctx.at_key("marker", "a continuous marker needs column = \"COLUMN\"");
            }
            match m.cutoff {
                None => ctx.at_key(
                    "marker",
                    "a continuous marker needs cutoff = NUMBER (positive = \"above\" makes value > cutoff positive)",
                ),
                Some(c) if !c.is_finite() => ctx.at("marker.cutoff", "the cutoff must be a finite number"),
                _ => {}
            }
        }
        MarkerKind::Score => {
            if !has_column {
                ctx.at_key("marker", "a score marker needs column = \"COLUMN\"");
            }
            let max = m.max_score.unwrap_or(3);
            if max == 0 {
                ctx.at("marker.max_score", "the largest score must be at least 1");
            }
            let pf = m.positive_from.unwrap_or(3);
            if pf == 0 || pf > max {
                ctx.at(
                    "marker.positive_from",
                    format!("positive_from = {pf} is not a score from 1 to max_score = {max}"),
                );
            }
        }
    }
    if let (Some(a), Some(b)) = (&m.negative_label, &m.positive_label) {
        if a == b {
            ctx.at(
                "marker.positive_label",
                "the two groups need different labels",
            );
        }
    }
}

/// `[marker]` of an IHC marker scored by percent bins (the default rule).
fn percent_bins_settings(m: &MarkerSpec, ctx: &mut Ctx<'_, '_>) {
    for k in ["weak", "moderate", "strong", "intensity", "cutoff"] {
        let key = format!("marker.{k}");
        if ctx.has(&key) {
            let why = match k {
                "intensity" => "the rule = \"allred\"",
                "cutoff" => "the rules \"h-score\" and \"allred\"; the percent-bins rule is positive from positive_from (a score of the bins)",
                _ => "the rule = \"h-score\"",
            };
            ctx.at_key(
                &key,
                format!("marker.{k} applies to {why}; this marker's rule is \"percent-bins\" (the default): set rule = \"h-score\" or \"allred\", or remove the key"),
            );
        }
    }
    match &m.readers {
        None => ctx.at_key(
            "marker",
            "an IHC marker needs readers = [\"COLUMN\", ...]: the column of each reader's percent of stained cells",
        ),
        Some(r) if r.is_empty() => ctx.at("marker.readers", "name at least one reader column"),
        Some(r) => reader_names_match(m, r.len(), "reader columns", ctx),
    }
    let bins = m
        .bins
        .clone()
        .unwrap_or_else(|| vec![0.0, 10.0, 40.0, 100.0]);
    match ScoreBins::new(bins) {
        Err(e) => ctx.at("marker.bins", e.to_string()),
        Ok(b) => {
            let pf = m.positive_from.unwrap_or(3);
            if pf == 0 || pf > b.max_score() {
                ctx.at(
                    "marker.positive_from",
                    format!(
                        "positive_from = {pf} is not a score of these bins (scores 1..={}); positivity needs at least one negative and one positive score",
                        b.max_score()
                    ),
                );
            }
        }
    }
    if m.combine == Some(Combine::Consensus) && m.consensus.is_none() {
        ctx.at(
            "marker.combine",
            "combine = \"consensus\" needs the consensus column: add consensus = \"COLUMN\"",
        );
    }
    if m.adjudicated_scale.is_some() && m.adjudicated.is_none() {
        ctx.at_key(
            "marker.adjudicated_scale",
            "given without marker.adjudicated",
        );
    }
    if m.consensus_scale.is_some() && m.consensus.is_none() {
        ctx.at_key("marker.consensus_scale", "given without marker.consensus");
    }
}

fn reader_names_match(m: &MarkerSpec, n: usize, what: &str, ctx: &mut Ctx<'_, '_>) {
    if let Some(names) = &m.reader_names {
        if names.len() != n {
            ctx.at(
                "marker.reader_names",
                format!(
                    "{} names for {n} {what}; give one name per reader",
                    names.len()
                ),
            );
        }
    }
}

/// `[marker]` of an IHC marker scored by H-score or Allred.
fn ihc_rule_settings(m: &MarkerSpec, rule: IhcRule, ctx: &mut Ctx<'_, '_>) {
    let name = rule.name();
    for k in [
        "bins",
        "combine",
        "positive_from",
        "adjudicated",
        "adjudicated_scale",
        "consensus",
        "consensus_scale",
    ] {
        let key = format!("marker.{k}");
        if ctx.has(&key) {
            let how = if k == "positive_from" {
                "; positivity is set by cutoff"
            } else {
                ""
            };
            ctx.at_key(
                &key,
                format!("marker.{k} applies to rule = \"percent-bins\" only; this marker's rule is \"{name}\"{how}"),
            );
        }
    }
    let (needed, foreign): (&[&str], &[&str]) = match rule {
        IhcRule::HScore => (&["weak", "moderate", "strong"], &["readers", "intensity"]),
        _ => (&["readers", "intensity"], &["weak", "moderate", "strong"]),
    };
    for k in foreign {
        let key = format!("marker.{k}");
        if ctx.has(&key) {
            let instead = match rule {
                IhcRule::HScore => "the h-score rule reads weak, moderate and strong (one column per reader each)",
                _ => "the allred rule reads readers (percent of positive cells) and intensity (one column per reader each)",
            };
            ctx.at_key(
                &key,
                format!("marker.{k} is not used by rule = \"{name}\": {instead}"),
            );
        }
    }
    let lists: Vec<(&str, &Option<Vec<String>>)> = needed
        .iter()
        .map(|&k| {
            let v = match k {
                "weak" => &m.weak,
                "moderate" => &m.moderate,
                "strong" => &m.strong,
                "readers" => &m.readers,
                _ => &m.intensity,
            };
            (k, v)
        })
        .collect();
    let mut lengths = Vec::new();
    for (k, v) in &lists {
        let what = match *k {
            "weak" => "percent of weakly stained cells (0-100)",
            "moderate" => "percent of moderately stained cells (0-100)",
            "strong" => "percent of strongly stained cells (0-100)",
            "readers" => "percent of positive tumour cells (0-100)",
            _ => "intensity score (0 none, 1 weak, 2 intermediate, 3 strong)",
        };
        match v {
            None => ctx.at_key(
                "marker",
                format!("rule = \"{name}\" needs {k} = [\"COLUMN\", ...]: the column of each reader's {what}"),
            ),
            Some(l) if l.is_empty() => ctx.at(&format!("marker.{k}"), "name at least one column (one per reader)"),
            Some(l) => lengths.push((*k, l.len())),
        }
    }
    if let Some(&(k0, n0)) = lengths.first() {
        for &(k, n) in &lengths[1..] {
            if n != n0 {
                ctx.at(
                    &format!("marker.{k}"),
                    format!("{n} columns in marker.{k} but {n0} in marker.{k0}: give one column per reader in each, in the same reader order"),
                );
            }
        }
        reader_names_match(m, n0, &format!("readers (columns of marker.{k0})"), ctx);
    }
    match (rule, m.cutoff) {
        (IhcRule::HScore, None) => ctx.at_key(
            "marker",
            "rule = \"h-score\" needs cutoff = NUMBER (0-300): a case is positive when its H-score (readers averaged) is >= the cutoff",
        ),
        (IhcRule::HScore, Some(c)) if !(c.is_finite() && c > 0.0 && c <= 300.0) => ctx.at(
            "marker.cutoff",
            format!("cutoff = {c} is not an H-score cutoff: give a number in (0, 300] (positive = H-score >= cutoff)"),
        ),
        (IhcRule::Allred, Some(c)) if !(c.fract() == 0.0 && (1.0..=8.0).contains(&c)) => ctx.at(
            "marker.cutoff",
            format!("cutoff = {c} is not an Allred total: give a whole number from 1 to 8 (positive = total >= cutoff; 3 is Harvey et al. 1999's, the default)"),
        ),
        _ => {}
    }
}

pub(crate) fn parse_delimiter(s: &str) -> Option<u8> {
    match s {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        d if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        _ => None,
    }
}

// --------------------------------------------------------------- inputs

struct Read<'s> {
    key: String,
    file: &'s str,
    sheet: &'s Option<String>,
    delimiter: &'s Option<String>,
    decimal_comma: bool,
}

fn read_table(r: &Read<'_>, base: &Path, ctx: &mut Ctx<'_, '_>) -> Option<Table> {
    let opts = ReadOptions {
        delimiter: r.delimiter.as_deref().and_then(parse_delimiter),
        decimal_comma: r.decimal_comma,
        sheet: r.sheet.clone(),
    };
    let path = resolve(base, r.file);
    match Table::read(&path, &opts) {
        Ok(t) => Some(t),
        Err(e) => {
            let hint = if path.exists() {
                String::new()
            } else {
                format!(
                    " (paths in the spec are relative to its folder, {})",
                    base.display()
                )
            };
            ctx.at(&r.key, format!("{e}{hint}"));
            None
        }
    }
}

/// Check that `col` is a column of `t`; report at `key` with the nearest
/// name when not.
fn column(t: &Table, col: &str, key: &str, ctx: &mut Ctx<'_, '_>) -> bool {
    if t.position(col).is_some() {
        return true;
    }
    let names = t.names().to_vec();
    let hint = match oncomark_data::suggest(col, &names) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("its columns are: {}", names.join(", ")),
    };
    ctx.at(
        key,
        format!("column `{col}` is not in {}; {hint}", t.file()),
    );
    false
}

fn numeric(t: &Table, col: &str, key: &str, range: Option<(f64, f64)>, ctx: &mut Ctx<'_, '_>) {
    if !column(t, col, key, ctx) {
        return;
    }
    let Ok(c) = t.column(col) else { return };
    let ci = t.position(col).unwrap_or(0);
    for row in 0..c.len() {
        let Some(text) = c.text(row) else { continue };
        let bad = match c.number(row) {
            None => Some("is not a number".to_string()),
            Some(v) if !v.is_finite() => Some("is not a finite number".to_string()),
            Some(v) => match range {
                Some((lo, hi)) if !(lo..=hi).contains(&v) => Some(format!("is outside {lo}-{hi}")),
                _ => None,
            },
        };
        if let Some(why) = bad {
            ctx.at(
                key,
                format!(
                    "{}, {}, column `{col}`: {text:?} {why}",
                    t.file(),
                    t.place(row, ci)
                ),
            );
            return;
        }
    }
}

fn dates(t: &Table, col: &str, key: &str, format: &str, ctx: &mut Ctx<'_, '_>) {
    if !column(t, col, key, ctx) {
        return;
    }
    let Ok(c) = t.column(col) else { return };
    let ci = t.position(col).unwrap_or(0);
    for row in 0..c.len() {
        let Some(text) = c.text(row) else { continue };
        if NaiveDate::parse_from_str(text, format).is_err() {
            ctx.at(
                key,
                format!(
                    "{}, {}, column `{col}`: {text:?} is not a date in the format {format:?} (set date_format in the table's [data.*] section)",
                    t.file(),
                    t.place(row, ci)
                ),
            );
            return;
        }
    }
}

fn values_present(t: &Table, col: &str, values: &[(String, String)], ctx: &mut Ctx<'_, '_>) {
    let Ok(c) = t.column(col) else { return };
    let levels = c.levels();
    for (key, v) in values {
        if !levels.iter().any(|l| l == v) {
            let hint = match oncomark_data::suggest(v, &levels) {
                Some(s) => format!("did you mean {s:?}? "),
                None => String::new(),
            };
            ctx.at(
                key,
                format!(
                    "{v:?} does not occur in column `{col}` of {}; {hint}its values are: {}",
                    t.file(),
                    levels.join(", ")
                ),
            );
        }
    }
}

fn flag_column(t: &Table, col: &str, key: &str, ctx: &mut Ctx<'_, '_>) {
    if !column(t, col, key, ctx) {
        return;
    }
    let Ok(c) = t.column(col) else { return };
    let ci = t.position(col).unwrap_or(0);
    for row in 0..c.len() {
        let Some(text) = c.text(row) else { continue };
        if parse_flag(text).is_none() {
            ctx.at(
                key,
                format!(
                    "{}, {}, column `{col}`: {text:?} is not a flag; use 1/0, true/false or yes/no",
                    t.file(),
                    t.place(row, ci)
                ),
            );
            return;
        }
    }
}

/// 1/0, true/false, yes/no (case-insensitive; `1.0` counts as 1).
pub(crate) fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" => Some(true),
        "0" | "false" | "no" | "n" => Some(false),
        other => match other.parse::<f64>() {
            Ok(1.0) => Some(true),
            Ok(0.0) => Some(false),
            _ => None,
        },
    }
}

fn inputs(spec: &Spec, base: &Path, ctx: &mut Ctx<'_, '_>) -> Option<Tables> {
    let d = &spec.data;
    let patients = read_table(
        &Read {
            key: "data.patients.file".into(),
            file: &d.patients.file,
            sheet: &d.patients.sheet,
            delimiter: &d.patients.delimiter,
            decimal_comma: d.patients.decimal_comma,
        },
        base,
        ctx,
    );
    let ihc = d.ihc.as_ref().and_then(|i| {
        i.file.as_ref().map(|f| {
            read_table(
                &Read {
                    key: "data.ihc.file".into(),
                    file: f,
                    sheet: &i.sheet,
                    delimiter: &i.delimiter,
                    decimal_comma: i.decimal_comma,
                },
                base,
                ctx,
            )
        })
    });
    let lesions = d.lesions.as_ref().map(|l| {
        read_table(
            &Read {
                key: "data.lesions.file".into(),
                file: &l.file,
                sheet: &l.sheet,
                delimiter: &l.delimiter,
                decimal_comma: l.decimal_comma,
            },
            base,
            ctx,
        )
    });

    if let Some(p) = &patients {
        patient_columns(spec, p, ctx);
        let ihc_table = match &ihc {
            Some(Some(t)) => Some(t),
            Some(None) => None,
            None => Some(p),
        };
        if let (Some(t), MarkerKind::Ihc) = (ihc_table, spec.marker.kind) {
            ihc_columns(spec, t, ihc.is_some(), ctx);
        }
    }
    if let (Some(Some(t)), Some(l)) = (&lesions, &d.lesions) {
        let k = |s: &str| format!("data.lesions.{s}");
        column(t, &l.id, &k("id"), ctx);
        dates(t, &l.date, &k("date"), &l.date_format, ctx);
        column(t, &l.lesion, &k("lesion"), ctx);
        numeric(t, &l.longest_diameter, &k("longest_diameter"), None, ctx);
        if let Some(c) = &l.perpendicular_diameter {
            numeric(t, c, &k("perpendicular_diameter"), None, ctx);
        }
        if let Some(c) = &l.short_axis {
            numeric(t, c, &k("short_axis"), None, ctx);
        }
        flag_column(t, &l.target, &k("target"), ctx);
        if let Some(c) = &l.lymph_node {
            flag_column(t, c, &k("lymph_node"), ctx);
        }
        if let Some(c) = &l.new_lesion {
            flag_column(t, c, &k("new_lesion"), ctx);
        }
    }
    Some(Tables {
        patients: patients?,
        ihc: match ihc {
            Some(t) => Some(t?),
            None => None,
        },
        lesions: match lesions {
            Some(t) => Some(t?),
            None => None,
        },
    })
}

fn ids(t: &Table, col: &str, key: &str, unique: bool, ctx: &mut Ctx<'_, '_>) {
    if !column(t, col, key, ctx) {
        return;
    }
    let Ok(c) = t.column(col) else { return };
    let ci = t.position(col).unwrap_or(0);
    let mut seen = BTreeSet::new();
    for row in 0..c.len() {
        match c.text(row) {
            None => {
                ctx.at(
                    key,
                    format!(
                        "{}, {}: the id column `{col}` is empty; every row needs an id",
                        t.file(),
                        t.place(row, ci)
                    ),
                );
                return;
            }
            Some(id) if unique && !seen.insert(id.to_string()) => {
                ctx.at(
                    key,
                    format!(
                        "{}, {}: id {id:?} appears more than once in column `{col}`; give one row per patient",
                        t.file(),
                        t.place(row, ci)
                    ),
                );
                return;
            }
            _ => {}
        }
    }
}

fn patient_columns(spec: &Spec, p: &Table, ctx: &mut Ctx<'_, '_>) {
    let d = &spec.data.patients;
    if let Some(id) = &d.id {
        ids(p, id, "data.patients.id", true, ctx);
    }
    let m = &spec.marker;
    match m.kind {
        MarkerKind::Continuous => {
            if let Some(c) = &m.column {
                numeric(p, c, "marker.column", None, ctx);
            }
        }
        MarkerKind::Score => {
            if let Some(c) = &m.column {
                let max = f64::from(m.max_score.unwrap_or(3));
                numeric(p, c, "marker.column", Some((0.0, max)), ctx);
            }
        }
        MarkerKind::Ihc => {}
    }
    let e = &spec.endpoints;
    if let (false, Some(dt)) = (e.derive.is_empty(), &e.dates) {
        let fmt = &d.date_format;
        dates(p, &dt.start, "endpoints.dates.start", fmt, ctx);
        for (k, c) in [
            ("progression", &dt.progression),
            ("death", &dt.death),
            ("last_follow_up", &dt.last_follow_up),
        ] {
            if let Some(c) = c {
                dates(p, c, &format!("endpoints.dates.{k}"), fmt, ctx);
            }
        }
    }
    for (i, g) in e.given.iter().enumerate() {
        let key = |k: &str| format!("endpoints.given[{}].{k}", i + 1);
        let mut fb = FrameBuilder::new(p);
        if column(p, &g.time, &key("time"), ctx) {
            if let Err(err) = fb.time(&g.time) {
                ctx.at(&key("time"), err.to_string());
            }
        }
        if column(p, &g.event, &key("event"), ctx) {
            if let Err(err) = fb.event(&g.event, g.event_value.as_deref()) {
                let k = if g.event_value.is_some() {
                    key("event_value")
                } else {
                    key("event")
                };
                ctx.at(&k, err.to_string());
            }
        }
    }
    if let Some(r) = &spec.response {
        if let (ResponseSource::Recorded, Some(c)) = (r.source, &r.column) {
            if column(p, c, "response.column", ctx) {
                if let Ok(col) = p.column(c) {
                    let ci = p.position(c).unwrap_or(0);
                    if let Some(row) = (0..col.len())
                        .find(|&r| col.text(r).is_some_and(|v| Response::parse(v).is_none()))
                    {
                        ctx.at(
                            "response.column",
                            format!(
                                "{}, {}, column `{c}`: {:?} is not a response; use CR, PR, SD, PD or NE (or the long forms)",
                                p.file(),
                                p.place(row, ci),
                                col.text(row).unwrap_or_default()
                            ),
                        );
                    }
                }
            }
        }
    }
    if let Some(c) = &spec.cohorts {
        if column(p, &c.column, "cohorts.column", ctx) {
            if let Some(levels) = &c.levels {
                let vals: Vec<(String, String)> = levels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (format!("cohorts.levels[{}]", i + 1), l.clone()))
                    .collect();
                values_present(p, &c.column, &vals, ctx);
            }
        }
    }
    if let Some(t) = &spec.treatment {
        if column(p, &t.column, "treatment.column", ctx) {
            let mut vals = vec![("treatment.treated".to_string(), t.treated.clone())];
            if let Some(c) = &t.control {
                vals.push(("treatment.control".to_string(), c.clone()));
            }
            values_present(p, &t.column, &vals, ctx);
        }
    }
    for (i, f) in spec.factors.iter().enumerate() {
        let key = |k: &str| format!("factors[{}].{k}", i + 1);
        if !column(p, &f.column, &key("column"), ctx) {
            continue;
        }
        let Ok(col) = p.column(&f.column) else {
            continue;
        };
        let numeric_col = col.kind() == ColumnKind::Numeric;
        if f.cutoff.is_some() || matches!(f.kind, Some(FactorType::Numeric)) {
            numeric(p, &f.column, &key("column"), None, ctx);
        }
        if f.kind == Some(FactorType::Binary) && f.cutoff.is_none() {
            let levels = col.levels();
            if levels.len() > 2 {
                ctx.at(
                    &key("type"),
                    format!(
                        "column `{}` has {} values ({}); a binary factor has two (or give a cutoff)",
                        f.column,
                        levels.len(),
                        levels.join(", ")
                    ),
                );
            }
        }
        if let Some(r) = &f.reference {
            if !numeric_col
                || f.kind == Some(FactorType::Categorical)
                || f.kind == Some(FactorType::Binary)
            {
                values_present(p, &f.column, &[(key("reference"), r.clone())], ctx);
            } else {
                ctx.at_key(
                    &key("reference"),
                    format!(
                        "column `{}` holds numbers; set type = \"categorical\" to give it a reference level",
                        f.column
                    ),
                );
            }
        }
    }
}

fn ihc_columns(spec: &Spec, t: &Table, own_table: bool, ctx: &mut Ctx<'_, '_>) {
    let m = &spec.marker;
    if own_table {
        let own = spec.data.ihc.as_ref().and_then(|i| i.id.clone());
        match (own, &spec.data.patients.id) {
            (Some(id), _) => ids(t, &id, "data.ihc.id", true, ctx),
            (None, Some(id)) => ids(t, id, "data.patients.id", true, ctx),
            (None, None) => ctx.at_key(
                "data.ihc",
                "a separate IHC table needs an id column to match its rows to patients: give id = \"COLUMN\" here or in [data.patients]",
            ),
        }
    }
    if let Some(readers) = &m.readers {
        for (i, r) in readers.iter().enumerate() {
            numeric(
                t,
                r,
                &format!("marker.readers[{}]", i + 1),
                Some((0.0, 100.0)),
                ctx,
            );
        }
    }
    match m.rule.unwrap_or_default() {
        IhcRule::PercentBins => {}
        IhcRule::HScore => {
            h_score_cells(spec, t, own_table, ctx);
            return;
        }
        IhcRule::Allred => {
            allred_cells(spec, t, own_table, ctx);
            return;
        }
    }
    let bins_max = m
        .bins
        .as_ref()
        .map_or(3.0, |b| b.len().saturating_sub(1) as f64);
    for (key, col, scale) in [
        ("marker.adjudicated", &m.adjudicated, m.adjudicated_scale),
        ("marker.consensus", &m.consensus, m.consensus_scale),
    ] {
        if let Some(c) = col {
            let range = match scale.unwrap_or_default() {
                super::ReadingScale::Score => (0.0, bins_max),
                super::ReadingScale::Percent => (0.0, 100.0),
            };
            numeric(t, c, key, Some(range), ctx);
        }
    }
}

/// The id of the case in row `row` of the IHC table `t`, for messages.
fn case_id(spec: &Spec, t: &Table, own_table: bool, row: usize) -> String {
    let id = if own_table {
        spec.data
            .ihc
            .as_ref()
            .and_then(|i| i.id.clone())
            .or_else(|| spec.data.patients.id.clone())
    } else {
        spec.data.patients.id.clone()
    };
    match id.and_then(|c| {
        t.column(&c)
            .ok()
            .and_then(|c| c.text(row).map(str::to_string))
    }) {
        Some(id) => format!("case {id:?}"),
        None => format!("case {} (row number)", row + 1),
    }
}

/// The reader's name for messages: its `reader_names` entry, else `reader N`.
fn reader_name(m: &MarkerSpec, i: usize) -> String {
    match m.reader_names.as_ref().and_then(|n| n.get(i)) {
        Some(n) => format!("reader {n:?}"),
        None => format!("reader {}", i + 1),
    }
}

/// H-score cells: every percent 0-100, a reader's three percents all given
/// or all empty, and summing to at most 100 (first bad row per reader).
fn h_score_cells(spec: &Spec, t: &Table, own_table: bool, ctx: &mut Ctx<'_, '_>) {
    let m = &spec.marker;
    let (Some(w), Some(md), Some(s)) = (&m.weak, &m.moderate, &m.strong) else {
        return;
    };
    let mut bad_reader = BTreeSet::new();
    for (k, list) in [("weak", w), ("moderate", md), ("strong", s)] {
        for (i, c) in list.iter().enumerate() {
            let before = ctx.problems.len();
            numeric(
                t,
                c,
                &format!("marker.{k}[{}]", i + 1),
                Some((0.0, 100.0)),
                ctx,
            );
            if ctx.problems.len() > before {
                bad_reader.insert(i);
            }
        }
    }
    for i in 0..w.len().min(md.len()).min(s.len()) {
        if bad_reader.contains(&i) {
            continue;
        }
        let cols = [&w[i], &md[i], &s[i]];
        let Some(cs) = cols
            .iter()
            .map(|c| t.column(c).ok())
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let key = format!("marker.weak[{}]", i + 1);
        let names = format!("`{}` + `{}` + `{}`", cols[0], cols[1], cols[2]);
        for row in 0..t.n_rows() {
            let v: Vec<Option<f64>> = cs.iter().map(|c| c.number(row)).collect();
            let present = v.iter().flatten().count();
            let place = || {
                format!(
                    "{}, {}, {}, {}",
                    t.file(),
                    t.place(row, t.position(cols[0]).unwrap_or(0)),
                    case_id(spec, t, own_table, row),
                    reader_name(m, i)
                )
            };
            if present != 0 && present != 3 {
                ctx.at(
                    &key,
                    format!("{}: columns {names}: give all three percents (0 where no cell stains at that intensity) or leave all three empty (not read)", place()),
                );
                break;
            }
            if present == 3 {
                let total: f64 = v.iter().flatten().sum();
                if total > 100.0 + 1e-9 {
                    let parts: Vec<String> = v.iter().flatten().map(|x| x.to_string()).collect();
                    ctx.at(
                        &key,
                        format!(
                            "{}: columns {names} = {} = {total} %: weak, moderate and strong cells are shares of the same tumour cells and add up to at most 100 %",
                            place(),
                            parts.join(" + ")
                        ),
                    );
                    break;
                }
            }
        }
    }
}

/// Allred cells: percents 0-100, intensities whole numbers 0-3, and the two
/// consistent (positive cells need an intensity 1-3, no positive cell an
/// intensity 0; first bad row per reader).
fn allred_cells(spec: &Spec, t: &Table, own_table: bool, ctx: &mut Ctx<'_, '_>) {
    let m = &spec.marker;
    let (Some(p), Some(ints)) = (&m.readers, &m.intensity) else {
        return;
    };
    for (i, ic) in ints.iter().enumerate() {
        let key = format!("marker.intensity[{}]", i + 1);
        if !column(t, ic, &key, ctx) {
            continue;
        }
        let Ok(c) = t.column(ic) else { continue };
        let ci = t.position(ic).unwrap_or(0);
        let place = |row: usize| {
            format!(
                "{}, {}, column `{ic}`, {}, {}",
                t.file(),
                t.place(row, ci),
                case_id(spec, t, own_table, row),
                reader_name(m, i)
            )
        };
        let bad = (0..c.len()).find(|&r| {
            c.text(r).is_some()
                && !c
                    .number(r)
                    .is_some_and(|v| v.fract() == 0.0 && (0.0..=3.0).contains(&v))
        });
        if let Some(row) = bad {
            ctx.at(
                &key,
                format!(
                    "{}: {:?} is not an Allred intensity score; use a whole number 0 (none), 1 (weak), 2 (intermediate) or 3 (strong)",
                    place(row),
                    c.text(row).unwrap_or_default()
                ),
            );
            continue;
        }
        let Some(pc) = p.get(i).and_then(|pc| t.column(pc).ok()) else {
            continue;
        };
        if ctx
            .problems
            .iter()
            .any(|x| x.key == format!("marker.readers[{}]", i + 1))
        {
            continue;
        }
        let pname = &p[i];
        for row in 0..t.n_rows() {
            let why = match (pc.number(row), c.number(row)) {
                (None, None) => None,
                // no positive cell: the intensity may be left empty
                (Some(0.0), None) => None,
                (Some(v), None) => Some(format!(
                    "{v} % positive in `{pname}` but no intensity: give the intensity of the positive cells (1-3)"
                )),
                (None, Some(x)) => Some(format!(
                    "intensity {x} but no percent in `{pname}`: give both or neither"
                )),
                // whole numbers 0-3 (checked above)
                (Some(v), Some(x)) => crate::ihc::allred(v, x as u8)
                    .err()
                    .map(|e| format!("`{pname}` and `{ic}`: {e}")),
            };
            if let Some(why) = why {
                ctx.at(&key, format!("{}: {why}", place(row)));
                break;
            }
        }
    }
}
