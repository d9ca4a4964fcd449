//! The supervisor's screens (`sitecheck review`, SPEC section 6): the list of visits, one
//! visit's detail, and the stats of the visits listed, with verdicts written as review
//! events through the store seam (`crate::store::seam::VisitStore`).
//!
//! - `mod.rs` (here): the state, the keys, and the event loop;
//! - `order`: which visits the list shows, in what order (pure);
//! - `paged`: the list's window over a store that pages (the fleet store);
//! - `listing`: the list's rows, whichever of the two they come from;
//! - `detail`: one visit's detail, its model and drawing;
//! - `list`, `stats`: drawing the list and the stats tab;
//! - `widgets`: the boxes and bars they share;
//! - `strings`: every word, in English and Chinese.
//!
//! Drawing reads the state (it only keeps the scroll offsets in view); keys change it in
//! `handle_key`.

pub mod detail;
pub mod evidence;
pub mod keymap;
pub mod list;
pub mod listing;
pub mod order;
pub mod paged;
pub mod stats;
pub mod stats_bars;
pub mod strings;
pub mod widgets;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::Frame;

use crate::config::{Config, RushedThresholds};
use crate::lang::Lang;
use crate::log::review::{NewReview, Verdict};
use crate::review::breakdown::By;
use crate::review::period::{Comparison, compare};
use crate::review::stats::{Stats, compute_stats};
use crate::store::index::check::Checked;
use crate::store::index::open::Store;
use crate::store::index::summary::VisitStatus;
use crate::store::seam::VisitStore;

use super::input::{InputResult, LineInput};
use super::theme::Theme;
use detail::Detail;
use keymap::Action;
use listing::Listing;
use order::{Query, Rows};
use strings::{ReviewStrings, review_strings};

/// Smallest usable terminal (as the technician's screens).
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// What the review screens need from the command line and the config.
pub struct ReviewContext {
    pub lang: Lang,
    pub theme: Theme,
    /// The reviewer's name: `--technician` or the config's; asked once when missing.
    pub reviewer: Option<String>,
    pub thresholds: RushedThresholds,
    pub config: Config,
    /// Where the name is remembered once asked (none in tests).
    pub config_path: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    List,
    Stats,
}

/// A review about to be written, waiting for its comment (or the reviewer's name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub visit: String,
    pub verdict: Verdict,
    /// A flagged item: its id.
    pub item: Option<String>,
}

/// A box over the screen that has the keyboard.
#[derive(Clone, Debug, PartialEq)]
pub enum Modal {
    /// Asking the reviewer's name, once, before the first review.
    Name { input: LineInput, then: Pending },
    Comment {
        input: LineInput,
        pending: Pending,
        error: Option<String>,
    },
    /// The key help, scrolled by this many rows.
    Help { scroll: usize },
}

/// A line of news at the bottom of the screen, until the next key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Info(String),
    Error(String),
}

pub struct ReviewScreen {
    pub store: Store,
    /// Where the visits are read from and the reviews written to.
    source: Box<dyn VisitStore>,
    pub lang: Lang,
    pub theme: Theme,
    pub thresholds: RushedThresholds,
    pub reviewer: Option<String>,
    config: Config,
    config_path: Option<PathBuf>,
    pub tab: Tab,
    pub rows: Listing,
    /// Row of the list with the cursor.
    pub selected: usize,
    /// First row of the list in view (kept so scrolling moves the view only when needed).
    pub offset: usize,
    /// List rows that fit on the screen, as last drawn (for PgUp / PgDn).
    pub page: usize,
    pub search: LineInput,
    /// The search line has the keyboard.
    pub searching: bool,
    pub detail: Option<Detail>,
    pub modal: Option<Modal>,
    pub message: Option<Message>,
    /// The figures of the visits listed; recomputed when the list changes and the stats
    /// tab is shown.
    pub stats: Option<Stats>,
    /// This period against the previous one, over the same visits as `stats`.
    pub comparison: Option<Comparison>,
    /// The breakdown `b` chose, if any.
    pub by: Option<By>,
    stats_stale: bool,
    pub stats_scroll: usize,
    /// Lines of the stats tab, as last drawn (for scrolling to the end).
    pub stats_lines: usize,
    /// The help box's largest scroll offset and its rows, as last drawn.
    pub help_max_scroll: usize,
    pub help_rows: u16,
    /// The last frame showed only the "too small" message.
    pub too_small: bool,
    pub quit: bool,
    /// The check of every log, running in the background after a list from the caches.
    check: Option<Receiver<Checked>>,
    /// Visits reviewed while the check runs: read again once its store arrives.
    reviewed_during_check: Vec<String>,
    /// Visits whose reviews others write meanwhile (a fleet store tells; a folder does not).
    watch: Option<Receiver<String>>,
    /// The command line's choice of visits, for a store that counts the figures itself.
    narrow: crate::review::filter::Filter,
}

