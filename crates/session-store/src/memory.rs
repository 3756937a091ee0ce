//! An in-memory [`Store`], for tests and ephemeral nodes.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::ControlFlow;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::error::{Result, check_key, check_value};
use crate::store::{BatchOp, ScanRange, Store, WriteBatch, scan_capacity};

type Map = BTreeMap<Vec<u8>, Vec<u8>>;

/// A [`Store`] kept in a `BTreeMap` in memory; nothing survives a restart.
///
/// It behaves exactly like [`RedbStore`](crate::RedbStore) (the same conformance tests run
/// against both), including the size limits and snapshot reads: the map sits behind an
/// `Arc`, [`for_each`](Store::for_each) iterates a snapshot of it, and a write made while
/// such a snapshot is alive copies the map once (copy on write).
#[derive(Default)]
pub struct MemoryStore {
    map: RwLock<Arc<Map>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether the store has no entries.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    // A panic while a lock is held cannot leave the map half-updated in a way that matters
    // (each map operation is complete or not started), so a poisoned lock is still usable.
    fn read(&self) -> RwLockReadGuard<'_, Arc<Map>> {
        self.map.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_lock(&self) -> RwLockWriteGuard<'_, Arc<Map>> {
        self.map.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("entries", &self.len())
            .finish()
    }
}

impl Store for MemoryStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        check_key(key)?;
        Ok(self.read().get(key).cloned())
    }

    fn has(&self, key: &[u8]) -> Result<bool> {
        check_key(key)?;
        Ok(self.read().contains_key(key))
    }

    fn put(&self, key: &[u8], value: &[u8]) -> Result<()> {
        check_key(key)?;
        check_value(value)?;
        Arc::make_mut(&mut self.write_lock()).insert(key.to_vec(), value.to_vec());
        Ok(())
    }

    fn delete(&self, key: &[u8]) -> Result<()> {
        check_key(key)?;
        let mut guard = self.write_lock();
        if guard.contains_key(key) {
            Arc::make_mut(&mut guard).remove(key);
        }
        Ok(())
    }

    fn write(&self, batch: WriteBatch) -> Result<()> {
        batch.validate()?;
        if batch.is_empty() {
            return Ok(());
        }
        let mut guard = self.write_lock();
        let map = Arc::make_mut(&mut guard);
        for op in batch.into_ops() {
            match op {
                BatchOp::Put { key, value } | BatchOp::PutExternal { key, value } => {
                    map.insert(key, value);
                }
                BatchOp::Delete { key } => {
                    map.remove(&key);
                }
            }
        }
        Ok(())
    }

    fn scan(
        &self,
        prefix: &[u8],
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let Some(range) = ScanRange::new(prefix, after)? else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let guard = self.read();
        let mut out = Vec::with_capacity(scan_capacity(limit));
        out.extend(
            guard
                .range::<[u8], _>(range.bounds())
                .take(limit)
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        Ok(out)
    }

    #[allow(clippy::type_complexity)] // the visitor type is part of the contract
    fn for_each(
        &self,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> ControlFlow<()>,
    ) -> Result<()> {
        let Some(range) = ScanRange::new(prefix, None)? else {
            return Ok(());
        };
        // Iterate a snapshot without holding the lock, so the visitor may write.
        let snapshot = Arc::clone(&self.read());
        for (k, v) in snapshot.range::<[u8], _>(range.bounds()) {
            if visit(k, v).is_break() {
                break;
            }
        }
        Ok(())
    }
}
