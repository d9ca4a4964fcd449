//! The fleet store's errors (SPEC section 11): a server that is down, a database that does
//! not exist, a wrong password, a connection dropped mid-import — each a clear message and
//! exit 2, never a panic, nothing half-written, and a retry finishes the job.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gen_support;
mod pg_support;

use std::time::{Duration, Instant};

use pg_support::{count, run};

fn refused(store: &str, wanted: &str) -> String {
    let (code, out, err) = run(&["--store", store], &["list"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.starts_with("postgres://"),
        "the store is named first: {err}"
    );
    assert!(err.contains("error:"), "{err}");
    assert!(err.contains(wanted), "{wanted:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.is_empty(), "{out}");
    err
}

#[test]
fn a_server_that_is_down_or_a_database_that_is_not_there_is_said_so() {
    let pg = pg_or_skip!();
    let url = pg.create_db("there");
    refused(&pg.url("nowhere"), "database \"nowhere\" does not exist");
    pg.stop();
    refused(&url, "cannot connect to the fleet store");
    let (code, _, err) = run(&["--store", "/srv/sitecheck"], &["list"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not a database URL"), "{err}");
}

#[test]
fn a_wrong_password_is_said_so_without_showing_it() {
    let Some(pg) = pg_support::Pg::start_tcp() else {
        return;
    };
    pg.sql("postgres", "CREATE ROLE ann LOGIN PASSWORD 'right-one'");
    pg.sql("postgres", "CREATE DATABASE fleet OWNER ann");
    let wrong = format!("postgres://ann:wrong-one@127.0.0.1:{}/fleet", pg.port);
    let err = refused(&wrong, "password authentication failed for user \"ann\"");
    assert!(
        !err.contains("wrong-one"),
        "the password is never shown: {err}"
    );
    assert!(err.contains("postgres://ann:***@127.0.0.1"), "{err}");
    // The right one works, as the database's owner rather than a superuser.
    let right = format!("postgres://ann:right-one@127.0.0.1:{}/fleet", pg.port);
    let (code, out, err) = run(&["--store", &right], &["list"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_connection_dropped_mid_import_leaves_no_partial_visit_and_a_retry_finishes() {
    let pg = pg_or_skip!();
    let url = pg.create_db("dropped");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(1100, 11, &data);
    // The schema first; then each batch's copy of lines made slow, so that the connection
    // is surely cut while a batch is being written.
    let (code, _, err) = run(&["--store", &url], &["list"]);
    assert_eq!(code, 0, "{err}");
    pg.sql(
        "dropped",
        "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
         CREATE TRIGGER slow AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION slow();",
    );
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_sitecheck"))
        .args(["--store", &url, "import"])
        .arg(&data)
        .env("SITECHECK_CONFIG", dir.path().join("none.yaml"))
        .env_remove("SITECHECK_STORE")
        .env("LANG", "C")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut client = pg.client("dropped");
    let deadline = Instant::now() + Duration::from_secs(120);
    while count(&mut client, "SELECT count(*) FROM visits") == 0 {
        assert!(Instant::now() < deadline, "the first batch never came");
        std::thread::sleep(Duration::from_millis(20));
    }
    count(
        &mut client,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'sitecheck'",
    );
    let out = import.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error: import stopped; run it again to finish"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let taken = count(&mut client, "SELECT count(*) FROM visits");
    assert!(taken > 0 && taken < 1100, "{taken} visits after the cut");
    let partial = count(
        &mut client,
        "SELECT count(*) FROM visits v
         WHERE v.lines <> (SELECT count(*) FROM events e WHERE e.visit = v.id)",
    );
    assert_eq!(partial, 0, "a visit was half-written");

    pg.sql("dropped", "DROP TRIGGER slow ON events");
    let (code, out, err) = run(&["--store", &url], &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!(
            "{} new, 0 extended, {taken} already here",
            1100 - taken
        )),
        "{out}"
    );
    assert_eq!(count(&mut client, "SELECT count(*) FROM visits"), 1100);
    // Read back through the cursor, a chunk at a time: every visit, in id order.
    let (code, listed, err) = run(&["--store", &url], &["list", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let listed: Vec<serde_json::Value> = serde_json::from_str(&listed).unwrap();
    let ids: Vec<&str> = listed.iter().filter_map(|v| v["visit"].as_str()).collect();
    assert_eq!(ids.len(), 1100);
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "in id order, each once"
    );
}
