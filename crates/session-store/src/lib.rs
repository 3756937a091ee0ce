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

mod error;
mod memory;
pub mod ns;
mod redb_store;
mod store;

pub use error::{Error, MAX_KEY_LEN, MAX_VALUE_LEN, Result};
pub use memory::MemoryStore;
pub use redb_store::{Durability, RedbOptions, RedbStore};
pub use store::{BatchOp, Store, WriteBatch};
