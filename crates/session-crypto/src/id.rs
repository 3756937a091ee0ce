//! Identity IDs: `"07"` + hex(Blake2b-256(kem_pk ‖ dsa_pk)).

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::sizes::{IDENTITY_ID_LEN, IDENTITY_ID_STR_LEN};

/// The text prefix of a post-quantum identity ID.
pub const PQ_ID_PREFIX: &str = "07";

/// The 32-byte ID of a post-quantum identity: Blake2b-256 of its public
/// identity (`kem_pk ‖ dsa_pk`).
///
/// Its text form is `"07"` followed by 64 lowercase hex digits (66
/// characters), as in the reference implementation. Parsing accepts upper-
/// or lowercase hex.
///
/// ```
/// use session_crypto::IdentityId;
/// let id: IdentityId = format!("07{}", "ab".repeat(32)).parse().unwrap();
/// assert_eq!(id.as_bytes(), &[0xab; 32]);
/// assert_eq!(id.to_string().len(), 66);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdentityId(pub [u8; IDENTITY_ID_LEN]);

impl IdentityId {
    /// Wraps 32 raw bytes.
    pub const fn from_bytes(bytes: [u8; IDENTITY_ID_LEN]) -> Self {
        IdentityId(bytes)
    }

    /// The raw 32 bytes.
    pub const fn as_bytes(&self) -> &[u8; IDENTITY_ID_LEN] {
        &self.0
    }

    /// Parses 32 raw bytes from a slice.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; IDENTITY_ID_LEN] = bytes
            .try_into()
            .map_err(|_| Error::length("identity ID", IDENTITY_ID_LEN, bytes.len()))?;
        Ok(IdentityId(arr))
    }
}

impl fmt::Display for IdentityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; IDENTITY_ID_STR_LEN];
        buf[..2].copy_from_slice(PQ_ID_PREFIX.as_bytes());
        hex::encode_to_slice(self.0, &mut buf[2..]).expect("64 hex digits fit the 64-byte buffer");
        f.write_str(std::str::from_utf8(&buf).expect("hex digits are ASCII"))
    }
}

impl fmt::Debug for IdentityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdentityId({self})")
    }
}

impl FromStr for IdentityId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        if s.len() != IDENTITY_ID_STR_LEN {
            return Err(Error::length(
                "identity ID text",
                IDENTITY_ID_STR_LEN,
                s.len(),
            ));
        }
        let Some(hex_part) = s.strip_prefix(PQ_ID_PREFIX) else {
            return Err(Error::Malformed("identity ID (must start with 07)"));
        };
        let mut out = [0u8; IDENTITY_ID_LEN];
        hex::decode_to_slice(hex_part, &mut out)
            .map_err(|_| Error::Malformed("identity ID (not hex)"))?;
        Ok(IdentityId(out))
    }
}

impl AsRef<[u8]> for IdentityId {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<[u8; IDENTITY_ID_LEN]> for IdentityId {
    fn from(b: [u8; IDENTITY_ID_LEN]) -> Self {
        IdentityId(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_parse_round_trip() {
        let id = IdentityId([0x5a; 32]);
        let s = id.to_string();
        assert_eq!(s.len(), 66);
        assert!(s.starts_with("075a5a"));
        assert_eq!(s.parse::<IdentityId>().unwrap(), id);
        assert_eq!(s.to_uppercase().parse::<IdentityId>().unwrap(), id);
        assert_eq!(format!("{id:?}"), format!("IdentityId({s})"));
    }

    #[test]
    fn rejects_bad_text() {
        let good = IdentityId([1; 32]).to_string();
        for bad in [
            String::new(),
            good[..65].to_string(),
            format!("{good}0"),
            format!("05{}", &good[2..]),
            format!("07{}g", &good[2..65]),
            format!("07{}é", &good[2..64]),
        ] {
            assert!(bad.parse::<IdentityId>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn from_slice_checks_length() {
        assert!(IdentityId::from_slice(&[0; 31]).is_err());
        assert!(IdentityId::from_slice(&[0; 33]).is_err());
        assert_eq!(IdentityId::from_slice(&[7; 32]).unwrap().0, [7; 32]);
    }
}
