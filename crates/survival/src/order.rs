//! Time ordering and R's rule for tied times.
//!
//! Every survival routine in this crate starts the same way: sort the
//! observations by time once, then merge times that differ only by
//! floating-point noise, exactly as R `survival` (3.5) does with `aeqSurv`
//! before `survfit`, `survdiff` and `coxph`. After that, all work is linear
//! passes over contiguous arrays.
//!
//! # Sorting
//!
//! [`time_order`] is a stable least-significant-digit radix sort (11-bit
//! digits, at most six passes) of the order-preserving `u64` image of each
//! `f64`, carrying `u32` row indices. Passes in which every key has the same
//! digit are skipped, so integer-valued times (days, months) usually need
//! two or three passes. Cost is O(n) time and 24 n bytes of scratch.
//!
//! # The tie rule (`aeqSurv`)
//!
//! Let `y_1 < y_2 < ... < y_m` be the distinct finite times of the whole
//! data set (all groups and strata together) and `ȳ = mean |y_j|`. With
//! `tol = sqrt(f64::EPSILON)` (about 1.49e-8), neighbours are tied when
//!
//! ```text
//! y_{j+1} - y_j <= tol   or   (y_{j+1} - y_j) / ȳ <= tol .
//! ```
//!
//! Ties chain: a run of neighbours that are pairwise tied forms one group,
//! and every time in the group is replaced by the group's smallest value.
//! This is R survival's `aeqSurv(x, tolerance = sqrt(.Machine$double.eps))`
//! (Therneau, survival package source, `R/aeqSurv.R`), applied by default
//! through the `timefix = TRUE` argument.

use crate::SurvivalError;

/// The tolerance of R's `aeqSurv`: `sqrt(.Machine$double.eps)`.
pub const AEQ_TOLERANCE: f64 = 1.490_116_119_384_765_6e-8;

/// Below this many keys a comparison sort beats the radix passes.
const SMALL: usize = 256;
/// Widest radix digit (4096 buckets: counters stay in L1/L2).
const MAX_DIGIT: u32 = 12;

