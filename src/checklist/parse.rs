//! Turns a YAML node tree into a [`Checklist`], collecting every problem on the way.
//!
//! Each check reports and carries on, so that `lint` lists all mistakes of a file at once.

use std::collections::{BTreeSet, HashMap};

use sha2::{Digest, Sha256};

use super::model::*;
use super::problem::Problem;
use super::text::{Text, is_language_tag};
use super::yaml::{self, Node, Pos, Value};

/// The checklist format version this build reads.
pub const FORMAT_VERSION: i64 = 1;

pub(crate) const TOP_KEYS: &[&str] = &[
    "sitecheck",
    "id",
    "version",
    "title",
    "description",
    "languages",
    "pass_score",
    "visit_fields",
    "sections",
    "targets",
];
pub(crate) const FIELD_KEYS: &[&str] = &[
    "id", "label", "kind", "required", "pattern", "options", "help",
];
pub(crate) const SECTION_KEYS: &[&str] = &["id", "title", "when", "items"];
pub(crate) const ITEM_COMMON_KEYS: &[&str] = &[
    "id",
    "prompt",
    "kind",
    "required",
    "allow_na",
    "severity",
    "weight",
    "help",
    "note",
    "when",
    "evidence",
    "evidence_max_mb",
];
pub(crate) const OPTION_KEYS: &[&str] = &["id", "label", "fail", "exclusive"];
pub(crate) const WHEN_KEYS: &[&str] = &["item", "is", "in", "outcome"];
pub(crate) const TARGET_KEYS: &[&str] = &["name", "item", "at_least", "rate"];
pub(crate) const ITEM_KINDS: &[&str] = &[
    "check",
    "pass_fail",
    "yes_no",
    "number",
    "choice",
    "multi_choice",
    "rating",
    "text",
    "sign_off",
];
pub(crate) const FIELD_KINDS: &[&str] = &["text", "number", "date", "datetime", "choice"];

/// What a list of options belongs to: only a multi_choice item's options may be `exclusive`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OptionsOf {
    Field,
    Choice,
    MultiChoice,
}

const EXCLUSIVE_ON_CHOICE: &str = "\"exclusive\" is only for options of multi_choice items — a choice item takes one option, so choosing one already clears the others";
const EXCLUSIVE_ON_FIELD: &str = "\"exclusive\" is only for options of multi_choice items — a choice field takes one option, so choosing one already clears the others";

/// Keys that only some item kinds take, and which.
pub(crate) fn kind_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "yes_no" => &["expect"],
        "number" => &["unit", "min", "max", "decimals"],
        "choice" | "multi_choice" => &["options"],
        "rating" => &["scale", "pass_at"],
        "text" => &["pattern", "max_len"],
        "sign_off" => &["signer"],
        _ => &[],
    }
}

fn kinds_taking(key: &str) -> Vec<&'static str> {
    ITEM_KINDS
        .iter()
        .copied()
        .filter(|kind| kind_keys(kind).contains(&key))
        .collect()
}

/// The outcome of reading a checklist: the checklist when it has no errors, and every
/// problem found (errors and warnings), in file order.
#[derive(Debug)]
pub struct Parsed {
    pub checklist: Option<Checklist>,
    pub problems: Vec<Problem>,
}

/// Reads checklist YAML text. Never panics, whatever the text.
pub fn parse_str(source: &str) -> Parsed {
    parse_with(source, Parser::default())
}

/// Parses a checklist as a visit log recorded it. What an earlier version accepted must
/// still load, or visits recorded with it would become unreadable: a `weight` outside
/// today's bounds (0, or huge) is taken within them instead of refused.
pub fn parse_recorded(source: &str) -> Parsed {
    parse_with(
        source,
        Parser {
            recorded: true,
            ..Parser::default()
        },
    )
}

fn parse_with(source: &str, mut parser: Parser) -> Parsed {
    let root = match yaml::read(source) {
        Ok(root) => root,
        Err(err) => {
            return Parsed {
                checklist: None,
                problems: vec![Problem::error(err.pos, err.message)],
            };
        }
    };
    let checklist = parser.checklist(&root, source);
    parser.check_translations(checklist.as_ref());
    let mut problems = parser.problems;
    problems.sort_by_key(|p| p.pos);
    let has_errors = problems.iter().any(Problem::is_error);
    Parsed {
        checklist: checklist.filter(|_| !has_errors),
        problems,
    }
}

/// A map node's entries by key, for a parser that wants to look keys up and flag the rest.
struct Entries<'a> {
    pos: Pos,
    entries: Vec<(&'a str, &'a Node)>,
    /// Known keys that an unknown key was reported as a likely misspelling of: such a key is
    /// not reported missing as well.
    misspelt: Vec<&'static str>,
}

impl<'a> Entries<'a> {
    fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }
}

#[derive(Default)]
struct Parser {
    problems: Vec<Problem>,
    /// Every translated text's position, key and languages, for the missing-translation warning.
    texts: Vec<(Pos, String, Vec<String>)>,
    /// Every item id written in the file, in order, gathered before the items are read: a
    /// `when` or a target on a misspelt id can then be told from one on a later item.
    written_items: Vec<String>,
    /// Reading a checklist a visit log recorded (see `parse_recorded`).
    recorded: bool,
}

