//! The [`Store`] trait, write batches and the key-range logic both backends share.

use std::ops::{Bound, ControlFlow};
use std::sync::Arc;

use crate::error::{Result, check_key, check_value};

/// An ordered key-value store.
///
/// Keys and values are byte strings; keys sort bytewise (lexicographically, shorter
/// before longer on a common prefix). Keys are at most [`MAX_KEY_LEN`](crate::MAX_KEY_LEN)
/// bytes and values at most [`MAX_VALUE_LEN`](crate::MAX_VALUE_LEN); larger ones are
/// rejected with an error, never truncated. The empty key and empty values are allowed.
///
/// Every method is safe to call from several threads at once. Writes ([`put`](Store::put),
/// [`delete`](Store::delete), [`write`](Store::write)) are atomic and, for persistent
/// backends, durable when they return. Reads ([`scan`](Store::scan),
/// [`for_each`](Store::for_each)) see one consistent snapshot taken when they start, so a
/// visitor may write to the same store without deadlocking and without seeing its own
/// writes.
///
/// The trait is object safe: use it as `Arc<dyn Store>`.
pub trait Store: Send + Sync + 'static {
    /// The value stored under `key`, if any.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;

    /// Whether a value is stored under `key`.
    fn has(&self, key: &[u8]) -> Result<bool>;

    /// Stores `value` under `key`, replacing any previous value. Durable on return.
    fn put(&self, key: &[u8], value: &[u8]) -> Result<()>;

    /// Removes `key`; removing a missing key is not an error. Durable on return.
    fn delete(&self, key: &[u8]) -> Result<()>;

    /// Applies every operation of `batch`, in order, atomically: after a crash either
    /// all of them or none are visible. If any key or value is over the size limits,
    /// nothing is written and the error is returned. Durable on return.
    fn write(&self, batch: WriteBatch) -> Result<()>;

    /// Entries whose key starts with `prefix`, in key order, starting strictly after
    /// `after` (if given, a full key), at most `limit`.
    ///
    /// To page through a namespace, pass the last key of the previous page as `after`.
    fn scan(
        &self,
        prefix: &[u8],
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>>;

    /// Visits entries whose key starts with `prefix`, in key order, until the visitor
    /// returns [`ControlFlow::Break`].
    #[allow(clippy::type_complexity)] // the visitor type is part of the contract
    fn for_each(
        &self,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> ControlFlow<()>,
    ) -> Result<()>;
}

macro_rules! forward_store {
    ($($wrapper:ident),*) => {
        $(
            impl<S: Store + ?Sized> Store for $wrapper<S> {
                fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
                    (**self).get(key)
                }
                fn has(&self, key: &[u8]) -> Result<bool> {
                    (**self).has(key)
                }
                fn put(&self, key: &[u8], value: &[u8]) -> Result<()> {
                    (**self).put(key, value)
                }
                fn delete(&self, key: &[u8]) -> Result<()> {
                    (**self).delete(key)
                }
                fn write(&self, batch: WriteBatch) -> Result<()> {
                    (**self).write(batch)
                }
                fn scan(
                    &self,
                    prefix: &[u8],
                    after: Option<&[u8]>,
                    limit: usize,
                ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
                    (**self).scan(prefix, after, limit)
                }
                #[allow(clippy::type_complexity)]
                fn for_each(
                    &self,
                    prefix: &[u8],
                    visit: &mut dyn FnMut(&[u8], &[u8]) -> ControlFlow<()>,
                ) -> Result<()> {
                    (**self).for_each(prefix, visit)
                }
            }
        )*
    };
}

forward_store!(Arc, Box);

/// One operation of a [`WriteBatch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchOp {
    /// Store `value` under `key`.
    Put {
        /// The key.
        key: Vec<u8>,
        /// The value.
        value: Vec<u8>,
    },
    /// Store `value` under `key`, outside the index if the backend can (see
    /// [`WriteBatch::put_external`]). Reads return it exactly like a [`BatchOp::Put`].
    PutExternal {
        /// The key.
        key: Vec<u8>,
        /// The value.
        value: Vec<u8>,
    },
    /// Remove `key`.
    Delete {
        /// The key.
        key: Vec<u8>,
    },
}

