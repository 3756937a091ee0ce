//! Wire messages: the type byte, the request/response correlation header, and
//! every body, all in the session-core canonical codec.
//!
//! ```text
//! body := kind:u8 ‖ request_id:u64 ‖ payload
//! kind  0 one-way (request_id = 0) · 1 request (id ≠ 0) · 2 response (id ≠ 0)
//! ```
//!
//! Payloads of session-core types ([`Session`], [`OracleRequest`],
//! [`OracleRecord`], [`Attestation`], [`Receipt`]) are their canonical body
//! encodings without their own version byte: the frame's version byte governs
//! them, and wire version 1 pins each of those types' codec version 1 (checked
//! at compile time, so a version bump in session-core forces a wire bump here).
//! Decoding rejects trailing bytes, so every accepted frame re-encodes to
//! itself.
//!
//! ```
//! use session_net::{Envelope, Kind, Message, Ping};
//! use session_net::frame::{FrameDecoder, MAX_FRAME_LEN};
//!
//! let env = Envelope::new(Kind::Request(7), Message::Ping(Ping { nonce: 42 }));
//! let wire = env.encode()?;
//! let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
//! dec.feed(&wire)?;
//! let back = Envelope::decode(dec.next_frame()?.expect("whole frame"))?;
//! assert_eq!(back, env);
//! # Ok::<(), session_net::Error>(())
//! ```

use std::fmt;

use bytes::Bytes;
use session_core::codec::{Decode, Encode, Reader, Versioned, Writer};
use session_core::{Attestation, Id, OracleRecord, OracleRequest, Receipt, Session};
use session_crypto::{IdentityId, PublicIdentity, Signature};

use crate::error::{Error, Result};
use crate::frame::{Frame, HEADER_LEN, LEN_PREFIX, MAX_FRAME_LEN, WIRE_VERSION};

// Wire version 1 carries version-1 bodies of the session-core types.
const _: () = assert!(
    WIRE_VERSION == 1
        && <Session as Versioned>::VERSION == 1
        && <OracleRequest as Versioned>::VERSION == 1
        && <OracleRecord as Versioned>::VERSION == 1
        && <Attestation as Versioned>::VERSION == 1
        && <Receipt as Versioned>::VERSION == 1
);

/// Most record IDs an [`OracleCommit`] may list.
pub const MAX_COMMIT_RECORDS: usize = 1024;
/// Longest [`Rejection`] reason, in bytes.
pub const MAX_REASON_LEN: usize = 256;
/// Bytes of the correlation header (kind and request ID).
pub const CORRELATION_LEN: usize = 1 + 8;
/// Largest [`Data`] payload that fits one frame.
pub const MAX_DATA_LEN: usize = MAX_FRAME_LEN - HEADER_LEN - CORRELATION_LEN - 4 - 4;

/// The message type byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum MessageType {
    /// Identity binding, exchanged once right after the TLS handshake.
    Handshake = 0x01,
    /// A new session for a committee.
    SessionCreate = 0x02,
    /// Start executing a session.
    SessionStart = 0x03,
    /// A request for external I/O.
    OracleRequest = 0x04,
    /// A committee member's oracle observation.
    OracleRecord = 0x05,
    /// The commitment over a request's records.
    OracleCommit = 0x06,
    /// A threshold-attestation share.
    Attestation = 0x07,
    /// A delivery receipt.
    Receipt = 0x08,
    /// Keepalive.
    Heartbeat = 0x09,
    /// Latency probe.
    Ping = 0x0a,
    /// Latency probe answer.
    Pong = 0x0b,
    /// An opaque application payload on a numbered topic.
    Data = 0x0c,
    /// A failed request's response.
    Reject = 0x0d,
}

impl MessageType {
    /// Every type, in code order.
    pub const ALL: [MessageType; 13] = [
        MessageType::Handshake,
        MessageType::SessionCreate,
        MessageType::SessionStart,
        MessageType::OracleRequest,
        MessageType::OracleRecord,
        MessageType::OracleCommit,
        MessageType::Attestation,
        MessageType::Receipt,
        MessageType::Heartbeat,
        MessageType::Ping,
        MessageType::Pong,
        MessageType::Data,
        MessageType::Reject,
    ];