impl Parser {
    fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.problems.push(Problem::error(pos, message));
    }

    /// Reads a map, reporting keys outside `allowed` (with a suggestion when one is close).
    fn entries<'a>(
        &mut self,
        node: &'a Node,
        what: &str,
        allowed: &[&'static str],
    ) -> Option<Entries<'a>> {
        let Value::Map(pairs) = &node.value else {
            self.error(
                node.pos,
                format!(
                    "{what} must be a map of keys, found {}",
                    node.value.kind_name()
                ),
            );
            return None;
        };
        let mut entries = Vec::with_capacity(pairs.len());
        let mut misspelt = Vec::new();
        for (key, value) in pairs {
            let Value::Str(name) = &key.value else {
                self.error(key.pos, format!("keys of {what} must be text"));
                continue;
            };
            entries.push((name.as_str(), value));
            if !allowed.contains(&name.as_str()) {
                misspelt.extend(self.unknown_key(key.pos, name, what, allowed));
            }
        }
        Some(Entries {
            pos: node.pos,
            entries,
            misspelt,
        })
    }

    /// Reports an unknown key; the known key it is likely a misspelling of, if any.
    fn unknown_key(
        &mut self,
        pos: Pos,
        name: &str,
        what: &str,
        allowed: &[&'static str],
    ) -> Option<&'static str> {
        let closest = closest_word(name, allowed);
        let message = match closest {
            Some(key) => format!("unknown key \"{name}\" in {what} — did you mean \"{key}\"?"),
            None => format!(
                "unknown key \"{name}\" in {what}; the keys are: {}",
                allowed.join(", ")
            ),
        };
        self.error(pos, message);
        closest
    }

    fn required<'a>(
        &mut self,
        entries: &Entries<'a>,
        key: &str,
        what: &str,
        hint: &str,
    ) -> Option<&'a Node> {
        let node = entries.get(key);
        if node.is_none() && !entries.misspelt.contains(&key) {
            self.error(
                entries.pos,
                format!("{what} is missing \"{key}\" — add {hint}"),
            );
        }
        node
    }

    fn string(&mut self, node: &Node, key: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            other => {
                self.error(
                    node.pos,
                    format!("\"{key}\" must be text, found {}", other.kind_name()),
                );
                None
            }
        }
    }

    fn id(&mut self, node: &Node, what: &str) -> Option<String> {
        let id = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            other => {
                self.error(
                    node.pos,
                    format!("the id of {what} must be text, found {}", other.kind_name()),
                );
                return None;
            }
        };
        if !is_id(&id) {
            self.error(
                node.pos,
                format!(
                    "id \"{id}\" is not valid — use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit"
                ),
            );
            return None;
        }
        Some(id)
    }

    /// Reads the id of a map that must have one (a field, section, option, item), and how
    /// later messages name the map: `section "credential"`, or `a section` without an id.
    fn identify(
        &mut self,
        entries: &Entries,
        what: &str,
        example: &str,
    ) -> (Option<String>, String) {
        let unnamed = named(what, None);
        let hint = format!("an id such as `id: {example}`");
        let id = self
            .required(entries, "id", &unnamed, &hint)
            .and_then(|n| self.id(n, &unnamed));
        let name = named(what, id.as_deref());
        (id, name)
    }

    fn boolean(&mut self, node: Option<&Node>, key: &str, default: bool) -> bool {
        match node.map(|n| (&n.value, n.pos)) {
            None => default,
            Some((Value::Bool(b), _)) => *b,
            Some((other, pos)) => {
                self.error(
                    pos,
                    format!("\"{key}\" must be true or false, found {}", describe(other)),
                );
                default
            }
        }
    }

    fn number(&mut self, node: Option<&Node>, key: &str) -> Option<f64> {
        let node = node?;
        match node.value {
            Value::Int(n) => Some(n as f64),
            Value::Float(f) if f.is_finite() => Some(f),
            ref other => {
                self.error(
                    node.pos,
                    format!("\"{key}\" must be a number, found {}", describe(other)),
                );
                None
            }
        }
    }

    /// An item's `weight`: more than 0 (a weight of 0 would let the item fail unseen) and at
    /// most [`MAX_WEIGHT`]. The bound keeps the score's sums finite: two items at 1.7e308 sum
    /// to infinity, and inf / inf made the score NaN. A checklist is at most 1 MiB, so about
    /// 50,000 items, whose weights then add up to less than 1e11.
    fn weight(&mut self, node: Option<&Node>) -> Option<f64> {
        let w = self.number(node, "weight")?;
        let pos = node.map_or(Pos::default(), |n| n.pos);
        let max = MAX_WEIGHT;
        if self.recorded {
            // A weight of 0 counts for nothing; a huge one is held where sums stay finite.
            return Some(w.clamp(0.0, MAX_WEIGHT));
        }
        if w <= 0.0 {
            self.error(
                pos,
                format!(
                    "\"weight\" is {}; it must be more than 0 (and at most {max}) — minor items weigh 1, major 2, critical 4",
                    shown(w)
                ),
            );
            None
        } else if w > MAX_WEIGHT {
            self.error(
                pos,
                format!(
                    "\"weight\" is {}; it must be at most {max} (and more than 0) — larger weights can overflow the score",
                    shown(w)
                ),
            );
            None
        } else {
            Some(w)
        }
    }

    fn whole(
        &mut self,
        node: Option<&Node>,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let node = node?;
        match node.value {
            Value::Int(n) if range.contains(&n) => Some(n),
            Value::Int(n) => {
                self.error(
                    node.pos,
                    format!(
                        "\"{key}\" is {n}; it must be from {} to {}",
                        range.start(),
                        range.end()
                    ),
                );
                None
            }
            ref other => {
                self.error(
                    node.pos,
                    format!(
                        "\"{key}\" must be a whole number, found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    /// One of a fixed set of words (`severity`, `note`, `kind` ...).
    fn word<'w>(&mut self, node: &Node, key: &str, words: &[&'w str]) -> Option<&'w str> {
        let Value::Str(s) = &node.value else {
            self.error(
                node.pos,
                format!(
                    "\"{key}\" must be one of {}, found {}",
                    words.join(" | "),
                    describe(&node.value)
                ),
            );
            return None;
        };
        if let Some(word) = words.iter().find(|w| **w == s) {
            return Some(word);
        }
        let suggestion = closest_word(s, words)
            .map(|w| format!(" — did you mean \"{w}\"?"))
            .unwrap_or_default();
        self.error(
            node.pos,
            format!(
                "\"{key}\" is \"{s}\"; it must be one of {}{suggestion}",
                words.join(" | ")
            ),
        );
        None
    }

    fn text(&mut self, node: &Node, key: &str) -> Text {
        match &node.value {
            Value::Str(s) if s.trim().is_empty() => {
                self.error(node.pos, format!("\"{key}\" is empty"));
                Text::Empty
            }
            Value::Str(s) => Text::Plain(s.clone()),
            Value::Map(pairs) if pairs.is_empty() => {
                self.error(node.pos, format!("\"{key}\" has no text in any language"));
                Text::Empty
            }
            Value::Map(pairs) => {
                let mut translated = Vec::with_capacity(pairs.len());
                for (lang, text) in pairs {
                    let Value::Str(tag) = &lang.value else {
                        self.error(
                            lang.pos,
                            format!("language tags in \"{key}\" must be text like en or zh-CN"),
                        );
                        continue;
                    };
                    if !is_language_tag(tag) {
                        self.error(
                            lang.pos,
                            format!("\"{tag}\" is not a language tag — write it like en, zh-CN or zh-Hant-TW"),
                        );
                        continue;
                    }
                    match &text.value {
                        Value::Str(s) if s.trim().is_empty() => {
                            self.error(text.pos, format!("the {tag} text of \"{key}\" is empty"));
                        }
                        Value::Str(s) => translated.push((tag.clone(), s.clone())),
                        other => self.error(
                            text.pos,
                            format!(
                                "the {tag} text of \"{key}\" must be text, found {}",
                                other.kind_name()
                            ),
                        ),
                    }
                }
                self.texts.push((
                    node.pos,
                    key.to_owned(),
                    translated.iter().map(|(l, _)| l.clone()).collect(),
                ));
                Text::Translated(translated)
            }
            scalar @ (Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
                self.error(
                    node.pos,
                    format!(
                        "\"{key}\" must be text, but {} reads as {} — quote it to keep it as text, e.g. {key}: \"{}\"",
                        describe(scalar),
                        scalar.kind_name(),
                        describe(scalar)
                    ),
                );
                Text::Empty
            }
            other => {
                self.error(
                    node.pos,
                    format!(
                        "\"{key}\" must be text or a map of language to text (en: ..., zh-CN: ...), found {}",
                        other.kind_name()
                    ),
                );
                Text::Empty
            }
        }
    }

    fn optional_text(&mut self, node: Option<&Node>, key: &str) -> Text {
        node.map(|n| self.text(n, key)).unwrap_or_default()
    }

    fn pattern(&mut self, node: Option<&Node>) -> Option<Pattern> {
        let node = node?;
        let source = self.string(node, "pattern")?;
        match regex::RegexBuilder::new(&source)
            .size_limit(1 << 20)
            .build()
        {
            Ok(regex) => Some(Pattern { source, regex }),
            Err(err) => {
                let detail = err
                    .to_string()
                    .lines()
                    .rev()
                    .find(|l| l.starts_with("error:"))
                    .map(|l| l.trim_start_matches("error:").trim().to_string())
                    .unwrap_or_else(|| "it does not compile".into());
                self.error(node.pos, format!("invalid pattern \"{source}\": {detail}"));
                None
            }
        }
    }

    fn list<'a>(&mut self, node: Option<&'a Node>, key: &str) -> &'a [Node] {
        match node.map(|n| (&n.value, n.pos)) {
            None | Some((Value::Null, _)) => &[],
            Some((Value::Seq(items), _)) => items,
            Some((other, pos)) => {
                self.error(
                    pos,
                    format!("\"{key}\" must be a list, found {}", other.kind_name()),
                );
                &[]
            }
        }
    }

    fn checklist(&mut self, root: &Node, source: &str) -> Option<Checklist> {
        let top = self.entries(root, "the checklist", TOP_KEYS)?;
        let format = match self.required(
            &top,
            "sitecheck",
            "the checklist",
            "`sitecheck: 1` as its first line",
        ) {
            Some(node) => match node.value {
                Value::Int(FORMAT_VERSION) => FORMAT_VERSION as u32,
                Value::Int(n) => {
                    self.error(
                        node.pos,
                        format!("checklist format {n} is not known; this sitecheck reads format 1"),
                    );
                    return None;
                }
                ref other => {
                    self.error(
                        node.pos,
                        format!(
                            "\"sitecheck\" must be the format version 1, found {}",
                            describe(other)
                        ),
                    );
                    return None;
                }
            },
            None => 0,
        };
        let id_node = self.required(
            &top,
            "id",
            "the checklist",
            "an id such as `id: haier-12345`",
        );
        let id_pos = id_node.map_or(top.pos, |n| n.pos);
        let id = id_node.and_then(|n| self.id(n, "the checklist"));
        let version = self
            .required(&top, "version", "the checklist", "your version of it, e.g. `version: \"2026.1\"`")
            .and_then(|node| match &node.value {
                Value::Str(s) if !s.is_empty() => Some(s.clone()),
                Value::Int(n) => Some(n.to_string()),
                Value::Float(_) => {
                    self.error(node.pos, "\"version\" reads as a number — quote it so it stays as written, e.g. version: \"2024.10\"");
                    None
                }
                other => {
                    self.error(node.pos, format!("\"version\" must be text, found {}", describe(other)));
                    None
                }
            });
        let title = match self.required(&top, "title", "the checklist", "a title") {
            Some(node) => self.text(node, "title"),
            None => Text::Empty,
        };
        let description = self.optional_text(top.get("description"), "description");
        let languages = self.languages(top.get("languages"));
        let pass_score = match self.number(top.get("pass_score"), "pass_score") {
            Some(score) if (0.0..=1.0).contains(&score) => score,
            Some(score) => {
                let pos = top.get("pass_score").map_or(top.pos, |n| n.pos);
                self.error(
                    pos,
                    format!(
                        "\"pass_score\" is {}; it is a share from 0 to 1, e.g. 0.8 for 80%",
                        shown(score)
                    ),
                );
                DEFAULT_PASS_SCORE
            }
            None => DEFAULT_PASS_SCORE,
        };
        let visit_fields = self.fields(top.get("visit_fields"));
        let sections_node = self.required(
            &top,
            "sections",
            "the checklist",
            "a list of sections with items",
        );
        self.written_items = written_item_ids(sections_node);
        let sections = self.sections(sections_node);
        if let Some(node) = sections_node
            && match &node.value {
                Value::Null => true,
                Value::Seq(list) => list.is_empty(),
                _ => false,
            }
        {
            self.error(
                node.pos,
                "\"sections\" is empty — add at least one section with items",
            );
        }
        let targets = self.targets(top.get("targets"));
        Some(Checklist {
            format,
            id: id?,
            id_pos,
            version: version?,
            title,
            description,
            languages,
            pass_score,
            visit_fields,
            sections,
            targets,
            source: source.to_owned(),
            sha256: sha256_hex(source.as_bytes()),
        })
    }

    fn languages(&mut self, node: Option<&Node>) -> Vec<String> {
        let mut languages = Vec::new();
        for lang in self.list(node, "languages") {
            match &lang.value {
                Value::Str(tag) if is_language_tag(tag) => {
                    if languages.contains(tag) {
                        self.error(lang.pos, format!("language \"{tag}\" is listed twice"));
                    } else {
                        languages.push(tag.clone());
                    }
                }
                Value::Str(tag) => self.error(
                    lang.pos,
                    format!(
                        "\"{tag}\" is not a language tag — write it like en, zh-CN or zh-Hant-TW"
                    ),
                ),
                other => self.error(
                    lang.pos,
                    format!(
                        "languages must be tags like en or zh-CN, found {}",
                        other.kind_name()
                    ),
                ),
            }
        }
        languages
    }

    fn fields(&mut self, node: Option<&Node>) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        let mut seen = HashMap::new();
        for node in self.list(node, "visit_fields") {
            let Some(entries) = self.entries(
                node,
                &named("visit field", written_id(node).as_deref()),
                FIELD_KEYS,
            ) else {
                continue;
            };
            let (id, what) = self.identify(&entries, "visit field", "work_order");
            let label = match self.required(&entries, "label", &what, "a label") {
                Some(n) => self.text(n, "label"),
                None => Text::Empty,
            };
            let kind = self
                .required(
                    &entries,
                    "kind",
                    &what,
                    "`kind: text` (text | number | date | datetime | choice)",
                )
                .and_then(|n| self.word(n, "kind", FIELD_KINDS))
                .map(|k| match k {
                    "number" => FieldKind::Number,
                    "date" => FieldKind::Date,
                    "datetime" => FieldKind::Datetime,
                    "choice" => FieldKind::Choice,
                    _ => FieldKind::Text,
                });
            let required = self.boolean(entries.get("required"), "required", false);
            let pattern = self.pattern(entries.get("pattern"));
            if let (Some(node), Some(kind)) = (entries.get("pattern"), kind)
                && kind != FieldKind::Text
            {
                self.error(node.pos, "\"pattern\" is only for text fields");
            }
            let options = self.options(entries.get("options"), OptionsOf::Field);
            match (kind, entries.get("options")) {
                (Some(FieldKind::Choice), None) => self.error(
                    entries.pos,
                    "a choice field is missing \"options\" — add a list of {id, label}",
                ),
                (Some(k), Some(node)) if k != FieldKind::Choice => {
                    self.error(node.pos, "\"options\" is only for choice fields")
                }
                _ => {}
            }
            let help = self.optional_text(entries.get("help"), "help");
            if let Some(id) = &id {
                self.unique(&mut seen, id, entries.pos, "visit field");
            }
            if let (Some(id), Some(kind)) = (id, kind) {
                fields.push(Field {
                    id,
                    label,
                    kind,
                    required,
                    pattern,
                    options,
                    help,
                    pos: entries.pos,
                });
            }
        }
        fields
    }

    fn unique(&mut self, seen: &mut HashMap<String, Pos>, id: &str, pos: Pos, what: &str) {
        if let Some(first) = seen.get(id) {
            let first = *first;
            self.error(
                pos,
                format!("duplicate {what} id \"{id}\" — it is already used at {first}"),
            );
        } else {
            seen.insert(id.to_owned(), pos);
        }
    }

    fn options(&mut self, node: Option<&Node>, of: OptionsOf) -> Vec<ChoiceOption> {
        let mut options = Vec::new();
        let mut seen = HashMap::new();
        let list = self.list(node, "options");
        if let Some(node) = node
            && list.is_empty()
            && matches!(node.value, Value::Seq(_) | Value::Null)
        {
            self.error(
                node.pos,
                "\"options\" is empty — add at least one {id, label}",
            );
        }
        for node in list {
            let Some(entries) = self.entries(
                node,
                &named("option", written_id(node).as_deref()),
                OPTION_KEYS,
            ) else {
                continue;
            };
            let (id, what) = self.identify(&entries, "option", "ok");
            let label = match self.required(&entries, "label", &what, "a label") {
                Some(n) => self.text(n, "label"),
                None => Text::Empty,
            };
            let fail = self.boolean(entries.get("fail"), "fail", false);
            let exclusive = match (of, entries.get("exclusive")) {
                (OptionsOf::MultiChoice, node) => self.boolean(node, "exclusive", false),
                (_, None) => false,
                (OptionsOf::Field, Some(node)) => {
                    self.error(node.pos, EXCLUSIVE_ON_FIELD);
                    false
                }
                (OptionsOf::Choice, Some(node)) => {
                    self.error(node.pos, EXCLUSIVE_ON_CHOICE);
                    false
                }
            };
            if let Some(id) = id {
                if id == "na" {
                    let pos = entries.get("id").map_or(entries.pos, |n| n.pos);
                    self.error(pos, "option id \"na\" is reserved for N/A — use allow_na: true on the item instead");
                    continue;
                }
                self.unique(&mut seen, &id, entries.pos, "option");
                options.push(ChoiceOption {
                    id,
                    label,
                    fail,
                    exclusive,
                });
            }
        }
        options
    }

    fn sections(&mut self, node: Option<&Node>) -> Vec<Section> {
        let mut sections = Vec::new();
        let mut section_ids = HashMap::new();
        let mut item_ids = HashMap::new();
        // Items read so far, in file order: a `when` may only point back at these.
        let mut earlier: Vec<Item> = Vec::new();
        for node in self.list(node, "sections") {
            let Some(entries) = self.entries(
                node,
                &named("section", written_id(node).as_deref()),
                SECTION_KEYS,
            ) else {
                continue;
            };
            let (id, what) = self.identify(&entries, "section", "credential");
            let title = match self.required(&entries, "title", &what, "a title") {
                Some(n) => self.text(n, "title"),
                None => Text::Empty,
            };
            let when = entries
                .get("when")
                .and_then(|n| self.condition(n, &earlier, None));
            let mut items = Vec::new();
            let items_node = self.required(&entries, "items", &what, "a list of items");
            let item_nodes = self.list(items_node, "items");
            if let Some(node) = items_node
                && item_nodes.is_empty()
                && matches!(node.value, Value::Null | Value::Seq(_))
            {
                self.error(
                    node.pos,
                    format!("{what} has no items — add at least one item or remove the section"),
                );
            }
            for item_node in item_nodes {
                if let Some(item) = self.item(item_node, &earlier) {
                    self.unique(&mut item_ids, &item.id, item.pos, "item");
                    earlier.push(item.clone());
                    items.push(item);
                }
            }
            if let Some(id) = &id {
                self.unique(&mut section_ids, id, entries.pos, "section");
            }
            if let Some(id) = id {
                sections.push(Section {
                    id,
                    title,
                    when,
                    items,
                    pos: entries.pos,
                });
            }
        }
        sections
    }

    fn item(&mut self, node: &Node, earlier: &[Item]) -> Option<Item> {
        // The kind decides which keys are allowed, so read it before checking keys.
        let kind_name = match &node.value {
            Value::Map(pairs) => pairs.iter().find_map(|(k, v)| match (&k.value, &v.value) {
                (Value::Str(k), Value::Str(v))
                    if k == "kind" && ITEM_KINDS.contains(&v.as_str()) =>
                {
                    Some(v.clone())
                }
                _ => None,
            }),
            _ => None,
        };
        let mut allowed: Vec<&str> = ITEM_COMMON_KEYS.to_vec();
        match kind_name.as_deref() {
            Some(kind) => allowed.extend(kind_keys(kind)),
            None => allowed.extend(ITEM_KINDS.iter().flat_map(|k| kind_keys(k))),
        }
        let entries = self.entries(node, &named("item", written_id(node).as_deref()), &allowed)?;
        if let Some(kind) = kind_name.as_deref() {
            self.misplaced_kind_keys(node, kind);
        }
        let (id, what) = self.identify(&entries, "item", "badge");
        let prompt = match self.required(
            &entries,
            "prompt",
            &what,
            "a prompt: the question the technician answers",
        ) {
            Some(n) => self.text(n, "prompt"),
            None => Text::Empty,
        };
        let kind_node = self.required(
            &entries,
            "kind",
            &what,
            &format!("a kind: {}", ITEM_KINDS.join(" | ")),
        );
        let kind = kind_node
            .and_then(|n| self.word(n, "kind", ITEM_KINDS))
            .and_then(|k| self.item_kind(k, &entries, &what));
        let required = self.boolean(entries.get("required"), "required", true);
        let allow_na = self.boolean(entries.get("allow_na"), "allow_na", false);
        let severity = entries
            .get("severity")
            .and_then(|n| self.word(n, "severity", &["minor", "major", "critical"]))
            .map_or(Severity::Major, |s| match s {
                "minor" => Severity::Minor,
                "critical" => Severity::Critical,
                _ => Severity::Major,
            });
        let weight = self.weight(entries.get("weight"));
        let help = self.optional_text(entries.get("help"), "help");
        let note = entries
            .get("note")
            .and_then(|n| self.word(n, "note", &["never", "optional", "on_fail", "always"]))
            .map_or(NotePolicy::Optional, |s| match s {
                "never" => NotePolicy::Never,
                "on_fail" => NotePolicy::OnFail,
                "always" => NotePolicy::Always,
                _ => NotePolicy::Optional,
            });
        let evidence = entries
            .get("evidence")
            .and_then(|n| self.word(n, "evidence", &["never", "optional", "on_fail", "always"]))
            .map_or(EvidencePolicy::Optional, |s| match s {
                "never" => EvidencePolicy::Never,
                "on_fail" => EvidencePolicy::OnFail,
                "always" => EvidencePolicy::Always,
                _ => EvidencePolicy::Optional,
            });
        let evidence_max_mb = self.evidence_max_mb(entries.get("evidence_max_mb"));
        if let (EvidencePolicy::Never, Some(node)) = (evidence, entries.get("evidence_max_mb")) {
            self.problems.push(Problem::warning(
                node.pos,
                "\"evidence_max_mb\" has no effect on an item with `evidence: never` — remove one of them",
            ));
        }
        let when = entries
            .get("when")
            .and_then(|n| self.condition(n, earlier, id.as_deref()));
        Some(Item {
            id: id?,
            prompt,
            kind: kind?,
            required,
            allow_na,
            severity,
            weight,
            help,
            note,
            evidence,
            evidence_max_mb,
            when,
            pos: entries.pos,
        })
    }

    /// An item's `evidence_max_mb`: more than 0 and at most `MAX_EVIDENCE_MAX_MB`.
    fn evidence_max_mb(&mut self, node: Option<&Node>) -> f64 {
        match (node, self.number(node, "evidence_max_mb")) {
            (Some(node), Some(mb)) if !(mb > 0.0 && mb <= MAX_EVIDENCE_MAX_MB) => {
                self.error(
                    node.pos,
                    format!(
                        "\"evidence_max_mb\" is {mb}; it must be more than 0 and at most {MAX_EVIDENCE_MAX_MB} (megabytes of one file)"
                    ),
                );
                DEFAULT_EVIDENCE_MAX_MB
            }
            (_, Some(mb)) => mb,
            (_, None) => DEFAULT_EVIDENCE_MAX_MB,
        }
    }

    /// A key of another kind (`unit` on a pass_fail item) gets a message naming its kind.
    fn misplaced_kind_keys(&mut self, node: &Node, kind: &str) {
        let Value::Map(pairs) = &node.value else {
            return;
        };
        for (key, _) in pairs {
            let Value::Str(name) = &key.value else {
                continue;
            };
            if ITEM_COMMON_KEYS.contains(&name.as_str()) || kind_keys(kind).contains(&name.as_str())
            {
                continue;
            }
            let kinds = kinds_taking(name);
            if !kinds.is_empty() {
                // `entries` already reported it as unknown; make that message precise.
                if let Some(p) = self.problems.iter_mut().rev().find(|p| p.pos == key.pos) {
                    p.message = format!(
                        "\"{name}\" is not a key of {kind} items; it is for {} items",
                        kinds.join(" and ")
                    );
                }
            }
        }
    }

    fn item_kind(&mut self, kind: &str, entries: &Entries, what: &str) -> Option<ItemKind> {
        Some(match kind {
            "check" => ItemKind::Check,
            "pass_fail" => ItemKind::PassFail,
            "yes_no" => {
                let expect = entries.get("expect").and_then(|n| match &n.value {
                    Value::Bool(true) => Some(YesNo::Yes),
                    Value::Bool(false) => Some(YesNo::No),
                    _ => self
                        .word(n, "expect", &["yes", "no"])
                        .map(|w| if w == "yes" { YesNo::Yes } else { YesNo::No }),
                });
                ItemKind::YesNo { expect }
            }
            "number" => {
                let unit = entries.get("unit").and_then(|n| match &n.value {
                    Value::Str(s) => Some(s.clone()),
                    _ => self.string(n, "unit"),
                });
                let min = self.number(entries.get("min"), "min");
                let max = self.number(entries.get("max"), "max");
                if let (Some(lo), Some(hi), Some(node)) = (min, max, entries.get("min"))
                    && lo > hi
                {
                    self.error(
                        node.pos,
                        format!(
                            "\"min\" ({lo}) is greater than \"max\" ({hi}) — no value could pass"
                        ),
                    );
                }
                let decimals = self
                    .whole(entries.get("decimals"), "decimals", 0..=6)
                    .map(|d| d as u8);
                ItemKind::Number {
                    unit,
                    min,
                    max,
                    decimals,
                }
            }
            "choice" | "multi_choice" => {
                let node = entries.get("options");
                if node.is_none() {
                    self.error(
                        entries.pos,
                        format!(
                            "{what} is a {kind} but has no \"options\" — add a list of {{id, label}}"
                        ),
                    );
                }
                let of = if kind == "choice" {
                    OptionsOf::Choice
                } else {
                    OptionsOf::MultiChoice
                };
                let options = self.options(node, of);
                if kind == "choice" {
                    ItemKind::Choice { options }
                } else {
                    ItemKind::MultiChoice { options }
                }
            }
            "rating" => {
                let scale = self
                    .whole(entries.get("scale"), "scale", 2..=10)
                    .map_or(DEFAULT_RATING_SCALE, |s| s as u8);
                let pass_at = self
                    .whole(entries.get("pass_at"), "pass_at", 1..=i64::from(scale))
                    .map_or(DEFAULT_RATING_PASS_AT.min(scale), |p| p as u8);
                ItemKind::Rating { scale, pass_at }
            }
            "text" => {
                let pattern = self.pattern(entries.get("pattern"));
                let max_len = self
                    .whole(entries.get("max_len"), "max_len", 1..=100_000)
                    .map(|n| n as usize);
                ItemKind::Text { pattern, max_len }
            }
            "sign_off" => ItemKind::SignOff {
                signer: self.optional_text(entries.get("signer"), "signer"),
            },
            _ => return None,
        })
    }

    /// Reads a `when`, checking it points at an earlier item and a value that item can take.
    fn condition(
        &mut self,
        node: &Node,
        earlier: &[Item],
        own_id: Option<&str>,
    ) -> Option<Condition> {
        let entries = self.entries(node, "a when", WHEN_KEYS)?;
        let item_node = self.required(
            &entries,
            "item",
            "a when",
            "the id of an earlier item, e.g. `item: drain_test`",
        )?;
        let item_id = self.id(item_node, "the item a when refers to")?;
        let tests: Vec<&str> = ["is", "in", "outcome"]
            .into_iter()
            .filter(|k| entries.get(k).is_some())
            .collect();
        if tests.len() != 1 {
            self.error(
                entries.pos,
                "a when needs exactly one of \"is\", \"in\" or \"outcome\" — e.g. when: { item: drain_test, is: fail }",
            );
            return None;
        }
        let Some(target) = earlier.iter().find(|i| i.id == item_id) else {
            let message = if own_id == Some(item_id.as_str()) {
                format!(
                    "when refers to the item \"{item_id}\" itself — it can only depend on an earlier item"
                )
            } else if self.written_items.contains(&item_id) {
                format!(
                    "when refers to \"{item_id}\", which comes later in the file — a when may only look back at earlier items"
                )
            } else {
                let ids: Vec<&str> = earlier.iter().map(|i| i.id.as_str()).collect();
                let hint = closest_word(&item_id, &ids)
                    .map(|id| format!(" — did you mean \"{id}\"?"))
                    .unwrap_or_default();
                format!(
                    "when refers to \"{item_id}\", which is not an item of this checklist{hint}"
                )
            };
            self.error(item_node.pos, message);
            return None;
        };
        let test = match tests[0] {
            "is" => {
                let node = entries.get("is")?;
                ConditionTest::Is(self.condition_value(node, target)?)
            }
            "in" => {
                let node = entries.get("in")?;
                let Value::Seq(values) = &node.value else {
                    self.error(
                        node.pos,
                        format!(
                            "\"in\" must be a list of values like [a, b], found {} — for a single value, use \"is\"",
                            node.value.kind_name()
                        ),
                    );
                    return None;
                };
                if values.is_empty() {
                    self.error(node.pos, "\"in\" is empty — list at least one value");
                    return None;
                }
                let values: Vec<_> = values
                    .iter()
                    .filter_map(|v| self.condition_value(v, target))
                    .collect();
                ConditionTest::In(values)
            }
            _ => {
                let node = entries.get("outcome")?;
                let word = self.word(node, "outcome", &["pass", "fail", "na"])?;
                let outcome = match word {
                    "pass" => OutcomeName::Pass,
                    "fail" => OutcomeName::Fail,
                    _ => OutcomeName::Na,
                };
                if let Some(reason) = impossible_outcome(target, outcome) {
                    self.error(
                        node.pos,
                        format!(
                            "item \"{}\" {reason}, so this when can never hold",
                            target.id
                        ),
                    );
                    return None;
                }
                ConditionTest::Outcome(outcome)
            }
        };
        Some(Condition {
            item: item_id,
            test,
            pos: entries.pos,
        })
    }

    fn condition_value(&mut self, node: &Node, target: &Item) -> Option<ConditionValue> {
        // An option id or a text may look like a number (`id: 1`, `is: 1`); compare as written.
        let by_word = matches!(
            target.kind,
            ItemKind::Choice { .. }
                | ItemKind::MultiChoice { .. }
                | ItemKind::Text { .. }
                | ItemKind::SignOff { .. }
        );
        let value = match &node.value {
            Value::Int(n) if by_word => ConditionValue::Word(n.to_string()),
            Value::Float(f) if by_word => ConditionValue::Word(f.to_string()),
            Value::Str(s) => ConditionValue::Word(s.clone()),
            Value::Bool(true) => ConditionValue::Word("yes".into()),
            Value::Bool(false) => ConditionValue::Word("no".into()),
            Value::Int(n) => ConditionValue::Number(*n as f64),
            Value::Float(f) => ConditionValue::Number(*f),
            other => {
                self.error(
                    node.pos,
                    format!(
                        "a when compares with a word or a number, found {}",
                        other.kind_name()
                    ),
                );
                return None;
            }
        };
        if let Some(expected) = impossible_value(target, &value) {
            let shown = match &value {
                ConditionValue::Word(w) => format!("\"{w}\""),
                ConditionValue::Number(n) => n.to_string(),
            };
            self.error(
                node.pos,
                format!(
                    "item \"{}\" ({}) can never be {shown}; it takes {expected}",
                    target.id,
                    target.kind.name()
                ),
            );
            return None;
        }
        Some(value)
    }

    fn targets(&mut self, node: Option<&Node>) -> Vec<Target> {
        let mut targets = Vec::new();
        for node in self.list(node, "targets") {
            let Some(entries) = self.entries(node, "a target", TARGET_KEYS) else {
                continue;
            };
            let name = self
                .required(
                    &entries,
                    "name",
                    "a target",
                    "a name such as `name: satisfaction`",
                )
                .and_then(|n| self.string(n, "name"));
            let item = self
                .required(
                    &entries,
                    "item",
                    "a target",
                    "the id of the item it measures",
                )
                .and_then(|n| self.id(n, "the item a target measures"));
            if let (Some(id), Some(node)) = (&item, entries.get("item"))
                && !self.written_items.contains(id)
            {
                let ids: Vec<&str> = self.written_items.iter().map(String::as_str).collect();
                let hint = closest_word(id, &ids)
                    .map(|id| format!(" — did you mean \"{id}\"?"))
                    .unwrap_or_default();
                self.error(
                    node.pos,
                    format!("target item \"{id}\" is not an item of this checklist{hint}"),
                );
            }
            let at_least = self.number(entries.get("at_least"), "at_least");
            let rate_node = self.required(
                &entries,
                "rate",
                "a target",
                "the share of visits to reach, e.g. `rate: 0.75`",
            );
            let rate = self.number(rate_node, "rate");
            if let (Some(r), Some(node)) = (rate, rate_node)
                && !(0.0..=1.0).contains(&r)
            {
                self.error(
                    node.pos,
                    format!(
                        "\"rate\" is {}; it is a share from 0 to 1, e.g. 0.75 for 75%",
                        shown(r)
                    ),
                );
            }
            if let (Some(name), Some(item), Some(rate)) = (name, item, rate) {
                targets.push(Target {
                    name,
                    item,
                    at_least,
                    rate,
                });
            }
        }
        targets
    }

    /// Warns about texts missing a language that other texts of the file have.
    fn check_translations(&mut self, _checklist: Option<&Checklist>) {
        let all: BTreeSet<&String> = self.texts.iter().flat_map(|(_, _, langs)| langs).collect();
        let mut warnings = Vec::new();
        for (pos, key, langs) in &self.texts {
            for lang in &all {
                if !langs.contains(lang) {
                    warnings.push(Problem::warning(
                        *pos,
                        format!(
                            "\"{key}\" has no {lang} text, though other texts in this file have one"
                        ),
                    ));
                }
            }
        }
        self.problems.extend(warnings);
    }
}

