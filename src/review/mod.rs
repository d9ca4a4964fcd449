//! Queries and figures over many visits, pure: which visits a command looks at (`filter`),
//! compliance per item, section, technician and week against targets (`stats`), and one
//! visit's answers as rows (`answers`). The visits come from `crate::store::index`.
pub mod answers;
pub mod breakdown;
pub mod counted;
pub mod figures;
pub mod filter;
pub mod period;
pub mod ranking;
pub mod stats;

pub use answers::{AnswerRow, answer_rows, value_text};
pub use filter::{Filter, VerdictFilter};
pub use stats::{Stats, compute_stats};
