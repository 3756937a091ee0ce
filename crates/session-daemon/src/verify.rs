//! Offline verification of a receipts document, as `GET
//! /v1/sessions/{id}/receipts` serves it (the basis of `session receipt
//! verify <file>`).
//!
//! Checks: the committee keys hash to the listed committee IDs; every receipt
//! is signed by a member, belongs to the session and is proven under the
//! final receipts root; the `session/complete` certificate has a quorum of
//! valid member signatures over `H(output_hash ‖ oracle_root ‖
//! receipts_root)` for this session and epoch.

use serde_json::Value;
use session_core::codec::Versioned;
use session_core::{
    CommitteeKeys, Domain, Id, QuorumCertificate, ReceiptProof, Statement, hash, node_id,
};
use session_crypto::PublicIdentity;

use crate::error::{Error, Result};

/// Most receipts a document may list.
pub const MAX_RECEIPTS: usize = 1 << 16;

/// What a verified document proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptsSummary {
    /// The session.
    pub session_id: Id,
    /// Receipts verified.
    pub receipts: usize,
    /// The final receipts root.
    pub receipts_root: Id,
    /// Members that signed the final certificate.
    pub signers: usize,
    /// Committee size.
    pub committee: usize,
}

fn field<'a>(doc: &'a Value, name: &'static str) -> Result<&'a str> {
    doc.get(name)
        .and_then(Value::as_str)
        .ok_or(Error::InvalidInput("receipts document: missing field"))
}

fn id(doc: &Value, name: &'static str) -> Result<Id> {
    field(doc, name)?
        .parse()
        .map_err(|_| Error::InvalidInput("receipts document: bad ID"))
}

fn unhex(text: &str) -> Result<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return Err(Error::InvalidInput("receipts document: bad hex"));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&text[i..i + 2], 16)
                .map_err(|_| Error::InvalidInput("receipts document: bad hex"))
        })
        .collect()
}

fn array<'a>(doc: &'a Value, name: &'static str, max: usize) -> Result<&'a Vec<Value>> {
    let a = doc
        .get(name)
        .and_then(Value::as_array)
        .ok_or(Error::InvalidInput("receipts document: missing list"))?;
    if a.len() > max {
        return Err(Error::InvalidInput("receipts document: list too long"));
    }
    Ok(a)
}

/// Verifies a receipts document; see the module docs for what is checked.
pub fn verify_receipts_document(doc: &Value) -> Result<ReceiptsSummary> {
    let session_id = id(doc, "session_id")?;
    let epoch = doc
        .get("epoch")
        .and_then(Value::as_u64)
        .ok_or(Error::InvalidInput("receipts document: missing epoch"))?;
    let committee = array(doc, "committee", session_core::MAX_COMMITTEE_SIZE)?;
    let key_texts = array(doc, "committee_keys", session_core::MAX_COMMITTEE_SIZE)?;
    if committee.len() != key_texts.len() || committee.is_empty() {
        return Err(Error::InvalidInput("receipts document: one key per member"));
    }
    let mut keys = CommitteeKeys::new();
    for (member, key) in committee.iter().zip(key_texts) {
        let member: Id = member
            .as_str()
            .and_then(|m| m.parse().ok())
            .ok_or(Error::InvalidInput("receipts document: bad member ID"))?;
        let bytes = unhex(key.as_str().unwrap_or_default())?;
        let public = PublicIdentity::from_bytes(&bytes)
            .map_err(|_| Error::InvalidInput("receipts document: bad member key"))?;
        if node_id(&public) != member {
            return Err(Error::InvalidInput(
                "receipts document: a key does not match its member",
            ));
        }
        keys.insert(public);
    }
    let receipts_root = id(doc, "final_receipts_root")?;
    let receipts = array(doc, "receipts", MAX_RECEIPTS)?;
    for entry in receipts {
        let proof = ReceiptProof::decode(&unhex(field(entry, "proof")?)?)?;
        if proof.receipt.session_id != session_id {
            return Err(Error::InvalidInput(
                "receipts document: receipt of another session",
            ));
        }
        proof.verify(&receipts_root)?;
        proof.receipt.verify(&keys)?;
    }
    let certificate = QuorumCertificate::decode(&unhex(field(doc, "final_certificate")?)?)?;
    let mut joined = Vec::with_capacity(96);
    for root in [
        id(doc, "output_hash")?,
        id(doc, "oracle_root")?,
        receipts_root,
    ] {
        joined.extend_from_slice(root.as_bytes());
    }
    let expected = Statement {
        domain: Domain::SessionComplete,
        subject_id: session_id,
        commit_root: hash(&joined),
        epoch,
    };
    if certificate.statement != expected {
        return Err(Error::InvalidInput(
            "receipts document: the certificate is not over this session's roots",
        ));
    }
    let quorum = session_core::quorum(keys.len());
    certificate.verify(&keys, quorum)?;
    Ok(ReceiptsSummary {
        session_id,
        receipts: receipts.len(),
        receipts_root,
        signers: certificate.signatures.len(),
        committee: keys.len(),
    })
}
