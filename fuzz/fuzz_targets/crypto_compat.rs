//! The Go reference's formats (EncryptToRecipient, SignMessage) and the symmetric format.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_crypto::fuzz::compat(data);
});
