//! The run screen at 80x24, in English and Chinese, driven through its real key handling:
//! answers, conditional items, the value and note editors, and the keys' behaviour.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use crossterm::event::KeyCode;
use render_support::*;
use sitecheck::lang::Lang;
use sitecheck::tui::strings::strings;
use sitecheck::visit::{AnswerValue, Outcome};

#[test]
fn fresh_visit() {
    for id in ["appliance-install", "haier-12345", "tcl-8s"] {
        for lang in LANGS {
            let mut visit = start(id, lang);
            assert_eq!(current_id(&visit.screen), visit.screen.items()[0].id);
            let backend = draw_run(&mut visit.screen, 80, 24);
            let text = screen_text(&backend);
            assert!(
                text.contains("WO-2026-0042"),
                "work order not shown:\n{text}"
            );
            snap!(format!("fresh_{id}_{}", suffix(lang)), backend);
        }
    }
}

/// `1` passes badge and moves on; `2` fails arrived_on_time, whose note editor opens;
/// the note saved, the screen moves to the late-minutes item that has just appeared.
fn answer_the_first_items(screen: &mut sitecheck::tui::run::RunScreen, note: &str) {
    assert_eq!(current_id(screen), "badge");
    screen.handle_key(ch('1'));
    assert_eq!(value(screen, "badge"), Some(AnswerValue::Pass));
    assert_eq!(current_id(screen), "arrived_on_time");

    assert!(!is_visible(screen, "minutes_late"));
    screen.handle_key(ch('2'));
    assert_eq!(value(screen, "arrived_on_time"), Some(AnswerValue::No));
    assert_eq!(outcome(screen, "arrived_on_time"), Some(Outcome::Fail));
    assert_eq!(
        overlay_name(screen),
        "note",
        "a failed on_fail item asks for its note"
    );
    type_text(screen, note);
    screen.handle_key(key(KeyCode::Enter));
    assert_eq!(overlay_name(screen), "none");
    assert!(is_visible(screen, "minutes_late"));
    assert_eq!(current_id(screen), "minutes_late");
}

#[test]
fn after_some_answers() {
    for lang in LANGS {
        let mut visit = start("appliance-install", lang);
        let note = match lang {
            Lang::En => "Traffic jam on the ring road",
            Lang::ZhCn => "环路堵车",
        };
        answer_the_first_items(&mut visit.screen, note);
        let backend = draw_run(&mut visit.screen, 80, 24);
        let rows = rows(backend.buffer());
        let s = strings(lang);
        // The list marks the pass and the fail with their symbols; the section counts its fail.
        assert!(rows[2].starts_with(" ✓ "), "{}", rows[2]);
        assert!(rows[3].starts_with(" ✗ "), "{}", rows[3]);
        assert!(rows[1].contains("✗1"), "{}", rows[1]);
        assert!(screen_text(&backend).contains(&format!("✓ {} #", s.saved)));
        snap!(format!("answers_{}", suffix(lang)), backend);

        // Back on the failed item, its note shows.
        visit.screen.handle_key(key(KeyCode::Up));
        let backend = draw_run(&mut visit.screen, 80, 24);
        assert!(screen_text(&backend).contains(note));
        snap!(format!("failed_with_note_{}", suffix(lang)), backend);
    }
}

#[test]
fn a_conditional_item_comes_and_goes_with_its_condition() {
    let mut visit = start("appliance-install", Lang::En);
    let screen = &mut visit.screen;
    answer_the_first_items(screen, "late");
    let shown = |screen: &mut sitecheck::tui::run::RunScreen| {
        screen_text(&draw_run(screen, 80, 24)).contains("How many minutes late?")
    };
    assert!(shown(screen));

    // Backspace on the condition clears it: the session's view has no value, the item goes.
    go_to(screen, "arrived_on_time");
    screen.handle_key(key(KeyCode::Backspace));
    assert_eq!(value(screen, "arrived_on_time"), None);
    assert!(!is_visible(screen, "minutes_late"));
    assert!(!shown(screen));

    // A passing answer keeps it hidden; answering "no" again brings it back.
    go_to(screen, "arrived_on_time");
    screen.handle_key(ch('y'));
    assert!(!is_visible(screen, "minutes_late"));
    assert_eq!(current_id(screen), "shoe_covers");
    go_to(screen, "arrived_on_time");
    screen.handle_key(ch('n'));
    screen.handle_key(key(KeyCode::Esc)); // leave the note for later
    assert!(is_visible(screen, "minutes_late"));
    assert!(shown(screen));
}

