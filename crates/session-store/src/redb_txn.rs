//! The tables of [`RedbStore`](crate::RedbStore) and the transactions on them: creating
//! and checking a database, and applying one batch (entries, live counts per segment,
//! the log's tail, pending wipes).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use redb::{Database, ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction};

use crate::error::{Error, Result, guard};
use crate::layout::{
    self, Extent, FORMAT, FORMAT_KEY, PENDING_KEY, Pointer, Stored, TAG_INLINE, TAIL_KEY, Tail,
};
use crate::store::{BatchOp, WriteBatch};

/// The table every key lives in; namespaces are key prefixes. Each value starts with a
/// tag byte: inline value or pointer into a segment file (see `layout.rs`).
pub(crate) const TABLE: TableDefinition<'static, &[u8], &[u8]> = TableDefinition::new("kv");
/// Format marker, committed segment tail, pending wipes.
pub(crate) const META: TableDefinition<'static, &str, &[u8]> = TableDefinition::new("meta");
/// Number of live values in each segment; segments without an entry have none.
pub(crate) const LIVE: TableDefinition<'static, u32, u64> = TableDefinition::new("segment-live");

/// What [`init`] reads from the meta tables.
pub(crate) struct Recovered {
    /// The committed end of the segment log.
    pub(crate) tail: Tail,
    /// Wipes committed but maybe not done.
    pub(crate) pending: Vec<Extent>,
    /// Segments holding live values.
    pub(crate) live: BTreeSet<u32>,
}

/// Creates a database at `path` so that a crash leaves either no file or a complete,
/// initialised one: redb alone, killed while creating a file, can leave one without its
/// header, which then never opens. The file is built under a temporary name and linked
/// into place; if another process got there first, its file is kept.
pub(crate) fn create_atomically(path: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".creating");
    let tmp = PathBuf::from(tmp);
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
        _ => {}
    }
    guard(|| {
        let db = Database::create(&tmp)?;
        init(&db, path)?;
        Ok(())
    })?;
    let linked = match std::fs::hard_link(&tmp, path) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(io(e)),
        _ => Ok(()),
    };
    let _ = std::fs::remove_file(&tmp);
    linked?;
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
    }
    Ok(())
}

/// Checks (or, on a new file, writes) the format marker and reads the segment state.
pub(crate) fn init(db: &Database, path: &Path) -> Result<Recovered> {
    let txn = db.begin_write()?;
    let read = (|| {
        let kv = txn.open_table(TABLE)?;
        let mut meta = txn.open_table(META)?;
        let live = txn.open_table(LIVE)?;
        let marker = meta.get(FORMAT_KEY)?.map(|v| v.value().to_vec());
        match marker {
            Some(marker) if marker == FORMAT => {}
            Some(marker) => {
                return Err(Error::IncompatibleFormat {
                    path: path.to_path_buf(),
                    found: String::from_utf8_lossy(&marker).into_owned(),
                });
            }
            None if !kv.is_empty()? => {
                return Err(Error::IncompatibleFormat {
                    path: path.to_path_buf(),
                    found: "no format marker (written by a version without segment files)"
                        .to_owned(),
                });
            }
            None => {
                meta.insert(FORMAT_KEY, FORMAT)?;
            }
        }
        let tail = match meta.get(TAIL_KEY)? {
            Some(v) => Tail::decode(v.value())?,
            None => Tail::START,
        };
        let pending = match meta.get(PENDING_KEY)? {
            Some(v) => Extent::decode_list(v.value())?,
            None => Vec::new(),
        };
        let mut live_set = BTreeSet::new();
        for entry in live.iter()? {
            let (segment, count) = entry?;
            if count.value() > 0 {
                live_set.insert(segment.value());
            }
        }
        Ok(Recovered {
            tail,
            pending,
            live: live_set,
        })
    })();
    match read {
        Ok(recovered) => {
            txn.commit()?;
            Ok(recovered)
        }
        Err(e) => {
            let _ = txn.abort();
            Err(e)
        }
    }
}

/// What one batch's transaction found and decided, for after the commit.
#[derive(Default)]
pub(crate) struct Applied {
    /// Old external values the batch deleted or replaced.
    pub(crate) wipes: Vec<Extent>,
    /// Segments left without live values (never the current one).
    pub(crate) doomed: BTreeSet<u32>,
    /// Whether the meta table now holds a pending-wipe list.
    pub(crate) pending_persisted: bool,
}

/// The writer's state before a batch, as [`apply`] needs it.
pub(crate) struct Before<'a> {
    /// The committed end of the segment log.
    pub(crate) tail: Tail,
    /// Committed wipes not yet done.
    pub(crate) undone: &'a [Extent],
    /// Whether the meta table holds a pending-wipe list.
    pub(crate) pending_persisted: bool,
}

/// Applies `batch` in `txn`: the entries, the live counts, the tail and the pending
/// wipes. `pointers` are the batch's external values in order, `tail` the log's end
/// after them, `stored` a scratch buffer.
pub(crate) fn apply(
    txn: &WriteTransaction,
    batch: &WriteBatch,
    pointers: &[Pointer],
    stored: &mut Vec<u8>,
    before: Before<'_>,
    tail: Tail,
) -> Result<Applied> {
    let mut out = Applied::default();
    let mut delta: BTreeMap<u32, i128> = BTreeMap::new();
    {
        let mut kv = txn.open_table(TABLE)?;
        let mut pointers = pointers.iter();
        for op in batch.ops() {
            let old = match op {
                BatchOp::Put { key, value } => {
                    stored.clear();
                    stored.push(TAG_INLINE);
                    stored.extend_from_slice(value);
                    kv.insert(key.as_slice(), stored.as_slice())?
                }
                BatchOp::PutExternal { key, .. } => {
                    let pointer = pointers
                        .next()
                        .ok_or_else(|| layout::corrupt("batch changed while written"))?;
                    *delta.entry(pointer.extent.segment).or_default() += 1;
                    kv.insert(key.as_slice(), pointer.encode().as_slice())?
                }
                BatchOp::Delete { key } => kv.remove(key.as_slice())?,
            };
            // An undecodable old value is overwritten all the same: nothing to wipe.
            if let Some(Ok(Stored::External(old))) = old.as_ref().map(|v| Stored::decode(v.value()))
            {
                out.wipes.push(old.extent);
                *delta.entry(old.extent.segment).or_default() -= 1;
            }
        }
    }
    let mut live = txn.open_table(LIVE)?;
    for (segment, change) in delta {
        if change == 0 {
            continue;
        }
        let count = live.get(segment)?.map_or(0, |v| v.value());
        let count = i128::from(count) + change;
        if count > 0 {
            live.insert(segment, u64::try_from(count).unwrap_or(u64::MAX))?;
        } else {
            live.remove(segment)?;
            out.doomed.insert(segment);
        }
    }
    if tail.segment != before.tail.segment && live.get(before.tail.segment)?.is_none() {
        // Rolled away from a segment that holds nothing live.
        out.doomed.insert(before.tail.segment);
    }
    out.doomed.remove(&tail.segment);
    let mut meta = txn.open_table(META)?;
    if tail != before.tail {
        meta.insert(TAIL_KEY, tail.encode().as_slice())?;
    }
    if before.undone.is_empty() && out.wipes.is_empty() {
        if before.pending_persisted {
            meta.remove(PENDING_KEY)?;
        }
    } else {
        let all: Vec<Extent> = before.undone.iter().chain(&out.wipes).copied().collect();
        meta.insert(PENDING_KEY, Extent::encode_list(&all).as_slice())?;
        out.pending_persisted = true;
    }
    Ok(out)
}
