//! The segment files behind [`WriteBatch::put_external`] in [`RedbStore`]: wiping,
//! deletion of empty segments, recovery on open, damage, format marker, and readers
//! racing writers.

#![allow(clippy::unwrap_used)] // tests may unwrap

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use session_store::{Error, RedbOptions, RedbStore, Store, WriteBatch};

/// A value that appears nowhere else: `tag` spread over 4 400 bytes with a counter.
fn value(tag: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(4400);
    let mut x = tag.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while v.len() < 4400 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(4400);
    v
}

fn open(path: &Path, segment_size: u64) -> RedbStore {
    RedbStore::open_with(path, RedbOptions::new().segment_size(segment_size)).unwrap()
}

fn segment_files(store: &RedbStore) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(store.segment_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Whether `needle` occurs in any file of `dir`.
fn on_disk(dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir)
        .unwrap()
        .any(|f| contains(&std::fs::read(f.unwrap().path()).unwrap(), needle))
}

/// Whether `hay` contains `needle`'s first 64 bytes (the values are pseudo-random: as
/// good as the whole). Checks 8-byte words first: this runs unoptimised.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let head = u64::from_le_bytes(needle[..8].try_into().unwrap());
    (0..hay.len().saturating_sub(63)).any(|at| {
        u64::from_le_bytes(hay[at..at + 8].try_into().unwrap()) == head
            && hay[at..at + 64] == needle[..64]
    })
}

#[test]
fn replaced_and_deleted_values_leave_no_copy_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.redb");
    let store = open(&path, 1 << 20);
    let mut batch = WriteBatch::new();
    for i in 0..6 {
        batch.put_external(format!("m/{i}"), value(i));
    }
    store.write(batch).unwrap();
    for i in 0..6 {
        assert!(on_disk(store.segment_dir(), &value(i)), "value {i} written");
    }
    // Not in the database file: only pointers are.
    assert!(!contains(&std::fs::read(&path).unwrap(), &value(0)));

    store.delete(b"m/0").unwrap();
    store.put(b"m/1", b"inline now").unwrap();
    let mut batch = WriteBatch::new();
    batch
        .put_external(b"m/2", value(100))
        .delete(b"m/3")
        .put_external(b"m/3", value(103));
    store.write(batch).unwrap();
    // Replaced within one batch: the first value never outlives the batch.
    let mut batch = WriteBatch::new();
    batch
        .put_external(b"m/6", value(6))
        .put_external(b"m/6", value(106));
    store.write(batch).unwrap();

    let segs = store.segment_dir().to_path_buf();
    for gone in [0, 1, 2, 3, 6] {
        assert!(!on_disk(&segs, &value(gone)), "value {gone} still on disk");
    }
    for kept in [4, 5, 100, 103, 106] {
        assert!(on_disk(&segs, &value(kept)), "value {kept} missing");
    }
    assert_eq!(store.get(b"m/1").unwrap(), Some(b"inline now".to_vec()));
    assert_eq!(store.get(b"m/3").unwrap(), Some(value(103)));
    assert_eq!(store.get(b"m/0").unwrap(), None);

    drop(store);
    let store = open(&path, 1 << 20);
    assert_eq!(store.get(b"m/6").unwrap(), Some(value(106)));
    assert_eq!(store.scan(b"m/", None, usize::MAX).unwrap().len(), 6);
}