    /// The type for a type byte.
    pub fn from_u8(b: u8) -> Option<Self> {
        Self::ALL.get(usize::from(b).wrapping_sub(1)).copied()
    }

    /// The type byte.
    pub fn as_u8(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// What a frame is, for request/response correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A one-way message (broadcasts, heartbeats, notifications).
    OneWay,
    /// A request; the peer answers with a [`Kind::Response`] of the same ID.
    Request(u64),
    /// The response to the request with this ID.
    Response(u64),
}

impl Kind {
    fn encode_to(self, w: &mut Writer) {
        let (tag, id) = match self {
            Kind::OneWay => (0, 0),
            Kind::Request(id) => (1, id),
            Kind::Response(id) => (2, id),
        };
        w.u8(tag);
        w.u64(id);
    }

    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        let tag = r.u8()?;
        let id = r.u64()?;
        match (tag, id) {
            (0, 0) => Ok(Kind::OneWay),
            (0, _) => Err(Error::MalformedHeader("one-way frame with a request ID")),
            (1 | 2, 0) => Err(Error::MalformedHeader("request ID 0")),
            (1, id) => Ok(Kind::Request(id)),
            (2, id) => Ok(Kind::Response(id)),
            _ => Err(Error::MalformedHeader("unknown kind")),
        }
    }
}

/// The identity binding each side sends right after the TLS handshake (see
/// [`binding`](crate::binding)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handshake {
    /// The sender's public identity.
    pub identity: PublicIdentity,
    /// The dialer's ID, as the sender sees it.
    pub dialer: IdentityId,
    /// The listener's ID, as the sender sees it.
    pub listener: IdentityId,
    /// ML-DSA-65 by `identity` over the binding payload.
    pub signature: Signature,
}

impl Encode for Handshake {
    fn encode_to(&self, w: &mut Writer) {
        w.put(&self.identity);
        w.raw(self.dialer.as_bytes());
        w.raw(self.listener.as_bytes());
        w.put(&self.signature);
    }
}

impl Decode for Handshake {
    fn decode_from(r: &mut Reader<'_>) -> session_core::Result<Self> {
        Ok(Handshake {
            identity: r.get()?,
            dialer: IdentityId(r.array()?),
            listener: IdentityId(r.array()?),
            signature: r.get()?,
        })
    }
}

/// Start executing a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionStart {
    /// The session.
    pub session_id: Id,
}

/// The commitment over an oracle request's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OracleCommit {
    /// The oracle request.
    pub request_id: Id,
    /// [`session_core::oracle_commit_root`] of the records.
    pub commit_root: Id,
    /// The committed record IDs, ascending (at most [`MAX_COMMIT_RECORDS`]).
    pub record_ids: Vec<Id>,
}

/// Keepalive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Heartbeat {
    /// The sender's heartbeat counter.
    pub seq: u64,
}

/// Latency probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ping {
    /// Echoed in the [`Pong`].
    pub nonce: u64,
}

/// Latency probe answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pong {
    /// The [`Ping`]'s nonce.
    pub nonce: u64,
}

/// An opaque application payload (for protocols above this crate).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Data {
    /// Application-defined topic.
    pub topic: u32,
    /// The payload, at most [`MAX_DATA_LEN`] bytes.
    pub payload: Bytes,
}

/// Why a request failed: a code and a short human-readable reason.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rejection {
    /// Machine-readable reason.
    pub code: RejectCode,
    /// Human-readable reason (at most [`MAX_REASON_LEN`] bytes; longer ones
    /// are cut at a character boundary when built with [`Rejection::new`]).
    pub reason: String,
}

