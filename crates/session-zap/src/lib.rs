//! The ZAP VM-plugin protocol that `luxd` uses to drive an out-of-process
//! VM (`specs/zap-plugin-protocol.md`), independent of any VM's logic.
//!
//! - [`wire`]: sans-I/O framing, field encodings and every message layout.
//! - [`handshake`]: the plugin → engine handshake.
//! - [`PluginVm`] + [`serve`] / [`run_plugin`]: the plugin-side runtime.
//!   A VM implements one async method per request; the server runs each
//!   request in its own task, so a pending `WaitForEvent` never stalls
//!   other calls.
//! - [`engine`]: a node simulator for conformance tests and benchmarks.
//!
//! A complete round trip: a toy VM served on loopback, called by the
//! simulated node.
//!
//! ```
//! use std::sync::Arc;
//! use session_zap::engine::EngineClient;
//! use session_zap::wire::{Block, BlockVerifyRequest, BuildBlockRequest, Event, Handler, Id,
//!     InitializeRequest, InitializeResponse, VmState};
//! use session_zap::{PluginVm, VmError, VmResult, serve};
//!
//! struct Toy;
//!
//! impl PluginVm for Toy {
//!     async fn initialize(&self, _: InitializeRequest) -> VmResult<InitializeResponse> {
//!         Ok(InitializeResponse { last_accepted_id: [1; 32], ..Default::default() })
//!     }
//!     async fn set_state(&self, _: VmState) -> VmResult<()> { Ok(()) }
//!     async fn shutdown(&self) -> VmResult<()> { Ok(()) }
//!     async fn create_handlers(&self) -> VmResult<Vec<Handler>> { Ok(vec![]) }
//!     async fn wait_for_event(&self) -> VmResult<Event> { std::future::pending().await }
//!     async fn build_block(&self, _: BuildBlockRequest) -> VmResult<Block> {
//!         Err(VmError::failed("nothing to build"))
//!     }
//!     async fn parse_block(&self, _: Vec<u8>) -> VmResult<Block> { Err(VmError::failed("bad block")) }
//!     async fn get_block(&self, _: Id) -> VmResult<Block> { Err(VmError::NotFound) }
//!     async fn set_preference(&self, _: Id) -> VmResult<()> { Ok(()) }
//!     async fn version(&self) -> VmResult<String> { Ok("toy/0.1.0".into()) }
//!     async fn get_block_id_at_height(&self, h: u64) -> VmResult<Id> {
//!         if h == 0 { Ok([1; 32]) } else { Err(VmError::NotFound) }
//!     }
//!     async fn block_verify(&self, _: BlockVerifyRequest) -> VmResult<()> { Ok(()) }
//!     async fn block_accept(&self, _: Id) -> VmResult<()> { Ok(()) }
//!     async fn block_reject(&self, _: Id) -> VmResult<()> { Ok(()) }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> session_zap::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let addr = listener.local_addr()?;
//! let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! let server = tokio::spawn(serve(Arc::new(Toy), listener, async { let _ = stopped.await; }));
//!
//! let node = EngineClient::connect(addr).await?;
//! let pending = node.start_wait_for_event().await?; // stays pending...
//! assert_eq!(node.version().await?, "toy/0.1.0"); // ...without blocking this
//! assert_eq!(node.get_block_id_at_height(0).await?.id, Some([1; 32]));
//! assert_eq!(node.get_block([9; 32]).await?.err, session_zap::wire::ErrCode::NOT_FOUND);
//! drop(pending);
//!
//! let _ = stop.send(());
//! server.await.expect("server task");
//! # Ok(())
//! # }
//! ```
//!
//! In a plugin binary:
//!
//! ```no_run
//! # async fn demo<V: session_zap::PluginVm>(vm: std::sync::Arc<V>) -> session_zap::Result<()> {
//! use session_zap::{PluginConfig, plugin_mode_from_env, run_plugin, shutdown_signal};
//! if let Some(engine) = plugin_mode_from_env(|k| std::env::var(k).ok()) {
//!     let reason = run_plugin(vm, PluginConfig::new(engine), shutdown_signal()).await?;
//!     tracing::info!(?reason, "plugin done"); // then exit 0; on Err exit non-zero
//! }
//! # Ok(()) }
//! ```

pub mod engine;
mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod handshake;
mod plugin;
mod server;
pub mod wire;

pub use error::{Error, Result};
pub use handshake::{Handshake, PROTOCOL_VERSION, plugin_handshake};
pub use plugin::{
    ENV_ENGINE_ADDR, ENV_ENGINE_ADDR_LEGACY, ENV_TRANSPORT, ENV_TRANSPORT_ALT, EngineAddr,
    PluginConfig, plugin_mode_from_env, run_plugin, shutdown_signal, transport_is_zap,
};
pub use server::{
    ExitReason, PluginVm, ServerConfig, VmError, VmResult, get_ancestors_via, serve, serve_with,
};
