//! The import ledger (SPEC section 5): for every visit a store has imported, the line count
//! and last line hash of each copy taken, in `<data>/ledger.jsonl`, chained like a log so
//! that editing it shows. A valid log only ever grows, so every entry must still hold in it:
//! a log that no longer begins with the lines once imported was rewritten.
//!
//! The ledger of earlier versions (`import-ledger.jsonl`, unchained) is still read, as
//! entries without a chain to vouch for them.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::log::chain;
use crate::log::reader::{analyze_chain, read_bounded};

use super::layout::is_visit_id;

/// What the ledger remembers of one copy of a visit's log taken by an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub visit: String,
    /// How many whole lines the copy had ...
    pub lines: usize,
    /// ... and the hash of the last of them.
    pub last_hash: String,
    /// When it was imported.
    pub at: String,
}

/// The ledger as read: its entries by visit (oldest first), and what is wrong with it.
#[derive(Debug, Default)]
pub struct Ledger {
    pub entries: HashMap<String, Vec<LedgerEntry>>,
    /// The ledger's own damage: (line, why); any means it was edited.
    pub problems: Vec<(usize, String)>,
    /// How messages name it.
    pub shown: String,
    /// The hash of its last line, for the next to chain on.
    last_hash: String,
    /// The `seq` of its next line.
    next_seq: u64,
}

/// A copy's line beside the one the ledger remembers, that does not hold.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken<'a> {
    pub entry: &'a LedgerEntry,
    /// The hash the log has at that line now (`None`: the log is shorter).
    pub now: Option<&'a str>,
}

pub fn ledger_path(data: &Path) -> PathBuf {
    data.join("ledger.jsonl")
}

fn legacy_path(data: &Path) -> PathBuf {
    data.join("import-ledger.jsonl")
}

impl Ledger {
    /// Reads the ledger of a data folder (an empty one when there is none).
    pub fn read(data: &Path) -> std::io::Result<Ledger> {
        let path = ledger_path(data);
        let mut ledger = Ledger {
            shown: path.display().to_string(),
            ..Ledger::default()
        };
        match fs::read_to_string(legacy_path(data)) {
            Ok(text) => {
                for line in text.lines() {
                    if let Ok(entry) = serde_json::from_str::<LedgerEntry>(line) {
                        ledger.add(entry);
                    }
                }
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
        let bytes = match read_bounded(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(ledger),
            Err(err) => return Err(err),
        };
        ledger.read_chain(&bytes);
        Ok(ledger)
    }

    /// A ledger kept elsewhere (the fleet store's `imports`), from its lines in the file's
    /// format.
    pub fn from_bytes(shown: String, bytes: &[u8]) -> Ledger {
        let mut ledger = Ledger {
            shown,
            ..Ledger::default()
        };
        ledger.read_chain(bytes);
        ledger
    }

    fn read_chain(&mut self, bytes: &[u8]) {
        let ledger = self;
        let read = analyze_chain(bytes);
        ledger.problems = read
            .problems
            .iter()
            .map(|p| (p.line, p.reason.to_string()))
            .collect();
        if let Some(torn) = &read.torn {
            // A power cut mid-append: the next import chains on the whole lines.
            ledger.problems.push((torn.line, torn.to_string()));
        }
        for record in read.records {
            ledger.last_hash.clone_from(&record.hash);
            ledger.next_seq += 1;
            let mut members = record.members;
            members.remove("seq");
            match serde_json::from_value::<LedgerEntry>(members.into()) {
                Ok(entry) if is_visit_id(&entry.visit) => ledger.add(entry),
                _ => ledger
                    .problems
                    .push((record.line, "not a ledger entry".to_owned())),
            }
        }
    }

    fn add(&mut self, entry: LedgerEntry) {
        self.entries
            .entry(entry.visit.clone())
            .or_default()
            .push(entry);
    }

    /// The entries of `visit` that a log with these line hashes (in order) breaks.
    pub fn broken_by<'a>(&'a self, visit: &str, hashes: &[&'a str]) -> Vec<Broken<'a>> {
        self.entries
            .get(visit)
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let now = entry
                    .lines
                    .checked_sub(1)
                    .and_then(|i| hashes.get(i).copied());
                (now != Some(entry.last_hash.as_str())).then_some(Broken { entry, now })
            })
            .collect()
    }

    /// Appends entries, each line chained on the one before, and makes them durable.
    pub fn append(&mut self, data: &Path, entries: &[LedgerEntry]) -> std::io::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        let mut last_hash = self.last_hash.clone();
        let mut seq = self.next_seq;
        for entry in entries {
            let mut members = serde_json::Map::new();
            members.insert("seq".into(), seq.into());
            if let serde_json::Value::Object(fields) =
                serde_json::to_value(entry).map_err(std::io::Error::other)?
            {
                members.extend(fields);
            }
            let body = serde_json::to_string(&members).map_err(std::io::Error::other)?;
            let sealed = chain::seal(&last_hash, &body).map_err(std::io::Error::other)?;
            text.push_str(&sealed.line);
            text.push('\n');
            last_hash = sealed.hash;
            seq += 1;
        }
        fs::create_dir_all(data)?;
        let mut file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(ledger_path(data))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        self.last_hash = last_hash;
        self.next_seq = seq;
        for entry in entries {
            self.add(entry.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VISIT: &str = "01JD0000000000000000000001";

    fn entry(lines: usize, hash: &str) -> LedgerEntry {
        LedgerEntry {
            visit: VISIT.into(),
            lines,
            last_hash: hash.into(),
            at: "t".into(),
        }
    }

    #[test]
    fn every_entry_must_still_hold_and_edits_show() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::read(dir.path()).unwrap();
        ledger
            .append(dir.path(), &[entry(2, "h2"), entry(3, "h3")])
            .unwrap();
        let ledger = Ledger::read(dir.path()).unwrap();
        assert!(ledger.problems.is_empty(), "{:?}", ledger.problems);
        assert!(
            ledger
                .broken_by(VISIT, &["h1", "h2", "h3", "h4"])
                .is_empty()
        );
        // Rewritten from line 2 on: the first-seen entry no longer holds.
        let broken = ledger.broken_by(VISIT, &["h1", "x2", "h3"]);
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].entry.lines, 2);
        // Shorter than once imported.
        assert_eq!(ledger.broken_by(VISIT, &["h1"]).len(), 2);

        let path = ledger_path(dir.path());
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replacen("\"h2\"", "\"x2\"", 1)).unwrap();
        let edited = Ledger::read(dir.path()).unwrap();
        assert_eq!(
            edited.problems.first().map(|p| p.0),
            Some(1),
            "{:?}",
            edited.problems
        );
    }
}