#[test]
fn wipes_deferred_by_a_visitor_happen_at_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.redb");
    let store = open(&path, 1 << 20);
    let mut batch = WriteBatch::new();
    for i in 0..4 {
        batch.put_external([b'v', i as u8], value(i));
    }
    store.write(batch).unwrap();
    // The visitor deletes every key, the later ones before they are visited: the walk
    // still sees the snapshot's values intact.
    let mut seen = 0;
    store
        .for_each(b"v", &mut |k, v| {
            assert_eq!(v, value(u64::from(k[1])));
            seen += 1;
            for j in 0..4u8 {
                store.delete(&[b'v', j]).unwrap();
            }
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(seen, 4);
    store.put(b"other", b"x").unwrap();
    for i in 0..4 {
        assert!(!on_disk(store.segment_dir(), &value(i)), "value {i}");
    }
}

#[test]
fn empty_segments_are_deleted_but_never_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.redb");
    // Three 4 400-byte values per batch; 10 000-byte segments: one batch per segment.
    let store = open(&path, 10_000);
    for b in 0..3u64 {
        let mut batch = WriteBatch::new();
        for i in 0..3 {
            batch.put_external(format!("b{b}/{i}"), value(b * 10 + i));
        }
        store.write(batch).unwrap();
    }
    let names = |s: &RedbStore| -> Vec<String> {
        segment_files(s)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(
        names(&store),
        ["00000001.seg", "00000002.seg", "00000003.seg"]
    );
    // Emptying segment 1 key by key: the file goes with the last key.
    store.delete(b"b0/0").unwrap();
    store.delete(b"b0/1").unwrap();
    assert_eq!(names(&store).len(), 3);
    store.delete(b"b0/2").unwrap();
    assert_eq!(names(&store), ["00000002.seg", "00000003.seg"]);
    // The current segment stays even when empty.
    let mut batch = WriteBatch::new();
    for i in 0..3 {
        batch.delete(format!("b2/{i}"));
    }
    store.write(batch).unwrap();
    assert_eq!(names(&store), ["00000002.seg", "00000003.seg"]);
    // The next batch rolls over (the current segment holds wiped bytes), and the
    // segment it leaves, with nothing live, goes.
    let mut batch = WriteBatch::new();
    batch.put_external(b"late", value(99));
    store.write(batch).unwrap();
    assert_eq!(names(&store), ["00000002.seg", "00000004.seg"]);
    // A batch bigger than the limit gets a segment of its own.
    let mut batch = WriteBatch::new();
    for i in 0..5 {
        batch.put_external(format!("big/{i}"), value(200 + i));
    }
    store.write(batch).unwrap();
    assert_eq!(
        names(&store),
        ["00000002.seg", "00000004.seg", "00000005.seg"]
    );
    assert_eq!(
        std::fs::metadata(&segment_files(&store)[2]).unwrap().len(),
        5 * 4400
    );
    drop(store);
    let store = open(&path, 10_000);
    assert_eq!(
        names(&store),
        ["00000002.seg", "00000004.seg", "00000005.seg"]
    );
    assert_eq!(store.get(b"late").unwrap(), Some(value(99)));
    assert_eq!(store.get(b"big/4").unwrap(), Some(value(204)));
    assert_eq!(store.get(b"b1/2").unwrap(), Some(value(12)));
    assert_eq!(store.scan(b"", None, usize::MAX).unwrap().len(), 9);
}

#[test]
fn open_drops_uncommitted_bytes_and_stray_segments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.redb");
    let store = open(&path, 1 << 20);
    let mut batch = WriteBatch::new();
    batch.put_external(b"a", value(1)).put(b"b", b"inline");
    store.write(batch).unwrap();
    let seg = segment_files(&store)[0].clone();
    let segs = store.segment_dir().to_path_buf();
    drop(store);
    // What a crash between append and commit leaves: bytes past the tail, a rolled-to
    // segment nothing refers to. Unrelated files stay.
    let mut bytes = std::fs::read(&seg).unwrap();
    bytes.extend_from_slice(&value(2));
    std::fs::write(&seg, &bytes).unwrap();
    std::fs::write(segs.join("00000002.seg"), value(3)).unwrap();
    std::fs::write(segs.join("notes.txt"), b"keep me").unwrap();
    let store = open(&path, 1 << 20);
    assert_eq!(std::fs::metadata(&seg).unwrap().len(), 4400);
    assert!(!segs.join("00000002.seg").exists());
    assert!(segs.join("notes.txt").exists());
    assert_eq!(store.get(b"a").unwrap(), Some(value(1)));
    // Appends continue at the committed tail.
    let mut batch = WriteBatch::new();
    batch.put_external(b"c", value(4));
    store.write(batch).unwrap();
    assert_eq!(std::fs::metadata(&seg).unwrap().len(), 8800);
    drop(store);
    let store = open(&path, 1 << 20);
    assert_eq!(store.get(b"a").unwrap(), Some(value(1)));
    assert_eq!(store.get(b"c").unwrap(), Some(value(4)));
    assert_eq!(store.get(b"b").unwrap(), Some(b"inline".to_vec()));
}

