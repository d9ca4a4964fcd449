//! The answer choices an item offers, in key order: `1` is the first, N/A the last.

use crate::checklist::{Item, ItemKind};
use crate::tui::strings::Strings;
use crate::visit::AnswerValue;

#[derive(Clone, Debug, PartialEq)]
pub enum Choice {
    /// Sets this answer.
    Set(AnswerValue),
    /// Adds or removes a multi_choice option.
    Toggle(String),
}

/// An item's choices with their labels in the UI language.
pub fn choices(
    item: &Item,
    ui_lang: &str,
    default_lang: Option<&str>,
    s: &Strings,
) -> Vec<(Choice, String)> {
    let mut list: Vec<(Choice, String)> = match &item.kind {
        ItemKind::Check => vec![(Choice::Set(AnswerValue::Done), s.done.into())],
        ItemKind::PassFail => vec![
            (Choice::Set(AnswerValue::Pass), s.pass.into()),
            (Choice::Set(AnswerValue::Fail), s.fail.into()),
        ],
        ItemKind::YesNo { .. } => vec![
            (Choice::Set(AnswerValue::Yes), s.yes.into()),
            (Choice::Set(AnswerValue::No), s.no.into()),
        ],
        ItemKind::Choice { options } => options
            .iter()
            .map(|o| {
                (
                    Choice::Set(AnswerValue::Choice(o.id.clone())),
                    o.label.get(ui_lang, default_lang).into(),
                )
            })
            .collect(),
        ItemKind::MultiChoice { options } => options
            .iter()
            .map(|o| {
                (
                    Choice::Toggle(o.id.clone()),
                    o.label.get(ui_lang, default_lang).into(),
                )
            })
            .collect(),
        ItemKind::Rating { scale, .. } => (1..=*scale)
            .map(|r| {
                (
                    Choice::Set(AnswerValue::Rating(r)),
                    "★".repeat(usize::from(r)),
                )
            })
            .collect(),
        ItemKind::Number { .. } | ItemKind::Text { .. } | ItemKind::SignOff { .. } => Vec::new(),
    };
    if item.allow_na {
        list.push((Choice::Set(AnswerValue::Na), s.na.into()));
    }
    list
}

/// The choice a letter key means on this item (`p` pass, `f` fail, `y` yes, `n` no).
pub fn letter_choice(item: &Item, letter: char) -> Option<AnswerValue> {
    match (&item.kind, letter) {
        (ItemKind::PassFail, 'p') => Some(AnswerValue::Pass),
        (ItemKind::PassFail, 'f') => Some(AnswerValue::Fail),
        (ItemKind::YesNo { .. }, 'y') => Some(AnswerValue::Yes),
        (ItemKind::YesNo { .. }, 'n') => Some(AnswerValue::No),
        _ => None,
    }
}

/// Whether the current answer is (or, for multi_choice, includes) this choice.
pub fn is_chosen(choice: &Choice, current: Option<&AnswerValue>) -> bool {
    match (choice, current) {
        (Choice::Set(value), Some(current)) => value == current,
        (Choice::Toggle(id), Some(AnswerValue::Choices(ids))) => ids.contains(id),
        _ => false,
    }
}
