//! A canonical, versioned, big-endian binary codec.
//!
//! Rules, shared by every stored and wire type:
//! - integers are fixed-width big-endian; `bool` is one byte, `0` or `1`;
//! - IDs and signatures are their raw fixed-length bytes;
//! - byte strings, text and sequences carry a `u32` length or count, and every
//!   length is checked against a per-field bound **and** against the bytes that
//!   remain before anything is allocated;
//! - `Option<T>` is a tag byte (`0` none, `1` some) followed by `T`;
//! - enums are a tag byte followed by the variant's fields;
//! - a top-level ([`Versioned`]) value starts with its version byte, and
//!   decoding rejects unknown versions and trailing bytes.
//!
//! Nested values carry no version byte: the top-level version governs them.
//!
//! ```
//! use session_core::codec::{Reader, Writer};
//!
//! let mut w = Writer::new();
//! w.u32(7);
//! w.bytes(b"hello");
//! let bytes = w.into_bytes();
//!
//! let mut r = Reader::new(&bytes);
//! assert_eq!(r.u32()?, 7);
//! assert_eq!(r.bytes(16, "greeting")?, b"hello");
//! r.finish()?;
//! # Ok::<(), session_core::Error>(())
//! ```

use session_crypto::{PUBLIC_IDENTITY_LEN, PublicIdentity, SIGNATURE_LEN, Signature};

use crate::error::{Error, Result};
use crate::id::{ID_LEN, Id};

/// Appends canonical encodings to a growable buffer.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Writer {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// The bytes written so far.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf
    }

    /// Number of bytes written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Consumes the writer, returning its bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Raw bytes, no length prefix (for fixed-length fields).
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// One byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// Big-endian `u16`.
    pub fn u16(&mut self, v: u16) {
        self.raw(&v.to_be_bytes());
    }

    /// Big-endian `u32`.
    pub fn u32(&mut self, v: u32) {
        self.raw(&v.to_be_bytes());
    }

    /// Big-endian `u64`.
    pub fn u64(&mut self, v: u64) {
        self.raw(&v.to_be_bytes());
    }

    /// `0` or `1`.
    pub fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }

    /// The 32 bytes of an ID.
    pub fn id(&mut self, id: &Id) {
        self.raw(id.as_bytes());
    }

    /// A `u32` length or count.
    ///
    /// # Panics
    /// If `len` exceeds `u32::MAX`. Every field this crate encodes is bounded
    /// far below that, and values built from decoded input always are.
    pub fn len_prefix(&mut self, len: usize) {
        let len = u32::try_from(len).expect("encoded lengths are bounded far below 4 GiB");
        self.u32(len);
    }

    /// A `u32` length followed by the bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.len_prefix(bytes.len());
        self.raw(bytes);
    }

    /// A `u32` length followed by the UTF-8 bytes.
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// Any encodable value.
    pub fn put<T: Encode + ?Sized>(&mut self, value: &T) {
        value.encode_to(self);
    }

    /// A `u32` count followed by each item.
    pub fn seq<T: Encode>(&mut self, items: &[T]) {
        self.len_prefix(items.len());
        for item in items {
            item.encode_to(self);
        }
    }

    /// A tag byte (`0` none, `1` some) followed by the value if present.
    pub fn option<T: Encode>(&mut self, value: Option<&T>) {
        match value {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                v.encode_to(self);
            }
        }
    }
}

