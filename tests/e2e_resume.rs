//! End to end, in a real pseudo-terminal: leaving a visit with `q` and resuming it, and a
//! second process refused while one has the visit open.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::Pty;
use common::screen::{detail, wait_at, wait_saved};
use common::site::{
    APPLIANCE_FIELDS, Site, answers, assert_contiguous, clean_events, names, stderr,
};
use serde_json::json;

/// `run appliance-install` with every required field, on its first item.
fn start_visit(site: &Site) -> Pty {
    let mut args = vec!["run".to_owned(), "appliance-install".to_owned()];
    args.extend(Site::field_args(APPLIANCE_FIELDS));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let pty = site.spawn(&args);
    wait_at(&pty, "Show your service ID badge before entering");
    pty
}

#[test]
fn quit_then_resume_carries_on_at_the_first_unanswered_item() {
    let site = Site::new();
    let mut pty = start_visit(&site);
    pty.send("p");
    wait_saved(&pty, 1);
    wait_at(&pty, "Did you arrive at the appointed time?");
    pty.send("y");
    wait_saved(&pty, 2);
    // On time: the "minutes late" item stays hidden and the cursor skips it.
    wait_at(&pty, "Shoe covers on, drop cloth laid");
    pty.send("1");
    wait_saved(&pty, 3);
    wait_at(&pty, "Show the unified price list");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
    assert!(!pty.modes().alternate_screen, "the terminal is given back");

    let (id, path) = site.only_visit();
    let events = clean_events(&path);
    assert_eq!(
        names(&events),
        [
            "started", "answered", "answered", "answered", "paused", "sealed"
        ]
    );

    // No id: the latest unfinished visit, on its first unanswered item.
    let mut pty = site.spawn(&["resume"]);
    let screen = wait_at(&pty, "Show the unified price list");
    assert!(
        screen.contains("Appliance installation visit · WO-2026-0042"),
        "{screen}"
    );
    assert!(screen.contains("3/17"), "{screen}");
    pty.wait_for("the item unanswered", |s| {
        detail(s).contains("Answer: ○ not answered")
    });
    // `resumed` is on disk before the screen comes up.
    let events = clean_events(&path);
    assert_eq!(names(&events).last(), Some(&"resumed"));
    assert_eq!(events.last().unwrap().seq, 6);

    pty.send("p");
    wait_saved(&pty, 7);
    wait_at(&pty, "Appliance being installed");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());

    let events = clean_events(&path);
    assert_eq!(
        names(&events),
        [
            "started", "answered", "answered", "answered", "paused", "sealed", "resumed",
            "answered", "paused", "sealed"
        ]
    );
    assert_contiguous(&events);
    // `ms` is carried on across the resume, not restarted from 0.
    let (paused, resumed, after) = (&events[4], &events[5], &events[6]);
    assert!(resumed.ms >= paused.ms, "{} then {}", paused.ms, resumed.ms);
    assert!(after.ms >= resumed.ms && after.ms > events[3].ms);
    let got = answers(&events);
    assert_eq!(got[3], ("price_list".to_owned(), json!("pass")));

    let show = site.run(&["show", &id, "--format", "json"]);
    let shown: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(shown["status"], "open");
}

#[test]
fn a_second_process_on_the_same_visit_is_refused() {
    let site = Site::new();
    let mut first = start_visit(&site);
    first.send("p");
    wait_saved(&first, 1);
    first.send("q");
    assert_eq!(first.wait_for_exit(), 0);
    let (id, path) = site.only_visit();

    let mut holder = site.spawn(&["resume", &id]);
    wait_at(&holder, "Did you arrive at the appointed time?");
    let before = std::fs::read(&path).unwrap();

    let second = site.run(&["resume", &id]);
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    let message = stderr(&second);
    assert!(message.contains(&id), "names the visit: {message}");
    assert!(
        message.contains(&format!("another sitecheck process (pid {})", holder.pid())),
        "names the other process: {message}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the refused process wrote nothing"
    );

    // The one holding the visit carries on as if nothing happened.
    holder.send("y");
    wait_saved(&holder, 5);
    holder.send("q");
    assert_eq!(holder.wait_for_exit(), 0);
    let events = clean_events(&path);
    assert_eq!(
        names(&events),
        [
            "started", "answered", "paused", "sealed", "resumed", "answered", "paused", "sealed"
        ]
    );

    // Once it is closed, the visit opens again.
    let mut again = site.spawn(&["resume", &id]);
    wait_at(&again, "Shoe covers on, drop cloth laid");
    again.send("q");
    assert_eq!(again.wait_for_exit(), 0);
}

/// Home shows true progress at all times: after a SIGKILL (no `paused`, no index refresh)
/// the five saved answers are counted, not the zero of the index written at the start.
#[test]
fn home_counts_the_answers_of_a_visit_killed_mid_way() {
    let site = Site::new();
    let mut pty = start_visit(&site);
    for (seq, (prompt, key)) in [
        ("Show your service ID badge before entering", "p"),
        ("Did you arrive at the appointed time?", "y"),
        ("Shoe covers on, drop cloth laid", "1"),
        ("Show the unified price list", "p"),
        ("Appliance being installed", "1"),
    ]
    .into_iter()
    .enumerate()
    {
        wait_at(&pty, prompt);
        pty.send(key);
        wait_saved(&pty, seq as u64 + 1);
    }
    pty.kill_hard();

    let mut home = site.spawn(&[]);
    let screen = home.wait_for_text("WO-2026-0042");
    let row = screen
        .lines()
        .find(|l| l.contains("WO-2026-0042"))
        .unwrap_or_default()
        .to_owned();
    assert!(row.contains("5/"), "true progress on home:\n{screen}");
    home.send("\x1b");
    assert_eq!(home.wait_for_exit(), 0);
}

/// A data folder copied elsewhere works on its own: `resume` in the copy writes to the
/// copy's log, never to the original's (whose absolute path the copied index still names).
#[test]
fn resume_in_a_copied_data_folder_writes_to_the_copy() {
    let original = Site::new();
    let mut pty = start_visit(&original);
    pty.send("p");
    wait_saved(&pty, 1);
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0);
    let (_, original_log) = original.only_visit();
    let before = std::fs::read(&original_log).unwrap();

    let copy = Site::new();
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(original.data())
        .arg(copy.data())
        .status()
        .unwrap();
    assert!(status.success());
    let mut pty = copy.spawn(&["resume"]);
    wait_at(&pty, "Did you arrive at the appointed time?");
    pty.send("y");
    pty.wait_for_text("saved #5");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0);

    assert_eq!(
        std::fs::read(&original_log).unwrap(),
        before,
        "the original is untouched"
    );
    let (_, copied_log) = copy.only_visit();
    let events = clean_events(&copied_log);
    assert_eq!(
        names(&events),
        [
            "started", "answered", "paused", "sealed", "resumed", "answered", "paused", "sealed"
        ]
    );
}
