//! The published envelope v2 test vectors (`tests/data/envelope_v2.json`).
//!
//! Each vector is rebuilt with `seal_deterministic`, and every intermediate
//! value is recomputed here from `docs/envelope.md` alone (HKDF, statement,
//! layout) rather than through the library's private helpers, so the file
//! checks the specification as well as the code.
//!
//! Regenerate after an intentional format change with
//! `REGENERATE_VECTORS=1 cargo test -p session-crypto --test envelope_vectors`.

#![allow(clippy::unwrap_used)]

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use session_crypto::envelope;
use session_crypto::{Identity, KemCiphertext, Signature, blake2b_256};
use sha2::Sha256;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/envelope_v2.json");

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct File {
    description: String,
    vectors: Vec<Vector>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Vector {
    name: String,
    sender_kem_seed: String,
    sender_dsa_seed: String,
    sender_id: String,
    recipient_kem_seed: String,
    recipient_dsa_seed: String,
    recipient_id: String,
    context: String,
    plaintext: String,
    kem_randomness: String,
    shared_secret: String,
    kem_ct_hash: String,
    context_hash: String,
    plaintext_hash: String,
    aead_key: String,
    aead_nonce: String,
    statement: String,
    signature: String,
    envelope: String,
}

fn seed<const N: usize>(tag: u8) -> [u8; N] {
    std::array::from_fn(|i| tag.wrapping_add(i as u8))
}

fn build(name: &str, context: &[u8], plaintext: &[u8], tags: [u8; 5]) -> Vector {
    let [sk, sd, rk, rd, m] = tags;
    let sender = Identity::from_seeds(&seed(sk), &seed(sd));
    let recipient = Identity::from_seeds(&seed(rk), &seed(rd));
    let m: [u8; 32] = seed(m);
    let env =
        envelope::seal_deterministic(&sender, recipient.public(), context, plaintext, &m).unwrap();

    // Everything below follows docs/envelope.md step by step.
    let (ct, ss) = recipient.public().encapsulate_derand(&m);
    let ct_hash = blake2b_256(ct.as_bytes());
    let ctx_hash = blake2b_256(context);
    let pt_hash = blake2b_256(plaintext);
    let mut info = b"lux-session/envelope/v2/aead".to_vec();
    info.push(0x02);
    info.extend_from_slice(recipient.id().as_bytes());
    info.extend_from_slice(&ct_hash);
    info.extend_from_slice(&ctx_hash);
    let mut okm = [0u8; 56];
    Hkdf::<Sha256>::new(Some(b"lux-session/envelope/v2"), ss.as_bytes())
        .expand(&info, &mut okm)
        .unwrap();
    let mut statement = b"lux-session/envelope/v2/sig".to_vec();
    statement.push(0x02);
    for part in [
        &ctx_hash,
        sender.id().as_bytes(),
        recipient.id().as_bytes(),
        &ct_hash,
        &pt_hash,
    ] {
        statement.extend_from_slice(part);
    }
    let signature = sender
        .sign_deterministic(&statement, b"lux-session/envelope/v2")
        .unwrap();

    Vector {
        name: name.into(),
        sender_kem_seed: hex::encode(sender.kem_seed()),
        sender_dsa_seed: hex::encode(sender.dsa_seed()),
        sender_id: sender.id().to_string(),
        recipient_kem_seed: hex::encode(recipient.kem_seed()),
        recipient_dsa_seed: hex::encode(recipient.dsa_seed()),
        recipient_id: recipient.id().to_string(),
        context: hex::encode(context),
        plaintext: hex::encode(plaintext),
        kem_randomness: hex::encode(m),
        shared_secret: hex::encode(ss.as_bytes()),
        kem_ct_hash: hex::encode(ct_hash),
        context_hash: hex::encode(ctx_hash),
        plaintext_hash: hex::encode(pt_hash),
        aead_key: hex::encode(&okm[..32]),
        aead_nonce: hex::encode(&okm[32..]),
        statement: hex::encode(&statement),
        signature: hex::encode(signature.as_bytes()),
        envelope: hex::encode(&env),
    }
}

fn generate() -> File {
    let long: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
    File {
        description: "Lux Session sealed envelope v2 (docs/envelope.md). Seeds, KEM randomness, \
                      context and plaintext are inputs; the signature is FIPS 204 deterministic \
                      (rnd = 0^32) with context string \"lux-session/envelope/v2\"; all other \
                      fields are outputs. All byte strings are hex."
            .into(),
        vectors: vec![
            build("empty", b"", b"", [0x00, 0x40, 0x80, 0xc0, 0x10]),
            build(
                "short-with-context",
                b"session-0001",
                b"hello, post-quantum world",
                [0x01, 0x41, 0x81, 0xc1, 0x11],
            ),
            build("1000-bytes", b"ctx", &long, [0x02, 0x42, 0x82, 0xc2, 0x12]),
        ],
    }
}

/// Decrypts the envelope with the published key and nonce and checks the
/// layout of the clear header and the inner payload.
fn check_layout(v: &Vector) {
    let env = hex::decode(&v.envelope).unwrap();
    let (header, body) = env.split_at(envelope::HEADER_LEN);
    assert_eq!(header[0], 0x02);
    let ct = KemCiphertext::from_bytes(&header[1..1089]).unwrap();
    assert_eq!(hex::encode(blake2b_256(ct.as_bytes())), v.kem_ct_hash);
    assert_eq!(
        format!("07{}", hex::encode(&header[1089..])),
        v.recipient_id
    );
    let key: [u8; 32] = hex::decode(&v.aead_key).unwrap().try_into().unwrap();
    let nonce = hex::decode(&v.aead_nonce).unwrap();
    let inner = XChaCha20Poly1305::new(&key.into())
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: body,
                aad: header,
            },
        )
        .unwrap();
    assert_eq!(format!("07{}", hex::encode(&inner[..32])), v.sender_id);
    assert_eq!(hex::encode(&inner[32..32 + 3309]), v.signature);
    let padded = &inner[32 + 3309..];
    let pt = hex::decode(&v.plaintext).unwrap();
    assert_eq!(
        u32::from_be_bytes(padded[..4].try_into().unwrap()) as usize,
        pt.len()
    );
    assert_eq!(&padded[4..4 + pt.len()], &pt[..]);
    assert!(padded[4 + pt.len()..].iter().all(|&b| b == 0));
    assert_eq!(padded.len(), envelope::padded_len(pt.len()));
}

