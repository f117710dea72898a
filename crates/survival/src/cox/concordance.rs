//! Harrell's concordance of a fitted Cox model, as R `coxph` reports it.

use super::problem::CoxProblem;
use crate::order::{f64_key, sort_keys_with_payload};
use rayon::prelude::*;
use serde::Serialize;

/// Pair counts behind the concordance (R `concordancefit`'s `count`, in the
/// orientation `coxph` reports: a higher linear predictor predicts a
/// shorter survival).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ConcordanceCounts {
    /// Comparable pairs where the subject with the event has the higher
    /// linear predictor.
    pub concordant: f64,
    /// Comparable pairs where it has the lower one.
    pub discordant: f64,
    /// Comparable pairs tied on the linear predictor.
    pub tied_x: f64,
    /// Pairs of events at the same time with different linear
    /// predictors (not comparable).
    pub tied_y: f64,
    /// Pairs of events at the same time and with equal linear predictor.
    pub tied_xy: f64,
}

impl ConcordanceCounts {
    /// Harrell's C: `(concordant + tied_x / 2) / (concordant + discordant + tied_x)`,
    /// `None` when no pair is comparable.
    ///
    /// # Example
    /// ```
    /// use oncomark_survival::cox::ConcordanceCounts;
    /// let c = ConcordanceCounts { concordant: 5.0, tied_x: 4.0, ..Default::default() };
    /// assert_eq!(c.concordance(), Some(7.0 / 9.0));
    /// assert_eq!(ConcordanceCounts::default().concordance(), None);
    /// ```
    pub fn concordance(&self) -> Option<f64> {
        let npair = self.concordant + self.discordant + self.tied_x;
        (npair > 0.0).then(|| (self.concordant + 0.5 * self.tied_x) / npair)
    }
}

/// A Fenwick (binary indexed) tree of counts over ranks `0..n`.
struct Fenwick {
    t: Vec<u32>,
}

impl Fenwick {
    fn new(n: usize) -> Self {
        Fenwick { t: vec![0; n + 1] }
    }
    fn add(&mut self, i: usize) {
        let mut k = i + 1;
        while k < self.t.len() {
            self.t[k] += 1;
            k += k & k.wrapping_neg();
        }
    }
    /// Sum of counts at ranks `< i`.
    fn prefix(&self, i: usize) -> u64 {
        let mut k = i;
        let mut s = 0u64;
        while k > 0 {
            s += self.t[k] as u64;
            k &= k - 1;
        }
        s
    }
}

/// Pair counts as integers (exact up to 2^64).
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    conc: u64,
    disc: u64,
    tied_x: u64,
    tied_xy: u64,
}

impl std::ops::Add for Tally {
    type Output = Tally;
    fn add(self, o: Tally) -> Tally {
        Tally {
            conc: self.conc + o.conc,
            disc: self.disc + o.disc,
            tied_x: self.tied_x + o.tied_x,
            tied_xy: self.tied_xy + o.tied_xy,
        }
    }
}

/// Strata with at least this many subjects are split by value (see
/// [`counts`]).
const SPLIT_MIN: usize = 1 << 16;
/// Number of value ranges a large stratum is split into.
const PARTS: usize = 16;

/// Dense ranks of `keys` (equal keys share a rank) and their number.
fn dense_ranks(keys: &[u64]) -> (Vec<u32>, usize) {
    let mut sorted = keys.to_vec();
    let mut idx: Vec<u32> = (0..keys.len() as u32).collect();
    sort_keys_with_payload(&mut sorted, &mut idx);
    let mut rank = vec![0u32; keys.len()];
    let mut r = 0u32;
    for i in 0..sorted.len() {
        if i > 0 && sorted[i] != sorted[i - 1] {
            r += 1;
        }
        rank[idx[i] as usize] = r;
    }
    (rank, r as usize + 1)
}

