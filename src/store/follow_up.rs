//! Visits a supervisor sent back (for follow-up, or rejected), as the technician's home
//! screen lists them: only the current technician's own visits.
//!
//! The supervisor's latest look at a visit is the set of reviews made against one line of
//! its log (the `visit_hash` of the newest review). Unless its verdict is an approval, each
//! of its comments asks for something: a flagged item an amendment of that item, the
//! general comment an answer (an amendment without an item, SPEC section 6). Both must come
//! after the line reviewed. The visit stays listed until every comment has had its answer;
//! the next import then takes it back to the office, where the review shows as outdated.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::log::EventKind;
use crate::log::review::{Review, Verdict};
use crate::store::reviews::read_reviews;
use crate::visit::{Amendment, same_technician};

use super::index::checklists::ChecklistSet;
use super::index::summarize::{Loaded, LoadedLog, load};
use super::layout::{is_visit_id, reviews_dir, visit_logs};

/// A supervisor's comment on a returned visit; `item` when it flags one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpNote {
    pub item: Option<String>,
    pub comment: String,
    pub reviewer: String,
    pub at: String,
    pub verdict: Verdict,
    /// The technician has answered it since: amended the item, or answered the comment.
    pub answered: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Returned {
    pub visit: String,
    pub path: PathBuf,
    /// The checklist's title as written (text or language map).
    pub title: Value,
    pub work_order: Option<String>,
    /// How the visit is named (SPEC section 4).
    pub name: String,
    pub started_at: String,
    /// `FollowUp`, or `Rejected`.
    pub verdict: Verdict,
    /// The supervisor's comments, answered or not (at least one is not).
    pub notes: Vec<FollowUpNote>,
}

/// Every visit of `technician` in the store that a supervisor returned and that still
/// awaits an answer, newest first. Reads the (few) review logs, the first line of each
/// reviewed visit's log (whose technician it is), and whole only the technician's own.
/// Another technician's visits (an office folder imported onto a laptop) are never listed.
pub fn returned_visits(data: &Path, technician: &str) -> Vec<Returned> {
    let Ok(entries) = std::fs::read_dir(reviews_dir(data)) else {
        return Vec::new();
    };
    let ids: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".jsonl")
                .map(str::to_owned)
        })
        .filter(|id| is_visit_id(id))
        .collect();
    if ids.is_empty() {
        return Vec::new();
    }
    // By id: a supervisor's store has thousands of visits and reviews, and searching the
    // list per review took the home screen most of a second (scripts/bench.sh).
    let logs: HashMap<String, PathBuf> = visit_logs(data).into_iter().collect();
    let checklists = ChecklistSet::new();
    let mut returned: Vec<Returned> = ids
        .iter()
        .filter_map(|id| {
            let path = logs.get(id)?.clone();
            returned_visit(data, id, path, technician, &checklists)
        })
        .collect();
    returned.sort_by(|a, b| b.visit.cmp(&a.visit));
    returned
}

fn returned_visit(
    data: &Path,
    id: &str,
    path: PathBuf,
    technician: &str,
    checklists: &ChecklistSet,
) -> Option<Returned> {
    let reviews = read_reviews(data, id).ok()?.reviews;
    let (verdict, round) = latest_round(&reviews)?;
    if !same_technician(&started_by(&path)?, technician) {
        return None;
    }
    let bytes = crate::log::reader::read_bounded(&path).ok()?;
    let Loaded::Visit(log) = load(&bytes, id, checklists) else {
        return None;
    };
    let since = seq_of(&log, &round[0].visit_hash);
    let notes: Vec<FollowUpNote> = round
        .iter()
        .map(|r| FollowUpNote {
            item: r.item.clone(),
            comment: r.comment.clone(),
            reviewer: r.reviewer.clone(),
            at: r.at.clone(),
            verdict: r.verdict,
            answered: answered(&log.state.amendments, r.item.as_deref(), since),
        })
        .collect();
    if notes.iter().all(|n| n.answered) {
        return None;
    }
    let state = &log.state;
    let (title, fields) = match &log.checklist.checklist {
        Some(c) => (
            serde_json::to_value(&c.title).unwrap_or(Value::Null),
            c.visit_fields.as_slice(),
        ),
        None => (Value::from(log.checklist.id.clone()), &[][..]),
    };
    let name = crate::visit::visit_name(
        fields,
        |id| state.fields.get(id).and_then(Value::as_str),
        &state.started_at,
    );
    Some(Returned {
        name,
        visit: id.to_owned(),
        path,
        title,
        work_order: state.field_text("work_order"),
        started_at: state.started_at.clone(),
        verdict,
        notes,
    })
}

/// The supervisor's latest look: the reviews made against the line the newest review saw
/// that ask for something, and the verdict they return the visit with. `None` when that
/// look approved it (an approval after a follow-up settles it) or asks for nothing.
fn latest_round(reviews: &[Review]) -> Option<(Verdict, Vec<&Review>)> {
    let seen = &reviews.last()?.visit_hash;
    let round: Vec<&Review> = reviews.iter().filter(|r| &r.visit_hash == seen).collect();
    let verdict = round
        .iter()
        .rev()
        .find(|r| r.item.is_none())
        .map_or(Verdict::FollowUp, |r| r.verdict);
    if verdict == Verdict::Approved {
        return None;
    }
    let asking: Vec<&Review> = round
        .into_iter()
        .filter(|r| r.verdict != Verdict::Approved)
        .collect();
    (!asking.is_empty()).then_some((verdict, asking))
}

/// The seq of the log's line whose hash is `hash`; 0 when no line has it (a review of a
/// different log: every amendment then counts).
fn seq_of(log: &LoadedLog, hash: &str) -> u64 {
    log.events
        .iter()
        .find(|e| e.hash == hash)
        .map_or(0, |e| e.seq)
}

/// Whether an amendment after line `since` answers a comment on `item` (or, without an
/// item, the general comment).
fn answered(amendments: &[Amendment], item: Option<&str>, since: u64) -> bool {
    amendments
        .iter()
        .any(|a| a.seq > since && a.item.as_deref() == item)
}

/// The technician named by a log's first line (its `started` event).
fn started_by(path: &Path) -> Option<String> {
    let first = first_line(path)?;
    let event = crate::log::Event::from_line(&first).ok()?;
    let EventKind::Started { info, .. } = event.kind else {
        return None;
    };
    Some(info.technician)
}

/// The hash of a log's last line, read from the end of the file only.
pub fn last_line_hash(path: &Path) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    const TAIL: u64 = 80; // `,"hash":"<64 hex>"}\n` fits with room to spare.
    let mut file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    file.seek(SeekFrom::Start(len.saturating_sub(TAIL))).ok()?;
    let mut tail = String::new();
    file.read_to_string(&mut tail).ok()?;
    let end = tail.trim_end().strip_suffix("\"}")?;
    let hash = end.rsplit_once("\"hash\":\"")?.1;
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| hash.to_owned())
}

fn first_line(path: &Path) -> Option<String> {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(std::fs::File::open(path).ok()?)
        .read_line(&mut line)
        .ok()?;
    Some(line.trim_end().to_owned())
}
