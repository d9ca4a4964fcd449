//! A visit's meaning, as pure code: answers, outcomes, visibility, score and progress.
mod answer;
mod evaluate;
#[cfg(test)]
mod tests;

pub use answer::{AnswerValue, Outcome, outcome};
pub use evaluate::{
    Answers, Evaluation, ItemState, ItemStatus, SectionProgress, VisitResult, evaluate, target_met,
};
