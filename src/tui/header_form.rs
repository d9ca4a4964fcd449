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
use super::theme::Theme;
use crate::present::{sanitize, truncate};

#[derive(Debug)]
pub struct HeaderForm {
    pub inputs: Vec<LineInput>,
    /// The focused row: a field, or `inputs.len()` for the start / save action below them.
    pub focus: usize,
    pub lang: Lang,
    pub read_only: bool,
    /// A closed visit whose supervisor's comment awaits an answer (`A`, handled by the run
    /// screen): its keys say so.
    pub answerable: bool,
    /// Show errors only after the first attempt to submit (or for a value given from outside).
    pub tried: bool,
    /// Editing the header of a visit already under way (`h`), rather than starting one.
    pub editing: bool,
    /// The values the form opened with, to tell whether anything was changed.
    original: Vec<String>,
    /// Esc was pressed with changes: asking whether to keep them (or, for a new visit,
    /// whether to leave without starting).
    pub asking: bool,
}

pub enum FormResult {
    Editing,
    Cancel,
    Done(Map<String, Value>),
}

impl HeaderForm {
    pub fn new(checklist: &Checklist, prefill: &Map<String, Value>, lang: Lang) -> Self {
        let inputs: Vec<LineInput> = checklist
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
            original: inputs.iter().map(|i| i.text().to_owned()).collect(),
            inputs,
            focus: 0,
            lang,
            read_only: false,
            answerable: false,
            tried: false,
            editing: false,
            asking: false,
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
            editing: true,
            ..HeaderForm::new(checklist, current, lang)
        }
    }

    /// A form over values given from outside (`--field`): focused on the first field that is
    /// invalid, with its error shown, else on the first empty one.
    pub fn prefilled(checklist: &Checklist, given: &Map<String, Value>, lang: Lang) -> Self {
        let mut form = HeaderForm::new(checklist, given, lang);
        let fields = checklist.visit_fields.iter().zip(&form.inputs);
        let invalid = fields.clone().position(|(field, input)| {
            !input.text().trim().is_empty()
                && Self::field_error(field, input.text(), lang).is_some()
        });
        let empty = fields
            .clone()
            .position(|(_, input)| input.text().trim().is_empty());
        form.tried = invalid.is_some();
        form.focus = invalid.or(empty).unwrap_or(0);
        form
    }

    /// The row of the start / save action.
    pub fn action_row(&self) -> usize {
        self.inputs.len()
    }

    /// Whether any value differs from what the form opened with.
    pub fn changed(&self) -> bool {
        self.inputs
            .iter()
            .zip(&self.original)
            .any(|(input, original)| input.text() != original)
    }

    /// The values, when something was changed and every field is valid.
    pub fn changed_values(&self, checklist: &Checklist) -> Option<Map<String, Value>> {
        self.changed()
            .then(|| self.values(checklist).ok())
            .flatten()
    }

    /// The problem with one field's value, if any, saying what a valid value looks like.
    pub fn field_error(field: &Field, value: &str, lang: Lang) -> Option<String> {
        let s = strings(lang);
        let value = value.trim();
        if value.is_empty() {
            return field.required.then(|| s.field_required.to_owned());
        }
        match field.kind {
            FieldKind::Text => {
                let pattern = field.pattern.as_ref().filter(|p| !p.is_match(value))?;
                // The field's help says in words what fits; without one, the pattern does.
                Some(if field.help.is_empty() {
                    format!("{} ({})", s.field_pattern, pattern.source)
                } else {
                    s.field_pattern.to_owned()
                })
            }
            FieldKind::Number => crate::visit::parse_number(value)
                .is_none()
                .then(|| s.field_number.to_owned()),
            FieldKind::Date => parse_date(value).is_none().then(|| s.field_date.to_owned()),
            FieldKind::Datetime => parse_datetime(value)
                .is_none()
                .then(|| s.field_datetime.to_owned()),
            FieldKind::Choice => {
                (!field.options.iter().any(|o| o.id == value)).then(|| s.field_choice.to_owned())
            }
        }
    }

    /// Every field valid: the values as the log records them (dates and times in RFC 3339).
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
                FieldKind::Number => crate::visit::parse_number(text)
                    .map_or_else(|| Value::from(text), |n| AnswerValue::Number(n).to_json()),
                FieldKind::Datetime => parse_datetime(text)
                    .map_or_else(|| Value::from(text), |t| Value::from(rfc3339(&t))),
                FieldKind::Date => parse_date(text)
                    .map_or_else(|| Value::from(text), |d| Value::from(d.to_string())),
                _ => Value::from(text),
            };
            values.insert(field.id.clone(), value);
        }
        Ok(values)
    }

    /// Start (or save): every field valid, or back to the first that is not, showing why.
    fn submit(&mut self, checklist: &Checklist) -> FormResult {
        self.tried = true;
        self.asking = false;
        match self.values(checklist) {
            Ok(values) => FormResult::Done(values),
            Err(first_bad) => {
                self.focus = first_bad;
                FormResult::Editing
            }
        }
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
                KeyCode::Up | KeyCode::BackTab => {
                    self.focus = (self.focus + count - 1) % count;
                    FormResult::Editing
                }
                _ => FormResult::Editing,
            };
        }
        if self.asking {
            return self.handle_asking_key(key, checklist);
        }
        let rows = count + 1;
        match key.code {
            KeyCode::Up | KeyCode::BackTab => {
                self.focus = (self.focus + rows - 1) % rows;
                return FormResult::Editing;
            }
            KeyCode::Down | KeyCode::Tab => {
                self.focus = (self.focus + 1) % rows;
                return FormResult::Editing;
            }
            KeyCode::Esc if self.changed() => {
                self.asking = true;
                return FormResult::Editing;
            }
            KeyCode::Esc => return FormResult::Cancel,
            _ => {}
        }
        if self.focus >= count {
            // The action row: only Enter acts there; typing goes nowhere.
            return match key.code {
                KeyCode::Enter => self.submit(checklist),
                _ => FormResult::Editing,
            };
        }
        let field = &checklist.visit_fields[self.focus];
        if field.kind == FieldKind::Choice
            && matches!(
                key.code,
                KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
            )
        {
            self.cycle_choice(field, key.code != KeyCode::Left);
            return FormResult::Editing;
        }
        match self.inputs[self.focus].handle(key) {
            // Enter on a field always moves on, to the next field or to the action row.
            InputResult::Submit => self.focus += 1,
            InputResult::Cancel => return FormResult::Cancel,
            _ => {}
        }
        FormResult::Editing
    }

    /// After Esc with changes. Editing a visit's header: y keeps (saves) them, n drops them.
    /// Starting a visit: y leaves without starting, n stays. Esc goes on editing either way.
    fn handle_asking_key(&mut self, key: KeyEvent, checklist: &Checklist) -> FormResult {
        match (key.code, self.editing) {
            (KeyCode::Char('y'), true) => self.submit(checklist),
            (KeyCode::Char('n'), true) | (KeyCode::Char('y'), false) => FormResult::Cancel,
            (KeyCode::Char('n') | KeyCode::Esc, _) => {
                self.asking = false;
                FormResult::Editing
            }
            _ => FormResult::Editing,
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
            if focused {
                // Where the terminal cursor goes, or (read-only, choice) the row to keep in view.
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
        if !self.read_only {
            // The one way to start (or save): a row of its own, reached by Enter on the last
            // field or by ↑↓, so that no Enter meant for a field starts the visit.
            let focused = self.focus >= self.action_row();
            let label = if self.editing {
                s.form_save
            } else {
                s.form_start
            };
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::raw(if focused { "▸ " } else { "  " }),
                Span::styled(
                    format!("[ {label} ]"),
                    if focused {
                        theme.selected()
                    } else {
                        theme.key()
                    },
                ),
                Span::styled(
                    if focused {
                        format!("  {}", s.enter_key)
                    } else {
                        String::new()
                    },
                    theme.dim(),
                ),
            ]));
        }
        // Keep the focused row in view when the fields take more rows than there are.
        let focus_line = if self.focus >= self.action_row() {
            lines.len().saturating_sub(1)
        } else {
            cursor.map_or(0, |(row, _)| row)
        };
        let scroll = focus_line.saturating_sub(usize::from(inner.height).saturating_sub(1));
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((u16::try_from(scroll).unwrap_or(0), 0)),
            inner,
        );
        let keys_line = match (self.asking, self.editing) {
            (true, true) => Line::styled(s.ask_keep, theme.warn()),
            (true, false) => Line::styled(s.ask_leave, theme.warn()),
            (false, _) if self.answerable => Line::styled(s.header_keys_read_only, theme.key()),
            (false, _) => Line::styled(s.header_keys, theme.key()),
        };
        frame.render_widget(keys_line, keys);
        let cursor = cursor.map(|(row, col)| (row.saturating_sub(scroll), col));
        let shows_cursor = !self.read_only
            && !self.asking
            && checklist
                .visit_fields
                .get(self.focus)
                .is_some_and(|f| f.kind != FieldKind::Choice);
        if let Some((row, col)) = cursor.filter(|_| shows_cursor) {
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

fn parse_date(value: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// A date and time as SPEC section 4 accepts it: RFC 3339 / ISO 8601, with or without
/// seconds (and fractions), `T` or a space, with an offset, `Z`, or none — then the laptop's
/// own offset at that time.
pub fn parse_datetime(value: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    use chrono::TimeZone;
    let value = value.trim();
    let with_offset = [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
    ];
    let normalised = value.replacen(' ', "T", 1);
    let normalised = match normalised.strip_suffix(['Z', 'z']) {
        Some(utc) => format!("{utc}+00:00"),
        None => normalised,
    };
    if let Some(time) = with_offset
        .iter()
        .find_map(|f| chrono::DateTime::parse_from_str(&normalised, f).ok())
    {
        return Some(time);
    }
    let local = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(&normalised, f).ok())?;
    // A time skipped by a clock change has no local reading; the earlier of two is taken.
    chrono::Local
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.fixed_offset())
}

