//! App messages (15–18, §4.7) and the state-sync calls (23–27, 31, §4.9).

use crate::error::Result;
use crate::wire::field::{NodeId, Reader, Writer};
use crate::wire::msg::{Call, ErrCode, Message, calls, empty_requests};
use crate::wire::opcode::Opcode;

/// AppRequest (15).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppRequest {
    /// The peer.
    pub node_id: NodeId,
    /// The peer's request ID.
    pub request_id: u32,
    /// Deadline, Unix ns.
    pub deadline: i64,
    /// The request.
    pub request: Vec<u8>,
}

impl Message for AppRequest {
    const NAME: &'static str = "AppRequest request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.node_id);
        w.u32(self.request_id);
        w.i64(self.deadline);
        w.bytes(&self.request);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            node_id: r.node_id("node_id")?,
            request_id: r.u32("request_id")?,
            deadline: r.i64("deadline")?,
            request: r.bytes_vec("request")?,
        })
    }
}

/// AppRequestFailed (16).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppRequestFailed {
    /// The peer.
    pub node_id: NodeId,
    /// Our request ID.
    pub request_id: u32,
    /// Error code.
    pub error_code: i32,
    /// Error message.
    pub error_message: String,
}

impl Message for AppRequestFailed {
    const NAME: &'static str = "AppRequestFailed request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.node_id);
        w.u32(self.request_id);
        w.i32(self.error_code);
        w.string(&self.error_message);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            node_id: r.node_id("node_id")?,
            request_id: r.u32("request_id")?,
            error_code: r.i32("error_code")?,
            error_message: r.string("error_message")?,
        })
    }
}

/// AppResponse (17).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppResponse {
    /// The peer.
    pub node_id: NodeId,
    /// Our request ID.
    pub request_id: u32,
    /// The response.
    pub response: Vec<u8>,
}

impl Message for AppResponse {
    const NAME: &'static str = "AppResponse request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.node_id);
        w.u32(self.request_id);
        w.bytes(&self.response);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            node_id: r.node_id("node_id")?,
            request_id: r.u32("request_id")?,
            response: r.bytes_vec("response")?,
        })
    }
}

/// AppGossip (18).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppGossip {
    /// The peer.
    pub node_id: NodeId,
    /// The message.
    pub msg: Vec<u8>,
}

impl Message for AppGossip {
    const NAME: &'static str = "AppGossip request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.node_id);
        w.bytes(&self.msg);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            node_id: r.node_id("node_id")?,
            msg: r.bytes_vec("msg")?,
        })
    }
}

empty_requests! {
    /// StateSyncEnabled (23): empty request.
    StateSyncEnabledRequest => StateSyncEnabled, StateSyncEnabledResponse;
    /// GetOngoingSyncStateSummary (24): empty request.
    GetOngoingSyncStateSummaryRequest => GetOngoingSyncStateSummary, SummaryResponse;
    /// GetLastStateSummary (25): empty request.
    GetLastStateSummaryRequest => GetLastStateSummary, SummaryResponse;
}

/// ParseStateSummary (26) request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseStateSummaryRequest {
    /// The summary bytes.
    pub bytes: Vec<u8>,
}

impl Message for ParseStateSummaryRequest {
    const NAME: &'static str = "ParseStateSummary request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.bytes);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            bytes: r.bytes_vec("bytes")?,
        })
    }
}

/// GetStateSummary (27) request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GetStateSummaryRequest {
    /// The height.
    pub height: u64,
}

impl Message for GetStateSummaryRequest {
    const NAME: &'static str = "GetStateSummary request";
    fn write(&self, w: &mut Writer) {
        w.u64(self.height);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            height: r.u64("height")?,
        })
    }
}

/// StateSummaryAccept (31) request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateSummaryAcceptRequest {
    /// The summary ID (raw; never interpreted by SessionVM).
    pub id: Vec<u8>,
}

impl Message for StateSummaryAcceptRequest {
    const NAME: &'static str = "StateSummaryAccept request";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.id);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            id: r.bytes_vec("id")?,
        })
    }
}

/// StateSyncEnabled (23) reply: `bool enabled, u8 err`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateSyncEnabledResponse {
    /// Whether state sync is on.
    pub enabled: bool,
    /// SessionVM: 3.
    pub err: ErrCode,
}

impl Message for StateSyncEnabledResponse {
    const NAME: &'static str = "StateSyncEnabled reply";
    fn write(&self, w: &mut Writer) {
        w.bool(self.enabled);
        w.u8(self.err.0);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            enabled: r.bool("enabled")?,
            err: ErrCode(r.u8("err")?),
        })
    }
}

/// The reply of 24–27: `bytes id, u64 height, bytes bytes, u8 err`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SummaryResponse {
    /// Summary ID (raw).
    pub id: Vec<u8>,
    /// Height.
    pub height: u64,
    /// Summary bytes.
    pub bytes: Vec<u8>,
    /// SessionVM: 3.
    pub err: ErrCode,
}

impl SummaryResponse {
    /// The "state sync not implemented" answer: every field empty, err 3.
    pub fn not_implemented() -> Self {
        Self {
            err: ErrCode::STATE_SYNC_NOT_IMPLEMENTED,
            ..Self::default()
        }
    }
}

impl Message for SummaryResponse {
    const NAME: &'static str = "state summary reply";
    fn write(&self, w: &mut Writer) {
        w.bytes(&self.id);
        w.u64(self.height);
        w.bytes(&self.bytes);
        w.u8(self.err.0);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            id: r.bytes_vec("id")?,
            height: r.u64("height")?,
            bytes: r.bytes_vec("bytes")?,
            err: ErrCode(r.u8("err")?),
        })
    }
}

/// StateSummaryAccept (31) reply: `u8 mode, u8 err`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateSummaryAcceptResponse {
    /// Sync mode.
    pub mode: u8,
    /// SessionVM: 3.
    pub err: ErrCode,
}

impl Message for StateSummaryAcceptResponse {
    const NAME: &'static str = "StateSummaryAccept reply";
    fn write(&self, w: &mut Writer) {
        w.u8(self.mode);
        w.u8(self.err.0);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Self {
            mode: r.u8("mode")?,
            err: ErrCode(r.u8("err")?),
        })
    }
}

calls! {
    AppRequest => AppRequest, ();
    AppRequestFailed => AppRequestFailed, ();
    AppResponse => AppResponse, ();
    AppGossip => AppGossip, ();
    ParseStateSummaryRequest => ParseStateSummary, SummaryResponse;
    GetStateSummaryRequest => GetStateSummary, SummaryResponse;
    StateSummaryAcceptRequest => StateSummaryAccept, StateSummaryAcceptResponse;
}
