#![allow(missing_docs, clippy::unwrap_used)]
//! Criterion benchmarks for every session-crypto operation.
//!
//! `cargo bench -p session-crypto --bench crypto -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use session_crypto::keyfile::{KdfParams, KeyFile};
use session_crypto::legacy::LegacyIdentity;
use session_crypto::{
    Identity, KemCiphertext, PublicIdentity, SecretKey, blake2b_256, compat, envelope, symmetric,
};

fn alice() -> Identity {
    Identity::from_seeds(&[1; 64], &[2; 32])
}

fn bob() -> Identity {
    Identity::from_seeds(&[3; 64], &[4; 32])
}

fn identity(c: &mut Criterion) {
    let mut g = c.benchmark_group("identity");
    g.bench_function("generate", |b| b.iter(Identity::generate));
    g.bench_function("from_seeds", |b| {
        b.iter(|| Identity::from_seeds(black_box(&[7; 64]), black_box(&[8; 32])))
    });
    let bytes = alice().public().to_bytes();
    g.bench_function("public_identity_from_bytes", |b| {
        b.iter(|| PublicIdentity::from_bytes(black_box(&bytes)))
    });
    g.bench_function("blake2b_256_1KiB", |b| {
        let data = [0x5a; 1024];
        b.iter(|| blake2b_256(black_box(&data)))
    });
    g.finish();
}

fn kem(c: &mut Criterion) {
    let mut g = c.benchmark_group("kem");
    let b_id = bob();
    let (ct, _) = b_id.public().encapsulate().unwrap();
    g.bench_function("encapsulate", |b| b.iter(|| b_id.public().encapsulate()));
    g.bench_function("decapsulate", |b| {
        b.iter(|| b_id.decapsulate(black_box(&ct)))
    });
    g.bench_function("encapsulate+decapsulate", |b| {
        b.iter(|| {
            let (ct, ss) = b_id.public().encapsulate().unwrap();
            (b_id.decapsulate(&ct).unwrap(), ss)
        })
    });
    let bytes = *ct.as_bytes();
    g.bench_function("ciphertext_from_bytes", |b| {
        b.iter(|| KemCiphertext::from_bytes(black_box(&bytes)))
    });
    g.finish();
}

