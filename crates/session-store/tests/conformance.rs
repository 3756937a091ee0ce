//! One conformance suite, run against every backend: each case below is a generic
//! function over [`Fixture`], instantiated per backend by `backend_suite!`.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use std::ops::ControlFlow;
use std::sync::Arc;

use common::{Fixture, dump};
use session_store::{Error, MAX_KEY_LEN, MAX_VALUE_LEN, Store, WriteBatch, ns};

type Entries = Vec<(Vec<u8>, Vec<u8>)>;

fn entries(pairs: &[(&[u8], &[u8])]) -> Entries {
    pairs
        .iter()
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect()
}

fn keys(list: &Entries) -> Vec<Vec<u8>> {
    list.iter().map(|(k, _)| k.clone()).collect()
}

/// Collects what `for_each` visits, stopping after `stop_after` entries if given.
fn visit_all(store: &dyn Store, prefix: &[u8], stop_after: Option<usize>) -> Entries {
    let mut seen = Vec::new();
    store
        .for_each(prefix, &mut |k, v| {
            seen.push((k.to_vec(), v.to_vec()));
            match stop_after {
                Some(n) if seen.len() >= n => ControlFlow::Break(()),
                _ => ControlFlow::Continue(()),
            }
        })
        .unwrap();
    seen
}

fn put_get_delete<F: Fixture>(f: &mut F) {
    let s = f.store();
    assert_eq!(s.get(b"k").unwrap(), None);
    assert!(!s.has(b"k").unwrap());
    s.put(b"k", b"v1").unwrap();
    assert_eq!(s.get(b"k").unwrap(), Some(b"v1".to_vec()));
    assert!(s.has(b"k").unwrap());
    // Overwrite, with a longer then a shorter value.
    s.put(b"k", b"value two").unwrap();
    assert_eq!(s.get(b"k").unwrap(), Some(b"value two".to_vec()));
    s.put(b"k", b"3").unwrap();
    assert_eq!(s.get(b"k").unwrap(), Some(b"3".to_vec()));
    // Neighbours are distinct keys.
    assert_eq!(s.get(b"k\0").unwrap(), None);
    assert_eq!(s.get(b"").unwrap(), None);
    s.delete(b"k").unwrap();
    assert_eq!(s.get(b"k").unwrap(), None);
    assert!(!s.has(b"k").unwrap());
    // Deleting a missing key is fine.
    s.delete(b"k").unwrap();
    s.delete(b"never").unwrap();
    assert!(dump(s).is_empty());
}

fn empty_key_and_values<F: Fixture>(f: &mut F) {
    let s = f.store();
    s.put(b"", b"root").unwrap();
    s.put(b"e", b"").unwrap();
    assert_eq!(s.get(b"").unwrap(), Some(b"root".to_vec()));
    // An empty value is present, not missing.
    assert_eq!(s.get(b"e").unwrap(), Some(Vec::new()));
    assert!(s.has(b"e").unwrap());
    assert_eq!(dump(s), entries(&[(b"", b"root"), (b"e", b"")]));
    f.reopen();
    let s = f.store();
    assert_eq!(s.get(b"e").unwrap(), Some(Vec::new()));
    s.delete(b"").unwrap();
    assert_eq!(dump(s), entries(&[(b"e", b"")]));
}

fn binary_keys_and_values<F: Fixture>(f: &mut F) {
    let s = f.store();
    let all: Vec<u8> = (0..=255).collect();
    s.put(&all, &all).unwrap();
    s.put(&[0, 0, 0], &[0xFF; 300]).unwrap();
    assert_eq!(s.get(&all).unwrap(), Some(all.clone()));
    assert_eq!(s.get(&[0, 0, 0]).unwrap(), Some(vec![0xFF; 300]));
    assert_eq!(s.get(&[0, 0]).unwrap(), None);
}

