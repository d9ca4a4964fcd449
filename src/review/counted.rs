//! The figures from counts a store made itself (the fleet store counts in SQL:
//! `crate::store::figure_counts`): the same `Stats` as `compute_stats` over the same visits,
//! by the same definitions — finished visits counted; open, abandoned and untrusted ones
//! beside them; compliance per item, section and checklist; targets; technicians, weeks and
//! the breakdown; the rankings.

use std::collections::BTreeMap;

use crate::checklist::Text;
use crate::store::figure_counts::{Counts, Dimension, MarkRow, Selection, Wanted};

use super::breakdown::By;
use super::figures::{Compliance, GroupStats, GroupTarget};
use super::filter::{Filter, VerdictFilter};
use super::period::{Comparison, Period, periods};
use super::ranking::rank_technicians;
use super::stats::{Acc, Breakdown, Stats};

/// The figures of the visits `filter` chooses and this period against the previous one,
/// counted by a store that counts them itself (the fleet store, in SQL), as `compute_stats`
/// and `compare` make them from summaries; `None` for a store that does not (a data
/// folder). The filter's names are the caller's to check.
pub fn counted_in_store(
    source: &dyn crate::store::seam::VisitStore,
    filter: &Filter,
    by: Option<&By>,
    thresholds: &crate::config::RushedThresholds,
) -> Option<Result<(Stats, Option<Comparison>), String>> {
    let dimension = by.map(dimension);
    // A store that does not count answers `None` at once, before anything else is asked.
    let first = source.count_figures(&selection(filter), dimension.as_ref(), thresholds)?;
    Some(first.and_then(|counts| {
        let count = |selection: &Selection, by: Option<&Dimension>| {
            source
                .count_figures(selection, by, thresholds)
                .unwrap_or_else(|| Ok(Counts::default()))
        };
        let stats = stats_from_counts(&counts, by);
        // This period against the previous one: the same filter but for the dates.
        let undated = Filter {
            since: None,
            until: None,
            ..filter.clone()
        };
        let days = source
            .figure_days(&selection(&undated), thresholds)
            .unwrap_or(Ok(None))?;
        let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let span = days.and_then(|(first, last)| {
            periods(date(&first)?, date(&last)?, filter.since, filter.until)
        });
        let comparison = match span {
            None => None,
            Some(((from, until), (before, before_until))) => {
                let period = |a: chrono::NaiveDate, b: chrono::NaiveDate| {
                    let dated = Filter {
                        since: Some(a),
                        until: Some(b),
                        ..undated.clone()
                    };
                    count(&selection(&dated), None).map(|counts| Period {
                        from: a,
                        until: b,
                        stats: stats_from_counts(&counts, None),
                    })
                };
                Some(Comparison {
                    current: period(from, until)?,
                    previous: period(before, before_until)?,
                })
            }
        };
        Ok((stats, comparison))
    }))
}

/// A filter in the store's terms.
pub fn selection(filter: &Filter) -> Selection {
    Selection {
        since: filter.since.map(|d| d.format("%Y-%m-%d").to_string()),
        until: filter.until.map(|d| d.format("%Y-%m-%d").to_string()),
        technician: filter.technician.clone(),
        checklist: filter.checklist.clone(),
        status: filter.status.map(|s| s.name()),
        verdict: filter.verdict.map(|v| match v {
            VerdictFilter::Is(verdict) => Wanted::Is(verdict.name()),
            VerdictFilter::Unreviewed => Wanted::Unreviewed,
            VerdictFilter::ToReview => Wanted::ToReview,
        }),
    }
}

/// A breakdown in the store's terms.
pub fn dimension(by: &By) -> Dimension {
    match by {
        By::Technician => Dimension::Technician,
        By::Checklist => Dimension::Checklist,
        By::Week => Dimension::Week,
        By::Month => Dimension::Month,
        By::Store => Dimension::Store,
        By::Field(id) => Dimension::Field(id.clone()),
    }
}

fn add(compliance: &mut Compliance, mark: char, n: u32) {
    match mark {
        'p' => compliance.passed += n,
        'f' => compliance.failed += n,
        'n' => compliance.na += n,
        _ => {}
    }
}

