//! The wire form of committee gossip: a [`Gossip`] (session ID and runner
//! [`Message`]) in the session-core codec, carried by the transport as a
//! `Data` payload on [`GOSSIP_TOPIC`]; new sessions travel on
//! [`SESSION_TOPIC`] as an encoded pending [`session_core::Session`].

use session_core::codec::{Decode, Encode, Reader, Versioned, Writer};
use session_core::{
    Attestation, EpochBeacon, Id, MAX_COMMITTEE_SIZE, OracleRecord, QuorumCertificate, Receipt,
};

use crate::evidence::Evidence;
use crate::runner::{Certified, Message};

/// Transport `Data` topic of session gossip.
pub const GOSSIP_TOPIC: u32 = 0x5345_0001;
/// Transport `Data` topic of new sessions.
pub const SESSION_TOPIC: u32 = 0x5345_0002;
/// Transport `Data` topic of epoch changes: one [`BeaconMessage`] (see
/// [`crate::epoch`]).
pub const BEACON_TOPIC: u32 = 0x5345_0003;

/// An epoch-change message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BeaconMessage {
    /// A node's signature over the next beacon (domain `epoch/beacon`).
    Vote(Attestation),
    /// A beacon with its quorum certificate: lets a node that missed the
    /// votes follow.
    Certified(EpochBeacon, Box<QuorumCertificate>),
}

impl Encode for BeaconMessage {
    fn encode_to(&self, w: &mut Writer) {
        match self {
            BeaconMessage::Vote(a) => {
                w.u8(0);
                w.put(a);
            }
            BeaconMessage::Certified(b, qc) => {
                w.u8(1);
                w.put(b);
                w.put(qc.as_ref());
            }
        }
    }
}

impl Decode for BeaconMessage {
    const MIN_ENCODED_LEN: usize = 1 + EpochBeacon::MIN_ENCODED_LEN;
    fn decode_from(r: &mut Reader<'_>) -> session_core::Result<Self> {
        Ok(match r.u8()? {
            0 => BeaconMessage::Vote(r.get()?),
            1 => BeaconMessage::Certified(r.get()?, Box::new(r.get()?)),
            tag => {
                return Err(session_core::Error::InvalidTag {
                    field: "beacon message",
                    tag,
                });
            }
        })
    }
}

impl Versioned for BeaconMessage {
    const NAME: &'static str = "BeaconMessage";
    const VERSION: u8 = 1;
}

/// A runner message about one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gossip {
    /// The session.
    pub session_id: Id,
    /// The message.
    pub message: Message,
}

impl Encode for Message {
    fn encode_to(&self, w: &mut Writer) {
        match self {
            Message::Record(r) => {
                w.u8(0);
                w.put(r);
            }
            Message::Commit {
                request_id,
                records,
            } => {
                w.u8(1);
                w.id(request_id);
                w.seq(records);
            }
            Message::Attest {
                attestation,
                receipt,
            } => {
                w.u8(2);
                w.put(attestation);
                w.put(receipt);
            }
            Message::Certified(c) => {
                w.u8(3);
                w.seq(&c.records);
                w.put(&c.certificate);
                w.seq(&c.receipts);
            }
            Message::Complete(a) => {
                w.u8(4);
                w.put(a);
            }
            Message::Evidence(e) => {
                w.u8(5);
                w.put(e.as_ref());
            }
        }
    }
}

impl Decode for Message {
    const MIN_ENCODED_LEN: usize = 1 + 4;
    fn decode_from(r: &mut Reader<'_>) -> session_core::Result<Self> {
        Ok(match r.u8()? {
            0 => Message::Record(r.get()?),
            1 => Message::Commit {
                request_id: r.id()?,
                records: r.seq::<OracleRecord>(MAX_COMMITTEE_SIZE, "records")?,
            },
            2 => Message::Attest {
                attestation: r.get::<Attestation>()?,
                receipt: r.get::<Receipt>()?,
            },
            3 => Message::Certified(Box::new(Certified {
                records: r.seq(MAX_COMMITTEE_SIZE, "records")?,
                certificate: r.get::<QuorumCertificate>()?,
                receipts: r.seq(MAX_COMMITTEE_SIZE, "receipts")?,
            })),
            4 => Message::Complete(r.get()?),
            5 => Message::Evidence(Box::new(r.get::<Evidence>()?)),
            tag => {
                return Err(session_core::Error::InvalidTag {
                    field: "gossip message",
                    tag,
                });
            }
        })
    }
}

