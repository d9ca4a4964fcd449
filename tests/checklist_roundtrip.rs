#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Property: any valid checklist, written as YAML, reads back as the same checklist.
//!
//! Random checklists are built from the model types (which serialise in the format's own
//! shape), written with `serde_saphyr::to_string`, and read with `parse_str`. Positions differ
//! between the two, so they are compared as JSON, which leaves positions out. Each one must
//! also fit the JSON Schema that editors check files with: the schema may not refuse what
//! the loader accepts.

use proptest::prelude::*;
use sitecheck::checklist::yaml::Pos;
use sitecheck::checklist::{
    ChoiceOption, Condition, ConditionTest, ConditionValue, EvidencePolicy, Field, FieldKind, Item,
    ItemKind, NotePolicy, OutcomeName, Pattern, Section, Severity, Target, Text, YesNo, parse_str,
};

/// Texts that are easy to get wrong when writing YAML: words YAML reads as something else,
/// indicators, quotes, Chinese, line breaks.
const AWKWARD: &[&str] = &[
    "yes",
    "no",
    "true",
    "False",
    "null",
    "~",
    "1.5",
    "007",
    "0x1F",
    "1e3",
    ".inf",
    "- dash",
    "a: b",
    "key:",
    "# not a comment",
    "text # with a hash",
    "'single'",
    "\"double\"",
    "it's",
    " leading space",
    "trailing space ",
    "two\nlines",
    "ends with a break\n",
    "tab\there",
    "@at",
    "*star",
    "&amp",
    "!bang",
    "%percent",
    "`tick`",
    "[x]",
    "{y: 1}",
    "|pipe",
    ">fold",
    "? question",
    "---",
    "...",
    "海尔上门服务“12345”法则",
    "出示上岗证：进门前",
    "请顾客为本次服务打分（1-5分）",
    "Show 上岗证 on arrival",
    "220 V ±10%",
    "°C",
];

const LANGUAGES: &[&str] = &["zh-CN", "en", "zh-Hant-TW", "de-CH"];

const PATTERNS: &[&str] = &[
    "^[A-Z0-9-]{4,20}$",
    r"^\+?[0-9][0-9 -]{5,18}[0-9]$",
    r"^\d+(\.\d+)?$",
    "^(yes|no)$",
    "(?i)^ok$",
    r"\A[a-z]+\z",
    r"[\p{Han}]+",
    "",
];

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z][A-Za-z0-9 ,.!?()/-]{0,24}",
        2 => "[\\p{Han}][\\p{Han}，。“”0-9 ]{0,12}",
        2 => proptest::sample::select(AWKWARD).prop_map(str::to_owned),
    ]
}

fn translated() -> impl Strategy<Value = Text> {
    proptest::sample::subsequence(LANGUAGES, 1..=LANGUAGES.len())
        .prop_shuffle()
        .prop_flat_map(|langs| {
            proptest::collection::vec(string(), langs.len()).prop_map(move |texts| {
                Text::Translated(
                    langs
                        .iter()
                        .map(|l| l.to_string())
                        .zip(texts)
                        .collect::<Vec<_>>(),
                )
            })
        })
}

fn text() -> impl Strategy<Value = Text> {
    prop_oneof![string().prop_map(Text::Plain), translated()]
}

fn optional_text() -> impl Strategy<Value = Text> {
    prop_oneof![Just(Text::Empty), text()]
}

/// The start of an id; the builder appends a number so ids are unique where they must be.
fn id_base() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9._-]{0,8}"
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1.0e6..1.0e6f64,
        Just(0.0),
        Just(-0.5),
        Just(1.0e-7),
        (-1000i32..1000).prop_map(f64::from),
    ]
}

/// An item's weight: more than 0 and at most a million, the edges included.
fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![
        1.0e-6..100.0f64,
        Just(f64::MIN_POSITIVE),
        Just(3.0),
        Just(sitecheck::checklist::MAX_WEIGHT),
        1.0..=sitecheck::checklist::MAX_WEIGHT,
    ]
}

fn share() -> impl Strategy<Value = f64> {
    prop_oneof![0.0..=1.0f64, Just(0.0), Just(1.0), Just(0.75)]
}

