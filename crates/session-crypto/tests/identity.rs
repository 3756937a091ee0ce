//! Identity, public identity, signature and KEM behaviour.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use session_crypto::*;

fn alice() -> Identity {
    Identity::from_seeds(&[0x11; 64], &[0x22; 32])
}

fn bob() -> Identity {
    Identity::from_seeds(&[0x33; 64], &[0x44; 32])
}

#[test]
fn from_seeds_is_deterministic() {
    let a1 = alice();
    let a2 = alice();
    assert_eq!(a1.public(), a2.public());
    assert_eq!(a1.id(), a2.id());
    assert_ne!(a1.id(), bob().id());
    assert_eq!(a1.kem_seed(), &[0x11; 64]);
    assert_eq!(a1.dsa_seed(), &[0x22; 32]);
}

#[test]
fn generate_gives_distinct_identities() {
    let a = Identity::generate();
    let b = Identity::generate();
    assert_ne!(a.id(), b.id());
}

#[test]
fn public_identity_round_trip_and_id() {
    let a = alice();
    let bytes = a.public().to_bytes();
    assert_eq!(bytes.len(), PUBLIC_IDENTITY_LEN);
    assert_eq!(&bytes[..KEM_PUBLIC_KEY_LEN], a.public().kem_public_key());
    assert_eq!(&bytes[KEM_PUBLIC_KEY_LEN..], a.public().dsa_public_key());
    let p = PublicIdentity::from_bytes(&bytes).unwrap();
    assert_eq!(&p, a.public());
    assert_eq!(p.id(), IdentityId(blake2b_256(&bytes)));
    let text = p.id().to_string();
    assert_eq!(text.len(), 66);
    assert!(text.starts_with("07"));
    assert_eq!(text.parse::<IdentityId>().unwrap(), p.id());
    assert_eq!(PublicIdentity::from_hex(&p.to_hex()).unwrap(), p);
    assert_eq!(
        PublicIdentity::from_hex(&format!("  {}\n", p.to_hex())).unwrap(),
        p
    );
}

#[test]
fn public_identity_rejects_wrong_lengths() {
    let bytes = alice().public().to_bytes();
    for len in [0, 1, KEM_PUBLIC_KEY_LEN, PUBLIC_IDENTITY_LEN - 1] {
        let err = PublicIdentity::from_bytes(&bytes[..len]).unwrap_err();
        assert!(
            matches!(err, Error::InvalidLength { got, .. } if got == len),
            "{err}"
        );
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(
        PublicIdentity::from_bytes(&long),
        Err(Error::InvalidLength { .. })
    ));
    assert!(PublicIdentity::from_hex("07abc").is_err());
    let mut bad_hex = alice().public().to_hex();
    bad_hex.replace_range(0..1, "z");
    assert!(matches!(
        PublicIdentity::from_hex(&bad_hex),
        Err(Error::Malformed(_))
    ));
}

#[test]
fn public_identity_rejects_invalid_kem_key() {
    // Coefficients must be < q = 3329; 0xFFF in the first 12-bit slot is not.
    let mut bytes = alice().public().to_bytes();
    bytes[0] = 0xff;
    bytes[1] |= 0x0f;
    assert!(matches!(
        PublicIdentity::from_bytes(&bytes),
        Err(Error::InvalidPublicKey)
    ));
}

#[test]
fn debug_does_not_leak_secrets() {
    let a = alice();
    let dbg = format!("{a:?}");
    assert!(dbg.contains(&a.id().to_string()));
    assert!(!dbg.contains(&hex::encode(a.kem_seed())));
    assert!(!dbg.contains("1111"));
    let (_, ss) = a.public().encapsulate().unwrap();
    assert_eq!(format!("{ss:?}"), "SharedSecret { .. }");
}

