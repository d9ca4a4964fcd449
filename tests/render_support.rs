//! Helpers shared by the `render_*` tests (a module of each, not a test of its own):
//! bundled checklists, real sessions in a temporary data folder, keys, and drawing the
//! screens to ratatui's `TestBackend`.
#![allow(dead_code)]
// In tests a failed unwrap is a failed test, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::{Map, Value, json};
use sitecheck::checklist::{Checklist, Library};
use sitecheck::lang::Lang;
use sitecheck::store::session::{Session, StartParams};
use sitecheck::tui::header_form::HeaderForm;
use sitecheck::tui::home::HomeScreen;
use sitecheck::tui::run::{RunScreen, view};
use sitecheck::tui::theme::Theme;
use tempfile::TempDir;

pub const LANGS: [Lang; 2] = [Lang::En, Lang::ZhCn];

/// `en` or `zh`, for snapshot names.
pub fn suffix(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::ZhCn => "zh",
    }
}

pub fn checklist(id: &str) -> Checklist {
    Library::default()
        .bundled(id)
        .unwrap_or_else(|| panic!("no bundled checklist {id}"))
        .checklist
}

/// Header values that satisfy each bundled checklist's required fields.
pub fn fields(id: &str) -> Map<String, Value> {
    let value = json!({
        "work_order": "WO-2026-0042",
        "customer": "王女士",
        "phone": "+86 138 0013 8000",
        "address": "上海市徐汇区漕溪北路 88 号 1203 室",
        "appointment": "2026-11-22 14:30",
        "visit_type": "new_install",
        "service_mode": "home",
    });
    let Value::Object(all) = value else {
        unreachable!()
    };
    let wanted = checklist(id);
    all.into_iter()
        .filter(|(k, _)| wanted.visit_fields.iter().any(|f| f.id == *k))
        .collect()
}

/// A new visit on a bundled checklist, in a data folder of its own.
pub struct Visit {
    pub dir: TempDir,
    pub screen: RunScreen,
}

pub fn start(id: &str, lang: Lang) -> Visit {
    start_with(id, lang, Theme::new(true))
}

pub fn start_with(id: &str, lang: Lang, theme: Theme) -> Visit {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::start(StartParams {
        data_dir: dir.path(),
        checklist: checklist(id),
        technician: "zhang.san",
        lang: lang.tag(),
        fields: fields(id),
    })
    .unwrap();
    let mut screen = RunScreen::new(session, lang, theme);
    // The machine's battery must not reach the snapshots.
    screen.battery = Some(50);
    Visit { dir, screen }
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn ch(c: char) -> KeyEvent {
    let modifiers = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), modifiers)
}

/// Presses keys on the run screen, one after another.
pub fn press(screen: &mut RunScreen, keys: &[KeyEvent]) {
    for k in keys {
        screen.handle_key(*k);
    }
}

/// Types text into whatever has the keyboard on the run screen.
pub fn type_text(screen: &mut RunScreen, text: &str) {
    for c in text.chars() {
        screen.handle_key(ch(c));
    }
}

/// Moves the cursor to an item by id, with the real keys (Home, then Down).
pub fn go_to(screen: &mut RunScreen, id: &str) {
    screen.handle_key(key(KeyCode::Home));
    for _ in 0..100 {
        if current_id(screen) == id {
            return;
        }
        screen.handle_key(key(KeyCode::Down));
    }
    panic!("item {id} is not reachable; at {}", current_id(screen));
}

pub fn current_id(screen: &RunScreen) -> String {
    screen.current().map(|i| i.id.clone()).unwrap_or_default()
}

