//! Reading the fleet store back: each log rebuilt byte for byte from its stored lines (and
//! a torn tail, or the raw bytes of a log whose chain does not hold), the import ledger in
//! the file ledger's format; and writing a review, chained after the review log's last line.

use std::path::PathBuf;

use postgres::{Client, GenericClient, Portal, Transaction};

use crate::log::chain;
use crate::log::review::{NewReview, Review, ReviewError, check, review_body};
use crate::store::index::open::HeldLog;

use super::import::{REVIEW_LOCK, lock_all, log_path};

/// A log's bytes: the raw log, or its lines (each ending in a newline) then its tail.
pub(super) const LOG_BYTES: &str = "coalesce(v.raw, \
    coalesce((SELECT string_agg(convert_to(e.line, 'UTF8') || '\\x0a'::bytea, ''::bytea ORDER BY e.seq) \
              FROM events e WHERE e.visit = v.id), ''::bytea) || coalesce(v.tail, ''::bytea))";

const REVIEW_BYTES: &str = "coalesce((SELECT string_agg(convert_to(r.line, 'UTF8') || '\\x0a'::bytea, ''::bytea ORDER BY r.seq) \
              FROM reviews r WHERE r.visit = l.visit), ''::bytea) || coalesce(l.tail, ''::bytea)";

/// How many logs a chunk of `next_visit_logs` holds.
const CHUNK: i32 = 500;

/// A cursor over every visit log, in id order (within `tx`).
pub fn visit_logs_cursor(tx: &mut Transaction<'_>) -> Result<Portal, postgres::Error> {
    tx.bind(
        format!("SELECT v.id, v.month, {LOG_BYTES} FROM visits v ORDER BY v.id").as_str(),
        &[],
    )
}

/// The next chunk of visit logs from the cursor; empty at its end.
pub fn next_visit_logs(
    tx: &mut Transaction<'_>,
    portal: &Portal,
    shown: &str,
) -> Result<Vec<HeldLog>, postgres::Error> {
    Ok(tx
        .query_portal(portal, CHUNK)?
        .into_iter()
        .map(|row| held_log(shown, &row))
        .collect())
}

/// Every review log, in visit order.
pub fn all_review_logs(
    client: &mut impl GenericClient,
    shown: &str,
) -> Result<Vec<HeldLog>, postgres::Error> {
    let rows = client.query(
        format!("SELECT l.visit, {REVIEW_BYTES} FROM review_logs l ORDER BY l.visit").as_str(),
        &[],
    )?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let id: String = row.get(0);
            HeldLog {
                path: PathBuf::from(format!("{shown}/reviews/{id}.jsonl")),
                id,
                bytes: row.get(1),
            }
        })
        .collect())
}

