//! What the `sessiond` binary runs: key file, redb store, registry seeding,
//! the daemon and its client API, until shutdown.
//!
//! Registry seeding (first slice): on a fresh data directory the registry
//! gets this node plus every `*.pub` public key file in `registry_dir`, all
//! active, and the genesis beacon (epoch 1, randomness
//! `H("LUX:sessiond:genesis:v1")`). Every node of a network must be seeded
//! with the same set so they assign the same committees.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use session_core::hash;
use session_crypto::keyfile;
use session_crypto::{Identity, PublicKey, SecretKey};
use session_net::{CancellationToken, PeerAddr};
use session_store::RedbStore;
use tracing::info;

use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::registry::Registry;
use crate::service::{Daemon, DaemonConfig};

/// The transport's default address (`-listen`).
pub const DEFAULT_LISTEN: &str = ":9651";
/// The client API's default address (`-api`), loopback only.
pub const DEFAULT_API: &str = "127.0.0.1:9650";
/// The genesis beacon's randomness input.
pub const GENESIS_SEED: &[u8] = b"LUX:sessiond:genesis:v1";

/// The binary's settings.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// Transport address.
    pub listen: SocketAddr,
    /// Client API address.
    pub api: SocketAddr,
    /// Data directory (store, key file).
    pub data_dir: PathBuf,
    /// Most sessions at once.
    pub max_sessions: usize,
    /// Peers to keep connected (`<id>@<host:port>`).
    pub bootstrap: Vec<PeerAddr>,
    /// Directory of `*.pub` files seeding a fresh registry.
    pub registry_dir: Option<PathBuf>,
    /// Extra CA certificates (PEM files) `https://` oracle URLs may chain to,
    /// besides the `webpki-roots` set.
    pub oracle_ca: Vec<PathBuf>,
    /// How long an epoch lasts before this node signs the next beacon
    /// (`None`: never; it still follows beacons the others certify).
    pub epoch_length: Option<Duration>,
}

/// `-epoch-length`'s default.
pub const DEFAULT_EPOCH_LENGTH: &str = "1h";

/// Parses a duration: a whole number with a unit `ms`, `s`, `m`, `h` (e.g.
/// `90s`, `1h`); `0` or `off` means none.
pub fn parse_duration(text: &str) -> Result<Option<Duration>> {
    let text = text.trim();
    if text == "0" || text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let bad = || Error::InvalidInput("durations are a number with ms, s, m or h (e.g. 1h), or off");
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().map_err(|_| bad())?;
    let ms = match unit {
        "ms" => Some(n),
        "s" => n.checked_mul(1_000),
        "m" => n.checked_mul(60_000),
        "h" => n.checked_mul(3_600_000),
        _ => None,
    }
    .ok_or_else(bad)?;
    if ms == 0 {
        return Ok(None);
    }
    Ok(Some(Duration::from_millis(ms)))
}

/// Parses `host:port`, or `:port` for every interface.
pub fn parse_addr(text: &str) -> Result<SocketAddr> {
    let full = if text.starts_with(':') {
        format!("0.0.0.0{text}")
    } else {
        text.to_owned()
    };
    full.parse()
        .map_err(|_| Error::InvalidInput("address must be host:port or :port"))
}

/// Parses the comma-separated `-bootstrap` list.
pub fn parse_bootstrap(text: &str) -> Result<Vec<PeerAddr>> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| Error::InvalidInput("bootstrap peers are <node-id>@<host:port>"))
        })
        .collect()
}

/// Rewrites Go-style `-flag` arguments to `--flag` so both spellings work.
/// Single-letter flags (`-h`, `-V`) and values are left alone.
pub fn normalize_args(args: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut after_double_dash = false;
    for arg in args {
        if arg == "--" {
            after_double_dash = true;
        }
        let rewrite = !after_double_dash
            && arg.len() > 2
            && arg.starts_with('-')
            && !arg.starts_with("--")
            && arg.as_bytes()[1].is_ascii_alphabetic();
        out.push(if rewrite { format!("-{arg}") } else { arg });
    }
    out
}

