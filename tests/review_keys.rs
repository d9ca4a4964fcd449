//! The supervisor's keys on the small hand-written store: sorting, searching, the status
//! and verdict filters, and verdicts written as review events — the file's exact members,
//! its chain, and the screen updated at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod review_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use review_support::*;
use serde_json::Value;
use sitecheck::config::Config;
use sitecheck::lang::Lang;
use sitecheck::log::review::Verdict;
use sitecheck::review::filter::VerdictFilter;
use sitecheck::store::index::summary::VisitStatus;
use sitecheck::store::reviews::read_reviews;
use sitecheck::tui::review::order::Column;
use sitecheck::tui::review::{Modal, ReviewContext, ReviewScreen, Tab};

/// The review log of a visit as JSON objects, one a line.
fn review_lines(data: &std::path::Path, visit: &str) -> Vec<serde_json::Map<String, Value>> {
    let path = data.join("reviews").join(format!("{visit}.jsonl"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| match serde_json::from_str(line).unwrap() {
            Value::Object(object) => object,
            other => panic!("not an object: {other}"),
        })
        .collect()
}

fn members(object: &serde_json::Map<String, Value>) -> Vec<&str> {
    object.keys().map(String::as_str).collect()
}

#[test]
fn newest_first_then_each_column_sorts_and_reverses() {
    let store = small_store();
    let mut screen = screen(&store.data(), Lang::En, Some("li.si"));
    let ids = listed(&screen);
    assert_eq!(ids.len(), 8);
    assert_eq!(ids[0], store.damaged.id, "newest first");
    assert_eq!(ids[7], store.approved.id);
    // `s` goes to the next column, keeping the direction (descending).
    screen.handle_key(ch('s'));
    assert_eq!(screen.rows.query().sort, Column::Technician);
    let technicians: Vec<String> = listed(&screen)
        .iter()
        .map(|id| screen.store.get(id).unwrap().technician.clone())
        .collect();
    let mut expected = technicians.clone();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(technicians, expected);
    // `S` reverses.
    screen.handle_key(ch('S'));
    assert!(!screen.rows.query().reverse);
    let first = screen.store.get(&listed(&screen)[0]).unwrap();
    assert_eq!(first.technician, "chen.qi");
    // Failures, ascending: the two failed visits last.
    while screen.rows.query().sort != Column::Failures {
        screen.handle_key(ch('s'));
    }
    let failed: Vec<u32> = listed(&screen)
        .iter()
        .map(|id| screen.store.get(id).unwrap().failed)
        .collect();
    assert!(failed.windows(2).all(|w| w[0] <= w[1]), "{failed:?}");
    assert_eq!(failed.last(), Some(&2));
}

#[test]
fn a_new_sort_starts_at_the_top() {
    let store = small_store();
    let mut screen = screen(&store.data(), Lang::En, Some("li.si"));
    select(&mut screen, &store.rushed.id);
    assert!(screen.selected > 0);
    for sort in [ch('S'), ch('s')] {
        select(&mut screen, &store.rushed.id);
        screen.handle_key(sort);
        assert_eq!(screen.selected, 0, "the highlight goes to the top row");
        assert_eq!(screen.offset, 0);
        assert_eq!(
            screen.selected_visit().map(|v| v.id.clone()),
            listed(&screen).first().cloned()
        );
    }
}

#[test]
fn slash_searches_ids_technicians_work_orders_customers_and_checklists() {
    let store = small_store();
    let mut screen = screen(&store.data(), Lang::En, Some("li.si"));
    screen.handle_key(ch('/'));
    assert!(screen.searching);
    type_text(&mut screen, "wo-2026-010");
    assert_eq!(screen.rows.len(), 7, "{:?}", listed(&screen));
    type_text(&mut screen, "2");
    assert_eq!(listed(&screen), vec![store.failed.id.clone()]);
    // Enter keeps the search and gives the keys back to the list.
    screen.handle_key(key(KeyCode::Enter));
    assert!(!screen.searching);
    assert_eq!(screen.rows.len(), 1);
    let text = screen_text(&draw(&mut screen, 80, 24));
    assert!(text.contains("1 of 8 visits"), "{text}");
    assert!(text.contains("search: \"wo-2026-0102\""), "{text}");
    // Esc on the list clears the search (and the filters).
    screen.handle_key(key(KeyCode::Esc));
    assert_eq!(screen.rows.len(), 8);
    assert!(!screen.quit);

    for (needle, expected) in [
        ("Mr Smith", vec![store.failed.id.clone()]),
        (&store.open.id[20..], vec![store.open.id.clone()]),
        (
            "tcl-8s",
            vec![store.amended.id.clone(), store.rushed.id.clone()],
        ),
        (
            "TCL 8S",
            vec![store.amended.id.clone(), store.rushed.id.clone()],
        ),
        ("chen.qi", vec![store.abandoned.id.clone()]),
        (
            "海尔",
            vec![
                store.hostile.id.clone(),
                store.open.id.clone(),
                store.failed.id.clone(),
            ],
        ),
    ] {
        screen.handle_key(ch('/'));
        type_text(&mut screen, needle);
        assert_eq!(listed(&screen), expected, "{needle}");
        // Esc while typing clears the search.
        screen.handle_key(key(KeyCode::Esc));
        assert!(!screen.searching);
        assert_eq!(screen.rows.len(), 8);
    }
    // Backspace widens the search again.
    screen.handle_key(ch('/'));
    type_text(&mut screen, "zzz");
    assert!(screen.rows.is_empty());
    let text = screen_text(&draw(&mut screen, 80, 24));
    assert!(text.contains("No visit matches"), "{text}");
    for _ in 0..3 {
        screen.handle_key(key(KeyCode::Backspace));
    }
    assert_eq!(screen.rows.len(), 8);
}

#[test]
fn status_and_verdict_filters_cycle_and_show_in_the_status_line() {
    let store = small_store();
    let mut screen = screen(&store.data(), Lang::En, Some("li.si"));
    screen.handle_key(ch('f'));
    assert_eq!(screen.rows.query().status, Some(VisitStatus::Open));
    assert_eq!(listed(&screen), vec![store.open.id.clone()]);
    screen.handle_key(ch('f'));
    assert_eq!(screen.rows.query().status, Some(VisitStatus::Finished));
    assert_eq!(screen.rows.len(), 6);
    // First the queue: unreviewed, or changed since the latest review (the visit amended
    // after its follow-up).
    screen.handle_key(ch('v'));
    assert_eq!(screen.rows.query().verdict, Some(VerdictFilter::ToReview));
    assert_eq!(
        listed(&screen),
        [
            store.damaged.id.clone(),
            store.amended.id.clone(),
            store.rushed.id.clone()
        ]
    );
    let text = screen_text(&draw(&mut screen, 100, 24));
    assert!(text.contains("verdict: to review"), "{text}");
    screen.handle_key(ch('v'));
    assert_eq!(screen.rows.query().verdict, Some(VerdictFilter::Unreviewed));
    assert_eq!(
        listed(&screen),
        [store.damaged.id.clone(), store.rushed.id.clone()]
    );
    let text = screen_text(&draw(&mut screen, 100, 24));
    assert!(
        text.contains("2 of 8 visits · status: finished · verdict: unreviewed"),
        "{text}"
    );
    screen.handle_key(ch('v'));
    screen.handle_key(ch('v'));
    assert_eq!(
        screen.rows.query().verdict,
        Some(VerdictFilter::Is(Verdict::FollowUp))
    );
    assert_eq!(
        listed(&screen),
        [store.amended.id.clone(), store.failed.id.clone()]
    );
    // The stats follow the filters.
    screen.handle_key(key(KeyCode::Tab));
    assert_eq!(screen.tab, Tab::Stats);
    assert_eq!(screen.stats.as_ref().unwrap().visits, 2);
    screen.handle_key(ch('v'));
    assert_eq!(screen.stats.as_ref().unwrap().visits, 1, "rejected: one");
    screen.handle_key(key(KeyCode::Tab));
    assert_eq!(screen.tab, Tab::List);
    // Esc clears every filter; a second Esc does nothing — it never quits (q does).
    screen.handle_key(key(KeyCode::Esc));
    assert_eq!(screen.rows.len(), 8);
    screen.handle_key(key(KeyCode::Esc));
    assert!(!screen.quit);
    screen.handle_key(ch('q'));
    assert!(screen.quit);
}

#[test]
fn rejecting_writes_one_review_line_with_the_visits_last_hash() {
    let store = small_store();
    let data = store.data();
    let mut screen = screen(&data, Lang::En, Some("li.si"));
    select(&mut screen, &store.rushed.id);
    screen.handle_key(ch('x'));
    assert!(matches!(screen.modal, Some(Modal::Comment { .. })));
    // A rejection needs a comment: nothing is written without one.
    screen.handle_key(key(KeyCode::Enter));
    match &screen.modal {
        Some(Modal::Comment { error, .. }) => {
            assert_eq!(error.as_deref(), Some("a comment is required"))
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !data
            .join("reviews")
            .join(format!("{}.jsonl", store.rushed.id))
            .exists()
    );
    type_text(&mut screen, "answered 1 s apart: redo the visit");
    screen.handle_key(key(KeyCode::Enter));
    assert!(screen.modal.is_none());

    let lines = review_lines(&data, &store.rushed.id);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!(
        members(line),
        [
            "seq",
            "event",
            "at",
            "visit",
            "visit_hash",
            "reviewer",
            "verdict",
            "comment",
            "hash"
        ]
    );
    assert_eq!(line["seq"], 0);
    assert_eq!(line["event"], "review");
    assert_eq!(line["visit"], store.rushed.id.as_str());
    assert_eq!(line["visit_hash"], store.rushed.last_hash.as_str());
    assert_eq!(line["reviewer"], "li.si");
    assert_eq!(line["verdict"], "rejected");
    assert_eq!(line["comment"], "answered 1 s apart: redo the visit");
    let log = read_reviews(&data, &store.rushed.id).unwrap();
    assert!(log.integrity.is_clean(), "{:?}", log.integrity);

    // The list shows the verdict at once, and says it was saved.
    assert_eq!(
        screen.selected_visit().unwrap().verdict(),
        Some(Verdict::Rejected)
    );
    let text = screen_text(&draw(&mut screen, 80, 24));
    assert!(text.contains("✓ rejected — saved"), "{text}");
    let row = text.lines().find(|l| l.contains("WO-2026-0103")).unwrap();
    assert!(row.contains("✗ rejected"), "{row}");
}

#[test]
fn approving_from_the_detail_needs_no_comment_and_appends_to_the_log() {
    let store = small_store();
    let data = store.data();
    let mut screen = screen(&data, Lang::En, Some("li.si"));
    select(&mut screen, &store.failed.id);
    screen.handle_key(key(KeyCode::Enter));
    screen.handle_key(ch('a'));
    screen.handle_key(key(KeyCode::Enter));
    assert!(screen.modal.is_none());
    let lines = review_lines(&data, &store.failed.id);
    assert_eq!(lines.len(), 3, "appended after the two written before");
    assert_eq!(lines[2]["seq"], 2);
    assert_eq!(lines[2]["verdict"], "approved");
    assert_eq!(lines[2]["comment"], "");
    assert!(!lines[2].contains_key("item"));
    assert!(
        read_reviews(&data, &store.failed.id)
            .unwrap()
            .integrity
            .is_clean()
    );
    // The detail shows the new review at once.
    let text = screen_text(&draw(&mut screen, 80, 40));
    assert!(text.contains("li.si ✓ approved"), "{text}");
    assert_eq!(
        screen.store.get(&store.failed.id).unwrap().verdict(),
        Some(Verdict::Approved)
    );
}

#[test]
fn bang_flags_the_highlighted_item_for_follow_up() {
    let store = small_store();
    let data = store.data();
    let mut screen = screen(&data, Lang::En, Some("li.si"));
    select(&mut screen, &store.rushed.id);
    screen.handle_key(key(KeyCode::Enter));
    screen.handle_key(key(KeyCode::Down));
    screen.handle_key(key(KeyCode::Down));
    let item = screen.detail.as_ref().unwrap().current_item_id().unwrap();
    assert_eq!(item, "arrived_on_time");
    screen.handle_key(ch('!'));
    type_text(&mut screen, "really on time?");
    screen.handle_key(key(KeyCode::Enter));
    let lines = review_lines(&data, &store.rushed.id);
    assert_eq!(lines.len(), 1);
    assert_eq!(
        members(&lines[0]),
        [
            "seq",
            "event",
            "at",
            "visit",
            "visit_hash",
            "reviewer",
            "verdict",
            "comment",
            "item",
            "hash"
        ]
    );
    assert_eq!(lines[0]["verdict"], "follow_up");
    assert_eq!(lines[0]["item"], "arrived_on_time");
    assert_eq!(lines[0]["comment"], "really on time?");
    let text = screen_text(&draw(&mut screen, 80, 30));
    assert!(text.contains("⚑ li.si: really on time?"), "{text}");
    assert!(text.contains("↻ follow-up"), "{text}");
}

#[test]
fn the_reviewers_name_is_asked_once_and_remembered() {
    let store = small_store();
    let data = store.data();
    let config_path = store.dir.path().join("config.yaml");
    let open = sitecheck::store::index::open::open_store(
        std::slice::from_ref(&data),
        &sitecheck::store::index::open::OpenOptions::default(),
    );
    let source = Box::new(sitecheck::store::file_store::FileStore::new(
        open.data_dirs.clone(),
        Default::default(),
    ));
    let mut screen = ReviewScreen::new(
        open,
        source,
        ReviewContext {
            lang: Lang::En,
            theme: sitecheck::tui::theme::Theme::new(true),
            reviewer: None,
            thresholds: Default::default(),
            config: Config::default(),
            config_path: Some(config_path.clone()),
        },
    );
    select(&mut screen, &store.rushed.id);
    screen.handle_key(ch('a'));
    assert!(matches!(screen.modal, Some(Modal::Name { .. })));
    let text = screen_text(&draw(&mut screen, 80, 24));
    assert!(text.contains("Your name"), "{text}");
    // An empty name is not taken.
    screen.handle_key(key(KeyCode::Enter));
    assert!(matches!(screen.modal, Some(Modal::Name { .. })));
    type_text(&mut screen, "zhou.min");
    screen.handle_key(key(KeyCode::Enter));
    assert!(matches!(screen.modal, Some(Modal::Comment { .. })));
    screen.handle_key(key(KeyCode::Enter));
    assert_eq!(
        review_lines(&data, &store.rushed.id)[0]["reviewer"],
        "zhou.min"
    );
    assert_eq!(
        Config::load(&config_path).unwrap().technician.as_deref(),
        Some("zhou.min")
    );
    // Not asked again.
    select(&mut screen, &store.damaged.id);
    screen.handle_key(ch('a'));
    assert!(matches!(screen.modal, Some(Modal::Comment { .. })));
    // Esc leaves without writing.
    screen.handle_key(key(KeyCode::Esc));
    assert!(screen.modal.is_none());
    assert!(
        !data
            .join("reviews")
            .join(format!("{}.jsonl", store.damaged.id))
            .exists()
    );
}

#[test]
fn an_unreadable_log_is_listed_but_cannot_be_reviewed() {
    let store = small_store();
    let data = store.data();
    let id = "01M9000000000000000000000Z";
    std::fs::write(
        data.join("visits")
            .join("2025-11")
            .join(format!("{id}.jsonl")),
        "not a log\n",
    )
    .unwrap();
    let mut screen = screen(&data, Lang::En, Some("li.si"));
    assert_eq!(screen.rows.len(), 9);
    select(&mut screen, id);
    screen.handle_key(ch('a'));
    assert!(screen.modal.is_none());
    let text = screen_text(&draw(&mut screen, 160, 24));
    assert!(text.contains("cannot be reviewed"), "{text}");
    assert!(text.contains("? unreadable"), "{text}");
    // Its detail says why.
    screen.handle_key(key(KeyCode::Enter));
    let text = screen_text(&draw(&mut screen, 80, 24));
    assert!(text.contains("Cannot read this visit"), "{text}");
}

#[test]
fn moving_scrolling_and_leaving() {
    let store = small_store();
    let mut screen = screen(&store.data(), Lang::En, Some("li.si"));
    screen.handle_key(key(KeyCode::End));
    assert_eq!(screen.selected, 7);
    screen.handle_key(key(KeyCode::Down));
    assert_eq!(screen.selected, 7, "stops at the last row");
    screen.handle_key(key(KeyCode::PageUp));
    assert_eq!(screen.selected, 0);
    screen.handle_key(ch('j'));
    screen.handle_key(ch('k'));
    assert_eq!(screen.selected, 0);
    // Detail: q goes back to the list, not out.
    screen.handle_key(key(KeyCode::Enter));
    screen.handle_key(ch('q'));
    assert!(screen.detail.is_none() && !screen.quit);
    // The help scrolls with the arrows and closes on any other key.
    screen.handle_key(ch('?'));
    assert!(matches!(screen.modal, Some(Modal::Help { scroll: 0 })));
    screen.handle_key(key(KeyCode::Down));
    assert!(matches!(screen.modal, Some(Modal::Help { .. })));
    screen.handle_key(ch('x'));
    assert!(screen.modal.is_none());
    // Ctrl-C leaves from anywhere, a box open included.
    screen.handle_key(ch('a'));
    assert!(screen.modal.is_some());
    screen.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(screen.quit);
}

#[test]
fn a_review_goes_to_the_data_folder_that_holds_the_visit() {
    let store = small_store();
    let first = store.data();
    let second = store.dir.path().join("usb");
    let elsewhere = write_visit(
        &second,
        &VisitSpec {
            work_order: "WO-2026-0201",
            ..VisitSpec::new(9, "tcl-8s", "ma.li", "2025-11-26T10:00:00.000+08:00")
        },
    );
    let opened = sitecheck::store::index::open::open_store(
        &[first.clone(), second.clone()],
        &sitecheck::store::index::open::OpenOptions {
            use_cache: false,
            ..Default::default()
        },
    );
    let source = Box::new(sitecheck::store::file_store::FileStore::new(
        opened.data_dirs.clone(),
        Default::default(),
    ));
    let mut screen = ReviewScreen::new(
        opened,
        source,
        ReviewContext {
            lang: Lang::En,
            theme: sitecheck::tui::theme::Theme::new(true),
            reviewer: Some("li.si".into()),
            thresholds: Default::default(),
            config: Config::default(),
            config_path: None,
        },
    );
    assert_eq!(screen.rows.len(), 9);
    select(&mut screen, &elsewhere.id);
    screen.handle_key(ch('a'));
    screen.handle_key(key(KeyCode::Enter));
    assert_eq!(review_lines(&second, &elsewhere.id).len(), 1);
    assert!(
        !first
            .join("reviews")
            .join(format!("{}.jsonl", elsewhere.id))
            .exists()
    );
    assert_eq!(
        screen.selected_visit().unwrap().verdict(),
        Some(Verdict::Approved)
    );
}

#[test]
fn a_list_from_the_caches_catches_up_with_the_background_check() {
    use sitecheck::store::index::open::{OpenOptions, open_snapshot, open_store};
    use sitecheck::tui::theme::Theme;

    let store = small_store();
    let data = store.data();
    let dirs = [data.clone()];
    // The caches as the last look left them; then a visit comes in (an import, say).
    open_store(&dirs, &OpenOptions::default());
    let snapshot = open_snapshot(&dirs, &OpenOptions::default());
    assert_eq!(snapshot.report.cached, 8);
    let late = write_visit(
        &data,
        &VisitSpec::new(77, "tcl-8s", "wu.liu", "2025-11-10T08:00:00.000+08:00"),
    );
    let mut screen = screen_of(snapshot, Lang::En, Some("li.si"), Theme::new(false));
    select(&mut screen, &store.rushed.id);
    let base = screen.store.check_base(&OpenOptions::default());
    let (send, receive) = std::sync::mpsc::channel();
    screen.check_in_background(receive);
    assert!(!screen.poll_check(), "nothing has come yet");
    let text = screen_text(&draw(&mut screen, 100, 24));
    assert!(text.contains("Checking every log for changes"), "{text}");
    assert!(text.contains("8 of 8 visits"), "{text}");
    assert!(!listed(&screen).contains(&late.id));

    // A verdict given while the check runs (after it read the reviews) is not lost when
    // the checked store arrives.
    let checked = sitecheck::store::index::check::check(base);
    assert_ne!(
        screen.store.get(&store.rushed.id).unwrap().verdict(),
        Some(Verdict::Approved)
    );
    screen.handle_key(ch('a'));
    screen.handle_key(key(KeyCode::Enter));
    // A key clears the "saved" line (news of the check does not push it away).
    screen.handle_key(key(KeyCode::Down));
    screen.handle_key(key(KeyCode::Up));
    send.send(checked).unwrap();
    assert!(screen.poll_check());
    assert!(!screen.checking());
    assert!(listed(&screen).contains(&late.id));
    assert_eq!(
        screen.selected_visit().map(|v| v.id.clone()),
        Some(store.rushed.id.clone()),
        "the cursor stays on its visit"
    );
    let rushed = screen.store.get(&store.rushed.id).unwrap();
    assert_eq!(rushed.verdict(), Some(Verdict::Approved));
    let text = screen_text(&draw(&mut screen, 100, 24));
    assert!(text.contains("9 of 9 visits"), "{text}");
    assert!(
        text.contains("New or changed logs since the list was saved: 1 — list updated"),
        "{text}"
    );
    assert!(!text.contains("Checking every log"), "{text}");
}

#[test]
fn a_verdict_on_an_open_visit_is_refused_with_a_message_and_nothing_written() {
    let store = small_store();
    let data = store.data();
    let mut screen = screen(&data, Lang::En, Some("li.si"));
    let review_file = data
        .join("reviews")
        .join(format!("{}.jsonl", store.open.id));
    for verdict in ['a', 'r', 'x'] {
        select(&mut screen, &store.open.id);
        screen.handle_key(ch(verdict));
        assert!(screen.modal.is_none(), "{verdict}: no comment box opens");
        let text = screen_text(&draw(&mut screen, 100, 24));
        assert!(text.contains("This visit is still open"), "{text}");
        // Enter and a comment go nowhere.
        type_text(&mut screen, "ok");
        screen.handle_key(key(KeyCode::Enter));
        screen.handle_key(key(KeyCode::Esc));
        screen.handle_key(key(KeyCode::Esc));
    }
    // In the detail, `!` on an item too.
    select(&mut screen, &store.open.id);
    screen.handle_key(key(KeyCode::Enter));
    assert!(screen.detail.is_some());
    screen.handle_key(key(KeyCode::Down));
    screen.handle_key(ch('!'));
    assert!(screen.modal.is_none());
    let text = screen_text(&draw(&mut screen, 100, 24));
    assert!(text.contains("This visit is still open"), "{text}");
    assert!(!review_file.exists(), "nothing written");
    assert!(
        screen
            .store
            .get(&store.open.id)
            .unwrap()
            .reviews
            .all
            .is_empty()
    );
}
