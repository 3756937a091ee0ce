//! Deterministic execution: transactions and blocks over a [`View`].
//!
//! Every check runs before any write, so a rejected transaction leaves no trace.
//! Time is the block's time, never the wall clock.

use std::collections::HashSet;

use blake2::digest::{Update, VariableOutput};
use session_core::Id;
use session_crypto::PublicIdentity;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::state::{Changes, MessageRecord, SessionRecord, Status, View, keys};
use crate::statement;
use crate::tx::{AckMessages, CloseSession, CreateSession, SendMessage, Tx};

/// Largest `nonce` (JSON integers are exact up to 2^53 − 1).
pub const MAX_NONCE: u64 = (1 << 53) - 1;
/// Index entries processed per block for expiry and retention (bounds block time).
pub const HOUSEKEEPING_PER_BLOCK: usize = 1_024;

/// What executing a transaction produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A session was created.
    Created {
        /// Its ID.
        session_id: Id,
        /// Its expiry (block time).
        expires: u64,
    },
    /// A message was stored.
    Sent {
        /// Its ID.
        message_id: Id,
        /// Its sequence in the session.
        sequence: u64,
    },
    /// The session was closed.
    Closed,
    /// Acknowledgements were recorded.
    Acked,
}

/// The block being executed.
#[derive(Clone, Copy, Debug)]
pub struct BlockContext<'a> {
    /// Chain the statements are bound to.
    pub chain_id: &'a Id,
    /// Chain parameters.
    pub config: &'a Config,
    /// Block height.
    pub height: u64,
    /// Block time (Unix seconds).
    pub time: u64,
}

/// A transaction offered to block execution.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// The transaction.
    pub tx: &'a Tx,
    /// `Some(tx ID)` when its signature was already verified (on mempool
    /// admission, or by a parallel pass over a block): the ID is then not
    /// derived again. `None`: execution verifies the signature itself.
    pub verified: Option<Id>,
}

/// Counters kept in state for `Health`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Sessions neither closed nor expired.
    pub open_sessions: u64,
    /// Messages stored (not yet pruned).
    pub messages: u64,
}

impl Counters {
    /// Reads the counters from a view.
    pub fn load(view: &View<'_>) -> Result<Self> {
        match view.get(keys::COUNTERS)? {
            None => Ok(Self::default()),
            Some(b) if b.len() == 16 => Ok(Self {
                open_sessions: u64::from_be_bytes(b[..8].try_into().expect("8 bytes")),
                messages: u64::from_be_bytes(b[8..].try_into().expect("8 bytes")),
            }),
            Some(_) => Err(Error::Corrupt("counters".into())),
        }
    }

    fn store(&self, view: &mut View<'_>) {
        let mut b = self.open_sessions.to_be_bytes().to_vec();
        b.extend_from_slice(&self.messages.to_be_bytes());
        view.put(keys::COUNTERS.to_vec(), b);
    }
}

/// Loads a session record.
pub fn load_session(view: &View<'_>, id: &Id) -> Result<Option<SessionRecord>> {
    view.get(&keys::session(id))?
        .map(|b| SessionRecord::from_bytes(&b))
        .transpose()
}

/// Loads a registered public identity.
pub fn load_key(view: &View<'_>, id: &Id) -> Result<PublicIdentity> {
    let bytes = view
        .get(&keys::key(id))?
        .ok_or_else(|| Error::Corrupt("participant key missing".into()))?;
    let key =
        PublicIdentity::from_bytes(&bytes).map_err(|_| Error::Corrupt("participant key".into()))?;
    // Stored keys are bound to their IDs when sessions are created; a key
    // that is not (a damaged store) must not be used or cached for `id`.
    if key.id().0 != *id.as_bytes() {
        return Err(Error::Corrupt(
            "participant key does not match its ID".into(),
        ));
    }
    Ok(key)
}

