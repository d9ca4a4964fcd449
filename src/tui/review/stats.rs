//! Drawing the stats tab: the figures of the visits the list holds (its search and filters
//! apply), computed by `crate::review::compute_stats` as `sitecheck stats` and the HTML
//! report do — finished visits counted, open, abandoned and damaged beside them; this period
//! against the one before; the breakdown `b` chose; each target met or not and the
//! technicians ranked against it; compliance per section and item, per technician and per
//! week (over an axis fitted to the weeks' range). Wide terminals show two columns.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::present::{sanitize, truncate};
use crate::review::breakdown::By;
use crate::review::period::Comparison;
use crate::review::ranking::TargetRanking;
use crate::review::stats::{ChecklistStats, GroupStats, Stats, TargetStats};
use crate::tui::theme::{SYMBOL_FAIL, SYMBOL_PASS, Theme};

use super::ReviewScreen;
use super::stats_bars::{Axis, BarRow, bar_line, fit, percent1, week_label};
use super::strings::ReviewStrings;
use super::widgets::{self, SYMBOL_RUSHED, count};

/// Two columns from this width on.
const TWO_COLUMNS: u16 = 120;

pub fn render(screen: &mut ReviewScreen, frame: &mut Frame, area: Rect) {
    if screen.stats.is_none() || screen.stats_is_stale() {
        screen.refresh_stats();
    }
    let [title, body, status, message, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let two = area.width >= TWO_COLUMNS;
    let (left_area, right_area) = if two {
        let [l, _, r] = Layout::horizontal([
            Constraint::Percentage(50),
            Constraint::Length(2),
            Constraint::Min(1),
        ])
        .areas(body);
        (l, r)
    } else {
        (body, body)
    };
    let Report {
        checklists,
        top,
        bottom,
    } = report(
        screen,
        usize::from(left_area.width),
        usize::from(right_area.width),
    );
    let (left, right) = if two {
        (checklists, top.into_iter().chain(bottom).collect())
    } else {
        (
            top.into_iter().chain(checklists).chain(bottom).collect(),
            Vec::new(),
        )
    };
    let page = usize::from(body.height).max(1);
    let total = if two {
        left.len().max(right.len())
    } else {
        left.len() + right.len()
    };
    screen.page = page;
    screen.stats_lines = total;
    screen.stats_scroll = screen.stats_scroll.min(total.saturating_sub(page));
    let screen = &*screen;
    let s = screen.s();
    let scroll = screen.stats_scroll;
    widgets::render_title(screen, frame, title);
    if two {
        let l: Vec<Line> = left.into_iter().skip(scroll).take(page).collect();
        let r: Vec<Line> = right.into_iter().skip(scroll).take(page).collect();
        frame.render_widget(Paragraph::new(l), left_area);
        frame.render_widget(Paragraph::new(r), right_area);
    } else {
        let all: Vec<Line> = left.into_iter().skip(scroll).take(page).collect();
        frame.render_widget(Paragraph::new(all), body);
    }
    widgets::render_status(screen, frame, status);
    widgets::render_message(screen, frame, message);
    widgets::render_keys(screen, frame, keys, s.stats_keys, s.stats_keys_short);
}

/// The report's parts: each checklist's sections and items; the overview, breakdown,
/// targets and rankings; the technicians and weeks. Two columns put the checklists on the
/// left; one column has them between the other two.
struct Report {
    checklists: Vec<Line<'static>>,
    top: Vec<Line<'static>>,
    bottom: Vec<Line<'static>>,
}

/// What every part of the tab draws with.
struct Pen<'a> {
    s: &'static ReviewStrings,
    theme: Theme,
    lang: &'a str,
    width: usize,
}

