//! Terminal sizes: 60x16 still usable, 59x15 (and anything smaller) a clear message, a
//! resize sequence over every overlay that never panics, and the monochrome theme.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod render_support;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use render_support::*;
use serde_json::Map;
use sitecheck::checklist::Library;
use sitecheck::config::Config;
use sitecheck::lang::Lang;
use sitecheck::tui::app::{App, AppContext, Start};
use sitecheck::tui::header_form::HeaderForm;
use sitecheck::tui::strings::strings;
use sitecheck::tui::theme::Theme;

/// A visit with a pass, a fail with its note, and the late-minutes item showing.
fn some_answers(lang: Lang, theme: Theme) -> Visit {
    let mut visit = start_with("appliance-install", lang, theme);
    let screen = &mut visit.screen;
    screen.handle_key(ch('1'));
    screen.handle_key(ch('2'));
    type_text(screen, "late");
    screen.handle_key(key(KeyCode::Enter));
    assert_eq!(current_id(screen), "minutes_late");
    visit
}

#[test]
fn run_screen_at_60x16() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = some_answers(lang, Theme::new(true));
        let screen = &mut visit.screen;
        let backend = draw_run(screen, 60, 16);
        let shown = rows(backend.buffer());
        assert!(shown[0].contains("WO-2026-0042"), "{}", shown[0]);
        assert!(
            shown[0].contains(&format!("{} 50%", s.battery)),
            "{}",
            shown[0]
        );
        // The footer whole: the short one where the long one does not fit.
        assert!(
            [
                s.run_keys,
                s.run_keys_short,
                s.evidence.run_keys,
                s.evidence.run_keys_short
            ]
            .contains(&shown[15].trim_end()),
            "{}",
            shown[15]
        );
        snap!(format!("small_run_{}", suffix(lang)), backend);

        screen.handle_key(key(KeyCode::Enter));
        type_text(screen, "25");
        let backend = draw_run(screen, 60, 16);
        assert!(screen_text(&backend).contains(s.out_of_range));
        snap!(format!("small_number_editor_{}", suffix(lang)), backend);

        screen.handle_key(key(KeyCode::Esc));
        screen.handle_key(ch('s'));
        let backend = draw_run(screen, 60, 16);
        let shown = rows(backend.buffer());
        assert!(shown[12].contains(s.summary_keys), "{}", shown[12]);
        snap!(format!("small_summary_{}", suffix(lang)), backend);

        screen.handle_key(key(KeyCode::Esc));
        screen.handle_key(ch('?'));
        let backend = draw_run(screen, 60, 16);
        snap!(format!("small_help_{}", suffix(lang)), backend);
    }
}

#[test]
fn home_and_header_at_60x16() {
    for lang in LANGS {
        let data = tempfile::tempdir().unwrap();
        let mut home = home(data.path(), lang);
        let backend = draw_home(&mut home, 60, 16);
        assert!(screen_text(&backend).contains("appliance-install"));
        snap!(format!("small_home_{}", suffix(lang)), backend);

        let checklist = checklist("appliance-install");
        let mut form = HeaderForm::new(&checklist, &Map::new(), lang);
        for c in "wo 42".chars() {
            form.handle_key(ch(c), &checklist);
        }
        let backend = draw_form(&form, &checklist, Theme::new(true), 60, 16);
        assert!(screen_text(&backend).contains(strings(lang).field_pattern));
        snap!(format!("small_header_{}", suffix(lang)), backend);
    }
}

#[test]
fn too_small_says_so() {
    for lang in LANGS {
        let s = strings(lang);
        let mut visit = some_answers(lang, Theme::new(true));
        for (w, h) in [(59, 15), (59, 16), (60, 15), (30, 8), (1, 1)] {
            let backend = draw_run(&mut visit.screen, w, h);
            if w < 10 {
                continue; // no room for words; not panicking is all that is asked
            }
            let text: String = rows(backend.buffer()).concat();
            // As much of the message as the screen holds, from its start.
            let squeezed: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
            let message: Vec<char> = s.too_small.chars().filter(|c| !c.is_whitespace()).collect();
            let n = squeezed.len().min(message.len());
            assert!(n > 0 && squeezed[..n] == message[..n], "{w}x{h}: {text:?}");
            if w >= 30 {
                assert!(text.contains(&format!("({w}x{h})")), "{w}x{h}: {text:?}");
            }
        }
        let backend = draw_run(&mut visit.screen, 59, 15);
        snap!(format!("too_small_run_{}", suffix(lang)), backend);

        let data = tempfile::tempdir().unwrap();
        let mut home = home(data.path(), lang);
        let backend = draw_home(&mut home, 59, 15);
        // The message may wrap; compare it without the line breaks and spaces.
        let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert!(squeeze(&screen_text(&backend)).contains(&squeeze(s.too_small)));
        snap!(format!("too_small_home_{}", suffix(lang)), backend);
    }
}

/// Every overlay the run screen has, reached with its keys.
fn overlays() -> Vec<(&'static str, Vec<crossterm::event::KeyEvent>)> {
    vec![
        ("none", vec![]),
        ("value", vec![key(KeyCode::Enter), ch('2'), ch('5')]),
        ("note", vec![ch('c'), ch('x')]),
        ("summary", vec![ch('s')]),
        ("abandon", vec![ch('s'), ch('A'), ch('x')]),
        ("help", vec![ch('?')]),
        ("header", vec![ch('h')]),
    ]
}

