//! One visit log's bytes turned into a `VisitSummary`: verified, replayed and evaluated, then
//! reduced to the few figures the list and the stats need. Never fails: whatever is wrong
//! with the log ends up in the summary's `integrity`.
//!
//! A clean log goes through `fast`; anything else through `crate::log::reader`, which names
//! every problem.

use std::path::Path;
use std::sync::Arc;

use crate::checklist::Checklist;
use crate::log::reader::analyze_log;
use crate::log::{Event, EventKind, LogRead};
use crate::visit::{Answers, Evaluation, Status, VisitState, evaluate, target_met};

use super::checklists::ChecklistSet;
use super::fast::{Source, Start, read_clean};
use super::summary::{
    ChecklistInfo, Fields, Integrity, ItemMark, ItemMarks, LineProblem, TargetMarks, TornInfo,
    VisitStatus, VisitSummary,
};

/// A visit log as either reader found it: the state after `started`, and the events after
/// it, not yet applied.
pub struct ReadVisit {
    pub start: VisitState,
    pub recorded_sha256: String,
    pub events: Vec<Event>,
    pub checklist: Arc<ChecklistInfo>,
    pub integrity: Integrity,
}

impl ReadVisit {
    /// The visit's current state and its evaluation; `None` when its checklist does not load.
    pub fn replay(&self) -> Option<(Arc<Checklist>, VisitState, Evaluation)> {
        let checklist = self.checklist.checklist.clone()?;
        let mut state = self.start.clone();
        for event in &self.events {
            state.apply(&checklist, event);
        }
        let eval = evaluate(&checklist, &state.answers);
        Some((checklist, state, eval))
    }
}

/// Reads a visit log's bytes, the quick way when it is clean. `Err` holds the thorough
/// reading of a log that is not a visit at all (no `started` first), for its problems.
pub fn read_visit(bytes: &[u8], checklists: &ChecklistSet) -> Result<ReadVisit, LogRead> {
    if let Some(clean) = read_clean(bytes, &checklists.known_sources()) {
        let start = &clean.start;
        let checklist = match &start.source {
            Source::Known(info) => Some(info.clone()),
            Source::Raw(raw) => checklists.get_or_parse_raw(
                &start.recorded_sha256,
                &start.checklist_id,
                &start.checklist_version,
                raw,
            ),
        };
        if let Some(checklist) = checklist {
            return Ok(ReadVisit {
                start: start_state(start),
                recorded_sha256: start.recorded_sha256.clone(),
                events: clean.events,
                checklist,
                integrity: Integrity::default(),
            });
        }
    }
    let mut log = analyze_log(bytes);
    let integrity = integrity_of(&log);
    let start = log.events.first().and_then(VisitState::from_started);
    let (Some(start), false) = (start, log.events.is_empty()) else {
        return Err(log);
    };
    let mut events = std::mem::take(&mut log.events);
    let first = events.remove(0);
    let EventKind::Started { info, .. } = first.kind else {
        return Err(log);
    };
    let recorded = info.checklist;
    let checklist = checklists.get_or_parse(
        &recorded.sha256,
        &recorded.id,
        &recorded.version,
        &recorded.source,
    );
    Ok(ReadVisit {
        start,
        recorded_sha256: recorded.sha256,
        events,
        checklist,
        integrity,
    })
}

/// A visit log as the one loader reads it: the integrity verdict every reader gives it,
/// and the visit it records as far as it can be read.
pub enum Loaded {
    Visit(Box<LoadedLog>),
    /// Not a visit log at all (its first line is not a `started` event).
    NotAVisit {
        integrity: Integrity,
        events: u32,
        last_hash: String,
    },
}

/// A visit log that begins as one.
pub struct LoadedLog {
    /// The verdict: chain, JSON, event order, an id or a checklist that disagrees with the
    /// log, a checklist that does not load, an answer the checklist cannot take.
    pub integrity: Integrity,
    pub checklist: Arc<ChecklistInfo>,
    /// The visit's current state, every event applied (without its checklist: only the
    /// events that need none).
    pub state: VisitState,
    /// The evaluation, when the checklist loads.
    pub eval: Option<Evaluation>,
    /// The events after `started`.
    pub events: Vec<Event>,
}

