//! Evidence files in a data folder (SPEC section 10): `evidence/<first 2 hex>/<sha256>`.
//!
//! A file is copied in under a temporary name in `evidence/partial/`, hashed as it is copied,
//! fsynced, renamed to its hash and the folder fsynced — all before the `attached` line that
//! names it is written, so a log never names a file that is not whole on disk. A copy cut
//! short (a SIGKILL, a dead battery) leaves only a partial file, swept on the next copy.
//! Nothing is ever read back by its original name: the store names files by hash only.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The evidence folder of a data folder.
pub fn evidence_dir(data: &Path) -> PathBuf {
    data.join("evidence")
}

/// Where a file with this sha256 is kept; `None` for anything but 64 lowercase hex digits
/// (a name from a log or another store is never trusted as a path).
pub fn evidence_path(data: &Path, sha256: &str) -> Option<PathBuf> {
    is_sha256(sha256).then(|| evidence_dir(data).join(&sha256[..2]).join(sha256))
}

/// Whether `text` is a sha256 as the store writes it: 64 lowercase hex digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where copies in progress are written (same file system, so a rename moves them).
fn partial_dir(data: &Path) -> PathBuf {
    evidence_dir(data).join("partial")
}

/// A file copied into the store: what the `attached` line records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    /// The file's own name where it came from (for people; never a path).
    pub name: String,
}

/// Why a file was not taken. Nothing was recorded and nothing is left half-copied.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("{0}: no such file — check the name, or pick the file from the list")]
    NotFound(String),
    #[error("{0}: is a folder — pick a file in it")]
    Folder(String),
    #[error("{0}: is not a regular file — attach a photo or a document")]
    NotAFile(String),
    #[error("{0}: cannot be read: {1}")]
    Unreadable(String, String),
    #[error("{0}: is empty — nothing to attach")]
    Empty(String),
    #[error("{path}: is {size}; this item takes files up to {max}")]
    TooLarge {
        path: String,
        size: String,
        max: String,
    },
    #[error("{0}: changed while it was copied — wait until it is saved, then attach it again")]
    Changed(String),
    #[error(
        "{0}: its name has control characters (escape sequences) — rename the file, then attach it"
    )]
    BadName(String),
    #[error("cannot store the file in {0}: {1} — nothing was attached")]
    Write(String, String),
    #[error("{0}: its bytes do not match its name (sha256 {1})")]
    WrongHash(String, String),
}

impl EvidenceError {
    /// The problem in a word or two, for a screen's status line and translation.
    pub fn kind(&self) -> EvidenceErrorKind {
        match self {
            EvidenceError::NotFound(_) => EvidenceErrorKind::NotFound,
            EvidenceError::Folder(_) => EvidenceErrorKind::Folder,
            EvidenceError::NotAFile(_) => EvidenceErrorKind::NotAFile,
            EvidenceError::Unreadable(..) => EvidenceErrorKind::Unreadable,
            EvidenceError::Empty(_) => EvidenceErrorKind::Empty,
            EvidenceError::TooLarge { .. } => EvidenceErrorKind::TooLarge,
            EvidenceError::Changed(_) => EvidenceErrorKind::Changed,
            EvidenceError::BadName(_) => EvidenceErrorKind::BadName,
            EvidenceError::Write(..) => EvidenceErrorKind::Write,
            EvidenceError::WrongHash(..) => EvidenceErrorKind::WrongHash,
        }
    }
}

/// `EvidenceError` without its details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceErrorKind {
    NotFound,
    Folder,
    NotAFile,
    Unreadable,
    Empty,
    TooLarge,
    Changed,
    BadName,
    Write,
    WrongHash,
}

/// A path as messages show it: control characters made visible.
fn shown(path: &Path) -> String {
    crate::sanitize::sanitize(&path.display().to_string())
}

