//! The events of a visit log and how each one is written as a line (SPEC section 5).
//!
//! A line is `{"seq":N,"event":"<name>","at":"...","ms":N,<the kind's members>,"hash":"..."}`
//! with the members in exactly that order. The order is part of the contract, so lines are
//! assembled member by member rather than left to a derive.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::chain::{self, ChainError};

/// One line of a visit log.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// 0, 1, 2 ... in file order.
    pub seq: u64,
    /// RFC 3339 with the local UTC offset and milliseconds, e.g. `2026-11-22T10:00:00.123+08:00`.
    pub at: String,
    /// Milliseconds since the visit started, from a monotonic clock, carried across resumes.
    pub ms: u64,
    pub kind: EventKind,
    /// This line's link in the hash chain.
    pub hash: String,
}

/// What happened, with the members each kind of event carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    Started {
        visit: String,
        #[serde(flatten)]
        info: StartInfo,
    },
    Answered {
        item: String,
        value: Value,
        note: Option<String>,
    },
    Noted {
        item: String,
        note: String,
    },
    Cleared {
        item: String,
    },
    Fields {
        fields: Map<String, Value>,
    },
    Paused,
    Resumed,
    Finished {
        summary: Summary,
    },
    Abandoned {
        reason: String,
    },
    /// A change after the visit was closed (SPEC section 5). `item` names the item whose
    /// answer (and, when `note` is not null, note) it changes; without an item (`"item":null`,
    /// `"value":null`) it answers the supervisor's general comment, in `reason`.
    /// `technician` and `host` say who amended it; logs written before they were recorded
    /// lack them (an unknown amender), so they are left out only when unknown.
    Amended {
        item: Option<String>,
        #[serde(default)]
        value: Value,
        note: Option<String>,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        technician: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// A file attached to an item as evidence (SPEC section 10), copied into the store under
    /// its sha256 before this line was written. After the visit is closed it is an
    /// amendment: `reason`, `technician` and `host` say why and who (absent before close).
    Attached {
        item: String,
        sha256: String,
        size: u64,
        media_type: String,
        /// The file's name where it was attached from: shown, never used as a path.
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        technician: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// An attachment taken off an item's answer (the file stays in the store); after close,
    /// an amendment as for `attached`.
    Detached {
        item: String,
        sha256: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        technician: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// The laptop's signature over the line before (`crate::log::seal`).
    Sealed {
        /// The public key, standard base64.
        key: String,
        /// The hash of the line sealed: the line just before.
        head: String,
        /// The ed25519 signature, standard base64.
        sig: String,
    },
}

/// The members of a `started` event other than the visit id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartInfo {
    pub technician: String,
    pub host: String,
    /// Name and version of the program, e.g. `sitecheck 0.1.0`.
    pub app: String,
    pub lang: String,
    pub checklist: ChecklistRef,
    /// Visit header fields (work order, customer ...), in the order they were given.
    pub fields: Map<String, Value>,
}

/// The checklist a visit follows, with its whole text, so the log can be read on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistRef {
    pub id: String,
    pub version: String,
    /// Lowercase hex sha256 of `source`.
    pub sha256: String,
    /// The checklist's whole YAML text.
    pub source: String,
}

/// The figures written when a visit is finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub score: Option<f64>,
    pub result: String,
    pub passed: u32,
    pub failed: u32,
    pub na: u32,
    pub missing: u32,
}

impl EventKind {
    /// Every event name a log may hold.
    pub const NAMES: [&'static str; 13] = [
        "started",
        "answered",
        "noted",
        "cleared",
        "fields",
        "paused",
        "resumed",
        "finished",
        "abandoned",
        "amended",
        "sealed",
        "attached",
        "detached",
    ];

