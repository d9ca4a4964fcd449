//! End to end, in a real pseudo-terminal: a technician walks the bundled
//! `appliance-install` checklist from the first item to FINISH with real keys, then the
//! log, `verify` and `show` are checked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{Pty, key};
use common::screen::{detail, wait_at, wait_saved};
use common::site::{
    APPLIANCE_FIELDS, Site, TECHNICIAN, answers, assert_contiguous, clean_events, names, stdout,
};
use serde_json::{Value, json};
use sitecheck::log::EventKind;

/// Answers the current item with `keys` and waits until event `seq` is on disk.
fn answer(pty: &mut Pty, prompt: &str, keys: &str, seq: u64) {
    wait_at(pty, prompt);
    pty.send(keys);
    wait_saved(pty, seq);
}

/// Enter, type `value`, Enter: a number, text or signature; waits until `seq` is saved.
fn type_value(pty: &mut Pty, prompt: &str, value: &str, seq: u64) {
    wait_at(pty, prompt);
    pty.send(key::ENTER);
    pty.wait_for_text("Enter save  Esc cancel");
    pty.send(value);
    pty.wait_for_text(&format!("│{value}"));
    pty.send(key::ENTER);
    wait_saved(pty, seq);
}

/// The note editor is open (a fail or a `note: always` item): type `note`, Enter.
fn type_note(pty: &mut Pty, note: &str, seq: u64) {
    let screen = pty.wait_for_text("┌ Note");
    assert!(
        screen.contains("│a note is required"),
        "the editor says why it opened:\n{screen}"
    );
    pty.send(note);
    pty.wait_for_text(&format!("│{note}"));
    pty.send(key::ENTER);
    wait_saved(pty, seq);
}

/// `e` on the current item, Enter on the inbox's newest file (`name`), Esc: the photo is
/// attached as event `seq`.
fn attach_newest(pty: &mut Pty, prompt: &str, name: &str, seq: u64) {
    wait_at(pty, prompt);
    pty.send("e");
    pty.wait_for_text("Attach a photo or file");
    pty.send(key::ENTER);
    let screen = wait_saved(pty, seq);
    assert!(screen.contains(&format!("attached: {name}")), "{screen}");
    pty.send(key::ESC);
    pty.wait_for("the picker to close", |s| !s.contains("Attach a photo"));
}

