//! Drawing the list of visits: a header row and the rows in view, the columns that do not
//! fit the width left out by priority. Only the rows on the screen are looked at, so a
//! frame costs the same for ten visits as for 100,000.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::keys::SealStatus;
use crate::lang::Lang;
use crate::log::integrity::IntegrityState;
use crate::present::sanitize;
use crate::store::index::summary::{VisitStatus, VisitSummary};
use crate::tui::theme::{SYMBOL_FAIL, SYMBOL_PASS};

use super::ReviewScreen;
use super::order::Column;
use super::strings::ReviewStrings;
use super::widgets::{
    self, SYMBOL_RUSHED, SYMBOL_WARN, cell, column_title, duration, percent, result_look,
    verdict_look, verdict_word,
};

/// How wide a column may be: at least `min` to be shown, at most `max`.
#[derive(Clone, Copy, Debug)]
struct Width {
    min: usize,
    max: usize,
    right: bool,
}

fn width_of(s: &ReviewStrings, lang: Lang, column: Column) -> Width {
    let words =
        |words: &[&str], extra: usize| words.iter().map(|w| w.width()).max().unwrap_or(0) + extra;
    let title = column_title(s, column).width();
    let run = crate::tui::strings::strings(lang);
    let (min, max, right) = match column {
        Column::Date => (10, 16, false),
        Column::Technician => (9, 14, false),
        Column::Checklist => (8, 18, false),
        // Room for a start time whole, when that is the visit's name.
        Column::WorkOrder => (12, 16, false),
        Column::Duration => (8, 8, true),
        Column::Score => (title.max(4), title.max(4), true),
        Column::Result => {
            let least = words(&[run.pass, run.fail, s.open], 2);
            let most = words(&[s.abandoned, s.unreadable], 2).max(least);
            (least, most, false)
        }
        Column::Failures => (title.max(4), title.max(4), true),
        // Narrow, these two show their symbol alone.
        Column::Rushed => (4, words(&[s.rushed], 2), false),
        Column::Integrity => (
            4,
            words(&[s.integrity_ok, s.integrity_torn, s.integrity_damaged], 2),
            false,
        ),
        // One more for the `*` of an outdated verdict.
        Column::Verdict => {
            let most = words(&[s.approved, s.follow_up, s.rejected], 3);
            (11.min(most), most, false)
        }
    };
    // A header wider than the column is cut, but the column grows to it when there is room.
    Width {
        min,
        max: max.max(title.min(max + 4)),
        right,
    }
}

/// Which columns take the room left once the narrowest of each fits, first first.
const GROWTH: [Column; 11] = [
    Column::Verdict,
    Column::Result,
    Column::WorkOrder,
    Column::Technician,
    Column::Checklist,
    Column::Date,
    Column::Rushed,
    Column::Integrity,
    Column::Failures,
    Column::Score,
    Column::Duration,
];

/// The columns shown at one width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    /// Left to right, with their widths.
    pub shown: Vec<(Column, usize)>,
    /// Without room for the integrity column, a one-column mark before each row still
    /// shows a damaged or torn log: it must never go unseen.
    pub mark: bool,
}

/// The columns shown at `width`. Columns join in priority order while their narrowest
/// fits; then the room left lets them grow towards their widest, in `GROWTH` order.
pub fn columns(s: &ReviewStrings, lang: Lang, width: usize) -> Columns {
    let mut chosen: Vec<(Column, Width, usize)> = Vec::new();
    let mut used = 0;
    for column in Column::PRIORITY {
        let w = width_of(s, lang, column);
        let gap = usize::from(!chosen.is_empty());
        if used + gap + w.min <= width {
            used += gap + w.min;
            chosen.push((column, w, w.min));
        }
    }
    let mark = !chosen.iter().any(|(c, _, _)| *c == Column::Integrity) && used + 2 <= width;
    if mark {
        used += 2;
    }
    let mut room = width.saturating_sub(used);
    for column in GROWTH {
        let Some((_, w, size)) = chosen.iter_mut().find(|(c, _, _)| *c == column) else {
            continue;
        };
        let grow = (w.max - *size).min(room);
        // The date grows only to take the time of day whole.
        if column == Column::Date && grow < w.max - *size {
            continue;
        }
        *size += grow;
        room -= grow;
    }
    let mut shown: Vec<(Column, usize)> = chosen.into_iter().map(|(c, _, n)| (c, n)).collect();
    shown.sort_by_key(|(c, _)| Column::ALL.iter().position(|a| a == c));
    Columns { shown, mark }
}

