//! The node: a listener, the peer set, dialing and reconnecting, and the
//! public API over links.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use session_crypto::{Identity, IdentityId, PublicIdentity};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::{CancellationToken, DropGuard};
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use crate::config::{Backoff, Config, PeerAddr};
use crate::error::{Error, Result};
use crate::link::{self, Link, LinkIo, LinkLimits, LinkTimers, PeerInfo};
use crate::message::{Envelope, Kind, Message, MessageType};
use crate::router::{Handler, Inbound, NodeStats, Router, Subscription, bump};
use crate::tls::TlsContext;
use crate::transport::{self, Established};

/// A sessiond network node: accepts and dials authenticated links, keeps the
/// peer set, and routes messages. Cloning gives another handle to the same
/// node; when the last handle is dropped the node shuts down (call
/// [`Node::shutdown`] to also wait for its tasks).
#[derive(Clone)]
pub struct Node {
    inner: Arc<Inner>,
    _guard: Arc<DropGuard>,
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("id", &self.inner.id)
            .field("local_addr", &self.inner.local_addr)
            .finish_non_exhaustive()
    }
}

struct Inner {
    identity: Identity,
    id: IdentityId,
    config: Config,
    tls: TlsContext,
    local_addr: SocketAddr,
    peers: Mutex<HashMap<IdentityId, Arc<Link>>>,
    dialing: Mutex<HashSet<IdentityId>>,
    persistent: Mutex<HashMap<IdentityId, CancellationToken>>,
    router: Router,
    handshake_slots: Arc<Semaphore>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
    changed: Notify,
}

/// What registering a new link did.
enum Registered {
    /// The new link is now the peer's link.
    New(Arc<Link>),
    /// An existing link to the same peer won; the new one was dropped.
    Existing(Arc<Link>),
}

impl Node {
    /// Binds `config.listen` and starts accepting; dials `config.bootstrap`.
    pub async fn bind(identity: Identity, config: Config) -> Result<Node> {
        Self::bind_with_shutdown(identity, config, CancellationToken::new()).await
    }

    /// Like [`bind`](Self::bind), also shutting down when `shutdown` is
    /// cancelled (for a daemon's `run(config, shutdown)`). Dropping or shutting
    /// down the node does not cancel `shutdown`.
    pub async fn bind_with_shutdown(
        identity: Identity,
        config: Config,
        shutdown: CancellationToken,
    ) -> Result<Node> {
        config.validate()?;
        // A child: cancelling the caller's token stops the node, while
        // dropping the node stops only the node.
        let shutdown = shutdown.child_token();
        let tls = TlsContext::generate()?;
        let listener = TcpListener::bind(config.listen).await?;
        let local_addr = listener.local_addr()?;
        let inner = Arc::new(Inner {
            id: identity.id(),
            identity,
            handshake_slots: Arc::new(Semaphore::new(config.max_pending_handshakes)),
            config,
            tls,
            local_addr,
            peers: Mutex::new(HashMap::new()),
            dialing: Mutex::new(HashSet::new()),
            persistent: Mutex::new(HashMap::new()),
            router: Router::default(),
            shutdown: shutdown.clone(),
            tracker: TaskTracker::new(),
            changed: Notify::new(),
        });
        info!(id = %inner.id, addr = %local_addr, "session-net node listening");
        inner.tracker.spawn(accept_loop(inner.clone(), listener));
        let node = Node {
            _guard: Arc::new(shutdown.drop_guard()),
            inner,
        };
        for peer in node.inner.config.bootstrap.clone() {
            node.add_peer(peer);
        }
        Ok(node)
    }

    /// This node's identity ID.
    pub fn id(&self) -> IdentityId {
        self.inner.id
    }

    /// This node's public identity.
    pub fn public_identity(&self) -> &PublicIdentity {
        self.inner.identity.public()
    }

    /// The address the listener is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.inner.local_addr
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Dials `addr`, which must prove identity `expected`. Returns at once if
    /// a link to `expected` is already up, and joins a dial already under way.
    pub async fn connect(&self, addr: SocketAddr, expected: IdentityId) -> Result<PeerInfo> {
        self.inner.connect(addr, expected).await.map(|l| l.info())
    }

