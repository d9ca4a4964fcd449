//! The one place where a command's output leaves for a terminal: standard output and
//! standard error, rewritten on the fly so that no control character, escape sequence,
//! bidi override or zero-width character reaches the screen, whatever a command forgot to
//! pass through `sanitize`. A file or a pipe gets the bytes exactly as written (an export
//! must be exact); only a terminal gets the rewritten ones.

use std::io::{self, IsTerminal, Write};

use crate::sanitize::is_hazard;

/// What a command writes, which decides how a hazard is rewritten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Text for people (reports, tables, CSV): a hazard becomes U+FFFD as `sanitize` makes
    /// it, a CR a space; the line ends and tabs of the command's own layout pass.
    Text,
    /// JSON: a hazard becomes a `\uXXXX` escape, so the JSON stays valid and means the same
    /// (a hazard can only be inside a string; outside one it is not JSON anyway).
    Json,
}

/// A writer that makes what passes through it safe for a terminal, when `terminal` says
/// it goes to one; otherwise it writes every byte unchanged.
pub struct TerminalSafe<W: Write> {
    inner: W,
    form: Form,
    terminal: bool,
    /// The first bytes of a character whose last ones the next write brings (a write may
    /// end in the middle of one).
    pending: Vec<u8>,
    /// The rewritten bytes of one write, kept to save an allocation per write.
    scratch: Vec<u8>,
}

/// Standard output for a command writing `form`, safe when it is a terminal.
pub fn stdout(form: Form) -> TerminalSafe<io::StdoutLock<'static>> {
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    TerminalSafe::new(stdout.lock(), form, terminal)
}

/// Standard error, safe when it is a terminal (always text).
pub fn stderr() -> TerminalSafe<io::StderrLock<'static>> {
    let stderr = io::stderr();
    let terminal = stderr.is_terminal();
    TerminalSafe::new(stderr.lock(), Form::Text, terminal)
}

/// Which bytes of valid UTF-8 may start a hazard: the C0 controls and DEL, and the lead
/// bytes of the C1 controls (U+0080..U+009F), of U+061C, of U+2000..U+2FFF and of U+FEFF.
/// Every other byte is copied without a second look.
const MAY_START_HAZARD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[0x7f] = true;
    table[0xc2] = true;
    table[0xd8] = true;
    table[0xe2] = true;
    table[0xef] = true;
    table
};

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W, form: Form, terminal: bool) -> Self {
        TerminalSafe {
            inner,
            form,
            terminal,
            pending: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Rewrites `input` into `scratch`, keeping an unfinished character for the next write.
    fn rewrite(&mut self, mut input: &[u8]) {
        self.scratch.clear();
        if !self.pending.is_empty() {
            input = self.finish_pending(input);
        }
        loop {
            match std::str::from_utf8(input) {
                Ok(text) => {
                    self.clean(text);
                    return;
                }
                Err(e) => {
                    let (valid, rest) = input.split_at(e.valid_up_to());
                    self.clean(std::str::from_utf8(valid).unwrap_or_default());
                    match e.error_len() {
                        // The write ends inside a character: the next one brings the rest.
                        None => {
                            self.pending.extend_from_slice(rest);
                            return;
                        }
                        // Not UTF-8: shown as what it is, not handed to the terminal to
                        // read as it likes (0x9b alone is CSI to an 8-bit terminal).
                        Some(len) => {
                            self.scratch.extend_from_slice("\u{fffd}".as_bytes());
                            input = rest.get(len..).unwrap_or_default();
                        }
                    }
                }
            }
        }
    }

    /// Completes the character left unfinished by the last write with the first bytes of
    /// `input`; the rest of `input`.
    fn finish_pending<'a>(&mut self, mut input: &'a [u8]) -> &'a [u8] {
        let wanted = utf8_len(self.pending[0]);
        while self.pending.len() < wanted {
            match input.split_first() {
                Some((&b, rest)) if (0x80..0xc0).contains(&b) => {
                    self.pending.push(b);
                    input = rest;
                }
                // Still unfinished: this write brought nothing more.
                None => return input,
                // Cut short by the start of another character.
                Some(_) => break,
            }
        }
        let pending = std::mem::take(&mut self.pending);
        match std::str::from_utf8(&pending) {
            Ok(text) => self.clean(text),
            Err(_) => self.scratch.extend_from_slice("\u{fffd}".as_bytes()),
        }
        input
    }

    /// Appends `text` to `scratch` with every hazard rewritten.
    fn clean(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut copied = 0;
        let mut i = 0;
        loop {
            i = next_candidate(bytes, i);
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            let len = c.len_utf8();
            if c != '\n' && c != '\t' && is_hazard(c) {
                self.scratch.extend_from_slice(&bytes[copied..i]);
                self.replace(c);
                copied = i + len;
            }
            i += len;
        }
        self.scratch.extend_from_slice(&bytes[copied..]);
    }

    fn replace(&mut self, c: char) {
        match (self.form, c) {
            (Form::Text, '\r') => self.scratch.push(b' '),
            (Form::Text, _) => self.scratch.extend_from_slice("\u{fffd}".as_bytes()),
            // Every hazard is in the Basic Multilingual Plane: one escape, no surrogates.
            (Form::Json, c) => {
                let _ = write!(self.scratch, "\\u{:04x}", u32::from(c));
            }
        }
    }
}

