//! The crate's error type.
//!
//! Errors are deliberately coarse: they say *what* failed (a length, a
//! signature, an authentication tag) but never echo secret input, and
//! decryption failures do not say which check failed.

/// Everything that can go wrong in `session-crypto`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input had the wrong length.
    #[error("invalid {what}: expected {expected} bytes, got {got}")]
    InvalidLength {
        /// What was being parsed.
        what: &'static str,
        /// The required length.
        expected: usize,
        /// The length that was given.
        got: usize,
    },
    /// An input was shorter than the smallest valid value.
    #[error("truncated {what}: need at least {min} bytes, got {got}")]
    Truncated {
        /// What was being parsed.
        what: &'static str,
        /// The minimum length.
        min: usize,
        /// The length that was given.
        got: usize,
    },
    /// A textual or binary encoding was malformed.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// A public key failed its validity check (FIPS 203 modulus check, or a
    /// weak or non-canonical curve point).
    #[error("invalid public key")]
    InvalidPublicKey,
    /// A signature did not verify for this key, message and context.
    #[error("signature verification failed")]
    BadSignature,
    /// Signing failed (ML-DSA rejection sampling ran out of attempts).
    #[error("signing failed")]
    SigningFailed,
    /// An ML-DSA context string was longer than 255 bytes.
    #[error("context string too long: at most 255 bytes")]
    ContextTooLong,
    /// Authenticated decryption failed: wrong key, wrong context, or the data
    /// was modified.
    #[error("decryption failed: wrong key or corrupted data")]
    DecryptionFailed,
    /// A format's version byte is not one this library reads.
    #[error("unsupported {what} version {version}")]
    UnsupportedVersion {
        /// Which format.
        what: &'static str,
        /// The version found.
        version: u8,
    },
    /// An envelope is addressed to a different identity.
    #[error("envelope is addressed to another identity")]
    WrongRecipient,
    /// The sender of an envelope is not known to the caller, or the key the
    /// caller supplied does not match the sender's ID.
    #[error("unknown sender {0}")]
    UnknownSender(String),
    /// A plaintext exceeded the format's size limit.
    #[error("input too large: at most {max} bytes")]
    TooLarge {
        /// The limit.
        max: usize,
    },
    /// A key file's permissions let other users read it.
    #[error("key file is accessible by other users (mode {mode:o}); run `chmod 600` on it")]
    InsecurePermissions {
        /// The file's permission bits.
        mode: u32,
    },
    /// A key file is encrypted and no passphrase was given.
    #[error("key file is encrypted: a passphrase is required")]
    PassphraseRequired,
    /// The passphrase was wrong or the encrypted key file was modified.
    #[error("wrong passphrase or corrupted key file")]
    WrongPassphrase,
    /// A key file holds a different kind of key than the operation needs.
    #[error("wrong key kind: expected {expected}")]
    WrongKeyKind {
        /// The kind the operation needs.
        expected: &'static str,
    },
    /// Password hashing parameters were rejected.
    #[error("invalid key derivation parameters")]
    KdfParams,
    /// An I/O error while reading or writing a key file.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn length(what: &'static str, expected: usize, got: usize) -> Self {
        Error::InvalidLength {
            what,
            expected,
            got,
        }
    }
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