/// Count the pairs among subjects with ranks `rank[i] - lo` in
/// `0..nrank`, visited in processing order. `code[i] = group << 1 | event`:
/// the events of one tied-time group are consecutive, after its censored
/// subjects. Each event is compared with all subjects visited before it
/// except the events of its own group.
fn tally(rank: &[u32], code: &[u32], lo: u32, nrank: usize) -> Tally {
    let m = rank.len();
    let mut tree = Fenwick::new(nrank);
    let mut at = vec![0u32; nrank];
    let mut total = 0u64;
    let mut t = Tally::default();
    let mut eq_before: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < m {
        if code[i] & 1 == 0 {
            let k = (rank[i] - lo) as usize;
            tree.add(k);
            at[k] += 1;
            total += 1;
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < m && code[j] == code[i] {
            j += 1;
        }
        eq_before.clear();
        for &k in &rank[i..j] {
            let k = (k - lo) as usize;
            let less = tree.prefix(k);
            let eq = at[k] as u64;
            t.conc += less;
            t.tied_x += eq;
            t.disc += total - less - eq;
            eq_before.push(at[k]);
        }
        for (&k, &e) in rank[i..j].iter().zip(&eq_before) {
            let k = (k - lo) as usize;
            // events of this group with the same value added so far
            t.tied_xy += (at[k] - e) as u64;
            tree.add(k);
            at[k] += 1;
            total += 1;
        }
        i = j;
    }
    t
}

/// Concordance counts of the linear predictor `lp_sorted` (in the
/// problem's sorted order).
///
/// Definition (R survival 3.5 `concordancefit(y, lp, strata, reverse =
/// TRUE, timefix = FALSE)`, as called by `coxph`): within each stratum, a
/// pair (i, j) is comparable when i has an event at `t_i` and j is still at
/// risk after it: `t_j > t_i`, or `t_j = t_i` with j censored (a censoring
/// at an event time counts as later). It is concordant when
/// `lp_i > lp_j`, discordant when `lp_i < lp_j`, tied on x when equal. Two
/// events at the same time are not comparable: tied on y, or tied on x and
/// y when their linear predictors are equal too (R 3.5-3 counts the two
/// kinds apart). Harrell et al. (1982) JAMA 247:2543; Therneau, *The
/// concordance statistic* (survival vignette).
///
/// Algorithm: subjects in decreasing time (censored before events at a
/// tied time); each event is compared with everyone already seen through a
/// Fenwick tree over the ranks of the linear predictor (ranks from a radix
/// sort): O(n log n). A large stratum is split into [`PARTS`] ranges of
/// values: one linear pass counts the pairs whose members fall in different
/// ranges (running counts per range), and the pairs within each range are
/// counted independently, each with its own small (cache-resident) sort
/// and tree, in parallel.
pub(crate) fn counts(pr: &CoxProblem, lp_sorted: &[f64]) -> ConcordanceCounts {
    if let Some(plan) = &pr.entry {
        return super::counting::concordance(pr, plan, lp_sorted);
    }
    let mut tot = Tally::default();
    let mut ty_all = 0u64;
    for s in &pr.strata {
        let (s0, s1) = (s.start as usize, s.end as usize);
        let groups = &pr.groups[s.g_start as usize..s.g_end as usize];
        let keys: Vec<u64> = lp_sorted[s0..s1].iter().map(|&v| f64_key(v)).collect();
        let mut code = vec![0u32; s1 - s0];
        for (gi, g) in groups.iter().enumerate() {
            let gc = (gi as u32) << 1;
            for i in g.start as usize..g.dead as usize {
                code[i - s0] = gc;
            }
            for i in g.dead as usize..g.end as usize {
                code[i - s0] = gc | 1;
            }
            let d = (g.end - g.dead) as u64;
            ty_all += d * d.saturating_sub(1) / 2;
        }
        tot = tot
            + if keys.len() < SPLIT_MIN {
                let (rank, nrank) = dense_ranks(&keys);
                tally(&rank, &code, 0, nrank)
            } else {
                tally_split(&keys, &code, groups, s0)
            };
    }
    ConcordanceCounts {
        concordant: tot.conc as f64,
        discordant: tot.disc as f64,
        tied_x: tot.tied_x as f64,
        tied_y: (ty_all - tot.tied_xy) as f64,
        tied_xy: tot.tied_xy as f64,
    }
}

/// What pass 1 of [`tally_split`] finds in a run of groups, counted from
/// an empty risk set.
struct Pass1 {
    conc: u64,
    disc: u64,
    /// Subjects per part.
    cnt: Vec<u64>,
    /// Events per part.
    dead: Vec<u64>,
}

fn code_base(gs: &[super::problem::Group], s0: usize) -> usize {
    gs.first().map_or(0, |g| g.start as usize - s0)
}

/// Pass 1 over the groups `gs`: part of each subject (into `part`, which
/// starts at the first subject of `gs`) and the pairs across parts.
fn pass1(
    keys: &[u64],
    base: usize,
    gs: &[super::problem::Group],
    s0: usize,
    part_of: &(impl Fn(u64) -> usize + Sync),
    np: usize,
    part: &mut [u8],
) -> Pass1 {
    let mut r = Pass1 {
        conc: 0,
        disc: 0,
        cnt: vec![0; np],
        dead: vec![0; np],
    };
    for g in gs {
        let (a, d, b) = (
            g.start as usize - s0,
            g.dead as usize - s0,
            g.end as usize - s0,
        );
        for i in a..d {
            let q = part_of(keys[i]);
            part[i - base] = q as u8;
            r.cnt[q] += 1;
        }
        for i in d..b {
            let q = part_of(keys[i]);
            part[i - base] = q as u8;
            r.conc += r.cnt[..q].iter().sum::<u64>();
            r.disc += r.cnt[q + 1..].iter().sum::<u64>();
        }
        for i in d..b {
            let q = part[i - base] as usize;
            r.cnt[q] += 1;
            r.dead[q] += 1;
        }
    }
    r
}

/// [`tally`] for a large stratum, split into at most [`PARTS`] ranges of
/// values, cut between the values' top 16 bits (so equal values share a
/// range) to balance the counts.
fn tally_split(keys: &[u64], code: &[u32], groups: &[super::problem::Group], s0: usize) -> Tally {
    let n = keys.len();
    let mut hist = vec![0u32; 1 << 16];
    for &k in keys {
        hist[(k >> 48) as usize] += 1;
    }
    // lut: top 16 bits -> part; a part closes once it holds n / PARTS
    let mut lut = vec![0u8; 1 << 16];
    let (mut q, mut filled) = (0usize, 0usize);
    for (b, &h) in hist.iter().enumerate() {
        lut[b] = q as u8;
        filled += h as usize;
        if filled * PARTS >= (q + 1) * n && q + 1 < PARTS {
            q += 1;
        }
    }
    let np = q + 1;
    let part_of = |k: u64| lut[(k >> 48) as usize] as usize;

    // pass 1: pairs across parts, with running counts per part; the
    // groups are cut into one chunk per thread, each counted from zero,
    // then joined: a chunk's events also pair with every subject of the
    // chunks before it
    let mut part = vec![0u8; n];
    let nchunk = rayon::current_num_threads().clamp(1, 8);
    let mut cuts = vec![0usize];
    for c in 1..nchunk {
        let target = s0 + c * n / nchunk;
        let g = groups.partition_point(|g| (g.start as usize) < target);
        cuts.push(g.max(*cuts.last().unwrap_or(&0)));
    }
    cuts.push(groups.len());
    let mut slices: Vec<(&[super::problem::Group], &mut [u8])> = Vec::new();
    let mut rest: &mut [u8] = &mut part;
    let mut pos = 0usize;
    for w in cuts.windows(2) {
        let gs = &groups[w[0]..w[1]];
        let end = gs.last().map_or(pos, |g| g.end as usize - s0);
        let (head, tail) = rest.split_at_mut(end - pos);
        slices.push((gs, head));
        rest = tail;
        pos = end;
    }
    let chunks: Vec<Pass1> = slices
        .into_par_iter()
        .map(|(gs, part)| pass1(keys, code_base(gs, s0), gs, s0, &part_of, np, part))
        .collect();
    let mut t = Tally::default();
    let mut cnt = vec![0u64; np];
    for c in &chunks {
        t.conc += c.conc;
        t.disc += c.disc;
        let total: u64 = cnt.iter().sum();
        let mut below = 0u64;
        for q in 0..np {
            t.conc += c.dead[q] * below;
            t.disc += c.dead[q] * (total - below - cnt[q]);
            below += cnt[q];
        }
        for q in 0..np {
            cnt[q] += c.cnt[q];
        }
    }
    // bucket by part, keeping the visiting order
    let mut start = vec![0usize; np + 1];
    for q in 0..np {
        start[q + 1] = start[q] + cnt[q] as usize;
    }
    let mut next = start.clone();
    let mut bk = vec![0u64; n];
    let mut bc = vec![0u32; n];
    for i in 0..n {
        let q = part[i] as usize;
        bk[next[q]] = keys[i];
        bc[next[q]] = code[i];
        next[q] += 1;
    }
    let within: Vec<Tally> = (0..np)
        .into_par_iter()
        .map(|q| {
            let (a, b) = (start[q], start[q + 1]);
            let (rank, nrank) = dense_ranks(&bk[a..b]);
            tally(&rank, &bc[a..b], 0, nrank)
        })
        .collect();
    within.into_iter().fold(t, |a, b| a + b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cox::{CoxData, Ties};

    /// splitmix64
    fn rng(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn problem(n: usize, seed: u64, ntime: u64, nx: u64) -> (CoxProblem, Vec<f64>) {
        let mut s = seed;
        let time: Vec<f64> = (0..n).map(|_| (rng(&mut s) % ntime) as f64).collect();
        let event: Vec<bool> = (0..n).map(|_| rng(&mut s) % 3 < 2).collect();
        let x: Vec<f64> = (0..n).map(|_| (rng(&mut s) % nx) as f64).collect();
        let d = CoxData::new(&time, &event, &[x], &["x"]).unwrap();
        let pr = CoxProblem::new(&d, Ties::Breslow).unwrap();
        let lp = pr.eta_sorted(&[1.0]);
        (pr, lp)
    }

    /// O(n^2) definition, straight from the R documentation.
    fn brute(pr: &CoxProblem, lp: &[f64]) -> ConcordanceCounts {
        let mut c = ConcordanceCounts::default();
        let n = pr.n;
        let mut ev = vec![false; n];
        for g in &pr.groups {
            for i in g.dead as usize..g.end as usize {
                ev[i] = true;
            }
        }
        let t = &pr.time;
        for i in 0..n {
            if !ev[i] {
                continue;
            }
            for j in 0..n {
                if i == j {
                    continue;
                }
                if t[j] > t[i] || (t[j] == t[i] && !ev[j]) {
                    if lp[i] > lp[j] {
                        c.concordant += 1.0;
                    } else if lp[i] < lp[j] {
                        c.discordant += 1.0;
                    } else {
                        c.tied_x += 1.0;
                    }
                } else if t[j] == t[i] && ev[j] && j < i {
                    if lp[i] == lp[j] {
                        c.tied_xy += 1.0;
                    } else {
                        c.tied_y += 1.0;
                    }
                }
            }
        }
        c
    }

    #[test]
    fn fenwick_matches_brute_force() {
        for seed in 0..20 {
            let (pr, lp) = problem(60, seed, 12, 5);
            assert_eq!(counts(&pr, &lp), brute(&pr, &lp), "seed {seed}");
        }
    }

    #[test]
    fn split_matches_single_tree() {
        // one stratum larger than SPLIT_MIN, with ties in time and in x
        let (pr, lp) = problem(SPLIT_MIN + 5000, 7, 3000, 20_000);
        let split = counts(&pr, &lp);
        let keys: Vec<u64> = lp.iter().map(|&v| f64_key(v)).collect();
        let (rank, nrank) = dense_ranks(&keys);
        let mut code = vec![0u32; pr.n];
        for (gi, g) in pr.groups.iter().enumerate() {
            for i in g.start as usize..g.end as usize {
                code[i] = ((gi as u32) << 1) | (i >= g.dead as usize) as u32;
            }
        }
        let one = tally(&rank, &code, 0, nrank);
        assert_eq!(split.concordant, one.conc as f64);
        assert_eq!(split.discordant, one.disc as f64);
        assert_eq!(split.tied_x, one.tied_x as f64);
        assert_eq!(split.tied_xy, one.tied_xy as f64);
        assert!(split.tied_x > 0.0 && split.tied_xy > 0.0);
        // more chunks in pass 1 than cores: same counts
        for threads in [1, 3, 5] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(
                pool.install(|| counts(&pr, &lp)),
                split,
                "{threads} threads"
            );
        }
    }
}
