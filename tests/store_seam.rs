//! The store seam (`VisitStore`) over the file store: what every command above it relies
//! on — one visit found the same way everywhere, its log read through the one loader to the
//! verdict the opened store holds, reviews written where the visit lives, imports under the
//! store's lock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::PathBuf;

use sitecheck::log::review::{NewReview, Verdict};
use sitecheck::store::file_store::FileStore;
use sitecheck::store::import::{ImportError, LogKind, Outcome, Wait, lock};
use sitecheck::store::index::open::OpenOptions;
use sitecheck::store::seam::{FindError, ImportFailure, VisitStore};
use store_support::{IDS, Visit};

/// Two data folders: three visits in the first (one damaged), two in the second.
fn two_folders() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for id in &IDS[..3] {
        Visit::finished(id, "2026-11-22", "zhang.san", 5).write(&a);
    }
    let damaged = Visit::finished(IDS[2], "2026-11-22", "zhang.san", 5).path_in(&a);
    let text = std::fs::read_to_string(&damaged).unwrap();
    std::fs::write(&damaged, text.replacen("\"pass\"", "\"fail\"", 1)).unwrap();
    for id in &IDS[3..5] {
        Visit::finished(id, "2026-11-23", "li.si", 4).write(&b);
    }
    (dir, a, b)
}

fn store(dirs: &[&PathBuf]) -> FileStore {
    let options = OpenOptions {
        use_cache: false,
        ..Default::default()
    };
    FileStore::new(dirs.iter().map(|d| (*d).clone()).collect(), options)
}

#[test]
fn every_visit_of_every_folder_is_listed_and_found_by_a_unique_beginning() {
    let (_dir, a, b) = two_folders();
    let store = store(&[&a, &b]);
    let (visits, unlisted) = store.visits();
    let ids: Vec<&str> = visits.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, IDS[..5]);
    assert!(unlisted.is_empty());

    let found = store.find(&IDS[4].to_lowercase()).unwrap();
    assert_eq!(
        found, visits[4],
        "found in the second folder, case-insensitively"
    );
    match store.find("01JD") {
        Err(FindError::Ambiguous(some)) => {
            assert!(some.len() >= 2, "{some:?}");
            assert!(some.iter().all(|id| IDS.contains(&id.as_str())));
        }
        other => panic!("expected ambiguous, got {other:?}"),
    }
    assert!(matches!(store.find("01JE"), Err(FindError::NotFound)));
    assert!(matches!(store.find("  "), Err(FindError::NotFound)));
}

#[test]
fn a_visit_loaded_through_the_seam_has_the_verdict_the_opened_store_holds() {
    let (_dir, a, b) = two_folders();
    let store = store(&[&a, &b]);
    let opened = store.open();
    assert_eq!(opened.visits.len(), 5);
    for summary in &opened.visits {
        let loaded = store.load(&summary.reference()).unwrap();
        assert_eq!(loaded.integrity, summary.integrity, "{}", summary.id);
    }
    let damaged = opened.visits.iter().find(|v| v.id == IDS[2]).unwrap();
    assert!(
        !damaged.integrity.problems.is_empty(),
        "the altered value is caught"
    );
}

#[test]
fn a_log_is_read_whole_into_a_buffer_that_held_a_longer_one() {
    let (_dir, a, b) = two_folders();
    let store = store(&[&a, &b]);
    let (visits, _) = store.visits();
    let mut buf = vec![b'x'; 1 << 20];
    store.read_visit_log(&visits[3], &mut buf).unwrap();
    let on_disk =
        std::fs::read(Visit::finished(IDS[3], "2026-11-23", "li.si", 4).path_in(&b)).unwrap();
    assert_eq!(buf, on_disk);
    let log = store.visit_log(&visits[3]);
    assert_eq!(log.bytes.unwrap(), on_disk);
    assert!(
        log.shown.ends_with(&format!("{}.jsonl", IDS[3])),
        "{}",
        log.shown
    );
}

#[test]
fn a_review_goes_to_the_folder_that_holds_its_visit_and_the_opened_store_sees_it() {
    let (_dir, a, b) = two_folders();
    let store = store(&[&a, &b]);
    let mut opened = store.open();
    let visit = opened.visits.iter().find(|v| v.id == IDS[4]).unwrap();
    let at = visit.reference();
    let hash = visit.last_hash.clone();
    assert!(store.review_log(&at).is_none(), "no review yet");
    store
        .append_review(
            &at,
            &NewReview {
                visit: IDS[4],
                visit_hash: &hash,
                reviewer: "wang.supervisor",
                verdict: Verdict::Rejected,
                comment: "photos missing",
                item: None,
            },
        )
        .unwrap();
    assert!(
        b.join("reviews")
            .join(format!("{}.jsonl", IDS[4]))
            .is_file()
    );
    assert!(
        !a.join("reviews").exists(),
        "nothing written to the other folder"
    );
    let log = store.review_log(&at).unwrap();
    assert!(
        String::from_utf8(log.bytes.unwrap())
            .unwrap()
            .contains("photos missing")
    );

    store.refresh(&mut opened, IDS[4]);
    let latest = opened.get(IDS[4]).unwrap().reviews.latest().unwrap();
    assert_eq!(latest.verdict, Verdict::Rejected);
}

#[test]
fn an_import_waits_for_none_when_told_not_to_and_reports_every_source() {
    let (dir, a, b) = two_folders();
    let office = dir.path().join("office");
    let store = store(&[&office]);

    let held = lock(&office, Wait::No).unwrap();
    let mut told = 0;
    let refused = store.import(
        std::slice::from_ref(&a),
        Wait::No,
        &mut |_| told += 1,
        &mut |_, _| Ok(()),
    );
    assert!(matches!(
        refused,
        Err(ImportFailure::Import(ImportError::Busy { .. }))
    ));
    assert_eq!(
        told, 0,
        "--no-wait does not wait, so says nothing of waiting"
    );
    drop(held);

    let mut reports = Vec::new();
    store
        .import(
            &[a.clone(), b.clone()],
            Wait::Yes,
            &mut |_| {},
            &mut |source, report| {
                let refused = report.count(LogKind::Visit, |o| matches!(o, Outcome::Refused(_)));
                reports.push((source.to_path_buf(), report.entries.len(), refused));
                Ok(())
            },
        )
        .unwrap();
    assert_eq!(reports, vec![(a, 3, 1), (b, 2, 0)]);
    // The damaged log is refused (named in the report), the four others imported.
    let ids: Vec<String> = store.visits().0.into_iter().map(|v| v.id).collect();
    assert_eq!(ids, [IDS[0], IDS[1], IDS[3], IDS[4]]);
}
