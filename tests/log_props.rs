//! Properties of the log format over generated logs: what is written reads back the same,
//! any single changed byte is noticed, and no input makes the reader panic.
// In tests a failed unwrap is a failed test, helpers included.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use sitecheck::log::{ChecklistRef, Event, EventKind, StartInfo, analyze_chain, analyze_log};

fn started() -> EventKind {
    EventKind::Started {
        visit: "01JD0000000000000000000000".to_owned(),
        info: StartInfo {
            technician: "zhang.san".to_owned(),
            host: "tb-0042".to_owned(),
            app: "sitecheck 0.1.0".to_owned(),
            lang: "zh-CN".to_owned(),
            checklist: ChecklistRef {
                id: "haier".to_owned(),
                version: "1".to_owned(),
                sha256: "0".repeat(64),
                source: "id: haier\n".to_owned(),
            },
            fields: Map::new(),
        },
    }
}

fn text() -> impl Strategy<Value = String> {
    // Control characters, quotes, backslashes, CJK and emoji: everything JSON must escape.
    proptest::string::string_regex("[a-z0-9 \"\\\\\n\t\u{1}\u{7f}张三李四✓😀]{0,12}").unwrap()
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("pass")),
        Just(json!("na")),
        any::<i64>().prop_map(Value::from),
        // Measurements as a technician types them (two decimals). Floats with 16-17
        // significant digits may come back one ulp off: serde_json parses them best-effort
        // unless its `float_roundtrip` feature is on. The hash is over the text, so the
        // chain verifies either way.
        (-100_000_000i64..100_000_000).prop_map(|cents| Value::from(cents as f64 / 100.0)),
        text().prop_map(Value::from),
        proptest::collection::vec(text(), 0..3).prop_map(|ids| json!(ids)),
    ]
}

fn kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        (text(), value(), proptest::option::of(text()))
            .prop_map(|(item, value, note)| EventKind::Answered { item, value, note }),
        (text(), text()).prop_map(|(item, note)| EventKind::Noted { item, note }),
        text().prop_map(|item| EventKind::Cleared { item }),
        (text(), text()).prop_map(|(key, value)| {
            let mut fields = Map::new();
            fields.insert(key, Value::from(value));
            EventKind::Fields { fields }
        }),
        Just(EventKind::Paused),
        Just(EventKind::Resumed),
    ]
}

/// A chained visit log of `kinds` after a started event: its bytes and events.
fn build(kinds: Vec<EventKind>) -> (Vec<u8>, Vec<Event>) {
    let mut prev = String::new();
    let mut bytes = Vec::new();
    let mut events = Vec::new();
    for (seq, kind) in std::iter::once(started()).chain(kinds).enumerate() {
        let seq = seq as u64;
        let at = "2026-11-22T10:00:00.123+08:00".to_owned();
        let (event, line) = Event::seal(&prev, seq, at, seq * 1500, kind).unwrap();
        prev = event.hash.clone();
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        events.push(event);
    }
    (bytes, events)
}

proptest! {
    #[test]
    fn written_logs_read_back_the_same(kinds in proptest::collection::vec(kind(), 0..12)) {
        let (bytes, events) = build(kinds);
        let read = analyze_log(&bytes);
        prop_assert!(read.is_clean(), "{:?}", read);
        prop_assert_eq!(read.events, events);
        prop_assert!(analyze_chain(&bytes).is_clean());
    }

    #[test]
    fn any_changed_byte_is_noticed(
        kinds in proptest::collection::vec(kind(), 1..6),
        at in any::<prop::sample::Index>(),
        new in any::<u8>(),
    ) {
        let (mut bytes, _) = build(kinds);
        let at = at.index(bytes.len());
        prop_assume!(bytes[at] != new);
        bytes[at] = new;
        let read = analyze_log(&bytes);
        prop_assert!(!read.is_clean(), "byte {} changed to {:?} went unnoticed", at, new as char);
    }

    #[test]
    fn no_input_makes_the_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = analyze_log(&bytes);
        let _ = analyze_chain(&bytes);
    }

    #[test]
    fn lines_shuffled_or_dropped_are_noticed(
        kinds in proptest::collection::vec(kind(), 2..8),
        drop_line in any::<prop::sample::Index>(),
    ) {
        let (bytes, _) = build(kinds);
        let mut lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
        // Dropping the last line leaves a shorter valid log; any other is a gap.
        let drop_at = drop_line.index(lines.len() - 1);
        lines.remove(drop_at);
        let read = analyze_log(&lines.concat());
        prop_assert!(!read.problems.is_empty());
        prop_assert_eq!(read.problems[0].line, drop_at + 1);
    }
}
