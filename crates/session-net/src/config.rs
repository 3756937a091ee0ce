//! Node configuration, peer addresses and reconnect backoff.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use session_crypto::IdentityId;

use crate::error::{Error, Result};
use crate::frame::MAX_FRAME_LEN;

/// The default sessiond transport port.
pub const DEFAULT_PORT: u16 = 9651;

/// Limits and timers of a [`Node`](crate::Node). Every limit is per node
/// unless it says per peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where to listen (default `0.0.0.0:9651`; port 0 picks a free port).
    pub listen: SocketAddr,
    /// Peers to keep connected from the start (reconnected with backoff).
    pub bootstrap: Vec<PeerAddr>,
    /// Most authenticated peers at once, inbound and outbound together.
    pub max_peers: usize,
    /// Most inbound connections in their TLS handshake or identity binding at
    /// once; connections beyond it are closed unanswered (flood guard).
    pub max_pending_handshakes: usize,
    /// Per peer: most of our requests awaiting its response.
    pub max_inflight_requests: usize,
    /// Per peer: most of its messages being handled at once; further
    /// requests are rejected as busy, further one-way messages wait.
    pub max_inbound_handlers: usize,
    /// Per peer: most bytes queued for sending; `send` waits, `try_send` and
    /// `broadcast` skip the peer.
    pub max_queued_bytes: usize,
    /// Largest frame accepted (at most [`MAX_FRAME_LEN`]).
    pub max_frame_len: usize,
    /// TCP connect timeout when dialing.
    pub connect_timeout: Duration,
    /// Budget for the TLS handshake plus identity binding, both directions.
    /// Also bounds slow-loris connections.
    pub handshake_timeout: Duration,
    /// A link that receives nothing for this long is closed; a link whose
    /// writes stall this long is closed too.
    pub idle_timeout: Duration,
    /// How often a heartbeat is sent on every link.
    pub heartbeat_interval: Duration,
    /// How often every link's round-trip time is measured with a ping.
    pub ping_interval: Duration,
    /// First reconnect delay for persistent peers.
    pub reconnect_min: Duration,
    /// Longest reconnect delay.
    pub reconnect_max: Duration,
    /// Capacity of the [`subscribe`](crate::Node::subscribe) channel.
    pub subscription_capacity: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([0, 0, 0, 0], DEFAULT_PORT)),
            bootstrap: Vec::new(),
            max_peers: 128,
            max_pending_handshakes: 64,
            max_inflight_requests: 1024,
            max_inbound_handlers: 256,
            max_queued_bytes: 16 << 20,
            max_frame_len: MAX_FRAME_LEN,
            connect_timeout: Duration::from_secs(5),
            handshake_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            heartbeat_interval: Duration::from_secs(5),
            ping_interval: Duration::from_secs(10),
            reconnect_min: Duration::from_millis(250),
            reconnect_max: Duration::from_secs(30),
            subscription_capacity: 4096,
        }
    }
}

impl Config {
    /// The defaults, listening on `listen`.
    pub fn listening_on(listen: SocketAddr) -> Self {
        Config {
            listen,
            ..Config::default()
        }
    }

    /// Checks the settings are consistent.
    pub fn validate(&self) -> Result<()> {
        if self.max_peers == 0
            || self.max_pending_handshakes == 0
            || self.max_inflight_requests == 0
            || self.max_inbound_handlers == 0
            || self.subscription_capacity == 0
        {
            return Err(Error::Config("limits must be at least 1"));
        }
        if self.max_frame_len < 1024 || self.max_frame_len > MAX_FRAME_LEN {
            return Err(Error::Config("max_frame_len must be in 1 KiB ..= 1 MiB"));
        }
        if self.max_queued_bytes < crate::frame::LEN_PREFIX + self.max_frame_len {
            return Err(Error::Config(
                "max_queued_bytes must hold one maximal frame",
            ));
        }
        if u32::try_from(self.max_queued_bytes).is_err() {
            return Err(Error::Config("max_queued_bytes must fit in 32 bits"));
        }
        let timers = [
            self.connect_timeout,
            self.handshake_timeout,
            self.idle_timeout,
            self.heartbeat_interval,
            self.ping_interval,
            self.reconnect_min,
        ];
        if timers.iter().any(Duration::is_zero) {
            return Err(Error::Config("timeouts and intervals must be non-zero"));
        }
        if self.heartbeat_interval >= self.idle_timeout {
            return Err(Error::Config(
                "heartbeat_interval must be below idle_timeout",
            ));
        }
        if self.reconnect_max < self.reconnect_min {
            return Err(Error::Config(
                "reconnect_max must be at least reconnect_min",
            ));
        }
        Ok(())
    }
}

/// A peer to dial: its identity ID and address, written `07…@host:port`.
///
/// ```
/// use session_net::PeerAddr;
/// let text = format!("07{}@127.0.0.1:9651", "ab".repeat(32));
/// let p: PeerAddr = text.parse()?;
/// assert_eq!(p.addr, "127.0.0.1:9651");
/// assert_eq!(p.to_string(), text);
/// # Ok::<(), session_net::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PeerAddr {
    /// The identity the peer must prove.
    pub id: IdentityId,
    /// `host:port`, resolved at every dial.
    pub addr: String,
}