/// Checks the shape of a transaction against the chain's limits (step 1 of the contract).
pub fn check_shape(tx: &Tx, config: &Config) -> Result<()> {
    match tx {
        Tx::CreateSession(t) => {
            if t.participants.len() < 2 {
                return Err(Error::params("a session needs at least 2 participants"));
            }
            if t.participants.len() != t.public_keys.len() {
                return Err(Error::params("one public key per participant"));
            }
            let mut seen = HashSet::with_capacity(t.participants.len());
            if !t.participants.iter().all(|p| seen.insert(*p)) {
                return Err(Error::params("repeated participant"));
            }
            for (p, k) in t.participants.iter().zip(&t.public_keys) {
                if p.as_bytes() != &k.id().0 {
                    return Err(Error::params(
                        "public key does not match its participant ID",
                    ));
                }
            }
            if t.nonce > MAX_NONCE {
                return Err(Error::params("nonce must be below 2^53"));
            }
            if t.participants.len() > usize::from(config.max_participants) {
                return Err(Error::Limit(format!(
                    "at most {} participants",
                    config.max_participants
                )));
            }
        }
        Tx::SendMessage(t) => {
            if t.ciphertext.is_empty() {
                return Err(Error::params("empty ciphertext"));
            }
            if t.ciphertext.len() > config.max_message_size as usize {
                return Err(Error::Limit(format!(
                    "ciphertext over maxMessageSize ({} bytes)",
                    config.max_message_size
                )));
            }
        }
        Tx::CloseSession(_) | Tx::AckMessages(_) => {}
    }
    Ok(())
}

/// Checks that `session` is active at `time` (step 3).
pub fn check_active(session: &SessionRecord, time: u64) -> Result<()> {
    match session.status_at(time) {
        Status::Active => Ok(()),
        s => Err(Error::NotActive(s.as_str())),
    }
}

/// Verifies the signature of `tx` with `key` (step 4); returns the
/// transaction's ID, derived from the statement just built.
pub fn check_signature(tx: &Tx, chain_id: &Id, key: &PublicIdentity) -> Result<Id> {
    let stmt = tx.statement(chain_id);
    key.verify(&stmt, tx.signature())
        .map_err(|_| Error::Unauthorized("signature does not verify"))?;
    Ok(statement::derive_id(&stmt))
}

/// Executes one transaction on `view`; on error nothing is written.
///
/// See [`Input::verified`] for what is trusted about `input`.
pub fn execute_tx(
    view: &mut View<'_>,
    ctx: &BlockContext<'_>,
    counters: &mut Counters,
    input: Input<'_>,
) -> Result<Outcome> {
    check_shape(input.tx, ctx.config)?;
    match input.tx {
        Tx::CreateSession(t) => create(view, ctx, counters, input, t),
        Tx::SendMessage(t) => send(view, ctx, counters, input, t),
        Tx::CloseSession(t) => close(view, ctx, counters, input, t),
        Tx::AckMessages(t) => ack(view, ctx, input, t),
    }
}

/// Loads the target session and runs steps 2–4 for a participant's statement.
/// Returns the session, the sender's position in it and the transaction ID.
fn participant_checks(
    view: &View<'_>,
    ctx: &BlockContext<'_>,
    input: Input<'_>,
    session_id: &Id,
    sender: &Id,
) -> Result<(SessionRecord, usize, Id)> {
    let session = load_session(view, session_id)?.ok_or(Error::UnknownSession)?;
    check_active(&session, ctx.time)?;
    let pos = session
        .position(sender)
        .ok_or(Error::Unauthorized("sender is not a participant"))?;
    let tx_id = match input.verified {
        Some(id) => id,
        None => check_signature(input.tx, ctx.chain_id, &load_key(view, sender)?)?,
    };
    Ok((session, pos, tx_id))
}

fn create(
    view: &mut View<'_>,
    ctx: &BlockContext<'_>,
    counters: &mut Counters,
    input: Input<'_>,
    t: &CreateSession,
) -> Result<Outcome> {
    let session_id = match input.verified {
        Some(id) => id,
        None => {
            let stmt = input.tx.statement(ctx.chain_id);
            t.public_keys[0]
                .verify(&stmt, &t.signature)
                .map_err(|_| Error::Unauthorized("signature does not verify"))?;
            statement::derive_id(&stmt)
        }
    };
    if view.has(&keys::session(&session_id))? {
        return Err(Error::Duplicate("session already exists"));
    }
    let expires = ctx.time.saturating_add(ctx.config.session_ttl);
    let record = SessionRecord {
        id: session_id,
        participants: t.participants.clone(),
        nonce: t.nonce,
        created: ctx.time,
        expires,
        status: Status::Active,
        message_count: 0,
        acks: vec![0; t.participants.len()],
    };
    for (p, k) in t.participants.iter().zip(&t.public_keys) {
        let key = keys::key(p);
        if !view.has(&key)? {
            view.put(key, k.to_bytes());
        }
    }
    view.put(keys::session(&session_id), record.to_bytes());
    view.put(keys::expiry(expires, &session_id), Vec::new());
    counters.open_sessions += 1;
    Ok(Outcome::Created {
        session_id,
        expires,
    })
}

