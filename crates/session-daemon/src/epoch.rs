//! Epoch changes with attested beacons (sans-I/O).
//!
//! When an epoch has lasted `-epoch-length`, every active node derives the
//! next beacon from the latest one — deterministically, so honest nodes agree
//! without a round of proposals:
//!
//! - `randomness(e+1) = H("LUX:sessiond:beacon:v1" ‖ randomness(e) ‖ e+1:u64)`,
//! - `previous_beacon = id(beacon(e))` ([`EpochBeacon::next`]),
//!
//! and signs the [`beacon_statement`]: domain `epoch/beacon`, subject
//! `H("LUX:sessiond:epoch-slot:v1" ‖ e+1:u64)` (one subject per epoch, so two
//! different beacons signed by one node for one epoch are
//! [`EquivocationEvidence`]), commit root the beacon's ID, epoch `e+1`.
//! [`BeaconVotes`] collects the signatures of the active set; at a quorum
//! (`⌊0.67·n⌋ + 1` of the active nodes) the beacon is final: every node
//! pushes it, with `attestation_id` = the statement's ID.
//!
//! The randomness is predictable (anyone can compute future epochs'
//! committees); it is agreed on and attested, not unbiasable.
//!
//! ```
//! use session_core::hash;
//! use session_crypto::Identity;
//! use session_daemon::epoch::{BeaconAdded, BeaconVotes, sign_next};
//! use session_daemon::Registry;
//!
//! let nodes: Vec<Identity> = (1..=4u8).map(|i| Identity::from_seeds(&[i; 64], &[i; 32])).collect();
//! let mut registry = Registry::genesis(nodes.iter().map(|n| n.public().clone()), hash(b"genesis"))?;
//! let mut votes = BeaconVotes::new(&registry)?;
//! let mut done = None;
//! for n in &nodes {
//!     if let BeaconAdded::Quorum(beacon, _certificate) = votes.add(sign_next(n, &registry)?)? {
//!         done = Some(beacon);
//!     }
//! }
//! registry.push_beacon(done.expect("4 of 4 signed"))?;
//! assert_eq!(registry.epoch(), 2);
//! # Ok::<(), session_daemon::Error>(())
//! ```

use std::collections::BTreeMap;

use session_core::{
    Attestation, CommitteeKeys, Domain, EpochBeacon, EquivocationEvidence, Id, QuorumCertificate,
    Statement, quorum,
};
use session_crypto::Identity;

use crate::error::{Error, Result};
use crate::evidence::Evidence;
use crate::registry::Registry;

/// Domain of the beacon randomness derivation.
pub const RANDOMNESS_DOMAIN: &[u8] = b"LUX:sessiond:beacon:v1";
/// Domain of the per-epoch statement subject.
pub const SLOT_DOMAIN: &[u8] = b"LUX:sessiond:epoch-slot:v1";

/// The beacon that follows `latest`.
pub fn next_beacon(latest: &EpochBeacon) -> Result<EpochBeacon> {
    let epoch = latest
        .epoch
        .checked_add(1)
        .ok_or(Error::InvalidInput("epoch counter exhausted"))?;
    let mut input = Vec::with_capacity(RANDOMNESS_DOMAIN.len() + 40);
    input.extend_from_slice(RANDOMNESS_DOMAIN);
    input.extend_from_slice(latest.randomness.as_bytes());
    input.extend_from_slice(&epoch.to_be_bytes());
    Ok(latest.next(session_core::hash(&input))?)
}

/// The statement nodes sign for `beacon`.
pub fn beacon_statement(beacon: &EpochBeacon) -> Statement {
    let mut slot = Vec::with_capacity(SLOT_DOMAIN.len() + 8);
    slot.extend_from_slice(SLOT_DOMAIN);
    slot.extend_from_slice(&beacon.epoch.to_be_bytes());
    Statement {
        domain: Domain::EpochBeacon,
        subject_id: session_core::hash(&slot),
        commit_root: beacon.id(),
        epoch: beacon.epoch,
    }
}

/// `identity`'s signature over the beacon following `registry`'s latest.
pub fn sign_next(identity: &Identity, registry: &Registry) -> Result<Attestation> {
    let latest = registry
        .latest_beacon()
        .ok_or(Error::UnknownEpoch(registry.epoch()))?;
    Ok(Attestation::sign(
        identity,
        beacon_statement(&next_beacon(latest)?),
    ))
}

