//! Model test: random operation sequences run against each backend and against a
//! `BTreeMap`; every result and the final contents must agree.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use common::{Fixture, dump};
use proptest::prelude::*;
use session_store::{MAX_KEY_LEN, RedbOptions, Store, WriteBatch};

type Model = BTreeMap<Vec<u8>, Vec<u8>>;
type Entries = Vec<(Vec<u8>, Vec<u8>)>;

#[derive(Clone, Debug)]
enum BatchStep {
    Put(Vec<u8>, Vec<u8>),
    PutExternal(Vec<u8>, Vec<u8>),
    Delete(Vec<u8>),
}

#[derive(Clone, Debug)]
enum Op {
    Put(Vec<u8>, Vec<u8>),
    Delete(Vec<u8>),
    Get(Vec<u8>),
    Has(Vec<u8>),
    Batch(Vec<BatchStep>),
    /// A batch with one oversized key at `bad_at`: must fail and change nothing.
    BadBatch(Vec<BatchStep>, usize),
    Scan {
        prefix: Vec<u8>,
        after: Option<Vec<u8>>,
        limit: usize,
    },
    ForEach {
        prefix: Vec<u8>,
        stop_after: Option<usize>,
    },
    Reopen,
}

/// Keys from a tiny alphabet with the edge bytes, so that keys collide, share
/// prefixes and hit the 0xFF / 0x00 corner cases.
fn key() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop::sample::select(vec![0x00u8, 0x01, b'a', b'b', 0xFE, 0xFF]),
        0..=4,
    )
}

fn prefix() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(vec![0x00u8, b'a', b'b', 0xFF]), 0..=2)
}

fn value() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..24)
}

fn batch_step() -> impl Strategy<Value = BatchStep> {
    prop_oneof![
        3 => (key(), value()).prop_map(|(k, v)| BatchStep::Put(k, v)),
        2 => (key(), value()).prop_map(|(k, v)| BatchStep::PutExternal(k, v)),
        1 => key().prop_map(BatchStep::Delete),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (key(), value()).prop_map(|(k, v)| Op::Put(k, v)),
        3 => key().prop_map(Op::Delete),
        3 => key().prop_map(Op::Get),
        1 => key().prop_map(Op::Has),
        3 => prop::collection::vec(batch_step(), 0..12).prop_map(Op::Batch),
        1 => (prop::collection::vec(batch_step(), 0..6), any::<usize>())
            .prop_map(|(steps, at)| Op::BadBatch(steps, at)),
        4 => (
            prefix(),
            prop::option::of(key()),
            prop_oneof![0usize..6, Just(usize::MAX)],
        )
            .prop_map(|(prefix, after, limit)| Op::Scan { prefix, after, limit }),
        2 => (prefix(), prop::option::of(0usize..5))
            .prop_map(|(prefix, stop_after)| Op::ForEach { prefix, stop_after }),
        1 => Just(Op::Reopen),
    ]
}

fn to_batch(steps: &[BatchStep]) -> WriteBatch {
    let mut batch = WriteBatch::new();
    for step in steps {
        match step {
            BatchStep::Put(k, v) => batch.put(k, v),
            BatchStep::PutExternal(k, v) => batch.put_external(k, v),
            BatchStep::Delete(k) => batch.delete(k),
        };
    }
    batch
}

fn model_scan(model: &Model, prefix: &[u8], after: Option<&[u8]>, limit: usize) -> Entries {
    model
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .filter(|(k, _)| after.is_none_or(|a| k.as_slice() > a))
        .take(limit)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn run<F: Fixture>(fixture: &mut F, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut model = Model::new();
    for (i, op) in ops.iter().enumerate() {
        let s = fixture.store();
        match op {
            Op::Put(k, v) => {
                s.put(k, v).unwrap();
                model.insert(k.clone(), v.clone());
            }
            Op::Delete(k) => {
                s.delete(k).unwrap();
                model.remove(k);
            }
            Op::Get(k) => prop_assert_eq!(s.get(k).unwrap(), model.get(k).cloned(), "op {}", i),
            Op::Has(k) => prop_assert_eq!(s.has(k).unwrap(), model.contains_key(k), "op {}", i),
            Op::Batch(steps) => {
                s.write(to_batch(steps)).unwrap();
                for step in steps {
                    match step {
                        BatchStep::Put(k, v) | BatchStep::PutExternal(k, v) => {
                            model.insert(k.clone(), v.clone())
                        }
                        BatchStep::Delete(k) => model.remove(k),
                    };
                }
            }
            Op::BadBatch(steps, at) => {
                let mut steps = steps.clone();
                let bad = BatchStep::Put(vec![0xAA; MAX_KEY_LEN + 1], b"x".to_vec());
                steps.insert(at % (steps.len() + 1), bad);
                prop_assert!(s.write(to_batch(&steps)).is_err(), "op {}", i);
            }
            Op::Scan {
                prefix,
                after,
                limit,
            } => {
                let got = s.scan(prefix, after.as_deref(), *limit).unwrap();
                let want = model_scan(&model, prefix, after.as_deref(), *limit);
                prop_assert_eq!(got, want, "op {}", i);
            }
            Op::ForEach { prefix, stop_after } => {
                let mut got = Vec::new();
                s.for_each(prefix, &mut |k, v| {
                    got.push((k.to_vec(), v.to_vec()));
                    if stop_after.is_some_and(|n| got.len() >= n) {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                })
                .unwrap();
                // A visitor that breaks after n entries has seen exactly n (at least one).
                let limit = stop_after.map_or(usize::MAX, |n| n.max(1));
                prop_assert_eq!(got, model_scan(&model, prefix, None, limit), "op {}", i);
            }
            Op::Reopen => fixture.reopen(),
        }
    }
    let all: Entries = model.into_iter().collect();
    prop_assert_eq!(dump(fixture.store()), all);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn memory_matches_model(ops in prop::collection::vec(op(), 0..60)) {
        run(&mut common::Memory::new(), &ops)?;
    }
}

proptest! {
    // Every write is an fsync'd commit (the default): fewer cases than in memory.
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn redb_matches_model(ops in prop::collection::vec(op(), 0..60)) {
        run(&mut common::Redb::new(), &ops)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    // Batches mix `put_external` in; segments of 64 bytes roll over (and empty ones are
    // deleted) every few batches.
    #[test]
    fn redb_small_segments_matches_model(ops in prop::collection::vec(op(), 0..60)) {
        run(&mut common::Redb::with_options(RedbOptions::new().segment_size(64)), &ops)?;
    }
}
