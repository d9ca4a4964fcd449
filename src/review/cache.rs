//! The summary cache of a data folder: `<data>/cache/summaries.jsonl` and
//! `<data>/cache/reviews.jsonl`, one JSON object per log, keyed by the log's path (relative
//! to the data folder) and its identity (size, modification and change times, inode). A log
//! whose identity is unchanged is not read again.
//!
//! Only a cache: the logs are the record. It is written without fsync (a lost cache costs
//! one slow open) and atomically (a reader never sees half of it); a cache that does not
//! read is ignored.

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::log::ReviewLog;
use super::summary::{Integrity, VisitSummary};
use crate::review::log::Review;

/// Bumped whenever what a summary holds or how it is computed changes.
const FORMAT: u32 = 1;

/// What tells one version of a file from another without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileKey {
    pub len: u64,
    pub mtime_ns: i64,
    /// The change time moves on any write and cannot be set back by `touch`.
    pub ctime_ns: i64,
    pub ino: u64,
}

impl FileKey {
    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> FileKey {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
        FileKey {
            len: meta.len(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    pub fn of(meta: &Metadata) -> FileKey {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        FileKey {
            len: meta.len(),
            mtime_ns,
            ctime_ns: 0,
            ino: 0,
        }
    }
}

/// The first line of `summaries.jsonl`.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: u32,
    app: String,
    /// The distinct checklist sources the summaries refer to, by their sha256.
    checklists: HashMap<String, String>,
}

/// A cached visit summary.
#[derive(Debug, Serialize, Deserialize)]
pub struct CachedVisit {
    /// The log's path relative to the data folder, `/`-separated.
    pub file: String,
    pub key: FileKey,
    pub summary: VisitSummary,
}

/// A cached review log (`reviews/<visit>.jsonl`).
#[derive(Debug, Serialize, Deserialize)]
pub struct CachedReviews {
    pub visit: String,
    pub key: FileKey,
    pub reviews: Vec<Review>,
    #[serde(default)]
    pub integrity: Integrity,
}

impl CachedReviews {
    pub fn log(&self) -> ReviewLog {
        ReviewLog {
            reviews: self.reviews.clone(),
            integrity: self.integrity.clone(),
        }
    }
}

/// A data folder's cache as read.
#[derive(Debug, Default)]
pub struct Cache {
    pub checklists: HashMap<String, String>,
    pub visits: HashMap<String, CachedVisit>,
    pub reviews: HashMap<String, CachedReviews>,
}

pub fn cache_dir(data: &Path) -> PathBuf {
    data.join("cache")
}

fn app() -> String {
    format!("sitecheck {}", env!("CARGO_PKG_VERSION"))
}

/// Reads a data folder's cache; anything missing or unreadable is an empty cache.
pub fn load(data: &Path) -> Cache {
    let dir = cache_dir(data);
    let mut cache = Cache::default();
    if let Ok(text) = std::fs::read_to_string(dir.join("summaries.jsonl")) {
        let mut lines = text.lines();
        let header = lines
            .next()
            .and_then(|line| serde_json::from_str::<Header>(line).ok())
            .filter(|h| h.format == FORMAT && h.app == app());
        if let Some(header) = header {
            cache.checklists = header.checklists;
            let lines: Vec<&str> = lines.collect();
            cache.visits = lines
                .par_iter()
                .filter_map(|line| serde_json::from_str::<CachedVisit>(line).ok())
                .map(|entry| (entry.file.clone(), entry))
                .collect();
        }
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("reviews.jsonl")) {
        let mut lines = text.lines();
        let current = lines
            .next()
            .and_then(|line| serde_json::from_str::<Header>(line).ok())
            .is_some_and(|h| h.format == FORMAT && h.app == app());
        if current {
            cache.reviews = lines
                .filter_map(|line| serde_json::from_str::<CachedReviews>(line).ok())
                .map(|entry| (entry.visit.clone(), entry))
                .collect();
        }
    }
    cache
}

/// Writes a data folder's cache, replacing the old one atomically.
pub fn save(
    data: &Path,
    checklists: HashMap<String, String>,
    visits: &[CachedVisit],
    reviews: &[CachedReviews],
) -> std::io::Result<()> {
    let dir = cache_dir(data);
    std::fs::create_dir_all(&dir)?;
    let header = Header {
        format: FORMAT,
        app: app(),
        checklists,
    };
    write_lines(&dir.join("summaries.jsonl"), &header, visits)?;
    let header = Header {
        checklists: HashMap::new(),
        ..header
    };
    write_lines(&dir.join("reviews.jsonl"), &header, reviews)
}

fn write_lines<T: Serialize + Sync>(
    path: &Path,
    header: &Header,
    rows: &[T],
) -> std::io::Result<()> {
    // Serialised in parallel, in chunks, then written in order.
    let chunks: Vec<Vec<u8>> = rows
        .par_chunks(1024)
        .map(|chunk| {
            let mut buf = Vec::with_capacity(chunk.len() * 512);
            for row in chunk {
                // A row that does not serialise is left out: the log is read again next time.
                if serde_json::to_writer(&mut buf, row).is_ok() {
                    buf.push(b'\n');
                }
            }
            buf
        })
        .collect();
    let tmp = path.with_extension(format!("jsonl.tmp.{}", std::process::id()));
    let written = (|| {
        let mut out = BufWriter::new(std::fs::File::create(&tmp)?);
        serde_json::to_writer(&mut out, header)?;
        out.write_all(b"\n")?;
        for chunk in &chunks {
            out.write_all(chunk)?;
        }
        out.flush()?;
        drop(out);
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
