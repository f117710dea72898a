//! Plate-map parsing (hand cases and error messages), long tables, roles,
//! Z'-factor.

use oncomark_assay::plate::*;
use oncomark_assay::AssayError;
use oncomark_testkit::{assert_close, tol};

/// A 12-well plate (3 x 4) with two grids.
const TWELVE: &str = "\
absorbance,1,2,3,4
A,0.112,1.254,0.802,NA
B,0.108,1.301,0.765,
C,0.115,1.276,0.811,0.5

treatment,1,2,3,4
A,blank,untreated,Tz,
B,blank,untreated,Tz,
C,blank,untreated,Tz,Tz
";

#[test]
fn grids_are_read_row_major_with_missing_cells() {
    let p = parse_plate_map("exp1.csv", TWELVE).unwrap();
    assert_eq!(p.format, PlateFormat { rows: 3, cols: 4 });
    assert_eq!(p.variables, ["absorbance", "treatment"]);
    let a = p.variable("absorbance").unwrap();
    assert_eq!(a[0].as_deref(), Some("0.112"));
    assert_eq!(a[3], None); // NA
    assert_eq!(a[7], None); // empty
    assert_eq!(a[11].as_deref(), Some("0.5"));
}

#[test]
fn spreadsheet_padding_and_crlf_are_accepted() {
    let text = "od,1,2,3,,\r\nA,1,2,3,,\r\nB,4,5,6,,\r\n,,,,,\r\nrole,1,2,3\r\nA,blank,control,sample\r\nB,sample,sample,sample\r\n";
    let p = parse_plate_map("p", text).unwrap();
    assert_eq!(p.format.wells(), 6);
    assert_eq!(p.variable("role").unwrap()[1].as_deref(), Some("control"));
}

#[test]
fn wells_get_roles_from_the_treatment_and_skip_unused_wells() {
    let p = parse_plate_map("exp1.csv", TWELVE).unwrap();
    let wells = p.wells(&LayoutSpec::default()).unwrap();
    // A4 has neither reading nor treatment: skipped; B4 likewise
    assert_eq!(wells.len(), 10);
    assert_eq!(wells[0].role, WellRole::Blank);
    assert_eq!(wells[1].role, WellRole::Control);
    assert_eq!(wells[2].role, WellRole::Sample);
    assert_eq!(wells[2].well, "A3");
    // experiment defaults to the plate id
    assert_eq!(wells[0].experiment, "exp1.csv");
}

fn err(text: &str) -> String {
    parse_plate_map("exp2.csv", text).unwrap_err().to_string()
}

#[test]
fn ragged_row_names_plate_grid_line_and_row() {
    let text = "od,1,2,3\nA,1,2,3\nB,4,5\n";
    let e = parse_plate_map("exp2.csv", text).unwrap_err();
    assert!(
        matches!(
            e,
            AssayError::RaggedRow {
                line: 3,
                got: 2,
                expected: 3,
                ..
            }
        ),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("plate `exp2.csv`") && msg.contains("grid `od`"),
        "{msg}"
    );
    assert!(
        msg.contains("row B has 2 cells") && msg.contains("line 3"),
        "{msg}"
    );
    // too many non-empty cells is ragged too
    let msg = err("od,1,2,3\nA,1,2,3,4\nB,4,5,6\n");
    assert!(msg.contains("row A has 4 cells"), "{msg}");
}

#[test]
fn bad_row_letter_names_what_was_expected() {
    let msg = err("od,1,2,3\nA,1,2,3\nC,4,5,6\n");
    assert!(
        msg.contains("row label `C` where row `B` was expected"),
        "{msg}"
    );
    assert!(msg.contains("line 3") && msg.contains("grid `od`"), "{msg}");
}

#[test]
fn bad_column_header_names_the_column() {
    let msg = err("od,1,2,4\nA,1,2,3\nB,4,5,6\n");
    assert!(msg.contains("header cell 4 is `4`, expected `3`"), "{msg}");
}

#[test]
fn unsupported_plate_size() {
    let msg = err("od,1,2,3,4,5\nA,1,2,3,4,5\n");
    assert!(msg.contains("5 columns is not a standard plate"), "{msg}");
}

#[test]
fn missing_and_extra_rows() {
    let msg = err("od,1,2,3\nA,1,2,3\n\nrole,1,2,3\n");
    assert!(
        msg.contains("1 rows but a 3-column plate has 2 rows (A-B)"),
        "{msg}"
    );
    let msg = err("od,1,2,3\nA,1,2,3\nB,1,2,3\nC,1,2,3\n");
    assert!(
        msg.contains("3 rows but a 3-column plate has 2 rows"),
        "{msg}"
    );
}

