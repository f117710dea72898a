//! Plate maps: plater-style CSV grids and long well tables, well roles, and
//! the Z'-factor of a plate.
//!
//! # Plate-map grids
//!
//! As R's plater reads them (Hughes, J Open Source Softw 1:106, 2016): each
//! grid starts with a header line whose first cell names the variable and
//! whose other cells are the column numbers `1..n`; then one line per row,
//! labelled `A`, `B`, ... in order; grids are separated by a blank line (a
//! line of empty cells counts as blank). The plate size follows from the
//! number of columns: 3 (6 wells, rows A-B), 4 (12, A-C), 6 (24, A-D),
//! 8 (48, A-F), 12 (96, A-H), 24 (384, A-P). Empty cells and `NA` are
//! missing. One file holds one plate: its layout grids (treatment, dose,
//! cell line, role, ...) and its reading grids.
//!
//! ```text
//! absorbance,1,2,3,...,12
//! A,0.112,1.254,...
//! ...
//! H,...
//!
//! treatment,1,2,3,...,12
//! A,blank,untreated,...
//! ```
//!
//! # Long tables
//!
//! One line per well with a `well` column (`A1` or `A01`), an optional
//! `plate` column, and any other variables as columns.
//!
//! The library takes the text of a file, never a path: the CLI reads files.

use serde::Serialize;

use crate::error::{AssayError, Result};

/// Rows and columns of a standard plate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlateFormat {
    /// Number of rows (A, B, ...).
    pub rows: usize,
    /// Number of columns (1, 2, ...).
    pub cols: usize,
}

impl PlateFormat {
    /// The standard plate with `cols` columns, if there is one.
    pub fn from_cols(cols: usize) -> Option<PlateFormat> {
        let rows = match cols {
            3 => 2,
            4 => 3,
            6 => 4,
            8 => 6,
            12 => 8,
            24 => 16,
            _ => return None,
        };
        Some(PlateFormat { rows, cols })
    }
    /// The standard plate with `wells` wells, if there is one.
    pub fn from_wells(wells: usize) -> Option<PlateFormat> {
        [3, 4, 6, 8, 12, 24]
            .into_iter()
            .filter_map(PlateFormat::from_cols)
            .find(|f| f.wells() == wells)
    }
    /// Number of wells.
    pub fn wells(&self) -> usize {
        self.rows * self.cols
    }
    /// Well name such as `B07` (zero-padded to the width of the last
    /// column) for 0-based row and column.
    pub fn well_name(&self, row: usize, col: usize) -> String {
        let width = if self.cols >= 10 { 2 } else { 1 };
        format!("{}{:0width$}", row_letter(row), col + 1)
    }
    /// Parse a well name (`A1`, `a01`, `H12`) into 0-based (row, column).
    pub fn parse_well(&self, name: &str) -> Option<(usize, usize)> {
        let name = name.trim();
        let mut chars = name.chars();
        let letter = chars.next()?.to_ascii_uppercase();
        if !letter.is_ascii_uppercase() {
            return None;
        }
        let row = (letter as u8 - b'A') as usize;
        let col: usize = chars.as_str().parse().ok()?;
        (row < self.rows && col >= 1 && col <= self.cols).then(|| (row, col - 1))
    }
}

fn row_letter(row: usize) -> char {
    (b'A' + row as u8) as char
}

/// One plate: named variables with one optional text value per well (row
/// major: A1, A2, ..., B1, ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlateMap {
    /// Plate identifier (given by the caller, or from a `plate` column).
    pub plate: String,
    /// Plate size.
    pub format: PlateFormat,
    /// Variable names in file order.
    pub variables: Vec<String>,
    /// `values[v][w]`: value of variable `v` in well `w`.
    pub values: Vec<Vec<Option<String>>>,
}