/// Index (file order) of an item.
pub fn index_of(screen: &RunScreen, id: &str) -> usize {
    screen
        .items()
        .iter()
        .position(|i| i.id == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

pub fn is_visible(screen: &RunScreen, id: &str) -> bool {
    screen.session.eval.items[index_of(screen, id)].visible
}

pub fn draw_run(screen: &mut RunScreen, width: u16, height: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    draw_run_on(&mut terminal, screen);
    terminal.backend().clone()
}

pub fn draw_run_on(terminal: &mut Terminal<TestBackend>, screen: &mut RunScreen) {
    terminal
        .draw(|frame| screen.hits = view::render(screen, frame))
        .unwrap();
}

pub fn draw_home(home: &mut HomeScreen, width: u16, height: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| home.render(frame)).unwrap();
    terminal.backend().clone()
}

pub fn draw_form(
    form: &HeaderForm,
    checklist: &Checklist,
    theme: Theme,
    width: u16,
    height: u16,
) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| form.render(frame, frame.area(), checklist, theme))
        .unwrap();
    terminal.backend().clone()
}

/// The screen's text, one string a row, wide characters once (their second cell skipped).
pub fn rows(buffer: &Buffer) -> Vec<String> {
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|cells| {
            let mut row = String::new();
            let mut skip = 0;
            for cell in cells {
                if skip == 0 {
                    row.push_str(cell.symbol());
                }
                skip = skip
                    .max(unicode_width::UnicodeWidthStr::width(cell.symbol()))
                    .saturating_sub(1);
            }
            row
        })
        .collect()
}

pub fn screen_text(backend: &TestBackend) -> String {
    rows(backend.buffer()).join("\n")
}

/// The screen as a snapshot shows it: each row between quotes, so its ends are visible.
pub fn snapshot_text(backend: &TestBackend) -> String {
    rows(backend.buffer())
        .iter()
        .map(|row| format!("\"{row}\"\n"))
        .collect()
}

/// A home screen over the bundled checklists and the open visits of `data`, as the app builds it.
pub fn home(data: &Path, lang: Lang) -> HomeScreen {
    HomeScreen::load(
        &Library::default(),
        data,
        lang,
        Theme::new(true),
        Some("zhang.san".into()),
    )
}

/// Settings for every snapshot: times from the log become a placeholder of the same width,
/// so the screen keeps its shape.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}",
        "YYYY-MM-DDThh:mm:ss.sss+hh:mm",
    );
    // A closed visit's time as the summary shows it (the test's own clock).
    settings.add_filter(
        r"(finished|abandoned|已完成|已放弃) \d{4}-\d{2}-\d{2} \d{2}:\d{2}",
        "$1 YYYY-MM-DD hh:mm",
    );
    // A receipt code is a line's hash, so it follows those times: the same width kept.
    settings.add_filter(
        r"(Receipt|回执码)(: |：)[0-9A-Z]{5}-[0-9A-Z]{0,5}…?",
        "${1}${2}RRRRR-RRRRR",
    );
    settings
}

/// Checks that nothing overwrote the second half of a wide character — the mark of
/// Chinese text drawn out of alignment.
pub fn assert_wide_chars_intact(backend: &TestBackend) {
    let buffer = backend.buffer();
    let width = usize::from(buffer.area.width);
    for (y, cells) in buffer.content.chunks(width).enumerate() {
        let mut covered = 0;
        for (x, cell) in cells.iter().enumerate() {
            if covered > 0 {
                assert!(
                    cell.symbol().trim().is_empty(),
                    "row {y} column {x}: {:?} hidden under a wide character in {:?}",
                    cell.symbol(),
                    rows(buffer)[y]
                );
            }
            covered = covered
                .max(unicode_width::UnicodeWidthStr::width(cell.symbol()))
                .saturating_sub(1);
        }
    }
}

/// Snapshots a drawn screen by name, after the wide-character check.
#[macro_export]
macro_rules! snap {
    ($name:expr, $backend:expr) => {{
        let backend = &$backend;
        render_support::assert_wide_chars_intact(backend);
        let text = render_support::snapshot_text(backend);
        render_support::settings().bind(|| insta::assert_snapshot!($name, text));
    }};
}

/// Whether a run-screen overlay of this kind is open.
pub fn overlay_name(screen: &RunScreen) -> &'static str {
    use sitecheck::tui::run::Overlay;
    match &screen.overlay {
        Overlay::None => "none",
        Overlay::Help { .. } => "help",
        Overlay::Value(_) => "value",
        Overlay::Note { .. } => "note",
        Overlay::Summary { confirming: false } => "summary",
        Overlay::Summary { confirming: true } => "confirm",
        Overlay::Abandon(_) => "abandon",
        Overlay::Header(_) => "header",
        Overlay::Amend(_) => "amend",
        Overlay::Receipt { .. } => "receipt",
        Overlay::Answer(_) => "answer",
        Overlay::Evidence(_) => "evidence",
    }
}

