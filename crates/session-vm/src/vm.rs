//! The chain: genesis, the last accepted block, blocks built or verified but not
//! yet decided, and accept/reject. Sans-I/O apart from the store it is given.

use std::collections::HashMap;
use std::sync::Arc;

use session_core::Id;
use session_store::{Store, WriteBatch};

use crate::archive;
use crate::block::{Block, MAX_BLOCK_TXS, SealedBlock};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::exec::{self, BlockContext, Input, Outcome};
use crate::key_cache::KeyCache;
use crate::state::{Changes, MessageRecord, View, keys};
use crate::tx::Tx;

/// How far ahead of the verifier's clock a block's time may be (seconds).
pub const MAX_FUTURE_SECS: u64 = 10;

/// How a chain is created when its store is empty.
#[derive(Clone, Debug)]
pub struct Genesis {
    /// Chain parameters.
    pub config: Config,
    /// The chain ID statements are bound to; `None` derives it from the genesis block.
    pub chain_id: Option<Id>,
}

/// A block the VM knows of, with what executing it wrote.
#[derive(Clone, Debug)]
struct Processing {
    block: SealedBlock,
    /// Changes of undecided ancestors (oldest first) followed by this block's own.
    layers: Vec<Arc<Changes>>,
    /// Outcomes of its transactions, in block order.
    outcomes: Vec<Outcome>,
    /// IDs of its transactions, in block order.
    tx_ids: Vec<Id>,
}

/// Summary of the last accepted block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tip {
    /// Block ID.
    pub id: Id,
    /// Height.
    pub height: u64,
    /// Block time.
    pub timestamp: u64,
    /// State root.
    pub state_root: Id,
    /// Parent ID.
    pub parent: Id,
}

impl Tip {
    fn of(b: &SealedBlock) -> Self {
        Self {
            id: b.id,
            height: b.block.height,
            timestamp: b.block.timestamp,
            state_root: b.block.state_root,
            parent: b.block.parent,
        }
    }
}

/// The SessionVM chain over a store.
pub struct Vm {
    store: Arc<dyn Store>,
    chain_id: Id,
    config: Config,
    last_accepted: SealedBlock,
    preferred: Id,
    processing: HashMap<Id, Processing>,
    /// Participant keys, prepared; shared with the chain's readers.
    key_cache: Arc<KeyCache>,
}

impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm")
            .field("chain_id", &self.chain_id)
            .field("height", &self.last_accepted.block.height)
            .finish_non_exhaustive()
    }
}

impl Vm {
    /// Opens the chain in `store`, creating it from `genesis` if the store is empty.
    /// A reopened chain keeps its stored parameters; a different `genesis.chain_id`
    /// is an error.
    pub fn open(store: Arc<dyn Store>, genesis: &Genesis) -> Result<Self> {
        match store.get(keys::CHAIN_ID)? {
            Some(stored) => Self::reopen(store, &stored, genesis),
            None => Self::create(store, genesis),
        }
    }

    fn create(store: Arc<dyn Store>, genesis: &Genesis) -> Result<Self> {
        genesis.config.validate()?;
        let config_bytes = genesis.config.canonical_bytes();
        let mut root_input = b"lux-sessionvm/genesis".to_vec();
        root_input.extend_from_slice(&config_bytes);
        let block = SealedBlock::new(Block {
            parent: Id::ZERO,
            height: 0,
            timestamp: genesis.config.genesis_time,
            state_root: Id::new(session_crypto::blake2b_256(&root_input)),
            txs: Vec::new(),
        });
        let chain_id = genesis.chain_id.unwrap_or(block.id);
        let mut batch = WriteBatch::new();
        batch.put(keys::CHAIN_ID, chain_id.as_bytes());
        batch.put(keys::CONFIG, &config_bytes);
        batch.put(
            keys::block(&block.id),
            &archive::archive(&block.block, &[])?,
        );
        batch.put(keys::height(0), block.id.as_bytes());
        batch.put(keys::LAST_ACCEPTED, block.id.as_bytes());
        store.write(batch)?;
        Ok(Self {
            store,
            chain_id,
            config: genesis.config.clone(),
            preferred: block.id,
            last_accepted: block,
            processing: HashMap::new(),
            key_cache: Arc::default(),
        })
    }

