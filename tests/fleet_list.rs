//! The review list paged through the fleet store (SPEC sections 8 and 11): for every sort,
//! filter and a few searches, the pages read from the database, a few rows at a time and
//! from either end, list exactly the visits, in exactly the order, that the in-memory list
//! gives over the same visits opened from their folder; the screen's window stays bounded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gen_support;
mod pg_support;

use sitecheck::store::figure_counts::Selection;
use sitecheck::store::file_store::FileStore;
use sitecheck::store::index::open::{OpenOptions, Store};
use sitecheck::store::index::summary::VisitSummary;
use sitecheck::store::listing::Cursor;
use sitecheck::store::postgres::PgStore;
use sitecheck::store::seam::VisitStore;
use sitecheck::tui::review::order::{Column, Query, Rows, STATUS_STEPS, VERDICT_STEPS};
use sitecheck::tui::review::paged::{Window, list_query};

/// A store of generated visits (some damaged, about a third reviewed, some of those
/// outdated) in a folder, and imported into a database.
fn stores(pg: &pg_support::Pg, db: &str, visits: usize) -> (tempfile::TempDir, Store, PgStore) {
    let url = pg.create_db(db);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(visits, 23, &data);
    gen_support::damage(&data, 3);
    let (code, out, err) =
        pg_support::run(&["--store", &url], &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    let options = OpenOptions {
        use_cache: false,
        ..OpenOptions::default()
    };
    let files = FileStore::new(vec![data], options.clone()).open();
    let database = PgStore::open(&url, options).unwrap();
    (dir, files, database)
}

/// The ids the in-memory list shows, in order.
fn in_memory(files: &Store, query: &Query) -> Vec<String> {
    let rows = Rows::new(&files.visits, query.clone());
    (0..rows.len())
        .map(|n| rows.visit(&files.visits, n).unwrap().id.clone())
        .collect()
}

fn ids(page: &[VisitSummary]) -> Vec<String> {
    page.iter().map(|v| v.id.clone()).collect()
}

/// The ids the database lists, read `size` at a time from the top.
fn paged_down(source: &PgStore, query: &Query, size: usize) -> Vec<String> {
    let query = list_query(query, &Selection::default());
    let mut seen: Vec<String> = Vec::new();
    let mut cursor = Cursor::First;
    loop {
        let page = source.list_page(&query, &cursor, size).unwrap().unwrap();
        assert!(page.len() <= size);
        seen.extend(ids(&page));
        match page.last() {
            Some(last) if page.len() == size => cursor = Cursor::After(last.id.clone()),
            _ => return seen,
        }
    }
}

/// The same, read from the bottom up.
fn paged_up(source: &PgStore, query: &Query, size: usize) -> Vec<String> {
    let query = list_query(query, &Selection::default());
    let mut seen: Vec<String> = Vec::new();
    let mut cursor = Cursor::Last;
    loop {
        let page = source.list_page(&query, &cursor, size).unwrap().unwrap();
        assert!(page.len() <= size);
        let mut above = ids(&page);
        above.append(&mut seen);
        seen = above;
        match page.first() {
            Some(first) if page.len() == size => cursor = Cursor::Before(first.id.clone()),
            _ => return seen,
        }
    }
}

fn same(files: &Store, source: &PgStore, query: &Query) {
    let want = in_memory(files, query);
    assert_eq!(paged_down(source, query, 7), want, "{query:?}");
    let count = source
        .list_count(&list_query(query, &Selection::default()))
        .unwrap()
        .unwrap();
    assert_eq!(count.listed as usize, want.len(), "{query:?}");
    assert_eq!(count.all as usize, files.visits.len());
}

#[test]
fn every_sort_filter_and_search_pages_as_the_list_orders() {
    let pg = pg_or_skip!();
    let (_dir, files, source) = stores(&pg, "orders", 160);
    assert_eq!(files.visits.len(), 160);
    // Every column, both ways, unfiltered; read from either end.
    for column in Column::ALL {
        for reverse in [false, true] {
            let query = Query {
                sort: column,
                reverse,
                ..Query::default()
            };
            same(&files, &source, &query);
            assert_eq!(
                paged_up(&source, &query, 7),
                in_memory(&files, &query),
                "{query:?} from the end"
            );
        }
    }
    // Every status and verdict filter, each pair under another sort.
    let mut k = 0;
    for status in STATUS_STEPS {
        for verdict in VERDICT_STEPS {
            k += 1;
            let query = Query {
                sort: Column::ALL[k % Column::ALL.len()],
                reverse: k % 2 == 0,
                status,
                verdict,
                ..Query::default()
            };
            same(&files, &source, &query);
        }
    }
    // Searches: an id's beginning, a technician, a work order, a customer, a checklist's
    // id and its title, and one nothing holds.
    let first = &files.visits[0];
    let mut searches = vec![
        first.id[..8].to_lowercase(),
        first.technician.to_lowercase(),
        "wo-".to_owned(),
        "zz-no-such-visit".to_owned(),
    ];
    searches.extend(
        files
            .visits
            .iter()
            .find_map(|v| v.field("customer"))
            .map(|c| c.to_lowercase()),
    );
    let with_title = files
        .visits
        .iter()
        .find(|v| v.checklist.checklist.is_some())
        .unwrap();
    searches.push(with_title.checklist.id.to_lowercase());
    if let sitecheck::checklist::Text::Plain(title) = &with_title.checklist.title {
        searches.push(title.to_lowercase());
    }
    if let sitecheck::checklist::Text::Translated(pairs) = &with_title.checklist.title {
        searches.extend(pairs.iter().map(|(_, t)| t.to_lowercase()));
    }
    for (k, search) in searches.into_iter().enumerate() {
        let query = Query {
            sort: Column::ALL[(k * 3) % Column::ALL.len()],
            reverse: k % 2 == 1,
            search,
            ..Query::default()
        };
        same(&files, &source, &query);
    }
}

#[test]
fn the_window_stays_bounded_while_paging_through_all() {
    let pg = pg_or_skip!();
    let (_dir, files, source) = stores(&pg, "bounded", 130);
    let query = Query {
        sort: Column::Technician,
        ..Query::default()
    };
    let want = in_memory(&files, &query);
    let mut window = Window::new(query, Selection::default()).with_page(7);
    let mut store = Store::empty(Vec::new(), &OpenOptions::default());
    window.reload(&source, &mut store).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !window.count(&source).unwrap() {
        assert!(std::time::Instant::now() < deadline, "never counted");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(window.len(), want.len());
    let bounded = |window: &Window, store: &Store| {
        assert!(window.held() <= window.keep(), "{} held", window.held());
        assert!(
            store.visits.len() <= window.keep(),
            "{} in the store",
            store.visits.len()
        );
    };
    // Down, one row at a time, then up again from the end.
    for (n, id) in want.iter().enumerate() {
        assert_eq!(window.reach(&source, &mut store, n).unwrap(), n);
        assert_eq!(&window.visit(&store.visits, n).unwrap().id, id, "row {n}");
        bounded(&window, &store);
    }
    assert_eq!(window.last(&source, &mut store).unwrap(), want.len() - 1);
    for (n, id) in want.iter().enumerate().rev() {
        assert_eq!(window.reach(&source, &mut store, n).unwrap(), n);
        assert_eq!(
            &window.visit(&store.visits, n).unwrap().id,
            id,
            "row {n} going up"
        );
        bounded(&window, &store);
    }
    // End then Home: the first page read again, not every page between.
    window.last(&source, &mut store).unwrap();
    assert_eq!(window.first(&source, &mut store).unwrap(), 0);
    assert_eq!(&window.visit(&store.visits, 0).unwrap().id, &want[0]);
    assert_eq!(window.held(), 7);
    bounded(&window, &store);
    // Jumps a page and more at a time.
    for n in (0..want.len()).step_by(19) {
        window.reach(&source, &mut store, n).unwrap();
        assert_eq!(&window.visit(&store.visits, n).unwrap().id, &want[n]);
        bounded(&window, &store);
    }
}