impl PlateMap {
    /// Values of a variable by name.
    pub fn variable(&self, name: &str) -> Option<&[Option<String>]> {
        self.variables
            .iter()
            .position(|v| v == name)
            .map(|k| self.values[k].as_slice())
    }
}

/// Split one CSV line into trimmed cells (double quotes group a cell and
/// `""` is a literal quote).
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.is_empty())
}

fn missing(cell: &str) -> Option<String> {
    (!(cell.is_empty() || cell == "NA")).then(|| cell.to_string())
}

/// Parse a plater-style plate-map file (one plate, several grids).
///
/// # Errors
///
/// Each names the plate, the grid (variable), the line and the row or
/// column: [`AssayError::NoPlate`], [`AssayError::NoGridName`],
/// [`AssayError::BadColumnHeader`], [`AssayError::UnsupportedPlate`],
/// [`AssayError::BadRowLabel`], [`AssayError::RaggedRow`],
/// [`AssayError::WrongRowCount`], [`AssayError::PlateSizeMismatch`],
/// [`AssayError::DuplicateVariable`].
///
/// # Example
///
/// ```
/// use oncomark_assay::plate::parse_plate_map;
/// let text = "od,1,2,3\nA,0.1,0.2,0.3\nB,0.4,,NA\n\nrole,1,2,3\nA,blank,control,sample\nB,sample,sample,sample\n";
/// let p = parse_plate_map("exp1", text).unwrap();
/// assert_eq!(p.format.wells(), 6);
/// assert_eq!(p.variables, ["od", "role"]);
/// assert_eq!(p.variable("od").unwrap()[3].as_deref(), Some("0.4"));
/// assert_eq!(p.variable("od").unwrap()[4], None);
/// ```
pub fn parse_plate_map(plate: &str, text: &str) -> Result<PlateMap> {
    let lines: Vec<Vec<String>> = text
        .lines()
        .map(|l| split_csv(l.trim_end_matches('\r')))
        .collect();
    let mut format: Option<PlateFormat> = None;
    let mut variables: Vec<String> = Vec::new();
    let mut values: Vec<Vec<Option<String>>> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if is_blank(&lines[i]) {
            i += 1;
            continue;
        }
        // header line
        let header_line = i + 1;
        let header = &lines[i];
        let grid = header[0].clone();
        if grid.is_empty() {
            return Err(AssayError::NoGridName {
                plate: plate.to_string(),
                line: header_line,
            });
        }
        // trailing empty cells (spreadsheet padding) are ignored
        let mut ncols = header.len() - 1;
        while ncols > 0 && header[ncols].is_empty() {
            ncols -= 1;
        }
        for k in 1..=ncols {
            if header[k] != k.to_string() {
                return Err(AssayError::BadColumnHeader {
                    plate: plate.to_string(),
                    grid,
                    line: header_line,
                    position: k + 1,
                    got: header[k].clone(),
                    expected: k.to_string(),
                });
            }
        }
        let Some(f) = PlateFormat::from_cols(ncols) else {
            return Err(AssayError::UnsupportedPlate {
                plate: plate.to_string(),
                grid,
                line: header_line,
                columns: ncols,
            });
        };
        if let Some(first) = format {
            if first != f {
                return Err(AssayError::PlateSizeMismatch {
                    plate: plate.to_string(),
                    grid,
                    got: f.wells(),
                    expected: first.wells(),
                });
            }
        }
        format = Some(f);
        if variables.contains(&grid) {
            return Err(AssayError::DuplicateVariable {
                plate: plate.to_string(),
                name: grid,
            });
        }
        let mut grid_values = vec![None; f.wells()];
        i += 1;
        for r in 0..f.rows {
            let expected = row_letter(r).to_string();
            let wrong_count = |line: usize| AssayError::WrongRowCount {
                plate: plate.to_string(),
                grid: grid.clone(),
                line,
                got: r,
                expected: f.rows,
                columns: f.cols,
                last: row_letter(f.rows - 1),
            };
            if i >= lines.len() || is_blank(&lines[i]) {
                return Err(wrong_count(i + 1));
            }
            let cells = &lines[i];
            if !cells[0].eq_ignore_ascii_case(&expected) {
                return Err(AssayError::BadRowLabel {
                    plate: plate.to_string(),
                    grid,
                    line: i + 1,
                    got: cells[0].clone(),
                    expected,
                });
            }
            let mut n = cells.len() - 1;
            while n > f.cols && cells[n].is_empty() {
                n -= 1;
            }
            if n != f.cols {
                return Err(AssayError::RaggedRow {
                    plate: plate.to_string(),
                    grid,
                    line: i + 1,
                    row: expected,
                    got: n,
                    expected: f.cols,
                });
            }
            for c in 0..f.cols {
                grid_values[r * f.cols + c] = missing(&cells[c + 1]);
            }
            i += 1;
        }
        // the grid must end here: a further row letter means too many rows
        if i < lines.len() && !is_blank(&lines[i]) {
            let first = &lines[i][0];
            let is_row_label = first.len() == 1 && first.chars().all(|c| c.is_ascii_alphabetic());
            if is_row_label {
                let mut extra = 0;
                while i + extra < lines.len() && !is_blank(&lines[i + extra]) {
                    extra += 1;
                }
                return Err(AssayError::WrongRowCount {
                    plate: plate.to_string(),
                    grid,
                    line: i + 1,
                    got: f.rows + extra,
                    expected: f.rows,
                    columns: f.cols,
                    last: row_letter(f.rows - 1),
                });
            }
        }
        variables.push(grid);
        values.push(grid_values);
    }
    let Some(format) = format else {
        return Err(AssayError::NoPlate {
            plate: plate.to_string(),
        });
    };
    Ok(PlateMap {
        plate: plate.to_string(),
        format,
        variables,
        values,
    })
}

