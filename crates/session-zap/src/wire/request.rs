//! Every request the node can send on the VM connection, decoded by opcode.

use crate::error::Result;
use crate::wire::block::*;
use crate::wire::msg::*;
use crate::wire::opcode::Opcode;
use crate::wire::other::*;

macro_rules! requests {
    (
        units { $($unit:ident,)* }
        bodies { $($var:ident($ty:ty),)* }
    ) => {
        /// A decoded request.
        // Initialize is large, but a request lives only while it is handled
        // and is moved once; boxing it would cost more than it saves.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Request {
            $(
                #[doc = concat!("`", stringify!($unit), "` (empty body).")]
                $unit,
            )*
            $(
                #[doc = concat!("`", stringify!($var), "`.")]
                $var($ty),
            )*
            /// An opcode SessionVM does not serve (Gather, the Quasar calls,
            /// and the reverse-direction services); its body is not read.
            Unsupported(Opcode),
        }

        impl Request {
            /// Decodes the body of a request with opcode `op`. Bytes after
            /// the last known field are ignored (§3).
            pub fn decode(op: Opcode, body: &[u8]) -> Result<Self> {
                match op {
                    $(Opcode::$unit => Ok(Request::$unit),)*
                    $(Opcode::$var => <$ty as Message>::decode(body).map(Request::$var),)*
                    other => Ok(Request::Unsupported(other)),
                }
            }

            /// The opcode.
            pub fn opcode(&self) -> Opcode {
                match self {
                    $(Request::$unit => Opcode::$unit,)*
                    $(Request::$var(_) => Opcode::$var,)*
                    Request::Unsupported(op) => *op,
                }
            }

            /// The body as bytes (empty for unit and unsupported requests).
            pub fn encode(&self) -> Vec<u8> {
                match self {
                    $(Request::$var(m) => m.encode(),)*
                    _ => Vec::new(),
                }
            }
        }

        $(
            impl From<$ty> for Request {
                fn from(m: $ty) -> Self {
                    Request::$var(m)
                }
            }
        )*
    };
}

requests! {
    units {
        Shutdown,
        CreateHandlers,
        NewHttpHandler,
        WaitForEvent,
        Health,
        Version,
        StateSyncEnabled,
        GetOngoingSyncStateSummary,
        GetLastStateSummary,
    }
    bodies {
        Initialize(InitializeRequest),
        SetState(SetStateRequest),
        Connected(ConnectedRequest),
        Disconnected(DisconnectedRequest),
        BuildBlock(BuildBlockRequest),
        ParseBlock(ParseBlockRequest),
        GetBlock(GetBlockRequest),
        SetPreference(SetPreferenceRequest),
        AppRequest(AppRequest),
        AppRequestFailed(AppRequestFailed),
        AppResponse(AppResponse),
        AppGossip(AppGossip),
        GetAncestors(GetAncestorsRequest),
        BatchedParseBlock(BatchedParseBlockRequest),
        GetBlockIdAtHeight(GetBlockIdAtHeightRequest),
        ParseStateSummary(ParseStateSummaryRequest),
        GetStateSummary(GetStateSummaryRequest),
        BlockVerify(BlockVerifyRequest),
        BlockAccept(BlockAcceptRequest),
        BlockReject(BlockRejectRequest),
        StateSummaryAccept(StateSummaryAcceptRequest),
    }
}
