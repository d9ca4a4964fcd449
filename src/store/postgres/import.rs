//! `sitecheck --store postgres://... import DIR...`: the rules of the file import (SPEC
//! section 5, `crate::store::import`) into the database.
//!
//! - Logs are taken in batches, one transaction each: a killed import leaves no partial
//!   visit, and a retry takes the batches not yet committed.
//! - Each visit of a batch is locked (a transaction advisory lock on its id, taken in one
//!   order by every import) before it is compared with what is held: many imports at once
//!   neither lose nor duplicate anything.
//! - The same log again changes nothing (not even the ledger); a longer one that continues
//!   the one held adds its new lines; anything else is a conflict, recorded once in
//!   `conflicts` and reported, never taken.
//! - A log whose chain does not hold is held as it is (its raw bytes) with its verdict, so
//!   every reader says of it what it says of the file; a torn last line is kept beside the
//!   whole lines for the same reason.
//! - The ledger (`imports`) is chained in the file ledger's format.

use std::path::{Path, PathBuf};

use postgres::{Client, Transaction};
use rayon::prelude::*;

use crate::log::reader::analyze_log;
use crate::store::import::{
    Entry, EvidenceTally, ImportError, ImportReport, IncomingReview, LogKind, Outcome, Plan,
    candidates, entry, id_of, month_of, plan, read_incoming_review, read_outside,
};
use crate::store::index::checklists::ChecklistSet;
use crate::store::index::summarize::summarize_bytes;
use crate::store::index::summary::VisitSummary;
use crate::store::layout::{reviews_dir, visits_dir};
use crate::store::ledger::LedgerEntry;

use super::connect::db_error;
use super::lines::{Lines, sha256_hex, split_lines};
use super::rows::{VisitRow, append_ledger, copy_events, copy_visits, set_tail, update_visit};

/// Logs per transaction: large enough for COPY to pay, small enough that a retry after a
/// dropped connection redoes little.
const BATCH: usize = 500;

/// Advisory lock namespaces (the first key of the two-key form).
const VISIT_LOCK: i32 = 0x5343_0001;
pub(super) const REVIEW_LOCK: i32 = 0x5343_0002;

/// Imports every source into the database, handing each source's report on.
/// Visit logs go to every connection of `clients` in turn, a batch each, so that the server
/// writes with more than one process; review logs go through the first.
pub fn import_sources(
    clients: &mut [&mut Client],
    shown: &str,
    sources: &[PathBuf],
    report: &mut dyn FnMut(&Path, &ImportReport) -> std::io::Result<()>,
) -> Result<(), crate::store::seam::ImportFailure> {
    use crate::store::seam::ImportFailure;
    for source in sources {
        let done = import_source(clients, shown, source).map_err(ImportFailure::Import)?;
        report(source, &done).map_err(ImportFailure::Output)?;
    }
    Ok(())
}

fn import_source(
    clients: &mut [&mut Client],
    shown: &str,
    source: &Path,
) -> Result<ImportReport, ImportError> {
    let source_visits = visits_dir(source);
    let source_reviews = reviews_dir(source);
    if !source_visits.is_dir() && !source_reviews.is_dir() {
        return Err(ImportError::NotAStore(source.to_owned()));
    }
    let fail = |e: postgres::Error| {
        ImportError::Store(
            db_error(shown, "import stopped; run it again to finish", &e).to_string(),
        )
    };
    let mut report = ImportReport::default();
    let checklists = ChecklistSet::new();
    let files = candidates(&source_visits, true)?;
    import_visit_batches(clients, shown, source, &files, &checklists, &mut report)?;
    let Some(client) = clients.first_mut() else {
        return Ok(report);
    };
    for batch in candidates(&source_reviews, false)?.chunks(BATCH) {
        let incoming: Vec<(&PathBuf, Result<IncomingReview, String>)> = batch
            .par_iter()
            .map(|file| (file, read_incoming_review(file)))
            .collect();
        let mut tx = client.transaction().map_err(fail)?;
        let entries = import_reviews(&mut tx, shown, incoming).map_err(fail)?;
        tx.commit().map_err(fail)?;
        report.entries.extend(entries);
    }
    Ok(report)
}