    /// The name written in the line's `event` member.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Started { .. } => "started",
            EventKind::Answered { .. } => "answered",
            EventKind::Noted { .. } => "noted",
            EventKind::Cleared { .. } => "cleared",
            EventKind::Fields { .. } => "fields",
            EventKind::Paused => "paused",
            EventKind::Resumed => "resumed",
            EventKind::Finished { .. } => "finished",
            EventKind::Abandoned { .. } => "abandoned",
            EventKind::Amended { .. } => "amended",
            EventKind::Sealed { .. } => "sealed",
            EventKind::Attached { .. } => "attached",
            EventKind::Detached { .. } => "detached",
        }
    }

    /// True for a change made after close: `amended`, and an attachment added or taken off
    /// with a reason.
    pub fn is_amendment(&self) -> bool {
        match self {
            EventKind::Amended { .. } => true,
            EventKind::Attached { reason, .. } | EventKind::Detached { reason, .. } => {
                reason.is_some()
            }
            _ => false,
        }
    }

    /// True for the events that may follow `finished` or `abandoned`: amendments and seals.
    pub fn allowed_after_close(&self) -> bool {
        self.is_amendment() || matches!(self, EventKind::Sealed { .. })
    }

    /// True for the events a seal follows: those that end a stretch of work on the laptop
    /// (`paused`, the closing events) and every change after close.
    pub fn is_sealable(&self) -> bool {
        match self {
            EventKind::Paused | EventKind::Finished { .. } | EventKind::Abandoned { .. } => true,
            other => other.is_amendment(),
        }
    }

    /// True for the events that close a visit: after them only `amended` (and `sealed`) may
    /// follow.
    pub fn closes_visit(&self) -> bool {
        matches!(
            self,
            EventKind::Finished { .. } | EventKind::Abandoned { .. }
        )
    }
}

