//! Reading the run screen: the current item's pane and the `✓ saved #N` notice.

use super::pty::Pty;

/// The right-hand pane of the run screen (the current item), one line per row: each row
/// after the list's border `│`. The header row and the rows below the panes are left out.
pub fn detail(screen: &str) -> String {
    screen
        .lines()
        .filter_map(|line| line.split_once('│').map(|(_, right)| right))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The N of the `✓ saved #N` notice on a screen (`saved` is the word in the UI language).
pub fn saved_seq(screen: &str, saved: &str) -> Option<u64> {
    let marker = format!("✓ {saved} #");
    screen.lines().find_map(|line| {
        let rest = &line[line.find(&marker)? + marker.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

/// Up to `chars` characters of `text`: enough of a prompt to know it, short enough to sit on
/// the first row of the pane however the rest wraps.
pub fn start_of(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// Waits until the current item is the one whose prompt starts like `prompt`.
pub fn wait_at(pty: &Pty, prompt: &str) -> String {
    let start = start_of(prompt, 24);
    pty.wait_for(&format!("the item {prompt:?} in the item pane"), |screen| {
        detail(screen).contains(&start)
    })
}

/// Waits until the screen says event `seq` is saved (English UI).
pub fn wait_saved(pty: &Pty, seq: u64) -> String {
    wait_saved_in(pty, seq, "saved")
}

pub fn wait_saved_in(pty: &Pty, seq: u64, saved: &str) -> String {
    pty.wait_for(&format!("\"✓ {saved} #{seq}\""), |screen| {
        saved_seq(screen, saved) == Some(seq)
    })
}
