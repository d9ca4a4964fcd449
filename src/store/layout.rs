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

/// Whether `name` is a month folder's name, `YYYY-MM` in digits: the only names under
/// `visits/` ever built from what a log or an index entry says.
pub fn is_month(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() == 7
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// Every visit log of a store, as (visit id, path), sorted by id (which is by start time).
/// Folders that cannot be read are left out: for screens that only offer visits. Commands
/// that read the store use `visit_logs_checked`, which names them.
pub fn visit_logs(data: &Path) -> Vec<(String, PathBuf)> {
    visit_logs_checked(data).0
}

/// A folder or file of the store that could not be read, and why.
#[derive(Debug)]
pub struct Unreadable {
    pub path: PathBuf,
    pub error: std::io::Error,
}

/// Every visit log of a store, and every folder under `visits/` that could not be listed
/// (a store that reads smaller than it is must say so, never stay silent).
pub fn visit_logs_checked(data: &Path) -> (Vec<(String, PathBuf)>, Vec<Unreadable>) {
    let mut logs = Vec::new();
    let mut unreadable = Vec::new();
    let root = visits_dir(data);
    let months = match std::fs::read_dir(&root) {
        Ok(months) => months,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return (logs, unreadable),
        Err(error) => {
            unreadable.push(Unreadable { path: root, error });
            return (logs, unreadable);
        }
    };
    for month in months {
        let month = match month {
            Ok(month) => month.path(),
            Err(error) => {
                unreadable.push(Unreadable {
                    path: root.clone(),
                    error,
                });
                continue;
            }
        };
        let files = match std::fs::read_dir(&month) {
            Ok(files) => files,
            // A stray file beside the month folders is not part of the store.
            Err(err)
                if err.raw_os_error() == Some(20)
                    && std::fs::symlink_metadata(&month).is_ok_and(|m| m.is_file()) =>
            {
                continue;
            }
            Err(error) => {
                unreadable.push(Unreadable { path: month, error });
                continue;
            }
        };
        for file in files {
            let Ok(file) = file else {
                continue;
            };
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
    (logs, unreadable)
}

#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error("error: no visit \"{0}\" in {1} — `sitecheck list` shows the visits")]
    NotFound(String, PathBuf),
    #[error("error: \"{0}\" matches several visits ({ids}) — give more of the id", ids = .1.join(", "))]
    Ambiguous(String, Vec<String>),
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
            let ids = matches.into_iter().take(4).map(|(id, _)| id).collect();
            Err(FindError::Ambiguous(wanted.to_owned(), ids))
        }
    }
}
