//! Sealed envelopes, version 2: the default way to send a message to a
//! post-quantum identity. The full specification is `docs/envelope.md`.
//!
//! ```text
//! envelope = header ‖ AEAD(key, nonce, inner, ad = header)
//! header   = 0x02 ‖ kem_ct(1088) ‖ recipient_id(32)
//! inner    = sender_id(32) ‖ signature(3309) ‖ len(u32 BE) ‖ plaintext ‖ zero padding
//! ```
//!
//! The AEAD key and nonce come from HKDF-SHA256 over the ML-KEM shared
//! secret, bound to the recipient ID, the KEM ciphertext and the context. The
//! sender's ML-DSA-65 signature covers the context, both IDs, the KEM
//! ciphertext and the plaintext, and travels *inside* the encryption:
//! observers see only the recipient, while the recipient learns and can
//! prove who sent the message and that it was sent to them.
//!
//! ```
//! use session_crypto::{Identity, envelope};
//! let alice = Identity::generate();
//! let bob = Identity::generate();
//! let sealed = envelope::seal(&alice, bob.public(), b"session-42", b"hi bob")?;
//! let opened = envelope::open(&bob, b"session-42", &sealed, |id| {
//!     (*id == alice.id()).then(|| alice.public().clone())
//! })?;
//! assert_eq!(opened.sender, alice.id());
//! assert_eq!(&opened.plaintext[..], b"hi bob");
//! # Ok::<(), session_crypto::Error>(())
//! ```

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::hash::blake2b_256;
use crate::id::IdentityId;
use crate::identity::{Identity, SharedSecret};
use crate::public::{KemCiphertext, PublicIdentity, Signature};
use crate::sizes::{IDENTITY_ID_LEN, KEM_CIPHERTEXT_LEN, SHARED_SECRET_LEN, SIGNATURE_LEN};
use crate::symmetric::{self, KEY_LEN, NONCE_LEN, TAG_LEN};

pub use crate::envelope_many::{
    ENTRY_LEN, MANY_LABEL, MANY_VERSION, MAX_RECIPIENTS, OpenedMany, open_many, recipients_of,
    seal_many, seal_many_deterministic,
};

/// The version byte of this format.
pub const VERSION: u8 = 0x02;
/// Length of the clear header: version ‖ kem_ct ‖ recipient_id.
pub const HEADER_LEN: usize = 1 + KEM_CIPHERTEXT_LEN + IDENTITY_ID_LEN;
/// Smallest padded body (the first size bucket).
pub const MIN_BUCKET: usize = 256;
/// Buckets grow by doubling up to this size, then in steps of it.
pub const LARGE_BUCKET_STEP: usize = 64 * 1024;
/// Largest plaintext [`seal`] accepts (64 MiB).
pub const MAX_PLAINTEXT_LEN: usize = 64 * 1024 * 1024;
/// Shortest possible envelope (empty plaintext).
pub const MIN_ENVELOPE_LEN: usize = HEADER_LEN + INNER_FIXED_LEN + MIN_BUCKET + TAG_LEN;

/// ML-DSA context string of envelope signatures, and the HKDF salt.
pub const LABEL: &[u8] = b"lux-session/envelope/v2";
const KDF_INFO_LABEL: &[u8] = b"lux-session/envelope/v2/aead";
const SIG_LABEL: &[u8] = b"lux-session/envelope/v2/sig";
pub(crate) const INNER_FIXED_LEN: usize = IDENTITY_ID_LEN + SIGNATURE_LEN;
const LEN_FIELD: usize = 4;
/// Length of the signed statement (see [`statement`]).
const STATEMENT_LEN: usize = SIG_LABEL.len() + 1 + 5 * 32;

/// A successfully opened envelope.
#[derive(Debug)]
#[non_exhaustive]
pub struct Opened {
    /// The sender, whose signature has been verified.
    pub sender: IdentityId,
    /// The message.
    pub plaintext: Zeroizing<Vec<u8>>,
    /// Evidence a third party can check with [`verify_proof`] to confirm
    /// that `sender` sent `plaintext` to this recipient in this context.
    pub proof: SenderProof,
}

/// The sender's signature and the KEM-ciphertext hash it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenderProof {
    /// Blake2b-256 of the envelope's KEM ciphertext.
    pub kem_ct_hash: [u8; 32],
    /// The sender's ML-DSA-65 signature over the statement.
    pub signature: Signature,
}

