//! `sitecheck lint`: every problem of every checklist file, as `path:line:col: level: message`.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::library::{LookupError, read_text};
use super::parse::parse_str;
use super::problem::Problem;
use super::yaml::Pos;
use crate::sanitize::sanitize;

/// What a lint run found, for the exit code: 0 clean (warnings allowed), 1 errors, 2 unreadable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LintSummary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub unreadable: usize,
}

impl LintSummary {
    pub fn exit_code(&self) -> u8 {
        if self.unreadable > 0 {
            2
        } else if self.errors > 0 {
            1
        } else {
            0
        }
    }
}

/// Lints files and folders (folders recursively, `.yaml`/`.yml` files), printing each problem.
/// Checklist ids must be unique across everything linted in one run.
pub fn lint_paths(
    paths: &[PathBuf],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<LintSummary> {
    let mut summary = LintSummary::default();
    let mut ids: HashMap<String, (PathBuf, Pos)> = HashMap::new();
    for path in paths {
        let files = match files_under(path) {
            Ok(files) => files,
            Err(e) => {
                let path = sanitize(&path.display().to_string());
                writeln!(err, "{path}: error: cannot read: {e}")?;
                summary.unreadable += 1;
                continue;
            }
        };
        for file in files {
            summary.files += 1;
            let text = match read_text(&file) {
                Ok(text) => text,
                Err(LookupError::Invalid(_, problems)) => {
                    report(&file, &problems, out, &mut summary)?;
                    continue;
                }
                Err(e) => {
                    // Names the file: each line through the sanitiser.
                    for line in e.to_string().lines() {
                        writeln!(err, "{}", sanitize(line))?;
                    }
                    summary.unreadable += 1;
                    continue;
                }
            };
            let parsed = parse_str(&text);
            let mut problems = parsed.problems;
            if let Some(checklist) = &parsed.checklist {
                if let Some((other, other_pos)) = ids.get(&checklist.id) {
                    problems.push(Problem::error(
                        checklist.id_pos,
                        format!(
                            "checklist id \"{}\" is already used by {}:{} — ids must be unique",
                            checklist.id,
                            other.display(),
                            other_pos
                        ),
                    ));
                } else {
                    ids.insert(checklist.id.clone(), (file.clone(), checklist.id_pos));
                }
            }
            report(&file, &problems, out, &mut summary)?;
        }
    }
    Ok(summary)
}

fn report(
    file: &Path,
    problems: &[Problem],
    out: &mut dyn Write,
    summary: &mut LintSummary,
) -> io::Result<()> {
    for problem in problems {
        writeln!(out, "{}", problem.display(file))?;
        if problem.is_error() {
            summary.errors += 1;
        } else {
            summary.warnings += 1;
        }
    }
    Ok(())
}

/// A file as itself; a folder as its checklist files, recursively and sorted.
fn files_under(path: &Path) -> io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
