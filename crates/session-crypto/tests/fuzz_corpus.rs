//! Replays the committed fuzz corpora (`fuzz/corpus/crypto_*`) through the
//! same entry points the cargo-fuzz targets call. Fails if a corpus is
//! missing or empty.
//!
//! `cargo test -p session-crypto --test fuzz_corpus -- --ignored` writes any
//! missing hand-made seed inputs (files named `seed-*`).

#![allow(clippy::unwrap_used)]

use session_testkit::{replay_corpus, write_seed};

use session_crypto::keyfile::{KdfParams, KeyFile};
use session_crypto::legacy::LegacyIdentity;
use session_crypto::{Identity, SecretKey, compat, envelope, fuzz, symmetric};

#[test]
fn replay_crypto_public_identity() {
    replay_corpus("crypto_public_identity", fuzz::public_identity);
}

#[test]
fn replay_crypto_envelope() {
    replay_corpus("crypto_envelope", fuzz::envelope_open);
}

#[test]
fn replay_crypto_keyfile() {
    replay_corpus("crypto_keyfile", fuzz::keyfile);
}

#[test]
fn replay_crypto_compat() {
    replay_corpus("crypto_compat", fuzz::compat);
}

#[test]
fn replay_crypto_legacy() {
    replay_corpus("crypto_legacy", fuzz::legacy);
}

fn write(target: &str, name: &str, bytes: &[u8]) {
    write_seed(target, name, bytes);
}

/// Writes the seed inputs. Run with `--ignored` after a format change.
#[test]
#[ignore]
fn write_seed_corpora() {
    let (r, s) = (fuzz::recipient(), fuzz::sender());
    let other = Identity::from_seeds(&[1; 64], &[2; 32]);

    let pi = "crypto_public_identity";
    write(pi, "pq-bytes", &r.public().to_bytes());
    write(
        pi,
        "pq-hex",
        format!("{}\n", r.public().to_hex()).as_bytes(),
    );
    write(pi, "id-text", r.id().to_string().as_bytes());
    write(pi, "signature", s.sign(b"fuzz").as_bytes());
    // The differential mode: a valid signature with one bit changed in its
    // commitment hash, its response and its hints (offset, then XOR mask).
    write(pi, "flip-commitment", &[0, 16, 1]);
    write(pi, "flip-response", &[4, 0, 0x40]);
    write(pi, "flip-hint", &[12, 200, 2]);
    write(
        pi,
        "legacy-hex",
        hex::encode(fuzz::legacy_recipient().public().to_bytes()).as_bytes(),
    );

    let ev = "crypto_envelope";
    let mut e = vec![0u8];
    e.extend(envelope::seal(s, r.public(), b"fuzz", b"hello fuzzer").unwrap());
    write(ev, "valid", &e);
    let mut e = vec![1u8];
    e.extend(envelope::seal(s, other.public(), b"fuzz", &[7; 300]).unwrap());
    write(ev, "patched-recipient", &e);
    let mut e = vec![0u8];
    e.extend(envelope::seal(&other, r.public(), b"fuzz", b"unknown sender").unwrap());
    write(ev, "unknown-sender", &e);
    write(ev, "truncated", &[0, 2, 0, 0, 0]);
    let mut e = vec![0u8];
    let group = [other.public().clone(), r.public().clone()];
    e.extend(envelope::seal_many(s, &group, b"fuzz", b"hello group").unwrap());
    write(ev, "many", &e);

    let kf = "crypto_keyfile";
    let cheap = KdfParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };
    let pq = SecretKey::Pq(Identity::from_seeds(&[9; 64], &[8; 32]));
    let lg = SecretKey::Legacy(LegacyIdentity::from_seed(&[7; 32]));
    write(kf, "pq-plain", &KeyFile::encode(&pq, None).unwrap());
    write(kf, "legacy-plain", &KeyFile::encode(&lg, None).unwrap());
    let pass = Some((fuzz::KEYFILE_PASSPHRASE, cheap));
    write(kf, "pq-encrypted", &KeyFile::encode(&pq, pass).unwrap());
    write(kf, "legacy-encrypted", &KeyFile::encode(&lg, pass).unwrap());
    write(kf, "public-hex", pq.public().to_hex().as_bytes());

    let cp = "crypto_compat";
    write(
        cp,
        "encrypted",
        &compat::encrypt_to_recipient(r.public(), b"go client").unwrap(),
    );
    write(cp, "signed", &compat::sign_message(s, b"go client"));
    write(cp, "symmetric", &symmetric::encrypt(&[0x42; 32], b"sym"));

    let lc = "crypto_legacy";
    let l = fuzz::legacy_recipient();
    write(lc, "public-key", &l.public().to_bytes());
    write(lc, "box", &l.public().encrypt(b"legacy fuzz").unwrap());
    write(lc, "signature", &l.sign(b"fuzz"));
}
