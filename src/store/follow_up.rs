//! Visits a supervisor sent back for follow-up, as the technician's home screen lists them.
//!
//! A visit is returned while a `follow_up` review (of the visit or of one of its items) was
//! made against the visit's current last line: once the technician amends the visit, its
//! last line changes, the review is outdated, and the visit goes back for another review.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::log::EventKind;
use crate::log::review::Verdict;
use crate::store::reviews::read_reviews;

use super::layout::{is_visit_id, reviews_dir, visit_logs};

/// A supervisor's comment on a returned visit; `item` when it flags one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpNote {
    pub item: Option<String>,
    pub comment: String,
    pub reviewer: String,
    pub at: String,
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
    pub notes: Vec<FollowUpNote>,
}

/// Every visit of the store currently returned for follow-up, newest first. Reads only the
/// (few) review logs and, for those with a follow-up, the two ends of the visit's log.
pub fn returned_visits(data: &Path) -> Vec<Returned> {
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
    // By id, and each checklist's title once: a supervisor's store has thousands of visits
    // and reviews, and searching the list per review and parsing the checklist per returned
    // visit took the home screen most of a second (scripts/bench.sh).
    let logs: HashMap<String, PathBuf> = visit_logs(data).into_iter().collect();
    let mut titles = HashMap::new();
    let mut returned: Vec<Returned> = ids
        .iter()
        .filter_map(|id| {
            let path = logs.get(id)?.clone();
            returned_visit(data, id, path, &mut titles)
        })
        .collect();
    returned.sort_by(|a, b| b.visit.cmp(&a.visit));
    returned
}

/// A checklist's title as written and its header fields, kept once per checklist source.
type ChecklistHead = (Value, Vec<crate::checklist::Field>);

/// `titles` keeps each checklist's title and header fields by the sha256 of its source.
fn returned_visit(
    data: &Path,
    id: &str,
    path: PathBuf,
    titles: &mut HashMap<String, ChecklistHead>,
) -> Option<Returned> {
    let last_hash = last_line_hash(&path)?;
    let reviews = read_reviews(data, id).ok()?.reviews;
    let current: Vec<_> = reviews
        .iter()
        .filter(|r| r.visit_hash == last_hash)
        .collect();
    // A later approval or rejection of the same version settles it.
    let settled = current
        .iter()
        .rev()
        .find(|r| r.item.is_none())
        .is_some_and(|r| r.verdict != Verdict::FollowUp);
    let notes: Vec<FollowUpNote> = current
        .iter()
        .filter(|r| r.verdict == Verdict::FollowUp)
        .map(|r| FollowUpNote {
            item: r.item.clone(),
            comment: r.comment.clone(),
            reviewer: r.reviewer.clone(),
            at: r.at.clone(),
        })
        .collect();
    if settled || notes.is_empty() {
        return None;
    }
    let first = first_line(&path)?;
    let event = crate::log::Event::from_line(&first).ok()?;
    let EventKind::Started { info, .. } = event.kind else {
        return None;
    };
    let (title, fields) = titles
        .entry(info.checklist.sha256.clone())
        .or_insert_with(|| {
            match crate::checklist::parse_recorded(&info.checklist.source).checklist {
                Some(c) => (
                    serde_json::to_value(&c.title).unwrap_or(Value::Null),
                    c.visit_fields,
                ),
                None => (Value::from(info.checklist.id.clone()), Vec::new()),
            }
        })
        .clone();
    let name = crate::visit::visit_name(
        &fields,
        |id| info.fields.get(id).and_then(Value::as_str),
        &event.at,
    );
    Some(Returned {
        name,
        visit: id.to_owned(),
        path,
        title,
        work_order: info
            .fields
            .get("work_order")
            .and_then(Value::as_str)
            .map(str::to_owned),
        started_at: event.at,
        notes,
    })
}

/// The hash of a log's last line, read from the end of the file only.
pub fn last_line_hash(path: &Path) -> Option<String> {
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
