//! The store seam: "a store of visits and reviews", as every command above the store sees
//! it — `list`, `show`, `stats`, `export`, `verify`, `review` and `import`. Nothing above
//! this trait knows where a visit is kept; a `VisitRef` names one without saying how.
//!
//! The file store (`super::file_store::FileStore`, data folders on disk) is its first
//! implementation; a database store slots in beside it.

use std::path::{Path, PathBuf};

use crate::config::RushedThresholds;
use crate::log::review::{NewReview, Review, ReviewError};

use super::evidence::EvidenceCheck;
use super::figure_counts::{Counts, Dimension, Selection};
use super::import::{ImportError, ImportReport, Wait};
use super::index::check::Checked;
use super::index::open::Store;
use super::index::summary::VisitSummary;
use super::ledger::Ledger;
use super::listing::{Cursor, ListCount, ListQuery};
use super::read::{LoadError, LoadedVisit, load_visit_bytes};

/// One visit of a store: its id, and where the store keeps it (opaque above the store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRef {
    pub id: String,
    pub(super) location: Location,
}

/// Where a store keeps a visit. Only the store that made a `VisitRef` looks inside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Location {
    /// A visit log in a data folder.
    File { data_dir: PathBuf, log: PathBuf },
    /// A visit in the fleet store; `log` is how messages name it.
    Database { log: PathBuf },
}

impl VisitRef {
    /// How messages name the visit's log (a file's path), as given: the caller sanitises.
    pub fn shown(&self) -> String {
        match &self.location {
            Location::File { log, .. } | Location::Database { log } => log.display().to_string(),
        }
    }
}

/// A log as the store holds it: how messages name it, and its bytes (or why they cannot
/// be read — a problem of that log alone; the others are still read).
pub struct StoredLog {
    pub shown: String,
    pub bytes: std::io::Result<Vec<u8>>,
}

/// A part of the store that could not be read (a folder, a table): the store reads
/// smaller than it is, and every command says so.
pub struct Unlisted {
    pub shown: String,
    pub error: String,
}

/// Why a visit asked for by id is not one visit.
#[derive(Debug)]
pub enum FindError {
    NotFound,
    /// Some of the ids it could be.
    Ambiguous(Vec<String>),
}

impl From<super::layout::FindError> for FindError {
    fn from(e: super::layout::FindError) -> FindError {
        match e {
            super::layout::FindError::NotFound(..) => FindError::NotFound,
            super::layout::FindError::Ambiguous(_, ids) => FindError::Ambiguous(ids),
        }
    }
}

/// A store of visits and reviews.
pub trait VisitStore: Sync {
    /// Every visit summarised, with its reviews, as the logs say now.
    fn open(&self) -> Store;

    /// Every visit as the store last summarised it, at once (for a screen to show); the
    /// `refresher` then brings it up to date.
    fn open_snapshot(&self) -> Store;

    /// Whether `open_snapshot` must read everything first (a store never summarised).
    fn first_open(&self) -> bool;

    /// The work that brings a snapshot up to date, to run on another thread.
    fn refresher(&self, snapshot: &Store) -> Box<dyn FnOnce() -> Checked + Send>;

    /// Reads one visit of an opened store again (after a review was written to it).
    fn refresh(&self, store: &mut Store, id: &str);

    /// Every visit, in id order, and the parts of the store that could not be listed.
    fn visits(&self) -> (Vec<VisitRef>, Vec<Unlisted>);

    /// A visit by its id or a unique beginning of it (case-insensitive).
    fn find(&self, wanted: &str) -> Result<VisitRef, FindError>;

    /// A visit's log, whole, into `buf` (replacing what it held): lines over the reader's
    /// limit are the loader's to judge. Called from many threads at once by the exports.
    fn read_visit_log(&self, visit: &VisitRef, buf: &mut Vec<u8>) -> std::io::Result<()>;

    /// A visit's review log; `None` when the visit has no review.
    fn review_log(&self, visit: &VisitRef) -> Option<StoredLog>;

    /// The import ledgers the store keeps (one per data folder), or why one cannot be read.
    fn ledgers(&self) -> Vec<Result<Ledger, Unlisted>>;

    /// Appends a review to the visit's review log, where the store keeps its visit.
    fn append_review(&self, visit: &VisitRef, review: &NewReview) -> Result<Review, ReviewError>;