#[test]
fn resizing_never_panics() {
    let sizes = [
        (80, 24),
        (60, 16),
        (100, 30),
        (59, 15),
        (200, 60),
        (61, 17),
        (20, 40),
        (120, 10),
        (1, 1),
        (80, 24),
    ];
    for lang in LANGS {
        let mut visit = some_answers(lang, Theme::new(true));
        for (name, keys) in overlays() {
            press(&mut visit.screen, &keys);
            assert_eq!(overlay_name(&visit.screen), name);
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            for (w, h) in sizes {
                terminal.backend_mut().resize(w, h);
                draw_run_on(&mut terminal, &mut visit.screen);
                let buffer = terminal.backend().buffer();
                assert_eq!((buffer.area.width, buffer.area.height), (w, h));
                if w >= 60 && h >= 16 {
                    assert!(
                        rows(buffer)[0].contains("WO-2026-0042"),
                        "{name} at {w}x{h}: {}",
                        rows(buffer)[0]
                    );
                }
            }
            visit.screen.handle_key(key(KeyCode::Esc));
            if overlay_name(&visit.screen) != "none" {
                visit.screen.handle_key(key(KeyCode::Esc));
            }
            assert_eq!(overlay_name(&visit.screen), "none", "after {name}");
        }
    }
}

#[test]
fn the_app_guards_its_size_on_every_screen() {
    for lang in LANGS {
        let data = tempfile::tempdir().unwrap();
        let context = AppContext {
            data_dir: data.path().to_path_buf(),
            library: Library::default(),
            technician: Some("zhang.san".into()),
            lang,
            theme: Theme::new(true),
            config: Config::default(),
            config_path: None,
            sealer: None,
        };
        let mut app = App::new(context, Start::Home).unwrap();
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        // Home, then the header form of the first checklist listed.
        for step in 0..2 {
            for (w, h) in [(80, 24), (60, 16), (59, 15), (100, 30), (1, 1), (80, 24)] {
                terminal.backend_mut().resize(w, h);
                terminal.draw(|frame| app.draw(frame)).unwrap();
                let text = screen_text(terminal.backend());
                if w < 60 || h < 16 {
                    assert!(!text.contains("sitecheck ·"), "step {step} at {w}x{h}");
                } else {
                    assert!(
                        !text.contains(strings(lang).too_small),
                        "step {step} at {w}x{h}"
                    );
                }
            }
            app.handle_key(key(KeyCode::Enter));
        }
        let text = screen_text(terminal.backend());
        assert!(text.contains(strings(lang).header_title), "{text}");
    }
}

#[test]
fn monochrome_keeps_meaning_without_colour() {
    for lang in LANGS {
        let mut visit = some_answers(lang, Theme::new(false));
        let screen = &mut visit.screen;
        // A second failure, with the cursor elsewhere so its row is drawn unselected.
        go_to(screen, "price_list");
        screen.handle_key(ch('f'));
        screen.handle_key(key(KeyCode::Esc));
        go_to(screen, "badge");
        let mut views = vec![("run", draw_run(screen, 80, 24))];
        screen.handle_key(ch('s'));
        views.push(("summary", draw_run(screen, 80, 24)));
        screen.handle_key(key(KeyCode::Esc));
        go_to(screen, "minutes_late");
        screen.handle_key(key(KeyCode::Enter));
        type_text(screen, "25");
        views.push(("number editor", draw_run(screen, 80, 24)));
        screen.handle_key(key(KeyCode::Esc));
        screen.battery = Some(10);
        views.push(("low battery", draw_run(screen, 60, 16)));

        let data = tempfile::tempdir().unwrap();
        let mut home = home(data.path(), lang);
        home.theme = Theme::new(false);
        views.push(("home", draw_home(&mut home, 80, 24)));
        let checklist = checklist("appliance-install");
        let mut form = HeaderForm::new(&checklist, &Map::new(), lang);
        form.handle_key(ch('x'), &checklist);
        views.push((
            "header",
            draw_form(&form, &checklist, Theme::new(false), 80, 24),
        ));

        for (name, backend) in &views {
            for (i, cell) in backend.buffer().content.iter().enumerate() {
                assert!(
                    cell.fg == Color::Reset && cell.bg == Color::Reset,
                    "{name}: cell {i} {:?} has colour {:?} on {:?}",
                    cell.symbol(),
                    cell.fg,
                    cell.bg
                );
            }
        }

        // Failed items carry the ✗ symbol in the list, the summary and the editor's verdict.
        let list: Vec<String> = rows(views[0].1.buffer())
            .iter()
            .map(|row| row.split('│').next().unwrap().to_owned())
            .collect();
        let prompt = |id: &str| {
            let item = screen.items()[index_of(screen, id)].clone();
            item.prompt
                .get(lang.tag(), None)
                .chars()
                .take(6)
                .collect::<String>()
        };
        for id in ["arrived_on_time", "price_list"] {
            let start = prompt(id);
            let row = list
                .iter()
                .find(|row| row.contains(&start))
                .unwrap_or_else(|| panic!("{id} not in the list: {list:#?}"));
            assert_eq!(row.chars().nth(1), Some('✗'), "{id}: {row}");
        }
        // The failure whose note is missing says that too, in a column of its own.
        let price_list = prompt("price_list");
        let row = list.iter().find(|row| row.contains(&price_list)).unwrap();
        assert!(row.starts_with("!✗ "), "{row}");
        let badge = prompt("badge");
        let row = list.iter().find(|row| row.contains(&badge)).unwrap();
        assert!(row.starts_with(" ✓ "), "{row}");
        let summary = screen_text(&views[1].1);
        assert_eq!(
            summary.lines().filter(|l| l.starts_with("│  ✗ ")).count(),
            2,
            "two failures listed:\n{summary}"
        );
        assert!(screen_text(&views[2].1).contains(&format!("✗ {}", strings(lang).out_of_range)));
        let header = &rows(views[3].1.buffer())[0];
        assert!(
            header.contains('⚠') && header.contains("WO-2026-0042"),
            "{header}"
        );
    }
}
