//! The key help box, shared by the technician's and the supervisor's screens.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::text::truncate;
use super::theme::Theme;

/// Draws `keys` (key, what it does) in a bordered box over `area`. One row a key, cut to
/// the width rather than wrapped under the key column, so a small terminal shows as many
/// keys as it can.
pub fn render_key_help(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    keys: &[(&str, &str)],
    theme: Theme,
) {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key_width = keys.iter().map(|(k, _)| k.width()).max().unwrap_or(10) + 2;
    let room = usize::from(inner.width).saturating_sub(key_width);
    let lines: Vec<Line> = keys
        .iter()
        .map(|(key, what)| {
            let pad = " ".repeat(key_width.saturating_sub(key.width()));
            Line::from(vec![
                Span::styled(format!("{}{pad}", truncate(key, key_width)), theme.key()),
                Span::raw(truncate(what, room)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
