//! Review and export over generated stores (SPEC section 8): the review list ready over
//! 100,000 visits cold (no summary cache, page cache dropped when allowed) and warm (cache
//! present), with its peak memory; `export --format csv` of that store; each beside `cat`
//! of the same log files. And how the cost grows: review load and export per visit at each
//! store size given, to show it stays flat.
//!
//! `BENCH_STORES` lists the stores (made by `examples/gen_store`), `:`-separated, smallest
//! first; the goal rows are for the largest. Each review load runs in a fresh process (this
//! binary again) so its peak memory (`VmHWM`) is its own.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sitecheck::store::index::check::{Checked, check};
use sitecheck::store::index::open::{OpenOptions, open_snapshot, open_store};

const CHILD: &str = "SITECHECK_BENCH_REVIEW_CHILD";
/// With this set, the child opens from the cache alone (`open_snapshot`), as a review screen
/// can before it checks every log.
const SNAPSHOT: &str = "SITECHECK_BENCH_REVIEW_SNAPSHOT";
/// With this set, the child does what the review screen does: the list from the cache, then
/// every log checked against it and the changes applied (`check`, `Store::apply`).
const SCREEN: &str = "SITECHECK_BENCH_REVIEW_SCREEN";

fn main() {
    if let Some(store) = std::env::var_os(CHILD) {
        review_child(Path::new(&store));
        return;
    }
    let stores: Vec<PathBuf> = std::env::var("BENCH_STORES")
        .unwrap_or_default()
        .split(':')
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .collect();
    if stores.is_empty() {
        panic!("BENCH_STORES names no store (scripts/bench.sh generates them)");
    }
    let dropped = drop_page_cache();
    let mut results = Vec::new();
    for store in &stores {
        results.push(measure(store, dropped));
    }
    let cold_note = if dropped {
        "cold: summary cache deleted, page cache dropped"
    } else {
        "cold: summary cache deleted; page cache NOT dropped (needs root)"
    };
    let big = results.last().expect("one store at least");
    let n = big.visits;
    support::versus(
        &format!("review ready, {n} visits / {} answers, cold", big.answers),
        "<= 2 s",
        big.cat_cold,
        big.review_cold,
    );
    support::versus(
        &format!("review ready, {n} visits, no summary cache, logs in page cache"),
        "-",
        big.cat_warm,
        big.review_uncached,
    );
    support::versus(
        &format!(
            "review list ready, {n} visits, warm: `sitecheck review` start to list drawn (median of 5)"
        ),
        "<= 0.3 s",
        big.cat_warm,
        big.screen_warm,
    );
    support::row(
        &format!("  of which: the list from the summary cache (open_snapshot), {n} visits"),
        "-",
        "-",
        &support::ms(big.review_snapshot),
        "-",
    );
    support::versus(
        &format!(
            "  and with every log then checked against it in the background (review::check), {n} visits"
        ),
        "-",
        big.cat_warm,
        big.screen_checked,
    );
    support::versus(
        &format!(
            "warm open through the cache, every log stat'ed (open_store: list, stats, export), {n} visits"
        ),
        "-",
        big.cat_warm,
        big.review_warm,
    );
    support::row(
        &format!("review peak memory (VmHWM), {n} visits"),
        "<= 300 MB",
        "-",
        &format!(
            "{} MB cold, {} MB warm",
            big.rss_cold_kb / 1024,
            big.rss_warm_kb / 1024
        ),
        "-",
    );
    support::row(
        &format!("review screen peak memory (list + background check), {n} visits"),
        "<= 300 MB",
        "-",
        &format!(
            "{} MB, {} MB after 100 imported",
            big.rss_screen_kb.0 / 1024,
            big.rss_screen_kb.1 / 1024
        ),
        "-",
    );
    support::row(
        &format!("export --format csv, {n} visits (vs cat, warm)"),
        "<= 3x cat",
        &support::ms(big.cat_warm),
        &big.export
            .map_or("no export command yet".into(), support::ms),
        &big.export
            .map_or("-".into(), |e| support::ratio(e, big.cat_warm)),
    );
    for r in &results {
        let per = |d: Duration| format!("{:.1} us/visit", d.as_secs_f64() * 1e6 / r.visits as f64);
        support::row(
            &format!("growth: review load cold, {} visits", r.visits),
            "flat per visit",
            &per(r.cat_cold),
            &format!("{} ({})", support::ms(r.review_cold), per(r.review_cold)),
            &support::ratio(r.review_cold, r.cat_cold),
        );
        if let Some(export) = r.export {
            support::row(
                &format!("growth: export csv, {} visits", r.visits),
                "flat per visit",
                &per(r.cat_warm),
                &format!("{} ({})", support::ms(export), per(export)),
                &support::ratio(export, r.cat_warm),
            );
        }
    }
    println!(
        "note\t{cold_note}; baselines are `find DIR -name '*.jsonl' -print0 | xargs -0 cat > /dev/null`"
    );
}