impl Pen<'_> {
    fn heading(&self, text: &str) -> Line<'static> {
        Line::styled(truncate(text, self.width), self.theme.title())
    }

    /// A heading wrapped onto as many lines as it needs, never cut.
    fn headings(&self, text: &str, lines: &mut Vec<Line<'static>>) {
        for line in crate::present::wrap(text, self.width) {
            lines.push(Line::styled(line, self.theme.title()));
        }
    }

    /// A line of parts joined by ` · `, wrapped onto more lines rather than cut.
    fn parts(&self, parts: &[String], lines: &mut Vec<Line<'static>>) {
        let mut line = String::new();
        for part in parts {
            let next = if line.is_empty() {
                format!("  {part}")
            } else {
                format!("{line} · {part}")
            };
            if next.width() > self.width && !line.is_empty() {
                lines.push(Line::raw(line));
                line = format!("  {part}");
            } else {
                line = next;
            }
        }
        if !line.is_empty() {
            lines.push(Line::raw(truncate(&line, self.width)));
        }
    }

    fn bars(&self, rows: &[BarRow], axis: Axis, lines: &mut Vec<Line<'static>>) {
        let columns = fit(rows, self.width);
        for row in rows {
            lines.push(bar_line(
                self.theme,
                self.s.nothing_scored,
                row,
                columns,
                axis,
            ));
        }
    }
}

fn report(screen: &ReviewScreen, left_width: usize, right_width: usize) -> Report {
    let Some(stats) = &screen.stats else {
        return Report {
            checklists: Vec::new(),
            top: Vec::new(),
            bottom: Vec::new(),
        };
    };
    let right = Pen {
        s: screen.s(),
        theme: screen.theme,
        lang: screen.lang.tag(),
        width: right_width,
    };
    let left = Pen {
        width: left_width,
        ..right
    };
    let mut top = Vec::new();
    overview(&right, stats, &mut top);
    if let Some(comparison) = &screen.comparison {
        period(&right, comparison, &mut top);
    }
    if let Some(breakdown) = &stats.breakdown {
        let dimension = dimension_word(right.s, &breakdown.by);
        top.push(right.heading(&right.s.breakdown.replace("{dimension}", &dimension)));
        let label = |key: &str| sanitize(breakdown.label(key, right.lang));
        groups(
            &right,
            &breakdown.groups,
            breakdown.by == By::Week,
            &label,
            &mut top,
        );
        top.push(Line::raw(""));
    }
    targets(&right, stats, &mut top);
    for ranking in &stats.rankings {
        rank(&right, ranking, &mut top);
    }
    let mut bottom = Vec::new();
    bottom.push(right.heading(right.s.per_technician));
    groups(
        &right,
        &stats.technicians,
        false,
        &|k| sanitize(k),
        &mut bottom,
    );
    bottom.push(Line::raw(""));
    groups_heading_weeks(&right, &stats.weeks, &mut bottom);
    groups(&right, &stats.weeks, true, &|k| sanitize(k), &mut bottom);

    let mut lines = Vec::new();
    for checklist in &stats.checklists {
        checklist_lines(&left, checklist, &mut lines);
    }
    Report {
        checklists: lines,
        top,
        bottom,
    }
}

/// Counted, compliance, rushed; then what is beside the figures.
fn overview(pen: &Pen, stats: &Stats, lines: &mut Vec<Line<'static>>) {
    let s = pen.s;
    lines.push(pen.heading(s.overview));
    let mut parts = vec![
        format!(
            "{} {}",
            count(stats.visits as usize),
            if stats.visits == 1 {
                s.finished_counted_one
            } else {
                s.finished_counted
            }
        ),
        format!("{} {}", s.compliance, percent1(stats.compliance.rate())),
    ];
    if stats.rushed > 0 {
        parts.push(format!(
            "{SYMBOL_RUSHED} {} {}",
            count(stats.rushed as usize),
            s.rushed
        ));
    }
    pen.parts(&parts, lines);
    let mut beside = vec![
        s.beside
            .replace("{open}", &count(stats.open as usize))
            .replace("{abandoned}", &count(stats.abandoned as usize)),
    ];
    if stats.skipped > 0 {
        beside.push(format!("{} {}", count(stats.skipped as usize), s.skipped));
    }
    pen.parts(&beside, lines);
    lines.push(Line::raw(""));
}

