//! A quick reader for the common case: a visit log that is whole and verifies. Opening a
//! store reads 100,000 of them, so this one borrows from the bytes instead of building a
//! JSON tree per line, and leaves the embedded checklist source as raw JSON (comparing it
//! with one seen before is a `memcmp`; unescaping 15 KB per visit is not).
//!
//! It accepts a log only when it is sure `crate::log::reader` would find nothing wrong with
//! it; at the first doubt it says no, and the caller reads the log the thorough way. So
//! problems are always reported by the one reader, in its words.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use std::sync::Arc;

use crate::log::chain::{self, HASH_HEX_LEN};
use crate::log::reader::MAX_LINE_BYTES;
use crate::log::seal::check_seal;
use crate::log::{Event, EventKind, Summary};

use super::checklists::KnownSource;
use super::summary::ChecklistInfo;

/// A clean log, read.
pub struct CleanLog<'a> {
    pub start: Start<'a>,
    /// Every event after `started`, in order.
    pub events: Vec<Event>,
}

/// The `started` event, with the checklist source still as raw JSON text.
pub struct Start<'a> {
    pub visit: String,
    pub technician: String,
    pub host: String,
    pub at: String,
    pub ms: u64,
    pub hash: String,
    pub fields: Map<String, Value>,
    pub checklist_id: String,
    pub checklist_version: String,
    pub recorded_sha256: String,
    pub source: Source<'a>,
}

/// The checklist source a `started` event embeds.
pub enum Source<'a> {
    /// The `source` member as written: a JSON string literal, quotes and escapes included.
    Raw(&'a str),
    /// A source met before (`ChecklistSet::known_sources`), recognised byte for byte.
    Known(Arc<ChecklistInfo>),
}

/// The members any event may have; which ones an event needs is checked per event. A
/// member not among them sends the log to the thorough reader: an unknown member is never
/// looked into here, so whatever it holds (a number out of range, nesting deeper than
/// JSON's limit, a lone surrogate) must be judged there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    seq: u64,
    #[serde(borrow)]
    event: Cow<'a, str>,
    #[serde(borrow)]
    at: Cow<'a, str>,
    ms: u64,
    #[serde(borrow, default)]
    item: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    value: Option<&'a RawValue>,
    #[serde(borrow, default)]
    note: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    reason: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    visit: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    technician: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    host: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    app: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    lang: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    checklist: Option<RawChecklist<'a>>,
    #[serde(borrow, default)]
    fields: Option<&'a RawValue>,
    #[serde(borrow, default)]
    summary: Option<&'a RawValue>,
    #[serde(borrow, default)]
    key: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    head: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    sig: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    sha256: Option<Cow<'a, str>>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(borrow, default)]
    media_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    #[allow(dead_code)] // Read so that a second `hash` member is an error, as it is there.
    hash: Cow<'a, str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    sha256: Cow<'a, str>,
    #[serde(borrow)]
    source: &'a RawValue,
}

/// Reads a log that is whole and clean; `None` when anything is unusual. A checklist source
/// among `known` is recognised in the first line without being scanned again.
pub fn read_clean<'a>(bytes: &'a [u8], known: &[KnownSource]) -> Option<CleanLog<'a>> {
    // A log that does not end with a line ending has a torn tail.
    let body = bytes.strip_suffix(b"\n")?;
    let first_end = memchr::memchr(b'\n', body).unwrap_or(body.len());
    let (first, rest) = body.split_at(first_end);
    if first.len() > MAX_LINE_BYTES {
        return None;
    }
    let (start, mut prev_hash) = read_started(first, known)?;
    let mut events = Vec::with_capacity(body.len() / 160);
    let mut closed = false;
    // After the first line: each line, its line ending cut (found with `memchr`).
    let mut rest = rest.strip_prefix(b"\n");
    let lines = std::iter::from_fn(|| {
        let text = rest?;
        let (line, next) = match memchr::memchr(b'\n', text) {
            Some(end) => (&text[..end], text.get(end + 1..)),
            None => (text, None),
        };
        rest = next;
        Some(line)
    });
    for (index, line) in lines.enumerate() {
        if line.len() > MAX_LINE_BYTES {
            return None;
        }
        let line = std::str::from_utf8(line).ok()?;
        let seq = index as u64 + 1;
        let split = chain::split(line).ok()?;
        if !links(prev_hash, &[split.head.as_bytes()], split.hash) {
            return None;
        }
        let parsed: Line = serde_json::from_str(line).ok()?;
        if parsed.seq != seq {
            return None;
        }
        let kind = kind_of(parsed_kind(&parsed)?, &parsed)?;
        // A seal that does not hold is the thorough reader's to name.
        if let EventKind::Sealed { key, head, sig } = &kind {
            let before = Some((seq - 1, prev_hash));
            check_seal(&start.visit, before, key, head, sig).ok()?;
        }
        if closed && !kind.allowed_after_close() {
            return None;
        }
        closed |= kind.closes_visit();
        prev_hash = split.hash;
        events.push(Event {
            seq,
            at: parsed.at.into_owned(),
            ms: parsed.ms,
            kind,
            hash: split.hash.to_owned(),
        });
    }
    Some(CleanLog { start, events })
}

