//! `read_log` on real logs that were tampered with: each change named on its line.
// In tests a failed unwrap is a failed test, helpers included.
#![allow(clippy::unwrap_used)]

mod log_support;

use std::path::Path;

use log_support::{answered, finished_visit, read_lines, write_lines};
use sitecheck::log::{Event, ProblemKind, read_log};

fn problems_of(path: &Path) -> Vec<String> {
    read_log(path)
        .unwrap()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn an_untouched_log_verifies() {
    let data = tempfile::tempdir().unwrap();
    let (path, events) = finished_visit(data.path());
    let read = read_log(&path).unwrap();
    assert!(read.is_clean(), "{read:?}");
    assert_eq!(read.events, events);
}

#[test]
fn a_changed_value() {
    let data = tempfile::tempdir().unwrap();
    let (path, _) = finished_visit(data.path());
    let mut lines = read_lines(&path);
    assert!(lines[3].contains(r#""value":"no""#));
    lines[3] = lines[3].replace(r#""value":"no""#, r#""value":"yes""#);
    write_lines(&path, &lines);

    assert_eq!(
        problems_of(&path),
        [
            "line 4: the hash does not match the line's content — the line was changed after it was written"
        ]
    );
    let read = read_log(&path).unwrap();
    assert_eq!(read.problems[0].reason, ProblemKind::Altered);
    // The event still reads, as it now says.
    assert_eq!(read.events.len(), 6);
}

#[test]
fn a_deleted_line() {
    let data = tempfile::tempdir().unwrap();
    let (path, _) = finished_visit(data.path());
    let mut lines = read_lines(&path);
    lines.remove(3);
    write_lines(&path, &lines);

    assert_eq!(
        problems_of(&path),
        ["line 4: seq 4 where 3 was expected — a line is missing before it"]
    );
}

#[test]
fn a_swapped_pair_of_adjacent_lines() {
    let data = tempfile::tempdir().unwrap();
    let (path, _) = finished_visit(data.path());
    let mut lines = read_lines(&path);
    lines.swap(2, 3);
    write_lines(&path, &lines);

    assert_eq!(
        problems_of(&path),
        ["line 3: seq 3 comes before seq 2 — lines were swapped or reordered"]
    );
}

#[test]
fn a_line_added_after_finished() {
    let data = tempfile::tempdir().unwrap();
    let (path, events) = finished_visit(data.path());
    let mut lines = read_lines(&path);
    // Chained properly, as someone who read the format's documentation would do it.
    let last = events.last().unwrap();
    let (_, added) = Event::seal(
        &last.hash,
        last.seq + 1,
        last.at.clone(),
        last.ms + 1000,
        answered("shoe_covers", "yes"),
    )
    .unwrap();
    lines.push(added);
    write_lines(&path, &lines);

    assert_eq!(
        problems_of(&path),
        [
            "line 7: answered after the visit was finished on line 6 — only amended events may follow"
        ]
    );
}

#[test]
fn a_line_added_after_finished_with_a_copied_hash() {
    let data = tempfile::tempdir().unwrap();
    let (path, _) = finished_visit(data.path());
    let mut lines = read_lines(&path);
    // A careless edit: an earlier answer copied to the end with its seq bumped.
    let added = lines[3].replace(r#""seq":3"#, r#""seq":6"#);
    lines.push(added);
    write_lines(&path, &lines);

    assert_eq!(
        problems_of(&path),
        [
            "line 7: the hash does not match the line's content — the line was changed after it was written",
            "line 7: answered after the visit was finished on line 6 — only amended events may follow",
        ]
    );
}

#[test]
fn a_duplicated_line() {
    let data = tempfile::tempdir().unwrap();
    let (path, _) = finished_visit(data.path());
    let mut lines = read_lines(&path);
    let copy = lines[1].clone();
    lines.insert(2, copy);
    write_lines(&path, &lines);

    assert_eq!(
        problems_of(&path),
        ["line 3: seq 1 again — the line is a duplicate of line 2"]
    );
}
