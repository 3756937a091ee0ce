//! Checking incoming gossip's signatures before the event loop sees it.
//!
//! The daemon runs [`check`] on the blocking pool for every gossip message,
//! with the registry keys of its [`signers`], filling the node's
//! [`SigCache`]; when the runner then handles the message, its signature
//! checks are lookups. Nothing is decided here: an invalid signature is
//! simply not remembered, and the runner refuses it as before.

use session_core::{CommitteeKeys, Id};
use session_crypto::Signature;

use crate::runner::Message;
use crate::sigcache::SigCache;

/// `(signer, signed payload, signature)` of every signature in `message`
/// (evidence is left to the runner: it is rare).
fn signatures(message: &Message) -> Vec<(Id, Vec<u8>, &Signature)> {
    let mut out = Vec::new();
    match message {
        Message::Record(r) => out.push((r.submitter, r.signing_payload(), &r.signature)),
        Message::Commit { records, .. } => {
            for r in records {
                out.push((r.submitter, r.signing_payload(), &r.signature));
            }
        }
        Message::Attest {
            attestation,
            receipt,
        } => {
            out.push((
                attestation.signer,
                attestation.statement.signing_payload(),
                &attestation.signature,
            ));
            out.push((
                receipt.receiver,
                receipt.signing_payload(),
                &receipt.signature,
            ));
        }
        Message::Certified(c) => {
            for r in &c.records {
                out.push((r.submitter, r.signing_payload(), &r.signature));
            }
            let payload = c.certificate.statement.signing_payload();
            for (signer, signature) in &c.certificate.signatures {
                out.push((*signer, payload.clone(), signature));
            }
            for r in &c.receipts {
                out.push((r.receiver, r.signing_payload(), &r.signature));
            }
        }
        Message::Complete(a) => {
            out.push((a.signer, a.statement.signing_payload(), &a.signature));
        }
        Message::Evidence(_) => {}
    }
    out
}

/// The signers whose keys [`check`] needs.
pub fn signers(message: &Message) -> Vec<Id> {
    let mut ids: Vec<Id> = signatures(message)
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Verifies every signature in `message` whose signer is in `keys` (CPU
/// heavy: run it off the event loop); valid ones go into `sigs`. Returns
/// how many verified.
pub fn check(message: &Message, keys: &CommitteeKeys, sigs: &SigCache) -> usize {
    signatures(message)
        .into_iter()
        .filter(|(signer, payload, signature)| {
            keys.get(signer)
                .is_some_and(|key| sigs.check(key, signer, payload, signature))
        })
        .count()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use session_core::{Attestation, Domain, OracleRecord, Receipt, Statement, hash, node_id};
    use session_crypto::Identity;

    use super::*;

    #[test]
    fn every_signature_of_a_message_is_checked_once() {
        let a = Identity::from_seeds(&[1; 64], &[1; 32]);
        let b = Identity::from_seeds(&[2; 64], &[2; 32]);
        let keys: CommitteeKeys = [a.public().clone()].into_iter().collect();
        let sigs = SigCache::new();
        let record = OracleRecord::sign(&a, hash(b"r"), b"42".to_vec()).unwrap();
        let stranger = OracleRecord::sign(&b, hash(b"r"), b"42".to_vec()).unwrap();
        let commit = Message::Commit {
            request_id: hash(b"r"),
            records: vec![record.clone(), stranger],
        };
        assert_eq!(signers(&commit), {
            let mut v = vec![node_id(a.public()), node_id(b.public())];
            v.sort_unstable();
            v
        });
        assert_eq!(check(&commit, &keys, &sigs), 1, "only members' signatures");
        assert_eq!(sigs.len(), 1);
        // The runner's check is now a lookup.
        sigs.record(&record, &keys).unwrap();
        assert_eq!(sigs.len(), 1);
        let statement = Statement {
            domain: Domain::OracleRead,
            subject_id: hash(b"r"),
            commit_root: hash(b"root"),
            epoch: 1,
        };
        let mut attestation = Attestation::sign(&a, statement);
        let receipt = Receipt::sign(&a, hash(b"s"), 0, hash(b"root"), hash(b"leader"));
        attestation.statement.epoch = 2; // signature no longer matches
        let attest = Message::Attest {
            attestation,
            receipt,
        };
        assert_eq!(check(&attest, &keys, &sigs), 1, "the receipt only");
        assert_eq!(sigs.len(), 2);
    }
}
