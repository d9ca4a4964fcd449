//! A small binary encoding for the summary cache: unsigned LEB128 numbers and
//! length-prefixed strings. Decoding 100,000 summaries must take tens of milliseconds, which
//! JSON cannot do; and the cache is ours alone, so it needs no schema beyond its version.
//!
//! Reading never panics: a short or malformed buffer reads as `None`.
//!
//! A stream is digested (sha256) as it is written and as it is read, so that a file can end
//! with the digest of everything before it and be checked in the same pass that reads it.

use std::io::{Read, Write};

use sha2::{Digest, Sha256};

/// The length of a digest (sha256).
pub const DIGEST_LEN: usize = 32;

/// Appends values to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u64(&mut self, mut n: u64) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.buf.push(byte);
                return;
            }
            self.buf.push(byte | 0x80);
        }
    }

    pub fn i64(&mut self, n: i64) {
        // Zig-zag, so small negative numbers stay short.
        self.u64(((n << 1) ^ (n >> 63)) as u64);
    }

    pub fn u32(&mut self, n: u32) {
        self.u64(u64::from(n));
    }

    pub fn usize(&mut self, n: usize) {
        self.u64(n as u64);
    }

    pub fn bool(&mut self, b: bool) {
        self.buf.push(u8::from(b));
    }

    pub fn f64(&mut self, x: f64) {
        self.buf.extend_from_slice(&x.to_le_bytes());
    }

    pub fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.bool(false),
            Some(s) => {
                self.bool(true);
                self.str(s);
            }
        }
    }
}

/// Reads values back, in the order they were written.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    pub fn u64(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            n |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    pub fn i64(&mut self) -> Option<i64> {
        let n = self.u64()?;
        Some(((n >> 1) as i64) ^ -((n & 1) as i64))
    }

    pub fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.u64()?).ok()
    }

    pub fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    pub fn bool(&mut self) -> Option<bool> {
        match self.bytes(1)? {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }

    pub fn f64(&mut self) -> Option<f64> {
        let bytes: [u8; 8] = self.bytes(8)?.try_into().ok()?;
        Some(f64::from_le_bytes(bytes))
    }

    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    pub fn str(&mut self) -> Option<&'a str> {
        let len = self.usize()?;
        std::str::from_utf8(self.bytes(len)?).ok()
    }

    pub fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    pub fn opt_string(&mut self) -> Option<Option<String>> {
        if self.bool()? {
            Some(Some(self.string()?))
        } else {
            Some(None)
        }
    }
}

/// Reads values from a stream, as `Reader` does from a slice: for a file too big to hold
/// whole just to find what is in it. Counts the bytes read, so a part can be read again
/// later by its place, and digests them, so that the file can be checked against the
/// digest it ends with (`check_digest`).
pub struct StreamReader<R> {
    inner: R,
    position: u64,
    digest: Sha256,
}

impl<R> std::fmt::Debug for StreamReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamReader")
            .field("position", &self.position)
            .finish_non_exhaustive()
    }
}

impl<R: Read> StreamReader<R> {
    pub fn new(inner: R) -> StreamReader<R> {
        StreamReader {
            inner,
            position: 0,
            digest: Sha256::new(),
        }
    }

    /// Bytes read so far.
    pub fn position(&self) -> u64 {
        self.position
    }

    fn byte(&mut self) -> Option<u8> {
        let byte = self.byte_undigested()?;
        self.digest.update([byte]);
        Some(byte)
    }

    fn byte_undigested(&mut self) -> Option<u8> {
        let mut byte = [0u8; 1];
        self.inner.read_exact(&mut byte).ok()?;
        self.position += 1;
        Some(byte[0])
    }

    /// The digest of everything read so far.
    pub fn digest(&self) -> [u8; DIGEST_LEN] {
        self.digest.clone().finalize().into()
    }

