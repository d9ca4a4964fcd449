//! Reading and verifying chained logs. Reading fails only on I/O: everything wrong with the
//! content comes back as a `Problem` naming its line, or as a torn tail.
//!
//! Two levels: `analyze_chain` checks what every chained file shares (one JSON object per
//! line, the hash chain, `seq` 0, 1, 2 ...), which is all a review log needs; `analyze_log`
//! adds what a visit log promises (typed events, `started` first, nothing but `amended` after
//! `finished`/`abandoned`).

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use serde_json::{Map, Value};

use super::chain::{self, SplitLine};
use super::event::{Event, EventKind};
use super::problem::{Problem, ProblemKind, TornTail, TornWhy};

/// A visit log as read: its events, and what is wrong with it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogRead {
    /// Every whole line that reads as an event, in file order, including lines that have a
    /// problem (an altered line still says what it says now).
    pub events: Vec<Event>,
    /// A torn last line, left out of `events`: a warning, not damage.
    pub torn: Option<TornTail>,
    /// Sorted by line.
    pub problems: Vec<Problem>,
}

impl LogRead {
    /// True when the log verifies and has no torn tail.
    pub fn is_clean(&self) -> bool {
        self.torn.is_none() && self.problems.is_empty()
    }
}

/// Any chained log as read: one record per whole JSON line.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainRead {
    pub records: Vec<Record>,
    pub torn: Option<TornTail>,
    /// Sorted by line.
    pub problems: Vec<Problem>,
}

impl ChainRead {
    /// True when the chain verifies and has no torn tail.
    pub fn is_clean(&self) -> bool {
        self.torn.is_none() && self.problems.is_empty()
    }
}

/// One line of a chained log: its members (all but `hash`, in file order) and its hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line number.
    pub line: usize,
    pub members: Map<String, Value>,
    pub hash: String,
}

/// The longest line a log may have (SPEC section 5): far above any real event, a visit's
/// embedded checklist included.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Reads and verifies a visit log.
pub fn read_log(path: &Path) -> io::Result<LogRead> {
    Ok(analyze_log(&read_bounded(path)?))
}

/// Reads and verifies any chained log (a review log, say).
pub fn read_chain(path: &Path) -> io::Result<ChainRead> {
    Ok(analyze_chain(&read_bounded(path)?))
}

/// A log file's bytes, up to its first line longer than `MAX_LINE_BYTES`: that line is
/// kept only as far as shows it is too long (and given a line ending, so that it reads as
/// a whole line that is damaged, not a torn one), and nothing after it is read. So a
/// hostile file costs at most its lines before that, plus 1 MiB.
pub fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    read_bounded_into(path, &mut bytes)?;
    Ok(bytes)
}

/// `read_bounded` into a buffer the caller keeps (cleared first).
pub fn read_bounded_into(path: &Path, bytes: &mut Vec<u8>) -> io::Result<()> {
    use std::io::Read;
    bytes.clear();
    let mut file = fs::File::open(path)?;
    let len = file.metadata().map_or(u64::MAX, |m| m.len());
    if len <= WHOLE_READ_BYTES {
        // The common case (a visit log is tens of KB): read whole, in place, then looked at.
        bytes.reserve(usize::try_from(len).unwrap_or(0));
        file.read_to_end(bytes)?;
        cut_at_long_line(bytes, 0);
        return Ok(());
    }
    // A big file is read a piece at a time, so a hostile one never costs more than its
    // lines before the first over-long one, plus 1 MiB.
    let mut chunk = vec![0u8; 64 * 1024];
    let mut line_start = 0;
    loop {
        let n = file.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        let scanned = bytes.len();
        bytes.extend_from_slice(&chunk[..n]);
        if let Some(last) = memchr::memrchr(b'\n', &bytes[scanned..]) {
            // Whole lines of this piece may be long only if no line ending came for 1 MiB.
            if cut_at_long_line(bytes, line_start) {
                return Ok(());
            }
            line_start = scanned + last + 1;
        }
        if bytes.len() - line_start > MAX_LINE_BYTES {
            bytes.truncate(line_start + MAX_LINE_BYTES + 1);
            bytes.push(b'\n');
            return Ok(());
        }
    }
}