fn assert_corrupt<T: std::fmt::Debug>(r: session_store::Result<T>) {
    assert!(matches!(r, Err(Error::Corrupt(_))), "{r:?}");
}

#[test]
fn damaged_segments_read_as_corrupt_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let make = |name: &str| {
        let path = dir.path().join(name);
        let store = open(&path, 1 << 20);
        let mut batch = WriteBatch::new();
        batch
            .put_external(b"x/1", value(1))
            .put_external(b"x/2", value(2))
            .put(b"x/3", b"inline");
        store.write(batch).unwrap();
        let seg = segment_files(&store)[0].clone();
        drop(store);
        (path, seg)
    };
    let check = |path: &Path, second_ok: bool| {
        let store = open(path, 1 << 20);
        assert_eq!(store.get(b"x/3").unwrap(), Some(b"inline".to_vec()));
        assert!(store.has(b"x/2").unwrap());
        if second_ok {
            assert_eq!(store.get(b"x/1").unwrap(), Some(value(1)));
        }
        assert_corrupt(store.get(b"x/2"));
        assert_corrupt(store.scan(b"x/", None, usize::MAX));
        assert_corrupt(store.for_each(b"", &mut |_, _| ControlFlow::Continue(())));
        // Still writable; replacing the damaged value heals the key.
        let mut batch = WriteBatch::new();
        batch.put_external(b"x/2", value(22));
        store.write(batch).unwrap();
        assert_eq!(store.get(b"x/2").unwrap(), Some(value(22)));
    };

    // Cut short.
    let (db, seg) = make("cut.redb");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&seg)
        .unwrap()
        .set_len(6000)
        .unwrap();
    check(&db, true);

    // One flipped bit.
    let (db, seg) = make("flip.redb");
    let mut bytes = std::fs::read(&seg).unwrap();
    bytes[4400 + 1234] ^= 0x10;
    std::fs::write(&seg, &bytes).unwrap();
    check(&db, true);

    // Gone.
    let (db, seg) = make("gone.redb");
    std::fs::remove_file(&seg).unwrap();
    let store = open(&db, 1 << 20);
    assert_corrupt(store.get(b"x/1"));
    assert_corrupt(store.get(b"x/2"));
    assert_eq!(store.get(b"x/3").unwrap(), Some(b"inline".to_vec()));
    store.delete(b"x/1").unwrap();
}

#[test]
fn databases_of_another_format_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // The layout before segment files: raw values in "kv", no meta table.
    let old = dir.path().join("old.redb");
    {
        let db = redb::Database::create(&old).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<'_, &[u8], &[u8]> = redb::TableDefinition::new("kv");
            let mut t = txn.open_table(def).unwrap();
            t.insert(b"k".as_slice(), b"v".as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    let r = RedbStore::open(&old);
    assert!(matches!(r, Err(Error::IncompatibleFormat { .. })), "{r:?}");

    // A marker from some other version.
    let other = dir.path().join("other.redb");
    drop(RedbStore::open(&other).unwrap());
    {
        let db = redb::Database::create(&other).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<'_, &str, &[u8]> = redb::TableDefinition::new("meta");
            let mut t = txn.open_table(def).unwrap();
            t.insert("format", b"lux-session-store/3".as_slice())
                .unwrap();
        }
        txn.commit().unwrap();
    }
    let r = RedbStore::open(&other);
    match r {
        Err(e @ Error::IncompatibleFormat { .. }) => {
            assert!(e.to_string().contains("lux-session-store/3"), "{e}")
        }
        r => panic!("{r:?}"),
    }

    // An empty database from before is simply adopted.
    let empty = dir.path().join("empty.redb");
    drop(redb::Database::create(&empty).unwrap());
    let store = RedbStore::open(&empty).unwrap();
    store.put(b"k", b"v").unwrap();
}

