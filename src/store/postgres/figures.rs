//! The figures' counting, in SQL (SPEC section 11): over the visit rows the filter chooses,
//! grouped by checklist version, item mark, target mark and each dimension, so that only
//! counts leave the database. `crate::review::counted` turns them into the same `Stats`
//! `compute_stats` makes from summaries — one definition, two ways of counting.
//!
//! What the database cannot know (whether a version's checklist loads, its items' ids and
//! order) comes with each version's first log line, loaded by the one summariser.

use postgres::Client;

use crate::config::RushedThresholds;
use crate::store::figure_counts::{
    Counts, Dimension, GroupRow, GroupTargetRow, MarkRow, Selection, StateRow, Version, Wanted,
};

/// The rows (visits or cells) a `Selection` chooses, by `$1`..`$7`: the days, technician,
/// checklist, status and verdict (`''` for none), as `Filter::matches` chooses visits.
pub(super) const SELECTED: &str = "($1::text IS NULL OR day >= $1)
      AND ($2::text IS NULL OR day <= $2)
      AND ($3::text IS NULL OR lower(technician) = lower($3) OR technician = $3)
      AND ($4::text IS NULL OR checklist = $4)
      AND ($5::text IS NULL OR status = $5)
      AND ($6::text IS NULL
           OR ($6 = 'is' AND verdict = $7)
           OR ($6 = 'unreviewed' AND verdict = '')
           OR ($6 = 'to_review' AND (verdict = '' OR outdated)))";

/// Whether a visit `v` was rushed, as the summaries say (the figures' definition): `median`,
/// `burst`, `limit` are the thresholds' parameters.
pub(super) fn rushed_sql(v: &str, median: &str, burst: &str, limit: &str) -> String {
    format!(
        "({v}.status <> 'unreadable' AND (
            coalesce({v}.gap_median_ms / 1000.0 < {median}::float8, false)
            OR ({burst}::int > 0 AND coalesce((CASE WHEN {burst}::int = 5 THEN {v}.least_window5_ms
                 ELSE sitecheck_least_window({v}.answer_gaps, {burst}::int) END)::float8
                 <= {limit}::float8, false))))"
    )
}

/// The chosen visits, with their latest verdict and whether the log changed since (kept by
/// a trigger as reviews are written), the technician's day and whether they were rushed
/// (from the median and least window kept with the row; a burst other than the default
/// walks the gaps) — each as the summaries define it. Only the columns counted are read.
fn chosen_sql() -> String {
    let rushed = rushed_sql("v", "$8", "$9", "$10");
    format!(
        r#"
WITH marked AS (
    SELECT v.id, v.started_at, v.technician, v.checklist, v.checklist_sha, v.status,
           v.result, v.score, v.integrity, v.marks, v.target_marks, v.fields,
           substr(v.started_at, 1, 10) AS day, coalesce(l.verdict, '') AS verdict,
           (l.verdict IS NOT NULL AND l.visit_hash IS DISTINCT FROM v.last_hash) AS outdated,
           {rushed} AS rushed
    FROM visits v LEFT JOIN review_latest l ON l.visit = v.id
), chosen AS (
    SELECT * FROM marked
    WHERE {SELECTED}
), counted AS (
    SELECT * FROM chosen
    WHERE status = 'finished' AND integrity <> 'damaged' AND checklist_sha = ANY($11)
)
"#
    )
}

/// The key of a dimension, as `crate::review::breakdown::By::key` makes it.
fn key_sql(dimension: &Dimension) -> String {
    const WEEK: &str = "CASE WHEN substr(started_at, 1, 10) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' \
        THEN to_char(to_date(substr(started_at, 1, 10), 'YYYY-MM-DD'), 'IYYY-\"W\"IW') END";
    match dimension {
        Dimension::Technician => "technician".to_owned(),
        Dimension::Checklist => "checklist".to_owned(),
        Dimension::Week => format!("coalesce({WEEK}, $12)"),
        Dimension::Month => {
            "CASE WHEN length(started_at) >= 7 THEN substr(started_at, 1, 7) ELSE $12 END"
                .to_owned()
        }
        Dimension::Store => "$13::text".to_owned(),
        Dimension::Field(_) => "coalesce((SELECT CASE WHEN btrim(fields[i + 1]) = '' THEN NULL \
             ELSE fields[i + 1] END FROM generate_subscripts(fields, 1) i \
             WHERE i % 2 = 1 AND fields[i] = $14 ORDER BY i LIMIT 1), $12)"
            .to_owned(),
    }
}

