//! The list's rows, wherever they come from: the whole store ordered in memory (`Rows`, a
//! data folder) or a window paged through the database (`Window`, the fleet store). The
//! screen and its drawing ask "row n" and "how many" here without knowing which.

use crate::store::index::open::Store;
use crate::store::index::summary::VisitSummary;
use crate::store::seam::VisitStore;

use super::order::{Query, Rows};
use super::paged::Window;

#[derive(Debug)]
pub enum Listing {
    /// Every visit is in the store; the rows index it.
    Whole(Rows),
    /// The store holds the window's visits only.
    Paged(Window),
}

impl Listing {
    pub fn query(&self) -> &Query {
        match self {
            Listing::Whole(rows) => &rows.query,
            Listing::Paged(window) => &window.query,
        }
    }

    pub fn query_mut(&mut self) -> &mut Query {
        match self {
            Listing::Whole(rows) => &mut rows.query,
            Listing::Paged(window) => &mut window.query,
        }
    }

    /// How many rows the list has.
    pub fn len(&self) -> usize {
        match self {
            Listing::Whole(rows) => rows.len(),
            Listing::Paged(window) => window.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The visit shown in row `n` (of the store's `visits`), when held.
    pub fn visit<'a>(&self, visits: &'a [VisitSummary], n: usize) -> Option<&'a VisitSummary> {
        match self {
            Listing::Whole(rows) => rows.visit(visits, n),
            Listing::Paged(window) => window.visit(visits, n),
        }
    }

    /// A visit's row, when listed (and, paged, held).
    pub fn position_of(&self, visits: &[VisitSummary], id: &str) -> Option<usize> {
        match self {
            Listing::Whole(rows) => rows.position_of(visits, id),
            Listing::Paged(window) => window.position_of(id),
        }
    }

    /// Rows listed and visits in the store (the "N of M"); `None` while not counted yet.
    pub fn counts(&self, store: &Store) -> Option<(usize, usize)> {
        match self {
            Listing::Whole(rows) => Some((rows.len(), store.visits.len())),
            Listing::Paged(window) => window
                .counted()
                .map(|c| (c.listed as usize, c.all as usize)),
        }
    }

    /// Whether the store has no visit at all (rather than none that passes the filters).
    pub fn store_is_empty(&self, store: &Store) -> bool {
        match self {
            Listing::Whole(_) => store.visits.is_empty(),
            Listing::Paged(window) => window.counted().is_some_and(|c| c.all == 0),
        }
    }

    /// Filters and sorts again (the query changed): paged, from the first row.
    pub fn relist(&mut self, source: &dyn VisitStore, store: &mut Store) -> Result<(), String> {
        match self {
            Listing::Whole(rows) => {
                rows.rebuild(&store.visits);
                Ok(())
            }
            Listing::Paged(window) => window.reload(source, store),
        }
    }

    /// Only the sort changed.
    pub fn resort(&mut self, source: &dyn VisitStore, store: &mut Store) -> Result<(), String> {
        match self {
            Listing::Whole(rows) => {
                rows.sort(&store.visits);
                Ok(())
            }
            Listing::Paged(window) => window.reload(source, store),
        }
    }

    /// The search text changed.
    pub fn set_search(
        &mut self,
        source: &dyn VisitStore,
        store: &mut Store,
        search: &str,
    ) -> Result<(), String> {
        match self {
            Listing::Whole(rows) => {
                rows.set_search(&store.visits, search);
                Ok(())
            }
            Listing::Paged(window) => {
                let search = search.trim().to_lowercase();
                if search == window.query.search {
                    return Ok(());
                }
                window.query.search = search;
                window.reload(source, store)
            }
        }
    }

    /// Makes row `n` held (paged: reading pages as needed); the row the cursor can be on.
    pub fn reach(
        &mut self,
        source: &dyn VisitStore,
        store: &mut Store,
        n: usize,
    ) -> Result<usize, String> {
        match self {
            Listing::Whole(rows) => Ok(n.min(rows.len().saturating_sub(1))),
            Listing::Paged(window) => window.reach(source, store, n),
        }
    }

    /// The first row, made held.
    pub fn first(&mut self, source: &dyn VisitStore, store: &mut Store) -> Result<usize, String> {
        match self {
            Listing::Whole(_) => Ok(0),
            Listing::Paged(window) => window.first(source, store),
        }
    }

    /// The last row, made held.
    pub fn last(&mut self, source: &dyn VisitStore, store: &mut Store) -> Result<usize, String> {
        match self {
            Listing::Whole(rows) => Ok(rows.len().saturating_sub(1)),
            Listing::Paged(window) => window.last(source, store),
        }
    }

    /// Reads the rows again after others' reviews; `keep` stays in the store (an open
    /// detail's visit).
    pub fn reread(
        &mut self,
        source: &dyn VisitStore,
        store: &mut Store,
        keep: Option<&str>,
    ) -> Result<(), String> {
        match self {
            Listing::Whole(rows) => {
                rows.rebuild(&store.visits);
                Ok(())
            }
            Listing::Paged(window) => window.reread(source, store, keep),
        }
    }

    /// Counts a paged list once its first page is shown; whether it counted.
    pub fn count(&mut self, source: &dyn VisitStore) -> Result<bool, String> {
        match self {
            Listing::Whole(_) => Ok(false),
            Listing::Paged(window) => window.count(source),
        }
    }

    /// Whether a paged list's count is still to come.
    pub fn counting(&self) -> bool {
        match self {
            Listing::Whole(_) => false,
            Listing::Paged(window) => window.counting(),
        }
    }

    /// The rows in memory.
    pub fn whole(&self) -> Option<&Rows> {
        match self {
            Listing::Whole(rows) => Some(rows),
            Listing::Paged(_) => None,
        }
    }
}
