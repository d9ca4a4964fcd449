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

/// Writes the visits that pass the filter. `width` is the terminal's, when the table goes
/// to one: the least needed columns are left out until the rows fit.
pub fn list(
    visits: &[VisitSummary],
    filter: &Filter,
    format: ListFormat,
    lang: &str,
    width: Option<usize>,
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
        ListFormat::Table => table(chosen, width, out),
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
    Column::left("result", 9),
    Column::right("failed", 6),
    Column::left("rushed", 6),
    Column::left("integrity", 9),
    Column::left("verdict", 20),
];

/// Which columns go first when the terminal is narrow (indexes into `COLUMNS`).
const DROP_ORDER: [usize; 7] = [5, 4, 8, 7, 3, 2, 1];

/// A visit id cut to this many characters still finds it (`show` takes a unique
/// beginning): the start time's ten and three random ones.
const SHORT_ID: usize = 13;

/// The columns kept for a terminal `width` wide (all of them when it is not known); the
/// first one shows short ids when anything had to go.
fn kept_columns(width: Option<usize>) -> Vec<Column> {
    let mut kept: Vec<usize> = (0..COLUMNS.len()).collect();
    let columns = |kept: &[usize], short: bool| -> Vec<Column> {
        kept.iter()
            .filter_map(|&i| COLUMNS.get(i).copied())
            .map(|c| match (is_id_column(&c), short) {
                (true, true) => Column::left("visit", SHORT_ID),
                _ => c,
            })
            .collect()
    };
    let used = |columns: &[Column]| columns.iter().map(|c| c.max + 2).sum::<usize>();
    let Some(width) = width.filter(|w| used(&columns(&kept, false)) > w + 2) else {
        return columns(&kept, false);
    };
    for drop in DROP_ORDER {
        if used(&columns(&kept, true)) <= width + 2 {
            break;
        }
        kept.retain(|&i| i != drop);
    }
    columns(&kept, true)
}

fn is_id_column(column: &Column) -> bool {
    column.heading == "visit"
}

fn table<'a>(
    visits: impl Iterator<Item = &'a VisitSummary>,
    width: Option<usize>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let columns = kept_columns(width);
    // Cells are picked by heading, so the row builder needs no knowledge of what was left out.
    let pick = |cells: [String; 12]| -> Vec<String> {
        columns
            .iter()
            .filter_map(|c| {
                let i = COLUMNS.iter().position(|all| all.heading == c.heading)?;
                let cell = cells.get(i)?;
                Some(match c.max {
                    SHORT_ID if is_id_column(c) => cell.get(..SHORT_ID).unwrap_or(cell).to_owned(),
                    _ => cell.clone(),
                })
            })
            .collect()
    };
    write_fixed_row(out, &columns, &pick(COLUMNS.map(|c| c.heading.to_owned())))?;
    let mut count = 0usize;
    for visit in visits {
        write_fixed_row(out, &columns, &pick(row(visit)))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_terminals_keep_the_columns_that_matter() {
        assert_eq!(kept_columns(None).len(), 12);
        assert_eq!(kept_columns(Some(400)).len(), 12);
        let at_80 = kept_columns(Some(80));
        let width: usize = at_80.iter().map(|c| c.max + 2).sum::<usize>() - 2;
        assert!(width <= 80, "{width}");
        let headings: Vec<&str> = at_80.iter().map(|c| c.heading).collect();
        // The id (to `show` it), when, the score, the rushed flag, integrity and verdict stay.
        for needed in [
            "visit",
            "started",
            "score",
            "rushed",
            "integrity",
            "verdict",
        ] {
            assert!(headings.contains(&needed), "{headings:?}");
        }
        assert_eq!(at_80[0].max, SHORT_ID);
    }
}
