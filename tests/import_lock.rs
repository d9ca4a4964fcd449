//! Imports into one office folder at once (processes, not threads): one at a time under the
//! store's lock, every log one of its sources whole, every conflict reported; `--no-wait`
//! names the holder; what a killed import left is cleaned by the next.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::Path;
use std::process::{Command, Stdio};

use store_support::{IDS, Visit};

const BIN: &str = env!("CARGO_BIN_EXE_sitecheck");

fn import_command(office: &Path, source: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--data-dir")
        .arg(office)
        .arg("import")
        .arg(source)
        .env_remove("SITECHECK_DATA_DIR")
        .env("SITECHECK_CONFIG", office.join("no-config.yaml"))
        .env("LANG", "C")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Two laptops whose copies of three visits disagree: one laptop has a shorter copy of the
/// first (the other went on), the second visit differs from its second line on, and the
/// third is on one laptop only.
fn laptops(root: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let a = root.join("a");
    let b = root.join("b");
    let mut short = Visit::start(IDS[0], "2026-11-22", "zhang.san", &[("work_order", "WO-1")]);
    short.answer(30, "badge", "\"pass\"", None);
    short.write(&a);
    short.answer(60, "clean", "\"pass\"", None).finish(90);
    short.write(&b);
    let mut mine = Visit::start(IDS[1], "2026-11-23", "zhang.san", &[("work_order", "WO-2")]);
    let mut theirs = Visit::start(IDS[1], "2026-11-23", "zhang.san", &[("work_order", "WO-2")]);
    mine.answer(30, "badge", "\"pass\"", None).write(&a);
    theirs
        .answer(30, "badge", "\"fail\"", Some("no badge"))
        .write(&b);
    Visit::finished(IDS[2], "2026-11-24", "li.si", 5).write(&a);
    (a, b)
}

#[test]
fn two_imports_at_once_take_turns_and_lose_nothing() {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = laptops(root.path());
    let source_bytes = |dir: &Path, id: &str| -> Option<Vec<u8>> {
        sitecheck::store::layout::visit_logs(dir)
            .into_iter()
            .find(|(v, _)| v == id)
            .map(|(_, p)| std::fs::read(p).unwrap())
    };
    for round in 0..12 {
        let office = root.path().join(format!("office-{round}"));
        // Alternate who starts first; both run at once.
        let (first, second) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let one = import_command(&office, first).spawn().unwrap();
        let two = import_command(&office, second).spawn().unwrap();
        let outputs = [
            one.wait_with_output().unwrap(),
            two.wait_with_output().unwrap(),
        ];
        let said: String = outputs
            .iter()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout).into_owned()
                    + &String::from_utf8_lossy(&o.stderr)
            })
            .collect();
        let logs = sitecheck::store::layout::visit_logs(&office);
        assert_eq!(logs.len(), 3, "round {round}: {said}");
        for (id, path) in &logs {
            let here = std::fs::read(path).unwrap();
            let from_a = source_bytes(&a, id);
            let from_b = source_bytes(&b, id);
            assert!(
                Some(&here) == from_a.as_ref() || Some(&here) == from_b.as_ref(),
                "round {round}: {id} is not one of its sources whole:\n{}\n{said}",
                String::from_utf8_lossy(&here)
            );
        }
        // The visit that went on is there in full, whichever came first.
        let first_visit = logs.iter().find(|(id, _)| id == IDS[0]).unwrap();
        assert_eq!(
            std::fs::read(&first_visit.1).unwrap(),
            source_bytes(&b, IDS[0]).unwrap()
        );
        // The conflicting visit is reported once, by whichever import came second.
        assert_eq!(
            said.matches("error: conflict").count(),
            1,
            "round {round}: {said}"
        );
        let codes: Vec<i32> = outputs.iter().map(|o| o.status.code().unwrap()).collect();
        assert!(
            codes.contains(&1) && codes.iter().all(|c| *c <= 1),
            "round {round}: {codes:?} {said}"
        );
        // No temporary file is left, and verify agrees with the files.
        let leftovers: Vec<_> = walk(&office)
            .into_iter()
            .filter(|p| p.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        let verify = Command::new(BIN)
            .arg("--data-dir")
            .arg(&office)
            .arg("verify")
            .env("SITECHECK_CONFIG", office.join("no-config.yaml"))
            .output()
            .unwrap();
        assert_eq!(
            verify.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&verify.stdout)
        );
    }
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.display().to_string());
            }
        }
    }
    out
}

#[test]
fn no_wait_names_the_import_that_holds_the_store() {
    let root = tempfile::tempdir().unwrap();
    let (a, _) = laptops(root.path());
    let office = root.path().join("office");
    std::fs::create_dir_all(&office).unwrap();
    // Another import holds the lock: this test process takes it, as one would.
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(office.join("import.lock"))
        .unwrap();
    held.lock().unwrap();
    std::fs::write(
        office.join("import.lock"),
        "pid 4242 since 2026-11-25T09:00:00.000+08:00",
    )
    .unwrap();

    let out = import_command(&office, &a)
        .arg("--no-wait")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: another import"), "{stderr}");
    assert!(stderr.contains("pid 4242"), "the holder is named: {stderr}");
    assert!(
        sitecheck::store::layout::visit_logs(&office).is_empty(),
        "nothing imported"
    );

    // Without --no-wait it waits, and goes on once the lock is let go.
    let waiting = import_command(&office, &a).spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(held);
    let out = waiting.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("waiting"));
    assert_eq!(sitecheck::store::layout::visit_logs(&office).len(), 3);
}

#[test]
fn what_a_killed_import_left_is_cleaned_by_the_next() {
    let root = tempfile::tempdir().unwrap();
    let (a, _) = laptops(root.path());
    let office = root.path().join("office");
    // A killed import's temporary copies, in a month folder and among the reviews.
    let month = office.join("visits").join("2026-11");
    std::fs::create_dir_all(&month).unwrap();
    std::fs::create_dir_all(office.join("reviews")).unwrap();
    let stale = [
        month.join(format!(".{}.jsonl.import.999999.tmp", IDS[0])),
        office
            .join("reviews")
            .join(format!(".{}.jsonl.import.999999.tmp", IDS[1])),
    ];
    for path in &stale {
        std::fs::write(path, "{\"seq\":0,\"event\":\"started\"").unwrap();
    }
    let out = import_command(&office, &a).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for path in &stale {
        assert!(!path.exists(), "{} left behind", path.display());
    }
    // The ledger holds a line for every visit imported.
    let ledger = std::fs::read_to_string(office.join("ledger.jsonl")).unwrap();
    assert_eq!(ledger.lines().count(), 3, "{ledger}");
}
