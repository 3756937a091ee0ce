//! The event loop's part in epoch changes (see [`crate::epoch`]): sign the
//! next beacon once the epoch has lasted `epoch_length`, send the signature
//! to the active nodes on [`BEACON_TOPIC`] (again every [`RESEND`] until
//! the epoch changes), count everyone's signatures and push the beacon at a
//! quorum, then send the certified beacon to the active nodes, so the ones
//! that missed votes follow at once. A vote for an epoch this node is past
//! is answered with the certified beacons its sender lacks (the last
//! [`KEPT_CERTIFICATES`]). Sessions created by a peer for the epoch this
//! node has not reached yet wait (bounded) until it does.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use bytes::Bytes;
use session_core::codec::Versioned;
use session_core::{Attestation, EpochBeacon, QuorumCertificate, Session};
use session_crypto::IdentityId;
use session_net::{Data, Message as NetMessage};
use tracing::{debug, info, warn};

use super::Loop;
use crate::epoch::{self, BeaconAdded, BeaconVotes};
use crate::error::Result;
use crate::registry::NodeState;
use crate::wire::{BEACON_TOPIC, BeaconMessage};

/// How often a pending beacon signature is sent again.
pub(super) const RESEND: Duration = Duration::from_secs(2);
/// Certified beacons kept in memory to help lagging nodes catch up.
pub(super) const KEPT_CERTIFICATES: usize = 16;
/// Sessions for the next epoch kept while this node has not reached it.
const MAX_FUTURE_SESSIONS: usize = 64;
/// How long such a session waits.
const FUTURE_TTL: Duration = Duration::from_secs(30);

/// This node's view of the epoch change under way.
pub(super) struct EpochState {
    /// When this node entered the current epoch (or started).
    pub(super) started: Instant,
    votes: Option<BeaconVotes>,
    mine: Option<Attestation>,
    sent: Option<Instant>,
    future: Vec<(Instant, super::Id, Session)>,
    certified: BTreeMap<u64, (EpochBeacon, Box<QuorumCertificate>)>,
    helped: HashMap<super::Id, Instant>,
}

impl EpochState {
    pub(super) fn new() -> Self {
        EpochState {
            started: Instant::now(),
            votes: None,
            mine: None,
            sent: None,
            future: Vec::new(),
            certified: BTreeMap::new(),
            helped: HashMap::new(),
        }
    }
}

impl Loop {
    /// Votes for `epoch + 1`, made fresh if the epoch moved on.
    fn votes(&mut self) -> Result<&mut BeaconVotes> {
        let next = self.inner.registry.lock().epoch().saturating_add(1);
        let stale = self.epoch.votes.as_ref().is_none_or(|v| v.epoch() != next);
        if stale {
            let votes = BeaconVotes::new(&self.inner.registry.lock())?;
            self.epoch.votes = Some(votes);
            self.epoch.mine = None;
            self.epoch.sent = None;
        }
        Ok(self.epoch.votes.as_mut().unwrap_or_else(|| unreachable!()))
    }

    /// On every tick: sign and send the next beacon when it is due.
    pub(super) fn epoch_tick(&mut self) {
        let now = Instant::now();
        self.epoch
            .future
            .retain(|(since, _, _)| now.duration_since(*since) < FUTURE_TTL);
        let Some(length) = self.inner.config.epoch_length else {
            return;
        };
        if now.duration_since(self.epoch.started) < length {
            return;
        }
        let active = self
            .inner
            .registry
            .lock()
            .get(&self.inner.me)
            .is_some_and(|n| n.state == NodeState::Active);
        if !active {
            return;
        }
        if let Err(e) = self.votes() {
            warn!(error = %e, "cannot vote on the next beacon");
            return;
        }
        if let Some(mine) = &self.epoch.mine {
            if self
                .epoch
                .sent
                .is_some_and(|t| now.duration_since(t) < RESEND)
            {
                return;
            }
            self.epoch.sent = Some(now);
            self.send_active(&BeaconMessage::Vote(mine.clone()));
            return;
        }
        let signed = epoch::sign_next(&self.inner.identity, &self.inner.registry.lock());
        match signed {
            Ok(a) => {
                // Sent first: it may complete the quorum here, and the
                // others need it too.
                self.epoch.mine = Some(a.clone());
                self.epoch.sent = Some(now);
                self.send_active(&BeaconMessage::Vote(a.clone()));
                self.beacon_vote(self.inner.me, a);
            }
            Err(e) => warn!(error = %e, "cannot sign the next beacon"),
        }
    }

    fn send_to(&self, peer: &super::Id, message: &BeaconMessage) {
        let msg = NetMessage::Data(Data {
            topic: BEACON_TOPIC,
            payload: Bytes::from(message.encode()),
        });
        if let Err(e) = self.inner.net.try_send(&IdentityId(peer.0), msg) {
            debug!(%peer, error = %e, "beacon message not sent");
        }
    }

    fn send_active(&self, message: &BeaconMessage) {
        let peers = self.inner.registry.lock().eligible();
        for peer in peers.iter().filter(|p| **p != self.inner.me) {
            self.send_to(peer, message);
        }
    }

