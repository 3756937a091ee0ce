//! Symmetric authenticated encryption: XChaCha20-Poly1305 with a random
//! 24-byte nonce, encoded `nonce(24) ‖ ciphertext ‖ tag(16)`.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::random;

/// XChaCha20-Poly1305 key length.
pub const KEY_LEN: usize = 32;
/// XChaCha20-Poly1305 nonce length.
pub const NONCE_LEN: usize = 24;
/// Poly1305 tag length.
pub const TAG_LEN: usize = 16;
/// Bytes [`encrypt`] adds to a plaintext.
pub const OVERHEAD: usize = NONCE_LEN + TAG_LEN;

/// Encrypts `plaintext` under `key` with a fresh random nonce and no
/// associated data. Output: `nonce(24) ‖ ciphertext ‖ tag(16)`.
///
/// ```
/// use session_crypto::symmetric;
/// let key = [7u8; 32];
/// let sealed = symmetric::encrypt(&key, b"hi");
/// assert_eq!(sealed.len(), 2 + symmetric::OVERHEAD);
/// assert_eq!(&symmetric::decrypt(&key, &sealed).unwrap()[..], b"hi");
/// ```
pub fn encrypt(key: &[u8; KEY_LEN], plaintext: &[u8]) -> Vec<u8> {
    encrypt_with_ad(key, plaintext, &[])
}

/// Like [`encrypt`], authenticating `ad` as associated data.
pub fn encrypt_with_ad(key: &[u8; KEY_LEN], plaintext: &[u8], ad: &[u8]) -> Vec<u8> {
    let nonce = random::array::<NONCE_LEN>();
    let mut out = Vec::with_capacity(OVERHEAD + plaintext.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&seal_raw(key, &nonce, plaintext, ad));
    out
}

/// Decrypts `nonce(24) ‖ ciphertext ‖ tag(16)` produced by [`encrypt`].
pub fn decrypt(key: &[u8; KEY_LEN], data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    decrypt_with_ad(key, data, &[])
}

/// Decrypts data produced by [`encrypt_with_ad`] with the same `ad`.
pub fn decrypt_with_ad(key: &[u8; KEY_LEN], data: &[u8], ad: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if data.len() < OVERHEAD {
        return Err(Error::Truncated {
            what: "symmetric ciphertext",
            min: OVERHEAD,
            got: data.len(),
        });
    }
    let (nonce, ct) = data.split_at(NONCE_LEN);
    let nonce: &[u8; NONCE_LEN] = nonce.try_into().expect("split at the nonce length");
    open_raw(key, nonce, ct, ad)
}

/// XChaCha20-Poly1305 with an explicit nonce: `ciphertext ‖ tag`.
pub(crate) fn seal_raw(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    plaintext: &[u8],
    ad: &[u8],
) -> Vec<u8> {
    XChaCha20Poly1305::new(key.into())
        .encrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad: ad,
            },
        )
        .expect("XChaCha20-Poly1305 encrypts any input shorter than 256 GiB")
}

/// Opens `ciphertext ‖ tag` under an explicit nonce.
pub(crate) fn open_raw(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    ciphertext: &[u8],
    ad: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: ad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| Error::DecryptionFailed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_ad() {
        let key = [1u8; 32];
        let c = encrypt_with_ad(&key, b"payload", b"header");
        assert_eq!(
            &decrypt_with_ad(&key, &c, b"header").unwrap()[..],
            b"payload"
        );
        assert!(matches!(
            decrypt_with_ad(&key, &c, b"headex"),
            Err(Error::DecryptionFailed)
        ));
        assert!(decrypt(&key, &c).is_err());
    }

    #[test]
    fn nonces_are_fresh() {
        let key = [2u8; 32];
        assert_ne!(
            encrypt(&key, b"x")[..NONCE_LEN],
            encrypt(&key, b"x")[..NONCE_LEN]
        );
    }

    #[test]
    fn rejects_tampering_truncation_and_wrong_key() {
        let key = [3u8; 32];
        let c = encrypt(&key, b"secret message");
        for i in 0..c.len() {
            let mut t = c.clone();
            t[i] ^= 0x01;
            assert!(matches!(decrypt(&key, &t), Err(Error::DecryptionFailed)));
        }
        for len in 0..c.len() {
            assert!(decrypt(&key, &c[..len]).is_err());
        }
        assert!(matches!(
            decrypt(&key, &c[..10]),
            Err(Error::Truncated { .. })
        ));
        assert!(decrypt(&[4u8; 32], &c).is_err());
        // The empty plaintext is fine.
        let e = encrypt(&key, b"");
        assert_eq!(e.len(), OVERHEAD);
        assert!(decrypt(&key, &e).unwrap().is_empty());
    }

    #[test]
    fn known_answer() {
        // draft-irtf-cfrg-xchacha-03 §A.3.1 test vector.
        let key: [u8; 32] =
            hex::decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
                .unwrap()
                .try_into()
                .unwrap();
        let nonce: [u8; 24] = hex::decode("404142434445464748494a4b4c4d4e4f5051525354555657")
            .unwrap()
            .try_into()
            .unwrap();
        let ad = hex::decode("50515253c0c1c2c3c4c5c6c7").unwrap();
        let pt = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
        let ct = seal_raw(&key, &nonce, pt, &ad);
        assert_eq!(
            hex::encode(&ct[ct.len() - 16..]),
            "c0875924c1c7987947deafd8780acf49"
        );
        assert_eq!(hex::encode(&ct[..8]), "bd6d179d3e83d43b");
    }
}
