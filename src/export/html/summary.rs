//! The report's first page, made to print on one A4 sheet: the key figures, each target
//! with the rate achieved, per-week charts against the targets, the technicians ranked
//! (best and worst), this period against the previous one, and the few visits that need
//! attention most.

use std::fmt::Write as _;

use crate::log::review::Verdict;
use crate::review::VerdictFilter;
use crate::review::period::Comparison;
use crate::review::ranking::TargetRanking;
use crate::review::stats::{GroupStats, Stats};
use crate::store::index::summary::VisitSummary;

use super::attention::{Attention, table};
use super::chart::{Point, bar, class, week_chart};
use super::words::Words;
use super::{Report, esc, goal, pct};

/// Attention rows on the summary page: the rest are in the detail.
pub const ATTENTION_ROWS: usize = 6;
/// Weeks in a summary chart: the latest ones.
const CHART_WEEKS: usize = 12;
/// Ranking rows shown at each end (best, worst) on the summary page.
const RANK_ENDS: usize = 3;
/// Targets on the summary page (in its targets table and its comparison); with more, one
/// page could not hold them: the detail has them all.
const SUMMARY_TARGETS: usize = 4;

pub fn summary(html: &mut String, r: &Report, attention: &[Attention], w: &Words) {
    html.push_str("<section class=\"summary\">\n");
    let _ = writeln!(
        html,
        "<h1>{}</h1>\n<p class=\"meta\">{} · {} · {} {}</p>",
        esc(w.title),
        esc(&w.span(r.first, r.last)),
        esc(r.scope),
        esc(w.generated),
        esc(r.generated)
    );
    cards(html, r.visits, r.stats, w);
    targets(html, r.stats, w, Some(SUMMARY_TARGETS));
    charts(html, r.stats, w);
    rankings(html, &r.stats.rankings, w);
    if let Some(c) = r.comparison {
        comparison(html, c, w);
    }
    let _ = writeln!(
        html,
        "<h2>{}</h2>",
        esc(&w.attention_heading(attention.len()))
    );
    if attention.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", esc(w.attention_none));
    } else {
        let shown = attention.len().min(ATTENTION_ROWS);
        table(html, &attention[..shown], w, "short");
    }
    // The summary's last line: the browser test finds it on the first printed page.
    let more = attention.len().saturating_sub(ATTENTION_ROWS);
    let _ = writeln!(
        html,
        "<p class=\"foot\" id=\"summary-end\">{}</p>",
        esc(&if more > 0 {
            w.attention_more(more)
        } else {
            format!("{} →", w.detail)
        })
    );
    html.push_str("</section>\n");
}

/// One card: its figure, what it is, a `data-figure` name for programs and tests.
fn card(html: &mut String, name: &str, value: &str, label: &str, main: bool) {
    let _ = writeln!(
        html,
        "<div class=\"card{}\" data-figure=\"{name}\"><b>{}</b><span>{}</span></div>",
        if main { " main" } else { "" },
        esc(value),
        esc(label)
    );
}

fn cards(html: &mut String, visits: &[&VisitSummary], stats: &Stats, w: &Words) {
    let to_review = visits
        .iter()
        .filter(|v| {
            v.status != crate::store::index::summary::VisitStatus::Open
                && VerdictFilter::ToReview.matches(v)
        })
        .count();
    let failed: u32 = stats.technicians.iter().map(|t| t.failed_visits).sum();
    let follow_up = visits
        .iter()
        .filter(|v| v.verdict() == Some(Verdict::FollowUp) && !v.reviews.outdated)
        .count();
    html.push_str("<div class=\"cards\">\n");
    // The counts come from the one computation the stats tab and `stats` share.
    card(
        html,
        "finished",
        &stats.visits.to_string(),
        w.finished,
        true,
    );
    card(
        html,
        "compliance",
        &pct(stats.compliance.rate()),
        w.compliance,
        true,
    );
    card(html, "failed", &failed.to_string(), w.failed_visits, false);
    card(html, "rushed", &stats.rushed.to_string(), w.rushed, false);
    card(html, "open", &stats.open.to_string(), w.open, false);
    card(
        html,
        "abandoned",
        &stats.abandoned.to_string(),
        w.abandoned,
        false,
    );
    card(
        html,
        "damaged",
        &stats.skipped.to_string(),
        w.damaged,
        false,
    );
    card(
        html,
        "to_review",
        &format!("{to_review} / {follow_up}"),
        &format!("{} / {}", w.to_review, w.follow_up),
        false,
    );
    html.push_str("</div>\n");
    let _ = writeln!(
        html,
        "<p class=\"meta\">{}{}{}</p>",
        esc(&format!("{} · {} · {}", w.open, w.abandoned, w.damaged)),
        esc(w.colon()),
        esc(w.beside)
    );
}

