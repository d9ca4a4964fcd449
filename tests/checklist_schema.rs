#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The JSON Schema that `sitecheck schema` prints, checked with a real validator: it is a
//! valid draft-07 schema, the bundled checklists fit it, and malformed files do not.

use std::path::Path;

use serde_json::Value;
use sitecheck::checklist::schema::json_schema;

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&json_schema())
        .expect("the schema compiles")
}

/// YAML text as the JSON an editor's YAML extension checks against the schema.
fn as_json(yaml: &str) -> Value {
    serde_saphyr::from_str::<Value>(yaml).expect("valid YAML")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn corpus(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/lint_corpus")
            .join(name),
    )
    .unwrap()
}

#[test]
fn the_schema_is_a_valid_draft_07_schema() {
    let schema = json_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::meta::validate(&schema).expect("valid against the draft-07 meta-schema");
}

#[test]
fn the_bundled_checklists_fit_the_schema() {
    let validator = validator();
    for (name, source) in sitecheck::checklist::library::BUNDLED {
        let errors = errors(&validator, &as_json(source));
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    }
}

#[test]
fn sitecheck_schema_prints_it() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sitecheck"))
        .arg("schema")
        .env("SITECHECK_CONFIG", "/nonexistent/sitecheck/config.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(printed, json_schema());
}

/// Corpus files whose problem the schema can express, with the part of the file it is in.
const REFUSED: &[(&str, &str)] = &[
    ("unknown_key_typo.yaml", "/sections/0/items/0"),
    ("unknown_key_no_suggestion.yaml", "/sections/0"),
    ("missing_format_version.yaml", ""),
    ("missing_top_id.yaml", ""),
    ("missing_sections.yaml", ""),
    ("missing_section_title.yaml", "/sections/0"),
    ("missing_item_prompt.yaml", "/sections/0/items/0"),
    ("missing_item_kind.yaml", "/sections/0/items/0"),
    ("missing_field_kind.yaml", "/visit_fields/0"),
    ("missing_option_label.yaml", "/sections/0/items/0/options/1"),
    ("wrong_type_required.yaml", "/sections/0/items/0/required"),
    ("wrong_type_sections.yaml", "/sections"),
    ("wrong_type_prompt.yaml", "/sections/0/items/0/prompt"),
    ("wrong_type_min.yaml", "/sections/0/items/0/min"),
    ("empty_section.yaml", "/sections/1/items"),
    ("empty_sections_list.yaml", "/sections"),
    ("bad_language_tag.yaml", "/title"),
    ("bad_languages_list.yaml", "/languages/1"),
    ("empty_translation.yaml", "/title"),
    ("format_version_2.yaml", "/sitecheck"),
    ("format_version_text.yaml", "/sitecheck"),
    ("pass_score_above_one.yaml", "/pass_score"),
    ("unknown_item_kind.yaml", "/sections/0/items/0/kind"),
    ("key_of_other_kind.yaml", "/sections/0/items/0"),
    ("choice_without_options.yaml", "/sections/0/items/0"),
    ("choice_null_options.yaml", "/sections/0/items/0/options"),
    ("float_version.yaml", "/version"),
    ("when_two_tests.yaml", "/sections/0/items/1/when"),
    ("when_in_not_list.yaml", "/sections/0/items/1/when/in"),
    ("option_id_na.yaml", "/sections/0/items/0/options/1/id"),
    ("bad_item_id.yaml", "/sections/0/items/0/id"),
    ("bad_severity.yaml", "/sections/0/items/0/severity"),
    ("expect_typo.yaml", "/sections/0/items/0/expect"),
    ("negative_weight.yaml", "/sections/0/items/0/weight"),
    ("weight_zero.yaml", "/sections/0/items/0/weight"),
    ("weight_huge.yaml", "/sections/0/items/0/weight"),
    ("exclusive_on_choice.yaml", "/sections/0/items/0/options/1"),
    ("exclusive_on_field.yaml", "/visit_fields/0/options/2"),
    ("wrong_type_exclusive.yaml", "/sections/0/items/0/options/0"),
    ("pattern_on_number_field.yaml", "/visit_fields/0"),
    ("target_rate_percent.yaml", "/targets/0/rate"),
    ("not_a_map.yaml", ""),
];

