//! Attestations: ML-DSA-65 signatures by committee members over a
//! domain-separated [`Statement`], quorum checks, and equivocation evidence.

use std::collections::BTreeMap;

use session_crypto::{Identity, Signature};

use crate::codec::{Decode, Encode, Reader, Versioned, Writer};
use crate::committee::MAX_COMMITTEE_SIZE;
use crate::domain::{CommitteeKeys, Domain, node_id};
use crate::error::{Error, Result};
use crate::hash::hash;
use crate::id::Id;

/// What an attestation asserts: in `domain`, `subject_id` committed to
/// `commit_root` in `epoch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Statement {
    /// The attestation domain.
    pub domain: Domain,
    /// What is attested: an oracle request ID, a session ID or a beacon ID.
    pub subject_id: Id,
    /// The Merkle root (or value) being attested.
    pub commit_root: Id,
    /// The epoch.
    pub epoch: u64,
}

impl Statement {
    /// The bytes signed:
    /// `"LUX:QuantumAttest:<domain>:v1" ‖ subject_id ‖ commit_root ‖ epoch:u64`.
    pub fn signing_payload(&self) -> Vec<u8> {
        let sep = self.domain.separator();
        let mut out = Vec::with_capacity(sep.len() + 32 + 32 + 8);
        out.extend_from_slice(sep);
        out.extend_from_slice(self.subject_id.as_bytes());
        out.extend_from_slice(self.commit_root.as_bytes());
        out.extend_from_slice(&self.epoch.to_be_bytes());
        out
    }

    /// The attestation ID: `H(signing_payload)`. Every signer of the same
    /// statement produces the same ID.
    pub fn id(&self) -> Id {
        hash(&self.signing_payload())
    }
}

impl Encode for Statement {
    fn encode_to(&self, w: &mut Writer) {
        w.u8(self.domain.tag());
        w.id(&self.subject_id);
        w.id(&self.commit_root);
        w.u64(self.epoch);
    }
}

impl Decode for Statement {
    const MIN_ENCODED_LEN: usize = 1 + 32 + 32 + 8;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Statement {
            domain: Domain::from_tag(r.u8()?)?,
            subject_id: r.id()?,
            commit_root: r.id()?,
            epoch: r.u64()?,
        })
    }
}

impl Versioned for Statement {
    const NAME: &'static str = "Statement";
    const VERSION: u8 = 1;
}

/// One committee member's signed statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attestation {
    /// What is attested.
    pub statement: Statement,
    /// The signer's node ID (its identity ID).
    pub signer: Id,
    /// ML-DSA-65 over [`Statement::signing_payload`].
    pub signature: Signature,
}

impl Attestation {
    /// Signs `statement` with `identity`.
    pub fn sign(identity: &Identity, statement: Statement) -> Self {
        Attestation {
            signer: node_id(identity.public()),
            signature: identity.sign(&statement.signing_payload()),
            statement,
        }
    }

    /// The statement's attestation ID.
    pub fn id(&self) -> Id {
        self.statement.id()
    }

    /// Checks that the signer is in `keys` and the signature is valid.
    pub fn verify(&self, keys: &CommitteeKeys) -> Result<()> {
        let key = keys.get(&self.signer).ok_or(Error::UnknownSigner)?;
        key.verify(&self.statement.signing_payload(), &self.signature)
            .map_err(|_| Error::InvalidSignature)
    }
}

impl Encode for Attestation {
    fn encode_to(&self, w: &mut Writer) {
        w.put(&self.statement);
        w.id(&self.signer);
        w.put(&self.signature);
    }
}

impl Decode for Attestation {
    const MIN_ENCODED_LEN: usize =
        Statement::MIN_ENCODED_LEN + 32 + <Signature as Decode>::MIN_ENCODED_LEN;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Attestation {
            statement: r.get()?,
            signer: r.id()?,
            signature: r.get()?,
        })
    }
}

impl Versioned for Attestation {
    const NAME: &'static str = "Attestation";
    const VERSION: u8 = 1;
}

/// The distinct members with a valid attestation of `statement`, each with
/// its first valid signature.
fn valid_signatures<'a>(
    statement: &Statement,
    attestations: &'a [Attestation],
    keys: &CommitteeKeys,
) -> BTreeMap<Id, &'a Signature> {
    let payload = statement.signing_payload();
    let mut valid = BTreeMap::new();
    for a in attestations {
        if a.statement != *statement || valid.contains_key(&a.signer) {
            continue;
        }
        let Some(key) = keys.get(&a.signer) else {
            continue;
        };
        if key.verify(&payload, &a.signature).is_ok() {
            valid.insert(a.signer, &a.signature);
        }
    }
    valid
}

fn require_quorum(count: usize, quorum: usize) -> Result<()> {
    // A quorum of zero would accept no signatures at all; never allow it.
    let required = quorum.max(1);
    if count < required {
        return Err(Error::QuorumNotReached {
            valid: count,
            required,
        });
    }
    Ok(())
}

/// Counts the distinct committee members with a valid attestation of
/// `statement` among `attestations`, and checks the count reaches `quorum`.
///
/// Attestations of other statements, by non-members, with bad signatures or
/// repeating a signer are ignored (a hostile peer cannot spoil a quorum by
/// adding junk). Returns the distinct valid signers, ascending.
pub fn check_quorum(
    statement: &Statement,
    attestations: &[Attestation],
    keys: &CommitteeKeys,
    quorum: usize,
) -> Result<Vec<Id>> {
    let valid = valid_signatures(statement, attestations, keys);
    require_quorum(valid.len(), quorum)?;
    Ok(valid.into_keys().collect())
}

