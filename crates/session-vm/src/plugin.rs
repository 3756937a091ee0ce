//! Plugin mode: SessionVM driven by a Lux node over the ZAP protocol
//! (`specs/zap-plugin-protocol.md`, served by `session-zap`).
//!
//! The node's consensus decides blocks: [`PluginVm::build_block`] builds from
//! the mempool, other nodes' blocks are verified signature by signature, and an
//! accepted block is durable before the reply. The state machine is the same
//! [`Chain`]/[`Vm`] the standalone node uses, and
//! `CreateHandlers` serves the same JSON-RPC.
//!
//! State lives in `<ChainDataDir>/chain.redb`. The genesis bytes are JSON with
//! the seed's config names (empty or `{}` gives the defaults); the chain ID in
//! signed statements is the node's chain ID.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;
use session_core::Id;
use session_store::{RedbStore, Store};
use session_zap::wire::{
    Block, BlockVerifyRequest, BuildBlockRequest, Event, Handler, InitializeRequest,
    InitializeResponse, VmState,
};
use session_zap::{PluginVm, VmError, VmResult};
use tokio::sync::{Notify, oneshot};
use tracing::{info, warn};

use crate::block::SealedBlock;
use crate::chain::{Chain, ChainOptions, unix_now};
use crate::config::Config;
use crate::node::DB_FILE;
use crate::rpc::{Metrics, Service, http};
use crate::vm::{Genesis, Vm};

/// What `Version` reports.
pub const VERSION: &str = concat!("sessionvm/", env!("CARGO_PKG_VERSION"));

/// SessionVM as a ZAP plugin.
#[derive(Default)]
pub struct SessionVmPlugin {
    running: Mutex<Option<Running>>,
    ready: AtomicBool,
    closed: AtomicBool,
    /// Edge-triggered "build a block" latch (§5.5).
    latch: Latch,
}

struct Running {
    chain: Arc<Chain>,
    /// The last block this plugin built, while undecided.
    built: Option<Id>,
    handlers: Option<(Vec<Handler>, oneshot::Sender<()>)>,
}

impl std::fmt::Debug for SessionVmPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionVmPlugin")
            .field("ready", &self.ready)
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

/// A latch: raised by new work, consumed by one waiter.
#[derive(Debug, Default)]
struct Latch {
    raised: AtomicBool,
    notify: Notify,
}

impl Latch {
    fn raise(&self) {
        self.raised.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Waits until the latch is raised while `can_fire` holds, then lowers it.
    async fn consume(&self, can_fire: impl Fn() -> bool) {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if can_fire()
                && self
                    .raised
                    .compare_exchange(true, false, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
            {
                return;
            }
            notified.await;
        }
    }
}

fn failed(e: impl std::fmt::Display) -> VmError {
    VmError::failed(e)
}

/// Runs blocking chain work (execution, signature checks, fsync'd commits)
/// off the async workers, so other calls (Health, a pending WaitForEvent)
/// keep flowing.
async fn blocking<T: Send + 'static>(
    chain: Arc<Chain>,
    work: impl FnOnce(&Chain) -> crate::Result<T> + Send + 'static,
) -> VmResult<T> {
    tokio::task::spawn_blocking(move || work(&chain))
        .await
        .map_err(|_| failed("chain task failed"))?
        .map_err(failed)
}

fn id_of(bytes: [u8; 32]) -> Id {
    Id::new(bytes)
}

/// Block time (Unix seconds) as the node's Unix nanoseconds.
fn nanos(secs: u64) -> i64 {
    i64::try_from(secs)
        .unwrap_or(i64::MAX)
        .saturating_mul(1_000_000_000)
}

fn wire_block(b: &SealedBlock) -> Block {
    Block {
        id: *b.id.as_bytes(),
        parent_id: *b.block.parent.as_bytes(),
        bytes: b.bytes.to_vec(),
        height: b.block.height,
        timestamp: nanos(b.block.timestamp),
    }
}

/// Parses the genesis bytes: JSON with the seed's names; empty or `{}` = defaults.
pub fn genesis_config(bytes: &[u8]) -> crate::Result<Config> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Config::default());
    }
    Config::from_json(bytes)
}

impl SessionVmPlugin {
    /// A plugin waiting for `Initialize`.
    pub fn new() -> Self {
        Self::default()
    }

