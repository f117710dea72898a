//! Stepwise, forward and backward selection of Cox model terms with SAS
//! PROC PHREG's rules.
//!
//! # Method
//!
//! A *term* is one source variable: a numeric column, or the group of
//! dummy columns of a categorical variable, which enters and leaves the
//! model as a whole ([`Term`]).
//!
//! * **Entry** is decided by the score test of adding a term `G` to the
//!   current model `M` (fitted, estimate `b_M`): with `U` and `I` the score
//!   and information of the model `M ∪ G` at `(b_M, 0)`,
//!   `S = U' I⁻ U` on `df` = the number of estimable columns of `G`. This is
//!   R's global score test of `coxph(y ~ M + G, init = c(b_M, 0), iter.max = 0)`
//!   (`U_M` is 0 at the estimate, so it is also the efficient score test
//!   `U_G' (I_GG - I_GM I_MM⁻¹ I_MG)⁻¹ U_G`). One evaluation of the partial
//!   likelihood of all candidate columns at `(b_M, 0)` gives the tests of
//!   every candidate at once: no candidate model is fitted.
//! * **Removal** is decided by the Wald test of each term in the model,
//!   `b_G' V_GG⁻¹ b_G` on its estimable columns.
//! * A term enters when its P value is below `entry` (SAS `SLENTRY`); the
//!   candidate with the smallest P enters first (ties: the largest
//!   statistic, then the first listed). A term leaves when its P value is
//!   at least `stay` (SAS `SLSTAY`), the largest P first, one at a time,
//!   refitting after each change. Terms named in `include` are fitted
//!   first and never leave (SAS `INCLUDE=`).
//! * **Forward**: entries only. **Backward**: start from every term,
//!   removals only. **Stepwise**: after every entry, removals until every
//!   term stays; then the next entry.
//! * Cycling guard: the process stops when the term to enter would give a
//!   model visited before — in particular the term just removed (SAS PHREG:
//!   "the effect to be added to the model is the one just deleted from
//!   it"). A term that enters and is removed at once is therefore left out,
//!   as SAS does.
//!
//! Every step is recorded ([`SelectionStep`]), and every round of tests
//! with the statistics of all terms considered ([`SelectionRound`]).
//!
//! References: SAS/STAT User's Guide, The PHREG Procedure, "Effect
//! Selection Methods" (SELECTION=, SLENTRY=, SLSTAY=, INCLUDE=); Lawless &
//! Singhal (1978) Biometrics 34:318 (score tests for entry); Therneau &
//! Grambsch (2000) *Modeling Survival Data*, §3.4 (score, Wald and
//! likelihood-ratio tests in the Cox model). Stepwise selection inflates
//! type I error and overfits; report it as exploratory (Harrell, *Regression
//! Modeling Strategies*, 2nd ed., §4.3).

use crate::cox::fit::newton;
use crate::cox::linalg::Ldl;
use crate::cox::{ChiSquareTest, CoxData, CoxFit, CoxOptions, CoxProblem};
use crate::SurvivalError;
use serde::Serialize;

/// A model term: one source variable and its design columns (a single
/// column for a numeric or binary variable, the dummy columns of a
/// categorical one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// Name of the term (the source variable).
    pub name: String,
    /// Indices of its columns in the [`CoxData`].
    pub columns: Vec<usize>,
}

impl Term {
    /// A term made of the columns `columns`.
    pub fn new(name: impl Into<String>, columns: Vec<usize>) -> Self {
        Term {
            name: name.into(),
            columns,
        }
    }

    /// One term per column of `data`, named after the column.
    pub fn each_column(data: &CoxData) -> Vec<Term> {
        data.names()
            .iter()
            .enumerate()
            .map(|(j, n)| Term::new(n.clone(), vec![j]))
            .collect()
    }
}

