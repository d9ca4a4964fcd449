//! End to end, in a real pseudo-terminal at 80x24, in English and in Chinese: input as a
//! technician types it — a number on an item that allows N/A, a required note (an empty
//! Enter, then text full of keys the item list uses), Ctrl-C in the note editor, the visit
//! header given with `--field` or completed in its form, and `NO_COLOR`.
//!
//! What is checked is mainly the record (the log's lines) and the checklist's own texts on
//! the screen; every wait is for something on the screen, with a deadline.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{Pty, key};
use common::screen::{detail, wait_saved_in};
use common::site::{APPLIANCE_FIELDS, BIN, Site, answers, clean_events, names};
use serde_json::json;
use sitecheck::checklist::{Checklist, Library};
use sitecheck::log::EventKind;
use sitecheck::visit::{evaluate, replay};
use unicode_width::UnicodeWidthChar;

/// The UI language of a run, and the few words of its interface the waits need.
struct Ui {
    tag: &'static str,
    /// The word of the `✓ saved #N` notice.
    saved: &'static str,
    /// The note editor's title.
    note_title: &'static str,
    /// A customer's name, typed into the header.
    customer: &'static str,
    /// A note with spaces and a `c` — and other keys of the item list — in it.
    note: &'static str,
}

const EN: Ui = Ui {
    tag: "en",
    saved: "saved",
    note_title: "Note",
    customer: "Li Si",
    note: "jam on c ring road, 5 km",
};

const ZH: Ui = Ui {
    tag: "zh-CN",
    saved: "已保存",
    note_title: "备注",
    customer: "李四",
    note: "环路堵车 c 5 公里 jk",
};

const APPOINTMENT: &str = "2026-11-22T09:00:00+08:00";

fn checklist(id: &str) -> Checklist {
    Library::default()
        .bundled(id)
        .unwrap_or_else(|| panic!("no bundled checklist {id}"))
        .checklist
}

/// An item's prompt as the screen shows it in `ui`'s language.
fn prompt(id: &str, item: &str, ui: &Ui) -> String {
    let checklist = checklist(id);
    let item = checklist
        .item(item)
        .unwrap_or_else(|| panic!("no item {item}"));
    checklist.text(&item.prompt, ui.tag).to_owned()
}

/// A header field's label as the form shows it.
fn label(id: &str, field: &str, ui: &Ui) -> String {
    let checklist = checklist(id);
    let field = checklist
        .visit_fields
        .iter()
        .find(|f| f.id == field)
        .unwrap_or_else(|| panic!("no field {field}"));
    checklist.text(&field.label, ui.tag).to_owned()
}

/// The start of a text, up to 20 columns: on the first row of the item pane however the
/// rest wraps, in any script.
fn start_of(text: &str) -> String {
    let mut width = 0;
    text.chars()
        .take_while(|c| {
            width += c.width().unwrap_or(0);
            width <= 20
        })
        .collect()
}

/// Waits until the current item is the one with this prompt.
fn wait_item(pty: &Pty, prompt: &str) -> String {
    let start = start_of(prompt);
    pty.wait_for(&format!("the item {prompt:?} in the item pane"), |screen| {
        detail(screen).contains(&start)
    })
}

/// Moves down the item list from item `from` to item `to`, one key at a time, waiting for
/// each visible item in between: which items are shown comes from the log, replayed and
/// evaluated by the library.
fn move_down(pty: &mut Pty, site: &Site, ui: &Ui, id: &str, from: &str, to: &str) {
    let checklist = checklist(id);
    let events = clean_events(&site.only_visit().1);
    let state = replay(&checklist, &events).expect("the log replays");
    let eval = evaluate(&checklist, &state.answers);
    let items: Vec<&str> = checklist.items().map(|(_, i)| i.id.as_str()).collect();
    let index = |item: &str| items.iter().position(|i| *i == item).unwrap();
    let between = items.iter().zip(&eval.items).take(index(to) + 1);
    for (item, status) in between.skip(index(from) + 1) {
        if status.visible {
            pty.send(key::DOWN);
            wait_item(pty, &prompt(id, item, ui));
        }
    }
}

/// The form's focused row: the one marked `▸`.
fn focused(screen: &str) -> String {
    screen
        .lines()
        .find(|line| line.contains('▸'))
        .unwrap_or_default()
        .to_owned()
}

/// `sitecheck --lang LANG run CHECKLIST --field ...` at 80x24.
fn spawn_run(site: &Site, ui: &Ui, id: &str, fields: &[(&str, &str)], env: &[(&str, &str)]) -> Pty {
    let mut args = vec!["run".to_owned(), id.to_owned()];
    args.extend(Site::field_args(fields));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Pty::spawn(site.builder(BIN, &site.args(ui.tag, &args), env), 80, 24)
}

