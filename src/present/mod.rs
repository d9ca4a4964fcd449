//! Text for people, shared by the commands, the exports and the screens: the one sanitiser
//! that every string from a record passes on its way to a terminal, and the few formats
//! (durations, verdicts) that reports print alike, and cutting text by display width; and
//! the writer that makes a command's output safe where it leaves for a terminal.

mod answer;
pub mod evidence_words;
pub mod picture;
pub mod stats_strings;
pub mod strings;
pub mod terminal;
mod trust_words;
pub use trust_words::seal_name;
mod width;

pub use answer::{AnswerWords, answer_text};

pub use crate::sanitize::{needs_sanitizing, sanitize};
pub use width::{truncate, wrap};

/// `1h05m`, `12m30s`, `45s` (for the reports; the table says it in its language).
pub fn duration(ms: u64) -> String {
    let s = ms / 1000;
    match (s / 3600, (s / 60) % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}
