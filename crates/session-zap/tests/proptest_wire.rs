//! Property tests: framing does not depend on how bytes arrive, and message
//! layouts round-trip.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use session_zap::wire::*;

fn frame_strategy() -> impl Strategy<Value = Frame> {
    (
        any::<u8>(),
        any::<u32>(),
        proptest::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(type_byte, request_id, body)| Frame {
            type_byte,
            request_id,
            body,
        })
}

fn id() -> impl Strategy<Value = Id> {
    any::<[u8; 32]>()
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

fn block_response() -> impl Strategy<Value = BlockResponse> {
    prop_oneof![
        (id(), id(), bytes(200), any::<u64>(), any::<i64>()).prop_map(
            |(id, parent_id, bytes, height, timestamp)| BlockResponse::ok(Block {
                id,
                parent_id,
                bytes,
                height,
                timestamp,
            })
        ),
        (1u8..=255).prop_map(|e| BlockResponse::failure(ErrCode(e))),
    ]
}

fn initialize() -> impl Strategy<Value = InitializeRequest> {
    (
        any::<u32>(),
        id(),
        any::<[u8; 20]>(),
        bytes(64),
        ".{0,40}",
        bytes(200),
        bytes(20),
        proptest::option::of((".{0,20}", proptest::option::of(id()), ".{0,20}")),
    )
        .prop_map(
            |(network_id, chain_id, node_id, public_key, dir, genesis, config, ext)| {
                InitializeRequest {
                    network_id,
                    chain_id,
                    node_id,
                    public_key,
                    chain_data_dir: dir,
                    genesis,
                    config,
                    extensions: ext.map(|(a, d, v)| InitializeExtensions {
                        atomic_server_addr: a,
                        d_chain_id: d,
                        validator_server_addr: v,
                    }),
                    ..Default::default()
                }
            },
        )
}

proptest! {
    #[test]
    fn framing_is_independent_of_read_boundaries(
        frames in proptest::collection::vec(frame_strategy(), 0..12),
        cuts in proptest::collection::vec(1usize..64, 1..40),
    ) {
        let mut stream = Vec::new();
        for f in &frames {
            stream.extend(f.encode().unwrap());
        }
        let mut d = FrameDecoder::new();
        let mut got = Vec::new();
        let mut rest = &stream[..];
        let mut i = 0;
        while !rest.is_empty() {
            let n = cuts[i % cuts.len()].min(rest.len());
            d.feed(&rest[..n]);
            rest = &rest[n..];
            i += 1;
            while let Some(f) = d.next_frame().unwrap() {
                got.push(f);
            }
        }
        prop_assert_eq!(got, frames);
        prop_assert_eq!(d.buffered(), 0);
    }

    #[test]
    fn block_responses_round_trip(b in block_response()) {
        prop_assert_eq!(BlockResponse::decode_exact(&b.encode()).unwrap(), b.clone());
        let batch = BatchedParseBlockResponse { blocks: vec![b.clone(), b] };
        prop_assert_eq!(BatchedParseBlockResponse::decode_exact(&batch.encode()).unwrap(), batch);
    }

    #[test]
    fn initialize_round_trips(req in initialize()) {
        let body = req.encode();
        prop_assert_eq!(InitializeRequest::decode_exact(&body).unwrap(), req.clone());
        prop_assert_eq!(
            Request::decode(Opcode::Initialize, &body).unwrap(),
            Request::Initialize(req)
        );
    }

    #[test]
    fn request_decoding_never_panics(op in any::<u8>(), body in bytes(300)) {
        if let Some(op) = Opcode::from_u8(op)
            && let Ok(req) = Request::decode(op, &body)
        {
            prop_assert_eq!(Request::decode(op, &req.encode()).unwrap(), req);
        }
    }
}