/// Files up to this size are read whole before their lines are looked at.
const WHOLE_READ_BYTES: u64 = 8 * 1024 * 1024;

/// Cuts `bytes` after the first line (from `from` on) longer than `MAX_LINE_BYTES`, keeping
/// just enough of it to show it is too long, with a line ending. True when it cut.
fn cut_at_long_line(bytes: &mut Vec<u8>, from: usize) -> bool {
    let mut start = from;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |e| start + e);
        if end - start > MAX_LINE_BYTES {
            bytes.truncate(start + MAX_LINE_BYTES + 1);
            bytes.push(b'\n');
            return true;
        }
        start = end + 1;
    }
    false
}

/// Verifies a visit log's bytes.
pub fn analyze_log(bytes: &[u8]) -> LogRead {
    let analysis = analyze_visit(bytes);
    LogRead {
        events: analysis.items.into_iter().map(|(_, event)| event).collect(),
        torn: analysis.torn,
        problems: analysis.problems,
    }
}

/// Verifies a chained log's bytes.
pub fn analyze_chain(bytes: &[u8]) -> ChainRead {
    let analysis = analyze_records(bytes);
    ChainRead {
        records: analysis
            .items
            .into_iter()
            .map(|(_, record)| record)
            .collect(),
        torn: analysis.torn,
        problems: analysis.problems,
    }
}

/// Where a writer goes on from when it reopens a log.
#[derive(Debug)]
pub(crate) struct ResumePoint<T> {
    pub items: Vec<T>,
    /// Hash of the last kept line ("" when none).
    pub last_hash: String,
    pub torn: Option<TornTail>,
}

/// Where a visit writer can go on from, or the problems that forbid it.
pub(crate) fn visit_resume_point(bytes: &[u8]) -> Result<ResumePoint<Event>, Vec<Problem>> {
    let point = resume_point(analyze_visit(bytes), |event: &Event| &event.hash)?;
    // Without its started event a visit cannot go on; refused before anything is moved.
    if point.items.is_empty() {
        return Err(vec![problem(1, ProblemKind::Empty)]);
    }
    Ok(point)
}

/// Where a chained-log writer can go on from, or the problems that forbid it.
pub(crate) fn chain_resume_point(bytes: &[u8]) -> Result<ResumePoint<Record>, Vec<Problem>> {
    resume_point(analyze_records(bytes), |record: &Record| &record.hash)
}

/// Items with their line numbers, and what was found wrong.
struct Analysis<T> {
    items: Vec<(usize, T)>,
    torn: Option<TornTail>,
    problems: Vec<Problem>,
    /// Number and start offset of the last whole line.
    last_line: Option<(usize, u64)>,
    len: u64,
}

/// One whole line, parsed as far as it goes.
struct Line<'a> {
    number: usize,
    text: Option<&'a str>,
    split: Option<SplitLine<'a>>,
    /// The JSON object without `hash`, when the line is one and ends with its hash.
    members: Option<Map<String, Value>>,
    seq: Option<u64>,
}

struct Scan<'a> {
    lines: Vec<Line<'a>>,
    torn: Option<TornTail>,
    problems: Vec<Problem>,
    last_line: Option<(usize, u64)>,
}

fn analyze_records(bytes: &[u8]) -> Analysis<Record> {
    let mut scan = scan(bytes);
    let mut items = Vec::with_capacity(scan.lines.len());
    for line in scan.lines {
        let (Some(split), Some(members)) = (line.split, line.members) else {
            continue;
        };
        if line.seq.is_none() {
            scan.problems.push(problem(line.number, ProblemKind::NoSeq));
        }
        let record = Record {
            line: line.number,
            members,
            hash: split.hash.to_owned(),
        };
        items.push((line.number, record));
    }
    finish(items, scan.torn, scan.problems, scan.last_line, bytes)
}