/// What can be said of a file before copying it: a regular file with a name that can be
/// shown, not empty and not over `max_bytes`. Returns its metadata and name.
pub fn precheck(source: &Path, max_bytes: u64) -> Result<(fs::Metadata, String), EvidenceError> {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.chars().any(char::is_control) {
        return Err(EvidenceError::BadName(shown(source)));
    }
    let meta = match fs::metadata(source) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(EvidenceError::NotFound(shown(source)));
        }
        Err(e) => return Err(EvidenceError::Unreadable(shown(source), e.to_string())),
    };
    if meta.is_dir() {
        return Err(EvidenceError::Folder(shown(source)));
    }
    if !meta.is_file() {
        return Err(EvidenceError::NotAFile(shown(source)));
    }
    check_size(source, meta.len(), max_bytes)?;
    Ok((meta, name))
}

/// Copies `source` into the data folder's evidence, durably, refusing a file over
/// `max_bytes`. Returns what the `attached` line must say.
pub fn copy_in(data: &Path, source: &Path, max_bytes: u64) -> Result<Stored, EvidenceError> {
    let (before, name) = precheck(source, max_bytes)?;
    let file =
        File::open(source).map_err(|e| EvidenceError::Unreadable(shown(source), e.to_string()))?;
    let copied = copy_stream(data, file, max_bytes, source)?;
    // The same length and modification time after the copy as before it, and as many bytes
    // as the file said it had: a file still being written by a camera's sync is refused.
    let after = fs::metadata(source).ok();
    let unchanged = after
        .is_some_and(|a| a.len() == before.len() && a.modified().ok() == before.modified().ok())
        && copied.size == before.len();
    if !unchanged {
        copied.discard();
        return Err(EvidenceError::Changed(shown(source)));
    }
    let media_type = copied.media_type(&name);
    let (sha256, size) = copied.commit(data)?;
    Ok(Stored {
        sha256,
        size,
        media_type,
        name,
    })
}

/// Copies a file from another store's evidence into this one's, checking that its bytes
/// hash to `sha256` (its name there). Nothing is copied when they do not.
pub fn copy_verified(data: &Path, source: &Path, sha256: &str) -> Result<u64, EvidenceError> {
    let file = File::open(source).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => EvidenceError::NotFound(shown(source)),
        _ => EvidenceError::Unreadable(shown(source), e.to_string()),
    })?;
    let copied = copy_stream(data, file, u64::MAX, source)?;
    if copied.sha256 != sha256 {
        let actual = copied.sha256.clone();
        copied.discard();
        return Err(EvidenceError::WrongHash(shown(source), actual));
    }
    copied.commit(data).map(|(_, size)| size)
}

fn check_size(source: &Path, size: u64, max_bytes: u64) -> Result<(), EvidenceError> {
    if size == 0 {
        return Err(EvidenceError::Empty(shown(source)));
    }
    if size > max_bytes {
        return Err(EvidenceError::TooLarge {
            path: shown(source),
            size: crate::visit::size_text(size),
            max: crate::visit::size_text(max_bytes),
        });
    }
    Ok(())
}

/// A file copied to a partial name and fsynced, not yet in the store.
struct Partial {
    path: PathBuf,
    sha256: String,
    size: u64,
    head: Vec<u8>,
}

impl Partial {
    fn discard(self) {
        let _ = fs::remove_file(&self.path);
    }

    fn media_type(&self, name: &str) -> String {
        media_type(&self.head, name).to_owned()
    }

