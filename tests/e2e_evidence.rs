//! End to end, in a real pseudo-terminal: photos attached to items with `e` (from the inbox
//! and by a typed path), finishing refused until required evidence is there, files refused
//! with nothing recorded, and a copy of a big file killed with SIGKILL then resumed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::pty::{Pty, key};
use common::screen::{detail, wait_at, wait_saved};
use common::site::{APPLIANCE_FIELDS, Site, clean_events, stdout, tiny_png};
use sitecheck::log::EventKind;

/// A checklist with one item that always wants a photo, up to `max_mb`.
fn evidence_checklist(site: &Site, max_mb: u64) -> PathBuf {
    let path = site.data().parent().unwrap().join("evidence-test.yaml");
    std::fs::write(
        &path,
        format!(
            "sitecheck: 1\nid: evidence-test\nversion: \"1\"\ntitle: Evidence test\n\
             sections:\n  - id: site\n    title: Site\n    items:\n      \
             - id: unit\n        prompt: Photograph the installed unit\n        \
             kind: pass_fail\n        evidence: always\n        evidence_max_mb: {max_mb}\n"
        ),
    )
    .unwrap();
    path
}

/// The `attached` events of a log: (item, name, sha256).
fn attached(path: &Path) -> Vec<(String, String, String)> {
    clean_events(path)
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Attached {
                item, name, sha256, ..
            } => Some((item, name, sha256)),
            _ => None,
        })
        .collect()
}

/// The files under `<data>/evidence/<xx>/` (not the partial copies' folder).
fn stored_files(data: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(folders) = std::fs::read_dir(data.join("evidence")) else {
        return files;
    };
    for folder in folders.flatten() {
        if folder.file_name() == "partial" {
            continue;
        }
        for file in std::fs::read_dir(folder.path()).unwrap().flatten() {
            files.push(file.path());
        }
    }
    files.sort();
    files
}

