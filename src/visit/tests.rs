//! The visit logic on checklists written as YAML: outcomes of every kind, `when`, what is
//! missing, the score and the result, answers in the log's JSON, targets.

use serde_json::json;

use super::*;
use crate::checklist::{Checklist, Item, parse_str};

/// A checklist from YAML that must read without a single problem.
fn checklist(yaml: &str) -> Checklist {
    let parsed = parse_str(yaml);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    parsed.checklist.expect("a checklist")
}

/// One section `main` holding `items` (YAML list entries, indented six spaces).
fn with_items(items: &str) -> Checklist {
    checklist(&format!(
        "sitecheck: 1\nid: t\nversion: \"1\"\ntitle: T\nsections:\n  - id: main\n    title: Main\n    items:\n{items}"
    ))
}

fn item<'a>(checklist: &'a Checklist, id: &str) -> &'a Item {
    checklist.item(id).unwrap_or_else(|| panic!("no item {id}"))
}

fn answers(pairs: &[(&str, AnswerValue)]) -> Answers {
    pairs
        .iter()
        .map(|(id, value)| {
            (
                id.to_string(),
                ItemState {
                    value: Some(value.clone()),
                    ..Default::default()
                },
            )
        })
        .collect()
}

fn with_note(mut answers: Answers, id: &str, note: &str) -> Answers {
    answers.entry(id.to_string()).or_default().note = Some(note.to_string());
    answers
}

/// The status of one item by id.
fn status<'a>(checklist: &Checklist, eval: &'a Evaluation, id: &str) -> &'a ItemStatus {
    let index = checklist
        .items()
        .position(|(_, item)| item.id == id)
        .unwrap_or_else(|| panic!("no item {id}"));
    &eval.items[index]
}

fn choice(id: &str) -> AnswerValue {
    AnswerValue::Choice(id.to_string())
}

fn choices(ids: &[&str]) -> AnswerValue {
    AnswerValue::Choices(ids.iter().map(|s| s.to_string()).collect())
}

/// Every kind once, each allowing N/A.
const EVERY_KIND: &str = r#"
      - { id: check, prompt: Tick, kind: check, allow_na: true }
      - { id: pass_fail, prompt: Pass or fail, kind: pass_fail, allow_na: true }
      - { id: yes_no, prompt: Yes or no, kind: yes_no, allow_na: true }
      - { id: expect_yes, prompt: Expect yes, kind: yes_no, expect: "yes", allow_na: true }
      - { id: expect_no, prompt: Expect no, kind: yes_no, expect: "no", allow_na: true }
      - { id: range, prompt: Voltage, kind: number, unit: V, min: 198, max: 242, allow_na: true }
      - { id: at_least, prompt: Depth, kind: number, min: 50, allow_na: true }
      - { id: at_most, prompt: Level, kind: number, max: 2, decimals: 1, allow_na: true }
      - { id: any_number, prompt: Floor, kind: number, allow_na: true }
      - id: choice
        prompt: Wall
        kind: choice
        allow_na: true
        options:
          - { id: concrete, label: Concrete }
          - { id: plasterboard, label: Plasterboard, fail: true }
      - id: multi
        prompt: Problems
        kind: multi_choice
        allow_na: true
        options:
          - { id: none, label: None }
          - { id: tight, label: Tight space }
          - { id: no_earth, label: Not earthed, fail: true }
      - id: multi_no_fail
        prompt: Materials
        kind: multi_choice
        allow_na: true
        options:
          - { id: pipe, label: Pipe }
          - { id: bracket, label: Bracket }
      - { id: rating, prompt: Rate us, kind: rating, allow_na: true }
      - { id: rating_10, prompt: Rate 1-10, kind: rating, scale: 10, pass_at: 7, allow_na: true }
      - { id: text, prompt: Remarks, kind: text, max_len: 50, allow_na: true }
      - { id: sign, prompt: Customer signs, kind: sign_off, signer: customer, allow_na: true }
"#;

