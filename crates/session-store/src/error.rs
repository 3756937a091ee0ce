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