/// Loads `<data_dir>/node.key`, creating it (and `node.pub`) on first start.
pub fn load_or_create_identity(data_dir: &Path) -> Result<Identity> {
    let key_path = data_dir.join("node.key");
    let io = |e: session_crypto::Error| Error::Network(format!("node key: {e}"));
    if !key_path.exists() {
        let identity = Identity::generate();
        keyfile::write_key_file(&key_path, &SecretKey::Pq(identity), None).map_err(io)?;
    }
    match keyfile::load_key_file(&key_path, None).map_err(io)? {
        SecretKey::Pq(identity) => {
            let pub_path = data_dir.join("node.pub");
            keyfile::write_public_file(&pub_path, &PublicKey::Pq(identity.public().clone()))
                .map_err(io)?;
            Ok(identity)
        }
        SecretKey::Legacy(_) => Err(Error::InvalidInput("the node key must be post-quantum")),
    }
}

/// The registry a fresh data directory starts with.
pub fn seed_registry(identity: &Identity, registry_dir: Option<&Path>) -> Result<Registry> {
    let mut keys = vec![identity.public().clone()];
    if let Some(dir) = registry_dir {
        let entries = std::fs::read_dir(dir)
            .map_err(|_| Error::InvalidInput("cannot read the registry directory"))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pub"))
            .collect();
        paths.sort();
        for p in paths
            .into_iter()
            .take(session_core::MAX_COMMITTEE_SIZE * 16)
        {
            match keyfile::read_public_file(&p) {
                Ok(PublicKey::Pq(k)) => keys.push(k),
                _ => {
                    return Err(Error::InvalidInput(
                        "a registry file is not a PQ public key",
                    ));
                }
            }
        }
    }
    Registry::genesis(keys, hash(GENESIS_SEED))
}

/// Runs the node until `shutdown` is cancelled.
pub async fn run(config: NodeConfig, shutdown: CancellationToken) -> Result<()> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|_| Error::InvalidInput("cannot create the data directory"))?;
    let identity = load_or_create_identity(&config.data_dir)?;
    let registry = seed_registry(&identity, config.registry_dir.as_deref())?;
    let store = RedbStore::open(config.data_dir.join("sessiond.redb"))?;
    let mut daemon_config = DaemonConfig::listening_on(config.listen);
    daemon_config.max_sessions = config.max_sessions;
    daemon_config.net.bootstrap = config.bootstrap.clone();
    daemon_config.epoch_length = config.epoch_length;
    daemon_config.http = HttpClient::with_ca_files(&config.oracle_ca)
        .map_err(|e| Error::Config(format!("-oracle-ca: {e}")))?;
    let daemon = Daemon::start(
        identity,
        Arc::new(store),
        registry,
        daemon_config,
        shutdown.clone(),
    )
    .await?;
    let listener = tokio::net::TcpListener::bind(config.api)
        .await
        .map_err(|e| Error::Network(format!("cannot listen on {}: {e}", config.api)))?;
    info!(node_id = %daemon.id(), api = %config.api, "client API listening");
    let stop = shutdown.clone();
    crate::api::serve(
        listener,
        daemon.clone(),
        async move { stop.cancelled().await },
    )
    .await
    .map_err(|e| Error::Network(e.to_string()))?;
    daemon.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_addresses() {
        let args = [
            "sessiond",
            "-listen",
            ":1",
            "--data-dir",
            "d",
            "-V",
            "--",
            "-x",
        ];
        let out = normalize_args(args.iter().map(|s| s.to_string()));
        assert_eq!(
            out,
            [
                "sessiond",
                "--listen",
                ":1",
                "--data-dir",
                "d",
                "-V",
                "--",
                "-x"
            ]
        );
        assert_eq!(parse_addr(":9651").unwrap().port(), 9651);
        assert!(parse_addr("nope").is_err());
        assert!(parse_bootstrap("").unwrap().is_empty());
        assert!(parse_bootstrap("bad").is_err());
        assert_eq!(
            parse_duration("1h").unwrap(),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            parse_duration("90s").unwrap(),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_duration("5m").unwrap(),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            parse_duration("250ms").unwrap(),
            Some(Duration::from_millis(250))
        );
        assert_eq!(parse_duration("off").unwrap(), None);
        assert_eq!(parse_duration("0").unwrap(), None);
        for bad in ["", "h", "1", "1d", "-1s", "1.5h", "99999999999999999h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
