//! Opening a store for review: every visit log of one or more data folders summarised, in
//! parallel, through each folder's summary cache, with the reviews of each visit attached.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::RushedThresholds;
use crate::store::layout::{is_visit_id, reviews_dir, visits_dir};

use super::cache::{self, CachedReviews};
use super::checklists::ChecklistSet;
use super::file_key::FileKey;
use super::summarize::summarize_bytes;
use super::summary::{Integrity, LineProblem, Reviews, VisitStatus, VisitSummary};
use crate::log::review::{Review, ReviewLog, analyze_reviews};
use crate::visit::rushed::is_rushed;

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
    /// data folders, a review log of a visit no folder has.
    pub warnings: Vec<String>,
    /// Folders of the store that could not be read: the store is smaller than it is, and
    /// every command says so (an error, exit 2).
    pub unreadable: Vec<String>,
}

/// The store as the supervisor sees it.
#[derive(Debug, Default)]
pub struct Store {
    pub data_dirs: Vec<PathBuf>,
    /// One per visit id, sorted by id (the start time), from the first data folder that has it.
    pub visits: Vec<VisitSummary>,
    /// Shared with a background check (`check`), whose summaries use the same checklists.
    pub checklists: Arc<ChecklistSet>,
    pub report: OpenReport,
    /// The keys trusted where the store is read, to judge each visit's seal by.
    pub trust: crate::keys::Trust,
    pub(super) thresholds: RushedThresholds,
    /// The identity of the summary cache a snapshot was read from (one data folder): a check
    /// compares the logs with that cache, so it must still be the same file.
    pub(super) snapshot_of: Option<FileKey>,
}

/// One visit log found on disk.
pub(super) struct Found {
    pub(super) id: String,
    pub(super) path: PathBuf,
    pub(super) key: Option<FileKey>,
}

/// Opens the store made of `data_dirs`. Never fails: unreadable folders and logs are
/// reported (in `report.warnings`, or as an unreadable visit) rather than skipped.
pub fn open_store(data_dirs: &[PathBuf], options: &OpenOptions) -> Store {
    open_with(data_dirs, options, Arc::default(), &mut open_folder)
}

