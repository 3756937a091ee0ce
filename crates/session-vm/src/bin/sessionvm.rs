//! `sessionvm`: the SessionVM node. Started by a Lux node with the ZAP plugin
//! environment (`VM_RUNTIME_ENGINE_ADDR`), it serves the node as a VM plugin;
//! otherwise it runs a standalone single-node chain with an embedded database.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use session_vm::node::{self, NodeConfig};
use session_vm::{ChainOptions, Config};

// Large replies (a page of messages is ~1 MB) would otherwise be mapped and
// unmapped by the system allocator on every request.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// SessionVM: post-quantum private messaging on a Lux chain.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    /// Where the chain is stored (created if missing).
    #[arg(long, env = "SESSIONVM_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Listen address: host:port, or :port for all interfaces.
    #[arg(long, env = "SESSIONVM_ADDR", default_value = node::DEFAULT_ADDR)]
    addr: String,
    /// Chain parameters for a new chain: a JSON file with the seed's names
    /// (sessionTTL, maxMessages, maxChannels, retentionDays, idPrefix, ...).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Mempool capacity (transactions).
    #[arg(long, default_value_t = session_vm::mempool::DEFAULT_MEMPOOL_SIZE)]
    mempool_size: usize,
    /// Participant keys kept prepared for signature checks (~40 KiB each):
    /// the most recent senders verify ~4x faster.
    #[arg(long, default_value_t = session_vm::key_cache::DEFAULT_KEY_CACHE_SIZE)]
    key_cache: usize,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = session_vm::rpc::http::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// How long a state-changing call waits for its block, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    accept_wait_ms: u64,
    /// Log filter (or RUST_LOG), e.g. info, debug, session_vm=trace.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    log: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if let Some(engine) = session_zap::plugin_mode_from_env(|k| std::env::var(k).ok()) {
        // The node starts plugins without arguments and may pass no RUST_LOG.
        let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into());
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::try_new(&filter).context("RUST_LOG")?)
            .with_writer(std::io::stderr)
            .init();
        let reason = session_vm::plugin::run(engine)
            .await
            .context("ZAP plugin mode")?;
        tracing::info!(?reason, "plugin stopped");
        return Ok(());
    }
    if session_zap::transport_is_zap(|k| std::env::var(k).ok()) {
        eprintln!(
            "warning: the ZAP transport is set but no engine address (VM_RUNTIME_ENGINE_ADDR); running standalone"
        );
    }
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&cli.log).context("--log")?)
        .with_writer(std::io::stderr)
        .init();

    let chain = match &cli.config {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Config::from_json(&bytes).with_context(|| format!("in {}", path.display()))?
        }
        None => Config::default(),
    };
    let addr = node::parse_addr(&cli.addr)?;
    let config = NodeConfig {
        data_dir: cli.data_dir.unwrap_or_else(node::default_data_dir),
        addr,
        chain,
        options: ChainOptions {
            mempool_size: cli.mempool_size,
            accept_wait: Duration::from_millis(cli.accept_wait_ms),
            key_cache_size: cli.key_cache,
        },
        body_limit: cli.body_limit,
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    node::run(config, listener, session_zap::shutdown_signal()).await?;
    Ok(())
}
