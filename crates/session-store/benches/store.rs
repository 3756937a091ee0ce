#![allow(missing_docs)]
//! Store benchmarks: hot point reads, batches of 1 000 puts (commit included), single
//! puts (one commit each) and a prefix scan of 10 000 keys, for the redb backend and, for comparison, the memory one;
//! then blocks of 1 000 message-sized values (4.4 KB) written with `put` and with
//! `put_external` (durable commit included), and point reads of such values.
//!
//! `cargo bench -p session-store --bench store -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::ops::ControlFlow;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use session_store::{Durability, MemoryStore, RedbOptions, RedbStore, Store, WriteBatch, ns};

const KEYS: u64 = 10_000;
const BATCH: u64 = 1_000;
const VALUE: [u8; 100] = [0xA5; 100];

/// A 40-byte key in the `session:` namespace.
fn key(space: &[u8], n: u64) -> Vec<u8> {
    let mut id = [0u8; 32];
    id[24..].copy_from_slice(&n.to_be_bytes());
    ns::key(space, &[&id])
}

/// `KEYS` entries under `session:`, with neighbours in `step:` and `oracle:` around
/// them so that the scan has to find its range.
fn fill(store: &dyn Store) {
    for space in [ns::ORACLE, ns::SESSION, ns::STEP] {
        let mut batch = WriteBatch::with_capacity(KEYS as usize);
        for n in 0..KEYS {
            batch.put(key(space, n), VALUE);
        }
        store.write(batch).expect("fill");
    }
}

struct Backend {
    name: &'static str,
    store: Box<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

fn backends() -> Vec<Backend> {
    let mut out = vec![Backend {
        name: "memory",
        store: Box::new(MemoryStore::new()),
        _dir: None,
    }];
    for (name, durability) in [
        ("redb", Durability::Immediate),
        ("redb-nosync", Durability::None),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = RedbStore::open_with(
            dir.path().join("bench.redb"),
            RedbOptions::new().durability(durability),
        )
        .expect("open redb");
        out.push(Backend {
            name,
            store: Box::new(store),
            _dir: Some(dir),
        });
    }
    out
}

fn benches(c: &mut Criterion) {
    for b in backends() {
        let store = b.store.as_ref();
        fill(store);

        // Point reads of present keys, cycling through all of them (all cached).
        let mut group = c.benchmark_group("get_hot");
        group.throughput(Throughput::Elements(1));
        let keys: Vec<Vec<u8>> = (0..KEYS)
            .map(|n| key(ns::SESSION, n * 7919 % KEYS))
            .collect();
        let mut i = 0;
        group.bench_function(b.name, |bench| {
            bench.iter(|| {
                i = (i + 1) % keys.len();
                black_box(store.get(&keys[i]).expect("get"))
            })
        });
        group.bench_function(format!("{}/missing", b.name), |bench| {
            bench.iter(|| black_box(store.get(b"session:missing").expect("get")))
        });
        group.finish();

        // 1 000 new 40-byte keys with 100-byte values, written and committed.
        let mut group = c.benchmark_group("put_batch_1000");
        group.throughput(Throughput::Elements(BATCH));
        let mut next = 0u64;
        group.bench_function(b.name, |bench| {
            bench.iter_batched(
                || {
                    let mut batch = WriteBatch::with_capacity(BATCH as usize);
                    for _ in 0..BATCH {
                        batch.put(key(ns::RECEIPT, next), VALUE);
                        next += 1;
                    }
                    batch
                },
                |batch| store.write(batch).expect("write"),
                BatchSize::SmallInput,
            )
        });
        group.finish();

        // One put: a whole commit for a single small value.
        let mut group = c.benchmark_group("put_one");
        group.throughput(Throughput::Elements(1));
        group.bench_function(b.name, |bench| {
            bench.iter(|| {
                next += 1;
                store.put(&key(ns::EPOCH, next), &VALUE).expect("put")
            })
        });
        group.finish();

        // All 10 000 entries of one namespace.
        let mut group = c.benchmark_group("scan_10k");
        group.throughput(Throughput::Elements(KEYS));
        group.bench_function(format!("{}/scan", b.name), |bench| {
            bench.iter(|| {
                let all = store.scan(ns::SESSION, None, usize::MAX).expect("scan");
                assert_eq!(all.len(), KEYS as usize);
                all
            })
        });
        group.bench_function(format!("{}/for_each", b.name), |bench| {
            bench.iter(|| {
                let mut n = 0usize;
                store
                    .for_each(ns::SESSION, &mut |k, v| {
                        n += k.len() + v.len();
                        ControlFlow::Continue(())
                    })
                    .expect("for_each");
                black_box(n)
            })
        });
        group.finish();
    }
}

/// A message record's size: 1 KiB ciphertext, 3 309-byte ML-DSA signature, metadata.
const MESSAGE: usize = 4400;

/// A message-sized value, different for every `n` (so nothing compresses or dedups).
fn message(n: u64) -> Vec<u8> {
    let mut v = vec![0u8; MESSAGE];
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for chunk in v.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    v
}

fn large_values(c: &mut Criterion) {
    for (backend, durability, external) in [
        ("redb", Durability::Immediate, false),
        ("redb", Durability::Immediate, true),
        ("redb-nosync", Durability::None, false),
        ("redb-nosync", Durability::None, true),
    ] {
        let name = if external { "put_external" } else { "put" };
        let name = format!("{backend}/{name}");
        let dir = tempfile::tempdir().expect("temp dir");
        let store = RedbStore::open_with(
            dir.path().join("bench.redb"),
            RedbOptions::new().durability(durability),
        )
        .expect("open redb");
        let block = |first: u64| {
            let mut batch = WriteBatch::with_capacity(BATCH as usize);
            for n in first..first + BATCH {
                let (k, v) = (key(ns::VM, n), message(n));
                if external {
                    batch.put_external(k, v);
                } else {
                    batch.put(k, v);
                }
            }
            batch
        };

        // A block: 1 000 new 4.4 KB values in one batch, durable commit included.
        let mut group = c.benchmark_group("block_1000x4400");
        group.throughput(Throughput::Elements(BATCH));
        group.sample_size(20);
        let mut next = 0u64;
        group.bench_function(&name, |bench| {
            bench.iter_batched(
                || {
                    let batch = block(next);
                    next += BATCH;
                    batch
                },
                |batch| store.write(batch).expect("write"),
                BatchSize::PerIteration,
            )
        });
        group.finish();

        // Point reads spread over every value written so far (hundreds of MB: served
        // from the OS page cache or the disk, not from redb's cache).
        let mut group = c.benchmark_group("get_4400");
        group.throughput(Throughput::Elements(1));
        let mut i = 0u64;
        group.bench_function(&name, |bench| {
            bench.iter(|| {
                i = (i + 7919) % next.max(1);
                black_box(store.get(&key(ns::VM, i)).expect("get"))
            })
        });
        group.finish();
    }
}

criterion_group!(store_benches, benches, large_values);
criterion_main!(store_benches);
