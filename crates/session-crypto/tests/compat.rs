//! The reference-compatible formats: round trips and rejections.

use proptest::prelude::*;
use session_crypto::{Error, Identity, SIGNATURE_LEN, compat};

fn alice() -> Identity {
    Identity::from_seeds(&[1; 64], &[2; 32])
}
fn bob() -> Identity {
    Identity::from_seeds(&[3; 64], &[4; 32])
}

#[test]
fn encrypt_decrypt_and_rejections() {
    let b = bob();
    let c = compat::encrypt_to_recipient(b.public(), b"hello bob").unwrap();
    assert_eq!(&compat::decrypt_from(&b, &c).unwrap()[..], b"hello bob");

    // Wrong recipient.
    assert!(matches!(
        compat::decrypt_from(&alice(), &c),
        Err(Error::DecryptionFailed)
    ));
    // Tampered: KEM ciphertext, nonce, body, tag.
    for i in [0, 1087, 1088, 1111, 1112, c.len() - 1] {
        let mut t = c.clone();
        t[i] ^= 0x40;
        assert!(
            matches!(compat::decrypt_from(&b, &t), Err(Error::DecryptionFailed)),
            "byte {i}"
        );
    }
    // Truncated at every interesting length.
    for len in [0, 1, 1087, 1088, 1111, compat::MIN_ENCRYPTED_LEN - 1] {
        assert!(matches!(
            compat::decrypt_from(&b, &c[..len]),
            Err(Error::Truncated { .. })
        ));
    }
    assert!(compat::decrypt_from(&b, &c[..c.len() - 1]).is_err());
}

#[test]
fn signed_messages() {
    let a = alice();
    let s = compat::sign_message(&a, b"pay 5");
    assert_eq!(compat::verify_message(a.public(), &s).unwrap(), b"pay 5");
    // Signature moved to another message.
    let mut moved = s[..SIGNATURE_LEN].to_vec();
    moved.extend_from_slice(b"pay 6");
    assert!(matches!(
        compat::verify_message(a.public(), &moved),
        Err(Error::BadSignature)
    ));
    // Another key.
    assert!(compat::verify_message(bob().public(), &s).is_err());
    // Truncated.
    assert!(matches!(
        compat::verify_message(a.public(), &s[..SIGNATURE_LEN - 1]),
        Err(Error::Truncated { .. })
    ));
    // Just a signature over the empty message.
    let e = compat::sign_message(&a, b"");
    assert_eq!(compat::verify_message(a.public(), &e).unwrap(), b"");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn prop_compat_round_trip(pt in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let b = bob();
        let c = compat::encrypt_to_recipient(b.public(), &pt).unwrap();
        prop_assert_eq!(&compat::decrypt_from(&b, &c).unwrap()[..], &pt[..]);
        let s = compat::sign_message(&b, &pt);
        prop_assert_eq!(compat::verify_message(b.public(), &s).unwrap(), &pt[..]);
    }

    #[test]
    fn prop_compat_parsers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..4000)) {
        let b = bob();
        let _ = compat::decrypt_from(&b, &data);
        let _ = compat::verify_message(b.public(), &data);
    }
}
