//! How accepted blocks are kept: without a second copy of their messages.
//!
//! A `SendMessage` is stored once, as its message record (what `GetMessages`
//! reads). The archived block keeps every other transaction verbatim and, for
//! each message, only where its record lives; the canonical bytes are rebuilt
//! on demand and checked against the block ID. This halves what each block
//! writes, and it makes retention honest: once a message is pruned, no copy of
//! its ciphertext is left in the block store either, and the block reads as
//! pruned.
//!
//! ```text
//! archived = version(u8 = 1) ‖ parent(32) ‖ height(u64) ‖ timestamp(u64)
//!          ‖ stateRoot(32) ‖ count(u32) ‖ entry × count
//! entry    = 0x00 ‖ len(u32) ‖ tx            (kept verbatim)
//!          | 0x01 ‖ sessionId(32) ‖ seq(u64)  (a SendMessage, see its message record)
//! ```

use session_core::Id;
use session_core::codec::{Reader, Writer};

use crate::block::{Block, MAX_BLOCK_BYTES, MAX_TX_BYTES, SealedBlock, read_header, write_header};
use crate::error::{Error, Result};
use crate::exec::Outcome;
use crate::state::MessageRecord;
use crate::tx::{SendMessage, Tx};

const ARCHIVE_VERSION: u8 = 1;
const VERBATIM: u8 = 0;
const MESSAGE: u8 = 1;

/// The archived form of `block`, whose transactions had `outcomes` (in order).
pub fn archive(block: &Block, outcomes: &[Outcome]) -> Result<Vec<u8>> {
    if outcomes.len() != block.txs.len() {
        return Err(Error::Corrupt("one outcome per transaction".into()));
    }
    let mut w = Writer::with_capacity(85 + 48 * block.txs.len());
    write_header(&mut w, ARCHIVE_VERSION, block);
    for (tx, outcome) in block.txs.iter().zip(outcomes) {
        match (tx, outcome) {
            (Tx::SendMessage(m), Outcome::Sent { sequence, .. }) => {
                w.u8(MESSAGE);
                w.id(&m.session_id);
                w.u64(*sequence);
            }
            (Tx::SendMessage(_), _) => {
                return Err(Error::Corrupt("a message without its sequence".into()));
            }
            (other, _) => {
                w.u8(VERBATIM);
                w.bytes(&other.to_bytes());
            }
        }
    }
    Ok(w.into_bytes())
}

/// Rebuilds an archived block. `message` loads a stored message record by
/// session and sequence; `None` when `id`'s messages were pruned.
pub fn restore(
    id: &Id,
    archived: &[u8],
    mut message: impl FnMut(&Id, u64) -> Result<Option<MessageRecord>>,
) -> Result<Option<SealedBlock>> {
    let corrupt = |e: session_core::Error| Error::Corrupt(format!("archived block: {e}"));
    if archived.len() > MAX_BLOCK_BYTES {
        return Err(Error::Corrupt("archived block too large".into()));
    }
    let mut r = Reader::new(archived);
    // The smallest entry is a kind byte and an empty length.
    let ((parent, height, timestamp, state_root), count) = read_header(&mut r, ARCHIVE_VERSION, 5)
        .map_err(|e| Error::Corrupt(format!("archived block: {e}")))?;
    let mut txs = Vec::with_capacity(count);
    for _ in 0..count {
        let tx = match r.u8().map_err(corrupt)? {
            VERBATIM => Tx::from_bytes(r.bytes(MAX_TX_BYTES, "transaction").map_err(corrupt)?)
                .map_err(|e| Error::Corrupt(format!("archived transaction: {e}")))?,
            MESSAGE => {
                let session_id = r.id().map_err(corrupt)?;
                let seq = r.u64().map_err(corrupt)?;
                let Some(record) = message(&session_id, seq)? else {
                    return Ok(None);
                };
                Tx::SendMessage(SendMessage {
                    session_id,
                    sender: record.sender,
                    ciphertext: record.ciphertext,
                    signature: session_crypto::Signature::from_bytes(&record.signature)
                        .map_err(|_| Error::Corrupt("stored signature".into()))?,
                })
            }
            _ => return Err(Error::Corrupt("archived entry kind".into())),
        };
        txs.push(tx);
    }
    r.finish().map_err(corrupt)?;
    let block = SealedBlock::new(Block {
        parent,
        height,
        timestamp,
        state_root,
        txs,
    });
    if block.id != *id {
        // A pruned message slot reused, or damage: never hand out other bytes.
        return Err(Error::Corrupt(
            "archived block does not match its ID".into(),
        ));
    }
    Ok(Some(block))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx::CloseSession;
    use session_crypto::Identity;
    use std::collections::HashMap;

    #[test]
    fn archive_and_restore_round_trip_and_detect_pruning() {
        let who = Identity::from_seeds(&[1; 64], &[2; 32]);
        let sid = Id::new([9; 32]);
        let me = Id::new(who.id().0);
        let send = |i: u8| {
            Tx::SendMessage(SendMessage {
                session_id: sid,
                sender: me,
                ciphertext: vec![i; 40],
                signature: who.sign(&[i]),
            })
        };
        let close = Tx::CloseSession(CloseSession {
            session_id: sid,
            sender: me,
            signature: who.sign(b"close"),
        });
        let block = SealedBlock::new(Block {
            parent: Id::new([1; 32]),
            height: 5,
            timestamp: 77,
            state_root: Id::new([3; 32]),
            txs: vec![send(1), close, send(2)],
        });
        let sent = |sequence| Outcome::Sent {
            message_id: Id::ZERO,
            sequence,
        };
        let outcomes = [sent(10), Outcome::Closed, sent(11)];
        let archived = archive(&block.block, &outcomes).unwrap();
        // Only the CloseSession (with its signature) is kept whole.
        assert!(archived.len() < block.bytes.len() / 2);

        let mut records = HashMap::new();
        for (seq, i) in [(10u64, 0usize), (11, 2)] {
            let Tx::SendMessage(m) = block.block.txs[i].clone() else {
                unreachable!()
            };
            records.insert(
                seq,
                MessageRecord {
                    id: Id::ZERO,
                    sender: m.sender,
                    timestamp: 77,
                    height: 5,
                    ciphertext: m.ciphertext,
                    signature: m.signature.as_bytes().to_vec(),
                },
            );
        }
        let lookup = |records: &HashMap<u64, MessageRecord>| {
            let records = records.clone();
            move |s: &Id, seq: u64| {
                assert_eq!(*s, sid);
                Ok(records.get(&seq).cloned())
            }
        };
        let restored = restore(&block.id, &archived, lookup(&records))
            .unwrap()
            .unwrap();
        assert_eq!(restored, block);

        // A pruned message: the block reads as pruned, not as other bytes.
        let mut pruned = records.clone();
        pruned.remove(&11);
        assert_eq!(
            restore(&block.id, &archived, lookup(&pruned)).unwrap(),
            None
        );

        // A different record in the slot: refused.
        let mut swapped = records.clone();
        swapped.get_mut(&10).unwrap().ciphertext[0] ^= 1;
        assert!(restore(&block.id, &archived, lookup(&swapped)).is_err());

        // Truncations and garbage never panic.
        for n in 0..archived.len() {
            let _ = restore(&block.id, &archived[..n], lookup(&records));
        }
        assert!(restore(&block.id, &[9; 90], lookup(&records)).is_err());
    }
}
