//! Replaying a visit log's events into the visit's current state.

use serde_json::{Map, Value};

use crate::checklist::Checklist;
use crate::log::{Event, EventKind};

use super::answer::AnswerValue;
use super::evaluate::Answers;
use super::evidence::{Attachment, EvidenceChange};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Open,
    Finished { at: String },
    Abandoned { at: String, reason: String },
}

impl Status {
    pub fn name(&self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Finished { .. } => "finished",
            Status::Abandoned { .. } => "abandoned",
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, Status::Open)
    }
}

/// An amendment made after the visit was finished, kept for review.
#[derive(Clone, Debug, PartialEq)]
pub struct Amendment {
    /// The item changed; `None` for the answer to the supervisor's general comment.
    pub item: Option<String>,
    pub value: Value,
    pub note: Option<String>,
    /// Why it changed, or (without an item) the answer to the supervisor.
    pub reason: String,
    /// Who amended it, and on which laptop; `None` in logs written before that was recorded.
    pub technician: Option<String>,
    pub host: Option<String>,
    pub at: String,
    pub seq: u64,
    /// For an attachment added or taken off after close: what it did (`value` is null).
    pub evidence: Option<EvidenceChange>,
}

impl Amendment {
    /// An attachment added or taken off after close (`by`: technician and host).
    fn of_evidence(
        event: &Event,
        item: &str,
        reason: &str,
        by: (Option<String>, Option<String>),
        change: EvidenceChange,
    ) -> Amendment {
        Amendment {
            item: Some(item.to_owned()),
            value: Value::Null,
            note: None,
            reason: reason.to_owned(),
            technician: by.0,
            host: by.1,
            at: event.at.clone(),
            seq: event.seq,
            evidence: Some(change),
        }
    }

    /// Who made it, as `technician@host`, or `None` when the log does not say.
    pub fn amender(&self) -> Option<String> {
        amender_name(self.technician.as_deref(), self.host.as_deref())
    }
}

/// An amender as shown: `technician@host`, `technician`, or `None` when not recorded.
pub fn amender_name(technician: Option<&str>, host: Option<&str>) -> Option<String> {
    match (technician, host) {
        (Some(t), Some(h)) => Some(format!("{t}@{h}")),
        (Some(t), None) => Some(t.to_owned()),
        (None, _) => None,
    }
}

/// The current state of a visit, as its log says.
#[derive(Clone, Debug, PartialEq)]
pub struct VisitState {
    pub visit: String,
    pub technician: String,
    pub host: String,
    pub lang: String,
    pub started_at: String,
    pub fields: Map<String, Value>,
    pub answers: Answers,
    pub status: Status,
    pub amendments: Vec<Amendment>,
    /// The visit's milliseconds at its last event.
    pub last_ms: u64,
    pub last_at: String,
    pub last_hash: String,
    /// Events whose value does not fit the checklist (a hand-edited log), by seq.
    pub problems: Vec<(u64, String)>,
}

impl VisitState {
    /// The state after the `started` event.
    pub fn from_started(event: &Event) -> Option<VisitState> {
        let EventKind::Started { visit, info } = &event.kind else {
            return None;
        };
        Some(VisitState {
            visit: visit.clone(),
            technician: info.technician.clone(),
            host: info.host.clone(),
            lang: info.lang.clone(),
            started_at: event.at.clone(),
            fields: info.fields.clone(),
            answers: Answers::new(),
            status: Status::Open,
            amendments: Vec::new(),
            last_ms: event.ms,
            last_at: event.at.clone(),
            last_hash: event.hash.clone(),
            problems: Vec::new(),
        })
    }

