//! The list over a store that pages through its visits itself (the fleet store): only a
//! window of rows around the cursor is held — a few pages — and the next or previous page
//! is read by keyset as the cursor moves; the whole store is never in memory (SPEC section
//! 8). The window's visits are the screen's `Store` (in id order, so that a visit's detail,
//! its verdicts and others' verdicts read it as they do over a folder); `ids` is their
//! order in the list.

use std::collections::{HashSet, VecDeque};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::review::counted::selection;
use crate::review::filter::Filter;
use crate::store::figure_counts::Selection;
use crate::store::index::open::Store;
use crate::store::index::summary::VisitSummary;
use crate::store::listing::{Cursor, ListCount, ListQuery, SortKey};
use crate::store::seam::VisitStore;

use super::order::{Column, Query};

/// Rows read at a time.
pub const PAGE: usize = 100;

/// The most rows the window holds, in pages: the rows farthest from the cursor go first.
pub const KEEP_PAGES: usize = 4;

/// The screen's query in the store's terms, with the command line's narrowing.
pub fn list_query(query: &Query, narrow: &Selection) -> ListQuery {
    let filters = selection(&Filter {
        status: query.status,
        verdict: query.verdict,
        ..Filter::default()
    });
    ListQuery {
        selection: Selection {
            status: filters.status,
            verdict: filters.verdict,
            ..narrow.clone()
        },
        search: query.search.clone(),
        sort: sort_key(query.sort),
        reverse: query.reverse,
    }
}

fn sort_key(column: Column) -> SortKey {
    match column {
        Column::Date => SortKey::Date,
        Column::Technician => SortKey::Technician,
        Column::Checklist => SortKey::Checklist,
        Column::WorkOrder => SortKey::WorkOrder,
        Column::Duration => SortKey::Duration,
        Column::Score => SortKey::Score,
        Column::Result => SortKey::Result,
        Column::Failures => SortKey::Failures,
        Column::Rushed => SortKey::Rushed,
        Column::Integrity => SortKey::Integrity,
        Column::Verdict => SortKey::Verdict,
    }
}

/// A window of the list's rows.
#[derive(Debug, Default)]
pub struct Window {
    pub query: Query,
    /// `--since`, `--until`, `--checklist`: the visits the screen was opened on.
    narrow: Selection,
    /// The rows held, in the list's order: row `base + i` is `ids[i]`.
    ids: VecDeque<String>,
    base: usize,
    /// No row follows the last one held.
    at_end: bool,
    /// How many rows the list has (and the store), once counted.
    count: Option<ListCount>,
    /// The rows are to be counted (once, after the first page is shown: a failure is not
    /// tried again until the list is read again).
    count_wanted: bool,
    /// The count running on another thread.
    counting: Option<Receiver<Result<ListCount, String>>>,
    /// Rows read at a time.
    page: usize,
}

impl Window {
    pub fn new(query: Query, narrow: Selection) -> Window {
        Window {
            query,
            narrow,
            page: PAGE,
            ..Window::default()
        }
    }

    /// Reads `page` rows at a time (and holds at most `KEEP_PAGES` of them).
    pub fn with_page(mut self, page: usize) -> Window {
        self.page = page.max(1);
        self
    }

    /// The most rows held.
    pub fn keep(&self) -> usize {
        self.page * KEEP_PAGES
    }

    fn list_query(&self) -> ListQuery {
        list_query(&self.query, &self.narrow)
    }

    fn read(
        &self,
        source: &dyn VisitStore,
        cursor: &Cursor,
        limit: usize,
    ) -> Result<Vec<VisitSummary>, String> {
        source
            .list_page(&self.list_query(), cursor, limit)
            .unwrap_or_else(|| Ok(Vec::new()))
    }

