//! A value typed for a number, text or sign-off item, checked as the technician types it:
//! what would be recorded, whether it fails (a number outside its range), or why it
//! cannot be recorded yet.

use crate::checklist::{Item, ItemKind};

use super::{AnswerValue, decimal_places, parse_number};

/// Why a typed value cannot be recorded (yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypedProblem {
    /// `na` on an item that allows N/A: the log would read it back as N/A.
    UseNaKey,
    Empty,
    NotANumber,
    TooManyDecimals,
    TooLong,
    Pattern,
}

/// The answer a typed text makes, and whether it fails; or why it makes none.
pub fn check_typed(item: &Item, typed: &str) -> Result<(AnswerValue, bool), TypedProblem> {
    let trimmed = typed.trim();
    // The log writes N/A as "na" for every kind, so on an item that allows N/A a typed "na"
    // would read back as N/A: it is given with the N/A key instead.
    if item.allow_na && item.kind.is_typed() && trimmed == "na" {
        return Err(TypedProblem::UseNaKey);
    }
    if trimmed.is_empty() {
        return Err(TypedProblem::Empty);
    }
    match &item.kind {
        ItemKind::Number {
            min, max, decimals, ..
        } => {
            let value = parse_number(trimmed).ok_or(TypedProblem::NotANumber)?;
            if decimals.is_some_and(|d| decimal_places(trimmed) > usize::from(d)) {
                return Err(TypedProblem::TooManyDecimals);
            }
            let fails = min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m);
            Ok((AnswerValue::Number(value), fails))
        }
        ItemKind::Text { pattern, max_len } => {
            if max_len.is_some_and(|m| trimmed.chars().count() > m) {
                return Err(TypedProblem::TooLong);
            }
            if pattern.as_ref().is_some_and(|p| !p.is_match(trimmed)) {
                return Err(TypedProblem::Pattern);
            }
            Ok((AnswerValue::Text(trimmed.to_owned()), false))
        }
        ItemKind::SignOff { .. } => Ok((AnswerValue::SignOff(trimmed.to_owned()), false)),
        _ => Err(TypedProblem::Empty),
    }
}
