//! The on-disk [`Store`]: one table in one redb file.

use std::fmt;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use redb::{Database, ReadOnlyTable, TableDefinition, TableError};

use crate::error::{Error, Result, check_key, check_value, guard};
use crate::store::{BatchOp, ScanRange, Store, WriteBatch, scan_capacity};

/// The single table every key lives in; namespaces are key prefixes.
const TABLE: TableDefinition<'static, &[u8], &[u8]> = TableDefinition::new("kv");

/// When a commit reaches the disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Durability {
    /// Every write is on disk (fsync'd) when it returns. The default; the only level that
    /// keeps the [`Store`] contract.
    #[default]
    Immediate,
    /// redb's "eventual" level: on macOS a barrier fsync (`F_BARRIERFSYNC`: ordered,
    /// not waited for, so a power loss can lose the latest commits); on Linux and
    /// Windows redb 2.x fsyncs anyway, making it the same as `Immediate`. Batches stay
    /// all-or-nothing either way.
    Eventual,
    /// Writes reach the disk only with a later `Immediate` commit; a crash loses them.
    /// The file also grows, since pages are freed only by durable commits. For benchmarks
    /// and throwaway stores only.
    None,
}

impl Durability {
    fn to_redb(self) -> redb::Durability {
        match self {
            Durability::Immediate => redb::Durability::Immediate,
            Durability::Eventual => redb::Durability::Eventual,
            Durability::None => redb::Durability::None,
        }
    }
}

/// How to open a [`RedbStore`]; `RedbOptions::default()` is what [`RedbStore::open`] uses.
#[derive(Clone, Debug, Default)]
pub struct RedbOptions {
    durability: Durability,
    cache_size: Option<usize>,
}

impl RedbOptions {
    /// The defaults: [`Durability::Immediate`], redb's default page cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets when commits reach the disk.
    pub fn durability(mut self, durability: Durability) -> Self {
        self.durability = durability;
        self
    }

    /// Sets the size of redb's page cache, in bytes.
    pub fn cache_size(mut self, bytes: usize) -> Self {
        self.cache_size = Some(bytes);
        self
    }
}

/// A [`Store`] in a single [redb](https://docs.rs/redb) file: ACID, crash safe, and by
/// default durable when each write returns.
///
/// One process at a time may open a file; a second open fails with
/// [`Error::Database`]. After a crash the next open recovers the last committed state
/// (walking the file to rebuild its allocator, so it takes longer on big files).
///
/// A damaged file gives errors, never a panic: redb reports most damage as
/// [`Error::Database`], and the few internal assertions it trips on (a truncated file,
/// for one) are caught and reported as [`Error::Corrupt`].
pub struct RedbStore {
    db: Database,
    path: PathBuf,
    durability: redb::Durability,
}

impl RedbStore {
    /// Opens the database file at `path`, creating it (and its parent directory) if missing.
    /// Writes are durable on return ([`Durability::Immediate`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, RedbOptions::default())
    }

    /// Opens the database file at `path` with `options`, creating it (and its parent
    /// directory) if missing.
    pub fn open_with(path: impl AsRef<Path>, options: RedbOptions) -> Result<Self> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let db = guard(|| {
            let mut builder = Database::builder();
            if let Some(bytes) = options.cache_size {
                builder.set_cache_size(bytes);
            }
            let db = builder.create(path)?;
            // Create the table up front so readers never meet a missing table.
            let txn = db.begin_write()?;
            txn.open_table(TABLE)?;
            txn.commit()?;
            Ok(db)
        })?;
        Ok(Self {
            db,
            path: path.to_path_buf(),
            durability: options.durability.to_redb(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The table in a fresh read transaction, `None` if it does not exist (a file made by
    /// someone else: read as empty).
    fn read_table(&self) -> Result<Option<ReadOnlyTable<&'static [u8], &'static [u8]>>> {
        let txn = self.db.begin_read()?;
        match txn.open_table(TABLE) {
            Ok(table) => Ok(Some(table)),
            Err(TableError::TableDoesNotExist(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Runs `apply` on the table in one write transaction and commits it.
    fn update(
        &self,
        apply: impl FnOnce(&mut redb::Table<'_, &'static [u8], &'static [u8]>) -> Result<()>,
    ) -> Result<()> {
        guard(|| {
            let mut txn = self.db.begin_write()?;
            txn.set_durability(self.durability);
            let applied = match txn.open_table(TABLE) {
                Ok(mut table) => apply(&mut table),
                Err(e) => Err(e.into()),
            };
            match applied {
                Ok(()) => Ok(txn.commit()?),
                Err(e) => {
                    // Nothing was committed; a failing abort adds nothing useful to `e`.
                    let _ = txn.abort();
                    Err(e)
                }
            }
        })
    }
}

impl fmt::Debug for RedbStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedbStore")
            .field("path", &self.path)
            .field("durability", &self.durability)
            .finish_non_exhaustive()
    }
}

impl Store for RedbStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        check_key(key)?;
        guard(|| {
            let Some(table) = self.read_table()? else {
                return Ok(None);
            };
            Ok(table.get(key)?.map(|v| v.value().to_vec()))
        })
    }

    fn has(&self, key: &[u8]) -> Result<bool> {
        check_key(key)?;
        guard(|| {
            let Some(table) = self.read_table()? else {
                return Ok(false);
            };
            Ok(table.get(key)?.is_some())
        })
    }

    fn put(&self, key: &[u8], value: &[u8]) -> Result<()> {
        check_key(key)?;
        check_value(value)?;
        self.update(|table| {
            table.insert(key, value)?;
            Ok(())
        })
    }

    fn delete(&self, key: &[u8]) -> Result<()> {
        check_key(key)?;
        self.update(|table| {
            table.remove(key)?;
            Ok(())
        })
    }

    fn write(&self, batch: WriteBatch) -> Result<()> {
        batch.validate()?;
        if batch.is_empty() {
            return Ok(());
        }
        self.update(|table| {
            for op in batch.ops() {
                match op {
                    BatchOp::Put { key, value } => {
                        table.insert(key.as_slice(), value.as_slice())?;
                    }
                    BatchOp::Delete { key } => {
                        table.remove(key.as_slice())?;
                    }
                }
            }
            Ok(())
        })
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
        guard(|| {
            let Some(table) = self.read_table()? else {
                return Ok(Vec::new());
            };
            let mut out = Vec::with_capacity(scan_capacity(limit));
            for entry in table.range::<&[u8]>(range.bounds())?.take(limit) {
                let (k, v) = entry?;
                out.push((k.value().to_vec(), v.value().to_vec()));
            }
            Ok(out)
        })
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
        let Some(table) = guard(|| self.read_table())? else {
            return Ok(());
        };
        let mut entries = guard(|| Ok(table.range::<&[u8]>(range.bounds())?))?;
        // Only redb's own calls run under `guard`; a panicking visitor is not ours to catch.
        while let Some((k, v)) = guard(|| Ok(entries.next().transpose()?))? {
            if visit(k.value(), v.value()).is_break() {
                break;
            }
        }
        Ok(())
    }
}
