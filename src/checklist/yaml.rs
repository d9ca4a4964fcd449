//! A YAML document as a tree of nodes that each know their `line:column`.
//!
//! The checklist is not deserialised straight into Rust types: serde stops at the first
//! error, and an author wants every mistake of a file in one `lint` run. So the file is read
//! (with serde-saphyr and tight budgets) into this small tree first, and `parse` walks it.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

mod quick;

/// Largest checklist file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Deepest nesting accepted; a checklist needs about eight levels.
const MAX_DEPTH: usize = 32;
/// Most YAML nodes accepted; a 1,000-item checklist has about 15,000.
const MAX_NODES: usize = 200_000;
/// Most aliases accepted; checklists rarely need any.
const MAX_ALIASES: usize = 1_000;
/// Most YAML events that aliases may repeat in all: enough for a shared options list used
/// a hundred times, and it stops an alias bomb long before `MAX_NODES` would.
const MAX_REPLAYED: usize = 20_000;

/// A `line:column` position in a file, both 1-based.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32) -> Self {
        Self { line, col }
    }

    fn from_location(loc: serde_saphyr::Location) -> Self {
        Self {
            line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
            col: u32::try_from(loc.column()).unwrap_or(u32::MAX),
        }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// One YAML node and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in file order; duplicate keys are refused by the reader.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What this node is, in the words an author would use.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a true/false value",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }
}

/// Why a YAML file could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    pub pos: Pos,
    pub message: String,
}

/// The message for a file over [`MAX_FILE_BYTES`], the same whether the size is seen on disk
/// or in memory.
pub fn too_big_message(len: u64) -> String {
    format!(
        "file is {len} bytes; a checklist may be at most {MAX_FILE_BYTES} bytes (1 MiB) — split it into several checklists"
    )
}

/// Reads YAML text into a node tree, refusing oversized, too deep or alias-heavy input.
pub fn read(source: &str) -> Result<Node, ReadError> {
    if source.len() > MAX_FILE_BYTES {
        return Err(ReadError {
            pos: Pos::new(1, 1),
            message: too_big_message(source.len() as u64),
        });
    }
    // Ordinary files are read straight from the parser's events, at about half the cost;
    // anything else, errors included, takes the full path below, which words the messages.
    if let Some(node) = quick::read(source) {
        return Ok(node);
    }
    read_full(source)
}

/// Reads YAML text with serde-saphyr (the budgets are checked by the caller's size test and
/// these options).
fn read_full(source: &str) -> Result<Node, ReadError> {
    // YAML 1.2 booleans only: `label: Y` or `expect: no` must stay text, as written.
    let options = serde_saphyr::options! {
        strict_booleans: true,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED,
            max_replay_stack_depth: MAX_DEPTH,
        },
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ALIASES,
            max_documents: 1,
            max_total_scalar_bytes: MAX_FILE_BYTES,
            flow_nesting_limit: MAX_DEPTH,
        },
    };
    match serde_saphyr::from_str_with_options::<Option<Spanned<Value>>>(source, options) {
        Ok(Some(spanned)) => Ok(node_from(spanned)),
        Ok(None) => Err(ReadError {
            pos: Pos::new(1, 1),
            message: "the file is empty; a checklist starts with `sitecheck: 1`".into(),
        }),
        Err(err) => Err(read_error(&err, source)),
    }
}