/// Puts and deletes applied together, in order, by [`Store::write`].
///
/// Building a batch never fails; sizes are checked when it is written.
///
/// ```
/// use session_store::{MemoryStore, Store, WriteBatch};
///
/// let store = MemoryStore::new();
/// let mut batch = WriteBatch::new();
/// batch.put(b"a", b"1");
/// batch.put(b"b", b"2");
/// batch.delete(b"a");
/// store.write(batch)?;
/// assert_eq!(store.get(b"a")?, None);
/// assert_eq!(store.get(b"b")?, Some(b"2".to_vec()));
/// # Ok::<(), session_store::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteBatch {
    ops: Vec<BatchOp>,
}

impl WriteBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty batch with room for `n` operations.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            ops: Vec::with_capacity(n),
        }
    }

    /// Adds "store `value` under `key`".
    pub fn put(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> &mut Self {
        self.ops.push(BatchOp::Put {
            key: key.as_ref().to_vec(),
            value: value.as_ref().to_vec(),
        });
        self
    }

    /// Adds "store `value` under `key`, outside the index if the backend can".
    ///
    /// Meant for large values written once and read rarely (message ciphertexts and
    /// signatures). Reads are transparent: [`get`](Store::get), [`has`](Store::has),
    /// [`scan`](Store::scan) and [`for_each`](Store::for_each) return the value exactly
    /// as if [`put`](Self::put) had been used, and the same size limits apply.
    /// [`RedbStore`](crate::RedbStore) appends such values to segment files beside the
    /// database and keeps only a small pointer in its B-tree (see the crate docs);
    /// [`MemoryStore`](crate::MemoryStore) treats it as `put`.
    ///
    /// ```
    /// use session_store::{RedbStore, Store, WriteBatch};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = RedbStore::open(dir.path().join("db.redb"))?;
    /// let mut batch = WriteBatch::new();
    /// batch.put_external(b"msg/1", vec![7u8; 4400]);
    /// batch.put(b"tip", b"1");
    /// store.write(batch)?;
    /// assert_eq!(store.get(b"msg/1")?, Some(vec![7u8; 4400]));
    ///
    /// // Deleting (or replacing) it overwrites the old bytes in the segment file.
    /// store.delete(b"msg/1")?;
    /// assert_eq!(store.get(b"msg/1")?, None);
    /// # Ok::<(), session_store::Error>(())
    /// ```
    pub fn put_external(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> &mut Self {
        self.ops.push(BatchOp::PutExternal {
            key: key.as_ref().to_vec(),
            value: value.as_ref().to_vec(),
        });
        self
    }

    /// Adds "remove `key`".
    pub fn delete(&mut self, key: impl AsRef<[u8]>) -> &mut Self {
        self.ops.push(BatchOp::Delete {
            key: key.as_ref().to_vec(),
        });
        self
    }

    /// Number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch has no operations.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Removes every operation, keeping the allocation.
    pub fn clear(&mut self) {
        self.ops.clear();
    }

    /// The operations, in the order they will be applied.
    pub fn ops(&self) -> &[BatchOp] {
        &self.ops
    }

    /// Takes the operations out of the batch.
    pub fn into_ops(self) -> Vec<BatchOp> {
        self.ops
    }

    /// Checks every key and value against the size limits.
    pub(crate) fn validate(&self) -> Result<()> {
        for op in &self.ops {
            match op {
                BatchOp::Put { key, value } | BatchOp::PutExternal { key, value } => {
                    check_key(key)?;
                    check_value(value)?;
                }
                BatchOp::Delete { key } => check_key(key)?,
            }
        }
        Ok(())
    }
}

impl Extend<BatchOp> for WriteBatch {
    fn extend<I: IntoIterator<Item = BatchOp>>(&mut self, iter: I) {
        self.ops.extend(iter);
    }
}

impl FromIterator<BatchOp> for WriteBatch {
    fn from_iter<I: IntoIterator<Item = BatchOp>>(iter: I) -> Self {
        Self {
            ops: iter.into_iter().collect(),
        }
    }
}

/// The smallest byte string greater than every string starting with `prefix`, or `None`
/// when there is none (`prefix` empty or all `0xFF`).
pub(crate) fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let last = prefix.iter().rposition(|&b| b != 0xFF)?;
    let mut end = prefix[..=last].to_vec();
    end[last] += 1;
    Some(end)
}

