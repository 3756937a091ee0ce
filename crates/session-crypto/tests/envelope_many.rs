//! Multi-recipient envelopes (version 3).

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use session_crypto::envelope::{self, ENTRY_LEN, OpenedMany};
use session_crypto::{Error, Identity, PublicIdentity};

fn ident(tag: u8) -> Identity {
    Identity::from_seeds(&[tag; 64], &[tag.wrapping_add(1); 32])
}

fn open(r: &Identity, ctx: &[u8], env: &[u8], sender: &Identity) -> Result<OpenedMany, Error> {
    let p = sender.public().clone();
    envelope::open_many(r, ctx, env, move |id| (*id == p.id()).then_some(p))
}

#[test]
fn every_recipient_opens_outsiders_do_not() {
    let alice = ident(1);
    let group: Vec<Identity> = (10..14).map(ident).collect();
    let publics: Vec<PublicIdentity> = group.iter().map(|g| g.public().clone()).collect();
    let env = envelope::seal_many(&alice, &publics, b"group-7", b"hello all").unwrap();
    assert_eq!(env[0], envelope::MANY_VERSION);
    let ids: Vec<_> = publics.iter().map(PublicIdentity::id).collect();
    assert_eq!(envelope::recipients_of(&env).unwrap(), ids);
    assert!(!env.windows(32).any(|w| w == alice.id().as_bytes()));
    for g in &group {
        let o = open(g, b"group-7", &env, &alice).unwrap();
        assert_eq!(o.sender, alice.id());
        assert_eq!(&o.plaintext[..], b"hello all");
        assert_eq!(o.recipients, ids);
    }
    assert!(matches!(
        open(&ident(99), b"group-7", &env, &alice),
        Err(Error::WrongRecipient)
    ));
    assert!(matches!(
        open(&group[0], b"group-8", &env, &alice),
        Err(Error::DecryptionFailed)
    ));
    assert!(matches!(
        envelope::open_many(&group[0], b"group-7", &env, |_| None),
        Err(Error::UnknownSender(_))
    ));
    // A v3 envelope is not a v2 one and vice versa.
    assert!(matches!(
        envelope::open(&group[0], b"group-7", &env, |_| None),
        Err(Error::UnsupportedVersion { version: 3, .. })
    ));
    let v2 = envelope::seal(&alice, &publics[0], b"", b"x").unwrap();
    assert!(matches!(
        envelope::open_many(&group[0], b"", &v2, |_| None),
        Err(Error::UnsupportedVersion { version: 2, .. })
    ));
}

#[test]
fn tampering_and_reordering_are_rejected() {
    let alice = ident(1);
    let (b, c) = (ident(2), ident(3));
    let publics = vec![b.public().clone(), c.public().clone()];
    let env = envelope::seal_many(&alice, &publics, b"", b"secret").unwrap();
    for i in (3..env.len()).step_by(211).chain([env.len() - 1]) {
        let mut t = env.clone();
        t[i] ^= 0x01;
        let in_b_id = (3..3 + 32).contains(&i);
        let err = open(&b, b"", &t, &alice).unwrap_err();
        if in_b_id {
            assert!(matches!(err, Error::WrongRecipient), "byte {i}: {err}");
        } else {
            assert!(matches!(err, Error::DecryptionFailed), "byte {i}: {err}");
        }
    }
    // Swapping the two entries keeps each entry valid but breaks the header.
    let mut swapped = env[..3].to_vec();
    swapped.extend_from_slice(&env[3 + ENTRY_LEN..3 + 2 * ENTRY_LEN]);
    swapped.extend_from_slice(&env[3..3 + ENTRY_LEN]);
    swapped.extend_from_slice(&env[3 + 2 * ENTRY_LEN..]);
    assert!(matches!(
        open(&b, b"", &swapped, &alice),
        Err(Error::DecryptionFailed)
    ));
    // Duplicate entries are refused outright.
    let mut dup = env[..3].to_vec();
    dup.extend_from_slice(&env[3..3 + ENTRY_LEN]);
    dup.extend_from_slice(&env[3..]);
    dup[2] = 3;
    assert!(matches!(
        open(&b, b"", &dup, &alice),
        Err(Error::Malformed(_))
    ));
    // Truncation and bad counts.
    for len in [0, 1, 2, 3, 100, 3 + 2 * ENTRY_LEN, env.len() - 1] {
        assert!(open(&b, b"", &env[..len], &alice).is_err(), "len {len}");
    }
    let mut zero = env.clone();
    zero[1] = 0;
    zero[2] = 0;
    assert!(matches!(
        open(&b, b"", &zero, &alice),
        Err(Error::Malformed(_))
    ));
    let mut many = env.clone();
    many[1] = 0xff;
    assert!(open(&b, b"", &many, &alice).is_err());
}

#[test]
fn seal_rejects_bad_recipient_lists() {
    let alice = ident(1);
    let b = ident(2);
    assert!(matches!(
        envelope::seal_many(&alice, &[], b"", b"x"),
        Err(Error::Malformed(_))
    ));
    let dup = vec![b.public().clone(), b.public().clone()];
    assert!(matches!(
        envelope::seal_many(&alice, &dup, b"", b"x"),
        Err(Error::Malformed(_))
    ));
    // The sender may include itself.
    let me = vec![alice.public().clone(), b.public().clone()];
    let env = envelope::seal_many(&alice, &me, b"", b"note to self").unwrap();
    assert_eq!(
        &open(&alice, b"", &env, &alice).unwrap().plaintext[..],
        b"note to self"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn prop_round_trip(n in 1usize..5, pt in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let alice = ident(1);
        let group: Vec<Identity> = (0..n).map(|i| ident(20 + i as u8 * 2)).collect();
        let publics: Vec<_> = group.iter().map(|g| g.public().clone()).collect();
        let env = envelope::seal_many(&alice, &publics, b"c", &pt).unwrap();
        for g in &group {
            prop_assert_eq!(&open(g, b"c", &env, &alice).unwrap().plaintext[..], &pt[..]);
        }
    }

    #[test]
    fn prop_open_never_panics(mut data in proptest::collection::vec(any::<u8>(), 0..6000)) {
        if !data.is_empty() { data[0] = envelope::MANY_VERSION; }
        let _ = envelope::open_many(&ident(2), b"", &data, |_| None);
        let _ = envelope::recipients_of(&data);
    }
}
