//! `sitecheck list [filters] [--format table|json]`: the visits of the store, one a line
//! (or a JSON array), with everything the review list shows.

use std::io::Write;

use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use crate::review::{Filter, VisitSummary};
use crate::tui::text::{sanitize, truncate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

/// Writes the visits that pass the filter.
pub fn list(
    visits: &[VisitSummary],
    filter: &Filter,
    format: ListFormat,
    lang: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let chosen = filter.apply(visits);
    match format {
        ListFormat::Json => {
            writeln!(out, "[")?;
            for (i, visit) in chosen.enumerate() {
                let sep = if i == 0 { "" } else { ",\n" };
                write!(out, "{sep}{}", to_json(visit, lang))?;
            }
            writeln!(out, "\n]")
        }
        ListFormat::Table => table(chosen, lang, out),
    }
}

const HEADERS: [&str; 12] = [
    "visit",
    "started",
    "technician",
    "checklist",
    "work order",
    "duration",
    "score",
    "result",
    "failed",
    "rushed",
    "integrity",
    "verdict",
];
/// Widest a column may grow, so one long value cannot push the rest off the screen.
const MAX_WIDTH: [usize; 12] = [26, 16, 16, 20, 16, 9, 6, 9, 6, 6, 9, 20];

fn table<'a>(
    visits: impl Iterator<Item = &'a VisitSummary>,
    lang: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let rows: Vec<[String; 12]> = visits.map(|v| row(v, lang)).collect();
    let mut widths = HEADERS.map(UnicodeWidthStr::width);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    for (width, max) in widths.iter_mut().zip(MAX_WIDTH) {
        *width = (*width).min(max);
    }
    write_row(out, &HEADERS.map(str::to_owned), &widths)?;
    for row in &rows {
        write_row(out, row, &widths)?;
    }
    writeln!(
        out,
        "{} visit{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

fn write_row(
    out: &mut dyn Write,
    cells: &[String; 12],
    widths: &[usize; 12],
) -> std::io::Result<()> {
    let mut line = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        let cell = truncate(cell, *width);
        line.push_str(&cell);
        if i + 1 < cells.len() {
            line.push_str(&" ".repeat(width.saturating_sub(cell.width()) + 2));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// One table row; every text from a record goes through `sanitize`.
fn row(v: &VisitSummary, lang: &str) -> [String; 12] {
    let started = v
        .started_at
        .get(..16)
        .unwrap_or(&v.started_at)
        .replace('T', " ");
    let result = match (v.status, v.result) {
        (crate::review::VisitStatus::Finished, Some(r)) => r.name().to_owned(),
        (status, _) => status.name().to_owned(),
    };
    [
        v.id.clone(),
        sanitize(&started),
        sanitize(&v.technician),
        sanitize(&checklist_name(v, lang)),
        sanitize(v.work_order().unwrap_or("")),
        duration(v.duration_ms),
        v.score
            .map_or_else(String::new, |s| format!("{:.0}%", s * 100.0)),
        result,
        if v.failed > 0 {
            v.failed.to_string()
        } else {
            String::new()
        },
        if v.rushed {
            "RUSHED".into()
        } else {
            String::new()
        },
        v.integrity.state().name().to_owned(),
        verdict_text(v),
    ]
}

fn checklist_name(v: &VisitSummary, _lang: &str) -> String {
    if v.checklist.id.is_empty() {
        "?".into()
    } else {
        v.checklist.id.clone()
    }
}

/// The verdict as the list shows it: `approved`, `follow_up (outdated)` ...
pub fn verdict_text(v: &VisitSummary) -> String {
    match v.verdict() {
        None => String::new(),
        Some(verdict) if v.reviews.outdated => format!("{} (outdated)", verdict.name()),
        Some(verdict) => verdict.name().to_owned(),
    }
}

/// `1h05m`, `12m30s`, `45s`.
pub fn duration(ms: u64) -> String {
    let s = ms / 1000;
    match (s / 3600, (s / 60) % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

/// One visit as the JSON formats write it.
pub fn to_json(v: &VisitSummary, lang: &str) -> Value {
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
