//! Plugin mode (§1.2–§1.6): read the environment, bind the VM listener,
//! hand-shake with the node, serve until the node is done.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::error::Result;
use crate::handshake::plugin_handshake;
use crate::server::{ExitReason, PluginVm, ServerConfig, Shared, serve_shared};

/// Transport variable set by the ZAP factory.
pub const ENV_TRANSPORT: &str = "LUX_VM_TRANSPORT";
/// Transport variable set by one copy of the factory instead.
pub const ENV_TRANSPORT_ALT: &str = "VM_TRANSPORT";
/// Current name of the engine-address variable (read first).
pub const ENV_ENGINE_ADDR: &str = "VM_RUNTIME_ENGINE_ADDR";
/// Legacy name of the engine-address variable.
pub const ENV_ENGINE_ADDR_LEGACY: &str = "LUX_VM_RUNTIME_ENGINE_ADDR";

/// The node's handshake listener, `host:port` (from the environment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineAddr(pub String);

impl std::fmt::Display for EngineAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether to run as a ZAP plugin, and where the node listens (§1.2).
///
/// Returns the engine address from `VM_RUNTIME_ENGINE_ADDR`, else from
/// `LUX_VM_RUNTIME_ENGINE_ADDR` (empty values count as unset). With neither,
/// returns `None` (standalone mode), even if `LUX_VM_TRANSPORT` /
/// `VM_TRANSPORT` say `zap`: there is no node to talk to. `lookup` is
/// usually `|k| std::env::var(k).ok()`.
///
/// ```
/// use session_zap::{EngineAddr, plugin_mode_from_env};
/// let env = |k: &str| (k == "LUX_VM_RUNTIME_ENGINE_ADDR").then(|| "127.0.0.1:9".to_owned());
/// assert_eq!(plugin_mode_from_env(env), Some(EngineAddr("127.0.0.1:9".into())));
/// assert_eq!(plugin_mode_from_env(|_| None), None);
/// ```
pub fn plugin_mode_from_env(lookup: impl Fn(&str) -> Option<String>) -> Option<EngineAddr> {
    [ENV_ENGINE_ADDR, ENV_ENGINE_ADDR_LEGACY]
        .into_iter()
        .filter_map(&lookup)
        .map(|v| v.trim().to_owned())
        .find(|v| !v.is_empty())
        .map(EngineAddr)
}

/// Whether a transport variable asks for ZAP (for a warning when the
/// address is missing).
pub fn transport_is_zap(lookup: impl Fn(&str) -> Option<String>) -> bool {
    [ENV_TRANSPORT, ENV_TRANSPORT_ALT]
        .into_iter()
        .filter_map(lookup)
        .any(|v| v.trim().eq_ignore_ascii_case("zap"))
}

/// Settings for [`run_plugin`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PluginConfig {
    /// Where the node waits for the handshake.
    pub engine_addr: EngineAddr,
    /// Where the VM listens; `127.0.0.1:0` (the port is announced).
    pub bind: SocketAddr,
    /// Limit for the whole handshake (the node itself allows 5 s from spawn).
    pub handshake_timeout: Duration,
    /// Limit for the final [`PluginVm::shutdown`] call when the node never
    /// sent Shutdown (SIGKILL follows SIGTERM after 5 s).
    pub shutdown_timeout: Duration,
    /// Connection limits; `exit_when_idle` is forced on.
    pub server: ServerConfig,
}

impl PluginConfig {
    /// Defaults for `engine_addr`: bind `127.0.0.1:0`, 10 s handshake.
    pub fn new(engine_addr: EngineAddr) -> Self {
        Self {
            engine_addr,
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            handshake_timeout: Duration::from_secs(10),
            shutdown_timeout: Duration::from_secs(4),
            server: ServerConfig::default(),
        }
    }
}

/// Runs `vm` as a ZAP plugin.
///
/// Binds the VM listener, performs the handshake (an error if the node
/// closes without the ACK, answers anything but `0x01`, or the time runs
/// out: the binary should then exit non-zero), then serves every connection
/// until the last one closes or `shutdown` resolves. If the node never sent
/// Shutdown, [`PluginVm::shutdown`] is called once before returning, so the
/// store is flushed on every way out. The caller exits 0 on `Ok`.
pub async fn run_plugin<V: PluginVm>(
    vm: Arc<V>,
    config: PluginConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<ExitReason> {
    let listener = TcpListener::bind(config.bind).await?;
    let vm_addr = listener.local_addr()?;
    info!(%vm_addr, engine = %config.engine_addr, "ZAP plugin mode: handshaking");
    let mut shutdown = std::pin::pin!(shutdown);
    tokio::select! {
        r = plugin_handshake(&config.engine_addr.0, vm_addr, config.handshake_timeout) => r?,
        () = &mut shutdown => return Ok(ExitReason::Signal),
    }
    info!(%vm_addr, "handshake accepted; serving");
    let shared = Arc::new(Shared::new(config.server.exit_when_idle(true)));
    let reason = serve_shared(vm.clone(), listener, shutdown, shared.clone()).await;
    info!(?reason, "plugin stopping");
    if !shared.shutdown_called.load(Ordering::SeqCst) {
        match tokio::time::timeout(config.shutdown_timeout, vm.shutdown()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => warn!(error = %e, "VM shutdown failed"),
            Err(_) => warn!("VM shutdown timed out"),
        }
    }
    Ok(reason)
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C elsewhere): the usual `shutdown`
/// argument of [`run_plugin`].
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn engine_address_precedence() {
        let both = env(&[
            (ENV_ENGINE_ADDR, "127.0.0.1:1"),
            (ENV_ENGINE_ADDR_LEGACY, "127.0.0.1:2"),
        ]);
        assert_eq!(
            plugin_mode_from_env(&both),
            Some(EngineAddr("127.0.0.1:1".into()))
        );
        let legacy = env(&[(ENV_ENGINE_ADDR_LEGACY, "127.0.0.1:2")]);
        assert_eq!(
            plugin_mode_from_env(&legacy),
            Some(EngineAddr("127.0.0.1:2".into()))
        );
        let empty_current = env(&[
            (ENV_ENGINE_ADDR, ""),
            (ENV_ENGINE_ADDR_LEGACY, "127.0.0.1:2"),
        ]);
        assert_eq!(
            plugin_mode_from_env(&empty_current),
            Some(EngineAddr("127.0.0.1:2".into()))
        );
    }

    #[test]
    fn transport_alone_is_not_plugin_mode() {
        let zap = env(&[(ENV_TRANSPORT, "zap")]);
        assert!(transport_is_zap(&zap));
        assert_eq!(plugin_mode_from_env(&zap), None);
        assert!(transport_is_zap(env(&[(ENV_TRANSPORT_ALT, "zap")])));
        assert!(!transport_is_zap(env(&[(ENV_TRANSPORT, "grpc")])));
        assert!(!transport_is_zap(env(&[])));
    }
}
