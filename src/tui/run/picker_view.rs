//! Drawing the evidence picker over the item pane: what is typed, the item's attachments,
//! the inbox's files (name, size, age) or the names that fit a typed path, and its keys.

use std::time::SystemTime;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::present::{sanitize, truncate};
use crate::visit::size_text;

use super::RunScreen;
use super::picker::{Pending, Picker, Row};

pub fn render_picker(screen: &RunScreen, frame: &mut Frame, area: Rect, picker: &Picker) {
    let s = screen.s();
    let ev = s.evidence;
    let theme = screen.theme;
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.key())
        .title(Span::styled(
            format!(" {} ", ev.picker_title),
            theme.title(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 || inner.width < 10 {
        return;
    }
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    let mut lines: Vec<Line> = Vec::new();

    // The reason asked for a change to a finished visit (what it changes above it), or the
    // filter or path.
    let (input, hint) = match &picker.reason {
        Some((pending, reason)) => {
            let what = match pending {
                Pending::Attach(path) => path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                Pending::Detach { name, .. } => format!("− {name}"),
            };
            lines.push(Line::styled(
                truncate(
                    &format!("{}{}{}", ev.reason_title, s.colon, sanitize(&what)),
                    width,
                ),
                theme.warn(),
            ));
            (reason, ev.reason_hint)
        }
        None => (&picker.input, ev.picker_hint),
    };
    let input_row = lines.len();
    let typed = sanitize(input.text());
    let shown_typed = if typed.is_empty() {
        Line::styled(truncate(hint, width.saturating_sub(2)), theme.dim())
    } else {
        Line::raw(truncate(&typed, width.saturating_sub(2)))
    };
    lines.push(Line::from(
        [vec![Span::styled("› ", theme.key())], shown_typed.spans].concat(),
    ));

    let attached = screen.attachments();
    let now = SystemTime::now();
    let mut rows: Vec<Line> = Vec::new();
    let mut highlight_row = None;
    if !attached.is_empty() {
        rows.push(Line::styled(
            format!("{} ({})", ev.attached_heading, attached.len()),
            theme.title(),
        ));
    }
    let typing_path = picker.typing_path();
    let mut files_heading_done = false;
    for (n, row) in picker.rows(attached).into_iter().enumerate() {
        let selected = n == picker.highlight && picker.reason.is_none();
        let (name, right) = match row {
            Row::Attached(a) => (format!("▪ {}", sanitize(&a.name)), size_text(a.size)),
            Row::File(f) => {
                if !files_heading_done {
                    files_heading_done = true;
                    rows.push(inbox_heading(screen, picker, width));
                }
                let age = f
                    .modified
                    .and_then(|m| now.duration_since(m).ok())
                    .map_or_else(String::new, |d| ev.age(d.as_secs()));
                // Sizes and ages in columns of their own, right-aligned.
                let size = size_text(f.size);
                let pad = |text: &str, to: usize| " ".repeat(to.saturating_sub(text.width()));
                (
                    format!("  {}", sanitize(&f.name)),
                    format!("{}{size}  {}{age}", pad(&size, 8), pad(&age, 6)),
                )
            }
        };
        if selected {
            highlight_row = Some(rows.len());
        }
        let name = truncate(&name, width.saturating_sub(right.width() + 2));
        let pad = width.saturating_sub(name.width() + right.width());
        let style = if selected {
            theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        rows.push(Line::from(vec![
            Span::styled(name, style),
            Span::styled(" ".repeat(pad), style),
            Span::styled(right, if selected { style } else { theme.dim() }),
        ]));
    }
    if typing_path {
        rows.push(Line::styled(ev.path_heading, theme.title()));
        for name in &picker.completions {
            rows.push(Line::raw(format!(
                "  {}",
                truncate(&sanitize(name), width - 2)
            )));
        }
    } else if !files_heading_done {
        rows.push(inbox_heading(screen, picker, width));
        let empty = if picker.files.is_empty() {
            ev.inbox_empty
        } else {
            ev.no_match
        };
        rows.push(Line::styled(format!("  {empty}"), theme.dim()));
    }

    // The status of a copy, then the keys, stay on the last rows.
    let copying = picker.copying.as_ref().map(|c| {
        let size = c
            .size
            .map(|b| format!(" ({})", size_text(b)))
            .unwrap_or_default();
        Line::styled(
            truncate(
                &format!("⧗ {} {}{size} …", ev.copying, sanitize(&c.name)),
                width,
            ),
            theme.warn(),
        )
    });
    let footer_rows = 1 + usize::from(copying.is_some());
    let room = height.saturating_sub(lines.len() + footer_rows);
    // Keep the highlighted row in view.
    let skip = highlight_row.map_or(0, |r| (r + 1).saturating_sub(room));
    lines.extend(rows.into_iter().skip(skip).take(room));
    let used = lines.len();
    while lines.len() < height.saturating_sub(footer_rows) {
        lines.push(Line::raw(""));
    }
    if let Some(copying) = copying {
        lines.push(copying);
    }
    let keys = if picker.reason.is_some() {
        s.edit_keys
    } else if ev.picker_keys.width() <= width {
        ev.picker_keys
    } else {
        ev.picker_keys_short
    };
    lines.push(Line::styled(keys, theme.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
    // The highlighted attachment's thumbnail, in the free rows above the keys.
    let free = height.saturating_sub(used + footer_rows);
    highlighted_thumbnail(screen, frame, inner, free, footer_rows);
    let cursor = u16::try_from(input.cursor_width().min(width.saturating_sub(3))).unwrap_or(0);
    let row = u16::try_from(input_row).unwrap_or(0);
    frame.set_cursor_position(Position::new(inner.x + 2 + cursor, inner.y + row));
}

fn inbox_heading(screen: &RunScreen, picker: &Picker, width: usize) -> Line<'static> {
    let folder = sanitize(&picker.inbox.display().to_string());
    Line::styled(
        truncate(
            &format!("{} {folder}", screen.s().evidence.inbox_heading),
            width,
        ),
        screen.theme.title(),
    )
}

/// The thumbnail of the highlighted attachment (when it is a photo), right-aligned in the
/// `free` rows above the picker's last `below` rows.
fn highlighted_thumbnail(
    screen: &RunScreen,
    frame: &mut Frame,
    inner: Rect,
    free: usize,
    below: usize,
) {
    use crate::tui::thumbnails::Thumb;
    let (Some(thumbnails), Some(wanted)) = (&screen.thumbnails, screen.wanted_thumbnail()) else {
        return;
    };
    let Some(Thumb::Ready(protocol)) = thumbnails.get(&wanted.sha256) else {
        return;
    };
    let size = protocol.size();
    if usize::from(size.height) > free || size.width + 1 > inner.width {
        return;
    }
    let below = u16::try_from(below).unwrap_or(0);
    let rect = Rect {
        x: inner.right().saturating_sub(size.width + 1),
        y: inner.bottom().saturating_sub(below + size.height),
        width: size.width,
        height: size.height,
    };
    frame.render_widget(ratatui_image::Image::new(protocol), rect);
}
