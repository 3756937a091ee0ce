//! Fixtures shared by the integration tests: one store of each backend, reopenable.

#![allow(dead_code)] // each test binary uses a different subset

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use session_store::{BatchOp, Durability, MemoryStore, RedbOptions, RedbStore, Store, WriteBatch};
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
        Self::with_options(RedbOptions::new().durability(durability))
    }

    /// With `options`.
    pub(crate) fn with_options(options: RedbOptions) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("nested").join("store.redb");
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

/// Which values a [`RedbExternal`] store writes with [`WriteBatch::put_external`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum External {
    /// Every put.
    All,
    /// Every other put, so inline and external values mix under one prefix and
    /// overwrites go both ways.
    Alternate,
}

/// A [`RedbStore`] whose puts go through [`WriteBatch::put_external`] (all or every
/// other one): the trait's other methods are the store's own.
pub(crate) struct ExternalStore {
    inner: RedbStore,
    mode: External,
    toggle: AtomicBool,
}

impl ExternalStore {
    /// The wrapped store.
    pub(crate) fn inner(&self) -> &RedbStore {
        &self.inner
    }

    fn external(&self) -> bool {
        match self.mode {
            External::All => true,
            External::Alternate => !self.toggle.fetch_xor(true, Ordering::Relaxed),
        }
    }
}

impl Store for ExternalStore {
    fn get(&self, key: &[u8]) -> session_store::Result<Option<Vec<u8>>> {
        self.inner.get(key)
    }
    fn has(&self, key: &[u8]) -> session_store::Result<bool> {
        self.inner.has(key)
    }
    fn put(&self, key: &[u8], value: &[u8]) -> session_store::Result<()> {
        let mut batch = WriteBatch::new();
        if self.external() {
            batch.put_external(key, value);
        } else {
            batch.put(key, value);
        }
        self.inner.write(batch)
    }
    fn delete(&self, key: &[u8]) -> session_store::Result<()> {
        self.inner.delete(key)
    }
    fn write(&self, batch: WriteBatch) -> session_store::Result<()> {
        let batch = batch
            .into_ops()
            .into_iter()
            .map(|op| match op {
                BatchOp::Put { key, value } if self.external() => {
                    BatchOp::PutExternal { key, value }
                }
                op => op,
            })
            .collect();
        self.inner.write(batch)
    }
    fn scan(
        &self,
        prefix: &[u8],
        after: Option<&[u8]>,
        limit: usize,
    ) -> session_store::Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.inner.scan(prefix, after, limit)
    }
    fn for_each(
        &self,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> ControlFlow<()>,
    ) -> session_store::Result<()> {
        self.inner.for_each(prefix, visit)
    }
}

/// A [`RedbStore`] in a temporary directory whose puts store values externally, with
/// small segment files so that batches roll over and empty segments get deleted.
pub(crate) struct RedbExternal {
    store: Option<ExternalStore>,
    path: PathBuf,
    options: RedbOptions,
    mode: External,
    _dir: TempDir,
}

impl RedbExternal {
    /// `mode` of the puts go to segment files of at most `segment_size` bytes.
    pub(crate) fn new(mode: External, segment_size: u64) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("nested").join("store.redb");
        let options = RedbOptions::new().segment_size(segment_size);
        let mut fixture = Self {
            store: None,
            path,
            options,
            mode,
            _dir: dir,
        };
        fixture.reopen();
        fixture
    }
}

impl Fixture for RedbExternal {
    type S = ExternalStore;
    fn store(&self) -> &ExternalStore {
        self.store.as_ref().expect("store is open")
    }
    fn reopen(&mut self) {
        drop(self.store.take());
        let inner = RedbStore::open_with(&self.path, self.options.clone()).expect("open redb");
        self.store = Some(ExternalStore {
            inner,
            mode: self.mode,
            toggle: AtomicBool::new(false),
        });
    }
}
