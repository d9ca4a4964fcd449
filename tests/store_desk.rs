//! The supervisor's desk from the command line, over stores written by hand: the
//! `to_review` queue, filters naming what the store never saw, CSV for Excel (BOM, work
//! order, amendment reason), `stats` in Chinese.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod store_support;

use store_support::{IDS, Visit, list_json, sitecheck, write_reviews};

/// Three finished visits: one never reviewed, one approved as it is, one sent back for a
/// follow-up and amended since (its review outdated).
fn store() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    Visit::finished(IDS[0], "2026-11-16", "zhang.san", 5).write(data.path());
    let approved = Visit::finished(IDS[1], "2026-11-17", "zhang.san", 4);
    approved.write(data.path());
    write_reviews(
        data.path(),
        IDS[1],
        &[(&approved.log.last_hash(), "approved", "", None)],
    );
    let mut amended = Visit::finished(IDS[2], "2026-11-18", "li.si", 2);
    let before = amended.log.last_hash();
    amended.amend(3600, "satisfaction", "4", "called the customer back");
    amended.write(data.path());
    write_reviews(
        data.path(),
        IDS[2],
        &[(&before, "follow_up", "ask again", Some("satisfaction"))],
    );
    data
}

fn ids(data: &std::path::Path, extra: &[&str]) -> Vec<String> {
    list_json(&[data], extra)
        .iter()
        .map(|v| v["visit"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn to_review_is_unreviewed_or_changed_since_its_review_everywhere() {
    let data = store();
    // The amended visit is no longer "unreviewed" — but it is to review.
    assert_eq!(ids(data.path(), &["--verdict", "unreviewed"]), [IDS[0]]);
    assert_eq!(
        ids(data.path(), &["--verdict", "to_review"]),
        [IDS[0], IDS[2]]
    );
    let stats = sitecheck(&[data.path()], &["stats", "--verdict", "to_review"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    assert!(
        stats
            .stdout
            .contains("Compliance over 2 visits (finished visits, to review)"),
        "{}",
        stats.stdout
    );
    let csv = sitecheck(
        &[data.path()],
        &[
            "export",
            "--format",
            "csv",
            "--rows",
            "visits",
            "--verdict",
            "to_review",
        ],
    );
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert_eq!(csv.stdout.lines().count(), 3, "{}", csv.stdout);
    assert!(csv.stdout.contains(IDS[2]) && !csv.stdout.contains(IDS[1]));
}

#[test]
fn a_checklist_or_technician_the_store_never_saw_is_an_error_naming_the_known_ones() {
    let data = store();
    for command in [&["list"][..], &["stats"], &["export", "--format", "csv"]] {
        let mut args = vec!["--technician", "zhang.sna"];
        args.extend_from_slice(command);
        let out = sitecheck(&[data.path()], &args);
        assert_eq!(out.code, 2, "{command:?}: {}", out.stdout);
        assert!(
            out.stderr.contains(
                "error: no visit of the store has technician \"zhang.sna\"; known technicians: zhang.san, li.si"
            ),
            "{command:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{command:?}: nothing printed");

        let mut args = command.to_vec();
        args.extend_from_slice(&["--checklist", "mnii"]);
        let out = sitecheck(&[data.path()], &args);
        assert_eq!(out.code, 2, "{command:?}");
        assert!(
            out.stderr.contains("known checklists: mini"),
            "{command:?}: {}",
            out.stderr
        );
    }
    // A known name, in another case, is fine.
    let out = sitecheck(&[data.path()], &["--technician", "Li.Si", "list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Unknown statuses and verdicts are refused by the parser.
    for bad in [
        &["list", "--status", "closed"][..],
        &["list", "--verdict", "maybe"],
    ] {
        let out = sitecheck(&[data.path()], bad);
        assert_eq!(out.code, 2, "{bad:?}");
        assert!(out.stderr.contains("possible values"), "{}", out.stderr);
    }
    // In Chinese.
    let out = sitecheck(
        &[data.path()],
        &["--lang", "zh-CN", "stats", "--checklist", "mnii"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("已知的检查表：mini"), "{}", out.stderr);
}

#[test]
fn csv_for_excel_a_bom_the_work_order_and_the_amendment_reason() {
    let data = store();
    let plain = sitecheck(&[data.path()], &["export", "--format", "csv"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(plain.stdout.starts_with("visit,"));
    let bom = sitecheck(&[data.path()], &["export", "--format", "csv", "--bom"]);
    assert_eq!(bom.code, 0, "{}", bom.stderr);
    assert_eq!(bom.stdout, format!("\u{feff}{}", plain.stdout));
    let file = data.path().join("out.csv");
    let out = sitecheck(
        &[data.path()],
        &[
            "export",
            "--format",
            "csv",
            "--rows",
            "visits",
            "--bom",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        std::fs::read(&file)
            .unwrap()
            .starts_with(b"\xef\xbb\xbfvisit,")
    );

    let mut rows = csv::Reader::from_reader(plain.stdout.as_bytes());
    let head = rows.headers().unwrap().clone();
    let column = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (visit, item, work_order, reason, value) = (
        column("visit"),
        column("item"),
        column("work_order"),
        column("amend_reason"),
        column("value"),
    );
    assert_eq!(head.iter().next_back(), Some("integrity"));
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert!(records.iter().all(|r| &r[work_order] == "WO-1"));
    let amended = records
        .iter()
        .find(|r| &r[visit] == IDS[2] && &r[item] == "satisfaction")
        .unwrap();
    assert_eq!(&amended[value], "4");
    assert_eq!(&amended[reason], "called the customer back");
    let plain_answer = records
        .iter()
        .find(|r| &r[visit] == IDS[2] && &r[item] == "badge")
        .unwrap();
    assert_eq!(&plain_answer[reason], "");
}

#[test]
fn stats_speak_chinese() {
    let data = store();
    let out = sitecheck(
        &[data.path()],
        &["--lang", "zh-CN", "stats", "--by", "month"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    for words in [
        "合规统计：共 3 次走访（已完成的走访）",
        "另有（未计入）：进行中 0 次，已放弃 0 次，已损坏 0 次",
        "总体 ",
        "目标",
        "技师排名：mini · satisfaction（目标 75%）",
        "按技师",
        "按周",
        "按月",
        "合规率",
        "小检查",
    ] {
        assert!(text.contains(words), "{words:?} missing:\n{text}");
    }
    for english in ["Compliance", "Overall", "Targets", "By ", "visits", "pass,"] {
        assert!(!text.contains(english), "{english:?} in:\n{text}");
    }
}

#[test]
fn review_refuses_a_checklist_the_store_never_saw() {
    let site = common::site::Site::new();
    Visit::finished(IDS[0], "2026-11-16", "zhang.san", 5).write(&site.data());
    let mut pty = site.spawn(&["review", "--checklist", "mnii"]);
    let screen = pty.wait_for_text("known checklists: mini");
    assert!(
        screen.contains("error: no visit of the store has checklist \"mnii\""),
        "{screen}"
    );
    assert_eq!(pty.wait_for_exit(), 2);
}

#[test]
fn stats_compare_the_period_with_as_many_days_before_it_and_rank_technicians() {
    let data = store();
    let out = sitecheck(
        &[data.path()],
        &["stats", "--since", "2026-11-17", "--until", "2026-11-18"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    let block = text
        .split("This period (2026-11-17 – 2026-11-18) against the 2 days before")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    let visits = block
        .lines()
        .find(|l| l.trim_start().starts_with("visits"))
        .unwrap();
    let cells: Vec<&str> = visits.split_whitespace().collect();
    // Two visits in the period; the one of 2026-11-16 in the two days before.
    assert_eq!(cells[1..], ["2", "1", "+1"], "{text}");
    // zhang.san's 4 meets the target (>= 4), li.si's amended 4 too: both ranked, each on
    // the one visit their figure rests on.
    let ranking = text
        .split("Technicians against mini · satisfaction (target 75%)")
        .nth(1)
        .unwrap();
    let rows: Vec<&str> = ranking.lines().skip(2).take(2).collect();
    assert!(
        rows[0].contains("li.si") && rows[0].contains("✓") && rows[0].contains("1 of 1 visits"),
        "{ranking}"
    );
    assert!(
        rows[1].contains("zhang.san") && rows[1].contains("1 of 1 visits"),
        "{ranking}"
    );
}
