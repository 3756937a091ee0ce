//! Replays the committed fuzz corpora (`fuzz/corpus/core_*`) through the same
//! entry points the cargo-fuzz targets call, so every `cargo test` re-checks
//! every input the fuzzers have kept.
//!
//! `cargo test -p session-core --test fuzz_corpus -- --ignored` writes any
//! missing hand-written seed inputs (files named `seed-*`).

#![allow(clippy::unwrap_used)]

use session_testkit::{replay_corpus, write_seed};

use session_core::merkle::{InclusionProof, MerkleTree, leaf_hash};
use session_core::{
    Attestation, Committee, CommitteeConfig, Domain, EpochBeacon, EquivocationEvidence, Id,
    OracleRecord, OracleRequest, QuorumCertificate, Receipt, ReceiptProof, RequestKind, Session,
    Statement, StepKind, Versioned, assign_committee, fuzz, hash, receipts_tree,
};
use session_crypto::Identity;

#[test]
fn replay_core_codec() {
    replay_corpus("core_codec", fuzz::codec);
}

#[test]
fn replay_core_merkle() {
    replay_corpus("core_merkle", fuzz::merkle);
}

fn write(target: &str, name: &str, bytes: &[u8]) {
    write_seed(target, name, bytes);
}

fn codec_seed<T: Versioned>(tag: u8, name: &str, value: &T) {
    let mut bytes = vec![tag];
    bytes.extend_from_slice(&value.encode());
    // The seed must decode through the fuzz entry point.
    fuzz::codec(&bytes);
    assert!(T::decode(&bytes[1..]).is_ok());
    write("core_codec", name, &bytes);
}

