//! A summary cache that does not match itself is rebuilt, never believed (issue 10): whatever
//! is done to `<data>/cache/summaries.bin` — a byte flipped anywhere, the file cut short,
//! another data folder's cache copied in — `list` and the review screen (its snapshot and
//! its background check) show what the logs say, and the cache is written again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use sitecheck::export::json::visit_json;
use sitecheck::store::index::check::{Checked, check};
use sitecheck::store::index::open::{OpenOptions, Store, open_snapshot, open_store};
use store_support::{IDS, Visit, list_json_uncached, sitecheck_env, write_log_text, write_reviews};

/// A store with a bit of everything a summary holds: a reviewed finished visit, an open one
/// with a note, a failed one by a technician with a Chinese name, a torn and a damaged log.
/// Returns the open visit, to go on with.
fn store(data: &Path, technician: &str, rating: u8) -> Visit {
    let reviewed = Visit::finished(IDS[0], "2026-11-22", technician, rating);
    reviewed.write(data);
    write_reviews(
        data,
        IDS[0],
        &[(&reviewed.log.last_hash(), "approved", "good work", None)],
    );
    let mut open = Visit::start(
        IDS[1],
        "2026-11-22",
        "li.si",
        &[("work_order", "WO-2"), ("customer", "李四")],
    );
    open.answer(30, "badge", "\"fail\"", Some("no badge"));
    open.write(data);
    Visit::finished(IDS[2], "2026-11-23", "王五", 2).write(data);
    let torn = Visit::finished(IDS[3], "2026-11-23", technician, 4);
    write_log_text(
        data,
        &torn,
        &format!("{}{{\"seq\":5,\"event\":\"answ", torn.log.text()),
    );
    let damaged = Visit::finished(IDS[4], "2026-11-24", technician, 5);
    let altered = damaged
        .log
        .text()
        .replace("\"value\":\"pass\"", "\"value\":\"fail\"");
    write_log_text(data, &damaged, &altered);
    open
}

const LOGS: usize = 5;

fn cache_file(data: &Path) -> PathBuf {
    data.join("cache").join("summaries.bin")
}

fn options(use_cache: bool) -> OpenOptions {
    OpenOptions {
        use_cache,
        ..OpenOptions::default()
    }
}

/// The store as `list --format json` shows it, opened in this process.
fn shown(store: &Store) -> Vec<Value> {
    store.visits.iter().map(|v| visit_json(v, "en")).collect()
}

/// Every log read afresh.
fn uncached(data: &Path) -> Vec<Value> {
    shown(&open_store(&[data.to_owned()], &options(false)))
}

