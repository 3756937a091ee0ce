//! Sans-I/O identity binding: after the TLS 1.3 handshake each side proves it
//! holds the ML-DSA-65 key of its Lux identity, bound to this very TLS
//! session.
//!
//! Both sides derive a TLS exporter value (RFC 8446 §7.5) with label
//! [`EXPORTER_LABEL`] and context `dialer_id ‖ listener_id`, then sign
//!
//! ```text
//! role:u8 ‖ exporter(32) ‖ dialer_id(32) ‖ listener_id(32)
//! ```
//!
//! with ML-DSA-65 under the FIPS 204 context string [`SIGNING_CONTEXT`]
//! (role 0: dialer, 1: listener). The exporter is derived from the TLS master
//! secret and the handshake transcript, so a signature is worthless on any
//! other connection: a man in the middle terminates two TLS sessions with
//! different exporters and can forward neither signature. Certificates play no
//! part in authentication; they only satisfy TLS.
//!
//! The flow ([`Dialer`] / [`Listener`]):
//! 1. the dialer sends a [`Handshake`] signed for `(dialer, expected listener)`;
//! 2. the listener checks the identity and signature, then answers with its
//!    own [`Handshake`] for `(dialer, listener)`, even when the dialer
//!    addressed someone else (so the dialer learns whom it reached, with
//!    proof), and keeps the link only if the dialer addressed it;
//! 3. the dialer checks the answer and that the listener is the node dialed.
//!
//! ```
//! use session_crypto::Identity;
//! use session_net::binding::{Dialer, Listener, StaticKeyingMaterial};
//!
//! let (a, b) = (Identity::generate(), Identity::generate());
//! let tls = StaticKeyingMaterial([7; 32]); // stands in for one TLS session
//! let (dialer, hello) = Dialer::start(&a, b.id(), &tls)?;
//! let answer = Listener::answer(&b, &hello, &tls)?;
//! assert_eq!(answer.dialer.id(), a.id());
//! assert!(answer.addressed_to_us);
//! assert_eq!(dialer.finish(&answer.reply, &tls)?.id(), b.id());
//! # Ok::<(), session_net::Error>(())
//! ```

use session_crypto::{IDENTITY_ID_LEN, Identity, IdentityId, PublicIdentity};

use crate::error::{Error, Result};
use crate::message::Handshake;

/// The TLS exporter label (RFC 8446 §7.5 requires the `EXPORTER-` prefix for
/// private labels).
pub const EXPORTER_LABEL: &[u8] = b"EXPORTER-lux-session-net/v1";
/// The FIPS 204 context string of binding signatures.
pub const SIGNING_CONTEXT: &[u8] = b"lux-session-net/v1/identity-binding";
/// Length of the exporter value signed.
pub const EXPORTER_LEN: usize = 32;

/// Which end of the connection a party is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Opened the TCP connection (TLS client).
    Dialer,
    /// Accepted it (TLS server).
    Listener,
}

impl Role {
    fn byte(self) -> u8 {
        match self {
            Role::Dialer => 0,
            Role::Listener => 1,
        }
    }
}

/// A source of TLS exporter values: one TLS session.
pub trait KeyingMaterial {
    /// Fills `out` with the exporter value for `label` and `context`.
    fn export(&self, label: &[u8], context: &[u8], out: &mut [u8]) -> Result<()>;
}

impl<Data> KeyingMaterial for rustls::ConnectionCommon<Data> {
    fn export(&self, label: &[u8], context: &[u8], out: &mut [u8]) -> Result<()> {
        self.export_keying_material(out, label, Some(context))?;
        Ok(())
    }
}

/// A fixed exporter secret, for tests and examples: `export` returns a value
/// derived from the secret, the label and the context (so different contexts
/// differ, as with TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticKeyingMaterial(pub [u8; 32]);

impl KeyingMaterial for StaticKeyingMaterial {
    fn export(&self, label: &[u8], context: &[u8], out: &mut [u8]) -> Result<()> {
        for (counter, chunk) in (0u32..).zip(out.chunks_mut(32)) {
            let h = session_crypto::blake2b_256_parts(&[
                &self.0,
                &(label.len() as u64).to_be_bytes(),
                label,
                context,
                &counter.to_be_bytes(),
            ]);
            chunk.copy_from_slice(&h[..chunk.len()]);
        }
        Ok(())
    }
}

/// The exporter context: `dialer_id ‖ listener_id`.
pub fn exporter_context(dialer: &IdentityId, listener: &IdentityId) -> [u8; 2 * IDENTITY_ID_LEN] {
    let mut out = [0u8; 2 * IDENTITY_ID_LEN];
    out[..IDENTITY_ID_LEN].copy_from_slice(dialer.as_bytes());
    out[IDENTITY_ID_LEN..].copy_from_slice(listener.as_bytes());
    out
}

/// The exporter value for a pair of IDs.
pub fn exporter(
    tls: &impl KeyingMaterial,
    dialer: &IdentityId,
    listener: &IdentityId,
) -> Result<[u8; EXPORTER_LEN]> {
    let mut out = [0u8; EXPORTER_LEN];
    tls.export(
        EXPORTER_LABEL,
        &exporter_context(dialer, listener),
        &mut out,
    )?;
    Ok(out)
}