impl ReviewScreen {
    pub fn new(store: Store, source: Box<dyn VisitStore>, context: ReviewContext) -> ReviewScreen {
        let rows = Listing::Whole(Rows::new(&store.visits, Query::default()));
        ReviewScreen::with_rows(store, rows, source, context)
    }

    /// The screen over a store that pages through its visits itself (`VisitStore::list_page`):
    /// `store` holds no visit yet (its trust is the screen's), `narrow` is the command
    /// line's choice of visits. The first page is read by `set_filters`.
    pub fn paged(
        store: Store,
        narrow: crate::review::filter::Filter,
        source: Box<dyn VisitStore>,
        context: ReviewContext,
    ) -> ReviewScreen {
        let selection = crate::review::counted::selection(&narrow);
        let rows = Listing::Paged(paged::Window::new(Query::default(), selection));
        let mut screen = ReviewScreen::with_rows(store, rows, source, context);
        screen.narrow = narrow;
        screen
    }

    fn with_rows(
        store: Store,
        rows: Listing,
        source: Box<dyn VisitStore>,
        context: ReviewContext,
    ) -> ReviewScreen {
        let message = warnings_message(&store, context.lang);
        let watch = source.watch();
        ReviewScreen {
            watch,
            store,
            source,
            lang: context.lang,
            theme: context.theme,
            thresholds: context.thresholds,
            reviewer: context.reviewer.filter(|r| !r.trim().is_empty()),
            config: context.config,
            config_path: context.config_path,
            tab: Tab::List,
            rows,
            selected: 0,
            offset: 0,
            page: 10,
            search: LineInput::default(),
            searching: false,
            detail: None,
            modal: None,
            message,
            stats: None,
            comparison: None,
            by: None,
            stats_stale: true,
            stats_scroll: 0,
            stats_lines: 0,
            help_max_scroll: 0,
            help_rows: 0,
            too_small: false,
            quit: false,
            check: None,
            reviewed_during_check: Vec::new(),
            narrow: crate::review::filter::Filter::default(),
        }
    }

    /// Takes what `receiver` will deliver (the check of every log, `crate::store::index::check`)
    /// into the list, when it comes.
    pub fn check_in_background(&mut self, receiver: Receiver<Checked>) {
        self.check = Some(receiver);
    }

    /// Whether a background check is still running.
    pub fn checking(&self) -> bool {
        self.check.is_some()
    }

    /// Takes the check's findings if they have come; whether they have.
    pub fn poll_check(&mut self) -> bool {
        let Some(receiver) = &self.check else {
            return false;
        };
        match receiver.try_recv() {
            Ok(checked) => {
                self.check = None;
                self.take_check(checked);
                true
            }
            Err(TryRecvError::Empty) => false,
            // The check died (it cannot, short of a bug): the list stays as the caches had it.
            Err(TryRecvError::Disconnected) => {
                self.check = None;
                false
            }
        }
    }

    /// Reads again the visits whose reviews others have written since last asked; whether
    /// there were any.
    pub fn poll_watch(&mut self) -> bool {
        let Some(watch) = &self.watch else {
            return false;
        };
        let mut heard: Vec<String> = watch.try_iter().collect();
        if heard.is_empty() {
            return false;
        }
        heard.sort();
        heard.dedup();
        for id in &heard {
            self.source.refresh(&mut self.store, id);
        }
        let keep = self.detail.as_ref().map(|d| d.id.clone());
        let reread = self
            .rows
            .reread(self.source.as_ref(), &mut self.store, keep.as_deref());
        self.report(reread);
        self.stats_stale = true;
        true
    }

