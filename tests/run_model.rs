//! A model-based property test of the run screen (SPEC sections 4 and 5).
//!
//! Random key sequences are pressed on a real `RunScreen`, over a real `Session` in a
//! temporary data folder, for every bundled checklist. After every key the log is read back
//! from disk with the library's reader (which verifies the hash chain), replayed with
//! `visit::replay`, and held against what the screen shows; a small model of the screen —
//! which editor is open, what was typed into it, whether it opened because a note is
//! required — says what the key may and may not have done:
//!
//! 1. the log, read back and replayed, gives exactly the answers (value and note per item),
//!    header fields and status that `session.view` shows; every change is saved; the chain
//!    verifies; the file only ever grows (append-only);
//! 2. no key typed while an editor is open (value, note, abandon reason, amendment input,
//!    header form) reaches the item list: a printable character — or any key but Enter, Esc
//!    and Ctrl-C — writes no line, leaves the current item where it is and the editor open;
//!    a character typed into a note, value or reason goes into its text;
//! 3. on a `number` item a digit, `-` or `.` is never an answer: it opens the value editor
//!    with itself typed, and writes nothing;
//! 4. an answer that needs a note (`note: on_fail` with a failing answer, `note: always`)
//!    opens the note editor on that item; Enter on it with nothing typed (or only spaces)
//!    keeps it open and writes nothing;
//! 5. Ctrl-C (or `q`, if it leaves at all — see `check_leaving`) while the note editor holds
//!    typed text saves it as the item's note before leaving;
//! 6. nothing panics, pressing a key or drawing the screen.
//!
//! A failure prints the shrunk key sequence as a one-line call of `check_keys`, which the
//! `regression_*` tests at the bottom use to pin the defects it found, and a trace of every
//! key.
//!
//! `SITECHECK_MODEL_CASES=5000` runs more cases per checklist (256 by default);
//! `PROPTEST_RNG_SEED=N` fixes the sequences.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Once, OnceLock};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Map, Value, json};
use sitecheck::checklist::{Checklist, Item, ItemKind, Library};
use sitecheck::lang::Lang;
use sitecheck::log::{Event, EventKind, read_log};
use sitecheck::store::read::load_visit;
use sitecheck::store::session::{Session, StartParams};
use sitecheck::tui::run::{Flow, Overlay, RunScreen, view};
use sitecheck::tui::theme::Theme;
use sitecheck::visit::{AnswerValue, VisitState, replay};
use tempfile::TempDir;

const CHECKLISTS: [&str; 3] = ["haier-12345", "tcl-8s", "appliance-install"];

/// Keys per case at most, before the optional leaving key.
const MAX_KEYS: usize = 60;

// ---------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------

/// A key as the technician presses it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Char(char),
    Enter,
    Esc,
    Backspace,
    Delete,
    Tab,
    BackTab,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Left,
    Right,
    CtrlC,
}

/// Names of the keys that are not characters, as `check_keys` reads them.
const NAMED: [(&str, Key); 16] = [
    ("Enter", Key::Enter),
    ("Esc", Key::Esc),
    ("Backspace", Key::Backspace),
    ("Delete", Key::Delete),
    ("Tab", Key::Tab),
    ("BackTab", Key::BackTab),
    ("Up", Key::Up),
    ("Down", Key::Down),
    ("PgUp", Key::PageUp),
    ("PgDn", Key::PageDown),
    ("Home", Key::Home),
    ("End", Key::End),
    ("Left", Key::Left),
    ("Right", Key::Right),
    ("Ctrl-C", Key::CtrlC),
    ("Space", Key::Char(' ')),
];

impl Key {
    fn event(self) -> KeyEvent {
        let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
        match self {
            Key::Char(c) if c.is_ascii_uppercase() => {
                KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)
            }
            Key::Char(c) => plain(KeyCode::Char(c)),
            Key::Enter => plain(KeyCode::Enter),
            Key::Esc => plain(KeyCode::Esc),
            Key::Backspace => plain(KeyCode::Backspace),
            Key::Delete => plain(KeyCode::Delete),
            Key::Tab => plain(KeyCode::Tab),
            // What crossterm reports for Shift-Tab.
            Key::BackTab => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
            Key::Up => plain(KeyCode::Up),
            Key::Down => plain(KeyCode::Down),
            Key::PageUp => plain(KeyCode::PageUp),
            Key::PageDown => plain(KeyCode::PageDown),
            Key::Home => plain(KeyCode::Home),
            Key::End => plain(KeyCode::End),
            Key::Left => plain(KeyCode::Left),
            Key::Right => plain(KeyCode::Right),
            Key::CtrlC => KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        }
    }

    /// The character a printable key types.
    fn printable(self) -> Option<char> {
        match self {
            Key::Char(c) => Some(c),
            _ => None,
        }
    }

    /// A digit, `-` or `.`: what a number is typed with.
    fn is_number_char(self) -> bool {
        matches!(self, Key::Char('0'..='9' | '-' | '.'))
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((name, _)) = NAMED.iter().find(|(_, k)| k == self) {
            return f.write_str(name);
        }
        match self {
            Key::Char(c) => write!(f, "{c}"),
            _ => unreachable!("every other key is named"),
        }
    }
}

