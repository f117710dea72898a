//! The checked contingency table and its descriptive summaries.

use serde::Serialize;

use crate::error::{Result, StatsError};

/// A two-way table of counts, checked once (non-empty, rectangular).
///
/// Rows and columns are categories in the caller's order; the tests that
/// need ordered categories (trend, weighted kappa) use that order.
///
/// ```
/// use oncomark_stats::ContingencyTable;
/// let t = ContingencyTable::new(vec![vec![4, 19], vec![25, 30]]).unwrap();
/// assert_eq!(t.total(), 78);
/// assert_eq!(t.row_totals(), &[23, 55]);
/// assert_eq!(t.col_totals(), &[29, 49]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContingencyTable {
    counts: Vec<Vec<u64>>,
    #[serde(skip)]
    row_totals: Vec<u64>,
    #[serde(skip)]
    col_totals: Vec<u64>,
    #[serde(skip)]
    total: u64,
}

impl ContingencyTable {
    /// Check and wrap a table given row by row.
    ///
    /// # Errors
    /// [`StatsError::TableTooSmall`] when there is no row or no column,
    /// [`StatsError::RaggedTable`] when rows differ in length,
    /// [`StatsError::InvalidParameter`] when the counts total more than
    /// 2^53.
    pub fn new(counts: Vec<Vec<u64>>) -> Result<Self> {
        let rows = counts.len();
        let cols = counts.first().map_or(0, Vec::len);
        if rows == 0 || cols == 0 {
            return Err(StatsError::TableTooSmall { rows, cols });
        }
        for (i, r) in counts.iter().enumerate() {
            if r.len() != cols {
                return Err(StatsError::RaggedTable {
                    row: i,
                    len: r.len(),
                    expected: cols,
                });
            }
        }
        check_counts(counts.iter().flatten().copied())?;
        let row_totals: Vec<u64> = counts.iter().map(|r| r.iter().sum()).collect();
        let col_totals: Vec<u64> = (0..cols)
            .map(|j| counts.iter().map(|r| r[j]).sum())
            .collect();
        let total = row_totals.iter().sum();
        Ok(Self {
            counts,
            row_totals,
            col_totals,
            total,
        })
    }

    /// A 2x2 table `[[a, b], [c, d]]`.
    ///
    /// # Errors
    /// [`StatsError::InvalidParameter`] when the counts total more than
    /// 2^53.
    pub fn two_by_two(t: [[u64; 2]; 2]) -> Result<Self> {
        Self::new(t.iter().map(|r| r.to_vec()).collect())
    }

