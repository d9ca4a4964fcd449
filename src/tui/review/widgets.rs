//! What the review screens share: the title bar with its tabs, the status and key lines,
//! the boxes over the screen (comment, name, help), bars, and cells cut to a width.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::log::review::Verdict;
use crate::present::{sanitize, truncate};
use crate::review::filter::VerdictFilter;
use crate::store::index::summary::{VisitStatus, VisitSummary};
use crate::tui::input::LineInput;
use crate::tui::theme::{SYMBOL_FAIL, SYMBOL_NA, SYMBOL_PASS, Theme};
use crate::visit::VisitResult;

use super::order::Column;
use super::strings::ReviewStrings;
use super::{Message, Modal, ReviewScreen, Tab};

pub const SYMBOL_FOLLOW_UP: &str = "↻";
pub const SYMBOL_RUSHED: &str = "»";
pub const SYMBOL_FLAG: &str = "⚑";
pub const SYMBOL_WARN: &str = "⚠";
pub const SYMBOL_OPEN: &str = "○";

pub fn verdict_word(s: &ReviewStrings, verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Approved => s.approved,
        Verdict::FollowUp => s.follow_up,
        Verdict::Rejected => s.rejected,
    }
}

/// A verdict's symbol and style: never colour alone.
pub fn verdict_look(theme: Theme, verdict: Verdict) -> (&'static str, Style) {
    match verdict {
        Verdict::Approved => (SYMBOL_PASS, theme.pass()),
        Verdict::FollowUp => (SYMBOL_FOLLOW_UP, theme.warn()),
        Verdict::Rejected => (SYMBOL_FAIL, theme.fail()),
    }
}

/// The result of a visit as the list and the detail show it: symbol, word, style.
pub fn result_look(
    screen: &ReviewScreen,
    visit: &VisitSummary,
) -> (&'static str, &'static str, Style) {
    let s = screen.s();
    let run = crate::tui::strings::strings(screen.lang);
    let theme = screen.theme;
    match (visit.status, visit.result) {
        (VisitStatus::Finished, Some(VisitResult::Fail)) => (SYMBOL_FAIL, run.fail, theme.fail()),
        (VisitStatus::Finished, _) => (SYMBOL_PASS, run.pass, theme.pass()),
        (VisitStatus::Open, _) => (SYMBOL_OPEN, s.open, Style::new()),
        (VisitStatus::Abandoned, _) => (SYMBOL_NA, s.abandoned, theme.dim()),
        (VisitStatus::Unreadable, _) => ("?", s.unreadable, theme.fail()),
    }
}

pub fn status_word(s: &ReviewStrings, status: Option<VisitStatus>) -> &'static str {
    match status {
        None => s.all,
        Some(VisitStatus::Open) => s.open,
        Some(VisitStatus::Finished) => s.finished,
        Some(VisitStatus::Abandoned) => s.abandoned,
        Some(VisitStatus::Unreadable) => s.unreadable,
    }
}

pub fn verdict_filter_word(s: &ReviewStrings, verdict: Option<VerdictFilter>) -> &'static str {
    match verdict {
        None => s.all,
        Some(VerdictFilter::Unreviewed) => s.unreviewed,
        Some(VerdictFilter::ToReview) => s.to_review,
        Some(VerdictFilter::Is(v)) => verdict_word(s, v),
    }
}

pub fn column_title(s: &ReviewStrings, column: Column) -> &'static str {
    match column {
        Column::Date => s.col_date,
        Column::Technician => s.col_technician,
        Column::Checklist => s.col_checklist,
        Column::WorkOrder => s.col_work_order,
        Column::Duration => s.col_duration,
        Column::Score => s.col_score,
        Column::Result => s.col_result,
        Column::Failures => s.col_failures,
        Column::Rushed => s.col_rushed,
        Column::Integrity => s.col_integrity,
        Column::Verdict => s.col_verdict,
    }
}

