//! IHC scoring on hand-made reads.

use oncomark_study::ihc::{
    allred, h_score, score_cases, Combine, IhcCase, IhcOptions, Reading, ScoreBins, ScoreSource,
};
use oncomark_study::StudyError;
use oncomark_testkit::{assert_close, tol};
use proptest::prelude::*;

fn case(id: &str, a: Option<f64>, b: Option<f64>) -> IhcCase {
    IhcCase {
        id: id.into(),
        reads: vec![a, b],
        consensus: None,
        adjudicated: None,
    }
}

#[test]
fn paper_bins_follow_the_methods_section() {
    // "no membrane staining 0; 1-10 % 1+; 11-40 % 2+; 41-100 % 3+"; fractional
    // averages fall to the next score above an integer bound
    let b = ScoreBins::default();
    let want = [
        (0.0, 0),
        (0.5, 1),
        (1.0, 1),
        (10.0, 1),
        (10.5, 2),
        (11.0, 2),
        (40.0, 2),
        (40.5, 3),
        (41.0, 3),
        (100.0, 3),
    ];
    for (p, s) in want {
        assert_eq!(b.score(p).unwrap(), s, "percent {p}");
    }
    assert!(matches!(
        b.score(100.5),
        Err(StudyError::PercentOutOfRange { .. })
    ));
    assert!(b.score(f64::NAN).is_err());
}

#[test]
fn bad_bins_are_refused_with_the_reason() {
    let cases: [(Vec<f64>, &str); 5] = [
        (vec![0.0, 40.0, 10.0, 100.0], "strictly increasing"),
        (vec![0.0, 10.0, 40.0, 90.0], "last bound must be 100"),
        (vec![-1.0, 10.0, 100.0], "first bound must be >= 0"),
        (vec![100.0], "at least two scores"),
        (vec![0.0, f64::NAN, 100.0], "finite"),
    ];
    for (upper, reason) in cases {
        let e = ScoreBins::new(upper.clone()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(reason), "{upper:?}: {msg}");
        assert!(
            msg.contains("[0, 10, 40, 100]"),
            "the message shows the paper's bins: {msg}"
        );
    }
}

#[test]
fn reader_pair_straddling_40_percent() {
    // reads 35 % (2+) and 45 % (3+): mean 40 % -> 2+ under mean-percent
    // (40 is not above 40), mean score 2.5 -> 3+ under mean-score
    let cases = vec![case("s", Some(35.0), Some(45.0))];
    let r = score_cases(&["A", "B"], &cases, &IhcOptions::default()).unwrap();
    let c = &r.cases[0];
    assert_eq!(c.scores, vec![Some(2), Some(3)]);
    assert_close("mean percent", c.mean_percent.unwrap(), 40.0, tol::EXACT);
    assert_eq!(
        (c.score, c.positive, c.straddles, c.unresolved),
        (2, false, true, true)
    );
    assert_eq!(c.source, ScoreSource::Average);
    assert_eq!(
        (r.straddling.clone(), r.n_unresolved),
        (vec!["s".to_string()], 1)
    );

    let ms = IhcOptions {
        combine: Combine::MeanScore,
        ..Default::default()
    };
    let r = score_cases(&["A", "B"], &cases, &ms).unwrap();
    assert_close(
        "mean score",
        r.cases[0].mean_score.unwrap(),
        2.5,
        tol::EXACT,
    );
    assert_eq!((r.cases[0].score, r.cases[0].positive), (3, true));

    // adjudication is honoured, as a score or as a percent
    for (adj, want) in [(Reading::Score(3), 3), (Reading::Percent(38.0), 2)] {
        let mut c = case("s", Some(35.0), Some(45.0));
        c.adjudicated = Some(adj);
        let r = score_cases(&["A", "B"], &[c], &IhcOptions::default()).unwrap();
        let s = &r.cases[0];
        assert_eq!((s.score, s.straddles, s.unresolved), (want, true, false));
        assert_eq!((s.source, s.combined_score), (ScoreSource::Adjudicated, 2));
        assert_eq!(r.n_unresolved, 0);
    }
}