/// Order-preserving map from `f64` to `u64`: `a < b` implies
/// `key(a) < key(b)`; `-0.0` maps like `0.0`; NaN maps above everything.
#[inline]
pub(crate) fn f64_key(x: f64) -> u64 {
    if x.is_nan() {
        return u64::MAX;
    }
    let b = (x + 0.0).to_bits(); // -0.0 + 0.0 == +0.0
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// Inverse of [`f64_key`] for non-NaN keys.
#[inline]
pub(crate) fn key_f64(k: u64) -> f64 {
    if k >> 63 == 1 {
        f64::from_bits(k & !(1 << 63))
    } else {
        f64::from_bits(!k)
    }
}

/// Digits of an LSD radix sort over bits `lo..hi` of the keys: as few
/// passes as possible with digits of at most [`MAX_DIGIT`] bits.
struct DigitPlan {
    shifts: Vec<u32>,
    width: u32,
}

impl DigitPlan {
    fn new(lo: u32, hi: u32) -> Self {
        let span = hi.saturating_sub(lo);
        if span == 0 {
            return Self {
                shifts: Vec::new(),
                width: 1,
            };
        }
        let passes = span.div_ceil(MAX_DIGIT);
        let width = span.div_ceil(passes);
        Self {
            shifts: (0..passes).map(|p| lo + p * width).collect(),
            width,
        }
    }

    /// Bucket offsets of every pass, from one read of the keys; passes in
    /// which every key has the same digit are dropped.
    fn offsets(&self, keys: impl Iterator<Item = u64>, n: usize) -> Vec<(u32, Vec<usize>)> {
        let buckets = 1usize << self.width;
        let mask = (buckets - 1) as u64;
        let mut hist = vec![vec![0usize; buckets]; self.shifts.len()];
        for k in keys {
            for (h, &sh) in hist.iter_mut().zip(&self.shifts) {
                h[((k >> sh) & mask) as usize] += 1;
            }
        }
        self.shifts
            .iter()
            .zip(hist)
            .filter(|(_, h)| !h.contains(&n))
            .map(|(&sh, h)| {
                let mut acc = 0;
                let offs = h
                    .into_iter()
                    .map(|c| {
                        let o = acc;
                        acc += c;
                        o
                    })
                    .collect();
                (sh, offs)
            })
            .collect()
    }
}

/// Bits `lo..hi` outside which all `keys` agree (from their AND and OR).
fn varying_bits(and: u64, or: u64) -> (u32, u32) {
    let diff = and ^ or;
    if diff == 0 {
        (0, 0)
    } else {
        (diff.trailing_zeros(), 64 - diff.leading_zeros())
    }
}

/// Stable sort of `keys` ascending, permuting `payload` alongside.
///
/// LSD radix sort restricted to the bits in which the keys differ, so
/// integer-valued times need two passes. Precondition:
/// `keys.len() == payload.len()`.
pub(crate) fn sort_keys_with_payload(keys: &mut Vec<u64>, payload: &mut Vec<u32>) {
    debug_assert_eq!(keys.len(), payload.len());
    let n = keys.len();
    if n < SMALL {
        let mut pairs: Vec<(u64, u32)> =
            keys.iter().copied().zip(payload.iter().copied()).collect();
        pairs.sort_by_key(|p| p.0); // stable
        for (j, (k, p)) in pairs.into_iter().enumerate() {
            keys[j] = k;
            payload[j] = p;
        }
        return;
    }
    let (and, or) = keys
        .iter()
        .fold((u64::MAX, 0u64), |(a, o), &k| (a & k, o | k));
    let (lo, hi) = varying_bits(and, or);
    let plan = DigitPlan::new(lo, hi);
    let passes = plan.offsets(keys.iter().copied(), n);
    if passes.is_empty() {
        return;
    }
    let mask = (1u64 << plan.width) - 1;
    let mut k2 = vec![0u64; n];
    let mut p2 = vec![0u32; n];
    for (shift, mut offs) in passes {
        for (&k, &v) in keys.iter().zip(payload.iter()) {
            let d = ((k >> shift) & mask) as usize;
            let o = offs[d];
            k2[o] = k;
            p2[o] = v;
            offs[d] = o + 1;
        }
        std::mem::swap(keys, &mut k2);
        std::mem::swap(payload, &mut p2);
    }
}

/// Stable LSD radix sort of `v` on its bits `lo..hi` only (the bits below
/// `lo` ride along). Used for keys packed with a payload in their low bits.
fn sort_packed(v: &mut Vec<u64>, lo: u32, hi: u32) {
    let n = v.len();
    if n < SMALL {
        let m = if hi - lo >= 64 {
            u64::MAX
        } else {
            (1u64 << (hi - lo)) - 1
        };
        v.sort_by_key(|&x| (x >> lo) & m); // stable
        return;
    }
    let plan = DigitPlan::new(lo, hi);
    let passes = plan.offsets(v.iter().copied(), n);
    if passes.is_empty() {
        return;
    }
    let mask = (1u64 << plan.width) - 1;
    let mut v2 = vec![0u64; n];
    for (shift, mut offs) in passes {
        for &x in v.iter() {
            let d = ((x >> shift) & mask) as usize;
            let o = offs[d];
            v2[o] = x;
            offs[d] = o + 1;
        }
        std::mem::swap(v, &mut v2);
    }
}

/// Checks that `n` rows can be indexed by `u32`.
pub(crate) fn check_len(n: usize) -> Result<(), SurvivalError> {
    if n > u32::MAX as usize {
        return Err(SurvivalError::TooLarge { n });
    }
    Ok(())
}

/// Stable ascending order of `time`: `time[order[0]] <= time[order[1]] <= ...`,
/// rows with equal times kept in input order.
///
/// Definition: the permutation that sorts the keys of an LSD radix sort on
/// the order-preserving `u64` image of each value (`-0.0` equals `0.0`, NaN
/// sorts last). Reference: Knuth, *TAOCP* vol. 3, section 5.2.5 (radix
/// sorting).
///
/// # Panics
///
/// Never on finite input; if `time.len()` exceeds `u32::MAX` the order
/// cannot be expressed in `u32` and the function panics (use the fallible
/// survival routines, which report [`SurvivalError::TooLarge`]).
///
/// # Example
///
/// ```
/// use oncomark_survival::order::time_order;
/// let t = [5.0, 1.0, 3.0, 1.0];
/// assert_eq!(time_order(&t), vec![1, 3, 2, 0]);
/// ```
pub fn time_order(time: &[f64]) -> Vec<u32> {
    assert!(
        time.len() <= u32::MAX as usize,
        "time_order: more than u32::MAX rows"
    );
    let n = time.len();
    let mut keys: Vec<u64> = Vec::with_capacity(n);
    let (mut and, mut or) = (u64::MAX, 0u64);
    for &x in time {
        let k = f64_key(x);
        and &= k;
        or |= k;
        keys.push(k);
    }
    let (lo, hi) = varying_bits(and, or);
    let span = hi - lo;
    let idx_bits = 32 - (n.saturating_sub(1) as u32).leading_zeros();
    if n >= SMALL && span + idx_bits <= 64 {
        // one u64 per row: varying key bits above the row index
        let vmask = (1u64 << span) - 1; // span <= 64 - idx_bits < 64 here
        for (i, k) in keys.iter_mut().enumerate() {
            *k = (((*k >> lo) & vmask) << idx_bits) | i as u64;
        }
        sort_packed(&mut keys, idx_bits, idx_bits + span);
        let imask = (1u64 << idx_bits) - 1;
        return keys.iter().map(|&p| (p & imask) as u32).collect();
    }
    let mut idx: Vec<u32> = (0..n as u32).collect();
    sort_keys_with_payload(&mut keys, &mut idx);
    idx
}

/// Replaces, in place, each run of tied times in an ascending slice by the
/// smallest value of the run, using R's `aeqSurv` rule (see the [module
/// docs](self)). Returns the number of distinct times left.
///
/// Precondition: `sorted` is ascending and finite (NaN values are left
/// alone, but make the result meaningless).
///
/// # Example
///
/// ```
/// use oncomark_survival::order::merge_tied_times;
/// let mut t = [1.0, 1.0 + 1e-12, 2.0, 2.0 + 1e-9, 3.0];
/// assert_eq!(merge_tied_times(&mut t), 3);
/// assert_eq!(t, [1.0, 1.0, 2.0, 2.0, 3.0]);
/// ```
pub fn merge_tied_times(sorted: &mut [f64]) -> usize {
    if sorted.is_empty() {
        return 0;
    }
    // mean |y| over the distinct values
    let mut sum = 0.0;
    let mut m = 0usize;
    let mut prev = f64::NAN;
    for &y in sorted.iter() {
        if y != prev {
            sum += y.abs();
            m += 1;
            prev = y;
        }
    }
    let mean = sum / m as f64;
    let mut distinct = 1usize;
    let mut rep = sorted[0];
    let mut last = sorted[0]; // last distinct original value seen
    for y in sorted.iter_mut().skip(1) {
        let v = *y;
        if v != last {
            let dy = v - last;
            let tied = dy <= AEQ_TOLERANCE || dy / mean <= AEQ_TOLERANCE;
            last = v;
            if !tied {
                rep = v;
                distinct += 1;
            }
        }
        *y = rep;
    }
    distinct
}

/// Running statistics of the distinct values of an ascending sequence,
/// enough to tell whether R's tie rule can merge anything.
struct DistinctStats {
    sum: f64,
    m: usize,
    min_gap: f64,
    prev: f64,
}

impl DistinctStats {
    fn new() -> Self {
        Self {
            sum: 0.0,
            m: 0,
            min_gap: f64::INFINITY,
            prev: f64::NAN,
        }
    }

    #[inline]
    fn push(&mut self, y: f64) {
        if y != self.prev {
            self.sum += y.abs();
            self.m += 1;
            self.min_gap = self.min_gap.min(y - self.prev); // NaN first gap ignored
            self.prev = y;
        }
    }

    /// `false` when no two distinct neighbours are anywhere near the
    /// tolerance (the rule ties `dy <= tol` or `dy / mean <= tol`; a wide
    /// margin keeps rounding out of the decision).
    fn may_merge(&self) -> bool {
        if self.m < 2 {
            return false;
        }
        let mean = self.sum / self.m as f64;
        self.min_gap <= 4.0 * AEQ_TOLERANCE * mean.max(1.0)
    }
}

/// Distinct times of an ascending slice after R's tie rule, as runs.
///
/// `starts[j]..starts[j + 1]` are the positions of the `j`-th distinct time
/// and `times[j]` its value (the smallest member of the run), so
/// `starts.len() == times.len() + 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct TiedTimes {
    /// Start position of each run, then `sorted.len()`.
    pub starts: Vec<usize>,
    /// The time of each run (its smallest value, as R reports it).
    pub times: Vec<f64>,
}

