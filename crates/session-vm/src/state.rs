//! State layout in the store, the stored records, and a layered view used to
//! execute blocks on top of accepted state (and of blocks not yet decided).
//!
//! Keys (all under the store's `vm:` namespace):
//!
//! | key | value |
//! |---|---|
//! | `vm:meta:*` | chain ID, config, last accepted block, counters |
//! | `vm:blk:` id | block bytes |
//! | `vm:hgt:` height | accepted block ID at that height |
//! | `vm:ses:` session | [`SessionRecord`] |
//! | `vm:key:` identity | public identity bytes (3136) |
//! | `vm:msg:` session ‖ seq | [`MessageRecord`] |
//! | `vm:mid:` message | session ‖ seq |
//! | `vm:exp:` expires ‖ session | empty: sessions by expiry time |
//! | `vm:ret:` time ‖ session ‖ seq | empty: messages by time, for retention |

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Arc;

use session_core::Id;
use session_crypto::SIGNATURE_LEN;
use session_store::Store;

use crate::config::HARD_MAX_MESSAGE_SIZE;
use crate::error::{Error, Result};
use session_core::codec::{Reader, Writer};

/// Key builders.
pub mod keys {
    use session_core::Id;

    /// Chain ID.
    pub const CHAIN_ID: &[u8] = b"vm:meta:chain";
    /// Chain parameters (canonical JSON).
    pub const CONFIG: &[u8] = b"vm:meta:config";
    /// Last accepted block ID.
    pub const LAST_ACCEPTED: &[u8] = b"vm:meta:last";
    /// Counters: open sessions, stored messages.
    pub const COUNTERS: &[u8] = b"vm:meta:counters";
    /// Block bytes by ID.
    pub const BLOCK: &[u8] = b"vm:blk:";
    /// Accepted block ID by height.
    pub const HEIGHT: &[u8] = b"vm:hgt:";
    /// Sessions.
    pub const SESSION: &[u8] = b"vm:ses:";
    /// Public identities.
    pub const KEY: &[u8] = b"vm:key:";
    /// Messages.
    pub const MESSAGE: &[u8] = b"vm:msg:";
    /// Message ID index.
    pub const MESSAGE_ID: &[u8] = b"vm:mid:";
    /// Expiry index.
    pub const EXPIRY: &[u8] = b"vm:exp:";
    /// Retention index.
    pub const RETENTION: &[u8] = b"vm:ret:";

    fn join(prefix: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        let len = prefix.len() + parts.iter().map(|p| p.len()).sum::<usize>();
        let mut k = Vec::with_capacity(len);
        k.extend_from_slice(prefix);
        for p in parts {
            k.extend_from_slice(p);
        }
        k
    }

    /// `vm:blk:` id.
    pub fn block(id: &Id) -> Vec<u8> {
        join(BLOCK, &[id.as_bytes()])
    }
    /// `vm:hgt:` height.
    pub fn height(h: u64) -> Vec<u8> {
        join(HEIGHT, &[&h.to_be_bytes()])
    }
    /// `vm:ses:` id.
    pub fn session(id: &Id) -> Vec<u8> {
        join(SESSION, &[id.as_bytes()])
    }
    /// `vm:key:` identity.
    pub fn key(id: &Id) -> Vec<u8> {
        join(KEY, &[id.as_bytes()])
    }
    /// `vm:msg:` session ‖ seq.
    pub fn message(session: &Id, seq: u64) -> Vec<u8> {
        join(MESSAGE, &[session.as_bytes(), &seq.to_be_bytes()])
    }
    /// `vm:msg:` session (prefix of all its messages).
    pub fn messages_of(session: &Id) -> Vec<u8> {
        join(MESSAGE, &[session.as_bytes()])
    }
    /// `vm:mid:` message id.
    pub fn message_id(id: &Id) -> Vec<u8> {
        join(MESSAGE_ID, &[id.as_bytes()])
    }
    /// `vm:exp:` expires ‖ session.
    pub fn expiry(expires: u64, session: &Id) -> Vec<u8> {
        join(EXPIRY, &[&expires.to_be_bytes(), session.as_bytes()])
    }
    /// The first key of the time index `prefix` (`EXPIRY` or `RETENTION`)
    /// whose time is after `time`: every entry for `time` or earlier sorts
    /// below it.
    pub fn time_bound(prefix: &[u8], time: u64) -> Vec<u8> {
        match time.checked_add(1) {
            Some(next) => join(prefix, &[&next.to_be_bytes()]),
            // Every time is due: the end of the prefix's range (the time
            // index prefixes end in `:`, so the last byte can grow).
            None => {
                debug_assert!(prefix.last().is_some_and(|b| *b < u8::MAX));
                let mut end = prefix.to_vec();
                if let Some(last) = end.last_mut() {
                    *last = last.saturating_add(1);
                }
                end
            }
        }
    }
    /// `vm:ret:` time ‖ session ‖ seq.
    pub fn retention(time: u64, session: &Id, seq: u64) -> Vec<u8> {
        join(
            RETENTION,
            &[&time.to_be_bytes(), session.as_bytes(), &seq.to_be_bytes()],
        )
    }
}

