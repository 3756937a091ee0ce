//! Multi-recipient sealed envelopes (version 3): one message, one signature,
//! one encryption of the body, and a content key wrapped once per recipient.
//! Specified in `docs/envelope.md`.
//!
//! ```text
//! envelope = header ‖ AEAD(body_key, body_nonce, inner, ad = header)
//! header   = 0x03 ‖ u16be(n) ‖ entry₁ ‖ … ‖ entryₙ
//! entry    = recipient_id(32) ‖ kem_ct(1088) ‖ AEAD(wrap_key, wrap_nonce, content_key(32))(48)
//! inner    = sender_id(32) ‖ signature(3309) ‖ u32be(len) ‖ plaintext ‖ zero padding
//! ```

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::envelope::{
    INNER_FIXED_LEN, MAX_PLAINTEXT_LEN, MIN_BUCKET, Writer, build_inner, is_bucket, parse_inner,
};
use crate::error::{Error, Result};
use crate::hash::{Blake2b256, blake2b_256};
use crate::id::IdentityId;
use crate::identity::{Identity, SharedSecret};
use crate::public::{KemCiphertext, PublicIdentity, Signature};
use crate::random;
use crate::sizes::{IDENTITY_ID_LEN, KEM_CIPHERTEXT_LEN, SHARED_SECRET_LEN};
use crate::symmetric::{self, KEY_LEN, NONCE_LEN, TAG_LEN};

/// Version byte of multi-recipient envelopes.
pub const MANY_VERSION: u8 = 0x03;
/// Most recipients one envelope may carry.
pub const MAX_RECIPIENTS: usize = 1024;
/// Length of one recipient entry in the header.
pub const ENTRY_LEN: usize = IDENTITY_ID_LEN + KEM_CIPHERTEXT_LEN + KEY_LEN + TAG_LEN;
/// ML-DSA context string of multi-recipient signatures, and the HKDF salt.
pub const MANY_LABEL: &[u8] = b"lux-session/envelope/v3";
const WRAP_LABEL: &[u8] = b"lux-session/envelope/v3/wrap";
const BODY_LABEL: &[u8] = b"lux-session/envelope/v3/body";
const SIG_LABEL: &[u8] = b"lux-session/envelope/v3/sig";
const PREFIX_LEN: usize = 3;
const STATEMENT_LEN: usize = SIG_LABEL.len() + 1 + 5 * 32;

/// A successfully opened multi-recipient envelope.
#[derive(Debug)]
#[non_exhaustive]
pub struct OpenedMany {
    /// The sender, whose signature has been verified.
    pub sender: IdentityId,
    /// The message.
    pub plaintext: Zeroizing<Vec<u8>>,
    /// Every recipient, in the sender's order (the sender signed this list).
    pub recipients: Vec<IdentityId>,
}

/// Seals `plaintext` from `sender` to every identity in `recipients` (1 to
/// [`MAX_RECIPIENTS`], no duplicates), bound to `context`. One signature
/// covers the whole recipient list.
pub fn seal_many(
    sender: &Identity,
    recipients: &[PublicIdentity],
    context: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let mut encaps = Vec::with_capacity(recipients.len());
    for r in recipients {
        encaps.push(r.encapsulate()?);
    }
    let mut content_key = Zeroizing::new(random::array::<KEY_LEN>());
    let out = seal_many_inner(
        sender,
        recipients,
        context,
        plaintext,
        &encaps,
        &content_key,
        |s, m| s.sign_with_context(m, MANY_LABEL),
    );
    content_key.zeroize();
    out
}

/// Seals deterministically from the given per-recipient KEM randomness and
/// content key, with a deterministic signature. **Only for test vectors.**
pub fn seal_many_deterministic(
    sender: &Identity,
    recipients: &[PublicIdentity],
    context: &[u8],
    plaintext: &[u8],
    kem_randomness: &[[u8; SHARED_SECRET_LEN]],
    content_key: &[u8; KEY_LEN],
) -> Result<Vec<u8>> {
    if kem_randomness.len() != recipients.len() {
        return Err(Error::length(
            "KEM randomness list",
            recipients.len(),
            kem_randomness.len(),
        ));
    }
    let encaps: Vec<_> = recipients
        .iter()
        .zip(kem_randomness)
        .map(|(r, m)| r.encapsulate_derand(m))
        .collect();
    seal_many_inner(
        sender,
        recipients,
        context,
        plaintext,
        &encaps,
        content_key,
        |s, m| s.sign_deterministic(m, MANY_LABEL),
    )
}

