//! Helpers for tests over generated stores: the `gen_store` example (open, finished,
//! abandoned, amended and reviewed visits by a dozen technicians), and damaging some logs.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `gen_store` example, built beside the binary under test.
pub fn gen_store() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_sitecheck"));
    let profile_dir = bin.parent().expect("the binary's folder");
    let example = profile_dir
        .join("examples")
        .join(format!("gen_store{}", std::env::consts::EXE_SUFFIX));
    if !example.exists() {
        let mut build = Command::new(env!("CARGO"));
        build
            .args(["build", "--example", "gen_store"])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.ends_with("release") {
            build.arg("--release");
        }
        assert!(build.status().expect("cargo build").success());
    }
    example
}

pub fn generate(visits: usize, seed: u64, out: &Path) {
    let out = Command::new(gen_store())
        .args([
            "--visits",
            &visits.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(out)
        .output()
        .expect("run gen_store");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Alters an answer in `n` finished logs of `data`, keeping their hashes: damaged logs.
pub fn damage(data: &Path, n: usize) -> usize {
    let mut logs: Vec<PathBuf> = walk(&data.join("visits"));
    logs.sort();
    let mut damaged = 0;
    for log in logs {
        let text = std::fs::read_to_string(&log).unwrap();
        if damaged < n
            && text.contains("\"event\":\"finished\"")
            && text.contains("\"value\":\"pass\"")
        {
            std::fs::write(
                &log,
                text.replacen("\"value\":\"pass\"", "\"value\":\"fail\"", 1),
            )
            .unwrap();
            damaged += 1;
        }
    }
    damaged
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            files.push(path);
        }
    }
    files
}
