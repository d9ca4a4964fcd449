//! Start to first frame of the home screen, in a pseudo-terminal, with a store of many
//! visits (SPEC section 8: <= 15 ms), against `dialog --checklist` drawing its first frame
//! in the same harness.
//!
//! The clock starts just before the spawn and stops when the frame's last row (the keys
//! line) has been read back through a VT parser. The store is `BENCH_STORE` (the script
//! generates 10,000 visits there); without it an empty store is used.

mod support;

use std::io::Read;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use sitecheck::lang::Lang;
use sitecheck::tui::strings::strings;

const ROWS: u16 = 24;
const COLS: u16 = 80;

/// Runs `command` in a fresh pty and returns how long until `marker` is on its screen.
fn time_to_text(command: CommandBuilder, marker: &str) -> Duration {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("openpty");
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(command).expect("spawn");
    drop(pair.slave);
    // 24x80, the size of the pty.
    let mut parser =
        vt100::Parser::new(vt100::Parser::DEFAULT_ROWS, vt100::Parser::DEFAULT_COLS, 0);
    let deadline = start + Duration::from_secs(10);
    let elapsed = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(bytes) => {
                parser.process(&bytes);
                if parser.screen().contents().contains(marker) {
                    break start.elapsed();
                }
            }
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "\"{marker}\" did not appear within 10 s; the screen was:\n{}",
                    parser.screen().contents()
                );
            }
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    elapsed
}

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
        time_to_text(cmd, strings(Lang::En).home_keys)
    };
    let first = {
        let _ = sitecheck(); // the binary and its libraries in the page cache
        let _ = std::fs::remove_dir_all(&cache);
        sitecheck()
    };
    let ours = median_of(runs, sitecheck);

    let dialog = which("dialog");
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
            time_to_text(cmd, "<Cancel>")
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

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.is_file())
}
