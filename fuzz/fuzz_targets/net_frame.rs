//! session-net's frame decoder and message decoders: `data[0]` sets the chunk
//! size the rest is fed in; every frame is decoded, and decoded frames must
//! re-encode to the same bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_net::fuzz::net_frame(data);
});
