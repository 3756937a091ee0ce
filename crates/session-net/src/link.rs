//! One authenticated link's runtime: the send queue with its byte budget,
//! requests awaiting responses, and the reader, writer and keepalive tasks.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use parking_lot::Mutex;
use rustls::NamedGroup;
use session_crypto::{IdentityId, PublicIdentity};
use tokio::io::{AsyncReadExt, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};
use tokio_rustls::TlsStream;
use tokio_util::sync::CancellationToken;

use crate::binding::Role;
use crate::error::{Error, Result};
use crate::frame::{FrameDecoder, LEN_PREFIX};
use crate::message::{Envelope, Heartbeat, Kind, Message, Ping};
use crate::transport::READ_CHUNK;

/// Frames at least this long are written straight through instead of being
/// copied into the batch buffer.
const DIRECT_WRITE: usize = 16 * 1024;
/// Batch buffer target.
const BATCH: usize = 64 * 1024;

/// Whether we dialed the peer or it dialed us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// We dialed.
    Outbound,
    /// The peer dialed.
    Inbound,
}

/// A snapshot of one connected peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerInfo {
    /// The peer's identity ID.
    pub id: IdentityId,
    /// The peer's socket address.
    pub addr: SocketAddr,
    /// Who dialed.
    pub direction: Direction,
    /// The TLS key-exchange group negotiated (always `X25519MLKEM768`).
    pub kx_group: Option<NamedGroup>,
    /// The latest ping round trip, once measured.
    pub rtt: Option<Duration>,
    /// How long the link has been up.
    pub connected_for: Duration,
    /// Frame bytes received (length prefixes included).
    pub bytes_in: u64,
    /// Frame bytes sent.
    pub bytes_out: u64,
    /// Frames received.
    pub frames_in: u64,
    /// Frames sent.
    pub frames_out: u64,
    /// Our requests awaiting its response.
    pub requests_in_flight: usize,
}

/// A frame on its way out, holding its share of the byte budget.
pub(crate) struct Outgoing {
    bytes: Bytes,
    _permit: OwnedSemaphorePermit,
}

type Pending = oneshot::Sender<Result<Message>>;

/// One authenticated link.
pub(crate) struct Link {
    pub(crate) peer: PublicIdentity,
    pub(crate) id: IdentityId,
    pub(crate) remote: SocketAddr,
    pub(crate) role: Role,
    /// Who dialed this link (for duplicate resolution).
    pub(crate) dialer: IdentityId,
    pub(crate) kx_group: Option<NamedGroup>,
    pub(crate) since: Instant,
    /// Cancelled when the link goes down, for any reason.
    pub(crate) closed: CancellationToken,
    tx: mpsc::UnboundedSender<Outgoing>,
    budget: Arc<Semaphore>,
    pending: Mutex<HashMap<u64, Pending>>,
    max_inflight: usize,
    max_frame_wire: usize,
    next_request: AtomicU64,
    rtt_nanos: AtomicU64,
    pub(crate) handler_slots: Arc<Semaphore>,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    frames_in: AtomicU64,
    frames_out: AtomicU64,
}

/// The halves a link's tasks own.
pub(crate) struct LinkIo {
    pub(crate) reader: ReadHalf<TlsStream<TcpStream>>,
    pub(crate) writer: WriteHalf<TlsStream<TcpStream>>,
    pub(crate) decoder: FrameDecoder,
    pub(crate) rx: mpsc::UnboundedReceiver<Outgoing>,
}

/// Limits a link needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkLimits {
    pub(crate) max_queued_bytes: usize,
    pub(crate) max_inflight: usize,
    pub(crate) max_handlers: usize,
    pub(crate) max_frame_len: usize,
}

impl Link {
    pub(crate) fn new(
        me: IdentityId,
        est: crate::transport::Established,
        limits: LinkLimits,
        parent: &CancellationToken,
    ) -> (Arc<Link>, LinkIo) {
        let (tx, rx) = mpsc::unbounded_channel();
        let id = est.peer.id();
        let dialer = match est.role {
            Role::Dialer => me,
            Role::Listener => id,
        };
        let link = Arc::new(Link {
            id,
            peer: est.peer,
            remote: est.remote,
            role: est.role,
            dialer,
            kx_group: est.kx_group,
            since: Instant::now(),
            closed: parent.child_token(),
            tx,
            budget: Arc::new(Semaphore::new(limits.max_queued_bytes)),
            pending: Mutex::new(HashMap::new()),
            max_inflight: limits.max_inflight,
            max_frame_wire: LEN_PREFIX + limits.max_frame_len,
            next_request: AtomicU64::new(1),
            rtt_nanos: AtomicU64::new(0),
            handler_slots: Arc::new(Semaphore::new(limits.max_handlers)),
            bytes_in: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
            frames_in: AtomicU64::new(0),
            frames_out: AtomicU64::new(0),
        });
        let (reader, writer) = tokio::io::split(est.stream);
        (
            link,
            LinkIo {
                reader,
                writer,
                decoder: est.decoder,
                rx,
            },
        )
    }

