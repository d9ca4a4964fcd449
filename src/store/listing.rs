//! The review list's question in the store's terms, for a store that pages through its
//! visits itself (the fleet store, in SQL): which visits (`figure_counts::Selection` and a
//! search), in what order (a sort key, reversed or not), and from where (a keyset cursor).
//! The screen's own `Query` (`crate::tui::review::order`) is turned into this.

use super::figure_counts::Selection;

/// What the list sorts by (as the screen's columns): ties go by id, ascending, and
/// `reverse` turns the whole order round, ties included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// The id alone (ids are time-sortable).
    #[default]
    Date,
    Technician,
    Checklist,
    WorkOrder,
    Duration,
    Score,
    Result,
    Failures,
    Rushed,
    Integrity,
    Verdict,
}

/// The visits a list shows and their order.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    /// The command line's narrowing and the screen's status and verdict filters.
    pub selection: Selection,
    /// Lower-case, trimmed; empty for none. Searched in the id, technician, work order,
    /// customer, checklist id and titles.
    pub search: String,
    pub sort: SortKey,
    pub reverse: bool,
}

/// Where a page starts, in the list's order. A visit named by a cursor is one the list
/// showed: its sort key is read with it, so a page follows from it exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// The first page.
    First,
    /// The last page (read by the reversed order).
    Last,
    /// The visits after this one.
    After(String),
    /// This visit and those after it (to read a window again).
    From(String),
    /// The visits before this one (the page just above it).
    Before(String),
}

/// How many visits a list holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListCount {
    /// Those the whole query chooses.
    pub listed: u64,
    /// Those the narrowing alone chooses (since, until, technician, checklist): the "of N".
    pub all: u64,
}