#[test]
fn outcome_of_every_kind() {
    let c = with_items(EVERY_KIND);
    let cases: &[(&str, AnswerValue, Outcome)] = &[
        ("check", AnswerValue::Done, Outcome::Pass),
        ("pass_fail", AnswerValue::Pass, Outcome::Pass),
        ("pass_fail", AnswerValue::Fail, Outcome::Fail),
        ("yes_no", AnswerValue::Yes, Outcome::Info),
        ("yes_no", AnswerValue::No, Outcome::Info),
        ("expect_yes", AnswerValue::Yes, Outcome::Pass),
        ("expect_yes", AnswerValue::No, Outcome::Fail),
        ("expect_no", AnswerValue::No, Outcome::Pass),
        ("expect_no", AnswerValue::Yes, Outcome::Fail),
        ("range", AnswerValue::Number(220.0), Outcome::Pass),
        ("range", AnswerValue::Number(198.0), Outcome::Pass),
        ("range", AnswerValue::Number(242.0), Outcome::Pass),
        ("range", AnswerValue::Number(197.9), Outcome::Fail),
        ("range", AnswerValue::Number(242.5), Outcome::Fail),
        ("at_least", AnswerValue::Number(49.0), Outcome::Fail),
        ("at_least", AnswerValue::Number(50.0), Outcome::Pass),
        ("at_least", AnswerValue::Number(1.0e9), Outcome::Pass),
        ("at_most", AnswerValue::Number(-3.0), Outcome::Pass),
        ("at_most", AnswerValue::Number(2.0), Outcome::Pass),
        ("at_most", AnswerValue::Number(2.1), Outcome::Fail),
        ("any_number", AnswerValue::Number(-7.0), Outcome::Pass),
        ("choice", choice("concrete"), Outcome::Pass),
        ("choice", choice("plasterboard"), Outcome::Fail),
        ("multi", choices(&["none"]), Outcome::Pass),
        ("multi", choices(&["tight"]), Outcome::Pass),
        ("multi", choices(&["tight", "no_earth"]), Outcome::Fail),
        ("multi", choices(&["no_earth"]), Outcome::Fail),
        (
            "multi_no_fail",
            choices(&["pipe", "bracket"]),
            Outcome::Pass,
        ),
        ("rating", AnswerValue::Rating(5), Outcome::Pass),
        ("rating", AnswerValue::Rating(4), Outcome::Pass),
        ("rating", AnswerValue::Rating(3), Outcome::Fail),
        ("rating", AnswerValue::Rating(1), Outcome::Fail),
        ("rating_10", AnswerValue::Rating(7), Outcome::Pass),
        ("rating_10", AnswerValue::Rating(6), Outcome::Fail),
        (
            "text",
            AnswerValue::Text("门口有台阶".into()),
            Outcome::Info,
        ),
        ("sign", AnswerValue::SignOff("王芳".into()), Outcome::Info),
    ];
    for (id, value, expected) in cases {
        assert_eq!(outcome(item(&c, id), value), *expected, "{id} = {value:?}");
    }
}

#[test]
fn na_is_its_own_outcome_on_every_kind() {
    let c = with_items(EVERY_KIND);
    for (_, item) in c.items() {
        assert_eq!(outcome(item, &AnswerValue::Na), Outcome::Na, "{}", item.id);
    }
    // And it counts neither for nor against the score.
    let all_na: Vec<(&str, AnswerValue)> = c
        .items()
        .map(|(_, item)| (item.id.as_str(), AnswerValue::Na))
        .collect();
    let eval = evaluate(&c, &answers(&all_na));
    assert_eq!(eval.na, c.item_count());
    assert_eq!((eval.passed, eval.failed), (0, 0));
    assert_eq!(eval.score, None);
    assert_eq!(eval.result, VisitResult::Pass);
    assert!(eval.can_finish());
}

const CONDITIONS: &str = r#"
      - { id: drain_test, prompt: Drain test, kind: pass_fail }
      - id: drain_cause
        prompt: Why?
        kind: text
        when: { item: drain_test, is: fail }
      - id: appliance
        prompt: Appliance
        kind: choice
        options:
          - { id: washer, label: Washer }
          - { id: dishwasher, label: Dishwasher }
          - { id: air_conditioner, label: Air conditioner }
      - id: inlet_hose
        prompt: Inlet hose
        kind: pass_fail
        when: { item: appliance, in: [washer, dishwasher] }
      - { id: voltage, prompt: Voltage, kind: number, min: 198, max: 242 }
      - id: voltage_note
        prompt: What was done about the voltage?
        kind: text
        when: { item: voltage, outcome: fail }
      - id: issues
        prompt: Issues
        kind: multi_choice
        options:
          - { id: none, label: None }
          - { id: no_earth, label: No earth, fail: true }
      - id: earth_explained
        prompt: Explained the earthing risk?
        kind: yes_no
        when: { item: issues, is: no_earth }
      - { id: rating, prompt: Rating, kind: rating }
      - id: unhappy
        prompt: What went wrong?
        kind: text
        when: { item: rating, in: [1, 2] }
      - { id: on_time, prompt: On time?, kind: yes_no, expect: "yes", allow_na: true }
      - id: late_by
        prompt: Minutes late
        kind: number
        when: { item: on_time, is: "no" }
      - id: why_na
        prompt: Why N/A?
        kind: text
        when: { item: on_time, is: na }
