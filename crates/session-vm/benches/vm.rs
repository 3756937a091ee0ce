#![allow(missing_docs, clippy::unwrap_used)]
//! SessionVM hot paths: applying signed messages (signature check, block build
//! and redb commit included), GetSession in-process, GetMessages over HTTP.

use std::sync::Arc;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main,
};
use serde_json::json;
use session_core::Id;
use session_crypto::Identity;
use session_store::{RedbStore, Store};
use session_vm::tx::{CreateSession, SendMessage, Tx};
use session_vm::{Chain, ChainOptions, Config, Genesis, Vm, statement};

// The allocator of the `sessionvm` binary, so in-process figures match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BLOCK: usize = 1_000;

fn pid(i: &Identity) -> Id {
    Id::new(i.id().0)
}

/// A chain on redb in `dir` with one session between two people.
fn setup(dir: &std::path::Path) -> (Chain, Id, Identity, Identity) {
    let store: Arc<dyn Store> = Arc::new(RedbStore::open(dir.join("bench.redb")).unwrap());
    let config = Config {
        max_messages: u64::MAX,
        ..Config::default()
    };
    let vm = Vm::open(
        store,
        &Genesis {
            config,
            chain_id: None,
        },
    )
    .unwrap();
    let chain = Chain::new(
        vm,
        ChainOptions {
            mempool_size: 1 << 20,
            ..ChainOptions::default()
        },
    );
    let chain_id = *chain.reader().chain_id();
    let (a, b) = (Identity::generate(), Identity::generate());
    let (create, sid) = CreateSession::signed(&chain_id, 0, &a, &[b.public()]);
    chain.admit(Tx::CreateSession(create)).unwrap();
    chain.seal_pending().unwrap();
    (chain, sid, a, b)
}

fn signed_messages(
    chain_id: &Id,
    sid: &Id,
    from: &Identity,
    start: u64,
    n: usize,
    size: usize,
) -> Vec<Tx> {
    (0..n as u64)
        .map(|i| {
            let mut ct = vec![0xA5; size];
            ct[..8].copy_from_slice(&(start + i).to_be_bytes());
            let sig = from.sign(&statement::send_message(chain_id, sid, &pid(from), &ct));
            Tx::SendMessage(SendMessage {
                session_id: *sid,
                sender: pid(from),
                ciphertext: ct,
                signature: sig,
            })
        })
        .collect()
}

fn admit_all(chain: &Chain, txs: Vec<Tx>) {
    for tx in txs {
        chain.admit(tx).unwrap();
    }
}

/// Admits a fresh block's worth of signed messages one by one, then seals
/// them into one durable block.
fn bench_apply(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    chain: &Chain,
    fresh: &mut impl FnMut() -> Vec<Tx>,
) {
    g.bench_function(name, |b| {
        b.iter_batched(
            &mut *fresh,
            |txs| {
                admit_all(chain, txs);
                assert_eq!(chain.seal_pending().unwrap(), BLOCK);
            },
            BatchSize::PerIteration,
        )
    });
}

