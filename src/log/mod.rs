//! The visit log (SPEC section 5): one append-only, hash-chained JSON Lines file per visit.
//!
//! - `chain`: the hash chain itself (seal a body, split a line), for any chained log;
//! - `event`: the typed events of a visit and their exact line layout;
//! - `problem`: what verification can find wrong, with its message;
//! - `reader`: reading and verifying logs, never failing on content;
//! - `chain_file`: a locked chained file appended durably, shared with review logs;
//! - `writer`: `VisitWriter`, the one writer of a visit's log;
//! - `integrity`: the one verdict on a log (clean, torn, damaged with the lines why);
//! - `review`: the review-log format, chained like a visit log;
//! - `seal`: a laptop's signature over a line; `receipt`: a line's receipt code;
//! - `error`: the errors of writing.
pub mod chain;
pub mod chain_file;
pub mod error;
pub mod event;
pub mod integrity;
pub mod problem;
pub mod reader;
pub mod receipt;
pub mod review;
pub mod seal;
pub mod writer;

pub use chain_file::{ChainFile, Torn};
pub use error::LogError;
pub use event::{ChecklistRef, Event, EventError, EventKind, StartInfo, Summary};
pub use problem::{Problem, ProblemKind, TornTail, TornWhy};
pub use reader::{ChainRead, LogRead, Record, analyze_chain, analyze_log, read_chain, read_log};
pub use writer::{VisitWriter, format_at, visit_log_path};

/// A visit id is a ULID: 26 characters of Crockford base32. Anything else is never used
/// as part of a path.
pub fn is_visit_id(id: &str) -> bool {
    id.len() == 26 && ulid::Ulid::from_string(id).is_ok()
}
