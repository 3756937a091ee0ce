//! Entry points for the fuzz targets in `fuzz/` (`crypto_*`), shared with the
//! corpus-replay test so that `cargo test` re-runs every kept input.
//!
//! Each function feeds arbitrary bytes to one family of parsers and checks
//! that they either reject the input with an error or accept it
//! consistently; none may panic.

use std::sync::OnceLock;

use crate::envelope;
use crate::identity::Identity;
use crate::keyfile::KeyFile;
use crate::keys::PublicKey;
use crate::legacy::{LegacyId, LegacyIdentity, LegacyPublic};
use crate::public::{KemCiphertext, PublicIdentity, Signature};
use crate::sizes::KEM_CIPHERTEXT_LEN;
use crate::{IdentityId, compat, symmetric};

/// The fixed recipient the fuzz targets open envelopes and ciphertexts with.
pub fn recipient() -> &'static Identity {
    static ID: OnceLock<Identity> = OnceLock::new();
    ID.get_or_init(|| Identity::from_seeds(&[0x5e; 64], &[0x5f; 32]))
}

/// The fixed sender whose envelopes the fuzz targets accept.
pub fn sender() -> &'static Identity {
    static ID: OnceLock<Identity> = OnceLock::new();
    ID.get_or_init(|| Identity::from_seeds(&[0x3e; 64], &[0x3f; 32]))
}

/// The fixed legacy identity of the `crypto_legacy` target.
pub fn legacy_recipient() -> &'static LegacyIdentity {
    static ID: OnceLock<LegacyIdentity> = OnceLock::new();
    ID.get_or_init(|| LegacyIdentity::from_seed(&[0x1e; 32]))
}

/// Passphrase the `crypto_keyfile` target tries on encrypted key files.
pub const KEYFILE_PASSPHRASE: &[u8] = b"fuzz";

/// A separate copy of the recipient's public identity, prepared for
/// verification: the targets check it gives the plain key's verdicts.
fn prepared_recipient() -> &'static PublicIdentity {
    static KEY: OnceLock<PublicIdentity> = OnceLock::new();
    KEY.get_or_init(|| {
        let copy = PublicIdentity::from_bytes(&recipient().public().to_bytes())
            .unwrap_or_else(|_| unreachable!("our own key parses"));
        copy.prepare();
        copy
    })
}

/// A valid signature of the recipient over `b"fuzz"`.
fn valid_signature() -> &'static Signature {
    static SIG: OnceLock<Signature> = OnceLock::new();
    SIG.get_or_init(|| {
        recipient()
            .sign_deterministic(b"fuzz", b"")
            .unwrap_or_else(|_| unreachable!("an empty context is allowed"))
    })
}

/// Verifies `sig` over `b"fuzz"` with the plain and the prepared key; their
/// verdicts must agree.
fn same_verdict(sig: &Signature) {
    let plain = recipient().public().verify(b"fuzz", sig).is_ok();
    let prepared = prepared_recipient().verify(b"fuzz", sig).is_ok();
    assert_eq!(plain, prepared, "prepared and plain verification disagree");
}

/// Public identities, IDs, signatures and KEM ciphertexts, binary and text.
///
/// Also differential: a valid signature with `data[2..]` XORed in from the
/// offset in `data[..2]` is verified with a plain and a prepared key, which
/// must agree (small changes reach the later checks of verification, which
/// random bytes never pass).
pub fn public_identity(data: &[u8]) {
    if let [hi, lo, rest @ ..] = data {
        let mut sig = valid_signature().as_bytes().to_vec();
        let start = usize::from(u16::from_be_bytes([*hi, *lo])) % sig.len();
        for (i, d) in rest.iter().enumerate() {
            let at = (start + i) % sig.len();
            sig[at] ^= d;
        }
        if let Ok(sig) = Signature::from_bytes(&sig) {
            same_verdict(&sig);
        }
    }
    if let Ok(p) = PublicIdentity::from_bytes(data) {
        assert_eq!(p.to_bytes(), data);
        assert_eq!(p.id(), IdentityId(crate::blake2b_256(data)));
    }
    if let Ok(k) = PublicKey::parse(data) {
        assert_eq!(PublicKey::from_bytes(&k.to_bytes()).ok().as_ref(), Some(&k));
    }
    if let Ok(s) = Signature::from_bytes(data) {
        assert_eq!(s.as_bytes(), data);
        same_verdict(&s);
    }
    if let Ok(c) = KemCiphertext::from_bytes(data) {
        assert_eq!(&c.as_bytes()[..], data);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(id) = text.parse::<IdentityId>() {
            assert!(text.eq_ignore_ascii_case(&id.to_string()));
        }
        let _ = PublicIdentity::from_hex(text);
        let _ = text.parse::<LegacyId>();
    }
}

/// Envelope opening, v2 and multi-recipient v3. `data[0]` selects a mode:
/// odd values patch the version byte and recipient ID of the rest (as v2)
/// so that the fuzzer reaches decapsulation and the AEAD; even values pass
/// the rest through unchanged. The rest is also opened as a v3 envelope.
pub fn envelope_open(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut env = rest.to_vec();
    if mode & 1 == 1 && env.len() >= envelope::HEADER_LEN {
        env[0] = envelope::VERSION;
        env[1 + KEM_CIPHERTEXT_LEN..envelope::HEADER_LEN]
            .copy_from_slice(recipient().id().as_bytes());
    }
    let _ = envelope::recipient_of(&env);
    let result = envelope::open(recipient(), b"fuzz", &env, |id| {
        (*id == sender().id()).then(|| sender().public().clone())
    });
    let _ = envelope::recipients_of(rest);
    let many = envelope::open_many(recipient(), b"fuzz", rest, |id| {
        (*id == sender().id()).then(|| sender().public().clone())
    });
    if let Ok(opened) = many {
        assert_eq!(opened.sender, sender().id());
        assert!(opened.recipients.contains(&recipient().id()));
    }
    if let Ok(opened) = result {
        assert_eq!(opened.sender, sender().id());
        envelope::verify_proof(
            sender().public(),
            &recipient().id(),
            b"fuzz",
            &opened.plaintext,
            &opened.proof,
        )
        .expect("a proof from a valid envelope verifies");
    }
}

/// Key files (and public key files).
pub fn keyfile(data: &[u8]) {
    if let Ok(f) = KeyFile::parse(data) {
        let _ = f.id_string();
        let cheap = f
            .kdf_params()
            .is_none_or(|p| p.m_cost_kib <= 256 && p.t_cost <= 2 && p.p_cost <= 2);
        if cheap && let Ok(key) = f.unlock(Some(KEYFILE_PASSPHRASE)) {
            assert_eq!(key.id_string(), f.id_string());
        }
    }
    let _ = PublicKey::parse(data);
}

/// The Go reference's formats, and the bare symmetric format.
pub fn compat(data: &[u8]) {
    let _ = compat::decrypt_from(recipient(), data);
    if let Ok(msg) = compat::verify_message(sender().public(), data) {
        assert_eq!(msg, &data[crate::SIGNATURE_LEN..]);
    }
    let _ = compat::split_signed_message(data);
    let _ = symmetric::decrypt(&[0x42; 32], data);
}

/// The legacy identity: public keys, boxes, Ed25519 signatures.
pub fn legacy(data: &[u8]) {
    if let Ok(p) = LegacyPublic::from_bytes(data) {
        assert_eq!(&p.to_bytes()[..], data);
    }
    let _ = legacy_recipient().decrypt(data);
    let _ = legacy_recipient().public().verify(b"fuzz", data);
}