/// What an item will be, before ids and conditions are settled.
#[derive(Clone, Debug)]
struct RawItem {
    id_base: String,
    prompt: Text,
    kind: RawKind,
    required: bool,
    allow_na: bool,
    severity: Severity,
    weight: Option<f64>,
    help: Text,
    note: NotePolicy,
    evidence: (EvidencePolicy, f64),
    /// Seeds picking an earlier item, a test and its values.
    when: Option<(usize, usize, usize)>,
}

#[derive(Clone, Debug)]
enum RawKind {
    Check,
    PassFail,
    YesNo(Option<YesNo>),
    Number {
        unit: Option<String>,
        bounds: (Option<f64>, Option<f64>),
        decimals: Option<u8>,
    },
    Choice(RawOptions),
    MultiChoice(RawOptions),
    Rating {
        scale: u8,
        pass_at_seed: u8,
    },
    Text {
        pattern: Option<usize>,
        max_len: Option<usize>,
    },
    SignOff(Text),
}

/// Options as (label, fail, exclusive), and whether their ids are bare numbers like `1`.
/// `exclusive` is kept only for multi_choice items, the only ones that take it.
#[derive(Clone, Debug)]
struct RawOptions {
    options: Vec<(Text, bool, bool)>,
    numeric_ids: bool,
    id_base: String,
}

fn raw_options() -> impl Strategy<Value = RawOptions> {
    (
        proptest::collection::vec(
            (text(), any::<bool>(), proptest::bool::weighted(0.25)),
            1..5,
        ),
        proptest::bool::weighted(0.3),
        id_base(),
    )
        .prop_map(|(options, numeric_ids, id_base)| RawOptions {
            options,
            numeric_ids,
            id_base,
        })
}

