//! `sitecheck review [filters]`: the supervisor's screens over every `--data-dir` given.
//! Visit logs are only read; each review goes to the data folder that holds its visit.
//!
//! `--since`, `--until` and `--checklist` narrow the visits opened; `--status` and
//! `--verdict` set the screen's filters, which `f` and `v` then change. `--technician`
//! names the reviewer (as it names the technician on their screens), not a filter.

use crate::cli::{Context, FilterArgs};
use crate::review::Filter;
use crate::tui::review::{ReviewContext, ReviewScreen};
use crate::tui::theme::Theme;

pub fn review(context: &Context, filter: &FilterArgs) -> Result<u8, String> {
    let mut store = context.open_store();
    let filter = filter.to_filter(None);
    let narrow = Filter {
        status: None,
        verdict: None,
        ..filter.clone()
    };
    if narrow != Filter::default() {
        store.visits.retain(|visit| narrow.matches(visit));
    }
    let mut screen = ReviewScreen::new(
        store,
        ReviewContext {
            lang: context.lang,
            theme: Theme::new(context.color),
            reviewer: context.technician.clone(),
            thresholds: context.config.rushed.unwrap_or_default(),
            config: context.config.clone(),
            config_path: context.config_path.clone(),
        },
    );
    screen.set_filters(filter.status, filter.verdict);
    screen.run().map_err(|e| format!("error: terminal: {e}"))?;
    Ok(0)
}
