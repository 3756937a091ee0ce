//! Fuzzing entry points, shared by the cargo-fuzz target `daemon_wire` in
//! `fuzz/` and by the `cargo test` that replays its corpus. Not part of the
//! stable API.
//!
//! Every decoder of bytes a peer, a client or the disk can hand sessiond: the
//! committee gossip, stored step outcomes, evidence, registry records, the
//! receipts document `session receipt verify` reads, epoch-change messages,
//! and oracle HTTP responses (head and body codings). None may panic; a decoded
//! value must re-encode to the same bytes (the codec is canonical).

use session_core::codec::Versioned;

use crate::evidence::Evidence;
use crate::outcome::StepOutcome;
use crate::registry::NodeRecord;
use crate::wire::{BeaconMessage, Gossip};

/// Number of inputs [`wire`] dispatches over.
pub const TYPES: u8 = 7;

fn canonical<T: Versioned>(bytes: &[u8]) {
    if let Ok(value) = T::decode(bytes) {
        assert_eq!(
            value.encode(),
            bytes,
            "{} decoded from bytes it does not re-encode to",
            T::NAME
        );
    }
}

/// `data[0] % TYPES` selects the decoder; the rest is its input.
pub fn wire(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    match selector % TYPES {
        0 => canonical::<Gossip>(bytes),
        1 => canonical::<StepOutcome>(bytes),
        2 => canonical::<Evidence>(bytes),
        3 => canonical::<NodeRecord>(bytes),
        5 => canonical::<BeaconMessage>(bytes),
        6 => crate::http::fuzz_response(bytes),
        _ => {
            if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(bytes) {
                // Fuzzed documents carry no valid quorum signature.
                let _ = crate::verify::verify_receipts_document(&doc);
            }
        }
    }
}
