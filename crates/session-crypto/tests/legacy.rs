//! The legacy `05` identity: derivation, signatures, encryption, rejections.

use proptest::prelude::*;
use session_crypto::Error;
use session_crypto::legacy::{LegacyIdentity, LegacyPublic, MIN_LEGACY_BOX_LEN};

fn bob() -> LegacyIdentity {
    LegacyIdentity::from_seed(&[0x42; 32])
}

#[test]
fn rfc8032_test_1() {
    // RFC 8032 §7.1 TEST 1: the Ed25519 part is plain RFC 8032.
    let seed: [u8; 32] =
        hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
            .unwrap()
            .try_into()
            .unwrap();
    let id = LegacyIdentity::from_seed(&seed);
    assert_eq!(
        hex::encode(id.public().to_bytes()),
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    );
    assert_eq!(
        hex::encode(id.sign(b"")),
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    );
    assert_eq!(id.seed(), &seed);
}

#[test]
fn id_and_public_round_trip() {
    let b = bob();
    let p = LegacyPublic::from_bytes(&b.public().to_bytes()).unwrap();
    assert_eq!(&p, b.public());
    assert_eq!(p.id(), b.id());
    assert_eq!(p.id().0, p.x25519_public_key());
    assert!(b.id().to_string().starts_with("05"));
    assert!(!format!("{b:?}").contains(&hex::encode(b.seed())));
}

#[test]
fn public_key_rejections() {
    assert!(matches!(
        LegacyPublic::from_bytes(&[0; 31]),
        Err(Error::InvalidLength { .. })
    ));
    // The identity point (small order) is weak.
    let mut ident = [0u8; 32];
    ident[0] = 1;
    assert!(matches!(
        LegacyPublic::from_bytes(&ident),
        Err(Error::InvalidPublicKey)
    ));
    // y = 2 is not on the curve.
    let mut off = [0u8; 32];
    off[0] = 2;
    assert!(LegacyPublic::from_bytes(&off).is_err());
}

#[test]
fn signatures() {
    let b = bob();
    let sig = b.sign(b"m");
    b.public().verify(b"m", &sig).unwrap();
    assert!(matches!(
        b.public().verify(b"n", &sig),
        Err(Error::BadSignature)
    ));
    assert!(matches!(
        b.public().verify(b"m", &sig[..63]),
        Err(Error::InvalidLength { .. })
    ));
    let other = LegacyIdentity::from_seed(&[1; 32]);
    assert!(other.public().verify(b"m", &sig).is_err());
}

#[test]
fn encryption_and_rejections() {
    let b = bob();
    let c = b.public().encrypt(b"legacy hello").unwrap();
    assert_eq!(c.len(), MIN_LEGACY_BOX_LEN + 12);
    assert_eq!(&b.decrypt(&c).unwrap()[..], b"legacy hello");
    // Wrong recipient.
    let other = LegacyIdentity::from_seed(&[1; 32]);
    assert!(matches!(other.decrypt(&c), Err(Error::DecryptionFailed)));
    // Tampering anywhere.
    for i in 0..c.len() {
        let mut t = c.clone();
        t[i] ^= 0x10;
        assert!(b.decrypt(&t).is_err(), "byte {i}");
    }
    // Truncation.
    for len in 0..c.len() {
        assert!(b.decrypt(&c[..len]).is_err());
    }
    assert!(matches!(b.decrypt(&[]), Err(Error::Truncated { .. })));
    assert!(matches!(
        b.decrypt(&[2; 60]),
        Err(Error::UnsupportedVersion { version: 2, .. })
    ));
    // A low-order ephemeral key gives an all-zero secret: rejected.
    let mut low = vec![1u8];
    low.extend_from_slice(&[0; 32]);
    low.extend_from_slice(&[0; 16]);
    assert!(matches!(b.decrypt(&low), Err(Error::DecryptionFailed)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn prop_round_trip(seed in proptest::array::uniform32(any::<u8>()),
                       pt in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let id = LegacyIdentity::from_seed(&seed);
        let c = id.public().encrypt(&pt).unwrap();
        prop_assert_eq!(&id.decrypt(&c).unwrap()[..], &pt[..]);
        let sig = id.sign(&pt);
        prop_assert!(id.public().verify(&pt, &sig).is_ok());
    }

    #[test]
    fn prop_parsers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = LegacyPublic::from_bytes(&data);
        let _ = bob().decrypt(&data);
        let _ = bob().public().verify(b"m", &data);
    }
}
