//! `sitecheck import DIR`: merging visit and review logs gathered from other laptops into
//! this store (SPEC section 5).
//!
//! - A log this store does not have is copied durably (temp file, fsync, rename, fsync).
//! - One it has, byte for byte, is skipped; a longer one whose first lines are the ones
//!   here (an open visit that went on, an amendment) replaces it; a shorter one is older
//!   and skipped. Anything else is a conflict: reported, nothing overwritten.
//! - The ledger (`super::ledger`, chained) keeps, for every copy of a visit imported, the
//!   hash of its last line and its line count; a later copy that breaks any of them (the
//!   first seen included: they are never replaced) was rewritten after it was imported, and
//!   is reported, not taken.
//! - One import at a time per store: an exclusive lock on `<data>/import.lock` (a second
//!   import waits, or is refused with the holder named). Taking the lock clears what a
//!   killed import left (its temporary files); each log's ledger line is written as soon as
//!   the log is, so a killed import loses no ledger line the next run would not write.
//! - Nothing from outside is trusted as a path: file names must be `<ULID>.jsonl`, the id
//!   inside must match, and the month folder is taken from the visit's own start time.
//!   Symbolic links and logs that do not verify are refused.

use std::collections::HashMap;
use std::fs::{self, File, TryLockError};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use crate::log::EventKind;
use crate::log::reader::{analyze_chain, analyze_log};

use super::layout::{is_month, is_visit_id, reviews_dir, visit_logs, visits_dir};
use super::ledger::{Ledger, LedgerEntry, ledger_path};

/// The largest log imported: far above any real visit, small enough to hold in memory.
const MAX_LOG_BYTES: u64 = 64 * 1024 * 1024;

/// What happened to one log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Copied: this store did not have it.
    New,
    /// Replaced a shorter log it continues.
    Extended,
    /// The same as the one here.
    Identical,
    /// Shorter than the one here, which continues it.
    Older,
    /// Same id, different content: nothing was changed.
    Conflict(String),
    /// The log differs from what an earlier import saw: rewritten on the laptop.
    Rewritten(String),
    /// Not taken: a bad name, a symbolic link, a log that does not verify ...
    Refused(String),
}

impl Outcome {
    /// Whether it is a problem the supervisor must look at (exit code 1).
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            Outcome::Conflict(_) | Outcome::Rewritten(_) | Outcome::Refused(_)
        )
    }
}

/// One log considered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Where it came from.
    pub source: PathBuf,
    pub kind: LogKind,
    pub outcome: Outcome,
    /// A warning that does not stop the import (a torn last line left behind).
    pub warning: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    Visit,
    Review,
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub entries: Vec<Entry>,
    pub evidence: EvidenceTally,
}

/// What an import did with the evidence files the visit logs it took attach.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct EvidenceTally {
    /// Copied into this store (their bytes checked against their hash).
    pub copied: usize,
    /// Already here, whole.
    pub here: usize,
    /// Not taken: missing from the source, or bytes that do not match their name. The log
    /// is imported all the same (it is the record); `verify` reports the file as missing.
    pub problems: Vec<(PathBuf, String)>,
}

impl EvidenceTally {
    /// Another part of the same import's files (a batch written on its own).
    pub fn add(&mut self, other: EvidenceTally) {
        self.copied += other.copied;
        self.here += other.here;
        self.problems.extend(other.problems);
    }
}

impl ImportReport {
    pub fn count(&self, kind: LogKind, f: impl Fn(&Outcome) -> bool) -> usize {
        self.entries
            .iter()
            .filter(|e| e.kind == kind && f(&e.outcome))
            .count()
    }

