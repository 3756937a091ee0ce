//! How [`RedbStore`](crate::RedbStore) lays values out on disk: the tag byte in front of
//! every stored value, pointers into segment files, and the records of the meta table.
//!
//! Every decoder here checks lengths before using them: bytes from disk may be anything.

use crate::error::{Error, MAX_VALUE_LEN, Result};

/// The meta table key holding the format marker.
pub(crate) const FORMAT_KEY: &str = "format";
/// This version's format marker: tagged values, large ones in segment files.
pub(crate) const FORMAT: &[u8] = b"lux-session-store/2 tagged values, segment files";
/// The meta table key holding the committed [`Tail`].
pub(crate) const TAIL_KEY: &str = "tail";
/// The meta table key holding the [`Extent`]s still to be wiped.
pub(crate) const PENDING_KEY: &str = "pending-wipes";

/// Tag of a value stored in the B-tree itself: the value follows.
pub(crate) const TAG_INLINE: u8 = 0;
/// Tag of a [`Pointer`] into a segment file.
const TAG_POINTER: u8 = 1;
/// Length of an encoded pointer, tag included.
pub(crate) const POINTER_LEN: usize = 1 + 4 + 8 + 4 + 8;

/// The checksum kept with every value in a segment file (xxh3, 64 bits).
pub(crate) fn checksum(value: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(value)
}

/// A stored value, decoded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stored<'a> {
    /// The value itself.
    Inline(&'a [u8]),
    /// Where the value lives.
    External(Pointer),
}

impl<'a> Stored<'a> {
    /// Decodes a value as read from the B-tree.
    pub(crate) fn decode(stored: &'a [u8]) -> Result<Self> {
        match stored.split_first() {
            Some((&TAG_INLINE, value)) => Ok(Stored::Inline(value)),
            Some((&TAG_POINTER, _)) => Pointer::decode(stored).map(Stored::External),
            Some((tag, _)) => Err(corrupt(format!("unknown value tag {tag}"))),
            None => Err(corrupt("stored value without a tag")),
        }
    }
}

/// A byte range of a segment file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Extent {
    /// Segment number.
    pub(crate) segment: u32,
    /// First byte.
    pub(crate) offset: u64,
    /// Length in bytes.
    pub(crate) len: u32,
}

const EXTENT_LEN: usize = 4 + 8 + 4;

impl Extent {
    /// Encodes a list of extents for the meta table.
    pub(crate) fn encode_list(list: &[Extent]) -> Vec<u8> {
        let mut out = Vec::with_capacity(list.len() * EXTENT_LEN);
        for e in list {
            out.extend_from_slice(&e.segment.to_le_bytes());
            out.extend_from_slice(&e.offset.to_le_bytes());
            out.extend_from_slice(&e.len.to_le_bytes());
        }
        out
    }

    /// Decodes what [`encode_list`](Self::encode_list) made.
    pub(crate) fn decode_list(bytes: &[u8]) -> Result<Vec<Extent>> {
        if !bytes.len().is_multiple_of(EXTENT_LEN) {
            return Err(corrupt("pending wipe list has a bad length"));
        }
        bytes
            .chunks_exact(EXTENT_LEN)
            .map(|c| {
                let mut r = Reader(c);
                let e = Extent {
                    segment: r.u32()?,
                    offset: r.u64()?,
                    len: r.u32()?,
                };
                check_len(e.len)?;
                Ok(e)
            })
            .collect()
    }
}

/// Where a value lives in the segment files, and its checksum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pointer {
    /// The bytes.
    pub(crate) extent: Extent,
    /// [`checksum`] of the value.
    pub(crate) checksum: u64,
}

impl Pointer {
    /// The encoded pointer, tag included, as stored in the B-tree.
    pub(crate) fn encode(&self) -> [u8; POINTER_LEN] {
        let mut out = [0u8; POINTER_LEN];
        out[0] = TAG_POINTER;
        out[1..5].copy_from_slice(&self.extent.segment.to_le_bytes());
        out[5..13].copy_from_slice(&self.extent.offset.to_le_bytes());
        out[13..17].copy_from_slice(&self.extent.len.to_le_bytes());
        out[17..25].copy_from_slice(&self.checksum.to_le_bytes());
        out
    }

