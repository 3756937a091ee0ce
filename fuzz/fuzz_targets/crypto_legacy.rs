//! Legacy 05 identities: Ed25519 public keys, X25519 boxes, Ed25519 signatures.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_crypto::fuzz::legacy(data);
});