fn dsa(c: &mut Criterion) {
    let mut g = c.benchmark_group("dsa");
    let a = alice();
    let msg = [0x42u8; 256];
    let sig = a.sign(&msg);
    g.bench_function("sign", |b| b.iter(|| a.sign(black_box(&msg))));
    g.bench_function("sign_deterministic", |b| {
        b.iter(|| a.sign_deterministic(black_box(&msg), b""))
    });
    g.bench_function("verify", |b| {
        b.iter(|| a.public().verify(black_box(&msg), black_box(&sig)))
    });
    let prepared = PublicIdentity::from_bytes(&a.public().to_bytes()).unwrap();
    prepared.prepare();
    g.bench_function("verify_prepared", |b| {
        b.iter(|| prepared.verify(black_box(&msg), black_box(&sig)))
    });
    g.bench_function("prepare", |b| {
        b.iter_batched(
            || PublicIdentity::from_bytes(&a.public().to_bytes()).unwrap(),
            |key| key.prepare().is_prepared(),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("sign+verify", |b| {
        b.iter(|| {
            let s = a.sign(black_box(&msg));
            a.public().verify(&msg, &s)
        })
    });
    g.finish();
}

fn envelopes(c: &mut Criterion) {
    let mut g = c.benchmark_group("envelope");
    let (a, b_id) = (alice(), bob());
    let a_pub = a.public().clone();
    for size in [64usize, 1024, 16 * 1024] {
        let pt = vec![0x33u8; size];
        let env = envelope::seal(&a, b_id.public(), b"session", &pt).unwrap();
        let label = if size >= 1024 {
            format!("{}KiB", size / 1024)
        } else {
            format!("{size}B")
        };
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function(format!("seal_{label}"), |b| {
            b.iter(|| envelope::seal(&a, b_id.public(), b"session", black_box(&pt)))
        });
        g.bench_function(format!("open_{label}"), |b| {
            b.iter(|| envelope::open(&b_id, b"session", black_box(&env), |_| Some(a_pub.clone())))
        });
        g.bench_function(format!("seal+open_{label}"), |b| {
            b.iter(|| {
                let env = envelope::seal(&a, b_id.public(), b"session", black_box(&pt)).unwrap();
                envelope::open(&b_id, b"session", &env, |_| Some(a_pub.clone())).unwrap()
            })
        });
    }
    let group: Vec<Identity> = (10..18)
        .map(|t| Identity::from_seeds(&[t; 64], &[t; 32]))
        .collect();
    let publics: Vec<PublicIdentity> = group.iter().map(|g| g.public().clone()).collect();
    let pt = vec![0x44u8; 1024];
    let env = envelope::seal_many(&a, &publics, b"session", &pt).unwrap();
    g.throughput(Throughput::Bytes(1024));
    g.bench_function("seal_many_8_recipients_1KiB", |b| {
        b.iter(|| envelope::seal_many(&a, &publics, b"session", black_box(&pt)))
    });
    g.bench_function("open_many_8_recipients_1KiB", |b| {
        b.iter(|| {
            envelope::open_many(&group[7], b"session", black_box(&env), |_| {
                Some(a_pub.clone())
            })
        })
    });
    g.finish();
}

fn compat_and_symmetric(c: &mut Criterion) {
    let mut g = c.benchmark_group("compat");
    let b_id = bob();
    let pt = vec![0x11u8; 1024];
    let ct = compat::encrypt_to_recipient(b_id.public(), &pt).unwrap();
    g.throughput(Throughput::Bytes(1024));
    g.bench_function("encrypt_to_recipient_1KiB", |b| {
        b.iter(|| compat::encrypt_to_recipient(b_id.public(), black_box(&pt)))
    });
    g.bench_function("decrypt_from_1KiB", |b| {
        b.iter(|| compat::decrypt_from(&b_id, black_box(&ct)))
    });
    let signed = compat::sign_message(&b_id, &pt);
    g.bench_function("sign_message_1KiB", |b| {
        b.iter(|| compat::sign_message(&b_id, black_box(&pt)))
    });
    g.bench_function("verify_message_1KiB", |b| {
        b.iter(|| compat::verify_message(b_id.public(), black_box(&signed)))
    });
    g.finish();

    let mut g = c.benchmark_group("symmetric");
    let key = [9u8; 32];
    let sealed = symmetric::encrypt(&key, &pt);
    g.throughput(Throughput::Bytes(1024));
    g.bench_function("encrypt_1KiB", |b| {
        b.iter(|| symmetric::encrypt(&key, black_box(&pt)))
    });
    g.bench_function("decrypt_1KiB", |b| {
        b.iter(|| symmetric::decrypt(&key, black_box(&sealed)))
    });
    g.finish();
}

fn legacy(c: &mut Criterion) {
    let mut g = c.benchmark_group("legacy");
    let l = LegacyIdentity::from_seed(&[5; 32]);
    let msg = [0x77u8; 256];
    let sig = l.sign(&msg);
    let boxed = l.public().encrypt(&msg).unwrap();
    g.bench_function("generate", |b| b.iter(LegacyIdentity::generate));
    g.bench_function("sign", |b| b.iter(|| l.sign(black_box(&msg))));
    g.bench_function("verify", |b| {
        b.iter(|| l.public().verify(black_box(&msg), black_box(&sig)))
    });
    g.bench_function("encrypt_256B", |b| {
        b.iter(|| l.public().encrypt(black_box(&msg)))
    });
    g.bench_function("decrypt_256B", |b| b.iter(|| l.decrypt(black_box(&boxed))));
    g.finish();
}

fn keyfiles(c: &mut Criterion) {
    let mut g = c.benchmark_group("keyfile");
    let key = SecretKey::Pq(alice());
    let plain = KeyFile::encode(&key, None).unwrap();
    g.bench_function("unlock_plain", |b| {
        b.iter(|| KeyFile::parse(black_box(&plain)).unwrap().unlock(None))
    });
    g.sample_size(10);
    let locked = KeyFile::encode(&key, Some((b"pw", KdfParams::DEFAULT))).unwrap();
    g.bench_function("unlock_argon2id_64MiB", |b| {
        b.iter_batched(
            || KeyFile::parse(&locked).unwrap(),
            |f| f.unlock(Some(b"pw")),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(
    benches,
    identity,
    kem,
    dsa,
    envelopes,
    compat_and_symmetric,
    legacy,
    keyfiles
);
criterion_main!(benches);
