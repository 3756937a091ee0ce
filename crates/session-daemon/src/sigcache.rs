//! Checked ML-DSA signatures, remembered so each is verified once per node.
//!
//! A member sees the same signature several times: a record when it arrives
//! and again in the leader's commit and certified message; an attestation
//! when it arrives and again while a certificate is assembled. And the
//! daemon checks incoming gossip's signatures on the blocking pool before
//! the event loop handles it. [`SigCache`] remembers `H(signer ‖ payload ‖
//! signature)` of every signature that verified, so the later checks are a
//! hash lookup. Membership is still checked at every use: a signature is only
//! looked up under the key the caller's committee files for the signer.
//!
//! ```
//! use session_core::{CommitteeKeys, OracleRecord, hash};
//! use session_crypto::Identity;
//! use session_daemon::sigcache::SigCache;
//!
//! let node = Identity::generate();
//! let keys: CommitteeKeys = [node.public().clone()].into_iter().collect();
//! let record = OracleRecord::sign(&node, hash(b"request"), b"42".to_vec())?;
//! let cache = SigCache::new();
//! cache.record(&record, &keys)?; // verified
//! cache.record(&record, &keys)?; // remembered
//! assert_eq!(cache.len(), 1);
//! # Ok::<(), session_daemon::Error>(())
//! ```

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use session_core::{
    Attestation, CommitteeKeys, Id, OracleRecord, QuorumCertificate, Receipt, Statement,
};
use session_crypto::{PublicIdentity, Signature};

use crate::error::{Error, Result};

/// Signatures remembered at most; the set is emptied when full.
pub const MAX_ENTRIES: usize = 1 << 16;

/// A set of checked signatures. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct SigCache {
    checked: Arc<Mutex<HashSet<Id>>>,
}

fn digest(signer: &Id, payload: &[u8], signature: &Signature) -> Id {
    let sig = signature.as_bytes();
    let mut input = Vec::with_capacity(32 + 8 + payload.len() + sig.len());
    input.extend_from_slice(signer.as_bytes());
    input.extend_from_slice(&(payload.len() as u64).to_be_bytes());
    input.extend_from_slice(payload);
    input.extend_from_slice(sig);
    session_core::hash(&input)
}

impl SigCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Signatures remembered.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<Id>> {
        self.checked.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `signature` by `signer` (whose key is `key`) over `payload`
    /// is valid: remembered, or verified now (and remembered if valid).
    pub fn check(
        &self,
        key: &PublicIdentity,
        signer: &Id,
        payload: &[u8],
        signature: &Signature,
    ) -> bool {
        let d = digest(signer, payload, signature);
        if self.lock().contains(&d) {
            return true;
        }
        let valid = key.verify(payload, signature).is_ok();
        if valid {
            let mut set = self.lock();
            if set.len() >= MAX_ENTRIES {
                set.clear();
            }
            set.insert(d);
        }
        valid
    }