fn partials(data: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(data.join("evidence").join("partial"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn start_appliance(site: &Site) -> Pty {
    let mut args = vec!["run".to_owned(), "appliance-install".to_owned()];
    args.extend(Site::field_args(APPLIANCE_FIELDS));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    site.spawn(&args)
}

#[test]
fn two_photos_one_from_the_inbox_one_by_a_typed_path_are_listed_and_logged() {
    let site = Site::new();
    site.photo_in_inbox("old-receipt.png", 10);
    site.photo_in_inbox("badge-front.png", 50);
    // The second photo lies outside the inbox: it is reached by its path.
    let elsewhere = site.data().parent().unwrap().join("camera");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("serial-plate.png"), tiny_png(120)).unwrap();

    let mut pty = start_appliance(&site);
    wait_at(&pty, "Show your service ID badge before entering");
    pty.send("e");
    let screen = pty.wait_for_text("Attach a photo or file");
    assert!(screen.contains("badge-front.png"), "{screen}");
    assert!(screen.contains("old-receipt.png"), "{screen}");
    // Type to filter, any case: only the badge is left.
    pty.send("BADGE");
    let screen = pty.wait_for("the filter to leave one file", |s| {
        !s.contains("old-receipt.png") && s.contains("BADGE")
    });
    assert!(screen.contains("badge-front.png"), "{screen}");
    pty.send(key::ENTER);
    let screen = wait_saved(&pty, 1);
    assert!(screen.contains("attached: badge-front.png"), "{screen}");
    assert!(screen.contains("Attached (1)"), "{screen}");

    // A typed path, completed by Tab.
    pty.send(&format!("{}/ser", elsewhere.display()));
    pty.wait_for_text("/ser");
    pty.send(key::TAB);
    pty.wait_for_text("serial-plate.png");
    pty.send(key::ENTER);
    let screen = wait_saved(&pty, 2);
    assert!(screen.contains("Attached (2)"), "{screen}");
    pty.send(key::ESC);
    let screen = pty.wait_for("the picker to close", |s| !s.contains("Attach a photo"));
    let pane = detail(&screen);
    assert!(pane.contains("Photos: 2"), "{screen}");
    assert!(pane.contains("▪ badge-front.png"), "{screen}");
    assert!(pane.contains("▪ serial-plate.png"), "{screen}");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0);

    let (_, path) = site.only_visit();
    let logged = attached(&path);
    let names: Vec<(&str, &str)> = logged
        .iter()
        .map(|(item, name, _)| (item.as_str(), name.as_str()))
        .collect();
    assert_eq!(
        names,
        [("badge", "badge-front.png"), ("badge", "serial-plate.png")]
    );
    // Each file is in the store by its hash, with the bytes it had.
    for (_, name, sha) in &logged {
        let stored = site.data().join("evidence").join(&sha[..2]).join(sha);
        let original = if name == "badge-front.png" {
            site.inbox().join(name)
        } else {
            elsewhere.join(name)
        };
        assert_eq!(
            std::fs::read(stored).unwrap(),
            std::fs::read(original).unwrap()
        );
    }
    let verify = site.run(&["verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
}

#[test]
fn finishing_waits_for_the_required_photo_and_refused_files_record_nothing() {
    let site = Site::new();
    let checklist = evidence_checklist(&site, 1);
    let folder = site.data().parent().unwrap().join("a-folder");
    std::fs::create_dir_all(&folder).unwrap();
    let big = site.data().parent().unwrap().join("too-big.jpg");
    std::fs::write(&big, vec![0xffu8; 2 << 20]).unwrap();
    site.photo_in_inbox("unit.png", 77);

    let mut pty = site.spawn(&["run", checklist.to_str().unwrap()]);
    wait_at(&pty, "Photograph the installed unit");
    pty.send("p");
    let screen = wait_saved(&pty, 1);
    assert!(
        detail(&screen).contains("Photos: ! photo required (e)"),
        "{screen}"
    );
    pty.send("s");
    let screen = pty.wait_for_text("Enter finish");
    assert!(screen.contains("(photo missing)"), "{screen}");
    pty.send(key::ENTER);
    pty.wait_for_text("Cannot finish");
    pty.send(key::ESC);
    pty.wait_for("the summary to close", |s| !s.contains("Enter finish"));

    // Refused: a folder, a file over the item's 1 MB, a file that is not there.
    pty.send("e");
    pty.wait_for_text("Attach a photo or file");
    for (typed, said) in [
        (folder.display().to_string(), "is a folder"),
        (
            big.display().to_string(),
            "too large (2.0 MB; this item takes up to 1.0 MB)",
        ),
        ("/no/such/photo.jpg".to_owned(), "no such file"),
    ] {
        pty.send(&typed);
        pty.wait_for_text(&typed[typed.len() - 8..]);
        pty.send(key::ENTER);
        pty.wait_for_text(said);
        // Clear what was typed (Ctrl-U).
        pty.send("\x15");
    }
    let (_, path) = site.only_visit();
    assert!(attached(&path).is_empty());
    assert!(stored_files(&site.data()).is_empty());
    assert!(partials(&site.data()).is_empty());

    // The photo from the inbox: now it finishes.
    pty.send(key::ENTER);
    wait_saved(&pty, 2);
    pty.send(key::ESC);
    pty.wait_for("the picker to close", |s| !s.contains("Attach a photo"));
    pty.send("s");
    pty.wait_for_text("Nothing required is missing.");
    pty.send(key::ENTER);
    pty.wait_for_text("Finish this visit?");
    pty.send("y");
    wait_saved(&pty, 3);
    pty.send("q");
    pty.wait_for_exit();
    let events = clean_events(&path);
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Finished { .. })),
        "{events:?}"
    );
    assert_eq!(attached(&path).len(), 1);
}