/// Parse a long well table (CSV text with a header): a `well` column, an
/// optional `plate` column (plates in order of appearance; without it every
/// line belongs to `default_plate`), and other columns as variables.
///
/// # Errors
///
/// [`AssayError::MissingVariable`] (no `well` column),
/// [`AssayError::RaggedTable`], [`AssayError::BadWell`],
/// [`AssayError::DuplicateWell`], [`AssayError::DuplicateVariable`] (a
/// repeated column name), [`AssayError::UnsupportedPlate`].
///
/// # Example
///
/// ```
/// use oncomark_assay::plate::parse_long_table;
/// let text = "plate,well,od\np1,A1,0.5\np1,H12,0.7\np2,B03,0.6\n";
/// let plates = parse_long_table(text, "plate1", 96).unwrap();
/// assert_eq!(plates.len(), 2);
/// assert_eq!(plates[0].variable("od").unwrap()[95].as_deref(), Some("0.7"));
/// ```
pub fn parse_long_table(text: &str, default_plate: &str, wells: usize) -> Result<Vec<PlateMap>> {
    let Some(format) = PlateFormat::from_wells(wells) else {
        return Err(AssayError::UnsupportedPlate {
            plate: default_plate.to_string(),
            grid: "well".into(),
            line: 0,
            columns: wells,
        });
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(k, l)| (k + 1, split_csv(l.trim_end_matches('\r'))))
        .filter(|(_, c)| !is_blank(c));
    let Some((_, header)) = lines.next() else {
        return Err(AssayError::Empty { what: "long table" });
    };
    let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let Some(well_col) = find("well") else {
        return Err(AssayError::MissingVariable {
            name: "well".into(),
            source_kind: "long table",
            found: header.join(", "),
        });
    };
    let plate_col = find("plate");
    let var_cols: Vec<usize> = (0..header.len())
        .filter(|&k| k != well_col && Some(k) != plate_col)
        .collect();
    for (a, &k) in var_cols.iter().enumerate() {
        if var_cols[..a].iter().any(|&j| header[j] == header[k]) {
            return Err(AssayError::DuplicateVariable {
                plate: default_plate.to_string(),
                name: header[k].clone(),
            });
        }
    }
    let mut plates: Vec<PlateMap> = Vec::new();
    let mut seen: Vec<Vec<bool>> = Vec::new();
    for (line, cells) in lines {
        if cells.len() != header.len() {
            return Err(AssayError::RaggedTable {
                line,
                got: cells.len(),
                expected: header.len(),
            });
        }
        let Some((r, c)) = format.parse_well(&cells[well_col]) else {
            return Err(AssayError::BadWell {
                line,
                value: cells[well_col].clone(),
                wells,
            });
        };
        let name = plate_col
            .map_or(default_plate, |k| cells[k].as_str())
            .to_string();
        let p = match plates.iter().position(|p| p.plate == name) {
            Some(p) => p,
            None => {
                plates.push(PlateMap {
                    plate: name.clone(),
                    format,
                    variables: var_cols.iter().map(|&k| header[k].clone()).collect(),
                    values: vec![vec![None; wells]; var_cols.len()],
                });
                seen.push(vec![false; wells]);
                plates.len() - 1
            }
        };
        let w = r * format.cols + c;
        if seen[p][w] {
            return Err(AssayError::DuplicateWell {
                line,
                plate: name,
                well: format.well_name(r, c),
            });
        }
        seen[p][w] = true;
        for (v, &k) in var_cols.iter().enumerate() {
            plates[p].values[v][w] = missing(&cells[k]);
        }
    }
    if plates.is_empty() {
        return Err(AssayError::Empty { what: "long table" });
    }
    Ok(plates)
}

