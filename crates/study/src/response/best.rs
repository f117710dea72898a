//! Best overall response from a series of time-point responses.

use chrono::NaiveDate;

use super::Response;

/// The outcome of the best-overall-response rule for one patient.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Best {
    pub best: Response,
    /// The best CR/PR seen before progression when it was not confirmed.
    pub unconfirmed: Option<Response>,
    /// Date of the first PD time point.
    pub first_progression: Option<NaiveDate>,
}

/// One time point: date, days from the origin (baseline or treatment
/// start), response.
pub(crate) type Point = (NaiveDate, i64, Response);

/// Best overall response (RECIST 1.1 section 4.4; RECIST 1.0 section 4.1;
/// WHO: Miller et al. 1981).
///
/// `points` must be sorted by date. Time points after the first PD are
/// ignored. Without confirmation the best is CR if any time point is CR,
/// else PR if any is PR. With confirmation a CR counts only when a later
/// time point at least `confirm_min_days` after it is CR, and a PR (or a CR
/// not so confirmed) only when a later time point at least that far away is
/// PR or CR; intervening NE time points are allowed. Otherwise the best is
/// SD when some CR/PR/SD time point lies at least `sd_min_days` from the
/// origin, else PD when a PD time point exists, else NE.
pub(crate) fn best_overall(
    points: &[Point],
    confirm: bool,
    confirm_min_days: i64,
    sd_min_days: i64,
) -> Best {
    let pd = points.iter().position(|p| p.2 == Response::Pd);
    let pre = &points[..pd.unwrap_or(points.len())];
    let first_progression = pd.map(|i| points[i].0);
    let any = |r: Response| pre.iter().any(|p| p.2 == r);
    let raw = if any(Response::Cr) {
        Some(Response::Cr)
    } else if any(Response::Pr) {
        Some(Response::Pr)
    } else {
        None
    };
    let confirmed = |first: &[Response], later: &[Response]| {
        pre.iter().enumerate().any(|(i, a)| {
            first.contains(&a.2)
                && pre[i + 1..]
                    .iter()
                    .any(|b| later.contains(&b.2) && (b.0 - a.0).num_days() >= confirm_min_days)
        })
    };
    let responded = if !confirm {
        raw
    } else if confirmed(&[Response::Cr], &[Response::Cr]) {
        Some(Response::Cr)
    } else if confirmed(&[Response::Cr, Response::Pr], &[Response::Cr, Response::Pr]) {
        Some(Response::Pr)
    } else {
        None
    };
    let unconfirmed = match (raw, responded) {
        (Some(r), Some(c)) if r != c => Some(r),
        (Some(r), None) => Some(r),
        _ => None,
    };
    let best = if let Some(r) = responded {
        r
    } else if pre
        .iter()
        .any(|p| matches!(p.2, Response::Cr | Response::Pr | Response::Sd) && p.1 >= sd_min_days)
    {
        Response::Sd
    } else if pd.is_some() {
        Response::Pd
    } else {
        Response::Ne
    };
    Best {
        best,
        unconfirmed,
        first_progression,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(day as u64)
    }
    fn pts(v: &[(i64, Response)]) -> Vec<Point> {
        v.iter().map(|&(day, r)| (d(day), day, r)).collect()
    }
    use Response::*;

    #[test]
    fn unconfirmed_pr_is_sd_when_long_enough() {
        let p = pts(&[(63, Pr), (147, Pd)]);
        let b = best_overall(&p, true, 28, 42);
        assert_eq!((b.best, b.unconfirmed), (Sd, Some(Pr)));
        assert_eq!(best_overall(&p, false, 28, 42).best, Pr);
    }

    #[test]
    fn confirmation_needs_the_minimum_gap() {
        let p = pts(&[(63, Pr), (80, Pr), (140, Sd)]);
        assert_eq!(best_overall(&p, true, 28, 42).best, Sd);
        let p = pts(&[(63, Pr), (91, Ne), (100, Cr)]);
        let b = best_overall(&p, true, 28, 42);
        assert_eq!((b.best, b.unconfirmed), (Pr, Some(Cr)));
    }

    #[test]
    fn early_sd_then_pd_is_pd_and_nothing_is_ne() {
        let p = pts(&[(30, Sd), (60, Pd)]);
        assert_eq!(best_overall(&p, false, 28, 42).best, Pd);
        assert_eq!(best_overall(&pts(&[(30, Sd)]), false, 28, 42).best, Ne);
        assert_eq!(best_overall(&[], false, 28, 42).best, Ne);
    }

    #[test]
    fn points_after_progression_are_ignored() {
        let p = pts(&[(63, Sd), (120, Pd), (200, Pr)]);
        let b = best_overall(&p, false, 28, 42);
        assert_eq!((b.best, b.first_progression), (Sd, Some(d(120))));
    }
}