#[test]
fn envelope_v2_vectors() {
    let generated = generate();
    if std::env::var_os("REGENERATE_VECTORS").is_some() {
        let json = serde_json::to_string_pretty(&generated).unwrap();
        std::fs::write(PATH, json + "\n").unwrap();
    }
    let published: File = serde_json::from_str(
        &std::fs::read_to_string(PATH).expect("tests/data/envelope_v2.json is committed"),
    )
    .unwrap();
    assert_eq!(published.vectors.len(), 3);
    for (p, g) in published.vectors.iter().zip(&generated.vectors) {
        assert_eq!(p, g, "vector {} no longer matches the code", p.name);
        check_layout(p);

        // And the library opens it.
        let seed64 = |s: &str| -> [u8; 64] { hex::decode(s).unwrap().try_into().unwrap() };
        let seed32 = |s: &str| -> [u8; 32] { hex::decode(s).unwrap().try_into().unwrap() };
        let sender = Identity::from_seeds(&seed64(&p.sender_kem_seed), &seed32(&p.sender_dsa_seed));
        let recipient = Identity::from_seeds(
            &seed64(&p.recipient_kem_seed),
            &seed32(&p.recipient_dsa_seed),
        );
        let opened = envelope::open(
            &recipient,
            &hex::decode(&p.context).unwrap(),
            &hex::decode(&p.envelope).unwrap(),
            |_| Some(sender.public().clone()),
        )
        .unwrap();
        assert_eq!(opened.sender.to_string(), p.sender_id);
        assert_eq!(hex::encode(&opened.plaintext[..]), p.plaintext);
        let sig = Signature::from_bytes(&hex::decode(&p.signature).unwrap()).unwrap();
        sender
            .public()
            .verify_with_context(
                &hex::decode(&p.statement).unwrap(),
                b"lux-session/envelope/v2",
                &sig,
            )
            .unwrap();
    }
}

