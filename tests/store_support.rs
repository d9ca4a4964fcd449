//! Helpers for the `store_*` tests: stores written BY HAND, line by line, with the hash
//! chain computed here from SPEC section 5 (not by sitecheck's own writer), and running the
//! `sitecheck` binary over them.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// A small checklist with what the tests need: a critical item, N/A, a rating with a
/// target, a text item, and header fields.
pub const CHECKLIST: &str = r#"sitecheck: 1
id: mini
version: "1"
title: { en: Mini visit, zh-CN: 小检查 }
languages: [en, zh-CN]
visit_fields:
  - { id: work_order, label: Work order, kind: text, required: true }
  - { id: customer, label: Customer, kind: text }
sections:
  - id: arrival
    title: Arrival
    items:
      - { id: badge, prompt: Show the badge, kind: pass_fail, severity: critical }
      - { id: clean, prompt: Site cleaned, kind: pass_fail, allow_na: true }
  - id: survey
    title: Survey
    items:
      - { id: satisfaction, prompt: Customer satisfaction, kind: rating }
      - { id: remarks, prompt: Remarks, kind: text, required: false }
targets:
  - { name: satisfaction, item: satisfaction, at_least: 4, rate: 0.75 }
"#;

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A log being written by hand: each body gets `,"hash":"..."}` from the previous hash.
#[derive(Clone, Debug, Default)]
pub struct HandLog {
    pub lines: Vec<String>,
    pub prev: String,
}

impl HandLog {
    /// Appends a line whose body (a one-line JSON object, without `hash`) is `body`.
    pub fn push(&mut self, body: &str) -> &mut Self {
        let hash = sha256_hex(format!("{}\n{}", self.prev, body).as_bytes());
        let head = body.strip_suffix('}').expect("a JSON object");
        self.lines.push(format!("{head},\"hash\":\"{hash}\"}}"));
        self.prev = hash;
        self
    }

    pub fn text(&self) -> String {
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }

    pub fn last_hash(&self) -> String {
        self.prev.clone()
    }
}

/// A JSON string literal.
pub fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// A visit written by hand: `started`, then whatever the test adds.
pub struct Visit {
    pub id: String,
    pub month: String,
    pub log: HandLog,
    day: String,
}

impl Visit {
    /// Starts a visit on `day` (`2026-11-22`) at 10:00 +08:00.
    pub fn start(id: &str, day: &str, technician: &str, fields: &[(&str, &str)]) -> Visit {
        let fields: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}:{}", q(k), q(v)))
            .collect();
        let body = format!(
            r#"{{"seq":0,"event":"started","at":"{day}T10:00:00.000+08:00","ms":0,"visit":{},"technician":{},"host":"tb-0001","app":"hand","lang":"en","checklist":{{"id":"mini","version":"1","sha256":"{}","source":{}}},"fields":{{{}}}}}"#,
            q(id),
            q(technician),
            sha256_hex(CHECKLIST.as_bytes()),
            q(CHECKLIST),
            fields.join(",")
        );
        let mut log = HandLog::default();
        log.push(&body);
        Visit {
            id: id.to_owned(),
            month: day.get(..7).unwrap().to_owned(),
            log,
            day: day.to_owned(),
        }
    }

    fn seq(&self) -> usize {
        self.log.lines.len()
    }

    fn at(&self, seconds: u64) -> String {
        format!(
            "{}T10:{:02}:{:02}.000+08:00",
            self.day,
            (seconds / 60) % 60,
            seconds % 60
        )
    }

    /// An `answered` event `seconds` into the visit; `value` is raw JSON.
    pub fn answer(
        &mut self,
        seconds: u64,
        item: &str,
        value: &str,
        note: Option<&str>,
    ) -> &mut Self {
        let body = format!(
            r#"{{"seq":{},"event":"answered","at":"{}","ms":{},"item":{},"value":{value},"note":{}}}"#,
            self.seq(),
            self.at(seconds),
            seconds * 1000,
            q(item),
            note.map_or("null".to_owned(), q)
        );
        self.log.push(&body);
        self
    }

    pub fn finish(&mut self, seconds: u64) -> &mut Self {
        let body = format!(
            r#"{{"seq":{},"event":"finished","at":"{}","ms":{},"summary":{{"score":1.0,"result":"pass","passed":3,"failed":0,"na":0,"missing":0}}}}"#,
            self.seq(),
            self.at(seconds),
            seconds * 1000
        );
        self.log.push(&body);
        self
    }

    pub fn amend(&mut self, seconds: u64, item: &str, value: &str, reason: &str) -> &mut Self {
        let body = format!(
            r#"{{"seq":{},"event":"amended","at":"{}","ms":{},"item":{},"value":{value},"note":null,"reason":{}}}"#,
            self.seq(),
            self.at(seconds),
            seconds * 1000,
            q(item),
            q(reason)
        );
        self.log.push(&body);
        self
    }

    /// An `amended` event as sitecheck writes it now, naming who made it; `item` `None`
    /// answers the supervisor's general comment (`"item":null,"value":null`).
    pub fn amend_by(
        &mut self,
        seconds: u64,
        item: Option<(&str, &str)>,
        note: Option<&str>,
        reason: &str,
        technician: &str,
    ) -> &mut Self {
        let (item, value) = item.map_or(("null".to_owned(), "null"), |(i, v)| (q(i), v));
        let body = format!(
            r#"{{"seq":{},"event":"amended","at":"{}","ms":{},"item":{item},"value":{value},"note":{},"reason":{},"technician":{},"host":"tb-0001"}}"#,
            self.seq(),
            self.at(seconds),
            seconds * 1000,
            note.map_or("null".to_owned(), q),
            q(reason),
            q(technician)
        );
        self.log.push(&body);
        self
    }

    /// A typical finished visit: every item answered 30 s apart.
    pub fn finished(id: &str, day: &str, technician: &str, rating: u8) -> Visit {
        let mut v = Visit::start(id, day, technician, &[("work_order", "WO-1")]);
        v.answer(30, "badge", "\"pass\"", None)
            .answer(60, "clean", "\"pass\"", None)
            .answer(90, "satisfaction", &rating.to_string(), None)
            .finish(120);
        v
    }

    pub fn path_in(&self, data: &Path) -> PathBuf {
        data.join("visits")
            .join(&self.month)
            .join(format!("{}.jsonl", self.id))
    }

    /// Writes the log into a store; returns its path.
    pub fn write(&self, data: &Path) -> PathBuf {
        let path = self.path_in(data);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, self.log.text()).unwrap();
        path
    }
}

