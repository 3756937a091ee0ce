//! Field encodings (spec §3): big-endian integers, `bool`, length-prefixed
//! `bytes` and `string`, counted lists, optional trailing fields, IDs.
//!
//! [`Reader`] checks every length against the bytes left before it slices or
//! allocates anything; each read names its field so errors say what broke.

use crate::error::{Error, Result};
use crate::wire::frame::HEADER_LEN;

/// A 32-byte ID (block, chain, asset).
pub type Id = [u8; 32];

/// A 20-byte node ID.
pub type NodeId = [u8; 20];

/// The all-zero ID (a genesis block's parent).
pub const ZERO_ID: Id = [0; 32];

/// Reads fields from a message body, front to back.
///
/// ```
/// use session_zap::wire::Reader;
/// let mut r = Reader::new(&[0, 0, 0, 3, b'a', b'b', b'c', 1]);
/// assert_eq!(r.bytes("block")?, b"abc");
/// assert!(r.bool("flag")?);
/// assert!(r.is_empty());
/// # Ok::<(), session_zap::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Whether everything has been read.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// Fails with [`Error::TrailingBytes`] unless everything has been read.
    pub fn finish(&self) -> Result<()> {
        match self.remaining() {
            0 => Ok(()),
            extra => Err(Error::TrailingBytes { extra }),
        }
    }

    /// Takes exactly `n` raw bytes.
    pub fn take(&mut self, field: &'static str, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(Error::Truncated {
                field,
                need: n as u64,
                have: self.remaining(),
            });
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N]> {
        let bytes = self.take(field, N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// A `u8`.
    pub fn u8(&mut self, field: &'static str) -> Result<u8> {
        Ok(self.array::<1>(field)?[0])
    }

    /// A big-endian `u32`.
    pub fn u32(&mut self, field: &'static str) -> Result<u32> {
        self.array(field).map(u32::from_be_bytes)
    }

    /// A big-endian `u64`.
    pub fn u64(&mut self, field: &'static str) -> Result<u64> {
        self.array(field).map(u64::from_be_bytes)
    }

    /// A big-endian two's-complement `i32`.
    pub fn i32(&mut self, field: &'static str) -> Result<i32> {
        self.array(field).map(i32::from_be_bytes)
    }

    /// A big-endian two's-complement `i64`.
    pub fn i64(&mut self, field: &'static str) -> Result<i64> {
        self.array(field).map(i64::from_be_bytes)
    }

    /// A `bool`: any non-zero byte is true.
    pub fn bool(&mut self, field: &'static str) -> Result<bool> {
        Ok(self.u8(field)? != 0)
    }

    /// A `bytes` field: `u32` length, then that many bytes (borrowed).
    pub fn bytes(&mut self, field: &'static str) -> Result<&'a [u8]> {
        let len = self.u32(field)?;
        if len as usize > self.remaining() {
            return Err(Error::Truncated {
                field,
                need: u64::from(len),
                have: self.remaining(),
            });
        }
        self.take(field, len as usize)
    }

    /// A `bytes` field, copied out.
    pub fn bytes_vec(&mut self, field: &'static str) -> Result<Vec<u8>> {
        self.bytes(field).map(<[u8]>::to_vec)
    }

    /// A `string` field (UTF-8 checked), copied out.
    pub fn string(&mut self, field: &'static str) -> Result<String> {
        let raw = self.bytes(field)?;
        std::str::from_utf8(raw)
            .map(str::to_owned)
            .map_err(|_| Error::InvalidUtf8 { field })
    }

    /// A 32-byte ID in a `bytes` field; any other length is an error.
    pub fn id(&mut self, field: &'static str) -> Result<Id> {
        let raw = self.bytes(field)?;
        raw.try_into().map_err(|_| Error::BadLength {
            field,
            expected: "32",
            got: raw.len(),
        })
    }

    /// A 32-byte ID that may also arrive empty, read as all-zero (the ID
    /// fields of `Initialize`, §4.1).
    pub fn id_or_zero(&mut self, field: &'static str) -> Result<Id> {
        let raw = self.bytes(field)?;
        match raw.len() {
            0 => Ok(ZERO_ID),
            _ => raw.try_into().map_err(|_| Error::BadLength {
                field,
                expected: "0 or 32",
                got: raw.len(),
            }),
        }
    }

    /// A 20-byte node ID in a `bytes` field.
    pub fn node_id(&mut self, field: &'static str) -> Result<NodeId> {
        let raw = self.bytes(field)?;
        raw.try_into().map_err(|_| Error::BadLength {
            field,
            expected: "20",
            got: raw.len(),
        })
    }

    /// A list count, rejected when the remaining bytes cannot hold `count`
    /// items of at least `min_item_len` bytes each (at least 1 is assumed).
    /// Callers may then preallocate `count` items safely.
    pub fn count(&mut self, field: &'static str, min_item_len: usize) -> Result<usize> {
        let count = self.u32(field)?;
        let need = (count as u64).saturating_mul(min_item_len.max(1) as u64);
        if need > self.remaining() as u64 {
            return Err(Error::CountTooLarge {
                field,
                count,
                remaining: self.remaining(),
            });
        }
        Ok(count as usize)
    }

    /// An optional trailing `bytes` field: read only if at least 4 bytes remain.
    pub fn trailing_bytes(&mut self, field: &'static str) -> Result<Option<&'a [u8]>> {
        if self.remaining() >= 4 {
            self.bytes(field).map(Some)
        } else {
            Ok(None)
        }
    }

    /// An optional trailing `string` field: read only if at least 4 bytes remain.
    pub fn trailing_string(&mut self, field: &'static str) -> Result<Option<String>> {
        if self.remaining() >= 4 {
            self.string(field).map(Some)
        } else {
            Ok(None)
        }
    }

    /// An optional trailing `u64`: read only if at least 8 bytes remain.
    pub fn trailing_u64(&mut self, field: &'static str) -> Result<Option<u64>> {
        if self.remaining() >= 8 {
            self.u64(field).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A flag-optional `u64`: a `bool has`, then the value only if set.
    pub fn flagged_u64(&mut self, field: &'static str) -> Result<Option<u64>> {
        if self.bool(field)? {
            self.u64(field).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Appends fields to a message body.
///
/// A writer made with [`Writer::for_frame`] leaves room for the 9-byte frame
/// header in front, so [`Writer::into_frame`] finishes a frame without
/// copying the body.
///
/// ```
/// use session_zap::wire::Writer;
/// let mut w = Writer::new();
/// w.bytes(b"abc");
/// w.bool(false);
/// assert_eq!(w.into_body(), [0, 0, 0, 3, b'a', b'b', b'c', 0]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
    start: usize,
}

impl Writer {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty body with room reserved in front for a frame header.
    pub fn for_frame() -> Self {
        let mut buf = Vec::with_capacity(64);
        buf.resize(HEADER_LEN, 0);
        Self {
            buf,
            start: HEADER_LEN,
        }
    }

    /// Length of the body written so far.
    pub fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The body written so far.
    pub fn body(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// The body as an owned vector.
    pub fn into_body(mut self) -> Vec<u8> {
        if self.start > 0 {
            self.buf.drain(..self.start);
        }
        self.buf
    }

    /// Finishes a whole frame around the body (see [`crate::wire::encode_frame`]).
    pub fn into_frame(mut self, type_byte: u8, request_id: u32) -> Result<Vec<u8>> {
        if self.start != HEADER_LEN {
            return crate::wire::encode_frame(type_byte, request_id, &self.buf[self.start..]);
        }
        let len = crate::wire::frame::frame_len(self.len())?;
        self.buf[..4].copy_from_slice(&len.to_be_bytes());
        self.buf[4] = type_byte;
        self.buf[5..9].copy_from_slice(&request_id.to_be_bytes());
        Ok(self.buf)
    }

    /// Raw bytes, no length prefix.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// A `u8`.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// A big-endian `u32`.
    pub fn u32(&mut self, v: u32) {
        self.raw(&v.to_be_bytes());
    }

    /// A big-endian `u64`.
    pub fn u64(&mut self, v: u64) {
        self.raw(&v.to_be_bytes());
    }

    /// A big-endian `i32`.
    pub fn i32(&mut self, v: i32) {
        self.raw(&v.to_be_bytes());
    }

    /// A big-endian `i64`.
    pub fn i64(&mut self, v: i64) {
        self.raw(&v.to_be_bytes());
    }

    /// A `bool` as `01` or `00`.
    pub fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }

    /// A `bytes` field. A slice longer than `u32::MAX` gets the length
    /// `u32::MAX`; such a body is far above the frame limit and is refused
    /// when the frame is built.
    pub fn bytes(&mut self, v: &[u8]) {
        self.u32(u32::try_from(v.len()).unwrap_or(u32::MAX));
        self.raw(v);
    }

    /// A `string` field.
    pub fn string(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }

    /// A list count.
    pub fn count(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }

    /// A flag-optional `u64`.
    pub fn flagged_u64(&mut self, v: Option<u64>) {
        self.bool(v.is_some());
        if let Some(v) = v {
            self.u64(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_big_endian() {
        let mut w = Writer::new();
        w.u8(1);
        w.u32(0x0203_0405);
        w.u64(0x0607_0809_0a0b_0c0d);
        w.i32(-2);
        w.i64(-3);
        w.bool(true);
        let body = w.into_body();
        assert_eq!(
            body,
            [
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff,
                0xff, 0xff, 0xff, 0xff, 0xff, 0xfd, 1
            ]
        );
        let mut r = Reader::new(&body);
        assert_eq!(r.u8("a").unwrap(), 1);
        assert_eq!(r.u32("b").unwrap(), 0x0203_0405);
        assert_eq!(r.u64("c").unwrap(), 0x0607_0809_0a0b_0c0d);
        assert_eq!(r.i32("d").unwrap(), -2);
        assert_eq!(r.i64("e").unwrap(), -3);
        assert!(r.bool("f").unwrap());
        r.finish().unwrap();
    }

    #[test]
    fn any_nonzero_bool_is_true() {
        assert!(Reader::new(&[7]).bool("b").unwrap());
        assert!(!Reader::new(&[0]).bool("b").unwrap());
    }

    #[test]
    fn truncation_is_reported_with_the_field() {
        let err = Reader::new(&[0, 0, 0, 5, 1, 2])
            .bytes("genesis")
            .unwrap_err();
        assert!(matches!(
            err,
            Error::Truncated {
                field: "genesis",
                need: 5,
                have: 2
            }
        ));
        assert!(Reader::new(&[0, 0]).u32("x").is_err());
        assert!(Reader::new(&[0xff, 0xff, 0xff, 0xff]).bytes("x").is_err());
    }

    #[test]
    fn ids_check_their_length() {
        let mut w = Writer::new();
        w.bytes(&[9; 32]);
        w.bytes(&[]);
        w.bytes(&[1; 3]);
        w.bytes(&[2; 20]);
        let body = w.into_body();
        let mut r = Reader::new(&body);
        assert_eq!(r.id("a").unwrap(), [9; 32]);
        assert!(r.clone().id("b").unwrap_err().to_string().contains("got 0"));
        assert_eq!(r.id_or_zero("b").unwrap(), ZERO_ID);
        assert!(matches!(
            r.id_or_zero("c"),
            Err(Error::BadLength { got: 3, .. })
        ));
        assert_eq!(r.node_id("d").unwrap(), [2; 20]);
    }

    #[test]
    fn counts_are_checked_against_the_remaining_bytes() {
        let mut r = Reader::new(&[0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(r.clone().count("l", 4).unwrap(), 2);
        assert!(r.clone().count("l", 5).is_err());
        let mut huge = Reader::new(&[0xff, 0xff, 0xff, 0xff, 1]);
        assert!(matches!(
            huge.count("l", 0),
            Err(Error::CountTooLarge {
                count: u32::MAX,
                ..
            })
        ));
        assert_eq!(r.count("l", 0).unwrap(), 2);
    }

    #[test]
    fn trailing_fields_need_room() {
        let mut r = Reader::new(&[0, 0, 0]);
        assert_eq!(r.trailing_string("x").unwrap(), None);
        assert_eq!(r.trailing_u64("y").unwrap(), None);
        let mut r = Reader::new(&[0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(r.clone().trailing_u64("y").unwrap(), Some(1));
        assert_eq!(r.trailing_bytes("x").unwrap(), Some(&[][..]));
        // Room for a length but not its bytes: an error, not "absent".
        assert!(Reader::new(&[0, 0, 0, 9, 1]).trailing_string("x").is_err());
    }

    #[test]
    fn strings_must_be_utf8() {
        assert!(matches!(
            Reader::new(&[0, 0, 0, 1, 0xff]).string("s"),
            Err(Error::InvalidUtf8 { field: "s" })
        ));
    }

    #[test]
    fn frame_writer_patches_the_header() {
        let mut w = Writer::for_frame();
        w.bytes(&[]);
        assert_eq!(w.body(), [0, 0, 0, 0]);
        let frame = w.into_frame(0x8d, 7).unwrap();
        assert_eq!(frame, [0, 0, 0, 8, 0x8d, 0, 0, 0, 7, 0, 0, 0, 0]);
    }
}