/// The visit logs of a source, a batch at a time: the next batches are read and checked on
/// this machine while each connection of `clients` writes one in its own transaction.
/// Batches hold different visits, so they never wait for one another but at the ledger.
/// The first failure stops the import; batches already committed stay (a retry finds them).
fn import_visit_batches(
    clients: &mut [&mut Client],
    shown: &str,
    source: &Path,
    files: &[PathBuf],
    checklists: &ChecklistSet,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::{channel, sync_channel};

    type Done = Result<(Vec<Entry>, EvidenceTally), ImportError>;
    let fail = |e: postgres::Error| {
        ImportError::Store(
            db_error(shown, "import stopped; run it again to finish", &e).to_string(),
        )
    };
    let stop = AtomicBool::new(false);
    let (send, batches) = sync_channel::<(usize, Vec<Incoming>)>(clients.len());
    let batches = std::sync::Mutex::new(batches);
    let (done_send, done) = channel::<(usize, Done)>();
    std::thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            for (n, batch) in files.chunks(BATCH).enumerate() {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let incoming: Vec<Incoming> = batch
                    .par_iter()
                    .map(|file| Incoming::read(file, shown))
                    .collect();
                if send.send((n, incoming)).is_err() {
                    return;
                }
            }
        });
        for client in clients.iter_mut() {
            let (batches, done_send) = (&batches, done_send.clone());
            scope.spawn(move || {
                loop {
                    let next = batches
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .recv();
                    let Ok((n, incoming)) = next else {
                        return;
                    };
                    // After a failure the batches still coming are let go unwritten.
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    let written = (|| -> Done {
                        // The files first, the logs after (each file in its own statement).
                        let mut tally = EvidenceTally::default();
                        let attached: Vec<(String, u64)> = incoming
                            .iter()
                            .filter(|i| i.refused.is_none())
                            .flat_map(|i| i.evidence.iter().cloned())
                            .collect();
                        super::evidence::import_evidence(client, source, &attached, &mut tally)
                            .map_err(fail)?;
                        let mut tx = client.transaction().map_err(fail)?;
                        let entries =
                            import_visits(&mut tx, shown, incoming, checklists).map_err(fail)?;
                        tx.commit().map_err(fail)?;
                        Ok((entries, tally))
                    })();
                    if written.is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    if done_send.send((n, written)).is_err() {
                        return;
                    }
                }
            });
        }
    });
    drop(done_send);
    // Each batch's entries in the order of its files, whichever connection wrote it.
    let written: std::collections::BTreeMap<usize, Done> = done.into_iter().collect();
    let mut failure = None;
    for batch in written.into_values() {
        match batch {
            Ok((entries, tally)) => {
                report.entries.extend(entries);
                report.evidence.add(tally);
            }
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    failure.map_or(Ok(()), Err)
}

/// A visit log read from outside, checked, and summarised through the one summariser.
struct Incoming {
    file: PathBuf,
    /// Refused before the database is asked (bad name, unreadable, not a visit ...).
    refused: Option<String>,
    id: String,
    month: String,
    /// Whole lines (`None` when the chain does not hold: then `raw` is the log).
    lines: Option<Lines>,
    tail: Option<Vec<u8>>,
    raw: Option<Vec<u8>>,
    hashes: Vec<String>,
    /// How messages name the log once held.
    path: PathBuf,
    /// Made only for a log that is written (`summarise`): the same log again costs none.
    summary: Option<VisitSummary>,
    warning: Option<String>,
    /// The (sha256, size) of each evidence file its `attached` lines name.
    evidence: Vec<(String, u64)>,
}

impl Incoming {
    fn refused(file: &Path, why: String) -> Incoming {
        Incoming {
            file: file.to_owned(),
            refused: Some(why),
            id: String::new(),
            month: String::new(),
            lines: None,
            tail: None,
            raw: None,
            hashes: Vec::new(),
            path: PathBuf::new(),
            summary: None,
            warning: None,
            evidence: Vec::new(),
        }
    }

    fn read(file: &Path, shown: &str) -> Incoming {
        let Some(id) = id_of(file) else {
            return Incoming::refused(
                file,
                "the file name is not <visit id>.jsonl: not imported".into(),
            );
        };
        let bytes = match read_outside(file) {
            Ok(bytes) => bytes,
            Err(why) => return Incoming::refused(file, why),
        };
        let log = analyze_log(&bytes);
        let Some(first) = log.events.first() else {
            return Incoming::refused(file, "the log holds no event".into());
        };
        if let crate::log::EventKind::Started { visit, .. } = &first.kind
            && *visit != id
        {
            return Incoming::refused(
                file,
                format!("the file is named for visit {id} but the log is visit {visit}"),
            );
        }
        let Some(month) = month_of(&first.at) else {
            return Incoming::refused(file, format!("the start time {:?} is not a date", first.at));
        };
        let path = log_path(shown, &month, &id);
        let hashes: Vec<String> = log.events.iter().map(|e| e.hash.clone()).collect();
        let evidence = super::evidence::attached(&log.events);
        if let Some(problem) = log.problems.first() {
            // Held as it is, with its verdict: the readers say of it what they say of the file.
            return Incoming {
                file: file.to_owned(),
                refused: None,
                warning: Some(format!(
                    "the log does not verify (line {}: {}); held as damaged, as it came",
                    problem.line, problem.reason
                )),
                id,
                month,
                lines: None,
                tail: None,
                raw: Some(bytes),
                hashes,
                path,
                summary: None,
                evidence,
            };
        }
        let end = log
            .torn
            .as_ref()
            .and_then(|t| usize::try_from(t.offset).ok())
            .unwrap_or(bytes.len());
        let (whole, tail) = bytes.split_at(end.min(bytes.len()));
        let Some(lines) = split_lines(whole) else {
            return Incoming::refused(
                file,
                "a line of the log is not text ending in its hash".into(),
            );
        };
        Incoming {
            file: file.to_owned(),
            refused: None,
            warning: log
                .torn
                .as_ref()
                .map(|t| format!("{t}; the whole lines before it were imported")),
            id,
            month,
            tail: (!tail.is_empty()).then(|| tail.to_vec()),
            lines: Some(lines),
            raw: None,
            hashes,
            path,
            summary: None,
            evidence,
        }
    }

    /// The log as every reader will read it back: the raw log, or its lines and tail.
    fn held_bytes(&self) -> Vec<u8> {
        match (&self.lines, &self.raw) {
            (_, Some(raw)) => raw.clone(),
            (Some(lines), None) => {
                let mut bytes = lines.bytes();
                bytes.extend_from_slice(self.tail.as_deref().unwrap_or_default());
                bytes
            }
            (None, None) => Vec::new(),
        }
    }

    /// Summarises the log through the one summariser, as the readers will.
    fn summarise(&mut self, checklists: &ChecklistSet) {
        let bytes = self.held_bytes();
        self.summary = Some(summarize_bytes(&bytes, &self.id, &self.path, checklists));
    }

    /// The bytes compared with the log held: the whole lines, or the raw log.
    fn compared(&self) -> Vec<u8> {
        match (&self.lines, &self.raw) {
            (Some(lines), _) => lines.bytes(),
            (None, Some(raw)) => raw.clone(),
            (None, None) => Vec::new(),
        }
    }
}

/// How messages name a visit's log in the database: as a data folder would, under the URL.
pub fn log_path(shown: &str, month: &str, id: &str) -> PathBuf {
    PathBuf::from(format!("{shown}/visits/{month}/{id}.jsonl"))
}

/// A visit as the database holds it now.
struct Held {
    month: String,
    /// Whole lines, and the hash of the last: enough to know the same log, or a longer one,
    /// without reading its lines.
    count: usize,
    last_hash: String,
    raw: Option<Vec<u8>>,
    /// The lines, when taken in this batch (not yet in the database).
    taken: Option<Lines>,
}

impl Held {
    fn taken(inc: &Incoming) -> Held {
        let lines = inc.lines.clone().unwrap_or_default();
        Held {
            month: inc.month.clone(),
            count: lines.len(),
            last_hash: inc.hashes.last().cloned().unwrap_or_default(),
            raw: inc.raw.clone(),
            taken: Some(lines),
        }
    }
}

/// What to do with an incoming log whose chain and the held one's both hold, from their
/// lines' hashes (a line's hash stands for it and every line before it): the file import's
/// `plan`, without reading either log's text.
fn plan_by_hashes(mine: &[String], theirs: &[String], here: &Path) -> Plan {
    let common = mine.iter().zip(theirs).take_while(|(a, b)| a == b).count();
    if common == mine.len() && common == theirs.len() {
        Plan::Keep(Outcome::Identical)
    } else if common == mine.len() {
        Plan::Replace
    } else if common == theirs.len() {
        Plan::Keep(Outcome::Older)
    } else {
        Plan::Keep(Outcome::Conflict(format!(
            "{} has different content from line {} on; neither copy was changed",
            here.display(),
            common + 1
        )))
    }
}

/// What becomes of a visit row once every log of the batch is decided.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RowWrite {
    Insert,
    Update,
}

