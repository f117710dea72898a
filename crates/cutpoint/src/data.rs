//! Survival data checked once and sorted by time once.
//!
//! Every routine of this crate starts from a [`SortedSurvival`]: times and
//! event flags validated at the boundary, then stored in ascending time
//! order (stable, so tied times keep their input order) together with the
//! tie groups. Marker-specific work only needs the marker's values gathered
//! into this order, so a screen of many markers sorts the times once.
//!
//! Times are tied when they are exactly equal (as R `maxstat`, whose
//! `irank` compares with `==`). R `survival` additionally merges times that
//! differ by less than about 1.5e-8 relative (`aeqSurv`); for times recorded
//! in days or months this makes no difference.

use crate::CutpointError;

/// Time-sorted survival data: the checked form every kernel trusts.
///
/// Invariants: `time` is ascending, finite and non-negative; `order[k]` is
/// the input row of the k-th sorted patient; `group_start` holds the first
/// sorted position of each run of equal times, followed by `n`.
#[derive(Debug, Clone, PartialEq)]
pub struct SortedSurvival {
    /// Input row of each sorted position.
    pub(crate) order: Vec<u32>,
    /// Times in ascending order.
    pub(crate) time: Vec<f64>,
    /// Event flags in time order.
    pub(crate) event: Vec<bool>,
    /// Start of each tie group, then `n`.
    pub(crate) group_start: Vec<u32>,
    /// Tie group of each sorted position.
    pub(crate) group_of: Vec<u32>,
    /// Number of events.
    pub(crate) events: usize,
}

impl SortedSurvival {
    /// Checks `time` and `event` and sorts them by time.
    ///
    /// # Errors
    /// [`CutpointError::LengthMismatch`] if the slices differ in length,
    /// [`CutpointError::NonFinite`] / [`CutpointError::NegativeTime`] for a
    /// bad time, [`CutpointError::TooFew`] for fewer than two patients and
    /// [`CutpointError::NoEvents`] when every patient is censored.
    ///
    /// # Example
    /// ```
    /// use oncomark_cutpoint::SortedSurvival;
    /// let s = SortedSurvival::new(&[5.0, 1.0, 3.0, 3.0], &[true, false, true, true])?;
    /// assert_eq!(s.n(), 4);
    /// assert_eq!(s.events(), 3);
    /// assert_eq!(s.sorted_rows(), vec![1, 2, 3, 0]);
    /// # Ok::<(), oncomark_cutpoint::CutpointError>(())
    /// ```
    pub fn new(time: &[f64], event: &[bool]) -> Result<Self, CutpointError> {
        if event.len() != time.len() {
            return Err(CutpointError::LengthMismatch {
                what: "event",
                got: event.len(),
                expected: time.len(),
            });
        }
        for (i, &t) in time.iter().enumerate() {
            if !t.is_finite() {
                return Err(CutpointError::NonFinite {
                    what: "time",
                    index: i,
                    value: t,
                });
            }
            if t < 0.0 {
                return Err(CutpointError::NegativeTime { index: i, value: t });
            }
        }
        if time.len() > u32::MAX as usize {
            return Err(CutpointError::BadOption {
                what: "n",
                value: time.len() as f64,
                reason: "more rows than u32 indices allow; split the data",
            });
        }
        let mut order: Vec<u32> = (0..time.len() as u32).collect();
        order.sort_by(|&a, &b| time[a as usize].total_cmp(&time[b as usize]));
        let s = Self::from_order(order, time, event);
        s.check_usable()?;
        Ok(s)
    }

    /// Builds from a stable time order (precondition: `order` sorts `time`).
    fn from_order(order: Vec<u32>, time: &[f64], event: &[bool]) -> Self {
        let t: Vec<f64> = order.iter().map(|&i| time[i as usize]).collect();
        let e: Vec<bool> = order.iter().map(|&i| event[i as usize]).collect();
        Self::from_sorted(order, t, e)
    }

    /// Builds from arrays already in time order.
    pub(crate) fn from_sorted(order: Vec<u32>, time: Vec<f64>, event: Vec<bool>) -> Self {
        let n = time.len();
        let mut group_start = Vec::new();
        let mut group_of = Vec::with_capacity(n);
        for k in 0..n {
            if k == 0 || time[k] != time[k - 1] {
                group_start.push(k as u32);
            }
            group_of.push((group_start.len() - 1) as u32);
        }
        group_start.push(n as u32);
        let events = event.iter().filter(|&&e| e).count();
        Self {
            order,
            time,
            event,
            group_start,
            group_of,
            events,
        }
    }

    fn check_usable(&self) -> Result<(), CutpointError> {
        if self.n() < 2 {
            return Err(CutpointError::TooFew {
                n: self.n(),
                min: 2,
            });
        }
        if self.events == 0 {
            return Err(CutpointError::NoEvents { n: self.n() });
        }
        Ok(())
    }

    /// The patients whose input row satisfies `keep`, still in time order
    /// (no new sort). The rows of the subset keep their input numbering.
    ///
    /// # Errors
    /// [`CutpointError::TooFew`] or [`CutpointError::NoEvents`] when the
    /// subset is unusable.
    pub fn subset(&self, keep: impl Fn(usize) -> bool) -> Result<Self, CutpointError> {
        let s = self.subset_unchecked(keep);
        s.check_usable()?;
        Ok(s)
    }

    pub(crate) fn subset_unchecked(&self, keep: impl Fn(usize) -> bool) -> Self {
        let mut order = Vec::new();
        let mut time = Vec::new();
        let mut event = Vec::new();
        for k in 0..self.n() {
            let r = self.order[k] as usize;
            if keep(r) {
                order.push(self.order[k]);
                time.push(self.time[k]);
                event.push(self.event[k]);
            }
        }
        Self::from_sorted(order, time, event)
    }

    /// Number of patients.
    pub fn n(&self) -> usize {
        self.time.len()
    }

    /// Number of events.
    pub fn events(&self) -> usize {
        self.events
    }

    /// Input rows in ascending time order.
    pub fn sorted_rows(&self) -> Vec<usize> {
        self.order.iter().map(|&i| i as usize).collect()
    }

    /// Number of tie groups (distinct times).
    pub(crate) fn n_groups(&self) -> usize {
        self.group_start.len() - 1
    }

    /// Sorted positions `[a, b)` of tie group `g`.
    #[inline]
    pub(crate) fn group(&self, g: usize) -> (usize, usize) {
        (
            self.group_start[g] as usize,
            self.group_start[g + 1] as usize,
        )
    }

    /// Gathers a per-row vector (indexed by input row) into time order.
    pub(crate) fn gather<T: Copy>(&self, by_row: &[T]) -> Vec<T> {
        self.order.iter().map(|&i| by_row[i as usize]).collect()
    }

    /// Largest input row + 1 (the length a per-row vector must have).
    pub(crate) fn row_span(&self) -> usize {
        self.order
            .iter()
            .map(|&i| i as usize + 1)
            .max()
            .unwrap_or(0)
    }
}