fn raw_kind() -> impl Strategy<Value = RawKind> {
    prop_oneof![
        Just(RawKind::Check),
        Just(RawKind::PassFail),
        prop_oneof![Just(None), Just(Some(YesNo::Yes)), Just(Some(YesNo::No))]
            .prop_map(RawKind::YesNo),
        (
            proptest::option::of(prop_oneof![
                Just("V".to_string()),
                Just("°C".to_string()),
                Just("mm".to_string()),
                Just("分钟".to_string()),
                string()
            ]),
            (
                proptest::option::of(finite()),
                proptest::option::of(finite())
            ),
            proptest::option::of(0u8..=6),
        )
            .prop_map(|(unit, (a, b), decimals)| {
                // min <= max whenever both are given.
                let bounds = match (a, b) {
                    (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                    other => other,
                };
                RawKind::Number {
                    unit,
                    bounds,
                    decimals,
                }
            }),
        raw_options().prop_map(RawKind::Choice),
        raw_options().prop_map(RawKind::MultiChoice),
        (2u8..=10, any::<u8>()).prop_map(|(scale, pass_at_seed)| RawKind::Rating {
            scale,
            pass_at_seed
        }),
        (
            proptest::option::of(0..PATTERNS.len()),
            proptest::option::of(1usize..=100_000)
        )
            .prop_map(|(pattern, max_len)| RawKind::Text { pattern, max_len }),
        optional_text().prop_map(RawKind::SignOff),
    ]
}

fn severity() -> impl Strategy<Value = Severity> {
    prop_oneof![
        Just(Severity::Minor),
        Just(Severity::Major),
        Just(Severity::Critical)
    ]
}

fn note() -> impl Strategy<Value = NotePolicy> {
    prop_oneof![
        Just(NotePolicy::Never),
        Just(NotePolicy::Optional),
        Just(NotePolicy::OnFail),
        Just(NotePolicy::Always)
    ]
}

fn evidence() -> impl Strategy<Value = (EvidencePolicy, f64)> {
    (
        prop_oneof![
            Just(EvidencePolicy::Never),
            Just(EvidencePolicy::Optional),
            Just(EvidencePolicy::OnFail),
            Just(EvidencePolicy::Always)
        ],
        prop_oneof![Just(20.0), Just(0.5), Just(4096.0), 0.01f64..4096.0],
    )
}

fn raw_item() -> impl Strategy<Value = RawItem> {
    (
        (id_base(), text(), raw_kind(), evidence()),
        (any::<bool>(), any::<bool>(), severity(), note()),
        (
            proptest::option::of(weight()),
            optional_text(),
            proptest::option::weighted(0.5, (any::<usize>(), any::<usize>(), any::<usize>())),
        ),
    )
        .prop_map(
            |(
                (id_base, prompt, kind, evidence),
                (required, allow_na, severity, note),
                (weight, help, when),
            )| {
                RawItem {
                    id_base,
                    prompt,
                    kind,
                    required,
                    allow_na,
                    severity,
                    weight,
                    help,
                    note,
                    evidence,
                    when,
                }
            },
        )
}

#[derive(Clone, Debug)]
struct RawSection {
    id_base: String,
    title: Text,
    when: Option<(usize, usize, usize)>,
    items: Vec<RawItem>,
}

fn raw_section() -> impl Strategy<Value = RawSection> {
    (
        id_base(),
        text(),
        proptest::option::weighted(0.3, (any::<usize>(), any::<usize>(), any::<usize>())),
        proptest::collection::vec(raw_item(), 1..6),
    )
        .prop_map(|(id_base, title, when, items)| RawSection {
            id_base,
            title,
            when,
            items,
        })
}

fn field_kind() -> impl Strategy<Value = FieldKind> {
    prop_oneof![
        Just(FieldKind::Text),
        Just(FieldKind::Number),
        Just(FieldKind::Date),
        Just(FieldKind::Datetime),
        Just(FieldKind::Choice)
    ]
}

fn pattern(index: usize) -> Pattern {
    let source = PATTERNS[index].to_string();
    Pattern {
        regex: regex::Regex::new(&source).unwrap(),
        source,
    }
}

fn options(raw: &RawOptions, multi: bool) -> Vec<ChoiceOption> {
    raw.options
        .iter()
        .enumerate()
        .map(|(j, (label, fail, exclusive))| ChoiceOption {
            id: if raw.numeric_ids {
                (j + 1).to_string()
            } else {
                format!("{}_{j}", raw.id_base)
            },
            label: label.clone(),
            fail: *fail,
            exclusive: multi && *exclusive,
        })
        .collect()
}

fn field(
    index: usize,
    raw: (
        String,
        Text,
        FieldKind,
        bool,
        Option<usize>,
        RawOptions,
        Text,
    ),
) -> Field {
    let (base, label, kind, required, pattern_index, raw_options, help) = raw;
    Field {
        id: format!("{base}_{index}"),
        label,
        kind,
        required,
        pattern: pattern_index
            .filter(|_| kind == FieldKind::Text)
            .map(pattern),
        options: if kind == FieldKind::Choice {
            options(&raw_options, false)
        } else {
            Vec::new()
        },
        help,
        pos: Pos::default(),
    }
}

fn item_kind(raw: &RawKind) -> ItemKind {
    match raw {
        RawKind::Check => ItemKind::Check,
        RawKind::PassFail => ItemKind::PassFail,
        RawKind::YesNo(expect) => ItemKind::YesNo { expect: *expect },
        RawKind::Number {
            unit,
            bounds: (min, max),
            decimals,
        } => ItemKind::Number {
            unit: unit.clone(),
            min: *min,
            max: *max,
            decimals: *decimals,
        },
        RawKind::Choice(raw) => ItemKind::Choice {
            options: options(raw, false),
        },
        RawKind::MultiChoice(raw) => ItemKind::MultiChoice {
            options: options(raw, true),
        },
        RawKind::Rating {
            scale,
            pass_at_seed,
        } => ItemKind::Rating {
            scale: *scale,
            pass_at: 1 + pass_at_seed % scale,
        },
        RawKind::Text {
            pattern: p,
            max_len,
        } => ItemKind::Text {
            pattern: p.map(pattern),
            max_len: *max_len,
        },
        RawKind::SignOff(signer) => ItemKind::SignOff {
            signer: signer.clone(),
        },
    }
}

/// Values an item can take, for a `when` on it.
fn values_of(item: &Item, seed: usize) -> Vec<ConditionValue> {
    let word = |w: &str| ConditionValue::Word(w.to_string());
    let mut values = match &item.kind {
        ItemKind::Check => vec![word("done")],
        ItemKind::PassFail => vec![word("pass"), word("fail")],
        ItemKind::YesNo { .. } => vec![word("yes"), word("no")],
        ItemKind::Choice { options } | ItemKind::MultiChoice { options } => {
            options.iter().map(|o| word(&o.id)).collect()
        }
        ItemKind::Number { min, max, .. } => vec![
            ConditionValue::Number(min.unwrap_or(0.0)),
            ConditionValue::Number(max.unwrap_or(12.5)),
            ConditionValue::Number((seed % 1000) as f64 / 8.0),
        ],
        ItemKind::Rating { scale, .. } => (1..=*scale)
            .map(|r| ConditionValue::Number(f64::from(r)))
            .collect(),
        ItemKind::Text { .. } | ItemKind::SignOff { .. } => {
            vec![word("Anna"), word(AWKWARD[seed % AWKWARD.len()])]
        }
    };
    if item.allow_na {
        values.push(word("na"));
    }
    values
}

/// Outcomes an item can have, for a `when` on its outcome.
fn outcomes_of(item: &Item) -> Vec<OutcomeName> {
    let informational = matches!(
        item.kind,
        ItemKind::Text { .. } | ItemKind::SignOff { .. } | ItemKind::YesNo { expect: None }
    );
    let mut outcomes = Vec::new();
    if !informational {
        outcomes.push(OutcomeName::Pass);
        if !matches!(item.kind, ItemKind::Check) {
            outcomes.push(OutcomeName::Fail);
        }
    }
    if item.allow_na {
        outcomes.push(OutcomeName::Na);
    }
    outcomes
}

/// A valid `when` on one of `earlier`, chosen by the seeds.
fn condition(earlier: &[Item], (pick, test, value): (usize, usize, usize)) -> Option<Condition> {
    let target = earlier.get(pick % earlier.len().max(1))?;
    let values = values_of(target, value);
    let outcomes = outcomes_of(target);
    let test = match test % 3 {
        2 if !outcomes.is_empty() => ConditionTest::Outcome(outcomes[value % outcomes.len()]),
        1 => {
            let count = 1 + value % values.len().min(3);
            ConditionTest::In(
                (0..count)
                    .map(|k| values[(value / 3 + k) % values.len()].clone())
                    .collect(),
            )
        }
        _ => ConditionTest::Is(values[value % values.len()].clone()),
    };
    Some(Condition {
        item: target.id.clone(),
        test,
        pos: Pos::default(),
    })
}

type RawField = (
    String,
    Text,
    FieldKind,
    bool,
    Option<usize>,
    RawOptions,
    Text,
);

fn raw_field() -> impl Strategy<Value = RawField> {
    (
        id_base(),
        text(),
        field_kind(),
        any::<bool>(),
        proptest::option::of(0..PATTERNS.len()),
        raw_options(),
        optional_text(),
    )
}

type RawTarget = (String, usize, Option<f64>, f64);

fn raw_target() -> impl Strategy<Value = RawTarget> {
    (
        string(),
        any::<usize>(),
        proptest::option::of(finite()),
        share(),
    )
}

#[derive(Clone, Debug)]
struct RawChecklist {
    id_base: String,
    version: String,
    title: Text,
    description: Text,
    languages: Vec<&'static str>,
    pass_score: f64,
    fields: Vec<RawField>,
    sections: Vec<RawSection>,
    targets: Vec<RawTarget>,
}

fn raw_checklist() -> impl Strategy<Value = RawChecklist> {
    (
        (
            id_base(),
            prop_oneof![
                Just("1".to_string()),
                Just("2024.10".to_string()),
                Just("2026.1-b".to_string()),
                string()
            ],
            text(),
            optional_text(),
        ),
        (
            proptest::sample::subsequence(LANGUAGES, 0..=LANGUAGES.len()).prop_shuffle(),
            share(),
        ),
        proptest::collection::vec(raw_field(), 0..4),
        proptest::collection::vec(raw_section(), 1..5),
        proptest::collection::vec(raw_target(), 0..3),
    )
        .prop_map(
            |(
                (id_base, version, title, description),
                (languages, pass_score),
                fields,
                sections,
                targets,
            )| {
                RawChecklist {
                    id_base,
                    version,
                    title,
                    description,
                    languages,
                    pass_score,
                    fields,
                    sections,
                    targets,
                }
            },
        )
}

fn build(raw: RawChecklist) -> sitecheck::checklist::Checklist {
    let mut all_items: Vec<Item> = Vec::new();
    let mut sections = Vec::new();
    for (s, raw_section) in raw.sections.into_iter().enumerate() {
        // A section's when may look at items of earlier sections only.
        let when = raw_section
            .when
            .and_then(|seeds| condition(&all_items, seeds));
        let mut items = Vec::new();
        for raw_item in raw_section.items {
            let kind = item_kind(&raw_item.kind);
            let mut item = Item {
                id: format!("{}_{}", raw_item.id_base, all_items.len()),
                prompt: raw_item.prompt,
                kind,
                required: raw_item.required,
                allow_na: raw_item.allow_na,
                severity: raw_item.severity,
                weight: raw_item.weight,
                help: raw_item.help,
                note: raw_item.note,
                evidence: raw_item.evidence.0,
                evidence_max_mb: raw_item.evidence.1,
                when: None,
                pos: Pos::default(),
            };
            item.when = raw_item.when.and_then(|seeds| condition(&all_items, seeds));
            all_items.push(item.clone());
            items.push(item);
        }
        sections.push(Section {
            id: format!("{}_{s}", raw_section.id_base),
            title: raw_section.title,
            when,
            items,
            pos: Pos::default(),
        });
    }
    let targets = raw
        .targets
        .into_iter()
        .map(|(name, pick, at_least, rate)| Target {
            name,
            item: all_items[pick % all_items.len()].id.clone(),
            at_least,
            rate,
        })
        .collect();
    sitecheck::checklist::Checklist {
        format: 1,
        id: raw.id_base,
        id_pos: Pos::default(),
        version: raw.version,
        title: raw.title,
        description: raw.description,
        languages: raw.languages.iter().map(|l| l.to_string()).collect(),
        pass_score: raw.pass_score,
        visit_fields: raw
            .fields
            .into_iter()
            .enumerate()
            .map(|(i, f)| field(i, f))
            .collect(),
        sections,
        targets,
        source: String::new(),
        sha256: String::new(),
    }
}

fn schema() -> &'static jsonschema::Validator {
    static SCHEMA: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        jsonschema::draft7::options()
            .should_validate_formats(true)
            .build(&sitecheck::checklist::schema::json_schema())
            .unwrap()
    })
}

