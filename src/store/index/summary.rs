//! `VisitSummary`: what the supervisor's list, stats and exports need to know about one
//! visit, small enough that 100,000 of them fit in memory and in a cache file.
//!
//! A summary never holds the visit's events: the detail screen reads the log itself
//! (`crate::store::read::load_visit`).

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::checklist::{Checklist, Text};
use crate::visit::{Outcome, VisitResult};

pub use crate::log::integrity::{Integrity, IntegrityState, LineProblem, TornInfo};
use crate::log::review::{Review, Verdict};

/// The checklist a visit follows, shared by every summary of the same checklist source.
#[derive(Clone, Debug, Default)]
pub struct ChecklistInfo {
    pub id: String,
    pub version: String,
    /// sha256 of the source itself (computed, not taken from the log).
    pub sha256: String,
    pub title: Text,
    /// `None` when the source recorded in the log does not load (a hand-made log) ...
    pub checklist: Option<Arc<Checklist>>,
    /// ... and then why.
    pub problem: Option<String>,
    /// The YAML text the visits embed.
    pub source: Option<Arc<str>>,
}

/// Where a visit stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    #[default]
    Open,
    Finished,
    Abandoned,
    /// The log cannot be read as a visit at all (no `started` line, say): listed anyway,
    /// with its problems, so that nothing is skipped silently.
    Unreadable,
}

impl VisitStatus {
    pub fn name(self) -> &'static str {
        match self {
            VisitStatus::Open => "open",
            VisitStatus::Finished => "finished",
            VisitStatus::Abandoned => "abandoned",
            VisitStatus::Unreadable => "unreadable",
        }
    }
}

/// The state of one item in a visit, as stats count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemMark {
    Pass,
    Fail,
    Na,
    Info,
    /// Visible and not answered.
    Unanswered,
    /// Hidden by a `when`: neither required nor counted.
    Hidden,
}

impl ItemMark {
    fn to_char(self) -> char {
        match self {
            ItemMark::Pass => 'p',
            ItemMark::Fail => 'f',
            ItemMark::Na => 'n',
            ItemMark::Info => 'i',
            ItemMark::Unanswered => '.',
            ItemMark::Hidden => '-',
        }
    }

    fn from_char(c: char) -> ItemMark {
        match c {
            'p' => ItemMark::Pass,
            'f' => ItemMark::Fail,
            'n' => ItemMark::Na,
            'i' => ItemMark::Info,
            '.' => ItemMark::Unanswered,
            _ => ItemMark::Hidden,
        }
    }

    /// The mark of an item from its evaluated status.
    pub fn from_status(visible: bool, outcome: Option<Outcome>) -> ItemMark {
        match (visible, outcome) {
            (false, _) => ItemMark::Hidden,
            (true, None) => ItemMark::Unanswered,
            (true, Some(Outcome::Pass)) => ItemMark::Pass,
            (true, Some(Outcome::Fail)) => ItemMark::Fail,
            (true, Some(Outcome::Na)) => ItemMark::Na,
            (true, Some(Outcome::Info)) => ItemMark::Info,
        }
    }
}

/// One mark per item of the checklist, in file order, kept as one short string (one ASCII
/// letter per item) so 100,000 visits of 30 items cost 3 MB rather than a map each.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemMarks(String);

impl ItemMarks {
    pub fn new(marks: impl IntoIterator<Item = ItemMark>) -> ItemMarks {
        ItemMarks(marks.into_iter().map(ItemMark::to_char).collect())
    }

