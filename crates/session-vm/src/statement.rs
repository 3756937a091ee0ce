//! The signed statement bytes of `specs/rpc.md`.
//!
//! Every state change is an ML-DSA-65 signature (pure mode, empty context) over
//!
//! ```text
//! M = "lux-sessionvm/v1" ‖ kind(u8) ‖ chainId(32) ‖ body
//! ```
//!
//! Clients build the same bytes with these functions, so the server and the
//! command line can never disagree about what is signed.

use session_core::Id;
use session_crypto::blake2b_256;

/// The 16-byte domain prefix of every statement.
pub const DOMAIN: &[u8; 16] = b"lux-sessionvm/v1";

/// Statement kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// `sessionvm.CreateSession`.
    CreateSession = 0x01,
    /// `sessionvm.SendMessage`.
    SendMessage = 0x02,
    /// `sessionvm.CloseSession`.
    CloseSession = 0x03,
    /// `sessionvm.AckMessages`.
    AckMessages = 0x04,
}

fn header(kind: Kind, chain_id: &Id, body_len: usize) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN.len() + 1 + 32 + body_len);
    m.extend_from_slice(DOMAIN);
    m.push(kind as u8);
    m.extend_from_slice(chain_id.as_bytes());
    m
}

/// `CreateSession`: `creator ‖ nonce(u64) ‖ count(u16) ‖ participant × count`.
///
/// The creator is `participants[0]`. Callers check that the count fits in a `u16`
/// (the VM's limit is far lower); a longer list is truncated in the count field.
pub fn create_session(chain_id: &Id, nonce: u64, participants: &[Id]) -> Vec<u8> {
    let creator = participants.first().copied().unwrap_or(Id::ZERO);
    let count = u16::try_from(participants.len()).unwrap_or(u16::MAX);
    let mut m = header(
        Kind::CreateSession,
        chain_id,
        32 + 8 + 2 + 32 * participants.len(),
    );
    m.extend_from_slice(creator.as_bytes());
    m.extend_from_slice(&nonce.to_be_bytes());
    m.extend_from_slice(&count.to_be_bytes());
    for p in participants.iter().take(usize::from(count)) {
        m.extend_from_slice(p.as_bytes());
    }
    m
}

/// `SendMessage`: `sessionId ‖ sender ‖ Blake2b-256(ciphertext)`.
pub fn send_message(chain_id: &Id, session_id: &Id, sender: &Id, ciphertext: &[u8]) -> Vec<u8> {
    let mut m = header(Kind::SendMessage, chain_id, 96);
    m.extend_from_slice(session_id.as_bytes());
    m.extend_from_slice(sender.as_bytes());
    m.extend_from_slice(&blake2b_256(ciphertext));
    m
}

/// `CloseSession`: `sessionId ‖ sender`.
pub fn close_session(chain_id: &Id, session_id: &Id, sender: &Id) -> Vec<u8> {
    let mut m = header(Kind::CloseSession, chain_id, 64);
    m.extend_from_slice(session_id.as_bytes());
    m.extend_from_slice(sender.as_bytes());
    m
}

/// `AckMessages`: `sessionId ‖ sender ‖ upTo(u64)`.
pub fn ack_messages(chain_id: &Id, session_id: &Id, sender: &Id, up_to: u64) -> Vec<u8> {
    let mut m = header(Kind::AckMessages, chain_id, 72);
    m.extend_from_slice(session_id.as_bytes());
    m.extend_from_slice(sender.as_bytes());
    m.extend_from_slice(&up_to.to_be_bytes());
    m
}

/// The ID a statement derives: `Blake2b-256(M)` (session IDs, message IDs, transaction IDs).
pub fn derive_id(statement: &[u8]) -> Id {
    Id::new(blake2b_256(statement))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_match_the_contract() {
        let chain = Id::new([0xCC; 32]);
        let a = Id::new([0xAA; 32]);
        let b = Id::new([0xBB; 32]);
        let s = Id::new([0x55; 32]);

        let m = create_session(&chain, 0x0102_0304_0506_0708, &[a, b]);
        assert_eq!(&m[..16], b"lux-sessionvm/v1");
        assert_eq!(m[16], 0x01);
        assert_eq!(&m[17..49], &[0xCC; 32]);
        assert_eq!(&m[49..81], &[0xAA; 32]);
        assert_eq!(&m[81..89], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(&m[89..91], &[0, 2]);
        assert_eq!(m.len(), 91 + 64);

        let m = send_message(&chain, &s, &a, b"hello");
        assert_eq!(m[16], 0x02);
        assert_eq!(m.len(), 49 + 96);
        assert_eq!(&m[113..], &blake2b_256(b"hello"));

        let m = close_session(&chain, &s, &b);
        assert_eq!((m[16], m.len()), (0x03, 49 + 64));

        let m = ack_messages(&chain, &s, &b, 7);
        assert_eq!((m[16], m.len()), (0x04, 49 + 72));
        assert_eq!(&m[113..], &7u64.to_be_bytes());
    }

    #[test]
    fn ids_differ_by_chain_and_nonce() {
        let a = Id::new([1; 32]);
        let b = Id::new([2; 32]);
        let c1 = Id::new([3; 32]);
        let c2 = Id::new([4; 32]);
        let x = derive_id(&create_session(&c1, 0, &[a, b]));
        assert_ne!(x, derive_id(&create_session(&c2, 0, &[a, b])));
        assert_ne!(x, derive_id(&create_session(&c1, 1, &[a, b])));
        assert_ne!(x, derive_id(&create_session(&c1, 0, &[b, a])));
    }
}
