//! The one integrity verdict on a log (SPEC section 5): clean, torn at its end, or damaged,
//! with the line and the reason of every problem. Every reader reaches it the same way.

use serde::{Deserialize, Serialize};

/// One thing wrong with a log, at a line (1-based; 0 when it concerns the whole file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProblem {
    pub line: usize,
    pub message: String,
}

/// Whether a log can be trusted: clean, torn at its end (a warning: a power cut), or
/// damaged (altered, missing or reordered lines ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integrity {
    /// The torn last line: its line number and byte count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub torn: Option<TornInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<LineProblem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TornInfo {
    pub line: usize,
    pub bytes: u64,
}

/// The three states the list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntegrityState {
    Clean,
    Torn,
    Damaged,
}

impl IntegrityState {
    pub fn name(self) -> &'static str {
        match self {
            IntegrityState::Clean => "ok",
            IntegrityState::Torn => "torn",
            IntegrityState::Damaged => "damaged",
        }
    }
}

impl Integrity {
    pub fn state(&self) -> IntegrityState {
        if !self.problems.is_empty() {
            IntegrityState::Damaged
        } else if self.torn.is_some() {
            IntegrityState::Torn
        } else {
            IntegrityState::Clean
        }
    }

    pub fn is_clean(&self) -> bool {
        self.state() == IntegrityState::Clean
    }
}
