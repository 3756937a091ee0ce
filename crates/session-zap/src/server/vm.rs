//! The trait a VM implements to be served over ZAP, and its error type.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::wire::{
    AppGossip, AppRequest, AppRequestFailed, AppResponse, Block, BlockResponse, BlockVerifyRequest,
    BuildBlockRequest, ConnectedRequest, ErrCode, Event, GetAncestorsRequest, Handler, Id,
    InitializeRequest, InitializeResponse, MAX_BODY_LEN, NodeId, VmState,
};

/// Result of a VM handler.
pub type VmResult<T> = std::result::Result<T, VmError>;

/// How a VM handler fails. The server turns it into the right reply:
///
/// | variant | reply with an `err` field (block calls, GetBlockIDAtHeight, batch entries) | any other reply |
/// |---|---|---|
/// | [`NotFound`](Self::NotFound) | `err = 2`, other fields empty | error frame `not found` |
/// | [`Closed`](Self::Closed) | `err = 1` | error frame `vm closed` |
/// | [`Failed`](Self::Failed) | error frame with the text (batch entries: `err = 4`) | error frame with the text |
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VmError {
    /// Unknown block / height (the node reads `err = 2` as "fetch it").
    #[error("not found")]
    NotFound,
    /// The VM is shut down.
    #[error("vm closed")]
    Closed,
    /// Anything else; the text goes back to the node, which logs it.
    #[error("{0}")]
    Failed(String),
}

impl VmError {
    /// A [`VmError::Failed`] with `msg` as its text.
    pub fn failed(msg: impl std::fmt::Display) -> Self {
        VmError::Failed(msg.to_string())
    }

    /// The `err` code this error stands for in replies that carry one.
    pub fn code(&self) -> ErrCode {
        match self {
            VmError::NotFound => ErrCode::NOT_FOUND,
            VmError::Closed => ErrCode::CLOSED,
            VmError::Failed(_) => ErrCode::INTERNAL,
        }
    }
}

impl From<String> for VmError {
    fn from(s: String) -> Self {
        VmError::Failed(s)
    }
}

impl From<&str> for VmError {
    fn from(s: &str) -> Self {
        VmError::Failed(s.to_owned())
    }
}

