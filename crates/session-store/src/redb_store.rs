//! The on-disk [`Store`]: an index in one redb file and, beside it, append-only segment
//! files for the values written with [`WriteBatch::put_external`]. The protocol that
//! keeps the two consistent is described in the crate docs.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeSet;
use std::fmt;
use std::fs::File;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Mutex, RwLock, RwLockReadGuard};
use redb::{Database, ReadOnlyTable, TableError};

use crate::error::{Error, Result, check_key, guard};
use crate::layout::{self, Extent, Pointer, Stored, Tail};
use crate::redb_txn::{Before, Recovered, TABLE, apply, create_atomically, init};
use crate::segments::Segments;
use crate::store::{BatchOp, ScanRange, Store, WriteBatch, scan_capacity};

/// Default size past which a new segment file is started: 256 MiB.
pub const DEFAULT_SEGMENT_SIZE: u64 = 256 << 20;

/// How long a write waits for readers to finish before it leaves its wipes to a later
/// write (see [`RedbStore::finish`]).
const WIPE_WAIT: Duration = Duration::from_millis(5);

/// An append buffer larger than this is freed after use rather than kept.
const KEEP_APPEND_BUFFER: usize = 16 << 20;

thread_local! {
    /// How many segment read pins this thread holds (on any store): a write made from
    /// inside a `for_each` visitor must not wait for its own thread's pin.
    static PINS_HELD: Cell<usize> = const { Cell::new(0) };
}

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
    /// The file also grows, since pages are freed only by durable commits. Segment files
    /// are not fsync'd either, and a value deleted or replaced before a crash may be
    /// wiped although the crash brings its key back (reading it then fails with
    /// [`Error::Corrupt`]). For benchmarks and throwaway stores only.
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
#[derive(Clone, Debug)]
pub struct RedbOptions {
    durability: Durability,
    cache_size: Option<usize>,
    segment_size: u64,
}

impl Default for RedbOptions {
    fn default() -> Self {
        Self {
            durability: Durability::default(),
            cache_size: None,
            segment_size: DEFAULT_SEGMENT_SIZE,
        }
    }
}

impl RedbOptions {
    /// The defaults: [`Durability::Immediate`], redb's default page cache, segment files
    /// of [`DEFAULT_SEGMENT_SIZE`].
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

    /// Sets the size past which external values go to a new segment file. A batch whose
    /// external values alone exceed it gets a segment of its own.
    pub fn segment_size(mut self, bytes: u64) -> Self {
        self.segment_size = bytes;
        self
    }
}

/// A [`Store`] in a [redb](https://docs.rs/redb) file, plus append-only segment files
/// in the directory `<path>.segments/` for values written with
/// [`WriteBatch::put_external`]: ACID, crash safe, and by default durable when each
/// write returns.
///
/// One process at a time may open a file; a second open fails with
/// [`Error::Database`]. After a crash the next open recovers the last committed state
/// (walking the file to rebuild its allocator, so it takes longer on big files) and
/// brings the segment files back in line with it (see the crate docs).
///
/// A damaged file gives errors, never a panic: redb reports most damage as
/// [`Error::Database`], and the few internal assertions it trips on (a truncated file,
/// for one) are caught and reported as [`Error::Corrupt`], as are missing, cut short or
/// altered segment files. A database written by a version of this crate without segment
/// files is refused with [`Error::IncompatibleFormat`].
pub struct RedbStore {
    db: Database,
    path: PathBuf,
    durability: Durability,
    segment_size: u64,
    segments: Segments,
    /// Serialises writes: segment appends must follow commit order.
    writer: Mutex<Writer>,
    /// Held shared by every read that may follow a pointer into a segment file, from
    /// before its redb snapshot until it is done with the bytes; wipes and segment
    /// deletions take it exclusively, so no reader ever sees wiped or deleted bytes.
    pins: RwLock<()>,
}

