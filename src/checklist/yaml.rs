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

/// Reads YAML text into a node tree, refusing oversized, too deep or alias-heavy input.
pub fn read(source: &str) -> Result<Node, ReadError> {
    if source.len() > MAX_FILE_BYTES {
        return Err(ReadError {
            pos: Pos::new(1, 1),
            message: format!(
                "file is {} bytes; a checklist may be at most {} bytes (1 MiB) — split it into several checklists",
                source.len(),
                MAX_FILE_BYTES
            ),
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
        Err(err) => Err(read_error(&err)),
    }
}

fn read_error(err: &serde_saphyr::Error) -> ReadError {
    let pos = err
        .location()
        .map(Pos::from_location)
        .filter(|p| p.line > 0)
        .unwrap_or(Pos::new(1, 1));
    let text = err.without_snippet().to_string();
    // serde-saphyr appends its own position; ours is printed in front already.
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let message = first
        .split(" at line ")
        .next()
        .unwrap_or(first)
        .trim_end_matches('.')
        .to_string();
    let message = if message.contains("budget") || message.contains("limit") {
        format!(
            "{message} — the file is too deeply nested or uses too many aliases to be a checklist"
        )
    } else {
        format!("invalid YAML: {message}")
    };
    ReadError { pos, message }
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
}
