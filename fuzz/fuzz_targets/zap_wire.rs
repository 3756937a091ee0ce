//! The ZAP wire format: the frame decoder (whole and split input), every
//! request decoder by opcode, every reply layout, and the handshake parser.
//! Decoded values must re-encode to bytes that decode to the same value.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    session_zap::fuzz::wire(data);
});