impl Loaded {
    pub fn integrity(&self) -> &Integrity {
        match self {
            Loaded::Visit(log) => &log.integrity,
            Loaded::NotAVisit { integrity, .. } => integrity,
        }
    }
}

/// THE loader: a visit log's bytes (from `crate::log::reader::read_bounded`) become its
/// verdict and its replayed visit. `id` is the id the file is named for. Every command, the
/// summary cache, the review screen and resume reach a log through here.
pub fn load(bytes: &[u8], id: &str, checklists: &ChecklistSet) -> Loaded {
    match read_visit(bytes, checklists) {
        Ok(visit) => Loaded::Visit(Box::new(replay_visit(id, visit))),
        Err(log) => {
            let mut integrity = integrity_of(&log);
            if integrity.problems.is_empty() {
                integrity.problems.push(LineProblem {
                    line: 1,
                    message: "not a visit log: its first line is not a started event".into(),
                });
            }
            Loaded::NotAVisit {
                integrity,
                events: log.events.len() as u32,
                last_hash: log
                    .events
                    .last()
                    .map(|e| e.hash.clone())
                    .unwrap_or_default(),
            }
        }
    }
}

/// Summarises the log of visit `id` (the file name's id) from its bytes.
pub fn summarize_bytes(
    bytes: &[u8],
    id: &str,
    path: &Path,
    checklists: &ChecklistSet,
) -> VisitSummary {
    match load(bytes, id, checklists) {
        Loaded::Visit(log) => summarize(id, path, *log),
        Loaded::NotAVisit {
            integrity,
            events,
            last_hash,
        } => VisitSummary {
            id: id.to_owned(),
            path: path.to_owned(),
            status: VisitStatus::Unreadable,
            integrity,
            events,
            last_hash,
            ..VisitSummary::default()
        },
    }
}

fn start_state(start: &Start<'_>) -> VisitState {
    VisitState {
        visit: start.visit.clone(),
        technician: start.technician.clone(),
        host: start.host.clone(),
        lang: String::new(),
        started_at: start.at.clone(),
        fields: start.fields.clone(),
        answers: Answers::new(),
        status: Status::Open,
        amendments: Vec::new(),
        last_ms: start.ms,
        last_at: start.at.clone(),
        last_hash: start.hash.clone(),
        problems: Vec::new(),
    }
}

/// Replays a log read as a visit and gives its verdict.
fn replay_visit(id: &str, visit: ReadVisit) -> LoadedLog {
    let ReadVisit {
        start: mut state,
        recorded_sha256,
        events,
        checklist: info,
        mut integrity,
    } = visit;
    let mut problems = Vec::new();
    if state.visit != id {
        problems.push(format!(
            "the started event names visit {}, but the file is named for {id}",
            state.visit
        ));
    }
    if info.sha256 != recorded_sha256 {
        problems.push("the checklist's recorded sha256 does not match its source".to_owned());
    }
    problems.extend(info.problem.clone());
    integrity.problems.splice(
        0..0,
        problems
            .into_iter()
            .map(|message| LineProblem { line: 1, message }),
    );
    let eval = match info.checklist.clone() {
        Some(checklist) => {
            for event in &events {
                state.apply(&checklist, event);
            }
            Some(evaluate(&checklist, &state.answers))
        }
        None => {
            // Without its checklist a visit's answers mean nothing; what it says about
            // itself is still shown.
            for event in &events {
                apply_without_checklist(&mut state, event);
            }
            None
        }
    };
    integrity
        .problems
        .extend(state.problems.iter().map(|(seq, message)| LineProblem {
            line: line_of_seq(&events, *seq),
            message: message.clone(),
        }));
    integrity.problems.sort_by_key(|p| p.line);
    LoadedLog {
        integrity,
        checklist: info,
        state,
        eval,
        events,
    }
}