    pub fn has_problems(&self) -> bool {
        self.entries.iter().any(|e| e.outcome.is_problem())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}: error: not a sitecheck store (it has no visits/ or reviews/ folder)")]
    NotAStore(PathBuf),
    #[error("{0}: error: cannot read: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("{0}: error: cannot write: {1}")]
    Write(PathBuf, std::io::Error),
    #[error(
        "{path}: error: another import into this store is running ({holder}); wait for it, or run again without --no-wait to wait"
    )]
    Busy { path: PathBuf, holder: String },
    /// The fleet store could not be read or written (its message names it).
    #[error("{0}")]
    Store(String),
}

/// This process's exclusive right to import into one store, for as long as it is held.
pub struct ImportLock {
    data: PathBuf,
    _file: File,
}

/// Whether to wait for another import to finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    Yes,
    No,
}

pub fn lock_path(data: &Path) -> PathBuf {
    data.join("import.lock")
}

/// Takes the store's import lock (waiting for it, or not), then clears what an import
/// killed midway left behind.
pub fn lock(data: &Path, wait: Wait) -> Result<ImportLock, ImportError> {
    let path = lock_path(data);
    fs::create_dir_all(data).map_err(|e| ImportError::Write(data.to_owned(), e))?;
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| ImportError::Write(path.clone(), e))?;
    match (file.try_lock(), wait) {
        (Ok(()), _) => {}
        (Err(TryLockError::WouldBlock), Wait::Yes) => file
            .lock()
            .map_err(|e| ImportError::Write(path.clone(), e))?,
        (Err(TryLockError::WouldBlock), Wait::No) => {
            let holder = fs::read_to_string(&path)
                .ok()
                .map(|text| text.trim().to_owned())
                .filter(|text| !text.is_empty())
                .unwrap_or_else(|| "holder unknown".into());
            return Err(ImportError::Busy { path, holder });
        }
        (Err(TryLockError::Error(err)), _) => return Err(ImportError::Write(path, err)),
    }
    // Who holds it, for a second import to name. A courtesy: the lock is what counts.
    let note = format!(
        "pid {} since {}",
        std::process::id(),
        crate::log::format_at(&chrono::Local::now())
    );
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| file.write_all(note.as_bytes()));
    clear_leftovers(data);
    super::evidence::sweep_partials(data);
    Ok(ImportLock {
        data: data.to_owned(),
        _file: file,
    })
}