/// Turns serde-saphyr's error into a message for a checklist author: the budgets and the
/// common slips (a tab, a bracket left open, a key written twice) in plain words.
fn read_error(err: &serde_saphyr::Error, source: &str) -> ReadError {
    use serde_saphyr::Error as E;
    let pos = err
        .location()
        .map(Pos::from_location)
        .filter(|p| p.line > 0)
        .unwrap_or(Pos::new(1, 1));
    let mut inner = err.without_snippet();
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let message = match inner {
        E::Budget { breach, .. } => budget_message(breach),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => format!(
            "the file's aliases (*name) repeat more than {MAX_REPLAYED} YAML values — far more than a checklist needs; aliases of aliases (an \"alias bomb\") are refused"
        ),
        E::DuplicateMappingKey { key: Some(key), .. } => {
            format!("\"{key}\" is written twice in the same map — keep only one")
        }
        E::DuplicateMappingKey { key: None, .. } => {
            "a key is written twice in the same map — keep only one".into()
        }
        E::UnknownAnchor { .. } => match alias_at(source, pos) {
            Some(name) => {
                format!("invalid YAML: the alias *{name} has no anchor &{name} before it")
            }
            None => "invalid YAML: this alias (*name) has no anchor (&name) before it".into(),
        },
        E::NonFiniteFloat { value, .. } => {
            format!("{value} is not a number a checklist can use — write a finite number")
        }
        _ => {
            let text = inner.to_string();
            // serde-saphyr appends its own position; ours is printed in front already.
            let first = text.lines().next().unwrap_or("invalid YAML").trim();
            let message = first
                .split(" at line ")
                .next()
                .unwrap_or(first)
                .trim_end_matches('.');
            if message.contains("recursion limit") {
                depth_message()
            } else if message.contains("tab") {
                if let Some(tab) = indenting_tab(source, pos) {
                    return ReadError {
                        pos: tab,
                        message:
                            "invalid YAML: a tab indents this line — YAML indents with spaces only"
                                .into(),
                    };
                }
                format!("invalid YAML: {message}")
            } else if let Some((open, bracket)) = unclosed_flow(source, pos)
                && open.line < pos.line
            {
                return ReadError {
                    pos: open,
                    message: format!(
                        "invalid YAML: this `{bracket}` is never closed (reading stopped at {pos}: {message})"
                    ),
                };
            } else {
                format!("invalid YAML: {message}")
            }
        }
    };
    ReadError { pos, message }
}

fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Depth { .. } => depth_message(),
        B::Nodes { .. } => format!(
            "the file has more than {MAX_NODES} YAML values, counting each use of an alias — far more than a checklist needs, so it is refused"
        ),
        B::Aliases { .. } | B::Anchors { .. } => format!(
            "the file uses more than {MAX_ALIASES} anchors or aliases (&name, *name) — a checklist rarely needs any, so it is refused"
        ),
        B::ScalarBytes { .. } => format!(
            "the text of the file adds up to more than {MAX_FILE_BYTES} bytes once its aliases are expanded — repeating text by alias (an \"alias bomb\") is refused"
        ),
        B::Documents { .. } => {
            "the file holds more than one YAML document (a `---` line starts another) — a checklist file is one document".into()
        }
        _ => "the file is too large or too complex to be a checklist".into(),
    }
}

fn depth_message() -> String {
    format!(
        "the file is nested more than {MAX_DEPTH} levels deep — a checklist needs about eight, so it is refused"
    )
}

/// The name of the alias (`*name`) written at `at`.
fn alias_at(source: &str, at: Pos) -> Option<&str> {
    let line = source.lines().nth((at.line as usize).checked_sub(1)?)?;
    let start = line
        .char_indices()
        .nth((at.col as usize).checked_sub(1)?)?
        .0;
    let rest = line[start..].strip_prefix('*')?;
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// A tab in the leading whitespace of the error's line or a line next to it: YAML parsers
/// complain about it in many ways (often from the line before), none of which says "use spaces".
fn indenting_tab(source: &str, at: Pos) -> Option<Pos> {
    let line = at.line as usize;
    [line, line + 1, line.saturating_sub(1)]
        .into_iter()
        .filter(|l| *l > 0)
        .find_map(|l| {
            let text = source.lines().nth(l - 1)?;
            let indent = text.len() - text.trim_start().len();
            let col = text[..indent].find('\t')?;
            Some(Pos::new(l as u32, col as u32 + 1))
        })
}

/// The innermost `[` or `{` still open at `at`, if any. The YAML reader notices a bracket
/// left open only where the file stops making sense, often lines later; the author needs
/// the bracket. Approximate on purpose: it only looks at brackets that start a value.
fn unclosed_flow(source: &str, at: Pos) -> Option<(Pos, char)> {
    let mut open: Vec<(Pos, char)> = Vec::new();
    let mut quote: Option<char> = None;
    // Indentation of a `|` or `>` block scalar being skipped: its lines are plain text.
    let mut block_scalar: Option<usize> = None;
    for (index, line) in source.lines().enumerate().take(at.line as usize) {
        let line_no = index as u32 + 1;
        let indent = line.len() - line.trim_start().len();
        if let Some(block) = block_scalar {
            if line.trim().is_empty() || indent > block {
                continue;
            }
            block_scalar = None;
        }
        let chars: Vec<char> = line.chars().collect();
        let end = if line_no == at.line {
            (at.col as usize).saturating_sub(1).min(chars.len())
        } else {
            chars.len()
        };
        // Does the next character start a value (after indentation, `: `, `- `, `,`, `[` ...)?
        let mut value_start = true;
        for (col, &c) in chars[..end].iter().enumerate() {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                    value_start = false;
                }
                continue;
            }
            match c {
                '#' if col == 0 || chars[col - 1].is_whitespace() => break,
                '"' | '\'' if value_start => quote = Some(c),
                '[' | '{' if value_start || !open.is_empty() => {
                    open.push((Pos::new(line_no, col as u32 + 1), c));
                }
                ']' | '}' if !open.is_empty() => {
                    open.pop();
                }
                '|' | '>' if value_start && open.is_empty() => {
                    block_scalar = Some(indent);
                    break;
                }
                _ => {}
            }
            value_start = match c {
                ' ' | '\t' => value_start || col > 0 && matches!(chars[col - 1], ':' | '-' | '?'),
                ',' | '[' | '{' => true,
                ':' if !open.is_empty() => true,
                _ => false,
            };
        }
    }
    open.pop()
}