    pub(crate) fn info(&self) -> PeerInfo {
        let rtt = self.rtt_nanos.load(Ordering::Relaxed);
        PeerInfo {
            id: self.id,
            addr: self.remote,
            direction: match self.role {
                Role::Dialer => Direction::Outbound,
                Role::Listener => Direction::Inbound,
            },
            kx_group: self.kx_group,
            rtt: (rtt != 0).then(|| Duration::from_nanos(rtt)),
            connected_for: self.since.elapsed(),
            bytes_in: self.bytes_in.load(Ordering::Relaxed),
            bytes_out: self.bytes_out.load(Ordering::Relaxed),
            frames_in: self.frames_in.load(Ordering::Relaxed),
            frames_out: self.frames_out.load(Ordering::Relaxed),
            requests_in_flight: self.pending.lock().len(),
        }
    }

    /// The budget a frame takes, if it may be sent at all.
    fn permits(&self, frame: &Bytes) -> Result<u32> {
        if frame.len() > self.max_frame_wire {
            return Err(Error::MessageTooLarge {
                len: frame.len().saturating_sub(LEN_PREFIX),
                max: self.max_frame_wire - LEN_PREFIX,
            });
        }
        // At most 4 + 1 MiB.
        u32::try_from(frame.len()).map_err(|_| Error::QueueFull)
    }

    /// Queues an encoded frame, waiting for budget.
    pub(crate) async fn queue(&self, frame: Bytes) -> Result<()> {
        let n = self.permits(&frame)?;
        let budget = self.budget.clone();
        let permit = tokio::select! {
            _ = self.closed.cancelled() => return Err(Error::Disconnected),
            p = budget.acquire_many_owned(n) => p.map_err(|_| Error::Disconnected)?,
        };
        self.push(frame, permit)
    }

    /// Queues an encoded frame if the budget allows it now.
    pub(crate) fn try_queue(&self, frame: Bytes) -> Result<()> {
        if self.closed.is_cancelled() {
            return Err(Error::Disconnected);
        }
        let n = self.permits(&frame)?;
        let permit = self
            .budget
            .clone()
            .try_acquire_many_owned(n)
            .map_err(|_| Error::QueueFull)?;
        self.push(frame, permit)
    }

    fn push(&self, bytes: Bytes, permit: OwnedSemaphorePermit) -> Result<()> {
        self.tx
            .send(Outgoing {
                bytes,
                _permit: permit,
            })
            .map_err(|_| Error::Disconnected)
    }

    /// Sends a request and waits for its response.
    pub(crate) async fn request(&self, msg: Message, timeout: Duration) -> Result<Message> {
        let id = self.next_request.fetch_add(1, Ordering::Relaxed);
        let frame = Envelope::new(Kind::Request(id), msg).encode()?;
        let (tx, rx) = oneshot::channel();
        {
            let mut pending = self.pending.lock();
            if pending.len() >= self.max_inflight {
                return Err(Error::TooManyRequests);
            }
            pending.insert(id, tx);
        }
        // `shut` cancels before it clears the map: an entry added after the
        // clear sees the cancellation here.
        if self.closed.is_cancelled() {
            self.pending.lock().remove(&id);
            return Err(Error::Disconnected);
        }
        // Whatever happens next, the entry goes away with this guard.
        let _guard = PendingGuard { link: self, id };
        let exchange = async {
            self.queue(frame).await?;
            match rx.await {
                Ok(Ok(Message::Reject(r))) => Err(Error::Rejected(r)),
                Ok(result) => result,
                Err(_) => Err(Error::Disconnected),
            }
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| Error::Timeout)?
    }

    /// Delivers a response; unknown IDs (late or unsolicited) are ignored.
    pub(crate) fn complete(&self, id: u64, msg: Message) -> bool {
        let entry = self.pending.lock().remove(&id);
        match entry {
            Some(tx) => {
                let _ = tx.send(Ok(msg));
                true
            }
            None => false,
        }
    }

    /// Measures one round trip with a ping.
    pub(crate) async fn ping(&self, timeout: Duration) -> Result<Duration> {
        let nonce = u64::from_be_bytes(crate::random_array());
        let start = Instant::now();
        match self.request(Message::Ping(Ping { nonce }), timeout).await? {
            Message::Pong(p) if p.nonce == nonce => {
                let rtt = start.elapsed();
                let nanos = u64::try_from(rtt.as_nanos()).unwrap_or(u64::MAX).max(1);
                self.rtt_nanos.store(nanos, Ordering::Relaxed);
                Ok(rtt)
            }
            _ => Err(Error::Protocol("ping answered with something else")),
        }
    }

    /// Marks the link down and fails every waiting request.
    pub(crate) fn shut(&self) {
        self.closed.cancel();
        self.pending.lock().clear();
    }
}

struct PendingGuard<'a> {
    link: &'a Link,
    id: u64,
}

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        self.link.pending.lock().remove(&self.id);
    }
}

/// Timers a link's tasks need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkTimers {
    pub(crate) idle_timeout: Duration,
    pub(crate) heartbeat_interval: Duration,
    pub(crate) ping_interval: Duration,
    pub(crate) max_frame_len: usize,
}

