//! Opening a store for review: every visit log of one or more data folders summarised, in
//! parallel, through each folder's summary cache, with the reviews of each visit attached.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::RushedThresholds;
use crate::store::layout::{is_visit_id, reviews_dir, visits_dir};

use super::cache::{self, CachedReviews, CachedVisit, FileKey};
use super::checklists::ChecklistSet;
use super::log::{ReviewLog, analyze_reviews};
use super::rushed::is_rushed;
use super::summarize::summarize_bytes;
use super::summary::{ChecklistInfo, Integrity, LineProblem, Reviews, VisitStatus, VisitSummary};

/// How to open a store.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    pub thresholds: RushedThresholds,
    /// Read and write each data folder's summary cache (off: read every log).
    pub use_cache: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            thresholds: RushedThresholds::default(),
            use_cache: true,
        }
    }
}

/// Figures about an open, for the status line and for benchmarks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// Visit logs found.
    pub files: usize,
    /// Logs read and summarised (not taken from a cache).
    pub read: usize,
    /// Logs whose summary came from a cache.
    pub cached: usize,
    /// Things the supervisor should know that belong to no one visit: a visit found in two
    /// data folders, a review log of a visit no folder has, an unreadable folder.
    pub warnings: Vec<String>,
}

/// The store as the supervisor sees it.
#[derive(Debug, Default)]
pub struct Store {
    pub data_dirs: Vec<PathBuf>,
    /// One per visit id, sorted by id (the start time), from the first data folder that has it.
    pub visits: Vec<VisitSummary>,
    pub checklists: ChecklistSet,
    pub report: OpenReport,
    thresholds: RushedThresholds,
}

/// One visit log found on disk.
struct Found {
    id: String,
    /// Relative to the data folder, `/`-separated: the cache's key.
    file: String,
    path: PathBuf,
    key: Option<FileKey>,
}

/// Opens the store made of `data_dirs`. Never fails: unreadable folders and logs are
/// reported (in `report.warnings`, or as an unreadable visit) rather than skipped.
pub fn open_store(data_dirs: &[PathBuf], options: &OpenOptions) -> Store {
    let checklists = ChecklistSet::new();
    let mut report = OpenReport::default();
    let mut visits: Vec<VisitSummary> = Vec::new();
    let mut reviews: HashMap<String, Vec<ReviewLog>> = HashMap::new();
    for data in data_dirs {
        let folder = open_folder(data, &checklists, options, &mut report);
        visits.extend(folder.visits);
        for (visit, log) in folder.reviews {
            reviews.entry(visit).or_default().push(log);
        }
    }
    // A visit copied into two folders is listed once, from the first folder given.
    visits.sort_by(|a, b| a.id.cmp(&b.id));
    let mut duplicates = Vec::new();
    visits.dedup_by(|later, first| {
        let same = later.id == first.id;
        if same {
            duplicates.push(format!(
                "visit {} is in more than one data folder; listed from {}, not from {}",
                first.id,
                first.path.display(),
                later.path.display()
            ));
        }
        same
    });
    report.warnings.extend(duplicates);
    let ids: HashSet<&str> = visits.iter().map(|v| v.id.as_str()).collect();
    let mut orphans: Vec<&String> = reviews
        .keys()
        .filter(|id| !ids.contains(id.as_str()))
        .collect();
    orphans.sort();
    report.warnings.extend(
        orphans
            .into_iter()
            .map(|id| format!("reviews of visit {id}, which no data folder has")),
    );
    for visit in &mut visits {
        let logs = reviews.remove(&visit.id).unwrap_or_default();
        finish_summary(visit, logs, &checklists, &options.thresholds);
    }
    Store {
        data_dirs: data_dirs.to_vec(),
        visits,
        checklists,
        report,
        thresholds: options.thresholds,
    }
}

impl Store {
    pub fn get(&self, id: &str) -> Option<&VisitSummary> {
        self.index_of(id).and_then(|i| self.visits.get(i))
    }

    fn index_of(&self, id: &str) -> Option<usize> {
        self.visits.binary_search_by(|v| v.id.as_str().cmp(id)).ok()
    }