impl Rejection {
    /// A rejection, its reason truncated to [`MAX_REASON_LEN`] bytes.
    pub fn new(code: RejectCode, reason: impl Into<String>) -> Self {
        let mut reason = reason.into();
        if reason.len() > MAX_REASON_LEN {
            let mut end = MAX_REASON_LEN;
            while !reason.is_char_boundary(end) {
                end -= 1;
            }
            reason.truncate(end);
        }
        Rejection { code, reason }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "code {}: {}", self.code.0, self.reason)
    }
}

/// A [`Rejection`] code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RejectCode(pub u16);

impl RejectCode {
    /// No handler or subscriber takes this message type.
    pub const UNHANDLED: RejectCode = RejectCode(1);
    /// Too many requests from this peer are being handled.
    pub const BUSY: RejectCode = RejectCode(2);
    /// The handler finished without answering.
    pub const NO_REPLY: RejectCode = RejectCode(3);
    /// The request was not acceptable.
    pub const BAD_REQUEST: RejectCode = RejectCode(4);
    /// The application refused (see the reason).
    pub const APPLICATION: RejectCode = RejectCode(5);
}

/// A decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Identity binding.
    Handshake(Handshake),
    /// A new session (pending, validated on decode).
    SessionCreate(Box<Session>),
    /// Start a session.
    SessionStart(SessionStart),
    /// An oracle request.
    OracleRequest(OracleRequest),
    /// An oracle record.
    OracleRecord(OracleRecord),
    /// An oracle commitment.
    OracleCommit(OracleCommit),
    /// An attestation.
    Attestation(Attestation),
    /// A receipt.
    Receipt(Receipt),
    /// Keepalive.
    Heartbeat(Heartbeat),
    /// Latency probe.
    Ping(Ping),
    /// Latency probe answer.
    Pong(Pong),
    /// Application payload.
    Data(Data),
    /// A request's failure.
    Reject(Rejection),
}

impl Message {
    /// This message's type.
    pub fn message_type(&self) -> MessageType {
        match self {
            Message::Handshake(_) => MessageType::Handshake,
            Message::SessionCreate(_) => MessageType::SessionCreate,
            Message::SessionStart(_) => MessageType::SessionStart,
            Message::OracleRequest(_) => MessageType::OracleRequest,
            Message::OracleRecord(_) => MessageType::OracleRecord,
            Message::OracleCommit(_) => MessageType::OracleCommit,
            Message::Attestation(_) => MessageType::Attestation,
            Message::Receipt(_) => MessageType::Receipt,
            Message::Heartbeat(_) => MessageType::Heartbeat,
            Message::Ping(_) => MessageType::Ping,
            Message::Pong(_) => MessageType::Pong,
            Message::Data(_) => MessageType::Data,
            Message::Reject(_) => MessageType::Reject,
        }
    }

    /// Roughly the encoded payload size, to allocate once.
    fn size_hint(&self) -> usize {
        const SIG: usize = session_crypto::SIGNATURE_LEN;
        match self {
            Message::Handshake(_) => session_crypto::PUBLIC_IDENTITY_LEN + 64 + SIG,
            Message::SessionCreate(s) => 256 + 32 * s.committee.len() + 256 * s.steps.len(),
            Message::OracleRecord(r) => 72 + r.data.len() + SIG,
            Message::OracleCommit(c) => 72 + 32 * c.record_ids.len(),
            Message::Attestation(_) | Message::Receipt(_) => 160 + SIG,
            Message::Data(d) => 8 + d.payload.len(),
            Message::Reject(r) => 6 + r.reason.len(),
            _ => 192,
        }
    }