    /// Brings the list up to date with a check, keeping the filters, the search and the
    /// visit under the cursor; says how many visits had changed.
    pub fn take_check(&mut self, checked: Checked) {
        let selected = self.selected_visit().map(|v| v.id.clone());
        let warnings_before = self.store.report.warnings.len();
        let changed = match checked {
            Checked::Changes(changes) => {
                let read = changes.read;
                self.store.apply(changes);
                read
            }
            Checked::Reopened(mut store) => {
                let read = store.report.read;
                store.trust = std::mem::take(&mut self.store.trust);
                self.store = store;
                read
            }
        };
        // Reviews written meanwhile may have been missed by the check.
        for id in std::mem::take(&mut self.reviewed_during_check) {
            self.source.refresh(&mut self.store, &id);
        }
        let relisted = self.rows.relist(self.source.as_ref(), &mut self.store);
        self.report(relisted);
        if let Some(id) = selected {
            self.selected = (0..self.rows.len())
                .find(|&n| {
                    self.rows
                        .visit(&self.store.visits, n)
                        .is_some_and(|v| v.id == id)
                })
                .unwrap_or(0);
        }
        self.stats_stale = true;
        if self.tab == Tab::Stats {
            self.refresh_stats();
        }
        let s = self.s();
        if self.store.report.warnings.len() > warnings_before {
            self.message = warnings_message(&self.store, self.lang);
        } else if changed > 0 && self.message.is_none() {
            self.message = Some(Message::Info(format!(
                "{}{}{} — {}",
                s.changed_since,
                s.colon,
                widgets::count(changed),
                s.list_updated
            )));
        }
    }

    /// Sets the status and verdict filters (from the command line).
    pub fn set_filters(
        &mut self,
        status: Option<VisitStatus>,
        verdict: Option<crate::review::filter::VerdictFilter>,
    ) {
        self.rows.query_mut().status = status;
        self.rows.query_mut().verdict = verdict;
        self.refilter();
    }

    /// A failure to read the list, said on the message line.
    fn report(&mut self, result: Result<(), String>) {
        if let Err(e) = result {
            self.message = Some(Message::Error(crate::present::sanitize(&e)));
        }
    }

    /// Counts a paged list's rows once its first page is drawn (in the background where the
    /// store can); whether the count came.
    pub fn count_rows(&mut self) -> bool {
        match self.rows.count(self.source.as_ref()) {
            Ok(counted) => counted,
            Err(e) => {
                self.message = Some(Message::Error(crate::present::sanitize(&e)));
                true
            }
        }
    }