impl Encode for Gossip {
    fn encode_to(&self, w: &mut Writer) {
        w.id(&self.session_id);
        w.put(&self.message);
    }
}

impl Decode for Gossip {
    const MIN_ENCODED_LEN: usize = 32 + Message::MIN_ENCODED_LEN;
    fn decode_from(r: &mut Reader<'_>) -> session_core::Result<Self> {
        Ok(Gossip {
            session_id: r.id()?,
            message: r.get()?,
        })
    }
}

impl Versioned for Gossip {
    const NAME: &'static str = "Gossip";
    const VERSION: u8 = 1;
}

#[cfg(test)]
mod tests {
    use session_core::{Domain, Statement, hash};
    use session_crypto::Identity;

    use super::*;

    #[test]
    fn every_message_round_trips_and_junk_is_refused() {
        let id = Identity::from_seeds(&[3; 64], &[3; 32]);
        let record = OracleRecord::sign(&id, hash(b"r"), b"42".to_vec()).unwrap();
        let statement = Statement {
            domain: Domain::OracleRead,
            subject_id: hash(b"r"),
            commit_root: hash(b"root"),
            epoch: 1,
        };
        let attestation = Attestation::sign(&id, statement);
        let receipt = Receipt::sign(&id, hash(b"s"), 0, hash(b"root"), hash(b"leader"));
        let keys = [id.public().clone()].into_iter().collect();
        let certificate =
            QuorumCertificate::aggregate(statement, std::slice::from_ref(&attestation), &keys, 1)
                .unwrap();
        let messages = [
            Message::Record(record.clone()),
            Message::Commit {
                request_id: hash(b"r"),
                records: vec![record.clone()],
            },
            Message::Attest {
                attestation: attestation.clone(),
                receipt: receipt.clone(),
            },
            Message::Certified(Box::new(Certified {
                records: vec![record],
                certificate,
                receipts: vec![receipt],
            })),
            Message::Complete(attestation),
        ];
        for message in messages {
            let g = Gossip {
                session_id: hash(b"s"),
                message,
            };
            let bytes = g.encode();
            assert_eq!(Gossip::decode(&bytes).unwrap(), g);
            for cut in [0, 1, 33, bytes.len() - 1] {
                assert!(Gossip::decode(&bytes[..cut]).is_err());
            }
        }
        let mut bad = Gossip {
            session_id: hash(b"s"),
            message: Message::Complete(Attestation::sign(&id, statement)),
        }
        .encode();
        bad[33] = 9;
        assert!(Gossip::decode(&bad).is_err());
    }

    #[test]
    fn hostile_bytes_never_panic() {
        // A fixed xorshift stream: deterministic, many shapes of junk,
        // including valid prefixes with corrupted tails.
        let id = Identity::from_seeds(&[4; 64], &[4; 32]);
        let record = OracleRecord::sign(&id, hash(b"r"), b"1".to_vec()).unwrap();
        let valid = Gossip {
            session_id: hash(b"s"),
            message: Message::Commit {
                request_id: hash(b"r"),
                records: vec![record],
            },
        }
        .encode();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..2000 {
            let mut bytes = if round % 2 == 0 {
                valid.clone()
            } else {
                let len = (next() % 512) as usize;
                (0..len).map(|_| next() as u8).collect()
            };
            if !bytes.is_empty() {
                for _ in 0..(next() % 4) {
                    let i = (next() as usize) % bytes.len();
                    bytes[i] = next() as u8;
                }
                let cut = (next() as usize) % (bytes.len() + 1);
                bytes.truncate(cut.max(bytes.len() / 2));
            }
            let _ = Gossip::decode(&bytes);
        }
    }
}