#[test]
fn backspace_clears_and_the_clearing_is_recorded() {
    let mut visit = start("appliance-install", Lang::En);
    let screen = &mut visit.screen;
    screen.handle_key(ch('1'));
    let seq_after_answer = screen.session.last_saved_seq;
    go_to(screen, "badge");
    screen.handle_key(key(KeyCode::Backspace));
    assert_eq!(value(screen, "badge"), None);
    assert_eq!(outcome(screen, "badge"), None);
    assert!(screen.session.last_saved_seq > seq_after_answer);
    let log = std::fs::read_to_string(screen.session.path()).unwrap();
    assert!(log.lines().last().unwrap().contains("\"cleared\""));
    let backend = draw_run(screen, 80, 24);
    assert!(screen_text(&backend).contains("Answer: ○ not answered"));
}

#[test]
fn tab_goes_to_the_next_unanswered_required_item() {
    let mut visit = start("appliance-install", Lang::En);
    let screen = &mut visit.screen;
    go_to(screen, "shoe_covers");
    screen.handle_key(ch('1'));
    go_to(screen, "badge");
    screen.handle_key(ch('1'));
    assert_eq!(current_id(screen), "arrived_on_time");
    // Skips the hidden late-minutes item and the answered shoe covers.
    screen.handle_key(key(KeyCode::Tab));
    assert_eq!(current_id(screen), "price_list");
    screen.handle_key(key(KeyCode::BackTab));
    assert_eq!(current_id(screen), "arrived_on_time");
    // Skips the optional customer remarks.
    go_to(screen, "materials_charged");
    screen.handle_key(key(KeyCode::Tab));
    assert_eq!(current_id(screen), "satisfaction");
    // Wraps round to the first missing one.
    go_to(screen, "customer_sign");
    screen.handle_key(key(KeyCode::Tab));
    assert_eq!(current_id(screen), "arrived_on_time");
}

#[test]
fn keys_for_pass_fail_and_yes_no() {
    let mut visit = start("haier-12345", Lang::ZhCn);
    let screen = &mut visit.screen;
    screen.handle_key(ch('p'));
    assert_eq!(value(screen, "badge"), Some(AnswerValue::Pass));
    assert_eq!(current_id(screen), "price_list");
    screen.handle_key(ch('1'));
    assert_eq!(value(screen, "price_list"), Some(AnswerValue::Pass));
    assert_eq!(current_id(screen), "charged_by_list");
    // `y` means nothing on a pass_fail item.
    screen.handle_key(ch('y'));
    assert_eq!(value(screen, "charged_by_list"), None);
    assert_eq!(current_id(screen), "charged_by_list");
}

#[test]
fn a_long_prompt_wraps_whole() {
    for lang in LANGS {
        let mut visit = start("tcl-8s", lang);
        go_to(&mut visit.screen, "whole_process");
        let prompt = visit
            .screen
            .current()
            .unwrap()
            .prompt
            .get(lang.tag(), None)
            .to_owned();
        let backend = draw_run(&mut visit.screen, 80, 24);
        // The detail pane (right of the list) holds every character of the prompt.
        let detail: String = rows(backend.buffer())
            .iter()
            .filter_map(|row| {
                row.split_once('│')
                    .map(|(_, right)| right.trim().to_owned())
            })
            .collect::<Vec<_>>()
            .join(" ");
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        assert!(
            squeeze(&detail).contains(&squeeze(&prompt)),
            "prompt cut: {prompt}\n{detail}"
        );
        snap!(format!("wrapped_prompt_{}", suffix(lang)), backend);
    }
}

#[test]
fn number_editor_shows_out_of_range_as_it_is_typed() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = start("appliance-install", lang);
        let screen = &mut visit.screen;
        answer_the_first_items(screen, "late");
        screen.handle_key(key(KeyCode::Enter));
        assert_eq!(overlay_name(screen), "value");
        type_text(screen, "25");
        let backend = draw_run(screen, 80, 24);
        let text = screen_text(&backend);
        assert!(text.contains(&format!("✗ {}", s.out_of_range)), "{text}");
        assert!(text.contains("0–15 min"), "{text}");
        snap!(format!("number_out_of_range_{}", suffix(lang)), backend);

        // Back inside the range, the verdict says so.
        screen.handle_key(key(KeyCode::Backspace));
        screen.handle_key(key(KeyCode::Backspace));
        type_text(screen, "9");
        assert!(screen_text(&draw_run(screen, 80, 24)).contains(&format!("✓ {}", s.in_range)));

        // Saved out of range: recorded, a fail, and the note (always asked) opens.
        screen.handle_key(key(KeyCode::Backspace));
        type_text(screen, "25");
        screen.handle_key(key(KeyCode::Enter));
        assert_eq!(
            value(screen, "minutes_late"),
            Some(AnswerValue::Number(25.0))
        );
        assert_eq!(outcome(screen, "minutes_late"), Some(Outcome::Fail));
        assert_eq!(overlay_name(screen), "note");
        type_text(
            screen,
            match lang {
                Lang::En => "Ring road closed",
                Lang::ZhCn => "环路封闭",
            },
        );
        let backend = draw_run(screen, 80, 24);
        snap!(format!("note_editor_{}", suffix(lang)), backend);
        screen.handle_key(key(KeyCode::Enter));
        assert_eq!(overlay_name(screen), "none");
        assert_eq!(current_id(screen), "shoe_covers");
    }
}

