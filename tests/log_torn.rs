//! A power cut mid-write leaves a torn last line: resuming moves it aside and goes on.
// In tests a failed unwrap is a failed test, helpers included.
#![allow(clippy::unwrap_used)]

mod log_support;

use std::fs;
use std::path::Path;

use log_support::{answered, noted, write_visit};
use sitecheck::log::{TornWhy, VisitWriter, read_log};

/// Copies the first `len` bytes of `bytes` to a fresh log file under `dir`.
fn cut_log(dir: &Path, name: &str, bytes: &[u8], len: usize) -> std::path::PathBuf {
    fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, &bytes[..len]).unwrap();
    path
}

#[test]
fn every_cut_of_the_last_line_is_recovered() {
    let data = tempfile::tempdir().unwrap();
    let (path, events) = write_visit(
        data.path(),
        vec![
            answered("badge", "pass"),
            answered("price_list", "fail"),
            // Multi-byte text, so some cuts fall inside a character.
            noted("price_list", "价目表没有出示 — price list not shown"),
        ],
    );
    let name = path.file_name().unwrap().to_str().unwrap().to_owned();
    let bytes = fs::read(&path).unwrap();
    let last_start = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    let last_len = bytes.len() - last_start;
    let whole = &events[..events.len() - 1];

    for cut in 0..=last_len {
        let dir = data.path().join(format!("cut-{cut}"));
        let path = cut_log(&dir, &name, &bytes, last_start + cut);

        // What verify says before anything is repaired.
        let read = read_log(&path).unwrap();
        assert!(read.problems.is_empty(), "cut {cut}: {:?}", read.problems);

        let (mut writer, resumed, torn) = VisitWriter::open(&path).unwrap();
        if cut == last_len {
            assert_eq!(resumed, events, "cut {cut}");
            assert!(torn.is_none());
        } else {
            assert_eq!(resumed, whole, "cut {cut}");
            if cut == 0 {
                assert!(torn.is_none(), "cut {cut}");
            } else {
                let torn = torn.unwrap();
                assert_eq!(torn.line, events.len(), "cut {cut}");
                assert_eq!(torn.bytes, cut as u64, "cut {cut}");
                assert_eq!(torn.why, TornWhy::NoLineEnd, "cut {cut}");
                assert_eq!(torn.moved_to, dir.join(format!("{name}.torn")));
                assert_eq!(
                    fs::read(&torn.moved_to).unwrap(),
                    &bytes[last_start..last_start + cut]
                );
                assert_eq!(fs::read(&path).unwrap(), &bytes[..last_start]);
            }
        }

        // The log goes on from its last whole event and verifies clean.
        let next = writer.append(answered("shoe_covers", "yes")).unwrap();
        assert_eq!(next.seq, resumed.len() as u64, "cut {cut}");
        assert_eq!(writer.last_hash(), next.hash);
        drop(writer);
        let read = read_log(&path).unwrap();
        assert!(read.is_clean(), "cut {cut}: {read:?}");
        assert_eq!(read.events.len(), resumed.len() + 1);
        assert_eq!(&read.events[..resumed.len()], &resumed[..]);
    }
}

#[test]
fn torn_files_are_never_overwritten() {
    let data = tempfile::tempdir().unwrap();
    let (path, _) = write_visit(data.path(), vec![answered("badge", "pass")]);
    let torn_path = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        std::path::PathBuf::from(name)
    };
    fs::write(torn_path(".torn"), b"from before").unwrap();

    for (round, expected) in [(1, ".torn.1"), (2, ".torn.2")] {
        let mut bytes = fs::read(&path).unwrap();
        bytes.extend_from_slice(format!("{{\"seq\":{}, \"ev", round + 1).as_bytes());
        fs::write(&path, &bytes).unwrap();

        let (_, _, torn) = VisitWriter::open(&path).unwrap();
        let torn = torn.unwrap();
        assert_eq!(torn.moved_to, torn_path(expected));
        assert!(
            fs::read_to_string(&torn.moved_to)
                .unwrap()
                .ends_with("\"ev")
        );
    }
    assert_eq!(fs::read(torn_path(".torn")).unwrap(), b"from before");
}

#[test]
fn a_whole_last_line_with_a_bad_hash_is_moved_aside_on_resume() {
    let data = tempfile::tempdir().unwrap();
    let (path, events) = write_visit(
        data.path(),
        vec![answered("badge", "pass"), answered("price_list", "pass")],
    );
    let text = fs::read_to_string(&path).unwrap();
    let changed = text.replace(
        r#""item":"price_list","value":"pass""#,
        r#""item":"price_list","value":"fail""#,
    );
    assert_ne!(text, changed);
    fs::write(&path, &changed).unwrap();

    let (_, resumed, torn) = VisitWriter::open(&path).unwrap();
    assert_eq!(resumed, events[..2]);
    let torn = torn.unwrap();
    assert_eq!(torn.why, TornWhy::BadHash);
    assert_eq!(torn.line, 3);
    let moved = fs::read_to_string(&torn.moved_to).unwrap();
    assert!(moved.contains(r#""value":"fail""#) && moved.ends_with('\n'));
    assert!(read_log(&path).unwrap().is_clean());
}

#[test]
fn a_last_line_of_garbage_is_moved_aside_on_resume() {
    let data = tempfile::tempdir().unwrap();
    let (path, events) = write_visit(data.path(), vec![answered("badge", "pass")]);
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(&[0; 37]);
    bytes.push(b'\n');
    fs::write(&path, &bytes).unwrap();

    let read = read_log(&path).unwrap();
    assert!(read.problems.is_empty());
    assert_eq!(read.torn.as_ref().map(|t| t.why), Some(TornWhy::NotJson));
    assert_eq!(
        read.torn.unwrap().to_string(),
        "line 3: the last line is torn (38 bytes; it is not a whole JSON object) — probably a write cut short by a power loss"
    );

    let (_, resumed, torn) = VisitWriter::open(&path).unwrap();
    assert_eq!(resumed, events);
    assert_eq!(torn.map(|t| t.bytes), Some(38));
}
