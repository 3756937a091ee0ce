//! Conformance with `specs/zap-plugin-protocol.md` §8: this test plays the Lux
//! node. It starts the built `sessionvm` binary the way `luxd` does (ZAP
//! environment only, an engine listener, the handshake) and drives it over
//! real TCP, checking every reply; then restarts it on the same data.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use session_core::Id;
use session_crypto::Identity;
use session_zap::engine::{EngineClient, EngineListener, accept_plugin};
use session_zap::wire::{
    ErrCode, Event, InitializeExtensions, InitializeRequest, InitializeResponse, Opcode, VmState,
};

use common::{create_params, post_json, send_params};

const CHAIN: [u8; 32] = [0x5E; 32];
const GENESIS: &[u8] = br#"{"sessionTTL": 3600, "maxMessageSize": 4096}"#;
const LIMIT: Duration = Duration::from_secs(20);

/// The plugin process, its output drained like the node does.
struct Plugin {
    child: Child,
}

impl Plugin {
    fn spawn(engine: &EngineListener) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sessionvm"));
        // Some nodes pass nothing but the ZAP variables.
        cmd.env_clear()
            .envs(engine.plugin_env())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        for mut pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while matches!(pipe.read(&mut buf), Ok(n) if n > 0) {}
            });
        }
        Self { child }
    }

    /// Waits for the process to exit; `None` if it is still running after `limit`.
    fn exit_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn initialize_request(dir: &Path, trailing: bool) -> InitializeRequest {
    InitializeRequest {
        network_id: 1337,
        chain_id: CHAIN,
        node_id: [7; 20],
        chain_data_dir: dir.to_str().unwrap().to_owned(),
        genesis: GENESIS.to_vec(),
        extensions: trailing.then(|| InitializeExtensions {
            atomic_server_addr: String::new(),
            d_chain_id: Some([0; 32]),
            validator_server_addr: String::new(),
        }),
        ..InitializeRequest::default()
    }
}

/// Starts a plugin, hand-shakes, initializes it on `dir` and makes it Ready.
async fn start(dir: &Path) -> (Plugin, EngineClient, InitializeResponse) {
    let engine = EngineListener::bind().await.unwrap();
    let plugin = Plugin::spawn(&engine);
    let (node, hs) = accept_plugin(&engine, LIMIT).await.unwrap();
    assert_eq!(hs.version, 42);
    assert!(hs.vm_addr.starts_with("127.0.0.1:"), "{}", hs.vm_addr);
    let node = node.with_call_timeout(LIMIT);
    let init = node
        .initialize(&initialize_request(dir, true))
        .await
        .unwrap();
    node.set_state(VmState::BOOTSTRAPPING).await.unwrap();
    node.set_state(VmState::READY).await.unwrap();
    (plugin, node, init)
}

