//! The H-score and Allred rules (`[marker] rule`): small hand-made studies
//! with hand-computed scores, groups and agreement, the cell errors, and the
//! spec check of the new keys.

use oncomark_data::{ReadOptions, Table};
use oncomark_study::pipeline::run;
use oncomark_study::results::StudyResults;
use oncomark_study::spec::Problem;
use oncomark_testkit::{assert_close, tol};

use super::common::dir_with;

fn spec(marker: &str) -> String {
    format!(
        "[data.patients]\nfile = \"p.csv\"\nid = \"id\"\n\n[marker]\n{marker}\n\n[endpoints]\n[[endpoints.given]]\nname = \"os\"\ntime = \"time\"\nevent = \"dead\"\n\n[plan]\nlandmarks = [6]\n"
    )
}

fn problems(spec: &str, files: &[(&str, &str)]) -> Vec<Problem> {
    match dir_with(spec, files).check() {
        Ok(_) => panic!("the spec should not pass"),
        Err(e) => {
            let text = e.to_string();
            for p in &e.problems {
                assert!(text.contains(&p.message), "{text}");
            }
            e.problems
        }
    }
}

fn find<'a>(ps: &'a [Problem], key: &str) -> &'a Problem {
    ps.iter()
        .find(|p| p.key == key)
        .unwrap_or_else(|| panic!("no problem at {key}: {ps:#?}"))
}

// ------------------------------------------------------------- H-score

/// Two readers' % weak, % moderate, % strong. Hand-computed H = w + 2m + 3s:
/// a 140, 120 -> 130; b 50, 50 -> 50; c 0, 0 -> 0; d 300, 260 -> 280;
/// e 100, 100 -> 100 (at the cutoff: positive); f 110, 60 -> 85
/// (straddles 100); g -, 60 -> 60 (one reader); h not read (excluded).
const H_PATIENTS: &str = "\
id,time,dead,w1,m1,s1,w2,m2,s2
a,5,1,10,20,30,20,20,20
b,8,1,50,0,0,30,10,0
c,2,0,0,0,0,0,0,0
d,9,1,0,0,100,0,10,80
e,4,1,40,30,0,30,20,10
f,7,0,20,30,10,40,10,0
g,6,1,,,,10,10,10
h,3,0,,,,,,
";

const H_MARKER: &str = "name = \"er\"\ntype = \"ihc\"\nrule = \"h-score\"\nweak = [\"w1\", \"w2\"]\nmoderate = [\"m1\", \"m2\"]\nstrong = [\"s1\", \"s2\"]\nreader_names = [\"A\", \"B\"]\ncutoff = 100";

/// The H-score study, run.
pub fn h_run() -> StudyResults {
    dir_with(&spec(H_MARKER), &[("p.csv", H_PATIENTS)])
        .run()
        .unwrap()
}

#[test]
fn h_scores_are_hand_computed_and_readers_averaged() {
    let r = h_run();
    let ihc = r.ihc.as_ref().unwrap();
    assert_eq!(ihc.rule.as_deref(), Some("h-score"));
    assert_eq!(ihc.cutoff, Some(100.0));
    let cases = ihc.h_score_cases.as_ref().unwrap();
    assert!(ihc.allred_cases.is_none());
    let got: Vec<(&str, f64, bool)> = cases
        .iter()
        .map(|c| (c.id.as_str(), c.h_score, c.positive))
        .collect();
    let want = [
        ("a", 130.0, true),
        ("b", 50.0, false),
        ("c", 0.0, false),
        ("d", 280.0, true),
        ("e", 100.0, true),
        ("f", 85.0, false),
        ("g", 60.0, false),
    ];
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((g.0, g.2), (w.0, w.2));
        assert_close(&format!("H-score of {}", w.0), g.1, w.1, tol::EXACT);
    }
    let a = cases[0].readers[0].as_ref().unwrap();
    assert_eq!((a.weak, a.moderate, a.strong), (10.0, 20.0, 30.0));
    assert_close("H of a, reader A", a.h_score, 140.0, tol::EXACT);
    assert!(cases[6].readers[0].is_none());
    assert_eq!(ihc.straddling, ["f"]);
    assert_eq!(ihc.unresolved, ["f"]);
    // every case but b and c has readers who differ
    assert_eq!(ihc.discordant, ["a", "d", "f"]);
    assert_eq!(ihc.excluded.len(), 1);
    assert_eq!(ihc.excluded[0].id, "h");
}