"#;

#[test]
fn when_is_in_and_outcome_on_items() {
    let c = with_items(CONDITIONS);
    let visible = |pairs: &[(&str, AnswerValue)], id: &str| {
        let eval = evaluate(&c, &answers(pairs));
        status(&c, &eval, id).visible
    };
    // Unanswered: a condition on nothing does not hold.
    for id in [
        "drain_cause",
        "inlet_hose",
        "voltage_note",
        "earth_explained",
        "unhappy",
        "late_by",
        "why_na",
    ] {
        assert!(!visible(&[], id), "{id}");
    }
    assert!(visible(&[("drain_test", AnswerValue::Fail)], "drain_cause"));
    assert!(!visible(
        &[("drain_test", AnswerValue::Pass)],
        "drain_cause"
    ));
    assert!(visible(&[("appliance", choice("washer"))], "inlet_hose"));
    assert!(visible(
        &[("appliance", choice("dishwasher"))],
        "inlet_hose"
    ));
    assert!(!visible(
        &[("appliance", choice("air_conditioner"))],
        "inlet_hose"
    ));
    assert!(visible(
        &[("voltage", AnswerValue::Number(180.0))],
        "voltage_note"
    ));
    assert!(!visible(
        &[("voltage", AnswerValue::Number(220.0))],
        "voltage_note"
    ));
    // multi_choice: `is` means "among the chosen".
    assert!(visible(
        &[("issues", choices(&["none", "no_earth"]))],
        "earth_explained"
    ));
    assert!(!visible(
        &[("issues", choices(&["none"]))],
        "earth_explained"
    ));
    // rating: compared as a number.
    assert!(visible(&[("rating", AnswerValue::Rating(2))], "unhappy"));
    assert!(!visible(&[("rating", AnswerValue::Rating(3))], "unhappy"));
    // yes_no and N/A.
    assert!(visible(&[("on_time", AnswerValue::No)], "late_by"));
    assert!(!visible(&[("on_time", AnswerValue::Yes)], "late_by"));
    assert!(visible(&[("on_time", AnswerValue::Na)], "why_na"));
    assert!(!visible(&[("on_time", AnswerValue::Na)], "late_by"));
}

#[test]
fn when_on_a_na_outcome_and_on_a_pass_outcome() {
    let c = with_items(
        r#"
      - { id: outdoor, prompt: Outdoor unit safe, kind: pass_fail, allow_na: true }
      - { id: why_na, prompt: Why N/A?, kind: text, when: { item: outdoor, outcome: na } }
      - { id: photo, prompt: Photo taken, kind: check, when: { item: outdoor, outcome: pass } }
"#,
    );
    let eval = evaluate(&c, &answers(&[("outdoor", AnswerValue::Na)]));
    assert!(status(&c, &eval, "why_na").visible);
    assert!(!status(&c, &eval, "photo").visible);
    let eval = evaluate(&c, &answers(&[("outdoor", AnswerValue::Pass)]));
    assert!(!status(&c, &eval, "why_na").visible);
    assert!(status(&c, &eval, "photo").visible);
}

const CHAIN: &str = r#"
      - { id: a, prompt: A, kind: pass_fail }
      - { id: b, prompt: B, kind: yes_no, expect: "yes", severity: critical, when: { item: a, is: fail } }
      - { id: c, prompt: C, kind: pass_fail, when: { item: b, is: "no" } }
"#;

#[test]
fn a_condition_on_a_hidden_item_does_not_hold() {
    let c = with_items(CHAIN);
    // b was answered "no" while a was failed; then a was changed to pass: b is hidden, and
    // c, which asks about b, must be hidden too although b's answer is still "no".
    let kept = answers(&[
        ("a", AnswerValue::Pass),
        ("b", AnswerValue::No),
        ("c", AnswerValue::Fail),
    ]);
    let eval = evaluate(&c, &kept);
    assert!(!status(&c, &eval, "b").visible);
    assert!(!status(&c, &eval, "c").visible);
    // While a fails, the chain is shown.
    let shown = answers(&[
        ("a", AnswerValue::Fail),
        ("b", AnswerValue::No),
        ("c", AnswerValue::Fail),
    ]);
    let eval = evaluate(&c, &shown);
    assert!(status(&c, &eval, "b").visible);
    assert!(status(&c, &eval, "c").visible);
}

