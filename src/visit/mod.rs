//! A visit's meaning, as pure code: answers, choosing options, outcomes, visibility, score
//! and progress, and replaying a log into the visit's current state.
mod answer;
mod choose;
mod evaluate;
mod evidence;
mod name;
mod number;
mod replay;
pub mod rushed;
#[cfg(test)]
mod tests;
mod typed;

pub use answer::{AnswerValue, Outcome, outcome};
pub use choose::toggle_option;
pub use evaluate::{
    Answers, Evaluation, ItemState, ItemStatus, SectionProgress, ShownResult, VisitResult,
    evaluate, target_met,
};
pub use evidence::{Attachment, EvidenceChange, evidence_missing, size_text};
pub use name::{same_technician, start_time, visit_name};
pub use number::{decimal_places, parse_number};
pub use replay::{Amendment, Status, VisitState, amender_name, replay};
pub use typed::{TypedProblem, check_typed};
