#![allow(clippy::unwrap_used)]

use session_core::hash;

use super::*;
use crate::registry::NodeState;

fn nodes(n: u8) -> (Vec<Identity>, Registry) {
    let ids: Vec<Identity> = (1..=n)
        .map(|i| Identity::from_seeds(&[i; 64], &[i; 32]))
        .collect();
    let reg = Registry::genesis(ids.iter().map(|i| i.public().clone()), hash(b"genesis")).unwrap();
    (ids, reg)
}

#[test]
fn a_quorum_of_the_active_set_finalizes_the_same_beacon_everywhere() {
    let (ids, mut reg) = nodes(5);
    let mut a = BeaconVotes::new(&reg).unwrap();
    let mut b = BeaconVotes::new(&reg).unwrap();
    assert_eq!(a.beacon(), b.beacon(), "derived deterministically");
    assert_eq!(a.epoch(), 2);
    let mut results = Vec::new();
    for id in &ids {
        results.push(a.add(sign_next(id, &reg).unwrap()).unwrap());
    }
    assert_eq!(
        results[..3],
        [BeaconAdded::New, BeaconAdded::New, BeaconAdded::New]
    );
    assert_eq!(results[4], BeaconAdded::New, "quorum reported once");
    let BeaconAdded::Quorum(beacon, qc) = results[3].clone() else {
        panic!("no quorum at 4 of 5: {:?}", results[3]);
    };
    qc.verify(&reg.keys(&reg.eligible()), 4).unwrap();
    assert_eq!(beacon.attestation_id, Some(qc.statement.id()));
    assert_eq!(qc.statement, beacon_statement(&beacon));
    // Another node sees the signatures in another order: same beacon.
    let mut other = None;
    for id in ids.iter().rev() {
        if let BeaconAdded::Quorum(bb, _) = b.add(sign_next(id, &reg).unwrap()).unwrap() {
            other = Some(bb);
        }
    }
    assert_eq!(other, Some(beacon));
    // A node that missed the votes follows the certificate.
    assert_eq!(verify_certified(&reg, &beacon, &qc).unwrap(), beacon);
    let mut short = (*qc).clone();
    short.signatures.truncate(3);
    assert!(verify_certified(&reg, &beacon, &short).is_err());
    let mut wrong = beacon;
    wrong.randomness = hash(b"other");
    assert!(verify_certified(&reg, &wrong, &qc).is_err());
    reg.push_beacon(beacon).unwrap();
    assert!(verify_certified(&reg, &beacon, &qc).is_err(), "not twice");
    assert_eq!(reg.epoch(), 2);
    // The chain goes on.
    let next = BeaconVotes::new(&reg).unwrap();
    assert_eq!(next.epoch(), 3);
    assert!(next.beacon().follows(&beacon));
    assert_ne!(next.beacon().randomness, beacon.randomness);
}

#[test]
fn bad_signatures_are_refused() {
    let (ids, reg) = nodes(5);
    let mut votes = BeaconVotes::new(&reg).unwrap();
    let good = sign_next(&ids[0], &reg).unwrap();
    assert_eq!(votes.add(good.clone()).unwrap(), BeaconAdded::New);
    assert_eq!(votes.add(good.clone()).unwrap(), BeaconAdded::Duplicate);
    // Not in the active set.
    let stranger = Identity::from_seeds(&[99; 64], &[99; 32]);
    let err = votes.add(sign_next(&stranger, &reg).unwrap()).unwrap_err();
    assert!(matches!(err, Error::NotMember), "{err}");
    // A signature that is not the signer's.
    let mut forged = sign_next(&ids[2], &reg).unwrap();
    forged.signer = node_id_of(&ids[1]);
    let err = votes.add(forged).unwrap_err();
    assert!(matches!(err, Error::InvalidSignature), "{err}");
    // Another epoch, another domain.
    let mut later = good.clone();
    later.statement.epoch = 3;
    assert!(votes.add(later).is_err());
    let mut other = good;
    other.statement.domain = Domain::SessionComplete;
    assert!(votes.add(other).is_err());
    assert_eq!(votes.progress(), (1, 4));
    // A suspended node is not in the active set.
    let (ids, mut reg) = nodes(5);
    reg.suspend(&node_id_of(&ids[4])).unwrap();
    let mut votes = BeaconVotes::new(&reg).unwrap();
    assert_eq!(votes.progress(), (0, 3));
    let err = votes.add(sign_next(&ids[4], &reg).unwrap()).unwrap_err();
    assert!(matches!(err, Error::NotMember), "{err}");
}

fn node_id_of(identity: &Identity) -> Id {
    session_core::node_id(identity.public())
}

#[test]
fn two_beacons_for_one_epoch_are_evidence_and_slash() {
    let (ids, mut reg) = nodes(5);
    let mut votes = BeaconVotes::new(&reg).unwrap();
    let latest = *reg.latest_beacon().unwrap();
    let rogue = latest.next(hash(b"chosen by the offender")).unwrap();
    let bad = Attestation::sign(&ids[1], beacon_statement(&rogue));
    let err = votes.add(bad).unwrap_err();
    assert!(err.to_string().contains("does not follow"), "{err}");
    let BeaconAdded::Equivocation(evidence) = votes.add(sign_next(&ids[1], &reg).unwrap()).unwrap()
    else {
        panic!("no evidence");
    };
    assert_eq!(evidence.offender(), node_id_of(&ids[1]));
    assert!(reg.apply_evidence(&evidence).unwrap());
    assert_eq!(
        reg.get(&node_id_of(&ids[1])).unwrap().state,
        NodeState::Slashed
    );
    // The offender's signature does not count.
    assert_eq!(votes.progress(), (0, 4));
}