pub fn render(screen: &mut ReviewScreen, frame: &mut Frame, area: Rect) {
    let [title, header, body, status, message, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // Keep the cursor's row in view, moving the view as little as possible.
    let page = usize::from(body.height).max(1);
    screen.page = page;
    screen.selected = screen.selected.min(screen.rows.len().saturating_sub(1));
    if screen.selected < screen.offset {
        screen.offset = screen.selected;
    } else if screen.selected >= screen.offset + page {
        screen.offset = screen.selected + 1 - page;
    }
    screen.offset = screen.offset.min(screen.rows.len().saturating_sub(page));
    let screen = &*screen;
    let s = screen.s();
    let theme = screen.theme;
    widgets::render_title(screen, frame, title);
    let shown = columns(s, screen.lang, usize::from(area.width));
    render_header(screen, frame, header, &shown);
    if screen.rows.is_empty() {
        let text = if screen.rows.store_is_empty(&screen.store) {
            s.no_visits
        } else {
            s.no_match
        };
        frame.render_widget(
            Paragraph::new(Line::styled(format!("  {text}"), theme.dim())),
            body,
        );
    } else {
        let lines: Vec<Line> = (screen.offset..screen.rows.len().min(screen.offset + page))
            .filter_map(|n| {
                let visit = screen.rows.visit(&screen.store.visits, n)?;
                Some(row(screen, visit, &shown, n == screen.selected, body.width))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
    }
    widgets::render_status(screen, frame, status);
    widgets::render_message(screen, frame, message);
    widgets::render_keys(screen, frame, keys, s.list_keys, s.list_keys_short);
}

fn render_header(screen: &ReviewScreen, frame: &mut Frame, area: Rect, columns: &Columns) {
    let s = screen.s();
    let theme = screen.theme;
    let query = screen.rows.query();
    let mut spans = Vec::new();
    if columns.mark {
        spans.push(Span::raw("  "));
    }
    for (i, &(column, width)) in columns.shown.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let right = width_of(s, screen.lang, column).right;
        let mut name = column_title(s, column).to_owned();
        if column == query.sort {
            let arrow = if query.reverse { "↓" } else { "↑" };
            // The arrow stays visible however narrow the column.
            let room = width.saturating_sub(1);
            name = format!("{}{arrow}", crate::present::truncate(&name, room));
        }
        let style = if column == query.sort {
            theme.key()
        } else {
            theme.title()
        };
        spans.push(Span::styled(cell(&name, width, right), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// One visit as a row of the table.
fn row(
    screen: &ReviewScreen,
    visit: &VisitSummary,
    columns: &Columns,
    selected: bool,
    width: u16,
) -> Line<'static> {
    let s = screen.s();
    let theme = screen.theme;
    let mut spans = Vec::with_capacity(columns.shown.len() * 2 + 2);
    if columns.mark {
        let mark = match (visit.integrity.state(), visit.reviews.integrity.is_clean()) {
            (IntegrityState::Damaged, _) | (_, false) => Span::styled(SYMBOL_FAIL, theme.fail()),
            (IntegrityState::Torn, _) => Span::styled(SYMBOL_WARN, theme.warn()),
            (IntegrityState::Clean, true) => Span::raw(" "),
        };
        spans.push(mark);
        spans.push(Span::raw(" "));
    }
    for (i, &(column, w)) in columns.shown.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let (text, style) = cell_of(screen, s, visit, column, w);
        spans.push(Span::styled(
            cell(&text, w, width_of(s, screen.lang, column).right),
            style,
        ));
    }
    let mut line = Line::from(spans);
    if selected {
        let used = line.width();
        line.spans.push(Span::raw(
            " ".repeat(usize::from(width).saturating_sub(used)),
        ));
        line = line.style(screen.theme.selected());
    }
    line
}

/// A cell's text (uncut) and style.
/// A seal that says the log was rewritten, in as few columns as "damaged" takes (the
/// detail and `verify` say it whole).
fn seal_word(lang: Lang, seal: &SealStatus) -> &'static str {
    match (lang, seal) {
        (Lang::En, SealStatus::OtherTechnician(_)) => "bad key",
        (Lang::En, _) => "no seal",
        (Lang::ZhCn, SealStatus::OtherTechnician(_)) => "钥不符",
        (Lang::ZhCn, _) => "缺封签",
    }
}

fn cell_of(
    screen: &ReviewScreen,
    s: &ReviewStrings,
    visit: &VisitSummary,
    column: Column,
    width: usize,
) -> (String, Style) {
    let theme = screen.theme;
    match column {
        Column::Date => {
            let at = if width >= 16 {
                visit.started_at.get(..16).unwrap_or(&visit.started_at)
            } else {
                visit.started_date()
            };
            (sanitize(&at.replace('T', " ")), Style::new())
        }
        Column::Technician => (sanitize(&visit.technician), Style::new()),
        Column::Checklist => (sanitize(&visit.checklist.id), Style::new()),
        // The visit's name (SPEC section 4): its work order, else its first required text
        // field, else its start time.
        Column::WorkOrder => (sanitize(&visit.name()), Style::new()),
        Column::Duration => (duration(visit.duration_ms), theme.dim()),
        Column::Score => (percent(visit.score), Style::new()),
        Column::Result => {
            let (symbol, word, style) = result_look(screen, visit);
            (format!("{symbol} {word}"), style)
        }
        Column::Failures if visit.failed > 0 => {
            (format!("{SYMBOL_FAIL}{}", visit.failed), theme.fail())
        }
        Column::Failures => ("0".to_owned(), theme.dim()),
        Column::Rushed if visit.rushed && width < width_of(s, screen.lang, column).max => {
            (SYMBOL_RUSHED.to_owned(), theme.warn())
        }
        Column::Rushed if visit.rushed => (format!("{SYMBOL_RUSHED} {}", s.rushed), theme.warn()),
        Column::Rushed => (String::new(), Style::new()),
        Column::Integrity => {
            // A closed visit whose seal says it was rewritten (another technician's key, or
            // none from a laptop that seals) is marked here too: `verify` calls it an error.
            let seal = screen.store.seal_of(visit);
            let seal_problem = seal.is_problem() && visit.status != VisitStatus::Open;
            let (symbol, word, style) = match visit.integrity.state() {
                IntegrityState::Clean if seal_problem => {
                    (SYMBOL_FAIL, seal_word(screen.lang, &seal), theme.fail())
                }
                IntegrityState::Clean if visit.reviews.integrity.is_clean() => {
                    (SYMBOL_PASS, s.integrity_ok, theme.dim())
                }
                IntegrityState::Torn => (SYMBOL_WARN, s.integrity_torn, theme.warn()),
                _ => (SYMBOL_FAIL, s.integrity_damaged, theme.fail()),
            };
            if width < width_of(s, screen.lang, column).max {
                (symbol.to_owned(), style)
            } else {
                (format!("{symbol} {word}"), style)
            }
        }
        Column::Verdict => match visit.verdict() {
            None => ("—".to_owned(), theme.dim()),
            Some(verdict) => {
                let (symbol, style) = verdict_look(theme, verdict);
                // A review made before the visit last changed: marked, and dimmed.
                if visit.reviews.outdated {
                    (
                        format!("{symbol} {}*", verdict_word(s, verdict)),
                        style.patch(theme.dim()),
                    )
                } else {
                    (format!("{symbol} {}", verdict_word(s, verdict)), style)
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::review::strings::{EN, ZH_CN};

    fn total(shown: &[(Column, usize)]) -> usize {
        shown.iter().map(|(_, w)| w).sum::<usize>() + shown.len().saturating_sub(1)
    }

    #[test]
    fn columns_fit_and_all_show_when_wide() {
        for (s, lang) in [(&EN, Lang::En), (&ZH_CN, Lang::ZhCn)] {
            for width in [60, 80, 100, 120, 160] {
                let columns = columns(s, lang, width);
                let mark = if columns.mark { 2 } else { 0 };
                assert!(
                    total(&columns.shown) + mark <= width,
                    "{width}: {columns:?}"
                );
                assert!(columns.shown.iter().any(|(c, _)| *c == Column::Verdict));
                let integrity = columns.shown.iter().any(|(c, _)| *c == Column::Integrity);
                assert!(integrity || columns.mark, "{width}: {columns:?}");
            }
            let wide = columns(s, lang, 160);
            assert_eq!(wide.shown.len(), Column::ALL.len());
            assert!(!wide.mark);
            let at_80: Vec<Column> = columns(s, lang, 80)
                .shown
                .into_iter()
                .map(|(c, _)| c)
                .collect();
            for needed in [
                Column::Date,
                Column::Technician,
                Column::Result,
                Column::Rushed,
            ] {
                assert!(at_80.contains(&needed), "{at_80:?}");
            }
        }
    }
}