/// The `id` of a map node as written, before it is checked.
fn written_id(node: &Node) -> Option<String> {
    let Value::Map(pairs) = &node.value else {
        return None;
    };
    pairs.iter().find_map(|(k, v)| match (&k.value, &v.value) {
        (Value::Str(k), Value::Str(id)) if k == "id" => Some(id.clone()),
        (Value::Str(k), Value::Int(n)) if k == "id" => Some(n.to_string()),
        _ => None,
    })
}

/// The ids of every item under `sections`, in file order, whatever else is wrong there.
fn written_item_ids(sections: Option<&Node>) -> Vec<String> {
    let Some(Value::Seq(sections)) = sections.map(|n| &n.value) else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    for section in sections {
        let Value::Map(pairs) = &section.value else {
            continue;
        };
        for (key, value) in pairs {
            if let (Value::Str(key), Value::Seq(items)) = (&key.value, &value.value)
                && key == "items"
            {
                ids.extend(items.iter().filter_map(written_id));
            }
        }
    }
    ids
}

/// How a message names a section, item, field or option: by its id once that is known.
fn named(what: &str, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("{what} \"{id}\""),
        None if what.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {what}"),
        None => format!("a {what}"),
    }
}

/// The word an author most likely meant: same letters in another case, or a close spelling
/// (a typo or two, fewer for short words, so `x` does not suggest `id`).
fn closest_word<'w>(written: &str, words: &[&'w str]) -> Option<&'w str> {
    let lower = written.to_lowercase();
    if let Some(word) = words.iter().find(|w| **w == lower) {
        return Some(word);
    }
    words
        .iter()
        .map(|w| (strsim::damerau_levenshtein(&lower, w), *w))
        .filter(|(distance, w)| *distance <= (lower.len().min(w.len()) / 3).clamp(1, 2))
        .min()
        .map(|(_, w)| w)
}