/// The figures the counts make.
pub fn stats_from_counts(counts: &Counts, by: Option<&By>) -> Stats {
    let mut stats = Stats::default();
    let version = |sha: &str| counts.versions.iter().find(|v| v.sha == sha);
    let loads = |sha: &str| version(sha).is_some_and(|v| v.checklist.is_some());
    for row in &counts.states {
        if row.untrusted || !loads(&row.sha) {
            stats.skipped += row.visits;
            continue;
        }
        match row.status.as_str() {
            "finished" => stats.visits += row.visits,
            "open" => stats.open += row.visits,
            "abandoned" => stats.abandoned += row.visits,
            _ => stats.skipped += row.visits,
        }
    }
    stats.rushed = counts.rushed;

    // Each checklist's figures, its versions learnt in the order their first visit comes.
    let mut checklists: BTreeMap<String, Acc> = BTreeMap::new();
    let marks_of = |rows: &'_ [MarkRow], sha: &str| -> Vec<(usize, char, u32)> {
        rows.iter()
            .filter(|r| r.sha == sha)
            .map(|r| (r.position, r.mark, r.visits))
            .collect()
    };
    for v in counts.versions.iter().filter(|v| v.counted > 0) {
        let Some(checklist) = &v.checklist else {
            continue;
        };
        let acc = checklists
            .entry(checklist.id.clone())
            .or_insert_with(|| Acc::new(checklist));
        acc.learn(checklist);
        if v.newest > acc.newest {
            acc.newest.clone_from(&v.newest);
            acc.stats.title = checklist.title.clone();
        }
        acc.stats.visits += v.counted;
        let items: Vec<&str> = checklist
            .items()
            .map(|(_, item)| item.id.as_str())
            .collect();
        for (position, mark, n) in marks_of(&counts.items, &v.sha) {
            let Some(&index) = items.get(position).and_then(|id| acc.item_index.get(*id)) else {
                continue;
            };
            if let Some(item) = acc.stats.items.get_mut(index) {
                add(&mut item.compliance, mark, n);
                let section = item.section;
                if let Some(section) = acc.stats.sections.get_mut(section) {
                    add(&mut section.compliance, mark, n);
                }
            }
            add(&mut acc.stats.compliance, mark, n);
            add(&mut stats.compliance, mark, n);
        }
        for (position, mark, n) in marks_of(&counts.targets, &v.sha) {
            let Some(target) = checklist.targets.get(position) else {
                continue;
            };
            let Some(t) = acc
                .target_index
                .get(&target.name)
                .and_then(|&i| acc.stats.targets.get_mut(i))
            else {
                continue;
            };
            if mark == '1' || mark == '0' {
                t.measured += n;
                t.met += if mark == '1' { n } else { 0 };
            }
        }
    }
    stats.checklists = checklists.into_values().map(|acc| acc.stats).collect();

    let [technicians, weeks, breakdown] = &counts.groups;
    stats.technicians = groups(counts, technicians);
    stats.weeks = groups(counts, weeks);
    stats.rankings = rank_technicians(&stats.checklists, &stats.technicians);
    stats.breakdown = by.map(|by| {
        let groups = groups(counts, breakdown);
        let mut labels: BTreeMap<String, Text> = BTreeMap::new();
        if let By::Field(id) = by {
            for group in &groups {
                let label = counts
                    .versions
                    .iter()
                    .filter(|v| v.counted > 0)
                    .filter_map(|v| v.checklist.as_ref())
                    .filter_map(|c| c.visit_fields.iter().find(|f| f.id == *id))
                    .find_map(|f| f.options.iter().find(|o| o.id == group.key));
                if let Some(option) = label {
                    labels.insert(group.key.clone(), option.label.clone());
                }
            }
        }
        Breakdown {
            by: by.clone(),
            groups,
            labels,
        }
    });
    stats
}

/// One dimension's groups, in key order, each with its targets in the order a walk of
/// the visits by id would first meet them.
fn groups(
    counts: &Counts,
    (rows, targets): &(
        Vec<crate::store::figure_counts::GroupRow>,
        Vec<crate::store::figure_counts::GroupTargetRow>,
    ),
) -> Vec<GroupStats> {
    let loads = |sha: &str| {
        counts
            .versions
            .iter()
            .find(|v| v.sha == sha)
            .and_then(|v| v.checklist.clone())
    };
    let mut groups: BTreeMap<String, GroupStats> = BTreeMap::new();
    // Versions in the order of their first visit, so that scores add up as a walk by id.
    let mut ordered: Vec<&crate::store::figure_counts::GroupRow> = rows.iter().collect();
    ordered.sort_by(|a, b| a.first_visit.cmp(&b.first_visit));
    for row in ordered {
        if loads(&row.sha).is_none() {
            continue;
        }
        let group = groups.entry(row.key.clone()).or_default();
        group.key.clone_from(&row.key);
        group.visits += row.visits;
        group.compliance.passed += row.passed;
        group.compliance.failed += row.failed;
        group.compliance.na += row.na;
        group.failed_visits += row.failed_visits;
        group.rushed += row.rushed;
        group.score_sum += row.score_sum;
        group.scored += row.scored;
    }
    let mut ordered: Vec<_> = targets.iter().collect();
    ordered.sort_by(|a, b| {
        a.first_visit
            .cmp(&b.first_visit)
            .then(a.position.cmp(&b.position))
    });
    for row in ordered {
        let Some(checklist) = loads(&row.sha) else {
            continue;
        };
        let (Some(target), Some(group)) = (
            checklist.targets.get(row.position),
            groups.get_mut(&row.key),
        ) else {
            continue;
        };
        let at = group
            .targets
            .iter()
            .position(|t| t.checklist == checklist.id && t.target.name == target.name);
        let at = at.unwrap_or_else(|| {
            group.targets.push(GroupTarget {
                checklist: checklist.id.clone(),
                target: target.clone(),
                measured: 0,
                met: 0,
            });
            group.targets.len() - 1
        });
        if let Some(t) = group.targets.get_mut(at) {
            t.measured += row.measured;
            t.met += row.met;
        }
    }
    groups.into_values().collect()
}