fn batch_mixed_ops_in_order<F: Fixture>(f: &mut F) {
    let s = f.store();
    s.put(b"old", b"x").unwrap();
    s.put(b"keep", b"k").unwrap();
    let mut b = WriteBatch::new();
    b.put(b"a", b"1")
        .put(b"b", b"2")
        .delete(b"a") // later ops win
        .put(b"c", b"3")
        .put(b"c", b"33")
        .delete(b"old")
        .delete(b"missing")
        .delete(b"d")
        .put(b"d", b"4"); // delete then put: present
    assert_eq!(b.len(), 9);
    s.write(b).unwrap();
    assert_eq!(
        dump(s),
        entries(&[(b"b", b"2"), (b"c", b"33"), (b"d", b"4"), (b"keep", b"k")])
    );
    // Empty batch is a no-op.
    s.write(WriteBatch::new()).unwrap();
    assert_eq!(dump(s).len(), 4);
    f.reopen();
    assert_eq!(dump(f.store()).len(), 4);
}

fn batch_large<F: Fixture>(f: &mut F) {
    let s = f.store();
    let mut b = WriteBatch::with_capacity(5000);
    for i in 0u32..5000 {
        b.put(ns::key(ns::RECEIPT, &[&i.to_be_bytes()]), i.to_le_bytes());
    }
    s.write(b).unwrap();
    let all = s.scan(ns::RECEIPT, None, usize::MAX).unwrap();
    assert_eq!(all.len(), 5000);
    for (i, (k, v)) in (0u32..).zip(&all) {
        assert_eq!(ns::strip(ns::RECEIPT, k), Some(&i.to_be_bytes()[..]));
        assert_eq!(v, &i.to_le_bytes());
    }
}

fn size_limits<F: Fixture>(f: &mut F) {
    let s = f.store();
    let max_key = vec![7u8; MAX_KEY_LEN];
    let long_key = vec![7u8; MAX_KEY_LEN + 1];
    let long_value = vec![1u8; MAX_VALUE_LEN + 1];

    s.put(&max_key, b"ok").unwrap();
    assert_eq!(s.get(&max_key).unwrap(), Some(b"ok".to_vec()));
    assert_eq!(s.scan(&max_key, None, 10).unwrap().len(), 1);

    let key_err = |r: Result<(), Error>| {
        assert!(
            matches!(r, Err(Error::KeyTooLarge { len, max }) if len == MAX_KEY_LEN + 1 && max == MAX_KEY_LEN),
            "{r:?}"
        )
    };
    key_err(s.put(&long_key, b"v"));
    key_err(s.get(&long_key).map(drop));
    key_err(s.has(&long_key).map(drop));
    key_err(s.delete(&long_key));
    key_err(s.scan(&long_key, None, 1).map(drop));
    key_err(s.scan(b"", Some(&long_key), 1).map(drop));
    key_err(s.for_each(&long_key, &mut |_, _| ControlFlow::Continue(())));
    let r = s.put(b"k", &long_value);
    assert!(
        matches!(r, Err(Error::ValueTooLarge { len, .. }) if len == MAX_VALUE_LEN + 1),
        "{r:?}"
    );

    // A batch with one bad op writes nothing at all.
    for bad in [
        {
            let mut b = WriteBatch::new();
            b.put(b"x", b"1").put(&long_key, b"2");
            b
        },
        {
            let mut b = WriteBatch::new();
            b.put(b"x", b"1").delete(&long_key);
            b
        },
        {
            let mut b = WriteBatch::new();
            b.delete(&max_key).put(b"x", b"1").put(b"y", &long_value);
            b
        },
    ] {
        assert!(s.write(bad).is_err());
    }
    assert_eq!(s.get(b"x").unwrap(), None);
    assert_eq!(s.get(&max_key).unwrap(), Some(b"ok".to_vec()));
    assert_eq!(dump(s).len(), 1);
}

fn max_value<F: Fixture>(f: &mut F) {
    let s = f.store();
    let big: Vec<u8> = (0..MAX_VALUE_LEN).map(|i| (i % 251) as u8).collect();
    s.put(b"big", &big).unwrap();
    f.reopen();
    assert!(f.store().get(b"big").unwrap() == Some(big));
}

fn seed_scan_data(s: &dyn Store) {
    let mut b = WriteBatch::new();
    for k in [
        &b"a"[..],
        b"ab",
        b"ab\0",
        b"ab\x01",
        b"abc",
        b"abd",
        b"ab\xff",
        b"ab\xff\xff",
        b"ac",
        b"b",
        b"",
        b"\0",
        b"\xfe\xff",
        b"\xff",
        b"\xff\0",
        b"\xff\xff",
        b"\xff\xff\xff",
    ] {
        b.put(k, [k, b"=v"].concat());
    }
    s.write(b).unwrap();
}

