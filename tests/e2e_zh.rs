//! End to end, in a real pseudo-terminal, in Chinese: `--lang zh-CN` on the Haier
//! checklist shows Chinese prompts and keys, wide characters line up, and answering works.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::screen::{detail, wait_saved_in};
use common::site::{Site, answers, clean_events, names};
use serde_json::json;
use sitecheck::log::EventKind;
use unicode_width::UnicodeWidthStr;

const SAVED: &str = "已保存";

#[test]
fn a_visit_in_chinese() {
    let site = Site::new();
    let mut pty = site.spawn_in(
        "zh-CN",
        80,
        24,
        &[
            "run",
            "haier-12345",
            "--field",
            "work_order=WO-8888",
            "--field",
            "customer=李四",
        ],
    );

    pty.wait_for("the first item in Chinese", |s| {
        detail(s).contains("上门服务出示上岗证")
    });
    pty.wait_for_text("海尔上门服务“12345”法则 · WO-8888");
    pty.wait_for_text("1 ○ 合格");
    pty.wait_for_text("2 ○ 不合格");
    let screen =
        pty.wait_for_text("↑↓ 移动 1-9 作答 c 备注 e 照片 ⌫ 清除 Tab 未答 s 汇总 ? 帮助 q 退出");
    // Wide characters take two columns: the list's border stays in one column on every row.
    let columns: Vec<usize> = screen
        .lines()
        .filter_map(|line| line.split_once('│').map(|(left, _)| left.width()))
        .collect();
    assert!(columns.len() > 15, "{screen}");
    assert!(
        columns.iter().all(|&c| c == columns[0]),
        "the list border moves: {columns:?}\n{screen}"
    );

    pty.send("p");
    wait_saved_in(&pty, 1, SAVED);
    pty.wait_for("the next item", |s| {
        detail(s).contains("公开出示统一收费标准")
    });
    pty.send("f");
    wait_saved_in(&pty, 2, SAVED);
    pty.wait_for_text("┌ 备注");
    pty.wait_for_text("│需要填写备注");
    pty.send("价目表忘带了");
    pty.wait_for_text("│价目表忘带了");
    pty.send("\r");
    wait_saved_in(&pty, 3, SAVED);
    let screen = pty.wait_for("the next item", |s| {
        detail(s).contains("按统一收费标准收费")
    });
    assert!(screen.contains(" ✗ 公开出示统一收费标准"), "{screen}");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());

    let (_, path) = site.only_visit();
    let events = clean_events(&path);
    assert_eq!(
        names(&events),
        [
            "started", "answered", "answered", "noted", "paused", "sealed"
        ]
    );
    let EventKind::Started { info, .. } = &events[0].kind else {
        panic!("{:?}", events[0]);
    };
    assert_eq!(info.lang, "zh-CN");
    assert_eq!(info.fields["customer"], json!("李四"));
    assert_eq!(
        answers(&events),
        [
            ("badge".to_owned(), json!("pass")),
            ("price_list".to_owned(), json!("fail"))
        ]
    );
    assert!(matches!(
        &events[3].kind,
        EventKind::Noted { item, note } if item == "price_list" && note == "价目表忘带了"
    ));
}
