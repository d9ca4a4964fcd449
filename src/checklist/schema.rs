//! `sitecheck schema`: a JSON Schema (draft-07) of checklist format 1, for editors.
//!
//! VS Code's YAML extension (and other editors using yaml-language-server) completes keys,
//! shows each `description` as hover help and underlines what does not fit. The schema is
//! written by hand so the help reads well; a test keeps its keys equal to the parser's.
//!
//! What it cannot say (duplicate ids, `when` looking back only, `min <= max`, `pass_at <=
//! scale`, whether a pattern compiles, missing translations) is left to `sitecheck lint`.
//! It never refuses what the loader accepts: a property test checks that on random checklists.

use serde_json::{Map, Value, json};

use super::model::MAX_WEIGHT;
use super::parse::{FIELD_KINDS, ITEM_COMMON_KEYS, ITEM_KINDS, kind_keys};

/// `[a-z0-9][a-z0-9._-]*`, as `is_id` checks it.
const ID_PATTERN: &str = "^[a-z0-9][a-z0-9._-]*$";
/// `en`, `zh-CN`, `zh-Hant-TW`, as `is_language_tag` checks it.
const LANGUAGE_TAG_PATTERN: &str = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$";

/// The schema as a JSON value. `patternErrorMessage` is not JSON Schema but VS Code's
/// (other validators ignore it): it replaces "does not match the pattern" with plain words.
pub fn json_schema() -> Value {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "sitecheck checklist, format 1",
        "description": "A service-standard checklist that sitecheck walks a technician through. Check a file with `sitecheck lint FILE`.",
        "type": "object",
        "required": ["sitecheck", "id", "version", "title", "sections"],
        "additionalProperties": false,
        "properties": {
            "sitecheck": {
                "description": "The checklist format version. Always 1; write it as the first line: `sitecheck: 1`.",
                "const": 1
            },
            "id": id("The checklist's id, unique among all checklists: lowercase letters, digits, '.', '_' and '-', e.g. `haier-12345`. `sitecheck run ID` starts a visit with it."),
            "version": {
                "description": "Your version of this checklist, e.g. \"2026.1\". Quote it so it stays as written (2024.10 unquoted reads as the number 2024.1). Every visit records it.",
                "anyOf": [
                    { "type": "string", "minLength": 1 },
                    { "type": "integer" }
                ],
                "examples": ["2026.1"]
            },
            "title": text("The checklist's title, shown when picking a checklist."),
            "description": text("What the checklist is for, shown under its title."),
            "languages": {
                "description": "The languages the texts are written in; the first is the default when the technician's language is missing. E.g. [zh-CN, en].",
                "type": ["array", "null"],
                "uniqueItems": true,
                "items": language_tag("A language tag such as en, zh-CN or zh-Hant-TW.")
            },
            "pass_score": {
                "description": "The score a visit needs to pass, as a share from 0 to 1 (0.8 = 80%). Score = weight of passed items / weight of passed and failed items. Default 0.8.",
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "default": 0.8
            },
            "visit_fields": {
                "description": "The visit's header, asked when a visit starts: work order, customer, address, appointment ...",
                "type": ["array", "null"],
                "items": field()
            },
            "sections": {
                "description": "The checklist's sections, in the order the technician goes through them. At least one.",
                "type": "array",
                "minItems": 1,
                "items": section()
            },
            "targets": {
                "description": "Figures the supervisor's stats measure visits against, e.g. satisfaction >= 4 in 75% of visits.",
                "type": ["array", "null"],
                "items": target()
            }
        }
    })
}

/// An id: text matching [`ID_PATTERN`] (or a bare whole number, which reads as its digits).
fn id(description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            {
                "type": "string",
                "pattern": ID_PATTERN,
                "patternErrorMessage": "An id is lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. drain_test."
            },
            { "type": "integer", "minimum": 0 }
        ]
    })
}

/// An option's id: an id, but not `na`, which means N/A.
fn option_id() -> Value {
    let mut schema = id(
        "The option's id, unique in this list; it is what the visit log records and what a `when` compares with. `na` is reserved: use allow_na on the item instead.",
    );
    schema["not"] = json!({ "const": "na" });
    schema
}

fn language_tag(description: &str) -> Value {
    json!({
        "description": description,
        "type": "string",
        "pattern": LANGUAGE_TAG_PATTERN,
        "patternErrorMessage": "A language tag is written like en, zh-CN or zh-Hant-TW."
    })
}

