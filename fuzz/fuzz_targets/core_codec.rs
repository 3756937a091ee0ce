//! Every session-core wire/stored type's decoder: `data[0]` picks the type,
//! the rest is its versioned encoding. Decoded values must re-encode to the
//! same bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_core::fuzz::codec(data);
});
