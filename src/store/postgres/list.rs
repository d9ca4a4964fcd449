//! The review list in SQL (SPEC section 8: the first page within 100 ms over 1,000,000
//! visits, memory flat in store size): a page of the visits a `ListQuery` chooses, in its
//! order, from a keyset cursor, and how many it chooses. Only a page's logs leave the
//! database; they become summaries through the one summariser, as every visit does.
//!
//! The order is exactly the in-memory list's (`crate::tui::review::order::Rows::sort`):
//! keys compare as Rust compares them — text byte for byte (`COLLATE "C"`), a missing work
//! order or score first — ties by id ascending, and `reverse` turns all of it round.
//! The filters choose what `Query::passes` chooses, with these differences PostgreSQL
//! cannot avoid:
//! - the search lower-cases the id, technician, work order and customer with `lower()`,
//!   which follows the database's `LC_CTYPE` (a `C` database lower-cases ASCII only, where
//!   Rust lower-cases all of Unicode); the checklist's titles are lower-cased in Rust
//!   (`titled`), exactly as the list does;
//! - the latest verdict is `review_latest`'s (the latest line of the review log), as the
//!   figures take it: a latest line that is not a review reads as no verdict there.

use postgres::types::ToSql;
use postgres::{Client, GenericClient};

use crate::config::RushedThresholds;
use crate::store::figure_counts::Wanted;
use crate::store::index::open::HeldLog;
use crate::store::listing::{Cursor, ListCount, ListQuery, SortKey};

use super::figures::rushed_sql;
use super::read::{LOG_BYTES, held_log, review_logs_of};

/// A query's text and its parameters, numbered as they are added.
#[derive(Default)]
struct Sql<'a> {
    params: Vec<&'a (dyn ToSql + Sync)>,
}

impl<'a> Sql<'a> {
    fn param(&mut self, value: &'a (dyn ToSql + Sync)) -> String {
        self.params.push(value);
        format!("${}", self.params.len())
    }
}

/// A header field's value (`NULL` when the visit has none), the first with that key, as
/// `Fields::get` finds it (`sitecheck_field`, schema version 3, which an index of the work
/// order's sort is made of).
fn field_sql(v: &str, key: &str) -> String {
    format!("sitecheck_field({v}.fields, '{key}')")
}

/// The sort key of a visit `v` (with its latest review `l`), as `Column::key` ranks it,
/// one expression per part; empty for the date (the id alone).
fn keys_sql(sort: SortKey, v: &str, l: &str, rushed: &dyn Fn(&str) -> String) -> Vec<String> {
    match sort {
        SortKey::Date => vec![],
        SortKey::Technician => vec![format!("{v}.technician COLLATE \"C\"")],
        SortKey::Checklist => vec![format!("{v}.checklist COLLATE \"C\"")],
        SortKey::WorkOrder => {
            let wo = field_sql(v, "work_order");
            vec![
                format!("({wo} IS NOT NULL)"),
                format!("coalesce({wo}, '') COLLATE \"C\""),
            ]
        }
        SortKey::Duration => vec![format!("{v}.duration_ms")],
        // Missing first; a score is never below 0 (`Column::key` takes the greater).
        SortKey::Score => vec![
            format!("({v}.score IS NOT NULL)"),
            format!(
                "(CASE WHEN {v}.score > 0 AND {v}.score <> 'NaN'::float8 THEN {v}.score ELSE 0 END)"
            ),
        ],
        // Failures first, then the other finished, open, abandoned, unreadable.
        SortKey::Result => vec![format!(
            "(CASE WHEN {v}.status = 'finished' AND {v}.result = 'fail' THEN 0 \
             WHEN {v}.status = 'finished' THEN 1 WHEN {v}.status = 'open' THEN 2 \
             WHEN {v}.status = 'abandoned' THEN 3 ELSE 4 END)"
        )],
        SortKey::Failures => vec![format!("{v}.failed")],
        SortKey::Rushed => vec![rushed(v)],
        SortKey::Integrity => vec![format!(
            "(CASE {v}.integrity WHEN 'damaged' THEN 0 WHEN 'torn' THEN 1 ELSE 2 END)"
        )],
        SortKey::Verdict => vec![format!(
            "(CASE {l}.verdict WHEN 'rejected' THEN 1 WHEN 'follow_up' THEN 2 \
             WHEN 'approved' THEN 3 ELSE 0 END)"
        )],
    }
}