/// A text: a plain string, or a map from language tag to string.
fn text(description: &str) -> Value {
    let description =
        format!("{description} Plain text, or one text per language: {{ zh-CN: ..., en: ... }}.");
    json!({
        "description": description,
        "anyOf": [
            { "type": "string", "pattern": "\\S", "patternErrorMessage": "The text is empty." },
            {
                "type": "object",
                "minProperties": 1,
                "propertyNames": language_tag("A language tag such as en, zh-CN or zh-Hant-TW."),
                "additionalProperties": {
                    "description": "The text in this language.",
                    "type": "string",
                    "pattern": "\\S",
                    "patternErrorMessage": "The text is empty."
                }
            }
        ]
    })
}

fn pattern(what: &str) -> Value {
    json!({
        "description": format!("A regular expression {what} must match, e.g. '^[A-Z0-9-]{{4,20}}$'. Write it in single quotes so backslashes stay as written. The syntax is Rust's regex crate (close to Perl's); `sitecheck lint` checks it."),
        "type": "string"
    })
}

/// A list of options. Only a multi_choice item's options may be `exclusive`: elsewhere one
/// option is chosen anyway, so the key is refused (`false`), as lint refuses it.
fn options(description: &str, multi: bool) -> Value {
    let exclusive = if multi {
        json!({
            "description": "Choosing this option clears the others, and choosing another clears it — for an answer such as \"None of these\". Multi_choice items only. Default false.",
            "type": "boolean",
            "default": false
        })
    } else {
        Value::Bool(false)
    };
    json!({
        "description": description,
        "type": "array",
        "minItems": 1,
        "items": {
            "description": "One option: an id, a label, and `fail: true` if choosing it fails the item.",
            "type": "object",
            "required": ["id", "label"],
            "additionalProperties": false,
            "properties": {
                "id": option_id(),
                "label": text("What the technician sees for this option."),
                "fail": {
                    "description": "Choosing this option fails the item. Default false.",
                    "type": "boolean",
                    "default": false
                },
                "exclusive": exclusive
            }
        }
    })
}

fn field() -> Value {
    let kinds = FIELD_KINDS;
    json!({
        "description": "A field of the visit's header.",
        "type": "object",
        "required": ["id", "label", "kind"],
        "additionalProperties": false,
        "properties": {
            "id": id("The field's id, unique among the visit fields, e.g. work_order. `sitecheck run --field ID=VALUE` fills it."),
            "label": text("The field's label."),
            "kind": {
                "description": "What the field holds: text | number | date | datetime | choice.",
                "enum": kinds
            },
            "required": {
                "description": "The visit cannot start without it. Default false.",
                "type": "boolean",
                "default": false
            },
            "pattern": pattern("the text (text fields only)"),
            "options": options("The options of a choice field (choice fields only).", false),
            "help": text("Guidance shown under the field.")
        },
        "allOf": [
            {
                "if": { "required": ["kind"], "properties": { "kind": { "const": "choice" } } },
                "then": { "required": ["options"] },
                "else": { "properties": { "options": false } }
            },
            {
                "if": { "required": ["kind"], "properties": { "kind": { "not": { "const": "text" } } } },
                "then": { "properties": { "pattern": false } }
            }
        ]
    })
}

fn section() -> Value {
    json!({
        "description": "A section: a titled group of items.",
        "type": "object",
        "required": ["id", "title", "items"],
        "additionalProperties": false,
        "properties": {
            "id": id("The section's id, unique among the sections, e.g. credential."),
            "title": text("The section's title."),
            "when": condition("Show the section only when this holds; otherwise its items are hidden, not required and not scored."),
            "items": {
                "description": "The section's items, in order. At least one.",
                "type": "array",
                "minItems": 1,
                "items": item()
            }
        }
    })
}

