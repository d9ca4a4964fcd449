//! A chained log file held open for writing: created or reopened under an exclusive lock,
//! appended one sealed line at a time and made durable before each append returns.
//!
//! It knows lines and hashes, not events, so visit logs (`VisitWriter`) and review logs use
//! the same code for locking, torn-tail recovery, fsync and rollback after a failed write.

use std::fmt;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::chain::{self, Sealed};
use super::error::LogError;
use super::problem::{Problem, TornTail, TornWhy};
use super::reader::{self, Record, ResumePoint};

/// How many `.torn.N` names are tried before giving up.
const MAX_TORN_FILES: u32 = 1000;

/// A torn last line found when a log was reopened, and where its bytes went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Torn {
    /// 1-based line number the torn line had.
    pub line: usize,
    /// How many bytes were cut from the end of the log.
    pub bytes: u64,
    pub why: TornWhy,
    /// The file that now holds those bytes (`<log>.torn`, `<log>.torn.1` ...).
    pub moved_to: PathBuf,
}

impl fmt::Display for Torn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.why {
            TornWhy::NoLineEnd => "it had no line ending",
            TornWhy::NotJson => "it was not a whole JSON object",
            TornWhy::BadHash => "its hash did not match its content",
        };
        write!(
            f,
            "line {}: the last line was torn ({} bytes; {why}), probably by a power loss; its bytes were moved to {}",
            self.line,
            self.bytes,
            self.moved_to.display()
        )
    }
}

/// An open, locked chained log. The lock lasts as long as the value.
#[derive(Debug)]
pub struct ChainFile {
    file: File,
    path: PathBuf,
    /// The `.lock` note holding our pid, removed when the file is closed.
    lock_note: Option<PathBuf>,
    /// Length of the whole lines written so far.
    len: u64,
    last_hash: String,
    /// A rollback could not cut a failed write off: do it before the next write.
    trim_first: bool,
}

impl ChainFile {
    /// Creates the log at `path` (refusing one that exists) with `first_body` as its first
    /// line, creating missing folders. The file and every folder that gained an entry are
    /// fsynced, so the log survives a power cut once this returns.
    pub fn create(path: &Path, first_body: &str) -> Result<(ChainFile, Sealed), LogError> {
        let dir = parent_dir(path);
        let created = create_dirs(dir)?;
        // The first line is written under a temporary name and linked into place whole, so a
        // crash mid-create never leaves a log without its first line.
        let mut tmp_name = path.as_os_str().to_owned();
        tmp_name.push(".new");
        let tmp = PathBuf::from(tmp_name);
        // A leftover from a crash holds at most a part of a first line: never a record.
        let _ = fs::remove_file(&tmp);
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create_new(true)
            .open(&tmp)
            .map_err(LogError::io("create", &tmp))?;
        let lock_note = match lock(&file, path) {
            Ok(note) => note,
            Err(err) => {
                let _ = fs::remove_file(&tmp);
                return Err(err);
            }
        };
        let mut chain = ChainFile {
            file,
            path: path.to_owned(),
            lock_note,
            len: 0,
            last_hash: String::new(),
            trim_first: false,
        };
        let sealed = match chain.append(first_body) {
            Ok(sealed) => sealed,
            Err(err) => {
                let _ = fs::remove_file(&tmp);
                return Err(err);
            }
        };
        // A hard link, unlike a rename, refuses a name that exists: nothing is overwritten.
        let linked = fs::hard_link(&tmp, path);
        let _ = fs::remove_file(&tmp);
        linked.map_err(|source| match source.kind() {
            io::ErrorKind::AlreadyExists => LogError::Exists {
                path: path.to_owned(),
            },
            _ => LogError::io("create", path)(source),
        })?;
        // The new name is only durable once the folder holding it is synced, and so on up
        // through every folder this call created.
        sync_dir(dir)?;
        for created in &created {
            sync_dir(parent_dir(created))?;
        }
        Ok((chain, sealed))
    }

    /// Reopens any chained log to go on writing it (a review log, say). See `open_with`.
    pub fn open(path: &Path) -> Result<(ChainFile, Vec<Record>, Option<Torn>), LogError> {
        ChainFile::open_with(path, reader::chain_resume_point)
    }

