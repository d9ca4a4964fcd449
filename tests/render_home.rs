//! The home screen and the visit header form at 80x24, in English and Chinese, driven by
//! their real key handling.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use crossterm::event::KeyCode;
use render_support::*;
use serde_json::{Map, json};
use sitecheck::lang::Lang;
use sitecheck::store::open_index;
use sitecheck::tui::header_form::{FormResult, HeaderForm};
use sitecheck::tui::home::{HomeAction, Row};
use sitecheck::tui::strings::strings;
use sitecheck::tui::theme::Theme;

#[test]
fn home_lists_the_bundled_checklists() {
    for lang in LANGS {
        let s = strings(lang);
        let data = tempfile::tempdir().unwrap();
        let mut home = home(data.path(), lang);
        let backend = draw_home(&mut home, 80, 24);
        let text = screen_text(&backend);
        for id in ["appliance-install", "haier-12345", "tcl-8s"] {
            assert!(text.contains(id), "{id} missing:\n{text}");
        }
        assert!(text.contains(s.no_open_visits));
        snap!(format!("home_{}", suffix(lang)), backend);
    }
}

/// A visit left open in `data`, its index entry rewritten with a fixed start time.
fn leave_a_visit_open(data: &std::path::Path, lang: Lang) {
    let session =
        sitecheck::store::session::Session::start(sitecheck::store::session::StartParams {
            data_dir: data,
            checklist: checklist("haier-12345"),
            technician: "zhang.san",
            lang: lang.tag(),
            fields: fields("haier-12345"),
        })
        .unwrap();
    let mut screen = sitecheck::tui::run::RunScreen::new(session, lang, Theme::new(true));
    press(&mut screen, &[ch('1'), ch('1'), ch('q')]);
    let mut entries = open_index::list(data);
    assert_eq!(entries.len(), 1);
    let mut entry = entries.remove(0);
    assert_eq!((entry.answered, entry.required), (2, 17));
    entry.started_at = "2026-11-22T14:35:12.345+08:00".into();
    open_index::put(data, &entry).unwrap();
}

#[test]
fn home_with_an_open_visit() {
    for lang in LANGS {
        let data = tempfile::tempdir().unwrap();
        leave_a_visit_open(data.path(), lang);
        let mut home = home(data.path(), lang);
        assert_eq!(home.rows()[0], Row::Open(0));
        let backend = draw_home(&mut home, 80, 24);
        let text = screen_text(&backend);
        assert!(text.contains("2026-11-22 14:35"), "{text}");
        assert!(text.contains("WO-2026-0042"), "{text}");
        assert!(text.contains("2/17"), "{text}");
        snap!(format!("home_open_visit_{}", suffix(lang)), backend);
        // Enter on the open visit resumes it.
        assert!(matches!(
            home.handle_key(key(KeyCode::Enter)),
            HomeAction::Resume(0)
        ));
    }
}

#[test]
fn home_filters_as_you_type() {
    let data = tempfile::tempdir().unwrap();
    leave_a_visit_open(data.path(), Lang::En);
    let mut home = home(data.path(), Lang::En);
    home.handle_key(key(KeyCode::Down));
    assert_eq!(home.selected, 1);
    for c in "TCL".chars() {
        home.handle_key(ch(c));
    }
    assert_eq!(home.selected, 0, "typing starts again from the top");
    let rows = home.rows();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let Row::Checklist(i) = rows[0] else {
        panic!("{rows:?}")
    };
    assert_eq!(home.checklists[i].checklist.id, "tcl-8s");
    let backend = draw_home(&mut home, 80, 24);
    let text = screen_text(&backend);
    assert!(text.contains("Filter: TCL"));
    assert!(!text.contains("haier-12345"));
    assert!(
        !text.contains("No unfinished visits"),
        "a filtered-out visit still exists"
    );
    snap!("home_filtered_en", backend);
    match home.handle_key(key(KeyCode::Enter)) {
        HomeAction::Start(j) => assert_eq!(j, i),
        _ => panic!("Enter should start the checklist"),
    }
    // Esc clears the filter, then leaves.
    assert!(matches!(
        home.handle_key(key(KeyCode::Esc)),
        HomeAction::None
    ));
    assert_eq!(home.rows().len(), 4);
    assert!(matches!(
        home.handle_key(key(KeyCode::Esc)),
        HomeAction::Quit
    ));
}

