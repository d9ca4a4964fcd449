//! Helpers shared by the `log_*` tests (a module of each, not a test of its own).
#![allow(dead_code)]
// In tests a failed unwrap is a failed test, helpers included.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, json};
use sitecheck::log::{ChecklistRef, Event, EventKind, StartInfo, Summary, VisitWriter};
use ulid::Ulid;

pub fn start_info() -> StartInfo {
    let mut fields = Map::new();
    fields.insert("work_order".to_owned(), json!("WO-1234"));
    fields.insert("customer".to_owned(), json!("李四"));
    StartInfo {
        technician: "zhang.san".to_owned(),
        host: "tb-0042".to_owned(),
        app: "sitecheck 0.1.0".to_owned(),
        lang: "zh-CN".to_owned(),
        checklist: ChecklistRef {
            id: "haier-12345".to_owned(),
            version: "2024.1".to_owned(),
            sha256: "0".repeat(64),
            source: "id: haier-12345\ntitle: 海尔 1-2-3-4-5\n".to_owned(),
        },
        fields,
    }
}

pub fn answered(item: &str, value: &str) -> EventKind {
    EventKind::Answered {
        item: item.to_owned(),
        value: json!(value),
        note: None,
    }
}

pub fn noted(item: &str, note: &str) -> EventKind {
    EventKind::Noted {
        item: item.to_owned(),
        note: note.to_owned(),
    }
}

pub fn finished() -> EventKind {
    EventKind::Finished {
        summary: Summary {
            score: Some(0.75),
            result: "pass".to_owned(),
            passed: 3,
            failed: 1,
            na: 0,
            missing: 0,
        },
    }
}

/// Creates a visit in `data` and appends `kinds`; returns its path and every event written.
/// The writer is closed (and the lock released) on return.
pub fn write_visit(data: &Path, kinds: Vec<EventKind>) -> (PathBuf, Vec<Event>) {
    let (mut writer, started) = VisitWriter::create(data, Ulid::new(), start_info()).unwrap();
    let mut events = vec![started];
    for kind in kinds {
        events.push(writer.append(kind).unwrap());
    }
    (writer.path().to_owned(), events)
}

/// started, three answers, a note, finished: six lines.
pub fn finished_visit(data: &Path) -> (PathBuf, Vec<Event>) {
    write_visit(
        data,
        vec![
            answered("badge", "pass"),
            answered("price_list", "pass"),
            answered("shoe_covers", "no"),
            noted("shoe_covers", "鞋套用完了 — ran out of shoe covers"),
            finished(),
        ],
    )
}

pub fn read_lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

pub fn write_lines(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    fs::write(path, text).unwrap();
}