    /// Applies one later event. The latest event for an item supersedes earlier ones.
    pub fn apply(&mut self, checklist: &Checklist, event: &Event) {
        self.last_ms = event.ms;
        self.last_at.clone_from(&event.at);
        self.last_hash.clone_from(&event.hash);
        match &event.kind {
            EventKind::Started { .. } => self
                .problems
                .push((event.seq, "a second `started` event".into())),
            EventKind::Answered { item, value, note } => {
                self.set_answer(checklist, event, item, value, note.clone())
            }
            EventKind::Amended {
                item,
                value,
                note,
                reason,
                technician,
                host,
            } => {
                // Without an item it answers the supervisor: no answer changes.
                if let Some(item) = item {
                    self.set_answer(checklist, event, item, value, note.clone());
                }
                self.amendments.push(Amendment {
                    item: item.clone(),
                    value: value.clone(),
                    note: note.clone(),
                    reason: reason.clone(),
                    technician: technician.clone(),
                    host: host.clone(),
                    at: event.at.clone(),
                    seq: event.seq,
                    evidence: None,
                });
            }
            EventKind::Attached {
                item,
                sha256,
                size,
                media_type,
                name,
                reason,
                technician,
                host,
            } => {
                let attachment = Attachment {
                    sha256: sha256.clone(),
                    size: *size,
                    media_type: media_type.clone(),
                    name: name.clone(),
                    at: event.at.clone(),
                    seq: event.seq,
                };
                if checklist.item(item).is_none() {
                    self.problems.push((
                        event.seq,
                        format!("evidence for \"{item}\", which the checklist does not have"),
                    ));
                    return;
                }
                let evidence = &mut self.answers.entry(item.clone()).or_default().evidence;
                // The same file twice on one item is one attachment.
                if !evidence.iter().any(|a| a.sha256 == *sha256) {
                    evidence.push(attachment.clone());
                }
                if let Some(reason) = reason {
                    let change = EvidenceChange::Attached(attachment);
                    let by = (technician.clone(), host.clone());
                    self.amendments
                        .push(Amendment::of_evidence(event, item, reason, by, change));
                }
            }
            EventKind::Detached {
                item,
                sha256,
                reason,
                technician,
                host,
            } => {
                let evidence = self.answers.get_mut(item).map(|s| &mut s.evidence);
                let removed = evidence.and_then(|list| {
                    let at = list.iter().position(|a| a.sha256 == *sha256)?;
                    Some(list.remove(at))
                });
                let Some(removed) = removed else {
                    self.problems.push((
                        event.seq,
                        format!("\"{item}\" has no attachment {sha256} to take off"),
                    ));
                    return;
                };
                if let Some(reason) = reason {
                    let change = EvidenceChange::Detached {
                        sha256: removed.sha256,
                        name: removed.name,
                    };
                    let by = (technician.clone(), host.clone());
                    self.amendments
                        .push(Amendment::of_evidence(event, item, reason, by, change));
                }
            }
            EventKind::Noted { item, note } => {
                self.answers.entry(item.clone()).or_default().note =
                    Some(note.clone()).filter(|n| !n.is_empty());
            }
            EventKind::Cleared { item } => {
                if let Some(state) = self.answers.get_mut(item) {
                    state.value = None;
                    state.answered_at = None;
                    state.ms = None;
                }
            }
            EventKind::Fields { fields } => {
                for (key, value) in fields {
                    self.fields.insert(key.clone(), value.clone());
                }
            }
            EventKind::Paused | EventKind::Resumed | EventKind::Sealed { .. } => {}
            EventKind::Finished { .. } => {
                self.status = Status::Finished {
                    at: event.at.clone(),
                }
            }
            EventKind::Abandoned { reason } => {
                self.status = Status::Abandoned {
                    at: event.at.clone(),
                    reason: reason.clone(),
                }
            }
        }
    }

    fn set_answer(
        &mut self,
        checklist: &Checklist,
        event: &Event,
        item: &str,
        value: &Value,
        note: Option<String>,
    ) {
        let Some(definition) = checklist.item(item) else {
            self.problems.push((
                event.seq,
                format!("answer for \"{item}\", which the checklist does not have"),
            ));
            return;
        };
        match AnswerValue::from_json(definition, value) {
            Ok(answer) => {
                let state = self.answers.entry(item.to_owned()).or_default();
                state.value = Some(answer);
                if note.is_some() {
                    state.note = note.filter(|n| !n.is_empty());
                }
                state.answered_at = Some(event.at.clone());
                state.ms = Some(event.ms);
            }
            Err(message) => self.problems.push((event.seq, message)),
        }
    }

    /// The header field as text, for display (`work_order` ...).
    pub fn field_text(&self, key: &str) -> Option<String> {
        match self.fields.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

/// Replays a whole log. `None` when it does not begin with `started`.
pub fn replay(checklist: &Checklist, events: &[Event]) -> Option<VisitState> {
    let (first, rest) = events.split_first()?;
    let mut state = VisitState::from_started(first)?;
    for event in rest {
        state.apply(checklist, event);
    }
    Some(state)
}
