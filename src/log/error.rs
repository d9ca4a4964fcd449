//! The errors of writing a log: what went wrong, with the file it happened to.

use std::io;
use std::path::PathBuf;

use super::chain::ChainError;
use super::event::EventError;
use super::problem::Problem;

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// What was being done, as a verb: "write to", "lock", "create the folder" ...
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} is open in another sitecheck process{}; close it there first", path.display(), pid_words(*pid))]
    Locked { path: PathBuf, pid: Option<u32> },
    #[error("visit {visit} is open in another sitecheck process{}; close it there first", pid_words(*pid))]
    VisitOpen { visit: String, pid: Option<u32> },
    #[error("{} already exists", path.display())]
    Exists { path: PathBuf },
    #[error("{} cannot be resumed: {}", path.display(), problems_words(problems))]
    Damaged {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    #[error("{}: the visit id {visit:?} in the started event is not a ULID", path.display())]
    BadVisitId { path: PathBuf, visit: String },
    #[error("the visit is {closed_by}: only amended events can be added to it")]
    Closed { closed_by: &'static str },
    #[error("a visit has one started event, and it is written when the visit is created")]
    StartedAgain,
    #[error("seals are written by the writer itself, after the event they seal")]
    SealedByHand,
    #[error("no free name to move the torn end of {} aside to", path.display())]
    NoTornName { path: PathBuf },
    #[error(transparent)]
    Event(#[from] EventError),
    #[error(transparent)]
    Chain(#[from] ChainError),
}

impl LogError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> Self {
        let path = path.into();
        move |source| LogError::Io {
            action,
            path,
            source,
        }
    }
}

fn pid_words(pid: Option<u32>) -> String {
    pid.map(|pid| format!(" (pid {pid})")).unwrap_or_default()
}

fn problems_words(problems: &[Problem]) -> String {
    match problems {
        [] => "it does not verify".to_owned(),
        [only] => format!("{only}"),
        [first, rest @ ..] => format!(
            "{first} (and {} more; `sitecheck verify` lists them all)",
            rest.len()
        ),
    }
}
