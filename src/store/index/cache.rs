//! The summary cache of a data folder, `<data>/cache/summaries.bin`: every visit summary
//! and every review log already read, keyed by the file's path (relative to the data
//! folder) and its identity (size, modification and change times, inode). A log whose
//! identity is unchanged is not read again.
//!
//! Only a cache: the logs are the record. It is written without fsync (a lost cache costs
//! one slow open) and atomically (a reader never sees half of it); a cache that does not
//! read — another version, a damaged file — is ignored. The encoding is `codec`'s.
//!
//! A cache that does not match itself is rebuilt, never believed: the file ends with the
//! sha256 of everything before it, digested as the file is streamed (by `load` and
//! `load_raw` alike) and checked before anything read is used. A patched cache
//! (`save_patched`) copies the kept entries' bytes from the old file in one forward pass
//! that digests all of it again, and is not written unless that digest is still the one
//! checked by `load_raw` (the file may have been changed in place since); the new file's
//! digest is taken of the bytes as they go out. The head also names the data folder (its
//! inode), so that a cache copied in from another folder is not believed either.

use std::collections::HashMap;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::checklists::ChecklistSet;
use super::codec::{DIGEST_LEN, DigestWriter, Reader, StreamReader, Writer};
use super::file_key::FileKey;
use super::summary::{
    ChecklistInfo, Fields, Integrity, ItemMarks, LineProblem, TargetMarks, TornInfo, VisitStatus,
    VisitSummary,
};
use crate::log::review::{Review, ReviewLog, Verdict};
use crate::store::layout::{is_visit_id, visits_dir};
use crate::visit::VisitResult;

const MAGIC: &[u8] = b"sitecheck summary cache\n";
/// Bumped whenever what a summary holds or how it is computed changes (5: a digest at the
/// end, the data folder in the head; 7: evidence an answer asks for counts as missing).
const FORMAT: u32 = 7;

/// A file key in the cache file.
fn write_key(key: &FileKey, w: &mut Writer) {
    w.u64(key.len);
    w.i64(key.mtime_ns);
    w.i64(key.ctime_ns);
    w.u64(key.ino);
}

fn read_key(r: &mut Reader) -> Option<FileKey> {
    Some(FileKey {
        len: r.u64()?,
        mtime_ns: r.i64()?,
        ctime_ns: r.i64()?,
        ino: r.u64()?,
    })
}

/// A cached review log (`reviews/<visit>.jsonl`).
#[derive(Debug)]
pub struct CachedReviews {
    pub visit: String,
    pub key: FileKey,
    pub log: ReviewLog,
}

/// A data folder's cache as read.
#[derive(Debug, Default)]
pub struct Cache {
    /// In the order they were saved (by visit id), each with its `file_key` and `path`.
    pub visits: Vec<VisitSummary>,
    pub reviews: Vec<CachedReviews>,
}

pub fn cache_path(data: &Path) -> PathBuf {
    data.join("cache").join("summaries.bin")
}

fn app() -> String {
    format!("sitecheck {}", env!("CARGO_PKG_VERSION"))
}

/// The identity of a data folder a cache belongs to: the folder's inode (0 where there is
/// none). File keys hold only inside the folder whose logs they were taken from; a folder
/// copied elsewhere has new inodes, its logs too, and renamed in place keeps them all.
fn folder_identity(data: &Path) -> Option<u64> {
    std::fs::metadata(data).ok().map(|m| FileKey::of(&m).ino)
}

/// Reads a data folder's cache, adding the checklists it holds to `checklists`; anything
/// missing, stale or unreadable is an empty cache.
pub fn load(data: &Path, checklists: &ChecklistSet) -> Cache {
    let (Ok(file), Some(folder)) = (std::fs::File::open(cache_path(data)), folder_identity(data))
    else {
        return Cache::default();
    };
    let input = StreamReader::new(std::io::BufReader::with_capacity(1 << 20, file));
    decode(input, &visits_dir(data), folder, checklists).unwrap_or_default()
}

/// Entries read and decoded at a time: the file is never held whole beside what it decodes
/// to (50 MB at 100,000 visits).
const BATCH: usize = 8 * 1024;