#[test]
fn non_straddling_discordance_is_listed_but_not_flagged() {
    // 5 % (1+) vs 20 % (2+): discordant, both below the cutoff
    let r = score_cases(
        &["A", "B"],
        &[
            case("d", Some(5.0), Some(20.0)),
            case("e", Some(60.0), Some(70.0)),
        ],
        &IhcOptions::default(),
    )
    .unwrap();
    assert_eq!(r.discordant, vec!["d"]);
    assert!(r.straddling.is_empty());
    // mean 12.5 % -> 2+; mean 65 % -> 3+
    assert_eq!((r.cases[0].score, r.cases[1].score), (2, 3));
    assert_eq!((r.n_positive, r.n_negative), (1, 1));
    assert_eq!(r.score_counts, vec![0, 0, 1, 1]);
    assert_close("cutoff", r.positive_above_percent, 40.0, tol::EXACT);
}

#[test]
fn consensus_rule_needs_the_column_and_resolves_straddles() {
    let opts = IhcOptions {
        combine: Combine::Consensus,
        ..Default::default()
    };
    let e = score_cases(&["A", "B"], &[case("c1", Some(30.0), Some(50.0))], &opts).unwrap_err();
    assert_eq!(e, StudyError::MissingConsensus { case: "c1".into() });
    let mut c = case("c1", Some(30.0), Some(50.0));
    c.consensus = Some(Reading::Score(3));
    let r = score_cases(&["A", "B"], &[c], &opts).unwrap();
    let s = &r.cases[0];
    assert_eq!(
        (s.score, s.source, s.straddles, s.unresolved),
        (3, ScoreSource::Consensus, true, false)
    );
}

#[test]
fn missing_reads_exclusions_and_the_reader_table() {
    let mut only_consensus = case("c", None, None);
    only_consensus.consensus = Some(Reading::Percent(0.0));
    let cases = vec![
        case("a", Some(0.0), Some(2.0)),
        case("b", Some(50.0), None),
        only_consensus,
        case("z", None, None),
    ];
    let r = score_cases(&["A", "B"], &cases, &IhcOptions::default()).unwrap();
    // a: mean 1 % -> 1+; b: one read, 50 % -> 3+, cannot straddle; c: consensus 0
    let got: Vec<(&str, u8)> = r.cases.iter().map(|c| (c.id.as_str(), c.score)).collect();
    assert_eq!(got, vec![("a", 1), ("b", 3), ("c", 0)]);
    assert!(!r.cases[1].straddles);
    assert_eq!(r.excluded.len(), 1);
    assert_eq!(r.excluded[0].id, "z");
    // only "a" was read by both readers
    let t = &r.reader_table;
    assert_eq!(
        (t.cases.clone(), t.n_incomplete),
        (vec!["a".to_string()], 3)
    );
    let (x, y) = t.score_pair(0, 1).unwrap();
    assert_eq!((x, y), (&[0u8][..], &[1u8][..]));
    let (px, py) = t.percent_pair(0, 1).unwrap();
    assert_eq!((px, py), (&[0.0][..], &[2.0][..]));
    assert!(t.score_pair(0, 2).is_none());
}

#[test]
fn input_errors_name_the_case_and_column() {
    let e = score_cases(
        &["A", "B"],
        &[case("p7", Some(30.0), Some(130.0))],
        &IhcOptions::default(),
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("'p7'") && msg.contains("B") && msg.contains("130"),
        "{msg}"
    );
    let e = score_cases(
        &["A"],
        &[case("p1", Some(1.0), Some(2.0))],
        &IhcOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(
        e,
        StudyError::ReadCount {
            got: 2,
            expected: 1,
            ..
        }
    ));
    let e = score_cases(
        &["A", "B"],
        &[
            case("p1", Some(1.0), Some(2.0)),
            case("p1", Some(1.0), Some(2.0)),
        ],
        &IhcOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, StudyError::DuplicateId { .. }));
    let mut c = case("p2", Some(1.0), Some(2.0));
    c.adjudicated = Some(Reading::Score(4));
    let e = score_cases(&["A", "B"], &[c], &IhcOptions::default()).unwrap_err();
    assert!(matches!(
        e,
        StudyError::ScoreOutOfRange {
            value: 4,
            max: 3,
            ..
        }
    ));
    let e = score_cases::<&str>(&[], &[], &IhcOptions::default()).unwrap_err();
    assert_eq!(e, StudyError::NoReaders);
    let bad = IhcOptions {
        positive_from: 4,
        ..Default::default()
    };
    assert!(matches!(
        score_cases(&["A"], &[], &bad),
        Err(StudyError::BadPositiveFrom {
            positive_from: 4,
            max: 3
        })
    ));
}