/// The conditions of the narrowing (since, until, technician, checklist).
fn narrow_sql<'a>(query: &'a ListQuery, sql: &mut Sql<'a>) -> Vec<String> {
    let s = &query.selection;
    let mut conditions = Vec::new();
    // The technician's day, as `VisitSummary::started_date` cuts it.
    if let Some(since) = &s.since {
        conditions.push(format!(
            "substr(v.started_at, 1, 10) >= {}",
            sql.param(since)
        ));
    }
    if let Some(until) = &s.until {
        conditions.push(format!(
            "substr(v.started_at, 1, 10) <= {}",
            sql.param(until)
        ));
    }
    if let Some(technician) = &s.technician {
        let t = sql.param(technician);
        conditions.push(format!(
            "(lower(v.technician) = lower({t}) OR v.technician = {t})"
        ));
    }
    if let Some(checklist) = &s.checklist {
        conditions.push(format!("v.checklist = {}", sql.param(checklist)));
    }
    conditions
}

/// The conditions of the screen's filters and search. `titled`: the checklist versions
/// (sha256) whose id or titles hold the search, lower-cased in Rust.
fn chosen_sql<'a>(query: &'a ListQuery, titled: &'a Vec<String>, sql: &mut Sql<'a>) -> Vec<String> {
    let s = &query.selection;
    let mut conditions = Vec::new();
    if let Some(status) = &s.status {
        conditions.push(format!("v.status = {}", sql.param(status)));
    }
    match &s.verdict {
        None => {}
        Some(Wanted::Is(name)) => conditions.push(format!("l.verdict = {}", sql.param(name))),
        Some(Wanted::Unreviewed) => conditions.push("l.verdict IS NULL".to_owned()),
        // Unreviewed, or the log changed since its latest review.
        Some(Wanted::ToReview) => conditions
            .push("(l.verdict IS NULL OR l.visit_hash IS DISTINCT FROM v.last_hash)".to_owned()),
    }
    if !query.search.is_empty() {
        let needle = sql.param(&query.search);
        let titled = sql.param(titled);
        let found = |text: String| format!("strpos(lower({text}), {needle}) > 0");
        conditions.push(format!(
            "({} OR {} OR {} OR {} OR {} OR v.checklist_sha = ANY({titled}))",
            found("v.id".to_owned()),
            found("v.technician".to_owned()),
            found(format!("coalesce({}, '')", field_sql("v", "work_order"))),
            found(format!("coalesce({}, '')", field_sql("v", "customer"))),
            found("v.checklist".to_owned()),
        ));
    }
    conditions
}

fn and(conditions: &[String]) -> String {
    if conditions.is_empty() {
        "true".to_owned()
    } else {
        conditions.join(" AND ")
    }
}

