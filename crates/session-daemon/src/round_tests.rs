use session_core::{Attestation, CommitteeKeys, OracleRecord, OracleRequest, RequestKind, hash};
use session_crypto::Identity;

use super::*;

fn members(n: u8) -> Vec<Identity> {
    (0..n)
        .map(|i| Identity::from_seeds(&[i; 64], &[i; 32]))
        .collect()
}

fn request() -> OracleRequest {
    OracleRequest {
        service_id: hash(b"svc"),
        session_id: hash(b"session"),
        step: 0,
        retry: 0,
        tx_id: hash(b"tx"),
        kind: RequestKind::Read,
        input_hash: hash(b"url"),
    }
}

fn round(ms: &[Identity], quorum: usize) -> OracleRound {
    let keys: CommitteeKeys = ms.iter().map(|m| m.public().clone()).collect();
    OracleRound::new(request(), 1, keys, quorum).unwrap()
}

fn record(m: &Identity, data: &[u8]) -> OracleRecord {
    OracleRecord::sign(m, request().id(), data.to_vec()).unwrap()
}

#[test]
fn records_are_checked() {
    let ms = members(4);
    let mut r = round(&ms[..3], 3);
    assert_eq!(r.add_record(record(&ms[0], b"1")).unwrap(), Added::New);
    assert_eq!(
        r.add_record(record(&ms[0], b"1")).unwrap(),
        Added::Duplicate
    );
    assert!(matches!(
        r.add_record(record(&ms[3], b"1")),
        Err(Error::NotMember)
    ));
    let mut forged = record(&ms[1], b"1");
    forged.data = b"2".to_vec();
    assert!(matches!(r.add_record(forged), Err(Error::InvalidSignature)));
    let other = OracleRecord::sign(&ms[1], hash(b"other"), b"1".to_vec()).unwrap();
    assert!(matches!(r.add_record(other), Err(Error::WrongRequest)));
    assert!(!r.can_commit());
    assert!(matches!(
        r.commit(),
        Err(Error::QuorumNotReached { have: 1, need: 3 })
    ));
    assert!(OracleRound::new(request(), 1, CommitteeKeys::new(), 1).is_err());
    assert!(OracleRound::new(request(), 1, r.keys().clone(), 0).is_err());
}

#[test]
fn commit_attest_certify() {
    let ms = members(5);
    let mut leader = round(&ms, 4);
    let mut follower = round(&ms, 4);
    for m in &ms[..4] {
        leader
            .add_record(record(m, m.public().id().0[..1].as_ref()))
            .unwrap();
    }
    let root = leader.commit().unwrap();
    assert!(matches!(leader.commit(), Err(Error::AlreadyCommitted)));
    let records = leader.committed_records().unwrap().to_vec();
    assert_eq!(follower.accept_commit(records.clone()).unwrap(), root);
    assert_eq!(follower.accept_commit(records.clone()).unwrap(), root);
    // A late record is kept out of the commit.
    assert_eq!(
        leader.add_record(record(&ms[4], b"x")).unwrap(),
        Added::Late
    );
    // Commits below quorum or with repeats are refused.
    let mut fresh = round(&ms, 4);
    assert!(fresh.accept_commit(records[..3].to_vec()).is_err());
    let mut rep = records.clone();
    rep[1] = rep[0].clone();
    assert!(fresh.accept_commit(rep).is_err());

    let statement = follower.statement().unwrap();
    assert_eq!(statement.commit_root, root);
    for m in &ms[..3] {
        follower
            .add_attestation(Attestation::sign(m, statement))
            .unwrap();
    }
    assert!(matches!(
        follower.certificate(),
        Err(Error::QuorumNotReached { have: 3, need: 4 })
    ));
    follower
        .add_attestation(Attestation::sign(&ms[3], statement))
        .unwrap();
    let qc = follower.certificate().unwrap();
    qc.verify(follower.keys(), 4).unwrap();
    // Proofs of inclusion of every committed record.
    let tree = follower.commit_tree().unwrap();
    for (i, rec) in records.iter().enumerate() {
        let proof = tree.inclusion_proof(i).unwrap();
        proof
            .verify(&session_core::merkle::leaf_hash(rec.id().as_bytes()), &root)
            .unwrap();
    }
}

#[test]
fn equivocation_is_detected() {
    let ms = members(3);
    let mut r = round(&ms, 2);
    r.add_record(record(&ms[0], b"1")).unwrap();
    let Added::Equivocation(ev) = r.add_record(record(&ms[0], b"2")).unwrap() else {
        panic!("expected evidence");
    };
    assert_eq!(ev.offender(), session_core::node_id(ms[0].public()));
    ev.verify(r.keys()).unwrap();

    r.add_record(record(&ms[1], b"1")).unwrap();
    // The equivocator's record is left out of the commit.
    assert!(!r.can_commit());
    r.add_record(record(&ms[2], b"1")).unwrap();
    let root = r.commit().unwrap();
    assert_eq!(r.committed_records().unwrap().len(), 2);
    let good = r.statement().unwrap();
    let bad = Statement {
        commit_root: hash(b"other"),
        ..good
    };
    assert_eq!(
        r.add_attestation(Attestation::sign(&ms[2], good)).unwrap(),
        Added::New
    );
    assert_eq!(
        r.add_attestation(Attestation::sign(&ms[2], good)).unwrap(),
        Added::Duplicate
    );
    let Added::Equivocation(ev) = r.add_attestation(Attestation::sign(&ms[2], bad)).unwrap() else {
        panic!("expected evidence");
    };
    ev.verify(r.keys()).unwrap();
    assert_eq!(r.evidence().len(), 2);
    // Wrong subject or domain: refused.
    let wrong = Statement {
        subject_id: hash(b"x"),
        ..good
    };
    assert!(matches!(
        r.add_attestation(Attestation::sign(&ms[1], wrong)),
        Err(Error::WrongRequest)
    ));
    // The equivocator's first attestation still counts; one more reaches quorum.
    r.add_attestation(Attestation::sign(&ms[1], good)).unwrap();
    assert_eq!(r.certificate().unwrap().statement.commit_root, root);
}
