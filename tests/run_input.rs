//! The run screen's input path (issue: every key records what the technician meant): the
//! keys of number items, editors that must stay open, Ctrl-C in an editor, the header form
//! launched with values from outside, closed visits, help at 60x16 — each checked against
//! the log on disk, not only the screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use render_support::*;
use serde_json::{Map, Value, json};
use sitecheck::lang::Lang;
use sitecheck::log::{EventKind, read_log};
use sitecheck::tui::header_form::{FormResult, HeaderForm};
use sitecheck::tui::run::{Overlay, RunScreen};
use sitecheck::tui::strings::strings;
use sitecheck::tui::theme::Theme;
use sitecheck::visit::AnswerValue;

fn events(screen: &RunScreen) -> Vec<EventKind> {
    read_log(screen.session.path())
        .unwrap()
        .events
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

fn ctrl_c() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
}

fn editor_text(screen: &RunScreen) -> Option<String> {
    match &screen.overlay {
        Overlay::Value(input) | Overlay::Note { input, .. } => Some(input.text().to_owned()),
        _ => None,
    }
}

/// appliance-install up to its air-conditioner items, where `air_temp_drop` (a number with
/// N/A) is shown.
fn at_air_temp_drop(lang: Lang) -> Visit {
    let mut visit = start("appliance-install", lang);
    go_to(&mut visit.screen, "appliance");
    press(&mut visit.screen, &[ch('1')]); // air conditioner
    assert!(is_visible(&visit.screen, "air_temp_drop"));
    go_to(&mut visit.screen, "air_temp_drop");
    visit
}

#[test]
fn digits_on_a_number_item_type_the_number_and_never_answer() {
    for lang in LANGS {
        let mut visit = at_air_temp_drop(lang);
        let screen = &mut visit.screen;
        let before = events(screen).len();
        press(screen, &[ch('1'), ch('2')]);
        assert_eq!(editor_text(screen).as_deref(), Some("12"), "{lang:?}");
        assert_eq!(
            events(screen).len(),
            before,
            "nothing recorded while typing"
        );
        assert_eq!(current_id(screen), "air_temp_drop");
        press(screen, &[key(KeyCode::Enter)]);
        assert_eq!(
            value(screen, "air_temp_drop"),
            Some(AnswerValue::Number(12.0))
        );
        let next = screen.items()[index_of(screen, "air_temp_drop") + 1]
            .id
            .clone();
        assert_eq!(value(screen, &next), None, "the next item is untouched");
        assert!(
            !events(screen)
                .iter()
                .any(|e| matches!(e, EventKind::Answered { value, .. } if value == &json!("na"))),
            "no N/A recorded"
        );
    }
}

#[test]
fn a_minus_sign_or_a_point_starts_a_number_too() {
    let mut visit = start("appliance-install", Lang::En);
    go_to(&mut visit.screen, "supply_voltage");
    press(&mut visit.screen, &[ch('-')]);
    assert_eq!(editor_text(&visit.screen).as_deref(), Some("-"));
    press(&mut visit.screen, &[key(KeyCode::Esc), ch('.')]);
    assert_eq!(editor_text(&visit.screen).as_deref(), Some("."));
    press(&mut visit.screen, &[key(KeyCode::Esc)]);
    assert_eq!(value(&visit.screen, "supply_voltage"), None);
}

#[test]
fn na_on_a_number_item_is_chosen_with_the_arrows_and_space() {
    let mut visit = at_air_temp_drop(Lang::En);
    let screen = &mut visit.screen;
    let backend = draw_run(screen, 80, 24);
    let text = screen_text(&backend);
    assert!(text.contains("N/A: ← → then Space"), "{text}");
    press(screen, &[key(KeyCode::Right), ch(' ')]);
    assert_eq!(value(screen, "air_temp_drop"), Some(AnswerValue::Na));
}

