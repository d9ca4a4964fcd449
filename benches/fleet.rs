//! The fleet store (SPEC section 8): `sitecheck --store postgres://... import` of a generated
//! store beside `psql \copy` of the same lines into a bare table; then `stats` and `list`
//! over the database, with their peak memory; and the database's bytes per visit (the
//! figure the README's "Beyond one server" sizing starts from).
//!
//! It starts its own throwaway PostgreSQL server (as the tests do); where PostgreSQL is not
//! installed it says so and is skipped. `BENCH_STORES` lists the stores (made by
//! `examples/gen_store`); the largest is imported.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/pg_support.rs"]
mod pg_support;
mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let Some(store) = std::env::var("BENCH_STORES")
        .unwrap_or_default()
        .split(':')
        .rfind(|s| !s.is_empty())
        .map(PathBuf::from)
    else {
        panic!("BENCH_STORES names no store (scripts/bench.sh generates them)");
    };
    let Some(pg) = pg_support::Pg::start() else {
        println!(
            "note\tfleet store: skipped — PostgreSQL is not installed (apt-get install postgresql)"
        );
        return;
    };
    let url = pg.create_db("bench");
    let visits = logs(&store);
    let n = visits.len();

    // The baseline: the same lines, as `visit \t seq \t line`, copied by psql into a table
    // with no checks at all.
    let tsv = pg.path().join("lines.tsv");
    write_lines(&visits, &tsv);
    pg.sql(
        "bench",
        "CREATE TABLE bare_lines (visit text, seq integer, line text)",
    );
    let psql = psql_bin();
    let copy = timed(|| {
        let out = Command::new(&psql)
            .arg(pg.url("bench"))
            .arg("-c")
            .arg(format!("\\copy bare_lines FROM '{}'", tsv.display()))
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
    let import = timed(|| {
        let out = sitecheck(&url, &["import", &store.display().to_string()]);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
    support::versus(
        &format!("fleet store: import {n} visits (psql \\copy of the lines)"),
        "<= 2x",
        copy,
        import,
    );
    let again = timed(|| {
        sitecheck(&url, &["import", &store.display().to_string()]);
    });
    support::versus(
        &format!("fleet store: import {n} visits again (nothing new)"),
        "—",
        copy,
        again,
    );
    let (stats, stats_kb) = timed_memory(&url, &["stats"]);
    support::row(
        &format!("fleet store: stats, {n} visits"),
        "<= 1 s (at 1,000,000)",
        "—",
        &support::ms(stats),
        &format!("{} MB peak", stats_kb / 1024),
    );
    let (list, list_kb) = timed_memory(&url, &["list", "--format", "json"]);
    support::row(
        &format!("fleet store: list (the review list), {n} visits"),
        "<= 100 ms first page",
        "—",
        &support::ms(list),
        &format!("{} MB peak", list_kb / 1024),
    );
    // A page of the list, keyset-paged: the first, and one deep in the store.
    let source = sitecheck::store::postgres::PgStore::open(&url, Default::default()).unwrap();
    let first = timed(|| {
        let page = sitecheck::store::seam::VisitStore::page(&source, None, 50);
        assert!(page.is_some_and(|p| p.is_ok()));
    });
    let middle = visits
        .get(n / 2)
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned());
    let deep = timed(|| {
        let page = sitecheck::store::seam::VisitStore::page(&source, middle.as_deref(), 50);
        assert!(page.is_some_and(|p| p.is_ok()));
    });
    support::row(
        &format!("fleet store: a page of 50 visits (keyset), {n} visits"),
        "<= 100 ms",
        "—",
        &support::ms(first),
        &format!("{} deep in the store", support::ms(deep)),
    );
    review_list_pages(&source, &format!("{n} visits"));
    let mut client = pg.client("bench");
    let bytes: i64 = client
        .query_one(
            "SELECT (pg_total_relation_size('visits') + pg_total_relation_size('events')
                     + pg_total_relation_size('imports'))::bigint",
            &[],
        )
        .unwrap()
        .get(0);
    let lines: i64 = client
        .query_one("SELECT count(*) FROM events", &[])
        .unwrap()
        .get(0);
    let per_visit = bytes / i64::try_from(n.max(1)).unwrap_or(1);
    println!(
        "note\tfleet store: {per_visit} bytes a visit on disk (tables and indexes, {} lines a visit); the README's sizing uses it",
        lines / i64::try_from(n.max(1)).unwrap_or(1)
    );

    // SPEC 8 asks for stats over 1,000,000 visits. Their logs would not fit the disk, so
    // the visit rows (what stats reads) are copied in SQL under new, older ids, until the
    // store holds BENCH_FLEET_ROWS rows; the newest page is still of visits with logs.
    let rows: i64 = std::env::var("BENCH_FLEET_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let held = grow(&mut client, rows);
    if held > i64::try_from(n).unwrap_or(i64::MAX) {
        let (recount, _) = timed_memory(&url, &["stats"]);
        support::row(
            &format!(
                "fleet store: stats right after {held} visit rows were written (every day counted again)"
            ),
            "—",
            "—",
            &support::ms(recount),
            "once, after a bulk load",
        );
        let mut best = Duration::MAX;
        let mut peak = 0;
        for _ in 0..3 {
            let (time, kb) = timed_memory(&url, &["stats"]);
            best = best.min(time);
            peak = kb;
        }
        support::row(
            &format!("fleet store: stats, {held} visit rows"),
            "<= 1 s",
            "—",
            &support::ms(best),
            &format!("best of 3; {} MB peak", peak / 1024),
        );
        review_list_pages(&source, &format!("{held} visit rows"));
    }
}

/// The review screen's list as it opens (the to_review queue, newest first) and sorted by
/// technician: the first page of 100 (what the screen reads before its first frame) and
/// the next; best of 5 each.
fn review_list_pages(source: &sitecheck::store::postgres::PgStore, size: &str) {
    use sitecheck::store::figure_counts::{Selection, Wanted};
    use sitecheck::store::listing::{Cursor, ListQuery, SortKey};
    use sitecheck::store::seam::VisitStore;
    let queue = ListQuery {
        selection: Selection {
            verdict: Some(Wanted::ToReview),
            ..Selection::default()
        },
        reverse: true,
        ..ListQuery::default()
    };
    let by_technician = ListQuery {
        sort: SortKey::Technician,
        ..ListQuery::default()
    };
    for (what, query) in [
        ("the to_review queue, newest first", &queue),
        ("every visit by technician", &by_technician),
    ] {
        let mut first = Duration::MAX;
        let mut next = Duration::MAX;
        for _ in 0..5 {
            let mut last = None;
            first = first.min(timed(|| {
                let page = source
                    .list_page(query, &Cursor::First, 100)
                    .unwrap()
                    .unwrap();
                last = page.last().map(|v| v.id.clone());
            }));
            let after = Cursor::After(last.unwrap_or_default());
            next = next.min(timed(|| {
                assert!(source.list_page(query, &after, 100).unwrap().is_ok());
            }));
        }
        support::row(
            &format!("fleet store: review list, first page of 100 ({what}), {size}"),
            "<= 100 ms",
            "—",
            &support::ms(first),
            &format!("best of 5; the next page {}", support::ms(next)),
        );
    }
}

/// Copies the visit rows (and their latest verdicts) under new ids older than any real
/// one (`00` and a copy number, where a ULID of this century has `01`), until the store
/// holds at least `rows`; how many it holds.
fn grow(client: &mut postgres::Client, rows: i64) -> i64 {
    const COLUMNS: &str = "month, started_at, finished_at, technician, host, checklist, \
        checklist_version, checklist_sha, status, result, score, answered, passed, failed, na, \
        missing, amendments, duration_ms, answer_gaps, marks, target_marks, fields, integrity, \
        problem, lines, last_hash, tail, raw";
    let count = |client: &mut postgres::Client| -> i64 {
        client
            .query_one("SELECT count(*) FROM visits", &[])
            .unwrap()
            .get(0)
    };
    let real = count(client);
    let digits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    for copy in digits.chars() {
        if real == 0 || count(client) >= rows {
            break;
        }
        let new_id = format!("'00{copy}' || substr(id, 4)");
        client
            .batch_execute(&format!(
                "INSERT INTO visits (id, {COLUMNS})
                 SELECT {new_id}, {COLUMNS} FROM visits WHERE id NOT LIKE '00%';
                 INSERT INTO review_latest (visit, seq, verdict, visit_hash)
                 SELECT '00{copy}' || substr(visit, 4), seq, verdict, visit_hash
                 FROM review_latest WHERE visit NOT LIKE '00%';"
            ))
            .unwrap();
    }
    count(client)
}

fn logs(store: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&store.join("visits"), &mut out);
    out.sort();
    out
}

fn write_lines(logs: &[PathBuf], to: &Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(to).unwrap());
    for log in logs {
        let id = log.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(log).unwrap();
        for (seq, line) in text.lines().enumerate() {
            let line = line.replace('\\', "\\\\").replace('\t', "\\t");
            writeln!(out, "{id}\t{seq}\t{line}").unwrap();
        }
    }
    out.flush().unwrap();
    drop(out);
    // The server's user reads it when psql runs as that user: readable by all.
    let _ = Command::new("chmod").arg("a+r").arg(to).status();
}

fn psql_bin() -> PathBuf {
    support::which("psql").unwrap_or_else(|| PathBuf::from("psql"))
}

fn sitecheck(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(support::sitecheck_bin())
        .args(["--store", url])
        .args(args)
        .env_remove("SITECHECK_STORE")
        .output()
        .expect("run sitecheck")
}

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// The time of one run, and its own peak memory (kB), as `wait4` reports it for that
/// child alone (the import before it uses more, and must not be counted as this).
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which gives its own rusage"
)]
fn timed_memory(url: &str, args: &[&str]) -> (Duration, i64) {
    let start = Instant::now();
    let child = Command::new(support::sitecheck_bin())
        .args(["--store", url])
        .args(args)
        .env_remove("SITECHECK_STORE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run sitecheck");
    let pid = i32::try_from(child.id()).expect("a pid");
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: wait4 waits for the child spawned above and fills the struct it is given.
    let (waited, kb) = unsafe {
        let waited = libc::wait4(pid, &mut status, 0, usage.as_mut_ptr());
        (waited, usage.assume_init().ru_maxrss)
    };
    let time = start.elapsed();
    assert!(
        waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "sitecheck {args:?} failed"
    );
    (time, kb)
}
