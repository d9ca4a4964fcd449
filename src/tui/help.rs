//! The key help box, shared by the technician's and the supervisor's screens. It scrolls
//! when the keys do not fit (60x16, Chinese), rather than cutting rows off.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::present::{truncate, wrap};

/// Draws `keys` (key, what it does) in a bordered box over `area`, from row `scroll` of the
/// wrapped rows; a description wraps under its own column. Returns the largest useful
/// scroll, so that the caller can keep its offset within it.
pub fn render_key_help(
    frame: &mut Frame,
    area: Rect,
    (title, scroll_hint): (&str, &str),
    keys: &[(&str, &str)],
    scroll: usize,
    theme: Theme,
) -> usize {
    frame.render_widget(Clear, area);
    let key_width = keys.iter().map(|(k, _)| k.width()).max().unwrap_or(10) + 2;
    let inner_width = usize::from(area.width.saturating_sub(2));
    // Narrow boxes give the description more room by cutting long key names.
    let key_width = key_width.min(inner_width / 3).max(4);
    let room = inner_width.saturating_sub(key_width).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for (key, what) in keys {
        let key = truncate(key, key_width.saturating_sub(1));
        let pad = " ".repeat(key_width.saturating_sub(key.width()));
        for (i, part) in wrap(what, room).into_iter().enumerate() {
            let lead = if i == 0 {
                Span::styled(format!("{key}{pad}"), theme.key())
            } else {
                Span::raw(" ".repeat(key_width))
            };
            lines.push(Line::from(vec![lead, Span::raw(part)]));
        }
    }
    let rows = usize::from(area.height.saturating_sub(2));
    let max_scroll = lines.len().saturating_sub(rows);
    let scroll = scroll.min(max_scroll);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    if max_scroll > 0 {
        // Say that there is more, and how to reach it, where the border has room.
        let position = format!(" {}/{} · {scroll_hint} ", scroll + 1, max_scroll + 1);
        block = block.title_bottom(Line::styled(position, theme.key()).alignment(Alignment::Right));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(shown), inner);
    max_scroll
}

/// The help box's new scroll offset after a key, or `None` when the key closes it.
pub fn scroll_key(code: crossterm::event::KeyCode, scroll: usize, page: usize) -> Option<usize> {
    use crossterm::event::KeyCode;
    match code {
        KeyCode::Down | KeyCode::Char('j') => Some(scroll + 1),
        KeyCode::Up | KeyCode::Char('k') => Some(scroll.saturating_sub(1)),
        KeyCode::PageDown | KeyCode::Char(' ') => Some(scroll + page.max(1)),
        KeyCode::PageUp => Some(scroll.saturating_sub(page.max(1))),
        KeyCode::Home => Some(0),
        KeyCode::End => Some(usize::MAX / 2),
        _ => None,
    }
}
