//! Plugin mode end to end: handshake bytes, ACK handling, exit reasons.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{FakeVm, STEP, initialize_request};
use session_zap::engine::{EngineClient, EngineListener, accept_plugin};
use session_zap::handshake::{self, PROTOCOL_VERSION};
use session_zap::{
    EngineAddr, Error, ExitReason, PluginConfig, Result, plugin_mode_from_env, run_plugin,
};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

type Plugin = (
    Arc<FakeVm>,
    oneshot::Sender<()>,
    JoinHandle<Result<ExitReason>>,
);

/// Starts `run_plugin` against `engine` the way the binary would: from the
/// variables the node sets.
fn spawn_plugin(engine: &EngineListener, handshake_timeout: Duration) -> Plugin {
    let env = engine.plugin_env();
    let addr = plugin_mode_from_env(|k| {
        env.iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v.clone())
    })
    .expect("plugin mode");
    assert_eq!(addr, EngineAddr(engine.addr().to_string()));
    let mut config = PluginConfig::new(addr);
    config.handshake_timeout = handshake_timeout;
    let vm = Arc::new(FakeVm::default());
    let (signal, signalled) = oneshot::channel::<()>();
    let task = tokio::spawn(run_plugin(vm.clone(), config, async {
        let _ = signalled.await;
    }));
    (vm, signal, task)
}

async fn finished(task: JoinHandle<Result<ExitReason>>) -> Result<ExitReason> {
    tokio::time::timeout(STEP, task)
        .await
        .expect("run_plugin returns in time")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_bytes_are_exact() {
    // A bare listener, to see every byte the plugin writes.
    let raw = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = PluginConfig::new(EngineAddr(raw.local_addr().unwrap().to_string()));
    config.handshake_timeout = STEP;
    let vm = Arc::new(FakeVm::default());
    let task = tokio::spawn(run_plugin(vm, config, std::future::pending()));
    let (mut conn, _) = tokio::time::timeout(STEP, raw.accept())
        .await
        .unwrap()
        .unwrap();
    let mut header = [0u8; 8];
    conn.read_exact(&mut header).await.unwrap();
    let len = u32::from_be_bytes(header[..4].try_into().unwrap()) as usize;
    assert_eq!(&header[4..], &[0, 0, 0, 0x2a], "version 42");
    let mut addr = vec![0u8; len - 4];
    conn.read_exact(&mut addr).await.unwrap();
    let addr = String::from_utf8(addr).unwrap();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let port: u16 = addr["127.0.0.1:".len()..].parse().unwrap();
    assert_ne!(port, 0);
    let mut whole = header.to_vec();
    whole.extend_from_slice(addr.as_bytes());
    assert_eq!(whole, handshake::encode(PROTOCOL_VERSION, &addr));
    // Nothing else follows: the plugin waits for the ACK.
    let mut more = [0u8; 1];
    assert!(
        tokio::time::timeout(Duration::from_millis(100), conn.read(&mut more))
            .await
            .is_err()
    );
    // Close without an ACK: the plugin fails.
    drop(conn);
    assert!(matches!(finished(task).await, Err(Error::Handshake(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_plugin_life_cycle_ends_with_shutdown() {
    let engine = EngineListener::bind().await.unwrap();
    let (vm, _signal, task) = spawn_plugin(&engine, STEP);
    let (node, hs) = accept_plugin(&engine, STEP).await.unwrap();
    assert_eq!(hs.version, 42);
    let node = node.with_call_timeout(STEP);
    let init = node.initialize(&initialize_request(true)).await.unwrap();
    assert_eq!(init.last_accepted_id, vm.genesis_id());
    let wait = node.start_wait_for_event().await.unwrap();
    node.health().await.unwrap();
    node.shutdown().await.unwrap();
    node.close().await.unwrap();
    assert_eq!(finished(task).await.unwrap(), ExitReason::Shutdown);
    assert_eq!(vm.shutdowns.load(Ordering::SeqCst), 1, "not called twice");
    drop(wait);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_or_wrong_ack_is_an_error() {
    for answer in [None, Some(0x00u8), Some(0x02)] {
        let engine = EngineListener::bind().await.unwrap();
        let (vm, _signal, task) = spawn_plugin(&engine, STEP);
        let incoming = engine.accept(STEP).await.unwrap();
        assert_eq!(incoming.handshake().version, PROTOCOL_VERSION);
        match answer {
            None => incoming.refuse(),
            Some(b) => incoming.answer(b).await.unwrap(),
        }
        let result = finished(task).await;
        assert!(
            matches!(result, Err(Error::Handshake(_))),
            "{answer:?}: {result:?}"
        );
        assert_eq!(vm.shutdowns.load(Ordering::SeqCst), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_engine_times_out() {
    let engine = EngineListener::bind().await.unwrap();
    let (_vm, _signal, task) = spawn_plugin(&engine, Duration::from_millis(300));
    let _incoming = engine.accept(STEP).await.unwrap(); // read, never answered
    let result = finished(task).await;
    assert!(
        matches!(
            result,
            Err(Error::Timeout {
                what: "handshake",
                ..
            })
        ),
        "{result:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_connection_flushes_the_vm_and_returns() {
    let engine = EngineListener::bind().await.unwrap();
    let (vm, _signal, task) = spawn_plugin(&engine, STEP);
    let (node, _) = accept_plugin(&engine, STEP).await.unwrap();
    let _wait = node.start_wait_for_event().await.unwrap();
    node.health().await.unwrap();
    drop(node);
    assert_eq!(finished(task).await.unwrap(), ExitReason::ConnectionClosed);
    assert_eq!(vm.shutdowns.load(Ordering::SeqCst), 1, "run_plugin flushed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signal_stops_the_plugin() {
    let engine = EngineListener::bind().await.unwrap();
    let (vm, signal, task) = spawn_plugin(&engine, STEP);
    let (node, _) = accept_plugin(&engine, STEP).await.unwrap();
    let _wait = node.start_wait_for_event().await.unwrap();
    node.health().await.unwrap();
    signal.send(()).unwrap();
    assert_eq!(finished(task).await.unwrap(), ExitReason::Signal);
    assert_eq!(vm.shutdowns.load(Ordering::SeqCst), 1);
    assert!(node.wait_closed(STEP).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_after_the_handshake_on_a_second_connection() {
    let engine = EngineListener::bind().await.unwrap();
    let (_vm, signal, task) = spawn_plugin(&engine, STEP);
    let (node, hs) = accept_plugin(&engine, STEP).await.unwrap();
    let node = node.with_call_timeout(STEP);
    // A second dialer sends junk: an oversized length, then closes.
    let junk = EngineClient::connect(hs.vm_addr.as_str()).await.unwrap();
    junk.send_raw(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    assert!(junk.wait_closed(STEP).await, "oversized len closes it");
    // A third sends a short frame of junk and stays; both leave the node's
    // connection alone.
    let junk2 = EngineClient::connect(hs.vm_addr.as_str()).await.unwrap();
    junk2
        .send_raw(&[0, 0, 0, 6, 0x30, 0, 0, 0, 1, 0xff, 0xfe])
        .await
        .unwrap();
    node.health().await.unwrap();
    assert_eq!(node.version().await.unwrap(), "fake/1.0");
    signal.send(()).unwrap();
    assert_eq!(finished(task).await.unwrap(), ExitReason::Signal);
}
