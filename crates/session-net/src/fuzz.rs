//! Fuzzing entry points, shared by the cargo-fuzz target `net_frame` in
//! `fuzz/` and by the `cargo test` that replays its corpus. Not part of the
//! stable API.
//!
//! Each function takes arbitrary bytes, must never panic on any input, and
//! panics only when it finds a real bug (a broken invariant).

use crate::binding::{self, Role, StaticKeyingMaterial};
use crate::frame::{Frame, FrameDecoder, MAX_FRAME_LEN, encode_raw};
use crate::message::{Envelope, Message};

/// Frame and message decoders: `data[0]` sets the chunk size (1 to 256
/// bytes) in which the rest is fed to a [`FrameDecoder`]; every frame it
/// yields is decoded as an [`Envelope`]. The decoder must stay within its
/// buffer bound, every accepted frame must re-encode to exactly its bytes,
/// and a decoded handshake must fail verification (nobody can forge one).
pub fn net_frame(data: &[u8]) {
    let Some((&selector, stream)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(selector) + 1;
    let mut decoder = FrameDecoder::new(MAX_FRAME_LEN);
    for piece in stream.chunks(chunk) {
        if decoder.feed(piece).is_err() {
            return;
        }
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => check_frame(frame),
                Ok(None) => break,
                Err(_) => return,
            }
        }
        assert!(decoder.buffered() <= decoder.max_buffered());
    }
}

fn check_frame(frame: Frame) {
    let raw = encode_raw(frame.version, frame.ty, &frame.body);
    let Ok(env) = Envelope::decode(frame) else {
        return;
    };
    let again = env.encode().expect("a decoded frame fits a frame again");
    assert_eq!(
        &again[..],
        &raw[..],
        "decoded frame does not re-encode to its bytes"
    );
    if let Message::Handshake(h) = &env.message {
        let tls = StaticKeyingMaterial([0; 32]);
        assert!(binding::verify(h, Role::Dialer, &tls).is_err());
        assert!(binding::verify(h, Role::Listener, &tls).is_err());
    }
}
