//! An open visit on the technician's laptop: its checklist, its current answers, and the
//! writer that makes every change durable before the screen calls it saved.
//!
//! Changes queue as events; each is appended, flushed and fsync'd in order. If the disk
//! refuses (full, read-only medium) the change stays queued, shown as unsaved, and is
//! retried — nothing already written is touched.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::checklist::Checklist;
use crate::log::{ChecklistRef, Event, EventKind, StartInfo, Summary, Torn, VisitWriter};
use crate::store::index::checklists::ChecklistSet;
use crate::store::index::summarize::{Loaded, load};
use crate::visit::{AnswerValue, Evaluation, Status, VisitState, evaluate};

use super::open_index::{self, OpenVisit};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("{0}")]
    Log(String),
    #[error("{path}: error: the checklist recorded in this visit cannot be read: {message}")]
    Checklist { path: PathBuf, message: String },
    #[error("{0}: error: this file is not a visit log (its first line is not a `started` event)")]
    NotAVisit(PathBuf),
    #[error(
        "{}:{line}: error: the visit log is damaged ({message}); nothing is added to it — `sitecheck verify` names every problem",
        path.display()
    )]
    Damaged {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Why an amendment is refused (nothing is written).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmendRefused {
    #[error("only a finished visit is amended")]
    NotClosed,
    #[error("who is amending is not known: give --technician NAME")]
    NoTechnician,
    #[error("this visit is {owner}'s: only {owner} may amend it")]
    OtherTechnician { owner: String },
}

/// Why a file was not attached (or taken off): nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("this checklist has no item \"{0}\"")]
    NoSuchItem(String),
    #[error("\"{0}\" takes no evidence (evidence: never)")]
    TakesNone(String),
    #[error("\"{0}\" has no such attachment")]
    NotAttached(String),
    #[error("a finished visit changes only with a reason: give one")]
    NoReason,
    #[error(transparent)]
    Refused(#[from] AmendRefused),
    #[error(transparent)]
    Evidence(#[from] super::evidence::EvidenceError),
}

/// Who changes a closed visit's evidence, and why (an amendment).
#[derive(Clone, Copy, Debug)]
pub struct Amending<'a> {
    pub technician: Option<&'a str>,
    pub reason: &'a str,
}

pub struct Session {
    pub checklist: Checklist,
    /// What the log holds.
    durable: VisitState,
    /// The log plus changes still waiting to be written: what the screen shows.
    pub view: VisitState,
    pub eval: Evaluation,
    writer: VisitWriter,
    pending: VecDeque<EventKind>,
    pub write_error: Option<String>,
    /// The seq of the last event known to be on disk.
    pub last_saved_seq: u64,
    data_dir: PathBuf,
    /// Torn bytes found (and moved aside) when the visit was resumed.
    pub torn: Option<Torn>,
    /// The receipt code of the last `finished` or `amended` line written in this session:
    /// for the customer's work order.
    pub last_receipt: Option<String>,
}

/// Who is starting a visit, and on what.
pub struct StartParams<'a> {
    pub data_dir: &'a Path,
    pub checklist: Checklist,
    pub technician: &'a str,
    pub lang: &'a str,
    pub fields: Map<String, Value>,
}

impl Session {
    pub fn start(params: StartParams) -> Result<Session, SessionError> {
        let StartParams {
            data_dir,
            checklist,
            technician,
            lang,
            fields,
        } = params;
        let info = StartInfo {
            technician: technician.to_owned(),
            host: host_name(),
            app: format!("sitecheck {}", env!("CARGO_PKG_VERSION")),
            lang: lang.to_owned(),
            checklist: ChecklistRef {
                id: checklist.id.clone(),
                version: checklist.version.clone(),
                sha256: checklist.sha256.clone(),
                source: checklist.source.clone(),
            },
            fields,
        };
        let (writer, started) = VisitWriter::create(data_dir, ulid::Ulid::new(), info)
            .map_err(|e| SessionError::Log(e.to_string()))?;
        let durable = VisitState::from_started(&started)
            .ok_or_else(|| SessionError::NotAVisit(writer.path().into()))?;
        let session = Session::assemble(checklist, durable, writer, data_dir, None, started.seq);
        session.refresh_index();
        Ok(session)
    }