/// This period against the previous one: visits, compliance, rushed, each target.
fn period(pen: &Pen, c: &Comparison, lines: &mut Vec<Line<'static>>) {
    let s = pen.s;
    lines.push(pen.heading(&s.comparison.replace("{days}", &c.days().to_string())));
    lines.push(Line::styled(
        format!("  {} – {}", c.current.from, c.current.until),
        pen.theme.dim(),
    ));
    let (now, then) = (&c.current.stats, &c.previous.stats);
    let row = |label: &str, now: String, then: String, change: String| {
        let text = s
            .then_and_now
            .replace("{now}", &now)
            .replace("{before}", s.previous_period)
            .replace("{then}", &then)
            .replace("{change}", &change);
        (label.to_owned(), text)
    };
    let points = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:+.1}", (a - b) * 100.0),
        _ => "—".to_owned(),
    };
    let mut rows = vec![
        row(
            s.visits_label,
            count(now.visits as usize),
            count(then.visits as usize),
            format!("{:+}", i64::from(now.visits) - i64::from(then.visits)),
        ),
        row(
            s.compliance,
            percent1(now.compliance.rate()),
            percent1(then.compliance.rate()),
            points(now.compliance.rate(), then.compliance.rate()),
        ),
        row(
            s.rushed,
            count(now.rushed as usize),
            count(then.rushed as usize),
            format!("{:+}", i64::from(now.rushed) - i64::from(then.rushed)),
        ),
    ];
    for checklist in &now.checklists {
        for target in &checklist.targets {
            let before = then.target_rate(&checklist.id, &target.target.name);
            rows.push(row(
                &format!("{} · {}", checklist.id, sanitize(&target.target.name)),
                percent1(target.rate()),
                percent1(before),
                points(target.rate(), before),
            ));
        }
    }
    for (label, figures) in rows {
        // A long label takes a line of its own: the figures are never cut.
        let line = format!("  {label} {figures}");
        if line.width() <= pen.width {
            lines.push(Line::raw(line));
        } else {
            lines.push(Line::raw(truncate(&format!("  {label}"), pen.width)));
            lines.push(Line::raw(truncate(&format!("    {figures}"), pen.width)));
        }
    }
    lines.push(Line::raw(""));
}

fn dimension_word(s: &ReviewStrings, by: &By) -> String {
    match by {
        By::Technician => s.dim_technician.to_owned(),
        By::Checklist => s.dim_checklist.to_owned(),
        By::Week => s.dim_week.to_owned(),
        By::Month => s.dim_month.to_owned(),
        By::Store => s.dim_store.to_owned(),
        By::Field(id) => format!("{} {}", s.dim_field, sanitize(id)),
    }
}

fn targets(pen: &Pen, stats: &Stats, lines: &mut Vec<Line<'static>>) {
    let s = pen.s;
    lines.push(pen.heading(s.targets));
    let all: Vec<(&ChecklistStats, &TargetStats)> = stats
        .checklists
        .iter()
        .flat_map(|c| c.targets.iter().map(move |t| (c, t)))
        .collect();
    if all.is_empty() {
        lines.push(Line::styled(format!("  {}", s.no_targets), pen.theme.dim()));
    }
    for (checklist, target) in all {
        target_lines(pen, checklist, target, lines);
    }
    lines.push(Line::raw(""));
}