#[test]
#[ignore = "regenerates the committed seed corpus"]
fn write_seed_corpus() {
    let nodes: Vec<Identity> = (1..=4u8)
        .map(|i| Identity::from_seeds(&[i; 64], &[i; 32]))
        .collect();
    let keys = nodes
        .iter()
        .map(|n| n.public().clone())
        .collect::<session_core::CommitteeKeys>();
    let node_ids: Vec<Id> = keys.ids().copied().collect();

    // Session (tag 0) in several states, and its steps (tag 1).
    let mut s = Session::new(hash(b"my-service"), 1, hash(b"tx-001"), node_ids.clone()).unwrap();
    codec_seed(0, "session-pending", &s);
    s.add_step(
        StepKind::Compute {
            function: "sum".into(),
            args: vec![1, 2],
        },
        s.tx_id,
        hash(b"in"),
    )
    .unwrap();
    s.add_step(
        StepKind::WriteExternal {
            url: "https://example.com/w".into(),
            payload: b"x=1".to_vec(),
        },
        s.tx_id,
        hash(b"in"),
    )
    .unwrap();
    s.add_step(
        StepKind::ReadExternal {
            url: "https://example.com/r".into(),
        },
        s.tx_id,
        hash(b"in"),
    )
    .unwrap();
    s.start().unwrap();
    s.begin_step().unwrap();
    s.complete_step(hash(b"o0"), None, None).unwrap();
    s.begin_step().unwrap();
    codec_seed(0, "session-waiting-io", &s);
    for (i, step) in s.steps.iter().enumerate() {
        codec_seed(1, &format!("step-{i}"), step);
    }
    s.retry_step().unwrap();
    s.complete_step(hash(b"o1"), Some(hash(b"root")), Some(hash(b"att")))
        .unwrap();
    let mut failed = s.clone();
    failed.fail("oracle timeout").unwrap();
    codec_seed(0, "session-failed", &failed);
    s.begin_step().unwrap();
    s.complete_step(hash(b"o2"), Some(hash(b"root")), Some(hash(b"att")))
        .unwrap();
    s.finalize(hash(b"out"), hash(b"oracle"), hash(b"receipts"))
        .unwrap();
    codec_seed(0, "session-finalized", &s);

    // Attestations (2), certificates (3), equivocation (4), statement (13).
    let st = Statement {
        domain: Domain::OracleRead,
        subject_id: hash(b"req"),
        commit_root: hash(b"root"),
        epoch: 3,
    };
    codec_seed(13, "statement", &st);
    let atts: Vec<Attestation> = nodes.iter().map(|n| Attestation::sign(n, st)).collect();
    codec_seed(2, "attestation", &atts[0]);
    let cert = QuorumCertificate::aggregate(st, &atts, &keys, 3).unwrap();
    codec_seed(3, "certificate", &cert);
    let other = Attestation::sign(
        &nodes[0],
        Statement {
            commit_root: hash(b"other"),
            ..st
        },
    );
    let ev = EquivocationEvidence::detect(&atts[0], &other).unwrap();
    codec_seed(4, "equivocation", &ev);

    // Oracle request (5) and record (6).
    let req = OracleRequest {
        service_id: hash(b"svc"),
        session_id: s.id,
        step: 2,
        retry: 1,
        tx_id: s.tx_id,
        kind: RequestKind::Read,
        input_hash: hash(b"in"),
    };
    codec_seed(5, "oracle-request", &req);
    let rec = OracleRecord::sign(&nodes[1], req.id(), b"price=42".to_vec()).unwrap();
    codec_seed(6, "oracle-record", &rec);

    // Receipt (7), receipt proof (8), inclusion proof (9), consistency proof (10).
    let receipts: Vec<Receipt> = (0..3u32)
        .map(|i| Receipt::sign(&nodes[2], s.id, i, hash(&i.to_be_bytes()), node_ids[0]))
        .collect();
    codec_seed(7, "receipt", &receipts[0]);
    let tree = receipts_tree(&receipts);
    let proof = ReceiptProof {
        receipt: receipts[1].clone(),
        proof: tree.inclusion_proof(1).unwrap(),
    };
    proof.verify(&tree.root()).unwrap();
    codec_seed(8, "receipt-proof", &proof);
    let big = MerkleTree::from_leaves((0..37u32).map(u32::to_be_bytes));
    codec_seed(9, "inclusion-proof", &big.inclusion_proof(21).unwrap());
    codec_seed(10, "consistency-proof", &big.consistency_proof(13).unwrap());

    // Beacon (11) and committee (12).
    let beacon = EpochBeacon {
        epoch: 9,
        randomness: hash(b"rand"),
        previous_beacon: hash(b"prev"),
        attestation_id: Some(hash(b"att")),
    };
    codec_seed(11, "beacon", &beacon);
    let committee: Committee = assign_committee(
        &hash(b"rand"),
        &hash(b"svc"),
        9,
        &node_ids,
        CommitteeConfig::default(),
    )
    .unwrap();
    codec_seed(12, "committee", &committee);

    // ID / CB58 text (14).
    for (name, text) in [
        (
            "text-vmid",
            "speKUgLBX6WRD5cfGeEfLa43LxTXUBckvtv4td6F3eTXvRP48".to_owned(),
        ),
        ("text-hex", hash(b"node-1").to_hex()),
        ("text-cb58-short", session_core::cb58::encode(b"hi")),
    ] {
        let mut bytes = vec![14];
        bytes.extend_from_slice(text.as_bytes());
        fuzz::codec(&bytes);
        write("core_codec", name, &bytes);
    }

    // Merkle target: valid inclusion / consistency proofs (mode 0) and trees (mode 1).
    let leaf = b"leaf-21";
    let t = MerkleTree::from_leaves((0..37u32).map(|i| format!("leaf-{i}")));
    let p: InclusionProof = t.inclusion_proof(21).unwrap();
    let mut m = vec![0, 0];
    m.extend_from_slice(leaf_hash(leaf).as_bytes());
    m.extend_from_slice(t.root().as_bytes());
    m.extend_from_slice(&p.encode());
    write("core_merkle", "inclusion-valid", &m);
    let c = t.consistency_proof(13).unwrap();
    let mut m = vec![0, 1];
    m.extend_from_slice(t.root_at(13).unwrap().as_bytes());
    m.extend_from_slice(t.root().as_bytes());
    m.extend_from_slice(&c.encode());
    write("core_merkle", "consistency-valid", &m);
    for n in [0u8, 1, 2, 3, 7, 8, 9, 33] {
        let mut m = vec![1, n];
        m.extend((0..64u8).map(|i| i.wrapping_mul(37)));
        write("core_merkle", &format!("tree-{n}"), &m);
    }
}