/// A number as a message shows it: `1.7e308` rather than 309 digits.
fn shown(n: f64) -> String {
    if n != 0.0 && !(1e-6..1e15).contains(&n.abs()) {
        format!("{n:e}")
    } else {
        n.to_string()
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Str(s) => format!("text \"{s}\""),
        Value::Int(n) => n.to_string(),
        Value::Float(f) => shown(*f),
        Value::Bool(b) => b.to_string(),
        other => other.kind_name().to_string(),
    }
}

/// Why `target` can never have `outcome`, if it cannot.
fn impossible_outcome(target: &Item, outcome: OutcomeName) -> Option<&'static str> {
    let informational = matches!(
        target.kind,
        ItemKind::Text { .. } | ItemKind::SignOff { .. } | ItemKind::YesNo { expect: None }
    );
    match outcome {
        OutcomeName::Na if !target.allow_na => Some("does not allow N/A (add allow_na: true)"),
        OutcomeName::Pass | OutcomeName::Fail if informational => {
            Some("only records information and never passes or fails")
        }
        OutcomeName::Fail if matches!(target.kind, ItemKind::Check) => {
            Some("is a check and never fails")
        }
        _ => None,
    }
}

/// What `target` can take, if `value` is not among it.
fn impossible_value(target: &Item, value: &ConditionValue) -> Option<String> {
    let na = if target.allow_na { ", na" } else { "" };
    let word = match value {
        ConditionValue::Word(w) => Some(w.as_str()),
        ConditionValue::Number(_) => None,
    };
    if word == Some("na") {
        return (!target.allow_na).then(|| "no N/A (add allow_na: true to it)".to_string());
    }
    match &target.kind {
        ItemKind::Check => (word != Some("done")).then(|| format!("done{na}")),
        ItemKind::PassFail => {
            (!matches!(word, Some("pass" | "fail"))).then(|| format!("pass, fail{na}"))
        }
        ItemKind::YesNo { .. } => {
            (!matches!(word, Some("yes" | "no"))).then(|| format!("yes, no{na}"))
        }
        ItemKind::Choice { options } | ItemKind::MultiChoice { options } => {
            let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
            (!word.is_some_and(|w| ids.contains(&w)))
                .then(|| format!("one of its options: {}{na}", ids.join(", ")))
        }
        ItemKind::Number { .. } => word.map(|_| format!("a number{na}")),
        ItemKind::Rating { scale, .. } => match value {
            ConditionValue::Number(n)
                if *n >= 1.0 && *n <= f64::from(*scale) && n.fract() == 0.0 =>
            {
                None
            }
            _ => Some(format!("a whole number from 1 to {scale}{na}")),
        },
        ItemKind::Text { .. } | ItemKind::SignOff { .. } => None,
    }
}

