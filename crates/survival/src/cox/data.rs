//! The validated input of a Cox model.

use crate::SurvivalError;

/// Right-censored survival data with covariates, checked once.
///
/// Holds one row per subject: a time (finite, `>= 0`), an event indicator
/// (`true` = event, `false` = censored), `p >= 1` named numeric covariates
/// (finite) and optionally a stratum id per row. Rows with missing values
/// must be removed by the caller (the CLI drops and counts them).
///
/// # Errors
/// [`SurvivalError::Empty`] for no rows, [`SurvivalError::LengthMismatch`]
/// or [`SurvivalError::CovariateLength`] for ragged input,
/// [`SurvivalError::NegativeTime`] / [`SurvivalError::NonFinite`] for bad
/// times, [`SurvivalError::NonFiniteCovariate`] for a NaN or infinite
/// covariate, [`SurvivalError::BadCovariateNames`] when the names do not
/// match the columns (wrong count, empty or duplicated),
/// [`SurvivalError::NoEvents`] when every subject is censored.
///
/// # Example
/// ```
/// use oncomark_survival::cox::CoxData;
/// let d = CoxData::new(
///     &[1.0, 1.0, 6.0, 6.0, 8.0, 9.0],
///     &[true, false, true, true, false, true],
///     &[vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]],
///     &["x"],
/// )
/// .unwrap();
/// assert_eq!((d.n(), d.p(), d.events()), (6, 1, 4));
/// ```
#[derive(Debug, Clone)]
pub struct CoxData {
    pub(crate) time: Vec<f64>,
    pub(crate) event: Vec<bool>,
    /// Column-major `n x p`: column `j` is `x[j * n .. (j + 1) * n]`.
    pub(crate) x: Vec<f64>,
    pub(crate) names: Vec<String>,
    pub(crate) strata: Option<Vec<u32>>,
    /// Entry times of `(start, stop]` rows (see [`CoxData::with_entry`]).
    pub(crate) entry: Option<Vec<f64>>,
}

impl CoxData {
    /// Build from covariate columns (`covariates[j][i]` is covariate `j` of
    /// subject `i`) and their names.
    pub fn new<S: AsRef<str>>(
        time: &[f64],
        event: &[bool],
        covariates: &[Vec<f64>],
        names: &[S],
    ) -> Result<Self, SurvivalError> {
        let n = time.len();
        let mut x = Vec::with_capacity(n * covariates.len());
        for (j, col) in covariates.iter().enumerate() {
            if col.len() != n {
                return Err(SurvivalError::CovariateLength {
                    name: names
                        .get(j)
                        .map_or_else(|| format!("#{}", j + 1), |s| s.as_ref().to_string()),
                    got: col.len(),
                    expected: n,
                });
            }
            x.extend_from_slice(col);
        }
        Self::build(time, event, x, covariates.len(), names)
    }

    /// Build from a flat column-major matrix `x` of `p` columns
    /// (`x[j * n + i]` is covariate `j` of subject `i`).
    pub fn from_column_major<S: AsRef<str>>(
        time: &[f64],
        event: &[bool],
        x: &[f64],
        p: usize,
        names: &[S],
    ) -> Result<Self, SurvivalError> {
        let n = time.len();
        if x.len() != n * p {
            return Err(SurvivalError::CovariateLength {
                name: "x (flat matrix)".into(),
                got: x.len(),
                expected: n * p,
            });
        }
        Self::build(time, event, x.to_vec(), p, names)
    }

    /// Add stratum ids (any `u32` labels; subjects are compared only with
    /// subjects of the same stratum).
    pub fn with_strata(mut self, strata: &[u32]) -> Result<Self, SurvivalError> {
        if strata.len() != self.time.len() {
            return Err(SurvivalError::LengthMismatch {
                what: "strata",
                got: strata.len(),
                expected: self.time.len(),
            });
        }
        self.strata = Some(strata.to_vec());
        Ok(self)
    }

    fn build<S: AsRef<str>>(
        time: &[f64],
        event: &[bool],
        x: Vec<f64>,
        p: usize,
        names: &[S],
    ) -> Result<Self, SurvivalError> {
        let n = time.len();
        if n == 0 {
            return Err(SurvivalError::Empty);
        }
        if event.len() != n {
            return Err(SurvivalError::LengthMismatch {
                what: "event",
                got: event.len(),
                expected: n,
            });
        }
        if p == 0 {
            return Err(SurvivalError::BadCovariateNames {
                reason: "no covariates: a Cox model needs at least one".into(),
            });
        }
        if names.len() != p {
            return Err(SurvivalError::BadCovariateNames {
                reason: format!("{} names for {p} covariate columns", names.len()),
            });
        }
        let names: Vec<String> = names.iter().map(|s| s.as_ref().to_string()).collect();
        for (j, nm) in names.iter().enumerate() {
            if nm.trim().is_empty() {
                return Err(SurvivalError::BadCovariateNames {
                    reason: format!("covariate #{} has an empty name", j + 1),
                });
            }
            if names[..j].contains(nm) {
                return Err(SurvivalError::BadCovariateNames {
                    reason: format!("covariate name `{nm}` is used twice"),
                });
            }
        }
        let mut time = time.to_vec();
        for (i, t) in time.iter_mut().enumerate() {
            if !t.is_finite() {
                return Err(SurvivalError::NonFinite {
                    what: "time",
                    index: i,
                    value: *t,
                });
            }
            if *t < 0.0 {
                return Err(SurvivalError::NegativeTime {
                    index: i,
                    value: *t,
                });
            }
            if *t == 0.0 {
                *t = 0.0; // -0.0 -> 0.0, so that bit patterns order times
            }
        }
        for j in 0..p {
            for (i, v) in x[j * n..(j + 1) * n].iter().enumerate() {
                if !v.is_finite() {
                    return Err(SurvivalError::NonFiniteCovariate {
                        name: names[j].clone(),
                        index: i,
                        value: *v,
                    });
                }
            }
        }
        if !event.iter().any(|&e| e) {
            return Err(SurvivalError::NoEvents);
        }
        Ok(CoxData {
            time,
            event: event.to_vec(),
            x,
            names,
            strata: None,
            entry: None,
        })
    }

