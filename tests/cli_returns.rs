//! `sitecheck returns --technician NAME --out DIR` (SPEC sections 2 and 6): the review logs
//! of that technician's visits and nothing else, laid out so that `sitecheck import DIR` on
//! the laptop takes them; a folder that is not empty, an unknown technician or no
//! technician at all is refused (exit 2) with nothing written. And `show` names who amended.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::Path;

use store_support::{IDS, Visit, sitecheck, write_reviews};

/// An office store: two visits of zhang.san (one reviewed), one of li.si (reviewed).
fn office(data: &Path) {
    for (id, technician) in [
        (IDS[0], "zhang.san"),
        (IDS[1], "zhang.san"),
        (IDS[2], "li.si"),
    ] {
        let visit = Visit::finished(id, "2026-11-22", technician, 4);
        visit.write(data);
        if id != IDS[1] {
            write_reviews(
                data,
                id,
                &[(
                    &visit.log.last_hash(),
                    "follow_up",
                    "re-check the badge",
                    None,
                )],
            );
        }
    }
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walk(dir) {
        found.push(
            entry
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        );
    }
    found.sort();
    found
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn returns_holds_only_that_technicians_review_logs_and_import_takes_them() {
    let office_dir = tempfile::tempdir().unwrap();
    office(office_dir.path());
    let stick = tempfile::tempdir().unwrap();
    let out_dir = stick.path().join("returns");
    let out = sitecheck(
        &[office_dir.path()],
        &[
            "returns",
            "--technician",
            "zhang.san",
            "--out",
            &out_dir.to_string_lossy(),
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("1 review log of zhang.san's 2 visits written (nothing else)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("sitecheck import"), "{}", out.stdout);
    // Only zhang.san's review log, byte for byte: no visit logs, no review of li.si's.
    assert_eq!(files_under(&out_dir), [format!("reviews/{}.jsonl", IDS[0])]);
    let office_review = office_dir
        .path()
        .join("reviews")
        .join(format!("{}.jsonl", IDS[0]));
    assert_eq!(
        std::fs::read(out_dir.join("reviews").join(format!("{}.jsonl", IDS[0]))).unwrap(),
        std::fs::read(office_review).unwrap()
    );

    // zhang.san's laptop, with his own visits, takes them.
    let laptop = tempfile::tempdir().unwrap();
    Visit::finished(IDS[0], "2026-11-22", "zhang.san", 4).write(laptop.path());
    let imported = sitecheck(&[laptop.path()], &["import", &out_dir.to_string_lossy()]);
    assert_eq!(imported.code, 0, "{}{}", imported.stdout, imported.stderr);
    assert!(
        imported.stdout.contains("review logs: 1 new"),
        "{}",
        imported.stdout
    );
    assert!(
        imported.stdout.contains("visit logs: 0 new"),
        "{}",
        imported.stdout
    );
    assert_eq!(
        files_under(&laptop.path().join("reviews")),
        [format!("{}.jsonl", IDS[0])]
    );
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_nothing_written() {
    let office_dir = tempfile::tempdir().unwrap();
    office(office_dir.path());
    let stick = tempfile::tempdir().unwrap();
    std::fs::write(stick.path().join("photo.jpg"), b"x").unwrap();
    let out = sitecheck(
        &[office_dir.path()],
        &[
            "returns",
            "--technician",
            "zhang.san",
            "--out",
            &stick.path().to_string_lossy(),
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains(&format!(
            "{}: error: this folder is not empty",
            stick.path().display()
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("Nothing was written"), "{}", out.stderr);
    assert_eq!(files_under(stick.path()), ["photo.jpg"]);

    // A file where the folder should be is refused the same way.
    let file = stick.path().join("photo.jpg");
    let out = sitecheck(
        &[office_dir.path()],
        &[
            "returns",
            "--technician",
            "zhang.san",
            "--out",
            &file.to_string_lossy(),
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn an_unknown_or_missing_technician_is_an_error_naming_the_known_ones() {
    let office_dir = tempfile::tempdir().unwrap();
    office(office_dir.path());
    let stick = tempfile::tempdir().unwrap();
    let out_dir = stick.path().join("returns");
    let args = |technician: Option<&'static str>| {
        let mut args = vec!["returns".to_owned()];
        if let Some(t) = technician {
            args.extend(["--technician".to_owned(), t.to_owned()]);
        }
        args.extend(["--out".to_owned(), out_dir.to_string_lossy().into_owned()]);
        args
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        sitecheck(&[office_dir.path()], &args)
    };
    let out = run(args(Some("zhang.shan")));
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("error: no visit of technician \"zhang.shan\" is in the store; its technicians are: li.si, zhang.san"),
        "{}",
        out.stderr
    );
    assert!(!out_dir.exists(), "nothing is written");

    let out = run(args(None));
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("returns needs --technician NAME"),
        "{}",
        out.stderr
    );
    assert!(!out_dir.exists(), "nothing is written");

    let mut zh = args(Some("zhang.shan"));
    zh.extend(["--lang".to_owned(), "zh-CN".to_owned()]);
    let out = run(zh);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("记录库中没有技术员“zhang.shan”的上门记录；已有的技术员：li.si, zhang.san"),
        "{}",
        out.stderr
    );
}

#[test]
fn show_names_who_amended_and_says_so_when_an_old_log_does_not() {
    let data = tempfile::tempdir().unwrap();
    let mut visit = Visit::finished(IDS[0], "2026-11-22", "zhang.san", 2);
    // One amendment as written before amenders were recorded, one as written now, and the
    // answer to the supervisor's general comment.
    visit
        .amend(300, "satisfaction", "3", "called the customer again")
        .amend_by(
            400,
            Some(("satisfaction", "4")),
            Some("happy now"),
            "second call",
            "zhang.san",
        )
        .amend_by(500, None, None, "done as you asked", "zhang.san");
    visit.write(data.path());
    let verified = sitecheck(&[data.path()], &["verify"]);
    assert_eq!(verified.code, 0, "{}{}", verified.stdout, verified.stderr);

    let out = sitecheck(&[data.path()], &["show", IDS[0]]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "satisfaction = 3 — called the customer again · by an unknown amender (not recorded)"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("satisfaction = 4 — second call (note: happy now) · by zhang.san on tb-0001"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "answer to the supervisor's comment — done as you asked · by zhang.san on tb-0001"
        ),
        "{}",
        out.stdout
    );

    let out = sitecheck(&[data.path()], &["show", IDS[0], "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let amendments = json["amendments"].as_array().unwrap();
    assert_eq!(amendments[0]["technician"], serde_json::Value::Null);
    assert_eq!(amendments[1]["technician"], "zhang.san");
    assert_eq!(amendments[1]["host"], "tb-0001");
    assert_eq!(amendments[2]["item"], serde_json::Value::Null);

    // The list and the figures read all three the same way (the one loader).
    let listed = store_support::list_json(&[data.path()], &[]);
    assert_eq!(listed[0]["amendments"], 3);
    assert_eq!(listed[0]["integrity"]["state"], "ok");
}
