//! CSV export (SPEC section 5), with exactly the contract's columns:
//!
//! - `--rows answers`: `visit,started_at,technician,checklist,checklist_version,work_order,
//!   section,item,kind,value,outcome,note,answered_at,seconds_since_previous,amend_reason,
//!   evidence,integrity` (`amend_reason`: why an amendment after the visit changed the
//!   answer; `evidence`: the sha256 of each file attached, space-separated);
//! - `--rows visits`: `visit,started_at,finished_at,technician,checklist,checklist_version,
//!   status,result,score,answered,passed,failed,na,rushed,verdict`, then one column per
//!   header field, then `integrity`.
//!
//! `integrity` is the one verdict on the visit's log (SPEC "One integrity verdict"): `ok`,
//! `torn`, or `damaged: line N: why` with its first problem. A visit whose log is not clean
//! always has a row, even with no answer to export, so that it is never silently left out.
//!
//! Cells that a spreadsheet would run as a formula (beginning with `=`, `+`, `-`, `@`, tab
//! or CR) are neutralised with a leading `'`; numbers we format ourselves are left alone.

use std::borrow::Cow;
use std::io::Write;

use crate::review::answers::{rows, value_text};
use crate::store::index::checklists::ChecklistSet;
use crate::store::index::summary::{Integrity, IntegrityState, VisitSummary};

use super::logs::{Replayed, render_in_order};

/// What `--bom` puts first: Excel on Windows then reads the file as UTF-8, not as the
/// local code page (Chinese would be garbled).
pub const BOM: &str = "\u{feff}";

pub const ANSWER_COLUMNS: [&str; 17] = [
    "visit",
    "started_at",
    "technician",
    "checklist",
    "checklist_version",
    "work_order",
    "section",
    "item",
    "kind",
    "value",
    "outcome",
    "note",
    "answered_at",
    "seconds_since_previous",
    "amend_reason",
    "evidence",
    INTEGRITY_COLUMN,
];

/// The last column of both row kinds.
pub const INTEGRITY_COLUMN: &str = "integrity";

pub const VISIT_COLUMNS: [&str; 16] = [
    "visit",
    "started_at",
    "finished_at",
    "technician",
    "checklist",
    "checklist_version",
    "status",
    "result",
    "score",
    "answered",
    "passed",
    "failed",
    "na",
    "rushed",
    "verdict",
    // The code the customer holds (the latest finished or amended line): `verify --receipt`.
    "receipt",
];

/// A visit's `integrity` cell: `ok`, `torn` (a warning: its last line was cut short), or
/// `damaged: line N: why` with the first problem found.
pub fn integrity_cell(integrity: &Integrity) -> Cow<'static, str> {
    match (integrity.state(), integrity.problems.first()) {
        (IntegrityState::Damaged, Some(problem)) => Cow::Owned(format!(
            "{}: line {}: {}",
            IntegrityState::Damaged.name(),
            problem.line,
            problem.message
        )),
        (state, _) => Cow::Borrowed(state.name()),
    }
}

/// A cell made safe from formula injection: `=1+1` becomes `'=1+1`. A plain number
/// (`-3.5`) is a number, not a formula, and is left as it is.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let risky = matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Writes one record, every cell neutralised.
fn record<W: Write>(writer: &mut csv::Writer<W>, cells: &[&str]) -> csv::Result<()> {
    // Field by field: a cell is copied only when it must be changed (an export writes
    // millions of them).
    for cell in cells {
        writer.write_field(neutralise(cell).as_bytes())?;
    }
    writer.write_record(None::<&[u8]>)
}

fn csv_error(err: csv::Error) -> std::io::Error {
    std::io::Error::other(err.to_string())
}

/// `--rows answers`: one row per current answer of every visit.
pub fn write_answers(
    source: &dyn crate::store::seam::VisitStore,
    visits: &[&VisitSummary],
    checklists: &ChecklistSet,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut head = csv::Writer::from_writer(Vec::new());
    record(&mut head, &ANSWER_COLUMNS).map_err(csv_error)?;
    out.write_all(
        &head
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?,
    )?;
    render_in_order(source, visits, checklists, out, |visit, replayed| {
        answer_rows(visit, replayed).unwrap_or_default()
    })
}

