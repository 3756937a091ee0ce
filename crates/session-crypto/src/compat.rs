//! Formats of the Go reference implementation, for interoperability.
//!
//! These are kept byte-for-byte so that Go clients interoperate, but they are
//! weaker than this crate's defaults and should only be used for that:
//!
//! - [`encrypt_to_recipient`] / [`decrypt_from`] (Go `EncryptToRecipient` /
//!   `DecryptFrom`): `kem_ct(1088) ‖ nonce(24) ‖ XChaCha20-Poly1305(key = raw
//!   ML-KEM shared secret, no associated data)`. Anonymous, unauthenticated
//!   as to sender, and not bound to any context. Prefer
//!   [`envelope::seal`](crate::envelope::seal).
//! - [`sign_message`] / [`verify_message`] (Go `SignMessage`):
//!   `signature(3309) ‖ message`, ML-DSA-65 with the empty context.

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::public::{KemCiphertext, PublicIdentity, Signature};
use crate::sizes::{KEM_CIPHERTEXT_LEN, SIGNATURE_LEN};
use crate::symmetric::{self, NONCE_LEN, TAG_LEN};

/// Shortest valid [`encrypt_to_recipient`] output (empty plaintext).
pub const MIN_ENCRYPTED_LEN: usize = KEM_CIPHERTEXT_LEN + NONCE_LEN + TAG_LEN;

/// Encrypts `plaintext` to `recipient` in the reference format:
/// `kem_ct(1088) ‖ nonce(24) ‖ ciphertext ‖ tag(16)`.
///
/// ```
/// use session_crypto::{Identity, compat};
/// let bob = Identity::generate();
/// let c = compat::encrypt_to_recipient(bob.public(), b"hi").unwrap();
/// assert_eq!(&compat::decrypt_from(&bob, &c).unwrap()[..], b"hi");
/// ```
pub fn encrypt_to_recipient(recipient: &PublicIdentity, plaintext: &[u8]) -> Result<Vec<u8>> {
    let (ct, ss) = recipient.encapsulate()?;
    let sealed = symmetric::encrypt(ss.as_bytes(), plaintext);
    let mut out = Vec::with_capacity(KEM_CIPHERTEXT_LEN + sealed.len());
    out.extend_from_slice(ct.as_bytes());
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts [`encrypt_to_recipient`] output addressed to `recipient`.
///
/// Fails with [`Error::DecryptionFailed`] for a wrong recipient or modified
/// data, and [`Error::Truncated`] for input shorter than
/// [`MIN_ENCRYPTED_LEN`].
pub fn decrypt_from(recipient: &Identity, data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if data.len() < MIN_ENCRYPTED_LEN {
        return Err(Error::Truncated {
            what: "compat ciphertext",
            min: MIN_ENCRYPTED_LEN,
            got: data.len(),
        });
    }
    let (ct, rest) = data.split_at(KEM_CIPHERTEXT_LEN);
    let ss = recipient.decapsulate(&KemCiphertext::from_bytes(ct)?)?;
    symmetric::decrypt(ss.as_bytes(), rest)
}

/// Signs `message` in the reference format: `signature(3309) ‖ message`
/// (ML-DSA-65, empty context, hedged).
pub fn sign_message(signer: &Identity, message: &[u8]) -> Vec<u8> {
    let sig = signer.sign(message);
    let mut out = Vec::with_capacity(SIGNATURE_LEN + message.len());
    out.extend_from_slice(sig.as_bytes());
    out.extend_from_slice(message);
    out
}

/// Verifies `signature(3309) ‖ message` and returns the message.
pub fn verify_message<'a>(signer: &PublicIdentity, signed: &'a [u8]) -> Result<&'a [u8]> {
    let (sig, message) = split_signed_message(signed)?;
    signer.verify(message, &sig)?;
    Ok(message)
}

/// Splits `signature(3309) ‖ message` without verifying it.
pub fn split_signed_message(signed: &[u8]) -> Result<(Signature, &[u8])> {
    if signed.len() < SIGNATURE_LEN {
        return Err(Error::Truncated {
            what: "signed message",
            min: SIGNATURE_LEN,
            got: signed.len(),
        });
    }
    let (sig, message) = signed.split_at(SIGNATURE_LEN);
    Ok((Signature::from_bytes(sig)?, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bob() -> Identity {
        Identity::from_seeds(&[5; 64], &[6; 32])
    }

    #[test]
    fn layout() {
        let b = bob();
        let c = encrypt_to_recipient(b.public(), b"abc").unwrap();
        assert_eq!(c.len(), MIN_ENCRYPTED_LEN + 3);
        // The layout is exactly kem_ct ‖ nonce ‖ aead(key = ss).
        let ct = KemCiphertext::from_bytes(&c[..KEM_CIPHERTEXT_LEN]).unwrap();
        let ss = b.decapsulate(&ct).unwrap();
        let pt = symmetric::decrypt(ss.as_bytes(), &c[KEM_CIPHERTEXT_LEN..]).unwrap();
        assert_eq!(&pt[..], b"abc");

        let s = sign_message(&b, b"msg");
        assert_eq!(s.len(), SIGNATURE_LEN + 3);
        assert_eq!(&s[SIGNATURE_LEN..], b"msg");
        b.public()
            .verify(b"msg", &Signature::from_bytes(&s[..SIGNATURE_LEN]).unwrap())
            .unwrap();
    }
}
