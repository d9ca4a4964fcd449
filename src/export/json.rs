//! A visit as JSON: the summary's figures (for `list --format json`) and, for
//! `export --format jsonl`, its current answers.

use serde_json::{Value, json};

use crate::review::answers::{rows, value_text};
use crate::store::index::summary::VisitSummary;

use super::logs::Replayed;

/// One visit as the JSON formats write it.
pub fn visit_json(v: &VisitSummary, lang: &str) -> Value {
    let fields: serde_json::Map<String, Value> = v
        .fields
        .iter()
        .map(|(k, val)| (k.to_owned(), Value::from(val)))
        .collect();
    let latest = v.reviews.latest();
    json!({
        "visit": v.id,
        "path": v.path,
        "data_dir": &*v.data_dir,
        "checklist": {
            "id": v.checklist.id,
            "version": v.checklist.version,
            "sha256": v.checklist.sha256,
            "title": v.checklist.title.get(lang, v.checklist.checklist.as_ref().and_then(|c| c.default_language())),
        },
        "technician": v.technician,
        "host": v.host,
        "started_at": v.started_at,
        "finished_at": v.finished_at,
        "status": v.status.name(),
        "abandon_reason": v.abandon_reason,
        "fields": fields,
        "work_order": v.work_order(),
        "score": v.score,
        "result": v.result.map(|r| r.name()),
        "passed": v.passed,
        "failed": v.failed,
        "na": v.na,
        "answered": v.answered,
        "missing": v.missing,
        "duration_ms": v.duration_ms,
        "seconds_between_answers": v.answer_gaps_seconds().collect::<Vec<f64>>(),
        "rushed": v.rushed,
        "integrity": {
            "state": v.integrity.state().name(),
            "torn": v.integrity.torn.map(|t| json!({"line": t.line, "bytes": t.bytes})),
            "problems": v.integrity.problems.iter().map(|p| json!({"line": p.line, "message": p.message})).collect::<Vec<_>>(),
        },
        "amended": v.was_amended(),
        "amendments": v.amendments,
        "last_hash": v.last_hash,
        "receipt": v.receipt,
        "sealed_by": v.sealed_by,
        "verdict": v.verdict_text(),
        "review": latest.map(|r| json!({
            "verdict": r.verdict.name(),
            "reviewer": r.reviewer,
            "comment": r.comment,
            "at": r.at,
            "item": r.item,
            "outdated": v.reviews.outdated,
        })),
        "reviews": v.reviews.all.len(),
    })
}

/// The visit with its current answers, one object per visible answered item.
pub fn visit_with_answers(v: &VisitSummary, replayed: Option<&Replayed>, lang: &str) -> Value {
    let mut object = visit_json(v, lang);
    let answers: Option<Vec<Value>> = replayed.map(|r| {
        let default = r.checklist.default_language();
        rows(&r.checklist, &r.state, &r.eval, &r.events)
            .into_iter()
            .map(|row| {
                let section = r.checklist.sections.get(row.section);
                json!({
                    "section": section.map(|s| s.id.as_str()),
                    "section_title": section.map(|s| s.title.get(lang, default)),
                    "item": row.item.id,
                    "prompt": row.item.prompt.get(lang, default),
                    "kind": row.item.kind.name(),
                    "value": row.value.to_json(),
                    "value_text": value_text(row.value),
                    "outcome": row.outcome.name(),
                    "note": row.note,
                    "answered_at": row.answered_at,
                    "seconds_since_previous": row.seconds_since_previous,
                    "evidence": row.evidence.iter().map(crate::visit::Attachment::to_json).collect::<Vec<_>>(),
                })
            })
            .collect()
    });
    let amendments: Option<Vec<Value>> = replayed.map(|r| {
        r.state
            .amendments
            .iter()
            .map(|a| json!({"item": a.item, "value": a.value, "note": a.note, "reason": a.reason, "technician": a.technician, "host": a.host, "at": a.at}))
            .collect()
    });
    if let Value::Object(map) = &mut object {
        map.insert("answers".into(), json!(answers));
        map.insert("amendment_history".into(), json!(amendments));
    }
    object
}