#[test]
fn a_required_note_editor_stays_open_on_an_empty_enter() {
    for lang in LANGS {
        let mut visit = start("tcl-8s", lang);
        let screen = &mut visit.screen;
        go_to(screen, "arrived_on_time");
        press(screen, &[ch('n')]);
        assert!(matches!(
            screen.overlay,
            Overlay::Note { required: true, .. }
        ));
        let before = events(screen).len();
        press(screen, &[key(KeyCode::Enter), ch(' '), key(KeyCode::Enter)]);
        assert!(
            matches!(screen.overlay, Overlay::Note { required: true, .. }),
            "{lang:?}: still open"
        );
        assert_eq!(events(screen).len(), before, "nothing written");
        let backend = draw_run(screen, 80, 24);
        assert!(screen_text(&backend).contains(strings(lang).note_still_required));
        // Letters that are keys elsewhere (Space, c, p, 1) are text here.
        type_text(screen, "late: cp 1 jam");
        press(screen, &[key(KeyCode::Enter)]);
        assert!(matches!(screen.overlay, Overlay::None));
        let state = &screen.session.view.answers["arrived_on_time"];
        assert_eq!(state.note.as_deref(), Some(" late: cp 1 jam".trim()));
        // Only the answer and its note were recorded.
        let written: Vec<_> = events(screen)[before..].to_vec();
        assert_eq!(written.len(), 1, "{written:?}");
        assert!(
            matches!(&written[0], EventKind::Noted { item, note } if item == "arrived_on_time" && note == "late: cp 1 jam")
        );
    }
}

#[test]
fn esc_leaves_a_required_note_missing_and_says_so() {
    let mut visit = start("tcl-8s", Lang::En);
    let screen = &mut visit.screen;
    go_to(screen, "arrived_on_time");
    press(screen, &[ch('n'), key(KeyCode::Esc)]);
    assert!(matches!(screen.overlay, Overlay::None));
    let index = index_of(screen, "arrived_on_time");
    assert!(screen.session.eval.items[index].note_missing);
    let text = screen_text(&draw_run(screen, 80, 24));
    assert!(text.contains(strings(Lang::En).note_left_missing), "{text}");
    assert!(
        text.contains("saved #"),
        "the answer is still said to be saved:\n{text}"
    );
}

#[test]
fn ctrl_c_in_the_note_editor_keeps_the_note() {
    let mut visit = start("tcl-8s", Lang::ZhCn);
    let screen = &mut visit.screen;
    go_to(screen, "arrived_on_time");
    press(screen, &[ch('n')]);
    type_text(screen, "堵车 20 分钟");
    screen.handle_key(ctrl_c());
    let kinds = events(screen);
    assert!(
        kinds.iter().any(
            |e| matches!(e, EventKind::Noted { item, note } if item == "arrived_on_time" && note == "堵车 20 分钟")
        ),
        "{kinds:?}"
    );
    assert!(matches!(kinds.last(), Some(EventKind::Paused)), "{kinds:?}");
}

#[test]
fn ctrl_c_in_the_value_editor_keeps_a_valid_value_only() {
    let mut visit = start("appliance-install", Lang::En);
    go_to(&mut visit.screen, "supply_voltage");
    press(&mut visit.screen, &[ch('2'), ch('3'), ch('0')]);
    visit.screen.handle_key(ctrl_c());
    assert_eq!(
        value(&visit.screen, "supply_voltage"),
        Some(AnswerValue::Number(230.0))
    );

    let mut visit = start("appliance-install", Lang::En);
    go_to(&mut visit.screen, "supply_voltage");
    press(&mut visit.screen, &[ch('2'), ch('x')]);
    visit.screen.handle_key(ctrl_c());
    assert_eq!(value(&visit.screen, "supply_voltage"), None);
}