/// A review log by hand: `(visit_hash, verdict, comment, item)` per line.
pub fn write_reviews(
    data: &Path,
    visit: &str,
    reviews: &[(&str, &str, &str, Option<&str>)],
) -> PathBuf {
    let mut log = HandLog::default();
    for (seq, (visit_hash, verdict, comment, item)) in reviews.iter().enumerate() {
        let item = item.map_or(String::new(), |i| format!(",\"item\":{}", q(i)));
        log.push(&format!(
            r#"{{"seq":{seq},"event":"review","at":"2026-11-25T09:00:0{seq}.000+08:00","visit":{},"visit_hash":"{visit_hash}","reviewer":"wang.supervisor","verdict":"{verdict}","comment":{}{item}}}"#,
            q(visit),
            q(comment)
        ));
    }
    let path = data.join("reviews").join(format!("{visit}.jsonl"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, log.text()).unwrap();
    path
}

/// Ids that are valid ULIDs, in time order.
pub const IDS: [&str; 6] = [
    "01JD0000000000000000000001",
    "01JD0000000000000000000002",
    "01JD0000000000000000000003",
    "01JD0000000000000000000004",
    "01JD0000000000000000000005",
    "01JD0000000000000000000006",
];

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `sitecheck` with `args` over the data folders given, with no config and no cache
/// surprises from the environment.
pub fn sitecheck(data: &[&Path], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sitecheck"));
    for dir in data {
        command.arg("--data-dir").arg(dir);
    }
    let config = std::env::temp_dir().join("sitecheck-store-tests-no-config.yaml");
    command
        .args(args)
        .env_remove("SITECHECK_DATA_DIR")
        .env_remove("SITECHECK_TECHNICIAN")
        .env_remove("SITECHECK_CHECKLISTS")
        .env("SITECHECK_CONFIG", config)
        .env("LANG", "C");
    let out = command.output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `list --format json`, parsed.
pub fn list_json(data: &[&Path], extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["list", "--format", "json"];
    args.extend_from_slice(extra);
    let out = sitecheck(data, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str::<Vec<serde_json::Value>>(&out.stdout).unwrap()
}

impl Visit {
    /// As `start`, but the `started` event names the visit `member` while the file is
    /// named for `id`: a log whose `visit` member is anything a file can hold.
    pub fn start_as(
        id: &str,
        member: &str,
        day: &str,
        technician: &str,
        fields: &[(&str, &str)],
    ) -> Visit {
        let mut visit = Visit::start(member, day, technician, fields);
        visit.id = id.to_owned();
        visit
    }

    /// Appends a line whose event is named `event` (a name sitecheck does not know).
    pub fn unknown_event(&mut self, seconds: u64, event: &str) -> &mut Self {
        let body = format!(
            r#"{{"seq":{},"event":{},"at":"{}","ms":{}}}"#,
            self.seq(),
            q(event),
            self.at(seconds),
            seconds * 1000
        );
        self.log.push(&body);
        self
    }
}

/// Runs `sitecheck` as `sitecheck` does, with `env` set as well.
pub fn sitecheck_env(data: &[&Path], args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sitecheck"));
    for dir in data {
        command.arg("--data-dir").arg(dir);
    }
    let config = std::env::temp_dir().join("sitecheck-store-tests-no-config.yaml");
    command
        .args(args)
        .env_remove("SITECHECK_DATA_DIR")
        .env_remove("SITECHECK_TECHNICIAN")
        .env_remove("SITECHECK_CHECKLISTS")
        .env_remove("SITECHECK_NO_CACHE")
        .env("SITECHECK_CONFIG", config)
        .env("LANG", "C")
        .envs(env.iter().copied());
    let out = command.output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `list --format json` of every log read afresh (`SITECHECK_NO_CACHE=1`): what any cache
/// must agree with.
pub fn list_json_uncached(data: &[&Path]) -> Vec<serde_json::Value> {
    let out = sitecheck_env(
        data,
        &["list", "--format", "json"],
        &[("SITECHECK_NO_CACHE", "1")],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str::<Vec<serde_json::Value>>(&out.stdout).unwrap()
}

/// Writes `text` as a visit's log, as it is (a torn or altered log).
pub fn write_log_text(data: &Path, visit: &Visit, text: &str) -> PathBuf {
    let path = visit.path_in(data);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}