fn analyze_visit(bytes: &[u8]) -> Analysis<Event> {
    let mut scan = scan(bytes);
    let any_line = !scan.lines.is_empty();
    let mut items = Vec::with_capacity(scan.lines.len());
    for line in scan.lines {
        let (Some(split), Some(members)) = (line.split, line.members) else {
            continue;
        };
        match Event::from_object(members, split.hash.to_owned()) {
            Ok(event) => items.push((line.number, event)),
            Err(err) => scan
                .problems
                .push(problem(line.number, ProblemKind::BadEvent(err))),
        }
    }
    if !any_line {
        scan.problems.push(problem(1, ProblemKind::Empty));
    }
    check_visit_rules(&items, &mut scan.problems);
    finish(items, scan.torn, scan.problems, scan.last_line, bytes)
}

fn finish<T>(
    items: Vec<(usize, T)>,
    torn: Option<TornTail>,
    mut problems: Vec<Problem>,
    last_line: Option<(usize, u64)>,
    bytes: &[u8],
) -> Analysis<T> {
    // Stable: the problems of one line stay in the order they were found.
    problems.sort_by_key(|p| p.line);
    Analysis {
        items,
        torn,
        problems,
        last_line,
        len: bytes.len() as u64,
    }
}

/// The rules only a visit log has: `started` first and only there, and nothing but `amended`
/// once the visit is finished or abandoned.
fn check_visit_rules(events: &[(usize, Event)], problems: &mut Vec<Problem>) {
    let mut closed: Option<(usize, &'static str)> = None;
    let visit = match events.first().map(|(_, e)| &e.kind) {
        Some(EventKind::Started { visit, .. }) => visit.as_str(),
        _ => "",
    };
    let mut prev: Option<&Event> = None;
    for (line, event) in events {
        if let EventKind::Sealed { key, head, sig } = &event.kind {
            let before = prev.map(|p| (p.seq, p.hash.as_str()));
            if let Err(why) = crate::log::seal::check_seal(visit, before, key, head, sig) {
                problems.push(problem(*line, ProblemKind::BadSeal(why)));
            }
        }
        prev = Some(event);
        let is_started = matches!(event.kind, EventKind::Started { .. });
        if *line == 1 && !is_started {
            let event = event.kind.name();
            problems.push(problem(*line, ProblemKind::NotStarted { event }));
        } else if *line != 1 && is_started {
            problems.push(problem(*line, ProblemKind::StartedNotFirst));
        }
        let amended = event.kind.allowed_after_close();
        match closed {
            Some((closed_line, closed_by)) if !amended => {
                let reason = ProblemKind::AfterClose {
                    event: event.kind.name(),
                    closed_by,
                    closed_line,
                };
                problems.push(problem(*line, reason));
            }
            None if event.kind.closes_visit() => closed = Some((*line, event.kind.name())),
            _ => {}
        }
    }
}

/// Splits the bytes into lines, parses each, separates a torn tail and checks the chain and
/// the order of `seq`.
fn scan(bytes: &[u8]) -> Scan<'_> {
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    let mut torn = None;
    let mut last_line = None;
    let mut start = 0;
    let mut number = 0;
    while start < bytes.len() {
        number += 1;
        let rest = bytes.get(start..).unwrap_or_default();
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            torn = Some(torn_tail(number, start, bytes.len(), TornWhy::NoLineEnd));
            break;
        };
        let raw = rest.get(..end).unwrap_or_default();
        let next = start + end + 1;
        let (line, found) = parse_line(number, raw);
        // A last line that is not even a JSON object is what a torn write leaves behind —
        // unless it is whole: it ends with its hash member, as only a finished write does
        // (such a line that still does not read is damage: too deep, a number out of range,
        // a lone surrogate ...).
        if next == bytes.len() && line.members.is_none() && line.split.is_none() {
            let not_json = found.iter().any(|kind| {
                matches!(
                    kind,
                    ProblemKind::NotUtf8
                        | ProblemKind::EmptyLine
                        | ProblemKind::NotJson(_)
                        | ProblemKind::NotObject
                )
            });
            if not_json {
                torn = Some(torn_tail(number, start, bytes.len(), TornWhy::NotJson));
                break;
            }
        }
        problems.extend(found.into_iter().map(|kind| problem(number, kind)));
        lines.push(line);
        last_line = Some((number, start as u64));
        start = next;
    }
    check_chain(&lines, &mut problems);
    Scan {
        lines,
        torn,
        problems,
        last_line,
    }
}

