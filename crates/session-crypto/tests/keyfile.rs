//! Key files: round trips, passphrases, permissions and malformed input.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use session_crypto::keyfile::{self, KdfParams, KeyFile};
use session_crypto::legacy::LegacyIdentity;
use session_crypto::{Error, Identity, KeyKind, PublicKey, SecretKey};

/// Cheap Argon2id parameters so tests stay fast.
const FAST: KdfParams = KdfParams {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

fn pq() -> SecretKey {
    SecretKey::Pq(Identity::from_seeds(&[7; 64], &[8; 32]))
}
fn legacy() -> SecretKey {
    SecretKey::Legacy(LegacyIdentity::from_seed(&[9; 32]))
}

#[test]
fn plain_round_trip_both_kinds() {
    for key in [pq(), legacy()] {
        let bytes = KeyFile::encode(&key, None).unwrap();
        let f = KeyFile::parse(&bytes).unwrap();
        assert!(!f.is_encrypted());
        assert_eq!(f.kind(), key.kind());
        assert_eq!(f.id_string(), key.id_string());
        let back = f.unlock(None).unwrap();
        assert_eq!(back.public(), key.public());
        // A passphrase for a plain file is ignored.
        assert_eq!(f.unlock(Some(b"x")).unwrap().public(), key.public());
    }
    assert_eq!(KeyFile::encode(&pq(), None).unwrap().len(), 41 + 96);
    assert_eq!(KeyFile::encode(&legacy(), None).unwrap().len(), 41 + 32);
}

#[test]
fn encrypted_round_trip_and_wrong_passphrase() {
    for key in [pq(), legacy()] {
        let bytes = KeyFile::encode(&key, Some((b"correct horse", FAST))).unwrap();
        let f = KeyFile::parse(&bytes).unwrap();
        assert!(f.is_encrypted());
        assert_eq!(f.kdf_params(), Some(FAST));
        // The ID is visible without the passphrase.
        assert_eq!(f.id_string(), key.id_string());
        assert!(matches!(f.unlock(None), Err(Error::PassphraseRequired)));
        assert!(matches!(
            f.unlock(Some(b"correct horsf")),
            Err(Error::WrongPassphrase)
        ));
        let back = f.unlock(Some(b"correct horse")).unwrap();
        assert_eq!(back.public(), key.public());
        // Seeds do not appear in the clear.
        if let SecretKey::Pq(i) = &key {
            assert!(!bytes.windows(32).any(|w| w == i.dsa_seed()));
        }
    }
}

#[test]
fn tampering_is_detected() {
    let plain = KeyFile::encode(&pq(), None).unwrap();
    // Changing a seed byte changes the ID: caught.
    let mut t = plain.to_vec();
    *t.last_mut().unwrap() ^= 1;
    assert!(matches!(
        KeyFile::parse(&t).unwrap().unlock(None),
        Err(Error::Malformed(_))
    ));
    // Changing the header ID: caught.
    let mut t = plain.to_vec();
    t[20] ^= 1;
    assert!(KeyFile::parse(&t).unwrap().unlock(None).is_err());

    let enc = KeyFile::encode(&pq(), Some((b"pw", FAST))).unwrap();
    for i in [9, 20, 40, 41 + 12, 41 + 30, enc.len() - 1] {
        let mut t = enc.to_vec();
        t[i] ^= 1;
        assert!(
            KeyFile::parse(&t).unwrap().unlock(Some(b"pw")).is_err(),
            "byte {i}"
        );
    }
}

#[test]
fn malformed_files() {
    let plain = KeyFile::encode(&pq(), None).unwrap();
    let enc = KeyFile::encode(&legacy(), Some((b"pw", FAST))).unwrap();
    for len in 0..plain.len() {
        assert!(KeyFile::parse(&plain[..len]).is_err());
    }
    for len in 0..enc.len() {
        assert!(KeyFile::parse(&enc[..len]).is_err());
    }
    let mut long = plain.to_vec();
    long.push(0);
    assert!(matches!(
        KeyFile::parse(&long),
        Err(Error::InvalidLength { .. })
    ));
    let mut bad = plain.to_vec();
    bad[0] = b'X';
    assert!(matches!(KeyFile::parse(&bad), Err(Error::Malformed(_))));
    let mut bad = plain.to_vec();
    bad[6] = 2;
    assert!(matches!(
        KeyFile::parse(&bad),
        Err(Error::UnsupportedVersion { version: 2, .. })
    ));
    let mut bad = plain.to_vec();
    bad[7] = 0x06;
    assert!(KeyFile::parse(&bad).is_err());
    let mut bad = plain.to_vec();
    bad[8] = 0x02;
    assert!(KeyFile::parse(&bad).is_err());
    // Hostile Argon2 parameters are refused before any work is done.
    let mut bad = enc.to_vec();
    bad[41..45].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(
        KeyFile::parse(&bad).unwrap().unlock(Some(b"pw")),
        Err(Error::KdfParams)
    ));
    let mut bad = enc.to_vec();
    bad[49..53].copy_from_slice(&0u32.to_be_bytes());
    assert!(matches!(
        KeyFile::parse(&bad).unwrap().unlock(Some(b"pw")),
        Err(Error::KdfParams)
    ));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn files_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("id.key");
    keyfile::write_key_file(&path, &pq(), Some((b"pw", FAST))).unwrap();
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let back = keyfile::load_key_file(&path, Some(b"pw")).unwrap();
    assert_eq!(back.id_string(), pq().id_string());
    // Never overwrites.
    let err = keyfile::write_key_file(&path, &legacy(), None).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert_eq!(
        keyfile::read_key_file(&path).unwrap().kind(),
        KeyKind::PostQuantum
    );
    // Missing file.
    assert!(matches!(
        keyfile::read_key_file(&dir.path().join("nope")),
        Err(Error::Io { .. })
    ));

    // Public files: hex text, readable by anyone, round trip.
    let pub_path = dir.path().join("id.pub");
    keyfile::write_public_file(&pub_path, &pq().public()).unwrap();
    assert_eq!(keyfile::read_public_file(&pub_path).unwrap(), pq().public());
    std::fs::write(&pub_path, legacy().public().to_bytes()).unwrap();
    assert_eq!(
        keyfile::read_public_file(&pub_path).unwrap(),
        legacy().public()
    );
    std::fs::write(&pub_path, vec![b'a'; 20_000]).unwrap();
    assert!(keyfile::read_public_file(&pub_path).is_err());
    let _ = PublicKey::parse(b"zz");
}

