//! Fixtures shared by the integration tests: one store of each backend, reopenable.

#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

use session_store::{Durability, MemoryStore, RedbOptions, RedbStore, Store};
use tempfile::TempDir;

/// A store under test that can be closed and opened again.
pub(crate) trait Fixture {
    /// The backend.
    type S: Store;
    /// The open store.
    fn store(&self) -> &Self::S;
    /// Closes and reopens the store; data must survive (a no-op in memory).
    fn reopen(&mut self);
}

/// A [`MemoryStore`]; reopening keeps the same map.
pub(crate) struct Memory(MemoryStore);

impl Memory {
    pub(crate) fn new() -> Self {
        Self(MemoryStore::new())
    }
}

impl Fixture for Memory {
    type S = MemoryStore;
    fn store(&self) -> &MemoryStore {
        &self.0
    }
    fn reopen(&mut self) {}
}

/// A [`RedbStore`] in a temporary directory.
pub(crate) struct Redb {
    // Declared before `_dir` so the database closes before the directory goes.
    store: Option<RedbStore>,
    path: PathBuf,
    options: RedbOptions,
    _dir: TempDir,
}

impl Redb {
    /// With the default options (every commit fsync'd).
    pub(crate) fn new() -> Self {
        Self::with_durability(Durability::Immediate)
    }

    /// With `durability`: same behaviour in-process, only crash durability differs.
    pub(crate) fn with_durability(durability: Durability) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("nested").join("store.redb");
        let options = RedbOptions::new().durability(durability);
        let store = RedbStore::open_with(&path, options.clone()).expect("open redb");
        Self {
            store: Some(store),
            path,
            options,
            _dir: dir,
        }
    }
}

impl Fixture for Redb {
    type S = RedbStore;
    fn store(&self) -> &RedbStore {
        self.store.as_ref().expect("store is open")
    }
    fn reopen(&mut self) {
        drop(self.store.take());
        let store = RedbStore::open_with(&self.path, self.options.clone()).expect("reopen redb");
        self.store = Some(store);
    }
}

/// Everything in the store, in key order.
pub(crate) fn dump(store: &dyn Store) -> Vec<(Vec<u8>, Vec<u8>)> {
    store.scan(b"", None, usize::MAX).expect("scan everything")
}