    /// Opens an existing visit to carry on with it (or, when closed, to amend it). The log
    /// is read by the one loader first: a log every other reader calls damaged is not
    /// written to (a torn last line is not damage: it is moved aside).
    pub fn resume(data_dir: &Path, path: &Path) -> Result<Session, SessionError> {
        let mut session = Session::open(data_dir, path)?;
        session.mark_resumed();
        Ok(session)
    }

    /// Says in the log that work on an open visit goes on (`resumed`).
    pub fn mark_resumed(&mut self) {
        if self.view.status.is_open() {
            self.push(EventKind::Resumed);
        }
    }

    /// Opens an existing visit as `resume` does, without writing anything yet: for a
    /// command that may still refuse (then nothing at all is recorded).
    pub fn open(data_dir: &Path, path: &Path) -> Result<Session, SessionError> {
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let bytes = crate::log::reader::read_bounded(path).map_err(|e| {
            SessionError::Log(format!("{}: error: cannot read: {e}", path.display()))
        })?;
        let loaded = match load(&bytes, &id, &ChecklistSet::default()) {
            Loaded::Visit(log) => log,
            Loaded::NotAVisit { .. } => return Err(SessionError::NotAVisit(path.into())),
        };
        if let Some(problem) = loaded.integrity.problems.first() {
            return Err(SessionError::Damaged {
                path: path.into(),
                line: problem.line,
                message: problem.message.clone(),
            });
        }
        let Some(checklist) = loaded.checklist.checklist.clone() else {
            return Err(SessionError::Checklist {
                path: path.into(),
                message: loaded.checklist.problem.clone().unwrap_or_default(),
            });
        };
        let (writer, events, torn) =
            VisitWriter::open(path).map_err(|e| SessionError::Log(e.to_string()))?;
        let checklist = Checklist::clone(&checklist);
        // The state the loader replayed: the one every reader sees.
        let durable = loaded.state;
        let last_seq = events.last().map_or(0, |e| e.seq);
        Ok(Session::assemble(
            checklist, durable, writer, data_dir, torn, last_seq,
        ))
    }

    fn assemble(
        checklist: Checklist,
        durable: VisitState,
        writer: VisitWriter,
        data_dir: &Path,
        torn: Option<Torn>,
        last_saved_seq: u64,
    ) -> Session {
        let eval = evaluate(&checklist, &durable.answers);
        Session {
            view: durable.clone(),
            durable,
            eval,
            checklist,
            writer,
            pending: VecDeque::new(),
            write_error: None,
            last_saved_seq,
            data_dir: data_dir.to_path_buf(),
            torn,
            last_receipt: None,
        }
    }

    pub fn path(&self) -> &Path {
        self.writer.path()
    }

