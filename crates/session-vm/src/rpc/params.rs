//! Parameter types and text encodings of the JSON-RPC contract.

use serde::Deserialize;
use session_core::Id;
use session_crypto::{PUBLIC_IDENTITY_LEN, PublicIdentity, SIGNATURE_LEN, Signature};

use crate::error::{Error, Result};

/// Params of `CreateSession`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateSessionParams {
    /// Participant IDs, creator first.
    pub participants: Vec<String>,
    /// Public identities (hex), same order.
    pub public_keys: Vec<String>,
    /// Creator's nonce.
    pub nonce: u64,
    /// Creator's signature (hex).
    pub signature: String,
}

/// Params of `GetSession`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSessionParams {
    /// Session ID.
    pub session_id: String,
}

/// Params of `SendMessage`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendMessageParams {
    /// Session ID.
    pub session_id: String,
    /// Sender ID.
    pub sender: String,
    /// Ciphertext (hex).
    pub ciphertext: String,
    /// Signature (hex).
    pub signature: String,
}

/// Params of `GetMessages`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetMessagesParams {
    /// Session ID.
    pub session_id: String,
    /// Return sequences above this (default 0).
    #[serde(default)]
    pub after: u64,
    /// At most this many (default 100, 1..=1000).
    #[serde(default = "default_limit")]
    pub limit: i64,
}

fn default_limit() -> i64 {
    100
}

/// Params of `AckMessages`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AckMessagesParams {
    /// Session ID.
    pub session_id: String,
    /// Sender ID.
    pub sender: String,
    /// Highest sequence acknowledged.
    pub up_to: u64,
    /// Signature (hex).
    pub signature: String,
}

/// Params of `CloseSession`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloseSessionParams {
    /// Session ID.
    pub session_id: String,
    /// Sender ID.
    pub sender: String,
    /// Signature (hex).
    pub signature: String,
}

/// Params of `Info` and `Health`: none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// Parses a 32-byte ID written as CB58, 64 hex digits, or (for identities) `07` + 64 hex.
pub fn parse_id(text: &str, what: &str) -> Result<Id> {
    let hex_part = match text.len() {
        64 => Some(text),
        66 if text.starts_with("07") => Some(&text[2..]),
        66 if text.starts_with("0x") => Some(&text[2..]),
        _ => None,
    };
    if let Some(h) = hex_part
        && let Ok(id) = Id::from_hex(h)
    {
        return Ok(id);
    }
    Id::from_cb58(text).map_err(|_| Error::params(format!("{what}: not a CB58, hex or 07 ID")))
}

/// Decodes lowercase (or uppercase) hex, with an optional `0x` prefix, of at most `max` bytes.
pub fn parse_hex(text: &str, what: &str, max: usize) -> Result<Vec<u8>> {
    let text = text.strip_prefix("0x").unwrap_or(text);
    // Refuse before decoding, so the limit also bounds the allocation.
    if text.len() / 2 > max {
        return Err(Error::Limit(format!("{what} too large")));
    }
    const_hex::decode(text).map_err(|_| Error::params(format!("{what}: invalid hex")))
}

/// A 3309-byte signature in hex.
pub fn parse_signature(text: &str) -> Result<Signature> {
    let bytes = parse_hex(text, "signature", SIGNATURE_LEN + 1)
        .map_err(|_| Error::params("signature: invalid hex or length"))?;
    Signature::from_bytes(&bytes).map_err(|_| Error::params("signature must be 3309 bytes"))
}

/// A 3136-byte public identity in hex.
pub fn parse_public_key(text: &str) -> Result<PublicIdentity> {
    let bytes = parse_hex(text, "publicKey", PUBLIC_IDENTITY_LEN + 1)
        .map_err(|_| Error::params("publicKey: invalid hex or length"))?;
    PublicIdentity::from_bytes(&bytes)
        .map_err(|_| Error::params("publicKey must be a 3136-byte public identity"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_every_form() {
        let id = Id::new([0x35; 32]);
        assert_eq!(parse_id(&id.to_cb58(), "x").unwrap(), id);
        assert_eq!(parse_id(&id.to_hex(), "x").unwrap(), id);
        assert_eq!(parse_id(&format!("07{}", id.to_hex()), "x").unwrap(), id);
        assert_eq!(parse_id(&format!("0x{}", id.to_hex()), "x").unwrap(), id);
        for bad in ["", "zz", &format!("05{}", id.to_hex()), &id.to_hex()[1..]] {
            assert_eq!(parse_id(bad, "x").unwrap_err().rpc_code(), -32602, "{bad}");
        }
    }

    #[test]
    fn hex_and_lengths() {
        assert_eq!(parse_hex("0xabCD", "x", 4).unwrap(), vec![0xab, 0xcd]);
        assert_eq!(parse_hex("abc", "x", 4).unwrap_err().rpc_code(), -32602);
        assert_eq!(
            parse_hex("aabbccdd00", "x", 4).unwrap_err().rpc_code(),
            -32005
        );
        assert_eq!(parse_signature("00").unwrap_err().rpc_code(), -32602);
        assert_eq!(parse_public_key("00").unwrap_err().rpc_code(), -32602);
    }
}