fn seal_many_inner(
    sender: &Identity,
    recipients: &[PublicIdentity],
    context: &[u8],
    plaintext: &[u8],
    encaps: &[(KemCiphertext, SharedSecret)],
    content_key: &[u8; KEY_LEN],
    sign: impl FnOnce(&Identity, &[u8]) -> Result<Signature>,
) -> Result<Vec<u8>> {
    if recipients.is_empty() || recipients.len() > MAX_RECIPIENTS {
        return Err(Error::Malformed("recipient list (1 to 1024 recipients)"));
    }
    if plaintext.len() > MAX_PLAINTEXT_LEN {
        return Err(Error::TooLarge {
            max: MAX_PLAINTEXT_LEN,
        });
    }
    let ids: Vec<IdentityId> = recipients.iter().map(PublicIdentity::id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::Malformed("recipient list (duplicate recipient)"));
    }
    let ctx_hash = blake2b_256(context);
    let count = u16::try_from(ids.len()).expect("at most MAX_RECIPIENTS");

    let mut header = Vec::with_capacity(PREFIX_LEN + ids.len() * ENTRY_LEN);
    header.push(MANY_VERSION);
    header.extend_from_slice(&count.to_be_bytes());
    for (id, (ct, ss)) in ids.iter().zip(encaps) {
        let ct_hash = blake2b_256(ct.as_bytes());
        let (wrap_key, wrap_nonce) = wrap_key(ss, id, &ct_hash, &ctx_hash);
        header.extend_from_slice(id.as_bytes());
        header.extend_from_slice(ct.as_bytes());
        header.extend_from_slice(&symmetric::seal_raw(
            &wrap_key,
            &wrap_nonce,
            content_key,
            &wrap_ad(id, &ct_hash),
        ));
    }
    let stmt = statement(&ctx_hash, &sender.id(), &header, &blake2b_256(plaintext));
    let sig = sign(sender, &stmt)?;
    let inner = build_inner(&sender.id(), &sig, plaintext);
    let (body_key, body_nonce) = body_key(content_key, &ctx_hash);
    let body = symmetric::seal_raw(&body_key, &body_nonce, &inner, &header);
    header.extend_from_slice(&body);
    Ok(header)
}

/// The recipient IDs in a multi-recipient envelope's clear header.
pub fn recipients_of(envelope: &[u8]) -> Result<Vec<IdentityId>> {
    let n = check_outer(envelope)?;
    (0..n)
        .map(|i| {
            let off = PREFIX_LEN + i * ENTRY_LEN;
            IdentityId::from_slice(&envelope[off..off + IDENTITY_ID_LEN])
        })
        .collect()
}

/// Checks version, count and framing; returns the recipient count.
fn check_outer(envelope: &[u8]) -> Result<usize> {
    let min_tail = INNER_FIXED_LEN + MIN_BUCKET + TAG_LEN;
    match envelope.first() {
        None => {
            return Err(Error::Truncated {
                what: "multi-recipient envelope",
                min: PREFIX_LEN,
                got: 0,
            });
        }
        Some(&v) if v != MANY_VERSION => {
            return Err(Error::UnsupportedVersion {
                what: "multi-recipient envelope",
                version: v,
            });
        }
        Some(_) => {}
    }
    if envelope.len() < PREFIX_LEN {
        return Err(Error::Truncated {
            what: "multi-recipient envelope",
            min: PREFIX_LEN,
            got: envelope.len(),
        });
    }
    let n = usize::from(u16::from_be_bytes([envelope[1], envelope[2]]));
    if n == 0 || n > MAX_RECIPIENTS {
        return Err(Error::Malformed(
            "multi-recipient envelope (recipient count)",
        ));
    }
    let header_len = PREFIX_LEN + n * ENTRY_LEN;
    if envelope.len() < header_len + min_tail {
        return Err(Error::Truncated {
            what: "multi-recipient envelope",
            min: header_len + min_tail,
            got: envelope.len(),
        });
    }
    if !is_bucket(envelope.len() - header_len - TAG_LEN - INNER_FIXED_LEN) {
        return Err(Error::Malformed("multi-recipient envelope length"));
    }
    Ok(n)
}

