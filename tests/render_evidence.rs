//! Evidence on the run screen at 80x24, in English and Chinese: the picker (inbox files,
//! a filter, the item's attachments), the attachments listed on the item, "photo required"
//! on an answer that needs one, and the summary naming the missing photo. Driven through
//! the real keys; checked against the log where a key writes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use std::time::{Duration, SystemTime};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use render_support::*;
use sitecheck::log::{EventKind, read_log};
use sitecheck::store::inbox::InboxFile;
use sitecheck::tui::run::{Notice, Overlay, RunScreen};
use sitecheck::tui::strings::strings;

/// The picker's inbox made the same on every machine: a fixed folder and three files.
fn fixed_inbox(screen: &mut RunScreen) {
    let Overlay::Evidence(picker) = &mut screen.overlay else {
        panic!("the picker is not open: {:?}", screen.notice);
    };
    let at = |minutes: u64| Some(SystemTime::now() - Duration::from_secs(minutes * 60 + 5));
    picker.inbox = "/home/zhang.san/Pictures".into();
    picker.files = vec![
        InboxFile {
            path: "/home/zhang.san/Pictures/IMG_2041.JPG".into(),
            name: "IMG_2041.JPG".into(),
            size: 3_400_000,
            modified: at(2),
        },
        InboxFile {
            path: "/home/zhang.san/Pictures/outdoor-unit.png".into(),
            name: "outdoor-unit.png".into(),
            size: 812_000,
            modified: at(40),
        },
        InboxFile {
            path: "/home/zhang.san/Pictures/IMG_2040.JPG".into(),
            name: "IMG_2040.JPG".into(),
            size: 3_100_000,
            modified: at(60 * 26),
        },
    ];
}

fn attached_names(screen: &RunScreen) -> Vec<String> {
    read_log(screen.session.path())
        .unwrap()
        .events
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Attached { name, .. } => Some(name),
            _ => None,
        })
        .collect()
}

#[test]
fn the_picker_lists_the_inbox_and_filters_it() {
    for lang in LANGS {
        let mut visit = start("appliance-install", lang);
        let screen = &mut visit.screen;
        screen.handle_key(ch('e'));
        fixed_inbox(screen);
        snap!(format!("picker_{}", suffix(lang)), draw_run(screen, 80, 24));
        type_text(screen, "img");
        let backend = draw_run(screen, 80, 24);
        let text = screen_text(&backend);
        assert!(text.contains("IMG_2041.JPG") && text.contains("IMG_2040.JPG"));
        assert!(!text.contains("outdoor-unit.png"), "{text}");
        snap!(format!("picker_filtered_{}", suffix(lang)), backend);
        screen.handle_key(key(KeyCode::Esc));
        assert_eq!(overlay_name(screen), "none");
    }
}

#[test]
fn attachments_are_listed_on_the_item_and_in_the_picker() {
    for lang in LANGS {
        let mut visit = start("appliance-install", lang);
        let dir = visit.dir.path().to_owned();
        let screen = &mut visit.screen;
        for name in ["badge-front.png", "badge-back.png"] {
            let path = dir.join(name);
            // Different bytes: two files (the store names a file by its hash).
            std::fs::write(&path, [PNG_1X1, name.as_bytes()].concat()).unwrap();
            attach_path(screen, &path);
        }
        assert_eq!(
            attached_names(screen),
            ["badge-front.png", "badge-back.png"]
        );
        let backend = draw_run(screen, 80, 24);
        let text = screen_text(&backend);
        assert!(text.contains("▪ badge-front.png"), "{text}");
        snap!(format!("attachments_{}", suffix(lang)), backend);

        // In the picker, above the inbox; Del takes the highlighted one off (recorded).
        screen.handle_key(ch('e'));
        fixed_inbox(screen);
        screen.handle_key(key(KeyCode::Up));
        snap!(
            format!("picker_with_attachments_{}", suffix(lang)),
            draw_run(screen, 80, 24)
        );
        screen.handle_key(key(KeyCode::Delete));
        let events = read_log(screen.session.path()).unwrap().events;
        assert!(
            matches!(
                events.last().map(|e| &e.kind),
                Some(EventKind::Detached { .. })
            ),
            "{events:?}"
        );
        assert_eq!(screen.attachments().len(), 1);
        assert_eq!(screen.attachments()[0].name, "badge-front.png");
    }
}

