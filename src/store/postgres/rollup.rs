//! The figures' counts kept per day (schema migration 3): cells of visits alike — one day,
//! technician, checklist version, status, trust and verdict — each holding what `stats`
//! adds up (visits, marks per item and target, scores, rushed by the default thresholds).
//! Counting the figures then reads cells, not visit rows: a day holds a cell per
//! technician and version, however many visits it had.
//!
//! Writers only note the days they touched (`figure_dirty`); `refresh` counts those days
//! again before the figures are read. The counts read are the same `Counts` the visit-row
//! scan makes (`super::figures`), which remains for what cells cannot answer: a breakdown
//! by a header field, and rushed thresholds other than the default.

use postgres::Client;

use crate::config::RushedThresholds;
use crate::store::figure_counts::{Counts, Dimension, MarkRow, Selection};

use super::figures::{
    SELECTED, add_states, group_rows, group_target_rows, rushed_sql, sum_of, verdict_params,
};

/// The advisory lock `refresh` takes: one refresher at a time.
const REFRESH_LOCK: i64 = 0x5173_6368_6b01;

/// The cells of the days given, counted from the visit rows and their latest verdicts.
/// Marks are counted per item position of finished, trusted visits (the only ones the
/// figures count). `{rushed}` stands for `figures::rushed_sql`.
const COUNT_DAYS: &str = r#"
INSERT INTO figure_cells
WITH v AS (
    SELECT v.id, substr(v.started_at, 1, 10) AS day, v.started_at, v.technician, v.checklist,
           v.checklist_sha, v.status, (v.status = 'unreadable' OR v.integrity = 'damaged') AS untrusted,
           coalesce(l.verdict, '') AS verdict,
           (l.verdict IS NOT NULL AND l.visit_hash IS DISTINCT FROM v.last_hash) AS outdated,
           v.result, v.score, v.marks, v.target_marks,
           {rushed} AS rushed
    FROM visits v LEFT JOIN review_latest l ON l.visit = v.id
    WHERE substr(v.started_at, 1, 10) = ANY($1)
), cells AS (
    SELECT day, CASE WHEN day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                     THEN to_char(to_date(day, 'YYYY-MM-DD'), 'IYYY-"W"IW') END AS week,
           technician, checklist, checklist_sha, status, untrusted, verdict, outdated,
           count(*)::integer AS visits, min(id) AS first_id, max(started_at) AS newest,
           (count(*) FILTER (WHERE result = 'fail'))::integer AS failed_visits,
           (count(*) FILTER (WHERE rushed))::integer AS rushed,
           coalesce(sum(score ORDER BY id), 0) AS score_sum, count(score)::integer AS scored,
           coalesce(sum(length(marks) - length(replace(marks, 'p', ''))), 0) AS passed,
           coalesce(sum(length(marks) - length(replace(marks, 'f', ''))), 0) AS failed,
           coalesce(sum(length(marks) - length(replace(marks, 'n', ''))), 0) AS na
    FROM v GROUP BY 1, 3, 4, 5, 6, 7, 8, 9
), items AS (
    SELECT day, technician, checklist_sha, status, untrusted, verdict, outdated,
           array_agg(p ORDER BY pos) AS p, array_agg(f ORDER BY pos) AS f,
           array_agg(n ORDER BY pos) AS n
    FROM (SELECT day, technician, checklist_sha, status, untrusted, verdict, outdated, m.pos,
                 (count(*) FILTER (WHERE m.mark = 'p'))::integer AS p,
                 (count(*) FILTER (WHERE m.mark = 'f'))::integer AS f,
                 (count(*) FILTER (WHERE m.mark = 'n'))::integer AS n
          FROM v, unnest(string_to_array(marks, NULL)) WITH ORDINALITY AS m(mark, pos)
          WHERE status = 'finished' AND NOT untrusted
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) x
    GROUP BY 1, 2, 3, 4, 5, 6, 7
), targets AS (
    SELECT day, technician, checklist_sha, status, untrusted, verdict, outdated,
           array_agg(measured ORDER BY pos) AS measured, array_agg(met ORDER BY pos) AS met,
           array_agg(first ORDER BY pos) AS first
    FROM (SELECT day, technician, checklist_sha, status, untrusted, verdict, outdated, m.pos,
                 (count(*) FILTER (WHERE m.mark IN ('0', '1')))::integer AS measured,
                 (count(*) FILTER (WHERE m.mark = '1'))::integer AS met,
                 min(id) FILTER (WHERE m.mark IN ('0', '1')) AS first
          FROM v, unnest(string_to_array(target_marks, NULL)) WITH ORDINALITY AS m(mark, pos)
          WHERE status = 'finished' AND NOT untrusted
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) x
    GROUP BY 1, 2, 3, 4, 5, 6, 7
)
SELECT c.*, i.p, i.f, i.n, t.measured, t.met, t.first
FROM cells c
LEFT JOIN items i USING (day, technician, checklist_sha, status, untrusted, verdict, outdated)
LEFT JOIN targets t USING (day, technician, checklist_sha, status, untrusted, verdict, outdated)
"#;

