//! Writes outputs of this library (hedged signatures, random encapsulations,
//! compat ciphertexts, envelopes, legacy boxes) as JSON, for
//! `scripts/interop/check.py` to verify with independent implementations.
//!
//! ```sh
//! cargo run -p session-crypto --example interop_export -- /tmp/ours.json
//! python3 scripts/interop/check.py /tmp/ours.json
//! ```

use std::fmt::Write as _;

use session_crypto::legacy::LegacyIdentity;
use session_crypto::{Identity, compat, envelope};

fn seq<const N: usize>(start: u8) -> [u8; N] {
    std::array::from_fn(|i| start.wrapping_add(i as u8))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: interop_export OUT.json")?;
    let mut json = String::from("{\n  \"pq\": [\n");
    for (n, tag) in [0x05u8, 0x60].into_iter().enumerate() {
        let id = Identity::from_seeds(&seq(tag), &seq(tag.wrapping_add(0x80)));
        let (ct, ss) = id.public().encapsulate()?;
        let msg = format!("message {n} from session-crypto").into_bytes();
        let ctx = format!("ctx-{n}").into_bytes();
        let sig_ctx = id.sign_with_context(&msg, &ctx)?;
        let sig_plain = id.sign(&msg);
        let det = id.sign_deterministic(&msg, &ctx)?;
        let compat_ct = compat::encrypt_to_recipient(id.public(), &msg)?;
        let signed = compat::sign_message(&id, &msg);
        if n > 0 {
            json.push_str(",\n");
        }
        write!(
            json,
            concat!(
                "    {{\"kem_seed\": \"{}\", \"dsa_seed\": \"{}\", \"public_identity\": \"{}\", ",
                "\"id\": \"{}\", \"kem_ciphertext\": \"{}\", \"shared_secret\": \"{}\", ",
                "\"message\": \"{}\", \"context\": \"{}\", \"signature_with_context\": \"{}\", ",
                "\"signature\": \"{}\", \"deterministic_signature\": \"{}\", ",
                "\"compat_ciphertext\": \"{}\", \"compat_signed\": \"{}\"}}"
            ),
            hex::encode(id.kem_seed()),
            hex::encode(id.dsa_seed()),
            id.public().to_hex(),
            id.id(),
            hex::encode(ct.as_bytes()),
            hex::encode(ss.as_bytes()),
            hex::encode(&msg),
            hex::encode(&ctx),
            hex::encode(sig_ctx.as_bytes()),
            hex::encode(sig_plain.as_bytes()),
            hex::encode(det.as_bytes()),
            hex::encode(&compat_ct),
            hex::encode(&signed),
        )?;
    }

    let alice = Identity::from_seeds(&seq(0x0a), &seq(0x8a));
    let bob = Identity::from_seeds(&seq(0x0b), &seq(0x8b));
    json.push_str("\n  ],\n  \"envelopes\": [\n");
    for (n, len) in [0usize, 300, 1024].into_iter().enumerate() {
        let pt: Vec<u8> = (0..len).map(|i| (i * 31 + n) as u8).collect();
        let ctx = format!("session-{n}");
        let env = envelope::seal(&alice, bob.public(), ctx.as_bytes(), &pt)?;
        if n > 0 {
            json.push_str(",\n");
        }
        write!(
            json,
            concat!(
                "    {{\"sender_kem_seed\": \"{}\", \"sender_dsa_seed\": \"{}\", ",
                "\"recipient_kem_seed\": \"{}\", \"recipient_dsa_seed\": \"{}\", ",
                "\"context\": \"{}\", \"plaintext\": \"{}\", \"envelope\": \"{}\"}}"
            ),
            hex::encode(alice.kem_seed()),
            hex::encode(alice.dsa_seed()),
            hex::encode(bob.kem_seed()),
            hex::encode(bob.dsa_seed()),
            hex::encode(ctx.as_bytes()),
            hex::encode(&pt),
            hex::encode(&env),
        )?;
    }

    let carol = Identity::from_seeds(&seq(0x0c), &seq(0x8c));
    let group = [bob.public().clone(), carol.public().clone()];
    let env = envelope::seal_many(&alice, &group, b"group", b"hello group")?;
    write!(
        json,
        concat!(
            "\n  ],\n  \"envelopes_many\": [\n    {{\"sender_kem_seed\": \"{}\", ",
            "\"sender_dsa_seed\": \"{}\", \"recipient_kem_seeds\": [\"{}\", \"{}\"], ",
            "\"recipient_dsa_seeds\": [\"{}\", \"{}\"], \"context\": \"{}\", ",
            "\"plaintext\": \"{}\", \"envelope\": \"{}\"}}"
        ),
        hex::encode(alice.kem_seed()),
        hex::encode(alice.dsa_seed()),
        hex::encode(bob.kem_seed()),
        hex::encode(carol.kem_seed()),
        hex::encode(bob.dsa_seed()),
        hex::encode(carol.dsa_seed()),
        hex::encode(b"group"),
        hex::encode(b"hello group"),
        hex::encode(&env),
    )?;

    let old = LegacyIdentity::from_seed(&seq(0x33));
    let msg = b"legacy message from session-crypto";
    write!(
        json,
        concat!(
            "\n  ],\n  \"legacy\": {{\"seed\": \"{}\", \"id\": \"{}\", \"message\": \"{}\", ",
            "\"signature\": \"{}\", \"box\": \"{}\"}}\n}}\n"
        ),
        hex::encode(old.seed()),
        old.id(),
        hex::encode(msg),
        hex::encode(old.sign(msg)),
        hex::encode(old.public().encrypt(msg)?),
    )?;
    std::fs::write(&path, json)?;
    eprintln!("wrote {path}");
    Ok(())
}
