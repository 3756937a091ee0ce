//! Envelope v2 opening with a fixed recipient (data[0] odd: patch in a valid version and recipient ID to reach decapsulation and the AEAD).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_crypto::fuzz::envelope_open(data);
});