    fn reopen(store: Arc<dyn Store>, stored_chain: &[u8], genesis: &Genesis) -> Result<Self> {
        let chain_id =
            Id::from_slice(stored_chain).map_err(|_| Error::Corrupt("chain ID".into()))?;
        if let Some(want) = genesis.chain_id
            && want != chain_id
        {
            return Err(Error::Config(format!(
                "the data directory holds chain {chain_id}, not {want}"
            )));
        }
        let config_bytes = store
            .get(keys::CONFIG)?
            .ok_or_else(|| Error::Corrupt("config missing".into()))?;
        let config = Config::from_json(&config_bytes)?;
        let last = store
            .get(keys::LAST_ACCEPTED)?
            .ok_or_else(|| Error::Corrupt("last accepted block missing".into()))?;
        let last = Id::from_slice(&last).map_err(|_| Error::Corrupt("last accepted".into()))?;
        // Retention never prunes the newest block's messages (only older ones).
        let last_accepted = restore_block(&*store, &last)?
            .ok_or_else(|| Error::Corrupt("last accepted block missing".into()))?;
        Ok(Self {
            store,
            chain_id,
            config,
            preferred: last_accepted.id,
            last_accepted,
            processing: HashMap::new(),
            key_cache: Arc::default(),
        })
    }

    /// The chain ID signed statements are bound to.
    pub fn chain_id(&self) -> &Id {
        &self.chain_id
    }

    /// Chain parameters.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The store under this chain.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Participant keys prepared for verification (shared with readers).
    pub fn key_cache(&self) -> &Arc<KeyCache> {
        &self.key_cache
    }

    /// Replaces the key cache (e.g. with one of another size).
    pub fn use_key_cache(&mut self, cache: Arc<KeyCache>) {
        self.key_cache = cache;
    }

    /// The last accepted block.
    pub fn last_accepted(&self) -> Tip {
        Tip::of(&self.last_accepted)
    }

    /// The last accepted block with its bytes.
    pub fn last_accepted_block(&self) -> &SealedBlock {
        &self.last_accepted
    }

    /// The block the next [`Vm::build_block`] builds on.
    pub fn preferred(&self) -> Id {
        self.preferred
    }

    /// Names the block to build on; it must be accepted-tip or processing.
    pub fn set_preference(&mut self, id: Id) -> Result<()> {
        if id != self.last_accepted.id && !self.processing.contains_key(&id) {
            return Err(Error::UnknownBlock);
        }
        self.preferred = id;
        Ok(())
    }

    /// Blocks verified or built but not yet accepted or rejected.
    pub fn processing_count(&self) -> usize {
        self.processing.len()
    }

    /// A block being processed (built or verified, not yet decided).
    pub fn processing(&self, id: &Id) -> Option<&SealedBlock> {
        self.processing.get(id).map(|p| &p.block)
    }

    /// Layers and header of a block that can be built on.
    fn parent_state(&self, parent: &Id) -> Result<(Vec<Arc<Changes>>, &SealedBlock)> {
        if *parent == self.last_accepted.id {
            return Ok((Vec::new(), &self.last_accepted));
        }
        let p = self.processing.get(parent).ok_or(Error::UnknownBlock)?;
        Ok((p.layers.clone(), &p.block))
    }

    /// Builds a block on the preferred block from `txs` (each with its ID when
    /// its signature was verified on admission; see [`Input::verified`]).
    /// Transactions that fail are left out and their errors returned in order;
    /// with none left there is no block.
    pub fn build_block(
        &mut self,
        mut txs: Vec<(Tx, Option<Id>)>,
        now: u64,
    ) -> Result<(Option<SealedBlock>, Vec<Result<Outcome>>)> {
        txs.truncate(MAX_BLOCK_TXS);
        let parent_id = self.preferred;
        let (layers, parent) = self.parent_state(&parent_id)?;
        let height = parent.block.height + 1;
        let timestamp = now.max(parent.block.timestamp);
        let parent_root = parent.block.state_root;
        let ctx = BlockContext {
            chain_id: &self.chain_id,
            config: &self.config,
            height,
            time: timestamp,
        };
        let inputs: Vec<Input<'_>> = txs
            .iter()
            .map(|(tx, verified)| Input {
                tx,
                verified: *verified,
            })
            .collect();
        let executed = exec::execute_block(
            View::new(&*self.store, &layers),
            &ctx,
            &parent_root,
            &inputs,
            false,
        )?;
        drop(inputs);
        let (included, tx_ids): (Vec<Tx>, Vec<Id>) = txs
            .into_iter()
            .zip(&executed.outcomes)
            .filter(|(_, o)| o.is_ok())
            .map(|((tx, id), _)| {
                let id = id.unwrap_or_else(|| tx.id(&self.chain_id));
                (tx, id)
            })
            .unzip();
        if included.is_empty() {
            return Ok((None, executed.outcomes));
        }
        let block = SealedBlock::new(Block {
            parent: parent_id,
            height,
            timestamp,
            state_root: executed.state_root,
            txs: included,
        });
        let outcomes: Vec<Outcome> = executed
            .outcomes
            .iter()
            .filter_map(|o| o.as_ref().ok().cloned())
            .collect();
        let mut layers = layers;
        layers.push(Arc::new(executed.changes));
        self.processing.insert(
            block.id,
            Processing {
                block: block.clone(),
                layers,
                outcomes,
                tx_ids,
            },
        );
        Ok((Some(block), executed.outcomes))
    }

