//! A bounded, first-in first-out pool of admitted transactions.
//!
//! Transactions enter only after their signature verified (admission), so block
//! building does not check them again. Duplicates are refused by transaction ID
//! (`Blake2b-256` of the signed statement).

use std::collections::{HashMap, VecDeque};

use session_core::Id;

use crate::error::{Error, Result};
use crate::tx::{CreateSession, Tx};

/// Default capacity.
pub const DEFAULT_MEMPOOL_SIZE: usize = 16_384;

/// The mempool.
#[derive(Debug)]
pub struct Mempool {
    capacity: usize,
    order: VecDeque<Id>,
    txs: HashMap<Id, Tx>,
    /// Sessions whose `CreateSession` waits here: session ID → transaction ID.
    creates: HashMap<Id, Id>,
}

impl Mempool {
    /// An empty pool holding at most `capacity` transactions.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            order: VecDeque::new(),
            txs: HashMap::new(),
            creates: HashMap::new(),
        }
    }

    /// Transactions waiting.
    pub fn len(&self) -> usize {
        self.txs.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.txs.is_empty()
    }

    /// Whether `tx_id` waits here.
    pub fn contains(&self, tx_id: &Id) -> bool {
        self.txs.contains_key(tx_id)
    }

    /// Adds an admitted transaction. `session_id` is the session a `create` derives.
    pub fn insert(&mut self, tx_id: Id, tx: Tx, session_id: Id) -> Result<()> {
        if self.txs.contains_key(&tx_id) {
            return Err(Error::Duplicate("transaction already pending"));
        }
        if self.txs.len() >= self.capacity {
            return Err(Error::Overloaded);
        }
        if matches!(tx, Tx::CreateSession(_)) {
            self.creates.insert(session_id, tx_id);
        }
        self.order.push_back(tx_id);
        self.txs.insert(tx_id, tx);
        Ok(())
    }

    /// The pending `CreateSession` of `session_id`, if one waits here.
    pub fn pending_create(&self, session_id: &Id) -> Option<&CreateSession> {
        let tx_id = self.creates.get(session_id)?;
        match self.txs.get(tx_id)? {
            Tx::CreateSession(c) => Some(c),
            _ => None,
        }
    }

    /// Takes up to `max` transactions, oldest first.
    pub fn take(&mut self, max: usize) -> Vec<(Id, Tx)> {
        let mut out = Vec::with_capacity(max.min(self.txs.len()));
        while out.len() < max {
            let Some(id) = self.order.pop_front() else {
                break;
            };
            if let Some(tx) = self.txs.remove(&id) {
                if matches!(tx, Tx::CreateSession(_)) {
                    self.creates.retain(|_, t| *t != id);
                }
                out.push((id, tx));
            }
        }
        out
    }

    /// Drops a pending transaction (it was decided in a block from elsewhere).
    pub fn remove(&mut self, tx_id: &Id) -> Option<Tx> {
        let tx = self.txs.remove(tx_id)?;
        if matches!(tx, Tx::CreateSession(_)) {
            self.creates.retain(|_, t| t != tx_id);
        }
        // `order` is cleaned lazily: `take` skips IDs no longer held.
        Some(tx)
    }

    /// Puts transactions back at the front, in their order (after a rejected block).
    pub fn restore(&mut self, txs: Vec<(Id, Tx, Id)>) {
        for (tx_id, tx, session_id) in txs.into_iter().rev() {
            if self.txs.contains_key(&tx_id) {
                continue;
            }
            if matches!(tx, Tx::CreateSession(_)) {
                self.creates.insert(session_id, tx_id);
            }
            self.order.push_front(tx_id);
            self.txs.insert(tx_id, tx);
        }
    }
}
