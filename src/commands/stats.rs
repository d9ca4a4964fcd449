//! `sitecheck stats [filters] [--by DIMENSION]`: compliance per checklist, section, item,
//! technician and week over the finished visits chosen, open, abandoned and damaged ones
//! beside them; each checklist's targets with the rate achieved ("satisfaction 79.2%
//! (target 75%) ✓"), the technicians ranked against each target, this period against the
//! previous one, and a breakdown when asked. Every word follows `--lang`.

use std::io::Write;

use crate::checklist::Text;
use crate::lang::Lang;
use crate::present::stats_strings::{StatsStrings, stats_strings};
use crate::review::breakdown::By;
use crate::review::filter::{Filter, VerdictFilter};
use crate::review::period::Comparison;
use crate::review::ranking::TargetRanking;
use crate::review::stats::{ChecklistStats, GroupStats, Stats, TargetStats};
use crate::store::index::summary::VisitStatus;

use super::table::{Column, Table, percent};

/// The filter in the language's words, for headings: `since 2026-11-01, technician li.si`.
pub fn describe(filter: &Filter, s: &StatsStrings) -> String {
    let mut parts = Vec::new();
    if let Some(d) = filter.since {
        parts.push(format!("{} {d}", s.since));
    }
    if let Some(d) = filter.until {
        parts.push(format!("{} {d}", s.until));
    }
    if let Some(t) = &filter.technician {
        parts.push(format!("{} {t}", s.technician));
    }
    if let Some(c) = &filter.checklist {
        parts.push(format!("{} {c}", s.checklist));
    }
    if let Some(status) = filter.status {
        parts.push(
            match status {
                VisitStatus::Open => s.status_open,
                VisitStatus::Finished => s.status_finished,
                VisitStatus::Abandoned => s.status_abandoned,
                VisitStatus::Unreadable => s.status_unreadable,
            }
            .to_owned(),
        );
    }
    match filter.verdict {
        Some(VerdictFilter::Is(v)) => parts.push(format!("{} {}", s.verdict, v.name())),
        Some(VerdictFilter::Unreviewed) => parts.push(s.unreviewed.to_owned()),
        Some(VerdictFilter::ToReview) => parts.push(s.to_review.to_owned()),
        None => {}
    }
    parts.join(s.list_separator)
}

/// Writes the figures. `filter` says which visits they are over, for the heading.
pub fn write_stats(
    stats: &Stats,
    comparison: Option<&Comparison>,
    filter: &Filter,
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let s = stats_strings(lang);
    let tag = lang.tag();
    let scope = s.scope(&describe(filter, s));
    writeln!(out, "{}", s.heading(stats.visits, &scope))?;
    writeln!(
        out,
        "{}",
        s.beside(stats.open, stats.abandoned, stats.skipped)
    )?;
    if stats.skipped > 0 {
        writeln!(out, "{}", s.left_out(stats.skipped))?;
    }
    writeln!(
        out,
        "{}",
        s.overall(
            &percent(stats.compliance.rate()),
            stats.compliance.passed,
            stats.compliance.failed,
            stats.compliance.na,
            stats.rushed
        )
    )?;
    let targets: Vec<(&ChecklistStats, &TargetStats)> = stats
        .checklists
        .iter()
        .flat_map(|c| c.targets.iter().map(move |t| (c, t)))
        .collect();
    if !targets.is_empty() {
        writeln!(out, "\n{}", s.targets)?;
        for (checklist, target) in targets {
            writeln!(out, "  {:<20} {}", checklist.id, target_line(target, s))?;
        }
    }
    for ranking in &stats.rankings {
        write_ranking(ranking, s, out)?;
    }
    if let Some(comparison) = comparison {
        write_comparison(comparison, s, out)?;
    }
    for checklist in &stats.checklists {
        write_checklist(checklist, tag, s, out)?;
    }
    if !stats.technicians.is_empty() {
        writeln!(out, "\n{}", s.by_technician)?;
        group_table(&stats.technicians, s.technician, s, &|k| k.to_owned()).write(out, "  ")?;
    }
    if !stats.weeks.is_empty() {
        writeln!(out, "\n{}", s.by_week)?;
        group_table(&stats.weeks, s.week, s, &|k| k.to_owned()).write(out, "  ")?;
    }
    if let Some(breakdown) = &stats.breakdown {
        let dimension = dimension_word(&breakdown.by, s);
        writeln!(out, "\n{}", s.by(&dimension))?;
        let label = |key: &str| breakdown.label(key, lang.tag()).to_owned();
        group_table(&breakdown.groups, by_heading(&breakdown.by, s), s, &label).write(out, "  ")?;
    }
    Ok(())
}