#[test]
fn grids_of_different_sizes_and_repeated_names() {
    let msg = err("od,1,2,3\nA,1,2,3\nB,1,2,3\n\nrole,1,2,3,4\nA,a,b,c,d\nB,a,b,c,d\nC,a,b,c,d\n");
    assert!(
        msg.contains("grid `role` is 12 wells but the first grid of the file is 6 wells"),
        "{msg}"
    );
    let msg = err("od,1,2,3\nA,1,2,3\nB,1,2,3\n\nod,1,2,3\nA,1,2,3\nB,1,2,3\n");
    assert!(msg.contains("variable `od` appears twice"), "{msg}");
    let msg = err(",1,2,3\nA,1,2,3\nB,1,2,3\n");
    assert!(msg.contains("no variable name"), "{msg}");
    assert!(err("\n\n").contains("no plate grid"));
}

#[test]
fn bad_numbers_and_roles_name_the_well() {
    let text = "absorbance,1,2,3\nA,1.2,x,3\nB,1,2,3\n\ntreatment,1,2,3\nA,a,b,c\nB,a,b,c\n";
    let p = parse_plate_map("exp3.csv", text).unwrap();
    let msg = p.wells(&LayoutSpec::default()).unwrap_err().to_string();
    assert!(
        msg.contains("plate `exp3.csv`, well A2, variable `absorbance`: `x` is not a number"),
        "{msg}"
    );
    let text = "absorbance,1,2,3\nA,1,2,3\nB,1,2,3\n\ntreatment,1,2,3\nA,a,b,c\nB,a,b,c\n\nrole,1,2,3\nA,blank,ctrl,sample\nB,,,\n";
    let p = parse_plate_map("exp3.csv", text).unwrap();
    let msg = p.wells(&LayoutSpec::default()).unwrap_err().to_string();
    assert!(msg.contains("well A2: role `ctrl`"), "{msg}");
    let msg = parse_plate_map("x", "od,1,2,3\nA,1,2,3\nB,1,2,3\n")
        .unwrap()
        .wells(&LayoutSpec::default())
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("no variable `absorbance` in the plate map; found: od"),
        "{msg}"
    );
}

#[test]
fn long_tables() {
    let text =
        "plate,well,absorbance,treatment\np1,A1,0.1,blank\np1,a02,1.2,untreated\np2,B3,0.9,Tz\n";
    let plates = parse_long_table(text, "plate", 6).unwrap();
    assert_eq!(plates.len(), 2);
    let w = plates[0].wells(&LayoutSpec::default()).unwrap();
    assert_eq!(w[1].well, "A2");
    assert_eq!(w[1].role, WellRole::Control);
    let e = parse_long_table("well,od\nZ9,1\n", "p", 96)
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2: well `Z9`"), "{e}");
    let e = parse_long_table("well,od\nA1,1\nA1,2\n", "p", 96)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 3: plate `p`, well A01 appears twice"),
        "{e}"
    );
    let e = parse_long_table("od,x\n1,2\n", "p", 96)
        .unwrap_err()
        .to_string();
    assert!(e.contains("no variable `well`"), "{e}");
    let e = parse_long_table("well,od\nA1,1,2\n", "p", 96)
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2: 3 fields but the header has 2"), "{e}");
}

#[test]
fn z_prime_hand_values() {
    // Zhang et al. (1999) definition, hand case: means 10 and 2, SDs 1 and
    // 1 (values 9, 10, 11 and 1, 2, 3): Z' = 1 - 3 * 2 / 8 = 0.25
    let z = z_prime(&[9.0, 10.0, 11.0], &[1.0, 2.0, 3.0]).unwrap();
    assert_close("Z'", z.z_prime, 0.25, tol::EXACT);
    assert_eq!(z.quality, "marginal");
    // order of the groups does not matter
    let w = z_prime(&[1.0, 2.0, 3.0], &[9.0, 10.0, 11.0]).unwrap();
    assert_close("Z' swapped", w.z_prime, 0.25, tol::EXACT);
    // overlapping controls
    assert_eq!(
        z_prime(&[1.0, 5.0], &[2.5, 4.5]).unwrap().quality,
        "unusable"
    );
    // no variation at all is ideal
    assert_eq!(z_prime(&[5.0, 5.0], &[1.0, 1.0]).unwrap().quality, "ideal");
    assert!(matches!(
        z_prime(&[1.0], &[2.0, 3.0]),
        Err(AssayError::TooFewPoints { .. })
    ));
    assert!(matches!(
        z_prime(&[1.0, 3.0], &[2.0, 2.0]),
        Err(AssayError::FlatResponse { .. })
    ));
}