/// A VM served over ZAP: one method per request the node sends.
///
/// The server calls each method from its own task, concurrently with the
/// others, so the VM serialises its own state (one lock). Methods must not
/// hold that lock while waiting in [`wait_for_event`](Self::wait_for_event),
/// and should move blocking work (disk commits) off the async threads with
/// `tokio::task::spawn_blocking`. A panic inside a method becomes an error
/// reply for that request only.
///
/// Opcodes without a method here are answered by the server itself: state
/// sync (23–27, 31) with `err = 3`, Gather (19), the Quasar calls (60, 61)
/// and anything unknown with the error frame `unimplemented opcode N`.
pub trait PluginVm: Send + Sync + 'static {
    /// Initialize (1): open or create the chain under `req.chain_data_dir`
    /// and report the last accepted block exactly (§4.1). Set
    /// `capabilities` to 0.
    fn initialize(
        &self,
        req: InitializeRequest,
    ) -> impl Future<Output = VmResult<InitializeResponse>> + Send;

    /// SetState (2): must succeed for every value; [`VmState::READY`] allows
    /// signalling work.
    fn set_state(&self, state: VmState) -> impl Future<Output = VmResult<()>> + Send;

    /// Shutdown (3): flush and close the store, stop the HTTP servers.
    ///
    /// [`run_plugin`](crate::run_plugin) also calls it once on the way out
    /// when the node never sent Shutdown (connection lost, SIGTERM).
    fn shutdown(&self) -> impl Future<Output = VmResult<()>> + Send;

    /// CreateHandlers (4): start the HTTP servers (on `127.0.0.1:0`) and
    /// list them, e.g. `"/rpc"` → `127.0.0.1:<port>`. Idempotent.
    fn create_handlers(&self) -> impl Future<Output = VmResult<Vec<Handler>>> + Send;

    /// NewHTTPHandler (5): the node ignores the answer; `""` by default.
    fn new_http_handler(&self) -> impl Future<Output = VmResult<String>> + Send {
        async { Ok(String::new()) }
    }

    /// WaitForEvent (6): resolve when there is something to build (§5.5).
    ///
    /// Must be cancel-safe: the server drops the future when the connection
    /// closes, and a signal raised while nobody waits must be kept for the
    /// next call (an edge-triggered latch, e.g. `tokio::sync::Notify`).
    fn wait_for_event(&self) -> impl Future<Output = VmResult<Event>> + Send;

    /// Connected (7): a peer connected; ignored by default.
    fn connected(&self, req: ConnectedRequest) -> impl Future<Output = VmResult<()>> + Send {
        let _ = req;
        async { Ok(()) }
    }

    /// Disconnected (8): a peer left; ignored by default.
    fn disconnected(&self, node_id: NodeId) -> impl Future<Output = VmResult<()>> + Send {
        let _ = node_id;
        async { Ok(()) }
    }

    /// BuildBlock (9): build on the preferred block; with nothing to build,
    /// fail. Repeated calls before a decision should return the same block.
    fn build_block(&self, req: BuildBlockRequest) -> impl Future<Output = VmResult<Block>> + Send;

    /// ParseBlock (10): parse bytes into a block; never changes state.
    fn parse_block(&self, bytes: Vec<u8>) -> impl Future<Output = VmResult<Block>> + Send;

    /// GetBlock (11): an accepted, verified or built block by ID;
    /// [`VmError::NotFound`] when unknown.
    fn get_block(&self, id: Id) -> impl Future<Output = VmResult<Block>> + Send;

    /// SetPreference (12): the block the next BuildBlock builds on.
    fn set_preference(&self, id: Id) -> impl Future<Output = VmResult<()>> + Send;

    /// Health (13): opaque details (JSON is fine); an error means unhealthy.
    /// Answer quickly. Healthy with empty details by default.
    fn health(&self) -> impl Future<Output = VmResult<Vec<u8>>> + Send {
        async { Ok(Vec::new()) }
    }

    /// Version (14): e.g. `sessionvm/0.1.0`.
    fn version(&self) -> impl Future<Output = VmResult<String>> + Send;

    /// AppRequest (15): ignored by default.
    fn app_request(&self, req: AppRequest) -> impl Future<Output = VmResult<()>> + Send {
        let _ = req;
        async { Ok(()) }
    }

    /// AppRequestFailed (16): ignored by default.
    fn app_request_failed(
        &self,
        req: AppRequestFailed,
    ) -> impl Future<Output = VmResult<()>> + Send {
        let _ = req;
        async { Ok(()) }
    }

    /// AppResponse (17): ignored by default.
    fn app_response(&self, req: AppResponse) -> impl Future<Output = VmResult<()>> + Send {
        let _ = req;
        async { Ok(()) }
    }

    /// AppGossip (18): ignored by default.
    fn app_gossip(&self, req: AppGossip) -> impl Future<Output = VmResult<()>> + Send {
        let _ = req;
        async { Ok(()) }
    }

    /// GetAncestors (20): the bytes of `req.block_id` and its ancestors,
    /// newest first. The default walks [`get_block`](Self::get_block) (see
    /// [`get_ancestors_via`]).
    fn get_ancestors(
        &self,
        req: GetAncestorsRequest,
    ) -> impl Future<Output = VmResult<Vec<Vec<u8>>>> + Send {
        get_ancestors_via(req, move |id| self.get_block(id))
    }

    /// BatchedParseBlock (21): one result per input, in order. The default
    /// calls [`parse_block`](Self::parse_block) for each.
    fn batched_parse_block(
        &self,
        blocks: Vec<Vec<u8>>,
    ) -> impl Future<Output = VmResult<Vec<BlockResponse>>> + Send {
        async move {
            let mut out = Vec::with_capacity(blocks.len());
            for bytes in blocks {
                out.push(match self.parse_block(bytes).await {
                    Ok(block) => BlockResponse::ok(block),
                    Err(e) => BlockResponse::failure(e.code()),
                });
            }
            Ok(out)
        }
    }

    /// GetBlockIDAtHeight (22): the **accepted** block at `height`;
    /// [`VmError::NotFound`] when there is none.
    fn get_block_id_at_height(&self, height: u64) -> impl Future<Output = VmResult<Id>> + Send;

    /// BlockVerify (28): parse (or find) the block and verify it against its
    /// parent's state. Verifying a verified or accepted block again succeeds.
    fn block_verify(&self, req: BlockVerifyRequest) -> impl Future<Output = VmResult<()>> + Send;

    /// BlockAccept (29): make the block's effects and the new last-accepted
    /// pointer durable before returning.
    fn block_accept(&self, id: Id) -> impl Future<Output = VmResult<()>> + Send;

    /// BlockReject (30): drop the block; return its transactions to the mempool.
    fn block_reject(&self, id: Id) -> impl Future<Output = VmResult<()>> + Send;
}

/// GetAncestors over a block lookup (§4.7): starts at `req.block_id` and
/// follows parent IDs, stopping after `max_blocks_num` blocks, at the first
/// block `get` does not find, when `max_retrieval_time` (ns, if positive) has
/// passed, or before the reply would exceed `max_blocks_size` bytes (counted
/// with their 4-byte length prefixes) or the frame limit. The first block is
/// always included if it fits in a frame. A negative `max_blocks_num` is an
/// error.
pub async fn get_ancestors_via<F, Fut>(req: GetAncestorsRequest, get: F) -> VmResult<Vec<Vec<u8>>>
where
    F: Fn(Id) -> Fut,
    Fut: Future<Output = VmResult<Block>>,
{
    if req.max_blocks_num < 0 {
        return Err(VmError::failed(format!(
            "negative maxBlocksNum {}",
            req.max_blocks_num
        )));
    }
    let max_num = req.max_blocks_num as usize;
    let frame_room = MAX_BODY_LEN - 4;
    let size_limit = usize::try_from(req.max_blocks_size)
        .unwrap_or(0)
        .min(frame_room);
    let deadline = (req.max_retrieval_time > 0)
        .then(|| Instant::now() + Duration::from_nanos(req.max_retrieval_time as u64));
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut total = 0usize;
    let mut next = req.block_id;
    while out.len() < max_num {
        let block = match get(next).await {
            Ok(b) => b,
            Err(e) if out.is_empty() => return Err(e),
            // A missing (or unreadable) ancestor ends the list.
            Err(_) => break,
        };
        let cost = 4 + block.bytes.len();
        let limit = if out.is_empty() {
            frame_room
        } else {
            size_limit
        };
        if total + cost > limit {
            break;
        }
        total += cost;
        let parent = block.parent_id;
        let height = block.height;
        out.push(block.bytes);
        if height == 0 || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        next = parent;
    }
    Ok(out)
}