    /// Parses and verifies block bytes against their parent's state (every
    /// signature re-checked). Verifying a known block again changes nothing.
    pub fn verify_block(&mut self, bytes: &[u8], now: u64) -> Result<SealedBlock> {
        let block = SealedBlock::parse(bytes)?;
        if let Some(p) = self.processing.get(&block.id) {
            return Ok(p.block.clone());
        }
        if block.id == self.last_accepted.id || self.is_accepted(&block.id)? {
            return Ok(block);
        }
        let (layers, parent) = self
            .parent_state(&block.block.parent)
            .map_err(|_| Error::InvalidBlock("unknown or decided parent".into()))?;
        let b = &block.block;
        if b.height != parent.block.height + 1 {
            return Err(Error::InvalidBlock("height is not parent + 1".into()));
        }
        if b.timestamp < parent.block.timestamp {
            return Err(Error::InvalidBlock("timestamp before parent's".into()));
        }
        if b.timestamp > now.saturating_add(MAX_FUTURE_SECS) {
            return Err(Error::InvalidBlock(
                "timestamp too far in the future".into(),
            ));
        }
        if b.txs.is_empty() {
            return Err(Error::InvalidBlock("empty block".into()));
        }
        let verified = verify_signatures_parallel(
            &layers,
            &*self.store,
            &self.key_cache,
            &self.chain_id,
            &b.txs,
        );
        let ctx = BlockContext {
            chain_id: &self.chain_id,
            config: &self.config,
            height: b.height,
            time: b.timestamp,
        };
        let parent_root = parent.block.state_root;
        let inputs: Vec<Input<'_>> = b
            .txs
            .iter()
            .zip(verified)
            .map(|(tx, verified)| Input { tx, verified })
            .collect();
        let tx_ids = inputs
            .iter()
            .map(|i| i.verified.unwrap_or_else(|| i.tx.id(&self.chain_id)))
            .collect();
        let executed = exec::execute_block(
            View::new(&*self.store, &layers),
            &ctx,
            &parent_root,
            &inputs,
            true,
        )?;
        if executed.state_root != b.state_root {
            return Err(Error::InvalidBlock("state root mismatch".into()));
        }
        let mut layers = layers;
        layers.push(Arc::new(executed.changes));
        let outcomes = executed
            .outcomes
            .into_iter()
            .filter_map(Result::ok)
            .collect();
        self.processing.insert(
            block.id,
            Processing {
                block: block.clone(),
                layers,
                outcomes,
                tx_ids,
            },
        );
        Ok(block)
    }

    fn is_accepted(&self, id: &Id) -> Result<bool> {
        Ok(self.store.has(&keys::block(id))?)
    }

