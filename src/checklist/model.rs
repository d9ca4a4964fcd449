//! The checklist format's types, as the rest of sitecheck sees them once a file is read.

use serde::Serialize;

use super::text::Text;
use super::yaml::Pos;

/// A checklist, read and checked. `source` is the YAML text it came from, kept whole so a
/// visit log can carry it and be read without the file.
#[derive(Clone, Debug, Serialize)]
pub struct Checklist {
    #[serde(rename = "sitecheck")]
    pub format: u32,
    pub id: String,
    /// Where the id is written, for messages about the whole checklist.
    #[serde(skip)]
    pub id_pos: Pos,
    pub version: String,
    pub title: Text,
    #[serde(skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    pub pass_score: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub visit_fields: Vec<Field>,
    pub sections: Vec<Section>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    #[serde(skip)]
    pub source: String,
    #[serde(skip)]
    pub sha256: String,
}

pub const DEFAULT_PASS_SCORE: f64 = 0.8;

impl Checklist {
    /// The checklist's own default language (its first), used when the UI's is missing.
    pub fn default_language(&self) -> Option<&str> {
        self.languages.first().map(String::as_str)
    }

    /// Every item in file order, with the index of its section.
    pub fn items(&self) -> impl Iterator<Item = (usize, &Item)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(s, section)| section.items.iter().map(move |item| (s, item)))
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items()
            .map(|(_, item)| item)
            .find(|item| item.id == id)
    }

    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    /// A text in the UI language, falling back as SPEC section 3 says.
    pub fn text<'a>(&'a self, text: &'a Text, ui_lang: &str) -> &'a str {
        text.get(ui_lang, self.default_language())
    }

    /// A header field's value as people read it: a choice field's option by its label (in
    /// `ui_lang`), not its id; any other value as recorded.
    pub fn field_value_text<'a>(&'a self, id: &str, value: &'a str, ui_lang: &str) -> &'a str {
        self.visit_fields
            .iter()
            .find(|f| f.id == id && f.kind == FieldKind::Choice)
            .and_then(|f| f.options.iter().find(|o| o.id == value))
            .map(|o| self.text(&o.label, ui_lang))
            .filter(|label| !label.is_empty())
            .unwrap_or(value)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Field {
    pub id: String,
    pub label: Text,
    pub kind: FieldKind,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Pattern>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    #[serde(skip_serializing_if = "Text::is_empty")]
    pub help: Text,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Date,
    Datetime,
    Choice,
}

#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub id: String,
    pub title: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    pub items: Vec<Item>,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub id: String,
    pub prompt: Text,
    #[serde(flatten)]
    pub kind: ItemKind,
    pub required: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allow_na: bool,
    pub severity: Severity,
    /// Set only when the author overrides the severity's weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(skip_serializing_if = "Text::is_empty")]
    pub help: Text,
    pub note: NotePolicy,
    /// When the item asks for photos or files (SPEC section 10).
    #[serde(skip_serializing_if = "EvidencePolicy::is_default")]
    pub evidence: EvidencePolicy,
    /// The largest file it takes, in megabytes (MiB).
    #[serde(skip_serializing_if = "is_default_evidence_max")]
    pub evidence_max_mb: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    #[serde(skip)]
    pub pos: Pos,
}

/// `evidence_max_mb` when a checklist does not say.
pub const DEFAULT_EVIDENCE_MAX_MB: f64 = 20.0;

fn is_default_evidence_max(mb: &f64) -> bool {
    *mb == DEFAULT_EVIDENCE_MAX_MB
}
/// The most `evidence_max_mb` may say: a file larger than this is not a photo.
pub const MAX_EVIDENCE_MAX_MB: f64 = 4096.0;

impl Item {
    /// The item's weight in the score: its own `weight`, else its severity's.
    pub fn weight(&self) -> f64 {
        self.weight.unwrap_or(self.severity.weight())
    }