    /// Renames the copy to its hash and fsyncs the folder. A file already stored under that
    /// hash is kept when its bytes still match; one that no longer does is replaced.
    fn commit(self, data: &Path) -> Result<(String, u64), EvidenceError> {
        let write_error =
            |dir: &Path, e: io::Error| EvidenceError::Write(shown(dir), e.to_string());
        let Some(target) = evidence_path(data, &self.sha256) else {
            self.discard();
            return Err(EvidenceError::Write(shown(data), "bad hash".into()));
        };
        let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
        if check(data, &self.sha256, self.size) == EvidenceCheck::Holds {
            let kept = (self.sha256.clone(), self.size);
            self.discard();
            return Ok(kept);
        }
        let result = (|| {
            let made = !dir.exists();
            fs::create_dir_all(&dir)?;
            fs::rename(&self.path, &target)?;
            File::open(&dir)?.sync_all()?;
            if made {
                File::open(evidence_dir(data))?.sync_all()?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => Ok((self.sha256, self.size)),
            Err(e) => {
                let _ = fs::remove_file(&self.path);
                Err(write_error(&dir, e))
            }
        }
    }
}

/// The first bytes kept for recognising the file's type.
const HEAD_BYTES: usize = 16;

/// Copies `reader` to a new partial file, hashing as it goes, and fsyncs it. More than
/// `max_bytes` read is "too large" (the file grew while it was copied).
fn copy_stream(
    data: &Path,
    mut reader: impl Read,
    max_bytes: u64,
    source: &Path,
) -> Result<Partial, EvidenceError> {
    let dir = partial_dir(data);
    sweep_partials(data);
    let write_error = |e: io::Error| EvidenceError::Write(shown(&dir), e.to_string());
    fs::create_dir_all(&dir).map_err(write_error)?;
    let path = dir.join(format!("{}-{}.part", std::process::id(), ulid::Ulid::new()));
    let mut out = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(write_error)?;
    let mut partial = Partial {
        path,
        sha256: String::new(),
        size: 0,
        head: Vec::with_capacity(HEAD_BYTES),
    };
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let copied = loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(EvidenceError::Unreadable(shown(source), e.to_string())),
        };
        let chunk = &buf[..n];
        partial.size += n as u64;
        if partial.size > max_bytes {
            break Err(EvidenceError::Changed(shown(source)));
        }
        let room = HEAD_BYTES.saturating_sub(partial.head.len()).min(n);
        partial.head.extend_from_slice(&chunk[..room]);
        hasher.update(chunk);
        if let Err(e) = out.write_all(chunk) {
            break Err(write_error(e));
        }
    };
    let synced = copied.and_then(|()| out.sync_all().map_err(write_error));
    drop(out);
    if let Err(e) = synced {
        partial.discard();
        return Err(e);
    }
    partial.sha256 = crate::log::chain::to_hex(&hasher.finalize());
    Ok(partial)
}

/// Removes partial copies whose process is gone (a copy cut short by a kill or a power cut).
/// A copy still running in another process is left alone.
pub fn sweep_partials(data: &Path) {
    let Ok(entries) = fs::read_dir(partial_dir(data)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process of this id runs (Linux's `/proc`; elsewhere a partial file is kept).
fn process_alive(pid: u32) -> bool {
    let proc_dir = Path::new("/proc");
    !proc_dir.is_dir() || proc_dir.join(pid.to_string()).exists()
}

/// What a stored file is found to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceCheck {
    Holds,
    Missing,
    /// Its bytes no longer hash to its name (or its size is not the one recorded).
    Altered,
    Unreadable(String),
}

/// Checks a stored file against the sha256 and size the log recorded.
pub fn check(data: &Path, sha256: &str, size: u64) -> EvidenceCheck {
    let Some(path) = evidence_path(data, sha256) else {
        return EvidenceCheck::Missing;
    };
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return EvidenceCheck::Missing,
        Err(e) => return EvidenceCheck::Unreadable(e.to_string()),
    };
    match hash_reader(file) {
        Ok((actual, len)) if actual == sha256 && len == size => EvidenceCheck::Holds,
        Ok(_) => EvidenceCheck::Altered,
        Err(e) => EvidenceCheck::Unreadable(e.to_string()),
    }
}

/// The sha256 (hex) and length of everything `reader` gives.
pub fn hash_reader(mut reader: impl Read) -> io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buf[..n]);
                len += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((crate::log::chain::to_hex(&hasher.finalize()), len))
}