    /// The marks in checklist item order.
    pub fn iter(&self) -> impl Iterator<Item = ItemMark> + '_ {
        self.0.chars().map(ItemMark::from_char)
    }

    pub fn get(&self, index: usize) -> Option<ItemMark> {
        self.0
            .as_bytes()
            .get(index)
            .map(|&b| ItemMark::from_char(char::from(b)))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The packed form, one letter per item (`p f n i . -`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn from_packed(packed: String) -> ItemMarks {
        ItemMarks(packed)
    }
}

/// Whether the visit met each of its checklist's `targets`, in their order: `Some(true)`
/// met, `Some(false)` missed, `None` not measurable (item unanswered, hidden or N/A).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TargetMarks(String);

impl TargetMarks {
    pub fn new(marks: impl IntoIterator<Item = Option<bool>>) -> TargetMarks {
        TargetMarks(
            marks
                .into_iter()
                .map(|m| match m {
                    Some(true) => '1',
                    Some(false) => '0',
                    None => '-',
                })
                .collect(),
        )
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<bool>> + '_ {
        self.0.chars().map(|c| match c {
            '1' => Some(true),
            '0' => Some(false),
            _ => None,
        })
    }

    pub fn get(&self, index: usize) -> Option<bool> {
        self.iter().nth(index).flatten()
    }
}

/// Everything the supervisor's list knows about one visit.
///
/// Kept small (about 1 KB with its strings): 100,000 of them are held at once.
#[derive(Clone, Debug, Default)]
pub struct VisitSummary {
    /// The visit id (a ULID), from the file name.
    pub id: String,
    /// The log file.
    pub path: PathBuf,
    /// The data folder the log was found in (shared by all its visits).
    pub data_dir: Arc<PathBuf>,
    /// The checklist the visit follows, shared by every visit of the same source.
    pub checklist: Arc<ChecklistInfo>,
    pub technician: String,
    pub host: String,
    /// RFC 3339, as the `started` event has it (the technician's local time and offset).
    pub started_at: String,
    /// When the visit was finished or abandoned.
    pub finished_at: Option<String>,
    pub status: VisitStatus,
    pub abandon_reason: Option<String>,
    /// Visit header fields as text, in the order they were given.
    pub fields: Fields,
    /// Weight of passes over weight of passes and fails; `None` before anything is scored.
    pub score: Option<f64>,
    /// `None` for an unreadable log.
    pub result: Option<VisitResult>,
    pub passed: u32,
    pub failed: u32,
    pub na: u32,
    pub answered: u32,
    /// Required items unanswered, and required notes absent.
    pub missing: u32,
    /// The visit's milliseconds (monotonic, across resumes) at its `finished` or `abandoned`
    /// event, or at its last event while open: later amendments do not count.
    pub duration_ms: u64,
    /// Milliseconds between consecutive `answered` events, in log order.
    pub answer_gaps_ms: Vec<u32>,
    pub marks: ItemMarks,
    pub targets: TargetMarks,
    pub integrity: Integrity,
    /// How many `amended` events the log has.
    pub amendments: u32,
    /// Hash of the log's last whole line: a review made when it was different is outdated.
    pub last_hash: String,
    /// Whole lines read as events.
    pub events: u32,
    /// From `answer_gaps_ms` and the config's thresholds, when the store is opened.
    pub rushed: bool,
    /// Reviews of this visit from `reviews/<id>.jsonl` in every data folder, oldest first.
    pub reviews: Reviews,
    /// The key of the seal covering the log (`crate::log::seal::covering_seal`).
    pub sealed_by: Option<String>,
    /// The receipt code of the latest `finished` or `amended` line.
    pub receipt: Option<String>,
    /// The identity of the log file this summary was made from, for the summary cache.
    pub(crate) file_key: Option<super::file_key::FileKey>,
}

/// Visit header fields as text, in order: all in one buffer, since a hundred thousand
/// visits with eight fields each would otherwise cost 1.6 million small allocations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    text: Box<str>,
    /// Where each key and each value ends in `text`, alternately.
    ends: Box<[u32]>,
}

