//! Reading one visit from its log, without locking it: for `show`, `verify`, the review
//! detail and the home screen. It goes through the one loader
//! (`crate::store::index::summarize::load`), so it reaches the verdict every reader does.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::checklist::Checklist;
use crate::log::integrity::Integrity;
use crate::log::reader::{analyze_log, read_bounded};
use crate::log::{Event, Problem, TornTail};
use crate::visit::{Evaluation, VisitState};

use super::index::checklists::ChecklistSet;
use super::index::summarize::{Loaded, load};

/// A visit as its log says, with the verdict on the log.
pub struct LoadedVisit {
    pub path: PathBuf,
    pub checklist: Arc<Checklist>,
    pub state: VisitState,
    pub eval: Evaluation,
    /// The events after `started`, in log order.
    pub events: Vec<Event>,
    /// The one verdict (what `list`, `verify`, `stats` and the exports say too).
    pub integrity: Integrity,
    /// The thorough reader's findings, typed (for messages in the UI language); empty and
    /// `None` when the log is clean.
    pub problems: Vec<Problem>,
    pub torn: Option<TornTail>,
    /// The receipt code of the latest `finished` or `amended` line.
    pub receipt: Option<String>,
    /// The key of the seal covering the log (`crate::log::seal::covering_seal`).
    pub sealed_by: Option<String>,
    /// What that seal says against the keys trusted here, once a caller has judged it.
    pub seal: Option<crate::keys::SealStatus>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: error: cannot read: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0}:1:1: error: not a visit log — its first line is not a readable `started` event")]
    NotAVisit(PathBuf),
    #[error("{path}:1:1: error: the checklist recorded in the visit does not load: {message}")]
    Checklist { path: PathBuf, message: String },
}

/// A visit log file read through the one loader (its id from its name).
pub fn load_visit(path: &Path) -> Result<LoadedVisit, LoadError> {
    let bytes = read_bounded(path).map_err(|e| LoadError::Io(path.into(), e))?;
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    load_visit_bytes(&bytes, id, path.into())
}

/// A visit log's bytes through the one loader; `path` is how messages name the log.
pub fn load_visit_bytes(bytes: &[u8], id: &str, path: PathBuf) -> Result<LoadedVisit, LoadError> {
    let Loaded::Visit(log) = load(bytes, id, &ChecklistSet::default()) else {
        return Err(LoadError::NotAVisit(path));
    };
    let (Some(checklist), Some(eval)) = (log.checklist.checklist.clone(), log.eval) else {
        return Err(LoadError::Checklist {
            path,
            message: log.checklist.problem.clone().unwrap_or_default(),
        });
    };
    // The typed findings are read again only for a log that has some (rare).
    let (problems, torn) = if log.integrity.is_clean() {
        (Vec::new(), None)
    } else {
        let thorough = analyze_log(bytes);
        (thorough.problems, thorough.torn)
    };
    Ok(LoadedVisit {
        receipt: crate::log::receipt::latest_receipt(&log.events),
        sealed_by: crate::log::seal::covering_seal(&log.events).map(str::to_owned),
        seal: None,
        path,
        checklist,
        state: log.state,
        eval,
        events: log.events,
        integrity: log.integrity,
        problems,
        torn,
    })
}
