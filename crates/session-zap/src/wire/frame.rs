//! Framing (spec §2): `len u32 BE | type u8 | reqID u32 BE | body`, where
//! `len` counts the request ID and the body but not itself or the type byte.

use crate::error::{Error, Result};

/// Largest `len` a frame may announce: 16 MiB.
pub const MAX_FRAME_LEN: u32 = 16 * 1024 * 1024;

/// Bytes before the body: `len` (4), type (1), request ID (4).
pub const HEADER_LEN: usize = 9;

/// Largest body a frame can carry (`MAX_FRAME_LEN` minus the request ID).
pub const MAX_BODY_LEN: usize = MAX_FRAME_LEN as usize - 4;

/// Set on every reply's type byte.
pub const REPLY_FLAG: u8 = 0x80;

/// Set, together with [`REPLY_FLAG`], on error replies.
pub const ERROR_FLAG: u8 = 0x40;

/// The opcode bits of a type byte.
pub const OPCODE_MASK: u8 = 0x3f;

/// One frame, as read off the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The raw type byte: opcode plus reply/error flags.
    pub type_byte: u8,
    /// The request ID (echoed in the reply).
    pub request_id: u32,
    /// The body (for an error reply: the raw UTF-8 error text).
    pub body: Vec<u8>,
}

impl Frame {
    /// A request frame.
    pub fn request(opcode: u8, request_id: u32, body: Vec<u8>) -> Self {
        Self {
            type_byte: opcode,
            request_id,
            body,
        }
    }

    /// A success reply to `opcode`.
    pub fn reply(opcode: u8, request_id: u32, body: Vec<u8>) -> Self {
        Self {
            type_byte: (opcode & OPCODE_MASK) | REPLY_FLAG,
            request_id,
            body,
        }
    }

    /// An error reply to `opcode` whose body is `text`, raw (no length prefix).
    pub fn error(opcode: u8, request_id: u32, text: &str) -> Self {
        Self {
            type_byte: (opcode & OPCODE_MASK) | REPLY_FLAG | ERROR_FLAG,
            request_id,
            body: text.as_bytes().to_vec(),
        }
    }

    /// The opcode bits (0–63).
    pub fn opcode(&self) -> u8 {
        self.type_byte & OPCODE_MASK
    }

    /// Whether the reply flag is set.
    pub fn is_reply(&self) -> bool {
        self.type_byte & REPLY_FLAG != 0
    }

    /// Whether this is an error reply (both flags set).
    pub fn is_error(&self) -> bool {
        self.type_byte & (REPLY_FLAG | ERROR_FLAG) == REPLY_FLAG | ERROR_FLAG
    }

    /// The error text of an error reply (lossy UTF-8); `None` otherwise.
    pub fn error_text(&self) -> Option<String> {
        self.is_error()
            .then(|| String::from_utf8_lossy(&self.body).into_owned())
    }

    /// Encodes the whole frame.
    pub fn encode(&self) -> Result<Vec<u8>> {
        encode_frame(self.type_byte, self.request_id, &self.body)
    }
}

/// The `len` field for a body of `body_len` bytes, or [`Error::FrameTooLarge`].
pub(crate) fn frame_len(body_len: usize) -> Result<u32> {
    let len = body_len as u64 + 4;
    if len > u64::from(MAX_FRAME_LEN) {
        return Err(Error::FrameTooLarge {
            len,
            max: MAX_FRAME_LEN,
        });
    }
    Ok(len as u32)
}

