//! The crate's error type and size limits.

use std::path::PathBuf;

/// Largest key any backend accepts, in bytes (1 KiB).
pub const MAX_KEY_LEN: usize = 1024;

/// Largest value any backend accepts, in bytes (64 MiB).
pub const MAX_VALUE_LEN: usize = 64 * 1024 * 1024;

/// Everything that can go wrong in a store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A key (or scan prefix / start key) is longer than [`MAX_KEY_LEN`].
    #[error("key of {len} bytes exceeds the limit of {max} bytes")]
    KeyTooLarge {
        /// Length of the offending key.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A value is longer than [`MAX_VALUE_LEN`].
    #[error("value of {len} bytes exceeds the limit of {max} bytes")]
    ValueTooLarge {
        /// Length of the offending value.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The directory for a database file could not be created.
    #[error("cannot create directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The redb backend failed (I/O error, corrupt file, file locked by another process, ...).
    #[error("database error: {0}")]
    Database(#[source] Box<redb::Error>),
    /// The database or one of its segment files is damaged: the redb backend panicked
    /// (which it does on some kinds of damaged files, a truncated file for one; the
    /// message is redb's), or a value stored in a segment file is missing, cut short or
    /// fails its checksum. The store should be treated as unusable and reopened, or
    /// restored from elsewhere.
    #[error("database is damaged: {0}")]
    Corrupt(String),
    /// Creating the database file failed.
    #[error("cannot create {path}: {source}")]
    Io {
        /// The database file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Reading or writing a segment file (or its directory) failed.
    #[error("segment file {path}: {source}")]
    Segment {
        /// The file or directory.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An earlier commit failed in a way that leaves unknown what reached the disk;
    /// writes are refused until the store is reopened (which recovers the committed
    /// state).
    #[error("an earlier commit failed; reopen the store to recover")]
    NeedsReopen,
    /// The database file was written in another format (an older or newer version of
    /// this crate); it is refused rather than misread.
    #[error("database {path} has an incompatible format: {found}")]
    IncompatibleFormat {
        /// The database file.
        path: PathBuf,
        /// What was found instead of this version's format marker.
        found: String,
    },
}

/// Result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl From<redb::Error> for Error {
    fn from(e: redb::Error) -> Self {
        Error::Database(Box::new(e))
    }
}

macro_rules! from_redb {
    ($($ty:ident),* $(,)?) => {
        $(
            impl From<redb::$ty> for Error {
                fn from(e: redb::$ty) -> Self {
                    Error::Database(Box::new(e.into()))
                }
            }
        )*
    };
}

from_redb!(
    DatabaseError,
    TransactionError,
    TableError,
    StorageError,
    CommitError
);

/// Runs a backend call, turning a panic inside it into [`Error::Corrupt`].
///
/// Only library code runs inside: callers keep user callbacks (visitors) outside, so a
/// panic of the caller's own code is never swallowed. Needs `panic = "unwind"` (the
/// default); the panic hook still prints the message.
pub(crate) fn guard<T>(call: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".to_owned());
            Err(Error::Corrupt(format!("backend panicked: {message}")))
        }
    }
}

/// Fails with [`Error::KeyTooLarge`] when `key` is longer than [`MAX_KEY_LEN`].
pub(crate) fn check_key(key: &[u8]) -> Result<()> {
    if key.len() > MAX_KEY_LEN {
        return Err(Error::KeyTooLarge {
            len: key.len(),
            max: MAX_KEY_LEN,
        });
    }
    Ok(())
}

/// Fails with [`Error::ValueTooLarge`] when `value` is longer than [`MAX_VALUE_LEN`].
pub(crate) fn check_value(value: &[u8]) -> Result<()> {
    if value.len() > MAX_VALUE_LEN {
        return Err(Error::ValueTooLarge {
            len: value.len(),
            max: MAX_VALUE_LEN,
        });
    }
    Ok(())
}
