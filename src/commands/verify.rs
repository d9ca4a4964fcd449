//! `sitecheck verify [VISIT]...`: recompute every hash chain and name each problem.

use std::io::Write;
use std::path::Path;

use crate::context::Context;
use crate::log::reader::{read_chain, read_log};
use crate::present::sanitize;
use crate::store::layout::{review_path, visit_logs};

use crate::present::strings::Strings;

/// Exit 0 when every log verifies (torn tails are warnings), 1 when any has a problem.
pub fn verify(context: &Context, visits: &[String], out: &mut dyn Write) -> Result<u8, String> {
    let io = crate::context::output_error;
    let s = context.s();
    let mut logs = Vec::new();
    if visits.is_empty() {
        for data in &context.data_dirs {
            logs.extend(
                visit_logs(data)
                    .into_iter()
                    .map(|(id, path)| (data.clone(), id, path)),
            );
        }
    }
    for wanted in visits {
        logs.push(context.find_visit(wanted)?);
    }
    let (mut bad, mut warned) = (0usize, 0usize);
    for (data, id, path) in &logs {
        let shown = sanitize(&path.display().to_string());
        let id = sanitize(id);
        let read = read_log(path).map_err(|e| s.cannot_read(&shown, &e.to_string()))?;
        for problem in &read.problems {
            writeln!(
                out,
                "{shown}:{}: error: {}{}{}",
                problem.line,
                s.visit_named(&id),
                s.colon,
                s.problem(&problem.reason)
            )
            .map_err(io)?;
        }
        if let Some(torn) = &read.torn {
            writeln!(
                out,
                "{shown}:{}: warning: {}{}{}",
                torn.line,
                s.visit_named(&id),
                s.colon,
                s.torn(torn)
            )
            .map_err(io)?;
            warned += 1;
        }
        bad += usize::from(!read.problems.is_empty());
        bad += verify_reviews(s, data, &id, out)?;
    }
    writeln!(out, "{}", s.verify_summary(logs.len(), bad, warned)).map_err(io)?;
    Ok(u8::from(bad > 0))
}

fn verify_reviews(
    s: &Strings,
    data: &Path,
    id: &str,
    out: &mut dyn Write,
) -> Result<usize, String> {
    let Some(path) = review_path(data, id).filter(|p| p.is_file()) else {
        return Ok(0);
    };
    let shown = sanitize(&path.display().to_string());
    let read = read_chain(&path).map_err(|e| s.cannot_read(&shown, &e.to_string()))?;
    for problem in &read.problems {
        writeln!(
            out,
            "{shown}:{}: error: {}{}{}",
            problem.line,
            s.reviews_of(id),
            s.colon,
            s.problem(&problem.reason)
        )
        .map_err(crate::context::output_error)?;
    }
    Ok(usize::from(!read.problems.is_empty()))
}
