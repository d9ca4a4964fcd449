//! What tells one version of a file from another without reading it: the summary cache
//! keeps one per log and believes a summary only while its log still has that key.

use std::fs::Metadata;

/// What tells one version of a file from another without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileKey {
    pub len: u64,
    pub mtime_ns: i64,
    /// The change time moves on any write and cannot be set back by `touch`.
    pub ctime_ns: i64,
    pub ino: u64,
}

impl FileKey {
    /// The key of a file that could not be looked at: never equal to a real one.
    pub const UNKNOWN: FileKey = FileKey {
        len: u64::MAX,
        mtime_ns: i64::MIN,
        ctime_ns: i64::MIN,
        ino: u64::MAX,
    };

    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> FileKey {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
        FileKey {
            len: meta.len(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    pub fn of(meta: &Metadata) -> FileKey {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        FileKey {
            len: meta.len(),
            mtime_ns,
            ctime_ns: 0,
            ino: 0,
        }
    }
}
