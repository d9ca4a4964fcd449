//! Importing into the fleet store (SPEC sections 5 and 11): the same folder twice changes
//! nothing, a longer log extends, a different one is a conflict recorded once and never
//! taken; the database itself refuses an altered history; a newer schema is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gen_support;
mod pg_support;

use std::path::{Path, PathBuf};

use pg_support::{count, run};

/// Every table's row count, to see that nothing changed.
fn counts(client: &mut postgres::Client) -> Vec<i64> {
    [
        "visits",
        "events",
        "review_logs",
        "reviews",
        "imports",
        "conflicts",
    ]
    .iter()
    .map(|t| count(client, &format!("SELECT count(*) FROM {t}")))
    .collect()
}

fn logs(data: &Path) -> Vec<PathBuf> {
    let mut logs = gen_support::walk(&data.join("visits"));
    logs.sort();
    logs
}

/// A copy of `data` with only `keep` of the visit logs (and every review log).
fn copy_store(data: &Path, to: &Path, keep: impl Fn(&Path) -> bool) {
    for log in logs(data) {
        if keep(&log) {
            let target = to.join(log.strip_prefix(data).unwrap());
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&log, &target).unwrap();
        }
    }
    std::fs::create_dir_all(to.join("visits")).unwrap();
}

/// The first `n` lines of a log.
fn head(text: &str, n: usize) -> String {
    text.lines().take(n).map(|l| format!("{l}\n")).collect()
}