fn torn_tail(line: usize, start: usize, len: usize, why: TornWhy) -> TornTail {
    TornTail {
        line,
        offset: start as u64,
        bytes: (len - start) as u64,
        why,
    }
}

fn parse_line(number: usize, raw: &[u8]) -> (Line<'_>, Vec<ProblemKind>) {
    let mut line = Line {
        number,
        text: None,
        split: None,
        members: None,
        seq: None,
    };
    // Nothing sitecheck writes comes near this; a longer line is damage, and is not parsed
    // (a 100 MB line would cost several times its size in memory to read as JSON).
    if raw.len() > MAX_LINE_BYTES {
        return (
            line,
            vec![ProblemKind::TooLong {
                bytes: raw.len() as u64,
            }],
        );
    }
    let Ok(text) = std::str::from_utf8(raw) else {
        return (line, vec![ProblemKind::NotUtf8]);
    };
    line.text = Some(text);
    if text.is_empty() {
        return (line, vec![ProblemKind::EmptyLine]);
    }
    line.split = chain::split(text).ok();
    let mut members = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(members)) => members,
        Ok(_) => return (line, vec![ProblemKind::NotObject]),
        Err(err) => return (line, vec![ProblemKind::NotJson(err.to_string())]),
    };
    // The text ends with the hash member, and the object agrees it is the last one (it would
    // not if, say, a second `hash` member came earlier).
    let agrees = match (&line.split, members.iter().next_back()) {
        (Some(split), Some((key, Value::String(hash)))) => key == "hash" && hash == split.hash,
        _ => false,
    };
    if !agrees {
        return (line, vec![ProblemKind::NoHash]);
    }
    members.remove("hash");
    line.seq = members.get("seq").and_then(Value::as_u64);
    line.members = Some(members);
    (line, Vec::new())
}

