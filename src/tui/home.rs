//! The home screen: unfinished visits and the checklists found, with type-to-filter.
//! It reads only the index of open visits, never the logs, so it opens instantly.

use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::checklist::Library;
use crate::checklist::{Listed, LookupError};
use crate::lang::Lang;
use crate::log::review::Verdict;
use crate::store::follow_up::{Returned, returned_visits};
use crate::store::open_index::{self, OpenVisit, title_in};
use std::path::Path;

use super::input::{InputResult, LineInput};
use super::strings::strings;
use super::theme::Theme;
use crate::present::{sanitize, truncate};

pub struct HomeScreen {
    pub checklists: Vec<Listed>,
    pub broken: Vec<LookupError>,
    pub open: Vec<OpenVisit>,
    /// Visits a supervisor sent back, with their comments.
    pub returned: Vec<Returned>,
    /// The store whose returned visits are still to be read.
    pub returned_from: Option<std::path::PathBuf>,
    pub filter: LineInput,
    /// Index into the filtered rows: open visits first, then checklists.
    pub selected: usize,
    pub lang: Lang,
    pub theme: Theme,
    pub technician: Option<String>,
    pub message: Option<String>,
    pub hits: Vec<(Rect, usize)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Row {
    Returned(usize),
    Open(usize),
    Checklist(usize),
}

pub enum HomeAction {
    None,
    Quit,
    Start(usize),
    Resume(usize),
    FollowUp(usize),
}

impl HomeScreen {
    /// The home screen as the app shows it: checklists found, returned and open visits.
    /// Reads the visits returned for follow-up; done once, after the first frame is drawn.
    pub fn load_returned(&mut self) -> bool {
        match self.returned_from.take() {
            Some(data) => {
                // Only the current technician's own visits: a laptop that imported a whole
                // office folder must not offer anyone else's for amending.
                self.returned = self
                    .technician
                    .as_deref()
                    .map(|t| returned_visits(&data, t))
                    .unwrap_or_default();
                true
            }
            None => false,
        }
    }

    pub fn load(
        library: &Library,
        data: &Path,
        lang: Lang,
        theme: Theme,
        technician: Option<String>,
    ) -> Self {
        let (checklists, broken) = library.all();
        HomeScreen {
            checklists,
            broken,
            open: open_index::list(data),
            // Filled after the first frame (`load_returned`): it reads review logs.
            returned: Vec::new(),
            returned_from: Some(data.to_path_buf()),
            filter: LineInput::default(),
            selected: 0,
            lang,
            theme,
            technician,
            message: None,
            hits: Vec::new(),
        }
    }

    /// Rows matching the filter (case-insensitive, on titles, ids and work orders).
    pub fn rows(&self) -> Vec<Row> {
        let needle = self.filter.text().trim().to_lowercase();
        let lang = self.lang.tag();
        let matches = |texts: &[&str]| {
            needle.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&needle))
        };
        let mut rows = Vec::new();
        for (i, visit) in self.returned.iter().enumerate() {
            let title = title_in(&visit.title, "", lang);
            let comments: Vec<&str> = visit.notes.iter().map(|n| n.comment.as_str()).collect();
            let wo = visit.work_order.as_deref().unwrap_or("");
            if matches(&[&title, wo, &visit.name, &visit.visit, &comments.join(" ")]) {
                rows.push(Row::Returned(i));
            }
        }
        for (i, visit) in self.open.iter().enumerate() {
            let title = visit.title_in(lang);
            if matches(&[
                &title,
                &visit.checklist_id,
                visit.work_order.as_deref().unwrap_or(""),
                &visit.name,
                &visit.visit,
            ]) {
                rows.push(Row::Open(i));
            }
        }
        for (i, found) in self.checklists.iter().enumerate() {
            let c = &found.checklist;
            if matches(&[c.text(&c.title, lang), &c.id]) {
                rows.push(Row::Checklist(i));
            }
        }
        rows
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> HomeAction {
        let rows = self.rows();
        match key.code {
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(rows.len().saturating_sub(1)),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            KeyCode::PageDown => {
                self.selected = (self.selected + 10).min(rows.len().saturating_sub(1))
            }
            KeyCode::Enter => return self.activate(&rows),
            KeyCode::Esc if self.filter.text().is_empty() => return HomeAction::Quit,
            KeyCode::Esc => {
                self.filter.set("");
                self.selected = 0;
            }
            _ => {
                if self.filter.handle(key) == InputResult::Changed {
                    self.selected = 0;
                }
            }
        }
        HomeAction::None
    }

    fn activate(&self, rows: &[Row]) -> HomeAction {
        match rows.get(self.selected) {
            Some(Row::Returned(i)) => HomeAction::FollowUp(*i),
            Some(Row::Open(i)) => HomeAction::Resume(*i),
            Some(Row::Checklist(i)) => HomeAction::Start(*i),
            None => HomeAction::None,
        }
    }

    pub fn handle_mouse(&mut self, mouse: MouseEvent) -> HomeAction {
        if let MouseEventKind::Down(MouseButton::Left) = mouse.kind
            && let Some(&(_, row)) = self.hits.iter().find(|(r, _)| {
                mouse.row == r.y && mouse.column >= r.x && mouse.column < r.x + r.width
            })
        {
            if self.selected == row {
                return self.activate(&self.rows());
            }
            self.selected = row;
        }
        HomeAction::None
    }

