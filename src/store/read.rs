//! Reading a visit from its log without locking it: for `show`, `verify`, review and export.

use std::path::{Path, PathBuf};

use crate::checklist::{Checklist, parse_str};
use crate::log::EventKind;
use crate::log::reader::{LogRead, read_log};
use crate::visit::{Evaluation, VisitState, evaluate, replay};

/// A visit as its log says, with what is wrong with the log.
pub struct LoadedVisit {
    pub path: PathBuf,
    pub checklist: Checklist,
    pub state: VisitState,
    pub eval: Evaluation,
    pub log: LogRead,
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

pub fn load_visit(path: &Path) -> Result<LoadedVisit, LoadError> {
    let log = read_log(path).map_err(|e| LoadError::Io(path.into(), e))?;
    let Some(EventKind::Started { info, .. }) = log.events.first().map(|e| &e.kind) else {
        return Err(LoadError::NotAVisit(path.into()));
    };
    let parsed = parse_str(&info.checklist.source);
    let checklist = parsed.checklist.ok_or_else(|| LoadError::Checklist {
        path: path.into(),
        message: parsed
            .problems
            .first()
            .map_or_else(String::new, |p| format!("{}: {}", p.pos, p.message)),
    })?;
    let state = replay(&checklist, &log.events).ok_or_else(|| LoadError::NotAVisit(path.into()))?;
    let eval = evaluate(&checklist, &state.answers);
    Ok(LoadedVisit {
        path: path.into(),
        checklist,
        state,
        eval,
        log,
    })
}