/// Appends one frame to `out`; refuses a body above [`MAX_BODY_LEN`].
pub fn encode_frame_into(
    out: &mut Vec<u8>,
    type_byte: u8,
    request_id: u32,
    body: &[u8],
) -> Result<()> {
    let len = frame_len(body.len())?;
    out.reserve(HEADER_LEN + body.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.push(type_byte);
    out.extend_from_slice(&request_id.to_be_bytes());
    out.extend_from_slice(body);
    Ok(())
}

/// One frame as bytes; refuses a body above [`MAX_BODY_LEN`].
///
/// ```
/// // Health request, ID 7 (spec §2.4).
/// let frame = session_zap::wire::encode_frame(13, 7, &[])?;
/// assert_eq!(frame, [0, 0, 0, 4, 0x0d, 0, 0, 0, 7]);
/// # Ok::<(), session_zap::Error>(())
/// ```
pub fn encode_frame(type_byte: u8, request_id: u32, body: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    encode_frame_into(&mut out, type_byte, request_id, body)?;
    Ok(out)
}

/// Incremental, sans-I/O frame decoder.
///
/// Feed it bytes as they arrive (split anywhere, or several frames at once)
/// and take frames out with [`next_frame`](Self::next_frame). A frame whose
/// `len` is below 4 has no request ID and is dropped silently (as the Go
/// server does). A `len` above the limit is fatal: the decoder returns
/// [`Error::FrameTooLarge`] from then on, and the connection must be closed.
/// Memory is bounded by one frame plus one read: nothing is allocated from an
/// announced length before the bytes are there.
///
/// ```
/// use session_zap::wire::FrameDecoder;
/// let mut d = FrameDecoder::new();
/// d.feed(&[0, 0, 0, 5, 0x02, 0, 0]);
/// assert!(d.next_frame()?.is_none());
/// d.feed(&[0, 2, 3]);
/// let f = d.next_frame()?.expect("complete");
/// assert_eq!((f.type_byte, f.request_id, f.body), (2, 2, vec![3]));
/// # Ok::<(), session_zap::Error>(())
/// ```
#[derive(Debug)]
pub struct FrameDecoder {
    buf: Vec<u8>,
    pos: usize,
    max_len: u32,
    failed: Option<u32>,
    dropped: u64,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameDecoder {
    /// A decoder with the protocol's 16 MiB limit.
    pub fn new() -> Self {
        Self::with_max_len(MAX_FRAME_LEN)
    }

    /// A decoder with a lower (or, for tests, any) `len` limit.
    pub fn with_max_len(max_len: u32) -> Self {
        Self {
            buf: Vec::new(),
            pos: 0,
            max_len,
            failed: None,
            dropped: 0,
        }
    }

    /// Appends received bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        if self.pos > 0 && (self.pos == self.buf.len() || self.pos >= 64 * 1024) {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes received but not yet returned as frames.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Frames dropped because their `len` was below 4.
    pub fn dropped_frames(&self) -> u64 {
        self.dropped
    }

    /// The next complete frame, `None` if more bytes are needed, or the fatal
    /// [`Error::FrameTooLarge`].
    pub fn next_frame(&mut self) -> Result<Option<Frame>> {
        loop {
            if let Some(len) = self.failed {
                return Err(Error::FrameTooLarge {
                    len: u64::from(len),
                    max: self.max_len,
                });
            }
            let avail = &self.buf[self.pos..];
            let Some(len_bytes) = avail.first_chunk::<4>() else {
                return Ok(None);
            };
            let len = u32::from_be_bytes(*len_bytes);
            if len > self.max_len {
                self.failed = Some(len);
                self.buf = Vec::new();
                self.pos = 0;
                continue;
            }
            let total = 5 + len as usize;
            if avail.len() < total {
                return Ok(None);
            }
            let frame_bytes = &avail[..total];
            self.pos += total;
            if len < 4 {
                self.dropped += 1;
                continue;
            }
            let type_byte = frame_bytes[4];
            let request_id = u32::from_be_bytes([
                frame_bytes[5],
                frame_bytes[6],
                frame_bytes[7],
                frame_bytes[8],
            ]);
            return Ok(Some(Frame {
                type_byte,
                request_id,
                body: frame_bytes[HEADER_LEN..].to_vec(),
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    fn decode_all(bytes: &[u8]) -> Vec<Frame> {
        let mut d = FrameDecoder::new();
        d.feed(bytes);
        let mut out = Vec::new();
        while let Some(f) = d.next_frame().unwrap() {
            out.push(f);
        }
        assert_eq!(d.buffered(), 0);
        out
    }

    #[test]
    fn worked_bytes_of_section_2_4() {
        let health = hex("00 00 00 04 0d 00 00 00 07");
        assert_eq!(Frame::request(13, 7, vec![]).encode().unwrap(), health);
        assert_eq!(decode_all(&health), [Frame::request(13, 7, vec![])]);

        let health_reply = hex("00 00 00 08 8d 00 00 00 07 00 00 00 00");
        let f = Frame::reply(13, 7, vec![0, 0, 0, 0]);
        assert_eq!(f.encode().unwrap(), health_reply);
        assert!(f.is_reply() && !f.is_error());

        let set_state = hex("00 00 00 05 02 00 00 00 02 03");
        assert_eq!(decode_all(&set_state), [Frame::request(2, 2, vec![3])]);

        let wait = hex("00 00 00 05 86 00 00 00 0a 01");
        assert_eq!(Frame::reply(6, 10, vec![1]).encode().unwrap(), wait);

        let err = hex("00 00 00 11 d3 00 00 00 09 75 6e 69 6d 70 6c 65 6d 65 6e 74 65 64");
        let f = Frame::error(19, 9, "unimplemented");
        assert_eq!(f.encode().unwrap(), err);
        let back = decode_all(&err).remove(0);
        assert!(back.is_error());
        assert_eq!(back.opcode(), 19);
        assert_eq!(back.error_text().as_deref(), Some("unimplemented"));

        let verify = hex("00 00 00 0c 1c 00 00 00 05 00 00 00 03 61 62 63 00");
        assert_eq!(
            decode_all(&verify),
            [Frame::request(28, 5, hex("00 00 00 03 61 62 63 00"))]
        );
    }

    #[test]
    fn split_and_batched_input() {
        let mut stream = Vec::new();
        for i in 0..5u32 {
            encode_frame_into(&mut stream, 13, i, &vec![i as u8; i as usize * 3]).unwrap();
        }
        let whole = decode_all(&stream);
        assert_eq!(whole.len(), 5);
        for chunk in 1..stream.len() {
            let mut d = FrameDecoder::new();
            let mut got = Vec::new();
            for piece in stream.chunks(chunk) {
                d.feed(piece);
                while let Some(f) = d.next_frame().unwrap() {
                    got.push(f);
                }
            }
            assert_eq!(got, whole, "chunk size {chunk}");
        }
    }

    #[test]
    fn short_len_frames_are_dropped() {
        let mut stream = hex("00 00 00 00 0d  00 00 00 03 0d 01 02 03");
        stream.extend(hex("00 00 00 04 0d 00 00 00 07"));
        let mut d = FrameDecoder::new();
        d.feed(&stream);
        assert_eq!(d.next_frame().unwrap(), Some(Frame::request(13, 7, vec![])));
        assert_eq!(d.dropped_frames(), 2);
        assert_eq!(d.next_frame().unwrap(), None);
    }

    #[test]
    fn oversized_len_is_fatal() {
        let mut d = FrameDecoder::new();
        d.feed(&(MAX_FRAME_LEN + 1).to_be_bytes());
        assert!(matches!(d.next_frame(), Err(Error::FrameTooLarge { .. })));
        d.feed(&hex("00 00 00 04 0d 00 00 00 07"));
        assert!(d.next_frame().is_err(), "stays failed");
        // Exactly the limit is allowed (and waits for its bytes).
        let mut d = FrameDecoder::new();
        d.feed(&MAX_FRAME_LEN.to_be_bytes());
        assert_eq!(d.next_frame().unwrap(), None);
    }

    #[test]
    fn encoding_refuses_oversized_bodies() {
        let body = vec![0; MAX_BODY_LEN + 1];
        assert!(matches!(
            encode_frame(0x8d, 1, &body),
            Err(Error::FrameTooLarge { .. })
        ));
        assert_eq!(
            encode_frame(0x8d, 1, &body[1..]).unwrap().len(),
            HEADER_LEN + MAX_BODY_LEN
        );
    }
}