#[test]
fn a_required_photo_shows_on_the_item_and_in_the_summary() {
    for lang in LANGS {
        let mut visit = start("appliance-install", lang);
        let screen = &mut visit.screen;
        go_to(screen, "power_on_test");
        screen.handle_key(ch('p'));
        // The answer wants a photo: the screen stays on the item and says so.
        assert_eq!(current_id(screen), "power_on_test");
        assert!(screen.session.eval.items[screen.cursor].evidence_missing);
        snap!(
            format!("photo_required_{}", suffix(lang)),
            draw_run(screen, 80, 24)
        );
        screen.handle_key(ch('s'));
        let backend = draw_run(screen, 80, 24);
        let text = screen_text(&backend);
        assert!(text.contains(strings(lang).evidence.missing), "{text}");
        snap!(format!("summary_photo_missing_{}", suffix(lang)), backend);
    }
}

#[test]
fn refused_files_say_why_and_record_nothing() {
    for lang in LANGS {
        let mut visit = start("appliance-install", lang);
        let dir = visit.dir.path().to_owned();
        let screen = &mut visit.screen;
        let before = read_log(screen.session.path()).unwrap().events.len();
        screen.handle_key(ch('e'));
        // A folder, a missing file, a name with an escape sequence.
        let hostile = dir.join("evil\u{1b}[2J.png");
        std::fs::write(&hostile, PNG_1X1).unwrap();
        for path in [dir.clone(), dir.join("nowhere.jpg"), hostile] {
            type_text(screen, &path.display().to_string());
            screen.handle_key(key(KeyCode::Enter));
            screen.work();
            let Some(Notice::Error(message)) = &screen.notice else {
                panic!("no error for {path:?}: {:?}", screen.notice);
            };
            assert!(!message.contains('\u{1b}'), "{message:?}");
            assert_eq!(overlay_name(screen), "evidence");
            screen.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        }
        assert_eq!(
            read_log(screen.session.path()).unwrap().events.len(),
            before
        );
    }
}

#[test]
fn e_on_an_item_that_takes_no_evidence_says_so() {
    let mut visit = start("appliance-install", sitecheck::lang::Lang::En);
    let screen = &mut visit.screen;
    // Make the first item take none, as a checklist with `evidence: never` would.
    let checklist = &mut screen.session.checklist;
    checklist.sections[0].items[0].evidence = sitecheck::checklist::EvidencePolicy::Never;
    screen.handle_key(ch('e'));
    assert_eq!(overlay_name(screen), "none");
    assert!(
        matches!(&screen.notice, Some(Notice::Info(t)) if t.contains("takes no photos")),
        "{:?}",
        screen.notice
    );
    let text = screen_text(&draw_run(screen, 80, 24));
    assert!(!text.contains("e photo"), "{text}");
}

#[test]
fn on_a_finished_visit_e_is_an_amendment_with_a_reason_and_only_for_its_technician() {
    let mut visit = start("appliance-install", sitecheck::lang::Lang::En);
    let dir = visit.dir.path().to_owned();
    let screen = &mut visit.screen;
    answer_everything(screen);
    screen.handle_key(ch('s'));
    screen.handle_key(key(KeyCode::Enter));
    screen.handle_key(ch('y'));
    assert!(screen.session.is_read_only(), "{:?}", screen.notice);
    screen.handle_key(key(KeyCode::Esc));
    screen.handle_key(key(KeyCode::Esc));
    let photo = dir.join("later.png");
    std::fs::write(&photo, PNG_1X1).unwrap();
    let before = read_log(screen.session.path()).unwrap().events.len();

    // Someone else: refused, nothing written.
    screen.technician = Some("li.si".into());
    screen.handle_key(ch('e'));
    assert_eq!(overlay_name(screen), "none");
    assert!(
        matches!(&screen.notice, Some(Notice::Error(t)) if t.contains("zhang.san")),
        "{:?}",
        screen.notice
    );

    // The visit's own technician: the file, then the reason, then it is written.
    screen.technician = Some("zhang.san".into());
    screen.handle_key(ch('e'));
    type_text(screen, &photo.display().to_string());
    screen.handle_key(key(KeyCode::Enter));
    screen.work();
    assert_eq!(
        read_log(screen.session.path()).unwrap().events.len(),
        before
    );
    type_text(screen, "customer asked for a photo of the remote");
    screen.handle_key(key(KeyCode::Enter));
    screen.work();
    let events = read_log(screen.session.path()).unwrap().events;
    let attached = events.iter().rev().find_map(|e| match &e.kind {
        EventKind::Attached {
            reason, technician, ..
        } => Some((reason.clone(), technician.clone())),
        _ => None,
    });
    assert_eq!(
        attached,
        Some((
            Some("customer asked for a photo of the remote".into()),
            Some("zhang.san".into())
        ))
    );
    assert_eq!(overlay_name(screen), "receipt");
}
