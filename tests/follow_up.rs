//! The follow-up loop on the technician's laptop: a supervisor's follow-up review (imported
//! into the store) puts the visit on the home screen with the comment; the technician amends
//! the flagged item (answer, note, reason) and answers the general comment (`A` on the
//! header); only then does the visit leave the list. Only the visit's own technician sees
//! it there or amends it; a rejected visit is listed too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};

use serde_json::Map;
use sitecheck::checklist::{Library, parse_str};
use sitecheck::lang::Lang;
use sitecheck::log::EventKind;
use sitecheck::log::review::{NewReview, Verdict};
use sitecheck::store::follow_up::{last_line_hash, returned_visits};
use sitecheck::store::reviews::append_review;
use sitecheck::store::session::{AmendRefused, Session, StartParams};
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

const ZHANG: &str = "zhang.san";

fn enter() -> KeyEvent {
    KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
}

fn type_text(screen: &mut RunScreen, text: &str) {
    for c in text.chars() {
        screen.handle_key(key(c));
    }
}

/// A finished visit of `technician` whose drain failed; its id and log.
fn finished_visit(data: &Path, technician: &str) -> (String, PathBuf) {
    let checklist = parse_str(CHECKLIST).checklist.unwrap();
    let mut session = Session::start(StartParams {
        data_dir: data,
        checklist,
        technician,
        lang: "en",
        fields: Map::new(),
    })
    .unwrap();
    session.answer("badge", AnswerValue::Pass);
    session.answer("drain", AnswerValue::No);
    session.note("drain", "water stands in the tub");
    assert!(session.finish());
    (session.visit_id().to_owned(), session.path().to_path_buf())
}

/// Reviews of the visit's log as it is now: `(item, verdict, comment)` each.
fn review(data: &Path, id: &str, path: &Path, reviews: &[(Option<&str>, Verdict, &str)]) {
    let hash = last_line_hash(path).unwrap();
    for (item, verdict, comment) in reviews {
        append_review(
            data,
            &NewReview {
                visit: id,
                visit_hash: &hash,
                reviewer: "li.manager",
                verdict: *verdict,
                comment,
                item: *item,
            },
        )
        .unwrap();
    }
}