/// A loaded visit reduced to what the list and the stats need.
fn summarize(id: &str, path: &Path, log: LoadedLog) -> VisitSummary {
    let LoadedLog {
        integrity,
        checklist: info,
        state,
        eval,
        events,
    } = log;
    let events = events.as_slice();
    let mut summary = VisitSummary {
        id: id.to_owned(),
        path: path.to_owned(),
        technician: state.technician.clone(),
        host: state.host.clone(),
        started_at: state.started_at.clone(),
        answer_gaps_ms: answer_gaps(events),
        amendments: events.iter().filter(|e| e.kind.is_amendment()).count() as u32,
        events: events.len() as u32 + 1,
        sealed_by: crate::log::seal::covering_seal(events).map(str::to_owned),
        receipt: crate::log::receipt::latest_receipt(events),
        ..VisitSummary::default()
    };
    fill_from_state(&mut summary, &state);
    summary.duration_ms = visit_duration(events, &state);
    if let (Some(eval), Some(checklist)) = (eval, info.checklist.clone()) {
        summary.score = eval.score;
        summary.result = Some(eval.result);
        summary.passed = eval.passed as u32;
        summary.failed = eval.failed as u32;
        summary.na = eval.na as u32;
        summary.answered = eval.answered as u32;
        summary.missing = eval.missing_count() as u32;
        summary.marks = ItemMarks::new(
            eval.items
                .iter()
                .map(|s| ItemMark::from_status(s.visible, s.outcome)),
        );
        summary.targets = TargetMarks::new(
            checklist
                .targets
                .iter()
                .map(|t| target_met(&checklist, &eval, &state.answers, t)),
        );
    }
    summary.integrity = integrity;
    summary.checklist = info;
    summary
}

/// What `VisitState::apply` does for events that need no checklist.
fn apply_without_checklist(state: &mut VisitState, event: &Event) {
    state.last_ms = event.ms;
    state.last_hash.clone_from(&event.hash);
    match &event.kind {
        EventKind::Fields { fields } => {
            for (key, value) in fields {
                state.fields.insert(key.clone(), value.clone());
            }
        }
        EventKind::Finished { .. } => {
            state.status = Status::Finished {
                at: event.at.clone(),
            }
        }
        EventKind::Abandoned { reason } => {
            state.status = Status::Abandoned {
                at: event.at.clone(),
                reason: reason.clone(),
            }
        }
        _ => {}
    }
}

/// How long the visit took: up to its `finished` or `abandoned` event (an amendment made
/// later, after a follow-up, is not part of the visit), or to its last event while open.
fn visit_duration(events: &[Event], state: &VisitState) -> u64 {
    events
        .iter()
        .find(|e| e.kind.closes_visit())
        .map_or(state.last_ms, |e| e.ms)
}

fn fill_from_state(summary: &mut VisitSummary, state: &VisitState) {
    summary.fields = Fields::new(
        state
            .fields
            .keys()
            .filter_map(|key| state.field_text(key).map(|v| (key, v))),
    );
    summary.last_hash.clone_from(&state.last_hash);
    (summary.status, summary.finished_at, summary.abandon_reason) = match &state.status {
        Status::Open => (VisitStatus::Open, None, None),
        Status::Finished { at } => (VisitStatus::Finished, Some(at.clone()), None),
        Status::Abandoned { at, reason } => (
            VisitStatus::Abandoned,
            Some(at.clone()),
            Some(reason.clone()),
        ),
    };
}

fn integrity_of(log: &LogRead) -> Integrity {
    Integrity {
        torn: log.torn.as_ref().map(|t| TornInfo {
            line: t.line,
            bytes: t.bytes,
        }),
        problems: log
            .problems
            .iter()
            .map(|p| LineProblem {
                line: p.line,
                message: p.reason.to_string(),
            })
            .collect(),
    }
}

/// Milliseconds between consecutive `answered` events. Amendments are left out: they come
/// days later, answering a supervisor, and say nothing about the pace of the visit.
fn answer_gaps(events: &[Event]) -> Vec<u32> {
    let mut gaps = Vec::new();
    let mut prev = None;
    for event in events {
        if matches!(event.kind, EventKind::Answered { .. }) {
            if let Some(prev) = prev {
                gaps.push(u32::try_from(event.ms.saturating_sub(prev)).unwrap_or(u32::MAX));
            }
            prev = Some(event.ms);
        }
    }
    gaps
}

/// The line of the event with `seq`, counting `started` as line 1.
fn line_of_seq(events: &[Event], seq: u64) -> usize {
    events
        .iter()
        .position(|e| e.seq == seq)
        .map_or(0, |index| index + 2)
}
