//! The fleet store (SPEC section 11): visits, reviews, evidence and the import ledger in a
//! PostgreSQL database shared by a service network, behind the same store seam as the data
//! folders.
//!
//! The database keeps every log's lines exactly as written, so each per-visit command reads
//! a log rebuilt byte for byte and goes through the one loader: the same output as on files.
//!
//! - `connect`: the URL, the connection, errors in words.
//! - `schema`: tables, triggers and migrations.
//! - `lines`: a log as lines with their hashes; COPY's text format.
//! - `import`: the file import's rules into the database.
//! - `rows`: writing visit rows, chained lines and ledger lines (COPY).
//! - `evidence`: evidence files by their hash.
//! - `figures`: the figures' counting, in SQL, over visit rows.
//! - `rollup`: the same counts kept per day, which `stats` reads.
//! - `read`: logs, review logs and the ledger read back.
//! - `list`: the review list's pages and counts, filtered and ordered in SQL.

pub mod connect;
mod evidence;
mod figures;
pub mod import;
pub mod lines;
mod list;
mod read;
mod rollup;
mod rows;
pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::index::checklists::ChecklistSet;

use postgres::Client;

use crate::log::review::{NewReview, Review, ReviewError};

use crate::config::RushedThresholds;

use super::evidence::EvidenceCheck;
use super::figure_counts::{Counts, Dimension, NONE_KEY, Selection, Version};
use super::import::{ImportError, ImportReport, Wait};
use super::index::check::{Changes, Checked};
use super::index::open::{OpenOptions, Store, open_held};
use super::index::summary::VisitSummary;
use super::ledger::Ledger;
use super::listing::{Cursor, ListCount, ListQuery};
use super::seam::{FindError, ImportFailure, Location, StoredLog, Unlisted, VisitRef, VisitStore};

pub use connect::{FleetError, is_database_url};

/// A PostgreSQL database as a store of visits and reviews.
pub struct PgStore {
    /// The URL as given, for a second connection (never shown: it may hold a password).
    url: String,
    /// The URL as messages show it (no password).
    shown: String,
    client: Mutex<Client>,
    options: OpenOptions,
    /// Each checklist version's id and titles, lower-cased, one per line of text the
    /// search looks in (by sha256): read once per version, for the list's search.
    searched_titles: Mutex<std::collections::HashMap<String, Vec<String>>>,
    /// The checklist versions met so far, each loaded once (a page of the list, the
    /// figures' versions), not once a page.
    checklists: Arc<ChecklistSet>,
}

impl PgStore {
    /// Connects to the database of `url`, and creates or migrates its schema.
    pub fn open(url: &str, options: OpenOptions) -> Result<PgStore, FleetError> {
        let shown = connect::redact(url);
        let mut client = connect::connect(url)?;
        schema::migrate(&mut client, &shown)?;
        Ok(PgStore {
            url: url.to_owned(),
            shown,
            client: Mutex::new(client),
            options,
            searched_titles: Mutex::default(),
            checklists: Arc::default(),
        })
    }