/// The padded body size for a plaintext of `len` bytes: `4 + len` rounded up
/// to a power of two (at least 256) up to 64 KiB, then to a multiple of
/// 64 KiB.
pub fn padded_len(len: usize) -> usize {
    let n = LEN_FIELD.saturating_add(len);
    if n <= LARGE_BUCKET_STEP {
        n.next_power_of_two().max(MIN_BUCKET)
    } else {
        n.div_ceil(LARGE_BUCKET_STEP)
            .saturating_mul(LARGE_BUCKET_STEP)
    }
}

/// Whether `n` is one of the bucket sizes [`padded_len`] produces.
pub(crate) fn is_bucket(n: usize) -> bool {
    if n <= LARGE_BUCKET_STEP {
        n >= MIN_BUCKET && n.is_power_of_two()
    } else {
        n.is_multiple_of(LARGE_BUCKET_STEP)
    }
}

/// Seals `plaintext` from `sender` to `recipient`, bound to `context` (for
/// example a session ID; may be empty). Fresh randomness for the KEM and a
/// hedged signature.
pub fn seal(
    sender: &Identity,
    recipient: &PublicIdentity,
    context: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let (ct, ss) = recipient.encapsulate()?;
    seal_inner(sender, recipient, context, plaintext, &ct, &ss, |s, m| {
        s.sign_with_context(m, LABEL)
    })
}

/// Seals deterministically: `kem_randomness` is the ML-KEM encapsulation
/// randomness and the signature is FIPS 204 deterministic. **Only for test
/// vectors** — reusing `kem_randomness` for a recipient reuses the key.
pub fn seal_deterministic(
    sender: &Identity,
    recipient: &PublicIdentity,
    context: &[u8],
    plaintext: &[u8],
    kem_randomness: &[u8; SHARED_SECRET_LEN],
) -> Result<Vec<u8>> {
    let (ct, ss) = recipient.encapsulate_derand(kem_randomness);
    seal_inner(sender, recipient, context, plaintext, &ct, &ss, |s, m| {
        s.sign_deterministic(m, LABEL)
    })
}

fn seal_inner(
    sender: &Identity,
    recipient: &PublicIdentity,
    context: &[u8],
    plaintext: &[u8],
    ct: &KemCiphertext,
    ss: &SharedSecret,
    sign: impl FnOnce(&Identity, &[u8]) -> Result<Signature>,
) -> Result<Vec<u8>> {
    if plaintext.len() > MAX_PLAINTEXT_LEN {
        return Err(Error::TooLarge {
            max: MAX_PLAINTEXT_LEN,
        });
    }
    let recipient_id = recipient.id();
    let ct_hash = blake2b_256(ct.as_bytes());
    let ctx_hash = blake2b_256(context);
    let stmt = statement(
        &ctx_hash,
        &sender.id(),
        &recipient_id,
        &ct_hash,
        &blake2b_256(plaintext),
    );
    let sig = sign(sender, &stmt)?;

    let header = header(ct, &recipient_id);
    let inner = build_inner(&sender.id(), &sig, plaintext);

    let (mut key, mut nonce) = derive_key(ss, &recipient_id, &ct_hash, &ctx_hash);
    let body = symmetric::seal_raw(&key, &nonce, &inner, &header);
    key.zeroize();
    nonce.zeroize();

    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&body);
    Ok(out)
}

/// The recipient ID in an envelope's clear header, without decrypting it
/// (for routing). Checks the version and minimum length.
pub fn recipient_of(envelope: &[u8]) -> Result<IdentityId> {
    check_outer(envelope)?;
    IdentityId::from_slice(&envelope[1 + KEM_CIPHERTEXT_LEN..HEADER_LEN])
}

fn check_outer(envelope: &[u8]) -> Result<()> {
    match envelope.first() {
        None => {
            return Err(Error::Truncated {
                what: "envelope",
                min: MIN_ENVELOPE_LEN,
                got: 0,
            });
        }
        Some(&v) if v != VERSION => {
            return Err(Error::UnsupportedVersion {
                what: "envelope",
                version: v,
            });
        }
        Some(_) => {}
    }
    if envelope.len() < MIN_ENVELOPE_LEN {
        return Err(Error::Truncated {
            what: "envelope",
            min: MIN_ENVELOPE_LEN,
            got: envelope.len(),
        });
    }
    if !is_bucket(envelope.len() - HEADER_LEN - TAG_LEN - INNER_FIXED_LEN) {
        return Err(Error::Malformed("envelope length"));
    }
    Ok(())
}