    /// Reads the digest a writer put after everything read so far (`DigestWriter::finish`):
    /// `None` unless it is the digest of those bytes.
    pub fn check_digest(&mut self) -> Option<[u8; DIGEST_LEN]> {
        let expected = self.digest();
        let mut found = [0u8; DIGEST_LEN];
        self.inner.read_exact(&mut found).ok()?;
        self.position += DIGEST_LEN as u64;
        (found == expected).then_some(expected)
    }

    pub fn u64(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    /// The next length-prefixed entry (`usize` length, then the bytes), appended to `buf` as
    /// it is in the stream, prefix and all; the range of its bytes in `buf`. NOT digested:
    /// the caller hands what it appended to `digest_update`, in order, so that a batch can be
    /// digested beside its decoding rather than before.
    pub fn entry_undigested(&mut self, buf: &mut Vec<u8>) -> Option<std::ops::Range<usize>> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte_undigested()?;
            buf.push(byte);
            n |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                let start = buf.len();
                let read = (&mut self.inner).take(n).read_to_end(buf).ok()?;
                self.position += read as u64;
                return (read as u64 == n).then_some(start..buf.len());
            }
        }
        None
    }

    /// Digests bytes read with `entry_undigested`.
    pub fn digest_update(&mut self, bytes: &[u8]) {
        self.digest.update(bytes);
    }

    pub fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.u64()?).ok()
    }

    pub fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    /// The next `n` bytes, into `buf` (its old content dropped).
    pub fn bytes_into(&mut self, n: usize, buf: &mut Vec<u8>) -> Option<()> {
        buf.clear();
        self.append(n, buf)
    }

    /// The next `n` bytes, added to the end of `buf`.
    pub fn append(&mut self, n: usize, buf: &mut Vec<u8>) -> Option<()> {
        let start = buf.len();
        let read = (&mut self.inner).take(n as u64).read_to_end(buf).ok()?;
        self.position += read as u64;
        self.digest.update(buf.get(start..).unwrap_or_default());
        (read == n).then_some(())
    }

    pub fn string(&mut self) -> Option<String> {
        let len = self.usize()?;
        let mut buf = Vec::new();
        self.bytes_into(len, &mut buf)?;
        String::from_utf8(buf).ok()
    }

    /// Passes the next `n` bytes on to `out`, a piece at a time through `buf`.
    pub fn copy_to(&mut self, n: u64, out: &mut impl Write, buf: &mut Vec<u8>) -> Option<()> {
        const PIECE: u64 = 1 << 20;
        let mut left = n;
        while left > 0 {
            let piece = left.min(PIECE);
            self.bytes_into(piece as usize, buf)?;
            out.write_all(buf).ok()?;
            left -= piece;
        }
        Some(())
    }

    /// Whether nothing is left.
    pub fn at_end(&mut self) -> bool {
        self.byte().is_none()
    }
}

/// Writes a stream through to `inner` and digests it, so that it can end with the digest
/// of everything written before (`finish`), for `StreamReader::check_digest`.
pub struct DigestWriter<W> {
    inner: W,
    digest: Sha256,
}

impl<W: Write> DigestWriter<W> {
    pub fn new(inner: W) -> DigestWriter<W> {
        DigestWriter {
            inner,
            digest: Sha256::new(),
        }
    }