    /// How messages name the store, as a data folder is named.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Runs `f` on the connection; a failure as a message naming the store.
    fn with<T>(
        &self,
        what: &'static str,
        f: impl FnOnce(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, String> {
        let mut client = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut client).map_err(|e| connect::db_error(&self.shown, what, &e).to_string())
    }

    fn reference(&self, id: String, month: &str) -> VisitRef {
        VisitRef {
            location: Location::Database {
                log: import::log_path(&self.shown, month, &id),
            },
            id,
        }
    }

    /// The checklist versions whose id or a title holds `search` (lower-case), lower-cased
    /// here as the in-memory list lower-cases them (`order::Haystacks`).
    fn titled(&self, client: &mut Client, search: &str) -> Result<Vec<String>, postgres::Error> {
        if search.is_empty() {
            return Ok(Vec::new());
        }
        let mut known = self
            .searched_titles
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let versions = list::versions(client)?;
        let checklists = &*self.checklists;
        for (sha, line) in &versions {
            if known.contains_key(sha) {
                continue;
            }
            let texts = line.as_ref().map_or_else(Vec::new, |line| {
                let summary = super::index::summarize::summarize_bytes(
                    format!("{line}\n").as_bytes(),
                    "",
                    Path::new(""),
                    checklists,
                );
                let info = &summary.checklist;
                let titles: Vec<&str> = match &info.title {
                    crate::checklist::Text::Empty => Vec::new(),
                    crate::checklist::Text::Plain(t) => vec![t.as_str()],
                    crate::checklist::Text::Translated(pairs) => {
                        pairs.iter().map(|(_, t)| t.as_str()).collect()
                    }
                };
                std::iter::once(info.id.as_str())
                    .chain(titles)
                    .map(|t| t.chars().flat_map(char::to_lowercase).collect())
                    .collect()
            });
            known.insert(sha.clone(), texts);
        }
        Ok(versions
            .into_iter()
            .filter(|(sha, _)| {
                known
                    .get(sha)
                    .is_some_and(|texts| texts.iter().any(|t| t.contains(search)))
            })
            .map(|(sha, _)| sha)
            .collect())
    }

    fn unreadable(&self, error: String) -> Store {
        let mut store = Store::default();
        store.data_dirs = vec![PathBuf::from(&self.shown)];
        store.report.unreadable.push(error);
        store
    }
}

impl VisitStore for PgStore {
    fn open(&self) -> Store {
        let mut client = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let fail = |e: postgres::Error| {
            connect::db_error(&self.shown, "cannot read the visits", &e).to_string()
        };
        // The logs come through a cursor, a chunk at a time, each summarised before the
        // next is fetched: memory holds the summaries, never every log.
        let mut tx = match client.transaction() {
            Ok(tx) => tx,
            Err(e) => return self.unreadable(fail(e)),
        };
        let reviews = match read::all_review_logs(&mut tx, &self.shown) {
            Ok(reviews) => reviews,
            Err(e) => return self.unreadable(fail(e)),
        };
        let portal = match read::visit_logs_cursor(&mut tx) {
            Ok(portal) => portal,
            Err(e) => return self.unreadable(fail(e)),
        };
        let mut error = None;
        let mut next = || match read::next_visit_logs(&mut tx, &portal, &self.shown) {
            Ok(logs) if logs.is_empty() => None,
            Ok(logs) => Some(logs),
            Err(e) => {
                error = Some(fail(e));
                None
            }
        };
        let mut store = open_held(
            Path::new(&self.shown),
            &mut next,
            reviews,
            &self.options,
            self.checklists.clone(),
        );
        if let Some(error) = error {
            // Part of the store could not be read: said, and the exit code says so.
            store.report.unreadable.push(error);
        }
        store
    }

    fn open_snapshot(&self) -> Store {
        self.open()
    }

    fn first_open(&self) -> bool {
        false
    }

    fn refresher(&self, _snapshot: &Store) -> Box<dyn FnOnce() -> Checked + Send> {
        // A snapshot of the database is the database as it was read: nothing to catch up.
        Box::new(|| Checked::Changes(Changes::default()))
    }

    fn refresh(&self, store: &mut Store, id: &str) {
        let Ok(Some(visit)) = self.with("cannot read the visit", |client| {
            read::visit_month(client, id)
        }) else {
            return;
        };
        let visit = self.reference(id.to_owned(), &visit);
        let mut bytes = Vec::new();
        if self.read_visit_log(&visit, &mut bytes).is_err() {
            return;
        }
        let log = super::index::open::HeldLog {
            id: id.to_owned(),
            path: PathBuf::from(visit.shown()),
            bytes,
        };
        let reviews = self
            .review_log(&visit)
            .and_then(|l| l.bytes.ok())
            .map(|bytes| super::index::open::HeldLog {
                id: id.to_owned(),
                path: PathBuf::new(),
                bytes,
            });
        store.replace_held(&log, reviews.as_ref());
    }