/// The recorded value of an item, as the session shows it.
pub fn value(screen: &RunScreen, id: &str) -> Option<sitecheck::visit::AnswerValue> {
    screen
        .session
        .view
        .answers
        .get(id)
        .and_then(|s| s.value.clone())
}

pub fn outcome(screen: &RunScreen, id: &str) -> Option<sitecheck::visit::Outcome> {
    screen.outcome_of(index_of(screen, id))
}

/// Answers every missing required item with a passing answer, through the keys
/// (Tab to it, then the key its kind takes), writing a note wherever one is asked for.
pub fn answer_everything(screen: &mut RunScreen) {
    use sitecheck::checklist::{ItemKind, YesNo};
    for _ in 0..200 {
        if screen.session.eval.missing().next().is_none() {
            attach_missing_evidence(screen);
            return;
        }
        let missing: Vec<usize> = screen.session.eval.missing().collect();
        if !missing.contains(&screen.cursor) {
            screen.handle_key(key(KeyCode::Tab));
        }
        let item = screen.current().unwrap().clone();
        match &item.kind {
            ItemKind::YesNo {
                expect: Some(YesNo::No),
            } => screen.handle_key(ch('n')),
            ItemKind::YesNo { .. } => screen.handle_key(ch('y')),
            ItemKind::Rating { scale, .. } => screen.handle_key(ch(char::from(b'0' + scale))),
            ItemKind::Number { min, max, .. } => {
                let mid = match (min, max) {
                    (Some(lo), Some(hi)) => ((lo + hi) / 2.0).round(),
                    (Some(lo), None) => *lo,
                    (None, Some(hi)) => *hi,
                    (None, None) => 1.0,
                };
                screen.handle_key(key(KeyCode::Enter));
                type_text(screen, &mid.to_string());
                screen.handle_key(key(KeyCode::Enter))
            }
            ItemKind::Text { .. } => {
                screen.handle_key(key(KeyCode::Enter));
                type_text(screen, "SN-20261122");
                screen.handle_key(key(KeyCode::Enter))
            }
            ItemKind::SignOff { .. } => {
                screen.handle_key(key(KeyCode::Enter));
                type_text(screen, "Wang Fang");
                screen.handle_key(key(KeyCode::Enter))
            }
            // Check, pass_fail, choice, multi_choice: the first answer passes in the bundled lists.
            _ => screen.handle_key(ch('1')),
        };
        if overlay_name(screen) == "note" {
            type_text(screen, "ok");
            screen.handle_key(key(KeyCode::Enter));
        }
    }
    panic!("could not answer every required item");
}

/// Attaches a photo, through `e` and a typed path, to every item whose answer asks for one
/// it does not have (what a technician does before finishing).
pub fn attach_missing_evidence(screen: &mut RunScreen) {
    let photo = screen.session.data_dir().join("photo-for-test.png");
    std::fs::write(&photo, PNG_1X1).unwrap();
    for _ in 0..50 {
        let Some(index) = screen.session.eval.evidence_missing().next() else {
            return;
        };
        let id = screen.item(index).unwrap().id.clone();
        go_to(screen, &id);
        attach_path(screen, &photo);
    }
    panic!("could not attach the required evidence");
}

/// `e`, the path typed, Enter, the copy made (as the event loop makes it), Esc.
pub fn attach_path(screen: &mut RunScreen, path: &Path) {
    screen.handle_key(ch('e'));
    assert_eq!(overlay_name(screen), "evidence", "{:?}", screen.notice);
    type_text(screen, &path.display().to_string());
    screen.handle_key(key(KeyCode::Enter));
    screen.work();
    screen.handle_key(key(KeyCode::Esc));
}

/// A 1x1 PNG, the smallest real photo.
pub const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
