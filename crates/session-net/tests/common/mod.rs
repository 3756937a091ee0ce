//! Shared fixtures for the loopback tests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use session_crypto::Identity;
use session_net::{Config, Data, Message, MessageType, Node};

/// Generous bound for anything that should succeed on a loaded machine.
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

pub(crate) fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Short timers so the tests run quickly; limits as in production.
pub(crate) fn config() -> Config {
    Config {
        listen: localhost(),
        handshake_timeout: Duration::from_secs(5),
        heartbeat_interval: Duration::from_millis(200),
        ping_interval: Duration::from_millis(300),
        idle_timeout: Duration::from_secs(10),
        reconnect_min: Duration::from_millis(50),
        reconnect_max: Duration::from_millis(500),
        ..Config::default()
    }
}

pub(crate) fn identity(seed: u8) -> Identity {
    Identity::from_seeds(&[seed; 64], &[seed; 32])
}

pub(crate) async fn node(seed: u8) -> Node {
    Node::bind(identity(seed), config()).await.unwrap()
}

pub(crate) async fn node_with(seed: u8, config: Config) -> Node {
    Node::bind(identity(seed), config).await.unwrap()
}

/// Installs a handler that answers every Data request with the same message.
pub(crate) fn echo(node: &Node) {
    node.set_handler(MessageType::Data, |req| async move {
        let msg = req.message.clone();
        let _ = req.respond(msg).await;
    })
    .unwrap();
}

pub(crate) fn data(topic: u32, payload: &[u8]) -> Message {
    Message::Data(Data {
        topic,
        payload: payload.to_vec().into(),
    })
}

/// Asserts that `a` can still make a request to `b` (which must echo).
pub(crate) async fn assert_link_works(a: &Node, b: &Node) {
    let msg = data(9, b"still alive");
    let reply = a.request(&b.id(), msg.clone(), PATIENCE).await.unwrap();
    assert_eq!(reply, msg);
}

/// Polls `cond` until it holds or `PATIENCE` runs out.
pub(crate) async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
