//! Hashing: Blake2b-256 and the small helpers the formats share.

use blake2::Blake2b;
use blake2::digest::Digest;
use blake2::digest::consts::U32;

/// Blake2b with a 32-byte output (RFC 7693, unkeyed).
pub(crate) type Blake2b256 = Blake2b<U32>;

/// Blake2b-256 of `data` (RFC 7693, unkeyed, 32-byte output).
///
/// ```
/// let h = session_crypto::blake2b_256(b"abc");
/// assert_eq!(hex::encode(h), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
/// ```
pub fn blake2b_256(data: &[u8]) -> [u8; 32] {
    Blake2b256::digest(data).into()
}

/// Blake2b-256 over the concatenation of `parts`, without allocating it.
pub fn blake2b_256_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Blake2b256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_vector() {
        // Blake2b-256("") from RFC 7693's reference implementation.
        assert_eq!(
            hex::encode(blake2b_256(b"")),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
        );
    }

    #[test]
    fn parts_equal_concatenation() {
        assert_eq!(blake2b_256_parts(&[b"ab", b"", b"c"]), blake2b_256(b"abc"));
    }
}
