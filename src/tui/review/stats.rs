//! Drawing the stats tab: the figures of the visits the list holds (its search and filters
//! apply) — each checklist's targets met or not, compliance per section and per item, per
//! technician and per ISO week, as bars. Wide terminals show two columns side by side.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::present::{sanitize, truncate};
use crate::review::stats::{ChecklistStats, Compliance, GroupStats, TargetStats};
use crate::tui::theme::{SYMBOL_FAIL, SYMBOL_PASS, Theme};

use super::ReviewScreen;
use super::strings::ReviewStrings;
use super::widgets::{self, SYMBOL_RUSHED, bar, cell, count, percent};

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

/// The report's parts: each checklist's sections and items; the overview and targets; the
/// technicians and weeks. Two columns put the checklists on the left; one column has them
/// between the other two.
struct Report {
    checklists: Vec<Line<'static>>,
    top: Vec<Line<'static>>,
    bottom: Vec<Line<'static>>,
}

fn report(screen: &ReviewScreen, left_width: usize, right_width: usize) -> Report {
    let s = screen.s();
    let theme = screen.theme;
    let lang = screen.lang.tag();
    let Some(stats) = &screen.stats else {
        return Report {
            checklists: Vec::new(),
            top: Vec::new(),
            bottom: Vec::new(),
        };
    };
    let mut right = Vec::new();
    right.push(heading(s.overview, theme));
    let mut overview = format!(
        "  {} {} · {} {}",
        count(stats.visits as usize),
        s.counted,
        s.compliance,
        percent(stats.compliance.rate())
    );
    if stats.rushed > 0 {
        overview.push_str(&format!(" · {SYMBOL_RUSHED} {} {}", stats.rushed, s.rushed));
    }
    if stats.skipped > 0 {
        overview.push_str(&format!(" · {} {}", stats.skipped, s.skipped));
    }
    right.push(Line::raw(truncate(&overview, right_width)));
    right.push(Line::raw(""));

    right.push(heading(s.targets, theme));
    let targets: Vec<(&ChecklistStats, &TargetStats)> = stats
        .checklists
        .iter()
        .flat_map(|c| c.targets.iter().map(move |t| (c, t)))
        .collect();
    if targets.is_empty() {
        right.push(Line::styled(format!("  {}", s.no_targets), theme.dim()));
    }
    for (checklist, target) in targets {
        target_lines(screen, checklist, target, right_width, &mut right);
    }
    right.push(Line::raw(""));

    let mut bottom = Vec::new();
    bottom.push(heading(s.per_technician, theme));
    groups(screen, &stats.technicians, right_width, &mut bottom);
    bottom.push(Line::raw(""));
    bottom.push(heading(s.per_week, theme));
    groups(screen, &stats.weeks, right_width, &mut bottom);

    let mut left = Vec::new();
    for checklist in &stats.checklists {
        let default = checklist.default_language.as_deref();
        let title = sanitize(checklist.title.get(lang, default));
        left.push(Line::from(vec![
            Span::styled(
                truncate(&title, left_width.saturating_sub(1)),
                theme.title(),
            ),
            Span::styled(
                truncate(
                    &format!(
                        " · {} {} · {} {}",
                        count(checklist.visits as usize),
                        s.visits,
                        s.compliance,
                        percent(checklist.compliance.rate())
                    ),
                    left_width.saturating_sub(title.width() + 1),
                ),
                theme.dim(),
            ),
        ]));
        left.push(Line::styled(format!(" {}", s.sections), theme.title()));
        let sections: Vec<(String, Compliance, String)> = checklist
            .sections
            .iter()
            .map(|sec| {
                (
                    sanitize(sec.title.get(lang, default)),
                    sec.compliance,
                    String::new(),
                )
            })
            .collect();
        bars(screen, &sections, left_width, &mut left);
        left.push(Line::styled(format!(" {}", s.per_item), theme.title()));
        let items: Vec<(String, Compliance, String)> = checklist
            .items
            .iter()
            .map(|item| {
                let fails = if item.compliance.failed > 0 {
                    format!("{SYMBOL_FAIL}{}", item.compliance.failed)
                } else {
                    String::new()
                };
                (
                    sanitize(item.prompt.get(lang, default)),
                    item.compliance,
                    fails,
                )
            })
            .collect();
        bars(screen, &items, left_width, &mut left);
        left.push(Line::raw(""));
    }
    Report {
        checklists: left,
        top: right,
        bottom,
    }
}

fn heading(text: &str, theme: Theme) -> Line<'static> {
    Line::styled(text.to_owned(), theme.title())
}

