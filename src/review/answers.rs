//! One visit's current answers as rows (export, the detail screen): each visible answered
//! item with its value, outcome, note, when it was answered and the seconds since the answer
//! before it in the log.

use std::collections::HashMap;

use crate::checklist::Item;
use crate::log::EventKind;
use crate::store::read::LoadedVisit;
use crate::visit::{AnswerValue, Outcome};

/// One current answer.
#[derive(Clone, Debug)]
pub struct AnswerRow<'a> {
    /// Index of the item's section in the checklist.
    pub section: usize,
    pub item: &'a Item,
    pub value: &'a AnswerValue,
    pub outcome: Outcome,
    pub note: Option<&'a str>,
    /// RFC 3339, from the event that gave the answer.
    pub answered_at: Option<&'a str>,
    /// The visit's milliseconds at that event.
    pub ms: Option<u64>,
    /// Seconds since the answer event before it in the log; `None` for the first.
    pub seconds_since_previous: Option<f64>,
}

/// The visible answered items of a visit, in checklist order.
pub fn answer_rows(visit: &LoadedVisit) -> Vec<AnswerRow<'_>> {
    let previous = previous_answer_ms(visit);
    visit
        .checklist
        .items()
        .zip(&visit.eval.items)
        .filter_map(|((section, item), status)| {
            let outcome = status.outcome.filter(|_| status.visible)?;
            let state = visit.state.answers.get(&item.id)?;
            let value = state.value.as_ref()?;
            let seconds_since_previous = previous
                .get(item.id.as_str())
                .filter(|(ms, _)| Some(*ms) == state.ms)
                .and_then(|(ms, prev)| prev.map(|p| ms.saturating_sub(p) as f64 / 1000.0));
            Some(AnswerRow {
                section,
                item,
                value,
                outcome,
                note: state.note.as_deref(),
                answered_at: state.answered_at.as_deref(),
                ms: state.ms,
                seconds_since_previous,
            })
        })
        .collect()
}

/// For each item, the `ms` of its latest answer event and of the answer event before that
/// one in the log (any item's).
fn previous_answer_ms(visit: &LoadedVisit) -> HashMap<&str, (u64, Option<u64>)> {
    let mut latest = HashMap::new();
    let mut prev: Option<u64> = None;
    for event in &visit.log.events {
        if let EventKind::Answered { item, .. } | EventKind::Amended { item, .. } = &event.kind {
            latest.insert(item.as_str(), (event.ms, prev));
            prev = Some(event.ms);
        }
    }
    latest
}