/// Session status as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Open for messages.
    Active,
    /// Closed by a participant.
    Closed,
    /// Its TTL ran out (by block time).
    Expired,
}

impl Status {
    /// The contract's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Closed => "closed",
            Status::Expired => "expired",
        }
    }
}

/// A session as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// Session ID.
    pub id: Id,
    /// Participants, creator first.
    pub participants: Vec<Id>,
    /// The creator's nonce.
    pub nonce: u64,
    /// Block time of creation.
    pub created: u64,
    /// `created + sessionTTL`.
    pub expires: u64,
    /// Stored status (see [`SessionRecord::status_at`]).
    pub status: Status,
    /// Last sequence assigned (= messages sent).
    pub message_count: u64,
    /// Each participant's highest acknowledged sequence.
    pub acks: Vec<u64>,
}

const SESSION_RECORD_VERSION: u8 = 1;

impl SessionRecord {
    /// Status as seen at block time `now`.
    pub fn status_at(&self, now: u64) -> Status {
        match self.status {
            Status::Active if now >= self.expires => Status::Expired,
            s => s,
        }
    }

    /// Index of `who` among the participants.
    pub fn position(&self, who: &Id) -> Option<usize> {
        self.participants.iter().position(|p| p == who)
    }

    /// Canonical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.participants.len();
        let mut out = Vec::with_capacity(2 + 32 + n * 40 + 41);
        out.push(SESSION_RECORD_VERSION);
        out.extend_from_slice(self.id.as_bytes());
        out.extend_from_slice(&u16::try_from(n).expect("bounded").to_be_bytes());
        for p in &self.participants {
            out.extend_from_slice(p.as_bytes());
        }
        for v in [self.nonce, self.created, self.expires, self.message_count] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.push(match self.status {
            Status::Active => 0,
            Status::Closed => 1,
            Status::Expired => 2,
        });
        for a in &self.acks {
            out.extend_from_slice(&a.to_be_bytes());
        }
        out
    }

    /// Decodes stored bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let corrupt = |_: session_core::Error| Error::Corrupt("session record".into());
        let mut r = Reader::new(bytes);
        if r.u8().map_err(corrupt)? != SESSION_RECORD_VERSION {
            return Err(Error::Corrupt("session record version".into()));
        }
        let id = r.id().map_err(corrupt)?;
        let n = usize::from(r.u16().map_err(corrupt)?);
        if r.remaining() < n * 40 + 33 {
            return Err(Error::Corrupt("session record length".into()));
        }
        let participants = (0..n)
            .map(|_| r.id())
            .collect::<Result<Vec<_>, _>>()
            .map_err(corrupt)?;
        let nonce = r.u64().map_err(corrupt)?;
        let created = r.u64().map_err(corrupt)?;
        let expires = r.u64().map_err(corrupt)?;
        let message_count = r.u64().map_err(corrupt)?;
        let status = match r.u8().map_err(corrupt)? {
            0 => Status::Active,
            1 => Status::Closed,
            2 => Status::Expired,
            _ => return Err(Error::Corrupt("session status".into())),
        };
        let acks = (0..n)
            .map(|_| r.u64())
            .collect::<Result<Vec<_>, _>>()
            .map_err(corrupt)?;
        r.finish().map_err(corrupt)?;
        Ok(Self {
            id,
            participants,
            nonce,
            created,
            expires,
            status,
            message_count,
            acks,
        })
    }
}

/// A message as stored (its session and sequence are in the key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRecord {
    /// Message ID.
    pub id: Id,
    /// The sending participant.
    pub sender: Id,
    /// Block time.
    pub timestamp: u64,
    /// Block height.
    pub height: u64,
    /// Opaque ciphertext.
    pub ciphertext: Vec<u8>,
    /// The sender's signature (3309 bytes).
    pub signature: Vec<u8>,
}