    /// The data folder the visit is kept in (its evidence files are there, by hash).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn visit_id(&self) -> &str {
        &self.view.visit
    }

    /// Finished and abandoned visits change only through amendments.
    pub fn is_read_only(&self) -> bool {
        !self.view.status.is_open()
    }

    /// Everything shown is on disk.
    pub fn all_saved(&self) -> bool {
        self.pending.is_empty()
    }

    /// Whether the change to this item is still waiting to be written.
    pub fn is_unsaved(&self, item: &str) -> bool {
        self.pending
            .iter()
            .any(|kind| event_item(kind) == Some(item))
    }

    pub fn answer(&mut self, item: &str, value: AnswerValue) {
        self.push(EventKind::Answered {
            item: item.to_owned(),
            value: value.to_json(),
            note: None,
        });
    }

    pub fn clear(&mut self, item: &str) {
        if self
            .view
            .answers
            .get(item)
            .is_some_and(|s| s.value.is_some())
        {
            self.push(EventKind::Cleared {
                item: item.to_owned(),
            });
        }
    }

    pub fn note(&mut self, item: &str, note: &str) {
        let current = self
            .view
            .answers
            .get(item)
            .and_then(|s| s.note.as_deref())
            .unwrap_or("");
        if current != note {
            self.push(EventKind::Noted {
                item: item.to_owned(),
                note: note.to_owned(),
            });
        }
    }

    pub fn set_fields(&mut self, fields: Map<String, Value>) {
        let changed: Map<String, Value> = fields
            .into_iter()
            .filter(|(k, v)| self.view.fields.get(k) != Some(v))
            .collect();
        if !changed.is_empty() {
            self.push(EventKind::Fields { fields: changed });
        }
    }

    /// Seals this visit's finished, abandoned, amended and paused lines with `sealer`.
    pub fn seal_with(&mut self, sealer: std::sync::Arc<crate::log::seal::Sealer>) {
        self.writer.seal_with(sealer);
    }

    /// Finishes the visit; refused (returning false) while anything required is missing.
    pub fn finish(&mut self) -> bool {
        if self.is_read_only() || !self.eval.can_finish() {
            return false;
        }
        let summary = Summary {
            score: self.eval.score.map(|s| (s * 10_000.0).round() / 10_000.0),
            result: self.eval.result.name().to_owned(),
            passed: self.eval.passed as u32,
            failed: self.eval.failed as u32,
            na: self.eval.na as u32,
            missing: self.eval.missing_count() as u32,
        };
        self.push(EventKind::Finished { summary });
        true
    }

    /// Whether `technician` (the one using sitecheck now) may amend this visit: only its
    /// own technician does (SPEC section 5). `answering` is for the answer to the
    /// supervisor's general comment, which an abandoned visit may give too; answers change
    /// only on a finished visit.
    pub fn may_amend(&self, technician: Option<&str>, answering: bool) -> Result<(), AmendRefused> {
        match (&self.view.status, answering) {
            (Status::Finished { .. }, _) | (Status::Abandoned { .. }, true) => {}
            _ => return Err(AmendRefused::NotClosed),
        }
        let Some(technician) = technician.filter(|t| !t.trim().is_empty()) else {
            return Err(AmendRefused::NoTechnician);
        };
        if !crate::visit::same_technician(technician, &self.view.technician) {
            return Err(AmendRefused::OtherTechnician {
                owner: self.view.technician.clone(),
            });
        }
        Ok(())
    }

    /// Changes an answer of a finished visit (and its note, when `note` is given), with the
    /// reason (a supervisor's follow-up), naming `technician` and this laptop as its maker.
    /// Refused, with nothing written, for anyone but the visit's own technician.
    pub fn amend(
        &mut self,
        technician: Option<&str>,
        item: &str,
        value: AnswerValue,
        note: Option<String>,
        reason: &str,
    ) -> Result<(), AmendRefused> {
        self.may_amend(technician, false)?;
        self.push(EventKind::Amended {
            item: Some(item.to_owned()),
            value: value.to_json(),
            note,
            reason: reason.to_owned(),
            technician: technician.map(str::to_owned),
            host: Some(host_name()),
        });
        Ok(())
    }

    /// Answers the supervisor's general comment on a closed visit: an amendment without an
    /// item (`"item":null`, `"value":null`), the answer in its `reason`.
    pub fn answer_follow_up(
        &mut self,
        technician: Option<&str>,
        answer: &str,
    ) -> Result<(), AmendRefused> {
        self.may_amend(technician, true)?;
        self.push(EventKind::Amended {
            item: None,
            value: Value::Null,
            note: None,
            reason: answer.to_owned(),
            technician: technician.map(str::to_owned),
            host: Some(host_name()),
        });
        Ok(())
    }

    /// Copies `source` into the store (durably, by hash) and attaches it to `item`. On a
    /// closed visit it is an amendment: `amending` says who and why, and only the visit's
    /// own technician may. Nothing is written when the file is refused.
    pub fn attach(
        &mut self,
        item: &str,
        source: &Path,
        amending: Option<Amending>,
    ) -> Result<super::evidence::Stored, AttachError> {
        let (max_bytes, (reason, technician, host)) = self.attachable(item, amending)?;
        let stored = super::evidence::copy_in(&self.data_dir, source, max_bytes)?;
        self.push(EventKind::Attached {
            item: item.to_owned(),
            sha256: stored.sha256.clone(),
            size: stored.size,
            media_type: stored.media_type.clone(),
            name: stored.name.clone(),
            reason,
            technician,
            host,
        });
        Ok(stored)
    }

    /// Takes an attachment off `item` (the file stays in the store); on a closed visit an
    /// amendment, as for `attach`.
    pub fn detach(
        &mut self,
        item: &str,
        sha256: &str,
        amending: Option<Amending>,
    ) -> Result<(), AttachError> {
        let attached = self
            .view
            .answers
            .get(item)
            .is_some_and(|s| s.evidence.iter().any(|a| a.sha256 == sha256));
        if !attached {
            return Err(AttachError::NotAttached(item.to_owned()));
        }
        let (reason, technician, host) = self.amendment_members(amending)?;
        self.push(EventKind::Detached {
            item: item.to_owned(),
            sha256: sha256.to_owned(),
            reason,
            technician,
            host,
        });
        Ok(())
    }

    /// Whether `item` may be given a file now (by `amending`, on a closed visit): the largest
    /// file it takes, and the members its `attached` line will carry. Nothing is written.
    #[allow(clippy::type_complexity)]
    pub fn attachable(
        &self,
        item: &str,
        amending: Option<Amending>,
    ) -> Result<(u64, (Option<String>, Option<String>, Option<String>)), AttachError> {
        let definition = self
            .checklist
            .item(item)
            .ok_or_else(|| AttachError::NoSuchItem(item.to_owned()))?;
        if definition.evidence == crate::checklist::EvidencePolicy::Never {
            return Err(AttachError::TakesNone(item.to_owned()));
        }
        let members = self.amendment_members(amending)?;
        Ok((definition.evidence_max_bytes(), members))
    }

    /// The `reason`, `technician` and `host` members of an evidence change: none on an
    /// open visit; on a closed one, those of an amendment, checked as `amend` checks them.
    #[allow(clippy::type_complexity)]
    fn amendment_members(
        &self,
        amending: Option<Amending>,
    ) -> Result<(Option<String>, Option<String>, Option<String>), AttachError> {
        if !self.is_read_only() {
            return Ok((None, None, None));
        }
        let amending = amending.ok_or(AttachError::NoReason)?;
        self.may_amend(amending.technician, false)?;
        if amending.reason.trim().is_empty() {
            return Err(AttachError::NoReason);
        }
        Ok((
            Some(amending.reason.to_owned()),
            amending.technician.map(str::to_owned),
            Some(host_name()),
        ))
    }

    pub fn abandon(&mut self, reason: &str) {
        if !self.is_read_only() {
            self.push(EventKind::Abandoned {
                reason: reason.to_owned(),
            });
        }
    }

    /// Leaving the screen: the visit stays open to resume.
    pub fn pause(&mut self) {
        if !self.is_read_only() {
            self.push(EventKind::Paused);
        }
        self.refresh_index();
    }

    /// Queues a change, shows it, and tries to write everything queued.
    fn push(&mut self, kind: EventKind) {
        // With nothing waiting, the view is the log's state, so the events written now are
        // applied to it as to the log's: copying the whole state and replaying the queue
        // was most of an answer's time besides the fsync (SPEC section 8).
        let in_step = self.pending.is_empty();
        self.pending.push_back(kind);
        let written = self.write_pending();
        if in_step && self.pending.is_empty() {
            for event in &written {
                self.view.apply(&self.checklist, event);
            }
            self.eval = evaluate(&self.checklist, &self.view.answers);
        } else {
            self.rebuild_view();
        }
    }

    /// Writes queued changes in order; stops at the first failure and keeps the rest.
    pub fn flush(&mut self) {
        self.write_pending();
    }

    /// `flush`, returning the events written.
    fn write_pending(&mut self) -> Vec<Event> {
        let closed_before = self.is_durably_closed();
        let mut written = Vec::new();
        while let Some(kind) = self.pending.front() {
            match self.writer.append(kind.clone()) {
                Ok(event) => {
                    if matches!(event.kind, EventKind::Finished { .. }) || event.kind.is_amendment()
                    {
                        self.last_receipt = crate::log::receipt::receipt_code(&event.hash);
                    }
                    self.durable.apply(&self.checklist, &event);
                    self.last_saved_seq = event.seq;
                    self.pending.pop_front();
                    self.write_error = None;
                    written.push(event);
                }
                Err(err) => {
                    self.write_error = Some(err.to_string());
                    break;
                }
            }
        }
        if !closed_before && self.is_durably_closed() {
            open_index::remove(&self.data_dir, &self.durable.visit);
        }
        written
    }

    fn is_durably_closed(&self) -> bool {
        !self.durable.status.is_open()
    }

    /// Retries queued changes (called on a timer while any are waiting).
    pub fn retry(&mut self) {
        if !self.pending.is_empty() {
            self.flush();
            self.rebuild_view();
        }
    }

    fn rebuild_view(&mut self) {
        let mut view = self.durable.clone();
        for kind in &self.pending {
            // Not yet written: applied with provisional times so the screen can show it.
            let event = Event {
                seq: 0,
                at: view.last_at.clone(),
                ms: view.last_ms,
                kind: kind.clone(),
                hash: String::new(),
            };
            view.apply(&self.checklist, &event);
        }
        self.view = view;
        self.eval = evaluate(&self.checklist, &self.view.answers);
    }

    /// Refreshes this visit's entry in the home screen's index of open visits.
    pub fn refresh_index(&self) {
        if self.is_durably_closed() {
            open_index::remove(&self.data_dir, &self.durable.visit);
            return;
        }
        let durable_eval = evaluate(&self.checklist, &self.durable.answers);
        let entry = OpenVisit {
            visit: self.durable.visit.clone(),
            path: self.path().to_path_buf(),
            checklist_id: self.checklist.id.clone(),
            title: serde_json::to_value(&self.checklist.title).unwrap_or(Value::Null),
            started_at: self.durable.started_at.clone(),
            work_order: self.durable.field_text("work_order"),
            name: open_index::name_of(&self.checklist, &self.durable),
            // Progress as the log holds it, with the log's length to tell when it grew since.
            answered: durable_eval.required_answered,
            required: durable_eval.required,
            log_bytes: std::fs::metadata(self.path()).map_or(0, |m| m.len()),
        };
        // The index is a convenience; failing to write it must not stop the visit.
        let _ = open_index::put(&self.data_dir, &entry);
    }

    pub fn status(&self) -> &Status {
        &self.view.status
    }
}

