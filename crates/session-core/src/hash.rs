//! SHA-256 hashing and the domain-separated ID derivations of the Lux Session
//! protocol.
//!
//! Every layout here reproduces `tests/data/core.json` (recomputed from the Go
//! reference): integers are big-endian, IDs are their 32 raw bytes, and parts
//! are concatenated without length prefixes (every variable part is either the
//! leading domain string or a fixed 32-byte ID, so the concatenation is
//! unambiguous).

use sha2::{Digest, Sha256};

use crate::id::Id;

/// Domain string of [`session_id`].
pub const SESSION_DOMAIN: &[u8] = b"LUX:Session:v1";
/// Domain string of [`oracle_request_id`].
pub const ORACLE_REQUEST_DOMAIN: &[u8] = b"LUX:OracleRequest:v1";
/// Domain string of [`receipt_id`].
pub const RECEIPT_DOMAIN: &[u8] = b"LUX:Receipt:v1";
/// Domain string of [`beacon_id`].
pub const EPOCH_BEACON_DOMAIN: &[u8] = b"LUX:EpochBeacon:v1";

/// SHA-256 of `data`, as an [`Id`].
pub fn hash(data: &[u8]) -> Id {
    Id(Sha256::digest(data).into())
}

/// SHA-256 of the concatenation of `parts` (no separators, no length prefixes).
pub fn hash_parts(parts: &[&[u8]]) -> Id {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    Id(h.finalize().into())
}

/// Session ID: `H("LUX:Session:v1" ‖ service_id ‖ epoch:u64 ‖ tx_id)`.
pub fn session_id(service_id: &Id, epoch: u64, tx_id: &Id) -> Id {
    hash_parts(&[
        SESSION_DOMAIN,
        service_id.as_bytes(),
        &epoch.to_be_bytes(),
        tx_id.as_bytes(),
    ])
}

/// Oracle request ID:
/// `H("LUX:OracleRequest:v1" ‖ service_id ‖ session_id ‖ step:u32 ‖ retry:u32 ‖ tx_id)`.
pub fn oracle_request_id(
    service_id: &Id,
    session_id: &Id,
    step: u32,
    retry: u32,
    tx_id: &Id,
) -> Id {
    hash_parts(&[
        ORACLE_REQUEST_DOMAIN,
        service_id.as_bytes(),
        session_id.as_bytes(),
        &step.to_be_bytes(),
        &retry.to_be_bytes(),
        tx_id.as_bytes(),
    ])
}

/// Oracle record ID: `H(request_id ‖ submitter_id ‖ H(data))`.
///
/// The reference uses no domain string here; the layout is kept for
/// compatibility (it cannot collide with the other IDs, whose preimages all
/// start with an ASCII `LUX:` domain string and have different lengths).
pub fn oracle_record_id(request_id: &Id, submitter_id: &Id, data_hash: &Id) -> Id {
    hash_parts(&[
        request_id.as_bytes(),
        submitter_id.as_bytes(),
        data_hash.as_bytes(),
    ])
}

/// Receipt ID:
/// `H("LUX:Receipt:v1" ‖ session_id ‖ step:u32 ‖ message_hash ‖ sender_id ‖ receiver_id)`.
pub fn receipt_id(
    session_id: &Id,
    step: u32,
    message_hash: &Id,
    sender_id: &Id,
    receiver_id: &Id,
) -> Id {
    hash_parts(&[
        RECEIPT_DOMAIN,
        session_id.as_bytes(),
        &step.to_be_bytes(),
        message_hash.as_bytes(),
        sender_id.as_bytes(),
        receiver_id.as_bytes(),
    ])
}

/// Epoch beacon ID: `H("LUX:EpochBeacon:v1" ‖ epoch:u64 ‖ randomness ‖ previous_beacon)`.
pub fn beacon_id(epoch: u64, randomness: &Id, previous_beacon: &Id) -> Id {
    hash_parts(&[
        EPOCH_BEACON_DOMAIN,
        &epoch.to_be_bytes(),
        randomness.as_bytes(),
        previous_beacon.as_bytes(),
    ])
}

/// Committee selection seed: `H(epoch_randomness ‖ service_id ‖ epoch:u64)`.
pub fn committee_seed(epoch_randomness: &Id, service_id: &Id, epoch: u64) -> Id {
    hash_parts(&[
        epoch_randomness.as_bytes(),
        service_id.as_bytes(),
        &epoch.to_be_bytes(),
    ])
}

/// A node's committee score: `H(seed ‖ node_id)`; lower scores are chosen first.
pub fn committee_score(seed: &Id, node_id: &Id) -> Id {
    hash_parts(&[seed.as_bytes(), node_id.as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_equal_concatenation() {
        assert_eq!(hash_parts(&[b"ab", b"", b"c"]), hash(b"abc"));
        assert_eq!(
            hash(b"").to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
