//! The Lux Session model shared by SessionVM and sessiond: 32-byte IDs (hex,
//! CB58), domain-separated hashing, a canonical binary codec, RFC 6962 Merkle
//! trees, the session/step state machine, attestations and equivocation
//! evidence, oracle records, receipts, epoch beacons and committee assignment.
//!
//! Everything is sans-I/O and deterministic: no clocks, no sockets, no files.
//!
//! ```
//! use session_core::{Id, Session, StepKind, Versioned, hash};
//!
//! // IDs print as CB58 and parse from CB58 or hex.
//! let id: Id = "Qbti334Sbv9i9x1EnWhC3fSR9Rnn8zWEBBBc1gyQLWjXwfFuw".parse()?;
//! assert_eq!(id, hash(b"node-1"));
//!
//! // A session walks pending → running → waiting_io → running → finalized.
//! let committee = vec![hash(b"node-1"), hash(b"node-2"), hash(b"node-3")];
//! let mut s = Session::new(hash(b"my-service"), 1, hash(b"tx-001"), committee)?;
//! s.add_step(StepKind::ReadExternal { url: "https://example.com/price".into() }, s.tx_id, Id::ZERO)?;
//! s.start()?;
//! let request_id = s.begin_step()?.expect("I/O steps have a request ID");
//! s.complete_step(hash(b"42"), Some(hash(b"records")), Some(hash(b"attestation")))?;
//! s.finalize(hash(b"out"), hash(b"oracle"), hash(b"receipts"))?;
//!
//! // Every stored and wire type has a canonical, versioned encoding.
//! assert_eq!(Session::decode(&s.encode())?, s);
//! # let _ = request_id;
//! # Ok::<(), session_core::Error>(())
//! ```

mod attestation;
mod beacon;
pub mod cb58;
pub mod codec;
mod committee;
mod domain;
mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod hash;
mod id;
pub mod merkle;
mod oracle;
mod receipt;
mod session;
mod step;

pub use attestation::{
    Attestation, EquivocationEvidence, QuorumCertificate, Statement, check_quorum,
};
pub use beacon::EpochBeacon;
pub use codec::{Decode, Encode, Reader, Versioned, Writer};
pub use committee::{
    Committee, CommitteeConfig, MAX_COMMITTEE_SIZE, MAX_COMMITTEE_SIZE_DEFAULT, MIN_COMMITTEE_SIZE,
    QUORUM_PERCENT, assign_committee, quorum, quorum_with_percent,
};
pub use domain::{CommitteeKeys, Domain, node_id};
pub use error::{Error, Result};
pub use hash::hash;
pub use id::{ID_LEN, Id};
pub use merkle::{ConsistencyProof, InclusionProof, MerkleTree};
pub use oracle::{
    MAX_ORACLE_DATA_LEN, ORACLE_RECORD_SIGNING_DOMAIN, OracleRecord, OracleRequest, RequestKind,
    oracle_commit_root, oracle_commit_tree,
};
pub use receipt::{RECEIPT_SIGNING_DOMAIN, Receipt, ReceiptProof, receipts_tree};
pub use session::{MAX_ERROR_LEN, MAX_STEPS, Session, SessionState};
pub use step::{
    MAX_ARGS_LEN, MAX_FUNCTION_LEN, MAX_URL_LEN, MAX_WRITE_PAYLOAD_LEN, Step, StepKind, StepState,
};