struct Figures {
    visits: usize,
    answers: u64,
    cat_cold: Duration,
    cat_warm: Duration,
    review_cold: Duration,
    review_uncached: Duration,
    review_warm: Duration,
    review_snapshot: Duration,
    /// `sitecheck review` in a pty, from the spawn until the list is on the screen.
    screen_warm: Duration,
    /// The review screen's process: (nothing changed, after an import).
    rss_screen_kb: (u64, u64),
    /// What the review screen does in all, nothing changed: list from the cache, check.
    screen_checked: Duration,
    rss_cold_kb: u64,
    rss_warm_kb: u64,
    /// None while the binary has no `export` command.
    export: Option<Duration>,
}

fn measure(store: &Path, drop: bool) -> Figures {
    let cache = store.join("cache");
    let cold = || {
        let _ = std::fs::remove_dir_all(&cache);
        if drop {
            drop_page_cache();
            // The logs cold, not the programs: reading a 30 MB binary back from the disk
            // would be counted against 1,000 visits otherwise.
            for program in [std::env::current_exe().ok(), support::which("cat")]
                .into_iter()
                .flatten()
            {
                let _ = std::fs::read(program);
            }
        }
    };
    cold();
    let cat_cold = cat(store);
    cold();
    let first = review(store);
    // No summary cache, but the logs in the page cache: the work of a cold open, without
    // the disk's part (which `cat` shows).
    let _ = std::fs::remove_dir_all(&cache);
    let uncached = review(store);
    // Warm: the cache the cold open wrote, and the files in the page cache; best of three.
    let cat_warm = (0..3).map(|_| cat(store)).min().unwrap_or_default();
    let warm: Vec<Review> = (0..3).map(|_| review(store)).collect();
    let best = warm.iter().min_by_key(|r| r.time).expect("three runs");
    let snapshot = (0..3)
        .map(|_| review_in_child(store, true))
        .min_by_key(|r| r.time)
        .expect("three runs");
    let screen_warm =
        support::Samples::new((0..5).map(|_| review_screen(store, first.visits)).collect())
            .median();
    let export = if has_export() {
        (0..3).map(|_| export(store)).min()
    } else {
        None
    };
    // Last, as it adds visits: the review screen's memory when nothing changed, and after
    // an import the check must read.
    let screen_same = screen_in_child(store);
    import_visits(store, 100);
    let screen_changed = screen_in_child(store);
    eprintln!(
        "store: {}: review screen peak memory {} MB (nothing changed), {} MB (after 100 visits imported, {} read)",
        store.display(),
        screen_same.rss_kb / 1024,
        screen_changed.rss_kb / 1024,
        screen_changed.visits - screen_changed.cached,
    );
    eprintln!(
        "store: {} — {} visits, {} answers: cat cold {} warm {}; review cold {} ({} MB), without cache but logs in memory {}, warm {} ({} MB, {} from cache), from the cache alone {}, review screen drawn {}; export {}",
        store.display(),
        first.visits,
        first.answers,
        support::ms(cat_cold),
        support::ms(cat_warm),
        support::ms(first.time),
        first.rss_kb / 1024,
        support::ms(uncached.time),
        support::ms(best.time),
        best.rss_kb / 1024,
        best.cached,
        support::ms(snapshot.time),
        support::ms(screen_warm),
        export.map_or("not built yet".into(), support::ms),
    );
    Figures {
        visits: first.visits,
        answers: first.answers,
        cat_cold,
        cat_warm,
        review_cold: first.time,
        review_uncached: uncached.time,
        review_warm: best.time,
        review_snapshot: snapshot.time,
        screen_warm,
        rss_screen_kb: (screen_same.rss_kb, screen_changed.rss_kb),
        screen_checked: screen_same.time,
        rss_cold_kb: first.rss_kb,
        rss_warm_kb: warm.iter().map(|r| r.rss_kb).max().unwrap_or(0),
        export,
    }
}

/// The baseline: every log file read once, as `cat` does.
fn cat(store: &Path) -> Duration {
    let start = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg("find \"$1\" -name '*.jsonl' -print0 | xargs -0 cat > /dev/null")
        .arg("sh")
        .arg(store)
        .status()
        .expect("sh");
    assert!(status.success(), "cat of {} failed", store.display());
    start.elapsed()
}