    /// Keeps `peer` connected: dials it now and again whenever its link
    /// drops, with exponential backoff and jitter, until
    /// [`remove_peer`](Self::remove_peer) or shutdown. Returns `false` if the
    /// peer was already kept.
    pub fn add_peer(&self, peer: PeerAddr) -> bool {
        if peer.id == self.inner.id || self.inner.shutdown.is_cancelled() {
            return false;
        }
        let stop = self.inner.shutdown.child_token();
        {
            let mut kept = self.inner.persistent.lock();
            if kept.contains_key(&peer.id) {
                return false;
            }
            kept.insert(peer.id, stop.clone());
        }
        self.inner
            .tracker
            .spawn(maintain(self.inner.clone(), peer, stop));
        true
    }

    /// Stops reconnecting to `id` (an open link stays up). Returns whether
    /// the peer was kept.
    pub fn remove_peer(&self, id: &IdentityId) -> bool {
        match self.inner.persistent.lock().remove(id) {
            Some(stop) => {
                stop.cancel();
                true
            }
            None => false,
        }
    }

    /// Closes the link to `id`, if any. (A kept peer is redialed.)
    pub fn disconnect(&self, id: &IdentityId) -> bool {
        match self.inner.live(id) {
            Some(link) => {
                link.shut();
                true
            }
            None => false,
        }
    }

    /// Sends a request and waits up to `timeout` for the response. A
    /// [`Message::Reject`] answer comes back as [`Error::Rejected`].
    pub async fn request(
        &self,
        peer: &IdentityId,
        message: Message,
        timeout: Duration,
    ) -> Result<Message> {
        check_sendable(&message)?;
        self.inner.link(peer)?.request(message, timeout).await
    }

    /// Sends a one-way message, waiting while the peer's send queue is full.
    pub async fn send(&self, peer: &IdentityId, message: Message) -> Result<()> {
        check_sendable(&message)?;
        let frame = Envelope::new(Kind::OneWay, message).encode()?;
        self.inner.link(peer)?.queue(frame).await
    }

    /// Sends a one-way message if the peer's send queue has room now
    /// ([`Error::QueueFull`] otherwise).
    pub fn try_send(&self, peer: &IdentityId, message: Message) -> Result<()> {
        check_sendable(&message)?;
        let frame = Envelope::new(Kind::OneWay, message).encode()?;
        self.inner.link(peer)?.try_queue(frame)
    }

    /// Sends a one-way message to every connected peer whose send queue has
    /// room; returns how many it was queued for. The message is encoded once.
    pub fn broadcast(&self, message: Message) -> Result<usize> {
        check_sendable(&message)?;
        let frame = Envelope::new(Kind::OneWay, message).encode()?;
        let links: Vec<Arc<Link>> = self.inner.peers.lock().values().cloned().collect();
        Ok(links
            .iter()
            .filter(|l| l.try_queue(frame.clone()).is_ok())
            .count())
    }

    /// Measures the round trip to `peer` now (also done every
    /// `ping_interval`); the result shows in [`PeerInfo::rtt`].
    pub async fn ping(&self, peer: &IdentityId, timeout: Duration) -> Result<Duration> {
        self.inner.link(peer)?.ping(timeout).await
    }

