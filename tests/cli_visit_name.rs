//! A visit is named by its work order, else its first required text field, else its start
//! time (SPEC section 4): in `list` (table and JSON) and in the review list, also for a
//! checklist that has no work order at all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::screen::wait_at;
use common::site::{Site, stdout};
use serde_json::{Map, Value, json};
use sitecheck::checklist::parse_str;
use sitecheck::log::{ChecklistRef, StartInfo, VisitWriter};

/// A checklist without a work order: the customer's name is its first required text field
/// (after a required number, which is not a name).
const NO_WORK_ORDER: &str = r#"sitecheck: 1
id: no-work-order
version: "1"
title: { en: Boiler check, zh-CN: 锅炉检查 }
languages: [en, zh-CN]
visit_fields:
  - { id: floor, label: Floor, kind: number, required: true }
  - { id: phone, label: Phone, kind: text }
  - { id: customer, label: { en: Customer, zh-CN: 顾客 }, kind: text, required: true }
sections:
  - id: s
    title: Safety
    items:
      - { id: flue, prompt: Flue clear, kind: pass_fail }
      - { id: gas, prompt: No gas smell, kind: pass_fail }
"#;

/// A checklist whose only header field is optional: its visits go by their start time.
const NO_NAME: &str = r#"sitecheck: 1
id: no-name
version: "1"
title: Quick check
visit_fields:
  - { id: remarks, label: Remarks, kind: text }
sections:
  - id: s
    title: Safety
    items:
      - { id: flue, prompt: Flue clear, kind: pass_fail }
"#;

/// A visit of `source` with `fields`, written by the log's own writer and let go of.
fn write_visit(data: &Path, source: &str, fields: &[(&str, &str)]) -> String {
    let checklist = parse_str(source).checklist.expect("a valid checklist");
    let fields: Map<String, Value> = fields
        .iter()
        .map(|(k, v)| ((*k).into(), json!(v)))
        .collect();
    let info = StartInfo {
        technician: "zhang.san".into(),
        host: "tb-0042".into(),
        app: "sitecheck 0.1.0".into(),
        lang: "en".into(),
        checklist: ChecklistRef {
            id: checklist.id.clone(),
            version: checklist.version.clone(),
            sha256: checklist.sha256.clone(),
            source: checklist.source.clone(),
        },
        fields,
    };
    let (writer, _) = VisitWriter::create(data, ulid::Ulid::new(), info).unwrap();
    writer.visit_id().to_string()
}

/// The store of these tests: a visit started through `sitecheck run` on a checklist
/// without a work order (so named by its customer), and one with no name at all.
fn store(site: &Site) -> (String, String) {
    let folder = site.data().with_file_name("checklists");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("no-work-order.yaml"), NO_WORK_ORDER).unwrap();
    let folder_arg = folder.display().to_string();
    let mut pty = site.spawn(&[
        "--checklists",
        &folder_arg,
        "run",
        "no-work-order",
        "--field",
        "floor=3",
        "--field",
        "customer=王五",
    ]);
    wait_at(&pty, "Flue clear");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
    let (named, _) = site.only_visit();
    let unnamed = write_visit(&site.data(), NO_NAME, &[]);
    (named, unnamed)
}

/// `2026-11-22 10:00`, from the visit's `started` event.
fn start_time(site: &Site, id: &str) -> String {
    let json = site.run(&["show", id, "--format", "json"]);
    let shown: Value = serde_json::from_slice(&json.stdout).unwrap();
    let at = shown["started_at"].as_str().unwrap();
    chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[test]
fn list_names_every_visit() {
    let site = Site::new();
    let (named, unnamed) = store(&site);
    let unnamed_at = start_time(&site, &unnamed);

    let table = site.run(&["list"]);
    assert_eq!(table.status.code(), Some(0));
    let text = stdout(&table);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("name"), "{text}");
    let row = |id: &str| {
        *lines
            .iter()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{text}"))
    };
    assert!(row(&named).contains("王五"), "{text}");
    // The start time as a name, beside the start column's own.
    assert_eq!(row(&unnamed).matches(&unnamed_at).count(), 2, "{text}");

    let json = site.run(&["list", "--format", "json"]);
    let list: Vec<Value> = serde_json::from_slice(&json.stdout).unwrap();
    let visit = |id: &str| list.iter().find(|v| v["visit"] == id).unwrap().clone();
    assert_eq!(visit(&named)["name"], "王五");
    assert_eq!(visit(&named)["work_order"], Value::Null);
    assert_eq!(visit(&unnamed)["name"], unnamed_at.as_str());
    assert_eq!(visit(&unnamed)["work_order"], Value::Null);
}

#[test]
fn a_visit_with_a_work_order_is_named_by_it() {
    let site = Site::new();
    let id = write_visit(
        &site.data(),
        NO_WORK_ORDER,
        &[("work_order", "WO-77"), ("customer", "王五")],
    );
    let json = site.run(&["list", "--format", "json"]);
    let list: Vec<Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(list[0]["visit"], id.as_str());
    assert_eq!(list[0]["name"], "WO-77");
    assert_eq!(list[0]["work_order"], "WO-77");
}

#[test]
fn the_review_list_names_every_visit() {
    let site = Site::new();
    let (_, unnamed) = store(&site);
    let unnamed_at = start_time(&site, &unnamed);
    for (lang, heading) in [("en", "Visit"), ("zh-CN", "名称")] {
        let mut pty = site.spawn_in(lang, 120, 24, &["review"]);
        let screen = pty.wait_for_text("王五");
        let header = screen
            .lines()
            .find(|l| l.contains(heading))
            .unwrap_or_else(|| panic!("no {heading:?} heading:\n{screen}"));
        assert!(
            !header.contains("Work order") && !header.contains("工单"),
            "{header}"
        );
        // The start time whole, under the name's heading (the date column may show the
        // day alone).
        let row = screen
            .lines()
            .find(|l| l.contains("no-name"))
            .unwrap_or_else(|| panic!("no visit of no-name:\n{screen}"));
        assert!(row.contains(&unnamed_at), "{row}\n{screen}");
        pty.send("q");
        assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
    }
}
