//! Evidence from the command line (SPEC section 10): `sitecheck attach VISIT ITEM FILE...`
//! copies files into the store by hash before the `attached` line; bad files record nothing;
//! a finished visit takes them only as an amendment by its own technician; `verify` catches
//! a deleted and an altered file; `import` carries the files by hash; `show` and the exports
//! name them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::{Path, PathBuf};

use store_support::{IDS, Visit, sha256_hex, sitecheck};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0 a small jpeg, as far as its first bytes go";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n a small png";

fn open_visit(data: &Path, id: &str) -> PathBuf {
    let mut visit = Visit::start(id, "2026-11-22", "zhang.san", &[("work_order", "WO-7")]);
    visit.answer(30, "badge", "\"pass\"", None);
    visit.write(data)
}

fn attach(data: &Path, technician: &str, args: &[&str]) -> store_support::Output {
    let mut all = vec!["--technician", technician, "attach"];
    all.extend_from_slice(args);
    sitecheck(&[data], &all)
}

fn events(log: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn stored(data: &Path, bytes: &[u8]) -> PathBuf {
    let sha = sha256_hex(bytes);
    data.join("evidence").join(&sha[..2]).join(sha)
}

/// Every file under the store's evidence folder (partial copies included).
fn evidence_files(data: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&data.join("evidence"), &mut found);
    found
}

