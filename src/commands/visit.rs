//! `sitecheck`, `run` and `resume`: the technician's screens.

use serde_json::{Map, Value};

use crate::cli::Context;
use crate::store::layout::find_visit;
use crate::store::open_index;
use crate::store::session::Session;
use crate::tui::app::{App, AppContext, Start};
use crate::tui::theme::Theme;

fn app_context(context: &Context) -> AppContext {
    AppContext {
        data_dir: context.data_dir().to_path_buf(),
        library: context.library.clone(),
        technician: context.technician.clone(),
        lang: context.lang,
        theme: Theme::new(context.color),
        config: context.config.clone(),
        config_path: context.config_path.clone(),
    }
}

fn run_app(context: &Context, start: Start) -> Result<u8, String> {
    let app = App::new(app_context(context), start).map_err(|e| e.to_string())?;
    app.run().map_err(|e| format!("error: terminal: {e}"))?;
    Ok(0)
}

pub fn home(context: &Context) -> Result<u8, String> {
    run_app(context, Start::Home)
}

/// `run <CHECKLIST> [--field KEY=VALUE]...`
pub fn run(context: &Context, what: &str, fields: &[(String, String)]) -> Result<u8, String> {
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
            return Err(format!(
                "error: --field {key}: checklist \"{}\" has no visit field \"{key}\"; its fields are: {}",
                checklist.id,
                known.join(", ")
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
        Some(wanted) => find_visit(data, wanted).map_err(|e| e.to_string())?.1,
        None => open_index::list(data)
            .into_iter()
            .next()
            .map(|v| v.path)
            .ok_or_else(|| {
                format!(
                    "error: no unfinished visit in {} — start one with `sitecheck run <CHECKLIST>`",
                    data.display()
                )
            })?,
    };
    let session = Session::resume(data, &path).map_err(|e| e.to_string())?;
    run_app(context, Start::Session(Box::new(session)))
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