    /// An epoch-change message from a peer.
    pub(super) fn beacon_message(&mut self, from: super::Id, message: BeaconMessage) {
        match message {
            BeaconMessage::Vote(a) => self.beacon_vote(from, a),
            BeaconMessage::Certified(beacon, certificate) => {
                let current = self.inner.registry.lock().epoch();
                if beacon.epoch != current.saturating_add(1) {
                    return; // known already, or too far ahead to check
                }
                let checked =
                    epoch::verify_certified(&self.inner.registry.lock(), &beacon, &certificate);
                match checked {
                    Ok(beacon) => self.adopt(beacon, certificate),
                    Err(e) => debug!(%from, error = %e, "certified beacon refused"),
                }
            }
        }
    }

    /// Sends `to` the certified beacons after `epoch` (it voted for
    /// `epoch + 1` while this node is past it), at most once a [`RESEND`].
    fn help_catch_up(&mut self, to: super::Id, epoch: u64) {
        let now = Instant::now();
        if self
            .epoch
            .helped
            .get(&to)
            .is_some_and(|t| now.duration_since(*t) < RESEND)
        {
            return;
        }
        if self.epoch.helped.len() > 4 * session_core::MAX_COMMITTEE_SIZE {
            self.epoch.helped.clear();
        }
        self.epoch.helped.insert(to, now);
        // In order on one connection: the peer follows them one by one.
        for (beacon, qc) in self
            .epoch
            .certified
            .range(epoch.saturating_add(1)..)
            .map(|(_, c)| c)
        {
            self.send_to(&to, &BeaconMessage::Certified(*beacon, qc.clone()));
        }
    }

    /// A beacon signature from `from` (or from this node).
    pub(super) fn beacon_vote(&mut self, from: super::Id, attestation: Attestation) {
        let current = self.inner.registry.lock().epoch();
        let epoch = attestation.statement.epoch;
        if epoch <= current && from != self.inner.me {
            // The sender is behind; help it if the vote is its own and valid.
            let genuine = {
                let reg = self.inner.registry.lock();
                attestation.signer == from
                    && attestation.statement.domain == session_core::Domain::EpochBeacon
                    && reg.get(&from).is_some_and(|n| {
                        n.state == NodeState::Active
                            && n.public
                                .verify(
                                    &attestation.statement.signing_payload(),
                                    &attestation.signature,
                                )
                                .is_ok()
                    })
            };
            if genuine {
                self.help_catch_up(from, epoch.saturating_sub(1));
            }
            return;
        }
        if epoch != current.saturating_add(1) {
            debug!(%from, epoch, current, "beacon signature for a later epoch dropped");
            return;
        }
        let signer = attestation.signer;
        let added = match self.votes() {
            Ok(votes) => votes.add(attestation),
            Err(e) => Err(e),
        };
        match added {
            Ok(BeaconAdded::New | BeaconAdded::Duplicate) => {}
            Ok(BeaconAdded::Quorum(beacon, certificate)) => {
                self.adopt(beacon, certificate.clone());
                self.send_active(&BeaconMessage::Certified(beacon, certificate));
            }
            Ok(BeaconAdded::Equivocation(evidence)) => {
                warn!(%signer, "two beacons signed for one epoch");
                self.apply_evidence(&evidence);
            }
            Err(e) => debug!(%from, %signer, error = %e, "beacon signature refused"),
        }
    }

    /// Pushes a certified beacon and persists it; the new epoch starts now.
    fn adopt(&mut self, beacon: EpochBeacon, certificate: Box<QuorumCertificate>) {
        let pushed = self.inner.registry.lock().push_beacon(beacon);
        if let Err(e) = pushed {
            warn!(error = %e, "certified beacon not pushed");
            return;
        }
        if let Err(e) = self.inner.store.save_beacon(&beacon) {
            warn!(error = %e, "could not persist the beacon");
        }
        info!(
            epoch = beacon.epoch,
            beacon = %beacon.id(),
            signers = certificate.signers().count(),
            "epoch changed"
        );
        self.epoch
            .certified
            .insert(beacon.epoch, (beacon, certificate));
        while self.epoch.certified.len() > KEPT_CERTIFICATES {
            self.epoch.certified.pop_first();
        }
        self.epoch.started = Instant::now();
        self.epoch.votes = None;
        self.epoch.mine = None;
        self.epoch.sent = None;
        self.retry_future();
    }

    /// Keeps a peer's session for the epoch after ours until we reach it.
    /// Returns `false` if it is not such a session.
    pub(super) fn hold_future(&mut self, from: super::Id, session: &Session) -> bool {
        let current = self.inner.registry.lock().epoch();
        if session.epoch != current.saturating_add(1) || from == self.inner.me {
            return false;
        }
        if self.epoch.future.len() < MAX_FUTURE_SESSIONS
            && !self.epoch.future.iter().any(|(_, _, s)| s.id == session.id)
        {
            debug!(id = %session.id, epoch = session.epoch, "session for the next epoch held");
            self.epoch
                .future
                .push((Instant::now(), from, session.clone()));
        }
        true
    }

    fn retry_future(&mut self) {
        for (_, from, session) in std::mem::take(&mut self.epoch.future) {
            let _ = self.create(from, session);
        }
    }
}