/// The `started` line: the known-source way when its source is one met before, else the
/// ordinary way.
fn read_started<'a>(line: &'a [u8], known: &[KnownSource]) -> Option<(Start<'a>, &'a str)> {
    if let Some(read) = read_started_known(line, known) {
        return Some(read);
    }
    let line = std::str::from_utf8(line).ok()?;
    let split = chain::split(line).ok()?;
    if !links("", &[split.head.as_bytes()], split.hash) {
        return None;
    }
    let parsed: Line = serde_json::from_str(line).ok()?;
    let (mut start, raw) = start_of(parsed, split.hash)?;
    start.source = Source::Raw(raw);
    Some((start, split.hash))
}

/// What a `source` member starts with.
const SOURCE_KEY: &[u8] = b"\"source\":";

/// The `started` line of a log whose embedded source is a known one, without scanning that
/// source (15 KB a visit): the line is hashed whole, then parsed with the source cut out.
/// `None` unless that reading is sure to be the ordinary one's: `"source":` occurs once in
/// the line (it cannot occur inside a JSON string, whose quotes are escaped), so the parse
/// of the shortened line finds the checklist's `source` there and nowhere else, and what
/// follows a complete string literal is read the same whatever the literal held.
fn read_started_known<'a>(line: &'a [u8], known: &[KnownSource]) -> Option<(Start<'a>, &'a str)> {
    if known.is_empty() {
        return None;
    }
    let mut keys = memchr::memmem::find_iter(line, SOURCE_KEY);
    let value_at = keys.next()? + SOURCE_KEY.len();
    if keys.next().is_some() {
        return None;
    }
    let value = line.get(value_at..)?;
    let source = known.iter().find(|k| value.starts_with(k.raw.as_bytes()))?;
    let before = std::str::from_utf8(line.get(..value_at)?).ok()?;
    let after = std::str::from_utf8(value.get(source.raw.len()..)?).ok()?;
    let split = chain::split(after).ok()?;
    let head = [
        before.as_bytes(),
        source.raw.as_bytes(),
        split.head.as_bytes(),
    ];
    if !links("", &head, split.hash) {
        return None;
    }
    let mut shortened = String::with_capacity(before.len() + 2 + after.len());
    shortened.push_str(before);
    shortened.push_str(CUT_SOURCE);
    shortened.push_str(after);
    let parsed: Line = serde_json::from_str(&shortened).ok()?;
    let (mut start, cut) = start_of(parsed, split.hash)?;
    if cut != CUT_SOURCE || start.recorded_sha256 != source.recorded_sha256 {
        return None;
    }
    start.source = Source::Known(source.info.clone());
    Some((start, split.hash))
}

/// The `source` member of a shortened line.
const CUT_SOURCE: &str = "\"\"";

/// The `Start` of a parsed `started` line, and its `source` member as written (borrowed from
/// the line parsed). Anything a started event must have, missing, is `None`.
fn start_of<'a, 'l>(parsed: Line<'l>, hash: &str) -> Option<(Start<'a>, &'l str)> {
    if parsed.seq != 0 || parsed.event != "started" {
        return None;
    }
    let checklist = parsed.checklist?;
    let raw_source = checklist.source.get();
    if !raw_source.starts_with('"') {
        return None;
    }
    // `app` and `lang` are not summarised, but a started event must have them.
    parsed.app.as_ref()?;
    parsed.lang.as_ref()?;
    let start = Start {
        visit: parsed.visit?.into_owned(),
        technician: parsed.technician?.into_owned(),
        host: parsed.host?.into_owned(),
        at: parsed.at.into_owned(),
        ms: parsed.ms,
        hash: hash.to_owned(),
        fields: serde_json::from_str(parsed.fields?.get()).ok()?,
        checklist_id: checklist.id.into_owned(),
        checklist_version: checklist.version.into_owned(),
        recorded_sha256: checklist.sha256.into_owned(),
        source: Source::Raw(""),
    };
    Some((start, raw_source))
}