/// The writer's state, behind [`RedbStore::writer`].
struct Writer {
    /// The committed end of the segment log.
    tail: Tail,
    /// The handle of `tail.segment`.
    file: Arc<File>,
    /// Reused buffer for one batch's external values.
    append: Vec<u8>,
    /// Reused buffer for a tagged inline value.
    stored: Vec<u8>,
    /// Committed, not yet wiped (left by a write that could not get the pins).
    wipes: Vec<Extent>,
    /// Segments without live values, to delete once `wipes` are done.
    doomed: BTreeSet<u32>,
    /// Whether the meta table holds a pending-wipe list (the next commit rewrites it).
    pending_persisted: bool,
    /// Set when a commit failed in a way that leaves the on-disk state unknown; writes
    /// are refused until the store is reopened.
    failed: bool,
}

/// A shared hold on [`RedbStore::pins`].
struct Pin<'a> {
    _guard: RwLockReadGuard<'a, ()>,
}

impl Drop for Pin<'_> {
    fn drop(&mut self) {
        PINS_HELD.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

/// The first, unpinned look at a key in [`RedbStore::get`].
enum Lookup {
    Missing,
    Inline(Vec<u8>),
    External,
}

impl RedbStore {
    /// Opens the database file at `path`, creating it (and its parent directory) if missing.
    /// Writes are durable on return ([`Durability::Immediate`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, RedbOptions::default())
    }

    /// Opens the database file at `path` with `options`, creating it (and its parent
    /// directory) if missing.
    ///
    /// Also recovers the segment files: drops bytes appended by a batch whose commit
    /// never happened, finishes the wipes and segment deletions of committed batches
    /// that a crash interrupted.
    pub fn open_with(path: impl AsRef<Path>, options: RedbOptions) -> Result<Self> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        if !path.exists() {
            create_atomically(path)?;
        }
        let (db, recovered) = guard(|| {
            let mut builder = Database::builder();
            if let Some(bytes) = options.cache_size {
                builder.set_cache_size(bytes);
            }
            let db = builder.create(path)?;
            let recovered = init(&db, path)?;
            Ok((db, recovered))
        })?;
        let segments = Segments::open(path)?;
        let Recovered {
            tail,
            pending,
            live,
        } = recovered;
        let file = segments.recover(tail, &pending, |s| live.contains(&s))?;
        Ok(Self {
            db,
            path: path.to_path_buf(),
            durability: options.durability,
            segment_size: options.segment_size,
            segments,
            writer: Mutex::new(Writer {
                tail,
                file,
                append: Vec::new(),
                stored: Vec::new(),
                wipes: Vec::new(),
                doomed: BTreeSet::new(),
                pending_persisted: !pending.is_empty(),
                failed: false,
            }),
            pins: RwLock::new(()),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory of the segment files, `<path>.segments`.
    pub fn segment_dir(&self) -> &Path {
        self.segments.dir()
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

    /// Holds off wipes and segment deletions until dropped.
    fn pin(&self) -> Pin<'_> {
        // Fair (a waiting wipe holds off new readers, so a steady stream of reads cannot
        // starve it), except when this thread already holds a pin: a `for_each` visitor
        // reading again must not queue behind a wipe that waits for its own pin.
        let guard = if PINS_HELD.with(Cell::get) > 0 {
            self.pins.read_recursive()
        } else {
            self.pins.read()
        };
        PINS_HELD.with(|n| n.set(n.get() + 1));
        Pin { _guard: guard }
    }

    /// The value behind a stored entry: the inline bytes, or the bytes its pointer
    /// points to (the caller holds a [`Pin`]).
    fn resolve<'a>(&self, stored: &'a [u8]) -> Result<Cow<'a, [u8]>> {
        match Stored::decode(stored)? {
            Stored::Inline(value) => Ok(Cow::Borrowed(value)),
            Stored::External(pointer) => self.segments.read(&pointer).map(Cow::Owned),
        }
    }

    /// Appends the batch's external values to the segment log (one write, one sync) and
    /// returns their pointers and the new tail. Rolls to a new segment when the current
    /// one would grow past the size limit; the new file is returned too.
    fn append(
        &self,
        w: &mut Writer,
        batch: &WriteBatch,
    ) -> Result<(Vec<Pointer>, Tail, Option<Arc<File>>)> {
        let external = |op: &BatchOp| match op {
            BatchOp::PutExternal { value, .. } => Some(value.len() as u64),
            _ => None,
        };
        if !batch.ops().iter().any(|op| external(op).is_some()) {
            return Ok((Vec::new(), w.tail, None));
        }
        let total: u64 = batch.ops().iter().filter_map(external).sum();
        let mut at = w.tail;
        let mut rolled = None;
        if at.len > 0 && at.len.saturating_add(total) > self.segment_size {
            let next = at
                .segment
                .checked_add(1)
                .ok_or_else(|| layout::corrupt("segment numbers exhausted"))?;
            rolled = Some(self.segments.create(next)?);
            at = Tail {
                segment: next,
                len: 0,
            };
        }
        let mut pointers = Vec::new();
        w.append.clear();
        for op in batch.ops() {
            if let BatchOp::PutExternal { value, .. } = op {
                pointers.push(Pointer {
                    extent: Extent {
                        segment: at.segment,
                        offset: at.len + w.append.len() as u64,
                        // `validate` bounded every value by MAX_VALUE_LEN.
                        len: value.len() as u32,
                    },
                    checksum: layout::checksum(value),
                });
                w.append.extend_from_slice(value);
            }
        }
        let file = rolled.as_ref().unwrap_or(&w.file);
        let sync = self.durability != Durability::None;
        let appended = self
            .segments
            .append(at.segment, file, at.len, &w.append, sync);
        if w.append.capacity() > KEEP_APPEND_BUFFER {
            w.append = Vec::new();
        }
        if let Err(e) = appended {
            // Nothing refers to the bytes; drop them (best effort: they are past the
            // committed tail, so the next append or open overwrites or cuts them anyway).
            if rolled.is_some() {
                let _ = self.segments.remove(at.segment);
            } else {
                let _ = self.segments.truncate(at.segment, &w.file, at.len);
            }
            return Err(e);
        }
        Ok((
            pointers,
            Tail {
                segment: at.segment,
                len: at.len + total,
            },
            rolled,
        ))
    }

    /// Performs the wipes and segment deletions of committed batches, if no reader holds
    /// a pin (waiting up to [`WIPE_WAIT`] for them, unless this thread holds one itself).
    /// Whatever cannot be done now stays queued for the next write, for [`Drop`], or,
    /// after a crash, for the next open (the wipes are also in the meta table).
    fn finish(&self, w: &mut Writer) {
        if w.wipes.is_empty() && w.doomed.is_empty() {
            return;
        }
        let exclusive = if PINS_HELD.with(Cell::get) > 0 {
            self.pins.try_write()
        } else {
            self.pins.try_write_for(WIPE_WAIT)
        };
        let Some(_exclusive) = exclusive else {
            return;
        };
        if self.segments.wipe(&w.wipes).is_err() {
            return;
        }
        w.wipes.clear();
        let current = w.tail.segment;
        let mut removed = false;
        w.doomed.retain(|&segment| {
            if segment == current {
                return false;
            }
            let gone = self.segments.remove(segment).is_ok();
            removed |= gone;
            !gone
        });
        if removed {
            let _ = self.segments.sync_dir();
        }
    }
}

