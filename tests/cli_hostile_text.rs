//! No control character, escape sequence, bidi override or zero-width character from a file
//! reaches the terminal, whatever the command and whatever the file, a file name on a USB
//! stick included (SPEC section 2). Hostile files are written by hand; each command runs in
//! a pseudo-terminal and the raw bytes the terminal received are searched. JSON printed to
//! a terminal still parses to the same strings; written to a file or a pipe, the output is
//! byte for byte what the command wrote.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod store_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::pty::Pty;
use common::site::{BIN, Site};
use serde_json::Value;
use store_support::{CHECKLIST, IDS, Visit};

/// A screen clear, a CSI as one C1 byte, DEL, a right-to-left override (the file name reads
/// as `exe.pdf`) and a zero-width space.
const HAZARDS: [char; 5] = ['\u{1b}', '\u{9b}', '\u{7f}', '\u{202e}', '\u{200b}'];

/// Every hazard in one text.
const HOSTILE: &str = "A\u{1b}[2JB\u{9b}31mC\u{7f}D\u{202e}fdp.exe\u{200b}E";

/// A store, a USB stick and a checklist folder, each with text that must not reach a
/// terminal as it is.
struct Hostile {
    site: Site,
    /// The test's temporary folder, around the data folder.
    root: PathBuf,
}

impl Hostile {
    fn new() -> Hostile {
        let site = Site::new();
        let data = site.data();
        let root = data.parent().unwrap().to_owned();
        // Fields, a note, a text answer and the `visit` member itself.
        let member = format!("{}{HOSTILE}", IDS[0]);
        let mut visit = Visit::start_as(
            IDS[0],
            &member,
            "2026-11-22",
            HOSTILE,
            &[("work_order", HOSTILE), ("customer", HOSTILE)],
        );
        visit
            .answer(30, "badge", "\"pass\"", Some(HOSTILE))
            .answer(60, "clean", "\"pass\"", None)
            .answer(90, "satisfaction", "5", Some(HOSTILE))
            .answer(120, "remarks", &store_support::q(HOSTILE), Some(HOSTILE))
            .finish(150);
        visit.write(&data);
        // An event whose name is the hostile text: `verify` quotes it.
        let mut damaged = Visit::start(IDS[1], "2026-11-22", "li.si", &[("work_order", "WO-2")]);
        damaged.unknown_event(30, HOSTILE);
        damaged.write(&data);

        // A USB stick: a log named with an escape sequence, and one whose `visit` member is.
        let usb = visit.path_in(&root.join("usb"));
        std::fs::create_dir_all(usb.parent().unwrap()).unwrap();
        std::fs::write(usb.with_file_name(format!("{HOSTILE}.jsonl")), "{}\n").unwrap();
        std::fs::write(&usb, visit.log.text()).unwrap();

        // A checklist named with an escape sequence, with an unknown key made of hazards.
        let checklists = root.join("checklists");
        std::fs::create_dir_all(&checklists).unwrap();
        std::fs::write(
            checklists.join(format!("{HOSTILE}.yaml")),
            format!("{CHECKLIST}\"k\\e[2J\\u009b31m\\x7f\\u202e\\u200bz\": 1\n"),
        )
        .unwrap();
        Hostile { site, root }
    }

    fn data(&self) -> PathBuf {
        self.site.data()
    }

    /// `sitecheck --lang en args` in a wide pseudo-terminal: everything the terminal
    /// received (standard output and standard error alike) once the program has exited.
    fn in_terminal(&self, args: &[&str]) -> String {
        let mut all = vec!["--lang", "en"];
        all.extend_from_slice(args);
        let all: Vec<String> = all.iter().map(|a| (*a).to_owned()).collect();
        let mut pty = Pty::spawn(self.site.builder(BIN, &all, &[]), 200, 50);
        pty.wait_for_exit();
        pty.raw_output()
    }

