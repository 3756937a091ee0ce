//! Dispatch of inbound messages by type: built-in keepalive and ping,
//! responses to our requests, then per-type handlers, then the subscription.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::{Mutex, RwLock};
use session_crypto::{IdentityId, PublicIdentity};
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::link::{Dispatch, Link};
use crate::message::{Envelope, Kind, Message, MessageType, Pong, RejectCode, Rejection};

/// A boxed handler future.
pub type HandlerFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;
/// A message handler: called once per inbound message of its type.
pub type Handler = Arc<dyn Fn(Inbound) -> HandlerFuture + Send + Sync + 'static>;

/// A message from an authenticated peer, with a way to answer it if it is a
/// request. A request dropped unanswered is rejected with
/// [`RejectCode::NO_REPLY`].
#[derive(Debug)]
pub struct Inbound {
    /// The sender's identity ID.
    pub from: IdentityId,
    /// The sender's public identity.
    pub peer: PublicIdentity,
    /// The message.
    pub message: Message,
    responder: Option<Responder>,
}

impl Inbound {
    /// Whether the sender awaits a response.
    pub fn is_request(&self) -> bool {
        self.responder.is_some()
    }

    /// Splits off the responder (`None` for one-way messages).
    pub fn take_responder(&mut self) -> Option<Responder> {
        self.responder.take()
    }

    /// Answers the request. Fails with [`Error::Protocol`] for a one-way
    /// message.
    pub async fn respond(mut self, message: Message) -> Result<()> {
        match self.responder.take() {
            Some(r) => r.respond(message).await,
            None => Err(Error::Protocol("not a request")),
        }
    }

    /// Rejects the request. Fails with [`Error::Protocol`] for a one-way
    /// message.
    pub async fn reject(mut self, code: RejectCode, reason: &str) -> Result<()> {
        match self.responder.take() {
            Some(r) => r.reject(Rejection::new(code, reason)).await,
            None => Err(Error::Protocol("not a request")),
        }
    }
}

/// Answers one request. Dropping it unanswered sends a
/// [`RejectCode::NO_REPLY`] rejection (if the send queue has room).
pub struct Responder {
    link: Arc<Link>,
    id: u64,
    answered: bool,
}

impl std::fmt::Debug for Responder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Responder")
            .field("peer", &self.link.id)
            .field("request", &self.id)
            .finish()
    }
}

impl Responder {
    /// Sends the response (waiting for send-queue room).
    pub async fn respond(mut self, message: Message) -> Result<()> {
        self.answered = true;
        if matches!(message, Message::Handshake(_)) {
            return Err(Error::Protocol("a handshake cannot be a response"));
        }
        let frame = Envelope::new(Kind::Response(self.id), message).encode()?;
        self.link.queue(frame).await
    }

    /// Sends a rejection.
    pub async fn reject(self, rejection: Rejection) -> Result<()> {
        self.respond(Message::Reject(rejection)).await
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        if !self.answered {
            let msg = Message::Reject(Rejection::new(RejectCode::NO_REPLY, "no reply"));
            if let Ok(frame) = Envelope::new(Kind::Response(self.id), msg).encode() {
                let _ = self.link.try_queue(frame);
            }
        }
    }
}

/// Inbound messages no handler took, in arrival order per peer.
#[derive(Debug)]
pub struct Subscription {
    rx: mpsc::Receiver<Inbound>,
}

impl Subscription {
    /// The next message; `None` once the node has shut down or another
    /// subscription replaced this one.
    pub async fn recv(&mut self) -> Option<Inbound> {
        self.rx.recv().await
    }

    /// A message if one is waiting.
    pub fn try_recv(&mut self) -> Option<Inbound> {
        self.rx.try_recv().ok()
    }
}

/// Node-wide counters.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) accepted: AtomicU64,
    pub(crate) refused: AtomicU64,
    pub(crate) handshake_failures: AtomicU64,
    pub(crate) handshake_timeouts: AtomicU64,
    pub(crate) protocol_errors: AtomicU64,
    pub(crate) links_opened: AtomicU64,
    pub(crate) links_closed: AtomicU64,
    pub(crate) messages_dropped: AtomicU64,
    pub(crate) requests_rejected: AtomicU64,
}

/// A snapshot of a node's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeStats {
    /// TCP connections accepted.
    pub accepted: u64,
    /// Inbound connections closed unanswered (peer or handshake limits).
    pub refused: u64,
    /// Handshakes (TLS or identity binding) that failed, both directions.
    pub handshake_failures: u64,
    /// Handshakes that timed out (slow or silent peers), both directions.
    pub handshake_timeouts: u64,
    /// Links closed because the peer broke the framing or protocol.
    pub protocol_errors: u64,
    /// Authenticated links established.
    pub links_opened: u64,
    /// Authenticated links that ended.
    pub links_closed: u64,
    /// One-way messages dropped for want of a handler or subscriber.
    pub messages_dropped: u64,
    /// Inbound requests rejected here (busy, unhandled).
    pub requests_rejected: u64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> NodeStats {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        NodeStats {
            accepted: g(&self.accepted),
            refused: g(&self.refused),
            handshake_failures: g(&self.handshake_failures),
            handshake_timeouts: g(&self.handshake_timeouts),
            protocol_errors: g(&self.protocol_errors),
            links_opened: g(&self.links_opened),
            links_closed: g(&self.links_closed),
            messages_dropped: g(&self.messages_dropped),
            requests_rejected: g(&self.requests_rejected),
        }
    }
}