/// Temporary files of imports killed midway: never a log, removed under the lock (no
/// import can be writing them now).
fn clear_leftovers(data: &Path) {
    let mut folders = vec![reviews_dir(data)];
    if let Ok(months) = fs::read_dir(visits_dir(data)) {
        folders.extend(months.flatten().map(|m| m.path()).filter(|p| p.is_dir()));
    }
    for folder in folders {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.contains(".import.") && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Imports every log of the store at `source` into the store the lock is for.
pub fn import(lock: &ImportLock, source: &Path) -> Result<ImportReport, ImportError> {
    let data = lock.data.as_path();
    let source_visits = visits_dir(source);
    let source_reviews = reviews_dir(source);
    if !source_visits.is_dir() && !source_reviews.is_dir() {
        return Err(ImportError::NotAStore(source.to_owned()));
    }
    let mut ledger = Ledger::read(data).map_err(|e| ImportError::Read(ledger_path(data), e))?;
    let mut present: HashMap<String, PathBuf> = visit_logs(data).into_iter().collect();
    let mut report = ImportReport::default();
    for file in candidates(&source_visits, true)? {
        let mut seen = Vec::new();
        let entry = import_visit(
            data,
            source,
            &file,
            &mut present,
            &ledger,
            &mut seen,
            &mut report.evidence,
        );
        // Written as each log is, not at the end: an import killed midway keeps them.
        ledger
            .append(data, &seen)
            .map_err(|e| ImportError::Write(ledger_path(data), e))?;
        report.entries.push(entry);
    }
    for file in candidates(&source_reviews, false)? {
        report.entries.push(import_review(data, &file));
    }
    Ok(report)
}

/// The `.jsonl` files under a folder (and, for visits, its month folders), sorted.
pub(super) fn candidates(dir: &Path, months: bool) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(err) => return Err(ImportError::Read(dir.to_owned(), err)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| ImportError::Read(dir.to_owned(), e))?;
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if months && is_dir {
            files.extend(candidates(&path, false)?);
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The id a file name claims, when it is a visit id.
pub(super) fn id_of(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let id = name.strip_suffix(".jsonl")?;
    is_visit_id(id).then(|| id.to_owned())
}

/// Reads a file from outside: a regular file (not a link), not absurdly big.
pub(super) fn read_outside(path: &Path) -> Result<Vec<u8>, String> {
    let meta = fs::symlink_metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.file_type().is_file() {
        return Err("not a regular file (a symbolic link, say): not imported".into());
    }
    if meta.len() > MAX_LOG_BYTES {
        return Err(format!("{} bytes: too big for a log", meta.len()));
    }
    fs::read(path).map_err(|e| format!("cannot read: {e}"))
}

pub(super) fn entry(source: &Path, kind: LogKind, outcome: Outcome) -> Entry {
    Entry {
        source: source.to_owned(),
        kind,
        outcome,
        warning: None,
    }
}

fn import_visit(
    data: &Path,
    source: &Path,
    file: &Path,
    present: &mut HashMap<String, PathBuf>,
    ledger: &Ledger,
    new_ledger: &mut Vec<LedgerEntry>,
    evidence: &mut EvidenceTally,
) -> Entry {
    let refuse = |why: String| entry(file, LogKind::Visit, Outcome::Refused(why));
    let Some(id) = id_of(file) else {
        return refuse("the file name is not <visit id>.jsonl: not imported".into());
    };
    let bytes = match read_outside(file) {
        Ok(bytes) => bytes,
        Err(why) => return refuse(why),
    };
    let log = analyze_log(&bytes);
    if let Some(problem) = log.problems.first() {
        return refuse(format!(
            "the log does not verify (line {}: {}); `sitecheck verify` on the laptop names every problem",
            problem.line, problem.reason
        ));
    }
    let Some((first, last)) = log.events.first().zip(log.events.last()) else {
        return refuse("the log holds no event".into());
    };
    let EventKind::Started { visit, .. } = &first.kind else {
        return refuse("the log does not begin with a started event".into());
    };
    if *visit != id {
        return refuse(format!(
            "the file is named for visit {id} but the log is visit {visit}"
        ));
    }
    let Some(month) = month_of(&first.at) else {
        return refuse(format!("the start time {:?} is not a date", first.at));
    };
    // A torn last line is left behind: only whole lines are imported.
    let whole = log
        .torn
        .as_ref()
        .and_then(|t| usize::try_from(t.offset).ok())
        .map_or(bytes.as_slice(), |end| bytes.get(..end).unwrap_or_default());
    let warning = log
        .torn
        .as_ref()
        .map(|t| format!("{t}; the whole lines before it were imported"));
    let lines = log.events.len();
    // What the ledger remembers must still be there: every copy it saw, unchanged.
    let hashes: Vec<&str> = log.events.iter().map(|e| e.hash.as_str()).collect();
    let broken = ledger.broken_by(&id, &hashes);
    let rewritten = broken.first().map(|b| b.entry);
    let rewritten_outcome = |seen: &LedgerEntry| {
        Outcome::Rewritten(format!(
            "visit {id} was imported before with {} lines, the last with hash {}…; this copy does not continue that log — it was rewritten after the import",
            seen.lines,
            seen.last_hash.get(..12).unwrap_or(&seen.last_hash)
        ))
    };
    // The files first, the log after: a log here never names a file this store lacks
    // because an import was killed between the two.
    if rewritten.is_none() {
        import_evidence(data, source, &log.events, evidence);
    }
    let outcome = match (present.get(&id), rewritten) {
        (None, Some(seen)) => rewritten_outcome(seen),
        (None, None) => {
            let target = visits_dir(data).join(&month).join(format!("{id}.jsonl"));
            match write_durably(&target, whole) {
                Ok(()) => {
                    present.insert(id.clone(), target);
                    Outcome::New
                }
                Err(err) => Outcome::Refused(format!("cannot write {}: {err}", target.display())),
            }
        }
        (Some(here), seen) => match fs::read(here) {
            Err(err) => Outcome::Refused(format!("cannot read {}: {err}", here.display())),
            Ok(mine) => match (plan(&mine, whole, here), seen) {
                (Plan::Replace, Some(seen)) => rewritten_outcome(seen),
                (plan, _) => carry_out(plan, here, whole),
            },
        },
    };
    if matches!(
        outcome,
        Outcome::New | Outcome::Extended | Outcome::Identical
    ) {
        new_ledger.push(LedgerEntry {
            visit: id,
            lines,
            last_hash: last.hash.clone(),
            at: crate::log::format_at(&chrono::Local::now()),
        });
    }
    Entry {
        warning,
        ..entry(file, LogKind::Visit, outcome)
    }
}

/// Copies the evidence files `events` attach from the source store's evidence folder into
/// this one's, by hash (the source's names are never trusted: each file is hashed as it is
/// copied and must match).
fn import_evidence(
    data: &Path,
    source: &Path,
    events: &[crate::log::Event],
    tally: &mut EvidenceTally,
) {
    use super::evidence::{EvidenceCheck, check, copy_verified, evidence_path};
    for event in events {
        let EventKind::Attached { sha256, size, .. } = &event.kind else {
            continue;
        };
        if check(data, sha256, *size) == EvidenceCheck::Holds {
            tally.here += 1;
            continue;
        }
        let Some(from) = evidence_path(source, sha256) else {
            continue;
        };
        match copy_verified(data, &from, sha256) {
            Ok(_) => tally.copied += 1,
            Err(e) => {
                let why = match e.kind() {
                    super::evidence::EvidenceErrorKind::NotFound => {
                        "not in the source store's evidence folder (copy the whole data folder)"
                            .to_owned()
                    }
                    _ => e.to_string(),
                };
                tally.problems.push((from, why));
            }
        }
    }
}

/// What to do with an incoming log, given the one here.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Plan {
    Keep(Outcome),
    /// The incoming log continues the one here.
    Replace,
}

pub(super) fn plan(mine: &[u8], theirs: &[u8], here: &Path) -> Plan {
    if mine == theirs {
        Plan::Keep(Outcome::Identical)
    } else if theirs.starts_with(mine) && mine.last() == Some(&b'\n') {
        Plan::Replace
    } else if mine.starts_with(theirs) && theirs.last() == Some(&b'\n') {
        Plan::Keep(Outcome::Older)
    } else {
        let common = mine
            .split(|&b| b == b'\n')
            .zip(theirs.split(|&b| b == b'\n'))
            .take_while(|(a, b)| a == b)
            .count();
        Plan::Keep(Outcome::Conflict(format!(
            "{} has different content from line {} on; neither copy was changed",
            here.display(),
            common + 1
        )))
    }
}

fn carry_out(plan: Plan, here: &Path, theirs: &[u8]) -> Outcome {
    match plan {
        Plan::Keep(outcome) => outcome,
        Plan::Replace => match write_durably(here, theirs) {
            Ok(()) => Outcome::Extended,
            Err(err) => Outcome::Refused(format!("cannot write {}: {err}", here.display())),
        },
    }
}

/// A review log from outside that may be taken: its visit id (from a file name that is
/// one), its bytes, and how many of them are whole lines (a torn tail is left behind).
pub(crate) struct IncomingReview {
    pub id: String,
    pub bytes: Vec<u8>,
    pub whole: usize,
}

impl IncomingReview {
    pub fn whole(&self) -> &[u8] {
        self.bytes.get(..self.whole).unwrap_or_default()
    }
}

/// Reads a review log from outside and checks it as every store takes one: a file named
/// `<visit id>.jsonl`, a chain that holds, every line a review of that visit. `Err` is why
/// it is refused.
pub(crate) fn read_incoming_review(file: &Path) -> Result<IncomingReview, String> {
    let id = id_of(file).ok_or("the file name is not <visit id>.jsonl: not imported")?;
    let bytes = read_outside(file)?;
    let chain = analyze_chain(&bytes);
    if let Some(problem) = chain.problems.first() {
        return Err(format!(
            "the review log does not verify (line {}: {})",
            problem.line, problem.reason
        ));
    }
    let reviews = crate::log::review::analyze_reviews(&bytes, &id);
    if let Some(problem) = reviews.integrity.problems.first() {
        return Err(format!(
            "line {}: {}: not imported",
            problem.line, problem.message
        ));
    }
    let whole = chain
        .torn
        .as_ref()
        .and_then(|t| usize::try_from(t.offset).ok())
        .unwrap_or(bytes.len());
    Ok(IncomingReview { id, bytes, whole })
}

fn import_review(data: &Path, file: &Path) -> Entry {
    let incoming = match read_incoming_review(file) {
        Ok(incoming) => incoming,
        Err(why) => return entry(file, LogKind::Review, Outcome::Refused(why)),
    };
    let (id, whole) = (&incoming.id, incoming.whole());
    let target = reviews_dir(data).join(format!("{id}.jsonl"));
    let outcome = match fs::read(&target) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            match write_durably(&target, whole) {
                Ok(()) => Outcome::New,
                Err(err) => Outcome::Refused(format!("cannot write {}: {err}", target.display())),
            }
        }
        Err(err) => Outcome::Refused(format!("cannot read {}: {err}", target.display())),
        Ok(mine) => carry_out(plan(&mine, whole, &target), &target, whole),
    };
    entry(file, LogKind::Review, outcome)
}

