//! Either kind of key: post-quantum (`07`) or legacy (`05`).

use std::fmt;

use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::legacy::{LEGACY_KEY_LEN, LegacyIdentity, LegacyPublic};
use crate::public::PublicIdentity;
use crate::sizes::PUBLIC_IDENTITY_LEN;

/// Which kind of identity a key is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// ML-KEM-768 + ML-DSA-65, ID prefix `07`.
    PostQuantum,
    /// Ed25519 + X25519, ID prefix `05`.
    Legacy,
}

impl KeyKind {
    /// The ID prefix of this kind (`"07"` or `"05"`).
    pub fn prefix(self) -> &'static str {
        match self {
            KeyKind::PostQuantum => "07",
            KeyKind::Legacy => "05",
        }
    }
}

/// A secret identity of either kind, as held in a key file.
pub enum SecretKey {
    /// A post-quantum identity.
    Pq(Identity),
    /// A legacy identity.
    Legacy(LegacyIdentity),
}

impl SecretKey {
    /// The kind of key.
    pub fn kind(&self) -> KeyKind {
        match self {
            SecretKey::Pq(_) => KeyKind::PostQuantum,
            SecretKey::Legacy(_) => KeyKind::Legacy,
        }
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        match self {
            SecretKey::Pq(i) => PublicKey::Pq(i.public().clone()),
            SecretKey::Legacy(l) => PublicKey::Legacy(l.public().clone()),
        }
    }

    /// The ID in text form (`07…` or `05…`, 66 characters).
    pub fn id_string(&self) -> String {
        match self {
            SecretKey::Pq(i) => i.id().to_string(),
            SecretKey::Legacy(l) => l.id().to_string(),
        }
    }

    /// The post-quantum identity, or [`Error::WrongKeyKind`].
    pub fn as_pq(&self) -> Result<&Identity> {
        match self {
            SecretKey::Pq(i) => Ok(i),
            SecretKey::Legacy(_) => Err(Error::WrongKeyKind {
                expected: "a post-quantum (07) identity",
            }),
        }
    }

    /// Takes the post-quantum identity out, or [`Error::WrongKeyKind`].
    pub fn into_pq(self) -> Result<Identity> {
        match self {
            SecretKey::Pq(i) => Ok(i),
            SecretKey::Legacy(_) => Err(Error::WrongKeyKind {
                expected: "a post-quantum (07) identity",
            }),
        }
    }

    /// The raw 32 bytes of the ID (Blake2b-256 hash for `07`, X25519 key for `05`).
    pub(crate) fn id_bytes(&self) -> [u8; 32] {
        match self {
            SecretKey::Pq(i) => i.id().0,
            SecretKey::Legacy(l) => l.id().0,
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretKey::Pq(i) => f.debug_tuple("Pq").field(i).finish(),
            SecretKey::Legacy(l) => f.debug_tuple("Legacy").field(l).finish(),
        }
    }
}

/// A public identity of either kind.
///
/// Binary form: the 3136-byte public identity for `07`, the 32-byte Ed25519
/// key for `05` — the length tells them apart. Text form: the hex of that.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // short-lived values; boxing would only add an allocation
pub enum PublicKey {
    /// A post-quantum public identity.
    Pq(PublicIdentity),
    /// A legacy public identity.
    Legacy(LegacyPublic),
}

impl PublicKey {
    /// Parses the binary form (3136 bytes: post-quantum; 32 bytes: legacy).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match bytes.len() {
            PUBLIC_IDENTITY_LEN => PublicIdentity::from_bytes(bytes).map(PublicKey::Pq),
            LEGACY_KEY_LEN => LegacyPublic::from_bytes(bytes).map(PublicKey::Legacy),
            n => Err(Error::length("public key", PUBLIC_IDENTITY_LEN, n)),
        }
    }

    /// Parses the hex text form; surrounding whitespace is ignored.
    pub fn from_hex(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.len() != 2 * PUBLIC_IDENTITY_LEN && text.len() != 2 * LEGACY_KEY_LEN {
            return Err(Error::length(
                "public key hex",
                2 * PUBLIC_IDENTITY_LEN,
                text.len(),
            ));
        }
        let bytes = hex::decode(text).map_err(|_| Error::Malformed("public key hex"))?;
        Self::from_bytes(&bytes)
    }

    /// Parses either form: hex text (as written by
    /// [`write_public_file`](crate::keyfile::write_public_file)) or raw bytes.
    pub fn parse(data: &[u8]) -> Result<Self> {
        match std::str::from_utf8(data) {
            Ok(text) if text.trim().bytes().all(|b| b.is_ascii_hexdigit()) => Self::from_hex(text),
            _ => Self::from_bytes(data),
        }
    }

    /// The binary form.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            PublicKey::Pq(p) => p.to_bytes(),
            PublicKey::Legacy(l) => l.to_bytes().to_vec(),
        }
    }

    /// The hex text form.
    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }

    /// The kind of key.
    pub fn kind(&self) -> KeyKind {
        match self {
            PublicKey::Pq(_) => KeyKind::PostQuantum,
            PublicKey::Legacy(_) => KeyKind::Legacy,
        }
    }

    /// The ID in text form (`07…` or `05…`).
    pub fn id_string(&self) -> String {
        match self {
            PublicKey::Pq(p) => p.id().to_string(),
            PublicKey::Legacy(l) => l.id().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_key_forms() {
        let pq = SecretKey::Pq(Identity::from_seeds(&[1; 64], &[2; 32]));
        let lg = SecretKey::Legacy(LegacyIdentity::from_seed(&[3; 32]));
        for k in [&pq, &lg] {
            let p = k.public();
            assert_eq!(PublicKey::from_bytes(&p.to_bytes()).unwrap(), p);
            assert_eq!(PublicKey::from_hex(&p.to_hex()).unwrap(), p);
            assert_eq!(PublicKey::parse(p.to_hex().as_bytes()).unwrap(), p);
            assert_eq!(
                PublicKey::parse(format!("{}\n", p.to_hex()).as_bytes()).unwrap(),
                p
            );
            assert_eq!(PublicKey::parse(&p.to_bytes()).unwrap(), p);
            assert_eq!(p.id_string(), k.id_string());
            assert!(p.id_string().starts_with(k.kind().prefix()));
        }
        assert!(PublicKey::from_bytes(&[0; 100]).is_err());
        assert!(PublicKey::from_hex("abcd").is_err());
        assert!(PublicKey::parse(b"").is_err());
        assert!(lg.as_pq().is_err());
        assert!(pq.as_pq().is_ok());
    }
}