    /// Locks the log at `path`, reads it and lets `plan` decide where writing goes on from.
    /// A torn tail is moved aside to `<log>.torn` (or `.torn.1` ...) and cut off the log,
    /// both fsynced; any other problem refuses the log, leaving it untouched.
    pub(crate) fn open_with<T>(
        path: &Path,
        plan: impl FnOnce(&[u8]) -> Result<ResumePoint<T>, Vec<Problem>>,
    ) -> Result<(ChainFile, Vec<T>, Option<Torn>), LogError> {
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(LogError::io("open", path))?;
        let lock_note = lock(&file, path)?;
        let mut chain_file = ChainFile {
            file,
            path: path.to_owned(),
            lock_note,
            len: 0,
            last_hash: String::new(),
            trim_first: false,
        };
        // Read under the lock, so no other sitecheck is writing meanwhile.
        let mut bytes = Vec::new();
        (&chain_file.file)
            .read_to_end(&mut bytes)
            .map_err(LogError::io("read", path))?;
        let point = plan(&bytes).map_err(|problems| LogError::Damaged {
            path: path.to_owned(),
            problems,
        })?;
        chain_file.len = bytes.len() as u64;
        chain_file.last_hash = point.last_hash;
        let torn = match point.torn {
            Some(tail) => Some(chain_file.move_aside(&bytes, &tail)?),
            None => None,
        };
        Ok((chain_file, point.items, torn))
    }

    /// Seals `body` after the last line and appends it with one write, then `sync_data`.
    /// On any error the file is cut back to its length before the write, so nothing
    /// half-written stays, and this value is unchanged: the same body can be retried.
    pub fn append(&mut self, body: &str) -> Result<Sealed, LogError> {
        if self.trim_first {
            self.file
                .set_len(self.len)
                .map_err(LogError::io("write to", &self.path))?;
            self.trim_first = false;
        }
        let sealed = chain::seal(&self.last_hash, body)?;
        let mut buf = Vec::with_capacity(sealed.line.len() + 1);
        buf.extend_from_slice(sealed.line.as_bytes());
        buf.push(b'\n');
        let written = self
            .file
            .write_all(&buf)
            .and_then(|()| self.file.sync_data());
        if let Err(source) = written {
            self.roll_back();
            return Err(LogError::io("write to", &self.path)(source));
        }
        self.len += buf.len() as u64;
        self.last_hash.clone_from(&sealed.hash);
        Ok(sealed)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hash of the last line ("" before the first).
    pub fn last_hash(&self) -> &str {
        &self.last_hash
    }

    /// Length in bytes of the whole lines written.
    pub fn byte_len(&self) -> u64 {
        self.len
    }

    fn roll_back(&mut self) {
        let cut = self
            .file
            .set_len(self.len)
            .and_then(|()| self.file.sync_data());
        // If even that fails (the medium is gone, say), the next append tries again first.
        self.trim_first = cut.is_err();
    }

    fn move_aside(&mut self, bytes: &[u8], tail: &TornTail) -> Result<Torn, LogError> {
        let torn_bytes = usize::try_from(tail.offset)
            .ok()
            .and_then(|offset| bytes.get(offset..))
            .unwrap_or_default();
        let moved_to = write_torn_file(&self.path, torn_bytes)?;
        // Only once the bytes are safe elsewhere is the log cut.
        self.file
            .set_len(tail.offset)
            .and_then(|()| self.file.sync_all())
            .map_err(LogError::io("cut the torn end off", &self.path))?;
        self.len = tail.offset;
        Ok(Torn {
            line: tail.line,
            bytes: torn_bytes.len() as u64,
            why: tail.why,
            moved_to,
        })
    }
}

impl Drop for ChainFile {
    fn drop(&mut self) {
        // Removed while the lock is still held (the file closes after this), so it never
        // removes the note of a process that took the lock after us.
        if let Some(note) = &self.lock_note {
            let _ = fs::remove_file(note);
        }
    }
}

/// Takes the exclusive lock, and leaves our pid in `<log>.lock` so that a second process
/// can say who holds it. The note is a courtesy; the lock is what counts.
fn lock(file: &File, path: &Path) -> Result<Option<PathBuf>, LogError> {
    let note = sidecar(path, ".lock");
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let pid = fs::read_to_string(&note)
                .ok()
                .and_then(|text| text.trim().parse().ok());
            return Err(LogError::Locked {
                path: path.to_owned(),
                pid,
            });
        }
        Err(TryLockError::Error(source)) => return Err(LogError::io("lock", path)(source)),
    }
    let written = fs::write(&note, format!("{}\n", std::process::id()));
    Ok(written.is_ok().then_some(note))
}