#[test]
fn importing_twice_changes_nothing_and_a_longer_log_extends() {
    let pg = pg_or_skip!();
    let url = pg.create_db("twice");
    let store = ["--store", url.as_str()];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(30, 3, &data);
    // First an early copy of one finished visit (its first five lines), then the whole store.
    let early = dir.path().join("early");
    let finished = logs(&data)
        .into_iter()
        .find(|l| {
            std::fs::read_to_string(l)
                .unwrap()
                .contains("\"event\":\"finished\"")
        })
        .unwrap();
    copy_store(&data, &early, |l| l == finished);
    let copied = early.join(finished.strip_prefix(&data).unwrap());
    let whole = std::fs::read_to_string(&copied).unwrap();
    std::fs::write(&copied, head(&whole, 5)).unwrap();

    let (code, out, err) = run(&store, &["import", &early.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("visit logs: 1 new"), "{out}");
    let mut client = pg.client("twice");
    assert_eq!(count(&mut client, "SELECT count(*) FROM events"), 5);

    let (code, out, err) = run(&store, &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("visit logs: 29 new, 1 extended"), "{out}");
    let before = counts(&mut client);
    let (code, again, err) = run(&store, &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{again}{err}");
    assert!(
        again.contains("visit logs: 0 new, 0 extended, 30 already here"),
        "{again}"
    );
    assert_eq!(
        counts(&mut client),
        before,
        "a second import changed the database"
    );

    // The early copy again is older than what is held: nothing changes.
    let (code, out, _) = run(&store, &["import", &early.display().to_string()]);
    assert_eq!(code, 0);
    assert!(out.contains("1 older"), "{out}");
    assert_eq!(counts(&mut client), before);

    // The log held is the file, byte for byte.
    let id = finished.file_stem().unwrap().to_str().unwrap();
    let held: Vec<u8> = client
        .query_one(
            "SELECT string_agg(convert_to(line, 'UTF8') || '\\x0a'::bytea, ''::bytea ORDER BY seq) FROM events WHERE visit = $1",
            &[&id],
        )
        .unwrap()
        .get(0);
    assert_eq!(held, std::fs::read(&finished).unwrap());
    // The ledger is one chained line per copy taken: the early copy and the whole one.
    assert_eq!(
        count(
            &mut client,
            &format!("SELECT count(*) FROM imports WHERE visit = '{id}'")
        ),
        2
    );
    let (code, out, err) = run(&store, &["verify"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_different_log_is_a_conflict_recorded_once_and_never_taken() {
    let pg = pg_or_skip!();
    let url = pg.create_db("conflict");
    let store = ["--store", url.as_str()];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(10, 5, &data);
    let (code, out, err) = run(&store, &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");

    // Another laptop's log under the same id: the same first lines, then another answer.
    let other = dir.path().join("other");
    let victim = logs(&data)
        .into_iter()
        .find(|l| {
            std::fs::read_to_string(l)
                .unwrap()
                .contains("\"value\":\"pass\"")
        })
        .unwrap();
    copy_store(&data, &other, |l| l == victim);
    let copy = other.join(victim.strip_prefix(&data).unwrap());
    std::fs::write(
        &copy,
        conflicting(&std::fs::read_to_string(&victim).unwrap(), "fail"),
    )
    .unwrap();

    let mut client = pg.client("conflict");
    let before = counts(&mut client);
    for _ in 0..2 {
        let (code, out, _) = run(&store, &["import", &other.display().to_string()]);
        assert_eq!(code, 1, "a conflict is a problem to look at: {out}");
        assert!(out.contains("error: conflict:"), "{out}");
        assert!(out.contains("1 conflicts"), "{out}");
    }
    let mut after = before.clone();
    after[5] += 1;
    assert_eq!(counts(&mut client), after, "one conflict row, nothing else");
    let (code, shown, _) = run(
        &store,
        &["show", victim.file_stem().unwrap().to_str().unwrap()],
    );
    let (_, on_file, _) = run(
        &["--data-dir", &data.display().to_string()],
        &["show", victim.file_stem().unwrap().to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert_eq!(shown, on_file, "the log held is still the first one");
}

/// A log that agrees with `text` up to its first `pass` answer, which says `value` instead:
/// chained afresh from there, so it verifies on its own.
pub fn conflicting(text: &str, value: &str) -> String {
    use sitecheck::log::chain;
    let mut out = String::new();
    let mut prev = String::new();
    for line in text.lines() {
        let split = chain::split(line).unwrap();
        let changed =
            line.contains("\"event\":\"answered\"") && line.contains("\"value\":\"pass\"");
        let body =
            split
                .body()
                .replacen("\"value\":\"pass\"", &format!("\"value\":\"{value}\""), 1);
        let sealed = chain::seal(&prev, &body).unwrap();
        out.push_str(&sealed.line);
        out.push('\n');
        prev = sealed.hash;
        if changed {
            return out;
        }
    }
    out
}

#[test]
fn the_database_refuses_an_altered_history() {
    let pg = pg_or_skip!();
    let url = pg.create_db("history");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(6, 9, &data);
    let (code, out, err) = run(&["--store", &url], &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    for sql in [
        "UPDATE events SET line = line || ' ' WHERE seq = 1",
        "DELETE FROM events WHERE seq > 2",
        "TRUNCATE events CASCADE",
        "UPDATE reviews SET line = 'x'",
        "DELETE FROM reviews",
        "UPDATE imports SET last_hash = 'x'",
        "DELETE FROM imports",
        "DELETE FROM visits",
    ] {
        let refused = pg.try_sql("history", sql).expect_err(sql);
        assert!(refused.contains("insert-only"), "{sql}: {refused}");
    }
    // A line whose previous hash is not the stored line before it has nowhere to hang.
    let broken = pg
        .try_sql(
            "history",
            "INSERT INTO events (visit, seq, prev_seq, prev_hash, hash, line)
             SELECT visit, 1000, 999, hash, hash, line FROM events WHERE seq = 0 LIMIT 1",
        )
        .expect_err("a line after a missing one");
    assert!(broken.contains("foreign key"), "{broken}");
    let twice = pg
        .try_sql(
            "history",
            "INSERT INTO events SELECT * FROM events WHERE seq = 0 LIMIT 1",
        )
        .expect_err("a seq twice");
    assert!(twice.contains("duplicate key"), "{twice}");
    let wrong = pg
        .try_sql(
            "history",
            "INSERT INTO events (visit, seq, prev_seq, prev_hash, hash, line)
             SELECT e.visit, e.seq + 100, e.seq, repeat('0', 64), e.hash, e.line
             FROM events e WHERE e.seq = 0 LIMIT 1",
        )
        .expect_err("a wrong previous hash");
    assert!(wrong.contains("violates"), "{wrong}");
}

#[test]
fn a_database_newer_than_the_binary_is_refused() {
    let pg = pg_or_skip!();
    let url = pg.create_db("newer");
    let (code, _, err) = run(&["--store", &url], &["list"]);
    assert_eq!(code, 0, "{err}");
    pg.sql(
        "newer",
        "INSERT INTO sitecheck_schema (version) VALUES (999)",
    );
    let (code, out, err) = run(&["--store", &url], &["list"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("error: the database holds sitecheck schema version 999, newer than this sitecheck knows"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn evidence_is_carried_by_its_hash_and_a_missing_file_is_reported() {
    use sha2::Digest;
    let pg = pg_or_skip!();
    let url = pg.create_db("evidence");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(24, 2, &data);
    let sha_of = |bytes: &[u8]| sitecheck::log::chain::to_hex(&sha2::Sha256::digest(bytes));
    let photo = b"\x89PNG a photo of the drain".to_vec();
    let sha = sha_of(&photo);
    let absent = "0".repeat(64);
    // A file whose bytes are not those its name promises.
    let liar = sha_of(b"what the log saw");
    let evidence = data.join("evidence");
    for (name, bytes) in [(&sha, &photo[..]), (&liar, &b"something else"[..])] {
        std::fs::create_dir_all(evidence.join(&name[..2])).unwrap();
        std::fs::write(evidence.join(&name[..2]).join(name), bytes).unwrap();
    }
    // An open visit attaches all three: chained after its last line.
    let log = logs(&data)
        .into_iter()
        .find(|l| {
            let text = std::fs::read_to_string(l).unwrap();
            !text.contains("\"event\":\"finished\"") && !text.contains("\"event\":\"abandoned\"")
        })
        .expect("an open visit");
    let mut text = std::fs::read_to_string(&log).unwrap();
    let last = text.lines().last().unwrap().to_owned();
    let mut prev = sitecheck::log::chain::split(&last).unwrap().hash.to_owned();
    let seq = text.lines().count();
    for (n, named) in [&sha, &absent, &liar].into_iter().enumerate() {
        let body = format!(
            "{{\"seq\":{},\"event\":\"attached\",\"at\":\"2026-11-22T10:00:00.000+08:00\",\"ms\":1,\"item\":\"badge\",\"sha256\":\"{named}\",\"size\":{},\"media_type\":\"image/png\",\"name\":\"drain.png\"}}",
            seq + n,
            if named == &sha { photo.len() } else { 16 }
        );
        let sealed = sitecheck::log::chain::seal(&prev, &body).unwrap();
        text.push_str(&sealed.line);
        text.push('\n');
        prev = sealed.hash;
    }
    std::fs::write(&log, text).unwrap();

    let mut client = pg.client("evidence");
    let (code, out, err) = run(&["--store", &url], &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "evidence not taken is a warning: {out}{err}");
    assert!(
        out.contains(&format!(
            "{absent}: warning: evidence not taken: not in the source store's evidence folder"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{liar}: warning: evidence not taken: its bytes do not hash to its name"
        )),
        "{out}"
    );
    assert!(out.contains(" not taken"), "{out}");
    let held: Vec<u8> = client
        .query_one("SELECT bytes FROM evidence WHERE sha256 = $1", &[&sha])
        .unwrap()
        .get(0);
    assert_eq!(held, photo);
    assert_eq!(
        count(
            &mut client,
            &format!("SELECT count(*) FROM evidence WHERE sha256 IN ('{absent}', '{liar}')")
        ),
        0
    );
    let before = count(&mut client, "SELECT count(*) FROM evidence");
    let (_, again, _) = run(&["--store", &url], &["import", &data.display().to_string()]);
    assert!(again.contains("evidence: 0 copied"), "{again}");
    assert_eq!(count(&mut client, "SELECT count(*) FROM evidence"), before);
    // `verify` and `show` read the evidence from the database as they do from the folder.
    let id = log.file_stem().unwrap().to_str().unwrap();
    let (_, on_db, _) = run(&["--store", &url], &["verify", id]);
    let (_, on_file, _) = run(
        &["--data-dir", &data.display().to_string()],
        &["verify", id],
    );
    // But for the altered file: the folder holds it (altered), the import refused it.
    assert_eq!(
        on_db.replace(&url, "STORE"),
        on_file
            .replace(&data.display().to_string(), "STORE")
            .replace(
                "was altered: its bytes no longer match the log",
                "is missing from the store"
            )
    );
    assert!(on_file.contains("was altered"), "{on_file}");
}
