//! Two review screens on one fleet store (SPEC section 11): a verdict given on one appears
//! on the other, open meanwhile, within seconds (LISTEN/NOTIFY), with no key pressed there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gen_support;
mod pg_support;

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sitecheck::config::{Config, RushedThresholds};
use sitecheck::lang::Lang;
use sitecheck::log::review::Verdict;
use sitecheck::review::filter::Filter;
use sitecheck::store::index::open::{OpenOptions, Store};
use sitecheck::store::postgres::PgStore;
use sitecheck::store::seam::VisitStore;
use sitecheck::tui::review::{ReviewContext, ReviewScreen};
use sitecheck::tui::theme::Theme;

fn screen(url: &str, reviewer: &str) -> ReviewScreen {
    let source = PgStore::open(url, OpenOptions::default()).unwrap();
    let store = source.open();
    ReviewScreen::new(
        store,
        Box::new(source),
        ReviewContext {
            lang: Lang::En,
            theme: Theme::new(false),
            reviewer: Some(reviewer.to_owned()),
            thresholds: RushedThresholds::default(),
            config: Config::default(),
            config_path: None,
        },
    )
}

/// The screen as `sitecheck --store URL review` opens it: paged, nothing read whole.
fn paged_screen(url: &str, reviewer: &str) -> ReviewScreen {
    let source = PgStore::open(url, OpenOptions::default()).unwrap();
    let mut screen = ReviewScreen::paged(
        Store::empty(Vec::new(), &OpenOptions::default()),
        Filter::default(),
        Box::new(source),
        ReviewContext {
            lang: Lang::En,
            theme: Theme::new(false),
            reviewer: Some(reviewer.to_owned()),
            thresholds: RushedThresholds::default(),
            config: Config::default(),
            config_path: None,
        },
    );
    screen.set_filters(None, None);
    screen
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn a_verdict_given_on_one_screen_appears_on_another() {
    let pg = pg_or_skip!();
    let url = pg.create_db("desk");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(12, 4, &data);
    let (code, out, err) =
        pg_support::run(&["--store", &url], &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");

    let mut watching = screen(&url, "li.si");
    let mut judging = screen(&url, "wang.wu");
    let id = judging.selected_visit().unwrap().id.clone();
    let reviews_before = watching.store.get(&id).unwrap().reviews.all.len();
    assert!(!watching.poll_watch(), "nothing written yet");

    // wang.wu approves the visit from its detail.
    judging.handle_key(key(KeyCode::Enter));
    judging.handle_key(key(KeyCode::Char('a')));
    judging.handle_key(key(KeyCode::Enter));
    assert_eq!(
        judging.store.get(&id).unwrap().verdict(),
        Some(Verdict::Approved)
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    while !watching.poll_watch() {
        assert!(
            Instant::now() < deadline,
            "the verdict never reached the other screen"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen = watching.store.get(&id).unwrap();
    assert_eq!(seen.reviews.all.len(), reviews_before + 1);
    let latest = seen.reviews.all.last().unwrap();
    assert_eq!(
        (latest.reviewer.as_str(), latest.verdict),
        ("wang.wu", Verdict::Approved)
    );
}

#[test]
fn the_visits_page_through_the_database_newest_first() {
    let pg = pg_or_skip!();
    let url = pg.create_db("pages");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(130, 8, &data);
    gen_support::damage(&data, 2);
    let (code, out, err) =
        pg_support::run(&["--store", &url], &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    let source = PgStore::open(&url, OpenOptions::default()).unwrap();
    let whole = source.open();
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let page = source.page(after.as_deref(), 40).expect("pages").unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 40);
        for visit in &page {
            // Each visit of a page is the one the whole store has, reviews and verdict too.
            let same = whole.get(&visit.id).unwrap();
            assert_eq!(
                (
                    visit.status,
                    visit.verdict(),
                    visit.reviews.all.len(),
                    visit.reviews.outdated,
                    visit.integrity.state(),
                    visit.rushed,
                    &visit.last_hash,
                    &visit.marks,
                ),
                (
                    same.status,
                    same.verdict(),
                    same.reviews.all.len(),
                    same.reviews.outdated,
                    same.integrity.state(),
                    same.rushed,
                    &same.last_hash,
                    &same.marks,
                ),
                "{}",
                visit.id
            );
        }
        after = page.last().map(|v| v.id.clone());
        seen.extend(page.into_iter().map(|v| v.id));
    }
    let mut newest_first: Vec<String> = whole.visits.iter().map(|v| v.id.clone()).collect();
    newest_first.reverse();
    assert_eq!(seen, newest_first);
}

#[test]
fn a_verdict_reaches_another_paged_screen_and_the_figures_are_counted_in_sql() {
    let pg = pg_or_skip!();
    let url = pg.create_db("paged");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(40, 9, &data);
    let (code, out, err) =
        pg_support::run(&["--store", &url], &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");

    let mut watching = paged_screen(&url, "li.si");
    let mut judging = paged_screen(&url, "wang.wu");
    // Counted on another thread once the first page is shown.
    assert_eq!(watching.rows.counts(&watching.store), None);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !watching.count_rows() {
        assert!(Instant::now() < deadline, "never counted");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(watching.rows.counts(&watching.store), Some((40, 40)));
    // The newest visit that a verdict may be given to.
    let finished = (0..judging.rows.len())
        .find(|&n| {
            judging
                .rows
                .visit(&judging.store.visits, n)
                .is_some_and(|v| {
                    v.status == sitecheck::store::index::summary::VisitStatus::Finished
                })
        })
        .unwrap();
    for _ in 0..finished {
        judging.handle_key(key(KeyCode::Down));
    }
    let id = judging.selected_visit().unwrap().id.clone();
    let reviews_before = watching.store.get(&id).unwrap().reviews.all.len();

    judging.handle_key(key(KeyCode::Char('x')));
    for c in "see the photo".chars() {
        judging.handle_key(key(KeyCode::Char(c)));
    }
    judging.handle_key(key(KeyCode::Enter));
    assert_eq!(
        judging.store.get(&id).unwrap().verdict(),
        Some(Verdict::Rejected)
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    while !watching.poll_watch() {
        assert!(
            Instant::now() < deadline,
            "the verdict never reached the other screen"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen = watching.store.get(&id).unwrap();
    assert_eq!(seen.reviews.all.len(), reviews_before + 1);
    assert_eq!(seen.verdict(), Some(Verdict::Rejected));

    // The stats tab: the figures counted where the visits are, as `sitecheck stats` counts.
    watching.handle_key(key(KeyCode::Tab));
    let stats = watching.stats.as_ref().expect("the figures");
    let source = PgStore::open(&url, OpenOptions::default()).unwrap();
    let whole = source.open();
    let expected = sitecheck::review::stats::compute_stats(whole.visits.iter(), None);
    // As `tests/fleet_figures.rs` holds them: the sums of scores may differ in their last bits.
    assert_eq!(
        (
            stats.visits,
            stats.skipped,
            stats.open,
            stats.abandoned,
            stats.rushed,
            stats.compliance
        ),
        (
            expected.visits,
            expected.skipped,
            expected.open,
            expected.abandoned,
            expected.rushed,
            expected.compliance
        )
    );
    assert_eq!(stats.checklists, expected.checklists);
    assert_eq!(stats.rankings, expected.rankings);
}
