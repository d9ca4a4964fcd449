//! Evidence files into the fleet store (SPEC section 10), by the file import's rules
//! (`crate::store::import`): each file a taken log's `attached` lines name is read from the
//! source's `evidence/<first 2 hex>/<sha256>`, its bytes checked against the name, and kept
//! once by its hash — before the log that names it, so the store never holds a log naming
//! a file it lacks because an import was cut. One missing or altered is reported, not fatal.

use std::collections::HashMap;
use std::path::Path;

use postgres::Client;

use crate::log::{Event, EventKind};
use crate::store::evidence::evidence_path;
use crate::store::import::EvidenceTally;

use super::lines::sha256_hex;

/// The (sha256, size) of each file a log's `attached` lines name, in order.
pub fn attached(events: &[Event]) -> Vec<(String, u64)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Attached { sha256, size, .. } => Some((sha256.clone(), *size)),
            _ => None,
        })
        .collect()
}

/// Takes the files `attached` names from the source (those of a whole batch of logs: the
/// ones held already are asked for at once), each in its own statement (a file is all or
/// nothing), counting them as the file import does.
pub fn import_evidence(
    client: &mut Client,
    source: &Path,
    attached: &[(String, u64)],
    tally: &mut EvidenceTally,
) -> Result<(), postgres::Error> {
    if attached.is_empty() {
        return Ok(());
    }
    let wanted: Vec<&str> = attached.iter().map(|(sha256, _)| sha256.as_str()).collect();
    let mut held: HashMap<String, i64> = client
        .query(
            "SELECT sha256, size FROM evidence WHERE sha256 = ANY($1)",
            &[&wanted],
        )?
        .into_iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    for (sha256, size) in attached {
        let size = i64::try_from(*size).unwrap_or(i64::MAX);
        if held.get(sha256) == Some(&size) {
            tally.here += 1;
            continue;
        }
        // A name from a log is never a path: only a sha256 becomes one.
        let Some(from) = evidence_path(source, sha256) else {
            continue;
        };
        let bytes = match std::fs::read(&from) {
            Ok(bytes) => bytes,
            Err(e) => {
                let why = if e.kind() == std::io::ErrorKind::NotFound {
                    "not in the source store's evidence folder (copy the whole data folder)"
                        .to_owned()
                } else {
                    format!("cannot read: {e}")
                };
                tally.problems.push((from, why));
                continue;
            }
        };
        if sha256_hex(&bytes) != *sha256 {
            tally.problems.push((
                from,
                "its bytes do not hash to its name (altered or damaged)".to_owned(),
            ));
            continue;
        }
        let length = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        client.execute(
            "INSERT INTO evidence (sha256, size, bytes) VALUES ($1, $2, $3)
             ON CONFLICT (sha256) DO NOTHING",
            &[sha256, &length, &bytes],
        )?;
        held.insert(sha256.clone(), length);
        tally.copied += 1;
    }
    Ok(())
}