/// Week keys only for visits with a date (a week of none is no week).
fn week_only_sql() -> String {
    "CASE WHEN substr(started_at, 1, 10) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' \
     THEN to_char(to_date(substr(started_at, 1, 10), 'YYYY-MM-DD'), 'IYYY-\"W\"IW') END"
        .to_owned()
}

/// Counts the figures of the visits `selection` chooses. `loadable` are the checklist
/// versions (sha256) whose checklist loads: the others' visits are left out, as the
/// summaries' are. `store` names the store for `--by store`; `none` is the key of a
/// visit without the dimension's value.
pub fn count(
    client: &mut Client,
    selection: &Selection,
    thresholds: &RushedThresholds,
    loadable: &[String],
    by: Option<&Dimension>,
    store: &str,
    none: &str,
) -> Result<Counts, postgres::Error> {
    let burst = i32::try_from(thresholds.burst_answers).unwrap_or(i32::MAX);
    let field = match by {
        Some(Dimension::Field(id)) => id.clone(),
        _ => String::new(),
    };
    let (verdict_kind, verdict_name) = verdict_params(selection);
    let limit_ms = thresholds.burst_seconds * 1000.0;
    let params: [&(dyn postgres::types::ToSql + Sync); 14] = [
        &selection.since,
        &selection.until,
        &selection.technician,
        &selection.checklist,
        &selection.status,
        &verdict_kind,
        &verdict_name,
        &thresholds.median_seconds,
        &burst,
        &limit_ms,
        &loadable,
        &none,
        &store,
        &field,
    ];
    let query = |client: &mut Client, body: &str| {
        // Every parameter is used by the text the query is made of, or typed here.
        // Parameters a query does not use still need a type: given it here.
        let sql = format!(
            "{}, typed AS (SELECT $12::text AS none, $13::text AS store, $14::text AS field) {body}",
            chosen_sql()
        );
        client.query(sql.as_str(), &params)
    };
    let mut counts = Counts::default();
    // One pass: the visits of each version and state, and of those the ones counted.
    let states = query(
        client,
        "SELECT checklist_sha, status, (status = 'unreadable' OR integrity = 'damaged'), count(*),
                min(id) FILTER (WHERE counted), max(started_at) FILTER (WHERE counted),
                count(*) FILTER (WHERE counted), count(*) FILTER (WHERE counted AND rushed)
         FROM (SELECT *, (status = 'finished' AND integrity <> 'damaged'
                          AND checklist_sha = ANY($11)) AS counted FROM chosen) c
         GROUP BY 1, 2, 3",
    )?;
    add_states(&mut counts, &states);
    // Marks counted per distinct mark string first: visits much alike share one.
    for (column, into) in [("marks", 0), ("target_marks", 1)] {
        for row in query(
            client,
            &format!(
                "SELECT checklist_sha, m.pos, m.mark, sum(n)::bigint
                 FROM (SELECT checklist_sha, {column} AS s, count(*) AS n FROM counted
                       GROUP BY 1, 2) c,
                      unnest(string_to_array(s, NULL)) WITH ORDINALITY AS m(mark, pos)
                 GROUP BY 1, 2, 3"
            ),
        )? {
            let mark = MarkRow {
                sha: row.get(0),
                position: usize::try_from(row.get::<_, i64>(1) - 1).unwrap_or(0),
                mark: row.get::<_, String>(2).chars().next().unwrap_or('-'),
                visits: count_of(row.get(3)),
            };
            if into == 0 {
                counts.items.push(mark);
            } else {
                counts.targets.push(mark);
            }
        }
    }

    let mut dimensions = vec![("technician".to_owned(), 0usize), (week_only_sql(), 1)];
    if let Some(by) = by {
        dimensions.push((key_sql(by), 2));
    }
    for (key, slot) in dimensions {
        let groups = query(
            client,
            &format!(
                "SELECT k, checklist_sha, count(*),
                        sum(length(marks) - length(replace(marks, 'p', ''))),
                        sum(length(marks) - length(replace(marks, 'f', ''))),
                        sum(length(marks) - length(replace(marks, 'n', ''))),
                        count(*) FILTER (WHERE result = 'fail'),
                        count(*) FILTER (WHERE rushed),
                        sum(score ORDER BY id), count(score), min(id)
                 FROM (SELECT *, {key} AS k FROM counted) c WHERE k IS NOT NULL
                 GROUP BY 1, 2"
            ),
        )?;
        let targets = query(
            client,
            &format!(
                "SELECT k, checklist_sha, m.pos, sum(n)::bigint,
                        coalesce(sum(n) FILTER (WHERE m.mark = '1'), 0)::bigint, min(first)
                 FROM (SELECT k, checklist_sha, target_marks, count(*) AS n, min(id) AS first
                       FROM (SELECT *, {key} AS k FROM counted) c WHERE k IS NOT NULL
                       GROUP BY 1, 2, 3) c,
                      unnest(string_to_array(target_marks, NULL)) WITH ORDINALITY AS m(mark, pos)
                 WHERE m.mark IN ('0', '1')
                 GROUP BY 1, 2, 3"
            ),
        )?;
        if let Some(slot) = counts.groups.get_mut(slot) {
            *slot = (group_rows(&groups), group_target_rows(&targets));
        }
    }
    Ok(counts)
}