    /// The largest evidence file the item takes, in bytes.
    pub fn evidence_max_bytes(&self) -> u64 {
        (self.evidence_max_mb * 1024.0 * 1024.0).round() as u64
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    Check,
    PassFail,
    YesNo {
        #[serde(skip_serializing_if = "Option::is_none")]
        expect: Option<YesNo>,
    },
    Number {
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        decimals: Option<u8>,
    },
    Choice {
        options: Vec<ChoiceOption>,
    },
    MultiChoice {
        options: Vec<ChoiceOption>,
    },
    Rating {
        scale: u8,
        pass_at: u8,
    },
    Text {
        #[serde(skip_serializing_if = "Option::is_none")]
        pattern: Option<Pattern>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max_len: Option<usize>,
    },
    SignOff {
        #[serde(skip_serializing_if = "Text::is_empty")]
        signer: Text,
    },
}

pub const DEFAULT_RATING_SCALE: u8 = 5;
pub const DEFAULT_RATING_PASS_AT: u8 = 4;

impl ItemKind {
    /// The name used in YAML (`pass_fail`, `multi_choice` ...).
    pub fn name(&self) -> &'static str {
        match self {
            ItemKind::Check => "check",
            ItemKind::PassFail => "pass_fail",
            ItemKind::YesNo { .. } => "yes_no",
            ItemKind::Number { .. } => "number",
            ItemKind::Choice { .. } => "choice",
            ItemKind::MultiChoice { .. } => "multi_choice",
            ItemKind::Rating { .. } => "rating",
            ItemKind::Text { .. } => "text",
            ItemKind::SignOff { .. } => "sign_off",
        }
    }

    pub fn options(&self) -> &[ChoiceOption] {
        match self {
            ItemKind::Choice { options } | ItemKind::MultiChoice { options } => options,
            _ => &[],
        }
    }

    /// Kinds answered by typing a value rather than pressing a choice key.
    pub fn is_typed(&self) -> bool {
        matches!(
            self,
            ItemKind::Number { .. } | ItemKind::Text { .. } | ItemKind::SignOff { .. }
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChoiceOption {
    pub id: String,
    pub label: Text,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fail: bool,
    /// Choosing it clears the other options, and choosing another clears it ("None of
    /// these"). Only multi_choice items take it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

/// A regular expression kept with the text it was written as.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub source: String,
    pub regex: regex::Regex,
}

impl Pattern {
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Serialize for Pattern {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Minor,
    #[default]
    Major,
    Critical,
}

impl Severity {
    pub fn weight(self) -> f64 {
        match self {
            Severity::Minor => 1.0,
            Severity::Major => 2.0,
            Severity::Critical => 4.0,
        }
    }
}

/// The largest `weight:` an item may have: a million times a minor item, far more than any
/// standard needs, and small enough that a checklist's weights always add up to a finite sum.
pub const MAX_WEIGHT: f64 = 1_000_000.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotePolicy {
    Never,
    #[default]
    Optional,
    OnFail,
    Always,
}

/// `evidence:` on an item: when a photo or file must be attached (like `note:`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidencePolicy {
    Never,
    #[default]
    Optional,
    OnFail,
    Always,
}

impl EvidencePolicy {
    fn is_default(&self) -> bool {
        *self == EvidencePolicy::default()
    }
}

/// `when:` on an item or a section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    pub item: String,
    #[serde(flatten)]
    pub test: ConditionTest,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionTest {
    Is(ConditionValue),
    In(Vec<ConditionValue>),
    Outcome(OutcomeName),
}

/// A value a `when` compares with: a word (pass, yes, an option id ...) or a number.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ConditionValue {
    Word(String),
    Number(f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeName {
    Pass,
    Fail,
    Na,
}

/// A figure the supervisor's stats measure visits against, e.g. satisfaction >= 4 in 75%.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    pub name: String,
    pub item: String,
    /// A visit meets the target when the item's value is at least this; without it, when
    /// the item's outcome is pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// The share of visits that must meet it.
    pub rate: f64,
}
