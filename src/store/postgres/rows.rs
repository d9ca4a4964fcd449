//! Writing the fleet store's rows: a visit's row (from its summary), a log's lines chained
//! to one another, the ledger's chained lines — the bulk of them in COPY's text format.

use std::io::Write;

use postgres::Transaction;

use crate::log::chain;
use crate::store::index::summary::VisitSummary;
use crate::store::ledger::LedgerEntry;

use super::lines::{Lines, copy_text};

/// Advisory lock key of the ledger (its chain has one end: appends take turns).
const LEDGER_LOCK: i32 = 0x5343_0003;

const VISIT_COLUMNS: &str = "id, month, started_at, finished_at, technician, host, checklist, \
    checklist_version, checklist_sha, status, result, score, answered, passed, failed, na, \
    missing, amendments, duration_ms, answer_gaps, marks, target_marks, fields, integrity, \
    problem, lines, last_hash, tail, raw";

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A visit row, from the summary of the log as it will be read back.
pub struct VisitRow {
    text: Vec<Option<String>>,
    bytes: [Option<Vec<u8>>; 2],
    score: Option<f64>,
    ints: Vec<i32>,
    duration_ms: i64,
    gaps: Vec<i32>,
    fields: Vec<String>,
}

impl VisitRow {
    pub fn new(
        id: &str,
        month: &str,
        lines: usize,
        bytes: [Option<Vec<u8>>; 2],
        s: &VisitSummary,
    ) -> VisitRow {
        let problem = s
            .integrity
            .problems
            .first()
            .map(|p| format!("line {}: {}", p.line, p.message));
        VisitRow {
            text: vec![
                Some(id.to_owned()),
                Some(month.to_owned()),
                Some(s.started_at.clone()),
                s.finished_at.clone(),
                Some(s.technician.clone()),
                Some(s.host.clone()),
                Some(s.checklist.id.clone()),
                Some(s.checklist.version.clone()),
                Some(s.checklist.sha256.clone()),
                Some(s.status.name().to_owned()),
                s.result.map(|r| r.name().to_owned()),
                Some(s.marks.as_str().to_owned()),
                Some(
                    s.targets
                        .iter()
                        .map(|m| match m {
                            Some(true) => '1',
                            Some(false) => '0',
                            None => '-',
                        })
                        .collect(),
                ),
                Some(s.integrity.state().name().to_owned()),
                problem,
                Some(s.last_hash.clone()),
            ],
            bytes,
            score: s.score,
            ints: vec![
                int(s.answered),
                int(s.passed),
                int(s.failed),
                int(s.na),
                int(s.missing),
                int(s.amendments),
                i32::try_from(lines).unwrap_or(i32::MAX),
            ],
            duration_ms: i64::try_from(s.duration_ms).unwrap_or(i64::MAX),
            gaps: s
                .answer_gaps_ms
                .iter()
                .map(|&g| i32::try_from(g).unwrap_or(i32::MAX))
                .collect(),
            fields: s
                .fields
                .iter()
                .flat_map(|(k, v)| [k.to_owned(), v.to_owned()])
                .collect(),
        }
    }

    /// The values in `VISIT_COLUMNS` order.
    fn params(&self) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
        let t = |i: usize| -> &(dyn postgres::types::ToSql + Sync) {
            self.text.get(i).unwrap_or(&None)
        };
        let n =
            |i: usize| -> &(dyn postgres::types::ToSql + Sync) { self.ints.get(i).unwrap_or(&0) };
        vec![
            t(0),
            t(1),
            t(2),
            t(3),
            t(4),
            t(5),
            t(6),
            t(7),
            t(8),
            t(9),
            t(10),
            &self.score,
            n(0),
            n(1),
            n(2),
            n(3),
            n(4),
            n(5),
            &self.duration_ms,
            &self.gaps,
            t(11),
            t(12),
            &self.fields,
            t(13),
            t(14),
            n(6),
            t(15),
            &self.bytes[0],
            &self.bytes[1],
        ]
    }

    /// The row as a line of COPY's text format, in `VISIT_COLUMNS` order.
    fn copy_line(&self, out: &mut Vec<u8>) {
        let text = |out: &mut Vec<u8>, i: usize| match self.text.get(i).and_then(Option::as_deref) {
            Some(value) => copy_text(out, value),
            None => out.extend_from_slice(b"\\N"),
        };
        let tab = |out: &mut Vec<u8>| out.push(b'\t');
        let num = |out: &mut Vec<u8>, n: String| out.extend_from_slice(n.as_bytes());
        for i in 0..=10 {
            text(out, i);
            tab(out);
        }
        match self.score {
            Some(score) => num(out, format!("{score:?}")),
            None => out.extend_from_slice(b"\\N"),
        }
        tab(out);
        for i in 0..6 {
            num(out, self.ints.get(i).copied().unwrap_or(0).to_string());
            tab(out);
        }
        num(out, self.duration_ms.to_string());
        tab(out);
        let gaps: Vec<String> = self.gaps.iter().map(ToString::to_string).collect();
        num(out, format!("{{{}}}", gaps.join(",")));
        tab(out);
        text(out, 11);
        tab(out);
        text(out, 12);
        tab(out);
        copy_text(out, &array_literal(&self.fields));
        tab(out);
        text(out, 13);
        tab(out);
        text(out, 14);
        tab(out);
        num(out, self.ints.get(6).copied().unwrap_or(0).to_string());
        tab(out);
        text(out, 15);
        for bytes in &self.bytes {
            tab(out);
            match bytes {
                Some(bytes) => {
                    out.extend_from_slice(b"\\\\x");
                    for &b in bytes {
                        out.extend_from_slice(&crate::log::chain::hex_pair(b));
                    }
                }
                None => out.extend_from_slice(b"\\N"),
            }
        }
        out.push(b'\n');
    }
}

