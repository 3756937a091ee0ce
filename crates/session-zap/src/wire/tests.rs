//! Round trips and exact bytes for every message layout.

use super::*;
use crate::Error;

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

/// encode → decode_exact gives the value back, and so does decode, also
/// with bytes appended.
fn round_trip<T: Message + PartialEq + std::fmt::Debug>(value: &T) -> Vec<u8> {
    let body = round_trip_exact(value);
    let mut longer = body.clone();
    longer.extend_from_slice(&[0xAA; 3]);
    assert_eq!(
        &T::decode(&longer).unwrap(),
        value,
        "trailing bytes ignored"
    );
    assert!(matches!(
        T::decode_exact(&longer),
        Err(Error::Malformed { .. })
    ));
    body
}

/// encode → decode_exact gives the value back; no prefix panics.
fn round_trip_exact<T: Message + PartialEq + std::fmt::Debug>(value: &T) -> Vec<u8> {
    let body = value.encode();
    assert_eq!(&T::decode_exact(&body).unwrap(), value, "{}", T::NAME);
    // Every strict prefix that is not itself a valid encoding must fail
    // cleanly (no panic); most fail.
    for cut in 0..body.len() {
        let _ = T::decode(&body[..cut]);
    }
    body
}

fn sample_block(n: u8) -> Block {
    Block {
        id: [n; 32],
        parent_id: [n.wrapping_sub(1); 32],
        bytes: vec![n; usize::from(n)],
        height: u64::from(n),
        timestamp: 1_700_000_000_000_000_000 + i64::from(n),
    }
}

fn full_initialize() -> InitializeRequest {
    InitializeRequest {
        network_id: 1337,
        chain_id: [7; 32],
        node_id: [9; 20],
        public_key: vec![],
        x_chain_id: ZERO_ID,
        c_chain_id: ZERO_ID,
        utxo_asset_id: ZERO_ID,
        chain_data_dir: "/tmp/chain".into(),
        genesis: br#"{"x":1}"#.to_vec(),
        upgrade: vec![],
        config: vec![],
        db_server_addr: String::new(),
        server_addr: String::new(),
        extensions: Some(InitializeExtensions {
            atomic_server_addr: String::new(),
            d_chain_id: None,
            validator_server_addr: "127.0.0.1:1".into(),
        }),
    }
}

#[test]
fn initialize_request_with_and_without_trailing_fields() {
    let full = full_initialize();
    let body = round_trip(&full);
    let short = InitializeRequest {
        extensions: None,
        ..full.clone()
    };
    let short_body = round_trip(&short);
    // 14–16 add three length prefixes plus the validator address.
    assert_eq!(body.len(), short_body.len() + 12 + 11);
    // Only field 14 present: the rest default.
    let mut only14 = short_body.clone();
    only14.extend_from_slice(&hex("00 00 00 02 61 62"));
    let got = InitializeRequest::decode(&only14).unwrap();
    assert_eq!(
        got.extensions,
        Some(InitializeExtensions {
            atomic_server_addr: "ab".into(),
            ..Default::default()
        })
    );
    // Fewer than 4 trailing bytes: treated as absent.
    let mut stub = short_body.clone();
    stub.extend_from_slice(&[0, 0]);
    assert_eq!(InitializeRequest::decode(&stub).unwrap().extensions, None);
    // A D-chain ID of 32 bytes round-trips.
    let mut with_d = full.clone();
    with_d.extensions.as_mut().unwrap().d_chain_id = Some([4; 32]);
    round_trip(&with_d);
}

#[test]
fn initialize_ids_accept_empty_as_zero_and_reject_other_lengths() {
    let mut w = Writer::new();
    w.u32(1);
    w.bytes(&[]); // chain ID
    w.bytes(&[]); // node ID
    w.bytes(&[1, 2, 3]); // public key: any length
    for _ in 0..3 {
        w.bytes(&[]);
    }
    w.string("/d");
    for _ in 0..3 {
        w.bytes(&[]);
    }
    w.string("");
    w.string("");
    let req = InitializeRequest::decode_exact(&w.into_body()).unwrap();
    assert_eq!(req.chain_id, ZERO_ID);
    assert_eq!(req.node_id, [0; 20]);
    assert_eq!(req.public_key, [1, 2, 3]);
    assert_eq!(req.extensions, None);

    let mut bad = Writer::new();
    bad.u32(1);
    bad.bytes(&[5; 31]);
    let err = InitializeRequest::decode(&bad.into_body()).unwrap_err();
    assert!(err.to_string().contains("chain_id"), "{err}");
    assert!(err.to_string().contains("Initialize request"), "{err}");
}

