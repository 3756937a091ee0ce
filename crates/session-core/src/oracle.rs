//! Oracle requests (external I/O a step needs) and the records committee
//! members submit for them.

use session_crypto::{Identity, Signature};

use crate::attestation::Statement;
use crate::codec::{Decode, Encode, Reader, Versioned, Writer};
use crate::domain::{CommitteeKeys, Domain, node_id};
use crate::error::{Error, Result};
use crate::hash::{hash, oracle_record_id, oracle_request_id};
use crate::id::Id;
use crate::merkle::MerkleTree;

/// Largest oracle record payload, in bytes.
pub const MAX_ORACLE_DATA_LEN: usize = 256 * 1024;

/// Prefix of the bytes a submitter signs for an [`OracleRecord`].
pub const ORACLE_RECORD_SIGNING_DOMAIN: &[u8] = b"LUX:OracleRecord:v1";

/// Whether a request reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestKind {
    /// An external write.
    Write,
    /// An external read.
    Read,
}

impl RequestKind {
    /// The attestation domain for this kind.
    pub fn domain(self) -> Domain {
        match self {
            RequestKind::Write => Domain::OracleWrite,
            RequestKind::Read => Domain::OracleRead,
        }
    }
}

/// A request for external I/O by a session step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OracleRequest {
    /// The service.
    pub service_id: Id,
    /// The session.
    pub session_id: Id,
    /// The step index.
    pub step: u32,
    /// The retry counter.
    pub retry: u32,
    /// The transaction that triggered the step.
    pub tx_id: Id,
    /// Read or write.
    pub kind: RequestKind,
    /// Hash of the request's inputs.
    pub input_hash: Id,
}

impl OracleRequest {
    /// `H("LUX:OracleRequest:v1" ‖ service_id ‖ session_id ‖ step:u32 ‖ retry:u32 ‖ tx_id)`.
    pub fn id(&self) -> Id {
        oracle_request_id(
            &self.service_id,
            &self.session_id,
            self.step,
            self.retry,
            &self.tx_id,
        )
    }

    /// The statement a committee attests once records are committed.
    pub fn statement(&self, commit_root: Id, epoch: u64) -> Statement {
        Statement {
            domain: self.kind.domain(),
            subject_id: self.id(),
            commit_root,
            epoch,
        }
    }
}

impl Encode for OracleRequest {
    fn encode_to(&self, w: &mut Writer) {
        w.id(&self.service_id);
        w.id(&self.session_id);
        w.u32(self.step);
        w.u32(self.retry);
        w.id(&self.tx_id);
        w.u8(match self.kind {
            RequestKind::Write => 0,
            RequestKind::Read => 1,
        });
        w.id(&self.input_hash);
    }
}

impl Decode for OracleRequest {
    const MIN_ENCODED_LEN: usize = 32 * 4 + 4 + 4 + 1;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(OracleRequest {
            service_id: r.id()?,
            session_id: r.id()?,
            step: r.u32()?,
            retry: r.u32()?,
            tx_id: r.id()?,
            kind: match r.u8()? {
                0 => RequestKind::Write,
                1 => RequestKind::Read,
                tag => {
                    return Err(Error::InvalidTag {
                        field: "request kind",
                        tag,
                    });
                }
            },
            input_hash: r.id()?,
        })
    }
}

impl Versioned for OracleRequest {
    const NAME: &'static str = "OracleRequest";
    const VERSION: u8 = 1;
}

/// One committee member's observation for an oracle request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OracleRecord {
    /// The request answered.
    pub request_id: Id,
    /// The submitting node.
    pub submitter: Id,
    /// The observation.
    pub data: Vec<u8>,
    /// ML-DSA-65 over [`OracleRecord::signing_payload`].
    pub signature: Signature,
}

impl OracleRecord {
    /// Builds and signs a record.
    pub fn sign(identity: &Identity, request_id: Id, data: Vec<u8>) -> Result<Self> {
        if data.len() > MAX_ORACLE_DATA_LEN {
            return Err(Error::TooLong {
                field: "oracle data",
                len: data.len() as u64,
                max: MAX_ORACLE_DATA_LEN as u64,
            });
        }
        let submitter = node_id(identity.public());
        let payload = Self::payload(&request_id, &submitter, &hash(&data));
        Ok(OracleRecord {
            request_id,
            submitter,
            signature: identity.sign(&payload),
            data,
        })
    }

    /// `H(data)`.
    pub fn data_hash(&self) -> Id {
        hash(&self.data)
    }

    /// `H(request_id ‖ submitter ‖ H(data))`.
    pub fn id(&self) -> Id {
        oracle_record_id(&self.request_id, &self.submitter, &self.data_hash())
    }

    fn payload(request_id: &Id, submitter: &Id, data_hash: &Id) -> Vec<u8> {
        let id = oracle_record_id(request_id, submitter, data_hash);
        let mut out = Vec::with_capacity(ORACLE_RECORD_SIGNING_DOMAIN.len() + 32);
        out.extend_from_slice(ORACLE_RECORD_SIGNING_DOMAIN);
        out.extend_from_slice(id.as_bytes());
        out
    }

    /// The bytes the submitter signs: `"LUX:OracleRecord:v1" ‖ record_id`.
    pub fn signing_payload(&self) -> Vec<u8> {
        Self::payload(&self.request_id, &self.submitter, &self.data_hash())
    }

    /// Checks the submitter is in `keys` and signed this record.
    pub fn verify(&self, keys: &CommitteeKeys) -> Result<()> {
        let key = keys.get(&self.submitter).ok_or(Error::UnknownSigner)?;
        key.verify(&self.signing_payload(), &self.signature)
            .map_err(|_| Error::InvalidSignature)
    }
}

/// The commitment over a request's records: the RFC 6962 tree whose leaves are
/// the distinct record IDs in ascending order (so arrival order does not matter).
pub fn oracle_commit_tree(records: &[OracleRecord]) -> MerkleTree {
    let mut ids: Vec<Id> = records.iter().map(OracleRecord::id).collect();
    ids.sort_unstable();
    ids.dedup();
    MerkleTree::from_leaves(ids.iter().map(Id::as_bytes))
}

/// The root of [`oracle_commit_tree`].
pub fn oracle_commit_root(records: &[OracleRecord]) -> Id {
    oracle_commit_tree(records).root()
}

impl Encode for OracleRecord {
    fn encode_to(&self, w: &mut Writer) {
        w.id(&self.request_id);
        w.id(&self.submitter);
        w.bytes(&self.data);
        w.put(&self.signature);
    }
}

impl Decode for OracleRecord {
    const MIN_ENCODED_LEN: usize = 32 + 32 + 4 + <Signature as Decode>::MIN_ENCODED_LEN;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(OracleRecord {
            request_id: r.id()?,
            submitter: r.id()?,
            data: r.byte_vec(MAX_ORACLE_DATA_LEN, "oracle data")?,
            signature: r.get()?,
        })
    }
}

impl Versioned for OracleRecord {
    const NAME: &'static str = "OracleRecord";
    const VERSION: u8 = 1;
}