/// Role of a well in a plate assay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WellRole {
    /// Medium without cells (background).
    Blank,
    /// Untreated or vehicle control: 100 % viability.
    Control,
    /// Positive control (full kill), the low signal of the Z'-factor.
    Positive,
    /// A treated sample.
    Sample,
}

/// Which plate-map variables carry what, and how roles are recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutSpec {
    /// The reading (absorbance, luminescence, ...). Default `absorbance`.
    pub reading: String,
    /// Treatment label. Default `treatment`.
    pub treatment: String,
    /// Dose (numeric, optional variable). Default `dose`.
    pub dose: String,
    /// Cell line (optional variable). Default `cell_line`.
    pub cell_line: String,
    /// Independent experiment (optional; the plate id when absent).
    /// Default `experiment`.
    pub experiment: String,
    /// Well role (optional; inferred from the treatment when absent).
    /// Default `role`.
    pub role: String,
    /// Treatment labels meaning a blank well (case-insensitive) when there
    /// is no role. Default `blank`, `medium`, `empty`.
    pub blank_labels: Vec<String>,
    /// Treatment labels meaning an untreated control. Default `untreated`,
    /// `control`.
    pub control_labels: Vec<String>,
    /// Treatment labels meaning a positive control. Default `positive`.
    pub positive_labels: Vec<String>,
}

impl Default for LayoutSpec {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        LayoutSpec {
            reading: "absorbance".into(),
            treatment: "treatment".into(),
            dose: "dose".into(),
            cell_line: "cell_line".into(),
            experiment: "experiment".into(),
            role: "role".into(),
            blank_labels: s(&["blank", "medium", "empty"]),
            control_labels: s(&["untreated", "control"]),
            positive_labels: s(&["positive"]),
        }
    }
}

/// One well with its layout and reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Well {
    /// Plate identifier.
    pub plate: String,
    /// Well name such as `B07`.
    pub well: String,
    /// Independent experiment (biological replicate).
    pub experiment: String,
    /// Cell line (empty when the layout has none).
    pub cell_line: String,
    /// Treatment label (empty for blanks without one).
    pub treatment: String,
    /// Dose, when the layout has one.
    pub dose: Option<f64>,
    /// Role of the well.
    pub role: WellRole,
    /// Reading, `None` when missing.
    pub value: Option<f64>,
}

