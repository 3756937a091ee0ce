//! Persistence of sessions, step outcomes and the registry in a
//! [`session_store::Store`], encoded with the session-core codec.
//!
//! Keys: `session:<id>` → [`Session`]; `step:<session id><index:u32>` →
//! [`StepOutcome`]; `node:<id>` → [`NodeRecord`]; `epoch:<epoch:u64>` →
//! [`EpochBeacon`]; `attest:<session id>` → the final [`QuorumCertificate`].
//! A session and its outcomes are written in one batch, so a
//! restart never sees a session ahead of its outcomes.

use std::ops::ControlFlow;
use std::sync::Arc;

use session_core::codec::Versioned;
use session_core::{CommitteeConfig, EpochBeacon, Id, QuorumCertificate, Session};
use session_store::{Store, WriteBatch, ns};

use crate::error::Result;
use crate::outcome::StepOutcome;
use crate::registry::{NodeRecord, Registry};

/// The daemon's view of a [`Store`].
#[derive(Clone)]
pub struct DaemonStore {
    store: Arc<dyn Store>,
}

impl std::fmt::Debug for DaemonStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DaemonStore").finish_non_exhaustive()
    }
}

fn step_key(session: &Id, index: u32) -> Vec<u8> {
    ns::key(ns::STEP, &[session.as_bytes(), &index.to_be_bytes()])
}

impl DaemonStore {
    /// Wraps `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        DaemonStore { store }
    }

    /// Saves `session` and its outcomes (outcomes already saved are rewritten;
    /// they are small and few).
    pub fn save_session(&self, session: &Session, outcomes: &[StepOutcome]) -> Result<()> {
        let mut batch = WriteBatch::new();
        batch.put(
            ns::key(ns::SESSION, &[session.id.as_bytes()]),
            session.encode(),
        );
        for (i, o) in outcomes.iter().enumerate() {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            batch.put(step_key(&session.id, index), o.encode());
        }
        self.store.write(batch)?;
        Ok(())
    }

    /// Loads one session and its outcomes.
    pub fn load_session(&self, id: &Id) -> Result<Option<(Session, Vec<StepOutcome>)>> {
        let Some(bytes) = self.store.get(&ns::key(ns::SESSION, &[id.as_bytes()]))? else {
            return Ok(None);
        };
        let session = Session::decode(&bytes)?;
        let mut outcomes = Vec::new();
        for index in 0..session.current_step {
            let bytes = self
                .store
                .get(&step_key(id, index))?
                .ok_or(crate::Error::InvalidInput("stored step outcome missing"))?;
            outcomes.push(StepOutcome::decode(&bytes)?);
        }
        Ok(Some((session, outcomes)))
    }

    /// Whether a session is stored.
    pub fn has_session(&self, id: &Id) -> Result<bool> {
        Ok(self.store.has(&ns::key(ns::SESSION, &[id.as_bytes()]))?)
    }

    /// Saves a finalized session's `session/complete` certificate.
    pub fn save_final_certificate(&self, id: &Id, certificate: &QuorumCertificate) -> Result<()> {
        self.store.put(
            &ns::key(ns::ATTEST, &[id.as_bytes()]),
            &certificate.encode(),
        )?;
        Ok(())
    }

    /// A finalized session's `session/complete` certificate.
    pub fn load_final_certificate(&self, id: &Id) -> Result<Option<QuorumCertificate>> {
        match self.store.get(&ns::key(ns::ATTEST, &[id.as_bytes()]))? {
            Some(bytes) => Ok(Some(QuorumCertificate::decode(&bytes)?)),
            None => Ok(None),
        }
    }

    /// IDs of every stored session, ascending.
    pub fn session_ids(&self) -> Result<Vec<Id>> {
        let mut ids = Vec::new();
        self.store.for_each(ns::SESSION, &mut |key, _| {
            if let Some(Ok(id)) = ns::strip(ns::SESSION, key).map(Id::from_slice) {
                ids.push(id);
            }
            ControlFlow::Continue(())
        })?;
        Ok(ids)
    }

    /// Saves one node record.
    pub fn save_node(&self, node: &NodeRecord) -> Result<()> {
        self.store
            .put(&ns::key(ns::NODE, &[node.id.as_bytes()]), &node.encode())?;
        Ok(())
    }

    /// Saves one beacon.
    pub fn save_beacon(&self, beacon: &EpochBeacon) -> Result<()> {
        self.store.put(
            &ns::key(ns::EPOCH, &[&beacon.epoch.to_be_bytes()]),
            &beacon.encode(),
        )?;
        Ok(())
    }

    /// Saves the whole registry in one batch.
    pub fn save_registry(&self, registry: &Registry) -> Result<()> {
        let mut batch = WriteBatch::new();
        for node in registry.nodes() {
            batch.put(ns::key(ns::NODE, &[node.id.as_bytes()]), node.encode());
        }
        let mut epoch = 0;
        while let Some(b) = registry.beacon_after(epoch) {
            batch.put(ns::key(ns::EPOCH, &[&b.epoch.to_be_bytes()]), b.encode());
            match b.epoch.checked_add(1) {
                Some(next) => epoch = next,
                None => break,
            }
        }
        self.store.write(batch)?;
        Ok(())
    }

    /// Loads the registry (empty if nothing is stored).
    pub fn load_registry(&self, config: CommitteeConfig) -> Result<Registry> {
        let mut nodes = Vec::new();
        let mut beacons = Vec::new();
        let mut failed = None;
        self.store
            .for_each(ns::NODE, &mut |_, v| match NodeRecord::decode(v) {
                Ok(n) => {
                    nodes.push(n);
                    ControlFlow::Continue(())
                }
                Err(e) => {
                    failed = Some(e);
                    ControlFlow::Break(())
                }
            })?;
        self.store
            .for_each(ns::EPOCH, &mut |_, v| match EpochBeacon::decode(v) {
                Ok(b) => {
                    beacons.push(b);
                    ControlFlow::Continue(())
                }
                Err(e) => {
                    failed = Some(e);
                    ControlFlow::Break(())
                }
            })?;
        if let Some(e) = failed {
            return Err(e.into());
        }
        Ok(Registry::restore(config, nodes, beacons))
    }
}

