//! `VisitWriter`: the one writer of a visit's log, from its `started` event on, across
//! resumes. It assigns `seq`, `at` and `ms`, and keeps to the visit rules (one `started`,
//! only `amended` after `finished`/`abandoned`) so it never writes a line `verify` rejects.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Local};
use ulid::Ulid;

use super::chain_file::{ChainFile, Torn};
use super::error::LogError;
use super::event::{Event, EventKind, StartInfo};
use super::reader;
use super::seal::Sealer;
use std::sync::Arc;

/// `at` as the contract writes it: RFC 3339, milliseconds, the local UTC offset.
const AT_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3f%:z";

/// Where a visit's log lives: `<data>/visits/<YYYY-MM>/<visit-id>.jsonl`, the month of its
/// start in local time.
pub fn visit_log_path(data_dir: &Path, visit_id: Ulid, started: &DateTime<Local>) -> PathBuf {
    data_dir
        .join("visits")
        .join(started.format("%Y-%m").to_string())
        .join(format!("{visit_id}.jsonl"))
}

/// Formats a time as an event's `at`.
pub fn format_at(time: &DateTime<Local>) -> String {
    time.format(AT_FORMAT).to_string()
}

/// An open visit log, locked for this process.
#[derive(Debug)]
pub struct VisitWriter {
    file: ChainFile,
    visit_id: Ulid,
    next_seq: u64,
    /// `ms` of the last event when the log was opened (0 when created) ...
    base_ms: u64,
    /// ... plus the time since then on a monotonic clock, so a changed wall clock cannot
    /// distort the timings.
    opened: Instant,
    /// The event that closed the visit, if any.
    closed_by: Option<&'static str>,
    /// The laptop's key, when it has one: every sealable event is followed by its seal.
    sealer: Option<Arc<Sealer>>,
    /// A sealable line whose seal could not be written yet (seq, hash): written before
    /// anything else, while it is still the last line.
    seal_due: Option<(u64, String)>,
}

impl VisitWriter {
    /// Starts a visit: creates its log (and folders) and writes `started` as seq 0, durably.
    pub fn create(
        data_dir: &Path,
        visit_id: Ulid,
        started: StartInfo,
    ) -> Result<(VisitWriter, Event), LogError> {
        let now = Local::now();
        let opened = Instant::now();
        let path = visit_log_path(data_dir, visit_id, &now);
        let at = format_at(&now);
        let kind = EventKind::Started {
            visit: visit_id.to_string(),
            info: started,
        };
        let body = Event::body_for(0, &at, 0, &kind)?;
        let (file, sealed) = ChainFile::create(&path, &body)?;
        let event = Event {
            seq: 0,
            at,
            ms: 0,
            kind,
            hash: sealed.hash,
        };
        let writer = VisitWriter {
            file,
            visit_id,
            next_seq: 1,
            base_ms: 0,
            opened,
            closed_by: None,
            sealer: None,
            seal_due: None,
        };
        Ok((writer, event))
    }

    /// Resumes a visit: locks its log, reads and verifies it, moves a torn last line aside
    /// (reported in `Torn`) and gets ready to append after the last whole event. A log with
    /// any other problem is refused and left as it is.
    pub fn open(path: &Path) -> Result<(VisitWriter, Vec<Event>, Option<Torn>), LogError> {
        let (file, events, torn) =
            ChainFile::open_with(path, reader::visit_resume_point).map_err(|err| match err {
                LogError::Locked { path, pid } => LogError::VisitOpen {
                    visit: path
                        .file_stem()
                        .map(|stem| stem.to_string_lossy().into_owned())
                        .unwrap_or_else(|| path.display().to_string()),
                    pid,
                },
                err => err,
            })?;
        let opened = Instant::now();
        // The resume point has verified that the first event is `started` and that
        // there is one; these fallbacks only keep this free of panics.
        let visit = match events.first().map(|event| &event.kind) {
            Some(EventKind::Started { visit, .. }) => visit.clone(),
            _ => String::new(),
        };
        let visit_id = Ulid::from_string(&visit).map_err(|_| LogError::BadVisitId {
            path: path.to_owned(),
            visit,
        })?;
        let (next_seq, base_ms) = events
            .last()
            .map_or((0, 0), |last| (last.seq.saturating_add(1), last.ms));
        let closed_by = events
            .iter()
            .find(|event| event.kind.closes_visit())
            .map(|event| event.kind.name());
        let writer = VisitWriter {
            file,
            visit_id,
            next_seq,
            base_ms,
            opened,
            closed_by,
            sealer: None,
            // A sealable line left last by a crash (or a dead battery) between it and its
            // seal: sealed as soon as the key is given, before anything else.
            seal_due: events
                .last()
                .filter(|last| last.kind.is_sealable())
                .map(|last| (last.seq, last.hash.clone())),
        };
        Ok((writer, events, torn))
    }