/// Why a line could not be read as an event, or an event not written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("the line is not valid JSON ({0})")]
    NotJson(String),
    #[error("the line is not a JSON object")]
    NotObject,
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error("the line has no \"{0}\" member")]
    Missing(&'static str),
    #[error("the \"{member}\" member is not {expected}")]
    WrongType {
        member: &'static str,
        expected: &'static str,
    },
    #[error("unknown event \"{0}\"")]
    UnknownEvent(String),
    #[error("the {event} event has wrong members: {detail}")]
    BadMembers { event: String, detail: String },
    #[error("the {0} event could not be written as JSON")]
    NotWritable(&'static str),
}

impl Event {
    /// Builds the event that follows a line whose hash is `prev`, and its line (without the
    /// line ending).
    pub fn seal(
        prev: &str,
        seq: u64,
        at: String,
        ms: u64,
        kind: EventKind,
    ) -> Result<(Event, String), EventError> {
        let body = body_of(seq, &at, ms, &kind)?;
        let sealed = chain::seal(prev, &body)?;
        let event = Event {
            seq,
            at,
            ms,
            kind,
            hash: sealed.hash,
        };
        Ok((event, sealed.line))
    }

    /// The line's body: every member but `hash`, in the contract's order.
    pub fn body(&self) -> Result<String, EventError> {
        body_of(self.seq, &self.at, self.ms, &self.kind)
    }

    /// The body of the event these parts make, for a writer that seals it itself.
    pub fn body_for(seq: u64, at: &str, ms: u64, kind: &EventKind) -> Result<String, EventError> {
        body_of(seq, at, ms, kind)
    }

    /// The whole line (without the line ending), carrying `self.hash` as it is.
    pub fn to_line(&self) -> Result<String, EventError> {
        let body = self.body()?;
        let head = body
            .strip_suffix('}')
            .ok_or(EventError::NotWritable(self.kind.name()))?;
        Ok(format!("{head},\"hash\":\"{}\"}}", self.hash))
    }

    /// Reads one line (without its line ending). Checks the shape of the line, not the chain:
    /// that is the reader's job, since it needs the line before.
    pub fn from_line(line: &str) -> Result<Event, EventError> {
        let value: Value =
            serde_json::from_str(line).map_err(|e| EventError::NotJson(e.to_string()))?;
        let Value::Object(mut object) = value else {
            return Err(EventError::NotObject);
        };
        let hash = chain::split(line)?.hash.to_owned();
        object.remove("hash");
        Event::from_object(object, hash)
    }

    /// Builds an event from a line's members (without `hash`) and the line's hash. Members
    /// this version does not know are ignored (a newer sitecheck may add some); the hash
    /// still covers them.
    pub fn from_object(mut object: Map<String, Value>, hash: String) -> Result<Event, EventError> {
        let seq = take_u64(&mut object, "seq")?;
        let at = match object.remove("at") {
            Some(Value::String(at)) => at,
            Some(_) => {
                return Err(EventError::WrongType {
                    member: "at",
                    expected: "text",
                });
            }
            None => return Err(EventError::Missing("at")),
        };
        let ms = take_u64(&mut object, "ms")?;
        let name = match object.get("event") {
            Some(Value::String(name)) => name.clone(),
            Some(_) => {
                return Err(EventError::WrongType {
                    member: "event",
                    expected: "text",
                });
            }
            None => return Err(EventError::Missing("event")),
        };
        // Checked first so an unknown name gets its own message rather than serde's list.
        if !EventKind::NAMES.contains(&name.as_str()) {
            return Err(EventError::UnknownEvent(name));
        }
        let kind =
            serde_json::from_value(Value::Object(object)).map_err(|e| EventError::BadMembers {
                event: name,
                detail: e.to_string(),
            })?;
        Ok(Event {
            seq,
            at,
            ms,
            kind,
            hash,
        })
    }
}

fn take_u64(object: &mut Map<String, Value>, member: &'static str) -> Result<u64, EventError> {
    let value = object.remove(member).ok_or(EventError::Missing(member))?;
    value.as_u64().ok_or(EventError::WrongType {
        member,
        expected: "a whole number",
    })
}

fn body_of(seq: u64, at: &str, ms: u64, kind: &EventKind) -> Result<String, EventError> {
    let name = kind.name();
    let Ok(Value::Object(members)) = serde_json::to_value(kind) else {
        return Err(EventError::NotWritable(name));
    };
    let mut object = Map::with_capacity(members.len() + 3);
    object.insert("seq".to_owned(), Value::from(seq));
    object.insert("event".to_owned(), Value::from(name));
    object.insert("at".to_owned(), Value::from(at));
    object.insert("ms".to_owned(), Value::from(ms));
    // serde writes the tag first, then the members in declaration order.
    object.extend(members.into_iter().filter(|(key, _)| key != "event"));
    serde_json::to_string(&object).map_err(|_| EventError::NotWritable(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    fn started() -> EventKind {
        EventKind::Started {
            visit: "01JD0000000000000000000000".to_owned(),
            info: StartInfo {
                technician: "zhang.san".to_owned(),
                host: "tb-0042".to_owned(),
                app: "sitecheck 0.1.0".to_owned(),
                lang: "zh-CN".to_owned(),
                checklist: ChecklistRef {
                    id: "haier-12345".to_owned(),
                    version: "2024.1".to_owned(),
                    sha256: "ab".repeat(32),
                    source: "id: haier-12345\ntitle: \"海尔 1-2-3-4-5\"\n".to_owned(),
                },
                fields: object(json!({"work_order": "WO-1234", "customer": "李四", "a": 1})),
            },
        }
    }

    pub(crate) fn every_kind() -> Vec<EventKind> {
        vec![
            started(),
            EventKind::Answered {
                item: "badge".to_owned(),
                value: json!("pass"),
                note: None,
            },
            EventKind::Answered {
                item: "drain".to_owned(),
                value: json!(["a", "b"]),
                note: Some("水管\n\"漏\"".to_owned()),
            },
            EventKind::Answered {
                item: "voltage".to_owned(),
                value: json!(229.5),
                note: None,
            },
            EventKind::Noted {
                item: "badge".to_owned(),
                note: "badge shown at the door".to_owned(),
            },
            EventKind::Cleared {
                item: "badge".to_owned(),
            },
            EventKind::Fields {
                fields: object(json!({"zeta": "z", "customer": "王五"})),
            },
            EventKind::Paused,
            EventKind::Resumed,
            EventKind::Finished {
                summary: Summary {
                    score: Some(0.93),
                    result: "pass".to_owned(),
                    passed: 20,
                    failed: 1,
                    na: 2,
                    missing: 0,
                },
            },
            EventKind::Finished {
                summary: Summary {
                    score: None,
                    result: "fail".to_owned(),
                    passed: 0,
                    failed: 0,
                    na: 0,
                    missing: 3,
                },
            },
            EventKind::Abandoned {
                reason: "customer not at home".to_owned(),
            },
            EventKind::Amended {
                item: Some("drain".to_owned()),
                value: json!("yes"),
                note: None,
                reason: "re-tested after supervisor follow-up".to_owned(),
                technician: Some("zhang.san".to_owned()),
                host: Some("tb-0042".to_owned()),
            },
            EventKind::Amended {
                item: None,
                value: Value::Null,
                note: None,
                reason: "the customer asked for the later slot".to_owned(),
                technician: Some("zhang.san".to_owned()),
                host: Some("tb-0042".to_owned()),
            },
            // As written before amendments named who made them.
            EventKind::Amended {
                item: Some("drain".to_owned()),
                value: json!("no"),
                note: Some("hose kinked".to_owned()),
                reason: "re-tested".to_owned(),
                technician: None,
                host: None,
            },
            EventKind::Sealed {
                key: "a".repeat(44),
                head: "ab".repeat(32),
                sig: "s".repeat(88),
            },
        ]
    }

    #[test]
    fn every_kind_round_trips_through_a_line() {
        let mut prev = String::new();
        for (seq, kind) in every_kind().into_iter().enumerate() {
            let seq = seq as u64;
            let at = "2026-11-22T10:00:00.123+08:00".to_owned();
            let (event, line) = Event::seal(&prev, seq, at, seq * 1000, kind).unwrap();
            let back = Event::from_line(&line).unwrap();
            assert_eq!(back, event, "{line}");
            assert_eq!(event.to_line().unwrap(), line);
            assert!(chain::split(&line).unwrap().links_to(&prev));
            prev = event.hash;
        }
    }

    #[test]
    fn members_are_written_in_the_contract_order() {
        let kind = EventKind::Answered {
            item: "badge".to_owned(),
            value: json!("pass"),
            note: None,
        };
        let at = "2026-11-22T10:00:41.373+08:00".to_owned();
        let (event, line) = Event::seal("", 1, at, 41250, kind).unwrap();
        assert_eq!(
            line,
            format!(
                r#"{{"seq":1,"event":"answered","at":"2026-11-22T10:00:41.373+08:00","ms":41250,"item":"badge","value":"pass","note":null,"hash":"{}"}}"#,
                event.hash
            )
        );

        let (_, line) = Event::seal("", 0, "t".to_owned(), 0, started()).unwrap();
        let keys: Vec<String> = object(serde_json::from_str(&line).unwrap())
            .keys()
            .cloned()
            .collect();
        let expected = [
            "seq",
            "event",
            "at",
            "ms",
            "visit",
            "technician",
            "host",
            "app",
            "lang",
            "checklist",
            "fields",
            "hash",
        ];
        assert_eq!(keys, expected);
        assert!(
            line.contains(r#""fields":{"work_order":"WO-1234","customer":"李四","a":1},"hash":""#)
        );
        assert!(line.contains(r#""checklist":{"id":"haier-12345","version":"2024.1","sha256":""#));

        let kind = EventKind::Amended {
            item: Some("drain".to_owned()),
            value: json!("yes"),
            note: Some("ok".to_owned()),
            reason: "re-tested".to_owned(),
            technician: Some("zhang.san".to_owned()),
            host: Some("tb-0042".to_owned()),
        };
        let (event, line) = Event::seal("", 10, "t".to_owned(), 5, kind).unwrap();
        assert_eq!(
            line,
            format!(
                r#"{{"seq":10,"event":"amended","at":"t","ms":5,"item":"drain","value":"yes","note":"ok","reason":"re-tested","technician":"zhang.san","host":"tb-0042","hash":"{}"}}"#,
                event.hash
            )
        );
        // The answer to the supervisor's general comment: no item, no value.
        let kind = EventKind::Amended {
            item: None,
            value: Value::Null,
            note: None,
            reason: "done as asked".to_owned(),
            technician: Some("zhang.san".to_owned()),
            host: Some("tb-0042".to_owned()),
        };
        let (event, line) = Event::seal("", 11, "t".to_owned(), 6, kind).unwrap();
        assert_eq!(
            line,
            format!(
                r#"{{"seq":11,"event":"amended","at":"t","ms":6,"item":null,"value":null,"note":null,"reason":"done as asked","technician":"zhang.san","host":"tb-0042","hash":"{}"}}"#,
                event.hash
            )
        );
        let (event, line) = Event::seal("", 5, "t".to_owned(), 5, EventKind::Paused).unwrap();
        assert_eq!(
            line,
            format!(
                r#"{{"seq":5,"event":"paused","at":"t","ms":5,"hash":"{}"}}"#,
                event.hash
            )
        );
    }

    #[test]
    fn bad_lines_are_errors_not_panics() {
        let h = "0".repeat(64);
        let cases: Vec<(String, &str)> = vec![
            ("".to_owned(), "not valid JSON"),
            ("{\"seq\":1".to_owned(), "not valid JSON"),
            ("[1,2]".to_owned(), "not a JSON object"),
            ("{\"seq\":1}".to_owned(), "does not end with its hash"),
            (
                format!(r#"{{"event":"paused","at":"t","ms":0,"hash":"{h}"}}"#),
                "no \"seq\" member",
            ),
            (
                format!(r#"{{"seq":-1,"event":"paused","at":"t","ms":0,"hash":"{h}"}}"#),
                "\"seq\" member is not a whole number",
            ),
            (
                format!(r#"{{"seq":1,"event":"paused","at":5,"ms":0,"hash":"{h}"}}"#),
                "\"at\" member is not text",
            ),
            (
                format!(r#"{{"seq":1,"event":"paused","at":"t","ms":1.5,"hash":"{h}"}}"#),
                "\"ms\" member is not a whole number",
            ),
            (
                format!(r#"{{"seq":1,"at":"t","ms":0,"hash":"{h}"}}"#),
                "no \"event\" member",
            ),
            (
                format!(r#"{{"seq":1,"event":"teleported","at":"t","ms":0,"hash":"{h}"}}"#),
                "unknown event \"teleported\"",
            ),
            (
                format!(r#"{{"seq":1,"event":"Paused","at":"t","ms":0,"hash":"{h}"}}"#),
                "unknown event \"Paused\"",
            ),
            (
                format!(
                    r#"{{"seq":1,"event":"answered","at":"t","ms":0,"item":"x","hash":"{h}"}}"#
                ),
                "the answered event has wrong members: missing field `value`",
            ),
            (
                format!(r#"{{"seq":1,"event":"cleared","at":"t","ms":0,"item":3,"hash":"{h}"}}"#),
                "the cleared event has wrong members",
            ),
            (
                format!(
                    r#"{{"seq":1,"event":"finished","at":"t","ms":0,"summary":{{}},"hash":"{h}"}}"#
                ),
                "the finished event has wrong members",
            ),
        ];
        for (line, message) in cases {
            let err = Event::from_line(&line).unwrap_err().to_string();
            assert!(err.contains(message), "{line}: {err}");
        }
    }

    #[test]
    fn an_amendment_written_before_amenders_were_named_reads_as_unknown() {
        let h = "0".repeat(64);
        let line = format!(
            r#"{{"seq":9,"event":"amended","at":"t","ms":0,"item":"drain","value":"yes","note":null,"reason":"r","hash":"{h}"}}"#
        );
        let event = Event::from_line(&line).unwrap();
        assert_eq!(
            event.kind,
            EventKind::Amended {
                item: Some("drain".to_owned()),
                value: json!("yes"),
                note: None,
                reason: "r".to_owned(),
                technician: None,
                host: None,
            }
        );
        // Written again, it is the same line: nothing is added to what was recorded.
        assert_eq!(event.to_line().unwrap(), line);
    }

    #[test]
    fn a_missing_note_reads_as_none() {
        let h = "0".repeat(64);
        let line = format!(
            r#"{{"seq":1,"event":"answered","at":"t","ms":0,"item":"x","value":null,"hash":"{h}"}}"#
        );
        let event = Event::from_line(&line).unwrap();
        assert_eq!(
            event.kind,
            EventKind::Answered {
                item: "x".to_owned(),
                value: Value::Null,
                note: None
            }
        );
    }
}
