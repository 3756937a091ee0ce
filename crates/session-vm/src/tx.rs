//! Transactions: one per signed statement kind, with their canonical bytes.
//!
//! ```text
//! tx      = kind(u8) ‖ body
//! create  = count(u16) ‖ publicIdentity(3136) × count ‖ nonce(u64) ‖ signature(3309)
//! send    = sessionId(32) ‖ sender(32) ‖ len(u32) ‖ ciphertext ‖ signature(3309)
//! close   = sessionId(32) ‖ sender(32) ‖ signature(3309)
//! ack     = sessionId(32) ‖ sender(32) ‖ upTo(u64) ‖ signature(3309)
//! ```
//!
//! Participants of a `create` are the IDs of its public identities, so they are not
//! repeated on the wire. Decoding bounds every length before allocating.

use session_core::Id;
use session_crypto::{Identity, PUBLIC_IDENTITY_LEN, PublicIdentity, SIGNATURE_LEN, Signature};

use crate::config::{HARD_MAX_MESSAGE_SIZE, HARD_MAX_PARTICIPANTS};
use crate::error::{Error, Result};
use crate::statement::{self, Kind};
use session_core::codec::{Reader, Writer};

/// `sessionvm.CreateSession`, signed by `participants[0]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateSession {
    /// Participant IDs (the Blake2b-256 of each public identity), creator first.
    pub participants: Vec<Id>,
    /// Each participant's public identity, in the same order.
    pub public_keys: Vec<PublicIdentity>,
    /// The creator's nonce (0..2^53).
    pub nonce: u64,
    /// The creator's signature over the statement.
    pub signature: Signature,
}

impl CreateSession {
    /// A session between `creator` (first) and `others`, signed by `creator`
    /// over the statement for `chain_id`; returns it with the session ID it
    /// derives.
    pub fn signed(
        chain_id: &Id,
        nonce: u64,
        creator: &Identity,
        others: &[&PublicIdentity],
    ) -> (Self, Id) {
        let public_keys: Vec<PublicIdentity> = std::iter::once(creator.public())
            .chain(others.iter().copied())
            .cloned()
            .collect();
        let participants: Vec<Id> = public_keys.iter().map(|k| Id::new(k.id().0)).collect();
        let stmt = statement::create_session(chain_id, nonce, &participants);
        let tx = Self {
            participants,
            public_keys,
            nonce,
            signature: creator.sign(&stmt),
        };
        (tx, statement::derive_id(&stmt))
    }
}

/// `sessionvm.SendMessage`, signed by `sender`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendMessage {
    /// Target session.
    pub session_id: Id,
    /// The sending participant.
    pub sender: Id,
    /// Opaque ciphertext (a sealed envelope for the CLI).
    pub ciphertext: Vec<u8>,
    /// The sender's signature over the statement.
    pub signature: Signature,
}

/// `sessionvm.CloseSession`, signed by `sender`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseSession {
    /// Target session.
    pub session_id: Id,
    /// The closing participant.
    pub sender: Id,
    /// The sender's signature over the statement.
    pub signature: Signature,
}

/// `sessionvm.AckMessages`, signed by `sender`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckMessages {
    /// Target session.
    pub session_id: Id,
    /// The acknowledging participant.
    pub sender: Id,
    /// Highest sequence acknowledged.
    pub up_to: u64,
    /// The sender's signature over the statement.
    pub signature: Signature,
}

/// A signed state change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tx {
    /// Opens a session.
    CreateSession(CreateSession),
    /// Appends a message.
    SendMessage(SendMessage),
    /// Closes a session.
    CloseSession(CloseSession),
    /// Acknowledges messages.
    AckMessages(AckMessages),
}

impl Tx {
    /// The statement kind.
    pub fn kind(&self) -> Kind {
        match self {
            Tx::CreateSession(_) => Kind::CreateSession,
            Tx::SendMessage(_) => Kind::SendMessage,
            Tx::CloseSession(_) => Kind::CloseSession,
            Tx::AckMessages(_) => Kind::AckMessages,
        }
    }

    /// The statement bytes `M` this transaction's signature covers.
    pub fn statement(&self, chain_id: &Id) -> Vec<u8> {
        match self {
            Tx::CreateSession(t) => statement::create_session(chain_id, t.nonce, &t.participants),
            Tx::SendMessage(t) => {
                statement::send_message(chain_id, &t.session_id, &t.sender, &t.ciphertext)
            }
            Tx::CloseSession(t) => statement::close_session(chain_id, &t.session_id, &t.sender),
            Tx::AckMessages(t) => {
                statement::ack_messages(chain_id, &t.session_id, &t.sender, t.up_to)
            }
        }
    }

    /// The transaction ID: the hash of its statement (for `create` also the
    /// session ID, for `send` also the message ID).
    pub fn id(&self, chain_id: &Id) -> Id {
        statement::derive_id(&self.statement(chain_id))
    }

    /// The session this transaction targets (for `create`, the session it derives).
    pub fn session_id(&self, chain_id: &Id) -> Id {
        match self {
            Tx::CreateSession(_) => self.id(chain_id),
            Tx::SendMessage(t) => t.session_id,
            Tx::CloseSession(t) => t.session_id,
            Tx::AckMessages(t) => t.session_id,
        }
    }