    /// Cross-tabulate paired category codes: observation `i` falls in row
    /// `rows[i]` and column `cols[i]` (0-based) of an `n_rows` x `n_cols`
    /// table. This is how two raters' scores become an agreement table.
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] when the slices differ in length,
    /// [`StatsError::InvalidParameter`] when a code is out of range,
    /// [`StatsError::TableTooSmall`] when a dimension is 0.
    ///
    /// ```
    /// use oncomark_stats::ContingencyTable;
    /// let t = ContingencyTable::from_codes(&[0, 1, 1, 0], &[0, 1, 0, 0], 2, 2).unwrap();
    /// assert_eq!(t.counts(), &[vec![2, 0], vec![1, 1]]);
    /// ```
    pub fn from_codes(
        rows: &[usize],
        cols: &[usize],
        n_rows: usize,
        n_cols: usize,
    ) -> Result<Self> {
        if rows.len() != cols.len() {
            return Err(StatsError::LengthMismatch {
                what: "cols",
                got: cols.len(),
                expected: rows.len(),
            });
        }
        if n_rows == 0 || n_cols == 0 {
            return Err(StatsError::TableTooSmall {
                rows: n_rows,
                cols: n_cols,
            });
        }
        let mut counts = vec![vec![0u64; n_cols]; n_rows];
        for (&r, &c) in rows.iter().zip(cols) {
            if r >= n_rows {
                return Err(StatsError::InvalidParameter {
                    what: "row code",
                    value: r as f64,
                    reason: "codes must be below the number of rows",
                });
            }
            if c >= n_cols {
                return Err(StatsError::InvalidParameter {
                    what: "column code",
                    value: c as f64,
                    reason: "codes must be below the number of columns",
                });
            }
            counts[r][c] += 1;
        }
        Self::new(counts)
    }

    /// The counts, row by row.
    pub fn counts(&self) -> &[Vec<u64>] {
        &self.counts
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.counts.len()
    }

    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.counts[0].len()
    }

    /// Row sums.
    pub fn row_totals(&self) -> &[u64] {
        &self.row_totals
    }

    /// Column sums.
    pub fn col_totals(&self) -> &[u64] {
        &self.col_totals
    }

    /// Grand total.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// `true` for a 2x2 table.
    pub fn is_2x2(&self) -> bool {
        self.n_rows() == 2 && self.n_cols() == 2
    }

    /// The table as `[[a, b], [c, d]]` if it is 2x2.
    pub fn as_2x2(&self) -> Option<[[u64; 2]; 2]> {
        self.is_2x2().then(|| {
            [
                [self.counts[0][0], self.counts[0][1]],
                [self.counts[1][0], self.counts[1][1]],
            ]
        })
    }

    /// The transposed table.
    pub fn transpose(&self) -> Self {
        let t = (0..self.n_cols())
            .map(|j| self.counts.iter().map(|r| r[j]).collect())
            .collect();
        Self::new(t).expect("transpose of a checked table")
    }

    /// Expected counts under independence, `E_ij = r_i c_j / N`.
    pub fn expected(&self) -> Vec<Vec<f64>> {
        let n = self.total as f64;
        self.row_totals
            .iter()
            .map(|&r| {
                self.col_totals
                    .iter()
                    .map(|&c| r as f64 * c as f64 / n)
                    .collect()
            })
            .collect()
    }

    /// Row, column and total percentages.
    ///
    /// `row[i][j] = 100 n_ij / r_i`, `col[i][j] = 100 n_ij / c_j`,
    /// `total[i][j] = 100 n_ij / N`. A row (column) with total 0 gives NaN
    /// percentages (serialized as `null`).
    ///
    /// ```
    /// use oncomark_stats::ContingencyTable;
    /// let p = ContingencyTable::two_by_two([[4, 19], [25, 30]]).unwrap().percentages();
    /// assert!((p.row[0][0] - 100.0 * 4.0 / 23.0).abs() < 1e-12);
    /// assert!((p.col[1][0] - 100.0 * 25.0 / 29.0).abs() < 1e-12);
    /// ```
    pub fn percentages(&self) -> Percentages {
        let pct = |a: u64, b: u64| {
            if b == 0 {
                f64::NAN
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        let row = self
            .counts
            .iter()
            .zip(&self.row_totals)
            .map(|(r, &t)| r.iter().map(|&v| pct(v, t)).collect())
            .collect();
        let col = self
            .counts
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&self.col_totals)
                    .map(|(&v, &t)| pct(v, t))
                    .collect()
            })
            .collect();
        let total = self
            .counts
            .iter()
            .map(|r| r.iter().map(|&v| pct(v, self.total)).collect())
            .collect();
        Percentages { row, col, total }
    }

    /// Error unless the table is at least 2x2 with observations.
    pub(crate) fn require_testable(&self) -> Result<()> {
        if self.n_rows() < 2 || self.n_cols() < 2 {
            return Err(StatsError::TableTooSmall {
                rows: self.n_rows(),
                cols: self.n_cols(),
            });
        }
        if self.total == 0 {
            return Err(StatsError::EmptyTable);
        }
        Ok(())
    }

    /// Error if a row or column sums to zero.
    pub(crate) fn require_positive_margins(&self) -> Result<()> {
        if let Some(index) = self.row_totals.iter().position(|&v| v == 0) {
            return Err(StatsError::ZeroMargin {
                margin: "row",
                index,
            });
        }
        if let Some(index) = self.col_totals.iter().position(|&v| v == 0) {
            return Err(StatsError::ZeroMargin {
                margin: "column",
                index,
            });
        }
        Ok(())
    }
}

/// Largest total count accepted: counts stay exact in `f64` (2^53).
pub(crate) const MAX_COUNT: u64 = 1 << 53;

/// Error unless the counts and their total stay below [`MAX_COUNT`].
pub(crate) fn check_counts(counts: impl Iterator<Item = u64>) -> Result<()> {
    let mut total: u64 = 0;
    for c in counts {
        total = total.saturating_add(c);
        if total > MAX_COUNT {
            return Err(StatsError::InvalidParameter {
                what: "total count",
                value: total as f64,
                reason: "counts must total at most 2^53",
            });
        }
    }
    Ok(())
}

/// Percentages of a table (see [`ContingencyTable::percentages`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Percentages {
    /// Percent of the row total.
    pub row: Vec<Vec<f64>>,
    /// Percent of the column total.
    pub col: Vec<Vec<f64>>,
    /// Percent of the grand total.
    pub total: Vec<Vec<f64>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_ragged_and_empty() {
        assert_eq!(
            ContingencyTable::new(vec![vec![1, 2], vec![3]]),
            Err(StatsError::RaggedTable {
                row: 1,
                len: 1,
                expected: 2
            })
        );
        assert!(matches!(
            ContingencyTable::new(vec![]),
            Err(StatsError::TableTooSmall { .. })
        ));
    }

    #[test]
    fn percentages_sum_to_100_and_zero_row_is_nan() {
        let t = ContingencyTable::new(vec![vec![1, 3], vec![0, 0], vec![2, 2]]).unwrap();
        let p = t.percentages();
        assert_eq!(p.row[0], vec![25.0, 75.0]);
        assert!(p.row[1][0].is_nan());
        let s: f64 = p.total.iter().flatten().sum();
        assert!((s - 100.0).abs() < 1e-12);
        assert_eq!(p.col[2], vec![200.0 / 3.0, 40.0]);
    }

    #[test]
    fn from_codes_rejects_out_of_range() {
        assert!(matches!(
            ContingencyTable::from_codes(&[0, 2], &[0, 1], 2, 2),
            Err(StatsError::InvalidParameter { .. })
        ));
    }
}
