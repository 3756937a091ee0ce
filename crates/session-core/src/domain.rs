//! Attestation domains and the keys attestations are checked against.

use core::fmt;
use core::str::FromStr;
use std::collections::BTreeMap;

use session_crypto::PublicIdentity;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::step::StepKind;

/// What an attestation is about; each domain has its own signing prefix
/// `LUX:QuantumAttest:<domain>:v1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Domain {
    /// `oracle/write`: an external write's committed records.
    OracleWrite,
    /// `oracle/read`: an external read's committed records.
    OracleRead,
    /// `session/complete`: a session's final roots.
    SessionComplete,
    /// `epoch/beacon`: an epoch's randomness.
    EpochBeacon,
}

impl Domain {
    /// Every domain, in tag order.
    pub const ALL: [Domain; 4] = [
        Domain::OracleWrite,
        Domain::OracleRead,
        Domain::SessionComplete,
        Domain::EpochBeacon,
    ];

    /// The domain's name, e.g. `oracle/write`.
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::OracleWrite => "oracle/write",
            Domain::OracleRead => "oracle/read",
            Domain::SessionComplete => "session/complete",
            Domain::EpochBeacon => "epoch/beacon",
        }
    }

    /// The signing prefix `LUX:QuantumAttest:<domain>:v1`.
    pub fn separator(self) -> &'static [u8] {
        match self {
            Domain::OracleWrite => b"LUX:QuantumAttest:oracle/write:v1",
            Domain::OracleRead => b"LUX:QuantumAttest:oracle/read:v1",
            Domain::SessionComplete => b"LUX:QuantumAttest:session/complete:v1",
            Domain::EpochBeacon => b"LUX:QuantumAttest:epoch/beacon:v1",
        }
    }

    /// The domain that attests a step of this kind (`None` for compute steps).
    pub fn for_step(kind: &StepKind) -> Option<Domain> {
        match kind {
            StepKind::Compute { .. } => None,
            StepKind::WriteExternal { .. } => Some(Domain::OracleWrite),
            StepKind::ReadExternal { .. } => Some(Domain::OracleRead),
        }
    }

    pub(crate) fn tag(self) -> u8 {
        self as u8
    }

    pub(crate) fn from_tag(tag: u8) -> Result<Self> {
        Domain::ALL
            .get(usize::from(tag))
            .copied()
            .ok_or(Error::InvalidTag {
                field: "domain",
                tag,
            })
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Domain {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Domain::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or(Error::UnknownDomain)
    }
}

/// A node's ID: its identity's Blake2b-256 `IdentityId`, as a core [`Id`].
pub fn node_id(public: &PublicIdentity) -> Id {
    Id(public.id().0)
}

/// The public identities of a committee (or any signer set), keyed by node ID.
///
/// Keys are always filed under their own [`node_id`], so a signer ID can never
/// be paired with someone else's key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitteeKeys {
    keys: BTreeMap<Id, PublicIdentity>,
}

impl CommitteeKeys {
    /// An empty key set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key under its node ID; returns that ID.
    pub fn insert(&mut self, public: PublicIdentity) -> Id {
        let id = node_id(&public);
        self.keys.insert(id, public);
        id
    }

    /// The key of `node`, if it is a member.
    pub fn get(&self, node: &Id) -> Option<&PublicIdentity> {
        self.keys.get(node)
    }

    /// Whether `node` is a member.
    pub fn contains(&self, node: &Id) -> bool {
        self.keys.contains_key(node)
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Member IDs in ascending order.
    pub fn ids(&self) -> impl Iterator<Item = &Id> {
        self.keys.keys()
    }

    /// Keeps only the members listed in `members` (e.g. an assigned committee).
    pub fn restrict_to(&self, members: &[Id]) -> CommitteeKeys {
        CommitteeKeys {
            keys: members
                .iter()
                .filter_map(|id| self.keys.get(id).map(|k| (*id, k.clone())))
                .collect(),
        }
    }
}

impl FromIterator<PublicIdentity> for CommitteeKeys {
    fn from_iter<I: IntoIterator<Item = PublicIdentity>>(iter: I) -> Self {
        let mut keys = CommitteeKeys::new();
        for k in iter {
            keys.insert(k);
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_separators() {
        for d in Domain::ALL {
            assert_eq!(d.as_str().parse::<Domain>().unwrap(), d);
            assert_eq!(
                d.separator(),
                format!("LUX:QuantumAttest:{}:v1", d.as_str()).as_bytes()
            );
            assert_eq!(Domain::from_tag(d.tag()).unwrap(), d);
        }
        assert!("oracle/delete".parse::<Domain>().is_err());
        assert!(Domain::from_tag(4).is_err());
    }
}