fn scan_prefix_order<F: Fixture>(f: &mut F) {
    let s = f.store();
    seed_scan_data(s);
    let got = keys(&s.scan(b"ab", None, 100).unwrap());
    let want: Vec<Vec<u8>> = [
        &b"ab"[..],
        b"ab\0",
        b"ab\x01",
        b"abc",
        b"abd",
        b"ab\xff",
        b"ab\xff\xff",
    ]
    .iter()
    .map(|k| k.to_vec())
    .collect();
    assert_eq!(got, want);
    // Values come with their keys.
    for (k, v) in s.scan(b"ab", None, 100).unwrap() {
        assert_eq!(v, [&k[..], b"=v"].concat());
    }
    // Empty prefix: everything, in byte order.
    let all = keys(&s.scan(b"", None, usize::MAX).unwrap());
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);
    assert_eq!(all.len(), 17);
    assert_eq!(all[0], b"");
    // Prefixes made of 0xFF bytes have no successor: upper bound is open.
    assert_eq!(
        keys(&s.scan(b"\xff", None, 100).unwrap()),
        vec![
            b"\xff".to_vec(),
            b"\xff\0".to_vec(),
            b"\xff\xff".to_vec(),
            b"\xff\xff\xff".to_vec()
        ]
    );
    assert_eq!(
        keys(&s.scan(b"\xff\xff", None, 100).unwrap()),
        vec![b"\xff\xff".to_vec(), b"\xff\xff\xff".to_vec()]
    );
    assert_eq!(
        keys(&s.scan(b"ab\xff", None, 100).unwrap()),
        vec![b"ab\xff".to_vec(), b"ab\xff\xff".to_vec()]
    );
    assert_eq!(
        keys(&s.scan(b"\xfe", None, 100).unwrap()),
        vec![b"\xfe\xff".to_vec()]
    );
    assert_eq!(
        keys(&s.scan(b"\0", None, 100).unwrap()),
        vec![b"\0".to_vec()]
    );
    // No match.
    assert!(s.scan(b"abz", None, 100).unwrap().is_empty());
    assert!(s.scan(b"zz", None, 100).unwrap().is_empty());
}

fn scan_after_and_limit<F: Fixture>(f: &mut F) {
    let s = f.store();
    seed_scan_data(s);
    let full = s.scan(b"ab", None, 100).unwrap();
    assert_eq!(s.scan(b"ab", None, 0).unwrap(), vec![]);
    assert_eq!(s.scan(b"ab", None, 3).unwrap(), full[..3].to_vec());
    // `after` is exclusive.
    assert_eq!(
        keys(&s.scan(b"ab", Some(b"abc"), 2).unwrap()),
        vec![b"abd".to_vec(), b"ab\xff".to_vec()]
    );
    // `after` need not exist.
    assert_eq!(
        keys(&s.scan(b"ab", Some(b"abcc"), 1).unwrap()),
        vec![b"abd".to_vec()]
    );
    // `after` before the prefix: starts at the prefix (inclusive).
    assert_eq!(s.scan(b"ab", Some(b"a"), 100).unwrap(), full);
    assert_eq!(s.scan(b"ab", Some(b""), 100).unwrap(), full);
    // `after` equal to the prefix key itself: everything but it.
    assert_eq!(s.scan(b"ab", Some(b"ab"), 100).unwrap(), full[1..].to_vec());
    // `after` at or past the end of the prefix: nothing (and no panic).
    assert!(s.scan(b"ab", Some(b"ab\xff\xff"), 100).unwrap().is_empty());
    assert!(s.scan(b"ab", Some(b"ac"), 100).unwrap().is_empty());
    assert!(
        s.scan(b"ab", Some(b"\xff\xff\xff\xff"), 100)
            .unwrap()
            .is_empty()
    );
    assert!(
        s.scan(b"\xff", Some(b"\xff\xff\xff"), 100)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        keys(&s.scan(b"\xff", Some(b"\xff\0"), 100).unwrap()),
        vec![b"\xff\xff".to_vec(), b"\xff\xff\xff".to_vec()]
    );
    // Paging with the last key reproduces the full scan, for every page size.
    for page in 1..=8 {
        let mut got = Vec::new();
        let mut after: Option<Vec<u8>> = None;
        loop {
            let chunk = s.scan(b"ab", after.as_deref(), page).unwrap();
            assert!(chunk.len() <= page);
            let Some(last) = chunk.last() else { break };
            after = Some(last.0.clone());
            got.extend(chunk);
        }
        assert_eq!(got, full, "page size {page}");
    }
    let all = s.scan(b"", None, usize::MAX).unwrap();
    assert_eq!(
        s.scan(b"", Some(b"ac"), usize::MAX).unwrap(),
        all.iter()
            .filter(|(k, _)| k.as_slice() > b"ac".as_slice())
            .cloned()
            .collect::<Entries>()
    );
}