#[test]
fn h_score_groups_drive_everything_downstream() {
    let r = h_run();
    let m = &r.settings.marker;
    assert_eq!(m.groups, ["H-score < 100", "H-score >= 100"]);
    let s = m.scoring.as_ref().unwrap();
    assert_eq!((s.rule.as_str(), s.cutoff), ("h-score", Some(100.0)));
    assert!(
        m.rule.contains("H-score") && m.rule.contains(">= 100"),
        "{}",
        m.rule
    );
    let f = r.flow.as_ref().unwrap();
    // h has no reading: excluded at the marker stage
    assert_eq!(f.analysed, 7);
    let marker = f.excluded.iter().find(|s| s.stage == "marker").unwrap();
    assert_eq!(marker.patients[0].id, "h");
    assert!(marker.patients[0].reason.contains("no reader's H-score"));
    let groups: Vec<usize> = f.cohorts[0].groups.iter().map(|g| g.n).collect();
    assert_eq!(groups, [4, 3]); // b c f g | a d e
    let ihc = r.ihc.as_ref().unwrap();
    assert_eq!(ihc.score_counts[0].counts, [4, 3]);
    assert_eq!(ihc.labels, m.groups);
    let sv = &r.survival[0];
    assert_eq!(sv.groups, m.groups);
    let km = sv.km.as_ref().unwrap();
    assert_eq!((km.groups[0].n, km.groups[1].n), (4, 3));
    // events: b g | a d e
    assert_eq!((km.groups[0].events, km.groups[1].events), (2, 3));
    assert!(sv.hazard_ratio.is_some());
    assert!(r.univariate[0].rows.iter().any(|x| x.term == "er"));
}

#[test]
fn h_score_agreement_is_the_icc_and_kappa_is_skipped() {
    let r = h_run();
    let ihc = r.ihc.as_ref().unwrap();
    assert!(ihc.reader_pairs.is_empty());
    let skipped = ihc.skipped_statistics.as_ref().unwrap();
    assert!(skipped.iter().any(|s| s.statistic == "kappa"
        && s.reason.contains("not applicable")
        && s.reason.contains("continuous")));
    assert_eq!(ihc.icc_of.as_deref(), Some("h_score"));
    let icc = ihc.icc.as_ref().unwrap();
    // a-f read by both (g by B only)
    assert_eq!(icc.n_subjects, 6);
    assert!(ihc.notes.iter().any(|n| n.contains("1 case(s) not read")));
    // ICC2 of A = [140, 50, 0, 300, 100, 110], B = [120, 50, 0, 260, 100, 60]:
    // Shrout & Fleiss (1979) two-way ANOVA formula, evaluated in Python
    // 3.11 with numpy 2.4.6: 0.9600568080951537 (ICC1 0.9597855227882037,
    // ICC3 0.9731869713874394)
    let e = |t: &str| icc.estimates.iter().find(|e| e.icc_type == t).unwrap().icc;
    assert_close("ICC2", e("ICC2"), 0.960_056_808_095_153_7, tol::STATS);
    assert_close("ICC1", e("ICC1"), 0.959_785_522_788_203_7, tol::STATS);
    assert_close("ICC3", e("ICC3"), 0.973_186_971_387_439_4, tol::STATS);
}