/// Check that `terms` are non-empty, uniquely named, and partition some of
/// the `p` columns (each column in at most one term).
pub(crate) fn check_terms(terms: &[Term], p: usize) -> Result<(), SurvivalError> {
    if terms.is_empty() {
        return Err(SurvivalError::BadCovariateNames {
            reason: "no terms given: list at least one model term".into(),
        });
    }
    let mut used = vec![false; p];
    for (i, t) in terms.iter().enumerate() {
        if t.columns.is_empty() {
            return Err(SurvivalError::BadCovariateNames {
                reason: format!("term `{}` has no columns", t.name),
            });
        }
        if terms[..i].iter().any(|u| u.name == t.name) {
            return Err(SurvivalError::BadCovariateNames {
                reason: format!("term name `{}` is used twice", t.name),
            });
        }
        for &j in &t.columns {
            if j >= p {
                return Err(SurvivalError::BadCovariateNames {
                    reason: format!(
                        "term `{}` refers to column {j}, but there are {p} columns",
                        t.name
                    ),
                });
            }
            if used[j] {
                return Err(SurvivalError::BadCovariateNames {
                    reason: format!(
                        "column {j} belongs to two terms (the second is `{}`)",
                        t.name
                    ),
                });
            }
            used[j] = true;
        }
    }
    Ok(())
}

/// Selection method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SelectMethod {
    /// Entries only.
    Forward,
    /// Removals only, from the model with every term.
    Backward,
    /// Entries, each followed by removals (the default).
    #[default]
    Stepwise,
}

/// Options of [`select`].
#[derive(Debug, Clone, PartialEq)]
pub struct SelectOptions {
    /// Forward, backward or stepwise (default stepwise).
    pub method: SelectMethod,
    /// Significance level for entry, SAS `SLENTRY` (default 0.05).
    pub entry: f64,
    /// Significance level for staying, SAS `SLSTAY` (default 0.05).
    pub stay: f64,
    /// Names of terms forced into every model (SAS `INCLUDE=`).
    pub include: Vec<String>,
    /// Options of the Cox fits (ties, convergence).
    pub cox: CoxOptions,
}

impl Default for SelectOptions {
    fn default() -> Self {
        SelectOptions {
            method: SelectMethod::Stepwise,
            entry: 0.05,
            stay: 0.05,
            include: Vec::new(),
            cox: CoxOptions::default(),
        }
    }
}

/// What a step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepAction {
    /// A term entered the model.
    Enter,
    /// A term left the model.
    Remove,
}

/// The test behind a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepTest {
    /// Score test of adding the term to the current model.
    Score,
    /// Wald test of the term in the current model.
    Wald,
}

/// One change of the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelectionStep {
    /// Step number, from 1.
    pub step: usize,
    /// Entry or removal.
    pub action: StepAction,
    /// The term.
    pub term: String,
    /// Score (entry) or Wald (removal).
    pub test: StepTest,
    /// The chi-square statistic.
    pub statistic: f64,
    /// Its degrees of freedom.
    pub df: usize,
    /// Its P value.
    pub p: f64,
}

/// The test of one term in a round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermTest {
    /// The term.
    pub term: String,
    /// The chi-square statistic.
    pub statistic: f64,
    /// Its degrees of freedom (estimable columns).
    pub df: usize,
    /// Its P value (1 when `df = 0`).
    pub p: f64,
}

/// Kind of a round of tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RoundKind {
    /// Score tests of the terms outside the model.
    Entry,
    /// Wald tests of the removable terms in the model.
    Removal,
}

/// All tests computed before one decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelectionRound {
    /// Entry or removal round.
    pub kind: RoundKind,
    /// One test per term considered, in the order the terms were given.
    pub tests: Vec<TermTest>,
}

/// Why the selection stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// No term outside the model meets the entry level.
    NoEntry,
    /// Backward: every term in the model meets the stay level.
    AllStay,
    /// Every term is in the model.
    AllEntered,
    /// The term to enter would give a model visited before (for example
    /// the one just removed).
    Cycle,
}

