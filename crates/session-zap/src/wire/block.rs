//! Block messages (§4.5, §4.7, §4.8): BlockResponse, BuildBlock, ParseBlock,
//! GetBlock, SetPreference, GetAncestors, BatchedParseBlock,
//! GetBlockIDAtHeight, BlockVerify, BlockAccept, BlockReject.

use crate::error::{Error, Result};
use crate::wire::field::{Id, Reader, Writer};
use crate::wire::msg::{Call, ErrCode, Message, calls};
use crate::wire::opcode::Opcode;

/// A block as the VM describes it to the node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Block {
    /// Its ID: a deterministic function of `bytes` (e.g. SHA-256).
    pub id: Id,
    /// The parent's ID (all zero for genesis).
    pub parent_id: Id,
    /// The block bytes.
    pub bytes: Vec<u8>,
    /// Height (genesis 0).
    pub height: u64,
    /// Timestamp, Unix nanoseconds.
    pub timestamp: i64,
}

/// The reply of BuildBlock, ParseBlock and GetBlock, and the list element of
/// BatchedParseBlock (§4.5).
///
/// A success (`err` 0) carries two 32-byte IDs. A failure is encoded in the
/// 30-byte form: three empty byte fields, 16 zero bytes, `00`, then `err`;
/// [`write`](Message::write) emits that form whenever `err` is not 0, and
/// decoding a failure normalises the other fields to empty/zero.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockResponse {
    /// Block ID.
    pub id: Id,
    /// Parent ID.
    pub parent_id: Id,
    /// Block bytes.
    pub bytes: Vec<u8>,
    /// Height.
    pub height: u64,
    /// Timestamp, Unix ns.
    pub timestamp: i64,
    /// Always false from SessionVM.
    pub verify_with_context: bool,
    /// 0 on success.
    pub err: ErrCode,
}

impl BlockResponse {
    /// A success reply for `block`.
    pub fn ok(block: Block) -> Self {
        Self {
            id: block.id,
            parent_id: block.parent_id,
            bytes: block.bytes,
            height: block.height,
            timestamp: block.timestamp,
            verify_with_context: false,
            err: ErrCode::UNSPECIFIED,
        }
    }

    /// A failure reply (`err` must not be 0 to mean failure).
    pub fn failure(err: ErrCode) -> Self {
        Self {
            err,
            ..Self::default()
        }
    }

    /// The block on success, else the `err` code.
    pub fn into_result(self) -> std::result::Result<Block, ErrCode> {
        if !self.err.is_ok() {
            return Err(self.err);
        }
        Ok(Block {
            id: self.id,
            parent_id: self.parent_id,
            bytes: self.bytes,
            height: self.height,
            timestamp: self.timestamp,
        })
    }
}

impl From<Block> for BlockResponse {
    fn from(block: Block) -> Self {
        Self::ok(block)
    }
}

impl Message for BlockResponse {
    const NAME: &'static str = "block reply";

    fn write(&self, w: &mut Writer) {
        if self.err.is_ok() {
            w.bytes(&self.id);
            w.bytes(&self.parent_id);
            w.bytes(&self.bytes);
            w.u64(self.height);
            w.i64(self.timestamp);
            w.bool(self.verify_with_context);
        } else {
            w.raw(&[0; 12 + 16 + 1]);
        }
        w.u8(self.err.0);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let id = r.bytes("id")?;
        let parent_id = r.bytes("parent_id")?;
        let bytes = r.bytes("bytes")?;
        let height = r.u64("height")?;
        let timestamp = r.i64("timestamp")?;
        let verify_with_context = r.bool("verify_with_context")?;
        let err = ErrCode(r.u8("err")?);
        if !err.is_ok() {
            return Ok(Self::failure(err));
        }
        let id32 = |field, raw: &[u8]| -> Result<Id> {
            raw.try_into().map_err(|_| Error::BadLength {
                field,
                expected: "32",
                got: raw.len(),
            })
        };
        Ok(Self {
            id: id32("id", id)?,
            parent_id: id32("parent_id", parent_id)?,
            bytes: bytes.to_vec(),
            height,
            timestamp,
            verify_with_context,
            err,
        })
    }
}

