//! A folder or file of the store that cannot be read is named as an error by every command
//! that reads the store, never a silently smaller store; `verify` goes on checking the rest.
//! (Made unreadable by symbolic-link loops, which refuse root too.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use store_support::{IDS, Visit, sitecheck};

#[test]
fn unreadable_folders_and_files_are_named_and_the_rest_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    Visit::finished(IDS[0], "2026-11-22", "zhang.san", 5).write(data);
    Visit::finished(IDS[1], "2026-11-23", "li.si", 4).write(data);
    let visits = data.join("visits");
    // A month folder that loops back on itself, and a log that does.
    std::os::unix::fs::symlink("2026-08", visits.join("2026-08")).unwrap();
    std::os::unix::fs::symlink(
        format!("{}.jsonl", IDS[2]),
        visits.join("2026-11").join(format!("{}.jsonl", IDS[2])),
    )
    .unwrap();

    let verify = sitecheck(&[data], &["verify"]);
    assert_eq!(verify.code, 1, "{}{}", verify.stdout, verify.stderr);
    assert!(
        verify.stdout.contains("2026-08: error: cannot read"),
        "{}",
        verify.stdout
    );
    assert!(
        verify
            .stdout
            .contains(&format!("{}.jsonl: error: cannot read", IDS[2])),
        "{}",
        verify.stdout
    );
    // The readable visits were still checked, after the file that could not be read.
    assert!(
        verify.stdout.contains("3 visits checked: 2 with problems"),
        "{}",
        verify.stdout
    );

    for args in [
        &["list"][..],
        &["stats"][..],
        &["export", "--format", "csv"][..],
    ] {
        let out = sitecheck(&[data], args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("error: ") && out.stderr.contains("2026-08"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            !out.stdout.is_empty(),
            "{args:?}: what could be read is still shown"
        );
    }
    let listed = sitecheck(&[data], &["list", "--format", "json"]);
    let visits: Vec<serde_json::Value> = serde_json::from_str(&listed.stdout).unwrap();
    // Both readable visits, and the unreadable log listed (as unreadable), not left out.
    assert_eq!(visits.len(), 3, "{}", listed.stdout);
}