    /// Reads the list again from its first row (the query changed); the count follows
    /// (`count`), after the first page is shown.
    pub fn reload(&mut self, source: &dyn VisitStore, store: &mut Store) -> Result<(), String> {
        self.count = None;
        self.count_wanted = true;
        self.counting = None;
        let page = self.read(source, &Cursor::First, self.page);
        self.ids.clear();
        self.base = 0;
        self.at_end = true;
        let page = page?;
        self.at_end = page.len() < self.page;
        self.ids = page.iter().map(|v| v.id.clone()).collect();
        keep_only(store, &self.ids, page, None);
        Ok(())
    }

    /// Counts the rows when they are to be counted — on another thread when the store can
    /// (a million rows take a second or more), taken in here when done; whether the count
    /// came (or failed).
    pub fn count(&mut self, source: &dyn VisitStore) -> Result<bool, String> {
        // One count at a time: one asked for meanwhile starts when the running one is in.
        if self.counting.is_none() && std::mem::take(&mut self.count_wanted) {
            match source.list_counter(&self.list_query()) {
                Some(counter) => {
                    let (send, receive) = channel();
                    std::thread::spawn(move || {
                        // The list may have been read again meanwhile: no one to tell.
                        let _ = send.send(counter());
                    });
                    self.counting = Some(receive);
                }
                None => {
                    self.count_now(source)?;
                    return Ok(true);
                }
            }
        }
        let Some(counting) = &self.counting else {
            return Ok(false);
        };
        match counting.try_recv() {
            Ok(count) => {
                self.counting = None;
                self.count = Some(count?);
                Ok(true)
            }
            Err(TryRecvError::Empty) => Ok(false),
            Err(TryRecvError::Disconnected) => {
                self.counting = None;
                Ok(false)
            }
        }
    }

    /// Whether a count is running.
    pub fn counting(&self) -> bool {
        self.count_wanted || self.counting.is_some()
    }

    fn count_now(&mut self, source: &dyn VisitStore) -> Result<(), String> {
        if self.count.is_none()
            && let Some(count) = source.list_count(&self.list_query())
        {
            self.count = Some(count?);
        }
        Ok(())
    }

    /// The rows held: only these are in memory.
    pub fn held(&self) -> usize {
        self.ids.len()
    }