/// Reads canonical encodings from a byte slice, bounding every length.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader positioned at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Fails with [`Error::TrailingBytes`] unless every byte was read.
    pub fn finish(&self) -> Result<()> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(Error::TrailingBytes(n)),
        }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let remaining = self.remaining();
        if n > remaining {
            return Err(Error::UnexpectedEof {
                needed: n - remaining,
            });
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// Big-endian `u16`.
    pub fn u16(&mut self) -> Result<u16> {
        self.array().map(u16::from_be_bytes)
    }

    /// Big-endian `u32`.
    pub fn u32(&mut self) -> Result<u32> {
        self.array().map(u32::from_be_bytes)
    }

    /// Big-endian `u64`.
    pub fn u64(&mut self) -> Result<u64> {
        self.array().map(u64::from_be_bytes)
    }

    /// A strict boolean: `0` or `1`, anything else is an error.
    pub fn bool(&mut self, field: &'static str) -> Result<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            tag => Err(Error::InvalidTag { field, tag }),
        }
    }

    /// A 32-byte ID.
    pub fn id(&mut self) -> Result<Id> {
        self.array::<ID_LEN>().map(Id)
    }

    /// A `u32` length, checked against `max` and against the bytes remaining
    /// when each counted item takes at least `min_item_len` bytes.
    pub fn len_prefix(
        &mut self,
        max: usize,
        min_item_len: usize,
        field: &'static str,
    ) -> Result<usize> {
        let len = u64::from(self.u32()?);
        if len > max as u64 {
            return Err(Error::TooLong {
                field,
                len,
                max: max as u64,
            });
        }
        // `len <= max` fits in usize; the product is computed in u64 so it cannot overflow.
        let needed = len.saturating_mul(min_item_len as u64);
        let remaining = self.remaining() as u64;
        if needed > remaining {
            return Err(Error::UnexpectedEof {
                needed: usize::try_from(needed - remaining).unwrap_or(usize::MAX),
            });
        }
        Ok(len as usize)
    }

    /// A length-prefixed byte string of at most `max` bytes, borrowed.
    pub fn bytes(&mut self, max: usize, field: &'static str) -> Result<&'a [u8]> {
        let len = self.len_prefix(max, 1, field)?;
        self.take(len)
    }

    /// A length-prefixed byte string of at most `max` bytes, owned.
    pub fn byte_vec(&mut self, max: usize, field: &'static str) -> Result<Vec<u8>> {
        self.bytes(max, field).map(<[u8]>::to_vec)
    }

    /// Length-prefixed UTF-8 text of at most `max` bytes.
    pub fn string(&mut self, max: usize, field: &'static str) -> Result<String> {
        let bytes = self.bytes(max, field)?;
        core::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| Error::InvalidUtf8(field))
    }

    /// Any decodable value.
    pub fn get<T: Decode>(&mut self) -> Result<T> {
        T::decode_from(self)
    }

    /// A `u32` count (at most `max`) followed by that many items.
    pub fn seq<T: Decode>(&mut self, max: usize, field: &'static str) -> Result<Vec<T>> {
        let n = self.len_prefix(max, T::MIN_ENCODED_LEN.max(1), field)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(T::decode_from(self)?);
        }
        Ok(out)
    }

    /// A tag byte (`0` none, `1` some) followed by the value if present.
    pub fn option<T: Decode>(&mut self, field: &'static str) -> Result<Option<T>> {
        if self.bool(field)? {
            T::decode_from(self).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// A value with a canonical body encoding (no version byte).
pub trait Encode {
    /// Appends the canonical encoding of `self`.
    fn encode_to(&self, w: &mut Writer);
}

/// A value that can be decoded from its canonical body encoding.
pub trait Decode: Sized {
    /// A lower bound on the encoded size of one value, used to bound sequence
    /// counts by the bytes that remain before allocating.
    const MIN_ENCODED_LEN: usize = 1;

    /// Reads one value. Never panics, whatever the input.
    fn decode_from(r: &mut Reader<'_>) -> Result<Self>;
}

/// A top-level stored or wire type: a version byte, then the body.
pub trait Versioned: Encode + Decode {
    /// The type's name, for errors.
    const NAME: &'static str;
    /// The codec version this crate writes and reads.
    const VERSION: u8;

    /// The canonical versioned encoding.
    fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(128);
        w.u8(Self::VERSION);
        self.encode_to(&mut w);
        w.into_bytes()
    }

    /// Decodes a complete versioned value; trailing bytes are an error.
    fn decode(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let version = r.u8()?;
        if version != Self::VERSION {
            return Err(Error::UnsupportedVersion {
                ty: Self::NAME,
                version,
            });
        }
        let value = Self::decode_from(&mut r)?;
        r.finish()?;
        Ok(value)
    }
}

macro_rules! int_codec {
    ($($t:ty => $m:ident),*) => {$(
        impl Encode for $t {
            fn encode_to(&self, w: &mut Writer) {
                w.$m(*self);
            }
        }
        impl Decode for $t {
            const MIN_ENCODED_LEN: usize = core::mem::size_of::<$t>();
            fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
                r.$m()
            }
        }
    )*};
}
int_codec!(u8 => u8, u16 => u16, u32 => u32, u64 => u64);

impl Encode for Id {
    fn encode_to(&self, w: &mut Writer) {
        w.id(self);
    }
}

impl Decode for Id {
    const MIN_ENCODED_LEN: usize = ID_LEN;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        r.id()
    }
}

