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

#[test]
fn the_html_sheet_holds_the_header_answers_amendments_seal_and_review_trail() {
    let store = small_store();
    let data = store.data();
    let id = store.amended.id.as_str();
    let html = sitecheck(&[&data], &["show", id, "--format", "html"]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    let html = html.stdout;
    assert!(html.starts_with("<!DOCTYPE html>") && !html.contains("<script"));
    assert!(html.contains("content=\"script-src 'none'\""));
    let json = sitecheck(&[&data], &["show", id, "--format", "json"]);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    let receipt = json["receipt"].as_str().expect("a receipt");
    assert!(
        html.contains(&format!("<dt>Receipt</dt><dd>{receipt}</dd>")),
        "{html}"
    );
    assert!(html.contains("<dt>Seal</dt><dd>"), "{html}");
    assert!(html.contains("<dt>Integrity</dt><dd>"), "{html}");
    assert!(html.contains("<h2>Amendments</h2>"), "{html}");
    let trail = html
        .split("<h2 id=\"reviews\">Review trail</h2>")
        .nth(1)
        .unwrap();
    assert!(
        trail.contains("<td>li.si</td><td class=\"bad\">follow-up (outdated)</td>")
            && trail.contains("call the customer about the rating"),
        "{trail}"
    );

    // Choice fields by their labels, every word in Chinese.
    let approved = store.approved.id.as_str();
    let zh = sitecheck(
        &[&data],
        &["--lang", "zh-CN", "show", approved, "--format", "html"],
    );
    let zh = zh.stdout;
    assert!(
        zh.contains("<dd>新机安装</dd>") && !zh.contains("new_install"),
        "{zh}"
    );
    assert!(zh.contains("审核记录") && zh.contains("通过"), "{zh}");
    for english in ["Review trail", "Receipt", "Answers", "Header"] {
        assert!(!zh.contains(english), "{english} in\n{zh}");
    }
}