/// `list --format json` through the cache (whatever the environment says).
fn list_cached(data: &Path) -> Vec<Value> {
    let out = sitecheck_env(&[data], &["list", "--format", "json"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// `bytes` with the first `from` replaced by `to` (of the same length: the cache still
/// decodes, only its digest can tell).
fn replaced(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .unwrap_or_else(|| panic!("{:?} is not in the cache", String::from_utf8_lossy(from)));
    let mut out = bytes.to_vec();
    out[at..at + to.len()].copy_from_slice(to);
    out
}

#[test]
fn a_byte_flipped_anywhere_in_the_cache_is_never_believed() {
    let data = tempfile::tempdir().unwrap();
    store(data.path(), "zhang.san", 5);
    let dirs = vec![data.path().to_owned()];
    let truth = uncached(data.path());
    assert_eq!(truth.len(), LOGS);
    let first = open_store(&dirs, &options(true));
    assert_eq!(shown(&first), truth);
    let good = std::fs::read(cache_file(data.path())).unwrap();
    let second = open_store(&dirs, &options(true));
    assert_eq!(second.report.cached, LOGS, "a good cache is used");
    // Every byte with its lowest bit flipped, and every few its highest (a length prefix
    // that grows long).
    for at in 0..good.len() {
        for flip in [0x01, 0x80]
            .into_iter()
            .filter(|&f| f == 0x01 || at % 16 == 0)
        {
            let mut bad = good.clone();
            bad[at] ^= flip;
            std::fs::write(cache_file(data.path()), &bad).unwrap();
            let opened = open_store(&dirs, &options(true));
            assert_eq!(shown(&opened), truth, "byte {at} ^ {flip:#x}");
            assert_eq!(opened.report.read, LOGS, "byte {at} ^ {flip:#x}: logs read");
            assert_eq!(
                std::fs::read(cache_file(data.path())).unwrap(),
                good,
                "byte {at} ^ {flip:#x}: the cache is rebuilt"
            );
        }
    }
}

#[test]
fn list_never_believes_an_edited_cache() {
    let data = tempfile::tempdir().unwrap();
    store(data.path(), "zhang.san", 5);
    let truth = list_json_uncached(&[data.path()]);
    assert_eq!(truth.len(), LOGS);
    assert_eq!(list_cached(data.path()), truth);
    let good = std::fs::read(cache_file(data.path())).unwrap();
    // Edits that still decode: a technician, a review's verdict, a score, a verdict.
    let mut edits = vec![
        (
            "technician".to_owned(),
            replaced(&good, b"zhang.san", b"zhang.sun"),
        ),
        (
            "review verdict".to_owned(),
            replaced(&good, b"approved", b"rejected"),
        ),
        (
            "score".to_owned(),
            replaced(&good, &1.0f64.to_le_bytes(), &0.5f64.to_le_bytes()),
        ),
        (
            "integrity".to_owned(),
            replaced(&good, b"changed", b"chanGed"),
        ),
    ];
    // And single bytes flipped across the file.
    let stride = (good.len() / 48).max(1);
    for at in (0..good.len()).step_by(stride).chain([good.len() - 1]) {
        let mut bad = good.clone();
        bad[at] ^= 0x04;
        edits.push((format!("byte {at}"), bad));
    }
    for (what, bad) in edits {
        std::fs::write(cache_file(data.path()), &bad).unwrap();
        assert_eq!(list_cached(data.path()), truth, "{what}");
        assert_eq!(
            std::fs::read(cache_file(data.path())).unwrap(),
            good,
            "{what}: the cache is rebuilt"
        );
        assert_eq!(list_cached(data.path()), truth, "{what}: and then used");
    }
}

#[test]
fn a_truncated_or_lengthened_cache_is_rebuilt() {
    let data = tempfile::tempdir().unwrap();
    store(data.path(), "zhang.san", 5);
    let truth = list_json_uncached(&[data.path()]);
    assert_eq!(list_cached(data.path()), truth);
    let good = std::fs::read(cache_file(data.path())).unwrap();
    let len = good.len();
    let mut cuts: Vec<Vec<u8>> = [0, 1, 24, len / 2, len - 33, len - 32, len - 1]
        .into_iter()
        .map(|cut| good[..cut].to_vec())
        .collect();
    // Bytes added after the digest, or the digest written twice.
    cuts.push([good.as_slice(), &[0]].concat());
    cuts.push([good.as_slice(), &good[len - 32..]].concat());
    for bad in cuts {
        std::fs::write(cache_file(data.path()), &bad).unwrap();
        assert_eq!(list_cached(data.path()), truth, "{} bytes", bad.len());
        assert_eq!(std::fs::read(cache_file(data.path())).unwrap(), good);
    }
}

#[test]
fn a_cache_copied_in_from_another_data_folder_is_not_believed() {
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();
    // The same visits (ids, months, file names), other technicians and answers.
    store(here.path(), "zhang.san", 5);
    store(there.path(), "zhao.liu", 3);
    let truth = uncached(here.path());
    assert_ne!(truth, uncached(there.path()));
    open_store(&[there.path().to_owned()], &options(true));
    std::fs::create_dir_all(cache_file(here.path()).parent().unwrap()).unwrap();
    std::fs::copy(cache_file(there.path()), cache_file(here.path())).unwrap();

    // The review screen draws its list from the cache alone, before any log is looked at.
    let snapshot = open_snapshot(&[here.path().to_owned()], &options(true));
    assert_eq!(shown(&snapshot), truth);
    std::fs::copy(cache_file(there.path()), cache_file(here.path())).unwrap();
    assert_eq!(list_cached(here.path()), list_json_uncached(&[here.path()]));
    // Rebuilt for this folder, and used.
    let again = open_store(&[here.path().to_owned()], &options(true));
    assert_eq!((again.report.read, again.report.cached), (0, LOGS));
    assert_eq!(shown(&again), truth);
}

/// What the review screen ends with: its snapshot, brought up to date by a check.
fn checked(snapshot: Store) -> Vec<Value> {
    let base = snapshot.check_base(&options(true));
    match check(base) {
        Checked::Changes(changes) => {
            let mut store = snapshot;
            store.apply(changes);
            shown(&store)
        }
        Checked::Reopened(store) => shown(&store),
    }
}

#[test]
fn the_review_screens_check_never_believes_an_edited_cache() {
    let data = tempfile::tempdir().unwrap();
    let mut open = store(data.path(), "zhang.san", 5);
    let dirs = vec![data.path().to_owned()];
    let truth = uncached(data.path());
    open_store(&dirs, &options(true));
    let good = std::fs::read(cache_file(data.path())).unwrap();
    let edited = replaced(&good, b"zhang.san", b"zhang.sun");

    // Edited after the list was drawn from it: the check does not take it up.
    let snapshot = open_snapshot(&dirs, &options(true));
    assert_eq!(shown(&snapshot), truth);
    std::fs::write(cache_file(data.path()), &edited).unwrap();
    assert_eq!(checked(snapshot), truth);
    assert_eq!(std::fs::read(cache_file(data.path())).unwrap(), good);

    // Edited before: the list is not drawn from it, and the check agrees.
    std::fs::write(cache_file(data.path()), &edited).unwrap();
    let snapshot = open_snapshot(&dirs, &options(true));
    assert_eq!(shown(&snapshot), truth);
    assert_eq!(checked(snapshot), truth);
    assert_eq!(std::fs::read(cache_file(data.path())).unwrap(), good);

    // A log goes on and a review is added while the list is shown: the check patches the
    // cache in place, and the patched cache holds (its digest is right) and is used.
    let snapshot = open_snapshot(&dirs, &options(true));
    open.answer(60, "clean", "\"pass\"", None);
    open.write(data.path());
    let hash = Visit::finished(IDS[2], "2026-11-23", "王五", 2)
        .log
        .last_hash();
    write_reviews(
        data.path(),
        IDS[2],
        &[(&hash, "follow_up", "ask again", Some("satisfaction"))],
    );
    let truth = uncached(data.path());
    assert_eq!(checked(snapshot), truth);
    assert_ne!(std::fs::read(cache_file(data.path())).unwrap(), good);
    let reopened = open_store(&dirs, &options(true));
    assert_eq!((reopened.report.read, reopened.report.cached), (0, LOGS));
    assert_eq!(shown(&reopened), truth);
    let snapshot = open_snapshot(&dirs, &options(true));
    assert_eq!(shown(&snapshot), truth);
    assert_eq!(checked(snapshot), truth);
    assert_eq!(list_cached(data.path()), list_json_uncached(&[data.path()]));
}
