//! Checks every vector of `tests/data/core.json` (recomputed from the Go
//! reference's algorithms; a copy of `shared/vectors/core.json`).

#![allow(clippy::unwrap_used)]

use serde_json::Value;
use session_core::{
    CommitteeConfig, Domain, EpochBeacon, Id, OracleRecord, Receipt, Statement, assign_committee,
    cb58, hash, hash as h, quorum,
};

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/core.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("core.json present"))
        .expect("core.json is JSON")
}

fn section<'a>(v: &'a Value, name: &str) -> &'a [Value] {
    let items = v[name]
        .as_array()
        .unwrap_or_else(|| panic!("section {name}"));
    assert!(!items.is_empty(), "section {name} is empty");
    items
}

fn id(v: &Value, key: &str) -> Id {
    Id::from_hex(v[key].as_str().unwrap_or_else(|| panic!("{key}"))).unwrap()
}

fn u64_of(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key}"))
}

fn u32_of(v: &Value, key: &str) -> u32 {
    u32::try_from(u64_of(v, key)).unwrap()
}

fn bytes(v: &Value, key: &str) -> Vec<u8> {
    hex::decode(v[key].as_str().unwrap()).unwrap()
}

#[test]
fn every_section_is_checked() {
    let v = vectors();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "attestation_id",
            "beacon_id",
            "cb58",
            "committee",
            "hash",
            "identity_id",
            "note",
            "oracle_record_id",
            "quorum",
            "receipt_id",
            "request_id",
            "session_id",
        ],
        "a new section appeared in core.json; add a test for it"
    );
}

#[test]
fn hash_vectors() {
    for t in section(&vectors(), "hash") {
        let input = t["input_utf8"].as_str().unwrap();
        assert_eq!(hash(input.as_bytes()), id(t, "hash"), "{input:?}");
    }
}

#[test]
fn session_id_vectors() {
    for t in section(&vectors(), "session_id") {
        let got = session_core::hash::session_id(
            &id(t, "service_id"),
            u64_of(t, "epoch"),
            &id(t, "tx_id"),
        );
        assert_eq!(got, id(t, "session_id"));
        // Session::new derives the same ID.
        let s = session_core::Session::new(
            id(t, "service_id"),
            u64_of(t, "epoch"),
            id(t, "tx_id"),
            vec![],
        )
        .unwrap();
        assert_eq!(s.id, id(t, "session_id"));
    }
}

#[test]
fn request_id_vectors() {
    for t in section(&vectors(), "request_id") {
        let got = session_core::hash::oracle_request_id(
            &id(t, "service_id"),
            &id(t, "session_id"),
            u32_of(t, "step"),
            u32_of(t, "retry"),
            &id(t, "tx_id"),
        );
        assert_eq!(got, id(t, "request_id"));
        let req = session_core::OracleRequest {
            service_id: id(t, "service_id"),
            session_id: id(t, "session_id"),
            step: u32_of(t, "step"),
            retry: u32_of(t, "retry"),
            tx_id: id(t, "tx_id"),
            kind: session_core::RequestKind::Read,
            input_hash: Id::ZERO,
        };
        assert_eq!(req.id(), id(t, "request_id"));
    }
}

#[test]
fn attestation_vectors() {
    for t in section(&vectors(), "attestation_id") {
        let domain: Domain = t["domain"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            domain.separator(),
            t["domain_separator"].as_str().unwrap().as_bytes()
        );
        let st = Statement {
            domain,
            subject_id: id(t, "subject_id"),
            commit_root: id(t, "commit_root"),
            epoch: u64_of(t, "epoch"),
        };
        assert_eq!(
            st.signing_payload(),
            bytes(t, "signing_payload"),
            "{domain}"
        );
        assert_eq!(st.id(), id(t, "attestation_id"), "{domain}");
    }
}

#[test]
fn receipt_id_vectors() {
    for t in section(&vectors(), "receipt_id") {
        let got = session_core::hash::receipt_id(
            &id(t, "session_id"),
            u32_of(t, "step"),
            &id(t, "message_hash"),
            &id(t, "sender_id"),
            &id(t, "receiver_id"),
        );
        assert_eq!(got, id(t, "receipt_id"));
    }
}