/// Each target of each checklist with the rate achieved, the first `limit` of them.
pub fn targets(html: &mut String, stats: &Stats, w: &Words, limit: Option<usize>) {
    let id = if limit.is_some() {
        " id=\"targets\""
    } else {
        ""
    };
    let _ = writeln!(html, "<h2{id}>{}</h2>", esc(w.targets));
    let any = stats.checklists.iter().any(|c| !c.targets.is_empty());
    if !any {
        let _ = writeln!(html, "<p>{}</p>", esc(w.no_targets));
        return;
    }
    let _ = writeln!(
        html,
        "<table class=\"targets\">\n<colgroup><col style=\"width:18%\"><col style=\"width:16%\"><col style=\"width:10%\"><col style=\"width:8%\"><col style=\"width:22%\"><col style=\"width:10%\"><col style=\"width:16%\"></colgroup>\n<thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th></th><th></th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
        esc(w.checklist),
        esc(w.target),
        esc(w.achieved),
        esc(w.goal),
        esc(w.visits)
    );
    let all = stats
        .checklists
        .iter()
        .flat_map(|c| c.targets.iter().map(move |t| (c, t)));
    let count = all.clone().count();
    for (c, t) in all.take(limit.unwrap_or(usize::MAX)) {
        let (mark, class) = match t.achieved() {
            Some(true) => (format!("✓ {}", w.met), "ok"),
            Some(false) => (format!("✗ {}", w.missed), "bad"),
            None => (format!("– {}", w.no_data), ""),
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"{class}\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&c.id),
            esc(&t.target.name),
            pct(t.rate()),
            esc(&goal(t.target.rate)),
            bar(t.rate(), Some(t.target.rate)),
            esc(&mark),
            esc(&w.of_visits(t.met, t.measured))
        );
    }
    html.push_str("</tbody>\n</table>\n");
    let left = count.saturating_sub(limit.unwrap_or(usize::MAX));
    if left > 0 {
        let _ = writeln!(html, "<p class=\"meta\">{}</p>", esc(&w.targets_more(left)));
    }
}

/// A target's rate in each of `weeks`.
pub fn target_points<'a>(weeks: &'a [GroupStats], checklist: &str, name: &str) -> Vec<Point<'a>> {
    weeks
        .iter()
        .map(|week| {
            let t = week
                .targets
                .iter()
                .find(|t| t.checklist == checklist && t.target.name == name);
            Point {
                key: &week.key,
                rate: t.and_then(|t| t.rate()),
                visits: t.map_or(0, |t| t.measured),
            }
        })
        .collect()
}

/// Per-week charts of each target (compliance when no checklist sets one), latest weeks.
fn charts(html: &mut String, stats: &Stats, w: &Words) {
    let start = stats.weeks.len().saturating_sub(CHART_WEEKS);
    let weeks = &stats.weeks[start..];
    if weeks.is_empty() {
        return;
    }
    let mut figures: Vec<String> = Vec::new();
    for c in &stats.checklists {
        for t in &c.targets {
            let caption = format!(
                "{} · {} · {}",
                c.id,
                w.target_goal(&t.target.name, &goal(t.target.rate)),
                w.per_week
            );
            let points = target_points(weeks, &c.id, &t.target.name);
            figures.push(figure(
                &caption,
                &week_chart(&points, Some(t.target.rate), &caption),
            ));
        }
    }
    if figures.is_empty() || figures.len() % 2 == 1 {
        let caption = format!("{} · {}", w.compliance, w.per_week);
        let points: Vec<Point> = weeks
            .iter()
            .map(|g| Point {
                key: &g.key,
                rate: g.compliance.rate(),
                visits: g.visits,
            })
            .collect();
        figures.push(figure(&caption, &week_chart(&points, None, &caption)));
    }
    html.push_str("<div class=\"grid2 charts\">\n");
    // Two charts side by side fill the page's width; more would not fit one page.
    for f in figures.iter().take(2) {
        html.push_str(f);
    }
    html.push_str("</div>\n");
}

pub fn figure(caption: &str, svg: &str) -> String {
    format!(
        "<figure><figcaption>{}</figcaption>\n{svg}</figure>\n",
        esc(caption)
    )
}