/// The event's name, when it is one a line after the first may have.
fn parsed_kind<'l>(line: &'l Line<'_>) -> Option<&'l str> {
    let name: &str = &line.event;
    (name != "started" && EventKind::NAMES.contains(&name)).then_some(name)
}

/// The event a line holds, with the members its kind requires, typed as `EventKind` types
/// them; `None` if one is missing or of the wrong type.
fn kind_of(name: &str, line: &Line<'_>) -> Option<EventKind> {
    let item = || line.item.as_ref().map(|i| i.clone().into_owned());
    let value = || -> Option<Value> { serde_json::from_str(line.value?.get()).ok() };
    let note = || line.note.as_ref().map(|n| n.clone().into_owned());
    let reason = || line.reason.as_ref().map(|r| r.clone().into_owned());
    Some(match name {
        "answered" => EventKind::Answered {
            item: item()?,
            value: value()?,
            note: note(),
        },
        "noted" => EventKind::Noted {
            item: item()?,
            note: note()?,
        },
        "cleared" => EventKind::Cleared { item: item()? },
        "fields" => EventKind::Fields {
            fields: serde_json::from_str(line.fields?.get()).ok()?,
        },
        "paused" => EventKind::Paused,
        "resumed" => EventKind::Resumed,
        "finished" => EventKind::Finished {
            summary: serde_json::from_str::<Summary>(line.summary?.get()).ok()?,
        },
        "abandoned" => EventKind::Abandoned { reason: reason()? },
        "sealed" => EventKind::Sealed {
            key: line.key.as_ref()?.clone().into_owned(),
            head: line.head.as_ref()?.clone().into_owned(),
            sig: line.sig.as_ref()?.clone().into_owned(),
        },
        // Without an item, it answers the supervisor's comment: `value` is null then, and
        // a null `value` reads as absent here, as the thorough reader defaults it.
        "attached" => EventKind::Attached {
            item: item()?,
            sha256: line.sha256.as_ref()?.clone().into_owned(),
            size: line.size?,
            media_type: line.media_type.as_ref()?.clone().into_owned(),
            name: line.name.as_ref()?.clone().into_owned(),
            reason: reason(),
            technician: line.technician.as_ref().map(|t| t.clone().into_owned()),
            host: line.host.as_ref().map(|h| h.clone().into_owned()),
        },
        "detached" => EventKind::Detached {
            item: item()?,
            sha256: line.sha256.as_ref()?.clone().into_owned(),
            reason: reason(),
            technician: line.technician.as_ref().map(|t| t.clone().into_owned()),
            host: line.host.as_ref().map(|h| h.clone().into_owned()),
        },
        "amended" => EventKind::Amended {
            item: item(),
            value: value().unwrap_or(Value::Null),
            note: note(),
            reason: reason()?,
            technician: line.technician.as_ref().map(|t| t.clone().into_owned()),
            host: line.host.as_ref().map(|h| h.clone().into_owned()),
        },
        _ => return None,
    })
}

