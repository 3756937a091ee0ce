//! Crash safety of [`RedbStore`]: a child process writes numbered batches and
//! acknowledges each one after `write` returns; the parent kills it with SIGKILL at
//! random moments, reopens the file and checks that every batch is all-or-nothing and
//! that every acknowledged batch survived.
//!
//! A second run does the same with the batches' even keys written by
//! [`WriteBatch::put_external`] into small segment files, and also checks the segment
//! files byte for byte: every live value intact, every deleted one zeroed, no file
//! without live values but the current one.
//!
//! The child is this same test binary, re-run with [`CHILD_ENV`] set so that only
//! [`crash_writer_child`] does anything. Reproduce a run with
//! `SESSION_STORE_CRASH_SEED=<seed printed on failure> cargo test -p session-store --test crash`.

#![allow(clippy::unwrap_used)] // tests may unwrap

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use session_store::{RedbOptions, RedbStore, Store, WriteBatch};

/// Set (to the database path) in the child process only.
const CHILD_ENV: &str = "SESSION_STORE_CRASH_CHILD_DB";
/// Set to `external` in the child when even keys go to segment files.
const MODE_ENV: &str = "SESSION_STORE_CRASH_CHILD_MODE";
/// Segment size of the external run: a new segment every few batches.
const SEGMENT_SIZE: u64 = 64 * 1024;
/// Keys each batch puts under `batch/<n>/`.
const KEYS_PER_BATCH: u8 = 8;
/// Batch `n` also deletes every key of batch `n - KEEP`, so deletes are tested too.
const KEEP: u64 = 5;
const ROUNDS: usize = 20;

fn batch_key(n: u64, i: u8) -> Vec<u8> {
    format!("batch/{n:010}/{i:02}").into_bytes()
}

fn tip_key(n: u64) -> Vec<u8> {
    format!("tip/{n:010}").into_bytes()
}

/// The value of key `i` of batch `n`: self-describing, of varying size (0..8 KiB).
fn batch_value(n: u64, i: u8) -> Vec<u8> {
    let len = (n.wrapping_mul(7919) + u64::from(i) * 104_729) % 8192;
    let mut v = Vec::with_capacity(9 + len as usize);
    v.extend_from_slice(&n.to_be_bytes());
    v.push(i);
    v.extend((0..len).map(|j| (j as u8) ^ (n as u8) ^ i));
    v
}

fn options() -> RedbOptions {
    RedbOptions::new().segment_size(SEGMENT_SIZE)
}

/// Whether key `i` is written with `put_external` in the external run.
fn is_external(i: u8) -> bool {
    i.is_multiple_of(2)
}

fn last_committed(store: &RedbStore) -> Option<u64> {
    store
        .get(b"meta/last")
        .unwrap()
        .map(|v| u64::from_be_bytes(v.try_into().expect("meta/last is 8 bytes")))
}

/// The child: writes batches forever (bounded by time), acknowledging each on stdout.
#[test]
fn crash_writer_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return; // a normal test run: nothing to do
    };
    let external = std::env::var_os(MODE_ENV).is_some_and(|m| m == "external");
    let store = RedbStore::open_with(&path, options()).unwrap();
    let mut n = last_committed(&store).map_or(0, |last| last + 1);
    let deadline = Instant::now() + Duration::from_secs(30); // the parent is gone by then
    let mut out = std::io::stdout().lock();
    while Instant::now() < deadline {
        let mut batch = WriteBatch::new();
        for i in 0..KEYS_PER_BATCH {
            if external && is_external(i) {
                batch.put_external(batch_key(n, i), batch_value(n, i));
            } else {
                batch.put(batch_key(n, i), batch_value(n, i));
            }
        }
        if let Some(old) = n.checked_sub(KEEP) {
            for i in 0..KEYS_PER_BATCH {
                batch.delete(batch_key(old, i));
            }
        }
        if let Some(prev) = n.checked_sub(1) {
            batch.delete(tip_key(prev));
        }
        batch.put(tip_key(n), b"");
        batch.put(b"meta/last", n.to_be_bytes());
        store.write(batch).unwrap();
        if writeln!(out, "ACK {n}").and_then(|()| out.flush()).is_err() {
            return;
        }
        n += 1;
    }
}

