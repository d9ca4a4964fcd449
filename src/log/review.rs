//! The review-log format (SPEC section 5): chained like visit logs, one `review` event per
//! line; `crate::store::reviews` says where they live. They are written through `crate::log::ChainFile`
//! (locked, fsynced, torn tails moved aside) and never touch the visit's own log.
//!
//! A line: `{"seq":0,"event":"review","at":"...","visit":"...","visit_hash":"...",
//! "reviewer":"...","verdict":"approved|follow_up|rejected","comment":"...","hash":"..."}`,
//! with `"item":"<id>"` after `comment` for a per-item flag (whose verdict is follow_up).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::chain::HASH_HEX_LEN;
use super::integrity::{Integrity, LineProblem, TornInfo};
use super::reader::{ChainRead, analyze_chain};
use super::{ChainFile, LogError, format_at, is_visit_id};

/// A supervisor's judgement of a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approved,
    FollowUp,
    Rejected,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Approved, Verdict::FollowUp, Verdict::Rejected];

    /// The word written in the log.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::FollowUp => "follow_up",
            Verdict::Rejected => "rejected",
        }
    }

    pub fn from_name(name: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// One review event, as read back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub seq: u64,
    pub at: String,
    pub visit: String,
    /// Hash of the visit log's last line when the review was made.
    pub visit_hash: String,
    pub reviewer: String,
    pub verdict: Verdict,
    pub comment: String,
    /// The flagged item, for a per-item follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    pub hash: String,
}