fn apply_send_message(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (chain, sid, alice, _) = setup(dir.path());
    let chain_id = *chain.reader().chain_id();
    let mut next = 0u64;
    // A new batch of distinct signed messages (replays would be refused).
    let mut fresh = || {
        next += BLOCK as u64;
        signed_messages(&chain_id, &sid, &alice, next, BLOCK, 1024)
    };
    let mut g = c.benchmark_group("vm");
    g.sample_size(10);
    g.throughput(Throughput::Elements(BLOCK as u64));
    bench_apply(
        &mut g,
        "apply_send_message_1KiB_block_of_1000",
        &chain,
        &mut fresh,
    );
    // The node's arrangement: admission (the signature check) spread over
    // every core, as concurrent RPC handlers do, then sealing on one thread.
    g.bench_function(
        "apply_send_message_1KiB_block_of_1000_admission_on_all_cores",
        |b| {
            b.iter_batched(
                &mut fresh,
                |txs| {
                    use rayon::prelude::*;
                    txs.into_par_iter().for_each(|tx| {
                        chain.admit(tx).unwrap();
                    });
                    assert_eq!(chain.seal_pending().unwrap(), BLOCK);
                },
                BatchSize::PerIteration,
            )
        },
    );
    g.bench_function("admit_send_message_1KiB_x1000", |b| {
        b.iter_batched(
            &mut fresh,
            |txs| admit_all(&chain, txs),
            BatchSize::PerIteration,
        )
    });
    chain.seal_pending().unwrap();
    g.bench_function("seal_block_of_1000_admitted", |b| {
        b.iter_batched(
            || admit_all(&chain, fresh()),
            |()| assert_eq!(chain.seal_pending().unwrap(), BLOCK),
            BatchSize::PerIteration,
        )
    });
    g.finish();

    // The reads below need stored messages even when run on their own.
    admit_all(&chain, fresh());
    chain.seal_pending().unwrap();
    assert_eq!(chain.reader().messages(&sid, 0, 100).unwrap().len(), 100);
    let mut g = c.benchmark_group("vm");
    g.bench_function("get_session", |b| {
        b.iter(|| chain.reader().session(&sid).unwrap().unwrap())
    });
    g.bench_function("get_session_record", |b| {
        b.iter(|| chain.reader().record(&sid).unwrap().unwrap())
    });
    g.bench_function("get_messages_100", |b| {
        b.iter(|| chain.reader().messages(&sid, 0, 100).unwrap())
    });
    g.finish();
}

/// The worst case for the key cache: every message of the block from a
/// different sender whose key is not cached (loaded, parsed and prepared).
fn apply_uncached_senders(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (chain, ..) = setup(dir.path());
    let chain_id = *chain.reader().chain_id();
    let mut sessions = Vec::new();
    for nonce in 1..=(BLOCK / 2) as u64 {
        let (a, b) = (Identity::generate(), Identity::generate());
        let (create, sid) = CreateSession::signed(&chain_id, nonce, &a, &[b.public()]);
        chain.admit(Tx::CreateSession(create)).unwrap();
        sessions.push((sid, a));
        sessions.push((sid, b));
    }
    chain.seal_pending().unwrap();
    let mut next = 0u64;
    let mut fresh = || {
        chain.with_vm(|vm| vm.key_cache().clear());
        next += 1;
        sessions
            .iter()
            .flat_map(|(sid, who)| signed_messages(&chain_id, sid, who, next, 1, 1024))
            .collect::<Vec<_>>()
    };
    let mut g = c.benchmark_group("vm");
    g.sample_size(10);
    g.throughput(Throughput::Elements(BLOCK as u64));
    bench_apply(
        &mut g,
        "apply_send_message_1KiB_block_of_1000_senders_uncached",
        &chain,
        &mut fresh,
    );
    g.finish();
}

