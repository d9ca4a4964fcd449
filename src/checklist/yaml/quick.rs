//! The quick way to read an ordinary checklist file: the YAML parser's events straight into
//! the node tree, without serde-saphyr's deserializer and its per-node `Spanned` wrapping
//! (which was most of the cost of reading a checklist: `lint`, starting a visit, resuming).
//!
//! It only takes what it is sure to read exactly as the full path does: no anchors, aliases
//! or tags, one document, plain scalars that are plainly text or simple numbers, no key
//! written twice, well inside the budgets. Anything else — errors above all — returns
//! `None`, and the full path reads the file and words the messages. A test checks that both
//! paths agree on every file the quick one accepts.

use std::borrow::Cow;

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span, StrInput};

use super::{MAX_DEPTH, MAX_NODES, Node, Pos, Value};

/// The file as a node tree, when it is ordinary YAML (see the module header).
pub fn read(source: &str) -> Option<Node> {
    let mut reader = Reader {
        parser: Parser::new_from_str(source),
        nodes: 0,
    };
    matches!(reader.next()?.0, Event::StreamStart).then_some(())?;
    matches!(reader.next()?.0, Event::DocumentStart(..)).then_some(())?;
    let (event, span) = reader.next()?;
    let root = reader.node(event, &span, 0)?;
    matches!(reader.next()?.0, Event::DocumentEnd).then_some(())?;
    matches!(reader.next()?.0, Event::StreamEnd).then_some(())?;
    Some(root)
}

struct Reader<'a> {
    parser: Parser<'a, StrInput<'a>>,
    nodes: usize,
}

impl<'a> Reader<'a> {
    /// The next event that is not a comment.
    fn next(&mut self) -> Option<(Event<'a>, Span)> {
        loop {
            match self.parser.next_event()?.ok()? {
                (Event::Comment(..), _) => continue,
                other => return Some(other),
            }
        }
    }

    fn node(&mut self, event: Event<'a>, span: &Span, depth: usize) -> Option<Node> {
        self.nodes += 1;
        // Near a budget the full path decides, and says why.
        if self.nodes >= MAX_NODES || depth + 2 >= MAX_DEPTH {
            return None;
        }
        let pos = Pos::new(
            u32::try_from(span.start.line()).ok()?,
            u32::try_from(span.start.col() + 1).ok()?,
        );
        let value = match event {
            Event::Scalar(text, style, 0, None) => scalar(text, style)?,
            Event::SequenceStart(_, 0, None) => {
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event, &span, depth + 1)?);
                }
                Value::Seq(items)
            }
            Event::MappingStart(_, 0, None) => {
                let mut entries: Vec<(Node, Node)> = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::MappingEnd) {
                        break;
                    }
                    let key = self.node(event, &span, depth + 1)?;
                    // A key written twice, or that might be taken as such, or a merge key.
                    let text = key_text(&key.value)?;
                    if text == "<<" || entries.iter().any(|(k, _)| key_text_eq(&k.value, &text)) {
                        return None;
                    }
                    let (event, span) = self.next()?;
                    let value = self.node(event, &span, depth + 1)?;
                    entries.push((key, value));
                }
                Value::Map(entries)
            }
            _ => return None,
        };
        Some(Node { value, pos })
    }
}

/// A scalar as the full path types it, when that is certain: quoted and block scalars are
/// text; plain ones are null, true/false, a simple integer or decimal, or text that no
/// number spelling matches (numbers are digits, letters and `_+-.`, and start with a digit,
/// a sign or a point).
fn scalar(text: Cow<str>, style: ScalarStyle) -> Option<Value> {
    if !matches!(style, ScalarStyle::Plain) {
        return Some(Value::Str(text.into_owned()));
    }
    let t = text.as_ref();
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let numeral = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-' | b'.');
    let starts_like_number = t
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'));
    if starts_like_number && t.bytes().all(numeral) {
        return number(t);
    }
    Some(Value::Str(text.into_owned()))
}

/// `-12`, `0`, `2.5`, `-0.25`: digits without leading zeros, at most one point. Any other
/// spelling (`+1`, `1e3`, `0x1f`, `1_000`, `.5`, `007`) is left to the full path.
fn number(t: &str) -> Option<Value> {
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    match fraction {
        None if whole.len() <= 18 => t.parse().ok().map(Value::Int),
        Some(fraction) if all_digits(fraction) => t.parse().ok().map(Value::Float),
        _ => None,
    }
}

