//! The running chain shared by the RPC service and whatever seals blocks
//! (standalone: [`Chain::seal_pending`] as soon as transactions wait; plugin mode:
//! the node's consensus). Admission verifies signatures before a transaction
//! enters the mempool; callers wait for the block that decides it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Mutex, RwLock};
use session_core::Id;
use tokio::sync::{Notify, oneshot};

use crate::block::{MAX_BLOCK_TXS, SealedBlock};
use crate::error::{Error, Result};
use crate::exec::{self, Outcome};
use crate::key_cache::{DEFAULT_KEY_CACHE_SIZE, KeyCache};
use crate::mempool::{DEFAULT_MEMPOOL_SIZE, Mempool};
use crate::query::{SessionInfo, StateReader};
use crate::statement;
use crate::tx::Tx;
use crate::vm::{Tip, Vm};

/// Node-side knobs (not part of consensus).
#[derive(Clone, Debug)]
pub struct ChainOptions {
    /// Mempool capacity.
    pub mempool_size: usize,
    /// How long a state-changing call waits for its block before `-32007`.
    pub accept_wait: Duration,
    /// Participant keys kept prepared for verification ([`KeyCache`]).
    pub key_cache_size: usize,
}

impl Default for ChainOptions {
    fn default() -> Self {
        Self {
            mempool_size: DEFAULT_MEMPOOL_SIZE,
            accept_wait: Duration::from_secs(10),
            key_cache_size: DEFAULT_KEY_CACHE_SIZE,
        }
    }
}

type Waiter = oneshot::Sender<Result<Outcome>>;

/// A chain with its mempool and waiting callers.
pub struct Chain {
    vm: Mutex<Vm>,
    mempool: Mutex<Mempool>,
    waiters: Mutex<HashMap<Id, Waiter>>,
    pending: Notify,
    reader: StateReader,
    tip: Arc<RwLock<Tip>>,
    options: ChainOptions,
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chain")
            .field("tip", &*self.tip.read())
            .finish_non_exhaustive()
    }
}

