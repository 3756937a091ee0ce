//! Oracle records, receipts and beacons end to end with real ML-DSA-65 keys.

#![allow(clippy::unwrap_used)]

use session_core::{
    CommitteeKeys, Domain, EpochBeacon, Error, Id, OracleRecord, OracleRequest, Receipt,
    ReceiptProof, RequestKind, Session, StepKind, Versioned, hash, node_id, oracle_commit_root,
    oracle_commit_tree, receipts_tree,
};
use session_crypto::Identity;

fn nodes(n: u8) -> (Vec<Identity>, CommitteeKeys) {
    let ids: Vec<Identity> = (1..=n)
        .map(|i| Identity::from_seeds(&[i; 64], &[i; 32]))
        .collect();
    let keys = ids.iter().map(|i| i.public().clone()).collect();
    (ids, keys)
}

#[test]
fn oracle_round() {
    let (ids, keys) = nodes(3);
    let mut s = Session::new(hash(b"svc"), 4, hash(b"tx"), keys.ids().copied().collect()).unwrap();
    s.add_step(
        StepKind::ReadExternal {
            url: "https://example.com/price".into(),
        },
        s.tx_id,
        hash(b"in"),
    )
    .unwrap();
    s.start().unwrap();
    let request_id = s.begin_step().unwrap().unwrap();
    let req = OracleRequest {
        service_id: s.service_id,
        session_id: s.id,
        step: 0,
        retry: 0,
        tx_id: s.tx_id,
        kind: RequestKind::Read,
        input_hash: hash(b"in"),
    };
    assert_eq!(req.id(), request_id);

    let records: Vec<OracleRecord> = ids
        .iter()
        .map(|i| OracleRecord::sign(i, request_id, b"price=42".to_vec()).unwrap())
        .collect();
    for r in &records {
        r.verify(&keys).unwrap();
        assert_eq!(
            r.submitter,
            node_id(&keys.get(&r.submitter).unwrap().clone())
        );
    }
    // Tampered data or a foreign submitter fail.
    let mut bad = records[0].clone();
    bad.data = b"price=43".to_vec();
    assert_eq!(bad.verify(&keys), Err(Error::InvalidSignature));
    bad.submitter = Id::ZERO;
    assert_eq!(bad.verify(&keys), Err(Error::UnknownSigner));
    assert!(OracleRecord::sign(&ids[0], request_id, vec![0; 256 * 1024 + 1]).is_err());

    // The commitment ignores arrival order and duplicates.
    let root = oracle_commit_root(&records);
    let mut shuffled = records.clone();
    shuffled.reverse();
    shuffled.push(records[1].clone());
    assert_eq!(oracle_commit_root(&shuffled), root);
    assert_eq!(oracle_commit_tree(&shuffled).len(), 3);

    let st = req.statement(root, s.epoch);
    assert_eq!(st.domain, Domain::OracleRead);
    s.complete_step(hash(b"42"), Some(root), Some(st.id()))
        .unwrap();
}

#[test]
fn receipts_and_proofs() {
    let (ids, keys) = nodes(2);
    let sender = node_id(ids[0].public());
    let receipts: Vec<Receipt> = (0..10u32)
        .map(|i| Receipt::sign(&ids[1], hash(b"session"), i, hash(&i.to_be_bytes()), sender))
        .collect();
    let tree = receipts_tree(&receipts);
    for (i, r) in receipts.iter().enumerate() {
        r.verify(&keys).unwrap();
        let p = ReceiptProof {
            receipt: r.clone(),
            proof: tree.inclusion_proof(i).unwrap(),
        };
        p.verify(&tree.root()).unwrap();
        assert_eq!(ReceiptProof::decode(&p.encode()).unwrap(), p);
        let mut wrong = p.clone();
        wrong.receipt.step += 1;
        assert!(wrong.verify(&tree.root()).is_err());
    }
    let mut forged = receipts[0].clone();
    forged.message_hash = Id::ZERO;
    assert_eq!(forged.verify(&keys), Err(Error::InvalidSignature));
}

#[test]
fn beacon_chain() {
    let genesis = EpochBeacon {
        epoch: 0,
        randomness: hash(b"genesis"),
        previous_beacon: Id::ZERO,
        attestation_id: None,
    };
    let next = genesis.next(hash(b"r1")).unwrap();
    assert!(next.follows(&genesis));
    assert!(!genesis.follows(&next));
    let mut forked = next;
    forked.previous_beacon = hash(b"other");
    assert!(!forked.follows(&genesis));
    let st = next.statement();
    assert_eq!(st.domain, Domain::EpochBeacon);
    assert_eq!(st.subject_id, next.id());
    let last = EpochBeacon {
        epoch: u64::MAX,
        ..genesis
    };
    assert!(last.next(Id::ZERO).is_err());
}
