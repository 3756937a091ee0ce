//! Replays the committed fuzz corpus (`fuzz/corpus/daemon_wire`) through the
//! entry point the cargo-fuzz target calls.
//!
//! `cargo test -p session-daemon --test fuzz_corpus -- --ignored` writes any
//! missing hand-made seed inputs (files named `seed-*`).

#![allow(clippy::unwrap_used)]

use session_core::codec::Versioned;
use session_core::{Attestation, Domain, EquivocationEvidence, OracleRecord, Statement, hash};
use session_crypto::Identity;
use session_daemon::epoch;
use session_daemon::evidence::Evidence;
use session_daemon::fuzz;
use session_daemon::registry::Registry;
use session_daemon::runner::Message;
use session_daemon::wire::{BeaconMessage, Gossip};
use session_testkit::{replay_corpus, write_seed};

#[test]
fn replay_daemon_wire() {
    replay_corpus("daemon_wire", fuzz::wire);
}

fn seed(name: &str, selector: u8, bytes: &[u8]) {
    let mut data = vec![selector];
    data.extend_from_slice(bytes);
    fuzz::wire(&data);
    write_seed("daemon_wire", name, &data);
}

#[test]
#[ignore = "regenerates the committed seed corpus"]
fn write_seed_corpus() {
    let node = Identity::from_seeds(&[3; 64], &[3; 32]);
    let record = OracleRecord::sign(&node, hash(b"request"), b"price=42".to_vec()).unwrap();
    let gossip = Gossip {
        session_id: hash(b"session"),
        message: Message::Record(record),
    };
    seed("gossip-record", 0, &gossip.encode());
    let statement = Statement {
        domain: Domain::SessionComplete,
        subject_id: hash(b"session"),
        commit_root: hash(b"root"),
        epoch: 1,
    };
    let a = Attestation::sign(&node, statement);
    let b = Attestation::sign(
        &node,
        Statement {
            commit_root: hash(b"other"),
            ..statement
        },
    );
    let complete = Gossip {
        session_id: hash(b"session"),
        message: Message::Complete(a.clone()),
    };
    seed("gossip-complete", 0, &complete.encode());
    let evidence = Evidence::Attestation(EquivocationEvidence::detect(&a, &b).unwrap());
    seed("evidence-attestation", 2, &evidence.encode());
    let mut registry = Registry::new();
    let id = registry.register(node.public().clone()).unwrap();
    seed("node-record", 3, &registry.get(&id).unwrap().encode());
    let doc = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../session-cli/tests/data/receipts.json"),
    )
    .unwrap();
    seed("receipts-document", 4, &doc);
    let genesis = Registry::genesis([node.public().clone()], hash(b"genesis")).unwrap();
    let vote = epoch::sign_next(&node, &genesis).unwrap();
    seed(
        "beacon-vote",
        5,
        &BeaconMessage::Vote(vote.clone()).encode(),
    );
    let mut votes = epoch::BeaconVotes::new(&genesis).unwrap();
    let epoch::BeaconAdded::Quorum(beacon, qc) = votes.add(vote).unwrap() else {
        panic!("one of one is a quorum");
    };
    seed(
        "beacon-certified",
        5,
        &BeaconMessage::Certified(beacon, qc).encode(),
    );
    seed(
        "http-length",
        6,
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n42",
    );
    seed(
        "http-chunked",
        6,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b\r\n4\r\n1\r\n2\r\n0\r\nX-T: 1\r\n\r\n",
    );
    seed("http-to-close", 6, b"HTTP/1.0 200 OK\r\n\r\n42");
}