    /// Appends one event and returns it once it is on stable storage. On an error nothing of
    /// it stays in the file and the writer is as before, so the same event can be appended
    /// again later (keep a clone of `kind` to retry).
    pub fn append(&mut self, kind: EventKind) -> Result<Event, LogError> {
        match kind {
            EventKind::Started { .. } => return Err(LogError::StartedAgain),
            EventKind::Sealed { .. } => return Err(LogError::SealedByHand),
            _ => {}
        }
        self.write_due_seal()?;
        if let Some(closed_by) = self.closed_by
            && !kind.allowed_after_close()
        {
            return Err(LogError::Closed { closed_by });
        }
        let at = format_at(&Local::now());
        let ms = self.ms_now();
        let body = Event::body_for(self.next_seq, &at, ms, &kind)?;
        let sealed = self.file.append(&body)?;
        let event = Event {
            seq: self.next_seq,
            at,
            ms,
            kind,
            hash: sealed.hash,
        };
        self.next_seq += 1;
        if event.kind.closes_visit() {
            self.closed_by = Some(event.kind.name());
        }
        if self.sealer.is_some() && event.kind.is_sealable() {
            self.seal_due = Some((event.seq, event.hash.clone()));
            // The event is on disk whatever happens to its seal: one that cannot be written
            // now is written before the next event (or by `write_due_seal`).
            let _ = self.write_due_seal();
        }
        Ok(event)
    }

    /// From now on, seals every sealable event with this key; first the one a crash left
    /// unsealed at the end of the log, if any (that seal is written now: a failure is tried
    /// again before the next event).
    pub fn seal_with(&mut self, sealer: Arc<Sealer>) {
        self.sealer = Some(sealer);
        let _ = self.write_due_seal();
    }

    /// Writes the seal still due, if its line is still the last one.
    pub fn write_due_seal(&mut self) -> Result<(), LogError> {
        let (Some(sealer), Some((seq, head))) = (&self.sealer, &self.seal_due) else {
            return Ok(());
        };
        if head != self.file.last_hash() {
            self.seal_due = None;
            return Ok(());
        }
        let kind = EventKind::Sealed {
            key: sealer.key_id().to_owned(),
            head: head.clone(),
            sig: sealer.sign(&self.visit_id.to_string(), *seq, head),
        };
        let at = format_at(&Local::now());
        let body = Event::body_for(self.next_seq, &at, self.ms_now(), &kind)?;
        self.file.append(&body)?;
        self.next_seq += 1;
        self.seal_due = None;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    pub fn visit_id(&self) -> Ulid {
        self.visit_id
    }

    /// Hash of the last line written: what a review records as `visit_hash`.
    pub fn last_hash(&self) -> &str {
        self.file.last_hash()
    }

    /// The `seq` the next appended event gets.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// True once the visit is finished or abandoned: only amendments can follow.
    pub fn is_closed(&self) -> bool {
        self.closed_by.is_some()
    }

    fn ms_now(&self) -> u64 {
        let elapsed = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.base_ms.saturating_add(elapsed)
    }
}