/// Keys written as `check_keys` takes them: names (`Enter`, `Down`, `Space`, `Ctrl-C` ...)
/// and single characters, separated by spaces.
fn parse_keys(text: &str) -> Vec<Key> {
    text.split_whitespace()
        .map(|token| {
            if let Some((_, key)) = NAMED.iter().find(|(name, _)| *name == token) {
                return *key;
            }
            let mut chars = token.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Key::Char(c),
                _ => panic!("not a key: {token:?}"),
            }
        })
        .collect()
}

fn show_keys(keys: &[Key]) -> String {
    keys.iter()
        .map(|k| format!("{k:?}"))
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

/// A letter with no meaning of its own on the run screen, or with one: both must be safe.
/// `q` is left out: it leaves the screen, and comes only as the last key.
const LETTERS: &[char] = &[
    'a', 'b', 'd', 'g', 'i', 'l', 'm', 'o', 'r', 't', 'u', 'v', 'w', 'x', 'z', 'B', 'Q', 'S', 'Z',
];
const CHINESE: &[char] = &['好', '备', '注', '漏', '水'];

/// One key, weighted so that answers are given and editors get opened.
fn key() -> impl Strategy<Value = Key> {
    let chars = |set: &'static [char]| proptest::sample::select(set).prop_map(Key::Char);
    prop_oneof![
        16 => chars(&['1', '2', '3', '4', '5', '6', '7', '8', '9']),
        1 => Just(Key::Char('0')),
        12 => chars(&['p', 'f', 'y', 'n']),
        10 => Just(Key::Enter),
        4 => Just(Key::Char(' ')),
        6 => Just(Key::Esc),
        3 => proptest::sample::select(vec![Key::Backspace, Key::Delete]),
        4 => Just(Key::Char('c')),
        2 => chars(&['s', 'h', '?', 'A']),
        3 => proptest::sample::select(vec![Key::Tab, Key::BackTab]),
        7 => proptest::sample::select(vec![
            Key::Up,
            Key::Down,
            Key::Char('j'),
            Key::Char('k')
        ]),
        2 => proptest::sample::select(vec![Key::PageUp, Key::PageDown, Key::Home, Key::End]),
        4 => proptest::sample::select(vec![Key::Left, Key::Right]),
        3 => chars(&['-', '.']),
        3 => chars(LETTERS),
        2 => chars(CHINESE),
    ]
}

/// A burst of typing: what a technician types into an editor once one is open.
fn word() -> impl Strategy<Value = Vec<Key>> {
    let typed = prop_oneof![
        4 => proptest::sample::select(LETTERS).prop_map(Key::Char),
        2 => proptest::sample::select(&['c', 's', 'h', 'p', 'f', 'y', 'n', 'j', 'k', 'A'][..])
            .prop_map(Key::Char),
        3 => proptest::sample::select(&['0', '1', '2', '5', '9', '-', '.'][..]).prop_map(Key::Char),
        2 => Just(Key::Char(' ')),
        2 => proptest::sample::select(CHINESE).prop_map(Key::Char),
    ];
    proptest::collection::vec(typed, 1..8)
}

/// The key that ends a sequence, if any: Ctrl-C and `q` leave the screen.
fn last_key() -> impl Strategy<Value = Option<Key>> {
    prop_oneof![
        3 => Just(None),
        2 => Just(Some(Key::CtrlC)),
        1 => Just(Some(Key::Char('q'))),
    ]
}

fn keys() -> impl Strategy<Value = Vec<Key>> {
    let chunk = prop_oneof![
        5 => key().prop_map(|k| vec![k]),
        2 => word(),
    ];
    (proptest::collection::vec(chunk, 1..40), last_key()).prop_map(|(chunks, last)| {
        let mut keys: Vec<Key> = chunks.into_iter().flatten().take(MAX_KEYS).collect();
        keys.extend(last);
        keys
    })
}

fn lang() -> impl Strategy<Value = Lang> {
    prop_oneof![Just(Lang::En), Just(Lang::ZhCn)]
}

fn config() -> ProptestConfig {
    let cases = std::env::var("SITECHECK_MODEL_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        // A failure prints its shrunk keys as a `check_keys` line to keep as a test;
        // no regression file is written into the source tree.
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..ProptestConfig::default()
    }
}

#[test]
fn haier_12345_random_keys() {
    property("haier-12345");
}

#[test]
fn tcl_8s_random_keys() {
    property("tcl-8s");
}

#[test]
fn appliance_install_random_keys() {
    property("appliance-install");
}

/// Random key sequences on checklist `id`. A failure is shrunk by proptest, then by removing
/// keys while the same rule still fails, and reported with its replay line.
fn property(id: &str) {
    let mut runner = TestRunner::new(config());
    // Drawing and loading are most of a case's time in a debug build: one case in eight
    // draws after every key, as the app does, and loads the visit as `show` does at the
    // end; the others draw once, after the last key.
    let thorough = proptest::bool::weighted(0.125);
    let result = runner.run(&(lang(), thorough, keys()), |(lang, thorough, keys)| {
        run_case(id, lang, &keys, thorough).map(|_| ())
    });
    match result {
        Ok(()) => {}
        Err(TestError::Abort(why)) => panic!("{id}: the property test gave up: {why}"),
        Err(TestError::Fail(_, (lang, thorough, keys))) => {
            let (lang, keys) = minimise(id, lang, keys, thorough);
            // Reported as `check_keys` replays it: thoroughly.
            match run_case(id, lang, &keys, true) {
                Err(err) => panic!("{err}"),
                Ok(_) => panic!(
                    "{id}: failed with {lang:?} {:?}, which passes when run again",
                    show_keys(&keys)
                ),
            }
        }
    }
}

/// The rule a failure's message names (its first line).
fn failed_rule(err: &TestCaseError) -> String {
    err.to_string()
        .lines()
        .find(|l| l.contains("run screen model:"))
        .unwrap_or_default()
        .to_owned()
}

/// Keys a reproduction is better told with, simplest first.
const SIMPLE: [Key; 7] = [
    Key::Char('f'),
    Key::Char('n'),
    Key::Char('1'),
    Key::Char('2'),
    Key::Char('c'),
    Key::Enter,
    Key::Down,
];

fn simplicity(key: Key) -> usize {
    SIMPLE
        .iter()
        .position(|k| *k == key)
        .unwrap_or(SIMPLE.len())
}

/// Makes a failing sequence short and plain while the same rule still fails: removes runs
/// of keys, then single keys, then puts simpler keys in place of others, and again; and
/// prefers English.
fn minimise(id: &str, lang: Lang, mut keys: Vec<Key>, thorough: bool) -> (Lang, Vec<Key>) {
    let Err(err) = run_case(id, lang, &keys, thorough) else {
        return (lang, keys);
    };
    let rule = failed_rule(&err);
    let fails = |lang: Lang, keys: &[Key]| {
        run_case(id, lang, keys, thorough)
            .err()
            .is_some_and(|e| failed_rule(&e) == rule)
    };
    let lang = if lang != Lang::En && fails(Lang::En, &keys) {
        Lang::En
    } else {
        lang
    };
    loop {
        let mut size = keys.len().max(1);
        loop {
            let mut start = 0;
            let mut removed = false;
            while start < keys.len() {
                let mut fewer = keys.clone();
                fewer.drain(start..(start + size).min(keys.len()));
                if fails(lang, &fewer) {
                    keys = fewer;
                    removed = true;
                } else {
                    start += 1;
                }
            }
            if size == 1 && !removed {
                break;
            }
            if !removed {
                size /= 2;
            }
            size = size.min(keys.len()).max(1);
        }
        let mut replaced = false;
        for i in 0..keys.len() {
            for simpler in SIMPLE.iter().take(simplicity(keys[i])) {
                let mut plainer = keys.clone();
                plainer[i] = *simpler;
                if fails(lang, &plainer) {
                    keys = plainer;
                    replaced = true;
                    break;
                }
            }
        }
        if !replaced {
            return (lang, keys);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The visit under test
// ---------------------------------------------------------------------------------------

/// Each bundled checklist, parsed once for the whole run.
fn bundled(id: &str) -> &'static Checklist {
    static ALL: OnceLock<Vec<Checklist>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let library = Library::default();
        CHECKLISTS
            .iter()
            .map(|id| {
                library
                    .bundled(id)
                    .unwrap_or_else(|| panic!("no bundled checklist {id}"))
                    .checklist
            })
            .collect()
    });
    all.iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("not a bundled checklist: {id}"))
}