/// Whether `hash` is `sha256(prev + "\n" + head + "}")`, the head given in parts: the digest
/// is written out as hex on the stack and compared in one go.
fn links(prev: &str, head: &[&[u8]], hash: &str) -> bool {
    let mut digest = Sha256::new()
        .chain_update(prev.as_bytes())
        .chain_update(b"\n");
    for part in head {
        digest.update(part);
    }
    let digest = digest.chain_update(b"}").finalize();
    let mut hex = [0u8; HASH_HEX_LEN];
    for (pair, byte) in hex.chunks_exact_mut(2).zip(digest.iter()) {
        pair.copy_from_slice(&chain::hex_pair(*byte));
    }
    hash.as_bytes() == hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::reader::analyze_log;
    use crate::log::{ChecklistRef, StartInfo};
    use proptest::prelude::*;
    use serde_json::json;

    fn log() -> Vec<u8> {
        let kinds = vec![
            EventKind::Started {
                visit: "01JD0000000000000000000000".into(),
                info: StartInfo {
                    technician: "张三".into(),
                    host: "tb".into(),
                    app: "sitecheck".into(),
                    lang: "zh-CN".into(),
                    checklist: ChecklistRef {
                        id: "mini".into(),
                        version: "1".into(),
                        sha256: "0".repeat(64),
                        source: "sitecheck: 1\nid: \"mini\"\n".into(),
                    },
                    fields: serde_json::from_value(json!({"work_order": "WO-1"})).unwrap(),
                },
            },
            EventKind::Answered {
                item: "badge".into(),
                value: json!("pass"),
                note: Some("门口\n\"出示\"".into()),
            },
            EventKind::Noted {
                item: "badge".into(),
                note: "ok".into(),
            },
            EventKind::Cleared {
                item: "badge".into(),
            },
            EventKind::Fields {
                fields: serde_json::from_value(json!({"customer": "李四"})).unwrap(),
            },
            EventKind::Paused,
            EventKind::Resumed,
            EventKind::Answered {
                item: "n".into(),
                value: json!(229.5),
                note: None,
            },
            EventKind::Finished {
                summary: Summary {
                    score: Some(0.5),
                    result: "fail".into(),
                    passed: 1,
                    failed: 1,
                    na: 0,
                    missing: 0,
                },
            },
            EventKind::Amended {
                item: Some("n".into()),
                value: json!(230),
                note: Some("meter replaced".into()),
                reason: "re-measured".into(),
                technician: Some("张三".into()),
                host: Some("tb".into()),
            },
            EventKind::Amended {
                item: None,
                value: Value::Null,
                note: None,
                reason: "客户已确认".into(),
                technician: Some("张三".into()),
                host: Some("tb".into()),
            },
        ];
        let mut prev = String::new();
        let mut bytes = Vec::new();
        for (seq, kind) in kinds.into_iter().enumerate() {
            let (event, line) = Event::seal(
                &prev,
                seq as u64,
                "2026-11-22T10:00:00.000+08:00".into(),
                seq as u64,
                kind,
            )
            .unwrap();
            prev = event.hash;
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        bytes
    }

    const SOURCE: &str = "sitecheck: 1\nid: \"mini\"\n";

    /// The log's own source as met before (recorded with the log's sha256).
    fn known() -> KnownSource {
        KnownSource {
            recorded_sha256: "0".repeat(64),
            raw: serde_json::to_string(SOURCE).unwrap().into(),
            info: Arc::new(ChecklistInfo {
                source: Some(SOURCE.into()),
                ..ChecklistInfo::default()
            }),
        }
    }

    /// The quick reader's promise: whatever it accepts, with or without known sources, the
    /// thorough reader finds clean and reads as the same events.
    fn agrees(bytes: &[u8]) {
        for known in [Vec::new(), vec![known()]] {
            let Some(clean) = read_clean(bytes, &known) else {
                continue;
            };
            let thorough = analyze_log(bytes);
            assert!(thorough.is_clean(), "accepted, but {:?}", thorough.problems);
            assert_eq!(thorough.events.get(1..), Some(clean.events.as_slice()));
            let first = thorough.events.first().unwrap();
            assert_eq!(first.hash, clean.start.hash);
            let EventKind::Started { info, visit } = &first.kind else {
                panic!("not started")
            };
            assert_eq!(visit, &clean.start.visit);
            let source = match &clean.start.source {
                Source::Raw(raw) => serde_json::from_str::<String>(raw).unwrap(),
                Source::Known(known) => known.source.as_deref().unwrap().to_owned(),
            };
            assert_eq!(source, info.checklist.source);
            assert_eq!(info.checklist.sha256, clean.start.recorded_sha256);
            assert_eq!(info.fields, clean.start.fields);
        }
    }

    #[test]
    fn reads_a_clean_log_as_the_thorough_reader_does() {
        let bytes = log();
        assert!(matches!(
            read_clean(&bytes, &[]).map(|c| c.start.source),
            Some(Source::Raw(_))
        ));
        assert!(matches!(
            read_clean(&bytes, &[known()]).map(|c| c.start.source),
            Some(Source::Known(_))
        ));
        agrees(&bytes);
    }

    #[test]
    fn a_known_source_is_only_taken_when_nothing_else_could_be_meant() {
        let bytes = log();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let first = text.lines().next().unwrap();
        let body = chain::split(first).unwrap().body();
        let reseal = |body: String| -> Vec<u8> {
            let sealed = chain::seal("", &body).unwrap();
            let mut out = sealed.line.into_bytes();
            out.push(b'\n');
            out
        };
        // `"source":` twice (a header field named so): read the ordinary way, and alike.
        let twice = reseal(body.replace("{\"work_order\"", "{\"source\":\"x\",\"work_order\""));
        let read = read_clean(&twice, &[known()]).unwrap();
        assert!(matches!(read.start.source, Source::Raw(_)));
        agrees(&twice);
        // The same source recorded with another sha256: not the known entry.
        let other_sha = reseal(body.replace(&"0".repeat(64), &"1".repeat(64)));
        let read = read_clean(&other_sha, &[known()]).unwrap();
        assert!(matches!(read.start.source, Source::Raw(_)));
        agrees(&other_sha);
        // A longer source that begins as the known one does.
        let longer = reseal(body.replace("\\\"mini\\\"\\n\"", "\\\"mini\\\"\\nx: 1\""));
        assert_ne!(longer, reseal(body.clone()));
        let read = read_clean(&longer, &[known()]).unwrap();
        assert!(matches!(read.start.source, Source::Raw(_)));
        agrees(&longer);
    }

    #[test]
    fn leaves_anything_unusual_to_the_thorough_reader() {
        let bytes = log();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let reseal = |bodies: Vec<String>| -> Vec<u8> {
            let mut prev = String::new();
            let mut out = Vec::new();
            for body in bodies {
                let sealed = chain::seal(&prev, &body).unwrap();
                prev = sealed.hash;
                out.extend_from_slice(sealed.line.as_bytes());
                out.push(b'\n');
            }
            out
        };
        let bodies: Vec<String> = lines
            .iter()
            .map(|l| chain::split(l).unwrap().body())
            .collect();
        let with = |i: usize, f: &dyn Fn(&str) -> String| {
            let mut b = bodies.clone();
            b[i] = f(&b[i]);
            reseal(b)
        };
        let cases = vec![
            // Torn, unterminated, altered.
            bytes[..bytes.len() - 1].to_vec(),
            bytes[..bytes.len() - 10].to_vec(),
            text.replacen("\"pass\"", "\"fail\"", 1).into_bytes(),
            // Well chained but breaking a visit rule or a type.
            with(1, &|b| b.replace("\"seq\":1", "\"seq\":7")),
            with(2, &|b| b.replace("\"note\":\"ok\"", "\"note\":null")),
            with(1, &|b| b.replace("\"item\":\"badge\"", "\"item\":5")),
            with(5, &|b| b.replace("paused", "teleported")),
            with(5, &|b| b.replace("paused", "started")),
            with(9, &|b| b.replace("amended", "answered")),
            with(0, &|b| b.replace("\"fields\":", "\"fields\":[],\"x\":")),
            with(1, &|b| b.replace("{\"seq\"", "{\"hash\":\"x\",\"seq\"")),
        ];
        for (i, case) in cases.iter().enumerate() {
            assert!(read_clean(case, &[]).is_none(), "case {i} was accepted");
            assert!(
                read_clean(case, &[known()]).is_none(),
                "case {i} was accepted"
            );
        }
        // An unknown member is left to the thorough reader (which ignores it when it is
        // sound JSON), as are values JSON cannot hold that hide in one: nesting past the
        // limit, a number out of range, a lone surrogate.
        let extra = with(1, &|b| {
            b.replace("{\"seq\"", "{\"future\":[1,{\"a\":2}],\"seq\"")
        });
        assert!(read_clean(&extra, &[known()]).is_none());
        assert!(analyze_log(&extra).is_clean());
        for hazard in [
            format!("{}{}", "[".repeat(200), "]".repeat(200)),
            "1e999".to_owned(),
            "\"\\ud800\"".to_owned(),
        ] {
            let hostile = with(1, &|b| {
                b.replace("{\"seq\"", &format!("{{\"x\":{hazard},\"seq\""))
            });
            assert!(read_clean(&hostile, &[known()]).is_none(), "{hazard}");
            assert!(!analyze_log(&hostile).problems.is_empty(), "{hazard}");
        }
    }

    proptest! {
        #[test]
        fn never_accepts_what_the_thorough_reader_rejects(
            position in 0usize..4096,
            byte in any::<u8>(),
            cut in any::<bool>(),
        ) {
            let mut bytes = log();
            let position = position % bytes.len();
            if cut {
                bytes.remove(position);
            } else {
                bytes[position] = byte;
            }
            agrees(&bytes);
        }
    }
}
