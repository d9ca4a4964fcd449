//! The index of unfinished visits: one small JSON file per open visit in `<data>/open/`.
//! It is a cache for the home screen — the log is the record — so it is rewritten freely
//! (atomically, without fsync) and a missing or stale entry harms nothing.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::layout::{is_month, is_visit_id, open_dir, visit_logs, visits_dir};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenVisit {
    pub visit: String,
    pub path: PathBuf,
    pub checklist_id: String,
    /// The checklist's title as written (text or language map).
    pub title: serde_json::Value,
    pub started_at: String,
    #[serde(default)]
    pub work_order: Option<String>,
    /// How the visit is named (SPEC section 4); empty in entries of older versions.
    #[serde(default)]
    pub name: String,
    pub answered: usize,
    pub required: usize,
    /// The log's length when this entry was written. A log that has grown since (the
    /// program was killed mid-visit) is read again, so home shows its true progress.
    #[serde(default)]
    pub log_bytes: u64,
}

impl OpenVisit {
    /// The title in the UI language, falling back to any.
    pub fn title_in(&self, lang: &str) -> String {
        title_in(&self.title, &self.checklist_id, lang)
    }
}

/// A checklist title stored as written (text or language map) in the UI language, falling
/// back to the same primary language, then any, then `fallback`.
pub fn title_in(title: &serde_json::Value, fallback: &str, lang: &str) -> String {
    match title {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(map) => map
            .get(lang)
            .or_else(|| {
                let primary = lang.split('-').next().unwrap_or(lang);
                map.iter()
                    .find(|(k, _)| k.starts_with(primary))
                    .map(|(_, v)| v)
            })
            .or_else(|| map.values().next())
            .and_then(|v| v.as_str())
            .unwrap_or(fallback)
            .to_owned(),
        _ => fallback.to_owned(),
    }
}

fn entry_path(data: &Path, visit: &str) -> Option<PathBuf> {
    is_visit_id(visit).then(|| open_dir(data).join(format!("{visit}.json")))
}

/// Records (or refreshes) an open visit.
pub fn put(data: &Path, entry: &OpenVisit) -> std::io::Result<()> {
    let Some(path) = entry_path(data, &entry.visit) else {
        return Ok(());
    };
    std::fs::create_dir_all(open_dir(data))?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(
        &tmp,
        serde_json::to_vec(entry).map_err(std::io::Error::other)?,
    )?;
    std::fs::rename(tmp, path)
}

/// Forgets a visit that was finished or abandoned.
pub fn remove(data: &Path, visit: &str) {
    if let Some(path) = entry_path(data, visit) {
        let _ = std::fs::remove_file(path);
    }
}

/// Every open visit, newest first. Unreadable entries are skipped: they are only a cache.
pub fn list(data: &Path) -> Vec<OpenVisit> {
    let Ok(entries) = std::fs::read_dir(open_dir(data)) else {
        return Vec::new();
    };
    let mut open: Vec<OpenVisit> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter_map(|bytes| serde_json::from_slice::<OpenVisit>(&bytes).ok())
        .filter(|v| is_visit_id(&v.visit))
        .filter_map(|mut v| {
            v.path = log_in(data, &v)?;
            Some(v)
        })
        .collect();
    for entry in &mut open {
        if refresh_if_stale(entry) {
            // Written back, so that the log is read again only when it grows again.
            let _ = put(data, entry);
        }
    }
    open.sort_by(|a, b| b.visit.cmp(&a.visit));
    open
}

/// The visit's log in this data folder. The entry's own path is never trusted: a data
/// folder copied or moved elsewhere holds entries naming the old place, and following them
/// would write into another store. Only its month folder's name is taken, as a hint.
fn log_in(data: &Path, entry: &OpenVisit) -> Option<PathBuf> {
    let file = format!("{}.jsonl", entry.visit);
    let month = entry
        .path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|m| m.to_str())
        .filter(|m| is_month(m));
    if let Some(month) = month {
        let path = visits_dir(data).join(month).join(&file);
        if path.is_file() {
            return Some(path);
        }
    }
    visit_logs(data)
        .into_iter()
        .find(|(id, _)| *id == entry.visit)
        .map(|(_, path)| path)
}

/// Re-reads the progress and name of a visit whose log is not the length its entry saw;
/// true when the entry changed.
fn refresh_if_stale(entry: &mut OpenVisit) -> bool {
    let current = std::fs::metadata(&entry.path).map_or(0, |m| m.len());
    if current == entry.log_bytes && !entry.name.is_empty() {
        return false;
    }
    let Ok(visit) = super::read::load_visit(&entry.path) else {
        return false;
    };
    entry.answered = visit.eval.required_answered;
    entry.required = visit.eval.required;
    entry.work_order = visit.state.field_text("work_order");
    entry.name = name_of(&visit.checklist, &visit.state);
    entry.log_bytes = current;
    true
}

/// The visit's name from its checklist and state.
pub fn name_of(
    checklist: &crate::checklist::Checklist,
    state: &crate::visit::VisitState,
) -> String {
    crate::visit::visit_name(
        &checklist.visit_fields,
        |id| state.fields.get(id).and_then(|v| v.as_str()),
        &state.started_at,
    )
}