impl PeerAddr {
    /// A peer at a socket address.
    pub fn new(id: IdentityId, addr: SocketAddr) -> Self {
        PeerAddr {
            id,
            addr: addr.to_string(),
        }
    }
}

impl fmt::Display for PeerAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.id, self.addr)
    }
}

impl FromStr for PeerAddr {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let (id, addr) = s
            .split_once('@')
            .ok_or(Error::InvalidPeerAddr("expected <id>@<host:port>"))?;
        let id: IdentityId = id
            .parse()
            .map_err(|_| Error::InvalidPeerAddr("bad identity ID"))?;
        let (host, port) = addr
            .rsplit_once(':')
            .ok_or(Error::InvalidPeerAddr("missing port"))?;
        if host.is_empty() || host.len() > 253 || port.parse::<u16>().is_err() {
            return Err(Error::InvalidPeerAddr("bad host or port"));
        }
        Ok(PeerAddr {
            id,
            addr: addr.to_owned(),
        })
    }
}

/// Exponential backoff with equal jitter: the `n`-th delay is drawn from
/// `[d/2, d]` where `d = min(max, min · 2ⁿ)`. Sans-I/O: the caller supplies
/// the randomness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    min: Duration,
    max: Duration,
    attempt: u32,
}

impl Backoff {
    /// A backoff from `min` up to `max`.
    pub fn new(min: Duration, max: Duration) -> Self {
        Backoff {
            min,
            max: max.max(min),
            attempt: 0,
        }
    }

    /// Starts again from `min`.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// Failures since the last reset.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// The next delay, given a uniformly random `u64`.
    pub fn next_delay(&mut self, random: u64) -> Duration {
        let factor = 1u32 << self.attempt.min(20);
        let ceiling = self.min.saturating_mul(factor).min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        let half = ceiling / 2;
        let span = u64::try_from((ceiling - half).as_nanos()).unwrap_or(u64::MAX);
        let jitter = if span == 0 { 0 } else { random % (span + 1) };
        half + Duration::from_nanos(jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().unwrap();
        let c = Config::listening_on("127.0.0.1:0".parse().unwrap());
        assert_eq!(c.listen.port(), 0);
        c.validate().unwrap();
    }

    #[test]
    fn inconsistent_configs_are_refused() {
        let bad = [
            Config {
                max_peers: 0,
                ..Config::default()
            },
            Config {
                max_frame_len: MAX_FRAME_LEN + 1,
                ..Config::default()
            },
            Config {
                max_queued_bytes: 1000,
                ..Config::default()
            },
            Config {
                heartbeat_interval: Duration::from_secs(60),
                ..Config::default()
            },
            Config {
                idle_timeout: Duration::ZERO,
                ..Config::default()
            },
            Config {
                reconnect_max: Duration::from_millis(1),
                ..Config::default()
            },
        ];
        for c in bad {
            assert!(matches!(c.validate(), Err(Error::Config(_))), "{c:?}");
        }
    }

    #[test]
    fn peer_addr_parses() {
        let id = IdentityId([0xab; 32]);
        let p: PeerAddr = format!("{id}@node-1.example:9651").parse().unwrap();
        assert_eq!(p.id, id);
        assert_eq!(p.addr, "node-1.example:9651");
        let p6: PeerAddr = format!("{id}@[::1]:9651").parse().unwrap();
        assert_eq!(p6.addr, "[::1]:9651");
        for bad in [
            "no-at-sign".to_owned(),
            format!("{id}@host"),
            format!("{id}@:9651"),
            format!("{id}@host:99999"),
            format!("05{}@host:1", "ab".repeat(32)),
            "07zz@host:1".to_owned(),
        ] {
            assert!(bad.parse::<PeerAddr>().is_err(), "{bad}");
        }
        let sa: SocketAddr = "10.0.0.1:9651".parse().unwrap();
        assert_eq!(
            PeerAddr::new(id, sa).to_string(),
            format!("{id}@10.0.0.1:9651")
        );
    }

    #[test]
    fn backoff_grows_with_jitter_and_caps() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        let lows: Vec<Duration> = (0..6).map(|_| b.next_delay(0)).collect();
        assert_eq!(
            lows,
            [50, 100, 200, 400, 500, 500]
                .map(Duration::from_millis)
                .to_vec()
        );
        b.reset();
        let highs: Vec<Duration> = (0..6).map(|_| b.next_delay(u64::MAX)).collect();
        for (lo, hi) in lows.iter().zip(&highs) {
            assert!(hi >= lo && *hi <= *lo * 2, "{lo:?} {hi:?}");
        }
        assert!(highs.iter().all(|d| *d <= Duration::from_secs(1)));
        assert_eq!(b.attempts(), 6);
        // Thousands of failures never overflow.
        for i in 0..10_000u64 {
            assert!(b.next_delay(i.wrapping_mul(0x9e37_79b9_7f4a_7c15)) <= Duration::from_secs(1));
        }
    }
}