/// Opens a multi-recipient envelope as `recipient`. Errors as
/// [`open`](crate::envelope::open), plus [`Error::Malformed`] for a header
/// that lists a recipient twice.
pub fn open_many(
    recipient: &Identity,
    context: &[u8],
    envelope: &[u8],
    sender_key: impl FnOnce(&IdentityId) -> Option<PublicIdentity>,
) -> Result<OpenedMany> {
    let n = check_outer(envelope)?;
    let (header, body) = envelope.split_at(PREFIX_LEN + n * ENTRY_LEN);
    let me = recipient.id();
    let mut recipients = Vec::with_capacity(n);
    let mut mine = None;
    for entry in header[PREFIX_LEN..].chunks_exact(ENTRY_LEN) {
        let id = IdentityId::from_slice(&entry[..IDENTITY_ID_LEN])?;
        if id == me {
            mine = Some(entry);
        }
        recipients.push(id);
    }
    let mut sorted = recipients.clone();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::Malformed(
            "multi-recipient envelope (duplicate recipient)",
        ));
    }
    let entry = mine.ok_or(Error::WrongRecipient)?;
    let ct =
        KemCiphertext::from_bytes(&entry[IDENTITY_ID_LEN..IDENTITY_ID_LEN + KEM_CIPHERTEXT_LEN])?;
    let wrapped = &entry[IDENTITY_ID_LEN + KEM_CIPHERTEXT_LEN..];
    let ss = recipient.decapsulate(&ct)?;
    let ct_hash = blake2b_256(ct.as_bytes());
    let ctx_hash = blake2b_256(context);
    let (wrap_key, wrap_nonce) = wrap_key(&ss, &me, &ct_hash, &ctx_hash);
    let unwrapped = symmetric::open_raw(&wrap_key, &wrap_nonce, wrapped, &wrap_ad(&me, &ct_hash))?;
    let content_key: &[u8; KEY_LEN] = unwrapped[..]
        .try_into()
        .map_err(|_| Error::DecryptionFailed)?;
    let (body_key, body_nonce) = body_key(content_key, &ctx_hash);
    let inner = symmetric::open_raw(&body_key, &body_nonce, body, header)?;
    let (sender, signature, plaintext) = parse_inner(&inner)?;
    let sender_public = match sender_key(&sender) {
        Some(p) if p.id() == sender => p,
        _ => return Err(Error::UnknownSender(sender.to_string())),
    };
    let stmt = statement(&ctx_hash, &sender, header, &blake2b_256(&plaintext));
    sender_public.verify_with_context(&stmt, MANY_LABEL, &signature)?;
    Ok(OpenedMany {
        sender,
        plaintext,
        recipients,
    })
}

/// `SIG_LABEL ‖ 0x03 ‖ H(context) ‖ sender ‖ H(recipient IDs) ‖ H(KEM ciphertexts) ‖ H(plaintext)`.
fn statement(
    ctx_hash: &[u8; 32],
    sender: &IdentityId,
    header: &[u8],
    pt_hash: &[u8; 32],
) -> [u8; STATEMENT_LEN] {
    use blake2::digest::Digest;
    let mut ids = Blake2b256::new();
    let mut cts = Blake2b256::new();
    for entry in header[PREFIX_LEN..].chunks_exact(ENTRY_LEN) {
        ids.update(&entry[..IDENTITY_ID_LEN]);
        cts.update(&entry[IDENTITY_ID_LEN..IDENTITY_ID_LEN + KEM_CIPHERTEXT_LEN]);
    }
    let mut s = [0u8; STATEMENT_LEN];
    let mut w = Writer(&mut s, 0);
    w.put(SIG_LABEL);
    w.put(&[MANY_VERSION]);
    w.put(ctx_hash);
    w.put(sender.as_bytes());
    w.put(&ids.finalize());
    w.put(&cts.finalize());
    w.put(pt_hash);
    s
}

fn wrap_ad(recipient: &IdentityId, ct_hash: &[u8; 32]) -> [u8; 65] {
    let mut ad = [0u8; 65];
    ad[0] = MANY_VERSION;
    ad[1..33].copy_from_slice(recipient.as_bytes());
    ad[33..].copy_from_slice(ct_hash);
    ad
}

/// HKDF-SHA256(salt = MANY_LABEL, ikm = ss, info = WRAP_LABEL ‖ 0x03 ‖ recipient ‖ H(kem_ct) ‖ H(ctx)).
fn wrap_key(
    ss: &SharedSecret,
    recipient: &IdentityId,
    ct_hash: &[u8; 32],
    ctx_hash: &[u8; 32],
) -> (Zeroizing<[u8; KEY_LEN]>, [u8; NONCE_LEN]) {
    let mut info = [0u8; WRAP_LABEL.len() + 1 + 3 * 32];
    let mut w = Writer(&mut info, 0);
    w.put(WRAP_LABEL);
    w.put(&[MANY_VERSION]);
    w.put(recipient.as_bytes());
    w.put(ct_hash);
    w.put(ctx_hash);
    expand(ss.as_bytes(), &info)
}

/// HKDF-SHA256(salt = MANY_LABEL, ikm = content_key, info = BODY_LABEL ‖ 0x03 ‖ H(ctx)).
fn body_key(
    content_key: &[u8; KEY_LEN],
    ctx_hash: &[u8; 32],
) -> (Zeroizing<[u8; KEY_LEN]>, [u8; NONCE_LEN]) {
    let mut info = [0u8; BODY_LABEL.len() + 1 + 32];
    let mut w = Writer(&mut info, 0);
    w.put(BODY_LABEL);
    w.put(&[MANY_VERSION]);
    w.put(ctx_hash);
    expand(content_key, &info)
}

fn expand(ikm: &[u8], info: &[u8]) -> (Zeroizing<[u8; KEY_LEN]>, [u8; NONCE_LEN]) {
    let mut okm = Zeroizing::new([0u8; KEY_LEN + NONCE_LEN]);
    Hkdf::<Sha256>::new(Some(MANY_LABEL), ikm)
        .expand(info, &mut okm[..])
        .expect("56 bytes is far below HKDF-SHA256's limit");
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(&okm[..KEY_LEN]);
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&okm[KEY_LEN..]);
    (key, nonce)
}