#[test]
fn malformed_checklists_do_not_fit_the_schema() {
    let validator = validator();
    for (name, path) in REFUSED {
        let errors = errors(&validator, &as_json(&corpus(name)));
        assert!(!errors.is_empty(), "{name} fits the schema");
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{path}:")) || e.starts_with(&format!("{path}/"))),
            "{name}: no error at {path}:\n{}",
            errors.join("\n")
        );
    }
}

/// Problems only lint sees (they need the whole file); the schema lets them through.
const LINT_ONLY: &[&str] = &[
    "duplicate_section_id.yaml",
    "duplicate_item_id.yaml",
    "duplicate_field_id.yaml",
    "duplicate_option_id.yaml",
    "when_missing_item.yaml",
    "when_later_item.yaml",
    "when_self.yaml",
    "when_impossible_value.yaml",
    "when_impossible_outcome.yaml",
    "min_greater_than_max.yaml",
    "invalid_regex.yaml",
    "rating_pass_at_above_scale.yaml",
    "target_unknown_item.yaml",
    "missing_translation.yaml",
];

#[test]
fn problems_that_need_the_whole_file_are_left_to_lint() {
    let validator = validator();
    for name in LINT_ONLY {
        let errors = errors(&validator, &as_json(&corpus(name)));
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    }
}

#[test]
fn a_key_is_offered_only_on_the_kinds_that_take_it() {
    let validator = validator();
    let item = |extra: &str| {
        as_json(&format!(
            "sitecheck: 1\nid: k\nversion: \"1\"\ntitle: K\nsections:\n  - id: s\n    title: S\n    items:\n      - {{ id: a, prompt: A, {extra} }}\n"
        ))
    };
    assert!(validator.is_valid(&item("kind: number, unit: V, min: 1, max: 2, decimals: 1")));
    assert!(!validator.is_valid(&item("kind: pass_fail, unit: V")));
    assert!(validator.is_valid(&item("kind: rating, scale: 10, pass_at: 7")));
    assert!(!validator.is_valid(&item("kind: text, scale: 10")));
    assert!(validator.is_valid(&item("kind: text, pattern: '^[0-9]+$', max_len: 20")));
    assert!(!validator.is_valid(&item("kind: check, max_len: 20")));
    assert!(validator.is_valid(&item(
        "kind: sign_off, signer: { zh-CN: 顾客, en: customer }"
    )));
    assert!(validator.is_valid(&item("kind: yes_no, expect: \"no\"")));
    assert!(!validator.is_valid(&item(
        "kind: choice, expect: \"no\", options: [{ id: x, label: X }]"
    )));
    assert!(validator.is_valid(&item(
        "kind: multi_choice, options: [{ id: 1, label: One, fail: true }]"
    )));
    assert!(!validator.is_valid(&item("kind: multi_choice")));
    // `exclusive` only on a multi_choice item's options, as lint says.
    assert!(validator.is_valid(&item(
        "kind: multi_choice, options: [{ id: none, label: None, exclusive: true }, { id: b, label: B, fail: true }]"
    )));
    assert!(validator.is_valid(&item(
        "kind: multi_choice, options: [{ id: none, label: None, exclusive: true, fail: true }]"
    )));
    assert!(!validator.is_valid(&item(
        "kind: multi_choice, options: [{ id: none, label: None, exclusive: yes please }]"
    )));
    assert!(!validator.is_valid(&item(
        "kind: choice, options: [{ id: none, label: None, exclusive: true }]"
    )));
    assert!(!validator.is_valid(&item(
        "kind: choice, options: [{ id: none, label: None, exclusive: false }]"
    )));
    // Weights: more than 0, at most a million.
    assert!(validator.is_valid(&item("kind: check, weight: 1000000")));
    assert!(validator.is_valid(&item("kind: check, weight: 0.5")));
    assert!(!validator.is_valid(&item("kind: check, weight: 0")));
    assert!(!validator.is_valid(&item("kind: check, weight: 1000001")));
    assert!(!validator.is_valid(&item("kind: check, weight: 1.7e308")));
    assert!(!validator.is_valid(&item("kind: check, when: { item: x }")));
    assert!(validator.is_valid(&item("kind: check, when: { item: x, in: [1, two, true] }")));
}
