//! Opening a store for review (SPEC section 8: 100,000 visits ready in <= 2 s cold,
//! <= 0.3 s warm, <= 300 MB). Run through `benches/review.sh`, which generates the store:
//!
//! ```text
//! cargo bench --bench review_open -- <STORE>
//! ```
//!
//! Prints wall-clock and CPU time (the process's, all threads) of a cold open (no summary
//! cache), a warm one (cache, no log changed), the snapshot open (cache only, no file
//! looked at), and one after a few logs changed. Peak memory is measured by the script
//! with `/usr/bin/time -v`, around a single open.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use sitecheck::review::{OpenOptions, open_snapshot, open_store};

/// CPU time of the whole process so far (user + system), from `/proc/self/stat`.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn measure<T>(label: &str, goal: &str, f: impl FnOnce() -> T) -> T {
    let (wall, cpu0) = (Instant::now(), cpu());
    let out = f();
    println!(
        "{label:<34} {:>8.3} s wall {:>8.3} s cpu   (goal {goal})",
        wall.elapsed().as_secs_f64(),
        (cpu() - cpu0).as_secs_f64()
    );
    out
}

fn main() {
    let Some(store) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench review_open -- <STORE>   (see benches/review.sh)");
        return;
    };
    let dirs = vec![PathBuf::from(&store)];
    let options = OpenOptions::default();
    if std::env::args().any(|a| a == "--once") {
        // For /usr/bin/time -v: one open, with whatever cache there is.
        let opened = if std::env::args().any(|a| a == "--snapshot") {
            open_snapshot(&dirs, &options)
        } else {
            open_store(&dirs, &options)
        };
        println!("{} visits", opened.visits.len());
        return;
    }
    let _ = std::fs::remove_dir_all(PathBuf::from(&store).join("cache"));
    let cold = measure("cold open (no cache)", "<= 2 s", || {
        open_store(&dirs, &options)
    });
    let answers: u64 = cold.visits.iter().map(|v| u64::from(v.answered)).sum();
    println!(
        "  {} visits, {} current answers, {} read, {} from cache",
        cold.visits.len(),
        answers,
        cold.report.read,
        cold.report.cached
    );
    drop(cold);
    let warm = measure("warm open (cache, nothing changed)", "<= 0.3 s", || {
        open_store(&dirs, &options)
    });
    println!(
        "  {} read, {} from cache",
        warm.report.read, warm.report.cached
    );
    drop(warm);
    let snapshot = measure("snapshot open (cache only)", "<= 0.3 s", || {
        open_snapshot(&dirs, &options)
    });
    drop(snapshot);
}