/// Header values that satisfy each bundled checklist's required fields.
fn fields(checklist: &Checklist) -> Map<String, Value> {
    let Value::Object(all) = json!({
        "work_order": "WO-2026-0042",
        "customer": "王女士",
        "phone": "+86 138 0013 8000",
        "address": "上海市徐汇区漕溪北路 88 号 1203 室",
        "appointment": "2026-11-22 14:30",
        "visit_type": "new_install",
        "service_mode": "home",
    }) else {
        unreachable!()
    };
    all.into_iter()
        .filter(|(k, _)| checklist.visit_fields.iter().any(|f| f.id == *k))
        .collect()
}

/// The editors of the run screen: while one is open, typing goes into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Editor {
    Value,
    Note,
    Abandon,
    Amend,
    /// The answer to the supervisor's general comment.
    Answer,
    Header,
}

fn overlay_name(overlay: &Overlay) -> &'static str {
    match overlay {
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
        // `e` (the evidence picker) is not among the keys this model presses.
        Overlay::Evidence(_) => "evidence",
    }
}

/// The editor open on the screen, with its text where it has one line of it.
fn editor(screen: &RunScreen) -> Option<(Editor, Option<String>)> {
    match &screen.overlay {
        Overlay::Value(input) => Some((Editor::Value, Some(input.text().to_owned()))),
        Overlay::Note { input, .. } => Some((Editor::Note, Some(input.text().to_owned()))),
        Overlay::Abandon(input) => Some((Editor::Abandon, Some(input.text().to_owned()))),
        Overlay::Answer(input) => Some((Editor::Answer, Some(input.text().to_owned()))),
        // An amendment types into its input once the value is chosen (the reason), or from
        // the start on an item whose value is typed; choosing with a key is no editor.
        Overlay::Amend(amend)
            if amend.value.is_some() || screen.current().is_some_and(|i| i.kind.is_typed()) =>
        {
            Some((Editor::Amend, Some(amend.input.text().to_owned())))
        }
        // A finished visit's header is shown read-only: nothing is typed into it.
        Overlay::Header(form) if !form.read_only => Some((Editor::Header, None)),
        _ => None,
    }
}

