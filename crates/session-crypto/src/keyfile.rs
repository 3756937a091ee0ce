//! Key files: a small versioned binary format holding an identity's seeds,
//! optionally encrypted with a passphrase.
//!
//! ```text
//! header = "LXSKEY" ‖ version 0x01 ‖ kind (0x07 | 0x05) ‖ protection (0x00 | 0x01) ‖ id(32)
//! protection 0x00: file = header ‖ seeds
//! protection 0x01: file = header ‖ m_cost u32be ‖ t_cost u32be ‖ p_cost u32be ‖ salt(16) ‖ nonce(24)
//!                         ‖ XChaCha20-Poly1305(key = Argon2id(passphrase, salt, m, t, p), nonce,
//!                                              seeds, ad = every byte before the ciphertext)
//! seeds  = kem_seed(64) ‖ dsa_seed(32)   for kind 0x07
//!        = ed25519_seed(32)              for kind 0x05
//! ```
//!
//! `id` is the identity's 32-byte ID (Blake2b-256 of the public identity for
//! `07`, the X25519 key for `05`), kept in the clear so the ID can be shown
//! without the passphrase; it is authenticated, and checked against the
//! seeds on load. Files are created with mode 0600 and, on Unix, files that
//! other users can access are refused.

use std::fmt;
use std::io::{Read, Write};
use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::keys::{KeyKind, PublicKey, SecretKey};
use crate::legacy::LegacyIdentity;
use crate::random;
use crate::sizes::{DSA_SEED_LEN, KEM_SEED_LEN};
use crate::symmetric::{self, KEY_LEN, NONCE_LEN, TAG_LEN};

/// The file's magic bytes.
pub const MAGIC: &[u8; 6] = b"LXSKEY";
/// The format version this library writes and reads.
pub const FORMAT_VERSION: u8 = 0x01;
/// Largest key file accepted.
pub const MAX_KEY_FILE_LEN: usize = 1024;
/// Largest public key file accepted.
pub const MAX_PUBLIC_FILE_LEN: usize = 16 * 1024;

const HEADER_LEN: usize = MAGIC.len() + 3 + 32;
const KDF_LEN: usize = 12 + SALT_LEN + NONCE_LEN;
const SALT_LEN: usize = 16;
const KIND_PQ: u8 = 0x07;
const KIND_LEGACY: u8 = 0x05;
const PLAIN: u8 = 0x00;
const ARGON2ID: u8 = 0x01;

/// Argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Iterations.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// The default for new files: 64 MiB, 3 passes, 1 lane (RFC 9106's
    /// memory-constrained recommendation).
    pub const DEFAULT: KdfParams = KdfParams {
        m_cost_kib: 64 * 1024,
        t_cost: 3,
        p_cost: 1,
    };
    /// Largest accepted memory cost (2 GiB), so a hostile file cannot make
    /// loading exhaust memory.
    pub const MAX_M_COST_KIB: u32 = 2 * 1024 * 1024;
    /// Largest accepted iteration count.
    pub const MAX_T_COST: u32 = 64;
    /// Largest accepted lane count.
    pub const MAX_P_COST: u32 = 16;

    fn argon2(&self) -> Result<Argon2<'static>> {
        if self.m_cost_kib > Self::MAX_M_COST_KIB
            || self.t_cost > Self::MAX_T_COST
            || self.p_cost > Self::MAX_P_COST
        {
            return Err(Error::KdfParams);
        }
        let params = Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(KEY_LEN))
            .map_err(|_| Error::KdfParams)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A parsed, still locked key file.
pub struct KeyFile {
    kind: KeyKind,
    id: [u8; 32],
    kdf: Option<(KdfParams, [u8; SALT_LEN], [u8; NONCE_LEN])>,
    /// Bytes authenticated as associated data (everything before the body).
    prefix: Vec<u8>,
    body: Zeroizing<Vec<u8>>,
}

fn seeds_len(kind: KeyKind) -> usize {
    match kind {
        KeyKind::PostQuantum => KEM_SEED_LEN + DSA_SEED_LEN,
        KeyKind::Legacy => 32,
    }
}

