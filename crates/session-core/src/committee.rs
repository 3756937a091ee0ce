//! Epoch committees: deterministic assignment and quorum size.
//!
//! `seed = H(epoch_randomness ‖ service_id ‖ epoch:u64)`, each distinct
//! eligible node scores `H(seed ‖ node_id)`, and the committee is the
//! `min(max, eligible)` nodes with the **lowest** scores, in ascending score
//! order (the order `core.json` shows).

use std::collections::BTreeSet;

use crate::codec::{Decode, Encode, Reader, Versioned, Writer};
use crate::error::{Error, Result};
use crate::hash::{committee_score, committee_seed};
use crate::id::Id;

/// Default smallest committee.
pub const MIN_COMMITTEE_SIZE: usize = 3;
/// Default largest committee.
pub const MAX_COMMITTEE_SIZE_DEFAULT: usize = 21;
/// Hard bound on any committee (codec and configuration limit).
pub const MAX_COMMITTEE_SIZE: usize = 256;
/// Default quorum threshold, in percent (the reference's `0.67`).
pub const QUORUM_PERCENT: u64 = 67;

/// Quorum for a committee of `n`: `min(⌊n·0.67⌋ + 1, n)`, computed exactly
/// with integers.
pub fn quorum(n: usize) -> usize {
    quorum_with_percent(n, QUORUM_PERCENT)
}

/// Quorum for a committee of `n` at `percent`: `min(⌊n·percent/100⌋ + 1, n)`.
pub fn quorum_with_percent(n: usize, percent: u64) -> usize {
    let scaled = (n as u128 * u128::from(percent)) / 100;
    let q = usize::try_from(scaled)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    q.min(n)
}

/// Bounds for [`assign_committee`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitteeConfig {
    /// Fewest members; assignment fails with fewer eligible nodes.
    pub min_size: usize,
    /// Most members.
    pub max_size: usize,
}

impl Default for CommitteeConfig {
    fn default() -> Self {
        CommitteeConfig {
            min_size: MIN_COMMITTEE_SIZE,
            max_size: MAX_COMMITTEE_SIZE_DEFAULT,
        }
    }
}

/// A committee assigned to one service for one epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committee {
    /// The service.
    pub service_id: Id,
    /// The epoch.
    pub epoch: u64,
    /// The selection seed `H(epoch_randomness ‖ service_id ‖ epoch)`.
    pub seed: Id,
    /// Members in ascending score order (distinct).
    pub members: Vec<Id>,
}

impl Committee {
    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the committee has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Whether `node` is a member.
    pub fn contains(&self, node: &Id) -> bool {
        self.members.contains(node)
    }

    /// Signers needed for a quorum of this committee.
    pub fn quorum(&self) -> usize {
        quorum(self.members.len())
    }
}

/// Assigns the committee for `service_id` in `epoch`.
///
/// Duplicate eligible IDs count once. Fails with [`Error::NotEnoughNodes`]
/// when fewer than `min_size` distinct nodes are eligible, and with
/// [`Error::InvalidCommitteeBounds`] unless `1 <= min_size <= max_size <=`
/// [`MAX_COMMITTEE_SIZE`].
pub fn assign_committee(
    epoch_randomness: &Id,
    service_id: &Id,
    epoch: u64,
    eligible_nodes: &[Id],
    config: CommitteeConfig,
) -> Result<Committee> {
    let CommitteeConfig { min_size, max_size } = config;
    if min_size == 0 || min_size > max_size || max_size > MAX_COMMITTEE_SIZE {
        return Err(Error::InvalidCommitteeBounds {
            min: min_size,
            max: max_size,
        });
    }
    let distinct: BTreeSet<&Id> = eligible_nodes.iter().collect();
    if distinct.len() < min_size {
        return Err(Error::NotEnoughNodes {
            needed: min_size,
            available: distinct.len(),
        });
    }
    let seed = committee_seed(epoch_randomness, service_id, epoch);
    let mut scored: Vec<(Id, Id)> = distinct
        .into_iter()
        .map(|node| (committee_score(&seed, node), *node))
        .collect();
    // Scores are SHA-256 outputs of distinct inputs; ties would fall back to the node ID.
    scored.sort_unstable();
    scored.truncate(max_size);
    Ok(Committee {
        service_id: *service_id,
        epoch,
        seed,
        members: scored.into_iter().map(|(_, node)| node).collect(),
    })
}

impl Encode for Committee {
    fn encode_to(&self, w: &mut Writer) {
        w.id(&self.service_id);
        w.u64(self.epoch);
        w.id(&self.seed);
        w.seq(&self.members);
    }
}

impl Decode for Committee {
    const MIN_ENCODED_LEN: usize = 32 + 8 + 32 + 4;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        let committee = Committee {
            service_id: r.id()?,
            epoch: r.u64()?,
            seed: r.id()?,
            members: r.seq(MAX_COMMITTEE_SIZE, "committee members")?,
        };
        let distinct: BTreeSet<&Id> = committee.members.iter().collect();
        if distinct.len() != committee.members.len() {
            return Err(Error::NonCanonical("duplicate committee member"));
        }
        Ok(committee)
    }
}

impl Versioned for Committee {
    const NAME: &'static str = "Committee";
    const VERSION: u8 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::hash;

    #[test]
    fn quorum_matches_the_float_formula_for_small_committees() {
        for n in 0..=1000usize {
            let float = ((n as f64 * 0.67) as usize + 1).min(n);
            assert_eq!(quorum(n), float, "n = {n}");
        }
        assert_eq!(quorum(1), 1);
        assert_eq!(quorum(3), 3);
        assert_eq!(quorum(4), 3);
        assert_eq!(quorum(21), 15);
        assert_eq!(quorum_with_percent(usize::MAX, 100), usize::MAX);
    }

    #[test]
    fn assignment_bounds() {
        let nodes: Vec<Id> = (0..30u8).map(|i| hash(&[i])).collect();
        let r = hash(b"r");
        let s = hash(b"s");
        let c = assign_committee(&r, &s, 1, &nodes, CommitteeConfig::default()).unwrap();
        assert_eq!(c.len(), 21);
        assert_eq!(c.quorum(), 15);
        // Duplicates count once.
        let dup = [nodes[0], nodes[0], nodes[0], nodes[1]];
        assert_eq!(
            assign_committee(&r, &s, 1, &dup, CommitteeConfig::default()),
            Err(Error::NotEnoughNodes {
                needed: 3,
                available: 2
            })
        );
        let bad = CommitteeConfig {
            min_size: 5,
            max_size: 4,
        };
        assert!(assign_committee(&r, &s, 1, &nodes, bad).is_err());
        // Order of the eligible list does not matter.
        let mut rev = nodes.clone();
        rev.reverse();
        assert_eq!(
            assign_committee(&r, &s, 1, &rev, CommitteeConfig::default()).unwrap(),
            c
        );
        assert_eq!(Committee::decode(&c.encode()).unwrap(), c);
    }
}
