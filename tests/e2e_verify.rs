//! `sitecheck verify` on a finished visit and on four tampered copies of it: each copy
//! fails (exit 1) naming the visit and the line that was tampered with.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::site::{Site, stdout};
use serde_json::{Map, json};
use sitecheck::checklist::parse_str;
use sitecheck::log::chain::{seal, split};
use sitecheck::log::{ChecklistRef, EventKind, StartInfo, Summary, VisitWriter};
use ulid::Ulid;

const CHECKLIST: &str = include_str!("../checklists/appliance-install.yaml");

fn answered(item: &str, value: serde_json::Value) -> EventKind {
    EventKind::Answered {
        item: item.to_owned(),
        value,
        note: None,
    }
}

/// A finished visit written through the log's own writer: six lines.
fn write_finished_visit(data: &Path) -> (String, PathBuf) {
    let checklist = parse_str(CHECKLIST)
        .checklist
        .expect("the bundled checklist");
    let mut fields = Map::new();
    fields.insert("work_order".into(), json!("WO-2026-0042"));
    let info = StartInfo {
        technician: "zhang.san".into(),
        host: "tb-0042".into(),
        app: "sitecheck 0.1.0".into(),
        lang: "en".into(),
        checklist: ChecklistRef {
            id: checklist.id.clone(),
            version: checklist.version.clone(),
            sha256: checklist.sha256.clone(),
            source: checklist.source.clone(),
        },
        fields,
    };
    let id = Ulid::new();
    let (mut writer, _) = VisitWriter::create(data, id, info).unwrap();
    for kind in [
        answered("badge", json!("pass")),
        answered("arrived_on_time", json!("yes")),
        answered("shoe_covers", json!("done")),
        EventKind::Noted {
            item: "shoe_covers".into(),
            note: "new covers".into(),
        },
        EventKind::Finished {
            summary: Summary {
                score: Some(1.0),
                result: "pass".into(),
                passed: 3,
                failed: 0,
                na: 0,
                missing: 0,
            },
        },
    ] {
        writer.append(kind).unwrap();
    }
    (id.to_string(), writer.path().to_owned())
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// A copy of the visit in a data folder of its own, its lines changed by `tamper`.
fn tampered_copy(original: &Path, id: &str, tamper: impl FnOnce(&mut Vec<String>)) -> Site {
    let site = Site::new();
    let month = original.parent().unwrap().file_name().unwrap();
    let dir = site.data().join("visits").join(month);
    fs::create_dir_all(&dir).unwrap();
    let mut text = lines(original);
    tamper(&mut text);
    fs::write(dir.join(format!("{id}.jsonl")), text.join("\n") + "\n").unwrap();
    site
}

/// Runs `verify`; asserts it fails and reports exactly one error, naming the visit and
/// `line`, with `reason`.
fn assert_verify_names(site: &Site, id: &str, line: usize, reason: &str) {
    let output = site.run(&["verify"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{out}");
    let expected = format!(".jsonl:{line}: error: visit {id}: {reason}");
    assert!(
        errors[0].contains(&expected),
        "expected {expected:?} in:\n{out}"
    );
    assert!(out.contains("1 visit checked: 1 with problems"), "{out}");
}

#[test]
fn verify_names_each_kind_of_tampering_with_its_line() {
    let original = Site::new();
    let (id, path) = write_finished_visit(&original.data());
    assert_eq!(lines(&path).len(), 6);
    let output = original.run(&["verify", &id]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    // A value changed: arrived on time, "yes" -> "no".
    let changed = tampered_copy(&path, &id, |lines| {
        assert!(lines[2].contains(r#""value":"yes""#));
        lines[2] = lines[2].replace(r#""value":"yes""#, r#""value":"no""#);
    });
    assert_verify_names(
        &changed,
        &id,
        3,
        "the hash does not match the line's content — the line was changed after it was written",
    );

    // A line deleted.
    let deleted = tampered_copy(&path, &id, |lines| {
        lines.remove(3);
    });
    assert_verify_names(
        &deleted,
        &id,
        4,
        "seq 4 where 3 was expected — a line is missing before it",
    );

    // Two adjacent lines swapped.
    let swapped = tampered_copy(&path, &id, |lines| lines.swap(2, 3));
    assert_verify_names(
        &swapped,
        &id,
        3,
        "seq 3 comes before seq 2 — lines were swapped or reordered",
    );

    // A properly chained `answered` appended after `finished`.
    let appended = tampered_copy(&path, &id, |lines| {
        let last = split(lines.last().unwrap()).unwrap();
        let body = r#"{"seq":6,"event":"answered","at":"2026-11-22T18:00:00.000+08:00","ms":999999,"item":"badge","value":"fail","note":null}"#;
        lines.push(seal(last.hash, body).unwrap().line);
    });
    assert_verify_names(
        &appended,
        &id,
        7,
        "answered after the visit was finished on line 6 — only amended events may follow",
    );
}