fn http_get_messages(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let node =
        session_vm::node::Background::start(dir.path(), Config::default(), ChainOptions::default())
            .unwrap();
    let url = node.url();
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(10))
        .build();
    let post = |body: serde_json::Value| -> serde_json::Value {
        agent
            .post(&url)
            .send_string(&body.to_string())
            .unwrap()
            .into_json()
            .unwrap()
    };
    let info = post(json!({"jsonrpc":"2.0","id":1,"method":"sessionvm.Info"}));
    let chain_id: Id = info["result"]["chainId"].as_str().unwrap().parse().unwrap();
    let (a, b) = (Identity::generate(), Identity::generate());
    let ids = vec![pid(&a), pid(&b)];
    let stmt = statement::create_session(&chain_id, 0, &ids);
    let r = post(
        json!({"jsonrpc":"2.0","id":1,"method":"sessionvm.CreateSession","params":{
        "participants": ids.iter().map(Id::to_cb58).collect::<Vec<_>>(),
        "publicKeys": [hex::encode(a.public().to_bytes()), hex::encode(b.public().to_bytes())],
        "nonce": 0, "signature": hex::encode(a.sign(&stmt).as_bytes())}}),
    );
    let sid: Id = r["result"]["sessionId"].as_str().unwrap().parse().unwrap();
    for tx in signed_messages(&chain_id, &sid, &a, 0, 100, 1024) {
        let Tx::SendMessage(m) = tx else {
            unreachable!()
        };
        post(
            json!({"jsonrpc":"2.0","id":1,"method":"sessionvm.SendMessage","params":{
            "sessionId": sid.to_cb58(), "sender": m.sender.to_cb58(),
            "ciphertext": hex::encode(&m.ciphertext), "signature": hex::encode(m.signature.as_bytes())}}),
        );
    }
    let body = json!({"jsonrpc":"2.0","id":1,"method":"sessionvm.GetMessages",
                      "params":{"sessionId": sid.to_cb58(), "limit": 100}});
    assert_eq!(
        post(body.clone())["result"]["messages"]
            .as_array()
            .unwrap()
            .len(),
        100
    );
    // The client only receives the bytes: this measures the server and the
    // wire. (ureq's `into_string` decodes the ~900 KB reply character by
    // character; in a profile it took more CPU than the server.)
    let text = body.to_string();
    let mut reply = Vec::with_capacity(1 << 20);
    let mut fetch = || {
        reply.clear();
        std::io::Read::read_to_end(
            &mut agent.post(&url).send_string(&text).unwrap().into_reader(),
            &mut reply,
        )
        .unwrap()
    };
    // 100 messages, each with 1 KiB of ciphertext and a signature, as hex.
    assert!(fetch() > 100 * 2 * (1024 + 3309));
    let mut g = c.benchmark_group("http");
    g.bench_function("get_messages_100_of_1KiB", |bch| bch.iter(&mut fetch));
    g.finish();
    node.stop().unwrap();
}

/// Plugin mode: a block of 1 000 signed messages from another node, parsed,
/// verified (every signature, over all cores) and accepted durably.
fn foreign_block(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let open = |name: &str| {
        let store: Arc<dyn Store> = Arc::new(RedbStore::open(dir.path().join(name)).unwrap());
        let config = Config {
            max_messages: u64::MAX,
            genesis_time: 1_700_000_000,
            ..Config::default()
        };
        Vm::open(
            store,
            &Genesis {
                config,
                chain_id: Some(Id::new([7; 32])),
            },
        )
        .unwrap()
    };
    let (mut builder, mut follower) = (open("a.redb"), open("b.redb"));
    let chain_id = *builder.chain_id();
    let (a, b) = (Identity::generate(), Identity::generate());
    let (create, sid) = CreateSession::signed(&chain_id, 0, &a, &[b.public()]);
    let create = Tx::CreateSession(create);
    let mut time = 1_700_000_001;
    let next_block = |builder: &mut Vm, txs: &[Tx], time: u64| {
        let ids = txs
            .iter()
            .map(|t| (t.clone(), Some(t.id(&chain_id))))
            .collect();
        let block = builder.build_block(ids, time).unwrap().0.unwrap();
        builder.accept_block(&block.id).unwrap();
        block
    };
    let first = next_block(&mut builder, std::slice::from_ref(&create), time);
    follower.verify_block(&first.bytes, u64::MAX / 2).unwrap();
    follower.accept_block(&first.id).unwrap();
    let mut start = 0;
    let mut g = c.benchmark_group("plugin");
    g.sample_size(10);
    g.throughput(Throughput::Elements(BLOCK as u64));
    g.bench_function("verify_accept_foreign_block_of_1000", |bch| {
        bch.iter_batched(
            || {
                start += BLOCK as u64;
                time += 1;
                let txs = signed_messages(&chain_id, &sid, &a, start, BLOCK, 1024);
                next_block(&mut builder, &txs, time)
            },
            |block| {
                let verified = follower.verify_block(&block.bytes, u64::MAX / 2).unwrap();
                follower.accept_block(&verified.id).unwrap();
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(
    benches,
    apply_send_message,
    apply_uncached_senders,
    http_get_messages,
    foreign_block
);
criterion_main!(benches);