/// `YYYY-MM` of an RFC 3339 time, checked to be digits (it becomes a folder name).
pub(super) fn month_of(at: &str) -> Option<String> {
    at.get(..7).filter(|m| is_month(m)).map(str::to_owned)
}

/// Writes a whole file so that it is either there complete or not changed: a temporary
/// file beside it, fsynced, renamed over, and the folder fsynced.
fn write_durably(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target
        .parent()
        .ok_or_else(|| std::io::Error::other("no folder"))?;
    fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.import.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, target)?;
        fs::File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_come_only_from_digits() {
        assert_eq!(
            month_of("2026-11-22T10:00:00.000+08:00"),
            Some("2026-11".into())
        );
        for bad in ["../../x", "2026/11-22", "20a6-11-22", "2026-1", ""] {
            assert_eq!(month_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn comparing_logs() {
        let dir = tempfile::tempdir().unwrap();
        let here = dir.path().join("x.jsonl");
        fs::write(&here, "a\nb\n").unwrap();
        let outcome =
            |mine: &[u8], theirs: &[u8]| carry_out(plan(mine, theirs, &here), &here, theirs);
        assert_eq!(outcome(b"a\nb\n", b"a\nb\n"), Outcome::Identical);
        assert_eq!(outcome(b"a\nb\n", b"a\n"), Outcome::Older);
        assert_eq!(outcome(b"a\nb\n", b"a\nb\nc\n"), Outcome::Extended);
        assert_eq!(fs::read(&here).unwrap(), b"a\nb\nc\n");
        let conflict = outcome(b"a\nb\nc\n", b"a\nX\n");
        assert!(
            matches!(&conflict, Outcome::Conflict(m) if m.contains("line 2")),
            "{conflict:?}"
        );
        assert_eq!(fs::read(&here).unwrap(), b"a\nb\nc\n");
    }
}