fn import_visits(
    tx: &mut Transaction<'_>,
    shown: &str,
    mut incoming: Vec<Incoming>,
    checklists: &ChecklistSet,
) -> Result<Vec<Entry>, postgres::Error> {
    let mut writes: Vec<(usize, RowWrite)> = Vec::new();
    let mut ids: Vec<&str> = incoming
        .iter()
        .filter(|i| i.refused.is_none())
        .map(|i| i.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    lock_all(tx, VISIT_LOCK, &ids)?;
    let mut held = held_visits(tx, &ids)?;
    let mut ledger = ledger_of(tx, &ids)?;
    let mut new_events: Vec<(String, usize, Lines)> = Vec::new();
    let mut new_ledger: Vec<LedgerEntry> = Vec::new();
    let mut entries = Vec::with_capacity(incoming.len());
    for (index, inc) in incoming.iter().enumerate() {
        if let Some(why) = &inc.refused {
            entries.push(entry(
                &inc.file,
                LogKind::Visit,
                Outcome::Refused(why.clone()),
            ));
            continue;
        }
        let seen = ledger.get(&inc.id).and_then(|seen| {
            seen.iter().find(|(lines, last)| {
                lines
                    .checked_sub(1)
                    .and_then(|i| inc.hashes.get(i))
                    .is_none_or(|now| now != last)
            })
        });
        let rewritten = |(lines, last): &(usize, String)| {
            Outcome::Rewritten(format!(
                "visit {} was imported before with {lines} lines, the last with hash {}…; this copy does not continue that log — it was rewritten after the import",
                inc.id,
                last.get(..12).unwrap_or(last)
            ))
        };
        let outcome = match (held.get(&inc.id), seen) {
            (None, Some(seen)) => rewritten(seen),
            (None, None) => {
                writes.push((index, RowWrite::Insert));
                if let Some(lines) = &inc.lines {
                    new_events.push((inc.id.clone(), 0, lines.clone()));
                }
                held.insert(inc.id.clone(), Held::taken(inc));
                Outcome::New
            }
            (Some(mine), seen) => {
                let here = log_path(shown, &mine.month, &inc.id);
                let damaged = mine.raw.is_some() || inc.raw.is_some();
                let same_start = mine
                    .count
                    .checked_sub(1)
                    .and_then(|i| inc.hashes.get(i))
                    .is_some_and(|h| *h == mine.last_hash);
                let from = mine.count;
                let plan = if damaged {
                    // A log that does not verify is compared byte for byte, as on files.
                    let mine_bytes = match (&mine.raw, &mine.taken) {
                        (Some(raw), _) => raw.clone(),
                        (None, Some(lines)) => lines.bytes(),
                        (None, None) => visit_lines(tx, &inc.id)?.bytes(),
                    };
                    plan(&mine_bytes, &inc.compared(), &here)
                } else if same_start {
                    // The held log's last line is this one's line there: the same first lines.
                    if inc.hashes.len() == mine.count {
                        Plan::Keep(Outcome::Identical)
                    } else {
                        Plan::Replace
                    }
                } else {
                    let hashes = match &mine.taken {
                        Some(lines) => lines.hashes().to_vec(),
                        None => visit_lines(tx, &inc.id)?.hashes().to_vec(),
                    };
                    plan_by_hashes(&hashes, &inc.hashes, &here)
                };
                match plan {
                    Plan::Keep(Outcome::Identical) => {
                        if inc.raw.is_none() {
                            set_tail(tx, &inc.id, inc.tail.as_deref())?;
                        }
                        Outcome::Identical
                    }
                    Plan::Replace if seen.is_some() => seen.map_or(Outcome::Identical, rewritten),
                    Plan::Replace if !damaged => {
                        if let Some(lines) = &inc.lines {
                            new_events.push((inc.id.clone(), from, lines.clone()));
                        }
                        writes.push((index, RowWrite::Update));
                        held.insert(inc.id.clone(), Held::taken(inc));
                        Outcome::Extended
                    }
                    Plan::Keep(Outcome::Older) if !damaged => Outcome::Older,
                    Plan::Keep(Outcome::Conflict(why)) => why_conflict(tx, inc, why)?,
                    _ => why_conflict(
                        tx,
                        inc,
                        format!(
                            "{} has different content (one of the two does not verify); neither copy was changed",
                            here.display()
                        ),
                    )?,
                }
            }
        };
        if let Outcome::Rewritten(why) = &outcome {
            record_conflict(tx, "rewritten", inc, why)?;
        }
        // The ledger keeps each copy of a verified log taken or found the same, once.
        if matches!(
            outcome,
            Outcome::New | Outcome::Extended | Outcome::Identical
        ) && inc.raw.is_none()
            && let Some(last) = inc.hashes.last()
        {
            let lines = inc.hashes.len();
            let known = ledger.entry(inc.id.clone()).or_default();
            if !known.iter().any(|(l, h)| *l == lines && h == last) {
                known.push((lines, last.clone()));
                new_ledger.push(LedgerEntry {
                    visit: inc.id.clone(),
                    lines,
                    last_hash: last.clone(),
                    at: crate::log::format_at(&chrono::Local::now()),
                });
            }
        }
        entries.push(Entry {
            warning: inc.warning.clone(),
            ..entry(&inc.file, LogKind::Visit, outcome)
        });
    }
    // The rows written are summarised in parallel, then written: the new ones in one COPY,
    // before their lines (which refer to them).
    let mut summarise: Vec<bool> = vec![false; incoming.len()];
    for (index, _) in &writes {
        if let Some(flag) = summarise.get_mut(*index) {
            *flag = true;
        }
    }
    incoming
        .par_iter_mut()
        .zip(summarise.par_iter())
        .filter(|(_, flag)| **flag)
        .for_each(|(inc, _)| inc.summarise(checklists));
    let inserts: Vec<&Incoming> = writes
        .iter()
        .filter(|(_, write)| *write == RowWrite::Insert)
        .filter_map(|(index, _)| incoming.get(*index))
        .collect();
    let rows: Vec<VisitRow> = inserts.iter().map(|inc| row_of(inc)).collect();
    copy_visits(tx, &rows)?;
    for (index, _) in writes.iter().filter(|(_, w)| *w == RowWrite::Update) {
        if let Some(inc) = incoming.get(*index) {
            update_visit(tx, &row_of(inc))?;
        }
    }
    copy_events(tx, "events", &new_events)?;
    append_ledger(tx, &new_ledger)?;
    Ok(entries)
}

fn why_conflict(
    tx: &mut Transaction<'_>,
    inc: &Incoming,
    why: String,
) -> Result<Outcome, postgres::Error> {
    record_conflict(tx, "visit", inc, &why)?;
    Ok(Outcome::Conflict(why))
}

/// A conflict, kept once however often the same copy comes in.
fn record_conflict(
    tx: &mut Transaction<'_>,
    kind: &str,
    inc: &Incoming,
    why: &str,
) -> Result<(), postgres::Error> {
    let incoming = sha256_hex(&inc.compared());
    let source = inc.file.display().to_string();
    tx.execute(
        "INSERT INTO conflicts (kind, visit, incoming, source, reason) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kind, visit, incoming) DO NOTHING",
        &[&kind, &inc.id, &incoming, &source, &why],
    )?;
    Ok(())
}

/// Takes the advisory locks of `ids` in one order every import uses (by the lock's own
/// key, so that two ids sharing a key cannot make two imports wait for each other).
pub(super) fn lock_all(
    tx: &mut Transaction<'_>,
    space: i32,
    ids: &[&str],
) -> Result<(), postgres::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    tx.execute(
        "SELECT count(pg_advisory_xact_lock($1, k)) FROM
           (SELECT DISTINCT hashtext(id) AS k FROM unnest($2::text[]) AS id ORDER BY k) AS keys",
        &[&space, &ids],
    )?;
    Ok(())
}