fn for_each_order_and_break<F: Fixture>(f: &mut F) {
    let s = f.store();
    seed_scan_data(s);
    for prefix in [&b""[..], b"ab", b"\xff", b"\xff\xff", b"zz", b"ab\xff"] {
        assert_eq!(
            visit_all(s, prefix, None),
            s.scan(prefix, None, usize::MAX).unwrap(),
            "prefix {prefix:?}"
        );
    }
    assert_eq!(
        visit_all(s, b"ab", Some(2)),
        s.scan(b"ab", None, 2).unwrap()
    );
    assert_eq!(visit_all(s, b"", Some(1)).len(), 1);
}

fn for_each_sees_a_snapshot<F: Fixture>(f: &mut F) {
    let s = f.store();
    for i in 0u8..10 {
        s.put(&[b'n', i], &[i]).unwrap();
    }
    // The visitor writes to the same store: no deadlock, and the walk sees the
    // state from when it started.
    let mut seen = 0;
    s.for_each(b"n", &mut |k, _| {
        seen += 1;
        s.delete(k).unwrap();
        s.put(&[b'n', k[1] + 100], b"new").unwrap();
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(seen, 10);
    assert_eq!(s.scan(b"n", None, 100).unwrap().len(), 10);
    assert!(s.get(&[b'n', 0]).unwrap().is_none());
    assert!(s.get(&[b'n', 100]).unwrap().is_some());
}

fn namespaces_are_disjoint<F: Fixture>(f: &mut F) {
    let s = f.store();
    let id = [0xAB; 32];
    for (i, space) in ns::ALL.iter().enumerate() {
        s.put(&ns::key(space, &[&id]), &[i as u8]).unwrap();
        s.put(&ns::key(space, &[&id, &1u64.to_be_bytes()]), &[i as u8])
            .unwrap();
    }
    for (i, space) in ns::ALL.iter().enumerate() {
        let got = s.scan(space, None, 100).unwrap();
        assert_eq!(got.len(), 2, "{space:?}");
        assert!(
            got.iter()
                .all(|(k, v)| k.starts_with(space) && v == &[i as u8])
        );
    }
}

fn reopen_keeps_data<F: Fixture>(f: &mut F) {
    seed_scan_data(f.store());
    f.store().put(b"late", b"1").unwrap();
    f.store().delete(b"a").unwrap();
    let before = dump(f.store());
    f.reopen();
    assert_eq!(dump(f.store()), before);
    f.store().put(b"after-reopen", b"2").unwrap();
    f.reopen();
    assert_eq!(f.store().get(b"after-reopen").unwrap(), Some(b"2".to_vec()));
    assert_eq!(f.store().get(b"a").unwrap(), None);
    assert_eq!(dump(f.store()).len(), before.len() + 1);
}

fn concurrent_writers<F: Fixture>(f: &mut F) {
    let s = f.store();
    std::thread::scope(|scope| {
        for t in 0u8..4 {
            scope.spawn(move || {
                for i in 0u8..25 {
                    let mut b = WriteBatch::new();
                    b.put([b't', t, i, 0], [i]).put([b't', t, i, 1], [i]);
                    s.write(b).unwrap();
                    assert_eq!(s.get(&[b't', t, i, 0]).unwrap(), Some(vec![i]));
                    // A reader never sees half a batch.
                    for (k, _) in s.scan(&[b't', t], None, usize::MAX).unwrap() {
                        let twin = [k[0], k[1], k[2], 1 - k[3]];
                        assert!(s.has(&twin).unwrap());
                    }
                }
            });
        }
    });
    assert_eq!(dump(s).len(), 200);
}

fn usable_as_dyn_store<F: Fixture>(f: &mut F) {
    // Through `&dyn Store` ...
    let s: &dyn Store = f.store();
    s.put(b"dyn", b"1").unwrap();
    // ... and through the Arc/Box forwarding impls.
    let arc: Arc<dyn Store> = Arc::new(session_store::MemoryStore::new());
    arc.put(b"x", b"y").unwrap();
    assert_eq!(Store::get(&arc, b"x").unwrap(), Some(b"y".to_vec()));
    let boxed: Box<dyn Store> = Box::new(session_store::MemoryStore::new());
    assert!(!Store::has(&boxed, b"x").unwrap());
    assert_eq!(s.get(b"dyn").unwrap(), Some(b"1".to_vec()));
}

fn visitor_panic_propagates<F: Fixture>(f: &mut F) {
    let s = f.store();
    s.put(b"p", b"1").unwrap();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = s.for_each(b"", &mut |_, _| panic!("visitor panic"));
    }));
    let payload = caught.expect_err("the visitor's panic reaches the caller");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"visitor panic"));
    // The store is still usable.
    s.put(b"q", b"2").unwrap();
    assert_eq!(dump(s).len(), 2);
}

