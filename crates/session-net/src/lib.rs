//! sessiond's post-quantum authenticated transport: TLS 1.3 over TCP with the
//! hybrid `X25519MLKEM768` key exchange, node authentication by Lux
//! identities (ML-DSA-65), length-prefixed framing of session-core messages,
//! a router with request/response and broadcast, and a peer set with limits,
//! keepalive, reconnect and clean shutdown.
//!
//! ```
//! use std::time::Duration;
//! use session_crypto::Identity;
//! use session_net::{Config, Data, Message, MessageType, NamedGroup, Node};
//!
//! # async fn demo() -> session_net::Result<()> {
//! let config = Config::listening_on("127.0.0.1:0".parse().expect("address"));
//! let a = Node::bind(Identity::generate(), config.clone()).await?;
//! let b = Node::bind(Identity::generate(), config).await?;
//!
//! // b answers Data requests by echoing them.
//! b.set_handler(MessageType::Data, |req| async move {
//!     let echo = req.message.clone();
//!     let _ = req.respond(echo).await;
//! })?;
//!
//! // a dials b, which must prove b's identity.
//! let peer = a.connect(b.local_addr(), b.id()).await?;
//! assert_eq!(peer.kx_group, Some(NamedGroup::X25519MLKEM768));
//! let msg = Message::Data(Data { topic: 1, payload: "hi".into() });
//! let reply = a.request(&b.id(), msg.clone(), Duration::from_secs(5)).await?;
//! assert_eq!(reply, msg);
//!
//! a.shutdown().await;
//! b.shutdown().await;
//! # Ok(()) }
//! # tokio::runtime::Runtime::new().expect("runtime").block_on(demo()).expect("demo");
//! ```
//!
//! # Layers
//!
//! - [`kx`]: the `X25519MLKEM768` group (codepoint `0x11EC`) for rustls.
//! - [`tls`]: TLS 1.3 configuration, ephemeral certificates, verifiers.
//! - [`binding`] (sans-I/O): each side signs a TLS exporter value with its
//!   identity, so a link is up only between the two identities that hold
//!   this TLS session.
//! - [`frame`] (sans-I/O) and [`message`]: `u32` length ‖ version ‖ type ‖
//!   body, at most 1 MiB; bodies in the session-core codec.
//! - [`transport`]: one authenticated link over TCP.
//! - [`Node`]: listener, peer set, router, keepalive, reconnect, shutdown.
//!
//! # Why this TLS provider
//!
//! rustls's `aws-lc-rs` provider has `X25519MLKEM768` built in, but it is a
//! C/assembly library of its own (here it built without cmake, in about
//! 2 minutes on 2 cores, ~4× the `ring` build) and a second ML-KEM next to the
//! project's `libcrux-ml-kem`. This crate uses rustls's `ring` provider for
//! everything TLS needs (AES-GCM/ChaCha20-Poly1305, HKDF, Ed25519
//! certificates, X25519) and adds the hybrid group in [`kx`]: ring's X25519
//! plus `libcrux-ml-kem` (formally verified, the ML-KEM the rest of the
//! project already uses, `specs/crypto-choice.md`). The combination is the
//! standard one (`ek ‖ x25519`, `ct ‖ x25519`, `ss_mlkem ‖ ss_x25519`) and
//! is only offered for TLS 1.3; it is the only group offered, so a peer
//! without it cannot connect at all (no downgrade to classical X25519).
//! Wire compatibility with rustls's aws-lc-rs implementation is checked in
//! both directions by
//! `cargo run -p session-net --example interop_aws_lc --features interop-aws-lc`
//! (the only build that compiles aws-lc).
//!
//! # Security notes
//!
//! - Confidentiality against a future quantum adversary rests on ML-KEM-768
//!   inside the TLS key schedule; authentication on ML-DSA-65 identity
//!   signatures over the exporter (the Ed25519 certificates only satisfy
//!   TLS and are authenticated by that binding, not trusted).
//! - Nothing a peer sends can panic the node: frame lengths are checked
//!   before anything is buffered for them, every body is decoded by bounded
//!   decoders, and any violation closes only that peer's link.
//! - Resource use is bounded: pending handshakes, peers, per-peer queued
//!   bytes, in-flight requests and concurrent handlers are all capped, and
//!   silent or slow peers time out.

pub mod binding;
mod config;
mod error;
pub mod frame;
#[doc(hidden)]
pub mod fuzz;
pub mod kx;
mod link;
pub mod message;
mod node;
mod router;
pub mod tls;
pub mod transport;

pub use config::{Backoff, Config, DEFAULT_PORT, PeerAddr};
pub use error::{Error, Result};
pub use link::{Direction, PeerInfo};
pub use message::{
    Data, Envelope, Handshake, Heartbeat, Kind, MAX_DATA_LEN, Message, MessageType, OracleCommit,
    Ping, Pong, RejectCode, Rejection, SessionStart,
};
pub use node::Node;
pub use router::{Handler, HandlerFuture, Inbound, NodeStats, Responder, Subscription};
pub use rustls::NamedGroup;
pub use tokio_util::sync::CancellationToken;

/// Random bytes from the operating system (falling back to the clock, which
/// only ever feeds jitter and ping nonces).
pub(crate) fn random_array<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    if getrandom::getrandom(&mut out).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
            .to_be_bytes();
        for (o, n) in out.iter_mut().zip(nanos.iter().rev()) {
            *o = *n;
        }
    }
    out
}
