//! This period against the previous one (SPEC section 6): the same figures, by the same
//! `compute_stats`, over the chosen dates and over as many days just before them.
//!
//! The period is `--since`..`--until`; with only one of them given, the data's first or
//! last day closes it; with neither, it is the last four weeks of the data (the whole span
//! would have nothing before it to compare with).

use chrono::{Duration, NaiveDate};

use crate::store::index::summary::VisitSummary;

use super::stats::{Stats, compute_stats};

/// Days in the period compared when no dates are given.
pub const DEFAULT_DAYS: i64 = 28;

/// Figures over the visits of some days, first and last included.
#[derive(Clone, Debug, PartialEq)]
pub struct Period {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub stats: Stats,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub current: Period,
    pub previous: Period,
}

impl Comparison {
    /// The period's length in days.
    pub fn days(&self) -> i64 {
        (self.current.until - self.current.from).num_days() + 1
    }
}

fn day(visit: &VisitSummary) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(visit.started_date(), "%Y-%m-%d").ok()
}

/// The two periods' figures over `visits` (those chosen by every filter but the dates),
/// `None` when no visit has a date to place the periods by.
pub fn compare<'a, I>(
    visits: I,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Option<Comparison>
where
    I: IntoIterator<Item = &'a VisitSummary>,
    I::IntoIter: Clone,
{
    let visits = visits.into_iter();
    let days = visits.clone().filter_map(day);
    let (first, last) = days.fold(None, |span: Option<(NaiveDate, NaiveDate)>, d| {
        Some(span.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
    })?;
    let ((from, until), (before, before_until)) = periods(first, last, since, until)?;
    let period = |a: NaiveDate, b: NaiveDate| Period {
        from: a,
        until: b,
        stats: compute_stats(
            visits
                .clone()
                .filter(move |v| day(v).is_some_and(|d| a <= d && d <= b)),
            None,
        ),
    };
    Some(Comparison {
        current: period(from, until),
        previous: period(before, before_until),
    })
}

/// The period compared and the one before it (first and last day of each), given the
/// first and last day of the visits and the dates asked for; `None` when they make no
/// period. (A store that counts its own figures places its periods by this too.)
pub fn periods(
    first: NaiveDate,
    last: NaiveDate,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Option<((NaiveDate, NaiveDate), (NaiveDate, NaiveDate))> {
    let (from, until) = match (since, until) {
        (Some(s), Some(u)) => (s, u),
        (Some(s), None) => (s, last.max(s)),
        (None, Some(u)) => (first.min(u), u),
        (None, None) => (last - Duration::days(DEFAULT_DAYS - 1), last),
    };
    if until < from {
        return None;
    }
    let length = (until - from).num_days() + 1;
    let before = from - Duration::days(length);
    Some(((from, until), (before, from - Duration::days(1))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::index::summary::VisitStatus;

    fn visit(day: &str) -> VisitSummary {
        VisitSummary {
            started_at: format!("{day}T10:00:00.000+08:00"),
            status: VisitStatus::Finished,
            ..VisitSummary::default()
        }
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn the_previous_period_is_as_long_and_just_before() {
        let visits: Vec<VisitSummary> = ["2026-11-01", "2026-11-09", "2026-11-10", "2026-11-20"]
            .into_iter()
            .map(visit)
            .collect();
        let c = compare(&visits, Some(date("2026-11-11")), Some(date("2026-11-20")));
        let c = c.unwrap_or_else(|| panic!("a comparison"));
        assert_eq!(
            (c.previous.from, c.previous.until),
            (date("2026-11-01"), date("2026-11-10"))
        );
        assert_eq!(c.days(), 10);
        // No checklist: counted as left out, but placed in its period all the same.
        assert_eq!(c.current.stats.skipped, 1);
        assert_eq!(c.previous.stats.skipped, 3);
        let c = compare(&visits, None, None).unwrap_or_else(|| panic!("a comparison"));
        assert_eq!(
            (c.current.from, c.current.until),
            (date("2026-10-24"), date("2026-11-20"))
        );
        assert_eq!(compare(&[], None, None), None);
    }
}