const MANY_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/envelope_v3.json");

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct ManyFile {
    description: String,
    vectors: Vec<ManyVector>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct ManyVector {
    name: String,
    sender_kem_seed: String,
    sender_dsa_seed: String,
    sender_id: String,
    recipient_kem_seeds: Vec<String>,
    recipient_dsa_seeds: Vec<String>,
    recipient_ids: Vec<String>,
    context: String,
    plaintext: String,
    kem_randomness: Vec<String>,
    content_key: String,
    envelope: String,
}

fn build_many(name: &str, n: u8, context: &[u8], plaintext: &[u8]) -> ManyVector {
    let sender = Identity::from_seeds(&seed(0x70), &seed(0x71));
    let recipients: Vec<Identity> = (0..n)
        .map(|i| Identity::from_seeds(&seed(0x90 + i), &seed(0xa0 + i)))
        .collect();
    let publics: Vec<_> = recipients.iter().map(|r| r.public().clone()).collect();
    let ms: Vec<[u8; 32]> = (0..n).map(|i| seed(0xb0 + i)).collect();
    let content_key: [u8; 32] = seed(0xc0);
    let env =
        envelope::seal_many_deterministic(&sender, &publics, context, plaintext, &ms, &content_key)
            .unwrap();
    ManyVector {
        name: name.into(),
        sender_kem_seed: hex::encode(sender.kem_seed()),
        sender_dsa_seed: hex::encode(sender.dsa_seed()),
        sender_id: sender.id().to_string(),
        recipient_kem_seeds: recipients
            .iter()
            .map(|r| hex::encode(r.kem_seed()))
            .collect(),
        recipient_dsa_seeds: recipients
            .iter()
            .map(|r| hex::encode(r.dsa_seed()))
            .collect(),
        recipient_ids: recipients.iter().map(|r| r.id().to_string()).collect(),
        context: hex::encode(context),
        plaintext: hex::encode(plaintext),
        kem_randomness: ms.iter().map(hex::encode).collect(),
        content_key: hex::encode(content_key),
        envelope: hex::encode(&env),
    }
}

#[test]
fn envelope_v3_vectors() {
    let generated = ManyFile {
        description: "Lux Session multi-recipient envelope v3 (docs/envelope.md). Seeds, per-recipient \
                      KEM randomness, content key, context and plaintext are inputs; the signature \
                      is FIPS 204 deterministic with context string \"lux-session/envelope/v3\". Hex."
            .into(),
        vectors: vec![
            build_many("one-recipient", 1, b"", b"solo"),
            build_many("three-recipients", 3, b"group-0001", b"hello, group"),
        ],
    };
    if std::env::var_os("REGENERATE_VECTORS").is_some() {
        let json = serde_json::to_string_pretty(&generated).unwrap();
        std::fs::write(MANY_PATH, json + "\n").unwrap();
    }
    let published: ManyFile = serde_json::from_str(
        &std::fs::read_to_string(MANY_PATH).expect("tests/data/envelope_v3.json is committed"),
    )
    .unwrap();
    assert_eq!(published, generated, "v3 vectors no longer match the code");
    for v in &published.vectors {
        let seed64 = |s: &str| -> [u8; 64] { hex::decode(s).unwrap().try_into().unwrap() };
        let seed32 = |s: &str| -> [u8; 32] { hex::decode(s).unwrap().try_into().unwrap() };
        let sender = Identity::from_seeds(&seed64(&v.sender_kem_seed), &seed32(&v.sender_dsa_seed));
        for (k, d) in v.recipient_kem_seeds.iter().zip(&v.recipient_dsa_seeds) {
            let r = Identity::from_seeds(&seed64(k), &seed32(d));
            let o = envelope::open_many(
                &r,
                &hex::decode(&v.context).unwrap(),
                &hex::decode(&v.envelope).unwrap(),
                |_| Some(sender.public().clone()),
            )
            .unwrap();
            assert_eq!(hex::encode(&o.plaintext[..]), v.plaintext);
            assert_eq!(o.sender.to_string(), v.sender_id);
        }
    }
}
