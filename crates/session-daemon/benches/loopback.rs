//! Submit → finalization of read → median → write with 5 sessiond nodes on
//! loopback and a local HTTP server (the whole stack: TLS transport, HTTP,
//! ML-DSA signatures, in-memory stores).
#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::{price_pipeline, read_request};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use session_core::{SessionState, hash};
use session_daemon::Daemon;
use session_net::CancellationToken;
use session_store::MemoryStore;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// Answers every request with `42` after reading its head and body.
async fn world() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                if read_request(&mut stream).await.is_none() {
                    return;
                }
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n42",
                    )
                    .await;
            });
        }
    });
    base
}

async fn cluster() -> Vec<Daemon> {
    let stores = (0..5)
        .map(|_| Arc::new(MemoryStore::new()) as Arc<dyn session_store::Store>)
        .collect();
    // The daemons stop when the bench process exits.
    let token = CancellationToken::new();
    let (daemons, _) = common::cluster(stores, &token, |_, config| {
        config.tick = Duration::from_millis(5);
    })
    .await;
    daemons
}

async fn one_session(daemons: &[Daemon], base: &str, n: u64) -> Duration {
    let start = Instant::now();
    let steps = price_pipeline(base);
    let id = daemons[0]
        .submit(hash(b"bench"), hash(&n.to_be_bytes()), steps)
        .await
        .unwrap();
    // Finalized on the submitting node (a member: all 5 are).
    loop {
        if let Some(r) = daemons[0].session(id).await
            && r.session.state == SessionState::Finalized
        {
            return start.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn loopback(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (daemons, base) = rt.block_on(async { (cluster().await, world().await) });
    let counter = AtomicU64::new(0);
    let mut g = c.benchmark_group("loopback");
    g.sample_size(20);
    g.bench_function("submit_to_finalization_3_steps_5_nodes", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    total += one_session(&daemons, &base, n).await;
                }
                total
            })
        })
    });
    // Sessions per second: 20 sessions submitted at once to different nodes.
    const BATCH: u64 = 20;
    g.throughput(criterion::Throughput::Elements(BATCH));
    g.bench_function("sessions_20_concurrent_5_nodes", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let mut tasks = Vec::new();
                    for k in 0..BATCH {
                        let n = counter.fetch_add(1, Ordering::Relaxed);
                        let daemons = daemons.clone();
                        let base = base.clone();
                        tasks.push(tokio::spawn(async move {
                            let d = &daemons[(k % 5) as usize..];
                            one_session(d, &base, n).await
                        }));
                    }
                    for t in tasks {
                        t.await.unwrap();
                    }
                    total += start.elapsed();
                }
                total
            })
        })
    });
    g.finish();
}

criterion_group!(benches, loopback);
criterion_main!(benches);
