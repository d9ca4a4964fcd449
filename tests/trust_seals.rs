//! Anchors against a rewritten log (SPEC section 5): seals made by the laptop's key, judged
//! by `verify` against the keys the office trusts, and receipt codes held against the log.
//! Each attack is written by hand, as someone without the laptop would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sitecheck::checklist::parse_str;
use sitecheck::keys::KeyDir;
use sitecheck::store::session::{Session, StartParams};
use sitecheck::visit::AnswerValue;
use store_support::{HandLog, Output, sitecheck_env};

const CHECKLIST: &str = r#"
sitecheck: 1
id: mini
version: "1"
title: { en: Mini visit, zh-CN: 小检查 }
sections:
  - id: s
    title: { en: Only, zh-CN: 唯一 }
    items:
      - { id: badge, prompt: { en: Badge shown, zh-CN: 出示上岗证 }, kind: pass_fail }
      - { id: drain, prompt: { en: Drain works, zh-CN: 排水通畅 }, kind: yes_no, expect: "yes" }
"#;

/// One machine: its data folder and its config folder (keys live beside the config).
struct Machine {
    data: PathBuf,
    config: PathBuf,
}

impl Machine {
    fn new(root: &Path, name: &str) -> Machine {
        let machine = Machine {
            data: root.join(name).join("data"),
            config: root.join(name).join("config").join("config.yaml"),
        };
        std::fs::create_dir_all(machine.config.parent().unwrap()).unwrap();
        std::fs::create_dir_all(&machine.data).unwrap();
        machine
    }

    fn run(&self, args: &[&str]) -> Output {
        let config = self.config.to_str().unwrap();
        sitecheck_env(&[&self.data], args, &[("SITECHECK_CONFIG", config)])
    }

    /// A finished visit of `technician`, sealed with this machine's key; (id, log).
    fn visit(&self, technician: &str) -> (String, PathBuf) {
        let mut session = Session::start(StartParams {
            data_dir: &self.data,
            checklist: parse_str(CHECKLIST).checklist.unwrap(),
            technician,
            lang: "en",
            fields: Map::new(),
        })
        .unwrap();
        let sealer = KeyDir::beside(&self.config).own_key().unwrap();
        session.seal_with(std::sync::Arc::new(sealer));
        session.answer("badge", AnswerValue::Pass);
        session.answer("drain", AnswerValue::No);
        assert!(session.finish());
        (session.visit_id().to_owned(), session.path().to_path_buf())
    }

    /// Trusts `laptop`'s key for `technician`.
    fn trust(&self, laptop: &Machine, technician: &str) {
        let card = laptop.run(&["keys", "show"]);
        assert_eq!(card.code, 0, "{}", card.stderr);
        let file = self.config.with_file_name(format!("{technician}.key"));
        std::fs::write(&file, card.stdout).unwrap();
        let file = file.to_str().unwrap();
        let trusted = self.run(&["keys", "trust", file, "--technician", technician]);
        assert_eq!(trusted.code, 0, "{}", trusted.stderr);
    }
}

/// A laptop and the office, each with its own data and config folders.
fn laptop_and_office(root: &Path) -> (Machine, Machine) {
    (Machine::new(root, "laptop"), Machine::new(root, "office"))
}

/// The command exited with `code` and its output says `text`.
fn says(out: &Output, code: i32, text: &str) {
    assert_eq!(out.code, code, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(text),
        "{text:?} not in:\n{}",
        out.stdout
    );
}

/// The bodies of a log's lines (each without its hash), as events.
fn bodies(path: &Path) -> Vec<Map<String, Value>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let mut object: Map<String, Value> = serde_json::from_str(line).unwrap();
            object.remove("hash");
            object
        })
        .collect()
}

/// Writes `bodies` as a log chained anew, `seq` renumbered: what someone with a text
/// editor and sha256 can do, and someone without the laptop's key cannot sign.
fn rechain(path: &Path, bodies: &[Map<String, Value>]) {
    let mut log = HandLog::default();
    for (seq, body) in bodies.iter().enumerate() {
        let mut body = body.clone();
        body.insert("seq".into(), Value::from(seq));
        log.push(&serde_json::to_string(&body).unwrap());
    }
    std::fs::write(path, log.text()).unwrap();
}