    fn chain(&self) -> VmResult<Arc<Chain>> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(VmError::Closed);
        }
        self.running
            .lock()
            .as_ref()
            .map(|r| r.chain.clone())
            .ok_or_else(|| VmError::failed("not initialized"))
    }

    /// Whether a `PendingTxs` event may fire now.
    fn can_build(&self) -> bool {
        if !self.ready.load(Ordering::SeqCst) || self.closed.load(Ordering::SeqCst) {
            return false;
        }
        let running = self.running.lock();
        running
            .as_ref()
            .is_some_and(|r| r.built.is_none() && r.chain.pending_count() > 0)
    }

    /// After a decision: raise the latch again if work is left.
    fn decided(&self, id: &Id) {
        let mut running = self.running.lock();
        if let Some(r) = running.as_mut() {
            if r.built == Some(*id) {
                r.built = None;
            }
            if r.chain.pending_count() > 0 {
                self.latch.raise();
            }
        }
    }

    fn open(&self, req: &InitializeRequest) -> crate::Result<Arc<Chain>> {
        let config = genesis_config(&req.genesis)?;
        let dir = std::path::Path::new(&req.chain_data_dir);
        std::fs::create_dir_all(dir)
            .map_err(|e| crate::Error::Config(format!("cannot create {}: {e}", dir.display())))?;
        let store: Arc<dyn Store> = Arc::new(RedbStore::open(dir.join(DB_FILE))?);
        let chain_id = (req.chain_id != [0; 32]).then(|| id_of(req.chain_id));
        let vm = Vm::open(store, &Genesis { config, chain_id })?;
        Ok(Arc::new(Chain::new(vm, ChainOptions::default())))
    }
}

impl PluginVm for SessionVmPlugin {
    async fn initialize(&self, req: InitializeRequest) -> VmResult<InitializeResponse> {
        if self.running.lock().is_some() {
            return Err(failed("already initialized"));
        }
        let chain = self.open(&req).map_err(failed)?;
        let last = chain.with_vm(|vm| vm.last_accepted_block().clone());
        info!(
            chain_id = %chain.reader().chain_id(),
            height = last.block.height,
            dir = %req.chain_data_dir,
            "chain opened"
        );
        let mut running = self.running.lock();
        if running.is_some() {
            return Err(failed("already initialized"));
        }
        *running = Some(Running {
            chain,
            built: None,
            handlers: None,
        });
        Ok(InitializeResponse {
            last_accepted_id: *last.id.as_bytes(),
            last_accepted_parent_id: *last.block.parent.as_bytes(),
            height: last.block.height,
            bytes: last.bytes.to_vec(),
            timestamp: nanos(last.block.timestamp),
            capabilities: 0,
        })
    }

    async fn set_state(&self, state: VmState) -> VmResult<()> {
        let ready = state == VmState::READY;
        self.ready.store(ready, Ordering::SeqCst);
        if ready {
            self.latch.raise();
        }
        Ok(())
    }

    async fn shutdown(&self) -> VmResult<()> {
        self.closed.store(true, Ordering::SeqCst);
        if let Some(r) = self.running.lock().take() {
            if let Some((_, stop)) = r.handlers {
                let _ = stop.send(());
            }
            r.chain.close();
        }
        // Wake any waiter so it sees the VM is closed.
        self.latch.raise();
        Ok(())
    }