    /// Routes inbound messages of type `ty` to `handler`, replacing any
    /// previous one. Handlers run as their own tasks, at most
    /// `max_inbound_handlers` at once per peer; a request's handler answers
    /// through [`Inbound::respond`]. Built-in types (handshake, heartbeat,
    /// ping, pong, reject) cannot be handled.
    pub fn set_handler<F, Fut>(&self, ty: MessageType, handler: F) -> Result<()>
    where
        F: Fn(Inbound) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        if matches!(
            ty,
            MessageType::Handshake
                | MessageType::Heartbeat
                | MessageType::Ping
                | MessageType::Pong
                | MessageType::Reject
        ) {
            return Err(Error::Config("built-in message types have fixed handling"));
        }
        let h: Handler = Arc::new(move |inbound| Box::pin(handler(inbound)));
        self.inner.router.set_handler(ty, h);
        Ok(())
    }

    /// Removes the handler for `ty`; returns whether there was one.
    pub fn remove_handler(&self, ty: MessageType) -> bool {
        self.inner.router.remove_handler(ty)
    }

    /// Delivers every inbound message that no handler takes to the returned
    /// subscription, in arrival order per peer (replacing any earlier
    /// subscription). A full subscription holds up the sending peer's link.
    /// Without a subscription such requests are rejected as unhandled and
    /// one-way messages dropped.
    pub fn subscribe(&self) -> Subscription {
        self.inner
            .router
            .subscribe(self.inner.config.subscription_capacity)
    }

    /// Connected peers, by ID.
    pub fn peers(&self) -> Vec<PeerInfo> {
        let mut out: Vec<PeerInfo> = self
            .inner
            .peers
            .lock()
            .values()
            .filter(|l| !l.closed.is_cancelled())
            .map(|l| l.info())
            .collect();
        out.sort_by_key(|p| p.id);
        out
    }

    /// One connected peer.
    pub fn peer(&self, id: &IdentityId) -> Option<PeerInfo> {
        self.inner.live(id).map(|l| l.info())
    }

    /// Waits until `id` is connected (by either side's dial).
    pub async fn wait_for_peer(&self, id: &IdentityId, timeout: Duration) -> Result<PeerInfo> {
        self.inner
            .wait_for(id, timeout, false)
            .await
            .map(|l| l.info())
    }

    /// The node's counters.
    pub fn stats(&self) -> NodeStats {
        self.inner.router.counters.snapshot()
    }

    /// The token that shuts the node down when cancelled.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.inner.shutdown.clone()
    }

    /// Whether shutdown has begun.
    pub fn is_shut_down(&self) -> bool {
        self.inner.shutdown.is_cancelled()
    }

    /// Stops listening, closes every link (with TLS `close_notify`), stops
    /// reconnecting, fails waiting requests with [`Error::Disconnected`], and
    /// waits for the node's tasks to end.
    pub async fn shutdown(&self) {
        self.inner.shutdown.cancel();
        self.inner.router.close_subscription();
        self.inner.tracker.close();
        self.inner.tracker.wait().await;
    }
}

fn check_sendable(message: &Message) -> Result<()> {
    match message {
        Message::Handshake(_) => Err(Error::Protocol("handshakes are sent by the transport")),
        Message::Reject(_) => Err(Error::Protocol("rejections are responses")),
        _ => Ok(()),
    }
}

impl Inner {
    fn live(&self, id: &IdentityId) -> Option<Arc<Link>> {
        self.peers
            .lock()
            .get(id)
            .filter(|l| !l.closed.is_cancelled())
            .cloned()
    }

    fn link(&self, id: &IdentityId) -> Result<Arc<Link>> {
        if self.shutdown.is_cancelled() {
            return Err(Error::Shutdown);
        }
        self.live(id).ok_or(Error::NotConnected(*id))
    }

    fn limits(&self) -> LinkLimits {
        LinkLimits {
            max_queued_bytes: self.config.max_queued_bytes,
            max_inflight: self.config.max_inflight_requests,
            max_handlers: self.config.max_inbound_handlers,
            max_frame_len: self.config.max_frame_len,
        }
    }

    fn timers(&self) -> LinkTimers {
        LinkTimers {
            idle_timeout: self.config.idle_timeout,
            heartbeat_interval: self.config.heartbeat_interval,
            ping_interval: self.config.ping_interval,
            max_frame_len: self.config.max_frame_len,
        }
    }

