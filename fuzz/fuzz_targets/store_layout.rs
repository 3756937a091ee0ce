//! session-store's decoders of its own files: stored values (inline or segment
//! pointer), the segment tail and the pending-wipe list. Decoded values must
//! re-encode to the same bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_store::fuzz::layout(data);
});
