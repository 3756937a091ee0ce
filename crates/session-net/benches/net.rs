#![allow(missing_docs, clippy::unwrap_used)]
//! Loopback benchmarks: authenticated handshake, request round trip, and
//! one-way throughput of 1 KiB and 64 KiB messages on one link.
//!
//! `cargo bench -p session-net --bench net -- --warm-up-time 1 --measurement-time 5`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use session_crypto::Identity;
use session_net::tls::TlsContext;
use session_net::{Config, Data, Message, MessageType, Node, transport};
use tokio::runtime::Runtime;
use tokio::sync::Notify;

const PATIENCE: Duration = Duration::from_secs(30);

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn config() -> Config {
    Config::listening_on("127.0.0.1:0".parse().unwrap())
}

fn identity(seed: u8) -> Identity {
    Identity::from_seeds(&[seed; 64], &[seed; 32])
}

fn data(len: usize) -> Message {
    Message::Data(Data {
        topic: 1,
        payload: vec![0x5a; len].into(),
    })
}

/// Two connected nodes; `b` echoes Data requests.
fn pair(rt: &Runtime) -> (Node, Node) {
    rt.block_on(async {
        let a = Node::bind(identity(1), config()).await.unwrap();
        let b = Node::bind(identity(2), config()).await.unwrap();
        b.set_handler(MessageType::Data, |req| async move {
            let m = req.message.clone();
            let _ = req.respond(m).await;
        })
        .unwrap();
        a.connect(b.local_addr(), b.id()).await.unwrap();
        b.wait_for_peer(&a.id(), PATIENCE).await.unwrap();
        (a, b)
    })
}

fn handshake(c: &mut Criterion) {
    let rt = runtime();
    let (b, tls, me) = rt.block_on(async {
        let b = Node::bind(identity(2), config()).await.unwrap();
        (b, TlsContext::generate().unwrap(), identity(3))
    });
    let mut g = c.benchmark_group("handshake");
    g.sample_size(30);
    // TCP connect, TLS 1.3 with X25519MLKEM768 and Ed25519 certificates, and
    // both ML-DSA-65 identity signatures and verifications.
    g.bench_function("tcp_tls13_x25519mlkem768_identity_binding", |bench| {
        bench.iter(|| {
            rt.block_on(async {
                let est = transport::dial(&tls, &me, b.local_addr(), b.id(), PATIENCE, PATIENCE)
                    .await
                    .unwrap();
                drop(est);
            })
        })
    });
    g.finish();
    rt.block_on(b.shutdown());
}

fn round_trip(c: &mut Criterion) {
    let rt = runtime();
    let (a, b) = pair(&rt);
    let msg = data(32);
    let mut g = c.benchmark_group("request");
    g.bench_function("round_trip_32B", |bench| {
        bench.iter(|| {
            rt.block_on(async { a.request(&b.id(), msg.clone(), PATIENCE).await.unwrap() })
        })
    });
    g.finish();
    rt.block_on(async {
        a.shutdown().await;
        b.shutdown().await;
    });
}

/// Sends `n` one-way messages from `a` to `b` and waits until `b` has
/// received all of them.
fn throughput_for(c: &mut Criterion, name: &str, size: usize, throughput: Throughput) {
    let rt = runtime();
    let (a, b) = pair(&rt);
    let received = Arc::new(AtomicU64::new(0));
    let target = Arc::new(AtomicU64::new(u64::MAX));
    let done = Arc::new(Notify::new());
    {
        let mut inbox = b.subscribe();
        let (received, target, done) = (received.clone(), target.clone(), done.clone());
        rt.spawn(async move {
            while let Some(m) = inbox.recv().await {
                drop(m);
                let n = received.fetch_add(1, Ordering::Relaxed) + 1;
                if n == target.load(Ordering::Relaxed) {
                    done.notify_waiters();
                }
            }
        });
    }
    b.remove_handler(MessageType::Data);
    let msg = data(size);
    let mut g = c.benchmark_group("throughput");
    g.throughput(throughput);
    g.sample_size(20);
    g.bench_function(name, |bench| {
        bench.iter_custom(|iters| {
            rt.block_on(async {
                let start_count = received.load(Ordering::Relaxed);
                target.store(start_count + iters, Ordering::Relaxed);
                let waiter = done.notified();
                tokio::pin!(waiter);
                waiter.as_mut().enable();
                let start = Instant::now();
                for _ in 0..iters {
                    a.send(&b.id(), msg.clone()).await.unwrap();
                }
                if received.load(Ordering::Relaxed) < start_count + iters {
                    tokio::time::timeout(PATIENCE, waiter).await.unwrap();
                }
                start.elapsed()
            })
        })
    });
    g.finish();
    rt.block_on(async {
        a.shutdown().await;
        b.shutdown().await;
    });
}

fn throughput(c: &mut Criterion) {
    throughput_for(c, "one_way_1KiB", 1024, Throughput::Elements(1));
    throughput_for(c, "one_way_64KiB", 64 * 1024, Throughput::Bytes(64 * 1024));
}

criterion_group!(benches, handshake, round_trip, throughput);
criterion_main!(benches);
