use session_crypto::Identity;

use super::*;
use crate::hash::hash;

fn identity(i: u8) -> Identity {
    Identity::from_seeds(&[i; 64], &[i; 32])
}

fn statement(root: &[u8]) -> Statement {
    Statement {
        domain: Domain::OracleRead,
        subject_id: hash(b"request"),
        commit_root: hash(root),
        epoch: 7,
    }
}

fn committee(n: u8) -> (Vec<Identity>, CommitteeKeys) {
    let ids: Vec<Identity> = (1..=n).map(identity).collect();
    let keys = ids.iter().map(|i| i.public().clone()).collect();
    (ids, keys)
}

#[test]
fn payload_and_id_match_the_reference_layout() {
    // core.json attestation_id[0].
    let st = Statement {
        domain: Domain::OracleWrite,
        subject_id: Id::from_hex(
            "c3f7bdf537c46724392c4428e47e04c148c56966190c3c9ed92114800c9f35bb",
        )
        .unwrap(),
        commit_root: Id::from_hex(
            "4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2",
        )
        .unwrap(),
        epoch: 5,
    };
    assert_eq!(
        st.id().to_hex(),
        "f03145bd8c4b8d2b24fe148d1e7a3abe87ea30e6aaa4ff74b8f46264b063b440"
    );
    assert_eq!(st.signing_payload().len(), 33 + 32 + 32 + 8);
}

#[test]
fn sign_verify_and_quorum() {
    let (ids, keys) = committee(4);
    let st = statement(b"root");
    let atts: Vec<Attestation> = ids.iter().map(|i| Attestation::sign(i, st)).collect();
    for a in &atts {
        a.verify(&keys).unwrap();
        assert_eq!(a.id(), st.id());
        assert_eq!(Attestation::decode(&a.encode()).unwrap(), *a);
    }
    let q = crate::committee::quorum(keys.len());
    assert_eq!(q, 3);
    assert_eq!(check_quorum(&st, &atts, &keys, q).unwrap().len(), 4);
    assert!(check_quorum(&st, &atts[..2], &keys, q).is_err());

    // Duplicates, junk and outsiders do not count.
    let outsider = identity(99);
    let mut junk = vec![atts[0].clone(), atts[0].clone(), atts[1].clone()];
    junk.push(Attestation::sign(&outsider, st));
    let mut forged = atts[2].clone();
    forged.signature = atts[3].signature.clone();
    junk.push(forged.clone());
    junk.push(Attestation::sign(&ids[2], statement(b"other")));
    assert_eq!(
        check_quorum(&st, &junk, &keys, q),
        Err(Error::QuorumNotReached {
            valid: 2,
            required: 3
        })
    );
    assert_eq!(forged.verify(&keys), Err(Error::InvalidSignature));
    assert_eq!(
        Attestation::sign(&outsider, st).verify(&keys),
        Err(Error::UnknownSigner)
    );
    // A zero quorum still needs one valid signature.
    assert!(check_quorum(&st, &[], &keys, 0).is_err());

    // Certificates.
    let mut all = atts.clone();
    all.extend(junk);
    let cert = QuorumCertificate::aggregate(st, &all, &keys, q).unwrap();
    assert_eq!(cert.signatures.len(), 4);
    cert.verify(&keys, q).unwrap();
    assert!(cert.verify(&keys, 5).is_err());
    let decoded = QuorumCertificate::decode(&cert.encode()).unwrap();
    assert_eq!(decoded, cert);
    let mut swapped = cert.clone();
    swapped.signatures.swap(0, 1);
    assert!(swapped.verify(&keys, q).is_err());
    assert!(QuorumCertificate::decode(&swapped.encode()).is_err());
    let mut bad = cert.clone();
    bad.signatures[0].1 = bad.signatures[1].1.clone();
    assert_eq!(bad.verify(&keys, q), Err(Error::InvalidSignature));
    let mut other = cert;
    other.statement = statement(b"other");
    assert!(other.verify(&keys, q).is_err());
}

#[test]
fn equivocation() {
    let (ids, keys) = committee(3);
    let a = Attestation::sign(&ids[0], statement(b"one"));
    let b = Attestation::sign(&ids[0], statement(b"two"));
    let ev = EquivocationEvidence::detect(&a, &b).unwrap();
    assert_eq!(EquivocationEvidence::detect(&b, &a).unwrap(), ev);
    assert_eq!(ev.offender(), a.signer);
    ev.verify(&keys).unwrap();
    assert_eq!(EquivocationEvidence::decode(&ev.encode()).unwrap(), ev);

    // Not equivocation: same root, other signer, other epoch, other subject, other domain.
    assert!(EquivocationEvidence::detect(&a, &a.clone()).is_none());
    let c = Attestation::sign(&ids[1], statement(b"two"));
    assert!(EquivocationEvidence::detect(&a, &c).is_none());
    let mut later = statement(b"two");
    later.epoch += 1;
    assert!(EquivocationEvidence::detect(&a, &Attestation::sign(&ids[0], later)).is_none());
    let mut subj = statement(b"two");
    subj.subject_id = Id::ZERO;
    assert!(EquivocationEvidence::detect(&a, &Attestation::sign(&ids[0], subj)).is_none());
    let mut dom = statement(b"two");
    dom.domain = Domain::OracleWrite;
    assert!(EquivocationEvidence::detect(&a, &Attestation::sign(&ids[0], dom)).is_none());

    // Forged or malformed evidence does not verify.
    let mut forged = ev.clone();
    forged.second.signature = c.signature.clone();
    assert_eq!(forged.verify(&keys), Err(Error::InvalidSignature));
    let swapped = EquivocationEvidence {
        first: ev.second.clone(),
        second: ev.first.clone(),
    };
    assert!(swapped.verify(&keys).is_err());
    let mixed = EquivocationEvidence {
        first: ev.first.clone(),
        second: c,
    };
    assert!(mixed.verify(&keys).is_err());
    assert_eq!(ev.verify(&CommitteeKeys::new()), Err(Error::UnknownSigner));
}
