//! Chain parameters: the seed's configuration names, their defaults and limits.
//!
//! These values decide what a block does, so every node of a chain must agree on
//! them: they live in the genesis (plugin mode) or are fixed when a standalone
//! chain is first created.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Largest ciphertext the VM will ever accept, whatever the configuration says.
pub const HARD_MAX_MESSAGE_SIZE: u32 = 1 << 20;
/// Largest participant count the VM will ever accept.
pub const HARD_MAX_PARTICIPANTS: u16 = 1024;

/// SessionVM chain parameters (JSON names as in the reference).
///
/// ```
/// let cfg = session_vm::Config::from_json(br#"{"sessionTTL": 3600}"#).unwrap();
/// assert_eq!(cfg.session_ttl, 3600);
/// assert_eq!(cfg.max_messages, 10_000);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Config {
    /// Session lifetime in seconds of block time.
    #[serde(rename = "sessionTTL")]
    pub session_ttl: u64,
    /// Most messages one session may hold.
    pub max_messages: u64,
    /// Reserved: channels are not part of the v1 RPC contract.
    pub max_channels: u64,
    /// Messages older than this many days of block time are pruned (0 keeps them forever).
    pub retention_days: u64,
    /// Identity prefix; `"07"` (post-quantum) is the only accepted value.
    pub id_prefix: String,
    /// Most participants in one session.
    pub max_participants: u16,
    /// Largest ciphertext in bytes.
    pub max_message_size: u32,
    /// Genesis time in Unix seconds (plugin mode; a standalone chain uses its creation time).
    pub genesis_time: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            session_ttl: 86_400,
            max_messages: 10_000,
            max_channels: 1_000,
            retention_days: 30,
            id_prefix: "07".to_owned(),
            max_participants: 64,
            max_message_size: 65_536,
            genesis_time: 0,
        }
    }
}

impl Config {
    /// Parses a JSON config; empty input (or only whitespace) and `{}` give the defaults.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| Error::Config(format!("invalid config JSON: {e}")))?;
        if !value.is_object() {
            return Err(Error::Config("config must be a JSON object".into()));
        }
        let cfg: Self = serde_json::from_value(value)
            .map_err(|e| Error::Config(format!("invalid config: {e}")))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks every value against the VM's hard limits.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(Error::Config(m.to_owned()));
        if self.id_prefix != "07" {
            return bad("idPrefix must be \"07\" (post-quantum identities)");
        }
        if self.session_ttl == 0 || self.session_ttl > 100 * 365 * 86_400 {
            return bad("sessionTTL must be between 1 second and 100 years");
        }
        if self.max_messages == 0 {
            return bad("maxMessages must be at least 1");
        }
        if !(2..=HARD_MAX_PARTICIPANTS).contains(&self.max_participants) {
            return bad("maxParticipants must be between 2 and 1024");
        }
        if !(1..=HARD_MAX_MESSAGE_SIZE).contains(&self.max_message_size) {
            return bad("maxMessageSize must be between 1 and 1048576");
        }
        if self.retention_days > 36_500 {
            return bad("retentionDays must be at most 36500");
        }
        // Messages may only be pruned once their session has expired: a pruned
        // message's ID is forgotten, and an active session would accept it again.
        if self.retention_secs().is_some_and(|r| r < self.session_ttl) {
            return bad("retentionDays must cover sessionTTL (or be 0 to keep messages forever)");
        }
        Ok(())
    }

    /// Retention window in seconds, or `None` to keep messages forever.
    pub fn retention_secs(&self) -> Option<u64> {
        (self.retention_days > 0).then(|| self.retention_days * 86_400)
    }

    /// Canonical bytes of these parameters (sorted-key JSON), hashed into the genesis.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        // serde_json::Value maps keep keys sorted, which makes the output canonical.
        let value = serde_json::to_value(self).expect("config serializes");
        serde_json::to_vec(&value).expect("value serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_braces_give_defaults() {
        assert_eq!(Config::from_json(b"").unwrap(), Config::default());
        assert_eq!(Config::from_json(b" \n").unwrap(), Config::default());
        assert_eq!(Config::from_json(b"{}").unwrap(), Config::default());
    }

    #[test]
    fn seed_names_parse() {
        let cfg = Config::from_json(
            br#"{"sessionTTL":60,"maxMessages":5,"maxChannels":3,"retentionDays":1,"idPrefix":"07"}"#,
        )
        .unwrap();
        assert_eq!(cfg.session_ttl, 60);
        assert_eq!(cfg.max_messages, 5);
        assert_eq!(cfg.retention_secs(), Some(86_400));
    }

    #[test]
    fn rejects_bad_values() {
        for bad in [
            &br#"{"idPrefix":"05"}"#[..],
            br#"{"sessionTTL":0}"#,
            br#"{"maxParticipants":1}"#,
            br#"{"maxMessageSize":0}"#,
            br#"{"sessionTTL":172800,"retentionDays":1}"#,
            br#"{"unknown":1}"#,
            br#"[1]"#,
            b"{",
        ] {
            assert!(
                matches!(Config::from_json(bad), Err(Error::Config(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn canonical_bytes_are_stable() {
        let a = Config::default().canonical_bytes();
        let b = Config::from_json(b"{}").unwrap().canonical_bytes();
        assert_eq!(a, b);
        assert!(a.starts_with(b"{\"genesisTime\":0,"));
    }
}