fn held_visits(
    tx: &mut Transaction<'_>,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, Held>, postgres::Error> {
    let mut held = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(held);
    }
    for row in tx.query(
        "SELECT id, month, raw, lines, last_hash FROM visits WHERE id = ANY($1)",
        &[&ids],
    )? {
        held.insert(
            row.get::<_, String>(0),
            Held {
                month: row.get(1),
                raw: row.get(2),
                count: usize::try_from(row.get::<_, i32>(3)).unwrap_or(0),
                last_hash: row.get(4),
                taken: None,
            },
        );
    }
    Ok(held)
}

/// A held visit's whole lines (for the rare comparison the hashes of the ends cannot settle).
fn visit_lines(tx: &mut Transaction<'_>, id: &str) -> Result<Lines, postgres::Error> {
    let mut lines = Lines::default();
    for row in tx.query(
        "SELECT hash, line FROM events WHERE visit = $1 ORDER BY seq",
        &[&id],
    )? {
        lines.push(row.get(1), row.get(0));
    }
    Ok(lines)
}

/// What the ledger has seen of each of `ids`: (lines, last hash).
fn ledger_of(
    tx: &mut Transaction<'_>,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, Vec<(usize, String)>>, postgres::Error> {
    let mut seen: std::collections::HashMap<String, Vec<(usize, String)>> =
        std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(seen);
    }
    for row in tx.query(
        "SELECT visit, lines, last_hash FROM imports WHERE visit = ANY($1) ORDER BY seq",
        &[&ids],
    )? {
        let lines: i32 = row.get(1);
        seen.entry(row.get(0))
            .or_default()
            .push((usize::try_from(lines).unwrap_or(0), row.get(2)));
    }
    Ok(seen)
}

