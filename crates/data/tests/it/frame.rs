//! Gathering analysis variables: complete cases, events, labels, dummy
//! coding. Every expected value is derived by hand from the small tables
//! written in each test.

use oncomark_data::{Coding, FrameBuilder, ReadOptions, Table, TermKind};
use proptest::prelude::*;

use crate::csv;

fn cat(cols: &[&str]) -> Coding {
    Coding {
        categorical: cols.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    }
}

#[test]
fn complete_cases_over_all_variables_only() {
    // Row 2 lacks time, row 4 lacks x, row 5 lacks y (which is not used).
    let t = csv("time,status,x,y\n1,1,10,a\n,0,11,b\n3,0,12,c\n4,1,,d\n5,1,14,\n");
    let mut b = FrameBuilder::new(&t);
    let time = b.time("time").unwrap();
    let ev = b.event("status", None).unwrap();
    let x = b.numeric("x").unwrap();
    let f = b.build().unwrap();
    assert_eq!(f.n(), 3);
    assert_eq!(f.dropped_missing(), 2);
    assert_eq!(f.rows(), [0, 2, 4]);
    assert_eq!(f.time(time), [1.0, 3.0, 5.0]);
    assert_eq!(f.event(ev), [true, false, true]);
    assert_eq!(f.numeric(x), [10.0, 12.0, 14.0]);
    assert_eq!(
        f.missing_by_column(),
        [("time".to_string(), 1), ("x".to_string(), 1)]
    );
}

#[test]
fn bad_value_in_a_row_dropped_for_another_column_is_still_an_error() {
    let t = csv("time,x\nabc,\n1,2\n");
    let mut b = FrameBuilder::new(&t);
    b.numeric("x").unwrap();
    assert!(b.time("time").is_err());
}

#[test]
fn event_codes() {
    let t = csv("s\n1\n0\nTRUE\nfalse\nYes\nno\n1.0\n0e0\nNA\n");
    let mut b = FrameBuilder::new(&t);
    let s = b.event("s", None).unwrap();
    let f = b.build().unwrap();
    assert_eq!(
        f.event(s),
        [true, false, true, false, true, false, true, false]
    );
    assert_eq!(f.dropped_missing(), 1);
}

#[test]
fn event_value_named() {
    // Competing risks: 0 censored, 1 relapse, 2 death; relapse is the event.
    let t = csv("s,v\n0,Dead\n1,Alive\n2, Dead \n1.0,alive\n,Dead\n");
    let mut b = FrameBuilder::new(&t);
    let rel = b.event("s", Some("1")).unwrap();
    let dead = b.event("v", Some("Dead")).unwrap();
    let f = b.build().unwrap();
    // "1.0" equals 1 numerically; text matching is exact after trimming.
    assert_eq!(f.event(rel), [false, true, false, true]);
    assert_eq!(f.event(dead), [true, false, true, false]);
}

#[test]
fn labels_are_the_text_as_written() {
    let t = csv("grp,dose\n1,0.50\n2, 10 \n1,2\n");
    let mut b = FrameBuilder::new(&t);
    let g = b.label("grp").unwrap();
    let d = b.label("dose").unwrap();
    let f = b.build().unwrap();
    assert_eq!(f.label(g), ["1", "2", "1"]);
    assert_eq!(f.label(d), ["0.50", "10", "2"]);
    // Numeric-aware order: 2 before 10.
    assert_eq!(f.levels(d), ["0.50", "2", "10"]);
}

#[test]
fn xlsx_labels_are_not_decimals() {
    let t = Table::read(&crate::small_xlsx(), &ReadOptions::default()).unwrap();
    let mut b = FrameBuilder::new(&t);
    let id = b.label("id").unwrap();
    let f = b.build().unwrap();
    assert_eq!(f.label(id), ["1", "2", "3", "4"]);
}

