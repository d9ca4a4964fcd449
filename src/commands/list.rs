//! `sitecheck list [filters] [--format table|json]`: the visits of the store, one a line
//! (or a JSON array), with everything the review list shows.

use std::io::Write;

use crate::export::json::visit_json;
use crate::review::{Filter, VisitStatus, VisitSummary};

use super::table::{Column, write_fixed_row};

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
                write!(out, "{sep}{}", visit_json(visit, lang))?;
            }
            writeln!(out, "\n]")
        }
        ListFormat::Table => table(chosen, out),
    }
}

/// The list's columns, at fixed widths so 100,000 rows stream out without being gathered.
const COLUMNS: [Column; 12] = [
    Column::left("visit", 26),
    Column::left("started", 16),
    Column::left("technician", 14),
    Column::left("checklist", 18),
    Column::left("work order", 12),
    Column::right("duration", 8),
    Column::right("score", 5),
    Column::left("result", 10),
    Column::right("failed", 6),
    Column::left("rushed", 6),
    Column::left("integrity", 9),
    Column::left("verdict", 20),
];

fn table<'a>(
    visits: impl Iterator<Item = &'a VisitSummary>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    write_fixed_row(out, &COLUMNS, &COLUMNS.map(|c| c.heading.to_owned()))?;
    let mut count = 0usize;
    for visit in visits {
        write_fixed_row(out, &COLUMNS, &row(visit))?;
        count += 1;
    }
    writeln!(out, "{count} visit{}", if count == 1 { "" } else { "s" })
}

/// One table row (sanitized when written).
fn row(v: &VisitSummary) -> [String; 12] {
    let started = v
        .started_at
        .get(..16)
        .unwrap_or(&v.started_at)
        .replace('T', " ");
    let result = match (v.status, v.result) {
        (VisitStatus::Finished, Some(r)) => r.name().to_owned(),
        (status, _) => status.name().to_owned(),
    };
    [
        v.id.clone(),
        started,
        v.technician.clone(),
        if v.checklist.id.is_empty() {
            "?".into()
        } else {
            v.checklist.id.clone()
        },
        v.work_order().unwrap_or("").to_owned(),
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
