//! A node-side simulator: what `luxd` does to a plugin, for conformance
//! tests and benchmarks.
//!
//! [`EngineListener`] is the engine address: it accepts the plugin's
//! handshake and ACKs it (or, for negative tests, does not).
//! [`EngineClient`] dials the VM address and sends requests with numbered
//! IDs; many calls may be outstanding at once, and each reply is checked
//! against the request's ID and opcode.
//!
//! ```no_run
//! # async fn demo() -> session_zap::Result<()> {
//! use std::time::Duration;
//! use session_zap::engine::{EngineListener, accept_plugin};
//! let engine = EngineListener::bind().await?;
//! // Spawn the plugin binary with engine.plugin_env() in its environment...
//! let (client, handshake) = accept_plugin(&engine, Duration::from_secs(5)).await?;
//! assert_eq!(handshake.version, 42);
//! let details = client.health().await?;
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::{oneshot, watch};

use crate::error::{Error, Result};
use crate::handshake::{self, ACK, Handshake};
use crate::plugin::{ENV_ENGINE_ADDR, ENV_ENGINE_ADDR_LEGACY, ENV_TRANSPORT, ENV_TRANSPORT_ALT};
use crate::wire::*;

/// Default limit for one call (the node uses 30 s for Initialize).
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(10);

async fn within<T>(
    what: &'static str,
    limit: Duration,
    fut: impl Future<Output = Result<T>>,
) -> Result<T> {
    tokio::time::timeout(limit, fut)
        .await
        .map_err(|_| Error::Timeout { what, after: limit })?
}

/// The engine address: where a plugin sends its handshake.
#[derive(Debug)]
pub struct EngineListener {
    listener: TcpListener,
    addr: SocketAddr,
}

impl EngineListener {
    /// Binds `127.0.0.1:0`.
    pub async fn bind() -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        Ok(Self { listener, addr })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The variables the node gives a plugin (§1.2): both transport names
    /// and both engine-address names.
    pub fn plugin_env(&self) -> Vec<(&'static str, String)> {
        let addr = self.addr.to_string();
        vec![
            (ENV_TRANSPORT, "zap".into()),
            (ENV_TRANSPORT_ALT, "zap".into()),
            (ENV_ENGINE_ADDR, addr.clone()),
            (ENV_ENGINE_ADDR_LEGACY, addr),
        ]
    }

    /// Accepts one connection and reads its handshake: 8 header bytes, then
    /// the address. Does not answer yet.
    pub async fn accept(&self, timeout: Duration) -> Result<IncomingPlugin> {
        within("handshake accept", timeout, async {
            let (mut stream, _) = self.listener.accept().await?;
            let mut header = [0u8; 8];
            stream.read_exact(&mut header).await?;
            let (version, addr_len) = handshake::parse_header(&header)?;
            let mut addr = vec![0u8; addr_len];
            stream.read_exact(&mut addr).await?;
            let vm_addr = String::from_utf8(addr)
                .map_err(|_| Error::Handshake("address is not UTF-8".into()))?;
            Ok(IncomingPlugin {
                stream,
                handshake: Handshake { version, vm_addr },
            })
        })
        .await
    }
}

/// A plugin whose handshake was read but not yet answered.
#[derive(Debug)]
pub struct IncomingPlugin {
    stream: TcpStream,
    handshake: Handshake,
}

impl IncomingPlugin {
    /// What the plugin sent.
    pub fn handshake(&self) -> &Handshake {
        &self.handshake
    }

    /// Like the node: on a version mismatch closes without a word and fails;
    /// otherwise writes the ACK `0x01` and closes.
    pub async fn ack(self) -> Result<Handshake> {
        self.handshake.check_version()?;
        let Self {
            mut stream,
            handshake,
        } = self;
        stream.write_all(&[ACK]).await?;
        let _ = stream.shutdown().await;
        Ok(handshake)
    }

    /// Writes `byte` (for tests: anything but `0x01` must be refused) and closes.
    pub async fn answer(mut self, byte: u8) -> Result<()> {
        self.stream.write_all(&[byte]).await?;
        let _ = self.stream.shutdown().await;
        Ok(())
    }

    /// Closes without an ACK.
    pub fn refuse(self) {}
}

