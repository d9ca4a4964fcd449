//! One answer made durable: `Session::answer` (append + fsync of the visit log) against a
//! bare `write` + `File::sync_data` of a line of the same size in the same folder
//! (SPEC section 8: p50 <= 5 ms and within 1.2x of the bare write).
//!
//! The two are interleaved, one of each in turn, so both see the same disk at the same time.

mod support;

use std::fs::OpenOptions;
use std::io::Write;
use std::time::{Duration, Instant};

fn main() {
    let answers = support::env_usize("BENCH_ANSWERS", 500);
    let items = support::env_usize("BENCH_ANSWER_ITEMS", 500);
    // Local disk, not a tmpfs: the folder can be chosen with BENCH_DIR.
    let base = std::env::var_os("BENCH_DIR").map_or_else(std::env::temp_dir, Into::into);
    let dir = tempfile::tempdir_in(&base).expect("temp dir");
    let mut session = support::start_session(dir.path(), &support::checklist_yaml("answer", items));
    let targets: Vec<_> = session
        .checklist
        .items()
        .enumerate()
        .map(|(n, (_, item))| (item.id.clone(), support::answer_for(item, n)))
        .collect();
    let log = session.path().to_path_buf();
    let folder = log
        .parent()
        .expect("a visit log has a folder")
        .to_path_buf();

    // The size of an answer's line, for the bare writes.
    let before = std::fs::metadata(&log).expect("log").len();
    session.answer(&targets[0].0, targets[0].1.clone());
    let line_len = (std::fs::metadata(&log).expect("log").len() - before).max(2) as usize;
    let mut line = vec![b'x'; line_len - 1];
    line.push(b'\n');
    let mut bare = OpenOptions::new()
        .create(true)
        .append(true)
        .open(folder.join("bare.jsonl"))
        .expect("bare file");

    let mut ours = Vec::with_capacity(answers);
    let mut theirs = Vec::with_capacity(answers);
    for n in 0..answers {
        let mut bare_write = || {
            let start = Instant::now();
            bare.write_all(&line).expect("write");
            bare.sync_data().expect("fsync");
            theirs.push(start.elapsed());
        };
        // Which goes first alternates: an fsync right after another can wait for the
        // journal's commit, and neither side should always be second.
        if n % 2 == 0 {
            bare_write();
        }
        let (id, value) = &targets[(n + 1) % targets.len()];
        let start = Instant::now();
        session.answer(id, value.clone());
        ours.push(start.elapsed());
        if !session.all_saved() {
            panic!("answer not saved: {:?}", session.write_error);
        }
        if n % 2 == 1 {
            bare_write();
        }
    }
    let ours = support::Samples::new(ours);
    let theirs = support::Samples::new(theirs);
    eprintln!(
        "answer: {answers} answers of {line_len} bytes in {}: sitecheck p50 {} p99 {}; bare write+fsync p50 {} p99 {}",
        folder.display(),
        support::ms(ours.median()),
        support::ms(ours.pct(99.0)),
        support::ms(theirs.median()),
        support::ms(theirs.pct(99.0)),
    );
    let row = |what: &str, goal: &str, a: Duration, b: Duration| {
        support::row(
            what,
            goal,
            &support::ms(b),
            &support::ms(a),
            &support::ratio(a, b),
        )
    };
    row(
        "durable answer, p50 (append+fsync)",
        "<= 5 ms, <= 1.2x",
        ours.median(),
        theirs.median(),
    );
    row("durable answer, p99", "-", ours.pct(99.0), theirs.pct(99.0));
}