fn send(
    view: &mut View<'_>,
    ctx: &BlockContext<'_>,
    counters: &mut Counters,
    input: Input<'_>,
    t: &SendMessage,
) -> Result<Outcome> {
    let (mut session, _, message_id) =
        participant_checks(view, ctx, input, &t.session_id, &t.sender)?;
    if view.has(&keys::message_id(&message_id))? {
        return Err(Error::Duplicate("message already stored"));
    }
    if session.message_count >= ctx.config.max_messages {
        return Err(Error::Limit(format!(
            "session holds maxMessages ({})",
            ctx.config.max_messages
        )));
    }
    session.message_count += 1;
    let sequence = session.message_count;
    let record = MessageRecord::encode(
        &message_id,
        &t.sender,
        ctx.time,
        ctx.height,
        &t.ciphertext,
        t.signature.as_bytes(),
    );
    let mut index = t.session_id.as_bytes().to_vec();
    index.extend_from_slice(&sequence.to_be_bytes());
    view.put(keys::message(&t.session_id, sequence), record);
    view.put(keys::message_id(&message_id), index);
    if ctx.config.retention_secs().is_some() {
        view.put(
            keys::retention(ctx.time, &t.session_id, sequence),
            Vec::new(),
        );
    }
    view.put(keys::session(&t.session_id), session.to_bytes());
    counters.messages += 1;
    Ok(Outcome::Sent {
        message_id,
        sequence,
    })
}

fn close(
    view: &mut View<'_>,
    ctx: &BlockContext<'_>,
    counters: &mut Counters,
    input: Input<'_>,
    t: &CloseSession,
) -> Result<Outcome> {
    let (mut session, ..) = participant_checks(view, ctx, input, &t.session_id, &t.sender)?;
    session.status = Status::Closed;
    view.delete(keys::expiry(session.expires, &session.id));
    view.put(keys::session(&session.id), session.to_bytes());
    counters.open_sessions = counters.open_sessions.saturating_sub(1);
    Ok(Outcome::Closed)
}

fn ack(
    view: &mut View<'_>,
    ctx: &BlockContext<'_>,
    input: Input<'_>,
    t: &AckMessages,
) -> Result<Outcome> {
    let (mut session, pos, _) = participant_checks(view, ctx, input, &t.session_id, &t.sender)?;
    if t.up_to <= session.acks[pos] {
        return Err(Error::Duplicate("upTo is not above the last ack"));
    }
    if t.up_to > session.message_count {
        return Err(Error::params("upTo is above the session's last sequence"));
    }
    session.acks[pos] = t.up_to;
    view.put(keys::session(&session.id), session.to_bytes());
    Ok(Outcome::Acked)
}