/// A target: met or not (symbol and word), its rule, then a bar of the rate achieved.
fn target_lines(
    screen: &ReviewScreen,
    checklist: &ChecklistStats,
    target: &TargetStats,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    let s = screen.s();
    let theme = screen.theme;
    let lang = screen.lang.tag();
    let default = checklist.default_language.as_deref();
    let (symbol, word, style) = match target.achieved() {
        Some(true) => (SYMBOL_PASS, s.target_met, theme.pass()),
        Some(false) => (SYMBOL_FAIL, s.target_missed, theme.fail()),
        None => ("?", s.target_unmeasured, theme.dim()),
    };
    let item = checklist
        .items
        .iter()
        .find(|i| i.id == target.target.item)
        .map_or_else(
            || target.target.item.clone(),
            |i| sanitize(i.prompt.get(lang, default)),
        );
    let title = sanitize(checklist.title.get(lang, default));
    let head = format!("{symbol} {word}");
    lines.push(Line::from(vec![
        Span::styled(format!("  {head}"), style),
        Span::raw(truncate(
            &format!(" · {title} · {item}"),
            width.saturating_sub(head.width() + 2),
        )),
    ]));
    let rule = rule_text(s, target);
    let rate = target.rate();
    let extra = format!("{}/{}", target.met, target.measured);
    lines.push(bar_line(
        screen,
        &rule,
        rule.width() + 1,
        rate,
        Some(target.target.rate),
        &extra,
        width,
    ));
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

/// Technicians or weeks: a bar of compliance, then visits, mean score, failed, rushed.
fn groups(
    screen: &ReviewScreen,
    groups: &[GroupStats],
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    let s = screen.s();
    let rows: Vec<(String, Compliance, String)> = groups
        .iter()
        .map(|g| {
            let mut extra = format!(
                "{} {} · {} {}",
                count(g.visits as usize),
                s.visits,
                s.mean_score,
                percent(g.mean_score())
            );
            if g.failed_visits > 0 {
                extra.push_str(&format!(" · {SYMBOL_FAIL}{}", g.failed_visits));
            }
            if g.rushed > 0 {
                extra.push_str(&format!(" · {SYMBOL_RUSHED}{}", g.rushed));
            }
            (sanitize(&g.key), g.compliance, extra)
        })
        .collect();
    bars(screen, &rows, width, lines);
}

/// Rows of (label, compliance, extra text), labels aligned.
fn bars(
    screen: &ReviewScreen,
    rows: &[(String, Compliance, String)],
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    let label_width = rows.iter().map(|(l, _, _)| l.width()).max().unwrap_or(0) + 1;
    for (label, compliance, extra) in rows {
        lines.push(bar_line(
            screen,
            label,
            label_width,
            compliance.rate(),
            None,
            extra,
            width,
        ));
    }
}

/// `  label    ██████▌····  83%  extra`: the label column at most two fifths of the width,
/// the bar up to 24 columns; with a `goal`, the bar shows it as `│`.
fn bar_line(
    screen: &ReviewScreen,
    label: &str,
    label_width: usize,
    rate: Option<f64>,
    goal: Option<f64>,
    extra: &str,
    width: usize,
) -> Line<'static> {
    let s = screen.s();
    let theme = screen.theme;
    let label_width = label_width.min(width * 2 / 5).max(4);
    let bar_width = width.saturating_sub(label_width + 3 + 6).clamp(4, 24);
    let mut spans = vec![Span::raw(format!("  {} ", cell(label, label_width, false)))];
    match rate {
        Some(rate) => {
            let style = rate_style(theme, rate, goal);
            let (filled, empty) = bar(rate, bar_width);
            let mut empty_spans = vec![Span::styled(empty.clone(), theme.dim())];
            if let Some(goal) = goal {
                // The goal's place on the bar, where it falls in the empty part.
                let at = (goal.clamp(0.0, 1.0) * bar_width as f64).round() as usize;
                let filled_width = filled.width();
                if at >= filled_width && at < bar_width {
                    let before = at - filled_width;
                    let after = empty.chars().count().saturating_sub(before + 1);
                    empty_spans = vec![
                        Span::styled("·".repeat(before), theme.dim()),
                        Span::styled("│", theme.warn()),
                        Span::styled("·".repeat(after), theme.dim()),
                    ];
                }
            }
            spans.push(Span::styled(filled, style));
            spans.extend(empty_spans);
            spans.push(Span::styled(cell(&percent(Some(rate)), 5, true), style));
        }
        None => {
            spans.push(Span::styled(
                cell(s.nothing_scored, bar_width + 5, false),
                theme.dim(),
            ));
        }
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    if !extra.is_empty() && used + 3 < width {
        spans.push(Span::styled(
            truncate(&format!("  {extra}"), width - used),
            theme.dim(),
        ));
    }
    Line::from(spans)
}

/// Green from 90% (or the goal) up, yellow from 75%, red below: the percentage says it too.
fn rate_style(theme: Theme, rate: f64, goal: Option<f64>) -> Style {
    let good = goal.unwrap_or(0.9);
    let fair = goal.unwrap_or(0.75);
    if rate + 1e-9 >= good {
        theme.pass()
    } else if rate + 1e-9 >= fair {
        theme.warn()
    } else {
        theme.fail()
    }
}