/// Value and note per item; items with neither are left out.
type Shown = BTreeMap<String, (Option<AnswerValue>, Option<String>)>;

fn shown(state: &VisitState) -> Shown {
    state
        .answers
        .iter()
        .filter(|(_, s)| s.value.is_some() || s.note.is_some())
        .map(|(id, s)| (id.clone(), (s.value.clone(), s.note.clone())))
        .collect()
}

/// What the screen was like before a key.
struct Before {
    overlay: &'static str,
    editor: Option<(Editor, Option<String>)>,
    cursor: usize,
    item: Option<Item>,
    open: bool,
}

/// One key's line in the trace printed with a failure.
fn describe(event: &Event) -> String {
    match &event.kind {
        EventKind::Answered { item, value, .. } => format!("answered {item}={value}"),
        EventKind::Noted { item, note } => format!("noted {item} {note:?}"),
        EventKind::Cleared { item } => format!("cleared {item}"),
        EventKind::Amended { item, value, .. } => format!("amended {item:?}={value}"),
        EventKind::Fields { fields } => format!("fields {}", Value::Object(fields.clone())),
        EventKind::Abandoned { reason } => format!("abandoned {reason:?}"),
        other => other.name().to_owned(),
    }
}

thread_local! {
    /// The data folder of this thread's visits, one log file each: a folder per visit
    /// cost more than the rest of a case.
    static DATA: TempDir = tempfile::tempdir().unwrap();
    /// Set while this thread presses keys: a panic is reported with the key sequence
    /// instead of printed by the default hook (hundreds of times while shrinking).
    static QUIET: RefCell<bool> = const { RefCell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| *q.borrow()) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                let place = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{place}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into its message.
fn no_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_panic_hook();
    QUIET.with(|q| *q.borrow_mut() = true);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| *q.borrow_mut() = false);
    result.map_err(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "(panicked)".into())
    })
}

/// A visit on one checklist, the keys pressed so far, and the log as last read back.
struct Run {
    checklist: &'static Checklist,
    lang: Lang,
    screen: RunScreen,
    terminal: Terminal<TestBackend>,
    path: PathBuf,
    /// The log's bytes, events and replayed state as last read back.
    bytes: Vec<u8>,
    events: Vec<Event>,
    replayed: VisitState,
    /// The open note editor opened because the answer needs a note (rule 4).
    note_required: bool,
    /// The header form is asking whether to keep its edits (after Esc).
    header_asking: bool,
    /// Draw the screen after every key and load the visit as the commands do at the end
    /// (else draw only after the last key).
    thorough: bool,
    keys: Vec<Key>,
    trace: String,
}

impl Run {
    fn start(id: &str, lang: Lang, thorough: bool) -> Run {
        let checklist = bundled(id);
        let session = DATA
            .with(|data| {
                Session::start(StartParams {
                    data_dir: data.path(),
                    checklist: checklist.clone(),
                    technician: "zhang.san",
                    lang: lang.tag(),
                    fields: fields(checklist),
                })
            })
            .unwrap();
        let mut screen = RunScreen::new(session, lang, Theme::new(true));
        // The visit's own technician: amendments are hers to make.
        screen.technician = Some("zhang.san".to_owned());
        screen.battery = Some(50);
        let path = screen.session.path().to_path_buf();
        let read = read_log(&path).unwrap();
        assert!(read.is_clean(), "a new visit's log: {:?}", read.problems);
        // The log carries its checklist; replaying needs it parsed, which is the bundled
        // one exactly when the source is the same text (parsing it each time would be
        // most of the run).
        let Some(EventKind::Started { info, .. }) = read.events.first().map(|e| &e.kind) else {
            panic!("the log does not begin with `started`");
        };
        assert_eq!(info.checklist.source, checklist.source);
        let replayed = replay(checklist, &read.events).unwrap();
        let mut run = Run {
            checklist,
            lang,
            screen,
            terminal: Terminal::new(TestBackend::new(80, 24)).unwrap(),
            bytes: std::fs::read(&path).unwrap(),
            path,
            events: read.events,
            replayed,
            note_required: false,
            header_asking: false,
            thorough,
            keys: Vec::new(),
            trace: String::new(),
        };
        if thorough {
            run.draw().unwrap();
        }
        run
    }