    fn decode(stored: &[u8]) -> Result<Self> {
        if stored.len() != POINTER_LEN {
            return Err(corrupt("segment pointer has a bad length"));
        }
        let mut r = Reader(&stored[1..]);
        let extent = Extent {
            segment: r.u32()?,
            offset: r.u64()?,
            len: r.u32()?,
        };
        check_len(extent.len)?;
        Ok(Pointer {
            extent,
            checksum: r.u64()?,
        })
    }
}

/// The end of the committed data: everything in segment `segment` before byte `len`
/// (and in the earlier segments) belongs to committed batches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tail {
    /// The segment new values are appended to.
    pub(crate) segment: u32,
    /// Its committed length.
    pub(crate) len: u64,
}

impl Tail {
    /// A fresh store's tail: segment 1, empty.
    pub(crate) const START: Tail = Tail { segment: 1, len: 0 };

    /// Encodes the tail for the meta table.
    pub(crate) fn encode(&self) -> [u8; 12] {
        let mut out = [0u8; 12];
        out[..4].copy_from_slice(&self.segment.to_le_bytes());
        out[4..].copy_from_slice(&self.len.to_le_bytes());
        out
    }

    /// Decodes what [`encode`](Self::encode) made.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != 12 {
            return Err(corrupt("segment tail has a bad length"));
        }
        let mut r = Reader(bytes);
        Ok(Tail {
            segment: r.u32()?,
            len: r.u64()?,
        })
    }
}

/// [`Error::Corrupt`] with `message`.
pub(crate) fn corrupt(message: impl Into<String>) -> Error {
    Error::Corrupt(message.into())
}

fn check_len(len: u32) -> Result<()> {
    if usize::try_from(len).map_or(true, |len| len > MAX_VALUE_LEN) {
        return Err(corrupt(format!(
            "segment value length {len} over the limit"
        )));
    }
    Ok(())
}

/// Little-endian fields off the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N]> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or_else(|| corrupt("record cut short"))?;
        self.0 = rest;
        Ok(*head)
    }

    fn u32(&mut self) -> Result<u32> {
        self.take().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64> {
        self.take().map(u64::from_le_bytes)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trips() {
        let p = Pointer {
            extent: Extent {
                segment: 7,
                offset: 1 << 40,
                len: 4400,
            },
            checksum: 0xDEAD_BEEF_0123_4567,
        };
        assert_eq!(Stored::decode(&p.encode()).unwrap(), Stored::External(p));
        assert_eq!(Stored::decode(&[0, 1, 2]).unwrap(), Stored::Inline(&[1, 2]));
        assert_eq!(Stored::decode(&[0]).unwrap(), Stored::Inline(&[]));
        let list = vec![
            p.extent,
            Extent {
                segment: 1,
                offset: 0,
                len: 0,
            },
        ];
        assert_eq!(
            Extent::decode_list(&Extent::encode_list(&list)).unwrap(),
            list
        );
        let t = Tail {
            segment: 3,
            len: 99,
        };
        assert_eq!(Tail::decode(&t.encode()).unwrap(), t);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(Stored::decode(&[]).is_err());
        assert!(Stored::decode(&[2, 0]).is_err());
        assert!(Stored::decode(&[1, 0, 0]).is_err());
        let mut huge = Pointer {
            extent: Extent {
                segment: 1,
                offset: 0,
                len: u32::MAX,
            },
            checksum: 0,
        }
        .encode();
        assert!(Stored::decode(&huge).is_err());
        huge[13..17].copy_from_slice(&10u32.to_le_bytes());
        assert!(Stored::decode(&huge).is_ok());
        assert!(Extent::decode_list(&[0; 15]).is_err());
        assert!(Tail::decode(&[0; 11]).is_err());
    }
}
