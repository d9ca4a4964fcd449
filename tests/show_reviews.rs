//! `show` in every format: the review trail of the visit (verdict, reviewer, time, comment,
//! flagged item, outdated or not), and choice header fields by their option labels.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod review_support;
mod store_support;

use review_support::small_store;
use serde_json::Value;
use store_support::sitecheck;

#[test]
fn show_prints_the_reviews_in_text_markdown_and_json() {
    let store = small_store();
    let data = store.data();
    let id = store.amended.id.as_str();

    let text = sitecheck(&[&data], &["show", id]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let trail = text
        .stdout
        .split("\nReviews\n")
        .nth(1)
        .expect("a Reviews part");
    assert!(
        trail.contains(
            "2025-11-23T18:00:00.000+08:00  li.si  follow-up  Item satisfaction  “call the customer about the rating”  (outdated: the visit changed since)"
        ),
        "{trail}"
    );

    let md = sitecheck(&[&data], &["show", id, "--format", "md"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(md.stdout.contains("## Reviews"), "{}", md.stdout);
    assert!(
        md.stdout.contains(
            "| 2025-11-23T18:00:00.000+08:00 | li.si | follow-up | satisfaction | call the customer about the rating | outdated: the visit changed since |"
        ),
        "{}",
        md.stdout
    );

    let json = sitecheck(&[&data], &["show", id, "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    let reviews = json["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["verdict"], "follow_up");
    assert_eq!(reviews[0]["reviewer"], "li.si");
    assert_eq!(reviews[0]["item"], "satisfaction");
    assert_eq!(reviews[0]["outdated"], true);
    assert_eq!(reviews[0]["at"], "2025-11-23T18:00:00.000+08:00");

    // An approval made against the visit as it is: not outdated; in Chinese.
    let approved = sitecheck(&[&data], &["--lang", "zh-CN", "show", &store.approved.id]);
    let trail = approved
        .stdout
        .split("\n审核记录\n")
        .nth(1)
        .expect("审核记录");
    assert!(
        trail.contains("通过") && !trail.contains("已过时"),
        "{trail}"
    );
    // A visit nobody reviewed says so.
    let open = sitecheck(&[&data], &["show", &store.open.id]);
    assert!(
        open.stdout.contains("\nReviews\n  not reviewed yet"),
        "{}",
        open.stdout
    );
    let open = sitecheck(&[&data], &["show", &store.open.id, "--format", "json"]);
    let open: Value = serde_json::from_str(&open.stdout).unwrap();
    assert_eq!(open["reviews"], Value::Array(Vec::new()));
}

#[test]
fn choice_header_fields_show_their_labels() {
    let store = small_store();
    let data = store.data();
    let id = store.approved.id.as_str();
    let text = sitecheck(&[&data], &["show", id]);
    assert!(
        text.stdout.contains("Visit type: New install"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("new_install"), "{}", text.stdout);
    let md = sitecheck(&[&data], &["show", id, "--format", "md"]);
    assert!(md.stdout.contains("New install") && !md.stdout.contains("new_install"));
    let zh = sitecheck(&[&data], &["--lang", "zh-CN", "show", id]);
    assert!(zh.stdout.contains("安装类型：新机安装"), "{}", zh.stdout);
    // JSON keeps the recorded ids, for programs.
    let json = sitecheck(&[&data], &["show", id, "--format", "json"]);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["fields"]["visit_type"], "new_install");
}
