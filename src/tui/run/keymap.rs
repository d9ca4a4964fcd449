//! The run screen's keys (SPEC section 4) as actions: one place says which key does what;
//! what an action does on the current item is the screen's `update`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks of the run screen when no editor or box has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Previous,
    Next,
    PageUp,
    PageDown,
    First,
    Last,
    NextMissing,
    PreviousMissing,
    Help,
    Summary,
    Header,
    Leave,
    HighlightLeft,
    HighlightRight,
    /// Space: toggle or choose the highlighted option.
    Toggle,
    /// Enter: edit a typed value, or go to the next item.
    Enter,
    Note,
    /// `e`: attach photos and files to the current item (the picker).
    Evidence,
    Amend,
    Clear,
    /// Any other character: a digit (the n-th answer, or the start of a number), a letter
    /// (pass, fail, yes, no), or a key that does nothing here (said on screen).
    Char(char),
}

/// The action of a key, if it has one.
pub fn action(key: KeyEvent) -> Option<Action> {
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Action::Previous,
        KeyCode::Down | KeyCode::Char('j') => Action::Next,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home => Action::First,
        KeyCode::End => Action::Last,
        KeyCode::BackTab => Action::PreviousMissing,
        KeyCode::Tab if shift => Action::PreviousMissing,
        KeyCode::Tab => Action::NextMissing,
        KeyCode::Left => Action::HighlightLeft,
        KeyCode::Right => Action::HighlightRight,
        KeyCode::Enter => Action::Enter,
        KeyCode::Backspace | KeyCode::Delete => Action::Clear,
        KeyCode::Char(_) if ctrl => return None,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('s') => Action::Summary,
        KeyCode::Char('h') => Action::Header,
        KeyCode::Char('q') => Action::Leave,
        KeyCode::Char('c') => Action::Note,
        KeyCode::Char('e') => Action::Evidence,
        KeyCode::Char('A') => Action::Amend,
        KeyCode::Char(' ') => Action::Toggle,
        KeyCode::Char(c) => Action::Char(c),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_the_spec() {
        let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
        assert_eq!(action(key(KeyCode::Char('j'))), Some(Action::Next));
        assert_eq!(action(key(KeyCode::Char('1'))), Some(Action::Char('1')));
        assert_eq!(
            action(KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT)),
            Some(Action::PreviousMissing)
        );
        assert_eq!(
            action(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(action(key(KeyCode::F(5))), None);
    }
}