fn home_text(data: &Path, technician: Option<&str>) -> (HomeScreen, String) {
    let mut home = HomeScreen::load(
        &Library::default(),
        data,
        Lang::En,
        Theme::new(false),
        technician.map(str::to_owned),
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
    (home, text)
}

/// The run screen on a visit, as `technician` opens it.
fn open(data: &Path, path: &Path, technician: Option<&str>) -> RunScreen {
    let session = Session::resume(data, path).unwrap();
    let mut screen = RunScreen::new(session, Lang::En, Theme::new(false));
    screen.technician = technician.map(str::to_owned);
    screen
}

#[test]
fn a_returned_visit_stays_until_every_flag_is_amended_and_the_comment_answered() {
    let data = tempfile::tempdir().unwrap();
    let (id, path) = finished_visit(data.path(), ZHANG);

    // Nothing is returned until a supervisor asks.
    assert!(returned_visits(data.path(), ZHANG).is_empty());
    review(
        data.path(),
        &id,
        &path,
        &[
            (None, Verdict::FollowUp, "Please re-test the drain"),
            (Some("drain"), Verdict::FollowUp, "Was the hose kinked?"),
        ],
    );
    let returned = returned_visits(data.path(), ZHANG);
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0].visit, id);
    assert_eq!(returned[0].notes.len(), 2);
    assert!(returned[0].notes.iter().all(|n| !n.answered));

    // The home screen lists it first, with the comment; Enter opens it for follow-up.
    let (mut home, text) = home_text(data.path(), Some(ZHANG));
    assert!(text.contains("Returned for follow-up (1)"), "{text}");
    assert!(text.contains("Please re-test the drain"), "{text}");
    let action = home.handle_key(enter());
    assert!(matches!(action, HomeAction::FollowUp(0)));

    // The run screen lands on the flagged item and shows both comments.
    let mut screen = open(data.path(), &path, Some(ZHANG));
    screen.set_follow_up(returned[0].notes.clone());
    assert_eq!(screen.current().unwrap().id, "drain");
    let text = screen_text(&screen);
    assert!(
        text.contains("⚑ Supervisor li.manager: Was the hose kinked?"),
        "{text}"
    );
    assert!(text.contains("Please re-test the drain"), "{text}");
    assert!(text.contains("h then A to answer"), "{text}");

    // Amend: A, the new answer, the note (offered as it was, changed), the reason.
    screen.handle_key(key('A'));
    screen.handle_key(key('y'));
    let text = screen_text(&screen);
    assert!(text.contains("water stands in the tub"), "{text}");
    assert!(text.contains("Enter keeps it"), "{text}");
    for _ in "water stands in the tub".chars() {
        screen.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    type_text(&mut screen, "hose was kinked, straightened");
    screen.handle_key(enter());
    assert!(screen_text(&screen).contains("Reason for the change"));
    type_text(&mut screen, "re-tested after the follow-up");
    screen.handle_key(enter());
    assert!(screen.session.all_saved());
    let drain = &screen.session.view.answers["drain"];
    assert_eq!(drain.value, Some(AnswerValue::Yes));
    assert_eq!(drain.note.as_deref(), Some("hose was kinked, straightened"));

    let read = sitecheck::log::read_log(&path).unwrap();
    assert!(read.is_clean(), "{:?}", read.problems);
    let amended = read.events.last().unwrap();
    let EventKind::Amended {
        item,
        note,
        reason,
        technician,
        host,
        ..
    } = &amended.kind
    else {
        panic!("last event: {amended:?}");
    };
    assert_eq!(item.as_deref(), Some("drain"));
    assert_eq!(note.as_deref(), Some("hose was kinked, straightened"));
    assert_eq!(reason, "re-tested after the follow-up");
    assert_eq!(technician.as_deref(), Some(ZHANG));
    assert!(host.as_deref().is_some_and(|h| !h.is_empty()));
    let line = std::fs::read_to_string(&path).unwrap();
    let line = line.lines().last().unwrap();
    assert!(
        line.contains(
            r#""reason":"re-tested after the follow-up","technician":"zhang.san","host":"#
        ),
        "{line}"
    );

    // The flag is answered, the general comment not: the visit stays on home.
    let returned = returned_visits(data.path(), ZHANG);
    assert_eq!(returned.len(), 1, "the general comment is still unanswered");
    let flag = returned[0].notes.iter().find(|n| n.item.is_some()).unwrap();
    assert!(flag.answered);
    let general = returned[0].notes.iter().find(|n| n.item.is_none()).unwrap();
    assert!(!general.answered);

    // The amendment's receipt is up first; any key goes on. Then `A` on the header answers
    // the general comment.
    assert!(screen_text(&screen).contains("Receipt"));
    screen.handle_key(key(' '));
    screen.handle_key(key('h'));
    assert!(screen_text(&screen).contains("A answer the supervisor"));
    screen.handle_key(key('A'));
    let text = screen_text(&screen);
    assert!(text.contains("Answer the supervisor"), "{text}");
    assert!(
        text.contains("li.manager: Please re-test the drain"),
        "{text}"
    );
    type_text(&mut screen, "re-tested twice, drains in 20 s");
    screen.handle_key(enter());
    assert!(screen.session.all_saved());
    drop(screen);

    let read = sitecheck::log::read_log(&path).unwrap();
    assert!(read.is_clean(), "{:?}", read.problems);
    let EventKind::Amended {
        item,
        value,
        reason,
        technician,
        ..
    } = &read.events.last().unwrap().kind
    else {
        panic!("last event: {:?}", read.events.last());
    };
    assert_eq!(item, &None);
    assert_eq!(value, &serde_json::Value::Null);
    assert_eq!(reason, "re-tested twice, drains in 20 s");
    assert_eq!(technician.as_deref(), Some(ZHANG));

    // Everything asked is answered: the visit leaves the list (and goes back for review).
    assert!(returned_visits(data.path(), ZHANG).is_empty());
    let (_, text) = home_text(data.path(), Some(ZHANG));
    assert!(!text.contains("Returned for follow-up"), "{text}");
}