#[test]
fn initialize_response_capabilities_are_optional_trailing() {
    let resp = InitializeResponse {
        last_accepted_id: [1; 32],
        last_accepted_parent_id: ZERO_ID,
        height: 0,
        bytes: b"genesis".to_vec(),
        timestamp: 5,
        capabilities: 0,
    };
    let body = round_trip(&resp);
    assert_eq!(body.len(), 36 + 36 + 8 + 11 + 8 + 8);
    assert_eq!(
        InitializeResponse::decode_exact(&body[..body.len() - 8]).unwrap(),
        resp
    );
    let mut short_id = Writer::new();
    short_id.bytes(&[]);
    assert!(InitializeResponse::decode(&short_id.into_body()).is_err());
}

#[test]
fn small_bodies_match_the_spec() {
    assert_eq!(
        SetStateRequest {
            state: VmState::BOOTSTRAPPING
        }
        .encode(),
        [3]
    );
    assert_eq!(
        SetStateRequest::decode(&[0xff]).unwrap().state,
        VmState(0xff)
    );
    assert_eq!(Event::PendingTxs.encode(), [1]);
    assert_eq!(Event::decode(&[2]).unwrap(), Event::StateSyncDone);
    assert!(Event::decode(&[0]).is_err());
    assert_eq!(HealthResponse::default().encode(), [0, 0, 0, 0]);
    assert!(
        HealthResponse::decode(&[]).is_err(),
        "empty body is unhealthy"
    );
    assert_eq!(
        NewHttpHandlerResponse::default().encode(),
        [0, 0, 0, 0],
        "\"\" is not an empty body"
    );
    assert_eq!(
        BlockVerifyRequest {
            bytes: b"abc".to_vec(),
            p_chain_height: None
        }
        .encode(),
        hex("00 00 00 03 61 62 63 00")
    );
    assert_eq!(BuildBlockRequest::default().encode(), [] as [u8; 0]);
    assert_eq!(
        BuildBlockRequest {
            p_chain_height: Some(9)
        }
        .encode(),
        hex("01 00 00 00 00 00 00 00 09")
    );
    assert_eq!(
        BuildBlockRequest::decode(&[0]).unwrap(),
        BuildBlockRequest::default()
    );
    assert!(BuildBlockRequest::decode(&[1, 0]).is_err());
}

#[test]
fn block_response_forms() {
    let ok = BlockResponse::ok(sample_block(3));
    let body = round_trip(&ok);
    assert_eq!(body.len(), 36 + 36 + 7 + 8 + 8 + 1 + 1);
    assert_eq!(ok.clone().into_result().unwrap(), sample_block(3));

    let fail = BlockResponse::failure(ErrCode::NOT_FOUND);
    let body = round_trip(&fail);
    assert_eq!(body.len(), 30);
    assert_eq!(&body[..29], &[0; 29]);
    assert_eq!(body[29], 2);
    assert_eq!(fail.into_result(), Err(ErrCode::NOT_FOUND));

    // A success with a short ID is malformed; a failure ignores field lengths.
    let mut w = Writer::new();
    w.bytes(&[1; 3]);
    w.bytes(&[0; 32]);
    w.bytes(&[]);
    w.u64(0);
    w.i64(0);
    w.bool(false);
    let mut success = w.clone();
    success.u8(0);
    assert!(matches!(
        BlockResponse::decode(&success.into_body()),
        Err(Error::Malformed { .. })
    ));
    w.u8(4);
    assert_eq!(
        BlockResponse::decode(&w.into_body()).unwrap(),
        BlockResponse::failure(ErrCode::INTERNAL)
    );
}

