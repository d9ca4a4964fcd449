//! Start to first frame of the home screen, in a pseudo-terminal, with a store of many
//! visits (SPEC section 8: <= 15 ms), against `dialog --checklist` drawing its first frame
//! in the same harness.
//!
//! The clock starts just before the spawn and stops when the frame's last row (the keys
//! line) has been read back through a VT parser. The store is `BENCH_STORE` (the script
//! generates 10,000 visits there); without it an empty store is used.

mod support;

use std::path::Path;
use std::time::Duration;

use portable_pty::CommandBuilder;
use sitecheck::lang::Lang;
use sitecheck::tui::strings::strings;

fn median_of(runs: usize, mut one: impl FnMut() -> Duration) -> support::Samples {
    one(); // warm the page cache and the dynamic loader
    support::Samples::new((0..runs).map(|_| one()).collect())
}

fn main() {
    let runs = support::env_usize("BENCH_STARTUP_RUNS", 30);
    let empty = tempfile::tempdir().expect("temp dir");
    let store =
        std::env::var_os("BENCH_STORE").map_or_else(|| empty.path().to_path_buf(), Into::into);
    let visits = count_logs(&store.join("visits"));
    let bin = support::sitecheck_bin();
    let config = empty.path().join("no-config.yaml");

    // Its own cache folder: the first start parses the bundled checklists and keeps their
    // summaries there (timed on its own), every later start reads them.
    let cache = empty.path().join("cache");
    let sitecheck = || {
        let mut cmd = CommandBuilder::new(&bin);
        cmd.arg("--data-dir");
        cmd.arg(&store);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("XDG_CACHE_HOME", &cache);
        cmd.env("SITECHECK_TECHNICIAN", "bench.tech");
        cmd.env("SITECHECK_CONFIG", &config);
        cmd.env_remove("SITECHECK_CHECKLISTS");
        // The keys line: the frame's last row.
        support::time_to_text(cmd, strings(Lang::En).home_keys)
    };
    let first = {
        let _ = sitecheck(); // the binary and its libraries in the page cache
        let _ = std::fs::remove_dir_all(&cache);
        sitecheck()
    };
    let ours = median_of(runs, sitecheck);

    let dialog = support::which("dialog");
    let theirs = dialog.as_ref().map(|dialog| {
        median_of(runs, || {
            let mut cmd = CommandBuilder::new(dialog);
            cmd.env("TERM", "xterm-256color");
            cmd.env("LANG", "C.UTF-8");
            cmd.args([
                "--checklist",
                "Checklists",
                "20",
                "76",
                "10",
                "haier-12345",
                "Haier home-visit 1-2-3-4-5 rules",
                "off",
                "tcl-8s",
                "TCL 8S diamond service",
                "off",
                "appliance-install",
                "Appliance installation visit",
                "off",
            ]);
            support::time_to_text(cmd, "<Cancel>")
        })
    });
    eprintln!(
        "startup: {visits} visits in {}: sitecheck median {} (p90 {}; first start, nothing cached: {}); dialog {}",
        store.display(),
        support::ms(ours.median()),
        support::ms(ours.pct(90.0)),
        support::ms(first),
        theirs.as_ref().map_or("not installed".into(), |t| format!(
            "median {} (p90 {})",
            support::ms(t.median()),
            support::ms(t.pct(90.0))
        )),
    );
    support::row(
        &format!("start to first frame, home, {visits} visits (median of {runs})"),
        "<= 15 ms",
        &theirs
            .as_ref()
            .map_or("dialog missing".into(), |t| support::ms(t.median())),
        &support::ms(ours.median()),
        &theirs
            .as_ref()
            .map_or("-".into(), |t| support::ratio(ours.median(), t.median())),
    );
    support::row(
        "start to first frame, the very first start (checklists not cached yet)",
        "-",
        "-",
        &support::ms(first),
        "-",
    );
}

fn count_logs(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|months| {
            months
                .flatten()
                .filter_map(|m| std::fs::read_dir(m.path()).ok())
                .map(|files| files.flatten().count())
                .sum()
        })
        .unwrap_or(0)
}
