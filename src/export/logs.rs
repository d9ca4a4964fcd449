//! Reading the logs of many visits for an export: in parallel, a batch at a time (so memory
//! stays bounded whatever the store's size), handing each visit's output back in the
//! order of the visits.

use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;

use crate::checklist::Checklist;
use crate::log::Event;
use crate::store::index::checklists::ChecklistSet;
use crate::store::index::summarize::{Loaded, load};
use crate::store::index::summary::VisitSummary;
use crate::store::seam::VisitStore;
use crate::visit::{Evaluation, VisitState};

/// A visit's log, replayed.
pub struct Replayed {
    pub checklist: Arc<Checklist>,
    pub state: VisitState,
    pub eval: Evaluation,
    /// The events after `started`.
    pub events: Vec<Event>,
}

/// Visits per batch: enough to keep every core busy, few enough to hold their output.
const BATCH: usize = 2048;

/// Calls `render` for every visit with its replayed log (`None` when the log cannot be
/// read or its checklist does not load), in parallel, and writes what it returns in the
/// visits' order.
pub fn render_in_order<F>(
    source: &dyn VisitStore,
    visits: &[&VisitSummary],
    checklists: &ChecklistSet,
    out: &mut dyn Write,
    render: F,
) -> std::io::Result<()>
where
    F: Fn(&VisitSummary, Option<&Replayed>) -> Vec<u8> + Sync,
{
    for batch in visits.chunks(BATCH) {
        let rendered: Vec<Vec<u8>> = batch
            .par_iter()
            // One read buffer per thread: a fresh 20 KB buffer per log, freed among the
            // many small allocations of the replay, fragments the heap (see
            // benches/README.md).
            .map_init(Vec::new, |buf, visit| {
                let replayed = replay(source, visit, checklists, buf);
                render(visit, replayed.as_ref())
            })
            .collect();
        for bytes in rendered {
            out.write_all(&bytes)?;
        }
    }
    Ok(())
}

fn replay(
    source: &dyn VisitStore,
    visit: &VisitSummary,
    checklists: &ChecklistSet,
    buf: &mut Vec<u8>,
) -> Option<Replayed> {
    source.read_visit_log(&visit.reference(), buf).ok()?;
    let Loaded::Visit(log) = load(buf, &visit.id, checklists) else {
        return None;
    };
    Some(Replayed {
        checklist: log.checklist.checklist.clone()?,
        state: log.state,
        eval: log.eval?,
        events: log.events,
    })
}
