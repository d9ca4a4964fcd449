//! `sitecheck verify [VISIT]...`: recompute every hash chain and name each problem.

use std::io::Write;
use std::path::Path;

use crate::cli::Context;
use crate::log::reader::{read_chain, read_log};
use crate::store::layout::{find_visit, review_path, visit_logs};

/// Exit 0 when every log verifies (torn tails are warnings), 1 when any has a problem.
pub fn verify(context: &Context, visits: &[String], out: &mut dyn Write) -> Result<u8, String> {
    let io = crate::cli::output_error;
    let mut logs = Vec::new();
    for data in &context.data_dirs {
        if visits.is_empty() {
            logs.extend(
                visit_logs(data)
                    .into_iter()
                    .map(|(id, path)| (data.clone(), id, path)),
            );
        }
    }
    for wanted in visits {
        let found = context
            .data_dirs
            .iter()
            .find_map(|data| find_visit(data, wanted).ok().map(|f| (data.clone(), f)));
        match found {
            Some((data, (id, path))) => logs.push((data, id, path)),
            None => {
                return Err(format!(
                    "error: no visit \"{wanted}\" in the data folders given"
                ));
            }
        }
    }
    let (mut bad, mut warned) = (0usize, 0usize);
    for (data, id, path) in &logs {
        let read =
            read_log(path).map_err(|e| format!("{}: error: cannot read: {e}", path.display()))?;
        for problem in &read.problems {
            writeln!(
                out,
                "{}:{}: error: visit {id}: {}",
                path.display(),
                problem.line,
                problem.reason
            )
            .map_err(io)?;
        }
        if let Some(torn) = &read.torn {
            writeln!(
                out,
                "{}:{}: warning: visit {id}: {torn}",
                path.display(),
                torn.line
            )
            .map_err(io)?;
            warned += 1;
        }
        bad += usize::from(!read.problems.is_empty());
        bad += verify_reviews(data, id, out)?;
    }
    let checked = logs.len();
    writeln!(
        out,
        "{checked} visit{} checked: {} with problems{}",
        if checked == 1 { "" } else { "s" },
        bad,
        if warned > 0 {
            format!(", {warned} with a torn last line")
        } else {
            String::new()
        }
    )
    .map_err(io)?;
    Ok(u8::from(bad > 0))
}

fn verify_reviews(data: &Path, id: &str, out: &mut dyn Write) -> Result<usize, String> {
    let Some(path) = review_path(data, id).filter(|p| p.is_file()) else {
        return Ok(0);
    };
    let read =
        read_chain(&path).map_err(|e| format!("{}: error: cannot read: {e}", path.display()))?;
    for problem in &read.problems {
        writeln!(
            out,
            "{}:{}: error: reviews of visit {id}: {}",
            path.display(),
            problem.line,
            problem.reason
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(usize::from(!read.problems.is_empty()))
}