fn event(body: &Map<String, Value>) -> &str {
    body["event"].as_str().unwrap()
}

#[test]
fn a_sealed_visit_verifies_as_sealed_by_its_technicians_trusted_key() {
    let root = tempfile::tempdir().unwrap();
    let (laptop, office) = laptop_and_office(root.path());
    let (id, log) = laptop.visit("zhang.san");
    let events: Vec<String> = bodies(&log).iter().map(|b| event(b).to_owned()).collect();
    assert_eq!(
        events.last().map(String::as_str),
        Some("sealed"),
        "{events:?}"
    );
    assert_eq!(events[events.len() - 2], "finished");

    // Before the office trusts the laptop: sealed, by a key not trusted here (no error).
    let before = office.run(&["--data-dir", laptop.data.to_str().unwrap(), "verify", &id]);
    assert_eq!(before.code, 0, "{}{}", before.stdout, before.stderr);
    assert!(
        before.stdout.contains("sealed by a key not trusted here"),
        "{}",
        before.stdout
    );

    office.trust(&laptop, "zhang.san");
    let after = office.run(&["--data-dir", laptop.data.to_str().unwrap(), "verify", &id]);
    assert_eq!(after.code, 0, "{}", after.stdout);
    assert!(
        after
            .stdout
            .contains("sealed by a key trusted for zhang.san"),
        "{}",
        after.stdout
    );
    assert!(
        after.stdout.contains("seals: 1 by a trusted key"),
        "{}",
        after.stdout
    );
    let listed = office.run(&["keys", "list"]);
    assert!(
        listed.stdout.starts_with("zhang.san  "),
        "{}",
        listed.stdout
    );
}

#[test]
fn a_log_rechained_without_the_laptop_key_fails_its_seal() {
    let root = tempfile::tempdir().unwrap();
    let (laptop, office) = laptop_and_office(root.path());
    office.trust(&laptop, "zhang.san");
    let data = laptop.data.to_str().unwrap();

    // The drain answer changed and the chain made whole again, the seal kept as it was.
    let (id, log) = laptop.visit("zhang.san");
    rewrite_drain(&log);
    let out = office.run(&["--data-dir", data, "verify", &id]);
    says(
        &out,
        1,
        "the seal names a head that is not the hash of the line before it",
    );

    // The seals dropped as well: unsealed, which a laptop whose key is trusted never leaves.
    let (id, log) = laptop.visit("zhang.san");
    let unsealed: Vec<_> = bodies(&log)
        .into_iter()
        .filter(|b| event(b) != "sealed")
        .collect();
    rechain(&log, &unsealed);
    let out = office.run(&["--data-dir", data, "verify", &id]);
    says(
        &out,
        1,
        "unsealed, although zhang.san's laptop seals every visit",
    );
}

#[test]
fn a_seal_copied_from_another_visit_does_not_hold() {
    let root = tempfile::tempdir().unwrap();
    let laptop = Machine::new(root.path(), "laptop");
    let (_, first) = laptop.visit("zhang.san");
    let (id, second) = laptop.visit("zhang.san");
    let copied = bodies(&first).pop().unwrap();
    assert_eq!(event(&copied), "sealed");
    // The second visit's own seal replaced by the first's, its head set to fit the line
    // before: the signature is of another visit's line.
    let mut forged = bodies(&second);
    forged.pop();
    let mut log = HandLog::default();
    for body in &forged {
        log.push(&serde_json::to_string(body).unwrap());
    }
    let mut seal = copied.clone();
    seal.insert("seq".into(), Value::from(forged.len()));
    seal.insert("head".into(), Value::from(log.last_hash()));
    log.push(&serde_json::to_string(&seal).unwrap());
    std::fs::write(&second, log.text()).unwrap();
    let out = laptop.run(&["verify", &id]);
    says(&out, 1, "the seal's signature does not hold");
    // Every reader reaches that verdict: `list` marks the visit damaged.
    let list = laptop.run(&["list", "--format", "json"]);
    let visits: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    let listed = visits.iter().find(|v| v["visit"] == id.as_str()).unwrap();
    assert_eq!(listed["integrity"]["state"], "damaged", "{listed}");
}