/// The bytes a party in `role` signs: `role ‖ exporter ‖ dialer ‖ listener`.
pub fn signing_payload(
    role: Role,
    exporter: &[u8; EXPORTER_LEN],
    dialer: &IdentityId,
    listener: &IdentityId,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + EXPORTER_LEN + 2 * IDENTITY_ID_LEN);
    out.push(role.byte());
    out.extend_from_slice(exporter);
    out.extend_from_slice(dialer.as_bytes());
    out.extend_from_slice(listener.as_bytes());
    out
}

/// Builds `identity`'s signed [`Handshake`] in `role` for the pair
/// `(dialer, listener)`.
pub fn sign(
    identity: &Identity,
    role: Role,
    dialer: IdentityId,
    listener: IdentityId,
    tls: &impl KeyingMaterial,
) -> Result<Handshake> {
    let ex = exporter(tls, &dialer, &listener)?;
    let signature = identity
        .sign_with_context(
            &signing_payload(role, &ex, &dialer, &listener),
            SIGNING_CONTEXT,
        )
        .map_err(|_| Error::BadBinding)?;
    Ok(Handshake {
        identity: identity.public().clone(),
        dialer,
        listener,
        signature,
    })
}

/// Checks a [`Handshake`] sent by the party in `role`: the identity's ID must
/// be that role's ID in the message, and the signature must verify over this
/// TLS session's exporter for the message's pair. Returns the sender's
/// identity. (Whether the pair is the one expected is the caller's check.)
pub fn verify(hs: &Handshake, role: Role, tls: &impl KeyingMaterial) -> Result<PublicIdentity> {
    let claimed = match role {
        Role::Dialer => hs.dialer,
        Role::Listener => hs.listener,
    };
    if hs.identity.id() != claimed {
        return Err(Error::BadBinding);
    }
    let ex = exporter(tls, &hs.dialer, &hs.listener)?;
    hs.identity
        .verify_with_context(
            &signing_payload(role, &ex, &hs.dialer, &hs.listener),
            SIGNING_CONTEXT,
            &hs.signature,
        )
        .map_err(|_| Error::BadBinding)?;
    Ok(hs.identity.clone())
}

/// The dialer's side, between sending its handshake and checking the answer.
#[derive(Debug)]
pub struct Dialer {
    me: IdentityId,
    expected: IdentityId,
}

impl Dialer {
    /// Signs the opening handshake for `expected` (the listener dialed).
    pub fn start(
        identity: &Identity,
        expected: IdentityId,
        tls: &impl KeyingMaterial,
    ) -> Result<(Dialer, Handshake)> {
        let me = identity.id();
        if me == expected {
            return Err(Error::SelfConnection);
        }
        let hello = sign(identity, Role::Dialer, me, expected, tls)?;
        Ok((Dialer { me, expected }, hello))
    }

    /// Checks the listener's answer; returns the listener's identity, which is
    /// the one dialed.
    pub fn finish(self, reply: &Handshake, tls: &impl KeyingMaterial) -> Result<PublicIdentity> {
        if reply.dialer != self.me {
            return Err(Error::BadBinding);
        }
        let listener = verify(reply, Role::Listener, tls)?;
        if listener.id() != self.expected {
            return Err(Error::PeerMismatch {
                expected: self.expected,
                found: listener.id(),
            });
        }
        Ok(listener)
    }
}

/// The listener's verdict on a dialer's handshake.
#[derive(Debug)]
pub struct Answer {
    /// The dialer's proven identity.
    pub dialer: PublicIdentity,
    /// The listener's handshake to send back.
    pub reply: Handshake,
    /// Whether the dialer addressed this node; if not, send the reply (so the
    /// dialer learns whom it reached) and close.
    pub addressed_to_us: bool,
}

/// The listener's side.
#[derive(Debug)]
pub struct Listener;