#[test]
fn dummy_coding_names_and_default_reference() {
    let t = csv("arm,age\nB,60\nA,61\nC,62\nA,63\n");
    let mut b = FrameBuilder::new(&t);
    let x = b.terms(&["age", "arm"], &Coding::default()).unwrap();
    let f = b.build().unwrap();
    let d = f.design(x);
    assert_eq!(d.names, ["age", "arm=B", "arm=C"]);
    assert_eq!(d.columns[0], [60.0, 61.0, 62.0, 63.0]);
    assert_eq!(d.columns[1], [1.0, 0.0, 0.0, 0.0]);
    assert_eq!(d.columns[2], [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(d.terms.len(), 2);
    assert_eq!(d.terms[0].name, "age");
    assert_eq!(d.terms[0].columns, 0..1);
    assert_eq!(d.terms[0].kind, TermKind::Numeric);
    assert_eq!(d.terms[1].columns, 1..3);
    assert_eq!(
        d.terms[1].kind,
        TermKind::Categorical {
            levels: vec!["A".into(), "B".into(), "C".into()],
            reference: "A".into()
        }
    );
}

#[test]
fn named_reference_level() {
    let t = csv("arm\nB\nA\nC\n");
    let coding = Coding {
        reference: vec![("arm".into(), " C ".into())],
        ..Default::default()
    };
    let mut b = FrameBuilder::new(&t);
    let x = b.terms(&["arm"], &coding).unwrap();
    let f = b.build().unwrap();
    let d = f.design(x);
    assert_eq!(d.names, ["arm=A", "arm=B"]);
    assert_eq!(d.columns, [vec![0.0, 1.0, 0.0], vec![1.0, 0.0, 0.0]]);
}

#[test]
fn numeric_column_made_categorical_sorts_levels_by_value() {
    let t = csv("stage\n10\n2\n1\n2\n");
    let mut b = FrameBuilder::new(&t);
    let x = b.terms(&["stage"], &cat(&["stage"])).unwrap();
    let f = b.build().unwrap();
    let d = f.design(x);
    // Reference "1" (the smallest); then 2 before 10, not "10" before "2".
    assert_eq!(d.names, ["stage=2", "stage=10"]);
    assert_eq!(
        d.columns,
        [vec![0.0, 1.0, 0.0, 1.0], vec![1.0, 0.0, 0.0, 0.0]]
    );
}

#[test]
fn levels_come_from_the_rows_analysed() {
    // Level "C" occurs only in the row dropped for a missing age.
    let t = csv("arm,age\nA,1\nB,2\nC,\nA,4\n");
    let mut b = FrameBuilder::new(&t);
    let x = b.terms(&["arm", "age"], &Coding::default()).unwrap();
    let f = b.build().unwrap();
    assert_eq!(f.design(x).names, ["arm=B", "age"]);
    assert_eq!(f.dropped_missing(), 1);
}

#[test]
fn one_level_left_gives_no_column_and_no_error() {
    let t = csv("arm,age\nA,1\nA,2\n");
    let mut b = FrameBuilder::new(&t);
    let x = b.terms(&["arm", "age"], &Coding::default()).unwrap();
    let f = b.build().unwrap();
    let d = f.design(x);
    assert_eq!(d.names, ["age"]);
    assert_eq!(d.terms[0].columns, 0..0);
}

#[test]
fn empty_term_list_is_a_null_model() {
    let t = csv("time\n1\n2\n");
    let mut b = FrameBuilder::new(&t);
    let x = b.terms(&[], &Coding::default()).unwrap();
    let f = b.build().unwrap();
    assert!(f.design(x).columns.is_empty());
    assert_eq!(f.n(), 2);
}

#[test]
fn categorical_names_outside_the_terms_are_ignored() {
    let t = csv("age\n1\n2\n");
    let mut b = FrameBuilder::new(&t);
    let x = b.terms(&["age"], &cat(&["stage"])).unwrap();
    assert_eq!(b.build().unwrap().design(x).names, ["age"]);
}

#[test]
fn coding_restricted_to_one_term() {
    let coding = Coding {
        categorical: vec!["stage".into(), "grade".into()],
        reference: vec![("stage".into(), "2".into()), ("arm".into(), "B".into())],
    };
    let r = coding.restricted_to(&["stage"]);
    assert_eq!(r.categorical, ["stage"]);
    assert_eq!(r.reference, [("stage".to_string(), "2".to_string())]);
}

#[test]
#[should_panic(expected = "is a label variable, not a time variable")]
fn wrong_accessor_panics_with_a_clear_message() {
    let t = csv("g\na\n");
    let mut b = FrameBuilder::new(&t);
    let g = b.label("g").unwrap();
    let f = b.build().unwrap();
    let _ = f.time(g);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Numbers written with `{}` (shortest round trip) read back exactly,
    /// with either decimal mark, and missing cells are dropped.
    #[test]
    fn numbers_round_trip(values in proptest::collection::vec(
        prop_oneof![3 => (-1e6f64..1e6).prop_map(Some), 1 => Just(None)], 1..40),
        comma in any::<bool>())
    {
        let mut text = String::from("id;x\n");
        for (i, v) in values.iter().enumerate() {
            let cell = v.map(|v| {
                let s = format!("{v}");
                if comma { s.replace('.', ",") } else { s }
            }).unwrap_or_default();
            text.push_str(&format!("{i};{cell}\n"));
        }
        let opts = ReadOptions { decimal_comma: comma, ..Default::default() };
        let t = Table::from_csv_str("p.csv", &text, &opts).unwrap();
        let mut b = FrameBuilder::new(&t);
        let x = b.numeric("x").unwrap();
        match b.build() {
            Ok(f) => {
                let want: Vec<f64> = values.iter().flatten().copied().collect();
                prop_assert_eq!(f.numeric(x), &want[..]);
                prop_assert_eq!(f.dropped_missing(), values.len() - want.len());
            }
            Err(_) => prop_assert!(values.iter().all(Option::is_none)),
        }
    }
}