    pub fn s(&self) -> &'static ReviewStrings {
        review_strings(self.lang)
    }

    /// The visit under the cursor on the list.
    pub fn selected_visit(&self) -> Option<&crate::store::index::summary::VisitSummary> {
        self.rows.visit(&self.store.visits, self.selected)
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        self.too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
        // The name prompt fits any size, as on the technician's screens.
        if self.too_small && !matches!(self.modal, Some(Modal::Name { .. })) {
            super::run::view::render_too_small(
                frame,
                super::strings::strings(self.lang).too_small,
                area,
            );
            return;
        }
        if let Some(Modal::Name { input, .. }) = &self.modal
            && self.too_small
        {
            widgets::render_name_prompt(self, frame, area, input);
            return;
        }
        if self.detail.is_some() {
            detail::render(self, frame, area);
        } else {
            match self.tab {
                Tab::List => list::render(self, frame, area),
                Tab::Stats => stats::render(self, frame, area),
            }
        }
        if let Some(Modal::Help { scroll }) = self.modal {
            let (max_scroll, rows) = widgets::render_help(self, frame, area, scroll);
            self.help_max_scroll = max_scroll;
            self.help_rows = rows;
        } else {
            widgets::render_modal(self, frame, area);
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            self.quit = true;
            return;
        }
        // Only the "too small" message is shown: other keys would act unseen.
        if self.too_small && !matches!(self.modal, Some(Modal::Name { .. })) {
            return;
        }
        self.message = None;
        if self.modal.is_some() {
            self.modal_key(key);
        } else if self.searching {
            self.search_key(key);
        } else if let Some(action) = keymap::action(key) {
            if self.detail.is_some() {
                self.detail_key(action);
            } else {
                match self.tab {
                    Tab::List => self.list_key(action),
                    Tab::Stats => self.stats_key(action),
                }
            }
        }
        if self.tab == Tab::Stats && self.stats_stale {
            self.refresh_stats();
        }
    }

    pub fn handle_mouse(&mut self, mouse: MouseEvent) {
        if self.too_small || self.modal.is_some() {
            return;
        }
        let down = match mouse.kind {
            MouseEventKind::ScrollDown => true,
            MouseEventKind::ScrollUp => false,
            _ => return,
        };
        let step: isize = if down { 3 } else { -3 };
        if let Some(detail) = &mut self.detail {
            detail.move_cursor(step);
        } else {
            match self.tab {
                Tab::List => self.move_selection(step),
                Tab::Stats => self.scroll_stats(step),
            }
        }
    }

    // --- the list -------------------------------------------------------------------

    fn list_key(&mut self, action: Action) {
        let page = self.page.max(1) as isize;
        match action {
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-page),
            Action::PageDown => self.move_selection(page),
            Action::First => {
                let first = self.rows.first(self.source.as_ref(), &mut self.store);
                match first {
                    Ok(first) => self.selected = first,
                    Err(e) => self.report(Err(e)),
                }
            }
            Action::Last => {
                let last = self.rows.last(self.source.as_ref(), &mut self.store);
                match last {
                    Ok(last) => self.selected = last,
                    Err(e) => self.report(Err(e)),
                }
            }
            Action::Open => self.open_detail(),
            Action::SwitchTab => self.tab = Tab::Stats,
            Action::Quit => self.quit = true,
            // Esc clears what narrows the list, and never quits (`q` does).
            Action::Escape if self.rows.query().is_filtered() => self.clear_filters(),
            Action::Sort => {
                self.rows.query_mut().sort = self.rows.query().sort.next();
                self.resort();
            }
            Action::Reverse => {
                self.rows.query_mut().reverse = !self.rows.query().reverse;
                self.resort();
            }
            Action::NextBreakdown => self.next_breakdown(),
            Action::Judge(verdict) => self.begin_review(verdict, None),
            other => self.filter_key(other),
        }
    }

    /// The keys the list and the stats tab share: search and filters.
    fn filter_key(&mut self, action: Action) {
        match action {
            Action::Search => self.searching = true,
            Action::NextStatus => {
                self.rows.query_mut().next_status();
                self.refilter();
            }
            Action::NextVerdict => {
                self.rows.query_mut().next_verdict();
                self.refilter();
            }
            Action::Help => self.modal = Some(Modal::Help { scroll: 0 }),
            _ => {}
        }
    }

    fn search_key(&mut self, key: KeyEvent) {
        match self.search.handle(key) {
            InputResult::Submit => self.searching = false,
            InputResult::Cancel => {
                self.searching = false;
                self.search.set("");
                self.apply_search();
            }
            InputResult::Changed => self.apply_search(),
            InputResult::Unchanged => {}
            // Moving through the list while the search is typed.
            InputResult::Ignored => match key.code {
                KeyCode::Up => self.move_selection(-1),
                KeyCode::Down => self.move_selection(1),
                KeyCode::Tab if self.tab == Tab::List => {
                    self.searching = false;
                    self.tab = Tab::Stats;
                }
                _ => {}
            },
        }
    }

    fn apply_search(&mut self) {
        let keep = self.selected_id();
        let searched =
            self.rows
                .set_search(self.source.as_ref(), &mut self.store, self.search.text());
        self.report(searched);
        self.after_change(keep);
    }

    fn clear_filters(&mut self) {
        let keep = self.selected_id();
        self.search.set("");
        let query = self.rows.query_mut();
        *query = Query {
            sort: query.sort,
            reverse: query.reverse,
            ..Query::default()
        };
        let relisted = self.rows.relist(self.source.as_ref(), &mut self.store);
        self.report(relisted);
        self.after_change(keep);
    }

    fn refilter(&mut self) {
        let keep = self.selected_id();
        let relisted = self.rows.relist(self.source.as_ref(), &mut self.store);
        self.report(relisted);
        self.after_change(keep);
    }

    /// A new sort starts at the top: the highlight on the first row, not on the visit it
    /// was on (which would leave it somewhere down a list that then looks unsorted).
    fn resort(&mut self) {
        let sorted = self.rows.resort(self.source.as_ref(), &mut self.store);
        self.report(sorted);
        self.after_change(None);
    }

    fn selected_id(&self) -> Option<String> {
        self.selected_visit().map(|v| v.id.clone())
    }

    /// After the rows changed: the cursor stays on the same visit when it is still listed,
    /// else goes to the top.
    fn after_change(&mut self, keep: Option<String>) {
        self.selected = keep
            .and_then(|id| self.rows.position_of(&self.store.visits, &id))
            .unwrap_or(0);
        if self.selected == 0 {
            self.offset = 0;
        }
        self.stats_stale = true;
    }

    pub fn move_selection(&mut self, by: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.move_to(self.selected.saturating_add_signed(by).min(last));
    }

    /// Puts the cursor on row `n`, read from the store first when the list pages.
    fn move_to(&mut self, n: usize) {
        match self.rows.reach(self.source.as_ref(), &mut self.store, n) {
            Ok(n) => self.selected = n,
            Err(e) => self.report(Err(e)),
        }
    }

    fn open_detail(&mut self) {
        let Some(visit) = self.selected_visit() else {
            return;
        };
        let loaded = self
            .source
            .load(&visit.reference())
            .map_err(|e| e.to_string());
        let mut detail = Detail::new(visit.id.clone(), loaded, &self.thresholds);
        if let Ok(loaded) = &detail.loaded {
            detail.evidence = evidence::EvidenceChecks::check(
                self.source.as_ref(),
                &visit.reference(),
                loaded
                    .state
                    .answers
                    .values()
                    .flat_map(|st| st.evidence.iter()),
            );
        }
        self.detail = Some(detail);
    }

    // --- the detail -----------------------------------------------------------------

    fn detail_key(&mut self, action: Action) {
        let Some(detail) = &mut self.detail else {
            return;
        };
        let page = detail.page.max(1) as isize;
        match action {
            Action::Up => detail.move_cursor(-1),
            Action::Down => detail.move_cursor(1),
            Action::PageUp => detail.move_cursor(-page),
            Action::PageDown => detail.move_cursor(page),
            Action::First => detail.move_cursor(isize::MIN / 2),
            Action::Last => detail.move_cursor(isize::MAX / 2),
            Action::Escape | Action::Quit | Action::Back => self.detail = None,
            Action::Judge(verdict) => self.begin_review(verdict, None),
            Action::FlagItem => {
                let item = detail.current_item_id();
                if item.is_some() {
                    self.begin_review(Verdict::FollowUp, item);
                }
            }
            Action::Help => self.modal = Some(Modal::Help { scroll: 0 }),
            Action::OpenEvidence => self.open_evidence(),
            _ => {}
        }
    }

    /// `o`: the highlighted item's next file, handed to the system viewer.
    fn open_evidence(&mut self) {
        let s = self.s();
        let Some(detail) = &mut self.detail else {
            return;
        };
        let attached = detail.current_attachments();
        let (Some(item), Some(visit)) = (detail.current_item_id(), self.store.get(&detail.id))
        else {
            return;
        };
        let Some(chosen) = detail.evidence.next_to_open(&item, &attached).cloned() else {
            self.message = Some(Message::Info(s.evidence_none.into()));
            return;
        };
        let path = match self
            .source
            .evidence_file(&visit.reference(), &chosen.sha256)
        {
            Ok(path) => path,
            Err(err) => {
                self.message = Some(Message::Error(
                    s.evidence_cannot_open
                        .replace("{name}", &crate::present::sanitize(&chosen.name))
                        .replace("{why}", &crate::present::sanitize(&err.to_string())),
                ));
                return;
            }
        };
        let (opened, message) = evidence::open_with_viewer(s, &chosen.name, &path);
        self.message = Some(if opened {
            Message::Info(message)
        } else {
            Message::Error(message)
        });
    }

    // --- the stats ------------------------------------------------------------------

    fn stats_key(&mut self, action: Action) {
        match action {
            Action::Up => self.scroll_stats(-1),
            Action::Down => self.scroll_stats(1),
            Action::PageUp => self.scroll_stats(-(self.page.max(1) as isize)),
            Action::PageDown => self.scroll_stats(self.page.max(1) as isize),
            Action::First => self.stats_scroll = 0,
            Action::Last => self.scroll_stats(isize::MAX / 2),
            Action::SwitchTab | Action::Escape => self.tab = Tab::List,
            Action::Quit => self.quit = true,
            Action::NextBreakdown => self.next_breakdown(),
            other => self.filter_key(other),
        }
    }

    /// `b`: technician, checklist, week, month, store, each header field, then none.
    fn next_breakdown(&mut self) {
        let mut fields: Vec<String> = Vec::new();
        // A paged list's visits were summarised a page at a time: their checklists too.
        let paged = self
            .rows
            .whole()
            .is_none()
            .then(|| self.store.visits.iter().map(|v| v.checklist.clone()))
            .into_iter()
            .flatten();
        for info in self.store.checklists.all().into_iter().chain(paged) {
            for field in info
                .checklist
                .as_deref()
                .map_or(&[][..], |c| &c.visit_fields)
            {
                if !fields.contains(&field.id) {
                    fields.push(field.id.clone());
                }
            }
        }
        self.by = By::next(self.by.as_ref(), &fields);
        self.tab = Tab::Stats;
        self.stats_scroll = 0;
        self.stats_stale = true;
    }

    fn scroll_stats(&mut self, by: isize) {
        let last = self.stats_lines.saturating_sub(self.page.max(1));
        self.stats_scroll = self.stats_scroll.saturating_add_signed(by).min(last);
    }

    pub fn stats_is_stale(&self) -> bool {
        self.stats_stale
    }

    /// Computes the figures of the visits listed (once per change of the list), by the
    /// same `compute_stats` as `sitecheck stats` and the HTML report.
    pub fn refresh_stats(&mut self) {
        self.stats_stale = false;
        let Some(rows) = self.rows.whole() else {
            // Paged, the figures are counted where the visits are (in SQL), over the
            // visits the filters choose; the search is not a filter the figures know.
            let query = self.rows.query();
            let filter = crate::review::filter::Filter {
                status: query.status,
                verdict: query.verdict,
                ..self.narrow.clone()
            };
            match crate::review::counted::counted_in_store(
                self.source.as_ref(),
                &filter,
                self.by.as_ref(),
                &self.thresholds,
            ) {
                Some(Ok((stats, comparison))) => {
                    self.stats = Some(stats);
                    self.comparison = comparison;
                }
                Some(Err(e)) => self.report(Err(e)),
                None => {}
            }
            return;
        };
        let visits = &self.store.visits;
        let listed = rows.rows.iter().filter_map(|&i| visits.get(i as usize));
        self.stats = Some(compute_stats(listed.clone(), self.by.as_ref()));
        self.comparison = compare(listed, None, None);
    }

    // --- verdicts -------------------------------------------------------------------

    /// `a`, `r`, `x` or `!`: asks the name (once) and then the comment.
    fn begin_review(&mut self, verdict: Verdict, item: Option<String>) {
        let s = self.s();
        let visit = match &self.detail {
            Some(detail) => self.store.get(&detail.id),
            None => self.selected_visit(),
        };
        let Some(visit) = visit else {
            self.message = Some(Message::Error(s.nothing_selected.into()));
            return;
        };
        if visit.status == VisitStatus::Unreadable || visit.last_hash.is_empty() {
            self.message = Some(Message::Error(s.unreadable_visit.into()));
            return;
        }
        // Verdicts are for finished and abandoned visits (SPEC section 6).
        if visit.status == VisitStatus::Open {
            self.message = Some(Message::Error(s.open_refused.into()));
            return;
        }
        let pending = Pending {
            visit: visit.id.clone(),
            verdict,
            item,
        };
        self.modal = Some(match self.reviewer {
            None => Modal::Name {
                input: LineInput::default(),
                then: pending,
            },
            Some(_) => Modal::Comment {
                input: LineInput::default(),
                pending,
                error: None,
            },
        });
    }

    fn modal_key(&mut self, key: KeyEvent) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        self.modal = match modal {
            Modal::Help { scroll } => {
                let page = usize::from(self.help_rows);
                crate::tui::help::scroll_key(key.code, scroll, page).map(|scroll| Modal::Help {
                    scroll: scroll.min(self.help_max_scroll),
                })
            }
            Modal::Name { mut input, then } => match input.handle(key) {
                InputResult::Cancel => None,
                InputResult::Submit if !input.text().trim().is_empty() => {
                    self.remember_reviewer(input.text().trim());
                    Some(Modal::Comment {
                        input: LineInput::default(),
                        pending: then,
                        error: None,
                    })
                }
                _ => Some(Modal::Name { input, then }),
            },
            Modal::Comment {
                mut input,
                pending,
                error,
            } => match input.handle(key) {
                InputResult::Cancel => None,
                InputResult::Submit => match self.write_review(&pending, input.text().trim()) {
                    Ok(()) => None,
                    Err(error) => Some(Modal::Comment {
                        input,
                        pending,
                        error: Some(error),
                    }),
                },
                InputResult::Changed => Some(Modal::Comment {
                    input,
                    pending,
                    error: None,
                }),
                _ => Some(Modal::Comment {
                    input,
                    pending,
                    error,
                }),
            },
        };
    }

    /// Appends the review to the log beside the visit's data folder, with the hash of the
    /// visit's last line as listed, then reads the visit's reviews again.
    fn write_review(&mut self, pending: &Pending, comment: &str) -> Result<(), String> {
        let s = self.s();
        if pending.verdict != Verdict::Approved && comment.is_empty() {
            return Err(s.need_comment.into());
        }
        let reviewer = self.reviewer.clone().unwrap_or_default();
        let visit = self
            .store
            .get(&pending.visit)
            .ok_or_else(|| s.nothing_selected.to_owned())?;
        let at = visit.reference();
        let visit_hash = visit.last_hash.clone();
        let review = NewReview {
            visit: &pending.visit,
            visit_hash: &visit_hash,
            reviewer: &reviewer,
            verdict: pending.verdict,
            comment,
            item: pending.item.as_deref(),
        };
        self.source
            .append_review(&at, &review)
            .map_err(|e| format!("{}{}{e}", s.not_saved, s.colon))?;
        self.source.refresh(&mut self.store, &pending.visit);
        if self.check.is_some() {
            self.reviewed_during_check.push(pending.visit.clone());
        }
        self.stats_stale = true;
        let word = widgets::verdict_word(s, pending.verdict);
        self.message = Some(Message::Info(format!("✓ {word} — {}", s.saved)));
        Ok(())
    }

    /// Keeps the reviewer's name in the config file so it is asked only once.
    fn remember_reviewer(&mut self, name: &str) {
        self.reviewer = Some(name.to_owned());
        self.config.technician = Some(name.to_owned());
        if let Some(path) = &self.config_path
            && let Err(err) = self.config.save(path)
        {
            self.message = Some(Message::Error(err.to_string()));
        }
    }

    /// Runs until the user quits. The terminal is restored however this returns.
    pub fn run(mut self) -> std::io::Result<()> {
        super::event_loop::run(&mut self)
    }
}

