//! End to end, in a real pseudo-terminal: a supervisor opens `sitecheck review` on a store
//! of 2,000 generated visits, finds one by `/` search, approves it with a comment and
//! quits; the review log then holds exactly that review, chained, against the visit's
//! last line, and `sitecheck verify` passes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod review_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::pty::key;
use common::site::{BIN, Site, TECHNICIAN, stdout};
use serde_json::Value;
use sitecheck::store::index::open::{OpenOptions, open_store};
use sitecheck::store::index::summary::VisitStatus;
use sitecheck::store::reviews::read_reviews;

/// The `gen_store` example, built beside the `sitecheck` binary under test (`cargo test`
/// builds the examples; a test run on its own builds it here).
fn gen_store() -> PathBuf {
    let profile_dir = Path::new(BIN).parent().expect("the binary's folder");
    let bin = profile_dir
        .join("examples")
        .join(format!("gen_store{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let mut build = Command::new(env!("CARGO"));
        build
            .args(["build", "--example", "gen_store"])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.ends_with("release") {
            build.arg("--release");
        }
        let status = build.status().expect("run cargo build --example gen_store");
        assert!(status.success(), "cargo build --example gen_store failed");
    }
    bin
}

/// A store of `visits` generated visits in `out`, seeded.
fn generate(visits: usize, seed: u64, out: &Path) {
    let generated = Command::new(gen_store())
        .args([
            "--visits",
            &visits.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(out)
        .output()
        .expect("run gen_store");
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
}

#[test]
fn find_a_visit_by_search_approve_it_with_a_comment_and_quit() {
    let site = Site::new();
    let data = site.data();
    generate(2000, 11, &data);

    // A finished visit nobody reviewed yet. Opening the store here also leaves its summary
    // cache warm, as a supervisor's second look would find it.
    let store = open_store(std::slice::from_ref(&data), &OpenOptions::default());
    assert_eq!(store.visits.len(), 2000);
    let target = store
        .visits
        .iter()
        .filter(|v| v.status == VisitStatus::Finished && v.reviews.all.is_empty())
        .nth(500)
        .expect("an unreviewed finished visit");
    let (id, last_hash) = (target.id.clone(), target.last_hash.clone());
    let review_file = data.join("reviews").join(format!("{id}.jsonl"));
    assert!(!review_file.exists());

    let mut pty = site.spawn(&["review"]);
    // It opens on the queue (what needs a review); Esc shows every visit.
    let screen = pty.wait_for_text("verdict: to review");
    assert!(!screen.contains("2,000 of 2,000 visits"), "{screen}");
    pty.send(key::ESC);
    pty.wait_for_text("2,000 of 2,000 visits");
    pty.send("/");
    pty.wait_for_text("/ search: ");
    pty.send(&id.to_lowercase());
    let screen = pty.wait_for_text("1 of 2,000 visits");
    assert!(
        screen.contains(target.work_order().unwrap_or_default()),
        "{screen}"
    );
    pty.send(key::ENTER);
    pty.wait_for("the search line closed", |screen| {
        !screen.contains("/ search: ")
    });

    pty.send("a");
    pty.wait_for_text("Comment (optional): ");
    pty.send("checked on site, all good");
    pty.wait_for_text("Comment (optional): checked on site, all good");
    pty.send(key::ENTER);
    let screen = pty.wait_for_text("✓ approved — saved");
    let row = screen.lines().nth(2).expect("the visit's row").to_owned();
    assert!(
        row.contains("✓ approved"),
        "the list shows it at once:\n{screen}"
    );

    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0);
    let modes = pty.modes();
    assert!(
        !modes.alternate_screen && !modes.mouse_reporting,
        "{modes:?}"
    );

    let text = std::fs::read_to_string(&review_file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let line: serde_json::Map<String, Value> = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(line["seq"], 0);
    assert_eq!(line["event"], "review");
    assert_eq!(line["visit"], id.as_str());
    assert_eq!(line["visit_hash"], last_hash.as_str());
    assert_eq!(line["reviewer"], TECHNICIAN);
    assert_eq!(line["verdict"], "approved");
    assert_eq!(line["comment"], "checked on site, all good");
    assert!(!line.contains_key("item"));
    let log = read_reviews(&data, &id).unwrap();
    assert!(log.integrity.is_clean(), "{:?}", log.integrity);
    assert_eq!(log.reviews.len(), 1);

    let verified = site.run(&["verify", &id]);
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
}

#[test]
fn too_small_then_resized_in_chinese_and_ctrl_c_gives_the_terminal_back() {
    let site = Site::new();
    let store = review_support::small_store();
    // The small store's data folder is the site's: copy its logs over.
    copy_dir(&store.data(), &site.data());
    let mut pty = site.spawn_in("zh-CN", 80, 24, &["review", "--verdict", "approved"]);
    pty.wait_for_text("1 / 8 条记录");
    pty.send(key::ESC);
    let screen = pty.wait_for_text("8 / 8 条记录");
    assert!(
        screen.contains("日期↓") && screen.contains("审核"),
        "{screen}"
    );
    pty.resize(50, 12);
    pty.wait_for_text("终端太小");
    // Keys do nothing while the terminal is too small.
    pty.send("x");
    pty.resize(80, 24);
    let screen = pty.wait_for_text("8 / 8 条记录");
    assert!(
        !screen.contains("意见"),
        "no comment box opened unseen:\n{screen}"
    );
    pty.send("\u{3}");
    assert_eq!(pty.wait_for_exit(), 0);
    let modes = pty.modes();
    assert!(
        !modes.alternate_screen && !modes.mouse_reporting && !modes.cursor_hidden,
        "{modes:?}"
    );
}

#[test]
fn the_list_comes_from_the_cache_then_catches_up_with_an_import() {
    let site = Site::new();
    let data = site.data();
    generate(300, 5, &data);
    // A first look leaves the summary cache.
    let mut pty = site.spawn(&["review"]);
    // The queue of those to review, out of all 300.
    pty.wait_for_text(" of 300 visits");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0);
    // Then a technician's stick is imported: three visits the cache has never seen.
    let stick = tempfile::tempdir().unwrap();
    generate(3, 6, stick.path());
    let imported = site.run(&["import", &stick.path().to_string_lossy()]);
    assert_eq!(imported.status.code(), Some(0), "{}", stdout(&imported));

    let mut pty = site.spawn(&["review"]);
    let screen =
        pty.wait_for_text("New or changed logs since the list was saved: 3 — list updated");
    assert!(screen.contains(" of 303 visits"), "{screen}");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `sitecheck export | head`: the reader stops early, and that is no error to report.
#[test]
fn a_reader_that_stops_early_is_no_error() {
    use std::io::Read;
    use std::process::Stdio;

    let site = Site::new();
    let data = site.data();
    generate(300, 8, &data);
    for args in [
        &["export", "--format", "csv"][..],
        &["list", "--format", "json"][..],
    ] {
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .env("SITECHECK_CONFIG", site.config())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn sitecheck");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut head = [0u8; 100];
        stdout.read_exact(&mut head).expect("the first bytes");
        drop(stdout);
        let output = child.wait_with_output().expect("wait");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}
