//! `sitecheck`, `run` and `resume`: the technician's screens.

use std::io::IsTerminal;
use std::path::Path;

use serde_json::{Map, Value};

use crate::context::Context;
use crate::store::open_index;
use crate::store::session::Session;
use crate::tui::app::{App, AppContext, Start};

fn app_context(context: &Context) -> AppContext {
    AppContext {
        data_dir: context.data_dir().to_path_buf(),
        library: context.library.clone(),
        technician: context.technician.clone(),
        lang: context.lang,
        theme: context.theme,
        config: context.config.clone(),
        config_path: context.config_path.clone(),
        sealer: context.sealer(),
    }
}

fn run_app(context: &Context, start: Start) -> Result<u8, String> {
    let app = App::new(app_context(context), start).map_err(|e| e.to_string())?;
    let farewell = app
        .run()
        .map_err(|e| context.s().terminal_error(&e.to_string()))?;
    // The terminal is given back by now: an error that ended the app can be read.
    match farewell {
        Some(message) => Err(message),
        None => Ok(0),
    }
}

/// A screen needs a terminal to draw on and read keys from. Without one (a script, a
/// cron job, a pipe) it is refused with a clear message, before anything is written.
pub fn need_terminal(context: &Context, command: &str) -> Result<(), String> {
    let stdin = std::io::stdin().is_terminal();
    let stdout = std::io::stdout().is_terminal();
    if stdin && stdout {
        Ok(())
    } else {
        Err(context.s().needs_terminal(command, stdin, stdout))
    }
}

pub fn home(context: &Context) -> Result<u8, String> {
    need_terminal(context, "sitecheck")?;
    run_app(context, Start::Home)
}

/// `run <CHECKLIST> [--field KEY=VALUE]...`
pub fn run(context: &Context, what: &str, fields: &[(String, String)]) -> Result<u8, String> {
    need_terminal(context, "sitecheck run")?;
    let found = context.library.find(what).map_err(|e| e.to_string())?;
    let checklist = found.checklist;
    let mut values = Map::new();
    for (key, value) in fields {
        if !checklist.visit_fields.iter().any(|f| &f.id == key) {
            let known: Vec<&str> = checklist
                .visit_fields
                .iter()
                .map(|f| f.id.as_str())
                .collect();
            return Err(context.s().unknown_field(
                &crate::present::sanitize(key),
                &checklist.id,
                &known.join(", "),
            ));
        }
        values.insert(key.clone(), Value::from(value.as_str()));
    }
    run_app(
        context,
        Start::Run {
            checklist: Box::new(checklist),
            fields: values,
        },
    )
}

/// `resume [VISIT]`: the given visit, or the latest unfinished one.
pub fn resume(context: &Context, visit: Option<&str>) -> Result<u8, String> {
    let data = context.data_dir();
    let path = match visit {
        Some(wanted) => context.find_own_visit(wanted)?,
        None => open_index::list(data)
            .into_iter()
            .next()
            .map(|v| v.path)
            .ok_or_else(|| {
                context
                    .s()
                    .no_unfinished_visit(&crate::present::sanitize(&data.display().to_string()))
            })?,
    };
    // A visit another sitecheck holds is refused first, terminal or not: that is what the
    // technician needs to hear. Trying to resume it then gives the refusal, and writes
    // nothing (resuming writes, so otherwise the terminal is checked first).
    let held = if held_elsewhere(&path) {
        Some(Session::resume(data, &path).map_err(|e| e.to_string())?)
    } else {
        None
    };
    if let Err(message) = need_terminal(context, "sitecheck resume") {
        // The other process let go of it in the instant between, and it was resumed after
        // all: paused again, as leaving the screen would.
        if let Some(mut session) = held {
            session.pause();
        }
        return Err(message);
    }
    let session = match held {
        Some(session) => session,
        None => Session::resume(data, &path).map_err(|e| e.to_string())?,
    };
    run_app(context, Start::Session(Box::new(session)))
}

/// Whether another process holds the visit's log open for writing (its writer keeps an
/// exclusive lock on the file): found with a shared lock that is let go of at once, so
/// nothing is written.
fn held_elsewhere(path: &Path) -> bool {
    std::fs::File::open(path).is_ok_and(|file| {
        matches!(
            file.try_lock_shared(),
            Err(std::fs::TryLockError::WouldBlock)
        )
    })
}

/// Parses `KEY=VALUE` for `--field`.
pub fn parse_field(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "expected KEY=VALUE, e.g. work_order=WO-1234, got \"{arg}\""
        )),
    }
}