    /// Waits for a live link to `id`. With `while_dialing`, gives up as soon
    /// as no dial to `id` is under way.
    async fn wait_for(
        &self,
        id: &IdentityId,
        timeout: Duration,
        while_dialing: bool,
    ) -> Result<Arc<Link>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.shutdown.is_cancelled() {
                return Err(Error::Shutdown);
            }
            if let Some(link) = self.live(id) {
                return Ok(link);
            }
            if while_dialing && !self.dialing.lock().contains(id) {
                return Err(Error::NotConnected(*id));
            }
            tokio::select! {
                _ = self.shutdown.cancelled() => return Err(Error::Shutdown),
                r = tokio::time::timeout_at(deadline, notified) => {
                    if r.is_err() {
                        return Err(Error::Timeout);
                    }
                }
            }
        }
    }

    async fn connect(
        self: &Arc<Self>,
        addr: SocketAddr,
        expected: IdentityId,
    ) -> Result<Arc<Link>> {
        if self.shutdown.is_cancelled() {
            return Err(Error::Shutdown);
        }
        if expected == self.id {
            return Err(Error::SelfConnection);
        }
        if let Some(link) = self.live(&expected) {
            return Ok(link);
        }
        let first = self.dialing.lock().insert(expected);
        if !first {
            let budget = self.config.connect_timeout + self.config.handshake_timeout;
            return self.wait_for(&expected, budget, true).await;
        }
        let _dialing = DialGuard {
            inner: self,
            id: expected,
        };
        if self.peers.lock().len() >= self.config.max_peers {
            return Err(Error::TooManyPeers);
        }
        let dial = transport::dial(
            &self.tls,
            &self.identity,
            addr,
            expected,
            self.config.connect_timeout,
            self.config.handshake_timeout,
        );
        let result = tokio::select! {
            _ = self.shutdown.cancelled() => return Err(Error::Shutdown),
            r = dial => r,
        };
        match result {
            Ok(est) => match self.register(est)? {
                Registered::New(link) | Registered::Existing(link) => Ok(link),
            },
            Err(e) => {
                self.count_handshake_error(&e);
                Err(e)
            }
        }
    }

    fn count_handshake_error(&self, e: &Error) {
        let c = &self.router.counters;
        match e {
            Error::HandshakeTimeout => bump(&c.handshake_timeouts),
            Error::ConnectTimeout => {}
            Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {}
            _ => bump(&c.handshake_failures),
        }
    }

    /// Adds an authenticated link to the peer set and starts its tasks. If a
    /// live link to the same peer exists, both ends keep the same one: the
    /// link dialed by the lower ID, or, if both were dialed by the same side
    /// (a redial after a restart), the newer.
    fn register(self: &Arc<Self>, est: Established) -> Result<Registered> {
        if self.shutdown.is_cancelled() {
            return Err(Error::Shutdown);
        }
        let (link, io) = Link::new(self.id, est, self.limits(), &self.shutdown);
        {
            let mut peers = self.peers.lock();
            match peers.get(&link.id) {
                Some(existing) if !existing.closed.is_cancelled() => {
                    let lower = self.id.min(link.id);
                    let replace = existing.dialer == link.dialer || link.dialer == lower;
                    if !replace {
                        debug!(peer = %link.id, "duplicate link dropped");
                        return Ok(Registered::Existing(existing.clone()));
                    }
                    debug!(peer = %link.id, "duplicate link replaces the older one");
                    existing.shut();
                }
                _ => {
                    let live = peers.values().filter(|l| !l.closed.is_cancelled()).count();
                    if live >= self.config.max_peers {
                        bump(&self.router.counters.refused);
                        return Err(Error::TooManyPeers);
                    }
                }
            }
            peers.insert(link.id, link.clone());
        }
        bump(&self.router.counters.links_opened);
        debug!(peer = %link.id, addr = %link.remote, "link up");
        self.changed.notify_waiters();
        self.tracker.spawn(run_link(self.clone(), link.clone(), io));
        Ok(Registered::New(link))
    }

    fn remove(&self, link: &Arc<Link>) {
        {
            let mut peers = self.peers.lock();
            if peers.get(&link.id).is_some_and(|l| Arc::ptr_eq(l, link)) {
                peers.remove(&link.id);
            }
        }
        self.changed.notify_waiters();
    }
}

struct DialGuard<'a> {
    inner: &'a Inner,
    id: IdentityId,
}

impl Drop for DialGuard<'_> {
    fn drop(&mut self) {
        self.inner.dialing.lock().remove(&self.id);
        self.inner.changed.notify_waiters();
    }
}

async fn accept_loop(inner: Arc<Inner>, listener: TcpListener) {
    loop {
        let accepted = tokio::select! {
            _ = inner.shutdown.cancelled() => return,
            r = listener.accept() => r,
        };
        let (tcp, remote) = match accepted {
            Ok(x) => x,
            Err(e) => {
                // Out of descriptors and the like: back off briefly.
                warn!(error = %e, "accept failed");
                tokio::select! {
                    _ = inner.shutdown.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_millis(50)) => continue,
                }
            }
        };
        bump(&inner.router.counters.accepted);
        let live = inner.peers.lock().len();
        let slot = if live < inner.config.max_peers {
            inner.handshake_slots.clone().try_acquire_owned().ok()
        } else {
            None
        };
        let Some(slot) = slot else {
            bump(&inner.router.counters.refused);
            debug!(%remote, "connection refused: limits reached");
            drop(tcp);
            continue;
        };
        inner
            .tracker
            .spawn(handle_inbound(inner.clone(), tcp, slot));
    }
}