/// The counted cells of the days given, added up over their verdicts.
const ADD_VERDICTS: &str = r#"
INSERT INTO figure_days
WITH counted AS (
    SELECT * FROM figure_cells
    WHERE day = ANY($1) AND status = 'finished' AND NOT untrusted
), cells AS (
    SELECT day, week, technician, checklist, checklist_sha, sum(visits)::integer AS visits,
           min(first_id) AS first_id, max(newest) AS newest,
           sum(failed_visits)::integer AS failed_visits, sum(rushed)::integer AS rushed,
           sum(score_sum ORDER BY first_id) AS score_sum, sum(scored)::integer AS scored,
           sum(passed)::bigint AS passed, sum(failed)::bigint AS failed, sum(na)::bigint AS na
    FROM counted GROUP BY 1, 2, 3, 4, 5
), items AS (
    SELECT day, technician, checklist_sha, array_agg(p ORDER BY pos) AS p,
           array_agg(f ORDER BY pos) AS f, array_agg(n ORDER BY pos) AS n
    FROM (SELECT day, technician, checklist_sha, u.pos, sum(u.p)::integer AS p,
                 sum(u.f)::integer AS f, sum(u.n)::integer AS n
          FROM counted, unnest(item_passed, item_failed, item_na) WITH ORDINALITY AS u(p, f, n, pos)
          GROUP BY 1, 2, 3, 4) x
    GROUP BY 1, 2, 3
), targets AS (
    SELECT day, technician, checklist_sha, array_agg(measured ORDER BY pos) AS measured,
           array_agg(met ORDER BY pos) AS met, array_agg(first ORDER BY pos) AS first
    FROM (SELECT day, technician, checklist_sha, u.pos, sum(u.measured)::integer AS measured,
                 sum(u.met)::integer AS met, min(u.first) AS first
          FROM counted, unnest(target_measured, target_met, target_first)
                            WITH ORDINALITY AS u(measured, met, first, pos)
          GROUP BY 1, 2, 3, 4) x
    GROUP BY 1, 2, 3
)
SELECT c.*, i.p, i.f, i.n, t.measured, t.met, t.first
FROM cells c
LEFT JOIN items i USING (day, technician, checklist_sha)
LEFT JOIN targets t USING (day, technician, checklist_sha)
"#;

/// Counts again the days written since the last refresh (nothing to do most of the time);
/// whether there were any.
pub fn refresh(client: &mut Client) -> Result<bool, postgres::Error> {
    let dirty: bool = client
        .query_one("SELECT EXISTS (SELECT 1 FROM figure_dirty)", &[])?
        .get(0);
    if !dirty {
        return Ok(false);
    }
    let defaults = RushedThresholds::default();
    let burst = i32::try_from(defaults.burst_answers).unwrap_or(i32::MAX);
    let limit_ms = defaults.burst_seconds * 1000.0;
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&REFRESH_LOCK])?;
    // The days noted before this statement; a writer still at work notes its days again
    // when it commits, and they are counted next time.
    let days: Vec<String> = tx
        .query(
            "WITH taken AS (DELETE FROM figure_dirty RETURNING day) SELECT DISTINCT day FROM taken",
            &[],
        )?
        .iter()
        .map(|row| row.get(0))
        .collect();
    if !days.is_empty() {
        tx.execute("DELETE FROM figure_cells WHERE day = ANY($1)", &[&days])?;
        let count_days = COUNT_DAYS.replace("{rushed}", &rushed_sql("v", "$2", "$3", "$4"));
        tx.execute(
            count_days.as_str(),
            &[&days, &defaults.median_seconds, &burst, &limit_ms],
        )?;
        tx.execute("DELETE FROM figure_days WHERE day = ANY($1)", &[&days])?;
        tx.execute(ADD_VERDICTS, &[&days])?;
    }
    tx.commit()?;
    Ok(!days.is_empty())
}