/// Accepts a plugin's handshake, ACKs it, and dials its VM address.
pub async fn accept_plugin(
    engine: &EngineListener,
    timeout: Duration,
) -> Result<(EngineClient, Handshake)> {
    let hs = engine.accept(timeout).await?.ack().await?;
    let client = within(
        "dial VM",
        timeout,
        EngineClient::connect(hs.vm_addr.as_str()),
    )
    .await?;
    Ok((client, hs))
}

/// One reply, as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The echoed request ID.
    pub request_id: u32,
    /// The raw type byte.
    pub type_byte: u8,
    /// The opcode bits.
    pub opcode: u8,
    /// Whether the error flag is set (the body is then error text).
    pub is_error: bool,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    fn from_frame(f: Frame) -> Self {
        Self {
            request_id: f.request_id,
            type_byte: f.type_byte,
            opcode: f.opcode(),
            is_error: f.is_error(),
            body: f.body,
        }
    }

    /// The error text (lossy UTF-8) of an error reply.
    pub fn error_text(&self) -> Option<String> {
        self.is_error
            .then(|| String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body of a success reply; an error reply becomes [`Error::Remote`].
    pub fn into_body(self) -> Result<Vec<u8>> {
        if self.is_error {
            return Err(Error::Remote {
                opcode: self.opcode,
                text: String::from_utf8_lossy(&self.body).into_owned(),
            });
        }
        Ok(self.body)
    }

    /// Decodes a success reply, requiring nothing left over (§8).
    pub fn decode<M: Message>(self) -> Result<M> {
        M::decode_exact(&self.into_body()?)
    }
}

#[derive(Debug)]
struct Waiter {
    type_byte: u8,
    tx: oneshot::Sender<Result<Reply>>,
}

#[derive(Debug, Default)]
struct Pending {
    waiters: HashMap<u32, Waiter>,
    closed: bool,
}

#[derive(Debug)]
struct Inner {
    writer: tokio::sync::Mutex<OwnedWriteHalf>,
    pending: Mutex<Pending>,
    next_id: AtomicU32,
    unexpected: AtomicU64,
    closed: watch::Sender<bool>,
}

impl Inner {
    fn pending(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn deliver(&self, frame: Frame) {
        let waiter = self.pending().waiters.remove(&frame.request_id);
        let Some(waiter) = waiter else {
            self.unexpected.fetch_add(1, Ordering::Relaxed);
            return;
        };
        let result = if !frame.is_reply() {
            Err(Error::Protocol(format!(
                "frame type 0x{:02x} for request {} has no reply flag",
                frame.type_byte, frame.request_id
            )))
        } else if frame.opcode() != waiter.type_byte & OPCODE_MASK {
            Err(Error::Protocol(format!(
                "reply to request {} carries opcode {}, expected {}",
                frame.request_id,
                frame.opcode(),
                waiter.type_byte & OPCODE_MASK
            )))
        } else {
            Ok(Reply::from_frame(frame))
        };
        let _ = waiter.tx.send(result);
    }

    fn fail_all(&self) {
        let waiters = {
            let mut p = self.pending();
            p.closed = true;
            std::mem::take(&mut p.waiters)
        };
        for (_, w) in waiters {
            let _ = w.tx.send(Err(Error::ConnectionClosed));
        }
        self.closed.send_replace(true);
    }
}

/// A reply not yet received.
#[derive(Debug)]
pub struct PendingCall {
    id: u32,
    rx: oneshot::Receiver<Result<Reply>>,
    timeout: Duration,
    // Weak: an outstanding call must not keep a dropped client's socket open.
    inner: Weak<Inner>,
}

impl PendingCall {
    /// The request ID.
    pub fn request_id(&self) -> u32 {
        self.id
    }

    /// Waits for the reply (up to the client's call timeout).
    pub async fn recv(mut self) -> Result<Reply> {
        let limit = self.timeout;
        match tokio::time::timeout(limit, &mut self.rx).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(_)) => Err(Error::ConnectionClosed),
            Err(_) => Err(Error::Timeout {
                what: "reply",
                after: limit,
            }),
        }
    }

    /// Waits at most `limit`; `Ok(None)` if no reply came (still pending).
    pub async fn recv_within(&mut self, limit: Duration) -> Result<Option<Reply>> {
        match tokio::time::timeout(limit, &mut self.rx).await {
            Ok(Ok(reply)) => reply.map(Some),
            Ok(Err(_)) => Err(Error::ConnectionClosed),
            Err(_) => Ok(None),
        }
    }
}

