//! Fuzzing entry points, shared by the cargo-fuzz targets in `fuzz/` and by
//! the `cargo test` that replays their corpora. Not part of the stable API.
//!
//! Each function takes arbitrary bytes, must never panic on any input, and
//! panics only when it finds a real bug (a broken invariant).

use crate::attestation::{Attestation, EquivocationEvidence, QuorumCertificate, Statement};
use crate::beacon::EpochBeacon;
use crate::codec::Versioned;
use crate::committee::Committee;
use crate::domain::CommitteeKeys;
use crate::id::Id;
use crate::merkle::{ConsistencyProof, InclusionProof, MerkleTree, leaf_hash};
use crate::oracle::{OracleRecord, OracleRequest};
use crate::receipt::{Receipt, ReceiptProof};
use crate::session::Session;
use crate::step::Step;

/// Number of types [`codec`] dispatches over.
pub const CODEC_TYPES: u8 = 15;

/// Decodes `T`; if that succeeds, re-encoding must give back the same bytes
/// (the codec is canonical).
fn canonical<T: Versioned>(bytes: &[u8]) -> Option<T> {
    let value = T::decode(bytes).ok()?;
    assert_eq!(
        value.encode(),
        bytes,
        "{} decoded from bytes it does not re-encode to",
        T::NAME
    );
    Some(value)
}

/// Codec target: `data[0] % CODEC_TYPES` selects the type, the rest is its
/// versioned encoding (selector 14: ID / CB58 text).
pub fn codec(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let keys = CommitteeKeys::new();
    match selector % CODEC_TYPES {
        0 => {
            if let Some(s) = canonical::<Session>(bytes) {
                assert!(s.validate().is_ok(), "decoded session is invalid");
            }
        }
        1 => {
            canonical::<Step>(bytes);
        }
        2 => {
            if let Some(a) = canonical::<Attestation>(bytes) {
                assert!(a.verify(&keys).is_err());
                let _ = a.id();
            }
        }
        3 => {
            if let Some(c) = canonical::<QuorumCertificate>(bytes) {
                assert!(c.verify(&keys, 1).is_err());
            }
        }
        4 => {
            if let Some(e) = canonical::<EquivocationEvidence>(bytes) {
                assert!(e.verify(&keys).is_err());
            }
        }
        5 => {
            if let Some(r) = canonical::<OracleRequest>(bytes) {
                let _ = r.statement(Id::ZERO, 0).id();
            }
        }
        6 => {
            if let Some(r) = canonical::<OracleRecord>(bytes) {
                assert!(r.verify(&keys).is_err());
                let _ = r.id();
            }
        }
        7 => {
            if let Some(r) = canonical::<Receipt>(bytes) {
                assert!(r.verify(&keys).is_err());
            }
        }
        8 => {
            if let Some(p) = canonical::<ReceiptProof>(bytes) {
                let root = p.proof.root_from(&p.receipt.leaf_hash());
                if let Ok(root) = root {
                    assert!(p.verify(&root).is_ok());
                }
            }
        }
        9 => {
            canonical::<InclusionProof>(bytes);
        }
        10 => {
            canonical::<ConsistencyProof>(bytes);
        }
        11 => {
            if let Some(b) = canonical::<EpochBeacon>(bytes) {
                let _ = b.next(b.randomness).map(|n| assert!(n.follows(&b)));
            }
        }
        12 => {
            canonical::<Committee>(bytes);
        }
        13 => {
            canonical::<Statement>(bytes);
        }
        _ => text(bytes),
    }
}

/// ID and CB58 text parsing; a successful CB58 decode re-encodes to the input.
fn text(bytes: &[u8]) {
    let Ok(s) = core::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(id) = s.parse::<Id>() {
        assert!(id.to_string() == s || id.to_hex() == s.to_ascii_lowercase());
    }
    if let Ok(payload) = crate::cb58::decode(s) {
        assert_eq!(crate::cb58::encode(&payload), s, "CB58 is canonical");
    }
}

/// Merkle target.
///
/// - `data[0]` even: `leaf(32) ‖ root(32) ‖ proof`, where `proof` is a
///   versioned [`InclusionProof`] (`data[1]` even) or [`ConsistencyProof`]
///   (`data[1]` odd); verification must not panic.
/// - `data[0]` odd: a tree of `data[1]` leaves (taken from the rest of the
///   input); every inclusion proof and a consistency proof must verify, and a
///   proof with one flipped bit (chosen by the input) must not.
pub fn merkle(data: &[u8]) {
    let [mode, sub, rest @ ..] = data else {
        return;
    };
    if mode % 2 == 0 {
        let Some((leaf, rest)) = rest.split_first_chunk::<32>() else {
            return;
        };
        let Some((root, proof)) = rest.split_first_chunk::<32>() else {
            return;
        };
        let (leaf, root) = (Id(*leaf), Id(*root));
        if sub % 2 == 0 {
            if let Ok(p) = InclusionProof::decode(proof) {
                let _ = p.verify(&leaf, &root);
            }
        } else if let Ok(p) = ConsistencyProof::decode(proof) {
            let _ = p.verify(&leaf, &root);
        }
        return;
    }
    let n = usize::from(*sub);
    let leaves: Vec<&[u8]> = (0..n)
        .map(|i| rest.get(i..).unwrap_or_default())
        .map(|s| &s[..s.len().min(4)])
        .collect();
    let tree = MerkleTree::from_leaves(&leaves);
    let root = tree.root();
    assert_eq!(root, crate::merkle::root(&leaves));
    let flip = rest.first().copied().unwrap_or(0);
    for (i, leaf) in leaves.iter().enumerate() {
        let proof = tree.inclusion_proof(i).expect("index is in range");
        assert!(proof.verify(&leaf_hash(leaf), &root).is_ok());
        if let Some(h) = proof.path.first() {
            let mut bad = proof.clone();
            let mut bytes = h.to_bytes();
            bytes[usize::from(flip) % 32] ^= 1 << (flip % 8);
            bad.path[0] = Id(bytes);
            assert!(bad.verify(&leaf_hash(leaf), &root).is_err());
        }
    }
    let m = usize::from(flip) % (n + 1);
    let proof = tree.consistency_proof(m).expect("old size is in range");
    let old = tree.root_at(m).expect("old size is in range");
    assert!(proof.verify(&old, &root).is_ok());
}
