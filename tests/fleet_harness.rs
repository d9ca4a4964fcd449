//! The test server itself: it starts on a Unix socket, answers, and stops when dropped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_support;

#[test]
fn a_throwaway_server_starts_answers_and_stops() {
    let pg = pg_or_skip!();
    let url = pg.create_db("harness");
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let row = client.query_one("SELECT 1 + 1", &[]).unwrap();
    assert_eq!(row.get::<_, i32>(0), 2);
    let cluster = pg.path().join("cluster");
    drop(client);
    drop(pg);
    assert!(!cluster.exists(), "the temporary folder is removed");
}
