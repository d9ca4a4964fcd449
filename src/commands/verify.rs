//! `sitecheck verify [VISIT]...`: every visit and review log of the store through the one
//! loader, each problem named with its line; folders and files that cannot be read are
//! named too, and the others still checked.

use std::io::Write;

use crate::context::Context;
use crate::keys::SealStatus;
use crate::log::EventKind;
use crate::log::reader::analyze_log;
use crate::log::receipt::{holds, parse_receipt};
use crate::log::seal::covering_seal;
use crate::present::evidence_words::evidence_problem;
use crate::present::sanitize;
use crate::present::strings::Strings;
use crate::store::index::checklists::ChecklistSet;
use crate::store::index::summarize::{Loaded, load};
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
    let trust = context.trust()?;
    let mut seals = SealCount::default();
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
    let mut ledgers = Vec::new();
    for ledger in store.ledgers() {
        match ledger {
            Ok(ledger) => {
                let shown = sanitize(&ledger.shown);
                for (line, why) in &ledger.problems {
                    let words = s.ledger_edited(&sanitize(why));
                    writeln!(out, "{shown}:{line}: error: {words}").map_err(io)?;
                }
                bad += usize::from(!ledger.problems.is_empty());
                ledgers.push(ledger);
            }
            Err(part) => {
                writeln!(
                    out,
                    "{}",
                    s.cannot_read(&sanitize(&part.shown), &part.error)
                )
                .map_err(io)?;
                bad += 1;
            }
        }
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
        let mut problem = !integrity.problems.is_empty();
        let hashes = line_hashes(&bytes);
        for broken in ledgers.iter().flat_map(|l| l.broken_by(id, &hashes)) {
            let (lines, at) = (broken.entry.lines, sanitize(&broken.entry.at));
            let words = s.ledger_broken(lines, &at, broken.now.is_none());
            writeln!(out, "{shown}:{lines}: error: {named}{}{words}", s.colon).map_err(io)?;
            problem = true;
        }
        if let Loaded::Visit(log) = &loaded {
            for (line, words) in evidence_problems(store, visit, &log.events, context.lang) {
                writeln!(out, "{shown}:{line}: error: {named}{}{words}", s.colon).map_err(io)?;
                problem = true;
            }
            let status = trust.status(&log.state.technician, covering_seal(&log.events));
            seals.count(&status);
            let closed = !log.state.status.is_open();
            let technician = sanitize(&log.state.technician);
            if closed && status.is_problem() {
                let line = log.events.len() + 1;
                let words = s.seal_status(&status, &technician);
                writeln!(out, "{shown}:{line}: error: {named}{}{words}", s.colon).map_err(io)?;
                problem = true;
            } else if visits.len() == 1 {
                // One visit asked for by name: its seal is said whatever it is.
                let words = s.seal_status(&status, &technician);
                writeln!(out, "{shown}: {named}{}{words}", s.colon).map_err(io)?;
            }
        }
        bad += usize::from(problem);
        bad += verify_reviews(s, store, visit, &hashes, out)?;
    }
    writeln!(out, "{}", s.verify_summary(logs.len(), bad, warned)).map_err(io)?;
    if seals.any() || !trust.is_empty() {
        let SealCount {
            trusted,
            unknown,
            unsealed,
        } = seals;
        writeln!(out, "{}", s.seal_summary(trusted, unknown, unsealed)).map_err(io)?;
    }
    Ok(u8::from(bad > 0))
}

/// Every evidence file the log attached (each once, at the line that first attached it)
/// that is missing from the store or whose bytes no longer match: (line, words).
fn evidence_problems(
    store: &dyn VisitStore,
    visit: &VisitRef,
    events: &[crate::log::Event],
    lang: crate::lang::Lang,
) -> Vec<(usize, String)> {
    let mut seen = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for event in events {
        let EventKind::Attached {
            sha256, size, name, ..
        } = &event.kind
        else {
            continue;
        };
        if !seen.insert(sha256.as_str()) {
            continue;
        }
        let check = store.check_evidence(visit, sha256, *size);
        if let Some(words) = evidence_problem(&check, name, sha256, lang) {
            // A line's number is its seq + 1.
            problems.push((event.seq as usize + 1, words));
        }
    }
    problems
}