    /// How many rows the list has: counted, or as far as known (one more while a row may
    /// follow, so that the cursor can step down to it).
    pub fn len(&self) -> usize {
        let known = self.base + self.ids.len();
        if self.at_end {
            known
        } else {
            self.count
                .map_or(known + 1, |c| (c.listed as usize).max(known + 1))
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Rows listed, and visits in the store, once counted (the list's "N of M").
    pub fn counted(&self) -> Option<ListCount> {
        self.count
    }

    /// The visit in row `n`, when held.
    pub fn visit<'a>(&self, visits: &'a [VisitSummary], n: usize) -> Option<&'a VisitSummary> {
        let id = self.ids.get(n.checked_sub(self.base)?)?;
        let i = visits
            .binary_search_by(|v| v.id.as_str().cmp(id.as_str()))
            .ok()?;
        visits.get(i)
    }

    pub fn position_of(&self, id: &str) -> Option<usize> {
        self.ids
            .iter()
            .position(|held| held == id)
            .map(|i| self.base + i)
    }

    /// Reads pages until row `n` is held (or the list ends); lets go of the rows farthest
    /// from it beyond `keep`. Returns the row the cursor can be on (`n`, or the last).
    pub fn reach(
        &mut self,
        source: &dyn VisitStore,
        store: &mut Store,
        n: usize,
    ) -> Result<usize, String> {
        let mut result = Ok(());
        while n >= self.base + self.ids.len() && !self.at_end {
            let Some(last) = self.ids.back().cloned() else {
                break;
            };
            let page = match self.read(source, &Cursor::After(last), self.page) {
                Ok(page) => page,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            self.at_end = page.len() < self.page;
            self.ids.extend(page.iter().map(|v| v.id.clone()));
            self.trim(store, page, n);
        }
        let mut n = n;
        while n < self.base && result.is_ok() {
            let Some(first) = self.ids.front().cloned() else {
                break;
            };
            let page = match self.read(source, &Cursor::Before(first), self.page) {
                Ok(page) => page,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            if page.len() == self.base.min(self.page) {
                self.base -= page.len();
            } else {
                // The rows were counted from the end (`last`) before others came or left:
                // the top is where the database says, and the rows move with it.
                n = (n + page.len()).saturating_sub(self.base);
                self.base = 0;
                self.count = None;
                self.count_wanted = true;
                self.counting = None;
            }
            for visit in page.iter().rev() {
                self.ids.push_front(visit.id.clone());
            }
            self.trim(store, page, n);
        }
        result.map(|()| n.min(self.len().saturating_sub(1)))
    }

    /// Back to the first row: the first page read again when the window is further down
    /// (rather than every page between, backwards); the count is kept.
    pub fn first(&mut self, source: &dyn VisitStore, store: &mut Store) -> Result<usize, String> {
        if self.base > 0 {
            let count = self.count;
            self.reload(source, store)?;
            if count.is_some() {
                self.count = count;
                self.count_wanted = false;
            }
        }
        Ok(0)
    }

    /// Reads the last page (the reversed order's first); the row of the last visit.
    pub fn last(&mut self, source: &dyn VisitStore, store: &mut Store) -> Result<usize, String> {
        if self.count.is_none() {
            self.counting = None;
            self.count_wanted = false;
        }
        self.count_now(source)?;
        let page = self.read(source, &Cursor::Last, self.page)?;
        let listed = self.count.map_or(page.len(), |c| c.listed as usize);
        self.base = listed.saturating_sub(page.len());
        self.at_end = true;
        self.ids = page.iter().map(|v| v.id.clone()).collect();
        keep_only(store, &self.ids, page, None);
        Ok(self.len().saturating_sub(1))
    }

    /// Reads the rows held again (reviews written by others), from the first held; `keep`
    /// stays in the store whether listed or not (a visit whose detail is open). The count
    /// stays as it was.
    pub fn reread(
        &mut self,
        source: &dyn VisitStore,
        store: &mut Store,
        keep: Option<&str>,
    ) -> Result<(), String> {
        let Some(first) = self.ids.front().cloned() else {
            return self.reload(source, store);
        };
        let held = self.ids.len().max(self.page);
        let page = self.read(source, &Cursor::From(first), held)?;
        self.at_end = page.len() < held;
        self.ids = page.iter().map(|v| v.id.clone()).collect();
        // A verdict may take a visit into the list or out of it: counted again, in the
        // background (a million rows take a second or more), the old count shown until then.
        self.count_wanted = true;
        keep_only(store, &self.ids, page, keep);
        Ok(())
    }

    /// Lets go of the rows beyond `keep` farthest from row `near`; puts `page` in the store.
    fn trim(&mut self, store: &mut Store, page: Vec<VisitSummary>, near: usize) {
        while self.ids.len() > self.keep() {
            let first_far = near.saturating_sub(self.base);
            let last_far = (self.base + self.ids.len()).saturating_sub(near);
            if first_far > last_far {
                self.ids.pop_front();
                self.base += 1;
            } else {
                self.ids.pop_back();
                self.at_end = false;
            }
        }
        keep_only(store, &self.ids, page, None);
    }
}

/// The store holds the visits of `ids` (and `keep`), in id order: `fresh` ones replace
/// those held.
fn keep_only(
    store: &mut Store,
    ids: &VecDeque<String>,
    fresh: Vec<VisitSummary>,
    keep: Option<&str>,
) {
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).chain(keep).collect();
    let mut visits = fresh;
    visits.append(&mut store.visits);
    visits.retain(|v| wanted.contains(v.id.as_str()));
    // Stable: a fresh summary comes before the one held, and is the one kept.
    visits.sort_by(|a, b| a.id.cmp(&b.id));
    visits.dedup_by(|later, first| later.id == first.id);
    store.visits = visits;
}