#[test]
fn answers_of_hidden_items_are_kept_but_not_counted() {
    let c = with_items(CHAIN);
    let kept = answers(&[
        ("a", AnswerValue::Pass),
        ("b", AnswerValue::No),
        ("c", AnswerValue::Fail),
    ]);
    let eval = evaluate(&c, &kept);
    // Evaluating does not drop an answer: the log still has it.
    assert_eq!(kept["b"].value, Some(AnswerValue::No));
    for id in ["b", "c"] {
        let s = status(&c, &eval, id);
        assert_eq!(s.outcome, None, "{id}");
        assert!(!s.missing && !s.note_missing, "{id}");
    }
    assert_eq!((eval.answered, eval.passed, eval.failed), (1, 1, 0));
    assert_eq!((eval.required, eval.required_answered), (1, 1));
    assert_eq!(eval.score, Some(1.0));
    // b is critical and failed, but hidden: it cannot fail the visit.
    assert!(!eval.critical_failed);
    assert_eq!(eval.result, VisitResult::Pass);
    // Shown again, the same answers count: b's critical failure fails the visit.
    let shown = answers(&[
        ("a", AnswerValue::Fail),
        ("b", AnswerValue::No),
        ("c", AnswerValue::Fail),
    ]);
    let eval = evaluate(&c, &shown);
    assert_eq!((eval.answered, eval.failed), (3, 3));
    assert!(eval.critical_failed);
    assert_eq!(eval.result, VisitResult::Fail);
}

const SECTIONS: &str = r#"sitecheck: 1
id: sections
version: "1"
title: Sections with conditions
sections:
  - id: survey
    title: Survey
    items:
      - id: mounting
        prompt: Mounting
        kind: choice
        options:
          - { id: wall, label: Wall }
          - { id: floor, label: Floor }
  - id: wall
    title: Wall mounting
    when: { item: mounting, is: wall }
    items:
      - { id: anchors, prompt: Anchor depth, kind: number, min: 50 }
      - { id: level, prompt: Level, kind: pass_fail, required: false }
  - id: load
    title: Load test
    when: { item: anchors, outcome: fail }
    items:
      - { id: load_test, prompt: Load test, kind: pass_fail }
"#;

#[test]
fn when_on_sections() {
    let c = checklist(SECTIONS);
    let eval = evaluate(&c, &answers(&[("mounting", choice("floor"))]));
    assert!(!eval.sections[1].visible && !eval.sections[2].visible);
    assert!(!status(&c, &eval, "anchors").visible);
    assert_eq!(eval.sections[1].required, 0);
    assert_eq!(eval.sections[1].items, 2);
    assert!(eval.can_finish());

    let eval = evaluate(&c, &answers(&[("mounting", choice("wall"))]));
    assert!(eval.sections[1].visible);
    assert!(status(&c, &eval, "anchors").visible);
    assert!(status(&c, &eval, "anchors").missing);
    assert!(!status(&c, &eval, "level").missing, "not required");
    assert_eq!(eval.sections[1].required, 1);
    assert!(!eval.sections[2].visible);

    let eval = evaluate(
        &c,
        &answers(&[
            ("mounting", choice("wall")),
            ("anchors", AnswerValue::Number(30.0)),
        ]),
    );
    assert!(eval.sections[2].visible);
    assert_eq!(eval.sections[1].failed, 1);
    assert!(status(&c, &eval, "load_test").missing);

    // The wall section hidden again: its failed answer is kept but not counted, and the
    // section that depends on it is hidden too.
    let eval = evaluate(
        &c,
        &answers(&[
            ("mounting", choice("floor")),
            ("anchors", AnswerValue::Number(30.0)),
        ]),
    );
    assert!(!eval.sections[2].visible);
    assert_eq!(eval.failed, 0);
    assert_eq!(eval.sections[1].answered, 0);
}

const NOTES: &str = r#"
      - { id: badge, prompt: Badge, kind: pass_fail, note: on_fail }
      - { id: late, prompt: Minutes late, kind: number, max: 15, note: always }
      - { id: quiet, prompt: Quiet, kind: pass_fail, note: never }
      - { id: free, prompt: Free, kind: pass_fail, note: optional }
      - { id: remarks, prompt: Remarks, kind: text, required: false }
"#;

