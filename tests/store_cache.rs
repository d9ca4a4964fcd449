//! Opening a store through its summary cache: a second open reads only the logs that
//! changed, and what it shows is what a fresh read shows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::PathBuf;

use sitecheck::review::{
    NewReview, OpenOptions, Verdict, VisitSummary, append_review, open_snapshot, open_store,
};
use store_support::{IDS, Visit, write_reviews};

fn open(dirs: &[PathBuf]) -> sitecheck::review::Store {
    open_store(dirs, &OpenOptions::default())
}

/// What the list shows of a visit, to compare a cached summary with a fresh one.
fn shown(v: &VisitSummary) -> String {
    format!(
        "{} {} {} {:?} {:?} {:?} {} {} {} {} {} {:?} {} {} {:?} {:?} {} {:?} {:?} {}",
        v.id,
        v.checklist.id,
        v.technician,
        v.status,
        v.score,
        v.result,
        v.passed,
        v.failed,
        v.na,
        v.answered,
        v.missing,
        v.answer_gaps_ms,
        v.marks.as_str(),
        v.targets.as_str(),
        v.integrity,
        v.fields.iter().collect::<Vec<_>>(),
        v.last_hash,
        v.verdict(),
        v.finished_at,
        v.rushed,
    )
}

#[test]
fn a_second_open_reads_only_what_changed() {
    let data = tempfile::tempdir().unwrap();
    let dirs = vec![data.path().to_owned()];
    let mut open_visit = Visit::start(IDS[0], "2026-11-22", "zhang.san", &[("work_order", "WO-1")]);
    open_visit.answer(30, "badge", "\"pass\"", None);
    open_visit.write(data.path());
    Visit::finished(IDS[1], "2026-11-22", "li.si", 5).write(data.path());
    Visit::finished(IDS[2], "2026-11-23", "li.si", 2).write(data.path());

    let first = open(&dirs);
    assert_eq!((first.report.read, first.report.cached), (3, 0));
    let second = open(&dirs);
    assert_eq!((second.report.read, second.report.cached), (0, 3));
    let fresh: Vec<String> = first.visits.iter().map(shown).collect();
    let cached: Vec<String> = second.visits.iter().map(shown).collect();
    assert_eq!(fresh, cached);
    assert!(
        second
            .visits
            .iter()
            .all(|v| v.checklist.checklist.is_some())
    );
    let snapshot = open_snapshot(&dirs, &OpenOptions::default());
    assert_eq!(snapshot.visits.iter().map(shown).collect::<Vec<_>>(), fresh);

    // The open visit goes on: only it is read again.
    open_visit.answer(60, "clean", "\"fail\"", Some("no cloth"));
    open_visit.write(data.path());
    let third = open(&dirs);
    assert_eq!((third.report.read, third.report.cached), (1, 2));
    assert_eq!(third.get(IDS[0]).unwrap().failed, 1);

    // A review file appears, then changes: reviews are picked up without re-reading logs.
    let hash = third.get(IDS[1]).unwrap().last_hash.clone();
    write_reviews(data.path(), IDS[1], &[(&hash, "approved", "", None)]);
    let fourth = open(&dirs);
    assert_eq!(fourth.report.read, 0);
    assert_eq!(
        fourth.get(IDS[1]).unwrap().verdict(),
        Some(Verdict::Approved)
    );
    write_reviews(
        data.path(),
        IDS[1],
        &[
            (&hash, "approved", "", None),
            (&hash, "rejected", "no photos", None),
        ],
    );
    let fifth = open(&dirs);
    assert_eq!(
        fifth.get(IDS[1]).unwrap().verdict(),
        Some(Verdict::Rejected)
    );

    // A log removed is gone from the list; a log replaced by another of the same size is
    // read again (its identity changed).
    std::fs::remove_file(Visit::finished(IDS[2], "2026-11-23", "li.si", 2).path_in(data.path()))
        .unwrap();
    Visit::finished(IDS[1], "2026-11-22", "li.si", 4).write(data.path());
    let sixth = open(&dirs);
    assert_eq!(sixth.visits.len(), 2);
    assert_eq!(sixth.report.read, 1);
    assert_eq!(sixth.get(IDS[1]).unwrap().targets.get(0), Some(true));

    // A damaged cache is ignored, not trusted.
    let cache = data.path().join("cache/summaries.bin");
    let mut bytes = std::fs::read(&cache).unwrap();
    let middle = bytes.len() / 2;
    bytes.truncate(middle);
    std::fs::write(&cache, bytes).unwrap();
    let seventh = open(&dirs);
    assert_eq!(seventh.report.read, 2);
    assert_eq!(
        seventh.visits.iter().map(shown).collect::<Vec<_>>(),
        sixth.visits.iter().map(shown).collect::<Vec<_>>()
    );
}

#[test]
fn a_review_written_through_the_api_shows_after_a_refresh() {
    let data = tempfile::tempdir().unwrap();
    let dirs = vec![data.path().to_owned()];
    let visit = Visit::finished(IDS[0], "2026-11-22", "zhang.san", 3);
    let path = visit.write(data.path());
    let before = std::fs::read(&path).unwrap();
    let mut store = open(&dirs);
    let summary = store.get(IDS[0]).unwrap().clone();
    assert_eq!(summary.verdict(), None);
    let review = append_review(
        data.path(),
        &NewReview {
            visit: &summary.id,
            visit_hash: &summary.last_hash,
            reviewer: "wang.supervisor",
            verdict: Verdict::FollowUp,
            comment: "ask the customer again",
            item: Some("satisfaction"),
        },
    )
    .unwrap();
    store.refresh(IDS[0]);
    let after = store.get(IDS[0]).unwrap();
    assert_eq!(after.reviews.latest(), Some(&review));
    assert!(!after.reviews.outdated);
    assert_eq!(after.reviews.open_flags().count(), 1);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a review never touches the visit"
    );
    // And the next open, from the cache, agrees.
    let reopened = open(&dirs);
    assert_eq!(
        reopened.get(IDS[0]).unwrap().reviews.latest(),
        Some(&review)
    );
}

#[test]
fn an_unwritable_cache_folder_is_no_error() {
    let data = tempfile::tempdir().unwrap();
    Visit::finished(IDS[0], "2026-11-22", "zhang.san", 3).write(data.path());
    // A file where the cache folder would go: the cache cannot be written.
    std::fs::write(data.path().join("cache"), b"not a folder").unwrap();
    let dirs = vec![data.path().to_owned()];
    assert_eq!(open(&dirs).visits.len(), 1);
    assert_eq!(open(&dirs).report.read, 1);
}