impl Fields {
    pub fn new<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> Fields {
        let mut text = String::new();
        let mut ends = Vec::new();
        for (key, value) in pairs {
            text.push_str(key.as_ref());
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            text.push_str(value.as_ref());
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Fields {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// (key, value) in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        let mut cuts = starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| self.text.get(start as usize..end as usize).unwrap_or(""));
        std::iter::from_fn(move || Some((cuts.next()?, cuts.next()?)))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.ends.len() / 2
    }

    /// The packed form: all keys and values in one text, and where each ends.
    pub(crate) fn parts(&self) -> (&str, &[u32]) {
        (&self.text, &self.ends)
    }

    /// Fields from their packed form; `None` unless the ends cut `text` into whole
    /// characters, in order, in pairs.
    pub(crate) fn from_parts(text: &str, ends: Vec<u32>) -> Option<Fields> {
        let mut start = 0;
        for &end in &ends {
            let end = end as usize;
            if end < start || !text.is_char_boundary(end) {
                return None;
            }
            start = end;
        }
        (ends.len().is_multiple_of(2) && start == text.len()).then(|| Fields {
            text: text.into(),
            ends: ends.into_boxed_slice(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl TargetMarks {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The packed form, one of `1 0 -` per target.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn from_packed(packed: String) -> TargetMarks {
        TargetMarks(packed)
    }
}

/// The reviews of one visit, with what is wrong with their logs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reviews {
    /// Oldest first.
    pub all: Vec<Review>,
    /// The visit's last hash now differs from the one the latest review saw.
    pub outdated: bool,
    pub integrity: Integrity,
}

impl Reviews {
    /// The latest review event (a per-item flag counts: it asks for a follow-up).
    pub fn latest(&self) -> Option<&Review> {
        self.all.last()
    }

    pub fn verdict(&self) -> Option<Verdict> {
        self.latest().map(|r| r.verdict)
    }

    /// The per-item flags of the latest round of review (the reviews made against the
    /// visit as it is in the latest one), while that round asks for a follow-up.
    pub fn open_flags(&self) -> impl Iterator<Item = &Review> {
        let round = self
            .latest()
            .filter(|r| r.verdict == Verdict::FollowUp)
            .map(|r| r.visit_hash.as_str());
        self.all
            .iter()
            .filter(move |r| r.item.is_some() && Some(r.visit_hash.as_str()) == round)
    }
}

impl VisitSummary {
    /// A header field as text.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields.get(key)
    }

    pub fn work_order(&self) -> Option<&str> {
        self.field("work_order")
    }

    /// The latest verdict as reports write it, `(outdated)` when the log changed since.
    pub fn verdict_text(&self) -> String {
        match self.verdict() {
            None => String::new(),
            Some(verdict) if self.reviews.outdated => format!("{} (outdated)", verdict.name()),
            Some(verdict) => verdict.name().to_owned(),
        }
    }

    /// The visit's name (SPEC section 4): work order, first required text field, start time.
    pub fn name(&self) -> String {
        let fields = self
            .checklist
            .checklist
            .as_deref()
            .map_or(&[][..], |c| c.visit_fields.as_slice());
        crate::visit::visit_name(fields, |id| self.field(id), &self.started_at)
    }

    /// Seconds between consecutive answers, in log order.
    pub fn answer_gaps_seconds(&self) -> impl Iterator<Item = f64> + '_ {
        self.answer_gaps_ms.iter().map(|&ms| f64::from(ms) / 1000.0)
    }

    /// The day the visit started, `YYYY-MM-DD`, in the technician's local time.
    pub fn started_date(&self) -> &str {
        self.started_at.get(..10).unwrap_or(&self.started_at)
    }

    pub fn verdict(&self) -> Option<Verdict> {
        self.reviews.verdict()
    }

    pub fn was_amended(&self) -> bool {
        self.amendments > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_order_and_text() {
        let fields = Fields::new([
            ("work_order", "WO-1"),
            ("customer", ""),
            ("note", "李四 =1"),
        ]);
        let pairs: Vec<(&str, &str)> = fields.iter().collect();
        assert_eq!(
            pairs,
            [
                ("work_order", "WO-1"),
                ("customer", ""),
                ("note", "李四 =1")
            ]
        );
        assert_eq!(fields.get("note"), Some("李四 =1"));
        assert_eq!(fields.get("x"), None);
        assert_eq!(fields.len(), 3);
        assert!(Fields::default().is_empty());
        assert_eq!(Fields::default().iter().count(), 0);
    }

    #[test]
    fn fields_come_back_from_their_packed_form() {
        let fields = Fields::new([("work_order", "WO-1"), ("note", "李四")]);
        let (text, ends) = fields.parts();
        assert_eq!(
            Fields::from_parts(text, ends.to_vec()),
            Some(fields.clone())
        );
        let end = text.len() as u32;
        // Out of order, past the end, inside a character, unpaired, not covering the text.
        for bad in [
            vec![4, 2, end, end],
            vec![1, end + 1],
            vec![10, end - 1],
            vec![end],
            vec![2, 3],
        ] {
            assert_eq!(Fields::from_parts(text, bad.clone()), None, "{bad:?}");
        }
        assert_eq!(Fields::from_parts("", Vec::new()), Some(Fields::default()));
    }

    #[test]
    fn marks_round_trip() {
        let marks = [
            ItemMark::Pass,
            ItemMark::Fail,
            ItemMark::Na,
            ItemMark::Info,
            ItemMark::Unanswered,
            ItemMark::Hidden,
        ];
        let packed = ItemMarks::new(marks);
        assert_eq!(packed.iter().collect::<Vec<_>>(), marks);
        assert_eq!(packed.get(1), Some(ItemMark::Fail));
        let targets = TargetMarks::new([Some(true), None, Some(false)]);
        assert_eq!(
            targets.iter().collect::<Vec<_>>(),
            [Some(true), None, Some(false)]
        );
    }
}
