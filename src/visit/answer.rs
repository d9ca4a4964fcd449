//! An answer's value, how it is written in the log, and its outcome.

use serde_json::Value as Json;

use crate::checklist::{ConditionValue, Item, ItemKind, OutcomeName, YesNo};

/// What a technician answered for one item.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerValue {
    Done,
    Pass,
    Fail,
    Yes,
    No,
    Na,
    Number(f64),
    Choice(String),
    Choices(Vec<String>),
    Rating(u8),
    Text(String),
    /// The signer's typed name; the time is the event's.
    SignOff(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    Na,
    /// Recorded, but neither passes nor fails (text, sign-off, yes/no without `expect`).
    Info,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Na => "na",
            Outcome::Info => "info",
        }
    }
}

impl AnswerValue {
    /// The value as SPEC section 5 writes it in an `answered` event.
    pub fn to_json(&self) -> Json {
        match self {
            AnswerValue::Done => "done".into(),
            AnswerValue::Pass => "pass".into(),
            AnswerValue::Fail => "fail".into(),
            AnswerValue::Yes => "yes".into(),
            AnswerValue::No => "no".into(),
            AnswerValue::Na => "na".into(),
            // Whole numbers are written as integers (`25`, not `25.0`), as a person would.
            AnswerValue::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => Json::from(*n as i64),
            AnswerValue::Number(n) => {
                serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number)
            }
            AnswerValue::Choice(id) => id.as_str().into(),
            AnswerValue::Choices(ids) => ids.iter().map(|id| Json::from(id.as_str())).collect(),
            AnswerValue::Rating(r) => (*r).into(),
            AnswerValue::Text(t) | AnswerValue::SignOff(t) => t.as_str().into(),
        }
    }

    /// Reads a logged value back, using the item's kind to tell `"pass"` from an option id.
    pub fn from_json(item: &Item, json: &Json) -> Result<Self, String> {
        if item.allow_na && json.as_str() == Some("na") {
            return Ok(AnswerValue::Na);
        }
        let bad = || {
            format!(
                "{json} is not an answer to the {} item \"{}\"",
                item.kind.name(),
                item.id
            )
        };
        let value = match (&item.kind, json) {
            (ItemKind::Check, Json::String(s)) if s == "done" => AnswerValue::Done,
            (ItemKind::PassFail, Json::String(s)) if s == "pass" => AnswerValue::Pass,
            (ItemKind::PassFail, Json::String(s)) if s == "fail" => AnswerValue::Fail,
            (ItemKind::YesNo { .. }, Json::String(s)) if s == "yes" => AnswerValue::Yes,
            (ItemKind::YesNo { .. }, Json::String(s)) if s == "no" => AnswerValue::No,
            (ItemKind::Number { .. }, Json::Number(n)) => {
                AnswerValue::Number(n.as_f64().ok_or_else(bad)?)
            }
            (ItemKind::Choice { options }, Json::String(s))
                if options.iter().any(|o| &o.id == s) =>
            {
                AnswerValue::Choice(s.clone())
            }
            (ItemKind::MultiChoice { options }, Json::Array(ids)) => {
                let mut chosen = Vec::with_capacity(ids.len());
                for id in ids {
                    match id.as_str() {
                        Some(id) if options.iter().any(|o| o.id == id) => {
                            chosen.push(id.to_owned())
                        }
                        _ => return Err(bad()),
                    }
                }
                AnswerValue::Choices(chosen)
            }
            (ItemKind::Rating { scale, .. }, Json::Number(n)) => match n.as_u64() {
                Some(r) if (1..=u64::from(*scale)).contains(&r) => AnswerValue::Rating(r as u8),
                _ => return Err(bad()),
            },
            (ItemKind::Text { .. }, Json::String(s)) => AnswerValue::Text(s.clone()),
            (ItemKind::SignOff { .. }, Json::String(s)) => AnswerValue::SignOff(s.clone()),
            _ => return Err(bad()),
        };
        Ok(value)
    }

    /// Does this answer equal a `when`'s value? For multi_choice: is the option among those chosen.
    pub fn matches(&self, expected: &ConditionValue) -> bool {
        match (self, expected) {
            (AnswerValue::Number(n), ConditionValue::Number(x)) => n == x,
            (AnswerValue::Rating(r), ConditionValue::Number(x)) => f64::from(*r) == *x,
            (AnswerValue::Choices(ids), ConditionValue::Word(w)) => ids.contains(w),
            (value, ConditionValue::Word(w)) => value.word() == Some(w.as_str()),
            _ => false,
        }
    }

    fn word(&self) -> Option<&str> {
        Some(match self {
            AnswerValue::Done => "done",
            AnswerValue::Pass => "pass",
            AnswerValue::Fail => "fail",
            AnswerValue::Yes => "yes",
            AnswerValue::No => "no",
            AnswerValue::Na => "na",
            AnswerValue::Choice(id) => id,
            AnswerValue::Text(t) | AnswerValue::SignOff(t) => t,
            _ => return None,
        })
    }
}

/// The outcome of an answer, by the rules of SPEC section 3.
pub fn outcome(item: &Item, value: &AnswerValue) -> Outcome {
    match (&item.kind, value) {
        (_, AnswerValue::Na) => Outcome::Na,
        (ItemKind::Check, _) => Outcome::Pass,
        (ItemKind::PassFail, AnswerValue::Fail) => Outcome::Fail,
        (ItemKind::PassFail, _) => Outcome::Pass,
        (ItemKind::YesNo { expect: None }, _) => Outcome::Info,
        (
            ItemKind::YesNo {
                expect: Some(expect),
            },
            value,
        ) => {
            let answered = if *value == AnswerValue::Yes {
                YesNo::Yes
            } else {
                YesNo::No
            };
            if answered == *expect {
                Outcome::Pass
            } else {
                Outcome::Fail
            }
        }
        (ItemKind::Number { min, max, .. }, AnswerValue::Number(n)) => {
            let low = min.is_some_and(|min| *n < min);
            let high = max.is_some_and(|max| *n > max);
            if low || high {
                Outcome::Fail
            } else {
                Outcome::Pass
            }
        }
        (ItemKind::Choice { options }, AnswerValue::Choice(id)) => {
            if options.iter().any(|o| &o.id == id && o.fail) {
                Outcome::Fail
            } else {
                Outcome::Pass
            }
        }
        (ItemKind::MultiChoice { options }, AnswerValue::Choices(ids)) => {
            if options.iter().any(|o| o.fail && ids.contains(&o.id)) {
                Outcome::Fail
            } else {
                Outcome::Pass
            }
        }
        (ItemKind::Rating { pass_at, .. }, AnswerValue::Rating(r)) => {
            if r >= pass_at {
                Outcome::Pass
            } else {
                Outcome::Fail
            }
        }
        _ => Outcome::Info,
    }
}

impl From<OutcomeName> for Outcome {
    fn from(name: OutcomeName) -> Self {
        match name {
            OutcomeName::Pass => Outcome::Pass,
            OutcomeName::Fail => Outcome::Fail,
            OutcomeName::Na => Outcome::Na,
        }
    }
}