    fn encode_payload(&self, w: &mut Writer) {
        match self {
            Message::Handshake(h) => w.put(h),
            Message::SessionCreate(s) => w.put(s.as_ref()),
            Message::SessionStart(s) => w.id(&s.session_id),
            Message::OracleRequest(r) => w.put(r),
            Message::OracleRecord(r) => w.put(r),
            Message::OracleCommit(c) => {
                w.id(&c.request_id);
                w.id(&c.commit_root);
                w.seq(&c.record_ids);
            }
            Message::Attestation(a) => w.put(a),
            Message::Receipt(r) => w.put(r),
            Message::Heartbeat(h) => w.u64(h.seq),
            Message::Ping(p) => w.u64(p.nonce),
            Message::Pong(p) => w.u64(p.nonce),
            Message::Data(d) => {
                w.u32(d.topic);
                w.bytes(&d.payload);
            }
            Message::Reject(r) => {
                w.u16(r.code.0);
                w.str(&r.reason);
            }
        }
    }

    fn decode_payload(ty: MessageType, body: &Bytes, r: &mut Reader<'_>) -> Result<Self> {
        Ok(match ty {
            MessageType::Handshake => Message::Handshake(r.get()?),
            MessageType::SessionCreate => Message::SessionCreate(Box::new(r.get()?)),
            MessageType::SessionStart => Message::SessionStart(SessionStart {
                session_id: r.id()?,
            }),
            MessageType::OracleRequest => Message::OracleRequest(r.get()?),
            MessageType::OracleRecord => Message::OracleRecord(r.get()?),
            MessageType::OracleCommit => Message::OracleCommit(OracleCommit {
                request_id: r.id()?,
                commit_root: r.id()?,
                record_ids: r.seq(MAX_COMMIT_RECORDS, "record IDs")?,
            }),
            MessageType::Attestation => Message::Attestation(r.get()?),
            MessageType::Receipt => Message::Receipt(r.get()?),
            MessageType::Heartbeat => Message::Heartbeat(Heartbeat { seq: r.u64()? }),
            MessageType::Ping => Message::Ping(Ping { nonce: r.u64()? }),
            MessageType::Pong => Message::Pong(Pong { nonce: r.u64()? }),
            MessageType::Data => {
                let topic = r.u32()?;
                let len = r.len_prefix(MAX_DATA_LEN, 1, "data payload")?;
                let start = r.position();
                r.take(len)?;
                Message::Data(Data {
                    topic,
                    payload: body.slice(start..start + len),
                })
            }
            MessageType::Reject => Message::Reject(Rejection {
                code: RejectCode(r.u16()?),
                reason: r.string(MAX_REASON_LEN, "reject reason")?,
            }),
        })
    }
}

/// A message with its correlation header: what one frame carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// One-way, request or response.
    pub kind: Kind,
    /// The message.
    pub message: Message,
}

impl Envelope {
    /// Wraps a message.
    pub fn new(kind: Kind, message: Message) -> Self {
        Envelope { kind, message }
    }

    /// The whole frame, length prefix included. Fails if it would exceed
    /// [`MAX_FRAME_LEN`].
    pub fn encode(&self) -> Result<Bytes> {
        let mut w = Writer::with_capacity(64 + self.message.size_hint());
        w.raw(&[0; LEN_PREFIX]);
        w.u8(WIRE_VERSION);
        w.u8(self.message.message_type().as_u8());
        self.kind.encode_to(&mut w);
        self.message.encode_payload(&mut w);
        let mut out = w.into_bytes();
        let len = out.len() - LEN_PREFIX;
        if len > MAX_FRAME_LEN {
            return Err(Error::MessageTooLarge {
                len,
                max: MAX_FRAME_LEN,
            });
        }
        let len = u32::try_from(len).expect("at most MAX_FRAME_LEN");
        out[..LEN_PREFIX].copy_from_slice(&len.to_be_bytes());
        Ok(Bytes::from(out))
    }

