//! Post-quantum identities and message cryptography for Lux Session.
//!
//! An [`Identity`] is an ML-KEM-768 key pair (FIPS 203) for encryption and an
//! ML-DSA-65 key pair (FIPS 204) for signatures. Its [`PublicIdentity`] is
//! `kem_pk ‖ dsa_pk` (3136 bytes) and its [`IdentityId`] is
//! `"07" + hex(Blake2b-256(kem_pk ‖ dsa_pk))`.
//!
//! ```
//! use session_crypto::{Identity, PublicIdentity};
//!
//! let alice = Identity::generate();
//! let bob = Identity::generate();
//!
//! // Signatures (FIPS 204, empty context unless one is given).
//! let sig = alice.sign(b"hello");
//! alice.public().verify(b"hello", &sig)?;
//!
//! // Public identities travel as 3136 bytes; the ID is 66 characters.
//! let bob_public = PublicIdentity::from_bytes(&bob.public().to_bytes())?;
//! assert_eq!(bob_public.id().to_string().len(), 66);
//!
//! // Key encapsulation.
//! let (ct, ss) = bob_public.encapsulate()?;
//! assert_eq!(bob.decapsulate(&ct)?, ss);
//! # Ok::<(), session_crypto::Error>(())
//! ```
//!
//! Secrets are wiped from memory when dropped, compared in constant time, and
//! never printed by `Debug`. Parsers of untrusted bytes check every length
//! first and return an [`Error`]; they do not panic.

pub mod compat;
pub mod envelope;
mod envelope_many;
mod error;
#[doc(hidden)]
pub mod fuzz;
mod hash;
mod id;
mod identity;
pub mod keyfile;
mod keys;
pub mod legacy;
mod public;
mod random;
mod sizes;
pub mod symmetric;

pub use error::{Error, Result};
pub use hash::{blake2b_256, blake2b_256_parts};
pub use id::{IdentityId, PQ_ID_PREFIX};
pub use identity::{Identity, SharedSecret};
pub use keys::{KeyKind, PublicKey, SecretKey};
pub use public::{KemCiphertext, PublicIdentity, Signature};
pub use sizes::*;
