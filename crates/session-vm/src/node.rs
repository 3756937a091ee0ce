//! The standalone node: one chain in a redb file under a data directory, a
//! block sealed as soon as transactions wait, and the JSON-RPC server.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use session_store::{RedbStore, Store};
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::chain::{Chain, ChainOptions, unix_now};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::rpc::{Metrics, Service, http};
use crate::vm::{Genesis, Vm};

/// Default listen address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9652";
/// File name of the chain database inside the data directory.
pub const DB_FILE: &str = "chain.redb";

/// Everything the standalone node needs.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// Where the chain lives.
    pub data_dir: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Chain parameters for a new chain (an existing chain keeps its own).
    pub chain: Config,
    /// Mempool size and call wait.
    pub options: ChainOptions,
    /// Largest request body.
    pub body_limit: usize,
}

/// Parses a listen address: `host:port`, or Go-style `:port` for all interfaces.
///
/// ```
/// use session_vm::node::parse_addr;
/// assert_eq!(parse_addr(":9652").unwrap().to_string(), "0.0.0.0:9652");
/// assert_eq!(parse_addr("127.0.0.1:1").unwrap().to_string(), "127.0.0.1:1");
/// assert!(parse_addr("nonsense").is_err());
/// ```
pub fn parse_addr(text: &str) -> Result<SocketAddr> {
    let full = match text.strip_prefix(':') {
        Some(port) => format!("0.0.0.0:{port}"),
        None => text.to_owned(),
    };
    full.parse()
        .map_err(|_| Error::Config(format!("listen address {text:?} is not host:port or :port")))
}

/// The default data directory: `<user data dir>/lux-session/sessionvm`.
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("lux-session")
        .join("sessionvm")
}

/// Opens (or creates) the chain stored under `data_dir`.
pub fn open_chain(
    data_dir: &std::path::Path,
    chain: &Config,
    options: ChainOptions,
) -> Result<Chain> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| Error::Config(format!("cannot create {}: {e}", data_dir.display())))?;
    let store: Arc<dyn Store> = Arc::new(RedbStore::open(data_dir.join(DB_FILE))?);
    let mut params = chain.clone();
    if params.genesis_time == 0 {
        params.genesis_time = unix_now();
    }
    let vm = Vm::open(
        store,
        &Genesis {
            config: params,
            chain_id: None,
        },
    )?;
    let without_time = |c: &Config| Config {
        genesis_time: 0,
        ..c.clone()
    };
    if without_time(vm.config()) != without_time(chain) {
        warn!(
            "this chain keeps the parameters it was created with; the given config differs and is ignored"
        );
    }
    Ok(Chain::new(vm, options))
}

/// Runs the node until `shutdown` resolves: serves HTTP on `listener` and seals
/// blocks. Pending transactions are sealed before it returns.
pub async fn run(
    config: NodeConfig,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let chain = Arc::new(open_chain(
        &config.data_dir,
        &config.chain,
        config.options.clone(),
    )?);
    let tip = chain.tip();
    let local = listener
        .local_addr()
        .map_err(|e| Error::Config(format!("listener: {e}")))?;
    info!(
        chain_id = %chain.reader().chain_id(),
        height = tip.height,
        data_dir = %config.data_dir.display(),
        "chain opened"
    );

    let sealer = tokio::spawn(seal_loop(chain.clone()));
    let service = Service::new(chain.clone(), Arc::new(Metrics::default()));
    let router = http::router(service, config.body_limit);
    info!(addr = %local, "listening: POST /rpc, GET /health, GET /metrics");
    let served = http::serve(listener, router, shutdown).await;

    info!("shutting down");
    sealer.abort();
    let last = chain.clone();
    tokio::task::spawn_blocking(move || last.seal_pending())
        .await
        .map_err(|_| Error::Closed)??;
    chain.close();
    served.map_err(|e| Error::Config(format!("http server: {e}")))?;
    info!(height = chain.tip().height, "stopped");
    Ok(())
}

/// Seals a block whenever transactions wait.
async fn seal_loop(chain: Arc<Chain>) {
    loop {
        chain.pending_signal().await;
        let c = chain.clone();
        match tokio::task::spawn_blocking(move || c.seal_pending()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => warn!(error = %e, "sealing failed"),
            Err(_) => return,
        }
    }
}

/// A node running on its own thread and runtime until stopped or dropped: for
/// tests, benchmarks and programs that embed a node.
///
/// ```no_run
/// let dir = std::env::temp_dir().join("sessionvm-doc");
/// let node = session_vm::node::Background::start(&dir, Default::default(), Default::default())?;
/// println!("JSON-RPC at {}", node.url());
/// node.stop()?;
/// # Ok::<(), session_vm::Error>(())
/// ```
#[derive(Debug)]
pub struct Background {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
}

impl Background {
    /// Opens the chain under `data_dir` and serves it on a free loopback port.
    pub fn start(data_dir: &std::path::Path, chain: Config, options: ChainOptions) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("runtime: {e}")))?;
        let listener = rt
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .map_err(|e| Error::Config(format!("listener: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Config(format!("listener: {e}")))?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let config = NodeConfig {
            data_dir: data_dir.to_path_buf(),
            addr,
            chain,
            options,
            body_limit: http::DEFAULT_BODY_LIMIT,
        };
        let thread = std::thread::spawn(move || {
            rt.block_on(run(config, listener, async move {
                let _ = stopped.await;
            }))
        });
        Ok(Self {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The HTTP address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The JSON-RPC URL.
    pub fn url(&self) -> String {
        format!("http://{}/rpc", self.addr)
    }

    /// Stops the node (pending transactions are sealed first) and reports how it ended.
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        match self.thread.take() {
            Some(t) => t.join().map_err(|_| Error::Closed)?,
            None => Ok(()),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}
