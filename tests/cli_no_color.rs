//! `NO_COLOR` as no-color.org defines it: any non-empty value turns colour off, an empty
//! one is ignored; `--no-color` does the same. Neither may stop a command from running.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::pty::{Pty, key};
use common::site::{BIN, Site};

/// `sitecheck list` with `NO_COLOR` set to `value`.
fn list_with_no_color(site: &Site, value: &str) -> std::process::Output {
    std::fs::create_dir_all(site.data()).unwrap();
    Command::new(BIN)
        .args(site.args("en", &["list"]))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", site.data())
        .env("SITECHECK_CONFIG", site.config())
        .env("NO_COLOR", value)
        .output()
        .expect("run sitecheck")
}

#[test]
fn every_value_of_no_color_lets_commands_run() {
    let site = Site::new();
    for value in ["1", "0", "yes", "true", "false", ""] {
        let out = list_with_no_color(&site, value);
        assert_eq!(
            out.status.code(),
            Some(0),
            "NO_COLOR={value:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("0 visits"),
            "NO_COLOR={value:?}"
        );
    }
}

/// Whether the output sets a foreground or background colour (SGR 30-38, 40-48, 90-107;
/// 39 and 49, back to the terminal's own colours, are what a monochrome screen resets to).
fn sets_a_colour(raw: &str) -> bool {
    raw.split("\x1b[").skip(1).any(|sequence| {
        let Some(end) = sequence.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            return false;
        };
        if !sequence[end..].starts_with('m') {
            return false;
        }
        sequence[..end]
            .split(';')
            .filter_map(|p| p.parse::<u16>().ok())
            .any(|p| matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107))
    })
}

/// The home screen in a terminal, with `env` added; whether it drew in colour.
fn home_in_colour(site: &Site, extra_args: &[&str], env: &[(&str, &str)]) -> bool {
    let builder = site.builder(BIN, &site.args("en", extra_args), env);
    let mut pty = Pty::spawn(builder, 80, 24);
    pty.wait_for_text("Esc clear/quit");
    let coloured = sets_a_colour(&pty.raw_output());
    pty.send(key::ESC);
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
    coloured
}

#[test]
fn no_color_turns_colour_off_and_an_empty_one_is_ignored() {
    let site = Site::new();
    assert!(home_in_colour(&site, &[], &[]), "colour by default");
    assert!(
        home_in_colour(&site, &[], &[("NO_COLOR", "")]),
        "an empty NO_COLOR is ignored"
    );
    for value in ["1", "0", "yes"] {
        assert!(
            !home_in_colour(&site, &[], &[("NO_COLOR", value)]),
            "NO_COLOR={value:?} turns colour off"
        );
    }
    assert!(!home_in_colour(&site, &["--no-color"], &[]), "--no-color");
    assert!(
        !home_in_colour(&site, &["--no-color"], &[("NO_COLOR", "")]),
        "--no-color with an empty NO_COLOR"
    );
}

#[test]
fn the_colour_detector_sees_colours_and_nothing_else() {
    assert!(sets_a_colour("a\x1b[38;5;4mb"));
    assert!(sets_a_colour("\x1b[1;44m"));
    assert!(!sets_a_colour(
        "\x1b[1m\x1b[7m\x1b[0m\x1b[2J\x1b[10;20H\x1b[39m\x1b[49m"
    ));
    assert!(!sets_a_colour("\x1b[?1049h"));
}

/// `theme: high-contrast` in the config: no colour, and the secondary text (the key line
/// at the bottom) bold rather than dim; an unknown theme is an error naming the config.
#[test]
fn the_config_can_ask_for_high_contrast() {
    let site = Site::new();
    std::fs::write(site.config(), "theme: high-contrast\n").unwrap();
    let builder = site.builder(BIN, &site.args("en", &[]), &[]);
    let mut pty = Pty::spawn(builder, 80, 24);
    pty.wait_for_text("Esc clear/quit");
    let raw = pty.raw_output();
    assert!(!sets_a_colour(&raw), "high contrast draws without colour");
    assert!(!raw.contains("\x1b[2m"), "nothing faint");
    assert!(pty.cell_is_bold(23, 0), "the key line is bold");
    pty.send(key::ESC);
    assert_eq!(pty.wait_for_exit(), 0);

    std::fs::write(site.config(), "theme: neon\n").unwrap();
    let out = Command::new(BIN)
        .args(site.args("en", &["list"]))
        .env("SITECHECK_CONFIG", site.config())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("config.yaml: error: unknown theme \"neon\""),
        "{stderr}"
    );
    assert!(stderr.contains("high-contrast"), "{stderr}");
}