/// The result of [`select`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selection {
    /// Method used.
    pub method: SelectMethod,
    /// Entry level.
    pub entry: f64,
    /// Stay level.
    pub stay: f64,
    /// Forced terms.
    pub include: Vec<String>,
    /// Subjects used (complete cases on every candidate).
    pub n: usize,
    /// Events among them.
    pub events: usize,
    /// The changes of the model, in order.
    pub steps: Vec<SelectionStep>,
    /// Terms of the final model, in the order they entered.
    pub selected: Vec<String>,
    /// Why the process stopped.
    pub stop_reason: StopReason,
    /// Every round of tests, in order.
    pub rounds: Vec<SelectionRound>,
    /// Non-convergence or other problems met along the way.
    pub warnings: Vec<String>,
    /// The fit of the final model (`None` when no term was selected).
    #[serde(skip)]
    pub model: Option<CoxFit>,
}

/// A problem restricted to the columns `cols` (in that order), sharing the
/// sorting, tie groups and strata of `pr`.
pub(crate) fn sub_problem(pr: &CoxProblem, cols: &[usize]) -> CoxProblem {
    let p = pr.p;
    let q = cols.len();
    let mut x = vec![0.0; pr.n * q];
    if q > 0 {
        for (dst, src) in x.chunks_exact_mut(q).zip(pr.x.chunks_exact(p)) {
            for (d, &j) in dst.iter_mut().zip(cols) {
                *d = src[j];
            }
        }
    }
    let pick = |v: &[f64]| cols.iter().map(|&j| v[j]).collect::<Vec<f64>>();
    let mut sub = pr.clone();
    sub.x = x;
    sub.p = q;
    sub.means = pick(&pr.means);
    sub.scale = pick(&pr.scale);
    sub.xdead = pick(&pr.xdead);
    sub.names = cols.iter().map(|&j| pr.names[j].clone()).collect();
    sub.constant = cols.iter().map(|&j| pr.constant[j]).collect();
    sub
}

/// A fitted sub-model on the internal (centred, scaled) scale.
struct SubFit {
    /// Column indices (into the full problem).
    cols: Vec<usize>,
    beta: Vec<f64>,
    /// Generalised inverse of the information.
    var: Vec<f64>,
    singular: Vec<bool>,
    converged: bool,
}

fn fit_columns(
    pr: &CoxProblem,
    cols: &[usize],
    opts: &CoxOptions,
) -> Result<SubFit, SurvivalError> {
    let sub = sub_problem(pr, cols);
    let nr = newton(&sub, vec![0.0; cols.len()], opts).ok_or_else(|| {
        SurvivalError::BadCoefficients {
            reason: "the partial likelihood is not finite at beta = 0".into(),
        }
    })?;
    Ok(SubFit {
        cols: cols.to_vec(),
        var: nr.chol.inverse(),
        singular: nr.chol.singular().to_vec(),
        beta: nr.beta,
        converged: nr.converged,
    })
}

/// Score tests of adding each of `candidates` to the model with columns
/// `model_cols` at coefficients `beta` (internal scale), from one
/// evaluation of the full problem.
fn score_tests_scaled(
    pr: &CoxProblem,
    model_cols: &[usize],
    beta_scaled: &[f64],
    candidates: &[&Term],
    toler_chol: f64,
) -> Vec<TermTest> {
    let p = pr.p;
    let mut b = vec![0.0; p];
    for (&j, &v) in model_cols.iter().zip(beta_scaled) {
        b[j] = v;
    }
    let e = pr.eval_scaled(&b);
    let m = model_cols.len();
    candidates
        .iter()
        .map(|t| {
            let idx: Vec<usize> = model_cols.iter().chain(&t.columns).copied().collect();
            let k = idx.len();
            let u: Vec<f64> = idx.iter().map(|&j| e.score[j]).collect();
            let mut imat = vec![0.0; k * k];
            for (a, &j) in idx.iter().enumerate() {
                for (c, &l) in idx.iter().enumerate() {
                    imat[a * k + c] = e.information[j * p + l];
                }
            }
            let ldl = Ldl::new(&imat, k, toler_chol);
            let stat = ldl.quad_form(&u).max(0.0);
            let df = ldl.singular()[m..].iter().filter(|&&s| !s).count();
            let t2 = ChiSquareTest::new(stat, df);
            TermTest {
                term: t.name.clone(),
                statistic: stat,
                df,
                p: t2.p,
            }
        })
        .collect()
}