/// The header fields of `appliance-install`, with another appointment.
fn appliance_fields(appointment: &str) -> Vec<(&'static str, &str)> {
    APPLIANCE_FIELDS
        .iter()
        .map(|&(k, v)| (k, if k == "appointment" { appointment } else { v }))
        .collect()
}

fn quit(pty: &mut Pty) {
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
}

/// The form is on screen: its frame's top border is the first row (the run screen's
/// first row is its header). Rows are drawn top down, so this is the newest frame's.
fn form_shown(screen: &str) -> bool {
    screen
        .lines()
        .next()
        .is_some_and(|row| row.starts_with('┌'))
}

/// Waits until the form's focus has moved from `before`, or something else says the key was
/// handled (`done`).
fn wait_focus_moved(pty: &Pty, before: &str, done: impl Fn(&str) -> bool) -> String {
    pty.wait_for("the form to move on", |screen| {
        let now = focused(screen);
        (now != before && !now.is_empty()) || done(screen)
    })
}

/// Presses Enter in the header form, one at a time, until the visit starts on the item
/// with `first_prompt`: however the form ends (Enter on its last field, a Start row ...).
fn enter_until_started(pty: &mut Pty, first_prompt: &str, fields: usize) {
    for _ in 0..fields + 3 {
        let screen = pty.screen_text();
        if !form_shown(&screen) {
            break;
        }
        pty.send(key::ENTER);
        wait_focus_moved(pty, &focused(&screen), |s| !form_shown(s));
    }
    wait_item(pty, first_prompt);
}

// ---------------------------------------------------------------------------------------
// a. A number on an item that allows N/A.
// ---------------------------------------------------------------------------------------

fn a_number_on_an_item_with_na(ui: &Ui) {
    const ID: &str = "appliance-install";
    let site = Site::new();
    let mut pty = spawn_run(&site, ui, ID, APPLIANCE_FIELDS, &[]);
    // Arrival, then an air conditioner: the commissioning section shows the temperature
    // difference, a number that allows N/A.
    for (seq, (item, keys)) in [
        ("badge", "p"),
        ("arrived_on_time", "y"),
        ("shoe_covers", "1"),
        ("price_list", "p"),
        ("appliance", "1"),
    ]
    .into_iter()
    .enumerate()
    {
        wait_item(&pty, &prompt(ID, item, ui));
        pty.send(keys);
        wait_saved_in(&pty, seq as u64 + 1, ui.saved);
    }
    wait_item(&pty, &prompt(ID, "install_type", ui));
    move_down(&mut pty, &site, ui, ID, "install_type", "air_temp_drop");

    pty.send("12");
    pty.wait_for_text("│12");
    pty.send(key::ENTER);
    wait_saved_in(&pty, 6, ui.saved);
    wait_item(&pty, &prompt(ID, "drain_test", ui));
    quit(&mut pty);

    let (_, path) = site.only_visit();
    let events = clean_events(&path);
    let got = answers(&events);
    assert_eq!(
        got.last(),
        Some(&("air_temp_drop".to_owned(), json!(12))),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|(_, value)| value == "na"),
        "no N/A anywhere: {got:?}"
    );
    assert!(
        !got.iter().any(|(item, _)| item == "drain_test"),
        "the next item is not answered: {got:?}"
    );
    assert_eq!(
        names(&events),
        [
            "started", "answered", "answered", "answered", "answered", "answered", "answered",
            "paused", "sealed"
        ]
    );
}

#[test]
fn a_number_on_an_item_with_na_en() {
    a_number_on_an_item_with_na(&EN);
}

#[test]
fn a_number_on_an_item_with_na_zh() {
    a_number_on_an_item_with_na(&ZH);
}

// ---------------------------------------------------------------------------------------
// b. A required note: an empty Enter keeps the editor; what is typed next is the note.
// ---------------------------------------------------------------------------------------

fn b_required_note(ui: &Ui) {
    const ID: &str = "tcl-8s";
    let site = Site::new();
    let fields = [("work_order", "WO-8888"), ("customer", ui.customer)];
    let mut pty = spawn_run(&site, ui, ID, &fields, &[]);
    wait_item(&pty, &prompt(ID, "speedy", ui));
    move_down(&mut pty, &site, ui, ID, "speedy", "arrived_on_time");

    // Late: `note: on_fail` opens the note editor.
    pty.send("n");
    wait_saved_in(&pty, 1, ui.saved);
    pty.wait_for_text(&format!("┌ {}", ui.note_title));
    // Nothing typed: Enter keeps it open.
    pty.send(key::ENTER);
    // So the note's `c`, `j`, `k`, `n`, digits and spaces go into it, not to the list;
    // seeing them in the editor also says the Enter before them was handled.
    pty.send(ui.note);
    pty.wait_for_text(&format!("│{}", ui.note));
    let events = clean_events(&site.only_visit().1);
    assert_eq!(
        names(&events),
        ["started", "answered"],
        "the empty Enter wrote nothing"
    );
    pty.send(key::ENTER);
    wait_saved_in(&pty, 2, ui.saved);
    quit(&mut pty);

    let events = clean_events(&site.only_visit().1);
    assert_eq!(
        names(&events),
        ["started", "answered", "noted", "paused", "sealed"]
    );
    assert_eq!(
        answers(&events),
        [("arrived_on_time".to_owned(), json!("no"))],
        "no other item got an answer"
    );
    assert!(
        matches!(&events[2].kind, EventKind::Noted { item, note }
            if item == "arrived_on_time" && note == ui.note),
        "{:?}",
        events[2]
    );
}