/// A visit log kept outside a data folder (a database): its id, how messages name it, and
/// its bytes, as a file would have them.
pub struct HeldLog {
    pub id: String,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Opens a store whose logs are kept elsewhere (the fleet store): the logs, handed over a
/// chunk at a time by `next_logs` (so that they are never all in memory), are summarised
/// by the same summariser and paired with their review logs, as a data folder's are;
/// `store` names the store as a data folder would be named.
/// `checklists` may be shared between calls (a list read a page at a time): each checklist
/// version is then loaded once, not once a page.
pub fn open_held(
    store: &Path,
    next_logs: &mut dyn FnMut() -> Option<Vec<HeldLog>>,
    reviews: Vec<HeldLog>,
    options: &OpenOptions,
    checklists: Arc<ChecklistSet>,
) -> Store {
    let mut reviews = Some(reviews);
    open_with(
        &[store.to_path_buf()],
        options,
        checklists,
        &mut |data, checklists, _options, report| {
            let data_dir = Arc::new(data.to_path_buf());
            let mut visits: Vec<VisitSummary> = Vec::new();
            while let Some(logs) = next_logs() {
                visits.par_extend(logs.into_par_iter().map(|log| {
                    let mut summary = summarize_bytes(&log.bytes, &log.id, &log.path, checklists);
                    summary.data_dir = data_dir.clone();
                    summary
                }));
            }
            report.files += visits.len();
            report.read += visits.len();
            let reviews = reviews
                .take()
                .unwrap_or_default()
                .into_par_iter()
                .map(|log| {
                    let read = analyze_reviews(&log.bytes, &log.id);
                    (log.id, read)
                })
                .collect();
            Folder { visits, reviews }
        },
    )
}

/// Opens the store as its summary caches last saw it, without looking at any log: the
/// fastest way to show a list, to be followed by `check` (in the background, say) to catch
/// up with logs changed since. A folder without a cache is opened fully.
pub fn open_snapshot(data_dirs: &[PathBuf], options: &OpenOptions) -> Store {
    let snapshot_of = match data_dirs {
        [data] => cache::cache_key(data),
        _ => None,
    };
    let mut store = open_with(
        data_dirs,
        options,
        Arc::default(),
        &mut |data, checklists, options, report| {
            let cache = cache::load(data, checklists);
            if cache.visits.is_empty() || !options.use_cache {
                return open_folder(data, checklists, options, report);
            }
            report.files += cache.visits.len();
            report.cached += cache.visits.len();
            let data_dir = Arc::new(data.to_path_buf());
            let mut visits = cache.visits;
            for visit in &mut visits {
                visit.data_dir = data_dir.clone();
            }
            let reviews = cache
                .reviews
                .into_iter()
                .map(|entry| (entry.visit, entry.log))
                .collect();
            Folder { visits, reviews }
        },
    );
    // Only a store read from its cache alone can be checked against it.
    if store.report.read == 0 {
        store.snapshot_of = snapshot_of;
    }
    store
}

type OpenFolder<'a> =
    &'a mut dyn FnMut(&Path, &ChecklistSet, &OpenOptions, &mut OpenReport) -> Folder;

fn open_with(
    data_dirs: &[PathBuf],
    options: &OpenOptions,
    checklists: Arc<ChecklistSet>,
    open: OpenFolder<'_>,
) -> Store {
    let mut report = OpenReport::default();
    let mut visits: Vec<VisitSummary> = Vec::new();
    let mut reviews: Vec<(String, ReviewLog)> = Vec::new();
    for data in data_dirs {
        let folder = open(data, &checklists, options, &mut report);
        if visits.is_empty() {
            // Not copied: 100,000 summaries are 50 MB.
            visits = folder.visits;
        } else {
            visits.extend(folder.visits);
        }
        reviews.extend(folder.reviews);
    }
    // A visit copied into two folders is listed once, from the first folder given. Each
    // folder's visits come sorted; sorting (which moves big structs) is only for several.
    if !visits.is_sorted_by(|a, b| a.id <= b.id) {
        visits.sort_by(|a, b| a.id.cmp(&b.id));
    }
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
    // Reviews are paired with their visits by walking both in id order (a stable sort keeps
    // the folders' order for one visit).
    reviews.sort_by(|a, b| a.0.cmp(&b.0));
    let mut reviews = reviews.into_iter().peekable();
    let mut orphans = Vec::new();
    for visit in &mut visits {
        let mut logs = Vec::new();
        while let Some((id, log)) = reviews.next_if(|(id, _)| *id <= visit.id) {
            if id == visit.id {
                logs.push(log);
            } else if orphans.last() != Some(&id) {
                orphans.push(id);
            }
        }
        finish_summary(visit, logs, &options.thresholds);
    }
    for (id, _) in reviews {
        if orphans.last() != Some(&id) {
            orphans.push(id);
        }
    }
    report.warnings.extend(
        orphans
            .into_iter()
            .map(|id| format!("reviews of visit {id}, which no data folder has")),
    );
    Store {
        data_dirs: data_dirs.to_vec(),
        visits,
        checklists,
        report,
        trust: crate::keys::Trust::default(),
        thresholds: options.thresholds,
        snapshot_of: None,
    }
}

impl Store {
    /// A store holding no visit yet, read with `options` (the window of a list that pages
    /// through its visits: they come a page at a time).
    pub fn empty(data_dirs: Vec<PathBuf>, options: &OpenOptions) -> Store {
        Store {
            data_dirs,
            thresholds: options.thresholds,
            ..Store::default()
        }
    }

