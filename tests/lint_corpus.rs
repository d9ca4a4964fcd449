#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `sitecheck lint` on the malformed-checklist corpus, run as the real binary.
//!
//! Every `tests/lint_corpus/<name>.yaml` has a `<name>.expected` beside it holding the exact
//! lines lint prints for it. The binary runs inside `tests/lint_corpus/` with the bare file
//! name as its argument, so the lines start `<name>.yaml:line:col:` whatever the machine.
//! The exit code follows from the lines: 1 when any is an error, 0 for warnings only.
//!
//! After changing a message on purpose, `SITECHECK_BLESS=1 cargo test --test lint_corpus`
//! rewrites the `.expected` files; read the diff before committing it.

use std::path::{Path, PathBuf};
use std::process::Output;

fn sitecheck(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sitecheck"))
        .current_dir(dir)
        .args(args)
        // The developer's own config and folders must not change what lint says.
        .env("SITECHECK_CONFIG", dir.join("no-config-here.yml"))
        .env_remove("SITECHECK_CHECKLISTS")
        .env_remove("SITECHECK_DATA_DIR")
        .output()
        .expect("run sitecheck")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint_corpus")
}

fn corpus_files(ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(ext))
        .collect();
    names.sort();
    names
}

#[test]
fn every_corpus_file_prints_exactly_its_expected_lines() {
    let dir = corpus_dir();
    let bless = std::env::var_os("SITECHECK_BLESS").is_some();
    let files = corpus_files(".yaml");
    assert!(
        files.len() >= 30,
        "the corpus has only {} files",
        files.len()
    );
    let mut failures = Vec::new();
    for name in &files {
        let expected_path = dir.join(name.replace(".yaml", ".expected"));
        let out = sitecheck(&dir, &["lint", name]);
        let stdout = text(&out.stdout);
        if bless {
            std::fs::write(&expected_path, &stdout).unwrap();
            continue;
        }
        let Ok(expected) = std::fs::read_to_string(&expected_path) else {
            failures.push(format!("{name}: no {}", expected_path.display()));
            continue;
        };
        let code = if expected.contains(": error: ") { 1 } else { 0 };
        if stdout != expected || out.status.code() != Some(code) || !out.stderr.is_empty() {
            failures.push(format!(
                "{name}: expected exit {code} and\n{expected}got exit {:?} and\n{stdout}stderr:\n{}",
                out.status.code(),
                text(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn expected_files_are_well_formed_and_each_has_its_yaml() {
    let dir = corpus_dir();
    for name in corpus_files(".expected") {
        let yaml = name.replace(".expected", ".yaml");
        assert!(dir.join(&yaml).is_file(), "{name} has no {yaml}");
        let expected = std::fs::read_to_string(dir.join(&name)).unwrap();
        assert!(
            !expected.is_empty(),
            "{name}: every corpus file has a problem"
        );
        for line in expected.lines() {
            let rest = line
                .strip_prefix(&format!("{yaml}:"))
                .unwrap_or_else(|| panic!("{name}: {line:?} does not start with {yaml}:"));
            let mut parts = rest.splitn(3, ':');
            let line_no: u32 = parts.next().unwrap().parse().expect("a line number");
            let col: u32 = parts.next().unwrap().parse().expect("a column number");
            assert!(line_no >= 1 && col >= 1, "{name}: {line}");
            let message = parts.next().unwrap();
            assert!(
                message.starts_with(" error: ") || message.starts_with(" warning: "),
                "{name}: {line}"
            );
        }
    }
}

#[test]
fn a_warning_alone_exits_zero() {
    let out = sitecheck(&corpus_dir(), &["lint", "missing_translation.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains(": warning: "));
}

/// A checklist's head, then `rest`.
fn checklist_with(rest: &str) -> String {
    format!("sitecheck: 1\nid: generated\nversion: \"1\"\ntitle: Generated\n{rest}")
}

/// Lints one generated file in a fresh folder; (exit code, stdout lines, stderr).
fn lint_generated(name: &str, contents: &[u8]) -> (Option<i32>, Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), contents).unwrap();
    let out = sitecheck(dir.path(), &["lint", name]);
    let lines = text(&out.stdout).lines().map(str::to_owned).collect();
    (out.status.code(), lines, text(&out.stderr))
}

#[test]
fn nesting_100_000_deep_is_refused_in_every_style() {
    const DEPTH: usize = 100_000;
    let styles = [
        (
            "flow-lists",
            format!("description: {}{}\n", "[".repeat(DEPTH), "]".repeat(DEPTH)),
        ),
        (
            "flow-maps",
            format!(
                "description: {}x{}\n",
                "{a: ".repeat(DEPTH),
                "}".repeat(DEPTH)
            ),
        ),
        (
            "block-lists",
            format!("sections:\n  {}x\n", "- ".repeat(DEPTH)),
        ),
    ];
    for (style, body) in styles {
        let (code, lines, stderr) = lint_generated("deep.yaml", checklist_with(&body).as_bytes());
        assert_eq!(code, Some(1), "{style}: {lines:?} {stderr}");
        assert_eq!(lines.len(), 1, "{style}: {lines:?}");
        assert!(
            lines[0].starts_with("deep.yaml:")
                && lines[0].ends_with(
                    ": error: the file is nested more than 32 levels deep — a checklist needs about eight, so it is refused"
                ),
            "{style}: {}",
            lines[0]
        );
    }
}

#[test]
fn a_2_mib_file_is_refused_before_it_is_read() {
    let mut body = checklist_with("sections:\n  - id: main\n    title: Main\n    items:\n");
    let mut i = 0;
    while body.len() < 2 * 1024 * 1024 - 200 {
        body.push_str(&format!(
            "      - id: item{i}\n        prompt: Item {i} of a far too long checklist\n        kind: check\n"
        ));
        i += 1;
    }
    // Pad with a comment to exactly 2 MiB.
    let pad = 2 * 1024 * 1024 - body.len() - 2;
    body.push('#');
    body.push_str(&"x".repeat(pad));
    body.push('\n');
    assert_eq!(body.len(), 2 * 1024 * 1024);
    let (code, lines, _) = lint_generated("big.yaml", body.as_bytes());
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [
            "big.yaml:1:1: error: file is 2097152 bytes; a checklist may be at most 1048576 bytes (1 MiB) — split it into several checklists"
        ]
    );
}

#[test]
fn the_alias_bomb_is_refused_with_a_clear_message() {
    let out = sitecheck(&corpus_dir(), &["lint", "alias_bomb.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("alias bomb"), "{stdout}");
}

#[test]
fn a_folder_with_two_files_sharing_an_id_reports_the_second() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("mine");
    std::fs::create_dir_all(folder.join("more")).unwrap();
    let checklist = |title: &str| {
        format!(
            "sitecheck: 1\nid: same-id\nversion: \"1\"\ntitle: {title}\nsections:\n  - id: main\n    title: Main\n    items:\n      - {{ id: badge, prompt: Show the badge, kind: check }}\n"
        )
    };
    std::fs::write(folder.join("a.yaml"), checklist("First")).unwrap();
    std::fs::write(folder.join("more/b.yml"), checklist("Second")).unwrap();
    std::fs::write(folder.join("notes.txt"), "not a checklist").unwrap();
    let out = sitecheck(root.path(), &["lint", "mine"]);
    assert_eq!(out.status.code(), Some(1));
    let a = Path::new("mine").join("a.yaml");
    let b = Path::new("mine").join("more").join("b.yml");
    assert_eq!(
        text(&out.stdout),
        format!(
            "{}:2:5: error: checklist id \"same-id\" is already used by {}:2:5 — ids must be unique\n",
            b.display(),
            a.display()
        )
    );
}

#[test]
fn the_same_id_across_two_paths_on_the_command_line_is_reported() {
    let dir = corpus_dir();
    // Linted twice in one run: the second sighting of the id is the problem.
    let out = sitecheck(
        &dir,
        &[
            "lint",
            "missing_translation.yaml",
            "missing_translation.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "missing_translation.yaml:2:5: error: checklist id \"half-translated\" is already used by missing_translation.yaml:2:5"
        ),
        "{stdout}"
    );
}

#[test]
fn a_missing_path_exits_2_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = sitecheck(dir.path(), &["lint", "no-such-checklist.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("no-such-checklist.yaml: error: cannot read"),
        "{stderr}"
    );
}

#[test]
fn a_file_that_is_not_utf8_exits_2() {
    let (code, lines, stderr) = lint_generated("latin1.yaml", b"sitecheck: 1\ntitle: \xe9t\xe9\n");
    assert_eq!(code, Some(2));
    assert!(lines.is_empty());
    assert!(
        stderr.starts_with("latin1.yaml: error: cannot read the checklist: not UTF-8"),
        "{stderr}"
    );
}

#[test]
fn the_bundled_checklists_lint_clean() {
    let out = sitecheck(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["lint", "checklists"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn lint_needs_a_path() {
    let out = sitecheck(&corpus_dir(), &["lint"]);
    assert_eq!(out.status.code(), Some(2));
}
