//! Asking the terminal, once at start, whether it draws images (kitty graphics or sixel)
//! and how many pixels a cell has. The answer is read here with `poll(2)` and a deadline,
//! never by a thread left behind: a terminal that does not answer costs the timeout and no
//! keystroke. Inside tmux (whose passthrough is often off) nothing is asked.

use std::time::{Duration, Instant};

/// What the terminal said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Graphics {
    Kitty,
    Sixel,
    /// Nothing better than coloured half blocks.
    None,
}

/// The terminal's graphics and cell size in pixels (width, height), when it has both.
pub fn ask(timeout: Duration) -> (Graphics, Option<(u16, u16)>) {
    if std::env::var_os("TMUX").is_some()
        || std::env::var("TERM").is_ok_and(|t| t == "dumb" || t == "linux")
    {
        return (Graphics::None, None);
    }
    let cell = cell_pixels();
    let answer = query(timeout);
    (interpret(&answer), cell)
}

/// The kitty graphics query (answered only by terminals that draw it), then the primary
/// device attributes, which every terminal answers: its answer ends the wait.
const QUERY: &[u8] = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[c";

/// What the answers mean: kitty when it said OK to the graphics query, sixel when the
/// device attributes list 4.
pub fn interpret(answer: &[u8]) -> Graphics {
    let text = String::from_utf8_lossy(answer);
    if text.contains("_Gi=31;OK") {
        return Graphics::Kitty;
    }
    let Some(start) = text.find("\x1b[?") else {
        return Graphics::None;
    };
    let attributes = &text[start + 3..];
    let attributes = attributes.split('c').next().unwrap_or("");
    if attributes.split(';').any(|a| a == "4") {
        Graphics::Sixel
    } else {
        Graphics::None
    }
}

/// Whether the device attributes' answer is complete.
fn answered(buf: &[u8]) -> bool {
    let text = String::from_utf8_lossy(buf);
    text.find("\x1b[?")
        .is_some_and(|start| text[start..].contains('c'))
}

#[cfg(unix)]
fn query(timeout: Duration) -> Vec<u8> {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    let stdin = std::io::stdin();
    let fd = stdin.as_raw_fd();
    // SAFETY: isatty reads no memory of ours.
    if unsafe { libc::isatty(fd) } != 1 {
        return Vec::new();
    }
    let mut out = std::io::stdout();
    if out.write_all(QUERY).and_then(|()| out.flush()).is_err() {
        return Vec::new();
    }
    let deadline = Instant::now() + timeout;
    let mut answer = Vec::new();
    while !answered(&answer) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = i32::try_from(left.as_millis()).unwrap_or(i32::MAX).max(1);
        // SAFETY: one pollfd of ours, valid for the call.
        if unsafe { libc::poll(&mut poll, 1, ms) } <= 0 {
            break;
        }
        let mut buf = [0u8; 256];
        // SAFETY: reads at most the buffer's length into the buffer; the fd was said to be
        // ready, so this does not block.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        let Ok(n) = usize::try_from(n) else { break };
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    answer
}

#[cfg(not(unix))]
fn query(_timeout: Duration) -> Vec<u8> {
    Vec::new()
}

/// A cell's size in pixels, from the terminal's window size (0 where it does not say).
#[cfg(unix)]
fn cell_pixels() -> Option<(u16, u16)> {
    use std::os::fd::AsRawFd;
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let fd = std::io::stdout().as_raw_fd();
    // SAFETY: TIOCGWINSZ writes one winsize into ours.
    if unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut size) } != 0 {
        return None;
    }
    if size.ws_col == 0 || size.ws_row == 0 || size.ws_xpixel == 0 || size.ws_ypixel == 0 {
        return None;
    }
    Some((size.ws_xpixel / size.ws_col, size.ws_ypixel / size.ws_row))
}

#[cfg(not(unix))]
fn cell_pixels() -> Option<(u16, u16)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_as_the_terminals_send_them() {
        // kitty: OK to the graphics query, then its device attributes.
        assert_eq!(interpret(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;c"), Graphics::Kitty);
        // foot, xterm -ti vt340: 4 among the attributes.
        assert_eq!(interpret(b"\x1b[?62;4;22c"), Graphics::Sixel);
        assert_eq!(interpret(b"\x1b[?64;1;9;15;21;22c"), Graphics::None);
        assert_eq!(interpret(b""), Graphics::None);
        assert!(answered(b"\x1b[?62;4c"));
        assert!(!answered(b"\x1b[?62;4"));
    }
}