/// BuildBlock (9) request: empty from current nodes, or `bool has [u64]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BuildBlockRequest {
    /// The optional P-chain height (ignored by SessionVM). `None` encodes as
    /// the empty body current nodes send.
    pub p_chain_height: Option<u64>,
}

impl Message for BuildBlockRequest {
    const NAME: &'static str = "BuildBlock request";
    fn write(&self, w: &mut Writer) {
        if self.p_chain_height.is_some() {
            w.flagged_u64(self.p_chain_height);
        }
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        if r.is_empty() {
            return Ok(Self::default());
        }
        Ok(Self {
            p_chain_height: r.flagged_u64("p_chain_height")?,
        })
    }
}

/// Declares a request holding one 32-byte ID.
macro_rules! id_request {
    ($($(#[$doc:meta])* $name:ident, $what:literal;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
            pub struct $name {
                /// The block ID (exactly 32 bytes on the wire).
                pub id: Id,
            }

            impl Message for $name {
                const NAME: &'static str = $what;
                fn write(&self, w: &mut Writer) {
                    w.bytes(&self.id);
                }
                fn read(r: &mut Reader<'_>) -> Result<Self> {
                    Ok(Self { id: r.id("id")? })
                }
            }
        )*
    };
}

id_request! {
    /// GetBlock (11) request.
    GetBlockRequest, "GetBlock request";
    /// SetPreference (12) request.
    SetPreferenceRequest, "SetPreference request";
    /// BlockAccept (29) request.
    BlockAcceptRequest, "BlockAccept request";
    /// BlockReject (30) request.
    BlockRejectRequest, "BlockReject request";
}

/// ParseBlock (10) request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseBlockRequest {
    /// The block bytes.
    pub bytes: Vec<u8>,
}

impl Message for ParseBlockRequest {
    const NAME: &'static str = "ParseBlock request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.bytes);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            bytes: r.bytes_vec("bytes")?,
        })
    }
}

/// BlockVerify (28) request: `bytes block, bool has [u64]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockVerifyRequest {
    /// The block bytes (the node verifies by bytes, not by ID).
    pub bytes: Vec<u8>,
    /// The optional P-chain height (the node sends none).
    pub p_chain_height: Option<u64>,
}

impl Message for BlockVerifyRequest {
    const NAME: &'static str = "BlockVerify request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.bytes);
        w.flagged_u64(self.p_chain_height);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            bytes: r.bytes_vec("bytes")?,
            p_chain_height: r.flagged_u64("p_chain_height")?,
        })
    }
}

/// BlockVerify (28) reply: empty (SessionVM), or an `i64` timestamp that the
/// node ignores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockVerifyResponse {
    /// The optional timestamp.
    pub timestamp: Option<i64>,
}

impl Message for BlockVerifyResponse {
    const NAME: &'static str = "BlockVerify reply";
    fn write(&self, w: &mut Writer) {
        if let Some(ts) = self.timestamp {
            w.i64(ts);
        }
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            timestamp: r.trailing_u64("timestamp")?.map(|t| t as i64),
        })
    }
}

/// GetAncestors (20) request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GetAncestorsRequest {
    /// The newest block wanted.
    pub block_id: Id,
    /// At most this many blocks (negative: an error).
    pub max_blocks_num: i32,
    /// At most this many bytes in all.
    pub max_blocks_size: i32,
    /// A time budget (presumably ns; 0 or less: none).
    pub max_retrieval_time: i64,
}

impl Message for GetAncestorsRequest {
    const NAME: &'static str = "GetAncestors request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.block_id);
        w.i32(self.max_blocks_num);
        w.i32(self.max_blocks_size);
        w.i64(self.max_retrieval_time);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            block_id: r.id("block_id")?,
            max_blocks_num: r.i32("max_blocks_num")?,
            max_blocks_size: r.i32("max_blocks_size")?,
            max_retrieval_time: r.i64("max_retrieval_time")?,
        })
    }
}

/// Reads a `list<bytes>`.
fn read_bytes_list(r: &mut Reader<'_>, field: &'static str) -> Result<Vec<Vec<u8>>> {
    let n = r.count(field, 4)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(r.bytes_vec(field)?);
    }
    Ok(out)
}

