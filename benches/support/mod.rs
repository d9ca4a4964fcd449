//! What the benchmarks share: generated checklists, timing statistics, and the one-line
//! `row` records that `scripts/bench.sh` gathers into its table.
//!
//! Each bench binary prints its details for a person on stderr and its table rows on stdout
//! as `row<TAB>what<TAB>goal<TAB>baseline<TAB>sitecheck<TAB>ratio`.
#![allow(dead_code)] // each bench uses a different part

use std::fmt::Write as _;
use std::io::Read;
use std::sync::mpsc;
use std::time::Instant;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

// The allocator the binary uses (src/main.rs), so in-process figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Duration;

/// A valid checklist of `items` items in sections of 25: every item kind, bilingual texts,
/// help lines, notes on failure and a conditional item in every section — the shape of the
/// bundled ones, only longer.
pub fn checklist_yaml(id: &str, items: usize) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "sitecheck: 1\nid: {id}\nversion: \"bench.1\"");
    let _ = writeln!(
        y,
        "title:\n  zh-CN: 基准检查表 {items} 项\n  en: Benchmark checklist, {items} items"
    );
    y.push_str("languages: [zh-CN, en]\npass_score: 0.85\n");
    y.push_str("visit_fields:\n  - id: work_order\n    label:\n      zh-CN: 工单号\n      en: Work order\n    kind: text\n    required: true\n    pattern: '^[A-Z0-9-]{4,20}$'\n");
    y.push_str("sections:\n");
    let per_section = 25;
    for n in 0..items {
        if n % per_section == 0 {
            let s = n / per_section;
            let _ = writeln!(
                y,
                "  - id: section_{s}\n    title:\n      zh-CN: 第 {s} 部分\n      en: Section {s}\n    items:"
            );
        }
        let _ = writeln!(
            y,
            "      - id: item_{n}\n        prompt:\n          zh-CN: 第 {n} 项：检查安装位置并向顾客说明\n          en: Item {n} — check the mounting position and explain it to the customer"
        );
        if n % 3 == 0 {
            let _ = writeln!(
                y,
                "        help:\n          zh-CN: 按安装手册第 {n} 条操作。\n          en: As the installation manual says in clause {n}."
            );
        }
        // A conditional item: shown only when the pass/fail item before it failed.
        if n % per_section == 12 {
            let _ = writeln!(
                y,
                "        kind: text\n        required: false\n        when:\n          item: item_{}\n          outcome: fail",
                n - 1
            );
            continue;
        }
        if n % per_section == 11 {
            y.push_str("        kind: pass_fail\n        note: on_fail\n");
            continue;
        }
        match n % 9 {
            0 => y.push_str("        kind: check\n        severity: minor\n        note: never\n"),
            1 | 5 => y.push_str("        kind: pass_fail\n        severity: critical\n        note: on_fail\n"),
            2 => y.push_str("        kind: yes_no\n        expect: \"yes\"\n        note: on_fail\n"),
            3 => y.push_str("        kind: number\n        unit: bar\n        min: 0.5\n        max: 4.5\n        decimals: 1\n        allow_na: true\n"),
            4 => y.push_str("        kind: choice\n        options:\n          - id: wall\n            label:\n              zh-CN: 挂墙\n              en: On the wall\n          - id: floor\n            label:\n              zh-CN: 落地\n              en: On the floor\n          - id: none\n            label:\n              zh-CN: 无法安装\n              en: Cannot be installed\n            fail: true\n"),
            6 => y.push_str("        kind: multi_choice\n        required: false\n        options:\n          - id: hose\n            label:\n              zh-CN: 进水管\n              en: Inlet hose\n          - id: drain\n            label:\n              zh-CN: 排水管\n              en: Drain hose\n          - id: leak\n            label:\n              zh-CN: 渗漏\n              en: Leaking\n            fail: true\n"),
            7 => y.push_str("        kind: rating\n        scale: 5\n        pass_at: 4\n"),
            _ => y.push_str("        kind: text\n        required: false\n        max_len: 200\n"),
        }
    }
    y
}