fn parse_role(s: &str) -> Option<WellRole> {
    match s.to_ascii_lowercase().as_str() {
        "blank" | "background" | "medium" => Some(WellRole::Blank),
        "control" | "untreated" | "negative" | "vehicle" => Some(WellRole::Control),
        "positive" | "kill" => Some(WellRole::Positive),
        "sample" | "treated" => Some(WellRole::Sample),
        _ => None,
    }
}

impl PlateMap {
    /// Turn the plate into typed wells. Wells where every layout variable
    /// and the reading are missing (unused wells) are skipped; a used well
    /// without a reading is kept with `value: None`.
    ///
    /// # Errors
    ///
    /// [`AssayError::MissingVariable`] (no reading or treatment variable),
    /// [`AssayError::BadNumber`] (a reading or dose that is not a number),
    /// [`AssayError::BadRole`].
    pub fn wells(&self, spec: &LayoutSpec) -> Result<Vec<Well>> {
        let need = |name: &str| {
            self.variable(name)
                .ok_or_else(|| AssayError::MissingVariable {
                    name: name.to_string(),
                    source_kind: "plate map",
                    found: self.variables.join(", "),
                })
        };
        let reading = need(&spec.reading)?;
        let treatment = need(&spec.treatment)?;
        let dose = self.variable(&spec.dose);
        let cell_line = self.variable(&spec.cell_line);
        let experiment = self.variable(&spec.experiment);
        let role = self.variable(&spec.role);
        let in_list = |v: &str, list: &[String]| list.iter().any(|x| x.eq_ignore_ascii_case(v));
        let mut out = Vec::new();
        for w in 0..self.format.wells() {
            let well = self
                .format
                .well_name(w / self.format.cols, w % self.format.cols);
            if self.values.iter().all(|v| v[w].is_none()) {
                continue;
            }
            let num = |var: &str, v: &Option<String>| -> Result<Option<f64>> {
                match v {
                    None => Ok(None),
                    Some(s) => s
                        .parse::<f64>()
                        .map(Some)
                        .map_err(|_| AssayError::BadNumber {
                            plate: self.plate.clone(),
                            well: well.clone(),
                            variable: var.to_string(),
                            value: s.clone(),
                        }),
                }
            };
            let value = num(&spec.reading, &reading[w])?;
            let d = match dose {
                Some(d) => num(&spec.dose, &d[w])?,
                None => None,
            };
            let t = treatment[w].clone().unwrap_or_default();
            let r = match role.and_then(|r| r[w].as_deref()) {
                Some(s) => parse_role(s).ok_or_else(|| AssayError::BadRole {
                    plate: self.plate.clone(),
                    well: well.clone(),
                    value: s.to_string(),
                })?,
                None => {
                    if in_list(&t, &spec.blank_labels) {
                        WellRole::Blank
                    } else if in_list(&t, &spec.control_labels) {
                        WellRole::Control
                    } else if in_list(&t, &spec.positive_labels) {
                        WellRole::Positive
                    } else {
                        WellRole::Sample
                    }
                }
            };
            let text =
                |v: Option<&[Option<String>]>| v.and_then(|v| v[w].clone()).unwrap_or_default();
            let exp = experiment
                .and_then(|v| v[w].clone())
                .unwrap_or_else(|| self.plate.clone());
            out.push(Well {
                plate: self.plate.clone(),
                well,
                experiment: exp,
                cell_line: text(cell_line),
                treatment: t,
                dose: d,
                role: r,
                value,
            });
        }
        Ok(out)
    }
}