fn type_into(form: &mut HeaderForm, checklist: &sitecheck::checklist::Checklist, text: &str) {
    for c in text.chars() {
        assert!(matches!(
            form.handle_key(ch(c), checklist),
            FormResult::Editing
        ));
    }
}

#[test]
fn header_form_shows_validation_errors() {
    for lang in LANGS {
        let s = strings(lang);
        let checklist = checklist("appliance-install");
        let mut form = HeaderForm::new(&checklist, &Map::new(), lang);
        // A work order in the wrong format is flagged as it is typed.
        type_into(&mut form, &checklist, "wo 42");
        let text = screen_text(&draw_form(&form, &checklist, Theme::new(true), 80, 24));
        assert!(text.contains(&format!("✗ {}", s.field_pattern)), "{text}");
        // Enter always moves to the next field, the last one to the start row: no Enter on
        // a field starts the visit.
        for _ in 0..checklist.visit_fields.len() {
            assert!(matches!(
                form.handle_key(key(KeyCode::Enter), &checklist),
                FormResult::Editing
            ));
            assert!(!form.tried);
        }
        assert_eq!(form.focus, form.action_row());
        // Enter on the start row tries to start and goes back to the first bad field.
        assert!(matches!(
            form.handle_key(key(KeyCode::Enter), &checklist),
            FormResult::Editing
        ));
        assert!(form.tried);
        assert_eq!(form.focus, 0);
        // From there Enter moves on to the next field again, never starts.
        assert!(matches!(
            form.handle_key(key(KeyCode::Enter), &checklist),
            FormResult::Editing
        ));
        assert_eq!(form.focus, 1);
        form.handle_key(key(KeyCode::Up), &checklist);
        let backend = draw_form(&form, &checklist, Theme::new(true), 80, 24);
        let text = screen_text(&backend);
        assert!(text.contains(&format!("✗ {}", s.field_required)), "{text}");
        snap!(format!("header_errors_{}", suffix(lang)), backend);
    }
}

#[test]
fn header_form_starts_the_visit_when_every_field_is_valid() {
    let checklist = checklist("appliance-install");
    let mut form = HeaderForm::new(&checklist, &Map::new(), Lang::ZhCn);
    let typed = [
        ("work_order", "WO-2026-0042"),
        ("customer", "王女士"),
        ("phone", "138 0013 8000"),
        ("address", "漕溪北路 88 号"),
        ("floor", "12"),
        ("appointment", "2026-11-22 14:30"),
        ("purchase_date", ""),
        ("visit_type", ""),
        ("channel", ""),
    ];
    for (i, (id, text)) in typed.iter().enumerate() {
        assert_eq!(checklist.visit_fields[i].id, *id);
        type_into(&mut form, &checklist, text);
        if *id == "visit_type" {
            // A choice field cycles its options with Space / → .
            form.handle_key(key(KeyCode::Right), &checklist);
        }
        form.handle_key(key(KeyCode::Enter), &checklist);
    }
    assert_eq!(
        form.focus,
        form.action_row(),
        "Enter on the last field goes to Start"
    );
    let backend = draw_form(&form, &checklist, Theme::new(true), 80, 24);
    snap!("header_filled_zh", backend);
    let FormResult::Done(values) = form.handle_key(key(KeyCode::Enter), &checklist) else {
        panic!("the form should be complete");
    };
    assert_eq!(values["work_order"], json!("WO-2026-0042"));
    assert_eq!(values["floor"], json!(12));
    assert_eq!(values["visit_type"], json!("new_install"));
    assert!(!values.contains_key("purchase_date"));
}