/// `technician`, `month`, `field branch` in the language's words.
pub fn dimension_word(by: &By, s: &StatsStrings) -> String {
    match by {
        By::Technician => s.technician.to_owned(),
        By::Checklist => s.checklist.to_owned(),
        By::Week => s.week.to_owned(),
        By::Month => s.month.to_owned(),
        By::Store => s.store.to_owned(),
        By::Field(id) => format!("{} {id}", s.field),
    }
}

/// The heading of a breakdown's first column.
fn by_heading(by: &By, s: &StatsStrings) -> &'static str {
    match by {
        By::Technician => s.technician,
        By::Checklist => s.checklist,
        By::Week => s.week,
        By::Month => s.month,
        By::Store => s.store,
        By::Field(_) => s.field,
    }
}

/// `satisfaction 79.2% (target 75%) ✓  (412 of 520 visits)`.
pub fn target_line(target: &TargetStats, s: &StatsStrings) -> String {
    s.target_line(
        &target.target.name,
        &percent(target.rate()),
        &trim_percent(target.target.rate),
        mark(target.achieved()),
        target.met,
        target.measured,
    )
}

fn mark(achieved: Option<bool>) -> &'static str {
    match achieved {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "–",
    }
}

/// 0.75 as `75%`, 0.755 as `75.5%`.
pub fn trim_percent(rate: f64) -> String {
    let text = format!("{:.1}", rate * 100.0);
    format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
}

fn write_ranking(
    ranking: &TargetRanking,
    s: &StatsStrings,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\n{}",
        s.ranking(
            &ranking.checklist,
            &ranking.target.name,
            &trim_percent(ranking.target.rate)
        )
    )?;
    let mut table = Table::new(&[
        Column::right(s.rank, 4),
        Column::left(s.technician, 24),
        Column::right(s.rate, 8),
        Column::left(s.met, 6),
        Column::left(s.visits, 24),
    ]);
    for (n, row) in ranking.rows.iter().enumerate() {
        table.row(vec![
            (n + 1).to_string(),
            row.technician.clone(),
            percent(row.rate()),
            mark(ranking.achieved(row)).to_owned(),
            s.of_visits(row.met, row.measured),
        ]);
    }
    table.write(out, "  ")
}

fn write_comparison(c: &Comparison, s: &StatsStrings, out: &mut dyn Write) -> std::io::Result<()> {
    let (now, before) = (&c.current, &c.previous);
    writeln!(
        out,
        "\n{}",
        s.comparison(&now.from.to_string(), &now.until.to_string(), c.days())
    )?;
    let mut table = Table::new(&[
        Column::left("", 48),
        Column::right(s.this_period, 16),
        Column::right(s.previous_period, 16),
        Column::right(s.change, 10),
    ]);
    let change = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:+.1}", (a - b) * 100.0),
        _ => "—".to_owned(),
    };
    table.row(vec![
        s.visits.to_owned(),
        now.stats.visits.to_string(),
        before.stats.visits.to_string(),
        format!(
            "{:+}",
            i64::from(now.stats.visits) - i64::from(before.stats.visits)
        ),
    ]);
    let (a, b) = (now.stats.compliance.rate(), before.stats.compliance.rate());
    table.row(vec![
        s.compliance.to_owned(),
        percent(a),
        percent(b),
        change(a, b),
    ]);
    table.row(vec![
        s.rushed.to_owned(),
        now.stats.rushed.to_string(),
        before.stats.rushed.to_string(),
        format!(
            "{:+}",
            i64::from(now.stats.rushed) - i64::from(before.stats.rushed)
        ),
    ]);
    for checklist in &now.stats.checklists {
        for target in &checklist.targets {
            let earlier = before.stats.target_rate(&checklist.id, &target.target.name);
            table.row(vec![
                format!("{} · {}", checklist.id, target.target.name),
                percent(target.rate()),
                percent(earlier),
                change(target.rate(), earlier),
            ]);
        }
    }
    table.write(out, "  ")
}

