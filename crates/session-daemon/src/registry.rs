//! The service-node registry: node records and their life cycle, epochs with
//! their beacons, and committee assignment per service and epoch.
//!
//! Rules (the reference's register / activate / suspend / slash / exit):
//! - `register` adds a node as `registered`; a node ID is registered once,
//!   ever (an exited or slashed node cannot come back under the same key);
//! - `activate`: `registered` or `suspended` → `active`;
//! - `suspend`: `active` → `suspended`;
//! - `exit`: `registered`, `active` or `suspended` → `exited` (final);
//! - `slash`: any state but `slashed` → `slashed` (final; an exited node can
//!   still be slashed for what it signed while active);
//! - only `active` nodes are eligible for committees.
//!
//! Epoch `e`'s committee for a service is
//! [`session_core::assign_committee`] over `e`'s beacon randomness and the
//! active nodes, so every node with the same registry computes the same one.

use std::collections::BTreeMap;

use session_core::codec::{Decode, Encode, Reader, Versioned, Writer};
use session_core::{Committee, CommitteeConfig, CommitteeKeys, EpochBeacon, Id, node_id};
use session_crypto::PublicIdentity;

use crate::error::{Error, Result};
use crate::evidence::Evidence;

/// Where a node is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeState {
    /// Known, not yet serving.
    Registered,
    /// Serving; eligible for committees.
    Active,
    /// Temporarily not serving.
    Suspended,
    /// Punished for equivocation; final.
    Slashed,
    /// Left voluntarily; final.
    Exited,
}

impl NodeState {
    const ALL: [NodeState; 5] = [
        NodeState::Registered,
        NodeState::Active,
        NodeState::Suspended,
        NodeState::Slashed,
        NodeState::Exited,
    ];

    /// The state's name.
    pub fn name(self) -> &'static str {
        match self {
            NodeState::Registered => "registered",
            NodeState::Active => "active",
            NodeState::Suspended => "suspended",
            NodeState::Slashed => "slashed",
            NodeState::Exited => "exited",
        }
    }

    /// Whether the rules allow `self → to`.
    pub fn can_transition_to(self, to: NodeState) -> bool {
        use NodeState::*;
        matches!(
            (self, to),
            (Registered | Suspended, Active)
                | (Active, Suspended)
                | (Registered | Active | Suspended, Exited)
                | (Registered | Active | Suspended | Exited, Slashed)
        )
    }
}

/// One node in the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRecord {
    /// The node's ID ([`node_id`] of its key).
    pub id: Id,
    /// Its public identity (checks its records and attestations).
    pub public: PublicIdentity,
    /// Its state.
    pub state: NodeState,
    /// The epoch it registered in.
    pub registered_epoch: u64,
    /// The epoch of its last state change.
    pub changed_epoch: u64,
}

impl Encode for NodeRecord {
    fn encode_to(&self, w: &mut Writer) {
        w.put(&self.public);
        w.u8(self.state as u8);
        w.u64(self.registered_epoch);
        w.u64(self.changed_epoch);
    }
}

impl Decode for NodeRecord {
    const MIN_ENCODED_LEN: usize = <PublicIdentity as Decode>::MIN_ENCODED_LEN + 1 + 16;
    fn decode_from(r: &mut Reader<'_>) -> session_core::Result<Self> {
        let public: PublicIdentity = r.get()?;
        let tag = r.u8()?;
        let state =
            *NodeState::ALL
                .get(usize::from(tag))
                .ok_or(session_core::Error::InvalidTag {
                    field: "node state",
                    tag,
                })?;
        Ok(NodeRecord {
            id: node_id(&public),
            public,
            state,
            registered_epoch: r.u64()?,
            changed_epoch: r.u64()?,
        })
    }
}

impl Versioned for NodeRecord {
    const NAME: &'static str = "NodeRecord";
    const VERSION: u8 = 1;
}

/// The registry: nodes, the current epoch and the beacon chain.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    nodes: BTreeMap<Id, NodeRecord>,
    beacons: BTreeMap<u64, EpochBeacon>,
    epoch: u64,
    config: CommitteeConfig,
}

impl Registry {
    /// An empty registry at epoch 0 with the default committee bounds.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty registry with the given committee bounds.
    pub fn with_config(config: CommitteeConfig) -> Self {
        Registry {
            config,
            ..Self::default()
        }
    }

    /// A network's starting registry: every key registered and active (a key
    /// listed twice counts once), and the epoch-1 beacon with `randomness`.
    pub fn genesis(keys: impl IntoIterator<Item = PublicIdentity>, randomness: Id) -> Result<Self> {
        let mut reg = Self::new();
        for k in keys {
            if let Ok(id) = reg.register(k) {
                reg.activate(&id)?;
            }
        }
        reg.push_beacon(EpochBeacon {
            epoch: 1,
            randomness,
            previous_beacon: Id::ZERO,
            attestation_id: None,
        })?;
        Ok(reg)
    }

    /// The committee bounds.
    pub fn config(&self) -> CommitteeConfig {
        self.config
    }

    /// The current epoch (that of the latest beacon, 0 before any).
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Registers `public` in the current epoch; returns its node ID.
    pub fn register(&mut self, public: PublicIdentity) -> Result<Id> {
        let id = node_id(&public);
        if self.nodes.contains_key(&id) {
            return Err(Error::AlreadyRegistered);
        }
        self.nodes.insert(
            id,
            NodeRecord {
                id,
                public,
                state: NodeState::Registered,
                registered_epoch: self.epoch,
                changed_epoch: self.epoch,
            },
        );
        Ok(id)
    }