#[test]
fn every_layout_round_trips() {
    round_trip(&full_initialize());
    round_trip(&SetStateRequest {
        state: VmState::READY,
    });
    round_trip(&CreateHandlersResponse {
        handlers: vec![
            Handler {
                prefix: "/rpc".into(),
                addr: "127.0.0.1:4000".into(),
            },
            Handler::default(),
        ],
    });
    round_trip(&CreateHandlersResponse::default());
    round_trip(&NewHttpHandlerResponse { addr: "x".into() });
    round_trip(&Event::PendingTxs);
    round_trip(&ConnectedRequest {
        node_id: [3; 20],
        name: "luxd".into(),
        major: 1,
        minor: 36,
        patch: 184,
    });
    round_trip(&DisconnectedRequest { node_id: [4; 20] });
    // The empty form is the whole body: nothing can follow it.
    round_trip_exact(&BuildBlockRequest::default());
    round_trip(&BuildBlockRequest {
        p_chain_height: Some(u64::MAX),
    });
    round_trip(&ParseBlockRequest {
        bytes: b"blk".to_vec(),
    });
    round_trip(&GetBlockRequest { id: [8; 32] });
    round_trip(&SetPreferenceRequest { id: [8; 32] });
    round_trip(&HealthResponse {
        details: br#"{"healthy":true}"#.to_vec(),
    });
    round_trip(&VersionResponse {
        version: "sessionvm/0.1.0".into(),
    });
    round_trip(&AppRequest {
        node_id: [1; 20],
        request_id: 5,
        deadline: -1,
        request: vec![1, 2],
    });
    round_trip(&AppRequestFailed {
        node_id: [1; 20],
        request_id: 5,
        error_code: -7,
        error_message: "timeout".into(),
    });
    round_trip(&AppResponse {
        node_id: [1; 20],
        request_id: 5,
        response: vec![3],
    });
    round_trip(&AppGossip {
        node_id: [1; 20],
        msg: vec![4],
    });
    round_trip(&GetAncestorsRequest {
        block_id: [2; 32],
        max_blocks_num: 10,
        max_blocks_size: 1 << 20,
        max_retrieval_time: 1_000_000_000,
    });
    round_trip(&GetAncestorsResponse {
        blocks: vec![vec![1], vec![], vec![2, 3]],
    });
    round_trip(&BatchedParseBlockRequest {
        blocks: vec![vec![1], vec![2]],
    });
    round_trip(&BatchedParseBlockResponse {
        blocks: vec![
            BlockResponse::ok(sample_block(1)),
            BlockResponse::failure(ErrCode::INTERNAL),
        ],
    });
    round_trip(&GetBlockIdAtHeightRequest { height: 42 });
    round_trip(&GetBlockIdAtHeightResponse::found([6; 32]));
    let missing = round_trip(&GetBlockIdAtHeightResponse::failure(ErrCode::NOT_FOUND));
    assert_eq!(missing, [0, 0, 0, 0, 2]);
    round_trip(&BlockVerifyRequest {
        bytes: vec![1],
        p_chain_height: Some(3),
    });
    assert_eq!(round_trip(&BlockVerifyResponse::default()), [] as [u8; 0]);
    round_trip(&BlockVerifyResponse { timestamp: Some(9) });
    round_trip(&BlockAcceptRequest { id: [1; 32] });
    round_trip(&BlockRejectRequest { id: [1; 32] });
    round_trip(&StateSyncEnabledResponse {
        enabled: false,
        err: ErrCode::STATE_SYNC_NOT_IMPLEMENTED,
    });
    assert_eq!(
        round_trip(&SummaryResponse::not_implemented()),
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]
    );
    round_trip(&ParseStateSummaryRequest { bytes: vec![1] });
    round_trip(&GetStateSummaryRequest { height: 1 });
    round_trip(&StateSummaryAcceptRequest { id: vec![1; 32] });
    round_trip(&StateSummaryAcceptResponse {
        mode: 0,
        err: ErrCode::STATE_SYNC_NOT_IMPLEMENTED,
    });
}