/// Opens an envelope addressed to `recipient`, bound to `context`.
///
/// `sender_key` is called once with the sender's ID (known only after
/// decryption) and must return that identity's public key, or `None` if the
/// sender is unknown ([`Error::UnknownSender`]).
///
/// Errors: [`Error::UnsupportedVersion`], [`Error::Truncated`] or
/// [`Error::Malformed`] for bad framing; [`Error::WrongRecipient`] if the
/// envelope names another recipient; [`Error::DecryptionFailed`] if it was
/// modified or sealed under another context; [`Error::BadSignature`] if the
/// sender's signature does not verify.
pub fn open(
    recipient: &Identity,
    context: &[u8],
    envelope: &[u8],
    sender_key: impl FnOnce(&IdentityId) -> Option<PublicIdentity>,
) -> Result<Opened> {
    check_outer(envelope)?;
    let (header, body) = envelope.split_at(HEADER_LEN);
    let recipient_id = recipient.id();
    if header[1 + KEM_CIPHERTEXT_LEN..] != recipient_id.as_bytes()[..] {
        return Err(Error::WrongRecipient);
    }
    let ct = KemCiphertext::from_bytes(&header[1..1 + KEM_CIPHERTEXT_LEN])?;
    let ss = recipient.decapsulate(&ct)?;
    let ct_hash = blake2b_256(ct.as_bytes());
    let ctx_hash = blake2b_256(context);

    let (mut key, mut nonce) = derive_key(&ss, &recipient_id, &ct_hash, &ctx_hash);
    let inner = symmetric::open_raw(&key, &nonce, body, header);
    key.zeroize();
    nonce.zeroize();
    let inner = inner?;

    let (sender, signature, plaintext) = parse_inner(&inner)?;

    let sender_public = match sender_key(&sender) {
        Some(p) if p.id() == sender => p,
        _ => return Err(Error::UnknownSender(sender.to_string())),
    };
    let stmt = statement(
        &ctx_hash,
        &sender,
        &recipient_id,
        &ct_hash,
        &blake2b_256(&plaintext),
    );
    sender_public.verify_with_context(&stmt, LABEL, &signature)?;
    Ok(Opened {
        sender,
        plaintext,
        proof: SenderProof {
            kem_ct_hash: ct_hash,
            signature,
        },
    })
}

/// Checks an [`Opened::proof`]: that `sender` signed `plaintext` for
/// `recipient` under `context`. Lets a recipient show a third party who sent
/// a message without revealing any secret key.
pub fn verify_proof(
    sender: &PublicIdentity,
    recipient: &IdentityId,
    context: &[u8],
    plaintext: &[u8],
    proof: &SenderProof,
) -> Result<()> {
    let stmt = statement(
        &blake2b_256(context),
        &sender.id(),
        recipient,
        &proof.kem_ct_hash,
        &blake2b_256(plaintext),
    );
    sender.verify_with_context(&stmt, LABEL, &proof.signature)
}

/// `sender_id ‖ signature ‖ u32be(len) ‖ plaintext ‖ zero padding to the bucket`.
pub(crate) fn build_inner(
    sender: &IdentityId,
    sig: &Signature,
    plaintext: &[u8],
) -> Zeroizing<Vec<u8>> {
    let padded = padded_len(plaintext.len());
    let len_field =
        u32::try_from(plaintext.len()).expect("MAX_PLAINTEXT_LEN fits in a u32 length field");
    let mut inner = Zeroizing::new(Vec::with_capacity(INNER_FIXED_LEN + padded + TAG_LEN));
    inner.extend_from_slice(sender.as_bytes());
    inner.extend_from_slice(sig.as_bytes());
    inner.extend_from_slice(&len_field.to_be_bytes());
    inner.extend_from_slice(plaintext);
    inner.resize(INNER_FIXED_LEN + padded, 0);
    inner
}