/// Writes the torn bytes to the first free name of `<log>.torn`, `<log>.torn.1` ... and
/// syncs it and its folder. An existing `.torn` is never overwritten.
fn write_torn_file(path: &Path, bytes: &[u8]) -> Result<PathBuf, LogError> {
    for n in 0..MAX_TORN_FILES {
        let suffix = match n {
            0 => ".torn".to_owned(),
            n => format!(".torn.{n}"),
        };
        let candidate = sidecar(path, &suffix);
        let mut file = match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(LogError::io("create", candidate)(err)),
        };
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(LogError::io("write to", &candidate))?;
        sync_dir(parent_dir(&candidate))?;
        return Ok(candidate);
    }
    Err(LogError::NoTornName {
        path: path.to_owned(),
    })
}

/// `path` with `suffix` added to its file name: `a.jsonl` -> `a.jsonl.torn`.
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Creates `dir` and its missing ancestors; returns those it created, outermost first.
fn create_dirs(dir: &Path) -> Result<Vec<PathBuf>, LogError> {
    let mut missing = Vec::new();
    let mut current = Some(dir);
    while let Some(candidate) = current {
        if candidate.as_os_str().is_empty() || candidate.is_dir() {
            break;
        }
        missing.push(candidate.to_owned());
        current = candidate.parent();
    }
    missing.reverse();
    for dir in &missing {
        match fs::create_dir(dir) {
            Ok(()) => {}
            // Another process made it meanwhile: fine, it is there.
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(err) => return Err(LogError::io("create the folder", dir)(err)),
        }
    }
    Ok(missing)
}

/// Makes a folder's entries durable (a new file's name, a new subfolder).
#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), LogError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(LogError::io("sync the folder", dir))
}

/// Windows cannot open a folder as a file; NTFS journals the entry itself.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), LogError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_is_whole_or_nothing_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        // A crash during an earlier create left part of a first line under the temporary name.
        fs::write(sidecar(&path, ".new"), b"{\"seq\":0,\"ev").unwrap();
        let (chain, _) = ChainFile::create(&path, r#"{"seq":0,"event":"review"}"#).unwrap();
        drop(chain);
        assert!(!sidecar(&path, ".new").exists());
        let read = reader::analyze_chain(&fs::read(&path).unwrap());
        assert!(read.is_clean() && read.records.len() == 1, "{read:?}");
        let before = fs::read(&path).unwrap();
        let err = ChainFile::create(&path, r#"{"seq":0,"event":"other"}"#).err();
        assert!(matches!(err, Some(LogError::Exists { .. })), "{err:?}");
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn sidecars_add_to_the_file_name() {
        let path = Path::new("/data/visits/2026-11/01J.jsonl");
        assert_eq!(
            sidecar(path, ".torn"),
            Path::new("/data/visits/2026-11/01J.jsonl.torn")
        );
        assert_eq!(parent_dir(Path::new("a.jsonl")), Path::new("."));
    }

    #[test]
    fn a_review_style_log_is_created_reopened_and_appended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews/deep/01J.jsonl");
        let (mut file, first) = ChainFile::create(&path, r#"{"seq":0,"event":"review"}"#).unwrap();
        assert_eq!(file.last_hash(), first.hash);
        file.append(r#"{"seq":1,"event":"review"}"#).unwrap();
        assert!(matches!(
            ChainFile::create(&path, r#"{"seq":0}"#),
            Err(LogError::Exists { .. })
        ));
        let len = file.byte_len();
        drop(file);

        let (mut file, records, torn) = ChainFile::open(&path).unwrap();
        assert_eq!(records.len(), 2);
        assert!(torn.is_none());
        assert_eq!(file.byte_len(), len);
        file.append(r#"{"seq":2,"event":"review"}"#).unwrap();
        drop(file);
        let read = reader::read_chain(&path).unwrap();
        assert!(read.is_clean(), "{read:?}");
        assert_eq!(read.records.len(), 3);
    }

    #[test]
    fn a_bad_body_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jsonl");
        let (mut file, _) = ChainFile::create(&path, r#"{"seq":0}"#).unwrap();
        let before = fs::read(&path).unwrap();
        assert!(matches!(file.append("{}"), Err(LogError::Chain(_))));
        assert_eq!(fs::read(&path).unwrap(), before);
    }
}