    /// The signer: the creator or the sender.
    pub fn signer(&self) -> Id {
        match self {
            Tx::CreateSession(t) => t.participants.first().copied().unwrap_or(Id::ZERO),
            Tx::SendMessage(t) => t.sender,
            Tx::CloseSession(t) => t.sender,
            Tx::AckMessages(t) => t.sender,
        }
    }

    /// The signature.
    pub fn signature(&self) -> &Signature {
        match self {
            Tx::CreateSession(t) => &t.signature,
            Tx::SendMessage(t) => &t.signature,
            Tx::CloseSession(t) => &t.signature,
            Tx::AckMessages(t) => &t.signature,
        }
    }

    /// Length of the canonical bytes ([`Tx::encode`]).
    pub fn encoded_len(&self) -> usize {
        let body = match self {
            Tx::CreateSession(t) => 2 + t.public_keys.len() * PUBLIC_IDENTITY_LEN + 8,
            Tx::SendMessage(t) => 64 + 4 + t.ciphertext.len(),
            Tx::CloseSession(_) => 64,
            Tx::AckMessages(_) => 72,
        };
        1 + body + SIGNATURE_LEN
    }

    /// Appends the canonical bytes.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.kind() as u8);
        match self {
            Tx::CreateSession(t) => {
                let count = u16::try_from(t.public_keys.len()).expect("participant count checked");
                w.u16(count);
                for key in &t.public_keys {
                    w.raw(&key.to_bytes());
                }
                w.u64(t.nonce);
            }
            Tx::SendMessage(t) => {
                w.id(&t.session_id);
                w.id(&t.sender);
                w.bytes(&t.ciphertext);
            }
            Tx::CloseSession(t) => {
                w.id(&t.session_id);
                w.id(&t.sender);
            }
            Tx::AckMessages(t) => {
                w.id(&t.session_id);
                w.id(&t.sender);
                w.u64(t.up_to);
            }
        }
        w.raw(self.signature().as_bytes());
    }

    /// The canonical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.encode(&mut w);
        w.into_bytes()
    }

    /// Decodes one transaction from `r`.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self> {
        let kind = r.u8()?;
        let tx = match kind {
            0x01 => {
                let count = r.u16()?;
                if count > HARD_MAX_PARTICIPANTS {
                    return Err(Error::params("too many participants"));
                }
                let mut public_keys = Vec::with_capacity(usize::from(count).min(64));
                let mut participants = Vec::with_capacity(public_keys.capacity());
                for _ in 0..count {
                    let key = parse_key(r.take(PUBLIC_IDENTITY_LEN)?)?;
                    participants.push(Id::new(key.id().0));
                    public_keys.push(key);
                }
                let nonce = r.u64()?;
                Tx::CreateSession(CreateSession {
                    participants,
                    public_keys,
                    nonce,
                    signature: read_signature(r)?,
                })
            }
            0x02 => {
                let session_id = r.id()?;
                let sender = r.id()?;
                let ciphertext = r.byte_vec(HARD_MAX_MESSAGE_SIZE as usize, "ciphertext")?;
                Tx::SendMessage(SendMessage {
                    session_id,
                    sender,
                    ciphertext,
                    signature: read_signature(r)?,
                })
            }
            0x03 => Tx::CloseSession(CloseSession {
                session_id: r.id()?,
                sender: r.id()?,
                signature: read_signature(r)?,
            }),
            0x04 => Tx::AckMessages(AckMessages {
                session_id: r.id()?,
                sender: r.id()?,
                up_to: r.u64()?,
                signature: read_signature(r)?,
            }),
            _ => return Err(Error::params("unknown transaction kind")),
        };
        Ok(tx)
    }

    /// Decodes exactly one transaction from `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let tx = Self::decode(&mut r)?;
        r.finish()?;
        Ok(tx)
    }
}

/// Parses a 3136-byte public identity.
pub(crate) fn parse_key(bytes: &[u8]) -> Result<PublicIdentity> {
    PublicIdentity::from_bytes(bytes).map_err(|_| Error::params("malformed public identity"))
}

/// Parses a 3309-byte signature.
pub(crate) fn parse_signature(bytes: &[u8]) -> Result<Signature> {
    Signature::from_bytes(bytes).map_err(|_| Error::params("signature must be 3309 bytes"))
}

fn read_signature(r: &mut Reader<'_>) -> Result<Signature> {
    parse_signature(r.take(SIGNATURE_LEN)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_len_is_the_length_of_the_bytes_for_every_kind() {
        let (alice, bob) = (Identity::generate(), Identity::generate());
        let chain = Id::new([9; 32]);
        let (create, sid) = CreateSession::signed(&chain, 3, &alice, &[bob.public()]);
        let signature = create.signature.clone();
        let sender = create.participants[0];
        let txs = [
            Tx::CreateSession(create),
            Tx::SendMessage(SendMessage {
                session_id: sid,
                sender,
                ciphertext: vec![7; 1234],
                signature: signature.clone(),
            }),
            Tx::CloseSession(CloseSession {
                session_id: sid,
                sender,
                signature: signature.clone(),
            }),
            Tx::AckMessages(AckMessages {
                session_id: sid,
                sender,
                up_to: 5,
                signature,
            }),
        ];
        for tx in &txs {
            let bytes = tx.to_bytes();
            assert_eq!(tx.encoded_len(), bytes.len(), "{:?}", tx.kind());
            assert_eq!(&Tx::from_bytes(&bytes).unwrap(), tx);
        }
    }
}
