//! One oracle round: committee members' signed records for a request are
//! collected, committed under an RFC 6962 Merkle root, and attested until a
//! quorum certificate exists.
//!
//! The round's leader commits the records it holds (at least a quorum of
//! distinct members) with [`OracleRound::commit`] and sends them; the others
//! check the same set with [`OracleRound::accept_commit`]. Everyone then
//! attests `oracle/read|write(request_id, root, epoch)`. Conflicting records
//! or attestations from one member are turned into [`Evidence`].
//!
//! Nothing a peer sends can panic the round or grow it without bound: each
//! member contributes at most one record and one attestation, and both are
//! checked against the committee's keys before they are kept.

use std::collections::BTreeMap;

use session_core::{
    Attestation, CommitteeKeys, EquivocationEvidence, Id, MerkleTree, OracleRecord, OracleRequest,
    QuorumCertificate, Statement, oracle_commit_tree,
};

use crate::error::{Error, Result};
use crate::evidence::{Evidence, RecordEquivocation};
use crate::sigcache::{SigCache, certificate_of};

/// What adding a record or attestation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new contribution was kept.
    New,
    /// The same contribution was already held; nothing changed.
    Duplicate,
    /// It conflicts with what the member sent before: here is the evidence.
    /// (The earlier contribution stays.)
    Equivocation(Box<Evidence>),
    /// Valid but too late to matter (the round is committed or certified).
    Late,
}

/// The committed part of a round.
#[derive(Debug, Clone)]
struct Commit {
    records: Vec<OracleRecord>,
    tree: MerkleTree,
}

/// One oracle round.
#[derive(Debug, Clone)]
pub struct OracleRound {
    request: OracleRequest,
    epoch: u64,
    keys: CommitteeKeys,
    quorum: usize,
    records: BTreeMap<Id, OracleRecord>,
    attestations: BTreeMap<Id, Attestation>,
    commit: Option<Commit>,
    evidence: Vec<Evidence>,
    sigs: SigCache,
}

impl OracleRound {
    /// A round for `request` in `epoch`, among `keys` (the committee), needing
    /// `quorum` records and attestations.
    pub fn new(
        request: OracleRequest,
        epoch: u64,
        keys: CommitteeKeys,
        quorum: usize,
    ) -> Result<Self> {
        if quorum == 0 || quorum > keys.len() {
            return Err(Error::InvalidInput(
                "quorum must be between 1 and the committee size",
            ));
        }
        Ok(OracleRound {
            request,
            epoch,
            keys,
            quorum,
            records: BTreeMap::new(),
            attestations: BTreeMap::new(),
            commit: None,
            evidence: Vec::new(),
            sigs: SigCache::new(),
        })
    }

    /// Checks signatures through `sigs` (shared with the node), so each is
    /// verified once.
    pub fn with_signature_cache(mut self, sigs: SigCache) -> Self {
        self.sigs = sigs;
        self
    }

    /// The request.
    pub fn request(&self) -> &OracleRequest {
        &self.request
    }

    /// The request ID.
    pub fn request_id(&self) -> Id {
        self.request.id()
    }

    /// Records or attestations needed.
    pub fn quorum(&self) -> usize {
        self.quorum
    }

    /// The committee's keys.
    pub fn keys(&self) -> &CommitteeKeys {
        &self.keys
    }

    fn check_record(&self, record: &OracleRecord) -> Result<()> {
        if record.request_id != self.request_id() {
            return Err(Error::WrongRequest);
        }
        if !self.keys.contains(&record.submitter) {
            return Err(Error::NotMember);
        }
        self.sigs.record(record, &self.keys)
    }

    /// Adds a member's record (checked: request, membership, signature).
    pub fn add_record(&mut self, record: OracleRecord) -> Result<Added> {
        self.check_record(&record)?;
        if let Some(held) = self.records.get(&record.submitter) {
            if held.data == record.data {
                return Ok(Added::Duplicate);
            }
            let evidence = Evidence::Record(
                RecordEquivocation::detect(held, &record).expect("different data conflicts"),
            );
            return Ok(self.note_evidence(evidence));
        }
        if self.commit.is_some() {
            return Ok(Added::Late);
        }
        self.records.insert(record.submitter, record);
        Ok(Added::New)
    }

    fn note_evidence(&mut self, evidence: Evidence) -> Added {
        if !self.evidence.contains(&evidence) {
            self.evidence.push(evidence.clone());
        }
        Added::Equivocation(Box::new(evidence))
    }

    /// Records held, one per member, ascending by submitter.
    pub fn records(&self) -> impl Iterator<Item = &OracleRecord> {
        self.records.values()
    }

    /// Number of distinct members with a record.
    pub fn record_count(&self) -> usize {
        self.records.len()
    }

    /// Whether enough records from members not known to equivocate are held
    /// to commit.
    pub fn can_commit(&self) -> bool {
        let honest = self
            .records
            .keys()
            .filter(|id| !self.evidence.iter().any(|e| e.offender() == **id))
            .count();
        self.commit.is_none() && honest >= self.quorum
    }