/// `h:mm:ss`.
pub fn duration(ms: u64) -> String {
    let secs = ms / 1000;
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

/// A number with thousands separators: `100,000`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `text` cut to `width` columns and padded to exactly `width`, on the left or the right.
pub fn cell(text: &str, width: usize, right: bool) -> String {
    let text = truncate(text, width);
    let pad = " ".repeat(width.saturating_sub(text.width()));
    if right {
        format!("{pad}{text}")
    } else {
        format!("{text}{pad}")
    }
}

pub use crate::present::wrap;

/// A horizontal bar `width` columns wide, filled to `rate` with eighths of a block.
pub fn bar(rate: f64, width: usize) -> (String, String) {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (rate.clamp(0.0, 1.0) * (width * 8) as f64).round() as usize;
    let full = eighths / 8;
    let part = PARTS[eighths % 8];
    let filled = format!("{}{part}", "█".repeat(full));
    let used = full + usize::from(!part.is_empty());
    (filled, "·".repeat(width.saturating_sub(used)))
}

/// The first row: the app, the reviewer, and the two tabs.
pub fn render_title(screen: &ReviewScreen, frame: &mut Frame, area: Rect) {
    let s = screen.s();
    let theme = screen.theme;
    let who = screen
        .reviewer
        .as_deref()
        .map(|r| format!(" · {}", sanitize(r)))
        .unwrap_or_default();
    let tabs = [(Tab::List, s.tab_list), (Tab::Stats, s.tab_stats)];
    let mut right: Vec<Span> = Vec::new();
    for (tab, name) in tabs {
        let style = if tab == screen.tab && screen.detail.is_none() {
            theme.selected()
        } else {
            theme.dim()
        };
        right.push(Span::raw(" "));
        right.push(Span::styled(format!(" {name} "), style));
    }
    let right_width: usize = right.iter().map(|s| s.content.width()).sum();
    let left = truncate(
        &format!("{}{who}", s.title),
        usize::from(area.width).saturating_sub(right_width + 1),
    );
    let pad = usize::from(area.width).saturating_sub(left.width() + right_width);
    let mut spans = vec![
        Span::styled(left, theme.title()),
        Span::raw(" ".repeat(pad)),
    ];
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The line that says what the list holds: counts, filters, search and sort. When that
/// does not fit, the labels go and only the filters in force are named.
pub fn render_status(screen: &ReviewScreen, frame: &mut Frame, area: Rect) {
    let s = screen.s();
    let theme = screen.theme;
    let query = screen.rows.query();
    // A paged list is counted just after its first page is drawn: "…" until then.
    let counts = screen.rows.counts(&screen.store);
    let shown = counts.map_or_else(|| "…".to_owned(), |(listed, _)| count(listed));
    let total_n = counts.map_or(0, |(_, all)| all);
    let total = counts.map_or_else(|| "…".to_owned(), |(_, all)| count(all));
    let arrow = if query.reverse { "↓" } else { "↑" };
    let sort = format!("{} {arrow}", column_title(s, query.sort));
    let search = (!screen.search.text().is_empty())
        .then(|| format!("\"{}\"", sanitize(screen.search.text())));
    let parts = [
        (
            s.status_filter,
            status_word(s, query.status).to_owned(),
            query.status.is_some(),
        ),
        (
            s.verdict_filter,
            verdict_filter_word(s, query.verdict).to_owned(),
            query.verdict.is_some(),
        ),
    ];
    // With every filter named; then only the filters in force; then without the labels.
    let labelled = |spans: &mut Vec<Span<'static>>, all: bool| {
        spans.push(Span::styled(
            format!("{shown} {} {total} {}", s.visits_of, s.visits_word(total_n)),
            theme.title(),
        ));
        let mut part = |label: &str, value: String, active: bool| {
            spans.push(Span::styled(" · ", theme.dim()));
            spans.push(Span::styled(format!("{label}{}", s.colon), theme.dim()));
            spans.push(Span::styled(
                value,
                if active { theme.warn() } else { Style::new() },
            ));
        };
        for (label, value, active) in parts.clone() {
            if all || active {
                part(label, value, active);
            }
        }
        if let Some(search) = &search {
            part(s.search, search.clone(), true);
        }
        part(s.sort, sort.clone(), false);
    };
    let fits = |spans: &[Span]| Line::from(spans.to_vec()).width() <= usize::from(area.width);
    let mut spans = Vec::new();
    labelled(&mut spans, true);
    if !fits(&spans) {
        spans.clear();
        labelled(&mut spans, false);
    }
    if !fits(&spans) {
        spans = vec![Span::styled(format!("{shown}/{total}"), theme.title())];
        let active = parts
            .iter()
            .filter(|(_, _, active)| *active)
            .map(|(_, value, _)| value.clone())
            .chain(search.clone());
        for value in active {
            spans.push(Span::styled(" · ", theme.dim()));
            spans.push(Span::styled(value, theme.warn()));
        }
        spans.push(Span::styled(" · ", theme.dim()));
        spans.push(Span::raw(sort.clone()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The message line, or the search being typed.
pub fn render_message(screen: &ReviewScreen, frame: &mut Frame, area: Rect) {
    let s = screen.s();
    let theme = screen.theme;
    if screen.searching {
        let prefix = format!("/ {}{}", s.search, s.colon);
        let text = sanitize(screen.search.text());
        let hint = format!("   {}", s.search_keys);
        let line = Line::from(vec![
            Span::styled(prefix.clone(), theme.key()),
            Span::raw(text),
            Span::styled(hint, theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        let x = area.x + (prefix.width() + screen.search.cursor_width()) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let line = match &screen.message {
        Some(Message::Info(text)) => Line::styled(sanitize(text), theme.pass()),
        Some(Message::Error(text)) => Line::styled(format!("✗ {}", sanitize(text)), theme.error()),
        None if screen.checking() => Line::styled(s.checking, theme.dim()),
        None => Line::raw(""),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The keys line: the long form when it fits, else the short one.
pub fn render_keys(screen: &ReviewScreen, frame: &mut Frame, area: Rect, long: &str, short: &str) {
    let keys = if long.width() <= usize::from(area.width) {
        long
    } else {
        short
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            truncate(keys, usize::from(area.width)),
            screen.theme.dim(),
        )),
        area,
    );
}

/// The box that has the keyboard, if any, over what is drawn.
pub fn render_modal(screen: &ReviewScreen, frame: &mut Frame, area: Rect) {
    match &screen.modal {
        None => {}
        // Drawn by the screen itself, which keeps its scroll within bounds.
        Some(Modal::Help { .. }) => {}
        Some(Modal::Name { input, .. }) => render_name_prompt(screen, frame, area, input),
        Some(Modal::Comment {
            input,
            pending,
            error,
        }) => {
            let s = screen.s();
            let theme = screen.theme;
            let (title, label) = match (pending.verdict, &pending.item) {
                (_, Some(_)) => (s.flag_title, s.comment_required),
                (Verdict::Approved, None) => (s.approve_title, s.comment_optional),
                (Verdict::FollowUp, None) => (s.follow_up_title, s.comment_required),
                (Verdict::Rejected, None) => (s.reject_title, s.comment_required),
            };
            let what = comment_subject(screen, &pending.visit, pending.item.as_deref());
            let (symbol, style) = verdict_look(theme, pending.verdict);
            let title = Line::from(vec![
                Span::styled(format!(" {symbol} {title}"), style),
                Span::styled(format!(" · {what} "), theme.title()),
            ]);
            let status = match error {
                Some(error) => Line::styled(format!("! {error}"), theme.warn()),
                None => Line::styled(s.comment_keys, theme.dim()),
            };
            input_box(screen, frame, area, title, label, input, status);
        }
    }
}

/// What a comment is about: the visit by its name (or id), and the flagged item.
fn comment_subject(screen: &ReviewScreen, visit: &str, item: Option<&str>) -> String {
    let summary = screen.store.get(visit);
    let name = summary.map_or_else(|| sanitize(visit), |v| sanitize(&v.name()));
    match item {
        None => name,
        Some(item) => {
            let prompt = summary
                .and_then(|v| v.checklist.checklist.as_ref())
                .and_then(|c| {
                    c.item(item).map(|i| {
                        i.prompt
                            .get(screen.lang.tag(), c.default_language())
                            .to_owned()
                    })
                })
                .unwrap_or_else(|| item.to_owned());
            format!("{name} · {}", sanitize(&prompt))
        }
    }
}

/// A box at the bottom of `area`: a label, the one-line input, a status line.
fn input_box(
    screen: &ReviewScreen,
    frame: &mut Frame,
    area: Rect,
    title: Line,
    label: &str,
    input: &LineInput,
    status: Line,
) {
    let theme = screen.theme;
    let height = 5.min(area.height);
    let rect = Rect {
        y: area.bottom().saturating_sub(height + 1),
        height,
        ..area
    };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.key())
        .title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let prefix = format!("{label}{}", screen.s().colon);
    let text = sanitize(input.text());
    // Keep the cursor in view when the text is wider than the box.
    let room = usize::from(inner.width)
        .saturating_sub(prefix.width() + 1)
        .max(1);
    let skip = input.cursor_width().saturating_sub(room);
    let visible = skip_columns(&text, skip);
    let lines = vec![
        Line::from(vec![
            Span::styled(prefix.clone(), theme.title()),
            Span::raw(truncate(&visible, room)),
        ]),
        Line::raw(""),
        status,
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + u16::try_from(prefix.width() + input.cursor_width() - skip).unwrap_or(0);
    frame.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y,
    ));
}

fn skip_columns(text: &str, columns: usize) -> String {
    let mut skipped = 0;
    text.chars()
        .skip_while(|c| {
            let take = skipped < columns;
            skipped += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            take
        })
        .collect()
}

/// Asking the reviewer's name (fits any size).
pub fn render_name_prompt(screen: &ReviewScreen, frame: &mut Frame, area: Rect, input: &LineInput) {
    let s = screen.s();
    let rect = Rect {
        height: 5.min(area.height),
        ..area
    };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(screen.theme.key())
        .title(Span::styled(
            format!(" {} ", s.reviewer_title),
            screen.theme.title(),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines = vec![
        Line::raw(truncate(s.reviewer_prompt, usize::from(inner.width))),
        Line::raw(sanitize(input.text())),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + input.cursor_width() as u16;
    frame.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y + 1,
    ));
}

/// The key help over the screen; returns its largest scroll and its rows of keys.
pub fn render_help(
    screen: &ReviewScreen,
    frame: &mut Frame,
    area: Rect,
    scroll: usize,
) -> (usize, u16) {
    let s = screen.s();
    let theme = screen.theme;
    let rect = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    let max_scroll = crate::tui::help::render_key_help(
        frame,
        rect,
        (
            s.help_title,
            crate::tui::strings::strings(screen.lang).help_scroll,
        ),
        s.help_lines,
        scroll,
        theme,
    );
    (max_scroll, rect.height.saturating_sub(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_numbers() {
        assert_eq!(bar(1.0, 4), ("████".to_owned(), String::new()));
        assert_eq!(bar(0.5, 3), ("█▌".to_owned(), "·".to_owned()));
        assert_eq!(bar(0.0, 2), (String::new(), "··".to_owned()));
        assert_eq!(count(100_000), "100,000");
        assert_eq!(count(999), "999");
        assert_eq!(duration(3_723_000), "1:02:03");
        assert_eq!(cell("上门服务", 5, false), "上门…");
        assert_eq!(cell("ab", 4, true), "  ab");
    }
}
