//! `sitecheck lint` of a generated 1,000-item checklist (SPEC section 8: <= 50 ms): the
//! command as an author runs it (the release binary, start-up included) and, for the
//! profile, the same lint in this process.

mod support;

use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let items = support::env_usize("BENCH_LINT_ITEMS", 1000);
    let runs = support::env_usize("BENCH_LINT_RUNS", 30);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("big.yaml");
    std::fs::write(&file, support::checklist_yaml("big", items)).expect("write checklist");
    let paths = vec![file.clone()];

    let mut in_process = Vec::new();
    let mut on_cpu = Vec::new();
    for _ in 0..runs {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let (start, cpu) = (Instant::now(), support::thread_cpu());
        let summary = sitecheck::checklist::lint::lint_paths(&paths, &mut out, &mut err)
            .expect("lint writes to memory");
        in_process.push(start.elapsed());
        on_cpu.push(support::thread_cpu().saturating_sub(cpu));
        if summary.errors > 0 || summary.warnings > 0 {
            panic!(
                "the generated checklist has problems:\n{}",
                String::from_utf8_lossy(&out)
            );
        }
    }
    let in_process = support::Samples::new(in_process);
    let on_cpu = support::Samples::new(on_cpu);

    let bin = support::sitecheck_bin();
    let mut command = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let status = Command::new(&bin)
            .arg("lint")
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
        command.push(start.elapsed());
        if !status.success() {
            panic!("sitecheck lint failed: {status}");
        }
    }
    let command = support::Samples::new(command);
    let size = std::fs::metadata(&file).map_or(0, |m| m.len());
    eprintln!(
        "lint: {items} items ({size} bytes): command median {} (p90 {}); in process median {} ({} on the CPU)",
        support::ms(command.median()),
        support::ms(command.pct(90.0)),
        support::ms(in_process.median()),
        support::ms(on_cpu.median()),
    );
    support::row(
        &format!("lint, {items}-item checklist (command, median)"),
        "<= 50 ms",
        "-",
        &support::ms(command.median()),
        "-",
    );
}
