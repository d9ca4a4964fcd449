//! `sitecheck review`: the supervisor's screens over every `--data-dir` given. Visit logs
//! are only read; each review goes to the data folder that holds its visit.

use crate::cli::Context;
use crate::review::{OpenOptions, open_store};
use crate::tui::review::{ReviewContext, ReviewScreen};
use crate::tui::theme::Theme;

pub fn review(context: &Context) -> Result<u8, String> {
    let thresholds = context.config.rushed.unwrap_or_default();
    let options = OpenOptions {
        thresholds,
        use_cache: std::env::var_os("SITECHECK_NO_CACHE").is_none(),
    };
    let store = open_store(&context.data_dirs, &options);
    let screen = ReviewScreen::new(
        store,
        ReviewContext {
            lang: context.lang,
            theme: Theme::new(context.color),
            reviewer: context.technician.clone(),
            thresholds,
            config: context.config.clone(),
            config_path: context.config_path.clone(),
        },
    );
    screen.run().map_err(|e| format!("error: terminal: {e}"))?;
    Ok(0)
}