/// A target: met or not (symbol and word), its name and checklist; then its rule and a bar
/// of the rate achieved, with the visits it rests on.
fn target_lines(
    pen: &Pen,
    checklist: &ChecklistStats,
    target: &TargetStats,
    lines: &mut Vec<Line<'static>>,
) {
    let s = pen.s;
    let theme = pen.theme;
    let default = checklist.default_language.as_deref();
    let (symbol, word, style) = match target.achieved() {
        Some(true) => (SYMBOL_PASS, s.target_met, theme.pass()),
        Some(false) => (SYMBOL_FAIL, s.target_missed, theme.fail()),
        None => ("?", s.target_unmeasured, theme.dim()),
    };
    let title = sanitize(checklist.title.get(pen.lang, default));
    let head = format!("  {symbol} {word}");
    let name = format!(" · {} · {title}", sanitize(&target.target.name));
    lines.push(Line::from(vec![
        Span::styled(head.clone(), style),
        Span::raw(truncate(&name, pen.width.saturating_sub(head.width()))),
    ]));
    let rule = rule_text(s, target);
    let extra = [s
        .rests_on
        .replace("{met}", &count(target.met as usize))
        .replace("{measured}", &count(target.measured as usize))];
    pen.bars(
        &[BarRow {
            label: &rule,
            rate: target.rate(),
            goal: Some(target.target.rate),
            extra: &extra,
        }],
        Axis::FULL,
        lines,
    );
}

/// `≥ 4 in ≥ 75% of visits`.
fn rule_text(s: &ReviewStrings, target: &TargetStats) -> String {
    let rate = format!("{:.0}%", target.target.rate * 100.0);
    match target.target.at_least {
        Some(at_least) => s
            .target_rule
            .replace("{at_least}", &at_least.to_string())
            .replace("{rate}", &rate),
        None => s.target_pass.replace("{rate}", &rate),
    }
}

/// The technicians against one target, those who meet it first.
fn rank(pen: &Pen, ranking: &TargetRanking, lines: &mut Vec<Line<'static>>) {
    let s = pen.s;
    let rate = format!("{:.0}%", ranking.target.rate * 100.0);
    pen.headings(
        &s.ranking
            .replace(
                "{target}",
                &format!("{} · {}", ranking.checklist, sanitize(&ranking.target.name)),
            )
            .replace("{rate}", &rate),
        lines,
    );
    let labels: Vec<String> = ranking
        .rows
        .iter()
        .enumerate()
        .map(|(n, row)| {
            let mark = match ranking.achieved(row) {
                Some(true) => SYMBOL_PASS,
                _ => SYMBOL_FAIL,
            };
            format!("{:>2} {mark} {}", n + 1, sanitize(&row.technician))
        })
        .collect();
    let extras: Vec<[String; 1]> = ranking
        .rows
        .iter()
        .map(|row| {
            [s.rests_on
                .replace("{met}", &count(row.met as usize))
                .replace("{measured}", &count(row.measured as usize))]
        })
        .collect();
    let rows: Vec<BarRow> = ranking
        .rows
        .iter()
        .zip(&labels)
        .zip(&extras)
        .map(|((row, label), extra)| BarRow {
            label,
            rate: row.rate(),
            goal: Some(ranking.target.rate),
            extra,
        })
        .collect();
    pen.bars(&rows, Axis::FULL, lines);
    lines.push(Line::raw(""));
}

/// The week chart's heading, with the axis its bars are drawn over.
fn groups_heading_weeks(pen: &Pen, weeks: &[GroupStats], lines: &mut Vec<Line<'static>>) {
    let axis = week_axis(weeks);
    let range = pen
        .s
        .axis
        .replace("{lo}", &format!("{:.0}%", axis.lo * 100.0))
        .replace("{hi}", &format!("{:.0}%", axis.hi * 100.0));
    lines.push(pen.heading(&format!("{} · {range}", pen.s.per_week)));
}

fn week_axis(weeks: &[GroupStats]) -> Axis {
    Axis::fitted(weeks.iter().filter_map(|w| w.compliance.rate()))
}