#[cfg(test)]
mod tests {
    use session_core::{StepKind, hash};
    use session_crypto::Identity;
    use session_store::MemoryStore;

    use super::*;

    #[test]
    fn sessions_and_registry_round_trip() {
        let store = DaemonStore::new(Arc::new(MemoryStore::new()));
        let committee = vec![hash(b"a"), hash(b"b"), hash(b"c")];
        let mut s = Session::new(hash(b"svc"), 1, hash(b"tx"), committee).unwrap();
        s.add_step(
            StepKind::Compute {
                function: "hash".into(),
                args: Vec::new(),
            },
            s.tx_id,
            Id::ZERO,
        )
        .unwrap();
        s.start().unwrap();
        s.begin_step().unwrap();
        let o = StepOutcome {
            values: vec![b"x".to_vec()],
            commit_root: None,
            certificate: None,
            receipts: Vec::new(),
            response_hash: None,
        };
        s.complete_step(o.output_hash(), None, None).unwrap();
        store.save_session(&s, std::slice::from_ref(&o)).unwrap();
        assert_eq!(store.session_ids().unwrap(), vec![s.id]);
        let (back, outcomes) = store.load_session(&s.id).unwrap().unwrap();
        assert_eq!(back, s);
        assert_eq!(outcomes, vec![o]);
        assert!(store.load_session(&hash(b"none")).unwrap().is_none());
        assert!(store.has_session(&s.id).unwrap());
        assert!(store.load_final_certificate(&s.id).unwrap().is_none());

        let mut reg = Registry::new();
        let id = reg
            .register(Identity::from_seeds(&[1; 64], &[1; 32]).public().clone())
            .unwrap();
        reg.activate(&id).unwrap();
        let b = EpochBeacon {
            epoch: 3,
            randomness: hash(b"r"),
            previous_beacon: Id::ZERO,
            attestation_id: None,
        };
        reg.push_beacon(b).unwrap();
        reg.push_beacon(b.next(hash(b"r2")).unwrap()).unwrap();
        store.save_registry(&reg).unwrap();
        let back = store.load_registry(CommitteeConfig::default()).unwrap();
        assert_eq!(back.epoch(), 4);
        assert_eq!(back.get(&id), reg.get(&id));
        assert_eq!(back.beacon(3), Some(&b));
    }
}