/// The key range a scan covers: keys starting with `prefix`, strictly after `after`.
pub(crate) struct ScanRange<'a> {
    /// Lower bound.
    pub(crate) start: Bound<&'a [u8]>,
    /// Upper bound (exclusive), `None` for unbounded.
    pub(crate) end: Option<Vec<u8>>,
}

impl<'a> ScanRange<'a> {
    /// Validates the arguments and builds the range; `Ok(None)` when it is empty.
    pub(crate) fn new(prefix: &'a [u8], after: Option<&'a [u8]>) -> Result<Option<Self>> {
        check_key(prefix)?;
        if let Some(after) = after {
            check_key(after)?;
        }
        let end = prefix_successor(prefix);
        let start = match after {
            Some(after) if after >= prefix => {
                if end.as_deref().is_some_and(|end| after >= end) {
                    return Ok(None);
                }
                Bound::Excluded(after)
            }
            _ => Bound::Included(prefix),
        };
        Ok(Some(Self { start, end }))
    }

    /// The range as a pair of bounds, for `BTreeMap::range` and redb's `Table::range`.
    pub(crate) fn bounds(&self) -> (Bound<&'a [u8]>, Bound<&[u8]>) {
        let end = match &self.end {
            Some(end) => Bound::Excluded(end.as_slice()),
            None => Bound::Unbounded,
        };
        (self.start, end)
    }
}

/// A first allocation for a scan result: `limit`, but never huge.
pub(crate) fn scan_capacity(limit: usize) -> usize {
    limit.min(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successor() {
        assert_eq!(prefix_successor(b""), None);
        assert_eq!(prefix_successor(&[0xFF, 0xFF]), None);
        assert_eq!(prefix_successor(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_successor(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(prefix_successor(&[0xFE, 0xFF, 0xFF]), Some(vec![0xFF]));
        assert_eq!(prefix_successor(&[0]), Some(vec![1]));
    }

    #[test]
    fn range_empty_cases() {
        // `after` past the prefix's keys: empty.
        assert!(ScanRange::new(b"a", Some(b"b")).unwrap().is_none());
        // `after` before the prefix: starts at the prefix.
        let r = ScanRange::new(b"b", Some(b"a")).unwrap().unwrap();
        assert_eq!(r.start, Bound::Included(&b"b"[..]));
        // `after` inside the prefix: exclusive.
        let r = ScanRange::new(b"b", Some(b"bz")).unwrap().unwrap();
        assert_eq!(r.start, Bound::Excluded(&b"bz"[..]));
        // all-0xFF prefix: unbounded end, never empty.
        let r = ScanRange::new(&[0xFF], Some(&[0xFF, 0xFF, 0xFF]))
            .unwrap()
            .unwrap();
        assert!(r.end.is_none());
    }

    #[test]
    fn range_rejects_long_keys() {
        let long = vec![0u8; crate::MAX_KEY_LEN + 1];
        assert!(ScanRange::new(&long, None).is_err());
        assert!(ScanRange::new(b"", Some(&long)).is_err());
    }

    #[test]
    fn batch_builds_in_order() {
        let mut b = WriteBatch::new();
        assert!(b.is_empty());
        b.put(b"k", b"v").delete(b"k");
        assert_eq!(b.len(), 2);
        assert_eq!(
            b.ops(),
            &[
                BatchOp::Put {
                    key: b"k".to_vec(),
                    value: b"v".to_vec()
                },
                BatchOp::Delete { key: b"k".to_vec() }
            ]
        );
        b.clear();
        assert!(b.is_empty());
    }
}
