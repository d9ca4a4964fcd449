//! Evidence files into the fleet store (SPEC section 10): each file of the source's
//! `evidence/<first 2 hex>/<sha256>` taken by its hash — its bytes must hash to its name —
//! once; evidence a visit log names that neither the source nor the store has is reported.

use std::collections::BTreeSet;
use std::path::Path;

use postgres::Client;

use crate::store::import::{ImportReport, LogKind, Outcome, entry, read_outside};

use super::lines::sha256_hex;

/// The sha256 of every evidence file the `attached` lines of a log name.
pub fn named_by(log: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(log) else {
        return Vec::new();
    };
    text.lines()
        .filter(|line| line.contains("\"event\":\"attached\""))
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|event| event.get("sha256")?.as_str().map(str::to_owned))
        .filter(|sha| is_sha256(sha))
        .collect()
}

fn is_sha256(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Takes the source's evidence files, one transaction each (a file is all or nothing), and
/// reports those named but found nowhere.
pub fn import_evidence(
    client: &mut Client,
    source: &Path,
    named: &BTreeSet<String>,
    report: &mut ImportReport,
) -> Result<(), postgres::Error> {
    let folder = source.join("evidence");
    let mut found = BTreeSet::new();
    let mut files = Vec::new();
    for sub in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(sub.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            files.push(file.path());
        }
    }
    files.sort();
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let folder_ok = file
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|p| p.to_str())
            .is_some_and(|p| name.get(..2) == Some(p));
        if name.starts_with('.') {
            continue; // a copy in progress on the laptop
        }
        let outcome = if !is_sha256(&name) || !folder_ok {
            Outcome::Refused(
                "not named <first 2 hex>/<sha256> of its bytes: not imported".to_owned(),
            )
        } else {
            match read_outside(&file) {
                Err(why) => Outcome::Refused(why),
                Ok(bytes) if sha256_hex(&bytes) != name => Outcome::Refused(
                    "its bytes do not hash to its name (altered or damaged): not imported"
                        .to_owned(),
                ),
                Ok(bytes) => {
                    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
                    let added = client.execute(
                        "INSERT INTO evidence (sha256, size, bytes) VALUES ($1, $2, $3)
                         ON CONFLICT (sha256) DO NOTHING",
                        &[&name, &size, &bytes],
                    )?;
                    found.insert(name.clone());
                    if added == 1 {
                        Outcome::New
                    } else {
                        Outcome::Identical
                    }
                }
            }
        };
        report
            .entries
            .push(entry(&file, LogKind::Evidence, outcome));
    }
    let wanted: Vec<&str> = named
        .iter()
        .filter(|sha| !found.contains(*sha))
        .map(String::as_str)
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let held: BTreeSet<String> = client
        .query(
            "SELECT sha256 FROM evidence WHERE sha256 = ANY($1)",
            &[&wanted],
        )?
        .into_iter()
        .map(|row| row.get(0))
        .collect();
    for sha in wanted.into_iter().filter(|sha| !held.contains(*sha)) {
        let path = folder.join(sha.get(..2).unwrap_or_default()).join(sha);
        report.entries.push(entry(
            &path,
            LogKind::Evidence,
            Outcome::Refused(
                "missing: a visit log names it, but neither this source nor the store has it"
                    .to_owned(),
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attached_lines_name_their_evidence() {
        let sha = "ab".repeat(32);
        let log = format!(
            "{{\"seq\":0,\"event\":\"started\"}}\n{{\"seq\":1,\"event\":\"attached\",\"item\":\"badge\",\"sha256\":\"{sha}\",\"size\":3}}\n{{\"seq\":2,\"event\":\"attached\",\"sha256\":\"../../etc\"}}\n"
        );
        assert_eq!(named_by(log.as_bytes()), vec![sha]);
    }
}