async fn handle_inbound(inner: Arc<Inner>, tcp: TcpStream, slot: OwnedSemaphorePermit) {
    let accept = transport::accept(&inner.tls, &inner.identity, tcp);
    let result = tokio::select! {
        _ = inner.shutdown.cancelled() => return,
        r = tokio::time::timeout(inner.config.handshake_timeout, accept) => r,
    };
    drop(slot);
    match result {
        Err(_) => bump(&inner.router.counters.handshake_timeouts),
        Ok(Err(e)) => {
            debug!(error = %e, "inbound handshake failed");
            bump(&inner.router.counters.handshake_failures);
        }
        Ok(Ok(est)) => {
            if let Err(e) = inner.register(est) {
                debug!(error = %e, "inbound link not registered");
            }
        }
    }
}

fn is_protocol_error(e: &Error) -> bool {
    match e {
        Error::FrameTooLarge { .. }
        | Error::FrameTooShort(_)
        | Error::UnsupportedVersion(_)
        | Error::UnknownMessageType(_)
        | Error::MalformedHeader(_)
        | Error::BufferFull
        | Error::Protocol(_)
        | Error::Codec(_)
        | Error::MessageTooLarge { .. } => true,
        Error::Io(io) => io.kind() == std::io::ErrorKind::InvalidData,
        _ => false,
    }
}

async fn run_link(inner: Arc<Inner>, link: Arc<Link>, io: LinkIo) {
    let LinkIo {
        mut reader,
        mut writer,
        decoder,
        mut rx,
    } = io;
    let timers = inner.timers();
    let writer_task = {
        let link = link.clone();
        let stall = timers.idle_timeout;
        tokio::spawn(async move {
            let r = link::write_loop(&link, &mut writer, &mut rx, stall).await;
            link.closed.cancel();
            r
        })
    };
    let keepalive = tokio::spawn(link::keepalive(link.clone(), timers));
    let read = link::read_loop(&link, &mut reader, decoder, timers, &inner.router).await;
    link.shut();
    if let Err(e) = &read {
        if is_protocol_error(e) {
            bump(&inner.router.counters.protocol_errors);
            warn!(peer = %link.id, error = %e, "link closed: protocol violation");
        } else {
            debug!(peer = %link.id, error = %e, "link closed");
        }
    }
    if let Ok(Err(e)) = writer_task.await {
        debug!(peer = %link.id, error = %e, "link writer ended");
    }
    let _ = keepalive.await;
    inner.remove(&link);
    bump(&inner.router.counters.links_closed);
    debug!(peer = %link.id, "link down");
}

/// Keeps one peer connected until `stop`.
async fn maintain(inner: Arc<Inner>, peer: PeerAddr, stop: CancellationToken) {
    let mut backoff = Backoff::new(inner.config.reconnect_min, inner.config.reconnect_max);
    let stable = inner.config.reconnect_max.min(Duration::from_secs(10));
    loop {
        if stop.is_cancelled() {
            return;
        }
        if let Some(link) = inner.live(&peer.id) {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = link.closed.cancelled() => {}
            }
            if link.since.elapsed() >= stable {
                backoff.reset();
            }
        } else {
            let started = Instant::now();
            match dial_addr(&inner, &peer).await {
                Ok(_) => continue,
                Err(e) => {
                    debug!(peer = %peer, error = %e, elapsed = ?started.elapsed(), "redial failed")
                }
            }
        }
        let delay = backoff.next_delay(u64::from_be_bytes(crate::random_array()));
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(delay) => {}
        }
    }
}

async fn dial_addr(inner: &Arc<Inner>, peer: &PeerAddr) -> Result<Arc<Link>> {
    let resolve = tokio::net::lookup_host(peer.addr.as_str());
    let addr = tokio::time::timeout(inner.config.connect_timeout, resolve)
        .await
        .map_err(|_| Error::ConnectTimeout)??
        .next()
        .ok_or(Error::InvalidPeerAddr("host resolves to no address"))?;
    inner.connect(addr, peer.id).await
}
