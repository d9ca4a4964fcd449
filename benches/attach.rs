//! Attaching a 5 MB photo (SPEC section 8): `Session::attach` — copy into the store by hash,
//! fsync, rename, folder fsync, then the `attached` line appended and fsynced — against
//! `cp` + `sync` of the same file into the same folder (goal: within 1.5x).
//!
//! Each round attaches a different photo (one byte changed, so the store never already
//! holds it), and which side goes first alternates, so both see the same disk.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use sitecheck::checklist::library::BUNDLED;

fn main() {
    let rounds = support::env_usize("BENCH_ATTACH_ROUNDS", 30);
    let megabytes = support::env_usize("BENCH_ATTACH_MB", 5);
    let base = std::env::var_os("BENCH_DIR").map_or_else(std::env::temp_dir, Into::into);
    let dir = tempfile::tempdir_in(&base).expect("temp dir");
    let bundled = BUNDLED
        .iter()
        .find(|(name, _)| *name == "appliance-install.yaml")
        .map(|(_, source)| (*source).to_owned())
        .expect("the bundled appliance-install checklist");
    let data = dir.path().join("data");
    let mut session = support::start_session(&data, &bundled);
    let inbox = dir.path().join("inbox");
    let copies = dir.path().join("copies");
    std::fs::create_dir_all(&inbox).expect("inbox");
    std::fs::create_dir_all(&copies).expect("copies");
    // Photo-like bytes: not compressible, not all alike.
    let mut bytes: Vec<u8> = (0..megabytes * 1024 * 1024)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3])
        .collect();

    let mut ours = Vec::with_capacity(rounds);
    let mut theirs = Vec::with_capacity(rounds);
    for n in 0..rounds {
        let at = n % bytes.len();
        bytes[at] ^= 0x5a;
        let photo = inbox.join(format!("IMG_{n:04}.jpg"));
        std::fs::write(&photo, &bytes).expect("photo");
        let mut baseline = || {
            let target = copies.join(format!("IMG_{n:04}.jpg"));
            let start = Instant::now();
            run(Command::new("cp").arg(&photo).arg(&target));
            run(Command::new("sync").arg(&target));
            theirs.push(start.elapsed());
        };
        if n % 2 == 0 {
            baseline();
        }
        let start = Instant::now();
        session
            .attach("power_on_test", &photo, None)
            .expect("attach");
        ours.push(start.elapsed());
        assert!(session.all_saved(), "not saved: {:?}", session.write_error);
        if n % 2 == 1 {
            baseline();
        }
    }
    let (ours, theirs) = (support::Samples::new(ours), support::Samples::new(theirs));
    eprintln!(
        "attach: {rounds} photos of {megabytes} MB: sitecheck p50 {} p99 {}; cp + sync p50 {} p99 {}",
        support::ms(ours.median()),
        support::ms(ours.pct(99.0)),
        support::ms(theirs.median()),
        support::ms(theirs.pct(99.0)),
    );
    support::versus(
        &format!("attach a {megabytes} MB photo p50"),
        "<= 1.5x cp + sync",
        theirs.median(),
        ours.median(),
    );
    check_store(&data);
}

fn run(command: &mut Command) {
    let status = command.status().expect("run");
    assert!(status.success(), "{command:?} failed");
}

/// Every photo is in the store by its hash: nothing was measured that did not happen.
fn check_store(data: &Path) {
    let stored = walk(&data.join("evidence"));
    assert!(
        stored
            .iter()
            .all(|p| !p.to_string_lossy().contains("partial")),
        "a partial copy was left: {stored:?}"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}