    /// Number of subjects.
    pub fn n(&self) -> usize {
        self.time.len()
    }

    /// Number of covariates.
    pub fn p(&self) -> usize {
        self.names.len()
    }

    /// Number of events.
    pub fn events(&self) -> usize {
        self.event.iter().filter(|&&e| e).count()
    }

    /// Covariate names, in column order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Covariate column `j`.
    pub fn column(&self, j: usize) -> &[f64] {
        let n = self.n();
        &self.x[j * n..(j + 1) * n]
    }

    /// Survival times.
    pub fn time(&self) -> &[f64] {
        &self.time
    }

    /// Event indicators.
    pub fn event(&self) -> &[bool] {
        &self.event
    }

    /// Stratum ids, if any.
    pub fn strata(&self) -> Option<&[u32]> {
        self.strata.as_deref()
    }

    /// A copy keeping only the covariate columns `cols` (in that order);
    /// used by model selection to fit sub-models.
    pub fn select_columns(&self, cols: &[usize]) -> Result<Self, SurvivalError> {
        let n = self.n();
        let mut x = Vec::with_capacity(n * cols.len());
        let mut names = Vec::with_capacity(cols.len());
        for &j in cols {
            if j >= self.p() {
                return Err(SurvivalError::BadCovariateNames {
                    reason: format!("column index {j} out of range (p = {})", self.p()),
                });
            }
            x.extend_from_slice(self.column(j));
            names.push(self.names[j].clone());
        }
        let mut d = Self::build(&self.time, &self.event, x, cols.len(), &names)?;
        d.strata = self.strata.clone();
        d.entry = self.entry.clone();
        Ok(d)
    }

    /// Make the rows counting-process intervals `(start, stop]`: `time` is
    /// the stop, `start[i]` the time row `i` enters the risk set (delayed
    /// entry, or the start of an interval over which time-varying
    /// covariates are constant). A row is at risk at `t` when
    /// `start < t <= stop`; its event, if any, is at `stop`. As R
    /// `coxph(Surv(start, stop, event) ~ ...)`; see
    /// [`crate::cox`] for what is available with such data.
    ///
    /// # Errors
    /// [`SurvivalError::LengthMismatch`] for the wrong length;
    /// [`SurvivalError::NonFinite`] for a start that is NaN or infinite;
    /// [`SurvivalError::BadOption`] for a start that is not below its stop.
    ///
    /// # Example
    /// ```
    /// use oncomark_survival::cox::{fit, CoxData, CoxOptions};
    /// // one subject split at t = 2 gives the same fit as the unsplit row
    /// let x = vec![1.0, 1.0, 0.0, 1.0, 0.0];
    /// let split = CoxData::new(&[2.0, 5.0, 3.0, 4.0, 6.0], &[false, true, true, false, true], &[x], &["x"])?
    ///     .with_entry(&[0.0, 2.0, 0.0, 0.0, 0.0])?;
    /// let whole = CoxData::new(&[5.0, 3.0, 4.0, 6.0], &[true, true, false, true], &[vec![1.0, 0.0, 1.0, 0.0]], &["x"])?;
    /// let (a, b) = (fit(&split, &CoxOptions::default())?, fit(&whole, &CoxOptions::default())?);
    /// assert!((a.loglik - b.loglik).abs() < 1e-12);
    /// # Ok::<(), oncomark_survival::SurvivalError>(())
    /// ```
    pub fn with_entry(mut self, start: &[f64]) -> Result<Self, SurvivalError> {
        if start.len() != self.time.len() {
            return Err(SurvivalError::LengthMismatch {
                what: "start",
                got: start.len(),
                expected: self.time.len(),
            });
        }
        for (i, (&s, &t)) in start.iter().zip(&self.time).enumerate() {
            if !s.is_finite() {
                return Err(SurvivalError::NonFinite {
                    what: "start",
                    index: i,
                    value: s,
                });
            }
            if s >= t {
                return Err(SurvivalError::BadOption {
                    what: "start",
                    value: s,
                    reason: "each start time must be below its stop time ((start, stop] intervals)",
                });
            }
        }
        self.entry = Some(start.to_vec());
        Ok(self)
    }

    /// Entry times of `(start, stop]` rows, if any.
    pub fn entry(&self) -> Option<&[f64]> {
        self.entry.as_deref()
    }
}