fn answer_rows(visit: &VisitSummary, replayed: Option<&Replayed>) -> Option<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let integrity = match replayed {
        // The log was summarised but cannot be replayed now (gone, unreadable since).
        None if visit.integrity.is_clean() => Cow::Borrowed("damaged: line 0: cannot read the log"),
        _ => integrity_cell(&visit.integrity),
    };
    let work_order = visit.work_order().unwrap_or("");
    let answers = replayed.map(|r| rows(&r.checklist, &r.state, &r.eval, &r.events));
    let answered = answers.as_ref().is_some_and(|answers| !answers.is_empty());
    if !answered && (replayed.is_none() || !visit.integrity.is_clean()) {
        // No answer to carry the verdict: a row of its own, the answer's cells empty.
        let mut cells = [""; ANSWER_COLUMNS.len()];
        let visit_cells = [
            visit.id.as_str(),
            &visit.started_at,
            &visit.technician,
            &visit.checklist.id,
            &visit.checklist.version,
            work_order,
        ];
        cells[..visit_cells.len()].copy_from_slice(&visit_cells);
        cells[ANSWER_COLUMNS.len() - 1] = &integrity;
        record(&mut writer, &cells).ok()?;
        return writer.into_inner().ok();
    }
    let r = replayed?;
    for row in answers.unwrap_or_default() {
        let section = r
            .checklist
            .sections
            .get(row.section)
            .map_or("", |s| s.id.as_str());
        let value = value_text(row.value);
        let seconds = row
            .seconds_since_previous
            .map(|s| format!("{s}"))
            .unwrap_or_default();
        // The sha256 of each attached file, space-separated: the files are named by them.
        let evidence: Vec<&str> = row.evidence.iter().map(|a| a.sha256.as_str()).collect();
        let evidence = evidence.join(" ");
        let cells = [
            visit.id.as_str(),
            &visit.started_at,
            &visit.technician,
            &visit.checklist.id,
            &visit.checklist.version,
            work_order,
            section,
            &row.item.id,
            row.item.kind.name(),
            &value,
            row.outcome.name(),
            row.note.unwrap_or(""),
            row.answered_at.unwrap_or(""),
            &seconds,
            row.amend_reason.unwrap_or(""),
            &evidence,
            &integrity,
        ];
        record(&mut writer, &cells).ok()?;
    }
    writer.into_inner().ok()
}

/// `--rows visits`: one row per visit, then one column per header field met in any of
/// them (in the order first met), then `integrity`.
pub fn write_visits(visits: &[&VisitSummary], out: &mut dyn Write) -> std::io::Result<()> {
    let mut field_names: Vec<&str> = Vec::new();
    for visit in visits {
        for (key, _) in visit.fields.iter() {
            if !field_names.contains(&key) {
                field_names.push(key);
            }
        }
    }
    let mut writer = csv::Writer::from_writer(out);
    let header: Vec<&str> = VISIT_COLUMNS
        .iter()
        .copied()
        .chain(field_names.iter().copied())
        .chain([INTEGRITY_COLUMN])
        .collect();
    record(&mut writer, &header).map_err(csv_error)?;
    for visit in visits {
        let finished = visit.status == crate::store::index::summary::VisitStatus::Finished;
        let numbers = [
            visit.score.map(|s| format!("{s:.4}")).unwrap_or_default(),
            visit.answered.to_string(),
            visit.passed.to_string(),
            visit.failed.to_string(),
            visit.na.to_string(),
        ];
        let mut cells: Vec<&str> = vec![
            &visit.id,
            &visit.started_at,
            visit.finished_at.as_deref().unwrap_or(""),
            &visit.technician,
            &visit.checklist.id,
            &visit.checklist.version,
            visit.status.name(),
            visit.result.filter(|_| finished).map_or("", |r| r.name()),
        ];
        cells.extend(numbers.iter().map(String::as_str));
        cells.push(if visit.rushed { "true" } else { "false" });
        cells.push(visit.verdict().map_or("", |v| v.name()));
        cells.push(visit.receipt.as_deref().unwrap_or(""));
        cells.extend(field_names.iter().map(|key| visit.field(key).unwrap_or("")));
        let integrity = integrity_cell(&visit.integrity);
        cells.push(&integrity);
        record(&mut writer, &cells).map_err(csv_error)?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for risky in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-1+2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-",
        ] {
            assert_eq!(neutralise(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in ["", "pass", "a=b", "-3.5", "-12", "12", "李四", "'quoted"] {
            assert_eq!(neutralise(safe), safe, "{safe:?}");
        }
        for not_number in ["-1.", "-.5", "-1e5", "--1"] {
            assert_eq!(neutralise(not_number), format!("'{not_number}"));
        }
    }

    #[test]
    fn the_integrity_cell_names_the_first_problem() {
        use crate::store::index::summary::{LineProblem, TornInfo};
        let problem = |line: usize, message: &str| LineProblem {
            line,
            message: message.into(),
        };
        assert_eq!(integrity_cell(&Integrity::default()), "ok");
        let torn = Integrity {
            torn: Some(TornInfo { line: 6, bytes: 22 }),
            problems: vec![],
        };
        assert_eq!(integrity_cell(&torn), "torn");
        let damaged = Integrity {
            torn: Some(TornInfo { line: 9, bytes: 3 }),
            problems: vec![problem(3, "altered"), problem(5, "missing")],
        };
        assert_eq!(integrity_cell(&damaged), "damaged: line 3: altered");
        // Never a formula, whatever the reason says.
        let hostile = Integrity {
            torn: None,
            problems: vec![problem(1, "=cmd|' /C calc'!A0")],
        };
        let mut writer = csv::Writer::from_writer(Vec::new());
        record(&mut writer, &[&integrity_cell(&hostile)]).unwrap();
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(text, "damaged: line 1: =cmd|' /C calc'!A0\n");
    }

    #[test]
    fn a_record_quotes_and_neutralises() {
        let mut writer = csv::Writer::from_writer(Vec::new());
        record(&mut writer, &["=cmd|' /C calc'!A0", "a,b", "line\nbreak"]).unwrap();
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(text, "'=cmd|' /C calc'!A0,\"a,b\",\"line\nbreak\"\n");
    }
}
