//! The crate's single error type.

use thiserror::Error;

/// Everything that can go wrong in `session-core`.
///
/// Variants carry only public, non-secret context (lengths, names, indices).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// Text was not valid hexadecimal of the expected length.
    #[error("invalid hex: {0}")]
    InvalidHex(&'static str),
    /// Text was not valid CB58 (alphabet, checksum or length).
    #[error("invalid CB58: {0}")]
    InvalidCb58(&'static str),
    /// A byte string had the wrong length.
    #[error("invalid length: expected {expected}, got {actual}")]
    InvalidLength {
        /// The length that was required.
        expected: usize,
        /// The length that was seen.
        actual: usize,
    },
    /// Binary input ended before a complete value was read.
    #[error("unexpected end of input: needed {needed} more bytes")]
    UnexpectedEof {
        /// How many more bytes the decoder needed.
        needed: usize,
    },
    /// Binary input had bytes left after a complete top-level value.
    #[error("{0} trailing bytes after value")]
    TrailingBytes(usize),
    /// A length prefix exceeded the bound allowed for that field.
    #[error("length {len} exceeds limit {max} for {field}")]
    TooLong {
        /// Which field the length belongs to.
        field: &'static str,
        /// The declared length.
        len: u64,
        /// The largest length allowed.
        max: u64,
    },
    /// A top-level value carried a codec version this crate does not know.
    #[error("unsupported {ty} version {version}")]
    UnsupportedVersion {
        /// The type being decoded.
        ty: &'static str,
        /// The version byte read.
        version: u8,
    },
    /// An enum tag or flag byte held a value outside its range.
    #[error("invalid {field} tag {tag}")]
    InvalidTag {
        /// The field whose tag was invalid.
        field: &'static str,
        /// The tag value read.
        tag: u8,
    },
    /// A text field was not valid UTF-8.
    #[error("invalid UTF-8 in {0}")]
    InvalidUtf8(&'static str),
    /// A decoded value broke a structural rule (for example a duplicate or unsorted entry).
    #[error("non-canonical encoding: {0}")]
    NonCanonical(&'static str),
    /// An illegal session state transition was requested.
    #[error("illegal session transition from {from} to {to}")]
    IllegalTransition {
        /// The current state.
        from: &'static str,
        /// The requested state.
        to: &'static str,
    },
    /// A session operation did not fit the session's current state or steps.
    #[error("invalid session operation: {0}")]
    InvalidSession(&'static str),
    /// An unknown attestation domain name.
    #[error("unknown attestation domain")]
    UnknownDomain,
    /// Too few eligible nodes to form a committee.
    #[error("not enough eligible nodes: need {needed}, have {available}")]
    NotEnoughNodes {
        /// The minimum committee size.
        needed: usize,
        /// How many distinct eligible nodes were offered.
        available: usize,
    },
    /// Committee bounds were inconsistent (zero or min > max).
    #[error("invalid committee bounds: min {min}, max {max}")]
    InvalidCommitteeBounds {
        /// The requested minimum.
        min: usize,
        /// The requested maximum.
        max: usize,
    },
    /// The signer of an attestation is not a member of the committee.
    #[error("signer is not a committee member")]
    UnknownSigner,
    /// Bytes did not form a valid public identity.
    #[error("invalid public identity")]
    InvalidPublicKey,
    /// A signature failed to verify.
    #[error("invalid signature")]
    InvalidSignature,
    /// Fewer distinct valid signers than the quorum requires.
    #[error("quorum not reached: {valid} valid of {required} required")]
    QuorumNotReached {
        /// Distinct valid committee signers counted.
        valid: usize,
        /// Signers required.
        required: usize,
    },
    /// Two attestations do not form valid equivocation evidence.
    #[error("not equivocation: {0}")]
    NotEquivocation(&'static str),
    /// A Merkle proof was malformed or did not match the root.
    #[error("invalid Merkle proof: {0}")]
    InvalidProof(&'static str),
}

/// The crate's result alias.
pub type Result<T> = core::result::Result<T, Error>;
