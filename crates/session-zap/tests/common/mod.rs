//! A small in-test VM for exercising the protocol layer (not SessionVM).
//!
//! Blocks are `parent(32) ‖ height(8) ‖ timestamp(8) ‖ payload`; the ID is a
//! deterministic hash of the bytes. `parse_block(b"panic")` panics,
//! `block_verify` of a block whose payload is `b"slow"` takes 400 ms.

#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use session_zap::wire::{
    Block, BlockVerifyRequest, BuildBlockRequest, Event, Handler, Id, InitializeRequest,
    InitializeResponse, VmState, ZERO_ID,
};
use session_zap::{PluginVm, VmError, VmResult};
use tokio::sync::Notify;

/// Generous per-step limit so a broken test fails instead of hanging.
pub const STEP: Duration = Duration::from_secs(5);

pub const GENESIS_TS: i64 = 1_700_000_000_000_000_000;

/// A toy deterministic 32-byte hash (FNV-1a lanes); good enough for IDs here.
pub fn hash(bytes: &[u8]) -> Id {
    let mut out = [0u8; 32];
    for (lane, chunk) in out.chunks_mut(8).enumerate() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (lane as u64);
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        chunk.copy_from_slice(&h.to_be_bytes());
    }
    out
}

pub fn make_block(parent: Id, height: u64, ts: i64, payload: &[u8]) -> Block {
    let mut bytes = Vec::with_capacity(48 + payload.len());
    bytes.extend_from_slice(&parent);
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&ts.to_be_bytes());
    bytes.extend_from_slice(payload);
    Block {
        id: hash(&bytes),
        parent_id: parent,
        bytes,
        height,
        timestamp: ts,
    }
}

pub fn parse(bytes: &[u8]) -> Option<Block> {
    if bytes.len() < 48 {
        return None;
    }
    let parent: Id = bytes[..32].try_into().ok()?;
    let height = u64::from_be_bytes(bytes[32..40].try_into().ok()?);
    let ts = i64::from_be_bytes(bytes[40..48].try_into().ok()?);
    Some(make_block(parent, height, ts, &bytes[48..]))
}

pub fn genesis() -> Block {
    make_block(ZERO_ID, 0, GENESIS_TS, b"genesis")
}

#[derive(Default)]
struct State {
    blocks: HashMap<Id, Block>,
    accepted: Vec<Id>,
    preferred: Id,
    pending_payloads: Vec<Vec<u8>>,
    built: Option<Id>,
}

/// The fake VM.
pub struct FakeVm {
    state: Mutex<State>,
    event: Notify,
    pub state_calls: Mutex<Vec<VmState>>,
    pub shutdowns: AtomicUsize,
    pub waits_started: AtomicUsize,
}

impl Default for FakeVm {
    fn default() -> Self {
        let g = genesis();
        let mut state = State {
            preferred: g.id,
            accepted: vec![g.id],
            ..State::default()
        };
        state.blocks.insert(g.id, g);
        Self {
            state: Mutex::new(state),
            event: Notify::new(),
            state_calls: Mutex::new(Vec::new()),
            shutdowns: AtomicUsize::new(0),
            waits_started: AtomicUsize::new(0),
        }
    }
}

impl FakeVm {
    /// Adds a "transaction" and raises the event latch.
    pub fn submit(&self, payload: &[u8]) {
        self.state
            .lock()
            .unwrap()
            .pending_payloads
            .push(payload.to_vec());
        self.event.notify_one();
    }

    pub fn genesis_id(&self) -> Id {
        genesis().id
    }
}

impl PluginVm for FakeVm {
    async fn initialize(&self, req: InitializeRequest) -> VmResult<InitializeResponse> {
        if req.genesis == b"bad" {
            return Err(VmError::failed("invalid genesis"));
        }
        let s = self.state.lock().unwrap();
        let last = &s.blocks[s.accepted.last().unwrap()];
        Ok(InitializeResponse {
            last_accepted_id: last.id,
            last_accepted_parent_id: last.parent_id,
            height: last.height,
            bytes: last.bytes.clone(),
            timestamp: last.timestamp,
            capabilities: 0,
        })
    }

    async fn set_state(&self, state: VmState) -> VmResult<()> {
        self.state_calls.lock().unwrap().push(state);
        Ok(())
    }

