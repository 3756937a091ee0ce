//! The plugin server over real loopback TCP, driven by the node simulator.

#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{FakeVm, STEP, initialize_request, make_block};
use session_zap::engine::EngineClient;
use session_zap::wire::*;
use session_zap::{Error, ExitReason, ServerConfig, serve_with};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

struct Server {
    addr: SocketAddr,
    vm: Arc<FakeVm>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<ExitReason>,
}

impl Server {
    async fn start(config: ServerConfig) -> Self {
        let vm = Arc::new(FakeVm::default());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve_with(
            vm.clone(),
            listener,
            async {
                let _ = stopped.await;
            },
            config,
        ));
        Self {
            addr,
            vm,
            stop: Some(stop),
            task,
        }
    }

    async fn client(&self) -> EngineClient {
        EngineClient::connect(self.addr)
            .await
            .unwrap()
            .with_call_timeout(STEP)
    }

    async fn stop(mut self) -> ExitReason {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(STEP * 3, &mut self.task)
            .await
            .expect("server stops in time")
            .unwrap()
    }
}

fn frame(op: u8, id: u32, body: &[u8]) -> Vec<u8> {
    encode_frame(op, id, body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_opcode_round_trips() {
    let server = Server::start(ServerConfig::default()).await;
    let node = server.client().await;
    let genesis = server.vm.genesis_id();

    for trailing in [true, false] {
        let init = node
            .initialize(&initialize_request(trailing))
            .await
            .unwrap();
        assert_eq!(init.last_accepted_id, genesis);
        assert_eq!(init.last_accepted_parent_id, ZERO_ID);
        assert_eq!(init.height, 0);
        assert_eq!(init.bytes, common::genesis().bytes);
        assert_eq!(init.timestamp, common::GENESIS_TS);
        assert_eq!(init.capabilities, 0);
    }
    // The Initialize reply on the wire carries the capabilities field.
    let raw = node
        .call(Opcode::Initialize, &initialize_request(true).encode())
        .await
        .unwrap();
    assert_eq!(raw.type_byte, 0x81);
    assert_eq!(&raw.body[raw.body.len() - 8..], &[0; 8]);
    let mut bad = initialize_request(true);
    bad.genesis = b"bad".to_vec();
    let err = node.initialize(&bad).await.unwrap_err();
    assert!(
        matches!(&err, Error::Remote { opcode: 1, text } if text == "invalid genesis"),
        "{err}"
    );

    node.set_state(VmState::BOOTSTRAPPING).await.unwrap();
    node.set_state(VmState::READY).await.unwrap();
    node.set_state(VmState(200)).await.unwrap();
    assert_eq!(
        *server.vm.state_calls.lock().unwrap(),
        [VmState(3), VmState(4), VmState(200)]
    );
    let set_state = node.call(Opcode::SetState, &[3]).await.unwrap();
    assert_eq!((set_state.type_byte, set_state.body.len()), (0x82, 0));

    let handlers = node.create_handlers().await.unwrap();
    assert_eq!(handlers[0].prefix, "/rpc");
    assert_eq!(node.new_http_handler().await.unwrap(), "");
    node.connected(&ConnectedRequest {
        node_id: [1; 20],
        name: "luxd".into(),
        major: 1,
        minor: 36,
        patch: 184,
    })
    .await
    .unwrap();
    node.disconnected([1; 20]).await.unwrap();
    assert_eq!(node.health().await.unwrap(), br#"{"healthy":true}"#);
    assert_eq!(node.version().await.unwrap(), "fake/1.0");

    // App messages: empty success.
    node.request(&AppRequest::default()).await.unwrap();
    node.request(&AppRequestFailed::default()).await.unwrap();
    node.request(&AppResponse::default()).await.unwrap();
    node.request(&AppGossip::default()).await.unwrap();

    // Block life cycle.
    server.vm.submit(b"tx-1");
    let built = node.build_block().await.unwrap().into_result().unwrap();
    assert_eq!((built.parent_id, built.height), (genesis, 1));
    let again = node.build_block().await.unwrap().into_result().unwrap();
    assert_eq!(again.id, built.id, "same block until decided");
    node.block_verify(&built.bytes).await.unwrap();
    let parsed = node
        .parse_block(&built.bytes)
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(parsed, built);
    node.set_preference(built.id).await.unwrap();
    node.block_accept(built.id).await.unwrap();
    let got = node
        .get_block(built.id)
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(got.bytes, built.bytes);
    let at1 = node.get_block_id_at_height(1).await.unwrap();
    assert_eq!(at1, GetBlockIdAtHeightResponse::found(built.id));
    let at9 = node.get_block_id_at_height(9).await.unwrap();
    assert_eq!(at9, GetBlockIdAtHeightResponse::failure(ErrCode::NOT_FOUND));
    // Unknown block: err 2 in the 30-byte failure form.
    let missing_id = GetBlockRequest { id: [0xEE; 32] }.encode();
    let missing = node.call(Opcode::GetBlock, &missing_id).await.unwrap();
    assert_eq!(missing.type_byte, 0x8b);
    assert_eq!(missing.body.len(), 30);
    assert_eq!(missing.body[29], 2);
    // Unparseable block: an error frame with the VM's text.
    let bad_parse = node.parse_block(b"junk").await.unwrap_err();
    assert!(matches!(bad_parse, Error::Remote { opcode: 10, .. }));
    // Unknown preference: an error frame.
    assert!(node.set_preference([0xEE; 32]).await.is_err());

    // Ancestors and batches (default trait methods).
    let ancestors = node
        .get_ancestors(&GetAncestorsRequest {
            block_id: built.id,
            max_blocks_num: 10,
            max_blocks_size: 1 << 20,
            max_retrieval_time: 0,
        })
        .await
        .unwrap();
    assert_eq!(ancestors, [built.bytes.clone(), common::genesis().bytes]);
    let negative = node
        .request(&GetAncestorsRequest {
            block_id: built.id,
            max_blocks_num: -1,
            max_blocks_size: 0,
            max_retrieval_time: 0,
        })
        .await;
    assert!(negative.is_err());
    let batch = node
        .batched_parse_block(vec![built.bytes.clone(), b"junk".to_vec()])
        .await
        .unwrap();
    assert_eq!(batch[0].clone().into_result().unwrap(), built);
    assert_eq!(batch[1].err, ErrCode::INTERNAL);

    // Reject returns the transaction and raises the latch.
    server.vm.submit(b"tx-2");
    let second = node.build_block().await.unwrap().into_result().unwrap();
    assert_eq!(second.height, 2);
    node.block_verify(&second.bytes).await.unwrap();
    node.block_reject(second.id).await.unwrap();
    assert_eq!(node.wait_for_event().await.unwrap(), Event::PendingTxs);

    // State sync: err 3 everywhere.
    let sse = node.request(&StateSyncEnabledRequest).await.unwrap();
    assert_eq!(sse.err, ErrCode::STATE_SYNC_NOT_IMPLEMENTED);
    assert!(!sse.enabled);
    for summary in [
        node.request(&GetOngoingSyncStateSummaryRequest).await,
        node.request(&GetLastStateSummaryRequest).await,
        node.request(&ParseStateSummaryRequest { bytes: vec![1] })
            .await,
        node.request(&GetStateSummaryRequest { height: 1 }).await,
    ] {
        assert_eq!(summary.unwrap(), SummaryResponse::not_implemented());
    }
    let ssa = node
        .request(&StateSummaryAcceptRequest { id: vec![0; 32] })
        .await
        .unwrap();
    assert_eq!(ssa.err, ErrCode::STATE_SYNC_NOT_IMPLEMENTED);

    // Opcodes nobody serves: error frames naming them.
    for op in [
        Opcode::Gather,
        Opcode::SetQuasarFinalized,
        Opcode::QuasarHeight,
        Opcode::AtomicGet,
        Opcode::SendRequest,
        Opcode::WarpSign,
        Opcode::ValidatorState,
    ] {
        let reply = node.call(op, &[]).await.unwrap();
        assert_eq!(reply.type_byte, op.error_type());
        assert_eq!(
            reply.error_text().unwrap(),
            format!("unimplemented opcode {}", op.as_u8())
        );
    }

    node.shutdown().await.unwrap();
    assert_eq!(server.vm.shutdowns.load(Ordering::SeqCst), 1);
    assert_eq!(node.unexpected_replies(), 0);
    assert_eq!(server.stop().await, ExitReason::Signal);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_wait_for_event_does_not_block_other_calls() {
    let server = Server::start(ServerConfig::default()).await;
    let node = server.client().await;
    let mut wait = node.start_wait_for_event().await.unwrap();
    assert!(
        wait.recv_within(Duration::from_millis(300))
            .await
            .unwrap()
            .is_none(),
        "no event yet"
    );
    // Other calls go through while it is pending.
    for _ in 0..20 {
        node.health().await.unwrap();
    }
    let at0 = node.get_block_id_at_height(0).await.unwrap();
    assert_eq!(at0.id, Some(server.vm.genesis_id()));
    server.vm.submit(b"tx");
    let reply = wait.recv().await.unwrap();
    assert_eq!((reply.type_byte, reply.body.as_slice()), (0x86, &[1][..]));
    // The latch keeps a signal raised while nobody waits.
    server.vm.submit(b"tx-b");
    assert_eq!(node.wait_for_event().await.unwrap(), Event::PendingTxs);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_leave_out_of_order() {
    let server = Server::start(ServerConfig::default()).await;
    let node = server.client().await;
    let slow = make_block(server.vm.genesis_id(), 1, 1, b"slow");
    let verify = BlockVerifyRequest {
        bytes: slow.bytes.clone(),
        p_chain_height: None,
    };
    let first = node
        .start(Opcode::BlockVerify, &verify.encode())
        .await
        .unwrap();
    let second = node.start(Opcode::Health, &[]).await.unwrap();
    assert!(first.request_id() < second.request_id());
    let health = second.recv().await.unwrap();
    assert_eq!(health.type_byte, 0x8d);
    let mut first = first;
    // The slow verify is still running after Health was answered.
    assert!(
        first
            .recv_within(Duration::from_millis(50))
            .await
            .unwrap()
            .is_none()
    );
    let verified = first.recv().await.unwrap();
    assert_eq!((verified.type_byte, verified.body.len()), (0x9c, 0));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batched_and_split_frames() {
    let server = Server::start(ServerConfig::default()).await;
    let node = server.client().await;

    // Two requests in one write.
    let (a, b) = (node.next_request_id(), node.next_request_id());
    let mut bytes = frame(13, a, &[]);
    bytes.extend(frame(22, b, &0u64.to_be_bytes()));
    let (ra, rb) = (node.expect(a, 13).unwrap(), node.expect(b, 22).unwrap());
    node.send_raw(&bytes).await.unwrap();
    ra.recv().await.unwrap().decode::<HealthResponse>().unwrap();
    let id = rb
        .recv()
        .await
        .unwrap()
        .decode::<GetBlockIdAtHeightResponse>()
        .unwrap();
    assert_eq!(id.id, Some(server.vm.genesis_id()));

    // One request split over three writes (inside the header, inside the body).
    let c = node.next_request_id();
    let rc = node.expect(c, 14).unwrap();
    let whole = frame(14, c, &[]);
    let set_state_id = node.next_request_id();
    let rs = node.expect(set_state_id, 2).unwrap();
    let mut stream = whole.clone();
    stream.extend(frame(2, set_state_id, &[4]));
    for piece in [&stream[..3], &stream[3..11], &stream[11..]] {
        node.send_raw(piece).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        rc.recv()
            .await
            .unwrap()
            .decode::<VersionResponse>()
            .unwrap(),
        VersionResponse {
            version: "fake/1.0".into()
        }
    );
    assert_eq!(rs.recv().await.unwrap().body, [] as [u8; 0]);
    assert_eq!(node.unexpected_replies(), 0);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_frames_get_error_replies_and_the_connection_stays_usable() {
    let server = Server::start(ServerConfig::default()).await;
    let node = server.client().await;

    // Truncated / wrong-length bodies: an error reply naming the field.
    let short_id = node
        .call(Opcode::GetBlock, &[0, 0, 0, 3, 1, 2, 3])
        .await
        .unwrap();
    assert_eq!(short_id.type_byte, 0xcb);
    assert_eq!(
        short_id.error_text().unwrap(),
        "malformed GetBlock request: field id: expected 32 bytes, got 3"
    );
    let truncated = node
        .call(Opcode::BlockVerify, &[0, 0, 0, 9, 1])
        .await
        .unwrap();
    assert_eq!(truncated.type_byte, 0xdc);
    let no_flag = node
        .call(Opcode::BlockVerify, &[0, 0, 0, 1, 7])
        .await
        .unwrap();
    assert!(no_flag.is_error, "the verify flag is required");
    let init = node.call(Opcode::Initialize, &[0, 0]).await.unwrap();
    assert_eq!(init.type_byte, 0xc1);
    let huge_count = node
        .call(Opcode::BatchedParseBlock, &[0xff, 0xff, 0xff, 0xff])
        .await
        .unwrap();
    assert!(huge_count.is_error);

    // Unknown opcode 62 → 0xFE; a flag-bit type byte too.
    let unknown = node.start_raw(62, &[1, 2, 3]).await.unwrap().recv().await;
    let unknown = unknown.unwrap();
    assert_eq!(unknown.type_byte, 0xfe);
    assert_eq!(unknown.error_text().unwrap(), "unimplemented opcode 62");
    let flagged = node.start_raw(0x4d, &[]).await.unwrap().recv().await;
    assert!(flagged.unwrap().is_error);

    // A panicking handler: an error reply for that request only.
    let panicked = node.parse_block(b"panic").await.unwrap_err();
    assert!(
        matches!(&panicked, Error::Remote { opcode: 10, text } if text.contains("panicked")),
        "{panicked}"
    );

    // len < 4 frames are dropped silently; reply-typed frames are ignored.
    let mut junk = vec![0, 0, 0, 0, 13, 0, 0, 0, 2, 13, 9, 9];
    junk.extend(frame(0x8d, 12345, &[0, 0, 0, 0]));
    node.send_raw(&junk).await.unwrap();

    // Still usable.
    node.health().await.unwrap();
    assert_eq!(node.unexpected_replies(), 0);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_len_closes_the_connection() {
    let server = Server::start(ServerConfig::default()).await;
    let node = server.client().await;
    let mut pending = node.start_wait_for_event().await.unwrap();
    let mut bytes = (MAX_FRAME_LEN + 1).to_be_bytes().to_vec();
    bytes.extend_from_slice(&[13, 0, 0, 0, 1]);
    node.send_raw(&bytes).await.unwrap();
    assert!(node.wait_closed(STEP).await, "connection closed");
    assert!(matches!(
        pending.recv_within(STEP).await,
        Err(Error::ConnectionClosed)
    ));
    assert!(matches!(node.health().await, Err(Error::ConnectionClosed)));
    // The server itself keeps serving new connections.
    let other = server.client().await;
    other.health().await.unwrap();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_garbage_never_panics_or_hangs() {
    let server = Server::start(ServerConfig::default()).await;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for round in 0..20 {
        let node = server.client().await;
        let mut garbage = Vec::new();
        for _ in 0..(64 + round * 37) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            garbage.push(seed as u8);
        }
        // Keep `len` small in half the rounds so frames actually parse.
        if round % 2 == 0 {
            garbage[0] = 0;
            garbage[1] = 0;
        }
        node.send_raw(&garbage).await.unwrap();
        drop(node);
    }
    // The server still answers.
    let node = server.client().await;
    node.health().await.unwrap();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_requests_in_flight_are_refused_not_queued() {
    let server = Server::start(ServerConfig::default().max_in_flight(2)).await;
    let node = server.client().await;
    let _w1 = node.start_wait_for_event().await.unwrap();
    let _w2 = node.start_wait_for_event().await.unwrap();
    let third = node.call(Opcode::Health, &[]).await.unwrap();
    assert_eq!(third.error_text().unwrap(), "too many requests in flight");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_the_server_closes_connections_and_drops_pending_waits() {
    let server = Server::start(ServerConfig::default()).await;
    let node = server.client().await;
    let mut wait = node.start_wait_for_event().await.unwrap();
    node.health().await.unwrap();
    let started = std::time::Instant::now();
    assert_eq!(server.stop().await, ExitReason::Signal);
    assert!(started.elapsed() < Duration::from_secs(2), "prompt");
    assert!(node.wait_closed(STEP).await);
    assert!(matches!(
        wait.recv_within(STEP).await,
        Err(Error::ConnectionClosed)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_when_idle_reports_shutdown_or_lost_connection() {
    // Shutdown answered, then the node closes: Shutdown.
    let server = Server::start(ServerConfig::default().exit_when_idle(true)).await;
    let node = server.client().await;
    let _wait = node.start_wait_for_event().await.unwrap();
    node.shutdown().await.unwrap();
    node.close().await.unwrap();
    let reason = tokio::time::timeout(STEP, server.task).await.unwrap();
    assert_eq!(reason.unwrap(), ExitReason::Shutdown);

    // The node goes away without Shutdown: ConnectionClosed.
    let server = Server::start(ServerConfig::default().exit_when_idle(true)).await;
    let node = server.client().await;
    node.health().await.unwrap();
    drop(node);
    let reason = tokio::time::timeout(STEP, server.task).await.unwrap();
    assert_eq!(reason.unwrap(), ExitReason::ConnectionClosed);
    assert_eq!(server.vm.shutdowns.load(Ordering::SeqCst), 0);
}
