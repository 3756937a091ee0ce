//! Every opcode of the shared table (spec §4.0).

use crate::wire::frame::{ERROR_FLAG, OPCODE_MASK, REPLY_FLAG};

macro_rules! opcodes {
    ($($(#[$doc:meta])* $name:ident = $value:literal,)*) => {
        /// A message type (bits 0–5 of the type byte).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        #[non_exhaustive]
        pub enum Opcode {
            $($(#[$doc])* $name = $value,)*
        }

        impl Opcode {
            /// Every opcode, in numeric order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name,)*];

            /// The opcode for a request's type byte; `None` for numbers the
            /// table does not define (and for any byte with a flag bit set).
            pub const fn from_u8(value: u8) -> Option<Self> {
                match value {
                    $($value => Some(Opcode::$name),)*
                    _ => None,
                }
            }

            /// The name used in the Go sources, without the `Msg` prefix.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Opcode::$name => stringify!($name),)*
                }
            }
        }
    };
}

opcodes! {
    /// Start the VM (§4.1).
    Initialize = 1,
    /// Node state change (§4.2).
    SetState = 2,
    /// Stop the VM (§4.2).
    Shutdown = 3,
    /// Start HTTP servers and list them (§4.3).
    CreateHandlers = 4,
    /// Legacy single handler; answered with `""` (§4.3).
    NewHttpHandler = 5,
    /// Block until there is something to build (§4.4, §5.5).
    WaitForEvent = 6,
    /// A peer connected (§4.2).
    Connected = 7,
    /// A peer disconnected (§4.2).
    Disconnected = 8,
    /// Build a block on the preferred tip (§4.5).
    BuildBlock = 9,
    /// Parse block bytes (§4.5).
    ParseBlock = 10,
    /// Look a block up by ID (§4.5).
    GetBlock = 11,
    /// Set the preferred tip (§4.5).
    SetPreference = 12,
    /// Health check (§4.6).
    Health = 13,
    /// Version string (§4.6).
    Version = 14,
    /// App-level request from a peer (§4.7).
    AppRequest = 15,
    /// A peer's app request failed (§4.7).
    AppRequestFailed = 16,
    /// App-level response from a peer (§4.7).
    AppResponse = 17,
    /// App-level gossip from a peer (§4.7).
    AppGossip = 18,
    /// Metrics; no layout defined, always an error reply (§4.7).
    Gather = 19,
    /// A block and its ancestors (§4.7).
    GetAncestors = 20,
    /// Parse many blocks (§4.7).
    BatchedParseBlock = 21,
    /// Accepted block ID at a height (§4.7).
    GetBlockIdAtHeight = 22,
    /// State sync (§4.9).
    StateSyncEnabled = 23,
    /// State sync (§4.9).
    GetOngoingSyncStateSummary = 24,
    /// State sync (§4.9).
    GetLastStateSummary = 25,
    /// State sync (§4.9).
    ParseStateSummary = 26,
    /// State sync (§4.9).
    GetStateSummary = 27,
    /// Verify block bytes (§4.8).
    BlockVerify = 28,
    /// Accept a block (§4.8).
    BlockAccept = 29,
    /// Reject a block (§4.8).
    BlockReject = 30,
    /// State sync (§4.9).
    StateSummaryAccept = 31,
    /// Atomic memory, plugin → node only (§4.10).
    AtomicGet = 32,
    /// Atomic memory, plugin → node only (§4.10).
    AtomicApply = 33,
    /// Atomic memory, plugin → node only (§4.10).
    AtomicIndexed = 34,
    /// p2p sender, separate service (§4.10).
    SendRequest = 40,
    /// p2p sender, separate service (§4.10).
    SendResponse = 41,
    /// p2p sender, separate service (§4.10).
    SendError = 42,
    /// p2p sender, separate service (§4.10).
    SendGossip = 43,
    /// Warp, separate service (§4.10).
    WarpSign = 50,
    /// Warp, separate service (§4.10).
    WarpGetPublicKey = 51,
    /// Warp, separate service (§4.10).
    WarpBatchSign = 52,
    /// Validator state, plugin → node only (§4.10).
    ValidatorState = 53,
    /// Quasar export; only with CapQuasarExport (§4.10).
    SetQuasarFinalized = 60,
    /// Quasar export; only with CapQuasarExport (§4.10).
    QuasarHeight = 61,
}

impl Opcode {
    /// The number on the wire.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// The type byte of a success reply (`opcode | 0x80`).
    pub const fn reply_type(self) -> u8 {
        self as u8 | REPLY_FLAG
    }

    /// The type byte of an error reply (`opcode | 0xC0`).
    pub const fn error_type(self) -> u8 {
        (self as u8 & OPCODE_MASK) | REPLY_FLAG | ERROR_FLAG
    }
}

impl std::fmt::Display for Opcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name(), self.as_u8())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_round_trips_and_fits_in_six_bits() {
        assert_eq!(Opcode::ALL.len(), 31 + 3 + 4 + 4 + 2);
        for &op in Opcode::ALL {
            assert_eq!(Opcode::from_u8(op.as_u8()), Some(op));
            assert!(op.as_u8() >= 1 && op.as_u8() <= OPCODE_MASK);
        }
        for v in [0u8, 35, 39, 44, 49, 54, 59, 62, 63, 0x41, 0x8d, 0xff] {
            assert_eq!(Opcode::from_u8(v), None, "{v}");
        }
        assert_eq!(Opcode::StateSummaryAccept.as_u8(), 31);
        assert_eq!(Opcode::BlockVerify.reply_type(), 0x9c);
        assert_eq!(Opcode::Gather.error_type(), 0xd3);
        assert_eq!(Opcode::GetBlock.error_type(), 0xcb);
        assert_eq!(Opcode::Health.to_string(), "Health (13)");
    }
}