/// Z'-factor of a plate with its ingredients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZPrime {
    /// `1 - 3 (sd_high + sd_low) / |mean_high - mean_low|`.
    pub z_prime: f64,
    /// Mean of the high-signal control (untreated cells).
    pub mean_high: f64,
    /// Its standard deviation (n - 1 denominator).
    pub sd_high: f64,
    /// Wells of the high control.
    pub n_high: usize,
    /// Mean of the low-signal control (positive control or blank).
    pub mean_low: f64,
    /// Its standard deviation.
    pub sd_low: f64,
    /// Wells of the low control.
    pub n_low: usize,
    /// Zhang et al.'s reading of the value.
    pub quality: &'static str,
}

/// Z'-factor of two control populations (Zhang, Chung and Oldenburg, J
/// Biomol Screen 4:67-73, 1999):
///
/// `Z' = 1 - 3 (sd_high + sd_low) / |mean_high - mean_low|`
///
/// with sample standard deviations. Reading (their Table 1): 1 ideal;
/// [0.5, 1) excellent; (0, 0.5) marginal; 0 yes/no assay; < 0 overlapping
/// controls, screening essentially impossible.
///
/// # Errors
///
/// [`AssayError::TooFewPoints`] with fewer than 2 wells in a group,
/// [`AssayError::NonFinite`], [`AssayError::FlatResponse`] when the means are
/// equal.
///
/// # Example
///
/// ```
/// use oncomark_assay::plate::z_prime;
/// // controls 1.254/1.301/1.276 against blanks 0.112/0.108/0.115
/// let z = z_prime(&[1.254, 1.301, 1.276], &[0.112, 0.108, 0.115]).unwrap();
/// assert!((z.z_prime - 0.930_420_329).abs() < 1e-9);
/// assert_eq!(z.quality, "excellent");
/// ```
pub fn z_prime(high: &[f64], low: &[f64]) -> Result<ZPrime> {
    crate::error::check_finite("high", high)?;
    crate::error::check_finite("low", low)?;
    for (v, what) in [(high, "Z' high control"), (low, "Z' low control")] {
        if v.len() < 2 {
            return Err(AssayError::TooFewPoints {
                what: what.to_string(),
                got: v.len(),
                need: 2,
            });
        }
    }
    let (mh, sh) = mean_sd(high);
    let (ml, sl) = mean_sd(low);
    if mh == ml {
        return Err(AssayError::FlatResponse {
            model: "Z'-factor",
            value: mh,
        });
    }
    let z = 1.0 - 3.0 * (sh + sl) / (mh - ml).abs();
    let quality = if z >= 1.0 {
        "ideal"
    } else if z >= 0.5 {
        "excellent"
    } else if z > 0.0 {
        "marginal"
    } else if z == 0.0 {
        "yes/no"
    } else {
        "unusable"
    };
    Ok(ZPrime {
        z_prime: z,
        mean_high: mh,
        sd_high: sh,
        n_high: high.len(),
        mean_low: ml,
        sd_low: sl,
        n_low: low.len(),
        quality,
    })
}

/// Mean and sample standard deviation (`n - 1`); the SD is NaN (JSON
/// `null`) for a single value.
pub(crate) fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    if v.len() < 2 {
        return (m, f64::NAN);
    }
    let ss: f64 = v.iter().map(|x| (x - m).powi(2)).sum();
    (m, (ss / (n - 1.0)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_names_round_trip() {
        let f = PlateFormat::from_cols(12).unwrap();
        assert_eq!(f.well_name(1, 6), "B07");
        assert_eq!(f.parse_well("b7"), Some((1, 6)));
        assert_eq!(f.parse_well("H12"), Some((7, 11)));
        assert_eq!(f.parse_well("I1"), None);
        assert_eq!(f.parse_well("A13"), None);
        let six = PlateFormat::from_cols(3).unwrap();
        assert_eq!(six.well_name(1, 2), "B3");
    }

    #[test]
    fn quoted_cells_keep_commas() {
        assert_eq!(
            split_csv(r#"a,"b, c","say ""hi""""#),
            ["a", "b, c", r#"say "hi""#]
        );
    }
}
