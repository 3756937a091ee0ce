use session_core::{
    Attestation, Domain, EpochBeacon, EquivocationEvidence, Id, Statement, Versioned, hash,
};
use session_crypto::Identity;

use super::*;

fn identity(i: u8) -> Identity {
    Identity::from_seeds(&[i; 64], &[i; 32])
}

fn beacon(epoch: u64) -> EpochBeacon {
    EpochBeacon {
        epoch,
        randomness: hash(&epoch.to_be_bytes()),
        previous_beacon: Id::ZERO,
        attestation_id: None,
    }
}

#[test]
fn life_cycle_rules() {
    let mut reg = Registry::new();
    let id = reg.register(identity(1).public().clone()).unwrap();
    assert!(matches!(
        reg.register(identity(1).public().clone()),
        Err(Error::AlreadyRegistered)
    ));
    assert!(reg.suspend(&id).is_err(), "registered cannot suspend");
    reg.activate(&id).unwrap();
    assert_eq!(reg.eligible(), vec![id]);
    reg.suspend(&id).unwrap();
    assert!(reg.eligible().is_empty());
    reg.activate(&id).unwrap();
    reg.exit(&id).unwrap();
    assert!(reg.activate(&id).is_err(), "exited is final");
    reg.slash(&id).unwrap();
    assert_eq!(reg.get(&id).unwrap().state, NodeState::Slashed);
    assert!(reg.slash(&id).is_err());
    assert!(reg.exit(&id).is_err());
    assert!(matches!(reg.activate(&hash(b"x")), Err(Error::UnknownNode)));
    // Every pair is checked by the table.
    for from in NodeState::ALL {
        assert!(!from.can_transition_to(NodeState::Registered));
        assert!(!from.can_transition_to(from));
    }
}

#[test]
fn beacons_chain_and_committees_follow_the_vectors() {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("../../session-core/tests/data/core.json")).unwrap();
    for v in json["committee"].as_array().unwrap() {
        let id = |x: &serde_json::Value| Id::from_hex(x.as_str().unwrap()).unwrap();
        let epoch = v["epoch"].as_u64().unwrap();
        let eligible: Vec<Id> = v["eligible_nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(id)
            .collect();
        let want: Vec<Id> = v["committee"].as_array().unwrap().iter().map(id).collect();
        let committee = session_core::assign_committee(
            &id(&v["epoch_randomness"]),
            &id(&v["service_id"]),
            epoch,
            &eligible,
            CommitteeConfig {
                min_size: v["min_size"].as_u64().unwrap() as usize,
                max_size: v["max_size"].as_u64().unwrap() as usize,
            },
        )
        .unwrap();
        assert_eq!(committee.members, want);
    }

    // The registry assigns exactly what assign_committee does over its active nodes.
    let mut reg = Registry::new();
    let ids: Vec<Id> = (0..6)
        .map(|i| reg.register(identity(i).public().clone()).unwrap())
        .collect();
    for id in &ids[..5] {
        reg.activate(id).unwrap();
    }
    let b1 = beacon(1);
    reg.push_beacon(b1).unwrap();
    assert!(matches!(
        reg.push_beacon(beacon(3)),
        Err(Error::BeaconOutOfOrder)
    ));
    let b2 = b1.next(hash(b"r2")).unwrap();
    reg.push_beacon(b2).unwrap();
    assert_eq!(reg.epoch(), 2);
    assert!(matches!(
        reg.committee(&hash(b"s"), 7),
        Err(Error::UnknownEpoch(7))
    ));
    let c = reg.committee(&hash(b"s"), 2).unwrap();
    let want = session_core::assign_committee(
        &b2.randomness,
        &hash(b"s"),
        2,
        &ids[..5],
        CommitteeConfig::default(),
    )
    .unwrap();
    assert_eq!(c, want);
    assert_eq!(reg.keys(&c.members).len(), 5);
    assert!(
        !reg.keys(&c.members)
            .get(&c.members[0])
            .unwrap()
            .is_prepared()
    );
    let keys = reg.committee_keys(&c.members);
    assert_eq!(keys.len(), 5);
    assert!(c.members.iter().all(|m| keys.get(m).unwrap().is_prepared()));
    // Too few active nodes: a clear error.
    for id in &ids[..3] {
        reg.suspend(id).unwrap();
    }
    assert!(matches!(
        reg.committee(&hash(b"s"), 2),
        Err(Error::Core(session_core::Error::NotEnoughNodes { .. }))
    ));
}

#[test]
fn evidence_slashes_once_and_records_round_trip() {
    let mut reg = Registry::new();
    let bad = identity(9);
    let id = reg.register(bad.public().clone()).unwrap();
    reg.activate(&id).unwrap();
    let s = |root: &[u8]| Statement {
        domain: Domain::OracleRead,
        subject_id: hash(b"req"),
        commit_root: hash(root),
        epoch: 1,
    };
    let a = Attestation::sign(&bad, s(b"a"));
    let b = Attestation::sign(&bad, s(b"b"));
    let ev = Evidence::Attestation(EquivocationEvidence::detect(&a, &b).unwrap());
    assert!(reg.apply_evidence(&ev).unwrap());
    assert!(!reg.apply_evidence(&ev).unwrap());
    assert_eq!(reg.get(&id).unwrap().state, NodeState::Slashed);
    assert_eq!(Evidence::decode(&ev.encode()).unwrap(), ev);

    // Forged evidence (signed by someone else) is refused.
    let other = identity(8);
    let oid = reg.register(other.public().clone()).unwrap();
    let mut forged = Attestation::sign(&bad, s(b"c"));
    forged.signer = oid;
    let forged2 = Attestation {
        signer: oid,
        ..Attestation::sign(&bad, s(b"d"))
    };
    let ev = Evidence::Attestation(EquivocationEvidence::detect(&forged, &forged2).unwrap());
    assert!(reg.apply_evidence(&ev).is_err());
    assert_eq!(reg.get(&oid).unwrap().state, NodeState::Registered);

    let rec = reg.get(&id).unwrap().clone();
    assert_eq!(NodeRecord::decode(&rec.encode()).unwrap(), rec);
    let restored = Registry::restore(
        CommitteeConfig::default(),
        reg.nodes().cloned(),
        [beacon(4)],
    );
    assert_eq!(restored.epoch(), 4);
    assert_eq!(restored.get(&id), Some(&rec));
}
