//! One visit's current answers as rows (export, the detail screen): each visible answered
//! item with its value, outcome, note, when it was answered and the seconds since the answer
//! before it in the log.

use std::collections::HashMap;

use crate::checklist::{Checklist, Item};
use crate::log::{Event, EventKind};
use crate::store::read::LoadedVisit;
use crate::visit::{AnswerValue, Evaluation, Outcome, VisitState};

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
    /// Why the answer was changed, when an amendment after the visit gave it.
    pub amend_reason: Option<&'a str>,
    /// The files attached to the item.
    pub evidence: &'a [crate::visit::Attachment],
}

/// The visible answered items of a visit read by `load_visit`, in checklist order.
pub fn answer_rows(visit: &LoadedVisit) -> Vec<AnswerRow<'_>> {
    rows(&visit.checklist, &visit.state, &visit.eval, &visit.events)
}

/// The visible answered items, in checklist order, from a visit's parts: its checklist,
/// replayed state, evaluation and events (all of them, or those after `started`).
pub fn rows<'a>(
    checklist: &'a Checklist,
    state: &'a VisitState,
    eval: &'a Evaluation,
    events: &'a [Event],
) -> Vec<AnswerRow<'a>> {
    let previous = previous_answer_ms(events);
    let reasons = amend_reasons(events);
    checklist
        .items()
        .zip(&eval.items)
        .filter_map(|((section, item), status)| {
            let outcome = status.outcome.filter(|_| status.visible)?;
            let state = state.answers.get(&item.id)?;
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
                amend_reason: reasons.get(item.id.as_str()).copied().flatten(),
                evidence: &state.evidence,
            })
        })
        .collect()
}

/// For each item, the `ms` of its latest answer event and of the answer event before that
/// one in the log (any item's).
fn previous_answer_ms(events: &[Event]) -> HashMap<&str, (u64, Option<u64>)> {
    let mut latest = HashMap::new();
    let mut prev: Option<u64> = None;
    for event in events {
        let item = match &event.kind {
            EventKind::Answered { item, .. }
            | EventKind::Amended {
                item: Some(item), ..
            } => item,
            _ => continue,
        };
        latest.insert(item.as_str(), (event.ms, prev));
        prev = Some(event.ms);
    }
    latest
}

/// For each item, the reason of the amendment that gave its current answer (`None` when a
/// plain answer came last).
fn amend_reasons(events: &[Event]) -> HashMap<&str, Option<&str>> {
    let mut reasons = HashMap::new();
    for event in events {
        match &event.kind {
            EventKind::Answered { item, .. } => {
                reasons.insert(item.as_str(), None);
            }
            // An amendment without an item answers the supervisor's comment: no answer's.
            EventKind::Amended {
                item: Some(item),
                reason,
                ..
            } => {
                reasons.insert(item.as_str(), Some(reason.as_str()));
            }
            _ => {}
        }
    }
    reasons
}

/// An answer's value as one line of text: option ids of a multi-choice joined with `;`,
/// numbers as the log writes them.
pub fn value_text(value: &AnswerValue) -> String {
    match value.to_json() {
        serde_json::Value::String(s) => s,
        serde_json::Value::Array(ids) => ids
            .iter()
            .map(|id| id.as_str().map_or_else(|| id.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
    }
}