/// The hash of every whole line, in order, up to the first that has none.
fn line_hashes(bytes: &[u8]) -> Vec<&str> {
    bytes
        .split(|&b| b == b'\n')
        .map_while(|line| {
            let line = std::str::from_utf8(line).ok()?;
            crate::log::chain::split(line).ok().map(|split| split.hash)
        })
        .collect()
}

/// How many visits `verify` found sealed, and how.
#[derive(Default)]
struct SealCount {
    trusted: usize,
    unknown: usize,
    unsealed: usize,
}

impl SealCount {
    fn count(&mut self, status: &SealStatus) {
        match status {
            SealStatus::Trusted => self.trusted += 1,
            SealStatus::OtherTechnician(_) | SealStatus::UnknownKey => self.unknown += 1,
            SealStatus::Unsealed { .. } => self.unsealed += 1,
        }
    }

    fn any(&self) -> bool {
        self.trusted + self.unknown > 0
    }
}

/// A visit's review log, read as every reader reads it (chain, and each line a review of
/// this visit).
fn verify_reviews(
    s: &Strings,
    store: &dyn VisitStore,
    visit: &VisitRef,
    visit_hashes: &[&str],
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
    // A review names the line it saw last; a log without that line is not the one reviewed.
    let mut foreign = false;
    for review in &reviews.reviews {
        if !visit_hashes.contains(&review.visit_hash.as_str()) {
            let line = review.seq + 1;
            let words = s.review_of_another_log(&sanitize(&review.reviewer), &sanitize(&review.at));
            writeln!(
                out,
                "{shown}:{line}: error: {}{}{words}",
                s.reviews_of(&sanitize(id)),
                s.colon
            )
            .map_err(io)?;
            foreign = true;
        }
    }
    Ok(usize::from(
        !reviews.integrity.problems.is_empty() || foreign,
    ))
}

/// `verify VISIT --receipt CODE`: the visit verified as `verify VISIT` does, then whether
/// its log holds the line the customer's receipt stands for, and the amendments after it.
pub fn verify_receipt(
    context: &Context,
    store: &dyn VisitStore,
    visits: &[String],
    code: &str,
    out: &mut dyn Write,
) -> Result<u8, String> {
    let s = context.s();
    let [wanted] = visits else {
        return Err(
            "error: --receipt checks one visit: `sitecheck verify VISIT --receipt CODE`".into(),
        );
    };
    let Some(receipt) = parse_receipt(code) else {
        return Err(s.not_a_receipt(&sanitize(code)));
    };
    let verified = verify(context, store, visits, out)?;
    let io = crate::context::output_error;
    let visit = context.find_visit(store, wanted)?;
    let bytes = store.visit_log(&visit).bytes.map_err(|e| e.to_string())?;
    let Loaded::Visit(log) = load(&bytes, &visit.id, &ChecklistSet::default()) else {
        writeln!(
            out,
            "{}",
            s.receipt_not_held(&sanitize(code), &sanitize(&visit.id))
        )
        .map_err(io)?;
        return Ok(1);
    };
    let code = code.trim().to_ascii_uppercase();
    let Some(index) = log.events.iter().position(|e| holds(receipt, &e.hash)) else {
        writeln!(
            out,
            "{}",
            s.receipt_not_held(&sanitize(&code), &sanitize(&visit.id))
        )
        .map_err(io)?;
        return Ok(1);
    };
    // Line numbers count the `started` line, which `events` leaves out.
    let line_of = |i: usize| i + 2;
    let held = &log.events[index];
    writeln!(
        out,
        "{}",
        s.receipt_held(
            &sanitize(&code),
            line_of(index),
            held.kind.name(),
            &sanitize(&held.at)
        )
    )
    .map_err(io)?;
    for (later, event) in log.events.iter().enumerate().skip(index + 1) {
        if let EventKind::Amended { item, reason, .. } = &event.kind {
            let words = s.receipt_later(
                line_of(later),
                &item
                    .as_deref()
                    .map_or_else(|| s.general_comment().to_owned(), sanitize),
                &sanitize(&event.at),
                &sanitize(reason),
            );
            writeln!(out, "{words}").map_err(io)?;
        }
    }
    Ok(verified)
}
