//! The legacy `05` identity: Ed25519 for signatures, X25519 for encryption,
//! in the form the Session messenger uses.
//!
//! The X25519 key pair is *derived* from the Ed25519 one exactly as
//! libsodium's `crypto_sign_ed25519_sk_to_curve25519` /
//! `crypto_sign_ed25519_pk_to_curve25519` do, and the ID is
//! `"05" + hex(x25519_public_key)`, so existing Session IDs stay valid.
//!
//! Encryption to a legacy identity ([`LegacyPublic::encrypt`]) is this
//! crate's own box, not post-quantum:
//!
//! ```text
//! box  = 0x01 ‖ eph_pk(32) ‖ XChaCha20-Poly1305(key, nonce, plaintext, ad = 0x01 ‖ eph_pk ‖ recipient_x25519_pk)
//! okm  = HKDF-SHA256(salt = "lux-session/legacy-box/v1", ikm = X25519(eph_sk, recipient_x25519_pk),
//!                    info = eph_pk ‖ recipient_x25519_pk, L = 56);  key = okm[..32], nonce = okm[32..]
//! ```
//!
//! ```
//! use session_crypto::legacy::LegacyIdentity;
//! let bob = LegacyIdentity::generate();
//! assert!(bob.id().to_string().starts_with("05"));
//! let boxed = bob.public().encrypt(b"hi").unwrap();
//! assert_eq!(&bob.decrypt(&boxed).unwrap()[..], b"hi");
//! let sig = bob.sign(b"msg");
//! bob.public().verify(b"msg", &sig).unwrap();
//! ```

use std::fmt;
use std::str::FromStr;

use ed25519_dalek::{SigningKey, VerifyingKey};
use hkdf::Hkdf;
use sha2::{Digest, Sha256, Sha512};
use x25519_dalek::{PublicKey as XPublicKey, StaticSecret};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::random;
use crate::symmetric::{self, KEY_LEN, NONCE_LEN, TAG_LEN};

/// Ed25519 public key / seed length.
pub const LEGACY_KEY_LEN: usize = 32;
/// Ed25519 signature length.
pub const LEGACY_SIGNATURE_LEN: usize = 64;
/// The text prefix of a legacy ID.
pub const LEGACY_ID_PREFIX: &str = "05";
/// Version byte of [`LegacyPublic::encrypt`] output.
pub const LEGACY_BOX_VERSION: u8 = 0x01;
/// Shortest legacy box (empty plaintext).
pub const MIN_LEGACY_BOX_LEN: usize = 1 + LEGACY_KEY_LEN + TAG_LEN;
const BOX_SALT: &[u8] = b"lux-session/legacy-box/v1";

/// A legacy Session ID: the 32-byte X25519 public key; text `"05"` + 64 hex.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LegacyId(pub [u8; 32]);

impl fmt::Display for LegacyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{LEGACY_ID_PREFIX}{}", hex::encode(self.0))
    }
}

impl fmt::Debug for LegacyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LegacyId({self})")
    }
}

impl FromStr for LegacyId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        if s.len() != 66 {
            return Err(Error::length("legacy ID text", 66, s.len()));
        }
        let Some(h) = s.strip_prefix(LEGACY_ID_PREFIX) else {
            return Err(Error::Malformed("legacy ID (must start with 05)"));
        };
        let mut out = [0u8; 32];
        hex::decode_to_slice(h, &mut out).map_err(|_| Error::Malformed("legacy ID (not hex)"))?;
        Ok(LegacyId(out))
    }
}

/// The public half of a legacy identity: the Ed25519 key and the X25519 key
/// derived from it.
#[derive(Clone, PartialEq, Eq)]
pub struct LegacyPublic {
    ed: VerifyingKey,
    x: XPublicKey,
}