#[test]
fn receipt_struct_uses_the_same_id() {
    let v = vectors();
    let t = &section(&v, "receipt_id")[0];
    let identity = session_crypto::Identity::from_seeds(&[1; 64], &[2; 32]);
    let mut r = Receipt::sign(
        &identity,
        id(t, "session_id"),
        u32_of(t, "step"),
        id(t, "message_hash"),
        id(t, "sender_id"),
    );
    r.receiver = id(t, "receiver_id");
    assert_eq!(r.id(), id(t, "receipt_id"));
}

#[test]
fn beacon_id_vectors() {
    for t in section(&vectors(), "beacon_id") {
        let b = EpochBeacon {
            epoch: u64_of(t, "epoch"),
            randomness: id(t, "randomness"),
            previous_beacon: id(t, "previous_beacon"),
            attestation_id: None,
        };
        assert_eq!(b.id(), id(t, "beacon_id"));
        assert_eq!(
            session_core::hash::beacon_id(b.epoch, &b.randomness, &b.previous_beacon),
            id(t, "beacon_id")
        );
    }
}

#[test]
fn oracle_record_id_vectors() {
    let identity = session_crypto::Identity::from_seeds(&[3; 64], &[4; 32]);
    for t in section(&vectors(), "oracle_record_id") {
        let data = bytes(t, "data_hex");
        assert_eq!(h(&data), id(t, "data_hash"));
        assert_eq!(
            session_core::hash::oracle_record_id(
                &id(t, "request_id"),
                &id(t, "submitter_id"),
                &id(t, "data_hash")
            ),
            id(t, "record_id")
        );
        let mut rec = OracleRecord::sign(&identity, id(t, "request_id"), data).unwrap();
        rec.submitter = id(t, "submitter_id");
        assert_eq!(rec.data_hash(), id(t, "data_hash"));
        assert_eq!(rec.id(), id(t, "record_id"));
    }
}

#[test]
fn committee_vectors() {
    for t in section(&vectors(), "committee") {
        let ids = |key: &str| -> Vec<Id> {
            t[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| Id::from_hex(x.as_str().unwrap()).unwrap())
                .collect()
        };
        let config = CommitteeConfig {
            min_size: usize::try_from(u64_of(t, "min_size")).unwrap(),
            max_size: usize::try_from(u64_of(t, "max_size")).unwrap(),
        };
        let randomness = id(t, "epoch_randomness");
        let service = id(t, "service_id");
        let epoch = u64_of(t, "epoch");
        assert_eq!(
            session_core::hash::committee_seed(&randomness, &service, epoch),
            id(t, "seed")
        );
        let c =
            assign_committee(&randomness, &service, epoch, &ids("eligible_nodes"), config).unwrap();
        assert_eq!(c.seed, id(t, "seed"));
        assert_eq!(c.members, ids("committee"), "epoch {epoch}");
        // Too few eligible nodes fail.
        let few = &ids("eligible_nodes")[..config.min_size - 1];
        assert!(assign_committee(&randomness, &service, epoch, few, config).is_err());
    }
}

#[test]
fn quorum_vectors() {
    for t in section(&vectors(), "quorum") {
        assert_eq!(t["threshold"].as_f64(), Some(0.67));
        let n = usize::try_from(u64_of(t, "committee_size")).unwrap();
        assert_eq!(quorum(n) as u64, u64_of(t, "quorum"), "n = {n}");
    }
}

#[test]
fn cb58_vectors() {
    for t in section(&vectors(), "cb58") {
        let raw = bytes(t, "bytes_hex");
        let text = t["cb58"].as_str().unwrap();
        assert_eq!(cb58::encode(&raw), text, "{}", t["label"]);
        assert_eq!(cb58::decode(text).unwrap(), raw);
        let as_id = Id::from_slice(&raw).unwrap();
        assert_eq!(as_id.to_string(), text);
        assert_eq!(text.parse::<Id>().unwrap(), as_id);
    }
}

#[test]
fn identity_id_vectors() {
    for t in section(&vectors(), "identity_id") {
        let kem = bytes(t, "kem_public_key_hex");
        let dsa = bytes(t, "dsa_public_key_hex");
        assert_eq!(kem.len(), session_crypto::KEM_PUBLIC_KEY_LEN);
        assert_eq!(dsa.len(), session_crypto::DSA_PUBLIC_KEY_LEN);
        let digest = session_crypto::blake2b_256(&[kem.as_slice(), dsa.as_slice()].concat());
        let want = t["session_id"].as_str().unwrap();
        assert_eq!(format!("07{}", hex::encode(digest)), want);
        assert_eq!(want.len(), 66);
    }
}
