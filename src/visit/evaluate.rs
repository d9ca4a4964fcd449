//! What a checklist and a set of answers mean together: which items are visible, which are
//! still missing, each outcome, the score, the result, progress per section and the targets.
//! The run screen, the summary, `show`, review and export all read a visit through this.

use std::collections::HashMap;

use crate::checklist::{Checklist, Condition, ConditionTest, Item, NotePolicy, Severity, Target};

use super::answer::{AnswerValue, Outcome, outcome};
use super::evidence::{Attachment, evidence_missing};

/// The current state of one item in a visit: its latest answer and note.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemState {
    pub value: Option<AnswerValue>,
    pub note: Option<String>,
    /// When the current answer was given (RFC 3339) and at which visit millisecond.
    pub answered_at: Option<String>,
    pub ms: Option<u64>,
    /// The files attached to the item, in the order they were attached.
    pub evidence: Vec<Attachment>,
}

/// Current answers of a visit by item id.
pub type Answers = HashMap<String, ItemState>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemStatus {
    pub visible: bool,
    /// The outcome of the current answer of a visible item (hidden answers do not count).
    pub outcome: Option<Outcome>,
    /// Visible, required and unanswered.
    pub missing: bool,
    /// Answered, but the note its policy asks for is not there.
    pub note_missing: bool,
    /// Answered, but the photo or file its `evidence:` asks for is not attached.
    pub evidence_missing: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SectionProgress {
    pub visible: bool,
    pub answered: usize,
    pub required: usize,
    pub required_answered: usize,
    pub failed: usize,
    pub items: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitResult {
    Pass,
    Fail,
}

impl VisitResult {
    pub fn name(self) -> &'static str {
        match self {
            VisitResult::Pass => "pass",
            VisitResult::Fail => "fail",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// One status per item, in the checklist's file order.
    pub items: Vec<ItemStatus>,
    pub sections: Vec<SectionProgress>,
    /// Weight of passes over weight of passes and fails; `None` before anything is scored.
    pub score: Option<f64>,
    pub result: VisitResult,
    pub critical_failed: bool,
    pub passed: usize,
    pub failed: usize,
    pub na: usize,
    pub answered: usize,
    pub required: usize,
    pub required_answered: usize,
}

impl Evaluation {
    /// Indexes (file order) of visible required items still unanswered.
    pub fn missing(&self) -> impl Iterator<Item = usize> + '_ {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, s)| s.missing)
            .map(|(i, _)| i)
    }

    /// Indexes of answered items whose required note is absent.
    pub fn notes_missing(&self) -> impl Iterator<Item = usize> + '_ {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, s)| s.note_missing)
            .map(|(i, _)| i)
    }

    /// Indexes of answered items whose required evidence is not attached.
    pub fn evidence_missing(&self) -> impl Iterator<Item = usize> + '_ {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, s)| s.evidence_missing)
            .map(|(i, _)| i)
    }

    /// A visit may be finished only with nothing required missing.
    pub fn can_finish(&self) -> bool {
        self.missing_count() == 0
    }

    pub fn missing_count(&self) -> usize {
        self.missing().count() + self.notes_missing().count() + self.evidence_missing().count()
    }

    /// The result as people are told it. An open visit with required items (or notes)
    /// missing has no result yet: a failure so far can be said, a pass cannot.
    pub fn result_so_far(&self, open: bool) -> ShownResult {
        match (self.result, open && self.missing_count() > 0) {
            (VisitResult::Pass, false) => ShownResult::Pass,
            (VisitResult::Fail, false) => ShownResult::Fail,
            (VisitResult::Pass, true) => ShownResult::Incomplete,
            (VisitResult::Fail, true) => ShownResult::FailSoFar,
        }
    }
}

/// A visit's result as shown to people (see `Evaluation::result_so_far`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShownResult {
    Pass,
    Fail,
    /// Open, with something required missing, and failing already.
    FailSoFar,
    /// Open, with something required missing, and nothing failing yet.
    Incomplete,
}

