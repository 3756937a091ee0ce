//! The 32-byte [`Id`] used for services, sessions, transactions, nodes and roots.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::cb58;
use crate::error::{Error, Result};

/// Length of an [`Id`] in bytes.
pub const ID_LEN: usize = 32;

/// A 32-byte identifier (a SHA-256 output in almost every use).
///
/// Text forms: [`Display`](fmt::Display) is CB58 (as Lux's `ids.ID`);
/// [`Id::to_hex`] gives 64 lowercase hex digits. [`FromStr`] and serde
/// deserialization accept either form; serde serializes CB58.
///
/// ```
/// use session_core::Id;
/// let id: Id = "11111111111111111111111111111111LpoYY".parse().unwrap();
/// assert_eq!(id, Id::ZERO);
/// assert_eq!(Id::from_hex(&"00".repeat(32)).unwrap(), id);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Id(pub [u8; ID_LEN]);

impl Id {
    /// The all-zero ID.
    pub const ZERO: Id = Id([0u8; ID_LEN]);

    /// Wraps 32 bytes.
    pub const fn new(bytes: [u8; ID_LEN]) -> Self {
        Id(bytes)
    }

    /// Copies an ID out of a slice that must be exactly 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; ID_LEN] = bytes.try_into().map_err(|_| Error::InvalidLength {
            expected: ID_LEN,
            actual: bytes.len(),
        })?;
        Ok(Id(arr))
    }

    /// The raw bytes.
    pub const fn as_bytes(&self) -> &[u8; ID_LEN] {
        &self.0
    }

    /// The raw bytes, by value.
    pub const fn to_bytes(self) -> [u8; ID_LEN] {
        self.0
    }

    /// Whether this is [`Id::ZERO`].
    pub fn is_zero(&self) -> bool {
        self.0 == [0u8; ID_LEN]
    }

    /// 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses exactly 64 hex digits (either case, no `0x` prefix).
    pub fn from_hex(text: &str) -> Result<Self> {
        if text.len() != ID_LEN * 2 {
            return Err(Error::InvalidHex("an ID is 64 hex digits"));
        }
        let mut out = [0u8; ID_LEN];
        hex::decode_to_slice(text, &mut out).map_err(|_| Error::InvalidHex("not hex"))?;
        Ok(Id(out))
    }

    /// The CB58 text form (same as `to_string()`).
    pub fn to_cb58(&self) -> String {
        cb58::encode(&self.0)
    }

    /// Parses the CB58 text form, verifying its checksum.
    pub fn from_cb58(text: &str) -> Result<Self> {
        cb58::decode_array::<ID_LEN>(text).map(Id)
    }
}

impl From<[u8; ID_LEN]> for Id {
    fn from(bytes: [u8; ID_LEN]) -> Self {
        Id(bytes)
    }
}

impl From<Id> for [u8; ID_LEN] {
    fn from(id: Id) -> Self {
        id.0
    }
}

impl AsRef<[u8]> for Id {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_cb58())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.to_hex())
    }
}

impl fmt::LowerHex for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl FromStr for Id {
    type Err = Error;

    /// Accepts 64 hex digits or CB58.
    fn from_str(text: &str) -> Result<Self> {
        // 64 characters that are all hex digits cannot be the CB58 of 32 bytes
        // (that is 48–49 characters), so the two forms never collide.
        if text.len() == ID_LEN * 2 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            Id::from_hex(text)
        } else {
            Id::from_cb58(text)
        }
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_cb58())
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> core::result::Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 32-byte ID as CB58 or 64 hex digits")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> core::result::Result<Id, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms() {
        let hex = "35971be6e9bb024a895582fe0e42e04848a86da550aaef0fccbfba86f99f617d";
        let cb = "Qbti334Sbv9i9x1EnWhC3fSR9Rnn8zWEBBBc1gyQLWjXwfFuw";
        let id = Id::from_hex(hex).unwrap();
        assert_eq!(id.to_string(), cb);
        assert_eq!(id.to_hex(), hex);
        assert_eq!(cb.parse::<Id>().unwrap(), id);
        assert_eq!(hex.parse::<Id>().unwrap(), id);
        assert_eq!(hex.to_uppercase().parse::<Id>().unwrap(), id);
        assert_eq!(format!("{id:x}"), hex);
        assert_eq!(
            Id::ZERO.to_string(),
            "11111111111111111111111111111111LpoYY"
        );
    }

    #[test]
    fn rejects_bad_text() {
        assert!("".parse::<Id>().is_err());
        assert!("00".parse::<Id>().is_err());
        assert!(Id::from_hex(&"0".repeat(63)).is_err());
        assert!(Id::from_hex(&"zz".repeat(32)).is_err());
        // CB58 of a 31-byte payload: right checksum, wrong length.
        assert!(cb58::encode(&[7u8; 31]).parse::<Id>().is_err());
        assert!(Id::from_slice(&[0u8; 33]).is_err());
    }

    #[test]
    fn serde_json_round_trip() {
        let id = Id([9u8; 32]);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<Id>(&json).unwrap(), id);
        let hex_json = format!("\"{}\"", id.to_hex());
        assert_eq!(serde_json::from_str::<Id>(&hex_json).unwrap(), id);
        assert!(serde_json::from_str::<Id>("\"nope\"").is_err());
    }
}