impl LegacyPublic {
    /// Parses a 32-byte Ed25519 public key. Rejects non-canonical encodings,
    /// points not on the curve and small-order (weak) points.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; LEGACY_KEY_LEN] = bytes
            .try_into()
            .map_err(|_| Error::length("legacy public key", LEGACY_KEY_LEN, bytes.len()))?;
        let ed = VerifyingKey::from_bytes(&arr).map_err(|_| Error::InvalidPublicKey)?;
        if ed.is_weak() || ed.to_bytes() != arr {
            return Err(Error::InvalidPublicKey);
        }
        Ok(Self::from_verifying_key(ed))
    }

    fn from_verifying_key(ed: VerifyingKey) -> Self {
        // crypto_sign_ed25519_pk_to_curve25519: u = (1 + y) / (1 - y).
        let x = XPublicKey::from(ed.to_montgomery().to_bytes());
        LegacyPublic { ed, x }
    }

    /// The Ed25519 public key (this is the legacy public identity's encoding).
    pub fn to_bytes(&self) -> [u8; LEGACY_KEY_LEN] {
        self.ed.to_bytes()
    }

    /// The derived X25519 public key.
    pub fn x25519_public_key(&self) -> [u8; 32] {
        self.x.to_bytes()
    }

    /// The Session ID: `"05"` + hex(X25519 public key).
    pub fn id(&self) -> LegacyId {
        LegacyId(self.x.to_bytes())
    }

    /// Verifies an Ed25519 signature (strict: rejects malleable and
    /// small-order forms).
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> Result<()> {
        let arr: [u8; LEGACY_SIGNATURE_LEN] = sig
            .try_into()
            .map_err(|_| Error::length("Ed25519 signature", LEGACY_SIGNATURE_LEN, sig.len()))?;
        self.ed
            .verify_strict(msg, &ed25519_dalek::Signature::from_bytes(&arr))
            .map_err(|_| Error::BadSignature)
    }

    /// Encrypts `plaintext` to this identity's X25519 key with an ephemeral
    /// key (see the module docs for the format).
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        let mut eph_bytes = random::array::<32>();
        let eph = StaticSecret::from(eph_bytes);
        eph_bytes.zeroize();
        let eph_pk = XPublicKey::from(&eph);
        let (key, nonce) = box_key(&eph.diffie_hellman(&self.x), &eph_pk, &self.x)?;
        let ad = box_ad(&eph_pk, &self.x);
        let mut out = Vec::with_capacity(MIN_LEGACY_BOX_LEN + plaintext.len());
        out.push(LEGACY_BOX_VERSION);
        out.extend_from_slice(eph_pk.as_bytes());
        out.extend_from_slice(&symmetric::seal_raw(&key, &nonce, plaintext, &ad));
        Ok(out)
    }
}

impl fmt::Debug for LegacyPublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyPublic")
            .field("id", &format_args!("{}", self.id()))
            .finish_non_exhaustive()
    }
}

/// A legacy identity: an Ed25519 signing key (its 32-byte seed is the
/// secret) and the X25519 key derived from it. Wiped on drop.
pub struct LegacyIdentity {
    secret: Box<LegacySecret>,
}

/// On the heap so moves do not leave copies behind; the secret keys wipe
/// themselves on drop.
struct LegacySecret {
    signing: SigningKey,
    x_secret: StaticSecret,
    public: LegacyPublic,
}

impl LegacyIdentity {
    /// Generates a new identity from operating-system randomness.
    pub fn generate() -> Self {
        let mut seed = random::array::<32>();
        let id = Self::from_seed(&seed);
        seed.zeroize();
        id
    }

