//! Key files (plain and passphrase-protected) and public key files.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_crypto::fuzz::keyfile(data);
});