/// Checks a certified beacon received from a peer: it must be the beacon
/// following `registry`'s latest, and `certificate` a quorum of the active
/// set over its statement. Returns the beacon to push.
pub fn verify_certified(
    registry: &Registry,
    beacon: &EpochBeacon,
    certificate: &QuorumCertificate,
) -> Result<EpochBeacon> {
    let latest = registry
        .latest_beacon()
        .ok_or(Error::UnknownEpoch(registry.epoch()))?;
    let mut expected = next_beacon(latest)?;
    if beacon.epoch != expected.epoch
        || beacon.randomness != expected.randomness
        || beacon.previous_beacon != expected.previous_beacon
    {
        return Err(Error::BeaconOutOfOrder);
    }
    let statement = beacon_statement(&expected);
    if certificate.statement != statement {
        return Err(Error::InvalidInput("certificate is not over this beacon"));
    }
    let keys = registry.keys(&registry.eligible());
    certificate.verify(&keys, quorum(keys.len()))?;
    expected.attestation_id = Some(statement.id());
    Ok(expected)
}

/// What [`BeaconVotes::add`] made of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BeaconAdded {
    /// Counted; no quorum yet.
    New,
    /// This signer's signature was already counted.
    Duplicate,
    /// The quorum is reached: the beacon to push (with its attestation ID)
    /// and the certificate. Returned once.
    Quorum(EpochBeacon, Box<QuorumCertificate>),
    /// The signer signed another beacon for this epoch too: slash it.
    Equivocation(Box<Evidence>),
}

/// Signatures over the next beacon, from the active set at creation.
#[derive(Debug, Clone)]
pub struct BeaconVotes {
    beacon: EpochBeacon,
    statement: Statement,
    keys: CommitteeKeys,
    quorum: usize,
    /// The first valid signature of each signer for this epoch's slot.
    seen: BTreeMap<Id, Attestation>,
    done: bool,
}

impl BeaconVotes {
    /// Votes on the beacon following `registry`'s latest, by its active nodes.
    pub fn new(registry: &Registry) -> Result<Self> {
        let latest = registry
            .latest_beacon()
            .ok_or(Error::UnknownEpoch(registry.epoch()))?;
        let beacon = next_beacon(latest)?;
        let keys = registry.keys(&registry.eligible());
        if keys.is_empty() {
            return Err(Error::InvalidInput("no active nodes"));
        }
        Ok(BeaconVotes {
            statement: beacon_statement(&beacon),
            quorum: quorum(keys.len()),
            beacon,
            keys,
            seen: BTreeMap::new(),
            done: false,
        })
    }

    /// The epoch voted on.
    pub fn epoch(&self) -> u64 {
        self.beacon.epoch
    }

    /// The beacon voted on.
    pub fn beacon(&self) -> &EpochBeacon {
        &self.beacon
    }

    /// Signatures counted so far, and the quorum.
    pub fn progress(&self) -> (usize, usize) {
        let have = self
            .seen
            .values()
            .filter(|a| a.statement == self.statement)
            .count();
        (have, self.quorum)
    }

    /// Adds a signature. Refused (an error): another domain or epoch, a
    /// signer outside the active set, a bad signature, a valid signature
    /// over a beacon that does not follow ours.
    pub fn add(&mut self, attestation: Attestation) -> Result<BeaconAdded> {
        let s = &attestation.statement;
        if s.domain != Domain::EpochBeacon {
            return Err(Error::InvalidInput("not an epoch/beacon attestation"));
        }
        if s.epoch != self.beacon.epoch || s.subject_id != self.statement.subject_id {
            return Err(Error::WrongRequest);
        }
        if self.keys.get(&attestation.signer).is_none() {
            return Err(Error::NotMember);
        }
        if let Some(first) = self.seen.get(&attestation.signer) {
            if first.statement == attestation.statement {
                return Ok(BeaconAdded::Duplicate);
            }
            attestation
                .verify(&self.keys)
                .map_err(|_| Error::InvalidSignature)?;
            let evidence = EquivocationEvidence::detect(first, &attestation)
                .ok_or(Error::InvalidInput("beacon signatures do not conflict"))?;
            return Ok(BeaconAdded::Equivocation(Box::new(Evidence::Attestation(
                evidence,
            ))));
        }
        attestation
            .verify(&self.keys)
            .map_err(|_| Error::InvalidSignature)?;
        let ours = attestation.statement == self.statement;
        self.seen.insert(attestation.signer, attestation);
        if !ours {
            return Err(Error::InvalidInput("signed beacon does not follow ours"));
        }
        let (have, need) = self.progress();
        if self.done || have < need {
            return Ok(BeaconAdded::New);
        }
        self.done = true;
        let signatures: Vec<Attestation> = self
            .seen
            .values()
            .filter(|a| a.statement == self.statement)
            .cloned()
            .collect();
        let certificate =
            QuorumCertificate::aggregate(self.statement, &signatures, &self.keys, self.quorum)?;
        let mut beacon = self.beacon;
        beacon.attestation_id = Some(self.statement.id());
        Ok(BeaconAdded::Quorum(beacon, Box::new(certificate)))
    }
}

#[cfg(test)]
#[path = "epoch_tests.rs"]
mod tests;
