//! The check of a store listed from its summary cache (`open_snapshot`): every log compared
//! with that cache without decoding it, only the logs that changed read, the cache patched
//! in place, and the changes handed to the list (`Store::apply`). What the review screen
//! runs in the background once its list is drawn.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{self, CachedReviews, RawCache};
use super::checklists::ChecklistSet;
use super::file_key::FileKey;
use super::open::{
    Found, OpenOptions, OpenReport, Store, find_logs, find_reviews, open_store, pair_by_id,
    read_review_log, summarize_found,
};
use super::summary::VisitSummary;

impl Store {
    /// What a background check needs to compare the logs with what is listed.
    pub fn check_base(&self, options: &OpenOptions) -> CheckBase {
        CheckBase {
            data_dirs: self.data_dirs.clone(),
            options: options.clone(),
            checklists: self.checklists.clone(),
            snapshot_of: self.snapshot_of,
        }
    }

    /// Brings the store up to date with a check's findings: new and changed visits in,
    /// vanished ones out, and the reviews of every visit concerned read again.
    pub fn apply(&mut self, changes: Changes) {
        let Changes {
            visits: fresh,
            gone,
            reviews_changed,
            read,
            warnings,
        } = changes;
        self.snapshot_of = None;
        if fresh.is_empty() && gone.is_empty() && reviews_changed.is_empty() {
            self.report.warnings.extend(warnings);
            return;
        }
        let gone: HashSet<String> = gone.into_iter().collect();
        let mut touched: HashSet<String> = reviews_changed.into_iter().collect();
        touched.extend(fresh.iter().map(|v| v.id.clone()));
        // In place: 100,000 summaries are not copied for a few changes.
        let mut added = Vec::new();
        for summary in fresh {
            match self.index_of(&summary.id) {
                Some(index) => self.visits[index] = summary,
                None => added.push(summary),
            }
        }
        if !gone.is_empty() {
            self.visits.retain(|visit| !gone.contains(&visit.id));
        }
        if !added.is_empty() {
            self.visits.reserve_exact(added.len());
            self.visits.extend(added);
            self.visits.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        }
        for index in 0..self.visits.len() {
            if touched.contains(&self.visits[index].id) {
                let mut summary = std::mem::take(&mut self.visits[index]);
                self.attach_reviews(&mut summary);
                self.visits[index] = summary;
            }
        }
        self.report.files = self.visits.len();
        self.report.read += read;
        self.report.cached = self.visits.len().saturating_sub(read);
        self.report.warnings.extend(warnings);
    }
}

/// A store's logs as a check finds them, compared with the summary cache it was listed from.
#[derive(Debug, Default)]
pub struct Changes {
    /// New and changed visits, summarised afresh, in id order.
    pub visits: Vec<VisitSummary>,
    /// Visits listed whose logs are gone.
    pub gone: Vec<String>,
    /// Visits whose review logs are new, changed or gone.
    pub reviews_changed: Vec<String>,
    /// Logs read (not taken from the cache).
    pub read: usize,
    pub warnings: Vec<String>,
}

/// What a check has found.
#[derive(Debug)]
pub enum Checked {
    Changes(Changes),
    /// The store could not be checked against its listed cache (several data folders, or
    /// the cache was rewritten meanwhile): opened again whole.
    Reopened(Store),
}

/// What a check starts from (`Store::check_base`).
#[derive(Clone, Debug)]
pub struct CheckBase {
    data_dirs: Vec<PathBuf>,
    options: OpenOptions,
    checklists: Arc<ChecklistSet>,
    snapshot_of: Option<FileKey>,
}

