//! sessiond's decoders: committee gossip, stored step outcomes, evidence,
//! registry records, receipts documents, epoch-change messages and oracle
//! HTTP responses. Decoded values must re-encode to the same bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_daemon::fuzz::wire(data);
});