    async fn create_handlers(&self) -> VmResult<Vec<Handler>> {
        let chain = self.chain()?;
        if let Some((handlers, _)) = self
            .running
            .lock()
            .as_ref()
            .and_then(|r| r.handlers.as_ref())
        {
            return Ok(handlers.clone());
        }
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(failed)?;
        let addr = listener.local_addr().map_err(failed)?;
        let router = http::router(
            Service::new(chain, Arc::new(Metrics::default())),
            http::DEFAULT_BODY_LIMIT,
        );
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            if let Err(e) = http::serve(listener, router, async move {
                let _ = stopped.await;
            })
            .await
            {
                warn!(error = %e, "JSON-RPC server stopped");
            }
        });
        let handlers = vec![Handler {
            prefix: "/rpc".into(),
            addr: addr.to_string(),
        }];
        info!(%addr, "JSON-RPC handler /rpc");
        let mut running = self.running.lock();
        let r = running.as_mut().ok_or(VmError::Closed)?;
        match &r.handlers {
            // Lost a race with a concurrent call: keep the first server.
            Some((first, _)) => Ok(first.clone()),
            None => {
                r.handlers = Some((handlers.clone(), stop));
                Ok(handlers)
            }
        }
    }

    async fn wait_for_event(&self) -> VmResult<Event> {
        let chain = self.chain()?;
        loop {
            tokio::select! {
                () = self.latch.consume(|| self.can_build() || self.closed.load(Ordering::SeqCst)) => {
                    if self.closed.load(Ordering::SeqCst) {
                        return Err(VmError::Closed);
                    }
                    return Ok(Event::PendingTxs);
                }
                () = chain.pending_signal() => self.latch.raise(),
            }
        }
    }

    async fn build_block(&self, _req: BuildBlockRequest) -> VmResult<Block> {
        let chain = self.chain()?;
        // Answer repeated calls with the undecided block already built (§5.3).
        let built = self.running.lock().as_ref().and_then(|r| r.built);
        if let Some(id) = built
            && let Some(b) = chain.with_vm(|vm| vm.processing(&id).cloned())
        {
            return Ok(wire_block(&b));
        }
        let block = blocking(chain, |c| c.build_block(unix_now()))
            .await?
            .ok_or_else(|| failed("nothing to build"))?;
        if let Some(r) = self.running.lock().as_mut() {
            r.built = Some(block.id);
        }
        Ok(wire_block(&block))
    }

    async fn parse_block(&self, bytes: Vec<u8>) -> VmResult<Block> {
        SealedBlock::parse(&bytes)
            .map(|b| wire_block(&b))
            .map_err(failed)
    }

    async fn get_block(&self, id: [u8; 32]) -> VmResult<Block> {
        let chain = self.chain()?;
        match chain.with_vm(|vm| vm.get_block(&id_of(id))) {
            Ok(Some(b)) => Ok(wire_block(&b)),
            Ok(None) => Err(VmError::NotFound),
            Err(e) => Err(failed(e)),
        }
    }

    async fn set_preference(&self, id: [u8; 32]) -> VmResult<()> {
        let chain = self.chain()?;
        chain
            .with_vm(|vm| vm.set_preference(id_of(id)))
            .map_err(failed)
    }

    async fn health(&self) -> VmResult<Vec<u8>> {
        let chain = self.chain()?;
        let body = serde_json::json!({
            "healthy": true,
            "height": chain.tip().height,
            "pending": chain.pending_count(),
        });
        Ok(body.to_string().into_bytes())
    }

    async fn version(&self) -> VmResult<String> {
        Ok(VERSION.to_owned())
    }

    async fn get_block_id_at_height(&self, height: u64) -> VmResult<[u8; 32]> {
        let chain = self.chain()?;
        match chain.with_vm(|vm| vm.block_id_at_height(height)) {
            Ok(Some(id)) => Ok(*id.as_bytes()),
            Ok(None) => Err(VmError::NotFound),
            Err(e) => Err(failed(e)),
        }
    }

    async fn block_verify(&self, req: BlockVerifyRequest) -> VmResult<()> {
        let chain = self.chain()?;
        blocking(chain, move |c| {
            c.verify_block(&req.bytes, unix_now()).map(|_| ())
        })
        .await
    }

    async fn block_accept(&self, id: [u8; 32]) -> VmResult<()> {
        let chain = self.chain()?;
        let id = id_of(id);
        blocking(chain, move |c| c.accept_block(&id)).await?;
        self.decided(&id);
        Ok(())
    }

    async fn block_reject(&self, id: [u8; 32]) -> VmResult<()> {
        let chain = self.chain()?;
        let id = id_of(id);
        blocking(chain, move |c| c.reject_block(&id).map(|_| ())).await?;
        self.decided(&id);
        Ok(())
    }
}

/// Runs SessionVM as a ZAP plugin for the node at `engine` until the node is
/// done with it (Shutdown and close, a closed connection, or SIGTERM).
/// An `Err` means the handshake failed: exit non-zero.
pub async fn run(engine: session_zap::EngineAddr) -> session_zap::Result<session_zap::ExitReason> {
    let vm = Arc::new(SessionVmPlugin::new());
    session_zap::run_plugin(
        vm,
        session_zap::PluginConfig::new(engine),
        session_zap::shutdown_signal(),
    )
    .await
}