/// Groups an ascending slice into runs of tied times by R's `aeqSurv` rule
/// (see the [module docs](self)); used by Kaplan-Meier, the log-rank tests
/// and Cox regression.
///
/// Precondition: `sorted` is ascending (for instance `time` permuted by
/// [`time_order`]) and finite.
///
/// # Example
///
/// ```
/// use oncomark_survival::order::{time_order, tied_time_groups};
/// let t = [2.0, 1.0, 2.0 + 1e-10, 7.0];
/// let sorted: Vec<f64> = time_order(&t).iter().map(|&i| t[i as usize]).collect();
/// let g = tied_time_groups(&sorted);
/// assert_eq!(g.starts, vec![0, 1, 3, 4]);
/// assert_eq!(g.times, vec![1.0, 2.0, 7.0]);
/// ```
pub fn tied_time_groups(sorted: &[f64]) -> TiedTimes {
    let mut merged = sorted.to_vec();
    let m = merge_tied_times(&mut merged);
    let mut starts = Vec::with_capacity(m + 1);
    let mut times = Vec::with_capacity(m);
    for (j, &v) in merged.iter().enumerate() {
        if j == 0 || v != merged[j - 1] {
            starts.push(j);
            times.push(v);
        }
    }
    starts.push(sorted.len());
    TiedTimes { starts, times }
}

