#![allow(missing_docs)]
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use session_core::merkle::{self, MerkleTree, leaf_hash};
use session_core::{
    Attestation, Committee, CommitteeConfig, CommitteeKeys, Domain, EpochBeacon, Id, OracleRecord,
    QuorumCertificate, Receipt, ReceiptProof, Session, Statement, StepKind, Versioned,
    assign_committee, check_quorum, hash, receipts_tree,
};
use session_crypto::Identity;

const LEAVES: u32 = 100_000;

fn leaves() -> Vec<[u8; 32]> {
    (0..LEAVES)
        .map(|i| hash(&i.to_be_bytes()).to_bytes())
        .collect()
}

fn bench_merkle(c: &mut Criterion) {
    let leaves = leaves();
    let mut g = c.benchmark_group("merkle");
    g.throughput(Throughput::Elements(u64::from(LEAVES)));
    g.bench_function("root_100k_leaves", |b| {
        b.iter(|| merkle::root(black_box(&leaves)))
    });
    g.bench_function("tree_build_100k_leaves", |b| {
        b.iter(|| MerkleTree::from_leaves(black_box(&leaves)))
    });
    g.throughput(Throughput::Elements(1));
    let tree = MerkleTree::from_leaves(&leaves);
    let root = tree.root();
    g.bench_function("inclusion_proof_generate_100k", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7919) % leaves.len();
            tree.inclusion_proof(black_box(i)).unwrap()
        })
    });
    let proof = tree.inclusion_proof(54_321).unwrap();
    let leaf = leaf_hash(&leaves[54_321]);
    g.bench_function("inclusion_proof_verify_100k", |b| {
        b.iter(|| black_box(&proof).verify(black_box(&leaf), &root).unwrap())
    });
    let old_root = tree.root_at(77_777).unwrap();
    let cproof = tree.consistency_proof(77_777).unwrap();
    g.bench_function("consistency_proof_generate_100k", |b| {
        b.iter(|| tree.consistency_proof(black_box(77_777)).unwrap())
    });
    g.bench_function("consistency_proof_verify_100k", |b| {
        b.iter(|| black_box(&cproof).verify(&old_root, &root).unwrap())
    });
    g.finish();
}

fn round_trip<T: Versioned + PartialEq>(c: &mut Criterion, name: &str, value: &T) {
    let len = value.encode().len();
    let mut g = c.benchmark_group("codec");
    g.throughput(Throughput::Bytes(len as u64));
    g.bench_function(format!("{name}_round_trip_{len}B"), |b| {
        b.iter(|| {
            let bytes = black_box(value).encode();
            let back = T::decode(black_box(&bytes)).unwrap();
            debug_assert!(back == *value);
            back
        })
    });
    g.finish();
}

fn fixtures() -> (Vec<Identity>, CommitteeKeys) {
    let ids: Vec<Identity> = (1..=21u8)
        .map(|i| Identity::from_seeds(&[i; 64], &[i; 32]))
        .collect();
    let keys = ids.iter().map(|i| i.public().clone()).collect();
    (ids, keys)
}

fn bench_codec(c: &mut Criterion) {
    let (ids, keys) = fixtures();
    let members: Vec<Id> = keys.ids().copied().collect();

    let mut s = Session::new(hash(b"svc"), 7, hash(b"tx"), members.clone()).unwrap();
    for i in 0..8u32 {
        let kind = if i % 2 == 0 {
            StepKind::Compute {
                function: "transform".into(),
                args: vec![7; 64],
            }
        } else {
            StepKind::ReadExternal {
                url: format!("https://oracle.example.com/feed/{i}"),
            }
        };
        s.add_step(kind, hash(&i.to_be_bytes()), hash(b"input"))
            .unwrap();
    }
    s.start().unwrap();
    for _ in 0..4 {
        let io = s.begin_step().unwrap().is_some();
        let (root, att) = if io {
            (Some(hash(b"root")), Some(hash(b"att")))
        } else {
            (None, None)
        };
        s.complete_step(hash(b"out"), root, att).unwrap();
    }
    round_trip(c, "session_8_steps", &s);
    round_trip(c, "step", &s.steps[1]);

    let st = Statement {
        domain: Domain::OracleRead,
        subject_id: hash(b"req"),
        commit_root: hash(b"root"),
        epoch: 7,
    };
    let atts: Vec<Attestation> = ids.iter().map(|i| Attestation::sign(i, st)).collect();
    round_trip(c, "attestation", &atts[0]);
    let cert = QuorumCertificate::aggregate(st, &atts[..15], &keys, 15).unwrap();
    round_trip(c, "quorum_certificate_15", &cert);
    let rec = OracleRecord::sign(&ids[0], hash(b"req"), vec![42; 1024]).unwrap();
    round_trip(c, "oracle_record_1KiB", &rec);
    let receipts: Vec<Receipt> = (0..64u32)
        .map(|i| Receipt::sign(&ids[1], s.id, i, hash(&i.to_be_bytes()), members[0]))
        .collect();
    round_trip(c, "receipt", &receipts[0]);
    let tree = receipts_tree(&receipts);
    let rp = ReceiptProof {
        receipt: receipts[5].clone(),
        proof: tree.inclusion_proof(5).unwrap(),
    };
    round_trip(c, "receipt_proof_64", &rp);
    let beacon = EpochBeacon {
        epoch: 7,
        randomness: hash(b"r"),
        previous_beacon: hash(b"p"),
        attestation_id: Some(hash(b"a")),
    };
    round_trip(c, "epoch_beacon", &beacon);
    let committee: Committee = assign_committee(
        &hash(b"r"),
        &hash(b"svc"),
        7,
        &members,
        CommitteeConfig::default(),
    )
    .unwrap();
    round_trip(c, "committee_21", &committee);

    let mut g = c.benchmark_group("protocol");
    let eligible: Vec<Id> = (0..1000u32).map(|i| hash(&i.to_be_bytes())).collect();
    g.bench_function("assign_committee_1000_eligible", |b| {
        b.iter(|| {
            assign_committee(
                &hash(b"r"),
                &hash(b"svc"),
                black_box(7),
                &eligible,
                CommitteeConfig::default(),
            )
            .unwrap()
        })
    });
    g.bench_function("check_quorum_21_signers", |b| {
        b.iter_batched(
            || atts.clone(),
            |atts| check_quorum(&st, &atts, &keys, 15).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn bench_text(c: &mut Criterion) {
    let mut g = c.benchmark_group("text");
    let id = hash(b"node-1");
    let text = id.to_string();
    g.bench_function("id_to_cb58", |b| b.iter(|| black_box(&id).to_string()));
    g.bench_function("id_from_cb58", |b| {
        b.iter(|| black_box(text.as_str()).parse::<Id>().unwrap())
    });
    // The worst input `cb58::decode` accepts: base58 is quadratic, so this
    // bounds what one hostile string can cost.
    let max = session_core::cb58::encode(&vec![0xff; session_core::cb58::MAX_PAYLOAD_LEN]);
    g.sample_size(10);
    g.bench_function("cb58_decode_max_payload", |b| {
        b.iter(|| session_core::cb58::decode(black_box(&max)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench_merkle, bench_codec, bench_text);
criterion_main!(benches);
