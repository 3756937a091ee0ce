//! Envelope v2: round trips, rejections and the published test vectors.

use proptest::prelude::*;
use session_crypto::envelope::{self, Opened};
use session_crypto::{Error, Identity, IdentityId, PublicIdentity};

fn alice() -> Identity {
    Identity::from_seeds(&[0xa1; 64], &[0xa2; 32])
}
fn bob() -> Identity {
    Identity::from_seeds(&[0xb1; 64], &[0xb2; 32])
}
fn carol() -> Identity {
    Identity::from_seeds(&[0xc1; 64], &[0xc2; 32])
}

fn open_from(
    recipient: &Identity,
    ctx: &[u8],
    env: &[u8],
    sender: &Identity,
) -> Result<Opened, Error> {
    let p = sender.public().clone();
    envelope::open(recipient, ctx, env, move |id| (*id == p.id()).then_some(p))
}

#[test]
fn round_trip_hides_sender_and_pads() {
    let (a, b) = (alice(), bob());
    let env = envelope::seal(&a, b.public(), b"session-1", b"hello").unwrap();
    assert_eq!(env[0], envelope::VERSION);
    assert_eq!(env.len(), envelope::MIN_ENVELOPE_LEN);
    assert_eq!(envelope::recipient_of(&env).unwrap(), b.id());
    // The sender's ID and public key bytes appear nowhere in clear.
    let needle = a.id();
    assert!(!env.windows(32).any(|w| w == needle.as_bytes()));
    let opened = open_from(&b, b"session-1", &env, &a).unwrap();
    assert_eq!(opened.sender, a.id());
    assert_eq!(&opened.plaintext[..], b"hello");
    envelope::verify_proof(a.public(), &b.id(), b"session-1", b"hello", &opened.proof).unwrap();

    // Same bucket for 0..=252 bytes, next one after.
    let e0 = envelope::seal(&a, b.public(), b"", b"").unwrap();
    let e252 = envelope::seal(&a, b.public(), b"", &[7; 252]).unwrap();
    let e253 = envelope::seal(&a, b.public(), b"", &[7; 253]).unwrap();
    assert_eq!(e0.len(), e252.len());
    assert_eq!(e253.len(), e252.len() + 256);
    // Fresh randomness every time.
    assert_ne!(e0, envelope::seal(&a, b.public(), b"", b"").unwrap());
}

#[test]
fn wrong_recipient() {
    let env = envelope::seal(&alice(), bob().public(), b"c", b"m").unwrap();
    assert!(matches!(
        open_from(&carol(), b"c", &env, &alice()),
        Err(Error::WrongRecipient)
    ));
    // Rewriting the clear recipient ID to Carol's does not help either.
    let mut redirected = env.clone();
    let off = 1 + session_crypto::KEM_CIPHERTEXT_LEN;
    redirected[off..off + 32].copy_from_slice(carol().id().as_bytes());
    assert!(matches!(
        open_from(&carol(), b"c", &redirected, &alice()),
        Err(Error::DecryptionFailed)
    ));
}

#[test]
fn wrong_context() {
    let env = envelope::seal(&alice(), bob().public(), b"session-1", b"m").unwrap();
    for ctx in [&b"session-2"[..], b"", b"session-1\0"] {
        assert!(matches!(
            open_from(&bob(), ctx, &env, &alice()),
            Err(Error::DecryptionFailed)
        ));
    }
}

#[test]
fn tampering_anywhere_is_rejected() {
    let (a, b) = (alice(), bob());
    let env = envelope::seal(&a, b.public(), b"c", b"important").unwrap();
    let step = 97;
    for i in (0..env.len()).step_by(step).chain([env.len() - 1]) {
        let mut t = env.clone();
        t[i] ^= 0x04;
        let err = open_from(&b, b"c", &t, &a).unwrap_err();
        let expected = match i {
            0 => matches!(err, Error::UnsupportedVersion { version: 0x06, .. }),
            i if (1089..1121).contains(&i) => matches!(err, Error::WrongRecipient),
            _ => matches!(err, Error::DecryptionFailed),
        };
        assert!(expected, "byte {i}: {err}");
    }
}