    async fn shutdown(&self) -> VmResult<()> {
        self.shutdowns.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn create_handlers(&self) -> VmResult<Vec<Handler>> {
        Ok(vec![Handler {
            prefix: "/rpc".into(),
            addr: "127.0.0.1:1".into(),
        }])
    }

    async fn wait_for_event(&self) -> VmResult<Event> {
        self.waits_started.fetch_add(1, Ordering::SeqCst);
        self.event.notified().await;
        Ok(Event::PendingTxs)
    }

    async fn build_block(&self, _: BuildBlockRequest) -> VmResult<Block> {
        let mut s = self.state.lock().unwrap();
        if let Some(id) = s.built {
            return Ok(s.blocks[&id].clone());
        }
        if s.pending_payloads.is_empty() {
            return Err(VmError::failed("nothing to build"));
        }
        let payload = s.pending_payloads.remove(0);
        let parent = s.blocks[&s.preferred].clone();
        let b = make_block(parent.id, parent.height + 1, parent.timestamp + 1, &payload);
        s.built = Some(b.id);
        s.blocks.insert(b.id, b.clone());
        Ok(b)
    }

    async fn parse_block(&self, bytes: Vec<u8>) -> VmResult<Block> {
        if bytes == b"panic" {
            panic!("fake VM asked to panic");
        }
        parse(&bytes).ok_or_else(|| VmError::failed("unparseable block"))
    }

    async fn get_block(&self, id: Id) -> VmResult<Block> {
        let s = self.state.lock().unwrap();
        s.blocks.get(&id).cloned().ok_or(VmError::NotFound)
    }

    async fn set_preference(&self, id: Id) -> VmResult<()> {
        let mut s = self.state.lock().unwrap();
        if !s.blocks.contains_key(&id) {
            return Err(VmError::failed("unknown block"));
        }
        s.preferred = id;
        Ok(())
    }

    async fn health(&self) -> VmResult<Vec<u8>> {
        Ok(br#"{"healthy":true}"#.to_vec())
    }

    async fn version(&self) -> VmResult<String> {
        Ok("fake/1.0".into())
    }

    async fn get_block_id_at_height(&self, height: u64) -> VmResult<Id> {
        let s = self.state.lock().unwrap();
        usize::try_from(height)
            .ok()
            .and_then(|h| s.accepted.get(h).copied())
            .ok_or(VmError::NotFound)
    }

    async fn block_verify(&self, req: BlockVerifyRequest) -> VmResult<()> {
        let b = parse(&req.bytes).ok_or_else(|| VmError::failed("unparseable block"))?;
        if req.bytes.ends_with(b"slow") {
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        let mut s = self.state.lock().unwrap();
        if !s.blocks.contains_key(&b.parent_id) {
            return Err(VmError::failed("unknown parent"));
        }
        s.blocks.insert(b.id, b);
        Ok(())
    }

    async fn block_accept(&self, id: Id) -> VmResult<()> {
        let mut s = self.state.lock().unwrap();
        let Some(b) = s.blocks.get(&id).cloned() else {
            return Err(VmError::failed("unknown block"));
        };
        if Some(&b.parent_id) != s.accepted.last() {
            return Err(VmError::failed("parent is not the last accepted block"));
        }
        s.accepted.push(id);
        s.preferred = id;
        if s.built == Some(id) {
            s.built = None;
        }
        Ok(())
    }

    async fn block_reject(&self, id: Id) -> VmResult<()> {
        let mut s = self.state.lock().unwrap();
        if s.built == Some(id) {
            s.built = None;
        }
        if let Some(b) = s.blocks.remove(&id) {
            s.pending_payloads.push(b.bytes[48..].to_vec());
            drop(s);
            self.event.notify_one();
        }
        Ok(())
    }
}

/// A full Initialize request like the node sends.
pub fn initialize_request(with_trailing: bool) -> InitializeRequest {
    InitializeRequest {
        network_id: 1337,
        chain_id: [0x11; 32],
        node_id: [0x22; 20],
        public_key: vec![],
        x_chain_id: ZERO_ID,
        c_chain_id: ZERO_ID,
        utxo_asset_id: ZERO_ID,
        chain_data_dir: "/tmp/fake-chain".into(),
        genesis: b"{}".to_vec(),
        upgrade: vec![],
        config: vec![],
        db_server_addr: String::new(),
        server_addr: String::new(),
        extensions: with_trailing.then(Default::default),
    }
}