    pub fn get(&self, id: &str) -> Option<&VisitSummary> {
        self.index_of(id).and_then(|i| self.visits.get(i))
    }

    pub(super) fn index_of(&self, id: &str) -> Option<usize> {
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
        let mut summary = match crate::log::reader::read_bounded(&path) {
            Ok(bytes) => summarize_bytes(&bytes, id, &path, &self.checklists),
            Err(err) => unreadable(id, &path, &err),
        };
        summary.data_dir = data_dir;
        self.attach_reviews(&mut summary);
        if let Some(slot) = self.visits.get_mut(index) {
            *slot = summary;
        }
    }

    /// Puts a visit kept outside a data folder (`open_held`) in place, read afresh with its
    /// review log.
    pub fn replace_held(&mut self, log: &HeldLog, reviews: Option<&HeldLog>) {
        let Some(index) = self.index_of(&log.id) else {
            return;
        };
        let Some(old) = self.visits.get(index) else {
            return;
        };
        let data_dir = old.data_dir.clone();
        let mut summary = summarize_bytes(&log.bytes, &log.id, &log.path, &self.checklists);
        summary.data_dir = data_dir;
        let logs = reviews
            .map(|r| analyze_reviews(&r.bytes, &r.id))
            .into_iter()
            .collect();
        finish_summary(&mut summary, logs, &self.thresholds);
        if let Some(slot) = self.visits.get_mut(index) {
            *slot = summary;
        }
    }

    /// What a visit's seal says against the keys trusted here.
    pub fn seal_of(&self, visit: &VisitSummary) -> crate::keys::SealStatus {
        self.trust
            .status(&visit.technician, visit.sealed_by.as_deref())
    }