impl Listener {
    /// Checks the dialer's opening handshake and signs the answer.
    pub fn answer(
        identity: &Identity,
        hello: &Handshake,
        tls: &impl KeyingMaterial,
    ) -> Result<Answer> {
        let dialer = verify(hello, Role::Dialer, tls)?;
        let me = identity.id();
        if dialer.id() == me {
            return Err(Error::SelfConnection);
        }
        let reply = sign(identity, Role::Listener, dialer.id(), me, tls)?;
        Ok(Answer {
            dialer,
            reply,
            addressed_to_us: hello.listener == me,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (Identity, Identity, Identity) {
        (
            Identity::from_seeds(&[1; 64], &[1; 32]),
            Identity::from_seeds(&[2; 64], &[2; 32]),
            Identity::from_seeds(&[3; 64], &[3; 32]),
        )
    }

    #[test]
    fn honest_run_binds_both() {
        let (a, b, _) = ids();
        let tls = StaticKeyingMaterial([9; 32]);
        let (d, hello) = Dialer::start(&a, b.id(), &tls).unwrap();
        assert_eq!((hello.dialer, hello.listener), (a.id(), b.id()));
        let ans = Listener::answer(&b, &hello, &tls).unwrap();
        assert!(ans.addressed_to_us);
        assert_eq!(ans.dialer.id(), a.id());
        assert_eq!(d.finish(&ans.reply, &tls).unwrap().id(), b.id());
    }

    #[test]
    fn other_tls_session_is_refused() {
        // A relay (man in the middle) has a different exporter on each side.
        let (a, b, _) = ids();
        let (_, hello) = Dialer::start(&a, b.id(), &StaticKeyingMaterial([1; 32])).unwrap();
        assert!(matches!(
            Listener::answer(&b, &hello, &StaticKeyingMaterial([2; 32])),
            Err(Error::BadBinding)
        ));
        let tls = StaticKeyingMaterial([1; 32]);
        let (d, hello) = Dialer::start(&a, b.id(), &tls).unwrap();
        let ans = Listener::answer(&b, &hello, &tls).unwrap();
        assert!(matches!(
            d.finish(&ans.reply, &StaticKeyingMaterial([2; 32])),
            Err(Error::BadBinding)
        ));
    }

    #[test]
    fn forged_signature_is_refused() {
        let (a, b, mallory) = ids();
        let tls = StaticKeyingMaterial([4; 32]);
        // Mallory claims to be `a` but signs with her own key.
        let mut hello = sign(&mallory, Role::Dialer, a.id(), b.id(), &tls).unwrap();
        hello.identity = a.public().clone();
        assert!(matches!(
            Listener::answer(&b, &hello, &tls),
            Err(Error::BadBinding)
        ));
        // Identity that does not match the claimed dialer ID.
        let mut hello = sign(&a, Role::Dialer, a.id(), b.id(), &tls).unwrap();
        hello.dialer = mallory.id();
        assert!(matches!(
            Listener::answer(&b, &hello, &tls),
            Err(Error::BadBinding)
        ));
        // A flipped signature bit.
        let hello = sign(&a, Role::Dialer, a.id(), b.id(), &tls).unwrap();
        let mut sig = hello.signature.as_bytes().to_vec();
        sig[100] ^= 1;
        let bad = Handshake {
            signature: session_crypto::Signature::from_bytes(&sig).unwrap(),
            ..hello
        };
        assert!(matches!(
            Listener::answer(&b, &bad, &tls),
            Err(Error::BadBinding)
        ));
    }

    #[test]
    fn role_is_bound() {
        // A dialer's signature cannot be reflected as a listener's.
        let (a, b, _) = ids();
        let tls = StaticKeyingMaterial([5; 32]);
        let (d, hello) = Dialer::start(&a, b.id(), &tls).unwrap();
        let mut reflected = hello.clone();
        reflected.identity = b.public().clone();
        assert!(d.finish(&reflected, &tls).is_err());
        let hs = sign(&a, Role::Listener, b.id(), a.id(), &tls).unwrap();
        assert!(verify(&hs, Role::Listener, &tls).is_ok());
        let as_dialer = Handshake {
            dialer: a.id(),
            listener: b.id(),
            ..hs
        };
        assert!(verify(&as_dialer, Role::Dialer, &tls).is_err());
    }

    #[test]
    fn wrong_listener_is_reported_with_proof() {
        let (a, b, c) = ids();
        let tls = StaticKeyingMaterial([6; 32]);
        // `a` dials `c`'s ID but reaches `b`.
        let (d, hello) = Dialer::start(&a, c.id(), &tls).unwrap();
        let ans = Listener::answer(&b, &hello, &tls).unwrap();
        assert!(!ans.addressed_to_us);
        match d.finish(&ans.reply, &tls) {
            Err(Error::PeerMismatch { expected, found }) => {
                assert_eq!(expected, c.id());
                assert_eq!(found, b.id());
            }
            other => panic!("expected a mismatch, got {other:?}"),
        }
    }

    #[test]
    fn self_connection_is_refused() {
        let (a, _, _) = ids();
        let tls = StaticKeyingMaterial([7; 32]);
        assert!(matches!(
            Dialer::start(&a, a.id(), &tls),
            Err(Error::SelfConnection)
        ));
        let hello = sign(&a, Role::Dialer, a.id(), a.id(), &tls).unwrap();
        assert!(matches!(
            Listener::answer(&a, &hello, &tls),
            Err(Error::SelfConnection)
        ));
    }

    #[test]
    fn static_exporter_depends_on_context() {
        let tls = StaticKeyingMaterial([8; 32]);
        let (x, y) = (IdentityId([1; 32]), IdentityId([2; 32]));
        assert_ne!(
            exporter(&tls, &x, &y).unwrap(),
            exporter(&tls, &y, &x).unwrap()
        );
        assert_eq!(
            exporter(&tls, &x, &y).unwrap(),
            exporter(&tls, &x, &y).unwrap()
        );
        assert_eq!(exporter_context(&x, &y)[..32], [1; 32]);
    }
}