    /// Reads one visit's log and reviews again (after a review was written, say).
    pub fn refresh(&mut self, id: &str) {
        let Some(index) = self.index_of(id) else {
            return;
        };
        let Some(old) = self.visits.get(index) else {
            return;
        };
        let (path, data_dir) = (old.path.clone(), old.data_dir.clone());
        let mut summary = match std::fs::read(&path) {
            Ok(bytes) => summarize_bytes(&bytes, id, &path, &self.checklists),
            Err(err) => unreadable(id, &path, &err),
        };
        summary.data_dir = data_dir;
        let logs = self
            .data_dirs
            .iter()
            .filter_map(|data| super::log::read_reviews(data, id).ok())
            .filter(|log| !log.reviews.is_empty() || !log.integrity.is_clean())
            .collect();
        finish_summary(&mut summary, logs, &self.checklists, &self.thresholds);
        if let Some(slot) = self.visits.get_mut(index) {
            *slot = summary;
        }
    }
}

/// The parts of a summary that are not cached: the shared checklist, the reviews (from every
/// folder, oldest first), whether the latest is outdated, and the rushed flag.
fn finish_summary(
    visit: &mut VisitSummary,
    logs: Vec<ReviewLog>,
    checklists: &ChecklistSet,
    thresholds: &RushedThresholds,
) {
    if visit.checklist.sha256 != visit.checklist_sha256 {
        visit.checklist = checklists
            .get(&visit.checklist_sha256)
            .unwrap_or_else(|| Arc::new(ChecklistInfo::default()));
    }
    let mut all = Vec::new();
    let mut integrity = Integrity::default();
    for log in logs {
        all.extend(log.reviews);
        integrity.torn = integrity.torn.or(log.integrity.torn);
        integrity.problems.extend(log.integrity.problems);
    }
    // RFC 3339 times of one reviewer's laptop sort as text; across folders this is close
    // enough, and the order within one log is kept.
    all.sort_by(|a, b| a.at.cmp(&b.at));
    let outdated = all
        .last()
        .is_some_and(|latest| latest.visit_hash != visit.last_hash);
    visit.reviews = Reviews {
        all,
        outdated,
        integrity,
    };
    visit.rushed =
        visit.status != VisitStatus::Unreadable && is_rushed(&visit.answer_gaps_ms, thresholds);
}

fn unreadable(id: &str, path: &Path, err: &std::io::Error) -> VisitSummary {
    VisitSummary {
        id: id.to_owned(),
        path: path.to_owned(),
        status: VisitStatus::Unreadable,
        integrity: Integrity {
            torn: None,
            problems: vec![LineProblem {
                line: 0,
                message: format!("cannot read: {err}"),
            }],
        },
        ..VisitSummary::default()
    }
}

struct Folder {
    visits: Vec<VisitSummary>,
    reviews: Vec<(String, ReviewLog)>,
}