/// The states and versions as the first query of `count` (and of `super::rollup`) selects
/// them: version, status, untrusted, visits, and of the counted ones the first id, the
/// newest start, how many, how many rushed. Versions come in the order of their first visit.
pub(super) fn add_states(counts: &mut Counts, rows: &[postgres::Row]) {
    for row in rows {
        let sha: String = row.get(0);
        counts.states.push(StateRow {
            sha: sha.clone(),
            status: row.get(1),
            untrusted: row.get(2),
            visits: count_of(row.get(3)),
        });
        let counted = count_of(row.get(6));
        if counted == 0 {
            continue;
        }
        counts.rushed += count_of(row.get(7));
        let first: String = row.get::<_, Option<String>>(4).unwrap_or_default();
        let newest: String = row.get::<_, Option<String>>(5).unwrap_or_default();
        match counts.versions.iter_mut().find(|v| v.sha == sha) {
            Some(v) => {
                v.counted += counted;
                if first < v.first_visit {
                    v.first_visit = first;
                }
                if newest > v.newest {
                    v.newest = newest;
                }
            }
            None => counts.versions.push(Version {
                sha,
                checklist: None,
                first_visit: first,
                newest,
                counted,
            }),
        }
    }
    counts
        .versions
        .sort_by(|a, b| a.first_visit.cmp(&b.first_visit));
}

/// Group rows as the queries of `count` (and of `super::rollup`) select them: key, version,
/// visits, passed, failed, n/a, failed visits, rushed, score sum, scored, first visit.
pub(super) fn group_rows(rows: &[postgres::Row]) -> Vec<GroupRow> {
    rows.iter()
        .map(|row| GroupRow {
            key: row.get(0),
            sha: row.get(1),
            visits: count_of(row.get(2)),
            passed: sum_of(row.get(3)),
            failed: sum_of(row.get(4)),
            na: sum_of(row.get(5)),
            failed_visits: count_of(row.get(6)),
            rushed: count_of(row.get(7)),
            score_sum: row.get::<_, Option<f64>>(8).unwrap_or(0.0),
            scored: count_of(row.get(9)),
            first_visit: row.get(10),
        })
        .collect()
}

/// Group target rows: key, version, position (1-based), measured, met, first visit.
pub(super) fn group_target_rows(rows: &[postgres::Row]) -> Vec<GroupTargetRow> {
    rows.iter()
        .map(|row| GroupTargetRow {
            key: row.get(0),
            sha: row.get(1),
            position: usize::try_from(row.get::<_, i64>(2) - 1).unwrap_or(0),
            measured: count_of(row.get(3)),
            met: count_of(row.get(4)),
            first_visit: row.get(5),
        })
        .collect()
}

pub(super) fn verdict_params(
    selection: &Selection,
) -> (Option<&'static str>, Option<&'static str>) {
    match &selection.verdict {
        None => (None, None),
        Some(Wanted::Is(name)) => (Some("is"), Some(*name)),
        Some(Wanted::Unreviewed) => (Some("unreviewed"), None),
        Some(Wanted::ToReview) => (Some("to_review"), None),
    }
}

pub(super) fn count_of(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(super) fn sum_of(n: Option<i64>) -> u32 {
    count_of(n.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    /// The window kept with each row (migration 2) is the default burst's.
    #[test]
    fn the_kept_window_is_the_default_burst() {
        assert_eq!(
            crate::config::RushedThresholds::default().burst_answers,
            5,
            "change `least_window5_ms` (a migration) and `chosen_sql` with the default"
        );
    }
}
