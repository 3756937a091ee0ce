//! Read-only queries over accepted state. They take no VM lock: the store gives
//! each read a consistent snapshot.

use std::sync::Arc;

use parking_lot::RwLock;
use session_core::Id;
use session_crypto::PublicIdentity;
use session_store::Store;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::exec::{self, Counters};
use crate::key_cache::KeyCache;
use crate::state::{MessageRecord, SessionRecord, View, keys};
use crate::tx::CreateSession;
use crate::vm::Tip;

/// Most messages one `GetMessages` returns.
pub const MAX_PAGE: u32 = 1_000;

/// A session as `GetSession` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// Session ID.
    pub id: Id,
    /// Participants, creator first.
    pub participants: Vec<Id>,
    /// Their public identities.
    pub public_keys: Vec<PublicIdentity>,
    /// Block time of creation (0 while pending).
    pub created: u64,
    /// Expiry (0 while pending).
    pub expires: u64,
    /// `pending`, `active`, `expired` or `closed`.
    pub status: &'static str,
    /// Messages sent so far.
    pub message_count: u64,
    /// Each participant's highest acknowledged sequence.
    pub acks: Vec<u64>,
}

impl SessionInfo {
    /// A session whose `CreateSession` still waits in the mempool.
    pub fn pending(id: Id, create: &CreateSession) -> Self {
        Self {
            id,
            participants: create.participants.clone(),
            public_keys: create.public_keys.clone(),
            created: 0,
            expires: 0,
            status: "pending",
            message_count: 0,
            acks: vec![0; create.participants.len()],
        }
    }
}

/// A stored message with its place in the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMessage {
    /// Session ID.
    pub session_id: Id,
    /// Sequence (1, 2, 3, …).
    pub sequence: u64,
    /// The record.
    pub record: MessageRecord,
}

/// Queries over accepted state.
#[derive(Clone)]
pub struct StateReader {
    store: Arc<dyn Store>,
    chain_id: Id,
    config: Config,
    tip: Arc<RwLock<Tip>>,
    keys: Arc<KeyCache>,
}

impl std::fmt::Debug for StateReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateReader")
            .field("chain_id", &self.chain_id)
            .finish_non_exhaustive()
    }
}

impl StateReader {
    /// A reader of `store`; `tip` tracks the last accepted block; `keys`
    /// caches participant keys (shared with the [`Vm`](crate::Vm)).
    pub fn new(
        store: Arc<dyn Store>,
        chain_id: Id,
        config: Config,
        tip: Arc<RwLock<Tip>>,
        keys: Arc<KeyCache>,
    ) -> Self {
        Self {
            store,
            chain_id,
            config,
            tip,
            keys,
        }
    }

    fn view(&self) -> View<'_> {
        View::new(&*self.store, &[])
    }

    /// The chain ID.
    pub fn chain_id(&self) -> &Id {
        &self.chain_id
    }

    /// Chain parameters.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The last accepted block.
    pub fn tip(&self) -> Tip {
        self.tip.read().clone()
    }

    /// The stored session record.
    pub fn record(&self, id: &Id) -> Result<Option<SessionRecord>> {
        exec::load_session(&self.view(), id)
    }

    /// Whether a session exists in accepted state.
    pub fn session_exists(&self, id: &Id) -> Result<bool> {
        Ok(self.store.has(&keys::session(id))?)
    }

    /// Whether a message ID is stored.
    pub fn message_exists(&self, id: &Id) -> Result<bool> {
        Ok(self.store.has(&keys::message_id(id))?)
    }

    /// A registered public identity, for reading (kept parsed).
    pub fn key(&self, id: &Id) -> Result<PublicIdentity> {
        self.keys.parsed(id, || exec::load_key(&self.view(), id))
    }

    /// A registered public identity, prepared for checking its signatures.
    pub fn verifying_key(&self, id: &Id) -> Result<PublicIdentity> {
        self.keys.prepared(id, || exec::load_key(&self.view(), id))
    }

    /// A session with its keys and status at the last accepted block's time.
    pub fn session(&self, id: &Id) -> Result<Option<SessionInfo>> {
        let Some(r) = self.record(id)? else {
            return Ok(None);
        };
        let public_keys = r
            .participants
            .iter()
            .map(|p| self.key(p))
            .collect::<Result<Vec<_>>>()?;
        let status = r.status_at(self.tip.read().timestamp).as_str();
        Ok(Some(SessionInfo {
            id: r.id,
            participants: r.participants,
            public_keys,
            created: r.created,
            expires: r.expires,
            status,
            message_count: r.message_count,
            acks: r.acks,
        }))
    }

    /// Messages with `sequence > after`, at most `limit` (1..=1000), in order.
    pub fn messages(&self, session: &Id, after: u64, limit: u32) -> Result<Vec<StoredMessage>> {
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(Error::params("limit must be between 1 and 1000"));
        }
        let prefix = keys::messages_of(session);
        let from = keys::message(session, after);
        let rows = self.store.scan(&prefix, Some(&from), limit as usize)?;
        rows.into_iter()
            .map(|(k, v)| {
                let seq = k
                    .get(prefix.len()..)
                    .and_then(|b| b.try_into().ok())
                    .map(u64::from_be_bytes)
                    .ok_or_else(|| Error::Corrupt("message key".into()))?;
                Ok(StoredMessage {
                    session_id: *session,
                    sequence: seq,
                    record: MessageRecord::from_bytes(&v)?,
                })
            })
            .collect()
    }

    /// Counters for `Health`.
    pub fn counters(&self) -> Result<Counters> {
        Counters::load(&self.view())
    }
}