#[test]
fn a_whole_visit_from_the_first_item_to_finished() {
    let site = Site::new();
    site.photo_in_inbox("unit-running.png", 90);
    let mut args = vec!["run".to_owned(), "appliance-install".to_owned()];
    args.extend(Site::field_args(APPLIANCE_FIELDS));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut pty = site.spawn(&args);

    // Every required header field came with --field: straight onto the first item.
    let screen = wait_at(&pty, "Show your service ID badge before entering");
    assert!(
        screen.contains("Appliance installation visit · WO-2026-0042"),
        "{screen}"
    );
    assert!(
        screen.contains("0/17"),
        "progress answered/required:\n{screen}"
    );
    assert!(
        !screen.contains("Visit details"),
        "no header form:\n{screen}"
    );

    // Arrival.
    answer(&mut pty, "Show your service ID badge", "p", 1);
    wait_at(&pty, "Did you arrive at the appointed time?");
    let screen = pty.screen_text();
    assert!(
        !screen.contains("How many minutes late?"),
        "hidden until the technician says they were late:\n{screen}"
    );
    pty.send("n");
    wait_saved(&pty, 2);
    // A fail with `note: on_fail` opens the note editor by itself; the conditional item is
    // now in the list.
    let screen = pty.wait_for_text("How many minutes late?");
    // Answered, but its required note is not there yet.
    assert!(screen.contains("!✗ Did you arrive"), "{screen}");
    type_note(&mut pty, "Traffic on the ring road", 3);
    type_value(&mut pty, "How many minutes late?", "12", 4);
    // `note: always`: the editor opens after the value too.
    type_note(&mut pty, "Called the customer at 14:20", 5);
    answer(&mut pty, "Shoe covers on, drop cloth laid", "1", 6);
    answer(&mut pty, "Show the unified price list", "p", 7);

    // Site survey: an air conditioner on the wall shows both of those sections.
    answer(&mut pty, "Appliance being installed", "1", 8);
    answer(&mut pty, "Mounting", "1", 9);
    let screen = pty.wait_for_text("Wall mounting");
    assert!(screen.contains("Air conditioner pipi"), "{screen}");
    assert!(!screen.contains("Water connections"), "{screen}");
    answer(&mut pty, "Does the model match the work order", "y", 10);
    type_value(
        &mut pty,
        "Serial number from the rating plate",
        "KFR-35GW-2026",
        11,
    );
    type_value(&mut pty, "Supply voltage at the socket", "229", 12);
    // multi_choice: each number toggles an option and stays on the item; Enter moves on.
    // "None" is exclusive: choosing a problem after it clears it.
    answer(&mut pty, "Problems found on site", "1", 13);
    pty.send("6");
    wait_saved(&pty, 14);
    let screen = pty.screen_text();
    assert!(
        detail(&screen).contains("○ None") && detail(&screen).contains("◉ Tight space"),
        "{screen}"
    );
    pty.send(key::ENTER);

    // Wall mounting.
    answer(&mut pty, "Wall material", "1", 15);
    type_value(&mut pty, "Anchor bolt depth in the wall", "80", 16);
    type_value(&mut pty, "Mounting plate out of level", "1.5", 17);
    answer(&mut pty, "Pull and press hard on the plate", "p", 18);

    // Air conditioner piping; N/A is the number after the answers.
    type_value(&mut pty, "Refrigerant pipe length", "4.5", 19);
    answer(&mut pty, "Evacuated to -0.1 MPa", "p", 20);
    answer(&mut pty, "Every joint leak-checked", "p", 21);
    answer(&mut pty, "Outdoor unit bracket secure", "3", 22);

    // Commissioning: the running unit is photographed (`evidence: always`).
    attach_newest(&mut pty, "Power on and run a test", "unit-running.png", 23);
    answer(&mut pty, "Power on and run a test", "p", 24);
    type_value(&mut pty, "Return air minus outlet air", "10.2", 25);
    answer(&mut pty, "Drain test: water drains freely", "p", 26);

    // Handover: the cleaned site too.
    site.photo_in_inbox("site-clean.png", 200);
    attach_newest(&mut pty, "Site cleaned up, packaging", "site-clean.png", 27);
    answer(&mut pty, "Site cleaned up, packaging", "p", 28);
    answer(&mut pty, "Showed the customer how to use it", "p", 29);
    answer(&mut pty, "Materials charged on this visit", "2", 30);
    pty.send(key::ENTER);
    type_value(&mut pty, "Customer's remarks", "Very tidy work", 31);

    // Finishing is refused while a required item is missing.
    wait_at(&pty, "Ask the customer to rate this installation");
    pty.send("s");
    let screen = pty.wait_for_text("Enter finish  A abandon  Esc back");
    assert!(screen.contains("Missing required items (2)"), "{screen}");
    assert!(screen.contains("○ Customer signs to accept"), "{screen}");
    pty.send(key::ENTER);
    let screen = pty.wait_for_text("Cannot finish: required items are missing");
    assert!(!screen.contains("Finish this visit?"), "{screen}");
    pty.send(key::ESC);
    pty.wait_for("the summary to close", |s| !s.contains("Enter finish"));

    answer(
        &mut pty,
        "Ask the customer to rate this installation",
        "5",
        32,
    );
    wait_at(&pty, "Customer signs to accept the installation");
    pty.send(key::ENTER);
    pty.wait_for_text("Enter save  Esc cancel");
    pty.send("Li Si");
    pty.wait_for_text("│Li Si");
    pty.send(key::ENTER);
    let screen = wait_saved(&pty, 33);
    assert!(screen.contains("27/27"), "{screen}");

    // Finish: s, Enter, y.
    pty.send("s");
    let screen = pty.wait_for_text("Nothing required is missing.");
    assert!(screen.contains("Result: ✓ PASS"), "{screen}");
    assert!(
        screen.contains("✗ Did you arrive at the appointed time?"),
        "{screen}"
    );
    pty.send(key::ENTER);
    pty.wait_for_text("Finish this visit? It becomes read-only.");
    pty.send("y");
    let screen = wait_saved(&pty, 34);
    assert!(screen.contains("[finished]"), "{screen}");
    pty.send(key::ESC);
    pty.wait_for("the summary to close", |s| !s.contains("Failed items"));
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());

    // The log: seq 0..=34, `started` with the fields, each answer once, `finished` last.
    let (id, path) = site.only_visit();
    let month = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        month.len() == 7 && month.as_bytes()[4] == b'-',
        "visits/YYYY-MM/: {}",
        path.display()
    );
    let events = clean_events(&path);
    assert_contiguous(&events);
    assert_eq!(events.len(), 36, "{:?}", names(&events));
    let EventKind::Started { visit, info } = &events[0].kind else {
        panic!("first event: {:?}", events[0]);
    };
    assert_eq!(visit, &id);
    assert_eq!(info.technician, TECHNICIAN);
    assert_eq!(info.lang, "en");
    assert_eq!(info.checklist.id, "appliance-install");
    assert_eq!(
        Value::Object(info.fields.clone()),
        json!({
            "work_order": "WO-2026-0042",
            "customer": "Li Si",
            "phone": "+86 138 0013 8000",
            "address": "12 Jiefang Road, Qingdao",
            "floor": 5,
            // Typed without an offset: stored in RFC 3339 with the laptop's (+08:00 here).
            "appointment": "2026-11-22T14:30:00+08:00",
            "visit_type": "new_install",
        })
    );
    let expected: Vec<(String, Value)> = [
        ("badge", json!("pass")),
        ("arrived_on_time", json!("no")),
        ("minutes_late", json!(12)),
        ("shoe_covers", json!("done")),
        ("price_list", json!("pass")),
        ("appliance", json!("air_conditioner")),
        ("install_type", json!("wall")),
        ("model_matches", json!("yes")),
        ("serial_number", json!("KFR-35GW-2026")),
        ("supply_voltage", json!(229)),
        ("site_issues", json!(["none"])),
        ("site_issues", json!(["tight_space"])),
        ("wall_material", json!("concrete")),
        ("anchor_depth", json!(80)),
        ("bracket_level", json!(1.5)),
        ("load_test", json!("pass")),
        ("pipe_length", json!(4.5)),
        ("vacuum_hold", json!("pass")),
        ("leak_check", json!("pass")),
        ("outdoor_unit_safety", json!("na")),
        ("power_on_test", json!("pass")),
        ("air_temp_drop", json!(10.2)),
        ("drain_test", json!("pass")),
        ("site_cleaned", json!("pass")),
        ("demo_explained", json!("pass")),
        ("materials_charged", json!(["extra_pipe"])),
        ("customer_notes", json!("Very tidy work")),
        ("satisfaction", json!(5)),
        ("customer_sign", json!("Li Si")),
    ]
    .into_iter()
    .map(|(item, value)| (item.to_owned(), value))
    .collect();
    assert_eq!(answers(&events), expected);
    // Numbers are JSON numbers, not strings.
    let line = std::fs::read_to_string(&path).unwrap();
    assert!(
        line.contains(r#""item":"minutes_late","value":12,"#),
        "{line}"
    );
    assert!(
        line.contains(r#""item":"bracket_level","value":1.5,"#),
        "{line}"
    );
    let notes: Vec<(&str, &str)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Noted { item, note } => Some((item.as_str(), note.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("arrived_on_time", "Traffic on the ring road"),
            ("minutes_late", "Called the customer at 14:20")
        ]
    );
    // Both photos, by hash, on their items.
    let attached: Vec<(&str, &str)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Attached { item, name, .. } => Some((item.as_str(), name.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        attached,
        [
            ("power_on_test", "unit-running.png"),
            ("site_cleaned", "site-clean.png")
        ]
    );
    let EventKind::Finished { summary } = &events[34].kind else {
        panic!("last event: {:?}", events[34]);
    };
    assert_eq!(summary.result, "pass");
    assert_eq!(
        (summary.passed, summary.failed, summary.na, summary.missing),
        (23, 1, 1, 0)
    );
    // Weights: the one failure is a major item (2) against 53 of passes.
    let score = summary.score.expect("a score");
    assert!((score - 53.0 / 55.0).abs() < 1e-4, "score {score}");

    let verify = site.run(&["verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    assert!(
        stdout(&verify).contains("1 visit checked: 0 with problems"),
        "{}",
        stdout(&verify)
    );
    let show = site.run(&["show", &id, "--format", "json"]);
    assert_eq!(show.status.code(), Some(0));
    let shown: Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(shown["status"], "finished");
    assert_eq!(shown["result"], "pass");
    assert_eq!(shown["missing"], 0);
    assert_eq!(shown["visit"], id.as_str());
}
