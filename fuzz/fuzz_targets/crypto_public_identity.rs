//! Public identities, IDs, signatures and KEM ciphertexts, as bytes and as text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_crypto::fuzz::public_identity(data);
});
