//! Which visits the review list shows, and in what order: the search, the status and verdict
//! filters and the sort column, turned into a `Vec` of indexes into the store once per
//! change. Drawing then reads only the rows in view, however large the store.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::checklist::Text;
use crate::log::integrity::IntegrityState;
use crate::log::review::Verdict;
use crate::review::filter::VerdictFilter;
use crate::store::index::summary::{ChecklistInfo, VisitStatus, VisitSummary};
use crate::visit::VisitResult;

/// A column of the list; each one sorts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Date,
    Technician,
    Checklist,
    WorkOrder,
    Duration,
    Score,
    Result,
    Failures,
    Rushed,
    Integrity,
    Verdict,
}

impl Column {
    /// Left to right.
    pub const ALL: [Column; 11] = [
        Column::Date,
        Column::Technician,
        Column::Checklist,
        Column::WorkOrder,
        Column::Duration,
        Column::Score,
        Column::Result,
        Column::Failures,
        Column::Rushed,
        Column::Integrity,
        Column::Verdict,
    ];

    /// Most wanted first: a narrow terminal drops columns from the end of this list.
    pub const PRIORITY: [Column; 11] = [
        Column::Date,
        Column::Technician,
        Column::Result,
        Column::Verdict,
        Column::Rushed,
        Column::Failures,
        Column::WorkOrder,
        Column::Score,
        Column::Checklist,
        Column::Integrity,
        Column::Duration,
    ];

    /// The column after this one, for the sort key.
    pub fn next(self) -> Column {
        let i = Column::ALL.iter().position(|&c| c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }

    /// A number that sorts visits by this column; strings are ranked first (`ranks`).
    fn key(self, visit: &VisitSummary, ranks: &Ranks) -> u64 {
        match self {
            // Visit ids are ULIDs: the store's order (the tie-break) is the moment the visit
            // started, whatever the offset the technician's laptop wrote.
            Column::Date => 0,
            Column::Technician => ranks.of(&visit.technician),
            Column::Checklist => ranks.of(&visit.checklist.id),
            Column::WorkOrder => visit.work_order().map_or(0, |w| 1 + ranks.of(w)),
            Column::Duration => visit.duration_ms,
            // Scores are never negative: their bits sort as the numbers do.
            Column::Score => visit.score.map_or(0, |x| 1 + x.max(0.0).to_bits()),
            Column::Result => u64::from(result_rank(visit)),
            Column::Failures => u64::from(visit.failed),
            Column::Rushed => u64::from(visit.rushed),
            Column::Integrity => u64::from(integrity_rank(visit)),
            Column::Verdict => u64::from(verdict_rank(visit)),
        }
    }

    /// The text this column sorts by, for the columns that sort by text.
    fn text(self, visit: &VisitSummary) -> Option<&str> {
        match self {
            Column::Technician => Some(&visit.technician),
            Column::Checklist => Some(&visit.checklist.id),
            Column::WorkOrder => visit.work_order(),
            _ => None,
        }
    }
}

/// The place of each distinct text in sorted order: sorting 100,000 visits then compares
/// numbers in one array rather than strings scattered over memory.
#[derive(Default)]
struct Ranks<'a>(HashMap<&'a str, u64>);

impl<'a> Ranks<'a> {
    fn new(texts: impl Iterator<Item = &'a str>) -> Ranks<'a> {
        let mut distinct: Vec<&str> = texts.collect::<HashSet<&str>>().into_iter().collect();
        distinct.sort_unstable();
        Ranks(
            distinct
                .into_iter()
                .enumerate()
                .map(|(i, t)| (t, i as u64))
                .collect(),
        )
    }

    fn of(&self, text: &str) -> u64 {
        self.0.get(text).copied().unwrap_or(0)
    }
}

/// Failures first when sorted up: what a supervisor looks for.
fn result_rank(v: &VisitSummary) -> u8 {
    match (v.status, v.result) {
        (VisitStatus::Finished, Some(VisitResult::Fail)) => 0,
        (VisitStatus::Finished, _) => 1,
        (VisitStatus::Open, _) => 2,
        (VisitStatus::Abandoned, _) => 3,
        (VisitStatus::Unreadable, _) => 4,
    }
}

fn integrity_rank(v: &VisitSummary) -> u8 {
    match v.integrity.state() {
        IntegrityState::Damaged => 0,
        IntegrityState::Torn => 1,
        IntegrityState::Clean => 2,
    }
}

fn verdict_rank(v: &VisitSummary) -> u8 {
    match v.verdict() {
        None => 0,
        Some(Verdict::Rejected) => 1,
        Some(Verdict::FollowUp) => 2,
        Some(Verdict::Approved) => 3,
    }
}

/// The status filter's steps, `f` going from one to the next.
pub const STATUS_STEPS: [Option<VisitStatus>; 5] = [
    None,
    Some(VisitStatus::Open),
    Some(VisitStatus::Finished),
    Some(VisitStatus::Abandoned),
    Some(VisitStatus::Unreadable),
];

/// The verdict filter's steps, `v` going from one to the next.
pub const VERDICT_STEPS: [Option<VerdictFilter>; 6] = [
    None,
    Some(VerdictFilter::ToReview),
    Some(VerdictFilter::Unreviewed),
    Some(VerdictFilter::Is(Verdict::Approved)),
    Some(VerdictFilter::Is(Verdict::FollowUp)),
    Some(VerdictFilter::Is(Verdict::Rejected)),
];

fn step<T: PartialEq + Copy>(steps: &[T], now: T) -> T {
    let i = steps.iter().position(|&s| s == now).unwrap_or(0);
    steps[(i + 1) % steps.len()]
}

/// What the list is asked to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub sort: Column,
    /// Descending.
    pub reverse: bool,
    /// Lower-case; empty for none.
    pub search: String,
    pub status: Option<VisitStatus>,
    pub verdict: Option<VerdictFilter>,
}

