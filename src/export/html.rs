//! `export --format html`: one self-contained page a supervisor can print — inline CSS,
//! bars drawn with CSS and one inline SVG chart, no script, no external asset. Every text
//! from a record or a checklist goes through `esc`, so a note holding `<script>` is shown
//! as those characters.

use std::fmt::Write as _;

use crate::checklist::Text;
use crate::log::integrity::IntegrityState;
use crate::log::review::Verdict;
use crate::present::duration;
use crate::review::stats::{Compliance, GroupStats, Stats};
use crate::store::index::summary::{VisitStatus, VisitSummary};

/// How many visits the "needs attention" table lists at most (a printed report, not a dump).
const ATTENTION_ROWS: usize = 300;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters (an escape sequence in a note, say) are shown, not kept.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body { font: 14px/1.4 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #222; margin: 2em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 2px solid #333; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
.meta { color: #555; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8em; margin: 1em 0; }
.card { border: 1px solid #bbb; border-radius: 4px; padding: 0.5em 0.9em; min-width: 8em; }
.card b { display: block; font-size: 1.5em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
th, td { text-align: left; padding: 0.2em 0.5em; border-bottom: 1px solid #ddd; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
.bar { position: relative; background: #eee; height: 0.9em; width: 12em; border: 1px solid #999; }
.bar span { position: absolute; left: 0; top: 0; bottom: 0; background: #2a7; }
.bar span.low { background: #c33; }
.bar i { position: absolute; top: -2px; bottom: -2px; border-left: 2px solid #000; }
.ok { color: #186; font-weight: bold; }
.bad { color: #b22; font-weight: bold; }
svg text { font-size: 10px; fill: #333; }
@media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"#;

/// The report over `visits` (all those the filter chose) and `stats` (computed over the
/// ones counted), titled with `scope`.
pub fn report(visits: &[&VisitSummary], stats: &Stats, scope: &str, lang: &str) -> String {
    let mut html = String::with_capacity(64 * 1024);
    let (first, last) = period(visits);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>sitecheck report {} – {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(lang),
        esc(first),
        esc(last)
    );
    let _ = write!(
        html,
        "<h1>Service quality report</h1>\n<p class=\"meta\">Visits from {} to {} · {} · generated {}</p>\n",
        esc(first),
        esc(last),
        esc(scope),
        esc(&crate::log::format_at(&chrono::Local::now()))
    );
    cards(&mut html, visits, stats);
    targets(&mut html, stats);
    weeks_chart(&mut html, &stats.weeks);
    for checklist in &stats.checklists {
        let default = checklist.default_language.as_deref();
        let _ = write!(
            html,
            "<h2>{} — {}</h2>\n<p>{} visits, compliance {}</p>\n",
            esc(&checklist.id),
            esc(checklist.title.get(lang, default)),
            checklist.visits,
            pct(checklist.compliance.rate())
        );
        html.push_str("<h3>Sections</h3>\n");
        compliance_table(
            &mut html,
            "Section",
            checklist
                .sections
                .iter()
                .map(|s| (text(&s.title, lang, default), s.compliance)),
        );
        html.push_str("<h3>Items</h3>\n");
        compliance_table(
            &mut html,
            "Item",
            checklist
                .items
                .iter()
                .filter(|i| i.compliance.passed + i.compliance.failed + i.compliance.na > 0)
                .map(|i| (text(&i.prompt, lang, default), i.compliance)),
        );
    }
    groups(&mut html, "By technician", "Technician", &stats.technicians);
    groups(&mut html, "By week", "Week", &stats.weeks);
    attention(&mut html, visits);
    html.push_str("</body>\n</html>\n");
    html
}

fn text(t: &Text, lang: &str, default: Option<&str>) -> String {
    t.get(lang, default).to_owned()
}

fn pct(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// The first and last day of the visits.
fn period<'a>(visits: &[&'a VisitSummary]) -> (&'a str, &'a str) {
    let days = visits.iter().map(|v| v.started_date());
    let first = days.clone().min().unwrap_or("—");
    let last = days.max().unwrap_or("—");
    (first, last)
}

fn cards(html: &mut String, visits: &[&VisitSummary], stats: &Stats) {
    let count = |f: &dyn Fn(&VisitSummary) -> bool| visits.iter().filter(|v| f(v)).count();
    let cards = [
        ("visits", visits.len().to_string()),
        // The counts come from the one computation the stats tab and `stats` share.
        ("finished", stats.visits.to_string()),
        ("open", stats.open.to_string()),
        ("abandoned", stats.abandoned.to_string()),
        ("compliance", pct(stats.compliance.rate())),
        (
            "failed visits",
            stats
                .technicians
                .iter()
                .map(|t| t.failed_visits)
                .sum::<u32>()
                .to_string(),
        ),
        ("rushed", stats.rushed.to_string()),
        (
            "approved",
            count(&|v| v.verdict() == Some(Verdict::Approved)).to_string(),
        ),
        (
            "follow-up",
            count(&|v| v.verdict() == Some(Verdict::FollowUp)).to_string(),
        ),
        (
            "rejected",
            count(&|v| v.verdict() == Some(Verdict::Rejected)).to_string(),
        ),
        ("damaged logs", stats.skipped.to_string()),
    ];
    html.push_str("<div class=\"cards\">\n");
    for (label, value) in cards {
        let _ = writeln!(
            html,
            "<div class=\"card\"><b>{}</b>{}</div>",
            esc(&value),
            esc(label)
        );
    }
    html.push_str("</div>\n");
}

/// A bar showing `rate`, with a mark at `target` when there is one.
fn bar(rate: Option<f64>, target: Option<f64>) -> String {
    let width = rate.map_or(0.0, |r| (r * 100.0).clamp(0.0, 100.0));
    let low = match (rate, target) {
        (Some(r), Some(t)) => r < t,
        (Some(r), None) => r < 0.8,
        _ => false,
    };
    let mark = target.map_or_else(String::new, |t| {
        format!(
            "<i style=\"left:{:.1}%\"></i>",
            (t * 100.0).clamp(0.0, 100.0)
        )
    });
    format!(
        "<div class=\"bar\"><span{} style=\"width:{width:.1}%\"></span>{mark}</div>",
        if low { " class=\"low\"" } else { "" }
    )
}

fn targets(html: &mut String, stats: &Stats) {
    let rows: Vec<String> = stats
        .checklists
        .iter()
        .flat_map(|c| {
            c.targets.iter().map(move |t| {
                let (mark, class) = match t.achieved() {
                    Some(true) => ("✓ met", "ok"),
                    Some(false) => ("✗ missed", "bad"),
                    None => ("– no data", ""),
                };
                format!(
                    "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"{class}\">{mark}</td><td class=\"n\">{} of {}</td></tr>\n",
                    esc(&c.id),
                    esc(&t.target.name),
                    pct(t.rate()),
                    pct(Some(t.target.rate)),
                    bar(t.rate(), Some(t.target.rate)),
                    t.met,
                    t.measured
                )
            })
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    html.push_str("<h2>Targets</h2>\n<table>\n<tr><th>Checklist</th><th>Target</th><th class=\"n\">Achieved</th><th class=\"n\">Goal</th><th></th><th></th><th class=\"n\">Visits</th></tr>\n");
    for row in rows {
        html.push_str(&row);
    }
    html.push_str("</table>\n");
}

/// Compliance per ISO week as an inline SVG bar chart.
fn weeks_chart(html: &mut String, weeks: &[GroupStats]) {
    if weeks.is_empty() {
        return;
    }
    let (bar_width, gap, height) = (18.0, 4.0, 120.0);
    let width = weeks.len() as f64 * (bar_width + gap) + 40.0;
    let _ = write!(
        html,
        "<h2>Compliance per week</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{:.0}\" role=\"img\" aria-label=\"compliance per week\">\n",
        height + 60.0
    );
    for (label, y) in [
        ("100%", 10.0),
        ("50%", 10.0 + height / 2.0),
        ("0%", 10.0 + height),
    ] {
        let _ = writeln!(
            html,
            "<line x1=\"30\" x2=\"{width:.0}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ccc\"/><text x=\"0\" y=\"{:.1}\">{label}</text>",
            y + 3.0
        );
    }
    for (i, week) in weeks.iter().enumerate() {
        let rate = week.compliance.rate().unwrap_or(0.0);
        let h = rate * height;
        let x = 34.0 + i as f64 * (bar_width + gap);
        let y = 10.0 + height - h;
        let _ = writeln!(
            html,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_width}\" height=\"{h:.1}\" fill=\"{}\"><title>{} {}</title></rect><text x=\"{x:.1}\" y=\"{:.1}\" transform=\"rotate(60 {x:.1} {:.1})\">{}</text>",
            if rate < 0.8 { "#c33" } else { "#2a7" },
            esc(&week.key),
            pct(week.compliance.rate()),
            height + 22.0,
            height + 22.0,
            esc(&week.key)
        );
    }
    html.push_str("</svg>\n");
}

fn compliance_table(
    html: &mut String,
    heading: &str,
    rows: impl Iterator<Item = (String, Compliance)>,
) {
    let _ = writeln!(
        html,
        "<table>\n<tr><th>{}</th><th class=\"n\">Compliance</th><th></th><th class=\"n\">Pass</th><th class=\"n\">Fail</th><th class=\"n\">N/A</th></tr>",
        esc(heading)
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
    html.push_str("</table>\n");
}

fn groups(html: &mut String, title: &str, heading: &str, groups: &[GroupStats]) {
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(
        html,
        "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th class=\"n\">Visits</th><th class=\"n\">Compliance</th><th></th><th class=\"n\">Mean score</th><th class=\"n\">Failed</th><th class=\"n\">Rushed</th></tr>",
        esc(title),
        esc(heading)
    );
    for g in groups {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&g.key),
            g.visits,
            pct(g.compliance.rate()),
            bar(g.compliance.rate(), None),
            pct(g.mean_score()),
            g.failed_visits,
            g.rushed
        );
    }
    html.push_str("</table>\n");
}

/// Visits a supervisor should look at: failed, rushed, sent back, or with a damaged log.
fn attention(html: &mut String, visits: &[&VisitSummary]) {
    let needs: Vec<&&VisitSummary> = visits
        .iter()
        .filter(|v| {
            (v.status == VisitStatus::Finished && v.result == Some(crate::visit::VisitResult::Fail))
                || v.rushed
                || matches!(v.verdict(), Some(Verdict::FollowUp | Verdict::Rejected))
                || v.reviews.outdated
                || !v.integrity.is_clean()
        })
        .collect();
    let _ = writeln!(
        html,
        "<h2>Visits needing attention ({})</h2>\n<table>\n<tr><th>Started</th><th>Visit</th><th>Technician</th><th>Checklist</th><th>Work order</th><th class=\"n\">Duration</th><th class=\"n\">Score</th><th>Why</th><th>Verdict</th></tr>",
        needs.len()
    );
    for v in needs.iter().take(ATTENTION_ROWS) {
        let mut why = Vec::new();
        if v.status == VisitStatus::Finished && v.result == Some(crate::visit::VisitResult::Fail) {
            why.push(format!("failed ({} items)", v.failed));
        }
        if v.rushed {
            why.push("rushed".to_owned());
        }
        match v.integrity.state() {
            IntegrityState::Damaged => why.push("damaged log".to_owned()),
            IntegrityState::Torn => why.push("torn log".to_owned()),
            IntegrityState::Clean => {}
        }
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(v.started_at.get(..16).unwrap_or(&v.started_at)),
            esc(&v.id),
            esc(&v.technician),
            esc(&v.checklist.id),
            esc(v.work_order().unwrap_or("")),
            esc(&duration(v.duration_ms)),
            pct(v.score),
            esc(&why.join(", ")),
            esc(&v.verdict_text())
        );
    }
    html.push_str("</table>\n");
    if needs.len() > ATTENTION_ROWS {
        let _ = writeln!(
            html,
            "<p class=\"meta\">… and {} more: `sitecheck list` or the review screen shows them all.</p>",
            needs.len() - ATTENTION_ROWS
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\" \u{1b}[2J"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; \u{fffd}[2J"
        );
    }

    #[test]
    fn a_report_over_nothing_is_still_a_page() {
        let html = report(&[], &Stats::default(), "no visits", "en");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.ends_with("</html>\n"));
        assert!(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    }
}
