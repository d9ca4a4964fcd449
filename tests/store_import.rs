//! `sitecheck import` from folders written by hand: new, identical, longer and conflicting
//! logs, reviews, ids that try to be paths, and a log rewritten after it was imported.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::Path;

use store_support::{IDS, Visit, list_json, q, sitecheck, write_reviews};

fn import(data: &Path, source: &Path) -> store_support::Output {
    sitecheck(&[data], &["import", source.to_str().unwrap()])
}

/// Every file under a folder, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn new_identical_longer_and_conflicting_logs() {
    let laptop = tempfile::tempdir().unwrap();
    let office = tempfile::tempdir().unwrap();
    let mut open = Visit::start(IDS[0], "2026-11-22", "zhang.san", &[("work_order", "WO-1")]);
    open.answer(30, "badge", "\"pass\"", None);
    open.write(laptop.path());
    Visit::finished(IDS[1], "2026-10-02", "zhang.san", 5).write(laptop.path());
    write_reviews(
        laptop.path(),
        IDS[1],
        &[(&"a".repeat(64), "approved", "", None)],
    );

    let first = import(office.path(), laptop.path());
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("visit logs: 2 new"),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("review logs: 1 new"),
        "{}",
        first.stdout
    );
    assert_eq!(list_json(&[office.path()], &[]).len(), 2);
    // The month folder comes from the visit's own start.
    assert!(
        office
            .path()
            .join("visits/2026-10")
            .join(format!("{}.jsonl", IDS[1]))
            .is_file()
    );

    // Again: nothing new.
    let again = import(office.path(), laptop.path());
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.contains("0 new, 0 extended, 2 already here"),
        "{}",
        again.stdout
    );

    // The open visit went on on the laptop: the longer log is taken.
    open.answer(60, "clean", "\"pass\"", None).finish(90);
    open.write(laptop.path());
    let longer = import(office.path(), laptop.path());
    assert_eq!(longer.code, 0, "{}", longer.stdout);
    assert!(
        longer.stdout.contains("0 new, 1 extended"),
        "{}",
        longer.stdout
    );
    assert_eq!(
        std::fs::read_to_string(open.path_in(office.path())).unwrap(),
        open.log.text()
    );

    // Another laptop has a different visit under the same id: a conflict, nothing changed.
    let other = tempfile::tempdir().unwrap();
    Visit::finished(IDS[1], "2026-10-02", "li.si", 1).write(other.path());
    let before = std::fs::read(
        office
            .path()
            .join("visits/2026-10")
            .join(format!("{}.jsonl", IDS[1])),
    )
    .unwrap();
    let conflict = import(office.path(), other.path());
    assert_eq!(conflict.code, 1, "{}", conflict.stdout);
    assert!(
        conflict.stdout.contains("error: conflict"),
        "{}",
        conflict.stdout
    );
    let after = std::fs::read(
        office
            .path()
            .join("visits/2026-10")
            .join(format!("{}.jsonl", IDS[1])),
    )
    .unwrap();
    assert_eq!(before, after);
}