/// Score tests of adding each candidate term to a fitted model.
///
/// `model_columns` are the columns of the current model and `beta` its
/// estimate (on the covariates' own scale, same order); each candidate's
/// statistic is `U' I⁻ U` over the model's and the candidate's columns at
/// `(beta, 0)`: R's global score test of
/// `coxph(y ~ model + candidate, init = c(beta, 0), iter.max = 0)`. An empty
/// model gives the ordinary score (log-rank type) test of each candidate.
///
/// # Errors
/// [`SurvivalError::BadCoefficients`] if `beta` has the wrong length or a
/// non-finite value; [`SurvivalError::BadCovariateNames`] for a column index
/// out of range.
///
/// # Example
/// ```
/// use oncomark_survival::cox::{CoxData, CoxProblem, Ties};
/// use oncomark_survival::select::{entry_score_tests, Term};
/// // Therneau's test1: with an empty model the test of x is U(0)^2 / I(0)
/// let d = CoxData::new(
///     &[1.0, 1.0, 6.0, 6.0, 8.0, 9.0],
///     &[true, false, true, true, false, true],
///     &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
///     &["x"],
/// )?;
/// let pr = CoxProblem::new(&d, Ties::Breslow)?;
/// let t = entry_score_tests(&pr, &[], &[], &[Term::new("x", vec![0])])?;
/// let e = pr.eval(&[0.0])?;
/// let want = e.score[0] * e.score[0] / e.information[0];
/// assert!((t[0].statistic - want).abs() < 1e-12);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn entry_score_tests(
    pr: &CoxProblem,
    model_columns: &[usize],
    beta: &[f64],
    candidates: &[Term],
) -> Result<Vec<TermTest>, SurvivalError> {
    if beta.len() != model_columns.len() {
        return Err(SurvivalError::BadCoefficients {
            reason: format!(
                "{} coefficients for {} model columns",
                beta.len(),
                model_columns.len()
            ),
        });
    }
    if let Some(b) = beta.iter().find(|b| !b.is_finite()) {
        return Err(SurvivalError::BadCoefficients {
            reason: format!("{b} is not finite"),
        });
    }
    for &j in model_columns
        .iter()
        .chain(candidates.iter().flat_map(|t| &t.columns))
    {
        if j >= pr.p {
            return Err(SurvivalError::BadCovariateNames {
                reason: format!("column index {j} out of range (p = {})", pr.p),
            });
        }
    }
    let bs: Vec<f64> = model_columns
        .iter()
        .zip(beta)
        .map(|(&j, b)| b / pr.scale[j])
        .collect();
    let cands: Vec<&Term> = candidates.iter().collect();
    Ok(score_tests_scaled(
        pr,
        model_columns,
        &bs,
        &cands,
        CoxOptions::default().toler_chol,
    ))
}

/// Wald tests of the terms `which` (indices into `terms`) of a fitted
/// sub-model.
fn wald_tests(fit: &SubFit, terms: &[Term], which: &[usize]) -> Vec<TermTest> {
    let q = fit.cols.len();
    which
        .iter()
        .map(|&ti| {
            let t = &terms[ti];
            let pos: Vec<usize> = t
                .columns
                .iter()
                .filter_map(|j| fit.cols.iter().position(|c| c == j))
                .filter(|&a| !fit.singular[a])
                .collect();
            let k = pos.len();
            let mut v = vec![0.0; k * k];
            let mut b = vec![0.0; k];
            for (a, &i) in pos.iter().enumerate() {
                b[a] = fit.beta[i];
                for (c, &l) in pos.iter().enumerate() {
                    v[a * k + c] = fit.var[i * q + l];
                }
            }
            let stat = if k > 0 {
                Ldl::new(&v, k, CoxOptions::default().toler_chol)
                    .quad_form(&b)
                    .max(0.0)
            } else {
                0.0
            };
            let c = ChiSquareTest::new(stat, k);
            TermTest {
                term: t.name.clone(),
                statistic: stat,
                df: k,
                p: c.p,
            }
        })
        .collect()
}

fn check_level(what: &'static str, v: f64) -> Result<(), SurvivalError> {
    if v > 0.0 && v <= 1.0 {
        Ok(())
    } else {
        Err(SurvivalError::BadOption {
            what,
            value: v,
            reason: "a significance level must be in (0, 1], e.g. 0.05",
        })
    }
}

