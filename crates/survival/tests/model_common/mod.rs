//! Shared helpers of the model-building tests (`tests/model_*.rs`): designs
//! built from fixture CSVs the way R builds them.

#![allow(dead_code)]

use oncomark_survival::cox::CoxData;
use oncomark_survival::select::Term;
use oncomark_testkit::read_fixture_csv;
use serde_json::Value;

/// A design from a fixture CSV: complete cases on time, event and the
/// variables; a variable named `factor:NAME`, or one holding strings, becomes
/// R-style dummies `NAMElevel` (levels sorted, numerically when they are
/// numbers; the first is the reference).
pub struct Design {
    pub time: Vec<f64>,
    pub event: Vec<bool>,
    pub cols: Vec<Vec<f64>>,
    pub names: Vec<String>,
    pub terms: Vec<Term>,
    /// Rows dropped for missing values.
    pub dropped: usize,
}

impl Design {
    pub fn data(&self) -> CoxData {
        CoxData::new(&self.time, &self.event, &self.cols, &self.names).unwrap()
    }
}

pub fn design(csv: &str, time: &str, event: &str, vars: &[&str]) -> Design {
    let (header, rows) = read_fixture_csv(csv);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {csv}"))
    };
    let specs: Vec<(String, bool)> = vars
        .iter()
        .map(|v| match v.strip_prefix("factor:") {
            Some(n) => (n.to_string(), true),
            None => (v.to_string(), false),
        })
        .collect();
    let mut used = vec![col(time), col(event)];
    used.extend(specs.iter().map(|(n, _)| col(n)));
    let n_all = rows.len();
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| used.iter().all(|&j| r[j].is_some()))
        .collect();
    let cell = |r: &Vec<Option<String>>, j: usize| r[j].clone().unwrap();
    let time_v: Vec<f64> = rows
        .iter()
        .map(|r| cell(r, col(time)).parse().unwrap())
        .collect();
    let event_v: Vec<bool> = rows
        .iter()
        .map(|r| cell(r, col(event)).parse::<f64>().unwrap() != 0.0)
        .collect();
    let mut cols = Vec::new();
    let mut names = Vec::new();
    let mut terms = Vec::new();
    for (name, factor) in &specs {
        let j = col(name);
        let vals: Vec<String> = rows.iter().map(|r| cell(r, j)).collect();
        let numeric = vals.iter().all(|v| v.parse::<f64>().is_ok());
        if numeric && !factor {
            terms.push(Term::new(name.clone(), vec![cols.len()]));
            cols.push(vals.iter().map(|v| v.parse().unwrap()).collect());
            names.push(name.clone());
            continue;
        }
        let mut levels: Vec<String> = vals.clone();
        if numeric {
            levels.sort_by(|a, b| {
                a.parse::<f64>()
                    .unwrap()
                    .partial_cmp(&b.parse::<f64>().unwrap())
                    .unwrap()
            });
        } else {
            levels.sort();
        }
        levels.dedup();
        let mut tcols = Vec::new();
        for lv in &levels[1..] {
            tcols.push(cols.len());
            cols.push(vals.iter().map(|v| f64::from(v == lv)).collect());
            names.push(format!("{name}{lv}"));
        }
        terms.push(Term::new(name.clone(), tcols));
    }
    Design {
        time: time_v,
        event: event_v,
        cols,
        names,
        terms,
        dropped: n_all - rows.len(),
    }
}

pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

pub fn nums(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a.iter().map(num).collect(),
        x => vec![num(x)],
    }
}

pub fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Null => vec![],
        x => panic!("not strings: {x}"),
    }
}

/// Relative tolerance for a chi-square P value whose statistic is known to
/// relative tolerance `rel`: d log P / d x is about 1/2 for large `x`.
pub fn p_tol(stat: f64, rel: f64) -> f64 {
    rel * (1.0 + stat)
}