    pub fn render(&mut self, frame: &mut Frame) {
        let area = frame.area();
        let s = strings(self.lang);
        let theme = self.theme;
        let lang = self.lang.tag();
        if area.width < super::run::view::MIN_WIDTH || area.height < super::run::view::MIN_HEIGHT {
            super::run::view::render_too_small(frame, s.too_small, area);
            return;
        }
        let [title, body, message, filter, footer] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let who = self
            .technician
            .as_deref()
            .map(|t| format!(" · {}", sanitize(t)))
            .unwrap_or_default();
        frame.render_widget(
            Paragraph::new(Line::styled(format!("{}{who}", s.app), theme.title())),
            title,
        );

        let width = usize::from(body.width);
        let rows = self.rows();
        let mut lines: Vec<(Line, Option<usize>)> = Vec::new();
        if !self.returned.is_empty() {
            let heading = format!("{} ({})", s.returned_visits, self.returned.len());
            lines.push((Line::styled(heading, theme.warn()), None));
            for (n, row) in rows.iter().enumerate() {
                if let Row::Returned(i) = row {
                    let v = &self.returned[*i];
                    let started = v.started_at.get(..10).unwrap_or(&v.started_at);
                    let name = sanitize(&v.name);
                    // The general comment first, else the first still unanswered.
                    let comment = v
                        .notes
                        .iter()
                        .find(|n| n.item.is_none())
                        .or_else(|| v.notes.iter().find(|n| !n.answered))
                        .map(|n| sanitize(&n.comment))
                        .unwrap_or_default();
                    let (mark, comment) = if v.verdict == Verdict::Rejected {
                        ("✗", format!("{}{}{comment}", s.rejected, s.colon))
                    } else {
                        ("⚑", comment)
                    };
                    let left = format!(
                        "  {mark} {started}  {}  {name}",
                        title_in(&v.title, "", lang)
                    );
                    // The comment takes the room the visit's name leaves, a third at least.
                    let room = width
                        .saturating_sub(sanitize(&left).width() + 4)
                        .max(width / 3);
                    let right = truncate(&comment, room);
                    lines.push((self.row_line(n, &left, &right, width), Some(n)));
                }
            }
            lines.push((Line::raw(""), None));
        }
        lines.push((
            Line::styled(
                format!("{} ({})", s.open_visits, self.open.len()),
                theme.title(),
            ),
            None,
        ));
        // Only when there are none: a filter that hides them all is not "no visits".
        if self.open.is_empty() {
            lines.push((
                Line::styled(format!("  {}", s.no_open_visits), theme.dim()),
                None,
            ));
        }
        for (n, row) in rows.iter().enumerate() {
            if let Row::Open(i) = row {
                let v = &self.open[*i];
                let started = v
                    .started_at
                    .get(..16)
                    .unwrap_or(&v.started_at)
                    .replace('T', " ");
                // A visit named by its start time already shows it: no need to say it twice.
                let name = if v.name == started {
                    String::new()
                } else {
                    sanitize(&v.name)
                };
                let progress = format!("{}/{}", v.answered, v.required);
                let left = format!("  {started}  {}  {name}", v.title_in(lang));
                lines.push((self.row_line(n, &left, &progress, width), Some(n)));
            }
        }
        lines.push((Line::raw(""), None));
        lines.push((
            Line::styled(
                format!("{} ({})", s.checklists, self.checklists.len()),
                theme.title(),
            ),
            None,
        ));
        if self.checklists.is_empty() {
            lines.push((
                Line::styled(format!("  {}", s.no_checklists), theme.dim()),
                None,
            ));
        }
        for (n, row) in rows.iter().enumerate() {
            if let Row::Checklist(i) = row {
                let c = &self.checklists[*i].checklist;
                let right = format!("{}  v{}  {} {}", c.id, c.version, c.item_count(), s.items);
                let left = format!("  {}", c.text(&c.title, lang));
                lines.push((self.row_line(n, &left, &right, width), Some(n)));
            }
        }
        for err in &self.broken {
            let first = err.to_string();
            let first = first.lines().next().unwrap_or("");
            lines.push((
                Line::styled(
                    format!("  ! {}", truncate(first, width.saturating_sub(4))),
                    theme.warn(),
                ),
                None,
            ));
        }
        let height = usize::from(body.height);
        let selected_line = lines
            .iter()
            .position(|(_, r)| *r == Some(self.selected))
            .unwrap_or(0);
        let offset = selected_line
            .saturating_sub(height.saturating_sub(2))
            .min(lines.len().saturating_sub(height));
        self.hits.clear();
        let mut shown = Vec::new();
        for (y, (line, row)) in lines.into_iter().skip(offset).take(height).enumerate() {
            if let Some(row) = row {
                self.hits
                    .push((Rect::new(body.x, body.y + y as u16, body.width, 1), row));
            }
            shown.push(line);
        }
        frame.render_widget(Paragraph::new(shown), body);
        if let Some(m) = &self.message {
            frame.render_widget(
                Paragraph::new(Line::styled(m.clone(), theme.error())),
                message,
            );
        }
        let filter_line = Line::from(vec![
            Span::styled(format!("{}{}", s.filter, s.colon), theme.key()),
            Span::raw(sanitize(self.filter.text())),
        ]);
        frame.render_widget(Paragraph::new(filter_line), filter);
        let x = filter.x + (s.filter.width() + 2 + self.filter.cursor_width()) as u16;
        frame.set_cursor_position((x.min(filter.right().saturating_sub(1)), filter.y));
        frame.render_widget(
            Paragraph::new(Line::styled(s.home_keys, theme.dim())),
            footer,
        );
    }

    fn row_line(&self, n: usize, left: &str, right: &str, width: usize) -> Line<'static> {
        let right = format!("  {right}");
        let left = truncate(&sanitize(left), width.saturating_sub(right.width()));
        let pad = width.saturating_sub(left.width() + right.width());
        let style = if n == self.selected {
            self.theme.selected()
        } else {
            Style::new()
        };
        Line::from(vec![
            Span::styled(left, style),
            Span::styled(" ".repeat(pad), style),
            Span::styled(right, style),
        ])
    }
}