    /// `sitecheck --lang en args` with standard output a pipe: (stdout bytes, stderr).
    fn in_pipe(&self, args: &[&str]) -> (Vec<u8>, String) {
        let out = Command::new(BIN)
            .args(["--lang", "en"])
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.root)
            .env("SITECHECK_CONFIG", self.site.config())
            .output()
            .expect("run sitecheck");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{args:?}: {stderr}"
        );
        (out.stdout, stderr)
    }
}

/// Fails when anything hostile reached the terminal; `shown` must be there (the hostile
/// text was printed, made harmless, not left out).
fn assert_safe(what: &str, raw: &str, shown: &[&str]) {
    for c in HAZARDS {
        assert!(!raw.contains(c), "{what}: {c:?} got through:\n{raw:?}");
    }
    for text in shown {
        assert!(raw.contains(text), "{what}: no {text:?} in\n{raw:?}");
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Every string in a JSON value, keys included.
fn strings(value: &Value, all: &mut Vec<String>) {
    match value {
        Value::String(s) => all.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, all)),
        Value::Object(members) => {
            for (key, v) in members {
                all.push(key.clone());
                strings(v, all);
            }
        }
        _ => {}
    }
}

fn holds_hostile(value: &Value) -> bool {
    let mut all = Vec::new();
    strings(value, &mut all);
    all.iter().any(|s| s.contains(HOSTILE))
}

/// A text command: what the terminal gets, and what a pipe gets on standard output and
/// standard error (text for people passes the sanitiser field by field, wherever it goes).
fn assert_text_safe(hostile: &Hostile, args: &[&str], shown: &[&str]) {
    let what = format!("{args:?}");
    assert_safe(&what, &hostile.in_terminal(args), shown);
    let (stdout, stderr) = hostile.in_pipe(args);
    let piped = format!("{}{stderr}", String::from_utf8(stdout).unwrap());
    assert_safe(&format!("{what} in a pipe"), &piped, shown);
}

#[test]
fn text_commands_show_hostile_text_harmlessly() {
    let hostile = Hostile::new();
    let data = hostile.data();
    let data = path(&data);
    let root = hostile.root.clone();
    let office = root.join("office");
    std::fs::create_dir_all(&office).unwrap();
    let hostile = &hostile;

    let show = ["--data-dir", data, "show", IDS[0]];
    assert_text_safe(hostile, &show, &["A\u{fffd}[2JB\u{fffd}31mC", IDS[0]]);
    let md = ["--data-dir", data, "show", IDS[0], "--format", "md"];
    assert_text_safe(hostile, &md, &["A\u{fffd}[2JB"]);
    // HTML escapes the hazards itself: a pipe or a file gets them as placeholders too.
    let sheet = ["--data-dir", data, "show", IDS[0], "--format", "html"];
    assert_text_safe(hostile, &sheet, &["A\u{fffd}[2JB\u{fffd}31mC"]);
    let report = ["--data-dir", data, "export", "--format", "html"];
    assert_text_safe(hostile, &report, &[]);
    let damaged = ["--data-dir", data, "show", IDS[1]];
    assert_text_safe(hostile, &damaged, &["unknown event \"A\u{fffd}[2JB"]);

    let list = ["--data-dir", data, "list"];
    assert_text_safe(hostile, &list, &[IDS[0], "A\u{fffd}[2JB"]);

    let verify = ["--data-dir", data, "verify"];
    assert_text_safe(
        hostile,
        &verify,
        &["unknown event \"A\u{fffd}[2JB\u{fffd}31mC"],
    );

    assert_text_safe(hostile, &["--data-dir", data, "stats"], &[]);

    // Twice: the terminal's import, then the pipe's, refuse the same logs.
    let usb = root.join("usb");
    assert_text_safe(
        hostile,
        &["--data-dir", path(&office), "import", path(&usb)],
        &[
            "A\u{fffd}[2JB\u{fffd}31mC\u{fffd}D\u{fffd}fdp.exe\u{fffd}E.jsonl: error: visit log refused",
            "but the log is visit 01JD0000000000000000000001A\u{fffd}[2J",
        ],
    );

    let checklists = root.join("checklists");
    assert_text_safe(
        hostile,
        &["lint", path(&checklists)],
        &[
            "A\u{fffd}[2JB\u{fffd}31mC",
            "unknown key \"k\u{fffd}[2J\u{fffd}31m",
        ],
    );
    // A file that cannot be read, named with an escape sequence: its error on stderr.
    let missing = root.join(format!("{HOSTILE}.yaml"));
    assert_text_safe(hostile, &["lint", path(&missing)], &["cannot read"]);
    // An error naming a visit given on the command line.
    assert_text_safe(hostile, &["--data-dir", data, "show", HOSTILE], &["error"]);
}

