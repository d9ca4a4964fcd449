//! The hash chain that every log line carries (SPEC section 5).
//!
//! A line ends with `,"hash":"<64 lowercase hex>"}`; its *body* is the line with that ending
//! replaced by `}`, and `hash = hex(sha256(prev + "\n" + body))` where `prev` is the previous
//! line's hash (empty for the first line). Nothing here knows about events, so visit logs and
//! review logs share it.

use sha2::{Digest, Sha256};

/// Length of a hash in hex digits.
pub const HASH_HEX_LEN: usize = 64;

/// What a line ends with before the hash's hex digits.
const HASH_MEMBER: &str = ",\"hash\":\"";
/// What a line ends with after the hash's hex digits.
const LINE_END: &str = "\"}";

/// Why a body could not be sealed, or a line not split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("a body must be a JSON object with at least one member, on one line")]
    BadBody,
    #[error("the line does not end with its hash (`,\"hash\":\"<64 lowercase hex>\"}}`)")]
    NoHash,
}

/// A line cut at its hash member, without copying: `head` is everything before
/// `,"hash":"`, so the body is `head` followed by `}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitLine<'a> {
    pub head: &'a str,
    pub hash: &'a str,
}

impl SplitLine<'_> {
    /// The body the hash was computed over.
    pub fn body(&self) -> String {
        let mut body = String::with_capacity(self.head.len() + 1);
        body.push_str(self.head);
        body.push('}');
        body
    }

    /// The hash this line should carry if `prev` is the hash before it.
    pub fn expected_hash(&self, prev: &str) -> String {
        // Feeds the body in two pieces so checking a long log copies nothing.
        let digest = Sha256::new()
            .chain_update(prev.as_bytes())
            .chain_update(b"\n")
            .chain_update(self.head.as_bytes())
            .chain_update(b"}")
            .finalize();
        to_hex(&digest)
    }

    /// True when the line's hash links it to `prev`.
    pub fn links_to(&self, prev: &str) -> bool {
        self.expected_hash(prev) == self.hash
    }
}

/// `hex(sha256(prev + "\n" + body))`.
pub fn link_hash(prev: &str, body: &str) -> String {
    let digest = Sha256::new()
        .chain_update(prev.as_bytes())
        .chain_update(b"\n")
        .chain_update(body.as_bytes())
        .finalize();
    to_hex(&digest)
}

/// A body turned into a full line (no line ending), with the hash it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub line: String,
    pub hash: String,
}

/// Seals `body` (a one-line JSON object such as `{"seq":0,...}`) after `prev`.
pub fn seal(prev: &str, body: &str) -> Result<Sealed, ChainError> {
    let head = body.strip_suffix('}').ok_or(ChainError::BadBody)?;
    // `{}` would become `{,"hash":...}`, and a line break would split the line in two.
    if !head.starts_with('{') || head.trim() == "{" || body.contains(['\n', '\r']) {
        return Err(ChainError::BadBody);
    }
    let hash = link_hash(prev, body);
    let mut line = String::with_capacity(head.len() + HASH_MEMBER.len() + HASH_HEX_LEN + 2);
    line.push_str(head);
    line.push_str(HASH_MEMBER);
    line.push_str(&hash);
    line.push_str(LINE_END);
    Ok(Sealed { line, hash })
}

/// Splits a line (without its line ending) into head and hash. Checks only the shape of the
/// ending; whether the hash is right is `SplitLine::links_to`.
pub fn split(line: &str) -> Result<SplitLine<'_>, ChainError> {
    let rest = line.strip_suffix(LINE_END).ok_or(ChainError::NoHash)?;
    let cut = rest
        .len()
        .checked_sub(HASH_HEX_LEN)
        .ok_or(ChainError::NoHash)?;
    let (rest, hash) = (rest.get(..cut), rest.get(cut..));
    let (Some(rest), Some(hash)) = (rest, hash) else {
        return Err(ChainError::NoHash);
    };
    if !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(ChainError::NoHash);
    }
    let head = rest.strip_suffix(HASH_MEMBER).ok_or(ChainError::NoHash)?;
    Ok(SplitLine { head, hash })
}

/// Lower-case hex of `bytes` (a hash, as the log writes it).
pub fn to_hex(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.extend_from_slice(&hex_pair(b));
    }
    // Only ASCII digits were pushed.
    String::from_utf8(out).unwrap_or_default()
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The two lower-case hex digits of a byte.
pub fn hex_pair(b: u8) -> [u8; 2] {
    [
        HEX_DIGITS[usize::from(b >> 4)],
        HEX_DIGITS[usize::from(b & 0xf)],
    ]
}

/// The 32 bytes of a hash written as 64 lower-case hex digits; `None` for anything else.
pub fn hash_bytes(hex: &str) -> Option<[u8; 32]> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let hex = hex.as_bytes();
    if hex.len() != HASH_HEX_LEN {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed independently with python3:
    //   hashlib.sha256(("" + "\n" + body0).encode()).hexdigest()
    //   hashlib.sha256((h0 + "\n" + body1).encode()).hexdigest()
    const BODY0: &str = r#"{"seq":0,"event":"started"}"#;
    const HASH0: &str = "8b8fed38dd1c4a574f8d76c6b03fd080876363f06caf9cee5ffa2d0f90d08200";
    const BODY1: &str = r#"{"seq":1,"event":"paused","note":"张三"}"#;
    const HASH1: &str = "2aa52aafae71f4e5369c13876b9e9cb412fbcaa9c51d3e4c08af907490685d19";

    #[test]
    fn known_answers() {
        assert_eq!(link_hash("", BODY0), HASH0);
        assert_eq!(link_hash(HASH0, BODY1), HASH1);
    }

    #[test]
    fn seal_puts_the_hash_last() {
        let sealed = seal("", BODY0).unwrap();
        assert_eq!(sealed.hash, HASH0);
        assert_eq!(
            sealed.line,
            format!(r#"{{"seq":0,"event":"started","hash":"{HASH0}"}}"#)
        );
    }

    #[test]
    fn split_gives_back_body_and_hash() {
        let sealed = seal(HASH0, BODY1).unwrap();
        let split = split(&sealed.line).unwrap();
        assert_eq!(split.body(), BODY1);
        assert_eq!(split.hash, HASH1);
        assert!(split.links_to(HASH0));
        assert!(!split.links_to(""));
        assert_eq!(split.expected_hash(HASH0), HASH1);
    }

    #[test]
    fn refuses_bodies_that_cannot_be_sealed() {
        for body in [
            "",
            "{}",
            "{ }",
            "[1]",
            "\"x\"",
            "{\"a\":1}\n",
            "{\"a\":\n1}",
            "x}",
        ] {
            assert_eq!(seal("", body), Err(ChainError::BadBody), "{body:?}");
        }
    }

    #[test]
    fn refuses_lines_without_a_proper_hash_ending() {
        let good = seal("", BODY0).unwrap().line;
        let upper = good.replace(&HASH0[..2], &HASH0[..2].to_uppercase());
        let short = good.replace(HASH0, &HASH0[1..]);
        let cases = [
            "",
            "}",
            "{\"hash\":\"\"}",
            &good[..good.len() - 1],
            &upper,
            &short,
            "{\"a\":1,\"hash\":\"8b8fed38dd1c4a574f8d76c6b03fd080876363f06caf9cee5ffa2d0f90d0820é\"}",
        ];
        for line in cases {
            assert_eq!(split(line), Err(ChainError::NoHash), "{line:?}");
        }
    }
}
