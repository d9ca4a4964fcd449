//! The summary and finish screens, help, and a finished (read-only) visit, at 80x24 in
//! English and Chinese, reached through the run screen's keys.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use crossterm::event::KeyCode;
use render_support::*;
use sitecheck::lang::Lang;
use sitecheck::tui::run::{Notice, RunScreen};
use sitecheck::tui::strings::strings;
use sitecheck::visit::{AnswerValue, Status};

/// A visit with a failure that has its note, one whose note is missing, and the rest missing.
fn with_failures(lang: Lang) -> Visit {
    let mut visit = start("appliance-install", lang);
    let screen = &mut visit.screen;
    screen.handle_key(ch('f'));
    type_text(
        screen,
        match lang {
            Lang::En => "Badge left in the van",
            Lang::ZhCn => "上岗证忘在车上",
        },
    );
    screen.handle_key(key(KeyCode::Enter));
    screen.handle_key(ch('y'));
    screen.handle_key(ch('1'));
    assert_eq!(current_id(screen), "price_list");
    screen.handle_key(ch('f'));
    screen.handle_key(key(KeyCode::Esc)); // the note stays missing
    visit
}

#[test]
fn summary_lists_failures_and_missing_items() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = with_failures(lang);
        let screen = &mut visit.screen;
        screen.handle_key(ch('s'));
        assert_eq!(overlay_name(screen), "summary");
        let backend = draw_run(screen, 80, 24);
        let text = screen_text(&backend);
        assert!(text.contains(&format!("{} (2)", s.failures)), "{text}");
        assert!(
            text.contains(&format!("✗ {}", s.fail.to_uppercase())),
            "{text}"
        );
        assert!(text.contains(&format!("({})", s.missing_note)), "{text}");
        // The keys keep the last row of the box, however long the lists are.
        let rows = rows(backend.buffer());
        assert!(rows[20].contains(s.summary_keys), "{}", rows[20]);
        snap!(format!("summary_{}", suffix(lang)), backend);
    }
}

#[test]
fn finishing_is_refused_while_items_are_missing() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = with_failures(lang);
        let screen = &mut visit.screen;
        press(screen, &[ch('s'), key(KeyCode::Enter)]);
        assert_eq!(screen.notice, Some(Notice::Error(s.cannot_finish.into())));
        assert_eq!(overlay_name(screen), "summary", "no confirmation is asked");
        screen.handle_key(ch('y'));
        assert_eq!(*screen.session.status(), Status::Open);
        let backend = draw_run(screen, 80, 24);
        assert!(rows(backend.buffer())[22].contains(&format!("✗ {}", s.cannot_finish)));
        snap!(format!("finish_refused_{}", suffix(lang)), backend);
    }
}

fn everything_answered(lang: Lang) -> Visit {
    let mut visit = start("haier-12345", lang);
    answer_everything(&mut visit.screen);
    // One failure with its note, so the finished summary has something to show.
    go_to(&mut visit.screen, "small_gift");
    visit.screen.handle_key(ch('f'));
    type_text(
        &mut visit.screen,
        match lang {
            Lang::En => "Out of gifts this week",
            Lang::ZhCn => "本周礼品已送完",
        },
    );
    visit.screen.handle_key(key(KeyCode::Enter));
    assert!(visit.screen.session.eval.can_finish());
    visit
}