/// One page of the list: the visits' logs in the list's order, and their review logs.
#[allow(clippy::too_many_arguments)]
pub fn page(
    client: &mut Client,
    shown: &str,
    query: &ListQuery,
    titled: &Vec<String>,
    thresholds: &RushedThresholds,
    cursor: &Cursor,
    limit: i64,
) -> Result<(Vec<HeldLog>, Vec<HeldLog>), postgres::Error> {
    let burst = i32::try_from(thresholds.burst_answers).unwrap_or(i32::MAX);
    let limit_ms = thresholds.burst_seconds * 1000.0;
    let mut sql = Sql::default();
    let mut conditions = narrow_sql(query, &mut sql);
    conditions.extend(chosen_sql(query, titled, &mut sql));
    let rushed_params = if query.sort == SortKey::Rushed {
        Some((
            sql.param(&thresholds.median_seconds),
            sql.param(&burst),
            sql.param(&limit_ms),
        ))
    } else {
        None
    };
    let rushed = |v: &str| {
        rushed_params
            .as_ref()
            .map(|(m, b, l)| rushed_sql(v, m, b, l))
            .unwrap_or_default()
    };
    // Read backwards (the last page, or the one above a visit) the order is turned round,
    // and the page turned back below.
    let backwards = matches!(cursor, Cursor::Last | Cursor::Before(_));
    let descending = query.reverse != backwards;
    // The id in the database's own collation, as the primary key orders it (the date's
    // order, read from that index): ids are ULIDs, digits and capital letters, which every
    // collation orders as bytes.
    let mut keys = keys_sql(query.sort, "v", "l", &rushed);
    keys.push("v.id".to_owned());
    let from = match cursor {
        Cursor::First | Cursor::Last => None,
        Cursor::After(id) | Cursor::Before(id) => Some((id, if descending { "<" } else { ">" })),
        Cursor::From(id) => Some((id, if descending { "<=" } else { ">=" })),
    };
    if let Some((id, op)) = from {
        let id = sql.param(id);
        let mut at = keys_sql(query.sort, "c", "cl", &rushed);
        at.push("c.id".to_owned());
        conditions.push(format!(
            "({}) {op} (SELECT {} FROM visits c LEFT JOIN review_latest cl ON cl.visit = c.id \
             WHERE c.id = {id})",
            keys.join(", "),
            at.join(", ")
        ));
    }
    let limit = sql.param(&limit);
    let direction = if descending { "DESC" } else { "ASC" };
    let order: Vec<String> = keys.iter().map(|k| format!("{k} {direction}")).collect();
    let text = format!(
        "SELECT v.id, v.month, {LOG_BYTES} FROM visits v \
         LEFT JOIN review_latest l ON l.visit = v.id \
         WHERE {} ORDER BY {} LIMIT {limit}",
        and(&conditions),
        order.join(", ")
    );
    let mut visits: Vec<HeldLog> = client
        .query(text.as_str(), &sql.params)?
        .into_iter()
        .map(|row| held_log(shown, &row))
        .collect();
    if backwards {
        visits.reverse();
    }
    let ids: Vec<&str> = visits.iter().map(|v| v.id.as_str()).collect();
    let reviews = review_logs_of(client, shown, &ids)?;
    Ok((visits, reviews))
}

/// How many visits the query lists, and how many its narrowing alone chooses.
pub fn count(
    client: &mut Client,
    query: &ListQuery,
    titled: &Vec<String>,
) -> Result<ListCount, postgres::Error> {
    let mut sql = Sql::default();
    let narrow = narrow_sql(query, &mut sql);
    let chosen = chosen_sql(query, titled, &mut sql);
    let text = format!(
        "SELECT count(*) FILTER (WHERE {}), count(*) FROM visits v \
         LEFT JOIN review_latest l ON l.visit = v.id WHERE {}",
        and(&chosen),
        and(&narrow)
    );
    let row = client.query_one(text.as_str(), &sql.params)?;
    let n = |i: usize| u64::try_from(row.get::<_, i64>(i)).unwrap_or(0);
    Ok(ListCount {
        listed: n(0),
        all: n(1),
    })
}

/// Every checklist version (sha256) of the store with the first line of one of its logs
/// (`None` when none of its logs has lines): what the search needs of a checklist's titles.
/// The versions are found by skipping through their index, not by reading every visit.
pub fn versions(
    client: &mut impl GenericClient,
) -> Result<Vec<(String, Option<String>)>, postgres::Error> {
    Ok(client
        .query(
            "WITH RECURSIVE s(sha) AS (
                 (SELECT checklist_sha FROM visits ORDER BY checklist_sha LIMIT 1)
                 UNION ALL
                 SELECT (SELECT checklist_sha FROM visits WHERE checklist_sha > s.sha
                         ORDER BY checklist_sha LIMIT 1)
                 FROM s WHERE s.sha IS NOT NULL)
             SELECT s.sha, e.line FROM s
             LEFT JOIN LATERAL (SELECT e.line FROM visits w JOIN events e
                                ON e.visit = w.id AND e.seq = 0
                                WHERE w.checklist_sha = s.sha LIMIT 1) e ON true
             WHERE s.sha IS NOT NULL",
            &[],
        )?
        .into_iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
}