#[test]
fn a_key_that_does_nothing_here_says_so() {
    let mut visit = start("tcl-8s", Lang::En);
    let screen = &mut visit.screen;
    go_to(screen, "arrived_on_time"); // yes_no
    let before = events(screen).len();
    press(screen, &[ch('p')]);
    assert_eq!(events(screen).len(), before);
    let text = screen_text(&draw_run(screen, 80, 24));
    assert!(
        text.contains(&format!("p: {}", strings(Lang::En).key_does_nothing)),
        "{text}"
    );
    press(screen, &[ch('9')]);
    let text = screen_text(&draw_run(screen, 80, 24));
    assert!(text.contains("9: "), "{text}");
}

#[test]
fn an_unfinished_visit_is_never_a_pass_so_far() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = start("haier-12345", lang);
        let first = visit.screen.items()[0].id.clone();
        go_to(&mut visit.screen, &first);
        press(&mut visit.screen, &[ch('1'), ch('s')]);
        let text = screen_text(&draw_run(&mut visit.screen, 80, 24));
        assert!(text.contains(s.incomplete), "{text}");
        assert!(
            !text.contains(&format!("✓ {}", s.pass.to_uppercase())),
            "{text}"
        );
    }
}

#[test]
fn a_finished_visit_offers_only_the_keys_that_work() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = start("haier-12345", lang);
        answer_everything(&mut visit.screen);
        press(
            &mut visit.screen,
            &[
                ch('s'),
                key(KeyCode::Enter),
                ch('y'),
                ch(' '),
                key(KeyCode::Esc),
            ],
        );
        assert!(visit.screen.session.is_read_only());
        let backend = draw_run(&mut visit.screen, 80, 24);
        let text = screen_text(&backend);
        // The item takes photos: `e` (an amendment) is offered with the rest.
        assert!(text.contains(s.evidence.run_keys_finished), "{text}");
        assert!(!text.contains(s.run_keys), "{text}");
        assert!(!text.contains(s.evidence.run_keys), "{text}");
        snap!(format!("finished_footer_{}", suffix(lang)), backend);
    }
}

#[test]
fn help_scrolls_at_60x16() {
    for lang in LANGS {
        let mut visit = start("appliance-install", lang);
        press(&mut visit.screen, &[ch('?')]);
        let top = screen_text(&draw_run(&mut visit.screen, 60, 16));
        press(&mut visit.screen, &[key(KeyCode::End)]);
        let backend = draw_run(&mut visit.screen, 60, 16);
        let bottom = screen_text(&backend);
        let last = strings(lang).help_lines.last().unwrap().1;
        assert!(!top.contains(last), "{top}");
        assert!(
            bottom.contains(last),
            "the last key is reachable:\n{bottom}"
        );
        snap!(format!("help_scrolled_60x16_{}", suffix(lang)), backend);
        // Scrolling keys never answer: Esc closes, nothing recorded.
        press(&mut visit.screen, &[key(KeyCode::Up), key(KeyCode::Esc)]);
        assert!(matches!(visit.screen.overlay, Overlay::None));
        assert_eq!(visit.screen.session.eval.answered, 0);
    }
}

#[test]
fn editing_the_header_then_esc_asks_whether_to_keep_the_edit() {
    for (answer, kept) in [('y', true), ('n', false)] {
        let mut visit = start("appliance-install", Lang::En);
        let screen = &mut visit.screen;
        press(screen, &[ch('h')]);
        // The address is the fourth field.
        press(
            screen,
            &[key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Down)],
        );
        type_text(screen, " 2F");
        press(screen, &[key(KeyCode::Esc)]);
        let Overlay::Header(form) = &screen.overlay else {
            panic!("Esc with an edit must ask, not close");
        };
        assert!(form.asking);
        let text = screen_text(&draw_run(screen, 80, 24));
        assert!(text.contains(strings(Lang::En).ask_keep), "{text}");
        press(screen, &[ch(answer)]);
        assert!(matches!(screen.overlay, Overlay::None));
        let address = screen.session.view.field_text("address").unwrap();
        assert_eq!(address.ends_with(" 2F"), kept, "{address}");
        let fields_events = events(screen)
            .iter()
            .filter(|e| matches!(e, EventKind::Fields { .. }))
            .count();
        assert_eq!(fields_events, usize::from(kept));
    }
}

