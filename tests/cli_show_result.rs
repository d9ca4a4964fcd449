//! `show` never calls an open visit with required items missing a pass: its result is
//! "incomplete" (or a failure "so far"), in every language and format for people.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use store_support::{IDS, Visit, sitecheck};

#[test]
fn an_open_visit_with_items_missing_is_not_a_pass() {
    let data = tempfile::tempdir().unwrap();
    let mut open = Visit::start(IDS[0], "2026-11-22", "zhang.san", &[("work_order", "WO-1")]);
    open.answer(30, "badge", "\"pass\"", None);
    open.write(data.path());
    let mut failing = Visit::start(IDS[1], "2026-11-22", "zhang.san", &[("work_order", "WO-2")]);
    failing.answer(30, "badge", "\"fail\"", Some("no badge"));
    failing.write(data.path());
    Visit::finished(IDS[2], "2026-11-22", "zhang.san", 5).write(data.path());

    for (lang, incomplete, fail_so_far, pass) in [
        ("en", "INCOMPLETE", "FAIL (SO FAR)", "PASS"),
        ("zh-CN", "未完成", "不合格 (目前)", "合格"),
    ] {
        let text = |id: &str, format: &str| {
            let out = sitecheck(
                &[data.path()],
                &["--lang", lang, "show", id, "--format", format],
            );
            assert_eq!(out.code, 0, "{}", out.stderr);
            out.stdout
        };
        let shown = text(IDS[0], "text");
        assert!(shown.contains(incomplete), "{shown}");
        if lang == "en" {
            assert!(!shown.contains("PASS"), "{shown}");
        }
        assert!(
            text(IDS[0], "md").to_uppercase().contains(incomplete),
            "{lang}"
        );
        assert!(text(IDS[1], "text").contains(fail_so_far), "{lang}");
        assert!(
            text(IDS[2], "text").contains(pass),
            "a finished visit has its result"
        );
    }
}
