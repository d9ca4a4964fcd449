//! The supervisor's keys (SPEC section 6) as actions, one place for all three views; what
//! an action does depends on the view (list, detail, stats) and is the screen's to decide.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::log::review::Verdict;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    /// Enter: open the visit under the cursor.
    Open,
    /// Backspace, ←: back from the detail.
    Back,
    /// Esc: clear the search and filters, or go back — never quit.
    Escape,
    /// Tab: between the list and the stats.
    SwitchTab,
    Quit,
    /// `s`: the next sort column; `S`: the other direction.
    Sort,
    Reverse,
    /// `a`, `r`, `x`: a verdict on the visit.
    Judge(Verdict),
    /// `!`: a follow-up on the item under the cursor.
    FlagItem,
    /// `o`: open the highlighted item's photo or file with the system viewer.
    OpenEvidence,
    Search,
    NextStatus,
    NextVerdict,
    /// `b`: the stats tab's next breakdown.
    NextBreakdown,
    Help,
}

/// The action of a key, if it has one.
pub fn action(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::First,
        KeyCode::End | KeyCode::Char('G') => Action::Last,
        KeyCode::Enter => Action::Open,
        KeyCode::Backspace | KeyCode::Left => Action::Back,
        KeyCode::Esc => Action::Escape,
        KeyCode::Tab | KeyCode::BackTab => Action::SwitchTab,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('s') => Action::Sort,
        KeyCode::Char('S') => Action::Reverse,
        KeyCode::Char('a') => Action::Judge(Verdict::Approved),
        KeyCode::Char('r') => Action::Judge(Verdict::FollowUp),
        KeyCode::Char('x') => Action::Judge(Verdict::Rejected),
        KeyCode::Char('!') => Action::FlagItem,
        KeyCode::Char('o') => Action::OpenEvidence,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Char('f') => Action::NextStatus,
        KeyCode::Char('v') => Action::NextVerdict,
        KeyCode::Char('b') => Action::NextBreakdown,
        KeyCode::Char('?') => Action::Help,
        _ => return None,
    })
}