impl fmt::Debug for RedbStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedbStore")
            .field("path", &self.path)
            .field("durability", &self.durability)
            .field("segment_size", &self.segment_size)
            .finish_non_exhaustive()
    }
}

impl Drop for RedbStore {
    fn drop(&mut self) {
        let mut w = self.writer.lock();
        self.finish(&mut w);
    }
}

impl Store for RedbStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        check_key(key)?;
        // Inline values need no pin; only a pointer sends us back for a pinned read.
        let first = guard(|| {
            let Some(table) = self.read_table()? else {
                return Ok(Lookup::Missing);
            };
            let Some(stored) = table.get(key)? else {
                return Ok(Lookup::Missing);
            };
            Ok(match Stored::decode(stored.value())? {
                Stored::Inline(value) => Lookup::Inline(value.to_vec()),
                Stored::External(_) => Lookup::External,
            })
        })?;
        match first {
            Lookup::Missing => Ok(None),
            Lookup::Inline(value) => Ok(Some(value)),
            Lookup::External => {
                let _pin = self.pin();
                guard(|| {
                    let Some(table) = self.read_table()? else {
                        return Ok(None);
                    };
                    match table.get(key)? {
                        Some(stored) => Ok(Some(self.resolve(stored.value())?.into_owned())),
                        None => Ok(None),
                    }
                })
            }
        }
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
        let mut batch = WriteBatch::with_capacity(1);
        batch.put(key, value);
        self.write(batch)
    }

    fn delete(&self, key: &[u8]) -> Result<()> {
        let mut batch = WriteBatch::with_capacity(1);
        batch.delete(key);
        self.write(batch)
    }

    fn write(&self, batch: WriteBatch) -> Result<()> {
        batch.validate()?;
        if batch.is_empty() {
            return Ok(());
        }
        let mut guarded = self.writer.lock();
        let w = &mut *guarded;
        if w.failed {
            return Err(Error::NeedsReopen);
        }
        // (a) External values to the segment log, synced, before the commit that refers
        // to them.
        let (pointers, tail, rolled) = self.append(w, &batch)?;
        // (b) One transaction: entries, live counts, tail, pending wipes.
        let mut applied = None;
        let committed = guard(|| {
            let mut txn = self.db.begin_write()?;
            txn.set_durability(self.durability.to_redb());
            let before = Before {
                tail: w.tail,
                undone: &w.wipes,
                pending_persisted: w.pending_persisted,
            };
            match apply(&txn, &batch, &pointers, &mut w.stored, before, tail) {
                Ok(a) => {
                    applied = Some(a);
                    Ok(txn.commit()?)
                }
                Err(e) => {
                    // Nothing was committed; a failing abort adds nothing useful to `e`.
                    let _ = txn.abort();
                    Err(e)
                }
            }
        });
        if let Err(e) = committed {
            if applied.is_some() {
                // The commit itself failed: whether it reached the disk is unknown, so
                // the appended bytes may be referenced. Only a reopen can tell.
                w.failed = true;
            } else if let Some(file) = rolled {
                drop(file);
                let _ = self.segments.remove(tail.segment);
            } else if tail != w.tail {
                let _ = self.segments.truncate(w.tail.segment, &w.file, w.tail.len);
            }
            return Err(e);
        }
        let Some(applied) = applied else {
            return Err(layout::corrupt("commit without a transaction"));
        };
        if let Some(file) = rolled {
            w.file = file;
        }
        w.tail = tail;
        w.pending_persisted = applied.pending_persisted;
        w.wipes.extend(applied.wipes);
        w.doomed.extend(applied.doomed);
        // (c) Wipe replaced and deleted external values, delete empty segments.
        self.finish(w);
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
        let _pin = self.pin();
        guard(|| {
            let Some(table) = self.read_table()? else {
                return Ok(Vec::new());
            };
            let mut out = Vec::with_capacity(scan_capacity(limit));
            for entry in table.range::<&[u8]>(range.bounds())?.take(limit) {
                let (k, v) = entry?;
                out.push((k.value().to_vec(), self.resolve(v.value())?.into_owned()));
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
        // Held across the visitor: a write it makes defers its wipes (see `finish`).
        let _pin = self.pin();
        let Some(table) = guard(|| self.read_table())? else {
            return Ok(());
        };
        let mut entries = guard(|| Ok(table.range::<&[u8]>(range.bounds())?))?;
        // Only our own calls run under `guard`; a panicking visitor is not ours to catch.
        while let Some((k, v)) = guard(|| Ok(entries.next().transpose()?))? {
            let value = guard(|| self.resolve(v.value()))?;
            if visit(k.value(), &value).is_break() {
                break;
            }
        }
        Ok(())
    }
}
