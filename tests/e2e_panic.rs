//! End to end, in a real pseudo-terminal: a panic gives the terminal back as it was, and
//! its message stays readable.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{Pty, key};
use common::screen::wait_at;
use common::site::{BIN, Site};

const PANIC_MESSAGE: &str = "test panic requested with SITECHECK_TEST_PANIC_ON_F12";

/// Single-quotes a word for `sh`.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// The lines of `stty -g` output (`500:5:bf:8a3b:3:1c:...`) in what the shell printed.
fn stty_settings(raw: &str) -> Vec<String> {
    raw.split('\n')
        .map(|line| line.trim_end_matches('\r'))
        .map(|line| line.rsplit('\r').next().unwrap_or(line))
        .filter(|line| {
            line.split(':').count() > 10
                && line
                    .split(':')
                    .all(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_panic_restores_the_terminal_and_prints_its_message() {
    let site = Site::new();
    let sitecheck: Vec<String> = site
        .args(
            "en",
            &[
                "run",
                "haier-12345",
                "--field",
                "work_order=WO-7777",
                "--field",
                "customer=Wang",
            ],
        )
        .iter()
        .map(|a| quote(a))
        .collect();
    let script = format!(
        "stty -g; {} {}; echo \"exit=$?\"; stty -g",
        quote(BIN),
        sitecheck.join(" ")
    );
    let mut pty = Pty::spawn(
        site.builder(
            "sh",
            &["-c".to_owned(), script],
            &[("SITECHECK_TEST_PANIC_ON_F12", "1")],
        ),
        80,
        24,
    );
    wait_at(&pty, "Show your service ID badge on arrival");
    assert!(pty.modes().alternate_screen);
    pty.send(key::F12);
    assert_eq!(pty.wait_for_exit(), 0, "the shell goes on after the panic");

    let raw = pty.raw_output();
    let settings = stty_settings(&raw);
    assert_eq!(settings.len(), 2, "two `stty -g` outputs in:\n{raw:?}");
    assert_eq!(
        settings[0], settings[1],
        "the terminal settings after the panic are those before it"
    );
    assert!(raw.contains("exit=101"), "a panic exits with 101:\n{raw:?}");

    // What the technician sees: the panic message, on the normal screen, not overwritten.
    let screen = pty.screen_text();
    assert!(
        screen.contains(PANIC_MESSAGE),
        "the panic message:\n{screen}"
    );
    assert!(screen.contains("exit=101"), "{screen}");
    let modes = pty.modes();
    assert!(!modes.alternate_screen, "left the alternate screen");
    assert!(!modes.cursor_hidden, "the cursor is shown again");
    assert!(!modes.mouse_reporting, "mouse capture is off");
}