/// The keys every item may have, with their help.
fn common_item_properties() -> Map<String, Value> {
    let properties = json!({
        "id": id("The item's id, unique in the whole checklist, e.g. badge. The visit log, `when` and targets refer to it."),
        "prompt": text("The question or instruction the technician answers."),
        "kind": {
            "description": "How the item is answered:\n- check: a tick (pass)\n- pass_fail: pass / fail\n- yes_no: yes / no, with `expect` to score it\n- number: a measured value, with unit, min, max, decimals\n- choice: one of `options`\n- multi_choice: any of `options`\n- rating: 1..scale, passing at pass_at\n- text: free text\n- sign_off: a typed name and the time",
            "enum": ITEM_KINDS
        },
        "required": {
            "description": "The visit cannot be finished while this item (when shown) is unanswered. Default true.",
            "type": "boolean",
            "default": true
        },
        "allow_na": {
            "description": "Offer N/A. An N/A answer counts neither for nor against the score. Default false.",
            "type": "boolean",
            "default": false
        },
        "severity": {
            "description": "How much a failure matters: minor (weight 1) | major (weight 2) | critical (weight 4). A failed critical item fails the visit whatever the score. Default major.",
            "enum": ["minor", "major", "critical"],
            "default": "major"
        },
        "weight": {
            "description": "The item's weight in the score, instead of its severity's (minor 1, major 2, critical 4). More than 0 and at most 1000000.",
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": MAX_WEIGHT
        },
        "help": text("Guidance shown under the prompt."),
        "note": {
            "description": "When the technician must add a note: never | optional | on_fail (a failed answer needs one) | always. Default optional.",
            "enum": ["never", "optional", "on_fail", "always"],
            "default": "optional"
        },
        "evidence": {
            "description": "When the technician must attach a photo or file (the `e` key): never | optional | on_fail (a failed answer needs one) | always (any answer but N/A needs one). Default optional.",
            "enum": ["never", "optional", "on_fail", "always"],
            "default": "optional"
        },
        "evidence_max_mb": {
            "description": "The largest file the item takes, in megabytes. More than 0 and at most 4096. Default 20.",
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 4096,
            "default": 20
        },
        "when": condition("Show the item only when this holds; a hidden item is not required and not scored.")
    });
    match properties {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The keys only some kinds take, with their help. `kind` is empty for an item whose kind is
/// missing or misspelt, where every key is offered.
fn kind_property(kind: &str, key: &str) -> Value {
    match key {
        "expect" => json!({
            "description": "The answer that passes (yes_no items). Without it the answer is recorded but not scored.",
            "enum": ["yes", "no", true, false]
        }),
        "unit" => json!({
            "description": "The unit shown after the number, e.g. V, mm, °C (number items).",
            "type": "string"
        }),
        "min" => json!({
            "description": "The lowest value that passes (number items); below it the item fails and the value is kept.",
            "type": "number"
        }),
        "max" => json!({
            "description": "The highest value that passes (number items); above it the item fails and the value is kept.",
            "type": "number"
        }),
        "decimals" => json!({
            "description": "How many decimals the technician may type, 0 to 6 (number items).",
            "type": "integer",
            "minimum": 0,
            "maximum": 6
        }),
        "options" => options(
            "The options (choice and multi_choice items). An option with `fail: true` fails the item when chosen; on a multi_choice item, an option with `exclusive: true` clears the others when chosen.",
            matches!(kind, "multi_choice" | ""),
        ),
        "scale" => json!({
            "description": "The highest rating, 2 to 10 (rating items). Default 5.",
            "type": "integer",
            "minimum": 2,
            "maximum": 10,
            "default": 5
        }),
        "pass_at" => json!({
            "description": "The lowest rating that passes, 1 to scale (rating items). Default 4.",
            "type": "integer",
            "minimum": 1,
            "maximum": 10,
            "default": 4
        }),
        "pattern" => pattern("the answer (text items)"),
        "max_len" => json!({
            "description": "The longest answer, in characters (text items).",
            "type": "integer",
            "minimum": 1,
            "maximum": 100000
        }),
        "signer" => text("Who signs, e.g. customer (sign_off items)."),
        _ => json!({}),
    }
}

/// An item: the common keys, plus the keys of its kind. Each kind is a branch that lists every
/// key it allows, so that `unit` is refused on a pass_fail item and offered on a number item.
fn item() -> Value {
    let common = common_item_properties();
    let branch = |kind: &str, keys: &mut dyn Iterator<Item = &'static str>| {
        let mut properties = common.clone();
        for key in keys {
            properties.insert(key.to_owned(), kind_property(kind, key));
        }
        Value::Object(properties)
    };
    let mut branches: Vec<Value> = ITEM_KINDS
        .iter()
        .map(|kind| {
            let mut then = json!({
                "properties": branch(kind, &mut kind_keys(kind).iter().copied()),
                "additionalProperties": false
            });
            if kind_keys(kind).contains(&"options") {
                then["required"] = json!(["options"]);
            }
            json!({
                "if": { "required": ["kind"], "properties": { "kind": { "const": kind } } },
                "then": then
            })
        })
        .collect();
    // No kind yet, or a misspelt one: any item key is accepted, so only the kind is flagged.
    let mut every = ITEM_KINDS
        .iter()
        .flat_map(|kind| kind_keys(kind).iter().copied());
    branches.push(json!({
        "if": { "not": { "required": ["kind"], "properties": { "kind": { "enum": ITEM_KINDS } } } },
        "then": { "properties": branch("", &mut every), "additionalProperties": false }
    }));
    debug_assert!(ITEM_COMMON_KEYS.iter().all(|k| common.contains_key(*k)));
    json!({
        "description": "An item: one thing the technician checks and answers.",
        "type": "object",
        "required": ["id", "prompt", "kind"],
        "properties": common,
        "allOf": branches
    })
}

fn condition(description: &str) -> Value {
    let value = json!({
        "description": "pass, fail, yes, no, done, na, an option id, or a number (a rating or a measured value).",
        "type": ["string", "number", "boolean"]
    });
    json!({
        "description": format!("{description} Exactly one of is, in, outcome, e.g. {{ item: drain_test, is: fail }}."),
        "type": "object",
        "required": ["item"],
        "additionalProperties": false,
        "properties": {
            "item": id("The id of an item that comes earlier in the checklist."),
            "is": {
                "description": "Holds when that item's answer is this value (for multi_choice: when this option is among those chosen).",
                "type": ["string", "number", "boolean"]
            },
            "in": {
                "description": "Holds when that item's answer is any of these values.",
                "type": "array",
                "minItems": 1,
                "items": value
            },
            "outcome": {
                "description": "Holds when that item's outcome is this: pass | fail | na.",
                "enum": ["pass", "fail", "na"]
            }
        },
        "oneOf": [
            { "required": ["is"] },
            { "required": ["in"] },
            { "required": ["outcome"] }
        ]
    })
}

fn target() -> Value {
    json!({
        "description": "A target: the share of visits in which an item must reach a value, e.g. { name: satisfaction, item: satisfaction, at_least: 4, rate: 0.75 }.",
        "type": "object",
        "required": ["name", "item", "rate"],
        "additionalProperties": false,
        "properties": {
            "name": {
                "description": "The target's name, shown in stats.",
                "type": "string"
            },
            "item": id("The id of the item it measures."),
            "at_least": {
                "description": "A visit meets the target when the item's value (a rating or a number) is at least this; without it, when the item passes.",
                "type": "number"
            },
            "rate": {
                "description": "The share of visits that must meet it, from 0 to 1 (0.75 = 75%).",
                "type": "number",
                "minimum": 0,
                "maximum": 1
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::checklist::parse::{
        FIELD_KEYS, OPTION_KEYS, SECTION_KEYS, TARGET_KEYS, TOP_KEYS, WHEN_KEYS,
    };

    fn keys(schema: &Value) -> BTreeSet<String> {
        schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    fn all_described(schema: &Value, path: &str) {
        if let Some(properties) = schema["properties"].as_object() {
            for (key, property) in properties {
                let path = format!("{path}.{key}");
                if property == &Value::Bool(false) {
                    continue;
                }
                assert!(
                    property.get("description").is_some(),
                    "{path} has no description"
                );
                all_described(property, &path);
                all_described(&property["items"], &format!("{path}[]"));
            }
        }
        if let Some(branches) = schema["allOf"].as_array() {
            for branch in branches {
                all_described(&branch["then"], path);
            }
        }
    }

    #[test]
    fn the_schema_has_exactly_the_keys_the_parser_reads() {
        let schema = json_schema();
        assert_eq!(keys(&schema), set(TOP_KEYS));
        let field = &schema["properties"]["visit_fields"]["items"];
        assert_eq!(keys(field), set(FIELD_KEYS));
        assert_eq!(
            keys(&field["properties"]["options"]["items"]),
            set(OPTION_KEYS)
        );
        let section = &schema["properties"]["sections"]["items"];
        assert_eq!(keys(section), set(SECTION_KEYS));
        assert_eq!(keys(&section["properties"]["when"]), set(WHEN_KEYS));
        assert_eq!(
            keys(&schema["properties"]["targets"]["items"]),
            set(TARGET_KEYS)
        );
        let item = &section["properties"]["items"]["items"];
        assert_eq!(keys(item), set(ITEM_COMMON_KEYS));
        let branches = item["allOf"].as_array().unwrap();
        assert_eq!(branches.len(), ITEM_KINDS.len() + 1);
        for (kind, branch) in ITEM_KINDS.iter().zip(branches) {
            assert_eq!(branch["if"]["properties"]["kind"]["const"], *kind);
            let mut expected = set(ITEM_COMMON_KEYS);
            expected.extend(set(kind_keys(kind)));
            assert_eq!(keys(&branch["then"]), expected, "{kind}");
            assert_eq!(branch["then"]["additionalProperties"], false, "{kind}");
            if kind_keys(kind).contains(&"options") {
                let option = &branch["then"]["properties"]["options"]["items"];
                assert_eq!(keys(option), set(OPTION_KEYS), "{kind}");
            }
        }
        let kinds: Vec<&str> = item["properties"]["kind"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(kinds, ITEM_KINDS);
    }

    #[test]
    fn every_key_has_a_description() {
        all_described(&json_schema(), "");
    }
}