#[test]
fn missing_answers_and_notes() {
    let c = with_items(NOTES);
    let eval = evaluate(&c, &Answers::new());
    let missing: Vec<&str> = eval
        .missing()
        .map(|i| c.items().nth(i).unwrap().1.id.as_str())
        .collect();
    assert_eq!(missing, ["badge", "late", "quiet", "free"]);
    assert_eq!(eval.required, 4);
    assert!(!eval.can_finish());

    let all = answers(&[
        ("badge", AnswerValue::Fail),
        ("late", AnswerValue::Number(5.0)),
        ("quiet", AnswerValue::Fail),
        ("free", AnswerValue::Fail),
    ]);
    let eval = evaluate(&c, &all);
    assert_eq!(eval.missing().count(), 0);
    let notes: Vec<&str> = eval
        .notes_missing()
        .map(|i| c.items().nth(i).unwrap().1.id.as_str())
        .collect();
    // on_fail asks on a failure; always asks on a pass too; never and optional do not ask.
    assert_eq!(notes, ["badge", "late"]);
    assert_eq!(eval.missing_count(), 2);
    assert!(!eval.can_finish());

    let blank = with_note(all.clone(), "badge", "   ");
    assert!(status(&c, &evaluate(&c, &blank), "badge").note_missing);
    let noted = with_note(
        with_note(all, "badge", "forgot it in the van"),
        "late",
        "traffic",
    );
    let eval = evaluate(&c, &noted);
    assert_eq!(eval.missing_count(), 0);
    assert!(eval.can_finish());

    // on_fail does not ask when the item passed.
    let passed = answers(&[("badge", AnswerValue::Pass)]);
    assert!(!status(&c, &evaluate(&c, &passed), "badge").note_missing);
}

#[test]
fn score_weighs_by_severity_and_weight() {
    let c = with_items(
        r#"
      - { id: minor, prompt: Minor, kind: pass_fail, severity: minor }
      - { id: major, prompt: Major, kind: pass_fail }
      - { id: critical, prompt: Critical, kind: pass_fail, severity: critical }
      - { id: heavy, prompt: Heavy, kind: pass_fail, severity: minor, weight: 10 }
      - { id: na, prompt: N/A, kind: pass_fail, allow_na: true, weight: 100 }
      - { id: info, prompt: Info, kind: text }
"#,
    );
    assert_eq!(item(&c, "minor").weight(), 1.0);
    assert_eq!(item(&c, "major").weight(), 2.0);
    assert_eq!(item(&c, "critical").weight(), 4.0);
    assert_eq!(item(&c, "heavy").weight(), 10.0);
    let eval = evaluate(
        &c,
        &answers(&[
            ("minor", AnswerValue::Pass),
            ("major", AnswerValue::Fail),
            ("critical", AnswerValue::Pass),
        ]),
    );
    assert_eq!(eval.score, Some(5.0 / 7.0));
    assert_eq!(
        eval.result,
        VisitResult::Fail,
        "5/7 is below the default 0.8"
    );

    // N/A and information count for nothing; the weight override counts.
    let eval = evaluate(
        &c,
        &answers(&[
            ("minor", AnswerValue::Pass),
            ("major", AnswerValue::Fail),
            ("critical", AnswerValue::Pass),
            ("heavy", AnswerValue::Pass),
            ("na", AnswerValue::Na),
            ("info", AnswerValue::Text("ok".into())),
        ]),
    );
    assert_eq!(eval.score, Some(15.0 / 17.0));
    assert_eq!(
        (eval.passed, eval.failed, eval.na, eval.answered),
        (3, 1, 1, 6)
    );
    assert_eq!(eval.result, VisitResult::Pass);
    assert!(!eval.critical_failed);
}

#[test]
fn a_critical_failure_fails_the_visit_whatever_the_score() {
    let mut items =
        String::from("      - { id: badge, prompt: Badge, kind: pass_fail, severity: critical }\n");
    let mut given = vec![("badge".to_string(), AnswerValue::Fail)];
    for i in 0..40 {
        items.push_str(&format!(
            "      - {{ id: i{i}, prompt: Item {i}, kind: check, severity: critical }}\n"
        ));
        given.push((format!("i{i}"), AnswerValue::Done));
    }
    let c = with_items(&items);
    let pairs: Vec<(&str, AnswerValue)> = given
        .iter()
        .map(|(id, v)| (id.as_str(), v.clone()))
        .collect();
    let eval = evaluate(&c, &answers(&pairs));
    assert!(eval.score.unwrap() > 0.97);
    assert!(eval.critical_failed);
    assert_eq!(eval.result, VisitResult::Fail);
}

