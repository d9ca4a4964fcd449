//! The receipt screen: the code of the line just written (finished, or an amendment) in
//! large type, for the technician to copy onto the customer's work order. The customer can
//! later have any office check it against the log (`sitecheck verify VISIT --receipt`).

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::lang::Lang;
use crate::tui::big_text::{big_rows, big_width};
use crate::tui::theme::Theme;

struct Words {
    title: &'static str,
    explain: &'static str,
    go_on: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            title: "Receipt",
            explain: "Write this code on the customer's work order: it proves this record, unchanged.",
            go_on: "Any key to go on · q leave",
        },
        Lang::ZhCn => Words {
            title: "回执码",
            explain: "请把此码写在客户的工单上：凭它可以证明这份记录未被改动。",
            go_on: "按任意键继续 · q 离开",
        },
    }
}

pub fn render_receipt(frame: &mut Frame, area: Rect, code: &str, lang: Lang, theme: Theme) {
    let words = words(lang);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(format!(" {} ", words.title))
        .title_style(theme.title());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![Line::raw("")];
    // Large type where it fits; the plain code always, for a screen reader or a photo.
    match big_rows(code) {
        Some(rows) if big_width(code) <= usize::from(inner.width) => {
            lines.extend(rows.into_iter().map(|row| Line::styled(row, theme.title())));
            lines.push(Line::raw(""));
        }
        _ => {}
    }
    lines.push(Line::styled(code.to_owned(), theme.title()));
    lines.push(Line::raw(""));
    lines.push(Line::raw(words.explain));
    lines.push(Line::raw(""));
    lines.push(Line::styled(words.go_on, theme.dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: false }),
        inner,
    );
}
