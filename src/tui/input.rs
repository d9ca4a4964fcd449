//! A one-line text input: the value, number, note, name and filter editors all use it.
//! The cursor moves by character and is placed by display width, so Chinese text works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
}

/// What a key did to the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputResult {
    Changed,
    Unchanged,
    Submit,
    Cancel,
    /// A key the input does not use (Tab, Up, Down ...), for the caller to handle.
    Ignored,
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn set(&mut self, text: &str) {
        *self = Self::new(text);
    }

    /// Display columns before the cursor, to place the terminal cursor.
    pub fn cursor_width(&self) -> usize {
        let byte = self.byte_index(self.cursor);
        self.text[..byte].width()
    }

    fn byte_index(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn handle(&mut self, key: KeyEvent) -> InputResult {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => InputResult::Submit,
            KeyCode::Esc => InputResult::Cancel,
            KeyCode::Char('u') if ctrl => {
                let byte = self.byte_index(self.cursor);
                self.text.replace_range(..byte, "");
                self.cursor = 0;
                InputResult::Changed
            }
            KeyCode::Char('a') if ctrl => self.move_to(0),
            KeyCode::Char('e') if ctrl => self.move_to(self.text.chars().count()),
            KeyCode::Char(_) if ctrl => InputResult::Ignored,
            KeyCode::Char(c) if !c.is_control() => {
                let byte = self.byte_index(self.cursor);
                self.text.insert(byte, c);
                self.cursor += 1;
                InputResult::Changed
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let byte = self.byte_index(self.cursor);
                self.text.remove(byte);
                InputResult::Changed
            }
            KeyCode::Delete if self.cursor < self.text.chars().count() => {
                let byte = self.byte_index(self.cursor);
                self.text.remove(byte);
                InputResult::Changed
            }
            KeyCode::Left if self.cursor > 0 => self.move_to(self.cursor - 1),
            KeyCode::Right => self.move_to((self.cursor + 1).min(self.text.chars().count())),
            KeyCode::Home => self.move_to(0),
            KeyCode::End => self.move_to(self.text.chars().count()),
            KeyCode::Backspace | KeyCode::Delete | KeyCode::Left => InputResult::Unchanged,
            _ => InputResult::Ignored,
        }
    }

    fn move_to(&mut self, cursor: usize) -> InputResult {
        self.cursor = cursor;
        InputResult::Unchanged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn edits_wide_text_by_character() {
        let mut input = LineInput::new("张三");
        assert_eq!(input.cursor_width(), 4);
        input.handle(key(KeyCode::Left));
        input.handle(key(KeyCode::Char('x')));
        assert_eq!(input.text(), "张x三");
        assert_eq!(input.cursor_width(), 3);
        input.handle(key(KeyCode::Backspace));
        input.handle(key(KeyCode::Backspace));
        assert_eq!(input.text(), "三");
        assert_eq!(input.handle(key(KeyCode::Enter)), InputResult::Submit);
        assert_eq!(input.handle(key(KeyCode::Tab)), InputResult::Ignored);
    }
}