impl KeyFile {
    /// Parses a key file's bytes, checking the magic, version and exact length.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < HEADER_LEN {
            return Err(Error::Truncated {
                what: "key file",
                min: HEADER_LEN,
                got: bytes.len(),
            });
        }
        if &bytes[..MAGIC.len()] != MAGIC {
            return Err(Error::Malformed("key file (not a session key file)"));
        }
        let version = bytes[6];
        if version != FORMAT_VERSION {
            return Err(Error::UnsupportedVersion {
                what: "key file",
                version,
            });
        }
        let kind = match bytes[7] {
            KIND_PQ => KeyKind::PostQuantum,
            KIND_LEGACY => KeyKind::Legacy,
            _ => return Err(Error::Malformed("key file (unknown key kind)")),
        };
        let id: [u8; 32] = bytes[9..HEADER_LEN]
            .try_into()
            .expect("header length checked");
        let (kdf, prefix_len, body_len) = match bytes[8] {
            PLAIN => (None, HEADER_LEN, seeds_len(kind)),
            ARGON2ID => {
                if bytes.len() < HEADER_LEN + KDF_LEN {
                    return Err(Error::Truncated {
                        what: "key file",
                        min: HEADER_LEN + KDF_LEN,
                        got: bytes.len(),
                    });
                }
                let p = &bytes[HEADER_LEN..HEADER_LEN + KDF_LEN];
                let u32_at =
                    |i: usize| u32::from_be_bytes(p[i..i + 4].try_into().expect("4 bytes"));
                let params = KdfParams {
                    m_cost_kib: u32_at(0),
                    t_cost: u32_at(4),
                    p_cost: u32_at(8),
                };
                let salt = p[12..12 + SALT_LEN].try_into().expect("salt length");
                let nonce = p[12 + SALT_LEN..].try_into().expect("nonce length");
                (
                    Some((params, salt, nonce)),
                    HEADER_LEN + KDF_LEN,
                    seeds_len(kind) + TAG_LEN,
                )
            }
            _ => return Err(Error::Malformed("key file (unknown protection)")),
        };
        if bytes.len() != prefix_len + body_len {
            return Err(Error::length(
                "key file",
                prefix_len + body_len,
                bytes.len(),
            ));
        }
        Ok(KeyFile {
            kind,
            id,
            kdf,
            prefix: bytes[..prefix_len].to_vec(),
            body: Zeroizing::new(bytes[prefix_len..].to_vec()),
        })
    }

    /// The kind of key inside.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// Whether a passphrase is needed to unlock it.
    pub fn is_encrypted(&self) -> bool {
        self.kdf.is_some()
    }

    /// The Argon2id parameters of an encrypted file.
    pub fn kdf_params(&self) -> Option<KdfParams> {
        self.kdf.map(|(p, _, _)| p)
    }

    /// The ID recorded in the header, in text form (`07…` or `05…`).
    pub fn id_string(&self) -> String {
        format!("{}{}", self.kind.prefix(), hex::encode(self.id))
    }

    /// Decrypts (if needed) and derives the identity. A passphrase given for
    /// an unencrypted file is ignored.
    pub fn unlock(&self, passphrase: Option<&[u8]>) -> Result<SecretKey> {
        let seeds = match &self.kdf {
            None => self.body.clone(),
            Some((params, salt, nonce)) => {
                let pass = passphrase.ok_or(Error::PassphraseRequired)?;
                let key = derive_key(pass, salt, params)?;
                symmetric::open_raw(&key, nonce, &self.body, &self.prefix)
                    .map_err(|_| Error::WrongPassphrase)?
            }
        };
        let key = secret_from_seeds(self.kind, &seeds)?;
        if key.id_bytes() != self.id {
            return Err(Error::Malformed("key file (ID does not match the keys)"));
        }
        Ok(key)
    }

    /// Encodes `key`, encrypted under `passphrase` with `params` if given.
    pub fn encode(
        key: &SecretKey,
        passphrase: Option<(&[u8], KdfParams)>,
    ) -> Result<Zeroizing<Vec<u8>>> {
        let mut seeds = Zeroizing::new(Vec::with_capacity(KEM_SEED_LEN + DSA_SEED_LEN));
        let kind = match key {
            SecretKey::Pq(i) => {
                seeds.extend_from_slice(i.kem_seed());
                seeds.extend_from_slice(i.dsa_seed());
                KIND_PQ
            }
            SecretKey::Legacy(l) => {
                seeds.extend_from_slice(l.seed());
                KIND_LEGACY
            }
        };
        let mut out = Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE_LEN));
        out.extend_from_slice(MAGIC);
        out.push(FORMAT_VERSION);
        out.push(kind);
        out.push(if passphrase.is_some() {
            ARGON2ID
        } else {
            PLAIN
        });
        out.extend_from_slice(&key.id_bytes());
        match passphrase {
            None => out.extend_from_slice(&seeds),
            Some((pass, params)) => {
                let salt = random::array::<SALT_LEN>();
                let nonce = random::array::<NONCE_LEN>();
                for v in [params.m_cost_kib, params.t_cost, params.p_cost] {
                    out.extend_from_slice(&v.to_be_bytes());
                }
                out.extend_from_slice(&salt);
                out.extend_from_slice(&nonce);
                let key = derive_key(pass, &salt, &params)?;
                let body = symmetric::seal_raw(&key, &nonce, &seeds, &out);
                out.extend_from_slice(&body);
            }
        }
        Ok(out)
    }
}

