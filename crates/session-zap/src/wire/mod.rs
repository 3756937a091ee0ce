//! The wire format, sans-I/O: frames (§2), field encodings (§3) and every
//! message layout (§4), with encode and decode for both directions.
//!
//! - [`FrameDecoder`] turns a byte stream into [`Frame`]s; [`encode_frame`]
//!   does the reverse.
//! - [`Reader`] / [`Writer`] read and write fields.
//! - Each message is a struct implementing [`Message`]; each request also
//!   implements [`Call`], naming its [`Opcode`] and reply type.
//! - [`Request`] decodes any request body given its opcode.

mod block;
mod field;
mod frame;
mod msg;
mod opcode;
mod other;
mod request;

pub use block::{
    BatchedParseBlockRequest, BatchedParseBlockResponse, Block, BlockAcceptRequest,
    BlockRejectRequest, BlockResponse, BlockVerifyRequest, BlockVerifyResponse, BuildBlockRequest,
    GetAncestorsRequest, GetAncestorsResponse, GetBlockIdAtHeightRequest,
    GetBlockIdAtHeightResponse, GetBlockRequest, ParseBlockRequest, SetPreferenceRequest,
};
pub use field::{Id, NodeId, Reader, Writer, ZERO_ID};
pub use frame::{
    ERROR_FLAG, Frame, FrameDecoder, HEADER_LEN, MAX_BODY_LEN, MAX_FRAME_LEN, OPCODE_MASK,
    REPLY_FLAG, encode_frame, encode_frame_into,
};
pub use msg::{
    Call, ConnectedRequest, CreateHandlersRequest, CreateHandlersResponse, DisconnectedRequest,
    ErrCode, Event, Handler, HealthRequest, HealthResponse, InitializeExtensions,
    InitializeRequest, InitializeResponse, Message, NewHttpHandlerRequest, NewHttpHandlerResponse,
    SetStateRequest, ShutdownRequest, VersionRequest, VersionResponse, VmState,
    WaitForEventRequest,
};
pub use opcode::Opcode;
pub use other::{
    AppGossip, AppRequest, AppRequestFailed, AppResponse, GetLastStateSummaryRequest,
    GetOngoingSyncStateSummaryRequest, GetStateSummaryRequest, ParseStateSummaryRequest,
    StateSummaryAcceptRequest, StateSummaryAcceptResponse, StateSyncEnabledRequest,
    StateSyncEnabledResponse, SummaryResponse,
};
pub use request::Request;

#[cfg(test)]
mod tests;