#[test]
fn another_technicians_visit_is_neither_listed_nor_amended() {
    let data = tempfile::tempdir().unwrap();
    let (id, path) = finished_visit(data.path(), ZHANG);
    review(
        data.path(),
        &id,
        &path,
        &[
            (None, Verdict::FollowUp, "Please re-test the drain"),
            (Some("drain"), Verdict::FollowUp, "Was the hose kinked?"),
        ],
    );
    // On a laptop that imported the whole office folder, li.si's home lists none of it.
    assert!(returned_visits(data.path(), "li.si").is_empty());
    let (_, text) = home_text(data.path(), Some("li.si"));
    assert!(!text.contains("Returned for follow-up"), "{text}");
    assert!(!text.contains("hose"), "{text}");
    // Nor does a home that does not know who uses it.
    assert!(home_text(data.path(), None).0.returned.is_empty());
    // zhang.san's does (the name compared as `--technician` filters compare it).
    assert_eq!(returned_visits(data.path(), "Zhang.San").len(), 1);

    let before = std::fs::read(&path).unwrap();
    for who in [Some("li.si"), None] {
        let mut screen = open(data.path(), &path, who);
        screen.set_follow_up(returned_visits(data.path(), ZHANG)[0].notes.clone());
        screen.handle_key(key('A'));
        // Refused at once, with the reason on screen: no amendment box opens.
        let text = screen_text(&screen);
        let expected = match who {
            Some(_) => "Refused: only zhang.san, whose visit it is, may amend it; nothing written",
            None => "Refused: who you are is not known (start with --technician NAME)",
        };
        assert!(text.contains(expected), "{text}");
        assert!(!text.contains("New answer: its key"), "{text}");
        screen.handle_key(key('y'));
        screen.handle_key(enter());
        // Nor on the header.
        screen.handle_key(key('h'));
        screen.handle_key(key('A'));
        assert!(screen_text(&screen).contains("Refused"));
        type_text(&mut screen, "answer");
        screen.handle_key(enter());
        drop(screen);
        assert_eq!(std::fs::read(&path).unwrap(), before, "nothing is written");
    }

    // The session refuses too, whatever the screen does.
    let mut session = Session::resume(data.path(), &path).unwrap();
    assert_eq!(
        session.amend(Some("li.si"), "drain", AnswerValue::Yes, None, "r"),
        Err(AmendRefused::OtherTechnician {
            owner: ZHANG.to_owned()
        })
    );
    assert_eq!(
        session.answer_follow_up(Some("li.si"), "a"),
        Err(AmendRefused::OtherTechnician {
            owner: ZHANG.to_owned()
        })
    );
    drop(session);
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing is written");
}

#[test]
fn a_rejected_visit_is_listed_with_the_comment_until_answered() {
    let data = tempfile::tempdir().unwrap();
    let (id, path) = finished_visit(data.path(), ZHANG);
    review(
        data.path(),
        &id,
        &path,
        &[(None, Verdict::Rejected, "Photos missing, redo the visit")],
    );
    let returned = returned_visits(data.path(), ZHANG);
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0].verdict, Verdict::Rejected);
    let (_, text) = home_text(data.path(), Some(ZHANG));
    assert!(text.contains("✗"), "{text}");
    assert!(text.contains("Rejected: Photos missing"), "{text}");

    let mut session = Session::resume(data.path(), &path).unwrap();
    session
        .answer_follow_up(Some(ZHANG), "booked a second visit")
        .unwrap();
    drop(session);
    assert!(returned_visits(data.path(), ZHANG).is_empty());
}

#[test]
fn an_approval_after_the_follow_up_settles_it() {
    let data = tempfile::tempdir().unwrap();
    let (id, path) = finished_visit(data.path(), ZHANG);
    review(
        data.path(),
        &id,
        &path,
        &[
            (Some("drain"), Verdict::FollowUp, "Was the hose kinked?"),
            (None, Verdict::Approved, "fine after a call"),
        ],
    );
    assert!(returned_visits(data.path(), ZHANG).is_empty());
}