/// Checks `time` (finite, non-negative) and `event` lengths.
pub(crate) fn validate_time_event(time: &[f64], event: &[bool]) -> Result<(), SurvivalError> {
    if event.len() != time.len() {
        return Err(SurvivalError::LengthMismatch {
            what: "event",
            got: event.len(),
            expected: time.len(),
        });
    }
    if time.is_empty() {
        return Err(SurvivalError::Empty);
    }
    check_len(time.len())?;
    for (i, &t) in time.iter().enumerate() {
        if !t.is_finite() {
            return Err(SurvivalError::NonFinite {
                what: "time",
                index: i,
                value: t,
            });
        }
        if t < 0.0 {
            return Err(SurvivalError::NegativeTime { index: i, value: t });
        }
    }
    Ok(())
}

/// Checks group indices against the number of groups.
pub(crate) fn validate_groups(
    group: &[u32],
    n: usize,
    n_groups: usize,
) -> Result<(), SurvivalError> {
    if group.len() != n {
        return Err(SurvivalError::LengthMismatch {
            what: "group",
            got: group.len(),
            expected: n,
        });
    }
    if n_groups > (u32::MAX >> 1) as usize {
        return Err(SurvivalError::TooLarge { n: n_groups });
    }
    for (i, &g) in group.iter().enumerate() {
        if g as usize >= n_groups {
            return Err(SurvivalError::GroupOutOfRange {
                index: i,
                value: g,
                n_groups,
            });
        }
    }
    Ok(())
}

/// Validated survival data sorted once by time, ties merged by R's rule,
/// shared by Kaplan-Meier and the log-rank tests so that a pipeline which
/// needs both sorts only once.
///
/// Build it with [`SortedSurv::new`], then pass it to
/// [`crate::km::kaplan_meier_sorted`] and [`crate::logrank::logrank_sorted`].
#[derive(Debug, Clone)]
pub struct SortedSurv {
    /// Times in ascending order after the tie rule.
    pub(crate) time: Vec<f64>,
    /// Per sorted row: `group << 1 | event`.
    pub(crate) code: Vec<u32>,
    /// Number of groups (labels), including empty ones.
    pub(crate) n_groups: usize,
    /// Subjects per group.
    pub(crate) n_per_group: Vec<u32>,
    /// Events per group.
    pub(crate) events_per_group: Vec<u32>,
}