    /// Decodes a frame: version, type, correlation header and payload, with
    /// no trailing bytes.
    pub fn decode(frame: Frame) -> Result<Self> {
        if frame.version != WIRE_VERSION {
            return Err(Error::UnsupportedVersion(frame.version));
        }
        let ty = MessageType::from_u8(frame.ty).ok_or(Error::UnknownMessageType(frame.ty))?;
        let mut r = Reader::new(&frame.body);
        let kind = Kind::decode_from(&mut r)?;
        if ty == MessageType::Reject && !matches!(kind, Kind::Response(_)) {
            return Err(Error::MalformedHeader("a rejection that is not a response"));
        }
        let message = Message::decode_payload(ty, &frame.body, &mut r)?;
        r.finish()?;
        Ok(Envelope { kind, message })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{FrameDecoder, encode_raw};
    use session_core::{Domain, RequestKind, Statement, hash};
    use session_crypto::Identity;

    pub(crate) fn one_of_each(node: &Identity) -> Vec<Message> {
        let committee = vec![hash(b"n1"), hash(b"n2"), hash(b"n3")];
        let session = Session::new(hash(b"svc"), 4, hash(b"tx"), committee).unwrap();
        let req = OracleRequest {
            service_id: hash(b"svc"),
            session_id: session.id,
            step: 1,
            retry: 0,
            tx_id: hash(b"tx"),
            kind: RequestKind::Read,
            input_hash: hash(b"in"),
        };
        let record = OracleRecord::sign(node, req.id(), b"price=42".to_vec()).unwrap();
        let statement = Statement {
            domain: Domain::OracleRead,
            subject_id: req.id(),
            commit_root: hash(b"root"),
            epoch: 4,
        };
        vec![
            Message::Handshake(Handshake {
                identity: node.public().clone(),
                dialer: node.id(),
                listener: IdentityId([3; 32]),
                signature: node.sign(b"x"),
            }),
            Message::SessionCreate(Box::new(session.clone())),
            Message::SessionStart(SessionStart {
                session_id: session.id,
            }),
            Message::OracleRequest(req),
            Message::OracleRecord(record.clone()),
            Message::OracleCommit(OracleCommit {
                request_id: req.id(),
                commit_root: session_core::oracle_commit_root(std::slice::from_ref(&record)),
                record_ids: vec![record.id()],
            }),
            Message::Attestation(Attestation::sign(node, statement)),
            Message::Receipt(Receipt::sign(node, session.id, 1, hash(b"m"), hash(b"s"))),
            Message::Heartbeat(Heartbeat { seq: 9 }),
            Message::Ping(Ping { nonce: 1 }),
            Message::Pong(Pong { nonce: 1 }),
            Message::Data(Data {
                topic: 77,
                payload: Bytes::from_static(b"payload"),
            }),
            Message::Reject(Rejection::new(RejectCode::BUSY, "busy")),
        ]
    }

    fn round_trip(env: &Envelope) -> Envelope {
        let wire = env.encode().unwrap();
        let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
        dec.feed(&wire).unwrap();
        let frame = dec.next_frame().unwrap().unwrap();
        assert_eq!(frame.wire_len(), wire.len());
        Envelope::decode(frame).unwrap()
    }

    #[test]
    fn every_message_round_trips() {
        let node = Identity::from_seeds(&[1; 64], &[2; 32]);
        let all = one_of_each(&node);
        let types: Vec<MessageType> = all.iter().map(Message::message_type).collect();
        assert_eq!(types, MessageType::ALL);
        for msg in all {
            let kind = if msg.message_type() == MessageType::Reject {
                Kind::Response(5)
            } else {
                Kind::Request(5)
            };
            let env = Envelope::new(kind, msg);
            assert_eq!(round_trip(&env), env);
        }
    }

    #[test]
    fn type_bytes_are_stable() {
        for (i, ty) in MessageType::ALL.iter().enumerate() {
            assert_eq!(usize::from(ty.as_u8()), i + 1);
            assert_eq!(MessageType::from_u8(ty.as_u8()), Some(*ty));
        }
        assert_eq!(MessageType::from_u8(0), None);
        assert_eq!(MessageType::from_u8(14), None);
        assert_eq!(MessageType::from_u8(255), None);
    }

    #[test]
    fn header_rules() {
        let ping = |kind: u8, id: u64| {
            let mut body = vec![kind];
            body.extend_from_slice(&id.to_be_bytes());
            body.extend_from_slice(&1u64.to_be_bytes());
            Frame {
                version: WIRE_VERSION,
                ty: MessageType::Ping.as_u8(),
                body: Bytes::from(body),
            }
        };
        assert!(Envelope::decode(ping(0, 0)).is_ok());
        assert!(Envelope::decode(ping(1, 3)).is_ok());
        assert!(Envelope::decode(ping(2, 3)).is_ok());
        assert!(matches!(
            Envelope::decode(ping(0, 1)),
            Err(Error::MalformedHeader(_))
        ));
        assert!(matches!(
            Envelope::decode(ping(1, 0)),
            Err(Error::MalformedHeader(_))
        ));
        assert!(matches!(
            Envelope::decode(ping(3, 1)),
            Err(Error::MalformedHeader(_))
        ));
        let mut f = ping(0, 0);
        f.version = 2;
        assert!(matches!(
            Envelope::decode(f),
            Err(Error::UnsupportedVersion(2))
        ));
        let mut f = ping(0, 0);
        f.ty = 0x7f;
        assert!(matches!(
            Envelope::decode(f),
            Err(Error::UnknownMessageType(0x7f))
        ));
        // Trailing bytes.
        let mut f = ping(0, 0);
        let mut body = f.body.to_vec();
        body.push(0);
        f.body = Bytes::from(body);
        assert!(matches!(
            Envelope::decode(f),
            Err(Error::Codec(session_core::Error::TrailingBytes(1)))
        ));
        // A one-way rejection.
        let env = Envelope::new(
            Kind::OneWay,
            Message::Reject(Rejection::new(RejectCode::BUSY, "")),
        );
        let wire = env.encode().unwrap();
        let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
        dec.feed(&wire).unwrap();
        assert!(Envelope::decode(dec.next_frame().unwrap().unwrap()).is_err());
    }

    #[test]
    fn truncated_bodies_fail_cleanly() {
        let node = Identity::from_seeds(&[1; 64], &[2; 32]);
        for msg in one_of_each(&node) {
            let wire = Envelope::new(Kind::Response(1), msg).encode().unwrap();
            for cut in [7, 8, 15, wire.len() / 2, wire.len() - 1] {
                let frame = Frame {
                    version: wire[4],
                    ty: wire[5],
                    body: Bytes::copy_from_slice(&wire[6..cut.max(6)]),
                };
                assert!(Envelope::decode(frame).is_err());
            }
        }
    }

    #[test]
    fn data_limits() {
        let max = Envelope::new(
            Kind::OneWay,
            Message::Data(Data {
                topic: 1,
                payload: Bytes::from(vec![0u8; MAX_DATA_LEN]),
            }),
        );
        let wire = max.encode().unwrap();
        assert_eq!(wire.len(), LEN_PREFIX + MAX_FRAME_LEN);
        assert_eq!(round_trip(&max), max);
        let over = Envelope::new(
            Kind::OneWay,
            Message::Data(Data {
                topic: 1,
                payload: Bytes::from(vec![0u8; MAX_DATA_LEN + 1]),
            }),
        );
        assert!(matches!(over.encode(), Err(Error::MessageTooLarge { .. })));
        // A raw frame claiming a longer payload than it holds.
        let mut body = vec![0u8; 9];
        body.extend_from_slice(&1u32.to_be_bytes());
        body.extend_from_slice(&u32::MAX.to_be_bytes());
        let raw = encode_raw(1, MessageType::Data.as_u8(), &body);
        let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
        dec.feed(&raw).unwrap();
        assert!(Envelope::decode(dec.next_frame().unwrap().unwrap()).is_err());
    }

    #[test]
    fn rejection_reason_is_bounded() {
        let r = Rejection::new(RejectCode::APPLICATION, "é".repeat(300));
        assert!(r.reason.len() <= MAX_REASON_LEN);
        assert!(r.reason.chars().all(|c| c == 'é'));
        assert_eq!(r.to_string(), format!("code 5: {}", r.reason));
    }
}
