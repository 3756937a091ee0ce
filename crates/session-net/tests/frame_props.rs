//! Property tests: any sequence of envelopes survives encoding, arbitrary
//! chunking and decoding; arbitrary bytes never panic the decoders.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use session_core::Id;
use session_net::frame::{FrameDecoder, MAX_FRAME_LEN};
use session_net::{
    Data, Envelope, Heartbeat, Kind, Message, OracleCommit, Ping, Pong, RejectCode, Rejection,
    SessionStart,
};

fn id() -> impl Strategy<Value = Id> {
    any::<[u8; 32]>().prop_map(Id)
}

fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        (any::<u32>(), prop::collection::vec(any::<u8>(), 0..3000)).prop_map(|(topic, p)| {
            Message::Data(Data {
                topic,
                payload: p.into(),
            })
        }),
        any::<u64>().prop_map(|nonce| Message::Ping(Ping { nonce })),
        any::<u64>().prop_map(|nonce| Message::Pong(Pong { nonce })),
        any::<u64>().prop_map(|seq| Message::Heartbeat(Heartbeat { seq })),
        id().prop_map(|session_id| Message::SessionStart(SessionStart { session_id })),
        (id(), id(), prop::collection::vec(id(), 0..40)).prop_map(|(r, c, ids)| {
            Message::OracleCommit(OracleCommit {
                request_id: r,
                commit_root: c,
                record_ids: ids,
            })
        }),
    ]
}

fn envelope() -> impl Strategy<Value = Envelope> {
    prop_oneof![
        (
            message(),
            prop_oneof![
                Just(Kind::OneWay),
                (1..u64::MAX).prop_map(Kind::Request),
                (1..u64::MAX).prop_map(Kind::Response),
            ]
        )
            .prop_map(|(m, k)| Envelope::new(k, m)),
        (1..u64::MAX, any::<u16>(), ".{0,300}").prop_map(|(id, code, reason)| {
            Envelope::new(
                Kind::Response(id),
                Message::Reject(Rejection::new(RejectCode(code), reason)),
            )
        }),
    ]
}

proptest! {
    #[test]
    fn envelopes_survive_any_chunking(
        envs in prop::collection::vec(envelope(), 1..12),
        cuts in prop::collection::vec(1usize..5000, 1..20),
    ) {
        let mut stream = Vec::new();
        for e in &envs {
            stream.extend_from_slice(&e.encode().unwrap());
        }
        let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
        let mut got = Vec::new();
        let mut rest = &stream[..];
        let mut i = 0;
        while !rest.is_empty() {
            let n = cuts[i % cuts.len()].min(rest.len());
            i += 1;
            dec.feed(&rest[..n]).unwrap();
            rest = &rest[n..];
            while let Some(f) = dec.next_frame().unwrap() {
                got.push(Envelope::decode(f).unwrap());
            }
        }
        prop_assert_eq!(got, envs);
        prop_assert_eq!(dec.buffered(), 0);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        session_net::fuzz::net_frame(&bytes);
        // Also as a frame body of every type.
        for ty in 0..=15u8 {
            let frame = session_net::frame::Frame {
                version: 1,
                ty,
                body: bytes.clone().into(),
            };
            let _ = Envelope::decode(frame);
        }
    }
}