    /// Draws the screen as the app does between keys (PgUp/PgDn use the drawn page).
    fn draw(&mut self) -> Result<(), String> {
        let screen = &mut self.screen;
        let terminal = &mut self.terminal;
        no_panic(|| {
            terminal
                .draw(|frame| screen.hits = view::render(screen, frame))
                .map(|_| ())
        })
        .and_then(|r| r.map_err(|e| e.to_string()))?;
        self.screen.page = self.screen.hits.items.len().max(1);
        Ok(())
    }

    fn item_id(&self, index: usize) -> String {
        self.screen
            .item(index)
            .map_or_else(|| "-".into(), |i| i.id.clone())
    }

    /// The editor open now. A header form that was asked to close with unsaved edits and
    /// is asking whether to keep them (SPEC section 4) is a question, not an editor, until
    /// it closes.
    fn editor(&self) -> Option<(Editor, Option<String>)> {
        editor(&self.screen).filter(|(kind, _)| !(*kind == Editor::Header && self.header_asking))
    }

    fn before(&self) -> Before {
        Before {
            overlay: overlay_name(&self.screen.overlay),
            editor: self.editor(),
            cursor: self.screen.cursor,
            item: self.screen.current().cloned(),
            open: self.screen.session.status().is_open(),
        }
    }

    /// A failed rule, with everything needed to see it again.
    fn fail(&self, rule: &str, what: impl fmt::Display) -> TestCaseError {
        TestCaseError::fail(format!(
            "\n\nrun screen model: {rule}\n  {what}\n\nchecklist {}, lang {}; to replay:\n    \
             check_keys({:?}, Lang::{:?}, {:?});\n\nkey by key (item, overlay before -> after, lines written):\n{}",
            self.checklist.id,
            self.lang.tag(),
            self.checklist.id,
            self.lang,
            show_keys(&self.keys),
            self.trace
        ))
    }

    /// Reads the log back when it changed: append-only, chain verified, replayed.
    /// Returns the new events.
    fn read_back(&mut self) -> Result<Vec<Event>, TestCaseError> {
        let bytes = std::fs::read(&self.path).unwrap();
        if bytes == self.bytes {
            return Ok(Vec::new());
        }
        if !bytes.starts_with(&self.bytes) {
            return Err(self.fail(
                "rule 1 (the log is append-only)",
                "bytes already written changed",
            ));
        }
        let read = read_log(&self.path).unwrap();
        if !read.is_clean() {
            return Err(self.fail(
                "rule 1 (the log's hash chain verifies)",
                format!("problems {:?}, torn {:?}", read.problems, read.torn),
            ));
        }
        let Some(replayed) = replay(self.checklist, &read.events) else {
            return Err(self.fail("rule 1", "the log no longer replays"));
        };
        if !replayed.problems.is_empty() {
            return Err(self.fail(
                "rule 1 (every event fits the checklist)",
                format!("{:?}", replayed.problems),
            ));
        }
        let new = read.events[self.events.len().min(read.events.len())..].to_vec();
        self.bytes = bytes;
        self.events = read.events;
        self.replayed = replayed;
        Ok(new)
    }

    /// Presses one key and checks every rule; `Flow::Leave` ends the run.
    fn press(&mut self, key: Key) -> Result<Flow, TestCaseError> {
        let before = self.before();
        self.keys.push(key);
        let flow = match no_panic(|| self.screen.handle_key(key.event())) {
            Ok(flow) => flow,
            Err(message) => {
                return Err(self.fail(
                    "rule 6 (nothing panics)",
                    format!("the key panicked: {message}"),
                ));
            }
        };
        if flow == Flow::Stay
            && self.thorough
            && let Err(message) = self.draw()
        {
            return Err(self.fail(
                "rule 6 (nothing panics)",
                format!("drawing after the key panicked: {message}"),
            ));
        }
        let new = self.read_back()?;
        let _ = writeln!(
            self.trace,
            "  {:>3}. {:<9} {:<22} {:>8} -> {:<8} {}",
            self.keys.len(),
            format!("{key:?}"),
            before.item.as_ref().map_or("-", |i| i.id.as_str()),
            before.overlay,
            if flow == Flow::Leave {
                "(left)"
            } else {
                overlay_name(&self.screen.overlay)
            },
            new.iter().map(describe).collect::<Vec<_>>().join(", ")
        );
        self.check_log()?;
        self.check_editor(key, &before, flow, &new)?;
        self.check_number(key, &before, &new)?;
        self.check_note_required(key, &before, flow, &new)?;
        self.check_leaving(key, &before, flow, &new)?;
        let header_open = matches!(self.screen.overlay, Overlay::Header(_));
        self.header_asking = header_open
            && (self.header_asking
                || (key == Key::Esc && matches!(before.editor, Some((Editor::Header, _)))));
        Ok(flow)
    }

