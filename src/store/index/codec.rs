//! A small binary encoding for the summary cache: unsigned LEB128 numbers and
//! length-prefixed strings. Decoding 100,000 summaries must take tens of milliseconds, which
//! JSON cannot do; and the cache is ours alone, so it needs no schema beyond its version.
//!
//! Reading never panics: a short or malformed buffer reads as `None`.

use std::io::Read;

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
/// later by its place.
#[derive(Debug)]
pub struct StreamReader<R> {
    inner: R,
    position: u64,
}

impl<R: Read> StreamReader<R> {
    pub fn new(inner: R) -> StreamReader<R> {
        StreamReader { inner, position: 0 }
    }

    /// Bytes read so far.
    pub fn position(&self) -> u64 {
        self.position
    }

    fn byte(&mut self) -> Option<u8> {
        let mut byte = [0u8; 1];
        self.inner.read_exact(&mut byte).ok()?;
        self.position += 1;
        Some(byte[0])
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
        let read = (&mut self.inner).take(n as u64).read_to_end(buf).ok()?;
        self.position += read as u64;
        (read == n).then_some(())
    }

    pub fn string(&mut self) -> Option<String> {
        let len = self.usize()?;
        let mut buf = Vec::new();
        self.bytes_into(len, &mut buf)?;
        String::from_utf8(buf).ok()
    }

    /// Whether nothing is left.
    pub fn at_end(&mut self) -> bool {
        self.byte().is_none()
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
    fn garbage_reads_as_none() {
        assert_eq!(Reader::new(&[0xff; 11]).u64(), None);
        assert_eq!(Reader::new(&[5, b'a']).str(), None);
        assert_eq!(Reader::new(&[2, 0xff, 0xfe]).str(), None);
        assert_eq!(Reader::new(&[7]).bool(), None);
    }
}
