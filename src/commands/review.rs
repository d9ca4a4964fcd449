//! `sitecheck review [filters]`: the supervisor's screens over every `--data-dir` given.
//! Visit logs are only read; each review goes to the data folder that holds its visit.
//!
//! `--since`, `--until` and `--checklist` narrow the visits opened; `--status` and
//! `--verdict` set the screen's filters, which `f` and `v` then change; without a
//! `--verdict` the screen opens on the `to_review` queue. `--technician`
//! names the reviewer (as it names the technician on their screens), not a filter.

use std::sync::{Arc, mpsc};

use crate::context::Context;
use crate::review::filter::{Filter, VerdictFilter};
use crate::store::index::check::Checked;
use crate::store::index::open::Store;
use crate::store::index::summary::{ChecklistInfo, VisitSummary};
use crate::store::listing::{Cursor, ListQuery};
use crate::store::seam::VisitStore;
use crate::tui::review::{ReviewContext, ReviewScreen};

/// The list is drawn from the summary caches at once; every log is then checked in the
/// background and the list brought up to date when that is done (SPEC section 8: the list
/// is ready in 0.3 s over 100,000 visits, which a `stat` of every log alone can exceed).
pub fn review(context: &Context, filter: &Filter) -> Result<u8, String> {
    // Before the store is opened: opening it may write its summary cache.
    super::visit::need_terminal(context, "sitecheck review")?;
    let source = context.store()?;
    // A store that pages through its visits itself is never opened whole.
    if source
        .list_page(&ListQuery::default(), &Cursor::First, 0)
        .is_some()
    {
        return review_paged(context, filter, source);
    }
    let mut store = context.open_snapshot(&*source)?;
    // `--technician` names the reviewer here: only the checklist is a filter to check.
    let named = Filter {
        technician: None,
        ..filter.clone()
    };
    named.check_names(&store.visits).map_err(|unknown| {
        crate::present::stats_strings::unknown_name(
            unknown.what,
            &unknown.name,
            &unknown.known,
            context.lang,
        )
    })?;
    let narrow = Filter {
        status: None,
        verdict: None,
        ..filter.clone()
    };
    narrow_to(&mut store, &narrow);
    // Only what came from a cache can be out of date.
    let check = (store.report.cached > 0).then(|| {
        let (send, receive) = mpsc::channel();
        let refresh = source.refresher(&store);
        std::thread::spawn(move || {
            let checked = match refresh() {
                Checked::Changes(mut changes) => {
                    changes.visits.retain(|visit| narrow.matches(visit));
                    Checked::Changes(changes)
                }
                Checked::Reopened(mut store) => {
                    narrow_to(&mut store, &narrow);
                    Checked::Reopened(store)
                }
            };
            // The screen may be gone already: then there is no one to tell.
            let _ = send.send(checked);
        });
        receive
    });
    let mut screen = ReviewScreen::new(store, source, screen_context(context));
    // Without a verdict filter the screen opens on the queue: what needs a review.
    screen.set_filters(
        filter.status,
        Some(filter.verdict.unwrap_or(VerdictFilter::ToReview)),
    );
    if let Some(check) = check {
        screen.check_in_background(check);
    }
    screen
        .run()
        .map_err(|e| context.s().terminal_error(&e.to_string()))?;
    Ok(0)
}

/// `--since`, `--until` and `--checklist` choose the visits opened.
fn narrow_to(store: &mut Store, narrow: &Filter) {
    if *narrow != Filter::default() {
        store.visits.retain(|visit| narrow.matches(visit));
    }
}

fn screen_context(context: &Context) -> ReviewContext {
    ReviewContext {
        lang: context.lang,
        theme: context.theme,
        reviewer: context.technician.clone(),
        thresholds: context.config.rushed.unwrap_or_default(),
        config: context.config.clone(),
        config_path: context.config_path.clone(),
    }
}

/// The screen over a store that pages (the fleet store): the list is read a page at a time
/// as the cursor moves, the figures are counted in the store; only the names a filter
/// gives are read up front, to be checked.
fn review_paged(
    context: &Context,
    filter: &Filter,
    source: Box<dyn VisitStore>,
) -> Result<u8, String> {
    if let Some(names) = source.figure_names() {
        let known: Vec<VisitSummary> = names?
            .into_iter()
            .map(|(technician, checklist)| VisitSummary {
                technician,
                checklist: Arc::new(ChecklistInfo {
                    id: checklist,
                    ..ChecklistInfo::default()
                }),
                ..VisitSummary::default()
            })
            .collect();
        let named = Filter {
            technician: None,
            ..filter.clone()
        };
        named.check_names(&known).map_err(|unknown| {
            crate::present::stats_strings::unknown_name(
                unknown.what,
                &unknown.name,
                &unknown.known,
                context.lang,
            )
        })?;
    }
    let narrow = Filter {
        technician: None,
        status: None,
        verdict: None,
        ..filter.clone()
    };
    let mut store = Store::empty(Vec::new(), &context.open_options());
    store.trust = context.trust()?;
    let mut screen = ReviewScreen::paged(store, narrow, source, screen_context(context));
    screen.set_filters(
        filter.status,
        Some(filter.verdict.unwrap_or(VerdictFilter::ToReview)),
    );
    screen
        .run()
        .map_err(|e| context.s().terminal_error(&e.to_string()))?;
    Ok(0)
}