/// Whether the cells can count the figures asked for: they hold rushed by the default
/// thresholds, and no header fields.
pub fn answers(by: Option<&Dimension>, thresholds: &RushedThresholds) -> bool {
    *thresholds == RushedThresholds::default() && !matches!(by, Some(Dimension::Field(_)))
}

/// Where the counts are read from: every cell, or the counted ones added up over their
/// verdicts (a third as many rows; enough when no verdict is asked for).
#[derive(Clone, Copy)]
enum Cells {
    All,
    Counted,
}

/// The cells `selection` chooses, and of those the ones counted (finished, trusted, of a
/// version whose checklist loads).
fn chosen_sql(cells: Cells) -> String {
    let from = match cells {
        Cells::All => "figure_cells",
        Cells::Counted => {
            "(SELECT *, 'finished'::text AS status, false AS untrusted, ''::text AS verdict, \
             false AS outdated FROM figure_days) AS days"
        }
    };
    format!(
        r#"
WITH chosen AS (
    SELECT * FROM {from}
    WHERE {SELECTED}
), counted AS (
    SELECT * FROM chosen
    WHERE status = 'finished' AND NOT untrusted AND checklist_sha = ANY($8)
), typed AS (SELECT $9::text AS none, $10::text AS store)
"#
    )
}

/// The key of a dimension, as `crate::review::breakdown::By::key` makes it (fields are the
/// visit rows' to count).
fn key_sql(dimension: &Dimension) -> String {
    match dimension {
        Dimension::Technician => "technician".to_owned(),
        Dimension::Checklist => "checklist".to_owned(),
        Dimension::Week => "coalesce(week, $9)".to_owned(),
        Dimension::Month => {
            "CASE WHEN length(day) >= 7 THEN substr(day, 1, 7) ELSE $9 END".to_owned()
        }
        Dimension::Store | Dimension::Field(_) => "$10::text".to_owned(),
    }
}

/// Counts the figures of the cells `selection` chooses, as `super::figures::count` counts
/// visit rows. `loadable` are the versions whose checklist loads.
pub fn count(
    client: &mut Client,
    selection: &Selection,
    loadable: &[String],
    by: Option<&Dimension>,
    store: &str,
    none: &str,
) -> Result<Counts, postgres::Error> {
    let (verdict_kind, verdict_name) = verdict_params(selection);
    let params: [&(dyn postgres::types::ToSql + Sync); 10] = [
        &selection.since,
        &selection.until,
        &selection.technician,
        &selection.checklist,
        &selection.status,
        &verdict_kind,
        &verdict_name,
        &loadable,
        &none,
        &store,
    ];
    // Without a verdict asked for, the cells added up over verdicts count the same.
    let counted = if selection.verdict.is_none() {
        Cells::Counted
    } else {
        Cells::All
    };
    let query = |client: &mut Client, cells: Cells, body: &str| {
        client.query(format!("{} {body}", chosen_sql(cells)).as_str(), &params)
    };
    let mut counts = Counts::default();
    let states = query(
        client,
        Cells::All,
        "SELECT checklist_sha, status, untrusted, sum(visits)::bigint,
                min(first_id) FILTER (WHERE counted), max(newest) FILTER (WHERE counted),
                coalesce(sum(visits) FILTER (WHERE counted), 0)::bigint,
                coalesce(sum(rushed) FILTER (WHERE counted), 0)::bigint
         FROM (SELECT *, (status = 'finished' AND NOT untrusted
                          AND checklist_sha = ANY($8)) AS counted FROM chosen) c
         GROUP BY 1, 2, 3",
    )?;
    add_states(&mut counts, &states);

    for row in query(
        client,
        counted,
        "SELECT checklist_sha, u.pos, sum(u.p)::bigint, sum(u.f)::bigint, sum(u.n)::bigint
         FROM counted, unnest(item_passed, item_failed, item_na) WITH ORDINALITY AS u(p, f, n, pos)
         GROUP BY 1, 2",
    )? {
        let sha: String = row.get(0);
        let position = usize::try_from(row.get::<_, i64>(1) - 1).unwrap_or(0);
        for (mark, column) in [('p', 2), ('f', 3), ('n', 4)] {
            counts.items.push(MarkRow {
                sha: sha.clone(),
                position,
                mark,
                visits: sum_of(row.get(column)),
            });
        }
    }
    for row in query(
        client,
        counted,
        "SELECT checklist_sha, u.pos, sum(u.measured)::bigint, sum(u.met)::bigint
         FROM counted, unnest(target_measured, target_met) WITH ORDINALITY AS u(measured, met, pos)
         GROUP BY 1, 2",
    )? {
        let sha: String = row.get(0);
        let position = usize::try_from(row.get::<_, i64>(1) - 1).unwrap_or(0);
        let measured = sum_of(row.get(2));
        let met = sum_of(row.get(3));
        for (mark, visits) in [('1', met), ('0', measured - met.min(measured))] {
            counts.targets.push(MarkRow {
                sha: sha.clone(),
                position,
                mark,
                visits,
            });
        }
    }

    let mut keys = vec![("technician".to_owned(), 0usize), ("week".to_owned(), 1)];
    if let Some(by) = by {
        keys.push((key_sql(by), 2));
    }
    for (key, slot) in keys {
        let groups = query(
            client,
            counted,
            &format!(
                "SELECT k, checklist_sha, sum(visits)::bigint, sum(passed)::bigint,
                        sum(failed)::bigint, sum(na)::bigint, sum(failed_visits)::bigint,
                        sum(rushed)::bigint, sum(score_sum ORDER BY first_id),
                        sum(scored)::bigint, min(first_id)
                 FROM (SELECT *, {key} AS k FROM counted) c WHERE k IS NOT NULL
                 GROUP BY 1, 2"
            ),
        )?;
        let targets = query(
            client,
            counted,
            &format!(
                "SELECT k, checklist_sha, u.pos, sum(u.measured)::bigint, sum(u.met)::bigint,
                        min(u.first)
                 FROM (SELECT *, {key} AS k FROM counted) c,
                      unnest(target_measured, target_met, target_first)
                          WITH ORDINALITY AS u(measured, met, first, pos)
                 WHERE k IS NOT NULL AND u.measured > 0
                 GROUP BY 1, 2, 3"
            ),
        )?;
        if let Some(slot) = counts.groups.get_mut(slot) {
            *slot = (group_rows(&groups), group_target_rows(&targets));
        }
    }
    Ok(counts)
}

