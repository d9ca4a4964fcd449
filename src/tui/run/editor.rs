//! Checking typed values as they are typed: numbers (with unit, range and decimals),
//! texts (pattern, length) and signatures.

use crate::checklist::{Item, ItemKind};
use crate::tui::strings::Strings;
use crate::visit::AnswerValue;

/// What the value typed so far would be, told to the technician under the input.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Would be saved; `fails` when it is recorded but outside the range.
    Valid { value: AnswerValue, fails: bool },
    /// Cannot be saved yet, with why.
    Invalid(&'static str),
}

pub fn check(item: &Item, typed: &str, s: &Strings) -> Verdict {
    use crate::visit::TypedProblem;
    match crate::visit::check_typed(item, typed) {
        Ok((value, fails)) => Verdict::Valid { value, fails },
        Err(problem) => Verdict::Invalid(match problem {
            TypedProblem::UseNaKey => s.use_na_key,
            TypedProblem::Empty => s.empty_value,
            TypedProblem::NotANumber => s.not_a_number,
            TypedProblem::TooManyDecimals => s.too_many_decimals,
            TypedProblem::TooLong => s.text_too_long,
            TypedProblem::Pattern => s.text_pattern,
        }),
    }
}

/// The allowed range of a number item as text, e.g. `200–240 V`.
pub fn range_text(item: &Item) -> Option<String> {
    let ItemKind::Number { min, max, unit, .. } = &item.kind else {
        return None;
    };
    let unit = unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    match (min, max) {
        (Some(lo), Some(hi)) => Some(format!("{lo}–{hi}{unit}")),
        (Some(lo), None) => Some(format!("≥ {lo}{unit}")),
        (None, Some(hi)) => Some(format!("≤ {hi}{unit}")),
        (None, None) => None,
    }
}

/// An answer's value as shown on screen.
pub fn show_value(
    item: &Item,
    value: &AnswerValue,
    ui_lang: &str,
    default_lang: Option<&str>,
    s: &Strings,
) -> String {
    let words = crate::present::AnswerWords {
        done: s.done,
        pass: s.pass,
        fail: s.fail,
        yes: s.yes,
        no: s.no,
        na: s.na,
        list_separator: s.list_separator,
    };
    crate::present::answer_text(item, value, ui_lang, default_lang, &words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::parse_str;
    use crate::tui::strings::EN;

    fn item(yaml_item: &str) -> Item {
        let source = format!(
            "sitecheck: 1\nid: t\nversion: \"1\"\ntitle: T\nsections:\n  - id: s\n    title: S\n    items:\n      - {yaml_item}\n"
        );
        let checklist = parse_str(&source).checklist.expect("valid checklist");
        checklist.sections[0].items[0].clone()
    }

    #[test]
    fn numbers_show_out_of_range_as_a_failure_while_typed() {
        let volts = item("{ id: v, prompt: V, kind: number, min: 200, max: 240, decimals: 1 }");
        assert_eq!(
            check(&volts, "230,5", &EN),
            Verdict::Valid {
                value: AnswerValue::Number(230.5),
                fails: false
            }
        );
        assert_eq!(
            check(&volts, "250", &EN),
            Verdict::Valid {
                value: AnswerValue::Number(250.0),
                fails: true
            }
        );
        assert_eq!(
            check(&volts, "230.55", &EN),
            Verdict::Invalid(EN.too_many_decimals)
        );
        assert_eq!(check(&volts, "abc", &EN), Verdict::Invalid(EN.not_a_number));
    }

    #[test]
    fn a_typed_na_is_refused_only_where_it_would_read_back_as_na() {
        let with_na = item("{ id: t, prompt: T, kind: text, allow_na: true }");
        let without = item("{ id: t, prompt: T, kind: text }");
        assert_eq!(check(&with_na, "na", &EN), Verdict::Invalid(EN.use_na_key));
        assert!(matches!(
            check(&with_na, "NA box", &EN),
            Verdict::Valid { .. }
        ));
        assert!(matches!(check(&without, "na", &EN), Verdict::Valid { .. }));
    }
}
