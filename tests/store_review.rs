//! `list`, `stats` and `export` over stores written by hand: hostile text, torn and
//! damaged logs, amendments, and a review made before an amendment.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod store_support;

use serde_json::Value;
use store_support::{IDS, Visit, list_json, sitecheck, write_reviews};

fn visit<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|v| v["visit"] == id)
        .unwrap_or_else(|| panic!("{id} not listed"))
}

#[test]
fn escape_sequences_never_reach_the_terminal() {
    let data = tempfile::tempdir().unwrap();
    let mut v = Visit::start(
        IDS[0],
        "2026-11-22",
        "evil\u{1b}[2Jtech",
        &[
            ("work_order", "WO-\u{1b}]0;pwned\u{7}"),
            ("customer", "\u{1b}[31mred"),
        ],
    );
    v.answer(
        30,
        "badge",
        "\"fail\"",
        Some("note \u{1b}[2J cleared the screen"),
    )
    .answer(60, "remarks", "\"\\u001b[2J in a text answer\"", None);
    v.write(data.path());
    for args in [
        vec!["list"],
        vec!["stats", "--status", "open"],
        vec!["show", IDS[0]],
    ] {
        let out = sitecheck(&[data.path()], &args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(
            !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'),
            "{args:?} let a control character through:\n{}",
            out.stdout
        );
    }
    let list = sitecheck(&[data.path()], &["list"]).stdout;
    assert!(list.contains("evil\u{fffd}[2Jtech"), "{list}");
    // JSON carries the text exactly (escaped by JSON itself), for programs.
    let json = list_json(&[data.path()], &[]);
    assert_eq!(visit(&json, IDS[0])["technician"], "evil\u{1b}[2Jtech");
}

#[test]
fn formulas_and_markup_are_neutralised_in_exports() {
    let data = tempfile::tempdir().unwrap();
    let mut v = Visit::start(
        IDS[0],
        "2026-11-22",
        "li.si",
        &[
            (
                "work_order",
                "=HYPERLINK(\"http://evil.example\",\"click\")",
            ),
            ("customer", "<script>alert(1)</script>"),
        ],
    );
    v.answer(30, "badge", "\"fail\"", Some("@SUM(A1:A9)"))
        .answer(
            60,
            "clean",
            "\"pass\"",
            Some("+1 <img src=x onerror=alert(1)>"),
        )
        .answer(90, "satisfaction", "5", None)
        .answer(120, "remarks", "\"-2+3\"", None)
        .finish(150);
    v.write(data.path());

    let visits = sitecheck(
        &[data.path()],
        &["export", "--format", "csv", "--rows", "visits"],
    );
    assert_eq!(visits.code, 0, "{}", visits.stderr);
    let mut reader = csv::Reader::from_reader(visits.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let expected = [
        "visit",
        "started_at",
        "finished_at",
        "technician",
        "checklist",
        "checklist_version",
        "status",
        "result",
        "score",
        "answered",
        "passed",
        "failed",
        "na",
        "rushed",
        "verdict",
        "receipt",
        "work_order",
        "customer",
        "integrity",
    ];
    assert_eq!(headers.iter().collect::<Vec<_>>(), expected);
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(row[15].len(), 11, "the receipt code: {}", &row[15]);
    assert_eq!(&row[16], "'=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(&row[17], "<script>alert(1)</script>");
    assert_eq!(&row[6], "finished");
    assert_eq!(&row[7], "fail", "a failed critical item fails the visit");

    let answers = sitecheck(&[data.path()], &["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(answers.stdout.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        headers.join(","),
        "visit,started_at,technician,checklist,checklist_version,work_order,section,item,kind,value,outcome,note,answered_at,seconds_since_previous,amend_reason,evidence,integrity"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        &rows[0][5],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(&rows[0][7], "badge");
    assert_eq!(&rows[0][11], "'@SUM(A1:A9)");
    assert_eq!(&rows[1][11], "'+1 <img src=x onerror=alert(1)>");
    assert_eq!(&rows[1][13], "30");
    assert_eq!(&rows[3][9], "'-2+3");
    assert_eq!(&rows[2][9], "5");
    assert_eq!(&rows[2][15], "");
    assert_eq!(&rows[2][16], "ok");

    let html = sitecheck(
        &[data.path()],
        &["export", "--format", "html", "--status", "finished"],
    );
    assert_eq!(html.code, 0, "{}", html.stderr);
    assert!(!html.stdout.contains("<script"), "{}", html.stdout);
    assert!(!html.stdout.contains("<img"));
    assert!(!html.stdout.contains("href"));
    assert!(
        html.stdout
            .contains("=HYPERLINK(&quot;http://evil.example&quot;")
    );
    assert!(html.stdout.contains("satisfaction"));

    // jsonl: one object per visit, with its answers.
    let jsonl = sitecheck(&[data.path()], &["export", "--format", "jsonl"]);
    let lines: Vec<Value> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["answers"].as_array().unwrap().len(), 4);
    assert_eq!(lines[0]["fields"]["customer"], "<script>alert(1)</script>");
}

#[test]
fn torn_damaged_and_unreadable_logs_are_listed_not_skipped() {
    let data = tempfile::tempdir().unwrap();
    Visit::finished(IDS[0], "2026-11-22", "zhang.san", 5).write(data.path());
    // Torn: the last line cut mid-write.
    let torn = Visit::finished(IDS[1], "2026-11-22", "zhang.san", 4);
    let mut text = torn.log.text();
    text.push_str("{\"seq\":5,\"event\":\"answ");
    std::fs::write(torn.path_in(data.path()), {
        std::fs::create_dir_all(torn.path_in(data.path()).parent().unwrap()).unwrap();
        text
    })
    .unwrap();
    // Damaged: an answer changed after it was written.
    let damaged = Visit::finished(IDS[2], "2026-11-22", "li.si", 5);
    let text = damaged
        .log
        .text()
        .replace("\"value\":\"pass\"", "\"value\":\"fail\"");
    let path = damaged.write(data.path());
    std::fs::write(&path, text).unwrap();
    // Unreadable: not a log at all.
    let junk = data
        .path()
        .join("visits/2026-11")
        .join(format!("{}.jsonl", IDS[3]));
    std::fs::write(&junk, b"\x00\xffnot json\n").unwrap();

    let list = list_json(&[data.path()], &[]);
    assert_eq!(list.len(), 4);
    assert_eq!(visit(&list, IDS[0])["integrity"]["state"], "ok");
    let t = visit(&list, IDS[1]);
    assert_eq!(t["integrity"]["state"], "torn");
    assert_eq!(t["integrity"]["torn"]["line"], 6);
    assert_eq!(t["status"], "finished", "the whole lines still count");
    let d = visit(&list, IDS[2]);
    assert_eq!(d["integrity"]["state"], "damaged");
    let problem = &d["integrity"]["problems"][0];
    assert_eq!(problem["line"], 2);
    assert!(
        problem["message"].as_str().unwrap().contains("changed"),
        "{problem}"
    );
    let u = visit(&list, IDS[3]);
    assert_eq!(u["status"], "unreadable");
    assert_eq!(u["integrity"]["state"], "damaged");

    let table = sitecheck(&[data.path()], &["list"]);
    assert!(table.stdout.contains("torn"), "{}", table.stdout);
    assert!(table.stdout.contains("damaged"));
    assert!(table.stdout.contains("4 visits"));
    let stats = sitecheck(&[data.path()], &["stats", "--status", "unreadable"]);
    assert_eq!(stats.code, 0);
    assert!(
        stats
            .stdout
            .contains("1 unreadable or damaged visit log left out"),
        "{}",
        stats.stdout
    );
    // Over every visit: the damaged log's answers are not figures either.
    let stats = sitecheck(&[data.path()], &["stats", "--status", "finished"]);
    assert!(
        stats
            .stdout
            .contains("1 unreadable or damaged visit log left out"),
        "{}",
        stats.stdout
    );
}

#[test]
fn an_amended_visit_is_recomputed_and_an_earlier_review_is_outdated() {
    let data = tempfile::tempdir().unwrap();
    let mut v = Visit::start(IDS[0], "2026-11-22", "zhang.san", &[("work_order", "WO-9")]);
    v.answer(30, "badge", "\"pass\"", None)
        .answer(60, "clean", "\"fail\"", Some("no cloth"))
        .answer(90, "satisfaction", "3", None)
        .finish(120);
    let reviewed_hash = v.log.last_hash();
    v.write(data.path());
    write_reviews(
        data.path(),
        IDS[0],
        &[(
            &reviewed_hash,
            "follow_up",
            "clean it and ask again",
            Some("clean"),
        )],
    );
    let before = list_json(&[data.path()], &[]);
    let b = visit(&before, IDS[0]);
    assert_eq!(b["failed"], 2);
    assert_eq!(b["review"]["verdict"], "follow_up");
    assert_eq!(b["review"]["item"], "clean");
    assert_eq!(b["review"]["outdated"], false);
    assert_eq!(b["amended"], false);

    v.amend(86_400, "clean", "\"pass\"", "cleaned on a second visit")
        .amend(86_401, "satisfaction", "5", "asked again");
    v.write(data.path());
    let after = list_json(&[data.path()], &[]);
    let a = visit(&after, IDS[0]);
    assert_eq!(a["amended"], true);
    assert_eq!(a["amendments"], 2);
    assert_eq!(a["failed"], 0);
    assert_eq!(a["score"], 1.0);
    assert_eq!(a["review"]["outdated"], true);
    assert_eq!(a["verdict"], "follow_up (outdated)");
    let table = sitecheck(&[data.path()], &["list"]).stdout;
    assert!(table.contains("follow_up (outdated)"), "{table}");
    // The visit file was never touched by the review.
    assert!(
        !std::fs::read_to_string(v.path_in(data.path()))
            .unwrap()
            .contains("review")
    );
}

#[test]
fn filters_and_stats_with_targets() {
    let data = tempfile::tempdir().unwrap();
    // Satisfaction 5, 4, 4, 2: three of four satisfied, 75%, the target is met exactly.
    Visit::finished(IDS[0], "2026-11-16", "zhang.san", 5).write(data.path());
    Visit::finished(IDS[1], "2026-11-17", "zhang.san", 4).write(data.path());
    Visit::finished(IDS[2], "2026-11-23", "li.si", 4).write(data.path());
    Visit::finished(IDS[3], "2026-11-24", "li.si", 2).write(data.path());
    let mut open = Visit::start(IDS[4], "2026-11-24", "li.si", &[("work_order", "WO-2")]);
    open.answer(10, "badge", "\"pass\"", None);
    open.write(data.path());
    write_reviews(
        data.path(),
        IDS[0],
        &[(&"0".repeat(64), "approved", "", None)],
    );

    let out = sitecheck(&[data.path()], &["stats"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Compliance over 4 visits (finished visits)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("satisfaction 75.0% (target 75%) ✓  (3 of 4 visits)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("2026-W47"));
    assert!(out.stdout.contains("2026-W48"));

    let li = sitecheck(&[data.path()], &["--technician", "li.si", "stats"]);
    assert!(
        li.stdout.contains("satisfaction 50.0% (target 75%) ✗"),
        "{}",
        li.stdout
    );

    let ids = |extra: &[&str]| -> Vec<String> {
        list_json(&[data.path()], extra)
            .iter()
            .map(|v| v["visit"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&["--since", "2026-11-23"]), [IDS[2], IDS[3], IDS[4]]);
    assert_eq!(ids(&["--until", "2026-11-16"]), [IDS[0]]);
    assert_eq!(ids(&["--status", "open"]), [IDS[4]]);
    assert_eq!(ids(&["--verdict", "approved"]), [IDS[0]]);
    assert_eq!(
        ids(&["--verdict", "unreviewed", "--status", "finished"]).len(),
        3
    );
    // A checklist the store has never seen is an error, not an empty list (SPEC section 2).
    let other = sitecheck(&[data.path()], &["list", "--checklist", "other"]);
    assert_eq!(other.code, 2);
    assert!(
        other.stderr.contains("known checklists: mini"),
        "{}",
        other.stderr
    );
    let bad = sitecheck(&[data.path()], &["list", "--since", "22/11/2026"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("YYYY-MM-DD"), "{}", bad.stderr);
}

#[test]
fn several_data_folders_are_read_together() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    Visit::finished(IDS[0], "2026-11-16", "zhang.san", 5).write(a.path());
    Visit::finished(IDS[1], "2026-11-17", "li.si", 4).write(b.path());
    // The same visit in both: listed once, from the first folder.
    Visit::finished(IDS[2], "2026-11-18", "li.si", 4).write(a.path());
    Visit::finished(IDS[2], "2026-11-18", "li.si", 4).write(b.path());
    let list = list_json(&[a.path(), b.path()], &[]);
    assert_eq!(list.len(), 3);
    assert_eq!(visit(&list, IDS[1])["data_dir"], b.path().to_str().unwrap());
    assert_eq!(visit(&list, IDS[2])["data_dir"], a.path().to_str().unwrap());
}
