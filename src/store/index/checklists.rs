//! The checklists that visits embed, each distinct source parsed once however many visits
//! carry it (100,000 visits usually share a handful of checklist versions).
//!
//! Shared between the threads that read logs; a source is known by its own sha256, computed
//! here, not by the one the log claims (a hand-edited log could claim any).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::checklist::{Text, parse_recorded, sha256_hex};

use super::summary::ChecklistInfo;

#[derive(Debug, Default)]
struct Maps {
    /// By the sha256 a log recorded: sources that were recorded with it (normally one).
    by_recorded: HashMap<String, Vec<Arc<ChecklistInfo>>>,
    /// By the source's own sha256.
    by_actual: HashMap<String, Arc<ChecklistInfo>>,
    /// By the sha256 a log recorded: the source as raw JSON text (quotes, escapes), as the
    /// quick reader finds it, so a known source is recognised without unescaping it.
    by_raw: HashMap<String, Vec<RawEntry>>,
    /// Every entry of `by_raw`, for the quick reader to look for in a log's first line.
    known: Arc<Vec<KnownSource>>,
}

/// A source as raw JSON text, and its checklist.
type RawEntry = (Arc<str>, Arc<ChecklistInfo>);

/// A checklist source met before: the JSON string literal a log embeds it as (quotes and
/// escapes included), the sha256 that log recorded for it, and its checklist.
#[derive(Clone, Debug)]
pub struct KnownSource {
    pub recorded_sha256: String,
    pub raw: Arc<str>,
    pub info: Arc<ChecklistInfo>,
}

/// The set of checklists met while reading a store.
#[derive(Debug, Default)]
pub struct ChecklistSet {
    maps: Mutex<Maps>,
}

impl ChecklistSet {
    pub fn new() -> ChecklistSet {
        ChecklistSet::default()
    }

    /// The checklist of a visit whose `started` event records `source` with `recorded_sha`
    /// (and `id`, `version`, used as its name when the source does not load).
    pub fn get_or_parse(
        &self,
        recorded_sha: &str,
        id: &str,
        version: &str,
        source: &str,
    ) -> Arc<ChecklistInfo> {
        if let Some(info) = self.lookup(recorded_sha, source) {
            return info;
        }
        // Parsed outside the lock so other threads go on reading; two threads meeting the same
        // new source at once both parse it, and the first one's result is kept.
        let actual = sha256_hex(source.as_bytes());
        let known = self.with_maps(|maps| maps.by_actual.get(&actual).cloned());
        let entry = known.unwrap_or_else(|| Arc::new(parse(&actual, id, version, source)));
        self.with_maps(|maps| {
            let entry = maps
                .by_actual
                .entry(actual.clone())
                .or_insert(entry)
                .clone();
            let recorded = maps.by_recorded.entry(recorded_sha.to_owned()).or_default();
            if !recorded.iter().any(|e| Arc::ptr_eq(e, &entry)) {
                recorded.push(entry.clone());
            }
            entry
        })
    }

    /// Like `get_or_parse`, with the source as a raw JSON string literal (`"sitecheck: 1\n…"`);
    /// `None` when it is not one.
    pub fn get_or_parse_raw(
        &self,
        recorded_sha: &str,
        id: &str,
        version: &str,
        raw_source: &str,
    ) -> Option<Arc<ChecklistInfo>> {
        let known = self.with_maps(|maps| {
            maps.by_raw
                .get(recorded_sha)?
                .iter()
                .find(|(raw, _)| &**raw == raw_source)
                .map(|(_, info)| info.clone())
        });
        if known.is_some() {
            return known;
        }
        let source: String = serde_json::from_str(raw_source).ok()?;
        let info = self.get_or_parse(recorded_sha, id, version, &source);
        self.with_maps(|maps| {
            let raws = maps.by_raw.entry(recorded_sha.to_owned()).or_default();
            if !raws.iter().any(|(raw, _)| &**raw == raw_source) {
                let raw: Arc<str> = raw_source.into();
                raws.push((raw.clone(), info.clone()));
                let mut known = Vec::clone(&maps.known);
                known.push(KnownSource {
                    recorded_sha256: recorded_sha.to_owned(),
                    raw,
                    info: info.clone(),
                });
                maps.known = Arc::new(known);
            }
        });
        Some(info)
    }