#[test]
fn ids_from_outside_are_never_used_as_paths() {
    let stick = tempfile::tempdir().unwrap();
    let office = tempfile::tempdir().unwrap();
    let escape_target = office.path().parent().unwrap().join("x.jsonl");
    // A log whose id (inside) is `../../x`, under a file name that is not an id.
    let evil = Visit::start("../../x", "2026-11-22", "mallory", &[]);
    let month = stick.path().join("visits/2026-11");
    std::fs::create_dir_all(&month).unwrap();
    std::fs::write(month.join("..%2F..%2Fx.jsonl"), evil.log.text()).unwrap();
    // The same log under a valid file name: the id inside does not match it.
    std::fs::write(month.join(format!("{}.jsonl", IDS[0])), evil.log.text()).unwrap();
    // A log whose start time tries to pick the month folder.
    let mut sneaky = Visit::start(IDS[1], "2026-11-22", "mallory", &[]);
    sneaky.log = Default::default();
    sneaky.log.push(&format!(
        r#"{{"seq":0,"event":"started","at":"../../../etc","ms":0,"visit":"{}","technician":"m","host":"h","app":"a","lang":"en","checklist":{{"id":"mini","version":"1","sha256":"0","source":{}}},"fields":{{}}}}"#,
        IDS[1],
        q("sitecheck: 1\n")
    ));
    std::fs::write(month.join(format!("{}.jsonl", IDS[1])), sneaky.log.text()).unwrap();
    // A review of `../../x`, under a valid name.
    write_reviews(
        stick.path(),
        IDS[2],
        &[(&"a".repeat(64), "approved", "", None)],
    );
    let text = std::fs::read_to_string(
        stick
            .path()
            .join("reviews")
            .join(format!("{}.jsonl", IDS[2])),
    )
    .unwrap();
    let mut reviews = store_support::HandLog::default();
    for line in text.lines() {
        let body = line
            .rsplit_once(",\"hash\"")
            .unwrap()
            .0
            .replace(IDS[2], "../../x");
        reviews.push(&format!("{body}}}"));
    }
    std::fs::write(
        stick
            .path()
            .join("reviews")
            .join(format!("{}.jsonl", IDS[2])),
        reviews.text(),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", month.join(format!("{}.jsonl", IDS[3]))).unwrap();

    let out = import(office.path(), stick.path());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("not <visit id>.jsonl"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("is visit ../../x"), "{}", out.stdout);
    assert!(out.stdout.contains("is not a date"), "{}", out.stdout);
    assert!(
        out.stdout.contains("a review of another visit"),
        "{}",
        out.stdout
    );
    #[cfg(unix)]
    assert!(out.stdout.contains("not a regular file"), "{}", out.stdout);
    assert!(!escape_target.exists());
    // Nothing but the ledger-free, empty store: no log was written anywhere.
    assert!(
        files(office.path()).iter().all(|f| !f.ends_with(".jsonl")),
        "{:?}",
        files(office.path())
    );
}

#[test]
fn a_log_rewritten_after_import_is_reported() {
    let laptop = tempfile::tempdir().unwrap();
    let office = tempfile::tempdir().unwrap();
    let mut v = Visit::start(IDS[0], "2026-11-22", "zhang.san", &[("work_order", "WO-1")]);
    v.answer(30, "badge", "\"fail\"", Some("forgot it"))
        .answer(60, "clean", "\"pass\"", None)
        .answer(90, "satisfaction", "2", None)
        .finish(120);
    v.write(laptop.path());
    assert_eq!(import(office.path(), laptop.path()).code, 0);
    let ledger = std::fs::read_to_string(office.path().join("ledger.jsonl")).unwrap();
    assert!(ledger.contains(&v.log.last_hash()), "{ledger}");

    // On the laptop, the log is rebuilt with a better answer and a fresh, valid chain.
    let mut forged = Visit::start(IDS[0], "2026-11-22", "zhang.san", &[("work_order", "WO-1")]);
    forged
        .answer(30, "badge", "\"pass\"", None)
        .answer(60, "clean", "\"pass\"", None)
        .answer(90, "satisfaction", "5", None)
        .finish(120);
    forged.write(laptop.path());
    // With the office copy there, it is a conflict; with it gone, the ledger remembers.
    let out = import(office.path(), laptop.path());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("error: conflict"), "{}", out.stdout);
    std::fs::remove_file(v.path_in(office.path())).unwrap();
    let out = import(office.path(), laptop.path());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("error: rewritten"), "{}", out.stdout);
    assert!(!v.path_in(office.path()).exists());
}

#[test]
fn an_unreadable_source_is_bad_input() {
    let office = tempfile::tempdir().unwrap();
    let out = import(office.path(), Path::new("/nonexistent/stick"));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("not a sitecheck store"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_torn_log_is_imported_up_to_its_last_whole_line() {
    let laptop = tempfile::tempdir().unwrap();
    let office = tempfile::tempdir().unwrap();
    let v = Visit::finished(IDS[0], "2026-11-22", "zhang.san", 5);
    let path = v.write(laptop.path());
    let mut text = v.log.text();
    text.push_str("{\"seq\":5,\"ev");
    std::fs::write(&path, text).unwrap();
    let out = import(office.path(), laptop.path());
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("warning"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(v.path_in(office.path())).unwrap(),
        v.log.text()
    );
}
