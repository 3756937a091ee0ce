//! The one error type of the VM, with the JSON-RPC code each variant maps to.

use session_core::Id;

/// Result alias for the VM.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in SessionVM. Messages are short and never
/// contain keys, ciphertexts or plaintext.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Malformed input: bad encoding, wrong length, bad shape (`-32602`).
    #[error("invalid params: {0}")]
    InvalidParams(String),
    /// No such session (`-32001`).
    #[error("unknown session")]
    UnknownSession,
    /// The session is closed or expired (`-32002`).
    #[error("session {0}")]
    NotActive(&'static str),
    /// The signer is not a participant or the signature does not verify (`-32003`).
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// A replayed statement (`-32004`).
    #[error("duplicate: {0}")]
    Duplicate(&'static str),
    /// A configured limit is reached (`-32005`).
    #[error("limit reached: {0}")]
    Limit(String),
    /// The mempool is full (`-32006`).
    #[error("overloaded: mempool full, retry later")]
    Overloaded,
    /// The transaction was not accepted within the wait (`-32007`).
    #[error("not yet accepted; follow transaction {tx_id}")]
    NotYetAccepted {
        /// The transaction to follow.
        tx_id: Id,
    },
    /// A block failed to parse or verify.
    #[error("invalid block: {0}")]
    InvalidBlock(String),
    /// A block ID that this VM does not know.
    #[error("unknown block")]
    UnknownBlock,
    /// Bad configuration or genesis.
    #[error("config: {0}")]
    Config(String),
    /// Stored data that fails to decode: the database is damaged.
    #[error("corrupt state: {0}")]
    Corrupt(String),
    /// The VM is shutting down.
    #[error("shutting down")]
    Closed,
    /// The storage layer failed.
    #[error("storage: {0}")]
    Store(#[from] session_store::Error),
}

impl From<session_core::Error> for Error {
    /// Decoding failures of untrusted bytes are malformed input.
    fn from(e: session_core::Error) -> Self {
        Error::InvalidParams(e.to_string())
    }
}

impl Error {
    /// The JSON-RPC error code of `specs/rpc.md`.
    pub fn rpc_code(&self) -> i64 {
        match self {
            Error::InvalidParams(_) => -32602,
            Error::UnknownSession => -32001,
            Error::NotActive(_) => -32002,
            Error::Unauthorized(_) => -32003,
            Error::Duplicate(_) => -32004,
            Error::Limit(_) => -32005,
            Error::Overloaded => -32006,
            Error::NotYetAccepted { .. } => -32007,
            _ => -32603,
        }
    }

    /// Shorthand for [`Error::InvalidParams`].
    pub fn params(msg: impl Into<String>) -> Self {
        Error::InvalidParams(msg.into())
    }

    /// Whether this is a rejection of the input (as opposed to a server fault).
    pub fn is_rejection(&self) -> bool {
        (-32007..=-32001).contains(&self.rpc_code()) || self.rpc_code() == -32602
    }
}

impl Clone for Error {
    fn clone(&self) -> Self {
        match self {
            Error::InvalidParams(m) => Error::InvalidParams(m.clone()),
            Error::UnknownSession => Error::UnknownSession,
            Error::NotActive(m) => Error::NotActive(m),
            Error::Unauthorized(m) => Error::Unauthorized(m),
            Error::Duplicate(m) => Error::Duplicate(m),
            Error::Limit(m) => Error::Limit(m.clone()),
            Error::Overloaded => Error::Overloaded,
            Error::NotYetAccepted { tx_id } => Error::NotYetAccepted { tx_id: *tx_id },
            Error::InvalidBlock(m) => Error::InvalidBlock(m.clone()),
            Error::UnknownBlock => Error::UnknownBlock,
            Error::Config(m) => Error::Config(m.clone()),
            Error::Corrupt(m) => Error::Corrupt(m.clone()),
            Error::Closed => Error::Closed,
            // Storage errors are not cloneable; keep their text.
            Error::Store(e) => Error::Corrupt(format!("storage: {e}")),
        }
    }
}