    /// Writes the digest of everything written so far, and hands back the stream.
    pub fn finish(mut self) -> std::io::Result<W> {
        let digest = self.digest.finalize();
        self.inner.write_all(&digest)?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for DigestWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.digest.update(buf.get(..written).unwrap_or_default());
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let mut w = Writer::default();
        for n in [0, 1, 127, 128, 300, u64::MAX] {
            w.u64(n);
        }
        for n in [0, -1, 1, i64::MIN, i64::MAX] {
            w.i64(n);
        }
        w.f64(0.875);
        w.str("张三 \u{1b}");
        w.opt_str(None);
        w.opt_str(Some(""));
        w.bool(true);
        let mut r = Reader::new(&w.buf);
        for n in [0, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.u64(), Some(n));
        }
        for n in [0, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(r.i64(), Some(n));
        }
        assert_eq!(r.f64(), Some(0.875));
        assert_eq!(r.str(), Some("张三 \u{1b}"));
        assert_eq!(r.opt_string(), Some(None));
        assert_eq!(r.opt_string(), Some(Some(String::new())));
        assert_eq!(r.bool(), Some(true));
        assert_eq!(r.u64(), None);
    }

    #[test]
    fn a_stream_reads_what_a_slice_does_and_knows_where_it_is() {
        let mut w = Writer::default();
        w.u64(300);
        w.str("张三");
        w.u32(7);
        w.buf.extend_from_slice(b"abc");
        let mut r = StreamReader::new(w.buf.as_slice());
        assert_eq!(r.u64(), Some(300));
        assert_eq!(r.position(), 2);
        assert_eq!(r.string().as_deref(), Some("张三"));
        assert_eq!(r.u32(), Some(7));
        let mut buf = vec![9];
        assert_eq!(r.bytes_into(2, &mut buf), Some(()));
        assert_eq!(buf, b"ab");
        assert_eq!(r.position(), w.buf.len() as u64 - 1);
        assert_eq!(r.bytes_into(2, &mut buf), None, "only one byte is left");
        assert!(r.at_end());
        assert_eq!(StreamReader::new([0xffu8; 11].as_slice()).u64(), None);
    }

    #[test]
    fn a_stream_ends_with_the_digest_of_what_came_before() {
        let mut out = DigestWriter::new(Vec::new());
        let mut w = Writer::default();
        w.u64(300);
        w.str("张三");
        out.write_all(&w.buf).unwrap();
        let bytes = out.finish().unwrap();
        assert_eq!(bytes.len(), w.buf.len() + DIGEST_LEN);
        let mut r = StreamReader::new(bytes.as_slice());
        assert_eq!(r.u64(), Some(300));
        let mut buf = Vec::new();
        r.usize().and_then(|n| r.bytes_into(n, &mut buf)).unwrap();
        let digest = r.digest();
        assert_eq!(r.check_digest(), Some(digest));
        assert!(r.at_end());
        for at in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[at] ^= 0x10;
            let mut r = StreamReader::new(bad.as_slice());
            let mut buf = Vec::new();
            r.bytes_into(w.buf.len(), &mut buf).unwrap();
            assert_eq!(r.check_digest(), None, "byte {at}");
        }
        let mut copied = Vec::new();
        let mut r = StreamReader::new(bytes.as_slice());
        r.copy_to(w.buf.len() as u64, &mut copied, &mut Vec::new())
            .unwrap();
        assert_eq!(copied, w.buf);
        assert_eq!(r.check_digest(), Some(digest), "copied bytes are digested");
        // An entry read undigested, then digested.
        let mut r = StreamReader::new(bytes.as_slice());
        let mut buf = vec![9];
        let mut number = Vec::new();
        r.bytes_into(2, &mut number).unwrap();
        assert_eq!(r.entry_undigested(&mut buf), Some(2..8));
        assert_eq!(&buf[2..], "张三".as_bytes());
        assert_ne!(r.digest(), digest);
        r.digest_update(&buf[1..]);
        assert_eq!(r.check_digest(), Some(digest));
        let mut short = StreamReader::new(&bytes[..bytes.len() - 1]);
        short.bytes_into(w.buf.len(), &mut Vec::new()).unwrap();
        assert_eq!(short.check_digest(), None);
    }

    #[test]
    fn garbage_reads_as_none() {
        assert_eq!(Reader::new(&[0xff; 11]).u64(), None);
        assert_eq!(Reader::new(&[5, b'a']).str(), None);
        assert_eq!(Reader::new(&[2, 0xff, 0xfe]).str(), None);
        assert_eq!(Reader::new(&[7]).bool(), None);
    }
}