#[test]
fn truncated_or_extended_input() {
    let (a, b) = (alice(), bob());
    let env = envelope::seal(&a, b.public(), b"c", b"m").unwrap();
    for len in [0, 1, 1088, 1121, 2000, envelope::MIN_ENVELOPE_LEN - 1] {
        let err = open_from(&b, b"c", &env[..len], &a).unwrap_err();
        assert!(matches!(err, Error::Truncated { .. }), "len {len}: {err}");
    }
    let mut longer = env.clone();
    longer.push(0);
    assert!(matches!(
        open_from(&b, b"c", &longer, &a),
        Err(Error::Malformed(_))
    ));
    // A full bucket's worth of extra bytes passes framing but not the tag.
    longer.extend_from_slice(&[0; 255]);
    assert!(matches!(
        open_from(&b, b"c", &longer, &a),
        Err(Error::DecryptionFailed)
    ));
    assert!(matches!(
        open_from(&b, b"c", &[1u8; 5000], &a),
        Err(Error::UnsupportedVersion { version: 1, .. })
    ));
}

#[test]
fn unknown_or_mismatched_sender() {
    let (a, b) = (alice(), bob());
    let env = envelope::seal(&a, b.public(), b"c", b"m").unwrap();
    let err = envelope::open(&b, b"c", &env, |_| None).unwrap_err();
    assert!(matches!(&err, Error::UnknownSender(id) if *id == a.id().to_string()));
    // The callback returning another identity's key is caught.
    let err = envelope::open(&b, b"c", &env, |_| Some(carol().public().clone())).unwrap_err();
    assert!(matches!(err, Error::UnknownSender(_)));
    // The callback sees the real sender ID.
    let mut seen = None;
    let _ = envelope::open(&b, b"c", &env, |id| {
        seen = Some(*id);
        None
    });
    assert_eq!(seen, Some(a.id()));
}

#[test]
fn sender_proof_is_bound() {
    let (a, b) = (alice(), bob());
    let env = envelope::seal(&a, b.public(), b"c", b"m").unwrap();
    let o = open_from(&b, b"c", &env, &a).unwrap();
    envelope::verify_proof(a.public(), &b.id(), b"c", b"m", &o.proof).unwrap();
    assert!(envelope::verify_proof(a.public(), &b.id(), b"d", b"m", &o.proof).is_err());
    assert!(envelope::verify_proof(a.public(), &b.id(), b"c", b"n", &o.proof).is_err());
    assert!(envelope::verify_proof(b.public(), &b.id(), b"c", b"m", &o.proof).is_err());
    let other = IdentityId([0; 32]);
    assert!(envelope::verify_proof(a.public(), &other, b"c", b"m", &o.proof).is_err());
}

#[test]
fn self_addressed_and_large() {
    let a = alice();
    let big = vec![0x5au8; 100_000];
    let env = envelope::seal(&a, a.public(), b"", &big).unwrap();
    assert_eq!(env.len() - envelope::HEADER_LEN - 16 - 32 - 3309, 131_072);
    assert_eq!(
        &open_from(&a, b"", &env, &a).unwrap().plaintext[..],
        &big[..]
    );
    assert!(matches!(
        envelope::seal(
            &a,
            a.public(),
            b"",
            &vec![0; envelope::MAX_PLAINTEXT_LEN + 1]
        ),
        Err(Error::TooLarge { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn prop_round_trip(pt in proptest::collection::vec(any::<u8>(), 0..3000),
                       ctx in proptest::collection::vec(any::<u8>(), 0..64)) {
        let (a, b) = (alice(), bob());
        let env = envelope::seal(&a, b.public(), &ctx, &pt).unwrap();
        prop_assert_eq!(env.len() - envelope::HEADER_LEN - 16 - 32 - 3309,
                        envelope::padded_len(pt.len()));
        let o = open_from(&b, &ctx, &env, &a).unwrap();
        prop_assert_eq!(&o.plaintext[..], &pt[..]);
        prop_assert_eq!(o.sender, a.id());
    }

    #[test]
    fn prop_open_never_panics(mut data in proptest::collection::vec(any::<u8>(), 0..6000),
                              version in any::<bool>()) {
        if version && !data.is_empty() { data[0] = envelope::VERSION; }
        let b = bob();
        let _ = envelope::open(&b, b"", &data, |_| None::<PublicIdentity>);
    }
}