/// Checks the invariants after a crash; returns the last committed batch.
fn verify(path: &Path, max_acked: Option<u64>, external: bool) -> Option<u64> {
    let store = RedbStore::open_with(path, options()).expect("reopen after SIGKILL");
    let last = last_committed(&store);
    if let Some(acked) = max_acked {
        let last = last.expect("an acknowledged batch exists");
        assert!(
            last >= acked,
            "acknowledged batch {acked} lost (last {last})"
        );
    }
    let Some(last) = last else {
        assert!(store.scan(b"", None, usize::MAX).unwrap().is_empty());
        return None;
    };
    // Exactly batches last-KEEP+1 ..= last are present, each complete and intact.
    let first_live = (last + 1).saturating_sub(KEEP);
    for n in 0..=last + 1 {
        let present: Vec<bool> = (0..KEYS_PER_BATCH)
            .map(|i| match store.get(&batch_key(n, i)).unwrap() {
                Some(v) => {
                    assert_eq!(v, batch_value(n, i), "batch {n} key {i} corrupted");
                    true
                }
                None => false,
            })
            .collect();
        let expect = (first_live..=last).contains(&n);
        assert!(
            present.iter().all(|&p| p == expect),
            "batch {n} is not all-or-nothing or wrong (last {last}): {present:?}"
        );
    }
    let live = (last + 1 - first_live) as usize;
    assert_eq!(
        store.scan(b"batch/", None, usize::MAX).unwrap().len(),
        live * usize::from(KEYS_PER_BATCH)
    );
    let tips = store.scan(b"tip/", None, usize::MAX).unwrap();
    assert_eq!(tips.len(), 1, "tip keys: {tips:?}");
    assert_eq!(tips[0].0, tip_key(last));
    if external {
        verify_segments(&store, first_live, last);
    }
    Some(last)
}

/// The segment files after recovery, against their layout replayed from the batches:
/// batches `0..=last` appended their external values in order, rolling over to a new
/// segment as the store does; live values must be intact, deleted ones zeroed, and
/// only the current segment and segments with live values may exist.
fn verify_segments(store: &RedbStore, first_live: u64, last: u64) {
    // (segment, expected contents, whether it holds a live value)
    let mut segments: Vec<(u32, Vec<u8>, bool)> = vec![(1, Vec::new(), false)];
    for n in 0..=last {
        let values: Vec<Vec<u8>> = (0..KEYS_PER_BATCH)
            .filter(|&i| is_external(i))
            .map(|i| batch_value(n, i))
            .collect();
        let total: usize = values.iter().map(Vec::len).sum();
        let (segment, bytes, _) = segments.last().unwrap();
        if !bytes.is_empty() && (bytes.len() + total) as u64 > SEGMENT_SIZE {
            segments.push((segment + 1, Vec::new(), false));
        }
        let live = n >= first_live;
        let (_, bytes, has_live) = segments.last_mut().unwrap();
        *has_live |= live;
        for v in values {
            if live {
                bytes.extend_from_slice(&v);
            } else {
                bytes.resize(bytes.len() + v.len(), 0);
            }
        }
    }
    let current = segments.last().unwrap().0;
    for (segment, expected, has_live) in segments {
        let file = store.segment_dir().join(format!("{segment:08}.seg"));
        if has_live || segment == current {
            let got = std::fs::read(&file).unwrap();
            assert!(
                got == expected,
                "segment {segment} differs from its replayed layout (last {last})"
            );
        } else {
            assert!(
                !file.exists(),
                "segment {segment} has nothing live but exists"
            );
        }
    }
}

/// xorshift64*: enough randomness for kill timing, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

#[test]
fn sigkill_keeps_batches_atomic_and_acknowledged_batches_durable() {
    crash_rounds(false);
}

#[test]
fn sigkill_with_external_values_keeps_segments_consistent_and_wiped() {
    crash_rounds(true);
}