/// POSTs a JSON-RPC call from a blocking thread (state changes wait for Accept).
fn rpc(url: String, method: &str, params: Value) -> tokio::task::JoinHandle<Value> {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    tokio::task::spawn_blocking(move || post_json(&url, &body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_drives_sessionvm_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("chain-a");
    let chain = Id::new(CHAIN);
    let (mut plugin, node, init) = start(&data).await;

    // 2: the genesis block.
    assert_eq!(init.height, 0);
    assert_eq!(init.last_accepted_parent_id, [0; 32]);
    assert_eq!(init.capabilities, 0);
    assert!(!init.bytes.is_empty());
    let genesis = init.last_accepted_id;

    // 4: handlers answer JSON-RPC on /rpc and on the node's full path.
    let handlers = node.create_handlers().await.unwrap();
    assert_eq!(handlers.len(), 1);
    assert_eq!(handlers[0].prefix, "/rpc");
    assert_eq!(
        node.create_handlers().await.unwrap(),
        handlers,
        "idempotent"
    );
    let base = format!("http://{}", handlers[0].addr);
    let url = format!("{base}/rpc");
    for path in ["/rpc".to_owned(), format!("/v1/bc/{}/rpc", chain.to_cb58())] {
        let info = rpc(format!("{base}{path}"), "sessionvm.Info", json!({}))
            .await
            .unwrap();
        assert_eq!(info["result"]["chainId"], chain.to_cb58(), "{path}: {info}");
    }

    // 5: Version and Health.
    assert!(node.version().await.unwrap().starts_with("sessionvm/"));
    let health: Value = serde_json::from_slice(&node.health().await.unwrap()).unwrap();
    assert_eq!(health["healthy"], true);

    // 6–7: a WaitForEvent stays pending and blocks nothing else.
    let mut wait = node.start_wait_for_event().await.unwrap();
    assert!(
        wait.recv_within(Duration::from_millis(300))
            .await
            .unwrap()
            .is_none()
    );
    node.health().await.unwrap();
    let at0 = node.get_block_id_at_height(0).await.unwrap();
    assert_eq!((at0.id, at0.err), (Some(genesis), ErrCode::UNSPECIFIED));

    // 8: a signed CreateSession through the handler raises PendingTxs.
    let (alice, bob) = (Identity::generate(), Identity::generate());
    let created = rpc(
        url.clone(),
        "sessionvm.CreateSession",
        create_params(&chain, &[&alice, &bob], 0, &alice),
    );
    let reply = wait.recv().await.unwrap();
    assert_eq!(reply.body, vec![1], "PendingTxs");

    // 9–9b: BuildBlock, twice before a decision: the same block.
    let built = node.build_block().await.unwrap();
    assert_eq!(built.err, ErrCode::UNSPECIFIED);
    assert_eq!((built.parent_id, built.height), (genesis, 1));
    assert_eq!(node.build_block().await.unwrap().id, built.id);

    // A competing block at height 1 built by a second plugin instance.
    let (rival_bytes, rival_id) = {
        let (mut other, other_node, _) = start(&dir.path().join("chain-b")).await;
        let other_url = format!(
            "http://{}/rpc",
            other_node.create_handlers().await.unwrap()[0].addr
        );
        let carol = Identity::generate();
        let pending = rpc(
            other_url,
            "sessionvm.CreateSession",
            create_params(&chain, &[&carol, &bob], 0, &carol),
        );
        assert_eq!(
            other_node.wait_for_event().await.unwrap(),
            Event::PendingTxs
        );
        let rival = other_node.build_block().await.unwrap();
        other_node.shutdown().await.unwrap();
        other_node.close().await.unwrap();
        // Its caller is answered, not left hanging, when that plugin stops.
        assert!(pending.await.unwrap().get("error").is_some());
        assert_eq!(other.exit_within(LIMIT).map(|s| s.success()), Some(true));
        (rival.bytes, rival.id)
    };

    // 10–11: Verify and Parse (ours and the rival's; every signature checked).
    node.block_verify(&built.bytes).await.unwrap();
    let parsed = node.parse_block(&built.bytes).await.unwrap();
    assert_eq!(
        (parsed.id, parsed.parent_id, parsed.height, parsed.timestamp),
        (built.id, built.parent_id, built.height, built.timestamp)
    );
    let rival = node.parse_block(&rival_bytes).await.unwrap();
    assert_eq!(
        (rival.id, rival.parent_id, rival.height),
        (rival_id, genesis, 1)
    );
    node.block_verify(&rival_bytes).await.unwrap();
    assert_eq!(
        node.get_block(rival_id).await.unwrap().err,
        ErrCode::UNSPECIFIED
    );

    // 12–13: prefer and accept ours; reject the rival.
    node.set_preference(built.id).await.unwrap();
    node.block_accept(built.id).await.unwrap();
    node.block_reject(rival_id).await.unwrap();
    let created = created.await.unwrap();
    let session: Id = created["result"]["sessionId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    // 14: the block is found by ID and height; random IDs are not.
    let got = node.get_block(built.id).await.unwrap();
    assert_eq!((got.err, &got.bytes), (ErrCode::UNSPECIFIED, &built.bytes));
    assert_eq!(
        node.get_block_id_at_height(1).await.unwrap().id,
        Some(built.id)
    );
    assert_eq!(
        node.get_block([0xAB; 32]).await.unwrap().err,
        ErrCode::NOT_FOUND
    );
    let none = node.get_block_id_at_height(9).await.unwrap();
    assert_eq!((none.id, none.err), (None, ErrCode::NOT_FOUND));

    // 15: the effect is visible over JSON-RPC.
    let s = rpc(
        url.clone(),
        "sessionvm.GetSession",
        json!({"sessionId": session.to_cb58()}),
    )
    .await
    .unwrap();
    assert_eq!(s["result"]["session"]["status"], "active", "{s}");

    // 16: a second transaction; its block is rejected while a WaitForEvent
    // is pending: the transaction returns and the waiter hears of it.
    let sent = rpc(
        url.clone(),
        "sessionvm.SendMessage",
        send_params(&chain, &session, &alice, b"hello over consensus"),
    );
    assert_eq!(node.wait_for_event().await.unwrap(), Event::PendingTxs);
    let second = node.build_block().await.unwrap();
    assert_eq!((second.parent_id, second.height), (built.id, 2));
    node.block_verify(&second.bytes).await.unwrap();
    let wait = node.start_wait_for_event().await.unwrap();
    node.block_reject(second.id).await.unwrap();
    let reply = wait.recv().await.unwrap();
    assert_eq!(reply.body, vec![1]);
    // Built again (on the same parent, so possibly the very same bytes),
    // accepted this time: the caller gets its sequence.
    let third = node.build_block().await.unwrap();
    assert_eq!((third.parent_id, third.height), (built.id, 2));
    node.block_verify(&third.bytes).await.unwrap();
    node.block_accept(third.id).await.unwrap();
    let sent = sent.await.unwrap();
    assert_eq!(sent["result"]["sequence"], 1, "{sent}");

    // 17: unimplemented and unknown opcodes, a malformed ID: error frames,
    // and the connection stays usable.
    let gather = node.start_raw(19, &[]).await.unwrap().recv().await.unwrap();
    assert!(gather.error_text().is_some());
    let unknown = node.start_raw(62, &[]).await.unwrap().recv().await.unwrap();
    assert!(unknown.error_text().is_some());
    let short = node
        .start_raw(Opcode::GetBlock as u8, &[0, 0, 0, 3, 1, 2, 3])
        .await
        .unwrap()
        .recv()
        .await
        .unwrap();
    assert!(short.error_text().is_some());
    node.health().await.unwrap();

    // 19: Shutdown with a WaitForEvent outstanding, then close: exit 0.
    let _outstanding = node.start_wait_for_event().await.unwrap();
    node.shutdown().await.unwrap();
    node.close().await.unwrap();
    let status = plugin.exit_within(Duration::from_secs(5));
    assert_eq!(status.map(|s| s.success()), Some(true), "{status:?}");

    // 20: restarted on the same data, it reports the accepted tip.
    let (_plugin, node, init) = start(&data).await;
    assert_eq!(init.last_accepted_id, third.id);
    assert_eq!(init.height, 2);
    assert_eq!(node.get_block(built.id).await.unwrap().bytes, built.bytes);
    node.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_without_trailing_fields_and_with_an_empty_genesis() {
    let dir = tempfile::tempdir().unwrap();
    let engine = EngineListener::bind().await.unwrap();
    let _plugin = Plugin::spawn(&engine);
    let (node, _) = accept_plugin(&engine, LIMIT).await.unwrap();
    let mut req = initialize_request(dir.path(), false);
    req.genesis = Vec::new();
    let init = node.initialize(&req).await.unwrap();
    assert_eq!(init.height, 0);
    // A second Initialize on the same process is refused, not obeyed.
    assert!(node.initialize(&req).await.is_err());
    node.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_handshake_makes_the_plugin_exit_non_zero() {
    for answer in [None, Some(0u8)] {
        let engine = EngineListener::bind().await.unwrap();
        let mut plugin = Plugin::spawn(&engine);
        let incoming = engine.accept(LIMIT).await.unwrap();
        match answer {
            None => incoming.refuse(),
            Some(b) => incoming.answer(b).await.unwrap(),
        }
        let status = plugin.exit_within(Duration::from_secs(10));
        assert_eq!(status.map(|s| s.success()), Some(false), "{answer:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_frames_never_hang_or_crash_the_plugin() {
    let dir = tempfile::tempdir().unwrap();
    let (mut plugin, node, _) = start(dir.path()).await;
    // Truncated body: an error reply, and the connection lives on.
    let bad = node
        .start_raw(Opcode::BlockVerify as u8, &[0, 0, 0, 9, 1])
        .await
        .unwrap()
        .recv()
        .await
        .unwrap();
    assert!(bad.error_text().is_some());
    node.health().await.unwrap();
    // Garbage bytes of a block: refused with a reason.
    assert!(node.block_verify(&[0xFF; 200]).await.is_err());
    assert!(node.parse_block(&[1, 2, 3]).await.is_err());
    // An oversized length: the plugin drops the connection and, the node
    // being gone, exits cleanly.
    node.send_raw(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0D, 0, 0, 0, 1])
        .await
        .unwrap();
    assert!(node.wait_closed(LIMIT).await);
    let status = plugin.exit_within(LIMIT);
    assert_eq!(status.map(|s| s.success()), Some(true), "{status:?}");
}