impl Encode for Signature {
    fn encode_to(&self, w: &mut Writer) {
        w.raw(self.as_bytes());
    }
}

impl Decode for Signature {
    const MIN_ENCODED_LEN: usize = SIGNATURE_LEN;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        let bytes = r.take(SIGNATURE_LEN)?;
        Signature::from_bytes(bytes).map_err(|_| Error::InvalidLength {
            expected: SIGNATURE_LEN,
            actual: bytes.len(),
        })
    }
}

impl Encode for PublicIdentity {
    fn encode_to(&self, w: &mut Writer) {
        w.raw(&self.to_bytes());
    }
}

impl Decode for PublicIdentity {
    const MIN_ENCODED_LEN: usize = PUBLIC_IDENTITY_LEN;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        let bytes = r.take(PUBLIC_IDENTITY_LEN)?;
        PublicIdentity::from_bytes(bytes).map_err(|_| Error::InvalidPublicKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_round_trip() {
        let mut w = Writer::new();
        w.u8(1);
        w.u16(0x0203);
        w.u32(0x0405_0607);
        w.u64(u64::MAX);
        w.bool(true);
        w.id(&Id([5; 32]));
        w.str("héllo");
        w.seq(&[1u32, 2, 3]);
        w.option(Some(&9u64));
        w.option::<u64>(None);
        let bytes = w.into_bytes();
        assert_eq!(&bytes[..7], &[1, 2, 3, 4, 5, 6, 7]);

        let mut r = Reader::new(&bytes);
        assert_eq!(r.u8().unwrap(), 1);
        assert_eq!(r.u16().unwrap(), 0x0203);
        assert_eq!(r.u32().unwrap(), 0x0405_0607);
        assert_eq!(r.u64().unwrap(), u64::MAX);
        assert!(r.bool("b").unwrap());
        assert_eq!(r.id().unwrap(), Id([5; 32]));
        assert_eq!(r.string(16, "s").unwrap(), "héllo");
        assert_eq!(r.seq::<u32>(8, "xs").unwrap(), vec![1, 2, 3]);
        assert_eq!(r.option::<u64>("o").unwrap(), Some(9));
        assert_eq!(r.option::<u64>("o").unwrap(), None);
        r.finish().unwrap();
    }

    #[test]
    fn hostile_lengths_are_rejected_before_allocation() {
        // A count of 2^32-1 items with nothing behind it.
        let bytes = [0xff, 0xff, 0xff, 0xff];
        assert!(matches!(
            Reader::new(&bytes).seq::<Id>(usize::MAX, "xs"),
            Err(Error::UnexpectedEof { .. })
        ));
        assert!(matches!(
            Reader::new(&bytes).seq::<Id>(10, "xs"),
            Err(Error::TooLong { .. })
        ));
        assert!(Reader::new(&bytes).bytes(usize::MAX, "b").is_err());
        // Invalid bool / option tags.
        assert!(Reader::new(&[2]).bool("b").is_err());
        assert!(Reader::new(&[7]).option::<u8>("o").is_err());
        // Invalid UTF-8.
        assert_eq!(
            Reader::new(&[0, 0, 0, 1, 0xff]).string(4, "s"),
            Err(Error::InvalidUtf8("s"))
        );
        // Trailing bytes.
        let r = Reader::new(&[1]);
        assert_eq!(r.finish(), Err(Error::TrailingBytes(1)));
    }
}