    fn visits(&self) -> (Vec<VisitRef>, Vec<Unlisted>) {
        match self.with("cannot list the visits", read::visit_ids) {
            Ok(ids) => (
                ids.into_iter()
                    .map(|(id, month)| self.reference(id, &month))
                    .collect(),
                Vec::new(),
            ),
            Err(error) => (
                Vec::new(),
                vec![Unlisted {
                    shown: self.shown.clone(),
                    error,
                }],
            ),
        }
    }

    fn find(&self, wanted: &str) -> Result<VisitRef, FindError> {
        let wanted_upper = wanted.trim().to_ascii_uppercase();
        if wanted_upper.is_empty() {
            return Err(FindError::NotFound);
        }
        let found = self
            .with("cannot find the visit", |client| {
                read::ids_starting(client, &wanted_upper)
            })
            .map_err(|_| FindError::NotFound)?;
        match found.as_slice() {
            [] => Err(FindError::NotFound),
            [(id, month)] => Ok(self.reference(id.clone(), month)),
            several => match several.iter().find(|(id, _)| *id == wanted_upper) {
                Some((id, month)) => Ok(self.reference(id.clone(), month)),
                None => Err(FindError::Ambiguous(
                    several.iter().take(4).map(|(id, _)| id.clone()).collect(),
                )),
            },
        }
    }

