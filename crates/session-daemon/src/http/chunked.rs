//! Chunked transfer coding (RFC 9112 §7.1), decoded incrementally and
//! bounded: the body by the caller's limit, each size line and the
//! trailer section by fixed limits, checked before anything is buffered.

use super::{HttpError, MAX_HEAD_LEN, err};

/// Longest chunk-size line (hex size plus extensions), in bytes.
const MAX_SIZE_LINE: usize = 1024;

enum State {
    /// Reading a chunk-size line.
    Size,
    /// Inside a chunk's data: bytes still to come.
    Data(usize),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// Trailer lines after the last (zero-size) chunk.
    Trailer,
    Done,
}

/// A chunked body being decoded.
pub(super) struct Chunked {
    state: State,
    /// The current size or trailer line so far.
    line: Vec<u8>,
    trailer_len: usize,
    body: Vec<u8>,
    max_body: usize,
}

impl Chunked {
    pub(super) fn new(max_body: usize) -> Self {
        Chunked {
            state: State::Size,
            line: Vec::new(),
            trailer_len: 0,
            body: Vec::new(),
            max_body,
        }
    }

    /// Whether the last chunk and the trailer section have been read.
    pub(super) fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// The decoded body (complete once [`is_done`](Self::is_done)).
    pub(super) fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// Decodes `input`; returns how many bytes were used (fewer than given
    /// only once done: the rest follows the message).
    pub(super) fn feed(&mut self, input: &[u8]) -> Result<usize, HttpError> {
        let mut at = 0;
        while at < input.len() {
            match self.state {
                State::Done => break,
                State::Data(remaining) => {
                    let n = remaining.min(input.len() - at);
                    self.body.extend_from_slice(&input[at..at + n]);
                    at += n;
                    self.state = match remaining - n {
                        0 => State::DataEnd,
                        left => State::Data(left),
                    };
                }
                State::Size | State::DataEnd | State::Trailer => {
                    let byte = input[at];
                    at += 1;
                    self.line.push(byte);
                    if byte == b'\n' {
                        let line = std::mem::take(&mut self.line);
                        self.end_of_line(&line)?;
                    } else if self.line.len() > MAX_SIZE_LINE {
                        return Err(err("chunked body: line too long"));
                    }
                }
            }
        }
        Ok(at)
    }

    fn end_of_line(&mut self, line: &[u8]) -> Result<(), HttpError> {
        let text = line
            .strip_suffix(b"\r\n")
            .ok_or_else(|| err("chunked body: line not ended by CRLF"))?;
        self.state = match self.state {
            State::DataEnd if text.is_empty() => State::Size,
            State::DataEnd => return Err(err("chunked body: chunk longer than its size")),
            State::Size => match self.chunk_size(text)? {
                0 => State::Trailer,
                size => State::Data(size),
            },
            State::Trailer if text.is_empty() => State::Done,
            State::Trailer => {
                self.trailer_len += line.len();
                if self.trailer_len > MAX_HEAD_LEN {
                    return Err(err("chunked body: trailer too large"));
                }
                State::Trailer
            }
            State::Data(_) | State::Done => unreachable!("no lines in these states"),
        };
        Ok(())
    }

    /// Parses `size [; extensions]` and checks it fits the body limit.
    fn chunk_size(&self, text: &[u8]) -> Result<usize, HttpError> {
        let digits = text.split(|&b| b == b';').next().unwrap_or_default();
        let digits = digits.trim_ascii();
        if digits.is_empty() || digits.len() > 16 || !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(err("chunked body: bad chunk size"));
        }
        let size = std::str::from_utf8(digits)
            .ok()
            .and_then(|d| usize::from_str_radix(d, 16).ok())
            .ok_or_else(|| err("chunked body: bad chunk size"))?;
        if size > self.max_body.saturating_sub(self.body.len()) {
            return Err(err("response body too large"));
        }
        Ok(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `input` fed in pieces of `step` bytes.
    fn decode(input: &[u8], step: usize, max: usize) -> Result<(Vec<u8>, usize), HttpError> {
        let mut c = Chunked::new(max);
        let mut used = 0;
        for piece in input.chunks(step) {
            used += c.feed(piece)?;
            if c.is_done() {
                return Ok((c.into_body(), used));
            }
        }
        Err(err("incomplete"))
    }

    #[test]
    fn decodes_in_any_split() {
        let input =
            b"4\r\nWiki\r\n7;ext=1\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\nX-T: 1\r\n\r\nnext";
        for step in 1..=input.len() {
            let (body, used) = decode(input, step, 64).unwrap();
            assert_eq!(body, b"Wikipedia in \r\nchunks.", "step {step}");
            assert_eq!(used, input.len() - 4, "step {step}");
        }
        assert_eq!(decode(b"0\r\n\r\n", 1, 0).unwrap().0, b"");
    }

    #[test]
    fn refuses_bad_and_oversized_input() {
        for (input, why) in [
            (&b"2\r\n42\r\n0\r\n\r\n"[..], ""),
            (b"3\r\n42\r\n0\r\n\r\n", "CRLF"),
            (b"1\r\n42\r\n0\r\n\r\n", "longer than its size"),
            (b"zz\r\n", "bad chunk size"),
            (b"\r\n", "bad chunk size"),
            (b"2\n42\r\n", "CRLF"),
            (b"11111111111111111\r\n", "bad chunk size"),
            (b"ffffffffffffffff\r\n", "too large"),
            (b"11\r\n", "too large"),
            (b"8\r\n1234\r\n", "incomplete"),
        ] {
            match decode(input, 3, 16) {
                Ok(_) => assert!(why.is_empty(), "{input:?} should fail with {why}"),
                Err(e) => assert!(!why.is_empty() && e.0.contains(why), "{input:?}: {}", e.0),
            }
        }
        // Two chunks that together exceed the limit.
        assert!(
            decode(b"8\r\n12345678\r\n9\r\n", 4, 16)
                .unwrap_err()
                .0
                .contains("too large")
        );
        // Endless size lines and trailers are cut off.
        let long_line = [b'0'; MAX_SIZE_LINE + 2];
        assert!(
            decode(&long_line, 64, 16)
                .unwrap_err()
                .0
                .contains("too long")
        );
        let mut trailer = b"0\r\n".to_vec();
        while trailer.len() < MAX_HEAD_LEN + 64 {
            trailer.extend_from_slice(b"X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
        }
        assert!(
            decode(&trailer, 512, 16)
                .unwrap_err()
                .0
                .contains("trailer too large")
        );
    }
}