/// How a header date and time is stored: RFC 3339 with its offset, seconds always shown.
fn rfc3339(time: &chrono::DateTime<chrono::FixedOffset>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_read_in_every_form_a_work_order_system_sends() {
        let stored = |text: &str| parse_datetime(text).map(|t| rfc3339(&t));
        let want = Some("2026-11-22T09:00:00+08:00".to_owned());
        assert_eq!(stored("2026-11-22T09:00:00+08:00"), want);
        assert_eq!(stored("2026-11-22 09:00:00+08:00"), want);
        assert_eq!(stored("2026-11-22T09:00+08:00"), want);
        assert_eq!(stored("2026-11-22T09:00:00+0800"), want);
        assert_eq!(
            stored("2026-11-22T01:00:00Z"),
            Some("2026-11-22T01:00:00+00:00".into())
        );
        assert_eq!(
            stored("2026-11-22T09:00:00.250+08:00"),
            Some("2026-11-22T09:00:00.250+08:00".into())
        );
        // Without an offset: the laptop's own, whatever it is here.
        let local = stored("2026-11-22 09:00").expect("a local time");
        assert!(local.starts_with("2026-11-22T09:00:00"), "{local}");
        assert_eq!(stored("2026-11-22T09:00"), Some(local.clone()));
        assert_eq!(stored("2026-11-22 09:00:00"), Some(local));
        for bad in [
            "tomorrow",
            "2026-11-22",
            "22/11/2026 09:00",
            "2026-13-01 09:00",
            "2026-11-22T25:00",
        ] {
            assert_eq!(stored(bad), None, "{bad}");
        }
    }
}
