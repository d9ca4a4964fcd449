//! An answer as a person reads it, the same on the screens and in `show`: words in the UI
//! language, option labels from the checklist, a number with its unit, a rating with its
//! stars. Text typed by the technician passes the sanitiser.

use crate::checklist::{Item, ItemKind};
use crate::visit::AnswerValue;

/// The words an answer is said with, in one UI language.
pub struct AnswerWords<'a> {
    pub done: &'a str,
    pub pass: &'a str,
    pub fail: &'a str,
    pub yes: &'a str,
    pub no: &'a str,
    pub na: &'a str,
    /// Between chosen options: `, ` or `、`.
    pub list_separator: &'a str,
}

/// `value`, an answer to `item`, as text; labels in `ui_lang`, else `default_lang`.
pub fn answer_text(
    item: &Item,
    value: &AnswerValue,
    ui_lang: &str,
    default_lang: Option<&str>,
    words: &AnswerWords,
) -> String {
    let option_label = |id: &str| {
        item.kind.options().iter().find(|o| o.id == id).map_or_else(
            || id.to_owned(),
            |o| o.label.get(ui_lang, default_lang).to_owned(),
        )
    };
    match value {
        AnswerValue::Done => words.done.into(),
        AnswerValue::Pass => words.pass.into(),
        AnswerValue::Fail => words.fail.into(),
        AnswerValue::Yes => words.yes.into(),
        AnswerValue::No => words.no.into(),
        AnswerValue::Na => words.na.into(),
        AnswerValue::Number(n) => match &item.kind {
            ItemKind::Number {
                unit: Some(unit), ..
            } => format!("{n} {unit}"),
            _ => n.to_string(),
        },
        AnswerValue::Choice(id) => option_label(id),
        AnswerValue::Choices(ids) => ids
            .iter()
            .map(|id| option_label(id))
            .collect::<Vec<_>>()
            .join(words.list_separator),
        AnswerValue::Rating(r) => {
            let scale = match item.kind {
                ItemKind::Rating { scale, .. } => scale,
                _ => *r,
            };
            format!("{r}/{scale} {}", "★".repeat(usize::from(*r)))
        }
        AnswerValue::Text(t) | AnswerValue::SignOff(t) => super::sanitize(t),
    }
}