fn node_from(spanned: Spanned<Value>) -> Node {
    Node {
        value: spanned.value,
        pos: Pos::from_location(spanned.referenced),
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Int)
            .map_err(|_| E::custom("number too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(node_from(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Value>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            entries.push((node_from(key), node_from(value)));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let node = read("a: 1\nb:\n  - x\n  - { c: true }\n").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.pos, Pos::new(1, 1));
        assert_eq!(entries[0].1.value, Value::Int(1));
        assert_eq!(entries[0].1.pos, Pos::new(1, 4));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("not a list")
        };
        assert_eq!(items[0].pos, Pos::new(3, 5));
        assert_eq!(items[1].pos.line, 4);
    }

    #[test]
    fn quoted_numbers_stay_text() {
        let node = read("v: \"2024.1\"\nw: 2024.1\n").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].1.value, Value::Str("2024.1".into()));
        assert_eq!(entries[1].1.value, Value::Float(2024.1));
    }

    #[test]
    fn refuses_deep_nesting_and_alias_bombs() {
        let deep = "[".repeat(100_000);
        assert!(read(&deep).is_err());
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..20 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(read(&bomb).is_err());
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let err = read("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(err.pos.line >= 2, "{err:?}");
        assert!(err.message.starts_with("invalid YAML"), "{err:?}");
    }

    #[test]
    fn points_at_a_bracket_left_open_lines_before() {
        let err = read(
            "a: [x, y
b: 1
",
        )
        .unwrap_err();
        assert_eq!(err.pos, Pos::new(1, 4), "{err:?}");
        assert!(err.message.contains("`[` is never closed"), "{err:?}");
    }

    #[test]
    fn brackets_inside_text_are_not_flow_collections() {
        let source = "a: text with [ in it\nb: 'quoted [ too'\nc: |\n  [ in a block\nd: [ok]\ne: {x: [1, 2]}\n";
        assert_eq!(unclosed_flow(source, Pos::new(6, 1)), None);
        assert_eq!(
            unclosed_flow("a:\n  - [x,\n     y\n", Pos::new(3, 6)),
            Some((Pos::new(2, 5), '['))
        );
    }

    #[test]
    fn names_a_tab_in_the_indentation() {
        let err = read("a:\n  b: 1\n\tc: 2\n").unwrap_err();
        assert_eq!(err.pos, Pos::new(3, 1), "{err:?}");
        assert!(err.message.contains("spaces only"), "{err:?}");
    }

    #[test]
    fn plain_words_for_budgets_duplicates_and_aliases() {
        let deep = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(
            read(&deep)
                .unwrap_err()
                .message
                .contains("nested more than 32 levels")
        );
        let two = read("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(
            two.message.contains("more than one YAML document"),
            "{two:?}"
        );
        let dup = read("a: 1\na: 2\n").unwrap_err();
        assert_eq!(dup.pos, Pos::new(2, 1));
        assert!(dup.message.contains("\"a\" is written twice"), "{dup:?}");
        let alias = read("a: *nowhere\n").unwrap_err();
        assert!(
            alias.message.contains("*nowhere has no anchor"),
            "{alias:?}"
        );
        let big = "#".repeat(MAX_FILE_BYTES + 1);
        assert!(
            read(&big)
                .unwrap_err()
                .message
                .contains("at most 1048576 bytes")
        );
    }
}