#[test]
fn text_editor_refuses_a_value_that_does_not_match_the_pattern() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = start("appliance-install", lang);
        let screen = &mut visit.screen;
        go_to(screen, "serial_number");
        screen.handle_key(key(KeyCode::Enter));
        type_text(screen, "sn 4711");
        let backend = draw_run(screen, 80, 24);
        assert!(screen_text(&backend).contains(&format!("! {}", s.text_pattern)));
        snap!(format!("text_pattern_mismatch_{}", suffix(lang)), backend);
        screen.handle_key(key(KeyCode::Enter));
        assert_eq!(
            overlay_name(screen),
            "value",
            "an invalid value is not saved"
        );
        assert_eq!(value(screen, "serial_number"), None);
        // Esc leaves the editor without recording anything.
        screen.handle_key(key(KeyCode::Esc));
        assert_eq!(overlay_name(screen), "none");
        assert_eq!(value(screen, "serial_number"), None);
    }
}

#[test]
fn sign_off_editor() {
    for lang in LANGS {
        let mut visit = start("appliance-install", lang);
        let screen = &mut visit.screen;
        go_to(screen, "customer_sign");
        screen.handle_key(key(KeyCode::Enter));
        let name = match lang {
            Lang::En => "Wang Fang",
            Lang::ZhCn => "王芳",
        };
        type_text(screen, name);
        let backend = draw_run(screen, 80, 24);
        let signer = match lang {
            Lang::En => "customer",
            Lang::ZhCn => "顾客",
        };
        assert!(
            screen_text(&backend).contains(&format!("{} ({signer})", strings(lang).signer_title))
        );
        snap!(format!("sign_off_editor_{}", suffix(lang)), backend);
        screen.handle_key(key(KeyCode::Enter));
        assert_eq!(
            value(screen, "customer_sign"),
            Some(AnswerValue::SignOff(name.into()))
        );
    }
}

#[test]
fn multi_choice_with_two_options() {
    for lang in LANGS {
        let mut visit = start("appliance-install", lang);
        let screen = &mut visit.screen;
        go_to(screen, "site_issues");
        assert!(!is_visible(screen, "risk_explained"));
        screen.handle_key(ch('6'));
        assert_eq!(current_id(screen), "site_issues", "multi_choice stays put");
        screen.handle_key(ch('2'));
        // A failing option asks for the note; leave it for later.
        assert_eq!(overlay_name(screen), "note");
        screen.handle_key(key(KeyCode::Esc));
        assert_eq!(
            value(screen, "site_issues"),
            Some(AnswerValue::Choices(vec![
                "no_earth".into(),
                "tight_space".into()
            ])),
            "options are kept in the checklist's order"
        );
        assert_eq!(outcome(screen, "site_issues"), Some(Outcome::Fail));
        assert!(is_visible(screen, "risk_explained"));
        let backend = draw_run(screen, 80, 24);
        assert_eq!(screen_text(&backend).matches('◉').count(), 2);
        snap!(format!("multi_choice_{}", suffix(lang)), backend);

        // Toggling one off keeps the other.
        screen.handle_key(ch('2'));
        assert_eq!(
            value(screen, "site_issues"),
            Some(AnswerValue::Choices(vec!["tight_space".into()]))
        );
        assert!(!is_visible(screen, "risk_explained"));
    }
}

#[test]
fn battery_level_and_low_battery_warning() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = start("haier-12345", lang);
        let header = |screen: &mut sitecheck::tui::run::RunScreen| {
            rows(draw_run(screen, 80, 24).buffer())[0].clone()
        };
        assert!(header(&mut visit.screen).ends_with(&format!("{} 50%", s.battery)));
        visit.screen.battery = Some(10);
        let row = header(&mut visit.screen);
        assert!(row.contains(&format!("⚠ {} 10%", s.battery_low)), "{row}");
        assert!(row.contains("WO-2026-0042"), "{row}");
        visit.screen.battery = None;
        assert!(!header(&mut visit.screen).contains('%'));
        visit.screen.battery = Some(10);
        let backend = draw_run(&mut visit.screen, 80, 24);
        snap!(format!("low_battery_{}", suffix(lang)), backend);
    }
}
