//! One visit log's bytes turned into a `VisitSummary`: verified, replayed and evaluated, then
//! reduced to the few figures the list and the stats need. Never fails: whatever is wrong
//! with the log ends up in the summary's `integrity`.

use std::path::Path;

use crate::log::reader::analyze_log;
use crate::log::{Event, EventKind, LogRead};
use crate::visit::{VisitState, evaluate, replay, target_met};

use super::checklists::ChecklistSet;
use super::summary::{
    Integrity, ItemMark, ItemMarks, LineProblem, TargetMarks, TornInfo, VisitStatus, VisitSummary,
};

/// Summarises the log of visit `id` (the file name's id) from its bytes.
pub fn summarize_bytes(
    bytes: &[u8],
    id: &str,
    path: &Path,
    checklists: &ChecklistSet,
) -> VisitSummary {
    let log = analyze_log(bytes);
    let mut summary = VisitSummary {
        id: id.to_owned(),
        path: path.to_owned(),
        status: VisitStatus::Unreadable,
        integrity: integrity_of(&log),
        events: log.events.len() as u32,
        last_hash: log
            .events
            .last()
            .map(|e| e.hash.clone())
            .unwrap_or_default(),
        ..VisitSummary::default()
    };
    let Some(Event {
        kind: EventKind::Started { visit, info },
        ..
    }) = log.events.first()
    else {
        if summary.integrity.problems.is_empty() {
            summary.integrity.problems.push(LineProblem {
                line: 1,
                message: "not a visit log: its first line is not a started event".into(),
            });
        }
        return summary;
    };
    let recorded = &info.checklist;
    let checklist_info = checklists.get_or_parse(
        &recorded.sha256,
        &recorded.id,
        &recorded.version,
        &recorded.source,
    );
    let mut problems = Vec::new();
    if visit != id {
        problems.push(format!(
            "the started event names visit {visit}, but the file is named for {id}"
        ));
    }
    if checklist_info.sha256 != recorded.sha256 {
        problems.push("the checklist's recorded sha256 does not match its source".to_owned());
    }
    problems.extend(checklist_info.problem.clone());
    summary.integrity.problems.splice(
        0..0,
        problems
            .into_iter()
            .map(|message| LineProblem { line: 1, message }),
    );
    summary.checklist_sha256 = checklist_info.sha256.clone();
    summary.technician = info.technician.clone();
    summary.host = info.host.clone();
    summary.started_at = log.events.first().map(|e| e.at.clone()).unwrap_or_default();
    summary.answer_gaps_ms = answer_gaps(&log.events);
    summary.amendments = log
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Amended { .. }))
        .count() as u32;
    summary.duration_ms = log.events.last().map_or(0, |e| e.ms);
    let Some(checklist) = &checklist_info.checklist else {
        summary.status = status_of(&log.events);
        summary.checklist = checklist_info;
        return summary;
    };
    let Some(state) = replay(checklist, &log.events) else {
        return summary;
    };
    let eval = evaluate(checklist, &state.answers);
    apply_state(&mut summary, &state);
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
            .map(|t| target_met(checklist, &eval, &state.answers, t)),
    );
    summary
        .integrity
        .problems
        .extend(state.problems.iter().map(|(seq, message)| LineProblem {
            line: line_of_seq(&log.events, *seq),
            message: message.clone(),
        }));
    summary.integrity.problems.sort_by_key(|p| p.line);
    summary.checklist = checklist_info;
    summary
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

fn apply_state(summary: &mut VisitSummary, state: &VisitState) {
    summary.fields = state
        .fields
        .keys()
        .filter_map(|key| state.field_text(key).map(|v| (key.clone(), v)))
        .collect();
    (summary.status, summary.finished_at, summary.abandon_reason) = match &state.status {
        crate::visit::Status::Open => (VisitStatus::Open, None, None),
        crate::visit::Status::Finished { at } => (VisitStatus::Finished, Some(at.clone()), None),
        crate::visit::Status::Abandoned { at, reason } => (
            VisitStatus::Abandoned,
            Some(at.clone()),
            Some(reason.clone()),
        ),
    };
}

/// Status from the events alone, for a visit whose checklist does not load.
fn status_of(events: &[Event]) -> VisitStatus {
    events
        .iter()
        .find_map(|e| match e.kind {
            EventKind::Finished { .. } => Some(VisitStatus::Finished),
            EventKind::Abandoned { .. } => Some(VisitStatus::Abandoned),
            _ => None,
        })
        .unwrap_or(VisitStatus::Open)
}

/// Milliseconds between consecutive `answered` events. Amendments are left out: they come
/// days later, answering a supervisor, and say nothing about the pace of the visit.
fn answer_gaps(events: &[Event]) -> Vec<u32> {
    let times = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Answered { .. }))
        .map(|e| e.ms);
    let mut gaps = Vec::new();
    let mut prev = None;
    for ms in times {
        if let Some(prev) = prev {
            gaps.push(u32::try_from(ms.saturating_sub(prev)).unwrap_or(u32::MAX));
        }
        prev = Some(ms);
    }
    gaps
}

fn line_of_seq(events: &[Event], seq: u64) -> usize {
    events
        .iter()
        .position(|e| e.seq == seq)
        .map_or(0, |index| index + 1)
}
