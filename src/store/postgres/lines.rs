//! A log as the database holds it: its whole lines, each with its hash, in order; and the
//! escaping of COPY's text format.

/// The whole lines of a log (without their newlines), with each line's hash.
#[derive(Clone, Debug, Default)]
pub struct Lines {
    lines: Vec<String>,
    hashes: Vec<String>,
}

impl Lines {
    pub fn push(&mut self, line: String, hash: String) {
        self.lines.push(line);
        self.hashes.push(hash);
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Each line's hash, in order.
    pub fn hashes(&self) -> &[String] {
        &self.hashes
    }

    /// Line `i` and its hash (empty past the end).
    pub fn get(&self, i: usize) -> (&str, &str) {
        (
            self.lines.get(i).map_or("", String::as_str),
            self.hashes.get(i).map_or("", String::as_str),
        )
    }

    /// The log's bytes: every line and its newline, as the file has them.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
        for line in &self.lines {
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
        out
    }
}

/// The whole lines of `whole` (which ends in a newline, or is empty), each with the hash it
/// ends in; `None` when a line is not UTF-8 or does not end in `"hash":"<64 hex>"}`.
pub fn split_lines(whole: &[u8]) -> Option<Lines> {
    let text = std::str::from_utf8(whole).ok()?;
    let mut lines = Lines::default();
    if text.is_empty() {
        return Some(lines);
    }
    let body = text.strip_suffix('\n')?;
    for line in body.split('\n') {
        let hash = crate::log::chain::split(line).ok()?.hash.to_owned();
        lines.push(line.to_owned(), hash);
    }
    Some(lines)
}

/// The sha256 of `bytes`, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::log::chain::to_hex(&sha2::Sha256::digest(bytes))
}

/// `text` escaped for a COPY text-format column.
pub fn copy_text(out: &mut Vec<u8>, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_reads_as_structure() {
        let mut out = Vec::new();
        copy_text(&mut out, "a\\b\tc\nd\re");
        assert_eq!(out, b"a\\\\b\\tc\\nd\\re");
    }

    #[test]
    fn lines_give_back_the_bytes_they_came_from() {
        let hash = "a".repeat(64);
        let text =
            format!("{{\"seq\":0,\"hash\":\"{hash}\"}}\n{{\"seq\":1,\"hash\":\"{hash}\"}}\n");
        let lines = split_lines(text.as_bytes()).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines.bytes(), text.as_bytes());
        assert!(split_lines(b"{\"seq\":0}\n").is_none());
        assert!(split_lines(b"no newline").is_none());
    }
}
