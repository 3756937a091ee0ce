//! What a completed step leaves behind: its agreed values and, for I/O
//! steps, the commit root, quorum certificate and receipts.

use session_core::codec::{Decode, Encode, Reader, Versioned, Writer};
use session_core::{Id, MAX_COMMITTEE_SIZE, MAX_ORACLE_DATA_LEN, QuorumCertificate, Receipt};

use crate::compute::MAX_INPUTS;

/// The result of one completed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    /// The agreed values: a read's committed record data (in record-ID
    /// order), a compute's output, a write's body.
    pub values: Vec<Vec<u8>>,
    /// The oracle commit root (I/O steps).
    pub commit_root: Option<Id>,
    /// The committee's certificate over the commit (I/O steps).
    pub certificate: Option<QuorumCertificate>,
    /// Receipts: each certificate signer acknowledging the leader's commit.
    pub receipts: Vec<Receipt>,
    /// Hash of the external response to a write, on the node that posted it
    /// (local information, not agreed).
    pub response_hash: Option<Id>,
}

impl StepOutcome {
    /// The step's output hash: [`values_hash`] of its values.
    pub fn output_hash(&self) -> Id {
        values_hash(&self.values)
    }
}

/// `H(count:u32 ‖ (len:u32 ‖ value)*)`: the output hash of a list of values.
pub fn values_hash(values: &[Vec<u8>]) -> Id {
    let mut w = Writer::new();
    encode_values(&mut w, values);
    session_core::hash(w.as_slice())
}

fn encode_values(w: &mut Writer, values: &[Vec<u8>]) {
    w.len_prefix(values.len());
    for v in values {
        w.bytes(v);
    }
}

impl Encode for StepOutcome {
    fn encode_to(&self, w: &mut Writer) {
        encode_values(w, &self.values);
        w.option(self.commit_root.as_ref());
        w.option(self.certificate.as_ref());
        w.seq(&self.receipts);
        w.option(self.response_hash.as_ref());
    }
}

impl Decode for StepOutcome {
    const MIN_ENCODED_LEN: usize = 4 + 1 + 1 + 4 + 1;
    fn decode_from(r: &mut Reader<'_>) -> session_core::Result<Self> {
        let n = r.len_prefix(MAX_INPUTS, 4, "values")?;
        let mut values = Vec::with_capacity(n);
        for _ in 0..n {
            values.push(r.byte_vec(MAX_ORACLE_DATA_LEN, "value")?);
        }
        Ok(StepOutcome {
            values,
            commit_root: r.option("commit root")?,
            certificate: r.option("certificate")?,
            receipts: r.seq(MAX_COMMITTEE_SIZE, "receipts")?,
            response_hash: r.option("response hash")?,
        })
    }
}

impl Versioned for StepOutcome {
    const NAME: &'static str = "StepOutcome";
    const VERSION: u8 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bounds() {
        let o = StepOutcome {
            values: vec![b"1".to_vec(), Vec::new()],
            commit_root: Some(session_core::hash(b"r")),
            certificate: None,
            receipts: Vec::new(),
            response_hash: None,
        };
        assert_eq!(StepOutcome::decode(&o.encode()).unwrap(), o);
        assert_ne!(o.output_hash(), values_hash(&[b"1".to_vec()]));
        let mut bytes = o.encode();
        bytes.truncate(bytes.len() - 1);
        assert!(StepOutcome::decode(&bytes).is_err());
        // A hostile count is refused before allocating.
        let mut w = Writer::new();
        w.u8(1);
        w.u32(u32::MAX);
        assert!(StepOutcome::decode(w.as_slice()).is_err());
    }
}