#[test]
fn pass_score_is_the_threshold() {
    let yaml = |pass_score: &str| {
        checklist(&format!(
            "sitecheck: 1\nid: t\nversion: \"1\"\ntitle: T\n{pass_score}sections:\n  - id: main\n    title: Main\n    items:\n      - {{ id: a, prompt: A, kind: pass_fail }}\n      - {{ id: b, prompt: B, kind: pass_fail }}\n      - {{ id: c, prompt: C, kind: pass_fail }}\n      - {{ id: d, prompt: D, kind: pass_fail }}\n"
        ))
    };
    let three_of_four = answers(&[
        ("a", AnswerValue::Pass),
        ("b", AnswerValue::Pass),
        ("c", AnswerValue::Pass),
        ("d", AnswerValue::Fail),
    ]);
    let default = yaml("");
    assert_eq!(default.pass_score, 0.8);
    assert_eq!(evaluate(&default, &three_of_four).result, VisitResult::Fail);
    let at = yaml("pass_score: 0.75\n");
    let eval = evaluate(&at, &three_of_four);
    assert_eq!(eval.score, Some(0.75));
    assert_eq!(
        eval.result,
        VisitResult::Pass,
        "a score equal to pass_score passes"
    );
    let above = yaml("pass_score: 0.76\n");
    assert_eq!(evaluate(&above, &three_of_four).result, VisitResult::Fail);
    // Nothing scored yet: no score, and nothing has failed.
    let eval = evaluate(&default, &Answers::new());
    assert_eq!(eval.score, None);
    assert_eq!(eval.result, VisitResult::Pass);
}

#[test]
fn section_progress_counts() {
    let c = checklist(SECTIONS);
    let eval = evaluate(
        &c,
        &answers(&[
            ("mounting", choice("wall")),
            ("anchors", AnswerValue::Number(80.0)),
            ("level", AnswerValue::Fail),
        ]),
    );
    let wall = &eval.sections[1];
    assert_eq!(
        (
            wall.visible,
            wall.items,
            wall.answered,
            wall.required,
            wall.required_answered,
            wall.failed
        ),
        (true, 2, 2, 1, 1, 1)
    );
    assert_eq!(eval.sections[0].required_answered, 1);
}

#[test]
fn answers_round_trip_through_the_log_json() {
    let c = with_items(EVERY_KIND);
    let cases: &[(&str, AnswerValue, serde_json::Value)] = &[
        ("check", AnswerValue::Done, json!("done")),
        ("pass_fail", AnswerValue::Pass, json!("pass")),
        ("pass_fail", AnswerValue::Fail, json!("fail")),
        ("yes_no", AnswerValue::Yes, json!("yes")),
        ("expect_no", AnswerValue::No, json!("no")),
        ("range", AnswerValue::Number(220.5), json!(220.5)),
        ("any_number", AnswerValue::Number(-3.0), json!(-3)),
        ("any_number", AnswerValue::Number(-3.25), json!(-3.25)),
        ("choice", choice("plasterboard"), json!("plasterboard")),
        (
            "multi",
            choices(&["tight", "no_earth"]),
            json!(["tight", "no_earth"]),
        ),
        ("multi", choices(&[]), json!([])),
        ("rating", AnswerValue::Rating(4), json!(4)),
        ("rating_10", AnswerValue::Rating(10), json!(10)),
        (
            "text",
            AnswerValue::Text("门口有台阶 \"steps\"".into()),
            json!("门口有台阶 \"steps\""),
        ),
        ("sign", AnswerValue::SignOff("王芳".into()), json!("王芳")),
        ("sign", AnswerValue::Na, json!("na")),
        ("rating", AnswerValue::Na, json!("na")),
    ];
    for (id, value, logged) in cases {
        let item = item(&c, id);
        assert_eq!(&value.to_json(), logged, "{id}");
        assert_eq!(
            &AnswerValue::from_json(item, logged).unwrap(),
            value,
            "{id}"
        );
        // Through text too, as the log stores it.
        let text = serde_json::to_string(&value.to_json()).unwrap();
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(&AnswerValue::from_json(item, &back).unwrap(), value, "{id}");
    }
    // A number the log wrote as a whole number reads back as that number.
    assert_eq!(
        AnswerValue::from_json(item(&c, "range"), &json!(220)).unwrap(),
        AnswerValue::Number(220.0)
    );
    // A text answer "na" on a text item without allow_na stays text.
    let plain = with_items("      - { id: remarks, prompt: Remarks, kind: text }\n");
    assert_eq!(
        AnswerValue::from_json(item(&plain, "remarks"), &json!("na")).unwrap(),
        AnswerValue::Text("na".into())
    );
}