/// Checks every log of a store listed by `open_snapshot` against the cache it was listed
/// from, reading only the logs that changed, and brings that cache up to date. Memory stays
/// that of the changes: the summaries that still hold are neither decoded nor copied.
pub fn check(base: CheckBase) -> Checked {
    let reopen = || Checked::Reopened(open_store(&base.data_dirs, &base.options));
    let ([data], Some(listed)) = (base.data_dirs.as_slice(), base.snapshot_of) else {
        return reopen();
    };
    let Some(old) = cache::load_raw(data).filter(|old| old.key == listed) else {
        return reopen();
    };
    let mut report = OpenReport::default();
    let visits = check_visits(data, &old, &base.checklists, &mut report);
    if !report.unreadable.is_empty() {
        // Part of the store cannot be read now: its visits are not "gone". Opened whole,
        // the store says which folders it could not read.
        return reopen();
    }
    let reviews = check_reviews(data, &old);
    if !visits.fresh.is_empty() || !visits.gone.is_empty() || !reviews.changed.is_empty() {
        // A folder on a read-only medium just keeps its old cache.
        let _ = cache::save_patched(
            data,
            &old,
            &visits.keep,
            &visits.fresh,
            &reviews.keep,
            &reviews.fresh,
        );
    }
    Checked::Changes(Changes {
        read: visits.fresh.len(),
        visits: visits.fresh,
        gone: visits.gone,
        reviews_changed: reviews.changed,
        warnings: report.warnings,
    })
}

/// The visit logs compared with a cache: which entries still hold (by index), the logs new
/// or changed (read and summarised), and the visits whose logs are gone.
struct VisitCheck {
    keep: Vec<bool>,
    fresh: Vec<VisitSummary>,
    gone: Vec<String>,
}

fn check_visits(
    data: &Path,
    old: &RawCache,
    checklists: &ChecklistSet,
    report: &mut OpenReport,
) -> VisitCheck {
    let found = find_logs(data, report);
    let hits = pair_by_id(&found, &old.visits, |raw| {
        (&raw.id, &raw.path, Some(raw.key))
    });
    let mut keep = vec![false; old.visits.len()];
    for index in hits.iter().flatten() {
        keep[*index] = true;
    }
    let misses: Vec<&Found> = found
        .iter()
        .zip(&hits)
        .filter_map(|(f, hit)| hit.is_none().then_some(f))
        .collect();
    let data_dir = Arc::new(data.to_path_buf());
    let mut fresh = summarize_found(&misses, checklists);
    for visit in &mut fresh {
        visit.data_dir = data_dir.clone();
    }
    // Not kept and not found again (found is in id order): the log is gone.
    let gone = old
        .visits
        .iter()
        .zip(&keep)
        .filter(|(raw, keep)| {
            !**keep
                && found
                    .binary_search_by(|f| f.id.as_str().cmp(&raw.id))
                    .is_err()
        })
        .map(|(raw, _)| raw.id.clone())
        .collect();
    VisitCheck { keep, fresh, gone }
}

/// The review logs compared with a cache: which entries still hold (by index), the logs
/// new or changed (read), and the visits whose review logs are new, changed or gone.
struct ReviewCheck {
    keep: Vec<bool>,
    fresh: Vec<CachedReviews>,
    changed: Vec<String>,
}

fn check_reviews(data: &Path, old: &RawCache) -> ReviewCheck {
    let listed: HashMap<&str, (usize, FileKey)> = old
        .reviews
        .iter()
        .enumerate()
        .map(|(i, r)| (r.visit.as_str(), (i, r.key)))
        .collect();
    let mut keep = vec![false; old.reviews.len()];
    let mut changed_logs = Vec::new();
    for (visit, path, key) in find_reviews(data) {
        match listed.get(visit.as_str()) {
            Some((index, listed)) if Some(*listed) == key => keep[*index] = true,
            _ => changed_logs.push((visit, path, key)),
        }
    }
    let fresh: Vec<CachedReviews> = changed_logs
        .into_par_iter()
        .map(|(visit, path, key)| CachedReviews {
            log: read_review_log(&path, &visit),
            visit,
            key: key.unwrap_or(FileKey::UNKNOWN),
        })
        .collect();
    let gone = old
        .reviews
        .iter()
        .zip(&keep)
        .filter(|(_, keep)| !**keep)
        .map(|(raw, _)| raw.visit.clone());
    let changed = fresh.iter().map(|r| r.visit.clone()).chain(gone).collect();
    ReviewCheck {
        keep,
        fresh,
        changed,
    }
}
