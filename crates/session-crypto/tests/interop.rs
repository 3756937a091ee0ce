//! Vectors from independent implementations (kyber-py, dilithium-py and
//! RFC reference code; `scripts/interop/gen_vectors.py`): our code must
//! reproduce every value.

#![allow(clippy::unwrap_used)]

use serde::Deserialize;
use session_crypto::legacy::LegacyIdentity;
use session_crypto::{Identity, KemCiphertext, PublicIdentity, Signature, compat};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/interop_pq.json");

#[derive(Deserialize)]
struct File {
    pq: Vec<Pq>,
    legacy: Vec<Legacy>,
}

#[derive(Deserialize)]
struct Pq {
    kem_seed: String,
    dsa_seed: String,
    kem_public_key: String,
    dsa_public_key: String,
    id: String,
    encaps_randomness: String,
    kem_ciphertext: String,
    shared_secret: String,
    message: String,
    context: String,
    deterministic_signature: String,
    compat_plaintext: String,
    compat_ciphertext: String,
}

#[derive(Deserialize)]
struct Legacy {
    seed: String,
    ed25519_public_key: String,
    x25519_secret_key: String,
    x25519_public_key: String,
    id: String,
}

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn arr<const N: usize>(s: &str) -> [u8; N] {
    h(s).try_into().unwrap()
}

fn load() -> File {
    serde_json::from_str(&std::fs::read_to_string(PATH).expect("interop_pq.json is committed"))
        .unwrap()
}

#[test]
fn pq_vectors_reproduce() {
    let file = load();
    assert_eq!(file.pq.len(), 3);
    for (n, v) in file.pq.iter().enumerate() {
        let id = Identity::from_seeds(&arr(&v.kem_seed), &arr(&v.dsa_seed));
        // Keys from seeds.
        assert_eq!(
            id.public().kem_public_key()[..],
            h(&v.kem_public_key)[..],
            "case {n}"
        );
        assert_eq!(
            id.public().dsa_public_key()[..],
            h(&v.dsa_public_key)[..],
            "case {n}"
        );
        assert_eq!(id.id().to_string(), v.id, "case {n}");
        let mut public = h(&v.kem_public_key);
        public.extend(h(&v.dsa_public_key));
        assert_eq!(&PublicIdentity::from_bytes(&public).unwrap(), id.public());

        // Encapsulation with fixed randomness, and decapsulation of theirs.
        let (ct, ss) = id.public().encapsulate_derand(&arr(&v.encaps_randomness));
        assert_eq!(ct.as_bytes()[..], h(&v.kem_ciphertext)[..], "case {n}");
        assert_eq!(ss.as_bytes()[..], h(&v.shared_secret)[..], "case {n}");
        let theirs = KemCiphertext::from_bytes(&h(&v.kem_ciphertext)).unwrap();
        assert_eq!(
            id.decapsulate(&theirs).unwrap().as_bytes()[..],
            h(&v.shared_secret)[..]
        );

        // Deterministic signature, byte for byte; and theirs verifies.
        let (msg, ctx) = (h(&v.message), h(&v.context));
        let sig = id.sign_deterministic(&msg, &ctx).unwrap();
        assert_eq!(
            hex::encode(sig.as_bytes()),
            v.deterministic_signature,
            "case {n}"
        );
        let theirs = Signature::from_bytes(&h(&v.deterministic_signature)).unwrap();
        id.public()
            .verify_with_context(&msg, &ctx, &theirs)
            .unwrap();
        assert!(
            id.public()
                .verify_with_context(&msg, b"other", &theirs)
                .is_err()
        );
        // The same with a prepared key (built from their bytes, not ours).
        let prepared = PublicIdentity::from_bytes(&public).unwrap();
        prepared.prepare();
        prepared.verify_with_context(&msg, &ctx, &theirs).unwrap();
        assert!(
            prepared
                .verify_with_context(&msg, b"other", &theirs)
                .is_err()
        );

        // The Go reference's compat format, built by the Python side.
        let pt = compat::decrypt_from(&id, &h(&v.compat_ciphertext)).unwrap();
        assert_eq!(&pt[..], &h(&v.compat_plaintext)[..], "case {n}");
    }
}

#[test]
fn legacy_vectors_reproduce() {
    let file = load();
    assert_eq!(file.legacy.len(), 2);
    for v in &file.legacy {
        let id = LegacyIdentity::from_seed(&arr(&v.seed));
        assert_eq!(hex::encode(id.public().to_bytes()), v.ed25519_public_key);
        assert_eq!(hex::encode(id.x25519_secret_key()), v.x25519_secret_key);
        assert_eq!(
            hex::encode(id.public().x25519_public_key()),
            v.x25519_public_key
        );
        assert_eq!(id.id().to_string(), v.id);
    }
}
