//! `sitecheck import <DIR>...`: merge logs gathered from other laptops into this store and
//! say what happened to each; exit 1 when anything was a conflict, rewritten or refused.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::present::sanitize;
use crate::store::import::{ImportReport, LogKind, Outcome, Wait};
use crate::store::seam::{ImportFailure, VisitStore};

/// Imports every source into the store; the exit code.
pub fn import_all(
    store: &dyn VisitStore,
    sources: &[PathBuf],
    wait: Wait,
    out: &mut dyn Write,
) -> Result<u8, String> {
    let mut problems = false;
    store
        .import(
            sources,
            wait,
            // Say why nothing happens yet, then wait for the other import to finish.
            &mut |busy| {
                eprintln!("{}", sanitize(&busy.to_string()));
                eprintln!("waiting for it to finish…");
            },
            &mut |source, report| {
                problems |= report.has_problems();
                write_report(source, report, out)
            },
        )
        .map_err(|failure| match failure {
            ImportFailure::Import(e) => e.to_string(),
            ImportFailure::Output(e) => crate::context::output_error(e),
        })?;
    Ok(u8::from(problems))
}

/// The report of one source. File names come from a USB stick and reasons quote the logs:
/// both pass the one sanitiser.
fn write_report(source: &Path, report: &ImportReport, out: &mut dyn Write) -> std::io::Result<()> {
    for entry in &report.entries {
        let what = match entry.kind {
            LogKind::Visit => "visit log",
            LogKind::Review => "review log",
        };
        let path = sanitize(&entry.source.display().to_string());
        match &entry.outcome {
            Outcome::Conflict(why) => {
                writeln!(out, "{path}: error: conflict: {}", sanitize(why))?;
            }
            Outcome::Rewritten(why) => {
                writeln!(out, "{path}: error: rewritten: {}", sanitize(why))?;
            }
            Outcome::Refused(why) => {
                writeln!(out, "{path}: error: {what} refused: {}", sanitize(why))?;
            }
            _ => {}
        }
        if let Some(warning) = &entry.warning {
            writeln!(out, "{path}: warning: {}", sanitize(warning))?;
        }
    }
    for (file, why) in &report.evidence.problems {
        let file = sanitize(&file.display().to_string());
        writeln!(
            out,
            "{file}: warning: evidence not taken: {}",
            sanitize(why)
        )?;
    }
    let source = sanitize(&source.display().to_string());
    let tally = &report.evidence;
    if tally.copied + tally.here + tally.problems.len() > 0 {
        writeln!(
            out,
            "{source}: evidence: {} copied, {} already here, {} not taken",
            tally.copied,
            tally.here,
            tally.problems.len()
        )?;
    }
    for (kind, name) in [
        (LogKind::Visit, "visit logs"),
        (LogKind::Review, "review logs"),
    ] {
        let n = |f: fn(&Outcome) -> bool| report.count(kind, f);
        writeln!(
            out,
            "{source}: {name}: {} new, {} extended, {} already here, {} older, {} conflicts, {} rewritten, {} refused",
            n(|o| *o == Outcome::New),
            n(|o| *o == Outcome::Extended),
            n(|o| *o == Outcome::Identical),
            n(|o| *o == Outcome::Older),
            n(|o| matches!(o, Outcome::Conflict(_))),
            n(|o| matches!(o, Outcome::Rewritten(_))),
            n(|o| matches!(o, Outcome::Refused(_))),
        )?;
    }
    Ok(())
}
