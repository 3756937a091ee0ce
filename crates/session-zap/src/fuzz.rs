//! Fuzzing entry point, shared by the cargo-fuzz target `zap_wire` and by the
//! `cargo test` that replays its corpus. Not part of the stable API.
//!
//! [`wire`] must never panic on any input; it panics only when it finds a
//! real bug (a broken invariant).

use crate::handshake;
use crate::wire::*;

/// Number of reply layouts [`wire`] can select in mode 2.
pub const RESPONSE_TYPES: u8 = 16;

/// Wire target. `data[0] % 4` picks the mode, the rest is its input:
///
/// - 0: a byte stream for [`FrameDecoder`], fed whole and again in chunks
///   of `1 + data[0] / 4` bytes (both must give the same frames and the same
///   fatal error); every request frame's body goes through
///   [`Request::decode`].
/// - 1: `opcode ‖ body` for [`Request::decode`]; a decoded request must
///   re-encode to a body that decodes to the same request.
/// - 2: `selector ‖ body` for one of the reply layouts; same round trip.
/// - 3: a handshake message for [`handshake::parse`].
pub fn wire(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => frames(rest, 1 + usize::from(mode / 4)),
        1 => request(rest),
        2 => response(rest),
        _ => handshake(rest),
    }
}

/// All frames and the final state of a decoder fed `chunks`.
fn decode_stream<'a>(chunks: impl Iterator<Item = &'a [u8]>) -> (Vec<Frame>, bool) {
    let mut d = FrameDecoder::new();
    let mut frames = Vec::new();
    for chunk in chunks {
        d.feed(chunk);
        loop {
            match d.next_frame() {
                Ok(Some(f)) => frames.push(f),
                Ok(None) => break,
                Err(_) => return (frames, true),
            }
        }
    }
    (frames, false)
}

fn frames(stream: &[u8], chunk: usize) {
    let whole = decode_stream(std::iter::once(stream));
    let split = decode_stream(stream.chunks(chunk));
    assert_eq!(whole, split, "framing depends on how bytes arrive");
    for frame in &whole.0 {
        let bytes = frame.encode().expect("a decoded frame fits the limit");
        let (again, failed) = decode_stream(std::iter::once(&bytes[..]));
        assert!(!failed);
        assert_eq!(again, std::slice::from_ref(frame), "frame re-encodes");
        if !frame.is_reply()
            && let Some(op) = Opcode::from_u8(frame.type_byte)
        {
            let _ = Request::decode(op, &frame.body);
        }
    }
}

fn request(data: &[u8]) {
    let Some((&op, body)) = data.split_first() else {
        return;
    };
    let Some(op) = Opcode::from_u8(op & OPCODE_MASK) else {
        return;
    };
    if let Ok(req) = Request::decode(op, body) {
        assert_eq!(req.opcode(), op);
        let again = Request::decode(op, &req.encode()).expect("re-encoded request decodes");
        assert_eq!(again, req, "request round trip");
    }
}

fn round_trip<M: Message + PartialEq + std::fmt::Debug>(body: &[u8]) {
    if let Ok(m) = M::decode(body) {
        let again = M::decode_exact(&m.encode()).expect("re-encoded reply decodes");
        assert_eq!(again, m, "{} round trip", M::NAME);
    }
}

fn response(data: &[u8]) {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    match sel % RESPONSE_TYPES {
        0 => round_trip::<InitializeResponse>(body),
        1 => round_trip::<CreateHandlersResponse>(body),
        2 => round_trip::<NewHttpHandlerResponse>(body),
        3 => round_trip::<Event>(body),
        4 => round_trip::<BlockResponse>(body),
        5 => round_trip::<HealthResponse>(body),
        6 => round_trip::<VersionResponse>(body),
        7 => round_trip::<GetAncestorsResponse>(body),
        8 => round_trip::<BatchedParseBlockResponse>(body),
        9 => round_trip::<GetBlockIdAtHeightResponse>(body),
        10 => round_trip::<BlockVerifyResponse>(body),
        11 => round_trip::<StateSyncEnabledResponse>(body),
        12 => round_trip::<SummaryResponse>(body),
        13 => round_trip::<StateSummaryAcceptResponse>(body),
        14 => {
            if let Ok(b) = BlockResponse::decode(body)
                && let Ok(block) = b.clone().into_result()
            {
                let plain = BlockResponse {
                    verify_with_context: false,
                    ..b
                };
                assert_eq!(BlockResponse::ok(block), plain);
            }
        }
        _ => round_trip::<()>(body),
    }
}

fn handshake(data: &[u8]) {
    if let Ok(hs) = handshake::parse(data) {
        assert_eq!(handshake::encode(hs.version, &hs.vm_addr), data);
    }
}