/// One page of visit logs, newest first (ids are time-sortable), after `after` — the last
/// id of the page before — with their review logs. Keyset pagination: a page costs the same
/// however deep in the store it lies, and nothing else is read.
pub fn page_logs(
    client: &mut Client,
    shown: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<(Vec<HeldLog>, Vec<HeldLog>), postgres::Error> {
    let visits: Vec<HeldLog> = client
        .query(
            format!(
                "SELECT v.id, v.month, {LOG_BYTES} FROM visits v
                 WHERE ($1::text IS NULL OR v.id < $1) ORDER BY v.id DESC LIMIT $2"
            )
            .as_str(),
            &[&after, &limit],
        )?
        .into_iter()
        .map(|row| held_log(shown, &row))
        .collect();
    let ids: Vec<&str> = visits.iter().map(|v| v.id.as_str()).collect();
    let reviews = review_logs_of(client, shown, &ids)?;
    Ok((visits, reviews))
}

/// The review logs of the visits `ids` (those that have one).
pub fn review_logs_of(
    client: &mut Client,
    shown: &str,
    ids: &[&str],
) -> Result<Vec<HeldLog>, postgres::Error> {
    Ok(client
        .query(
            format!("SELECT l.visit, {REVIEW_BYTES} FROM review_logs l WHERE l.visit = ANY($1)")
                .as_str(),
            &[&ids],
        )?
        .into_iter()
        .map(|row| {
            let id: String = row.get(0);
            HeldLog {
                path: PathBuf::from(format!("{shown}/reviews/{id}.jsonl")),
                id,
                bytes: row.get(1),
            }
        })
        .collect())
}

/// One visit's log; `None` when the database has no such visit.
pub fn visit_log(client: &mut Client, id: &str) -> Result<Option<Vec<u8>>, postgres::Error> {
    let row = client.query_opt(
        format!("SELECT {LOG_BYTES} FROM visits v WHERE v.id = $1").as_str(),
        &[&id],
    )?;
    Ok(row.map(|row| row.get(0)))
}

/// One visit's review log; `None` when it has none.
pub fn review_log(client: &mut Client, id: &str) -> Result<Option<Vec<u8>>, postgres::Error> {
    let row = client.query_opt(
        format!("SELECT {REVIEW_BYTES} FROM review_logs l WHERE l.visit = $1").as_str(),
        &[&id],
    )?;
    Ok(row.map(|row| row.get(0)))
}

/// An evidence file's bytes, by its sha256; `None` when the store has none.
pub fn evidence_bytes(
    client: &mut Client,
    sha256: &str,
) -> Result<Option<Vec<u8>>, postgres::Error> {
    Ok(client
        .query_opt("SELECT bytes FROM evidence WHERE sha256 = $1", &[&sha256])?
        .map(|row| row.get(0)))
}

/// The month folder a visit's log would have.
pub fn visit_month(client: &mut Client, id: &str) -> Result<Option<String>, postgres::Error> {
    let row = client.query_opt("SELECT month FROM visits WHERE id = $1", &[&id])?;
    Ok(row.map(|row| row.get(0)))
}

/// Every visit's (id, month), in id order.
pub fn visit_ids(client: &mut Client) -> Result<Vec<(String, String)>, postgres::Error> {
    Ok(client
        .query("SELECT id, month FROM visits ORDER BY id", &[])?
        .into_iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
}

/// The visits whose id begins with `prefix` (upper case), at most five, in id order.
pub fn ids_starting(
    client: &mut Client,
    prefix: &str,
) -> Result<Vec<(String, String)>, postgres::Error> {
    // Ids are ULIDs (no `%` nor `_`), but a typed prefix may hold them: matched literally.
    let pattern = format!(
        "{}%",
        prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    Ok(client
        .query(
            "SELECT id, month FROM visits WHERE id LIKE $1 ORDER BY id LIMIT 5",
            &[&pattern],
        )?
        .into_iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
}

/// The import ledger's lines, as the file ledger holds them.
pub fn ledger_bytes(client: &mut Client) -> Result<Vec<u8>, postgres::Error> {
    let mut bytes = Vec::new();
    for row in client.query("SELECT line FROM imports ORDER BY seq", &[])? {
        let line: &str = row.get(0);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
    }
    Ok(bytes)
}

/// Writes a review after the last line of the visit's review log, in one transaction, under
/// the review log's lock: two supervisors at once both get their line, chained.
pub fn append_review(
    client: &mut Client,
    shown: &str,
    visit: &str,
    review: &NewReview,
) -> Result<Review, ReviewError> {
    check(review)?;
    let failed = |e: postgres::Error| {
        ReviewError::Read(
            PathBuf::from(format!("{shown}/reviews/{visit}.jsonl")),
            std::io::Error::other(
                super::connect::db_error(shown, "cannot write the review", &e).to_string(),
            ),
        )
    };
    let mut tx = client.transaction().map_err(failed)?;
    lock_all(&mut tx, REVIEW_LOCK, &[visit]).map_err(failed)?;
    let last = tx
        .query_opt(
            "SELECT seq, hash FROM reviews WHERE visit = $1 ORDER BY seq DESC LIMIT 1",
            &[&visit],
        )
        .map_err(failed)?;
    let (seq, prev): (i32, Option<String>) = match last {
        Some(row) => (row.get::<_, i32>(0) + 1, Some(row.get(1))),
        None => (0, None),
    };
    let at = crate::log::format_at(&chrono::Local::now());
    let body = review_body(u64::try_from(seq).unwrap_or(0), &at, review);
    let sealed = chain::seal(prev.as_deref().unwrap_or(""), &body)
        .map_err(|e| ReviewError::Log(crate::log::LogError::from(e)))?;
    // A torn tail of a copied review log is left behind, as the file writer moves it aside.
    tx.execute(
        "INSERT INTO review_logs (visit) VALUES ($1)
         ON CONFLICT (visit) DO UPDATE SET tail = NULL WHERE review_logs.tail IS NOT NULL",
        &[&visit],
    )
    .map_err(failed)?;
    let prev_seq = (seq > 0).then(|| seq - 1);
    tx.execute(
        "INSERT INTO reviews (visit, seq, prev_seq, prev_hash, hash, line)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&visit, &seq, &prev_seq, &prev, &sealed.hash, &sealed.line],
    )
    .map_err(failed)?;
    tx.commit().map_err(failed)?;
    Ok(Review {
        seq: u64::try_from(seq).unwrap_or(0),
        at,
        visit: review.visit.to_owned(),
        visit_hash: review.visit_hash.to_owned(),
        reviewer: review.reviewer.to_owned(),
        verdict: review.verdict,
        comment: review.comment.to_owned(),
        item: review.item.map(str::to_owned),
        hash: sealed.hash,
    })
}

/// A visit's log from a row of (id, month, the log's bytes as `LOG_BYTES` reads them).
pub(super) fn held_log(shown: &str, row: &postgres::Row) -> HeldLog {
    let id: String = row.get(0);
    let month: String = row.get(1);
    HeldLog {
        path: log_path(shown, &month, &id),
        id,
        bytes: row.get(2),
    }
}
