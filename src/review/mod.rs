//! The supervisor's side of the store: summaries of many visits, reviews, and stats.
//!
//! - `summary`: `VisitSummary` and its parts — what the list knows about one visit;
//! - `summarize`: one visit log's bytes into a summary;
//! - `checklists`: each distinct embedded checklist parsed once;
//! - `store`: opening one or more data folders, in parallel, through the summary cache;
//! - `cache`: the per-folder summary cache, keyed by each file's identity;
//! - `rushed`: spotting rushed visits;
//! - `log`: review logs (`reviews/<visit>.jsonl`): writing and reading them;
//! - `filter`: which visits a command looks at;
//! - `stats`: compliance per item, section, technician, week, and targets (pure);
//! - `answers`: one visit's current answers as rows, with the time since the previous one.
pub mod answers;
pub mod cache;
pub mod checklists;
mod codec;
mod fast;
pub mod filter;
pub mod log;
pub mod rushed;
pub mod stats;
pub mod store;
pub mod summarize;
pub mod summary;

pub use filter::{Filter, VerdictFilter};
pub use log::{NewReview, Review, ReviewError, ReviewLog, Verdict, append_review, read_reviews};
pub use stats::{Stats, compute as compute_stats};
pub use store::{OpenOptions, OpenReport, Store, open_snapshot, open_store};
pub use summary::{
    ChecklistInfo, Integrity, IntegrityState, ItemMark, ItemMarks, LineProblem, Reviews,
    TargetMarks, TornInfo, VisitStatus, VisitSummary,
};
