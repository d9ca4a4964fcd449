//! Opening a store through its summary cache: a second open reads only the logs that
//! changed, and what it shows is what a fresh read shows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::PathBuf;

use sitecheck::log::review::{NewReview, Verdict};
use sitecheck::store::index::open::{OpenOptions, open_snapshot, open_store};
use sitecheck::store::index::summary::VisitSummary;
use sitecheck::store::reviews::append_review;
use store_support::{IDS, Visit, write_reviews};

fn open(dirs: &[PathBuf]) -> sitecheck::store::index::open::Store {
    open_store(dirs, &OpenOptions::default())
}

/// What the list shows of a visit, to compare a cached summary with a fresh one.
fn shown(v: &VisitSummary) -> String {
    format!(
        "{} {} {} {:?} {:?} {:?} {} {} {} {} {} {:?} {} {} {:?} {:?} {} {:?} {:?} {} {:?} {:?}",
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
        v.sealed_by,
        v.receipt,
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

/// A list from the cache, checked in the background: after `check` and `apply` it shows
/// what a fresh read shows, whatever changed meanwhile; and the cache the check wrote
/// lists the same at the next start.
#[test]
fn a_snapshot_checked_against_its_cache_becomes_what_a_fresh_read_shows() {
    use sitecheck::store::index::check::{Checked, check};

    let data = tempfile::tempdir().unwrap();
    let dirs = vec![data.path().to_owned()];
    let options = OpenOptions::default();
    let mut going_on = Visit::start(IDS[0], "2026-11-22", "zhang.san", &[("work_order", "WO-1")]);
    going_on.answer(30, "badge", "\"pass\"", None);
    going_on.write(data.path());
    Visit::finished(IDS[1], "2026-11-22", "li.si", 5).write(data.path());
    let doomed = Visit::finished(IDS[2], "2026-11-23", "li.si", 2).write(data.path());
    Visit::finished(IDS[3], "2026-11-23", "wang.wu", 3).write(data.path());
    let reviewed = open(&dirs);
    let hash = reviewed.get(IDS[3]).unwrap().last_hash.clone();
    write_reviews(data.path(), IDS[3], &[(&hash, "approved", "", None)]);
    open(&dirs);

    // Listed from the cache; then a visit goes on, one appears, one vanishes, a review
    // changes and another appears.
    let mut listed = open_snapshot(&dirs, &options);
    assert_eq!(listed.report.cached, 4);
    let base = listed.check_base(&options);
    going_on.answer(60, "clean", "\"fail\"", Some("no cloth"));
    going_on.write(data.path());
    Visit::finished(IDS[4], "2026-11-24", "zhao.liu", 4).write(data.path());
    std::fs::remove_file(doomed).unwrap();
    write_reviews(
        data.path(),
        IDS[3],
        &[
            (&hash, "approved", "", None),
            (&hash, "rejected", "no photos", None),
        ],
    );
    let hash1 = listed.get(IDS[1]).unwrap().last_hash.clone();
    write_reviews(
        data.path(),
        IDS[1],
        &[(&hash1, "follow_up", "drain?", None)],
    );

    let Checked::Changes(changes) = check(base) else {
        panic!("one folder listed from its cache is checked, not reopened");
    };
    assert_eq!(changes.read, 2, "only the grown and the new log are read");
    assert_eq!(changes.gone, [IDS[2]]);
    listed.apply(changes);
    let fresh = open_store(
        &dirs,
        &OpenOptions {
            use_cache: false,
            ..options.clone()
        },
    );
    let shown_all = |store: &sitecheck::store::index::open::Store| {
        store.visits.iter().map(shown).collect::<Vec<_>>()
    };
    assert_eq!(shown_all(&listed), shown_all(&fresh));
    assert_eq!(
        listed.get(IDS[3]).unwrap().verdict(),
        Some(Verdict::Rejected)
    );
    assert_eq!(
        listed.get(IDS[1]).unwrap().verdict(),
        Some(Verdict::FollowUp)
    );
    assert_eq!(listed.get(IDS[0]).unwrap().failed, 1);

    // The patched cache: the next list from it alone is the fresh one too.
    let next = open_snapshot(&dirs, &options);
    assert_eq!(next.report.read, 0);
    assert_eq!(shown_all(&next), shown_all(&fresh));
    // Nothing changed since: a check finds nothing, and leaves the cache as it is.
    let cache = data.path().join("cache/summaries.bin");
    let before = std::fs::metadata(&cache).unwrap().modified().unwrap();
    let Checked::Changes(none) = check(next.check_base(&options)) else {
        panic!("checked, not reopened");
    };
    assert!(none.visits.is_empty() && none.gone.is_empty() && none.reviews_changed.is_empty());
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn a_cache_rewritten_since_the_list_was_drawn_means_a_whole_reopen() {
    use sitecheck::store::index::check::{Checked, check};

    let data = tempfile::tempdir().unwrap();
    let dirs = vec![data.path().to_owned()];
    let options = OpenOptions::default();
    Visit::finished(IDS[1], "2026-11-22", "li.si", 5).write(data.path());
    open(&dirs);
    let listed = open_snapshot(&dirs, &options);
    // Another process (a `sitecheck list`, say) brings the cache up to date meanwhile.
    Visit::finished(IDS[2], "2026-11-23", "li.si", 2).write(data.path());
    open(&dirs);
    match check(listed.check_base(&options)) {
        Checked::Reopened(store) => assert_eq!(store.visits.len(), 2),
        Checked::Changes(changes) => panic!("checked against another cache: {changes:?}"),
    }
}