    /// Rule 1: the record is what the screen shows.
    fn check_log(&self) -> Result<(), TestCaseError> {
        let session = &self.screen.session;
        if !session.all_saved() || session.write_error.is_some() {
            return Err(self.fail(
                "rule 1 (every change is saved)",
                format!("unsaved changes; write error {:?}", session.write_error),
            ));
        }
        let on_screen = shown(&session.view);
        let on_disk = shown(&self.replayed);
        if on_screen != on_disk {
            let mut diff = String::new();
            let ids: std::collections::BTreeSet<&String> =
                on_screen.keys().chain(on_disk.keys()).collect();
            for id in ids {
                let (s, d) = (on_screen.get(id), on_disk.get(id));
                if s != d {
                    let _ = write!(diff, "\n    {id}: screen {s:?}, log {d:?}");
                }
            }
            return Err(self.fail(
                "rule 1 (the log replays to what the screen shows)",
                format!("answers differ:{diff}"),
            ));
        }
        if session.view.fields != self.replayed.fields
            || session.view.status != self.replayed.status
        {
            return Err(self.fail(
                "rule 1 (the log replays to what the screen shows)",
                format!(
                    "screen fields {:?} status {:?}; log fields {:?} status {:?}",
                    session.view.fields,
                    session.view.status,
                    self.replayed.fields,
                    self.replayed.status
                ),
            ));
        }
        Ok(())
    }

