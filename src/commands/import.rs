//! `sitecheck import <DIR>...`: merge logs gathered from other laptops into this store and
//! say what happened to each; exit 1 when anything was a conflict, rewritten or refused.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::store::import::{ImportReport, LogKind, Outcome, Wait, import, lock};

/// Imports every source into `data`; the exit code.
pub fn import_all(
    data: &Path,
    sources: &[PathBuf],
    wait: Wait,
    out: &mut dyn Write,
) -> Result<u8, String> {
    let io = crate::context::output_error;
    let lock = match lock(data, Wait::No) {
        Err(busy @ crate::store::import::ImportError::Busy { .. }) if wait == Wait::Yes => {
            // Say why nothing happens yet, then wait for the other import to finish.
            eprintln!("{busy}");
            eprintln!("waiting for it to finish…");
            lock(data, Wait::Yes)
        }
        other => other,
    }
    .map_err(|e| e.to_string())?;
    let mut problems = false;
    for source in sources {
        let report = import(&lock, source).map_err(|e| e.to_string())?;
        write_report(source, &report, out).map_err(io)?;
        problems |= report.has_problems();
    }
    Ok(u8::from(problems))
}

fn write_report(source: &Path, report: &ImportReport, out: &mut dyn Write) -> std::io::Result<()> {
    for entry in &report.entries {
        let what = match entry.kind {
            LogKind::Visit => "visit log",
            LogKind::Review => "review log",
        };
        let path = entry.source.display();
        match &entry.outcome {
            Outcome::Conflict(why) => writeln!(out, "{path}: error: conflict: {why}")?,
            Outcome::Rewritten(why) => writeln!(out, "{path}: error: rewritten: {why}")?,
            Outcome::Refused(why) => writeln!(out, "{path}: error: {what} refused: {why}")?,
            _ => {}
        }
        if let Some(warning) = &entry.warning {
            writeln!(out, "{path}: warning: {warning}")?;
        }
    }
    for (kind, name) in [
        (LogKind::Visit, "visit logs"),
        (LogKind::Review, "review logs"),
    ] {
        let n = |f: fn(&Outcome) -> bool| report.count(kind, f);
        writeln!(
            out,
            "{}: {name}: {} new, {} extended, {} already here, {} older, {} conflicts, {} rewritten, {} refused",
            source.display(),
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