impl SortedSurv {
    /// Validates and sorts `time`, `event` and `group` (`group[i] < n_groups`).
    ///
    /// # Errors
    ///
    /// [`SurvivalError::LengthMismatch`], [`SurvivalError::Empty`],
    /// [`SurvivalError::NonFinite`], [`SurvivalError::NegativeTime`],
    /// [`SurvivalError::GroupOutOfRange`], [`SurvivalError::TooLarge`].
    ///
    /// # Example
    ///
    /// ```
    /// use oncomark_survival::order::SortedSurv;
    /// let s = SortedSurv::new(&[3.0, 1.0], &[true, false], &[0, 1], 2)?;
    /// assert_eq!(s.len(), 2);
    /// # Ok::<(), oncomark_survival::SurvivalError>(())
    /// ```
    pub fn new(
        time: &[f64],
        event: &[bool],
        group: &[u32],
        n_groups: usize,
    ) -> Result<Self, SurvivalError> {
        let n = time.len();
        if event.len() != n || group.len() != n || n == 0 || n_groups > (u32::MAX >> 1) as usize {
            validate_time_event(time, event)?;
            validate_groups(group, n, n_groups)?;
        }
        check_len(n)?;
        // keys, with validity and the bits in which keys differ, in one pass
        let mut keys: Vec<u64> = Vec::with_capacity(n);
        let (mut and, mut or) = (u64::MAX, 0u64);
        let mut ok = true;
        let mut gmax = 0u32;
        for (&t, &g) in time.iter().zip(group) {
            ok &= (0.0..f64::INFINITY).contains(&t);
            gmax = gmax.max(g);
            let k = f64_key(t);
            and &= k;
            or |= k;
            keys.push(k);
        }
        if !ok || gmax as usize >= n_groups {
            validate_time_event(time, event)?;
            validate_groups(group, n, n_groups)?;
        }
        let code_bits = 32 - ((gmax << 1) | 1).leading_zeros();
        let (lo, hi) = varying_bits(and, or);
        let span = hi - lo;
        let mut n_per_group = vec![0u32; n_groups];
        let mut events_per_group = vec![0u32; n_groups];
        let mut stats = DistinctStats::new();
        let mut count = |c: u32| {
            n_per_group[(c >> 1) as usize] += 1;
            events_per_group[(c >> 1) as usize] += c & 1;
        };
        // the decoded times reuse the key buffer (in-place collect): fewer
        // fresh pages, which cost as much as a radix pass at n = 1e6
        let (mut t, code): (Vec<f64>, Vec<u32>) = if span + code_bits <= 64 {
            // pack the varying key bits above the code: one u64 per row
            let vmask = if span == 64 {
                u64::MAX
            } else {
                (1u64 << span) - 1
            };
            let base = and & !(vmask << lo);
            let mut packed = keys;
            for ((k, &g), &e) in packed.iter_mut().zip(group).zip(event) {
                *k = (((*k >> lo) & vmask) << code_bits) | ((g << 1) | e as u32) as u64;
            }
            sort_packed(&mut packed, code_bits, code_bits + span);
            let cmask = (1u64 << code_bits) - 1;
            let code = packed
                .iter()
                .map(|&p| {
                    let c = (p & cmask) as u32;
                    count(c);
                    c
                })
                .collect();
            let t = packed
                .into_iter()
                .map(|p| {
                    let y = key_f64(base | (((p >> code_bits) & vmask) << lo));
                    stats.push(y);
                    y
                })
                .collect();
            (t, code)
        } else {
            let mut payload: Vec<u32> = group
                .iter()
                .zip(event)
                .map(|(&g, &e)| (g << 1) | e as u32)
                .collect();
            sort_keys_with_payload(&mut keys, &mut payload);
            payload.iter().for_each(|&c| count(c));
            let t = keys
                .into_iter()
                .map(|k| {
                    let y = key_f64(k);
                    stats.push(y);
                    y
                })
                .collect();
            (t, payload)
        };
        if stats.may_merge() {
            merge_tied_times(&mut t);
        }
        Ok(Self {
            time: t,
            code,
            n_groups,
            n_per_group,
            events_per_group,
        })
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// `true` when there are no observations (never, once validated).
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Number of groups (as declared, including empty ones).
    pub fn n_groups(&self) -> usize {
        self.n_groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_roundtrip_and_order() {
        let xs = [-3.5, -0.0, 0.0, 1e-300, 1.0, 2.5, 1e300];
        for w in xs.windows(2) {
            assert!(f64_key(w[0]) <= f64_key(w[1]));
        }
        for &x in &xs {
            assert_eq!(key_f64(f64_key(x)), x + 0.0);
        }
        assert_eq!(f64_key(-0.0), f64_key(0.0));
    }

    #[test]
    fn radix_matches_std_stable_sort() {
        // deterministic pseudo-random data with many ties, large enough for radix
        let mut s = 12345u64;
        let t: Vec<f64> = (0..5000)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 33) % 300) as f64 * 0.5 - 20.0
            })
            .collect();
        let got = time_order(&t);
        let mut want: Vec<u32> = (0..t.len() as u32).collect();
        want.sort_by(|&a, &b| t[a as usize].partial_cmp(&t[b as usize]).unwrap());
        assert_eq!(got, want);
    }

    fn check_sorted_surv(t: &[f64], g: &[u32], k: usize) {
        let e: Vec<bool> = (0..t.len()).map(|i| matches!(i % 3, 1 | 2)).collect();
        let s = SortedSurv::new(t, &e, g, k).unwrap();
        let mut idx: Vec<usize> = (0..t.len()).collect();
        idx.sort_by(|&a, &b| t[a].partial_cmp(&t[b]).unwrap()); // stable
        let mut want_t: Vec<f64> = idx.iter().map(|&i| t[i]).collect();
        merge_tied_times(&mut want_t);
        let want_c: Vec<u32> = idx.iter().map(|&i| (g[i] << 1) | e[i] as u32).collect();
        assert_eq!(s.time, want_t);
        assert_eq!(s.code, want_c);
        for j in 0..k {
            assert_eq!(
                s.n_per_group[j] as usize,
                g.iter().filter(|&&x| x as usize == j).count()
            );
        }
    }

    #[test]
    fn sorted_surv_packed_and_unpacked_paths_match_std_sort() {
        let mut s = 99u64;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s >> 11
        };
        // integer days: packed path, two radix passes
        let t: Vec<f64> = (0..3000).map(|_| (next() % 4000) as f64).collect();
        let g: Vec<u32> = (0..3000).map(|_| (next() % 5) as u32).collect();
        check_sorted_surv(&t, &g, 5);
        // values over many binades plus near-ties: keys differ in 63 bits,
        // too wide to pack with the code
        let t: Vec<f64> = (0..3000)
            .map(|i| {
                let x = (next() % 1_000_000) as f64 * 10f64.powi((next() % 40) as i32 - 20);
                if matches!(i % 7, 0) {
                    1.0 + 1e-12 * (i % 3) as f64
                } else {
                    x
                }
            })
            .collect();
        let g: Vec<u32> = (0..3000).map(|_| (next() % 2) as u32).collect();
        check_sorted_surv(&t, &g, 2);
        // all equal times
        check_sorted_surv(&[2.5; 300], &[0; 300], 1);
    }

    #[test]
    fn time_order_packed_path_is_stable() {
        // non-negative integer days: keys differ in few bits, indices packed
        let mut s = 7u64;
        let t: Vec<f64> = (0..4000)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 33) % 900) as f64
            })
            .collect();
        let mut want: Vec<u32> = (0..t.len() as u32).collect();
        want.sort_by(|&a, &b| t[a as usize].partial_cmp(&t[b as usize]).unwrap());
        assert_eq!(time_order(&t), want);
    }

    #[test]
    fn ties_chain_and_keep_smallest() {
        // 1, 1+1e-9, 1+2e-9 chain into one group; 5 alone
        let mut t = [1.0, 1.0 + 1e-9, 1.0 + 2e-9, 5.0];
        assert_eq!(merge_tied_times(&mut t), 2);
        assert_eq!(t, [1.0, 1.0, 1.0, 5.0]);
    }

    #[test]
    fn relative_rule_uses_mean_of_distinct_values() {
        // mean |y| = (1e6 + 1e6+0.001) / 2 ~ 1e6: a gap of 0.001 is 1e-9 relative
        let mut t = [1e6, 1e6 + 0.001];
        assert_eq!(merge_tied_times(&mut t), 1);
        // with small values present the mean is smaller and the same gap is kept
        let mut t = [0.001, 0.002, 1.0, 1.0 + 1e-7];
        assert_eq!(merge_tied_times(&mut t), 4);
    }
}