fn rankings(html: &mut String, rankings: &[TargetRanking], w: &Words) {
    if rankings.is_empty() {
        return;
    }
    let _ = writeln!(html, "<h2>{}</h2>\n<div class=\"grid2\">", esc(w.ranking));
    // Two rankings fit beside each other; the detail has every one, whole.
    for ranking in rankings.iter().take(2) {
        let rows = &ranking.rows;
        let meeting = rows
            .iter()
            .filter(|r| ranking.achieved(r) == Some(true))
            .count();
        let _ = writeln!(
            html,
            "<div><h3>{} · {}</h3><p class=\"meta\">{}</p>",
            esc(&ranking.checklist),
            esc(&w.target_goal(&ranking.target.name, &goal(ranking.target.rate))),
            esc(&w.meeting(meeting, rows.len()))
        );
        let shown: Vec<usize> = if rows.len() <= 2 * RANK_ENDS + 1 {
            (0..rows.len()).collect()
        } else {
            (0..RANK_ENDS)
                .chain(rows.len() - RANK_ENDS..rows.len())
                .collect()
        };
        ranking_table(html, ranking, &shown, w);
        html.push_str("</div>\n");
    }
    html.push_str("</div>\n");
}

/// The rows of `ranking` at the positions `shown` (ascending), a gap row where some are left
/// out.
pub fn ranking_table(html: &mut String, ranking: &TargetRanking, shown: &[usize], w: &Words) {
    let _ = writeln!(
        html,
        "<table class=\"ranking\">\n<colgroup><col style=\"width:9%\"><col style=\"width:33%\"><col style=\"width:17%\"><col style=\"width:41%\"></colgroup>\n<thead><tr><th>#</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
        esc(w.technician),
        esc(w.rate),
        esc(w.visits)
    );
    let mut next = 0;
    for &i in shown {
        let Some(row) = ranking.rows.get(i) else {
            continue;
        };
        if i > next {
            let _ = writeln!(
                html,
                "<tr class=\"gap\"><td colspan=\"4\">{}</td></tr>",
                esc(&w.more_between(i - next))
            );
        }
        next = i + 1;
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td class=\"n {}\">{}</td><td class=\"n\">{}</td></tr>",
            i + 1,
            esc(&row.technician),
            class(row.rate(), Some(ranking.target.rate)),
            pct(row.rate()),
            esc(&w.of_visits(row.met, row.measured))
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

fn comparison(html: &mut String, c: &Comparison, w: &Words) {
    let (now, before) = (&c.current.stats, &c.previous.stats);
    let _ = writeln!(
        html,
        "<h2>{}</h2>\n<table class=\"comparison\">\n<colgroup><col style=\"width:40%\"><col style=\"width:20%\"><col style=\"width:20%\"><col style=\"width:20%\"></colgroup>\n<thead><tr><th></th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
        esc(&w.comparison(
            &c.current.from.to_string(),
            &c.current.until.to_string(),
            c.days()
        )),
        esc(w.this_period),
        esc(w.previous_period),
        esc(w.change)
    );
    let count = |a: u32, b: u32| format!("{:+}", i64::from(a) - i64::from(b));
    let points = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:+.1}", (a - b) * 100.0),
        _ => "—".to_owned(),
    };
    let mut row = |name: &str, a: String, b: String, change: String, class: &str| {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"n {class}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(name),
            esc(&a),
            esc(&b),
            esc(&change)
        );
    };
    row(
        w.finished,
        now.visits.to_string(),
        before.visits.to_string(),
        count(now.visits, before.visits),
        "",
    );
    let (a, b) = (now.compliance.rate(), before.compliance.rate());
    row(w.compliance, pct(a), pct(b), points(a, b), "");
    row(
        w.rushed,
        now.rushed.to_string(),
        before.rushed.to_string(),
        count(now.rushed, before.rushed),
        "",
    );
    let targets = now
        .checklists
        .iter()
        .flat_map(|c| c.targets.iter().map(move |t| (c, t)));
    for (checklist, t) in targets.take(SUMMARY_TARGETS) {
        let earlier = before
            .checklists
            .iter()
            .find(|c| c.id == checklist.id)
            .and_then(|c| c.targets.iter().find(|e| e.target.name == t.target.name))
            .and_then(|e| e.rate());
        row(
            &format!("{} · {}", checklist.id, t.target.name),
            pct(t.rate()),
            pct(earlier),
            points(t.rate(), earlier),
            class(t.rate(), Some(t.target.rate)),
        );
    }
    html.push_str("</tbody>\n</table>\n");
}
