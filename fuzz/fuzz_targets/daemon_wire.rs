//! sessiond's decoders: committee gossip, stored step outcomes, evidence,
//! registry records, receipts documents and epoch-change messages. Decoded
//! values must re-encode to the same bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_daemon::fuzz::wire(data);
});