#[test]
fn answers_that_do_not_fit_the_item_are_refused() {
    let c = with_items(EVERY_KIND);
    let strict = with_items(
        "      - { id: badge, prompt: Badge, kind: pass_fail }\n      - { id: tick, prompt: Tick, kind: check }\n",
    );
    let bad: &[(&Checklist, &str, serde_json::Value)] = &[
        (&strict, "badge", json!("na")),
        (&strict, "tick", json!("na")),
        (&strict, "tick", json!("pass")),
        (&c, "pass_fail", json!("done")),
        (&c, "yes_no", json!(true)),
        (&c, "range", json!("220")),
        (&c, "choice", json!("brick")),
        (&c, "multi", json!("tight")),
        (&c, "multi", json!(["tight", "brick"])),
        (&c, "rating", json!(0)),
        (&c, "rating", json!(6)),
        (&c, "rating", json!(4.5)),
        (&c, "text", json!(12)),
        (&c, "sign", json!(null)),
    ];
    for (checklist, id, json) in bad {
        let err = AnswerValue::from_json(item(checklist, id), json).unwrap_err();
        assert!(err.contains(&format!("\"{id}\"")), "{err}");
    }
}

#[test]
fn targets_are_met_per_visit() {
    let c = checklist(
        r#"sitecheck: 1
id: t
version: "1"
title: T
sections:
  - id: main
    title: Main
    items:
      - { id: done, prompt: Installed, kind: pass_fail }
      - { id: satisfaction, prompt: Rate us, kind: rating, allow_na: true, when: { item: done, is: pass } }
      - { id: minutes, prompt: Minutes on site, kind: number }
      - { id: clean, prompt: Site clean, kind: pass_fail }
targets:
  - { name: satisfied, item: satisfaction, at_least: 4, rate: 0.75 }
  - { name: long_enough, item: minutes, at_least: 30, rate: 0.9 }
  - { name: clean, item: clean, rate: 0.95 }
"#,
    );
    let met = |pairs: &[(&str, AnswerValue)]| -> Vec<Option<bool>> {
        let answers = answers(pairs);
        let eval = evaluate(&c, &answers);
        c.targets
            .iter()
            .map(|t| target_met(&c, &eval, &answers, t))
            .collect()
    };
    assert_eq!(met(&[]), [None, None, None]);
    assert_eq!(
        met(&[
            ("done", AnswerValue::Pass),
            ("satisfaction", AnswerValue::Rating(4)),
            ("minutes", AnswerValue::Number(30.0)),
            ("clean", AnswerValue::Pass),
        ]),
        [Some(true), Some(true), Some(true)]
    );
    assert_eq!(
        met(&[
            ("done", AnswerValue::Pass),
            ("satisfaction", AnswerValue::Rating(3)),
            ("minutes", AnswerValue::Number(12.5)),
            ("clean", AnswerValue::Fail),
        ]),
        [Some(false), Some(false), Some(false)]
    );
    // N/A and hidden items say nothing about the target.
    assert_eq!(
        met(&[
            ("done", AnswerValue::Pass),
            ("satisfaction", AnswerValue::Na)
        ])[0],
        None
    );
    assert_eq!(
        met(&[
            ("done", AnswerValue::Fail),
            ("satisfaction", AnswerValue::Rating(5))
        ])[0],
        None
    );
}

#[test]
fn the_bundled_install_checklist_evaluates_its_conditions() {
    let found = crate::checklist::Library::default()
        .bundled("appliance-install")
        .expect("bundled");
    let c = found.checklist;
    let eval = evaluate(
        &c,
        &answers(&[
            ("appliance", choice("washing_machine")),
            ("install_type", choice("floor")),
        ]),
    );
    let visible_sections: Vec<&str> = c
        .sections
        .iter()
        .zip(&eval.sections)
        .filter(|(_, p)| p.visible)
        .map(|(s, _)| s.id.as_str())
        .collect();
    assert_eq!(
        visible_sections,
        ["arrival", "survey", "water", "commissioning", "handover"]
    );
    assert!(status(&c, &eval, "transit_bolts").visible);
    assert!(!status(&c, &eval, "air_temp_drop").visible);
    assert!(!status(&c, &eval, "minutes_late").visible);
}