impl fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyFile")
            .field("id", &self.id_string())
            .field("encrypted", &self.is_encrypted())
            .finish_non_exhaustive()
    }
}

fn derive_key(
    pass: &[u8],
    salt: &[u8; SALT_LEN],
    params: &KdfParams,
) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    params
        .argon2()?
        .hash_password_into(pass, salt, &mut key[..])
        .map_err(|_| Error::KdfParams)?;
    Ok(key)
}

fn secret_from_seeds(kind: KeyKind, seeds: &[u8]) -> Result<SecretKey> {
    match kind {
        KeyKind::PostQuantum => {
            let kem: &[u8; KEM_SEED_LEN] = seeds
                .get(..KEM_SEED_LEN)
                .and_then(|s| s.try_into().ok())
                .ok_or(Error::Malformed("key file seeds"))?;
            let dsa: &[u8; DSA_SEED_LEN] = seeds
                .get(KEM_SEED_LEN..)
                .and_then(|s| s.try_into().ok())
                .ok_or(Error::Malformed("key file seeds"))?;
            Ok(SecretKey::Pq(Identity::from_seeds(kem, dsa)))
        }
        KeyKind::Legacy => {
            let seed: &[u8; 32] = seeds
                .try_into()
                .map_err(|_| Error::Malformed("key file seeds"))?;
            Ok(SecretKey::Legacy(LegacyIdentity::from_seed(seed)))
        }
    }
}

/// Writes a new key file with mode 0600. Fails if `path` already exists.
pub fn write_key_file(
    path: &Path,
    key: &SecretKey,
    passphrase: Option<(&[u8], KdfParams)>,
) -> Result<()> {
    let bytes = KeyFile::encode(key, passphrase)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let ctx = || format!("cannot create key file {}", path.display());
    let mut f = opts.open(path).map_err(|e| Error::io(ctx(), e))?;
    f.write_all(&bytes).map_err(|e| Error::io(ctx(), e))?;
    f.sync_all().map_err(|e| Error::io(ctx(), e))
}

/// Reads and parses a key file, refusing files other users can access.
pub fn read_key_file(path: &Path) -> Result<KeyFile> {
    let ctx = || format!("cannot read key file {}", path.display());
    let f = std::fs::File::open(path).map_err(|e| Error::io(ctx(), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = f
            .metadata()
            .map_err(|e| Error::io(ctx(), e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(Error::InsecurePermissions { mode: mode & 0o777 });
        }
    }
    let bytes = read_bounded(f, MAX_KEY_FILE_LEN).map_err(|e| Error::io(ctx(), e))?;
    KeyFile::parse(&bytes)
}

/// Reads, unlocks and returns the identity in a key file.
pub fn load_key_file(path: &Path, passphrase: Option<&[u8]>) -> Result<SecretKey> {
    read_key_file(path)?.unlock(passphrase)
}

/// Writes a public key as hex text plus a newline (readable by anyone).
pub fn write_public_file(path: &Path, key: &PublicKey) -> Result<()> {
    std::fs::write(path, format!("{}\n", key.to_hex()))
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Reads a public key file: hex text (as [`write_public_file`] writes) or
/// the raw binary form.
pub fn read_public_file(path: &Path) -> Result<PublicKey> {
    let ctx = || format!("cannot read public key file {}", path.display());
    let f = std::fs::File::open(path).map_err(|e| Error::io(ctx(), e))?;
    let bytes = read_bounded(f, MAX_PUBLIC_FILE_LEN).map_err(|e| Error::io(ctx(), e))?;
    PublicKey::parse(&bytes)
}

fn read_bounded(f: std::fs::File, max: usize) -> std::io::Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(Vec::new());
    f.take(max as u64 + 1).read_to_end(&mut buf)?;
    if buf.len() > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("file is larger than {max} bytes"),
        ));
    }
    Ok(buf)
}