#[test]
fn h_score_percents_above_100_are_refused_naming_the_case() {
    // reader B of case e: 30 + 50 + 30 = 110 %
    let bad = H_PATIENTS.replace("e,4,1,40,30,0,30,20,10", "e,4,1,40,30,0,30,50,30");
    let ps = problems(&spec(H_MARKER), &[("p.csv", &bad)]);
    let p = find(&ps, "marker.weak[2]");
    for part in [
        "case \"e\"",
        "reader \"B\"",
        "`w2` + `m2` + `s2`",
        "110",
        "line 6",
    ] {
        assert!(p.message.contains(part), "{part}: {}", p.message);
    }
    assert!(p.line.is_some());

    // the pipeline refuses it too (a table changed after the check)
    let d = dir_with(&spec(H_MARKER), &[("p.csv", H_PATIENTS)]);
    let mut c = d.check().unwrap();
    let p2 = d.path().join("p2.csv");
    std::fs::write(&p2, &bad).unwrap();
    c.tables.patients = Table::read(&p2, &ReadOptions::default()).unwrap();
    let err = run(&c, &Default::default()).unwrap_err();
    assert!(err.is_input());
    let msg = err.to_string();
    for part in [
        "case \"e\"",
        "reader \"B\"",
        "`w2`, `m2`, `s2`",
        "more than 100",
    ] {
        assert!(msg.contains(part), "{part}: {msg}");
    }
}

#[test]
fn a_partly_given_h_score_read_is_refused() {
    let bad = H_PATIENTS.replace("g,6,1,,,,", "g,6,1,10,,,");
    let ps = problems(&spec(H_MARKER), &[("p.csv", &bad)]);
    let p = find(&ps, "marker.weak[1]");
    assert!(
        p.message.contains("case \"g\"") && p.message.contains("all three"),
        "{}",
        p.message
    );
}

// -------------------------------------------------------------- Allred

/// Two readers' % positive and intensity. Hand-computed (proportion +
/// intensity = total per reader; case: proportion of the mean percent +
/// rounded mean intensity of the readers who saw positive cells):
/// a 50%/2 = 4+2 = 6, 70%/3 = 5+3 = 8; mean 60 % -> 4, (2+3)/2 = 2.5 -> 3: 7
/// b 0/0 = 0, 0.5%/1 = 1+1 = 2; mean 0.25 % -> 1, intensity 1: 2
/// c 0/(empty) = 0, 0/0 = 0: 0
/// d 5%/2 = 2+2 = 4, 20%/1 = 3+1 = 4; mean 12.5 % -> 3, 1.5 -> 2: 5
/// e 1%/1 = 2+1 = 3, 0/0 = 0; mean 0.5 % -> 1, intensity 1: 2 (straddles 3)
/// f 100%/3 = 8, not read: 8
/// g 10%/1 = 2+1 = 3, 11%/1 = 3+1 = 4; mean 10.5 % -> 3, 1: 4
const A_PATIENTS: &str = "\
id,time,dead,p1,i1,p2,i2
a,5,1,50,2,70,3
b,8,1,0,0,0.5,1
c,2,0,0,,0,0
d,9,1,5,2,20,1
e,4,1,1,1,0,0
f,7,0,100,3,,
g,6,1,10,1,11,1
";

const A_MARKER: &str = "name = \"pr\"\ntype = \"ihc\"\nrule = \"allred\"\nreaders = [\"p1\", \"p2\"]\nintensity = [\"i1\", \"i2\"]";

/// The Allred study, run.
pub fn a_run() -> StudyResults {
    dir_with(&spec(A_MARKER), &[("p.csv", A_PATIENTS)])
        .run()
        .unwrap()
}

#[test]
fn allred_totals_are_hand_computed() {
    let r = a_run();
    let ihc = r.ihc.as_ref().unwrap();
    assert_eq!(ihc.rule.as_deref(), Some("allred"));
    // Harvey et al. 1999's cutoff by default
    assert_eq!(ihc.cutoff, Some(3.0));
    let cases = ihc.allred_cases.as_ref().unwrap();
    let got: Vec<(&str, u8, u8, u8, bool)> = cases
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.proportion,
                c.intensity,
                c.total,
                c.positive,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a", 4, 3, 7, true),
            ("b", 1, 1, 2, false),
            ("c", 0, 0, 0, false),
            ("d", 3, 2, 5, true),
            ("e", 1, 1, 2, false),
            ("f", 5, 3, 8, true),
            ("g", 3, 1, 4, true),
        ]
    );
    let reader_totals: Vec<Vec<Option<u8>>> = cases
        .iter()
        .map(|c| {
            c.readers
                .iter()
                .map(|x| x.as_ref().map(|a| a.total))
                .collect()
        })
        .collect();
    assert_eq!(
        reader_totals,
        [
            [Some(6), Some(8)],
            [Some(0), Some(2)],
            [Some(0), Some(0)],
            [Some(4), Some(4)],
            [Some(3), Some(0)],
            [Some(8), None],
            [Some(3), Some(4)],
        ]
    );
    assert_close("mean percent of d", cases[3].mean_percent, 12.5, tol::EXACT);
    assert_eq!(ihc.straddling, ["e"]);
    assert_eq!(ihc.discordant, ["a", "b", "e", "g"]);
    assert_eq!(ihc.labels.len(), 9);
    // totals 0: c; 2: b e; 4: g; 5: d; 7: a; 8: f
    assert_eq!(ihc.score_counts[0].counts, [1, 0, 2, 0, 1, 1, 0, 1, 1]);
    assert_eq!(ihc.positive_from, 3);
}