pub(crate) fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

/// Handlers by type, and the fallback subscription.
#[derive(Default)]
pub(crate) struct Router {
    handlers: RwLock<HashMap<MessageType, Handler>>,
    subscriber: Mutex<Option<mpsc::Sender<Inbound>>>,
    pub(crate) counters: Counters,
}

impl Router {
    pub(crate) fn set_handler(&self, ty: MessageType, handler: Handler) {
        self.handlers.write().insert(ty, handler);
    }

    pub(crate) fn remove_handler(&self, ty: MessageType) -> bool {
        self.handlers.write().remove(&ty).is_some()
    }

    pub(crate) fn subscribe(&self, capacity: usize) -> Subscription {
        let (tx, rx) = mpsc::channel(capacity);
        *self.subscriber.lock() = Some(tx);
        Subscription { rx }
    }

    pub(crate) fn close_subscription(&self) {
        self.subscriber.lock().take();
    }

    fn reject(&self, link: &Arc<Link>, id: u64, code: RejectCode, reason: &str) {
        bump(&self.counters.requests_rejected);
        let msg = Message::Reject(Rejection::new(code, reason));
        if let Ok(frame) = Envelope::new(Kind::Response(id), msg).encode() {
            let _ = link.try_queue(frame);
        }
    }

    async fn deliver(&self, link: &Arc<Link>, kind: Kind, message: Message) -> Result<()> {
        let ty = message.message_type();
        let request_id = match kind {
            Kind::Request(id) => Some(id),
            _ => None,
        };
        let handler = self.handlers.read().get(&ty).cloned();
        let inbound = |message| Inbound {
            from: link.id,
            peer: link.peer.clone(),
            message,
            responder: request_id.map(|id| Responder {
                link: link.clone(),
                id,
                answered: false,
            }),
        };
        if let Some(handler) = handler {
            let slot = match request_id {
                Some(id) => match link.handler_slots.clone().try_acquire_owned() {
                    Ok(slot) => slot,
                    Err(_) => {
                        self.reject(link, id, RejectCode::BUSY, "too many requests");
                        return Ok(());
                    }
                },
                // One-way messages wait for a slot: backpressure on this peer only.
                None => tokio::select! {
                    _ = link.closed.cancelled() => return Ok(()),
                    s = link.handler_slots.clone().acquire_owned() => s.map_err(|_| Error::Disconnected)?,
                },
            };
            let fut = handler(inbound(message));
            tokio::spawn(async move {
                fut.await;
                drop(slot);
            });
            return Ok(());
        }
        let subscriber = self.subscriber.lock().clone();
        let mut unclaimed = inbound(message);
        if let Some(tx) = subscriber {
            let sent = tokio::select! {
                _ = link.closed.cancelled() => return Ok(()),
                sent = tx.send(unclaimed) => sent,
            };
            match sent {
                Ok(()) => return Ok(()),
                Err(mpsc::error::SendError(back)) => {
                    // The subscription was dropped: forget it.
                    let mut current = self.subscriber.lock();
                    if current.as_ref().is_some_and(|c| c.same_channel(&tx)) {
                        *current = None;
                    }
                    unclaimed = back;
                }
            }
        }
        match unclaimed.take_responder() {
            Some(mut responder) => {
                responder.answered = true;
                self.reject(link, responder.id, RejectCode::UNHANDLED, &ty.to_string());
            }
            None => bump(&self.counters.messages_dropped),
        }
        Ok(())
    }
}

impl Dispatch for Router {
    async fn dispatch(&self, link: &Arc<Link>, env: Envelope) -> Result<()> {
        match (env.kind, env.message) {
            (_, Message::Handshake(_)) => Err(Error::Protocol("handshake after authentication")),
            (Kind::Response(id), msg) => {
                // Late responses (after a timeout) are expected; drop them.
                link.complete(id, msg);
                Ok(())
            }
            (Kind::Request(id), Message::Ping(p)) => {
                let pong =
                    Envelope::new(Kind::Response(id), Message::Pong(Pong { nonce: p.nonce }));
                // A peer that does not read its pongs only loses pongs.
                let _ = link.try_queue(pong.encode()?);
                Ok(())
            }
            (_, Message::Heartbeat(_) | Message::Ping(_) | Message::Pong(_)) => Ok(()),
            (kind, message) => self.deliver(link, kind, message).await,
        }
    }
}