/// The first byte from `i` on that may start a hazard (`bytes.len()` when there is none).
/// Eight bytes at a time while they are printable ASCII, as most of a report or an export
/// is: a terminal is slow, but an export to one must not be slower for this.
fn next_candidate(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    while let Some(word) = bytes.get(i..i + 8) {
        let w = u64::from_ne_bytes(word.try_into().unwrap_or([0; 8]));
        // A high bit in a byte of `w` (not ASCII), of `w + 1` (DEL) or of
        // `(w - 0x20) & !w` (a byte below 0x20) says a byte is not plain.
        let not_plain = (w | w.wrapping_add(ONES) | (w.wrapping_sub(0x20 * ONES) & !w)) & HIGH;
        if not_plain == 0 {
            i += 8;
            continue;
        }
        for _ in 0..8 {
            if MAY_START_HAZARD[usize::from(bytes[i])] {
                return i;
            }
            i += 1;
        }
    }
    while let Some(&b) = bytes.get(i) {
        if MAY_START_HAZARD[usize::from(b)] {
            return i;
        }
        i += 1;
    }
    i
}

/// How many bytes the UTF-8 character that `lead` starts takes (1 for a byte that starts
/// none, which then reads as not UTF-8).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => 1,
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.terminal {
            return self.inner.write(buf);
        }
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if !self.terminal {
            return self.inner.write_all(buf);
        }
        self.rewrite(buf);
        self.inner.write_all(&self.scratch)
    }

    fn flush(&mut self) -> io::Result<()> {
        // An unfinished character stays back: flushing half of it would let its bytes
        // reach the terminal unchecked.
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        // A character never finished is not UTF-8: it ends the output as what it is.
        if !self.pending.is_empty() {
            self.pending.clear();
            let _ = self.inner.write_all("\u{fffd}".as_bytes());
        }
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}[2Jb\u{9b}31m\u{7f}c\u{202e}d\u{200b}e\u{feff}\r\u{7}";

    /// What a terminal receives when `parts` are written one after another.
    fn through(form: Form, terminal: bool, parts: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut safe = TerminalSafe::new(&mut out, form, terminal);
            for part in parts {
                safe.write_all(part).expect("write to a Vec");
            }
        }
        out
    }

    fn text(form: Form, s: &str) -> String {
        String::from_utf8(through(form, true, &[s.as_bytes()])).expect("UTF-8")
    }

    #[test]
    fn text_loses_every_hazard_and_keeps_its_layout() {
        assert_eq!(
            text(Form::Text, HOSTILE),
            "a\u{fffd}[2Jb\u{fffd}31m\u{fffd}c\u{fffd}d\u{fffd}e\u{fffd} \u{fffd}"
        );
        assert_eq!(text(Form::Text, "王女士\tWO-1\n"), "王女士\tWO-1\n");
        // Whatever the text, it comes out as `sanitize` would make it, line by line.
        let line = format!("{HOSTILE}\u{2028}x\u{2066}\u{80}\u{9f}\u{61c}é—“”★✓");
        assert_eq!(text(Form::Text, &line), crate::present::sanitize(&line));
    }

    #[test]
    fn every_hazard_starts_with_a_byte_that_is_looked_at() {
        // Should `is_hazard` grow, the table must grow with it.
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| is_hazard(c))
        {
            let mut lead = [0; 4];
            c.encode_utf8(&mut lead);
            assert!(MAY_START_HAZARD[usize::from(lead[0])], "{c:?}");
        }
    }

    #[test]
    fn a_hazard_is_found_wherever_it_is_in_plain_text() {
        for hazard in [
            '\0', '\u{1b}', '\u{1f}', '\u{7f}', '\u{9b}', '\u{202e}', '\u{feff}',
        ] {
            for at in 0..24 {
                let line = format!("{}{hazard}{}", "~".repeat(at), " z".repeat(10));
                let shown = text(Form::Text, &line);
                assert_eq!(shown, crate::present::sanitize(&line), "{hazard:?} at {at}");
            }
        }
    }

    #[test]
    fn json_keeps_its_meaning() {
        let value = serde_json::json!({ "note": HOSTILE, "王": "a\u{2069}\u{85}" });
        let written = serde_json::to_string_pretty(&value).expect("JSON");
        let shown = text(Form::Json, &written);
        assert!(!shown.chars().any(|c| c != '\n' && is_hazard(c)), "{shown}");
        let back: serde_json::Value = serde_json::from_str(&shown).expect("still JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn a_character_cut_between_writes_is_seen_whole() {
        for form in [Form::Text, Form::Json] {
            let whole = through(form, true, &[HOSTILE.as_bytes()]);
            let bytes = format!("王{HOSTILE}✓").into_bytes();
            for cut in 0..=bytes.len() {
                let (a, b) = bytes.split_at(cut);
                let mut expected = through(form, true, &["王".as_bytes()]);
                expected.extend_from_slice(&whole);
                expected.extend_from_slice("✓".as_bytes());
                assert_eq!(through(form, true, &[a, b]), expected, "cut at {cut}");
            }
            // One byte a write.
            let single: Vec<&[u8]> = bytes.chunks(1).collect();
            let mut expected = "王".as_bytes().to_vec();
            expected.extend_from_slice(&whole);
            expected.extend_from_slice("✓".as_bytes());
            assert_eq!(through(form, true, &single), expected);
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_shown_as_such() {
        let out = through(Form::Text, true, &[b"a\x9b2Jb\xe2\x80", b"c", b"\xe2"]);
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "a\u{fffd}2Jb\u{fffd}c\u{fffd}"
        );
    }

    proptest::proptest! {
        /// Whatever the text and wherever the writes cut it, the terminal gets the same
        /// bytes, and none of them a hazard (JSON: the same text back from its escapes).
        #[test]
        fn any_text_cut_anywhere(
            text in "([\\x00-\\x7f\u{80}-\u{a0}\u{2000}-\u{206f}\u{feff}王é★]|\\PC){0,40}",
            cuts in proptest::collection::vec(0usize..200, 0..6),
        ) {
            let bytes = text.as_bytes();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
            cuts.sort_unstable();
            let mut parts = Vec::new();
            let mut from = 0;
            for cut in cuts {
                parts.push(&bytes[from..cut]);
                from = cut;
            }
            parts.push(&bytes[from..]);
            for form in [Form::Text, Form::Json] {
                let whole = through(form, true, &[bytes]);
                proptest::prop_assert_eq!(&through(form, true, &parts), &whole);
                let shown = String::from_utf8(whole).expect("UTF-8");
                proptest::prop_assert!(!shown.chars().any(|c| c != '\n' && c != '\t' && is_hazard(c)));
            }
            let json = serde_json::to_string(&text).expect("JSON");
            let shown = String::from_utf8(through(Form::Json, true, &[json.as_bytes()]))
                .expect("UTF-8");
            proptest::prop_assert_eq!(serde_json::from_str::<String>(&shown).expect("JSON"), text);
        }
    }

    #[test]
    fn files_and_pipes_get_the_bytes_as_written() {
        let bytes = format!("{HOSTILE}\n王").into_bytes();
        let (a, b) = bytes.split_at(3);
        for form in [Form::Text, Form::Json] {
            assert_eq!(through(form, false, &[a, b]), bytes);
        }
    }
}