/// Checks each line's hash and place. A line's hash is first checked against the line before
/// it; when that fails it is checked against the line holding the previous `seq`, so a line
/// that is intact but out of place is reported once, as out of place, and the untouched lines
/// around it are not blamed.
fn check_chain(lines: &[Line<'_>], problems: &mut Vec<Problem>) {
    let mut by_seq: HashMap<u64, Vec<usize>> = HashMap::new();
    for (index, line) in lines.iter().enumerate() {
        if let Some(seq) = line.seq {
            by_seq.entry(seq).or_default().push(index);
        }
    }
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut max_seen: Option<u64> = None;
    // Ranges of seq that a "comes before" problem said would turn up later.
    let mut announced: Vec<(u64, u64)> = Vec::new();
    // Lines without a readable seq since the last line with one: each may have held the seq
    // that now seems to be missing, and is already reported for itself.
    let mut unreadable: u64 = 0;

    for (index, line) in lines.iter().enumerate() {
        let order = match line.seq {
            None => {
                unreadable += 1;
                None
            }
            Some(seq) => {
                let expected = max_seen.map_or(0, |max| max.saturating_add(1));
                let found = if seq > expected && seq - expected <= unreadable {
                    None
                } else {
                    order_problem(lines, &by_seq, &seen, max_seen, &mut announced, index, seq)
                };
                unreadable = 0;
                seen.entry(seq).or_insert(index);
                max_seen = Some(max_seen.map_or(seq, |max| max.max(seq)));
                found
            }
        };
        let altered = line.members.is_some()
            && line
                .split
                .is_some_and(|split| is_altered(lines, &by_seq, index, split, order.is_some()));
        if let Some(order) = order {
            problems.push(problem(line.number, order));
        }
        if altered {
            problems.push(problem(line.number, ProblemKind::Altered));
        }
    }
}

fn order_problem(
    lines: &[Line<'_>],
    by_seq: &HashMap<u64, Vec<usize>>,
    seen: &HashMap<u64, usize>,
    max_seen: Option<u64>,
    announced: &mut Vec<(u64, u64)>,
    index: usize,
    seq: u64,
) -> Option<ProblemKind> {
    let expected = max_seen.map_or(0, |max| max.saturating_add(1));
    if let Some(&first) = seen.get(&seq) {
        let first = lines.get(first)?;
        let identical = lines.get(index).is_some_and(|line| line.text == first.text);
        return Some(ProblemKind::Duplicate {
            seq,
            first_line: first.number,
            identical,
        });
    }
    if seq == expected {
        return None;
    }
    if seq > expected {
        let comes_later = by_seq
            .get(&expected)
            .is_some_and(|at| at.iter().any(|&other| other > index));
        if comes_later {
            announced.push((expected, seq));
            return Some(ProblemKind::Reordered {
                found: seq,
                expected,
            });
        }
        return Some(ProblemKind::Missing {
            found: seq,
            expected,
        });
    }
    // Below what was expected and not seen: the other half of an announced reordering is
    // not reported a second time.
    if announced
        .iter()
        .any(|&(low, high)| low <= seq && seq < high)
    {
        return None;
    }
    Some(ProblemKind::Late {
        found: seq,
        after: max_seen.unwrap_or(0),
    })
}

fn is_altered(
    lines: &[Line<'_>],
    by_seq: &HashMap<u64, Vec<usize>>,
    index: usize,
    split: SplitLine<'_>,
    out_of_place: bool,
) -> bool {
    let positional = match index.checked_sub(1) {
        None => Some(""),
        Some(before) => lines.get(before).and_then(|l| l.split).map(|s| s.hash),
    };
    let positional_ok = positional.map(|prev| split.links_to(prev));
    if positional_ok == Some(true) {
        return false;
    }
    let by_seq_ok = match lines.get(index).and_then(|l| l.seq) {
        None => None,
        Some(0) => Some(split.links_to("")),
        Some(seq) => {
            let mut candidates = by_seq
                .get(&(seq - 1))
                .into_iter()
                .flatten()
                .filter(|&&other| other != index)
                .filter_map(|&other| lines.get(other).and_then(|l| l.split))
                .peekable();
            candidates
                .peek()
                .is_some()
                .then(|| candidates.any(|prev| split.links_to(prev.hash)))
        }
    };
    match by_seq_ok {
        Some(ok) => !ok,
        // The line it was chained to is not in the file (it was deleted): its place is
        // already reported, and its content cannot be checked.
        None => positional_ok == Some(false) && !out_of_place,
    }
}

fn resume_point<T>(
    mut analysis: Analysis<T>,
    hash_of: impl Fn(&T) -> &String,
) -> Result<ResumePoint<T>, Vec<Problem>> {
    // A whole last line whose hash is wrong is treated as torn when resuming: it is moved
    // aside with its bytes kept, and the log goes on from the line before it.
    if analysis.torn.is_none()
        && let Some((number, start)) = analysis.last_line
    {
        let bad_hash = analysis.problems.iter().any(|p| {
            p.line == number && matches!(p.reason, ProblemKind::Altered | ProblemKind::NoHash)
        });
        if bad_hash {
            analysis.problems.retain(|p| p.line != number);
            analysis.items.retain(|(line, _)| *line != number);
            analysis.torn = Some(TornTail {
                line: number,
                offset: start,
                bytes: analysis.len - start,
                why: TornWhy::BadHash,
            });
        }
    }
    if !analysis.problems.is_empty() {
        return Err(analysis.problems);
    }
    let last_hash = analysis
        .items
        .last()
        .map(|(_, item)| hash_of(item).clone())
        .unwrap_or_default();
    Ok(ResumePoint {
        items: analysis.items.into_iter().map(|(_, item)| item).collect(),
        last_hash,
        torn: analysis.torn,
    })
}

fn problem(line: usize, reason: ProblemKind) -> Problem {
    Problem { line, reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::event::{ChecklistRef, StartInfo, Summary};
    use serde_json::json;

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

    fn answered(item: &str, value: &str) -> EventKind {
        EventKind::Answered {
            item: item.to_owned(),
            value: json!(value),
            note: None,
        }
    }

    fn finished() -> EventKind {
        EventKind::Finished {
            summary: Summary {
                score: Some(1.0),
                result: "pass".to_owned(),
                passed: 3,
                failed: 0,
                na: 0,
                missing: 0,
            },
        }
    }

    /// Seals the kinds as a log, with seq 0, 1, 2 ...; returns the lines and the events.
    fn log_of(kinds: Vec<EventKind>) -> (Vec<String>, Vec<Event>) {
        let mut prev = String::new();
        let mut lines = Vec::new();
        let mut events = Vec::new();
        for (seq, kind) in kinds.into_iter().enumerate() {
            let at = format!("2026-11-22T10:00:{seq:02}.000+08:00");
            let (event, line) =
                Event::seal(&prev, seq as u64, at, seq as u64 * 1000, kind).unwrap();
            prev = event.hash.clone();
            lines.push(line);
            events.push(event);
        }
        (lines, events)
    }

    /// started, three answers, a note, finished: six lines.
    fn finished_log() -> (Vec<String>, Vec<Event>) {
        log_of(vec![
            started(),
            answered("badge", "pass"),
            answered("price_list", "pass"),
            answered("shoe_covers", "yes"),
            EventKind::Noted {
                item: "badge".to_owned(),
                note: "shown at the door".to_owned(),
            },
            finished(),
        ])
    }

    fn join(lines: &[String]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for line in lines {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        bytes
    }

    fn problems(lines: &[String]) -> Vec<String> {
        analyze_log(&join(lines))
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_written_log_reads_back_clean() {
        let (lines, events) = finished_log();
        let read = analyze_log(&join(&lines));
        assert!(read.is_clean(), "{read:?}");
        assert_eq!(read.events, events);
    }

    #[test]
    fn a_changed_value_is_reported_on_its_line_only() {
        let (mut lines, _) = finished_log();
        lines[2] = lines[2].replace(r#""value":"pass""#, r#""value":"fail""#);
        assert_eq!(
            problems(&lines),
            [
                "line 3: the hash does not match the line's content — the line was changed after it was written"
            ]
        );
    }

    #[test]
    fn a_deleted_line_is_reported_where_it_is_missing() {
        let (mut lines, _) = finished_log();
        lines.remove(2);
        assert_eq!(
            problems(&lines),
            ["line 3: seq 3 where 2 was expected — a line is missing before it"]
        );
    }

    #[test]
    fn a_swapped_pair_is_reported_once() {
        let (mut lines, _) = finished_log();
        lines.swap(2, 3);
        assert_eq!(
            problems(&lines),
            ["line 3: seq 3 comes before seq 2 — lines were swapped or reordered"]
        );
    }

    #[test]
    fn a_line_moved_far_is_reported_once() {
        let (mut lines, _) = finished_log();
        let moved = lines.remove(1);
        lines.insert(4, moved);
        assert_eq!(
            problems(&lines),
            ["line 2: seq 2 comes before seq 1 — lines were swapped or reordered"]
        );
    }

    #[test]
    fn a_swapped_and_changed_line_is_reported_twice() {
        let (mut lines, _) = finished_log();
        lines.swap(2, 3);
        lines[2] = lines[2].replace(r#""value":"yes""#, r#""value":"no""#);
        assert_eq!(
            problems(&lines),
            [
                "line 3: seq 3 comes before seq 2 — lines were swapped or reordered",
                "line 3: the hash does not match the line's content — the line was changed after it was written",
            ]
        );
    }

    #[test]
    fn a_line_added_after_finished_is_reported() {
        let (mut lines, events) = finished_log();
        let last = events.last().unwrap();
        let (_, added) = Event::seal(
            &last.hash,
            6,
            "t".to_owned(),
            9000,
            answered("badge", "fail"),
        )
        .unwrap();
        lines.push(added);
        assert_eq!(
            problems(&lines),
            [
                "line 7: answered after the visit was finished on line 6 — only amended events may follow"
            ]
        );
    }

    #[test]
    fn a_line_added_after_finished_with_a_made_up_hash_is_reported() {
        let (mut lines, _) = finished_log();
        let made_up = format!(
            r#"{{"seq":6,"event":"answered","at":"t","ms":9000,"item":"badge","value":"fail","note":null,"hash":"{}"}}"#,
            "a".repeat(64)
        );
        lines.push(made_up);
        assert_eq!(
            problems(&lines),
            [
                "line 7: the hash does not match the line's content — the line was changed after it was written",
                "line 7: answered after the visit was finished on line 6 — only amended events may follow",
            ]
        );
    }

    #[test]
    fn amendments_after_finished_are_fine() {
        let (lines, _) = log_of(vec![
            started(),
            answered("drain", "no"),
            finished(),
            EventKind::Amended {
                item: Some("drain".to_owned()),
                value: json!("yes"),
                note: None,
                reason: "re-tested".to_owned(),
                technician: Some("zhang.san".to_owned()),
                host: Some("tb-0042".to_owned()),
            },
        ]);
        assert!(analyze_log(&join(&lines)).is_clean());
    }

    #[test]
    fn abandoned_closes_the_visit_too() {
        let (lines, _) = log_of(vec![
            started(),
            EventKind::Abandoned {
                reason: "customer not at home".to_owned(),
            },
            EventKind::Resumed,
        ]);
        assert_eq!(
            problems(&lines),
            [
                "line 3: resumed after the visit was abandoned on line 2 — only amended events may follow"
            ]
        );
    }

    #[test]
    fn a_duplicated_line_is_reported() {
        let (mut lines, _) = finished_log();
        let copy = lines[2].clone();
        lines.insert(3, copy);
        assert_eq!(
            problems(&lines),
            ["line 4: seq 2 again — the line is a duplicate of line 3"]
        );
    }

    #[test]
    fn a_deleted_first_line_is_reported() {
        let (mut lines, _) = finished_log();
        lines.remove(0);
        assert_eq!(
            problems(&lines),
            [
                "line 1: seq 1 where 0 was expected — a line is missing before it",
                "line 1: the first event is answered, not started — the start of the log is missing",
            ]
        );
    }

    #[test]
    fn a_gap_then_a_late_line_is_reported() {
        let (lines, _) = finished_log();
        let lines = vec![lines[0].clone(), lines[3].clone(), lines[2].clone()];
        assert_eq!(
            problems(&lines),
            [
                "line 2: seq 3 where 1 was expected — 2 lines are missing before it",
                "line 3: seq 2 comes after seq 3 — lines were swapped or reordered",
            ]
        );
    }

    #[test]
    fn a_broken_middle_line_is_reported_and_the_rest_still_verifies() {
        let (mut lines, events) = finished_log();
        lines[2] = lines[2].replacen(r#""item":"#, r#""item:"#, 1);
        let read = analyze_log(&join(&lines));
        assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
        assert_eq!(read.problems[0].line, 3);
        assert!(matches!(read.problems[0].reason, ProblemKind::NotJson(_)));
        assert_eq!(read.events.len(), events.len() - 1);
        assert!(read.torn.is_none());
    }

    #[test]
    fn an_unknown_event_is_reported() {
        let (mut lines, events) = finished_log();
        let body = r#"{"seq":5,"event":"teleported","at":"t","ms":5,"to":"mars"}"#;
        lines[5] = chain::seal(&events[4].hash, body).unwrap().line;
        assert_eq!(problems(&lines), [r#"line 6: unknown event "teleported""#]);
    }

    #[test]
    fn other_damage_is_named() {
        let (lines, _) = finished_log();
        let mut bytes = join(&lines[..2]);
        bytes.extend_from_slice(b"\xff\xfe\n\n[1]\n{\"seq\":2}\n");
        bytes.extend_from_slice(&join(&lines[2..]));
        let found: Vec<String> = analyze_log(&bytes)
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "line 3: the line is not valid UTF-8 text",
                "line 4: the line is empty",
                "line 5: the line is not a JSON object",
                "line 6: the line does not end with its hash (`,\"hash\":\"<64 lowercase hex>\"}`)",
            ]
        );
    }

    #[test]
    fn a_second_started_is_reported() {
        let (lines, _) = log_of(vec![started(), started()]);
        assert_eq!(
            problems(&lines),
            ["line 2: a started event that is not on the first line"]
        );
    }

    #[test]
    fn an_empty_log_is_reported() {
        let read = analyze_log(b"");
        assert_eq!(read.problems, [problem(1, ProblemKind::Empty)]);
        assert!(read.torn.is_none());
    }

    #[test]
    fn a_last_line_without_its_end_is_torn_not_damaged() {
        let (lines, events) = finished_log();
        let whole = join(&lines[..5]);
        for cut in 1..=lines[5].len() {
            let mut bytes = whole.clone();
            bytes.extend_from_slice(&lines[5].as_bytes()[..cut]);
            let read = analyze_log(&bytes);
            assert!(read.problems.is_empty(), "cut {cut}: {:?}", read.problems);
            assert_eq!(read.events, events[..5]);
            let torn = read.torn.unwrap();
            assert_eq!(
                (torn.line, torn.offset, torn.bytes),
                (6, whole.len() as u64, cut as u64)
            );
            assert_eq!(torn.why, TornWhy::NoLineEnd);
        }
    }

    #[test]
    fn a_last_line_of_zeros_is_torn() {
        let (lines, events) = finished_log();
        let mut bytes = join(&lines);
        bytes.extend_from_slice(&[0, 0, 0, b'\n']);
        let read = analyze_log(&bytes);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(read.events, events);
        assert_eq!(
            read.torn.map(|t| (t.line, t.bytes, t.why)),
            Some((7, 4, TornWhy::NotJson))
        );
    }

    #[test]
    fn resuming_treats_a_bad_hash_on_the_last_line_as_torn() {
        let (mut lines, events) = finished_log();
        lines[5] = lines[5].replace(r#""result":"pass""#, r#""result":"fail""#);
        let bytes = join(&lines);
        let point = visit_resume_point(&bytes).unwrap();
        assert_eq!(point.items, events[..5]);
        assert_eq!(point.last_hash, events[4].hash);
        let torn = point.torn.unwrap();
        assert_eq!(torn.offset, join(&lines[..5]).len() as u64);
        assert_eq!(torn.why, TornWhy::BadHash);
    }

    #[test]
    fn resuming_refuses_a_damaged_log() {
        let (mut lines, _) = finished_log();
        lines[2] = lines[2].replace(r#""value":"pass""#, r#""value":"fail""#);
        let found = visit_resume_point(&join(&lines)).unwrap_err();
        assert_eq!(found, [problem(3, ProblemKind::Altered)]);
    }

    #[test]
    fn a_generic_chain_verifies_without_visit_rules() {
        let mut prev = String::new();
        let mut bytes = Vec::new();
        for seq in 0..3 {
            let body = format!(r#"{{"seq":{seq},"event":"review","verdict":"approved"}}"#);
            let sealed = chain::seal(&prev, &body).unwrap();
            bytes.extend_from_slice(sealed.line.as_bytes());
            bytes.push(b'\n');
            prev = sealed.hash;
        }
        let read = analyze_chain(&bytes);
        assert!(read.is_clean(), "{read:?}");
        assert_eq!(read.records.len(), 3);
        assert_eq!(read.records[2].line, 3);
        assert_eq!(read.records[2].hash, prev);
        assert_eq!(read.records[2].members.get("seq"), Some(&json!(2)));
        assert!(!read.records[2].members.contains_key("hash"));
        // ...but the visit rules would not accept it.
        assert!(!analyze_log(&bytes).problems.is_empty());

        let point = chain_resume_point(&bytes).unwrap();
        assert_eq!(point.last_hash, prev);
        assert!(point.torn.is_none());

        let no_seq = chain::seal(&prev, r#"{"event":"review"}"#).unwrap();
        bytes.extend_from_slice(no_seq.line.as_bytes());
        bytes.push(b'\n');
        assert_eq!(
            analyze_chain(&bytes).problems,
            [problem(4, ProblemKind::NoSeq)]
        );
    }
}