    /// Takes the store's import lock (waiting for another import when `wait` says so; `busy`
    /// is told once before waiting), then imports every source in turn, handing each
    /// source's report to `report`.
    fn import(
        &self,
        sources: &[PathBuf],
        wait: Wait,
        busy: &mut dyn FnMut(&ImportError),
        report: &mut dyn FnMut(&Path, &ImportReport) -> std::io::Result<()>,
    ) -> Result<(), ImportFailure>;

    /// The ids of visits whose reviews are written from now on, by anyone, as they are
    /// written: for an open review screen to show another supervisor's verdicts. `None`
    /// for a store that cannot tell (a data folder).
    fn watch(&self) -> Option<std::sync::mpsc::Receiver<String>> {
        None
    }

    /// The figures' counts of the visits `selection` chooses, broken down `by`, counted
    /// where the visits are kept (a database counts them in SQL). `None`: a store that does
    /// not count (a data folder), whose summaries the caller counts itself.
    fn count_figures(
        &self,
        _selection: &Selection,
        _by: Option<&Dimension>,
        _thresholds: &RushedThresholds,
    ) -> Option<Result<Counts, String>> {
        None
    }

    /// The first and last day of the visits `selection` chooses, where `count_figures` is.
    fn figure_days(
        &self,
        _selection: &Selection,
        _thresholds: &RushedThresholds,
    ) -> Option<Result<Option<(String, String)>, String>> {
        None
    }

    /// Every (technician, checklist) the store has, where `count_figures` is (for a
    /// filter's names to be checked against).
    fn figure_names(&self) -> Option<Result<Vec<(String, String)>, String>> {
        None
    }

    /// The visits newest first, a page at a time: `limit` visits after `after` (the last
    /// id of the page before), summarised with their reviews — for a list that must not
    /// hold the whole store. `None`: a store that is read whole (a data folder).
    fn page(
        &self,
        _after: Option<&str>,
        _limit: usize,
    ) -> Option<Result<Vec<VisitSummary>, String>> {
        None
    }

    /// A page of the review list as the store orders and filters it itself: `limit` visits
    /// from `cursor`, in the list's order, each summarised with its reviews by the one
    /// summariser — for a list that never holds the whole store. `None`: a store that is
    /// read whole (a data folder), whose list is ordered in memory.
    fn list_page(
        &self,
        _query: &ListQuery,
        _cursor: &Cursor,
        _limit: usize,
    ) -> Option<Result<Vec<VisitSummary>, String>> {
        None
    }

    /// How many visits `query` lists, and how many its narrowing alone chooses, where
    /// `list_page` is.
    fn list_count(&self, _query: &ListQuery) -> Option<Result<ListCount, String>> {
        None
    }

    /// The same count as work to run on another thread (a connection of its own), so that a
    /// screen is not held while a large store is counted.
    fn list_counter(&self, _query: &ListQuery) -> Option<ListCounter> {
        None
    }

    /// An evidence file of a visit (by its sha256) as a local file, to read or to hand to a
    /// viewer. Whether its bytes still match is `check_evidence`'s to say.
    fn evidence_file(&self, visit: &VisitRef, sha256: &str) -> std::io::Result<PathBuf>;

    /// Whether a visit's evidence file is there with the bytes its log recorded.
    fn check_evidence(&self, visit: &VisitRef, sha256: &str, size: u64) -> EvidenceCheck;

    /// A visit's log, with how messages name it.
    fn visit_log(&self, visit: &VisitRef) -> StoredLog {
        let mut bytes = Vec::new();
        StoredLog {
            shown: visit.shown(),
            bytes: self.read_visit_log(visit, &mut bytes).map(|()| bytes),
        }
    }

    /// A visit read through the one loader, with the verdict every reader reaches.
    fn load(&self, visit: &VisitRef) -> Result<LoadedVisit, LoadError> {
        let log = self.visit_log(visit);
        let shown = PathBuf::from(log.shown);
        let bytes = log.bytes.map_err(|e| LoadError::Io(shown.clone(), e))?;
        load_visit_bytes(&bytes, &visit.id, shown)
    }
}

/// A count of the review list, to run on another thread (`VisitStore::list_counter`).
pub type ListCounter = Box<dyn FnOnce() -> Result<ListCount, String> + Send>;

/// Why an import stopped.
#[derive(Debug)]
pub enum ImportFailure {
    Import(ImportError),
    Output(std::io::Error),
}