/// Unix time now, in seconds.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Chain {
    /// Wraps an opened VM.
    pub fn new(mut vm: Vm, options: ChainOptions) -> Self {
        if options.key_cache_size != vm.key_cache().capacity() {
            vm.use_key_cache(Arc::new(KeyCache::new(options.key_cache_size)));
        }
        let tip = Arc::new(RwLock::new(vm.last_accepted()));
        let reader = StateReader::new(
            vm.store().clone(),
            *vm.chain_id(),
            vm.config().clone(),
            tip.clone(),
            vm.key_cache().clone(),
        );
        Self {
            mempool: Mutex::new(Mempool::new(options.mempool_size)),
            vm: Mutex::new(vm),
            waiters: Mutex::new(HashMap::new()),
            pending: Notify::new(),
            reader,
            tip,
            options,
        }
    }

    /// Read access to accepted state.
    pub fn reader(&self) -> &StateReader {
        &self.reader
    }

    /// The last accepted block.
    pub fn tip(&self) -> Tip {
        self.tip.read().clone()
    }

    /// Transactions waiting for a block.
    pub fn pending_count(&self) -> usize {
        self.mempool.lock().len()
    }

    /// Runs `f` with the VM locked (block calls of the plugin protocol).
    pub fn with_vm<T>(&self, f: impl FnOnce(&mut Vm) -> T) -> T {
        let mut vm = self.vm.lock();
        let out = f(&mut vm);
        *self.tip.write() = vm.last_accepted();
        out
    }

    /// Resolves when transactions may be waiting (edge-triggered).
    pub async fn pending_signal(&self) {
        self.pending.notified().await;
    }

    /// Session as seen by callers: accepted state, or `pending` in the mempool.
    pub fn session(&self, id: &Id) -> Result<Option<SessionInfo>> {
        if let Some(s) = self.reader.session(id)? {
            return Ok(Some(s));
        }
        let mempool = self.mempool.lock();
        Ok(mempool
            .pending_create(id)
            .map(|c| SessionInfo::pending(*id, c)))
    }

    /// Whether a session exists, accepted or `pending` in the mempool.
    pub fn session_exists(&self, id: &Id) -> Result<bool> {
        Ok(self.reader.session_exists(id)? || self.mempool.lock().pending_create(id).is_some())
    }

    /// Checks a transaction as the contract orders (shape, session, activity,
    /// signature, replay, limits) against accepted state and the mempool, and
    /// queues it. Returns its transaction ID.
    pub fn admit(&self, tx: Tx) -> Result<Id> {
        self.admit_with(tx, None)
    }

    fn admit_with(&self, tx: Tx, waiter: Option<Waiter>) -> Result<Id> {
        let config = self.reader.config();
        let chain_id = self.reader.chain_id();
        exec::check_shape(&tx, config)?;
        let stmt = tx.statement(chain_id);
        let tx_id = statement::derive_id(&stmt);
        let session_id = match &tx {
            Tx::CreateSession(c) => {
                c.public_keys[0]
                    .verify(&stmt, &c.signature)
                    .map_err(|_| Error::Unauthorized("signature does not verify"))?;
                if self.reader.session_exists(&tx_id)? {
                    return Err(Error::Duplicate("session already exists"));
                }
                tx_id
            }
            other => {
                self.admit_participant(other, &stmt, &tx_id)?;
                other.session_id(chain_id)
            }
        };
        let mut mempool = self.mempool.lock();
        mempool.insert(tx_id, tx, session_id)?;
        if let Some(w) = waiter {
            self.waiters.lock().insert(tx_id, w);
        }
        drop(mempool);
        self.pending.notify_one();
        Ok(tx_id)
    }

    fn admit_participant(&self, tx: &Tx, stmt: &[u8], tx_id: &Id) -> Result<()> {
        let chain_id = self.reader.chain_id();
        let session_id = tx.session_id(chain_id);
        let sender = tx.signer();
        let verify = |key: &session_crypto::PublicIdentity| {
            key.verify(stmt, tx.signature())
                .map_err(|_| Error::Unauthorized("signature does not verify"))
        };
        let Some(session) = self.reader.record(&session_id)? else {
            // A session still in the mempool is active and has no messages yet.
            let key = {
                let mempool = self.mempool.lock();
                let create = mempool
                    .pending_create(&session_id)
                    .ok_or(Error::UnknownSession)?;
                let pos = create
                    .participants
                    .iter()
                    .position(|p| *p == sender)
                    .ok_or(Error::Unauthorized("sender is not a participant"))?;
                create.public_keys[pos].clone()
            };
            verify(&key)?;
            if let Tx::AckMessages(a) = tx {
                return Err(if a.up_to == 0 {
                    Error::Duplicate("upTo is not above the last ack")
                } else {
                    Error::params("upTo is above the session's last sequence")
                });
            }
            return Ok(());
        };
        exec::check_active(&session, self.tip.read().timestamp)?;
        let pos = session
            .position(&sender)
            .ok_or(Error::Unauthorized("sender is not a participant"))?;
        verify(&self.reader.verifying_key(&sender)?)?;
        match tx {
            Tx::SendMessage(_) => {
                if self.reader.message_exists(tx_id)? {
                    return Err(Error::Duplicate("message already stored"));
                }
                if session.message_count >= self.reader.config().max_messages {
                    return Err(Error::Limit(format!(
                        "session holds maxMessages ({})",
                        self.reader.config().max_messages
                    )));
                }
            }
            Tx::AckMessages(a) => {
                if a.up_to <= session.acks[pos] {
                    return Err(Error::Duplicate("upTo is not above the last ack"));
                }
                if a.up_to > session.message_count {
                    return Err(Error::params("upTo is above the session's last sequence"));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Admits `tx` and waits until the block that decides it is accepted.
    pub async fn submit(&self, tx: Tx) -> Result<Outcome> {
        let (send, recv) = oneshot::channel();
        let tx_id = self.admit_with(tx, Some(send))?;
        // A zero wait means "do not wait": answer -32007 at once.
        if self.options.accept_wait.is_zero() {
            self.waiters.lock().remove(&tx_id);
            return Err(Error::NotYetAccepted { tx_id });
        }
        tokio::select! {
            biased;
            () = tokio::time::sleep(self.options.accept_wait) => {
                self.waiters.lock().remove(&tx_id);
                Err(Error::NotYetAccepted { tx_id })
            }
            result = recv => result.unwrap_or(Err(Error::Closed)),
        }
    }

    /// Standalone sealing: builds blocks from everything pending and accepts
    /// them at once. Returns the number of transactions decided.
    pub fn seal_pending(&self) -> Result<usize> {
        let mut decided = 0;
        loop {
            let batch = self.mempool.lock().take(MAX_BLOCK_TXS);
            if batch.is_empty() {
                return Ok(decided);
            }
            decided += batch.len();
            let ids: Vec<Id> = batch.iter().map(|(id, _)| *id).collect();
            let txs = batch.into_iter().map(|(id, tx)| (tx, Some(id))).collect();
            let result = self.with_vm(|vm| {
                let (block, outcomes) = vm.build_block(txs, unix_now())?;
                if let Some(block) = block {
                    vm.accept_block(&block.id)?;
                }
                Ok::<_, Error>(outcomes)
            });
            let outcomes = match result {
                Ok(o) => o,
                Err(e) => {
                    self.resolve(ids.into_iter().map(|id| (id, Err(e.clone()))));
                    return Err(e);
                }
            };
            self.resolve(ids.into_iter().zip(outcomes));
        }
    }

    /// Plugin mode: builds a block on the preferred tip from pending
    /// transactions, which leave the mempool until the block is decided
    /// (they return on reject). `None` when nothing valid waits. The block
    /// is processing: accept or reject it later.
    pub fn build_block(&self, now: u64) -> Result<Option<SealedBlock>> {
        let batch = self.mempool.lock().take(MAX_BLOCK_TXS);
        if batch.is_empty() {
            return Ok(None);
        }
        // A copy: on failure the batch goes back to the mempool as it was.
        let txs = batch
            .iter()
            .map(|(id, tx)| (tx.clone(), Some(*id)))
            .collect();
        let built = self.with_vm(|vm| vm.build_block(txs, now));
        let (block, outcomes) = match built {
            Ok(b) => b,
            Err(e) => {
                // Nothing was built: everything goes back as it was.
                let chain_id = *self.reader.chain_id();
                self.mempool.lock().restore(
                    batch
                        .into_iter()
                        .map(|(id, tx)| {
                            let session = tx.session_id(&chain_id);
                            (id, tx, session)
                        })
                        .collect(),
                );
                return Err(e);
            }
        };
        // Transactions that no longer apply are dropped and their callers told.
        self.resolve(
            batch
                .iter()
                .zip(outcomes)
                .filter(|(_, o)| o.is_err())
                .map(|((id, _), o)| (*id, o)),
        );
        Ok(block)
    }

    /// Plugin mode: verifies block bytes from anyone (every signature checked).
    pub fn verify_block(&self, bytes: &[u8], now: u64) -> Result<SealedBlock> {
        self.with_vm(|vm| vm.verify_block(bytes, now))
    }

    /// Plugin mode: accepts a processing block durably, answers the callers
    /// waiting on its transactions and drops them from the mempool.
    pub fn accept_block(&self, id: &Id) -> Result<()> {
        let decided = self.with_vm(|vm| vm.accept_block(id))?;
        {
            let mut mempool = self.mempool.lock();
            for (tx_id, _) in &decided {
                mempool.remove(tx_id);
            }
        }
        self.resolve(decided.into_iter().map(|(id, o)| (id, Ok(o))));
        Ok(())
    }

    /// Plugin mode: drops a processing block (and its descendants); their
    /// transactions return to the mempool. Returns how many came back.
    pub fn reject_block(&self, id: &Id) -> Result<usize> {
        let txs = self.with_vm(|vm| vm.reject_block(id))?;
        let chain_id = *self.reader.chain_id();
        let back: Vec<(Id, Tx, Id)> = txs
            .into_iter()
            .map(|(tx_id, tx)| {
                let session = tx.session_id(&chain_id);
                (tx_id, tx, session)
            })
            .collect();
        let n = back.len();
        self.mempool.lock().restore(back);
        Ok(n)
    }

    /// Hands outcomes to waiting callers.
    pub fn resolve(&self, results: impl IntoIterator<Item = (Id, Result<Outcome>)>) {
        let mut waiters = self.waiters.lock();
        for (id, result) in results {
            if let Some(w) = waiters.remove(&id) {
                let _ = w.send(result);
            }
        }
    }

    /// Fails every waiting caller (shutdown).
    pub fn close(&self) {
        let mut waiters = self.waiters.lock();
        for (_, w) in waiters.drain() {
            let _ = w.send(Err(Error::Closed));
        }
    }
}
