//! Where things live in a data folder (SPEC section 5):
//! `visits/<YYYY-MM>/<visit-id>.jsonl`, `reviews/<visit-id>.jsonl`, and `open/<visit-id>.json`
//! (a small index of unfinished visits so the home screen never reads a log).

use std::path::{Path, PathBuf};

pub fn visits_dir(data: &Path) -> PathBuf {
    data.join("visits")
}

pub fn reviews_dir(data: &Path) -> PathBuf {
    data.join("reviews")
}

pub fn open_dir(data: &Path) -> PathBuf {
    data.join("open")
}

pub fn review_path(data: &Path, visit_id: &str) -> Option<PathBuf> {
    is_visit_id(visit_id).then(|| reviews_dir(data).join(format!("{visit_id}.jsonl")))
}

pub use crate::log::is_visit_id;

/// Every visit log of a store, as (visit id, path), sorted by id (which is by start time).
pub fn visit_logs(data: &Path) -> Vec<(String, PathBuf)> {
    let mut logs = Vec::new();
    let Ok(months) = std::fs::read_dir(visits_dir(data)) else {
        return logs;
    };
    for month in months.flatten() {
        let Ok(files) = std::fs::read_dir(month.path()) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if let Some(id) = name.strip_suffix(".jsonl")
                && is_visit_id(id)
            {
                logs.push((id.to_owned(), path));
            }
        }
    }
    logs.sort();
    logs
}

#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error("error: no visit \"{0}\" in {1} — `sitecheck list` shows the visits")]
    NotFound(String, PathBuf),
    #[error("error: \"{0}\" matches several visits ({1}) — give more of the id")]
    Ambiguous(String, String),
}

/// A visit's log by its id or a unique beginning of it (case-insensitive).
pub fn find_visit(data: &Path, wanted: &str) -> Result<(String, PathBuf), FindError> {
    let wanted_upper = wanted.trim().to_ascii_uppercase();
    let matches: Vec<(String, PathBuf)> = if wanted_upper.is_empty() {
        Vec::new()
    } else {
        visit_logs(data)
            .into_iter()
            .filter(|(id, _)| id.starts_with(&wanted_upper))
            .collect()
    };
    match matches.len() {
        0 => Err(FindError::NotFound(wanted.to_owned(), data.to_path_buf())),
        1 => Ok(matches
            .into_iter()
            .next()
            .ok_or_else(|| FindError::NotFound(wanted.into(), data.into()))?),
        _ => {
            if let Some(exact) = matches.iter().find(|(id, _)| *id == wanted_upper) {
                return Ok(exact.clone());
            }
            let ids: Vec<&str> = matches.iter().take(4).map(|(id, _)| id.as_str()).collect();
            Err(FindError::Ambiguous(wanted.to_owned(), ids.join(", ")))
        }
    }
}