/// A compact proof of quorum: one statement and the members' signatures,
/// sorted by signer and without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuorumCertificate {
    /// What is attested.
    pub statement: Statement,
    /// `(signer, signature)` pairs, strictly ascending by signer.
    pub signatures: Vec<(Id, Signature)>,
}

impl QuorumCertificate {
    /// Collects the valid attestations of `statement` into a certificate,
    /// failing unless they reach `quorum`.
    pub fn aggregate(
        statement: Statement,
        attestations: &[Attestation],
        keys: &CommitteeKeys,
        quorum: usize,
    ) -> Result<Self> {
        let valid = valid_signatures(&statement, attestations, keys);
        require_quorum(valid.len(), quorum)?;
        let signatures = valid
            .into_iter()
            .map(|(signer, sig)| (signer, sig.clone()))
            .collect();
        Ok(QuorumCertificate {
            statement,
            signatures,
        })
    }

    /// Checks every signature against `keys` and that there are at least
    /// `quorum` of them. Unlike [`check_quorum`], any bad entry fails the whole
    /// certificate: its producer had the chance to filter.
    pub fn verify(&self, keys: &CommitteeKeys, quorum: usize) -> Result<()> {
        if !self.signatures.windows(2).all(|w| w[0].0 < w[1].0) {
            return Err(Error::NonCanonical(
                "certificate signers not strictly ascending",
            ));
        }
        let payload = self.statement.signing_payload();
        for (signer, signature) in &self.signatures {
            let key = keys.get(signer).ok_or(Error::UnknownSigner)?;
            key.verify(&payload, signature)
                .map_err(|_| Error::InvalidSignature)?;
        }
        require_quorum(self.signatures.len(), quorum)
    }

    /// The signers, ascending.
    pub fn signers(&self) -> impl Iterator<Item = &Id> {
        self.signatures.iter().map(|(id, _)| id)
    }
}

impl Encode for QuorumCertificate {
    fn encode_to(&self, w: &mut Writer) {
        w.put(&self.statement);
        w.len_prefix(self.signatures.len());
        for (signer, signature) in &self.signatures {
            w.id(signer);
            w.put(signature);
        }
    }
}

impl Decode for QuorumCertificate {
    const MIN_ENCODED_LEN: usize = Statement::MIN_ENCODED_LEN + 4;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        let statement = r.get()?;
        let n = r.len_prefix(
            MAX_COMMITTEE_SIZE,
            32 + <Signature as Decode>::MIN_ENCODED_LEN,
            "certificate signatures",
        )?;
        let mut signatures: Vec<(Id, Signature)> = Vec::with_capacity(n);
        for _ in 0..n {
            let signer = r.id()?;
            if signatures.last().is_some_and(|(prev, _)| *prev >= signer) {
                return Err(Error::NonCanonical(
                    "certificate signers not strictly ascending",
                ));
            }
            signatures.push((signer, r.get()?));
        }
        Ok(QuorumCertificate {
            statement,
            signatures,
        })
    }
}

impl Versioned for QuorumCertificate {
    const NAME: &'static str = "QuorumCertificate";
    const VERSION: u8 = 1;
}

/// Proof that one signer attested two different roots for the same domain,
/// subject and epoch. `first.commit_root < second.commit_root`, so the same
/// pair always yields the same evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquivocationEvidence {
    /// The attestation with the smaller commit root.
    pub first: Attestation,
    /// The attestation with the larger commit root.
    pub second: Attestation,
}

impl EquivocationEvidence {
    /// Returns evidence if `a` and `b` conflict: same signer, domain, subject
    /// and epoch, different commit roots. Signatures are not checked here; call
    /// [`EquivocationEvidence::verify`] before acting on it.
    pub fn detect(a: &Attestation, b: &Attestation) -> Option<Self> {
        let (sa, sb) = (&a.statement, &b.statement);
        let conflict = a.signer == b.signer
            && sa.domain == sb.domain
            && sa.subject_id == sb.subject_id
            && sa.epoch == sb.epoch
            && sa.commit_root != sb.commit_root;
        if !conflict {
            return None;
        }
        let (first, second) = if sa.commit_root < sb.commit_root {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        Some(EquivocationEvidence { first, second })
    }

    /// The equivocating node.
    pub fn offender(&self) -> Id {
        self.first.signer
    }

    /// Checks the evidence is well formed and both signatures are valid under
    /// the offender's key in `keys`.
    pub fn verify(&self, keys: &CommitteeKeys) -> Result<()> {
        let (f, s) = (&self.first.statement, &self.second.statement);
        if self.first.signer != self.second.signer {
            return Err(Error::NotEquivocation("different signers"));
        }
        if f.domain != s.domain || f.subject_id != s.subject_id || f.epoch != s.epoch {
            return Err(Error::NotEquivocation("different statements"));
        }
        if f.commit_root >= s.commit_root {
            return Err(Error::NotEquivocation("roots equal or out of order"));
        }
        self.first.verify(keys)?;
        self.second.verify(keys)
    }
}

impl Encode for EquivocationEvidence {
    fn encode_to(&self, w: &mut Writer) {
        w.put(&self.first);
        w.put(&self.second);
    }
}

impl Decode for EquivocationEvidence {
    const MIN_ENCODED_LEN: usize = 2 * Attestation::MIN_ENCODED_LEN;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(EquivocationEvidence {
            first: r.get()?,
            second: r.get()?,
        })
    }
}

impl Versioned for EquivocationEvidence {
    const NAME: &'static str = "EquivocationEvidence";
    const VERSION: u8 = 1;
}

#[cfg(test)]
#[path = "attestation_tests.rs"]
mod tests;