/// A key's text, for spotting keys written twice; `None` for keys that are not scalars.
fn key_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::Str(s) => Some(Cow::Borrowed(s)),
        Value::Null => Some(Cow::Borrowed("")),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        Value::Int(i) => Some(Cow::Owned(i.to_string())),
        Value::Float(f) => Some(Cow::Owned(f.to_string())),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

/// Loose on purpose: `1` and `"1"`, `true` and `"true"` count as the same key here, and
/// the full path then decides.
fn key_text_eq(value: &Value, text: &str) -> bool {
    key_text(value).is_none_or(|k| k.eq_ignore_ascii_case(text))
}

#[cfg(test)]
mod tests {
    use super::super::read_full;
    use super::*;
    use crate::checklist::library::BUNDLED;

    /// Whatever the quick path reads, the full path reads the same, positions included.
    fn same_as_full(source: &str) -> bool {
        match read(source) {
            Some(node) => {
                assert_eq!(Ok(node), read_full(source), "{source}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_the_bundled_checklists_as_the_full_path_does() {
        for (name, source) in BUNDLED {
            assert!(same_as_full(source), "{name} took the full path");
        }
    }

    #[test]
    fn agrees_with_the_full_path_on_every_shape_it_takes() {
        let taken = [
            "a: 1\nb:\n  - x\n  - { c: true }\n",
            "v: \"2024.1\"\nw: 2024.1\nx: -3\ny: 0\nz: -0.25\n",
            "t: [true, True, TRUE, false, null, Null, NULL, ~]\nempty:\n",
            "zh: 上门服务出示上岗证\nmixed: 1个证件\nspaced: 12 min\ntime: \"12:30\"\n",
            "k: yes\nn: no\ny: Y\nid: haier-12345\nlang: zh-CN\n",
            "# a comment\nlist:\n  - a   # trailing\n  -   b\n  - 'single ''quoted'''\n",
            "block: |\n  line one\n  line two\nfolded: >-\n  folded\n  text\n",
            "plain: a long plain\n  scalar over lines\n",
            "flow: {a: 1, b: [x, y], 'c d': \"e\\tf\"}\n",
            "nested:\n  - id: a\n    items:\n      - { id: b, when: { item: a, is: \"no\" } }\n",
            "url: http://example.com/a?b=c\npath: /usr/bin\nnote: -- see the manual\n",
            "- top\n- level\n- list\n",
            "just a scalar\n",
            "\"1\": quoted number key\n2: int key\n",
        ];
        for source in taken {
            assert!(same_as_full(source), "took the full path: {source}");
        }
        // Left to the full path: it reads them, or says what is wrong.
        let left = [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "1: a\n\"1\": b\n",
            "<<: {a: 1}\n",
            "a: 1\n---\nb: 2\n",
            "",
            "# only a comment\n",
            "a: [1, 2\n",
            "a:\n\t- b\n",
            "? [a, b]\n: c\n",
            "n: 0x1f\nm: 1e3\no: 1_000\np: .5\nq: +1\nr: 007\ns: .inf\nt: -.nan\n",
        ];
        for source in left {
            assert!(!same_as_full(source), "taken: {source}");
        }
        for scalar in [
            "1.",
            "1.5e-3",
            "-0",
            "00",
            "-",
            "+",
            ".",
            "1-2",
            "0b101",
            "0o17",
            "inf",
            "nan",
            "Infinity",
            "deg(90)",
            "1e999",
            "123456789012345678901234567890",
            "9223372036854775807",
            "-9223372036854775808",
            "12:30:00",
            "2026-11-23",
            "1.2.3",
            "-.5",
            "--1",
        ] {
            same_as_full(&format!("k: {scalar}\n"));
            same_as_full(&format!("- {scalar}\n"));
        }
    }

    proptest::proptest! {
        /// Plain scalars of number-like characters: typed as the full path types them.
        #[test]
        fn numbers_and_words_agree(scalar in "[-+.0-9a-zA-Z_ ]{1,10}") {
            same_as_full(&format!("k: {scalar}\n"));
        }
    }
}
