//! Which visits a command or a screen looks at: `--since`, `--until`, `--technician`,
//! `--checklist`, `--status`, `--verdict` (SPEC section 2).

use chrono::NaiveDate;

use crate::log::review::Verdict;
use crate::store::index::summary::{VisitStatus, VisitSummary};

/// The verdict a filter asks for: one of the three, none yet, or what needs a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictFilter {
    Is(Verdict),
    Unreviewed,
    /// Unreviewed, or changed since its latest review (an amendment after a follow-up):
    /// the supervisor's queue (SPEC section 2).
    ToReview,
}

impl VerdictFilter {
    /// Whether a visit's latest verdict is the one asked for (every screen and command
    /// filters by verdict through here).
    pub fn matches(self, visit: &VisitSummary) -> bool {
        match self {
            VerdictFilter::Unreviewed => visit.verdict().is_none(),
            VerdictFilter::ToReview => visit.verdict().is_none() || visit.reviews.outdated,
            VerdictFilter::Is(verdict) => visit.verdict() == Some(verdict),
        }
    }

    /// `approved`, `follow_up`, `rejected`, `unreviewed` or `to_review`.
    pub fn parse(word: &str) -> Option<VerdictFilter> {
        match word {
            "unreviewed" => Some(VerdictFilter::Unreviewed),
            "to_review" => Some(VerdictFilter::ToReview),
            other => Verdict::from_name(other).map(VerdictFilter::Is),
        }
    }
}

/// Every condition is optional; a visit passes when it meets all that are given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// First day included, in the technician's local calendar.
    pub since: Option<NaiveDate>,
    /// Last day included.
    pub until: Option<NaiveDate>,
    /// The technician's name, compared without regard to case.
    pub technician: Option<String>,
    /// A checklist id.
    pub checklist: Option<String>,
    pub status: Option<VisitStatus>,
    pub verdict: Option<VerdictFilter>,
}

impl Filter {
    pub fn matches(&self, visit: &VisitSummary) -> bool {
        // Dates compare as text: `YYYY-MM-DD` sorts as it reads, and the day is the one the
        // technician saw, whatever the offset.
        let day = visit.started_date();
        let since_ok = self.since.is_none_or(|d| day >= day_text(d).as_str());
        let until_ok = self.until.is_none_or(|d| day <= day_text(d).as_str());
        let technician_ok = self
            .technician
            .as_deref()
            .is_none_or(|t| visit.technician.eq_ignore_ascii_case(t) || visit.technician == t);
        let checklist_ok = self
            .checklist
            .as_deref()
            .is_none_or(|c| visit.checklist.id == c);
        let status_ok = self.status.is_none_or(|s| visit.status == s);
        let verdict_ok = self.verdict.is_none_or(|v| v.matches(visit));
        since_ok && until_ok && technician_ok && checklist_ok && status_ok && verdict_ok
    }

    /// The visits that pass, in their order.
    pub fn apply<'a>(
        &'a self,
        visits: &'a [VisitSummary],
    ) -> impl Iterator<Item = &'a VisitSummary> {
        visits.iter().filter(|v| self.matches(v))
    }
}

