//! Replays the committed fuzz corpus (`fuzz/corpus/zap_wire`) through the
//! entry point the cargo-fuzz target calls, so every `cargo test` re-checks
//! every input the fuzzer has kept.
//!
//! `cargo test -p session-zap --test fuzz_corpus -- --ignored` writes any
//! missing hand-written seed inputs (files named `seed-*`).

#![allow(clippy::unwrap_used)]

use session_testkit::{replay_corpus, write_seed};

use session_zap::fuzz;
use session_zap::handshake;
use session_zap::wire::*;

#[test]
fn replay_zap_wire() {
    replay_corpus("zap_wire", fuzz::wire);
}

/// Writes a seed unless it exists; it must run through the entry point.
fn write(name: &str, bytes: &[u8]) {
    fuzz::wire(bytes);
    write_seed("zap_wire", name, bytes);
}

fn with_mode(mode: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![mode];
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

fn block() -> Block {
    Block {
        id: [1; 32],
        parent_id: [0; 32],
        bytes: b"block".to_vec(),
        height: 1,
        timestamp: 1_700_000_000_000_000_000,
    }
}

/// One sample body per request opcode.
fn requests() -> Vec<(&'static str, Opcode, Vec<u8>)> {
    let init = InitializeRequest {
        network_id: 1337,
        chain_id: [7; 32],
        node_id: [9; 20],
        chain_data_dir: "/data/chain".into(),
        genesis: br#"{"config":{}}"#.to_vec(),
        extensions: Some(InitializeExtensions::default()),
        ..Default::default()
    };
    let short_init = InitializeRequest {
        extensions: None,
        ..init.clone()
    };
    vec![
        ("initialize", Opcode::Initialize, init.encode()),
        ("initialize-short", Opcode::Initialize, short_init.encode()),
        ("set-state", Opcode::SetState, vec![3]),
        ("shutdown", Opcode::Shutdown, vec![]),
        ("create-handlers", Opcode::CreateHandlers, vec![]),
        ("new-http-handler", Opcode::NewHttpHandler, vec![]),
        ("wait-for-event", Opcode::WaitForEvent, vec![]),
        (
            "connected",
            Opcode::Connected,
            ConnectedRequest {
                node_id: [2; 20],
                name: "luxd".into(),
                major: 1,
                minor: 36,
                patch: 184,
            }
            .encode(),
        ),
        (
            "disconnected",
            Opcode::Disconnected,
            DisconnectedRequest { node_id: [2; 20] }.encode(),
        ),
        ("build-block", Opcode::BuildBlock, vec![]),
        (
            "build-block-height",
            Opcode::BuildBlock,
            BuildBlockRequest {
                p_chain_height: Some(5),
            }
            .encode(),
        ),
        (
            "parse-block",
            Opcode::ParseBlock,
            ParseBlockRequest {
                bytes: b"block".to_vec(),
            }
            .encode(),
        ),
        (
            "get-block",
            Opcode::GetBlock,
            GetBlockRequest { id: [1; 32] }.encode(),
        ),
        (
            "set-preference",
            Opcode::SetPreference,
            SetPreferenceRequest { id: [1; 32] }.encode(),
        ),
        ("health", Opcode::Health, vec![]),
        ("version", Opcode::Version, vec![]),
        (
            "app-request",
            Opcode::AppRequest,
            AppRequest {
                node_id: [3; 20],
                request_id: 1,
                deadline: 2,
                request: vec![4],
            }
            .encode(),
        ),
        (
            "app-request-failed",
            Opcode::AppRequestFailed,
            AppRequestFailed {
                error_message: "x".into(),
                ..Default::default()
            }
            .encode(),
        ),
        (
            "app-response",
            Opcode::AppResponse,
            AppResponse::default().encode(),
        ),
        (
            "app-gossip",
            Opcode::AppGossip,
            AppGossip::default().encode(),
        ),
        ("gather", Opcode::Gather, vec![]),
        (
            "get-ancestors",
            Opcode::GetAncestors,
            GetAncestorsRequest {
                block_id: [1; 32],
                max_blocks_num: 10,
                max_blocks_size: 2_000_000,
                max_retrieval_time: 1_000_000_000,
            }
            .encode(),
        ),
        (
            "batched-parse-block",
            Opcode::BatchedParseBlock,
            BatchedParseBlockRequest {
                blocks: vec![b"a".to_vec(), b"bc".to_vec()],
            }
            .encode(),
        ),
        (
            "get-block-id-at-height",
            Opcode::GetBlockIdAtHeight,
            GetBlockIdAtHeightRequest { height: 0 }.encode(),
        ),
        ("state-sync-enabled", Opcode::StateSyncEnabled, vec![]),
        (
            "ongoing-summary",
            Opcode::GetOngoingSyncStateSummary,
            vec![],
        ),
        ("last-summary", Opcode::GetLastStateSummary, vec![]),
        (
            "parse-summary",
            Opcode::ParseStateSummary,
            ParseStateSummaryRequest { bytes: vec![1] }.encode(),
        ),
        (
            "get-summary",
            Opcode::GetStateSummary,
            GetStateSummaryRequest { height: 9 }.encode(),
        ),
        (
            "block-verify",
            Opcode::BlockVerify,
            BlockVerifyRequest {
                bytes: b"abc".to_vec(),
                p_chain_height: None,
            }
            .encode(),
        ),
        (
            "block-verify-height",
            Opcode::BlockVerify,
            BlockVerifyRequest {
                bytes: b"abc".to_vec(),
                p_chain_height: Some(7),
            }
            .encode(),
        ),
        (
            "block-accept",
            Opcode::BlockAccept,
            BlockAcceptRequest { id: [1; 32] }.encode(),
        ),
        (
            "block-reject",
            Opcode::BlockReject,
            BlockRejectRequest { id: [1; 32] }.encode(),
        ),
        (
            "summary-accept",
            Opcode::StateSummaryAccept,
            StateSummaryAcceptRequest { id: vec![1; 32] }.encode(),
        ),
        ("quasar-height", Opcode::QuasarHeight, vec![]),
    ]
}

#[test]
#[ignore = "regenerates the committed seed corpus"]
fn write_seed_corpus() {
    // Mode 1: every request decoder.
    let requests = requests();
    for (name, op, body) in &requests {
        write(
            &format!("req-{name}"),
            &with_mode(1, &[&[op.as_u8()], body]),
        );
    }
    // A malformed one: GetBlock with a 3-byte ID.
    write("req-get-block-short-id", &[1, 11, 0, 0, 0, 3, 1, 2, 3]);

    // Mode 0: streams of frames (chunk sizes 1, 2 and 9).
    let mut stream = Vec::new();
    for (i, (_, op, body)) in requests.iter().enumerate() {
        encode_frame_into(&mut stream, op.as_u8(), i as u32 + 1, body).unwrap();
    }
    write("frames-all-requests", &with_mode(0, &[&stream]));
    let worked: &[&[u8]] = &[
        &[0, 0, 0, 4, 0x0d, 0, 0, 0, 7],
        &[0, 0, 0, 8, 0x8d, 0, 0, 0, 7, 0, 0, 0, 0],
        &[0, 0, 0, 5, 0x02, 0, 0, 0, 2, 3],
        &[0, 0, 0, 5, 0x86, 0, 0, 0, 0x0a, 1],
        &[
            0, 0, 0, 0x11, 0xd3, 0, 0, 0, 9, b'u', b'n', b'i', b'm', b'p', b'l', b'e', b'm', b'e',
            b'n', b't', b'e', b'd',
        ],
        &[
            0, 0, 0, 0x0c, 0x1c, 0, 0, 0, 5, 0, 0, 0, 3, b'a', b'b', b'c', 0,
        ],
        // len < 4: dropped.
        &[0, 0, 0, 2, 0x0d, 0xff, 0xff],
        // Unknown opcode 62.
        &[0, 0, 0, 4, 0x3e, 0, 0, 0, 1],
    ];
    write("frames-worked-bytes-chunk1", &with_mode(0, worked));
    write("frames-worked-bytes-chunk2", &with_mode(4, worked));
    write("frames-worked-bytes-chunk9", &with_mode(32, worked));
    let mut oversized = vec![0, 0, 0, 4, 0x0d, 0, 0, 0, 7];
    oversized.extend_from_slice(&(MAX_FRAME_LEN + 1).to_be_bytes());
    oversized.extend_from_slice(&[0x0d, 0, 0, 0, 8]);
    write("frames-oversized", &with_mode(0, &[&oversized]));

    // Mode 2: every reply layout (selector = index in fuzz::wire).
    let replies: Vec<(&str, u8, Vec<u8>)> = vec![
        (
            "initialize",
            0,
            InitializeResponse {
                last_accepted_id: [1; 32],
                height: 3,
                bytes: b"g".to_vec(),
                timestamp: 5,
                ..Default::default()
            }
            .encode(),
        ),
        (
            "create-handlers",
            1,
            CreateHandlersResponse {
                handlers: vec![Handler {
                    prefix: "/rpc".into(),
                    addr: "127.0.0.1:9650".into(),
                }],
            }
            .encode(),
        ),
        (
            "new-http-handler",
            2,
            NewHttpHandlerResponse::default().encode(),
        ),
        ("event", 3, Event::PendingTxs.encode()),
        ("block", 4, BlockResponse::ok(block()).encode()),
        (
            "block-failure",
            4,
            BlockResponse::failure(ErrCode::NOT_FOUND).encode(),
        ),
        (
            "health",
            5,
            HealthResponse {
                details: br#"{"healthy":true}"#.to_vec(),
            }
            .encode(),
        ),
        (
            "version",
            6,
            VersionResponse {
                version: "sessionvm/0.1.0".into(),
            }
            .encode(),
        ),
        (
            "ancestors",
            7,
            GetAncestorsResponse {
                blocks: vec![b"b2".to_vec(), b"b1".to_vec()],
            }
            .encode(),
        ),
        (
            "batched",
            8,
            BatchedParseBlockResponse {
                blocks: vec![
                    BlockResponse::ok(block()),
                    BlockResponse::failure(ErrCode::INTERNAL),
                ],
            }
            .encode(),
        ),
        (
            "id-at-height",
            9,
            GetBlockIdAtHeightResponse::found([4; 32]).encode(),
        ),
        (
            "verify-ts",
            10,
            BlockVerifyResponse { timestamp: Some(1) }.encode(),
        ),
        (
            "state-sync-enabled",
            11,
            StateSyncEnabledResponse {
                enabled: false,
                err: ErrCode::STATE_SYNC_NOT_IMPLEMENTED,
            }
            .encode(),
        ),
        ("summary", 12, SummaryResponse::not_implemented().encode()),
        (
            "summary-accept",
            13,
            StateSummaryAcceptResponse {
                mode: 0,
                err: ErrCode::STATE_SYNC_NOT_IMPLEMENTED,
            }
            .encode(),
        ),
        ("block-into-result", 14, BlockResponse::ok(block()).encode()),
    ];
    for (name, sel, body) in &replies {
        write(&format!("reply-{name}"), &with_mode(2, &[&[*sel], body]));
    }

    // Mode 3: the handshake of §1.3.
    write(
        "handshake",
        &with_mode(3, &[&handshake::encode(42, "127.0.0.1:40123")]),
    );
}
