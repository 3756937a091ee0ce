//! The crate's error type.

use std::time::Duration;

use crate::wire::ErrCode;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the protocol layer.
///
/// Decoding errors name the field that failed, so an error reply to a
/// malformed request tells the node exactly what was wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A frame announces (or would need) a `len` above the 16 MiB limit.
    /// Fatal for the connection: there is no way to resynchronise.
    #[error("frame length {len} exceeds the limit of {max} bytes")]
    FrameTooLarge {
        /// The announced or required `len`.
        len: u64,
        /// The limit.
        max: u32,
    },
    /// A field ran past the end of the body.
    #[error("field {field}: truncated (needs {need} bytes, {have} left)")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Bytes the field needs.
        need: u64,
        /// Bytes left in the body.
        have: usize,
    },
    /// A fixed-size field (an ID or node ID) has the wrong length.
    #[error("field {field}: expected {expected} bytes, got {got}")]
    BadLength {
        /// The field being read.
        field: &'static str,
        /// What the protocol allows (e.g. `"32"` or `"0 or 32"`).
        expected: &'static str,
        /// The length that arrived.
        got: usize,
    },
    /// A string field is not UTF-8.
    #[error("field {field}: not valid UTF-8")]
    InvalidUtf8 {
        /// The field being read.
        field: &'static str,
    },
    /// A list count larger than the bytes that could hold it.
    #[error("field {field}: count {count} exceeds the {remaining} bytes left")]
    CountTooLarge {
        /// The list field.
        field: &'static str,
        /// The announced count.
        count: u32,
        /// Bytes left in the body.
        remaining: usize,
    },
    /// A field holds a value the protocol does not define.
    #[error("field {field}: invalid value {value}")]
    InvalidValue {
        /// The field being read.
        field: &'static str,
        /// The value.
        value: u64,
    },
    /// Bytes left over after the last field where an exact decode was asked for.
    #[error("{extra} unexpected trailing bytes")]
    TrailingBytes {
        /// How many bytes were left.
        extra: usize,
    },
    /// A malformed message body; `what` names the message.
    #[error("malformed {what}: {source}")]
    Malformed {
        /// The message, e.g. `"GetBlock request"`.
        what: &'static str,
        /// The field-level error.
        #[source]
        source: Box<Error>,
    },
    /// A type byte that is not a known opcode.
    #[error("unknown opcode {0}")]
    UnknownOpcode(u8),
    /// The handshake failed (bad length, bad address, refused, no ACK, ...).
    #[error("handshake: {0}")]
    Handshake(String),
    /// The other side speaks a different protocol version.
    #[error("protocol version mismatch: got {got}, expected {expected}")]
    VersionMismatch {
        /// The version that arrived.
        got: u32,
        /// Ours.
        expected: u32,
    },
    /// The plugin answered with an error frame carrying this text.
    #[error("remote error (opcode {opcode}): {text}")]
    Remote {
        /// The opcode of the failed call.
        opcode: u8,
        /// The error text.
        text: String,
    },
    /// A success reply whose `err` field is not 0 (Unspecified).
    #[error("reply carries err {0}")]
    ErrCode(ErrCode),
    /// The peer broke the protocol (wrong opcode echoed, and the like).
    #[error("protocol violation: {0}")]
    Protocol(String),
    /// The connection closed before the operation completed.
    #[error("connection closed")]
    ConnectionClosed,
    /// An operation did not finish in time.
    #[error("{what} timed out after {after:?}")]
    Timeout {
        /// The operation.
        what: &'static str,
        /// The limit.
        after: Duration,
    },
    /// A socket error.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// Wraps a field-level decode error with the message it happened in.
    pub(crate) fn in_message(self, what: &'static str) -> Self {
        match self {
            Error::Malformed { .. } => self,
            other => Error::Malformed {
                what,
                source: Box::new(other),
            },
        }
    }
}