/// The value key `k` holds at generation `g`: self-describing, so that a reader can
/// tell a real value from zeros or a torn read. Alternates inline and external sizes.
fn hammer_value(k: u8, g: u32) -> Vec<u8> {
    let mut v = vec![k];
    v.extend_from_slice(&g.to_le_bytes());
    let len = if g.is_multiple_of(2) { 4400 } else { 40 };
    v.extend((0..len).map(|j: u32| (j as u8) ^ k ^ (g as u8)));
    v
}

fn check_hammer(k: &[u8], v: &[u8]) {
    assert_eq!(k.len(), 2, "key {k:?}");
    assert!(v.len() > 5, "short value for {k:?}: {} bytes", v.len());
    let g = u32::from_le_bytes(v[1..5].try_into().unwrap());
    assert_eq!(
        v,
        hammer_value(k[1], g),
        "key {k:?} has a value never written"
    );
}

#[test]
fn readers_racing_writes_and_deletes_see_only_written_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.redb");
    // Small segments: they roll over and get deleted under the readers' feet.
    let store = RedbStore::open_with(
        &path,
        RedbOptions::new()
            .segment_size(32 * 1024)
            .durability(session_store::Durability::None),
    )
    .unwrap();
    let stop = AtomicBool::new(false);
    let deadline = Instant::now() + Duration::from_millis(1500);
    let reads = std::thread::scope(|scope| {
        let store = &store;
        let stop = &stop;
        let readers: Vec<_> = (0..3u8)
            .map(|r| {
                scope.spawn(move || {
                    let mut n = 0u64;
                    let mut k = r;
                    while !stop.load(Ordering::Relaxed) {
                        k = k.wrapping_mul(31).wrapping_add(7) % 16;
                        match r {
                            0 => {
                                if let Some(v) = store.get(&[b'h', k]).unwrap() {
                                    check_hammer(&[b'h', k], &v);
                                }
                            }
                            1 => {
                                for (k, v) in store.scan(b"h", None, usize::MAX).unwrap() {
                                    check_hammer(&k, &v);
                                }
                            }
                            _ => store
                                .for_each(b"h", &mut |k, v| {
                                    check_hammer(k, v);
                                    ControlFlow::Continue(())
                                })
                                .unwrap(),
                        }
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        let mut g = 0u32;
        // At least 30 batches even on a loaded machine, where a write may wait for the
        // readers' pins and fsyncs are slow.
        while Instant::now() < deadline || g < 30 {
            let mut batch = WriteBatch::new();
            for k in 0..16u8 {
                match (u32::from(k) + g) % 5 {
                    0 => {
                        batch.delete([b'h', k]);
                    }
                    1 | 2 => {
                        batch.put([b'h', k], hammer_value(k, g));
                    }
                    _ => {
                        batch.put_external([b'h', k], hammer_value(k, g));
                    }
                }
            }
            store.write(batch).unwrap();
            g += 1;
        }
        stop.store(true, Ordering::Relaxed);
        let reads: Vec<u64> = readers.into_iter().map(|h| h.join().unwrap()).collect();
        (g, reads)
    });
    let (writes, reads) = reads;
    assert!(reads.iter().all(|&n| n > 0), "reads per reader: {reads:?}");
    eprintln!("hammer: {writes} batches, reads per reader {reads:?}");
}

#[test]
fn creation_leftovers_do_not_block_a_new_database() {
    // A crash while creating leaves at most `<path>.creating`; the database file itself
    // appears only complete.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.redb");
    let tmp = dir.path().join("db.redb.creating");
    std::fs::write(&tmp, vec![0u8; 8192]).unwrap();
    let store = RedbStore::open(&path).unwrap();
    assert!(!tmp.exists());
    store.put(b"k", b"v").unwrap();
    drop(store);
    assert_eq!(
        RedbStore::open(&path).unwrap().get(b"k").unwrap(),
        Some(b"v".to_vec())
    );
}