fn text(t: &Text, lang: &str, default: Option<&str>) -> String {
    t.get(lang, default).to_owned()
}

fn write_checklist(
    c: &ChecklistStats,
    lang: &str,
    s: &StatsStrings,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let default = c.default_language.as_deref();
    writeln!(
        out,
        "\n{}",
        s.checklist_line(
            &c.id,
            &crate::present::sanitize(&text(&c.title, lang, default)),
            c.visits,
            &percent(c.compliance.rate())
        )
    )?;
    let mut sections = Table::new(&[
        Column::left(s.section, 32),
        Column::right(s.compliance, 10),
        Column::right(s.pass, 9),
        Column::right(s.fail, 9),
        Column::right(s.na, 9),
    ]);
    for sec in &c.sections {
        sections.row(vec![
            text(&sec.title, lang, default),
            percent(sec.compliance.rate()),
            sec.compliance.passed.to_string(),
            sec.compliance.failed.to_string(),
            sec.compliance.na.to_string(),
        ]);
    }
    sections.write(out, "  ")?;
    writeln!(out)?;
    let mut items = Table::new(&[
        Column::left(s.item, 22),
        Column::left(s.prompt, 40),
        Column::right(s.compliance, 10),
        Column::right(s.pass, 9),
        Column::right(s.fail, 9),
        Column::right(s.na, 9),
    ]);
    for item in &c.items {
        // Items that are never scored (text, sign-off) have nothing to show.
        if item.compliance.passed + item.compliance.failed + item.compliance.na == 0 {
            continue;
        }
        items.row(vec![
            item.id.clone(),
            text(&item.prompt, lang, default),
            percent(item.compliance.rate()),
            item.compliance.passed.to_string(),
            item.compliance.failed.to_string(),
            item.compliance.na.to_string(),
        ]);
    }
    items.write(out, "  ")
}

/// Groups as a table, each named by `label` from its key.
fn group_table(
    groups: &[GroupStats],
    heading: &'static str,
    s: &StatsStrings,
    label: &dyn Fn(&str) -> String,
) -> Table {
    let mut table = Table::new(&[
        Column::left(heading, 32),
        Column::right(s.visits, 8),
        Column::right(s.compliance, 10),
        Column::right(s.mean_score, 10),
        Column::right(s.failed, 10),
        Column::right(s.rushed, 8),
    ]);
    for g in groups {
        table.row(vec![
            label(&g.key),
            g.visits.to_string(),
            percent(g.compliance.rate()),
            percent(g.mean_score()),
            g.failed_visits.to_string(),
            g.rushed.to_string(),
        ]);
    }
    table
}

/// The figures of a store that counts them itself (the fleet store, in SQL), with this
/// period against the previous one, as `compute_stats` and `compare` make them from
/// summaries; `None` for a store that does not (a data folder). The filter's names are
/// checked against the store's first.
pub fn counted_in_store(
    source: &dyn crate::store::seam::VisitStore,
    filter: &Filter,
    by: Option<&By>,
    thresholds: &crate::config::RushedThresholds,
    lang: Lang,
) -> Option<Result<(Stats, Option<Comparison>), String>> {
    let names = match source.figure_names()? {
        Ok(names) => names,
        Err(e) => return Some(Err(e)),
    };
    Some((|| {
        // The names, as the summaries a filter checks its names against.
        let known: Vec<crate::store::index::summary::VisitSummary> = names
            .into_iter()
            .map(
                |(technician, checklist)| crate::store::index::summary::VisitSummary {
                    technician,
                    checklist: std::sync::Arc::new(crate::store::index::summary::ChecklistInfo {
                        id: checklist,
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            )
            .collect();
        filter.check_names(&known).map_err(|unknown| {
            crate::present::stats_strings::unknown_name(
                unknown.what,
                &unknown.name,
                &unknown.known,
                lang,
            )
        })?;
        crate::review::counted::counted_in_store(source, filter, by, thresholds)
            .unwrap_or_else(|| Ok((Stats::default(), None)))
    })())
}
