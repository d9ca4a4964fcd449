//! The summary index of a data folder: every visit log reduced to a `VisitSummary`, kept in
//! a cache file keyed by each log's identity, and checked against the logs.
//!
//! - `summary`: `VisitSummary` and its parts — what the list knows about one visit;
//! - `summarize`: one visit log's bytes into a summary;
//! - `checklists`: each distinct embedded checklist parsed once;
//! - `fast`: the quick reader of clean logs (equivalent to `crate::log::reader`);
//! - `open`: opening one or more data folders, in parallel, through the summary cache;
//! - `cache` and `codec`: the per-folder summary cache file; `file_key`: a log's identity;
//! - `check`: a store listed from its cache checked against every log, changes only.
pub mod cache;
pub mod check;
pub mod checklists;
mod codec;
mod fast;
pub mod file_key;
pub mod open;
pub mod summarize;
pub mod summary;
