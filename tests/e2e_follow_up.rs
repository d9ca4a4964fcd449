//! End to end, in real pseudo-terminals, across three data folders (SPEC section 6, the
//! follow-up loop): zhang.san's and li.si's laptops each do a visit; the office imports
//! both; the supervisor sends zhang.san's back for follow-up on the review screen (a flag on
//! the drain, a general comment); `returns --technician zhang.san` carries the reviews back;
//! zhang.san's home lists the visit with the comment; he amends the drain with a changed
//! note and a reason, and answers the comment (`A` on the header); his folder goes back to
//! the office, where the review is outdated and the visit is to review again. li.si's
//! laptop never holds any of it, and once it has the whole office folder her home still
//! lists nothing of his, and her `A` on his visit is refused, writing nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::pty::key;
use common::screen::{wait_at, wait_saved};
use common::site::{Site, clean_events, stderr, stdout};
use serde_json::Value;
use sitecheck::log::EventKind;
use sitecheck::log::review::{NewReview, Verdict};

const ZHANG: &str = "zhang.san";
const LI: &str = "li.si";
const SUPERVISOR: &str = "li.manager";

const CHECKLIST: &str = r#"sitecheck: 1
id: drain-check
version: "1"
title: { en: Drain check, zh-CN: 排水检查 }
languages: [en, zh-CN]
visit_fields:
  - { id: work_order, label: { en: Work order, zh-CN: 工单号 }, kind: text, required: true }
sections:
  - id: s
    title: { en: Visit, zh-CN: 上门 }
    items:
      - { id: badge, prompt: { en: Badge shown at the door, zh-CN: 出示上岗证 }, kind: pass_fail }
      - { id: drain, prompt: { en: Drain works, zh-CN: 排水通畅 }, kind: yes_no, expect: "yes" }
"#;

/// The checklist folder every laptop is given.
fn checklists(site: &Site) -> PathBuf {
    let dir = site.data().with_file_name("checklists");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("drain-check.yaml"), CHECKLIST).unwrap();
    dir
}

/// A whole visit on `site`'s laptop as `technician`: badge pass, drain `drain`, finished.
fn visit(site: &Site, technician: &str, work_order: &str, drain: &str) -> (String, PathBuf) {
    let folder = checklists(site);
    let field = format!("work_order={work_order}");
    let mut pty = site.spawn_as(
        technician,
        &[
            "--checklists",
            &folder.to_string_lossy(),
            "run",
            "drain-check",
            "--field",
            &field,
        ],
    );
    wait_at(&pty, "Badge shown at the door");
    pty.send("p");
    wait_saved(&pty, 1);
    wait_at(&pty, "Drain works");
    pty.send(drain);
    wait_saved(&pty, 2);
    pty.send("s");
    pty.wait_for_text("Nothing required is missing.");
    pty.send(key::ENTER);
    pty.wait_for_text("Finish this visit? It becomes read-only.");
    pty.send("y");
    wait_saved(&pty, 3);
    pty.send(key::ESC);
    pty.wait_for("the summary to close", |s| !s.contains("Nothing required"));
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
    site.only_visit()
}

