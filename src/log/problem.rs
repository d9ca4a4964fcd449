//! What verifying a log can find wrong, each with the message a person reads.
//!
//! Messages name the line and say what probably happened, because the reader of `verify` is
//! a supervisor deciding whether to trust a record, not a programmer.

use std::fmt;

use super::event::EventError;

/// One thing wrong with one line of a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line number in the file.
    pub line: usize,
    pub reason: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// Why a line is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProblemKind {
    #[error("the line is not valid UTF-8 text")]
    NotUtf8,
    #[error("the line is empty")]
    EmptyLine,
    #[error("the line is not valid JSON ({0})")]
    NotJson(String),
    #[error("the line is not a JSON object")]
    NotObject,
    #[error(
        "the line is over 1 MiB long (at least {bytes} bytes); a log line may be at most 1 MiB — not read"
    )]
    TooLong { bytes: u64 },
    #[error("the line does not end with its hash (`,\"hash\":\"<64 lowercase hex>\"}}`)")]
    NoHash,
    #[error("the line has no whole-number \"seq\" member")]
    NoSeq,
    #[error(
        "the hash does not match the line's content — the line was changed after it was written"
    )]
    Altered,
    #[error("seq {found} where {expected} was expected — {}", missing_words(*found, *expected))]
    Missing { found: u64, expected: u64 },
    #[error("seq {found} comes before seq {expected} — lines were swapped or reordered")]
    Reordered { found: u64, expected: u64 },
    #[error("seq {found} comes after seq {after} — lines were swapped or reordered")]
    Late { found: u64, after: u64 },
    #[error("seq {seq} again — {}", duplicate_words(*first_line, *identical))]
    Duplicate {
        seq: u64,
        first_line: usize,
        /// True when the line is byte for byte the same as the first one.
        identical: bool,
    },
    #[error("{0}")]
    BadEvent(EventError),
    #[error("the log holds no event — a visit log starts with a started event")]
    Empty,
    #[error("the first event is {event}, not started — the start of the log is missing")]
    NotStarted { event: &'static str },
    #[error("a started event that is not on the first line")]
    StartedNotFirst,
    #[error(
        "{event} after the visit was {closed_by} on line {closed_line} — only amended events may follow"
    )]
    AfterClose {
        event: &'static str,
        closed_by: &'static str,
        closed_line: usize,
    },
    #[error("{0}")]
    BadSeal(crate::log::seal::SealWhy),
}

fn missing_words(found: u64, expected: u64) -> String {
    match found.saturating_sub(expected) {
        1 => "a line is missing before it".to_owned(),
        n => format!("{n} lines are missing before it"),
    }
}

fn duplicate_words(first_line: usize, identical: bool) -> String {
    if identical {
        format!("the line is a duplicate of line {first_line}")
    } else {
        format!("line {first_line} already has it; two events claim the same place")
    }
}

/// A last line that was cut short: what a power cut in the middle of a write leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    /// 1-based line number of the torn line.
    pub line: usize,
    /// Where the torn bytes start: the length of the log's whole lines.
    pub offset: u64,
    /// How many bytes are torn.
    pub bytes: u64,
    pub why: TornWhy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TornWhy {
    /// The line has no line ending: the write stopped before its end.
    NoLineEnd,
    /// The line is not a JSON object.
    NotJson,
    /// The line is whole but its hash does not match (only ever decided when resuming).
    BadHash,
}

impl fmt::Display for TornTail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.why {
            TornWhy::NoLineEnd => "it has no line ending",
            TornWhy::NotJson => "it is not a whole JSON object",
            TornWhy::BadHash => "its hash does not match its content",
        };
        let plural = if self.bytes == 1 { "" } else { "s" };
        write!(
            f,
            "line {}: the last line is torn ({} byte{plural}; {why}) — probably a write cut short by a power loss",
            self.line, self.bytes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(line: usize, reason: ProblemKind) -> String {
        Problem { line, reason }.to_string()
    }

    #[test]
    fn messages_name_the_line_and_the_likely_cause() {
        assert_eq!(
            message(4, ProblemKind::Altered),
            "line 4: the hash does not match the line's content — the line was changed after it was written"
        );
        assert_eq!(
            message(
                5,
                ProblemKind::Missing {
                    found: 6,
                    expected: 5
                }
            ),
            "line 5: seq 6 where 5 was expected — a line is missing before it"
        );
        assert_eq!(
            message(
                5,
                ProblemKind::Missing {
                    found: 8,
                    expected: 5
                }
            ),
            "line 5: seq 8 where 5 was expected — 3 lines are missing before it"
        );
        assert_eq!(
            message(
                4,
                ProblemKind::Reordered {
                    found: 5,
                    expected: 4
                }
            ),
            "line 4: seq 5 comes before seq 4 — lines were swapped or reordered"
        );
        assert_eq!(
            message(
                9,
                ProblemKind::AfterClose {
                    event: "answered",
                    closed_by: "finished",
                    closed_line: 8
                }
            ),
            "line 9: answered after the visit was finished on line 8 — only amended events may follow"
        );
        assert_eq!(
            message(
                3,
                ProblemKind::Duplicate {
                    seq: 1,
                    first_line: 2,
                    identical: true
                }
            ),
            "line 3: seq 1 again — the line is a duplicate of line 2"
        );
        let torn = TornTail {
            line: 7,
            offset: 100,
            bytes: 12,
            why: TornWhy::NoLineEnd,
        };
        assert_eq!(
            torn.to_string(),
            "line 7: the last line is torn (12 bytes; it has no line ending) — probably a write cut short by a power loss"
        );
    }
}
