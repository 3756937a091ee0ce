//! The document a `write_external` step POSTs (`Content-Type:
//! application/json`): the value, the committee's `oracle/write` quorum
//! certificate and what a receiver needs to tie the two together.
//!
//! ```json
//! {"session_id": "2Kx…", "step": 2, "value": {"text": "43"},
//!  "attestation_id": "…", "certificate": "01…",
//!  "request": {"service_id": "…", "tx_id": "…", "retry": 0, "request_id": "…"},
//!  "submitters": ["…", "…"]}
//! ```
//!
//! [`WriteDocument::verify`] checks, given the committee's keys: the
//! certificate is a quorum of valid member signatures over an `oracle/write`
//! statement; its subject is `request_id`, recomputed from `request`,
//! `session_id` and `step`; its commit root is the RFC 6962 root over the
//! sorted record IDs `H(request_id ‖ submitter ‖ H(value))` of `submitters`
//! — so the certificate covers exactly this value.
//!
//! ```
//! use session_core::{CommitteeKeys, hash};
//! use session_daemon::write::WriteDocument;
//!
//! # fn check(body: &[u8], keys: &CommitteeKeys) -> session_daemon::Result<()> {
//! let doc = WriteDocument::from_json(body)?;
//! doc.verify(keys, session_core::quorum(keys.len()))?;
//! println!("session {} step {} wrote {:?}", doc.session_id, doc.step, doc.value);
//! # Ok(()) }
//! ```

use serde::{Deserialize, Serialize};
use session_core::codec::Versioned;
use session_core::hash::oracle_record_id;
use session_core::{
    CommitteeKeys, Domain, Id, MAX_COMMITTEE_SIZE, MAX_WRITE_PAYLOAD_LEN, MerkleTree,
    OracleRequest, QuorumCertificate, RequestKind, hash,
};

use crate::error::{Error, Result};

/// The `Content-Type` of a write.
pub const CONTENT_TYPE: &str = "application/json";

/// Largest document accepted by [`WriteDocument::from_json`].
pub const MAX_DOCUMENT_LEN: usize = 4 * MAX_WRITE_PAYLOAD_LEN + (1 << 20);

/// What a `write_external` step posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteDocument {
    /// The session.
    pub session_id: Id,
    /// The step's index.
    pub step: u32,
    /// The session's service.
    pub service_id: Id,
    /// The session's transaction ID.
    pub tx_id: Id,
    /// The step's retry (part of the request ID).
    pub retry: u32,
    /// The value written.
    pub value: Vec<u8>,
    /// The members whose records of `value` were committed.
    pub submitters: Vec<Id>,
    /// The committee's `oracle/write` certificate.
    pub certificate: QuorumCertificate,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
enum WireValue {
    Text(String),
    Hex(String),
}

#[derive(Serialize, Deserialize)]
struct WireRequest {
    service_id: Id,
    tx_id: Id,
    retry: u32,
    request_id: Id,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    session_id: Id,
    step: u32,
    value: WireValue,
    attestation_id: Id,
    certificate: String,
    request: WireRequest,
    submitters: Vec<Id>,
}

fn bad(what: &'static str) -> Error {
    Error::InvalidInput(what)
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn from_hex(text: &str) -> Result<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return Err(bad("write document: bad hex"));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| bad("write document: bad hex"))
        })
        .collect()
}

impl WriteDocument {
    /// The oracle request the certificate's statement is about.
    pub fn request(&self) -> OracleRequest {
        OracleRequest {
            service_id: self.service_id,
            session_id: self.session_id,
            step: self.step,
            retry: self.retry,
            tx_id: self.tx_id,
            kind: RequestKind::Write,
            input_hash: Id::ZERO,
        }
    }

    /// The JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        let value = match std::str::from_utf8(&self.value) {
            Ok(s) => WireValue::Text(s.to_owned()),
            Err(_) => WireValue::Hex(to_hex(&self.value)),
        };
        let wire = Wire {
            session_id: self.session_id,
            step: self.step,
            value,
            attestation_id: self.certificate.statement.id(),
            certificate: to_hex(&self.certificate.encode()),
            request: WireRequest {
                service_id: self.service_id,
                tx_id: self.tx_id,
                retry: self.retry,
                request_id: self.request().id(),
            },
            submitters: self.submitters.clone(),
        };
        serde_json::to_vec(&wire).unwrap_or_default()
    }

    /// Parses a JSON body (shape only; see [`WriteDocument::verify`]).
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > MAX_DOCUMENT_LEN {
            return Err(bad("write document too large"));
        }
        let wire: Wire = serde_json::from_slice(bytes)
            .map_err(|_| bad("write document: not the expected JSON"))?;
        let value = match wire.value {
            WireValue::Text(s) => s.into_bytes(),
            WireValue::Hex(h) => from_hex(&h)?,
        };
        if value.len() > MAX_WRITE_PAYLOAD_LEN.max(session_core::MAX_ORACLE_DATA_LEN) {
            return Err(bad("write document: value too large"));
        }
        if wire.submitters.len() > MAX_COMMITTEE_SIZE {
            return Err(bad("write document: too many submitters"));
        }
        let certificate = QuorumCertificate::decode(&from_hex(&wire.certificate)?)?;
        let doc = WriteDocument {
            session_id: wire.session_id,
            step: wire.step,
            service_id: wire.request.service_id,
            tx_id: wire.request.tx_id,
            retry: wire.request.retry,
            value,
            submitters: wire.submitters,
            certificate,
        };
        if doc.request().id() != wire.request.request_id {
            return Err(bad("write document: request_id does not match its parts"));
        }
        if doc.certificate.statement.id() != wire.attestation_id {
            return Err(bad(
                "write document: attestation_id is not the certificate's",
            ));
        }
        Ok(doc)
    }

    /// Checks the certificate (quorum of `keys`, `oracle/write`, this
    /// request) covers exactly this value; see the module documentation.
    pub fn verify(&self, keys: &CommitteeKeys, quorum: usize) -> Result<()> {
        let statement = &self.certificate.statement;
        if statement.domain != Domain::OracleWrite {
            return Err(bad("write document: not an oracle/write certificate"));
        }
        let request_id = self.request().id();
        if statement.subject_id != request_id {
            return Err(bad("write document: certificate is for another request"));
        }
        let data_hash = hash(&self.value);
        let mut ids: Vec<Id> = self
            .submitters
            .iter()
            .map(|s| oracle_record_id(&request_id, s, &data_hash))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != self.submitters.len() {
            return Err(bad("write document: repeated submitter"));
        }
        if MerkleTree::from_leaves(ids.iter().map(Id::as_bytes)).root() != statement.commit_root {
            return Err(bad("write document: certificate does not cover this value"));
        }
        self.certificate.verify(keys, quorum)?;
        Ok(())
    }
}
