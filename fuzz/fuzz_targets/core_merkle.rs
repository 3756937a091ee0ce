//! RFC 6962 Merkle proofs: hostile inclusion/consistency proofs must never
//! panic, and honest proofs over fuzzer-chosen trees must verify.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_core::fuzz::merkle(data);
});
