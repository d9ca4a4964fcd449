//! The figures' raw counts as a store that counts them itself (the fleet store, in SQL)
//! hands them up: plain rows, grouped by checklist version, so that the one definition of
//! the figures (`crate::review::counted`) turns them into `Stats` as `compute_stats` turns
//! summaries into them.

use std::sync::Arc;

use crate::checklist::Checklist;

/// The key of a visit without the breakdown's value (no such field, no date).
pub const NONE_KEY: &str = "—";

/// Which visits: the filter of `list` and `stats`, in the store's own terms.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `YYYY-MM-DD`, first and last day included.
    pub since: Option<String>,
    pub until: Option<String>,
    pub technician: Option<String>,
    pub checklist: Option<String>,
    /// A status's name (`finished` ...).
    pub status: Option<&'static str>,
    pub verdict: Option<Wanted>,
}

/// The verdict a selection asks for.
#[derive(Clone, Debug)]
pub enum Wanted {
    /// A verdict's name (`approved` ...).
    Is(&'static str),
    Unreviewed,
    ToReview,
}

/// A dimension to break the figures down by (as `crate::review::breakdown::By`).
#[derive(Clone, Debug)]
pub enum Dimension {
    Technician,
    Checklist,
    Week,
    Month,
    Store,
    Field(String),
}

/// A checklist version among the visits chosen.
#[derive(Clone, Debug, Default)]
pub struct Version {
    pub sha: String,
    /// `None` when its source does not load: its visits are left out.
    pub checklist: Option<Arc<Checklist>>,
    /// The first visit counted that follows it (by id), the newest start among them, and
    /// how many are counted.
    pub first_visit: String,
    pub newest: String,
    pub counted: u32,
}

/// How many chosen visits of a version have a status, trusted or not.
#[derive(Clone, Debug)]
pub struct StateRow {
    pub sha: String,
    pub status: String,
    /// Unreadable, or a log that does not verify.
    pub untrusted: bool,
    pub visits: u32,
}

/// How many counted visits of a version have `mark` at an item (or target) position.
#[derive(Clone, Debug)]
pub struct MarkRow {
    pub sha: String,
    pub position: usize,
    pub mark: char,
    pub visits: u32,
}

/// One group's (technician, week, breakdown key) counted visits of one version.
#[derive(Clone, Debug)]
pub struct GroupRow {
    pub key: String,
    pub sha: String,
    pub visits: u32,
    pub passed: u32,
    pub failed: u32,
    pub na: u32,
    pub failed_visits: u32,
    pub rushed: u32,
    pub score_sum: f64,
    pub scored: u32,
    pub first_visit: String,
}

/// A target (by position in its version) over one group's visits where it was measured.
#[derive(Clone, Debug)]
pub struct GroupTargetRow {
    pub key: String,
    pub sha: String,
    pub position: usize,
    pub measured: u32,
    pub met: u32,
    pub first_visit: String,
}

/// Everything the figures are made of.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// In order of their first visit.
    pub versions: Vec<Version>,
    pub states: Vec<StateRow>,
    pub items: Vec<MarkRow>,
    pub targets: Vec<MarkRow>,
    pub rushed: u32,
    /// Technicians, weeks, and the breakdown asked for.
    pub groups: [(Vec<GroupRow>, Vec<GroupTargetRow>); 3],
}