impl super::event_loop::Screen for ReviewScreen {
    fn draw(&mut self, frame: &mut Frame) {
        ReviewScreen::draw(self, frame);
    }

    fn handle_key(&mut self, key: KeyEvent) {
        ReviewScreen::handle_key(self, key);
    }

    fn handle_mouse(&mut self, mouse: crossterm::event::MouseEvent) {
        ReviewScreen::handle_mouse(self, mouse);
    }

    /// The background check's result, taken in as soon as it is there; others' verdicts.
    fn between_events(&mut self) -> bool {
        let checked = self.poll_check();
        // A paged list is counted once its first page is on the screen.
        let counted = self.count_rows();
        self.poll_watch() || checked || counted
    }

    /// While a check or a count runs, its result is looked for between keys.
    fn wait(&self) -> Duration {
        let waiting = self.checking() || self.rows.counting();
        Duration::from_millis(if waiting { 50 } else { 1000 })
    }

    fn done(&self) -> bool {
        self.quit
    }
}

/// The warnings of an opened store as one line: how many, and the first.
fn warnings_message(store: &Store, lang: Lang) -> Option<Message> {
    // A folder that could not be read comes first: the list is smaller than the store.
    let mut all = store.report.unreadable.iter().chain(&store.report.warnings);
    let first = all.next()?;
    let s = review_strings(lang);
    Some(Message::Error(format!(
        "{} {}{}{}",
        store.report.warnings.len() + store.report.unreadable.len(),
        s.warnings,
        s.colon,
        crate::present::sanitize(first)
    )))
}