#[test]
fn another_positivity_cutoff() {
    // 2+ and above positive: the cutoff becomes "above 10 %"
    let opts = IhcOptions {
        positive_from: 2,
        ..Default::default()
    };
    let r = score_cases(&["A", "B"], &[case("x", Some(8.0), Some(12.0))], &opts).unwrap();
    assert_close("cutoff", r.positive_above_percent, 10.0, tol::EXACT);
    // reads 1+ and 2+ straddle; mean 10 % -> 1+
    assert_eq!(
        (r.cases[0].score, r.cases[0].positive, r.cases[0].straddles),
        (1, false, true)
    );
}

#[test]
fn h_score_by_hand() {
    // McCarty 1985: 1 x weak + 2 x moderate + 3 x strong
    assert_close(
        "all strong",
        h_score(0.0, 0.0, 100.0).unwrap(),
        300.0,
        tol::EXACT,
    );
    assert_close(
        "all weak",
        h_score(100.0, 0.0, 0.0).unwrap(),
        100.0,
        tol::EXACT,
    );
    assert_close(
        "mixed",
        h_score(10.0, 20.0, 30.0).unwrap(),
        140.0,
        tol::EXACT,
    );
    assert!(matches!(
        h_score(50.0, 40.0, 20.0),
        Err(StudyError::BadHScore { .. })
    ));
    assert!(h_score(-1.0, 0.0, 0.0).is_err());
}

#[test]
fn allred_bands_by_hand() {
    // Allred et al. 1998: 0 none, 1 <1 %, 2 1-10 %, 3 11-33 %, 4 34-66 %, 5 67-100 %
    let want = [
        (0.5, 1),
        (1.0, 2),
        (10.0, 2),
        (10.5, 3),
        (33.0, 3),
        (34.0, 4),
        (66.0, 4),
        (67.0, 5),
        (100.0, 5),
    ];
    for (p, ps) in want {
        let a = allred(p, 1).unwrap();
        assert_eq!((a.proportion, a.total), (ps, ps + 1), "percent {p}");
    }
    let neg = allred(0.0, 0).unwrap();
    assert_eq!((neg.total, neg.positive), (0, false));
    // the smallest positive total is 2 (PS 1 + IS 1): negative; 3 is positive (Harvey 1999)
    assert!(!allred(0.5, 1).unwrap().positive);
    assert!(allred(0.5, 2).unwrap().positive);
    for (p, i) in [(0.0, 2), (5.0, 0), (5.0, 4), (101.0, 1)] {
        assert!(
            matches!(allred(p, i), Err(StudyError::BadAllred { .. })),
            "{p} {i}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The combined score lies between the readers' scores, and the group
    /// agrees with the mean percent against 40 %.
    #[test]
    fn combined_score_is_between_reader_scores(a in 0.0f64..=100.0, b in 0.0f64..=100.0) {
        let r = score_cases(&["A", "B"], &[case("p", Some(a), Some(b))], &IhcOptions::default()).unwrap();
        let c = &r.cases[0];
        let (sa, sb) = (c.scores[0].unwrap(), c.scores[1].unwrap());
        prop_assert!(sa.min(sb) <= c.score && c.score <= sa.max(sb));
        prop_assert_eq!(c.positive, (a + b) / 2.0 > 40.0);
        prop_assert_eq!(c.straddles, (a > 40.0) != (b > 40.0));
    }
}