/// Expires sessions and prunes old messages, by block time, a bounded amount per block.
pub fn housekeeping(
    view: &mut View<'_>,
    ctx: &BlockContext<'_>,
    counters: &mut Counters,
) -> Result<()> {
    // Only entries already due are read: expiry at or before the block time.
    let due = keys::time_bound(keys::EXPIRY, ctx.time);
    for key in view.scan_keys(keys::EXPIRY, &due, HOUSEKEEPING_PER_BLOCK)? {
        let rest = &key[keys::EXPIRY.len()..];
        let (time, id) =
            split_time_id(rest).ok_or_else(|| Error::Corrupt("expiry index".into()))?;
        if time > ctx.time {
            break;
        }
        if let Some(mut s) = load_session(view, &id)?
            && s.status == Status::Active
        {
            s.status = Status::Expired;
            view.put(keys::session(&id), s.to_bytes());
            counters.open_sessions = counters.open_sessions.saturating_sub(1);
        }
        view.delete(key);
    }
    let Some(window) = ctx.config.retention_secs() else {
        return Ok(());
    };
    // Messages stored at or before `time - window`.
    let due = match ctx.time.checked_sub(window) {
        Some(t) => keys::time_bound(keys::RETENTION, t),
        None => return Ok(()),
    };
    for key in view.scan_keys(keys::RETENTION, &due, HOUSEKEEPING_PER_BLOCK)? {
        let rest = &key[keys::RETENTION.len()..];
        let (time, id) =
            split_time_id(rest).ok_or_else(|| Error::Corrupt("retention index".into()))?;
        if time.saturating_add(window) > ctx.time {
            break;
        }
        let seq = rest
            .get(40..48)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_be_bytes)
            .ok_or_else(|| Error::Corrupt("retention index".into()))?;
        let msg_key = keys::message(&id, seq);
        if let Some(bytes) = view.get(&msg_key)? {
            let msg = MessageRecord::from_bytes(&bytes)?;
            view.delete(keys::message_id(&msg.id));
            view.delete(msg_key);
            counters.messages = counters.messages.saturating_sub(1);
        }
        view.delete(key);
    }
    Ok(())
}

fn split_time_id(rest: &[u8]) -> Option<(u64, Id)> {
    let time = u64::from_be_bytes(rest.get(..8)?.try_into().ok()?);
    let id = Id::new(rest.get(8..40)?.try_into().ok()?);
    Some((time, id))
}

/// Result of executing a block's transactions.
#[derive(Debug)]
pub struct Executed {
    /// State writes.
    pub changes: Changes,
    /// Per input transaction: its outcome or why it was left out.
    pub outcomes: Vec<Result<Outcome>>,
    /// State root after the block.
    pub state_root: Id,
}

/// Executes `txs` as block `ctx` on top of `view`. With `strict`, any failing transaction fails the
/// whole block (verifying someone else's block); otherwise failing transactions
/// are left out (building a block).
pub fn execute_block(
    mut view: View<'_>,
    ctx: &BlockContext<'_>,
    parent_root: &Id,
    txs: &[Input<'_>],
    strict: bool,
) -> Result<Executed> {
    let mut counters = Counters::load(&view)?;
    housekeeping(&mut view, ctx, &mut counters)?;
    let mut outcomes = Vec::with_capacity(txs.len());
    for input in txs {
        let before = counters;
        let result = execute_tx(&mut view, ctx, &mut counters, *input);
        match &result {
            Err(e) if strict => {
                return Err(Error::InvalidBlock(format!("transaction rejected: {e}")));
            }
            Err(_) => counters = before,
            Ok(_) => {}
        }
        outcomes.push(result);
    }
    counters.store(&mut view);
    let state_root = state_root(parent_root, ctx.height, &view.top);
    Ok(Executed {
        changes: view.top,
        outcomes,
        state_root,
    })
}

/// `Blake2b-256("lux-sessionvm/state" ‖ parent root ‖ height ‖ writes)`, where the
/// writes are every changed key in order with its new value (or a deletion mark).
///
/// A message record enters with its head only ([`MessageRecord::committed`]:
/// ID, sender, time, height): the ID is the hash of the signed statement,
/// which commits to the ciphertext, and the signature is in the block, whose
/// ID commits to it. Hashing the 4 KB payload a second time would add nothing.
pub fn state_root(parent_root: &Id, height: u64, changes: &Changes) -> Id {
    let mut h = blake2::Blake2bVar::new(32).expect("32 is a valid Blake2b output size");
    h.update(b"lux-sessionvm/state");
    h.update(parent_root.as_bytes());
    h.update(&height.to_be_bytes());
    for (k, v) in changes {
        h.update(&(k.len() as u64).to_be_bytes());
        h.update(k);
        match v {
            Some(v) => {
                let v = if k.starts_with(keys::MESSAGE) {
                    MessageRecord::committed(v)
                } else {
                    v
                };
                h.update(&[1]);
                h.update(&(v.len() as u64).to_be_bytes());
                h.update(v);
            }
            None => h.update(&[0]),
        }
    }
    let mut out = [0u8; 32];
    h.finalize_variable(&mut out).expect("buffer is 32 bytes");
    Id::new(out)
}