#[test]
fn killed_while_a_big_file_is_copied_the_store_holds_it_whole_or_not_at_all() {
    let site = Site::new();
    let checklist = evidence_checklist(&site, 2000);
    // 400 MB, mostly a hole: quick to make, slow enough to copy and hash.
    let big = site.data().parent().unwrap().join("walkthrough.mp4");
    {
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(400 << 20).unwrap();
        use std::os::unix::fs::FileExt;
        file.write_all_at(b"\x00\x00\x00\x20ftypisom", 0).unwrap();
        file.write_all_at(b"the end", (400 << 20) - 7).unwrap();
    }
    let mut pty = site.spawn(&["run", checklist.to_str().unwrap()]);
    wait_at(&pty, "Photograph the installed unit");
    pty.send("e");
    pty.wait_for_text("Attach a photo or file");
    pty.send(&big.display().to_string());
    pty.wait_for_text("walkthrough.mp4");
    pty.send(key::ENTER);
    pty.wait_for_text("copying walkthrough.mp4 (400.0 MB)");
    pty.kill_hard();

    let (_, path) = site.only_visit();
    let verify = site.run(&["verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    let logged = attached(&path);
    let stored = stored_files(&site.data());
    match logged.as_slice() {
        // Not recorded: nothing of it in the store by hash (at most a partial copy).
        [] => assert!(stored.is_empty(), "{stored:?}"),
        // Recorded: the whole file is there.
        [(_, name, sha)] => {
            assert_eq!(name, "walkthrough.mp4");
            let file = site.data().join("evidence").join(&sha[..2]).join(sha);
            assert_eq!(std::fs::metadata(file).unwrap().len(), 400 << 20);
        }
        more => panic!("one file at most: {more:?}"),
    }

    // Resumed: the visit goes on, a small photo is attached, and the partial copy the kill
    // left behind is swept.
    site.photo_in_inbox("unit.png", 33);
    let mut pty = site.spawn(&["resume"]);
    wait_at(&pty, "Photograph the installed unit");
    pty.send("e");
    pty.wait_for_text("unit.png");
    pty.send(key::ENTER);
    pty.wait_for_text("attached: unit.png");
    pty.send(key::ESC);
    pty.wait_for("the picker to close", |s| !s.contains("Attach a photo"));
    pty.send("q");
    pty.wait_for_exit();
    assert!(
        partials(&site.data()).is_empty(),
        "{:?}",
        partials(&site.data())
    );
    let verify = site.run(&["verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    assert!(
        attached(&path)
            .iter()
            .any(|(_, name, _)| name == "unit.png")
    );
}

#[test]
fn the_picker_speaks_chinese_and_e_says_when_an_item_takes_no_evidence() {
    let site = Site::new();
    let checklist = site.data().parent().unwrap().join("no-photos.yaml");
    std::fs::write(
        &checklist,
        "sitecheck: 1\nid: no-photos\nversion: \"1\"\ntitle: No photos\nsections:\n  \
         - id: s\n    title: S\n    items:\n      - id: a\n        prompt: Shoe covers on\n        \
         kind: check\n        evidence: never\n      - id: b\n        prompt: Unit photo\n        \
         kind: check\n",
    )
    .unwrap();
    site.photo_in_inbox("机器.png", 1);
    let mut pty = site.spawn_in("zh-CN", 80, 24, &["run", checklist.to_str().unwrap()]);
    wait_at(&pty, "Shoe covers on");
    let screen = pty.screen_text();
    assert!(
        !screen.contains("e 照片"),
        "no e in the footer here:\n{screen}"
    );
    pty.send("e");
    pty.wait_for_text("此项不需要照片或文件");
    pty.send(key::DOWN);
    wait_at(&pty, "Unit photo");
    pty.wait_for_text("e 照片");
    pty.send("e");
    let screen = pty.wait_for_text("添加照片或文件");
    assert!(screen.contains("机器.png"), "{screen}");
    assert!(screen.contains("刚刚"), "the file's age:\n{screen}");
    pty.send(key::ENTER);
    pty.wait_for_text("已添加：机器.png");
    pty.send(key::ESC);
    pty.wait_for("the picker to close", |s| !s.contains("添加照片或文件"));
    pty.send("q");
    pty.wait_for_exit();
}

#[test]
fn a_terminal_that_does_not_answer_the_image_query_loses_no_key_and_gets_half_blocks() {
    let site = Site::new();
    // A real photo, big enough for a thumbnail of several cells.
    let photo = site.data().parent().unwrap().join("unit.png");
    let mut png = Vec::new();
    image::RgbImage::from_fn(120, 90, |x, y| {
        image::Rgb([(x * 2) as u8, (y * 2) as u8, 90])
    })
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();
    std::fs::write(&photo, png).unwrap();
    let mut args = vec!["run".to_owned(), "appliance-install".to_owned()];
    args.extend(Site::field_args(APPLIANCE_FIELDS));
    let args = site.args("en", &args.iter().map(String::as_str).collect::<Vec<_>>());
    // The VT parser here answers nothing: the query must give up quickly, keep no reader.
    let builder = site.builder(common::site::BIN, &args, &[("SITECHECK_IMAGES", "auto")]);
    let mut pty = Pty::spawn(builder, 80, 24);
    // The first frame comes once the query gave up (within its 300 ms); every key after it
    // reaches the screen.
    wait_at(&pty, "Show your service ID badge before entering");
    pty.send("e");
    pty.wait_for_text("Attach a photo or file");
    pty.send(&photo.display().to_string());
    pty.wait_for_text("unit.png");
    pty.send(key::ENTER);
    wait_saved(&pty, 1);
    pty.send(key::ESC);
    let screen = pty.wait_for("a thumbnail in half blocks", |s| {
        !s.contains("Attach a photo") && (s.contains('▀') || s.contains('▄'))
    });
    assert!(detail(&screen).contains("▪ unit.png"), "{screen}");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0);
}