/// Each checklist version of the cells `selection` chooses, with the first line of one of
/// its logs (its `started` event, which holds the checklist's source).
pub fn versions(
    client: &mut Client,
    selection: &Selection,
) -> Result<Vec<(String, String, String)>, postgres::Error> {
    let rows = chosen_only(
        client,
        selection,
        "SELECT c.checklist_sha, e.visit, e.line
         FROM (SELECT DISTINCT checklist_sha FROM chosen) c
         LEFT JOIN LATERAL (SELECT e.visit, e.line FROM visits w
                            JOIN events e ON e.visit = w.id AND e.seq = 0
                            WHERE w.checklist_sha = c.checklist_sha LIMIT 1) e ON true",
    )?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                row.get(0),
                row.get::<_, Option<String>>(1).unwrap_or_default(),
                row.get::<_, Option<String>>(2).unwrap_or_default(),
            )
        })
        .collect())
}

/// The first and last day of the cells `selection` chooses (for the periods compared).
pub fn days(
    client: &mut Client,
    selection: &Selection,
) -> Result<Option<(String, String)>, postgres::Error> {
    let rows = chosen_only(
        client,
        selection,
        "SELECT min(day), max(day) FROM chosen WHERE day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'",
    )?;
    Ok(rows.first().and_then(|row| {
        let first: Option<String> = row.get(0);
        let last: Option<String> = row.get(1);
        first.zip(last)
    }))
}

/// Every (technician, checklist) pair of the store, for checking a filter's names.
pub fn names(client: &mut Client) -> Result<Vec<(String, String)>, postgres::Error> {
    Ok(client
        .query(
            "SELECT DISTINCT technician, checklist FROM figure_cells ORDER BY 1, 2",
            &[],
        )?
        .into_iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
}

/// A query over `chosen` alone (no version is counted).
fn chosen_only(
    client: &mut Client,
    selection: &Selection,
    body: &str,
) -> Result<Vec<postgres::Row>, postgres::Error> {
    let (kind, name) = verdict_params(selection);
    let none: Vec<String> = Vec::new();
    let empty = String::new();
    client.query(
        format!("{} {body}", chosen_sql(Cells::All)).as_str(),
        &[
            &selection.since,
            &selection.until,
            &selection.technician,
            &selection.checklist,
            &selection.status,
            &kind,
            &name,
            &none,
            &empty,
            &empty,
        ],
    )
}
