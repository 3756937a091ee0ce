//! Key-value storage for Lux Session: a store trait with memory and redb backends.
//!
//! [`Store`] is an ordered byte-string map with atomic, durable write batches and prefix
//! iteration. Records of each kind live under a namespace prefix from [`ns`].
//! [`MemoryStore`] keeps everything in memory (tests); [`RedbStore`] keeps it in one
//! crash-safe [redb](https://docs.rs/redb) file (the default on disk). Both behave
//! identically, and both are used as `Arc<dyn Store>`.
//!
//! ```
//! use std::sync::Arc;
//! use session_store::{MemoryStore, Store, WriteBatch, ns};
//!
//! let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
//! let mut batch = WriteBatch::new();
//! for step in 0u32..3 {
//!     batch.put(ns::key(ns::STEP, &[b"s1", &step.to_be_bytes()]), b"done");
//! }
//! store.write(batch)?;
//!
//! let steps = store.scan(&ns::key(ns::STEP, &[b"s1"]), None, 100)?;
//! assert_eq!(steps.len(), 3);
//! # Ok::<(), session_store::Error>(())
//! ```
//!
//! # Large values: segment files
//!
//! Values added with [`WriteBatch::put_external`] (message ciphertexts and signatures,
//! a few KiB each) stay out of redb's B-tree: [`RedbStore`] appends them to segment
//! files in `<db path>.segments/` (`00000001.seg`, `00000002.seg`, ..., a new one past
//! [`RedbOptions::segment_size`], 256 MiB by default) and stores a 25-byte pointer
//! (segment, offset, length, xxh3 checksum) under the key. Every value in redb starts
//! with a tag byte telling the two apart, and a format marker in a meta table makes
//! older databases fail to open with [`Error::IncompatibleFormat`] instead of being
//! misread. Reads are transparent; a pointer to a missing, short or altered segment
//! file reads as [`Error::Corrupt`].
//!
//! A write with external values (1) appends all of them to the current segment with
//! one write and fsyncs it, (2) commits one redb transaction holding the pointers, the
//! per-segment counts of live values, the committed end of the log and the list of
//! old external values the batch deleted or replaced, then (3) overwrites those old
//! values with zeros, fsyncs, and deletes segment files left without live values. On
//! open, the current segment is cut back to the committed end (dropping bytes of a batch
//! whose commit never happened), files past it are removed, and wipes and deletions
//! that a crash interrupted are finished, so a deleted ciphertext leaves no copy in the
//! segment files. Wipes and deletions wait (up to 5 ms) until no reader is inside a
//! segment read, so a reader never sees zeros or a vanished file; a write that cannot
//! get in (a `for_each` visitor writing, for one) leaves its wipes to the next write, to
//! closing the store or, after a crash, to the next open.

mod error;
#[doc(hidden)]
pub mod fuzz;
mod layout;
mod memory;
pub mod ns;
mod redb_store;
mod redb_txn;
mod segments;
mod store;

pub use error::{Error, MAX_KEY_LEN, MAX_VALUE_LEN, Result};
pub use memory::MemoryStore;
pub use redb_store::{DEFAULT_SEGMENT_SIZE, Durability, RedbOptions, RedbStore};
pub use store::{BatchOp, Store, WriteBatch};