/// `sitecheck review` over the store in a pty, until its status line counts every visit.
fn review_screen(store: &Path, visits: usize) -> Duration {
    let mut cmd = portable_pty::CommandBuilder::new(support::sitecheck_bin());
    cmd.arg("--data-dir");
    cmd.arg(store);
    cmd.args(["--technician", "bench.reviewer", "review"]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    let n = sitecheck::tui::review::widgets::count(visits);
    // The screen opens on the queue of visits to review: "k of n visits" once all n are in.
    support::time_to_text(cmd, &format!(" of {n} visits"))
}

fn export(store: &Path) -> Duration {
    let bin = support::sitecheck_bin();
    let start = Instant::now();
    let status = Command::new(&bin)
        .arg("--data-dir")
        .arg(store)
        .args(["export", "--format", "csv"])
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let elapsed = start.elapsed();
    assert!(status.success(), "sitecheck export failed: {status}");
    elapsed
}

/// Adds `count` generated visits to the store the way a supervisor would: `sitecheck import`
/// of another store (seeded apart, so the ids are new).
fn import_visits(store: &Path, count: usize) {
    let bin = support::sitecheck_bin();
    let gen_store = bin
        .parent()
        .expect("the binary's folder")
        .join("examples")
        .join(format!("gen_store{}", std::env::consts::EXE_SUFFIX));
    let stick = tempfile::tempdir().expect("temp dir");
    let generated = Command::new(&gen_store)
        .args(["--visits", &count.to_string(), "--seed", "4242", "--out"])
        .arg(stick.path())
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", gen_store.display()));
    assert!(generated.success(), "gen_store failed");
    let imported = Command::new(&bin)
        .arg("--data-dir")
        .arg(store)
        .arg("import")
        .arg(stick.path())
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    assert!(imported.success(), "sitecheck import failed");
}

/// Whether the binary has the `export` command (it comes with the review work).
fn has_export() -> bool {
    Command::new(support::sitecheck_bin())
        .args(["export", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

struct Review {
    time: Duration,
    rss_kb: u64,
    visits: usize,
    answers: u64,
    cached: usize,
}

/// One review load in a fresh process.
fn review(store: &Path) -> Review {
    review_in_child(store, false)
}

fn review_in_child(store: &Path, snapshot: bool) -> Review {
    let mut command = Command::new(std::env::current_exe().expect("own path"));
    if snapshot {
        command.env(SNAPSHOT, "1");
    }
    child_review(command, store)
}

/// What the review screen holds at its peak: the list, and the check of every log.
fn screen_in_child(store: &Path) -> Review {
    let mut command = Command::new(std::env::current_exe().expect("own path"));
    command.env(SCREEN, "1");
    child_review(command, store)
}

fn child_review(mut command: Command, store: &Path) -> Review {
    let out = command
        .env(CHILD, store)
        .stderr(Stdio::inherit())
        .output()
        .expect("run the review child");
    assert!(out.status.success(), "review child failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| -> u64 {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("review child said {text:?}"))
    };
    Review {
        time: Duration::from_nanos(field("ns=")),
        rss_kb: field("hwm_kb="),
        visits: field("visits=") as usize,
        answers: field("answers="),
        cached: field("cached=") as usize,
    }
}

fn review_child(store: &Path) {
    let dirs = [store.to_path_buf()];
    let options = OpenOptions::default();
    let start = Instant::now();
    let opened = if std::env::var_os(SCREEN).is_some() {
        let mut listed = open_snapshot(&dirs, &options);
        match check(listed.check_base(&options)) {
            Checked::Changes(changes) => {
                listed.apply(changes);
                listed
            }
            Checked::Reopened(store) => store,
        }
    } else if std::env::var_os(SNAPSHOT).is_some() {
        open_snapshot(&dirs, &options)
    } else {
        open_store(&dirs, &options)
    };
    let time = start.elapsed();
    let answers: u64 = opened.visits.iter().map(|v| u64::from(v.answered)).sum();
    println!(
        "ns={} hwm_kb={} visits={} answers={answers} cached={}",
        time.as_nanos(),
        peak_rss_kb(),
        opened.visits.len(),
        opened.report.cached
    );
}

/// Peak resident memory of this process so far, from `/proc/self/status`.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Drops the page cache (root only); whether it could.
fn drop_page_cache() -> bool {
    let _ = Command::new("sync").status();
    std::fs::write("/proc/sys/vm/drop_caches", "3\n").is_ok()
}