/// The row a visit gets, from the summary of its log as it will be read back.
fn row_of(inc: &Incoming) -> VisitRow {
    let default = VisitSummary::default();
    VisitRow::new(
        &inc.id,
        &inc.month,
        inc.lines.as_ref().map_or(0, Lines::len),
        [inc.tail.clone(), inc.raw.clone()],
        inc.summary.as_ref().unwrap_or(&default),
    )
}

/// A batch of review logs: the file import's rules (one that does not verify is refused, a
/// torn tail left behind), into `reviews` — what is held read at once, the new lines
/// written in one COPY.
fn import_reviews(
    tx: &mut Transaction<'_>,
    shown: &str,
    incoming: Vec<(&PathBuf, Result<IncomingReview, String>)>,
) -> Result<Vec<Entry>, postgres::Error> {
    let mut ids: Vec<&str> = incoming
        .iter()
        .filter_map(|(_, read)| read.as_ref().ok().map(|r| r.id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    lock_all(tx, REVIEW_LOCK, &ids)?;
    let mut held = held_reviews(tx, &ids)?;
    let mut new_logs: Vec<String> = Vec::new();
    let mut new_lines: Vec<(String, usize, Lines)> = Vec::new();
    let mut entries = Vec::with_capacity(incoming.len());
    for (file, read) in &incoming {
        let refused = |why: String| entry(file, LogKind::Review, Outcome::Refused(why));
        let review = match read {
            Ok(review) => review,
            Err(why) => {
                entries.push(refused(why.clone()));
                continue;
            }
        };
        let (id, whole) = (&review.id, review.whole());
        let Some(lines) = split_lines(whole) else {
            entries.push(refused(
                "a line of the review log is not text ending in its hash".into(),
            ));
            continue;
        };
        let here = PathBuf::from(format!("{shown}/reviews/{id}.jsonl"));
        let outcome = match held.get(id) {
            None => {
                new_logs.push(id.clone());
                new_lines.push((id.clone(), 0, lines.clone()));
                held.insert(id.clone(), lines);
                Outcome::New
            }
            Some(mine) => match plan(&mine.bytes(), whole, &here) {
                Plan::Replace => {
                    new_lines.push((id.clone(), mine.len(), lines.clone()));
                    held.insert(id.clone(), lines);
                    Outcome::Extended
                }
                Plan::Keep(Outcome::Conflict(why)) => {
                    let incoming = sha256_hex(whole);
                    let source = file.display().to_string();
                    tx.execute(
                        "INSERT INTO conflicts (kind, visit, incoming, source, reason)
                         VALUES ('review', $1, $2, $3, $4) ON CONFLICT (kind, visit, incoming) DO NOTHING",
                        &[id, &incoming, &source, &why],
                    )?;
                    Outcome::Conflict(why)
                }
                Plan::Keep(outcome) => outcome,
            },
        };
        entries.push(entry(file, LogKind::Review, outcome));
    }
    if !new_logs.is_empty() {
        tx.execute(
            "INSERT INTO review_logs (visit) SELECT unnest($1::text[])",
            &[&new_logs],
        )?;
    }
    copy_events(tx, "reviews", &new_lines)?;
    Ok(entries)
}

/// The whole lines held of each of `ids`' review logs (those the database has).
fn held_reviews(
    tx: &mut Transaction<'_>,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, Lines>, postgres::Error> {
    let mut held: std::collections::HashMap<String, Lines> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(held);
    }
    for row in tx.query(
        "SELECT l.visit, r.hash, r.line FROM review_logs l
         LEFT JOIN reviews r ON r.visit = l.visit
         WHERE l.visit = ANY($1) ORDER BY l.visit, r.seq",
        &[&ids],
    )? {
        let lines = held.entry(row.get(0)).or_default();
        if let (Some(hash), Some(line)) = (row.get::<_, Option<String>>(1), row.get(2)) {
            lines.push(line, hash);
        }
    }
    Ok(held)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hashes or by bytes, the same plan (each line here its own "hash").
    #[test]
    fn hashes_plan_as_the_bytes_do() {
        let here = Path::new("store/visits/2026-11/X.jsonl");
        let cases: [(&[&str], &[&str]); 6] = [
            (&["a", "b"], &["a", "b"]),
            (&["a", "b"], &["a", "b", "c"]),
            (&["a", "b", "c"], &["a", "b"]),
            (&["a", "b", "c"], &["a", "x"]),
            (&["a", "b"], &["x", "b", "c"]),
            (&["a"], &["a", "b"]),
        ];
        for (mine, theirs) in cases {
            let bytes = |lines: &[&str]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
            let hashes = |lines: &[&str]| lines.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
            assert_eq!(
                plan_by_hashes(&hashes(mine), &hashes(theirs), here),
                plan(bytes(mine).as_bytes(), bytes(theirs).as_bytes(), here),
                "{mine:?} then {theirs:?}"
            );
        }
    }
}