fn import(site: &Site, who: &str, from: &Path) -> String {
    let out = site.run_as(who, &["import", &from.to_string_lossy()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// `list --format json` of a site, of `technician`'s visits (`--technician` filters `list`).
fn list(site: &Site, technician: &str) -> Vec<Value> {
    let out = site.run_as(technician, &["list", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Waits until the review log of `id` under `data` has `lines` lines.
fn wait_for_reviews(data: &Path, id: &str, lines: usize) {
    let path = data.join("reviews").join(format!("{id}.jsonl"));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let have = std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
        if have == lines {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} has {have} lines, not {lines}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The office's supervisor flags the drain and sends the visit back, on the review screen.
fn send_back(office: &Site, id: &str) {
    let mut pty = office.spawn_as(SUPERVISOR, &["review"]);
    pty.wait_for_text("2 of 2 visits");
    pty.send("/");
    pty.wait_for_text("/ search: ");
    pty.send("WO-Z1");
    pty.wait_for_text("1 of 2 visits");
    pty.send(key::ENTER);
    pty.wait_for("the search line closed", |s| !s.contains("/ search: "));
    pty.send(key::ENTER);
    pty.wait_for_text("Drain works");
    // The detail opens on the first item: down to the drain, then `!` flags it.
    pty.send("j");
    pty.send("!");
    pty.wait_for_text("Comment (required): ");
    pty.send("Was the hose kinked?");
    pty.wait_for_text("Comment (required): Was the hose kinked?");
    pty.send(key::ENTER);
    wait_for_reviews(&office.data(), id, 1);
    pty.send("r");
    pty.wait_for_text("Comment (required): ");
    pty.send("Please re-test the drain");
    pty.wait_for_text("Comment (required): Please re-test the drain");
    pty.send(key::ENTER);
    wait_for_reviews(&office.data(), id, 2);
    // Back to the list, and out.
    pty.send(key::LEFT);
    pty.wait_for_text("Enter open  / search");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
}

#[test]
fn the_follow_up_loop_across_two_laptops_and_the_office() {
    let zhang = Site::new();
    let li = Site::new();
    let office = Site::new();
    let (zhang_id, zhang_log) = visit(&zhang, ZHANG, "WO-Z1", "n");
    let (li_id, _) = visit(&li, LI, "WO-L1", "y");

    import(&office, SUPERVISOR, &zhang.data());
    import(&office, SUPERVISOR, &li.data());
    send_back(&office, &zhang_id);
    let reviews = std::fs::read_to_string(
        office
            .data()
            .join("reviews")
            .join(format!("{zhang_id}.jsonl")),
    )
    .unwrap();
    assert!(
        reviews
            .contains(r#""verdict":"follow_up","comment":"Was the hose kinked?","item":"drain""#),
        "{reviews}"
    );

    // Returns for zhang.san: his review log, nothing else.
    let stick = tempfile::tempdir().unwrap();
    let returns = stick.path().join("returns");
    let out = office.run_as(
        SUPERVISOR,
        &[
            "returns",
            "--technician",
            ZHANG,
            "--out",
            &returns.to_string_lossy(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let carried: Vec<_> = std::fs::read_dir(returns.join("reviews"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(carried, [format!("{zhang_id}.jsonl")]);
    assert!(!returns.join("visits").exists());
    let imported = import(&zhang, ZHANG, &returns);
    assert!(imported.contains("review logs: 1 new"), "{imported}");

    // His home lists it with the comment; Enter opens it on the flagged drain.
    let mut pty = zhang.spawn_as(ZHANG, &[]);
    let screen = pty.wait_for_text("Returned for follow-up (1)");
    assert!(screen.contains("Please re-test the drain"), "{screen}");
    assert!(screen.contains("WO-Z1"), "{screen}");
    pty.send(key::ENTER);
    let screen = pty.wait_for_text("⚑ Supervisor li.manager: Was the hose kinked?");
    assert!(screen.contains("│ Drain works"), "{screen}");
    assert!(screen.contains("h then A to answer"), "{screen}");
    // Amend: A, the new answer, the note (a new one), the reason.
    pty.send("A");
    pty.wait_for_text("New answer: its key");
    pty.send("y");
    pty.wait_for_text("Note: Enter keeps it");
    pty.send("hose was kinked, straightened");
    pty.wait_for_text("│hose was kinked, straightened");
    pty.send(key::ENTER);
    pty.wait_for_text("Reason for the change (required)");
    pty.send("re-tested after the follow-up");
    pty.wait_for_text("│re-tested after the follow-up");
    pty.send(key::ENTER);
    // Seq 4 is the seal of the finished line; the amendment is 5 (its seal 6). Its receipt
    // comes up in large type; any key goes on.
    let screen = wait_saved(&pty, 5);
    assert!(screen.contains("Receipt"), "{screen}");
    pty.send(" ");
    pty.wait_for_text("Was the hose kinked?  ✓");
    // Then the general comment: `A` on the header.
    pty.send("h");
    pty.wait_for_text("A answer the supervisor");
    pty.send("A");
    pty.wait_for_text("li.manager: Please re-test the drain");
    pty.send("re-tested twice, it drains");
    pty.wait_for_text("│re-tested twice, it drains");
    pty.send(key::ENTER);
    wait_saved(&pty, 7);
    pty.wait_for_text("Receipt");
    pty.send(" ");
    pty.wait_for("the receipt to close", |s| !s.contains("Receipt"));
    // Back home: nothing is waiting any more.
    pty.send("q");
    pty.wait_for_text("Unfinished visits");
    pty.send(key::ESC);
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
    assert!(sitecheck::store::follow_up::returned_visits(&zhang.data(), ZHANG).is_empty());

    let events = clean_events(&zhang_log);
    let amended: Vec<&EventKind> = events
        .iter()
        .map(|e| &e.kind)
        .filter(|k| matches!(k, EventKind::Amended { .. }))
        .collect();
    assert_eq!(amended.len(), 2, "{events:?}");
    let EventKind::Amended {
        item,
        value,
        note,
        reason,
        technician,
        host,
    } = amended[0]
    else {
        unreachable!()
    };
    assert_eq!(item.as_deref(), Some("drain"));
    assert_eq!(value, &Value::from("yes"));
    assert_eq!(note.as_deref(), Some("hose was kinked, straightened"));
    assert_eq!(reason, "re-tested after the follow-up");
    assert_eq!(technician.as_deref(), Some(ZHANG));
    assert!(host.is_some());
    let EventKind::Amended { item, reason, .. } = amended[1] else {
        unreachable!()
    };
    assert_eq!(item, &None);
    assert_eq!(reason, "re-tested twice, it drains");

    // Back at the office: the amended log is taken, the review is outdated, and the visit
    // is to review again.
    let imported = import(&office, SUPERVISOR, &zhang.data());
    assert!(
        imported.contains("visit logs: 0 new, 1 extended"),
        "{imported}"
    );
    let listed = list(&office, ZHANG);
    assert_eq!(listed.len(), 1);
    let visit = listed
        .iter()
        .find(|v| v["visit"] == zhang_id.as_str())
        .unwrap_or_else(|| panic!("{zhang_id} not in {listed:#?}"));
    assert_eq!(visit["amendments"], 2);
    assert_eq!(visit["review"]["verdict"], "follow_up");
    assert_eq!(visit["review"]["outdated"], true);
    assert_eq!(visit["verdict"], "follow_up (outdated)");
    let others = list(&office, LI);
    let other = others
        .iter()
        .find(|v| v["visit"] == li_id.as_str())
        .unwrap();
    assert_eq!(other["review"], Value::Null);
    let shown = office.run_as(SUPERVISOR, &["show", &zhang_id]);
    assert!(
        stdout(&shown).contains("drain = \"yes\" — re-tested after the follow-up (note: hose was kinked, straightened) · by zhang.san on"),
        "{}",
        stdout(&shown)
    );

    // li.si's laptop never held any of it.
    assert!(!li.data().join("reviews").exists());
    let hers = list(&li, LI);
    assert_eq!(hers.len(), 1);
    assert_eq!(hers[0]["technician"], LI);

    // The supervisor rejects li.si's visit too (through the library's review append).
    let last_hash = other["last_hash"].as_str().unwrap().to_owned();
    sitecheck::store::reviews::append_review(
        &office.data(),
        &NewReview {
            visit: &li_id,
            visit_hash: &last_hash,
            reviewer: SUPERVISOR,
            verdict: Verdict::Rejected,
            comment: "No photo of the drain",
            item: None,
        },
    )
    .unwrap();

    // Given the whole office folder, her home lists her own rejected visit and nothing of
    // his, and she cannot amend his visit: refused on screen, nothing written.
    import(&li, LI, &office.data());
    let his_log_there = li
        .visit_logs()
        .into_iter()
        .find(|(id, _)| *id == zhang_id)
        .unwrap()
        .1;
    let before = std::fs::read(&his_log_there).unwrap();
    let mut pty = li.spawn_as(LI, &[]);
    let screen = pty.wait_for_text("Returned for follow-up (1)");
    assert!(
        screen.contains("Rejected: No photo of the drain"),
        "{screen}"
    );
    assert!(screen.contains("WO-L1"), "{screen}");
    assert!(!screen.contains("WO-Z1"), "{screen}");
    assert!(!screen.contains("re-test"), "{screen}");
    pty.send(key::ESC);
    assert_eq!(pty.wait_for_exit(), 0);

    let mut pty = li.spawn_as(LI, &["resume", &zhang_id]);
    wait_at(&pty, "Badge shown at the door");
    pty.send("A");
    let screen = pty
        .wait_for_text("Refused: only zhang.san, whose visit it is, may amend it; nothing written");
    assert!(!screen.contains("New answer: its key"), "{screen}");
    pty.send("h");
    pty.wait_for_text("Esc back");
    pty.send("A");
    pty.wait_for_text("Refused: only zhang.san");
    pty.send(key::ESC);
    pty.wait_for("the header to close", |s| !s.contains("Esc back"));
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0, "{}", pty.screen_text());
    assert_eq!(std::fs::read(&his_log_there).unwrap(), before);
}