macro_rules! backend_suite {
    ($backend:ident, $fixture:expr) => {
        mod $backend {
            use super::*;

            backend_suite!(@cases $fixture;
                put_get_delete,
                empty_key_and_values,
                binary_keys_and_values,
                batch_mixed_ops_in_order,
                batch_large,
                size_limits,
                max_value,
                scan_prefix_order,
                scan_after_and_limit,
                for_each_order_and_break,
                for_each_sees_a_snapshot,
                namespaces_are_disjoint,
                reopen_keeps_data,
                concurrent_writers,
                usable_as_dyn_store,
                visitor_panic_propagates,
            );
        }
    };
    (@cases $fixture:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let mut fixture = $fixture;
                super::$case(&mut fixture);
            }
        )*
    };
}

backend_suite!(memory, common::Memory::new());
backend_suite!(redb, common::Redb::new());
// The same cases with values in segment files: every put external, then every other
// one (inline and external values mixed, overwritten both ways), with segments small
// enough to roll over and be deleted.
backend_suite!(
    redb_external,
    common::RedbExternal::new(common::External::All, 4096)
);
backend_suite!(
    redb_mixed,
    common::RedbExternal::new(common::External::Alternate, 1024)
);

#[test]
fn redb_file_is_exclusive_and_parent_dirs_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a").join("b").join("db.redb");
    let first = session_store::RedbStore::open(&path).unwrap();
    assert_eq!(first.path(), path);
    assert!(path.is_file());
    let second = session_store::RedbStore::open(&path);
    assert!(matches!(second, Err(Error::Database(_))), "{second:?}");
    first.put(b"k", b"v").unwrap();
    drop(first);
    let again = session_store::RedbStore::open(&path).unwrap();
    assert_eq!(again.get(b"k").unwrap(), Some(b"v".to_vec()));
}

#[test]
fn redb_relaxed_durability_behaves_the_same_in_process() {
    use session_store::{Durability, RedbOptions, RedbStore};
    let dir = tempfile::tempdir().unwrap();
    for durability in [Durability::Eventual, Durability::None] {
        let path = dir.path().join(format!("{durability:?}.redb"));
        let opts = RedbOptions::new()
            .durability(durability)
            .cache_size(1 << 20);
        let s = RedbStore::open_with(&path, opts).unwrap();
        let mut b = WriteBatch::new();
        b.put(b"a", b"1").put(b"b", b"2").delete(b"a");
        s.write(b).unwrap();
        assert_eq!(dump(&s), entries(&[(b"b", b"2")]));
    }
}
