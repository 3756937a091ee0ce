//! CB58: base58 (Bitcoin alphabet) of `bytes ‖ SHA-256(bytes)[28..32]`.
//!
//! This is the text form Lux (and Avalanche before it) uses for IDs, VM IDs and
//! short byte strings. The 4-byte checksum is always verified on decode.
//!
//! ```
//! let text = session_core::cb58::encode(b"hi");
//! assert_eq!(session_core::cb58::decode(&text).unwrap(), b"hi");
//! ```

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Length of the checksum appended before base58 encoding.
pub const CHECKSUM_LEN: usize = 4;

/// Largest payload [`encode`]/[`decode`] accept, in bytes (as Lux's formatting package).
///
/// Base58 is quadratic in the input length, so decoding is bounded up front.
pub const MAX_PAYLOAD_LEN: usize = 16 * 1024;

/// Largest CB58 text [`decode`] accepts, in characters.
///
/// Each base58 character carries log2(58) ≈ 5.86 bits, so a payload of
/// `MAX_PAYLOAD_LEN + CHECKSUM_LEN` bytes needs at most `⌈(n·8)/5.85⌉` characters.
pub const MAX_TEXT_LEN: usize = (MAX_PAYLOAD_LEN + CHECKSUM_LEN) * 138 / 100 + 1;

fn checksum(bytes: &[u8]) -> [u8; CHECKSUM_LEN] {
    let digest = Sha256::digest(bytes);
    let mut out = [0u8; CHECKSUM_LEN];
    out.copy_from_slice(&digest[32 - CHECKSUM_LEN..]);
    out
}

/// Encodes `bytes` as CB58.
///
/// Payloads longer than [`MAX_PAYLOAD_LEN`] are still encoded (encoding is
/// total); [`decode`] will refuse them.
pub fn encode(bytes: &[u8]) -> String {
    let mut buf = Vec::with_capacity(bytes.len() + CHECKSUM_LEN);
    buf.extend_from_slice(bytes);
    buf.extend_from_slice(&checksum(bytes));
    bs58::encode(buf).into_string()
}

/// Decodes CB58 text, verifying its checksum, and returns the payload.
pub fn decode(text: &str) -> Result<Vec<u8>> {
    if text.len() > MAX_TEXT_LEN {
        return Err(Error::InvalidCb58("text too long"));
    }
    let raw = bs58::decode(text)
        .into_vec()
        .map_err(|_| Error::InvalidCb58("not base58"))?;
    if raw.len() < CHECKSUM_LEN {
        return Err(Error::InvalidCb58("shorter than checksum"));
    }
    if raw.len() - CHECKSUM_LEN > MAX_PAYLOAD_LEN {
        return Err(Error::InvalidCb58("payload too long"));
    }
    let (payload, sum) = raw.split_at(raw.len() - CHECKSUM_LEN);
    if checksum(payload) != sum {
        return Err(Error::InvalidCb58("bad checksum"));
    }
    Ok(payload.to_vec())
}

/// Decodes CB58 text whose payload must be exactly `N` bytes.
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N]> {
    // A payload of N bytes never needs more than this many characters; reject early.
    if text.len() > (N + CHECKSUM_LEN) * 138 / 100 + 1 {
        return Err(Error::InvalidCb58("text too long"));
    }
    let payload = decode(text)?;
    payload
        .try_into()
        .map_err(|v: Vec<u8>| Error::InvalidLength {
            expected: N,
            actual: v.len(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_known_answer() {
        let mut vmid = [0u8; 32];
        vmid[..9].copy_from_slice(b"sessionvm");
        assert_eq!(
            encode(&vmid),
            "speKUgLBX6WRD5cfGeEfLa43LxTXUBckvtv4td6F3eTXvRP48"
        );
        for len in [0usize, 1, 5, 32, 100] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn rejects_bad_input() {
        // The seed's VMID string fails its checksum.
        assert!(decode("2ZbQaVuXHtT7vfJt8FmWEQKAT4NgtPqWEZHg5m3tUvEiSMnQNt").is_err());
        assert!(decode("").is_err());
        assert!(decode("0OIl").is_err());
        assert!(decode(&"1".repeat(MAX_TEXT_LEN + 1)).is_err());
        let good = encode(b"abc");
        let mut bad = good.clone();
        bad.pop();
        bad.push(if good.ends_with('2') { '3' } else { '2' });
        assert!(decode(&bad).is_err());
        assert!(decode_array::<32>(&good).is_err());
    }
}