/// Decodes a cache as it streams in; `None` unless the whole file reads and matches the
/// digest it ends with (what was decoded is then dropped).
fn decode<R: Read + Send>(
    mut r: StreamReader<R>,
    root: &Path,
    folder: u64,
    checklists: &ChecklistSet,
) -> Option<Cache> {
    let mut infos = Vec::new();
    // Sources added to the shared set before the digest is checked are safe: each is added
    // only under its own sha256.
    for (sha, source) in read_head(&mut r, folder)? {
        infos.push(checklists.insert_source(&sha, &source)?);
    }
    let broken = AtomicBool::new(false);
    let count = r.usize()?;
    // Room for the visits a background check may add without moving them all (the room
    // costs address space, not memory, until it is used).
    let mut visits = Vec::with_capacity(count.min(1 << 24) + count / 16 + 64);
    let mut batch = Batch::default();
    for start in (0..count).step_by(BATCH) {
        batch.read(&mut r, BATCH.min(count - start))?;
        // Digested beside the decoding, which goes in parallel straight into the visits'
        // places at the end of `visits`.
        rayon::join(
            || r.digest_update(&batch.bytes),
            || {
                visits.par_extend(batch.entries().par_iter().map(|bytes| {
                    read_visit(&mut Reader::new(bytes), root, &infos).unwrap_or_else(|| {
                        broken.store(true, Ordering::Relaxed);
                        VisitSummary::default()
                    })
                }))
            },
        );
    }
    let count = r.usize()?;
    let mut reviews = Vec::with_capacity(count.min(1 << 24));
    for start in (0..count).step_by(BATCH) {
        batch.read(&mut r, BATCH.min(count - start))?;
        r.digest_update(&batch.bytes);
        let part = batch
            .entries()
            .par_iter()
            .map(|bytes| read_reviews(&mut Reader::new(bytes)))
            .collect::<Option<Vec<CachedReviews>>>()?;
        reviews.extend(part);
    }
    r.check_digest()?;
    (r.at_end() && !broken.load(Ordering::Relaxed)).then_some(Cache { visits, reviews })
}

/// The start of a cache: its magic, format, app and data folder checked; the checklist
/// sources it holds (sha256, source).
fn read_head<R: Read>(r: &mut StreamReader<R>, folder: u64) -> Option<Vec<(String, String)>> {
    let mut magic = Vec::new();
    r.bytes_into(MAGIC.len(), &mut magic)?;
    if magic != MAGIC || r.u32()? != FORMAT || r.string()? != app() || r.u64()? != folder {
        return None;
    }
    let mut sources = Vec::new();
    for _ in 0..r.usize()? {
        sources.push((r.string()?, r.string()?));
    }
    Some(sources)
}

/// Length-prefixed entries read one batch at a time into one buffer, as they are in the
/// file (to be digested: `StreamReader::digest_update`).
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    entries: Vec<std::ops::Range<usize>>,
}

impl Batch {
    fn read<R: Read>(&mut self, r: &mut StreamReader<R>, count: usize) -> Option<()> {
        self.bytes.clear();
        self.entries.clear();
        for _ in 0..count {
            self.entries.push(r.entry_undigested(&mut self.bytes)?);
        }
        Some(())
    }

    fn entries(&self) -> Vec<&[u8]> {
        self.entries
            .iter()
            .map(|range| self.bytes.get(range.clone()).unwrap_or_default())
            .collect()
    }
}

/// Writes a data folder's cache, replacing the old one atomically. Visits without a
/// `file_key` (their log could not be looked at) are left out.
pub fn save(
    data: &Path,
    visits: &[VisitSummary],
    reviews: &[CachedReviews],
) -> std::io::Result<()> {
    let root = visits_dir(data);
    let mut sources = Sources::default();
    let entries: Vec<VisitEntry> = visits
        .iter()
        .filter_map(|v| fresh_entry(&root, v, &mut sources))
        .collect();
    let reviews: Vec<ReviewEntry> = reviews.iter().map(ReviewEntry::Fresh).collect();
    write_cache(data, &sources, &entries, &reviews, None)
}

/// The checklist sources a cache holds, numbered in order of first use.
#[derive(Default)]
struct Sources<'a> {
    list: Vec<(&'a str, &'a str)>,
    numbers: HashMap<&'a str, u32>,
}

impl<'a> Sources<'a> {
    fn add(&mut self, sha256: &'a str, source: &'a str) {
        if !self.numbers.contains_key(sha256) {
            self.numbers.insert(sha256, self.list.len() as u32);
            self.list.push((sha256, source));
        }
    }

    fn add_checklist(&mut self, info: &'a ChecklistInfo) {
        if let Some(source) = info.source.as_deref() {
            self.add(&info.sha256, source);
        }
    }
}

/// One visit's entry in a cache being written: a summary to encode, or the bytes of an
/// entry of the old cache that still holds, where it is in the old file.
enum VisitEntry<'a> {
    Fresh(&'a VisitSummary, String, FileKey),
    Kept(Place),
}

enum ReviewEntry<'a> {
    Fresh(&'a CachedReviews),
    Kept(Place),
}

/// A summary's entry, with its file relative to the visits folder; `None` for a log that
/// could not be looked at (no identity to check it by next time).
fn fresh_entry<'a>(
    root: &Path,
    visit: &'a VisitSummary,
    sources: &mut Sources<'a>,
) -> Option<VisitEntry<'a>> {
    let file = visit
        .path
        .strip_prefix(root)
        .ok()?
        .to_str()?
        .replace('\\', "/");
    let key = visit.file_key?;
    sources.add_checklist(&visit.checklist);
    Some(VisitEntry::Fresh(visit, file, key))
}

