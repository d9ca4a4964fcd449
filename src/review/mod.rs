//! The supervisor's side of the store: summaries of many visits, reviews, and stats.
//!
//! - `summary`: `VisitSummary` and its parts — what the list knows about one visit;
//! - `summarize`: one visit log's bytes into a summary;
//! - `checklists`: each distinct embedded checklist parsed once;
//! - `store`: opening one or more data folders, in parallel, through the summary cache;
//! - `cache`: the per-folder summary cache, keyed by each file's identity;
//! - `check`: a store listed from its cache checked against every log, changes only;
//! - `rushed`: spotting rushed visits;
//! - `log`: review logs (`reviews/<visit>.jsonl`): writing and reading them;
//! - `filter`: which visits a command looks at;
//! - `stats`: compliance per item, section, technician, week, and targets (pure);
//! - `answers`: one visit's current answers as rows, with the time since the previous one.
//!
//! For the review screens: `open_snapshot` shows the list at once from the caches, then
//! `check` (in the background) finds the logs changed since and `Store::apply` takes them
//! in; a visit's detail
//! is `crate::store::read::load_visit(&summary.path)` with `answer_rows`; a verdict is
//! `append_review(data_dir, &NewReview { .. })` with the summary's `last_hash`, then
//! `Store::refresh(id)`; `stats::compute` over the filtered summaries gives the stats tab.
pub mod answers;
pub mod cache;
pub mod check;
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

pub use answers::{AnswerRow, answer_rows, value_text};
pub use check::{Changes, CheckBase, Checked, check};
pub use filter::{Filter, VerdictFilter};
pub use log::{NewReview, Review, ReviewError, ReviewLog, Verdict, append_review, read_reviews};
pub use stats::{Stats, compute as compute_stats};
pub use store::{OpenOptions, OpenReport, Store, open_snapshot, open_store};
pub use summary::{
    ChecklistInfo, Integrity, IntegrityState, ItemMark, ItemMarks, LineProblem, Reviews,
    TargetMarks, TornInfo, VisitStatus, VisitSummary,
};