proptest! {
    // 128 cases keep `cargo test` quick; PROPTEST_CASES=10000 searches harder.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(128),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_valid_checklist_reads_back_as_itself(raw in raw_checklist()) {
        let checklist = build(raw);
        let yaml = serde_saphyr::to_string(&checklist).unwrap();
        let parsed = parse_str(&yaml);
        let errors: Vec<String> = parsed
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.display(std::path::Path::new("generated.yaml")).to_string())
            .collect();
        prop_assert!(errors.is_empty(), "{}\n--- yaml ---\n{yaml}", errors.join("\n"));
        let loaded = parsed.checklist.expect("no errors, so a checklist");
        prop_assert_eq!(
            serde_json::to_value(&loaded).unwrap(),
            serde_json::to_value(&checklist).unwrap(),
            "--- yaml ---\n{}", yaml
        );
        prop_assert_eq!(&loaded.source, &yaml);
        let as_json: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
        let schema_errors: Vec<String> = schema()
            .iter_errors(&as_json)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        prop_assert!(schema_errors.is_empty(), "{}\n--- yaml ---\n{yaml}", schema_errors.join("\n"));
    }
}

#[test]
fn the_bundled_checklists_read_back_as_themselves() {
    for (name, source) in sitecheck::checklist::library::BUNDLED {
        let first = parse_str(source).checklist.expect(name);
        let yaml = serde_saphyr::to_string(&first).unwrap();
        let second = parse_str(&yaml);
        assert!(second.problems.is_empty(), "{name}: {:?}", second.problems);
        assert_eq!(
            serde_json::to_value(second.checklist.unwrap()).unwrap(),
            serde_json::to_value(&first).unwrap(),
            "{name}"
        );
    }
}
