//! A technician's laptop for one test: a temporary data folder and config file, and the
//! `sitecheck` binary started against them, in a pseudo-terminal or as a plain process.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use portable_pty::CommandBuilder;
use sitecheck::log::{Event, EventKind, read_log};
use tempfile::TempDir;

use super::pty::Pty;

pub const BIN: &str = env!("CARGO_BIN_EXE_sitecheck");
pub const TECHNICIAN: &str = "zhang.san";

/// The `--field` values that fill every required header field of `appliance-install`
/// (and two optional ones), so a visit starts straight on its first item.
pub const APPLIANCE_FIELDS: &[(&str, &str)] = &[
    ("work_order", "WO-2026-0042"),
    ("customer", "Li Si"),
    ("phone", "+86 138 0013 8000"),
    ("address", "12 Jiefang Road, Qingdao"),
    ("floor", "5"),
    ("appointment", "2026-11-22 14:30"),
    ("visit_type", "new_install"),
];

pub struct Site {
    dir: TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        Site { dir }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The evidence inbox of this laptop (`SITECHECK_EVIDENCE_INBOX`); made on first use.
    pub fn inbox(&self) -> PathBuf {
        self.dir.path().join("inbox")
    }

    /// Puts a small real photo (PNG) named `name` in the inbox; returns its path.
    pub fn photo_in_inbox(&self, name: &str, shade: u8) -> PathBuf {
        std::fs::create_dir_all(self.inbox()).expect("make the inbox");
        let path = self.inbox().join(name);
        std::fs::write(&path, tiny_png(shade)).expect("write a photo");
        path
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("config.yaml")
    }

    /// A clean environment: nothing from the developer's shell leaks in (no
    /// `SITECHECK_*`, no `RUST_BACKTRACE`, no `NO_COLOR`).
    fn env(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HOME", self.dir.path().into()),
            ("TERM", "xterm-256color".into()),
            ("SITECHECK_CONFIG", self.config().into()),
            // A laptop in China: times without an offset are read in its +08:00.
            ("TZ", "Asia/Shanghai".into()),
            // The evidence picker lists this folder (the test puts photos in it).
            ("SITECHECK_EVIDENCE_INBOX", self.inbox().into()),
            // The VT parser of these tests answers no terminal query: no thumbnails unless
            // a test asks for half blocks.
            ("SITECHECK_IMAGES", "off".into()),
        ]
    }

    /// `--data-dir ... --technician ... --lang LANG` then `args`.
    pub fn args(&self, lang: &str, args: &[&str]) -> Vec<String> {
        self.args_as(TECHNICIAN, lang, args)
    }

    /// `args`, for the laptop of `technician` (or the office of a supervisor so named).
    pub fn args_as(&self, technician: &str, lang: &str, args: &[&str]) -> Vec<String> {
        let mut all = vec![
            "--data-dir".to_owned(),
            self.data().display().to_string(),
            "--technician".to_owned(),
            technician.to_owned(),
            "--lang".to_owned(),
            lang.to_owned(),
        ];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        all
    }

    /// `program args` in this site's environment, for a pseudo-terminal.
    pub fn builder(
        &self,
        program: &str,
        args: &[String],
        extra_env: &[(&str, &str)],
    ) -> CommandBuilder {
        let mut builder = CommandBuilder::new(program);
        builder.args(args);
        builder.env_clear();
        for (key, value) in self.env() {
            builder.env(key, value);
        }
        for (key, value) in extra_env {
            builder.env(key, value);
        }
        builder.cwd(self.dir.path());
        builder
    }

    /// `sitecheck --lang en args` in an 80x24 pseudo-terminal.
    pub fn spawn(&self, args: &[&str]) -> Pty {
        self.spawn_in("en", 80, 24, args)
    }

    pub fn spawn_in(&self, lang: &str, cols: u16, rows: u16, args: &[&str]) -> Pty {
        Pty::spawn(self.builder(BIN, &self.args(lang, args), &[]), cols, rows)
    }

    /// `sitecheck --technician TECHNICIAN --lang en args` in an 80x24 pseudo-terminal.
    pub fn spawn_as(&self, technician: &str, args: &[&str]) -> Pty {
        Pty::spawn(
            self.builder(BIN, &self.args_as(technician, "en", args), &[]),
            80,
            24,
        )
    }

    /// `sitecheck --lang en args` as a plain process, its output captured.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_as(TECHNICIAN, args)
    }

    /// `run`, as `technician`.
    pub fn run_as(&self, technician: &str, args: &[&str]) -> Output {
        let mut command = Command::new(BIN);
        command
            .args(self.args_as(technician, "en", args))
            .env_clear()
            .envs(self.env())
            .current_dir(self.dir.path());
        command.output().expect("run sitecheck")
    }

    /// `--field KEY=VALUE` arguments for `fields`.
    pub fn field_args(fields: &[(&str, &str)]) -> Vec<String> {
        fields
            .iter()
            .flat_map(|(k, v)| ["--field".to_owned(), format!("{k}={v}")])
            .collect()
    }

    /// Every visit log in the data folder, sorted by visit id (start time).
    pub fn visit_logs(&self) -> Vec<(String, PathBuf)> {
        sitecheck::store::layout::visit_logs(&self.data())
    }

    /// The one visit of this site.
    pub fn only_visit(&self) -> (String, PathBuf) {
        let mut logs = self.visit_logs();
        assert_eq!(logs.len(), 1, "expected one visit, found {logs:?}");
        logs.remove(0)
    }
}

/// A log's events, asserting that it verifies with no problem and no torn tail.
pub fn clean_events(path: &Path) -> Vec<Event> {
    let read = read_log(path).expect("read the log");
    assert!(
        read.is_clean(),
        "{}: {:?} {:?}",
        path.display(),
        read.problems,
        read.torn
    );
    read.events
}

/// Event names, in order: `["started", "answered", ...]`.
pub fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

/// The `answered` events as (item, value).
pub fn answers(events: &[Event]) -> Vec<(String, serde_json::Value)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Answered { item, value, .. } => Some((item.clone(), value.clone())),
            _ => None,
        })
        .collect()
}

/// Asserts `seq` runs 0, 1, 2 ... and `ms` never goes down.
pub fn assert_contiguous(events: &[Event]) {
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event.seq, i as u64, "seq of event {i}");
    }
    for pair in events.windows(2) {
        assert!(
            pair[1].ms >= pair[0].ms,
            "ms went down from seq {} ({}) to seq {} ({})",
            pair[0].seq,
            pair[0].ms,
            pair[1].seq,
            pair[1].ms
        );
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A real 4x4 PNG of one grey `shade` (different shades: different files, different hashes).
pub fn tiny_png(shade: u8) -> Vec<u8> {
    let mut png = Vec::new();
    image::GrayImage::from_pixel(4, 4, image::Luma([shade]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode a PNG");
    png
}
