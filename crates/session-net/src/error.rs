//! The crate's single error type.

use std::io;

use session_crypto::IdentityId;
use thiserror::Error;

use crate::message::Rejection;

/// Everything that can go wrong in `session-net`.
///
/// Variants carry only public context (lengths, IDs, names); none echoes key
/// material or message contents.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A socket operation failed.
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
    /// TLS failed (handshake, record protection or configuration).
    #[error("TLS error: {0}")]
    Tls(#[from] rustls::Error),
    /// The ephemeral TLS certificate could not be made.
    #[error("certificate generation failed: {0}")]
    Certificate(String),
    /// A message body did not decode with the session-core codec.
    #[error("message codec error: {0}")]
    Codec(#[from] session_core::Error),
    /// A frame's declared length exceeds the limit (checked before any
    /// allocation).
    #[error("frame of {len} bytes exceeds the {max}-byte limit")]
    FrameTooLarge {
        /// The declared length.
        len: u64,
        /// The limit in force.
        max: usize,
    },
    /// A frame's declared length is too short to hold its header.
    #[error("frame of {0} bytes is shorter than its header")]
    FrameTooShort(u32),
    /// A frame carried a protocol version this crate does not speak.
    #[error("unsupported wire version {0}")]
    UnsupportedVersion(u8),
    /// A frame carried an unknown message type.
    #[error("unknown message type {0:#04x}")]
    UnknownMessageType(u8),
    /// A frame's correlation header was malformed.
    #[error("malformed frame header: {0}")]
    MalformedHeader(&'static str),
    /// More bytes were fed to a frame decoder than it may buffer.
    #[error("frame decoder buffer full")]
    BufferFull,
    /// The peer broke the protocol (for example a second handshake, or a
    /// response to nothing).
    #[error("protocol violation: {0}")]
    Protocol(&'static str),
    /// The peer's identity signature over the TLS exporter did not verify.
    #[error("identity binding signature is invalid")]
    BadBinding,
    /// The peer authenticated as someone other than the node dialed.
    #[error("peer mismatch: dialed {expected}, reached {found}")]
    PeerMismatch {
        /// The ID that was dialed.
        expected: IdentityId,
        /// The ID the peer proved.
        found: IdentityId,
    },
    /// The dialer addressed its handshake to another node.
    #[error("handshake addressed to {addressed}, not to this node")]
    NotAddressedToUs {
        /// The listener ID the dialer expected.
        addressed: IdentityId,
    },
    /// A node dialed itself.
    #[error("connection to self")]
    SelfConnection,
    /// The TCP connection was not established in time.
    #[error("connect timed out")]
    ConnectTimeout,
    /// The TLS handshake plus identity binding did not finish in time.
    #[error("handshake timed out")]
    HandshakeTimeout,
    /// A request got no response in time.
    #[error("request timed out")]
    Timeout,
    /// No authenticated link to this peer exists.
    #[error("not connected to {0}")]
    NotConnected(IdentityId),
    /// The link closed before the operation finished.
    #[error("link closed")]
    Disconnected,
    /// The peer limit is reached.
    #[error("peer limit reached")]
    TooManyPeers,
    /// The per-peer limit on requests awaiting a response is reached.
    #[error("too many requests in flight to this peer")]
    TooManyRequests,
    /// The per-peer send queue is full.
    #[error("send queue to this peer is full")]
    QueueFull,
    /// A message is too large for one frame.
    #[error("message of {len} bytes exceeds the {max}-byte frame limit")]
    MessageTooLarge {
        /// The encoded frame length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The peer answered a request with a rejection.
    #[error("request rejected by peer: {0}")]
    Rejected(Rejection),
    /// The node is shutting down or has shut down.
    #[error("node is shut down")]
    Shutdown,
    /// The configuration is inconsistent.
    #[error("invalid configuration: {0}")]
    Config(&'static str),
    /// A peer address did not parse (`<07…id>@<host:port>`).
    #[error("invalid peer address: {0}")]
    InvalidPeerAddr(&'static str),
}

/// The crate's result alias.
pub type Result<T> = core::result::Result<T, Error>;
