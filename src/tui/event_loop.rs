//! The one event loop of every screen: draw, wait for an event (or the screen's own work),
//! hand keys and clicks to the screen, repeat until it is done. The terminal is entered
//! here and restored however the loop ends.

use std::time::Duration;

use crossterm::event::{self, Event, KeyEvent, KeyEventKind, MouseEvent};
use ratatui::Frame;

use super::terminal::TerminalGuard;

/// What the loop needs of a screen.
pub trait Screen {
    /// Called once the terminal is the screen's (raw mode, alternate screen), before any
    /// event is read: a screen may ask the terminal something here.
    fn started(&mut self) {}
    fn draw(&mut self, frame: &mut Frame);
    fn handle_key(&mut self, key: KeyEvent);
    fn handle_mouse(&mut self, _mouse: MouseEvent) {}
    /// Work done between events (a background result taken in, a list read after the
    /// first frame); true when it changed what is shown, to draw again at once.
    fn between_events(&mut self) -> bool {
        false
    }
    /// Called when no event came for `wait` (retries, the battery level).
    fn idle(&mut self) {}
    /// How long to wait for an event before `idle`.
    fn wait(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn done(&self) -> bool;
}

/// Runs `screen` in the terminal until it is done.
pub fn run(screen: &mut impl Screen) -> std::io::Result<()> {
    let mut guard = TerminalGuard::enter()?;
    screen.started();
    while !screen.done() {
        guard.terminal.draw(|frame| screen.draw(frame))?;
        if screen.between_events() {
            continue;
        }
        if event::poll(screen.wait())? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => screen.handle_key(key),
                Event::Mouse(mouse) => screen.handle_mouse(mouse),
                _ => {}
            }
        } else {
            screen.idle();
        }
    }
    Ok(())
}
