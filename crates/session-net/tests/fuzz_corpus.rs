//! Replays the committed fuzz corpus (`fuzz/corpus/net_frame`) through the
//! same entry point the cargo-fuzz target calls, so every `cargo test`
//! re-checks every input the fuzzer has kept.
//!
//! `cargo test -p session-net --test fuzz_corpus -- --ignored` writes any
//! missing hand-written seed inputs (files named `seed-*`).
#![allow(clippy::unwrap_used)]

use session_testkit::{replay_corpus, write_seed};

use bytes::Bytes;
use session_core::{
    Attestation, Domain, OracleRecord, OracleRequest, Receipt, RequestKind, Session, Statement,
    hash,
};
use session_crypto::Identity;
use session_net::binding::{self, Role, StaticKeyingMaterial};
use session_net::frame::encode_raw;
use session_net::{
    Data, Envelope, Heartbeat, Kind, Message, MessageType, OracleCommit, Ping, Pong, RejectCode,
    Rejection, SessionStart, fuzz,
};

#[test]
fn replay_net_frame() {
    replay_corpus("net_frame", fuzz::net_frame);
}

fn write(name: &str, bytes: &[u8]) {
    write_seed("net_frame", name, bytes);
}

fn seed(name: &str, chunk: u8, stream: &[u8]) {
    let mut bytes = vec![chunk];
    bytes.extend_from_slice(stream);
    fuzz::net_frame(&bytes);
    write(name, &bytes);
}

fn frame(kind: Kind, message: Message) -> Vec<u8> {
    let env = Envelope::new(kind, message);
    let bytes = env.encode().unwrap().to_vec();
    // Every well-formed seed must decode back to its message.
    let mut dec = session_net::frame::FrameDecoder::new(session_net::frame::MAX_FRAME_LEN);
    dec.feed(&bytes).unwrap();
    assert_eq!(
        Envelope::decode(dec.next_frame().unwrap().unwrap()).unwrap(),
        env
    );
    bytes
}

#[test]
#[ignore = "regenerates the committed seed corpus"]
fn write_seed_corpus() {
    let node = Identity::from_seeds(&[1; 64], &[1; 32]);
    let other = Identity::from_seeds(&[2; 64], &[2; 32]);
    let committee = vec![hash(b"n1"), hash(b"n2"), hash(b"n3")];
    let session = Session::new(hash(b"svc"), 3, hash(b"tx"), committee).unwrap();
    let req = OracleRequest {
        service_id: hash(b"svc"),
        session_id: session.id,
        step: 1,
        retry: 0,
        tx_id: hash(b"tx"),
        kind: RequestKind::Write,
        input_hash: hash(b"in"),
    };
    let record = OracleRecord::sign(&node, req.id(), b"result=ok".to_vec()).unwrap();
    let statement = Statement {
        domain: Domain::OracleWrite,
        subject_id: req.id(),
        commit_root: session_core::oracle_commit_root(std::slice::from_ref(&record)),
        epoch: 3,
    };
    let hs = binding::sign(
        &node,
        Role::Dialer,
        node.id(),
        other.id(),
        &StaticKeyingMaterial([5; 32]),
    )
    .unwrap();
    let messages: Vec<(Kind, Message)> = vec![
        (Kind::OneWay, Message::Handshake(hs)),
        (
            Kind::Request(1),
            Message::SessionCreate(Box::new(session.clone())),
        ),
        (
            Kind::OneWay,
            Message::SessionStart(SessionStart {
                session_id: session.id,
            }),
        ),
        (Kind::Request(2), Message::OracleRequest(req)),
        (Kind::Response(2), Message::OracleRecord(record.clone())),
        (
            Kind::OneWay,
            Message::OracleCommit(OracleCommit {
                request_id: req.id(),
                commit_root: statement.commit_root,
                record_ids: vec![record.id()],
            }),
        ),
        (
            Kind::OneWay,
            Message::Attestation(Attestation::sign(&node, statement)),
        ),
        (
            Kind::OneWay,
            Message::Receipt(Receipt::sign(&node, session.id, 1, hash(b"m"), hash(b"s"))),
        ),
        (Kind::OneWay, Message::Heartbeat(Heartbeat { seq: 17 })),
        (Kind::Request(3), Message::Ping(Ping { nonce: 99 })),
        (Kind::Response(3), Message::Pong(Pong { nonce: 99 })),
        (
            Kind::OneWay,
            Message::Data(Data {
                topic: 4,
                payload: Bytes::from_static(b"application bytes"),
            }),
        ),
        (
            Kind::Response(4),
            Message::Reject(Rejection::new(RejectCode::UNHANDLED, "Data")),
        ),
    ];
    let mut stream = Vec::new();
    for (kind, msg) in messages {
        let ty = msg.message_type();
        let bytes = frame(kind, msg);
        seed(&format!("{ty:?}").to_lowercase(), 255, &bytes);
        stream.extend_from_slice(&bytes);
    }
    assert_eq!(MessageType::ALL.len(), 13);
    // All types in one stream, fed in small and odd chunks.
    seed("stream-chunk-1", 0, &stream);
    seed("stream-chunk-7", 6, &stream);
    seed("stream-chunk-256", 255, &stream);
    // Hostile shapes.
    seed("oversized-length", 255, &u32::MAX.to_be_bytes());
    seed("short-length", 255, &1u32.to_be_bytes());
    let ping = frame(Kind::OneWay, Message::Ping(Ping { nonce: 1 }));
    seed("truncated", 3, &ping[..ping.len() - 2]);
    seed("unknown-type", 255, &encode_raw(1, 0x7f, &[0; 9]));
    seed("unknown-version", 255, &encode_raw(2, 0x0a, &ping[6..]));
    seed("bad-kind", 255, &encode_raw(1, 0x0a, &[7; 17]));
    let mut trailing = ping[6..].to_vec();
    trailing.push(0);
    seed("trailing-byte", 255, &encode_raw(1, 0x0a, &trailing));
    seed(
        "data-length-lie",
        255,
        &encode_raw(
            1,
            MessageType::Data.as_u8(),
            &[&[0u8; 9][..], &[0, 0, 0, 1], &[0xff, 0xff, 0xff, 0xff]].concat(),
        ),
    );
}
