//! A write that fails half way (disk full, file too large) leaves the log as it was, and the
//! same event can be appended again once the cause is gone.
//!
//! The failure is made real with RLIMIT_FSIZE: the kernel writes up to the limit, then fails
//! the rest with EFBIG, which is exactly a half-written line. The limit is per process, which
//! is why this test has a file (and so a process) of its own.
#![cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
// In tests a failed unwrap is a failed test, helpers included.
#![allow(clippy::unwrap_used)]

mod log_support;

use std::fs;

use log_support::{answered, start_info};
use sitecheck::log::{LogError, VisitWriter, read_log};
use ulid::Ulid;

#[repr(C)]
struct RLimit {
    cur: u64,
    max: u64,
}

const RLIMIT_FSIZE: i32 = 1;
const SIGXFSZ: i32 = 25;
const SIG_IGN: usize = 1;
const EFBIG: i32 = 27;

unsafe extern "C" {
    fn getrlimit(resource: i32, limit: *mut RLimit) -> i32;
    fn setrlimit(resource: i32, limit: *const RLimit) -> i32;
    fn signal(signal: i32, handler: usize) -> usize;
}

/// Lowers the file size limit while alive, and puts the old one back when dropped.
struct FileSizeLimit {
    old: RLimit,
}

impl FileSizeLimit {
    fn set(bytes: u64) -> Self {
        let mut old = RLimit { cur: 0, max: 0 };
        // SAFETY: plain libc calls with valid pointers; ignoring SIGXFSZ turns "killed" into
        // the EFBIG error a full disk would give.
        unsafe {
            assert_eq!(getrlimit(RLIMIT_FSIZE, &mut old), 0);
            signal(SIGXFSZ, SIG_IGN);
            let new = RLimit {
                cur: bytes,
                max: old.max,
            };
            assert_eq!(setrlimit(RLIMIT_FSIZE, &new), 0);
        }
        FileSizeLimit { old }
    }
}

impl Drop for FileSizeLimit {
    fn drop(&mut self) {
        // SAFETY: as above.
        unsafe {
            setrlimit(RLIMIT_FSIZE, &self.old);
        }
    }
}

#[test]
fn a_failed_write_harms_nothing_and_can_be_retried() {
    let data = tempfile::tempdir().unwrap();
    let (mut writer, _) = VisitWriter::create(data.path(), Ulid::new(), start_info()).unwrap();
    writer.append(answered("badge", "pass")).unwrap();
    let path = writer.path().to_owned();
    let before = fs::read(&path).unwrap();
    let (seq, hash) = (writer.next_seq(), writer.last_hash().to_owned());

    let kind = answered("price_list", "fail");
    let err = {
        // Room for 20 more bytes: the line starts to be written, and then fails.
        let _limit = FileSizeLimit::set(before.len() as u64 + 20);
        writer.append(kind.clone()).unwrap_err()
    };
    let LogError::Io { source, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(source.raw_os_error(), Some(EFBIG), "{err}");
    assert!(err.to_string().starts_with("could not write to "), "{err}");

    // Nothing half-written stays, and the writer is as it was.
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(writer.next_seq(), seq);
    assert_eq!(writer.last_hash(), hash);
    assert!(read_log(&path).unwrap().is_clean());

    // The room is back: the same event goes in, with the seq it would have had.
    let event = writer.append(kind).unwrap();
    assert_eq!(event.seq, seq);
    let read = read_log(&path).unwrap();
    assert!(read.is_clean(), "{read:?}");
    assert_eq!(read.events.len(), 3);
    assert_eq!(read.events[2], event);
}