    fn transition(&mut self, id: &Id, to: NodeState) -> Result<()> {
        let epoch = self.epoch;
        let node = self.nodes.get_mut(id).ok_or(Error::UnknownNode)?;
        if !node.state.can_transition_to(to) {
            return Err(Error::IllegalNodeTransition {
                from: node.state.name(),
                to: to.name(),
            });
        }
        node.state = to;
        node.changed_epoch = epoch;
        Ok(())
    }

    /// `registered | suspended → active`.
    pub fn activate(&mut self, id: &Id) -> Result<()> {
        self.transition(id, NodeState::Active)
    }

    /// `active → suspended`.
    pub fn suspend(&mut self, id: &Id) -> Result<()> {
        self.transition(id, NodeState::Suspended)
    }

    /// `registered | active | suspended → exited`.
    pub fn exit(&mut self, id: &Id) -> Result<()> {
        self.transition(id, NodeState::Exited)
    }

    /// Any live or exited state → `slashed`.
    pub fn slash(&mut self, id: &Id) -> Result<()> {
        self.transition(id, NodeState::Slashed)
    }

    /// Checks `evidence` against the offender's registered key and slashes it.
    /// Returns `false` (and changes nothing) if it was already slashed, so
    /// gossiped evidence is applied once.
    pub fn apply_evidence(&mut self, evidence: &Evidence) -> Result<bool> {
        let offender = evidence.offender();
        let node = self.nodes.get(&offender).ok_or(Error::UnknownNode)?;
        let keys: CommitteeKeys = [node.public.clone()].into_iter().collect();
        evidence.verify(&keys)?;
        if node.state == NodeState::Slashed {
            return Ok(false);
        }
        self.slash(&offender)?;
        Ok(true)
    }

    /// The record of `id`.
    pub fn get(&self, id: &Id) -> Option<&NodeRecord> {
        self.nodes.get(id)
    }

    /// Every node, ascending by ID.
    pub fn nodes(&self) -> impl Iterator<Item = &NodeRecord> {
        self.nodes.values()
    }

    /// Active node IDs, ascending.
    pub fn eligible(&self) -> Vec<Id> {
        self.nodes
            .values()
            .filter(|n| n.state == NodeState::Active)
            .map(|n| n.id)
            .collect()
    }

    /// Appends the next beacon: the first may have any epoch; every later one
    /// must [`EpochBeacon::follows`] the latest. The current epoch moves to it.
    pub fn push_beacon(&mut self, beacon: EpochBeacon) -> Result<()> {
        if let Some((_, latest)) = self.beacons.last_key_value()
            && !beacon.follows(latest)
        {
            return Err(Error::BeaconOutOfOrder);
        }
        self.epoch = beacon.epoch;
        self.beacons.insert(beacon.epoch, beacon);
        Ok(())
    }

    /// The beacon of `epoch`.
    pub fn beacon(&self, epoch: u64) -> Option<&EpochBeacon> {
        self.beacons.get(&epoch)
    }

    /// The first beacon at or after `epoch`.
    pub fn beacon_after(&self, epoch: u64) -> Option<&EpochBeacon> {
        self.beacons.range(epoch..).next().map(|(_, b)| b)
    }

    /// The latest beacon.
    pub fn latest_beacon(&self) -> Option<&EpochBeacon> {
        self.beacons.last_key_value().map(|(_, b)| b)
    }

    /// The committee of `service_id` in `epoch`, over the nodes active now.
    pub fn committee(&self, service_id: &Id, epoch: u64) -> Result<Committee> {
        let beacon = self.beacon(epoch).ok_or(Error::UnknownEpoch(epoch))?;
        Ok(session_core::assign_committee(
            &beacon.randomness,
            service_id,
            epoch,
            &self.eligible(),
            self.config,
        )?)
    }

    /// The public keys of `members` (unknown IDs are left out).
    pub fn keys(&self, members: &[Id]) -> CommitteeKeys {
        members
            .iter()
            .filter_map(|id| self.nodes.get(id))
            .map(|n| n.public.clone())
            .collect()
    }

    /// [`keys`](Self::keys), prepared for verification: a session's
    /// committee signs every record, attestation and receipt of it, so each
    /// member's key is prepared once (shared by every copy, ~36 KiB more per
    /// node that has served on a committee) rather than re-expanded on each
    /// verification. Epoch votes (one per node per epoch) use plain keys.
    pub fn committee_keys(&self, members: &[Id]) -> CommitteeKeys {
        members
            .iter()
            .filter_map(|id| self.nodes.get(id))
            .map(|n| n.public.prepare().clone())
            .collect()
    }

    /// Restores a registry from stored parts (see [`crate::store`]).
    pub fn restore(
        config: CommitteeConfig,
        nodes: impl IntoIterator<Item = NodeRecord>,
        beacons: impl IntoIterator<Item = EpochBeacon>,
    ) -> Self {
        let nodes: BTreeMap<Id, NodeRecord> = nodes.into_iter().map(|n| (n.id, n)).collect();
        let beacons: BTreeMap<u64, EpochBeacon> =
            beacons.into_iter().map(|b| (b.epoch, b)).collect();
        let epoch = beacons.last_key_value().map_or(0, |(e, _)| *e);
        Registry {
            nodes,
            beacons,
            epoch,
            config,
        }
    }
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
