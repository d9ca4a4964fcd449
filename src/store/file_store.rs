//! The file store: one or more data folders on disk (SPEC section 4), behind the store seam.
//! Visits are read from every folder (the first that has a visit wins); reviews are written
//! to the folder that holds their visit; imports go into the first folder.

use std::path::{Path, PathBuf};

use crate::log::review::{NewReview, Review, ReviewError};

use super::evidence::EvidenceCheck;
use super::import::{ImportError, ImportReport, Wait, import, lock};
use super::index::check::{Checked, check};
use super::index::open::{OpenOptions, Store, open_snapshot, open_store};
use super::index::summary::VisitSummary;
use super::layout::{self, review_path, visit_logs_checked};
use super::ledger::Ledger;
use super::seam::{FindError, ImportFailure, Location, Unlisted, VisitRef, VisitStore};

/// Data folders read as one store.
pub struct FileStore {
    data_dirs: Vec<PathBuf>,
    options: OpenOptions,
}

impl FileStore {
    /// The store of `data_dirs` (at least one); the first is the one written to.
    pub fn new(data_dirs: Vec<PathBuf>, options: OpenOptions) -> FileStore {
        FileStore { data_dirs, options }
    }

    fn reference(data_dir: &Path, id: String, log: PathBuf) -> VisitRef {
        VisitRef {
            id,
            location: Location::File {
                data_dir: data_dir.to_path_buf(),
                log,
            },
        }
    }
}

impl VisitSummary {
    /// The visit as the store seam names it.
    pub fn reference(&self) -> VisitRef {
        FileStore::reference(&self.data_dir, self.id.clone(), self.path.clone())
    }
}

impl VisitStore for FileStore {
    fn open(&self) -> Store {
        open_store(&self.data_dirs, &self.options)
    }

    fn open_snapshot(&self) -> Store {
        open_snapshot(&self.data_dirs, &self.options)
    }

    fn first_open(&self) -> bool {
        self.data_dirs
            .iter()
            .any(|data| layout::visits_dir(data).is_dir() && !super::index::cache::is_current(data))
    }

    fn refresher(&self, snapshot: &Store) -> Box<dyn FnOnce() -> Checked + Send> {
        let base = snapshot.check_base(&self.options);
        Box::new(move || check(base))
    }

    fn refresh(&self, store: &mut Store, id: &str) {
        store.refresh(id);
    }

    fn visits(&self) -> (Vec<VisitRef>, Vec<Unlisted>) {
        let mut visits = Vec::new();
        let mut unlisted = Vec::new();
        for data in &self.data_dirs {
            let (found, unreadable) = visit_logs_checked(data);
            unlisted.extend(unreadable.into_iter().map(|folder| Unlisted {
                shown: folder.path.display().to_string(),
                error: folder.error.to_string(),
            }));
            visits.extend(
                found
                    .into_iter()
                    .map(|(id, log)| FileStore::reference(data, id, log)),
            );
        }
        (visits, unlisted)
    }

    fn find(&self, wanted: &str) -> Result<VisitRef, FindError> {
        let mut several = None;
        for data in &self.data_dirs {
            match layout::find_visit(data, wanted) {
                Ok((id, log)) => return Ok(FileStore::reference(data, id, log)),
                // The first folder where it is ambiguous says so; one where it is not found
                // says nothing while another may still have it.
                Err(e @ layout::FindError::Ambiguous(..)) => {
                    several = several.or(Some(FindError::from(e)));
                }
                Err(layout::FindError::NotFound(..)) => {}
            }
        }
        Err(several.unwrap_or(FindError::NotFound))
    }

    fn read_visit_log(&self, visit: &VisitRef, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let Location::File { log, .. } = &visit.location else {
            return Err(std::io::Error::other("not a visit of a data folder"));
        };
        crate::log::reader::read_bounded_into(log, buf)
    }

    fn evidence_file(&self, visit: &VisitRef, sha256: &str) -> std::io::Result<PathBuf> {
        let Location::File { data_dir, .. } = &visit.location else {
            return Err(std::io::Error::other("not a visit of a data folder"));
        };
        super::evidence::evidence_path(data_dir, sha256)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a sha256"))
    }

    fn check_evidence(&self, visit: &VisitRef, sha256: &str, size: u64) -> EvidenceCheck {
        let Location::File { data_dir, .. } = &visit.location else {
            return EvidenceCheck::Missing;
        };
        super::evidence::check(data_dir, sha256, size)
    }

    fn review_log(&self, visit: &VisitRef) -> Option<super::seam::StoredLog> {
        let Location::File { data_dir, .. } = &visit.location else {
            return None;
        };
        let path = review_path(data_dir, &visit.id).filter(|p| p.exists())?;
        Some(super::seam::StoredLog {
            shown: path.display().to_string(),
            bytes: crate::log::reader::read_bounded(&path),
        })
    }

    fn ledgers(&self) -> Vec<Result<Ledger, Unlisted>> {
        self.data_dirs
            .iter()
            .map(|data| {
                Ledger::read(data).map_err(|e| Unlisted {
                    shown: super::ledger::ledger_path(data).display().to_string(),
                    error: e.to_string(),
                })
            })
            .collect()
    }

    fn append_review(&self, visit: &VisitRef, review: &NewReview) -> Result<Review, ReviewError> {
        let Location::File { data_dir, .. } = &visit.location else {
            return Err(ReviewError::BadVisitId(visit.id.clone()));
        };
        super::reviews::append_review(data_dir, review)
    }

    fn import(
        &self,
        sources: &[PathBuf],
        wait: Wait,
        busy: &mut dyn FnMut(&ImportError),
        report: &mut dyn FnMut(&Path, &ImportReport) -> std::io::Result<()>,
    ) -> Result<(), ImportFailure> {
        let data = &self.data_dirs[0];
        let held = match lock(data, Wait::No) {
            Err(other @ ImportError::Busy { .. }) if wait == Wait::Yes => {
                busy(&other);
                lock(data, Wait::Yes)
            }
            taken => taken,
        }
        .map_err(ImportFailure::Import)?;
        for source in sources {
            let done = import(&held, source).map_err(ImportFailure::Import)?;
            report(source, &done).map_err(ImportFailure::Output)?;
        }
        Ok(())
    }
}