/// Select the terms of a Cox model by the score test for entry and the
/// Wald test for removal, with SAS PROC PHREG's rules (see the [module
/// docs](self) for the method and references).
///
/// `data` holds every candidate column (complete cases on all of them);
/// `terms` groups its columns into terms (use [`Term::each_column`] when
/// every column is its own term; columns in no term are ignored).
///
/// # Errors
/// [`SurvivalError::BadOption`] for `entry` or `stay` outside (0, 1] or
/// bad convergence options; [`SurvivalError::BadConfLevel`];
/// [`SurvivalError::BadCoefficients`] when `cox.init` is set;
/// [`SurvivalError::BadCovariateNames`] for bad terms or an `include` name
/// that is not a term; the errors of [`CoxProblem::new`] and
/// [`CoxProblem::fit`].
///
/// # Example
/// ```
/// use oncomark_survival::cox::CoxData;
/// use oncomark_survival::select::{select, SelectOptions, StepAction, Term};
/// // x separates early from late events; z is noise
/// let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0];
/// let event = [true; 12];
/// let x = vec![5.0, 4.0, 6.0, 3.0, 4.0, 2.0, 3.0, 1.0, 0.0, 2.0, 1.0, 0.0];
/// let z = vec![1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0];
/// let d = CoxData::new(&time, &event, &[x, z], &["x", "z"])?;
/// let s = select(&d, &Term::each_column(&d), &SelectOptions::default())?;
/// assert_eq!(s.steps[0].action, StepAction::Enter);
/// assert_eq!(s.selected, vec!["x".to_string()]);
/// assert!(s.steps[0].p < 0.05);
/// # Ok::<(), oncomark_survival::SurvivalError>(())
/// ```
pub fn select(
    data: &CoxData,
    terms: &[Term],
    opts: &SelectOptions,
) -> Result<Selection, SurvivalError> {
    check_level("entry", opts.entry)?;
    check_level("stay", opts.stay)?;
    check_terms(terms, data.p())?;
    let forced: Vec<usize> = opts
        .include
        .iter()
        .map(|name| {
            terms.iter().position(|t| &t.name == name).ok_or_else(|| {
                SurvivalError::BadCovariateNames {
                    reason: format!(
                        "include: `{name}` is not one of the terms ({})",
                        terms
                            .iter()
                            .map(|t| t.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            })
        })
        .collect::<Result<_, _>>()?;
    let cox = &opts.cox;
    if !(cox.conf_level > 0.0 && cox.conf_level < 1.0) {
        return Err(SurvivalError::BadConfLevel(cox.conf_level));
    }
    for (what, v, ok) in [
        ("eps", cox.eps, cox.eps > 0.0 && cox.eps.is_finite()),
        (
            "toler_chol",
            cox.toler_chol,
            cox.toler_chol > 0.0 && cox.toler_chol < 1.0,
        ),
    ] {
        if !ok {
            return Err(SurvivalError::BadOption {
                what,
                value: v,
                reason: "must be a small positive number (defaults: eps 1e-9, toler_chol 1.8e-12)",
            });
        }
    }
    if cox.init.is_some() {
        return Err(SurvivalError::BadCoefficients {
            reason: "initial values cannot be given to a selection (every model starts at 0)"
                .into(),
        });
    }
    let pr = CoxProblem::new(data, cox.ties)?;

    let mut model: Vec<usize> = if opts.method == SelectMethod::Backward {
        (0..terms.len()).collect()
    } else {
        let mut f = forced.clone();
        f.dedup();
        f
    };
    let cols_of = |m: &[usize]| -> Vec<usize> {
        m.iter()
            .flat_map(|&t| terms[t].columns.iter().copied())
            .collect()
    };
    let key = |m: &[usize]| {
        let mut k = m.to_vec();
        k.sort_unstable();
        k
    };
    let mut warnings = Vec::new();
    let refit = |m: &[usize], warnings: &mut Vec<String>| -> Result<Option<SubFit>, _> {
        if m.is_empty() {
            return Ok(None);
        }
        let f = fit_columns(&pr, &cols_of(m), cox)?;
        if !f.converged {
            warnings.push(format!(
                "the fit of the model with {} did not converge in {} iterations",
                m.iter()
                    .map(|&t| terms[t].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                cox.max_iter
            ));
        }
        Ok::<_, SurvivalError>(Some(f))
    };

    let mut fit = refit(&model, &mut warnings)?;
    let mut visited: Vec<Vec<usize>> = vec![key(&model)];
    let mut steps: Vec<SelectionStep> = Vec::new();
    let mut rounds: Vec<SelectionRound> = Vec::new();
    let stop_reason;
    loop {
        // removals (stepwise after each entry; backward throughout)
        if opts.method != SelectMethod::Forward {
            loop {
                let removable: Vec<usize> = model
                    .iter()
                    .copied()
                    .filter(|t| !forced.contains(t))
                    .collect();
                let Some(f) = fit.as_ref().filter(|_| !removable.is_empty()) else {
                    break;
                };
                let tests = wald_tests(f, terms, &removable);
                // largest P first; ties: smallest statistic, then first listed
                let mut worst = 0;
                for (i, t) in tests.iter().enumerate() {
                    let w = &tests[worst];
                    if t.p > w.p || (t.p == w.p && t.statistic < w.statistic) {
                        worst = i;
                    }
                }
                let out = tests[worst].clone();
                rounds.push(SelectionRound {
                    kind: RoundKind::Removal,
                    tests,
                });
                if out.p < opts.stay {
                    break;
                }
                steps.push(SelectionStep {
                    step: steps.len() + 1,
                    action: StepAction::Remove,
                    term: out.term,
                    test: StepTest::Wald,
                    statistic: out.statistic,
                    df: out.df,
                    p: out.p,
                });
                let gone = removable[worst];
                model.retain(|&t| t != gone);
                visited.push(key(&model));
                fit = refit(&model, &mut warnings)?;
            }
        }
        if opts.method == SelectMethod::Backward {
            stop_reason = StopReason::AllStay;
            break;
        }
        let cand: Vec<usize> = (0..terms.len()).filter(|t| !model.contains(t)).collect();
        if cand.is_empty() {
            stop_reason = StopReason::AllEntered;
            break;
        }
        let (mcols, mbeta) = match &fit {
            Some(f) => (f.cols.clone(), f.beta.clone()),
            None => (Vec::new(), Vec::new()),
        };
        let cterms: Vec<&Term> = cand.iter().map(|&t| &terms[t]).collect();
        let tests = score_tests_scaled(&pr, &mcols, &mbeta, &cterms, cox.toler_chol);
        let mut best = 0;
        for (i, t) in tests.iter().enumerate() {
            let b = &tests[best];
            if t.p < b.p || (t.p == b.p && t.statistic > b.statistic) {
                best = i;
            }
        }
        let inn = tests[best].clone();
        rounds.push(SelectionRound {
            kind: RoundKind::Entry,
            tests,
        });
        if inn.p >= opts.entry {
            stop_reason = StopReason::NoEntry;
            break;
        }
        let mut next = model.clone();
        next.push(cand[best]);
        if visited.contains(&key(&next)) {
            stop_reason = StopReason::Cycle;
            break;
        }
        steps.push(SelectionStep {
            step: steps.len() + 1,
            action: StepAction::Enter,
            term: inn.term,
            test: StepTest::Score,
            statistic: inn.statistic,
            df: inn.df,
            p: inn.p,
        });
        model = next;
        visited.push(key(&model));
        fit = refit(&model, &mut warnings)?;
    }

    let final_model = if model.is_empty() {
        None
    } else {
        let sub = sub_problem(&pr, &cols_of(&model));
        Some(sub.fit(cox)?)
    };
    Ok(Selection {
        method: opts.method,
        entry: opts.entry,
        stay: opts.stay,
        include: opts.include.clone(),
        n: pr.n(),
        events: pr.events(),
        steps,
        selected: model.iter().map(|&t| terms[t].name.clone()).collect(),
        stop_reason,
        rounds,
        warnings,
        model: final_model,
    })
}
