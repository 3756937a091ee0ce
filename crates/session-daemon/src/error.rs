//! The daemon's error type.

use thiserror::Error;

/// Everything that can go wrong in the daemon's core.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A core model or codec error (bad encoding, illegal transition, ...).
    #[error(transparent)]
    Core(#[from] session_core::Error),
    /// A storage error.
    #[error(transparent)]
    Store(#[from] session_store::Error),
    /// The node is not in the registry.
    #[error("unknown node")]
    UnknownNode,
    /// The node is already registered.
    #[error("node already registered")]
    AlreadyRegistered,
    /// A registry state change the rules do not allow.
    #[error("node cannot go from {from} to {to}")]
    IllegalNodeTransition {
        /// Current state.
        from: &'static str,
        /// Requested state.
        to: &'static str,
    },
    /// No beacon is known for the epoch.
    #[error("no beacon for epoch {0}")]
    UnknownEpoch(u64),
    /// A beacon does not extend the chain.
    #[error("beacon does not follow the latest one")]
    BeaconOutOfOrder,
    /// The compute function is not registered.
    #[error("unknown compute function {0:?}")]
    UnknownFunction(String),
    /// A compute function rejected its inputs.
    #[error("compute {function}: {reason}")]
    Compute {
        /// The function.
        function: &'static str,
        /// Why.
        reason: String,
    },
    /// An oracle record, commit or attestation is for another request.
    #[error("message for another request or session")]
    WrongRequest,
    /// The signer or submitter is not a committee member.
    #[error("not a committee member")]
    NotMember,
    /// A signature did not verify.
    #[error("invalid signature")]
    InvalidSignature,
    /// A commit lists fewer records than a quorum, or repeats a submitter.
    #[error("invalid commit: {0}")]
    InvalidCommit(&'static str),
    /// The round is already committed to other records.
    #[error("round already committed")]
    AlreadyCommitted,
    /// Not enough records or attestations for a quorum.
    #[error("quorum not reached: {have} of {need}")]
    QuorumNotReached {
        /// Valid contributions so far.
        have: usize,
        /// Contributions needed.
        need: usize,
    },
    /// The transport failed.
    #[error("network: {0}")]
    Network(String),
    /// This node runs `max_sessions` sessions already.
    #[error("maximum sessions reached")]
    TooManySessions,
    /// A bad setting (flag or file) at start.
    #[error("configuration: {0}")]
    Config(String),
    /// Bad input from a client or peer.
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),
}

/// `Result` with the daemon's [`Error`](enum@Error).
pub type Result<T, E = Error> = core::result::Result<T, E>;
