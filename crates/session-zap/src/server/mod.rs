//! The plugin-side runtime: accept node connections and serve a
//! [`PluginVm`] on each.
//!
//! Per connection, a reader task decodes frames and never waits on a
//! handler; each request runs in its own task; replies go through one writer
//! task, so every frame is written whole and replies may leave in any
//! order. A malformed body, an unknown opcode or a panicking handler gets an
//! error reply for that request only; a frame announcing more than 16 MiB
//! closes the connection (there is no way to resynchronise).

mod conn;
mod dispatch;
mod vm;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::warn;

pub use vm::{PluginVm, VmError, VmResult, get_ancestors_via};

/// Server limits and behaviour.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Requests one connection may have in progress; beyond it a request
    /// gets the error reply `too many requests in flight`. Default 1024.
    pub max_in_flight: usize,
    /// How long a closing connection waits for its running handlers (a
    /// pending WaitForEvent is dropped at once), and how long its writer
    /// may take to flush. Default 5 s.
    pub drain_timeout: Duration,
    /// Stop serving once at least one connection was served and none is
    /// left open (plugin mode: the node dials once). Default false.
    pub exit_when_idle: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            max_in_flight: 1024,
            drain_timeout: Duration::from_secs(5),
            exit_when_idle: false,
        }
    }
}

impl ServerConfig {
    /// Sets [`max_in_flight`](Self::max_in_flight).
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n;
        self
    }

    /// Sets [`drain_timeout`](Self::drain_timeout).
    pub fn drain_timeout(mut self, d: Duration) -> Self {
        self.drain_timeout = d;
        self
    }

    /// Sets [`exit_when_idle`](Self::exit_when_idle).
    pub fn exit_when_idle(mut self, on: bool) -> Self {
        self.exit_when_idle = on;
        self
    }
}

/// Why serving stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitReason {
    /// The node sent Shutdown, it was answered, and the connection closed.
    Shutdown,
    /// The node's connection closed without a Shutdown.
    ConnectionClosed,
    /// The shutdown future (e.g. SIGTERM) resolved.
    Signal,
}

/// State shared by all connections of one server.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: ServerConfig,
    /// A Shutdown request reached the VM.
    pub(crate) shutdown_called: AtomicBool,
    /// A Shutdown reply was queued.
    pub(crate) shutdown_answered: AtomicBool,
}

impl Shared {
    pub(crate) fn new(config: ServerConfig) -> Self {
        Self {
            config,
            shutdown_called: AtomicBool::new(false),
            shutdown_answered: AtomicBool::new(false),
        }
    }
}

/// Serves `vm` on every connection `listener` accepts, until `shutdown`
/// resolves; then closes the connections (letting running handlers finish
/// for up to 5 s) and returns.
pub async fn serve<V: PluginVm>(
    vm: Arc<V>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) {
    serve_with(vm, listener, shutdown, ServerConfig::default()).await;
}

/// [`serve`] with explicit limits; also returns why it stopped.
pub async fn serve_with<V: PluginVm>(
    vm: Arc<V>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    config: ServerConfig,
) -> ExitReason {
    serve_shared(vm, listener, shutdown, Arc::new(Shared::new(config))).await
}

pub(crate) async fn serve_shared<V: PluginVm>(
    vm: Arc<V>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    shared: Arc<Shared>,
) -> ExitReason {
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut conns = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let reason = loop {
        tokio::select! {
            () = &mut shutdown => break ExitReason::Signal,
            Some(_) = conns.join_next(), if !conns.is_empty() => {
                if shared.config.exit_when_idle && conns.is_empty() {
                    break if shared.shutdown_answered.load(Ordering::SeqCst) {
                        ExitReason::Shutdown
                    } else {
                        ExitReason::ConnectionClosed
                    };
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    conns.spawn(conn::run(vm.clone(), stream, shared.clone(), stop_rx.clone()));
                }
                Err(e) => {
                    // Out of descriptors and the like: back off, keep serving.
                    warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    };
    let _ = stop_tx.send(true);
    let grace = shared.config.drain_timeout * 2 + Duration::from_secs(1);
    let joined =
        tokio::time::timeout(grace, async { while conns.join_next().await.is_some() {} }).await;
    if joined.is_err() {
        conns.abort_all();
    }
    reason
}