#[test]
fn allred_groups_and_agreement() {
    let r = a_run();
    let m = &r.settings.marker;
    assert_eq!(m.groups, ["Allred 0-2", "Allred 3-8"]);
    assert!(m.rule.contains("Harvey"), "{}", m.rule);
    let f = r.flow.as_ref().unwrap();
    let groups: Vec<usize> = f.cohorts[0].groups.iter().map(|g| g.n).collect();
    assert_eq!(groups, [3, 4]); // b c e | a d f g
    let ihc = r.ihc.as_ref().unwrap();
    assert_eq!(ihc.icc_of.as_deref(), Some("allred_total"));
    assert!(ihc.skipped_statistics.is_none());
    let p = &ihc.reader_pairs[0];
    // both read a b c d e g: A = [6, 0, 0, 4, 3, 3], B = [8, 2, 0, 4, 0, 4]
    assert_eq!((p.n, p.agree), (6, 2));
    assert_eq!(p.counts[3][0], 1); // e: 3 vs 0
                                   // by hand: p_o = 2/6, p_e = (2*2 + 1*2)/36 = 1/6, kappa = (1/6)/(5/6)
    assert_close("kappa", p.kappa.as_ref().unwrap().kappa, 0.2, tol::STATS);
    // linear weights 1 - |i - j|/8 over totals 0-8: p_o = 5/6,
    // p_e = 23.5/36, kappa = 6.5/12.5
    let kl = p.kappa_linear.as_ref().unwrap();
    assert_close("weighted p_o", kl.weighted_observed, 5.0 / 6.0, tol::STATS);
    assert_close(
        "weighted p_e",
        kl.weighted_expected,
        23.5 / 36.0,
        tol::STATS,
    );
    assert_close("linear kappa", kl.kappa, 0.52, tol::STATS);
    // ICC2 of the totals by the Shrout & Fleiss formula, Python 3.11 with
    // numpy 2.4.6: 0.7887323943661972
    let icc = ihc.icc.as_ref().unwrap();
    let e = icc.estimates.iter().find(|e| e.icc_type == "ICC2").unwrap();
    assert_close("ICC2", e.icc, 0.788_732_394_366_197_2, tol::STATS);
    assert_eq!(r.survival[0].groups, m.groups);
}

#[test]
fn an_allred_cutoff_moves_the_groups() {
    let marker = format!("{A_MARKER}\ncutoff = 5");
    let r = dir_with(&spec(&marker), &[("p.csv", A_PATIENTS)])
        .run()
        .unwrap();
    assert_eq!(r.settings.marker.groups, ["Allred 0-4", "Allred 5-8"]);
    let f = r.flow.as_ref().unwrap();
    let groups: Vec<usize> = f.cohorts[0].groups.iter().map(|g| g.n).collect();
    assert_eq!(groups, [4, 3]); // b c e g | a d f
                                // no reader pair lies on both sides of 5 (a 6/8, d 4/4, g 3/4)
    assert!(r.ihc.as_ref().unwrap().straddling.is_empty());
}

#[test]
fn an_allred_intensity_of_4_is_refused() {
    let bad = A_PATIENTS.replace("d,9,1,5,2,", "d,9,1,5,4,");
    let ps = problems(&spec(A_MARKER), &[("p.csv", &bad)]);
    let p = find(&ps, "marker.intensity[1]");
    for part in ["case \"d\"", "\"4\"", "intensity", "line 5", "0 (none)"] {
        assert!(p.message.contains(part), "{part}: {}", p.message);
    }
}