impl Drop for PendingCall {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.pending().waiters.remove(&self.id);
        }
    }
}

/// The node's client on the VM connection.
#[derive(Debug)]
pub struct EngineClient {
    inner: Arc<Inner>,
    call_timeout: Duration,
    reader: tokio::task::JoinHandle<()>,
}

impl Drop for EngineClient {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl EngineClient {
    /// Dials the VM address.
    pub async fn connect(addr: impl ToSocketAddrs) -> Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        let _ = stream.set_nodelay(true);
        let (rd, wr) = stream.into_split();
        let inner = Arc::new(Inner {
            writer: tokio::sync::Mutex::new(wr),
            pending: Mutex::new(Pending::default()),
            next_id: AtomicU32::new(1),
            unexpected: AtomicU64::new(0),
            closed: watch::Sender::new(false),
        });
        let reader = tokio::spawn(read_loop(rd, inner.clone()));
        Ok(Self {
            inner,
            call_timeout: DEFAULT_CALL_TIMEOUT,
            reader,
        })
    }

    /// Sets the limit for each call's reply (and for each write).
    pub fn with_call_timeout(mut self, limit: Duration) -> Self {
        self.call_timeout = limit;
        self
    }

    /// Reserves the next request ID (1, 2, 3, …, wrapping).
    pub fn next_request_id(&self) -> u32 {
        self.inner.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Registers interest in the reply to a request sent by hand with
    /// [`send_raw`](Self::send_raw) (`type_byte` is the request's).
    pub fn expect(&self, request_id: u32, type_byte: u8) -> Result<PendingCall> {
        let (tx, rx) = oneshot::channel();
        {
            let mut p = self.inner.pending();
            if p.closed {
                return Err(Error::ConnectionClosed);
            }
            p.waiters.insert(request_id, Waiter { type_byte, tx });
        }
        Ok(PendingCall {
            id: request_id,
            rx,
            timeout: self.call_timeout,
            inner: Arc::downgrade(&self.inner),
        })
    }

    /// Writes raw bytes (whole frames, parts of frames, garbage).
    pub async fn send_raw(&self, bytes: &[u8]) -> Result<()> {
        within("write", self.call_timeout, async {
            let mut w = self.inner.writer.lock().await;
            w.write_all(bytes).await?;
            Ok(())
        })
        .await
    }

    /// Sends a request with any type byte and returns its pending reply.
    pub async fn start_raw(&self, type_byte: u8, body: &[u8]) -> Result<PendingCall> {
        let id = self.next_request_id();
        let frame = encode_frame(type_byte, id, body)?;
        let pending = self.expect(id, type_byte)?;
        self.send_raw(&frame).await?;
        Ok(pending)
    }

    /// Sends a request and returns its pending reply.
    pub async fn start(&self, op: Opcode, body: &[u8]) -> Result<PendingCall> {
        self.start_raw(op.as_u8(), body).await
    }

    /// Sends a request and waits for its reply (success or error).
    pub async fn call(&self, op: Opcode, body: &[u8]) -> Result<Reply> {
        self.start(op, body).await?.recv().await
    }

    /// A typed call: encodes `req`, expects a success reply, decodes it with
    /// nothing left over. An error reply is [`Error::Remote`].
    pub async fn request<C: Call>(&self, req: &C) -> Result<C::Response> {
        self.call(C::OPCODE, &req.encode()).await?.decode()
    }

    /// Whether the connection has closed (the reader saw EOF or an error).
    pub fn is_closed(&self) -> bool {
        *self.inner.closed.borrow()
    }

    /// Waits up to `limit` for the connection to close; returns whether it did.
    pub async fn wait_closed(&self, limit: Duration) -> bool {
        let mut rx = self.inner.closed.subscribe();
        tokio::time::timeout(limit, rx.wait_for(|c| *c))
            .await
            .is_ok()
    }

    /// Replies that matched no outstanding request (the node drops them).
    pub fn unexpected_replies(&self) -> u64 {
        self.inner.unexpected.load(Ordering::Relaxed)
    }

    /// Half-closes the connection (as the node does after Shutdown).
    pub async fn close(&self) -> Result<()> {
        let mut w = self.inner.writer.lock().await;
        w.shutdown().await?;
        Ok(())
    }

    // Typed helpers, one per request SessionVM serves.

    /// Initialize (1).
    pub async fn initialize(&self, req: &InitializeRequest) -> Result<InitializeResponse> {
        self.request(req).await
    }

    /// SetState (2).
    pub async fn set_state(&self, state: VmState) -> Result<()> {
        self.request(&SetStateRequest { state }).await
    }

    /// Shutdown (3).
    pub async fn shutdown(&self) -> Result<()> {
        self.request(&ShutdownRequest).await
    }

    /// CreateHandlers (4).
    pub async fn create_handlers(&self) -> Result<Vec<Handler>> {
        Ok(self.request(&CreateHandlersRequest).await?.handlers)
    }

    /// NewHTTPHandler (5).
    pub async fn new_http_handler(&self) -> Result<String> {
        Ok(self.request(&NewHttpHandlerRequest).await?.addr)
    }

    /// Sends WaitForEvent (6) and returns without waiting; decode the reply
    /// with `pending.recv().await?.decode::<Event>()`.
    pub async fn start_wait_for_event(&self) -> Result<PendingCall> {
        self.start(Opcode::WaitForEvent, &[]).await
    }

    /// WaitForEvent (6), waiting up to the call timeout.
    pub async fn wait_for_event(&self) -> Result<Event> {
        self.request(&WaitForEventRequest).await
    }

    /// Connected (7).
    pub async fn connected(&self, req: &ConnectedRequest) -> Result<()> {
        self.request(req).await
    }

    /// Disconnected (8).
    pub async fn disconnected(&self, node_id: NodeId) -> Result<()> {
        self.request(&DisconnectedRequest { node_id }).await
    }

    /// BuildBlock (9) with the empty body current nodes send.
    pub async fn build_block(&self) -> Result<BlockResponse> {
        self.request(&BuildBlockRequest::default()).await
    }

    /// ParseBlock (10).
    pub async fn parse_block(&self, bytes: &[u8]) -> Result<BlockResponse> {
        self.request(&ParseBlockRequest {
            bytes: bytes.to_vec(),
        })
        .await
    }

    /// GetBlock (11).
    pub async fn get_block(&self, id: Id) -> Result<BlockResponse> {
        self.request(&GetBlockRequest { id }).await
    }

    /// SetPreference (12).
    pub async fn set_preference(&self, id: Id) -> Result<()> {
        self.request(&SetPreferenceRequest { id }).await
    }

    /// Health (13): the details.
    pub async fn health(&self) -> Result<Vec<u8>> {
        Ok(self.request(&HealthRequest).await?.details)
    }

    /// Version (14).
    pub async fn version(&self) -> Result<String> {
        Ok(self.request(&VersionRequest).await?.version)
    }

    /// GetAncestors (20).
    pub async fn get_ancestors(&self, req: &GetAncestorsRequest) -> Result<Vec<Vec<u8>>> {
        Ok(self.request(req).await?.blocks)
    }

    /// BatchedParseBlock (21).
    pub async fn batched_parse_block(&self, blocks: Vec<Vec<u8>>) -> Result<Vec<BlockResponse>> {
        Ok(self
            .request(&BatchedParseBlockRequest { blocks })
            .await?
            .blocks)
    }

    /// GetBlockIDAtHeight (22).
    pub async fn get_block_id_at_height(&self, height: u64) -> Result<GetBlockIdAtHeightResponse> {
        self.request(&GetBlockIdAtHeightRequest { height }).await
    }

    /// BlockVerify (28), with no P-chain height (as the node sends it).
    pub async fn block_verify(&self, bytes: &[u8]) -> Result<()> {
        self.request(&BlockVerifyRequest {
            bytes: bytes.to_vec(),
            p_chain_height: None,
        })
        .await
        .map(|_: BlockVerifyResponse| ())
    }

    /// BlockAccept (29).
    pub async fn block_accept(&self, id: Id) -> Result<()> {
        self.request(&BlockAcceptRequest { id }).await
    }

    /// BlockReject (30).
    pub async fn block_reject(&self, id: Id) -> Result<()> {
        self.request(&BlockRejectRequest { id }).await
    }
}

async fn read_loop(mut rd: OwnedReadHalf, inner: Arc<Inner>) {
    let mut decoder = FrameDecoder::new();
    let mut buf = vec![0u8; 64 * 1024];
    'read: loop {
        let n = match rd.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        decoder.feed(&buf[..n]);
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => inner.deliver(frame),
                Ok(None) => break,
                Err(_) => break 'read,
            }
        }
    }
    inner.fail_all();
}