/// Splits an authenticated inner payload, checking length field and padding.
pub(crate) fn parse_inner(inner: &[u8]) -> Result<(IdentityId, Signature, Zeroizing<Vec<u8>>)> {
    if inner.len() < INNER_FIXED_LEN + LEN_FIELD {
        return Err(Error::Malformed("envelope payload"));
    }
    let (sender_bytes, rest) = inner.split_at(IDENTITY_ID_LEN);
    let (sig_bytes, padded) = rest.split_at(SIGNATURE_LEN);
    let (len_bytes, content) = padded.split_at(LEN_FIELD);
    let len = u32::from_be_bytes(len_bytes.try_into().expect("split at 4 bytes")) as usize;
    if len > content.len()
        || padded_len(len) != padded.len()
        || content[len..].iter().any(|&b| b != 0)
    {
        return Err(Error::Malformed("envelope padding"));
    }
    Ok((
        IdentityId::from_slice(sender_bytes)?,
        Signature::from_bytes(sig_bytes)?,
        Zeroizing::new(content[..len].to_vec()),
    ))
}

fn header(ct: &KemCiphertext, recipient: &IdentityId) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[0] = VERSION;
    h[1..1 + KEM_CIPHERTEXT_LEN].copy_from_slice(ct.as_bytes());
    h[1 + KEM_CIPHERTEXT_LEN..].copy_from_slice(recipient.as_bytes());
    h
}

/// `SIG_LABEL ‖ version ‖ H(context) ‖ sender ‖ recipient ‖ H(kem_ct) ‖ H(plaintext)`.
fn statement(
    ctx_hash: &[u8; 32],
    sender: &IdentityId,
    recipient: &IdentityId,
    ct_hash: &[u8; 32],
    pt_hash: &[u8; 32],
) -> [u8; STATEMENT_LEN] {
    let mut s = [0u8; STATEMENT_LEN];
    let mut w = Writer(&mut s, 0);
    w.put(SIG_LABEL);
    w.put(&[VERSION]);
    w.put(ctx_hash);
    w.put(sender.as_bytes());
    w.put(recipient.as_bytes());
    w.put(ct_hash);
    w.put(pt_hash);
    debug_assert_eq!(w.1, STATEMENT_LEN);
    s
}

/// HKDF-SHA256(salt = LABEL, ikm = ss, info = KDF_INFO_LABEL ‖ version ‖
/// recipient ‖ H(kem_ct) ‖ H(context)) → key(32) ‖ nonce(24).
fn derive_key(
    ss: &SharedSecret,
    recipient: &IdentityId,
    ct_hash: &[u8; 32],
    ctx_hash: &[u8; 32],
) -> ([u8; KEY_LEN], [u8; NONCE_LEN]) {
    let mut info = [0u8; KDF_INFO_LABEL.len() + 1 + 3 * 32];
    let mut w = Writer(&mut info, 0);
    w.put(KDF_INFO_LABEL);
    w.put(&[VERSION]);
    w.put(recipient.as_bytes());
    w.put(ct_hash);
    w.put(ctx_hash);
    let mut okm = Zeroizing::new([0u8; KEY_LEN + NONCE_LEN]);
    Hkdf::<Sha256>::new(Some(LABEL), ss.as_bytes())
        .expand(&info, &mut okm[..])
        .expect("56 bytes is far below HKDF-SHA256's 8160-byte limit");
    let mut key = [0u8; KEY_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    key.copy_from_slice(&okm[..KEY_LEN]);
    nonce.copy_from_slice(&okm[KEY_LEN..]);
    (key, nonce)
}

/// Appends into a fixed buffer whose size the caller computed.
pub(crate) struct Writer<'a>(pub(crate) &'a mut [u8], pub(crate) usize);