    /// Derives the identity from a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8; LEGACY_KEY_LEN]) -> Self {
        let signing = SigningKey::from_bytes(seed);
        // crypto_sign_ed25519_sk_to_curve25519: clamp(SHA-512(seed)[..32]).
        let mut h = Zeroizing::new([0u8; 64]);
        h.copy_from_slice(&Sha512::digest(seed));
        let mut x = Zeroizing::new([0u8; 32]);
        x.copy_from_slice(&h[..32]);
        x[0] &= 248;
        x[31] &= 127;
        x[31] |= 64;
        let x_secret = StaticSecret::from(*x);
        let public = LegacyPublic::from_verifying_key(signing.verifying_key());
        LegacyIdentity {
            secret: Box::new(LegacySecret {
                signing,
                x_secret,
                public,
            }),
        }
    }

    /// The Ed25519 seed. Secret: handle with care.
    pub fn seed(&self) -> &[u8; LEGACY_KEY_LEN] {
        self.secret.signing.as_bytes()
    }

    /// The derived (clamped) X25519 secret key. Secret: handle with care.
    pub fn x25519_secret_key(&self) -> &[u8; 32] {
        self.secret.x_secret.as_bytes()
    }

    /// The public identity.
    pub fn public(&self) -> &LegacyPublic {
        &self.secret.public
    }

    /// The Session ID.
    pub fn id(&self) -> LegacyId {
        self.secret.public.id()
    }

    /// Signs with Ed25519 (RFC 8032, deterministic).
    pub fn sign(&self, msg: &[u8]) -> [u8; LEGACY_SIGNATURE_LEN] {
        use ed25519_dalek::Signer;
        self.secret.signing.sign(msg).to_bytes()
    }

    /// Decrypts a box made by [`LegacyPublic::encrypt`].
    pub fn decrypt(&self, data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let Some(&version) = data.first() else {
            return Err(Error::Truncated {
                what: "legacy box",
                min: MIN_LEGACY_BOX_LEN,
                got: 0,
            });
        };
        if version != LEGACY_BOX_VERSION {
            return Err(Error::UnsupportedVersion {
                what: "legacy box",
                version,
            });
        }
        if data.len() < MIN_LEGACY_BOX_LEN {
            return Err(Error::Truncated {
                what: "legacy box",
                min: MIN_LEGACY_BOX_LEN,
                got: data.len(),
            });
        }
        let eph: [u8; 32] = data[1..33].try_into().expect("length checked above");
        let eph_pk = XPublicKey::from(eph);
        let shared = self.secret.x_secret.diffie_hellman(&eph_pk);
        let (key, nonce) = box_key(&shared, &eph_pk, &self.secret.public.x)
            .map_err(|_| Error::DecryptionFailed)?;
        symmetric::open_raw(
            &key,
            &nonce,
            &data[33..],
            &box_ad(&eph_pk, &self.secret.public.x),
        )
    }
}

impl fmt::Debug for LegacyIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyIdentity")
            .field("id", &format_args!("{}", self.id()))
            .finish_non_exhaustive()
    }
}

fn box_ad(eph_pk: &XPublicKey, recipient: &XPublicKey) -> [u8; 65] {
    let mut ad = [0u8; 65];
    ad[0] = LEGACY_BOX_VERSION;
    ad[1..33].copy_from_slice(eph_pk.as_bytes());
    ad[33..].copy_from_slice(recipient.as_bytes());
    ad
}

/// Key and nonce for a box between `eph_pk` and `recipient`, from their
/// X25519 shared secret. Rejects all-zero (non-contributory) secrets.
fn box_key(
    shared: &x25519_dalek::SharedSecret,
    eph_pk: &XPublicKey,
    recipient: &XPublicKey,
) -> Result<(Zeroizing<[u8; KEY_LEN]>, [u8; NONCE_LEN])> {
    if !shared.was_contributory() {
        return Err(Error::InvalidPublicKey);
    }
    let mut info = [0u8; 64];
    info[..32].copy_from_slice(eph_pk.as_bytes());
    info[32..].copy_from_slice(recipient.as_bytes());
    let mut okm = Zeroizing::new([0u8; KEY_LEN + NONCE_LEN]);
    Hkdf::<Sha256>::new(Some(BOX_SALT), shared.as_bytes())
        .expand(&info, &mut okm[..])
        .expect("56 bytes is far below HKDF-SHA256's limit");
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(&okm[..KEY_LEN]);
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&okm[KEY_LEN..]);
    Ok((key, nonce))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x25519_key_pair_is_consistent() {
        let id = LegacyIdentity::from_seed(&[9; 32]);
        let derived_pk = XPublicKey::from(&id.secret.x_secret);
        assert_eq!(derived_pk.to_bytes(), id.public().x25519_public_key());
        assert_eq!(id.id().0, derived_pk.to_bytes());
    }

    #[test]
    fn id_text_round_trip() {
        let id = LegacyIdentity::from_seed(&[1; 32]).id();
        let s = id.to_string();
        assert_eq!(s.len(), 66);
        assert_eq!(s.parse::<LegacyId>().unwrap(), id);
        assert!(format!("07{}", &s[2..]).parse::<LegacyId>().is_err());
        assert!(s[..64].parse::<LegacyId>().is_err());
    }
}