pub fn is_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checklist(items: &str) -> String {
        format!(
            "sitecheck: 1\nid: t\nversion: \"1\"\ntitle: T\nsections:\n  - id: s\n    title: S\n    items:\n{items}"
        )
    }

    fn errors(source: &str) -> Vec<String> {
        parse_str(source)
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| format!("{}: {}", p.pos, p.message))
            .collect()
    }

    #[test]
    fn a_when_on_a_numeric_option_id_compares_as_written() {
        let source = checklist(
            "      - { id: floor, prompt: Floor, kind: choice, options: [{ id: 1, label: Ground }, { id: 2, label: First }] }\n      - { id: stairs, prompt: Stairs, kind: check, when: { item: floor, is: 2 } }\n",
        );
        let parsed = parse_str(&source);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let checklist = parsed.checklist.unwrap();
        let when = checklist.item("stairs").unwrap().when.clone().unwrap();
        assert_eq!(
            when.test,
            ConditionTest::Is(ConditionValue::Word("2".into()))
        );
    }

    #[test]
    fn a_misspelt_required_key_is_reported_once() {
        let source = checklist("      - { id: a, promt: Badge, kind: check }\n");
        assert_eq!(
            errors(&source),
            ["9:18: unknown key \"promt\" in item \"a\" — did you mean \"prompt\"?"]
        );
    }

    #[test]
    fn a_number_where_text_belongs_says_to_quote_it() {
        let source = checklist("      - { id: a, prompt: 220, kind: check }\n");
        assert_eq!(
            errors(&source),
            [
                "9:26: \"prompt\" must be text, but 220 reads as a whole number — quote it to keep it as text, e.g. prompt: \"220\""
            ]
        );
    }

    #[test]
    fn a_when_on_a_missing_item_suggests_the_closest_earlier_one() {
        let source = checklist(
            "      - { id: drain_test, prompt: Drain, kind: pass_fail }\n      - { id: cause, prompt: Why, kind: text, when: { item: drain_tst, outcome: fail } }\n",
        );
        assert_eq!(
            errors(&source),
            [
                "10:61: when refers to \"drain_tst\", which is not an item of this checklist — did you mean \"drain_test\"?"
            ]
        );
    }

    #[test]
    fn an_exclusive_option_may_also_fail() {
        let source = checklist(
            "      - id: charged\n        prompt: Charged\n        kind: multi_choice\n        options:\n          - { id: none, label: Nothing, exclusive: true }\n          - { id: unlisted, label: Unlisted, fail: true, exclusive: true }\n          - { id: pipe, label: Pipe }\n",
        );
        let parsed = parse_str(&source);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let checklist = parsed.checklist.unwrap();
        let options = checklist.item("charged").unwrap().kind.options();
        let flags: Vec<(bool, bool)> = options.iter().map(|o| (o.fail, o.exclusive)).collect();
        assert_eq!(flags, [(false, true), (true, true), (false, false)]);
        // Written back only where it is true.
        let json = serde_json::to_value(&options[2]).unwrap();
        assert_eq!(json, serde_json::json!({ "id": "pipe", "label": "Pipe" }));
    }

    #[test]
    fn exclusive_false_on_a_choice_item_is_still_refused() {
        let source = checklist(
            "      - { id: wall, prompt: Wall, kind: choice, options: [{ id: brick, label: Brick, exclusive: false }] }\n",
        );
        assert_eq!(errors(&source), [format!("9:97: {EXCLUSIVE_ON_CHOICE}")]);
    }

    #[test]
    fn weights_are_more_than_0_and_at_most_a_million() {
        let weighted = |w: &str| {
            checklist(&format!(
                "      - {{ id: a, prompt: A, kind: check, weight: {w} }}\n"
            ))
        };
        for ok in ["1e-9", "0.5", "3", "1000000", "1e6"] {
            assert!(errors(&weighted(ok)).is_empty(), "{ok}");
        }
        for bad in ["0", "-0.0", "-2", "1000000.5", "1e7", "1.7e308"] {
            assert_eq!(errors(&weighted(bad)).len(), 1, "{bad}");
        }
    }

    #[test]
    fn huge_numbers_are_shown_short() {
        assert_eq!(shown(1.7e308), "1.7e308");
        assert_eq!(shown(-2.5e20), "-2.5e20");
        assert_eq!(shown(1e-9), "1e-9");
        assert_eq!(shown(1000000.0), "1000000");
        assert_eq!(shown(0.75), "0.75");
        assert_eq!(shown(0.0), "0");
    }

    #[test]
    fn closest_word_needs_a_real_resemblance() {
        assert_eq!(closest_word("requried", ITEM_COMMON_KEYS), Some("required"));
        assert_eq!(closest_word("Prompt", ITEM_COMMON_KEYS), Some("prompt"));
        assert_eq!(closest_word("x", TOP_KEYS), None);
        assert_eq!(closest_word("colour", SECTION_KEYS), None);
    }
}