const MESSAGE_RECORD_VERSION: u8 = 1;

impl MessageRecord {
    /// Length of the head of the encoding: version, ID, sender, time, height.
    pub const HEAD_LEN: usize = 1 + 32 + 32 + 8 + 8;

    /// Canonical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        Self::encode(
            &self.id,
            &self.sender,
            self.timestamp,
            self.height,
            &self.ciphertext,
            &self.signature,
        )
    }

    /// Canonical bytes of a record made of these parts (no intermediate copy).
    pub fn encode(
        id: &Id,
        sender: &Id,
        timestamp: u64,
        height: u64,
        ciphertext: &[u8],
        signature: &[u8],
    ) -> Vec<u8> {
        let mut w = Writer::with_capacity(Self::HEAD_LEN + 4 + ciphertext.len() + signature.len());
        w.u8(MESSAGE_RECORD_VERSION);
        w.id(id);
        w.id(sender);
        w.u64(timestamp);
        w.u64(height);
        w.bytes(ciphertext);
        w.raw(signature);
        w.into_bytes()
    }

    /// The part of encoded record `bytes` the state root commits to: its head
    /// (the message ID already commits to the ciphertext). Shorter input is
    /// returned whole.
    pub fn committed(bytes: &[u8]) -> &[u8] {
        &bytes[..bytes.len().min(Self::HEAD_LEN)]
    }

    /// Decodes stored bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let corrupt = |_: session_core::Error| Error::Corrupt("message record".into());
        let mut r = Reader::new(bytes);
        if r.u8().map_err(corrupt)? != MESSAGE_RECORD_VERSION {
            return Err(Error::Corrupt("message record version".into()));
        }
        let rec = Self {
            id: r.id().map_err(corrupt)?,
            sender: r.id().map_err(corrupt)?,
            timestamp: r.u64().map_err(corrupt)?,
            height: r.u64().map_err(corrupt)?,
            ciphertext: r
                .byte_vec(HARD_MAX_MESSAGE_SIZE as usize, "ciphertext")
                .map_err(corrupt)?,
            signature: r.take(SIGNATURE_LEN).map_err(corrupt)?.to_vec(),
        };
        r.finish().map_err(corrupt)?;
        Ok(rec)
    }
}

/// Writes of one block: key → new value, or `None` for a deletion.
pub type Changes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// Reads through layers of uncommitted changes down to the store.
pub struct View<'a> {
    store: &'a dyn Store,
    /// Changes of undecided ancestor blocks, oldest first.
    layers: &'a [Arc<Changes>],
    /// Changes of the block being executed.
    pub top: Changes,
}

impl<'a> View<'a> {
    /// A view of `store` with `layers` applied on top.
    pub fn new(store: &'a dyn Store, layers: &'a [Arc<Changes>]) -> Self {
        Self {
            store,
            layers,
            top: Changes::new(),
        }
    }

    fn overlay(&self, key: &[u8]) -> Option<&Option<Vec<u8>>> {
        std::iter::once(&self.top)
            .chain(self.layers.iter().rev().map(|l| &**l))
            .find_map(|layer| layer.get(key))
    }