    /// The sources met so far as logs embed them, for `fast::read_clean` to recognise.
    pub fn known_sources(&self) -> Arc<Vec<KnownSource>> {
        self.with_maps(|maps| maps.known.clone())
    }

    /// A checklist by its own sha256 (`VisitSummary::checklist_sha256`).
    pub fn get(&self, sha256: &str) -> Option<Arc<ChecklistInfo>> {
        self.with_maps(|maps| maps.by_actual.get(sha256).cloned())
    }

    /// Every distinct checklist met.
    pub fn all(&self) -> Vec<Arc<ChecklistInfo>> {
        self.with_maps(|maps| maps.by_actual.values().cloned().collect())
    }

    /// Adds a source known by its sha256 (from the summary cache); `None` when the sha256
    /// is not the source's.
    pub fn insert_source(&self, sha256: &str, source: &str) -> Option<Arc<ChecklistInfo>> {
        if let Some(known) = self.get(sha256) {
            return Some(known);
        }
        (sha256_hex(source.as_bytes()) == sha256).then(|| self.get_or_parse(sha256, "", "", source))
    }

    fn lookup(&self, recorded_sha: &str, source: &str) -> Option<Arc<ChecklistInfo>> {
        self.with_maps(|maps| {
            maps.by_recorded
                .get(recorded_sha)?
                .iter()
                .find(|info| info.source.as_deref() == Some(source))
                .cloned()
        })
    }

    fn with_maps<T>(&self, f: impl FnOnce(&mut Maps) -> T) -> T {
        // A panic elsewhere while holding the lock leaves the maps consistent (every change is
        // one insert), so a poisoned lock is used as it is.
        let mut maps = self.maps.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut maps)
    }
}

fn parse(actual_sha: &str, id: &str, version: &str, source: &str) -> ChecklistInfo {
    // As the visit recorded it: what an earlier version accepted still loads.
    let parsed = parse_recorded(source);
    match parsed.checklist {
        Some(checklist) => ChecklistInfo {
            id: checklist.id.clone(),
            version: checklist.version.clone(),
            sha256: actual_sha.to_owned(),
            title: checklist.title.clone(),
            checklist: Some(Arc::new(checklist)),
            source: Some(Arc::from(source)),
            problem: None,
        },
        None => ChecklistInfo {
            id: id.to_owned(),
            version: version.to_owned(),
            sha256: actual_sha.to_owned(),
            title: Text::plain(id),
            checklist: None,
            source: Some(Arc::from(source)),
            problem: Some(format!(
                "the checklist recorded in the visit does not load: {}",
                parsed
                    .problems
                    .first()
                    .map_or_else(String::new, |p| format!("{}: {}", p.pos, p.message))
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::library::BUNDLED;

    #[test]
    fn each_source_is_parsed_once_and_known_by_its_own_hash() {
        let set = ChecklistSet::new();
        let source = BUNDLED[0].1;
        let sha = sha256_hex(source.as_bytes());
        let a = set.get_or_parse(&sha, "x", "1", source);
        let b = set.get_or_parse(&sha, "x", "1", source);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.checklist.is_some() && a.problem.is_none());
        // A log claiming another hash for the same source gets the same checklist.
        let c = set.get_or_parse(&"0".repeat(64), "x", "1", source);
        assert!(Arc::ptr_eq(&a, &c));
        assert_eq!(set.get(&sha).map(|i| i.id.clone()), Some(a.id.clone()));
        // A different source under a hash already seen is not mistaken for it.
        let d = set.get_or_parse(&sha, "broken", "9", "sitecheck: 1\n");
        assert!(!Arc::ptr_eq(&a, &d));
        assert!(d.checklist.is_none() && d.problem.is_some());
        assert_eq!(d.id, "broken");
        assert_eq!(set.all().len(), 2);
    }
}