    fn read_visit_log(&self, visit: &VisitRef, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let bytes = self
            .with("cannot read the visit log", |client| {
                read::visit_log(client, &visit.id)
            })
            .map_err(std::io::Error::other)?;
        match bytes {
            Some(bytes) => {
                *buf = bytes;
                Ok(())
            }
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the visit is not in the database",
            )),
        }
    }

    fn evidence_file(&self, _visit: &VisitRef, sha256: &str) -> std::io::Result<PathBuf> {
        // A viewer needs a file: the bytes are written once to a cache folder named by
        // hash (a name from a log becomes a path only when it is a sha256).
        let cache = std::env::temp_dir().join("sitecheck-fleet-evidence");
        let path = super::evidence::evidence_path(&cache, sha256)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a sha256"))?;
        if path.is_file() {
            return Ok(path);
        }
        let bytes = self
            .with("cannot read the evidence", |client| {
                read::evidence_bytes(client, sha256)
            })
            .map_err(std::io::Error::other)?
            .ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, "not in the fleet store")
            })?;
        let folder = path
            .parent()
            .ok_or_else(|| std::io::Error::other("no folder"))?;
        std::fs::create_dir_all(folder)?;
        let partial = folder.join(format!(".{sha256}.{}", std::process::id()));
        std::fs::write(&partial, &bytes)?;
        std::fs::rename(&partial, &path)?;
        Ok(path)
    }

    fn check_evidence(&self, _visit: &VisitRef, sha256: &str, size: u64) -> EvidenceCheck {
        match self.with("cannot read the evidence", |client| {
            read::evidence_bytes(client, sha256)
        }) {
            Err(e) => EvidenceCheck::Unreadable(e),
            Ok(None) => EvidenceCheck::Missing,
            Ok(Some(bytes)) => {
                let same_size = u64::try_from(bytes.len()).is_ok_and(|n| n == size);
                if same_size && lines::sha256_hex(&bytes) == sha256 {
                    EvidenceCheck::Holds
                } else {
                    EvidenceCheck::Altered
                }
            }
        }
    }

    fn review_log(&self, visit: &VisitRef) -> Option<StoredLog> {
        let shown = format!("{}/reviews/{}.jsonl", self.shown, visit.id);
        match self.with("cannot read the review log", |client| {
            read::review_log(client, &visit.id)
        }) {
            Ok(None) => None,
            Ok(Some(bytes)) => Some(StoredLog {
                shown,
                bytes: Ok(bytes),
            }),
            Err(error) => Some(StoredLog {
                shown,
                bytes: Err(std::io::Error::other(error)),
            }),
        }
    }

    fn ledgers(&self) -> Vec<Result<Ledger, Unlisted>> {
        let shown = format!("{}/imports", self.shown);
        vec![
            self.with("cannot read the import ledger", read::ledger_bytes)
                .map(|bytes| Ledger::from_bytes(shown.clone(), &bytes))
                .map_err(|error| Unlisted { shown, error }),
        ]
    }

    fn append_review(&self, visit: &VisitRef, review: &NewReview) -> Result<Review, ReviewError> {
        let mut client = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        read::append_review(&mut client, &self.shown, &visit.id, review)
    }

    fn page(&self, after: Option<&str>, limit: usize) -> Option<Result<Vec<VisitSummary>, String>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Some(
            self.with("cannot read the visits", |client| {
                read::page_logs(client, &self.shown, after, limit)
            })
            .map(|(visits, reviews)| {
                // The page through the one summariser, with its reviews, as `open` reads all.
                let mut logs = Some(visits);
                let mut next = || logs.take();
                let mut page = open_held(
                    Path::new(&self.shown),
                    &mut next,
                    reviews,
                    &self.options,
                    self.checklists.clone(),
                )
                .visits;
                page.reverse();
                page
            }),
        )
    }

    fn list_page(
        &self,
        query: &ListQuery,
        cursor: &Cursor,
        limit: usize,
    ) -> Option<Result<Vec<VisitSummary>, String>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Some(
            self.with("cannot read the visits", |client| {
                let titled = self.titled(client, &query.search)?;
                list::page(
                    client,
                    &self.shown,
                    query,
                    &titled,
                    &self.options.thresholds,
                    cursor,
                    limit,
                )
            })
            .map(|(visits, reviews)| {
                // The page through the one summariser, with its reviews, as `open` reads
                // all; the summaries come in id order, and go back into the list's.
                let order: Vec<String> = visits.iter().map(|v| v.id.clone()).collect();
                let mut logs = Some(visits);
                let mut next = || logs.take();
                let mut summaries: std::collections::HashMap<String, VisitSummary> = open_held(
                    Path::new(&self.shown),
                    &mut next,
                    reviews,
                    &self.options,
                    self.checklists.clone(),
                )
                .visits
                .into_iter()
                .map(|v| (v.id.clone(), v))
                .collect();
                order.iter().filter_map(|id| summaries.remove(id)).collect()
            }),
        )
    }

    fn list_count(&self, query: &ListQuery) -> Option<Result<ListCount, String>> {
        Some(self.with("cannot count the visits", |client| {
            let titled = self.titled(client, &query.search)?;
            list::count(client, query, &titled)
        }))
    }

    fn list_counter(&self, query: &ListQuery) -> Option<super::seam::ListCounter> {
        // The titles the search finds are read here, on the screen's connection (a quick
        // look through the versions); the count runs on a connection of its own.
        let titled = self.with("cannot count the visits", |client| {
            self.titled(client, &query.search)
        });
        let (url, shown, query) = (self.url.clone(), self.shown.clone(), query.clone());
        Some(Box::new(move || {
            let titled = titled?;
            let mut client = connect::connect(&url).map_err(|e| e.to_string())?;
            list::count(&mut client, &query, &titled)
                .map_err(|e| connect::db_error(&shown, "cannot count the visits", &e).to_string())
        }))
    }

    fn count_figures(
        &self,
        selection: &Selection,
        by: Option<&Dimension>,
        thresholds: &RushedThresholds,
    ) -> Option<Result<Counts, String>> {
        Some(self.with("cannot count the figures", |client| {
            rollup::refresh(client)?;
            // Each version's checklist, loaded from one of its logs' first line by the one
            // summariser: whether it loads, its items and targets.
            let checklists = &*self.checklists;
            let mut versions: Vec<Version> = rollup::versions(client, selection)?
                .into_iter()
                .map(|(sha, id, line)| {
                    let summary = super::index::summarize::summarize_bytes(
                        format!("{line}\n").as_bytes(),
                        &id,
                        Path::new(""),
                        checklists,
                    );
                    Version {
                        sha,
                        checklist: summary.checklist.checklist.clone(),
                        ..Version::default()
                    }
                })
                .collect();
            let loadable: Vec<String> = versions
                .iter()
                .filter(|v| v.checklist.is_some())
                .map(|v| v.sha.clone())
                .collect();
            let mut counts = if rollup::answers(by, thresholds) {
                rollup::count(client, selection, &loadable, by, &self.shown, NONE_KEY)?
            } else {
                figures::count(
                    client,
                    selection,
                    thresholds,
                    &loadable,
                    by,
                    &self.shown,
                    NONE_KEY,
                )?
            };
            for counted in &counts.versions {
                if let Some(v) = versions.iter_mut().find(|v| v.sha == counted.sha) {
                    v.first_visit.clone_from(&counted.first_visit);
                    v.newest.clone_from(&counted.newest);
                    v.counted = counted.counted;
                }
            }
            versions.sort_by(|a, b| {
                (a.counted == 0, &a.first_visit).cmp(&(b.counted == 0, &b.first_visit))
            });
            counts.versions = versions;
            Ok(counts)
        }))
    }

    fn figure_days(
        &self,
        selection: &Selection,
        _thresholds: &RushedThresholds,
    ) -> Option<Result<Option<(String, String)>, String>> {
        Some(self.with("cannot count the figures", |client| {
            rollup::refresh(client)?;
            rollup::days(client, selection)
        }))
    }

    fn figure_names(&self) -> Option<Result<Vec<(String, String)>, String>> {
        Some(self.with("cannot count the figures", |client| {
            rollup::refresh(client)?;
            rollup::names(client)
        }))
    }

    fn watch(&self) -> Option<std::sync::mpsc::Receiver<String>> {
        // A connection of its own, listening before this returns (so nothing written from
        // now on is missed), then waiting on the server's notifications in a thread: the
        // screen's connection stays free for its queries. It ends when the screen is gone
        // or the connection is lost (the screen then just stops hearing of others' verdicts).
        let mut client = connect::connect(&self.url).ok()?;
        client.batch_execute("LISTEN sitecheck_reviews").ok()?;
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use postgres::fallible_iterator::FallibleIterator;
            let mut notifications = client.notifications();
            let mut heard = notifications.blocking_iter();
            while let Ok(Some(note)) = heard.next() {
                if send.send(note.payload().to_owned()).is_err() {
                    return;
                }
            }
        });
        Some(receive)
    }

    fn import(
        &self,
        sources: &[PathBuf],
        _wait: Wait,
        _busy: &mut dyn FnMut(&ImportError),
        report: &mut dyn FnMut(&Path, &ImportReport) -> std::io::Result<()>,
    ) -> Result<(), ImportFailure> {
        // Imports into a database never wait for each other as a whole: each visit is
        // locked while it is compared and written.
        let mut client = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // A second connection writes batches beside the first (the server then works on
        // two at once); without one, the first writes them all.
        let mut second = connect::connect(&self.url).ok();
        let mut clients: Vec<&mut Client> = vec![&mut *client];
        clients.extend(second.as_mut());
        import::import_sources(&mut clients, &self.shown, sources, report)?;
        // The days imported are counted now rather than by the next `stats`. Should this
        // fail, the import stands all the same: whoever reads the figures counts them.
        let counted = rollup::refresh(&mut client);
        // When something was written, the planner's statistics are brought up to date with
        // it (the server's own analyse may come minutes later), so the review list's pages
        // are read by index at once. A sample, so it costs little however large.
        if matches!(counted, Ok(true)) {
            let _ = client.batch_execute("ANALYZE visits, review_latest, review_logs");
        }
        Ok(())
    }
}