fn write_cache(
    data: &Path,
    sources: &Sources,
    visits: &[VisitEntry],
    reviews: &[ReviewEntry],
    old: Option<&RawCache>,
) -> std::io::Result<()> {
    let mut head = Writer::default();
    head.buf.extend_from_slice(MAGIC);
    head.u32(FORMAT);
    head.str(&app());
    head.u64(folder_identity(data).ok_or_else(|| std::io::Error::other("no data folder"))?);
    head.usize(sources.list.len());
    for (sha256, source) in &sources.list {
        head.str(sha256);
        head.str(source);
    }
    head.usize(visits.len());
    // Fresh summaries are encoded in parallel a batch at a time and written as they come,
    // so the whole encoded cache is never held in memory beside the summaries.
    let encode = |batch: &[VisitEntry]| -> Vec<Vec<u8>> {
        batch
            .par_chunks(1024)
            .map(|chunk| {
                let mut w = Writer::default();
                for visit in chunk {
                    if let VisitEntry::Fresh(visit, file, key) = visit {
                        entry(&mut w, |w| {
                            write_visit(w, visit, file, key, &sources.numbers)
                        });
                    }
                }
                w.buf
            })
            .collect()
    };
    let path = cache_path(data);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("bin.{}.tmp", std::process::id()));
    let written = (|| {
        let file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        let mut out = DigestWriter::new(file);
        out.write_all(&head.buf)?;
        let mut old = old.map(OldCache::new).transpose()?;
        let mut rest = visits;
        while let Some(first) = rest.first() {
            let run = match first {
                // Kept entries side by side in the old file (most of them) are copied in
                // one piece, length prefixes and all.
                VisitEntry::Kept(first) => {
                    let mut end = first.end();
                    let run = rest
                        .iter()
                        .skip(1)
                        .take_while(|e| match e {
                            VisitEntry::Kept(place) if place.start() == end => {
                                end = place.end();
                                true
                            }
                            _ => false,
                        })
                        .count()
                        + 1;
                    OldCache::get(&mut old)?.copy(first.start(), end, &mut out)?;
                    run
                }
                VisitEntry::Fresh(..) => {
                    let run = rest
                        .iter()
                        .take(16 * 1024)
                        .take_while(|e| matches!(e, VisitEntry::Fresh(..)))
                        .count();
                    for chunk in encode(&rest[..run]) {
                        out.write_all(&chunk)?;
                    }
                    run
                }
            };
            rest = &rest[run..];
        }
        let mut tail = Writer::default();
        tail.usize(reviews.len());
        for review in reviews {
            match review {
                ReviewEntry::Fresh(log) => entry(&mut tail, |w| write_reviews(w, log)),
                ReviewEntry::Kept(place) => {
                    OldCache::get(&mut old)?.copy(place.start(), place.end(), &mut tail.buf)?
                }
            }
        }
        out.write_all(&tail.buf)?;
        let mut out = out.finish()?;
        out.flush()?;
        drop(out);
        if let Some(old) = &mut old {
            old.finish()?;
        }
        std::fs::rename(&tmp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A cache cut into its entries, each known by its file and identity but not decoded: what
/// a check of every log needs to tell which summaries still hold, and to write the cache
/// again without holding 100,000 summaries (or the whole file) a second time. The entries
/// that still hold are copied from the open file when the cache is written again.
#[derive(Debug)]
pub struct RawCache {
    /// The cache file's own identity when it was opened.
    pub key: FileKey,
    file: std::fs::File,
    /// The digest checked, and where it begins: what the file must still hold when entries
    /// are copied from it.
    digest: [u8; DIGEST_LEN],
    digest_at: u64,
    sources: Vec<(String, String)>,
    /// In the order saved (by visit id).
    pub visits: Vec<RawVisit>,
    pub reviews: Vec<RawReviews>,
}

#[derive(Debug)]
pub struct RawVisit {
    pub id: String,
    pub path: PathBuf,
    pub key: FileKey,
    entry: Place,
}

#[derive(Debug)]
pub struct RawReviews {
    pub visit: String,
    pub key: FileKey,
    entry: Place,
}

/// Where an entry is in the cache file: its length prefix, then its bytes.
#[derive(Clone, Copy, Debug)]
struct Place {
    /// Where the length prefix begins.
    prefix: u64,
    /// Where the bytes begin.
    offset: u64,
    len: usize,
}

impl Place {
    /// Where the entry begins, its length prefix included.
    fn start(&self) -> u64 {
        self.prefix
    }

    fn end(&self) -> u64 {
        self.offset + self.len as u64
    }
}

/// An old cache file read forward once, from its start, while a patched cache is written:
/// the bytes of its kept entries (in the order of the file) copied out, and every byte
/// digested, so that what was copied is known to be what `load_raw` checked.
struct OldCache<'a> {
    input: StreamReader<std::io::BufReader<&'a std::fs::File>>,
    raw: &'a RawCache,
    buf: Vec<u8>,
}

impl<'a> OldCache<'a> {
    fn new(raw: &'a RawCache) -> std::io::Result<OldCache<'a>> {
        let mut file = &raw.file;
        file.seek(std::io::SeekFrom::Start(0))?;
        Ok(OldCache {
            input: StreamReader::new(std::io::BufReader::with_capacity(1 << 20, file)),
            raw,
            buf: Vec::new(),
        })
    }

    fn get<'b>(old: &'b mut Option<OldCache<'a>>) -> std::io::Result<&'b mut OldCache<'a>> {
        old.as_mut()
            .ok_or_else(|| std::io::Error::other("no old cache to copy from"))
    }

    /// Copies the bytes `start..end` to `out`, passing over those before.
    fn copy(&mut self, start: u64, end: u64, out: &mut impl Write) -> std::io::Result<()> {
        let at = self.input.position();
        let (Some(skip), Some(len)) = (start.checked_sub(at), end.checked_sub(start)) else {
            return Err(std::io::Error::other("old cache entries out of order"));
        };
        self.input
            .copy_to(skip, &mut std::io::sink(), &mut self.buf)
            .and_then(|()| self.input.copy_to(len, out, &mut self.buf))
            .ok_or_else(|| std::io::Error::other("the old cache is shorter than it was"))
    }

    /// Reads the rest of what the digest covers: an error unless the file still has the
    /// digest that was checked.
    fn finish(&mut self) -> std::io::Result<()> {
        let end = self.raw.digest_at;
        let at = self.input.position();
        let read = end.checked_sub(at).and_then(|rest| {
            self.input
                .copy_to(rest, &mut std::io::sink(), &mut self.buf)
        });
        if read.is_some() && self.input.digest() == self.raw.digest {
            Ok(())
        } else {
            Err(std::io::Error::other(
                "the old cache changed since it was checked",
            ))
        }
    }
}

/// The identity of a data folder's cache file, if it has one.
pub fn cache_key(data: &Path) -> Option<FileKey> {
    std::fs::metadata(cache_path(data))
        .ok()
        .map(|m| FileKey::of(&m))
}

/// Whether a data folder has a cache this version can read (its start, checked), so that
/// opening it will not read every log.
pub fn is_current(data: &Path) -> bool {
    let (Ok(file), Some(folder)) = (std::fs::File::open(cache_path(data)), folder_identity(data))
    else {
        return false;
    };
    read_head(
        &mut StreamReader::new(std::io::BufReader::new(file)),
        folder,
    )
    .is_some()
}

/// Reads through a data folder's cache without decoding its summaries or keeping its bytes;
/// `None` when there is none, or it does not read or match its digest.
pub fn load_raw(data: &Path) -> Option<RawCache> {
    let file = std::fs::File::open(cache_path(data)).ok()?;
    let key = FileKey::of(&file.metadata().ok()?);
    let root = visits_dir(data);
    let mut r = StreamReader::new(std::io::BufReader::with_capacity(1 << 20, &file));
    let sources = read_head(&mut r, folder_identity(data)?)?;
    let mut buf = Vec::new();
    let next_entry = |r: &mut StreamReader<_>, buf: &mut Vec<u8>| -> Option<Place> {
        let prefix = r.position();
        let len = r.usize()?;
        let offset = r.position();
        r.bytes_into(len, buf)?;
        Some(Place {
            prefix,
            offset,
            len,
        })
    };
    let count = r.usize()?;
    let mut visits = Vec::with_capacity(count.min(1 << 24));
    for _ in 0..count {
        let entry = next_entry(&mut r, &mut buf)?;
        let mut fields = Reader::new(&buf);
        let file = fields.str()?;
        let key = read_key(&mut fields)?;
        let id = file
            .rsplit('/')
            .next()?
            .strip_suffix(".jsonl")
            .filter(|id| is_visit_id(id))?;
        visits.push(RawVisit {
            id: id.to_owned(),
            path: root.join(file),
            key,
            entry,
        });
    }
    let count = r.usize()?;
    let mut reviews = Vec::with_capacity(count.min(1 << 24));
    for _ in 0..count {
        let entry = next_entry(&mut r, &mut buf)?;
        let mut fields = Reader::new(&buf);
        reviews.push(RawReviews {
            visit: fields.string()?,
            key: read_key(&mut fields)?,
            entry,
        });
    }
    let digest_at = r.position();
    let digest = r.check_digest()?;
    if !r.at_end() {
        return None;
    }
    drop(r);
    Some(RawCache {
        key,
        file,
        digest,
        digest_at,
        sources,
        visits,
        reviews,
    })
}

/// Writes a data folder's cache from an old one: its entries where `keep_visit` /
/// `keep_review` say so (by index), and the `fresh` summaries and review logs, the visits in
/// id order.
pub fn save_patched(
    data: &Path,
    old: &RawCache,
    keep_visit: &[bool],
    fresh: &[VisitSummary],
    keep_review: &[bool],
    fresh_reviews: &[CachedReviews],
) -> std::io::Result<()> {
    let root = visits_dir(data);
    let mut sources = Sources::default();
    for (sha256, source) in &old.sources {
        sources.add(sha256, source);
    }
    let mut kept = old
        .visits
        .iter()
        .zip(keep_visit)
        .filter(|(_, keep)| **keep)
        .map(|(raw, _)| raw)
        .peekable();
    let mut entries = Vec::with_capacity(old.visits.len() + fresh.len());
    for visit in fresh {
        while let Some(raw) = kept.next_if(|raw| raw.id < visit.id) {
            entries.push(VisitEntry::Kept(raw.entry));
        }
        entries.extend(fresh_entry(&root, visit, &mut sources));
    }
    entries.extend(kept.map(|raw| VisitEntry::Kept(raw.entry)));
    let reviews: Vec<ReviewEntry> = old
        .reviews
        .iter()
        .zip(keep_review)
        .filter(|(_, keep)| **keep)
        .map(|(raw, _)| ReviewEntry::Kept(raw.entry))
        .chain(fresh_reviews.iter().map(ReviewEntry::Fresh))
        .collect();
    write_cache(data, &sources, &entries, &reviews, Some(old))
}

/// Writes one length-prefixed entry.
fn entry(w: &mut Writer, write: impl FnOnce(&mut Writer)) {
    let mut inner = Writer::default();
    write(&mut inner);
    w.usize(inner.buf.len());
    w.buf.extend_from_slice(&inner.buf);
}

fn write_visit(
    w: &mut Writer,
    s: &VisitSummary,
    file: &str,
    key: &FileKey,
    numbers: &HashMap<&str, u32>,
) {
    // The visit id is the file's name: not written twice.
    w.str(file);
    write_key(key, w);
    let number = numbers
        .get(s.checklist.sha256.as_str())
        .copied()
        .unwrap_or(u32::MAX);
    w.u32(number);
    if number == u32::MAX {
        // A checklist that is not in the cache (its source does not load) is kept by name.
        w.str(&s.checklist.id);
        w.str(&s.checklist.version);
        w.str(&s.checklist.sha256);
        w.opt_str(s.checklist.problem.as_deref());
    }
    w.str(&s.technician);
    w.str(&s.host);
    w.str(&s.started_at);
    w.opt_str(s.finished_at.as_deref());
    w.u32(match s.status {
        VisitStatus::Open => 0,
        VisitStatus::Finished => 1,
        VisitStatus::Abandoned => 2,
        VisitStatus::Unreadable => 3,
    });
    w.opt_str(s.abandon_reason.as_deref());
    let (text, ends) = s.fields.parts();
    w.str(text);
    w.usize(ends.len());
    for end in ends {
        w.u32(*end);
    }
    w.bool(s.score.is_some());
    if let Some(score) = s.score {
        w.f64(score);
    }
    w.u32(match s.result {
        None => 0,
        Some(VisitResult::Pass) => 1,
        Some(VisitResult::Fail) => 2,
    });
    for n in [s.passed, s.failed, s.na, s.answered, s.missing] {
        w.u32(n);
    }
    w.u64(s.duration_ms);
    w.usize(s.answer_gaps_ms.len());
    for gap in &s.answer_gaps_ms {
        w.u32(*gap);
    }
    w.str(s.marks.as_str());
    w.str(s.targets.as_str());
    write_integrity(w, &s.integrity);
    w.u32(s.amendments);
    write_hash(w, &s.last_hash);
    w.u32(s.events);
    w.opt_str(s.sealed_by.as_deref());
    w.opt_str(s.receipt.as_deref());
}

/// A chain hash as its 32 bytes (half the size, and nothing to validate when read back);
/// anything else (an empty hash, a damaged one) as text.
fn write_hash(w: &mut Writer, hash: &str) {
    match crate::log::chain::hash_bytes(hash) {
        Some(bytes) => {
            w.bool(true);
            w.buf.extend_from_slice(&bytes);
        }
        None => {
            w.bool(false);
            w.str(hash);
        }
    }
}

fn read_hash(r: &mut Reader) -> Option<String> {
    if r.bool()? {
        Some(crate::log::chain::to_hex(r.bytes(32)?))
    } else {
        r.string()
    }
}

fn read_visit(r: &mut Reader, root: &Path, infos: &[Arc<ChecklistInfo>]) -> Option<VisitSummary> {
    let file = r.str()?;
    let key = read_key(r)?;
    let name = file.rsplit('/').next()?;
    let id = name
        .strip_suffix(".jsonl")
        .filter(|id| is_visit_id(id))?
        .to_owned();
    let number = r.u32()?;
    let checklist = match infos.get(number as usize) {
        Some(info) => info.clone(),
        None if number != u32::MAX => return None,
        None => {
            let (checklist_id, version, sha256) = (r.str()?, r.str()?, r.str()?);
            Arc::new(ChecklistInfo {
                id: checklist_id.to_owned(),
                version: version.to_owned(),
                sha256: sha256.to_owned(),
                title: crate::checklist::Text::plain(checklist_id),
                checklist: None,
                source: None,
                problem: r.opt_string()?,
            })
        }
    };
    let technician = r.string()?;
    let host = r.string()?;
    let started_at = r.string()?;
    let finished_at = r.opt_string()?;
    let status = match r.u32()? {
        0 => VisitStatus::Open,
        1 => VisitStatus::Finished,
        2 => VisitStatus::Abandoned,
        3 => VisitStatus::Unreadable,
        _ => return None,
    };
    let abandon_reason = r.opt_string()?;
    let fields_text = r.str()?;
    let end_count = r.usize()?;
    let mut ends = Vec::with_capacity(end_count.min(1 << 16));
    for _ in 0..end_count {
        ends.push(r.u32()?);
    }
    let fields = Fields::from_parts(fields_text, ends)?;
    let score = if r.bool()? { Some(r.f64()?) } else { None };
    let result = match r.u32()? {
        0 => None,
        1 => Some(VisitResult::Pass),
        2 => Some(VisitResult::Fail),
        _ => return None,
    };
    let (passed, failed, na, answered, missing) =
        (r.u32()?, r.u32()?, r.u32()?, r.u32()?, r.u32()?);
    let duration_ms = r.u64()?;
    let gap_count = r.usize()?;
    let mut answer_gaps_ms = Vec::with_capacity(gap_count.min(1 << 16));
    for _ in 0..gap_count {
        answer_gaps_ms.push(r.u32()?);
    }
    let marks = ItemMarks::from_packed(r.string()?);
    let targets = TargetMarks::from_packed(r.string()?);
    let integrity = read_integrity(r)?;
    let amendments = r.u32()?;
    let last_hash = read_hash(r)?;
    let events = r.u32()?;
    let sealed_by = r.opt_string()?;
    let receipt = r.opt_string()?;
    Some(VisitSummary {
        id,
        path: root.join(file),
        file_key: Some(key),
        checklist,
        technician,
        host,
        started_at,
        finished_at,
        status,
        abandon_reason,
        fields,
        score,
        result,
        passed,
        failed,
        na,
        answered,
        missing,
        duration_ms,
        answer_gaps_ms,
        marks,
        targets,
        integrity,
        amendments,
        last_hash,
        events,
        sealed_by,
        receipt,
        ..VisitSummary::default()
    })
}

fn write_integrity(w: &mut Writer, integrity: &Integrity) {
    w.bool(integrity.torn.is_some());
    if let Some(torn) = integrity.torn {
        w.usize(torn.line);
        w.u64(torn.bytes);
    }
    w.usize(integrity.problems.len());
    for problem in &integrity.problems {
        w.usize(problem.line);
        w.str(&problem.message);
    }
}

fn read_integrity(r: &mut Reader) -> Option<Integrity> {
    let torn = if r.bool()? {
        Some(TornInfo {
            line: r.usize()?,
            bytes: r.u64()?,
        })
    } else {
        None
    };
    let count = r.usize()?;
    let mut problems = Vec::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        problems.push(LineProblem {
            line: r.usize()?,
            message: r.string()?,
        });
    }
    Some(Integrity { torn, problems })
}

fn write_reviews(w: &mut Writer, entry: &CachedReviews) {
    w.str(&entry.visit);
    write_key(&entry.key, w);
    w.usize(entry.log.reviews.len());
    for review in &entry.log.reviews {
        w.u64(review.seq);
        w.str(&review.at);
        w.str(&review.visit);
        w.str(&review.visit_hash);
        w.str(&review.reviewer);
        w.str(review.verdict.name());
        w.str(&review.comment);
        w.opt_str(review.item.as_deref());
        w.str(&review.hash);
    }
    write_integrity(w, &entry.log.integrity);
}

fn read_reviews(r: &mut Reader) -> Option<CachedReviews> {
    let visit = r.string()?;
    let key = read_key(r)?;
    let count = r.usize()?;
    let mut reviews = Vec::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        reviews.push(Review {
            seq: r.u64()?,
            at: r.string()?,
            visit: r.string()?,
            visit_hash: r.string()?,
            reviewer: r.string()?,
            verdict: Verdict::from_name(r.str()?)?,
            comment: r.string()?,
            item: r.opt_string()?,
            hash: r.string()?,
        });
    }
    let integrity = read_integrity(r)?;
    Some(CachedReviews {
        visit,
        key,
        log: ReviewLog { reviews, integrity },
    })
}