#[test]
fn allred_percent_and_intensity_must_agree() {
    // positive cells without an intensity, and an intensity without cells
    let bad = A_PATIENTS
        .replace("a,5,1,50,2,", "a,5,1,50,0,")
        .replace("b,8,1,0,0,0.5,1", "b,8,1,0,0,0,1");
    let ps = problems(&spec(A_MARKER), &[("p.csv", &bad)]);
    let p = find(&ps, "marker.intensity[1]");
    assert!(
        p.message.contains("case \"a\"") && p.message.contains("intensity of 1-3"),
        "{}",
        p.message
    );
    let p = find(&ps, "marker.intensity[2]");
    assert!(
        p.message.contains("case \"b\"") && p.message.contains("no cell is positive"),
        "{}",
        p.message
    );
}

// ----------------------------------------------------------- the check

#[test]
fn the_new_keys_are_checked_all_at_once_with_their_places() {
    let marker = "name = \"er\"\ntype = \"ihc\"\nrule = \"hscore\"";
    let ps = problems(&spec(marker), &[("p.csv", H_PATIENTS)]);
    let p = find(&ps, "marker.rule");
    assert!(
        p.message.contains("unknown variant `hscore`")
            && p.message.contains("did you mean `h-score`?"),
        "{}",
        p.message
    );
    assert_eq!((p.line, p.column), (Some(8), Some(8)));

    // missing cutoff, a column that does not exist, a key of another rule,
    // lists of different lengths
    let marker = "name = \"er\"\ntype = \"ihc\"\nrule = \"h-score\"\nweak = [\"w1\", \"w2\"]\nmoderate = [\"m1\", \"m2x\"]\nstrong = [\"s1\"]\nbins = [0, 10, 40, 100]";
    let ps = problems(&spec(marker), &[("p.csv", H_PATIENTS)]);
    assert!(ps
        .iter()
        .any(|p| p.key == "marker" && p.message.contains("needs cutoff")));
    let p = find(&ps, "marker.moderate[2]");
    assert!(p.message.contains("did you mean `m2`?"), "{}", p.message);
    assert_eq!(p.line, Some(10));
    let p = find(&ps, "marker.bins");
    assert!(
        p.message.contains("rule = \"percent-bins\" only"),
        "{}",
        p.message
    );
    assert_eq!((p.line, p.column), (Some(12), Some(1)));
    let p = find(&ps, "marker.strong");
    assert!(
        p.message.contains("1 columns in marker.strong but 2"),
        "{}",
        p.message
    );

    // a cutoff outside 0-300, readers given to the h-score rule
    let marker = H_MARKER.replace("cutoff = 100", "cutoff = 400\nreaders = [\"w1\"]");
    let ps = problems(&spec(&marker), &[("p.csv", H_PATIENTS)]);
    assert!(find(&ps, "marker.cutoff").message.contains("(0, 300]"));
    assert!(find(&ps, "marker.readers")
        .message
        .contains("not used by rule = \"h-score\""));

    // Allred: a cutoff that is not a total, no intensity columns
    let marker = "name = \"pr\"\ntype = \"ihc\"\nrule = \"allred\"\nreaders = [\"p1\", \"p2\"]\ncutoff = 2.5";
    let ps = problems(&spec(marker), &[("p.csv", A_PATIENTS)]);
    assert!(find(&ps, "marker.cutoff")
        .message
        .contains("whole number from 1 to 8"));
    assert!(ps
        .iter()
        .any(|p| p.key == "marker" && p.message.contains("needs intensity")));

    // percent bins: a cutoff or an intensity belongs to another rule
    let marker =
        "name = \"b1\"\ntype = \"ihc\"\nreaders = [\"p1\"]\ncutoff = 3\nintensity = [\"i1\"]";
    let ps = problems(&spec(marker), &[("p.csv", A_PATIENTS)]);
    assert!(find(&ps, "marker.cutoff")
        .message
        .contains("percent-bins rule is positive from positive_from"));
    assert!(find(&ps, "marker.intensity")
        .message
        .contains("applies to the rule = \"allred\""));
}