#[test]
fn an_invalid_value_from_outside_opens_the_form_on_that_field() {
    for lang in LANGS {
        let checklist = checklist("appliance-install");
        let mut given = fields("appliance-install");
        given.insert("appointment".into(), Value::from("tomorrow"));
        let form = HeaderForm::prefilled(&checklist, &given, lang);
        let at = checklist
            .visit_fields
            .iter()
            .position(|f| f.id == "appointment")
            .unwrap();
        assert_eq!(form.focus, at);
        let backend = draw_form(&form, &checklist, Theme::new(true), 80, 24);
        let text = screen_text(&backend);
        assert!(
            text.contains(&format!("✗ {}", strings(lang).field_datetime)),
            "{text}"
        );
        assert!(
            text.contains("2026-11-22T14:30+08:00"),
            "an example:\n{text}"
        );
        snap!(format!("header_invalid_prefill_{}", suffix(lang)), backend);
    }
}

#[test]
fn an_rfc3339_appointment_from_outside_is_valid_and_kept_with_its_offset() {
    let checklist = checklist("appliance-install");
    let mut given = fields("appliance-install");
    given.insert(
        "appointment".into(),
        Value::from("2026-11-22T09:00:00+08:00"),
    );
    let form = HeaderForm::prefilled(&checklist, &given, Lang::En);
    let values = form.values(&checklist).expect("every field valid");
    assert_eq!(values["appointment"], json!("2026-11-22T09:00:00+08:00"));
    // Z and a space instead of T are read too.
    given.insert("appointment".into(), Value::from("2026-11-22 01:00Z"));
    let form = HeaderForm::prefilled(&checklist, &given, Lang::En);
    assert_eq!(
        form.values(&checklist).unwrap()["appointment"],
        json!("2026-11-22T01:00:00+00:00")
    );
}

#[test]
fn a_new_visit_form_with_typing_asks_before_leaving() {
    let checklist = checklist("appliance-install");
    let mut form = HeaderForm::new(&checklist, &Map::new(), Lang::En);
    form.handle_key(ch('W'), &checklist);
    assert!(matches!(
        form.handle_key(key(KeyCode::Esc), &checklist),
        FormResult::Editing
    ));
    assert!(form.asking);
    assert!(matches!(
        form.handle_key(ch('n'), &checklist),
        FormResult::Editing
    ));
    assert!(!form.asking);
    form.handle_key(key(KeyCode::Esc), &checklist);
    assert!(matches!(
        form.handle_key(ch('y'), &checklist),
        FormResult::Cancel
    ));
}

#[test]
fn an_exclusive_option_clears_the_others_and_they_clear_it() {
    let mut visit = start("appliance-install", Lang::En);
    let screen = &mut visit.screen;
    go_to(screen, "site_issues");
    press(screen, &[ch('6')]);
    assert_eq!(
        value(screen, "site_issues"),
        Some(AnswerValue::Choices(vec!["tight_space".into()]))
    );
    assert_eq!(
        current_id(screen),
        "site_issues",
        "a toggle stays on the item"
    );
    press(screen, &[ch('1')]); // None
    assert_eq!(
        value(screen, "site_issues"),
        Some(AnswerValue::Choices(vec!["none".into()]))
    );
    press(screen, &[ch('6')]);
    assert_eq!(
        value(screen, "site_issues"),
        Some(AnswerValue::Choices(vec!["tight_space".into()]))
    );
    // What the screen shows is what the log holds.
    let kinds = events(screen);
    assert!(
        matches!(kinds.last(), Some(EventKind::Answered { value, .. }) if value == &json!(["tight_space"]))
    );
}