impl Default for Query {
    /// Newest first.
    fn default() -> Self {
        Query {
            sort: Column::Date,
            reverse: true,
            search: String::new(),
            status: None,
            verdict: None,
        }
    }
}

impl Query {
    pub fn next_status(&mut self) {
        self.status = step(&STATUS_STEPS, self.status);
    }

    pub fn next_verdict(&mut self) {
        self.verdict = step(&VERDICT_STEPS, self.verdict);
    }

    pub fn is_filtered(&self) -> bool {
        !self.search.is_empty() || self.status.is_some() || self.verdict.is_some()
    }

    fn passes(&self, visit: &VisitSummary, haystack: &str) -> bool {
        self.status.is_none_or(|s| visit.status == s)
            && self.verdict.is_none_or(|v| v.matches(visit))
            && (self.search.is_empty() || haystack.contains(&self.search))
    }
}

/// The text `/` searches in, one piece per visit, lower-case: id, technician, work order,
/// customer, checklist id and titles. All in one buffer: 100,000 visits make one
/// allocation, not 100,000.
#[derive(Debug, Default)]
struct Haystacks {
    text: String,
    /// Where each visit's piece ends in `text`.
    ends: Vec<usize>,
}

impl Haystacks {
    fn new(visits: &[VisitSummary]) -> Haystacks {
        let mut text = String::with_capacity(visits.len() * 96);
        let mut ends = Vec::with_capacity(visits.len());
        // A checklist's part is the same for all its visits: lower-cased once.
        let mut checklists: HashMap<*const ChecklistInfo, String> = HashMap::new();
        for visit in visits {
            for part in [
                visit.id.as_str(),
                visit.technician.as_str(),
                visit.work_order().unwrap_or(""),
                visit.field("customer").unwrap_or(""),
            ] {
                push_lower(&mut text, part);
                text.push('\u{1f}');
            }
            let checklist = checklists
                .entry(Arc::as_ptr(&visit.checklist))
                .or_insert_with(|| {
                    let mut part = String::new();
                    push_lower(&mut part, &visit.checklist.id);
                    for title in titles(&visit.checklist.title) {
                        part.push('\u{1f}');
                        push_lower(&mut part, title);
                    }
                    part
                });
            text.push_str(checklist);
            ends.push(text.len());
        }
        Haystacks { text, ends }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or("")
    }
}

