//! The report after its summary page: every week's chart, each checklist's sections and
//! items, the figures by technician and by week, every ranking whole, and every visit that
//! needs attention.

use std::fmt::Write as _;

use crate::checklist::Text;
use crate::review::stats::{Compliance, GroupStats, Stats};

use super::attention::{Attention, table};
use super::chart::{Point, bar, week_chart, week_label};
use super::summary::{figure, ranking_table, target_points, targets};
use super::words::Words;
use super::{Report, esc, goal, pct};

pub fn detail(html: &mut String, r: &Report, attention: &[Attention], w: &Words) {
    let stats = r.stats;
    html.push_str("<section class=\"detail\">\n");
    let _ = writeln!(html, "<h2 id=\"detail\">{}</h2>", esc(w.detail));
    week_charts(html, stats, w);
    if stats.checklists.iter().any(|c| !c.targets.is_empty()) {
        targets(html, stats, w, None);
    }
    let lang = r.lang.tag();
    for checklist in &stats.checklists {
        let default = checklist.default_language.as_deref();
        let text = |t: &Text| t.get(lang, default).to_owned();
        let _ = writeln!(
            html,
            "<h2>{} — {}</h2>\n<p>{}{}{} · {}{}{}</p>",
            esc(&checklist.id),
            esc(&text(&checklist.title)),
            esc(w.finished),
            esc(w.colon()),
            checklist.visits,
            esc(w.compliance),
            esc(w.colon()),
            pct(checklist.compliance.rate())
        );
        let _ = writeln!(html, "<h3>{}</h3>", esc(w.sections));
        compliance_table(
            html,
            w.section,
            checklist
                .sections
                .iter()
                .map(|s| (text(&s.title), s.compliance)),
            w,
        );
        let _ = writeln!(html, "<h3>{}</h3>", esc(w.items));
        compliance_table(
            html,
            w.item,
            checklist
                .items
                .iter()
                .filter(|i| i.compliance.passed + i.compliance.failed + i.compliance.na > 0)
                .map(|i| (text(&i.prompt), i.compliance)),
            w,
        );
    }
    groups(
        html,
        w.by_technician,
        w.technician,
        &stats.technicians,
        w,
        false,
    );
    groups(html, w.by_week, w.week, &stats.weeks, w, true);
    if !stats.rankings.is_empty() {
        let _ = writeln!(html, "<h2>{}</h2>", esc(w.ranking));
        for ranking in &stats.rankings {
            let _ = writeln!(
                html,
                "<h3>{} · {}</h3>",
                esc(&ranking.checklist),
                esc(&w.target_goal(&ranking.target.name, &goal(ranking.target.rate)))
            );
            let all: Vec<usize> = (0..ranking.rows.len()).collect();
            ranking_table(html, ranking, &all, w);
        }
    }
    let _ = writeln!(
        html,
        "<h2 id=\"attention\">{}</h2>",
        esc(&w.attention_heading(attention.len()))
    );
    if attention.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", esc(w.attention_none));
    } else {
        table(html, attention, w, "full");
        photos(html, r, attention, w);
    }
    html.push_str("</section>\n");
}

/// The visits needing attention most, with their photos: what the supervisor looks at
/// before calling the technician. Capped, so a report of a big store stays printable.
fn photos(html: &mut String, r: &Report, attention: &[Attention], w: &Words) {
    const MOST_VISITS: usize = 30;
    let Some(photos_of) = r.photos else {
        return;
    };
    let mut heading = false;
    for row in attention.iter().take(MOST_VISITS) {
        let Some(photos) = photos_of(row.visit) else {
            continue;
        };
        if !heading {
            let _ = writeln!(html, "<h2 id=\"photos\">{}</h2>", esc(w.evidence_heading));
            heading = true;
        }
        // A visit's name, its items and their photos stay on one page.
        let _ = writeln!(
            html,
            "<div class=\"photos\">\n<h3>{} · {}</h3>",
            esc(&row.visit.name()),
            esc(&row.visit.id)
        );
        for (prompt, attached) in &photos.items {
            let _ = writeln!(html, "<p>{}</p>", esc(prompt));
            super::thumbs::figures(html, attached, &photos.files, w);
        }
        html.push_str("</div>\n");
    }
}

/// Every week: compliance, and each target against its line.
fn week_charts(html: &mut String, stats: &Stats, w: &Words) {
    if stats.weeks.is_empty() {
        return;
    }
    let caption = format!("{} · {}", w.compliance, w.per_week);
    let points: Vec<Point> = stats
        .weeks
        .iter()
        .map(|g| Point {
            key: &g.key,
            rate: g.compliance.rate(),
            visits: g.visits,
        })
        .collect();
    html.push_str(&figure(&caption, &week_chart(&points, None, &caption)));
    for c in &stats.checklists {
        for t in &c.targets {
            let caption = format!(
                "{} · {} · {}",
                c.id,
                w.target_goal(&t.target.name, &goal(t.target.rate)),
                w.per_week
            );
            let points = target_points(&stats.weeks, &c.id, &t.target.name);
            html.push_str(&figure(
                &caption,
                &week_chart(&points, Some(t.target.rate), &caption),
            ));
        }
    }
}

fn compliance_table(
    html: &mut String,
    heading: &str,
    rows: impl Iterator<Item = (String, Compliance)>,
    w: &Words,
) {
    let _ = writeln!(
        html,
        "<table>\n<colgroup><col style=\"width:46%\"><col style=\"width:11%\"><col style=\"width:19%\"><col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:8%\"></colgroup>\n<thead><tr><th>{}</th><th class=\"n\">{}</th><th></th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
        esc(heading),
        esc(w.compliance),
        esc(w.pass),
        esc(w.fail),
        esc(w.na)
    );
    for (name, c) in rows {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&name),
            pct(c.rate()),
            bar(c.rate(), None),
            c.passed,
            c.failed,
            c.na
        );
    }
    html.push_str("</tbody>\n</table>\n");
}

fn groups(
    html: &mut String,
    title: &str,
    heading: &str,
    groups: &[GroupStats],
    w: &Words,
    weeks: bool,
) {
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(
        html,
        "<h2>{}</h2>\n<table>\n<colgroup><col style=\"width:22%\"><col style=\"width:10%\"><col style=\"width:12%\"><col style=\"width:20%\"><col style=\"width:14%\"><col style=\"width:11%\"><col style=\"width:11%\"></colgroup>\n<thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th></th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
        esc(title),
        esc(heading),
        esc(w.visits),
        esc(w.compliance),
        esc(w.mean_score),
        esc(w.failed),
        esc(w.rushed)
    );
    for g in groups {
        let key = if weeks {
            let (week, monday) = week_label(&g.key);
            format!("{week} {monday}")
        } else {
            g.key.clone()
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&key),
            g.visits,
            pct(g.compliance.rate()),
            bar(g.compliance.rate(), None),
            pct(g.mean_score()),
            g.failed_visits,
            g.rushed
        );
    }
    html.push_str("</tbody>\n</table>\n");
}
