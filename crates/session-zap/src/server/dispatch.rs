//! One request in, one reply frame out.

use tokio::sync::watch;

use crate::server::vm::{PluginVm, VmError, VmResult};
use crate::wire::{
    Block, BlockResponse, CreateHandlersResponse, GetAncestorsResponse, GetBlockIdAtHeightResponse,
    HealthResponse, Message, NewHttpHandlerResponse, Opcode, Request, StateSummaryAcceptResponse,
    StateSyncEnabledResponse, SummaryResponse, VersionResponse, Writer,
};

/// Longest error text sent back (longer texts are cut at a char boundary).
const MAX_ERROR_TEXT: usize = 64 * 1024;

/// A reply body (in a writer with room for the frame header) or error text.
pub(crate) type Outcome = Result<Writer, String>;

fn body<M: Message>(m: &M) -> Writer {
    let mut w = Writer::for_frame();
    m.write(&mut w);
    w
}

fn reply<M: Message>(r: VmResult<M>) -> Outcome {
    r.map(|m| body(&m)).map_err(|e| e.to_string())
}

fn empty(r: VmResult<()>) -> Outcome {
    r.map(|()| Writer::for_frame()).map_err(|e| e.to_string())
}

/// Block calls: NotFound / Closed go into the `err` field, text errors into
/// an error frame.
fn block(r: VmResult<Block>) -> Outcome {
    match r {
        Ok(b) => Ok(body(&BlockResponse::ok(b))),
        Err(e @ (VmError::NotFound | VmError::Closed)) => {
            Ok(body(&BlockResponse::failure(e.code())))
        }
        Err(VmError::Failed(text)) => Err(text),
    }
}

/// Runs the handler for one request. `None` means the request was dropped
/// without a reply (a WaitForEvent pending when its connection closed).
pub(crate) async fn dispatch<V: PluginVm>(
    vm: &V,
    op: Opcode,
    raw: &[u8],
    mut closed: watch::Receiver<bool>,
) -> Option<Outcome> {
    let req = match Request::decode(op, raw) {
        Ok(r) => r,
        Err(e) => return Some(Err(e.to_string())),
    };
    Some(match req {
        Request::Initialize(r) => reply(vm.initialize(r).await),
        Request::SetState(r) => empty(vm.set_state(r.state).await),
        Request::Shutdown => empty(vm.shutdown().await),
        Request::CreateHandlers => reply(
            vm.create_handlers()
                .await
                .map(|handlers| CreateHandlersResponse { handlers }),
        ),
        Request::NewHttpHandler => reply(
            vm.new_http_handler()
                .await
                .map(|addr| NewHttpHandlerResponse { addr }),
        ),
        Request::WaitForEvent => {
            tokio::select! {
                event = vm.wait_for_event() => reply(event),
                _ = closed.wait_for(|c| *c) => return None,
            }
        }
        Request::Connected(r) => empty(vm.connected(r).await),
        Request::Disconnected(r) => empty(vm.disconnected(r.node_id).await),
        Request::BuildBlock(r) => block(vm.build_block(r).await),
        Request::ParseBlock(r) => block(vm.parse_block(r.bytes).await),
        Request::GetBlock(r) => block(vm.get_block(r.id).await),
        Request::SetPreference(r) => empty(vm.set_preference(r.id).await),
        Request::Health => reply(vm.health().await.map(|details| HealthResponse { details })),
        Request::Version => reply(
            vm.version()
                .await
                .map(|version| VersionResponse { version }),
        ),
        Request::AppRequest(r) => empty(vm.app_request(r).await),
        Request::AppRequestFailed(r) => empty(vm.app_request_failed(r).await),
        Request::AppResponse(r) => empty(vm.app_response(r).await),
        Request::AppGossip(r) => empty(vm.app_gossip(r).await),
        Request::GetAncestors(r) => reply(
            vm.get_ancestors(r)
                .await
                .map(|blocks| GetAncestorsResponse { blocks }),
        ),
        Request::BatchedParseBlock(r) => reply(
            vm.batched_parse_block(r.blocks)
                .await
                .map(|blocks| crate::wire::BatchedParseBlockResponse { blocks }),
        ),
        Request::GetBlockIdAtHeight(r) => match vm.get_block_id_at_height(r.height).await {
            Ok(id) => Ok(body(&GetBlockIdAtHeightResponse::found(id))),
            Err(e @ (VmError::NotFound | VmError::Closed)) => {
                Ok(body(&GetBlockIdAtHeightResponse::failure(e.code())))
            }
            Err(VmError::Failed(text)) => Err(text),
        },
        Request::BlockVerify(r) => empty(vm.block_verify(r).await),
        Request::BlockAccept(r) => empty(vm.block_accept(r.id).await),
        Request::BlockReject(r) => empty(vm.block_reject(r.id).await),
        Request::StateSyncEnabled => Ok(body(&StateSyncEnabledResponse {
            enabled: false,
            err: crate::wire::ErrCode::STATE_SYNC_NOT_IMPLEMENTED,
        })),
        Request::GetOngoingSyncStateSummary
        | Request::GetLastStateSummary
        | Request::ParseStateSummary(_)
        | Request::GetStateSummary(_) => Ok(body(&SummaryResponse::not_implemented())),
        Request::StateSummaryAccept(_) => Ok(body(&StateSummaryAcceptResponse {
            mode: 0,
            err: crate::wire::ErrCode::STATE_SYNC_NOT_IMPLEMENTED,
        })),
        Request::Unsupported(op) => Err(unimplemented(op.as_u8())),
    })
}

/// The error text for an opcode nobody serves.
pub(crate) fn unimplemented(op: u8) -> String {
    format!("unimplemented opcode {op}")
}

/// Builds the reply frame for `outcome`; a body too large for a frame turns
/// into an error reply.
pub(crate) fn finish(type_byte: u8, request_id: u32, outcome: Outcome) -> Vec<u8> {
    let text = match outcome {
        Ok(w) => match w.into_frame(type_byte | crate::wire::REPLY_FLAG, request_id) {
            Ok(frame) => return frame,
            Err(e) => format!("reply too large: {e}"),
        },
        Err(text) => text,
    };
    error_frame(type_byte, request_id, &text)
}

/// An error reply frame (`type | 0xC0`, raw text body).
pub(crate) fn error_frame(type_byte: u8, request_id: u32, text: &str) -> Vec<u8> {
    let mut end = text.len().min(MAX_ERROR_TEXT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    crate::wire::encode_frame(
        type_byte | crate::wire::REPLY_FLAG | crate::wire::ERROR_FLAG,
        request_id,
        &text.as_bytes()[..end],
    )
    .expect("an error text of at most 64 KiB fits in a frame")
}