/// Technicians, weeks or a breakdown's groups: a bar of compliance, then visits, mean
/// score, failed, rushed. Weeks read `W47 11-16` over an axis fitted to their range.
fn groups(
    pen: &Pen,
    groups: &[GroupStats],
    weeks: bool,
    label: &dyn Fn(&str) -> String,
    lines: &mut Vec<Line<'static>>,
) {
    let s = pen.s;
    let labels: Vec<String> = groups
        .iter()
        .map(|g| {
            if weeks {
                week_label(&g.key)
            } else {
                label(&g.key)
            }
        })
        .collect();
    let extras: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            let n = g.visits as usize;
            let mut extra = vec![format!("{} {}", count(n), s.visits_word(n))];
            if g.failed_visits > 0 {
                extra.push(format!("{SYMBOL_FAIL}{}", count(g.failed_visits as usize)));
            }
            if g.rushed > 0 {
                extra.push(format!("{SYMBOL_RUSHED}{}", count(g.rushed as usize)));
            }
            // The week chart is for the trend: its bars keep the room.
            if !weeks {
                extra.push(format!(
                    "{} {}",
                    s.mean_score,
                    widgets::percent(g.mean_score())
                ));
            }
            extra
        })
        .collect();
    let rows: Vec<BarRow> = groups
        .iter()
        .zip(&labels)
        .zip(&extras)
        .map(|((g, label), extra)| BarRow {
            label,
            rate: g.compliance.rate(),
            goal: None,
            extra,
        })
        .collect();
    let axis = if weeks { week_axis(groups) } else { Axis::FULL };
    pen.bars(&rows, axis, lines);
}

/// A checklist: its title and figures, then its sections and items as bars.
fn checklist_lines(pen: &Pen, checklist: &ChecklistStats, lines: &mut Vec<Line<'static>>) {
    let s = pen.s;
    let theme = pen.theme;
    let default = checklist.default_language.as_deref();
    let title = sanitize(checklist.title.get(pen.lang, default));
    // The figures first in width: the title gives way.
    let figures = format!(
        " · {} {} · {} {}",
        count(checklist.visits as usize),
        s.visits_word(checklist.visits as usize),
        s.compliance,
        percent1(checklist.compliance.rate())
    );
    lines.push(Line::from(vec![
        Span::styled(
            truncate(&title, pen.width.saturating_sub(figures.width()).max(8)),
            theme.title(),
        ),
        Span::styled(figures, theme.dim()),
    ]));
    lines.push(Line::styled(format!(" {}", s.sections), theme.title()));
    let titles: Vec<String> = checklist
        .sections
        .iter()
        .map(|sec| sanitize(sec.title.get(pen.lang, default)))
        .collect();
    let rows: Vec<BarRow> = checklist
        .sections
        .iter()
        .zip(&titles)
        .map(|(sec, label)| BarRow {
            label,
            rate: sec.compliance.rate(),
            goal: None,
            extra: &[],
        })
        .collect();
    pen.bars(&rows, Axis::FULL, lines);
    lines.push(Line::styled(format!(" {}", s.per_item), theme.title()));
    let prompts: Vec<String> = checklist
        .items
        .iter()
        .map(|item| sanitize(item.prompt.get(pen.lang, default)))
        .collect();
    let fails: Vec<Vec<String>> = checklist
        .items
        .iter()
        .map(|item| {
            if item.compliance.failed > 0 {
                vec![format!(
                    "{SYMBOL_FAIL}{}",
                    count(item.compliance.failed as usize)
                )]
            } else {
                Vec::new()
            }
        })
        .collect();
    let rows: Vec<BarRow> = checklist
        .items
        .iter()
        .zip(&prompts)
        .zip(&fails)
        .map(|((item, label), extra)| BarRow {
            label,
            rate: item.compliance.rate(),
            goal: None,
            extra,
        })
        .collect();
    pen.bars(&rows, Axis::FULL, lines);
    lines.push(Line::raw(""));
}
