//! The follow-up loop on the technician's laptop: a supervisor's follow-up review (imported
//! into the store) puts the visit on the home screen with the comment; the technician amends
//! the flagged item with a reason; the review is then outdated and the visit leaves the list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Map;
use sitecheck::checklist::{Library, parse_str};
use sitecheck::lang::Lang;
use sitecheck::log::EventKind;
use sitecheck::log::review::{NewReview, Verdict};
use sitecheck::store::follow_up::{last_line_hash, returned_visits};
use sitecheck::store::reviews::append_review;
use sitecheck::store::session::{Session, StartParams};
use sitecheck::tui::home::{HomeAction, HomeScreen};
use sitecheck::tui::run::{RunScreen, view};
use sitecheck::tui::theme::Theme;
use sitecheck::visit::AnswerValue;

const CHECKLIST: &str = r#"
sitecheck: 1
id: mini
version: "1"
title: { en: Mini visit, zh-CN: 小检查 }
sections:
  - id: s
    title: { en: Only, zh-CN: 唯一 }
    items:
      - { id: badge, prompt: { en: Badge shown, zh-CN: 出示上岗证 }, kind: pass_fail }
      - { id: drain, prompt: { en: Drain works, zh-CN: 排水通畅 }, kind: yes_no, expect: "yes" }
"#;

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn screen_text(screen: &RunScreen) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| {
            view::render(screen, frame);
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    buffer.content().iter().map(|c| c.symbol()).collect()
}

#[test]
fn a_returned_visit_is_listed_amended_and_leaves_the_list() {
    let data = tempfile::tempdir().unwrap();
    let checklist = parse_str(CHECKLIST).checklist.unwrap();
    let mut session = Session::start(StartParams {
        data_dir: data.path(),
        checklist,
        technician: "zhang.san",
        lang: "en",
        fields: Map::new(),
    })
    .unwrap();
    session.answer("badge", AnswerValue::Pass);
    session.answer("drain", AnswerValue::No);
    assert!(session.finish());
    let (id, path) = (session.visit_id().to_owned(), session.path().to_path_buf());
    drop(session);

    // Nothing is returned until a supervisor asks.
    assert!(returned_visits(data.path()).is_empty());
    let hash = last_line_hash(&path).unwrap();
    for (item, comment) in [
        (None, "Please re-test the drain"),
        (Some("drain"), "Was the hose kinked?"),
    ] {
        append_review(
            data.path(),
            &NewReview {
                visit: &id,
                visit_hash: &hash,
                reviewer: "li.manager",
                verdict: Verdict::FollowUp,
                comment,
                item,
            },
        )
        .unwrap();
    }
    let returned = returned_visits(data.path());
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0].visit, id);
    assert_eq!(returned[0].notes.len(), 2);

    // The home screen lists it first, with the comment; Enter opens it for follow-up.
    let mut home = HomeScreen::load(
        &Library::default(),
        data.path(),
        Lang::En,
        Theme::new(false),
        None,
    );
    // Read after the first frame in the app; here, before drawing.
    assert!(home.load_returned());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| home.render(frame)).unwrap();
    let text: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(text.contains("Returned for follow-up (1)"), "{text}");
    assert!(text.contains("Please re-test the drain"), "{text}");
    let action = home.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(matches!(action, HomeAction::FollowUp(0)));

    // The run screen lands on the flagged item and shows both comments.
    let session = Session::resume(data.path(), &path).unwrap();
    let mut screen = RunScreen::new(session, Lang::En, Theme::new(false));
    screen.set_follow_up(returned[0].notes.clone());
    assert_eq!(screen.current().unwrap().id, "drain");
    let text = screen_text(&screen);
    assert!(
        text.contains("⚑ Supervisor li.manager: Was the hose kinked?"),
        "{text}"
    );
    assert!(text.contains("Please re-test the drain"), "{text}");

    // Amend: A, the new answer, the reason.
    screen.handle_key(key('A'));
    screen.handle_key(key('y'));
    for c in "re-tested, hose was kinked".chars() {
        screen.handle_key(key(c));
    }
    screen.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(screen.session.all_saved());
    assert_eq!(
        screen.session.view.answers["drain"].value,
        Some(AnswerValue::Yes)
    );
    drop(screen);

    let read = sitecheck::log::read_log(&path).unwrap();
    assert!(read.is_clean(), "{:?}", read.problems);
    let Some(EventKind::Amended { item, reason, .. }) = read.events.last().map(|e| &e.kind) else {
        panic!("last event: {:?}", read.events.last());
    };
    assert_eq!(
        (item.as_str(), reason.as_str()),
        ("drain", "re-tested, hose was kinked")
    );
    // The review was made before the amendment: outdated, so the visit is no longer returned.
    assert!(returned_visits(data.path()).is_empty());
}
