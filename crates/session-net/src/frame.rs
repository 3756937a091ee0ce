//! Sans-I/O framing: a 4-byte big-endian length, then a version byte, a type
//! byte and the body.
//!
//! ```text
//! frame := length:u32be ‖ version:u8 ‖ type:u8 ‖ body
//! 2 ≤ length = 2 + body.len() ≤ 1 MiB
//! ```
//!
//! [`FrameDecoder`] takes bytes in any chunking and yields whole [`Frame`]s.
//! It checks a declared length against the limit as soon as the four length
//! bytes arrive, before buffering (let alone allocating for) the frame, and it
//! never holds more than about two maximal frames.
//!
//! ```
//! use session_net::frame::{FrameDecoder, encode_raw, MAX_FRAME_LEN};
//!
//! let bytes = encode_raw(1, 0x0a, b"hello");
//! let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
//! dec.feed(&bytes[..3])?; // partial input is fine
//! assert!(dec.next_frame()?.is_none());
//! dec.feed(&bytes[3..])?;
//! let frame = dec.next_frame()?.expect("a whole frame");
//! assert_eq!((frame.version, frame.ty, &frame.body[..]), (1, 0x0a, &b"hello"[..]));
//!
//! // A declared length over the limit fails at once.
//! let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
//! assert!(dec.feed(&u32::MAX.to_be_bytes()).is_err());
//! # Ok::<(), session_net::Error>(())
//! ```

use bytes::{Buf, Bytes, BytesMut};

use crate::error::{Error, Result};

/// Largest value of the length field: 1 MiB (version, type and body).
pub const MAX_FRAME_LEN: usize = 1 << 20;
/// Bytes in the length prefix.
pub const LEN_PREFIX: usize = 4;
/// Bytes after the length prefix that every frame has: version and type.
pub const HEADER_LEN: usize = 2;
/// The wire version this crate speaks.
pub const WIRE_VERSION: u8 = 1;

/// One undecoded frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The version byte.
    pub version: u8,
    /// The message type byte.
    pub ty: u8,
    /// The body (everything after the type byte).
    pub body: Bytes,
}

impl Frame {
    /// Length of the whole frame on the wire, prefix included.
    pub fn wire_len(&self) -> usize {
        LEN_PREFIX + HEADER_LEN + self.body.len()
    }
}

