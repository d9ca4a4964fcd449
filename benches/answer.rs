//! One answer made durable: `Session::answer` (append + fsync of the visit log, then the
//! screen's state brought up to date) against a bare `write` + `File::sync_data` of a line
//! of the same size in the same folder (SPEC section 8: p50 <= 5 ms and within 1.2x of the
//! bare write).
//!
//! Two visits: one of the bundled appliance-installation checklist (the goal row: a real
//! checklist's size) and one of a generated 500-item checklist (how the state update grows
//! with the checklist). The bare writes are interleaved with the answers, so both see the
//! same disk at the same time.

mod support;

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use sitecheck::checklist::library::BUNDLED;

struct Figures {
    ours: support::Samples,
    bare: support::Samples,
    line_len: usize,
    items: usize,
}

fn main() {
    let answers = support::env_usize("BENCH_ANSWERS", 500);
    let items = support::env_usize("BENCH_ANSWER_ITEMS", 500);
    // Local disk, not a tmpfs: the folder can be chosen with BENCH_DIR.
    let base = std::env::var_os("BENCH_DIR").map_or_else(std::env::temp_dir, Into::into);
    let bundled = BUNDLED
        .iter()
        .find(|(name, _)| *name == "appliance-install.yaml")
        .map(|(_, source)| (*source).to_owned())
        .expect("the bundled appliance-install checklist");
    let generated = support::checklist_yaml("answer", items);

    let real = run(&base, &bundled, answers);
    let big = run(&base, &generated, answers);
    for (what, f) in [("appliance-install", &real), ("generated", &big)] {
        eprintln!(
            "answer: {answers} answers of {} bytes, {what} ({} items): sitecheck p50 {} p99 {}; bare write+fsync p50 {} p99 {}",
            f.line_len,
            f.items,
            support::ms(f.ours.median()),
            support::ms(f.ours.pct(99.0)),
            support::ms(f.bare.median()),
            support::ms(f.bare.pct(99.0)),
        );
    }
    support::versus(
        &format!("durable answer p50, {}-item checklist", real.items),
        "<= 5 ms, <= 1.2x",
        real.bare.median(),
        real.ours.median(),
    );
    support::versus(
        &format!("durable answer p99, {}-item checklist", real.items),
        "-",
        real.bare.pct(99.0),
        real.ours.pct(99.0),
    );
    support::versus(
        &format!("durable answer p50, {}-item checklist", big.items),
        "-",
        big.bare.median(),
        big.ours.median(),
    );
}

/// `answers` answers in a new visit of `yaml`, each beside a bare write of the same size.
fn run(base: &Path, yaml: &str, answers: usize) -> Figures {
    let dir = tempfile::tempdir_in(base).expect("temp dir");
    let mut session = support::start_session(dir.path(), yaml);
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
    Figures {
        ours: support::Samples::new(ours),
        bare: support::Samples::new(theirs),
        line_len,
        items: targets.len(),
    }
}