    /// Rule 2: while an editor is open, keys stay in it.
    fn check_editor(
        &self,
        key: Key,
        before: &Before,
        flow: Flow,
        new: &[Event],
    ) -> Result<(), TestCaseError> {
        let Some((kind, text)) = &before.editor else {
            return Ok(());
        };
        if matches!(key, Key::Enter | Key::Esc | Key::CtrlC) {
            return Ok(());
        }
        // `q` leaving from an editor is judged by rule 5 (the SPEC lets `q` save and leave
        // from an editor); typed into it, it is a character like any other.
        if key == Key::Char('q') && flow == Flow::Leave {
            return Ok(());
        }
        let rule = if key.printable().is_some() {
            "rule 2 (a character typed in an editor is neither an answer nor a command)"
        } else {
            "rule 2 (no key typed while an editor is open reaches the item list)"
        };
        let item = |index: usize| self.item_id(index);
        if !new.is_empty() {
            return Err(self.fail(
                rule,
                format!(
                    "{key:?} in the {kind:?} editor wrote: {}",
                    new.iter().map(describe).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        if flow == Flow::Leave {
            return Err(self.fail(
                rule,
                format!("{key:?} in the {kind:?} editor left the screen"),
            ));
        }
        if self.screen.cursor != before.cursor {
            return Err(self.fail(
                rule,
                format!(
                    "{key:?} in the {kind:?} editor moved from item {} to {}",
                    item(before.cursor),
                    item(self.screen.cursor)
                ),
            ));
        }
        let after = self.editor();
        let Some((after_kind, after_text)) = &after else {
            return Err(self.fail(
                rule,
                format!(
                    "{key:?} closed the {kind:?} editor (overlay now {})",
                    overlay_name(&self.screen.overlay)
                ),
            ));
        };
        if after_kind != kind {
            return Err(self.fail(
                rule,
                format!("{key:?} turned the {kind:?} editor into {after_kind:?}"),
            ));
        }
        // A character goes into a note or a reason, wherever the editor's cursor is. A
        // value's editor may refuse it or change it (a number's editor what cannot be part
        // of a number, a text's what its pattern or length forbids), but takes no more than
        // that one character.
        if let (Some(c), Some(text), Some(after_text)) = (key.printable(), text, after_text) {
            let mut got: Vec<char> = after_text.chars().collect();
            got.sort_unstable();
            let ok = match kind {
                Editor::Note | Editor::Abandon | Editor::Answer => {
                    let mut expected: Vec<char> = text.chars().chain([c]).collect();
                    expected.sort_unstable();
                    got == expected
                }
                Editor::Value => {
                    after_text == text || after_text.chars().count() == text.chars().count() + 1
                }
                Editor::Amend | Editor::Header => true,
            };
            if !ok {
                return Err(self.fail(
                    rule,
                    format!("{key:?} typed into {text:?} gave {after_text:?}"),
                ));
            }
        }
        Ok(())
    }

    /// Rule 3: a digit, `-` or `.` on a number item starts typing the number.
    fn check_number(&self, key: Key, before: &Before, new: &[Event]) -> Result<(), TestCaseError> {
        let Some(item) = &before.item else {
            return Ok(());
        };
        if before.overlay != "none"
            || !before.open
            || !matches!(item.kind, ItemKind::Number { .. })
            || !key.is_number_char()
        {
            return Ok(());
        }
        let rule = "rule 3 (on a number item a digit, `-` or `.` opens the value editor with itself typed)";
        let typed = key.printable().map(String::from);
        if !new.is_empty() {
            return Err(self.fail(
                rule,
                format!(
                    "{key:?} on number item {} wrote: {}",
                    item.id,
                    new.iter().map(describe).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        if self.screen.cursor != before.cursor {
            return Err(self.fail(
                rule,
                format!(
                    "{key:?} on number item {} moved to {}",
                    item.id,
                    self.item_id(self.screen.cursor)
                ),
            ));
        }
        match self.editor() {
            Some((Editor::Value, text)) if text == typed => Ok(()),
            other => Err(self.fail(
                rule,
                format!(
                    "{key:?} on number item {}: expected the value editor holding {typed:?}, found {}",
                    item.id,
                    match other {
                        Some((kind, text)) => format!("the {kind:?} editor holding {text:?}"),
                        None => format!("overlay {}", overlay_name(&self.screen.overlay)),
                    }
                ),
            )),
        }
    }

    /// Rule 4: an answer that needs a note opens the note editor, and an empty Enter does
    /// not close it.
    fn check_note_required(
        &mut self,
        key: Key,
        before: &Before,
        flow: Flow,
        new: &[Event],
    ) -> Result<(), TestCaseError> {
        let was_required = self.note_required && before.overlay == "note";
        self.note_required = false;
        if was_required && key == Key::Enter {
            let text = before.editor.as_ref().and_then(|(_, t)| t.clone());
            if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
                let rule = "rule 4 (the note editor opened for a required note stays open on an empty Enter)";
                if !new.is_empty() {
                    return Err(self.fail(
                        rule,
                        format!(
                            "Enter with {text:?} wrote: {}",
                            new.iter().map(describe).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                if !matches!(self.screen.overlay, Overlay::Note { .. }) {
                    return Err(self.fail(
                        rule,
                        format!(
                            "Enter with {text:?} closed it (overlay now {})",
                            overlay_name(&self.screen.overlay)
                        ),
                    ));
                }
                if self.screen.cursor != before.cursor {
                    return Err(self.fail(
                        rule,
                        format!(
                            "Enter with {text:?} moved to {}",
                            self.item_id(self.screen.cursor)
                        ),
                    ));
                }
                self.note_required = true;
                return Ok(());
            }
        }
        if was_required && matches!(self.screen.overlay, Overlay::Note { .. }) {
            // Still the same editor (rule 2 holds it open).
            self.note_required = true;
        }
        // A new answer on an open visit, from a key on the item or its value editor.
        let Some(item) = &before.item else {
            return Ok(());
        };
        if !before.open || flow == Flow::Leave || !matches!(before.overlay, "none" | "value") {
            return Ok(());
        }
        let answered = new.iter().any(|e| {
            matches!(&e.kind, EventKind::Answered { item: answered, .. } if *answered == item.id)
        });
        let Some(index) = self.screen.items().iter().position(|i| i.id == item.id) else {
            return Ok(());
        };
        let needs_note = self
            .screen
            .session
            .eval
            .items
            .get(index)
            .is_some_and(|s| s.note_missing);
        if !answered || !needs_note {
            return Ok(());
        }
        let rule = "rule 4 (an answer that needs a note opens the note editor on its item)";
        if !matches!(self.screen.overlay, Overlay::Note { .. }) {
            return Err(self.fail(
                rule,
                format!(
                    "{key:?} answered {} (note: {:?}) but the overlay is {}",
                    item.id,
                    item.note,
                    overlay_name(&self.screen.overlay)
                ),
            ));
        }
        if self.screen.cursor != index {
            return Err(self.fail(
                rule,
                format!(
                    "{key:?} answered {} but the note editor is on {}",
                    item.id,
                    self.item_id(self.screen.cursor)
                ),
            ));
        }
        self.note_required = true;
        Ok(())
    }

    /// Rule 5: leaving saves the note being typed.
    ///
    /// Ctrl-C always leaves. `q` in an editor is read both ways the SPEC allows: typed into
    /// the text like any character (then rule 2 holds it), or leaving after saving what was
    /// typed (then this rule does). Neither may lose the note.
    fn check_leaving(
        &self,
        key: Key,
        before: &Before,
        flow: Flow,
        new: &[Event],
    ) -> Result<(), TestCaseError> {
        let leaving_key = key == Key::CtrlC || (key == Key::Char('q') && flow == Flow::Leave);
        if key == Key::CtrlC && flow != Flow::Leave {
            return Err(self.fail(
                "rule 5 (Ctrl-C saves and leaves)",
                format!("Ctrl-C did not leave (overlay {})", before.overlay),
            ));
        }
        if key == Key::Char('q') && before.overlay == "none" && flow != Flow::Leave {
            return Err(self.fail("rule 5 (q saves and leaves)", "q did not leave"));
        }
        if !leaving_key || !before.open {
            return Ok(());
        }
        let (Some((Editor::Note, Some(text))), Some(item)) = (&before.editor, &before.item) else {
            return Ok(());
        };
        let typed = text.trim();
        if typed.is_empty() {
            return Ok(());
        }
        let recorded = self
            .replayed
            .answers
            .get(&item.id)
            .and_then(|s| s.note.clone());
        if recorded.as_deref() != Some(typed) {
            return Err(self.fail(
                "rule 5 (leaving the note editor saves the typed note)",
                format!(
                    "{key:?} with {text:?} typed for {}: the log's note is {recorded:?}; lines written: {}",
                    item.id,
                    new.iter().map(describe).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        Ok(())
    }

    /// After the last key: the visit as `show` and the other commands load it.
    fn check_loaded(&self) -> Result<(), TestCaseError> {
        let loaded = load_visit(&self.path)
            .map_err(|e| self.fail("rule 1 (the log loads as the commands load it)", e))?;
        if !loaded.integrity.is_clean() || shown(&loaded.state) != shown(&self.screen.session.view)
        {
            return Err(self.fail(
                "rule 1 (the log loads as the commands load it)",
                format!(
                    "problems {:?}; loaded {:?}; screen {:?}",
                    loaded.integrity.problems,
                    shown(&loaded.state),
                    shown(&self.screen.session.view)
                ),
            ));
        }
        Ok(())
    }
}

/// Presses `keys` on a new visit of checklist `id`, checking every rule after every key.
fn run_case(id: &str, lang: Lang, keys: &[Key], thorough: bool) -> Result<Run, TestCaseError> {
    let mut run = Run::start(id, lang, thorough);
    for &key in keys {
        if run.press(key)? == Flow::Leave {
            break;
        }
    }
    if let Err(message) = run.draw() {
        return Err(run.fail(
            "rule 6 (nothing panics)",
            format!("drawing after the last key panicked: {message}"),
        ));
    }
    if thorough {
        run.check_loaded()?;
    }
    Ok(run)
}

/// A key sequence written as in a failure's report, checked as the property test checks it.
fn check_keys(id: &str, lang: Lang, keys: &str) -> Run {
    match run_case(id, lang, &parse_keys(keys), true) {
        Ok(run) => run,
        Err(err) => panic!("{err}"),
    }
}

fn value_of(run: &Run, item: &str) -> Option<AnswerValue> {
    run.replayed.answers.get(item).and_then(|s| s.value.clone())
}

// ---------------------------------------------------------------------------------------
// Sequences that found defects, kept (the property test finds each of them by itself).
// ---------------------------------------------------------------------------------------

/// appliance-install, on "Return air minus outlet air temperature" (a number with N/A):
/// `1 2 Enter` is the number 12, not N/A there and a fail on the next item.
#[test]
fn regression_typing_12_on_a_number_item_with_na() {
    for lang in [Lang::En, Lang::ZhCn] {
        // Badge, on time, shoe covers, price list, appliance = air conditioner; then from
        // the last item up to the temperature difference.
        let run = check_keys(
            "appliance-install",
            lang,
            "p y 1 p 1 End Up Up Up Up Up Up Up 1 2 Enter",
        );
        assert_eq!(
            value_of(&run, "air_temp_drop"),
            Some(AnswerValue::Number(12.0))
        );
        assert_eq!(value_of(&run, "drain_test"), None);
    }
}

/// appliance-install, on "Supply voltage at the socket" (a number without N/A): the first
/// digit starts the number, which Enter saves; the item after it is not touched.
#[test]
fn regression_a_number_is_typed_from_its_first_digit() {
    for lang in [Lang::En, Lang::ZhCn] {
        // Badge, on time, shoe covers, price list, air conditioner, wall, model matches;
        // then past the serial number.
        let run = check_keys("appliance-install", lang, "p y 1 p 1 1 y Down 2 2 9 Enter");
        assert_eq!(
            value_of(&run, "supply_voltage"),
            Some(AnswerValue::Number(229.0))
        );
        assert_eq!(value_of(&run, "site_issues"), None);
        let run = check_keys("appliance-install", lang, "p y 1 p 1 1 y Down . Esc - Esc");
        assert_eq!(value_of(&run, "supply_voltage"), None);
    }
}

/// tcl-8s: `n` on the arrival item opens the required note editor; an empty Enter leaves it
/// open, and what is typed next is the note, `c` and spaces included.
#[test]
fn regression_empty_enter_in_a_required_note() {
    for lang in [Lang::En, Lang::ZhCn] {
        let run = check_keys(
            "tcl-8s",
            lang,
            "Down Down n Enter l a t e Space c a r Space p f Enter",
        );
        let answers = shown(&run.replayed);
        assert_eq!(
            answers.get("arrived_on_time"),
            Some(&(Some(AnswerValue::No), Some("late car pf".to_owned())))
        );
        assert_eq!(answers.len(), 1, "{answers:?}");
    }
}

/// Ctrl-C in the note editor saves the note typed so far.
#[test]
fn regression_ctrl_c_in_the_note_editor() {
    for lang in [Lang::En, Lang::ZhCn] {
        let run = check_keys("tcl-8s", lang, "f 堵 车 Ctrl-C");
        assert_eq!(
            run.replayed
                .answers
                .get("speedy")
                .and_then(|s| s.note.clone())
                .as_deref(),
            Some("堵车")
        );
    }
}

/// The key notation of the reports reads back as written.
#[test]
fn key_notation_round_trips() {
    let text = "1 p Space Enter Esc Backspace Delete Tab BackTab Up Down PgUp PgDn Home End Left Right - . 好 A Ctrl-C";
    assert_eq!(show_keys(&parse_keys(text)), text);
}