    /// Commits the records held (the leader's path), leaving out members
    /// known to have equivocated. Returns the root.
    pub fn commit(&mut self) -> Result<Id> {
        if self.commit.is_some() {
            return Err(Error::AlreadyCommitted);
        }
        let offenders: Vec<Id> = self.evidence.iter().map(Evidence::offender).collect();
        let records: Vec<OracleRecord> = self
            .records
            .values()
            .filter(|r| !offenders.contains(&r.submitter))
            .cloned()
            .collect();
        if records.len() < self.quorum {
            return Err(Error::QuorumNotReached {
                have: records.len(),
                need: self.quorum,
            });
        }
        Ok(self.set_commit(records))
    }

    fn set_commit(&mut self, mut records: Vec<OracleRecord>) -> Id {
        records.sort_by_key(OracleRecord::id);
        let tree = oracle_commit_tree(&records);
        let root = tree.root();
        self.commit = Some(Commit { records, tree });
        root
    }

    /// Accepts a leader's commit: every record valid, distinct submitters, at
    /// least a quorum. Records conflicting with ones held become evidence (and
    /// the commit is still accepted: each record in it is validly signed).
    /// Accepting the same set twice is fine; a different set is refused.
    pub fn accept_commit(&mut self, records: Vec<OracleRecord>) -> Result<Id> {
        if records.len() > self.keys.len() {
            return Err(Error::InvalidCommit("more records than members"));
        }
        let mut seen = BTreeMap::new();
        for r in &records {
            self.check_record(r)?;
            if seen.insert(r.submitter, ()).is_some() {
                return Err(Error::InvalidCommit("submitter repeated"));
            }
        }
        if records.len() < self.quorum {
            return Err(Error::InvalidCommit("fewer records than a quorum"));
        }
        let root = oracle_commit_tree(&records).root();
        if let Some(root_held) = self.commit_root() {
            return if root_held == root {
                Ok(root)
            } else {
                Err(Error::AlreadyCommitted)
            };
        }
        for r in &records {
            if let Some(held) = self.records.get(&r.submitter)
                && let Some(e) = RecordEquivocation::detect(held, r)
            {
                self.note_evidence(Evidence::Record(e));
            }
        }
        Ok(self.set_commit(records))
    }

    /// The commit root, once committed.
    pub fn commit_root(&self) -> Option<Id> {
        self.commit.as_ref().map(|c| c.tree.root())
    }

    /// The committed records, ascending by record ID (the tree's leaf order).
    pub fn committed_records(&self) -> Option<&[OracleRecord]> {
        self.commit.as_ref().map(|c| c.records.as_slice())
    }

    /// The commit tree (for record inclusion proofs).
    pub fn commit_tree(&self) -> Option<&MerkleTree> {
        self.commit.as_ref().map(|c| &c.tree)
    }

    /// The statement to attest, once committed.
    pub fn statement(&self) -> Option<Statement> {
        self.commit_root()
            .map(|root| self.request.statement(root, self.epoch))
    }

    /// Adds a member's attestation of this request (checked: domain, subject,
    /// epoch, membership, signature). One attestation per member is kept; a
    /// second with another root is equivocation.
    pub fn add_attestation(&mut self, attestation: Attestation) -> Result<Added> {
        let s = &attestation.statement;
        if s.domain != self.request.kind.domain()
            || s.subject_id != self.request_id()
            || s.epoch != self.epoch
        {
            return Err(Error::WrongRequest);
        }
        if !self.keys.contains(&attestation.signer) {
            return Err(Error::NotMember);
        }
        self.sigs.attestation(&attestation, &self.keys)?;
        if let Some(held) = self.attestations.get(&attestation.signer) {
            return Ok(match EquivocationEvidence::detect(held, &attestation) {
                Some(e) => self.note_evidence(Evidence::Attestation(e)),
                None => Added::Duplicate,
            });
        }
        self.attestations.insert(attestation.signer, attestation);
        Ok(Added::New)
    }

    /// Valid attestations of the committed statement.
    pub fn attestation_count(&self) -> usize {
        let Some(statement) = self.statement() else {
            return 0;
        };
        self.attestations
            .values()
            .filter(|a| a.statement == statement)
            .count()
    }

    /// The quorum certificate, once a quorum attested the committed root.
    pub fn certificate(&self) -> Result<QuorumCertificate> {
        let statement = self.statement().ok_or(Error::QuorumNotReached {
            have: 0,
            need: self.quorum,
        })?;
        let have = self.attestation_count();
        if have < self.quorum {
            return Err(Error::QuorumNotReached {
                have,
                need: self.quorum,
            });
        }
        // Every held attestation was checked when it was added.
        certificate_of(statement, self.attestations.values(), self.quorum)
    }

    /// Evidence gathered so far.
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }
}

#[cfg(test)]
#[path = "round_tests.rs"]
mod tests;