impl Filter {
    /// The filter in words, for report headings: `since 2026-11-01, technician li.si`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.since {
            parts.push(format!("since {d}"));
        }
        if let Some(d) = self.until {
            parts.push(format!("until {d}"));
        }
        if let Some(t) = &self.technician {
            parts.push(format!("technician {t}"));
        }
        if let Some(c) = &self.checklist {
            parts.push(format!("checklist {c}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("{} visits", s.name()));
        }
        match self.verdict {
            Some(VerdictFilter::Is(v)) => parts.push(format!("verdict {}", v.name())),
            Some(VerdictFilter::Unreviewed) => parts.push("unreviewed".to_owned()),
            Some(VerdictFilter::ToReview) => parts.push("to review".to_owned()),
            None => {}
        }
        if parts.is_empty() {
            "all visits".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// A filter naming a checklist or technician that no visit of the store has: an error, not
/// an empty result (SPEC section 2), with the names the store does know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// `checklist` or `technician`.
    pub what: &'static str,
    pub name: String,
    /// The nearest known names first, then the others, in order.
    pub known: Vec<String>,
}

impl Filter {
    /// Checks the names the filter gives against those of `visits`. `technician` is checked
    /// only when it filters (in `review` it names the reviewer). A store with no visit yet
    /// (a new laptop) knows no names to hold a filter against: its empty answer is true.
    pub fn check_names<'a>(
        &self,
        visits: impl IntoIterator<Item = &'a VisitSummary> + Clone,
    ) -> Result<(), UnknownName> {
        if visits.clone().into_iter().next().is_none() {
            return Ok(());
        }
        let mut technicians: Vec<&str> = visits
            .clone()
            .into_iter()
            .map(|v| v.technician.as_str())
            .collect();
        let mut checklists: Vec<&str> = visits
            .into_iter()
            .map(|v| v.checklist.id.as_str())
            .filter(|id| !id.is_empty())
            .collect();
        if let Some(t) = &self.technician
            && !technicians
                .iter()
                .any(|k| k.eq_ignore_ascii_case(t) || k == t)
        {
            return Err(unknown("technician", t, &mut technicians));
        }
        if let Some(c) = &self.checklist
            && !checklists.contains(&c.as_str())
        {
            return Err(unknown("checklist", c, &mut checklists));
        }
        Ok(())
    }
}

fn unknown(what: &'static str, name: &str, known: &mut Vec<&str>) -> UnknownName {
    known.sort_unstable();
    known.dedup();
    let lower = name.to_lowercase();
    known.sort_by_key(|k| strsim::levenshtein(&lower, &k.to_lowercase()));
    UnknownName {
        what,
        name: name.to_owned(),
        known: known.iter().map(|k| (*k).to_owned()).collect(),
    }
}

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Parses a `YYYY-MM-DD` date for `--since` / `--until`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("\"{text}\" is not a date; write it as YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(started_at: &str, technician: &str) -> VisitSummary {
        VisitSummary {
            started_at: started_at.into(),
            technician: technician.into(),
            status: VisitStatus::Finished,
            ..VisitSummary::default()
        }
    }

    #[test]
    fn dates_are_inclusive_days_in_local_time() {
        let filter = Filter {
            since: parse_date("2026-11-01").ok(),
            until: parse_date("2026-11-30").ok(),
            ..Filter::default()
        };
        assert!(filter.matches(&visit("2026-11-01T00:10:00.000+08:00", "a")));
        assert!(filter.matches(&visit("2026-11-30T23:59:00.000+08:00", "a")));
        assert!(!filter.matches(&visit("2026-12-01T00:00:00.000+08:00", "a")));
        assert!(!filter.matches(&visit("2026-10-31T23:59:59.999-05:00", "a")));
        assert!(parse_date("2026-13-01").is_err());
    }

    #[test]
    fn technician_status_and_verdict() {
        let v = visit("2026-11-01T00:10:00.000+08:00", "Zhang.San");
        let by = |f: Filter| f.matches(&v);
        assert!(by(Filter {
            technician: Some("zhang.san".into()),
            ..Filter::default()
        }));
        assert!(!by(Filter {
            status: Some(VisitStatus::Open),
            ..Filter::default()
        }));
        assert!(by(Filter {
            verdict: VerdictFilter::parse("unreviewed"),
            ..Filter::default()
        }));
        assert!(!by(Filter {
            verdict: VerdictFilter::parse("approved"),
            ..Filter::default()
        }));
        assert_eq!(VerdictFilter::parse("maybe"), None);
    }

    #[test]
    fn names_the_store_never_saw_are_errors_with_the_known_ones() {
        let visits = [
            visit("2026-11-01T00:10:00.000+08:00", "zhang.san"),
            visit("2026-11-02T00:10:00.000+08:00", "li.si"),
        ];
        let ok = Filter {
            technician: Some("Zhang.San".into()),
            ..Filter::default()
        };
        assert_eq!(ok.check_names(&visits), Ok(()));
        let typo = Filter {
            technician: Some("zhang.sun".into()),
            ..Filter::default()
        };
        let err = typo.check_names(&visits).unwrap_err();
        assert_eq!(err.known, ["zhang.san", "li.si"], "nearest first");
        assert_eq!((err.what, err.name.as_str()), ("technician", "zhang.sun"));
        let checklist = Filter {
            checklist: Some("nope".into()),
            ..Filter::default()
        };
        assert_eq!(
            checklist.check_names(&visits).unwrap_err().what,
            "checklist"
        );
    }

    #[test]
    fn to_review_is_unreviewed_or_changed_since_its_review() {
        use crate::log::review::Review;
        use crate::store::index::summary::Reviews;
        let fresh = visit("2026-11-01T00:10:00.000+08:00", "a");
        let review = Review {
            seq: 0,
            at: String::new(),
            visit: String::new(),
            visit_hash: String::new(),
            reviewer: "wang".into(),
            verdict: Verdict::FollowUp,
            comment: "redo".into(),
            item: None,
            hash: String::new(),
        };
        let reviewed = VisitSummary {
            reviews: Reviews {
                all: vec![review],
                ..Reviews::default()
            },
            ..fresh.clone()
        };
        let amended = VisitSummary {
            reviews: Reviews {
                outdated: true,
                ..reviewed.reviews.clone()
            },
            ..fresh.clone()
        };
        let queue = VerdictFilter::ToReview;
        assert!(queue.matches(&fresh));
        assert!(!queue.matches(&reviewed));
        assert!(queue.matches(&amended), "amended after its follow-up");
        assert!(!VerdictFilter::Unreviewed.matches(&amended));
    }
}