    /// The current value of `key`.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        match self.overlay(key) {
            Some(v) => Ok(v.clone()),
            None => Ok(self.store.get(key)?),
        }
    }

    /// Whether `key` is present.
    pub fn has(&self, key: &[u8]) -> Result<bool> {
        match self.overlay(key) {
            Some(v) => Ok(v.is_some()),
            None => Ok(self.store.has(key)?),
        }
    }

    /// Sets `key`.
    pub fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.top.insert(key, Some(value));
    }

    /// Deletes `key`.
    pub fn delete(&mut self, key: Vec<u8>) {
        self.top.insert(key, None);
    }

    /// The first `limit` live keys under `prefix` that sort below `below`,
    /// in order, across all layers. (`below` bounds the work: the time
    /// indexes pass the first key not yet due.)
    pub fn scan_keys(&self, prefix: &[u8], below: &[u8], limit: usize) -> Result<Vec<Vec<u8>>> {
        // Merge every overlay layer into one sorted map of the range.
        let mut overlay: BTreeMap<&[u8], bool> = BTreeMap::new();
        for layer in self
            .layers
            .iter()
            .map(|l| &**l)
            .chain(std::iter::once(&self.top))
        {
            for (k, v) in layer.range(prefix.to_vec()..) {
                if !k.starts_with(prefix) || k.as_slice() >= below {
                    break;
                }
                overlay.insert(k.as_slice(), v.is_some());
            }
        }
        let mut out = Vec::new();
        let mut pending = overlay.iter().peekable();
        let emit = |k: &[u8], live: bool, out: &mut Vec<Vec<u8>>| {
            if live {
                out.push(k.to_vec());
            }
            out.len() >= limit
        };
        if limit == 0 {
            return Ok(out);
        }
        let mut done = false;
        self.store.for_each(prefix, &mut |k, _| {
            if k >= below {
                // Past the range: what remains of the overlay is emitted below.
                return ControlFlow::Break(());
            }
            while let Some((ok, live)) = pending.next_if(|(ok, _)| **ok < k) {
                if emit(ok, *live, &mut out) {
                    done = true;
                    return ControlFlow::Break(());
                }
            }
            let live = match pending.next_if(|(ok, _)| **ok == k) {
                Some((_, live)) => *live,
                None => true,
            };
            if emit(k, live, &mut out) {
                done = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })?;
        if !done {
            for (ok, live) in pending {
                if emit(ok, *live, &mut out) {
                    break;
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use session_store::MemoryStore;

    #[test]
    fn records_round_trip_and_reject_garbage() {
        let s = SessionRecord {
            id: Id::new([1; 32]),
            participants: vec![Id::new([2; 32]), Id::new([3; 32])],
            nonce: 9,
            created: 100,
            expires: 200,
            status: Status::Closed,
            message_count: 4,
            acks: vec![1, 4],
        };
        assert_eq!(SessionRecord::from_bytes(&s.to_bytes()).unwrap(), s);
        let bytes = s.to_bytes();
        for cut in 0..bytes.len() {
            assert!(SessionRecord::from_bytes(&bytes[..cut]).is_err());
        }
        let m = MessageRecord {
            id: Id::new([4; 32]),
            sender: Id::new([2; 32]),
            timestamp: 5,
            height: 6,
            ciphertext: vec![7; 10],
            signature: vec![8; SIGNATURE_LEN],
        };
        assert_eq!(MessageRecord::from_bytes(&m.to_bytes()).unwrap(), m);
        assert!(MessageRecord::from_bytes(&m.to_bytes()[..50]).is_err());
        assert_eq!(s.status_at(150), Status::Closed);
    }

    #[test]
    fn view_merges_layers_in_order() {
        let store = MemoryStore::new();
        for k in [&b"p:1"[..], b"p:3", b"p:5", b"q:0"] {
            store.put(k, b"s").unwrap();
        }
        let mut lower = Changes::new();
        lower.insert(b"p:2".to_vec(), Some(b"l".to_vec()));
        lower.insert(b"p:3".to_vec(), None);
        let layers = vec![Arc::new(lower)];
        let mut view = View::new(&store, &layers);
        view.put(b"p:4".to_vec(), b"t".to_vec());
        view.delete(b"p:5".to_vec());
        view.put(b"p:6".to_vec(), b"t".to_vec());
        let keys = view.scan_keys(b"p:", b"p;", 10).unwrap();
        assert_eq!(
            keys,
            vec![
                b"p:1".to_vec(),
                b"p:2".to_vec(),
                b"p:4".to_vec(),
                b"p:6".to_vec()
            ]
        );
        assert_eq!(view.scan_keys(b"p:", b"p;", 2).unwrap().len(), 2);
        // An upper bound cuts both the store's keys and the overlay's.
        assert_eq!(
            view.scan_keys(b"p:", b"p:4", 10).unwrap(),
            vec![b"p:1".to_vec(), b"p:2".to_vec()]
        );
        assert_eq!(
            view.scan_keys(b"p:", b"p:5", 10).unwrap(),
            vec![b"p:1".to_vec(), b"p:2".to_vec(), b"p:4".to_vec()]
        );
        assert_eq!(
            view.scan_keys(b"p:", b"p:7", 10).unwrap(),
            vec![
                b"p:1".to_vec(),
                b"p:2".to_vec(),
                b"p:4".to_vec(),
                b"p:6".to_vec()
            ]
        );
        assert!(view.scan_keys(b"p:", b"p:", 10).unwrap().is_empty());
        assert_eq!(view.get(b"p:3").unwrap(), None);
        assert_eq!(view.get(b"p:2").unwrap(), Some(b"l".to_vec()));
        assert!(view.has(b"q:0").unwrap());
    }
}
