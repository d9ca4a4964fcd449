//! End to end, in a real pseudo-terminal, over the fleet store (SPEC sections 8 and 11):
//! `sitecheck --store URL review` on a database of a few hundred visits pages through it —
//! the newest first, PgDn, End and Home reading the pages they reach — counts what it
//! lists, and writes a verdict given on a visit deep in the list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod gen_support;
mod pg_support;

use common::pty::{Pty, key};
use common::site::{BIN, Site};
use sitecheck::store::file_store::FileStore;
use sitecheck::store::index::open::OpenOptions;
use sitecheck::store::index::summary::{VisitStatus, VisitSummary};
use sitecheck::store::seam::VisitStore;
use sitecheck::tui::review::order::{Query, Rows};

const PAGE_DOWN: &str = "\x1b[6~";
const HOME: &str = "\x1b[H";
const END: &str = "\x1b[F";

fn work_order(visit: &VisitSummary) -> String {
    visit.work_order().unwrap().to_owned()
}

#[test]
fn the_review_list_pages_through_the_database() {
    let pg = pg_or_skip!();
    let url = pg.create_db("screen");
    let site = Site::new();
    let data = site.data();
    gen_support::generate(300, 31, &data);
    let (code, out, err) =
        pg_support::run(&["--store", &url], &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");

    // What the list shows, by the in-memory list over the same visits.
    let files = FileStore::new(vec![data.clone()], OpenOptions::default()).open();
    let all = Rows::new(&files.visits, Query::default());
    let listed: Vec<&VisitSummary> = (0..all.len())
        .map(|n| all.visit(&files.visits, n).unwrap())
        .collect();
    assert_eq!(listed.len(), 300);
    let to_review = files
        .visits
        .iter()
        .filter(|v| v.verdict().is_none() || v.reviews.outdated)
        .count();

    let args: Vec<String> = [
        "--store",
        url.as_str(),
        "--technician",
        "li.si",
        "--lang",
        "en",
        "review",
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .collect();
    let mut pty = Pty::spawn(site.builder(BIN, &args, &[]), 160, 30);
    // The queue first, counted once its first page is shown.
    pty.wait_for_text(&format!("{to_review} of 300 visits"));
    // A verdict takes a visit out of the queue: the list is counted again.
    let queue: Vec<&VisitSummary> = listed
        .iter()
        .copied()
        .filter(|v| v.verdict().is_none() || v.reviews.outdated)
        .collect();
    let at = queue
        .iter()
        .position(|v| v.status == VisitStatus::Finished)
        .unwrap();
    for _ in 0..at {
        pty.send(key::DOWN);
    }
    pty.send("a");
    pty.wait_for_text("Comment (optional): ");
    pty.send(key::ENTER);
    pty.wait_for_text("✓ approved — saved");
    pty.wait_for_text(&format!("{} of 300 visits", to_review - 1));
    pty.send(key::ESC);
    let screen = pty.wait_for_text("300 of 300 visits");
    let first_row = screen.lines().nth(2).unwrap().to_owned();
    assert!(
        first_row.contains(&work_order(listed[0])),
        "the newest first:\n{screen}"
    );

    // Page by page down past the first page read (100 rows): the rows come as reached.
    for _ in 0..6 {
        pty.send(PAGE_DOWN);
    }
    // 6 pages of the screen's rows: the cursor's row is at the bottom of the view.
    let screen = pty.wait_for("six pages down", |screen| {
        !screen.contains(&work_order(listed[0]))
            && listed[100..200]
                .iter()
                .any(|v| screen.contains(&work_order(v)))
    });
    assert!(screen.contains("300 of 300 visits"), "{screen}");

    pty.send(END);
    let screen = pty.wait_for_text(&work_order(listed[299]));
    assert!(!screen.contains(&work_order(listed[150])), "{screen}");
    pty.send(HOME);
    pty.wait_for_text(&work_order(listed[0]));

    // A verdict on a finished visit deep in the list: from the end, up to it.
    let deep = (0..300)
        .rev()
        .find(|&n| listed[n].status == VisitStatus::Finished)
        .unwrap();
    pty.send(END);
    pty.wait_for_text(&work_order(listed[299]));
    for _ in deep..299 {
        pty.send(key::UP);
    }
    let target = listed[deep];
    pty.send("a");
    pty.wait_for_text("Comment (optional): ");
    pty.send("seen from the office");
    pty.send(key::ENTER);
    let screen = pty.wait_for_text("✓ approved — saved");
    assert!(screen.contains(&work_order(target)), "{screen}");
    pty.send("q");
    assert_eq!(pty.wait_for_exit(), 0);

    let mut client = pg.client("screen");
    let row = client
        .query_one(
            "SELECT line FROM reviews WHERE visit = $1 ORDER BY seq DESC LIMIT 1",
            &[&target.id],
        )
        .unwrap();
    let line: serde_json::Value = serde_json::from_str(row.get::<_, &str>(0)).unwrap();
    assert_eq!(line["verdict"], "approved");
    assert_eq!(line["reviewer"], "li.si");
    assert_eq!(line["comment"], "seen from the office");
    assert_eq!(line["visit_hash"], target.last_hash.as_str());
}