/// Evaluates a visit. Items are visited in file order, so a `when` (which may only look
/// back) always finds its item already decided.
pub fn evaluate(checklist: &Checklist, answers: &Answers) -> Evaluation {
    let mut items = Vec::with_capacity(checklist.item_count());
    // The ids of the items decided so far, beside their statuses in `items`, for `when`.
    let mut ids: Vec<&str> = Vec::with_capacity(checklist.item_count());
    let mut sections = Vec::with_capacity(checklist.sections.len());
    let (mut pass_weight, mut scored_weight) = (0.0, 0.0);
    let mut eval = Evaluation {
        items: Vec::new(),
        sections: Vec::new(),
        score: None,
        result: VisitResult::Pass,
        critical_failed: false,
        passed: 0,
        failed: 0,
        na: 0,
        answered: 0,
        required: 0,
        required_answered: 0,
    };
    for section in &checklist.sections {
        let section_visible = section
            .when
            .as_ref()
            .is_none_or(|c| holds(c, &ids, &items, answers));
        let mut progress = SectionProgress {
            visible: section_visible,
            items: section.items.len(),
            ..Default::default()
        };
        for item in &section.items {
            let visible = section_visible
                && item
                    .when
                    .as_ref()
                    .is_none_or(|c| holds(c, &ids, &items, answers));
            // A hidden item's answer does not count: it is not even looked up.
            let state = visible.then(|| answers.get(&item.id)).flatten();
            let status = status(item, visible, state);
            if visible {
                if item.required {
                    progress.required += 1;
                    eval.required += 1;
                }
                if let Some(outcome) = status.outcome {
                    progress.answered += 1;
                    eval.answered += 1;
                    if item.required {
                        progress.required_answered += 1;
                        eval.required_answered += 1;
                    }
                    match outcome {
                        Outcome::Pass => {
                            eval.passed += 1;
                            pass_weight += item.weight();
                            scored_weight += item.weight();
                        }
                        Outcome::Fail => {
                            eval.failed += 1;
                            progress.failed += 1;
                            scored_weight += item.weight();
                            eval.critical_failed |= item.severity == Severity::Critical;
                        }
                        Outcome::Na => eval.na += 1,
                        Outcome::Info => {}
                    }
                }
            }
            ids.push(&item.id);
            items.push(status);
        }
        sections.push(progress);
    }
    eval.score = (scored_weight > 0.0).then(|| pass_weight / scored_weight);
    let below = eval.score.is_some_and(|s| s < checklist.pass_score);
    eval.result = if eval.critical_failed || below {
        VisitResult::Fail
    } else {
        VisitResult::Pass
    };
    eval.items = items;
    eval.sections = sections;
    eval
}

fn status(item: &Item, visible: bool, state: Option<&ItemState>) -> ItemStatus {
    if !visible {
        return ItemStatus::default();
    }
    let value = state.and_then(|s| s.value.as_ref());
    let outcome = value.map(|v| outcome(item, v));
    let has_note = state
        .and_then(|s| s.note.as_deref())
        .is_some_and(|n| !n.trim().is_empty());
    let note_needed = match item.note {
        NotePolicy::Always => outcome.is_some(),
        NotePolicy::OnFail => outcome == Some(Outcome::Fail),
        NotePolicy::Never | NotePolicy::Optional => false,
    };
    let attached = state.map_or(0, |s| s.evidence.len());
    ItemStatus {
        visible,
        outcome,
        missing: item.required && value.is_none(),
        note_missing: note_needed && !has_note,
        evidence_missing: evidence_missing(item, outcome, attached),
    }
}

/// Whether a `when` holds. A condition on a hidden or unanswered item does not hold.
/// `ids` and `statuses` are the items decided so far, in file order: a `when` only looks
/// back, usually at an item just before it, so they are searched from the end. (A map of
/// every item's decision cost most of this function, which runs after every answer.)
fn holds(condition: &Condition, ids: &[&str], statuses: &[ItemStatus], answers: &Answers) -> bool {
    let status = ids
        .iter()
        .rposition(|id| *id == condition.item)
        .and_then(|i| statuses.get(i));
    let Some(status) = status.filter(|s| s.visible) else {
        return false;
    };
    let Some(value) = answers.get(&condition.item).and_then(|s| s.value.as_ref()) else {
        return false;
    };
    match &condition.test {
        ConditionTest::Is(expected) => value.matches(expected),
        ConditionTest::In(values) => values.iter().any(|v| value.matches(v)),
        ConditionTest::Outcome(name) => status.outcome == Some((*name).into()),
    }
}

/// Whether one visit meets a target: `None` when the item is unanswered, hidden or N/A.
pub fn target_met(
    checklist: &Checklist,
    eval: &Evaluation,
    answers: &Answers,
    target: &Target,
) -> Option<bool> {
    let index = checklist
        .items()
        .position(|(_, item)| item.id == target.item)?;
    let status = eval.items.get(index)?;
    match status.outcome? {
        Outcome::Na => None,
        outcome => {
            let value = answers.get(&target.item)?.value.as_ref()?;
            Some(match (target.at_least, value) {
                (Some(at_least), AnswerValue::Rating(r)) => f64::from(*r) >= at_least,
                (Some(at_least), AnswerValue::Number(n)) => *n >= at_least,
                _ => outcome == Outcome::Pass,
            })
        }
    }
}