/// The media type of a file, from its first bytes (what it is) and else its name's ending.
pub fn media_type(head: &[u8], name: &str) -> &'static str {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
        (b"BM", "image/bmp"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return kind;
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return "image/webp";
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        if brand.starts_with(b"hei") || brand.starts_with(b"mif1") || brand == b"heix" {
            return "image/heic";
        }
        return "video/mp4";
    }
    let ending = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ending.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "txt" => "text/plain",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn a_file_is_stored_by_its_hash_and_checks() {
        let dir = data();
        let photo = dir.path().join("unit.jpg");
        fs::write(&photo, b"\xFF\xD8\xFFjpeg bytes").unwrap();
        let stored = copy_in(dir.path(), &photo, 1024).unwrap();
        assert_eq!(stored.media_type, "image/jpeg");
        assert_eq!(stored.name, "unit.jpg");
        assert_eq!(stored.size, 13);
        let path = evidence_path(dir.path(), &stored.sha256).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"\xFF\xD8\xFFjpeg bytes");
        assert_eq!(check(dir.path(), &stored.sha256, 13), EvidenceCheck::Holds);
        // Nothing partial is left behind.
        assert_eq!(fs::read_dir(partial_dir(dir.path())).unwrap().count(), 0);
        // The same file again is the same attachment, stored once.
        assert_eq!(copy_in(dir.path(), &photo, 1024).unwrap(), stored);
        fs::write(&path, b"altered").unwrap();
        assert_eq!(
            check(dir.path(), &stored.sha256, 13),
            EvidenceCheck::Altered
        );
        // Copying it in again mends the altered copy.
        copy_in(dir.path(), &photo, 1024).unwrap();
        assert_eq!(check(dir.path(), &stored.sha256, 13), EvidenceCheck::Holds);
        fs::remove_file(&path).unwrap();
        assert_eq!(
            check(dir.path(), &stored.sha256, 13),
            EvidenceCheck::Missing
        );
    }

    #[test]
    fn bad_files_are_refused_and_leave_nothing() {
        let dir = data();
        let big = dir.path().join("big.png");
        fs::write(&big, vec![7u8; 2048]).unwrap();
        let empty = dir.path().join("empty.png");
        fs::write(&empty, b"").unwrap();
        let escape = dir.path().join("a\x1b[31mred.jpg");
        fs::write(&escape, b"x").unwrap();
        let cases = [
            (dir.path().join("nope.jpg"), EvidenceErrorKind::NotFound),
            (dir.path().to_path_buf(), EvidenceErrorKind::Folder),
            (big, EvidenceErrorKind::TooLarge),
            (empty, EvidenceErrorKind::Empty),
            (escape, EvidenceErrorKind::BadName),
            (PathBuf::from("/dev/null"), EvidenceErrorKind::NotAFile),
        ];
        for (path, kind) in cases {
            let err = copy_in(dir.path(), &path, 1024).unwrap_err();
            assert_eq!(err.kind(), kind, "{}", path.display());
            assert!(!err.to_string().contains('\x1b'), "{err}");
        }
        let stored: Vec<_> = walk(&evidence_dir(dir.path()));
        assert!(stored.is_empty(), "{stored:?}");
    }

    #[test]
    fn a_copy_from_another_store_must_hash_to_its_name() {
        let dir = data();
        let other = data();
        let file = other.path().join("f");
        fs::write(&file, b"photo").unwrap();
        let (sha, _) = hash_reader(&b"photo"[..]).unwrap();
        assert_eq!(copy_verified(dir.path(), &file, &sha).unwrap(), 5);
        let wrong = "0".repeat(64);
        let err = copy_verified(dir.path(), &file, &wrong).unwrap_err();
        assert_eq!(err.kind(), EvidenceErrorKind::WrongHash);
        assert!(evidence_path(dir.path(), &wrong).is_some_and(|p| !p.exists()));
    }

    #[test]
    fn partials_of_dead_processes_are_swept() {
        let dir = data();
        let partial = partial_dir(dir.path());
        fs::create_dir_all(&partial).unwrap();
        // No process has this id (above the kernel's pid_max).
        let dead = partial.join("4294967-01J.part");
        let mine = partial.join(format!("{}-01J.part", std::process::id()));
        fs::write(&dead, b"half").unwrap();
        fs::write(&mine, b"half").unwrap();
        sweep_partials(dir.path());
        assert!(!dead.exists());
        assert!(mine.exists());
    }

    #[test]
    fn names_from_outside_are_never_paths() {
        let dir = Path::new("/data");
        assert!(evidence_path(dir, "../../etc/passwd").is_none());
        assert!(evidence_path(dir, &"A".repeat(64)).is_none());
        let sha = "ab".repeat(32);
        assert_eq!(
            evidence_path(dir, &sha).unwrap(),
            Path::new("/data/evidence/ab").join(&sha)
        );
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    found.extend(walk(&path));
                } else {
                    found.push(path);
                }
            }
        }
        found
    }
}
