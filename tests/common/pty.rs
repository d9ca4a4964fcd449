//! A program running in a real pseudo-terminal, its screen read through a VT parser.
//!
//! Every wait is for a condition (text on the screen, the process's exit) with a deadline;
//! nothing here sleeps to let the program catch up.
//!
//! The screen may hold half a frame: a terminal writes rows top to bottom, so once a wait
//! sees text on a row, the rows above it are of the same frame or a later one, but rows
//! below may still be old. Wait for what is below rather than reading it off the screen.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long any one wait may take before the test fails. Generous: the tests must hold on
/// a loaded two-core machine running a debug build.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// How often a wait looks again when nothing new came from the program.
const POLL: Duration = Duration::from_millis(10);

/// Keys as a terminal sends them.
pub mod key {
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const TAB: &str = "\t";
    pub const BACKSPACE: &str = "\x7f";
    pub const UP: &str = "\x1b[A";
    pub const DOWN: &str = "\x1b[B";
    pub const RIGHT: &str = "\x1b[C";
    pub const LEFT: &str = "\x1b[D";
    pub const F12: &str = "\x1b[24~";
}

/// Terminal modes that a full-screen program sets and must give back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modes {
    pub alternate_screen: bool,
    pub cursor_hidden: bool,
    pub mouse_reporting: bool,
}

/// What the program wrote, as a screen and as raw bytes.
struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// The program's side of the terminal is closed: nothing more will come.
    closed: bool,
}

struct Shared {
    output: Mutex<Output>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Output> {
        // A panic while holding the lock is already a failed test; go on reading.
        self.output.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A child process in a pseudo-terminal.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    shared: Arc<Shared>,
    exit_code: Option<u32>,
}

fn size(cols: u16, rows: u16) -> (NonZeroU16, NonZeroU16) {
    (
        NonZeroU16::new(rows).expect("rows > 0"),
        NonZeroU16::new(cols).expect("cols > 0"),
    )
}

impl Pty {
    /// Starts `command` in a new `cols`x`rows` pseudo-terminal.
    pub fn spawn(command: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let child = pair
            .slave
            .spawn_command(command)
            .expect("spawn the program in the pseudo-terminal");
        // Only the child keeps the terminal's far end open, so its exit reads as end of file.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (rows_nz, cols_nz) = size(cols, rows);
        let shared = Arc::new(Shared {
            output: Mutex::new(Output {
                parser: vt100::Parser::new(rows_nz, cols_nz, 0),
                raw: Vec::new(),
                closed: false,
            }),
            changed: Condvar::new(),
        });
        let feed = Arc::clone(&shared);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut out = feed.lock();
                        out.parser.process(&buf[..n]);
                        out.raw.extend_from_slice(&buf[..n]);
                        drop(out);
                        feed.changed.notify_all();
                    }
                }
            }
            feed.lock().closed = true;
            feed.changed.notify_all();
        });
        Pty {
            child,
            master: pair.master,
            writer,
            shared,
            exit_code: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// Types `keys` (bytes as a terminal sends them).
    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .and_then(|()| self.writer.flush())
            .expect("write to the pseudo-terminal");
    }

    /// The screen as text, one line per row, trailing blanks trimmed.
    pub fn screen_text(&self) -> String {
        self.shared.lock().parser.screen().contents()
    }

    /// The terminal modes the program left set, as the parser sees them.
    pub fn modes(&self) -> Modes {
        let out = self.shared.lock();
        let screen = out.parser.screen();
        Modes {
            alternate_screen: screen.alternate_screen(),
            cursor_hidden: screen.hide_cursor(),
            mouse_reporting: screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
        }
    }

    /// Whether the character at `row`, `col` is drawn bold.
    pub fn cell_is_bold(&self, row: u16, col: u16) -> bool {
        self.shared
            .lock()
            .parser
            .screen()
            .cell(row, col)
            .is_some_and(|cell| cell.bold())
    }

    /// Everything the program wrote so far, as text.
    pub fn raw_output(&self) -> String {
        String::from_utf8_lossy(&self.shared.lock().raw).into_owned()
    }

    /// Waits until the screen shows `text`; returns the screen. Fails the test after
    /// `DEADLINE`, showing the screen.
    pub fn wait_for_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?} on the screen"), |screen| {
            screen.contains(text)
        })
    }

    /// Waits until `ready(screen)`; returns the screen. Fails the test after `DEADLINE`.
    pub fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        match self.wait_until(DEADLINE, ready) {
            Ok(screen) => screen,
            Err(screen) => panic!(
                "waited {DEADLINE:?} for {what}; the screen:\n{}\n{screen}\n{}",
                "-".repeat(80),
                "-".repeat(80)
            ),
        }
    }

    /// Waits at most `limit` until `ready(screen)`: `Ok(screen)`, or `Err(screen)` when the
    /// time is up or the program's output ended first.
    pub fn wait_until(
        &self,
        limit: Duration,
        ready: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + limit;
        let mut out = self.shared.lock();
        loop {
            let screen = out.parser.screen().contents();
            if ready(&screen) {
                return Ok(screen);
            }
            let now = Instant::now();
            if out.closed || now >= deadline {
                return Err(screen);
            }
            out = self
                .shared
                .changed
                .wait_timeout(out, POLL.min(deadline - now))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Waits for the program to exit; its exit code (1 when killed by a signal). Also waits
    /// for the last of its output, so the screen is final.
    pub fn wait_for_exit(&mut self) -> u32 {
        let deadline = Instant::now() + DEADLINE;
        let code = loop {
            if let Some(code) = self.exit_code {
                break code;
            }
            match self.child.try_wait().expect("poll the child") {
                Some(status) => {
                    self.exit_code = Some(status.exit_code());
                }
                None if Instant::now() >= deadline => panic!(
                    "the program did not exit within {DEADLINE:?}; the screen:\n{}",
                    self.screen_text()
                ),
                None => {
                    let out = self.shared.lock();
                    let _ = self.shared.changed.wait_timeout(out, POLL);
                }
            }
        };
        let _ = self.wait_until(DEADLINE, |_| false);
        code
    }

    /// Kills the program with SIGKILL — no handler runs, no buffer is flushed — and reaps it.
    pub fn kill_hard(&mut self) {
        if self.exit_code.is_some() {
            return;
        }
        self.sigkill().expect("SIGKILL the program");
        let status = self.child.wait().expect("reap the killed child");
        self.exit_code = Some(status.exit_code());
    }

    fn sigkill(&self) -> std::io::Result<()> {
        let pid = self
            .child
            .process_id()
            .and_then(|pid| libc::pid_t::try_from(pid).ok())
            .ok_or_else(|| std::io::Error::other("no pid"))?;
        // SAFETY: `kill` touches no memory of ours; the pid is our own child, not yet
        // reaped, so it cannot have been reused by another process.
        match unsafe { libc::kill(pid, libc::SIGKILL) } {
            0 => Ok(()),
            _ => Err(std::io::Error::last_os_error()),
        }
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the parser reading it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let (rows_nz, cols_nz) = size(cols, rows);
        self.shared.lock().parser.set_size(rows_nz, cols_nz);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pseudo-terminal");
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A failing test must not leave its program running (and holding its visit's lock).
        if self.exit_code.is_none()
            && matches!(self.child.try_wait(), Ok(None))
            && self.sigkill().is_ok()
        {
            let _ = self.child.wait();
        }
    }
}
