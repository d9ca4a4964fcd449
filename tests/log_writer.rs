//! VisitWriter end to end on real files: create, append, resume, lock, refusal.
// In tests a failed unwrap is a failed test, helpers included.
#![allow(clippy::unwrap_used)]

mod log_support;

use std::fs;

use log_support::{answered, finished, noted, read_lines, start_info, write_lines, write_visit};
use serde_json::json;
use sitecheck::log::{Event, EventKind, LogError, ProblemKind, VisitWriter, chain, read_log};
use ulid::Ulid;

#[test]
fn a_created_visit_reads_back_clean() {
    let data = tempfile::tempdir().unwrap();
    let id = Ulid::new();
    let (mut writer, started) = VisitWriter::create(data.path(), id, start_info()).unwrap();
    assert_eq!(writer.visit_id(), id);
    assert_eq!(writer.next_seq(), 1);
    assert_eq!(writer.last_hash(), started.hash);
    assert_eq!(started.seq, 0);
    assert_eq!(started.ms, 0);

    // <data>/visits/<YYYY-MM of the start>/<id>.jsonl
    let month = &started.at[..7];
    let expected = data
        .path()
        .join("visits")
        .join(month)
        .join(format!("{id}.jsonl"));
    assert_eq!(writer.path(), expected);
    assert!(
        started.at.len() == "2026-11-22T10:00:00.123+08:00".len(),
        "{}",
        started.at
    );

    let mut events = vec![started];
    for kind in [
        answered("badge", "pass"),
        noted("badge", "shown at the door"),
        EventKind::Cleared {
            item: "badge".to_owned(),
        },
        EventKind::Paused,
        EventKind::Resumed,
        finished(),
    ] {
        let event = writer.append(kind).unwrap();
        assert_eq!(event.seq, events.len() as u64);
        assert!(event.ms >= events.last().unwrap().ms);
        assert_eq!(writer.last_hash(), event.hash);
        events.push(event);
    }

    let read = read_log(writer.path()).unwrap();
    assert!(read.is_clean(), "{read:?}");
    assert_eq!(read.events, events);

    // Each line on disk is exactly what the event says it is.
    let lines = read_lines(writer.path());
    for (line, event) in lines.iter().zip(&events) {
        assert_eq!(&event.to_line().unwrap(), line);
        assert_eq!(&Event::from_line(line).unwrap(), event);
    }
    assert!(lines[0].starts_with(r#"{"seq":0,"event":"started","at":""#));
}

#[test]
fn the_visit_rules_are_kept_by_the_writer() {
    let data = tempfile::tempdir().unwrap();
    let (mut writer, _) = VisitWriter::create(data.path(), Ulid::new(), start_info()).unwrap();
    let again = EventKind::Started {
        visit: writer.visit_id().to_string(),
        info: start_info(),
    };
    assert!(matches!(writer.append(again), Err(LogError::StartedAgain)));
    writer.append(finished()).unwrap();
    assert!(writer.is_closed());
    let err = writer.append(answered("badge", "fail")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the visit is finished: only amended events can be added to it"
    );
    let amended = EventKind::Amended {
        item: Some("badge".to_owned()),
        value: json!("pass"),
        note: None,
        reason: "re-checked after supervisor follow-up".to_owned(),
        technician: Some("zhang.san".to_owned()),
        host: Some("tb-0042".to_owned()),
    };
    writer.append(amended).unwrap();
    assert_eq!(writer.next_seq(), 3);
    assert!(read_log(writer.path()).unwrap().is_clean());
}

#[test]
fn a_visit_resumes_where_it_stopped() {
    let data = tempfile::tempdir().unwrap();
    let (path, written) = write_visit(data.path(), vec![answered("badge", "pass")]);

    let (mut writer, events, torn) = VisitWriter::open(&path).unwrap();
    assert_eq!(events, written);
    assert!(torn.is_none());
    assert_eq!(writer.next_seq(), 2);
    assert_eq!(writer.last_hash(), written[1].hash);
    assert_eq!(
        writer.visit_id().to_string(),
        match &written[0].kind {
            EventKind::Started { visit, .. } => visit.clone(),
            _ => unreachable!(),
        }
    );
    let event = writer.append(answered("price_list", "fail")).unwrap();
    assert_eq!(event.seq, 2);
    drop(writer);

    let read = read_log(&path).unwrap();
    assert!(read.is_clean(), "{read:?}");
    assert_eq!(read.events.len(), 3);
}

#[test]
fn ms_carries_on_across_resumes() {
    // A log whose last event is at ms 5,000,000: written by hand, as another laptop might.
    let data = tempfile::tempdir().unwrap();
    let (path, written) = write_visit(data.path(), vec![]);
    let mut lines = read_lines(&path);
    let (_, line) = Event::seal(
        &written[0].hash,
        1,
        "2026-11-22T11:23:20.000+08:00".to_owned(),
        5_000_000,
        EventKind::Paused,
    )
    .unwrap();
    lines.push(line);
    write_lines(&path, &lines);

    let (mut writer, events, _) = VisitWriter::open(&path).unwrap();
    assert_eq!(events.last().unwrap().ms, 5_000_000);
    let resumed = writer.append(EventKind::Resumed).unwrap();
    assert!(resumed.ms >= 5_000_000, "{}", resumed.ms);
    assert!(resumed.ms < 5_000_000 + 60_000, "{}", resumed.ms);
}

#[test]
fn a_second_writer_is_refused_while_the_first_is_open() {
    let data = tempfile::tempdir().unwrap();
    let (first, _) = VisitWriter::create(data.path(), Ulid::new(), start_info()).unwrap();
    let path = first.path().to_owned();
    let id = first.visit_id();

    let lock_note = path.with_extension("jsonl.lock");
    assert_eq!(
        fs::read_to_string(&lock_note).unwrap().trim(),
        std::process::id().to_string()
    );

    let err = VisitWriter::open(&path).unwrap_err();
    assert!(matches!(err, LogError::VisitOpen { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "visit {id} is open in another sitecheck process (pid {}); close it there first",
            std::process::id()
        )
    );

    drop(first);
    assert!(!lock_note.exists());
    let (second, events, _) = VisitWriter::open(&path).unwrap();
    assert_eq!(events.len(), 1);
    // And the roles swap: now the first cannot come back.
    assert!(matches!(
        VisitWriter::open(&path),
        Err(LogError::VisitOpen { .. })
    ));
    drop(second);
}

#[test]
fn the_same_visit_cannot_be_created_twice() {
    let data = tempfile::tempdir().unwrap();
    let id = Ulid::new();
    let (first, _) = VisitWriter::create(data.path(), id, start_info()).unwrap();
    let path = first.path().to_owned();
    drop(first);
    let before = fs::read(&path).unwrap();
    let err = VisitWriter::create(data.path(), id, start_info()).unwrap_err();
    assert!(matches!(err, LogError::Exists { .. }), "{err:?}");
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_damaged_log_is_refused_and_left_alone() {
    let data = tempfile::tempdir().unwrap();
    let (path, _) = write_visit(
        data.path(),
        vec![answered("badge", "pass"), answered("price_list", "pass")],
    );
    let mut lines = read_lines(&path);
    lines[1] = lines[1].replace(r#""value":"pass""#, r#""value":"fail""#);
    write_lines(&path, &lines);
    let before = fs::read(&path).unwrap();

    let err = VisitWriter::open(&path).unwrap_err();
    let LogError::Damaged { problems, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 2);
    assert_eq!(problems[0].reason, ProblemKind::Altered);
    assert!(
        err.to_string().ends_with(
            "cannot be resumed: line 2: the hash does not match the line's content — the line was changed after it was written"
        ),
        "{err}"
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(!path.with_extension("jsonl.torn").exists());
}

#[test]
fn a_log_without_a_whole_event_is_refused_and_left_alone() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("01JD0000000000000000000000.jsonl");
    for bytes in [&b""[..], b"{\"seq\":0,\"event\":\"sta"] {
        fs::write(&path, bytes).unwrap();
        let err = VisitWriter::open(&path).unwrap_err();
        assert!(matches!(err, LogError::Damaged { .. }), "{err:?}");
        assert!(
            err.to_string().contains("line 1: the log holds no event"),
            "{err}"
        );
        assert_eq!(fs::read(&path).unwrap(), bytes);
    }
}

#[test]
fn a_visit_id_that_is_not_a_ulid_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("x.jsonl");
    let kind = EventKind::Started {
        visit: "not-a-ulid".to_owned(),
        info: start_info(),
    };
    let (_, line) = Event::seal("", 0, "t".to_owned(), 0, kind).unwrap();
    write_lines(&path, &[line]);
    let err = VisitWriter::open(&path).unwrap_err();
    assert!(matches!(err, LogError::BadVisitId { .. }), "{err:?}");
}

#[test]
fn a_finished_visit_reopens_for_amendments_only() {
    let data = tempfile::tempdir().unwrap();
    let (path, _) = write_visit(data.path(), vec![answered("drain", "no"), finished()]);
    let (mut writer, _, _) = VisitWriter::open(&path).unwrap();
    assert!(writer.is_closed());
    assert!(matches!(
        writer.append(answered("drain", "yes")),
        Err(LogError::Closed {
            closed_by: "finished"
        })
    ));
    let amended = EventKind::Amended {
        item: Some("drain".to_owned()),
        value: json!("yes"),
        note: Some("re-tested".to_owned()),
        reason: "supervisor follow-up".to_owned(),
        technician: Some("zhang.san".to_owned()),
        host: Some("tb-0042".to_owned()),
    };
    let event = writer.append(amended).unwrap();
    assert_eq!(event.seq, 3);
    drop(writer);
    let read = read_log(&path).unwrap();
    assert!(read.is_clean(), "{read:?}");
    // The chain links the amendment to the finished line.
    let lines = read_lines(&path);
    assert!(
        chain::split(&lines[3])
            .unwrap()
            .links_to(&read.events[2].hash)
    );
}