fn event_item(kind: &EventKind) -> Option<&str> {
    match kind {
        EventKind::Answered { item, .. }
        | EventKind::Noted { item, .. }
        | EventKind::Cleared { item }
        | EventKind::Attached { item, .. }
        | EventKind::Detached { item, .. }
        | EventKind::Amended {
            item: Some(item), ..
        } => Some(item),
        _ => None,
    }
}

/// The laptop's name, recorded with each visit so logs from many laptops can be told apart.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_owned())
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::Library;
    use crate::log::reader::read_log;

    /// The view is kept up to date event by event; it must be what replaying the log gives.
    #[test]
    fn view_matches_the_log_after_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let checklist = Library::default()
            .find("appliance-install")
            .unwrap()
            .checklist;
        let mut session = Session::start(StartParams {
            data_dir: dir.path(),
            checklist: checklist.clone(),
            technician: "zhang.san",
            lang: "en",
            fields: Map::new(),
        })
        .unwrap();
        let check = |session: &Session| {
            let log = read_log(session.path()).unwrap();
            let replayed = crate::visit::replay(&checklist, &log.events).unwrap();
            assert_eq!(session.view, replayed);
            assert_eq!(session.eval, evaluate(&checklist, &replayed.answers));
        };
        session.answer("badge", AnswerValue::Fail);
        check(&session);
        session.note("badge", "forgot it in the van");
        session.answer("arrived_on_time", AnswerValue::No);
        check(&session);
        session.answer("minutes_late", AnswerValue::Number(20.0));
        session.clear("arrived_on_time");
        check(&session);
        assert!(!session.eval.items.is_empty());
        session.pause();
        check(&session);
    }
}