#[test]
fn hostile_counts_are_rejected_before_allocating() {
    for body in [
        hex("ff ff ff ff"),
        hex("00 00 00 02 00 00 00 00"),
        hex("7f ff ff ff 00 00 00 00"),
    ] {
        assert!(BatchedParseBlockRequest::decode(&body).is_err());
        assert!(GetAncestorsResponse::decode(&body).is_err());
        assert!(CreateHandlersResponse::decode(&body).is_err());
        assert!(BatchedParseBlockResponse::decode(&body).is_err());
    }
}

#[test]
fn request_enum_covers_every_opcode() {
    for &op in Opcode::ALL {
        // Every opcode decodes from some body without panicking.
        let _ = Request::decode(op, &[]);
        let _ = Request::decode(op, &[0xff; 64]);
    }
    let req = Request::decode(Opcode::BlockVerify, &hex("00 00 00 03 61 62 63 00")).unwrap();
    assert_eq!(
        req,
        Request::BlockVerify(BlockVerifyRequest {
            bytes: b"abc".to_vec(),
            p_chain_height: None
        })
    );
    assert_eq!(req.opcode(), Opcode::BlockVerify);
    assert_eq!(req.encode(), hex("00 00 00 03 61 62 63 00"));
    assert_eq!(
        Request::decode(Opcode::Health, &[1, 2]).unwrap(),
        Request::Health
    );
    assert_eq!(
        Request::decode(Opcode::Gather, &[]).unwrap(),
        Request::Unsupported(Opcode::Gather)
    );
    let err = Request::decode(Opcode::GetBlock, &hex("00 00 00 03 01 02 03")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed GetBlock request: field id: expected 32 bytes, got 3"
    );
    assert_eq!(
        Request::from(SetStateRequest {
            state: VmState::READY
        })
        .opcode(),
        Opcode::SetState
    );
}

#[test]
fn calls_name_their_opcodes() {
    fn op<C: Call>() -> u8 {
        C::OPCODE.as_u8()
    }
    assert_eq!(op::<InitializeRequest>(), 1);
    assert_eq!(op::<SetStateRequest>(), 2);
    assert_eq!(op::<ShutdownRequest>(), 3);
    assert_eq!(op::<CreateHandlersRequest>(), 4);
    assert_eq!(op::<NewHttpHandlerRequest>(), 5);
    assert_eq!(op::<WaitForEventRequest>(), 6);
    assert_eq!(op::<ConnectedRequest>(), 7);
    assert_eq!(op::<DisconnectedRequest>(), 8);
    assert_eq!(op::<BuildBlockRequest>(), 9);
    assert_eq!(op::<ParseBlockRequest>(), 10);
    assert_eq!(op::<GetBlockRequest>(), 11);
    assert_eq!(op::<SetPreferenceRequest>(), 12);
    assert_eq!(op::<HealthRequest>(), 13);
    assert_eq!(op::<VersionRequest>(), 14);
    assert_eq!(op::<AppRequest>(), 15);
    assert_eq!(op::<AppRequestFailed>(), 16);
    assert_eq!(op::<AppResponse>(), 17);
    assert_eq!(op::<AppGossip>(), 18);
    assert_eq!(op::<GetAncestorsRequest>(), 20);
    assert_eq!(op::<BatchedParseBlockRequest>(), 21);
    assert_eq!(op::<GetBlockIdAtHeightRequest>(), 22);
    assert_eq!(op::<StateSyncEnabledRequest>(), 23);
    assert_eq!(op::<GetOngoingSyncStateSummaryRequest>(), 24);
    assert_eq!(op::<GetLastStateSummaryRequest>(), 25);
    assert_eq!(op::<ParseStateSummaryRequest>(), 26);
    assert_eq!(op::<GetStateSummaryRequest>(), 27);
    assert_eq!(op::<BlockVerifyRequest>(), 28);
    assert_eq!(op::<BlockAcceptRequest>(), 29);
    assert_eq!(op::<BlockRejectRequest>(), 30);
    assert_eq!(op::<StateSummaryAcceptRequest>(), 31);
}