fn crash_rounds(external: bool) {
    let seed = std::env::var("SESSION_STORE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
        | 1;
    eprintln!("crash test seed {seed}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.redb");
    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();

    let mut max_acked: Option<u64> = None;
    let mut total_acks = 0;
    let mut last = None;
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "crash_writer_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .env(MODE_ENV, if external { "external" } else { "inline" })
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("ACK ") {
                    let n: u64 = n.parse().expect("ACK line carries a number");
                    if tx.send(n).is_err() {
                        break;
                    }
                }
            }
        });

        // Most rounds kill while batches are flowing; some kill early, during open or
        // recovery of the previous crash.
        if rng.below(4) == 0 {
            std::thread::sleep(Duration::from_millis(rng.below(40)));
        } else {
            let first = rx.recv_timeout(Duration::from_secs(10));
            assert!(
                first.is_ok(),
                "round {round}: child never acknowledged (seed {seed})"
            );
            std::thread::sleep(Duration::from_millis(rng.below(250)));
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        let acks: Vec<u64> = rx.try_iter().collect();
        // Acknowledgements come in order, continuing from the last committed batch.
        for pair in acks.windows(2) {
            assert_eq!(pair[1], pair[0] + 1, "seed {seed}");
        }
        total_acks += acks.len();
        if let Some(&top) = acks.iter().max() {
            max_acked = max_acked.max(Some(top));
        }
        let now = verify(&path, max_acked, external);
        assert!(now >= last, "committed state went backwards (seed {seed})");
        last = now;
    }
    assert!(
        total_acks > 0,
        "no batch was ever acknowledged (seed {seed})"
    );
    eprintln!(
        "crash test: {ROUNDS} kills, {total_acks} acknowledged batches, last {last:?}, {:?}",
        started.elapsed()
    );
}

/// Set (to the database path) in the child of the pending-wipe test only.
const WIPE_CHILD_ENV: &str = "SESSION_STORE_CRASH_WIPE_CHILD_DB";

/// Batch `b` of the pending-wipe test: three values of 30 000 bytes, one segment each
/// batch (`SEGMENT_SIZE` is 64 KiB).
fn wipe_value(b: u8, i: u8) -> Vec<u8> {
    (0..30_000u32)
        .map(|j| (j.wrapping_mul(2_654_435_761) >> 13) as u8 ^ (b * 16 + i))
        .collect()
}

/// The child of the pending-wipe test: fills segments 1 and 2, deletes segment 1's
/// values from inside a `for_each` visitor (so the wipes and the segment deletion are
/// committed but deferred), says READY and waits to be killed.
#[test]
fn pending_wipe_child() {
    let Some(path) = std::env::var_os(WIPE_CHILD_ENV) else {
        return; // a normal test run: nothing to do
    };
    let store = RedbStore::open_with(&path, options()).unwrap();
    for b in 0..2u8 {
        let mut batch = WriteBatch::new();
        for i in 0..2u8 {
            batch.put_external([b'w', b, i], wipe_value(b, i));
        }
        store.write(batch).unwrap();
    }
    store
        .for_each(b"w\0", &mut |k, _| {
            store.delete(k).unwrap();
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    println!("READY");
    std::io::stdout().flush().unwrap();
    std::thread::sleep(Duration::from_secs(30));
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len().min(64))
        .any(|w| w == &needle[..w.len()])
}

#[test]
fn sigkill_before_deferred_wipes_finishes_them_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wipe.redb");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "pending_wipe_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WIPE_CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.any(|l| l.is_ok_and(|l| l.contains("READY")));
    let segs = dir.path().join("wipe.redb.segments");
    let seg1 = segs.join("00000001.seg");
    // The wipes really were deferred: the deleted values are still there.
    let before = std::fs::read(&seg1);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(ready, "child never got ready");
    assert!(contains(&before.unwrap(), &wipe_value(0, 1)));

    let store = RedbStore::open_with(&path, options()).unwrap();
    assert!(
        !seg1.exists(),
        "segment 1 has nothing live but survived the reopen"
    );
    assert_eq!(store.get(&[b'w', 0, 0]).unwrap(), None);
    assert_eq!(store.get(&[b'w', 1, 1]).unwrap(), Some(wipe_value(1, 1)));
    for entry in std::fs::read_dir(&segs).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for i in 0..2 {
            assert!(!contains(&bytes, &wipe_value(0, i)), "value 0/{i} survived");
        }
    }
}