fn open_folder(
    data: &Path,
    checklists: &ChecklistSet,
    options: &OpenOptions,
    report: &mut OpenReport,
) -> Folder {
    let found = find_logs(data, report);
    let found_reviews = find_reviews(data);
    let mut old = if options.use_cache {
        cache::load(data)
    } else {
        cache::Cache::default()
    };
    for (sha, source) in &old.checklists {
        checklists.insert_source(sha, source);
    }
    report.files += found.len();
    let cached_count = old.visits.len();
    let cached_visits = std::mem::take(&mut old.visits);
    let results: Vec<(CachedVisit, bool)> = found
        .into_par_iter()
        .map(|f| {
            if let (Some(key), Some(hit)) = (f.key, cached_visits.get(&f.file))
                && hit.key == key
                && checklists.get(&hit.summary.checklist_sha256).is_some()
            {
                let mut summary = hit.summary.clone();
                summary.path = f.path;
                return (
                    CachedVisit {
                        file: f.file,
                        key,
                        summary,
                    },
                    true,
                );
            }
            let summary = match std::fs::read(&f.path) {
                Ok(bytes) => summarize_bytes(&bytes, &f.id, &f.path, checklists),
                Err(err) => unreadable(&f.id, &f.path, &err),
            };
            let key = f.key.unwrap_or(FileKey {
                len: u64::MAX,
                mtime_ns: 0,
                ctime_ns: 0,
                ino: 0,
            });
            (
                CachedVisit {
                    file: f.file,
                    key,
                    summary,
                },
                false,
            )
        })
        .collect();
    drop(cached_visits);
    let read = results.iter().filter(|(_, hit)| !hit).count();
    report.read += read;
    report.cached += results.len() - read;
    let review_results: Vec<(CachedReviews, bool)> = found_reviews
        .into_par_iter()
        .map(|(visit, path, key)| {
            if let Some(hit) = old.reviews.get(&visit).filter(|hit| Some(hit.key) == key) {
                return (
                    CachedReviews {
                        visit,
                        key: hit.key,
                        reviews: hit.reviews.clone(),
                        integrity: hit.integrity.clone(),
                    },
                    true,
                );
            }
            let log = match std::fs::read(&path) {
                Ok(bytes) => analyze_reviews(&bytes, &visit),
                Err(err) => ReviewLog {
                    reviews: Vec::new(),
                    integrity: Integrity {
                        torn: None,
                        problems: vec![LineProblem {
                            line: 0,
                            message: format!("cannot read {}: {err}", path.display()),
                        }],
                    },
                },
            };
            let entry = CachedReviews {
                visit,
                key: key.unwrap_or(FileKey {
                    len: u64::MAX,
                    mtime_ns: 0,
                    ctime_ns: 0,
                    ino: 0,
                }),
                reviews: log.reviews,
                integrity: log.integrity,
            };
            (entry, false)
        })
        .collect();
    let changed = read > 0
        || review_results.iter().any(|(_, hit)| !hit)
        || results.len() != cached_count
        || review_results.len() != old.reviews.len();
    let (entries, _): (Vec<CachedVisit>, Vec<bool>) = results.into_iter().unzip();
    let (review_entries, _): (Vec<CachedReviews>, Vec<bool>) = review_results.into_iter().unzip();
    if options.use_cache && changed {
        let used: HashSet<&str> = entries
            .iter()
            .map(|e| e.summary.checklist_sha256.as_str())
            .collect();
        let sources = checklists
            .sources()
            .into_iter()
            .filter(|(sha, _)| used.contains(sha.as_str()))
            .map(|(sha, source)| (sha, source.to_string()))
            .collect();
        // A folder on a read-only medium just has no cache.
        let _ = cache::save(data, sources, &entries, &review_entries);
    }
    let visits = entries
        .into_iter()
        .map(|e| {
            let mut summary = e.summary;
            summary.data_dir = data.to_path_buf();
            summary
        })
        .collect();
    let reviews = review_entries
        .into_iter()
        .map(|e| {
            let log = e.log();
            (e.visit, log)
        })
        .collect();
    Folder { visits, reviews }
}

/// Every visit log of a data folder with its identity, listing month folders in parallel.
fn find_logs(data: &Path, report: &mut OpenReport) -> Vec<Found> {
    let root = visits_dir(data);
    let months: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(err) => {
            report
                .warnings
                .push(format!("{}: error: cannot read: {err}", root.display()));
            Vec::new()
        }
    };
    let mut found: Vec<Found> = months
        .par_iter()
        .flat_map_iter(|month| {
            let month_name = month
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            std::fs::read_dir(month)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(move |entry| {
                    let name = entry.file_name();
                    let name = name.to_str()?;
                    let id = name.strip_suffix(".jsonl").filter(|id| is_visit_id(id))?;
                    Some(Found {
                        id: id.to_owned(),
                        file: format!("{month_name}/{name}"),
                        path: entry.path(),
                        key: entry.metadata().ok().map(|m| FileKey::of(&m)),
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

/// Every review log of a data folder: (visit id, path, identity).
fn find_reviews(data: &Path) -> Vec<(String, PathBuf, Option<FileKey>)> {
    let Ok(entries) = std::fs::read_dir(reviews_dir(data)) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let id = name.to_str()?.strip_suffix(".jsonl")?;
            is_visit_id(id).then(|| {
                let key = entry.metadata().ok().map(|m| FileKey::of(&m));
                (id.to_owned(), entry.path(), key)
            })
        })
        .collect()
}
