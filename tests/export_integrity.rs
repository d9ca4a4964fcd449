//! A CSV export says of every row whether its visit's log can be trusted (issue 10, SPEC
//! section 5): both row kinds end with `integrity` — `ok`, `torn`, or `damaged: line N: why`
//! with the first bad line — the verdict `list` reaches on the same log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::collections::HashMap;
use std::path::Path;

use store_support::{IDS, Visit, list_json, sitecheck, write_log_text};

/// A clean, a torn (its last line cut mid-write) and a damaged (an answer changed after it
/// was written, line 2) finished visit, each with three answers.
fn store(data: &Path) {
    Visit::finished(IDS[0], "2026-11-22", "zhang.san", 5).write(data);
    let torn = Visit::finished(IDS[1], "2026-11-22", "li.si", 4);
    write_log_text(
        data,
        &torn,
        &format!("{}{{\"seq\":5,\"event\":\"answ", torn.log.text()),
    );
    let damaged = Visit::finished(IDS[2], "2026-11-23", "wang.wu", 5);
    let altered = damaged
        .log
        .text()
        .replace("\"value\":\"pass\"", "\"value\":\"fail\"");
    write_log_text(data, &damaged, &altered);
}

/// The rows of a CSV export, each as a map from column to cell, and the header.
fn export(data: &Path, rows: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let out = sitecheck(&[data], &["export", "--format", "csv", "--rows", rows]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let records = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            assert_eq!(record.len(), header.len());
            header
                .iter()
                .cloned()
                .zip(record.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, records)
}

/// What `list` says of the damaged visit: its first problem, as the CSV must name it.
fn damaged_cell(data: &Path) -> String {
    let list = list_json(&[data], &[]);
    let visit = list.iter().find(|v| v["visit"] == IDS[2]).unwrap();
    assert_eq!(visit["integrity"]["state"], "damaged");
    let problem = &visit["integrity"]["problems"][0];
    format!(
        "damaged: line {}: {}",
        problem["line"],
        problem["message"].as_str().unwrap()
    )
}

#[test]
fn every_answer_row_says_whether_its_log_is_clean_torn_or_damaged() {
    let data = tempfile::tempdir().unwrap();
    store(data.path());
    let damaged = damaged_cell(data.path());
    assert!(damaged.starts_with("damaged: line 2: "), "{damaged}");
    let (header, rows) = export(data.path(), "answers");
    assert_eq!(header.last().map(String::as_str), Some("integrity"));
    let mut per_visit: HashMap<String, Vec<&HashMap<String, String>>> = HashMap::new();
    for row in &rows {
        per_visit.entry(row["visit"].clone()).or_default().push(row);
    }
    let expected = [(IDS[0], "ok"), (IDS[1], "torn"), (IDS[2], damaged.as_str())];
    for (visit, integrity) in expected {
        let rows = &per_visit[visit];
        assert_eq!(rows.len(), 3, "{visit}: every answer is exported");
        for row in rows {
            assert_eq!(row["integrity"], integrity, "{visit}");
            assert_eq!(row["work_order"], "WO-1", "{visit}");
        }
    }
    assert_eq!(per_visit.len(), 3);
}

#[test]
fn every_visit_row_says_whether_its_log_is_clean_torn_or_damaged() {
    let data = tempfile::tempdir().unwrap();
    store(data.path());
    let damaged = damaged_cell(data.path());
    let (header, rows) = export(data.path(), "visits");
    // After the header fields' columns: the last column whatever the checklist.
    assert_eq!(
        header.iter().rev().take(2).collect::<Vec<_>>(),
        ["integrity", "work_order"]
    );
    let integrity: Vec<(&str, &str)> = rows
        .iter()
        .map(|row| (row["visit"].as_str(), row["integrity"].as_str()))
        .collect();
    assert_eq!(
        integrity,
        [(IDS[0], "ok"), (IDS[1], "torn"), (IDS[2], damaged.as_str())]
    );
}

#[test]
fn a_log_with_no_answers_to_export_still_has_a_row_that_says_why() {
    let data = tempfile::tempdir().unwrap();
    Visit::finished(IDS[0], "2026-11-22", "zhang.san", 5).write(data.path());
    // Not a visit log at all: nothing to replay, yet the export must not shrink silently.
    let junk = Visit::finished(IDS[1], "2026-11-22", "li.si", 4);
    write_log_text(data.path(), &junk, "=1+1 not json\n");
    let (_, rows) = export(data.path(), "answers");
    assert_eq!(rows.len(), 4);
    let row = rows.iter().find(|r| r["visit"] == IDS[1]).unwrap();
    assert!(row["integrity"].starts_with("damaged: line 1: "), "{row:?}");
    assert_eq!(row["item"], "");
    let (_, rows) = export(data.path(), "visits");
    let row = rows.iter().find(|r| r["visit"] == IDS[1]).unwrap();
    assert!(row["integrity"].starts_with("damaged: line 1: "), "{row:?}");
}