impl Writer<'_> {
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        self.0[self.1..self.1 + bytes.len()].copy_from_slice(bytes);
        self.1 += bytes.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets() {
        assert_eq!(padded_len(0), 256);
        assert_eq!(padded_len(252), 256);
        assert_eq!(padded_len(253), 512);
        assert_eq!(padded_len(1024), 2048);
        assert_eq!(padded_len(65532), 65536);
        assert_eq!(padded_len(65533), 131072);
        assert_eq!(padded_len(200_000), 262_144);
        for n in [0, 1, 100, 1000, 70_000, MAX_PLAINTEXT_LEN] {
            assert!(is_bucket(padded_len(n)));
            assert!(padded_len(n) >= n + 4);
        }
        assert!(!is_bucket(255) && !is_bucket(384) && !is_bucket(65536 + 256));
        // Never overflows, even for absurd lengths.
        let _ = padded_len(usize::MAX);
    }

    /// A dishonest recipient (Bob) re-wraps Alice's signed inner payload to
    /// Carol. Carol must not accept it as a message from Alice.
    #[test]
    fn forwarded_signature_is_rejected() {
        let alice = Identity::from_seeds(&[1; 64], &[2; 32]);
        let bob = Identity::from_seeds(&[3; 64], &[4; 32]);
        let carol = Identity::from_seeds(&[5; 64], &[6; 32]);
        let sealed = seal(&alice, bob.public(), b"ctx", b"for bob only").unwrap();
        let opened = open(&bob, b"ctx", &sealed, |_| Some(alice.public().clone())).unwrap();

        // Bob builds a well-formed envelope to Carol carrying Alice's signature.
        let (ct, ss) = carol.public().encapsulate().unwrap();
        let ct_hash = blake2b_256(ct.as_bytes());
        let ctx_hash = blake2b_256(b"ctx");
        let hdr = header(&ct, &carol.id());
        let mut inner = Vec::new();
        inner.extend_from_slice(alice.id().as_bytes());
        inner.extend_from_slice(opened.proof.signature.as_bytes());
        inner.extend_from_slice(&12u32.to_be_bytes());
        inner.extend_from_slice(b"for bob only");
        inner.resize(INNER_FIXED_LEN + MIN_BUCKET, 0);
        let (key, nonce) = derive_key(&ss, &carol.id(), &ct_hash, &ctx_hash);
        let mut forged = hdr.to_vec();
        forged.extend_from_slice(&symmetric::seal_raw(&key, &nonce, &inner, &hdr));

        let err = open(&carol, b"ctx", &forged, |_| Some(alice.public().clone())).unwrap_err();
        assert!(matches!(err, Error::BadSignature), "{err}");
        // And the proof Bob holds only names Bob as the recipient.
        verify_proof(
            alice.public(),
            &bob.id(),
            b"ctx",
            b"for bob only",
            &opened.proof,
        )
        .unwrap();
        assert!(
            verify_proof(
                alice.public(),
                &carol.id(),
                b"ctx",
                b"for bob only",
                &opened.proof
            )
            .is_err()
        );
    }

    /// Non-zero padding or a length field pointing past the bucket is
    /// rejected even when the AEAD tag is valid.
    #[test]
    fn bad_padding_is_rejected() {
        let alice = Identity::from_seeds(&[1; 64], &[2; 32]);
        let bob = Identity::from_seeds(&[3; 64], &[4; 32]);
        for (len, last) in [(5u32, 1u8), (300, 0), (u32::MAX, 0)] {
            let (ct, ss) = bob.public().encapsulate().unwrap();
            let hdr = header(&ct, &bob.id());
            let mut inner = vec![0u8; INNER_FIXED_LEN + MIN_BUCKET];
            inner[INNER_FIXED_LEN..INNER_FIXED_LEN + 4].copy_from_slice(&len.to_be_bytes());
            *inner.last_mut().unwrap() = last;
            let (key, nonce) = derive_key(
                &ss,
                &bob.id(),
                &blake2b_256(ct.as_bytes()),
                &blake2b_256(b""),
            );
            let mut env = hdr.to_vec();
            env.extend_from_slice(&symmetric::seal_raw(&key, &nonce, &inner, &hdr));
            let err = open(&bob, b"", &env, |_| Some(alice.public().clone())).unwrap_err();
            assert!(matches!(err, Error::Malformed(_)), "{err}");
        }
    }

    #[test]
    fn statement_layout() {
        let s = statement(
            &[1; 32],
            &IdentityId([2; 32]),
            &IdentityId([3; 32]),
            &[4; 32],
            &[5; 32],
        );
        assert_eq!(&s[..SIG_LABEL.len()], SIG_LABEL);
        assert_eq!(s[SIG_LABEL.len()], VERSION);
        assert_eq!(s[STATEMENT_LEN - 1], 5);
    }
}
