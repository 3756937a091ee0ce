//! Delivery receipts, their Merkle commitment and inclusion proofs.

use session_crypto::{Identity, Signature};

use crate::codec::{Decode, Encode, Reader, Versioned, Writer};
use crate::domain::{CommitteeKeys, node_id};
use crate::error::{Error, Result};
use crate::hash::receipt_id;
use crate::id::Id;
use crate::merkle::{InclusionProof, MerkleTree, leaf_hash};

/// Prefix of the bytes a receiver signs for a [`Receipt`].
pub const RECEIPT_SIGNING_DOMAIN: &[u8] = b"LUX:ReceiptAck:v1";

/// A receiver's signed acknowledgement that a relayed message arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The session.
    pub session_id: Id,
    /// The step that produced the message.
    pub step: u32,
    /// Hash of the relayed message.
    pub message_hash: Id,
    /// The sending node.
    pub sender: Id,
    /// The receiving node, which signs.
    pub receiver: Id,
    /// ML-DSA-65 by the receiver over [`Receipt::signing_payload`].
    pub signature: Signature,
}

fn receipt_payload(id: &Id) -> Vec<u8> {
    let mut out = Vec::with_capacity(RECEIPT_SIGNING_DOMAIN.len() + 32);
    out.extend_from_slice(RECEIPT_SIGNING_DOMAIN);
    out.extend_from_slice(id.as_bytes());
    out
}

impl Receipt {
    /// The receiver (`identity`) acknowledges `message_hash` from `sender`.
    pub fn sign(
        identity: &Identity,
        session_id: Id,
        step: u32,
        message_hash: Id,
        sender: Id,
    ) -> Self {
        let receiver = node_id(identity.public());
        let id = receipt_id(&session_id, step, &message_hash, &sender, &receiver);
        Receipt {
            session_id,
            step,
            message_hash,
            sender,
            receiver,
            signature: identity.sign(&receipt_payload(&id)),
        }
    }

    /// `H("LUX:Receipt:v1" ‖ session_id ‖ step:u32 ‖ message_hash ‖ sender ‖ receiver)`.
    pub fn id(&self) -> Id {
        receipt_id(
            &self.session_id,
            self.step,
            &self.message_hash,
            &self.sender,
            &self.receiver,
        )
    }

    /// The bytes the receiver signs: `"LUX:ReceiptAck:v1" ‖ receipt_id`.
    pub fn signing_payload(&self) -> Vec<u8> {
        receipt_payload(&self.id())
    }

    /// Checks the receiver is in `keys` and signed this receipt.
    pub fn verify(&self, keys: &CommitteeKeys) -> Result<()> {
        let key = keys.get(&self.receiver).ok_or(Error::UnknownSigner)?;
        key.verify(&self.signing_payload(), &self.signature)
            .map_err(|_| Error::InvalidSignature)
    }

    /// This receipt's leaf hash in a receipts tree: `leaf_hash(receipt_id)`.
    pub fn leaf_hash(&self) -> Id {
        leaf_hash(self.id().as_bytes())
    }
}

/// The receipts tree of a session: receipt IDs as leaves, in the given order.
pub fn receipts_tree(receipts: &[Receipt]) -> MerkleTree {
    MerkleTree::from_leaf_hashes(receipts.iter().map(Receipt::leaf_hash).collect())
}

impl Encode for Receipt {
    fn encode_to(&self, w: &mut Writer) {
        w.id(&self.session_id);
        w.u32(self.step);
        w.id(&self.message_hash);
        w.id(&self.sender);
        w.id(&self.receiver);
        w.put(&self.signature);
    }
}

impl Decode for Receipt {
    const MIN_ENCODED_LEN: usize = 32 * 4 + 4 + <Signature as Decode>::MIN_ENCODED_LEN;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Receipt {
            session_id: r.id()?,
            step: r.u32()?,
            message_hash: r.id()?,
            sender: r.id()?,
            receiver: r.id()?,
            signature: r.get()?,
        })
    }
}

impl Versioned for Receipt {
    const NAME: &'static str = "Receipt";
    const VERSION: u8 = 1;
}

/// A receipt with its inclusion proof in a session's receipts tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptProof {
    /// The receipt.
    pub receipt: Receipt,
    /// Its inclusion proof.
    pub proof: InclusionProof,
}

impl ReceiptProof {
    /// Checks the receipt is included under `receipts_root`. (Its signature is
    /// checked separately with [`Receipt::verify`].)
    pub fn verify(&self, receipts_root: &Id) -> Result<()> {
        self.proof.verify(&self.receipt.leaf_hash(), receipts_root)
    }
}

impl Encode for ReceiptProof {
    fn encode_to(&self, w: &mut Writer) {
        w.put(&self.receipt);
        w.put(&self.proof);
    }
}

impl Decode for ReceiptProof {
    const MIN_ENCODED_LEN: usize = Receipt::MIN_ENCODED_LEN + InclusionProof::MIN_ENCODED_LEN;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(ReceiptProof {
            receipt: r.get()?,
            proof: r.get()?,
        })
    }
}

impl Versioned for ReceiptProof {
    const NAME: &'static str = "ReceiptProof";
    const VERSION: u8 = 1;
}
