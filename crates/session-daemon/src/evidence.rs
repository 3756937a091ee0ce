//! Equivocation evidence: a member signed two conflicting attestations
//! (session-core's [`EquivocationEvidence`]) or two different oracle records
//! for the same request ([`RecordEquivocation`]). Either gets it slashed.

use session_core::codec::{Decode, Encode, Reader, Versioned, Writer};
use session_core::{CommitteeKeys, EquivocationEvidence, Id, OracleRecord};

use crate::error::{Error, Result};

/// Two records by one submitter for one request with different data.
/// `first.id() < second.id()`, so the same pair always gives the same evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEquivocation {
    /// The record with the smaller record ID.
    pub first: OracleRecord,
    /// The record with the larger record ID.
    pub second: OracleRecord,
}

impl RecordEquivocation {
    /// Evidence if `a` and `b` conflict (same request and submitter, different
    /// data). Signatures are not checked here.
    pub fn detect(a: &OracleRecord, b: &OracleRecord) -> Option<Self> {
        if a.request_id != b.request_id || a.submitter != b.submitter || a.data == b.data {
            return None;
        }
        let (first, second) = if a.id() < b.id() {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        Some(RecordEquivocation { first, second })
    }
}

/// Proof that a node equivocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// Two attestations of different roots for one statement subject.
    Attestation(EquivocationEvidence),
    /// Two records with different data for one oracle request.
    Record(RecordEquivocation),
}

impl Evidence {
    /// The equivocating node.
    pub fn offender(&self) -> Id {
        match self {
            Evidence::Attestation(e) => e.offender(),
            Evidence::Record(e) => e.first.submitter,
        }
    }

    /// Checks the evidence is well formed and both signatures verify under
    /// the offender's key in `keys`.
    pub fn verify(&self, keys: &CommitteeKeys) -> Result<()> {
        match self {
            Evidence::Attestation(e) => Ok(e.verify(keys)?),
            Evidence::Record(e) => {
                let (f, s) = (&e.first, &e.second);
                if f.request_id != s.request_id || f.submitter != s.submitter {
                    return Err(Error::InvalidInput("records of different requests"));
                }
                if f.id() >= s.id() {
                    return Err(Error::InvalidInput("records equal or out of order"));
                }
                f.verify(keys).map_err(|_| Error::InvalidSignature)?;
                s.verify(keys).map_err(|_| Error::InvalidSignature)
            }
        }
    }
}

impl Encode for Evidence {
    fn encode_to(&self, w: &mut Writer) {
        match self {
            Evidence::Attestation(e) => {
                w.u8(0);
                w.put(e);
            }
            Evidence::Record(e) => {
                w.u8(1);
                w.put(&e.first);
                w.put(&e.second);
            }
        }
    }
}

impl Decode for Evidence {
    const MIN_ENCODED_LEN: usize = 1 + 2 * OracleRecord::MIN_ENCODED_LEN;
    fn decode_from(r: &mut Reader<'_>) -> session_core::Result<Self> {
        match r.u8()? {
            0 => Ok(Evidence::Attestation(r.get()?)),
            1 => Ok(Evidence::Record(RecordEquivocation {
                first: r.get()?,
                second: r.get()?,
            })),
            tag => Err(session_core::Error::InvalidTag {
                field: "evidence",
                tag,
            }),
        }
    }
}

impl Versioned for Evidence {
    const NAME: &'static str = "Evidence";
    const VERSION: u8 = 1;
}