fn write_bytes_list(w: &mut Writer, items: &[Vec<u8>]) {
    w.count(items.len());
    for item in items {
        w.bytes(item);
    }
}

/// GetAncestors (20) reply: the bytes of the block, its parent, ...
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetAncestorsResponse {
    /// Newest first.
    pub blocks: Vec<Vec<u8>>,
}

impl Message for GetAncestorsResponse {
    const NAME: &'static str = "GetAncestors reply";
    fn write(&self, w: &mut Writer) {
        write_bytes_list(w, &self.blocks);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            blocks: read_bytes_list(r, "blocks")?,
        })
    }
}

/// BatchedParseBlock (21) request: `list<bytes>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchedParseBlockRequest {
    /// The blocks to parse.
    pub blocks: Vec<Vec<u8>>,
}

impl Message for BatchedParseBlockRequest {
    const NAME: &'static str = "BatchedParseBlock request";
    fn write(&self, w: &mut Writer) {
        write_bytes_list(w, &self.blocks);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            blocks: read_bytes_list(r, "blocks")?,
        })
    }
}

/// BatchedParseBlock (21) reply: one [`BlockResponse`] per block, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchedParseBlockResponse {
    /// The results.
    pub blocks: Vec<BlockResponse>,
}

impl Message for BatchedParseBlockResponse {
    const NAME: &'static str = "BatchedParseBlock reply";
    fn write(&self, w: &mut Writer) {
        w.count(self.blocks.len());
        for b in &self.blocks {
            b.write(w);
        }
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let n = r.count("blocks", 30)?;
        let mut blocks = Vec::with_capacity(n);
        for _ in 0..n {
            blocks.push(BlockResponse::read(r)?);
        }
        Ok(Self { blocks })
    }
}

/// GetBlockIDAtHeight (22) request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GetBlockIdAtHeightRequest {
    /// The height.
    pub height: u64,
}

impl Message for GetBlockIdAtHeightRequest {
    const NAME: &'static str = "GetBlockIDAtHeight request";
    fn write(&self, w: &mut Writer) {
        w.u64(self.height);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            height: r.u64("height")?,
        })
    }
}

/// GetBlockIDAtHeight (22) reply: `bytes id, u8 err`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GetBlockIdAtHeightResponse {
    /// The accepted block's ID; `None` encodes an empty field.
    pub id: Option<Id>,
    /// 0 on success, 2 when there is no accepted block at that height.
    pub err: ErrCode,
}

impl GetBlockIdAtHeightResponse {
    /// A success reply.
    pub fn found(id: Id) -> Self {
        Self {
            id: Some(id),
            err: ErrCode::UNSPECIFIED,
        }
    }

    /// A failure reply with an empty ID.
    pub fn failure(err: ErrCode) -> Self {
        Self { id: None, err }
    }
}

impl Message for GetBlockIdAtHeightResponse {
    const NAME: &'static str = "GetBlockIDAtHeight reply";
    fn write(&self, w: &mut Writer) {
        w.bytes(self.id.as_ref().map_or(&[][..], |id| &id[..]));
        w.u8(self.err.0);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let raw = r.bytes("id")?;
        let id = match raw.len() {
            0 => None,
            _ => Some(raw.try_into().map_err(|_| Error::BadLength {
                field: "id",
                expected: "0 or 32",
                got: raw.len(),
            })?),
        };
        Ok(Self {
            id,
            err: ErrCode(r.u8("err")?),
        })
    }
}

calls! {
    BuildBlockRequest => BuildBlock, BlockResponse;
    ParseBlockRequest => ParseBlock, BlockResponse;
    GetBlockRequest => GetBlock, BlockResponse;
    SetPreferenceRequest => SetPreference, ();
    GetAncestorsRequest => GetAncestors, GetAncestorsResponse;
    BatchedParseBlockRequest => BatchedParseBlock, BatchedParseBlockResponse;
    GetBlockIdAtHeightRequest => GetBlockIdAtHeight, GetBlockIdAtHeightResponse;
    BlockVerifyRequest => BlockVerify, BlockVerifyResponse;
    BlockAcceptRequest => BlockAccept, ();
    BlockRejectRequest => BlockReject, ();
}
