//! Figures in SQL (SPEC section 11): the fleet store counts them in the database, and they
//! agree with `compute_stats` over the same visits' summaries — under every filter and every
//! breakdown, over open, abandoned, damaged, torn, amended and reviewed visits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod gen_support;
mod pg_support;

use chrono::NaiveDate;
use sitecheck::config::RushedThresholds;
use sitecheck::lang::Lang;
use sitecheck::log::review::{NewReview, Verdict};
use sitecheck::review::breakdown::By;
use sitecheck::review::counted::{dimension, selection, stats_from_counts};
use sitecheck::review::filter::{Filter, VerdictFilter};
use sitecheck::review::{Stats, compute_stats};
use sitecheck::store::index::open::OpenOptions;
use sitecheck::store::index::summary::VisitStatus;
use sitecheck::store::postgres::PgStore;
use sitecheck::store::seam::VisitStore;

fn text(stats: &Stats, filter: &Filter) -> String {
    let mut out = Vec::new();
    sitecheck::commands::stats::write_stats(stats, None, filter, Lang::En, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn figures_counted_in_sql_agree_with_the_summaries() {
    let pg = pg_or_skip!();
    let url = pg.create_db("figures");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(150, 13, &data);
    gen_support::damage(&data, 4);
    let (code, out, err) =
        pg_support::run(&["--store", &url], &["import", &data.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");

    // Rushed by stricter thresholds than the default, to count it both ways (a burst other
    // than the default's walks the gaps); and by the default (the window kept with the row).
    let strict = RushedThresholds {
        median_seconds: 20.0,
        burst_answers: 3,
        burst_seconds: 30.0,
    };
    let mut rushed = 0;
    for thresholds in [strict, RushedThresholds::default()] {
        agree(&url, thresholds, &mut rushed);
    }
    assert!(rushed > 0, "some visits are rushed by these thresholds");

    // Verdicts written after the figures were counted (the counts kept per day must follow
    // them): approvals, and verdicts given for a log that has changed since (outdated).
    let (approved, outdated) = write_verdicts(&url);
    assert!(approved > 0 && outdated > 0);
    agree(&url, RushedThresholds::default(), &mut rushed);
}

/// Approves some finished visits and rejects others as if for an older log; how many of
/// each.
fn write_verdicts(url: &str) -> (usize, usize) {
    let source = PgStore::open(url, OpenOptions::default()).unwrap();
    let store = source.open();
    let finished: Vec<_> = store
        .visits
        .iter()
        .filter(|v| v.status == VisitStatus::Finished)
        .skip(3)
        .take(12)
        .collect();
    let older = "0".repeat(64);
    let mut counts = (0, 0);
    for (n, visit) in finished.iter().enumerate() {
        let stale = n % 3 == 0;
        let visit_ref = source.find(&visit.id).unwrap();
        source
            .append_review(
                &visit_ref,
                &NewReview {
                    visit: &visit.id,
                    visit_hash: if stale { &older } else { &visit.last_hash },
                    reviewer: "li.manager",
                    verdict: if stale {
                        Verdict::Rejected
                    } else {
                        Verdict::Approved
                    },
                    comment: "checked",
                    item: None,
                },
            )
            .unwrap();
        if stale {
            counts.1 += 1;
        } else {
            counts.0 += 1;
        }
    }
    (counts.0, counts.1)
}

/// The figures of every filter and breakdown, counted both ways under `thresholds`.
fn agree(url: &str, thresholds: RushedThresholds, rushed: &mut u32) {
    let source = PgStore::open(
        url,
        OpenOptions {
            thresholds,
            use_cache: false,
        },
    )
    .unwrap();
    let store = source.open();
    assert_eq!(store.visits.len(), 150);
    let technician = store.visits[7].technician.clone();
    let checklist = store.visits[3].checklist.id.clone();
    let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let middle = store.visits[75].started_date().to_owned();
    let filters = [
        Filter::default(),
        Filter {
            technician: Some(technician.to_uppercase()),
            ..Filter::default()
        },
        Filter {
            checklist: Some(checklist),
            ..Filter::default()
        },
        Filter {
            since: day(&middle),
            ..Filter::default()
        },
        Filter {
            until: day(&middle),
            status: Some(VisitStatus::Finished),
            ..Filter::default()
        },
        Filter {
            verdict: Some(VerdictFilter::ToReview),
            ..Filter::default()
        },
        Filter {
            verdict: Some(VerdictFilter::Unreviewed),
            ..Filter::default()
        },
        Filter {
            verdict: Some(VerdictFilter::Is(Verdict::Approved)),
            ..Filter::default()
        },
        Filter {
            verdict: Some(VerdictFilter::Is(Verdict::FollowUp)),
            ..Filter::default()
        },
        Filter {
            verdict: Some(VerdictFilter::Is(Verdict::Rejected)),
            ..Filter::default()
        },
    ];
    let bys = [
        None,
        Some(By::Technician),
        Some(By::Checklist),
        Some(By::Week),
        Some(By::Month),
        Some(By::Store),
        Some(By::parse("field:work_order").unwrap()),
        Some(By::parse("field:visit_type").unwrap()),
    ];
    for filter in &filters {
        for by in &bys {
            let summaries = compute_stats(filter.apply(&store.visits), by.as_ref());
            let counts = source
                .count_figures(
                    &selection(filter),
                    by.as_ref().map(dimension).as_ref(),
                    &thresholds,
                )
                .expect("the fleet store counts its figures")
                .unwrap();
            let sql = stats_from_counts(&counts, by.as_ref());
            let what = format!("{filter:?} by {by:?}");
            assert_eq!(
                (
                    sql.visits,
                    sql.skipped,
                    sql.open,
                    sql.abandoned,
                    sql.rushed,
                    sql.compliance
                ),
                (
                    summaries.visits,
                    summaries.skipped,
                    summaries.open,
                    summaries.abandoned,
                    summaries.rushed,
                    summaries.compliance
                ),
                "{what}"
            );
            assert_eq!(sql.checklists, summaries.checklists, "{what}");
            assert_eq!(sql.rankings, summaries.rankings, "{what}");
            assert_eq!(text(&sql, filter), text(&summaries, filter), "{what}");
            *rushed += summaries.rushed;
        }
    }
    let all = compute_stats(&store.visits, None);
    assert!(
        all.skipped >= 4 && all.open > 0 && all.abandoned > 0,
        "{all:?}"
    );
}

/// A database made by a sitecheck before the counts were kept per day (schema version 3) is
/// migrated on first use, and its figures are those of the same visits in a folder.
#[test]
fn a_database_of_schema_version_3_is_migrated_and_counts_the_same_figures() {
    let pg = pg_or_skip!();
    let url = pg.create_db("migrated");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    gen_support::generate(60, 5, &data);
    let data_s = data.display().to_string();
    let (code, out, err) = pg_support::run(&["--store", &url], &["import", &data_s]);
    assert_eq!(code, 0, "{out}{err}");
    // Back to version 3: what migration 4 made, taken away.
    pg.sql(
        "migrated",
        "DROP TRIGGER visits_added_to_figures ON visits;
         DROP TRIGGER visits_changed_in_figures ON visits;
         DROP TRIGGER verdicts_added_to_figures ON review_latest;
         DROP TRIGGER verdicts_changed_in_figures ON review_latest;
         DROP FUNCTION sitecheck_visit_days_changed();
         DROP FUNCTION sitecheck_verdict_days_changed();
         DROP INDEX visits_day;
         DROP TABLE figure_cells, figure_days, figure_dirty;
         DELETE FROM sitecheck_schema WHERE version = 4;",
    );
    let folder = pg_support::run(&["--data-dir", &data_s], &["stats", "--by", "checklist"]);
    let fleet = pg_support::run(&["--store", &url], &["stats", "--by", "checklist"]);
    assert_eq!(folder.0, 0, "{folder:?}");
    assert_eq!(fleet.1, folder.1, "{}", fleet.2);
    let mut client = pg.client("migrated");
    assert_eq!(
        pg_support::count(
            &mut client,
            "SELECT max(version)::bigint FROM sitecheck_schema"
        ),
        4
    );
    assert_eq!(
        pg_support::count(&mut client, "SELECT sum(visits)::bigint FROM figure_cells"),
        60,
        "every visit is counted in a cell"
    );
}
