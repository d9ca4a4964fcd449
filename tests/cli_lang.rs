//! `show`, `verify` and `list` in Simplified Chinese: every label, heading and message
//! follows `--lang`, record text stays as recorded, and columns line up by display width.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use std::path::Path;

use store_support::{IDS, Visit, sitecheck};
use unicode_width::UnicodeWidthStr;

/// A store with a finished visit (a failed item with a note, header fields), an open one,
/// and a third whose log was altered after it was written.
fn store(data: &Path) {
    let mut done = Visit::start(
        IDS[0],
        "2026-11-22",
        "张三",
        &[("work_order", "WO-1"), ("customer", "王五")],
    );
    done.answer(30, "badge", "\"pass\"", None)
        .answer(60, "clean", "\"fail\"", Some("地面未清理"))
        .answer(90, "satisfaction", "4", None)
        .finish(120);
    done.write(data);
    let mut open = Visit::start(IDS[1], "2026-11-23", "li.si", &[("work_order", "WO-2")]);
    open.answer(30, "badge", "\"na\"", None);
    open.write(data);
    let mut altered = Visit::finished(IDS[2], "2026-11-24", "li.si", 5);
    altered.log.lines[1] = altered.log.lines[1].replace("\"pass\"", "\"fail\"");
    altered.write(data);
}

fn zh(data: &Path, args: &[&str]) -> store_support::Output {
    let mut all = vec!["--lang", "zh-CN"];
    all.extend_from_slice(args);
    sitecheck(&[data], &all)
}

/// No word of the English labels is left in `text`.
fn assert_no_english(text: &str, words: &[&str]) {
    for word in words {
        assert!(
            !text.contains(word),
            "English {word:?} in the Chinese output:\n{text}"
        );
    }
}

#[test]
fn show_speaks_chinese() {
    let data = tempfile::tempdir().unwrap();
    store(data.path());
    let out = zh(data.path(), &["show", IDS[0]]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    for label in [
        "上门记录",
        "检查表",
        "技师",
        "开始时间",
        "结果",
        "得分",
        "完整性",
        "备注",
        "不合格",
    ] {
        assert!(text.contains(label), "no {label:?} in:\n{text}");
    }
    // Record text as recorded; the checklist's own Chinese title where it has one.
    for recorded in ["张三", "王五", "地面未清理", "小检查", "Show the badge"] {
        assert!(text.contains(recorded), "no {recorded:?} in:\n{text}");
    }
    assert_no_english(
        &text,
        &[
            "Visit ",
            "Checklist ",
            "Technician",
            "Started",
            "Result",
            "Integrity",
            "note:",
            " on tb-",
            "finished ",
            "score",
            "passed",
            "missing",
            "hash chain",
        ],
    );

    let open = zh(data.path(), &["show", IDS[1]]).stdout;
    assert!(open.contains("进行中"), "{open}");
    assert!(open.contains("不适用"), "{open}");
    assert_no_english(&open, &["open", "(hidden)", "n/a"]);

    let md = zh(data.path(), &["show", IDS[0], "--format", "md"]).stdout;
    for label in [
        "状态",
        "检查表",
        "技师",
        "开始时间",
        "结果",
        "完整性",
        "| 部分 |",
    ] {
        assert!(md.contains(label), "no {label:?} in:\n{md}");
    }
    assert_no_english(
        &md,
        &[
            "Status",
            "Checklist",
            "Technician",
            "Started",
            "Result",
            "Section",
            "Answered",
        ],
    );

    // The altered visit: its problem in Chinese, with the line.
    let altered = zh(data.path(), &["show", IDS[2]]).stdout;
    assert!(altered.contains("第 2 行"), "{altered}");
    assert!(altered.contains("写入后被改动过"), "{altered}");
    assert_no_english(&altered, &["line 2", "changed"]);
}

#[test]
fn verify_speaks_chinese() {
    let data = tempfile::tempdir().unwrap();
    store(data.path());
    let out = zh(data.path(), &["verify"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let text = out.stdout;
    let problem = text
        .lines()
        .find(|l| l.contains(IDS[2]))
        .unwrap_or_else(|| panic!("the altered visit is not named:\n{text}"));
    // `path:line: error: ...`: the mark stays for scripts and editors; the words follow --lang.
    assert!(problem.contains(":2: error: 上门记录 "), "{problem}");
    assert!(problem.contains("哈希与该行内容不符"), "{problem}");
    // The other problem: an answer the checklist cannot take (verify now says what list
    // and stats say of it).
    assert!(text.contains("已检查 3 条上门记录：2 条有问题"), "{text}");
    assert_no_english(&text, &["visit ", "checked", "with problems", "the line"]);
}

#[test]
fn list_speaks_chinese_and_lines_up() {
    let data = tempfile::tempdir().unwrap();
    store(data.path());
    let out = zh(data.path(), &["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    let lines: Vec<&str> = text.lines().collect();
    let header = lines[0];
    for heading in [
        "编号",
        "开始时间",
        "技师",
        "检查表",
        "名称",
        "时长",
        "得分",
        "结果",
    ] {
        assert!(header.contains(heading), "no {heading:?} in {header:?}");
    }
    assert_no_english(
        &text,
        &[
            "visit",
            "started",
            "technician",
            "work order",
            "duration",
            "result",
            "integrity",
            "verdict",
            "finished",
            "open",
            "damaged",
            "pass",
        ],
    );
    assert!(text.contains("进行中"), "{text}");
    assert!(text.contains("已损坏"), "{text}");
    assert!(text.contains("3 条上门记录"), "{text}");
    // Every row's technician starts at the column of its heading, counted in display
    // columns: `张三` takes four, as its heading `技师` does.
    let column = |line: &str, cell: &str| line.find(cell).map(|at| line[..at].width());
    let at = column(header, "技师").unwrap();
    for line in &lines[1..4] {
        let technician = if line.contains("张三") {
            "张三"
        } else {
            "li.si"
        };
        assert_eq!(column(line, technician), Some(at), "{line:?}\n{text}");
    }
    // And the next column too, after a cell of Chinese text.
    let at = column(header, "检查表").unwrap();
    for line in &lines[1..4] {
        assert_eq!(column(line, "mini"), Some(at), "{line:?}\n{text}");
    }
}