#[test]
fn a_key_trusted_for_another_technician_does_not_vouch_for_this_one() {
    let root = tempfile::tempdir().unwrap();
    let (laptop, office) = laptop_and_office(root.path());
    office.trust(&laptop, "li.si");
    let (id, _) = laptop.visit("zhang.san");
    let out = office.run(&["--data-dir", laptop.data.to_str().unwrap(), "verify", &id]);
    says(&out, 1, "sealed by li.si's key, not zhang.san's");
}

#[test]
fn a_forged_amendment_is_unsealed_and_named() {
    let root = tempfile::tempdir().unwrap();
    let (laptop, office) = laptop_and_office(root.path());
    office.trust(&laptop, "zhang.san");
    let (id, log) = laptop.visit("zhang.san");
    let mut forged = bodies(&log);
    let mut amended = Map::new();
    for (key, value) in [
        ("seq", Value::from(0)),
        ("event", Value::from("amended")),
        ("at", Value::from("2026-11-23T09:00:00.000+08:00")),
        ("ms", Value::from(999_999)),
        ("item", Value::from("drain")),
        ("value", Value::from("yes")),
        ("note", Value::Null),
        ("reason", Value::from("re-tested")),
    ] {
        amended.insert(key.into(), value);
    }
    forged.push(amended);
    rechain(&log, &forged);
    let out = office.run(&["--data-dir", laptop.data.to_str().unwrap(), "verify", &id]);
    says(&out, 1, "unsealed, although");
}

#[test]
fn a_receipt_is_held_by_its_log_and_not_by_a_rewritten_one() {
    let root = tempfile::tempdir().unwrap();
    let laptop = Machine::new(root.path(), "laptop");
    let (id, log) = laptop.visit("zhang.san");
    let shown = laptop.run(&["show", &id]);
    let receipt = shown
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("Receipt"))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no receipt in:\n{}", shown.stdout))
        .to_owned();
    assert_eq!(receipt.len(), 11, "{receipt}");
    let json: Value =
        serde_json::from_str(&laptop.run(&["show", &id, "--format", "json"]).stdout).unwrap();
    assert_eq!(json["receipt"], receipt.as_str());

    let held = laptop.run(&["verify", &id, "--receipt", &receipt.to_lowercase()]);
    assert_eq!(held.code, 0, "{}", held.stdout);
    assert!(
        held.stdout
            .contains(&format!("receipt {receipt}: held — line")),
        "{}",
        held.stdout
    );
    assert!(held.stdout.contains("(finished at"), "{}", held.stdout);

    // Rewritten (the drain passed after all) and re-chained: the receipt is not in it.
    rewrite_drain(&log);
    let out = laptop.run(&["verify", &id, "--receipt", &receipt]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains(&format!("receipt {receipt}: not in this log")),
        "{}",
        out.stdout
    );

    let bad = laptop.run(&["verify", &id, "--receipt", "12345"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("is not a receipt code"),
        "{}",
        bad.stderr
    );
}