#[cfg(test)]
mod tests {
    use super::super::codec::DIGEST_LEN;
    use super::*;
    use crate::checklist::library::BUNDLED;
    use crate::checklist::sha256_hex;
    use crate::store::index::summary::ItemMark;

    fn summary(root: &Path, checklists: &ChecklistSet) -> VisitSummary {
        let source = BUNDLED[1].1;
        let checklist = checklists.get_or_parse(&sha256_hex(source.as_bytes()), "", "", source);
        VisitSummary {
            id: "01JD0000000000000000000001".into(),
            path: root.join("2026-11/01JD0000000000000000000001.jsonl"),
            checklist,
            technician: "张三".into(),
            host: "tb".into(),
            started_at: "2026-11-22T10:00:00.000+08:00".into(),
            finished_at: Some("2026-11-22T10:30:00.000+08:00".into()),
            status: VisitStatus::Finished,
            fields: Fields::new([("work_order", "WO-1"), ("customer", "=cmd")]),
            score: Some(0.875),
            result: Some(VisitResult::Fail),
            passed: 7,
            failed: 1,
            answered: 9,
            duration_ms: 1_800_000,
            answer_gaps_ms: vec![1000, 20_000, u32::MAX],
            marks: ItemMarks::new([ItemMark::Pass, ItemMark::Fail, ItemMark::Hidden]),
            targets: TargetMarks::new([Some(true), None]),
            integrity: Integrity {
                torn: Some(TornInfo { line: 9, bytes: 12 }),
                problems: vec![LineProblem {
                    line: 3,
                    message: "altered".into(),
                }],
            },
            amendments: 2,
            last_hash: "ab".repeat(32),
            events: 11,
            file_key: Some(FileKey {
                len: 5,
                mtime_ns: -3,
                ctime_ns: 7,
                ino: 9,
            }),
            ..VisitSummary::default()
        }
    }

