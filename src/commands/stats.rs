//! `sitecheck stats [filters]`: compliance per checklist, section, item, technician and
//! week, and each checklist's targets with the rate achieved ("satisfaction 79.2%
//! (target 75%) ✓"), as text tables.

use std::io::Write;

use crate::checklist::Text;
use crate::review::filter::Filter;
use crate::review::stats::{ChecklistStats, GroupStats, Stats, TargetStats};
use crate::store::index::summary::{VisitStatus, VisitSummary};

use super::table::{Column, Table, percent};

/// The visits stats count and the words for them: those the filter chose; without a
/// `--status`, only finished visits (an open or abandoned visit's answers are not a
/// completed service).
pub fn stats_scope<'a>(
    visits: &[&'a VisitSummary],
    filter: &Filter,
) -> (Vec<&'a VisitSummary>, String) {
    if filter.status.is_some() {
        return (visits.to_vec(), filter.describe());
    }
    let finished = visits
        .iter()
        .copied()
        .filter(|v| v.status == VisitStatus::Finished)
        .collect();
    let words = match filter.describe().as_str() {
        "all visits" => "finished visits".to_owned(),
        other => format!("finished visits, {other}"),
    };
    (finished, words)
}

/// Writes the figures. `scope` says which visits they are over, for the heading.
pub fn write_stats(
    stats: &Stats,
    scope: &str,
    lang: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Compliance over {} visit{} ({scope})",
        stats.visits,
        if stats.visits == 1 { "" } else { "s" }
    )?;
    if stats.skipped > 0 {
        writeln!(
            out,
            "{} unreadable or damaged visit log{} left out — `sitecheck verify` names the problems",
            stats.skipped,
            if stats.skipped == 1 { "" } else { "s" }
        )?;
    }
    writeln!(
        out,
        "Overall {}  ({} pass, {} fail, {} n/a); {} rushed visit{}",
        percent(stats.compliance.rate()),
        stats.compliance.passed,
        stats.compliance.failed,
        stats.compliance.na,
        stats.rushed,
        if stats.rushed == 1 { "" } else { "s" }
    )?;
    let targets: Vec<(&ChecklistStats, &TargetStats)> = stats
        .checklists
        .iter()
        .flat_map(|c| c.targets.iter().map(move |t| (c, t)))
        .collect();
    if !targets.is_empty() {
        writeln!(out, "\nTargets")?;
        for (checklist, target) in targets {
            writeln!(out, "  {:<20} {}", checklist.id, target_line(target))?;
        }
    }
    for checklist in &stats.checklists {
        write_checklist(checklist, lang, out)?;
    }
    if !stats.technicians.is_empty() {
        writeln!(out, "\nBy technician")?;
        group_table(&stats.technicians, "technician").write(out, "  ")?;
    }
    if !stats.weeks.is_empty() {
        writeln!(out, "\nBy week")?;
        group_table(&stats.weeks, "week").write(out, "  ")?;
    }
    Ok(())
}

/// `satisfaction 79.2% (target 75%) ✓  (412 of 520 visits)`.
pub fn target_line(target: &TargetStats) -> String {
    let mark = match target.achieved() {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "–",
    };
    format!(
        "{} {} (target {}) {mark}  ({} of {} visits)",
        target.target.name,
        percent(target.rate()),
        trim_percent(target.target.rate),
        target.met,
        target.measured
    )
}

/// 0.75 as `75%`, 0.755 as `75.5%`.
fn trim_percent(rate: f64) -> String {
    let text = format!("{:.1}", rate * 100.0);
    format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
}

fn text(t: &Text, lang: &str, default: Option<&str>) -> String {
    t.get(lang, default).to_owned()
}

fn write_checklist(c: &ChecklistStats, lang: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let default = c.default_language.as_deref();
    writeln!(
        out,
        "\n{} — {}: {} visit{}, compliance {}",
        c.id,
        crate::present::sanitize(&text(&c.title, lang, default)),
        c.visits,
        if c.visits == 1 { "" } else { "s" },
        percent(c.compliance.rate())
    )?;
    let mut sections = Table::new(&[
        Column::left("section", 32),
        Column::right("compliance", 10),
        Column::right("pass", 9),
        Column::right("fail", 9),
        Column::right("n/a", 9),
    ]);
    for s in &c.sections {
        sections.row(vec![
            text(&s.title, lang, default),
            percent(s.compliance.rate()),
            s.compliance.passed.to_string(),
            s.compliance.failed.to_string(),
            s.compliance.na.to_string(),
        ]);
    }
    sections.write(out, "  ")?;
    writeln!(out)?;
    let mut items = Table::new(&[
        Column::left("item", 22),
        Column::left("prompt", 40),
        Column::right("compliance", 10),
        Column::right("pass", 9),
        Column::right("fail", 9),
        Column::right("n/a", 9),
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

fn group_table(groups: &[GroupStats], heading: &'static str) -> Table {
    let mut table = Table::new(&[
        Column::left(heading, 24),
        Column::right("visits", 8),
        Column::right("compliance", 10),
        Column::right("mean score", 10),
        Column::right("failed", 8),
        Column::right("rushed", 8),
    ]);
    for g in groups {
        table.row(vec![
            g.key.clone(),
            g.visits.to_string(),
            percent(g.compliance.rate()),
            percent(g.mean_score()),
            g.failed_visits.to_string(),
            g.rushed.to_string(),
        ]);
    }
    table
}