/// A text[] literal: every element quoted, `"` and `\` escaped.
fn array_literal(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|i| format!("\"{}\"", i.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{{{}}}", quoted.join(","))
}

/// The new visit rows of a batch, in one COPY.
pub fn copy_visits(tx: &mut Transaction<'_>, rows: &[VisitRow]) -> Result<(), postgres::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut text = Vec::new();
    for row in rows {
        row.copy_line(&mut text);
    }
    let mut writer = tx.copy_in(format!("COPY visits ({VISIT_COLUMNS}) FROM STDIN").as_str())?;
    let _ = writer.write_all(&text);
    writer.finish()?;
    Ok(())
}

pub fn update_visit(tx: &mut Transaction<'_>, row: &VisitRow) -> Result<(), postgres::Error> {
    let sets: Vec<String> = VISIT_COLUMNS
        .split(',')
        .map(str::trim)
        .enumerate()
        .skip(1)
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect();
    let sql = format!("UPDATE visits SET {} WHERE id = $1", sets.join(", "));
    tx.execute(sql.as_str(), &row.params())?;
    Ok(())
}

/// The torn bytes after a log's whole lines, as the latest copy had them.
pub fn set_tail(
    tx: &mut Transaction<'_>,
    id: &str,
    tail: Option<&[u8]>,
) -> Result<(), postgres::Error> {
    tx.execute(
        "UPDATE visits SET tail = $2 WHERE id = $1 AND tail IS DISTINCT FROM $2",
        &[&id, &tail],
    )?;
    Ok(())
}

/// Copies the lines `from` on of each log into `table` (events or reviews), chained.
pub fn copy_events(
    tx: &mut Transaction<'_>,
    table: &str,
    logs: &[(String, usize, Lines)],
) -> Result<(), postgres::Error> {
    if logs.iter().all(|(_, from, lines)| lines.len() <= *from) {
        return Ok(());
    }
    let mut text = Vec::new();
    for (visit, from, lines) in logs {
        for seq in *from..lines.len() {
            let (line, hash) = lines.get(seq);
            let prev = seq.checked_sub(1).map(|p| (p, lines.get(p).1));
            copy_text(&mut text, visit);
            text.push(b'\t');
            text.extend_from_slice(seq.to_string().as_bytes());
            text.push(b'\t');
            match prev {
                Some((p, prev_hash)) => {
                    text.extend_from_slice(p.to_string().as_bytes());
                    text.push(b'\t');
                    copy_text(&mut text, prev_hash);
                }
                None => text.extend_from_slice(b"\\N\t\\N"),
            }
            text.push(b'\t');
            copy_text(&mut text, hash);
            text.push(b'\t');
            copy_text(&mut text, line);
            text.push(b'\n');
        }
    }
    let mut writer = tx.copy_in(
        format!("COPY {table} (visit, seq, prev_seq, prev_hash, hash, line) FROM STDIN").as_str(),
    )?;
    // A write error here is the connection's: `finish` reports it as the server saw it.
    let _ = writer.write_all(&text);
    writer.finish()?;
    Ok(())
}

/// Appends ledger lines, chained after the last one, under the ledger's own lock.
pub fn append_ledger(
    tx: &mut Transaction<'_>,
    entries: &[LedgerEntry],
) -> Result<(), postgres::Error> {
    if entries.is_empty() {
        return Ok(());
    }
    tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&LEDGER_LOCK])?;
    let last = tx.query_opt(
        "SELECT seq, hash FROM imports ORDER BY seq DESC LIMIT 1",
        &[],
    )?;
    let (mut seq, mut prev): (i64, Option<String>) = match last {
        Some(row) => (row.get::<_, i64>(0) + 1, Some(row.get(1))),
        None => (0, None),
    };
    let mut text = Vec::new();
    for entry in entries {
        let mut members = serde_json::Map::new();
        members.insert("seq".into(), seq.into());
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(entry) {
            members.extend(fields);
        }
        let body = serde_json::to_string(&members).unwrap_or_default();
        let Ok(sealed) = chain::seal(prev.as_deref().unwrap_or(""), &body) else {
            continue;
        };
        text.extend_from_slice(seq.to_string().as_bytes());
        text.push(b'\t');
        match &prev {
            Some(hash) => {
                text.extend_from_slice((seq - 1).to_string().as_bytes());
                text.push(b'\t');
                copy_text(&mut text, hash);
            }
            None => text.extend_from_slice(b"\\N\t\\N"),
        }
        text.push(b'\t');
        copy_text(&mut text, &sealed.hash);
        text.push(b'\t');
        copy_text(&mut text, &entry.visit);
        text.push(b'\t');
        text.extend_from_slice(entry.lines.to_string().as_bytes());
        text.push(b'\t');
        copy_text(&mut text, &entry.last_hash);
        text.push(b'\t');
        copy_text(&mut text, &sealed.line);
        text.push(b'\n');
        prev = Some(sealed.hash);
        seq += 1;
    }
    let mut writer = tx.copy_in(
        "COPY imports (seq, prev_seq, prev_hash, hash, visit, lines, last_hash, line) FROM STDIN",
    )?;
    let _ = writer.write_all(&text);
    writer.finish()?;
    Ok(())
}
