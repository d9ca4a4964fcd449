//! The command line itself: a data folder that does not exist, the screens started without
//! a terminal, error lines, help for every argument, and a mistyped command.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use clap::CommandFactory;
use common::site::{APPLIANCE_FIELDS, BIN, Site, TECHNICIAN};
use serde_json::{Map, json};
use sitecheck::checklist::parse_str;
use sitecheck::log::{ChecklistRef, StartInfo, VisitWriter};

/// `sitecheck args` with no terminal (standard input empty, output captured), `HOME` and
/// the config file in `site`, and nothing from the developer's environment.
fn sitecheck(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", site.config().parent().unwrap())
        .env("SITECHECK_CONFIG", site.config())
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run sitecheck")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every line of standard error that reports an error has the `error:` mark.
fn assert_error_lines(out: &Output) {
    let text = stderr(out);
    assert!(!text.trim().is_empty(), "no message at all");
    let first = text.lines().next().unwrap_or("");
    assert!(
        first.starts_with("error: "),
        "the first line does not start with `error: `:\n{text}"
    );
}

/// Every file under `dir`, to see that nothing was written.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                found.push((path, bytes));
            }
        }
    }
    found.sort();
    found
}

const READING: &[&[&str]] = &[
    &["list"],
    &["list", "--format", "json"],
    &["show", "01JD0000000000000000000001"],
    &["stats"],
    &["export", "--format", "csv"],
    &["verify"],
    &["review"],
];

#[test]
fn a_data_dir_that_does_not_exist_is_an_error_for_every_reading_command() {
    let site = Site::new();
    let missing = site.data().join("no-such-folder");
    let missing_arg = missing.display().to_string();
    for args in READING {
        let mut all = vec!["--data-dir", &missing_arg];
        all.extend_from_slice(args);
        let out = sitecheck(&site, &all, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&missing_arg),
            "{args:?} does not name the folder: {}",
            stderr(&out)
        );
        assert_error_lines(&out);
        assert!(out.stdout.is_empty(), "{args:?} printed a result");
        // From the environment, as from the command line.
        let out = sitecheck(&site, args, &[("SITECHECK_DATA_DIR", &missing_arg)]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(&missing_arg), "{}", stderr(&out));
    }
    assert!(!missing.exists(), "a reading command created the folder");
}

#[test]
fn a_data_dir_among_several_that_does_not_exist_or_is_a_file_is_named() {
    let site = Site::new();
    std::fs::create_dir_all(site.data()).unwrap();
    let data = site.data().display().to_string();
    let file = site.data().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let file_arg = file.display().to_string();
    let out = sitecheck(
        &site,
        &["--data-dir", &data, "--data-dir", &file_arg, "list"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(&file_arg), "{}", stderr(&out));
    assert_error_lines(&out);
    // The existing one alone is fine, and empty.
    let out = sitecheck(&site, &["--data-dir", &data, "list"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_screens_without_a_terminal_say_so_and_write_nothing() {
    let site = Site::new();
    // An unfinished visit to resume, let go of by its writer.
    let (id, writer) = hold_a_visit(&site.data());
    drop(writer);
    let before = files_under(&site.data());
    let fields = Site::field_args(APPLIANCE_FIELDS);
    let mut run: Vec<&str> = vec!["run", "appliance-install"];
    run.extend(fields.iter().map(String::as_str));
    for (what, args) in [
        ("sitecheck run", run.clone()),
        ("sitecheck resume", vec!["resume", &id]),
        ("sitecheck", vec![]),
        ("sitecheck review", vec!["review"]),
    ] {
        let all = site.args("en", &args);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let out = sitecheck(&site, &all, &[]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {message}");
        assert!(
            message.contains(&format!("`{what}` needs a terminal")),
            "{args:?}: {message}"
        );
        assert!(!message.contains("os error"), "{args:?}: {message}");
        assert_error_lines(&out);
        assert_eq!(
            files_under(&site.data()),
            before,
            "{args:?} wrote something"
        );
    }
}

/// A visit of `appliance-install` written through the log's own writer, held open (and
/// locked) as long as the writer lives.
fn hold_a_visit(data: &Path) -> (String, VisitWriter) {
    let checklist = parse_str(include_str!("../checklists/appliance-install.yaml"))
        .checklist
        .expect("the bundled checklist");
    let mut fields = Map::new();
    fields.insert("work_order".into(), json!("WO-2026-0042"));
    let info = StartInfo {
        technician: TECHNICIAN.into(),
        host: "tb-0042".into(),
        app: "sitecheck 0.1.0".into(),
        lang: "en".into(),
        checklist: ChecklistRef {
            id: checklist.id.clone(),
            version: checklist.version.clone(),
            sha256: checklist.sha256.clone(),
            source: checklist.source.clone(),
        },
        fields,
    };
    let id = ulid::Ulid::new();
    let (writer, _) = VisitWriter::create(data, id, info).unwrap();
    (id.to_string(), writer)
}

#[test]
fn a_visit_open_in_another_process_is_an_error_line() {
    let site = Site::new();
    let (id, writer) = hold_a_visit(&site.data());
    let before = files_under(&site.data());
    for lang in ["en", "zh-CN"] {
        let args = site.args(lang, &["resume", &id]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = sitecheck(&site, &args, &[]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(&id), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("another sitecheck process"),
            "{}",
            stderr(&out)
        );
        assert_error_lines(&out);
    }
    assert_eq!(
        files_under(&site.data()),
        before,
        "the refused process wrote"
    );
    drop(writer);
}

#[test]
fn errors_about_visits_are_error_lines() {
    let site = Site::new();
    std::fs::create_dir_all(site.data()).unwrap();
    for args in [
        &["show", "01JD0000000000000000000009"][..],
        &["verify", "01JD0000000000000000000009"][..],
        &["resume", "01JD0000000000000000000009"][..],
    ] {
        let all = site.args("en", args);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let out = sitecheck(&site, &all, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_error_lines(&out);
    }
}

#[test]
fn every_argument_has_help() {
    let command = sitecheck::cli::Cli::command();
    let mut missing = Vec::new();
    for sub in command.get_subcommands() {
        for arg in sub.get_arguments() {
            if arg.get_help().is_none() && arg.get_id() != "help" {
                missing.push(format!("{} {}", sub.get_name(), arg.get_id()));
            }
        }
    }
    assert_eq!(missing, Vec::<String>::new(), "arguments without help");
    // As the binary prints it.
    let site = Site::new();
    let out = sitecheck(&site, &["run", "--help"], &[]);
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("<CHECKLIST>"))
        .unwrap_or_else(|| panic!("no <CHECKLIST> in:\n{help}"));
    assert!(
        line.trim_start()
            .trim_start_matches("<CHECKLIST>")
            .trim()
            .len()
            > 10,
        "no help for <CHECKLIST>: {line:?}"
    );
}

#[test]
fn a_mistyped_command_gets_a_suggestion() {
    let site = Site::new();
    for (typed, meant) in [
        ("rn", "run"),
        ("lst", "list"),
        ("veify", "verify"),
        ("shwo", "show"),
        ("reveiw", "review"),
        ("stat", "stats"),
    ] {
        let out = sitecheck(&site, &[typed], &[]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{typed}: {message}");
        assert!(
            message.contains(&format!("'{meant}'")),
            "{typed}: no suggestion of {meant}: {message}"
        );
        assert_error_lines(&out);
    }
}