#[test]
fn finish_confirmation_then_a_read_only_visit() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = everything_answered(lang);
        let screen = &mut visit.screen;
        press(screen, &[ch('s'), key(KeyCode::Enter)]);
        assert_eq!(overlay_name(screen), "confirm");
        let backend = draw_run(screen, 80, 24);
        assert!(screen_text(&backend).contains(s.confirm_finish));
        snap!(format!("finish_confirm_{}", suffix(lang)), backend);

        // `n` goes back without finishing; `y` finishes.
        screen.handle_key(ch('n'));
        assert_eq!(overlay_name(screen), "summary");
        assert_eq!(*screen.session.status(), Status::Open);
        press(screen, &[key(KeyCode::Enter), ch('y')]);
        assert!(matches!(screen.session.status(), Status::Finished { .. }));
        let log = std::fs::read_to_string(screen.session.path()).unwrap();
        let finished = log
            .lines()
            .find(|l| l.contains("\"event\":\"finished\""))
            .unwrap();
        // The receipt comes first, in large type: the code of the finished line.
        assert_eq!(overlay_name(screen), "receipt");
        let hash = finished
            .rsplit("\"hash\":\"")
            .next()
            .unwrap()
            .trim_end_matches("\"}");
        let code = sitecheck::log::receipt::receipt_code(hash).unwrap();
        let shown = screen_text(&draw_run(screen, 80, 24));
        assert!(shown.contains(&code), "{code} on\n{shown}");
        assert!(shown.contains("███"), "large type:\n{shown}");
        screen.handle_key(ch(' '));
        assert_eq!(overlay_name(screen), "summary");
        let backend = draw_run(screen, 80, 24);
        snap!(format!("finished_summary_{}", suffix(lang)), backend);

        // Back on the run screen, nothing can be changed.
        screen.handle_key(key(KeyCode::Esc));
        assert_eq!(overlay_name(screen), "none");
        go_to(screen, "badge");
        let before = value(screen, "badge");
        screen.handle_key(ch('2'));
        screen.handle_key(key(KeyCode::Backspace));
        assert_eq!(value(screen, "badge"), before);
        assert_eq!(value(screen, "badge"), Some(AnswerValue::Pass));
        let expected = format!("{} — {}", s.finished, s.read_only);
        assert_eq!(screen.notice, Some(Notice::Info(expected.clone())));
        let backend = draw_run(screen, 80, 24);
        let rows = rows(backend.buffer());
        assert!(
            rows[0].contains(&format!("[{}]", s.finished)),
            "{}",
            rows[0]
        );
        assert!(rows[22].contains(&expected));
        snap!(format!("finished_run_{}", suffix(lang)), backend);
    }
}

#[test]
fn help_lists_the_keys() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = start("appliance-install", lang);
        let screen: &mut RunScreen = &mut visit.screen;
        screen.handle_key(ch('?'));
        assert_eq!(overlay_name(screen), "help");
        let backend = draw_run(screen, 80, 24);
        let text = screen_text(&backend);
        for (keys, what) in s.help_lines {
            assert!(text.contains(keys) && text.contains(what), "{keys} {what}");
        }
        snap!(format!("help_{}", suffix(lang)), backend);
        // Any other key keeps help open; Esc closes it.
        screen.handle_key(ch('1'));
        assert_eq!(overlay_name(screen), "help");
        assert_eq!(value(screen, "badge"), None);
        screen.handle_key(key(KeyCode::Esc));
        assert_eq!(overlay_name(screen), "none");
    }
}

#[test]
fn abandon_asks_for_a_reason() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = with_failures(lang);
        let screen = &mut visit.screen;
        press(screen, &[ch('s'), ch('A')]);
        assert_eq!(overlay_name(screen), "abandon");
        // An empty reason is not accepted.
        screen.handle_key(key(KeyCode::Enter));
        assert_eq!(overlay_name(screen), "abandon");
        type_text(
            screen,
            match lang {
                Lang::En => "Customer not at home",
                Lang::ZhCn => "顾客不在家",
            },
        );
        let backend = draw_run(screen, 80, 24);
        assert!(screen_text(&backend).contains(s.abandon_title));
        snap!(format!("abandon_{}", suffix(lang)), backend);
        screen.handle_key(key(KeyCode::Enter));
        assert!(matches!(screen.session.status(), Status::Abandoned { .. }));
        assert_eq!(overlay_name(screen), "summary");
    }
}

#[test]
fn visit_details_from_the_run_screen() {
    for lang in LANGS {
        let mut visit = start("appliance-install", lang);
        let screen = &mut visit.screen;
        screen.handle_key(ch('h'));
        assert_eq!(overlay_name(screen), "header");
        let backend = draw_run(screen, 80, 24);
        let text = screen_text(&backend);
        assert!(
            text.contains("WO-2026-0042") && text.contains("王女士"),
            "{text}"
        );
        snap!(format!("visit_details_{}", suffix(lang)), backend);
        screen.handle_key(key(KeyCode::Esc));
        assert_eq!(overlay_name(screen), "none");
    }
}
