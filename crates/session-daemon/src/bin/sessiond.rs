//! `sessiond`: runs private multi-step sessions on committees of service
//! nodes. Flags may be written `-flag` (as the reference) or `--flag`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use session_daemon::node::{self, NodeConfig};
use session_net::CancellationToken;

/// sessiond: committees running private sessions with oracle I/O.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None, disable_version_flag = true)]
struct Cli {
    /// Transport listen address: host:port, or :port for all interfaces.
    #[arg(long, default_value = node::DEFAULT_LISTEN)]
    listen: String,
    /// Client API address (HTTP+JSON; keep it on loopback).
    #[arg(long, default_value = node::DEFAULT_API)]
    api: String,
    /// Persistent data directory (store, node key).
    #[arg(long, default_value = "")]
    data_dir: String,
    /// Most sessions running at once.
    #[arg(long, default_value_t = 100)]
    max_sessions: usize,
    /// Comma-separated bootstrap peers, each NODE_ID@HOST:PORT.
    #[arg(long, default_value = "")]
    bootstrap: String,
    /// Directory of *.pub node keys seeding a fresh registry.
    #[arg(long)]
    registry_dir: Option<PathBuf>,
    /// Extra CA certificates (PEM file) trusted for https:// oracle URLs,
    /// besides the built-in Mozilla roots; repeatable or comma-separated.
    #[arg(long, value_delimiter = ',')]
    oracle_ca: Vec<PathBuf>,
    /// How long an epoch lasts before this node signs the next beacon
    /// (e.g. 1h, 30m, 90s; 0 or off: never sign, only follow).
    #[arg(long, default_value = node::DEFAULT_EPOCH_LENGTH)]
    epoch_length: String,
    /// Log filter (or RUST_LOG), e.g. info, debug, session_daemon=trace.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    log: String,
    /// Print the version and exit.
    #[arg(long)]
    version: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse_from(node::normalize_args(std::env::args()));
    if cli.version {
        println!("sessiond {}", env!("CARGO_PKG_VERSION"));
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&cli.log).context("--log")?)
        .with_writer(std::io::stderr)
        .init();
    let data_dir = if cli.data_dir.is_empty() {
        dirs::home_dir()
            .context("no home directory; pass -data-dir")?
            .join(".sessiond")
    } else {
        PathBuf::from(&cli.data_dir)
    };
    let config = NodeConfig {
        listen: node::parse_addr(&cli.listen).context("-listen")?,
        api: node::parse_addr(&cli.api).context("-api")?,
        data_dir,
        max_sessions: cli.max_sessions,
        bootstrap: node::parse_bootstrap(&cli.bootstrap).context("-bootstrap")?,
        registry_dir: cli.registry_dir,
        oracle_ca: cli.oracle_ca,
        epoch_length: node::parse_duration(&cli.epoch_length).context("-epoch-length")?,
    };
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        stop.cancel();
    });
    node::run(config, shutdown).await?;
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