#[test]
fn sign_verify_and_context() {
    let a = alice();
    let p = a.public();
    let sig = a.sign(b"message");
    assert_eq!(sig.as_bytes().len(), SIGNATURE_LEN);
    p.verify(b"message", &sig).unwrap();
    // Moved to another message.
    assert!(matches!(
        p.verify(b"messagf", &sig),
        Err(Error::BadSignature)
    ));
    // Moved to another context.
    assert!(matches!(
        p.verify_with_context(b"message", b"ctx", &sig),
        Err(Error::BadSignature)
    ));
    // Moved to another key.
    assert!(matches!(
        bob().public().verify(b"message", &sig),
        Err(Error::BadSignature)
    ));

    let sig = a.sign_with_context(b"message", b"session-1").unwrap();
    p.verify_with_context(b"message", b"session-1", &sig)
        .unwrap();
    assert!(p.verify(b"message", &sig).is_err());
    assert!(
        p.verify_with_context(b"message", b"session-2", &sig)
            .is_err()
    );
}

#[test]
fn hedged_signatures_differ_deterministic_ones_repeat() {
    let a = alice();
    assert_ne!(a.sign(b"m"), a.sign(b"m"));
    let d1 = a.sign_deterministic(b"m", b"c").unwrap();
    let d2 = a.sign_deterministic(b"m", b"c").unwrap();
    assert_eq!(d1, d2);
    a.public().verify_with_context(b"m", b"c", &d1).unwrap();
}

#[test]
fn context_longer_than_255_is_rejected() {
    let a = alice();
    let long = [0u8; 256];
    assert!(matches!(
        a.sign_with_context(b"m", &long),
        Err(Error::ContextTooLong)
    ));
    assert!(matches!(
        a.sign_deterministic(b"m", &long),
        Err(Error::ContextTooLong)
    ));
    let sig = a.sign_with_context(b"m", &long[..255]).unwrap();
    a.public()
        .verify_with_context(b"m", &long[..255], &sig)
        .unwrap();
    assert!(matches!(
        a.public().verify_with_context(b"m", &long, &sig),
        Err(Error::ContextTooLong)
    ));
}

#[test]
fn tampered_and_wrong_length_signatures() {
    let a = alice();
    let sig = a.sign(b"m");
    let mut bytes = sig.as_bytes().to_vec();
    for i in [0, 100, 2000, SIGNATURE_LEN - 1] {
        bytes[i] ^= 1;
        let bad = Signature::from_bytes(&bytes).unwrap();
        assert!(a.public().verify(b"m", &bad).is_err(), "flip at {i}");
        bytes[i] ^= 1;
    }
    assert!(matches!(
        Signature::from_bytes(&bytes[..SIGNATURE_LEN - 1]),
        Err(Error::InvalidLength { .. })
    ));
    assert!(Signature::from_bytes(&[]).is_err());
    // Garbage of the right length never panics.
    let garbage = Signature::from_bytes(&[0xff; SIGNATURE_LEN]).unwrap();
    assert!(a.public().verify(b"m", &garbage).is_err());
}

/// A plain and a prepared copy of `key` (separate values: preparing one
/// must not change how the other verifies).
fn plain_and_prepared(key: &PublicIdentity) -> (PublicIdentity, PublicIdentity) {
    let plain = PublicIdentity::from_bytes(&key.to_bytes()).unwrap();
    let prepared = PublicIdentity::from_bytes(&key.to_bytes()).unwrap();
    prepared.prepare().prepare();
    assert!(prepared.is_prepared() && !plain.is_prepared());
    (plain, prepared)
}

#[test]
fn prepared_keys_give_the_same_verdicts() {
    let a = alice();
    let (plain, prepared) = plain_and_prepared(a.public());
    let same = |msg: &[u8], ctx: &[u8], sig: &Signature| {
        let (x, y) = (
            plain.verify_with_context(msg, ctx, sig),
            prepared.verify_with_context(msg, ctx, sig),
        );
        assert_eq!(format!("{x:?}"), format!("{y:?}"));
        x.is_ok()
    };
    let sig = a.sign_with_context(b"m", b"ctx").unwrap();
    assert!(same(b"m", b"ctx", &sig));
    assert!(!same(b"n", b"ctx", &sig));
    assert!(!same(b"m", b"", &sig));
    assert!(!same(b"m", &[0; 256], &sig));
    // Every byte of the signature, each with a different bit flipped: the
    // commitment hash, the response (norm bound) and the hint encoding.
    let mut bytes = sig.as_bytes().to_vec();
    for i in 0..SIGNATURE_LEN {
        let bit = 1 << (i % 8);
        bytes[i] ^= bit;
        assert!(
            !same(b"m", b"ctx", &Signature::from_bytes(&bytes).unwrap()),
            "byte {i}"
        );
        bytes[i] ^= bit;
    }
    for fill in [0x00, 0xff, 0x80] {
        let garbage = Signature::from_bytes(&[fill; SIGNATURE_LEN]).unwrap();
        assert!(!same(b"m", b"ctx", &garbage));
    }
    // Someone else's valid signature.
    assert!(!same(
        b"m",
        b"ctx",
        &bob().sign_with_context(b"m", b"ctx").unwrap()
    ));
    // Clones share the preparation.
    let clone = prepared.clone();
    assert!(clone.is_prepared());
    assert_eq!(clone, plain);
}