#[cfg(unix)]
#[test]
fn refuses_files_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("id.key");
    keyfile::write_key_file(&path, &legacy(), None).unwrap();
    for bad in [0o644, 0o640, 0o604, 0o660, 0o602] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(bad)).unwrap();
        let err = keyfile::read_key_file(&path).unwrap_err();
        assert!(
            matches!(err, Error::InsecurePermissions { mode } if mode == bad),
            "{err}"
        );
        assert!(err.to_string().contains("chmod 600"));
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    keyfile::load_key_file(&path, None).unwrap();
    // An oversized file is refused without reading it all.
    let big = dir.path().join("big.key");
    std::fs::write(&big, vec![0u8; 5000]).unwrap();
    std::fs::set_permissions(&big, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(matches!(
        keyfile::read_key_file(&big),
        Err(Error::Io { .. })
    ));
}

#[test]
fn default_params_work() {
    // The real default (64 MiB) once, to make sure it is accepted.
    let bytes = KeyFile::encode(&legacy(), Some((b"pw", KdfParams::default()))).unwrap();
    let f = KeyFile::parse(&bytes).unwrap();
    assert_eq!(f.kdf_params(), Some(KdfParams::DEFAULT));
    assert_eq!(
        f.unlock(Some(b"pw")).unwrap().id_string(),
        legacy().id_string()
    );
}