    /// Accepts a processing block whose parent is the last accepted block: its
    /// effects and the new tip are durable when this returns. Returns the
    /// IDs and outcomes of its transactions, in block order.
    pub fn accept_block(&mut self, id: &Id) -> Result<Vec<(Id, Outcome)>> {
        let p = self.processing.get(id).ok_or(Error::UnknownBlock)?;
        if p.block.block.parent != self.last_accepted.id {
            return Err(Error::InvalidBlock(
                "parent is not the last accepted block".into(),
            ));
        }
        let own = p.layers.last().cloned().unwrap_or_default();
        let mut batch = WriteBatch::new();
        for (k, v) in own.iter() {
            match v {
                // Message payloads (ciphertext and signature, ~4 KB) are
                // written once and read rarely: outside the store's index.
                Some(v) if k.starts_with(keys::MESSAGE) => {
                    batch.put_external(k, v);
                }
                Some(v) => {
                    batch.put(k, v);
                }
                None => {
                    batch.delete(k);
                }
            }
        }
        batch.put(
            keys::block(id),
            &archive::archive(&p.block.block, &p.outcomes)?,
        );
        batch.put(keys::height(p.block.block.height), id.as_bytes());
        batch.put(keys::LAST_ACCEPTED, id.as_bytes());
        self.store.write(batch)?;

        let p = self.processing.remove(id).expect("present above");
        // Children keep this block's layer: identical to what is now stored.
        for child in self.processing.values_mut() {
            if child.layers.first().is_some_and(|l| Arc::ptr_eq(l, &own)) {
                child.layers.remove(0);
            }
        }
        self.last_accepted = p.block;
        if self.preferred == *id || !self.processing.contains_key(&self.preferred) {
            self.preferred = *id;
        }
        Ok(p.tx_ids.into_iter().zip(p.outcomes).collect())
    }

    /// Drops a processing block (and any block built on it). Returns the
    /// transactions of the dropped blocks, with their IDs, so they can go
    /// back to the mempool.
    pub fn reject_block(&mut self, id: &Id) -> Result<Vec<(Id, Tx)>> {
        let p = self.processing.remove(id).ok_or(Error::UnknownBlock)?;
        let block = Arc::try_unwrap(p.block.block).unwrap_or_else(|shared| (*shared).clone());
        let mut txs: Vec<(Id, Tx)> = p.tx_ids.into_iter().zip(block.txs).collect();
        let children: Vec<Id> = self
            .processing
            .iter()
            .filter(|(_, c)| c.block.block.parent == *id)
            .map(|(cid, _)| *cid)
            .collect();
        for child in children {
            txs.extend(self.reject_block(&child)?);
        }
        if self.preferred == *id {
            self.preferred = self.last_accepted.id;
        }
        Ok(txs)
    }

    /// A known block (processing or accepted) by ID.
    pub fn get_block(&self, id: &Id) -> Result<Option<SealedBlock>> {
        if let Some(p) = self.processing.get(id) {
            return Ok(Some(p.block.clone()));
        }
        restore_block(&*self.store, id)
    }

    /// The accepted block ID at `height`.
    pub fn block_id_at_height(&self, height: u64) -> Result<Option<Id>> {
        match self.store.get(&keys::height(height))? {
            Some(b) => Ok(Some(
                Id::from_slice(&b).map_err(|_| Error::Corrupt("height index".into()))?,
            )),
            None => Ok(None),
        }
    }
}

/// An accepted block rebuilt from the archive; `None` if unknown or pruned.
fn restore_block(store: &dyn Store, id: &Id) -> Result<Option<SealedBlock>> {
    let Some(archived) = store.get(&keys::block(id))? else {
        return Ok(None);
    };
    archive::restore(id, &archived, |session, seq| {
        store
            .get(&keys::message(session, seq))?
            .map(|b| MessageRecord::from_bytes(&b))
            .transpose()
    })
}

/// Verifies the signatures of a block's transactions over all cores, where the
/// signer's key is known before execution (in the tx itself or already in
/// state). Returns, per transaction, its ID if its signature verified; the rest
/// (and the failures, to report them in order) are checked during execution.
fn verify_signatures_parallel(
    layers: &[Arc<Changes>],
    store: &dyn Store,
    key_cache: &KeyCache,
    chain_id: &Id,
    txs: &[Tx],
) -> Vec<Option<Id>> {
    use rayon::prelude::*;
    txs.par_iter()
        .map(|tx| {
            let key = match tx {
                Tx::CreateSession(t) => t.public_keys.first().cloned(),
                // Any key stored for an ID hashes to it, whichever block
                // (accepted or still undecided) stored it: safe to cache.
                other => {
                    let signer = other.signer();
                    key_cache
                        .prepared(&signer, || {
                            exec::load_key(&View::new(store, layers), &signer)
                        })
                        .ok()
                }
            }?;
            exec::check_signature(tx, chain_id, &key).ok()
        })
        .collect()
}
