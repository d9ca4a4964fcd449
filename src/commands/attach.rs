//! `sitecheck attach VISIT ITEM FILE...`: what the run screen's `e` does, from a script (a
//! work-order system, a phone's photo sync). The files are copied into the store by hash,
//! durably, before each `attached` line; a finished visit takes them only as an amendment
//! (`--reason`, by its own technician).

use std::io::Write;
use std::path::PathBuf;

use crate::context::Context;
use crate::present::evidence_words::{attach_error, attached_line, evidence_error};
use crate::store::evidence::precheck;
use crate::store::session::{Amending, Session};

/// What `attach` is asked for.
pub struct Attach<'a> {
    pub visit: &'a str,
    pub item: &'a str,
    pub files: &'a [PathBuf],
    pub reason: Option<&'a str>,
}

/// Attaches every file, or none when one of them is refused before copying (missing, a
/// folder, too large ...). Exit 0; errors are the message (exit 2).
pub fn attach(context: &Context, wanted: &Attach, out: &mut dyn Write) -> Result<u8, String> {
    let path = context.find_own_visit(wanted.visit)?;
    let mut session = Session::open(context.data_dir(), &path).map_err(|e| e.to_string())?;
    // Everything is checked before anything is written: a refused command records nothing,
    // not even a seal a crash left due.
    check_all(context, &session, wanted)?;
    if let Some(sealer) = context.sealer() {
        session.seal_with(sealer);
    }
    session.mark_resumed();
    let result = attach_all(context, &mut session, wanted, out);
    // Leaving as the screen leaves: an open visit is paused (and sealed) again.
    session.pause();
    if let Some(error) = session.write_error.clone() {
        return Err(format!("{}: {error}", path.display()));
    }
    result
}

/// Everything that can be known before a file is copied: the item takes evidence, a
/// finished visit is amended with a reason by its own technician (as the session judges
/// it), and every file can be taken (a typo in the third name attaches none).
fn check_all(context: &Context, session: &Session, wanted: &Attach) -> Result<(), String> {
    let lang = context.lang;
    let (max_bytes, _) = session
        .attachable(wanted.item, amending(context, wanted))
        .map_err(|e| attach_error(&e, lang))?;
    for file in wanted.files {
        precheck(file, max_bytes).map_err(|e| evidence_error(&e, lang))?;
    }
    Ok(())
}

/// Who changes a finished visit's evidence, and why: the technician using sitecheck, with
/// `--reason` (none given: an open visit, or a refusal on a finished one).
fn amending<'a>(context: &'a Context, wanted: &Attach<'a>) -> Option<Amending<'a>> {
    wanted.reason.map(|reason| Amending {
        technician: context.technician.as_deref(),
        reason,
    })
}

fn attach_all(
    context: &Context,
    session: &mut Session,
    wanted: &Attach,
    out: &mut dyn Write,
) -> Result<u8, String> {
    let lang = context.lang;
    let amending = amending(context, wanted);
    for file in wanted.files {
        let stored = session
            .attach(wanted.item, file, amending)
            .map_err(|e| attach_error(&e, lang))?;
        let line = attached_line(wanted.item, &stored.name, stored.size, &stored.sha256, lang);
        writeln!(out, "{line}").map_err(crate::context::output_error)?;
    }
    Ok(0)
}