/// Encodes a frame from its parts (no checks beyond the `u32` length; meant
/// for tests and fuzz seeds — messages are encoded by
/// [`Envelope::encode`](crate::Envelope::encode)).
///
/// # Panics
/// If the frame would exceed 4 GiB.
pub fn encode_raw(version: u8, ty: u8, body: &[u8]) -> Vec<u8> {
    let len = u32::try_from(HEADER_LEN + body.len()).expect("test frames are small");
    let mut out = Vec::with_capacity(LEN_PREFIX + HEADER_LEN + body.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.push(version);
    out.push(ty);
    out.extend_from_slice(body);
    out
}

/// Validates a declared frame length.
pub fn check_len(len: u32, max: usize) -> Result<usize> {
    let len_usize = len as usize;
    if len_usize > max {
        return Err(Error::FrameTooLarge {
            len: u64::from(len),
            max,
        });
    }
    if len_usize < HEADER_LEN {
        return Err(Error::FrameTooShort(len));
    }
    Ok(len_usize)
}

/// Reassembles frames from a byte stream. Sans-I/O: feed it whatever the
/// socket returned, then drain [`next_frame`](Self::next_frame).
///
/// After any error the stream is out of sync; drop the connection.
#[derive(Debug)]
pub struct FrameDecoder {
    buf: BytesMut,
    max_frame_len: usize,
}

impl FrameDecoder {
    /// A decoder accepting frames whose length field is at most
    /// `max_frame_len` (clamped to [`MAX_FRAME_LEN`]).
    pub fn new(max_frame_len: usize) -> Self {
        FrameDecoder {
            buf: BytesMut::new(),
            max_frame_len: max_frame_len.min(MAX_FRAME_LEN),
        }
    }

    /// The limit in force.
    pub fn max_frame_len(&self) -> usize {
        self.max_frame_len
    }

    /// Changes the limit (clamped to [`MAX_FRAME_LEN`]), for example after
    /// the handshake phase.
    pub fn set_max_frame_len(&mut self, max_frame_len: usize) {
        self.max_frame_len = max_frame_len.min(MAX_FRAME_LEN);
    }

    /// Most bytes the decoder will hold: two maximal frames. A caller that
    /// drains [`next_frame`](Self::next_frame) after every `feed` of at most
    /// one frame's worth of bytes never reaches it.
    pub fn max_buffered(&self) -> usize {
        2 * (LEN_PREFIX + self.max_frame_len)
    }

    /// Bytes buffered and not yet returned as frames.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Appends input. Fails if the next frame's declared length is out of
    /// bounds, or if the buffer would exceed [`max_buffered`](Self::max_buffered).
    pub fn feed(&mut self, data: &[u8]) -> Result<()> {
        if self.buf.len().saturating_add(data.len()) > self.max_buffered() {
            return Err(Error::BufferFull);
        }
        self.buf.extend_from_slice(data);
        if let Some(len) = self.peek_len()? {
            // The length is validated: room for the whole frame is bounded.
            let want = LEN_PREFIX + len;
            if self.buf.capacity() < want {
                self.buf.reserve(want - self.buf.len());
            }
        }
        Ok(())
    }

    /// The validated length of the next frame, once its prefix is buffered.
    fn peek_len(&self) -> Result<Option<usize>> {
        let Some(prefix) = self.buf.first_chunk::<LEN_PREFIX>() else {
            return Ok(None);
        };
        check_len(u32::from_be_bytes(*prefix), self.max_frame_len).map(Some)
    }

    /// The next whole frame, if one is buffered.
    pub fn next_frame(&mut self) -> Result<Option<Frame>> {
        let Some(len) = self.peek_len()? else {
            return Ok(None);
        };
        if self.buf.len() < LEN_PREFIX + len {
            return Ok(None);
        }
        self.buf.advance(LEN_PREFIX);
        let mut frame = self.buf.split_to(len).freeze();
        let version = frame.get_u8();
        let ty = frame.get_u8();
        Ok(Some(Frame {
            version,
            ty,
            body: frame,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reassembles_any_chunking() {
        let mut stream = Vec::new();
        for i in 0..20u8 {
            stream.extend(encode_raw(1, i, &vec![i; usize::from(i) * 37]));
        }
        for chunk in [1, 2, 3, 5, 7, 64, 1000, stream.len()] {
            let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
            let mut got = Vec::new();
            for piece in stream.chunks(chunk) {
                dec.feed(piece).unwrap();
                while let Some(f) = dec.next_frame().unwrap() {
                    got.push(f);
                }
            }
            assert_eq!(got.len(), 20, "chunk {chunk}");
            for (i, f) in got.iter().enumerate() {
                assert_eq!(f.ty as usize, i);
                assert_eq!(f.body.len(), i * 37);
                assert_eq!(f.wire_len(), 6 + i * 37);
            }
            assert_eq!(dec.buffered(), 0);
        }
    }

    #[test]
    fn oversized_length_fails_before_body() {
        let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
        let len = u32::try_from(MAX_FRAME_LEN + 1).unwrap();
        let err = dec.feed(&len.to_be_bytes()).unwrap_err();
        assert!(
            matches!(err, Error::FrameTooLarge { len: l, max: MAX_FRAME_LEN } if l == u64::from(len))
        );
        // Nothing was reserved for the claimed body.
        assert!(dec.buf.capacity() < 1024);

        // The limit is exactly inclusive.
        let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
        let ok = u32::try_from(MAX_FRAME_LEN).unwrap();
        dec.feed(&ok.to_be_bytes()).unwrap();
        assert!(dec.next_frame().unwrap().is_none());

        // A smaller configured limit applies too.
        let mut dec = FrameDecoder::new(100);
        assert!(dec.feed(&encode_raw(1, 1, &[0; 99])).is_err());
        let mut dec = FrameDecoder::new(100);
        dec.feed(&encode_raw(1, 1, &[0; 98])).unwrap();
        assert_eq!(dec.next_frame().unwrap().unwrap().body.len(), 98);
    }

    #[test]
    fn short_length_is_an_error() {
        for len in [0u32, 1] {
            let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
            assert!(matches!(
                dec.feed(&len.to_be_bytes()),
                Err(Error::FrameTooShort(l)) if l == len
            ));
        }
        let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
        dec.feed(&2u32.to_be_bytes()).unwrap();
        dec.feed(&[1, 9]).unwrap();
        let f = dec.next_frame().unwrap().unwrap();
        assert!(f.body.is_empty());
    }

    #[test]
    fn buffer_is_bounded() {
        let mut dec = FrameDecoder::new(64);
        let frame = encode_raw(1, 1, &[0; 60]);
        // Feeding many frames without draining eventually refuses input.
        let mut fed = 0;
        while dec.feed(&frame).is_ok() {
            fed += 1;
            assert!(fed < 10);
        }
        assert!(dec.buffered() <= dec.max_buffered());
        assert!(matches!(dec.feed(&frame), Err(Error::BufferFull)));
    }

    #[test]
    fn truncated_frame_stays_pending() {
        let bytes = encode_raw(1, 3, &[5; 500]);
        let mut dec = FrameDecoder::new(MAX_FRAME_LEN);
        dec.feed(&bytes[..bytes.len() - 1]).unwrap();
        assert!(dec.next_frame().unwrap().is_none());
        assert_eq!(dec.buffered(), bytes.len() - 1);
    }

    #[test]
    fn limit_clamps_to_one_mebibyte() {
        assert_eq!(FrameDecoder::new(usize::MAX).max_frame_len(), MAX_FRAME_LEN);
        let mut dec = FrameDecoder::new(10);
        dec.set_max_frame_len(usize::MAX);
        assert_eq!(dec.max_frame_len(), MAX_FRAME_LEN);
    }
}
