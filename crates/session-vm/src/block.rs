//! Blocks: an ordered list of transactions on top of a parent, with the state
//! root their execution produces.
//!
//! ```text
//! block = version(u8 = 1) ‖ parent(32) ‖ height(u64) ‖ timestamp(u64, Unix s)
//!       ‖ stateRoot(32) ‖ count(u32) ‖ (len(u32) ‖ tx) × count
//! id    = SHA-256(block bytes)
//! ```

use std::sync::Arc;

use session_core::Id;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::tx::Tx;
use session_core::codec::{Reader, Writer};

/// Block format version.
pub const BLOCK_VERSION: u8 = 1;
/// Most transactions in one block.
pub const MAX_BLOCK_TXS: usize = 8_192;
/// Largest encoded block (well under the plugin protocol's 16 MiB frames).
pub const MAX_BLOCK_BYTES: usize = 12 << 20;
/// Largest encoded transaction.
pub const MAX_TX_BYTES: usize = 4 << 20;

/// A decoded block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The parent's ID (zero for genesis).
    pub parent: Id,
    /// Height: the parent's plus one (0 for genesis).
    pub height: u64,
    /// Block time in Unix seconds; never below the parent's.
    pub timestamp: u64,
    /// State root after executing this block.
    pub state_root: Id,
    /// Transactions in execution order.
    pub txs: Vec<Tx>,
}

fn bad(e: impl std::fmt::Display) -> Error {
    Error::InvalidBlock(e.to_string())
}

/// The fields a block's bytes (and its archived form) start with, after the
/// format version and before the transaction count.
pub(crate) type Header = (Id, u64, u64, Id);

/// Writes `version ‖ parent ‖ height ‖ timestamp ‖ stateRoot ‖ count`.
pub(crate) fn write_header(w: &mut Writer, version: u8, b: &Block) {
    w.u8(version);
    w.id(&b.parent);
    w.u64(b.height);
    w.u64(b.timestamp);
    w.id(&b.state_root);
    w.len_prefix(b.txs.len());
}

/// Reads what [`write_header`] wrote (after checking the version): the header
/// and the transaction count, bounded by `MAX_BLOCK_TXS` and by the bytes left
/// at `min_tx` bytes per transaction.
pub(crate) fn read_header(
    r: &mut Reader<'_>,
    version: u8,
    min_tx: usize,
) -> std::result::Result<(Header, usize), String> {
    let e = |e: session_core::Error| e.to_string();
    if r.u8().map_err(e)? != version {
        return Err("unknown version".into());
    }
    let header = (
        r.id().map_err(e)?,
        r.u64().map_err(e)?,
        r.u64().map_err(e)?,
        r.id().map_err(e)?,
    );
    let count = r.u32().map_err(e)? as usize;
    if count > MAX_BLOCK_TXS || count > r.remaining() / min_tx {
        return Err("transaction count out of range".into());
    }
    Ok((header, count))
}

impl Block {
    /// Canonical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let len = 85 + self.txs.iter().map(|t| 4 + t.encoded_len()).sum::<usize>();
        let mut w = Writer::with_capacity(len);
        write_header(&mut w, BLOCK_VERSION, self);
        for tx in &self.txs {
            w.len_prefix(tx.encoded_len());
            tx.encode(&mut w);
        }
        debug_assert_eq!(w.len(), len, "Tx::encoded_len agrees with Tx::encode");
        w.into_bytes()
    }

    /// Decodes a block; never panics on hostile bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > MAX_BLOCK_BYTES {
            return Err(Error::InvalidBlock("block too large".into()));
        }
        let mut r = Reader::new(bytes);
        // Each transaction takes at least 4 + 3309 bytes: bound the count first.
        let ((parent, height, timestamp, state_root), count) =
            read_header(&mut r, BLOCK_VERSION, 3_313).map_err(Error::InvalidBlock)?;
        let mut txs = Vec::with_capacity(count);
        for _ in 0..count {
            let raw = r.bytes(MAX_TX_BYTES, "transaction").map_err(bad)?;
            txs.push(Tx::from_bytes(raw).map_err(bad)?);
        }
        r.finish().map_err(bad)?;
        Ok(Self {
            parent,
            height,
            timestamp,
            state_root,
            txs,
        })
    }

    /// The block ID of some block bytes.
    pub fn id_of(bytes: &[u8]) -> Id {
        Id::new(Sha256::digest(bytes).into())
    }
}

/// A block with its bytes and ID, as the chain keeps it. Cheap to clone: the
/// bytes and the decoded block are shared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedBlock {
    /// The block ID.
    pub id: Id,
    /// The canonical bytes.
    pub bytes: Arc<[u8]>,
    /// The decoded block.
    pub block: Arc<Block>,
}

impl SealedBlock {
    /// Encodes and identifies `block`.
    pub fn new(block: Block) -> Self {
        let bytes = block.to_bytes();
        Self {
            id: Block::id_of(&bytes),
            bytes: bytes.into(),
            block: Arc::new(block),
        }
    }

    /// Decodes and identifies block bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let block = Block::from_bytes(bytes)?;
        Ok(Self {
            id: Block::id_of(bytes),
            bytes: bytes.into(),
            block: Arc::new(block),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_block_round_trips() {
        let b = Block {
            parent: Id::new([1; 32]),
            height: 7,
            timestamp: 1_700_000_000,
            state_root: Id::new([2; 32]),
            txs: vec![],
        };
        let sealed = SealedBlock::new(b.clone());
        assert_eq!(sealed.bytes.len(), 85);
        let parsed = SealedBlock::parse(&sealed.bytes).unwrap();
        assert_eq!(parsed, sealed);
    }

    #[test]
    fn hostile_blocks_are_rejected() {
        assert!(Block::from_bytes(&[]).is_err());
        assert!(Block::from_bytes(&[2; 85]).is_err());
        let mut bytes = SealedBlock::new(Block {
            parent: Id::ZERO,
            height: 0,
            timestamp: 0,
            state_root: Id::ZERO,
            txs: vec![],
        })
        .bytes
        .to_vec();
        bytes[81..85].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(Block::from_bytes(&bytes).is_err());
        bytes[81..85].copy_from_slice(&0u32.to_be_bytes());
        bytes.push(0);
        assert!(Block::from_bytes(&bytes).is_err());
    }
}