    /// Reads a visit's reviews from every data folder into its summary.
    pub(super) fn attach_reviews(&self, summary: &mut VisitSummary) {
        let logs = self
            .data_dirs
            .iter()
            .filter_map(|data| crate::store::reviews::read_reviews(data, &summary.id).ok())
            .filter(|log| !log.reviews.is_empty() || !log.integrity.is_clean())
            .collect();
        finish_summary(summary, logs, &self.thresholds);
    }
}

/// The parts of a summary that are not cached: the shared checklist, the reviews (from every
/// folder, oldest first), whether the latest is outdated, and the rushed flag.
fn finish_summary(visit: &mut VisitSummary, logs: Vec<ReviewLog>, thresholds: &RushedThresholds) {
    let mut integrity = Integrity::default();
    let mut queues = Vec::with_capacity(logs.len());
    for log in logs {
        integrity.torn = integrity.torn.or(log.integrity.torn);
        integrity.problems.extend(log.integrity.problems);
        queues.push(log.reviews);
    }
    let all = merge_reviews(queues);
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

/// The reviews of several logs as one history. Within a log the line order is the truth
/// (a laptop's clock may be wrong, or be set back); between logs of different folders only
/// the times can tell, so the earliest next review of any log comes next.
fn merge_reviews(mut logs: Vec<Vec<Review>>) -> Vec<Review> {
    if logs.len() <= 1 {
        return logs.pop().unwrap_or_default();
    }
    let total = logs.iter().map(Vec::len).sum();
    let mut queues: Vec<_> = logs.into_iter().map(|l| l.into_iter().peekable()).collect();
    let mut all = Vec::with_capacity(total);
    loop {
        let next = queues
            .iter_mut()
            .enumerate()
            .filter_map(|(i, q)| q.peek().map(|r| (i, r.at.clone())))
            .min_by(|a, b| a.1.cmp(&b.1))
            .map(|(i, _)| i);
        match next
            .and_then(|i| queues.get_mut(i))
            .and_then(Iterator::next)
        {
            Some(review) => all.push(review),
            None => return all,
        }
    }
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
    let cache = if options.use_cache {
        cache::load(data, checklists)
    } else {
        cache::Cache::default()
    };
    let stale = cache.visits.len() != found.len() || cache.reviews.len() != found_reviews.len();
    let hits = pair_by_id(&found, &cache.visits, |c| (&c.id, &c.path, c.file_key));
    let misses: Vec<&Found> = found
        .iter()
        .zip(&hits)
        .filter_map(|(f, hit)| hit.is_none().then_some(f))
        .collect();
    let read = misses.len();
    let summaries = summarize_found(&misses, checklists);
    // The cached and the fresh summaries, in the logs' order. Moving 100,000 summaries into
    // a new vector doubles the memory for a moment: when all come from one side, they stay.
    let mut visits = if read == found.len() {
        summaries
    } else if read == 0 && cache.visits.len() == found.len() {
        cache.visits
    } else {
        let mut cached = cache.visits.into_iter().enumerate();
        let mut fresh = summaries.into_iter();
        hits.iter()
            .filter_map(|hit| match hit {
                Some(index) => cached.find(|(i, _)| i == index).map(|(_, s)| s),
                None => fresh.next(),
            })
            .collect()
    };
    report.files += visits.len();
    report.read += read;
    report.cached += visits.len() - read;
    let mut old_reviews: HashMap<String, CachedReviews> = cache
        .reviews
        .into_iter()
        .map(|r| (r.visit.clone(), r))
        .collect();
    let reviews: Vec<(CachedReviews, bool)> = found_reviews
        .into_iter()
        .map(|(visit, path, key)| {
            let hit = old_reviews
                .remove(&visit)
                .filter(|hit| Some(hit.key) == key);
            (visit, path, key, hit)
        })
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(visit, path, key, hit)| match hit {
            Some(hit) => (hit, true),
            None => {
                let log = read_review_log(&path, &visit);
                let key = key.unwrap_or(FileKey::UNKNOWN);
                (CachedReviews { visit, key, log }, false)
            }
        })
        .collect();
    let changed = stale || read > 0 || reviews.iter().any(|(_, hit)| !hit);
    let mut reviews: Vec<CachedReviews> = reviews.into_iter().map(|(e, _)| e).collect();
    // In visit order, as they are paired with the visits (a sorted list sorts in one pass).
    reviews.sort_by(|a, b| a.visit.cmp(&b.visit));
    if options.use_cache && changed {
        // A folder on a read-only medium just has no cache.
        let _ = cache::save(data, &visits, &reviews);
    }
    let data_dir = Arc::new(data.to_path_buf());
    for visit in &mut visits {
        visit.data_dir = data_dir.clone();
    }
    let reviews = reviews.into_iter().map(|e| (e.visit, e.log)).collect();
    Folder { visits, reviews }
}

/// For each log, the index of its cached summary if that was made from the file as it is
/// now (same id, path and identity). Both lists are sorted by visit id (a cache is saved in
/// the order logs are found), so they are walked side by side.
pub(super) fn pair_by_id<T>(
    found: &[Found],
    cached: &[T],
    identity: impl Fn(&T) -> (&String, &PathBuf, Option<FileKey>),
) -> Vec<Option<usize>> {
    let mut cached = cached.iter().map(identity).enumerate().peekable();
    found
        .iter()
        .map(|f| {
            while cached.next_if(|(_, (id, _, _))| **id < f.id).is_some() {}
            cached
                .next_if(|(_, (id, path, _))| **id == f.id && **path == f.path)
                .filter(|(_, (_, _, key))| key.is_some() && *key == f.key)
                .map(|(index, _)| index)
        })
        .collect()
}

/// Reads and summarises logs, in parallel, in the order given.
pub(super) fn summarize_found(found: &[&Found], checklists: &ChecklistSet) -> Vec<VisitSummary> {
    let mut summaries = Vec::new();
    found
        .par_iter()
        // One read buffer per thread: a fresh 20 KB allocation per log costs more than
        // reading it.
        .map_init(Vec::new, |buf, f| {
            let mut summary = match read_into(&f.path, buf) {
                Ok(()) => summarize_bytes(buf, &f.id, &f.path, checklists),
                Err(err) => unreadable(&f.id, &f.path, &err),
            };
            summary.file_key = f.key;
            summary
        })
        .collect_into_vec(&mut summaries);
    summaries
}

pub(super) fn read_review_log(path: &Path, visit: &str) -> ReviewLog {
    match crate::log::reader::read_bounded(path) {
        Ok(bytes) => analyze_reviews(&bytes, visit),
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
    }
}

/// Reads a whole file into `buf`, reusing its allocation.
pub(crate) fn read_into(path: &Path, buf: &mut Vec<u8>) -> std::io::Result<()> {
    crate::log::reader::read_bounded_into(path, buf)
}

/// Every visit log of a data folder with its identity, listing month folders in parallel.
pub(super) fn find_logs(data: &Path, report: &mut OpenReport) -> Vec<Found> {
    let root = visits_dir(data);
    let months: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            // A stray file beside the month folders is not part of the store; anything
            // else that is not a readable folder is reported below.
            .filter(|p| !std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(err) => {
            report
                .unreadable
                .push(format!("{}: cannot read: {err}", root.display()));
            Vec::new()
        }
    };
    // A month folder that cannot be listed is named, never a silently smaller store.
    let (months, unreadable): (Vec<_>, Vec<_>) = months
        .into_iter()
        .map(|month| match std::fs::read_dir(&month) {
            Ok(_) => Ok(month),
            Err(err) => Err(format!("{}: cannot read: {err}", month.display())),
        })
        .partition(Result::is_ok);
    report
        .unreadable
        .extend(unreadable.into_iter().filter_map(Result::err));
    let months: Vec<PathBuf> = months.into_iter().filter_map(Result::ok).collect();
    let mut found: Vec<Found> = months
        .par_iter()
        .flat_map_iter(|month| {
            std::fs::read_dir(month)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|entry| {
                    let name = entry.file_name();
                    let name = name.to_str()?;
                    let id = name.strip_suffix(".jsonl").filter(|id| is_visit_id(id))?;
                    Some(Found {
                        id: id.to_owned(),
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
pub(super) fn find_reviews(data: &Path) -> Vec<(String, PathBuf, Option<FileKey>)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::review::Verdict;

    fn review(seq: u64, at: &str, comment: &str) -> Review {
        Review {
            seq,
            at: at.into(),
            visit: "v".into(),
            visit_hash: "h".into(),
            reviewer: "li".into(),
            verdict: Verdict::Approved,
            comment: comment.into(),
            item: None,
            hash: String::new(),
        }
    }

    fn comments(reviews: &[Review]) -> Vec<&str> {
        reviews.iter().map(|r| r.comment.as_str()).collect()
    }

    #[test]
    fn one_log_keeps_its_line_order_whatever_the_clock_said() {
        // The second review was written on a laptop whose clock had been set back.
        let log = vec![
            review(0, "2026-11-22T10:00:00.000+08:00", "first"),
            review(1, "2026-11-21T09:00:00.000+08:00", "second"),
        ];
        assert_eq!(comments(&merge_reviews(vec![log])), ["first", "second"]);
        assert!(merge_reviews(Vec::new()).is_empty());
    }

    #[test]
    fn logs_of_several_folders_interleave_by_time_each_in_its_own_order() {
        let a = vec![
            review(0, "2026-11-22T10:00:00.000+08:00", "a0"),
            review(1, "2026-11-22T08:00:00.000+08:00", "a1"),
        ];
        let b = vec![
            review(0, "2026-11-22T09:00:00.000+08:00", "b0"),
            review(1, "2026-11-23T09:00:00.000+08:00", "b1"),
        ];
        assert_eq!(
            comments(&merge_reviews(vec![a, b])),
            ["b0", "a0", "a1", "b1"]
        );
    }
}
