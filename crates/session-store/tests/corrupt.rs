//! A damaged database file gives errors, never a panic.

#![allow(clippy::unwrap_used)] // tests may unwrap

use std::path::Path;

use session_store::{RedbStore, Store, WriteBatch};

fn make_db(path: &Path) -> Vec<u8> {
    let store = RedbStore::open(path).unwrap();
    for chunk in 0u32..8 {
        let mut b = WriteBatch::new();
        for i in 0u32..200 {
            let n = chunk * 200 + i;
            b.put(format!("k/{n:06}"), vec![n as u8; 100 + (n % 300) as usize]);
        }
        store.write(b).unwrap();
    }
    drop(store);
    std::fs::read(path).unwrap()
}

/// Opens `path` and reads everything; any outcome but a panic is acceptable.
fn exercise(path: &Path) {
    let Ok(store) = RedbStore::open(path) else {
        return;
    };
    let _ = store.get(b"k/000001");
    let _ = store.scan(b"k/", None, usize::MAX);
    let _ = store.for_each(b"", &mut |_, _| std::ops::ControlFlow::Continue(()));
    let _ = store.put(b"k/new", b"v");
    let _ = store.scan(b"", None, usize::MAX);
}

#[test]
fn garbage_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.redb");
    std::fs::write(&path, vec![0x5A; 10_000]).unwrap();
    assert!(RedbStore::open(&path).is_err());
    std::fs::write(&path, b"x").unwrap();
    assert!(RedbStore::open(&path).is_err());
}

#[test]
fn truncated_file_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.redb");
    let bytes = make_db(&good);
    let path = dir.path().join("cut.redb");
    for cut in [
        1,
        100,
        512,
        4096,
        bytes.len() / 3,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        exercise(&path);
    }
}

#[test]
fn flipped_bytes_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.redb");
    let bytes = make_db(&good);
    let path = dir.path().join("flipped.redb");
    // Deterministic spread of single-byte corruptions over the whole file.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..150 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut damaged = bytes.clone();
        let at = (x % bytes.len() as u64) as usize;
        damaged[at] ^= 1 << (x >> 60 & 7);
        std::fs::write(&path, &damaged).unwrap();
        exercise(&path);
    }
}