#[test]
fn a_receipt_held_with_later_amendments_lists_them() {
    let root = tempfile::tempdir().unwrap();
    let laptop = Machine::new(root.path(), "laptop");
    let (id, log) = laptop.visit("zhang.san");
    let receipt = sitecheck::log::receipt::receipt_code(
        bodies(&log)
            .iter()
            .zip(std::fs::read_to_string(&log).unwrap().lines())
            .find(|(b, _)| event(b) == "finished")
            .map(|(_, line)| {
                serde_json::from_str::<Value>(line).unwrap()["hash"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .unwrap()
            .as_str(),
    )
    .unwrap();
    let mut session = Session::resume(&laptop.data, &log).unwrap();
    session.seal_with(std::sync::Arc::new(
        KeyDir::beside(&laptop.config).own_key().unwrap(),
    ));
    session
        .amend(
            Some("zhang.san"),
            "drain",
            AnswerValue::Yes,
            None,
            "re-tested after follow-up",
        )
        .unwrap();
    drop(session);
    let out = laptop.run(&["verify", &id, "--receipt", &receipt]);
    says(&out, 0, "later: line");
    assert!(out.stdout.contains("drain amended at"), "{}", out.stdout);
    assert!(
        out.stdout.contains("(re-tested after follow-up)"),
        "{}",
        out.stdout
    );
}

/// Imports `from`'s data folder into `office`; the import's output.
fn import(office: &Machine, from: &Machine) -> Output {
    office.run(&["import", from.data.to_str().unwrap()])
}

/// A log rewritten with the drain passed after all, its chain made whole again.
fn rewrite_drain(log: &Path) {
    let mut changed = bodies(log);
    for body in &mut changed {
        if body.get("item").and_then(Value::as_str) == Some("drain") {
            body.insert("value".into(), Value::from("yes"));
        }
    }
    rechain(log, &changed);
}

fn office_copy(office: &Machine, laptop_log: &Path) -> PathBuf {
    let month = laptop_log.parent().unwrap().file_name().unwrap();
    office
        .data
        .join("visits")
        .join(month)
        .join(laptop_log.file_name().unwrap())
}

#[test]
fn a_log_rechained_at_the_office_breaks_the_ledger_and_its_seal() {
    let root = tempfile::tempdir().unwrap();
    let (laptop, office) = laptop_and_office(root.path());
    office.trust(&laptop, "zhang.san");
    let (id, log) = laptop.visit("zhang.san");
    assert_eq!(import(&office, &laptop).code, 0);
    let clean = office.run(&["verify"]);
    assert_eq!(clean.code, 0, "{}", clean.stdout);

    rewrite_drain(&office_copy(&office, &log));
    let out = office.run(&["verify", &id]);
    says(
        &out,
        1,
        "the log no longer begins with the lines imported on",
    );
    assert!(
        out.stdout
            .contains("the seal names a head that is not the hash"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_log_rewritten_alike_in_both_places_is_still_caught_and_never_replaces_the_first_seen() {
    let root = tempfile::tempdir().unwrap();
    let (laptop, office) = laptop_and_office(root.path());
    let (id, log) = laptop.visit("zhang.san");
    assert_eq!(import(&office, &laptop).code, 0);
    let ledger_before = std::fs::read_to_string(office.data.join("ledger.jsonl")).unwrap();

    rewrite_drain(&log);
    std::fs::copy(&log, office_copy(&office, &log)).unwrap();
    let again = import(&office, &laptop);
    says(&again, 1, "rewritten");
    let ledger_after = std::fs::read_to_string(office.data.join("ledger.jsonl")).unwrap();
    assert_eq!(
        ledger_after, ledger_before,
        "the first-seen hash stays, nothing added"
    );
    let out = office.run(&["verify", &id]);
    says(&out, 1, "no longer begins with the lines imported");
}

#[test]
fn an_edited_ledger_shows() {
    let root = tempfile::tempdir().unwrap();
    let (laptop, office) = laptop_and_office(root.path());
    let (_, log) = laptop.visit("zhang.san");
    assert_eq!(import(&office, &laptop).code, 0);
    // Someone makes the ledger agree with a rewritten office copy.
    let copy = office_copy(&office, &log);
    let old_last = bodies(&copy).len();
    rewrite_drain(&copy);
    let new_hash = std::fs::read_to_string(&copy)
        .unwrap()
        .lines()
        .nth(old_last - 1)
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["hash"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .unwrap();
    let path = office.data.join("ledger.jsonl");
    let ledger = std::fs::read_to_string(&path).unwrap();
    let entry: Value = serde_json::from_str(ledger.lines().next().unwrap()).unwrap();
    let old_hash = entry["last_hash"].as_str().unwrap().to_owned();
    std::fs::write(&path, ledger.replace(&old_hash, &new_hash)).unwrap();

    let out = office.run(&["verify"]);
    says(
        &out,
        1,
        "ledger.jsonl:1: error: the import ledger was edited",
    );
}

#[test]
fn a_review_of_a_line_the_log_never_had_is_a_review_of_a_different_log() {
    let root = tempfile::tempdir().unwrap();
    let laptop = Machine::new(root.path(), "laptop");
    let (id, _) = laptop.visit("zhang.san");
    store_support::write_reviews(
        &laptop.data,
        &id,
        &[(&"cd".repeat(32), "approved", "ok", None)],
    );
    let out = laptop.run(&["verify", &id]);
    says(&out, 1, "review of a different log");
}

/// `scripts/verify_log.py`, the 60-line checker in another language (SPEC section 5: anyone
/// can verify), run by the system Python with its `cryptography` package.
fn python_verify(log: &Path, extra: &[&str]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/verify_log.py");
    let out = std::process::Command::new("/usr/bin/python3")
        .arg(script)
        .arg(log)
        .args(extra)
        .output()
        .expect("/usr/bin/python3 (with python3-cryptography; .ci/run installs both)");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_script_in_another_language_checks_the_chain_the_seal_and_the_receipt() {
    let root = tempfile::tempdir().unwrap();
    let laptop = Machine::new(root.path(), "laptop");
    let (id, log) = laptop.visit("zhang.san");
    let shown: Value =
        serde_json::from_str(&laptop.run(&["show", &id, "--format", "json"]).stdout).unwrap();
    let receipt = shown["receipt"].as_str().unwrap().to_owned();
    let key = shown["sealed_by"].as_str().unwrap().to_owned();

    let out = python_verify(&log, &["--receipt", &receipt, "--key", &key]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("seal holds"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains(&format!("receipt {receipt}: held by line")),
        "{}",
        out.stdout
    );

    let other_key = KeyDir::beside(&root.path().join("elsewhere/config.yaml"))
        .own_key()
        .unwrap();
    let out = python_verify(&log, &["--key", other_key.key_id()]);
    assert_eq!(out.code, 1, "{}", out.stdout);

    // Rewritten and re-chained: the chain holds, the seal and the receipt do not.
    rewrite_drain(&log);
    let out = python_verify(&log, &["--receipt", &receipt]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("chain holds"), "{}", out.stdout);
    assert!(
        out.stdout.contains("the seal does not hold"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("not in this log"), "{}", out.stdout);

    // Altered without re-chaining: the chain breaks.
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.replacen("\"yes\"", "\"no\"", 1)).unwrap();
    let out = python_verify(&log, &[]);
    says(&out, 1, "the hash chain breaks here");
}

#[test]
fn a_seal_a_crash_left_unwritten_is_written_on_the_next_open() {
    let root = tempfile::tempdir().unwrap();
    let (laptop, office) = laptop_and_office(root.path());
    office.trust(&laptop, "zhang.san");
    let (id, log) = laptop.visit("zhang.san");
    // The battery died between the finished line and its seal.
    let text = std::fs::read_to_string(&log).unwrap();
    let without_seal: Vec<&str> = text.lines().collect();
    let (last, rest) = without_seal.split_last().unwrap();
    assert!(last.contains("\"event\":\"sealed\""), "{last}");
    std::fs::write(&log, rest.join("\n") + "\n").unwrap();
    let data = laptop.data.to_str().unwrap();
    says(
        &office.run(&["--data-dir", data, "verify", &id]),
        1,
        "unsealed, although",
    );

    // Opened again on the laptop (to look at it, or to amend it): the seal is written.
    let mut session = Session::resume(&laptop.data, &log).unwrap();
    session.seal_with(std::sync::Arc::new(
        KeyDir::beside(&laptop.config).own_key().unwrap(),
    ));
    drop(session);
    let events: Vec<String> = bodies(&log).iter().map(|b| event(b).to_owned()).collect();
    assert_eq!(
        events[events.len() - 2..],
        ["finished", "sealed"],
        "{events:?}"
    );
    says(
        &office.run(&["--data-dir", data, "verify", &id]),
        0,
        "sealed by a key trusted for zhang.san",
    );
}