fn push_lower(out: &mut String, text: &str) {
    if text.is_ascii() {
        out.extend(text.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// A checklist title in every language it is written in.
fn titles(text: &Text) -> Vec<&str> {
    match text {
        Text::Empty => Vec::new(),
        Text::Plain(t) => vec![t.as_str()],
        Text::Translated(pairs) => pairs.iter().map(|(_, t)| t.as_str()).collect(),
    }
}

/// The rows of the list: indexes into the store's visits, filtered and sorted.
#[derive(Debug, Default)]
pub struct Rows {
    pub query: Query,
    pub rows: Vec<u32>,
    /// The search text of every visit, built the first time a search is typed.
    haystacks: Haystacks,
}

impl Rows {
    pub fn new(visits: &[VisitSummary], query: Query) -> Rows {
        let mut rows = Rows {
            query,
            rows: Vec::new(),
            haystacks: Haystacks::default(),
        };
        rows.rebuild(visits);
        rows
    }

    /// Filters and sorts all visits again.
    pub fn rebuild(&mut self, visits: &[VisitSummary]) {
        if !self.query.search.is_empty() && self.haystacks.len() != visits.len() {
            self.haystacks = Haystacks::new(visits);
        }
        let query = &self.query;
        let haystacks = &self.haystacks;
        self.rows = (0..visits.len())
            .filter(|&i| query.passes(&visits[i], haystacks.get(i)))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        self.sort(visits);
    }

    /// The search text changed: when it only grew, the rows already shown are filtered
    /// further (their order stays); otherwise everything is filtered and sorted again.
    pub fn set_search(&mut self, visits: &[VisitSummary], search: &str) {
        let search = search.trim().to_lowercase();
        if search == self.query.search {
            return;
        }
        let narrower = search.contains(&self.query.search)
            && !self.query.search.is_empty()
            && self.haystacks.len() == visits.len();
        self.query.search = search;
        if narrower {
            let needle = &self.query.search;
            let haystacks = &self.haystacks;
            self.rows
                .retain(|&i| haystacks.get(i as usize).contains(needle.as_str()));
        } else {
            self.rebuild(visits);
        }
    }

    /// Sorts the rows by the query's column; ties by start time, newest first when reversed.
    pub fn sort(&mut self, visits: &[VisitSummary]) {
        let column = self.query.sort;
        let ranks = Ranks::new(
            self.rows
                .iter()
                .filter_map(|&i| visits.get(i as usize).and_then(|v| column.text(v))),
        );
        // The store is in id order, so the index breaks ties by start time.
        let mut keyed: Vec<(u64, u32)> = self
            .rows
            .iter()
            .filter_map(|&i| visits.get(i as usize).map(|v| (column.key(v, &ranks), i)))
            .collect();
        keyed.sort_unstable();
        if self.query.reverse {
            keyed.reverse();
        }
        self.rows = keyed.into_iter().map(|(_, i)| i).collect();
    }

    /// A visit's place in the rows.
    pub fn position_of(&self, visits: &[VisitSummary], id: &str) -> Option<usize> {
        self.rows
            .iter()
            .position(|&i| visits.get(i as usize).is_some_and(|v| v.id == id))
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The visit shown in row `n`.
    pub fn visit<'a>(&self, visits: &'a [VisitSummary], n: usize) -> Option<&'a VisitSummary> {
        self.rows.get(n).and_then(|&i| visits.get(i as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(id: &str, technician: &str, failed: u32, status: VisitStatus) -> VisitSummary {
        VisitSummary {
            id: id.into(),
            technician: technician.into(),
            failed,
            status,
            fields: crate::store::index::summary::Fields::new([("work_order", format!("WO-{id}"))]),
            ..VisitSummary::default()
        }
    }

    fn ids(rows: &Rows, visits: &[VisitSummary]) -> Vec<String> {
        (0..rows.len())
            .filter_map(|n| rows.visit(visits, n).map(|v| v.id.clone()))
            .collect()
    }

    #[test]
    fn sorts_filters_and_searches() {
        let visits = vec![
            visit("A1", "li", 2, VisitStatus::Finished),
            visit("A2", "zhang", 0, VisitStatus::Open),
            visit("A3", "li", 5, VisitStatus::Finished),
        ];
        let mut rows = Rows::new(&visits, Query::default());
        assert_eq!(ids(&rows, &visits), ["A3", "A2", "A1"], "newest first");
        rows.query.sort = Column::Failures;
        rows.query.reverse = false;
        rows.sort(&visits);
        assert_eq!(ids(&rows, &visits), ["A2", "A1", "A3"]);
        rows.query.next_status();
        assert_eq!(rows.query.status, Some(VisitStatus::Open));
        rows.query.next_status();
        rows.rebuild(&visits);
        assert_eq!(ids(&rows, &visits), ["A1", "A3"]);
        rows.set_search(&visits, "wo-a");
        assert_eq!(ids(&rows, &visits), ["A1", "A3"]);
        rows.set_search(&visits, "WO-A3");
        assert_eq!(ids(&rows, &visits), ["A3"]);
        rows.set_search(&visits, "");
        assert_eq!(ids(&rows, &visits), ["A1", "A3"]);
        assert_eq!(rows.position_of(&visits, "A3"), Some(1));
    }

    #[test]
    fn filters_cycle_back_to_all() {
        let mut query = Query::default();
        for _ in 0..STATUS_STEPS.len() {
            query.next_status();
        }
        for _ in 0..VERDICT_STEPS.len() {
            query.next_verdict();
        }
        assert_eq!(query, Query::default());
        assert_eq!(Column::Verdict.next(), Column::Date);
    }
}