    fn signed(
        &self,
        keys: &CommitteeKeys,
        signer: &Id,
        payload: &[u8],
        signature: &Signature,
    ) -> Result<()> {
        let key = keys.get(signer).ok_or(Error::NotMember)?;
        if self.check(key, signer, payload, signature) {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }

    /// [`OracleRecord::verify`], remembered.
    pub fn record(&self, record: &OracleRecord, keys: &CommitteeKeys) -> Result<()> {
        self.signed(
            keys,
            &record.submitter,
            &record.signing_payload(),
            &record.signature,
        )
    }

    /// [`Attestation::verify`], remembered.
    pub fn attestation(&self, attestation: &Attestation, keys: &CommitteeKeys) -> Result<()> {
        self.signed(
            keys,
            &attestation.signer,
            &attestation.statement.signing_payload(),
            &attestation.signature,
        )
    }

    /// [`Receipt::verify`], remembered.
    pub fn receipt(&self, receipt: &Receipt, keys: &CommitteeKeys) -> Result<()> {
        self.signed(
            keys,
            &receipt.receiver,
            &receipt.signing_payload(),
            &receipt.signature,
        )
    }

    /// [`QuorumCertificate::verify`], remembered: signers strictly
    /// ascending, every one in `keys` with a valid signature, at least
    /// `quorum` (and at least one) of them.
    pub fn certificate(
        &self,
        certificate: &QuorumCertificate,
        keys: &CommitteeKeys,
        quorum: usize,
    ) -> Result<()> {
        let sigs = &certificate.signatures;
        if !sigs.windows(2).all(|w| w[0].0 < w[1].0) {
            return Err(Error::InvalidInput(
                "certificate signers not strictly ascending",
            ));
        }
        let payload = certificate.statement.signing_payload();
        for (signer, signature) in sigs {
            self.signed(keys, signer, &payload, signature)?;
        }
        let need = quorum.max(1);
        if sigs.len() < need {
            return Err(Error::QuorumNotReached {
                have: sigs.len(),
                need,
            });
        }
        Ok(())
    }
}

/// The certificate of `statement` from attestations already checked (by
/// members of the committee): those of `statement`, one per signer,
/// ascending; an error below `quorum`.
pub fn certificate_of<'a>(
    statement: Statement,
    checked: impl IntoIterator<Item = &'a Attestation>,
    quorum: usize,
) -> Result<QuorumCertificate> {
    let mut signatures: Vec<(Id, Signature)> = checked
        .into_iter()
        .filter(|a| a.statement == statement)
        .map(|a| (a.signer, a.signature.clone()))
        .collect();
    signatures.sort_by_key(|s| s.0);
    signatures.dedup_by(|a, b| a.0 == b.0);
    let need = quorum.max(1);
    if signatures.len() < need {
        return Err(Error::QuorumNotReached {
            have: signatures.len(),
            need,
        });
    }
    Ok(QuorumCertificate {
        statement,
        signatures,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use session_core::{Domain, hash};
    use session_crypto::Identity;

    use super::*;

    #[test]
    fn remembers_valid_signatures_only_and_checks_membership() {
        let a = Identity::from_seeds(&[1; 64], &[1; 32]);
        let b = Identity::from_seeds(&[2; 64], &[2; 32]);
        let keys: CommitteeKeys = [a.public().clone(), b.public().clone()]
            .into_iter()
            .collect();
        let cache = SigCache::new();
        let statement = Statement {
            domain: Domain::OracleRead,
            subject_id: hash(b"r"),
            commit_root: hash(b"root"),
            epoch: 1,
        };
        let att = Attestation::sign(&a, statement);
        cache.attestation(&att, &keys).unwrap();
        cache.attestation(&att, &keys).unwrap();
        assert_eq!(cache.len(), 1);
        // Same signature claimed by another signer: not remembered as valid.
        let mut forged = att.clone();
        forged.signer = session_core::node_id(b.public());
        assert!(matches!(
            cache.attestation(&forged, &keys),
            Err(Error::InvalidSignature)
        ));
        // A remembered signature still needs a member.
        let only_b: CommitteeKeys = [b.public().clone()].into_iter().collect();
        assert!(matches!(
            cache.attestation(&att, &only_b),
            Err(Error::NotMember)
        ));
        // Another statement, same signature bytes: refused.
        let mut other = att.clone();
        other.statement.epoch = 2;
        assert!(cache.attestation(&other, &keys).is_err());
        assert_eq!(cache.len(), 1);
        // Certificates: built from checked attestations, verified through the cache.
        let att_b = Attestation::sign(&b, statement);
        let qc = certificate_of(statement, [&att_b, &att, &att], 2).unwrap();
        assert_eq!(qc.signatures.len(), 2);
        qc.verify(&keys, 2).unwrap();
        cache.certificate(&qc, &keys, 2).unwrap();
        assert!(cache.certificate(&qc, &keys, 3).is_err());
        assert!(certificate_of(statement, [&att], 2).is_err());
        let mut unsorted = qc.clone();
        unsorted.signatures.reverse();
        assert!(cache.certificate(&unsorted, &keys, 2).is_err());
        let mut bad = qc;
        bad.signatures[0].1 = bad.signatures[1].1.clone();
        assert!(cache.certificate(&bad, &keys, 2).is_err());
    }
}
