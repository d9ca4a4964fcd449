//! Exports of the filtered visits (SPEC section 5): CSV for spreadsheets (one row per
//! current answer, or per visit), JSON Lines (one object per visit with its answers), and a
//! self-contained HTML report a supervisor can print.
//!
//! - `csv`: both CSV layouts, with spreadsheet formula injection neutralised;
//! - `json`: a visit as JSON, shared by `list --format json` and `export --format jsonl`;
//! - `html`: the printable report;
//! - `logs`: reading the chosen visits' logs in parallel, in order, a batch at a time.
pub mod csv;
pub mod html;
pub mod json;
pub mod logs;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Html,
}

/// What one CSV row is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum RowKind {
    /// One row per current answer.
    #[default]
    Answers,
    /// One row per visit.
    Visits,
}
