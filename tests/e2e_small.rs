//! End to end, in a real pseudo-terminal: below 60x16 the screen says it is too small
//! (no panic); growing the terminal brings the run screen back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::screen::{wait_at, wait_saved};
use common::site::{APPLIANCE_FIELDS, Site, clean_events, names};

#[test]
fn too_small_then_resized_to_80x24() {
    let site = Site::new();
    let mut args = vec!["run".to_owned(), "appliance-install".to_owned()];
    args.extend(Site::field_args(APPLIANCE_FIELDS));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut pty = site.spawn_in("en", 50, 12, &args);

    // Wrapped to the width there is.
    let screen = pty.wait_for_text("(50x12)");
    assert!(
        screen.contains("Terminal too small: sitecheck needs at least"),
        "{screen}"
    );
    assert!(screen.contains("Ctrl-C quits."), "{screen}");
    pty.resize(59, 16);
    pty.wait_for_text("(59x16)");

    pty.resize(80, 24);
    let screen = wait_at(&pty, "Show your service ID badge before entering");
    assert!(!screen.contains("too small"), "{screen}");
    pty.wait_for_text(
        "↑↓ 1-9 answer  c note  e photo  ⌫ clear  Tab missing  s summary  ? help  q quit",
    );
    pty.send("p");
    wait_saved(&pty, 1);

    // Shrinking again is just as safe, and the smallest usable size shows the run screen.
    pty.resize(40, 8);
    pty.wait_for_text("(40x8)");
    pty.resize(60, 16);
    wait_at(&pty, "Did you arrive at the appointed time?");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
    assert!(!pty.raw_output().contains("panicked"));

    let (_, path) = site.only_visit();
    assert_eq!(
        names(&clean_events(&path)),
        ["started", "answered", "paused", "sealed"]
    );
}