    fn same(a: &VisitSummary, b: &VisitSummary) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn summaries_and_reviews_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let root = visits_dir(dir.path());
        let checklists = ChecklistSet::new();
        let visit = summary(&root, &checklists);
        let reviews = vec![CachedReviews {
            visit: visit.id.clone(),
            key: FileKey::UNKNOWN,
            log: ReviewLog {
                reviews: vec![Review {
                    seq: 0,
                    at: "t".into(),
                    visit: visit.id.clone(),
                    visit_hash: "cd".repeat(32),
                    reviewer: "li".into(),
                    verdict: Verdict::FollowUp,
                    comment: "again".into(),
                    item: Some("badge".into()),
                    hash: "ef".repeat(32),
                }],
                integrity: Integrity::default(),
            },
        }];
        save(dir.path(), std::slice::from_ref(&visit), &reviews).unwrap();
        // A fresh set, as in a new process: the checklist comes back from the cache.
        let fresh = ChecklistSet::new();
        let cache = load(dir.path(), &fresh);
        assert_eq!(cache.visits.len(), 1);
        same(&cache.visits[0], &visit);
        assert!(cache.visits[0].checklist.checklist.is_some());
        assert_eq!(cache.reviews[0].log, reviews[0].log);
        assert_eq!(cache.reviews[0].key, FileKey::UNKNOWN);
    }

    #[test]
    fn a_cache_is_current_only_when_this_version_can_read_it() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_current(dir.path()), "no cache yet");
        let root = visits_dir(dir.path());
        save(dir.path(), &[summary(&root, &ChecklistSet::new())], &[]).unwrap();
        assert!(is_current(dir.path()));
        let path = cache_path(dir.path());
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[MAGIC.len()] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert!(!is_current(dir.path()), "another format");
    }

    #[test]
    fn a_cache_that_does_not_read_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let root = visits_dir(dir.path());
        let checklists = ChecklistSet::new();
        save(dir.path(), &[summary(&root, &checklists)], &[]).unwrap();
        let path = cache_path(dir.path());
        let good = std::fs::read(&path).unwrap();
        for len in [0, 10, good.len() / 2, good.len() - 1] {
            std::fs::write(&path, &good[..len]).unwrap();
            assert!(
                load(dir.path(), &ChecklistSet::new()).visits.is_empty(),
                "{len}"
            );
        }
        let mut other_version = good.clone();
        let at = MAGIC.len();
        other_version[at] ^= 1;
        std::fs::write(&path, other_version).unwrap();
        assert!(load(dir.path(), &ChecklistSet::new()).visits.is_empty());
        let mut trailing = good;
        trailing.push(0);
        std::fs::write(&path, trailing).unwrap();
        assert!(load(dir.path(), &ChecklistSet::new()).visits.is_empty());
    }

    /// A cache of two visits and a review log, as `save` writes it.
    fn saved(data: &Path) -> Vec<u8> {
        let root = visits_dir(data);
        let checklists = ChecklistSet::new();
        let first = summary(&root, &checklists);
        let mut second = summary(&root, &checklists);
        second.id = "01JD0000000000000000000002".into();
        second.path = root.join("2026-11/01JD0000000000000000000002.jsonl");
        let reviews = [CachedReviews {
            visit: first.id.clone(),
            key: FileKey::UNKNOWN,
            log: ReviewLog::default(),
        }];
        save(data, &[first, second], &reviews).unwrap();
        std::fs::read(cache_path(data)).unwrap()
    }

    #[test]
    fn a_cache_that_does_not_match_its_digest_is_not_read_raw_either() {
        let dir = tempfile::tempdir().unwrap();
        let good = saved(dir.path());
        let raw = load_raw(dir.path()).unwrap();
        assert_eq!((raw.visits.len(), raw.reviews.len()), (2, 1));
        let path = cache_path(dir.path());
        // Every byte of the entries and the digest; of the checklist source it begins with
        // (most of the file), a stride.
        let entries = good.len() - 1024;
        for at in (0..entries).step_by(97).chain(entries..good.len()) {
            let mut bad = good.clone();
            bad[at] ^= 1;
            std::fs::write(&path, &bad).unwrap();
            assert!(load_raw(dir.path()).is_none(), "byte {at}");
            // (A load parses the checklist again: fewer.)
            if at % 13 == 0 {
                assert!(
                    load(dir.path(), &ChecklistSet::new()).visits.is_empty(),
                    "byte {at}"
                );
            }
        }
        std::fs::write(&path, &good[..good.len() - DIGEST_LEN]).unwrap();
        assert!(load_raw(dir.path()).is_none(), "no digest");
    }

    #[test]
    fn a_patched_cache_has_a_digest_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        saved(dir.path());
        let old = load_raw(dir.path()).unwrap();
        let root = visits_dir(dir.path());
        let mut fresh = summary(&root, &ChecklistSet::new());
        fresh.id = "01JD0000000000000000000003".into();
        fresh.path = root.join("2026-11/01JD0000000000000000000003.jsonl");
        fresh.technician = "李四".into();
        save_patched(dir.path(), &old, &[false, true], &[fresh], &[true], &[]).unwrap();
        let cache = load(dir.path(), &ChecklistSet::new());
        let ids: Vec<&str> = cache.visits.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(
            ids,
            ["01JD0000000000000000000002", "01JD0000000000000000000003"]
        );
        assert_eq!(cache.visits[1].technician, "李四");
        assert_eq!(cache.reviews.len(), 1);
        assert!(load_raw(dir.path()).is_some());
    }

    #[test]
    fn a_cache_changed_since_it_was_checked_is_not_copied_into_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let good = saved(dir.path());
        let old = load_raw(dir.path()).unwrap();
        // Edited in place (the open file sees it) after its digest was checked.
        let edited = String::from_utf8_lossy(&good).replace("张三", "李四");
        assert_ne!(edited.as_bytes(), good);
        std::fs::write(cache_path(dir.path()), edited.as_bytes()).unwrap();
        assert!(save_patched(dir.path(), &old, &[true, true], &[], &[true], &[]).is_err());
        assert_eq!(
            std::fs::read(cache_path(dir.path())).unwrap(),
            edited.as_bytes(),
            "left as it was, to be rejected when read"
        );
        assert!(load_raw(dir.path()).is_none());
    }

    #[test]
    fn a_cache_belongs_to_its_data_folder() {
        let here = tempfile::tempdir().unwrap();
        let there = tempfile::tempdir().unwrap();
        saved(there.path());
        std::fs::create_dir_all(here.path().join("cache")).unwrap();
        std::fs::copy(cache_path(there.path()), cache_path(here.path())).unwrap();
        assert!(load(here.path(), &ChecklistSet::new()).visits.is_empty());
        assert!(load_raw(here.path()).is_none());
        assert!(!is_current(here.path()));
        // Renamed, a folder keeps its cache (and its logs their identities).
        let moved = there.path().join("moved");
        std::fs::create_dir(&moved).unwrap();
        saved(&moved);
        let renamed = there.path().join("renamed");
        std::fs::rename(&moved, &renamed).unwrap();
        assert_eq!(load(&renamed, &ChecklistSet::new()).visits.len(), 2);
    }

    #[test]
    fn a_file_key_changes_when_a_log_grows_or_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        std::fs::write(&path, "a\n").unwrap();
        let key = || FileKey::of(&std::fs::metadata(&path).unwrap());
        let first = key();
        assert_eq!(first, key());
        // Logs only grow in place...
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut file, b"b\n").unwrap();
        drop(file);
        let grown = key();
        assert_ne!(first, grown);
        // ... or are replaced whole (import): a new inode, even at the same size.
        let other = dir.path().join("y.jsonl");
        std::fs::write(&other, "c\nd\n").unwrap();
        let _keep_inode_in_use = std::fs::File::open(&path).unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert_ne!(grown, key());
    }
}