#[test]
fn attached_files_are_in_the_store_by_hash_and_verify_catches_a_deleted_and_an_altered_one() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let log = open_visit(&data, IDS[0]);
    let photos = tmp.path().join("photos");
    std::fs::create_dir_all(&photos).unwrap();
    std::fs::write(photos.join("unit.jpg"), JPEG).unwrap();
    std::fs::write(photos.join("plate.png"), PNG).unwrap();

    let out = attach(
        &data,
        "zhang.san",
        &[
            "01JD",
            "badge",
            photos.join("unit.jpg").to_str().unwrap(),
            photos.join("plate.png").to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("attached unit.jpg"), "{}", out.stdout);
    assert!(out.stdout.contains(&sha256_hex(PNG)), "{}", out.stdout);

    let attached: Vec<_> = events(&log)
        .into_iter()
        .filter(|e| e["event"] == "attached")
        .collect();
    assert_eq!(attached.len(), 2);
    assert_eq!(attached[0]["item"], "badge");
    assert_eq!(attached[0]["sha256"], sha256_hex(JPEG));
    assert_eq!(attached[0]["size"], JPEG.len());
    assert_eq!(attached[0]["media_type"], "image/jpeg");
    assert_eq!(attached[0]["name"], "unit.jpg");
    assert_eq!(attached[1]["media_type"], "image/png");
    assert!(
        attached[0].get("reason").is_none(),
        "an open visit: no amendment"
    );
    assert_eq!(std::fs::read(stored(&data, JPEG)).unwrap(), JPEG);
    assert_eq!(std::fs::read(stored(&data, PNG)).unwrap(), PNG);

    let verify = sitecheck(&[&data], &["verify"]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);

    // Every reader names the files.
    let show = sitecheck(&[&data], &["show", "01JD", "--format", "json"]);
    let shown: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    let badge = shown["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == "badge")
        .unwrap();
    assert_eq!(badge["evidence"].as_array().unwrap().len(), 2);
    let text = sitecheck(&[&data], &["show", "01JD"]);
    assert!(
        text.stdout.contains("evidence: unit.jpg"),
        "{}",
        text.stdout
    );
    let csv = sitecheck(&[&data], &["export", "--format", "csv"]);
    let header = csv.stdout.lines().next().unwrap();
    assert!(header.ends_with(",evidence,integrity"), "{header}");
    let row = csv.stdout.lines().find(|l| l.contains(",badge,")).unwrap();
    assert!(
        row.contains(&format!("{} {}", sha256_hex(JPEG), sha256_hex(PNG))),
        "{row}"
    );
    let jsonl = sitecheck(&[&data], &["export", "--format", "jsonl"]);
    let visit: serde_json::Value =
        serde_json::from_str(jsonl.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(visit["answers"][0]["evidence"][1]["name"], "plate.png");

    // One deleted, one altered: both named, with the line that attached them.
    std::fs::remove_file(stored(&data, JPEG)).unwrap();
    std::fs::write(stored(&data, PNG), b"\x89PNG\r\n\x1a\n another picture").unwrap();
    let verify = sitecheck(&[&data], &["verify"]);
    assert_eq!(verify.code, 1, "{}", verify.stdout);
    let lines: Vec<&str> = verify.stdout.lines().collect();
    let missing = lines.iter().find(|l| l.contains("unit.jpg")).unwrap();
    assert!(missing.contains("is missing from the store"), "{missing}");
    let altered = lines.iter().find(|l| l.contains("plate.png")).unwrap();
    assert!(altered.contains("was altered"), "{altered}");
    let line_of = |sha: &str| {
        1 + events(&log)
            .iter()
            .position(|e| e["event"] == "attached" && e["sha256"] == sha)
            .unwrap()
    };
    assert!(
        missing.contains(&format!(":{}: error:", line_of(&sha256_hex(JPEG)))),
        "{missing}"
    );
    assert!(
        altered.contains(&format!(":{}: error:", line_of(&sha256_hex(PNG)))),
        "{altered}"
    );
}

#[test]
fn a_bad_file_records_nothing_and_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let log = open_visit(&data, IDS[0]);
    let before = std::fs::read(&log).unwrap();
    let good = tmp.path().join("good.jpg");
    std::fs::write(&good, JPEG).unwrap();
    // Over the default 20 MB, without writing 21 MB.
    let big = tmp.path().join("huge.jpg");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    let escaped = tmp.path().join("photo\x1b[2J.jpg");
    std::fs::write(&escaped, JPEG).unwrap();
    let empty = tmp.path().join("empty.jpg");
    std::fs::write(&empty, b"").unwrap();
    let cases: [(PathBuf, &str); 5] = [
        (tmp.path().join("no-such.jpg"), "no such file"),
        (tmp.path().to_path_buf(), "is a folder"),
        (big, "this item takes files up to 20.0 MB"),
        (escaped, "control characters"),
        (empty, "is empty"),
    ];
    for (bad, words) in &cases {
        // The good file first: one bad file among several attaches none of them.
        let out = attach(
            &data,
            "zhang.san",
            &[
                IDS[0],
                "badge",
                good.to_str().unwrap(),
                bad.to_str().unwrap(),
            ],
        );
        assert_eq!(out.code, 2, "{}: {}", bad.display(), out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert!(out.stderr.contains(words), "{words}: {}", out.stderr);
        assert!(!out.stderr.contains('\x1b'), "escape reached the terminal");
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
    let unknown = attach(
        &data,
        "zhang.san",
        &[IDS[0], "no_item", good.to_str().unwrap()],
    );
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("no item \"no_item\""),
        "{}",
        unknown.stderr
    );
    assert!(
        evidence_files(&data).is_empty(),
        "{:?}",
        evidence_files(&data)
    );
    // Nothing recorded at all: not even that the visit was resumed.
    assert_eq!(std::fs::read(&log).unwrap(), before);
}

#[test]
fn a_finished_visit_takes_evidence_only_as_its_technicians_amendment() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let log = Visit::finished(IDS[1], "2026-11-22", "zhang.san", 5).write(&data);
    let photo = tmp.path().join("site.jpg");
    std::fs::write(&photo, JPEG).unwrap();
    let before = std::fs::read(&log).unwrap();

    let no_reason = attach(
        &data,
        "zhang.san",
        &[IDS[1], "clean", photo.to_str().unwrap()],
    );
    assert_eq!(no_reason.code, 2, "{}", no_reason.stderr);
    assert!(no_reason.stderr.contains("reason"), "{}", no_reason.stderr);
    let other = attach(
        &data,
        "li.si",
        &[
            IDS[1],
            "clean",
            photo.to_str().unwrap(),
            "--reason",
            "photo",
        ],
    );
    assert_eq!(other.code, 2, "{}", other.stderr);
    assert!(other.stderr.contains("only zhang.san"), "{}", other.stderr);
    assert_eq!(std::fs::read(&log).unwrap(), before, "nothing written");

    let own = attach(
        &data,
        "zhang.san",
        &[
            IDS[1],
            "clean",
            photo.to_str().unwrap(),
            "--reason",
            "supervisor asked for a photo of the site",
        ],
    );
    assert_eq!(own.code, 0, "{}", own.stderr);
    let after = events(&log);
    let attached = after.iter().find(|e| e["event"] == "attached").unwrap();
    assert_eq!(
        attached["reason"],
        "supervisor asked for a photo of the site"
    );
    assert_eq!(attached["technician"], "zhang.san");
    assert!(attached["host"].is_string());
    let verify = sitecheck(&[&data], &["verify", IDS[1]]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    let show = sitecheck(&[&data], &["show", IDS[1]]);
    assert!(
        show.stdout
            .contains("clean: attached site.jpg — supervisor asked for a photo"),
        "{}",
        show.stdout
    );
    let list = store_support::list_json(&[&data], &[]);
    assert_eq!(
        list[0]["amendments"], 1,
        "an evidence change after close is an amendment"
    );
}

#[test]
fn import_carries_evidence_by_hash_and_refuses_a_file_that_does_not_match() {
    let tmp = tempfile::tempdir().unwrap();
    let laptop = tmp.path().join("laptop");
    let office = tmp.path().join("office");
    open_visit(&laptop, IDS[0]);
    let photo = tmp.path().join("unit.jpg");
    std::fs::write(&photo, JPEG).unwrap();
    let out = attach(
        &laptop,
        "zhang.san",
        &[IDS[0], "badge", photo.to_str().unwrap()],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);

    let import = sitecheck(&[&office], &["import", laptop.to_str().unwrap()]);
    assert_eq!(import.code, 0, "{}{}", import.stdout, import.stderr);
    assert!(
        import.stdout.contains("evidence: 1 copied"),
        "{}",
        import.stdout
    );
    assert_eq!(std::fs::read(stored(&office, JPEG)).unwrap(), JPEG);
    assert_eq!(sitecheck(&[&office], &["verify"]).code, 0);
    // Again: nothing to copy.
    let again = sitecheck(&[&office], &["import", laptop.to_str().unwrap()]);
    assert!(
        again.stdout.contains("evidence: 0 copied, 1 already here"),
        "{}",
        again.stdout
    );

    // A second visit whose file was altered on the stick: the log comes (it is the
    // record), the file does not, and verify at the office says so.
    open_visit(&laptop, IDS[2]);
    std::fs::write(&photo, PNG).unwrap();
    let out = attach(
        &laptop,
        "zhang.san",
        &[IDS[2], "badge", photo.to_str().unwrap()],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::write(stored(&laptop, PNG), b"not the photo").unwrap();
    let import = sitecheck(&[&office], &["import", laptop.to_str().unwrap()]);
    assert!(
        import.stdout.contains("warning: evidence not taken"),
        "{}",
        import.stdout
    );
    assert!(!stored(&office, PNG).exists());
    assert!(
        evidence_files(&office)
            .iter()
            .all(|p| !p.to_string_lossy().contains("partial") || p.is_dir())
    );
    let verify = sitecheck(&[&office], &["verify"]);
    assert_eq!(verify.code, 1);
    assert!(
        verify.stdout.contains("is missing from the store"),
        "{}",
        verify.stdout
    );
}
