//! `sitecheck verify [VISIT]...`: every visit and review log of the store through the one
//! loader, each problem named with its line; folders and files that cannot be read are
//! named too, and the others still checked.

use std::io::Write;

use crate::context::Context;
use crate::log::reader::analyze_log;
use crate::present::sanitize;
use crate::present::strings::Strings;
use crate::store::index::checklists::ChecklistSet;
use crate::store::index::summarize::load;
use crate::store::seam::{VisitRef, VisitStore};

/// Exit 0 when every log verifies (torn tails are warnings), 1 when any has a problem or
/// cannot be read.
pub fn verify(
    context: &Context,
    store: &dyn VisitStore,
    visits: &[String],
    out: &mut dyn Write,
) -> Result<u8, String> {
    let io = crate::context::output_error;
    let s = context.s();
    let mut logs = Vec::new();
    let (mut bad, mut warned) = (0usize, 0usize);
    if visits.is_empty() {
        let (found, unlisted) = store.visits();
        for part in unlisted {
            writeln!(
                out,
                "{}",
                s.cannot_read(&sanitize(&part.shown), &part.error)
            )
            .map_err(io)?;
            bad += 1;
        }
        logs = found;
    }
    for wanted in visits {
        logs.push(context.find_visit(store, wanted)?);
    }
    let checklists = ChecklistSet::default();
    for visit in &logs {
        let id = &visit.id;
        let log = store.visit_log(visit);
        let shown = sanitize(&log.shown);
        let bytes = match log.bytes {
            Ok(bytes) => bytes,
            Err(err) => {
                // One file that cannot be read is a problem of its own; the rest are checked.
                writeln!(out, "{}", s.cannot_read(&shown, &err.to_string())).map_err(io)?;
                bad += 1;
                continue;
            }
        };
        let loaded = load(&bytes, id, &checklists);
        let integrity = loaded.integrity();
        let named = s.visit_named(&sanitize(id));
        // The typed findings of the thorough reader, for their words in the UI language.
        let typed = if integrity.is_clean() {
            Default::default()
        } else {
            analyze_log(&bytes)
        };
        for problem in &integrity.problems {
            let words = s.problem_words(problem, &typed.problems);
            writeln!(
                out,
                "{shown}:{}: error: {named}{}{}",
                problem.line,
                s.colon,
                sanitize(&words)
            )
            .map_err(io)?;
        }
        if let Some(torn) = &typed.torn {
            writeln!(
                out,
                "{shown}:{}: warning: {named}{}{}",
                torn.line,
                s.colon,
                s.torn(torn)
            )
            .map_err(io)?;
            warned += 1;
        }
        bad += usize::from(!integrity.problems.is_empty());
        bad += verify_reviews(s, store, visit, out)?;
    }
    writeln!(out, "{}", s.verify_summary(logs.len(), bad, warned)).map_err(io)?;
    Ok(u8::from(bad > 0))
}

/// A visit's review log, read as every reader reads it (chain, and each line a review of
/// this visit).
fn verify_reviews(
    s: &Strings,
    store: &dyn VisitStore,
    visit: &VisitRef,
    out: &mut dyn Write,
) -> Result<usize, String> {
    let io = crate::context::output_error;
    let id = &visit.id;
    let Some(log) = store.review_log(visit) else {
        return Ok(0);
    };
    let shown = sanitize(&log.shown);
    let bytes = match log.bytes {
        Ok(bytes) => bytes,
        Err(err) => {
            writeln!(out, "{}", s.cannot_read(&shown, &err.to_string())).map_err(io)?;
            return Ok(1);
        }
    };
    let reviews = crate::log::review::analyze_reviews(&bytes, id);
    let typed = crate::log::reader::analyze_chain(&bytes);
    for problem in &reviews.integrity.problems {
        let words = s.problem_words(problem, &typed.problems);
        writeln!(
            out,
            "{shown}:{}: error: {}{}{}",
            problem.line,
            s.reviews_of(&sanitize(id)),
            s.colon,
            sanitize(&words)
        )
        .map_err(io)?;
    }
    Ok(usize::from(!reviews.integrity.problems.is_empty()))
}