/// Something that handles decoded inbound frames (the node's router).
pub(crate) trait Dispatch: Send + Sync + 'static {
    /// Handles one envelope; an error closes the link.
    fn dispatch(
        &self,
        link: &Arc<Link>,
        env: Envelope,
    ) -> impl std::future::Future<Output = Result<()>> + Send;
}

/// Reads frames until EOF, an error, idleness or closure.
pub(crate) async fn read_loop<D: Dispatch>(
    link: &Arc<Link>,
    reader: &mut ReadHalf<TlsStream<TcpStream>>,
    mut decoder: FrameDecoder,
    timers: LinkTimers,
    router: &D,
) -> Result<()> {
    decoder.set_max_frame_len(timers.max_frame_len);
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        while let Some(frame) = decoder.next_frame()? {
            link.frames_in.fetch_add(1, Ordering::Relaxed);
            link.bytes_in
                .fetch_add(frame.wire_len() as u64, Ordering::Relaxed);
            let env = Envelope::decode(frame)?;
            router.dispatch(link, env).await?;
        }
        let n = tokio::select! {
            _ = link.closed.cancelled() => return Ok(()),
            r = tokio::time::timeout(timers.idle_timeout, reader.read(&mut buf)) => match r {
                Err(_) => return Err(Error::Timeout),
                Ok(r) => r?,
            },
        };
        if n == 0 {
            if decoder.buffered() > 0 {
                return Err(Error::Protocol("connection closed inside a frame"));
            }
            return Ok(());
        }
        decoder.feed(&buf[..n])?;
    }
}

/// Writes queued frames in batches until closure; then sends TLS
/// `close_notify`.
pub(crate) async fn write_loop(
    link: &Link,
    writer: &mut WriteHalf<TlsStream<TcpStream>>,
    rx: &mut mpsc::UnboundedReceiver<Outgoing>,
    stall_timeout: Duration,
) -> Result<()> {
    let mut batch: Vec<u8> = Vec::with_capacity(BATCH);
    let mut held: Vec<Outgoing> = Vec::new();
    let result = loop {
        let first = tokio::select! {
            biased;
            _ = link.closed.cancelled() => break Ok(()),
            m = rx.recv() => match m {
                Some(m) => m,
                None => break Ok(()),
            },
        };
        held.push(first);
        while batch_len(&held) < BATCH {
            match rx.try_recv() {
                Ok(m) => held.push(m),
                Err(_) => break,
            }
        }
        let write = write_batch(writer, &held, &mut batch);
        let outcome = tokio::select! {
            _ = link.closed.cancelled() => break Ok(()),
            r = tokio::time::timeout(stall_timeout, write) => r,
        };
        match outcome {
            Err(_) => break Err(Error::Timeout),
            Ok(Err(e)) => break Err(e),
            Ok(Ok(())) => {}
        }
        let bytes: usize = held.iter().map(|m| m.bytes.len()).sum();
        link.frames_out
            .fetch_add(held.len() as u64, Ordering::Relaxed);
        link.bytes_out.fetch_add(bytes as u64, Ordering::Relaxed);
        held.clear(); // releases the budget
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), writer.shutdown()).await;
    result
}

fn batch_len(held: &[Outgoing]) -> usize {
    held.iter().map(|m| m.bytes.len()).sum()
}

async fn write_batch(
    writer: &mut WriteHalf<TlsStream<TcpStream>>,
    held: &[Outgoing],
    batch: &mut Vec<u8>,
) -> Result<()> {
    batch.clear();
    for m in held {
        if m.bytes.len() >= DIRECT_WRITE {
            if !batch.is_empty() {
                writer.write_all(batch).await?;
                batch.clear();
            }
            writer.write_all(&m.bytes).await?;
        } else {
            batch.extend_from_slice(&m.bytes);
        }
    }
    if !batch.is_empty() {
        writer.write_all(batch).await?;
    }
    writer.flush().await?;
    if batch.capacity() > 4 * BATCH {
        batch.shrink_to(BATCH);
    }
    Ok(())
}

/// Sends heartbeats and measures the round trip until the link closes.
pub(crate) async fn keepalive(link: Arc<Link>, timers: LinkTimers) {
    let mut heartbeat = tokio::time::interval(timers.heartbeat_interval);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ping = tokio::time::interval(timers.ping_interval);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seq = 0u64;
    loop {
        tokio::select! {
            _ = link.closed.cancelled() => return,
            _ = heartbeat.tick() => {
                seq += 1;
                let env = Envelope::new(Kind::OneWay, Message::Heartbeat(Heartbeat { seq }));
                if let Ok(frame) = env.encode() {
                    // A full queue already keeps the link busy; skip this beat.
                    let _ = link.try_queue(frame);
                }
            }
            _ = ping.tick() => {
                let wait = timers.ping_interval.min(timers.idle_timeout);
                tokio::select! {
                    _ = link.closed.cancelled() => return,
                    _ = link.ping(wait) => {}
                }
            }
        }
    }
}