/// `weight: 1.7e308` on two items once summed to inf, and inf / inf showed "score NaN%" and
/// a pass. Such a checklist no longer reads; the largest weight it may have scores soundly.
#[test]
fn the_weights_a_checklist_may_have_never_make_the_score_nan() {
    let two = |w: &str| {
        format!(
            "      - {{ id: a, prompt: A, kind: pass_fail, weight: {w} }}\n      - {{ id: b, prompt: B, kind: pass_fail, weight: {w} }}\n"
        )
    };
    let refused = parse_str(&format!(
        "sitecheck: 1\nid: t\nversion: \"1\"\ntitle: T\nsections:\n  - id: main\n    title: Main\n    items:\n{}",
        two("1.7e308")
    ));
    assert!(refused.checklist.is_none());
    let c = with_items(&two("1000000"));
    let both = evaluate(
        &c,
        &answers(&[("a", AnswerValue::Pass), ("b", AnswerValue::Pass)]),
    );
    assert_eq!((both.score, both.result), (Some(1.0), VisitResult::Pass));
    let one = evaluate(
        &c,
        &answers(&[("a", AnswerValue::Pass), ("b", AnswerValue::Fail)]),
    );
    assert_eq!((one.score, one.result), (Some(0.5), VisitResult::Fail));
}

/// More items than a 1 MiB checklist can hold, each at the largest weight: the sums stay
/// finite and exact.
#[test]
fn a_hundred_thousand_items_at_the_largest_weight_score_exactly() {
    let one = with_items("      - { id: a, prompt: A, kind: pass_fail, weight: 1000000 }\n");
    let mut c = one.clone();
    let template = c.sections[0].items[0].clone();
    c.sections[0].items = (0..100_000)
        .map(|i| crate::checklist::Item {
            id: format!("i{i}"),
            ..template.clone()
        })
        .collect();
    let all: Answers = (0..100_000)
        .map(|i| {
            let value = if i % 4 == 0 {
                AnswerValue::Fail
            } else {
                AnswerValue::Pass
            };
            (
                format!("i{i}"),
                ItemState {
                    value: Some(value),
                    ..Default::default()
                },
            )
        })
        .collect();
    assert_eq!(evaluate(&c, &all).score, Some(0.75));
}

mod weights {
    use proptest::prelude::*;

    use super::*;

    /// Weights lint accepts, the edges most of all: the largest, the smallest normal and
    /// subnormal numbers, and anything between.
    fn weight() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(crate::checklist::MAX_WEIGHT),
            Just(f64::MIN_POSITIVE),
            Just(5e-324),
            Just(1e-300),
            1e-9..=crate::checklist::MAX_WEIGHT,
        ]
    }

    /// How an item was answered: pass, fail, N/A or not at all.
    fn answer() -> impl Strategy<Value = Option<AnswerValue>> {
        prop_oneof![
            Just(Some(AnswerValue::Pass)),
            Just(Some(AnswerValue::Fail)),
            Just(Some(AnswerValue::Na)),
            Just(None),
        ]
    }

    proptest! {
        #[test]
        fn a_checklist_lint_accepts_scores_a_share_from_0_to_1(
            items in proptest::collection::vec((weight(), answer()), 1..60),
            pass_score in 0.0..=1.0f64,
        ) {
            let mut yaml = format!(
                "sitecheck: 1\nid: t\nversion: \"1\"\ntitle: T\npass_score: {pass_score:?}\nsections:\n  - id: main\n    title: Main\n    items:\n"
            );
            for (i, (w, _)) in items.iter().enumerate() {
                yaml.push_str(&format!(
                    "      - {{ id: i{i}, prompt: I, kind: pass_fail, allow_na: true, weight: {w:e} }}\n"
                ));
            }
            let c = checklist(&yaml);
            let answers: Answers = items
                .iter()
                .enumerate()
                .filter_map(|(i, (_, a))| {
                    let value = a.clone()?;
                    Some((format!("i{i}"), ItemState { value: Some(value), ..Default::default() }))
                })
                .collect();
            let eval = evaluate(&c, &answers);
            let scored = items.iter().filter(|(_, a)| matches!(a, Some(AnswerValue::Pass | AnswerValue::Fail))).count();
            let failed = items.iter().any(|(_, a)| matches!(a, Some(AnswerValue::Fail)));
            match eval.score {
                None => prop_assert_eq!(scored, 0),
                Some(score) => {
                    prop_assert!(score.is_finite() && (0.0..=1.0).contains(&score), "score {}", score);
                    prop_assert!(failed || score == 1.0, "all passed, yet {}", score);
                    prop_assert_eq!(eval.result == VisitResult::Fail, score < c.pass_score);
                }
            }
        }
    }
}