/// Sorted durations, for percentiles.
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn new(mut samples: Vec<Duration>) -> Self {
        samples.sort();
        Samples(samples)
    }

    /// The `p`-th percentile (0..=100), nearest rank.
    pub fn pct(&self, p: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    pub fn median(&self) -> Duration {
        self.pct(50.0)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 1.0 {
        format!("{ms:.3} ms")
    } else if ms < 100.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// `sitecheck / baseline`, as the table's ratio column shows it.
pub fn ratio(sitecheck: Duration, baseline: Duration) -> String {
    if baseline.is_zero() {
        return "-".into();
    }
    format!("{:.2}x", sitecheck.as_secs_f64() / baseline.as_secs_f64())
}

/// One row of the script's table, on stdout.
pub fn row(what: &str, goal: &str, baseline: &str, sitecheck: &str, ratio: &str) {
    println!("row\t{what}\t{goal}\t{baseline}\t{sitecheck}\t{ratio}");
}

/// A number from the environment (the script scales runs with these), or `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The release binary under test: `SITECHECK_BIN`, else `target/release/sitecheck`.
pub fn sitecheck_bin() -> std::path::PathBuf {
    std::env::var_os("SITECHECK_BIN")
        .map(Into::into)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/sitecheck")
        })
}

/// A plausible answer for an item: mostly passes, a fail now and then (`n` picks which).
pub fn answer_for(item: &sitecheck::checklist::Item, n: usize) -> sitecheck::visit::AnswerValue {
    use sitecheck::checklist::ItemKind;
    use sitecheck::visit::AnswerValue;
    let fail = n % 7 == 3;
    match &item.kind {
        ItemKind::Check => AnswerValue::Done,
        ItemKind::PassFail if fail => AnswerValue::Fail,
        ItemKind::PassFail => AnswerValue::Pass,
        ItemKind::YesNo { .. } if fail => AnswerValue::No,
        ItemKind::YesNo { .. } => AnswerValue::Yes,
        ItemKind::Number { .. } => AnswerValue::Number(if fail { 5.2 } else { 2.5 }),
        ItemKind::Choice { options } | ItemKind::MultiChoice { options } => {
            let id = options.get(usize::from(fail) * 2).or(options.first());
            let id = id.map(|o| o.id.clone()).unwrap_or_default();
            if matches!(item.kind, ItemKind::Choice { .. }) {
                AnswerValue::Choice(id)
            } else {
                AnswerValue::Choices(vec![id])
            }
        }
        ItemKind::Rating { .. } => AnswerValue::Rating(if fail { 2 } else { 5 }),
        ItemKind::Text { .. } => AnswerValue::Text("drain hose re-seated, no leak".into()),
        ItemKind::SignOff { .. } => AnswerValue::SignOff("Li Si".into()),
    }
}

/// A new visit of `checklist_yaml` in a fresh store under `dir`.
pub fn start_session(dir: &std::path::Path, yaml: &str) -> sitecheck::store::session::Session {
    use sitecheck::store::session::{Session, StartParams};
    let parsed = sitecheck::checklist::parse_str(yaml);
    let Some(checklist) = parsed.checklist else {
        panic!("generated checklist does not parse: {:?}", parsed.problems);
    };
    let mut fields = serde_json::Map::new();
    fields.insert("work_order".into(), "WO-2026-0042".into());
    match Session::start(StartParams {
        data_dir: dir,
        checklist,
        technician: "bench.tech",
        lang: "en",
        fields,
    }) {
        Ok(session) => session,
        Err(err) => panic!("cannot start a visit in {}: {err}", dir.display()),
    }
}

/// Time this thread has spent on a CPU (Linux: `/proc/thread-self/schedstat`), to tell the
/// work from the waiting on a busy machine; zero where it cannot be read.
pub fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// Runs `command` in a fresh 80x24 pty and returns how long until `marker` is on its screen.
pub fn time_to_text(command: CommandBuilder, marker: &str) -> Duration {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
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

/// A program on the `PATH`.
pub fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| std::path::Path::new(dir).join(name))
        .find(|path| path.is_file())
}

/// A table row of a time beside its baseline's.
pub fn versus(what: &str, goal: &str, baseline: Duration, ours: Duration) {
    row(what, goal, &ms(baseline), &ms(ours), &ratio(ours, baseline));
}