/// A review about to be written. `visit_hash` is the hash of the visit log's last line as
/// the reviewer saw it (`VisitSummary::last_hash`).
#[derive(Clone, Debug, PartialEq)]
pub struct NewReview<'a> {
    pub visit: &'a str,
    pub visit_hash: &'a str,
    pub reviewer: &'a str,
    pub verdict: Verdict,
    pub comment: &'a str,
    /// A per-item flag: the verdict must then be `FollowUp`.
    pub item: Option<&'a str>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("error: \"{0}\" is not a visit id")]
    BadVisitId(String),
    #[error("error: the reviewer's name is empty (give --technician or set it in the config)")]
    NoReviewer,
    #[error("error: \"{0}\" is not the hash of a visit log line")]
    BadVisitHash(String),
    #[error("error: a flagged item asks for a follow-up; its verdict cannot be {0}")]
    ItemNotFollowUp(&'static str),
    #[error("error: a {0} review needs a comment")]
    NoComment(&'static str),
    #[error("{0}: error: cannot read: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("error: {0}")]
    Log(#[from] LogError),
}

/// A review log as read: its reviews, and what is wrong with it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewLog {
    /// Oldest first. Lines that are not well-formed reviews are left out and reported.
    pub reviews: Vec<Review>,
    pub integrity: Integrity,
}

/// Appends a review to the review log at `path` (created on the first review), durably.
/// Approvals may go without a comment; follow-ups and rejections need one, since the
/// technician has to know what to do.
pub fn append_review_to(path: &Path, review: &NewReview) -> Result<Review, ReviewError> {
    check(review)?;
    let at = format_at(&chrono::Local::now());
    let (mut file, seq) = if path.exists() {
        let (file, records, _torn) = ChainFile::open(path)?;
        let seq = records.len() as u64;
        (Some(file), seq)
    } else {
        (None, 0)
    };
    let body = review_body(seq, &at, review);
    let sealed = match &mut file {
        Some(file) => file.append(&body)?,
        None => ChainFile::create(path, &body)?.1,
    };
    Ok(Review {
        seq,
        at,
        visit: review.visit.to_owned(),
        visit_hash: review.visit_hash.to_owned(),
        reviewer: review.reviewer.to_owned(),
        verdict: review.verdict,
        comment: review.comment.to_owned(),
        item: review.item.map(str::to_owned),
        hash: sealed.hash,
    })
}

pub(crate) fn check(review: &NewReview) -> Result<(), ReviewError> {
    if !is_visit_id(review.visit) {
        return Err(ReviewError::BadVisitId(review.visit.to_owned()));
    }
    if review.reviewer.trim().is_empty() {
        return Err(ReviewError::NoReviewer);
    }
    let hash_ok = review.visit_hash.len() == HASH_HEX_LEN
        && review
            .visit_hash
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !hash_ok {
        return Err(ReviewError::BadVisitHash(review.visit_hash.to_owned()));
    }
    if review.item.is_some() && review.verdict != Verdict::FollowUp {
        return Err(ReviewError::ItemNotFollowUp(review.verdict.name()));
    }
    if review.verdict != Verdict::Approved && review.comment.trim().is_empty() {
        return Err(ReviewError::NoComment(review.verdict.name()));
    }
    Ok(())
}

/// The line's body, members in the contract's order.
pub(crate) fn review_body(seq: u64, at: &str, review: &NewReview) -> String {
    let mut object = Map::new();
    object.insert("seq".into(), Value::from(seq));
    object.insert("event".into(), Value::from("review"));
    object.insert("at".into(), Value::from(at));
    object.insert("visit".into(), Value::from(review.visit));
    object.insert("visit_hash".into(), Value::from(review.visit_hash));
    object.insert("reviewer".into(), Value::from(review.reviewer));
    object.insert("verdict".into(), Value::from(review.verdict.name()));
    object.insert("comment".into(), Value::from(review.comment));
    if let Some(item) = review.item {
        object.insert("item".into(), Value::from(item));
    }
    Value::Object(object).to_string()
}

/// Reads a review log file that belongs to `visit`.
pub fn read_review_file(path: &Path, visit: &str) -> Result<ReviewLog, ReviewError> {
    match super::reader::read_bounded(path) {
        Ok(bytes) => Ok(analyze_reviews(&bytes, visit)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(ReviewLog::default()),
        Err(err) => Err(ReviewError::Read(path.to_owned(), err)),
    }
}

/// Verifies a review log's bytes and reads its reviews. A line about another visit is a
/// problem (a review copied into the wrong file would otherwise judge the wrong visit).
pub fn analyze_reviews(bytes: &[u8], visit: &str) -> ReviewLog {
    let ChainRead {
        records,
        torn,
        problems,
    } = analyze_chain(bytes);
    let mut integrity = Integrity {
        torn: torn.map(|t| TornInfo {
            line: t.line,
            bytes: t.bytes,
        }),
        problems: problems
            .iter()
            .map(|p| LineProblem {
                line: p.line,
                message: p.reason.to_string(),
            })
            .collect(),
    };
    // A review is believed only where the chain vouches for it: before the first line
    // that does not verify (an altered `rejected` -> `approved` must not count).
    let first_bad = integrity.problems.iter().map(|p| p.line).min();
    let mut reviews = Vec::with_capacity(records.len());
    for record in records {
        if first_bad.is_some_and(|bad| record.line >= bad) {
            continue;
        }
        let mut members = record.members;
        members.insert("hash".into(), Value::from(record.hash));
        let parsed = (members.get("event").and_then(Value::as_str) == Some("review"))
            .then(|| serde_json::from_value::<Review>(Value::Object(members)));
        match parsed {
            Some(Ok(review)) if review.visit == visit => reviews.push(review),
            Some(Ok(review)) => integrity.problems.push(LineProblem {
                line: record.line,
                message: format!("a review of another visit ({})", review.visit),
            }),
            Some(Err(err)) => integrity.problems.push(LineProblem {
                line: record.line,
                message: format!("not a well-formed review: {err}"),
            }),
            None => integrity.problems.push(LineProblem {
                line: record.line,
                message: "not a review event".into(),
            }),
        }
    }
    integrity.problems.sort_by_key(|p| p.line);
    ReviewLog { reviews, integrity }
}