#[test]
fn csv_to_a_terminal_is_harmless_and_to_a_file_or_a_pipe_exact() {
    let hostile = Hostile::new();
    let data = hostile.data();
    let data = path(&data);
    for rows in ["answers", "visits"] {
        let args = [
            "--data-dir",
            data,
            "export",
            "--format",
            "csv",
            "--rows",
            rows,
        ];
        let raw = hostile.in_terminal(&args);
        assert_safe("export --format csv", &raw, &["A\u{fffd}[2JB\u{fffd}31m"]);

        let (piped, _) = hostile.in_pipe(&args);
        let file = hostile.root.join(format!("export-{rows}.csv"));
        let mut to_file = args.to_vec();
        to_file.extend_from_slice(&["--out", path(&file)]);
        hostile.in_pipe(&to_file);
        let written = std::fs::read(&file).unwrap();
        assert_eq!(
            piped, written,
            "{rows}: a pipe and a file get the same bytes"
        );
        assert!(
            String::from_utf8(written).unwrap().contains(HOSTILE),
            "{rows}: the file holds the text exactly"
        );
    }
}

#[test]
fn json_to_a_terminal_is_harmless_and_means_the_same() {
    let hostile = Hostile::new();
    let data = hostile.data();
    let data = path(&data);
    for args in [
        &["show", IDS[0], "--format", "json"][..],
        &["list", "--format", "json"][..],
    ] {
        let mut args_all = vec!["--data-dir", data];
        args_all.extend_from_slice(args);
        let raw = hostile.in_terminal(&args_all);
        assert_safe(
            &format!("{args:?}"),
            &raw,
            &["\\u001b[2J", "\\u009b", "\\u202e"],
        );
        let shown: Value = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{raw:?}"));

        let (piped, _) = hostile.in_pipe(&args_all);
        let piped = String::from_utf8(piped).unwrap();
        for c in ['\u{9b}', '\u{7f}', '\u{202e}', '\u{200b}'] {
            assert!(piped.contains(c), "{args:?}: a pipe gets {c:?} as it is");
        }
        let piped: Value = serde_json::from_str(&piped).unwrap();
        assert_eq!(shown, piped, "{args:?}");
        assert!(holds_hostile(&shown), "{args:?}: {shown}");
    }

    let args = ["--data-dir", data, "export", "--format", "jsonl"];
    let raw = hostile.in_terminal(&args);
    assert_safe("export --format jsonl", &raw, &["\\u001b[2J", "\\u009b"]);
    let parse = |text: &str| -> Vec<Value> {
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
    };
    let shown = parse(&raw);
    let (piped, _) = hostile.in_pipe(&args);
    let file = hostile.root.join("export.jsonl");
    let mut to_file = args.to_vec();
    to_file.extend_from_slice(&["--out", path(&file)]);
    hostile.in_pipe(&to_file);
    assert_eq!(
        piped,
        std::fs::read(&file).unwrap(),
        "a pipe and a file alike"
    );
    let piped = String::from_utf8(piped).unwrap();
    assert!(
        piped.contains("\u{9b}31mC\u{7f}D\u{202e}"),
        "exact in a pipe: {piped:?}"
    );
    assert_eq!(shown, parse(&piped));
    assert!(shown.iter().any(holds_hostile));
}
