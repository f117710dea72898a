//! Small hand-made studies for the branches the two example studies do
//! not take: a group without events (Firth), recorded responses, a
//! recorded score marker, IHC columns in the patients table with one
//! reader, patients without an id column.

use oncomark_study::response::Response;
use oncomark_testkit::{assert_close, tol};

use super::common::dir_with;

/// 10 patients; `m` > 20 is positive. The positive group has no event.
const PATIENTS: &str = "\
id,time,dead,m,score,best,pct,grade
a,5,1,10,0,PR,0,x
b,8,1,12,1,SD,5,y
c,2,1,15,2,PD,10,x
d,9,0,18,1,CR,35,y
e,4,1,5,0,SD,40,x
f,7,0,30,3,SD,45,y
g,6,0,35,3,PR,60,x
h,3,0,40,2,NE,90,y
i,10,0,50,3,,100,x
j,12,0,60,3,SD,75,y
";

fn spec(marker: &str, extra: &str) -> String {
    format!(
        "[data.patients]\nfile = \"p.csv\"\nid = \"id\"\n\n[marker]\n{marker}\n\n[endpoints]\n[[endpoints.given]]\nname = \"os\"\ntime = \"time\"\nevent = \"dead\"\n\n[plan]\nlandmarks = [6]\n{extra}"
    )
}

const CONTINUOUS: &str = "name = \"m\"\ntype = \"continuous\"\ncolumn = \"m\"\ncutoff = 20";

#[test]
fn a_group_without_events_gets_firths_estimate() {
    let d = dir_with(
        &spec(CONTINUOUS, "\n[[factors]]\ncolumn = \"grade\"\n"),
        &[("p.csv", PATIENTS)],
    );
    let r = d.run().unwrap();
    let sv = &r.survival[0];
    // events: a b c e (all negative)
    assert_eq!((sv.n, sv.events), (10, 4));
    assert_eq!(sv.hazard_ratio_method.as_deref(), Some("firth"));
    let hr = sv.hazard_ratio.as_ref().unwrap();
    assert!(hr.hr.unwrap() < 1.0 && hr.hr.unwrap() > 0.0, "{hr:?}");
    assert!(
        sv.notes.iter().any(|n| n.contains("Firth")),
        "{:?}",
        sv.notes
    );
    let u = &r.univariate[0];
    assert_eq!(u.firth.len(), 1);
    assert_eq!(u.firth[0].factor, "m");
    // the marker's Firth HR is the same in both places
    assert_close(
        "Firth coef",
        u.firth[0].model.fit.terms[0].coef.unwrap(),
        hr.coef.unwrap(),
        tol::EXACT,
    );
    // the positive group's Kaplan-Meier curve stays at 1
    let km = sv.km.as_ref().unwrap();
    assert_eq!(km.groups[1].median, None);
    assert_eq!(km.groups[1].events, 0);
}

#[test]
fn recorded_responses_and_a_recorded_score() {
    let marker = "name = \"s\"\ntype = \"score\"\ncolumn = \"score\"\npositive_from = 3";
    let d = dir_with(
        &spec(
            marker,
            "\n[response]\nsource = \"recorded\"\ncolumn = \"best\"\n",
        ),
        &[("p.csv", PATIENTS)],
    );
    let r = d.run().unwrap();
    assert_eq!(r.settings.marker.groups, ["0-2+", "3+"]);
    let resp = &r.response[0];
    assert_eq!(resp.source, "recorded");
    assert_eq!(resp.criteria, None);
    // 0-2+: a b c d e h (PR SD PD CR SD NE); 3+: f g i j (SD PR - SD);
    // objective response a, d vs g
    assert_eq!(resp.n, [6, 4]);
    assert_eq!(resp.assessed, [6, 3]);
    let orr = &resp.rows[0];
    assert_eq!(orr.counts, [2, 1]);
    assert_eq!(orr.denominators, [6, 3]);
    let cr = resp.best_response.iter().find(|l| l.level == "CR").unwrap();
    assert_eq!(cr.counts, [1, 0]);
    assert!(resp
        .waterfall
        .iter()
        .all(|w| w.best_percent_change.is_none()));
    assert!(resp
        .waterfall
        .iter()
        .any(|w| w.best_response == Response::Ne));
    // without a TTP endpoint the early-progression row uses the primary one
    assert!(resp.rows.iter().any(|x| x.row == "early_progression"));
}

#[test]
fn ihc_columns_in_the_patients_table_with_one_reader() {
    let marker = "name = \"b1\"\ntype = \"ihc\"\nreaders = [\"pct\"]";
    let d = dir_with(&spec(marker, ""), &[("p.csv", PATIENTS)]);
    let r = d.run().unwrap();
    let ihc = r.ihc.as_ref().unwrap();
    // a 0 % -> 0; b 5, c 10 -> 1+; d 35, e 40 -> 2+; f..j above 40 -> 3+
    assert_eq!(ihc.score_counts[0].counts, [1, 2, 2, 5]);
    assert!(ihc.reader_pairs.is_empty() && ihc.icc.is_none());
    assert!(ihc.notes.iter().any(|n| n.contains("one reader")));
    assert_eq!(r.flow.as_ref().unwrap().analysed, 10);
}

#[test]
fn patients_without_an_id_column_are_numbered_by_row() {
    let text = spec(CONTINUOUS, "\n[report]\nshow_ids = true\n").replace("id = \"id\"\n", "");
    let patients = PATIENTS.replace("a,5,1,10,", "a,5,1,,");
    let d = dir_with(&text, &[("p.csv", &patients)]);
    let r = d.run().unwrap();
    let f = r.flow.as_ref().unwrap();
    let marker = f.excluded.iter().find(|s| s.stage == "marker").unwrap();
    assert_eq!(marker.patients[0].id, "1");
    assert_eq!(marker.patients[0].reason, "no m value");
    assert_eq!(f.analysed, 9);
}
