//! The visit header form: the checklist's `visit_fields`, with required fields and
//! patterns enforced before the visit can start.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use serde_json::{Map, Value};

use crate::checklist::{Checklist, Field, FieldKind};
use crate::lang::Lang;
use crate::visit::AnswerValue;

use super::input::{InputResult, LineInput};
use super::strings::strings;
use super::text::{sanitize, truncate};
use super::theme::Theme;

#[derive(Debug)]
pub struct HeaderForm {
    pub inputs: Vec<LineInput>,
    pub focus: usize,
    pub lang: Lang,
    pub read_only: bool,
    /// Show errors only after the first attempt to submit.
    pub tried: bool,
}

pub enum FormResult {
    Editing,
    Cancel,
    Done(Map<String, Value>),
}

impl HeaderForm {
    pub fn new(checklist: &Checklist, prefill: &Map<String, Value>, lang: Lang) -> Self {
        let inputs = checklist
            .visit_fields
            .iter()
            .map(|f| {
                let value = match prefill.get(&f.id) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                LineInput::new(&value)
            })
            .collect();
        HeaderForm {
            inputs,
            focus: 0,
            lang,
            read_only: false,
            tried: false,
        }
    }

    pub fn editing(
        checklist: &Checklist,
        current: &Map<String, Value>,
        lang: Lang,
        read_only: bool,
    ) -> Self {
        HeaderForm {
            read_only,
            ..HeaderForm::new(checklist, current, lang)
        }
    }