#[test]
fn b_required_note_en() {
    b_required_note(&EN);
}

#[test]
fn b_required_note_zh() {
    b_required_note(&ZH);
}

// ---------------------------------------------------------------------------------------
// c. A datetime given with --field: valid, the visit starts; invalid, the form opens on it.
// ---------------------------------------------------------------------------------------

fn c_appointment_with_an_offset(ui: &Ui) {
    const ID: &str = "appliance-install";
    let site = Site::new();
    let mut pty = spawn_run(&site, ui, ID, &appliance_fields(APPOINTMENT), &[]);
    wait_item(&pty, &prompt(ID, "badge", ui));
    let (_, path) = site.only_visit();
    let log = std::fs::read_to_string(&path).unwrap();
    let started = log.lines().next().unwrap();
    assert!(
        started.contains(&format!(r#""appointment":"{APPOINTMENT}""#)),
        "{started}"
    );
    quit(&mut pty);
}

#[test]
fn c_appointment_with_an_offset_en() {
    c_appointment_with_an_offset(&EN);
}

#[test]
fn c_appointment_with_an_offset_zh() {
    c_appointment_with_an_offset(&ZH);
}

fn c_appointment_tomorrow(ui: &Ui) {
    const ID: &str = "appliance-install";
    let site = Site::new();
    let mut pty = spawn_run(&site, ui, ID, &appliance_fields("tomorrow"), &[]);
    let appointment = label(ID, "appointment", ui);
    let screen = pty.wait_for(
        &format!("the form focused on {appointment:?}, with an error"),
        |screen| focused(screen).contains(&appointment) && screen.contains('✗'),
    );
    assert!(screen.contains("tomorrow"), "{screen}");
    assert!(
        site.visit_logs().is_empty(),
        "no visit before the form is done"
    );

    for _ in "tomorrow".chars() {
        pty.send(key::BACKSPACE);
    }
    pty.send(APPOINTMENT);
    pty.wait_for(
        &format!("{APPOINTMENT} in the appointment field"),
        |screen| focused(screen).contains(APPOINTMENT),
    );
    assert!(
        site.visit_logs().is_empty(),
        "no visit before the form is done"
    );

    let fields = checklist(ID).visit_fields.len();
    enter_until_started(&mut pty, &prompt(ID, "badge", ui), fields);
    let (_, path) = site.only_visit();
    let events = clean_events(&path);
    assert_eq!(names(&events), ["started"]);
    let EventKind::Started { info, .. } = &events[0].kind else {
        panic!("{:?}", events[0]);
    };
    assert_eq!(info.fields["appointment"], json!(APPOINTMENT));
    quit(&mut pty);
}

#[test]
fn c_appointment_tomorrow_en() {
    c_appointment_tomorrow(&EN);
}

#[test]
fn c_appointment_tomorrow_zh() {
    c_appointment_tomorrow(&ZH);
}

// ---------------------------------------------------------------------------------------
// d. The header form with a required field left empty.
// ---------------------------------------------------------------------------------------

fn d_header_form(ui: &Ui) {
    const ID: &str = "haier-12345";
    let site = Site::new();
    // The customer's name, required, is not given.
    let mut pty = spawn_run(&site, ui, ID, &[("work_order", "WO-8888")], &[]);
    let customer = label(ID, "customer", ui);
    pty.wait_for(&format!("the header form with {customer:?}"), |screen| {
        screen.contains(&customer) && screen.contains('▸')
    });
    let fields = checklist(ID).visit_fields.len();

    // Enter through the fields: the form says what is missing, and does not start.
    for _ in 0..fields {
        let before = focused(&pty.screen_text());
        pty.send(key::ENTER);
        wait_focus_moved(&pty, &before, |screen| screen.contains('✗'));
    }
    pty.wait_for_text("✗");

    // To the customer's field, and fill it in.
    for _ in 0..fields + 1 {
        let before = focused(&pty.screen_text());
        if before.contains(&customer) {
            break;
        }
        pty.send(key::DOWN);
        wait_focus_moved(&pty, &before, |_| false);
    }
    pty.send(ui.customer);
    pty.wait_for(
        &format!("{:?} typed for {customer:?}", ui.customer),
        |screen| {
            let row = focused(screen);
            row.contains(&customer) && row.contains(ui.customer)
        },
    );
    // Every key so far is handled (the name is on screen), and none started the visit.
    assert!(
        site.visit_logs().is_empty(),
        "no visit before the form is done"
    );

    let first = prompt(ID, "badge", ui);
    enter_until_started(&mut pty, &first, fields);
    // The visit is on its first item: the next key answers item 1, nothing skipped.
    let (_, path) = site.only_visit();
    assert_eq!(names(&clean_events(&path)), ["started"]);
    pty.send("p");
    wait_saved_in(&pty, 1, ui.saved);
    quit(&mut pty);

    let events = clean_events(&path);
    assert_eq!(answers(&events), [("badge".to_owned(), json!("pass"))]);
    let EventKind::Started { info, .. } = &events[0].kind else {
        panic!("{:?}", events[0]);
    };
    assert_eq!(info.fields["customer"], json!(ui.customer));
    assert_eq!(info.fields["work_order"], json!("WO-8888"));
}

#[test]
fn d_header_form_en() {
    d_header_form(&EN);
}

#[test]
fn d_header_form_zh() {
    d_header_form(&ZH);
}

// ---------------------------------------------------------------------------------------
// e. Ctrl-C while typing a note saves it; resume shows it.
// ---------------------------------------------------------------------------------------

fn e_ctrl_c_in_a_note(ui: &Ui) {
    const ID: &str = "haier-12345";
    let site = Site::new();
    let fields = [("work_order", "WO-8888"), ("customer", ui.customer)];
    let mut pty = spawn_run(&site, ui, ID, &fields, &[]);
    let badge = prompt(ID, "badge", ui);
    wait_item(&pty, &badge);
    pty.send("f");
    wait_saved_in(&pty, 1, ui.saved);
    pty.wait_for_text(&format!("┌ {}", ui.note_title));
    pty.send(ui.note);
    pty.wait_for_text(&format!("│{}", ui.note));
    pty.send("\x03");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());

    let (_, path) = site.only_visit();
    let events = clean_events(&path);
    assert_eq!(
        names(&events),
        ["started", "answered", "noted", "paused", "sealed"]
    );
    assert!(
        matches!(&events[2].kind, EventKind::Noted { item, note }
            if item == "badge" && note == ui.note),
        "{:?}",
        events[2]
    );

    // Resumed, the failed item shows its note.
    let mut pty = site.spawn_in(ui.tag, 80, 24, &["resume"]);
    // It goes on at the first unanswered item, the one after the badge.
    let next = start_of(&prompt(ID, "price_list", ui));
    let badge_start = start_of(&badge);
    pty.wait_for("the resumed visit", |screen| {
        detail(screen).contains(&next) || detail(screen).contains(&badge_start)
    });
    pty.send(key::UP);
    wait_item(&pty, &badge);
    let note_start = start_of(ui.note);
    pty.wait_for(&format!("the note {:?} on the item", ui.note), |screen| {
        detail(screen).contains(&note_start)
    });
    quit(&mut pty);
}

#[test]
fn e_ctrl_c_in_a_note_en() {
    e_ctrl_c_in_a_note(&EN);
}

#[test]
fn e_ctrl_c_in_a_note_zh() {
    e_ctrl_c_in_a_note(&ZH);
}

// ---------------------------------------------------------------------------------------
// f. NO_COLOR, set and empty.
// ---------------------------------------------------------------------------------------

/// The program starts and draws with `NO_COLOR` set to `value`, and exits 0 after `q`.
fn f_no_color(ui: &Ui, value: &str) {
    const ID: &str = "appliance-install";
    let site = Site::new();
    let mut pty = spawn_run(&site, ui, ID, APPLIANCE_FIELDS, &[("NO_COLOR", value)]);
    let screen = wait_item(&pty, &prompt(ID, "badge", ui));
    let checklist = checklist(ID);
    assert!(
        screen.contains(checklist.text(&checklist.title, ui.tag)),
        "NO_COLOR={value:?}: the header is drawn:\n{screen}"
    );
    quit(&mut pty);
    assert_eq!(
        names(&clean_events(&site.only_visit().1)),
        ["started", "paused", "sealed"],
        "NO_COLOR={value:?}"
    );
}

#[test]
fn f_no_color_set_en() {
    f_no_color(&EN, "1");
}

#[test]
fn f_no_color_set_zh() {
    f_no_color(&ZH, "1");
}

/// An empty `NO_COLOR` is ignored (no-color.org).
#[test]
fn f_no_color_empty_en() {
    f_no_color(&EN, "");
}

#[test]
fn f_no_color_empty_zh() {
    f_no_color(&ZH, "");
}