#[test]
fn kem_round_trip_and_implicit_rejection() {
    let b = bob();
    let (ct, ss) = b.public().encapsulate().unwrap();
    assert_eq!(ct.as_bytes().len(), KEM_CIPHERTEXT_LEN);
    assert_eq!(b.decapsulate(&ct).unwrap(), ss);
    // Wrong recipient: an unrelated secret, no error.
    assert_ne!(alice().decapsulate(&ct).unwrap(), ss);
    // Tampered ciphertext: an unrelated secret.
    let mut bytes = *ct.as_bytes();
    bytes[7] ^= 0x80;
    let bad = KemCiphertext::from_bytes(&bytes).unwrap();
    assert_ne!(b.decapsulate(&bad).unwrap(), ss);
    assert!(KemCiphertext::from_bytes(&bytes[..100]).is_err());
    // Deterministic encapsulation repeats.
    let (c1, s1) = b.public().encapsulate_derand(&[9; 32]);
    let (c2, s2) = b.public().encapsulate_derand(&[9; 32]);
    assert_eq!(c1, c2);
    assert_eq!(s1, s2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn prop_sign_verify(msg in proptest::collection::vec(any::<u8>(), 0..512),
                        ctx in proptest::collection::vec(any::<u8>(), 0..=255),
                        flip in any::<usize>()) {
        let a = alice();
        let sig = a.sign_with_context(&msg, &ctx).unwrap();
        prop_assert!(a.public().verify_with_context(&msg, &ctx, &sig).is_ok());
        let mut other = msg.clone();
        if other.is_empty() { other.push(0) } else { let i = flip % other.len(); other[i] ^= 1; }
        prop_assert!(a.public().verify_with_context(&other, &ctx, &sig).is_err());
    }

    #[test]
    fn prop_prepared_verdicts_match(msg in proptest::collection::vec(any::<u8>(), 0..512),
                                    ctx in proptest::collection::vec(any::<u8>(), 0..=255),
                                    edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4),
                                    seed in proptest::array::uniform32(any::<u8>())) {
        let id = Identity::from_seeds(&[seed, seed].concat().try_into().unwrap(), &seed);
        let (plain, prepared) = plain_and_prepared(id.public());
        let mut sig = id.sign_with_context(&msg, &ctx).unwrap().as_bytes().to_vec();
        for (at, value) in &edits {
            let at = at % SIGNATURE_LEN;
            sig[at] = *value;
        }
        let sig = Signature::from_bytes(&sig).unwrap();
        let x = plain.verify_with_context(&msg, &ctx, &sig).is_ok();
        let y = prepared.verify_with_context(&msg, &ctx, &sig).is_ok();
        prop_assert_eq!(x, y);
        if edits.is_empty() { prop_assert!(x) }
    }

    #[test]
    fn prop_from_seeds_public_round_trip(kem in proptest::array::uniform32(any::<u8>()),
                                         dsa in proptest::array::uniform32(any::<u8>())) {
        let mut kem_seed = [0u8; 64];
        kem_seed[..32].copy_from_slice(&kem);
        kem_seed[32..].copy_from_slice(&dsa);
        let id = Identity::from_seeds(&kem_seed, &dsa);
        let p = PublicIdentity::from_bytes(&id.public().to_bytes()).unwrap();
        prop_assert_eq!(p.id(), id.id());
        let (ct, ss) = p.encapsulate().unwrap();
        prop_assert!(id.decapsulate(&ct).unwrap() == ss);
    }

    #[test]
    fn prop_public_identity_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
        let _ = PublicIdentity::from_bytes(&bytes);
    }
}