    /// The problem with one field's value, if any.
    pub fn field_error(field: &Field, value: &str, lang: Lang) -> Option<&'static str> {
        let s = strings(lang);
        let value = value.trim();
        if value.is_empty() {
            return field.required.then_some(s.field_required);
        }
        match field.kind {
            FieldKind::Text if field.pattern.as_ref().is_some_and(|p| !p.is_match(value)) => {
                Some(s.field_pattern)
            }
            FieldKind::Number if value.replace(',', ".").parse::<f64>().is_err() => {
                Some(s.field_number)
            }
            FieldKind::Date if chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() => {
                Some(s.field_date)
            }
            FieldKind::Datetime if parse_datetime(value).is_none() => Some(s.field_datetime),
            FieldKind::Choice if !field.options.iter().any(|o| o.id == value) => {
                Some(s.field_required)
            }
            _ => None,
        }
    }

    /// Every field valid: the values as the log records them.
    pub fn values(&self, checklist: &Checklist) -> Result<Map<String, Value>, usize> {
        let mut values = Map::new();
        for (i, (field, input)) in checklist.visit_fields.iter().zip(&self.inputs).enumerate() {
            if Self::field_error(field, input.text(), self.lang).is_some() {
                return Err(i);
            }
            let text = input.text().trim();
            if text.is_empty() {
                continue;
            }
            let value = match field.kind {
                // Written as answers' numbers are: `5`, not `5.0`.
                FieldKind::Number => text
                    .replace(',', ".")
                    .parse::<f64>()
                    .map_or_else(|_| Value::from(text), |n| AnswerValue::Number(n).to_json()),
                _ => Value::from(text),
            };
            values.insert(field.id.clone(), value);
        }
        Ok(values)
    }

    pub fn handle_key(&mut self, key: KeyEvent, checklist: &Checklist) -> FormResult {
        let count = self.inputs.len();
        if count == 0 {
            return match key.code {
                KeyCode::Esc => FormResult::Cancel,
                _ => FormResult::Done(Map::new()),
            };
        }
        if self.read_only {
            return match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | 'h') => FormResult::Cancel,
                KeyCode::Down | KeyCode::Tab => {
                    self.focus = (self.focus + 1) % count;
                    FormResult::Editing
                }
                _ => FormResult::Editing,
            };
        }
        let field = &checklist.visit_fields[self.focus.min(count - 1)];
        if field.kind == FieldKind::Choice
            && matches!(
                key.code,
                KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
            )
        {
            self.cycle_choice(field, key.code != KeyCode::Left);
            return FormResult::Editing;
        }
        match key.code {
            KeyCode::Up | KeyCode::BackTab => {
                self.focus = (self.focus + count - 1) % count;
                FormResult::Editing
            }
            KeyCode::Down | KeyCode::Tab => {
                self.focus = (self.focus + 1) % count;
                FormResult::Editing
            }
            _ => match self.inputs[self.focus].handle(key) {
                InputResult::Cancel => FormResult::Cancel,
                InputResult::Submit => {
                    if self.focus + 1 < count && !self.tried {
                        self.focus += 1;
                        return FormResult::Editing;
                    }
                    self.tried = true;
                    match self.values(checklist) {
                        Ok(values) => FormResult::Done(values),
                        Err(first_bad) => {
                            self.focus = first_bad;
                            FormResult::Editing
                        }
                    }
                }
                _ => FormResult::Editing,
            },
        }
    }

    fn cycle_choice(&mut self, field: &Field, forward: bool) {
        let ids: Vec<&str> = field.options.iter().map(|o| o.id.as_str()).collect();
        if ids.is_empty() {
            return;
        }
        let current = ids
            .iter()
            .position(|id| *id == self.inputs[self.focus].text().trim());
        let next = match (current, forward) {
            (None, _) => 0,
            (Some(i), true) => (i + 1) % ids.len(),
            (Some(i), false) => (i + ids.len() - 1) % ids.len(),
        };
        self.inputs[self.focus].set(ids[next]);
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, checklist: &Checklist, theme: Theme) {
        let s = strings(self.lang);
        let lang = self.lang.tag();
        let default = checklist.default_language();
        frame.render_widget(Clear, area);
        let title = format!(
            " {} · {} ",
            s.header_title,
            checklist.text(&checklist.title, lang)
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(Span::styled(title, theme.title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        // The keys keep the last row, however many rows the fields take.
        let [inner, keys] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
        let label_width = checklist
            .visit_fields
            .iter()
            .map(|f| unicode_width::UnicodeWidthStr::width(f.label.get(lang, default)) + 2)
            .max()
            .unwrap_or(10)
            .min(usize::from(inner.width / 3).max(8));
        let mut lines = Vec::new();
        let mut cursor = None;
        for (i, (field, input)) in checklist.visit_fields.iter().zip(&self.inputs).enumerate() {
            let focused = i == self.focus;
            let mark = if field.required { s.required_mark } else { " " };
            let label = truncate(
                &format!("{}{mark}", field.label.get(lang, default)),
                label_width,
            );
            let pad = " ".repeat(
                label_width.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str())),
            );
            // A choice field shows its options, not its raw id.
            let value = if field.kind == FieldKind::Choice {
                String::new()
            } else {
                sanitize(input.text())
            };
            let value_style = if focused {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            let mut spans = vec![
                Span::raw(if focused { "▸ " } else { "  " }),
                Span::styled(format!("{label}{pad} "), theme.title()),
                Span::styled(
                    if value.is_empty() && focused && field.kind != FieldKind::Choice {
                        " ".into()
                    } else {
                        value
                    },
                    value_style,
                ),
            ];
            if field.kind == FieldKind::Choice {
                let options: Vec<String> = field
                    .options
                    .iter()
                    .map(|o| {
                        let label = o.label.get(lang, default);
                        if o.id == input.text().trim() {
                            format!("[{label}]")
                        } else {
                            label.to_owned()
                        }
                    })
                    .collect();
                let style = if focused { theme.key() } else { theme.dim() };
                // Labels may have spaces ("New install"), so a plain space cannot part them.
                spans.push(Span::styled(format!("← {} →", options.join(" / ")), style));
            }
            let error = Self::field_error(field, input.text(), self.lang);
            let mut error_line = None;
            if let Some(error) =
                error.filter(|_| self.tried || (focused && !input.text().is_empty()))
            {
                let error = Span::styled(format!("  ✗ {error}"), theme.fail());
                // Beside the value when it fits, else on a line of its own (not wrapped in two).
                if Line::from(spans.clone()).width() + error.width() <= usize::from(inner.width) {
                    spans.push(error);
                } else {
                    error_line = Some(Line::from(vec![Span::raw("  "), error]));
                }
            }
            if focused && !self.read_only && field.kind != FieldKind::Choice {
                cursor = Some((lines.len(), 2 + label_width + 1 + input.cursor_width()));
            }
            lines.push(Line::from(spans));
            lines.extend(error_line);
            if focused && !field.help.is_empty() {
                lines.push(Line::styled(
                    format!("    {}", field.help.get(lang, default)),
                    theme.dim(),
                ));
            }
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        frame.render_widget(Line::styled(s.header_keys, theme.key()), keys);
        if let Some((row, col)) = cursor {
            let x = inner
                .x
                .saturating_add(u16::try_from(col).unwrap_or(u16::MAX))
                .min(inner.right().saturating_sub(1));
            let y = inner
                .y
                .saturating_add(u16::try_from(row).unwrap_or(u16::MAX))
                .min(inner.bottom().saturating_sub(1));
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}

fn parse_datetime(value: &str) -> Option<chrono::NaiveDateTime> {
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(value, f).ok())
}
