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

/// Largest payload [`decode`] accepts, in bytes.
///
/// Base58 decoding is quadratic in the input length (about 0.1 s for 16 KiB
/// here), so hostile text is bounded before any work: at this limit a decode
/// costs under a millisecond. CB58 is for IDs and other short values; use
/// hex for bulk data, or [`decode_with_limit`] where a larger bound is needed.
pub const MAX_PAYLOAD_LEN: usize = 1024;

/// Largest CB58 text [`decode`] accepts, in characters.
pub const MAX_TEXT_LEN: usize = max_text_len(MAX_PAYLOAD_LEN);

/// The longest CB58 text a payload of `payload_len` bytes can need: each
/// base58 character carries log2(58) ≈ 5.86 bits, so `n` bytes need at most
/// `⌈n·8 / 5.86⌉ ≤ n·138/100 + 1` characters.
pub const fn max_text_len(payload_len: usize) -> usize {
    payload_len.saturating_add(CHECKSUM_LEN).saturating_mul(138) / 100 + 1
}

fn checksum(bytes: &[u8]) -> [u8; CHECKSUM_LEN] {
    let digest = Sha256::digest(bytes);
    let mut out = [0u8; CHECKSUM_LEN];
    out.copy_from_slice(&digest[32 - CHECKSUM_LEN..]);
    out
}

/// Encodes `bytes` as CB58. Encoding is total: payloads longer than
/// [`MAX_PAYLOAD_LEN`] are encoded too, and [`decode_with_limit`] reads them.
pub fn encode(bytes: &[u8]) -> String {
    let mut buf = Vec::with_capacity(bytes.len() + CHECKSUM_LEN);
    buf.extend_from_slice(bytes);
    buf.extend_from_slice(&checksum(bytes));
    base58(&buf)
}

/// The Bitcoin base58 alphabet.
const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// 58⁵: five base58 digits per limb (< 2³⁰).
const LIMB: u64 = 58 * 58 * 58 * 58 * 58;

/// Base58 (Bitcoin alphabet) of `input`, as the `bs58` crate writes it.
///
/// Same schoolbook conversion, but 32 input bits at a time into limbs of
/// five base58 digits (`u64` arithmetic, divisions by a constant) instead of
/// one byte into one digit: ~25× fewer steps. IDs are encoded on every read
/// (GetMessages writes one per message).
fn base58(input: &[u8]) -> String {
    let zeros = input.iter().take_while(|&&b| b == 0).count();
    let rest = &input[zeros..];
    // Little-endian limbs of the value of `rest`, each < LIMB.
    let mut limbs: Vec<u32> = Vec::with_capacity(rest.len() * 138 / 500 + 2);
    let mut feed = |value: u64, bits: u32| {
        let mut carry = value;
        for limb in limbs.iter_mut() {
            // limb < 2^30, so limb << 32 plus a carry below 2^33 fits.
            let acc = (u64::from(*limb) << bits) + carry;
            *limb = (acc % LIMB) as u32;
            carry = acc / LIMB;
        }
        while carry > 0 {
            limbs.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
    };
    let (head, words) = rest.split_at(rest.len() % 4);
    if !head.is_empty() {
        let value = head.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b));
        feed(value, 8 * head.len() as u32);
    }
    for word in words.chunks_exact(4) {
        let value = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        feed(u64::from(value), 32);
    }
    // Digits, least significant first; then drop the high zero digits.
    let mut digits: Vec<u8> = Vec::with_capacity(limbs.len() * 5);
    for &limb in &limbs {
        let mut l = limb;
        for _ in 0..5 {
            digits.push((l % 58) as u8);
            l /= 58;
        }
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(std::iter::repeat_n('1', zeros));
    out.extend(
        digits
            .iter()
            .rev()
            .map(|&d| char::from(ALPHABET[usize::from(d)])),
    );
    out
}

/// Decodes CB58 text of a payload of at most [`MAX_PAYLOAD_LEN`] bytes,
/// verifying its checksum.
pub fn decode(text: &str) -> Result<Vec<u8>> {
    decode_with_limit(text, MAX_PAYLOAD_LEN)
}

/// Decodes CB58 text of a payload of at most `max_payload` bytes, verifying
/// its checksum. The text length is checked before any decoding work.
pub fn decode_with_limit(text: &str, max_payload: usize) -> Result<Vec<u8>> {
    if text.len() > max_text_len(max_payload) {
        return Err(Error::InvalidCb58("text too long"));
    }
    let raw = bs58::decode(text)
        .into_vec()
        .map_err(|_| Error::InvalidCb58("not base58"))?;
    if raw.len() < CHECKSUM_LEN {
        return Err(Error::InvalidCb58("shorter than checksum"));
    }
    if raw.len() - CHECKSUM_LEN > max_payload {
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
    let payload = decode_with_limit(text, N)?;
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
    fn base58_matches_the_bs58_crate() {
        let cases: [&[u8]; 8] = [
            &[],
            &[0],
            &[0, 0, 0],
            &[0, 0, 1],
            &[57],
            &[58],
            &[0xff; 36],
            &[0, 0xff, 0, 0xff, 0x12],
        ];
        for case in cases {
            assert_eq!(base58(case), bs58::encode(case).into_string(), "{case:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn prop_base58_matches_the_bs58_crate(
            zeros in 0usize..4,
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
        ) {
            let mut input = vec![0u8; zeros];
            input.extend(bytes);
            proptest::prop_assert_eq!(base58(&input), bs58::encode(&input).into_string());
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
        // Longer payloads need an explicit limit.
        let big = encode(&[7u8; MAX_PAYLOAD_LEN + 1]);
        assert!(decode(&big).is_err());
        assert_eq!(
            decode_with_limit(&big, MAX_PAYLOAD_LEN + 1).unwrap().len(),
            MAX_PAYLOAD_LEN + 1
        );
        assert_eq!(
            decode(&encode(&[0xff; MAX_PAYLOAD_LEN])).unwrap().len(),
            MAX_PAYLOAD_LEN
        );
        assert!(max_text_len(32) >= encode(&[0xff; 32]).len());
    }
}
